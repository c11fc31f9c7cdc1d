/* ob-contact-importer.c — imports a CSV/TSV file or a vCard into the
 * contacts, with offline hygiene and deduplication, in one transaction.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ob-address.h"
#include "ob-contact-importer.h"
#include "ob-contact-private.h"
#include "ob-contacts.h"
#include "ob-csv-private.h"
#include "ob-import-private.h"
#include "ob-import-row-private.h"

#define PROGRESS_EVERY 2000
#define CANCEL_EVERY   256

struct _ObContactImporter
{
  GObject   parent_instance;

  ObStore  *store;
  GFile    *file;
  char     *source;
  GStrv     tags;
  gboolean  apply_suggestions;

  /* Written by the worker, read on the main context. */
  GMutex         lock;
  ObImportStage  stage;
  double         fraction;
  guint          rows;
  gboolean       progress_pending;
};

G_DEFINE_FINAL_TYPE (ObContactImporter, ob_contact_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FILE,
  PROP_SOURCE,
  PROP_APPLY_SUGGESTIONS,
  PROP_FRACTION,
  PROP_ROWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What one run needs, copied so the worker never reads the object. */
typedef struct
{
  ObContactImporter *self;
  GMainContext      *context;
  ObStore           *conn;
  GCancellable      *cancellable;
  gboolean           bulk;     /* secondary indexes dropped, made again at the end */
  char              *source;
  GStrv              tags;
  gint64             now;
  gint64             max_id_before;
  GHashTable        *tag_ids;
  GHashTable        *touched;  /* ids of existing contacts this import updated → the line */
  GArray            *new_lines; /* of guint: the line of each id after max_id_before */
  GHashTable        *suppressed_addresses;
  GHashTable        *suppressed_domains;
  ObImportChecker   *checker;       /* the rows' hygiene */
  sqlite3_stmt      *find;
  sqlite3_stmt      *insert;
  sqlite3_stmt      *update;
  sqlite3_stmt      *tag_insert;
  sqlite3_stmt      *tag_find;
  sqlite3_stmt      *tag_link;
  sqlite3_stmt      *fts_save;
  GPtrArray         *fts_triggers; /* CREATE TRIGGER statements dropped for the import */
  GPtrArray         *indexes;      /* CREATE INDEX statements dropped for a bulk import */
  ObImportReport    *report;
} Job;

/* Statements and the connection belong to the thread that ran the job. */
static void
job_close (Job *job)
{
  g_clear_pointer (&job->find, sqlite3_finalize);
  g_clear_pointer (&job->insert, sqlite3_finalize);
  g_clear_pointer (&job->update, sqlite3_finalize);
  g_clear_pointer (&job->tag_insert, sqlite3_finalize);
  g_clear_pointer (&job->tag_find, sqlite3_finalize);
  g_clear_pointer (&job->tag_link, sqlite3_finalize);
  g_clear_pointer (&job->fts_save, sqlite3_finalize);
  if (job->conn != NULL)
    sqlite3_progress_handler (ob_store_get_db (job->conn), 0, NULL, NULL);
  g_clear_object (&job->conn);
}

static void
job_free (Job *job)
{
  job_close (job);
  g_clear_pointer (&job->tag_ids, g_hash_table_unref);
  g_clear_pointer (&job->touched, g_hash_table_unref);
  g_clear_pointer (&job->new_lines, g_array_unref);
  g_clear_pointer (&job->suppressed_addresses, g_hash_table_unref);
  g_clear_pointer (&job->suppressed_domains, g_hash_table_unref);
  g_clear_pointer (&job->fts_triggers, g_ptr_array_unref);
  g_clear_pointer (&job->indexes, g_ptr_array_unref);
  g_clear_pointer (&job->report, ob_import_report_free);
  g_clear_pointer (&job->checker, _ob_import_checker_free);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->self);
  g_free (job->source);
  g_strfreev (job->tags);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static gboolean
deliver_progress_cb (gpointer user_data)
{
  ObContactImporter *self = user_data;

  g_mutex_lock (&self->lock);
  self->progress_pending = FALSE;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  return G_SOURCE_REMOVE;
}

/* Where each stage starts on the progress bar, from what a million rows
 * took: after a big import (bulk) the indexes and the search index take
 * twice as long as reading the rows; after a small one they are quick. */
static const double STAGE_START[2][OB_IMPORT_STAGE_SAVING + 2] = {
  /* reading, indexing, search, saving, end */
  { 0.00, 0.90, 0.90, 0.97, 1.00 },
  { 0.00, 0.30, 0.55, 0.85, 1.00 },
};

/* @done: how far @stage is, 0 to 1. */
static void
report_progress (Job           *job,
                 ObImportStage  stage,
                 double         done,
                 guint          rows)
{
  ObContactImporter *self = job->self;
  const double *start = STAGE_START[job->bulk ? 1 : 0];
  gboolean schedule;

  g_mutex_lock (&self->lock);
  self->stage = stage;
  self->fraction = start[stage] + (start[stage + 1] - start[stage]) * CLAMP (done, 0.0, 1.0);
  self->rows = rows;
  schedule = !self->progress_pending;
  self->progress_pending = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_progress_cb,
                                g_object_ref (self), g_object_unref);
}

