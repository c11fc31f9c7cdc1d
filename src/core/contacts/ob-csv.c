/* ob-csv.c — text decoding and CSV as spreadsheets read and write it
 * (RFC 4180, plus what Excel, WPS and Google Sheets really produce).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-contacts.h"
#include "ob-csv-private.h"

/* The line (1-based) that byte @offset of @data is on; CR, LF and CRLF
 * each end a line. */
static guint
line_at (const char *data,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
      else if (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n'))
        line++;
    }
  return line;
}

/* For UTF-16 the line is counted in code units. */
static guint
line_at_utf16 (const char *data,
               gsize       offset,
               gboolean    little_endian)
{
  guint line = 1;

  for (gsize i = 0; i + 1 < offset; i += 2)
    {
      guint16 u = little_endian ? (guint8) data[i] | ((guint8) data[i + 1] << 8)
                                : ((guint8) data[i] << 8) | (guint8) data[i + 1];
      if (u == '\n')
        line++;
    }
  return line;
}

static const char *
binary_kind (const char *data,
             gsize       len)
{
  if (len >= 4 && memcmp (data, "PK\x03\x04", 4) == 0)
    return _("This is an Excel workbook (.xlsx) or another zip file, not a CSV file. "
             "In Excel or WPS choose “Save as” → “CSV UTF-8” and import that file.");
  if (len >= 4 && memcmp (data, "\xD0\xCF\x11\xE0", 4) == 0)
    return _("This is an old Excel workbook (.xls), not a CSV file. "
             "In Excel or WPS choose “Save as” → “CSV UTF-8” and import that file.");
  if (len >= 4 && memcmp (data, "%PDF", 4) == 0)
    return _("This is a PDF document, not a CSV file or vCard.");
  return NULL;
}

/* Without a BOM: a run of ASCII text in UTF-16 has every other byte 0. */
static int
guess_utf16 (const char *data,
             gsize       len)
{
  gsize n = MIN (len, 512) & ~(gsize) 1;
  guint zero_even = 0, zero_odd = 0;

  if (n < 8)
    return 0;
  for (gsize i = 0; i < n; i += 2)
    {
      zero_even += data[i] == 0;
      zero_odd += data[i + 1] == 0;
    }
  if (zero_odd > n / 2 * 8 / 10 && zero_even == 0)
    return 1;  /* little endian */
  if (zero_even > n / 2 * 8 / 10 && zero_odd == 0)
    return 2;  /* big endian */
  return 0;
}

static char *
decode_utf16 (const char  *data,
              gsize        len,
              gboolean     little_endian,
              GError     **error)
{
  g_autoptr(GError) local = NULL;
  gsize read = 0;
  char *out;

  out = g_convert (data, len, "UTF-8", little_endian ? "UTF-16LE" : "UTF-16BE", &read, NULL, &local);
  if (out == NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING,
                   _("Line %u is not valid UTF-16 text; the file may be damaged. Save it again as “CSV UTF-8” and import that."),
                   line_at_utf16 (data, read, little_endian));
      return NULL;
    }
  if (memchr (out, '\0', strlen (out)) != NULL || strlen (out) == 0)
    {
      g_free (out);
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING,
                   _("The file holds no text."));
      return NULL;
    }
  return out;
}

/* Counts well-formed multi-byte UTF-8 sequences and bytes that are not,
 * and where the first bad byte is. */
static void
scan_utf8 (const char *data,
           gsize       len,
           guint      *good,
           guint      *bad,
           gsize      *first_bad)
{
  const char *p = data;
  const char *end = data + len;

  *good = *bad = 0;
  *first_bad = len;
  while (p < end)
    {
      const char *stop = NULL;

      if (g_utf8_validate (p, end - p, &stop))
        stop = end;
      for (const char *q = p; q < stop; q++)
        if ((guchar) *q >= 0xC0)
          (*good)++;
      if (stop >= end)
        break;
      if (*stop == '\0')
        {
          p = stop + 1;
          continue;
        }
      if (*first_bad == len)
        *first_bad = stop - data;
      (*bad)++;
      p = stop + 1;
    }
}

