/* ob-mail-sender.h — sends messages for one account: over SMTP (one
 * connection kept open for several messages), or, for a dry-run account,
 * into .eml files. Never retries by itself: a failure is the caller's to
 * schedule.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-account.h"
#include "ob-smtp-client.h"

G_BEGIN_DECLS

#define OB_TYPE_MAIL_SENDER (ob_mail_sender_get_type ())

G_DECLARE_FINAL_TYPE (ObMailSender, ob_mail_sender, OB, MAIL_SENDER, GObject)

/* @password may be NULL for a dry-run account or a server without login. */
ObMailSender     *ob_mail_sender_new             (ObAccount            *account,
                                                  const char           *password);
ObAccount        *ob_mail_sender_get_account     (ObMailSender         *self);
void              ob_mail_sender_set_trace_func  (ObMailSender         *self,
                                                  ObMailTraceFunc       func,
                                                  gpointer              user_data,
                                                  GDestroyNotify        destroy);
void              ob_mail_sender_set_timeouts    (ObMailSender         *self,
                                                  const ObSmtpTimeouts *timeouts);
/* Sends @message (RFC 5322 text) from the account's address to @recipients. */
void              ob_mail_sender_send_async      (ObMailSender         *self,
                                                  const char * const   *recipients,
                                                  GBytes               *message,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
ObSmtpSendResult *ob_mail_sender_send_finish     (ObMailSender         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* The file the last dry-run message went to, or NULL. */
const char       *ob_mail_sender_get_last_file   (ObMailSender         *self);
/* QUIT, when a connection is open. */
void              ob_mail_sender_close_async     (ObMailSender         *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean          ob_mail_sender_close_finish    (ObMailSender         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
