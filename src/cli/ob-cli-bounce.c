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
print_verdict (GString               *out,
               gboolean               json,
               const char            *file,
               gboolean               is_bounce,
               const char            *recipient,
               const ObBounceVerdict *v,
               const char            *remote_mta,
               const char            *original_message_id,
               const char            *diagnostic)
{
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

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
      root = json_builder_get_root (b);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      g_string_append (out, text);
      g_string_append_c (out, '\n');
      return;
    }

  if (file != NULL)
    g_string_append_printf (out, "%s: ", file);
  if (!is_bounce)
    {
      if (v->reason == OB_BOUNCE_REASON_VACATION)
        g_string_append_printf (out, "%s\n", _("not a bounce (automatic reply)"));
      else
        g_string_append_printf (out, "%s\n", _("not a bounce"));
      return;
    }
  if (file != NULL)
    g_string_append_printf (out, "%s ", recipient ? recipient : "-");
  g_string_append_printf (out, "%s (%s, %s)",
                          ob_bounce_reason_to_string (v->reason),
                          ob_bounce_kind_to_string (v->kind), ob_bounce_action_to_string (v->action));
  if (v->status[0] || v->reply_code)
    g_string_append_printf (out, " %s%s%d", v->status, v->status[0] ? " " : "", v->reply_code);
  g_string_append_printf (out, " — %s\n", ob_bounce_reason_describe (v->reason));
}

typedef struct
{
  const char *path;
  gboolean    json;
  GString    *out;
  GError     *error;
  gboolean    done;
} ClassifyJob;

static GMutex jobs_mutex;
static GCond jobs_cond;

static void
classify_one (ClassifyJob *job)
{
  g_autoptr(GPtrArray) reports = ob_bounce_report_parse_file (job->path, &job->error);

  job->out = g_string_new (NULL);
  for (guint r = 0; reports != NULL && r < reports->len; r++)
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
          print_verdict (job->out, job->json, job->path, FALSE, NULL, &none, NULL,
                         report->original_message_id, NULL);
          continue;
        }
      for (guint k = 0; k < report->recipients->len; k++)
        {
          ObBounceRecipient *rc = g_ptr_array_index (report->recipients, k);

          print_verdict (job->out, job->json, job->path, TRUE, rc->recipient, &rc->verdict,
                         rc->remote_mta, report->original_message_id, rc->diagnostic);
        }
    }
}

static void
classify_job_cb (gpointer data,
                 gpointer user_data)
{
  ClassifyJob *job = data;

  classify_one (job);
  g_mutex_lock (&jobs_mutex);
  job->done = TRUE;
  g_cond_broadcast (&jobs_cond);
  g_mutex_unlock (&jobs_mutex);
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

  /* Many files: parse them on every core, print in the order given. */
  {
    guint n = argc - 1;
    g_autofree ClassifyJob *jobs = g_new0 (ClassifyJob, n);
    GThreadPool *pool = NULL;

    for (guint i = 0; i < n; i++)
      {
        jobs[i].path = argv[i + 1];
        jobs[i].json = cli->json;
      }
    if (n > 1 && g_get_num_processors () > 1)
      pool = g_thread_pool_new (classify_job_cb, NULL, MIN (g_get_num_processors (), 8), FALSE, NULL);
    for (guint i = 0; i < n; i++)
      {
        if (pool != NULL)
          g_thread_pool_push (pool, &jobs[i], NULL);
        else
          classify_job_cb (&jobs[i], NULL);
      }
    for (guint i = 0; i < n; i++)
      {
        g_mutex_lock (&jobs_mutex);
        while (!jobs[i].done)
          g_cond_wait (&jobs_cond, &jobs_mutex);
        g_mutex_unlock (&jobs_mutex);

        if (jobs[i].error != NULL)
          {
            ob_cli_fail (cli, jobs[i].error);
            status = OB_CLI_EXIT_USAGE;
            g_clear_error (&jobs[i].error);
          }
        fputs (jobs[i].out->str, stdout);
        g_string_free (jobs[i].out, TRUE);
      }
    if (pool != NULL)
      g_thread_pool_free (pool, FALSE, TRUE);
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

  {
    g_autoptr(GString) out = g_string_new (NULL);

    print_verdict (out, cli->json, NULL, verdict.reason != OB_BOUNCE_REASON_DELIVERED, NULL, &verdict,
                   NULL, NULL, NULL);
    fputs (out->str, stdout);
  }
  return OB_CLI_EXIT_OK;
}

const ObCliCommand ob_cli_bounce_commands[] = {
  { "bounce", "classify", N_("FILE…"), N_("Classify bounce mails (files, mboxes or maildir folders)"), bounce_classify },
  { "bounce", "reply", N_("'CODE TEXT'"), N_("Classify one SMTP reply"), bounce_reply },
  { NULL }
};
