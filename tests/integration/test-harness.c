/* test-harness.c — smoke tests of the loopback test servers
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-harness"

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "ob-test-harness.h"
#include "ob-test-util.h"

/* A line-based client over a plain or TLS stream (SMTP, IMAP). */
typedef struct
{
  GSocketConnection *socket;
  GIOStream         *stream;   /* socket or the TLS connection on top */
  GDataInputStream  *in;
} LineClient;

static GTlsDatabase *
test_ca_database (void)
{
  g_autoptr(GError) error = NULL;
  GTlsDatabase *db = g_tls_file_database_new (ob_test_ca_pem (), &error);

  g_assert_no_error (error);
  return db;
}

static void
trust_test_ca_cb (GSocketClient      *client,
                  GSocketClientEvent  event,
                  GSocketConnectable *connectable,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), user_data);
}

static void
line_client_set_stream (LineClient *c,
                        GIOStream  *stream)
{
  g_set_object (&c->stream, stream);
  g_clear_object (&c->in);
  c->in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* The socket stays open under a TLS layer put on after STARTTLS. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (c->in), FALSE);
  g_data_input_stream_set_newline_type (c->in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
}

/* Connects to 127.0.0.1:@port, with TLS from the first byte when @tls
 * (trusting only the test CA). */
static LineClient *
line_client_connect (guint16   port,
                     gboolean  tls,
                     GError  **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GTlsDatabase) db = test_ca_database ();
  g_autoptr(GSocketConnection) conn = NULL;
  LineClient *c;

  g_socket_client_set_timeout (client, 10);
  if (tls)
    {
      g_socket_client_set_tls (client, TRUE);
      g_signal_connect (client, "event", G_CALLBACK (trust_test_ca_cb), db);
    }
  conn = g_socket_client_connect_to_host (client, "localhost", port, NULL, error);
  if (conn == NULL)
    return NULL;
  c = g_new0 (LineClient, 1);
  c->socket = g_object_ref (conn);
  line_client_set_stream (c, G_IO_STREAM (conn));
  return c;
}

static void
line_client_free (LineClient *c)
{
  g_clear_object (&c->in);
  g_clear_object (&c->stream);
  g_clear_object (&c->socket);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LineClient, line_client_free)

static void
line_client_send (LineClient *c,
                  const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), text, strlen (text),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads one line; NULL at end of stream. */
static char *
line_client_read (LineClient  *c,
                  GError     **error)
{
  return g_data_input_stream_read_line_utf8 (c->in, NULL, NULL, error);
}

/* Upgrades the connection to TLS (STARTTLS), trusting only the test CA. */
static void
line_client_starttls (LineClient *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = test_ca_database ();
  g_autoptr(GSocketConnectable) id = g_network_address_new ("localhost", 0);
  g_autoptr(GIOStream) tls = g_tls_client_connection_new (G_IO_STREAM (c->socket), id, &error);

  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), db);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);
  line_client_set_stream (c, tls);
}

/* SMTP */

/* Reads an SMTP reply (all its lines); returns the code. */
static int
smtp_reply (LineClient  *c,
            char       **text)
{
  g_autoptr(GString) all = g_string_new (NULL);
  int code = -1;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = line_client_read (c, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_string_append_printf (all, "%s\n", line);
      g_assert_cmpuint (strlen (line), >=, 3);
      code = atoi (line);
      if (line[3] != '-')
        break;
    }
  if (text != NULL)
    *text = g_string_free (g_steal_pointer (&all), FALSE);
  return code;
}

static int
smtp_cmd (LineClient  *c,
          const char  *line,
          char       **text)
{
  g_autofree char *with_crlf = g_strconcat (line, "\r\n", NULL);

  line_client_send (c, with_crlf);
  return smtp_reply (c, text);
}

