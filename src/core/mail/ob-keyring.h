/* ob-keyring.h — account passwords in the system keyring (libsecret's
 * simple password API; the Secret portal inside Flatpak).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OB_KEYRING_SCHEMA_NAME "io.github.outboundapp.Outbound.Account"

void      ob_keyring_store_password_async   (gint64               account_id,
                                             const char          *label,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  ob_keyring_store_password_finish  (GAsyncResult        *result,
                                             GError             **error);
/* The password; an OB_MAIL_ERROR_NOT_FOUND error when none is stored.
 * Free it with ob_keyring_password_free(). */
void      ob_keyring_lookup_password_async  (gint64               account_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char     *ob_keyring_lookup_password_finish (GAsyncResult        *result,
                                             GError             **error);
/* Succeeds when there was nothing to clear. */
void      ob_keyring_clear_password_async   (gint64               account_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  ob_keyring_clear_password_finish  (GAsyncResult        *result,
                                             GError             **error);
/* Wipes and frees a password. */
void      ob_keyring_password_free          (char                *password);

G_END_DECLS
