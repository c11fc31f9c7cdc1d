/* ob-clock.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-clock.h"

G_DEFINE_INTERFACE (ObClock, ob_clock, G_TYPE_OBJECT)

static void
ob_clock_default_init (ObClockInterface *iface)
{
}

/* Unix seconds, UTC. */
gint64
ob_clock_now (ObClock *self)
{
  g_return_val_if_fail (OB_IS_CLOCK (self), 0);

  return OB_CLOCK_GET_IFACE (self)->now (self);
}

GDateTime *
ob_clock_now_utc (ObClock *self)
{
  g_return_val_if_fail (OB_IS_CLOCK (self), NULL);

  return g_date_time_new_from_unix_utc (ob_clock_now (self));
}

/* Completes once the clock reads @when (Unix seconds) or later, or with
 * G_IO_ERROR_CANCELLED when @cancellable fires first. */
void
ob_clock_wait_until_async (ObClock             *self,
                           gint64               when,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (OB_IS_CLOCK (self));

  OB_CLOCK_GET_IFACE (self)->wait_until_async (self, when, cancellable, callback, user_data);
}

gboolean
ob_clock_wait_until_finish (ObClock       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (OB_IS_CLOCK (self), FALSE);

  return OB_CLOCK_GET_IFACE (self)->wait_until_finish (self, result, error);
}
