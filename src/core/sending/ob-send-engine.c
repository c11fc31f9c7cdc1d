/* ob-send-engine.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/file.h>
#include <unistd.h>

#include "ob-bounce-sink.h"
#include "ob-pacing.h"
#include "ob-schedule.h"
#include "ob-send-engine.h"
#include "ob-sending.h"
#include "ob-sending-private.h"
#include "ob-suppressions.h"

/* The scheduled-send engine.
 *
 * Every tick reads the queue rows that are due or will be, works out for
 * each the first moment every rule allows (the recipient's window and
 * holidays, the account's interval, daily cap and warm-up, the recipient
 * domain's hourly cap and the company's daily cap, any back-off), sends
 * the first that is allowed now, and otherwise sleeps on the clock until
 * the earliest such moment. Nothing polls.
 *
 * A row is marked 'sending' in its own transaction before the message
 * leaves, and its outcome is written in another one after; a row still
 * 'sending' when the engine starts is therefore one whose fate is unknown,
 * and becomes 'uncertain' until the user decides. */

#define RETRY_TEMPORARY_S (15 * 60)
#define BACKOFF_BASE_S    (60 * 60)
#define BACKOFF_MAX_S     (24 * 60 * 60)

typedef struct
{
  gint64   id;
  gint64   next_ok_at;    /* the random interval after the last send */
  gint64   backoff_until; /* sender-side trouble */
  int      block_streak;
  gint64   last_used;
  gboolean busy;          /* one connection per account */
} AccountState;

struct _ObSendEngine
{
  GObject            parent_instance;

  ObStore           *store;
  ObClock           *clock;
  ObSendTransport   *transport;
  ObMessageRenderer *renderer;
  ObReplyClassifier *classifier;

  GRand             *rand;
  GHashTable        *accounts;       /* gint64* → AccountState */
  GHashTable        *domain_streaks; /* domain → consecutive hard bounces */
  GPtrArray         *pending_outcomes; /* OutcomeRecord: sent, not yet written (database busy) */
  GHashTable        *paused_domains; /* domain → TRUE */
  GHashTable        *zones;          /* "zone|country" → GTimeZone */

  int                lock_fd;        /* one engine per database, across processes */

  guint              tick_id;
  GCancellable      *wait_cancellable;
  gboolean           running;
  gint64             until;
  GTask             *run_task;
  gulong             run_cancelled_id;
  guint              in_flight;
};

static void ob_send_engine_sink_init (ObBounceSinkInterface *iface);

/* The engine is where bounces found later in the mailbox go: the poller
 * (core/bounces) reports through ObBounceSink. */
G_DEFINE_FINAL_TYPE_WITH_CODE (ObSendEngine, ob_send_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_BOUNCE_SINK, ob_send_engine_sink_init))

enum {
  PROGRESS,
  WARNING,
  PAUSED,
  OUTCOME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  gint64       queue_id;
  gint64       campaign_id;
  gint64       contact_id;
  gint64       account_id; /* 0: any of the campaign's accounts */
  gint64       due_at;
  int          position;
  char        *email;
  char        *domain;
  char        *country;
  char        *timezone;
  char        *status;
  gboolean     replied;
  gboolean     suppressed;
  ObSendWindow window;
  ObPacing     pacing;
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->email);
  g_free (c->domain);
  g_free (c->country);
  g_free (c->timezone);
  g_free (c->status);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Candidate, candidate_free)

typedef struct
{
  ObSendEngine      *self;
  Candidate         *candidate;
  ObRenderedMessage *message;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->candidate, candidate_free);
  g_clear_pointer (&data->message, ob_rendered_message_free);
  g_clear_object (&data->self);
  g_free (data);
}

/* What an outcome or a bounce leads to beyond its own rows: the domain's
 * streak of hard bounces (and its pause), the bounce-rate guard's warning
 * or pause. These are written in the same transaction as the outcome, so
 * a database busy with another writer keeps all of it for later
 * (pending_outcomes) and a part is never written twice or lost; the
 * engine's memory and the signals follow once that transaction is
 * committed (announce()). */
typedef struct
{
  guint   signal; /* WARNING or PAUSED, an index into signals[] */
  gint64  campaign_id;
  char   *message;
} Notice;

typedef struct
{
  char     *streak_domain; /* the domain whose streak of hard bounces grew */
  int       streak;
  gboolean  pause_domain;  /* … to OB_SEND_ENGINE_DOMAIN_STRIKES: it is paused */
  GArray   *notices;       /* Notice, in order */
} FollowUps;

static void
notice_clear (gpointer data)
{
  g_free (((Notice *) data)->message);
}

