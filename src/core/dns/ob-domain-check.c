/* ob-domain-check.c
 *
 * Every lookup that does not depend on another starts at once (MX, SPF,
 * DMARC, each DKIM selector, MTA-STS, TLS-RPT, the SMTP host's addresses);
 * dependent ones (MX host addresses, the SPF include walk, external rua
 * authorisation, the MTA-STS policy, DNSBL) start from their parent's
 * callback. The report is done when nothing is pending.
 *
 * Provider awareness: whether the SPF record authorises the account's
 * provider cannot be evaluated with the provider's outbound IPs (we do not
 * know them offline). When the SMTP host belongs to a known provider we
 * walk the SPF record (check_host for 192.0.2.1, an address no record
 * authorises, so every include and redirect is followed) and require that
 * the walk reaches one of the provider's SPF include domains. For an
 * unknown SMTP host we run check_host for each of its addresses and
 * require "pass".
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-dmarc-record.h"
#include "ob-dns-caching-resolver.h"
#include "ob-dns-providers.h"
#include "ob-domain-check.h"
#include "ob-spf-check.h"
#include "ob-spf-record.h"

#define WALK_ADDRESS "192.0.2.1"

struct _ObDomainCheck
{
  GObject        parent_instance;
  ObDnsResolver *resolver;
  char          *smtp_host;
  GPtrArray     *selectors;
  char          *report_address;
  GStrv          dnsbl_zones;
  char          *extra_ca_file;
  char          *mta_sts_origin;
};

G_DEFINE_FINAL_TYPE (ObDomainCheck, ob_domain_check, G_TYPE_OBJECT)

typedef struct
{
  ObDomainCheck       *self;
  char                *domain;
  char                *org_domain;
  const ObDnsProvider *provider;
  ObDomainReport      *report;
  GCancellable        *cancellable;
  guint                pending;
  GTask               *task; /* borrowed: the ops hold the references */

  gboolean             domain_nx_mx;
  gboolean             domain_nx_txt;
  gboolean             has_mx;
  char                *spf_text;       /* the one SPF record, when parsed */
  gboolean             spf_checked;    /* the TXT lookup came back */
  gboolean             addrs_checked;  /* the SMTP host's A/AAAA came back */
  guint                addr_lookups;
  GPtrArray           *smtp_addrs;     /* char* */
  guint                dkim_found;
  guint                dkim_pending;
  gboolean             dkim_error;
  guint                host_spf_pending;
  guint                host_spf_pass;
  ObDomainFinding     *spf_starter;    /* its fix is made at the end */
  JsonObject          *dkim_records;
  JsonArray           *mx_records;
  JsonObject          *dnsbl;
} Run;

typedef void (*AnswerFunc) (Run          *run,
                            const char   *name,
                            ObDnsAnswer  *answer,
                            const GError *error,
                            gpointer      data);

typedef struct
{
  GTask          *task;
  char           *name;
  guint16         type;
  AnswerFunc      func;
  gpointer        data;
  GDestroyNotify  destroy;
} QueryOp;

/* ---- report ---- */

const char *
ob_finding_severity_to_string (ObFindingSeverity severity)
{
  switch (severity)
    {
    case OB_FINDING_OK: return "ok";
    case OB_FINDING_INFO: return "info";
    case OB_FINDING_WARNING: return "warning";
    case OB_FINDING_ERROR: return "error";
    default: return "info";
    }
}

static void
finding_free (ObDomainFinding *f)
{
  g_free (f->id);
  g_free (f->group);
  g_free (f->record);
  g_free (f->message);
  g_free (f->fix);
  g_free (f->fix_name);
  g_free (f->fix_type);
  g_free (f->fix_value);
  g_free (f);
}

void
ob_domain_report_free (ObDomainReport *report)
{
  if (report == NULL)
    return;
  g_free (report->domain);
  g_free (report->smtp_host);
  g_free (report->provider);
  g_ptr_array_unref (report->findings);
  json_object_unref (report->records);
  g_free (report);
}

gboolean
ob_domain_report_has_errors (ObDomainReport *report)
{
  for (guint i = 0; i < report->findings->len; i++)
    if (((ObDomainFinding *) g_ptr_array_index (report->findings, i))->severity == OB_FINDING_ERROR)
      return TRUE;
  return FALSE;
}

ObDomainFinding *
ob_domain_report_find (ObDomainReport *report,
                       const char     *id)
{
  for (guint i = 0; i < report->findings->len; i++)
    {
      ObDomainFinding *f = g_ptr_array_index (report->findings, i);

      if (g_str_equal (f->id, id))
        return f;
    }
  return NULL;
}

