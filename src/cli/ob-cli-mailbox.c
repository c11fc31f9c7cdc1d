/* ob-cli-mailbox.c — outbound-cli mailbox poll ACCOUNT
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ob-bounce-classifier.h"
#include "ob-cli.h"
#include "ob-mail-transport.h"
#include "ob-mailbox-poller.h"
#include "ob-real-clock.h"
#include "ob-send-engine.h"
#include "ob-template-renderer.h"

typedef struct
{
  GMainLoop           *loop;
  ObMailboxPollResult  result;
  GError              *error;
  gboolean             ok;
} PollData;

#define CLI_POLL_BUSY_S 30

static void
polled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PollData *data = user_data;

  data->ok = ob_mailbox_poller_poll_finish (OB_MAILBOX_POLLER (object), result, &data->result, &data->error);
  g_main_loop_quit (data->loop);
}

/* One pass over the account's INBOX and Junk for bounces and replies. */
int
ob_cli_mailbox_poll (ObCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *bounce_folder = NULL;
  const GOptionEntry entries[] = {
    { "move-bounces-to", 0, 0, G_OPTION_ARG_STRING, &bounce_folder,
      N_("Move the bounce mails it handled into this folder (created when missing); by default nothing is moved"),
      N_("FOLDER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = ob_cli_option_context_new (cli, entries, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObClock) clock = NULL;
  g_autoptr(ObMailTransport) transport = NULL;
  g_autoptr(ObTemplateRenderer) renderer = NULL;
  g_autoptr(ObBounceClassifier) classifier = NULL;
  g_autoptr(ObSendEngine) engine = NULL;
  g_autoptr(ObMailboxPoller) poller = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  PollData data = { 0 };
  ObStore *store;
  gint64 account_id;
  char *end = NULL;

  if (!ob_cli_parse (cli, context, &argc, &argv))
    return OB_CLI_EXIT_USAGE;
  if (argc != 2)
    return ob_cli_usage_error (cli, _("give the ID of the account whose mailbox to read (see “account list”)"));
  account_id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || account_id <= 0)
    return ob_cli_usage_error (cli, _("“%s” is not an account ID"), argv[1]);
  if (!(store = ob_cli_get_store (cli, &error)))
    return ob_cli_fail (cli, error);

  /* Bounces found in the mailbox go to the send engine, which counts
   * them like bounces at send time. */
  clock = ob_real_clock_new ();
  transport = ob_mail_transport_new (store);
  renderer = ob_template_renderer_new (store, clock);
  classifier = ob_bounce_classifier_new ();
  engine = ob_send_engine_new (store, clock, OB_SEND_TRANSPORT (transport),
                               OB_MESSAGE_RENDERER (renderer), OB_REPLY_CLASSIFIER (classifier));
  poller = ob_mailbox_poller_new (store, OB_BOUNCE_SINK (engine));
  /* FOLDER as typed ("退信", "R&D"); the poller spells it for the server. */
  if (!ob_mailbox_poller_set_bounce_folder (poller, bounce_folder, &error))
    return ob_cli_fail (cli, error);

  loop = g_main_loop_new (NULL, FALSE);
  data.loop = loop;
  /* The poller never waits for another writer (it is made for the app's
   * main thread) and stops a pass when the database is busy. Here nothing
   * waits on us: pass again, as the app would at its next check, for up
   * to CLI_POLL_BUSY_S. The mails handled before the stop count as seen
   * before. */
  for (gint64 give_up = g_get_monotonic_time () + CLI_POLL_BUSY_S * G_USEC_PER_SEC;;)
    {
      ob_mailbox_poller_poll_async (poller, account_id, NULL, polled_cb, &data);
      g_main_loop_run (loop);
      if (data.ok || !g_error_matches (data.error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY) ||
          g_get_monotonic_time () >= give_up)
        break;
      g_clear_error (&data.error);
      g_usleep (G_USEC_PER_SEC / 2);
    }
  if (!data.ok)
    {
      int status = ob_cli_fail (cli, data.error);

      g_clear_error (&data.error);
      return status;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

#define ADD(name, field) \
      json_builder_set_member_name (b, name); \
      json_builder_add_int_value (b, data.result.field)
      json_builder_begin_object (b);
      ADD ("scanned", scanned);
      ADD ("bounces", bounces);
      ADD ("complaints", complaints);
      ADD ("replies", replies);
      ADD ("unsubscribes", unsubscribes);
      ADD ("auto_replies", auto_replies);
      ADD ("unmatched", unmatched);
      ADD ("other", other);
      ADD ("seen_before", seen_before);
      ADD ("moved", moved);
      ADD ("move_failed", move_failed);
      json_builder_end_object (b);
#undef ADD
      ob_cli_print_json_builder (b, FALSE);
    }
  else
    {
      printf (_("Mails read %u · bounces %u · complaints %u · replies %u · unsubscribes %u · "
                "auto-replies %u · not ours %u · other %u\n"),
              data.result.scanned, data.result.bounces, data.result.complaints, data.result.replies,
              data.result.unsubscribes, data.result.auto_replies, data.result.unmatched, data.result.other);
      if (bounce_folder != NULL)
        printf (_("Bounce mails moved to %s: %u · could not be moved: %u\n"),
                bounce_folder, data.result.moved, data.result.move_failed);
    }

  return OB_CLI_EXIT_OK;
}
