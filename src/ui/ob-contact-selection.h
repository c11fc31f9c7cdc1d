/* ob-contact-selection.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OB_TYPE_CONTACT_SELECTION (ob_contact_selection_get_type ())

G_DECLARE_FINAL_TYPE (ObContactSelection, ob_contact_selection, OB, CONTACT_SELECTION, GObject)

ObContactSelection *ob_contact_selection_new (GListModel *model);

G_END_DECLS
