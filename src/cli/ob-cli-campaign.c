/* ob-cli-campaign.c — outbound-cli campaign create|run|list|start|pause|resume|stop|status|log|resolve
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

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include "ob-bounce-classifier.h"
#include "ob-campaign.h"
#include "ob-mail-transport.h"
#include "ob-real-clock.h"
#include "ob-send-engine.h"
#include "ob-template-renderer.h"
#include "ob-virtual-clock.h"
#include "ob-cli.h"
#include "ob-contacts.h"
#include "ob-segment.h"
#include "ob-sending.h"

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
parse_positive (const char *text,
                gint64      max,
                gint64     *value)
{
  guint64 v;
  char *end = NULL;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  v = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || v == 0 || v > (guint64) max)
    return FALSE;
  *value = (gint64) v;
  return TRUE;
}

/* The one ID argument of list-like commands. */
static gboolean
campaign_id_argument (ObCli   *cli,
                      int      argc,
                      char   **argv,
                      gint64  *id,
                      int     *status)
{
  if (argc < 2)
    {
      *status = ob_cli_usage_error (cli, _("the campaign ID is missing"));
      return FALSE;
    }
  if (argc > 2)
    {
      *status = ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[2]);
      return FALSE;
    }
  if (!parse_positive (argv[1], G_MAXINT64, id))
    {
      *status = ob_cli_usage_error (cli, _("“%s” is not a campaign ID (a number, see “outbound-cli campaign list”)"),
                                    argv[1]);
      return FALSE;
    }
  return TRUE;
}