static void
add_nullable (JsonBuilder *b,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
ob_domain_report_to_json (ObDomainReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonNode *records;

  json_builder_begin_object (b);
  add_nullable (b, "domain", report->domain);
  add_nullable (b, "smtp_host", report->smtp_host);
  add_nullable (b, "provider", report->provider);
  json_builder_set_member_name (b, "checked_at");
  json_builder_add_int_value (b, report->checked_at);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->findings->len; i++)
    {
      ObDomainFinding *f = g_ptr_array_index (report->findings, i);

      json_builder_begin_object (b);
      add_nullable (b, "id", f->id);
      add_nullable (b, "severity", ob_finding_severity_to_string (f->severity));
      add_nullable (b, "group", f->group);
      add_nullable (b, "record", f->record);
      add_nullable (b, "message", f->message);
      add_nullable (b, "fix", f->fix);
      json_builder_set_member_name (b, "fix_record");
      if (f->fix_name)
        {
          json_builder_begin_object (b);
          add_nullable (b, "name", f->fix_name);
          add_nullable (b, "type", f->fix_type);
          add_nullable (b, "value", f->fix_value);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "records");
  records = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (records, report->records);
  json_builder_add_value (b, records);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static ObDomainFinding *
add_finding (Run               *run,
             const char        *id,
             ObFindingSeverity  severity,
             const char        *group,
             const char        *record,
             char              *message)
{
  ObDomainFinding *f = g_new0 (ObDomainFinding, 1);

  f->id = g_strdup (id);
  f->severity = severity;
  f->group = g_strdup (group);
  f->record = g_strdup (record);
  f->message = message;
  g_ptr_array_add (run->report->findings, f);
  return f;
}

static void
set_fix (ObDomainFinding *f,
         const char      *name,
         const char      *type,
         const char      *value)
{
  f->fix_name = g_strdup (name);
  f->fix_type = g_strdup (type);
  f->fix_value = g_strdup (value);
  if (value)
    f->fix = g_strdup_printf (_("Publish this %s record at %s: %s"), type, name, value);
}

/* ---- the pending-operation machinery ---- */

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_free (run->domain);
  g_free (run->org_domain);
  g_clear_pointer (&run->report, ob_domain_report_free);
  g_clear_object (&run->cancellable);
  g_free (run->spf_text);
  g_clear_pointer (&run->smtp_addrs, g_ptr_array_unref);
  g_clear_pointer (&run->dkim_records, json_object_unref);
  g_clear_pointer (&run->mx_records, json_array_unref);
  g_clear_pointer (&run->dnsbl, json_object_unref);
  g_free (run);
}

static void finish (Run *run);

static void
op_begin (Run *run)
{
  run->pending++;
}

static void
op_end (Run *run)
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
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;

  answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &error);
  op->func (run, op->name, answer, error, op->data);
  if (op->destroy)
    op->destroy (op->data);
  g_free (op->name);
  g_free (op);
  op_end (run);
}

static void
run_query (Run            *run,
           const char     *name,
           guint16         type,
           AnswerFunc      func,
           gpointer        data,
           GDestroyNotify  destroy)
{
  QueryOp *op = g_new0 (QueryOp, 1);

  op->task = g_object_ref (run->task);
  op->name = g_strdup (name);
  op->type = type;
  op->func = func;
  op->data = data;
  op->destroy = destroy;
  op_begin (run);
  ob_dns_resolver_query_async (run->self->resolver, name, type, run->cancellable, query_cb, op);
}

/* The texts of the TXT records of @name in @answer. */
static GPtrArray *
txt_texts (ObDnsAnswer *answer,
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

static void
lookup_failed (Run          *run,
               const char   *group,
               const char   *name,
               const GError *error)
{
  add_finding (run, "dns-lookup-failed", OB_FINDING_WARNING, group, NULL,
               g_strdup_printf (_("Could not look up %s (%s); this part was not checked. Try again later."),
                                name, error->message));
}

/* ---- SPF ---- */

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

/* The term that authorises how this account sends. */
static char *
sending_term (Run *run)
{
  if (run->provider && run->provider->spf_includes)
    return g_strconcat ("include:", run->provider->spf_includes[0], NULL);
  if (run->smtp_addrs && run->smtp_addrs->len > 0)
    {
      const char *a = g_ptr_array_index (run->smtp_addrs, 0);

      return g_strconcat (strchr (a, ':') ? "ip6:" : "ip4:", a, NULL);
    }
  return NULL;
}

static char *
starter_spf (Run *run)
{
  g_autofree char *term = sending_term (run);

  if (term)
    return g_strdup_printf ("v=spf1 %s%s ~all", run->has_mx ? "mx " : "", term);
  return g_strdup ("v=spf1 mx ~all");
}

static void
host_spf_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(ObSpfCheckResult) res = ob_spf_check_host_finish (result, NULL);

  if (res && res->result == OB_SPF_RESULT_PASS)
    run->host_spf_pass++;
  if (--run->host_spf_pending == 0 && run->spf_text)
    {
      if (run->host_spf_pass == run->smtp_addrs->len)
        add_finding (run, "spf-provider-ok", OB_FINDING_OK, "spf", run->spf_text,
                     g_strdup_printf (_("The SPF record authorises the SMTP server %s."), run->report->smtp_host));
      else
        {
          g_autofree char *term = sending_term (run);
          g_autofree char *fixed = spf_with_term (run->spf_text, term);
          ObDomainFinding *f;

          f = add_finding (run, "spf-provider-missing", OB_FINDING_ERROR, "spf", run->spf_text,
                           g_strdup_printf (_("The SPF record does not authorise your SMTP server %s, so receivers may treat your mail as forged."),
                                            run->report->smtp_host));
          set_fix (f, run->domain, "TXT", fixed);
        }
    }
  op_end (run);
}