static void
follow_ups_clear (FollowUps *follow)
{
  g_clear_pointer (&follow->streak_domain, g_free);
  g_clear_pointer (&follow->notices, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FollowUps, follow_ups_clear)

static void
follow_ups_notice (FollowUps  *follow,
                   guint       signal,
                   gint64      campaign_id,
                   const char *message)
{
  Notice notice = { signal, campaign_id, g_strdup (message) };

  if (follow->notices == NULL)
    {
      follow->notices = g_array_new (FALSE, TRUE, sizeof (Notice));
      g_array_set_clear_func (follow->notices, notice_clear);
    }
  g_array_append_val (follow->notices, notice);
}

static void schedule_tick (ObSendEngine *self);

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
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

static AccountState *
account_state (ObSendEngine *self,
               gint64        account_id)
{
  AccountState *state = g_hash_table_lookup (self->accounts, &account_id);

  if (state == NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      state = g_new0 (AccountState, 1);
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
account_ready_at (ObSendEngine    *self,
                  PassCache       *cache,
                  gint64           account_id,
                  const Candidate *c,
                  gint64           now,
                  gint64           at)
{
  AccountState *state = account_state (self, account_id);
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

static Candidate *
read_candidate (sqlite3_stmt *stmt)
{
  Candidate *c = g_new0 (Candidate, 1);

  c->queue_id = sqlite3_column_int64 (stmt, 0);
  c->campaign_id = sqlite3_column_int64 (stmt, 1);
  c->contact_id = sqlite3_column_int64 (stmt, 2);
  c->account_id = sqlite3_column_int64 (stmt, 3);
  c->due_at = sqlite3_column_int64 (stmt, 4);
  c->position = sqlite3_column_int (stmt, 5);
  c->email = dup_column (stmt, 6);
  c->domain = dup_column (stmt, 7);
  c->country = dup_column (stmt, 8);
  c->timezone = dup_column (stmt, 9);
  c->status = dup_column (stmt, 10);
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
skip_reason (const Candidate *c)
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

typedef struct
{
  Candidate *candidate;
  const char *reason;
} Skip;

static gboolean
skip_rows (ObSendEngine *self,
           GPtrArray    *skips,
           gint64        now,
           GError      **error)
{
  /* Busy with another writer: the rows wait for a later tick. */
  if (!ob_store_begin_now (self->store, error))
    return FALSE;

  for (guint i = 0; i < skips->len; i++)
    {
      Skip *skip = g_ptr_array_index (skips, i);
      Candidate *c = skip->candidate;
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
candidate_ready_at (ObSendEngine *self,
                    PassCache    *cache,
                    Candidate    *c,
                    gint64        now,
                    gint64       *account_id)
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
               account_state (self, id)->last_used < account_state (self, *account_id)->last_used))
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
  " EXISTS (SELECT 1 FROM suppressions x WHERE (x.kind = 'address' AND x.value = c.email_key) "
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
static Candidate *
pick (ObSendEngine *self,
      gint64        now,
      gint64       *account_id,
      gint64       *next_wake)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) skips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr(GError) error = NULL;
  Candidate *chosen = NULL;
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
      Candidate *c = read_candidate (stmt);
      const char *reason;
      gint64 ready, account = 0;

      g_ptr_array_add (owned, c);
      if ((reason = skip_reason (c)) != NULL)
        {
          Skip *skip = g_new0 (Skip, 1);
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
      if (!skip_rows (self, skips, now, &error))
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

static gboolean
mark_sending (ObSendEngine      *self,
              Candidate         *c,
              gint64             account_id,
              const char        *message_id,
              gint64             now,
              GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Never wait for another writer here: the engine runs on the main
   * thread, and a busy database is tried again later (tick_cb). */
  if (!ob_store_begin_now (self->store, error))
    return FALSE;
  stmt = ob_store_prepare (self->store,
                           "UPDATE queue SET state = 'sending', account_id = ?1, attempts = attempts + 1, "
                           "message_id = ?2, updated_at = ?3 "
                           "WHERE id = ?4 AND state IN ('pending', 'retry')",
                           error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_text (stmt, 2, message_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, c->queue_id);
    }
  if (stmt == NULL || !ob_store_step_done (self->store, stmt, error))
    {
      ob_store_rollback (self->store);
      return FALSE;
    }
  if (sqlite3_changes (ob_store_get_db (self->store)) != 1)
    {
      ob_store_rollback (self->store);
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Message %lld is no longer waiting to be sent"), (long long) c->queue_id);
      return FALSE;
    }
  return ob_store_commit (self->store, error);
}

/* Writes the row's new state and, when given, its due time. */
static gboolean
set_row (ObSendEngine *self,
         gint64        queue_id,
         const char   *state,
         gint64        due_at,
         gboolean      clear_account,
         int           code,
         const char   *reply,
         gint64        now,
         GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (self->store,
                           "UPDATE queue SET state = ?1, due_at = coalesce(?2, due_at), "
                           "account_id = CASE WHEN ?3 THEN NULL ELSE account_id END, "
                           "last_code = coalesce(?4, last_code), last_reply = coalesce(?5, last_reply), "
                           "sent_at = CASE WHEN ?1 = 'sent' THEN ?6 ELSE sent_at END, updated_at = ?6 "
                           "WHERE id = ?7",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  if (due_at > 0)
    sqlite3_bind_int64 (stmt, 2, due_at);
  sqlite3_bind_int (stmt, 3, clear_account ? 1 : 0);
  if (code > 0)
    sqlite3_bind_int (stmt, 4, code);
  sqlite3_bind_text (stmt, 5, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, queue_id);
  return ob_store_step_done (self->store, stmt, error);
}

static char *
attempt_data (const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *rest = NULL;

  /* The prefix is written by hand so pacing can find it with LIKE. */
  json_builder_begin_object (b);
  if (reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, reason);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  rest = json_to_string (root, FALSE);
  if (g_str_equal (rest, "{}"))
    return g_strdup (OB_ATTEMPT_DATA_PREFIX "}");
  return g_strconcat (OB_ATTEMPT_DATA_PREFIX ",", rest + 1, NULL);
}

/* Distinct days (UTC) with a soft bounce for the contact. */
static int
soft_bounce_days (ObSendEngine *self,
                  gint64        contact_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (self->store,
                           "SELECT count(DISTINCT at / 86400) FROM events "
                           "WHERE contact_id = ?1 AND kind = 'soft_bounce'",
                           NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
}

static gboolean
suppress (ObSendEngine    *self,
          const Candidate *c,
          gint64           account_id,
          const char      *reason,
          const char      *detail,
          gint64           now,
          GError         **error)
{
  g_autofree char *source = g_strdup_printf ("campaign:%" G_GINT64_FORMAT, c->campaign_id);

  return ob_sending_suppress_contact (self->store, c->contact_id, reason, source, detail, now, error) &&
         _ob_sending_add_event (self->store, now, "suppressed", c->contact_id, c->campaign_id,
                                c->position, c->queue_id, account_id, NULL, detail, NULL, error) &&
         _ob_sending_skip_later_steps (self->store, c->campaign_id, c->contact_id, c->position,
                                       now, error);
}

static gboolean
bump_contact (ObSendEngine *self,
              gint64        contact_id,
              const char   *sql,
              gint64        now,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (self->store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  return ob_store_step_done (self->store, stmt, error);
}

/* Inside the outcome's transaction: the domain's streak grows, and at
 * OB_SEND_ENGINE_DOMAIN_STRIKES the domain is paused (the event that
 * keeps the pause across restarts is written here; the engine's memory
 * follows in announce()). */
static void
note_hard_bounce (ObSendEngine *self,
                  FollowUps    *follow,
                  const char   *domain,
                  gint64        campaign_id,
                  gint64        now)
{
  int streak;

  if (domain == NULL)
    return;
  streak = GPOINTER_TO_INT (g_hash_table_lookup (self->domain_streaks, domain)) + 1;
  g_free (follow->streak_domain);
  follow->streak_domain = g_strdup (domain);
  follow->streak = streak;

  if (streak >= OB_SEND_ENGINE_DOMAIN_STRIKES &&
      !g_hash_table_contains (self->paused_domains, domain))
    {
      g_autofree char *message = NULL;

      follow->pause_domain = TRUE;
      message = g_strdup_printf (_("%d addresses at %s bounced in a row; sending to that domain "
                                   "is paused until you check the list"), streak, domain);
      _ob_sending_add_event (self->store, now, "domain_paused", 0, campaign_id, 0, 0, 0,
                             domain, message, NULL, NULL);
      follow_ups_notice (follow, WARNING, campaign_id, message);
    }
}

/* After the transaction of an outcome or a bounce is committed: the
 * engine's memory and the signals catch up with what it wrote. */
static void
announce (ObSendEngine *self,
          FollowUps    *follow)
{
  if (follow->streak_domain != NULL)
    {
      g_hash_table_insert (self->domain_streaks, g_strdup (follow->streak_domain),
                           GINT_TO_POINTER (follow->streak));
      if (follow->pause_domain)
        g_hash_table_add (self->paused_domains, g_strdup (follow->streak_domain));
    }
  for (guint i = 0; follow->notices != NULL && i < follow->notices->len; i++)
    {
      Notice *notice = &g_array_index (follow->notices, Notice, i);

      g_signal_emit (self, signals[notice->signal], 0, notice->campaign_id, notice->message);
    }
}

static void
back_off_account (ObSendEngine *self,
                  gint64        account_id,
                  gint64        now)
{
  AccountState *state = account_state (self, account_id);
  gint64 delay;

  state->block_streak++;
  delay = BACKOFF_BASE_S << MIN (state->block_streak - 1, 5);
  state->backoff_until = now + MIN (delay, BACKOFF_MAX_S);
}

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
pause_campaign (ObSendEngine *self,
                FollowUps    *follow,
                gint64        campaign_id,
                const char   *reason,
                gint64        now)
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
  follow_ups_notice (follow, PAUSED, campaign_id, reason);
}

static void
warn_once (ObSendEngine *self,
           FollowUps    *follow,
           gint64        campaign_id,
           const char   *message,
           gint64        since,
           gint64        since_id,
           gint64        now)
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
  follow_ups_notice (follow, WARNING, campaign_id, message);
}

/* The bounce-rate guard: ≥ 2 % after 20 sends warns, ≥ 5 % pauses.
 * Inside the transaction of the outcome or bounce that counts. */
static void
check_guard (ObSendEngine *self,
             FollowUps    *follow,
             gint64        campaign_id,
             gint64        account_id,
             gint64        now)
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

typedef struct
{
  const char *event;     /* what the log says */
  const char *row_state; /* the queue row's new state */
  gint64      due_at;
  gboolean    clear_account;
  gboolean    attempt;   /* reached the recipient's server */
  const char *suppress;  /* suppression reason, or NULL */
  gboolean    hard;
  gboolean    sent;
} Outcome;

/* An outcome with all that is written with it. One that the database
 * would not take when it came (another connection was writing) is kept
 * in pending_outcomes, owning its candidate: the row stays 'sending'
 * meanwhile, and tick_cb writes it as soon as it can. */
typedef struct
{
  Candidate *c;
  gint64     account_id;
  Outcome    o;
  int        code;
  char      *reply;
  char      *detail;
  char      *reason;
  gint64     now;
} OutcomeRecord;

static void
outcome_record_free (OutcomeRecord *r)
{
  g_clear_pointer (&r->c, candidate_free);
  g_free (r->reply);
  g_free (r->detail);
  g_free (r->reason);
  g_free (r);
}

/* Writes an outcome with its follow-ups (@follow, for announce() once
 * this returns TRUE), all in one transaction. */
static gboolean
record_outcome (ObSendEngine        *self,
                const OutcomeRecord *r,
                FollowUps           *follow,
                GError             **error)
{
  const Candidate *c = r->c;
  const Outcome *o = &r->o;
  gint64 account_id = r->account_id;
  gint64 now = r->now;
  g_autofree char *data = o->attempt ? attempt_data (r->reason) : NULL;

  /* Never wait for another writer on the main thread: the caller keeps
   * the outcome and writes it later (pending_outcomes). */
  if (!ob_store_begin_now (self->store, error))
    return FALSE;

  if (!set_row (self, c->queue_id, o->row_state, o->due_at, o->clear_account, r->code, r->reply, now, error) ||
      !_ob_sending_add_event (self->store, now, o->event, c->contact_id, c->campaign_id, c->position,
                              c->queue_id, account_id, r->reply, r->detail, data, error))
    goto fail;

  if (o->sent &&
      (!_ob_sending_schedule_next_step (self->store, c->campaign_id, c->contact_id, c->position,
                                        now, error) ||
       !bump_contact (self, c->contact_id,
                      "UPDATE contacts SET last_contacted_at = ?1 WHERE id = ?2", now, error)))
    goto fail;

  if (o->hard &&
      !bump_contact (self, c->contact_id,
                     "UPDATE contacts SET bounce_count = bounce_count + 1, updated_at = ?1 WHERE id = ?2",
                     now, error))
    goto fail;
  if (g_strcmp0 (o->event, "soft_bounce") == 0 &&
      !bump_contact (self, c->contact_id,
                     "UPDATE contacts SET soft_bounce_count = soft_bounce_count + 1, updated_at = ?1 "
                     "WHERE id = ?2", now, error))
    goto fail;

  if (o->suppress != NULL &&
      !suppress (self, c, account_id, o->suppress, r->detail, now, error))
    goto fail;

  if (g_strcmp0 (o->row_state, "failed") == 0 &&
      !_ob_sending_skip_later_steps (self->store, c->campaign_id, c->contact_id, c->position, now, error))
    goto fail;

  if (!_ob_sending_update_done (self->store, c->campaign_id, now, NULL, error))
    goto fail;

  /* The follow-ups go in the same transaction: written after a commit of
   * their own, they would wait for a writer that took the database in
   * between (on the main thread), or be lost when it held on. */
  if (o->hard)
    note_hard_bounce (self, follow, c->domain, c->campaign_id, now);
  if (o->attempt)
    check_guard (self, follow, c->campaign_id, account_id, now);

  return ob_store_commit (self->store, error);

fail:
  ob_store_rollback (self->store);
  return FALSE;
}

/* Writes an outcome and does what follows from it. FALSE when the
 * database is busy with another writer: nothing is written, try again. */
static gboolean
commit_outcome (ObSendEngine        *self,
                const OutcomeRecord *r)
{
  g_autoptr(GError) error = NULL;
  g_auto(FollowUps) follow = { 0 };

  if (!record_outcome (self, r, &follow, &error))
    {
      if (g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
        return FALSE;
      g_warning ("Cannot record the outcome of message %" G_GINT64_FORMAT ": %s",
                 r->c->queue_id, error->message);
      return TRUE;
    }
  g_signal_emit (self, signals[OUTCOME], 0, r->c->queue_id, r->o.event);
  g_signal_emit (self, signals[PROGRESS], 0, r->c->campaign_id);
  announce (self, &follow);
  return TRUE;
}

/* Writes the outcomes kept for a busy database; TRUE when none is left. */
static gboolean
commit_pending_outcomes (ObSendEngine *self)
{
  for (guint i = 0; i < self->pending_outcomes->len;)
    {
      if (!commit_outcome (self, g_ptr_array_index (self->pending_outcomes, i)))
        return FALSE;
      g_ptr_array_remove_index (self->pending_outcomes, i);
    }
  return TRUE;
}

/* Works out and writes the outcome of a send. TRUE when the database was
 * busy and the outcome is kept for later: it then owns @c. */
static gboolean
handle_result (ObSendEngine      *self,
               Candidate         *c,
               gint64             account_id,
               GPtrArray         *results,
               const GError      *send_error,
               gint64             now)
{
  g_autoptr(GError) error = NULL;
  OutcomeRecord *record;
  gboolean kept;
  g_autofree char *reply = NULL;
  g_autofree char *detail = NULL;
  ObReplyVerdict verdict = { 0 };
  Outcome o = { 0 };
  int code = 0;

  if (send_error != NULL)
    {
      reply = g_strdup (send_error->message);
      if (g_error_matches (send_error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_UNCERTAIN))
        {
          o.event = "uncertain";
          o.row_state = "uncertain";
          o.attempt = TRUE; /* it most likely reached the server: count it for pacing */
          detail = g_strdup (_("The connection broke after the message was handed over: "
                               "it may have been delivered. Check the Sent folder, then choose."));
        }
      else if (g_error_matches (send_error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH) ||
               g_error_matches (send_error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_TLS))
        {
          /* The sender's problem: back off the account, keep the contact. */
          o.event = "blocked";
          o.row_state = "retry";
          o.due_at = now;
          o.clear_account = c->position == 1;
          back_off_account (self, account_id, now);
          detail = g_strdup (_("The sending account could not connect; it rests before trying again"));
        }
      else
        {
          o.event = "retry";
          o.row_state = "retry";
          o.due_at = now + RETRY_TEMPORARY_S;
          account_state (self, account_id)->backoff_until = now + RETRY_TEMPORARY_S;
        }
    }
  else
    {
      const ObRecipientResult *r = results != NULL && results->len > 0 ? g_ptr_array_index (results, 0) : NULL;

      code = r ? r->code : 0;
      reply = r ? ob_recipient_result_to_string (r) : g_strdup ("");

      if (code >= 200 && code < 300)
        {
          o.event = "sent";
          o.row_state = "sent";
          o.attempt = TRUE;
          o.sent = TRUE;
          g_hash_table_remove (self->domain_streaks, c->domain);
          account_state (self, account_id)->block_streak = 0;
        }
      else
        {
          ob_reply_classifier_classify (self->classifier, code, r ? r->enhanced : NULL,
                                        r ? r->text : NULL, &verdict);
          o.attempt = TRUE;
          switch (verdict.action)
            {
            case OB_SEND_ACTION_SUPPRESS:
              o.event = "hard_bounce";
              o.row_state = "failed";
              o.hard = TRUE;
              o.suppress = "hard-bounce";
              detail = g_strdup (_("The address does not exist or refuses mail: suppressed"));
              break;

            case OB_SEND_ACTION_PAUSE_SENDER:
              o.event = "blocked";
              o.row_state = "retry";
              o.due_at = now;
              o.clear_account = c->position == 1;
              back_off_account (self, account_id, now);
              detail = g_strdup (_("The recipient’s server refused the sender, not the address: "
                                   "the account rests, the contact is kept"));
              break;

            case OB_SEND_ACTION_RETRY:
            default:
              if (verdict.kind == OB_SEND_BOUNCE_SOFT || verdict.action == OB_SEND_ACTION_RETRY)
                {
                  /* Count today's bounce with the earlier days. */
                  g_autoptr(sqlite3_stmt) today = NULL;
                  int days = soft_bounce_days (self, c->contact_id);

                  today = ob_store_prepare (self->store,
                                            "SELECT 1 FROM events WHERE contact_id = ?1 "
                                            "AND kind = 'soft_bounce' AND at / 86400 = ?2 / 86400",
                                            NULL);
                  if (today != NULL)
                    {
                      sqlite3_bind_int64 (today, 1, c->contact_id);
                      sqlite3_bind_int64 (today, 2, now);
                      if (sqlite3_step (today) != SQLITE_ROW)
                        days++;
                    }
                  o.event = "soft_bounce";
                  if (days >= OB_SEND_ENGINE_SOFT_STRIKES)
                    {
                      o.row_state = "failed";
                      o.suppress = "soft-bounce";
                      detail = g_strdup_printf (_("Soft bounces on %d separate days: suppressed"), days);
                    }
                  else
                    {
                      /* Back off across days: the next try is on a later day. */
                      o.row_state = "retry";
                      o.due_at = now + 86400 * (gint64) days;
                      detail = g_strdup_printf (_("Temporary failure (%d of %d): trying again on a later day"),
                                                days, OB_SEND_ENGINE_SOFT_STRIKES);
                    }
                }
              else if (code >= 500)
                {
                  o.event = "failed";
                  o.row_state = "failed";
                  detail = g_strdup (_("The server refused the message"));
                }
              else
                {
                  o.event = "retry";
                  o.row_state = "retry";
                  o.due_at = now + RETRY_TEMPORARY_S;
                }
              break;
            }
        }
    }

  record = g_new0 (OutcomeRecord, 1);
  *record = (OutcomeRecord) {
    .c = c, .account_id = account_id, .o = o, .code = code, .reply = g_steal_pointer (&reply),
    .detail = g_steal_pointer (&detail), .reason = g_strdup (verdict.reason), .now = now,
  };
  kept = !commit_outcome (self, record);
  if (kept)
    g_ptr_array_add (self->pending_outcomes, record);
  else
    {
      record->c = NULL; /* the caller's */
      outcome_record_free (record);
    }

  ob_reply_verdict_clear (&verdict);
  return kept;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendData *data = user_data;
  ObSendEngine *self = data->self;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  AccountState *state;
  gint64 account_id = data->candidate->account_id;
  gint64 now;

  results = ob_send_transport_send_finish (OB_SEND_TRANSPORT (object), result, &error);
  now = ob_clock_now (self->clock);

  state = account_state (self, account_id);
  state->busy = FALSE;
  state->last_used = now;
  state->next_ok_at = now + ob_pacing_draw_interval (&data->candidate->pacing, self->rand);
  self->in_flight--;

  if (handle_result (self, data->candidate, account_id, results, error, now))
    data->candidate = NULL;

  send_data_free (data);
  schedule_tick (self);
}

/* FALSE when the database is busy with another writer: nothing was sent
 * and the row waits, so the tick stops picking for now. */
static gboolean
start_send (ObSendEngine *self,
            Candidate    *c,
            gint64        account_id,
            gint64        now)
{
  g_autoptr(GError) error = NULL;
  ObRenderedMessage *message;
  SendData *data;

  /* The last word before the message is made: the contacts area's
   * suppression list (an unsubscribe or bounce may have come in since
   * the queue was read). */
  {
    gboolean suppressed = FALSE;

    if (c->email != NULL && ob_suppressions_contains (self->store, c->email, &suppressed, NULL) &&
        suppressed)
      {
        g_autoptr(GPtrArray) skips = g_ptr_array_new_with_free_func (g_free);
        Skip *skip = g_new0 (Skip, 1);

        skip->candidate = c;
        skip->reason = N_("The address or its domain is on the suppression list");
        g_ptr_array_add (skips, skip);
        if (!skip_rows (self, skips, now, &error) &&
            !g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
          g_warning ("Cannot skip message %" G_GINT64_FORMAT ": %s", c->queue_id, error->message);
        candidate_free (c);
        return error == NULL;
      }
  }

  message = ob_message_renderer_render (self->renderer, c->campaign_id, c->position,
                                        c->contact_id, account_id, &error);
  if (message == NULL)
    {
      g_autoptr(GError) record_error = NULL;
      g_auto(FollowUps) follow = { 0 }; /* none: neither an attempt nor a bounce */
      g_autofree char *detail = g_strdup_printf (_("The message could not be made: %s"),
                                                 error->message);
      OutcomeRecord r = {
        .c = c, .account_id = account_id, .o = { .event = "failed", .row_state = "failed" },
        .detail = detail, .now = now,
      };

      if (!record_outcome (self, &r, &follow, &record_error) &&
          !g_error_matches (record_error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
        g_warning ("Cannot record a failed message: %s", record_error->message);
      g_signal_emit (self, signals[OUTCOME], 0, c->queue_id, r.o.event);
      candidate_free (c);
      return record_error == NULL;
    }

  if (!mark_sending (self, c, account_id, message->message_id, now, &error))
    {
      gboolean busy = g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);

      if (busy)
        g_debug ("Not sending message %" G_GINT64_FORMAT " yet: %s", c->queue_id, error->message);
      else
        g_warning ("Not sending message %" G_GINT64_FORMAT ": %s", c->queue_id, error->message);
      ob_rendered_message_free (message);
      candidate_free (c);
      /* A row that moved on (stopped, sent elsewhere) is not picked again;
       * any other row would fail the same way if picked at once. */
      return g_error_matches (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
    }

  c->account_id = account_id;
  account_state (self, account_id)->busy = TRUE;
  self->in_flight++;

  data = g_new0 (SendData, 1);
  data->self = g_object_ref (self);
  data->candidate = c;
  data->message = message;
  ob_send_transport_send_async (self->transport, account_id, message->mail_from,
                                (const char * const *) message->recipients, message->message,
                                NULL, send_cb, data);
  return TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ObSendEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ob_clock_wait_until_finish (OB_CLOCK (object), result, &error))
    return; /* cancelled: a newer wait or a tick replaced it */

  g_clear_object (&self->wait_cancellable);
  schedule_tick (self);
}

static void
sleep_until (ObSendEngine *self,
             gint64        when)
{
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  self->wait_cancellable = g_cancellable_new ();
  ob_clock_wait_until_async (self->clock, when, self->wait_cancellable, wait_cb, g_object_ref (self));
}

/* Scheduled campaigns whose start has come begin to run; returns the
 * next start still ahead (G_MAXINT64: none), or a moment soon when the
 * database was busy with another writer. */
static gint64
promote_scheduled (ObSendEngine *self,
                   gint64        now)
{
  g_autoptr(sqlite3_stmt) due = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) next = NULL;
  g_autoptr(GError) error = NULL;

  /* Read first: an UPDATE takes the write lock even when nothing is due.
   * Then never wait for another writer (every tick, on the main thread):
   * the campaigns start at a later tick. */
  due = ob_store_prepare (self->store,
                          "SELECT 1 FROM campaigns WHERE state = 'scheduled' AND coalesce(start_at, 0) <= ?1",
                          NULL);
  if (due != NULL)
    sqlite3_bind_int64 (due, 1, now);
  if (due != NULL && sqlite3_step (due) == SQLITE_ROW)
    {
      gboolean ok = FALSE;

      g_clear_pointer (&due, sqlite3_finalize);
      if (ob_store_begin_now (self->store, &error))
        {
          stmt = ob_store_prepare (self->store,
                                   "UPDATE campaigns SET state = 'running', updated_at = ?1 "
                                   "WHERE state = 'scheduled' AND coalesce(start_at, 0) <= ?1",
                                   &error);
          if (stmt != NULL)
            {
              sqlite3_bind_int64 (stmt, 1, now);
              ok = ob_store_step_done (self->store, stmt, &error);
            }
          g_clear_pointer (&stmt, sqlite3_finalize);
          if (ok)
            ok = ob_store_commit (self->store, &error);
          else
            ob_store_rollback (self->store);
        }
      if (!ok)
        {
          if (!g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
            g_warning ("Cannot start the scheduled campaigns: %s", error->message);
          return now + OB_SEND_ENGINE_STORE_RETRY_S;
        }
    }

  next = ob_store_prepare (self->store,
                           "SELECT min(start_at) FROM campaigns WHERE state = 'scheduled'", NULL);
  if (next != NULL && sqlite3_step (next) == SQLITE_ROW && sqlite3_column_type (next, 0) != SQLITE_NULL)
    return sqlite3_column_int64 (next, 0);
  return G_MAXINT64;
}

static void
finish_run (ObSendEngine *self)
{
  GTask *task = g_steal_pointer (&self->run_task);

  self->running = FALSE;
  if (task != NULL && self->run_cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->run_cancelled_id);
  self->run_cancelled_id = 0;
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  if (self->transport != NULL)
    ob_send_transport_close (self->transport);
  if (task != NULL)
    {
      if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Starts every send that is due now; returns when the next may be. */
static gint64
send_due (ObSendEngine *self,
          gint64        now)
{
  for (;;)
    {
      gint64 account_id = 0, wake = G_MAXINT64;
      Candidate *c = pick (self, now, &account_id, &wake);

      if (c == NULL)
        return wake;
      /* The database would not take the write (another connection holds
       * it, or it fails): the row still waits; come back later rather
       * than pick it again now. */
      if (!start_send (self, c, account_id, now))
        return now + OB_SEND_ENGINE_STORE_RETRY_S;
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  ObSendEngine *self = user_data;
  gint64 now, next_wake;

  self->tick_id = 0;
  if (!self->running)
    return G_SOURCE_REMOVE;

  if (self->run_task != NULL && g_task_get_cancellable (self->run_task) != NULL &&
      g_cancellable_is_cancelled (g_task_get_cancellable (self->run_task)))
    {
      if (self->in_flight == 0)
        finish_run (self);
      return G_SOURCE_REMOVE;
    }

  now = ob_clock_now (self->clock);
  next_wake = promote_scheduled (self, now);
  /* Outcomes the database would not take before go first; while any is
   * left, nothing new is sent (its row could not be written either). */
  if (!commit_pending_outcomes (self))
    next_wake = MIN (next_wake, now + OB_SEND_ENGINE_STORE_RETRY_S);
  else
    next_wake = MIN (next_wake, send_due (self, now));

  if (next_wake <= now)
    {
      schedule_tick (self);
      return G_SOURCE_REMOVE;
    }

  if (next_wake != G_MAXINT64 && (self->until <= 0 || next_wake <= self->until))
    {
      sleep_until (self, next_wake);
      return G_SOURCE_REMOVE;
    }

  /* Nothing will fall due (or not before the end of the run). */
  if (self->in_flight == 0 && self->run_task != NULL)
    finish_run (self);
  else if (self->until > 0 && next_wake != G_MAXINT64 && self->in_flight == 0)
    finish_run (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_tick (ObSendEngine *self)
{
  if (self->tick_id != 0 || !self->running)
    return;
  self->tick_id = g_idle_add_full (G_PRIORITY_DEFAULT, tick_cb, self, NULL);
}

static void
load_paused_domains (ObSendEngine *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* A domain is paused when its latest pause is newer than its latest
   * resume. */
  stmt = ob_store_prepare (self->store,
                           "SELECT reply FROM events p WHERE kind = 'domain_paused' AND NOT EXISTS "
                           "(SELECT 1 FROM events r WHERE r.kind = 'domain_resumed' AND r.reply = p.reply "
                           " AND r.id > p.id)",
                           NULL);
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_hash_table_add (self->paused_domains, dup_column (stmt, 0));
}

static void
ob_send_engine_dispose (GObject *object)
{
  ObSendEngine *self = (ObSendEngine *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->transport);
  g_clear_object (&self->renderer);
  g_clear_object (&self->classifier);

  G_OBJECT_CLASS (ob_send_engine_parent_class)->dispose (object);
}

static void
ob_send_engine_finalize (GObject *object)
{
  ObSendEngine *self = (ObSendEngine *)object;

  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->domain_streaks, g_hash_table_unref);
  g_clear_pointer (&self->pending_outcomes, g_ptr_array_unref);
  g_clear_pointer (&self->paused_domains, g_hash_table_unref);
  g_clear_pointer (&self->zones, g_hash_table_unref);
  if (self->lock_fd >= 0)
    close (self->lock_fd); /* releases the lock */

  G_OBJECT_CLASS (ob_send_engine_parent_class)->finalize (object);
}

static void
ob_send_engine_class_init (ObSendEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ob_send_engine_dispose;
  object_class->finalize = ob_send_engine_finalize;

  /* A campaign's figures changed (ob_campaign_get_status() has them). */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* Something the user should look at: a 2 % bounce rate, a paused domain. */
  signals[WARNING] = g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* The engine paused a campaign by itself, with the reason. */
  signals[PAUSED] = g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* A queue row got an outcome: "sent", "hard_bounce", "soft_bounce"… */
  signals[OUTCOME] = g_signal_new ("outcome", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
ob_send_engine_init (ObSendEngine *self)
{
  self->lock_fd = -1;
  self->rand = g_rand_new ();
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->domain_streaks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_record_free);
  self->paused_domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_time_zone_unref);
}

ObSendEngine *
ob_send_engine_new (ObStore           *store,
                    ObClock           *clock,
                    ObSendTransport   *transport,
                    ObMessageRenderer *renderer,
                    ObReplyClassifier *classifier)
{
  ObSendEngine *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (OB_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (OB_IS_SEND_TRANSPORT (transport), NULL);
  g_return_val_if_fail (OB_IS_MESSAGE_RENDERER (renderer), NULL);
  g_return_val_if_fail (OB_IS_REPLY_CLASSIFIER (classifier), NULL);

  self = g_object_new (OB_TYPE_SEND_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->transport = g_object_ref (transport);
  self->renderer = g_object_ref (renderer);
  self->classifier = g_object_ref (classifier);
  load_paused_domains (self);

  return self;
}

/* Makes the random intervals reproducible (tests, benchmarks). */
void
ob_send_engine_set_seed (ObSendEngine *self,
                         guint32       seed)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  g_rand_set_seed (self->rand, seed);
}

static gboolean
recover_in_transaction (ObStore   *store,
                        gpointer   user_data,
                        GError   **error)
{
  guint *count = user_data;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  rows = ob_store_prepare (store,
                           "SELECT q.id, q.campaign_id, q.contact_id, s.position, q.account_id, q.updated_at "
                           "FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                           "WHERE q.state = 'sending'",
                           error);
  if (rows == NULL)
    return FALSE;
  while (sqlite3_step (rows) == SQLITE_ROW)
    {
      gint64 at = MAX (sqlite3_column_int64 (rows, 5), 0);

      if (!_ob_sending_add_event (store, at > 0 ? at : now, "uncertain",
                                  sqlite3_column_int64 (rows, 2), sqlite3_column_int64 (rows, 1),
                                  sqlite3_column_int (rows, 3), sqlite3_column_int64 (rows, 0),
                                  sqlite3_column_int64 (rows, 4), NULL,
                                  _("Outbound stopped while this message was being sent: it may "
                                    "have gone. Check the Sent folder, then choose."),
                                  NULL, error))
        return FALSE;
      (*count)++;
    }

  update = ob_store_prepare (store, "UPDATE queue SET state = 'uncertain' WHERE state = 'sending'", error);
  return update != NULL && ob_store_step_done (store, update, error);
}

/* Takes the database's sending lock: a lock file beside it, held for the
 * engine's life and let go by the system when the process dies. Two
 * engines must never share a queue: one would take the other's messages
 * in flight for a crash. */
static gboolean
acquire_lock (ObSendEngine  *self,
              GError       **error)
{
  g_autofree char *path = NULL;
  int fd;

  if (self->lock_fd >= 0)
    return TRUE;

  path = g_strconcat (ob_store_get_path (self->store), "-sending.lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Cannot create the lock file “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Another Outbound is already sending from this database; "
                     "close it or wait until it has finished"));
      return FALSE;
    }
  self->lock_fd = fd;
  return TRUE;
}

/* Call once when the engine starts, before running. It takes the
 * database's sending lock (failing with OB_SENDING_ERROR_STATE while
 * another engine, in this process or another, holds it); then rows left
 * 'sending' by a crash become 'uncertain' and are never resent without
 * the user's word (ob_campaign_resolve_uncertain()). Returns how many. */
guint
ob_send_engine_recover (ObSendEngine  *self,
                        GError       **error)
{
  guint count = 0;

  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), 0);
  g_return_val_if_fail (self->in_flight == 0, 0);

  if (!acquire_lock (self, error))
    return 0;
  if (!ob_store_transaction (self->store, recover_in_transaction, &count, error))
    return 0;
  return count;
}

static gboolean
wake_idle_cb (ObSendEngine *self)
{
  ob_send_engine_wake (self);
  return G_SOURCE_REMOVE;
}

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  ObSendEngine *self = user_data;

  /* May run in another thread: hop to the engine's context. */
  g_idle_add_full (G_PRIORITY_DEFAULT, (GSourceFunc) (GCallback) wake_idle_cb, g_object_ref (self),
                   g_object_unref);
}

/* Runs until nothing more can fall due, or — with @until > 0 — until the
 * next due moment lies after @until. Cancelling @cancellable stops after
 * the sends in flight have their outcome. */
void
ob_send_engine_run_async (ObSendEngine        *self,
                          gint64               until,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_send_engine_run_async);

  if (self->run_task != NULL || self->running)
    {
      g_task_return_new_error (task, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                               _("The send engine is already running"));
      return;
    }

  self->run_task = g_steal_pointer (&task);
  self->until = until;
  self->running = TRUE;
  if (cancellable != NULL)
    self->run_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb), self, NULL);
  schedule_tick (self);
}

gboolean
ob_send_engine_run_finish (ObSendEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Runs for as long as the app does: when nothing is due the engine sleeps
 * on the clock; call ob_send_engine_wake() after starting or resuming a
 * campaign or recording a reply. */
void
ob_send_engine_start (ObSendEngine *self)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  self->running = TRUE;
  self->until = 0;
  schedule_tick (self);
}

void
ob_send_engine_stop (ObSendEngine *self)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->run_task != NULL)
    finish_run (self);
  else if (self->running && self->transport != NULL)
    ob_send_transport_close (self->transport);
  self->running = FALSE;
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
}

/* Something changed (a campaign started, resumed, a reply arrived): look
 * at the queue again now instead of at the next planned moment. */
void
ob_send_engine_wake (ObSendEngine *self)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  schedule_tick (self);
}

gboolean
ob_send_engine_is_domain_paused (ObSendEngine *self,
                                 const char   *domain)
{
  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);

  return domain != NULL && g_hash_table_contains (self->paused_domains, domain);
}

void
ob_send_engine_resume_domain (ObSendEngine *self,
                              const char   *domain)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));
  g_return_if_fail (domain != NULL);

  if (!g_hash_table_remove (self->paused_domains, domain))
    return;
  g_hash_table_remove (self->domain_streaks, domain);
  _ob_sending_add_event (self->store, ob_clock_now (self->clock), "domain_resumed", 0, 0, 0, 0, 0,
                         domain, NULL, NULL, NULL);
  ob_send_engine_wake (self);
}

