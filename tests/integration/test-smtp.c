/* test-smtp.c — ObSmtpClient against the harness's aiosmtpd on loopback.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-smtp"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ob-autoconfig.h"
#include "ob-mail-sender.h"
#include "ob-mail.h"
#include "ob-provider.h"
#include "ob-smtp-client.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

#define MESSAGE \
  "From: Sales <sales@example.test>\r\n" \
  "To: bob@example.test\r\n" \
  "Subject: Hello\r\n" \
  "Message-ID: <m1@example.test>\r\n" \
  "\r\n" \
  "Dear Bob,\r\n" \
  ".a line that starts with a dot\r\n" \
  "..and one with two\r\n" \
  ".\r\n" \
  "Regards\n"

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
trace_cb (gboolean    from_client,
          const char *line,
          gpointer    user_data)
{
  g_string_append_printf (user_data, "%s %s\n", from_client ? "C:" : "S:", line);
}

typedef struct
{
  ObSmtpClient *client;
  GString      *trace;
} Fixture;

static ObSmtpClient *
client_new (ObTestSmtpServer *server,
            ObMailSecurity    security,
            GString          *trace)
{
  ObSmtpClient *client = ob_smtp_client_new ("127.0.0.1", ob_test_smtp_server_get_port (server), security);

  ob_smtp_client_set_ca_file (client, ob_test_ca_pem ());
  if (trace != NULL)
    ob_smtp_client_set_trace_func (client, trace_cb, trace, NULL);
  return client;
}

static gboolean
do_connect (ObSmtpClient *client,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_smtp_client_connect_async (client, NULL, got_result_cb, &result);
  return ob_smtp_client_connect_finish (client, wait_for (&result), error);
}

static gboolean
do_auth (ObSmtpClient        *client,
         ObSmtpAuthMechanism  mech,
         const char          *password,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_smtp_client_authenticate_async (client, mech, "testuser", password, NULL, got_result_cb, &result);
  return ob_smtp_client_authenticate_finish (client, wait_for (&result), error);
}

static ObSmtpSendResult *
do_send (ObSmtpClient        *client,
         const char * const  *rcpts,
         const char          *message,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (message, strlen (message));

  ob_smtp_client_send_async (client, "sales@example.test", rcpts, bytes, NULL, got_result_cb, &result);
  return ob_smtp_client_send_finish (client, wait_for (&result), error);
}

static void
do_quit (ObSmtpClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ob_smtp_client_quit_async (client, NULL, got_result_cb, &result);
  ob_smtp_client_quit_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_false (ob_smtp_client_is_connected (client));
}

static guint
count_lines_starting (const char *log,
                      const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], prefix, strlen (prefix)) == 0)
      n++;
  return n;
}

static void
assert_reply (const ObSmtpReply *reply,
              guint              code,
              const char        *enhanced)
{
  g_assert_nonnull (reply);
  g_assert_cmpuint (reply->code, ==, code);
  g_assert_cmpstr (reply->enhanced, ==, enhanced);
}

/* STARTTLS, AUTH PLAIN, pipelined MAIL+RCPT with a reply per recipient. */
static void
test_smtp_starttls_per_recipient (void)
{
  const char *rules[] = { "unknown 550 5.1.1 User unknown", "full 452 4.2.2 Mailbox full", NULL };
  const char *rcpts[] = { "bob@example.test", "unknown1@example.test", "full@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_REQUIRE_AUTH,
                                                                  rules, &error);
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autoptr(ObSmtpSendResult) res = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *log = NULL;
  g_autofree char *secret = g_base64_encode ((const guchar *) "\0testuser\0testpass", 18);
  const char *mail;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, trace);

  g_assert_true (do_connect (client, &error));
  g_assert_no_error (error);
  g_assert_true (ob_smtp_client_is_tls (client));
  g_assert_nonnull (ob_smtp_client_get_capability (client, "PIPELINING"));
  g_assert_nonnull (ob_smtp_client_get_capability (client, "ENHANCEDSTATUSCODES"));
  g_assert_nonnull (ob_smtp_client_get_capability (client, "8BITMIME"));
  g_assert_cmpuint (ob_smtp_client_get_size_limit (client), >, 0);
  g_assert_nonnull (ob_smtp_client_get_tls_info (client));
  g_assert_nonnull (strstr (ob_smtp_client_get_tls_info (client)->issuer, "Harness Test CA"));
  g_assert_true (ob_smtp_client_get_tls_info (client)->extra_ca);

  g_assert_true (do_auth (client, OB_SMTP_AUTH_AUTO, "testpass", &error));
  g_assert_no_error (error);

  res = do_send (client, rcpts, MESSAGE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  g_assert_true (res->accepted);
  g_assert_cmpuint (res->recipients->len, ==, 3);
  assert_reply (ob_smtp_send_result_get_final_reply (res, 0), 250, "2.0.0");
  assert_reply (((ObSmtpRecipientResult *) res->recipients->pdata[0])->reply, 250, "2.1.5");
  assert_reply (ob_smtp_send_result_get_final_reply (res, 1), 550, "5.1.1");
  g_assert_cmpstr (ob_smtp_send_result_get_final_reply (res, 1)->text, ==, "User unknown");
  assert_reply (ob_smtp_send_result_get_final_reply (res, 2), 452, "4.2.2");
  g_assert_cmpstr (((ObSmtpRecipientResult *) res->recipients->pdata[2])->address, ==, "full@example.test");
  do_quit (client);

  messages = ob_test_smtp_server_get_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  mail = messages->pdata[0];
  g_assert_nonnull (strstr (mail, "X-Harness-Rcpt-To: bob@example.test\r\n"));
  g_assert_nonnull (strstr (mail, "X-Harness-Auth: testuser"));
  g_assert_nonnull (strstr (mail, "X-Harness-TLS: yes"));
  /* Dot-stuffing went there and back: the lines arrive as written. */
  g_assert_nonnull (strstr (mail, "\r\n.a line that starts with a dot\r\n..and one with two\r\n.\r\nRegards\r\n"));

  /* Pipelined: MAIL and the RCPTs left in one write, before any reply. */
  g_assert_nonnull (strstr (trace->str,
                            "C: MAIL FROM:<sales@example.test> SIZE=")) ;
  g_assert_nonnull (strstr (trace->str, "C: RCPT TO:<bob@example.test>\nC: RCPT TO:<unknown1@example.test>\nC: RCPT TO:<full@example.test>\nS: 250"));
  /* The password is nowhere in the trace. */
  g_assert_nonnull (strstr (trace->str, "C: AUTH PLAIN <redacted>"));
  g_assert_null (strstr (trace->str, "testpass"));
  g_assert_null (strstr (trace->str, secret));

  log = ob_test_smtp_server_get_log (server);
  g_assert_cmpuint (count_lines_starting (log, "STARTTLS"), ==, 1);
  g_assert_cmpuint (count_lines_starting (log, "AUTH"), ==, 1);
}

