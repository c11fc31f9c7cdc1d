/* ob-sending-service.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-account.h"
#include "ob-bounce-classifier.h"
#include "ob-campaign.h"
#include "ob-mail-transport.h"
#include "ob-mailbox-poller.h"
#include "ob-real-clock.h"
#include "ob-sending-service.h"
#include "ob-template-renderer.h"

/* The app's sending: one engine over the real SMTP transport, template
 * renderer and bounce classifier (the same pieces as `outbound-cli campaign
 * run`), and the mailbox poller on a timer. "active" is TRUE while a
 * campaign is running or scheduled, so the app can stay alive for it. */
struct _ObSendingService
{
  GObject             parent_instance;

  ObStore            *store;
  ObClock            *clock;
  ObMailTransport    *transport;
  ObTemplateRenderer *renderer;
  ObBounceClassifier *classifier;
  ObSendEngine       *engine;
  ObMailboxPoller    *poller;
  GCancellable       *poll_cancellable;

  guint               poll_minutes;
  guint               poll_source;
  guint               polls_running;
  gboolean            started;
  gboolean            active;
};

G_DEFINE_FINAL_TYPE (ObSendingService, ob_sending_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
any_campaign_active (ObSendingService *self)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (self->store,
                                                   "SELECT EXISTS (SELECT 1 FROM campaigns"
                                                   " WHERE state IN ('running', 'scheduled'))",
                                                   NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

static void
update_active (ObSendingService *self)
{
  gboolean active = self->started && any_campaign_active (self);

  if (active == self->active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
on_engine_changed_cb (ObSendingService *self)
{
  update_active (self);
}

/* After a pass over one mailbox: a reply stops follow-ups, a bounce may
 * pause a campaign. */
static void
polled (ObSendingService          *self,
        const ObMailboxPollResult *r)
{
  g_debug ("Mailbox checked: %u read, %u bounces, %u replies, %u unsubscribes",
           r->scanned, r->bounces, r->replies, r->unsubscribes);
  if (r->bounces || r->replies || r->unsubscribes || r->complaints)
    {
      ob_send_engine_wake (self->engine);
      update_active (self);
    }
}

static void
poll_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ObSendingService) self = user_data;
  g_autoptr(GError) error = NULL;
  ObMailboxPollResult r = { 0 };

  self->polls_running--;
  if (!ob_mailbox_poller_poll_finish (OB_MAILBOX_POLLER (object), result, &r, &error))
    {
      /* A busy database (an import in a worker) is no failure: the mails
       * the pass did not handle are read again at the next one. */
      if (g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
        g_debug ("%s", error->message);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Mailbox check failed: %s", error->message);
      return;
    }
  polled (self, &r);
}

/* One pass over every account that has an IMAP server. */
void
ob_sending_service_poll_now (ObSendingService *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OB_IS_SENDING_SERVICE (self));

  if (self->polls_running > 0)
    return;
  accounts = ob_account_store_list (self->store, &error);
  if (accounts == NULL)
    {
      g_message ("Cannot list accounts: %s", error->message);
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      ObAccount *account = accounts->pdata[i];
      const char *imap = ob_account_get_imap_host (account);

      if (imap == NULL || *imap == '\0')
        continue;
      self->polls_running++;
      ob_mailbox_poller_poll_async (self->poller, ob_account_get_id (account), self->poll_cancellable,
                                    poll_done_cb, g_object_ref (self));
    }
}

/* On demand (the Accounts page's "Check Mailbox Now"): one account, with
 * its figures. Refused while a scheduled pass runs, so that one mail is
 * never handled twice at once. */
static void
poll_account_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObSendingService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  ObMailboxPollResult *r = g_new0 (ObMailboxPollResult, 1);

  self->polls_running--;
  if (!ob_mailbox_poller_poll_finish (OB_MAILBOX_POLLER (object), result, r, &error))
    {
      g_free (r);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  polled (self, r);
  g_task_return_pointer (task, r, g_free);
}

void
ob_sending_service_poll_account_async (ObSendingService    *self,
                                       gint64               account_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SENDING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_sending_service_poll_account_async);
  if (self->polls_running > 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("The mailboxes are being checked right now; try again in a moment."));
      return;
    }
  self->polls_running++;
  ob_mailbox_poller_poll_async (self->poller, account_id, cancellable, poll_account_done_cb,
                                g_steal_pointer (&task));
}

gboolean
ob_sending_service_poll_account_finish (ObSendingService     *self,
                                        GAsyncResult         *result,
                                        ObMailboxPollResult  *out,
                                        GError              **error)
{
  g_autofree ObMailboxPollResult *r = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  if (out != NULL)
    *out = *r;
  return TRUE;
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  ObSendingService *self = user_data;

  ob_sending_service_poll_now (self);
  return G_SOURCE_CONTINUE;
}

