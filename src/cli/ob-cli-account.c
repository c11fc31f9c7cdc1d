/* ob-cli-account.c — outbound-cli account add|list|remove|test|providers
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
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ob-account-test-log.h"
#include "ob-account-test.h"
#include "ob-account.h"
#include "ob-autoconfig.h"
#include "ob-cli.h"
#include "ob-keyring.h"
#include "ob-provider.h"

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

/* The password from stdin (--password-stdin: the first line) or from a
 * prompt without echo on a terminal. */
static char *
read_password (gboolean   from_stdin,
               GError   **error)
{
  GString *s = g_string_new (NULL);
  struct termios old, quiet;
  gboolean tty = !from_stdin && isatty (STDIN_FILENO);
  int c;

  if (!from_stdin && !tty)
    {
      g_string_free (s, TRUE);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("no password: give it on standard input with --password-stdin"));
      return NULL;
    }

  if (tty)
    {
      fprintf (stderr, "%s", _("Password (or authorisation code): "));
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &old);
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (s, (char) c);
  if (s->len > 0 && s->str[s->len - 1] == '\r')
    g_string_truncate (s, s->len - 1);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
      fputc ('\n', stderr);
    }

  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("the password is empty"));
      return NULL;
    }
  return g_string_free (s, FALSE);
}

static void
wipe_free (char *s)
{
  if (s != NULL)
    {
      explicit_bzero (s, strlen (s));
      g_free (s);
    }
}

static gboolean
parse_server (const char      *text,
              const char      *security_text,
              guint16          tls_port,
              char           **host,
              guint16         *port,
              ObMailSecurity  *security,
              GError         **error)
{
  if (!ob_mail_parse_host_port (text, host, port, error))
    return FALSE;
  if (security_text == NULL)
    *security = *port == tls_port ? OB_MAIL_SECURITY_TLS : OB_MAIL_SECURITY_STARTTLS;
  return TRUE;
}

static gboolean
parse_security (const char      *text,
                ObMailSecurity  *security)
{
  return text == NULL ||
         (ob_mail_security_from_string (text, security) && *security != OB_MAIL_SECURITY_DRY_RUN);
}

