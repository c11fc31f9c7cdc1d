/* ob-mail-conn.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail-conn"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "ob-mail-conn-private.h"

#define READ_CHUNK 16384
#define DEFAULT_MAX_LINE (64 * 1024)

struct _ObMailConn
{
  char                 *host;
  guint16               port;
  char                 *ca_file;
  char                 *log_domain;
  gsize                 max_line;

  ObMailTraceFunc       trace_func;
  gpointer              trace_data;

  GSocketConnection    *socket_conn;
  GIOStream            *io;       /* socket_conn, or the TLS connection over it */
  GInputStream         *in;
  GOutputStream        *out;
  GByteArray           *rbuf;     /* read but not yet consumed */
  GTlsCertificateFlags  peer_errors;
  gboolean              extra_ca_used;
  ObMailTlsInfo        *tls_info;
};

typedef struct
{
  ObMailConn   *conn;
  GCancellable *cancellable;  /* ours: the timeout and the caller's cancellable cancel it */
  GCancellable *outer;
  gulong        outer_id;
  guint         timeout_id;
  gboolean      timed_out;
  gboolean      connecting;
  gsize         count;        /* read_bytes: how many */
  GBytes       *data;         /* write: what */
} Op;

static void
op_free (Op *op)
{
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  if (op->outer != NULL && op->outer_id != 0)
    g_cancellable_disconnect (op->outer, op->outer_id);
  g_clear_object (&op->outer);
  g_clear_object (&op->cancellable);
  g_clear_pointer (&op->data, g_bytes_unref);
  g_free (op);
}

static gboolean
op_timeout_cb (gpointer user_data)
{
  Op *op = user_data;

  op->timeout_id = 0;
  op->timed_out = TRUE;
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static GTask *
op_task_new (ObMailConn          *conn,
             guint                timeout_ms,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->conn = conn;
  op->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      op->outer = g_object_ref (cancellable);
      op->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                            g_object_ref (op->cancellable), g_object_unref);
    }
  if (timeout_ms > 0)
    op->timeout_id = g_timeout_add (timeout_ms, op_timeout_cb, op);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  return task;
}

/* Turns an I/O error into one of ours, in words a salesperson can act on. */
static void
op_return_error (GTask  *task,
                 GError *error)
{
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;
  GError *ours;

  if (op->timed_out)
    ours = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_TIMEOUT,
                        _("The server %s did not answer in time. Try again later, or check the server name and port."),
                        conn->host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == OB_MAIL_ERROR)
    {
      g_task_return_error (task, error);
      return;
    }
  else if (op->connecting && error->domain != G_TLS_ERROR)
    ours = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_CONNECT,
                        _("Could not connect to %s port %u: %s. Check the server name and port, and the internet connection."),
                        conn->host, conn->port, error->message);
  else if (error->domain == G_TLS_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    ours = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_TLS,
                        _("The secure connection (TLS) to %s failed: %s"),
                        conn->host, error->message);
  else
    ours = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                        _("The connection to %s broke: %s. Try again later."),
                        conn->host, error->message);

  g_error_free (error);
  g_task_return_error (task, ours);
}

void
_ob_mail_conn_trace (ObMailConn *conn,
                     gboolean    from_client,
                     const char *line)
{
  g_log_structured (conn->log_domain, G_LOG_LEVEL_DEBUG,
                    "MESSAGE", "%s %s", from_client ? "C:" : "S:", line);
  if (conn->trace_func != NULL)
    conn->trace_func (from_client, line, conn->trace_data);
}

ObMailConn *
_ob_mail_conn_new (const char *host,
                   guint16     port,
                   const char *ca_file,
                   const char *log_domain)
{
  ObMailConn *conn = g_new0 (ObMailConn, 1);

  conn->host = g_strdup (host);
  conn->port = port;
  conn->ca_file = ca_file && *ca_file ? g_canonicalize_filename (ca_file, NULL) : NULL;
  conn->log_domain = g_strdup (log_domain);
  conn->max_line = DEFAULT_MAX_LINE;
  conn->rbuf = g_byte_array_new ();

  return conn;
}

