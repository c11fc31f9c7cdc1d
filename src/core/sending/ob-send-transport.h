/* ob-send-transport.h — the seam between the send engine and SMTP
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OB_SEND_TRANSPORT_ERROR (ob_send_transport_error_quark ())

/* Connection-level failures: no recipient got a verdict. */
typedef enum
{
  OB_SEND_TRANSPORT_ERROR_TEMPORARY, /* try again later (connection refused, 421, timeout before DATA) */
  OB_SEND_TRANSPORT_ERROR_AUTH,      /* the server refused the login */
  OB_SEND_TRANSPORT_ERROR_TLS,       /* TLS could not be set up or the certificate is not trusted */
  OB_SEND_TRANSPORT_ERROR_UNCERTAIN, /* lost after the message was handed over: it may have gone */
} ObSendTransportError;

GQuark ob_send_transport_error_quark (void);

/* The server's answer for one recipient. */
typedef struct
{
  char *recipient;
  int   code;     /* 250, 550, 452… */
  char *enhanced; /* "5.1.1", or NULL */
  char *text;     /* the rest of the reply line(s) */
} ObRecipientResult;

ObRecipientResult *ob_recipient_result_new  (const char        *recipient,
                                             int                code,
                                             const char        *enhanced,
                                             const char        *text);
void               ob_recipient_result_free (ObRecipientResult *result);
char              *ob_recipient_result_to_string (const ObRecipientResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObRecipientResult, ob_recipient_result_free)

#define OB_TYPE_SEND_TRANSPORT (ob_send_transport_get_type ())

G_DECLARE_INTERFACE (ObSendTransport, ob_send_transport, OB, SEND_TRANSPORT, GObject)

struct _ObSendTransportInterface
{
  GTypeInterface parent_iface;

  void       (*send_async)  (ObSendTransport      *self,
                             gint64                account_id,
                             const char           *mail_from,
                             const char * const   *recipients,
                             GBytes               *message,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data);
  GPtrArray *(*send_finish) (ObSendTransport      *self,
                             GAsyncResult         *result,
                             GError              **error);
  /* Optional: the engine stopped; let go of connections. */
  void       (*close)       (ObSendTransport      *self);
};

void       ob_send_transport_send_async  (ObSendTransport      *self,
                                          gint64                account_id,
                                          const char           *mail_from,
                                          const char * const   *recipients,
                                          GBytes               *message,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray *ob_send_transport_send_finish (ObSendTransport      *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void       ob_send_transport_close       (ObSendTransport      *self);

G_END_DECLS