/* For an SMTP host of no known provider: check_host for each address. */
static void
maybe_check_host_addresses (Run *run)
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

      run->host_spf_pending++;
      op_begin (run);
      ob_spf_check_host_async (run->self->resolver, ip, run->domain, sender, run->report->smtp_host, NULL,
                               run->cancellable, host_spf_done_cb, g_object_ref (run->task));
    }
}

static void
spf_walk_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSpfCheckResult) res = ob_spf_check_host_finish (result, &error);
  gboolean problem = FALSE;

  if (res == NULL)
    {
      op_end (run);
      return;
    }
  json_object_set_int_member (run->report->records, "spf_lookups", res->lookups);
  json_object_set_int_member (run->report->records, "spf_void_lookups", res->void_lookups);

  switch (res->problem_kind)
    {
    case OB_SPF_PROBLEM_LOOKUP_LIMIT:
      add_finding (run, "spf-too-many-lookups", OB_FINDING_ERROR, "spf", run->spf_text,
                   g_strdup_printf (_("The SPF record needs more than 10 DNS lookups, so receivers stop reading it and SPF fails (permerror). Replace includes you no longer use, or ask your providers for ip4: ranges.")));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_VOID_LIMIT:
      add_finding (run, "spf-void-lookups", OB_FINDING_ERROR, "spf", run->spf_text,
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

        f = add_finding (run, "spf-include-missing", OB_FINDING_ERROR, "spf", run->spf_text,
                         g_strdup_printf (_("The SPF record refers to %s, which has no SPF record, so SPF fails for all your mail (permerror). Remove it or correct the name."),
                                          res->problem_domain));
        if (g_strcmp0 (run->spf_text, fixed) != 0)
          set_fix (f, run->domain, "TXT", fixed);
        problem = TRUE;
      }
      break;
    case OB_SPF_PROBLEM_SYNTAX:
    case OB_SPF_PROBLEM_MULTIPLE:
    case OB_SPF_PROBLEM_MX_LIMIT:
    case OB_SPF_PROBLEM_LOOP:
      add_finding (run, "spf-syntax", OB_FINDING_ERROR, "spf", run->spf_text,
                   g_strdup_printf (_("A record that your SPF record uses is broken: %s"), res->problem));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_DNS:
      add_finding (run, "dns-lookup-failed", OB_FINDING_WARNING, "spf", run->spf_text,
                   g_strdup_printf (_("Part of the SPF record could not be checked: %s"), res->problem));
      problem = TRUE;
      break;
    case OB_SPF_PROBLEM_NONE:
    default:
      break;
    }
  if (!problem && res->void_lookups > 0)
    add_finding (run, "spf-void-lookups", OB_FINDING_WARNING, "spf", run->spf_text,
                 g_strdup (_("The SPF record names a domain that does not exist or has no records. Receivers allow two such names; remove the ones you no longer use.")));
  if (!problem)
    add_finding (run, "spf-ok", OB_FINDING_OK, "spf", run->spf_text,
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
        add_finding (run, "spf-provider-ok", OB_FINDING_OK, "spf", run->spf_text,
                     g_strdup_printf (_("The SPF record authorises %s."), run->provider->name));
      else
        {
          g_autofree char *term = sending_term (run);
          g_autofree char *fixed = spf_with_term (run->spf_text, term);
          ObDomainFinding *f;

          f = add_finding (run, "spf-provider-missing", OB_FINDING_ERROR, "spf", run->spf_text,
                           g_strdup_printf (_("Your mail goes out through %s, but the SPF record does not authorise it, so receivers may treat your mail as forged."),
                                            run->provider->name));
          set_fix (f, run->domain, "TXT", fixed);
        }
    }
  op_end (run);
}

static void
spf_txt_cb (Run          *run,
            const char   *name,
            ObDnsAnswer  *answer,
            const GError *error,
            gpointer      data)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) spfs = g_ptr_array_new ();
  g_autoptr(ObSpfRecord) record = NULL;
  g_autoptr(GError) parse_error = NULL;

  run->spf_checked = TRUE;
  if (error)
    {
      lookup_failed (run, "spf", name, error);
      return;
    }
  if (answer->rcode == OB_DNS_RCODE_NXDOMAIN)
    run->domain_nx_txt = TRUE;
  texts = txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (ob_spf_record_is_spf (g_ptr_array_index (texts, i)))
      g_ptr_array_add (spfs, g_ptr_array_index (texts, i));

  if (spfs->len == 0)
    {
      run->spf_starter = add_finding (run, "spf-missing", OB_FINDING_ERROR, "spf", NULL,
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
      run->spf_starter = add_finding (run, "spf-multiple", OB_FINDING_ERROR, "spf", g_ptr_array_index (spfs, 0),
                       g_strdup_printf (_("%s has %u SPF records; receivers then ignore all of them (permerror). Merge them into one record and delete the others."),
                                        run->domain, spfs->len));
      return;
    }

  record = ob_spf_record_parse (g_ptr_array_index (spfs, 0), &parse_error);
  if (record == NULL)
    {
      run->spf_starter = add_finding (run, "spf-syntax", OB_FINDING_ERROR, "spf", g_ptr_array_index (spfs, 0),
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
            f = add_finding (run, "spf-permissive-all", OB_FINDING_ERROR, "spf", run->spf_text,
                             g_strdup (_("The SPF record ends in “+all”, which lets anyone on the internet send as you. Spam filters treat it as no protection at all.")));
          else
            f = add_finding (run, "spf-permissive-all", OB_FINDING_WARNING, "spf", run->spf_text,
                             g_strdup (_("The SPF record ends in “?all”, which tells receivers nothing about other servers. Use “~all” once all your senders are listed.")));
          set_fix (f, run->domain, "TXT", fixed);
        }
      else if (t->kind == OB_SPF_TERM_PTR)
        {
          g_autofree char *fixed = spf_without_term (run->spf_text, t->text);
          ObDomainFinding *f;

          f = add_finding (run, "spf-ptr", OB_FINDING_WARNING, "spf", run->spf_text,
                           g_strdup (_("The SPF record uses “ptr”, which RFC 7208 says not to use: it is slow and many receivers skip it. List your servers with ip4:, a or include: instead.")));
          set_fix (f, run->domain, "TXT", fixed);
        }
    }

  /* The walk: every include and redirect, the lookup counts. */
  {
    g_autoptr(GInetAddress) walk = g_inet_address_new_from_string (WALK_ADDRESS);
    g_autofree char *sender = g_strconcat ("postmaster@", run->domain, NULL);

    op_begin (run);
    ob_spf_check_host_async (run->self->resolver, walk, run->domain, sender, NULL, NULL,
                             run->cancellable, spf_walk_done_cb, g_object_ref (run->task));
  }
  maybe_check_host_addresses (run);
}

