/* ob-vcard.c — vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350), as phones,
 * Outlook and Google Contacts export them.
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
#include "ob-import-private.h"

#define MAX_PROPERTIES 2000

gboolean
_ob_vcard_looks_like (const char *text,
                      gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (text[i]))
    i++;
  return len - i >= 11 && g_ascii_strncasecmp (text + i, "BEGIN:VCARD", 11) == 0;
}

/* Physical lines joined into logical ones (RFC 6350 3.2 folding), each
 * with the number of the line it starts on. */
typedef struct
{
  char  *text;
  guint  line;
} Logical;

static void
logical_free (gpointer data)
{
  Logical *l = data;

  g_free (l->text);
  g_free (l);
}

static GPtrArray *
unfold (const char *text,
        gsize       len)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (logical_free);
  Logical *current = NULL;
  GString *buf = NULL;
  gboolean qp_soft = FALSE;
  guint line = 1;
  gsize i = 0;

  while (i < len)
    {
      gsize start = i;
      gsize end;

      while (i < len && text[i] != '\r' && text[i] != '\n')
        i++;
      end = i;
      if (i < len && text[i] == '\r')
        {
          i++;
          if (i < len && text[i] == '\n')
            i++;
        }
      else if (i < len && text[i] == '\n')
        i++;

      if (current != NULL && (qp_soft || (end > start && (text[start] == ' ' || text[start] == '\t'))))
        {
          /* A continuation: folded (drop one space) or a quoted-printable
           * soft break ("=" at the end of the previous line). */
          if (!qp_soft)
            start++;
          g_string_append_len (buf, text + start, end - start);
        }
      else
        {
          if (current != NULL)
            {
              current->text = g_string_free (buf, FALSE);
              g_ptr_array_add (lines, current);
            }
          current = g_new0 (Logical, 1);
          current->line = line;
          buf = g_string_new_len (text + start, end - start);
        }

      qp_soft = buf->len > 0 && buf->str[buf->len - 1] == '=' &&
                strstr (buf->str, "QUOTED-PRINTABLE") != NULL;
      if (qp_soft)
        g_string_truncate (buf, buf->len - 1);
      line++;
    }
  if (current != NULL)
    {
      current->text = g_string_free (buf, FALSE);
      g_ptr_array_add (lines, current);
    }
  return lines;
}

static char *
decode_qp (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Splits a value at unescaped @sep and unescapes each part. */
static GStrv
split_value (const char *value,
             char        sep)
{
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_autoptr(GString) cur = g_string_new (NULL);

  for (const char *p = value; ; p++)
    {
      if (*p == '\0' || *p == sep)
        {
          g_strv_builder_add (parts, cur->str);
          g_string_truncate (cur, 0);
          if (*p == '\0')
            break;
        }
      else if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (cur, (*p == 'n' || *p == 'N') ? '\n' : *p);
        }
      else
        g_string_append_c (cur, *p);
    }
  return g_strv_builder_end (parts);
}

static char *
unescape (const char *value)
{
  g_auto(GStrv) parts = split_value (value, '\0');

  return g_strdup (parts[0]);
}

static void
add_custom (ObImportRecord *record,
            const char     *name,
            const char     *value)
{
  g_ptr_array_add (record->custom, g_strdup (name));
  g_ptr_array_add (record->custom, g_strdup (value));
}

