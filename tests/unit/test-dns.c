/* test-dns.c — the DNS codec, the zone-file parser, the zone and caching
 * resolvers and the resolver factory.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-dns-caching-resolver.h"
#include "ob-dns-message.h"
#include "ob-dns-resolver.h"
#include "ob-dns-system-resolver.h"
#include "ob-dns-zone-resolver.h"
#include "ob-test-util.h"

/* A response to "example.test MX": MX, TXT (two strings), A, AAAA, an
 * unknown type, and an SOA in the authority section; all names compressed. */
static const guint8 mx_response[] = {
  0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00,
  /* question at 12 */
  0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x04, 't', 'e', 's', 't', 0x00, 0x00, 0x0f, 0x00, 0x01,
  /* MX 10 mail.<ptr 12> */
  0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x09,
  0x00, 0x0a, 0x04, 'm', 'a', 'i', 'l', 0xc0, 0x0c,
  /* TXT "v=spf1 " "-all" */
  0xc0, 0x0c, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x0d,
  0x07, 'v', '=', 's', 'p', 'f', '1', ' ', 0x04, '-', 'a', 'l', 'l',
  /* A 192.0.2.1 */
  0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 192, 0, 2, 1,
  /* AAAA 2001:db8::1 */
  0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x10,
  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  /* TYPE65, 2 raw bytes */
  0xc0, 0x0c, 0x00, 0x41, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x02, 0xab, 0xcd,
  /* SOA ns1.<12> hostmaster.<12> 1 2 3 4 5 */
  0xc0, 0x0c, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x27,
  0x03, 'n', 's', '1', 0xc0, 0x0c, 0x0a, 'h', 'o', 's', 't', 'm', 'a', 's', 't', 'e', 'r', 0xc0, 0x0c,
  0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
};

static void
test_codec_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;
  g_autofree char *qname = NULL;
  guint16 id = 0, qtype = 0;
  ObDnsRecord *r;
  gsize len;

  answer = ob_dns_message_decode (mx_response, sizeof mx_response, &id, &qname, &qtype, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, ==, 0x1234);
  g_assert_cmpstr (qname, ==, "example.test");
  g_assert_cmpuint (qtype, ==, OB_DNS_TYPE_MX);
  g_assert_cmpuint (answer->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_assert_false (answer->truncated);
  g_assert_cmpuint (answer->records->len, ==, 5);

  r = g_ptr_array_index (answer->records, 0);
  g_assert_cmpstr (r->name, ==, "example.test");
  g_assert_cmpuint (r->type, ==, OB_DNS_TYPE_MX);
  g_assert_cmpuint (r->ttl, ==, 300);
  g_assert_cmpuint (r->preference, ==, 10);
  g_assert_cmpstr (r->target, ==, "mail.example.test");

  r = g_ptr_array_index (answer->records, 1);
  g_assert_cmpuint (r->type, ==, OB_DNS_TYPE_TXT);
  g_assert_cmpstr (r->text, ==, "v=spf1 -all");
  g_assert_cmpuint (g_strv_length (r->strings), ==, 2);
  g_assert_cmpstr (r->strings[0], ==, "v=spf1 ");
  g_assert_cmpstr (r->strings[1], ==, "-all");

  r = g_ptr_array_index (answer->records, 2);
  g_assert_cmpstr (r->target, ==, "192.0.2.1");
  r = g_ptr_array_index (answer->records, 3);
  g_assert_cmpstr (r->target, ==, "2001:db8::1");
  r = g_ptr_array_index (answer->records, 4);
  g_assert_cmpuint (r->type, ==, 65);
  g_assert_null (r->target);
  g_assert_cmpmem (g_bytes_get_data (r->rdata, &len), len, "\xab\xcd", 2);

  g_assert_cmpuint (answer->authority->len, ==, 1);
  r = g_ptr_array_index (answer->authority, 0);
  g_assert_cmpstr (r->target, ==, "ns1.example.test");
  g_assert_cmpstr (r->text, ==, "hostmaster.example.test");
  g_assert_cmpuint (r->soa[0], ==, 1);
  g_assert_cmpuint (r->soa[4], ==, 5);

  /* The cacheable lifetime is the smallest record TTL. */
  g_assert_cmpuint (ob_dns_answer_get_ttl (answer), ==, 60);
}