void
_ob_mail_conn_close (ObMailConn *conn)
{
  if (conn->io != NULL)
    g_io_stream_close_async (conn->io, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  conn->in = NULL;
  conn->out = NULL;
  g_clear_object (&conn->io);
  g_clear_object (&conn->socket_conn);
  g_byte_array_set_size (conn->rbuf, 0);
}

void
_ob_mail_conn_free (ObMailConn *conn)
{
  if (conn == NULL)
    return;
  _ob_mail_conn_close (conn);
  g_byte_array_unref (conn->rbuf);
  g_clear_pointer (&conn->tls_info, ob_mail_tls_info_free);
  g_free (conn->host);
  g_free (conn->ca_file);
  g_free (conn->log_domain);
  g_free (conn);
}

void
_ob_mail_trace_set (ObMailTrace     *trace,
                    ObMailTraceFunc  func,
                    gpointer         user_data,
                    GDestroyNotify   destroy)
{
  _ob_mail_trace_clear (trace);
  trace->func = func;
  trace->data = user_data;
  trace->destroy = destroy;
}

void
_ob_mail_trace_clear (ObMailTrace *trace)
{
  if (trace->destroy != NULL)
    trace->destroy (trace->data);
  trace->func = NULL;
  trace->data = NULL;
  trace->destroy = NULL;
}

void
_ob_mail_trace_cb (gboolean    from_client,
                   const char *line,
                   gpointer    user_data)
{
  ObMailTrace *trace = user_data;

  if (trace->func != NULL)
    trace->func (from_client, line, trace->data);
}

void
_ob_mail_conn_set_trace (ObMailConn      *conn,
                         ObMailTraceFunc  func,
                         gpointer         user_data)
{
  conn->trace_func = func;
  conn->trace_data = user_data;
}

void
_ob_mail_conn_set_max_line (ObMailConn *conn,
                            gsize       max_line)
{
  conn->max_line = max_line;
}

gboolean
_ob_mail_conn_is_connected (ObMailConn *conn)
{
  return conn->io != NULL;
}

gboolean
_ob_mail_conn_is_tls (ObMailConn *conn)
{
  return conn->io != NULL && G_IS_TLS_CONNECTION (conn->io);
}

const ObMailTlsInfo *
_ob_mail_conn_get_tls_info (ObMailConn *conn)
{
  return conn->tls_info;
}

const char *
_ob_mail_conn_get_host (ObMailConn *conn)
{
  return conn->host;
}

char *
_ob_mail_conn_dup_local_literal (ObMailConn *conn)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *text = NULL;
  GInetAddress *inet;

  if (conn->socket_conn == NULL)
    return NULL;
  local = g_socket_connection_get_local_address (conn->socket_conn, NULL);
  if (local == NULL || !G_IS_INET_SOCKET_ADDRESS (local))
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  text = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", text);
  return g_strdup_printf ("[%s]", text);
}

static void
set_streams (ObMailConn *conn,
             GIOStream  *io)
{
  g_set_object (&conn->io, io);
  conn->in = g_io_stream_get_input_stream (io);
  conn->out = g_io_stream_get_output_stream (io);
}

/* TLS */