static void
test_smtp_full_session (void)
{
  const char *rules[] = { "unknown 550 5.1.1 User unknown", "full 452 4.2.2 Mailbox full", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = NULL;
  g_autoptr(LineClient) c = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *ehlo = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *log = NULL;
  g_autofree char *new_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *msg;

  server = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_AUTH, rules, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ob_test_smtp_server_get_port (server), >, 0);

  c = line_client_connect (ob_test_smtp_server_get_port (server), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (smtp_reply (c, NULL), ==, 220);

  /* Before TLS: STARTTLS and the extensions, but no AUTH yet. */
  g_assert_cmpint (smtp_cmd (c, "EHLO client.test", &ehlo), ==, 250);
  g_assert_nonnull (strstr (ehlo, "STARTTLS"));
  g_assert_nonnull (strstr (ehlo, "PIPELINING"));
  g_assert_nonnull (strstr (ehlo, "8BITMIME"));
  g_assert_nonnull (strstr (ehlo, "SMTPUTF8"));
  g_assert_nonnull (strstr (ehlo, "SIZE"));
  g_assert_nonnull (strstr (ehlo, "ENHANCEDSTATUSCODES"));
  g_assert_null (strstr (ehlo, "AUTH"));
  g_clear_pointer (&ehlo, g_free);

  g_assert_cmpint (smtp_cmd (c, "STARTTLS", NULL), ==, 220);
  line_client_starttls (c);
  g_assert_cmpint (smtp_cmd (c, "EHLO client.test", &ehlo), ==, 250);
  g_assert_nonnull (strstr (ehlo, "AUTH LOGIN PLAIN"));
  g_assert_null (strstr (ehlo, "STARTTLS"));

  /* A wrong password, then AUTH PLAIN with testuser/testpass. */
  g_assert_cmpint (smtp_cmd (c, "AUTH PLAIN AHRlc3R1c2VyAHdyb25n", NULL), ==, 535);
  g_assert_cmpint (smtp_cmd (c, "AUTH PLAIN AHRlc3R1c2VyAHRlc3RwYXNz", NULL), ==, 235);

  g_assert_cmpint (smtp_cmd (c, "MAIL FROM:<sales@exporter.test>", &reply), ==, 250);
  g_assert_cmpstr (reply, ==, "250 2.1.0 OK\n");
  g_clear_pointer (&reply, g_free);
  g_assert_cmpint (smtp_cmd (c, "RCPT TO:<buyer@importer.test>", NULL), ==, 250);
  g_assert_cmpint (smtp_cmd (c, "RCPT TO:<unknown.person@importer.test>", &reply), ==, 550);
  g_assert_cmpstr (reply, ==, "550 5.1.1 User unknown\n");
  g_assert_cmpint (smtp_cmd (c, "RCPT TO:<full@importer.test>", NULL), ==, 452);
  g_assert_cmpint (smtp_cmd (c, "DATA", NULL), ==, 354);
  g_assert_cmpint (smtp_cmd (c, "Subject: Quote\r\n\r\nHello.\r\n..a line with a dot\r\n.", NULL), ==, 250);
  g_assert_cmpint (smtp_cmd (c, "QUIT", NULL), ==, 221);

  g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 1);
  new_dir = g_build_filename (ob_test_smtp_server_get_maildir (server), "new", NULL);
  dir = g_dir_open (new_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_dir_read_name (dir));

  messages = ob_test_smtp_server_get_messages (server);
  g_assert_cmpuint (messages->len, ==, 1);
  msg = messages->pdata[0];
  g_assert_true (g_str_has_prefix (msg,
                                   "X-Harness-Mail-From: sales@exporter.test\r\n"
                                   "X-Harness-Rcpt-To: buyer@importer.test\r\n"
                                   "X-Harness-Auth: testuser\r\n"
                                   "X-Harness-TLS: yes\r\n"
                                   "Subject: Quote\r\n"));
  g_assert_true (g_str_has_suffix (msg, "Hello.\r\n.a line with a dot\r\n"));

  log = ob_test_smtp_server_get_log (server);
  g_assert_nonnull (strstr (log, "STARTTLS\n"));
  g_assert_nonnull (strstr (log, "RCPT TO:<full@importer.test>\n"));
  g_assert_null (strstr (log, "Hello."));
}

