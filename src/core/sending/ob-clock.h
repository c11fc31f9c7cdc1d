/* ob-clock.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OB_TYPE_CLOCK (ob_clock_get_type ())

G_DECLARE_INTERFACE (ObClock, ob_clock, OB, CLOCK, GObject)

/* Where the send engine gets its time from: the wall clock, or a virtual
 * one that jumps straight to the next wake-up so days pass in milliseconds. */
struct _ObClockInterface
{
  GTypeInterface parent_iface;

  gint64   (*now)             (ObClock              *self);
  void     (*wait_until_async)(ObClock              *self,
                               gint64                when,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean (*wait_until_finish)(ObClock             *self,
                                GAsyncResult        *result,
                                GError             **error);
};

gint64     ob_clock_now               (ObClock              *self);
GDateTime *ob_clock_now_utc           (ObClock              *self);
void       ob_clock_wait_until_async  (ObClock              *self,
                                       gint64                when,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean   ob_clock_wait_until_finish (ObClock              *self,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
