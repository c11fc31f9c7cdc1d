/* test-contacts-edit.c — the edits the Contacts page makes, headless:
 * one contact's details, tags, suppression, re-check and deletion.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-contacts.h"
#include "ob-contacts-edit.h"
#include "ob-core.h"
#include "ob-store.h"
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
  g_assert_true (ob_contacts_edit_suppress (store, first, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contacts/edit/detail", test_edit_detail);
  g_test_add_func ("/contacts/edit/selection", test_edit_selection);

  return g_test_run ();
}
