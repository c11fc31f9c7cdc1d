/* test-contacts-fts-prefix.c — migrations 0011 and 0014: the contacts'
 * full-text index made again (prefix indexes, then no token positions),
 * filled from the contacts already there, kept up to date by the triggers
 * of 0001 afterwards, and found by the search.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-contact.h"
#include "ob-contact-table-model.h"
#include "ob-contacts.h"
#include "ob-core.h"
#include "ob-store.h"
#include "ob-test-util.h"

#define MIGRATIONS "/io/github/outboundapp/Outbound/store/migrations/"

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
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'a*'"), ==, 2);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'an*'"), ==, 2);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'hen*'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'heng*'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'hengd*'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'stahlwerk'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH '\"anna\" \"schm\"*'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'lopez'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'zz*'"), ==, 0);

  /* The triggers of 0001 still keep it in step. */
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, name, company, created_at, updated_at)"
                                " VALUES ('kenji@tanaka-pumps.jp', 'kenji@tanaka-pumps.jp', 'tanaka-pumps.jp',"
                                " 'Kenji Tanaka', 'Tanaka Pumps', 4, 4)", &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'ta*'"), ==, 1);
  g_assert_true (ob_store_exec (store, "UPDATE contacts SET company = 'Acme' WHERE email = 'li.wei@hengda-valve.cn'", &error));
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'company:hen*'"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'ac*'"), ==, 2);
  g_assert_true (ob_store_exec (store, "DELETE FROM contacts WHERE email = 'ana@aceros.mx'", &error));
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'a*'"), ==, 2);

  /* A bulk import's 'rebuild' leaves an index that checks out. */
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')", &error));
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)",
                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'k*'"), ==, 1);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A database as Outbound wrote it before 0014: every migration up to
 * 0013, with contacts in an index of 0011 (positions and columns). */
