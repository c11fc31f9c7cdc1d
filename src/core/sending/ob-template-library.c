/* ob-template-library.c — the templates a user keeps: saved in the store
 * with every earlier version, listed and loaded back.
 *
 * A template itself (fields, parsing, merging, lint) is core/templates,
 * which stands on GLib alone; keeping it in SQLite is here, above both.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-library"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-template-library.h"
#include "ob-templates.h"

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* Parameters 1 to 6: name, subject, body_text, body_html, language,
 * attachments_json. */
static void
bind_fields (sqlite3_stmt *stmt,
             ObTemplate   *self,
             const char   *attachments)
{
  const char *subject = ob_template_get_subject (self);

  bind_text (stmt, 1, ob_template_get_name (self));
  bind_text (stmt, 2, subject ? subject : "");
  bind_text (stmt, 3, ob_template_get_body_text (self));
  bind_text (stmt, 4, ob_template_get_body_html (self));
  bind_text (stmt, 5, ob_template_get_language (self));
  bind_text (stmt, 6, attachments);
}

static gboolean
save_in_transaction (ObTemplate  *self,
                     ObStore     *store,
                     gint64       now,
                     GError     **error)
{
  g_autofree char *attachments = ob_template_dup_attachments_json (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (ob_template_get_id (self) == 0)
    {
      stmt = ob_store_prepare (store,
                               "INSERT INTO templates (name, subject, body_text, body_html, language, "
                               "attachments_json, version, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_fields (stmt, self, attachments);
      sqlite3_bind_int64 (stmt, 7, now);
      sqlite3_bind_int64 (stmt, 8, now);
      if (!ob_store_step_done (store, stmt, error))
        return FALSE;
      ob_template_set_stored (self, ob_store_last_insert_id (store), 1);
      return TRUE;
    }

  /* Keep the version being replaced. */
  stmt = ob_store_prepare (store,
                           "INSERT INTO template_versions (template_id, version, subject, body_text, "
                           "body_html, attachments_json, created_at) "
                           "SELECT id, version, subject, body_text, body_html, attachments_json, updated_at "
                           "FROM templates WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ob_template_get_id (self));
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (ob_store_get_db (store)) != 1)
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_NOT_FOUND,
                   _("Template %lld does not exist any more"), (long long) ob_template_get_id (self));
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = ob_store_prepare (store,
                           "UPDATE templates SET name = ?, subject = ?, body_text = ?, body_html = ?, "
                           "language = ?, attachments_json = ?, version = version + 1, updated_at = ? "
                           "WHERE id = ? RETURNING version", error);
  if (stmt == NULL)
    return FALSE;
  bind_fields (stmt, self, attachments);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, ob_template_get_id (self));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  ob_template_set_stored (self, ob_template_get_id (self), sqlite3_column_int (stmt, 0));

  return TRUE;
}

/**
 * ob_template_library_save:
 *
 * Inserts the template (it gets an id and version 1) or, when it has an
 * id, keeps the stored version in template_versions and writes this one
 * as the next version. All or nothing.
 */
gboolean
ob_template_library_save (ObStore     *store,
                          ObTemplate  *self,
                          GError     **error)
{
  g_autofree char *name = NULL;
  gint64 old_id;
  int old_version;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (OB_IS_TEMPLATE (self), FALSE);

  name = g_strstrip (g_strdup (ob_template_get_name (self) ? ob_template_get_name (self) : ""));
  if (*name == '\0')
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID,
                   _("A template needs a name before it can be saved"));
      return FALSE;
    }
  /* Kept without the spaces around it, as the editor shows it next. */
  ob_template_set_name (self, name);

  old_id = ob_template_get_id (self);
  old_version = ob_template_get_version (self);

  if (!ob_store_begin (store, error))
    return FALSE;
  if (!save_in_transaction (self, store, g_get_real_time () / G_USEC_PER_SEC, error))
    {
      ob_store_rollback (store);
      ob_template_set_stored (self, old_id, old_version);
      return FALSE;
    }
  if (!ob_store_commit (store, error))
    {
      ob_template_set_stored (self, old_id, old_version);
      return FALSE;
    }

  return TRUE;
}

static ObTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  ObTemplate *self = ob_template_new ();
  const char *subject = (const char *) sqlite3_column_text (stmt, 2);

  /* id, name, subject, body_text, body_html, language, attachments_json, version */
  ob_template_set_name (self, (const char *) sqlite3_column_text (stmt, 1));
  ob_template_set_subject (self, subject != NULL ? subject : "");
  ob_template_set_body_text (self, (const char *) sqlite3_column_text (stmt, 3));
  ob_template_set_body_html (self, (const char *) sqlite3_column_text (stmt, 4));
  ob_template_set_language (self, (const char *) sqlite3_column_text (stmt, 5));
  ob_template_set_attachments_json (self, (const char *) sqlite3_column_text (stmt, 6));
  ob_template_set_stored (self, sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 7));

  return self;
}

ObTemplate *
ob_template_library_load (ObStore  *store,
                          gint64    id,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store,
                           "SELECT id, name, subject, body_text, body_html, language, "
                           "attachments_json, version FROM templates WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return template_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_NOT_FOUND,
                 _("There is no template %lld"), (long long) id);
  else
    ob_store_set_error (store, error);
  return NULL;
}

/* The templates of @stmt's rows, or %NULL with @error set. */
static GPtrArray *
templates_from_rows (ObStore       *store,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, template_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Returns: (transfer full) (element-type ObTemplate): every template, by id. */
GPtrArray *
ob_template_library_list (ObStore  *store,
                          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store,
                           "SELECT id, name, subject, body_text, body_html, language, "
                           "attachments_json, version FROM templates ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  return templates_from_rows (store, stmt, error);
}

/* Returns: (transfer full) (element-type ObTemplate): the earlier versions of
 * template @id, oldest first (same id and name, their own version number). */
GPtrArray *
ob_template_library_list_versions (ObStore  *store,
                                   gint64    id,
                                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store,
                           "SELECT v.template_id, t.name, v.subject, v.body_text, v.body_html, t.language, "
                           "v.attachments_json, v.version FROM template_versions v "
                           "JOIN templates t ON t.id = v.template_id "
                           "WHERE v.template_id = ? ORDER BY v.version", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return templates_from_rows (store, stmt, error);
}

/* Whether template @id may be deleted: not while a campaign sends it
 * (its mails would have nothing to send); @error then names the campaign. */
gboolean
ob_template_library_can_delete (ObStore  *store,
                                gint64    id,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) used = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  used = ob_store_prepare (store,
                           "SELECT c.name FROM campaign_steps s JOIN campaigns c ON c.id = s.campaign_id "
                           "WHERE s.template_id = ? ORDER BY c.id LIMIT 1", error);
  if (used == NULL)
    return FALSE;
  sqlite3_bind_int64 (used, 1, id);
  rc = sqlite3_step (used);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID,
                   _("The campaign “%s” sends this template. Delete the campaign first, or keep the template."),
                   (const char *) sqlite3_column_text (used, 0));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* Deletes template @id with its earlier versions, unless a campaign
 * sends it (see ob_template_library_can_delete()). */
gboolean
ob_template_library_delete (ObStore  *store,
                            gint64    id,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!ob_template_library_can_delete (store, id, error))
    return FALSE;
  stmt = ob_store_prepare (store, "DELETE FROM templates WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (ob_store_get_db (store)) == 0)
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_NOT_FOUND,
                   _("There is no template %lld"), (long long) id);
      return FALSE;
    }
  return TRUE;
}