typedef struct
{
  ObSendEngine     *self;
  gint64            queue_id;
  const char       *message_id;
  ObSendBounceKind  kind;
  const char       *reply;
  const char       *reason;
  gint64            now;
  Candidate        *row;
} BounceData;

static gboolean
bounce_in_transaction (ObStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  BounceData *data = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  Candidate *c;

  stmt = ob_store_prepare (store,
                           "SELECT q.id, q.campaign_id, q.contact_id, coalesce(q.account_id, 0), "
                           "s.position, c.domain FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                           "JOIN contacts c ON c.id = q.contact_id "
                           "WHERE (?1 > 0 AND q.id = ?1) OR (?1 <= 0 AND q.message_id = ?2)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->queue_id);
  sqlite3_bind_text (stmt, 2, data->message_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                   _("No message sent by a campaign matches this bounce"));
      return FALSE;
    }
  c = data->row = g_new0 (Candidate, 1);
  c->queue_id = sqlite3_column_int64 (stmt, 0);
  c->campaign_id = sqlite3_column_int64 (stmt, 1);
  c->contact_id = sqlite3_column_int64 (stmt, 2);
  c->account_id = sqlite3_column_int64 (stmt, 3);
  c->position = sqlite3_column_int (stmt, 4);
  c->domain = dup_column (stmt, 5);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "async");
  json_builder_add_boolean_value (b, TRUE);
  if (data->reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, data->reason);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  if (data->kind == OB_SEND_BOUNCE_HARD)
    {
      const char *detail = _("A bounce came back later: the address does not exist or refuses mail");

      return _ob_sending_add_event (store, data->now, "hard_bounce", c->contact_id, c->campaign_id,
                                    c->position, c->queue_id, c->account_id, data->reply, detail,
                                    json, error) &&
             bump_contact (data->self, c->contact_id,
                           "UPDATE contacts SET bounce_count = bounce_count + 1, updated_at = ?1 "
                           "WHERE id = ?2", data->now, error) &&
             suppress (data->self, c, c->account_id, "hard-bounce", detail, data->now, error) &&
             _ob_sending_update_done (store, c->campaign_id, data->now, NULL, error);
    }

  if (!_ob_sending_add_event (store, data->now, "soft_bounce", c->contact_id, c->campaign_id,
                              c->position, c->queue_id, c->account_id, data->reply,
                              _("A delay or temporary failure came back later"), json, error) ||
      !bump_contact (data->self, c->contact_id,
                     "UPDATE contacts SET soft_bounce_count = soft_bounce_count + 1, updated_at = ?1 "
                     "WHERE id = ?2", data->now, error))
    return FALSE;

  if (soft_bounce_days (data->self, c->contact_id) >= OB_SEND_ENGINE_SOFT_STRIKES)
    {
      g_autofree char *detail = g_strdup_printf (_("Soft bounces on %d separate days: suppressed"),
                                                 OB_SEND_ENGINE_SOFT_STRIKES);
      return suppress (data->self, c, c->account_id, "soft-bounce", detail, data->now, error) &&
             _ob_sending_update_done (store, c->campaign_id, data->now, NULL, error);
    }
  return TRUE;
}

