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
