/* ob-merge.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A merge field as written in a template part: {{name}} or {{name|fallback}}.
 * start/end are Unicode code point offsets into the part (end exclusive),
 * byte_start/byte_end the same range in bytes. */
typedef struct
{
  char  *name;       /* lower-cased, trimmed */
  char  *fallback;   /* NULL when the field has none; may be "" */
  gsize  start;
  gsize  end;
  gsize  byte_start;
  gsize  byte_end;
} ObMergeField;

/* A malformed field: an unclosed {{, an empty or invalid name, single
 * braces around a known field name… message is translated. */
typedef struct
{
  gsize  start;
  gsize  end;
  char  *text;      /* the offending source text */
  char  *message;
  char  *fix;
} ObMergeProblem;

typedef enum
{
  OB_MERGE_MODE_TEXT,   /* plain text body: values as they are (control characters dropped) */
  OB_MERGE_MODE_HTML,   /* HTML body: values HTML-escaped, line breaks as <br> */
  OB_MERGE_MODE_HEADER, /* a header: CR, LF and other control characters become spaces */
} ObMergeMode;

#define OB_TYPE_MERGE_FIELD (ob_merge_field_get_type ())
#define OB_TYPE_MERGE_PROBLEM (ob_merge_problem_get_type ())

GType           ob_merge_field_get_type     (void) G_GNUC_CONST;
ObMergeField   *ob_merge_field_copy         (const ObMergeField *field);
void            ob_merge_field_free         (ObMergeField       *field);
GType           ob_merge_problem_get_type   (void) G_GNUC_CONST;
ObMergeProblem *ob_merge_problem_copy       (const ObMergeProblem *problem);
void            ob_merge_problem_free       (ObMergeProblem     *problem);

GPtrArray      *ob_merge_parse              (const char         *text,
                                             GPtrArray         **problems);
const char * const *ob_merge_standard_fields (void);
gboolean        ob_merge_is_standard_field  (const char         *name);
gboolean        ob_merge_is_account_field   (const char         *name);
gboolean        ob_merge_is_valid_name      (const char         *name);
char           *ob_merge_render             (const char         *text,
                                             GHashTable         *values,
                                             ObMergeMode         mode,
                                             GPtrArray          *missing);
char           *ob_merge_clean_value        (const char         *value,
                                             ObMergeMode         mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObMergeField, ob_merge_field_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObMergeProblem, ob_merge_problem_free)

G_END_DECLS
