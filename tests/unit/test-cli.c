/* test-cli.c — the outbound-cli contract of CLI.md: dispatch, --help,
 * --version, exit codes and the error style.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
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

/* Runs @program (not the one of OUTBOUND_CLI) with @argv. */
static int
run_program (const char          *program,
             const char * const  *argv,
             const char          *stdin_text,
             char               **stdout_text,
             char               **stderr_text)
{
  g_autofree char *saved = g_strdup (g_getenv ("OUTBOUND_CLI"));
  int status;

  g_setenv ("OUTBOUND_CLI", program, TRUE);
  status = ob_test_run_cli (argv, stdin_text, stdout_text, stderr_text);
  g_setenv ("OUTBOUND_CLI", saved, TRUE);
  return status;
}

/* A command the front does not run itself reaches outbound-cli-full with
 * its arguments, stdin, output and exit status unchanged. */
static void
test_cli_front_hands_over (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "front.db");
  g_autofree char *template = ob_test_dir_file (dir, "broken.txt");
  g_autofree char *zone = ob_test_dir_file (dir, "acme.zone");
  g_autofree char *zone_spec = g_strconcat ("zone:", zone, NULL);
  const char *full = g_getenv ("OUTBOUND_CLI_FULL");
  const char *lint[] = { "lint", template, "--json", NULL };
  const char *usage[] = { "campaign", "create", "--db", db, NULL };
  const char *dns[] = { "address", "check", "--dns", "--resolver", zone_spec, "--json", NULL };
  const char * const *cases[] = { lint, usage, dns };
  const char *addresses = "a@acme-exports.com\nb@nomx.acme-exports.com\n";
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (full);
  g_file_set_contents (template, "Subject: \n\nHello {{first_name\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (zone,
                       "$ORIGIN acme-exports.com.\n$TTL 1h\n@ MX 10 mail\nmail A 192.0.2.1\nnomx A 192.0.2.2\n",
                       -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *full_out = NULL;
      g_autofree char *full_err = NULL;
      /* Only the address check reads stdin: writing to the others' stdin
       * would fail once they exit. */
      const char *input = cases[i] == dns ? addresses : NULL;
      int status = ob_test_run_cli (cases[i], input, &out, &err);

      g_assert_cmpint (status, ==, run_program (full, cases[i], input, &full_out, &full_err));
      g_assert_cmpstr (out, ==, full_out);
      g_assert_cmpstr (err, ==, full_err);
      switch (i)
        {
        case 0: /* the lint found an error-level problem */
          g_assert_cmpint (status, ==, 1);
          g_assert_nonnull (strstr (out, "\"subject-empty\""));
          break;
        case 1: /* bad usage, reported by the command */
          g_assert_cmpint (status, ==, 2);
          g_assert_true (g_str_has_prefix (err, "outbound-cli campaign create: "));
          break;
        case 2: /* stdin read by the full program */
          g_assert_cmpint (status, ==, 0);
          g_assert_nonnull (strstr (out, "\"verdict\":\"valid\""));
          g_assert_nonnull (strstr (out, "\"no-mx\""));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* --version, --help, bounce classify and address check run in the front
 * itself: a copy of it without outbound-cli-full beside it still answers
 * them, as the front in the build tree does. */
static void
test_cli_front_runs_light_commands (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *alone = ob_test_dir_file (dir, "outbound-cli");
  g_autofree char *bounce = g_test_build_filename (G_TEST_DIST, "data", "bounces", "qq-mailbox-not-found.eml", NULL);
  g_autofree char *db = ob_test_dir_file (dir, "alone.db");
  g_autoptr(GFile) source = g_file_new_for_path (g_getenv ("OUTBOUND_CLI"));
  g_autoptr(GFile) copy = g_file_new_for_path (alone);
  g_autoptr(GError) error = NULL;
  const char *version[] = { "--version", NULL };
  const char *help[] = { "--help", NULL };
  const char *classify[] = { "bounce", "classify", "--json", bounce, NULL };
  const char *reply[] = { "bounce", "reply", "550 5.1.1 User unknown", NULL };
  const char *check[] = { "address", "check", "--json", NULL };
  const char *report[] = { "report", "lists", "--db", db, "--json", NULL };
  const char * const *cases[] = { version, help, classify, reply, check, report };

  g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (alone, 0755), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *alone_out = NULL;
      g_autofree char *alone_err = NULL;
      const char *input = cases[i] == check ? " John.Doe＠Gmial.con \n" : NULL;
      int status = ob_test_run_cli (cases[i], input, &out, &err);

      g_assert_cmpint (status, ==, 0);
      g_assert_cmpint (run_program (alone, cases[i], input, &alone_out, &alone_err), ==, 0);
      g_assert_cmpstr (alone_out, ==, out);
      g_assert_cmpstr (alone_err, ==, err);
    }

  /* A command it cannot run says so in one line, unless outbound-cli-full
   * is installed (then the copy finds it there). */
  if (!g_file_test (LIBEXECDIR "/outbound-cli-full", G_FILE_TEST_EXISTS))
    {
      g_autofree char *err = NULL;
      const char *lint[] = { "lint", bounce, NULL };

      g_assert_cmpint (run_program (alone, lint, NULL, NULL, &err), ==, 2);
      g_assert_true (g_str_has_prefix (err, "outbound-cli: "));
      g_assert_nonnull (strstr (err, "outbound-cli-full"));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
    }
}

/* OUTBOUND_LOCALEDIR points the CLI (and the app: src/main.c, ob_core_init)
 * at the translations built in the tree, as build-aux/dev run does, so a
 * Chinese user sees Chinese before any install. The zh_CN locale itself
 * is compiled into the test's directory (glibc's definitions, from the
 * locales package that build-aux/dev installs). */
static void
test_cli_translations_from_build_tree (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *locpath = ob_test_dir_file (dir, "locale");
  g_autofree char *target = g_build_filename (locpath, "zh_CN.UTF-8", NULL);
  g_autofree char *po = g_build_filename (g_getenv ("OUTBOUND_BUILD_ROOT"), "po", NULL);
  g_autofree char *saved_lc_all = g_strdup (g_getenv ("LC_ALL"));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *localedef[] = { "localedef", "-i", "zh_CN", "-f", "UTF-8", target, NULL };
  const char *argv[] = { "address", "check", "anna@126.con", NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (locpath, 0700), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) localedef, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_setenv ("LOCPATH", locpath, TRUE);
  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_setenv ("OUTBOUND_LOCALEDIR", po, TRUE);
  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
  g_unsetenv ("OUTBOUND_LOCALEDIR");
  g_unsetenv ("LOCPATH");
  if (saved_lc_all != NULL)
    g_setenv ("LC_ALL", saved_lc_all, TRUE);
  else
    g_unsetenv ("LC_ALL");

  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "您是不是要输入 anna@126.com"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/translations-from-build-tree", test_cli_translations_from_build_tree);
  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/command-help", test_cli_command_help);
  g_test_add_func ("/cli/unknown-command", test_cli_unknown_command);
  g_test_add_func ("/cli/bad-option", test_cli_bad_option);
  g_test_add_func ("/cli/db-info", test_cli_db_info);
  g_test_add_func ("/cli/db-env", test_cli_db_env);
  g_test_add_func ("/cli/db-unwritable", test_cli_db_unwritable);
  g_test_add_func ("/cli/front/hands-over", test_cli_front_hands_over);
  g_test_add_func ("/cli/front/runs-light-commands", test_cli_front_runs_light_commands);

  return g_test_run ();
}
