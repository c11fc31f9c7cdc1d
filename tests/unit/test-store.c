/* test-store.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "ob-core.h"
#include "ob-store.h"
#include "ob-test-util.h"

static void
test_store_creates_schema (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "sub/dir/outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *tables[] = { "contacts", "tags", "contact_tags", "segments", "suppressions",
                           "suppression_log", "accounts", "templates", "template_versions",
                           "campaigns", "campaign_accounts", "campaign_steps", "queue",
                           "events", "evidence", "mail_domains", "domain_checks", "contacts_fts" };
  GStatBuf st;

  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  g_assert_cmpint (ob_store_get_schema_version (store), ==, ob_store_get_latest_version ());
  g_assert_cmpint (ob_store_get_latest_version (), >=, 1);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_master WHERE name = '%s'", tables[i]);
      g_assert_cmpint (ob_test_query_int (store, sql), ==, 1);
    }

  /* Foreign keys on, WAL journal, a busy timeout. */
  g_assert_cmpint (ob_test_query_int (store, "PRAGMA foreign_keys"), ==, 1);
  {
    g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, "PRAGMA journal_mode", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  }

  /* Private to the user. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_store_reopen_keeps_data (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(ObStore) store = ob_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_true (ob_store_exec (store,
                                  "INSERT INTO tags (name, created_at) VALUES ('fair-2026', 1)",
                                  &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(ObStore) store = ob_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 1);
  }
}

/* Opening a database that is up to date takes no write lock: another
 * connection's long write (the app's import) does not keep the CLI out,
 * which used to wait the whole busy timeout and fail. */
static void
test_store_open_while_busy (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) writer = ob_store_open (path, &error);
  gint64 start;

  g_assert_no_error (error);
  g_assert_true (ob_store_exec (writer, "BEGIN IMMEDIATE; INSERT INTO tags (name, created_at) VALUES ('x', 1)",
                                &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  {
    g_autoptr(ObStore) reader = ob_store_open (path, &error);

    g_assert_no_error (error);
    /* The busy timeout is 5 s: a wait for the lock would be all of it. */
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpint (ob_test_query_int (reader, "SELECT count(*) FROM tags"), ==, 0);
  }
  /* A write that cannot wait says why in plain words. */
  {
    g_autoptr(ObStore) other = ob_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_false (ob_store_begin_now (other, &error));
    g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);
    g_assert_nonnull (strstr (error->message, "busy with another task"));
    g_clear_error (&error);
  }
  g_assert_true (ob_store_exec (writer, "COMMIT", &error));
  g_assert_no_error (error);
}

static gpointer
commit_later_thread (gpointer data)
{
  ObStore *worker = data;

  g_usleep (300 * 1000);
  g_assert_true (ob_store_commit (worker, NULL));
  return NULL;
}

/* A worker's long write (an import, a bulk deletion): the store's other
 * connections give up at once instead of waiting out the busy timeout,
 * and wait again as usual once it is over. An ordinary transaction of
 * the worker is waited for. */
