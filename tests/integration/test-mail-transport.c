/* test-mail-transport.c — ObMailTransport against a scripted SMTP server
 * that does what aiosmtpd will not: let a kept-open connection go between
 * two messages, as servers do with idle sessions.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-mail-transport"

#include "config.h"

#include <string.h>

#include "ob-account.h"
#include "ob-mail-transport.h"
#include "ob-store.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

/* A server over implicit TLS, one connection after the other: for each
 * line, the reply of the first rule whose prefix matches (NULL: close the
 * connection). Everything read is kept. */
typedef struct
{
  GSocketListener *listener;
  guint16          port;
  const char     **rules;
  GThread         *thread;
  GCancellable    *stop;
  GMutex           lock;
  GString         *received;
  GTlsCertificate *cert;
} Scripted;

static void
serve (Scripted  *s,
       GIOStream *conn)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (conn));
  GOutputStream *out = g_io_stream_get_output_stream (conn);
  const char *greeting = "220 scripted ESMTP\r\n";

  g_output_stream_write_all (out, greeting, strlen (greeting), NULL, NULL, NULL);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, s->stop, NULL);
      const char *reply = NULL;

      if (line == NULL)
        break;
      g_strchomp (line);
      g_mutex_lock (&s->lock);
      g_string_append_printf (s->received, "%s\n", line);
      g_mutex_unlock (&s->lock);
      for (guint i = 0; s->rules[i] != NULL; i += 2)
        if (g_str_has_prefix (line, s->rules[i]))
          {
            reply = s->rules[i + 1];
            break;
          }
      if (reply == NULL)
        break;
      g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL);
    }
  g_io_stream_close (conn, NULL, NULL);
}

static gpointer
serve_thread (gpointer data)
{
  Scripted *s = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) conn = g_socket_listener_accept (s->listener, NULL, s->stop, NULL);
      g_autoptr(GIOStream) tls = NULL;

      if (conn == NULL)
        break;
      tls = g_tls_server_connection_new (G_IO_STREAM (conn), s->cert, NULL);
      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), s->stop, NULL))
        continue;
      serve (s, tls);
    }
  return NULL;
}

static Scripted *
scripted_start (const char **rules)
{
  Scripted *s = g_new0 (Scripted, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* The harness makes its CA lazily and not thread-safely: here, first. */
  s->cert = g_tls_certificate_new_from_files (ob_test_server_cert_pem (), ob_test_server_key_pem (), &error);
  g_assert_no_error (error);
  s->listener = g_socket_listener_new ();
  g_socket_listener_add_address (s->listener, addr, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->rules = rules;
  s->received = g_string_new (NULL);
  s->stop = g_cancellable_new ();
  g_mutex_init (&s->lock);
  s->thread = g_thread_new ("scripted-smtp", serve_thread, s);
  return s;
}

static char *
scripted_stop (Scripted *s)
{
  char *received;

  g_cancellable_cancel (s->stop);
  g_thread_join (s->thread);
  g_socket_listener_close (s->listener);
  g_object_unref (s->stop);
  g_object_unref (s->listener);
  g_object_unref (s->cert);
  g_mutex_clear (&s->lock);
  received = g_string_free (s->received, FALSE);
  g_free (s);
  return received;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GPtrArray *
send_one (ObMailTransport  *transport,
          gint64            account,
          const char       *rcpt,
          GError          **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("Subject: x\r\n\r\nhello\r\n", 21);
  const char *rcpts[] = { rcpt, NULL };
  GAsyncResult *result = NULL;
  GPtrArray *results;

  ob_send_transport_send_async (OB_SEND_TRANSPORT (transport), account, "sales@sender.test", rcpts, bytes,
                                NULL, sent_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = ob_send_transport_send_finish (OB_SEND_TRANSPORT (transport), result, error);
  g_object_unref (result);
  return results;
}

static guint
count_lines (const char *text,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      n++;
  return n;
}

static gint64
add_account (ObStore *store,
             guint16  port)
{
  g_autoptr(ObAccount) account = ob_account_new ("sales@sender.test");
  g_autoptr(GError) error = NULL;
  gint64 id;

  ob_account_set_smtp (account, "127.0.0.1", port, OB_MAIL_SECURITY_TLS);
  ob_account_set_ca_file (account, ob_test_ca_pem ());
  id = ob_account_store_add (store, account, &error);
  g_assert_no_error (error);
  return id;
}

/* The server closes the kept connection when the second message starts
 * (at RSET): nothing of it had reached the server, so the transport sends
 * it on a fresh connection instead of failing the message. */
static void
test_reconnect_after_idle_close (void)
{
  static const char *rules[] = {
    "EHLO", "250 scripted\r\n",
    "MAIL", "250 2.1.0 ok\r\n",
    "RCPT", "250 2.1.5 ok\r\n",
    "DATA", "354 go ahead\r\n",
    "RSET", NULL,                  /* gone while idle */
    "QUIT", "221 2.0.0 bye\r\n",
    ".", "250 2.0.0 queued\r\n",
    "", "",                        /* the message's lines */
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error); /* no password: no login */
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObMailTransport) transport = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autofree char *received = NULL;
  Scripted *server;
  gint64 account;

  g_assert_no_error (error);
  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  server = scripted_start (rules);
  account = add_account (store, server->port);
  transport = ob_mail_transport_new (store);

  first = send_one (transport, account, "a@one.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (((ObRecipientResult *) g_ptr_array_index (first, 0))->code, ==, 250);

  second = send_one (transport, account, "b@two.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (((ObRecipientResult *) g_ptr_array_index (second, 0))->code, ==, 250);

  /* Once only: when the fresh connection fails too, the message waits. */
  third = send_one (transport, account, "c@three.example", &error);
  g_assert_no_error (error);
  g_assert_cmpint (((ObRecipientResult *) g_ptr_array_index (third, 0))->code, ==, 250);

  received = scripted_stop (server);
  g_test_message ("%s", received);
  /* Three connections: the first, and a fresh one each time RSET was refused. */
  g_assert_cmpuint (count_lines (received, "EHLO"), ==, 3);
  g_assert_cmpuint (count_lines (received, "RSET"), ==, 2);
  g_assert_cmpuint (count_lines (received, "DATA"), ==, 3);
}

/* A server that is not there: temporary, the account's problem. */
static void
test_refused_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObMailTransport) transport = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port;

  g_assert_no_error (error);
  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  /* A port that was free a moment ago and is closed now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  transport = ob_mail_transport_new (store);

  results = send_one (transport, add_account (store, port), "a@one.example", &error);
  g_assert_null (results);
  g_assert_error (error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_TEMPORARY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail-transport/reconnect-after-idle-close", test_reconnect_after_idle_close);
  g_test_add_func ("/mail-transport/refused-connection", test_refused_connection);

  return g_test_run ();
}
