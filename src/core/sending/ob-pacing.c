/* ob-pacing.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ob-pacing.h"

/* "Normal" is the schema's defaults; "Custom" starts from them and is what
 * the user edits. "Careful" is for a mailbox with no sending history. */
static const ObPacingPreset presets[] = {
  { "careful", N_("New mailbox (careful)"),
    N_("Starts at 10 a day and grows 15 percent a day up to 50, 2–5 minutes apart"),
    { 50, 120, 300, 2, 2, TRUE, 10, 15 } },
  { "normal", N_("Normal"),
    N_("Up to the account’s daily limit, 1–3 minutes apart"),
    { 0, 60, 180, 5, 3, FALSE, 20, 20 } },
  { "custom", N_("Custom"),
    N_("Your own limits"),
    { 0, 60, 180, 5, 3, FALSE, 20, 20 } },
};

/* Free mail providers: the "company domain" cap means nothing there. */
static const char * const free_providers[] = {
  "126.com", "139.com", "163.com", "aol.com", "foxmail.com", "gmail.com", "gmx.de",
  "gmx.net", "googlemail.com", "hotmail.com", "icloud.com", "live.com", "mail.ru",
  "me.com", "msn.com", "naver.com", "outlook.com", "proton.me", "protonmail.com",
  "qq.com", "rediffmail.com", "sina.com", "web.de", "yahoo.co.jp", "yahoo.com",
  "yandex.ru", "yeah.net", "zoho.com",
};

const ObPacingPreset *
ob_pacing_get_presets (guint *n_presets)
{
  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

const ObPacingPreset *
ob_pacing_find_preset (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_strcmp0 (presets[i].id, id) == 0)
      return &presets[i];
  return NULL;
}

gboolean
ob_pacing_is_valid (const ObPacing *pacing)
{
  return pacing != NULL &&
         pacing->daily_cap >= 0 &&
         pacing->interval_min_s >= 0 &&
         pacing->interval_min_s <= pacing->interval_max_s &&
         pacing->domain_hourly_cap > 0 &&
         pacing->company_daily_cap > 0 &&
         (!pacing->warmup || (pacing->warmup_start > 0 && pacing->warmup_growth_pct >= 0));
}

/* Sends allowed on day @day (0 = the first) of a warm-up, before the cap. */
int
ob_pacing_warmup_cap (const ObPacing *pacing,
                      int             day)
{
  double value;

  g_return_val_if_fail (pacing != NULL, 0);

  if (day < 0)
    day = 0;
  value = pacing->warmup_start * pow (1.0 + pacing->warmup_growth_pct / 100.0, day);
  return value >= G_MAXINT ? G_MAXINT : (int) floor (value);
}

/* The cap of one account for the rolling 24 hours ending at @now: the
 * campaign's cap or else the account's limit, and during a warm-up no more
 * than the ramp allows for the day (counted from @warmup_start_at). */
int
ob_pacing_effective_cap (const ObPacing *pacing,
                         int             account_limit,
                         gint64          warmup_start_at,
                         gint64          now)
{
  int cap;

  g_return_val_if_fail (pacing != NULL, 0);

  cap = pacing->daily_cap > 0 ? pacing->daily_cap : account_limit;
  if (account_limit > 0)
    cap = MIN (cap, account_limit);
  if (pacing->warmup && warmup_start_at > 0)
    {
      gint64 day = now >= warmup_start_at ? (now - warmup_start_at) / 86400 : 0;
      cap = MIN (cap, ob_pacing_warmup_cap (pacing, (int) MIN (day, 10000)));
    }
  return MAX (cap, 0);
}

/* A pause, in seconds, uniformly drawn from the pacing's interval. */
int
ob_pacing_draw_interval (const ObPacing *pacing,
                         GRand          *rand)
{
  g_return_val_if_fail (pacing != NULL, 0);
  g_return_val_if_fail (rand != NULL, 0);

  if (pacing->interval_max_s <= pacing->interval_min_s)
    return pacing->interval_min_s;
  return g_rand_int_range (rand, pacing->interval_min_s, pacing->interval_max_s + 1);
}