int
ob_cli_account_add (ObCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *email = NULL;
  g_autofree char *name = NULL;
  g_autofree char *username = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *smtp_security = NULL;
  g_autofree char *imap = NULL;
  g_autofree char *imap_security = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *dry_run = NULL;
  g_autofree char *autoconfig_url = NULL;
  gboolean autoconfig = FALSE;
  gboolean password_stdin = FALSE;
  int daily_limit = 0;
  const GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The account’s email address"), N_("ADDRESS") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The sender name shown to recipients"), N_("NAME") },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("The login name (default: the address)"), N_("USER") },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp, N_("The SMTP server"), N_("HOST:PORT") },
    { "smtp-security", 0, 0, G_OPTION_ARG_STRING, &smtp_security, N_("tls or starttls"), N_("MODE") },
    { "imap", 0, 0, G_OPTION_ARG_STRING, &imap, N_("The IMAP server"), N_("HOST:PORT") },
    { "imap-security", 0, 0, G_OPTION_ARG_STRING, &imap_security, N_("tls or starttls"), N_("MODE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust this CA (a PEM file)"), N_("PEM") },
    { "daily-limit", 0, 0, G_OPTION_ARG_INT, &daily_limit, N_("Messages a day at most"), N_("N") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_FILENAME, &dry_run, N_("Send nothing: write each message as an .eml file into DIR"), N_("DIR") },
    { "autoconfig", 0, 0, G_OPTION_ARG_NONE, &autoconfig, N_("Look up the settings the domain publishes (Thunderbird autoconfig)"), NULL },
    { "autoconfig-url", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &autoconfig_url, N_("Fetch autoconfig from this base URL instead"), N_("URL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAccount) account = NULL;
  char *password = NULL;
  ObStore *store;
  ObMailSecurity sec;
  gint64 id;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (email == NULL)
    return ob_cli_usage_error (cli, _("--email is missing"));
  if (daily_limit < 0)
    return ob_cli_usage_error (cli, _("--daily-limit must be a positive number"));
  sec = OB_MAIL_SECURITY_TLS;
  if (!parse_security (smtp_security, &sec))
    return ob_cli_usage_error (cli, _("--smtp-security must be tls or starttls, not “%s”"), smtp_security);
  if (!parse_security (imap_security, &sec))
    return ob_cli_usage_error (cli, _("--imap-security must be tls or starttls, not “%s”"), imap_security);
  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    return ob_cli_usage_error (cli, _("--ca-file: “%s” does not exist"), ca_file);

  account = ob_account_new_from_preset (email, NULL);

  if (account == NULL && smtp == NULL && dry_run == NULL && (autoconfig || autoconfig_url != NULL))
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ObAutoconfig) config = NULL;

      ob_autoconfig_fetch_async (email, autoconfig_url, autoconfig_url ? ca_file : NULL,
                                 NULL, got_result_cb, &result);
      config = ob_autoconfig_fetch_finish (wait_for (&result), &error);
      if (config == NULL)
        return ob_cli_fail (cli, error);
      account = ob_account_new (email);
      ob_account_set_smtp (account, config->smtp_host, config->smtp_port, config->smtp_security);
      if (config->imap_host != NULL)
        ob_account_set_imap (account, config->imap_host, config->imap_port, config->imap_security);
      if (username == NULL && g_strcmp0 (config->username, email) != 0)
        ob_account_set_username (account, config->username);
    }

  if (account == NULL)
    {
      if (smtp == NULL && dry_run == NULL)
        return ob_cli_usage_error (cli, _("no preset for the domain of %s: give --smtp HOST:PORT (and --imap HOST:PORT), or try --autoconfig"),
                                   email);
      account = ob_account_new (email);
      ob_account_set_imap (account, NULL, 0, OB_MAIL_SECURITY_TLS);
    }

  if (smtp != NULL)
    {
      g_autofree char *host = NULL;
      guint16 port;

      sec = OB_MAIL_SECURITY_TLS;
      if (smtp_security != NULL)
        ob_mail_security_from_string (smtp_security, &sec);
      if (!parse_server (smtp, smtp_security, 465, &host, &port, &sec, &error))
        return ob_cli_usage_error (cli, "--smtp: %s", error->message);
      ob_account_set_smtp (account, host, port, sec);
    }
  if (imap != NULL)
    {
      g_autofree char *host = NULL;
      guint16 port;

      sec = OB_MAIL_SECURITY_TLS;
      if (imap_security != NULL)
        ob_mail_security_from_string (imap_security, &sec);
      if (!parse_server (imap, imap_security, 993, &host, &port, &sec, &error))
        return ob_cli_usage_error (cli, "--imap: %s", error->message);
      ob_account_set_imap (account, host, port, sec);
    }
  else if (smtp_security != NULL && smtp == NULL)
    {
      ob_mail_security_from_string (smtp_security, &sec);
      ob_account_set_smtp (account, ob_account_get_smtp_host (account), ob_account_get_smtp_port (account), sec);
    }
  if (imap == NULL && imap_security != NULL && ob_account_get_imap_host (account) != NULL)
    {
      ob_mail_security_from_string (imap_security, &sec);
      ob_account_set_imap (account, ob_account_get_imap_host (account), ob_account_get_imap_port (account), sec);
    }

  ob_account_set_display_name (account, name);
  if (username != NULL)
    ob_account_set_username (account, username);
  if (ca_file != NULL)
    {
      g_autofree char *abs = g_canonicalize_filename (ca_file, NULL);

      ob_account_set_ca_file (account, abs);
    }
  if (daily_limit > 0)
    ob_account_set_daily_limit (account, daily_limit);
  if (dry_run != NULL)
    {
      g_autofree char *abs = g_canonicalize_filename (dry_run, NULL);

      ob_account_set_dry_run_dir (account, abs);
    }

  if (!ob_account_is_dry_run (account))
    {
      password = read_password (password_stdin, &error);
      if (password == NULL)
        {
          int status = ob_cli_usage_error (cli, "%s", error->message);

          return status;
        }
    }

  if (!(store = ob_cli_get_store (cli, &error)))
    {
      wipe_free (password);
      return ob_cli_fail (cli, error);
    }

  id = ob_account_store_add (store, account, &error);
  if (id == 0)
    {
      wipe_free (password);
      return ob_cli_fail (cli, error);
    }

  if (password != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      ob_keyring_store_password_async (id, email, password, NULL, got_result_cb, &result);
      wipe_free (password);
      if (!ob_keyring_store_password_finish (wait_for (&result), &error))
        {
          /* No account without its password: take the row back. */
          ob_account_store_delete (store, id, NULL);
          return ob_cli_fail (cli, error);
        }
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "email");
      json_builder_add_string_value (b, email);
      json_builder_set_member_name (b, "provider");
      json_builder_add_string_value (b, ob_account_get_provider (account));
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    printf ("%" G_GINT64_FORMAT "\n", id);

  return OB_CLI_EXIT_OK;
}

