/* ob-address.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-address"

#include "config.h"

#include "ob-address.h"

G_DEFINE_QUARK (ob-address-error-quark, ob_address_error)
