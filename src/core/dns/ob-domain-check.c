/* ob-domain-check.c
 *
 * Every lookup that does not depend on another starts at once (MX, SPF,
 * DMARC, each DKIM selector, MTA-STS, TLS-RPT, the SMTP host's addresses);
 * dependent ones (MX host addresses, the SPF include walk, external rua
 * authorisation, the MTA-STS policy, DNSBL) start from their parent's
 * callback. The report is done when nothing is pending.
 *
 * This file holds the ObDomainCheck object, a run's pending lookups
 * (_ob_domain_check_run_query(), _ob_domain_check_op_begin() and
 * _ob_domain_check_op_end()) and how a run starts and ends. Each group of
 * checks lives in a file of its own, around ob-domain-check-private.h:
 * ob-domain-check-mx.c, -spf.c, -dkim.c, -dmarc.c, -mta-sts.c (with
 * TLS-RPT) and -smtp-host.c (with DNSBL); the report, its findings and
 * its JSON are in ob-domain-report.c.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-dmarc-record.h"
#include "ob-dns-caching-resolver.h"
#include "ob-dns-providers.h"
#include "ob-domain-check-private.h"

G_DEFINE_FINAL_TYPE (ObDomainCheck, ob_domain_check, G_TYPE_OBJECT)

typedef struct
{
  GTask                   *task;
  char                    *name;
  guint16                  type;
  ObDomainCheckAnswerFunc  func;
  gpointer                 data;
  GDestroyNotify           destroy;
} QueryOp;

/* ---- the pending-operation machinery ---- */

static void
run_free (ObDomainCheckRun *run)
{
  g_clear_object (&run->self);
  g_free (run->domain);
  g_free (run->org_domain);
  g_clear_pointer (&run->report, ob_domain_report_free);
  g_clear_object (&run->cancellable);
  g_free (run->spf_text);
  g_clear_pointer (&run->smtp_addrs, g_ptr_array_unref);
  g_clear_pointer (&run->host_spf_missing, g_ptr_array_unref);
  g_clear_pointer (&run->dkim_records, json_object_unref);
  g_clear_pointer (&run->mx_records, json_array_unref);
  g_clear_pointer (&run->dnsbl, json_object_unref);
  g_free (run);
}

static void finish (ObDomainCheckRun *run);

void
_ob_domain_check_op_begin (ObDomainCheckRun *run)
{
  run->pending++;
}

void
_ob_domain_check_op_end (ObDomainCheckRun *run)
{
  g_assert (run->pending > 0);
  if (--run->pending == 0)
    finish (run);
}

static void
query_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  QueryOp *op = user_data;
  g_autoptr(GTask) task = op->task;
  ObDomainCheckRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;

  answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &error);
  op->func (run, op->name, answer, error, op->data);
  if (op->destroy)
    op->destroy (op->data);
  g_free (op->name);
  g_free (op);
  _ob_domain_check_op_end (run);
}

void
_ob_domain_check_run_query (ObDomainCheckRun        *run,
                            const char              *name,
                            guint16                  type,
                            ObDomainCheckAnswerFunc  func,
                            gpointer                 data,
                            GDestroyNotify           destroy)
{
  QueryOp *op = g_new0 (QueryOp, 1);

  op->task = g_object_ref (run->task);
  op->name = g_strdup (name);
  op->type = type;
  op->func = func;
  op->data = data;
  op->destroy = destroy;
  _ob_domain_check_op_begin (run);
  ob_dns_resolver_query_async (run->self->resolver, name, type, run->cancellable, query_cb, op);
}

/* The texts of the TXT records of @name in @answer. */
GPtrArray *
_ob_domain_check_txt_texts (ObDnsAnswer *answer,
                            const char  *name)
{
  GPtrArray *out = g_ptr_array_new ();

  if (answer)
    {
      g_autoptr(GPtrArray) recs = ob_dns_answer_collect (answer, name, OB_DNS_TYPE_TXT);

      for (guint i = 0; i < recs->len; i++)
        g_ptr_array_add (out, ((ObDnsRecord *) g_ptr_array_index (recs, i))->text);
    }
  return out;
}

void
_ob_domain_check_lookup_failed (ObDomainCheckRun *run,
                                const char       *group,
                                const char       *name,
                                const GError     *error)
{
  _ob_domain_check_add_finding (run, "dns-lookup-failed", OB_FINDING_WARNING, group, NULL,
                                g_strdup_printf (_("Could not look up %s (%s); this part was not checked. Try again later."),
                                                 name, error->message));
}

/* ---- start and finish ---- */

