/* test-contact-fields.c — the merge values every template user shares.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-contact-fields.h"
#include "ob-contacts.h"
#include "ob-core.h"
#include "ob-test-util.h"

static void
test_merge_values (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "fields.db");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GHashTable) v = NULL;
  g_autoptr(GHashTable) by_address = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GError) error = NULL;

  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (id, email, email_key, domain, first_name, company, title,"
                                " custom_json, status, created_at, updated_at) VALUES"
                                " (1, 'Anna@Acme.de', 'Anna@acme.de', 'acme.de', 'Anna', 'Acme', '',"
                                "  '{\"Booth\": \"H3-21\", \"company\": \"Custom Co\", \"n\": 5}', 'active', 1, 1),"
                                " (2, 'old@acme.de', 'old@acme.de', 'acme.de', 'Old', NULL, NULL, NULL,"
                                "  'suppressed', 1, 1)", &error));
  g_assert_no_error (error);

  v = ob_contact_merge_values (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (v, "first_name"), ==, "Anna");
  /* The column wins over a custom field of the same name. */
  g_assert_cmpstr (g_hash_table_lookup (v, "company"), ==, "Acme");
  /* Custom names are lower-cased; only strings are values. */
  g_assert_cmpstr (g_hash_table_lookup (v, "booth"), ==, "H3-21");
  g_assert_false (g_hash_table_contains (v, "n"));
  /* An empty column is left out, so the fallback applies. */
  g_assert_false (g_hash_table_contains (v, "title"));

  g_assert_null (ob_contact_merge_values (store, 99, &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  by_address = ob_contact_merge_values_for_address (store, "anna@acme.de", &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_address);
  g_assert_cmpstr (g_hash_table_lookup (by_address, "email"), ==, "Anna@Acme.de");
  g_assert_null (ob_contact_merge_values_for_address (store, "nobody@acme.de", &error));
  g_assert_no_error (error);

  active = ob_contact_merge_values_for_active (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (active->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ob_core_init ();

  g_test_add_func ("/contacts/merge-values", test_merge_values);

  return g_test_run ();
}