static void
add_account_json (JsonBuilder *b,
                  ObAccount   *a)
{
  g_autofree char *smtp = g_strdup_printf ("%s:%u", ob_account_get_smtp_host (a), ob_account_get_smtp_port (a));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, ob_account_get_id (a));
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, ob_account_get_email (a));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ob_account_get_display_name (a));
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, ob_account_get_username (a));
  json_builder_set_member_name (b, "provider");
  json_builder_add_string_value (b, ob_account_get_provider (a));
  json_builder_set_member_name (b, "smtp");
  json_builder_add_string_value (b, ob_account_is_dry_run (a) ? NULL : smtp);
  json_builder_set_member_name (b, "smtp_security");
  json_builder_add_string_value (b, ob_mail_security_to_string (ob_account_get_smtp_security (a)));
  json_builder_set_member_name (b, "imap");
  if (ob_account_get_imap_host (a) != NULL)
    {
      g_autofree char *imap = g_strdup_printf ("%s:%u", ob_account_get_imap_host (a), ob_account_get_imap_port (a));

      json_builder_add_string_value (b, imap);
      json_builder_set_member_name (b, "imap_security");
      json_builder_add_string_value (b, ob_mail_security_to_string (ob_account_get_imap_security (a)));
    }
  else
    {
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "imap_security");
      json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "ca_file");
  json_builder_add_string_value (b, ob_account_get_ca_file (a));
  json_builder_set_member_name (b, "dry_run_dir");
  json_builder_add_string_value (b, ob_account_get_dry_run_dir (a));
  json_builder_set_member_name (b, "daily_limit");
  json_builder_add_int_value (b, ob_account_get_daily_limit (a));
  json_builder_end_object (b);
}

int
ob_cli_account_list (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (!(store = ob_cli_get_store (cli, &error)) || !(accounts = ob_account_store_list (store, &error)))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < accounts->len; i++)
        add_account_json (b, accounts->pdata[i]);
      json_builder_end_array (b);
      ob_cli_print_json_builder (b, FALSE);
      return OB_CLI_EXIT_OK;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      ObAccount *a = accounts->pdata[i];

      if (ob_account_is_dry_run (a))
        printf ("%" G_GINT64_FORMAT "\t%s\t%s %s\n", ob_account_get_id (a), ob_account_get_email (a),
                _("dry run into"), ob_account_get_dry_run_dir (a));
      else
        printf ("%" G_GINT64_FORMAT "\t%s\t%s:%u (%s)\t%s\n", ob_account_get_id (a), ob_account_get_email (a),
                ob_account_get_smtp_host (a), ob_account_get_smtp_port (a),
                ob_mail_security_to_string (ob_account_get_smtp_security (a)),
                ob_account_get_provider (a) ? ob_account_get_provider (a) : _("manual settings"));
    }
  return OB_CLI_EXIT_OK;
}

int
ob_cli_account_remove (ObCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  ObStore *store;
  gint64 id;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give one account id"));
  if (!parse_id (argv[1], &id))
    return ob_cli_usage_error (cli, _("“%s” is not an account id"), argv[1]);
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  ob_account_store_remove_async (store, id, NULL, got_result_cb, &result);
  if (!ob_account_store_remove_finish (wait_for (&result), &error))
    return ob_cli_fail (cli, error);
  return OB_CLI_EXIT_OK;
}

