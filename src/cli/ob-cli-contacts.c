/* ob-cli-contacts.c — outbound-cli contacts import|list|export|segment and
 * suppress add|remove|list|import|export.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "ob-cli.h"
#include "ob-contact-importer.h"
#include "ob-contacts.h"
#include "ob-dns-caching-resolver.h"
#include "ob-mail-domain-check.h"
#include "ob-suppressions.h"

typedef struct
{
  GMainLoop            *loop;
  ObImportReport       *report;
  ObDomainCheckSummary  dns;
  GError               *error;
} ImportWait;

static void
domains_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ImportWait *wait = user_data;

  ob_contacts_check_domains_finish (result, &wait->dns, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportWait *wait = user_data;

  wait->report = ob_contact_importer_import_finish (OB_CONTACT_IMPORTER (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
progress_cb (ObContactImporter *importer,
             GParamSpec        *pspec,
             gpointer           user_data)
{
  fputc ('\r', stderr);
  fprintf (stderr, _("Importing… %3.0f %% (%u rows)"),
           100.0 * ob_contact_importer_get_fraction (importer),
           ob_contact_importer_get_rows (importer));
  fflush (stderr);
}

static void
domains_progress_cb (guint    done,
                     guint    total,
                     gpointer user_data)
{
  fputc ('\r', stderr);
  fprintf (stderr, _("Checking domains… %u of %u"), done, total);
  fflush (stderr);
}

static void
print_report (ObCli                      *cli,
              ObImportReport             *r,
              const ObDomainCheckSummary *dns)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

#define INT_MEMBER(name, value) \
      json_builder_set_member_name (b, name); json_builder_add_int_value (b, value)
      json_builder_begin_object (b);
      INT_MEMBER ("rows", r->rows);
      INT_MEMBER ("imported", r->imported);
      INT_MEMBER ("updated", r->updated);
      INT_MEMBER ("duplicates", r->duplicates);
      INT_MEMBER ("duplicates_in_file", r->duplicates_in_file);
      INT_MEMBER ("duplicates_in_db", r->duplicates_in_db);
      INT_MEMBER ("invalid", r->invalid);
      INT_MEMBER ("suggestions", r->suggestions);
      INT_MEMBER ("suppressed", r->suppressed);
      if (dns != NULL)
        {
          json_builder_set_member_name (b, "dns");
          json_builder_begin_object (b);
          INT_MEMBER ("domains", dns->domains);
          INT_MEMBER ("ok", dns->ok);
          INT_MEMBER ("no_mx", dns->no_mx);
          INT_MEMBER ("null_mx", dns->null_mx);
          INT_MEMBER ("no_domain", dns->no_domain);
          INT_MEMBER ("unknown", dns->unknown);
          INT_MEMBER ("contacts_changed", dns->contacts_changed);
          INT_MEMBER ("kept", dns->kept);
          json_builder_end_object (b);
        }
#undef INT_MEMBER
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, r->format);
      json_builder_set_member_name (b, "encoding");
      json_builder_add_string_value (b, r->encoding);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->problems->len; i++)
        {
          ObImportProblem *p = g_ptr_array_index (r->problems, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, p->line);
          json_builder_set_member_name (b, "input");
          json_builder_add_string_value (b, p->input);
          json_builder_set_member_name (b, "reasons");
          json_builder_begin_array (b);
          for (guint j = 0; p->reasons[j] != NULL; j++)
            json_builder_add_string_value (b, p->reasons[j]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "suggestion");
          if (p->suggestion)
            json_builder_add_string_value (b, p->suggestion);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "applied");
          json_builder_add_boolean_value (b, p->applied);
          if (p->first_line > 0)
            {
              json_builder_set_member_name (b, "first_line");
              json_builder_add_int_value (b, p->first_line);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
      return;
    }

  printf (_("Rows read: %u\n"), r->rows);
  printf (_("Imported: %u\n"), r->imported);
  printf (_("Updated: %u\n"), r->updated);
  printf (_("Duplicates: %u (%u within the file, %u already in the database)\n"),
          r->duplicates, r->duplicates_in_file, r->duplicates_in_db);
  printf (_("Invalid, not imported: %u\n"), r->invalid);
  printf (_("With a suggested fix: %u\n"), r->suggestions);
  if (r->suppressed)
    printf (_("On the suppression list: %u\n"), r->suppressed);
  if (dns != NULL)
    printf (_("DNS: %u domains — %u without mail servers, %u with a null MX, %u without an MX record, %u could not be checked\n"),
            dns->domains, dns->no_domain, dns->null_mx, dns->no_mx, dns->unknown);
  if (dns != NULL && dns->kept > 0)
    printf (_("DNS: %u of those domains were known from an earlier check\n"), dns->kept);
  for (guint i = 0; i < r->problems->len; i++)
    {
      ObImportProblem *p = g_ptr_array_index (r->problems, i);
      g_autofree char *reasons = g_strjoinv (", ", p->reasons);

      printf (_("  line %u: %s (%s)"), p->line, p->input, reasons);
      if (p->first_line > 0)
        printf (_(" → the same address as line %u"), p->first_line);
      if (p->suggestion != NULL)
        printf (p->applied ? _(" → imported as %s") : _(" → did you mean %s?"), p->suggestion);
      putchar ('\n');
    }
}

/* outbound-cli contacts import FILE [--source NAME] [--tag T]… [--dns] [--apply-suggestions] [--json] */
int
ob_cli_contacts_import (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *source = NULL;
  g_auto(GStrv) tags = NULL;
  gboolean apply = FALSE;
  gboolean dns = FALSE;
  const GOptionEntry entries[] = {
    { "dns", 0, 0, G_OPTION_ARG_NONE, &dns,
      N_("Then look up each imported domain’s mail servers (MX, null MX, NXDOMAIN)"), NULL },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Where the list comes from (for rows without a source)"), N_("NAME") },
    { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, N_("Tag every imported contact (repeatable)"), N_("TAG") },
    { "apply-suggestions", 0, 0, G_OPTION_ARG_NONE, &apply, N_("Import the suggested fix of a mistyped address"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(ObContactImporter) importer = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(ObImportReport) report = NULL;
  ImportWait wait = { 0 };
  gboolean tty = isatty (2) && !cli->json;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give one file to import"));
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (dns)
    {
      g_autoptr(ObDnsResolver) inner = ob_dns_resolver_new_for_spec (cli->resolver, &error);

      if (inner == NULL)
        return ob_cli_fail (cli, error);
      resolver = ob_dns_caching_resolver_new (inner);
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  importer = ob_contact_importer_new (store, file);
  ob_contact_importer_set_source (importer, source);
  ob_contact_importer_set_tags (importer, (const char * const *) tags);
  ob_contact_importer_set_apply_suggestions (importer, apply);
  if (tty)
    g_signal_connect (importer, "notify::fraction", G_CALLBACK (progress_cb), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  ob_contact_importer_import_async (importer, NULL, import_done_cb, &wait);
  g_main_loop_run (loop);
  if (tty)
    fputc ('\n', stderr);

  report = wait.report;
  if (report == NULL)
    {
      int status = ob_cli_fail (cli, wait.error);
      g_clear_error (&wait.error);
      return status;
    }
  if (resolver != NULL)
    {
      ob_contacts_check_domains_async (store, resolver, report->started_at,
                                       tty ? domains_progress_cb : NULL, NULL,
                                       NULL, domains_done_cb, &wait);
      g_main_loop_run (loop);
      if (tty)
        fputc ('\n', stderr);
      if (wait.error != NULL)
        {
          int status = ob_cli_fail (cli, wait.error);
          g_clear_error (&wait.error);
          return status;
        }
    }
  print_report (cli, report, resolver ? &wait.dns : NULL);
  return OB_CLI_EXIT_OK;
}

/* EXPR, or @NAME for a saved segment. */
static ObSegment *
segment_from_options (ObStore     *store,
                      const char  *expression,
                      const char  *search,
                      GError     **error)
{
  g_autoptr(ObSegment) segment = NULL;

  if (expression != NULL && expression[0] == '@')
    segment = ob_segments_load (store, expression + 1, error);
  else
    segment = expression ? ob_segment_parse (expression, error) : ob_segment_new ();

  if (segment == NULL)
    return NULL;
  if (search != NULL)
    {
      g_free (segment->search);
      segment->search = g_strdup (search);
    }
  return g_steal_pointer (&segment);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* outbound-cli contacts list [--segment EXPR] [--search TEXT] [--limit N] [--json] */
int
ob_cli_contacts_list (ObCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *expression = NULL;
  g_autofree char *search = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "segment", 0, 0, G_OPTION_ARG_STRING, &expression,
      N_("Only contacts matching, e.g. country=DE|AT,tag=fair-2026,verdict=valid, or @NAME of a saved segment"), N_("EXPR") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Words to find in name, company, email or notes"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N contacts"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSegment) segment = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (limit < 0)
    return ob_cli_usage_error (cli, _("--limit must be positive"));
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (!(segment = segment_from_options (store, expression, search, &error)))
    return ob_cli_fail (cli, error);
  if (!(contacts = ob_contacts_list (store, segment, 0, limit, &error)))
    return ob_cli_fail (cli, error);

  for (guint i = 0; i < contacts->len; i++)
    {
      ObContact *c = g_ptr_array_index (contacts, i);

      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_auto(GStrv) tags = ob_contact_dup_tags (c);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, ob_contact_get_id (c));
          add_string_or_null (b, "email", ob_contact_get_email (c));
          add_string_or_null (b, "name", ob_contact_get_name (c));
          add_string_or_null (b, "company", ob_contact_get_company (c));
          add_string_or_null (b, "country", ob_contact_get_country (c));
          add_string_or_null (b, "timezone", ob_contact_get_timezone (c));
          add_string_or_null (b, "source", ob_contact_get_source (c));
          json_builder_set_member_name (b, "tags");
          json_builder_begin_array (b);
          for (guint t = 0; tags[t] != NULL; t++)
            json_builder_add_string_value (b, tags[t]);
          json_builder_end_array (b);
          add_string_or_null (b, "verdict", ob_contact_get_verdict (c));
          add_string_or_null (b, "status", ob_contact_get_status (c));
          add_string_or_null (b, "title", ob_contact_get_text (c, OB_CONTACT_COLUMN_TITLE));
          add_string_or_null (b, "phone", ob_contact_get_text (c, OB_CONTACT_COLUMN_PHONE));
          add_string_or_null (b, "flags", ob_contact_get_text (c, OB_CONTACT_COLUMN_FLAGS));
          add_string_or_null (b, "custom", ob_contact_get_text (c, OB_CONTACT_COLUMN_CUSTOM_JSON));
          json_builder_end_object (b);
          ob_cli_print_json_builder (b, FALSE);
        }
      else
        printf ("%s\t%s\t%s\t%s\t%s\t%s\n", ob_contact_get_email (c),
                ob_contact_get_name (c) ? ob_contact_get_name (c) : "",
                ob_contact_get_company (c) ? ob_contact_get_company (c) : "",
                ob_contact_get_country (c) ? ob_contact_get_country (c) : "",
                ob_contact_get_verdict (c), ob_contact_get_status (c));
    }
  return OB_CLI_EXIT_OK;
}

/* outbound-cli contacts export FILE [--segment EXPR] */
int
ob_cli_contacts_export (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *expression = NULL;
  g_autofree char *search = NULL;
  const GOptionEntry entries[] = {
    { "segment", 0, 0, G_OPTION_ARG_STRING, &expression,
      N_("Only contacts matching, e.g. country=DE|AT,tag=fair-2026,verdict=valid, or @NAME of a saved segment"), N_("EXPR") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Words to find in name, company, email or notes"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSegment) segment = NULL;
  ObStore *store;
  guint n = 0;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give the CSV file to write"));
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (!(segment = segment_from_options (store, expression, search, &error)))
    return ob_cli_fail (cli, error);
  if (!ob_contacts_export_csv (store, segment, argv[1], &n, &error))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "exported");
      json_builder_add_int_value (b, n);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    printf (g_dngettext (NULL, "Exported %u contact to %s\n", "Exported %u contacts to %s\n", n), n, argv[1]);
  return OB_CLI_EXIT_OK;
}

/* outbound-cli suppress add|remove ADDRESS|@DOMAIN [--reason R] */
static int
suppress_change (ObCli  *cli,
                 int     argc,
                 char  **argv,
                 gboolean add)
{
  g_autofree char *reason = NULL;
  g_autofree char *source = NULL;
  const GOptionEntry add_entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("hard-bounce, soft-bounce, unsubscribed, complaint or manual (default)"), N_("R") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Where it comes from (default: user)"), N_("SOURCE") },
    { NULL }
  };
  const GOptionEntry remove_entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why it may be mailed again (required; kept in the log)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, add ? add_entries : remove_entries, FALSE);
  g_autoptr(GError) error = NULL;
  ObSuppressionReason r = OB_SUPPRESSION_MANUAL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc < 2)
    return ob_cli_usage_error (cli, _("give an address or an @domain"));
  if (add && reason != NULL && !ob_suppression_reason_from_string (reason, &r))
    return ob_cli_usage_error (cli, _("“%s” is not a reason; use hard-bounce, soft-bounce, unsubscribed, complaint or manual"),
                               reason);
  if (!add && (reason == NULL || *reason == '\0'))
    return ob_cli_usage_error (cli, _("say why with --reason; lifting a suppression is logged"));
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  for (int i = 1; i < argc; i++)
    {
      gboolean ok = add ? ob_suppressions_add (store, argv[i], r, source ? source : "user", NULL, &error)
                        : ob_suppressions_remove (store, argv[i], reason, &error);
      if (!ok)
        return ob_cli_fail (cli, error);
    }
  return OB_CLI_EXIT_OK;
}

int
ob_cli_suppress_add (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  return suppress_change (cli, argc, argv, TRUE);
}

int
ob_cli_suppress_remove (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  return suppress_change (cli, argc, argv, FALSE);
}

/* outbound-cli suppress list [ADDRESS|@DOMAIN] [--json] */
int
ob_cli_suppress_list (ObCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  if (argc > 1)
    {
      /* Is this one suppressed? Exit 1 when it is (a check that found something). */
      gboolean suppressed = FALSE;

      if (!ob_suppressions_contains (store, argv[1], &suppressed, &error))
        return ob_cli_fail (cli, error);
      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "entry");
          json_builder_add_string_value (b, argv[1]);
          json_builder_set_member_name (b, "suppressed");
          json_builder_add_boolean_value (b, suppressed);
          json_builder_end_object (b);
          ob_cli_print_json_builder (b, FALSE);
        }
      else
        printf (suppressed ? _("%s is suppressed\n") : _("%s is not suppressed\n"), argv[1]);
      return suppressed ? OB_CLI_EXIT_PROBLEMS : OB_CLI_EXIT_OK;
    }

  if (!(list = ob_suppressions_list (store, &error)))
    return ob_cli_fail (cli, error);
  for (guint i = 0; i < list->len; i++)
    {
      ObSuppression *s = g_ptr_array_index (list, i);

      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          add_string_or_null (b, "entry", s->display);
          add_string_or_null (b, "kind", s->is_domain ? "domain" : "address");
          add_string_or_null (b, "reason", ob_suppression_reason_to_string (s->reason));
          add_string_or_null (b, "source", s->source);
          add_string_or_null (b, "detail", s->detail);
          json_builder_set_member_name (b, "created_at");
          json_builder_add_int_value (b, s->created_at);
          json_builder_end_object (b);
          ob_cli_print_json_builder (b, FALSE);
        }
      else
        printf ("%s\t%s\t%s\n", s->display, ob_suppression_reason_to_string (s->reason),
                s->source ? s->source : "");
    }
  return OB_CLI_EXIT_OK;
}

