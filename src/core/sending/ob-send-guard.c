/* ob-send-guard.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-send-engine-private.h"
#include "ob-sending-private.h"

/* The bounce-rate guard.
 *
 * Every attempt that reached a server and every hard bounce, at send
 * time or found later in the mailbox, count towards the bounce rate of
 * the campaign and of its sending account over a rolling week (and only
 * since the user last resumed the campaign). From
 * OB_SEND_ENGINE_GUARD_MIN_SENDS messages on, a rate of
 * OB_SEND_ENGINE_GUARD_WARN_RATE warns the user once, and one of
 * OB_SEND_ENGINE_GUARD_PAUSE_RATE pauses the campaign (for an account:
 * every running or scheduled campaign it sends for).
 *
 * _ob_send_engine_check_guard() runs inside the transaction of the
 * outcome or bounce that counts, and notes its warnings and pauses in
 * the ObSendFollowUps: the signals go out once that transaction is
 * committed. */

/* The start of the guard's rolling window for a campaign: a week, and
 * only events after the user last resumed it (@since_id). */
static gint64
guard_window_start (ObSendEngine *self,
                    gint64        campaign_id,
                    gint64        now,
                    gint64       *since_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *since_id = 0;
  stmt = ob_store_prepare (self->store,
                           "SELECT max(id) FROM events WHERE campaign_id = ?1 AND kind = 'resumed'",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, campaign_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *since_id = sqlite3_column_int64 (stmt, 0);
    }
  return now - OB_SEND_ENGINE_GUARD_WINDOW_S;
}

static void
guard_rate (ObSendEngine *self,
            const char   *column,
            gint64        id,
            gint64        since,
            gint64        since_id,
            int          *attempts,
            int          *bounces)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  *attempts = *bounces = 0;
  sql = g_strdup_printf ("SELECT "
                         " (SELECT count(*) FROM events WHERE %s = ?1 AND at >= ?2 AND id > ?3 "
                         "  AND kind IN ('sent', 'hard_bounce') AND data LIKE '" OB_ATTEMPT_DATA_PREFIX "%%'),"
                         " (SELECT count(*) FROM events WHERE %s = ?1 AND at >= ?2 AND id > ?3 "
                         "  AND kind = 'hard_bounce')",
                         column, column);
  stmt = ob_store_prepare (self->store, sql, NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, since_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *attempts = sqlite3_column_int (stmt, 0);
      *bounces = sqlite3_column_int (stmt, 1);
    }
}

static void
pause_campaign (ObSendEngine    *self,
                ObSendFollowUps *follow,
                gint64           campaign_id,
                const char      *reason,
                gint64           now)
{
  g_autoptr(GError) error = NULL;
  ObCampaignState state;

  if (!ob_campaign_get_state (self->store, campaign_id, &state, NULL) ||
      (state != OB_CAMPAIGN_RUNNING && state != OB_CAMPAIGN_SCHEDULED))
    return;
  if (!ob_campaign_pause (self->store, campaign_id, reason, now, &error))
    {
      g_warning ("Cannot pause campaign %" G_GINT64_FORMAT ": %s", campaign_id, error->message);
      return;
    }
  _ob_send_follow_ups_notice (follow, OB_SEND_SIGNAL_PAUSED, campaign_id, reason);
}

static void
warn_once (ObSendEngine    *self,
           ObSendFollowUps *follow,
           gint64           campaign_id,
           const char      *message,
           gint64           since,
           gint64           since_id,
           gint64           now)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (self->store,
                           "SELECT 1 FROM events WHERE campaign_id = ?1 AND kind = 'warning' "
                           "AND at >= ?2 AND id > ?4 AND detail = ?3",
                           NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_text (stmt, 3, message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, since_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return;
  _ob_sending_add_event (self->store, now, "warning", 0, campaign_id, 0, 0, 0, NULL, message, NULL, NULL);
  _ob_send_follow_ups_notice (follow, OB_SEND_SIGNAL_WARNING, campaign_id, message);
}

/* The bounce-rate guard: ≥ 2 % after 20 sends warns, ≥ 5 % pauses.
 * Inside the transaction of the outcome or bounce that counts. */
void
_ob_send_engine_check_guard (ObSendEngine    *self,
                             ObSendFollowUps *follow,
                             gint64           campaign_id,
                             gint64           account_id,
                             gint64           now)
{
  gint64 since_id;
  gint64 since = guard_window_start (self, campaign_id, now, &since_id);
  gboolean warned = FALSE;
  int attempts, bounces;

  guard_rate (self, "campaign_id", campaign_id, since, since_id, &attempts, &bounces);
  if (attempts >= OB_SEND_ENGINE_GUARD_MIN_SENDS)
    {
      double rate = (double) bounces / attempts;

      if (rate >= OB_SEND_ENGINE_GUARD_PAUSE_RATE)
        {
          g_autofree char *reason =
            g_strdup_printf (_("The bounce rate reached %.1f %% (%d of %d messages bounced). "
                               "Clean the list before you resume."), rate * 100, bounces, attempts);
          pause_campaign (self, follow, campaign_id, reason, now);
          return;
        }
      if (rate >= OB_SEND_ENGINE_GUARD_WARN_RATE)
        {
          warn_once (self, follow, campaign_id,
                     _("The bounce rate is above 2 percent: check the list; the campaign pauses itself at 5 percent"),
                     since, since_id, now);
          warned = TRUE;
        }
    }

  if (account_id <= 0)
    return;
  guard_rate (self, "account_id", account_id, since, since_id, &attempts, &bounces);
  if (attempts >= OB_SEND_ENGINE_GUARD_MIN_SENDS)
    {
      double rate = (double) bounces / attempts;

      if (rate >= OB_SEND_ENGINE_GUARD_PAUSE_RATE)
        {
          g_autofree char *reason =
            g_strdup_printf (_("The bounce rate of sending account %lld reached "
                               "%.1f %% (%d of %d messages bounced). Clean the list before you resume."),
                             (long long) account_id, rate * 100, bounces, attempts);
          g_autoptr(sqlite3_stmt) stmt = NULL;
          g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

          stmt = ob_store_prepare (self->store,
                                   "SELECT k.id FROM campaigns k JOIN campaign_accounts a "
                                   "ON a.campaign_id = k.id WHERE a.account_id = ?1 "
                                   "AND k.state IN ('running', 'scheduled')",
                                   NULL);
          if (stmt == NULL)
            return;
          sqlite3_bind_int64 (stmt, 1, account_id);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (stmt, 0);
              g_array_append_val (ids, id);
            }
          g_clear_pointer (&stmt, sqlite3_finalize);
          for (guint i = 0; i < ids->len; i++)
            pause_campaign (self, follow, g_array_index (ids, gint64, i), reason, now);
        }
      else if (rate >= OB_SEND_ENGINE_GUARD_WARN_RATE && !warned)
        warn_once (self, follow, campaign_id,
                   _("The sending account’s bounce rate is above 2 percent: check the lists it sends to"),
                   since, since_id, now);
    }
}
