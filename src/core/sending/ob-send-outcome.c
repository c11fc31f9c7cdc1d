/* ob-send-outcome.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ob-send-engine-private.h"
#include "ob-sending.h"
#include "ob-sending-private.h"

/* What came of a message, written down.
 *
 * Once a send is over, _ob_send_engine_handle_result() reads the error or
 * the server's reply (through the ObReplyClassifier) and decides the
 * row's fate: sent, tried again later, a soft bounce that counts towards
 * OB_SEND_ENGINE_SOFT_STRIKES, a hard bounce that suppresses the contact,
 * or trouble on the sender's side that rests the account.
 * _ob_send_engine_record_outcome() writes it with all that follows from
 * it: the event, the contact's counters, the suppression, the campaign's
 * next step, the domain's streak of hard bounces and the bounce-rate
 * guard (ob-send-guard.c), in one transaction. An outcome the database
 * would not take (another connection was writing) waits in
 * pending_outcomes for a later tick.
 *
 * A bounce found later in the mailbox (ob_send_engine_record_bounce(),
 * which the engine's ObBounceSink calls) is written here the same way.
 * The poller calls it inside the mail's own transaction: then its
 * follow-ups wait (uncommitted_bounces) until the poller's COMMIT has
 * succeeded, so the engine never pauses a domain, or tells the app of a
 * pause or a warning, that a failed COMMIT took back. */

#define RETRY_TEMPORARY_S (15 * 60)
#define BACKOFF_BASE_S    (60 * 60)
#define BACKOFF_MAX_S     (24 * 60 * 60)

static void
notice_clear (gpointer data)
{
  g_free (((ObSendNotice *) data)->message);
}

void
_ob_send_follow_ups_clear (ObSendFollowUps *follow)
{
  g_clear_pointer (&follow->streak_domain, g_free);
  g_clear_pointer (&follow->notices, g_array_unref);
}

void
_ob_send_follow_ups_notice (ObSendFollowUps *follow,
                            guint            signal,
                            gint64           campaign_id,
                            const char      *message)
{
  ObSendNotice notice = { signal, campaign_id, g_strdup (message) };

  if (follow->notices == NULL)
    {
      follow->notices = g_array_new (FALSE, TRUE, sizeof (ObSendNotice));
      g_array_set_clear_func (follow->notices, notice_clear);
    }
  g_array_append_val (follow->notices, notice);
}

/* Writes the row's new state and, when given, its due time. */
static gboolean
set_row (ObSendEngine  *self,
         gint64         queue_id,
         const char    *state,
         gint64         due_at,
         gboolean       clear_account,
         int            code,
         const char    *reply,
         gint64         now,
         GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (self->store,
                           "UPDATE queue SET state = ?1, due_at = coalesce(?2, due_at), "
                           "account_id = CASE WHEN ?3 THEN NULL ELSE account_id END, "
                           "last_code = coalesce(?4, last_code), last_reply = coalesce(?5, last_reply), "
                           "sent_at = CASE WHEN ?1 = 'sent' THEN ?6 ELSE sent_at END, updated_at = ?6 "
                           "WHERE id = ?7",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  if (due_at > 0)
    sqlite3_bind_int64 (stmt, 2, due_at);
  sqlite3_bind_int (stmt, 3, clear_account ? 1 : 0);
  if (code > 0)
    sqlite3_bind_int (stmt, 4, code);
  sqlite3_bind_text (stmt, 5, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, queue_id);
  return ob_store_step_done (self->store, stmt, error);
}

static char *
attempt_data (const char *reason)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *rest = NULL;

  /* The prefix is written by hand so pacing can find it with LIKE. */
  json_builder_begin_object (b);
  if (reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, reason);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  rest = json_to_string (root, FALSE);
  if (g_str_equal (rest, "{}"))
    return g_strdup (OB_ATTEMPT_DATA_PREFIX "}");
  return g_strconcat (OB_ATTEMPT_DATA_PREFIX ",", rest + 1, NULL);
}

