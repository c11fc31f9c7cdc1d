/* fuzz-spf-check.c — check_host() over a hostile SPF record: whatever the
 * record (macros, CIDR lengths, includes of itself), the evaluation ends
 * with one of the seven results, within the lookup limits.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ob-dns-zone-resolver.h"
#include "ob-spf-check.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  GMainLoop        *loop;
  ObSpfCheckResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = ob_spf_check_host_finish (result, NULL);
  g_main_loop_quit (w->loop);
}

static void
add_txt (ObDnsZoneResolver *zone,
         const char        *name,
         const char        *text)
{
  g_autoptr(ObDnsRecord) r = ob_dns_record_new (name, OB_DNS_TYPE_TXT, 300);

  r->strings = g_new0 (char *, 2);
  r->strings[0] = g_strdup (text);
  r->text = g_strdup (text);
  ob_dns_zone_resolver_add_record (zone, r);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
  g_autoptr(GInetAddress) ip4 = g_inet_address_new_from_string ("192.0.2.7");
  g_autoptr(GInetAddress) ip6 = g_inet_address_new_from_string ("2001:db8::7");
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *record = g_str_has_prefix (text, "v=spf1") ? g_strdup (text) : g_strconcat ("v=spf1 ", text, NULL);
  g_autoptr(ObDnsRecord) a = ob_dns_record_new ("mail.example.com", OB_DNS_TYPE_A, 300);
  g_autoptr(ObDnsRecord) mx = ob_dns_record_new ("example.com", OB_DNS_TYPE_MX, 300);
  GInetAddress *ips[] = { ip4, ip6 };

  /* The record, its includes (itself, another), an exp text with macros. */
  add_txt (zone, "example.com", record);
  add_txt (zone, "inc.example.com", record);
  add_txt (zone, "other.example.com", "v=spf1 a mx ptr exists:%{ir}.%{v}.e.example.com ~all");
  add_txt (zone, "exp.example.com", "%{c} %{r} %{t} %{s} %{L} %{O} %{D2r} %{i}%% %_%-");
  a->target = g_strdup ("192.0.2.7");
  ob_dns_zone_resolver_add_record (zone, a);
  mx->preference = 10;
  mx->target = g_strdup ("mail.example.com");
  ob_dns_zone_resolver_add_record (zone, mx);

  for (guint i = 0; i < G_N_ELEMENTS (ips); i++)
    {
      Wait w = { g_main_loop_new (NULL, FALSE), NULL };

      ob_spf_check_host_async (OB_DNS_RESOLVER (zone), ips[i], "example.com", "user@example.com",
                               "helo.example.com", "%{i} %{d}", NULL, done_cb, &w);
      g_main_loop_run (w.loop);
      g_main_loop_unref (w.loop);
      g_assert_nonnull (w.result);
      g_assert_cmpint (w.result->result, >=, OB_SPF_RESULT_NONE);
      g_assert_cmpint (w.result->result, <=, OB_SPF_RESULT_PERMERROR);
      g_assert_cmpuint (w.result->lookups, <=, 11);
      ob_spf_check_result_free (w.result);
    }
  return 0;
}
