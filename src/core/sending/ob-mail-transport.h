/* ob-mail-transport.h — the send engine's transport over the mail area's
 * ObMailSender: one kept-open connection per account
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-send-transport.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_MAIL_TRANSPORT (ob_mail_transport_get_type ())

G_DECLARE_FINAL_TYPE (ObMailTransport, ob_mail_transport, OB, MAIL_TRANSPORT, GObject)

ObMailTransport *ob_mail_transport_new          (ObStore             *store);
/* How many connections (one per account) are open now. */
guint            ob_mail_transport_count_open   (ObMailTransport     *self);
/* QUIT on every open connection; the senders are dropped. */
void             ob_mail_transport_close_async  (ObMailTransport     *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         ob_mail_transport_close_finish (ObMailTransport     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