char *
_ob_text_decode (const char  *data,
                 gsize        len,
                 const char **encoding,
                 GError     **error)
{
  const char *kind;
  const char *nul;
  guint good, bad, controls = 0;
  gsize first_bad;
  int utf16;

  if (len == 0)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE, _("The file is empty."));
      return NULL;
    }

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
      *encoding = "UTF-8";
      if (memchr (data, '\0', len) != NULL)
        goto check_nul;
      if (!g_utf8_validate (data, len, NULL))
        goto check_utf8;
      return g_strndup (data, len);
    }
  if (len >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
    {
      *encoding = "UTF-16LE";
      return decode_utf16 (data + 2, len - 2, TRUE, error);
    }
  if (len >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
    {
      *encoding = "UTF-16BE";
      return decode_utf16 (data + 2, len - 2, FALSE, error);
    }

  if ((kind = binary_kind (data, len)) != NULL)
    {
      g_set_error_literal (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING, kind);
      return NULL;
    }

  if ((utf16 = guess_utf16 (data, len)) != 0)
    {
      *encoding = utf16 == 1 ? "UTF-16LE" : "UTF-16BE";
      return decode_utf16 (data, len, utf16 == 1, error);
    }

  /* Control characters other than tab, CR, LF, FF and ^Z: a binary file. */
  for (gsize i = 0; i < MIN (len, 65536); i++)
    {
      guchar c = data[i];
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != 0x1A) || c == 0x7F)
        controls++;
    }
  if (controls > MIN (len, 65536) / 20 + 2)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING,
                   _("This is not a text file (it looks like a program, picture or archive). "
                     "Import a CSV file or a vCard."));
      return NULL;
    }

check_nul:
  if ((nul = memchr (data, '\0', len)) != NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING,
                   _("Line %u contains a NUL byte: the file is damaged or not a text file. "
                     "Open it in a spreadsheet and save it again as “CSV UTF-8”."),
                   line_at (data, nul - data));
      return NULL;
    }

  if (g_utf8_validate (data, len, NULL))
    {
      *encoding = "UTF-8";
      return g_strndup (data, len);
    }

check_utf8:
  scan_utf8 (data, len, &good, &bad, &first_bad);
  /* A UTF-8 file with a few broken bytes is damaged UTF-8, not GBK:
   * GBK text is mostly byte pairs that UTF-8 cannot read. */
  if (good > 0 && bad <= MAX (2, good / 20) && first_bad < len)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING,
                   _("Line %u is not valid UTF-8 (byte 0x%02X); the file is damaged. "
                     "Fix that line or save the file again as “CSV UTF-8”."),
                   line_at (data, first_bad), (guchar) data[first_bad]);
      return NULL;
    }

  {
    g_autoptr(GError) local = NULL;
    gsize read = 0;
    char *out = g_convert (data, len, "UTF-8", "GB18030", &read, NULL, &local);

    if (out == NULL)
      {
        g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_ENCODING,
                     _("Line %u is neither UTF-8 nor GBK/GB18030 text; the file is damaged. "
                       "Save it again as “CSV UTF-8” and import that."),
                     line_at (data, MIN (read, first_bad)));
        return NULL;
      }
    *encoding = "GB18030";
    return out;
  }
}

struct _ObCsvReader
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       line;
  char        delimiter;
  guint       n_fields;  /* of the last record: room for the next one */
  GString    *field;     /* kept from one record to the next */
};

