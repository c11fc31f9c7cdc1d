/* ob-cli-templates.c — lint, render, template add|list.
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
#include "ob-template.h"
#include "ob-template-linter.h"
#include "ob-templates.h"

static void
add_string_member (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* outbound-cli lint FILE [--json] [--follow-up] [--field NAME]… */
static int
lint (ObCli  *cli,
      int     argc,
      char  **argv)
{
  gboolean follow_up = FALSE;
  g_auto(GStrv) fields = NULL;
  const GOptionEntry entries[] = {
    { "follow-up", 0, 0, G_OPTION_ARG_NONE, &follow_up,
      N_("The template is a follow-up, so a “Re:” subject is allowed"), NULL },
    { "field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      N_("A custom contact field the template may use (repeatable)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) template = NULL;
  g_autoptr(ObTemplateLinter) linter = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  double score;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give exactly one template file"));

  template = ob_template_new_from_file (argv[1], &error);
  if (template == NULL)
    return ob_cli_fail (cli, error);

  linter = ob_template_linter_new ();
  ob_template_linter_set_first_mail (linter, !follow_up);
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    ob_template_linter_add_known_field (linter, fields[i]);
  findings = ob_template_linter_lint (linter, template);
  score = ob_template_linter_score (findings);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, score);
      json_builder_set_member_name (b, "findings");
      json_builder_begin_array (b);
      for (guint i = 0; i < findings->len; i++)
        {
          ObLintFinding *f = g_ptr_array_index (findings, i);

          json_builder_begin_object (b);
          add_string_member (b, "rule", f->rule);
          add_string_member (b, "severity", ob_lint_severity_to_string (f->severity));
          add_string_member (b, "part", ob_lint_part_to_string (f->part));
          json_builder_set_member_name (b, "start");
          json_builder_add_int_value (b, f->start);
          json_builder_set_member_name (b, "end");
          json_builder_add_int_value (b, f->end);
          add_string_member (b, "message", f->message);
          add_string_member (b, "fix", f->fix);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      for (guint i = 0; i < findings->len; i++)
        {
          ObLintFinding *f = g_ptr_array_index (findings, i);

          /* FILE:part:start-end: severity: message [rule] */
          printf ("%s:%s:%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT ": %s: %s [%s]\n",
                  argv[1], ob_lint_part_to_string (f->part), f->start, f->end,
                  ob_lint_severity_to_string (f->severity), f->message, f->rule);
          if (f->fix != NULL)
            printf ("    %s %s\n", _("Fix:"), f->fix);
        }
      printf (_("Score: %.1f of 10 (%u findings)\n"), score, findings->len);
    }

  return ob_template_linter_has_errors (findings) ? OB_CLI_EXIT_PROBLEMS : OB_CLI_EXIT_OK;
}

/* outbound-cli template add FILE [--name NAME] [--json] */
static int
template_add (ObCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *name = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("The template’s name (default: the file name)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) template = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give exactly one template file"));

  template = ob_template_new_from_file (argv[1], &error);
  if (template == NULL)
    return ob_cli_fail (cli, error);
  if (name != NULL)
    ob_template_set_name (template, name);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (!ob_template_save (template, store, &error))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, ob_template_get_id (template));
      add_string_member (b, "name", ob_template_get_name (template));
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, ob_template_get_version (template));
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    printf ("%" G_GINT64_FORMAT "\n", ob_template_get_id (template));

  return OB_CLI_EXIT_OK;
}

/* outbound-cli template list [--json] — one JSON document: an array. */
static int
template_list (ObCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  templates = ob_template_list (store, &error);
  if (templates == NULL)
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < templates->len; i++)
        {
          ObTemplate *t = g_ptr_array_index (templates, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, ob_template_get_id (t));
          add_string_member (b, "name", ob_template_get_name (t));
          add_string_member (b, "subject", ob_template_get_subject (t));
          add_string_member (b, "language", ob_template_get_language (t));
          add_string_member (b, "format", ob_template_get_body_html (t) ? "html" : "text");
          json_builder_set_member_name (b, "attachments");
          json_builder_add_int_value (b, ob_template_get_attachments (t)->len);
          json_builder_set_member_name (b, "version");
          json_builder_add_int_value (b, ob_template_get_version (t));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      for (guint i = 0; i < templates->len; i++)
        {
          ObTemplate *t = g_ptr_array_index (templates, i);

          printf ("%" G_GINT64_FORMAT "\t%s\t%s\n", ob_template_get_id (t),
                  ob_template_get_name (t), ob_template_get_subject (t));
        }
    }

  return OB_CLI_EXIT_OK;
}

const ObCliCommand ob_cli_templates_commands[] = {
  { "lint", NULL, N_("FILE"), N_("Check a template for what spam filters hold against it"), lint },
  { "template", "add", N_("FILE"), N_("Store a template file and print its id"), template_add },
  { "template", "list", NULL, N_("List the stored templates"), template_list },
  { NULL }
};