static void
test_smtp_scripted_failures (void)
{
  g_autoptr(GError) error = NULL;

  {
    const char *rules[] = { "@greeting 421 4.3.2 Try later", NULL };
    g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (0, rules, &error);
    g_autoptr(LineClient) c = NULL;
    g_autofree char *text = NULL;
    g_autofree char *eof = NULL;

    g_assert_no_error (error);
    c = line_client_connect (ob_test_smtp_server_get_port (server), FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (smtp_reply (c, &text), ==, 421);
    g_assert_cmpstr (text, ==, "421 4.3.2 Try later\n");
    eof = line_client_read (c, &error);
    g_assert_no_error (error);
    g_assert_null (eof);
  }

  {
    const char *rules[] = { "@data-drop", NULL };
    g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_MINIMAL, rules, &error);
    g_autoptr(LineClient) c = NULL;
    g_autofree char *ehlo = NULL;
    g_autofree char *reply = NULL;
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    c = line_client_connect (ob_test_smtp_server_get_port (server), FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (smtp_reply (c, NULL), ==, 220);
    g_assert_cmpint (smtp_cmd (c, "EHLO client.test", &ehlo), ==, 250);
    g_assert_null (strstr (ehlo, "PIPELINING"));
    g_assert_null (strstr (ehlo, "8BITMIME"));
    g_assert_null (strstr (ehlo, "SMTPUTF8"));
    g_assert_null (strstr (ehlo, "SIZE"));
    g_assert_null (strstr (ehlo, "ENHANCEDSTATUSCODES"));
    g_assert_null (strstr (ehlo, "AUTH"));
    g_assert_cmpint (smtp_cmd (c, "MAIL FROM:<a@exporter.test>", &reply), ==, 250);
    g_assert_cmpstr (reply, ==, "250 OK\n");
    g_assert_cmpint (smtp_cmd (c, "RCPT TO:<b@importer.test>", NULL), ==, 250);
    g_assert_cmpint (smtp_cmd (c, "DATA", NULL), ==, 354);
    line_client_send (c, "Subject: cut\r\n\r\nfirst line\r\n");
    /* The server hangs up: end of stream (or a reset), never a reply. */
    after = line_client_read (c, &error);
    g_assert_null (after);
    g_clear_error (&error);
    g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 0);
  }

  {
    const char *rules[] = { "@data 554 5.7.1 Rejected as spam", NULL };
    g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (OB_TEST_SMTP_REQUIRE_AUTH, rules, &error);
    g_autoptr(LineClient) c = NULL;
    g_autofree char *ehlo = NULL;
    g_autofree char *log = NULL;

    g_assert_no_error (error);
    c = line_client_connect (ob_test_smtp_server_get_port (server), FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (smtp_reply (c, NULL), ==, 220);
    g_assert_cmpint (smtp_cmd (c, "EHLO client.test", &ehlo), ==, 250);
    g_assert_nonnull (strstr (ehlo, "AUTH LOGIN PLAIN"));
    g_assert_cmpint (smtp_cmd (c, "MAIL FROM:<a@exporter.test>", NULL), ==, 530);
    /* AUTH LOGIN: user and password in two steps. */
    g_assert_cmpint (smtp_cmd (c, "AUTH LOGIN", NULL), ==, 334);
    g_assert_cmpint (smtp_cmd (c, "dGVzdHVzZXI=", NULL), ==, 334);
    g_assert_cmpint (smtp_cmd (c, "dGVzdHBhc3M=", NULL), ==, 235);
    g_assert_cmpint (smtp_cmd (c, "MAIL FROM:<a@exporter.test>", NULL), ==, 250);
    g_assert_cmpint (smtp_cmd (c, "RCPT TO:<b@importer.test>", NULL), ==, 250);
    g_assert_cmpint (smtp_cmd (c, "DATA", NULL), ==, 354);
    g_assert_cmpint (smtp_cmd (c, "Subject: x\r\n\r\nbody\r\n.", NULL), ==, 554);
    g_assert_cmpuint (ob_test_smtp_server_count_messages (server), ==, 0);
    log = ob_test_smtp_server_get_log (server);
    g_assert_nonnull (strstr (log, "AUTH LOGIN\ndGVzdHVzZXI=\ndGVzdHBhc3M=\n"));
  }
}

static void
test_smtp_bad_rule (void)
{
  const char *rules[] = { "lonely-substring", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) server = ob_test_smtp_server_start (0, rules, &error);

  /* The script refuses the rule; the error carries its log. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "rule without a reply"));
  g_assert_null (server);
}

static void
test_smtp_implicit_tls_and_untrusted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestSmtpServer) good = NULL;
  g_autoptr(ObTestSmtpServer) bad = NULL;
  g_autoptr(LineClient) c = NULL;
  g_autoptr(LineClient) refused = NULL;
  g_autofree char *ehlo = NULL;

  good = ob_test_smtp_server_start (OB_TEST_SMTP_IMPLICIT_TLS | OB_TEST_SMTP_AUTH, NULL, &error);
  g_assert_no_error (error);
  c = line_client_connect (ob_test_smtp_server_get_port (good), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (smtp_reply (c, NULL), ==, 220);
  g_assert_cmpint (smtp_cmd (c, "EHLO client.test", &ehlo), ==, 250);
  g_assert_nonnull (strstr (ehlo, "AUTH LOGIN PLAIN"));
  g_assert_null (strstr (ehlo, "STARTTLS"));

  /* The same client refuses a server whose certificate the test CA did
   * not sign. */
  bad = ob_test_smtp_server_start (OB_TEST_SMTP_IMPLICIT_TLS | OB_TEST_SMTP_UNTRUSTED, NULL, &error);
  g_assert_no_error (error);
  refused = line_client_connect (ob_test_smtp_server_get_port (bad), TRUE, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_null (refused);
}

/* DNS */

static GBytes *
dns_query (const char *name,
           guint16     qtype,
           guint16     id)
{
  g_autoptr(GByteArray) q = g_byte_array_new ();
  g_auto(GStrv) labels = g_strsplit (name, ".", -1);
  const guint8 header[12] = { id >> 8, id & 0xff, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
  const guint8 tail[4] = { qtype >> 8, qtype & 0xff, 0, 1 };

  g_byte_array_append (q, header, sizeof header);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      guint8 len = strlen (labels[i]);

      if (len == 0)
        continue;
      g_byte_array_append (q, &len, 1);
      g_byte_array_append (q, (const guint8 *) labels[i], len);
    }
  g_byte_array_append (q, (const guint8 *) "", 1);
  g_byte_array_append (q, tail, sizeof tail);
  return g_byte_array_free_to_bytes (g_steal_pointer (&q));
}

static GBytes *
dns_udp (guint16  port,
         GBytes  *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, port);
  guint8 buf[65536];
  gssize n;

  g_assert_no_error (error);
  g_socket_set_timeout (sock, 5);
  g_socket_send_to (sock, addr, g_bytes_get_data (query, NULL), g_bytes_get_size (query), NULL, &error);
  g_assert_no_error (error);
  n = g_socket_receive (sock, (char *) buf, sizeof buf, NULL, &error);
  g_assert_no_error (error);
  return g_bytes_new (buf, n);
}

static GBytes *
dns_tcp (guint16  port,
         GBytes  *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  GInputStream *in;
  GOutputStream *out;
  guint8 len[2] = { g_bytes_get_size (query) >> 8, g_bytes_get_size (query) & 0xff };
  g_autofree guint8 *buf = NULL;
  gsize n;

  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (out, len, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, g_bytes_get_data (query, NULL), g_bytes_get_size (query),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (in, len, 2, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  buf = g_malloc ((len[0] << 8) | len[1]);
  g_input_stream_read_all (in, buf, (len[0] << 8) | len[1], &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, (gsize) ((len[0] << 8) | len[1]));
  return g_bytes_new (buf, n);
}

static guint
dns_ancount (GBytes *reply)
{
  const guint8 *p = g_bytes_get_data (reply, NULL);

  g_assert_cmpuint (g_bytes_get_size (reply), >=, 12);
  return (p[6] << 8) | p[7];
}

static gboolean
bytes_contain (GBytes     *bytes,
               const void *needle,
               gsize       len)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; len <= size && i <= size - len; i++)
    if (memcmp (data + i, needle, len) == 0)
      return TRUE;
  return FALSE;
}

static const char example_zone[] =
  "$ORIGIN example.test.\n"
  "$TTL 300\n"
  "@      IN MX  10 mail\n"
  "@      IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"
  "mail   IN A   127.0.0.1\n"
  "; twelve TXT records: more than 512 bytes, so UDP without EDNS is truncated\n"
  "big    IN TXT \"record 01 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 02 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 03 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 04 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 05 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 06 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 07 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 08 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 09 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 10 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 11 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"
  "big    IN TXT \"record 12 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n";

static const char other_zone[] =
  "$ORIGIN other.test.\n"
  "@ 600 IN SOA ns1.other.test. admin.other.test. 7 3600 600 86400 300\n"
  "@ 600 IN NS ns1.other.test.\n"
  "ns1 600 IN A 127.0.0.1\n"
  "_dmarc 600 IN TXT \"v=DMARC1; p=reject\"\n";

static void
test_dns (void)
{
  const char *zones[] = { example_zone, other_zone, NULL };
  const guint8 mx_rdata[] = { 0, 10, 4, 'm', 'a', 'i', 'l' };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestDnsServer) server = NULL;
  g_autoptr(GBytes) q = NULL;
  g_autoptr(GBytes) r = NULL;
  guint16 port;

  server = ob_test_dns_server_start (zones, &error);
  g_assert_no_error (error);
  port = ob_test_dns_server_get_port (server);
  g_assert_cmpuint (port, >, 0);

  q = dns_query ("example.test", 16, 0x1001);
  r = dns_udp (port, q);
  g_assert_cmpuint (dns_ancount (r), ==, 1);
  g_assert_true (bytes_contain (r, "\x19v=spf1 ip4:127.0.0.1 -all", 26));
  g_clear_pointer (&q, g_bytes_unref);
  g_clear_pointer (&r, g_bytes_unref);

  q = dns_query ("example.test", 15, 0x1002);
  r = dns_udp (port, q);
  g_assert_cmpuint (dns_ancount (r), ==, 1);
  g_assert_true (bytes_contain (r, mx_rdata, sizeof mx_rdata));
  g_clear_pointer (&q, g_bytes_unref);
  g_clear_pointer (&r, g_bytes_unref);

  /* The second zone, over TCP, with its own SOA kept. */
  q = dns_query ("_dmarc.other.test", 16, 0x1003);
  r = dns_tcp (port, q);
  g_assert_cmpuint (dns_ancount (r), ==, 1);
  g_assert_true (bytes_contain (r, "v=DMARC1; p=reject", 18));
  g_clear_pointer (&q, g_bytes_unref);
  g_clear_pointer (&r, g_bytes_unref);

  /* A large answer: truncated over UDP without EDNS, whole over TCP. */
  q = dns_query ("big.example.test", 16, 0x1004);
  r = dns_udp (port, q);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (r, NULL))[2] & 0x02, ==, 0x02);
  g_assert_cmpuint (g_bytes_get_size (r), <=, 512);
  g_clear_pointer (&r, g_bytes_unref);
  r = dns_tcp (port, q);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (r, NULL))[2] & 0x02, ==, 0);
  g_assert_cmpuint (dns_ancount (r), ==, 12);
  g_assert_true (bytes_contain (r, "record 12 x", 11));
  g_clear_pointer (&q, g_bytes_unref);
  g_clear_pointer (&r, g_bytes_unref);

  /* A name that does not exist: NXDOMAIN, authoritative. */
  q = dns_query ("nothing.example.test", 1, 0x1005);
  r = dns_udp (port, q);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (r, NULL))[3] & 0x0f, ==, 3);
}

