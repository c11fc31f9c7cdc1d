/* test-domain-check.c — the Domain health report: one scenario per
 * finding id, each in a zone of its own (served by the zone resolver), a
 * well-configured domain without warnings or errors, and the CLI.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-dns-zone-resolver.h"
#include "ob-domain-check.h"
#include "ob-store.h"
#include "ob-test-util.h"

static char *key_2048; /* p= of a 2048-bit RSA key (mox corpus) */
static char *key_1024; /* p= of a 1024-bit RSA key (dkimpy corpus) */

/* TXT strings are at most 255 bytes: split a long value. */
static char *
quoted (const char *value)
{
  GString *s = g_string_new (NULL);
  gsize len = strlen (value);

  for (gsize i = 0; i < len; i += 200)
    g_string_append_printf (s, "%s\"%.*s\"", i ? " " : "", (int) MIN (200, len - i), value + i);
  if (len == 0)
    g_string_append (s, "\"\"");
  return g_string_free (s, FALSE);
}

typedef struct
{
  const char *mx;      /* zone lines, or NULL for the default */
  const char *spf;
  const char *dmarc;
  const char *dkim;
  const char *extra;
} Zone;

#define DEFAULT_MX "@ MX 10 mx1\n@ MX 20 mx2\nmx1 A 192.0.2.10\nmx2 AAAA 2001:db8::10\n"
#define DEFAULT_SPF "@ TXT \"v=spf1 mx include:_spf.google.com ~all\"\n"
#define DEFAULT_DMARC "_dmarc TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com\"\n"
#define NONE ""

static char *
zone_text (const Zone *z)
{
  g_autofree char *rec = g_strdup_printf ("v=DKIM1; k=rsa; p=%s", key_2048);
  g_autofree char *rec_quoted = quoted (rec);
  g_autofree char *dkim = g_strdup_printf ("google._domainkey TXT %s\n", rec_quoted);

  return g_strdup_printf ("$ORIGIN example.com.\n$TTL 300\n%s%s%s%s"
                          "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"\n"
                          "%s"
                          "$ORIGIN google.com.\n"
                          "_spf TXT \"v=spf1 include:_netblocks.google.com ~all\"\n"
                          "_netblocks TXT \"v=spf1 ip4:35.190.247.0/24 ~all\"\n"
                          "$ORIGIN outlook.com.\n"
                          "spf.protection TXT \"v=spf1 ip4:40.92.0.0/15 -all\"\n"
                          "smtp.gmail.com. A 142.250.1.108\n"
                          "smtp.office365.com. A 52.97.1.1\n"
                          "108.1.250.142.zen.spamhaus.org. A 127.255.255.254\n",
                          z->mx ? z->mx : DEFAULT_MX, z->spf ? z->spf : DEFAULT_SPF,
                          z->dmarc ? z->dmarc : DEFAULT_DMARC, z->dkim ? z->dkim : dkim,
                          z->extra ? z->extra : "");
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
run_check (const Zone *z,
           const char *domain,
           const char *smtp_host,
           const char *selector)
{
  g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
  g_autofree char *text = zone_text (z);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDomainCheck) check = NULL;
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  g_assert_true (ob_dns_zone_resolver_load_data (zone, text, strlen (text), NULL, "scenario", &error));
  g_assert_no_error (error);
  check = ob_domain_check_new (OB_DNS_RESOLVER (zone));
  ob_domain_check_set_smtp_host (check, smtp_host);
  if (selector)
    ob_domain_check_add_selector (check, selector);
  ob_domain_check_run_async (check, domain, NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  return w.report;
}

static void
dump (ObDomainReport *report)
{
  for (guint i = 0; i < report->findings->len; i++)
    {
      ObDomainFinding *f = g_ptr_array_index (report->findings, i);

      g_test_message ("  [%s] %s: %s%s%s", ob_finding_severity_to_string (f->severity), f->id, f->message,
                      f->fix_value ? " → " : "", f->fix_value ? f->fix_value : "");
    }
}

static ObDomainFinding *
expect (ObDomainReport    *report,
        const char        *id,
        ObFindingSeverity  severity)
{
  ObDomainFinding *f = ob_domain_report_find (report, id);

  if (f == NULL)
    {
      dump (report);
      g_error ("finding %s missing", id);
    }
  g_assert_cmpstr (ob_finding_severity_to_string (f->severity), ==, ob_finding_severity_to_string (severity));
  g_assert_nonnull (f->message);
  g_assert_cmpstr (f->message, !=, "");
  return f;
}

static void
expect_absent (ObDomainReport *report,
               const char     *id)
{
  if (ob_domain_report_find (report, id) != NULL)
    {
      dump (report);
      g_error ("finding %s should not be there", id);
    }
}

static void
test_well_configured (void)
{
  Zone z = { 0 };
  g_autoptr(ObDomainReport) r = run_check (&z, "example.com", "smtp.gmail.com", NULL);

  dump (r);
  for (guint i = 0; i < r->findings->len; i++)
    {
      ObDomainFinding *f = g_ptr_array_index (r->findings, i);

      g_assert_cmpint (f->severity, <=, OB_FINDING_INFO);
    }
  g_assert_false (ob_domain_report_has_errors (r));
  expect (r, "mx-ok", OB_FINDING_OK);
  expect (r, "spf-ok", OB_FINDING_OK);
  expect (r, "spf-provider-ok", OB_FINDING_OK);
  expect (r, "dkim-ok", OB_FINDING_OK);
  expect (r, "dmarc-ok", OB_FINDING_OK);
  expect (r, "tls-rpt-ok", OB_FINDING_OK);
  expect (r, "mta-sts-missing", OB_FINDING_INFO);
  g_assert_cmpstr (r->provider, ==, "google");
  /* Spamhaus's answer to public resolvers means "refused", not "listed". */
  expect_absent (r, "dnsbl-listed");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r->records, "dnsbl"),
                                                  "142.250.1.108 zen.spamhaus.org"), ==, "refused");
  g_assert_cmpint (json_object_get_int_member (r->records, "spf_lookups"), ==, 3);
}

