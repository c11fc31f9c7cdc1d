/* ob-contacts-edit.c — the changes the Contacts page makes: edit one
 * contact, tag, suppress, re-check or delete a selection, save segments.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-address.h"
#include "ob-contact-private.h"
#include "ob-contacts.h"
#include "ob-contacts-edit.h"
#include "ob-country.h"
#include "ob-suppressions.h"

void
ob_contact_detail_free (ObContactDetail *detail)
{
  if (detail == NULL)
    return;
  g_free (detail->email);
  g_free (detail->name);
  g_free (detail->company);
  g_free (detail->country);
  g_free (detail->timezone);
  g_free (detail->notes);
  g_strfreev (detail->tags);
  g_free (detail->verdict);
  g_free (detail->status);
  g_free (detail->reasons);
  g_free (detail->suggestion);
  g_free (detail);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           i,
                   const char   *value)
{
  if (value != NULL && *value != '\0')
    sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

ObContactDetail *
ob_contacts_edit_get (ObStore  *store,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(ObContactDetail) d = NULL;
  g_autofree char *tags = NULL;

  stmt = ob_store_prepare (store,
                           "SELECT id, email, name, company, country, timezone, timezone_override, notes,"
                           " (SELECT group_concat (t.name, ',') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                           "  WHERE ct.contact_id = contacts.id),"
                           " verdict, status, reasons, suggestion, bounce_count, soft_bounce_count,"
                           " last_contacted_at, created_at FROM contacts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND,
                   _("This contact no longer exists; it may have been deleted"));
      return NULL;
    }
  d = g_new0 (ObContactDetail, 1);
  d->id = sqlite3_column_int64 (stmt, 0);
  d->email = column_dup (stmt, 1);
  d->name = column_dup (stmt, 2);
  d->company = column_dup (stmt, 3);
  d->country = column_dup (stmt, 4);
  d->timezone = column_dup (stmt, 5);
  d->timezone_override = sqlite3_column_int (stmt, 6);
  d->notes = column_dup (stmt, 7);
  tags = column_dup (stmt, 8);
  d->tags = tags ? g_strsplit (tags, ",", -1) : g_new0 (char *, 1);
  d->verdict = column_dup (stmt, 9);
  d->status = column_dup (stmt, 10);
  d->reasons = column_dup (stmt, 11);
  d->suggestion = column_dup (stmt, 12);
  d->bounce_count = sqlite3_column_int (stmt, 13);
  d->soft_bounce_count = sqlite3_column_int (stmt, 14);
  d->last_contacted_at = sqlite3_column_int64 (stmt, 15);
  d->created_at = sqlite3_column_int64 (stmt, 16);
  return g_steal_pointer (&d);
}

static gboolean
add_tag (ObStore     *store,
         gint64       id,
         const char  *tag,
         gint64       now,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) ins = NULL;
  g_autoptr(sqlite3_stmt) link = NULL;

  ins = ob_store_prepare (store, "INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)", error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_text (ins, 1, tag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (ins, 2, now);
  if (!ob_store_step_done (store, ins, error))
    return FALSE;
  link = ob_store_prepare (store,
                           "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)"
                           " SELECT ?, id FROM tags WHERE name = ?", error);
  if (link == NULL)
    return FALSE;
  sqlite3_bind_int64 (link, 1, id);
  sqlite3_bind_text (link, 2, tag, -1, SQLITE_TRANSIENT);
  return ob_store_step_done (store, link, error);
}

/* Two texts as a column keeps them: NULL and "" are the same. */
static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) == 0;
}

/* @tags as a set, as save_txn() writes them: stripped, no empty ones,
 * case-blind (tags.name is COLLATE NOCASE). */
static GHashTable *
tag_set (GStrv tags)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_strdup (tags[i]));

      if (*tag != '\0')
        g_hash_table_add (set, g_utf8_casefold (tag, -1));
    }
  return set;
}

