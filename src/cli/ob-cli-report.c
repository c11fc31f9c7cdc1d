/* ob-cli-report.c — outbound-cli report campaign|lists
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "ob-cli.h"
#include "ob-report.h"

static void
print_rows (const char *title,
            GPtrArray  *rows,
            gboolean    lists)
{
  if (rows->len == 0)
    return;
  printf ("\n%s\n", title);
  for (guint i = 0; i < rows->len; i++)
    {
      ObReportRow *row = rows->pdata[i];
      const char *key = row->key[0] ? row->key : _("(none)");

      if (lists)
        /* Translators: one line of the list report: source, contacts, verdicts, bounce rate */
        printf (_("  %-28s %6lld contacts, %lld valid, %lld"
                  " risky, %lld invalid, %lld suppressed, bounce rate %.1f %%\n"),
                key, (long long) row->contacts, (long long) row->valid, (long long) row->risky,
                (long long) row->invalid, (long long) row->suppressed,
                row->bounce_rate * 100);
      else if (row->sent == 0 && row->attempts == 0 && row->replies == 0)
        printf (_("  %-28s %lld hard, %lld soft\n"),
                key, (long long) row->hard_bounces, (long long) row->soft_bounces);
      else
        printf (_("  %-28s %6lld sent, %lld hard, %lld"
                  " soft, %lld replies, bounce rate %.1f %%\n"),
                key, (long long) row->sent, (long long) row->hard_bounces, (long long) row->soft_bounces,
                (long long) row->replies,
                row->bounce_rate * 100);
    }
}

int
ob_cli_report_campaign (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(ObCampaignReport) report = NULL;
  g_autoptr(GError) error = NULL;
  ObStore *store;
  char *end = NULL;
  gint64 id;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give one campaign id"));
  id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || id <= 0)
    return ob_cli_usage_error (cli, _("“%s” is not a campaign id"), argv[1]);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (!(report = ob_campaign_report_new (store, id, &error)))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = ob_campaign_report_to_json (report);
      ob_cli_print_json (node, FALSE);
      return OB_CLI_EXIT_OK;
    }

  printf (_("Campaign %lld: %s (%s)\n"), (long long) report->campaign_id, report->name, report->state);
  printf (_("Sent %lld, delivered %lld, hard bounces %lld"
            ", soft bounces %lld, blocked %lld, replies %lld"
            ", unsubscribed %lld\n"),
          (long long) report->sent, (long long) report->delivered, (long long) report->hard_bounces,
          (long long) report->soft_bounces, (long long) report->blocked, (long long) report->replies,
          (long long) report->unsubscribed);
  printf (_("Bounce rate: %.1f %%\n"), report->bounce_rate * 100);
  print_rows (_("Bounces by reason:"), report->by_reason, FALSE);
  print_rows (_("By recipient domain:"), report->by_domain, FALSE);
  print_rows (_("By list source:"), report->by_source, FALSE);

  return OB_CLI_EXIT_OK;
}

int
ob_cli_report_lists (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(ObListsReport) report = NULL;
  g_autoptr(GError) error = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (!(report = ob_lists_report_new (store, g_get_real_time () / G_USEC_PER_SEC, &error)))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = ob_lists_report_to_json (report);
      ob_cli_print_json (node, FALSE);
      return OB_CLI_EXIT_OK;
    }

  printf (_("%lld contacts: %lld valid, %lld risky, %lld"
            " invalid, %lld not checked, %lld suppressed\n"),
          (long long) report->contacts, (long long) report->valid, (long long) report->risky,
          (long long) report->invalid, (long long) report->unknown, (long long) report->suppressed);
  printf (_("Median list age: %.0f days\n"), report->median_age_days);
  print_rows (_("By list source:"), report->by_source, TRUE);

  return OB_CLI_EXIT_OK;
}