/* ---- MX ---- */

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
mx_addr_cb (Run          *run,
            const char   *name,
            ObDnsAnswer  *answer,
            const GError *error,
            gpointer      data)
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
        add_finding (run, "mx-unresolvable", OB_FINDING_ERROR, "mx", h->host,
                     g_strdup_printf (_("The mail server %s named in the MX record has no address, so replies to you cannot be delivered there. Correct the MX record."),
                                      h->host));
      mx_host_free (h);
    }
}

static void
mx_cb (Run          *run,
       const char   *name,
       ObDnsAnswer  *answer,
       const GError *error,
       gpointer      data)
{
  g_autoptr(GPtrArray) mxs = NULL;

  if (error)
    {
      lookup_failed (run, "mx", name, error);
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
        add_finding (run, "mx-missing", OB_FINDING_ERROR, "mx", NULL,
                     g_strdup_printf (_("%s has no MX record, so buyers’ replies to you bounce, and some receivers refuse mail from domains that cannot receive. Publish the MX records from your mail provider’s setup guide."),
                                      run->domain));
      return;
    }
  if (mxs->len == 1 && ((ObDnsRecord *) g_ptr_array_index (mxs, 0))->target[0] == '\0')
    {
      add_finding (run, "mx-null", OB_FINDING_ERROR, "mx", "0 .",
                   g_strdup_printf (_("%s publishes a “null MX” (RFC 7505): it says the domain receives no mail, so replies bounce and many receivers reject its mail. Replace it with your provider’s MX records."),
                                    run->domain));
      return;
    }
  run->has_mx = TRUE;
  add_finding (run, "mx-ok", OB_FINDING_OK, "mx", NULL,
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
      run_query (run, r->target, OB_DNS_TYPE_A, mx_addr_cb, h, NULL);
      run_query (run, r->target, OB_DNS_TYPE_AAAA, mx_addr_cb, h, NULL);
    }
}

/* ---- DKIM ---- */

static void
dkim_done (Run *run)
{
  if (--run->dkim_pending > 0)
    return;
  if (run->dkim_found == 0)
    {
      gboolean known = run->self->selectors->len > 0 || (run->provider && run->provider->dkim_selectors);
      const char *sel = run->self->selectors->len > 0 ? g_ptr_array_index (run->self->selectors, 0)
                        : (run->provider && run->provider->dkim_selectors) ? run->provider->dkim_selectors[0]
                        : "default";
      ObDomainFinding *f;

      f = add_finding (run, "dkim-missing", known ? OB_FINDING_ERROR : OB_FINDING_WARNING, "dkim", NULL,
                       known
                       ? g_strdup_printf (_("No DKIM key is published for the selector “%s”, so your mail is not signed in a way receivers can check."), sel)
                       : g_strdup (_("No DKIM key was found under the usual selector names. Without DKIM, receivers trust your mail less; if your provider signs with another selector, enter it.")));
      f->fix = g_strdup_printf (_("Turn on DKIM signing in your mail provider’s admin console and publish the TXT record it gives you at %s._domainkey.%s."),
                                sel, run->domain);
    }
  json_object_set_object_member (run->report->records, "dkim", json_object_ref (run->dkim_records));
}

