/* ob-contact-detail-pane.h — one contact of the Contacts page, shown and
 * edited beside the list.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACT_DETAIL_PANE (ob_contact_detail_pane_get_type ())

G_DECLARE_FINAL_TYPE (ObContactDetailPane, ob_contact_detail_pane, OB, CONTACT_DETAIL_PANE, AdwBin)

GtkWidget *ob_contact_detail_pane_new          (void);
gboolean   ob_contact_detail_pane_show_contact (ObContactDetailPane  *self,
                                                ObStore              *store,
                                                gint64                id,
                                                GError              **error);
void       ob_contact_detail_pane_refresh      (ObContactDetailPane  *self);
void       ob_contact_detail_pane_clear        (ObContactDetailPane  *self);
gint64     ob_contact_detail_pane_get_contact_id (ObContactDetailPane *self);
void       ob_contact_detail_pane_save         (ObContactDetailPane  *self);
gboolean   ob_contact_detail_pane_get_modified (ObContactDetailPane  *self);

G_END_DECLS
