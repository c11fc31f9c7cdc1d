/* ob-dns-private.h — helpers shared inside core/dns.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets @error to OB_DNS_ERROR_RECORD_SYNTAX with the formatted message,
 * unless it already holds an error (the first problem found is the one
 * reported). Returns FALSE, so a parser can `return _ob_dns_syntax_error
 * (…)`. Used by the DKIM key, tag list and DMARC record parsers. */
gboolean _ob_dns_syntax_error (GError     **error,
                               const char  *format,
                               ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