static void
test_codec_truncated_packets (void)
{
  /* Every strict prefix of a valid response is refused cleanly. */
  for (gsize cut = 0; cut < sizeof mx_response; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ObDnsAnswer) answer = NULL;
      g_autofree char *qname = NULL;

      answer = ob_dns_message_decode (mx_response, cut, NULL, &qname, NULL, &error);
      g_assert_null (answer);
      g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED);
      g_assert_null (qname);
    }
}

static void
assert_malformed (const guint8 *data,
                  gsize         len,
                  const char   *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = ob_dns_message_decode (data, len, NULL, NULL, NULL, &error);

  g_assert_null (answer);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_codec_compression_loops (void)
{
  /* The question name is a pointer to itself. */
  static const guint8 self_loop[] = {
    0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
    0xc0, 0x0c, 0, 1, 0, 1,
  };
  /* Two names pointing at each other: 12 → 16 (forward) and 16 → 12. */
  static const guint8 mutual[] = {
    0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
    0xc0, 0x10, 0, 1,
    0xc0, 0x0c, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4,
  };
  /* A label that goes back to the pointer in the middle of a name:
   * "a" then a pointer to 12 (the start of the same name). */
  static const guint8 back_into_self[] = {
    0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
    0x01, 'a', 0xc0, 0x0c, 0, 1, 0, 1,
  };
  /* 0x40 label type (extended labels) is not allowed. */
  static const guint8 bad_label[] = {
    0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
    0x41, 'a', 0, 0, 1, 0, 1,
  };
  /* An A record with 5 bytes of address. */
  static const guint8 bad_a[] = {
    0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0,
    0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5,
  };
  /* A query, not a response. */
  static const guint8 query[] = { 0, 1, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
  /* A TXT character-string running past its rdata. */
  static const guint8 bad_txt[] = {
    0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0,
    0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 3, 5, 'a', 'b',
  };

  assert_malformed (self_loop, sizeof self_loop, "pointer");
  assert_malformed (mutual, sizeof mutual, "pointer");
  assert_malformed (back_into_self, sizeof back_into_self, "pointer");
  assert_malformed (bad_label, sizeof bad_label, "label");
  assert_malformed (bad_a, sizeof bad_a, "address");
  assert_malformed (query, sizeof query, "not a response");
  assert_malformed (bad_txt, sizeof bad_txt, "character-string");
}

static void
test_codec_name_too_long (void)
{
  /* 5 labels of 63 bytes via uncompressed labels: 320 bytes > 255. */
  g_autoptr(GByteArray) pkt = g_byte_array_new ();
  static const guint8 header[] = { 0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0 };
  guint8 label[64];

  memset (label, 'x', sizeof label);
  label[0] = 63;
  g_byte_array_append (pkt, header, sizeof header);
  for (guint i = 0; i < 5; i++)
    g_byte_array_append (pkt, label, 64);
  g_byte_array_append (pkt, (const guint8 *) "\0\0\1\0\1", 5);
  assert_malformed (pkt->data, pkt->len, "255");
}

static void
test_codec_encode_query (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) q = NULL;
  static const guint8 expected[] = {
    0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
    0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x04, 't', 'e', 's', 't', 0x00, 0x00, 0x10, 0x00, 0x01,
    0x00, 0x00, 0x29, 0x04, 0xd0, 0, 0, 0, 0, 0, 0,
  };
  g_autofree char *long_label = g_strnfill (64, 'a');

  q = ob_dns_message_encode_query (0xbeef, "example.test.", OB_DNS_TYPE_TXT, 1232, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (q, NULL), g_bytes_get_size (q), expected, sizeof expected);

  g_clear_pointer (&q, g_bytes_unref);
  q = ob_dns_message_encode_query (1, long_label, OB_DNS_TYPE_A, 0, &error);
  g_assert_null (q);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_NAME);
  g_clear_error (&error);
  q = ob_dns_message_encode_query (1, "a..b", OB_DNS_TYPE_A, 0, &error);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_NAME);
}