static void
finish (ObDomainCheckRun *run)
{
  g_autoptr(GTask) task = g_object_ref (run->task);
  ObDomainReport *report;

  if (g_task_return_error_if_cancelled (task))
    return;

  json_object_set_array_member (run->report->records, "mx", json_array_ref (run->mx_records));
  json_object_set_object_member (run->report->records, "dnsbl", json_object_ref (run->dnsbl));
  {
    JsonArray *addrs = json_array_new ();

    for (guint i = 0; i < run->smtp_addrs->len; i++)
      json_array_add_string_element (addrs, g_ptr_array_index (run->smtp_addrs, i));
    json_object_set_array_member (run->report->records, "smtp_addresses", addrs);
  }

  /* Starter SPF records use the MX and SMTP host answers, known by now. */
  if (run->spf_starter)
    {
      g_autofree char *starter = _ob_domain_check_starter_spf (run);

      _ob_domain_finding_set_fix (run->spf_starter, run->domain, "TXT", starter);
    }

  /* A domain that does not exist: that is the only thing to say. */
  if (run->domain_nx_mx && run->domain_nx_txt)
    {
      g_ptr_array_set_size (run->report->findings, 0);
      _ob_domain_check_add_finding (run, "domain-missing", OB_FINDING_ERROR, "domain", NULL,
                                    g_strdup_printf (_("The domain %s does not exist in DNS. Check the spelling; if it is new, its DNS may not be set up yet."),
                                                     run->domain));
    }
  g_ptr_array_sort (run->report->findings, _ob_domain_finding_order);
  report = g_steal_pointer (&run->report);
  g_task_return_pointer (task, report, (GDestroyNotify) ob_domain_report_free);
}

void
ob_domain_check_run_async (ObDomainCheck       *self,
                           const char          *domain,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) selectors = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  ObDomainCheckRun *run;

  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_return_if_fail (domain != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_domain_check_run_async);

  run = g_new0 (ObDomainCheckRun, 1);
  run->self = g_object_ref (self);
  run->task = task;
  run->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  run->domain = ob_dns_name_normalize (domain);
  run->org_domain = ob_dmarc_org_domain (run->domain);
  run->provider = ob_dns_provider_for_smtp_host (self->smtp_host);
  run->smtp_addrs = g_ptr_array_new_with_free_func (g_free);
  run->host_spf_missing = g_ptr_array_new_with_free_func (g_free);
  run->dkim_records = json_object_new ();
  run->mx_records = json_array_new ();
  run->dnsbl = json_object_new ();
  run->report = g_new0 (ObDomainReport, 1);
  run->report->domain = g_strdup (run->domain);
  run->report->smtp_host = self->smtp_host ? ob_dns_name_normalize (self->smtp_host) : NULL;
  run->report->provider = run->provider ? g_strdup (run->provider->id) : NULL;
  run->report->checked_at = g_get_real_time () / G_USEC_PER_SEC;
  run->report->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) _ob_domain_finding_free);
  run->report->records = json_object_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* Held until everything below has been started, so a synchronous
   * resolver cannot finish the run half-way. */
  _ob_domain_check_op_begin (run);

  _ob_domain_check_run_query (run, run->domain, OB_DNS_TYPE_MX, _ob_domain_check_mx_cb, NULL, NULL);
  _ob_domain_check_run_query (run, run->domain, OB_DNS_TYPE_TXT, _ob_domain_check_spf_txt_cb, NULL, NULL);
  name = g_strconcat ("_dmarc.", run->domain, NULL);
  _ob_domain_check_run_query (run, name, OB_DNS_TYPE_TXT, _ob_domain_check_dmarc_cb, GINT_TO_POINTER (FALSE), NULL);
  g_free (name);
  name = g_strconcat ("_mta-sts.", run->domain, NULL);
  _ob_domain_check_run_query (run, name, OB_DNS_TYPE_TXT, _ob_domain_check_mta_sts_cb, NULL, NULL);
  g_free (name);
  name = g_strconcat ("_smtp._tls.", run->domain, NULL);
  _ob_domain_check_run_query (run, name, OB_DNS_TYPE_TXT, _ob_domain_check_tls_rpt_cb, NULL, NULL);
  g_clear_pointer (&name, g_free);

  /* DKIM: the user's selectors, the provider's, then the common ones. */
  for (guint i = 0; i < self->selectors->len; i++)
    g_ptr_array_add (selectors, g_strdup (g_ptr_array_index (self->selectors, i)));
  if (run->provider && run->provider->dkim_selectors)
    for (guint i = 0; run->provider->dkim_selectors[i]; i++)
      g_ptr_array_add (selectors, g_strdup (run->provider->dkim_selectors[i]));
  for (const char * const *c = ob_dns_common_dkim_selectors (); *c; c++)
    g_ptr_array_add (selectors, g_strdup (*c));
  for (guint i = 0; i < selectors->len; i++)
    {
      const char *sel = g_ptr_array_index (selectors, i);
      gboolean dup = FALSE;

      for (guint k = 0; k < i; k++)
        if (g_ascii_strcasecmp (sel, g_ptr_array_index (selectors, k)) == 0)
          dup = TRUE;
      if (dup)
        continue;
      name = g_strdup_printf ("%s._domainkey.%s", sel, run->domain);
      run->dkim_pending++;
      _ob_domain_check_run_query (run, name, OB_DNS_TYPE_TXT, _ob_domain_check_dkim_cb, g_strdup (sel), g_free);
      g_clear_pointer (&name, g_free);
    }

  if (run->report->smtp_host)
    {
      run->addr_lookups = 2;
      _ob_domain_check_run_query (run, run->report->smtp_host, OB_DNS_TYPE_A, _ob_domain_check_smtp_addr_cb,
                                  GUINT_TO_POINTER (OB_DNS_TYPE_A), NULL);
      _ob_domain_check_run_query (run, run->report->smtp_host, OB_DNS_TYPE_AAAA, _ob_domain_check_smtp_addr_cb,
                                  GUINT_TO_POINTER (OB_DNS_TYPE_AAAA), NULL);
    }
  else
    run->addrs_checked = TRUE;

  _ob_domain_check_op_end (run);
}

