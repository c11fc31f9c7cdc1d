/* ob-send-pick.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-pacing.h"
#include "ob-schedule.h"
#include "ob-send-engine-private.h"
#include "ob-sending-private.h"

/* Which queue row the send engine sends next, and when.
 *
 * One pass (_ob_send_engine_pick()) reads the rows that are due or will
 * be, in due order, and works out for each the first moment every rule
 * allows (candidate_ready_at()): the recipient domain's hourly cap and
 * the company's daily cap, then the account's interval, daily cap,
 * warm-up and back-off (account_ready_at(); a follow-up keeps the
 * account of the first mail, otherwise the campaign's accounts take
 * turns), then the recipient's sending window and holidays. The first
 * row allowed now is the one to send; otherwise the earliest such moment
 * is when the engine wakes. What a pass needs from the database is read
 * once for all its rows (PassCache); what the engine remembers of an
 * account between passes is its ObSendAccountState.
 *
 * Rows that must not go at all any more (the contact unsubscribed,
 * replied, or is suppressed) are marked 'skipped' on the way. */

char *
_ob_send_dup_column (sqlite3_stmt *stmt,
                     int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

void
_ob_send_candidate_free (ObSendCandidate *c)
{
  g_free (c->email);
  g_free (c->domain);
  g_free (c->country);
  g_free (c->timezone);
  g_free (c->status);
  g_free (c);
}

static GTimeZone *
zone_for (ObSendEngine *self,
          const char   *zone,
          const char   *country)
{
  g_autofree char *key = g_strdup_printf ("%s|%s", zone ? zone : "", country ? country : "");
  GTimeZone *tz = g_hash_table_lookup (self->zones, key);

  if (tz == NULL)
    {
      tz = ob_schedule_zone_for (zone, country);
      g_hash_table_insert (self->zones, g_steal_pointer (&key), tz);
    }
  return tz;
}

ObSendAccountState *
_ob_send_engine_account_state (ObSendEngine *self,
                               gint64        account_id)
{
  ObSendAccountState *state = g_hash_table_lookup (self->accounts, &account_id);

  if (state == NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      state = g_new0 (ObSendAccountState, 1);
      state->id = account_id;
      /* After a restart, wait at least the interval since the last send. */
      stmt = ob_store_prepare (self->store,
                               "SELECT max(at) FROM events WHERE account_id = ?1 "
                               "AND data LIKE '" OB_ATTEMPT_DATA_PREFIX "%'",
                               NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, account_id);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            state->last_used = sqlite3_column_int64 (stmt, 0);
        }
      g_hash_table_insert (self->accounts, &state->id, state);
    }
  return state;
}

/* What one pass over the queue learns once and reuses for every row:
 * the recent attempts per recipient domain and per account (newest first),
 * the accounts' settings, each campaign's accounts. */
typedef struct
{
  GHashTable *domains;   /* domain → GArray of gint64 */
  GHashTable *accounts;  /* gint64* → AccountCache */
  GHashTable *campaigns; /* gint64* → GArray of gint64 account ids */
} PassCache;

typedef struct
{
  gint64   id;
  gboolean found;
  int      daily_limit;
  gint64   warmup_start_at;
  GArray  *recent; /* attempt times within the last day, newest first */
} AccountCache;

static void
account_cache_free (AccountCache *cache)
{
  g_array_unref (cache->recent);
  g_free (cache);
}

static GArray *
times_for (GHashTable *table,
           gpointer    key,
           gboolean    string_key)
{
  GArray *times = g_hash_table_lookup (table, key);

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (table, string_key ? g_strdup (key) : g_memdup2 (key, sizeof (gint64)), times);
    }
  return times;
}

/* Reads, in two queries, every attempt of the last day by recipient
 * domain and by account, and every account's settings. */