static void
test_codec_round_trip (void)
{
  g_autoptr(ObDnsAnswer) answer = ob_dns_answer_new (OB_DNS_RCODE_NOERROR);
  g_autoptr(ObDnsAnswer) back = NULL;
  g_autoptr(GBytes) wire = NULL;
  g_autoptr(GError) error = NULL;
  ObDnsRecord *r = ob_dns_record_new ("example.test", OB_DNS_TYPE_SPF, 120);
  const char *strings[] = { "v=spf1 ", "ip4:192.0.2.0/24 -all", NULL };

  r->strings = g_strdupv ((char **) strings);
  g_ptr_array_add (answer->records, r);
  wire = ob_dns_message_encode_response (7, "example.test", OB_DNS_TYPE_SPF, answer, &error);
  g_assert_no_error (error);
  back = ob_dns_message_decode (g_bytes_get_data (wire, NULL), g_bytes_get_size (wire),
                                NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->records->len, ==, 1);
  r = g_ptr_array_index (back->records, 0);
  g_assert_cmpuint (r->type, ==, 99);
  g_assert_cmpstr (r->text, ==, "v=spf1 ip4:192.0.2.0/24 -all");
}

static const char zone_text[] =
  "; a zone as a user would write it\n"
  "$ORIGIN example.test.\n"
  "$TTL 1h\n"
  "@   IN SOA ns1 hostmaster ( 2026010101 ; serial\n"
  "        3600 600 86400\n"
  "        300 )\n"
  "    IN NS ns1\n"
  "ns1 A 127.0.0.1\n"
  "@ 600 MX 10 mail\n"
  "@ MX 20 backup.example.net.\n"
  "mail IN 300 A 192.0.2.1\n"
  "mail AAAA 2001:db8::1\n"
  "@ TXT \"v=spf1 \" \"include:_spf.google.com\" \" -all\" ; joined without separator\n"
  "@ SPF \"v=spf1 -all\"\n"
  "@ TXT \"quote \\\" and semicolon ; inside\"\n"
  "www CNAME mail\n"
  "loop1 CNAME loop2\n"
  "loop2 CNAME loop1\n"
  "a.b.deep A 192.0.2.9\n"
  "*.wild TXT \"wildcard\"\n"
  "$ORIGIN sub.example.test.\n"
  "host TYPE99 \"v=spf1 a -all\"\n"
  "raw TYPE65 \\# 3 abcdef\n";

static ObDnsZoneResolver *
load_zone (void)
{
  ObDnsZoneResolver *zone = ob_dns_zone_resolver_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_dns_zone_resolver_load_data (zone, zone_text, strlen (zone_text), NULL, "test.zone", &error));
  g_assert_no_error (error);
  return zone;
}

static ObDnsAnswer *
lookup (ObDnsZoneResolver *zone,
        const char        *name,
        guint16            type)
{
  g_autoptr(GError) error = NULL;
  ObDnsAnswer *answer = ob_dns_zone_resolver_lookup (zone, name, type, &error);

  g_assert_no_error (error);
  return answer;
}

