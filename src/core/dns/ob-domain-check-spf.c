/* ob-domain-check-spf.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-domain-check-private.h"
#include "ob-spf-check.h"
#include "ob-spf-record.h"

/* The SPF checks: the domain's TXT records (_ob_domain_check_spf_txt_cb()),
 * the record's own terms (+all, ?all, ptr), the walk through every include
 * and redirect with its lookup counts, whether the record authorises the
 * account's provider, and the starter record suggested when there is none
 * (_ob_domain_check_starter_spf(), made when the run ends, once the MX and
 * SMTP host answers are in).
 *
 * Provider awareness: whether the SPF record authorises the account's
 * provider cannot be evaluated with the provider's outbound IPs (we do not
 * know them offline). When the SMTP host belongs to a known provider we
 * walk the SPF record (check_host for 192.0.2.1, an address no record
 * authorises, so every include and redirect is followed) and require that
 * the walk reaches one of the provider's SPF include domains. For an
 * unknown SMTP host we run check_host for each of its addresses and
 * require "pass". */

#define WALK_ADDRESS "192.0.2.1"

/* @record with @term added before the final all/redirect. */
static char *
spf_with_term (const char *record,
               const char *term)
{
  g_auto(GStrv) words = g_strsplit (record, " ", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  gboolean added = FALSE;

  for (guint i = 0; words[i]; i++)
    {
      const char *w = words[i];
      const char *m = (*w && strchr ("+-~?", *w)) ? w + 1 : w;

      if (*w == '\0')
        continue;
      if (!added && i > 0 && (g_ascii_strcasecmp (m, "all") == 0 ||
                              g_ascii_strncasecmp (w, "redirect=", 9) == 0))
        {
          g_ptr_array_add (out, (gpointer) term);
          added = TRUE;
        }
      g_ptr_array_add (out, (gpointer) w);
    }
  if (!added)
    g_ptr_array_add (out, (gpointer) term);
  g_ptr_array_add (out, NULL);
  return g_strjoinv (" ", (char **) out->pdata);
}

static char *
spf_without_term (const char *record,
                  const char *term)
{
  g_auto(GStrv) words = g_strsplit (record, " ", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();

  for (guint i = 0; words[i]; i++)
    if (words[i][0] != '\0' && g_ascii_strcasecmp (words[i], term) != 0)
      g_ptr_array_add (out, words[i]);
  g_ptr_array_add (out, NULL);
  return g_strjoinv (" ", (char **) out->pdata);
}

/* The ip4:/ip6: terms for the addresses in @addrs (char*), in their
 * order, leaving out those not in @only when it is given; NULL when no
 * address is left. */
static char *
address_terms (GPtrArray *addrs,
               GPtrArray *only)
{
  GString *terms = g_string_new (NULL);

  for (guint i = 0; addrs != NULL && i < addrs->len; i++)
    {
      const char *a = g_ptr_array_index (addrs, i);

      if (only != NULL && !g_ptr_array_find_with_equal_func (only, a, g_str_equal, NULL))
        continue;
      g_string_append_printf (terms, "%s%s%s", terms->len ? " " : "", strchr (a, ':') ? "ip6:" : "ip4:", a);
    }
  if (terms->len == 0)
    {
      g_string_free (terms, TRUE);
      return NULL;
    }
  return g_string_free (terms, FALSE);
}

/* The term that authorises how this account sends: the provider's
 * include, else the SMTP host's addresses. */
static char *
sending_term (ObDomainCheckRun *run)
{
  if (run->provider && run->provider->spf_includes)
    return g_strconcat ("include:", run->provider->spf_includes[0], NULL);
  return address_terms (run->smtp_addrs, NULL);
}

char *
_ob_domain_check_starter_spf (ObDomainCheckRun *run)
{
  g_autofree char *term = sending_term (run);

  if (term)
    return g_strdup_printf ("v=spf1 %s%s ~all", run->has_mx ? "mx " : "", term);
  return g_strdup ("v=spf1 mx ~all");
}

/* "spf-provider-missing", with the record that adds @term as its fix.
 * Both ways of telling (check_host for an unknown SMTP host, the include
 * chain for a known provider) end here; @message (taken) is their own
 * wording, naming the server or the provider. */
/* The first include: of the record that belongs to a known provider other
 * than the account's (the domain moved from Tencent to Alibaba, say), or
 * NULL; @provider_out is set to that provider. */
static char *
other_provider_include (ObDomainCheckRun     *run,
                        const ObDnsProvider **provider_out)
{
  g_auto(GStrv) terms = g_strsplit_set (run->spf_text, " \t", -1);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *term = terms[i];
      const ObDnsProvider *p;

      if (*term == '+' || *term == '~' || *term == '?' || *term == '-')
        term++;
      if (g_ascii_strncasecmp (term, "include:", 8) != 0)
        continue;
      p = ob_dns_provider_for_spf_include (term + 8);
      if (p != NULL && p != run->provider &&
          !(run->provider->spf_includes != NULL && g_strv_contains (run->provider->spf_includes, term + 8)))
        {
          *provider_out = p;
          return g_strdup (term + 8);
        }
    }
  return NULL;
}

static void
add_provider_missing (ObDomainCheckRun *run,
                      const char       *term,
                      char             *message)
{
  g_autofree char *fixed = spf_with_term (run->spf_text, term);
  const ObDnsProvider *other = NULL;
  g_autofree char *other_include = run->provider ? other_provider_include (run, &other) : NULL;
  ObDomainFinding *f;

  /* The fix keeps what the record already allows, which is safe; but a
   * provider left from before authorises mail nobody sends any more. */
  if (other_include != NULL)
    {
      char *more = g_strdup_printf (_("%s The record also authorises %s (include:%s): if you no longer send through %s, you may remove that include."),
                                    message, other->name, other_include, other->name);

      g_free (message);
      message = more;
    }
  f = _ob_domain_check_add_finding (run, "spf-provider-missing", OB_FINDING_ERROR, "spf", run->spf_text, message);
  _ob_domain_finding_set_fix (f, run->domain, "TXT", fixed);
}

/* One check_host of an address of the SMTP host. */
typedef struct
{
  GTask *task;
  char  *address;
} HostCheck;

static void
host_spf_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HostCheck *check = user_data;
  g_autoptr(GTask) task = check->task;
  ObDomainCheckRun *run = g_task_get_task_data (task);
  g_autoptr(ObSpfCheckResult) res = ob_spf_check_host_finish (result, NULL);

  /* The fix adds only the addresses that do not pass: one already
   * allowed (by an ip4: range, say) needs no term of its own. */
  if (res == NULL || res->result != OB_SPF_RESULT_PASS)
    g_ptr_array_add (run->host_spf_missing, g_steal_pointer (&check->address));
  g_free (check->address);
  g_free (check);
  if (--run->host_spf_pending == 0 && run->spf_text)
    {
      if (run->host_spf_missing->len == 0)
        _ob_domain_check_add_finding (run, "spf-provider-ok", OB_FINDING_OK, "spf", run->spf_text,
                                      g_strdup_printf (_("The SPF record authorises the SMTP server %s."), run->report->smtp_host));
      else
        {
          g_autofree char *term = address_terms (run->smtp_addrs, run->host_spf_missing);

          add_provider_missing (run, term,
                                g_strdup_printf (_("The SPF record does not authorise your SMTP server %s, so receivers may treat your mail as forged."),
                                                 run->report->smtp_host));
        }
    }
  _ob_domain_check_op_end (run);
}