static void
pass_cache_init (PassCache    *cache,
                 ObSendEngine *self,
                 gint64        now)
{
  g_autoptr(sqlite3_stmt) attempts = NULL;
  g_autoptr(sqlite3_stmt) accounts = NULL;
  g_autoptr(GHashTable) account_times = NULL;

  cache->domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_array_unref);
  cache->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                           (GDestroyNotify) account_cache_free);
  cache->campaigns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) g_array_unref);
  account_times = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) g_array_unref);

  attempts = ob_store_prepare (self->store,
                               "SELECT coalesce(c.domain, ''), e.at, coalesce(e.account_id, 0) "
                               "FROM events e LEFT JOIN contacts c ON c.id = e.contact_id "
                               "WHERE e.at > ?1 AND e.data LIKE '" OB_ATTEMPT_DATA_PREFIX "%' "
                               "ORDER BY e.at DESC",
                               NULL);
  if (attempts != NULL)
    {
      sqlite3_bind_int64 (attempts, 1, now - 86400);
      while (sqlite3_step (attempts) == SQLITE_ROW)
        {
          gint64 at = sqlite3_column_int64 (attempts, 1);
          gint64 account = sqlite3_column_int64 (attempts, 2);

          g_array_append_val (times_for (cache->domains, (gpointer) sqlite3_column_text (attempts, 0), TRUE), at);
          if (account > 0)
            g_array_append_val (times_for (account_times, &account, FALSE), at);
        }
    }

  accounts = ob_store_prepare (self->store,
                               "SELECT id, daily_limit, coalesce(warmup_start_at, 0) FROM accounts",
                               NULL);
  if (accounts != NULL)
    while (sqlite3_step (accounts) == SQLITE_ROW)
      {
        AccountCache *info = g_new0 (AccountCache, 1);

        info->id = sqlite3_column_int64 (accounts, 0);
        info->found = TRUE;
        info->daily_limit = sqlite3_column_int (accounts, 1);
        info->warmup_start_at = sqlite3_column_int64 (accounts, 2);
        info->recent = g_array_ref (times_for (account_times, &info->id, FALSE));
        g_hash_table_insert (cache->accounts, &info->id, info);
      }
}

static void
pass_cache_clear (PassCache *cache)
{
  g_clear_pointer (&cache->domains, g_hash_table_unref);
  g_clear_pointer (&cache->accounts, g_hash_table_unref);
  g_clear_pointer (&cache->campaigns, g_hash_table_unref);
}

/* With @times the attempts newest first: when the @cap-th most recent
 * one leaves the window of @window_s ending at @at, or 0 when fewer than
 * @cap are in it; G_MAXINT64 for a cap of 0. */
static gint64
limit_free_at (GArray *times,
               gint64  window_s,
               int     cap,
               gint64  at)
{
  gint64 t;

  if (cap <= 0)
    return G_MAXINT64;
  if (times->len < (guint) cap)
    return 0;
  t = g_array_index (times, gint64, cap - 1);
  return t > at - window_s ? t + window_s : 0;
}

static GArray *
domain_attempts (PassCache  *cache,
                 const char *domain)
{
  return times_for (cache->domains, (gpointer) (domain ? domain : ""), TRUE);
}

static AccountCache *
account_cache (PassCache *cache,
               gint64     account_id)
{
  AccountCache *info = g_hash_table_lookup (cache->accounts, &account_id);

  if (info == NULL)
    {
      /* Removed since the campaign was made: never ready. */
      info = g_new0 (AccountCache, 1);
      info->id = account_id;
      info->recent = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (cache->accounts, &info->id, info);
    }
  return info;
}

/* The first moment @account_id may send for @c, not before @at;
 * G_MAXINT64 when busy or never. */
static gint64
account_ready_at (ObSendEngine          *self,
                  PassCache             *cache,
                  gint64                 account_id,
                  const ObSendCandidate *c,
                  gint64                 now,
                  gint64                 at)
{
  ObSendAccountState *state = _ob_send_engine_account_state (self, account_id);
  AccountCache *info = account_cache (cache, account_id);
  gint64 cap_at;
  int cap;

  if (state->busy || !info->found)
    return G_MAXINT64;

  at = MAX (at, state->next_ok_at);
  at = MAX (at, state->last_used + c->pacing.interval_min_s);
  at = MAX (at, state->backoff_until);

  /* The cap that applies when the send would happen. A warm-up grows day
   * by day, so the next day of the ramp may free a slot before the
   * rolling window does. */
  cap = ob_pacing_effective_cap (&c->pacing, info->daily_limit, info->warmup_start_at, at);
  cap_at = limit_free_at (info->recent, 86400, cap, at);
  if (cap_at > at && c->pacing.warmup && info->warmup_start_at > 0 && at >= info->warmup_start_at)
    {
      gint64 next_day = info->warmup_start_at +
                        ((at - info->warmup_start_at) / 86400 + 1) * 86400;

      if (next_day < cap_at &&
          ob_pacing_effective_cap (&c->pacing, info->daily_limit, info->warmup_start_at, next_day) > cap)
        return next_day;
    }
  if (cap_at > at)
    return cap_at;
  return at;
}

static GArray *
campaign_accounts (ObSendEngine *self,
                   PassCache    *cache,
                   gint64        campaign_id)
{
  GArray *ids = g_hash_table_lookup (cache->campaigns, &campaign_id);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (ids != NULL)
    return ids;

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_hash_table_insert (cache->campaigns, g_memdup2 (&campaign_id, sizeof campaign_id), ids);
  stmt = ob_store_prepare (self->store,
                           "SELECT account_id FROM campaign_accounts WHERE campaign_id = ?1 "
                           "ORDER BY position",
                           NULL);
  if (stmt == NULL)
    return ids;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  return ids;
}

