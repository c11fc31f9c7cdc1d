/* ob-import-preview.c — the import dialog's preview of a file and the
 * rewriting of its header row under a mapping chosen by hand.
 *
 * The core importer maps columns from their titles. To import with another
 * mapping, the file is rewritten as UTF-8 CSV whose title row names the
 * chosen fields (left-out columns dropped), and that copy is imported. Rows
 * keep their line numbers, so the report still points into the user's file.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ob-csv-private.h"
#include "ob-import-preview.h"
#include "ob-import-private.h"

G_STATIC_ASSERT (OB_IMPORT_COLUMN_IGNORE == OB_FIELD_IGNORE);

typedef struct
{
  int         field;
  const char *title;    /* shown in the dropdown */
  const char *header;   /* written in the title row; maps back to field */
} FieldInfo;

static const FieldInfo fields_info[] = {
  { OB_FIELD_EMAIL, N_("Email"), "Email" },
  { OB_FIELD_NAME, N_("Name"), "Name" },
  { OB_FIELD_FIRST_NAME, N_("First name"), "First name" },
  { OB_FIELD_LAST_NAME, N_("Last name"), "Last name" },
  { OB_FIELD_COMPANY, N_("Company"), "Company" },
  { OB_FIELD_COUNTRY, N_("Country"), "Country" },
  { OB_FIELD_TITLE, N_("Job title"), "Title" },
  { OB_FIELD_PHONE, N_("Phone"), "Phone" },
  { OB_FIELD_WEBSITE, N_("Website"), "Website" },
  { OB_FIELD_SOURCE, N_("Source"), "Source" },
  { OB_FIELD_NOTES, N_("Notes"), "Notes" },
  { OB_FIELD_TAGS, N_("Tags"), "Tags" },
  { OB_FIELD_TIMEZONE, N_("Time zone"), "Timezone" },
  { OB_FIELD_CUSTOM, N_("Custom field"), NULL },
  { OB_IMPORT_COLUMN_IGNORE, N_("Ignore"), NULL },
};

const char *
ob_import_field_title (int field)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields_info); i++)
    if (fields_info[i].field == field)
      return _(fields_info[i].title);
  return "";
}

const int *
ob_import_field_choices (guint *n_choices)
{
  static int choices[G_N_ELEMENTS (fields_info)];

  for (guint i = 0; i < G_N_ELEMENTS (fields_info); i++)
    choices[i] = fields_info[i].field;
  *n_choices = G_N_ELEMENTS (fields_info);
  return choices;
}

static const char *
field_header (int field)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields_info); i++)
    if (fields_info[i].field == field)
      return fields_info[i].header;
  return NULL;
}

void
ob_import_preview_free (ObImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->format);
  g_free (preview->encoding);
  g_clear_pointer (&preview->headers, g_ptr_array_unref);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview->fields);
  g_free (preview);
}

static char *
load_text (GFile         *file,
           const char   **encoding,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *data = NULL;
  g_autofree char *where = g_file_get_parse_name (file);
  g_autoptr(GError) local = NULL;
  char *text;
  gsize len;

  if (!g_file_load_contents (file, cancellable, &data, &len, NULL, &local))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Cannot read “%s”: "), where);
      return NULL;
    }
  text = _ob_text_decode (data, len, encoding, &local);
  if (text == NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", where);
  return text;
}

static gboolean
looks_like_address (const char *cell)
{
  return strchr (cell, '@') != NULL || strstr (cell, "＠") != NULL;
}

/* Reads the whole file (so a broken file is refused here, before anything
 * is imported) and keeps its first @max_rows rows. */