static void
dkim_cb (Run          *run,
         const char   *name,
         ObDnsAnswer  *answer,
         const GError *error,
         gpointer      data)
{
  const char *selector = data;
  g_autoptr(GPtrArray) texts = NULL;
  const char *text = NULL;
  g_autoptr(ObDkimKey) key = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (error || answer == NULL)
    {
      dkim_done (run);
      return;
    }
  texts = txt_texts (answer, name);
  for (guint i = 0; i < texts->len && text == NULL; i++)
    {
      const char *t = g_ptr_array_index (texts, i);

      if (strstr (t, "p=") || g_str_has_prefix (t, "v=DKIM1"))
        text = t;
    }
  if (text == NULL)
    {
      dkim_done (run);
      return;
    }
  run->dkim_found++;
  json_object_set_string_member (run->dkim_records, selector, text);

  key = ob_dkim_key_parse (text, &parse_error);
  if (key == NULL)
    {
      add_finding (run, "dkim-syntax", OB_FINDING_ERROR, "dkim", text,
                   g_strdup_printf (_("The DKIM key for selector “%s” is broken, so signatures made with it fail: %s. Copy the record again from your provider’s console."),
                                    selector, parse_error->message));
    }
  else if (key->revoked)
    add_finding (run, "dkim-revoked", OB_FINDING_WARNING, "dkim", text,
                 g_strdup_printf (_("The DKIM key for selector “%s” is revoked (empty p=). Mail still signed with it fails DKIM; make sure your provider signs with a current selector."),
                                  selector));
  else
    {
      gboolean fine = TRUE;

      if (key->testing)
        {
          g_autofree char *fixed = NULL;
          GString *s = g_string_new (text);
          ObDomainFinding *f;

          /* Drop the t= tag from their own record. */
          {
            char *t = strstr (s->str, "t=");

            if (t && (t == s->str || t[-1] == ' ' || t[-1] == ';'))
              {
                char *end = strchr (t, ';');
                gsize from = t - s->str;

                g_string_erase (s, from, end ? (gssize) (end - t + 1) : -1);
              }
          }
          fixed = g_strstrip (g_string_free (s, FALSE));
          f = add_finding (run, "dkim-testing", OB_FINDING_WARNING, "dkim", text,
                           g_strdup_printf (_("The DKIM key for selector “%s” is marked as testing (t=y), so receivers may ignore its signatures. Remove t=y once signing works."),
                                            selector));
          {
            g_autofree char *rname = g_strdup_printf ("%s._domainkey.%s", selector, run->domain);

            set_fix (f, rname, "TXT", fixed);
          }
          fine = FALSE;
        }
      if (g_str_equal (key->key_type, "rsa") && key->key_bits < 2048)
        {
          add_finding (run, "dkim-weak-key", key->key_bits < 1024 ? OB_FINDING_ERROR : OB_FINDING_WARNING, "dkim", text,
                       g_strdup_printf (_("The DKIM key for selector “%s” is RSA with only %u bits; receivers want 2048. Create a 2048-bit key in your provider’s console and publish it."),
                                        selector, key->key_bits));
          fine = FALSE;
        }
      if (fine)
        add_finding (run, "dkim-ok", OB_FINDING_OK, "dkim", text,
                     g_strdup_printf (_("A valid DKIM key is published for selector “%s” (%s, %u bits)."),
                                      selector, key->key_type, key->key_bits));
    }
  dkim_done (run);
}

/* ---- DMARC ---- */

static void dmarc_cb (Run *run, const char *name, ObDnsAnswer *answer, const GError *error, gpointer data);

static char *
report_address (Run *run)
{
  if (run->self->report_address)
    return g_strdup (run->self->report_address);
  return g_strconcat ("dmarc-reports@", run->domain, NULL);
}

static void
rua_auth_cb (Run          *run,
             const char   *name,
             ObDnsAnswer  *answer,
             const GError *error,
             gpointer      data)
{
  const char *rua_domain = data;
  g_autoptr(GPtrArray) texts = NULL;
  gboolean ok = FALSE;

  if (error)
    {
      lookup_failed (run, "dmarc", name, error);
      return;
    }
  texts = txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (ob_dmarc_record_is_dmarc (g_ptr_array_index (texts, i)))
      ok = TRUE;
  if (!ok)
    {
      ObDomainFinding *f;

      f = add_finding (run, "dmarc-rua-unauthorized", OB_FINDING_WARNING, "dmarc", NULL,
                       g_strdup_printf (_("DMARC reports go to %s, which has not agreed to receive reports for %s, so receivers will not send them (RFC 7489 §7.1). Ask the owner of %s to publish the record below, or use an address at your own domain."),
                                        rua_domain, run->domain, rua_domain));
      set_fix (f, name, "TXT", "v=DMARC1");
    }
}

