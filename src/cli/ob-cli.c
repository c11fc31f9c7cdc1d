/* ob-cli.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "ob-cli.h"

/* The program that has every command, installed in libexecdir. */
#define OB_CLI_FULL_PROGRAM "outbound-cli-full"

/* Every command, in the order --help lists them.
 *
 * outbound-cli is two programs built from these sources. The front,
 * outbound-cli (built with OB_CLI_FRONT), links only what its own commands
 * need — GLib, GMime, SQLite, json-glib — so it starts in a few
 * milliseconds: it runs --help, --version and every command below that is
 * not wrapped in FULL(). A command wrapped in FULL() needs the network,
 * TLS, keyring or HTML stack (libsoup, GnuTLS, libsecret, libxml2): the
 * front hands its whole command line to outbound-cli-full, which has every
 * command (ob_cli_run_full()). Unwrap a command only if the test
 * cli-front-is-light still passes. */
#ifdef OB_CLI_FRONT
# define FULL(func) NULL
#else
# define FULL(func) func
#endif

static const ObCliCommand commands[] = {
  { "db", "info", NULL, N_("Show where the database is and its schema version"), ob_cli_db_info },

  /* With --dns, address check hands over to outbound-cli-full itself. */
  { "address", "check", N_("[ADDRESS…]"),
    N_("Check addresses: syntax, typos, disposable and reserved domains; mail servers with --dns"),
    ob_cli_address_check },

  { "contacts", "import", N_("FILE"), N_("Import contacts from CSV/TSV (UTF-8, UTF-16, GBK) or vCard"),
    FULL (ob_cli_contacts_import) },
  { "contacts", "list", NULL, N_("List contacts, optionally of a segment"), FULL (ob_cli_contacts_list) },
  { "contacts", "export", N_("FILE"), N_("Export contacts to CSV (UTF-8 with BOM)"), FULL (ob_cli_contacts_export) },
  { "contacts", "segment", N_("[NAME]"), N_("Save a segment under a name (--segment EXPR), delete it, or list them"),
    FULL (ob_cli_contacts_segment) },
  { "suppress", "add", N_("ADDRESS|@DOMAIN…"), N_("Never mail these addresses or domains"), FULL (ob_cli_suppress_add) },
  { "suppress", "remove", N_("ADDRESS|@DOMAIN…"), N_("Lift a suppression (with --reason, logged)"),
    FULL (ob_cli_suppress_remove) },
  { "suppress", "list", N_("[ADDRESS|@DOMAIN]"), N_("List the suppression list, or check one entry"),
    FULL (ob_cli_suppress_list) },
  { "suppress", "import", N_("FILE"), N_("Add the entries of a CSV file to the suppression list"),
    FULL (ob_cli_suppress_import) },
  { "suppress", "export", N_("FILE"), N_("Write the suppression list to a CSV file"), FULL (ob_cli_suppress_export) },

  { "dns", "query", N_("NAME [TYPE]"), N_("Look up one DNS name through the chosen resolver"), FULL (ob_cli_dns_query) },
  { "dns", "check", N_("DOMAIN"), N_("Check a sender domain’s MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT and blocklists"),
    FULL (ob_cli_dns_check) },
  { "spf", NULL, NULL, N_("Evaluate SPF (RFC 7208 check_host) for an IP address and a sender"), FULL (ob_cli_spf) },

  { "lint", NULL, N_("FILE"), N_("Check a template for what spam filters hold against it"), FULL (ob_cli_lint) },
  { "render", NULL, N_("FILE --contact ADDRESS"),
    N_("Print the message a template makes for one contact, as it would be sent"), FULL (ob_cli_render) },
  { "template", "add", N_("FILE"), N_("Store a template file and print its id"), FULL (ob_cli_template_add) },
  { "template", "list", NULL, N_("List the stored templates"), FULL (ob_cli_template_list) },

  { "account", "add", NULL, N_("Add a sending account (settings from the provider presets)"), FULL (ob_cli_account_add) },
  { "account", "list", NULL, N_("List the sending accounts"), FULL (ob_cli_account_list) },
  { "account", "remove", N_("ID"), N_("Remove an account and its password"), FULL (ob_cli_account_remove) },
  { "account", "test", N_("ID"), N_("Test an account: DNS, connection, TLS, certificate, login"),
    FULL (ob_cli_account_test) },
  { "account", "providers", NULL, N_("List the provider presets and what to know about each"),
    FULL (ob_cli_account_providers) },

  { "bounce", "classify", N_("FILE…"), N_("Classify bounce mails (files, mboxes or maildir folders)"),
    ob_cli_bounce_classify },
  { "bounce", "reply", N_("'CODE TEXT'"), N_("Classify one SMTP reply"), ob_cli_bounce_reply },

  { "campaign", "create", NULL, N_("Create a campaign (a draft) and print its ID"), FULL (ob_cli_campaign_create) },
  { "campaign", "run", NULL, N_("Run the send engine in the foreground until nothing is due"),
    FULL (ob_cli_campaign_run) },
  { "campaign", "list", NULL, N_("List the campaigns"), FULL (ob_cli_campaign_list) },
  { "campaign", "start", "ID", N_("Start a draft campaign"), FULL (ob_cli_campaign_start) },
  { "campaign", "pause", "ID", N_("Pause a campaign"), FULL (ob_cli_campaign_pause) },
  { "campaign", "resume", "ID", N_("Resume a paused campaign"), FULL (ob_cli_campaign_resume) },
  { "campaign", "stop", "ID", N_("Stop a campaign for good"), FULL (ob_cli_campaign_stop) },
  { "campaign", "status", "ID", N_("Show a campaign’s figures"), FULL (ob_cli_campaign_status) },
  { "campaign", "log", "ID", N_("Show everything that happened in a campaign"), FULL (ob_cli_campaign_log) },
  { "campaign", "resolve", "QUEUE_ID", N_("Decide about a message that may or may not have gone"),
    FULL (ob_cli_campaign_resolve) },

  { "report", "campaign", N_("ID"), N_("A campaign’s sends, bounces by reason, replies, per domain and per list source"),
    ob_cli_report_campaign },
  { "report", "lists", NULL, N_("List health: valid, risky, invalid and suppressed shares, age, bounce rate per source"),
    ob_cli_report_lists },

  { "mailbox", "poll", "ACCOUNT", N_("Read the account’s mailbox once for bounces and replies"),
    FULL (ob_cli_mailbox_poll) },
  { NULL }
};

