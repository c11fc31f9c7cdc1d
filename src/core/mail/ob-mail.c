/* ob-mail.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include "ob-mail.h"

G_DEFINE_QUARK (ob-mail-error-quark, ob_mail_error)
