/* test-domain-check-store.c — the last Domain health result per domain:
 * saved by outbound-cli dns check (and the page), read back as a summary
 * for the campaign review.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ob-domain-check-store.h"
#include "ob-reports.h"
#include "ob-test-util.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static ObStore *
open_store (ObTestDir *dir)
{
  g_autofree char *path = ob_test_dir_file (dir, "store.db");
  g_autoptr(GError) error = NULL;
  ObStore *store = ob_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static const char *broken_report =
  "{\"domain\": \"Example.COM.\", \"smtp_host\": \"smtp.gmail.com\", \"provider\": \"gmail\","
  " \"checked_at\": 1790000000, \"findings\": ["
  "  {\"id\": \"mx-ok\", \"severity\": \"ok\", \"group\": \"mx\"},"
  "  {\"id\": \"spf-provider-missing\", \"severity\": \"error\", \"group\": \"spf\"},"
  "  {\"id\": \"dkim-weak-key\", \"severity\": \"warning\", \"group\": \"dkim\"},"
  "  {\"id\": \"dmarc-missing\", \"severity\": \"error\", \"group\": \"dmarc\"},"
  "  {\"id\": \"tls-rpt-missing\", \"severity\": \"info\", \"group\": \"transport\"},"
  "  {\"id\": \"odd\", \"severity\": \"fatal\", \"group\": \"spf\"}"
  "], \"records\": {}}";

static void
test_save_load_summary (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = open_store (dir);
  g_autoptr(JsonNode) report = parse (broken_report);
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(ObDomainHealthSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) domains = NULL;

  g_assert_true (ob_domain_check_store_save (store, report, &error));
  g_assert_no_error (error);

  /* Found under the normalised name, however it is written. */
  loaded = ob_domain_check_store_load (store, " example.com ", &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (loaded, report));

  summary = ob_domain_health_summary_for_domain (store, "EXAMPLE.com.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->domain, ==, "Example.COM.");
  g_assert_cmpstr (summary->smtp_host, ==, "smtp.gmail.com");
  g_assert_cmpint (summary->checked_at, ==, 1790000000);
  g_assert_cmpint (summary->worst, ==, OB_DOMAIN_HEALTH_ERROR);
  g_assert_cmpuint (summary->n_errors, ==, 2);
  g_assert_cmpuint (summary->n_warnings, ==, 1);
  g_assert_cmpuint (summary->n_infos, ==, 1);
  g_assert_cmpuint (summary->n_ok, ==, 1);

  domains = ob_domain_check_store_list_domains (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (domains), ==, 1);
  g_assert_cmpstr (domains[0], ==, "example.com");
}

static void
test_replace_and_order (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = open_store (dir);
  g_autoptr(JsonNode) first = parse (broken_report);
  g_autoptr(JsonNode) fixed = parse ("{\"domain\": \"example.com\", \"smtp_host\": null, \"checked_at\": 1790000600,"
                                     " \"findings\": [{\"id\": \"spf-ok\", \"severity\": \"ok\"},"
                                     " {\"id\": \"mta-sts-missing\", \"severity\": \"info\"}]}");
  g_autoptr(JsonNode) other = parse ("{\"domain\": \"other.test\", \"checked_at\": 1790000300, \"findings\": []}");
  g_autoptr(ObDomainHealthSummary) summary = NULL;
  g_autoptr(ObDomainHealthSummary) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) domains = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_true (ob_domain_check_store_save (store, first, NULL));
  g_assert_true (ob_domain_check_store_save (store, other, NULL));
  g_assert_true (ob_domain_check_store_save (store, fixed, NULL));

  summary = ob_domain_health_summary_for_domain (store, "example.com", &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->worst, ==, OB_DOMAIN_HEALTH_INFO);
  g_assert_cmpuint (summary->n_errors, ==, 0);
  g_assert_null (summary->smtp_host);
  g_assert_cmpint (summary->checked_at, ==, 1790000600);

  empty = ob_domain_health_summary_for_domain (store, "other.test", &error);
  g_assert_no_error (error);
  g_assert_cmpint (empty->worst, ==, OB_DOMAIN_HEALTH_UNKNOWN);

  domains = ob_domain_check_store_list_domains (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (domains), ==, 2);
  g_assert_cmpstr (domains[0], ==, "example.com");
  g_assert_cmpstr (domains[1], ==, "other.test");

  stmt = ob_store_prepare (store, "SELECT count(*), smtp_host FROM domain_checks WHERE domain = 'example.com'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_type (stmt, 1), ==, SQLITE_NULL);
}

static void
test_bad_input (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = open_store (dir);
  g_autoptr(JsonNode) no_domain = parse ("{\"checked_at\": 1, \"findings\": []}");
  g_autoptr(JsonNode) no_time = parse ("{\"domain\": \"a.test\", \"findings\": []}");
  g_autoptr(JsonNode) array = parse ("[1, 2]");
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) domains = NULL;

  g_assert_false (ob_domain_check_store_save (store, no_domain, &error));
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ob_domain_check_store_save (store, no_time, &error));
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ob_domain_check_store_save (store, array, &error));
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID);
  g_clear_error (&error);

  domains = ob_domain_check_store_list_domains (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (domains), ==, 0);

  g_assert_null (ob_domain_health_summary_for_domain (store, "a.test", &error));
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "a.test"));
  g_clear_error (&error);

  /* Damaged text in the table: a clear error, never a crash. */
  g_assert_true (ob_store_exec (store, "INSERT INTO domain_checks VALUES ('broken.test', NULL, 5, '{\"domain\": ')", NULL));
  g_assert_null (ob_domain_check_store_load (store, "broken.test", &error));
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "broken.test"));
  g_clear_error (&error);
  g_assert_true (ob_store_exec (store, "UPDATE domain_checks SET report_json = '\"text\"'", NULL));
  loaded = ob_domain_check_store_load (store, "broken.test", &error);
  g_assert_null (loaded);
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID);
}

/* outbound-cli dns check keeps its result where the summary finds it. */
static void
test_cli_saves (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "cli.db");
  g_autofree char *zone = ob_test_dir_file (dir, "zone.txt");
  g_autofree char *resolver = g_strconcat ("zone:", zone, NULL);
  const char *argv[] = { "dns", "check", "nodmarc.test", "--resolver", resolver, "--db", db, NULL };
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObDomainHealthSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (zone,
                                      "$ORIGIN nodmarc.test.\n$TTL 300\n"
                                      "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\n"
                                      "@ MX 10 mx\nmx A 192.0.2.10\n"
                                      "@ TXT \"v=spf1 mx -all\"\n", -1, NULL));
  g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, NULL), ==, 1);

  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  summary = ob_domain_health_summary_for_domain (store, "NoDmarc.test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->domain, ==, "nodmarc.test");
  g_assert_cmpint (summary->worst, ==, OB_DOMAIN_HEALTH_ERROR);
  g_assert_cmpuint (summary->n_errors, >=, 1);
  g_assert_cmpuint (summary->n_ok, >=, 2);
  g_assert_cmpint (summary->checked_at, >, 1700000000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/domain-check-store/save-load-summary", test_save_load_summary);
  g_test_add_func ("/domain-check-store/replace-and-order", test_replace_and_order);
  g_test_add_func ("/domain-check-store/bad-input", test_bad_input);
  g_test_add_func ("/domain-check-store/cli-saves", test_cli_saves);

  return g_test_run ();
}
