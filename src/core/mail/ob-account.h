/* ob-account.h — a sending account: a row of the accounts table. It holds
 * no secret; the password lives in the keyring (ob-keyring.h).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-mail.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_ACCOUNT (ob_account_get_type ())

G_DECLARE_FINAL_TYPE (ObAccount, ob_account, OB, ACCOUNT, GObject)

ObAccount      *ob_account_new               (const char     *email);
/* A new account for @email with the settings of its provider preset
 * (found by the address's domain), or NULL when none matches. */
ObAccount      *ob_account_new_from_preset   (const char     *email,
                                              const char     *provider_id);

gint64          ob_account_get_id            (ObAccount      *self);
const char     *ob_account_get_email         (ObAccount      *self);
const char     *ob_account_get_display_name  (ObAccount      *self);
void            ob_account_set_display_name  (ObAccount      *self,
                                              const char     *name);
/* The login name; the email address when none was set. */
const char     *ob_account_get_username      (ObAccount      *self);
void            ob_account_set_username      (ObAccount      *self,
                                              const char     *username);
const char     *ob_account_get_provider      (ObAccount      *self);
void            ob_account_set_provider      (ObAccount      *self,
                                              const char     *provider_id);
const char     *ob_account_get_smtp_host     (ObAccount      *self);
guint16         ob_account_get_smtp_port     (ObAccount      *self);
ObMailSecurity  ob_account_get_smtp_security (ObAccount      *self);
void            ob_account_set_smtp          (ObAccount      *self,
                                              const char     *host,
                                              guint16         port,
                                              ObMailSecurity  security);
/* NULL when the account has no IMAP server. */
const char     *ob_account_get_imap_host     (ObAccount      *self);
guint16         ob_account_get_imap_port     (ObAccount      *self);
ObMailSecurity  ob_account_get_imap_security (ObAccount      *self);
void            ob_account_set_imap          (ObAccount      *self,
                                              const char     *host,
                                              guint16         port,
                                              ObMailSecurity  security);
const char     *ob_account_get_ca_file       (ObAccount      *self);
void            ob_account_set_ca_file       (ObAccount      *self,
                                              const char     *ca_file);
const char     *ob_account_get_dry_run_dir   (ObAccount      *self);
/* Makes the account a dry run: no network, each message an .eml in @dir. */
void            ob_account_set_dry_run_dir   (ObAccount      *self,
                                              const char     *dir);
gboolean        ob_account_is_dry_run        (ObAccount      *self);
guint           ob_account_get_daily_limit   (ObAccount      *self);
void            ob_account_set_daily_limit   (ObAccount      *self,
                                              guint           limit);
const char     *ob_account_get_reply_to      (ObAccount      *self);
void            ob_account_set_reply_to      (ObAccount      *self,
                                              const char     *reply_to);
const char     *ob_account_get_signature     (ObAccount      *self);
void            ob_account_set_signature     (ObAccount      *self,
                                              const char     *signature);
gint64          ob_account_get_created_at    (ObAccount      *self);

/* Storage (the accounts table). */
gint64          ob_account_store_add         (ObStore        *store,
                                              ObAccount      *account,
                                              GError        **error);
gboolean        ob_account_store_update      (ObStore        *store,
                                              ObAccount      *account,
                                              GError        **error);
ObAccount      *ob_account_store_get         (ObStore        *store,
                                              gint64          id,
                                              GError        **error);
/* Every account, by id. */
GPtrArray      *ob_account_store_list        (ObStore        *store,
                                              GError        **error);
/* Deletes the row only; ob_account_store_remove_async also clears the
 * secret (first: a keyring that fails leaves the account as it was). */
gboolean        ob_account_store_delete      (ObStore        *store,
                                              gint64          id,
                                              GError        **error);
void            ob_account_store_remove_async  (ObStore             *store,
                                                gint64               id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        ob_account_store_remove_finish (GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