static gboolean
prepare_statements (Job     *job,
                    GError **error)
{
  ObStore *c = job->conn;

  job->find = ob_store_prepare (c, "SELECT id FROM contacts WHERE email_key = ?", error);
  if (job->find == NULL)
    return FALSE;
  job->insert = ob_store_prepare (c,
    "INSERT INTO contacts (email, email_key, domain, name, first_name, last_name, company, title,"
    " phone, website, country, country_inferred, timezone, timezone_override, source, notes,"
    " custom_json, verdict, reasons, flags, suggestion, status, checked_at, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    " ?20, ?21, ?22, ?23, ?23, ?23) ON CONFLICT (email_key) DO NOTHING", error);
  if (job->insert == NULL)
    return FALSE;
  /* The file's non-empty values win; the status a person or a bounce set
   * (suppressed, unsubscribed) is never lifted by an import. */
  job->update = ob_store_prepare (c,
    "UPDATE contacts SET name = coalesce (?4, name), first_name = coalesce (?5, first_name),"
    " last_name = coalesce (?6, last_name), company = coalesce (?7, company),"
    " title = coalesce (?8, title), phone = coalesce (?9, phone), website = coalesce (?10, website),"
    " country = CASE WHEN ?11 IS NOT NULL AND (?12 = 0 OR country IS NULL) THEN ?11 ELSE country END,"
    " country_inferred = CASE WHEN ?11 IS NOT NULL AND (?12 = 0 OR country IS NULL) THEN ?12 ELSE country_inferred END,"
    " timezone = CASE WHEN timezone_override = 1 AND ?14 = 0 THEN timezone"
    "                 WHEN ?13 IS NOT NULL THEN ?13 ELSE timezone END,"
    " timezone_override = max (timezone_override, ?14),"
    " source = coalesce (source, ?15), notes = coalesce (?16, notes),"
    " custom_json = CASE WHEN ?17 IS NULL THEN custom_json ELSE json_patch (coalesce (custom_json, '{}'), ?17) END,"
    " verdict = ?18, reasons = ?19, flags = ?20, suggestion = ?21,"
    " status = CASE WHEN status IN ('suppressed', 'unsubscribed') THEN status ELSE ?22 END,"
    " checked_at = ?23, updated_at = ?23"
    " WHERE id = ?24", error);
  if (job->update == NULL)
    return FALSE;
  job->tag_insert = ob_store_prepare (c, "INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)", error);
  job->tag_find = job->tag_insert ? ob_store_prepare (c, "SELECT id FROM tags WHERE name = ?", error) : NULL;
  job->tag_link = job->tag_find ?
    ob_store_prepare (c, "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)", error) : NULL;
  return job->tag_link != NULL;
}

static gboolean
step_row (Job          *job,
          sqlite3_stmt *stmt,
          gboolean     *has_row,
          gint64       *value,
          GError      **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW && value != NULL)
    *value = sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ob_store_set_error (job->conn, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
step_write (Job           *job,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  gboolean ok = ob_store_step_done (job->conn, stmt, error);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

static gboolean
is_cancelled (GCancellable  *cancellable,
              GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("The import was cancelled; nothing was changed."));
      return TRUE;
    }
  return FALSE;
}

/* A big import into a table not much bigger than it: its secondary
 * indexes are dropped inside the transaction and made again at the end,
 * one sort each instead of a million scattered inserts. The unique
 * indexes stay: deduplication needs them. */
#define BULK_MIN_ROWS 10000

static gboolean
bulk_begin (Job         *job,
            const char  *text,
            gsize        len,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) count = NULL;
  gsize lines = 0;
  gint64 existing = 0;
  gboolean has_row;

  for (const char *p = text; (p = memchr (p, '\n', text + len - p)) != NULL; p++)
    lines++;
  if (lines < BULK_MIN_ROWS)
    return TRUE;
  count = ob_store_prepare (job->conn, "SELECT count(*) FROM contacts", error);
  if (count == NULL || !step_row (job, count, &has_row, &existing, error))
    return FALSE;
  if ((gint64) lines * 2 < existing)
    return TRUE;
  job->bulk = TRUE;
  g_debug ("Import: bulk mode for about %" G_GSIZE_FORMAT " rows into %" G_GINT64_FORMAT, lines, existing);
  /* Seconds to minutes: the app's own writes give up at once meanwhile,
   * rather than freeze the window for the busy timeout. */
  ob_store_mark_long_write (job->conn);
  return _ob_contacts_drop_schema_objects (job->conn, "index", "sql NOT LIKE 'CREATE UNIQUE%'", &job->indexes,
                                           error);
}

