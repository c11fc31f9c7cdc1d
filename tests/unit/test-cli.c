/* test-cli.c — the outbound-cli contract of CLI.md: dispatch, --help,
 * --version, exit codes and the error style.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "ob-test-util.h"

static void
test_cli_version (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "--version", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "outbound-cli " PACKAGE_VERSION));
}

static void
test_cli_help (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "--help", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Usage: outbound-cli"));
  g_assert_nonnull (strstr (out, "db info"));
}

static void
test_cli_command_help (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "db", "info", "--help", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--db"));
  g_assert_nonnull (strstr (out, "--json"));
}

static void
test_cli_unknown_command (void)
{
  g_autofree char *err = NULL;
  const char *argv[] = { "frobnicate", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "outbound-cli: "));
  g_assert_nonnull (strstr (err, "frobnicate"));
  /* One line. */
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
}

static void
test_cli_bad_option (void)
{
  g_autofree char *err = NULL;
  const char *argv[] = { "db", "info", "--no-such-option", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "outbound-cli db info: "));
}

static void
test_cli_db_info (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "cli.db");
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  const char *argv[] = { "db", "info", "--db", db, "--json", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (obj, "path"), ==, db);
  g_assert_cmpint (json_object_get_int_member (obj, "schema_version"), ==,
                   json_object_get_int_member (obj, "latest_version"));
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_cli_db_env (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "env.db");
  g_autofree char *out = NULL;
  const char *argv[] = { "db", "info", NULL };

  g_setenv ("OUTBOUND_DB", db, TRUE);
  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  g_unsetenv ("OUTBOUND_DB");
  g_assert_nonnull (strstr (out, db));
}

static void
test_cli_db_unwritable (void)
{
  g_autofree char *err = NULL;
  const char *argv[] = { "db", "info", "--db", "/proc/outbound/cannot.db", NULL };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "outbound-cli db info: "));
  g_assert_nonnull (strstr (err, "/proc/outbound"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/command-help", test_cli_command_help);
  g_test_add_func ("/cli/unknown-command", test_cli_unknown_command);
  g_test_add_func ("/cli/bad-option", test_cli_bad_option);
  g_test_add_func ("/cli/db-info", test_cli_db_info);
  g_test_add_func ("/cli/db-env", test_cli_db_env);
  g_test_add_func ("/cli/db-unwritable", test_cli_db_unwritable);

  return g_test_run ();
}
