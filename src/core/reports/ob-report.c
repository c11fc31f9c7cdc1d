/* ob-report.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-report.h"

/* The send engine marks the events of a real attempt (accepted or refused
 * at RCPT/DATA) with this JSON prefix; a hard bounce without it arrived
 * later as a bounce mail, for a message already counted as sent. */
#define ATTEMPT_PREFIX "{\"attempt\":true"

static void
report_row_free (ObReportRow *row)
{
  g_free (row->key);
  g_free (row);
}

static double
rate (gint64 part,
      gint64 whole)
{
  return whole > 0 ? (double) part / (double) whole : 0.0;
}

/* Per-group figures for a campaign: the same counts as the totals, grouped
 * by an expression over contacts c. */
static GPtrArray *
campaign_breakdown (ObStore     *store,
                    gint64       campaign_id,
                    const char  *group_expr,
                    GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) report_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  sql = g_strdup_printf ("SELECT %s AS g,"
                         " sum(e.kind = 'sent'),"
                         " sum(e.kind = 'hard_bounce' AND e.data LIKE '" ATTEMPT_PREFIX "%%'),"
                         " sum(e.kind = 'hard_bounce'),"
                         " sum(e.kind = 'soft_bounce'),"
                         " sum(e.kind = 'replied'),"
                         " count(DISTINCT c.id)"
                         " FROM events e JOIN contacts c ON c.id = e.contact_id"
                         " WHERE e.campaign_id = ?1"
                         " GROUP BY g ORDER BY sum(e.kind = 'sent') DESC, g",
                         group_expr);
  stmt = ob_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObReportRow *row = g_new0 (ObReportRow, 1);
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      row->key = g_strdup (key ? key : "");
      row->sent = sqlite3_column_int64 (stmt, 1);
      row->attempts = row->sent + sqlite3_column_int64 (stmt, 2);
      row->hard_bounces = sqlite3_column_int64 (stmt, 3);
      row->soft_bounces = sqlite3_column_int64 (stmt, 4);
      row->replies = sqlite3_column_int64 (stmt, 5);
      row->contacts = sqlite3_column_int64 (stmt, 6);
      row->bounce_rate = rate (row->hard_bounces, row->attempts);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

static GPtrArray *
campaign_reasons (ObStore  *store,
                  gint64    campaign_id,
                  GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) report_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = ob_store_prepare (store,
                           "SELECT coalesce(json_extract(CASE WHEN json_valid(data) THEN data END,"
                           "                             '$.reason'), 'undefined') AS r,"
                           " sum(kind = 'hard_bounce'), sum(kind = 'soft_bounce')"
                           " FROM events WHERE campaign_id = ?1"
                           " AND kind IN ('hard_bounce', 'soft_bounce')"
                           " GROUP BY r ORDER BY count(*) DESC, r",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObReportRow *row = g_new0 (ObReportRow, 1);

      row->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->hard_bounces = sqlite3_column_int64 (stmt, 1);
      row->soft_bounces = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

ObCampaignReport *
ob_campaign_report_new (ObStore  *store,
                        gint64    campaign_id,
                        GError  **error)
{
  g_autoptr(ObCampaignReport) report = g_new0 (ObCampaignReport, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 sync_hard, async_hard;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store,
                           "SELECT name, state,"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'sent'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'hard_bounce'"
                           "    AND data LIKE '" ATTEMPT_PREFIX "%'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'hard_bounce'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'soft_bounce'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'blocked'),"
                           " (SELECT count(DISTINCT contact_id) FROM events WHERE campaign_id = ?1"
                           "    AND kind = 'replied'),"
                           " (SELECT count(DISTINCT e.contact_id) FROM events e"
                           "    WHERE e.kind = 'unsubscribed' AND e.contact_id IN"
                           "      (SELECT contact_id FROM queue WHERE campaign_id = ?1))"
                           " FROM campaigns WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_NOT_FOUND,
                   _("There is no campaign %lld"), (long long) campaign_id);
      return NULL;
    }

  report->campaign_id = campaign_id;
  report->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  report->state = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  report->sent = sqlite3_column_int64 (stmt, 2);
  sync_hard = sqlite3_column_int64 (stmt, 3);
  report->hard_bounces = sqlite3_column_int64 (stmt, 4);
  report->soft_bounces = sqlite3_column_int64 (stmt, 5);
  report->blocked = sqlite3_column_int64 (stmt, 6);
  report->replies = sqlite3_column_int64 (stmt, 7);
  report->unsubscribed = sqlite3_column_int64 (stmt, 8);

  async_hard = report->hard_bounces - sync_hard;
  report->attempts = report->sent + sync_hard;
  report->delivered = MAX (0, report->sent - async_hard);
  report->bounce_rate = rate (report->hard_bounces, report->attempts);

  if (!(report->by_reason = campaign_reasons (store, campaign_id, error)))
    return NULL;
  if (!(report->by_domain = campaign_breakdown (store, campaign_id, "c.domain", error)))
    return NULL;
  if (!(report->by_source = campaign_breakdown (store, campaign_id, "coalesce(c.source, '')", error)))
    return NULL;

  return g_steal_pointer (&report);
}

