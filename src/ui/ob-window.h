/* ob-window.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_WINDOW (ob_window_get_type ())

G_DECLARE_FINAL_TYPE (ObWindow, ob_window, OB, WINDOW, AdwApplicationWindow)

ObWindow   *ob_window_new           (AdwApplication *application,
                                     ObStore        *store);
ObStore    *ob_window_get_store     (ObWindow       *self);
void        ob_window_show_page     (ObWindow       *self,
                                     const char     *name);
const char *ob_window_get_page      (ObWindow       *self);
void        ob_window_add_toast     (ObWindow       *self,
                                     AdwToast       *toast);
void        ob_window_dismiss_toast (ObWindow       *self,
                                     AdwToast       *toast);

G_END_DECLS
