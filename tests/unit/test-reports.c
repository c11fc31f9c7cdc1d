/* test-reports.c — campaign and list figures from hand-made history.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "ob-core.h"
#include "ob-report.h"
#include "ob-test-util.h"

#define ATTEMPT "'{\"attempt\":true,\"reason\":\"%s\"}'"

static void
exec (ObStore    *store,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

/* Ten contacts from two sources at two domains; campaign 1 sent to
 * eight of them: one rejected at RCPT (userunknown), one bounced later
 * (a bounce mail), one soft bounce, one blocked, two replies. */
static ObStore *
make_history (ObTestDir *dir)
{
  g_autofree char *path = ob_test_dir_file (dir, "reports.db");
  g_autoptr(GError) error = NULL;
  ObStore *store = ob_store_open (path, &error);

  g_assert_no_error (error);
  for (int i = 1; i <= 10; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO contacts (id, email, email_key, domain, source, verdict, status,"
                         " created_at, updated_at) VALUES (%d, 'p%d@%s', 'p%d@%s', '%s', '%s', '%s', '%s', %d, 0)",
                         i, i, i <= 6 ? "acme.de" : "valve.us", i, i <= 6 ? "acme.de" : "valve.us",
                         i <= 6 ? "acme.de" : "valve.us", i % 2 ? "fair" : "web",
                         i == 9 ? "invalid" : i == 10 ? "risky" : "valid",
                         i == 1 ? "suppressed" : "active", 86400 * i);
      exec (store, sql);
    }
  exec (store, "INSERT INTO templates (id, name, created_at, updated_at) VALUES (1, 't', 0, 0)");
  exec (store, "INSERT INTO campaigns (id, name, state, created_at, updated_at) VALUES (1, 'Spring', 'running', 0, 0)");
  exec (store, "INSERT INTO campaign_steps (id, campaign_id, position, template_id) VALUES (1, 1, 1, 1)");

  /* 7 accepted sends (contacts 2..8), 1 rejected at RCPT (contact 1). */
  for (int i = 2; i <= 8; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO events (at, kind, contact_id, campaign_id, step, data)"
                                              " VALUES (100, 'sent', %d, 1, 1, '{\"attempt\":true}')", i);
      exec (store, sql);
    }
  exec (store, "INSERT INTO events (at, kind, contact_id, campaign_id, step, data) VALUES"
               " (100, 'hard_bounce', 1, 1, 1, " "'{\"attempt\":true,\"reason\":\"userunknown\"}'),"
               " (200, 'hard_bounce', 2, 1, 1, '{\"reason\":\"userunknown\"}'),"
               " (300, 'soft_bounce', 3, 1, 1, '{\"attempt\":true,\"reason\":\"mailboxfull\"}'),"
               " (300, 'blocked', 4, 1, 1, '{\"attempt\":true,\"reason\":\"blocked\"}'),"
               " (400, 'replied', 5, 1, 1, NULL),"
               " (400, 'replied', 7, 1, 1, NULL),"
               " (500, 'unsubscribed', 7, NULL, NULL, NULL)");
  exec (store, "INSERT INTO queue (campaign_id, step_id, contact_id, state, updated_at)"
               " SELECT 1, 1, id, 'sent', 0 FROM contacts WHERE id <= 8");
  return store;
}

