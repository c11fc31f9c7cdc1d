/* ob-domain-check-smtp-host.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-domain-check-private.h"

/* The SMTP host the account sends through: its addresses
 * (_ob_domain_check_smtp_addr_cb()), which the SPF check of a host of no
 * known provider needs (_ob_domain_check_maybe_check_host_addresses()),
 * and whether each IPv4 address is on one of the DNS blocklists (DNSBL). */

typedef struct
{
  char *address;
  char *zone;
} DnsblQuery;

static void
dnsbl_query_free (DnsblQuery *q)
{
  g_free (q->address);
  g_free (q->zone);
  g_free (q);
}

static void
dnsbl_cb (ObDomainCheckRun *run,
          const char       *name,
          ObDnsAnswer      *answer,
          const GError     *error,
          gpointer          data)
{
  DnsblQuery *q = data;
  g_autoptr(GPtrArray) a = NULL;
  g_autofree char *key = g_strdup_printf ("%s %s", q->address, q->zone);
  const char *state = "not-listed";

  if (error)
    state = "unavailable";
  else
    {
      a = ob_dns_answer_collect (answer, name, OB_DNS_TYPE_A);
      if (a->len > 0)
        {
          const char *ip = ((ObDnsRecord *) g_ptr_array_index (a, 0))->target;

          /* Spamhaus answers public resolvers with 127.255.255.x: "refused". */
          if (g_str_has_prefix (ip, "127.255.255."))
            state = "refused";
          else if (g_str_has_prefix (ip, "127."))
            {
              state = "listed";
              _ob_domain_check_add_finding (run, "dnsbl-listed", OB_FINDING_INFO, "reputation", ip,
                                            g_strdup_printf (_("Your provider’s outgoing server %s is on the %s blocklist. You cannot fix this yourself; if it lasts, tell your mail provider."),
                                                             q->address, q->zone));
            }
        }
    }
  json_object_set_string_member (run->dnsbl, key, state);
}

void
_ob_domain_check_smtp_addr_cb (ObDomainCheckRun *run,
                               const char       *name,
                               ObDnsAnswer      *answer,
                               const GError     *error,
                               gpointer          data)
{
  guint16 type = GPOINTER_TO_UINT (data);

  if (answer)
    {
      g_autoptr(GPtrArray) recs = ob_dns_answer_collect (answer, name, type);

      for (guint i = 0; i < recs->len; i++)
        {
          const char *addr = ((ObDnsRecord *) g_ptr_array_index (recs, i))->target;

          g_ptr_array_add (run->smtp_addrs, g_strdup (addr));
          if (type == OB_DNS_TYPE_A)
            for (guint z = 0; run->self->dnsbl_zones[z]; z++)
              {
                g_auto(GStrv) o = g_strsplit (addr, ".", 4);
                g_autofree char *q = NULL;
                DnsblQuery *d = g_new0 (DnsblQuery, 1);

                if (g_strv_length (o) != 4)
                  {
                    dnsbl_query_free (d);
                    continue;
                  }
                q = g_strdup_printf ("%s.%s.%s.%s.%s", o[3], o[2], o[1], o[0], run->self->dnsbl_zones[z]);
                d->address = g_strdup (addr);
                d->zone = g_strdup (run->self->dnsbl_zones[z]);
                _ob_domain_check_run_query (run, q, OB_DNS_TYPE_A, dnsbl_cb, d, (GDestroyNotify) dnsbl_query_free);
              }
        }
    }
  if (--run->addr_lookups == 0)
    {
      run->addrs_checked = TRUE;
      _ob_domain_check_maybe_check_host_addresses (run);
    }
}