/* The search index is filled once at the end of the import, not row by
 * row: SQLite's FTS5 flushes its pending terms at every statement inside
 * a transaction, so a trigger per inserted row costs far more than the
 * row itself. The triggers that keep contacts_fts in step are dropped
 * inside the import's transaction and recreated as they were before it
 * commits; a failure or a cancel rolls all of it back. */
static gboolean
fts_defer_begin (Job     *job,
                 GError **error)
{
  if (!_ob_contacts_drop_schema_objects (job->conn, "trigger", "sql LIKE '%contacts_fts%'", &job->fts_triggers, error))
    return FALSE;

  /* What the index holds for contacts the import changes the words of,
   * so their old terms can be taken out before the new ones go in. The
   * update (job->update) never changes the address, and gives a name, a
   * company or notes only when the file has one: a contact whose words
   * stay as they are (a list imported again) is left out, and its terms
   * stay in the index untouched. The first save of an id is the one
   * that counts: what the index holds. */
  if (!ob_store_exec (job->conn,
                      "CREATE TEMP TABLE ob_import_fts_old (id INTEGER PRIMARY KEY, name, company, email, notes)",
                      error))
    return FALSE;
  job->fts_save = ob_store_prepare (job->conn,
                                    "INSERT OR IGNORE INTO temp.ob_import_fts_old (id, name, company, email, notes)"
                                    " SELECT id, name, company, email, notes FROM main.contacts WHERE id = ?1"
                                    " AND ((?2 IS NOT NULL AND ?2 IS NOT name) OR (?3 IS NOT NULL AND ?3 IS NOT company)"
                                    "      OR (?4 IS NOT NULL AND ?4 IS NOT notes))",
                                    error);
  return job->fts_save != NULL;
}

/* The new contacts go into the search index this many ids at a time, so
 * that the progress bar moves and Cancel is seen between two. */
#define FTS_FILL_IDS 50000

static gboolean
fts_defer_finish (Job     *job,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) max = NULL;
  g_autoptr(sqlite3_stmt) fill = NULL;
  gboolean has_row;
  gint64 max_id = 0;

  if (!ob_store_exec (job->conn,
                      "INSERT INTO contacts_fts (contacts_fts, rowid, name, company, email, notes)"
                      " SELECT 'delete', id, name, company, email, notes FROM temp.ob_import_fts_old",
                      error))
    return FALSE;
  max = ob_store_prepare (job->conn, "SELECT coalesce (max (id), 0) FROM contacts", error);
  if (max == NULL || !step_row (job, max, &has_row, &max_id, error))
    return FALSE;
  fill = ob_store_prepare (job->conn,
                           "INSERT INTO contacts_fts (rowid, name, company, email, notes)"
                           " SELECT id, name, company, email, notes FROM main.contacts WHERE id > ?1 AND id <= ?2",
                           error);
  if (fill == NULL)
    return FALSE;
  /* One big fill, in parts: FTS5 would merge its segments again and again
   * while it writes (automerge); let it write them once and merge only when
   * a level holds 64. The defaults (4 and 16) come back for the rows to come. All in
   * the import's transaction. */
  if (!ob_store_exec (job->conn,
                      "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('automerge', 0);"
                      "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('crisismerge', 64)", error) ||
      !ob_store_exec (job->conn,
                      "INSERT INTO contacts_fts (rowid, name, company, email, notes)"
                      " SELECT id, name, company, email, notes FROM main.contacts"
                      " WHERE id IN (SELECT id FROM temp.ob_import_fts_old)", error))
    return FALSE;
  for (gint64 from = job->max_id_before; from < max_id; from += FTS_FILL_IDS)
    {
      sqlite3_bind_int64 (fill, 1, from);
      sqlite3_bind_int64 (fill, 2, from + FTS_FILL_IDS);
      if (!step_write (job, fill, error) || is_cancelled (job->cancellable, error))
        return FALSE;
      report_progress (job, OB_IMPORT_STAGE_SEARCH,
                       (double) (from + FTS_FILL_IDS - job->max_id_before) / (max_id - job->max_id_before),
                       job->report->rows);
    }
  if (!ob_store_exec (job->conn,
                      "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('automerge', 4);"
                      "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('crisismerge', 16)", error))
    return FALSE;
  g_clear_pointer (&job->fts_save, sqlite3_finalize);
  if (!ob_store_exec (job->conn, "DROP TABLE temp.ob_import_fts_old", error))
    return FALSE;
  return _ob_contacts_recreate_schema_objects (job->conn, job->fts_triggers, error);
}

