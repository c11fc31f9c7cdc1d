/* ob-virtual-clock.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-clock.h"

G_BEGIN_DECLS

#define OB_TYPE_VIRTUAL_CLOCK (ob_virtual_clock_get_type ())

G_DECLARE_FINAL_TYPE (ObVirtualClock, ob_virtual_clock, OB, VIRTUAL_CLOCK, GObject)

ObClock *ob_virtual_clock_new      (gint64          start);
void     ob_virtual_clock_advance  (ObVirtualClock *self,
                                    gint64          seconds);
guint    ob_virtual_clock_get_jumps (ObVirtualClock *self);

G_END_DECLS