/* Distinct days (UTC) with a soft bounce for the contact. */
static int
soft_bounce_days (ObSendEngine *self,
                  gint64        contact_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (self->store,
                           "SELECT count(DISTINCT at / 86400) FROM events "
                           "WHERE contact_id = ?1 AND kind = 'soft_bounce'",
                           NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
}

static gboolean
suppress (ObSendEngine           *self,
          const ObSendCandidate  *c,
          gint64                  account_id,
          const char             *reason,
          const char             *detail,
          gint64                  now,
          GError                **error)
{
  g_autofree char *source = g_strdup_printf ("campaign:%" G_GINT64_FORMAT, c->campaign_id);

  return ob_sending_suppress_contact (self->store, c->contact_id, reason, source, detail, now, error) &&
         _ob_sending_add_event (self->store, now, "suppressed", c->contact_id, c->campaign_id,
                                c->position, c->queue_id, account_id, NULL, detail, NULL, error) &&
         _ob_sending_skip_later_steps (self->store, c->campaign_id, c->contact_id, c->position,
                                       now, error);
}

static gboolean
bump_contact (ObSendEngine  *self,
              gint64         contact_id,
              const char    *sql,
              gint64         now,
              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (self->store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  return ob_store_step_done (self->store, stmt, error);
}

/* The domain's streak of hard bounces and whether it is paused, counting
 * the bounces still waiting for their caller's COMMIT. */
static int
known_streak (ObSendEngine *self,
              const char   *domain,
              gboolean     *paused)
{
  *paused = g_hash_table_contains (self->paused_domains, domain);
  for (guint i = self->uncommitted_bounces->len; i > 0; i--)
    {
      ObSendUncommitted *u = g_ptr_array_index (self->uncommitted_bounces, i - 1);

      if (g_strcmp0 (u->follow.streak_domain, domain) == 0)
        {
          *paused = *paused || u->follow.pause_domain;
          return u->follow.streak;
        }
    }
  return GPOINTER_TO_INT (g_hash_table_lookup (self->domain_streaks, domain));
}

/* Inside the outcome's transaction: the domain's streak grows, and at
 * OB_SEND_ENGINE_DOMAIN_STRIKES the domain is paused (the event that
 * keeps the pause across restarts is written here; the engine's memory
 * follows in announce()). */
static void
note_hard_bounce (ObSendEngine    *self,
                  ObSendFollowUps *follow,
                  const char      *domain,
                  gint64           campaign_id,
                  gint64           now)
{
  gboolean paused;
  int streak;

  if (domain == NULL)
    return;
  streak = known_streak (self, domain, &paused) + 1;
  g_free (follow->streak_domain);
  follow->streak_domain = g_strdup (domain);
  follow->streak = streak;

  if (streak >= OB_SEND_ENGINE_DOMAIN_STRIKES && !paused)
    {
      g_autofree char *message = NULL;

      follow->pause_domain = TRUE;
      message = g_strdup_printf (_("%d addresses at %s bounced in a row; sending to that domain "
                                   "is paused until you check the list"), streak, domain);
      _ob_sending_add_event (self->store, now, "domain_paused", 0, campaign_id, 0, 0, 0,
                             domain, message, NULL, NULL);
      _ob_send_follow_ups_notice (follow, OB_SEND_SIGNAL_WARNING, campaign_id, message);
    }
}

/* After the transaction of an outcome or a bounce is committed: the
 * engine's memory and the signals catch up with what it wrote. */
static void
announce (ObSendEngine    *self,
          ObSendFollowUps *follow)
{
  if (follow->streak_domain != NULL)
    {
      g_hash_table_insert (self->domain_streaks, g_strdup (follow->streak_domain),
                           GINT_TO_POINTER (follow->streak));
      if (follow->pause_domain)
        g_hash_table_add (self->paused_domains, g_strdup (follow->streak_domain));
    }
  for (guint i = 0; follow->notices != NULL && i < follow->notices->len; i++)
    {
      ObSendNotice *notice = &g_array_index (follow->notices, ObSendNotice, i);

      g_signal_emit (self, _ob_send_engine_signals[notice->signal], 0, notice->campaign_id, notice->message);
    }
}

static void
back_off_account (ObSendEngine *self,
                  gint64        account_id,
                  gint64        now)
{
  ObSendAccountState *state = _ob_send_engine_account_state (self, account_id);
  gint64 delay;

  state->block_streak++;
  delay = BACKOFF_BASE_S << MIN (state->block_streak - 1, 5);
  state->backoff_until = now + MIN (delay, BACKOFF_MAX_S);
}

void
_ob_send_outcome_record_free (ObSendOutcomeRecord *r)
{
  g_clear_pointer (&r->c, _ob_send_candidate_free);
  g_free (r->reply);
  g_free (r->detail);
  g_free (r->reason);
  g_free (r);
}

/* Writes an outcome with its follow-ups (@follow, for announce() once
 * this returns TRUE), all in one transaction. */
gboolean
_ob_send_engine_record_outcome (ObSendEngine               *self,
                                const ObSendOutcomeRecord  *r,
                                ObSendFollowUps            *follow,
                                GError                    **error)
{
  const ObSendCandidate *c = r->c;
  const ObSendOutcome *o = &r->o;
  gint64 account_id = r->account_id;
  gint64 now = r->now;
  g_autofree char *data = o->attempt ? attempt_data (r->reason) : NULL;

  /* Never wait for another writer on the main thread: the caller keeps
   * the outcome and writes it later (pending_outcomes). */
  if (!ob_store_begin_now (self->store, error))
    return FALSE;

  if (!set_row (self, c->queue_id, o->row_state, o->due_at, o->clear_account, r->code, r->reply, now, error) ||
      !_ob_sending_add_event (self->store, now, o->event, c->contact_id, c->campaign_id, c->position,
                              c->queue_id, account_id, r->reply, r->detail, data, error))
    goto fail;

  if (o->sent &&
      (!_ob_sending_schedule_next_step (self->store, c->campaign_id, c->contact_id, c->position,
                                        now, error) ||
       !bump_contact (self, c->contact_id,
                      "UPDATE contacts SET last_contacted_at = ?1 WHERE id = ?2", now, error)))
    goto fail;

  if (o->hard &&
      !bump_contact (self, c->contact_id,
                     "UPDATE contacts SET bounce_count = bounce_count + 1, updated_at = ?1 WHERE id = ?2",
                     now, error))
    goto fail;
  if (g_strcmp0 (o->event, "soft_bounce") == 0 &&
      !bump_contact (self, c->contact_id,
                     "UPDATE contacts SET soft_bounce_count = soft_bounce_count + 1, updated_at = ?1 "
                     "WHERE id = ?2", now, error))
    goto fail;

  if (o->suppress != NULL &&
      !suppress (self, c, account_id, o->suppress, r->detail, now, error))
    goto fail;

  if (g_strcmp0 (o->row_state, "failed") == 0 &&
      !_ob_sending_skip_later_steps (self->store, c->campaign_id, c->contact_id, c->position, now, error))
    goto fail;

  if (!_ob_sending_update_done (self->store, c->campaign_id, now, NULL, error))
    goto fail;

  /* The follow-ups go in the same transaction: written after a commit of
   * their own, they would wait for a writer that took the database in
   * between (on the main thread), or be lost when it held on. */
  if (o->hard)
    note_hard_bounce (self, follow, c->domain, c->campaign_id, now);
  if (o->attempt)
    _ob_send_engine_check_guard (self, follow, c->campaign_id, account_id, now);

  return ob_store_commit (self->store, error);

fail:
  ob_store_rollback (self->store);
  return FALSE;
}

/* Writes an outcome and does what follows from it. FALSE when the
 * database is busy with another writer: nothing is written, try again. */
static gboolean
commit_outcome (ObSendEngine              *self,
                const ObSendOutcomeRecord *r)
{
  g_autoptr(GError) error = NULL;
  g_auto(ObSendFollowUps) follow = { 0 };

  if (!_ob_send_engine_record_outcome (self, r, &follow, &error))
    {
      if (g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
        return FALSE;
      g_warning ("Cannot record the outcome of message %" G_GINT64_FORMAT ": %s",
                 r->c->queue_id, error->message);
      return TRUE;
    }
  g_signal_emit (self, _ob_send_engine_signals[OB_SEND_SIGNAL_OUTCOME], 0, r->c->queue_id, r->o.event);
  g_signal_emit (self, _ob_send_engine_signals[OB_SEND_SIGNAL_PROGRESS], 0, r->c->campaign_id);
  announce (self, &follow);
  return TRUE;
}

/* Writes the outcomes kept for a busy database; TRUE when none is left. */
gboolean
_ob_send_engine_commit_pending_outcomes (ObSendEngine *self)
{
  for (guint i = 0; i < self->pending_outcomes->len;)
    {
      if (!commit_outcome (self, g_ptr_array_index (self->pending_outcomes, i)))
        return FALSE;
      g_ptr_array_remove_index (self->pending_outcomes, i);
    }
  return TRUE;
}

/* Works out and writes the outcome of a send. TRUE when the database was
 * busy and the outcome is kept for later: it then owns @c. */
gboolean
_ob_send_engine_handle_result (ObSendEngine    *self,
                               ObSendCandidate *c,
                               gint64           account_id,
                               GPtrArray       *results,
                               const GError    *send_error,
                               gint64           now)
{
  ObSendOutcomeRecord *record;
  gboolean kept;
  g_autofree char *reply = NULL;
  g_autofree char *detail = NULL;
  ObReplyVerdict verdict = { 0 };
  ObSendOutcome o = { 0 };
  int code = 0;

  if (send_error != NULL)
    {
      reply = g_strdup (send_error->message);
      if (g_error_matches (send_error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_UNCERTAIN))
        {
          o.event = "uncertain";
          o.row_state = "uncertain";
          o.attempt = TRUE; /* it most likely reached the server: count it for pacing */
          detail = g_strdup (_("The connection broke after the message was handed over: "
                               "it may have been delivered. Check the Sent folder, then choose."));
        }
      else if (g_error_matches (send_error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH) ||
               g_error_matches (send_error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_TLS))
        {
          /* The sender's problem: back off the account, keep the contact. */
          o.event = "blocked";
          o.row_state = "retry";
          o.due_at = now;
          o.clear_account = c->position == 1;
          back_off_account (self, account_id, now);
          detail = g_strdup (_("The sending account could not connect; it rests before trying again"));
        }
      else
        {
          o.event = "retry";
          o.row_state = "retry";
          o.due_at = now + RETRY_TEMPORARY_S;
          _ob_send_engine_account_state (self, account_id)->backoff_until = now + RETRY_TEMPORARY_S;
        }
    }
  else
    {
      const ObRecipientResult *r = results != NULL && results->len > 0 ? g_ptr_array_index (results, 0) : NULL;

      code = r ? r->code : 0;
      reply = r ? ob_recipient_result_to_string (r) : g_strdup ("");

      if (code >= 200 && code < 300)
        {
          o.event = "sent";
          o.row_state = "sent";
          o.attempt = TRUE;
          o.sent = TRUE;
          g_hash_table_remove (self->domain_streaks, c->domain);
          _ob_send_engine_account_state (self, account_id)->block_streak = 0;
        }
      else
        {
          ob_reply_classifier_classify (self->classifier, code, r ? r->enhanced : NULL,
                                        r ? r->text : NULL, &verdict);
          o.attempt = TRUE;
          switch (verdict.action)
            {
            case OB_SEND_ACTION_SUPPRESS:
              o.event = "hard_bounce";
              o.row_state = "failed";
              o.hard = TRUE;
              o.suppress = "hard-bounce";
              detail = g_strdup (_("The address does not exist or refuses mail: suppressed"));
              break;

            case OB_SEND_ACTION_PAUSE_SENDER:
              o.event = "blocked";
              o.row_state = "retry";
              o.due_at = now;
              o.clear_account = c->position == 1;
              back_off_account (self, account_id, now);
              detail = g_strdup (_("The recipient’s server refused the sender, not the address: "
                                   "the account rests, the contact is kept"));
              break;

            case OB_SEND_ACTION_RETRY:
            default:
              if (verdict.kind == OB_SEND_BOUNCE_SOFT || verdict.action == OB_SEND_ACTION_RETRY)
                {
                  /* Count today's bounce with the earlier days. */
                  g_autoptr(sqlite3_stmt) today = NULL;
                  int days = soft_bounce_days (self, c->contact_id);

                  today = ob_store_prepare (self->store,
                                            "SELECT 1 FROM events WHERE contact_id = ?1 "
                                            "AND kind = 'soft_bounce' AND at / 86400 = ?2 / 86400",
                                            NULL);
                  if (today != NULL)
                    {
                      sqlite3_bind_int64 (today, 1, c->contact_id);
                      sqlite3_bind_int64 (today, 2, now);
                      if (sqlite3_step (today) != SQLITE_ROW)
                        days++;
                    }
                  o.event = "soft_bounce";
                  if (days >= OB_SEND_ENGINE_SOFT_STRIKES)
                    {
                      o.row_state = "failed";
                      o.suppress = "soft-bounce";
                      detail = g_strdup_printf (_("Soft bounces on %d separate days: suppressed"), days);
                    }
                  else
                    {
                      /* Back off across days: the next try is on a later day. */
                      o.row_state = "retry";
                      o.due_at = now + 86400 * (gint64) days;
                      detail = g_strdup_printf (_("Temporary failure (%d of %d): trying again on a later day"),
                                                days, OB_SEND_ENGINE_SOFT_STRIKES);
                    }
                }
              else if (code >= 500)
                {
                  o.event = "failed";
                  o.row_state = "failed";
                  detail = g_strdup (_("The server refused the message"));
                }
              else
                {
                  o.event = "retry";
                  o.row_state = "retry";
                  o.due_at = now + RETRY_TEMPORARY_S;
                }
              break;
            }
        }
    }

  record = g_new0 (ObSendOutcomeRecord, 1);
  *record = (ObSendOutcomeRecord) {
    .c = c, .account_id = account_id, .o = o, .code = code, .reply = g_steal_pointer (&reply),
    .detail = g_steal_pointer (&detail), .reason = g_strdup (verdict.reason), .now = now,
  };
  kept = !commit_outcome (self, record);
  if (kept)
    g_ptr_array_add (self->pending_outcomes, record);
  else
    {
      record->c = NULL; /* the caller's */
      _ob_send_outcome_record_free (record);
    }

  ob_reply_verdict_clear (&verdict);
  return kept;
}

typedef struct
{
  ObSendEngine     *self;
  gint64            queue_id;
  const char       *message_id;
  ObSendBounceKind  kind;
  const char       *reply;
  const char       *reason;
  gint64            now;
  ObSendCandidate  *row;
} BounceData;

static gboolean
bounce_in_transaction (ObStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  BounceData *data = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  ObSendCandidate *c;

  stmt = ob_store_prepare (store,
                           "SELECT q.id, q.campaign_id, q.contact_id, coalesce(q.account_id, 0), "
                           "s.position, c.domain FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                           "JOIN contacts c ON c.id = q.contact_id "
                           "WHERE (?1 > 0 AND q.id = ?1) OR (?1 <= 0 AND q.message_id = ?2)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->queue_id);
  sqlite3_bind_text (stmt, 2, data->message_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                   _("No message sent by a campaign matches this bounce"));
      return FALSE;
    }
  c = data->row = g_new0 (ObSendCandidate, 1);
  c->queue_id = sqlite3_column_int64 (stmt, 0);
  c->campaign_id = sqlite3_column_int64 (stmt, 1);
  c->contact_id = sqlite3_column_int64 (stmt, 2);
  c->account_id = sqlite3_column_int64 (stmt, 3);
  c->position = sqlite3_column_int (stmt, 4);
  c->domain = _ob_send_dup_column (stmt, 5);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "async");
  json_builder_add_boolean_value (b, TRUE);
  if (data->reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, data->reason);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  if (data->kind == OB_SEND_BOUNCE_HARD)
    {
      const char *detail = _("A bounce came back later: the address does not exist or refuses mail");

      return _ob_sending_add_event (store, data->now, "hard_bounce", c->contact_id, c->campaign_id,
                                    c->position, c->queue_id, c->account_id, data->reply, detail,
                                    json, error) &&
             bump_contact (data->self, c->contact_id,
                           "UPDATE contacts SET bounce_count = bounce_count + 1, updated_at = ?1 "
                           "WHERE id = ?2", data->now, error) &&
             suppress (data->self, c, c->account_id, "hard-bounce", detail, data->now, error) &&
             _ob_sending_update_done (store, c->campaign_id, data->now, NULL, error);
    }

  if (!_ob_sending_add_event (store, data->now, "soft_bounce", c->contact_id, c->campaign_id,
                              c->position, c->queue_id, c->account_id, data->reply,
                              _("A delay or temporary failure came back later"), json, error) ||
      !bump_contact (data->self, c->contact_id,
                     "UPDATE contacts SET soft_bounce_count = soft_bounce_count + 1, updated_at = ?1 "
                     "WHERE id = ?2", data->now, error))
    return FALSE;

  if (soft_bounce_days (data->self, c->contact_id) >= OB_SEND_ENGINE_SOFT_STRIKES)
    {
      g_autofree char *detail = g_strdup_printf (_("Soft bounces on %d separate days: suppressed"),
                                                 OB_SEND_ENGINE_SOFT_STRIKES);
      return suppress (data->self, c, c->account_id, "soft-bounce", detail, data->now, error) &&
             _ob_sending_update_done (store, c->campaign_id, data->now, NULL, error);
    }
  return TRUE;
}

/* A bounce found later (a DSN in the mailbox) for the message of queue
 * row @queue_id, or — when that is 0 — of Message-ID @message_id. Hard
 * ones suppress the contact; soft ones count towards the three strikes.
 * Both count in the bounce-rate guard.
 *
 * Like the engine's own writes it never waits for another writer (it
 * runs on the main thread): while another connection holds the database
 * it fails at once with OB_STORE_ERROR_BUSY, nothing written, and the
 * caller tries again later (the mailbox poller reads the mail again at
 * its next pass). The bounce and all that follows from it are one
 * transaction. */
gboolean
ob_send_engine_record_bounce (ObSendEngine      *self,
                              gint64             queue_id,
                              const char        *message_id,
                              ObSendBounceKind   kind,
                              const char        *reply,
                              const char        *reason,
                              GError           **error)
{
  BounceData data = { self, queue_id, message_id, kind, reply, reason, 0, NULL };
  g_auto(ObSendFollowUps) follow = { 0 };
  gboolean in_callers_transaction;
  gboolean ok;

  g_return_val_if_fail (OB_IS_SEND_ENGINE (self), FALSE);
  g_return_val_if_fail (queue_id > 0 || message_id != NULL, FALSE);
  g_return_val_if_fail (kind == OB_SEND_BOUNCE_HARD || kind == OB_SEND_BOUNCE_SOFT, FALSE);

  data.now = ob_clock_now (self->clock);
  /* SQLite's own word: a transaction is open on the connection, so the
   * commit below only releases a savepoint. */
  in_callers_transaction = !sqlite3_get_autocommit (ob_store_get_db (self->store));
  if (!ob_store_begin_now (self->store, error))
    return FALSE;
  ok = bounce_in_transaction (self->store, &data, error);
  if (ok)
    {
      if (kind == OB_SEND_BOUNCE_HARD)
        note_hard_bounce (self, &follow, data.row->domain, data.row->campaign_id, data.now);
      _ob_send_engine_check_guard (self, &follow, data.row->campaign_id, data.row->account_id, data.now);
      ok = ob_store_commit (self->store, error);
    }
  else
    ob_store_rollback (self->store);
  if (ok && in_callers_transaction)
    {
      ObSendUncommitted *u = g_new0 (ObSendUncommitted, 1);

      u->campaign_id = data.row->campaign_id;
      u->follow = follow;
      follow = (ObSendFollowUps) { 0 }; /* now the waiting bounce's */
      g_ptr_array_add (self->uncommitted_bounces, u);
    }
  else if (ok)
    {
      g_signal_emit (self, _ob_send_engine_signals[OB_SEND_SIGNAL_PROGRESS], 0, data.row->campaign_id);
      announce (self, &follow);
      ob_send_engine_wake (self);
    }
  g_clear_pointer (&data.row, _ob_send_candidate_free);
  return ok;
}

void
_ob_send_uncommitted_free (ObSendUncommitted *u)
{
  _ob_send_follow_ups_clear (&u->follow);
  g_free (u);
}

/* The transaction of the bounces in uncommitted_bounces ended: committed,
 * the engine's memory and the signals catch up with them, as after a
 * bounce of its own; otherwise they were never written, and nothing
 * follows. */
void
_ob_send_engine_end_bounces (ObSendEngine *self,
                             gboolean      committed)
{
  g_autoptr(GPtrArray) ended = NULL;

  if (self->uncommitted_bounces->len == 0)
    return;
  ended = g_steal_pointer (&self->uncommitted_bounces);
  self->uncommitted_bounces = g_ptr_array_new_with_free_func ((GDestroyNotify) _ob_send_uncommitted_free);
  if (!committed)
    {
      g_debug ("%u bounces were not written (the transaction did not commit): nothing follows from them",
               ended->len);
      return;
    }
  for (guint i = 0; i < ended->len; i++)
    {
      ObSendUncommitted *u = g_ptr_array_index (ended, i);

      g_signal_emit (self, _ob_send_engine_signals[OB_SEND_SIGNAL_PROGRESS], 0, u->campaign_id);
      announce (self, &u->follow);
    }
  ob_send_engine_wake (self);
}
