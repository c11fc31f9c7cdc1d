/* ob-mail-transport.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail-transport"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-account.h"
#include "ob-keyring.h"
#include "ob-mail-sender.h"
#include "ob-mail-transport.h"

/* ObSendTransport over ObMailSender. Each account gets one sender, made on
 * its first message with the password from the keyring, and kept: the
 * SMTP connection stays open across messages (the client sends RSET
 * between transactions) until the engine stops or the server drops it.
 *
 * Connection-level failures become OB_SEND_TRANSPORT_ERROR codes. The
 * sender's protocol trace tells whether DATA had gone out: a connection
 * lost after that may have delivered the message, so it is UNCERTAIN and
 * never silently retried. */

typedef struct
{
  ObMailSender *sender;
  guint         sent;      /* transactions finished on this sender */
  gboolean      data_sent; /* the current transaction got as far as DATA */
} Conn;

struct _ObMailTransport
{
  GObject     parent_instance;

  ObStore    *store;
  GHashTable *conns; /* gint64* account id → Conn */
};

static void ob_mail_transport_iface_init (ObSendTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObMailTransport, ob_mail_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_SEND_TRANSPORT,
                                                      ob_mail_transport_iface_init))

typedef struct
{
  gint64   account_id;
  GStrv    recipients;
  GBytes  *message;
  gboolean retried;
} SendData;

static void
send_data_free (SendData *data)
{
  g_strfreev (data->recipients);
  g_bytes_unref (data->message);
  g_free (data);
}

static void
conn_free (Conn *conn)
{
  g_clear_object (&conn->sender);
  g_free (conn);
}

static void
trace_cb (gboolean    from_client,
          const char *line,
          gpointer    user_data)
{
  Conn *conn = user_data;

  if (from_client && g_ascii_strcasecmp (line, "DATA") == 0)
    conn->data_sent = TRUE;
}

/* A connection-level mail error in the engine's words. */
static GError *
map_error (const GError *error,
           gboolean      data_sent)
{
  ObSendTransportError code = OB_SEND_TRANSPORT_ERROR_TEMPORARY;

  if (error->domain == OB_MAIL_ERROR)
    {
      switch ((ObMailError) error->code)
        {
        case OB_MAIL_ERROR_AUTH:
        case OB_MAIL_ERROR_KEYRING:
          code = OB_SEND_TRANSPORT_ERROR_AUTH;
          break;
        case OB_MAIL_ERROR_TLS:
        case OB_MAIL_ERROR_NO_STARTTLS:
          code = OB_SEND_TRANSPORT_ERROR_TLS;
          break;
        default:
          code = OB_SEND_TRANSPORT_ERROR_TEMPORARY;
          break;
        }
    }

  /* Lost once the message was on its way: it may have been delivered. */
  if (data_sent && code == OB_SEND_TRANSPORT_ERROR_TEMPORARY)
    code = OB_SEND_TRANSPORT_ERROR_UNCERTAIN;

  return g_error_new_literal (OB_SEND_TRANSPORT_ERROR, code, error->message);
}

/* Errors about the message or an address rather than the connection get a
 * per-recipient verdict, so the engine classifies them like a reply. */
static GPtrArray *
error_as_results (const GError       *error,
                  const char * const *recipients)
{
  int code;
  const char *enhanced;

  if (error->domain != OB_MAIL_ERROR)
    return NULL;
  switch ((ObMailError) error->code)
    {
    case OB_MAIL_ERROR_INVALID:     /* the address cannot be sent to at all */
      code = 553;
      enhanced = "5.1.3";
      break;
    case OB_MAIL_ERROR_UNSUPPORTED: /* e.g. a non-Latin address without SMTPUTF8 */
      code = 553;
      enhanced = "5.6.7";
      break;
    case OB_MAIL_ERROR_REJECTED:    /* the sender refused for good (5xx to MAIL FROM) */
      code = 550;
      enhanced = NULL;
      break;
    default:
      return NULL;
    }

  {
    GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_recipient_result_free);

    for (guint i = 0; recipients[i] != NULL; i++)
      g_ptr_array_add (results, ob_recipient_result_new (recipients[i], code, enhanced, error->message));
    return results;
  }
}

