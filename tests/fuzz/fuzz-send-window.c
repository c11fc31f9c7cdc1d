/* fuzz-send-window.c — a sending window typed by the user ("Tue-Thu
 * 09:00-11:30") is parsed or refused with an error, never crashes; what
 * parses is a valid window that prints and parses back to itself, and the
 * next allowed moment it gives is inside it.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ob-schedule.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  ObSendWindow window;

  ob_send_window_init_default (&window);
  if (!ob_send_window_parse (text, &window, &error))
    {
      g_assert_nonnull (error);
      return 0;
    }

  g_assert_true (ob_send_window_is_valid (&window));
  {
    g_autofree char *printed = ob_send_window_to_string (&window);
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Asia/Tokyo");
    ObSendWindow again = window;
    gint64 at = 1803859200 + (gint64) (size * 7919) % (14 * 86400);
    gint64 next;

    g_assert_true (ob_send_window_parse (printed, &again, NULL));
    g_assert_cmpint (memcmp (&again, &window, sizeof window), ==, 0);

    next = ob_schedule_next_allowed (&window, zone, "JP", at);
    g_assert_cmpint (next, >=, at);
    g_assert_true (ob_schedule_is_allowed (&window, zone, "JP", next));
  }

  return 0;
}