static void
make_database_13 (const char *path)
{
  g_auto(GStrv) names = g_resources_enumerate_children (MIGRATIONS, 0, NULL);
  sqlite3 *db = NULL;

  g_assert_nonnull (names);
  /* Numbered, so their names sort in the order they apply. */
  g_qsort_with_data (names, g_strv_length (names), sizeof (char *), compare_names, NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (MIGRATIONS, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;

      if (g_ascii_strtoull (names[i], NULL, 10) > 13)
        continue;
      bytes = g_resources_lookup_data (name, 0, NULL);
      g_assert_nonnull (bytes);
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      exec_raw (db, sql);
    }
  exec_raw (db, "PRAGMA user_version = 13");
  exec_raw (db,
            "INSERT INTO contacts (email, email_key, domain, name, company, notes, created_at, updated_at) VALUES"
            " ('li.wei@hengda-valve.cn', 'li.wei@hengda-valve.cn', 'hengda-valve.cn', 'Li Wei', 'Hengda Valve', NULL, 1, 1),"
            " ('anna@stahlwerk.de', 'anna@stahlwerk.de', 'stahlwerk.de', 'Anna Schmidt', 'Stahlwerk', 'met at fair', 2, 2),"
            " ('ana@aceros.mx', 'ana@aceros.mx', 'aceros.mx', 'Ana López', 'Aceros del Norte', NULL, 3, 3),"
            " ('wei.li@example.cn', 'wei.li@example.cn', 'example.cn', 'Wei Li', NULL, NULL, 4, 4)");
  sqlite3_close (db);
}

static guint
count_search (ObStore    *store,
              const char *search)
{
  g_autoptr(ObSegment) segment = ob_segment_new ();
  g_autoptr(GError) error = NULL;
  guint n = 0;

  segment->search = g_strdup (search);
  g_assert_true (ob_contacts_count (store, segment, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_fts_detail_column_migration (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "v13.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  make_database_13 (path);
  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ob_store_get_schema_version (store), ==, ob_store_get_latest_version ());
  g_assert_cmpint (ob_store_get_schema_version (store), >=, 14);

  /* Columns but no positions now; the prefix indexes stay. */
  stmt = ob_store_prepare (store, "SELECT sql FROM sqlite_master WHERE name = 'contacts_fts'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "detail = column"));
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "prefix = '1 2 3 4 5'"));
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The search finds the contacts that were there: words as prefixes,
   * accents folded, in any column; a column filter still works. */
  g_assert_cmpuint (count_search (store, "a"), ==, 2);
  g_assert_cmpuint (count_search (store, "anna sch"), ==, 1);
  g_assert_cmpuint (count_search (store, "Lopez"), ==, 1);
  g_assert_cmpuint (count_search (store, "lóp"), ==, 1);
  g_assert_cmpuint (count_search (store, "hengda"), ==, 1);
  g_assert_cmpuint (count_search (store, "fair"), ==, 1);
  g_assert_cmpuint (count_search (store, "zz"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'company:stahl*'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'name:stahl*'"), ==, 0);
  /* A word of several tokens, which FTS5 refuses as a phrase without
   * positions: each token is a term, the last one a prefix. */
  g_assert_cmpuint (count_search (store, "li.wei@hengda-valve.cn"), ==, 1);
  g_assert_cmpuint (count_search (store, "li.wei@heng"), ==, 1);
  g_assert_cmpuint (count_search (store, "anna@stahl"), ==, 1);
  g_assert_cmpuint (count_search (store, "ana@"), ==, 1);
  /* The tokens in any order: Wei Li too. Only the last one is a prefix. */
  g_assert_cmpuint (count_search (store, "li.wei"), ==, 2);
  g_assert_cmpuint (count_search (store, "li.we"), ==, 2);
  g_assert_cmpuint (count_search (store, "l.wei"), ==, 0);
  /* A word without a token counts for nothing beside others, and alone
   * matches nothing, as before. */
  g_assert_cmpuint (count_search (store, "."), ==, 0);
  g_assert_cmpuint (count_search (store, "anna @"), ==, 1);

  /* The list of the Contacts page, from the index. */
  {
    g_autoptr(ObContactTableModel) model = ob_contact_table_model_new (store);
    g_autoptr(ObSegment) segment = ob_segment_new ();
    g_autoptr(ObContact) first = NULL;

    segment->search = g_strdup ("li.wei@heng");
    ob_contact_table_model_set_segment (model, segment);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
    first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (ob_contact_get_email (first), ==, "li.wei@hengda-valve.cn");
  }

  /* The triggers of 0001 keep the new index in step. */
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, name, company, created_at, updated_at)"
                                " VALUES ('kenji.tanaka@tanaka-pumps.jp', 'kenji.tanaka@tanaka-pumps.jp', 'tanaka-pumps.jp',"
                                " 'Kenji Tanaka', 'Tanaka Pumps', 5, 5)", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (store, "kenji.tan"), ==, 1);
  g_assert_true (ob_store_exec (store,
                                "UPDATE contacts SET name = 'Kenji Sato', email = 'kenji@sato.jp',"
                                " email_key = 'kenji@sato.jp', domain = 'sato.jp', company = 'Sato'"
                                " WHERE email = 'kenji.tanaka@tanaka-pumps.jp'", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (store, "tanaka"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'company:sato'"), ==, 1);
  g_assert_cmpuint (count_search (store, "kenji@sato"), ==, 1);
  g_assert_true (ob_store_exec (store, "DELETE FROM contacts WHERE email = 'ana@aceros.mx'", &error));
  g_assert_cmpuint (count_search (store, "lopez"), ==, 0);
  g_assert_true (ob_store_exec (store, "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)",
                                &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/contacts-fts-prefix", test_fts_prefix_migration);
  g_test_add_func ("/store/contacts-fts-detail-column", test_fts_detail_column_migration);

  return g_test_run ();
}
