/* ob-cli-address.c — outbound-cli address check.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>

#include "ob-address.h"
#include "ob-cli.h"
#include "ob-suppressions.h"
#ifndef OB_CLI_FRONT
#include "ob-dns-caching-resolver.h"
#include "ob-mail-domain-check.h"
#endif

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

static void
add_strv (JsonBuilder        *b,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

static void
print_check (ObCli          *cli,
             ObAddressCheck *check)
{
  g_auto(GStrv) reasons = ob_address_check_dup_reason_ids (check);
  g_auto(GStrv) flags = ob_address_check_dup_flag_ids (check);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_string_or_null (b, "input", ob_address_check_get_input (check));
      add_string_or_null (b, "address", ob_address_check_get_address (check));
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, ob_address_verdict_to_string (ob_address_check_get_verdict (check)));
      add_strv (b, "reasons", (const char * const *) reasons);
      add_string_or_null (b, "suggestion", ob_address_check_get_suggestion (check));
      add_strv (b, "flags", (const char * const *) flags);
      add_string_or_null (b, "ascii_address", ob_address_check_get_ascii_address (check));
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      g_autofree char *r = g_strjoinv (", ", reasons);
      g_autofree char *f = g_strjoinv (", ", flags);
      const char *address = ob_address_check_get_address (check);

      printf ("%s\t%s", address ? address : ob_address_check_get_input (check),
              ob_address_verdict_to_string (ob_address_check_get_verdict (check)));
      if (*r != '\0')
        printf ("\t%s", r);
      if (*f != '\0')
        printf ("\t[%s]", f);
      if (ob_address_check_get_suggestion (check) != NULL)
        printf (_("\tdid you mean %s?"), ob_address_check_get_suggestion (check));
      putchar ('\n');
    }
}

/* The suppression list is consulted when a database is named (--db or
 * OUTBOUND_DB) or the app's default one already exists; a plain syntax
 * check never creates a database. */
static ObStore *
maybe_store (ObCli    *cli,
             GError  **error)
{
  g_autofree char *path = NULL;

  if (cli->db_path == NULL && g_getenv ("OUTBOUND_DB") == NULL)
    {
      path = ob_store_default_path ();
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return NULL;
    }
  return ob_cli_get_store (cli, error);
}

static gboolean
check_one (ObStore         *store,
           GPtrArray       *checks,
           const char      *input,
           GError         **error)
{
  g_autoptr(ObAddressCheck) check = ob_address_check (input, OB_ADDRESS_CHECK_DEFAULT);

  if (store != NULL && ob_address_check_get_address (check) != NULL)
    {
      gboolean suppressed = FALSE;

      if (!ob_suppressions_check_address (store, check, &suppressed, error))
        return FALSE;
      if (suppressed)
        ob_address_check_add_reason (check, OB_ADDRESS_REASON_SUPPRESSED);
    }

  g_ptr_array_add (checks, g_steal_pointer (&check));
  return TRUE;
}

/* The DNS step is outbound-cli-full's alone: the resolvers bring libsoup
 * (DNS over HTTPS), which the front does not load (see ob-cli.c). */
#ifndef OB_CLI_FRONT
typedef struct
{
  GMainLoop  *loop;
  GHashTable *results;
  GError     *error;
} DnsWait;

static void
domains_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DnsWait *w = user_data;

  w->results = ob_mail_domains_check_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

