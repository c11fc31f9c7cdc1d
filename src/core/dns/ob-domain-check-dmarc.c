/* ob-domain-check-dmarc.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-dmarc-record.h"
#include "ob-domain-check-private.h"

/* The DMARC checks: the _dmarc record of the domain or, without one, of
 * its organisational domain (_ob_domain_check_dmarc_cb()); its policy,
 * pct and report addresses (check_dmarc_record()); and whether a report
 * address at another domain has agreed to receive reports (RFC 7489
 * §7.1). The report address suggested in fixes
 * (_ob_domain_check_report_address()) also serves TLS-RPT. */

char *
_ob_domain_check_report_address (ObDomainCheckRun *run)
{
  if (run->self->report_address)
    return g_strdup (run->self->report_address);
  return g_strconcat ("dmarc-reports@", run->domain, NULL);
}

/* @message, and when the fix sends reports to the address made up above
 * (no one set one), a word that the mailbox must exist: reports to a
 * mailbox nobody created bounce, and nobody reads them. Takes @message. */
char *
_ob_domain_check_with_report_note (ObDomainCheckRun *run,
                                   char             *message)
{
  g_autofree char *rua = NULL;
  char *with_note;

  if (run->self->report_address)
    return message;
  rua = _ob_domain_check_report_address (run);
  with_note = g_strdup_printf (_("%s The record below sends reports to %s: create that mailbox first, or put an address you read in its place."),
                               message, rua);
  g_free (message);
  return with_note;
}

static void
rua_auth_cb (ObDomainCheckRun *run,
             const char       *name,
             ObDnsAnswer      *answer,
             const GError     *error,
             gpointer          data)
{
  const char *rua_domain = data;
  g_autoptr(GPtrArray) texts = NULL;
  gboolean ok = FALSE;

  if (error)
    {
      _ob_domain_check_lookup_failed (run, "dmarc", name, error);
      return;
    }
  texts = _ob_domain_check_txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (ob_dmarc_record_is_dmarc (g_ptr_array_index (texts, i)))
      ok = TRUE;
  if (!ok)
    {
      ObDomainFinding *f;

      f = _ob_domain_check_add_finding (run, "dmarc-rua-unauthorized", OB_FINDING_WARNING, "dmarc", NULL,
                                        g_strdup_printf (_("DMARC reports go to %s, which has not agreed to receive reports for %s, so receivers will not send them (RFC 7489 §7.1). Ask the owner of %s to publish the record below, or use an address at your own domain."),
                                                         rua_domain, run->domain, rua_domain));
      _ob_domain_finding_set_fix (f, name, "TXT", "v=DMARC1");
    }
}

