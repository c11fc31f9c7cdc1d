/* test-contacts-edit.c — the edits the Contacts page makes, headless:
 * one contact's details, tags, suppression, re-check and deletion (a
 * few, or most of a big table, on a worker's connection, all or
 * nothing).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-contacts.h"
#include "ob-contacts-edit.h"
#include "ob-core.h"
#include "ob-store.h"
#include "ob-suppressions.h"
#include "ob-test-util.h"

static int
query_int (ObStore    *store,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static char *
query_text (ObStore    *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static ObStore *
store_with_contacts (ObTestDir *dir)
{
  g_autofree char *path = ob_test_dir_file (dir, "edit.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
    "INSERT INTO contacts (id, email, email_key, domain, name, company, country, verdict, status, created_at, updated_at)"
    " VALUES (1, 'li.wei@hengda-valve.cn', 'li.wei@hengda-valve.cn', 'hengda-valve.cn', 'Li Wei', 'Hengda Valve',"
    "         'CN', 'valid', 'active', 10, 10),"
    "        (2, 'anna@stahlwerk.de', 'anna@stahlwerk.de', 'stahlwerk.de', 'Anna Schmidt', 'Stahlwerk',"
    "         'DE', 'valid', 'active', 20, 20),"
    "        (3, 'info@gmial.com', 'info@gmial.com', 'gmial.com', NULL, NULL, NULL, 'invalid', 'invalid', 30, 30)",
    &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static GArray *
ids_of (gint64 first,
        ...)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  va_list args;

  va_start (args, first);
  for (gint64 id = first; id != 0; id = va_arg (args, gint64))
    g_array_append_val (ids, id);
  va_end (args);
  return ids;
}

static void
test_edit_detail (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(ObContactDetail) d = NULL;
  g_autoptr(ObContactDetail) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tz = NULL;

  d = ob_contacts_edit_get (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->email, ==, "anna@stahlwerk.de");
  g_assert_cmpstr (d->company, ==, "Stahlwerk");
  g_assert_cmpuint (g_strv_length (d->tags), ==, 0);

  /* A country by name becomes its code, and brings its time zone. */
  g_free (d->country);
  d->country = g_strdup ("Austria");
  g_free (d->notes);
  d->notes = g_strdup ("Met at Hannover Messe");
  g_strfreev (d->tags);
  d->tags = g_strsplit ("fair-2026, steel ", ",", -1);
  g_assert_true (ob_contacts_edit_save (store, d, &error));
  g_assert_no_error (error);
  again = ob_contacts_edit_get (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->country, ==, "AT");
  g_assert_cmpstr (again->timezone, ==, "Europe/Vienna");
  g_assert_false (again->timezone_override);
  g_assert_cmpstr (again->notes, ==, "Met at Hannover Messe");
  g_assert_cmpuint (g_strv_length (again->tags), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) again->tags, "steel"));

  /* Bad input is refused and changes nothing. */
  g_free (again->country);
  again->country = g_strdup ("Atlantis");
  g_assert_false (ob_contacts_edit_save (store, again, &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
  g_clear_error (&error);
  g_free (again->country);
  again->country = g_strdup ("DE");
  again->timezone_override = TRUE;
  g_free (again->timezone);
  again->timezone = g_strdup ("Mars/Olympus");
  g_assert_false (ob_contacts_edit_save (store, again, &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
  g_clear_error (&error);
  tz = query_text (store, "SELECT country || ' ' || timezone FROM contacts WHERE id = 2");
  g_assert_cmpstr (tz, ==, "AT Europe/Vienna");

  g_assert_null (ob_contacts_edit_get (store, 99, &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND);
}

static void
test_edit_selection (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GArray) two = ids_of (1, (gint64) 2, (gint64) 0);
  g_autoptr(GArray) typo = ids_of (3, (gint64) 0);
  g_autoptr(GArray) first = ids_of (1, (gint64) 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  guint n = 0;

  /* Tags: a name without commas, once per contact. */
  g_assert_true (ob_contacts_edit_add_tag (store, two, " canton-2026 ", &error));
  g_assert_no_error (error);
  g_assert_true (ob_contacts_edit_add_tag (store, two, "canton-2026", &error));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                                     " WHERE t.name = 'canton-2026'"), ==, 2);
  g_assert_false (ob_contacts_edit_add_tag (store, two, "a,b", &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
  g_clear_error (&error);

  /* Suppress: on the list, and the contact's status follows. */
  g_assert_true (ob_contacts_edit_suppress (store, first, OB_SUPPRESSION_MANUAL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppressions"), ==, 1);
  status = query_text (store, "SELECT status FROM contacts WHERE id = 1");
  g_assert_cmpstr (status, ==, "suppressed");

  /* Re-check: the typo domain stays invalid, nothing changed verdict. */
  g_assert_true (ob_contacts_edit_recheck (store, typo, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_clear_pointer (&status, g_free);
  status = query_text (store, "SELECT verdict FROM contacts WHERE id = 3");
  g_assert_cmpstr (status, ==, "invalid");

  /* Delete: gone, tags with them. */
  g_assert_true (ob_contacts_edit_delete (store, two, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contact_tags"), ==, 0);
}

/* The reason and note the user gave are what the list and its log keep. */
static void
test_suppress_reason_note (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GArray) first = ids_of (1, (gint64) 0);
  g_autoptr(GArray) second = ids_of (2, (gint64) 0);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  g_autofree char *log = NULL;
  g_autofree char *status = NULL;
  g_autofree char *plain = NULL;

  g_assert_true (ob_contacts_edit_suppress (store, first, OB_SUPPRESSION_COMPLAINT, "  Angry reply to the May mail ",
                                            &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, 1);
  row = query_text (store, "SELECT reason || '|' || source || '|' || detail FROM suppressions"
                           " WHERE value = 'li.wei@hengda-valve.cn'");
  g_assert_cmpstr (row, ==, "complaint|user|Angry reply to the May mail");
  log = query_text (store, "SELECT action || '|' || reason || '|' || note FROM suppression_log");
  g_assert_cmpstr (log, ==, "add|complaint|Angry reply to the May mail");
  status = query_text (store, "SELECT status FROM contacts WHERE id = 1");
  g_assert_cmpstr (status, ==, "suppressed");

  /* Asked to be removed: the contact is unsubscribed, and with no note
   * the entry says where it came from. */
  g_clear_pointer (&added, g_ptr_array_unref);
  g_assert_true (ob_contacts_edit_suppress (store, second, OB_SUPPRESSION_UNSUBSCRIBED, "", &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, 1);
  g_clear_pointer (&status, g_free);
  status = query_text (store, "SELECT status FROM contacts WHERE id = 2");
  g_assert_cmpstr (status, ==, "unsubscribed");
  plain = query_text (store, "SELECT reason || '|' || detail FROM suppressions WHERE value = 'anna@stahlwerk.de'");
  g_assert_cmpstr (plain, ==, "unsubscribed|Suppressed from the Contacts page");
}

/* @store's contacts 1 and 2 suppressed before the user's action: 1 by its
 * address (a hard bounce, another case), 2 by its domain. */
static void
suppress_some_before (ObStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_suppressions_add (store, "LI.WEI@hengda-valve.cn", OB_SUPPRESSION_HARD_BOUNCE, "campaign:3",
                                      "550 5.1.1 no such user", &error));
  g_assert_no_error (error);
  g_assert_true (ob_suppressions_add (store, "@stahlwerk.de", OB_SUPPRESSION_MANUAL, "import", NULL, &error));
  g_assert_no_error (error);
}

/* An address the list covers already is neither counted nor changed. */
static void
test_suppress_already_suppressed (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GArray) all = ids_of (1, (gint64) 2, (gint64) 3, (gint64) 99, (gint64) 0);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hard = NULL;
  g_autofree char *domain = NULL;
  ObSuppression *s;

  suppress_some_before (store);
  g_assert_true (ob_contacts_edit_suppress (store, all, OB_SUPPRESSION_COMPLAINT, "Spam button", &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, 1);
  s = g_ptr_array_index (added, 0);
  g_assert_cmpstr (s->display, ==, "info@gmial.com");
  g_assert_cmpint (s->reason, ==, OB_SUPPRESSION_COMPLAINT);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppressions"), ==, 3);
  hard = query_text (store, "SELECT reason || '|' || source || '|' || detail FROM suppressions WHERE kind = 'address'"
                            " AND value = 'LI.WEI@hengda-valve.cn'");
  g_assert_cmpstr (hard, ==, "hard-bounce|campaign:3|550 5.1.1 no such user");
  domain = query_text (store, "SELECT reason || '|' || source FROM suppressions WHERE kind = 'domain'");
  g_assert_cmpstr (domain, ==, "manual|import");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppression_log WHERE reason = 'complaint'"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts WHERE status = 'suppressed'"), ==, 3);

  /* Twice: nothing new. */
  g_clear_pointer (&added, g_ptr_array_unref);
  g_assert_true (ob_contacts_edit_suppress (store, all, OB_SUPPRESSION_MANUAL, NULL, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppression_log"), ==, 3);
}

/* Undo lifts what the action added, and only that, logged; the contacts
 * go back to what the rest of the list makes them. */
static void
test_suppress_undo (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GArray) all = ids_of (1, (gint64) 2, (gint64) 3, (gint64) 0);
  g_autoptr(GArray) one = ids_of (1, (gint64) 0);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *statuses = NULL;
  g_autofree char *note = NULL;
  g_autofree char *kept = NULL;
  guint lifted = 99;

  g_assert_true (ob_store_exec (store, "UPDATE contacts SET verdict = 'valid', status = 'active' WHERE id = 3", &error));
  g_assert_no_error (error);
  g_assert_true (ob_suppressions_add (store, "@stahlwerk.de", OB_SUPPRESSION_MANUAL, "import", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ob_contacts_edit_suppress (store, all, OB_SUPPRESSION_UNSUBSCRIBED, "Asked at the fair", &added,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, 2);
  statuses = query_text (store, "SELECT group_concat (status, ',') FROM (SELECT status FROM contacts ORDER BY id)");
  g_assert_cmpstr (statuses, ==, "unsubscribed,suppressed,unsubscribed");

  g_assert_true (ob_contacts_edit_undo_suppress (store, added, &lifted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lifted, ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppressions"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppressions WHERE kind = 'domain'"), ==, 1);
  g_clear_pointer (&statuses, g_free);
  statuses = query_text (store, "SELECT group_concat (status, ',') FROM (SELECT status FROM contacts ORDER BY id)");
  g_assert_cmpstr (statuses, ==, "active,suppressed,active");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppression_log WHERE action = 'remove'"), ==, 2);
  note = query_text (store, "SELECT note FROM suppression_log WHERE action = 'remove' AND value = 'info@gmial.com'");
  g_assert_cmpstr (note, ==, "Undone on the Contacts page right after it was added");

  /* Undone twice: nothing left to lift. */
  g_assert_true (ob_contacts_edit_undo_suppress (store, added, &lifted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lifted, ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM suppression_log WHERE action = 'remove'"), ==, 2);

  /* A bounce took the entry over before Undo: it stays. */
  g_clear_pointer (&added, g_ptr_array_unref);
  g_assert_true (ob_contacts_edit_suppress (store, one, OB_SUPPRESSION_MANUAL, NULL, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_true (ob_suppressions_add (store, "li.wei@hengda-valve.cn", OB_SUPPRESSION_HARD_BOUNCE, "mailbox",
                                      NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ob_contacts_edit_undo_suppress (store, added, &lifted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lifted, ==, 0);
  kept = query_text (store, "SELECT reason FROM suppressions WHERE value = 'li.wei@hengda-valve.cn'");
  g_assert_cmpstr (kept, ==, "hard-bounce");
  g_clear_pointer (&statuses, g_free);
  statuses = query_text (store, "SELECT status FROM contacts WHERE id = 1");
  g_assert_cmpstr (statuses, ==, "suppressed");
}

/* @n contacts (ids 1…n), every tenth tagged, with an event each for the
 * first hundred. */
static ObStore *
store_with_many (ObTestDir *dir,
                 guint      n)
{
  g_autofree char *path = ob_test_dir_file (dir, "many.db");
  g_autofree char *fill = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (path, &error);

  g_assert_no_error (error);
  fill = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO contacts (id, email, email_key, domain, name, company, country, verdict, status,"
    "  created_at, updated_at)"
    " SELECT i, 'buyer' || i || '@firm' || (i %% 97) || '.de', 'buyer' || i || '@firm' || (i %% 97) || '.de',"
    "  'firm' || (i %% 97) || '.de', 'Buyer ' || i, 'Firm ' || (i %% 97), 'DE', 'valid', 'active', i, i FROM n;"
    "INSERT INTO tags (id, name, created_at) VALUES (1, 'fair', 1);"
    "INSERT INTO contact_tags (contact_id, tag_id) SELECT id, 1 FROM contacts WHERE id %% 10 = 0;"
    "INSERT INTO events (at, kind, contact_id) SELECT id, 'sent', id FROM contacts WHERE id <= 100;"
    "COMMIT;", n);
  g_assert_true (ob_store_exec (store, fill, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static GArray *
id_range (gint64 first,
          gint64 last)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (gint64 id = first; id <= last; id++)
    g_array_append_val (ids, id);
  return ids;
}

/* Everything a deletion may touch, as one string to compare. */
static char *
snapshot (ObStore *store)
{
  return g_strdup_printf ("%d contacts, %d tagged, %d events with a contact, %d without,"
                          " %d found by the search, schema %d",
                          query_int (store, "SELECT count(*) FROM contacts"),
                          query_int (store, "SELECT count(*) FROM contact_tags"),
                          query_int (store, "SELECT count(*) FROM events WHERE contact_id IS NOT NULL"),
                          query_int (store, "SELECT count(*) FROM events WHERE contact_id IS NULL"),
                          query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer'"),
                          query_int (store, "SELECT sum (length (sql)) + count(*) FROM sqlite_master"
                                            " WHERE tbl_name = 'contacts'"));
}

typedef struct
{
  ObStore  *store;
  GArray   *ids;
  gboolean  ok;
  GError   *error;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr(ObStore) conn = ob_store_open_another (w->store, &w->error);

  if (conn != NULL)
    w->ok = ob_contacts_edit_delete (conn, w->ids, &w->error);
  return NULL;
}

/* Deletes @ids on a connection of its own in a thread, as the page does. */
static gboolean
delete_in_worker (ObStore  *store,
                  GArray   *ids,
                  GError  **error)
{
  Worker w = { store, ids, FALSE, NULL };

  g_thread_join (g_thread_new ("delete", worker_thread, &w));
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

/* A deletion that fails midway (a rule in the database refuses one row
 * out of the middle) changes nothing: not the rows before it, not the
 * tags, events, search index, indexes or triggers; a few rows and most of
 * the table (whose indexes are made again) alike. */
static void
test_delete_all_or_nothing (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_many (dir, 30000);
  g_autoptr(GArray) few = id_range (90, 120);
  g_autoptr(GArray) most = id_range (1, 25000);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (ob_store_exec (store, "CREATE TRIGGER refuse_12345 BEFORE DELETE ON contacts"
                                       " WHEN old.id IN (100, 12345)"
                                       " BEGIN SELECT RAISE (ABORT, 'kept by the test'); END", &error));
  g_assert_no_error (error);
  before = snapshot (store);
  g_test_message ("before: %s", before);

  g_assert_false (delete_in_worker (store, few, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "kept by the test"));
  g_clear_error (&error);
  after = snapshot (store);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  g_assert_false (delete_in_worker (store, most, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  after = snapshot (store);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')", &error));
  g_assert_no_error (error);

  /* The search index is gone (a damaged database): a deletion fails at
   * its end, in both ways, and still changes nothing. */
  g_assert_true (ob_store_exec (store, "DROP TRIGGER refuse_12345; DROP TABLE contacts_fts", &error));
  g_assert_no_error (error);
  g_clear_pointer (&before, g_free);
  before = g_strdup_printf ("%d %d %d", query_int (store, "SELECT count(*) FROM contacts"),
                            query_int (store, "SELECT count(*) FROM contact_tags"),
                            query_int (store, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'contacts'"));
  g_assert_false (delete_in_worker (store, few, &error));
  g_assert_nonnull (strstr (error->message, "contacts_fts"));
  g_clear_error (&error);
  g_assert_false (delete_in_worker (store, most, &error));
  g_assert_nonnull (strstr (error->message, "contacts_fts"));
  g_clear_error (&error);
  after = g_strdup_printf ("%d %d %d", query_int (store, "SELECT count(*) FROM contacts"),
                           query_int (store, "SELECT count(*) FROM contact_tags"),
                           query_int (store, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'contacts'"));
  g_assert_cmpstr (after, ==, before);
}

/* Deleting most of a big table makes its indexes and search index again
 * for the rows left: the same schema after, the search finds exactly
 * those rows, tags and queue rows go, events stay without their contact. */
static void
test_delete_most (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_many (dir, 30000);
  g_autoptr(GArray) most = id_range (1, 25000);
  g_autoptr(GArray) few = id_range (25001, 25010);
  g_autoptr(GError) error = NULL;
  g_autofree char *schema_before = query_text (store, "SELECT group_concat (sql, ';') FROM"
                                                     " (SELECT sql FROM sqlite_master ORDER BY name)");
  g_autofree char *schema_after = NULL;

  /* A duplicate and an id that is not there are skipped. */
  g_array_append_val (most, g_array_index (most, gint64, 0));
  {
    gint64 missing = 999999;
    g_array_append_val (most, missing);
  }
  g_assert_true (delete_in_worker (store, most, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts"), ==, 5000);
  g_assert_cmpint (query_int (store, "SELECT min (id) FROM contacts"), ==, 25001);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contact_tags"), ==, 500);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE contact_id IS NULL"), ==, 100);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer'"), ==, 5000);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer24999'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer25001'"), ==, 1);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')", &error));
  g_assert_no_error (error);
  schema_after = query_text (store, "SELECT group_concat (sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)");
  g_assert_cmpstr (schema_after, ==, schema_before);

  /* A few more, row by row out of the indexes; the triggers still keep
   * the search in step. */
  g_assert_true (delete_in_worker (store, few, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts"), ==, 4990);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer'"), ==, 4990);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts (email, email_key, domain, name, created_at, updated_at)"
                                       " VALUES ('new@firm.de', 'new@firm.de', 'firm.de', 'Newcomer', 1, 1)", &error));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'newcomer'"), ==, 1);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')", &error));
  g_assert_no_error (error);
}

static void
exec_or_fail (ObStore    *store,
              const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static ObContactEvent *
entry_at (GPtrArray *history,
          guint      i)
{
  g_assert_cmpuint (i, <, history->len);
  return g_ptr_array_index (history, i);
}

/* The detail pane's history of a contact, newest first: the send, when
 * and from where it was added, its suppressions (its address in another
 * case, its whole domain) with reason and note, the lift and its reason,
 * and its edit in the pane, written once, naming the fields. What belongs
 * to other contacts, addresses or domains stays out. */
static void
test_history (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(ObContactDetail) d = NULL;
  g_autoptr(GArray) both = ids_of (1, (gint64) 2, (gint64) 0);
  g_autoptr(GError) error = NULL;
  ObContactEvent *e;

  exec_or_fail (store, "UPDATE contacts SET source = 'Hannover Messe 2026' WHERE id = 2;"
                       "INSERT INTO events (at, kind, contact_id, detail) VALUES"
                       " (1000, 'sent', 2, 'Step 1 of Spring fair follow-up'),"
                       " (1100, 'sent', 1, 'Step 1 of Spring fair follow-up')");

  /* Suppressed as typed in another case, lifted, then the whole domain. */
  g_assert_true (ob_suppressions_add (store, "ANNA@Stahlwerk.de", OB_SUPPRESSION_MANUAL, "user",
                                      "Asked not to be mailed", &error));
  g_assert_no_error (error);
  g_assert_true (ob_suppressions_remove (store, "anna@stahlwerk.de", "Wrote to us again", &error));
  g_assert_no_error (error);
  g_assert_true (ob_suppressions_add (store, "@stahlwerk.de", OB_SUPPRESSION_HARD_BOUNCE, "mailbox",
                                      "The domain has no mail server", &error));
  g_assert_no_error (error);
  /* Others: another address of the domain, the address at another
   * domain, another domain, and an address one letter off. */
  g_assert_true (ob_suppressions_add (store, "hanna@stahlwerk.de", OB_SUPPRESSION_MANUAL, "user", NULL, &error));
  g_assert_true (ob_suppressions_add (store, "anna@stahlwerk.com", OB_SUPPRESSION_MANUAL, "user", NULL, &error));
  g_assert_true (ob_suppressions_add (store, "@hengda-valve.cn", OB_SUPPRESSION_MANUAL, "user", NULL, &error));
  g_assert_no_error (error);
  exec_or_fail (store, "INSERT INTO suppression_log (at, action, kind, value, reason)"
                       " VALUES (1, 'add', 'address', 'anna@STAHLWERK.DF', 'manual')");

  /* An edit in the pane: one row, naming what changed. */
  d = ob_contacts_edit_get (store, 2, &error);
  g_assert_no_error (error);
  g_free (d->name);
  d->name = g_strdup ("Anna M. Schmidt");
  g_strfreev (d->tags);
  d->tags = g_strsplit ("fair-2026", ",", -1);
  g_assert_true (ob_contacts_edit_save (store, d, &error));
  g_assert_no_error (error);
  /* Saved again as it is, with the tag in another case: nothing changed. */
  g_clear_pointer (&d, ob_contact_detail_free);
  d = ob_contacts_edit_get (store, 2, &error);
  g_strfreev (d->tags);
  d->tags = g_strsplit (" FAIR-2026 ", ",", -1);
  g_assert_true (ob_contacts_edit_save (store, d, &error));
  g_assert_no_error (error);
  /* A tag given to a selection is no edit of one contact. */
  g_assert_true (ob_contacts_edit_add_tag (store, both, "steel", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE kind = 'edited'"), ==, 1);

  /* Times apart, to see the order. */
  exec_or_fail (store, "UPDATE suppression_log SET at = 2000 WHERE value = 'ANNA@stahlwerk.de';"
                       "UPDATE suppression_log SET at = 3000 WHERE action = 'remove';"
                       "UPDATE suppression_log SET at = 4000 WHERE value = 'stahlwerk.de';"
                       "UPDATE events SET at = 5000 WHERE kind = 'edited'");

  history = ob_contacts_edit_list_events (store, 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      e = g_ptr_array_index (history, i);
      g_test_message ("%" G_GINT64_FORMAT " %s %s %s %s", e->at, e->kind, e->reason, e->domain, e->detail);
    }
  g_assert_cmpuint (history->len, ==, 6);

  e = entry_at (history, 0);
  g_assert_cmpint (e->at, ==, 5000);
  g_assert_cmpstr (e->kind, ==, OB_CONTACT_EVENT_EDITED);
  g_assert_cmpstr (e->detail, ==, "Changed: name, tags");

  e = entry_at (history, 1);
  g_assert_cmpstr (e->kind, ==, OB_CONTACT_EVENT_SUPPRESSION_ADDED);
  g_assert_cmpstr (e->reason, ==, "hard-bounce");
  g_assert_cmpstr (e->domain, ==, "stahlwerk.de");
  g_assert_cmpstr (e->detail, ==, "The domain has no mail server");

  e = entry_at (history, 2);
  g_assert_cmpint (e->at, ==, 3000);
  g_assert_cmpstr (e->kind, ==, OB_CONTACT_EVENT_SUPPRESSION_LIFTED);
  g_assert_null (e->domain);
  g_assert_cmpstr (e->detail, ==, "Wrote to us again");

  e = entry_at (history, 3);
  g_assert_cmpint (e->at, ==, 2000);
  g_assert_cmpstr (e->kind, ==, OB_CONTACT_EVENT_SUPPRESSION_ADDED);
  g_assert_cmpstr (e->reason, ==, "manual");
  g_assert_null (e->domain);
  g_assert_cmpstr (e->detail, ==, "Asked not to be mailed");

  e = entry_at (history, 4);
  g_assert_cmpint (e->at, ==, 1000);
  g_assert_cmpstr (e->kind, ==, "sent");
  g_assert_cmpstr (e->detail, ==, "Step 1 of Spring fair follow-up");

  e = entry_at (history, 5);
  g_assert_cmpint (e->at, ==, 20);
  g_assert_cmpstr (e->kind, ==, OB_CONTACT_EVENT_ADDED);
  g_assert_cmpstr (e->detail, ==, "Hannover Messe 2026");

  /* At most 200, the newest: the oldest, "added", is the one left out. */
  exec_or_fail (store, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)"
                       " INSERT INTO events (at, kind, contact_id) SELECT 10000 + i, 'sent', 2 FROM n");
  g_clear_pointer (&history, g_ptr_array_unref);
  history = ob_contacts_edit_list_events (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 200);
  g_assert_cmpint (entry_at (history, 0)->at, ==, 10250);
  g_assert_cmpint (entry_at (history, 199)->at, ==, 10051);

  /* A contact no longer there has no history. */
  g_clear_pointer (&history, g_ptr_array_unref);
  history = ob_contacts_edit_list_events (store, 99, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
}

static int
collect_sql_cb (unsigned  type,
                void     *data,
                void     *p,
                void     *x)
{
  if (type == SQLITE_TRACE_STMT)
    g_ptr_array_add (data, g_strdup (sqlite3_sql (p)));
  return 0;
}

/* Each statement the history runs reads an index, never a whole table:
 * the pane opens as fast over a million contacts and a long suppression
 * log as over ten. */
/* A bounce's suppression: the engine's "suppressed" event and the log's
 * entry say the same; the history shows the log's, with its reason. */
static void
test_history_bounce_once (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  guint suppressed = 0, logged = 0, sent = 0;

  g_assert_true (ob_suppressions_add (store, "anna@stahlwerk.de", OB_SUPPRESSION_HARD_BOUNCE, "campaign:1",
                                      "The address does not exist or refuses mail: suppressed", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO events (at, kind, contact_id, detail) VALUES"
                         " (%" G_GINT64_FORMAT ", 'suppressed', 2, 'The address does not exist or refuses mail: suppressed'),"
                         " (1000, 'suppressed', 2, 'An older one the log does not hold'),"
                         " (1000, 'sent', 2, 'Step 1')",
                         g_get_real_time () / G_USEC_PER_SEC);
  exec_or_fail (store, sql);
  history = ob_contacts_edit_list_events (store, 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      ObContactEvent *e = g_ptr_array_index (history, i);

      suppressed += g_str_equal (e->kind, "suppressed");
      logged += g_str_equal (e->kind, OB_CONTACT_EVENT_SUPPRESSION_ADDED);
      sent += g_str_equal (e->kind, "sent");
    }
  g_assert_cmpuint (logged, ==, 1);
  g_assert_cmpuint (suppressed, ==, 1);  /* only the one the log does not hold */
  g_assert_cmpuint (sent, ==, 1);
}

static void
test_history_uses_indexes (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = store_with_contacts (dir);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = ob_store_get_db (store);
  gboolean log_read = FALSE;

  g_assert_cmpint (sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, collect_sql_cb, statements), ==, SQLITE_OK);
  history = ob_contacts_edit_list_events (store, 2, &error);
  sqlite3_trace_v2 (db, 0, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (statements->len, >=, 3);

  for (guint i = 0; i < statements->len; i++)
    {
      const char *sql = g_ptr_array_index (statements, i);
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
      g_autoptr(sqlite3_stmt) plan = ob_store_prepare (store, explain, &error);
      g_autoptr(GString) lines = g_string_new (NULL);

      g_assert_no_error (error);
      while (sqlite3_step (plan) == SQLITE_ROW)
        g_string_append_printf (lines, "%s\n", (const char *) sqlite3_column_text (plan, 3));
      g_test_message ("%s\n%s", sql, lines->str);
      g_assert_null (strstr (lines->str, "SCAN events"));
      g_assert_null (strstr (lines->str, "SCAN contacts"));
      g_assert_null (strstr (lines->str, "SCAN suppression_log"));
      g_assert_null (strstr (lines->str, "SCAN evidence"));
      if (strstr (sql, "FROM suppression_log") != NULL)
        {
          log_read = TRUE;
          /* The address in any case by the case-blind index, not every
           * address by kind; the domain by kind and value. */
          g_assert_nonnull (strstr (lines->str, "USING INDEX suppression_log_value_any_case (value=? AND kind=?)"));
          g_assert_nonnull (strstr (lines->str, "USING INDEX suppression_log_value (kind=? AND value=?)"));
        }
    }
  g_assert_true (log_read);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contacts/edit/detail", test_edit_detail);
  g_test_add_func ("/contacts/edit/selection", test_edit_selection);
  g_test_add_func ("/contacts/edit/suppress-reason-note", test_suppress_reason_note);
  g_test_add_func ("/contacts/edit/suppress-already-suppressed", test_suppress_already_suppressed);
  g_test_add_func ("/contacts/edit/suppress-undo", test_suppress_undo);
  g_test_add_func ("/contacts/edit/delete-all-or-nothing", test_delete_all_or_nothing);
  g_test_add_func ("/contacts/edit/delete-most", test_delete_most);
  g_test_add_func ("/contacts/edit/history", test_history);
  g_test_add_func ("/contacts/edit/history-uses-indexes", test_history_uses_indexes);
  g_test_add_func ("/contacts/edit/history-bounce-once", test_history_bounce_once);

  return g_test_run ();
}