/* A bounce found later (a DSN in the mailbox) for the message of queue
 * row @queue_id, or — when that is 0 — of Message-ID @message_id. Hard
 * ones suppress the contact; soft ones count towards the three strikes.
 * Both count in the bounce-rate guard.
 *
 * Like the engine's own writes it never waits for another writer (it
 * runs on the main thread): while another connection holds the database
 * it fails at once with OB_STORE_ERROR_BUSY, nothing written, and the
 * caller tries again later (the mailbox poller reads the mail again at
 * its next pass). The bounce and all that follows from it are one
 * transaction. */
gboolean
ob_send_engine_record_bounce (ObSendEngine      *self,
                              gint64             queue_id,
                              const char        *message_id,
                              ObSendBounceKind   kind,
                              const char        *reply,
                              const char        *reason,
                              GError           **error)
{
  BounceData data = { self, queue_id, message_id, kind, reply, reason, 0, NULL };
  g_auto(FollowUps) follow = { 0 };
  gboolean ok;

  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);
  g_return_val_if_fail (queue_id > 0 || message_id != NULL, FALSE);
  g_return_val_if_fail (kind == OB_SEND_BOUNCE_HARD || kind == OB_SEND_BOUNCE_SOFT, FALSE);

  data.now = ob_clock_now (self->clock);
  if (!ob_store_begin_now (self->store, error))
    return FALSE;
  ok = bounce_in_transaction (self->store, &data, error);
  if (ok)
    {
      if (kind == OB_SEND_BOUNCE_HARD)
        note_hard_bounce (self, &follow, data.row->domain, data.row->campaign_id, data.now);
      check_guard (self, &follow, data.row->campaign_id, data.row->account_id, data.now);
      ok = ob_store_commit (self->store, error);
    }
  else
    ob_store_rollback (self->store);
  if (ok)
    {
      g_signal_emit (self, signals[PROGRESS], 0, data.row->campaign_id);
      announce (self, &follow);
      ob_send_engine_wake (self);
    }
  g_clear_pointer (&data.row, candidate_free);
  return ok;
}

static gint64
ob_send_engine_sink_record_bounce (ObBounceSink  *sink,
                                   const char    *message_id,
                                   ObBounceKind   kind,
                                   const char    *reply,
                                   const char    *reason,
                                   GError       **error)
{
  ObSendEngine *self = OB_SEND_ENGINE (sink);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!ob_send_engine_record_bounce (self, 0, message_id,
                                     kind == OB_BOUNCE_KIND_HARD ? OB_SEND_BOUNCE_HARD : OB_SEND_BOUNCE_SOFT,
                                     reply, reason, error))
    return 0;

  stmt = ob_store_prepare (self->store,
                           "SELECT max(e.id) FROM events e JOIN queue q ON q.id = e.queue_id "
                           "WHERE q.message_id = ?1 AND e.kind IN ('hard_bounce', 'soft_bounce')",
                           error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ob_store_set_error (self->store, error);
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static void
ob_send_engine_sink_init (ObBounceSinkInterface *iface)
{
  iface->record_bounce = ob_send_engine_sink_record_bounce;
}