/* Port-465 style: TLS from the first byte, AUTH LOGIN. */
static void
test_smtp_implicit_tls (void)
{
  const char *rcpts[] = { "carol@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_IMPLICIT_TLS |
                                                                  OB_TEST_SMTP_REQUIRE_AUTH,
                                                                  NULL, &error);
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autoptr(ObSmtpSendResult) res = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *user64 = g_base64_encode ((const guchar *) "testuser", 8);
  g_autofree char *pass64 = g_base64_encode ((const guchar *) "testpass", 8);

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_TLS, trace);
  g_assert_true (do_connect (client, &error));
  g_assert_no_error (error);
  g_assert_true (ob_smtp_client_is_tls (client));
  g_assert_null (ob_smtp_client_get_capability (client, "STARTTLS"));
  g_assert_true (do_auth (client, OB_SMTP_AUTH_LOGIN, "testpass", &error));
  g_assert_no_error (error);
  res = do_send (client, rcpts, MESSAGE, &error);
  g_assert_no_error (error);
  g_assert_true (res->accepted);
  assert_reply (res->data_reply, 250, "2.0.0");
  do_quit (client);

  messages = ob_test_smtp_server_get_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_nonnull (strstr (messages->pdata[0], "X-Harness-Auth: testuser"));
  g_assert_nonnull (strstr (trace->str, "C: AUTH LOGIN\n"));
  g_assert_null (strstr (trace->str, pass64));
  g_assert_null (strstr (trace->str, user64));
  g_assert_nonnull (strstr (trace->str, "C: <redacted password>"));
}

