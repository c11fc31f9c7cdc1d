/* test-contact-list-model.c — the paged GListModel over 100,000 contacts.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-contact-list-model.h"
#include "ob-contacts.h"
#include "ob-test-util.h"

#define N_ROWS 100000

static ObTestDir *dir;
static ObStore *store;

static void
fill_database (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  dir = ob_test_dir_new ();
  path = ob_test_dir_file (dir, "big.db");
  store = ob_store_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  g_assert_true (ob_store_exec (store,
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
    " INSERT INTO contacts (email, email_key, domain, name, company, country, created_at, updated_at)"
    " SELECT 'buyer' || i || '@company' || (i % 1000) || '.de', 'buyer' || i || '@company' || (i % 1000) || '.de',"
    "        'company' || (i % 1000) || '.de', 'Buyer ' || i, 'Company ' || (i % 1000),"
    "        CASE i % 3 WHEN 0 THEN 'DE' WHEN 1 THEN 'FR' ELSE 'US' END, i, i FROM n;"
    "INSERT INTO tags (name, created_at) VALUES ('every-tenth', 0);"
    "INSERT INTO contact_tags SELECT id, 1 FROM contacts WHERE id % 10 = 0;"
    "COMMIT;", &error));
  g_assert_no_error (error);
  g_test_message ("%d contacts written in %.0f ms", N_ROWS, (g_get_monotonic_time () - start) / 1000.0);
}

static char *
expected_email (guint id)
{
  return g_strdup_printf ("buyer%u@company%u.de", id, id % 1000);
}

static void
test_model_all (void)
{
  g_autoptr(ObContactListModel) model = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 start = g_get_monotonic_time ();
  double first_ms;

  model = ob_contact_list_model_new (store, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == OB_TYPE_CONTACT);
  {
    g_autoptr(ObContact) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autofree char *email = expected_email (1);

    g_assert_cmpstr (ob_contact_get_email (first), ==, email);
  }
  first_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("count + first row: %.1f ms", first_ms);
  g_printerr ("# list model: count and first row of %d in %.1f ms\n", N_ROWS, first_ms);

  /* Sequential scroll over the first pages. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_autofree char *email = expected_email (i + 1);

      g_assert_cmpstr (ob_contact_get_email (c), ==, email);
      g_assert_cmpint (ob_contact_get_id (c), ==, i + 1);
    }

  /* The last row, past the end, and random jumps. */
  {
    g_autoptr(ObContact) last = g_list_model_get_item (G_LIST_MODEL (model), N_ROWS - 1);
    g_autofree char *email = expected_email (N_ROWS);

    g_assert_cmpstr (ob_contact_get_email (last), ==, email);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_ROWS));
  }
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 500; i++)
    {
      guint pos = g_rand_int_range (rand, 0, N_ROWS);
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), pos);
      g_autofree char *email = expected_email (pos + 1);

      g_assert_cmpstr (ob_contact_get_email (c), ==, email);
      g_assert_cmpuint (ob_contact_list_model_get_n_cached_pages (model), <=, OB_CONTACT_LIST_MODEL_MAX_PAGES);
    }
  g_test_message ("500 random jumps: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  /* Never more than a few pages in memory. */
  g_assert_cmpuint (ob_contact_list_model_get_n_cached_pages (model), <=, OB_CONTACT_LIST_MODEL_MAX_PAGES);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *calls = user_data;

  g_assert_cmpuint (position, ==, 0);
  calls[0]++;
  calls[1] = removed;
  calls[2] = added;
}