static void
test_store_long_write (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (path, &error);
  g_autoptr(ObStore) worker = NULL;
  gint64 start;

  g_assert_no_error (error);
  worker = ob_store_open_another (store, &error);
  g_assert_no_error (error);

  g_assert_true (ob_store_begin (worker, &error));
  g_assert_no_error (error);
  ob_store_mark_long_write (worker);
  g_assert_true (ob_store_exec (worker, "INSERT INTO tags (name, created_at) VALUES ('a', 1)", &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_false (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('b', 1)", &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (ob_store_begin (store, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);
  g_clear_error (&error);
  /* The busy timeout is 5 s: a wait would be all of it. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  /* Reading is never held up. */
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 0);

  g_assert_true (ob_store_commit (worker, &error));
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('b', 1)", &error));
  g_assert_no_error (error);

  /* Rolled back, the mark goes too. */
  g_assert_true (ob_store_begin (worker, &error));
  ob_store_mark_long_write (worker);
  ob_store_rollback (worker);
  g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('c', 1)", &error));
  g_assert_no_error (error);

  /* An ordinary transaction of the worker is waited for: released from
   * a thread after 300 ms, the write goes through. */
  g_assert_true (ob_store_begin (worker, &error));
  g_assert_no_error (error);
  {
    GThread *thread = g_thread_new ("commit-later", commit_later_thread, worker);

    g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('d', 1)", &error));
    g_assert_no_error (error);
    g_thread_join (thread);
  }
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 4);
}

static void
test_store_refuses_newer (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *pragma = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(ObStore) store = ob_store_open (path, &error);
    g_assert_no_error (error);
    pragma = g_strdup_printf ("PRAGMA user_version = %d", ob_store_get_latest_version () + 1);
    g_assert_true (ob_store_exec (store, pragma, &error));
    g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('x', 1)", &error));
  }

  {
    g_autoptr(ObStore) store = ob_store_open (path, &error);
    g_assert_null (store);
    g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_TOO_NEW);
    g_assert_nonnull (strstr (error->message, "newer version"));
  }

  /* Untouched: same version, same data. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, ob_store_get_latest_version () + 1);
    sqlite3_finalize (stmt);
    sqlite3_prepare_v2 (db, "SELECT count(*) FROM tags", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
}

static void
test_store_refuses_garbage (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "notes.txt");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;
  const char *text = "This is a shopping list, not a database.\n"
                     "eggs, flour, milk, and a long line to fill the SQLite header area ......\n";

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  store = ob_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_OPEN);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
}

static ObStore *
open_async_and_wait (const char  *path,
                     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_store_open_async (path, NULL, ob_test_keep_result_cb, &result);
  return ob_store_open_finish (ob_test_wait_result (&result), error);
}

/* The app opens its database in a worker thread: a new file gets the
 * schema, a file that is no database an error, and the store works on the
 * thread that asked for it. */
static void
test_store_open_async (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *garbage = ob_test_dir_file (dir, "notes.txt");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObStore) bad = NULL;
  g_autoptr(GError) error = NULL;

  store = open_async_and_wait (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (ob_store_get_schema_version (store), ==, ob_store_get_latest_version ());
  g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('fair', 1)", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 1);

  g_assert_true (g_file_set_contents (garbage, "This is a shopping list, not a database, and a line to fill "
                                      "the SQLite header area ..........................\n", -1, NULL));
  bad = open_async_and_wait (garbage, &error);
  g_assert_null (bad);
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_OPEN);
}

typedef struct
{
  gboolean fail;
} TxnData;

