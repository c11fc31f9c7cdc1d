/* ob-schedule.h — sending windows in the recipient's local time
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Days and hours a campaign may send, in each recipient's local time.
 * Mirrors campaigns.window_days (bit 0 = Monday), window_start_min and
 * window_end_min (minutes after local midnight, end exclusive). */
typedef struct
{
  guint    days;
  int      start_min;
  int      end_min;
  gboolean skip_holidays;
} ObSendWindow;

#define OB_SEND_WINDOW_DEFAULT_DAYS  0x0e /* Tue, Wed, Thu; see the note below */
#define OB_SEND_WINDOW_DEFAULT_START (9 * 60)
#define OB_SEND_WINDOW_DEFAULT_END   (11 * 60 + 30)

void        ob_send_window_init_default         (ObSendWindow       *window);
gboolean    ob_send_window_parse                (const char         *text,
                                                 ObSendWindow       *window,
                                                 GError            **error);
char       *ob_send_window_to_string            (const ObSendWindow *window);
gboolean    ob_send_window_is_valid             (const ObSendWindow *window);

const char *ob_schedule_default_zone_for_country (const char        *country);
GTimeZone  *ob_schedule_zone_for                (const char         *zone_id,
                                                 const char         *country);
const char *ob_schedule_holiday                 (const char         *country,
                                                 int                 year,
                                                 int                 month,
                                                 int                 day);
gint64      ob_schedule_next_allowed            (const ObSendWindow *window,
                                                 GTimeZone          *zone,
                                                 const char         *country,
                                                 gint64              at);
gboolean    ob_schedule_is_allowed              (const ObSendWindow *window,
                                                 GTimeZone          *zone,
                                                 const char         *country,
                                                 gint64              at);

G_END_DECLS