ObImportPreview *
ob_import_preview_read (GFile         *file,
                        guint          max_rows,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(ObImportPreview) p = g_new0 (ObImportPreview, 1);
  g_autofree char *text = NULL;
  g_autofree char *where = g_file_get_parse_name (file);
  const char *encoding = NULL;
  gsize len;

  text = load_text (file, &encoding, cancellable, error);
  if (text == NULL)
    return NULL;
  len = strlen (text);
  p->encoding = g_strdup (encoding);
  p->headers = g_ptr_array_new_with_free_func (g_free);
  p->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (_ob_vcard_looks_like (text, len))
    {
      static const int vcard_fields[] = { OB_FIELD_EMAIL, OB_FIELD_NAME, OB_FIELD_COMPANY, OB_FIELD_TITLE,
                                          OB_FIELD_PHONE, OB_FIELD_COUNTRY };
      g_autoptr(GPtrArray) records = _ob_vcard_parse (text, len, error);

      if (records == NULL)
        {
          g_prefix_error (error, "%s: ", where);
          return NULL;
        }
      p->format = g_strdup ("vcard");
      p->n_columns = G_N_ELEMENTS (vcard_fields);
      p->fields = g_new0 (int, p->n_columns);
      for (guint c = 0; c < p->n_columns; c++)
        {
          p->fields[c] = vcard_fields[c];
          g_ptr_array_add (p->headers, g_strdup (ob_import_field_title (vcard_fields[c])));
        }
      for (guint i = 0; i < records->len && i < max_rows; i++)
        {
          ObImportRecord *r = g_ptr_array_index (records, i);
          char **row = g_new0 (char *, p->n_columns + 1);

          for (guint c = 0; c < p->n_columns; c++)
            row[c] = g_strdup (r->values[vcard_fields[c]] ? r->values[vcard_fields[c]] : "");
          g_ptr_array_add (p->rows, row);
        }
      return g_steal_pointer (&p);
    }

  {
    g_autoptr(ObCsvReader) reader = _ob_csv_reader_new (text, len, 0);
    g_autoptr(GPtrArray) header = NULL;
    gboolean any_known = FALSE;
    guint line;

    p->format = g_strdup ("csv");
    if (!_ob_csv_reader_next (reader, &header, &line, error))
      {
        g_prefix_error (error, "%s: ", where);
        return NULL;
      }
    if (header == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("%s: the file is empty; there are no contacts to import"), where);
        return NULL;
      }
    p->delimiter = _ob_csv_reader_get_delimiter (reader);
    p->n_columns = header->len;
    p->fields = g_new0 (int, p->n_columns);
    for (guint c = 0; c < p->n_columns; c++)
      {
        p->fields[c] = _ob_field_from_headers (header, c);
        any_known |= p->fields[c] != OB_FIELD_CUSTOM;
      }
    /* As the importer does: no known title but an address in the first
     * row means the file has no title row. */
    if (!any_known)
      for (guint c = 0; c < p->n_columns; c++)
        if (looks_like_address (g_ptr_array_index (header, c)))
          {
            p->headerless = TRUE;
            break;
          }
    for (guint c = 0; c < p->n_columns; c++)
      {
        if (p->headerless)
          {
            p->fields[c] = looks_like_address (g_ptr_array_index (header, c)) ? OB_FIELD_EMAIL : OB_FIELD_CUSTOM;
            g_ptr_array_add (p->headers, g_strdup_printf (_("Column %u"), c + 1));
          }
        else
          g_ptr_array_add (p->headers, g_strdup (g_ptr_array_index (header, c)));
      }
    if (p->headerless)
      {
        char **row = g_new0 (char *, p->n_columns + 1);

        for (guint c = 0; c < p->n_columns; c++)
          row[c] = g_strdup (g_ptr_array_index (header, c));
        g_ptr_array_add (p->rows, row);
      }

    for (;;)
      {
        g_autoptr(GPtrArray) fields = NULL;

        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return NULL;
        if (!_ob_csv_reader_next (reader, &fields, &line, error))
          {
            g_prefix_error (error, "%s: ", where);
            return NULL;
          }
        if (fields == NULL)
          break;
        if (p->rows->len < max_rows)
          {
            char **row = g_new0 (char *, p->n_columns + 1);

            for (guint c = 0; c < p->n_columns; c++)
              row[c] = g_strdup (c < fields->len ? (const char *) g_ptr_array_index (fields, c) : "");
            g_ptr_array_add (p->rows, row);
          }
      }
  }
  return g_steal_pointer (&p);
}

/* TRUE when @fields is what the importer would pick by itself, so the file
 * can be imported as it is. */
gboolean
ob_import_preview_is_detected (const ObImportPreview *preview,
                               const int             *fields)
{
  if (g_strcmp0 (preview->format, "vcard") == 0)
    return TRUE;
  if (preview->headerless)
    return FALSE;
  for (guint c = 0; c < preview->n_columns; c++)
    if (fields[c] != preview->fields[c])
      return FALSE;
  return TRUE;
}

