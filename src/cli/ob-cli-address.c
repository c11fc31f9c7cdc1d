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
check_one (ObCli       *cli,
           ObStore     *store,
           const char  *input,
           GError     **error)
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

  print_check (cli, check);
  return TRUE;
}

/* outbound-cli address check [--dns|--no-dns] [--json] [ADDRESS…] */
static int
address_check (ObCli  *cli,
               int     argc,
               char  **argv)
{
  gboolean no_dns = FALSE;
  const GOptionEntry entries[] = {
    { "no-dns", 0, 0, G_OPTION_ARG_NONE, &no_dns,
      N_("Offline checks only (the default)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;

  store = maybe_store (cli, &error);
  if (error != NULL)
    return ob_cli_fail (cli, error);

  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        if (!check_one (cli, store, argv[i], &error))
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
          if (!check_one (cli, store, owned, &error))
            return ob_cli_fail (cli, error);
        }
      if (error != NULL)
        return ob_cli_fail (cli, error);
    }

  return OB_CLI_EXIT_OK;
}

const ObCliCommand ob_cli_address_commands[] = {
  { "address", "check", N_("[ADDRESS…]"),
    N_("Check addresses offline: syntax, typos, disposable and reserved domains"), address_check },
  { NULL }
};