int
ob_cli_campaign_create (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *accounts = NULL;
  g_autofree char *start = NULL;
  g_autofree char *window = NULL;
  g_autofree char *interval = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *segment_expr = NULL;
  g_auto(GStrv) followups = NULL;
  gint64 template_id = 0;
  int daily_cap = -1, domain_hourly_cap = -1, company_daily_cap = -1;
  gboolean all = FALSE, warmup = FALSE, no_warmup = FALSE, no_holidays = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The campaign’s name"), N_("NAME") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &accounts,
      N_("Sending account(s), rotated in this order"), N_("ID[,ID…]") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Send to every active contact"), NULL },
    { "segment", 0, 0, G_OPTION_ARG_STRING, &segment_expr,
      N_("Send to the active contacts matching, e.g. country=DE|AT,tag=fair-2026, or @NAME of a saved segment"),
      N_("EXPR") },
    { "template", 0, 0, G_OPTION_ARG_INT64, &template_id, N_("Template of the first mail"), N_("ID") },
    { "followup", 0, 0, G_OPTION_ARG_STRING_ARRAY, &followups,
      N_("A follow-up DAYS after the previous mail, if there was no reply (repeatable)"),
      N_("DAYS:TEMPLATE_ID") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("When to start (ISO 8601)"), N_("TIME") },
    { "window", 0, 0, G_OPTION_ARG_STRING, &window,
      N_("Sending days and hours in each recipient’s local time, e.g. “Tue-Thu 09:00-11:30”"),
      N_("'DAYS HH:MM-HH:MM'") },
    { "no-holidays", 0, 0, G_OPTION_ARG_NONE, &no_holidays,
      N_("Also send on the recipients’ public holidays"), NULL },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset,
      N_("Pacing preset: careful, normal (default) or custom"), N_("PRESET") },
    { "daily-cap", 0, 0, G_OPTION_ARG_INT, &daily_cap,
      N_("At most N mails a day per account (default: the account’s limit)"), N_("N") },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval,
      N_("Random pause between two mails of one account, in seconds"), N_("MIN_S-MAX_S") },
    { "domain-hourly-cap", 0, 0, G_OPTION_ARG_INT, &domain_hourly_cap,
      N_("At most N mails an hour to one recipient domain"), N_("N") },
    { "company-daily-cap", 0, 0, G_OPTION_ARG_INT, &company_daily_cap,
      N_("At most N mails a day to one company domain"), N_("N") },
    { "warmup", 0, 0, G_OPTION_ARG_NONE, &warmup, N_("Warm up a new mailbox slowly"), NULL },
    { "no-warmup", 0, 0, G_OPTION_ARG_NONE, &no_warmup, N_("No warm-up"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
  g_autoptr(GError) error = NULL;
  const ObPacingPreset *p;
  ObStore *store;
  gint64 id;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (name == NULL)
    return ob_cli_usage_error (cli, _("--name is missing"));
  if (accounts == NULL)
    return ob_cli_usage_error (cli, _("--account is missing"));
  if (!all && segment_expr == NULL)
    return ob_cli_usage_error (cli, _("say who the campaign goes to: --segment EXPR or --all"));
  if (all && segment_expr != NULL)
    return ob_cli_usage_error (cli, _("--segment and --all cannot go together"));
  if (template_id <= 0)
    return ob_cli_usage_error (cli, _("--template is missing"));
  if (warmup && no_warmup)
    return ob_cli_usage_error (cli, _("--warmup and --no-warmup cannot go together"));

  settings->name = g_strdup (name);

  p = ob_pacing_find_preset (preset ? preset : "normal");
  if (p == NULL)
    return ob_cli_usage_error (cli, _("--preset: “%s” is not a preset (careful, normal or custom)"), preset);
  settings->pacing = p->pacing;

  {
    g_auto(GStrv) ids = g_strsplit (accounts, ",", -1);
    for (guint i = 0; ids[i] != NULL; i++)
      {
        gint64 account;
        if (!parse_positive (g_strstrip (ids[i]), G_MAXINT64, &account))
          return ob_cli_usage_error (cli, _("--account: “%s” is not an account ID"), ids[i]);
        ob_campaign_settings_add_account (settings, account);
      }
  }

  ob_campaign_settings_add_step (settings, template_id, 0);
  for (guint i = 0; followups != NULL && followups[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (followups[i], ":", 2);
      gint64 days, tid;

      if (g_strv_length (parts) != 2 || !parse_positive (parts[0], 365, &days) ||
          !parse_positive (parts[1], G_MAXINT64, &tid))
        return ob_cli_usage_error (cli, _("--followup: “%s” is not DAYS:TEMPLATE_ID, e.g. 3:12"),
                                   followups[i]);
      ob_campaign_settings_add_step (settings, tid, (int) days);
    }

  if (start != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (start, utc);

      if (dt == NULL)
        return ob_cli_usage_error (cli, _("--start: “%s” is not an ISO 8601 time, e.g. 2027-03-02T09:00:00+08:00"),
                                   start);
      settings->start_at = g_date_time_to_unix (dt);
    }

  if (window != NULL && !ob_send_window_parse (window, &settings->window, &error))
    return ob_cli_usage_error (cli, "--window: %s", error->message);
  settings->window.skip_holidays = !no_holidays;

  if (daily_cap != -1)
    {
      if (daily_cap <= 0)
        return ob_cli_usage_error (cli, _("--daily-cap must be a number above zero"));
      settings->pacing.daily_cap = daily_cap;
    }
  if (interval != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (interval, "-", 2);
      gint64 lo, hi;

      if (g_strv_length (parts) != 2 || !parse_positive (parts[0], 86400, &lo) ||
          !parse_positive (parts[1], 86400, &hi) || lo > hi)
        return ob_cli_usage_error (cli, _("--interval: “%s” is not MIN_S-MAX_S, e.g. 60-180"), interval);
      settings->pacing.interval_min_s = (int) lo;
      settings->pacing.interval_max_s = (int) hi;
    }
  if (domain_hourly_cap != -1)
    {
      if (domain_hourly_cap <= 0)
        return ob_cli_usage_error (cli, _("--domain-hourly-cap must be a number above zero"));
      settings->pacing.domain_hourly_cap = domain_hourly_cap;
    }
  if (company_daily_cap != -1)
    {
      if (company_daily_cap <= 0)
        return ob_cli_usage_error (cli, _("--company-daily-cap must be a number above zero"));
      settings->pacing.company_daily_cap = company_daily_cap;
    }
  if (warmup)
    settings->pacing.warmup = TRUE;
  if (no_warmup)
    settings->pacing.warmup = FALSE;

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);
  if (segment_expr != NULL)
    {
      g_autoptr(ObSegment) segment = NULL;

      if (segment_expr[0] == '@')
        segment = ob_segments_load (store, segment_expr + 1, &error);
      else
        segment = ob_segment_parse (segment_expr, &error);
      if (segment == NULL)
        return ob_cli_usage_error (cli, "--segment: %s", error->message);
      settings->segment_json = ob_segment_to_json (segment);
    }
  id = ob_campaign_create (store, settings, now_unix (), &error);
  if (id == 0)
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    printf ("%" G_GINT64_FORMAT "\n", id);

  return OB_CLI_EXIT_OK;
}

int
ob_cli_campaign_list (ObCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (!(store = ob_cli_get_store (cli, &error)) || !(list = ob_campaign_list (store, &error)))
    return ob_cli_fail (cli, error);

  for (guint i = 0; i < list->len; i++)
    {
      ObCampaignSummary *s = g_ptr_array_index (list, i);

      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, s->id);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, s->name);
          json_builder_set_member_name (b, "state");
          json_builder_add_string_value (b, ob_campaign_state_to_string (s->state));
          json_builder_set_member_name (b, "total");
          json_builder_add_int_value (b, s->total);
          json_builder_set_member_name (b, "sent");
          json_builder_add_int_value (b, s->sent);
          json_builder_end_object (b);
          ob_cli_print_json_builder (b, FALSE);
        }
      else
        printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%d/%d\n", s->id, ob_campaign_state_to_string (s->state),
                s->name, s->sent, s->total);
    }

  return OB_CLI_EXIT_OK;
}

