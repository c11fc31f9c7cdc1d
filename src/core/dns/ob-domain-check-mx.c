/* ob-domain-check-mx.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-domain-check-private.h"

/* The MX checks: the domain's MX records (_ob_domain_check_mx_cb()), a
 * null MX, and whether each mail server they name has an address. What
 * the MX answer says also serves the rest of the run: a domain with MX
 * gets `mx` in its starter SPF record, and a domain with neither MX nor
 * TXT data is reported as missing. */

typedef struct
{
  char    *host;
  guint    answers;
  guint    addresses;
} MxHost;

static void
mx_host_free (MxHost *h)
{
  g_free (h->host);
  g_free (h);
}

static void
mx_addr_cb (ObDomainCheckRun *run,
            const char       *name,
            ObDnsAnswer      *answer,
            const GError     *error,
            gpointer          data)
{
  MxHost *h = data;

  if (answer)
    {
      g_autoptr(GPtrArray) a = ob_dns_answer_collect (answer, name, OB_DNS_TYPE_A);
      g_autoptr(GPtrArray) aaaa = ob_dns_answer_collect (answer, name, OB_DNS_TYPE_AAAA);

      h->addresses += a->len + aaaa->len;
    }
  if (++h->answers == 2)
    {
      if (h->addresses == 0)
        _ob_domain_check_add_finding (run, "mx-unresolvable", OB_FINDING_ERROR, "mx", h->host,
                                      g_strdup_printf (_("The mail server %s named in the MX record has no address, so replies to you cannot be delivered there. Correct the MX record."),
                                                       h->host));
      mx_host_free (h);
    }
}

void
_ob_domain_check_mx_cb (ObDomainCheckRun *run,
                        const char       *name,
                        ObDnsAnswer      *answer,
                        const GError     *error,
                        gpointer          data)
{
  g_autoptr(GPtrArray) mxs = NULL;

  if (error)
    {
      _ob_domain_check_lookup_failed (run, "mx", name, error);
      return;
    }
  if (answer->rcode == OB_DNS_RCODE_NXDOMAIN)
    run->domain_nx_mx = TRUE;
  mxs = ob_dns_answer_collect (answer, name, OB_DNS_TYPE_MX);
  for (guint i = 0; i < mxs->len; i++)
    {
      ObDnsRecord *r = g_ptr_array_index (mxs, i);
      g_autofree char *text = g_strdup_printf ("%u %s", r->preference, r->target[0] ? r->target : ".");

      json_array_add_string_element (run->mx_records, text);
    }
  if (mxs->len == 0)
    {
      if (!run->domain_nx_mx)
        _ob_domain_check_add_finding (run, "mx-missing", OB_FINDING_ERROR, "mx", NULL,
                                      g_strdup_printf (_("%s has no MX record, so buyers’ replies to you bounce, and some receivers refuse mail from domains that cannot receive. Publish the MX records from your mail provider’s setup guide."),
                                                       run->domain));
      return;
    }
  if (mxs->len == 1 && ((ObDnsRecord *) g_ptr_array_index (mxs, 0))->target[0] == '\0')
    {
      _ob_domain_check_add_finding (run, "mx-null", OB_FINDING_ERROR, "mx", "0 .",
                                    g_strdup_printf (_("%s publishes a “null MX” (RFC 7505): it says the domain receives no mail, so replies bounce and many receivers reject its mail. Replace it with your provider’s MX records."),
                                                     run->domain));
      return;
    }
  run->has_mx = TRUE;
  _ob_domain_check_add_finding (run, "mx-ok", OB_FINDING_OK, "mx", NULL,
                                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s has %u mail server.", "%s has %u mail servers.", mxs->len),
                                                 run->domain, mxs->len));
  for (guint i = 0; i < mxs->len; i++)
    {
      ObDnsRecord *r = g_ptr_array_index (mxs, i);
      MxHost *h;

      if (r->target[0] == '\0')
        continue;
      h = g_new0 (MxHost, 1);
      h->host = g_strdup (r->target);
      _ob_domain_check_run_query (run, r->target, OB_DNS_TYPE_A, mx_addr_cb, h, NULL);
      _ob_domain_check_run_query (run, r->target, OB_DNS_TYPE_AAAA, mx_addr_cb, h, NULL);
    }
}