static void
test_dns_bad_zone (void)
{
  const char *no_origin[] = { "@ IN TXT \"no origin\"\n", NULL };
  const char *broken[] = { "$ORIGIN broken.test.\n@ IN MX mail\n", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestDnsServer) server = ob_test_dns_server_start (no_origin, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (server);
  g_clear_error (&error);

  /* A zone knot cannot load: an error at once, with knot's log in it. */
  server = ob_test_dns_server_start (broken, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "broken.test"));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_null (server);
}

/* IMAP */

/* Sends "@tag @command" and reads up to the tagged reply; returns TRUE for
 * OK. All lines go to @text. */
static gboolean
imap_cmd (LineClient  *c,
          const char  *tag,
          const char  *command,
          char       **text)
{
  g_autofree char *line_out = g_strdup_printf ("%s %s\r\n", tag, command);
  g_autofree char *prefix = g_strconcat (tag, " ", NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  gboolean ok = FALSE;

  line_client_send (c, line_out);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = line_client_read (c, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_string_append_printf (all, "%s\n", line);
      if (g_str_has_prefix (line, prefix))
        {
          ok = g_str_has_prefix (line + strlen (prefix), "OK");
          break;
        }
    }
  if (text != NULL)
    *text = g_string_free (g_steal_pointer (&all), FALSE);
  return ok;
}

static const char imap_message[] =
  "From: Buyer <buyer@importer.test>\r\n"
  "To: sales@exporter.test\r\n"
  "Subject: Re: Quote for 40 pallets\r\n"
  "Message-ID: <reply-1@importer.test>\r\n"
  "\r\n"
  "Please send the price list.\r\n";

static void
test_imap (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestImapServer) server = NULL;
  g_autoptr(LineClient) c = NULL;
  g_autoptr(LineClient) plain = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *text = NULL;

  server = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (ob_test_imap_server_get_port (server), >, 0);
  g_assert_cmpuint (ob_test_imap_server_get_tls_port (server), >, 0);
  g_assert_true (g_str_has_suffix (ob_test_imap_server_get_maildir (server), "/Maildir"));

  ob_test_imap_server_deliver (server, "INBOX", imap_message, strlen (imap_message), &error);
  g_assert_no_error (error);
  ob_test_imap_server_deliver (server, "Sent", imap_message, strlen (imap_message), &error);
  g_assert_no_error (error);
  ob_test_imap_server_deliver (server, "Sent", imap_message, strlen (imap_message), &error);
  g_assert_no_error (error);

  /* Implicit TLS, trusting only the test CA. */
  c = line_client_connect (ob_test_imap_server_get_tls_port (server), TRUE, &error);
  g_assert_no_error (error);
  greeting = line_client_read (c, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (greeting, "* OK [CAPABILITY"));
  g_assert_false (imap_cmd (c, "a0", "LOGIN testuser wrong", NULL));
  g_assert_true (imap_cmd (c, "a1", "LOGIN testuser testpass", NULL));
  g_assert_true (imap_cmd (c, "a2", "SELECT INBOX", &text));
  g_assert_nonnull (strstr (text, "\n* 1 EXISTS\n"));
  g_clear_pointer (&text, g_free);
  g_assert_true (imap_cmd (c, "a3", "FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]", &text));
  g_assert_nonnull (strstr (text, "Subject: Re: Quote for 40 pallets"));
  g_clear_pointer (&text, g_free);
  g_assert_true (imap_cmd (c, "a4", "SELECT Sent", &text));
  g_assert_nonnull (strstr (text, "\n* 2 EXISTS\n"));
  g_clear_pointer (&text, g_free);
  g_assert_true (imap_cmd (c, "a5", "LOGOUT", NULL));

  /* The plain port offers STARTTLS. */
  plain = line_client_connect (ob_test_imap_server_get_port (server), FALSE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&greeting, g_free);
  greeting = line_client_read (plain, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (greeting, "STARTTLS"));
  g_assert_true (imap_cmd (plain, "b1", "STARTTLS", NULL));
  line_client_starttls (plain);
  g_assert_true (imap_cmd (plain, "b2", "LOGIN testuser testpass", NULL));
  g_assert_true (imap_cmd (plain, "b3", "EXAMINE INBOX", &text));
  g_assert_nonnull (strstr (text, "\n* 1 EXISTS\n"));
}

