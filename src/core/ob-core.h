/* ob-core.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void         ob_core_init        (void);
const char  *ob_core_get_version (void);
const char  *ob_core_get_localedir (void);

G_END_DECLS