static void
test_zone_parse (void)
{
  g_autoptr(ObDnsZoneResolver) zone = load_zone ();
  g_autoptr(ObDnsAnswer) a = NULL;
  ObDnsRecord *r;

  g_assert_cmpuint (ob_dns_zone_resolver_get_n_records (zone), ==, 17);

  a = lookup (zone, "EXAMPLE.test.", OB_DNS_TYPE_SOA);
  g_assert_cmpuint (a->records->len, ==, 1);
  r = g_ptr_array_index (a->records, 0);
  g_assert_cmpstr (r->target, ==, "ns1.example.test");
  g_assert_cmpstr (r->text, ==, "hostmaster.example.test");
  g_assert_cmpuint (r->soa[0], ==, 2026010101);
  g_assert_cmpuint (r->soa[4], ==, 300);
  g_assert_cmpuint (r->ttl, ==, 3600);
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "example.test", OB_DNS_TYPE_NS);
  g_assert_cmpuint (a->records->len, ==, 1);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->target, ==, "ns1.example.test");
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "example.test", OB_DNS_TYPE_MX);
  g_assert_cmpuint (a->records->len, ==, 2);
  r = g_ptr_array_index (a->records, 0);
  g_assert_cmpuint (r->preference, ==, 10);
  g_assert_cmpuint (r->ttl, ==, 600);
  g_assert_cmpstr (r->target, ==, "mail.example.test");
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 1))->target, ==, "backup.example.net");
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "mail.example.test", OB_DNS_TYPE_A);
  r = g_ptr_array_index (a->records, 0);
  g_assert_cmpstr (r->target, ==, "192.0.2.1");
  g_assert_cmpuint (r->ttl, ==, 300);
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "example.test", OB_DNS_TYPE_TXT);
  g_assert_cmpuint (a->records->len, ==, 2);
  r = g_ptr_array_index (a->records, 0);
  g_assert_cmpstr (r->text, ==, "v=spf1 include:_spf.google.com -all");
  g_assert_cmpuint (g_strv_length (r->strings), ==, 3);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 1))->text, ==,
                   "quote \" and semicolon ; inside");
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "example.test", OB_DNS_TYPE_SPF);
  g_assert_cmpuint (a->records->len, ==, 1);
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "host.sub.example.test", 99);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->text, ==, "v=spf1 a -all");
  g_clear_pointer (&a, ob_dns_answer_unref);

  a = lookup (zone, "raw.sub.example.test", 65);
  g_assert_cmpuint (g_bytes_get_size (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->rdata), ==, 3);
}

static void
test_zone_semantics (void)
{
  g_autoptr(ObDnsZoneResolver) zone = load_zone ();
  g_autoptr(ObDnsAnswer) a = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  /* NXDOMAIN for a name that does not exist, NODATA for one that does. */
  a = lookup (zone, "nothere.example.test", OB_DNS_TYPE_A);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NXDOMAIN);
  g_clear_pointer (&a, ob_dns_answer_unref);
  a = lookup (zone, "mail.example.test", OB_DNS_TYPE_TXT);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_assert_cmpuint (a->records->len, ==, 0);
  g_clear_pointer (&a, ob_dns_answer_unref);
  /* An empty non-terminal exists. */
  a = lookup (zone, "b.deep.example.test", OB_DNS_TYPE_A);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* CNAMEs are followed. */
  a = lookup (zone, "www.example.test", OB_DNS_TYPE_A);
  g_assert_cmpuint (a->records->len, ==, 2);
  found = ob_dns_answer_collect (a, "www.example.test", OB_DNS_TYPE_A);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (found, 0))->target, ==, "192.0.2.1");
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* A CNAME loop ends. */
  a = lookup (zone, "loop1.example.test", OB_DNS_TYPE_A);
  g_assert_cmpuint (a->records->len, <=, 9);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* Wildcards. */
  a = lookup (zone, "x.wild.example.test", OB_DNS_TYPE_TXT);
  g_assert_cmpuint (a->records->len, ==, 1);
  g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->name, ==, "x.wild.example.test");
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* Timeouts. */
  ob_dns_zone_resolver_add_timeout (zone, "slow.example.test");
  a = ob_dns_zone_resolver_lookup (zone, "slow.example.test", OB_DNS_TYPE_A, &error);
  g_assert_null (a);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT);
}

static void
test_zone_errors (void)
{
  static const struct {
    const char *text;
    const char *fragment;
  } cases[] = {
    { "@ TXT \"x\"\n", "line 1" },
    { "$ORIGIN a.test.\n\nfoo BOGUS 1\n", "line 3" },
    { "$ORIGIN a.test.\nfoo TXT \"open\n", "line 2" },
    { "$ORIGIN a.test.\nfoo A 1.2.3\n", "IPv4" },
    { "$ORIGIN a.test.\nfoo AAAA 1.2.3.4\n", "IPv6" },
    { "$ORIGIN a.test.\nfoo MX mail\n", "MX" },
    { "$ORIGIN a.test.\nfoo ( TXT \"x\"\n", "not closed" },
    { "$ORIGIN a.test.\nfoo ) TXT \"x\"\n", "“)”" },
    { "$INCLUDE other\n", "directive" },
    { "$ORIGIN a.test.\n  TXT \"orphan\"\n", "before any named record" },
    { "$ORIGIN a.test.\nfoo CH TXT \"x\"\n", "class IN" },
    { "$ORIGIN a.test.\nfoo TYPE65 \\# 3 ab\n", "length" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (ob_dns_zone_resolver_load_data (zone, cases[i].text, strlen (cases[i].text),
                                                      NULL, "my.zone", &error));
      g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_ZONE_SYNTAX);
      g_assert_true (g_str_has_prefix (error->message, "my.zone, line "));
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].fragment);
      g_assert_cmpuint (ob_dns_zone_resolver_get_n_records (zone), ==, 0);
    }
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

