/* ob-import-private.h — the records an import reads, whatever the file
 * format, before they become contacts.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OB_FIELD_EMAIL,
  OB_FIELD_NAME,
  OB_FIELD_FIRST_NAME,
  OB_FIELD_LAST_NAME,
  OB_FIELD_COMPANY,
  OB_FIELD_TITLE,
  OB_FIELD_PHONE,
  OB_FIELD_WEBSITE,
  OB_FIELD_COUNTRY,
  OB_FIELD_SOURCE,
  OB_FIELD_NOTES,
  OB_FIELD_TAGS,
  OB_FIELD_TIMEZONE,
  OB_N_FIELDS,
  OB_FIELD_CUSTOM = -1,
  OB_FIELD_IGNORE = -2,  /* a column left out, as OB_IMPORT_COLUMN_IGNORE */
} ObField;

typedef struct
{
  guint      line;
  char      *values[OB_N_FIELDS];
  GPtrArray *custom; /* name, value, name, value… (owned strings) */
} ObImportRecord;

void            _ob_import_record_free   (ObImportRecord *record);
ObImportRecord *_ob_import_record_new    (guint           line);
void            _ob_import_record_set    (ObImportRecord *record,
                                          ObField         field,
                                          const char     *value);
void            _ob_import_record_take   (ObImportRecord *record,
                                          ObField         field,
                                          char           *value);

ObField         _ob_field_from_header    (const char     *header);
ObField         _ob_field_from_headers   (GPtrArray      *headers,
                                          guint           column);

/* A column of a CSV file, named by its header cell. */
typedef struct
{
  ObField  field;
  char    *header;
} ObImportColumn;

/* The record of one CSV row: @fields by @columns, values beyond them and
 * in custom columns as custom fields ("Column 7" when @headerless).
 * @steal: takes the strings of @fields instead of copying them. */
ObImportRecord *_ob_import_record_from_fields (const ObImportColumn *columns,
                                               guint                 n_columns,
                                               gboolean              headerless,
                                               GPtrArray            *fields,
                                               gboolean              steal,
                                               guint                 line);

/* vCard 2.1/3.0/4.0: one record per card, its EMAILs joined by ", ". */
gboolean        _ob_vcard_looks_like     (const char     *text,
                                          gsize           len);
GPtrArray      *_ob_vcard_parse          (const char     *text,
                                          gsize           len,
                                          GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImportRecord, _ob_import_record_free)

G_END_DECLS
