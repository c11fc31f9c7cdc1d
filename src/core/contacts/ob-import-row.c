/* ob-import-row.c — the hygiene of one row of an imported file: its
 * addresses split, checked (suggested fixes applied when asked), matched
 * against the suppression list, given a country and a time zone. No
 * database and no report: the reader thread of a CSV import runs it
 * (ob-import-pipe.c), the importer writes what it gives.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-country.h"
#include "ob-import-row-private.h"

struct _ObImportChecker
{
  gboolean    apply_suggestions;
  GHashTable *suppressed_addresses;
  GHashTable *suppressed_domains;
  /* The joined reason and flag ids, one string per combination of bits,
   * made when first needed and shared by the rows of one import. */
  char       *reasons[1 << OB_ADDRESS_N_REASONS];
  char       *flags[1 << OB_ADDRESS_N_FLAGS];
};

/* A slot per combination: with many more reasons or flags, a table
 * (a hash of the bits) would be the smaller choice. */
G_STATIC_ASSERT (OB_ADDRESS_N_REASONS <= 12 && OB_ADDRESS_N_FLAGS <= 12);

ObImportChecker *
_ob_import_checker_new (gboolean    apply_suggestions,
                        GHashTable *suppressed_addresses,
                        GHashTable *suppressed_domains)
{
  ObImportChecker *checker = g_new0 (ObImportChecker, 1);

  checker->apply_suggestions = apply_suggestions;
  checker->suppressed_addresses = g_hash_table_ref (suppressed_addresses);
  checker->suppressed_domains = g_hash_table_ref (suppressed_domains);
  return checker;
}

void
_ob_import_checker_free (ObImportChecker *checker)
{
  if (checker == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (checker->reasons); i++)
    g_free (checker->reasons[i]);
  for (guint i = 0; i < G_N_ELEMENTS (checker->flags); i++)
    g_free (checker->flags[i]);
  g_hash_table_unref (checker->suppressed_addresses);
  g_hash_table_unref (checker->suppressed_domains);
  g_free (checker);
}

/* One cell may hold several addresses: "a@x.com; b@y.com", "a@x.com、b@y.com",
 * "A <a@x.com>, B <b@x.com>". A cell with one @ is one address (spaces in a
 * display name are not separators): then NULL, and the cell itself is the
 * address. Most cells are that, and are checked where they are, with
 * nothing copied. */
static GPtrArray *
split_addresses (const char *cell)
{
  GPtrArray *out;
  g_autofree char *nfkc = g_str_is_ascii (cell) ? NULL : g_utf8_normalize (cell, -1, G_NORMALIZE_NFKC);
  guint ats = 0;
  const char *text = nfkc ? nfkc : cell;
  GString *cur;

  for (const char *p = text; *p != '\0' && ats <= 1; p++)
    ats += *p == '@';
  if (ats <= 1)
    return NULL;

  out = g_ptr_array_new_with_free_func (g_free);
  cur = g_string_new (NULL);
  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;
      gboolean sep = c == 0 || c == ',' || c == ';' || c == '/' || c == '|' || c == 0x3001 /* 、 */ ||
                     c == 0xFF0C || c == 0xFF1B || g_unichar_isspace (c);

      if (sep)
        {
          g_strstrip (cur->str);
          cur->len = strlen (cur->str);
          if (strchr (cur->str, '@') != NULL)
            g_ptr_array_add (out, g_strdup (cur->str));
          g_string_truncate (cur, 0);
          if (c == 0)
            break;
        }
      else
        g_string_append_unichar (cur, c);
    }
  g_string_free (cur, TRUE);
  return out;
}

