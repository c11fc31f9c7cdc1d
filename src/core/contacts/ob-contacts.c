/* ob-contacts.c — reading contacts: lists, counts and CSV export of a
 * segment.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ob-contact-private.h"
#include "ob-contacts.h"
#include "ob-csv-private.h"
#include "ob-import-private.h"

G_DEFINE_QUARK (ob-contacts-error-quark, ob_contacts_error)

static sqlite3_stmt *
prepare_segment (ObStore          *store,
                 const char       *select,
                 const ObSegment  *segment,
                 const char       *tail,
                 GError          **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *where = ob_segment_to_sql (segment, params);
  g_autofree char *sql = g_strconcat (select, " FROM contacts WHERE ", where, tail ? tail : "", NULL);
  sqlite3_stmt *stmt = ob_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  return stmt;
}

/* Contacts of @segment (NULL: all), oldest first, as ObContact objects. */
GPtrArray *
ob_contacts_list (ObStore          *store,
                  const ObSegment  *segment,
                  guint             offset,
                  guint             limit,
                  GError          **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *tail = g_strdup_printf (" ORDER BY contacts.id LIMIT %u OFFSET %u",
                                           limit ? limit : G_MAXINT32, offset);
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = prepare_segment (store, "SELECT " OB_CONTACT_SELECT, segment, tail, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, _ob_contact_new_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
count_of (ObStore          *store,
          const char       *select,
          const ObSegment  *segment,
          guint            *count,
          GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  stmt = prepare_segment (store, select, segment, NULL, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  *count = sqlite3_column_int (stmt, 0);
  return TRUE;
}

gboolean
ob_contacts_count (ObStore          *store,
                   const ObSegment  *segment,
                   guint            *count,
                   GError          **error)
{
  return count_of (store, "SELECT count(*)", segment, count, error);
}

/* The mailboxes among the contacts of @segment: addresses that differ
 * only in the case of their ASCII letters (Anna.Schmidt@, anna.schmidt@)
 * count once, as a campaign mails them once. */
gboolean
ob_contacts_count_mailboxes (ObStore          *store,
                             const ObSegment  *segment,
                             guint            *count,
                             GError          **error)
{
  return count_of (store, "SELECT count(DISTINCT contacts.email COLLATE NOCASE)", segment, count, error);
}

/* The names of the custom fields the contacts of @segment have, sorted;
 * those that import would read as a field of their own (a custom field
 * "Verdict" made by an older import, say) left out. */
static GPtrArray *
custom_field_names (ObStore          *store,
                    const ObSegment  *segment,
                    GError          **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* prepare_segment() writes "<select> FROM contacts WHERE <segment><tail>":
   * here the segment's contacts are a subquery. */
  stmt = prepare_segment (store,
                          "SELECT DISTINCT j.key FROM contacts AS c, json_each (c.custom_json) AS j"
                          " WHERE c.custom_json IS NOT NULL AND json_valid (c.custom_json)"
                          " AND c.id IN (SELECT contacts.id",
                          segment, ") ORDER BY 1", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (name != NULL && *name != '\0' && _ob_field_from_header (name) == OB_FIELD_CUSTOM)
        g_ptr_array_add (names, g_strdup (name));
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&names);
}

/* The value of each of @names in the contact's @custom_json, into @fields
 * (NULL where it has none); the strings belong to @parser. */
static void
custom_field_values (JsonParser   *parser,
                     const char   *custom_json,
                     GPtrArray    *names,
                     const char  **fields)
{
  JsonObject *object = NULL;

  if (custom_json != NULL && json_parser_load_from_data (parser, custom_json, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < names->len; i++)
    {
      JsonNode *node = object != NULL ? json_object_get_member (object, names->pdata[i]) : NULL;

      fields[i] = node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                  ? json_node_get_string (node) : NULL;
    }
}

/* CSV in UTF-8 with a BOM, so Excel and WPS open it right; the header
 * names are the ones import maps back (Verdict and Status, worked out by
 * Outbound, it leaves out), each custom field a column of its own after
 * them. */
gboolean
ob_contacts_export_csv (ObStore          *store,
                        const ObSegment  *segment,
                        const char       *path,
                        guint            *exported,
                        GError          **error)
{
  static const char * const header[] = {
    "Email", "Name", "First name", "Last name", "Company", "Title", "Phone", "Website",
    "Country", "Timezone", "Source", "Tags", "Verdict", "Status", "Notes",
  };
  static const ObContactColumn columns[] = {
    OB_CONTACT_COLUMN_EMAIL, OB_CONTACT_COLUMN_NAME, OB_CONTACT_COLUMN_FIRST_NAME,
    OB_CONTACT_COLUMN_LAST_NAME, OB_CONTACT_COLUMN_COMPANY, OB_CONTACT_COLUMN_TITLE,
    OB_CONTACT_COLUMN_PHONE, OB_CONTACT_COLUMN_WEBSITE, OB_CONTACT_COLUMN_COUNTRY,
    OB_CONTACT_COLUMN_TIMEZONE, OB_CONTACT_COLUMN_SOURCE, OB_CONTACT_COLUMN_TAGS,
    OB_CONTACT_COLUMN_VERDICT, OB_CONTACT_COLUMN_STATUS, OB_CONTACT_COLUMN_NOTES,
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");
  g_autoptr(GPtrArray) custom = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree const char **fields = NULL;
  guint n_fields;
  guint n = 0;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  custom = custom_field_names (store, segment, error);
  if (custom == NULL)
    return FALSE;
  n_fields = G_N_ELEMENTS (columns) + custom->len;
  fields = g_new0 (const char *, n_fields);
  for (guint i = 0; i < n_fields; i++)
    fields[i] = i < G_N_ELEMENTS (header) ? header[i] : custom->pdata[i - G_N_ELEMENTS (header)];
  _ob_csv_append_row (out, fields, n_fields);
  stmt = prepare_segment (store, "SELECT " OB_CONTACT_SELECT, segment, " ORDER BY contacts.id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        fields[i] = (const char *) sqlite3_column_text (stmt, columns[i]);
      if (custom->len > 0)
        custom_field_values (parser, (const char *) sqlite3_column_text (stmt, OB_CONTACT_COLUMN_CUSTOM_JSON),
                             custom, fields + G_N_ELEMENTS (columns));
      _ob_csv_append_row (out, fields, n_fields);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  if (!g_file_set_contents (path, out->str, out->len, error))
    return FALSE;
  if (exported != NULL)
    *exported = n;
  return TRUE;
}

/* Saves (or replaces) a segment under @name. */
gboolean
ob_segments_save (ObStore          *store,
                  const char       *name,
                  const ObSegment  *segment,
                  GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (segment != NULL, FALSE);

  if (*trimmed == '\0')
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID, _("Give the segment a name"));
      return FALSE;
    }
  json = ob_segment_to_json (segment);
  stmt = ob_store_prepare (store,
    "INSERT INTO segments (name, filter_json, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)"
    " ON CONFLICT (name) DO UPDATE SET filter_json = excluded.filter_json, updated_at = excluded.updated_at",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  return ob_store_step_done (store, stmt, error);
}

ObSegment *
ob_segments_load (ObStore     *store,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, "SELECT filter_json FROM segments WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND,
                   _("There is no saved segment “%s”"), name);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return ob_segment_new_from_json ((const char *) sqlite3_column_text (stmt, 0), error);
}

GStrv
ob_segments_list_names (ObStore  *store,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, "SELECT name FROM segments ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_strv_builder_end (names);
}

gboolean
ob_segments_delete (ObStore     *store,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  stmt = ob_store_prepare (store, "DELETE FROM segments WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (ob_store_get_db (store)) == 0)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND,
                   _("There is no saved segment “%s”"), name);
      return FALSE;
    }
  return TRUE;
}