/* For an SMTP host of no known provider: check_host for each address. */
void
_ob_domain_check_maybe_check_host_addresses (ObDomainCheckRun *run)
{
  if (!run->spf_checked || !run->addrs_checked || run->spf_text == NULL ||
      run->report->smtp_host == NULL || (run->provider && run->provider->spf_includes))
    return;
  if (run->smtp_addrs->len == 0)
    return;
  for (guint i = 0; i < run->smtp_addrs->len; i++)
    {
      g_autoptr(GInetAddress) ip = g_inet_address_new_from_string (g_ptr_array_index (run->smtp_addrs, i));
      g_autofree char *sender = g_strconcat ("postmaster@", run->domain, NULL);
      HostCheck *check = g_new0 (HostCheck, 1);

      check->task = g_object_ref (run->task);
      check->address = g_strdup (g_ptr_array_index (run->smtp_addrs, i));
      run->host_spf_pending++;
      _ob_domain_check_op_begin (run);
      ob_spf_check_host_async (run->self->resolver, ip, run->domain, sender, run->report->smtp_host, NULL,
                               run->cancellable, host_spf_done_cb, check);
    }
}

static void
spf_walk_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObDomainCheckRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSpfCheckResult) res = ob_spf_check_host_finish (result, &error);
  gboolean problem = FALSE;

  if (res == NULL)
    {
      _ob_domain_check_op_end (run);
      return;
    }
  json_object_set_int_member (run->report->records, "spf_lookups", res->lookups);
  json_object_set_int_member (run->report->records, "spf_void_lookups", res->void_lookups);

  switch (res->problem_kind)
    {
    case OB_SPF_PROBLEM_LOOKUP_LIMIT:
      _ob_domain_check_add_finding (run, "spf-too-many-lookups", OB_FINDING_ERROR, "spf", run->spf_text,
                                    g_strdup_printf (_("The SPF record needs more than 10 DNS lookups, so receivers stop reading it and SPF fails (permerror). Replace includes you no longer use, or ask your providers for ip4: ranges.")));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_VOID_LIMIT:
      _ob_domain_check_add_finding (run, "spf-void-lookups", OB_FINDING_ERROR, "spf", run->spf_text,
                                    g_strdup (_("The SPF record names more than 2 domains that do not exist or have no records, so receivers treat it as broken (permerror). Remove the names that no longer exist.")));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_INCLUDE_NO_RECORD:
    case OB_SPF_PROBLEM_REDIRECT_NO_RECORD:
      {
        g_autofree char *term = g_strconcat (res->problem_kind == OB_SPF_PROBLEM_INCLUDE_NO_RECORD
                                             ? "include:" : "redirect=", res->problem_domain, NULL);
        g_autofree char *fixed = spf_without_term (run->spf_text, term);
        ObDomainFinding *f;

        f = _ob_domain_check_add_finding (run, "spf-include-missing", OB_FINDING_ERROR, "spf", run->spf_text,
                                          g_strdup_printf (_("The SPF record refers to %s, which has no SPF record, so SPF fails for all your mail (permerror). Remove it or correct the name."),
                                                           res->problem_domain));
        if (g_strcmp0 (run->spf_text, fixed) != 0)
          _ob_domain_finding_set_fix (f, run->domain, "TXT", fixed);
        problem = TRUE;
      }
      break;
    case OB_SPF_PROBLEM_SYNTAX:
    case OB_SPF_PROBLEM_MULTIPLE:
    case OB_SPF_PROBLEM_MX_LIMIT:
    case OB_SPF_PROBLEM_LOOP:
      _ob_domain_check_add_finding (run, "spf-syntax", OB_FINDING_ERROR, "spf", run->spf_text,
                                    g_strdup_printf (_("A record that your SPF record uses is broken: %s"), res->problem));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_DNS:
      _ob_domain_check_add_finding (run, "dns-lookup-failed", OB_FINDING_WARNING, "spf", run->spf_text,
                                    g_strdup_printf (_("Part of the SPF record could not be checked: %s"), res->problem));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_NONE:
    default:
      break;
    }
  if (!problem && res->void_lookups > 0)
    _ob_domain_check_add_finding (run, "spf-void-lookups", OB_FINDING_WARNING, "spf", run->spf_text,
                                  g_strdup (_("The SPF record names a domain that does not exist or has no records. Receivers allow two such names; remove the ones you no longer use.")));
  if (!problem)
    _ob_domain_check_add_finding (run, "spf-ok", OB_FINDING_OK, "spf", run->spf_text,
                                  g_strdup_printf (_("The SPF record is valid and needs %u of the 10 allowed DNS lookups."), res->lookups));

  /* Provider awareness through the include chain. */
  if (run->provider && run->provider->spf_includes)
    {
      gboolean reached = FALSE;

      for (guint i = 0; i < res->domains->len && !reached; i++)
        for (guint k = 0; run->provider->spf_includes[k]; k++)
          if (ob_dns_name_equal (g_ptr_array_index (res->domains, i), run->provider->spf_includes[k]))
            reached = TRUE;
      if (reached)
        _ob_domain_check_add_finding (run, "spf-provider-ok", OB_FINDING_OK, "spf", run->spf_text,
                                      g_strdup_printf (_("The SPF record authorises %s."), run->provider->name));
      else
        {
          g_autofree char *term = sending_term (run);

          add_provider_missing (run, term,
                                g_strdup_printf (_("Your mail goes out through %s, but the SPF record does not authorise it, so receivers may treat your mail as forged."),
                                                 run->provider->name));
        }
    }
  _ob_domain_check_op_end (run);
}