static void
check_dmarc_record (Run        *run,
                    const char *record_name,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDmarcRecord) r = ob_dmarc_record_parse (text, &error);
  g_autofree char *dmarc_name = g_strconcat ("_dmarc.", run->domain, NULL);
  g_autofree char *rua = report_address (run);
  gboolean fine = TRUE;

  json_object_set_string_member (run->report->records, "dmarc", text);
  if (r == NULL)
    {
      g_autofree char *starter = g_strdup_printf ("v=DMARC1; p=none; rua=mailto:%s", rua);
      ObDomainFinding *f;

      f = add_finding (run, "dmarc-syntax", OB_FINDING_ERROR, "dmarc", text,
                       g_strdup_printf (_("The DMARC record is not valid, so receivers ignore it: %s"), error->message));
      set_fix (f, dmarc_name, "TXT", starter);
      return;
    }
  for (guint i = 0; i < r->warnings->len; i++)
    {
      add_finding (run, "dmarc-syntax", OB_FINDING_WARNING, "dmarc", text,
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
        ObDomainFinding *f = add_finding (run, "dmarc-policy-none", OB_FINDING_WARNING, "dmarc", text,
                                          g_strdup (_("The DMARC policy is p=none: receivers only watch and do nothing about mail forged in your name. Once your reports show only your own servers, move to quarantine.")));

        set_fix (f, record_name, "TXT", fixed);
      }
      fine = FALSE;
    }
  if (r->pct_given && r->pct < 100)
    {
      g_autoptr(GRegex) re = g_regex_new (";\\s*[pP][cC][tT]\\s*=\\s*[^;]*", 0, 0, NULL);
      g_autofree char *fixed = g_regex_replace (re, text, -1, 0, "", 0, NULL);
      ObDomainFinding *f;

      f = add_finding (run, "dmarc-pct-partial", OB_FINDING_WARNING, "dmarc", text,
                       g_strdup_printf (_("The DMARC policy applies to only %u %% of failing mail (pct=%u); the rest is treated as p=none."), r->pct, r->pct));
      set_fix (f, record_name, "TXT", fixed);
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
      f = add_finding (run, "dmarc-no-rua", OB_FINDING_WARNING, "dmarc", text,
                       g_strdup (_("The DMARC record asks for no reports (no rua=), so you will not learn who sends mail in your name or whether your own mail fails.")));
      set_fix (f, record_name, "TXT", fixed);
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

          run_query (run, auth, OB_DNS_TYPE_TXT, rua_auth_cb, g_strdup (rua_domain), g_free);
        }
    }
  if (fine)
    add_finding (run, "dmarc-ok", OB_FINDING_OK, "dmarc", text,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The DMARC policy is p=%s and reports go to %u address.",
                                               "The DMARC policy is p=%s and reports go to %u addresses.", r->rua->len),
                                  r->policy, r->rua->len));
}

static void
dmarc_cb (Run          *run,
          const char   *name,
          ObDnsAnswer  *answer,
          const GError *error,
          gpointer      data)
{
  gboolean at_org = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) dmarcs = g_ptr_array_new ();

  if (error)
    {
      lookup_failed (run, "dmarc", name, error);
      return;
    }
  texts = txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (ob_dmarc_record_is_dmarc (g_ptr_array_index (texts, i)) ||
        g_ascii_strncasecmp (g_ptr_array_index (texts, i), "v=DMARC1", 8) == 0)
      g_ptr_array_add (dmarcs, g_ptr_array_index (texts, i));

  if (dmarcs->len == 0)
    {
      if (!at_org && !g_str_equal (run->org_domain, run->domain))
        {
          g_autofree char *org_name = g_strconcat ("_dmarc.", run->org_domain, NULL);

          run_query (run, org_name, OB_DNS_TYPE_TXT, dmarc_cb, GINT_TO_POINTER (TRUE), NULL);
          return;
        }
      {
        g_autofree char *rua = report_address (run);
        g_autofree char *starter = g_strdup_printf ("v=DMARC1; p=none; rua=mailto:%s", rua);
        g_autofree char *dmarc_name = g_strconcat ("_dmarc.", run->domain, NULL);
        ObDomainFinding *f;

        f = add_finding (run, "dmarc-missing", OB_FINDING_ERROR, "dmarc", NULL,
                         g_strdup_printf (_("%s has no DMARC record. Gmail, Yahoo and Microsoft expect one from anyone sending in volume, and mail without it is more often filtered."),
                                          run->domain));
        set_fix (f, dmarc_name, "TXT", starter);
      }
      return;
    }
  if (dmarcs->len > 1)
    {
      add_finding (run, "dmarc-multiple", OB_FINDING_ERROR, "dmarc", g_ptr_array_index (dmarcs, 0),
                   g_strdup_printf (_("%s has %u DMARC records; receivers then ignore DMARC completely. Keep one and delete the others."),
                                    name, dmarcs->len));
      return;
    }
  check_dmarc_record (run, name, g_ptr_array_index (dmarcs, 0));
}

/* ---- MTA-STS and TLS-RPT ---- */

