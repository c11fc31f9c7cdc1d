/* ob-import-record.c — import records and the header names they map from.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-import-private.h"

typedef struct
{
  const char *header; /* normalised: lower case, no spaces or punctuation */
  ObField     field;
} HeaderName;

/* Column titles as Excel, WPS, CRMs and trade-fair exports name them, in
 * English and Chinese (plus a few of the markets' own). */
static const HeaderName header_names[] = {
  { "email", OB_FIELD_EMAIL }, { "emailaddress", OB_FIELD_EMAIL }, { "mail", OB_FIELD_EMAIL },
  { "emails", OB_FIELD_EMAIL }, { "mailaddress", OB_FIELD_EMAIL }, { "emailaddresses", OB_FIELD_EMAIL },
  { "workemail", OB_FIELD_EMAIL }, { "businessemail", OB_FIELD_EMAIL }, { "contactemail", OB_FIELD_EMAIL },
  { "邮箱", OB_FIELD_EMAIL }, { "电子邮件", OB_FIELD_EMAIL }, { "邮件地址", OB_FIELD_EMAIL },
  { "电子邮箱", OB_FIELD_EMAIL }, { "邮箱地址", OB_FIELD_EMAIL }, { "email地址", OB_FIELD_EMAIL },
  { "电子邮件地址", OB_FIELD_EMAIL }, { "邮件", OB_FIELD_EMAIL }, { "correo", OB_FIELD_EMAIL },
  { "correoelectronico", OB_FIELD_EMAIL }, { "courriel", OB_FIELD_EMAIL }, { "emailadresse", OB_FIELD_EMAIL },

  { "name", OB_FIELD_NAME }, { "fullname", OB_FIELD_NAME }, { "contact", OB_FIELD_NAME },
  { "contactname", OB_FIELD_NAME }, { "contactperson", OB_FIELD_NAME }, { "displayname", OB_FIELD_NAME },
  { "姓名", OB_FIELD_NAME }, { "名字", OB_FIELD_NAME }, { "联系人", OB_FIELD_NAME },
  { "联系人姓名", OB_FIELD_NAME }, { "客户姓名", OB_FIELD_NAME }, { "nombre", OB_FIELD_NAME },

  { "firstname", OB_FIELD_FIRST_NAME }, { "givenname", OB_FIELD_FIRST_NAME }, { "first", OB_FIELD_FIRST_NAME },
  { "名", OB_FIELD_FIRST_NAME }, { "vorname", OB_FIELD_FIRST_NAME }, { "prenom", OB_FIELD_FIRST_NAME },
  { "lastname", OB_FIELD_LAST_NAME }, { "surname", OB_FIELD_LAST_NAME }, { "familyname", OB_FIELD_LAST_NAME },
  { "last", OB_FIELD_LAST_NAME }, { "姓", OB_FIELD_LAST_NAME }, { "nachname", OB_FIELD_LAST_NAME },
  { "nom", OB_FIELD_LAST_NAME }, { "apellido", OB_FIELD_LAST_NAME },

  { "company", OB_FIELD_COMPANY }, { "companyname", OB_FIELD_COMPANY }, { "organization", OB_FIELD_COMPANY },
  { "organisation", OB_FIELD_COMPANY }, { "org", OB_FIELD_COMPANY }, { "account", OB_FIELD_COMPANY },
  { "accountname", OB_FIELD_COMPANY }, { "business", OB_FIELD_COMPANY }, { "firma", OB_FIELD_COMPANY },
  { "empresa", OB_FIELD_COMPANY }, { "公司", OB_FIELD_COMPANY }, { "公司名称", OB_FIELD_COMPANY },
  { "公司名", OB_FIELD_COMPANY }, { "单位", OB_FIELD_COMPANY }, { "企业名称", OB_FIELD_COMPANY },
  { "客户名称", OB_FIELD_COMPANY },

  { "title", OB_FIELD_TITLE }, { "jobtitle", OB_FIELD_TITLE }, { "position", OB_FIELD_TITLE },
  { "role", OB_FIELD_TITLE }, { "职位", OB_FIELD_TITLE }, { "职务", OB_FIELD_TITLE }, { "头衔", OB_FIELD_TITLE },

  { "phone", OB_FIELD_PHONE }, { "telephone", OB_FIELD_PHONE }, { "tel", OB_FIELD_PHONE },
  { "mobile", OB_FIELD_PHONE }, { "phonenumber", OB_FIELD_PHONE }, { "mobilephone", OB_FIELD_PHONE },
  { "cell", OB_FIELD_PHONE }, { "whatsapp", OB_FIELD_PHONE }, { "电话", OB_FIELD_PHONE },
  { "手机", OB_FIELD_PHONE }, { "联系电话", OB_FIELD_PHONE }, { "手机号", OB_FIELD_PHONE },
  { "电话号码", OB_FIELD_PHONE }, { "手机号码", OB_FIELD_PHONE }, { "telefon", OB_FIELD_PHONE },
  { "telefono", OB_FIELD_PHONE },

  { "website", OB_FIELD_WEBSITE }, { "web", OB_FIELD_WEBSITE }, { "url", OB_FIELD_WEBSITE },
  { "homepage", OB_FIELD_WEBSITE }, { "site", OB_FIELD_WEBSITE }, { "webpage", OB_FIELD_WEBSITE },
  { "网站", OB_FIELD_WEBSITE }, { "网址", OB_FIELD_WEBSITE }, { "官网", OB_FIELD_WEBSITE },
  { "公司网站", OB_FIELD_WEBSITE },

  { "country", OB_FIELD_COUNTRY }, { "countryregion", OB_FIELD_COUNTRY }, { "nation", OB_FIELD_COUNTRY },
  { "countrycode", OB_FIELD_COUNTRY }, { "国家", OB_FIELD_COUNTRY }, { "国家地区", OB_FIELD_COUNTRY },
  { "地区", OB_FIELD_COUNTRY }, { "国别", OB_FIELD_COUNTRY }, { "land", OB_FIELD_COUNTRY },
  { "pais", OB_FIELD_COUNTRY }, { "pays", OB_FIELD_COUNTRY },

  { "source", OB_FIELD_SOURCE }, { "leadsource", OB_FIELD_SOURCE }, { "来源", OB_FIELD_SOURCE },
  { "客户来源", OB_FIELD_SOURCE }, { "渠道", OB_FIELD_SOURCE },

  { "notes", OB_FIELD_NOTES }, { "note", OB_FIELD_NOTES }, { "remarks", OB_FIELD_NOTES },
  { "remark", OB_FIELD_NOTES }, { "comment", OB_FIELD_NOTES }, { "comments", OB_FIELD_NOTES },
  { "description", OB_FIELD_NOTES }, { "备注", OB_FIELD_NOTES }, { "说明", OB_FIELD_NOTES },
  { "bemerkung", OB_FIELD_NOTES }, { "bemerkungen", OB_FIELD_NOTES }, { "anmerkung", OB_FIELD_NOTES },
  { "notiz", OB_FIELD_NOTES }, { "notizen", OB_FIELD_NOTES }, { "remarque", OB_FIELD_NOTES },
  { "remarques", OB_FIELD_NOTES }, { "commentaire", OB_FIELD_NOTES }, { "commentaires", OB_FIELD_NOTES },
  { "nota", OB_FIELD_NOTES }, { "notas", OB_FIELD_NOTES }, { "observaciones", OB_FIELD_NOTES },
  { "osservazioni", OB_FIELD_NOTES },

  { "tags", OB_FIELD_TAGS }, { "tag", OB_FIELD_TAGS }, { "labels", OB_FIELD_TAGS },
  { "标签", OB_FIELD_TAGS },

  { "timezone", OB_FIELD_TIMEZONE }, { "tz", OB_FIELD_TIMEZONE }, { "时区", OB_FIELD_TIMEZONE },

  /* What Outbound works out itself, in its own export (ob_contacts_export_csv):
   * never a custom field of the contacts it is imported into. */
  { "verdict", OB_FIELD_IGNORE },
  { NULL, 0 }
};

