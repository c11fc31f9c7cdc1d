/* test-mail-hostile.c — SMTP and IMAP clients against scripted servers on
 * loopback that misbehave in ways the real harness servers cannot: a
 * STARTTLS command injection, an IMAP server without STARTTLS, malformed
 * and oversized replies. (The normal paths are tested against aiosmtpd and
 * Dovecot in test-smtp.c and test-imap.c.)
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-hostile"

#include "config.h"

#include <string.h>

#include "ob-account-test.h"
#include "ob-imap-client.h"
#include "ob-smtp-client.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

/* A one-connection server in a thread: it sends @greeting, then for each
 * line it reads sends the reply of the first rule whose prefix matches
 * (NULL reply: close). Everything read is kept. */
typedef struct
{
  GSocketListener *listener;
  guint16          port;
  const char      *greeting;
  const char     **rules;     /* prefix, reply, prefix, reply…, NULL */
  GThread         *thread;
  GCancellable    *stop;
  gboolean         tls;       /* TLS from the first byte, with the harness's certificate */
  GMutex           lock;
  GString         *received;
} Scripted;

static void
scripted_serve (Scripted  *s,
                GIOStream *conn)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (conn));
  GOutputStream *out = g_io_stream_get_output_stream (conn);

  g_output_stream_write_all (out, s->greeting, strlen (s->greeting), NULL, NULL, NULL);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, s->stop, NULL);
      const char *reply = NULL;
      gboolean matched = FALSE;

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
            matched = TRUE;
            break;
          }
      if (!matched || reply == NULL)
        break;
      if (g_str_equal (reply, "@stall"))
        {
          /* Say nothing until the test is over. */
          while (!g_cancellable_is_cancelled (s->stop))
            g_usleep (10000);
          break;
        }
      g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL);
    }
  g_io_stream_close (conn, NULL, NULL);
}

/* Serves one connection after the other until stopped. */
static gpointer
scripted_thread (gpointer data)
{
  Scripted *s = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) conn = g_socket_listener_accept (s->listener, NULL, s->stop, NULL);
      g_autoptr(GIOStream) tls = NULL;

      if (conn == NULL)
        break;
      if (s->tls)
        {
          g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files (ob_test_server_cert_pem (),
                                                                              ob_test_server_key_pem (), NULL);

          tls = g_tls_server_connection_new (G_IO_STREAM (conn), cert, NULL);
          if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), s->stop, NULL))
            continue;
          scripted_serve (s, tls);
        }
      else
        scripted_serve (s, G_IO_STREAM (conn));
    }
  return NULL;
}

static Scripted *scripted_start_full (const char *greeting, const char **rules, gboolean tls);

static Scripted *
scripted_start (const char  *greeting,
                const char **rules)
{
  return scripted_start_full (greeting, rules, FALSE);
}

static Scripted *
scripted_start_full (const char  *greeting,
                     const char **rules,
                     gboolean     tls)
{
  Scripted *s = g_new0 (Scripted, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  s->listener = g_socket_listener_new ();
  g_socket_listener_add_address (s->listener, addr, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  s->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  s->greeting = greeting;
  s->rules = rules;
  s->tls = tls;
  s->received = g_string_new (NULL);
  s->stop = g_cancellable_new ();
  g_mutex_init (&s->lock);
  s->thread = g_thread_new ("scripted-server", scripted_thread, s);
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
  g_mutex_clear (&s->lock);
  received = g_string_free (s->received, FALSE);
  g_free (s);
  return received;
}

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

static GError *
smtp_connect (guint16 port)
{
  g_autoptr(ObSmtpClient) client = ob_smtp_client_new ("127.0.0.1", port, OB_MAIL_SECURITY_STARTTLS);
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  ob_smtp_client_connect_async (client, NULL, got_result_cb, &result);
  g_assert_false (ob_smtp_client_connect_finish (client, wait_for (&result), &error));
  g_assert_false (ob_smtp_client_is_connected (client));
  return error;
}

/* Text after "220 go ahead" and before the TLS handshake could be a man in
 * the middle's command injection (CVE-2011-0411 class): refused. */
static void
test_smtp_starttls_injection (void)
{
  const char *rules[] = {
    "EHLO", "250-fake.test\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n",
    "STARTTLS", "220 2.0.0 go ahead\r\n250 2.0.0 injected\r\n",
    NULL
  };
  Scripted *s = scripted_start ("220 fake.test ESMTP\r\n", rules);
  g_autoptr(GError) error = smtp_connect (s->port);
  g_autofree char *received = scripted_stop (s);

  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "before the secure connection"));
  g_assert_null (strstr (received, "AUTH"));
}

