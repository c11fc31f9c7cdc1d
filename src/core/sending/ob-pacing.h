/* ob-pacing.h — how fast an account may send
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mirrors the pacing columns of the campaigns table. */
typedef struct
{
  int      daily_cap;         /* per account and rolling 24 hours; 0: the account's daily limit */
  int      interval_min_s;    /* random pause between two sends of one account */
  int      interval_max_s;
  int      domain_hourly_cap; /* per recipient domain, rolling hour */
  int      company_daily_cap; /* per company domain, rolling 24 hours */
  gboolean warmup;
  int      warmup_start;      /* sends on the first day of a new mailbox */
  int      warmup_growth_pct; /* growth per day */
} ObPacing;

typedef struct
{
  const char *id;      /* "careful", "normal", "custom" */
  const char *name;    /* translatable, N_() */
  const char *summary; /* translatable, N_() */
  ObPacing    pacing;
} ObPacingPreset;

const ObPacingPreset *ob_pacing_get_presets      (guint          *n_presets);
const ObPacingPreset *ob_pacing_find_preset      (const char     *id);
gboolean              ob_pacing_is_valid         (const ObPacing *pacing);
int                   ob_pacing_warmup_cap       (const ObPacing *pacing,
                                                  int             day);
int                   ob_pacing_effective_cap    (const ObPacing *pacing,
                                                  int             account_limit,
                                                  gint64          warmup_start_at,
                                                  gint64          now);
int                   ob_pacing_draw_interval    (const ObPacing *pacing,
                                                  GRand          *rand);
gboolean              ob_pacing_is_free_provider (const char     *domain);

G_END_DECLS
