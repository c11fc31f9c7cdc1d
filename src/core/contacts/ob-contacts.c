/* ob-contacts.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include "ob-contacts.h"

G_DEFINE_QUARK (ob-contacts-error-quark, ob_contacts_error)
