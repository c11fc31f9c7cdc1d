/* ob-sending.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-sending.h"

G_DEFINE_QUARK (ob-sending-error-quark, ob_sending_error)
