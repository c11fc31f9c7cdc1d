/* ob-reports.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-reports"

#include "config.h"

#include "ob-reports.h"

G_DEFINE_QUARK (ob-reports-error-quark, ob_reports_error)