static void
schedule_polls (ObSendingService *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->started && self->poll_minutes > 0)
    self->poll_source = g_timeout_add_seconds (self->poll_minutes * 60, poll_timeout_cb, self);
}

static void
ob_sending_service_dispose (GObject *object)
{
  ObSendingService *self = (ObSendingService *)object;

  ob_sending_service_stop (self);

  G_OBJECT_CLASS (ob_sending_service_parent_class)->dispose (object);
}

static void
ob_sending_service_finalize (GObject *object)
{
  ObSendingService *self = (ObSendingService *)object;

  g_clear_object (&self->poll_cancellable);
  g_clear_object (&self->poller);
  g_clear_object (&self->engine);
  g_clear_object (&self->classifier);
  g_clear_object (&self->renderer);
  g_clear_object (&self->transport);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ob_sending_service_parent_class)->finalize (object);
}

static void
ob_sending_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ObSendingService *self = OB_SENDING_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_sending_service_class_init (ObSendingServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ob_sending_service_dispose;
  object_class->finalize = ob_sending_service_finalize;
  object_class->get_property = ob_sending_service_get_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_sending_service_init (ObSendingService *self)
{
  self->poll_minutes = 15;
  self->poll_cancellable = g_cancellable_new ();
}

ObSendingService *
ob_sending_service_new (ObStore *store)
{
  ObSendingService *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_SENDING_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->clock = ob_real_clock_new ();
  self->transport = ob_mail_transport_new (store);
  self->renderer = ob_template_renderer_new (store, self->clock);
  self->classifier = ob_bounce_classifier_new ();
  self->engine = ob_send_engine_new (store, self->clock, OB_SEND_TRANSPORT (self->transport),
                                     OB_MESSAGE_RENDERER (self->renderer),
                                     OB_REPLY_CLASSIFIER (self->classifier));
  self->poller = ob_mailbox_poller_new (store, OB_BOUNCE_SINK (self->engine));

  g_signal_connect_object (self->engine, "progress", G_CALLBACK (on_engine_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "paused", G_CALLBACK (on_engine_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/* Takes the database's sending lock (one engine per database: a
 * `campaign run` elsewhere makes this fail with a clear error), turns rows
 * a crash left "sending" into "uncertain" (their number in @uncertain),
 * and starts the engine and the mailbox timer. */
gboolean
ob_sending_service_start (ObSendingService  *self,
                          guint             *uncertain,
                          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  guint n;

  g_return_val_if_fail (OB_IS_SENDING_SERVICE (self), FALSE);

  if (self->started)
    return TRUE;

  n = ob_send_engine_recover (self->engine, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (uncertain != NULL)
    *uncertain = n;

  self->started = TRUE;
  ob_send_engine_start (self->engine);
  schedule_polls (self);
  update_active (self);
  return TRUE;
}

void
ob_sending_service_stop (ObSendingService *self)
{
  g_return_if_fail (OB_IS_SENDING_SERVICE (self));

  if (!self->started)
    return;
  self->started = FALSE;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  self->poll_cancellable = g_cancellable_new ();
  ob_send_engine_stop (self->engine);
  update_active (self);
}

gboolean
ob_sending_service_get_active (ObSendingService *self)
{
  g_return_val_if_fail (OB_IS_SENDING_SERVICE (self), FALSE);

  return self->active;
}

/* A campaign was started, resumed, paused or stopped: look again. */
void
ob_sending_service_refresh (ObSendingService *self)
{
  g_return_if_fail (OB_IS_SENDING_SERVICE (self));

  if (self->started)
    ob_send_engine_wake (self->engine);
  update_active (self);
}

ObSendEngine *
ob_sending_service_get_engine (ObSendingService *self)
{
  g_return_val_if_fail (OB_IS_SENDING_SERVICE (self), NULL);

  return self->engine;
}

/* See ob_mailbox_poller_set_bounce_folder(): @folder as the user typed it. */
gboolean
ob_sending_service_set_bounce_folder (ObSendingService  *self,
                                      const char        *folder,
                                      GError           **error)
{
  g_return_val_if_fail (OB_IS_SENDING_SERVICE (self), FALSE);

  return ob_mailbox_poller_set_bounce_folder (self->poller, folder, error);
}

void
ob_sending_service_set_poll_minutes (ObSendingService *self,
                                     guint             minutes)
{
  g_return_if_fail (OB_IS_SENDING_SERVICE (self));

  self->poll_minutes = minutes;
  schedule_polls (self);
}