static char *
describe_certificate_flags (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (parts, (gpointer) _("it is not signed by a trusted authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (parts, (gpointer) _("it is for another server name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (parts, (gpointer) _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (parts, (gpointer) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (parts, (gpointer) _("it was revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (parts, (gpointer) _("it uses insecure cryptography"));
  if (parts->len == 0)
    g_ptr_array_add (parts, (gpointer) _("it could not be checked"));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (", ", (char **) parts->pdata);
}

static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       ObMailConn           *conn)
{
  g_autoptr(GTlsDatabase) db = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  conn->peer_errors = errors;

  /* The system store said no; the account's own CA may still vouch for it.
   * Never anything looser than a full chain and name check. */
  if (conn->ca_file == NULL)
    return FALSE;

  db = g_tls_file_database_new (conn->ca_file, &error);
  if (db == NULL)
    {
      g_warning ("CA file %s: %s", conn->ca_file, error->message);
      return FALSE;
    }

  identity = g_network_address_new (conn->host, conn->port);
  flags = g_tls_database_verify_chain (db, peer, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  if (error != NULL || flags != 0)
    {
      conn->peer_errors = error != NULL ? errors : flags;
      return FALSE;
    }

  conn->peer_errors = 0;
  conn->extra_ca_used = TRUE;
  return TRUE;
}

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *s = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  return s;
}

static void
fill_tls_info (ObMailConn     *conn,
               GTlsConnection *tls)
{
  ObMailTlsInfo *info = g_new0 (ObMailTlsInfo, 1);
  GTlsCertificate *peer = g_tls_connection_get_peer_certificate (tls);

  switch (g_tls_connection_get_protocol_version (tls))
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: info->protocol = g_strdup ("TLS 1.0"); break;
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: info->protocol = g_strdup ("TLS 1.1"); break;
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: info->protocol = g_strdup ("TLS 1.2"); break;
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: info->protocol = g_strdup ("TLS 1.3"); break;
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: info->protocol = g_strdup ("SSL 3.0"); break;
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      info->protocol = g_strdup ("TLS");
      break;
    }
  info->ciphersuite = g_tls_connection_get_ciphersuite_name (tls);
  info->extra_ca = conn->extra_ca_used;

  if (peer != NULL)
    {
      g_autoptr(GByteArray) der = NULL;
      gnutls_x509_crt_t crt;

      g_object_get (peer, "certificate", &der, NULL);
      if (der != NULL && gnutls_x509_crt_init (&crt) == GNUTLS_E_SUCCESS)
        {
          gnutls_datum_t in = { der->data, der->len };
          gnutls_datum_t out = { NULL, 0 };

          if (gnutls_x509_crt_import (crt, &in, GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS)
            {
              if (gnutls_x509_crt_get_issuer_dn2 (crt, &out) == GNUTLS_E_SUCCESS)
                info->issuer = datum_to_string (&out);
              if (gnutls_x509_crt_get_dn2 (crt, &out) == GNUTLS_E_SUCCESS)
                info->subject = datum_to_string (&out);
              info->not_before = gnutls_x509_crt_get_activation_time (crt);
              info->not_after = gnutls_x509_crt_get_expiration_time (crt);
            }
          gnutls_x509_crt_deinit (crt);
        }
    }

  g_clear_pointer (&conn->tls_info, ob_mail_tls_info_free);
  conn->tls_info = info;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;
  GTlsConnection *tls = G_TLS_CONNECTION (object);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      if (conn->peer_errors != 0 && !op->timed_out &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *why = describe_certificate_flags (conn->peer_errors);

          g_clear_error (&error);
          error = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_TLS,
                               _("The certificate of %s is not trusted: %s. Nothing was sent. Check the server name; if your company uses its own certificate authority, add its CA file to the account."),
                               conn->host, why);
        }
      op_return_error (task, error);
      return;
    }

  set_streams (conn, G_IO_STREAM (tls));
  fill_tls_info (conn, tls);
  g_task_return_boolean (task, TRUE);
}

static void
start_tls (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (conn->host, conn->port);
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  conn->peer_errors = 0;
  conn->extra_ca_used = FALSE;

  if (conn->ca_file != NULL && !g_file_test (conn->ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("The CA file “%s” does not exist. Fix the path in the account settings."),
                               conn->ca_file);
      g_object_unref (task);
      return;
    }

  tls = g_tls_client_connection_new (G_IO_STREAM (conn->socket_conn), identity, &error);
  if (tls == NULL)
    {
      op_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), conn);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    op->cancellable, handshake_cb, task);
}

/* Connect */

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;
  GError *error = NULL;
  GSocketConnection *sc;

  sc = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (sc == NULL)
    {
      op_return_error (task, error);
      return;
    }

  conn->socket_conn = sc;
  set_streams (conn, G_IO_STREAM (sc));
  op->connecting = FALSE;

  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "implicit-tls")))
    start_tls (g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

void
_ob_mail_conn_connect_async (ObMailConn          *conn,
                             gboolean             implicit_tls,
                             guint                timeout_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = op_task_new (conn, timeout_ms, cancellable, callback, user_data,
                             _ob_mail_conn_connect_async);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  _ob_mail_conn_close (conn);
  g_clear_pointer (&conn->tls_info, ob_mail_tls_info_free);
  op->connecting = TRUE;
  g_object_set_data (G_OBJECT (task), "implicit-tls", GINT_TO_POINTER (implicit_tls));
  g_socket_client_connect_to_host_async (client, conn->host, conn->port,
                                         op->cancellable, connect_cb, task);
}

gboolean
_ob_mail_conn_connect_finish (ObMailConn    *conn,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_ob_mail_conn_starttls_async (ObMailConn          *conn,
                              guint                timeout_ms,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = op_task_new (conn, timeout_ms, cancellable, callback, user_data,
                             _ob_mail_conn_starttls_async);

  if (conn->socket_conn == NULL || _ob_mail_conn_is_tls (conn))
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                               _("The connection to %s is not in a state to start TLS."), conn->host);
      g_object_unref (task);
      return;
    }

  /* Anything the server sent after its go-ahead and before the handshake
   * could be an injected command: refuse rather than read it later. */
  if (conn->rbuf->len > 0)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_TLS,
                               _("%s sent data before the secure connection started; the connection was refused."),
                               conn->host);
      g_object_unref (task);
      return;
    }

  start_tls (task);
}

