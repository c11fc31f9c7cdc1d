/* ob-address-private.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* All take a lower-cased ASCII (A-label) domain. */
gboolean  _ob_address_is_disposable     (const char *ascii_domain);
gboolean  _ob_address_is_role           (const char *local);
gboolean  _ob_address_is_free_provider  (const char *ascii_domain);
gboolean  _ob_address_is_reserved       (const char *ascii_domain);
gboolean  _ob_address_is_known_suffix   (const char *suffix);
const char *_ob_address_public_suffix   (const char *ascii_domain);
char     *_ob_address_suggest_domain    (const char *ascii_domain);
guint     _ob_address_distance          (const char *a,
                                         const char *b);
const char * const *_ob_address_providers (void);
/* ob_address_normalize() without its shortcut for clean ASCII. */
char     *_ob_address_normalize_general (const char *input);
/* g_utf8_strdown (@text, -1), quicker for ASCII. */
char     *_ob_address_strdown           (const char *text);

G_END_DECLS