static void
test_smtp_malformed (void)
{
  const char *greetings[] = {
    "220-fake.test\r\n221 other code\r\n",  /* lines disagree */
    "hello there\r\n",                     /* no code */
    "554 5.7.1 No SMTP service here\r\n",  /* refused for good */
  };
  const char *rules[] = { NULL };
  int codes[] = { OB_MAIL_ERROR_PROTOCOL, OB_MAIL_ERROR_PROTOCOL, OB_MAIL_ERROR_REJECTED };

  for (guint i = 0; i < G_N_ELEMENTS (greetings); i++)
    {
      Scripted *s = scripted_start (greetings[i], rules);
      g_autoptr(GError) error = smtp_connect (s->port);
      g_autofree char *received = scripted_stop (s);

      g_assert_error (error, OB_MAIL_ERROR, codes[i]);
      g_assert_null (strstr (received, "AUTH"));
    }

  /* A reply line without end: refused past the line limit, not read forever. */
  {
    g_autoptr(GString) endless = g_string_new ("220 ");
    Scripted *s;
    g_autoptr(GError) error = NULL;
    g_autofree char *received = NULL;

    for (int i = 0; i < 20000; i++)
      g_string_append_c (endless, 'x');
    s = scripted_start (endless->str, rules);
    error = smtp_connect (s->port);
    received = scripted_stop (s);
    g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL);
  }
}

static GError *
imap_connect (guint16 port)
{
  g_autoptr(ObImapClient) client = ob_imap_client_new ("127.0.0.1", port, OB_MAIL_SECURITY_STARTTLS);
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  ob_imap_client_connect_async (client, NULL, got_result_cb, &result);
  g_assert_false (ob_imap_client_connect_finish (client, wait_for (&result), &error));
  return error;
}

static void
test_imap_no_starttls (void)
{
  const char *rules[] = { NULL };
  Scripted *s = scripted_start ("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] fake ready\r\n", rules);
  g_autoptr(GError) error = imap_connect (s->port);
  g_autofree char *received = scripted_stop (s);

  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS);
  /* Not a single command: certainly no LOGIN. */
  g_assert_cmpstr (received, ==, "");
}

