/* ob-send-engine-private.h — the send engine's state and the functions
 * its files share: ob-send-engine.c (the object, its loop, the public
 * API), ob-send-pick.c (which queue row goes next, and when),
 * ob-send-outcome.c (what came of a send, or of a bounce found later,
 * written down) and ob-send-guard.c (the bounce-rate guard).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-pacing.h"
#include "ob-schedule.h"
#include "ob-send-engine.h"

G_BEGIN_DECLS

/* The engine object (ob-send-engine.c makes it). */
struct _ObSendEngine
{
  GObject            parent_instance;

  ObStore           *store;
  ObClock           *clock;
  ObSendTransport   *transport;
  ObMessageRenderer *renderer;
  ObReplyClassifier *classifier;

  GRand             *rand;
  GHashTable        *accounts;       /* gint64* → ObSendAccountState */
  GHashTable        *domain_streaks; /* domain → consecutive hard bounces */
  GPtrArray         *pending_outcomes; /* ObSendOutcomeRecord: sent, not yet written (database busy) */
  GPtrArray         *uncommitted_bounces; /* ObSendUncommitted: written in a caller's transaction still open */
  GHashTable        *paused_domains; /* domain → TRUE */
  GHashTable        *zones;          /* "zone|country" → GTimeZone */

  int                lock_fd;        /* one engine per database, across processes */

  guint              tick_id;
  GCancellable      *wait_cancellable;
  gboolean           running;
  gint64             until;
  GTask             *run_task;
  gulong             run_cancelled_id;
  guint              in_flight;
};

/* What the engine remembers of a sending account from one pass to the
 * next (_ob_send_engine_account_state()). */
typedef struct
{
  gint64   id;
  gint64   next_ok_at;    /* the random interval after the last send */
  gint64   backoff_until; /* sender-side trouble */
  int      block_streak;
  gint64   last_used;
  gboolean busy;          /* one connection per account */
} ObSendAccountState;

enum {
  OB_SEND_SIGNAL_PROGRESS,
  OB_SEND_SIGNAL_WARNING,
  OB_SEND_SIGNAL_PAUSED,
  OB_SEND_SIGNAL_OUTCOME,
  OB_SEND_N_SIGNALS
};

/* Made in ob_send_engine_class_init(), indexed by the enum above. */
extern guint _ob_send_engine_signals[OB_SEND_N_SIGNALS];

/* A queue row that may be sent, as a pass reads it (ob-send-pick.c). */
typedef struct
{
  gint64       queue_id;
  gint64       campaign_id;
  gint64       contact_id;
  gint64       account_id; /* 0: any of the campaign's accounts */
  gint64       due_at;
  int          position;
  char        *email;
  char        *domain;
  char        *country;
  char        *timezone;
  char        *status;
  gboolean     replied;
  gboolean     suppressed;
  ObSendWindow window;
  ObPacing     pacing;
} ObSendCandidate;

/* In ob-send-pick.c. */
void      _ob_send_candidate_free (ObSendCandidate *c);
char     *_ob_send_dup_column     (sqlite3_stmt *stmt,
                                   int           column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSendCandidate, _ob_send_candidate_free)

/* A row that must not go any more, and why (untranslated: N_()). */
typedef struct
{
  ObSendCandidate *candidate;
  const char      *reason;
} ObSendSkip;

/* What an outcome or a bounce leads to beyond its own rows: the domain's
 * streak of hard bounces (and its pause), the bounce-rate guard's warning
 * or pause. These are written in the same transaction as the outcome, so
 * a database busy with another writer keeps all of it for later
 * (pending_outcomes) and a part is never written twice or lost; the
 * engine's memory and the signals follow once that transaction is
 * committed (announce()). */
typedef struct
{
  guint   signal; /* OB_SEND_SIGNAL_WARNING or OB_SEND_SIGNAL_PAUSED, an index into _ob_send_engine_signals[] */
  gint64  campaign_id;
  char   *message;
} ObSendNotice;