typedef enum
{
  CHANGE_START,
  CHANGE_PAUSE,
  CHANGE_RESUME,
  CHANGE_STOP,
} Change;

static int
campaign_change (ObCli   *cli,
                 int      argc,
                 char   **argv,
                 Change   change)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GError) error = NULL;
  ObCampaignState state;
  ObStore *store;
  gboolean ok = FALSE;
  gint64 id;
  int status;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (!campaign_id_argument (cli, argc, argv, &id, &status))
    return status;
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  switch (change)
    {
    case CHANGE_START:
      ok = ob_campaign_start (store, id, now_unix (), NULL, NULL, &error);
      break;
    case CHANGE_PAUSE:
      ok = ob_campaign_pause (store, id, NULL, now_unix (), &error);
      break;
    case CHANGE_RESUME:
      ok = ob_campaign_resume (store, id, now_unix (), &error);
      break;
    case CHANGE_STOP:
      ok = ob_campaign_stop (store, id, now_unix (), &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok || !ob_campaign_get_state (store, id, &state, &error))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, ob_campaign_state_to_string (state));
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    printf ("%s\n", ob_campaign_state_to_string (state));

  return OB_CLI_EXIT_OK;
}

int
ob_cli_campaign_start (ObCli *cli, int argc, char **argv)
{
  return campaign_change (cli, argc, argv, CHANGE_START);
}

int
ob_cli_campaign_pause (ObCli *cli, int argc, char **argv)
{
  return campaign_change (cli, argc, argv, CHANGE_PAUSE);
}

int
ob_cli_campaign_resume (ObCli *cli, int argc, char **argv)
{
  return campaign_change (cli, argc, argv, CHANGE_RESUME);
}

int
ob_cli_campaign_stop (ObCli *cli, int argc, char **argv)
{
  return campaign_change (cli, argc, argv, CHANGE_STOP);
}

int
ob_cli_campaign_status (ObCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(ObCampaignStatus) s = NULL;
  g_autoptr(GError) error = NULL;
  ObStore *store;
  gint64 id;
  int status;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (!campaign_id_argument (cli, argc, argv, &id, &status))
    return status;
  if (!(store = ob_cli_get_store (cli, &error)) || !(s = ob_campaign_get_status (store, id, &error)))
    return ob_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, ob_campaign_state_to_string (s->state));
      json_builder_set_member_name (b, "paused_reason");
      if (s->paused_reason != NULL)
        json_builder_add_string_value (b, s->paused_reason);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "queued");
      json_builder_add_int_value (b, s->queued);
      json_builder_set_member_name (b, "sent");
      json_builder_add_int_value (b, s->sent);
      json_builder_set_member_name (b, "hard_bounces");
      json_builder_add_int_value (b, s->hard_bounces);
      json_builder_set_member_name (b, "soft_bounces");
      json_builder_add_int_value (b, s->soft_bounces);
      json_builder_set_member_name (b, "replies");
      json_builder_add_int_value (b, s->replies);
      json_builder_set_member_name (b, "suppressed");
      json_builder_add_int_value (b, s->suppressed);
      json_builder_set_member_name (b, "uncertain");
      json_builder_add_int_value (b, s->uncertain);
      json_builder_set_member_name (b, "bounce_rate");
      json_builder_add_double_value (b, s->bounce_rate);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
      return OB_CLI_EXIT_OK;
    }

  printf (_("State: %s\n"), ob_campaign_state_to_string (s->state));
  if (s->paused_reason != NULL)
    printf (_("Paused because: %s\n"), s->paused_reason);
  printf (_("Queued: %d\n"), s->queued);
  printf (_("Sent: %d\n"), s->sent);
  printf (_("Hard bounces: %d\n"), s->hard_bounces);
  printf (_("Soft bounces: %d\n"), s->soft_bounces);
  printf (_("Replies: %d\n"), s->replies);
  printf (_("Suppressed: %d\n"), s->suppressed);
  printf (_("Waiting for your decision: %d\n"), s->uncertain);
  printf (_("Bounce rate: %.1f %%\n"), s->bounce_rate * 100);
  return OB_CLI_EXIT_OK;
}