ObDomainReport *
ob_domain_check_run_finish (ObDomainCheck  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
ob_domain_check_finalize (GObject *object)
{
  ObDomainCheck *self = OB_DOMAIN_CHECK (object);

  g_clear_object (&self->resolver);
  g_free (self->smtp_host);
  g_ptr_array_unref (self->selectors);
  g_free (self->report_address);
  g_strfreev (self->dnsbl_zones);
  g_free (self->extra_ca_file);
  g_free (self->mta_sts_origin);
  G_OBJECT_CLASS (ob_domain_check_parent_class)->finalize (object);
}

static void
ob_domain_check_class_init (ObDomainCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_domain_check_finalize;
}

static void
ob_domain_check_init (ObDomainCheck *self)
{
  self->selectors = g_ptr_array_new_with_free_func (g_free);
  self->dnsbl_zones = g_strsplit ("bl.spamcop.net zen.spamhaus.org", " ", -1);
}

ObDomainCheck *
ob_domain_check_new (ObDnsResolver *resolver)
{
  ObDomainCheck *self;

  g_return_val_if_fail (OB_IS_DNS_RESOLVER (resolver), NULL);

  self = g_object_new (OB_TYPE_DOMAIN_CHECK, NULL);
  /* The SPF walk asks again for what the other checks asked (the TXT and
   * MX records, the MX hosts): a cache makes those free. */
  if (OB_IS_DNS_CACHING_RESOLVER (resolver))
    self->resolver = g_object_ref (resolver);
  else
    self->resolver = ob_dns_caching_resolver_new (resolver);
  return self;
}

void
ob_domain_check_set_smtp_host (ObDomainCheck *self,
                               const char    *host)
{
  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_free (self->smtp_host);
  self->smtp_host = g_strdup (host && host[0] ? host : NULL);
}

void
ob_domain_check_add_selector (ObDomainCheck *self,
                              const char    *selector)
{
  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_return_if_fail (selector != NULL);
  g_ptr_array_add (self->selectors, g_strdup (selector));
}

void
ob_domain_check_set_report_address (ObDomainCheck *self,
                                    const char    *address)
{
  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_free (self->report_address);
  self->report_address = g_strdup (address);
}

void
ob_domain_check_set_dnsbl_zones (ObDomainCheck      *self,
                                 const char * const *zones)
{
  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_strfreev (self->dnsbl_zones);
  self->dnsbl_zones = g_strdupv ((char **) zones);
}

void
ob_domain_check_set_extra_ca_file (ObDomainCheck *self,
                                   const char    *path)
{
  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_free (self->extra_ca_file);
  self->extra_ca_file = path ? g_canonicalize_filename (path, NULL) : NULL;
}

void
ob_domain_check_set_mta_sts_origin (ObDomainCheck *self,
                                    const char    *origin)
{
  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_free (self->mta_sts_origin);
  self->mta_sts_origin = g_strdup (origin);
}
