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

#include "ob-account.h"
#include "ob-cli.h"
#include "ob-mail.h"
#include "ob-contact-fields.h"
#include "ob-message-composer.h"
#include "ob-template.h"
#include "ob-template-library.h"
#include "ob-template-linter.h"
#include "ob-templates.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

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

/* Every active contact's merge values, for lint --audience; the names of
 * custom fields go into @custom_names. */
static GPtrArray *
load_audience (ObStore     *store,
               GHashTable  *custom_names,
               GError     **error)
{
  g_autoptr(GPtrArray) audience = ob_contact_merge_values_for_active (store, error);

  if (audience == NULL)
    return NULL;
  for (guint i = 0; i < audience->len; i++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, audience->pdata[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_strv_contains (ob_contact_merge_columns (), key))
          g_hash_table_add (custom_names, g_strdup (key));
    }
  return g_steal_pointer (&audience);
}

/* outbound-cli lint FILE [--json] [--follow-up] [--field NAME]… [--audience] */
int
ob_cli_lint (ObCli  *cli,
             int     argc,
             char  **argv)
{
  gboolean follow_up = FALSE;
  gboolean with_audience = FALSE;
  g_auto(GStrv) fields = NULL;
  const GOptionEntry entries[] = {
    { "audience", 0, 0, G_OPTION_ARG_NONE, &with_audience,
      N_("Check merge fields against the active contacts of the database"), NULL },
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
  if (with_audience)
    {
      g_autoptr(GHashTable) custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) audience = NULL;
      GHashTableIter iter;
      gpointer key;
      ObStore *store;

      if (!(store = ob_cli_get_store (cli, &error)) ||
          !(audience = load_audience (store, custom, &error)))
        return ob_cli_fail (cli, error);
      g_hash_table_iter_init (&iter, custom);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        ob_template_linter_add_known_field (linter, key);
      ob_template_linter_set_audience (linter, audience);
    }
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
          add_string_member (b, "replacement", f->replacement);
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
      printf (_("Score: %.1f of 10 · findings: %u\n"), score, findings->len);
    }

  return ob_template_linter_has_errors (findings) ? OB_CLI_EXIT_PROBLEMS : OB_CLI_EXIT_OK;
}


/* The sending account @id, or with @id 0 the only one, if there is
 * exactly one. */
static ObAccount *
load_account (ObStore  *store,
              gint64    id,
              GError  **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) local = NULL;
  ObAccount *account;

  if (id != 0)
    {
      if ((account = ob_account_store_get (store, id, &local)) == NULL)
        {
          if (g_error_matches (local, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND))
            g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_RENDER,
                         _("there is no account %lld; see outbound-cli account list"), (long long) id);
          else
            g_propagate_error (error, g_steal_pointer (&local));
        }
      return account;
    }
  if ((accounts = ob_account_store_list (store, error)) == NULL)
    return NULL;
  if (accounts->len != 1)
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_RENDER,
                   _("say which account sends the message: --account ID, or --from ADDRESS"));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (accounts, 0));
}

/* outbound-cli render FILE --contact ADDRESS [--account ID | --from ADDRESS]
 * — the message as it would be sent, CRLF line ends, on stdout. */
int
ob_cli_render (ObCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *contact_address = NULL;
  g_autofree char *from = NULL;
  g_autofree char *from_name = NULL;
  g_autofree char *unsubscribe_url = NULL;
  gint64 account_id = 0;
  const GOptionEntry entries[] = {
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact_address,
      N_("The recipient; their fields come from the contacts of the database"), N_("ADDRESS") },
    { "account", 0, 0, G_OPTION_ARG_INT64, &account_id,
      N_("The sending account (default: the only one)"), N_("ID") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Send as this address instead of an account"), N_("ADDRESS") },
    { "from-name", 0, 0, G_OPTION_ARG_STRING, &from_name,
      N_("The display name with --from"), N_("NAME") },
    { "unsubscribe-url", 0, 0, G_OPTION_ARG_STRING, &unsubscribe_url,
      N_("An https one-click unsubscribe endpoint (adds List-Unsubscribe-Post)"), N_("URL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) template = NULL;
  g_autoptr(ObMessageComposer) composer = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ObAccount) account = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give exactly one template file"));
  if (contact_address == NULL)
    return ob_cli_usage_error (cli, _("--contact ADDRESS is required"));
  g_strstrip (contact_address);
  if (from != NULL && account_id != 0)
    return ob_cli_usage_error (cli, _("give --account or --from, not both"));

  template = ob_template_new_from_file (argv[1], &error);
  if (template == NULL)
    return ob_cli_fail (cli, error);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  values = ob_contact_merge_values_for_address (store, contact_address, &error);
  if (values == NULL)
    {
      if (error != NULL)
        return ob_cli_fail (cli, error);
      if (!ob_message_composer_address_is_valid (contact_address))
        return ob_cli_usage_error (cli, _("“%s” is not a valid email address"), contact_address);
      values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (values, g_strdup ("email"), g_strdup (contact_address));
    }

  if (from == NULL && (account = load_account (store, account_id, &error)) == NULL)
    return ob_cli_fail (cli, error);
  if (account != NULL)
    composer = ob_message_composer_new (ob_account_get_email (account), ob_account_get_display_name (account));
  else
    composer = ob_message_composer_new (from, from_name);
  if (composer == NULL)
    return ob_cli_usage_error (cli, _("“%s” is not a valid sender address"),
                               account != NULL ? ob_account_get_email (account) : from);
  if (account != NULL)
    {
      ob_message_composer_set_reply_to (composer, ob_account_get_reply_to (account));
      ob_message_composer_set_signature (composer, ob_account_get_signature (account));
    }
  if (!ob_message_composer_set_unsubscribe_url (composer, unsubscribe_url, &error))
    return ob_cli_fail (cli, error);

  message = ob_message_composer_compose (composer, template, values, &error);
  if (message == NULL)
    return ob_cli_fail (cli, error);

  bytes = ob_message_composer_to_bytes (message);
  fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout);
  g_object_unref (g_steal_pointer (&message));

  return OB_CLI_EXIT_OK;
}

/* outbound-cli template add FILE [--name NAME] [--json] */
int
ob_cli_template_add (ObCli  *cli,
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
  if (!ob_template_library_save (store, template, &error))
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
int
ob_cli_template_list (ObCli  *cli,
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
  templates = ob_template_library_list (store, &error);
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