gboolean
ob_pacing_is_free_provider (const char *domain)
{
  if (domain == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (free_providers); i++)
    if (g_ascii_strcasecmp (domain, free_providers[i]) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  gint64 day;   /* days since the start */
  guint  count;
} Batch;

/* When a campaign would finish at this pacing, for the review step: the
 * end of the window (as UTC) of the last day with a send; -1 when it
 * never would. A model, not the engine: recipients are taken to be in
 * one time zone (UTC), nobody bounces or replies, holidays and domain
 * caps are left out. Per account and day it sends the warm-up or daily
 * cap, or what the window holds at the average interval, whichever is
 * less; follow-ups of step N become due their delay after step N went. */
gint64
ob_pacing_estimate_finish (const ObPacing     *pacing,
                           const ObSendWindow *window,
                           guint               n_accounts,
                           int                 account_limit,
                           gint64              warmup_start_at,
                           guint               n_contacts,
                           const int          *followup_delays,
                           guint               n_followups,
                           gint64              start_at)
{
  g_autoptr(GArray) pools = NULL;
  gint64 day0 = start_at - start_at % 86400;
  gint64 last_day = -1;
  double interval;
  int per_window;

  g_return_val_if_fail (ob_pacing_is_valid (pacing), -1);
  g_return_val_if_fail (ob_send_window_is_valid (window), -1);
  g_return_val_if_fail (n_followups == 0 || followup_delays != NULL, -1);

  if (n_contacts == 0)
    return start_at;
  if (n_accounts == 0)
    return -1;

  interval = (pacing->interval_min_s + pacing->interval_max_s) / 2.0;
  per_window = interval > 0 ? (int) ((window->end_min - window->start_min) * 60 / interval) + 1 : G_MAXINT;

  /* One pool of batches per step, oldest first. */
  pools = g_array_new (FALSE, TRUE, sizeof (GArray *));
  for (guint s = 0; s <= n_followups; s++)
    {
      GArray *pool = g_array_new (FALSE, FALSE, sizeof (Batch));
      g_array_append_val (pools, pool);
    }
  {
    Batch first = { 0, n_contacts };
    g_array_append_val (g_array_index (pools, GArray *, 0), first);
  }

  for (gint64 d = 0; d < 3 * 366; d++)
    {
      gint64 day_start = day0 + d * 86400;
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day_start);
      int weekday = g_date_time_get_day_of_week (dt);
      gint64 capacity = 0;
      gboolean left = FALSE;

      if (day_start + window->end_min * 60 > start_at && (window->days & (1u << (weekday - 1))))
        for (guint a = 0; a < n_accounts; a++)
          capacity += MIN (ob_pacing_effective_cap (pacing, account_limit,
                                                    warmup_start_at > 0 ? warmup_start_at : start_at,
                                                    day_start + window->start_min * 60),
                           per_window);

      /* The engine sends what fell due first, whatever its step. */
      while (capacity > 0)
        {
          GArray *best_pool = NULL;
          Batch *best = NULL;
          guint best_step = 0;

          for (guint s = 0; s <= n_followups; s++)
            {
              GArray *pool = g_array_index (pools, GArray *, s);
              if (pool->len > 0 && g_array_index (pool, Batch, 0).day <= d &&
                  (best == NULL || g_array_index (pool, Batch, 0).day < best->day))
                {
                  best_pool = pool;
                  best = &g_array_index (pool, Batch, 0);
                  best_step = s;
                }
            }
          if (best == NULL)
            break;
          {
            guint n = (guint) MIN ((gint64) best->count, capacity);

            capacity -= n;
            best->count -= n;
            last_day = d;
            if (best_step < n_followups)
              {
                Batch next = { d + MAX (followup_delays[best_step], 1), n };
                GArray *next_pool = g_array_index (pools, GArray *, best_step + 1);

                /* Keep the pool in due order: merge into its last batch. */
                if (next_pool->len > 0 && g_array_index (next_pool, Batch, next_pool->len - 1).day == next.day)
                  g_array_index (next_pool, Batch, next_pool->len - 1).count += n;
                else
                  g_array_append_val (next_pool, next);
              }
            if (best->count == 0)
              g_array_remove_index (best_pool, 0);
          }
        }

      for (guint s = 0; s <= n_followups; s++)
        if (g_array_index (pools, GArray *, s)->len > 0)
          left = TRUE;
      if (!left)
        break;
      if (d == 3 * 366 - 1)
        last_day = -1;
    }

  for (guint s = 0; s <= n_followups; s++)
    g_array_unref (g_array_index (pools, GArray *, s));

  if (last_day < 0)
    return -1;
  return day0 + last_day * 86400 + window->end_min * 60;
}