static gboolean
mta_sts_policy_valid (const char *text,
                      char      **why)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean version = FALSE, mode = FALSE, mx = FALSE, max_age = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      char *colon = strchr (line, ':');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (line[0] == '\0')
        continue;
      if (colon == NULL)
        {
          *why = g_strdup_printf (_("the line “%s” is not “key: value”"), line);
          return FALSE;
        }
      key = g_strstrip (g_strndup (line, colon - line));
      value = g_strstrip (g_strdup (colon + 1));
      if (g_str_equal (key, "version"))
        version = g_str_equal (value, "STSv1");
      else if (g_str_equal (key, "mode"))
        mode = g_str_equal (value, "enforce") || g_str_equal (value, "testing") || g_str_equal (value, "none");
      else if (g_str_equal (key, "mx"))
        mx = value[0] != '\0';
      else if (g_str_equal (key, "max_age"))
        {
          guint64 n;

          max_age = g_ascii_string_to_unsigned (value, 10, 0, 31557600, &n, NULL);
        }
    }
  if (!version || !mode || !max_age)
    {
      *why = g_strdup (_("it needs “version: STSv1”, a valid “mode:” and “max_age:”"));
      return FALSE;
    }
  if (!mx)
    {
      *why = g_strdup (_("it lists no “mx:” line"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
mta_sts_accept_cb (SoupMessage          *msg,
                   GTlsCertificate      *certificate,
                   GTlsCertificateFlags  errors,
                   gpointer              user_data)
{
  GTlsDatabase *db = user_data;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (soup_message_get_uri (msg)), 443);

  return db && g_tls_database_verify_chain (db, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                            identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0;
}

typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  char        *txt;
  char        *url;
} StsFetch;

static void
sts_fetch_free (StsFetch *s)
{
  g_clear_object (&s->msg);
  g_clear_object (&s->session);
  g_free (s->txt);
  g_free (s->url);
  g_free (s);
}

static void
mta_sts_policy_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  StsFetch *s = g_object_get_data (G_OBJECT (task), "ob-sts");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *why = NULL;

  if (body == NULL || soup_message_get_status (s->msg) != SOUP_STATUS_OK)
    why = body == NULL ? g_strdup (error->message)
                       : g_strdup_printf ("HTTP %u", soup_message_get_status (s->msg));
  else
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      json_object_set_string_member (run->report->records, "mta_sts_policy", text);
      if (mta_sts_policy_valid (text, &why))
        add_finding (run, "mta-sts-ok", OB_FINDING_OK, "transport", s->txt,
                     g_strdup (_("MTA-STS is published and its policy is valid.")));
    }
  if (why)
    add_finding (run, "mta-sts-invalid", OB_FINDING_WARNING, "transport", s->txt,
                 g_strdup_printf (_("An MTA-STS record is published, but the policy at %s cannot be used (%s). Senders that honour MTA-STS may fail to deliver to you; fix the policy or remove the record."),
                                  s->url, why));
  op_end (run);
}

static void
mta_sts_cb (Run          *run,
            const char   *name,
            ObDnsAnswer  *answer,
            const GError *error,
            gpointer      data)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) tags = NULL;
  const char *txt = NULL;
  StsFetch *s;
  GTlsDatabase *db = NULL;

  if (error)
    return;
  texts = txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), "v=STSv1"))
      txt = g_ptr_array_index (texts, i);
  if (txt == NULL)
    {
      add_finding (run, "mta-sts-missing", OB_FINDING_INFO, "transport", NULL,
                   g_strdup (_("No MTA-STS policy is published. It is optional: it makes other servers insist on encryption when they deliver mail to you.")));
      return;
    }
  json_object_set_string_member (run->report->records, "mta_sts", txt);
  tags = ob_dns_tag_list_parse (txt, FALSE, NULL);
  {
    const char *id = NULL;

    for (guint i = 0; tags && i < tags->len; i += 2)
      if (g_str_equal (g_ptr_array_index (tags, i), "id"))
        id = g_ptr_array_index (tags, i + 1);
    if (id == NULL || id[0] == '\0' || strlen (id) > 32)
      {
        add_finding (run, "mta-sts-invalid", OB_FINDING_WARNING, "transport", txt,
                     g_strdup (_("The MTA-STS record is not valid: it needs “v=STSv1; id=…” with an id of 1 to 32 letters and digits.")));
        return;
      }
  }

  s = g_new0 (StsFetch, 1);
  s->txt = g_strdup (txt);
  if (run->self->mta_sts_origin)
    s->url = g_strdup_printf ("%s/.well-known/mta-sts.txt", run->self->mta_sts_origin);
  else
    s->url = g_strdup_printf ("https://mta-sts.%s/.well-known/mta-sts.txt", run->domain);
  s->session = soup_session_new_with_options ("timeout", 10, NULL);
  s->msg = soup_message_new (SOUP_METHOD_GET, s->url);
  if (s->msg == NULL)
    {
      sts_fetch_free (s);
      return;
    }
  if (run->self->extra_ca_file)
    db = g_tls_file_database_new (run->self->extra_ca_file, NULL);
  if (db)
    g_signal_connect_data (s->msg, "accept-certificate", G_CALLBACK (mta_sts_accept_cb), db,
                           (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_object_set_data_full (G_OBJECT (run->task), "ob-sts", s, (GDestroyNotify) sts_fetch_free);
  op_begin (run);
  soup_session_send_and_read_async (s->session, s->msg, G_PRIORITY_DEFAULT, run->cancellable,
                                    mta_sts_policy_cb, g_object_ref (run->task));
}

static void
tls_rpt_cb (Run          *run,
            const char   *name,
            ObDnsAnswer  *answer,
            const GError *error,
            gpointer      data)
{
  g_autoptr(GPtrArray) texts = NULL;
  const char *txt = NULL;

  if (error)
    return;
  texts = txt_texts (answer, name);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts, i), "v=TLSRPTv1"))
      txt = g_ptr_array_index (texts, i);
  if (txt == NULL)
    {
      g_autofree char *rua = report_address (run);
      g_autofree char *value = g_strdup_printf ("v=TLSRPTv1; rua=mailto:%s", rua);
      ObDomainFinding *f;

      f = add_finding (run, "tls-rpt-missing", OB_FINDING_INFO, "transport", NULL,
                       g_strdup (_("No TLS-RPT record is published. It is optional: with it, other servers report to you when encrypted delivery to you fails.")));
      set_fix (f, name, "TXT", value);
      return;
    }
  json_object_set_string_member (run->report->records, "tls_rpt", txt);
  if (strstr (txt, "rua=") == NULL)
    add_finding (run, "tls-rpt-invalid", OB_FINDING_INFO, "transport", txt,
                 g_strdup (_("The TLS-RPT record names no report address (rua=), so no reports can be sent.")));
  else
    add_finding (run, "tls-rpt-ok", OB_FINDING_OK, "transport", txt,
                 g_strdup (_("TLS-RPT is published.")));
}