static ObSendCandidate *
read_candidate (sqlite3_stmt *stmt)
{
  ObSendCandidate *c = g_new0 (ObSendCandidate, 1);

  c->queue_id = sqlite3_column_int64 (stmt, 0);
  c->campaign_id = sqlite3_column_int64 (stmt, 1);
  c->contact_id = sqlite3_column_int64 (stmt, 2);
  c->account_id = sqlite3_column_int64 (stmt, 3);
  c->due_at = sqlite3_column_int64 (stmt, 4);
  c->position = sqlite3_column_int (stmt, 5);
  c->email = _ob_send_dup_column (stmt, 6);
  c->domain = _ob_send_dup_column (stmt, 7);
  c->country = _ob_send_dup_column (stmt, 8);
  c->timezone = _ob_send_dup_column (stmt, 9);
  c->status = _ob_send_dup_column (stmt, 10);
  c->replied = sqlite3_column_int (stmt, 11) != 0;
  c->suppressed = sqlite3_column_int (stmt, 12) != 0;
  c->window.days = (guint) sqlite3_column_int (stmt, 13);
  c->window.start_min = sqlite3_column_int (stmt, 14);
  c->window.end_min = sqlite3_column_int (stmt, 15);
  c->window.skip_holidays = sqlite3_column_int (stmt, 16) != 0;
  c->pacing.daily_cap = sqlite3_column_int (stmt, 17);
  c->pacing.interval_min_s = sqlite3_column_int (stmt, 18);
  c->pacing.interval_max_s = sqlite3_column_int (stmt, 19);
  c->pacing.domain_hourly_cap = sqlite3_column_int (stmt, 20);
  c->pacing.company_daily_cap = sqlite3_column_int (stmt, 21);
  c->pacing.warmup = sqlite3_column_int (stmt, 22) != 0;
  c->pacing.warmup_start = sqlite3_column_int (stmt, 23);
  c->pacing.warmup_growth_pct = sqlite3_column_int (stmt, 24);
  return c;
}

/* Why a row must not go at all any more, or NULL. */
static const char *
skip_reason (const ObSendCandidate *c)
{
  if (g_strcmp0 (c->status, "active") != 0)
    {
      if (g_strcmp0 (c->status, "unsubscribed") == 0)
        return N_("The contact unsubscribed");
      if (g_strcmp0 (c->status, "invalid") == 0)
        return N_("The address is invalid");
      return N_("The contact is suppressed");
    }
  if (c->suppressed)
    return N_("The address or its domain is on the suppression list");
  if (c->position > 1 && c->replied)
    return N_("The contact replied: no follow-up");
  return NULL;
}

gboolean
_ob_send_engine_skip_rows (ObSendEngine  *self,
                           GPtrArray     *skips,
                           gint64         now,
                           GError       **error)
{
  /* Busy with another writer: the rows wait for a later tick. */
  if (!ob_store_begin_now (self->store, error))
    return FALSE;

  for (guint i = 0; i < skips->len; i++)
    {
      ObSendSkip *skip = g_ptr_array_index (skips, i);
      ObSendCandidate *c = skip->candidate;
      g_autoptr(sqlite3_stmt) stmt = NULL;

      stmt = ob_store_prepare (self->store,
                               "UPDATE queue SET state = 'skipped', updated_at = ?1 "
                               "WHERE id = ?2 AND state IN ('pending', 'retry')",
                               error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, c->queue_id);
      if (!ob_store_step_done (self->store, stmt, error) ||
          !_ob_sending_add_event (self->store, now, "skipped", c->contact_id, c->campaign_id,
                                  c->position, c->queue_id, c->account_id, NULL,
                                  _(skip->reason), NULL, error) ||
          !_ob_sending_skip_later_steps (self->store, c->campaign_id, c->contact_id,
                                         c->position, now, error) ||
          !_ob_sending_update_done (self->store, c->campaign_id, now, NULL, error))
        goto fail;
    }

  return ob_store_commit (self->store, error);

fail:
  ob_store_rollback (self->store);
  return FALSE;
}