/* HTTPS */

static void
test_https (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestDir) docroot = ob_test_dir_new ();
  g_autoptr(ObTestHttpsServer) server = NULL;
  g_autoptr(GTlsDatabase) db = test_ca_database ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) untrusting = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) missing = NULL;
  g_autoptr(SoupMessage) refused = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autofree char *file = ob_test_dir_file (docroot, "mta-sts.txt");
  g_autofree char *url = NULL;
  const char policy[] = "version: STSv1\nmode: enforce\nmx: mail.example.test\nmax_age: 86400\n";

  g_file_set_contents (file, policy, -1, &error);
  g_assert_no_error (error);

  server = ob_test_https_server_start (ob_test_dir_get_path (docroot), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ob_test_https_server_get_port (server), >, 0);

  session = soup_session_new_with_options ("tls-database", db, "timeout", 10, NULL);
  url = g_strdup_printf ("https://localhost:%u/mta-sts.txt", ob_test_https_server_get_port (server));
  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), policy, strlen (policy));

  g_free (url);
  url = g_strdup_printf ("https://127.0.0.1:%u/absent.txt", ob_test_https_server_get_port (server));
  missing = soup_message_new ("GET", url);
  none = soup_session_send_and_read (session, missing, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (missing), ==, SOUP_STATUS_NOT_FOUND);

  /* With the system trust store only, the test certificate is refused. */
  untrusting = soup_session_new_with_options ("timeout", 10, NULL);
  refused = soup_message_new ("GET", url);
  g_clear_pointer (&none, g_bytes_unref);
  none = soup_session_send_and_read (untrusting, refused, NULL, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_null (none);
}

