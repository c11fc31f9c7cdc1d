/* ob-account-server-settings.h — the SMTP, IMAP and login fields of an
 * account, shared by the setup assistant and the account editor.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-account.h"

G_BEGIN_DECLS

#define OB_TYPE_ACCOUNT_SERVER_SETTINGS (ob_account_server_settings_get_type ())

G_DECLARE_FINAL_TYPE (ObAccountServerSettings, ob_account_server_settings, OB, ACCOUNT_SERVER_SETTINGS, AdwBin)

GtkWidget *ob_account_server_settings_new         (void);
/* Shows the servers and login name of @account. */
void       ob_account_server_settings_set_account (ObAccountServerSettings  *self,
                                                   ObAccount                *account);
/* Checks the fields and writes them into @account; on error @account is
 * unchanged and the message says which field to fix. */
gboolean   ob_account_server_settings_apply       (ObAccountServerSettings  *self,
                                                   ObAccount                *account,
                                                   GError                  **error);

G_END_DECLS
