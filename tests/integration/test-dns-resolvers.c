/* test-dns-resolvers.c — the UDP/TCP and DNS-over-HTTPS resolvers against a
 * real DNS server (knot) on loopback: answers, a truncated UDP answer that
 * forces TCP, NXDOMAIN, a server that never answers, and DoH through a
 * local HTTPS server (SoupServer with the test CA) that forwards to knot.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ob-dns-doh-resolver.h"
#include "ob-dns-message.h"
#include "ob-dns-server-resolver.h"
#include "ob-dns-system-resolver.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

#define N_BIG 12

static ObTestDnsServer *dns_server;

static char *
zone_text (void)
{
  GString *z = g_string_new ("$ORIGIN example.test.\n"
                             "$TTL 300\n"
                             "@ MX 10 mail\n"
                             "mail A 192.0.2.1\n"
                             "mail AAAA 2001:db8::1\n"
                             "@ TXT \"v=spf1 mx -all\"\n"
                             "multi TXT \"part one\" \" part two\"\n"
                             "www CNAME mail\n");

  /* 12 TXT records of ~200 bytes: ~2.5 KB, over any UDP buffer we offer. */
  for (guint i = 0; i < N_BIG; i++)
    {
      g_autofree char *fill = g_strnfill (190, 'a' + i);

      g_string_append_printf (z, "big TXT \"%02u-%s\"\n", i, fill);
    }
  return g_string_free (z, FALSE);
}

typedef struct
{
  GMainLoop   *loop;
  ObDnsAnswer *answer;
  GError      *error;
} Wait;

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *w = user_data;

  w->answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

static ObDnsAnswer *
query_sync (ObDnsResolver *resolver,
            const char    *name,
            guint16        type,
            GError       **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  ob_dns_resolver_query_async (resolver, name, type, NULL, query_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.answer;
}

static ObDnsResolver *
server_resolver (ObDnsTransport transport)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, ob_test_dns_server_get_port (dns_server));

  return ob_dns_server_resolver_new (addr, transport);
}

/* @refused_code: how the resolver reports a server that refuses; the C
 * library's resolver cannot tell REFUSED from SERVFAIL. */
static void
check_basic_answers (ObDnsResolver *r,
                     ObDnsError     refused_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;
  g_autoptr(GPtrArray) found = NULL;
  ObDnsRecord *rec;

  a = query_sync (r, "example.test", OB_DNS_TYPE_MX, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_assert_true (a->authoritative);
  g_assert_cmpuint (a->records->len, ==, 1);
  rec = g_ptr_array_index (a->records, 0);
  g_assert_cmpuint (rec->preference, ==, 10);
  g_assert_cmpstr (rec->target, ==, "mail.example.test");
  g_assert_cmpuint (rec->ttl, ==, 300);
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = query_sync (r, "multi.example.test", OB_DNS_TYPE_TXT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->records->len, ==, 1);
  rec = g_ptr_array_index (a->records, 0);
  g_assert_cmpstr (rec->text, ==, "part one part two");
  g_assert_cmpuint (g_strv_length (rec->strings), ==, 2);
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = query_sync (r, "mail.example.test", OB_DNS_TYPE_AAAA, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->target, ==, "2001:db8::1");
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = query_sync (r, "www.example.test", OB_DNS_TYPE_A, &error);
  g_assert_no_error (error);
  found = ob_dns_answer_collect (a, "www.example.test", OB_DNS_TYPE_A);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (found, 0))->target, ==, "192.0.2.1");
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* NXDOMAIN is an answer, not an error; NODATA likewise. */
  a = query_sync (r, "nothere.example.test", OB_DNS_TYPE_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NXDOMAIN);
  g_assert_cmpuint (a->records->len, ==, 0);
  g_clear_pointer (&a, ob_dns_answer_unref);
  a = query_sync (r, "mail.example.test", OB_DNS_TYPE_TXT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_assert_cmpuint (a->records->len, ==, 0);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* Outside the server's zones: knot refuses. */
  a = query_sync (r, "example.org", OB_DNS_TYPE_A, &error);
  g_assert_null (a);
  g_assert_error (error, OB_DNS_ERROR, refused_code);
}

