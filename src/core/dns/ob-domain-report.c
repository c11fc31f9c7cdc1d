/* ob-domain-report.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-domain-check-private.h"

/* The Domain health report: its findings, the order they are listed in
 * and its JSON (the output of `outbound-cli dns check`, whose field names
 * CLI.md fixes). A check adds a finding with
 * _ob_domain_check_add_finding() and, when one DNS record fixes it, names
 * that record with _ob_domain_finding_set_fix(). */

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

void
_ob_domain_finding_free (ObDomainFinding *f)
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

ObDomainFinding *
_ob_domain_check_add_finding (ObDomainCheckRun  *run,
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

void
_ob_domain_finding_set_fix (ObDomainFinding *f,
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

int
_ob_domain_finding_order (gconstpointer a,
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
