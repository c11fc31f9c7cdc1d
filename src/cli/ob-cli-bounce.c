/* ob-cli-bounce.c — outbound-cli bounce classify / bounce reply.
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
#include "ob-core.h"
#include "ob-bounce-report.h"

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL && *value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
print_verdict (ObCli                 *cli,
               const char            *file,
               gboolean               is_bounce,
               const char            *recipient,
               const ObBounceVerdict *v,
               const char            *remote_mta,
               const char            *original_message_id,
               const char            *diagnostic)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      if (file != NULL)
        add_string_or_null (b, "file", file);
      json_builder_set_member_name (b, "is_bounce");
      json_builder_add_boolean_value (b, is_bounce);
      add_string_or_null (b, "recipient", recipient);
      add_string_or_null (b, "status", v->status);
      json_builder_set_member_name (b, "reply_code");
      if (v->reply_code > 0)
        json_builder_add_int_value (b, v->reply_code);
      else
        json_builder_add_null_value (b);
      add_string_or_null (b, "reason", v->rule ? ob_bounce_reason_to_string (v->reason) : NULL);
      add_string_or_null (b, "kind", ob_bounce_kind_to_string (v->kind));
      add_string_or_null (b, "action", ob_bounce_action_to_string (v->action));
      add_string_or_null (b, "remote_mta", remote_mta);
      add_string_or_null (b, "original_message_id", original_message_id);
      add_string_or_null (b, "rule", v->rule);
      add_string_or_null (b, "diagnostic", diagnostic);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
      return;
    }

  if (file != NULL)
    printf ("%s: ", file);
  if (!is_bounce)
    {
      if (v->reason == OB_BOUNCE_REASON_VACATION)
        printf ("%s\n", _("not a bounce (automatic reply)"));
      else
        printf ("%s\n", _("not a bounce"));
      return;
    }
  printf ("%s %s (%s, %s)", recipient ? recipient : "-", ob_bounce_reason_to_string (v->reason),
          ob_bounce_kind_to_string (v->kind), ob_bounce_action_to_string (v->action));
  if (v->status[0] || v->reply_code)
    printf (" %s%s%d", v->status, v->status[0] ? " " : "", v->reply_code);
  printf (" — %s\n", ob_bounce_reason_describe (v->reason));
}

static int
bounce_classify (ObCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  int status = OB_CLI_EXIT_OK;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc < 2)
    return ob_cli_usage_error (cli, _("give one or more bounce mails, mboxes or maildir folders"));

  ob_core_init ();

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) reports = ob_bounce_report_parse_file (argv[i], &error);

      if (reports == NULL)
        {
          ob_cli_fail (cli, error);
          status = OB_CLI_EXIT_USAGE;
          continue;
        }
      for (guint r = 0; r < reports->len; r++)
        {
          ObBounceReport *report = g_ptr_array_index (reports, r);

          if (!report->is_bounce || report->recipients->len == 0)
            {
              ObBounceVerdict none = { 0 };

              if (report->is_auto_reply)
                {
                  none.reason = OB_BOUNCE_REASON_VACATION;
                  none.rule = "rfc3834:auto-reply";
                }
              print_verdict (cli, argv[i], FALSE, NULL, &none, NULL, report->original_message_id, NULL);
              continue;
            }
          for (guint k = 0; k < report->recipients->len; k++)
            {
              ObBounceRecipient *rc = g_ptr_array_index (report->recipients, k);

              print_verdict (cli, argv[i], TRUE, rc->recipient, &rc->verdict, rc->remote_mta,
                             report->original_message_id, rc->diagnostic);
            }
        }
    }

  return status;
}

static int
bounce_reply (ObCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autofree char *line = NULL;
  ObBounceVerdict verdict;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc < 2)
    return ob_cli_usage_error (cli, _("give an SMTP reply, e.g. '550 5.1.1 User unknown'"));

  ob_core_init ();

  line = g_strjoinv (" ", argv + 1);
  if (!ob_bounce_classify_reply_line (line, &verdict))
    return ob_cli_usage_error (cli, _("“%s” is not an SMTP reply: it must start with a three-digit code"), line);

  print_verdict (cli, NULL, verdict.reason != OB_BOUNCE_REASON_DELIVERED, NULL, &verdict,
                 NULL, NULL, NULL);
  return OB_CLI_EXIT_OK;
}

const ObCliCommand ob_cli_bounce_commands[] = {
  { "bounce", "classify", N_("FILE…"), N_("Classify bounce mails (files, mboxes or maildir folders)"), bounce_classify },
  { "bounce", "reply", N_("'CODE TEXT'"), N_("Classify one SMTP reply"), bounce_reply },
  { NULL }
};
