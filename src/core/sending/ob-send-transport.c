/* ob-send-transport.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-send-transport.h"

G_DEFINE_QUARK (ob-send-transport-error-quark, ob_send_transport_error)

G_DEFINE_INTERFACE (ObSendTransport, ob_send_transport, G_TYPE_OBJECT)

static void
ob_send_transport_default_init (ObSendTransportInterface *iface)
{
}

ObRecipientResult *
ob_recipient_result_new (const char *recipient,
                         int         code,
                         const char *enhanced,
                         const char *text)
{
  ObRecipientResult *result = g_new0 (ObRecipientResult, 1);

  result->recipient = g_strdup (recipient);
  result->code = code;
  result->enhanced = g_strdup (enhanced);
  result->text = g_strdup (text);
  return result;
}

void
ob_recipient_result_free (ObRecipientResult *result)
{
  if (result == NULL)
    return;
  g_free (result->recipient);
  g_free (result->enhanced);
  g_free (result->text);
  g_free (result);
}

/* "550 5.1.1 User unknown", as the log shows it. */
char *
ob_recipient_result_to_string (const ObRecipientResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  return g_strdup_printf ("%d%s%s%s%s", result->code,
                          result->enhanced ? " " : "", result->enhanced ? result->enhanced : "",
                          result->text ? " " : "", result->text ? result->text : "");
}

/* Hands @message to the server of @account_id for @recipients. The
 * result is a GPtrArray of ObRecipientResult, one per recipient, in order;
 * an error means no recipient got a verdict (OB_SEND_TRANSPORT_ERROR). */
void
ob_send_transport_send_async (ObSendTransport     *self,
                              gint64               account_id,
                              const char          *mail_from,
                              const char * const  *recipients,
                              GBytes              *message,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OB_IS_SEND_TRANSPORT (self));
  g_return_if_fail (recipients != NULL && recipients[0] != NULL);
  g_return_if_fail (message != NULL);

  OB_SEND_TRANSPORT_GET_IFACE (self)->send_async (self, account_id, mail_from, recipients,
                                                  message, cancellable, callback, user_data);
}

GPtrArray *
ob_send_transport_send_finish (ObSendTransport  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (OB_IS_SEND_TRANSPORT (self), NULL);

  return OB_SEND_TRANSPORT_GET_IFACE (self)->send_finish (self, result, error);
}

/* The engine stopped: the transport may close its connections (QUIT). */
void
ob_send_transport_close (ObSendTransport *self)
{
  ObSendTransportInterface *iface;

  g_return_if_fail (OB_IS_SEND_TRANSPORT (self));

  iface = OB_SEND_TRANSPORT_GET_IFACE (self);
  if (iface->close != NULL)
    iface->close (self);
}
