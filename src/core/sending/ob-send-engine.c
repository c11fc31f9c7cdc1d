/* ob-send-engine.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "ob-bounce-sink.h"
#include "ob-pacing.h"
#include "ob-send-engine.h"
#include "ob-send-engine-private.h"
#include "ob-sending.h"
#include "ob-sending-private.h"
#include "ob-suppressions.h"

/* The scheduled-send engine.
 *
 * Every tick reads the queue rows that are due or will be, works out for
 * each the first moment every rule allows (the recipient's window and
 * holidays, the account's interval, daily cap and warm-up, the recipient
 * domain's hourly cap and the company's daily cap, any back-off), sends
 * the first that is allowed now, and otherwise sleeps on the clock until
 * the earliest such moment. Nothing polls.
 *
 * A row is marked 'sending' in its own transaction before the message
 * leaves, and its outcome is written in another one after; a row still
 * 'sending' when the engine starts is therefore one whose fate is unknown,
 * and becomes 'uncertain' until the user decides.
 *
 * This file holds the engine object, its loop (tick_cb() → send_due() →
 * start_send() → send_cb()) and its public API. Which row goes next and
 * when is ob-send-pick.c; what came of a send, or of a bounce found later
 * in the mailbox, is written by ob-send-outcome.c; the bounce-rate guard
 * is ob-send-guard.c. They share ob-send-engine-private.h. */

static void ob_send_engine_sink_init (ObBounceSinkInterface *iface);

/* The engine is where bounces found later in the mailbox go: the poller
 * (core/bounces) reports through ObBounceSink. */
G_DEFINE_FINAL_TYPE_WITH_CODE (ObSendEngine, ob_send_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_BOUNCE_SINK, ob_send_engine_sink_init))

guint _ob_send_engine_signals[OB_SEND_N_SIGNALS];

typedef struct
{
  ObSendEngine      *self;
  ObSendCandidate   *candidate;
  ObRenderedMessage *message;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->candidate, _ob_send_candidate_free);
  g_clear_pointer (&data->message, ob_rendered_message_free);
  g_clear_object (&data->self);
  g_free (data);
}

static void schedule_tick (ObSendEngine *self);

static gboolean
mark_sending (ObSendEngine     *self,
              ObSendCandidate  *c,
              gint64            account_id,
              const char       *message_id,
              gint64            now,
              GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Never wait for another writer here: the engine runs on the main
   * thread, and a busy database is tried again later (tick_cb). */
  if (!ob_store_begin_now (self->store, error))
    return FALSE;
  stmt = ob_store_prepare (self->store,
                           "UPDATE queue SET state = 'sending', account_id = ?1, attempts = attempts + 1, "
                           "message_id = ?2, updated_at = ?3 "
                           "WHERE id = ?4 AND state IN ('pending', 'retry')",
                           error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_text (stmt, 2, message_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, c->queue_id);
    }
  if (stmt == NULL || !ob_store_step_done (self->store, stmt, error))
    {
      ob_store_rollback (self->store);
      return FALSE;
    }
  if (sqlite3_changes (ob_store_get_db (self->store)) != 1)
    {
      ob_store_rollback (self->store);
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Message %lld is no longer waiting to be sent"), (long long) c->queue_id);
      return FALSE;
    }
  return ob_store_commit (self->store, error);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendData *data = user_data;
  ObSendEngine *self = data->self;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  ObSendAccountState *state;
  gint64 account_id = data->candidate->account_id;
  gint64 now;

  results = ob_send_transport_send_finish (OB_SEND_TRANSPORT (object), result, &error);
  now = ob_clock_now (self->clock);

  state = _ob_send_engine_account_state (self, account_id);
  state->busy = FALSE;
  state->last_used = now;
  state->next_ok_at = now + ob_pacing_draw_interval (&data->candidate->pacing, self->rand);
  self->in_flight--;

  if (_ob_send_engine_handle_result (self, data->candidate, account_id, results, error, now))
    data->candidate = NULL;

  send_data_free (data);
  schedule_tick (self);
}