static gint64 fake_now;

static gint64
fake_clock (gpointer user_data)
{
  return fake_now;
}

static void
test_caching_resolver (void)
{
  g_autoptr(ObDnsZoneResolver) zone = load_zone ();
  g_autoptr(ObDnsResolver) cache = ob_dns_caching_resolver_new (OB_DNS_RESOLVER (zone));
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;

  fake_now = 1000 * G_USEC_PER_SEC;
  ob_dns_caching_resolver_set_clock (OB_DNS_CACHING_RESOLVER (cache), fake_clock, NULL);

  a = query_sync (cache, "mail.example.test", OB_DNS_TYPE_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->records->len, ==, 1);
  g_clear_pointer (&a, ob_dns_answer_unref);
  g_assert_cmpuint (ob_dns_caching_resolver_get_hits (OB_DNS_CACHING_RESOLVER (cache)), ==, 0);

  /* Within the 300 s TTL: from the cache. */
  fake_now += 299 * G_USEC_PER_SEC;
  a = query_sync (cache, "MAIL.example.test.", OB_DNS_TYPE_A, &error);
  g_assert_cmpuint (ob_dns_caching_resolver_get_hits (OB_DNS_CACHING_RESOLVER (cache)), ==, 1);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* After it: asked again. */
  fake_now += 2 * G_USEC_PER_SEC;
  a = query_sync (cache, "mail.example.test", OB_DNS_TYPE_A, &error);
  g_assert_cmpuint (ob_dns_caching_resolver_get_hits (OB_DNS_CACHING_RESOLVER (cache)), ==, 1);
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* Identical queries in flight share one inner query. */
  {
    Wait w1 = { g_main_loop_new (NULL, FALSE), NULL, NULL };
    Wait w2 = { g_main_loop_new (NULL, FALSE), NULL, NULL };
    guint misses = ob_dns_caching_resolver_get_misses (OB_DNS_CACHING_RESOLVER (cache));

    ob_dns_resolver_query_async (cache, "www.example.test", OB_DNS_TYPE_A, NULL, query_done_cb, &w1);
    ob_dns_resolver_query_async (cache, "WWW.example.test", OB_DNS_TYPE_A, NULL, query_done_cb, &w2);
    g_main_loop_run (w1.loop);
    if (w2.answer == NULL && w2.error == NULL)
      g_main_loop_run (w2.loop);
    g_assert_no_error (w1.error);
    g_assert_no_error (w2.error);
    g_assert_cmpuint (w1.answer->records->len, ==, 2);
    g_assert_cmpuint (w2.answer->records->len, ==, 2);
    g_assert_cmpuint (ob_dns_caching_resolver_get_misses (OB_DNS_CACHING_RESOLVER (cache)), ==, misses + 1);
    g_assert_cmpuint (ob_dns_caching_resolver_get_hits (OB_DNS_CACHING_RESOLVER (cache)), ==, 2);
    ob_dns_answer_unref (w1.answer);
    ob_dns_answer_unref (w2.answer);
    g_main_loop_unref (w1.loop);
    g_main_loop_unref (w2.loop);
  }

  /* Errors are not cached. */
  ob_dns_zone_resolver_add_timeout (zone, "slow.example.test");
  a = query_sync (cache, "slow.example.test", OB_DNS_TYPE_A, &error);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT);
  g_clear_error (&error);
  a = query_sync (cache, "slow.example.test", OB_DNS_TYPE_A, &error);
  g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT);
  g_assert_cmpuint (ob_dns_caching_resolver_get_hits (OB_DNS_CACHING_RESOLVER (cache)), ==, 2);
}

