/* test-contacts-fts-prefix.c — migration 0011: the contacts' full-text
 * index made again with prefix indexes, filled from the contacts already
 * there, and kept up to date by the triggers of 0001 afterwards.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-core.h"
#include "ob-store.h"
#include "ob-test-util.h"

#define MIGRATIONS "/io/github/outboundapp/Outbound/store/migrations/"

static int
count_rows (ObStore    *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* A database as Outbound wrote it before 0011: the first schema only, with
 * contacts (and their index rows, through 0001's triggers). */
static void
make_old_database (const char *path)
{
  g_autoptr(GBytes) initial = g_resources_lookup_data (MIGRATIONS "0001-initial.sql", 0, NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  g_assert_nonnull (initial);
  sql = g_strndup (g_bytes_get_data (initial, NULL), g_bytes_get_size (initial));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_raw (db, sql);
  exec_raw (db, "PRAGMA user_version = 1");
  exec_raw (db,
            "INSERT INTO contacts (email, email_key, domain, name, company, created_at, updated_at) VALUES"
            " ('li.wei@hengda-valve.cn', 'li.wei@hengda-valve.cn', 'hengda-valve.cn', 'Li Wei', 'Hengda Valve', 1, 1),"
            " ('anna@stahlwerk.de', 'anna@stahlwerk.de', 'stahlwerk.de', 'Anna Schmidt', 'Stahlwerk', 2, 2),"
            " ('ana@aceros.mx', 'ana@aceros.mx', 'aceros.mx', 'Ana López', 'Aceros del Norte', 3, 3)");
  sqlite3_close (db);
}

static void
test_fts_prefix_migration (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "old.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  make_old_database (path);
  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ob_store_get_schema_version (store), ==, ob_store_get_latest_version ());
  g_assert_cmpint (ob_store_get_schema_version (store), >=, 11);

  /* The table has its prefix indexes now. */
  stmt = ob_store_prepare (store, "SELECT sql FROM sqlite_master WHERE name = 'contacts_fts'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "prefix = '1 2 3 4 5'"));

  /* Filled from the contacts already there: prefixes of one to five
   * characters and whole words, in every column. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'a*'"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'an*'"), ==, 2);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'hen*'"), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'heng*'"), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'hengd*'"), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'stahlwerk'"), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH '\"anna\" \"schm\"*'"), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'lopez'"), ==, 1);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'zz*'"), ==, 0);

  /* The triggers of 0001 still keep it in step. */
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, name, company, created_at, updated_at)"
                                " VALUES ('kenji@tanaka-pumps.jp', 'kenji@tanaka-pumps.jp', 'tanaka-pumps.jp',"
                                " 'Kenji Tanaka', 'Tanaka Pumps', 4, 4)", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'ta*'"), ==, 1);
  g_assert_true (ob_store_exec (store, "UPDATE contacts SET company = 'Acme' WHERE email = 'li.wei@hengda-valve.cn'", &error));
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'company:hen*'"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'ac*'"), ==, 2);
  g_assert_true (ob_store_exec (store, "DELETE FROM contacts WHERE email = 'ana@aceros.mx'", &error));
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'a*'"), ==, 2);

  /* A bulk import's 'rebuild' leaves an index that checks out. */
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')", &error));
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)",
                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'k*'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/contacts-fts-prefix", test_fts_prefix_migration);

  return g_test_run ();
}