static gboolean
read_record (ObCsvReader  *r,
             GPtrArray   **fields_out,
             guint        *line_out,
             GError      **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  GString *field;
  const char *unquoted = NULL;  /* an unquoted field, read where it is */
  gsize unquoted_len = 0;
  guint start_line = r->line;
  gboolean quoted = FALSE;
  gboolean was_quoted = FALSE;

  if (r->pos >= r->len)
    {
      *fields_out = NULL;
      return TRUE;
    }
  if (r->field == NULL)
    r->field = g_string_new (NULL);
  field = r->field;
  g_string_truncate (field, 0);
  fields = g_ptr_array_new_full (r->n_fields, g_free);

  while (TRUE)
    {
      char c = r->pos < r->len ? r->text[r->pos] : '\0';
      gboolean at_end = r->pos >= r->len;

      if (quoted)
        {
          if (at_end)
            {
              g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                           _("Line %u: a quoted field is never closed (a \" is missing)."), start_line);
              return FALSE;
            }
          r->pos++;
          if (c == '"')
            {
              if (r->pos < r->len && r->text[r->pos] == '"')
                {
                  g_string_append_c (field, '"');
                  r->pos++;
                }
              else
                quoted = FALSE;
            }
          else
            {
              if (c == '\n' || (c == '\r' && !(r->pos < r->len && r->text[r->pos] == '\n')))
                r->line++;
              g_string_append_c (field, c);
            }
        }
      else if (at_end || c == r->delimiter || c == '\n' || c == '\r')
        {
          if (fields->len >= OB_CSV_MAX_COLUMNS)
            {
              g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                           _("Line %u has more than %u columns; this is not a contact list."),
                           start_line, OB_CSV_MAX_COLUMNS);
              return FALSE;
            }
          /* Spaces around a quoted field ("a", "b") are not data. */
          if (was_quoted)
            g_strchomp (field->str);
          if (unquoted != NULL)
            g_ptr_array_add (fields, g_strndup (unquoted, unquoted_len));
          else
            g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          unquoted = NULL;
          was_quoted = FALSE;
          if (at_end)
            break;
          r->pos++;
          if (c == '\r' || c == '\n')
            {
              if (c == '\r' && r->pos < r->len && r->text[r->pos] == '\n')
                r->pos++;
              r->line++;
              break;
            }
        }
      else if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = TRUE;
          was_quoted = TRUE;
          r->pos++;
        }
      else if (field->len == 0 && !was_quoted)
        {
          /* An unquoted field (most are): the bytes up to the delimiter or
           * the line's end, copied once from the text when the field ends
           * (where the loop goes next) rather than one at a time. */
          const char *start = r->text + r->pos;
          const char *p = start;
          const char *end = r->text + r->len;
          char delimiter = r->delimiter;

          while (p < end && *p != delimiter && *p != '\n' && *p != '\r')
            p++;
          if ((gsize) (p - start) > OB_CSV_MAX_FIELD)
            {
              r->pos += OB_CSV_MAX_FIELD + 1;
              g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                           _("Line %u has a field longer than 1 MB; this is not a contact list."),
                           start_line);
              return FALSE;
            }
          unquoted = start;
          unquoted_len = p - start;
          r->pos += p - start;
          continue;
        }
      else if (c == '"' && was_quoted)
        {
          /* "ab"c — a stray quote after a closed field: keep it literally. */
          g_string_append_c (field, c);
          r->pos++;
        }
      else
        {
          if (was_quoted && (c == ' ' || c == '\t'))
            {
              r->pos++;
              continue;
            }
          g_string_append_c (field, c);
          r->pos++;
        }

      if (field->len > OB_CSV_MAX_FIELD)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                       _("Line %u has a field longer than 1 MB; this is not a contact list."),
                       start_line);
          return FALSE;
        }
    }

  *line_out = start_line;
  r->n_fields = fields->len;
  *fields_out = g_steal_pointer (&fields);
  return TRUE;
}

/* Picks the delimiter that splits the first lines into the same number
 * of fields most often, preferring more fields. */