static void
add_tls_json (JsonBuilder         *b,
              const char          *member,
              const ObMailTlsInfo *info)
{
  json_builder_set_member_name (b, member);
  if (info == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, info->protocol);
  json_builder_set_member_name (b, "ciphersuite");
  json_builder_add_string_value (b, info->ciphersuite);
  json_builder_set_member_name (b, "subject");
  json_builder_add_string_value (b, info->subject);
  json_builder_set_member_name (b, "issuer");
  json_builder_add_string_value (b, info->issuer);
  json_builder_set_member_name (b, "expires");
  if (info->not_after > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (info->not_after);
      g_autofree char *iso = g_date_time_format_iso8601 (dt);

      json_builder_add_string_value (b, iso);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
print_step_cb (const ObAccountTestStep *s,
               gpointer                 user_data)
{
  printf ("%s %-5s %-12s %s\n", s->ok ? "✓" : "✗", s->service, s->step, s->message);
  fflush (stdout);
}

int
ob_cli_account_test (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  int timeout_s = 30;
  const GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Seconds to wait for each step (default 30)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAccount) account = NULL;
  g_autoptr(GAsyncResult) lookup = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObAccountTestReport) report = NULL;
  char *password = NULL;
  ObStore *store;
  gint64 id;

  /* The protocol trace (G_MESSAGES_DEBUG=ob-smtp,ob-imap) must not mix
   * with the report on stdout. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give one account id"));
  if (!parse_id (argv[1], &id))
    return ob_cli_usage_error (cli, _("“%s” is not an account id"), argv[1]);
  if (timeout_s < 1)
    return ob_cli_usage_error (cli, _("--timeout must be at least 1 second"));
  if (!(store = ob_cli_get_store (cli, &error)) || !(account = ob_account_store_get (store, id, &error)))
    return ob_cli_fail (cli, error);

  if (!ob_account_is_dry_run (account))
    {
      g_autoptr(GError) keyring_error = NULL;

      ob_keyring_lookup_password_async (id, NULL, got_result_cb, &lookup);
      password = ob_keyring_lookup_password_finish (wait_for (&lookup), &keyring_error);
      if (password == NULL)
        g_printerr ("%s\n", keyring_error->message);
    }

  /* In words, each step is printed as soon as it is done. */
  ob_account_test_with_progress_async (account, password, timeout_s * 1000,
                                       cli->json ? NULL : print_step_cb, NULL, NULL,
                                       NULL, got_result_cb, &result);
  if (password != NULL)
    ob_keyring_password_free (password);
  report = ob_account_test_finish (wait_for (&result), &error);
  if (report == NULL)
    return ob_cli_fail (cli, error);
  /* Kept as the window keeps it: the Accounts page shows the last test. */
  if (!ob_account_test_log_record (store, id, report, &error))
    {
      g_printerr (_("outbound-cli: the result was not saved: %s\n"), error->message);
      g_clear_error (&error);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "email");
      json_builder_add_string_value (b, ob_account_get_email (account));
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, report->ok);
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint i = 0; i < report->steps->len; i++)
        {
          const ObAccountTestStep *s = report->steps->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "service");
          json_builder_add_string_value (b, s->service);
          json_builder_set_member_name (b, "step");
          json_builder_add_string_value (b, s->step);
          json_builder_set_member_name (b, "ok");
          json_builder_add_boolean_value (b, s->ok);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, s->message);
          json_builder_set_member_name (b, "detail");
          json_builder_add_string_value (b, s->detail);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      add_tls_json (b, "smtp_tls", report->smtp_tls);
      add_tls_json (b, "imap_tls", report->imap_tls);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      printf ("%s\n", report->ok ? _("The account works.") : _("The account has problems; see the steps marked ✗."));
    }

  return report->ok ? OB_CLI_EXIT_OK : OB_CLI_EXIT_PROBLEMS;
}

static void
add_strv_json (JsonBuilder        *b,
               const char         *member,
               const char * const *values)
{
  json_builder_set_member_name (b, member);
  if (values == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

static void
add_server_json (JsonBuilder            *b,
                 const char             *member,
                 const ObProviderServer *server)
{
  json_builder_set_member_name (b, member);
  if (server->host == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, server->host);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, server->port);
  json_builder_set_member_name (b, "security");
  json_builder_add_string_value (b, ob_mail_security_to_string (server->security));
  json_builder_end_object (b);
}

/* outbound-cli account providers: the presets, with what to know about each. */
int
ob_cli_account_providers (ObCli  *cli,
                          int     argc,
                          char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const ObProvider *all;
  guint n;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);

  all = ob_provider_get_all (&n);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      const ObProvider *p = &all[i];
      g_auto(GStrv) advice = ob_provider_dup_advice (p);

      if (!cli->json)
        {
          g_autofree char *smtp = g_strdup_printf ("%s:%u", p->smtp.host, p->smtp.port);

          printf ("%-20s %-40s %s (%s)\n", p->id, _(p->name), smtp, ob_mail_security_to_string (p->smtp.security));
          for (guint j = 0; advice[j] != NULL; j++)
            printf ("%-20s   • %s\n", "", advice[j]);
          continue;
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, p->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, _(p->name));
      add_strv_json (b, "domains", p->domains);
      add_strv_json (b, "mx_patterns", p->mx_patterns);
      add_server_json (b, "smtp", &p->smtp);
      add_server_json (b, "smtp_alt", &p->smtp_alt);
      add_server_json (b, "imap", &p->imap);
      add_server_json (b, "imap_alt", &p->imap_alt);
      add_strv_json (b, "spf_includes", p->spf_includes);
      add_strv_json (b, "dkim_selectors", p->dkim_selectors);
      json_builder_set_member_name (b, "daily_limit");
      json_builder_add_int_value (b, p->daily_limit);
      json_builder_set_member_name (b, "daily_limit_verified");
      json_builder_add_boolean_value (b, p->limit_verified);
      json_builder_set_member_name (b, "saves_sent");
      json_builder_add_boolean_value (b, p->saves_sent);
      add_strv_json (b, "advice", (const char * const *) advice);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (cli->json)
    ob_cli_print_json_builder (b, FALSE);

  return OB_CLI_EXIT_OK;
}
