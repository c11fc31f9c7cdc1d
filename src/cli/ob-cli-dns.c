/* ob-cli-dns.c — outbound-cli dns query, dns check and spf
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ob-cli.h"
#include "ob-dns-caching-resolver.h"
#include "ob-domain-check.h"
#include "ob-domain-check-store.h"
#include "ob-spf-check.h"

typedef struct
{
  GMainLoop *loop;
  gpointer   result;
  GError    *error;
} Wait;

static void
spf_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *w = user_data;

  w->result = ob_spf_check_host_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static ObDnsResolver *
make_resolver (ObCli   *cli,
               GError **error)
{
  g_autoptr(ObDnsResolver) inner = ob_dns_resolver_new_for_spec (cli->resolver, error);

  if (inner == NULL)
    return NULL;
  return ob_dns_caching_resolver_new (inner);
}

/* outbound-cli spf --ip IP --sender ADDRESS [--helo NAME] */
int
ob_cli_spf (ObCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *ip_text = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *helo = NULL;
  const GOptionEntry entries[] = {
    { "ip", 0, 0, G_OPTION_ARG_STRING, &ip_text, N_("The sending server’s IP address"), N_("IP") },
    { "sender", 0, 0, G_OPTION_ARG_STRING, &sender, N_("The envelope sender (MAIL FROM)"), N_("ADDRESS") },
    { "helo", 0, 0, G_OPTION_ARG_STRING, &helo, N_("The HELO/EHLO name"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) ip = NULL;
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(ObSpfCheckResult) res = NULL;
  Wait w = { 0 };

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (ip_text == NULL)
    return ob_cli_usage_error (cli, _("--ip is required"));
  if ((sender == NULL || sender[0] == '\0') && (helo == NULL || helo[0] == '\0'))
    return ob_cli_usage_error (cli, _("--sender (or, for an empty sender, --helo) is required"));
  ip = g_inet_address_new_from_string (ip_text);
  if (ip == NULL)
    return ob_cli_usage_error (cli, _("--ip: “%s” is not an IPv4 or IPv6 address"), ip_text);
  if (!(resolver = make_resolver (cli, &error)))
    return ob_cli_fail (cli, error);

  w.loop = g_main_loop_new (NULL, FALSE);
  ob_spf_check_sender_async (resolver, ip, sender, helo,
                             _("The domain owner has not authorised %{i} to send mail for %{d}"),
                             NULL, spf_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    return ob_cli_fail (cli, w.error);
  res = w.result;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "result");
      json_builder_add_string_value (b, ob_spf_result_to_string (res->result));
      json_builder_set_member_name (b, "explanation");
      json_builder_add_string_value (b, res->explanation ? res->explanation
                                                         : res->problem ? res->problem : "");
      json_builder_set_member_name (b, "lookups");
      json_builder_add_int_value (b, res->lookups);
      json_builder_set_member_name (b, "void_lookups");
      json_builder_add_int_value (b, res->void_lookups);
      json_builder_set_member_name (b, "mechanism");
      if (res->mechanism)
        json_builder_add_string_value (b, res->mechanism);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "problem");
      if (res->problem)
        json_builder_add_string_value (b, res->problem);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      printf ("%s\n", ob_spf_result_to_string (res->result));
      if (res->mechanism)
        printf (_("Matched: %s\n"), res->mechanism);
      if (res->explanation)
        printf (_("Explanation: %s\n"), res->explanation);
      if (res->problem)
        printf (_("Problem: %s\n"), res->problem);
      printf (_("DNS lookups: %u, void lookups: %u\n"), res->lookups, res->void_lookups);
    }
  return OB_CLI_EXIT_OK;
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *w = user_data;

  w->result = ob_domain_check_run_finish (OB_DOMAIN_CHECK (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

/* Keeps the report as the domain's last result (domain_checks), for the
 * Domain health page and the campaign review. */
static gboolean
save_report (ObStore         *store,
             ObDomainReport  *report,
             GError         **error)
{
  g_autoptr(JsonNode) node = ob_domain_report_to_json (report);

  return ob_domain_check_store_save (store, node, error);
}

/* outbound-cli dns check DOMAIN [--smtp-host HOST] [--selector S]… */
int
ob_cli_dns_check (ObCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *smtp_host = NULL;
  g_auto(GStrv) selectors = NULL;
  g_autofree char *report_address = NULL;
  g_autofree char *ca_file = NULL;
  const GOptionEntry entries[] = {
    { "smtp-host", 0, 0, G_OPTION_ARG_STRING, &smtp_host, N_("The SMTP server the account sends through"), N_("HOST") },
    { "selector", 0, 0, G_OPTION_ARG_STRING_ARRAY, &selectors, N_("A DKIM selector to check (repeatable)"), N_("S") },
    { "report-address", 0, 0, G_OPTION_ARG_STRING, &report_address,
      N_("The address to suggest for DMARC reports (default dmarc-reports@DOMAIN)"), N_("ADDRESS") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust this CA when fetching the MTA-STS policy"), N_("PEM") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(ObDomainCheck) check = NULL;
  g_autoptr(ObDomainReport) report = NULL;
  ObStore *store;
  Wait w = { 0 };

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc < 2)
    return ob_cli_usage_error (cli, _("a DOMAIN is required"));
  if (argc > 2)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[2]);
  if (strchr (argv[1], '.') == NULL || strchr (argv[1], '@') || strchr (argv[1], ' '))
    return ob_cli_usage_error (cli, _("“%s” is not a domain name (write e.g. example.com)"), argv[1]);
  if (!(resolver = make_resolver (cli, &error)))
    return ob_cli_fail (cli, error);

  check = ob_domain_check_new (resolver);
  ob_domain_check_set_smtp_host (check, smtp_host);
  for (guint i = 0; selectors && selectors[i]; i++)
    ob_domain_check_add_selector (check, selectors[i]);
  if (report_address)
    ob_domain_check_set_report_address (check, report_address);
  if (ca_file)
    ob_domain_check_set_extra_ca_file (check, ca_file);

  w.loop = g_main_loop_new (NULL, FALSE);
  ob_domain_check_run_async (check, argv[1], NULL, check_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    return ob_cli_fail (cli, w.error);
  report = w.result;

  if ((store = ob_cli_get_store (cli, &error)) == NULL || !save_report (store, report, &error))
    g_printerr (_("outbound-cli: the report was not saved: %s\n"), error->message);

  if (cli->json)
    {
      g_autoptr(JsonNode) node = ob_domain_report_to_json (report);

      ob_cli_print_json (node, FALSE);
    }
  else
    {
      for (guint i = 0; i < report->findings->len; i++)
        {
          ObDomainFinding *f = g_ptr_array_index (report->findings, i);

          printf ("[%s] %s: %s\n", ob_finding_severity_to_string (f->severity), f->id, f->message);
          if (f->fix)
            printf ("    %s\n", f->fix);
        }
    }
  return ob_domain_report_has_errors (report) ? OB_CLI_EXIT_PROBLEMS : OB_CLI_EXIT_OK;
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *w = user_data;

  w->result = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &w->error);
  g_main_loop_quit (w->loop);
}

/* outbound-cli dns query NAME [TYPE] — one lookup through --resolver. */
int
ob_cli_dns_query (ObCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;
  guint16 type = OB_DNS_TYPE_A;
  Wait w = { 0 };

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc < 2)
    return ob_cli_usage_error (cli, _("a NAME is required"));
  if (argc > 3)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[3]);
  if (argc == 3 && !ob_dns_type_from_string (argv[2], &type))
    return ob_cli_usage_error (cli, _("unknown record type “%s” (e.g. A, AAAA, MX, TXT, CNAME, PTR, NS, SOA, SPF or TYPE65)"),
                               argv[2]);
  if (!(resolver = ob_dns_resolver_new_for_spec (cli->resolver, &error)))
    return ob_cli_fail (cli, error);

  w.loop = g_main_loop_new (NULL, FALSE);
  ob_dns_resolver_query_async (resolver, argv[1], type, NULL, query_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    return ob_cli_fail (cli, w.error);
  answer = w.result;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, ob_dns_type_to_string (type));
      json_builder_set_member_name (b, "rcode");
      json_builder_add_string_value (b, ob_dns_rcode_to_string (answer->rcode));
      json_builder_set_member_name (b, "records");
      json_builder_begin_array (b);
      for (guint i = 0; i < answer->records->len; i++)
        {
          ObDnsRecord *r = g_ptr_array_index (answer->records, i);
          g_autofree char *text = ob_dns_record_to_string (r);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, r->name);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, ob_dns_type_to_string (r->type));
          json_builder_set_member_name (b, "ttl");
          json_builder_add_int_value (b, r->ttl);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      printf (";; %s\n", ob_dns_rcode_to_string (answer->rcode));
      for (guint i = 0; i < answer->records->len; i++)
        {
          g_autofree char *text = ob_dns_record_to_string (g_ptr_array_index (answer->records, i));

          printf ("%s\n", text);
        }
    }
  return OB_CLI_EXIT_OK;
}