/* FALSE when the database is busy with another writer: nothing was sent
 * and the row waits, so the tick stops picking for now. */
static gboolean
start_send (ObSendEngine    *self,
            ObSendCandidate *c,
            gint64           account_id,
            gint64           now)
{
  g_autoptr(GError) error = NULL;
  ObRenderedMessage *message;
  SendData *data;

  /* The last word before the message is made: the contacts area's
   * suppression list (an unsubscribe or bounce may have come in since
   * the queue was read). */
  {
    gboolean suppressed = FALSE;

    if (c->email != NULL && ob_suppressions_contains (self->store, c->email, &suppressed, NULL) &&
        suppressed)
      {
        g_autoptr(GPtrArray) skips = g_ptr_array_new_with_free_func (g_free);
        ObSendSkip *skip = g_new0 (ObSendSkip, 1);

        skip->candidate = c;
        skip->reason = N_("The address or its domain is on the suppression list");
        g_ptr_array_add (skips, skip);
        if (!_ob_send_engine_skip_rows (self, skips, now, &error) &&
            !g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
          g_warning ("Cannot skip message %" G_GINT64_FORMAT ": %s", c->queue_id, error->message);
        _ob_send_candidate_free (c);
        return error == NULL;
      }
  }

  message = ob_message_renderer_render (self->renderer, c->campaign_id, c->position,
                                        c->contact_id, account_id, &error);
  if (message == NULL)
    {
      g_autoptr(GError) record_error = NULL;
      g_auto(ObSendFollowUps) follow = { 0 }; /* none: neither an attempt nor a bounce */
      g_autofree char *detail = g_strdup_printf (_("The message could not be made: %s"),
                                                 error->message);
      ObSendOutcomeRecord r = {
        .c = c, .account_id = account_id, .o = { .event = "failed", .row_state = "failed" },
        .detail = detail, .now = now,
      };

      if (!_ob_send_engine_record_outcome (self, &r, &follow, &record_error) &&
          !g_error_matches (record_error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
        g_warning ("Cannot record a failed message: %s", record_error->message);
      g_signal_emit (self, _ob_send_engine_signals[OB_SEND_SIGNAL_OUTCOME], 0, c->queue_id, r.o.event);
      _ob_send_candidate_free (c);
      return record_error == NULL;
    }

  if (!mark_sending (self, c, account_id, message->message_id, now, &error))
    {
      gboolean busy = g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);

      if (busy)
        g_debug ("Not sending message %" G_GINT64_FORMAT " yet: %s", c->queue_id, error->message);
      else
        g_warning ("Not sending message %" G_GINT64_FORMAT ": %s", c->queue_id, error->message);
      ob_rendered_message_free (message);
      _ob_send_candidate_free (c);
      /* A row that moved on (stopped, sent elsewhere) is not picked again;
       * any other row would fail the same way if picked at once. */
      return g_error_matches (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
    }

  c->account_id = account_id;
  _ob_send_engine_account_state (self, account_id)->busy = TRUE;
  self->in_flight++;

  data = g_new0 (SendData, 1);
  data->self = g_object_ref (self);
  data->candidate = c;
  data->message = message;
  ob_send_transport_send_async (self->transport, account_id, message->mail_from,
                                (const char * const *) message->recipients, message->message,
                                NULL, send_cb, data);
  return TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ObSendEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ob_clock_wait_until_finish (OB_CLOCK (object), result, &error))
    return; /* cancelled: a newer wait or a tick replaced it */

  g_clear_object (&self->wait_cancellable);
  schedule_tick (self);
}

static void
sleep_until (ObSendEngine *self,
             gint64        when)
{
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  self->wait_cancellable = g_cancellable_new ();
  ob_clock_wait_until_async (self->clock, when, self->wait_cancellable, wait_cb, g_object_ref (self));
}

/* Scheduled campaigns whose start has come begin to run; returns the
 * next start still ahead (G_MAXINT64: none), or a moment soon when the
 * database was busy with another writer. */
static gint64
promote_scheduled (ObSendEngine *self,
                   gint64        now)
{
  g_autoptr(sqlite3_stmt) due = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) next = NULL;
  g_autoptr(GError) error = NULL;

  /* Read first: an UPDATE takes the write lock even when nothing is due.
   * Then never wait for another writer (every tick, on the main thread):
   * the campaigns start at a later tick. */
  due = ob_store_prepare (self->store,
                          "SELECT 1 FROM campaigns WHERE state = 'scheduled' AND coalesce(start_at, 0) <= ?1",
                          NULL);
  if (due != NULL)
    sqlite3_bind_int64 (due, 1, now);
  if (due != NULL && sqlite3_step (due) == SQLITE_ROW)
    {
      gboolean ok = FALSE;

      g_clear_pointer (&due, sqlite3_finalize);
      if (ob_store_begin_now (self->store, &error))
        {
          stmt = ob_store_prepare (self->store,
                                   "UPDATE campaigns SET state = 'running', updated_at = ?1 "
                                   "WHERE state = 'scheduled' AND coalesce(start_at, 0) <= ?1",
                                   &error);
          if (stmt != NULL)
            {
              sqlite3_bind_int64 (stmt, 1, now);
              ok = ob_store_step_done (self->store, stmt, &error);
            }
          g_clear_pointer (&stmt, sqlite3_finalize);
          if (ok)
            ok = ob_store_commit (self->store, &error);
          else
            ob_store_rollback (self->store);
        }
      if (!ok)
        {
          if (!g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
            g_warning ("Cannot start the scheduled campaigns: %s", error->message);
          return now + OB_SEND_ENGINE_STORE_RETRY_S;
        }
    }

  next = ob_store_prepare (self->store,
                           "SELECT min(start_at) FROM campaigns WHERE state = 'scheduled'", NULL);
  if (next != NULL && sqlite3_step (next) == SQLITE_ROW && sqlite3_column_type (next, 0) != SQLITE_NULL)
    return sqlite3_column_int64 (next, 0);
  return G_MAXINT64;
}

static void
finish_run (ObSendEngine *self)
{
  GTask *task = g_steal_pointer (&self->run_task);

  self->running = FALSE;
  if (task != NULL && self->run_cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->run_cancelled_id);
  self->run_cancelled_id = 0;
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  if (self->transport != NULL)
    ob_send_transport_close (self->transport);
  if (task != NULL)
    {
      if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* Starts every send that is due now; returns when the next may be. */
static gint64
send_due (ObSendEngine *self,
          gint64        now)
{
  for (;;)
    {
      gint64 account_id = 0, wake = G_MAXINT64;
      ObSendCandidate *c = _ob_send_engine_pick (self, now, &account_id, &wake);

      if (c == NULL)
        return wake;
      /* The database would not take the write (another connection holds
       * it, or it fails): the row still waits; come back later rather
       * than pick it again now. */
      if (!start_send (self, c, account_id, now))
        return now + OB_SEND_ENGINE_STORE_RETRY_S;
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  ObSendEngine *self = user_data;
  gint64 now, next_wake;

  self->tick_id = 0;
  if (!self->running)
    return G_SOURCE_REMOVE;

  if (self->run_task != NULL && g_task_get_cancellable (self->run_task) != NULL &&
      g_cancellable_is_cancelled (g_task_get_cancellable (self->run_task)))
    {
      if (self->in_flight == 0)
        finish_run (self);
      return G_SOURCE_REMOVE;
    }

  now = ob_clock_now (self->clock);
  next_wake = promote_scheduled (self, now);
  /* Outcomes the database would not take before go first; while any is
   * left, nothing new is sent (its row could not be written either). */
  if (!_ob_send_engine_commit_pending_outcomes (self))
    next_wake = MIN (next_wake, now + OB_SEND_ENGINE_STORE_RETRY_S);
  else
    next_wake = MIN (next_wake, send_due (self, now));

  if (next_wake <= now)
    {
      schedule_tick (self);
      return G_SOURCE_REMOVE;
    }

  if (next_wake != G_MAXINT64 && (self->until <= 0 || next_wake <= self->until))
    {
      sleep_until (self, next_wake);
      return G_SOURCE_REMOVE;
    }

  /* Nothing will fall due (or not before the end of the run). */
  if (self->in_flight == 0 && self->run_task != NULL)
    finish_run (self);
  else if (self->until > 0 && next_wake != G_MAXINT64 && self->in_flight == 0)
    finish_run (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_tick (ObSendEngine *self)
{
  if (self->tick_id != 0 || !self->running)
    return;
  self->tick_id = g_idle_add_full (G_PRIORITY_DEFAULT, tick_cb, self, NULL);
}

static void
load_paused_domains (ObSendEngine *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* A domain is paused when its latest pause is newer than its latest
   * resume. */
  stmt = ob_store_prepare (self->store,
                           "SELECT reply FROM events p WHERE kind = 'domain_paused' AND NOT EXISTS "
                           "(SELECT 1 FROM events r WHERE r.kind = 'domain_resumed' AND r.reply = p.reply "
                           " AND r.id > p.id)",
                           NULL);
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_hash_table_add (self->paused_domains, _ob_send_dup_column (stmt, 0));
}

static void
ob_send_engine_dispose (GObject *object)
{
  ObSendEngine *self = (ObSendEngine *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->transport);
  g_clear_object (&self->renderer);
  g_clear_object (&self->classifier);

  G_OBJECT_CLASS (ob_send_engine_parent_class)->dispose (object);
}

static void
ob_send_engine_finalize (GObject *object)
{
  ObSendEngine *self = (ObSendEngine *)object;

  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->domain_streaks, g_hash_table_unref);
  g_clear_pointer (&self->pending_outcomes, g_ptr_array_unref);
  g_clear_pointer (&self->uncommitted_bounces, g_ptr_array_unref);
  g_clear_pointer (&self->paused_domains, g_hash_table_unref);
  g_clear_pointer (&self->zones, g_hash_table_unref);
  if (self->lock_fd >= 0)
    close (self->lock_fd); /* releases the lock */

  G_OBJECT_CLASS (ob_send_engine_parent_class)->finalize (object);
}

static void
ob_send_engine_class_init (ObSendEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ob_send_engine_dispose;
  object_class->finalize = ob_send_engine_finalize;

  /* A campaign's figures changed (ob_campaign_get_status() has them). */
  _ob_send_engine_signals[OB_SEND_SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* Something the user should look at: a 2 % bounce rate, a paused domain. */
  _ob_send_engine_signals[OB_SEND_SIGNAL_WARNING] = g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* The engine paused a campaign by itself, with the reason. */
  _ob_send_engine_signals[OB_SEND_SIGNAL_PAUSED] = g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* A queue row got an outcome: "sent", "hard_bounce", "soft_bounce"… */
  _ob_send_engine_signals[OB_SEND_SIGNAL_OUTCOME] = g_signal_new ("outcome", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
ob_send_engine_init (ObSendEngine *self)
{
  self->lock_fd = -1;
  self->rand = g_rand_new ();
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->domain_streaks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) _ob_send_outcome_record_free);
  self->uncommitted_bounces = g_ptr_array_new_with_free_func ((GDestroyNotify) _ob_send_uncommitted_free);
  self->paused_domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_time_zone_unref);
}

ObSendEngine *
ob_send_engine_new (ObStore           *store,
                    ObClock           *clock,
                    ObSendTransport   *transport,
                    ObMessageRenderer *renderer,
                    ObReplyClassifier *classifier)
{
  ObSendEngine *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (OB_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (OB_IS_SEND_TRANSPORT (transport), NULL);
  g_return_val_if_fail (OB_IS_MESSAGE_RENDERER (renderer), NULL);
  g_return_val_if_fail (OB_IS_REPLY_CLASSIFIER (classifier), NULL);

  self = g_object_new (OB_TYPE_SEND_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->transport = g_object_ref (transport);
  self->renderer = g_object_ref (renderer);
  self->classifier = g_object_ref (classifier);
  load_paused_domains (self);

  return self;
}

/* Makes the random intervals reproducible (tests, benchmarks). */
void
ob_send_engine_set_seed (ObSendEngine *self,
                         guint32       seed)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  g_rand_set_seed (self->rand, seed);
}

static gboolean
recover_in_transaction (ObStore   *store,
                        gpointer   user_data,
                        GError   **error)
{
  guint *count = user_data;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  rows = ob_store_prepare (store,
                           "SELECT q.id, q.campaign_id, q.contact_id, s.position, q.account_id, q.updated_at "
                           "FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                           "WHERE q.state = 'sending'",
                           error);
  if (rows == NULL)
    return FALSE;
  while (sqlite3_step (rows) == SQLITE_ROW)
    {
      gint64 at = MAX (sqlite3_column_int64 (rows, 5), 0);

      if (!_ob_sending_add_event (store, at > 0 ? at : now, "uncertain",
                                  sqlite3_column_int64 (rows, 2), sqlite3_column_int64 (rows, 1),
                                  sqlite3_column_int (rows, 3), sqlite3_column_int64 (rows, 0),
                                  sqlite3_column_int64 (rows, 4), NULL,
                                  _("Outbound stopped while this message was being sent: it may "
                                    "have gone. Check the Sent folder, then choose."),
                                  NULL, error))
        return FALSE;
      (*count)++;
    }

  update = ob_store_prepare (store, "UPDATE queue SET state = 'uncertain' WHERE state = 'sending'", error);
  return update != NULL && ob_store_step_done (store, update, error);
}

/* Takes the database's sending lock: a lock file beside it, held for the
 * engine's life and let go by the system when the process dies. Two
 * engines must never share a queue: one would take the other's messages
 * in flight for a crash. */
static gboolean
acquire_lock (ObSendEngine  *self,
              GError       **error)
{
  g_autofree char *path = NULL;
  int fd;

  if (self->lock_fd >= 0)
    return TRUE;

  path = g_strconcat (ob_store_get_path (self->store), "-sending.lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Cannot create the lock file “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Another Outbound is already sending from this database; "
                     "close it or wait until it has finished"));
      return FALSE;
    }
  self->lock_fd = fd;
  return TRUE;
}

/* Call once when the engine starts, before running. It takes the
 * database's sending lock (failing with OB_SENDING_ERROR_STATE while
 * another engine, in this process or another, holds it); then rows left
 * 'sending' by a crash become 'uncertain' and are never resent without
 * the user's word (ob_campaign_resolve_uncertain()). Returns how many. */
guint
ob_send_engine_recover (ObSendEngine  *self,
                        GError       **error)
{
  guint count = 0;

  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), 0);
  g_return_val_if_fail (self->in_flight == 0, 0);

  if (!acquire_lock (self, error))
    return 0;
  if (!ob_store_transaction (self->store, recover_in_transaction, &count, error))
    return 0;
  return count;
}

static gboolean
wake_idle_cb (ObSendEngine *self)
{
  ob_send_engine_wake (self);
  return G_SOURCE_REMOVE;
}

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  ObSendEngine *self = user_data;

  /* May run in another thread: hop to the engine's context. */
  g_idle_add_full (G_PRIORITY_DEFAULT, (GSourceFunc) (GCallback) wake_idle_cb, g_object_ref (self),
                   g_object_unref);
}

/* Runs until nothing more can fall due, or — with @until > 0 — until the
 * next due moment lies after @until. Cancelling @cancellable stops after
 * the sends in flight have their outcome. */
void
ob_send_engine_run_async (ObSendEngine        *self,
                          gint64               until,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_send_engine_run_async);

  if (self->run_task != NULL || self->running)
    {
      g_task_return_new_error (task, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                               _("The send engine is already running"));
      return;
    }

  self->run_task = g_steal_pointer (&task);
  self->until = until;
  self->running = TRUE;
  if (cancellable != NULL)
    self->run_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb), self, NULL);
  schedule_tick (self);
}