void
ob_campaign_report_free (ObCampaignReport *report)
{
  if (report == NULL)
    return;
  g_free (report->name);
  g_free (report->state);
  g_clear_pointer (&report->by_reason, g_ptr_array_unref);
  g_clear_pointer (&report->by_domain, g_ptr_array_unref);
  g_clear_pointer (&report->by_source, g_ptr_array_unref);
  g_free (report);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_rows (JsonBuilder *b,
          const char  *name,
          const char  *key_name,
          GPtrArray   *rows,
          gboolean     lists)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      ObReportRow *row = rows->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, key_name);
      json_builder_add_string_value (b, row->key);
      if (lists)
        {
          add_int (b, "contacts", row->contacts);
          add_int (b, "valid", row->valid);
          add_int (b, "risky", row->risky);
          add_int (b, "invalid", row->invalid);
          add_int (b, "suppressed", row->suppressed);
          json_builder_set_member_name (b, "oldest_at");
          if (row->oldest_at > 0)
            {
              g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (row->oldest_at);
              g_autofree char *iso = g_date_time_format_iso8601 (dt);
              json_builder_add_string_value (b, iso);
            }
          else
            json_builder_add_null_value (b);
        }
      else if (!g_str_equal (key_name, "reason"))
        add_int (b, "contacts", row->contacts);
      if (!g_str_equal (key_name, "reason"))
        {
          add_int (b, "sent", row->sent);
          add_int (b, "replies", row->replies);
        }
      add_int (b, "hard_bounces", row->hard_bounces);
      add_int (b, "soft_bounces", row->soft_bounces);
      if (!g_str_equal (key_name, "reason"))
        {
          json_builder_set_member_name (b, "bounce_rate");
          json_builder_add_double_value (b, row->bounce_rate);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
ob_campaign_report_to_json (ObCampaignReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "campaign", report->campaign_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, report->name);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, report->state);
  add_int (b, "sent", report->sent);
  add_int (b, "delivered", report->delivered);
  add_int (b, "hard_bounces", report->hard_bounces);
  add_int (b, "soft_bounces", report->soft_bounces);
  add_int (b, "blocked", report->blocked);
  add_int (b, "replied", report->replies);
  add_int (b, "unsubscribed", report->unsubscribed);
  json_builder_set_member_name (b, "bounce_rate");
  json_builder_add_double_value (b, report->bounce_rate);
  add_rows (b, "by_reason", "reason", report->by_reason, FALSE);
  add_rows (b, "by_domain", "domain", report->by_domain, FALSE);
  add_rows (b, "by_source", "source", report->by_source, FALSE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

ObListsReport *
ob_lists_report_new (ObStore  *store,
                     gint64    now,
                     GError  **error)
{
  g_autoptr(ObListsReport) report = g_new0 (ObListsReport, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) median = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  report->by_source = g_ptr_array_new_with_free_func ((GDestroyNotify) report_row_free);

  /* One pass per source; the totals are the sums. Bounces and sends are
   * over all campaigns, so a source's bounce rate is its history. */
  stmt = ob_store_prepare (store,
                           "SELECT coalesce(c.source, '') AS s, count(*),"
                           " sum(c.verdict = 'valid'), sum(c.verdict = 'risky'),"
                           " sum(c.verdict = 'invalid'), sum(c.verdict = 'unknown'),"
                           " sum(c.status IN ('suppressed', 'unsubscribed')), min(c.created_at),"
                           " (SELECT count(*) FROM events e JOIN contacts c2 ON c2.id = e.contact_id"
                           "    WHERE coalesce(c2.source, '') = coalesce(c.source, '') AND e.kind = 'sent'),"
                           " (SELECT count(*) FROM events e JOIN contacts c2 ON c2.id = e.contact_id"
                           "    WHERE coalesce(c2.source, '') = coalesce(c.source, '')"
                           "    AND e.kind = 'hard_bounce' AND e.data LIKE '" ATTEMPT_PREFIX "%'),"
                           " (SELECT count(*) FROM events e JOIN contacts c2 ON c2.id = e.contact_id"
                           "    WHERE coalesce(c2.source, '') = coalesce(c.source, '') AND e.kind = 'hard_bounce'),"
                           " (SELECT count(*) FROM events e JOIN contacts c2 ON c2.id = e.contact_id"
                           "    WHERE coalesce(c2.source, '') = coalesce(c.source, '') AND e.kind = 'soft_bounce')"
                           " FROM contacts c GROUP BY s ORDER BY count(*) DESC, s",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObReportRow *row = g_new0 (ObReportRow, 1);
      gint64 unknown;

      row->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->contacts = sqlite3_column_int64 (stmt, 1);
      row->valid = sqlite3_column_int64 (stmt, 2);
      row->risky = sqlite3_column_int64 (stmt, 3);
      row->invalid = sqlite3_column_int64 (stmt, 4);
      unknown = sqlite3_column_int64 (stmt, 5);
      row->suppressed = sqlite3_column_int64 (stmt, 6);
      row->oldest_at = sqlite3_column_int64 (stmt, 7);
      row->sent = sqlite3_column_int64 (stmt, 8);
      row->attempts = row->sent + sqlite3_column_int64 (stmt, 9);
      row->hard_bounces = sqlite3_column_int64 (stmt, 10);
      row->soft_bounces = sqlite3_column_int64 (stmt, 11);
      row->bounce_rate = rate (row->hard_bounces, row->attempts);

      report->contacts += row->contacts;
      report->valid += row->valid;
      report->risky += row->risky;
      report->invalid += row->invalid;
      report->unknown += unknown;
      report->suppressed += row->suppressed;
      if (row->oldest_at > 0 && (report->oldest_at == 0 || row->oldest_at < report->oldest_at))
        report->oldest_at = row->oldest_at;
      g_ptr_array_add (report->by_source, row);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }

  /* List age: the median time since a contact was added. */
  median = ob_store_prepare (store,
                             "SELECT created_at FROM contacts ORDER BY created_at"
                             " LIMIT 1 OFFSET (SELECT count(*) FROM contacts) / 2",
                             error);
  if (median == NULL)
    return NULL;
  if (sqlite3_step (median) == SQLITE_ROW)
    report->median_age_days = MAX (0, now - sqlite3_column_int64 (median, 0)) / 86400.0;

  return g_steal_pointer (&report);
}

JsonNode *
ob_lists_report_to_json (ObListsReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  double n = report->contacts > 0 ? (double) report->contacts : 1.0;

  json_builder_begin_object (b);
  add_int (b, "contacts", report->contacts);
  add_int (b, "valid", report->valid);
  add_int (b, "risky", report->risky);
  add_int (b, "invalid", report->invalid);
  add_int (b, "unknown", report->unknown);
  add_int (b, "suppressed", report->suppressed);
  json_builder_set_member_name (b, "shares");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_double_value (b, report->valid / n);
  json_builder_set_member_name (b, "risky");
  json_builder_add_double_value (b, report->risky / n);
  json_builder_set_member_name (b, "invalid");
  json_builder_add_double_value (b, report->invalid / n);
  json_builder_set_member_name (b, "suppressed");
  json_builder_add_double_value (b, report->suppressed / n);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "median_age_days");
  json_builder_add_double_value (b, report->median_age_days);
  add_rows (b, "by_source", "source", report->by_source, TRUE);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

void
ob_lists_report_free (ObListsReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->by_source, g_ptr_array_unref);
  g_free (report);
}