static char *
custom_json (ObImportRecord *record)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (record->custom->len == 0)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_object (b);
  for (guint i = 0; i + 1 < record->custom->len; i += 2)
    {
      json_builder_set_member_name (b, g_ptr_array_index (record->custom, i));
      json_builder_add_string_value (b, g_ptr_array_index (record->custom, i + 1));
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

void
_ob_import_row_free (gpointer data)
{
  ObImportRow *row = data;

  if (row == NULL)
    return;
  for (guint i = 0; i < row->n_addresses; i++)
    {
      ObImportAddress *a = &row->addresses[i];

      g_free (a->input_copy);
      g_clear_pointer (&a->check, ob_address_check_unref);
      g_free (a->suggestion);
      g_strfreev (a->applied_ids);
      g_strfreev (a->invalid_ids);
    }
  if (row->addresses != &row->one)
    g_free (row->addresses);
  g_free (row->name_joined);
  g_free (row->custom);
  _ob_import_record_free (row->record);
  g_free (row);
}

/* Offline hygiene of one address; touches neither the database nor the
 * report, so it runs on the reader's thread. @input belongs to @record,
 * or is taken in @input_copy. */
static void
address_prepare (ObImportChecker *checker,
                 ObImportRecord  *record,
                 const char      *input,
                 char            *input_copy,
                 ObImportAddress *a)
{
  ObAddressCheck *check = ob_address_check (input, OB_ADDRESS_CHECK_DEFAULT);
  const char *ascii_domain;
  guint reasons;
  guint flags;

  a->input = input;
  a->input_copy = input_copy;
  a->suggestion = g_strdup (ob_address_check_get_suggestion (check));

  if (a->suggestion != NULL && checker->apply_suggestions)
    {
      ObAddressCheck *fixed = ob_address_check (a->suggestion, OB_ADDRESS_CHECK_NO_SUGGEST);

      if (ob_address_check_get_verdict (fixed) != OB_ADDRESS_VERDICT_INVALID)
        {
          a->applied_ids = ob_address_check_dup_reason_ids (check);
          ob_address_check_unref (check);
          check = fixed;
          a->applied = TRUE;
        }
      else
        ob_address_check_unref (fixed);
    }
  a->check = check;

  ascii_domain = ob_address_check_get_ascii_domain (check);
  if (ob_address_check_get_verdict (check) == OB_ADDRESS_VERDICT_INVALID || ascii_domain == NULL)
    {
      a->invalid_ids = ob_address_check_dup_reason_ids (check);
      return;
    }

  /* The dedup key of a checked address is its ASCII address
   * (ob_address_check_dup_key()), borrowed here. */
  a->key = ob_address_check_get_ascii_address (check);
  reasons = ob_address_check_get_reasons (check);
  flags = ob_address_check_get_flags (check);
  g_assert (reasons < G_N_ELEMENTS (checker->reasons) && flags < G_N_ELEMENTS (checker->flags));
  if (checker->reasons[reasons] == NULL)
    checker->reasons[reasons] = ob_address_check_dup_reasons_joined (check);
  if (checker->flags[flags] == NULL)
    checker->flags[flags] = ob_address_check_dup_flags_joined (check);
  a->reasons = checker->reasons[reasons];
  a->flags = checker->flags[flags];
  /* Suppressed by address or by domain (most databases have no
   * suppressions yet: nothing to hash the key for). */
  a->suppressed = (g_hash_table_size (checker->suppressed_addresses) > 0 &&
                   g_hash_table_contains (checker->suppressed_addresses, a->key)) ||
                  (g_hash_table_size (checker->suppressed_domains) > 0 &&
                   g_hash_table_contains (checker->suppressed_domains, ascii_domain));

  if (record->values[OB_FIELD_COUNTRY] != NULL)
    a->country = ob_country_from_text (record->values[OB_FIELD_COUNTRY]);
  if (a->country == NULL)
    {
      a->country = ob_country_from_domain (ascii_domain);
      a->country_inferred = a->country != NULL;
    }
  if (record->values[OB_FIELD_TIMEZONE] != NULL)
    {
      GTimeZone *tz = g_time_zone_new_identifier (record->values[OB_FIELD_TIMEZONE]);

      if (tz != NULL)
        {
          a->timezone = record->values[OB_FIELD_TIMEZONE];
          a->timezone_override = TRUE;
          g_time_zone_unref (tz);
        }
    }
  if (a->timezone == NULL)
    a->timezone = ob_country_get_timezone (a->country);
}

ObImportRow *
_ob_import_row_new (ObImportChecker *checker,
                    ObImportRecord  *record)
{
  ObImportRow *row = g_new0 (ObImportRow, 1);
  g_autoptr(GPtrArray) addresses = NULL;
  const char *cell = record->values[OB_FIELD_EMAIL];

  row->record = record;
  row->custom = custom_json (record);
  if (record->values[OB_FIELD_NAME] != NULL)
    row->name = record->values[OB_FIELD_NAME];
  else if (record->values[OB_FIELD_FIRST_NAME] != NULL || record->values[OB_FIELD_LAST_NAME] != NULL)
    row->name = row->name_joined =
      g_strstrip (g_strjoin (" ", record->values[OB_FIELD_FIRST_NAME] ? record->values[OB_FIELD_FIRST_NAME] : "",
                             record->values[OB_FIELD_LAST_NAME] ? record->values[OB_FIELD_LAST_NAME] : "", NULL));

  if (cell == NULL)
    return row;

  addresses = split_addresses (cell);
  if (addresses == NULL)
    {
      row->n_addresses = 1;
      row->addresses = &row->one;
      address_prepare (checker, record, cell, NULL, &row->one);
      return row;
    }
  row->n_addresses = addresses->len;
  row->addresses = addresses->len == 1 ? &row->one : g_new0 (ObImportAddress, addresses->len);
  for (guint i = 0; i < addresses->len; i++)
    {
      char *input = g_steal_pointer (&g_ptr_array_index (addresses, i));

      address_prepare (checker, record, input, input, &row->addresses[i]);
    }
  return row;
}
