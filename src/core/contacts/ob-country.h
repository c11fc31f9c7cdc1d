/* ob-country.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *ob_country_from_text     (const char *text);
const char *ob_country_from_domain   (const char *ascii_domain);
const char *ob_country_get_timezone  (const char *code);
const char *ob_country_get_name      (const char *code);

G_END_DECLS