gboolean
_ob_mail_conn_starttls_finish (ObMailConn    *conn,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Write */

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    op_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_ob_mail_conn_write_async (ObMailConn          *conn,
                           GBytes              *data,
                           const char          *trace_text,
                           guint                timeout_ms,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = op_task_new (conn, timeout_ms, cancellable, callback, user_data,
                             _ob_mail_conn_write_async);
  Op *op = g_task_get_task_data (task);
  gsize size;
  const char *bytes = g_bytes_get_data (data, &size);

  if (conn->out == NULL)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                               _("The connection to %s is closed."), conn->host);
      g_object_unref (task);
      return;
    }

  if (trace_text != NULL)
    {
      if (*trace_text != '\0')
        _ob_mail_conn_trace (conn, TRUE, trace_text);
    }
  else
    {
      g_autofree char *copy = g_strndup (bytes, size);
      g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          gsize len = strlen (lines[i]);

          /* The text after the last newline is empty for whole lines. */
          if (lines[i + 1] == NULL && len == 0)
            break;
          if (len > 0 && lines[i][len - 1] == '\r')
            lines[i][len - 1] = '\0';
          _ob_mail_conn_trace (conn, TRUE, lines[i]);
        }
    }

  op->data = g_bytes_ref (data);
  g_output_stream_write_all_async (conn->out, bytes, size, G_PRIORITY_DEFAULT,
                                   op->cancellable, write_cb, task);
}

gboolean
_ob_mail_conn_write_finish (ObMailConn    *conn,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Read */

static void read_more (GTask *task);

static gboolean
try_complete (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;

  if (g_task_get_source_tag (task) == _ob_mail_conn_read_line_async)
    {
      guint8 *nl = conn->rbuf->len > 0 ? memchr (conn->rbuf->data, '\n', conn->rbuf->len) : NULL;
      gsize len;
      char *line;

      if (nl == NULL)
        {
          if (conn->rbuf->len > conn->max_line)
            {
              g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                       _("%s sent a line longer than %zu bytes; the connection was closed."),
                                       conn->host, conn->max_line);
              return TRUE;
            }
          return FALSE;
        }

      len = nl - conn->rbuf->data;
      line = g_strndup ((const char *) conn->rbuf->data, len > 0 && nl[-1] == '\r' ? len - 1 : len);
      g_byte_array_remove_range (conn->rbuf, 0, len + 1);
      _ob_mail_conn_trace (conn, FALSE, line);
      g_task_return_pointer (task, line, g_free);
      return TRUE;
    }
  else
    {
      GBytes *bytes;
      g_autofree char *note = NULL;

      if (conn->rbuf->len < op->count)
        return FALSE;

      bytes = g_bytes_new (conn->rbuf->data, op->count);
      g_byte_array_remove_range (conn->rbuf, 0, op->count);
      note = g_strdup_printf ("<%zu bytes>", op->count);
      _ob_mail_conn_trace (conn, FALSE, note);
      g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
      return TRUE;
    }
}

static void
read_more_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      op_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                               _("%s closed the connection unexpectedly. Try again later."),
                               conn->host);
      return;
    }

  g_byte_array_append (conn->rbuf, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!try_complete (task))
    read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  ObMailConn *conn = op->conn;

  if (conn->in == NULL)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                               _("The connection to %s is closed."), conn->host);
      g_object_unref (task);
      return;
    }

  g_input_stream_read_bytes_async (conn->in, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   op->cancellable, read_more_cb, task);
}

void
_ob_mail_conn_read_line_async (ObMailConn          *conn,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = op_task_new (conn, timeout_ms, cancellable, callback, user_data,
                             _ob_mail_conn_read_line_async);

  if (try_complete (task))
    g_object_unref (task);
  else
    read_more (task);
}

char *
_ob_mail_conn_read_line_finish (ObMailConn    *conn,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_ob_mail_conn_read_bytes_async (ObMailConn          *conn,
                                gsize                count,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = op_task_new (conn, timeout_ms, cancellable, callback, user_data,
                             _ob_mail_conn_read_bytes_async);
  Op *op = g_task_get_task_data (task);

  op->count = count;
  if (try_complete (task))
    g_object_unref (task);
  else
    read_more (task);
}

GBytes *
_ob_mail_conn_read_bytes_finish (ObMailConn    *conn,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
