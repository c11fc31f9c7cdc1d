/* ob-csv.c — CSV as spreadsheets read and write it (RFC 4180).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <string.h>

#include "ob-csv-private.h"

/* Appends one CRLF-terminated row; a field is quoted when it holds a
 * comma, quote, CR or LF, or starts with a character a spreadsheet would
 * take for a formula (=, +, -, @), which also gets a leading apostrophe. */
void
_ob_csv_append_row (GString            *out,
                    const char * const *fields,
                    guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *f = fields[i] ? fields[i] : "";
      gboolean formula = strchr ("=+-@", f[0]) != NULL && f[0] != '\0';
      gboolean quote = formula || strpbrk (f, ",\"\r\n;\t") != NULL;

      if (i > 0)
        g_string_append_c (out, ',');
      if (quote)
        g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (const char *p = f; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      if (quote)
        g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}