static void
test_campaign_report (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = make_history (dir);
  g_autoptr(ObCampaignReport) r = NULL;
  g_autoptr(GError) error = NULL;
  ObReportRow *row;

  r = ob_campaign_report_new (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->name, ==, "Spring");
  g_assert_cmpint (r->sent, ==, 7);
  g_assert_cmpint (r->attempts, ==, 8);   /* 7 accepted + 1 refused at RCPT */
  g_assert_cmpint (r->delivered, ==, 6);  /* less the bounce mail for contact 2 */
  g_assert_cmpint (r->hard_bounces, ==, 2);
  g_assert_cmpint (r->soft_bounces, ==, 1);
  g_assert_cmpint (r->blocked, ==, 1);
  g_assert_cmpint (r->replies, ==, 2);
  g_assert_cmpint (r->unsubscribed, ==, 1);
  g_assert_cmpfloat_with_epsilon (r->bounce_rate, 2.0 / 8.0, 1e-9);

  g_assert_cmpuint (r->by_reason->len, ==, 2);
  row = r->by_reason->pdata[0];
  g_assert_cmpstr (row->key, ==, "userunknown");
  g_assert_cmpint (row->hard_bounces, ==, 2);
  row = r->by_reason->pdata[1];
  g_assert_cmpstr (row->key, ==, "mailboxfull");
  g_assert_cmpint (row->soft_bounces, ==, 1);

  g_assert_cmpuint (r->by_domain->len, ==, 2);
  row = r->by_domain->pdata[0];
  g_assert_cmpstr (row->key, ==, "acme.de");
  g_assert_cmpint (row->sent, ==, 5);           /* contacts 2..6 */
  g_assert_cmpint (row->hard_bounces, ==, 2);
  g_assert_cmpint (row->attempts, ==, 6);
  row = r->by_domain->pdata[1];
  g_assert_cmpstr (row->key, ==, "valve.us");
  g_assert_cmpint (row->sent, ==, 2);
  g_assert_cmpint (row->replies, ==, 1);
  g_assert_cmpfloat (row->bounce_rate, ==, 0.0);

  g_assert_cmpuint (r->by_source->len, ==, 2);

  g_assert_null (ob_campaign_report_new (store, 99, &error));
  g_assert_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_NOT_FOUND);
}

static void
test_lists_report (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = make_history (dir);
  g_autoptr(ObListsReport) r = NULL;
  g_autoptr(GError) error = NULL;
  ObReportRow *fair, *web;

  r = ob_lists_report_new (store, 86400 * 20, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->contacts, ==, 10);
  g_assert_cmpint (r->valid, ==, 8);
  g_assert_cmpint (r->invalid, ==, 1);
  g_assert_cmpint (r->risky, ==, 1);
  g_assert_cmpint (r->suppressed, ==, 1);
  g_assert_cmpint (r->oldest_at, ==, 86400);
  /* created 1..10 days after the epoch; the median (6th) is day 6: 14 days old */
  g_assert_cmpfloat_with_epsilon (r->median_age_days, 14.0, 1e-9);

  g_assert_cmpuint (r->by_source->len, ==, 2);
  fair = r->by_source->pdata[0];
  web = r->by_source->pdata[1];
  g_assert_cmpstr (fair->key, ==, "fair");      /* odd ids: 1,3,5,7,9 */
  g_assert_cmpstr (web->key, ==, "web");
  g_assert_cmpint (fair->contacts, ==, 5);
  g_assert_cmpint (fair->suppressed, ==, 1);
  g_assert_cmpint (fair->hard_bounces, ==, 1);  /* contact 1, at RCPT */
  g_assert_cmpint (fair->sent, ==, 3);          /* 3, 5, 7 */
  g_assert_cmpfloat_with_epsilon (fair->bounce_rate, 1.0 / 4.0, 1e-9);
  g_assert_cmpint (web->hard_bounces, ==, 1);   /* contact 2, a bounce mail */
  g_assert_cmpint (web->sent, ==, 4);           /* 2, 4, 6, 8 */
  g_assert_cmpfloat_with_epsilon (web->bounce_rate, 1.0 / 4.0, 1e-9);
}

static void
test_report_cli (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(ObStore) store = make_history (dir);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *path = ob_store_get_path (store);
  const char *campaign[] = { "report", "campaign", "1", "--db", path, "--json", NULL };
  const char *lists[] = { "report", "lists", "--db", path, "--json", NULL };
  const char *missing[] = { "report", "campaign", "42", "--db", path, NULL };
  JsonObject *o;

  g_assert_cmpint (ob_test_run_cli (campaign, NULL, &out, NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "sent"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (o, "delivered"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (o, "replied"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "bounce_rate"), 0.25, 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "by_domain")), ==, 2);

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ob_test_run_cli (lists, NULL, &out, NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "contacts"), ==, 10);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (o, "shares"), "valid"),
                                  0.8, 1e-9);

  g_assert_cmpint (ob_test_run_cli (missing, NULL, NULL, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "outbound-cli report campaign: "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ob_core_init ();

  g_test_add_func ("/reports/campaign", test_campaign_report);
  g_test_add_func ("/reports/lists", test_lists_report);
  g_test_add_func ("/reports/cli", test_report_cli);

  return g_test_run ();
}