/* A server without PIPELINING, ENHANCEDSTATUSCODES, SIZE…: one command at a time. */
static void
test_smtp_minimal (void)
{
  const char *rules[] = { "unknown 550 User unknown", NULL };
  const char *rcpts[] = { "dave@example.test", "unknown2@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_AUTH |
                                                                  OB_TEST_SMTP_MINIMAL,
                                                                  rules, &error);
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autoptr(ObSmtpSendResult) res = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, trace);
  g_assert_true (do_connect (client, &error));
  g_assert_no_error (error);
  g_assert_null (ob_smtp_client_get_capability (client, "PIPELINING"));
  g_assert_null (ob_smtp_client_get_capability (client, "SIZE"));
  g_assert_true (do_auth (client, OB_SMTP_AUTH_AUTO, "testpass", &error));
  g_assert_no_error (error);
  res = do_send (client, rcpts, MESSAGE, &error);
  g_assert_no_error (error);
  g_assert_true (res->accepted);
  g_assert_cmpuint (ob_smtp_send_result_get_final_reply (res, 0)->code, ==, 250);
  assert_reply (ob_smtp_send_result_get_final_reply (res, 1), 550, NULL);
  /* One command, then its reply. */
  g_assert_nonnull (strstr (trace->str, "C: MAIL FROM:<sales@example.test>\nS: 250"));
  g_assert_nonnull (strstr (trace->str, "C: RCPT TO:<dave@example.test>\nS: 250"));
  do_quit (client);
  g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 1);
}

/* STARTTLS is required: no offer, no AUTH, no mail. */
static void
test_smtp_no_starttls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_AUTH, NULL, &error);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autofree char *log = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, NULL);
  g_assert_false (do_connect (client, &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS);
  g_assert_nonnull (strstr (error->message, "STARTTLS"));
  g_clear_error (&error);
  g_assert_false (ob_smtp_client_is_connected (client));

  /* Even asked to, the client does not log in in the clear. */
  g_assert_false (do_auth (client, OB_SMTP_AUTH_PLAIN, "testpass", &error));
  g_assert_nonnull (error);

  log = ob_test_smtp_server_get_log (server);
  g_assert_cmpuint (count_lines_starting (log, "EHLO"), ==, 1);
  g_assert_cmpuint (count_lines_starting (log, "AUTH"), ==, 0);
  g_assert_cmpuint (count_lines_starting (log, "MAIL"), ==, 0);
}

static void
test_smtp_untrusted (void)
{
  g_autoptr(GError) error = NULL;

  for (int with_ca = 0; with_ca < 2; with_ca++)
    for (int implicit = 0; implicit < 2; implicit++)
      {
        g_autoptr(ObTestSmtpServer) server =
          ob_test_smtp_server_start ((implicit ? OB_TEST_SMTP_IMPLICIT_TLS : OB_TEST_SMTP_STARTTLS) |
                                     OB_TEST_SMTP_AUTH | OB_TEST_SMTP_UNTRUSTED, NULL, &error);
        g_autoptr(ObSmtpClient) client = NULL;
        g_autofree char *log = NULL;

        g_assert_no_error (error);
        client = ob_smtp_client_new ("127.0.0.1", ob_test_smtp_server_get_port (server),
                                     implicit ? OB_MAIL_SECURITY_TLS : OB_MAIL_SECURITY_STARTTLS);
        if (with_ca)
          ob_smtp_client_set_ca_file (client, ob_test_ca_pem ());
        g_assert_false (do_connect (client, &error));
        g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_TLS);
        g_assert_nonnull (strstr (error->message, "not trusted"));
        g_clear_error (&error);
        log = ob_test_smtp_server_get_log (server);
        g_assert_cmpuint (count_lines_starting (log, "AUTH"), ==, 0);
      }
}