static void
test_udp_answers (void)
{
  g_autoptr(ObDnsResolver) r = server_resolver (OB_DNS_TRANSPORT_UDP);

  check_basic_answers (r, OB_DNS_ERROR_REFUSED);
}

/* The system resolver (res_nquery) pointed at knot: the same answers, TTLs
 * included, and NXDOMAIN told from NODATA, which GResolver cannot do. */
static void
test_system_answers (void)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", ob_test_dns_server_get_port (dns_server));
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("OUTBOUND_SYSTEM_DNS_SERVER", server, TRUE);
  r = ob_dns_system_resolver_new ();
  g_unsetenv ("OUTBOUND_SYSTEM_DNS_SERVER");
  check_basic_answers (r, OB_DNS_ERROR_SERVFAIL);

  /* A TXT answer too big for UDP comes back whole (the C library retries over TCP). */
  a = query_sync (r, "big.example.test", OB_DNS_TYPE_TXT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->records->len, ==, N_BIG);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* CNAME is a record type like any other here. */
  a = query_sync (r, "www.example.test", OB_DNS_TYPE_CNAME, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->records->len, ==, 1);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->target, ==, "mail.example.test");
}

static void
test_tcp_answers (void)
{
  g_autoptr(ObDnsResolver) r = server_resolver (OB_DNS_TRANSPORT_TCP);

  check_basic_answers (r, OB_DNS_ERROR_REFUSED);
}

static void
assert_big_rrset (ObDnsAnswer *a)
{
  g_assert_false (a->truncated);
  g_assert_cmpuint (a->records->len, ==, N_BIG);
  for (guint i = 0; i < a->records->len; i++)
    g_assert_cmpuint (strlen (((ObDnsRecord *) g_ptr_array_index (a->records, i))->text), ==, 193);
}

static void
test_udp_truncated_falls_back_to_tcp (void)
{
  g_autoptr(ObDnsResolver) r = server_resolver (OB_DNS_TRANSPORT_UDP);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;

  /* ~2.5 KB cannot come over UDP with a 1232-byte EDNS buffer: the server
   * sets TC and all 12 records can only arrive over TCP. */
  a = query_sync (r, "big.example.test", OB_DNS_TYPE_TXT, &error);
  g_assert_no_error (error);
  assert_big_rrset (a);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* Without EDNS the 512-byte limit applies; the same. */
  ob_dns_server_resolver_set_edns_size (OB_DNS_SERVER_RESOLVER (r), 0);
  a = query_sync (r, "big.example.test", OB_DNS_TYPE_TXT, &error);
  g_assert_no_error (error);
  assert_big_rrset (a);
}

static void
test_udp_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;
  gint64 start, elapsed;

  /* A bound UDP port where nothing ever answers. */
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (silent, any, FALSE, &error));
  bound = g_socket_get_local_address (silent, &error);
  g_assert_no_error (error);

  r = ob_dns_server_resolver_new (bound, OB_DNS_TRANSPORT_UDP);
  ob_dns_server_resolver_set_timeout (OB_DNS_SERVER_RESOLVER (r), 300, 2);
  start = g_get_monotonic_time ();
  a = query_sync (r, "example.test", OB_DNS_TYPE_A, &error);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_assert_null (a);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT);
  g_test_message ("timed out after %" G_GINT64_FORMAT " ms (2 × 300 ms configured)", elapsed);
  g_assert_cmpint (elapsed, >=, 550);
  g_assert_cmpint (elapsed, <, 1500);
}