static void
test_model_segment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSegment) de = ob_segment_parse ("country=DE", &error);
  g_autoptr(ObSegment) tagged = ob_segment_parse ("tag=every-tenth,country=FR|US", &error);
  g_autoptr(ObContactListModel) model = ob_contact_list_model_new (store, de);
  guint calls[3] = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS / 3);
  for (guint pos = 0; pos < N_ROWS / 3; pos += 997)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), pos);

      g_assert_cmpstr (ob_contact_get_country (c), ==, "DE");
      /* DE rows are ids 3, 6, 9… */
      g_assert_cmpint (ob_contact_get_id (c), ==, 3 * (pos + 1));
    }

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), calls);
  ob_contact_list_model_set_segment (model, tagged);
  g_assert_cmpuint (calls[0], ==, 1);
  g_assert_cmpuint (calls[1], ==, N_ROWS / 3);
  /* Every tenth id, two thirds of them FR or US. */
  g_assert_cmpuint (calls[2], ==, g_list_model_get_n_items (G_LIST_MODEL (model)));
  g_assert_cmpuint (calls[2], ==, 6667);
  {
    g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), 6666);
    g_auto(GStrv) tags = ob_contact_dup_tags (c);

    g_assert_cmpint (ob_contact_get_id (c) % 10, ==, 0);
    g_assert_cmpstr (tags[0], ==, "every-tenth");
  }

  /* New rows show after a reload. */
  g_assert_true (ob_store_exec (store,
    "INSERT INTO contacts (email, email_key, domain, country, created_at, updated_at)"
    " VALUES ('late@late-buyer.fr', 'late@late-buyer.fr', 'late-buyer.fr', 'FR', 1, 1);"
    "INSERT INTO contact_tags SELECT max (id), 1 FROM contacts;", &error));
  g_assert_true (ob_contact_list_model_reload (model, &error));
  g_assert_cmpuint (calls[0], ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6668);
  {
    g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), 6667);

    g_assert_cmpstr (ob_contact_get_email (c), ==, "late@late-buyer.fr");
  }
  g_assert_true (ob_store_exec (store, "DELETE FROM contacts WHERE email = 'late@late-buyer.fr'", &error));
}

static gint64
sql_id_at (const char *order,
           guint       offset)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM contacts ORDER BY %s LIMIT 1 OFFSET %u", order, offset);
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_model_sort (void)
{
  g_autoptr(ObContactListModel) model = ob_contact_list_model_new (store, NULL);
  const guint probes[] = { 0, 1, 255, 256, 257, 5000, 54321, 99999 };
  gint64 start;

  g_assert_false (ob_contact_list_model_set_sort (model, OB_CONTACT_COLUMN_NOTES, FALSE));

  /* Newest first, by seeking. */
  g_assert_true (ob_contact_list_model_set_sort (model, OB_CONTACT_COLUMN_ID, TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), probes[i]);
      g_assert_cmpint (ob_contact_get_id (c), ==, N_ROWS - probes[i]);
    }
  for (guint i = 300; i < 900; i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_cmpint (ob_contact_get_id (c), ==, N_ROWS - i);
    }

  /* By name and by company, as SQLite orders them. */
  start = g_get_monotonic_time ();
  g_assert_true (ob_contact_list_model_set_sort (model, OB_CONTACT_COLUMN_NAME, FALSE));
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), probes[i]);
      g_assert_cmpint (ob_contact_get_id (c), ==, sql_id_at ("name COLLATE NOCASE, id", probes[i]));
    }
  g_test_message ("sorted by name, %u probes: %.1f ms", (guint) G_N_ELEMENTS (probes),
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (ob_contact_list_model_set_sort (model, OB_CONTACT_COLUMN_COMPANY, TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (model), probes[i]);
      g_assert_cmpint (ob_contact_get_id (c), ==, sql_id_at ("company COLLATE NOCASE DESC, id DESC", probes[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fill_database ();

  g_test_add_func ("/contact-list-model/all", test_model_all);
  g_test_add_func ("/contact-list-model/segment", test_model_segment);
  g_test_add_func ("/contact-list-model/sort", test_model_sort);

  status = g_test_run ();
  g_clear_object (&store);
  ob_test_dir_free (dir);
  return status;
}