/* ---- SMTP host addresses and DNSBL ---- */

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
dnsbl_cb (Run          *run,
          const char   *name,
          ObDnsAnswer  *answer,
          const GError *error,
          gpointer      data)
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
              add_finding (run, "dnsbl-listed", OB_FINDING_INFO, "reputation", ip,
                           g_strdup_printf (_("Your provider’s outgoing server %s is on the %s blocklist. You cannot fix this yourself; if it lasts, tell your mail provider."),
                                            q->address, q->zone));
            }
        }
    }
  json_object_set_string_member (run->dnsbl, key, state);
}

static void
smtp_addr_cb (Run          *run,
              const char   *name,
              ObDnsAnswer  *answer,
              const GError *error,
              gpointer      data)
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
                run_query (run, q, OB_DNS_TYPE_A, dnsbl_cb, d, (GDestroyNotify) dnsbl_query_free);
              }
        }
    }
  if (--run->addr_lookups == 0)
    {
      run->addrs_checked = TRUE;
      maybe_check_host_addresses (run);
    }
}

/* ---- start and finish ---- */

static int
finding_order (gconstpointer a,
               gconstpointer b)
{
  static const char *groups[] = { "domain", "mx", "spf", "dkim", "dmarc", "transport", "reputation" };
  const ObDomainFinding *fa = *(ObDomainFinding **) a, *fb = *(ObDomainFinding **) b;
  int ga = 0, gb = 0;

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      if (g_str_equal (fa->group, groups[i]))
        ga = i;
      if (g_str_equal (fb->group, groups[i]))
        gb = i;
    }
  if (ga != gb)
    return ga - gb;
  return (int) fb->severity - (int) fa->severity;
}

static void
finish (Run *run)
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
      g_autofree char *starter = starter_spf (run);

      set_fix (run->spf_starter, run->domain, "TXT", starter);
    }

  /* A domain that does not exist: that is the only thing to say. */
  if (run->domain_nx_mx && run->domain_nx_txt)
    {
      g_ptr_array_set_size (run->report->findings, 0);
      add_finding (run, "domain-missing", OB_FINDING_ERROR, "domain", NULL,
                   g_strdup_printf (_("The domain %s does not exist in DNS. Check the spelling; if it is new, its DNS may not be set up yet."),
                                    run->domain));
    }
  g_ptr_array_sort (run->report->findings, finding_order);
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
  Run *run;

  g_return_if_fail (OB_IS_DOMAIN_CHECK (self));
  g_return_if_fail (domain != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_domain_check_run_async);

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->task = task;
  run->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  run->domain = ob_dns_name_normalize (domain);
  run->org_domain = ob_dmarc_org_domain (run->domain);
  run->provider = ob_dns_provider_for_smtp_host (self->smtp_host);
  run->smtp_addrs = g_ptr_array_new_with_free_func (g_free);
  run->dkim_records = json_object_new ();
  run->mx_records = json_array_new ();
  run->dnsbl = json_object_new ();
  run->report = g_new0 (ObDomainReport, 1);
  run->report->domain = g_strdup (run->domain);
  run->report->smtp_host = self->smtp_host ? ob_dns_name_normalize (self->smtp_host) : NULL;
  run->report->provider = run->provider ? g_strdup (run->provider->id) : NULL;
  run->report->checked_at = g_get_real_time () / G_USEC_PER_SEC;
  run->report->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  run->report->records = json_object_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* Held until everything below has been started, so a synchronous
   * resolver cannot finish the run half-way. */
  op_begin (run);

  run_query (run, run->domain, OB_DNS_TYPE_MX, mx_cb, NULL, NULL);
  run_query (run, run->domain, OB_DNS_TYPE_TXT, spf_txt_cb, NULL, NULL);
  name = g_strconcat ("_dmarc.", run->domain, NULL);
  run_query (run, name, OB_DNS_TYPE_TXT, dmarc_cb, GINT_TO_POINTER (FALSE), NULL);
  g_free (name);
  name = g_strconcat ("_mta-sts.", run->domain, NULL);
  run_query (run, name, OB_DNS_TYPE_TXT, mta_sts_cb, NULL, NULL);
  g_free (name);
  name = g_strconcat ("_smtp._tls.", run->domain, NULL);
  run_query (run, name, OB_DNS_TYPE_TXT, tls_rpt_cb, NULL, NULL);
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
      run_query (run, name, OB_DNS_TYPE_TXT, dkim_cb, g_strdup (sel), g_free);
      g_clear_pointer (&name, g_free);
    }

  if (run->report->smtp_host)
    {
      run->addr_lookups = 2;
      run_query (run, run->report->smtp_host, OB_DNS_TYPE_A, smtp_addr_cb, GUINT_TO_POINTER (OB_DNS_TYPE_A), NULL);
      run_query (run, run->report->smtp_host, OB_DNS_TYPE_AAAA, smtp_addr_cb, GUINT_TO_POINTER (OB_DNS_TYPE_AAAA), NULL);
    }
  else
    run->addrs_checked = TRUE;

  op_end (run);
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
