/* test-contact-table-model.c — the Contacts page's list, headless: sorted
 * by a column, filtered, searched (capped, from the full-text index), read
 * lazily (deep rows and random jumps in every sort order, a few pages in
 * memory), and told to the view as one change per reload.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-contact-table-model.h"
#include "ob-contacts.h"
#include "ob-test-util.h"

#define N_ROWS 20000

typedef struct
{
  guint n_signals;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *c)
{
  c->n_signals++;
  c->position = position;
  c->removed = removed;
  c->added = added;
}

static ObStore *
fill_database (ObTestDir *dir)
{
  g_autofree char *path = ob_test_dir_file (dir, "table.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
    " INSERT INTO contacts (email, email_key, domain, name, company, country, verdict, status,"
    "  bounce_count, created_at, updated_at)"
    " SELECT 'buyer' || i || '@firm' || (i % 100) || '.de', 'buyer' || i || '@firm' || (i % 100) || '.de',"
    "        'firm' || (i % 100) || '.de', 'Buyer ' || i, 'Firm ' || (i % 100),"
    "        CASE i % 2 WHEN 0 THEN 'DE' ELSE 'FR' END, 'valid', 'active',"
    "        CASE WHEN i % 1000 = 0 THEN 1 ELSE 0 END, i, i FROM n;"
    "UPDATE contacts SET name = 'Zoë Ångström', company = 'Stahlwerk' WHERE id = 777;"
    "COMMIT;", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static const char *
email_at (GListModel *model,
          guint       position,
          char      **out)
{
  g_autoptr(ObContact) c = g_list_model_get_item (model, position);

  g_assert_nonnull (c);
  g_free (*out);
  *out = g_strdup (ob_contact_get_email (c));
  return *out;
}

static gint64
sql_id_at (ObStore    *store,
           const char *order,
           guint       offset)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM contacts ORDER BY %s LIMIT 1 OFFSET %u", order, offset);
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* Deep rows and random jumps read the right contact in every sort order,
 * and only a few pages stay in memory. */
