/* fuzz-merge.c — the merge-field parser and renderer.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-merge.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *raw = g_strndup ((const char *) data, size);
  g_autofree char *text = g_utf8_make_valid (raw, -1);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) fields = ob_merge_parse (text, &problems);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  glong chars = g_utf8_strlen (text, -1);
  gsize last_end = 0;
  const ObMergeMode modes[] = { OB_MERGE_MODE_TEXT, OB_MERGE_MODE_HTML, OB_MERGE_MODE_HEADER };

  for (guint i = 0; i < fields->len; i++)
    {
      ObMergeField *f = g_ptr_array_index (fields, i);

      g_assert_cmpuint (f->start, <, f->end);
      g_assert_cmpuint (f->end, <=, (gsize) chars);
      g_assert_cmpuint (f->byte_end, <=, strlen (text));
      g_assert_cmpuint (f->start, >=, last_end);
      g_assert_true (ob_merge_is_valid_name (f->name));
      g_assert_true (text[f->byte_start] == '{' && text[f->byte_end - 1] == '}');
      /* the code point range and the byte range agree */
      g_assert_cmpint (g_utf8_pointer_to_offset (text, text + f->byte_start), ==, (glong) f->start);
      last_end = f->end;
    }
  for (guint i = 0; i < problems->len; i++)
    {
      ObMergeProblem *p = g_ptr_array_index (problems, i);
      g_assert_cmpuint (p->start, <=, p->end);
      g_assert_cmpuint (p->end, <=, (gsize) chars);
    }

  g_hash_table_insert (values, (gpointer) "first_name", (gpointer) "A\r\nB: <c>&");
  g_hash_table_insert (values, (gpointer) "company", (gpointer) text);
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autofree char *out = ob_merge_render (text, values, modes[m], NULL);

      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
  {
    g_autofree char *header = ob_merge_clean_value (text, OB_MERGE_MODE_HEADER);
    g_autofree char *html = ob_merge_clean_value (text, OB_MERGE_MODE_HTML);
    g_assert_null (strchr (header, '\r'));
    g_assert_null (strchr (header, '\n'));
    /* the only markup is the <br> the HTML mode writes for a line break */
    g_auto(GStrv) pieces = g_strsplit (html, "<br>", -1);
    g_autofree char *joined = g_strjoinv ("", pieces);
    g_assert_null (strchr (joined, '<'));
  }
  return 0;
}
