/* ob-dns.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns"

#include "config.h"

#include "ob-dns.h"

G_DEFINE_QUARK (ob-dns-error-quark, ob_dns_error)
