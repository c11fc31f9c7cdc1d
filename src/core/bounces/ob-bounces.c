/* ob-bounces.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include "ob-bounces.h"

G_DEFINE_QUARK (ob-bounces-error-quark, ob_bounce_error)