static void
test_imap_hostile (void)
{
  struct { const char *greeting; const char *rules[5]; int code; } cases[] = {
    /* A literal of 100 GB announced. */
    { "* OK [CAPABILITY IMAP4rev1 STARTTLS] {99999999999}\r\n", { NULL }, OB_MAIL_ERROR_PROTOCOL },
    /* Garbage instead of a greeting. */
    { "HTTP/1.1 400 Bad Request\r\n", { NULL }, OB_MAIL_ERROR_PROTOCOL },
    /* BYE at once: busy. */
    { "* BYE Too many connections\r\n", { NULL }, OB_MAIL_ERROR_RETRY_LATER },
    /* A tagged answer to a command never sent. */
    { "* OK fake\r\n", { "A0001 CAPABILITY", "Z999 OK done\r\n", NULL }, OB_MAIL_ERROR_PROTOCOL },
    /* STARTTLS answered, then injected text before the handshake. */
    { "* OK [CAPABILITY IMAP4rev1 STARTTLS] fake\r\n",
      { "A0001 STARTTLS", "A0001 OK Begin TLS\r\n* OK injected\r\n", NULL }, OB_MAIL_ERROR_TLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Scripted *s = scripted_start (cases[i].greeting, cases[i].rules);
      g_autoptr(GError) error = imap_connect (s->port);
      g_autofree char *received = scripted_stop (s);

      g_test_message ("case %u: %s", i, error->message);
      g_assert_error (error, OB_MAIL_ERROR, cases[i].code);
      g_assert_null (strstr (received, "LOGIN"));
    }
}

/* A TLS SMTP session scripted up to @rules; returns the send's error. */
static GError *
smtp_send_scripted (const char  **rules,
                    guint         data_term_ms,
                    gsize         message_size,
                    char        **received)
{
  Scripted *s = scripted_start_full ("220 fake.test ESMTP\r\n", rules, TRUE);
  g_autoptr(ObSmtpClient) client = ob_smtp_client_new ("127.0.0.1", s->port, OB_MAIL_SECURITY_TLS);
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) authed = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(ObSmtpSendResult) res = NULL;
  g_autoptr(GString) body = g_string_new ("Subject: test\r\n\r\n");
  g_autoptr(GBytes) message = NULL;
  const char *rcpts[] = { "bob@example.test", NULL };
  GError *error = NULL;
  ObSmtpTimeouts t;

  while (body->len < message_size)
    g_string_append (body, "Some text of the message.\r\n");
  message = g_bytes_new (body->str, body->len);

  ob_smtp_client_set_ca_file (client, ob_test_ca_pem ());
  ob_smtp_client_get_timeouts (client, &t);
  t.data_term = data_term_ms;
  ob_smtp_client_set_timeouts (client, &t);

  ob_smtp_client_connect_async (client, NULL, got_result_cb, &connected);
  g_assert_true (ob_smtp_client_connect_finish (client, wait_for (&connected), &error));
  g_assert_no_error (error);
  ob_smtp_client_authenticate_async (client, OB_SMTP_AUTH_PLAIN, "u", "p", NULL, got_result_cb, &authed);
  g_assert_true (ob_smtp_client_authenticate_finish (client, wait_for (&authed), &error));
  g_assert_no_error (error);
  ob_smtp_client_send_async (client, "sales@example.test", rcpts, message, NULL, got_result_cb, &sent);
  res = ob_smtp_client_send_finish (client, wait_for (&sent), &error);
  g_assert_null (res);
  /* A refused message leaves a good connection; anything else drops it. */
  g_assert_cmpint (ob_smtp_client_is_connected (client), ==, error->code == OB_MAIL_ERROR_REJECTED);
  *received = scripted_stop (s);
  return error;
}

/* RFC 5321 §4.5.3.2.6: the final reply to the message may take long, but
 * not forever. */
static void
test_smtp_data_termination_timeout (void)
{
  const char *rules[] = {
    "EHLO", "250-fake.test\r\n250 AUTH PLAIN\r\n",
    "AUTH", "235 2.7.0 ok\r\n",
    "MAIL", "250 2.1.0 ok\r\n",
    "RCPT", "250 2.1.5 ok\r\n",
    "DATA", "354 go on\r\n",
    ".", "@stall",
    "", "",
    NULL
  };
  g_autofree char *received = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = smtp_send_scripted (rules, 400, 100, &received);

  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (received, "Some text of the message."));
}

/* 421 in the middle: retry later, and the connection is given up. */
static void
test_smtp_421_mid_session (void)
{
  const char *rules[] = {
    "EHLO", "250-fake.test\r\n250 AUTH PLAIN\r\n",
    "AUTH", "235 2.7.0 ok\r\n",
    "MAIL", "421 4.7.0 Too many messages from you, closing\r\n",
    NULL
  };
  g_autofree char *received = NULL;
  g_autoptr(GError) error = smtp_send_scripted (rules, 10000, 100, &received);

  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_RETRY_LATER);
  g_assert_nonnull (strstr (error->message, "Too many messages"));
}

