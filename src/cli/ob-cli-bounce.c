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

/* Appends @value as a JSON string (or null when empty), escaped as
 * json-glib writes it; invalid UTF-8 is repaired first. */
static void
append_json_string (GString    *out,
                    const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL || *value == '\0')
    {
      g_string_append (out, "null");
      return;
    }
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  for (const char *p = value, *run = value;; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;
      char hex[8];

      /* Plain bytes are copied a run at a time. */
      if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      if (c == '\0')
        break;
      run = p + 1;
      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
          g_snprintf (hex, sizeof hex, "\\u%04x", c);
          escape = hex;
        }
      g_string_append (out, escape);
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append (out, ",\"");
  g_string_append (out, name);
  g_string_append (out, "\":");
  append_json_string (out, value);
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
  /* One object per line, written directly: a JSON builder and generator
   * per line cost more than classifying the mail. */
  if (json)
    {
      g_string_append_c (out, '{');
      if (file != NULL)
        {
          g_string_append (out, "\"file\":");
          append_json_string (out, file);
          g_string_append_c (out, ',');
        }
      g_string_append (out, is_bounce ? "\"is_bounce\":true" : "\"is_bounce\":false");
      append_member (out, "recipient", recipient);
      append_member (out, "status", v->status);
      if (v->reply_code > 0)
        g_string_append_printf (out, ",\"reply_code\":%d", v->reply_code);
      else
        g_string_append (out, ",\"reply_code\":null");
      append_member (out, "reason", v->rule ? ob_bounce_reason_to_string (v->reason) : NULL);
      append_member (out, "kind", ob_bounce_kind_to_string (v->kind));
      append_member (out, "action", ob_bounce_action_to_string (v->action));
      append_member (out, "remote_mta", remote_mta);
      append_member (out, "original_message_id", original_message_id);
      append_member (out, "rule", v->rule);
      append_member (out, "diagnostic", diagnostic);
      g_string_append (out, "}\n");
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
} ClassifyJob;

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

/* The files are shared out through one counter: every thread, the main
 * one included, takes the next file until none is left. No lock and no
 * wake-up per file; the main thread prints, in the order given, what is
 * done when it finishes a file of its own, and the rest after the join. */
typedef struct
{
  ClassifyJob *jobs;
  guint        n;
  gint         next;  /* atomic */
  gint        *done;  /* atomic, one per job */
} ClassifyRun;

static gboolean
classify_next (ClassifyRun *run)
{
  guint i = (guint) g_atomic_int_add (&run->next, 1);

  if (i >= run->n)
    return FALSE;
  classify_one (&run->jobs[i]);
  g_atomic_int_set (&run->done[i], 1);
  return TRUE;
}

static gpointer
classify_worker (gpointer data)
{
  ClassifyRun *run = data;

  while (classify_next (run))
    ;
  return NULL;
}

static int
flush_done (ObCli       *cli,
            ClassifyRun *run,
            guint       *printed,
            gboolean     wait)
{
  int status = OB_CLI_EXIT_OK;

  while (*printed < run->n && (wait || g_atomic_int_get (&run->done[*printed])))
    {
      ClassifyJob *job = &run->jobs[*printed];

      if (job->error != NULL)
        {
          ob_cli_fail (cli, job->error);
          status = OB_CLI_EXIT_USAGE;
          g_clear_error (&job->error);
        }
      fputs (job->out->str, stdout);
      g_string_free (job->out, TRUE);
      job->out = NULL;
      (*printed)++;
    }
  return status;
}

int
ob_cli_bounce_classify (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  int status = OB_CLI_EXIT_OK;
  ClassifyRun run = { 0 };
  GThread *workers[7];
  guint n_workers = 0;
  guint printed = 0;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc < 2)
    return ob_cli_usage_error (cli, _("give one or more bounce mails, mboxes or maildir folders"));

  ob_core_init ();

  run.n = argc - 1;
  run.jobs = g_new0 (ClassifyJob, run.n);
  run.done = g_new0 (gint, run.n);
  for (guint i = 0; i < run.n; i++)
    {
      run.jobs[i].path = argv[i + 1];
      run.jobs[i].json = cli->json;
    }

  /* Many files: parse them on every core. */
  if (run.n > 1)
    n_workers = MIN (MIN ((guint) g_get_num_processors (), G_N_ELEMENTS (workers) + 1), run.n) - 1;
  for (guint i = 0; i < n_workers; i++)
    workers[i] = g_thread_new ("classify", classify_worker, &run);

  while (classify_next (&run))
    if (flush_done (cli, &run, &printed, FALSE) != OB_CLI_EXIT_OK)
      status = OB_CLI_EXIT_USAGE;
  for (guint i = 0; i < n_workers; i++)
    g_thread_join (workers[i]);
  if (flush_done (cli, &run, &printed, TRUE) != OB_CLI_EXIT_OK)
    status = OB_CLI_EXIT_USAGE;

  g_free (run.jobs);
  g_free (run.done);
  return status;
}

int
ob_cli_bounce_reply (ObCli  *cli,
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