/* The first moment every rule allows @c, and the account to use. */
static gint64
candidate_ready_at (ObSendEngine    *self,
                    PassCache       *cache,
                    ObSendCandidate *c,
                    gint64           now,
                    gint64          *account_id)
{
  GArray *accounts;
  GArray *domain_times;
  GTimeZone *zone;
  gint64 at = MAX (now, c->due_at);
  gint64 best = G_MAXINT64;

  *account_id = 0;

  if (c->domain != NULL && g_hash_table_contains (self->paused_domains, c->domain))
    return G_MAXINT64;

  domain_times = domain_attempts (cache, c->domain);
  at = MAX (at, limit_free_at (domain_times, 3600, c->pacing.domain_hourly_cap, now));
  if (!ob_pacing_is_free_provider (c->domain))
    at = MAX (at, limit_free_at (domain_times, 86400, c->pacing.company_daily_cap, now));
  if (at == G_MAXINT64)
    return G_MAXINT64;

  /* A follow-up goes from the account of the first mail. Otherwise
   * rotation: the account free soonest; among equals the least recently
   * used. */
  if (c->account_id > 0)
    best = account_ready_at (self, cache, *account_id = c->account_id, c, now, at);
  else
    {
      accounts = campaign_accounts (self, cache, c->campaign_id);
      for (guint i = 0; i < accounts->len; i++)
        {
          gint64 id = g_array_index (accounts, gint64, i);
          gint64 ready = account_ready_at (self, cache, id, c, now, at);

          if (ready < best ||
              (ready == best && ready != G_MAXINT64 && *account_id != 0 &&
               _ob_send_engine_account_state (self, id)->last_used <
               _ob_send_engine_account_state (self, *account_id)->last_used))
            {
              best = ready;
              *account_id = id;
            }
        }
    }
  if (best == G_MAXINT64)
    return G_MAXINT64;

  zone = zone_for (self, c->timezone, c->country);
  at = ob_schedule_next_allowed (&c->window, zone, c->country, best);
  return at < 0 ? G_MAXINT64 : at;
}

static const char *candidate_sql =
  "SELECT q.id, q.campaign_id, q.contact_id, coalesce(q.account_id, 0), q.due_at, s.position, "
  " c.email, c.domain, c.country, c.timezone, c.status, "
  " (c.replied_at IS NOT NULL OR EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id "
  "                                      AND e.kind = 'replied')), "
  " EXISTS (SELECT 1 FROM suppressions x WHERE (x.kind = 'address' AND x.value = c.email_key COLLATE NOCASE) "
  "         OR (x.kind = 'domain' AND x.value = c.domain)), "
  " k.window_days, k.window_start_min, k.window_end_min, k.skip_holidays, coalesce(k.daily_cap, 0), "
  " k.interval_min_s, k.interval_max_s, k.domain_hourly_cap, k.company_daily_cap, k.warmup, "
  " k.warmup_start, k.warmup_growth_pct "
  "FROM queue q JOIN campaign_steps s ON s.id = q.step_id JOIN contacts c ON c.id = q.contact_id "
  "JOIN campaigns k ON k.id = q.campaign_id "
  "WHERE k.state = 'running' AND q.state IN ('pending', 'retry') AND q.due_at IS NOT NULL "
  "ORDER BY q.due_at, q.id";

/* The row to send now (with its account), or NULL and in @next_wake the
 * earliest moment one may go (G_MAXINT64: none). */
ObSendCandidate *
_ob_send_engine_pick (ObSendEngine *self,
                      gint64        now,
                      gint64       *account_id,
                      gint64       *next_wake)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) skips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func ((GDestroyNotify) _ob_send_candidate_free);
  g_autoptr(GError) error = NULL;
  ObSendCandidate *chosen = NULL;
  PassCache cache;

  *next_wake = G_MAXINT64;
  *account_id = 0;

  stmt = ob_store_prepare (self->store, candidate_sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read the send queue: %s", error->message);
      return NULL;
    }

  pass_cache_init (&cache, self, now);
  while (chosen == NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      ObSendCandidate *c = read_candidate (stmt);
      const char *reason;
      gint64 ready, account = 0;

      g_ptr_array_add (owned, c);
      if ((reason = skip_reason (c)) != NULL)
        {
          ObSendSkip *skip = g_new0 (ObSendSkip, 1);
          skip->candidate = c;
          skip->reason = reason;
          g_ptr_array_add (skips, skip);
          continue;
        }

      ready = candidate_ready_at (self, &cache, c, now, &account);
      if (ready <= now)
        {
          chosen = g_ptr_array_steal_index (owned, owned->len - 1);
          *account_id = account;
        }
      else
        *next_wake = MIN (*next_wake, ready);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  pass_cache_clear (&cache);

  if (skips->len > 0)
    {
      if (!_ob_send_engine_skip_rows (self, skips, now, &error))
        {
          if (!g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
            g_warning ("Cannot skip queue rows: %s", error->message);
          *next_wake = MIN (*next_wake, now + OB_SEND_ENGINE_STORE_RETRY_S);
        }
      /* Skipping may have finished a campaign or freed the next row. */
      else if (chosen == NULL)
        *next_wake = MIN (*next_wake, now);
    }

  return chosen;
}
