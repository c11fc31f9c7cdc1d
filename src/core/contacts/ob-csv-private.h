/* ob-csv-private.h — CSV/TSV reading and writing inside core/contacts.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void _ob_csv_append_row (GString            *out,
                         const char * const *fields,
                         guint               n_fields);

G_END_DECLS
