/* ob-contact-fields.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contact-fields"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ob-contact-fields.h"
#include "ob-contacts.h"

static const char * const merge_columns[] = {
  "email", "first_name", "last_name", "name", "company", "title", "country", "phone", "website", NULL
};

/* Selects the merge columns in order, then custom_json. */
#define MERGE_SELECT "SELECT email, first_name, last_name, name, company, title, country, phone, " \
                     "website, custom_json FROM contacts "
#define CUSTOM_COLUMN 9

const char * const *
ob_contact_merge_columns (void)
{
  return merge_columns;
}

static GHashTable *
values_from_row (sqlite3_stmt *stmt)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *custom = (const char *) sqlite3_column_text (stmt, CUSTOM_COLUMN);

  if (custom != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (json_parser_load_from_data (parser, custom, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObjectIter iter;
          const char *member;
          JsonNode *node;

          json_object_iter_init (&iter, json_node_get_object (root));
          while (json_object_iter_next (&iter, &member, &node))
            if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
              g_hash_table_insert (values, g_ascii_strdown (member, -1), g_strdup (json_node_get_string (node)));
        }
    }

  for (int i = 0; merge_columns[i] != NULL; i++)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, i);

      if (text != NULL && *text != '\0')
        g_hash_table_insert (values, g_strdup (merge_columns[i]), g_strdup (text));
    }

  return values;
}

GHashTable *
ob_contact_merge_values (ObStore  *store,
                         gint64    contact_id,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, MERGE_SELECT "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return values_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND,
                 _("Contact %lld no longer exists"), (long long) contact_id);
  else
    ob_store_set_error (store, error);
  return NULL;
}

GHashTable *
ob_contact_merge_values_for_address (ObStore     *store,
                                     const char  *address,
                                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  stmt = ob_store_prepare (store, MERGE_SELECT "WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return values_from_row (stmt);
  if (rc != SQLITE_DONE)
    ob_store_set_error (store, error);
  return NULL;
}

GPtrArray *
ob_contact_merge_values_for_active (ObStore  *store,
                                    GError  **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, MERGE_SELECT "WHERE status = 'active' ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (all, values_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&all);
}
