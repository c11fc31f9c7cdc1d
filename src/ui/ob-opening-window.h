/* ob-opening-window.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_OPENING_WINDOW (ob_opening_window_get_type ())

G_DECLARE_FINAL_TYPE (ObOpeningWindow, ob_opening_window, OB, OPENING_WINDOW, AdwWindow)

ObOpeningWindow *ob_opening_window_new (GtkApplication *application);

G_END_DECLS