/* Keyring */

static const SecretSchema test_schema = {
  "io.github.outboundapp.Outbound.Test", SECRET_SCHEMA_NONE,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = NULL;
  g_autofree char *outer_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *outer_home = g_strdup (g_getenv ("HOME"));
  g_autofree char *found = NULL;
  g_autofree char *gone = NULL;
  gboolean ok;

  keyring = ob_test_keyring_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), !=, outer_bus);

  ok = secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "Outbound harness test",
                                   "s3cret-äöü", NULL, &error,
                                   "account", "sales@exporter.test", NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  found = secret_password_lookup_sync (&test_schema, NULL, &error, "account", "sales@exporter.test", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "s3cret-äöü");

  /* The keyring lives in the harness's temporary directory. */
  {
    g_autofree char *file = g_build_filename (g_getenv ("XDG_DATA_HOME"), "keyrings", "login.keyring", NULL);

    g_assert_true (g_str_has_prefix (file, g_get_tmp_dir ()));
    g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  }

  ok = secret_password_clear_sync (&test_schema, NULL, &error, "account", "sales@exporter.test", NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  gone = secret_password_lookup_sync (&test_schema, NULL, &error, "account", "sales@exporter.test", NULL);
  g_assert_no_error (error);
  g_assert_null (gone);

  g_clear_pointer (&keyring, ob_test_keyring_free);
  g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), ==, outer_bus);
  g_assert_cmpstr (g_getenv ("HOME"), ==, outer_home);
}

