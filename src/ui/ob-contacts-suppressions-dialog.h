/* ob-contacts-suppressions-dialog.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACTS_SUPPRESSIONS_DIALOG (ob_contacts_suppressions_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ObContactsSuppressionsDialog, ob_contacts_suppressions_dialog, OB,
                      CONTACTS_SUPPRESSIONS_DIALOG, AdwWindow)

GtkWidget *ob_contacts_suppressions_dialog_new    (GtkWindow                    *parent,
                                                   ObStore                      *store);
gboolean   ob_contacts_suppressions_dialog_add    (ObContactsSuppressionsDialog *self,
                                                   const char                   *entry,
                                                   GError                      **error);
guint      ob_contacts_suppressions_dialog_get_n_shown (ObContactsSuppressionsDialog *self);

G_END_DECLS
