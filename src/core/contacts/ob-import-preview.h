/* ob-import-preview.h — what the import dialog needs before the
 * core importer runs: a preview of the file with the detected column
 * mapping, and the file rewritten under the mapping the user chose.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Column targets beyond ObField (ob-import-private.h): OB_FIELD_CUSTOM is
 * -1; a column can also be left out. */
#define OB_IMPORT_COLUMN_IGNORE (-2)

typedef struct
{
  char      *format;      /* "csv" or "vcard" */
  char      *encoding;
  char       delimiter;
  gboolean   headerless;  /* the first row is data: no column titles */
  guint      n_columns;
  GPtrArray *headers;     /* n_columns titles (or "Column N") */
  int       *fields;      /* n_columns detected targets */
  GPtrArray *rows;        /* GStrv of n_columns cells, the first rows */
} ObImportPreview;

ObImportPreview *ob_import_preview_read          (GFile                  *file,
                                                  guint                   max_rows,
                                                  GCancellable           *cancellable,
                                                  GError                **error);
void             ob_import_preview_free          (ObImportPreview        *preview);
gboolean         ob_import_preview_is_detected   (const ObImportPreview  *preview,
                                                  const int              *fields);
GFile           *ob_import_preview_write_mapped  (GFile                  *file,
                                                  const ObImportPreview  *preview,
                                                  const int              *fields,
                                                  GCancellable           *cancellable,
                                                  GError                **error);
GFile           *ob_import_preview_write_line    (GFile                  *file,
                                                  guint                   line,
                                                  GError                **error);
const char      *ob_import_field_title           (int                     field);
const int       *ob_import_field_choices         (guint                  *n_choices);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImportPreview, ob_import_preview_free)

G_END_DECLS