static void
test_factory (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "z.zone");
  g_autofree char *spec = g_strconcat ("zone:", path, NULL);
  g_autoptr(GError) error = NULL;
  const char *good[] = { "system", "udp://127.0.0.1:5353", "tcp://[::1]:53", "udp://localhost",
                         "https://dns.example/dns-query" };
  const char *bad[] = { "udp://dns.example:53", "udp://127.0.0.1:99999", "ftp://x", "https://",
                        "zone:/nonexistent/file" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(ObDnsResolver) r = ob_dns_resolver_new_for_spec (good[i], &error);

      g_assert_no_error (error);
      g_assert_true (OB_IS_DNS_RESOLVER (r));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ObDnsResolver) r = ob_dns_resolver_new_for_spec (bad[i], &error);

      g_assert_null (r);
      g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER);
      g_clear_error (&error);
    }

  /* Every preset is a spec the factory understands. */
  {
    guint n = 0;
    const ObDnsResolverPreset *presets = ob_dns_resolver_get_presets (&n);

    g_assert_cmpuint (n, >=, 5);
    g_assert_cmpstr (presets[0].spec, ==, "system");
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(ObDnsResolver) r = ob_dns_resolver_new_for_spec (presets[i].spec, &error);

        g_assert_no_error (error);
        g_assert_true (OB_IS_DNS_RESOLVER (r));
      }
  }

  g_assert_true (g_file_set_contents (path, "example.test. TXT \"v=spf1 -all\"\n", -1, NULL));
  {
    g_autoptr(ObDnsResolver) r = ob_dns_resolver_new_for_spec (spec, &error);
    g_autoptr(ObDnsAnswer) a = NULL;

    g_assert_no_error (error);
    a = query_sync (r, "example.test", OB_DNS_TYPE_TXT, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((ObDnsRecord *) g_ptr_array_index (a->records, 0))->text, ==, "v=spf1 -all");
  }
}


/* The system resolver's address lookups go through GResolver; "localhost"
 * comes from /etc/hosts, so this needs no network. Its record lookups are
 * tested against a real DNS server in tests/integration/test-dns-resolvers.c. */
static void
test_system_resolver (void)
{
  g_autoptr(ObDnsResolver) r = ob_dns_system_resolver_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) a = NULL;
  ObDnsRecord *rec;

  a = query_sync (r, "localhost", OB_DNS_TYPE_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NOERROR);
  g_assert_cmpuint (a->records->len, >=, 1);
  rec = g_ptr_array_index (a->records, 0);
  g_assert_cmpuint (rec->type, ==, OB_DNS_TYPE_A);
  g_assert_cmpstr (rec->name, ==, "localhost");
  g_assert_true (g_str_has_prefix (rec->target, "127."));
  g_clear_pointer (&a, ob_dns_answer_unref);

  /* A PTR name that is not a reverse name is NXDOMAIN without asking. */
  a = query_sync (r, "not.a.reverse.name", OB_DNS_TYPE_PTR, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->rcode, ==, OB_DNS_RCODE_NXDOMAIN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dns/codec/decode", test_codec_decode);
  g_test_add_func ("/dns/codec/truncated", test_codec_truncated_packets);
  g_test_add_func ("/dns/codec/compression-loops", test_codec_compression_loops);
  g_test_add_func ("/dns/codec/name-too-long", test_codec_name_too_long);
  g_test_add_func ("/dns/codec/encode-query", test_codec_encode_query);
  g_test_add_func ("/dns/codec/round-trip", test_codec_round_trip);
  g_test_add_func ("/dns/zone/parse", test_zone_parse);
  g_test_add_func ("/dns/zone/semantics", test_zone_semantics);
  g_test_add_func ("/dns/zone/errors", test_zone_errors);
  g_test_add_func ("/dns/resolver/caching", test_caching_resolver);
  g_test_add_func ("/dns/resolver/factory", test_factory);
  g_test_add_func ("/dns/resolver/system", test_system_resolver);

  return g_test_run ();
}
