/* fuzz-contacts-file.c — the text decoder, the CSV reader and the vCard
 * parser on hostile input.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ob-csv-private.h"
#include "ob-import-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
read_csv (const char *text,
          gsize       len,
          char        delimiter)
{
  g_autoptr(ObCsvReader) reader = _ob_csv_reader_new (text, len, delimiter);
  guint last_line = 0;

  for (guint n = 0; n < 100000; n++)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) error = NULL;
      guint line = 0;

      if (!_ob_csv_reader_next (reader, &fields, &line, &error))
        {
          /* Errors name a line. */
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, "Line "));
          return;
        }
      if (fields == NULL)
        return;
      g_assert_cmpuint (fields->len, >=, 1);
      g_assert_cmpuint (fields->len, <=, OB_CSV_MAX_COLUMNS);
      g_assert_cmpuint (line, >, last_line);
      last_line = line;
      for (guint i = 0; i < fields->len; i++)
        g_assert_true (g_utf8_validate (g_ptr_array_index (fields, i), -1, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *encoding = NULL;
  gsize len;

  text = _ob_text_decode ((const char *) data, size, &encoding, &error);
  if (text == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  len = strlen (text);
  g_assert_true (g_utf8_validate (text, len, NULL));

  read_csv (text, len, 0);
  read_csv (text, len, ';');

  {
    g_autoptr(GError) verror = NULL;
    g_autoptr(GPtrArray) cards = _ob_vcard_parse (text, len, &verror);

    g_assert_true ((cards == NULL) != (verror == NULL));
    for (guint i = 0; cards != NULL && i < cards->len; i++)
      {
        ObImportRecord *r = g_ptr_array_index (cards, i);
        g_assert_cmpuint (r->line, >=, 1);
      }
  }
  return 0;
}