int
ob_cli_campaign_log (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, NULL, FALSE);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  ObStore *store;
  gint64 id;
  int status;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (!campaign_id_argument (cli, argc, argv, &id, &status))
    return status;
  if (!(store = ob_cli_get_store (cli, &error)) || !(log = ob_campaign_get_log (store, id, &error)))
    return ob_cli_fail (cli, error);

  for (guint i = 0; i < log->len; i++)
    {
      ObCampaignLogEntry *e = g_ptr_array_index (log, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (e->at);
      g_autofree char *at_text = at ? g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ") : NULL;

      if (cli->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

#define ADD_STRING(member, value)                       \
          json_builder_set_member_name (b, member);     \
          if ((value) != NULL)                          \
            json_builder_add_string_value (b, value);   \
          else                                          \
            json_builder_add_null_value (b);

          json_builder_begin_object (b);
          ADD_STRING ("at", at_text);
          ADD_STRING ("contact", e->contact);
          json_builder_set_member_name (b, "step");
          if (e->step > 0)
            json_builder_add_int_value (b, e->step);
          else
            json_builder_add_null_value (b);
          ADD_STRING ("event", e->event);
          ADD_STRING ("reply", e->reply);
          ADD_STRING ("local_time", e->local_time);
          ADD_STRING ("detail", e->detail);
          json_builder_set_member_name (b, "queue_id");
          if (e->queue_id > 0)
            json_builder_add_int_value (b, e->queue_id);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
#undef ADD_STRING
          ob_cli_print_json_builder (b, FALSE);
        }
      else
        {
          printf ("%s\t%s\t%s\t%s%s%s", at_text ? at_text : "", e->event,
                  e->contact ? e->contact : "-", e->reply ? e->reply : "",
                  e->reply && e->detail ? " — " : "", e->detail ? e->detail : "");
          if (g_strcmp0 (e->event, "uncertain") == 0 && e->queue_id > 0)
            printf (_(" (decide: outbound-cli campaign resolve %lld --resend|--mark-sent)"),
                    (long long) e->queue_id);
          printf ("\n");
        }
    }

  return OB_CLI_EXIT_OK;
}

/* outbound-cli campaign resolve QUEUE_ID --resend|--mark-sent: the user's
 * word on a message left uncertain by a crash. */
int
ob_cli_campaign_resolve (ObCli  *cli,
                         int     argc,
                         char  **argv)
{
  gboolean resend = FALSE, mark_sent = FALSE;
  const GOptionEntry entries[] = {
    { "resend", 0, 0, G_OPTION_ARG_NONE, &resend, N_("It did not go: send it again"), NULL },
    { "mark-sent", 0, 0, G_OPTION_ARG_NONE, &mark_sent, N_("It went: count it as sent"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  ObStore *store;
  gint64 queue_id;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2 || !parse_positive (argv[1], G_MAXINT64, &queue_id))
    return ob_cli_usage_error (cli, _("give the number of the uncertain message (see “campaign log”)"));
  if (resend == mark_sent)
    return ob_cli_usage_error (cli, _("choose one: --resend or --mark-sent"));
  if (!(store = ob_cli_get_store (cli, &error)) ||
      !ob_campaign_resolve_uncertain (store, queue_id,
                                      resend ? OB_UNCERTAIN_RESEND : OB_UNCERTAIN_MARK_SENT,
                                      now_unix (), &error))
    return ob_cli_fail (cli, error);
  return OB_CLI_EXIT_OK;
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
  gboolean      done;
  GHashTable   *outcomes; /* event → count */
} RunData;

static void
run_outcome_cb (ObSendEngine *engine,
                gint64        queue_id,
                const char   *event,
                RunData      *data)
{
  gpointer n = g_hash_table_lookup (data->outcomes, event);

  g_hash_table_insert (data->outcomes, g_strdup (event), GINT_TO_POINTER (GPOINTER_TO_INT (n) + 1));
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunData *data = user_data;

  ob_send_engine_run_finish (OB_SEND_ENGINE (object), result, &data->error);
  data->done = TRUE;
  g_main_loop_quit (data->loop);
}

static void
transport_closed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RunData *data = user_data;

  ob_mail_transport_close_finish (OB_MAIL_TRANSPORT (object), result, NULL);
  g_main_loop_quit (data->loop);
}

static gboolean
run_signal_cb (gpointer user_data)
{
  RunData *data = user_data;

  /* Stop after the sends in flight have their outcome. */
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_time (const char *text,
            gint64     *value)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, utc);

  if (dt == NULL)
    return FALSE;
  *value = g_date_time_to_unix (dt);
  return TRUE;
}