gboolean
ob_send_engine_run_finish (ObSendEngine  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Runs for as long as the app does: when nothing is due the engine sleeps
 * on the clock; call ob_send_engine_wake() after starting or resuming a
 * campaign or recording a reply. */
void
ob_send_engine_start (ObSendEngine *self)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  self->running = TRUE;
  self->until = 0;
  schedule_tick (self);
}

void
ob_send_engine_stop (ObSendEngine *self)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->run_task != NULL)
    finish_run (self);
  else if (self->running && self->transport != NULL)
    ob_send_transport_close (self->transport);
  self->running = FALSE;
  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
}

/* Something changed (a campaign started, resumed, a reply arrived): look
 * at the queue again now instead of at the next planned moment. */
void
ob_send_engine_wake (ObSendEngine *self)
{
  g_return_if_fail (OB_IS_SEND_ENGINE (self));

  if (self->wait_cancellable != NULL)
    {
      g_cancellable_cancel (self->wait_cancellable);
      g_clear_object (&self->wait_cancellable);
    }
  schedule_tick (self);
}

gboolean
ob_send_engine_is_domain_paused (ObSendEngine *self,
                                 const char   *domain)
{
  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);

  return domain != NULL && g_hash_table_contains (self->paused_domains, domain);
}

/* Sending to @domain goes on. The resume is written first (it is what
 * keeps the domain going after a restart): when the database does not
 * take it, the domain stays paused, in memory as on disk, and @error
 * says why. */
