/* test-cli-account.c — outbound-cli account add|list|remove|test without
 * network or keyring: dry-run accounts, the kept test result and the
 * usage errors.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-account-test-log.h"
#include "ob-store.h"
#include "ob-test-util.h"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_cli_account_dry_run (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "cli.db");
  g_autofree char *outbox = ob_test_dir_file (dir, "outbox");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) report = NULL;
  JsonObject *a;
  JsonObject *step;

  {
    const char *argv[] = { "account", "add", "--db", db, "--email", "demo@example.com",
                           "--name", "Demo Sales", "--dry-run", outbox, NULL };

    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "1\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* The same address again (other case): refused, exit 2, one line. */
  {
    const char *argv[] = { "account", "add", "--db", db, "--email", "DEMO@example.com", "--dry-run", outbox, NULL };

    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "outbound-cli account add: "));
    g_assert_nonnull (strstr (err, "already"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *argv[] = { "account", "list", "--db", db, "--json", NULL };

    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
    list = parse_json (out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
    a = json_array_get_object_element (json_node_get_array (list), 0);
    g_assert_cmpint (json_object_get_int_member (a, "id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (a, "email"), ==, "demo@example.com");
    g_assert_cmpstr (json_object_get_string_member (a, "name"), ==, "Demo Sales");
    g_assert_cmpstr (json_object_get_string_member (a, "smtp_security"), ==, "dry-run");
    g_assert_cmpstr (json_object_get_string_member (a, "dry_run_dir"), ==, outbox);
    g_assert_true (json_object_get_null_member (a, "imap"));
    g_assert_cmpint (json_object_get_int_member (a, "daily_limit"), ==, 200);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *argv[] = { "account", "test", "--db", db, "--json", "1", NULL };

    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
    report = parse_json (out);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (report), "ok"));
    step = json_array_get_object_element (json_object_get_array_member (json_node_get_object (report), "steps"), 0);
    g_assert_cmpstr (json_object_get_string_member (step, "service"), ==, "dry-run");
    g_assert_true (g_file_test (outbox, G_FILE_TEST_IS_DIR));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* The result is kept, as the window keeps it: the Accounts page shows
   * the last test of an account tested from the command line too. */
  {
    g_autoptr(ObStore) store = ob_store_open (db, NULL);
    gint64 at = 0;
    gboolean ok = FALSE;
    g_autofree char *summary = NULL;

    g_assert_nonnull (store);
    g_assert_true (ob_account_test_log_get_last (store, 1, &at, &ok, &summary));
    g_assert_true (ok);
    g_assert_null (summary);
    g_assert_cmpint (ABS (at - g_get_real_time () / G_USEC_PER_SEC), <, 600);
    g_assert_false (ob_account_test_log_get_last (store, 2, &at, &ok, NULL));
  }

  {
    const char *argv[] = { "account", "remove", "--db", db, "1", NULL };
    const char *again[] = { "account", "remove", "--db", db, "1", NULL };
    const char *list_argv[] = { "account", "list", "--db", db, "--json", NULL };

    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (ob_test_run_cli (again, NULL, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "no account 1"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (ob_test_run_cli (list_argv, NULL, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "[]\n");
  }
}

static void
test_cli_account_usage (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "cli.db");
  const char *cases[][12] = {
    { "account", "add", "--db", db, NULL },                                        /* no --email */
    { "account", "add", "--db", db, "--email", "x@company.example", "--password-stdin", NULL }, /* no preset, no --smtp */
    { "account", "add", "--db", db, "--email", "x@company.example", "--smtp", "mail.company.example", "--password-stdin", NULL },
    { "account", "add", "--db", db, "--email", "x@qq.com", "--smtp-security", "none", "--password-stdin", NULL },
    { "account", "add", "--db", db, "--email", "x@qq.com", "--ca-file", "/no/such.pem", "--password-stdin", NULL },
    { "account", "add", "--db", db, "--email", "x@qq.com", "--password-stdin", NULL }, /* empty password */
    { "account", "remove", "--db", db, "abc", NULL },
    { "account", "test", "--db", db, NULL },
    { "account", "test", "--db", db, "7", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (ob_test_run_cli (cases[i], "", &out, &err), ==, 2);
      g_assert_true (g_str_has_prefix (err, "outbound-cli account "));
      /* One line. */
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
      g_assert_cmpstr (out, ==, "");
    }
}

static void
test_cli_account_providers (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *all;
  JsonObject *netease = NULL;
  const char *argv[] = { "account", "providers", "--json", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
  root = parse_json (out);
  all = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (all), ==, 10);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *p = json_array_get_object_element (all, i);

      if (g_str_equal (json_object_get_string_member (p, "id"), "netease-enterprise"))
        netease = p;
    }
  g_assert_nonnull (netease);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (netease, "smtp"), "host"),
                   ==, "smtp.qiye.163.com");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (netease, "imap"), "port"), ==, 993);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (netease, "smtp_alt"), "host"),
                   ==, "hwhzsmtp.qiye.163.com");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (netease, "spf_includes")), ==, 2);
  g_assert_false (json_object_get_boolean_member (netease, "saves_sent"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (netease, "advice")), >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/account/dry-run", test_cli_account_dry_run);
  g_test_add_func ("/cli/account/usage", test_cli_account_usage);
  g_test_add_func ("/cli/account/providers", test_cli_account_providers);

  return g_test_run ();
}