/* outbound-cli campaign run [--until TIME] [--clock virtual[:START]] —
 * the send engine in the foreground with the real adapters. */
int
ob_cli_campaign_run (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *until_text = NULL;
  g_autofree char *clock_text = NULL;
  const GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text,
      N_("Stop when nothing falls due before TIME (ISO 8601)"), N_("TIME") },
    { "clock", 0, 0, G_OPTION_ARG_STRING, &clock_text,
      N_("real (default), or virtual[:START]: time jumps to the next due moment"), N_("CLOCK") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObClock) clock = NULL;
  g_autoptr(ObMailTransport) transport = NULL;
  g_autoptr(ObTemplateRenderer) renderer = NULL;
  g_autoptr(ObBounceClassifier) classifier = NULL;
  g_autoptr(ObSendEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RunData data = { 0 };
  gint64 until = 0;
  guint uncertain, sigint_id, sigterm_id;
  ObStore *store;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc > 1)
    return ob_cli_usage_error (cli, _("unexpected argument “%s”"), argv[1]);
  if (until_text != NULL && !parse_time (until_text, &until))
    return ob_cli_usage_error (cli, _("--until: “%s” is not an ISO 8601 time, e.g. 2027-03-12T00:00:00Z"),
                               until_text);

  if (clock_text == NULL || g_str_equal (clock_text, "real"))
    clock = ob_real_clock_new ();
  else if (g_str_equal (clock_text, "virtual"))
    clock = ob_virtual_clock_new (now_unix ());
  else if (g_str_has_prefix (clock_text, "virtual:"))
    {
      gint64 start;

      if (!parse_time (clock_text + strlen ("virtual:"), &start))
        return ob_cli_usage_error (cli, _("--clock: “%s” is not an ISO 8601 time"),
                                   clock_text + strlen ("virtual:"));
      clock = ob_virtual_clock_new (start);
    }
  else
    return ob_cli_usage_error (cli, _("--clock: “%s” is neither real nor virtual[:START]"), clock_text);

  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  transport = ob_mail_transport_new (store);
  renderer = ob_template_renderer_new (store, clock);
  classifier = ob_bounce_classifier_new ();
  engine = ob_send_engine_new (store, clock, OB_SEND_TRANSPORT (transport),
                               OB_MESSAGE_RENDERER (renderer), OB_REPLY_CLASSIFIER (classifier));

  uncertain = ob_send_engine_recover (engine, &error);
  if (error != NULL)
    return ob_cli_fail (cli, error);
  if (uncertain > 0)
    g_printerr (ngettext ("%u message may or may not have gone before Outbound stopped; "
                          "see “campaign status” and decide with “campaign resolve”.\n",
                          "%u messages may or may not have gone before Outbound stopped; "
                          "see “campaign status” and decide with “campaign resolve”.\n",
                          uncertain), uncertain);

  loop = g_main_loop_new (NULL, FALSE);
  data.loop = loop;
  data.cancellable = cancellable;
  data.outcomes = outcomes;
  g_signal_connect (engine, "outcome", G_CALLBACK (run_outcome_cb), &data);
  sigint_id = g_unix_signal_add (SIGINT, run_signal_cb, &data);
  sigterm_id = g_unix_signal_add (SIGTERM, run_signal_cb, &data);

  ob_send_engine_run_async (engine, until, cancellable, run_done_cb, &data);
  while (!data.done)
    g_main_loop_run (loop);

  ob_mail_transport_close_async (transport, NULL, transport_closed_cb, &data);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (engine, &data);

  if (data.error != NULL && !g_error_matches (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      int status = ob_cli_fail (cli, data.error);

      g_clear_error (&data.error);
      return status;
    }
  g_clear_error (&data.error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(GDateTime) end = ob_clock_now_utc (clock);
      g_autofree char *end_text = g_date_time_format_iso8601 (end);
      GHashTableIter iter;
      gpointer key, value;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clock");
      json_builder_add_string_value (b, end_text);
      json_builder_set_member_name (b, "recovered_uncertain");
      json_builder_add_int_value (b, uncertain);
      json_builder_set_member_name (b, "outcomes");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&iter, outcomes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (b, key);
          json_builder_add_int_value (b, GPOINTER_TO_INT (value));
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, outcomes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        printf ("%s\t%d\n", (const char *) key, GPOINTER_TO_INT (value));
    }

  return OB_CLI_EXIT_OK;
}
