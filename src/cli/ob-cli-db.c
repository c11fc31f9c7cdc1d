/* ob-cli-db.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ob-cli.h"

/* outbound-cli db info: where the database is and which schema it has.
 * Opening it applies pending migrations, as the app does. */
int
ob_cli_db_info (ObCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, ob_store_get_path (store));
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, ob_store_get_schema_version (store));
      json_builder_set_member_name (b, "latest_version");
      json_builder_add_int_value (b, ob_store_get_latest_version ());
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      printf (_("Database: %s\n"), ob_store_get_path (store));
      printf (_("Schema version: %d (latest %d)\n"),
              ob_store_get_schema_version (store), ob_store_get_latest_version ());
    }

  return OB_CLI_EXIT_OK;
}