/* A message over the advertised SIZE is refused before MAIL. */
static void
test_smtp_size_limit (void)
{
  const char *rules[] = {
    "EHLO", "250-fake.test\r\n250-SIZE 1000\r\n250 AUTH PLAIN\r\n",
    "AUTH", "235 2.7.0 ok\r\n",
    "MAIL", "250 2.1.0 ok\r\n",
    NULL
  };
  g_autofree char *received = NULL;
  g_autoptr(GError) error = smtp_send_scripted (rules, 10000, 5000, &received);

  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "kB"));
  g_assert_null (strstr (received, "MAIL"));
}

static void
step_done_cb (const ObAccountTestStep *step,
              gpointer                 user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup_printf ("%s:%s:%d", step->service, step->step, step->ok));
}

/* The Test account report on a server without STARTTLS: the failing step
 * says so in words, the login is not tried, and a missing IMAP server is
 * a note, not a failure. */
static void
test_account_test_report (void)
{
  const char *rules[] = { "EHLO", "250-fake.test\r\n250 AUTH PLAIN\r\n", NULL };
  Scripted *s = scripted_start ("220 fake.test ESMTP\r\n", rules);
  g_autoptr(ObAccount) account = ob_account_new ("sales@example.test");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObAccountTestReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;
  const ObAccountTestStep *last = NULL;
  gboolean saw_imap_note = FALSE;

  ob_account_set_smtp (account, "127.0.0.1", s->port, OB_MAIL_SECURITY_STARTTLS);
  ob_account_set_imap (account, NULL, 0, OB_MAIL_SECURITY_TLS);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  ob_account_test_with_progress_async (account, "secret", 5000, step_done_cb, seen, NULL,
                                       NULL, got_result_cb, &result);
  report = ob_account_test_finish (wait_for (&result), &error);
  received = scripted_stop (s);

  /* Each step was told as it was done, in the report's order. */
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, report->steps->len);
  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *step = report->steps->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s:%s:%d", step->service, step->step, step->ok);

      g_assert_cmpstr (seen->pdata[i], ==, key);
    }

  g_assert_no_error (error);
  g_assert_false (report->ok);
  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *step = report->steps->pdata[i];

      g_test_message ("%s %s %s: %s", step->ok ? "ok" : "FAIL", step->service, step->step, step->message);
      if (g_str_equal (step->service, "smtp"))
        last = step;
      if (g_str_equal (step->service, "imap"))
        {
          g_assert_true (step->ok);
          saw_imap_note = TRUE;
        }
      g_assert_false (g_str_equal (step->step, "auth"));
    }
  g_assert_true (saw_imap_note);
  g_assert_nonnull (last);
  g_assert_cmpstr (last->step, ==, "tls");
  g_assert_false (last->ok);
  g_assert_nonnull (strstr (last->message, "STARTTLS"));
  g_assert_null (report->smtp_tls);
  g_assert_null (strstr (received, "AUTH"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile/smtp-starttls-injection", test_smtp_starttls_injection);
  g_test_add_func ("/hostile/smtp-malformed", test_smtp_malformed);
  g_test_add_func ("/hostile/imap-no-starttls", test_imap_no_starttls);
  g_test_add_func ("/hostile/imap", test_imap_hostile);
  g_test_add_func ("/hostile/account-test-report", test_account_test_report);
  g_test_add_func ("/hostile/smtp-data-termination-timeout", test_smtp_data_termination_timeout);
  g_test_add_func ("/hostile/smtp-421-mid-session", test_smtp_421_mid_session);
  g_test_add_func ("/hostile/smtp-size-limit", test_smtp_size_limit);

  return g_test_run ();
}
