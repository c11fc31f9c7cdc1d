/* ob-csv-private.h — text decoding and CSV/TSV reading and writing inside
 * core/contacts.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_CSV_MAX_COLUMNS 1000
#define OB_CSV_MAX_FIELD   (1024 * 1024)

/* Decodes a whole file to UTF-8 (without BOM): UTF-8, UTF-8 with BOM,
 * UTF-16LE/BE (with BOM, or recognisably without), GB18030/GBK. Binary
 * files, NUL bytes and broken UTF-8 are errors naming the line. */
char *_ob_text_decode (const char  *data,
                       gsize        len,
                       const char **encoding,
                       GError     **error);

typedef struct _ObCsvReader ObCsvReader;

ObCsvReader *_ob_csv_reader_new           (const char   *text,
                                           gsize         len,
                                           char          delimiter);
void         _ob_csv_reader_free          (ObCsvReader  *reader);
char         _ob_csv_reader_get_delimiter (ObCsvReader  *reader);
gsize        _ob_csv_reader_get_offset    (ObCsvReader  *reader);
gboolean     _ob_csv_reader_next          (ObCsvReader  *reader,
                                           GPtrArray   **fields,
                                           guint        *line,
                                           GError      **error);

void         _ob_csv_append_row           (GString            *out,
                                           const char * const *fields,
                                           guint               n_fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObCsvReader, _ob_csv_reader_free)

G_END_DECLS