static char
sniff_delimiter (const char *text,
                 gsize       len)
{
  const char candidates[] = { ',', ';', '\t', '|' };
  char best = ',';
  guint best_score = 0, best_fields = 1;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      ObCsvReader r = { text, MIN (len, 64 * 1024), 0, 1, candidates[c] };
      guint counts[20];
      guint n = 0, score = 0;

      while (n < G_N_ELEMENTS (counts))
        {
          g_autoptr(GPtrArray) fields = NULL;
          guint line;

          if (!read_record (&r, &fields, &line, NULL) || fields == NULL)
            break;
          if (fields->len == 1 && ((char *) fields->pdata[0])[0] == '\0')
            continue;
          counts[n++] = fields->len;
        }
      if (r.field != NULL)
        g_string_free (r.field, TRUE);
      if (n == 0 || counts[0] < 2)
        continue;
      for (guint i = 0; i < n; i++)
        if (counts[i] == counts[0])
          score++;
      if (score > best_score || (score == best_score && counts[0] > best_fields))
        {
          best = candidates[c];
          best_score = score;
          best_fields = counts[0];
        }
    }

  return best;
}

/* @delimiter 0: sniffed from the first lines. @text must outlive the reader. */
ObCsvReader *
_ob_csv_reader_new (const char *text,
                    gsize       len,
                    char        delimiter)
{
  ObCsvReader *r = g_new0 (ObCsvReader, 1);

  r->text = text;
  r->len = len;
  r->line = 1;

  /* Excel's hint line: "sep=;" names the delimiter and is not data. */
  if (len >= 5 && g_ascii_strncasecmp (text, "sep=", 4) == 0 &&
      (len == 5 || text[5] == '\r' || text[5] == '\n'))
    {
      if (delimiter == 0)
        delimiter = text[4];
      r->pos = 5;
      if (r->pos < len && text[r->pos] == '\r')
        r->pos++;
      if (r->pos < len && text[r->pos] == '\n')
        r->pos++;
      r->line = 2;
    }

  r->delimiter = delimiter ? delimiter : sniff_delimiter (text + r->pos, len - r->pos);
  return r;
}

void
_ob_csv_reader_free (ObCsvReader *reader)
{
  if (reader->field != NULL)
    g_string_free (reader->field, TRUE);
  g_free (reader);
}

char
_ob_csv_reader_get_delimiter (ObCsvReader *reader)
{
  return reader->delimiter;
}

gsize
_ob_csv_reader_get_offset (ObCsvReader *reader)
{
  return reader->pos;
}

/* The next record that is not blank. *fields is NULL at the end. */
gboolean
_ob_csv_reader_next (ObCsvReader  *reader,
                     GPtrArray   **fields,
                     guint        *line,
                     GError      **error)
{
  while (TRUE)
    {
      if (!read_record (reader, fields, line, error))
        return FALSE;
      if (*fields == NULL)
        return TRUE;
      if ((*fields)->len > 1 || ((char *) (*fields)->pdata[0])[0] != '\0')
        return TRUE;
      g_clear_pointer (fields, g_ptr_array_unref);
    }
}

/* "=cmd|…", "@SUM(…)", "+x" — but not a phone number like "+49 30 1234". */
static gboolean
looks_like_formula (const char *f)
{
  if (f[0] == '=' || f[0] == '@')
    return TRUE;
  if (f[0] != '+' && f[0] != '-')
    return FALSE;
  for (const char *p = f + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr (" ()-./", *p) == NULL)
      return TRUE;
  return FALSE;
}

/* Appends one CRLF-terminated row; a field is quoted when it holds a
 * delimiter, quote, CR or LF, or starts with a character a spreadsheet would
 * take for a formula (=, +, -, @), which also gets a leading apostrophe. */
void
_ob_csv_append_row (GString            *out,
                    const char * const *fields,
                    guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *f = fields[i] ? fields[i] : "";
      gboolean formula = looks_like_formula (f);
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