/* DNS for the domains of the addresses that are not already invalid. */
static gboolean
check_dns (ObCli      *cli,
           GPtrArray  *checks,
           GError    **error)
{
  g_autoptr(ObDnsResolver) inner = ob_dns_resolver_new_for_spec (cli->resolver, error);
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(GPtrArray) domains = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GMainLoop) loop = NULL;
  DnsWait w = { 0 };

  if (inner == NULL)
    return FALSE;
  resolver = ob_dns_caching_resolver_new (inner);

  for (guint i = 0; i < checks->len; i++)
    {
      ObAddressCheck *c = g_ptr_array_index (checks, i);
      const char *domain = ob_address_check_get_ascii_domain (c);

      if (domain != NULL && ob_address_check_get_verdict (c) != OB_ADDRESS_VERDICT_INVALID &&
          g_hash_table_add (seen, (gpointer) domain))
        g_ptr_array_add (domains, (gpointer) domain);
    }
  g_ptr_array_add (domains, NULL);

  loop = g_main_loop_new (NULL, FALSE);
  w.loop = loop;
  ob_mail_domains_check_async (resolver, (const char * const *) domains->pdata, NULL, domains_checked_cb, &w);
  g_main_loop_run (loop);
  if (w.results == NULL)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }

  for (guint i = 0; i < checks->len; i++)
    {
      ObAddressCheck *c = g_ptr_array_index (checks, i);
      const char *domain = ob_address_check_get_ascii_domain (c);
      gpointer status;

      if (domain == NULL || !g_hash_table_lookup_extended (w.results, domain, NULL, &status))
        continue;
      switch (GPOINTER_TO_INT (status))
        {
        case OB_MAIL_DOMAIN_NO_MX:
          ob_address_check_add_reason (c, OB_ADDRESS_REASON_NO_MX);
          break;
        case OB_MAIL_DOMAIN_NULL_MX:
          ob_address_check_add_reason (c, OB_ADDRESS_REASON_NULL_MX);
          break;
        case OB_MAIL_DOMAIN_NO_DOMAIN:
          ob_address_check_add_reason (c, OB_ADDRESS_REASON_NO_DOMAIN);
          break;
        default:
          break;
        }
    }
  g_hash_table_unref (w.results);
  return TRUE;
}
#endif /* !OB_CLI_FRONT */

/* outbound-cli address check [--dns|--no-dns] [--resolver R] [--json] [ADDRESS…] */
int
ob_cli_address_check (ObCli  *cli,
                      int     argc,
                      char  **argv)
{
  gboolean dns = FALSE;
  gboolean no_dns = FALSE;
  const GOptionEntry entries[] = {
    { "dns", 0, 0, G_OPTION_ARG_NONE, &dns,
      N_("Also look up each domain’s mail servers (MX, null MX, NXDOMAIN)"), NULL },
    { "no-dns", 0, 0, G_OPTION_ARG_NONE, &no_dns,
      N_("Offline checks only (the default)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, TRUE);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_address_check_unref);
  g_autoptr(GError) error = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (dns && no_dns)
    return ob_cli_usage_error (cli, _("--dns and --no-dns cannot be used together"));
#ifdef OB_CLI_FRONT
  /* Before stdin is read: outbound-cli-full reads it. */
  if (dns)
    return ob_cli_run_full (cli);
#endif

  store = maybe_store (cli, &error);
  if (error != NULL)
    return ob_cli_fail (cli, error);

  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        if (!check_one (store, checks, argv[i], &error))
          return ob_cli_fail (cli, error);
    }
  else
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
      char *line;
      gsize len;

      g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
      while ((line = g_data_input_stream_read_line (data, &len, NULL, &error)) != NULL)
        {
          g_autofree char *owned = line;
          g_autofree char *stripped = g_strstrip (g_strdup (owned));

          if (*stripped == '\0')
            continue;
          if (!check_one (store, checks, owned, &error))
            return ob_cli_fail (cli, error);
          /* Offline, each line is answered as it comes (a pipe stays live). */
          if (!dns)
            {
              print_check (cli, g_ptr_array_index (checks, 0));
              fflush (stdout);
              g_ptr_array_remove_index (checks, 0);
            }
        }
      if (error != NULL)
        return ob_cli_fail (cli, error);
    }

#ifndef OB_CLI_FRONT
  if (dns && !check_dns (cli, checks, &error))
    return ob_cli_fail (cli, error);
#endif

  for (guint i = 0; i < checks->len; i++)
    print_check (cli, g_ptr_array_index (checks, i));
  return OB_CLI_EXIT_OK;
}