gboolean
ob_send_engine_resume_domain (ObSendEngine  *self,
                              const char    *domain,
                              GError       **error)
{
  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  if (!g_hash_table_contains (self->paused_domains, domain))
    return TRUE;
  if (!_ob_sending_add_event (self->store, ob_clock_now (self->clock), "domain_resumed", 0, 0, 0, 0, 0,
                              domain, NULL, NULL, error))
    return FALSE;
  g_hash_table_remove (self->paused_domains, domain);
  g_hash_table_remove (self->domain_streaks, domain);
  ob_send_engine_wake (self);
  return TRUE;
}

static gint64
ob_send_engine_sink_record_bounce (ObBounceSink  *sink,
                                   const char    *message_id,
                                   ObBounceKind   kind,
                                   const char    *reply,
                                   const char    *reason,
                                   GError       **error)
{
  ObSendEngine *self = OB_SEND_ENGINE (sink);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!ob_send_engine_record_bounce (self, 0, message_id,
                                     kind == OB_BOUNCE_KIND_HARD ? OB_SEND_BOUNCE_HARD : OB_SEND_BOUNCE_SOFT,
                                     reply, reason, error))
    return 0;

  stmt = ob_store_prepare (self->store,
                           "SELECT max(e.id) FROM events e JOIN queue q ON q.id = e.queue_id "
                           "WHERE q.message_id = ?1 AND e.kind IN ('hard_bounce', 'soft_bounce')",
                           error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ob_store_set_error (self->store, error);
      return 0;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static void
ob_send_engine_sink_transaction_ended (ObBounceSink *sink,
                                       gboolean      committed)
{
  _ob_send_engine_end_bounces (OB_SEND_ENGINE (sink), committed);
}

static void
ob_send_engine_sink_init (ObBounceSinkInterface *iface)
{
  iface->record_bounce = ob_send_engine_sink_record_bounce;
  iface->transaction_ended = ob_send_engine_sink_transaction_ended;
}