static void
test_smtp_wrong_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_AUTH, NULL, &error);
  g_autoptr(ObSmtpClient) client = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, NULL);
  g_assert_true (do_connect (client, &error));
  g_assert_false (do_auth (client, OB_SMTP_AUTH_AUTO, "wrong", &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_false (ob_smtp_client_is_authenticated (client));
}

static void
test_smtp_data_drop (void)
{
  const char *rules[] = { "@data-drop", NULL };
  const char *rcpts[] = { "erin@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_AUTH, rules, &error);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autoptr(ObSmtpSendResult) res = NULL;
  g_autofree char *log = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, NULL);
  g_assert_true (do_connect (client, &error));
  g_assert_true (do_auth (client, OB_SMTP_AUTH_AUTO, "testpass", &error));
  res = do_send (client, rcpts, MESSAGE, &error);
  g_assert_null (res);
  g_assert_true (error->domain == OB_MAIL_ERROR &&
                 (error->code == OB_MAIL_ERROR_CLOSED || error->code == OB_MAIL_ERROR_TIMEOUT));
  g_assert_false (ob_smtp_client_is_connected (client));
  g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 0);
  log = ob_test_smtp_server_get_log (server);
  g_assert_cmpuint (count_lines_starting (log, "STARTTLS"), ==, 1);
  g_assert_cmpuint (count_lines_starting (log, "DATA"), ==, 1);
}

static void
test_smtp_data_rejected (void)
{
  const char *rules[] = { "@data 554 5.7.1 Rejected as spam", NULL };
  const char *rcpts[] = { "frank@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_AUTH, rules, &error);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autoptr(ObSmtpSendResult) res = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, NULL);
  g_assert_true (do_connect (client, &error));
  g_assert_true (do_auth (client, OB_SMTP_AUTH_AUTO, "testpass", &error));
  res = do_send (client, rcpts, MESSAGE, &error);
  g_assert_no_error (error);
  g_assert_false (res->accepted);
  assert_reply (res->data_reply, 554, "5.7.1");
  assert_reply (ob_smtp_send_result_get_final_reply (res, 0), 554, "5.7.1");
  g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 0);
}

static void
test_smtp_greeting_421 (void)
{
  const char *rules[] = { "@greeting 421 4.3.2 Try later", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_AUTH, rules, &error);
  g_autoptr(ObSmtpClient) client = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, NULL);
  g_assert_false (do_connect (client, &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_RETRY_LATER);
  g_assert_nonnull (strstr (error->message, "421"));
  g_assert_cmpuint (ob_smtp_client_get_greeting (client)->code, ==, 421);
}

/* Several messages over one connection, with RSET between them. */
static void
test_smtp_reuse_connection (void)
{
  const char *rules[] = { "unknown 550 5.1.1 User unknown", NULL };
  const char *ok[] = { "gina@example.test", NULL };
  const char *bad[] = { "unknown3@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_AUTH, rules, &error);
  g_autoptr(ObSmtpClient) client = NULL;
  g_autofree char *log = NULL;

  g_assert_no_error (error);
  client = client_new (server, OB_MAIL_SECURITY_STARTTLS, NULL);
  g_assert_true (do_connect (client, &error));
  g_assert_true (do_auth (client, OB_SMTP_AUTH_AUTO, "testpass", &error));
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(ObSmtpSendResult) res = do_send (client, i == 1 ? bad : ok, MESSAGE, &error);

      g_assert_no_error (error);
      g_assert_cmpint (res->accepted, ==, i != 1);
    }
  do_quit (client);

  g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 3);
  log = ob_test_smtp_server_get_log (server);
  g_assert_cmpuint (count_lines_starting (log, "STARTTLS"), ==, 1);
  g_assert_cmpuint (count_lines_starting (log, "AUTH"), ==, 1);
  g_assert_cmpuint (count_lines_starting (log, "RSET"), ==, 3);
  g_assert_cmpuint (count_lines_starting (log, "MAIL FROM"), ==, 4);
  g_assert_cmpuint (count_lines_starting (log, "QUIT"), ==, 1);
}