static void
ob_cli_clear (ObCli *cli)
{
  g_clear_pointer (&cli->db_path, g_free);
  g_clear_pointer (&cli->resolver, g_free);
  g_clear_object (&cli->store);
}

char *
ob_cli_command_name (ObCli *cli)
{
  if (cli->command == NULL)
    return g_strdup ("outbound-cli");
  if (cli->command->verb == NULL)
    return g_strdup_printf ("outbound-cli %s", cli->command->group);
  return g_strdup_printf ("outbound-cli %s %s", cli->command->group, cli->command->verb);
}

/* A GOptionContext with the options every command takes (--db, --json,
 * and --resolver for DNS-using commands) plus @entries. */
GOptionContext *
ob_cli_option_context_new (ObCli              *cli,
                           const GOptionEntry *entries,
                           gboolean            with_resolver)
{
  const GOptionEntry common[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &cli->db_path,
      N_("The database file (default: the app’s; OUTBOUND_DB also works)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Machine-readable JSON output"), NULL },
    { NULL }
  };
  const GOptionEntry resolver[] = {
    { "resolver", 0, 0, G_OPTION_ARG_STRING, &cli->resolver,
      N_("DNS resolver: system, udp://HOST:PORT, tcp://HOST:PORT, https://HOST/PATH or zone:FILE"),
      N_("R") },
    { NULL }
  };
  g_autofree char *params = NULL;
  GOptionContext *context;

  if (cli->command != NULL && cli->command->parameters != NULL)
    params = g_strdup_printf ("%s %s%s%s", cli->command->group,
                              cli->command->verb ? cli->command->verb : "",
                              cli->command->verb ? " " : "",
                              cli->command->parameters);
  else if (cli->command != NULL)
    params = g_strdup_printf ("%s%s%s", cli->command->group,
                              cli->command->verb ? " " : "",
                              cli->command->verb ? cli->command->verb : "");

  context = g_option_context_new (params);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (cli->command != NULL)
    g_option_context_set_summary (context, _(cli->command->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (with_resolver)
    g_option_context_add_main_entries (context, resolver, GETTEXT_PACKAGE);

  return context;
}

/* Parses the command's arguments; on a usage error prints it and returns
 * FALSE (the caller returns OB_CLI_EXIT_USAGE). */
gboolean
ob_cli_parse (ObCli            *cli,
              GOptionContext   *context,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      ob_cli_usage_error (cli, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

ObStore *
ob_cli_get_store (ObCli   *cli,
                  GError **error)
{
  if (cli->store == NULL)
    cli->store = ob_store_open (cli->db_path, error);

  return cli->store;
}

int
ob_cli_usage_error (ObCli      *cli,
                    const char *format,
                    ...)
{
  g_autofree char *name = ob_cli_command_name (cli);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "%s: %s\n", name, message);
  return OB_CLI_EXIT_USAGE;
}

int
ob_cli_fail (ObCli        *cli,
             const GError *error)
{
  return ob_cli_usage_error (cli, "%s", error->message);
}

void
ob_cli_print_json (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

void
ob_cli_print_json_builder (JsonBuilder *builder,
                           gboolean     pretty)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  ob_cli_print_json (root, pretty);
}

/* Where outbound-cli-full is: beside this program in the build tree (and
 * wherever the two are kept together), else where it is installed. */
static char *
find_full_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, OB_CLI_FULL_PROGRAM, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  return g_build_filename (LIBEXECDIR, OB_CLI_FULL_PROGRAM, NULL);
}

/* Runs the command line this process was given in outbound-cli-full. exec
 * keeps the process — its pid, stdin, stdout, stderr and signals — so the
 * full program's output and exit status are this command's. Returns only
 * when the full program cannot be started. */
int
ob_cli_run_full (ObCli *cli)
{
  g_autofree char *path = find_full_program ();
  int saved_errno;

  g_return_val_if_fail (cli->argv != NULL, OB_CLI_EXIT_USAGE);

  fflush (stdout);
  execv (path, cli->argv);
  saved_errno = errno;

  fprintf (stderr, _("outbound-cli: cannot run %s: %s"), path, g_strerror (saved_errno));
  fputc ('\n', stderr);
  return OB_CLI_EXIT_USAGE;
}

static void
print_help (FILE *stream)
{
  const char *last_group = NULL;

  fprintf (stream, "%s\n", _("Usage: outbound-cli COMMAND [OPTIONS…]"));
  fprintf (stream, "\n%s\n\n", _("Outbound from the command line: the same core as the window."));
  fprintf (stream, "%s\n", _("Commands:"));

  for (const ObCliCommand *c = commands; c->group != NULL; c++)
    {
      g_autofree char *name = c->verb ? g_strdup_printf ("%s %s", c->group, c->verb)
                                      : g_strdup (c->group);
      if (last_group != NULL && g_strcmp0 (last_group, c->group) != 0)
        fputc ('\n', stream);
      last_group = c->group;
      fprintf (stream, "  %-24s %s\n", name, _(c->summary));
    }

  fprintf (stream, "\n%s\n", _("Every command takes --db PATH and --json; run a command with --help for its options."));
  fprintf (stream, "%s\n", _("Exit status: 0 success, 1 the check found problems, 2 bad usage, bad input or a failure."));
}

static gboolean
group_exists (const char *group)
{
  for (const ObCliCommand *c = commands; c->group != NULL; c++)
    if (g_str_equal (c->group, group))
      return TRUE;
  return FALSE;
}

static void
print_group_help (const char *group,
                  FILE       *stream)
{
  fprintf (stream, _("Usage: outbound-cli %s COMMAND [OPTIONS…]"), group);
  fprintf (stream, "\n\n%s\n", _("Commands:"));
  for (const ObCliCommand *c = commands; c->group != NULL; c++)
    if (g_str_equal (c->group, group))
      fprintf (stream, "  %-24s %s\n", c->verb ? c->verb : "", _(c->summary));
}

static const ObCliCommand *
find_command (const char *group,
              const char *verb)
{
  for (const ObCliCommand *c = commands; c->group != NULL; c++)
    {
      if (!g_str_equal (c->group, group))
        continue;
      if (c->verb == NULL)
        return c;
      if (verb != NULL && g_str_equal (c->verb, verb))
        return c;
    }
  return NULL;
}

int
ob_cli_main (int    argc,
             char **argv)
{
  ObCli cli = { 0 };
  const ObCliCommand *command;
  const char *group;
  const char *verb;
  g_autofree char *name = NULL;
  char **sub_argv;
  int sub_argc;
  int status;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help (argc < 2 ? stderr : stdout);
      return argc < 2 ? OB_CLI_EXIT_USAGE : OB_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("outbound-cli %s\n", PACKAGE_VERSION);
      return OB_CLI_EXIT_OK;
    }

  group = argv[1];
  verb = argc > 2 ? argv[2] : NULL;

  if (!group_exists (group))
    {
      fprintf (stderr, _("outbound-cli: unknown command “%s”; see outbound-cli --help"), group);
      fputc ('\n', stderr);
      return OB_CLI_EXIT_USAGE;
    }

  command = find_command (group, verb);
  if (command == NULL)
    {
      gboolean asked = verb != NULL && (g_str_equal (verb, "--help") || g_str_equal (verb, "-h"));

      if (!asked)
        {
          if (verb != NULL)
            fprintf (stderr, _("outbound-cli %s: unknown command “%s”"), group, verb);
          else
            fprintf (stderr, _("outbound-cli %s: a command is missing"), group);
          fputs ("\n\n", stderr);
        }
      print_group_help (group, asked ? stdout : stderr);
      return asked ? OB_CLI_EXIT_OK : OB_CLI_EXIT_USAGE;
    }

  cli.command = command;
  cli.argv = argv;
  if (command->func == NULL)
    return ob_cli_run_full (&cli);

  /* The command sees argv[0] = its full name, then its own arguments. */
  name = ob_cli_command_name (&cli);
  sub_argc = argc - (command->verb ? 2 : 1);
  sub_argv = g_new0 (char *, sub_argc + 1);
  sub_argv[0] = name;
  for (int i = 1; i < sub_argc; i++)
    sub_argv[i] = argv[i + (command->verb ? 2 : 1)];

  status = command->func (&cli, sub_argc, sub_argv);

  g_free (sub_argv);
  ob_cli_clear (&cli);
  fflush (stdout);

  return status;
}