static void
test_table_model_positions (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = fill_database (dir);
  g_autoptr(ObContactTableModel) model = ob_contact_table_model_new (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GListModel *list = G_LIST_MODEL (model);
  const guint probes[] = { 0, 1, 199, 200, 201, 5000, 12345, N_ROWS - 1 };
  struct { ObContactColumn column; gboolean descending; const char *order; } sorts[] = {
    { OB_CONTACT_COLUMN_ID, TRUE, "id DESC" },
    { OB_CONTACT_COLUMN_NAME, FALSE, "name COLLATE NOCASE, id" },
    { OB_CONTACT_COLUMN_COMPANY, TRUE, "company COLLATE NOCASE DESC, id DESC" },
    { OB_CONTACT_COLUMN_COUNTRY, FALSE, "country, id" },
  };

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    {
      ob_contact_table_model_set_sort (model, sorts[s].column, sorts[s].descending);
      for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
        {
          g_autoptr(ObContact) c = g_list_model_get_item (list, probes[i]);

          g_assert_cmpint (ob_contact_get_id (c), ==, sql_id_at (store, sorts[s].order, probes[i]));
        }
    }

  /* Random jumps in the last order: each page read once at most, however
   * many jumps, and never more than a few pages at a time. */
  for (guint i = 0; i < 300; i++)
    {
      guint pos = g_rand_int_range (rand, 0, N_ROWS);
      g_autoptr(ObContact) c = g_list_model_get_item (list, pos);

      g_assert_cmpint (ob_contact_get_id (c), ==, sql_id_at (store, "country, id", pos));
    }
  g_assert_cmpuint (ob_contact_table_model_get_n_cached_pages (model), <=, OB_CONTACT_TABLE_MODEL_MAX_PAGES);
}

static void
test_table_model (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = fill_database (dir);
  g_autoptr(ObContactTableModel) model = ob_contact_table_model_new (store);
  g_autoptr(ObSegment) seg = ob_segment_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GListModel *list = G_LIST_MODEL (model);
  Changes changes = { 0 };
  g_autofree char *email = NULL;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);

  /* Everything, in id order, read a page at a time. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, N_ROWS);
  g_assert_cmpuint (ob_contact_table_model_count_all (model), ==, N_ROWS);
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer1@firm1.de");
  g_assert_cmpstr (email_at (list, N_ROWS - 1, &email), ==, "buyer20000@firm0.de");
  g_assert_null (g_list_model_get_item (list, N_ROWS));
  g_assert_cmpuint (ob_contact_table_model_get_n_created (model), ==, 2 * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);

  /* Sorted by a column, descending; one change for the whole list. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_EMAIL, TRUE);
  g_assert_cmpuint (changes.n_signals, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, N_ROWS);
  g_assert_cmpuint (changes.added, ==, N_ROWS);
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer9@firm9.de");

  /* Saying the same thing again reloads nothing. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_EMAIL, TRUE);
  ob_contact_table_model_set_segment (model, seg);
  g_assert_cmpuint (changes.n_signals, ==, 1);

  /* A segment, its bounce count included. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_ID, FALSE);
  seg->countries = g_strsplit ("DE", ",", -1);
  ob_contact_table_model_set_segment (model, seg);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, N_ROWS / 2);
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer2@firm2.de");
  g_assert_cmpuint (ob_contact_table_model_count_all (model), ==, N_ROWS);
  seg->min_bounces = 1;
  ob_contact_table_model_set_segment (model, seg);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, N_ROWS / 1000);
  seg->min_bounces = 0;
  g_clear_pointer (&seg->countries, g_strfreev);

  /* A search: every word a prefix, accents folded, from the index. */
  g_free (seg->search);
  seg->search = g_strdup ("zoe angst");
  ob_contact_table_model_set_segment (model, seg);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_assert_false (ob_contact_table_model_is_capped (model));
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer777@firm77.de");
  g_assert_cmpstr (ob_contact_table_model_get_segment (model)->search, ==, "zoe angst");

  /* FTS5 syntax in the text stays text. */
  g_free (seg->search);
  seg->search = g_strdup ("\"buyer OR* NEAR(");
  ob_contact_table_model_set_segment (model, seg);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);

  /* A search matching everything lists the first matches only, and says
   * so; sorted, it sorts those. */
  g_free (seg->search);
  seg->search = g_strdup ("buyer");
  ob_contact_table_model_set_segment (model, seg);
  g_assert_true (ob_contact_table_model_is_capped (model));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, OB_CONTACT_TABLE_MODEL_SEARCH_CAP);
  g_assert_cmpstr (email_at (list, OB_CONTACT_TABLE_MODEL_SEARCH_CAP - 1, &email), ==, "buyer5000@firm0.de");
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_ID, TRUE);
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer5000@firm0.de");
  g_assert_cmpstr (email_at (list, OB_CONTACT_TABLE_MODEL_SEARCH_CAP - 1, &email), ==, "buyer1@firm1.de");

  /* Ids of a run of rows, as a selection reads them. */
  ob_contact_table_model_append_ids (model, 0, 3, ids);
  ob_contact_table_model_append_ids (model, OB_CONTACT_TABLE_MODEL_SEARCH_CAP - 1, 10, ids);
  g_assert_cmpuint (ids->len, ==, 4);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 5000);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, 4998);
  g_assert_cmpint (g_array_index (ids, gint64, 3), ==, 1);

  /* Hidden rows (a deletion waiting for Undo) leave the list. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_ID, FALSE);
  g_free (seg->search);
  seg->search = g_strdup ("firm7");
  ob_contact_table_model_set_segment (model, seg);
  /* firm7 and firm70…firm79: prefixes. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 11 * N_ROWS / 100);
  g_array_set_size (ids, 1);
  g_array_index (ids, gint64, 0) = 7;
  ob_contact_table_model_set_hidden (model, ids);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 11 * N_ROWS / 100 - 1);
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer70@firm70.de");
  ob_contact_table_model_set_hidden (model, NULL);
  g_assert_cmpstr (email_at (list, 0, &email), ==, "buyer7@firm7.de");
}

/* Every column the page sorts by has an index that gives the order: a page
 * deep in a million contacts is then read along the index, never by
 * sorting them all first ("USE TEMP B-TREE FOR ORDER BY"). */
static void
test_table_model_sorts_use_indexes (void)
{
  static const ObContactColumn sortable[] = {
    OB_CONTACT_COLUMN_ID, OB_CONTACT_COLUMN_EMAIL, OB_CONTACT_COLUMN_NAME, OB_CONTACT_COLUMN_COMPANY,
    OB_CONTACT_COLUMN_COUNTRY, OB_CONTACT_COLUMN_SOURCE, OB_CONTACT_COLUMN_VERDICT,
    OB_CONTACT_COLUMN_STATUS, OB_CONTACT_COLUMN_CREATED_AT,
  };
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = fill_database (dir);
  g_autoptr(ObContactTableModel) model = ob_contact_table_model_new (store);

  for (guint i = 0; i < G_N_ELEMENTS (sortable); i++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autofree char *plan = NULL;

        ob_contact_table_model_set_sort (model, sortable[i], descending);
        plan = ob_contact_table_model_explain (model);
        g_test_message ("column %d%s: %s", sortable[i], descending ? " descending" : "", plan);
        g_assert_nonnull (plan);
        g_assert_null (strstr (plan, "TEMP B-TREE"));
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contacts/table-model", test_table_model);
  g_test_add_func ("/contacts/table-model/positions", test_table_model_positions);
  g_test_add_func ("/contacts/table-model/sorts-use-indexes", test_table_model_sorts_use_indexes);

  return g_test_run ();
}
