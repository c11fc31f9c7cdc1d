/* ob-real-clock.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-clock.h"

G_BEGIN_DECLS

#define OB_TYPE_REAL_CLOCK (ob_real_clock_get_type ())

G_DECLARE_FINAL_TYPE (ObRealClock, ob_real_clock, OB, REAL_CLOCK, GObject)

ObClock *ob_real_clock_new (void);

G_END_DECLS