/* Several keyrings one after another in one program, each one empty. */
static void
test_keyring_fresh_each_start (void)
{
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      g_assert_no_error (error);
      before = secret_password_lookup_sync (&test_schema, NULL, &error, "account", "left@behind.test", NULL);
      g_assert_no_error (error);
      g_assert_null (before);
      secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "Left behind", "stale",
                                  NULL, &error, "account", "left@behind.test", NULL);
      g_assert_no_error (error);
      after = secret_password_lookup_sync (&test_schema, NULL, &error, "account", "left@behind.test", NULL);
      g_assert_no_error (error);
      g_assert_cmpstr (after, ==, "stale");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First: the keyring must come before any session-bus use. */
  g_test_add_func ("/harness/keyring/secret-roundtrip", test_keyring);
  g_test_add_func ("/harness/keyring/fresh-each-start", test_keyring_fresh_each_start);
  g_test_add_func ("/harness/smtp/full-session", test_smtp_full_session);
  g_test_add_func ("/harness/smtp/scripted-failures", test_smtp_scripted_failures);
  g_test_add_func ("/harness/smtp/implicit-tls-and-untrusted", test_smtp_implicit_tls_and_untrusted);
  g_test_add_func ("/harness/smtp/bad-rule", test_smtp_bad_rule);
  g_test_add_func ("/harness/dns/answers", test_dns);
  g_test_add_func ("/harness/dns/bad-zone", test_dns_bad_zone);
  g_test_add_func ("/harness/imap/tls-login-select", test_imap);
  g_test_add_func ("/harness/https/get", test_https);

  return g_test_run ();
}