GPtrArray *
_ob_vcard_parse (const char  *text,
                 gsize        len,
                 GError     **error)
{
  g_autoptr(GPtrArray) lines = unfold (text, len);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) _ob_import_record_free);
  g_autoptr(ObImportRecord) card = NULL;
  guint properties = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      Logical *l = g_ptr_array_index (lines, i);
      g_autofree char *name = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *params = NULL;
      const char *colon;
      const char *semi;
      const char *dot;
      char *value;

      g_strstrip (l->text);
      if (*l->text == '\0')
        continue;

      if (g_ascii_strcasecmp (l->text, "BEGIN:VCARD") == 0)
        {
          if (card != NULL)
            {
              g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                           _("Line %u: a vCard starts before the one on line %u has ended (END:VCARD is missing)."),
                           l->line, card->line);
              return NULL;
            }
          card = _ob_import_record_new (l->line);
          properties = 0;
          continue;
        }
      if (g_ascii_strcasecmp (l->text, "END:VCARD") == 0)
        {
          if (card == NULL)
            {
              g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                           _("Line %u: END:VCARD without a BEGIN:VCARD."), l->line);
              return NULL;
            }
          g_ptr_array_add (records, g_steal_pointer (&card));
          continue;
        }
      if (card == NULL)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                       _("Line %u is outside any vCard (BEGIN:VCARD … END:VCARD)."), l->line);
          return NULL;
        }
      if (++properties > MAX_PROPERTIES)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                       _("The vCard on line %u has more than %u lines; this is not a contact."),
                       card->line, MAX_PROPERTIES);
          return NULL;
        }

      /* Parameters may quote a colon: TYPE="a:b". */
      colon = NULL;
      {
        gboolean in_quote = FALSE;
        for (const char *p = l->text; *p != '\0'; p++)
          {
            if (*p == '"')
              in_quote = !in_quote;
            else if (*p == ':' && !in_quote)
              {
                colon = p;
                break;
              }
          }
      }
      if (colon == NULL)
        continue;  /* Not a property; vCard readers skip such lines. */

      name = g_ascii_strup (l->text, colon - l->text);
      semi = strchr (name, ';');
      if (semi != NULL)
        {
          params = g_strdup (semi);
          name[semi - name] = '\0';
        }
      dot = strrchr (name, '.');  /* "ITEM1.EMAIL" */
      if (dot != NULL)
        memmove (name, dot + 1, strlen (dot + 1) + 1);

      raw = g_strdup (colon + 1);
      if (params != NULL && strstr (params, "QUOTED-PRINTABLE") != NULL)
        {
          char *decoded = decode_qp (raw);
          g_free (raw);
          raw = decoded;
          if (!g_utf8_validate (raw, -1, NULL))
            {
              char *fixed = g_utf8_make_valid (raw, -1);
              g_free (raw);
              raw = fixed;
            }
        }

      if (g_str_equal (name, "EMAIL"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_EMAIL, value);
          g_free (value);
        }
      else if (g_str_equal (name, "FN"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_NAME, value);
          g_free (value);
        }
      else if (g_str_equal (name, "N"))
        {
          g_auto(GStrv) parts = split_value (raw, ';');

          _ob_import_record_set (card, OB_FIELD_LAST_NAME, parts[0]);
          if (parts[0] != NULL && parts[1] != NULL)
            _ob_import_record_set (card, OB_FIELD_FIRST_NAME, parts[1]);
        }
      else if (g_str_equal (name, "ORG"))
        {
          g_auto(GStrv) parts = split_value (raw, ';');
          _ob_import_record_set (card, OB_FIELD_COMPANY, parts[0]);
        }
      else if (g_str_equal (name, "TITLE"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_TITLE, value);
          g_free (value);
        }
      else if (g_str_equal (name, "TEL"))
        {
          value = unescape (raw);
          if (g_str_has_prefix (value, "tel:"))
            _ob_import_record_set (card, OB_FIELD_PHONE, value + 4);
          else
            _ob_import_record_set (card, OB_FIELD_PHONE, value);
          g_free (value);
        }
      else if (g_str_equal (name, "URL"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_WEBSITE, value);
          g_free (value);
        }
      else if (g_str_equal (name, "NOTE"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_NOTES, value);
          g_free (value);
        }
      else if (g_str_equal (name, "ADR"))
        {
          /* PO box; extended; street; locality; region; postal code; country */
          g_auto(GStrv) parts = split_value (raw, ';');

          if (g_strv_length (parts) >= 7)
            _ob_import_record_set (card, OB_FIELD_COUNTRY, parts[6]);
          if (g_strv_length (parts) >= 4 && *parts[3] != '\0')
            add_custom (card, "City", parts[3]);
        }
      else if (g_str_equal (name, "CATEGORIES"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_TAGS, value);
          g_free (value);
        }
      else if (g_str_equal (name, "TZ"))
        {
          value = unescape (raw);
          _ob_import_record_set (card, OB_FIELD_TIMEZONE, value);
          g_free (value);
        }
    }

  if (card != NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                   _("The vCard starting on line %u never ends (END:VCARD is missing)."), card->line);
      return NULL;
    }
  if (records->len == 0)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE, _("The file holds no vCard."));
      return NULL;
    }
  return g_steal_pointer (&records);
}
