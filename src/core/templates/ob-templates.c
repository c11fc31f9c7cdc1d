/* ob-templates.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-templates"

#include "config.h"

#include "ob-templates.h"

G_DEFINE_QUARK (ob-templates-error-quark, ob_template_error)