void
_ob_domain_check_spf_txt_cb (ObDomainCheckRun *run,
                             const char       *name,
                             ObDnsAnswer      *answer,
                             const GError     *error,
                             gpointer          data)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) spfs = g_ptr_array_new ();
  g_autoptr(ObSpfRecord) record = NULL;
  g_autoptr(GError) parse_error = NULL;

  run->spf_checked = TRUE;
  if (error)
    {
      _ob_domain_check_lookup_failed (run, "spf", name, error);
      return;
    }
  if (answer->rcode == OB_DNS_RCODE_NXDOMAIN)
    run->domain_nx_txt = TRUE;
  texts = _ob_domain_check_txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (ob_spf_record_is_spf (g_ptr_array_index (texts, i)))
      g_ptr_array_add (spfs, g_ptr_array_index (texts, i));

  if (spfs->len == 0)
    {
      run->spf_starter = _ob_domain_check_add_finding (run, "spf-missing", OB_FINDING_ERROR, "spf", NULL,
                                                       g_strdup_printf (_("%s has no SPF record, so receivers cannot tell your mail from forgeries and often reject it."), run->domain));
      return;
    }
  {
    JsonArray *a = json_array_new ();

    for (guint i = 0; i < spfs->len; i++)
      json_array_add_string_element (a, g_ptr_array_index (spfs, i));
    json_object_set_array_member (run->report->records, "spf", a);
  }
  if (spfs->len > 1)
    {
      run->spf_starter = _ob_domain_check_add_finding (run, "spf-multiple", OB_FINDING_ERROR, "spf", g_ptr_array_index (spfs, 0),
                       g_strdup_printf (_("%s has %u SPF records; receivers then ignore all of them (permerror). Merge them into one record and delete the others."),
                                                         run->domain, spfs->len));
      return;
    }

  record = ob_spf_record_parse (g_ptr_array_index (spfs, 0), &parse_error);
  if (record == NULL)
    {
      run->spf_starter = _ob_domain_check_add_finding (run, "spf-syntax", OB_FINDING_ERROR, "spf", g_ptr_array_index (spfs, 0),
                                                       g_strdup_printf (_("The SPF record is not valid, so receivers ignore it: %s"), parse_error->message));
      return;
    }
  run->spf_text = g_strdup (g_ptr_array_index (spfs, 0));

  for (guint i = 0; i < record->terms->len; i++)
    {
      ObSpfTerm *t = g_ptr_array_index (record->terms, i);

      if (t->kind == OB_SPF_TERM_ALL && (t->qualifier == '+' || t->qualifier == '?'))
        {
          g_autofree char *without = spf_without_term (run->spf_text, t->text);
          g_autofree char *fixed = spf_with_term (without, "~all");
          ObDomainFinding *f;

          if (t->qualifier == '+')
            f = _ob_domain_check_add_finding (run, "spf-permissive-all", OB_FINDING_ERROR, "spf", run->spf_text,
                                              g_strdup (_("The SPF record ends in “+all”, which lets anyone on the internet send as you. Spam filters treat it as no protection at all.")));
          else
            f = _ob_domain_check_add_finding (run, "spf-permissive-all", OB_FINDING_WARNING, "spf", run->spf_text,
                                              g_strdup (_("The SPF record ends in “?all”, which tells receivers nothing about other servers. Use “~all” once all your senders are listed.")));
          _ob_domain_finding_set_fix (f, run->domain, "TXT", fixed);
        }
      else if (t->kind == OB_SPF_TERM_PTR)
        {
          g_autofree char *fixed = spf_without_term (run->spf_text, t->text);
          ObDomainFinding *f;

          f = _ob_domain_check_add_finding (run, "spf-ptr", OB_FINDING_WARNING, "spf", run->spf_text,
                                            g_strdup (_("The SPF record uses “ptr”, which RFC 7208 says not to use: it is slow and many receivers skip it. List your servers with ip4:, a or include: instead.")));
          _ob_domain_finding_set_fix (f, run->domain, "TXT", fixed);
        }
    }

  /* The walk: every include and redirect, the lookup counts. */
  {
    g_autoptr(GInetAddress) walk = g_inet_address_new_from_string (WALK_ADDRESS);
    g_autofree char *sender = g_strconcat ("postmaster@", run->domain, NULL);

    _ob_domain_check_op_begin (run);
    ob_spf_check_host_async (run->self->resolver, walk, run->domain, sender, NULL, NULL,
                             run->cancellable, spf_walk_done_cb, g_object_ref (run->task));
  }
  _ob_domain_check_maybe_check_host_addresses (run);
}