static int
suppress_file (ObCli    *cli,
               int       argc,
               char    **argv,
               gboolean  import)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  ObStore *store;
  guint n = 0;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give one CSV file"));
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (import ? !ob_suppressions_import_csv (store, argv[1], "import", &n, &error)
             : !ob_suppressions_export_csv (store, argv[1], &error))
    return ob_cli_fail (cli, error);
  if (import)
    printf (g_dngettext (NULL, "Added %u entry to the suppression list\n",
                         "Added %u entries to the suppression list\n", n), n);
  return OB_CLI_EXIT_OK;
}

int
ob_cli_suppress_import (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  return suppress_file (cli, argc, argv, TRUE);
}

int
ob_cli_suppress_export (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  return suppress_file (cli, argc, argv, FALSE);
}

/* outbound-cli contacts segment NAME --segment EXPR | --delete */
int
ob_cli_contacts_segment (ObCli  *cli,
                         int     argc,
                         char  **argv)
{
  g_autofree char *expression = NULL;
  gboolean delete = FALSE;
  const GOptionEntry entries[] = {
    { "segment", 0, 0, G_OPTION_ARG_STRING, &expression,
      N_("The filter to save, e.g. country=DE|AT,tag=fair-2026,verdict=valid"), N_("EXPR") },
    { "delete", 0, 0, G_OPTION_ARG_NONE, &delete, N_("Delete the saved segment"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSegment) segment = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  if (argc == 1)
    {
      g_auto(GStrv) names = ob_segments_list_names (store, &error);

      if (names == NULL)
        return ob_cli_fail (cli, error);
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autoptr(ObSegment) s = ob_segments_load (store, names[i], NULL);
          g_autofree char *json = s ? ob_segment_to_json (s) : g_strdup ("{}");

          printf ("%s\t%s\n", names[i], json);
        }
      return OB_CLI_EXIT_OK;
    }
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give one segment name"));
  if (delete)
    return ob_segments_delete (store, argv[1], &error) ? OB_CLI_EXIT_OK : ob_cli_fail (cli, error);
  if (expression == NULL)
    return ob_cli_usage_error (cli, _("give the filter with --segment"));
  if (!(segment = ob_segment_parse (expression, &error)) ||
      !ob_segments_save (store, argv[1], segment, &error))
    return ob_cli_fail (cli, error);
  return OB_CLI_EXIT_OK;
}