static guint
ascii_nocase_hash (gconstpointer key)
{
  guint h = 5381;

  for (const char *p = key; *p != '\0'; p++)
    h = (h << 5) + h + (guchar) g_ascii_tolower (*p);
  return h;
}

static gboolean
ascii_nocase_equal (gconstpointer a,
                    gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* The suppression list, read once: every row is checked against it. */
static gboolean
load_suppressions (Job     *job,
                   GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (job->conn, "SELECT kind, value FROM suppressions", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (kind == NULL || value == NULL)
        continue;
      if (g_str_equal (kind, "address"))
        g_hash_table_add (job->suppressed_addresses, g_strdup (value));
      else if (g_str_equal (kind, "domain"))
        g_hash_table_add (job->suppressed_domains, g_strdup (value));
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (job->conn, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tag_contact (Job         *job,
             gint64       contact_id,
             const char  *tag,
             GError     **error)
{
  gpointer cached;
  gint64 tag_id;
  gboolean has_row;

  if (!g_hash_table_lookup_extended (job->tag_ids, tag, NULL, &cached))
    {
      sqlite3_bind_text (job->tag_insert, 1, tag, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (job->tag_insert, 2, job->now);
      if (!step_row (job, job->tag_insert, &has_row, NULL, error))
        return FALSE;
      sqlite3_bind_text (job->tag_find, 1, tag, -1, SQLITE_TRANSIENT);
      if (!step_row (job, job->tag_find, &has_row, &tag_id, error))
        return FALSE;
      if (!has_row)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                       _("The tag “%s” could not be added"), tag);
          return FALSE;
        }
      g_hash_table_insert (job->tag_ids, g_strdup (tag), GSIZE_TO_POINTER ((gsize) tag_id));
    }
  else
    tag_id = (gint64) GPOINTER_TO_SIZE (cached);

  sqlite3_bind_int64 (job->tag_link, 1, contact_id);
  sqlite3_bind_int64 (job->tag_link, 2, tag_id);
  return step_row (job, job->tag_link, &has_row, NULL, error);
}

static gboolean
tag_all (Job            *job,
         gint64          contact_id,
         ObImportRecord *record,
         GError        **error)
{
  for (guint i = 0; job->tags != NULL && job->tags[i] != NULL; i++)
    if (!tag_contact (job, contact_id, job->tags[i], error))
      return FALSE;

  if (record->values[OB_FIELD_TAGS] != NULL)
    {
      g_auto(GStrv) tags = g_strsplit_set (record->values[OB_FIELD_TAGS], ",;，；、|", -1);

      for (guint i = 0; tags[i] != NULL; i++)
        {
          g_strstrip (tags[i]);
          if (*tags[i] != '\0' && !tag_contact (job, contact_id, tags[i], error))
            return FALSE;
        }
    }
  return TRUE;
}

/* @value must outlive the statement's next step: every caller resets
 * and clears the bindings right after it. */
static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           i,
                   const char   *value)
{
  if (value != NULL && *value != '\0')
    sqlite3_bind_text (stmt, i, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static void
bind_address (Job          *job,
              sqlite3_stmt *stmt,
              ObImportRow     *row,
              ObImportAddress *a)
{
  ObImportRecord *record = row->record;
  ObAddressCheck *check = a->check;

  bind_text_or_null (stmt, 1, ob_address_check_get_address (check));
  bind_text_or_null (stmt, 2, a->key);
  bind_text_or_null (stmt, 3, ob_address_check_get_domain (check));
  bind_text_or_null (stmt, 4, row->name);
  bind_text_or_null (stmt, 5, record->values[OB_FIELD_FIRST_NAME]);
  bind_text_or_null (stmt, 6, record->values[OB_FIELD_LAST_NAME]);
  bind_text_or_null (stmt, 7, record->values[OB_FIELD_COMPANY]);
  bind_text_or_null (stmt, 8, record->values[OB_FIELD_TITLE]);
  bind_text_or_null (stmt, 9, record->values[OB_FIELD_PHONE]);
  bind_text_or_null (stmt, 10, record->values[OB_FIELD_WEBSITE]);
  bind_text_or_null (stmt, 11, a->country);
  sqlite3_bind_int (stmt, 12, a->country_inferred);
  bind_text_or_null (stmt, 13, a->timezone);
  sqlite3_bind_int (stmt, 14, a->timezone_override);
  bind_text_or_null (stmt, 15, record->values[OB_FIELD_SOURCE] ? record->values[OB_FIELD_SOURCE] : job->source);
  bind_text_or_null (stmt, 16, record->values[OB_FIELD_NOTES]);
  bind_text_or_null (stmt, 17, row->custom);
  sqlite3_bind_text (stmt, 18, ob_address_verdict_to_string (ob_address_check_get_verdict (check)), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 19, a->reasons);
  bind_text_or_null (stmt, 20, a->flags);
  bind_text_or_null (stmt, 21, ob_address_check_get_suggestion (check));
  sqlite3_bind_text (stmt, 22, a->suppressed ? "suppressed" : "active", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 23, job->now);
}

/* The line each new contact came from, for the report of a duplicate
 * within the file: 4 bytes a contact, where the ids follow each other. */
static void
remember_line (Job    *job,
               gint64  id,
               guint   line)
{
  gint64 i = id - job->max_id_before - 1;

  if (i < 0 || i >= G_MAXUINT)
    return;
  if ((guint) i >= job->new_lines->len)
    g_array_set_size (job->new_lines, (guint) i + 1);
  g_array_index (job->new_lines, guint, (guint) i) = line;
}

static guint
first_line (Job    *job,
            gint64  id)
{
  gint64 i = id - job->max_id_before - 1;

  return i >= 0 && i < job->new_lines->len ? g_array_index (job->new_lines, guint, (guint) i) : 0;
}

/* Writes one checked address and counts it in the report, in file order. */
static gboolean
address_write (Job      *job,
               ObImportRow      *row,
               ObImportAddress  *a,
               GError  **error)
{
  ObImportRecord *record = row->record;
  gboolean exists;
  gpointer first;
  gint64 id;

  if (a->suggestion != NULL)
    job->report->suggestions++;
  if (a->applied)
    ob_import_report_add_problem (job->report, record->line, a->input,
                                  (const char * const *) a->applied_ids, a->suggestion, TRUE);

  if (a->invalid_ids != NULL)
    {
      job->report->invalid++;
      ob_import_report_add_problem (job->report, record->line, a->input,
                                    (const char * const *) a->invalid_ids, a->suggestion, FALSE);
      return TRUE;
    }

  if (a->suppressed)
    {
      const char *ids[] = { "suppressed", NULL };

      job->report->suppressed++;
      if (!a->applied)
        ob_import_report_add_problem (job->report, record->line, a->input, ids, NULL, FALSE);
    }

  /* Most rows are new: insert, and look the key up only when it is taken. */
  bind_address (job, job->insert, row, a);
  if (!step_write (job, job->insert, error))
    return FALSE;
  if (sqlite3_changes (ob_store_get_db (job->conn)) > 0)
    {
      id = ob_store_last_insert_id (job->conn);
      job->report->imported++;
      remember_line (job, id, record->line);
      return tag_all (job, id, record, error);
    }

  sqlite3_bind_text (job->find, 1, a->key, -1, SQLITE_TRANSIENT);
  if (!step_row (job, job->find, &exists, &id, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                   _("Line %u: the address “%s” could not be saved."), record->line, a->input);
      return FALSE;
    }

  if (id <= job->max_id_before)
    {
      /* As job->update takes them (bind_address). */
      sqlite3_bind_int64 (job->fts_save, 1, id);
      bind_text_or_null (job->fts_save, 2, row->name);
      bind_text_or_null (job->fts_save, 3, record->values[OB_FIELD_COMPANY]);
      bind_text_or_null (job->fts_save, 4, record->values[OB_FIELD_NOTES]);
      if (!step_write (job, job->fts_save, error))
        return FALSE;
    }

  bind_address (job, job->update, row, a);
  sqlite3_bind_int64 (job->update, 24, id);
  if (!step_write (job, job->update, error))
    return FALSE;

  if (id > job->max_id_before)
    {
      job->report->duplicates_in_file++;
      ob_import_report_add_duplicate (job->report, record->line, a->input, first_line (job, id));
    }
  else if (g_hash_table_lookup_extended (job->touched, GSIZE_TO_POINTER ((gsize) id), NULL, &first))
    {
      job->report->duplicates_in_file++;
      ob_import_report_add_duplicate (job->report, record->line, a->input, GPOINTER_TO_UINT (first));
    }
  else
    {
      g_hash_table_insert (job->touched, GSIZE_TO_POINTER ((gsize) id), GUINT_TO_POINTER (record->line));
      job->report->duplicates_in_db++;
      job->report->updated++;
    }

  return tag_all (job, id, record, error);
}

static gboolean
row_write (Job      *job,
           ObImportRow  *row,
           GError  **error)
{
  job->report->rows++;

  if (row->record->values[OB_FIELD_EMAIL] == NULL)
    {
      const char *ids[] = { "syntax", NULL };

      job->report->invalid++;
      ob_import_report_add_problem (job->report, row->record->line, "", ids, NULL, FALSE);
      return TRUE;
    }

  for (guint i = 0; i < row->n_addresses; i++)
    if (!address_write (job, row, &row->addresses[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
import_csv (Job           *job,
            const char    *text,
            gsize          len,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(ObCsvReader) reader = _ob_csv_reader_new (text, len, 0);
  g_autoptr(GPtrArray) header = NULL;
  g_autofree ObImportColumn *columns = NULL;
  guint header_line = 0;
  gboolean has_email = FALSE;
  gboolean headerless = FALSE;
  guint n_columns;
  ObImportPipe *pipe;
  gboolean ok = TRUE;

  job->report->delimiter = _ob_csv_reader_get_delimiter (reader);
  if (!_ob_csv_reader_next (reader, &header, &header_line, error))
    return FALSE;
  if (header == NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE, _("The file holds no rows."));
      return FALSE;
    }

  n_columns = header->len;
  columns = g_new0 (ObImportColumn, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      columns[i].header = g_ptr_array_index (header, i);
      columns[i].field = _ob_field_from_headers (header, i);
      has_email |= columns[i].field == OB_FIELD_EMAIL;
    }

  if (!has_email)
    {
      /* No header row, just data: the column with addresses is the email. */
      for (guint i = 0; i < n_columns; i++)
        if (strchr (columns[i].header, '@') != NULL || strstr (columns[i].header, "＠") != NULL)
          {
            columns[i].field = OB_FIELD_EMAIL;
            has_email = TRUE;
            headerless = TRUE;
          }
      if (!has_email)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE,
                       _("Line %u: no column holds email addresses. Name that column “Email” or “邮箱”."),
                       header_line);
          return FALSE;
        }
    }

  pipe = _ob_import_pipe_start (reader, columns, n_columns, headerless, header, header_line, job->checker);
  for (;;)
    {
      ObImportBatch *batch = _ob_import_pipe_next (pipe);
      gboolean last = batch->last;

      for (guint i = 0; ok && i < batch->rows->len; i++)
        {
          ok = row_write (job, g_ptr_array_index (batch->rows, i), error);
          if (ok && job->report->rows % CANCEL_EVERY == 0 && is_cancelled (cancellable, error))
            ok = FALSE;
          if (ok && job->report->rows % PROGRESS_EVERY == 0)
            report_progress (job, OB_IMPORT_STAGE_READING, (double) batch->offset / MAX (len, 1), job->report->rows);
        }
      if (ok && batch->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&batch->error));
          ok = FALSE;
        }
      _ob_import_pipe_give_back (pipe, batch, ok);
      if (last || !ok)
        break;
    }
  _ob_import_pipe_finish (pipe);
  return ok;
}

static gboolean
import_vcard (Job           *job,
              const char    *text,
              gsize          len,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) records = _ob_vcard_parse (text, len, error);

  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      ObImportRow *row = _ob_import_row_new (job->checker, g_steal_pointer (&g_ptr_array_index (records, i)));
      gboolean ok = row_write (job, row, error);

      _ob_import_row_free (row);
      if (!ok)
        return FALSE;
      if (i % CANCEL_EVERY == 0 && is_cancelled (cancellable, error))
        return FALSE;
      if (i % PROGRESS_EVERY == 0)
        report_progress (job, OB_IMPORT_STAGE_READING, (double) i / records->len, i);
    }
  return TRUE;
}

/* Cancel reaches a statement that runs long (an index made again, a part
 * of the search index): SQLite stops it, and the transaction is rolled
 * back like any failure. */
static int
interrupt_cb (void *data)
{
  Job *job = data;

  return g_cancellable_is_cancelled (job->cancellable);
}

static gboolean
recreate_indexes (Job     *job,
                  GError **error)
{
  for (guint i = 0; job->indexes != NULL && i < job->indexes->len; i++)
    {
      if (!ob_store_exec (job->conn, g_ptr_array_index (job->indexes, i), error))
        return FALSE;
      report_progress (job, OB_IMPORT_STAGE_INDEXING, (double) (i + 1) / job->indexes->len, job->report->rows);
    }
  return TRUE;
}

static ObImportReport *
run_job (Job           *job,
         GFile         *file,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  g_autofree char *where = g_file_get_parse_name (file);
  g_autoptr(GError) local = NULL;
  const char *encoding = NULL;
  gint64 started = g_get_monotonic_time ();
  gboolean ok;
  gsize len;

  if (!g_file_load_contents (file, cancellable, &data, &len, NULL, &local))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Cannot read “%s”: "), where);
      return NULL;
    }

  text = _ob_text_decode (data, len, &encoding, &local);
  g_clear_pointer (&data, g_free);
  if (text == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", where);
      return NULL;
    }
  job->report->encoding = g_strdup (encoding);
  len = strlen (text);

  job->conn = ob_store_open_another (job->self->store, error);
  if (job->conn == NULL)
    return NULL;
  /* A big import rewrites the same index pages again and again: a larger
   * page cache keeps them out of the WAL until commit. The CHECK
   * constraints of contacts (verdict and status IN lists) cost SQLite a
   * temporary table per row; this connection only writes the values
   * they allow (ob_address_verdict_to_string, 'active', 'suppressed'). */
  if (!ob_store_exec (job->conn, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA ignore_check_constraints = ON", error))
    return NULL;
  job->cancellable = cancellable;
  sqlite3_progress_handler (ob_store_get_db (job->conn), 100000, interrupt_cb, job);
  if (!prepare_statements (job, error))
    return NULL;
  if (!ob_store_begin (job->conn, error))
    return NULL;

  {
    g_autoptr(sqlite3_stmt) max = ob_store_prepare (job->conn, "SELECT coalesce (max (id), 0) FROM contacts", error);
    gboolean has_row;

    if (max == NULL || !step_row (job, max, &has_row, &job->max_id_before, error))
      {
        ob_store_rollback (job->conn);
        return NULL;
      }
  }

  if (!load_suppressions (job, error) || !fts_defer_begin (job, error) ||
      !bulk_begin (job, text, len, error))
    {
      ob_store_rollback (job->conn);
      return NULL;
    }

  if (_ob_vcard_looks_like (text, len))
    {
      job->report->format = g_strdup ("vcard");
      ok = import_vcard (job, text, len, cancellable, &local);
    }
  else
    {
      job->report->format = g_strdup ("csv");
      ok = import_csv (job, text, len, cancellable, &local);
    }

  /* The file and the reader's leftovers are not needed any more; the
   * indexes to come need the memory. */
  g_clear_pointer (&text, g_free);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  g_debug ("Import: %u rows written after %.2f s", job->report->rows,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  if (ok && is_cancelled (cancellable, &local))
    ok = FALSE;
  if (ok)
    ok = recreate_indexes (job, &local);
  g_debug ("Import: indexes made after %.2f s",
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  if (ok)
    ok = fts_defer_finish (job, &local);
  g_debug ("Import: search index filled after %.2f s",
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  /* The last moment Cancel counts: the commit is not interrupted. */
  sqlite3_progress_handler (ob_store_get_db (job->conn), 0, NULL, NULL);
  if (ok)
    {
      report_progress (job, OB_IMPORT_STAGE_SAVING, 0.0, job->report->rows);
      ok = !is_cancelled (cancellable, &local);
    }
  if (!ok)
    {
      /* A statement SQLite stopped for Cancel says "interrupted". */
      if (g_cancellable_is_cancelled (cancellable) && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&local);
          is_cancelled (cancellable, &local);
        }
      ob_store_rollback (job->conn);
      if (local->domain == OB_CONTACTS_ERROR)
        g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", where);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (!ob_store_commit (job->conn, error))
    return NULL;
  g_debug ("Import: committed after %.2f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  job->report->duplicates = job->report->duplicates_in_file + job->report->duplicates_in_db;
  report_progress (job, OB_IMPORT_STAGE_SAVING, 1.0, job->report->rows);
  return g_steal_pointer (&job->report);
}

static Job *
job_new (ObContactImporter *self)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->context = g_main_context_ref_thread_default ();
  job->source = g_strdup (self->source);
  job->tags = g_strdupv (self->tags);
  job->now = g_get_real_time () / G_USEC_PER_SEC;
  job->tag_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->touched = g_hash_table_new (g_direct_hash, g_direct_equal);
  job->new_lines = g_array_new (FALSE, TRUE, sizeof (guint));
  /* An entry covers every case of its local part (see ob-suppressions.c):
   * looked up without copying each row's key. */
  job->suppressed_addresses = g_hash_table_new_full (ascii_nocase_hash, ascii_nocase_equal, g_free, NULL);
  job->suppressed_domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->checker = _ob_import_checker_new (self->apply_suggestions, job->suppressed_addresses,
                                         job->suppressed_domains);
  job->report = ob_import_report_new ();
  job->report->started_at = job->now;
  return job;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ObContactImporter *self = source_object;
  Job *job = task_data;
  GError *error = NULL;
  ObImportReport *report;

  report = run_job (job, self->file, cancellable, &error);
  /* The worker's connection is closed here, on its own thread. */
  job_close (job);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) ob_import_report_free);
}

static void
ob_contact_importer_finalize (GObject *object)
{
  ObContactImporter *self = (ObContactImporter *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->tags, g_strfreev);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ob_contact_importer_parent_class)->finalize (object);
}

static void
ob_contact_importer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ObContactImporter *self = OB_CONTACT_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_APPLY_SUGGESTIONS:
      g_value_set_boolean (value, self->apply_suggestions);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ob_contact_importer_get_fraction (self));
      break;
    case PROP_ROWS:
      g_value_set_uint (value, ob_contact_importer_get_rows (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_contact_importer_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ObContactImporter *self = OB_CONTACT_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_SOURCE:
      ob_contact_importer_set_source (self, g_value_get_string (value));
      break;
    case PROP_APPLY_SUGGESTIONS:
      ob_contact_importer_set_apply_suggestions (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_contact_importer_class_init (ObContactImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_contact_importer_finalize;
  object_class->get_property = ob_contact_importer_get_property;
  object_class->set_property = ob_contact_importer_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, OB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APPLY_SUGGESTIONS] =
    g_param_spec_boolean ("apply-suggestions", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROWS] =
    g_param_spec_uint ("rows", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_contact_importer_init (ObContactImporter *self)
{
  g_mutex_init (&self->lock);
}

ObContactImporter *
ob_contact_importer_new (ObStore *store,
                         GFile   *file)
{
  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (OB_TYPE_CONTACT_IMPORTER, "store", store, "file", file, NULL);
}

/* The source recorded for rows whose file has no source column. */
void
ob_contact_importer_set_source (ObContactImporter *self,
                                const char        *source)
{
  g_return_if_fail (OB_IS_CONTACT_IMPORTER (self));

  if (g_strcmp0 (self->source, source) != 0)
    {
      g_free (self->source);
      self->source = g_strdup (source);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
    }
}

/* Tags given to every imported contact. */
void
ob_contact_importer_set_tags (ObContactImporter  *self,
                              const char * const *tags)
{
  g_return_if_fail (OB_IS_CONTACT_IMPORTER (self));

  g_strfreev (self->tags);
  self->tags = g_strdupv ((char **) tags);
}

void
ob_contact_importer_set_apply_suggestions (ObContactImporter *self,
                                           gboolean           apply)
{
  g_return_if_fail (OB_IS_CONTACT_IMPORTER (self));

  apply = !!apply;
  if (self->apply_suggestions != apply)
    {
      self->apply_suggestions = apply;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLY_SUGGESTIONS]);
    }
}

/**
 * ob_contact_importer_get_stage:
 *
 * What the import is doing; it changes as notify::fraction arrives.
 */
ObImportStage
ob_contact_importer_get_stage (ObContactImporter *self)
{
  ObImportStage stage;

  g_return_val_if_fail (OB_IS_CONTACT_IMPORTER (self), OB_IMPORT_STAGE_READING);

  g_mutex_lock (&self->lock);
  stage = self->stage;
  g_mutex_unlock (&self->lock);
  return stage;
}

double
ob_contact_importer_get_fraction (ObContactImporter *self)
{
  double fraction;

  g_return_val_if_fail (OB_IS_CONTACT_IMPORTER (self), 0.0);

  g_mutex_lock (&self->lock);
  fraction = self->fraction;
  g_mutex_unlock (&self->lock);
  return fraction;
}

guint
ob_contact_importer_get_rows (ObContactImporter *self)
{
  guint rows;

  g_return_val_if_fail (OB_IS_CONTACT_IMPORTER (self), 0);

  g_mutex_lock (&self->lock);
  rows = self->rows;
  g_mutex_unlock (&self->lock);
  return rows;
}

/**
 * ob_contact_importer_import_async:
 *
 * Imports in a worker thread with its own database connection, in one
 * transaction: when it fails or @cancellable fires, the database is as it
 * was, up to the moment it commits (ob_contact_importer_get_stage() says
 * %OB_IMPORT_STAGE_SAVING). Progress arrives as notify::fraction and
 * notify::rows on the calling thread's main context; read the stage then.
 */
void
ob_contact_importer_import_async (ObContactImporter   *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_CONTACT_IMPORTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_contact_importer_import_async);
  g_task_set_task_data (task, job_new (self), (GDestroyNotify) job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, import_thread);
}

ObImportReport *
ob_contact_importer_import_finish (ObContactImporter  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (OB_IS_CONTACT_IMPORTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The same, on the calling thread (for the CLI and tests). */
ObImportReport *
ob_contact_importer_import (ObContactImporter  *self,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_IMPORTER (self), NULL);

  job = job_new (self);
  return run_job (job, self->file, cancellable, error);
}