typedef struct
{
  char     *streak_domain; /* the domain whose streak of hard bounces grew */
  int       streak;
  gboolean  pause_domain;  /* … to OB_SEND_ENGINE_DOMAIN_STRIKES: it is paused */
  GArray   *notices;       /* ObSendNotice, in order */
} ObSendFollowUps;

/* In ob-send-outcome.c, as are announce() and the rest of the outcome. */
void      _ob_send_follow_ups_clear  (ObSendFollowUps *follow);
void      _ob_send_follow_ups_notice (ObSendFollowUps *follow,
                                      guint            signal,
                                      gint64           campaign_id,
                                      const char      *message);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ObSendFollowUps, _ob_send_follow_ups_clear)

/* A bounce written inside a transaction that its caller owns (the
 * mailbox poller's, one per mail): the engine's savepoint was released,
 * but the bounce is in the database only once the caller's COMMIT
 * succeeds. Its follow-ups wait in uncommitted_bounces until the caller
 * says how that ended (ob_bounce_sink_transaction_ended() →
 * _ob_send_engine_end_bounces()): announced, or forgotten. */
typedef struct
{
  gint64          campaign_id;
  ObSendFollowUps follow;
} ObSendUncommitted;

/* In ob-send-outcome.c. */
void      _ob_send_uncommitted_free   (ObSendUncommitted *u);
void      _ob_send_engine_end_bounces (ObSendEngine      *self,
                                       gboolean           committed);

/* What came of a send: what is written and what follows. */
typedef struct
{
  const char *event;     /* what the log says */
  const char *row_state; /* the queue row's new state */
  gint64      due_at;
  gboolean    clear_account;
  gboolean    attempt;   /* reached the recipient's server */
  const char *suppress;  /* suppression reason, or NULL */
  gboolean    hard;
  gboolean    sent;
} ObSendOutcome;

/* An outcome with all that is written with it. One that the database
 * would not take when it came (another connection was writing) is kept
 * in pending_outcomes, owning its candidate: the row stays 'sending'
 * meanwhile, and tick_cb writes it as soon as it can. */
typedef struct
{
  ObSendCandidate *c;
  gint64           account_id;
  ObSendOutcome    o;
  int              code;
  char            *reply;
  char            *detail;
  char            *reason;
  gint64           now;
} ObSendOutcomeRecord;

/* In ob-send-outcome.c. */
void      _ob_send_outcome_record_free (ObSendOutcomeRecord *r);

/* ob-send-pick.c: which row goes next, and when. */
ObSendAccountState *_ob_send_engine_account_state (ObSendEngine *self,
                                                   gint64        account_id);
ObSendCandidate    *_ob_send_engine_pick          (ObSendEngine *self,
                                                   gint64        now,
                                                   gint64       *account_id,
                                                   gint64       *next_wake);
gboolean      _ob_send_engine_skip_rows     (ObSendEngine  *self,
                                             GPtrArray     *skips,
                                             gint64         now,
                                             GError       **error);

/* ob-send-outcome.c: what came of a send, written down. */
gboolean _ob_send_engine_record_outcome          (ObSendEngine               *self,
                                                  const ObSendOutcomeRecord  *r,
                                                  ObSendFollowUps            *follow,
                                                  GError                    **error);
gboolean _ob_send_engine_commit_pending_outcomes (ObSendEngine *self);
gboolean _ob_send_engine_handle_result           (ObSendEngine    *self,
                                                  ObSendCandidate *c,
                                                  gint64           account_id,
                                                  GPtrArray       *results,
                                                  const GError    *send_error,
                                                  gint64           now);

/* ob-send-guard.c: the bounce-rate guard. */
void     _ob_send_engine_check_guard             (ObSendEngine    *self,
                                                  ObSendFollowUps *follow,
                                                  gint64           campaign_id,
                                                  gint64           account_id,
                                                  gint64           now);

G_END_DECLS