static gboolean
insert_two_tags (ObStore   *store,
                 gpointer   user_data,
                 GError   **error)
{
  TxnData *data = user_data;

  if (!ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('a', 1)", error))
    return FALSE;
  if (data->fail)
    {
      /* A duplicate name violates UNIQUE: the whole transaction must go. */
      return ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('A', 1)", error);
    }
  return ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('b', 1)", error);
}

static void
test_store_transaction (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TxnData data = { TRUE };

  store = ob_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_false (ob_store_transaction (store, insert_two_tags, &data, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 0);

  data.fail = FALSE;
  g_assert_true (ob_store_transaction (store, insert_two_tags, &data, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 2);

  /* Nested: an inner failure rolls back only the inner part. */
  g_assert_true (ob_store_begin (store, &error));
  g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('c', 1)", &error));
  data.fail = TRUE;
  g_assert_false (ob_store_transaction (store, insert_two_tags, &data, &error));
  g_clear_error (&error);
  g_assert_true (ob_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 3);
}

static int
interrupt_cb (void *data)
{
  return 1;
}

/* SQLite undoes a whole transaction after an interrupt (as after a full
 * disk or an I/O error, which a test cannot make at will): what the
 * caller runs next in "its" transaction must not be saved on its own. */
static void
test_store_transaction_lost (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  insert = ob_store_prepare (store, "INSERT INTO tags (name, created_at) VALUES (?, 1)", &error);
  g_assert_no_error (error);

  g_assert_true (ob_store_begin (store, &error));
  g_assert_true (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('a', 1)", &error));
  g_assert_true (ob_store_begin (store, &error)); /* a helper's savepoint */

  sqlite3_progress_handler (ob_store_get_db (store), 1, interrupt_cb, NULL);
  g_assert_false (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('b', 1)", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  sqlite3_progress_handler (ob_store_get_db (store), 0, NULL, NULL);
  g_assert_true (sqlite3_get_autocommit (ob_store_get_db (store))); /* SQLite undid it all */

  /* A caller that goes on regardless: refused, through every way in. */
  sqlite3_bind_text (insert, 1, "c", -1, SQLITE_STATIC);
  g_assert_false (ob_store_step_done (store, insert, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_false (ob_store_exec (store, "INSERT INTO tags (name, created_at) VALUES ('d', 1)", &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_false (ob_store_begin (store, &error)); /* a savepoint would begin a transaction of its own */
  g_clear_error (&error);
  /* The helper's commit (a RELEASE) fails and ends its level, as a failed
   * COMMIT does; then the caller's commit fails, and the store is out of
   * any transaction, as SQLite is. */
  g_assert_false (ob_store_commit (store, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_false (ob_store_commit (store, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 0);

  /* Once rolled back, the connection works as before. */
  g_assert_true (ob_store_begin (store, &error));
  sqlite3_reset (insert);
  g_assert_true (ob_store_step_done (store, insert, &error));
  g_assert_true (ob_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM tags"), ==, 1);
}

static void
test_store_foreign_keys (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = ob_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_false (ob_store_exec (store, "INSERT INTO contact_tags (contact_id, tag_id) VALUES (42, 42)", &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT);
}

static void
test_store_fts (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "outbound.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, name, company, created_at, updated_at) "
                                "VALUES ('li.wei@hengda-valve.cn', 'li.wei@hengda-valve.cn', 'hengda-valve.cn', 'Li Wei', 'Hengda Valve', 1, 1)",
                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'hengda*'"), ==, 1);
  g_assert_true (ob_store_exec (store, "UPDATE contacts SET company = 'Acme' WHERE id = 1", &error));
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'company:hengda*'"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'acme'"), ==, 1);
  g_assert_true (ob_store_exec (store, "DELETE FROM contacts", &error));
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'acme'"), ==, 0);
}

static void
test_store_env_override (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "env.db");
  g_autofree char *got = NULL;

  g_setenv ("OUTBOUND_DB", path, TRUE);
  got = ob_store_default_path ();
  g_assert_cmpstr (got, ==, path);
  g_unsetenv ("OUTBOUND_DB");
  g_free (got);
  got = ob_store_default_path ();
  g_assert_true (g_str_has_suffix (got, "/outbound/outbound.db"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ob_core_init ();

  g_test_add_func ("/store/creates-schema", test_store_creates_schema);
  g_test_add_func ("/store/reopen-keeps-data", test_store_reopen_keeps_data);
  g_test_add_func ("/store/open-while-busy", test_store_open_while_busy);
  g_test_add_func ("/store/long-write", test_store_long_write);
  g_test_add_func ("/store/refuses-newer", test_store_refuses_newer);
  g_test_add_func ("/store/refuses-garbage", test_store_refuses_garbage);
  g_test_add_func ("/store/open-async", test_store_open_async);
  g_test_add_func ("/store/transaction", test_store_transaction);
  g_test_add_func ("/store/transaction-lost", test_store_transaction_lost);
  g_test_add_func ("/store/foreign-keys", test_store_foreign_keys);
  g_test_add_func ("/store/fts", test_store_fts);
  g_test_add_func ("/store/env-override", test_store_env_override);

  return g_test_run ();
}