static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_udp_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  gint64 start, elapsed;

  g_assert_true (g_socket_bind (silent, any, FALSE, &error));
  bound = g_socket_get_local_address (silent, &error);
  r = ob_dns_server_resolver_new (bound, OB_DNS_TRANSPORT_UDP);
  ob_dns_server_resolver_set_timeout (OB_DNS_SERVER_RESOLVER (r), 5000, 1);

  start = g_get_monotonic_time ();
  g_timeout_add (100, cancel_cb, cancellable);
  ob_dns_resolver_query_async (r, "example.test", OB_DNS_TYPE_A, cancellable, query_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  elapsed = (g_get_monotonic_time () - start) / 1000;
  g_assert_null (w.answer);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&w.error);
  g_assert_cmpint (elapsed, <, 2000);
}


/* A scripted UDP server on loopback that answers FORMERR to any query
 * carrying an OPT record (a server from before EDNS) and a real answer
 * (192.0.2.99) to one without. */
typedef struct
{
  GSocket *socket;
  guint    edns_queries;
  guint    plain_queries;
} OldServer;

static gboolean
old_server_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  OldServer *srv = user_data;
  guint8 buf[512];
  g_autoptr(GSocketAddress) from = NULL;
  gssize n = g_socket_receive_from (socket, &from, (char *) buf, sizeof buf, NULL, NULL);
  g_autofree char *qname = NULL;
  guint16 qtype = 0;
  guint16 arcount;
  g_autoptr(ObDnsAnswer) answer = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GByteArray) question = NULL;

  if (n < 12)
    return G_SOURCE_CONTINUE;
  arcount = (buf[10] << 8) | buf[11];
  /* Decode the question with the codec: flip QR so it reads as a response. */
  buf[2] |= 0x80;
  question = g_byte_array_new ();
  g_byte_array_append (question, buf, n);
  question->data[10] = question->data[11] = 0; /* ignore the OPT record */
  {
    g_autoptr(ObDnsAnswer) parsed = ob_dns_message_decode (question->data, question->len, NULL, &qname, &qtype, NULL);

    g_assert_nonnull (parsed);
  }
  if (arcount > 0)
    {
      srv->edns_queries++;
      answer = ob_dns_answer_new (OB_DNS_RCODE_FORMERR);
    }
  else
    {
      ObDnsRecord *r = ob_dns_record_new (qname, OB_DNS_TYPE_A, 60);

      srv->plain_queries++;
      answer = ob_dns_answer_new (OB_DNS_RCODE_NOERROR);
      r->target = g_strdup ("192.0.2.99");
      g_ptr_array_add (answer->records, r);
    }
  reply = ob_dns_message_encode_response ((buf[0] << 8) | buf[1], qname, qtype, answer, NULL);
  g_socket_send_to (socket, from, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static void
test_udp_formerr_retries_without_edns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;
  OldServer srv = { 0 };
  GSource *source;

  srv.socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (srv.socket, any, FALSE, &error));
  g_socket_set_blocking (srv.socket, FALSE);
  bound = g_socket_get_local_address (srv.socket, &error);
  source = g_socket_create_source (srv.socket, G_IO_IN, NULL);
  g_source_set_callback (source, (GSourceFunc) (GCallback) old_server_cb, &srv, NULL);
  g_source_attach (source, NULL);

  r = ob_dns_server_resolver_new (bound, OB_DNS_TRANSPORT_UDP);
  a = query_sync (r, "old.example.test", OB_DNS_TYPE_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->target, ==, "192.0.2.99");
  g_assert_cmpuint (srv.edns_queries, ==, 1);
  g_assert_cmpuint (srv.plain_queries, ==, 1);

  g_source_destroy (source);
  g_source_unref (source);
  g_object_unref (srv.socket);
}

static void
test_tcp_refused_connection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;

  /* Bind and close: the port is then (almost surely) closed. */
  g_assert_true (g_socket_bind (sock, any, FALSE, &error));
  bound = g_socket_get_local_address (sock, &error);
  g_socket_close (sock, NULL);

  r = ob_dns_server_resolver_new (bound, OB_DNS_TRANSPORT_TCP);
  a = query_sync (r, "example.test", OB_DNS_TYPE_A, &error);
  g_assert_null (a);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK);
}