static gboolean
same_tags (GStrv a,
           GStrv b)
{
  g_autoptr(GHashTable) sa = tag_set (a);
  g_autoptr(GHashTable) sb = tag_set (b);
  GHashTableIter iter;
  gpointer tag;

  if (g_hash_table_size (sa) != g_hash_table_size (sb))
    return FALSE;
  g_hash_table_iter_init (&iter, sa);
  while (g_hash_table_iter_next (&iter, &tag, NULL))
    if (!g_hash_table_contains (sb, tag))
      return FALSE;
  return TRUE;
}

/* What the user changed from @old to @d, in words ("Changed: name,
 * tags"), or NULL when nothing. A time zone that follows the new country
 * is part of changing the country. */
static char *
describe_changes (const ObContactDetail *old,
                  const ObContactDetail *d)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autofree char *list = NULL;

  if (!same_text (old->name, d->name))
    g_ptr_array_add (fields, (gpointer) _("name"));
  if (!same_text (old->company, d->company))
    g_ptr_array_add (fields, (gpointer) _("company"));
  if (!same_text (old->country, d->country))
    g_ptr_array_add (fields, (gpointer) _("country"));
  if (!old->timezone_override != !d->timezone_override ||
      (d->timezone_override && !same_text (old->timezone, d->timezone)))
    g_ptr_array_add (fields, (gpointer) _("time zone"));
  if (!same_tags (old->tags, d->tags))
    g_ptr_array_add (fields, (gpointer) _("tags"));
  if (!same_text (old->notes, d->notes))
    g_ptr_array_add (fields, (gpointer) _("notes"));
  if (fields->len == 0)
    return NULL;
  g_ptr_array_add (fields, NULL);
  /* TRANSLATORS: between the names of the fields a contact's edit changed */
  list = g_strjoinv (C_("list of fields", ", "), (char **) fields->pdata);
  /* TRANSLATORS: in a contact's history; %s lists the fields, as "name, tags" */
  return g_strdup_printf (_("Changed: %s"), list);
}

/* One row of events for an edit of one contact, naming what changed. */
static gboolean
log_edit (ObStore     *store,
          gint64       id,
          const char  *detail,
          gint64       now,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store,
                                                   "INSERT INTO events (at, kind, contact_id, detail)"
                                                   " VALUES (?, '" OB_CONTACT_EVENT_EDITED "', ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_text (stmt, 3, detail, -1, SQLITE_TRANSIENT);
  return ob_store_step_done (store, stmt, error);
}

static gboolean
save_txn (ObStore   *store,
          gpointer   user_data,
          GError   **error)
{
  ObContactDetail *d = user_data;
  g_autoptr(ObContactDetail) old = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autofree char *changes = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Nothing changed (a field typed and typed back): nothing written. */
  old = ob_contacts_edit_get (store, d->id, error);
  if (old == NULL)
    return FALSE;
  changes = describe_changes (old, d);
  if (changes == NULL)
    return TRUE;
  if (!log_edit (store, d->id, changes, now, error))
    return FALSE;

  stmt = ob_store_prepare (store,
                           "UPDATE contacts SET name = ?, company = ?, country = ?, country_inferred = 0,"
                           " timezone = ?, timezone_override = ?, notes = ?, updated_at = ? WHERE id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text_or_null (stmt, 1, d->name);
  bind_text_or_null (stmt, 2, d->company);
  bind_text_or_null (stmt, 3, d->country);
  bind_text_or_null (stmt, 4, d->timezone);
  sqlite3_bind_int (stmt, 5, d->timezone_override);
  bind_text_or_null (stmt, 6, d->notes);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, d->id);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;

  clear = ob_store_prepare (store, "DELETE FROM contact_tags WHERE contact_id = ?", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, d->id);
  if (!ob_store_step_done (store, clear, error))
    return FALSE;
  for (guint i = 0; d->tags != NULL && d->tags[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_strdup (d->tags[i]));

      if (*tag != '\0' && !add_tag (store, d->id, tag, now, error))
        return FALSE;
    }
  return TRUE;
}

/* Checks and completes @detail (country to its ISO code, the time zone
 * from the country unless overridden), then writes it with one row of
 * events (kind "edited") naming the fields that changed; when none did,
 * writes nothing. */
