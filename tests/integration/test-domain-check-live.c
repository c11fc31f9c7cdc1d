/* test-domain-check-live.c — the Domain health report over real servers:
 * DNS from knot through the UDP resolver, the MTA-STS policy over HTTPS
 * from a local SoupServer with the test CA.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-dns-server-resolver.h"
#include "ob-dns-system-resolver.h"
#include "ob-domain-check.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

static ObTestDnsServer *dns_server;
static const char *policy_text;
static guint policy_status = 200;

static void
policy_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  if (policy_status != 200)
    {
      soup_server_message_set_status (msg, policy_status, NULL);
      return;
    }
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, policy_text, strlen (policy_text));
  soup_server_message_set_status (msg, 200, NULL);
}

typedef struct
{
  GMainLoop      *loop;
  ObDomainReport *report;
  GError         *error;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->report = ob_domain_check_run_finish (OB_DOMAIN_CHECK (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

static ObDomainReport *
check (const char *origin)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, ob_test_dns_server_get_port (dns_server));
  g_autoptr(ObDnsResolver) resolver = ob_dns_server_resolver_new (addr, OB_DNS_TRANSPORT_UDP);
  g_autoptr(ObDomainCheck) c = ob_domain_check_new (resolver);
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  ob_domain_check_set_smtp_host (c, "smtp.gmail.com");
  ob_domain_check_set_extra_ca_file (c, ob_test_ca_pem ());
  ob_domain_check_set_mta_sts_origin (c, origin);
  ob_domain_check_set_dnsbl_zones (c, (const char * const []) { "bl.spamcop.test", NULL });
  ob_domain_check_run_async (c, "example.test", NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  for (guint i = 0; i < w.report->findings->len; i++)
    {
      ObDomainFinding *f = g_ptr_array_index (w.report->findings, i);

      g_test_message ("[%s] %s: %s", ob_finding_severity_to_string (f->severity), f->id, f->message);
    }
  return w.report;
}

static SoupServer *
start_https (char **origin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files (ob_test_server_cert_pem (),
                                                                      ob_test_server_key_pem (), &error);
  SoupServer *server;
  GSList *uris;

  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, "/.well-known/mta-sts.txt", policy_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error));
  uris = soup_server_get_uris (server);
  *origin = g_strdup_printf ("https://localhost:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
test_live_well_configured (void)
{
  g_autofree char *origin = NULL;
  g_autoptr(SoupServer) server = start_https (&origin);
  g_autoptr(ObDomainReport) r = NULL;

  policy_text = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n";
  policy_status = 200;
  r = check (origin);
  for (guint i = 0; i < r->findings->len; i++)
    g_assert_cmpint (((ObDomainFinding *) g_ptr_array_index (r->findings, i))->severity, <=, OB_FINDING_INFO);
  g_assert_nonnull (ob_domain_report_find (r, "mta-sts-ok"));
  g_assert_nonnull (ob_domain_report_find (r, "spf-provider-ok"));
  g_assert_nonnull (ob_domain_report_find (r, "dkim-ok"));
  g_assert_nonnull (ob_domain_report_find (r, "dmarc-ok"));
  g_assert_nonnull (ob_domain_report_find (r, "dnsbl-listed"));
  g_assert_cmpstr (json_object_get_string_member (r->records, "mta_sts_policy"), ==, policy_text);
}

static void
test_live_bad_policy (void)
{
  g_autofree char *origin = NULL;
  g_autoptr(SoupServer) server = start_https (&origin);
  g_autoptr(ObDomainReport) r1 = NULL;
  g_autoptr(ObDomainReport) r2 = NULL;
  ObDomainFinding *f;

  policy_text = "version: STSv1\nmx: mx1.example.test\nmax_age: 86400\n";
  policy_status = 200;
  r1 = check (origin);
  f = ob_domain_report_find (r1, "mta-sts-invalid");
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, OB_FINDING_WARNING);

  policy_status = 404;
  r2 = check (origin);
  f = ob_domain_report_find (r2, "mta-sts-invalid");
  g_assert_nonnull (f);
  g_assert_nonnull (strstr (f->message, "404"));
}

static char *
quoted (const char *value)
{
  GString *s = g_string_new (NULL);
  gsize len = strlen (value);

  for (gsize i = 0; i < len; i += 200)
    g_string_append_printf (s, "%s\"%.*s\"", i ? " " : "", (int) MIN (200, len - i), value + i);
  return g_string_free (s, FALSE);
}

/* Through the system resolver (res_nquery, pointed at knot), a domain that
 * does not exist is said to be missing, not to lack MX and SPF records. */
static void
test_live_system_resolver_missing_domain (void)
{
  g_autofree char *server = g_strdup_printf ("127.0.0.1:%u", ob_test_dns_server_get_port (dns_server));
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(ObDomainCheck) c = NULL;
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  g_setenv ("OUTBOUND_SYSTEM_DNS_SERVER", server, TRUE);
  resolver = ob_dns_system_resolver_new ();
  g_unsetenv ("OUTBOUND_SYSTEM_DNS_SERVER");
  c = ob_domain_check_new (resolver);
  ob_domain_check_run_async (c, "nothere.example.test", NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  g_assert_nonnull (ob_domain_report_find (w.report, "domain-missing"));
  g_assert_cmpuint (w.report->findings->len, ==, 1);
  ob_domain_report_free (w.report);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *example = NULL;
  g_autofree char *dkim_value = NULL;
  g_autofree char *dkim_quoted = NULL;
  JsonArray *cases;
  const char *zones[5] = { NULL, NULL, NULL, NULL, NULL };
  int ret;

  g_test_init (&argc, &argv, NULL);

  path = ob_test_shared_file ("corpora", "dmarc-dkim", "dkim-key-records-mox.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  {
    g_autoptr(ObDkimKey) key = ob_dkim_key_parse (json_object_get_string_member (
        json_array_get_object_element (cases, json_array_get_length (cases) - 1), "record"), NULL);

    dkim_value = g_strdup_printf ("v=DKIM1; k=rsa; p=%s", key->public_key);
  }
  dkim_quoted = quoted (dkim_value);
  example = g_strdup_printf ("$ORIGIN example.test.\n$TTL 300\n"
                             "@ MX 10 mx1\nmx1 A 192.0.2.10\n"
                             "@ TXT \"v=spf1 mx include:_spf.google.com ~all\"\n"
                             "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.test\"\n"
                             "google._domainkey TXT %s\n"
                             "_mta-sts TXT \"v=STSv1; id=2026112201\"\n"
                             "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls@example.test\"\n",
                             dkim_quoted);
  zones[0] = example;
  zones[1] = "$ORIGIN google.com.\n"
             "_spf TXT \"v=spf1 include:_netblocks.google.com ~all\"\n"
             "_netblocks TXT \"v=spf1 ip4:35.190.247.0/24 ~all\"\n";
  zones[2] = "$ORIGIN gmail.com.\nsmtp A 142.250.1.108\n";
  zones[3] = "$ORIGIN bl.spamcop.test.\n108.1.250.142 A 127.0.0.2\n";
  dns_server = ob_test_dns_server_start (zones, &error);
  g_assert_no_error (error);

  g_test_add_func ("/domain-check-live/well-configured", test_live_well_configured);
  g_test_add_func ("/domain-check-live/bad-policy", test_live_bad_policy);
  g_test_add_func ("/domain-check-live/system-resolver-missing-domain", test_live_system_resolver_missing_domain);

  ret = g_test_run ();
  ob_test_dns_server_free (dns_server);
  return ret;
}