/* ---- DoH: a local HTTPS server forwarding to knot over TCP ---- */

static GBytes *
forward_tcp (GBytes *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  gsize qlen = g_bytes_get_size (query);
  guint8 len[2] = { qlen >> 8, qlen & 0xff };
  g_autofree guint8 *buf = NULL;
  gsize n = 0, want;

  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", ob_test_dns_server_get_port (dns_server),
                                          NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), len, 2, NULL, NULL, &error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                             g_bytes_get_data (query, NULL), qlen, NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (conn)), len, 2, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  want = (len[0] << 8) | len[1];
  buf = g_malloc (want);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, want, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, want);
  return g_bytes_new (buf, want);
}

static guint doh_requests;

static void
doh_handler_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;

  doh_requests++;
  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0 ||
      g_strcmp0 (soup_message_headers_get_content_type (headers, NULL), "application/dns-message") != 0)
    {
      soup_server_message_set_status (msg, 415, NULL);
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  answer = forward_tcp (body);
  soup_server_message_set_response (msg, "application/dns-message", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  soup_server_message_set_status (msg, 200, NULL);
}

static SoupServer *
start_doh_server (char **uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  SoupServer *server;
  GSList *uris;

  cert = g_tls_certificate_new_from_files (ob_test_server_cert_pem (), ob_test_server_key_pem (), &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, "/dns-query", doh_handler_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *uri = g_strdup_printf ("https://localhost:%d/dns-query", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
test_doh (void)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = start_doh_server (&uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;

  r = ob_dns_doh_resolver_new (uri, ob_test_ca_pem (), &error);
  g_assert_no_error (error);
  doh_requests = 0;
  check_basic_answers (r, OB_DNS_ERROR_REFUSED);
  g_assert_cmpuint (doh_requests, ==, 7);

  /* A large answer comes whole over HTTPS. */
  a = query_sync (r, "big.example.test", OB_DNS_TYPE_TXT, &error);
  g_assert_no_error (error);
  assert_big_rrset (a);
}

static void
test_doh_untrusted (void)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = start_doh_server (&uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) r = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;

  /* Without the test CA the server's certificate is not trusted. */
  r = ob_dns_doh_resolver_new (uri, NULL, &error);
  g_assert_no_error (error);
  a = query_sync (r, "example.test", OB_DNS_TYPE_MX, &error);
  g_assert_null (a);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zone = NULL;
  const char *zones[2] = { NULL, NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);

  zone = zone_text ();
  zones[0] = zone;
  dns_server = ob_test_dns_server_start (zones, &error);
  g_assert_no_error (error);

  g_test_add_func ("/dns-resolvers/udp/answers", test_udp_answers);
  g_test_add_func ("/dns-resolvers/udp/truncated-falls-back-to-tcp", test_udp_truncated_falls_back_to_tcp);
  g_test_add_func ("/dns-resolvers/udp/timeout", test_udp_timeout);
  g_test_add_func ("/dns-resolvers/udp/cancel", test_udp_cancel);
  g_test_add_func ("/dns-resolvers/udp/formerr-retries-without-edns", test_udp_formerr_retries_without_edns);
  g_test_add_func ("/dns-resolvers/tcp/answers", test_tcp_answers);
  g_test_add_func ("/dns-resolvers/system/answers", test_system_answers);
  g_test_add_func ("/dns-resolvers/tcp/connection-refused", test_tcp_refused_connection);
  g_test_add_func ("/dns-resolvers/doh/answers", test_doh);
  g_test_add_func ("/dns-resolvers/doh/untrusted", test_doh_untrusted);

  ret = g_test_run ();
  ob_test_dns_server_free (dns_server);
  return ret;
}