gboolean
ob_contacts_edit_save (ObStore          *store,
                       ObContactDetail  *d,
                       GError          **error)
{
  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  if (d->country != NULL && *d->country != '\0')
    {
      const char *code = ob_country_from_text (d->country);

      if (code == NULL)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                       _("“%s” is not a country; use a code such as DE or a name such as Germany"),
                       d->country);
          return FALSE;
        }
      g_free (d->country);
      d->country = g_strdup (code);
    }
  if (d->timezone_override && d->timezone != NULL && *d->timezone != '\0')
    {
      GTimeZone *tz = g_time_zone_new_identifier (d->timezone);

      if (tz == NULL)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                       _("“%s” is not a time zone; use a name such as Europe/Berlin"), d->timezone);
          return FALSE;
        }
      g_time_zone_unref (tz);
    }
  else
    {
      g_free (d->timezone);
      d->timezone = g_strdup (ob_country_get_timezone (d->country));
      d->timezone_override = FALSE;
    }
  return ob_store_transaction (store, save_txn, d, error);
}

/* The first @max_bytes of the mail kept as evidence @evidence_id, as
 * text (any byte that is not UTF-8 replaced: a person reads it, nothing in
 * it is rendered or fetched); its whole size in @total_bytes. Only that
 * much is read: a bounce can carry the original, attachments and all. */
char *
ob_contacts_edit_get_evidence (ObStore  *store,
                               gint64    evidence_id,
                               gsize     max_bytes,
                               gsize    *total_bytes,
                               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, "SELECT substr (raw, 1, ?), length (raw) FROM evidence WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) MIN (max_bytes, G_MAXINT));
  sqlite3_bind_int64 (stmt, 2, evidence_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *head = sqlite3_column_blob (stmt, 0);
      int len = sqlite3_column_bytes (stmt, 0);

      if (total_bytes != NULL)
        *total_bytes = sqlite3_column_int64 (stmt, 1);
      /* A character cut in two at the end is left out, not replaced. */
      if (len > 0 && (gsize) sqlite3_column_int64 (stmt, 1) > (gsize) len)
        len = g_utf8_find_prev_char (head, head + len) - head;
      return g_utf8_make_valid (head != NULL ? head : "", MAX (len, 0));
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND,
                 _("The mail kept for this event is no longer there."));
  else
    ob_store_set_error (store, error);
  return NULL;
}

/* Drops the objects on contacts that @where selects in sqlite_master,
 * keeping their CREATE statements in @sqls to make them again. */