static GPtrArray *
results_from_smtp (const ObSmtpSendResult *result)
{
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_recipient_result_free);

  for (guint i = 0; i < result->recipients->len; i++)
    {
      const ObSmtpRecipientResult *r = g_ptr_array_index (result->recipients, i);
      const ObSmtpReply *reply = ob_smtp_send_result_get_final_reply (result, i);

      if (reply == NULL)
        reply = result->mail_reply;
      if (reply == NULL)
        g_ptr_array_add (results, ob_recipient_result_new (r->address, 451, NULL,
                                                           "no reply from the server"));
      else
        g_ptr_array_add (results, ob_recipient_result_new (r->address, (int) reply->code,
                                                           reply->enhanced, reply->text));
    }
  return results;
}

static void start_send (GTask *task, Conn *conn);

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObMailTransport *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(ObSmtpSendResult) res = NULL;
  g_autoptr(GError) error = NULL;
  Conn *conn = g_hash_table_lookup (self->conns, &data->account_id);
  gboolean data_sent = conn != NULL && conn->data_sent;

  res = ob_mail_sender_send_finish (OB_MAIL_SENDER (object), result, &error);
  if (res == NULL && conn != NULL && conn->sent > 0 && !data_sent && !data->retried &&
      (g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED) ||
       g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_TIMEOUT)))
    {
      /* A kept-open connection the server let go while idle: nothing of
       * this message reached it, so try once on a fresh connection. */
      g_debug ("Account %" G_GINT64_FORMAT ": reconnecting (%s)", data->account_id, error->message);
      data->retried = TRUE;
      start_send (g_steal_pointer (&task), conn);
      return;
    }
  if (conn != NULL)
    conn->sent++;
  if (res == NULL)
    {
      GPtrArray *results = error_as_results (error, (const char * const *) data->recipients);

      if (results != NULL && !data_sent)
        {
          g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
          return;
        }
      g_clear_pointer (&results, g_ptr_array_unref);
      g_debug ("Account %" G_GINT64_FORMAT ": %s", data->account_id, error->message);
      g_task_return_error (task, map_error (error, data_sent));
      return;
    }

  g_task_return_pointer (task, results_from_smtp (res), (GDestroyNotify) g_ptr_array_unref);
}

static void
start_send (GTask *task,
            Conn  *conn)
{
  SendData *data = g_task_get_task_data (task);

  conn->data_sent = FALSE;
  ob_mail_sender_send_async (conn->sender, (const char * const *) data->recipients, data->message,
                             g_task_get_cancellable (task), sent_cb, task);
}

static Conn *
add_conn (ObMailTransport *self,
          gint64           account_id,
          ObAccount       *account,
          const char      *password)
{
  Conn *conn = g_new0 (Conn, 1);
  gint64 *key = g_new (gint64, 1);

  *key = account_id;
  conn->sender = ob_mail_sender_new (account, password);
  ob_mail_sender_set_trace_func (conn->sender, trace_cb, conn, NULL);
  g_hash_table_replace (self->conns, key, conn);
  return conn;
}

static void
password_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ObMailTransport *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAccount) account = NULL;
  char *password;
  Conn *conn;

  password = ob_keyring_lookup_password_finish (result, &error);
  if (password == NULL && !g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND))
    {
      g_task_return_new_error (task, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH,
                               _("The password of account %lld could not be read from the keyring: %s"),
                               (long long) data->account_id, error->message);
      g_object_unref (task);
      return;
    }
  /* No stored password: a server without login. */

  account = ob_account_store_get (self->store, data->account_id, &error);
  if (account == NULL)
    {
      if (password != NULL)
        ob_keyring_password_free (password);
      g_task_return_new_error (task, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH,
                               "%s", error->message);
      g_object_unref (task);
      return;
    }

  conn = g_hash_table_lookup (self->conns, &data->account_id);
  if (conn == NULL)
    conn = add_conn (self, data->account_id, account, password);
  if (password != NULL)
    ob_keyring_password_free (password);
  start_send (task, conn);
}

