/* ob-contacts-page.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_CONTACTS_PAGE (ob_contacts_page_get_type ())

G_DECLARE_FINAL_TYPE (ObContactsPage, ob_contacts_page, OB, CONTACTS_PAGE, AdwBin)

GtkWidget     *ob_contacts_page_new             (void);
GListModel    *ob_contacts_page_get_model       (ObContactsPage *self);
GtkColumnView *ob_contacts_page_get_column_view (ObContactsPage *self);
GtkWidget     *ob_contacts_page_import_file     (ObContactsPage *self,
                                                 GFile          *file);
void           ob_contacts_page_open_contact    (ObContactsPage *self,
                                                 gint64          id);
void           ob_contacts_page_reload          (ObContactsPage *self);
void           ob_contacts_page_check_domains   (ObContactsPage *self);
gboolean       ob_contacts_page_is_busy         (ObContactsPage *self);
void           ob_contacts_page_export_to       (ObContactsPage *self,
                                                 const char     *path);

G_END_DECLS