gboolean
_ob_contacts_drop_schema_objects (ObStore     *conn,
                                  const char  *type,
                                  const char  *where,
                                  GPtrArray  **sqls,
                                  GError     **error)
{
  g_autofree char *query = g_strdup_printf ("SELECT name, sql FROM sqlite_master WHERE type = '%s'"
                                            " AND tbl_name = 'contacts' AND sql IS NOT NULL AND %s",
                                            type, where);
  g_autoptr(sqlite3_stmt) list = ob_store_prepare (conn, query, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (list == NULL)
    return FALSE;
  *sqls = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (list, 0)));
      g_ptr_array_add (*sqls, g_strdup ((const char *) sqlite3_column_text (list, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (conn, error);
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    {
      char *sql = sqlite3_mprintf ("DROP %s \"%w\"", type, (const char *) g_ptr_array_index (names, i));
      gboolean ok = ob_store_exec (conn, sql, error);

      sqlite3_free (sql);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

gboolean
_ob_contacts_recreate_schema_objects (ObStore    *conn,
                                      GPtrArray  *sqls,
                                      GError    **error)
{
  for (guint i = 0; sqls != NULL && i < sqls->len; i++)
    if (!ob_store_exec (conn, g_ptr_array_index (sqls, i), error))
      return FALSE;
  return TRUE;
}

typedef struct
{
  GArray     *ids;
  const char *tag;
  guint       count;
} Batch;

/* A delete of at least this many contacts, and of at least as many as it
 * leaves, makes the table's secondary indexes and its search index again
 * for the rows that stay, instead of taking each row out of them: a
 * million contacts took 47 s to delete row by row out of ten indexes and
 * the full-text index (whose trigger runs per row), and 7 s this way. */
#define BULK_DELETE_MIN_ROWS 10000

static gboolean
delete_txn (ObStore   *store,
            gpointer   user_data,
            GError   **error)
{
  Batch *b = user_data;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(GPtrArray) indexes = NULL;
  g_autoptr(GPtrArray) triggers = NULL;
  gint64 deleted, total;
  gboolean bulk;

  /* The ids in a table of the connection's own, so that one statement
   * deletes them all (the search index's trigger costs a flush per
   * statement, not per row). */
  if (!ob_store_exec (store, "CREATE TEMP TABLE IF NOT EXISTS ob_delete_ids (id INTEGER PRIMARY KEY);"
                             "DELETE FROM temp.ob_delete_ids", error))
    return FALSE;
  insert = ob_store_prepare (store, "INSERT OR IGNORE INTO temp.ob_delete_ids (id) VALUES (?)", error);
  if (insert == NULL)
    return FALSE;
  for (guint i = 0; i < b->ids->len; i++)
    {
      sqlite3_bind_int64 (insert, 1, g_array_index (b->ids, gint64, i));
      if (!ob_store_step_done (store, insert, error))
        return FALSE;
      sqlite3_reset (insert);
    }

  count = ob_store_prepare (store, "SELECT (SELECT count(*) FROM temp.ob_delete_ids d"
                                   "         JOIN contacts ON contacts.id = d.id),"
                                   "       (SELECT count(*) FROM contacts)", error);
  if (count == NULL)
    return FALSE;
  if (sqlite3_step (count) != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  deleted = sqlite3_column_int64 (count, 0);
  total = sqlite3_column_int64 (count, 1);
  g_clear_pointer (&count, sqlite3_finalize);
  bulk = deleted >= BULK_DELETE_MIN_ROWS && deleted >= total - deleted;
  /* Seconds: the app's own writes give up at once meanwhile (see
   * ob_store_mark_long_write()). */
  if (deleted >= BULK_DELETE_MIN_ROWS)
    ob_store_mark_long_write (store);
  g_debug ("Deleting %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " contacts%s", deleted, total,
           bulk ? ", indexes made again" : "");

  if (bulk &&
      (!_ob_contacts_drop_schema_objects (store, "index", "sql NOT LIKE 'CREATE UNIQUE%'", &indexes, error) ||
       !_ob_contacts_drop_schema_objects (store, "trigger", "sql LIKE '%contacts_fts%'", &triggers, error)))
    return FALSE;
  if (!ob_store_exec (store, "DELETE FROM contacts WHERE id IN (SELECT id FROM temp.ob_delete_ids)", error))
    return FALSE;
  if (bulk &&
      (!ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')", error) ||
       !_ob_contacts_recreate_schema_objects (store, triggers, error) ||
       !_ob_contacts_recreate_schema_objects (store, indexes, error)))
    return FALSE;
  b->count = deleted;
  return ob_store_exec (store, "DROP TABLE temp.ob_delete_ids", error);
}

/**
 * ob_contacts_edit_delete:
 *
 * Deletes the contacts @ids (gint64; ids no longer there are skipped)
 * with their tags and queue rows; their events stay, without the
 * contact. One transaction: when anything fails, nothing is deleted. A
 * selection can be a whole list of a million: run it in a worker thread
 * on a connection of its own (ob_store_open_another()).
 */
gboolean
ob_contacts_edit_delete (ObStore  *store,
                         GArray   *ids,
                         GError  **error)
{
  Batch b = { ids, NULL, 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  if (ids->len == 0)
    return TRUE;
  return ob_store_transaction (store, delete_txn, &b, error);
}

static gboolean
tag_txn (ObStore   *store,
         gpointer   user_data,
         GError   **error)
{
  Batch *b = user_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < b->ids->len; i++)
    if (!add_tag (store, g_array_index (b->ids, gint64, i), b->tag, now, error))
      return FALSE;
  return TRUE;
}

gboolean
ob_contacts_edit_add_tag (ObStore     *store,
                          GArray      *ids,
                          const char  *tag,
                          GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (tag));
  Batch b = { ids, clean, 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  if (*clean == '\0' || strchr (clean, ',') != NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("A tag needs a name without commas"));
      return FALSE;
    }
  return ob_store_transaction (store, tag_txn, &b, error);
}

/* The offline checks again (the lists may be newer than the import):
 * verdict, reasons, flags and suggestion; a contact that becomes invalid
 * gets the status invalid, one that becomes usable again active. */
static gboolean
recheck_txn (ObStore   *store,
             gpointer   user_data,
             GError   **error)
{
  Batch *b = user_data;
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  read = ob_store_prepare (store, "SELECT email, verdict, status FROM contacts WHERE id = ?", error);
  write = read ? ob_store_prepare (store,
                                   "UPDATE contacts SET verdict = ?, reasons = ?, flags = ?, suggestion = ?,"
                                   " status = ?, checked_at = ?, updated_at = ? WHERE id = ?", error) : NULL;
  if (write == NULL)
    return FALSE;
  for (guint i = 0; i < b->ids->len; i++)
    {
      gint64 id = g_array_index (b->ids, gint64, i);
      g_autoptr(ObAddressCheck) check = NULL;
      g_autofree char *reasons = NULL;
      g_autofree char *flags = NULL;
      g_autofree char *old_verdict = NULL;
      const char *verdict, *status;
      const char *listed = NULL;

      sqlite3_bind_int64 (read, 1, id);
      if (sqlite3_step (read) != SQLITE_ROW)
        {
          sqlite3_reset (read);
          continue;
        }
      check = ob_address_check ((const char *) sqlite3_column_text (read, 0), OB_ADDRESS_CHECK_DEFAULT);
      old_verdict = column_dup (read, 1);
      status = (const char *) sqlite3_column_text (read, 2);
      if (!ob_suppressions_status_of (store, check, &listed, error))
        {
          sqlite3_reset (read);
          return FALSE;
        }
      verdict = ob_address_verdict_to_string (ob_address_check_get_verdict (check));
      if (listed != NULL)
        status = listed;
      else if (ob_address_check_get_verdict (check) == OB_ADDRESS_VERDICT_INVALID)
        status = "invalid";
      else if (g_strcmp0 (status, "invalid") == 0 || g_strcmp0 (status, "suppressed") == 0 ||
               g_strcmp0 (status, "unsubscribed") == 0)
        status = "active";
      reasons = ob_address_check_dup_reasons_joined (check);
      flags = ob_address_check_dup_flags_joined (check);
      bind_text_or_null (write, 1, verdict);
      bind_text_or_null (write, 2, reasons);
      bind_text_or_null (write, 3, flags);
      bind_text_or_null (write, 4, ob_address_check_get_suggestion (check));
      bind_text_or_null (write, 5, status);
      sqlite3_bind_int64 (write, 6, now);
      sqlite3_bind_int64 (write, 7, now);
      sqlite3_bind_int64 (write, 8, id);
      sqlite3_reset (read);
      if (!ob_store_step_done (store, write, error))
        return FALSE;
      sqlite3_reset (write);
      if (g_strcmp0 (old_verdict, verdict) != 0)
        b->count++;
    }
  return TRUE;
}

gboolean
ob_contacts_edit_recheck (ObStore  *store,
                          GArray   *ids,
                          guint    *changed,
                          GError  **error)
{
  Batch b = { ids, NULL, 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  if (!ob_store_transaction (store, recheck_txn, &b, error))
    return FALSE;
  if (changed != NULL)
    *changed = b.count;
  return TRUE;
}

typedef struct
{
  GArray              *ids;
  ObSuppressionReason  reason;
  const char          *detail;
  GPtrArray           *entries;  /* ObSuppression: added, or to lift */
  guint                count;
} SuppressBatch;

static gboolean
suppress_txn (ObStore   *store,
              gpointer   user_data,
              GError   **error)
{
  SuppressBatch *b = user_data;
  g_autoptr(sqlite3_stmt) read = NULL;

  /* Seconds: the app's own writes give up at once meanwhile. */
  if (b->ids->len >= BULK_DELETE_MIN_ROWS)
    ob_store_mark_long_write (store);
  read = ob_store_prepare (store, "SELECT email FROM contacts WHERE id = ?", error);
  if (read == NULL)
    return FALSE;
  for (guint i = 0; i < b->ids->len; i++)
    {
      g_autofree char *email = NULL;
      ObSuppression *added = NULL;

      sqlite3_bind_int64 (read, 1, g_array_index (b->ids, gint64, i));
      if (sqlite3_step (read) == SQLITE_ROW)
        email = column_dup (read, 0);
      sqlite3_reset (read);
      if (email == NULL)
        continue;
      if (!ob_suppressions_add_new (store, email, b->reason, "user", b->detail, &added, error))
        return FALSE;
      if (added != NULL)
        g_ptr_array_add (b->entries, added);
    }
  return TRUE;
}

/**
 * ob_contacts_edit_suppress:
 * @reason: why, as the user said it
 * @note: (nullable): the user's words, kept as the entry's detail
 * @added: (out) (optional) (transfer full): the entries added, as
 *   ob_contacts_edit_undo_suppress() takes them (a GPtrArray of
 *   ObSuppression; its length is how many)
 *
 * Adds each contact's address to the suppression list (source "user");
 * the contacts' status follows. An address the list covers already (by
 * its own entry or its domain's) is left as it is, and not counted. One
 * transaction; a selection can be a whole list: run it in a worker on a
 * connection of its own (ob_store_open_another()).
 */
gboolean
ob_contacts_edit_suppress (ObStore              *store,
                           GArray               *ids,
                           ObSuppressionReason   reason,
                           const char           *note,
                           GPtrArray           **added,
                           GError              **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_suppression_free);
  g_autofree char *clean = g_strstrip (g_strdup (note != NULL ? note : ""));
  SuppressBatch b = { ids, reason, NULL, NULL, 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);
  g_return_val_if_fail (reason <= OB_SUPPRESSION_MANUAL, FALSE);

  b.detail = *clean != '\0' ? clean : _("Suppressed from the Contacts page");
  b.entries = entries;
  if (!ob_store_transaction (store, suppress_txn, &b, error))
    return FALSE;
  if (added != NULL)
    *added = g_steal_pointer (&entries);
  return TRUE;
}

static gboolean
undo_suppress_txn (ObStore   *store,
                   gpointer   user_data,
                   GError   **error)
{
  SuppressBatch *b = user_data;
  const char *why = _("Undone on the Contacts page right after it was added");

  if (b->entries->len >= BULK_DELETE_MIN_ROWS)
    ob_store_mark_long_write (store);
  for (guint i = 0; i < b->entries->len; i++)
    {
      gboolean lifted = FALSE;

      if (!ob_suppressions_lift (store, g_ptr_array_index (b->entries, i), why, &lifted, error))
        return FALSE;
      b->count += lifted;
    }
  return TRUE;
}

/**
 * ob_contacts_edit_undo_suppress:
 * @added: the entries ob_contacts_edit_suppress() added
 * @lifted: (out) (optional): how many were lifted
 *
 * Undoes ob_contacts_edit_suppress(): lifts the entries it added, and
 * only those, each logged as a removal that says it was undone; the
 * contacts' status goes back to what the rest of the list gives them. An
 * entry something else took over since (a bounce, a complaint) stays
 * (ob_suppressions_lift()). One transaction, in a worker like the
 * suppression.
 */
gboolean
ob_contacts_edit_undo_suppress (ObStore    *store,
                                GPtrArray  *added,
                                guint      *lifted,
                                GError    **error)
{
  SuppressBatch b = { NULL, OB_SUPPRESSION_MANUAL, NULL, added, 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (added != NULL, FALSE);

  if (!ob_store_transaction (store, undo_suppress_txn, &b, error))
    return FALSE;
  if (lifted != NULL)
    *lifted = b.count;
  return TRUE;
}