/* A server that accepts and never greets: the greeting timeout fires. */
static void
test_smtp_greeting_timeout (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSmtpClient) client = NULL;
  ObSmtpTimeouts timeouts;
  gint64 start;

  g_socket_listener_add_address (listener, addr, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);

  client = ob_smtp_client_new ("127.0.0.1",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                               OB_MAIL_SECURITY_STARTTLS);
  ob_smtp_client_get_timeouts (client, &timeouts);
  g_assert_cmpuint (timeouts.greeting, ==, 5 * 60 * 1000);
  g_assert_cmpuint (timeouts.data_init, ==, 2 * 60 * 1000);
  g_assert_cmpuint (timeouts.data_block, ==, 3 * 60 * 1000);
  g_assert_cmpuint (timeouts.data_term, ==, 10 * 60 * 1000);
  timeouts.greeting = 300;
  ob_smtp_client_set_timeouts (client, &timeouts);

  start = g_get_monotonic_time ();
  g_assert_false (do_connect (client, &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

/* Through ObMailSender: a connection that drops mid-DATA is an error for
 * that message, after exactly one connection; the next message opens one
 * new connection (one attempt each, no storm). */
static void
test_sender_no_retry_storm (void)
{
  const char *rules[] = { "@data-drop", NULL };
  const char *rcpts[] = { "erin@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS |
                                                                  OB_TEST_SMTP_REQUIRE_AUTH, rules, &error);
  g_autoptr(ObAccount) account = ob_account_new ("sales@example.test");
  g_autoptr(ObMailSender) sender = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static (MESSAGE, strlen (MESSAGE));
  g_autofree char *log = NULL;

  g_assert_no_error (error);
  ob_account_set_smtp (account, "127.0.0.1", ob_test_smtp_server_get_port (server), OB_MAIL_SECURITY_STARTTLS);
  ob_account_set_username (account, "testuser");
  ob_account_set_ca_file (account, ob_test_ca_pem ());
  sender = ob_mail_sender_new (account, "testpass");

  for (int round = 1; round <= 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ObSmtpSendResult) res = NULL;

      ob_mail_sender_send_async (sender, rcpts, message, NULL, got_result_cb, &result);
      res = ob_mail_sender_send_finish (sender, wait_for (&result), &error);
      g_assert_null (res);
      g_assert_true (g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED) ||
                     g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_TIMEOUT));
      g_clear_error (&error);

      g_free (log);
      log = ob_test_smtp_server_get_log (server);
      g_assert_cmpuint (count_lines_starting (log, "STARTTLS"), ==, round);
      g_assert_cmpuint (count_lines_starting (log, "AUTH"), ==, round);
      g_assert_cmpuint (count_lines_starting (log, "DATA"), ==, round);
    }
  g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 0);
}

/* Thunderbird autoconfig over HTTPS: the first place is missing, the
 * .well-known one answers. */