static void
test_domain_missing (void)
{
  Zone z = { 0 };
  g_autoptr(ObDomainReport) r = run_check (&z, "nothere.example.com", NULL, NULL);

  expect (r, "domain-missing", OB_FINDING_ERROR);
  g_assert_cmpuint (r->findings->len, ==, 1);
}

static void
test_mx (void)
{
  Zone none = { .mx = NONE };
  Zone null_mx = { .mx = "@ MX 0 .\n" };
  Zone dangling = { .mx = "@ MX 10 nowhere\n" };
  g_autoptr(ObDomainReport) r1 = run_check (&none, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&null_mx, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r3 = run_check (&dangling, "example.com", NULL, NULL);

  expect (r1, "mx-missing", OB_FINDING_ERROR);
  expect_absent (r1, "domain-missing");
  expect (r2, "mx-null", OB_FINDING_ERROR);
  expect (r3, "mx-unresolvable", OB_FINDING_ERROR);
}

static void
test_spf_missing_and_starter (void)
{
  Zone z = { .spf = NONE };
  g_autoptr(ObDomainReport) r = run_check (&z, "example.com", "smtp.gmail.com", NULL);
  ObDomainFinding *f = expect (r, "spf-missing", OB_FINDING_ERROR);

  g_assert_cmpstr (f->fix_name, ==, "example.com");
  g_assert_cmpstr (f->fix_type, ==, "TXT");
  g_assert_cmpstr (f->fix_value, ==, "v=spf1 mx include:_spf.google.com ~all");
  expect_absent (r, "spf-provider-missing");
}

static void
test_spf_multiple_and_syntax (void)
{
  Zone multi = { .spf = "@ TXT \"v=spf1 mx ~all\"\n@ TXT \"v=spf1 include:_spf.google.com ~all\"\n" };
  Zone bad = { .spf = "@ TXT \"v=spf1 ip4:192.0.2.1/33 ~all\"\n" };
  g_autoptr(ObDomainReport) r1 = run_check (&multi, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&bad, "example.com", NULL, NULL);

  expect (r1, "spf-multiple", OB_FINDING_ERROR);
  g_assert_nonnull (expect (r2, "spf-syntax", OB_FINDING_ERROR)->fix_value);
}

static void
test_spf_too_many_lookups (void)
{
  GString *spf = g_string_new ("v=spf1");
  GString *extra = g_string_new (NULL);
  g_autofree char *spf_text = NULL;
  g_autofree char *extra_text = NULL;
  Zone z = { 0 };
  g_autoptr(ObDomainReport) r = NULL;

  for (guint i = 1; i <= 11; i++)
    {
      g_string_append_printf (spf, " include:s%u.example.com", i);
      g_string_append_printf (extra, "s%u TXT \"v=spf1 -all\"\n", i);
    }
  g_string_append (spf, " ~all");
  {
    g_autofree char *q = quoted (spf->str);

    z.spf = spf_text = g_strdup_printf ("@ TXT %s\n", q);
    g_string_free (spf, TRUE);
  }
  z.extra = extra_text = g_string_free (extra, FALSE);
  r = run_check (&z, "example.com", NULL, NULL);
  expect (r, "spf-too-many-lookups", OB_FINDING_ERROR);
  expect_absent (r, "spf-ok");
}

static void
test_spf_void_lookups (void)
{
  Zone z = { .spf = "@ TXT \"v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com include:_spf.google.com ~all\"\n" };
  Zone one = { .spf = "@ TXT \"v=spf1 a:n1.example.com include:_spf.google.com ~all\"\n" };
  g_autoptr(ObDomainReport) r = run_check (&z, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r1 = run_check (&one, "example.com", NULL, NULL);

  expect (r, "spf-void-lookups", OB_FINDING_ERROR);
  expect (r1, "spf-void-lookups", OB_FINDING_WARNING);
}

static void
test_spf_permissive_all (void)
{
  Zone plus = { .spf = "@ TXT \"v=spf1 include:_spf.google.com +all\"\n" };
  Zone neutral = { .spf = "@ TXT \"v=spf1 include:_spf.google.com ?all\"\n" };
  g_autoptr(ObDomainReport) r1 = run_check (&plus, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&neutral, "example.com", NULL, NULL);
  ObDomainFinding *f = expect (r1, "spf-permissive-all", OB_FINDING_ERROR);

  g_assert_cmpstr (f->fix_value, ==, "v=spf1 include:_spf.google.com ~all");
  expect (r2, "spf-permissive-all", OB_FINDING_WARNING);
}

static void
test_spf_ptr (void)
{
  Zone z = { .spf = "@ TXT \"v=spf1 ptr include:_spf.google.com ~all\"\n" };
  g_autoptr(ObDomainReport) r = run_check (&z, "example.com", NULL, NULL);
  ObDomainFinding *f = expect (r, "spf-ptr", OB_FINDING_WARNING);

  g_assert_cmpstr (f->fix_value, ==, "v=spf1 include:_spf.google.com ~all");
}

static void
test_spf_include_missing (void)
{
  Zone z = { .spf = "@ TXT \"v=spf1 include:_spf.google.com include:gone.example.net ~all\"\n" };
  g_autoptr(ObDomainReport) r = run_check (&z, "example.com", NULL, NULL);
  ObDomainFinding *f = expect (r, "spf-include-missing", OB_FINDING_ERROR);

  g_assert_cmpstr (f->fix_value, ==, "v=spf1 include:_spf.google.com ~all");
}

static void
test_spf_provider_missing (void)
{
  Zone z = { 0 };
  Zone own = { .extra = "mail.hosting.example. A 198.51.100.7\n" };
  Zone own_ok = { .spf = "@ TXT \"v=spf1 mx ip4:198.51.100.0/24 ~all\"\n",
                  .extra = "mail.hosting.example. A 198.51.100.7\n" };
  g_autoptr(ObDomainReport) r1 = run_check (&z, "example.com", "smtp.office365.com", NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&own, "example.com", "mail.hosting.example", NULL);
  g_autoptr(ObDomainReport) r3 = run_check (&own_ok, "example.com", "mail.hosting.example", NULL);
  ObDomainFinding *f;

  /* A known provider: the include chain must reach its SPF domain. */
  f = expect (r1, "spf-provider-missing", OB_FINDING_ERROR);
  g_assert_cmpstr (f->fix_value, ==, "v=spf1 mx include:_spf.google.com include:spf.protection.outlook.com ~all");
  g_assert_cmpstr (r1->provider, ==, "microsoft365");
  /* The include left from another provider is named, as removable. */
  g_assert_nonnull (strstr (f->message, "Google Workspace (include:_spf.google.com)"));

  /* An unknown SMTP host: check_host for its addresses. */
  f = expect (r2, "spf-provider-missing", OB_FINDING_ERROR);
  g_assert_cmpstr (f->fix_value, ==, "v=spf1 mx include:_spf.google.com ip4:198.51.100.7 ~all");
  /* An unknown host: no provider to compare with, no such word. */
  g_assert_null (strstr (f->message, "Google Workspace"));
  expect (r3, "spf-provider-ok", OB_FINDING_OK);
  expect_absent (r3, "spf-provider-missing");
}

/* A host with an IPv4 and an IPv6 address, the IPv4 one already allowed
 * by a range: the fix adds only the address that does not pass. With no
 * SPF record at all, the starter record names both. */
static void
test_spf_provider_missing_some_addresses (void)
{
  Zone half = { .spf = "@ TXT \"v=spf1 mx ip4:198.51.100.0/24 ~all\"\n",
                .extra = "mail.hosting.example. A 198.51.100.7\nmail.hosting.example. AAAA 2001:db8::7\n" };
  Zone none = { .spf = NONE,
                .extra = "mail.hosting.example. A 198.51.100.7\nmail.hosting.example. AAAA 2001:db8::7\n" };
  g_autoptr(ObDomainReport) r1 = run_check (&half, "example.com", "mail.hosting.example", NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&none, "example.com", "mail.hosting.example", NULL);
  ObDomainFinding *f;

  f = expect (r1, "spf-provider-missing", OB_FINDING_ERROR);
  g_assert_cmpstr (f->fix_value, ==, "v=spf1 mx ip4:198.51.100.0/24 ip6:2001:db8::7 ~all");
  expect_absent (r1, "spf-provider-ok");

  f = expect (r2, "spf-missing", OB_FINDING_ERROR);
  g_assert_cmpstr (f->fix_value, ==, "v=spf1 mx ip4:198.51.100.7 ip6:2001:db8::7 ~all");
}

static void
test_dkim (void)
{
  g_autofree char *weak_rec = g_strdup_printf ("v=DKIM1; k=rsa; p=%s", key_1024);
  g_autofree char *testing_rec = g_strdup_printf ("v=DKIM1; k=rsa; t=y; p=%s", key_2048);
  g_autofree char *custom_rec = g_strdup_printf ("v=DKIM1; p=%s", key_2048);
  g_autofree char *weak_q = quoted (weak_rec);
  g_autofree char *testing_q = quoted (testing_rec);
  g_autofree char *custom_q = quoted (custom_rec);
  g_autofree char *weak = g_strdup_printf ("google._domainkey TXT %s\n", weak_q);
  g_autofree char *testing = g_strdup_printf ("google._domainkey TXT %s\n", testing_q);
  g_autofree char *custom = g_strdup_printf ("sel2026._domainkey TXT %s\n", custom_q);
  Zone missing = { .dkim = NONE };
  Zone broken = { .dkim = "google._domainkey TXT \"v=DKIM1; k=rsa; p=AAAA\"\n" };
  Zone revoked = { .dkim = "google._domainkey TXT \"v=DKIM1; p=\"\n" };
  Zone z_weak = { .dkim = weak };
  Zone z_testing = { .dkim = testing };
  Zone z_custom = { .dkim = custom };
  g_autoptr(ObDomainReport) r1 = run_check (&missing, "example.com", "smtp.gmail.com", NULL);
  g_autoptr(ObDomainReport) r1b = run_check (&missing, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&broken, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r3 = run_check (&revoked, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r4 = run_check (&z_weak, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r5 = run_check (&z_testing, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r6 = run_check (&z_custom, "example.com", NULL, "sel2026");
  ObDomainFinding *f;

  f = expect (r1, "dkim-missing", OB_FINDING_ERROR);
  g_assert_nonnull (strstr (f->fix, "google._domainkey.example.com"));
  expect (r1b, "dkim-missing", OB_FINDING_WARNING);
  expect (r2, "dkim-syntax", OB_FINDING_ERROR);
  expect (r3, "dkim-revoked", OB_FINDING_WARNING);
  f = expect (r4, "dkim-weak-key", OB_FINDING_WARNING);
  g_assert_nonnull (strstr (f->message, "1024"));
  f = expect (r5, "dkim-testing", OB_FINDING_WARNING);
  g_assert_cmpstr (f->fix_name, ==, "google._domainkey.example.com");
  g_assert_null (strstr (f->fix_value, "t=y"));
  g_assert_nonnull (strstr (f->fix_value, key_2048));
  expect (r6, "dkim-ok", OB_FINDING_OK);
}

static void
test_dmarc (void)
{
  Zone missing = { .dmarc = NONE };
  Zone multiple = { .dmarc = "_dmarc TXT \"v=DMARC1; p=none\"\n_dmarc TXT \"v=DMARC1; p=reject\"\n" };
  Zone syntax = { .dmarc = "_dmarc TXT \"v=DMARC1; p=bogus\"\n" };
  Zone none = { .dmarc = "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.com\"\n" };
  Zone pct = { .dmarc = "_dmarc TXT \"v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@example.com\"\n" };
  Zone no_rua = { .dmarc = "_dmarc TXT \"v=DMARC1; p=quarantine;\"\n" };
  Zone external = { .dmarc = "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:r@vendor.example.net\"\n" };
  Zone authorized = { .dmarc = "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:r@vendor.example.net\"\n",
                      .extra = "example.com._report._dmarc.vendor.example.net. TXT \"v=DMARC1\"\n" };
  g_autoptr(ObDomainReport) r1 = run_check (&missing, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r2 = run_check (&multiple, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r3 = run_check (&syntax, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r4 = run_check (&none, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r5 = run_check (&pct, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r6 = run_check (&no_rua, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r7 = run_check (&external, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r8 = run_check (&authorized, "example.com", NULL, NULL);
  ObDomainFinding *f;

  f = expect (r1, "dmarc-missing", OB_FINDING_ERROR);
  g_assert_cmpstr (f->fix_name, ==, "_dmarc.example.com");
  g_assert_cmpstr (f->fix_value, ==, "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com");
  /* The report mailbox is made up: the message says to create it. */
  g_assert_nonnull (strstr (f->message, "create that mailbox first"));
  g_assert_nonnull (strstr (f->message, "dmarc-reports@example.com"));
  expect (r2, "dmarc-multiple", OB_FINDING_ERROR);
  expect (r3, "dmarc-syntax", OB_FINDING_ERROR);
  f = expect (r4, "dmarc-policy-none", OB_FINDING_WARNING);
  g_assert_cmpstr (f->fix_value, ==, "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com");
  f = expect (r5, "dmarc-pct-partial", OB_FINDING_WARNING);
  g_assert_cmpstr (f->fix_value, ==, "v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
  f = expect (r6, "dmarc-no-rua", OB_FINDING_WARNING);
  g_assert_cmpstr (f->fix_value, ==, "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com");
  g_assert_nonnull (strstr (f->message, "create that mailbox first"));
  f = expect (r7, "dmarc-rua-unauthorized", OB_FINDING_WARNING);
  g_assert_cmpstr (f->fix_name, ==, "example.com._report._dmarc.vendor.example.net");
  g_assert_cmpstr (f->fix_value, ==, "v=DMARC1");
  expect_absent (r8, "dmarc-rua-unauthorized");
  expect (r8, "dmarc-ok", OB_FINDING_OK);
}

static void
test_dmarc_from_org_domain (void)
{
  Zone z = { .extra = "shop A 192.0.2.20\nshop MX 10 mx1\nshop TXT \"v=spf1 mx -all\"\n" };
  g_autoptr(ObDomainReport) r = run_check (&z, "shop.example.com", NULL, NULL);

  /* The organisational domain's record applies (RFC 7489 §6.6.3). */
  expect_absent (r, "dmarc-missing");
  expect (r, "dmarc-ok", OB_FINDING_OK);
}

static void
test_transport (void)
{
  Zone sts_bad = { .extra = "_mta-sts TXT \"v=STSv1;\"\n" };
  Zone no_tlsrpt = { 0 };
  g_autoptr(ObDomainReport) r1 = run_check (&sts_bad, "example.com", NULL, NULL);
  g_autoptr(ObDomainReport) r2 = NULL;
  g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
  ObDomainFinding *f;

  expect (r1, "mta-sts-invalid", OB_FINDING_WARNING);

  /* tls-rpt-missing: a zone without the _smtp._tls record. */
  {
    g_autofree char *text = zone_text (&no_tlsrpt);
    GString *s = g_string_new (text);
    char *line = strstr (s->str, "_smtp._tls");
    char *end = strchr (line, '\n');

    g_string_erase (s, line - s->str, end - line + 1);
    g_assert_true (ob_dns_zone_resolver_load_data (zone, s->str, s->len, NULL, "t", NULL));
    g_string_free (s, TRUE);
  }
  {
    g_autoptr(ObDomainCheck) check = ob_domain_check_new (OB_DNS_RESOLVER (zone));
    Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

    ob_domain_check_set_report_address (check, "it@example.com");
    ob_domain_check_run_async (check, "example.com", NULL, done_cb, &w);
    g_main_loop_run (w.loop);
    g_main_loop_unref (w.loop);
    r2 = w.report;
  }
  f = expect (r2, "tls-rpt-missing", OB_FINDING_INFO);
  g_assert_cmpstr (f->fix_name, ==, "_smtp._tls.example.com");
  g_assert_cmpstr (f->fix_value, ==, "v=TLSRPTv1; rua=mailto:it@example.com");
  /* An address the user gave: no word about creating it. */
  g_assert_null (strstr (f->message, "mailbox"));
}

static void
test_dnsbl_listed (void)
{
  Zone z = { .extra = "108.1.250.142.bl.spamcop.net. A 127.0.0.2\n" };
  g_autoptr(ObDomainReport) r = run_check (&z, "example.com", "smtp.gmail.com", NULL);

  expect (r, "dnsbl-listed", OB_FINDING_INFO);
  g_assert_false (ob_domain_report_has_errors (r));
}


/* A resolver that answers from a zone after a delay, counting how many
 * queries are in flight at once: the check must not wait for one lookup
 * before starting an independent one. */
#define TEST_TYPE_SLOW_RESOLVER (test_slow_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestSlowResolver, test_slow_resolver, TEST, SLOW_RESOLVER, GObject)

struct _TestSlowResolver
{
  GObject        parent_instance;
  ObDnsResolver *inner;
  guint          in_flight;
  guint          max_in_flight;
  guint          queries;
};

static void slow_iface_init (ObDnsResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSlowResolver, test_slow_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_DNS_RESOLVER, slow_iface_init))

typedef struct
{
  GTask *task;
  char  *name;
  guint16 type;
} SlowQuery;

static void
slow_inner_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestSlowResolver *self = g_task_get_source_object (task);
  GError *error = NULL;
  ObDnsAnswer *answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &error);

  self->in_flight--;
  if (answer)
    g_task_return_pointer (task, answer, (GDestroyNotify) ob_dns_answer_unref);
  else
    g_task_return_error (task, error);
}

static gboolean
slow_timeout_cb (gpointer user_data)
{
  SlowQuery *q = user_data;
  TestSlowResolver *self = g_task_get_source_object (q->task);

  ob_dns_resolver_query_async (self->inner, q->name, q->type, NULL, slow_inner_cb, q->task);
  g_free (q->name);
  g_free (q);
  return G_SOURCE_REMOVE;
}

static void
slow_query_async (ObDnsResolver       *resolver,
                  const char          *name,
                  guint16              type,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  TestSlowResolver *self = TEST_SLOW_RESOLVER (resolver);
  SlowQuery *q = g_new0 (SlowQuery, 1);

  q->task = g_task_new (self, cancellable, callback, user_data);
  q->name = g_strdup (name);
  q->type = type;
  self->queries++;
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
  g_timeout_add (40, slow_timeout_cb, q);
}

static ObDnsAnswer *
slow_query_finish (ObDnsResolver  *resolver,
                   GAsyncResult   *result,
                   GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
slow_iface_init (ObDnsResolverInterface *iface)
{
  iface->query_async = slow_query_async;
  iface->query_finish = slow_query_finish;
}

static void
test_slow_resolver_finalize (GObject *object)
{
  g_clear_object (&TEST_SLOW_RESOLVER (object)->inner);
  G_OBJECT_CLASS (test_slow_resolver_parent_class)->finalize (object);
}

static void
test_slow_resolver_class_init (TestSlowResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_slow_resolver_finalize;
}

static void
test_slow_resolver_init (TestSlowResolver *self)
{
}

static void
test_concurrent_lookups (void)
{
  Zone z = { 0 };
  g_autofree char *text = zone_text (&z);
  g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
  g_autoptr(TestSlowResolver) slow = g_object_new (TEST_TYPE_SLOW_RESOLVER, NULL);
  g_autoptr(ObDomainCheck) check = NULL;
  g_autoptr(ObDomainReport) report = NULL;
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  gint64 start, elapsed_ms, serial_ms;

  g_assert_true (ob_dns_zone_resolver_load_data (zone, text, strlen (text), NULL, "t", NULL));
  slow->inner = g_object_ref (OB_DNS_RESOLVER (zone));
  check = ob_domain_check_new (OB_DNS_RESOLVER (slow));
  ob_domain_check_set_smtp_host (check, "smtp.gmail.com");
  start = g_get_monotonic_time ();
  ob_domain_check_run_async (check, "example.com", NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  report = w.report;
  serial_ms = (gint64) slow->queries * 40;

  g_test_message ("%u queries of 40 ms: %" G_GINT64_FORMAT " ms (one after another: %" G_GINT64_FORMAT
                  " ms), at most %u at once", slow->queries, elapsed_ms, serial_ms, slow->max_in_flight);
  g_assert_false (ob_domain_report_has_errors (report));
  g_assert_cmpuint (slow->queries, >=, 20);
  g_assert_cmpuint (slow->max_in_flight, >=, 15);
  /* The deepest chain here is 5 lookups long (TXT, then the SPF walk:
   * TXT, include, include); allow for a slow machine, but far below serial. */
  g_assert_cmpint (elapsed_ms, <, serial_ms / 3);
}


static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  Zone z = { 0 };
  g_autofree char *text = zone_text (&z);
  g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
  g_autoptr(TestSlowResolver) slow = g_object_new (TEST_TYPE_SLOW_RESOLVER, NULL);
  g_autoptr(ObDomainCheck) check = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  g_assert_true (ob_dns_zone_resolver_load_data (zone, text, strlen (text), NULL, "t", NULL));
  slow->inner = g_object_ref (OB_DNS_RESOLVER (zone));
  check = ob_domain_check_new (OB_DNS_RESOLVER (slow));
  ob_domain_check_set_smtp_host (check, "smtp.gmail.com");
  g_timeout_add (60, cancel_cb, cancellable);
  ob_domain_check_run_async (check, "example.com", cancellable, done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_null (w.report);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&w.error);
  /* Nothing was left running. */
  g_assert_cmpuint (slow->in_flight, ==, 0);
}

static void
test_cli_dns_check (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *zone_path = ob_test_dir_file (dir, "planned.zone");
  g_autofree char *db = ob_test_dir_file (dir, "o.db");
  g_autofree char *spec = g_strconcat ("zone:", zone_path, NULL);
  Zone bad = { .dmarc = NONE };
  Zone good = { 0 };
  g_autofree char *bad_text = zone_text (&bad);
  g_autofree char *good_text = zone_text (&good);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { "dns", "check", "example.com", "--smtp-host", "smtp.gmail.com",
                         "--resolver", spec, "--db", db, "--json", NULL };
  const char *spf_argv[] = { "spf", "--ip", "35.190.247.9", "--sender", "a@example.com",
                             "--resolver", spec, "--json", NULL };
  JsonObject *o;
  JsonArray *findings;
  gboolean seen = FALSE;

  g_assert_true (g_file_set_contents (zone_path, bad_text, -1, NULL));
  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "domain"), ==, "example.com");
  findings = json_object_get_array_member (o, "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);

      if (g_str_equal (json_object_get_string_member (f, "id"), "dmarc-missing"))
        {
          g_assert_cmpstr (json_object_get_string_member (f, "severity"), ==, "error");
          g_assert_nonnull (json_object_get_string_member (f, "fix"));
          seen = TRUE;
        }
    }
  g_assert_true (seen);
  g_clear_pointer (&out, g_free);

  /* A good zone: exit 0. The report is kept per domain. */
  g_assert_true (g_file_set_contents (zone_path, good_text, -1, NULL));
  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ObStore) store = ob_store_open (db, &error);
    g_autoptr(sqlite3_stmt) stmt = NULL;

    g_assert_no_error (error);
    stmt = ob_store_prepare (store, "SELECT count(*), max(smtp_host), max(report_json) FROM domain_checks", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "smtp.gmail.com");
    g_assert_null (strstr ((const char *) sqlite3_column_text (stmt, 2), "dmarc-missing"));
    g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 2), "dmarc-ok"));
  }

  /* Bad input: exit 2 with a one-line error naming the option. */
  {
    const char *bad_ip[] = { "spf", "--ip", "1.2.3", "--sender", "a@example.com", NULL };
    const char *bad_resolver[] = { "dns", "check", "example.com", "--resolver", "udp://dns.example:53", NULL };
    const char *bad_zone[] = { "dns", "check", "example.com", "--resolver", "zone:/nonexistent.zone", NULL };
    g_autofree char *e1 = NULL;
    g_autofree char *e2 = NULL;
    g_autofree char *e3 = NULL;

    g_assert_cmpint (ob_test_run_cli (bad_ip, NULL, NULL, &e1), ==, 2);
    g_assert_nonnull (strstr (e1, "--ip"));
    g_assert_cmpint (ob_test_run_cli (bad_resolver, NULL, NULL, &e2), ==, 2);
    g_assert_nonnull (strstr (e2, "dns.example:53"));
    g_assert_cmpint (ob_test_run_cli (bad_zone, NULL, NULL, &e3), ==, 2);
    g_assert_nonnull (strstr (e3, "/nonexistent.zone"));
  }

  /* outbound-cli dns query over the same zone. */
  {
    const char *q_argv[] = { "dns", "query", "_dmarc.example.com", "TXT", "--resolver", spec, "--json", NULL };
    g_autofree char *q_out = NULL;
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonArray *records;

    g_assert_cmpint (ob_test_run_cli (q_argv, NULL, &q_out, NULL), ==, 0);
    g_assert_true (json_parser_load_from_data (p, q_out, -1, NULL));
    o = json_node_get_object (json_parser_get_root (p));
    g_assert_cmpstr (json_object_get_string_member (o, "rcode"), ==, "NOERROR");
    records = json_object_get_array_member (o, "records");
    g_assert_cmpuint (json_array_get_length (records), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (records, 0), "text"), ==,
                     "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com\"");
  }

  /* outbound-cli spf over the same planned zone. */
  g_assert_cmpint (ob_test_run_cli (spf_argv, NULL, &out, NULL), ==, 0);
  {
    g_autoptr(JsonParser) p = json_parser_new ();

    g_assert_true (json_parser_load_from_data (p, out, -1, NULL));
    o = json_node_get_object (json_parser_get_root (p));
    g_assert_cmpstr (json_object_get_string_member (o, "result"), ==, "pass");
    g_assert_cmpint (json_object_get_int_member (o, "lookups"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (o, "void_lookups"), ==, 0);
  }
}

static char *
key_from_record (const char *record)
{
  g_autoptr(ObDkimKey) key = ob_dkim_key_parse (record, NULL);

  g_assert_nonnull (key);
  return g_strdup (key->public_key);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *cases;

  g_test_init (&argc, &argv, NULL);

  /* Real keys from the corpora: a 2048-bit one (mox) and a 1024-bit one (dkimpy). */
  path = ob_test_shared_file ("corpora", "dmarc-dkim", "dkim-key-records-mox.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  key_2048 = key_from_record (json_object_get_string_member (json_array_get_object_element (cases, json_array_get_length (cases) - 1), "record"));
  g_free (path);
  path = ob_test_shared_file ("corpora", "dmarc-dkim", "dkimpy", "test.txt", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  key_1024 = key_from_record (g_strstrip (text));

  g_test_add_func ("/domain-check/well-configured", test_well_configured);
  g_test_add_func ("/domain-check/domain-missing", test_domain_missing);
  g_test_add_func ("/domain-check/mx", test_mx);
  g_test_add_func ("/domain-check/spf-missing", test_spf_missing_and_starter);
  g_test_add_func ("/domain-check/spf-multiple-syntax", test_spf_multiple_and_syntax);
  g_test_add_func ("/domain-check/spf-too-many-lookups", test_spf_too_many_lookups);
  g_test_add_func ("/domain-check/spf-void-lookups", test_spf_void_lookups);
  g_test_add_func ("/domain-check/spf-permissive-all", test_spf_permissive_all);
  g_test_add_func ("/domain-check/spf-ptr", test_spf_ptr);
  g_test_add_func ("/domain-check/spf-include-missing", test_spf_include_missing);
  g_test_add_func ("/domain-check/spf-provider-missing", test_spf_provider_missing);
  g_test_add_func ("/domain-check/spf-provider-missing-some-addresses", test_spf_provider_missing_some_addresses);
  g_test_add_func ("/domain-check/dkim", test_dkim);
  g_test_add_func ("/domain-check/dmarc", test_dmarc);
  g_test_add_func ("/domain-check/dmarc-org-domain", test_dmarc_from_org_domain);
  g_test_add_func ("/domain-check/transport", test_transport);
  g_test_add_func ("/domain-check/dnsbl-listed", test_dnsbl_listed);
  g_test_add_func ("/domain-check/concurrent-lookups", test_concurrent_lookups);
  g_test_add_func ("/domain-check/cancel", test_cancel);
  g_test_add_func ("/domain-check/cli", test_cli_dns_check);

  {
    int ret = g_test_run ();

    g_free (key_2048);
    g_free (key_1024);
    return ret;
  }
}