/* "E-mail Address", "邮箱 (必填)", "First_Name" → "emailaddress", "邮箱", "firstname". */
static char *
normalise_header (const char *header)
{
  g_autofree char *nfkc = g_utf8_normalize (header, -1, G_NORMALIZE_NFKC);
  g_autofree char *lower = NULL;
  GString *out = g_string_new (NULL);
  int paren = 0;

  if (nfkc == NULL)
    return g_string_free (out, FALSE);
  lower = g_utf8_strdown (nfkc, -1);
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(' || c == '[')
        paren++;
      else if ((c == ')' || c == ']') && paren > 0)
        paren--;
      else if (paren == 0 && (g_unichar_isalnum (c) || g_unichar_type (c) == G_UNICODE_OTHER_LETTER))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

ObField
_ob_field_from_header (const char *header)
{
  g_autofree char *key = normalise_header (header);

  if (*key == '\0')
    return OB_FIELD_CUSTOM;
  for (guint i = 0; header_names[i].header != NULL; i++)
    if (g_str_equal (key, header_names[i].header))
      return header_names[i].field;
  /* "Email 1", "Email2", "邮箱1": extra address columns. */
  if ((g_str_has_prefix (key, "email") || g_str_has_prefix (key, "邮箱")) &&
      g_ascii_isdigit (key[strlen (key) - 1]))
    return OB_FIELD_EMAIL;
  return OB_FIELD_CUSTOM;
}

/* The field of column @column among the title row @headers: as
 * _ob_field_from_header(), and in a file Outbound exported (it has a
 * Verdict column) its Status is left out too. Elsewhere a "Status" is the
 * list's own, a lead's stage say: a custom field. */
ObField
_ob_field_from_headers (GPtrArray *headers,
                        guint      column)
{
  const char *title = g_ptr_array_index (headers, column);
  ObField field = _ob_field_from_header (title);
  g_autofree char *key = NULL;

  if (field != OB_FIELD_CUSTOM)
    return field;
  key = normalise_header (title);
  if (!g_str_equal (key, "status"))
    return field;
  for (guint c = 0; c < headers->len; c++)
    {
      g_autofree char *other = normalise_header (g_ptr_array_index (headers, c));

      if (g_str_equal (other, "verdict"))
        return OB_FIELD_IGNORE;
    }
  return field;
}

ObImportRecord *
_ob_import_record_new (guint line)
{
  ObImportRecord *r = g_new0 (ObImportRecord, 1);

  r->line = line;
  r->custom = g_ptr_array_new_with_free_func (g_free);
  return r;
}

void
_ob_import_record_free (ObImportRecord *record)
{
  if (record == NULL)
    return;
  for (guint i = 0; i < OB_N_FIELDS; i++)
    g_free (record->values[i]);
  g_ptr_array_unref (record->custom);
  g_free (record);
}

/* Sets a field; a second email (or tag) column adds to the first. */
void
_ob_import_record_set (ObImportRecord *record,
                       ObField         field,
                       const char     *value)
{
  g_return_if_fail (field >= 0 && field < OB_N_FIELDS);

  if (value != NULL)
    _ob_import_record_take (record, field, g_strdup (value));
}

/* The same, taking @value (trimmed in place). */
void
_ob_import_record_take (ObImportRecord *record,
                        ObField         field,
                        char           *value)
{
  g_autofree char *trimmed = value;

  g_return_if_fail (field >= 0 && field < OB_N_FIELDS);

  if (value == NULL)
    return;
  /* Most cells have no space at either end: g_strstrip() would still
   * move the whole string onto itself. */
  if (g_ascii_isspace (trimmed[0]) ||
      (trimmed[0] != '\0' && g_ascii_isspace (trimmed[strlen (trimmed) - 1])))
    g_strstrip (trimmed);
  if (*trimmed == '\0')
    return;
  if (record->values[field] != NULL && (field == OB_FIELD_EMAIL || field == OB_FIELD_TAGS))
    {
      char *joined = g_strconcat (record->values[field], ", ", trimmed, NULL);
      g_free (record->values[field]);
      record->values[field] = joined;
    }
  else if (record->values[field] == NULL)
    record->values[field] = g_steal_pointer (&trimmed);
}

ObImportRecord *
_ob_import_record_from_fields (const ObImportColumn *columns,
                               guint                 n_columns,
                               gboolean              headerless,
                               GPtrArray            *fields,
                               gboolean              steal,
                               guint                 line)
{
  ObImportRecord *record = _ob_import_record_new (line);

  for (guint i = 0; i < fields->len; i++)
    {
      const char *value = g_ptr_array_index (fields, i);

      if (i >= n_columns)
        {
          if (*value != '\0')
            {
              g_ptr_array_add (record->custom, g_strdup_printf (_("Column %u"), i + 1));
              g_ptr_array_add (record->custom, g_strdup (value));
            }
        }
      else if (columns[i].field == OB_FIELD_IGNORE && !headerless)
        continue;
      else if (columns[i].field == OB_FIELD_CUSTOM || (headerless && columns[i].field != OB_FIELD_EMAIL))
        {
          if (*value != '\0')
            {
              g_ptr_array_add (record->custom, headerless ? g_strdup_printf (_("Column %u"), i + 1)
                                                          : g_strdup (*columns[i].header ? columns[i].header : "?"));
              g_ptr_array_add (record->custom, g_strdup (value));
            }
        }
      else if (steal)
        _ob_import_record_take (record, columns[i].field, g_steal_pointer (&fields->pdata[i]));
      else
        _ob_import_record_set (record, columns[i].field, value);
    }
  return record;
}