static void
check_dmarc_record (ObDomainCheckRun *run,
                    const char       *record_name,
                    const char       *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDmarcRecord) r = ob_dmarc_record_parse (text, &error);
  g_autofree char *dmarc_name = g_strconcat ("_dmarc.", run->domain, NULL);
  g_autofree char *rua = _ob_domain_check_report_address (run);
  gboolean fine = TRUE;

  json_object_set_string_member (run->report->records, "dmarc", text);
  if (r == NULL)
    {
      g_autofree char *starter = g_strdup_printf ("v=DMARC1; p=none; rua=mailto:%s", rua);
      ObDomainFinding *f;

      f = _ob_domain_check_add_finding (run, "dmarc-syntax", OB_FINDING_ERROR, "dmarc", text,
                                        g_strdup_printf (_("The DMARC record is not valid, so receivers ignore it: %s"), error->message));
      _ob_domain_finding_set_fix (f, dmarc_name, "TXT", starter);
      return;
    }
  for (guint i = 0; i < r->warnings->len; i++)
    {
      _ob_domain_check_add_finding (run, "dmarc-syntax", OB_FINDING_WARNING, "dmarc", text,
                                    g_strdup (g_ptr_array_index (r->warnings, i)));
      fine = FALSE;
    }
  if (g_str_equal (r->policy, "none"))
    {
      g_autofree char *fixed = NULL;
      g_autoptr(GRegex) re = g_regex_new ("(^|;)\\s*[pP]\\s*=\\s*[^;]*", 0, 0, NULL);

      fixed = g_regex_replace (re, text, -1, 0, "\\1 p=quarantine", 0, NULL);
      if (r->policy_fallback || g_strcmp0 (fixed, text) == 0)
        fixed = (g_free (fixed), g_strdup_printf ("v=DMARC1; p=quarantine%s%s", r->rua->len ? "; rua=" : "",
                                                   r->rua->len ? ((ObDmarcUri *) g_ptr_array_index (r->rua, 0))->uri : ""));
      {
        ObDomainFinding *f = _ob_domain_check_add_finding (run, "dmarc-policy-none", OB_FINDING_WARNING, "dmarc", text,
                                                           g_strdup (_("The DMARC policy is p=none: receivers only watch and do nothing about mail forged in your name. Once your reports show only your own servers, move to quarantine.")));

        _ob_domain_finding_set_fix (f, record_name, "TXT", fixed);
      }
      fine = FALSE;
    }
  if (r->pct_given && r->pct < 100)
    {
      g_autoptr(GRegex) re = g_regex_new (";\\s*[pP][cC][tT]\\s*=\\s*[^;]*", 0, 0, NULL);
      g_autofree char *fixed = g_regex_replace (re, text, -1, 0, "", 0, NULL);
      ObDomainFinding *f;

      f = _ob_domain_check_add_finding (run, "dmarc-pct-partial", OB_FINDING_WARNING, "dmarc", text,
                                        g_strdup_printf (_("The DMARC policy applies to only %u %% of failing mail (pct=%u); the rest is treated as p=none."), r->pct, r->pct));
      _ob_domain_finding_set_fix (f, record_name, "TXT", fixed);
      fine = FALSE;
    }
  if (r->rua->len == 0)
    {
      g_autofree char *trimmed = g_strdup (text);
      g_autofree char *fixed = NULL;
      ObDomainFinding *f;

      g_strstrip (trimmed);
      while (trimmed[0] && trimmed[strlen (trimmed) - 1] == ';')
        trimmed[strlen (trimmed) - 1] = '\0';
      fixed = g_strdup_printf ("%s; rua=mailto:%s", trimmed, rua);
      f = _ob_domain_check_add_finding (run, "dmarc-no-rua", OB_FINDING_WARNING, "dmarc", text,
                                        _ob_domain_check_with_report_note (run, g_strdup (_("The DMARC record asks for no reports (no rua=), so you will not learn who sends mail in your name or whether your own mail fails."))));
      _ob_domain_finding_set_fix (f, record_name, "TXT", fixed);
      fine = FALSE;
    }
  for (guint i = 0; i < r->rua->len; i++)
    {
      ObDmarcUri *u = g_ptr_array_index (r->rua, i);
      g_autofree char *rua_domain = ob_dmarc_uri_domain (u->uri);
      g_autofree char *rua_org = NULL;

      if (rua_domain == NULL)
        continue;
      rua_org = ob_dmarc_org_domain (rua_domain);
      if (!g_str_equal (rua_org, run->org_domain))
        {
          g_autofree char *auth = g_strdup_printf ("%s._report._dmarc.%s", run->domain, rua_domain);

          _ob_domain_check_run_query (run, auth, OB_DNS_TYPE_TXT, rua_auth_cb, g_strdup (rua_domain), g_free);
        }
    }
  if (fine)
    _ob_domain_check_add_finding (run, "dmarc-ok", OB_FINDING_OK, "dmarc", text,
                                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The DMARC policy is p=%s and reports go to %u address.",
                                                                "The DMARC policy is p=%s and reports go to %u addresses.", r->rua->len),
                                                   r->policy, r->rua->len));
}

void
_ob_domain_check_dmarc_cb (ObDomainCheckRun *run,
                           const char       *name,
                           ObDnsAnswer      *answer,
                           const GError     *error,
                           gpointer          data)
{
  gboolean at_org = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) dmarcs = g_ptr_array_new ();

  if (error)
    {
      _ob_domain_check_lookup_failed (run, "dmarc", name, error);
      return;
    }
  texts = _ob_domain_check_txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (ob_dmarc_record_is_dmarc (g_ptr_array_index (texts, i)) ||
        g_ascii_strncasecmp (g_ptr_array_index (texts, i), "v=DMARC1", 8) == 0)
      g_ptr_array_add (dmarcs, g_ptr_array_index (texts, i));

  if (dmarcs->len == 0)
    {
      if (!at_org && !g_str_equal (run->org_domain, run->domain))
        {
          g_autofree char *org_name = g_strconcat ("_dmarc.", run->org_domain, NULL);

          _ob_domain_check_run_query (run, org_name, OB_DNS_TYPE_TXT, _ob_domain_check_dmarc_cb, GINT_TO_POINTER (TRUE), NULL);
          return;
        }
      {
        g_autofree char *rua = _ob_domain_check_report_address (run);
        g_autofree char *starter = g_strdup_printf ("v=DMARC1; p=none; rua=mailto:%s", rua);
        g_autofree char *dmarc_name = g_strconcat ("_dmarc.", run->domain, NULL);
        ObDomainFinding *f;

        f = _ob_domain_check_add_finding (run, "dmarc-missing", OB_FINDING_ERROR, "dmarc", NULL,
                                          _ob_domain_check_with_report_note (run, g_strdup_printf (_("%s has no DMARC record. Gmail, Yahoo and Microsoft expect one from anyone sending in volume, and mail without it is more often filtered."),
                                                                                                   run->domain)));
        _ob_domain_finding_set_fix (f, dmarc_name, "TXT", starter);
      }
      return;
    }
  if (dmarcs->len > 1)
    {
      _ob_domain_check_add_finding (run, "dmarc-multiple", OB_FINDING_ERROR, "dmarc", g_ptr_array_index (dmarcs, 0),
                                    g_strdup_printf (_("%s has %u DMARC records; receivers then ignore DMARC completely. Keep one and delete the others."),
                                                     name, dmarcs->len));
      return;
    }
  check_dmarc_record (run, name, g_ptr_array_index (dmarcs, 0));
}