static void
ob_mail_transport_send_async (ObSendTransport     *transport,
                              gint64               account_id,
                              const char          *mail_from,
                              const char * const  *recipients,
                              GBytes              *message,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ObMailTransport *self = OB_MAIL_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SendData *data = g_new0 (SendData, 1);
  g_autoptr(ObAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  Conn *conn;

  g_task_set_source_tag (task, ob_mail_transport_send_async);
  data->account_id = account_id;
  data->recipients = g_strdupv ((char **) recipients);
  data->message = g_bytes_ref (message);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  conn = g_hash_table_lookup (self->conns, &account_id);
  if (conn != NULL)
    {
      start_send (task, conn);
      return;
    }

  account = ob_account_store_get (self->store, account_id, &error);
  if (account == NULL)
    {
      g_task_return_new_error (task, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH,
                               "%s", error->message);
      g_object_unref (task);
      return;
    }
  if (ob_account_is_dry_run (account))
    {
      start_send (task, add_conn (self, account_id, account, NULL));
      return;
    }
  ob_keyring_lookup_password_async (account_id, cancellable, password_cb, task);
}

static GPtrArray *
ob_mail_transport_send_finish (ObSendTransport  *transport,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
quit_one_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  guint *pending = g_task_get_task_data (task);

  if (!ob_mail_sender_close_finish (OB_MAIL_SENDER (object), result, &error))
    g_debug ("QUIT: %s", error->message);
  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

void
ob_mail_transport_close_async (ObMailTransport     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) conns = NULL;
  GHashTableIter iter;
  Conn *conn;
  guint *pending = g_new0 (guint, 1);

  g_return_if_fail (OB_IS_MAIL_TRANSPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_mail_transport_close_async);
  g_task_set_task_data (task, pending, g_free);

  /* The senders leave the table now; a later send opens a new connection. */
  conns = g_steal_pointer (&self->conns);
  self->conns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) conn_free);

  *pending = 1;
  g_hash_table_iter_init (&iter, conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      ob_mail_sender_set_trace_func (conn->sender, NULL, NULL, NULL);
      (*pending)++;
      ob_mail_sender_close_async (conn->sender, cancellable, quit_one_cb, g_object_ref (task));
    }
  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

gboolean
ob_mail_transport_close_finish (ObMailTransport  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ob_mail_transport_close (ObSendTransport *transport)
{
  ob_mail_transport_close_async (OB_MAIL_TRANSPORT (transport), NULL, NULL, NULL);
}

guint
ob_mail_transport_count_open (ObMailTransport *self)
{
  g_return_val_if_fail (OB_IS_MAIL_TRANSPORT (self), 0);
  return g_hash_table_size (self->conns);
}

static void
ob_mail_transport_iface_init (ObSendTransportInterface *iface)
{
  iface->send_async = ob_mail_transport_send_async;
  iface->send_finish = ob_mail_transport_send_finish;
  iface->close = ob_mail_transport_close;
}

static void
ob_mail_transport_finalize (GObject *object)
{
  ObMailTransport *self = OB_MAIL_TRANSPORT (object);

  g_clear_pointer (&self->conns, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ob_mail_transport_parent_class)->finalize (object);
}

static void
ob_mail_transport_class_init (ObMailTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_mail_transport_finalize;
}

static void
ob_mail_transport_init (ObMailTransport *self)
{
  self->conns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) conn_free);
}

ObMailTransport *
ob_mail_transport_new (ObStore *store)
{
  ObMailTransport *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_MAIL_TRANSPORT, NULL);
  self->store = g_object_ref (store);
  return self;
}
