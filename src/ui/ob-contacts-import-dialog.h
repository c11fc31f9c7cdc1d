/* ob-contacts-import-dialog.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-import-report.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACTS_IMPORT_DIALOG (ob_contacts_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ObContactsImportDialog, ob_contacts_import_dialog, OB, CONTACTS_IMPORT_DIALOG, AdwWindow)

ObContactsImportDialog *ob_contacts_import_dialog_new        (GtkWindow              *parent,
                                                              ObStore                *store,
                                                              GFile                  *file);
const char             *ob_contacts_import_dialog_get_state  (ObContactsImportDialog *self);
const ObImportReport   *ob_contacts_import_dialog_get_report (ObContactsImportDialog *self);
guint                   ob_contacts_import_dialog_get_n_columns (ObContactsImportDialog *self);
void                    ob_contacts_import_dialog_set_mapping (ObContactsImportDialog *self,
                                                               guint                   column,
                                                               int                     field);
int                     ob_contacts_import_dialog_get_mapping (ObContactsImportDialog *self,
                                                               guint                   column);

G_END_DECLS