static void
append_cell (GString    *out,
             const char *cell)
{
  gboolean quote = strpbrk (cell, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  for (const char *p = cell; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

/* A custom column keeps its title unless the importer would read that title
 * as a known field. */
static char *
custom_header (const char *title,
               guint       column)
{
  if (title != NULL && *title != '\0' && _ob_field_from_header (title) == OB_FIELD_CUSTOM)
    return g_strdup (title);
  return g_strdup_printf (_("Custom %u"), column + 1);
}

static GFile *
write_temp (GString  *out,
            GError  **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("outbound-import-XXXXXX.csv", &path, error);

  if (fd < 0)
    return NULL;
  close (fd);
  if (!g_file_set_contents (path, out->str, out->len, error))
    {
      g_unlink (path);
      return NULL;
    }
  return g_file_new_for_path (path);
}

/* Rewrites @file under @fields. A file without a title row gets one; its
 * line numbers are then one more than the user's (the caller subtracts). */
GFile *
ob_import_preview_write_mapped (GFile                  *file,
                                const ObImportPreview  *preview,
                                const int              *fields,
                                GCancellable           *cancellable,
                                GError                **error)
{
  g_autofree char *text = NULL;
  g_autofree char *where = g_file_get_parse_name (file);
  g_autoptr(ObCsvReader) reader = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean first = TRUE, any = FALSE;
  const char *encoding;
  guint line;

  for (guint c = 0; c < preview->n_columns; c++)
    any |= fields[c] == OB_FIELD_EMAIL;
  if (!any)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("No column is set to Email; choose the column that holds the addresses"));
      return NULL;
    }

  text = load_text (file, &encoding, cancellable, error);
  if (text == NULL)
    return NULL;
  reader = _ob_csv_reader_new (text, strlen (text), preview->delimiter);

  /* The title row. */
  for (guint c = 0, n = 0; c < preview->n_columns; c++)
    {
      g_autofree char *title = NULL;

      if (fields[c] == OB_IMPORT_COLUMN_IGNORE)
        continue;
      if (fields[c] == OB_FIELD_CUSTOM)
        title = custom_header (g_ptr_array_index (preview->headers, c), c);
      else
        title = g_strdup (field_header (fields[c]));
      if (n++ > 0)
        g_string_append_c (out, ',');
      append_cell (out, title);
    }
  g_string_append (out, "\r\n");

  for (;;)
    {
      g_autoptr(GPtrArray) cells = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!_ob_csv_reader_next (reader, &cells, &line, error))
        {
          g_prefix_error (error, "%s: ", where);
          return NULL;
        }
      if (cells == NULL)
        break;
      if (first && !preview->headerless)
        {
          first = FALSE;
          continue;
        }
      first = FALSE;
      for (guint c = 0, n = 0; c < preview->n_columns; c++)
        {
          if (fields[c] == OB_IMPORT_COLUMN_IGNORE)
            continue;
          if (n++ > 0)
            g_string_append_c (out, ',');
          append_cell (out, c < cells->len ? g_ptr_array_index (cells, c) : "");
        }
      g_string_append (out, "\r\n");
    }
  return write_temp (out, error);
}

/* A copy of @file (the file that was imported) with its title row and the
 * one record that starts on @line, to import that record again. */
GFile *
ob_import_preview_write_line (GFile   *file,
                              guint    line,
                              GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(ObCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *encoding;
  guint at;

  text = load_text (file, &encoding, NULL, error);
  if (text == NULL)
    return NULL;
  reader = _ob_csv_reader_new (text, strlen (text), 0);
  if (!_ob_csv_reader_next (reader, &header, &at, error) || header == NULL)
    return NULL;
  for (guint c = 0; c < header->len; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_cell (out, g_ptr_array_index (header, c));
    }
  g_string_append (out, "\r\n");
  for (;;)
    {
      g_autoptr(GPtrArray) cells = NULL;

      if (!_ob_csv_reader_next (reader, &cells, &at, error))
        return NULL;
      if (cells == NULL)
        break;
      if (at != line)
        continue;
      for (guint c = 0; c < cells->len; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          append_cell (out, g_ptr_array_index (cells, c));
        }
      g_string_append (out, "\r\n");
      return write_temp (out, error);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("Line %u is no longer in the file"), line);
  return NULL;
}