static void
test_autoconfig_https (void)
{
  g_autoptr(ObTestDir) docroot = ob_test_dir_new ();
  g_autofree char *dir = g_build_filename (ob_test_dir_get_path (docroot), ".well-known", "autoconfig", "mail", NULL);
  g_autofree char *file = g_build_filename (dir, "config-v1.1.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestHttpsServer) server = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(ObAutoconfig) config = NULL;
  g_autoptr(ObAutoconfig) none = NULL;
  g_autofree char *base = NULL;
  const char *xml =
    "<?xml version=\"1.0\"?><clientConfig version=\"1.1\"><emailProvider id=\"example.test\">"
    "<displayName>Example Test Mail</displayName>"
    "<incomingServer type=\"imap\"><hostname>imap.example.test</hostname><port>993</port>"
    "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.example.test</hostname><port>465</port>"
    "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>"
    "</emailProvider></clientConfig>";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, xml, -1, &error));
  server = ob_test_https_server_start (ob_test_dir_get_path (docroot), &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("https://localhost:%u", ob_test_https_server_get_port (server));

  ob_autoconfig_fetch_async ("anna@example.test", base, ob_test_ca_pem (), NULL, got_result_cb, &result);
  config = ob_autoconfig_fetch_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->provider_name, ==, "Example Test Mail");
  g_assert_cmpstr (config->smtp_host, ==, "smtp.example.test");
  g_assert_cmpuint (config->smtp_port, ==, 465);
  g_assert_cmpint (config->smtp_security, ==, OB_MAIL_SECURITY_TLS);
  g_assert_cmpstr (config->imap_host, ==, "imap.example.test");
  g_assert_cmpstr (config->username, ==, "anna@example.test");
  g_assert_nonnull (strstr (config->source_url, "/.well-known/autoconfig/mail/config-v1.1.xml"));

  /* The whole detection: domain, then MX, then autoconfig. */
  {
    const char *qiye_mx[] = { "mxw.qiye.163.com", NULL };
    const char *other_mx[] = { "mx.example.test", NULL };
    struct { const char *email; const char * const *mx; ObProviderFoundBy by; const char *id; } cases[] = {
      { "li@qq.com", NULL, OB_PROVIDER_FOUND_BY_DOMAIN, "qq" },
      { "wang@factory.example", qiye_mx, OB_PROVIDER_FOUND_BY_MX, "netease-enterprise" },
      { "anna@example.test", other_mx, OB_PROVIDER_FOUND_BY_AUTOCONFIG, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GAsyncResult) r = NULL;
        g_autoptr(ObProviderDetection) d = NULL;

        ob_provider_detect_async (cases[i].email, cases[i].mx, TRUE, base, ob_test_ca_pem (), NULL, got_result_cb, &r);
        d = ob_provider_detect_finish (wait_for (&r), &error);
        g_assert_no_error (error);
        g_assert_cmpint (d->found_by, ==, cases[i].by);
        g_assert_cmpstr (d->provider ? d->provider->id : NULL, ==, cases[i].id);
        if (cases[i].by == OB_PROVIDER_FOUND_BY_AUTOCONFIG)
          g_assert_cmpstr (d->autoconfig->smtp_host, ==, "smtp.example.test");
      }
  }

  /* Without the file anywhere: a clear "not found". */
  g_assert_cmpint (g_unlink (file), ==, 0);
  ob_autoconfig_fetch_async ("anna@example.test", base, ob_test_ca_pem (), NULL, got_result_cb, &missing);
  none = ob_autoconfig_fetch_finish (wait_for (&missing), &error);
  g_assert_null (none);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Detection then finds nothing, which is a result, not an error. */
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(ObProviderDetection) d = NULL;

    ob_provider_detect_async ("anna@example.test", NULL, TRUE, base, ob_test_ca_pem (), NULL, got_result_cb, &r);
    d = ob_provider_detect_finish (wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_cmpint (d->found_by, ==, OB_PROVIDER_FOUND_NONE);
    g_assert_null (d->autoconfig);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/smtp/starttls-per-recipient", test_smtp_starttls_per_recipient);
  g_test_add_func ("/smtp/implicit-tls", test_smtp_implicit_tls);
  g_test_add_func ("/smtp/minimal", test_smtp_minimal);
  g_test_add_func ("/smtp/no-starttls", test_smtp_no_starttls);
  g_test_add_func ("/smtp/untrusted", test_smtp_untrusted);
  g_test_add_func ("/smtp/wrong-password", test_smtp_wrong_password);
  g_test_add_func ("/smtp/data-drop", test_smtp_data_drop);
  g_test_add_func ("/smtp/data-rejected", test_smtp_data_rejected);
  g_test_add_func ("/smtp/greeting-421", test_smtp_greeting_421);
  g_test_add_func ("/smtp/reuse-connection", test_smtp_reuse_connection);
  g_test_add_func ("/smtp/greeting-timeout", test_smtp_greeting_timeout);
  g_test_add_func ("/smtp/sender-no-retry-storm", test_sender_no_retry_storm);
  g_test_add_func ("/mail/autoconfig-https", test_autoconfig_https);

  return g_test_run ();
}
