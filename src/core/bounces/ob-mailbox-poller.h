/* ob-mailbox-poller.h — one pass over an account's mailbox (INBOX and
 * Junk) for bounces, complaints, replies and unsubscribe requests
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-bounce-sink.h"
#include "ob-store.h"

G_BEGIN_DECLS

/* What one pass found. */
typedef struct
{
  guint scanned;      /* messages read */
  guint bounces;      /* matched to a sent message and recorded */
  guint complaints;   /* ARF reports: the contact suppressed */
  guint replies;      /* a contact replied: follow-ups stop */
  guint unsubscribes; /* a contact asked to be removed */
  guint auto_replies; /* out of office and the like: nothing done */
  guint unmatched;    /* bounces or reports about no message of ours */
  guint other;        /* ordinary mail */
  guint seen_before;  /* already handled by an earlier pass */
  guint moved;        /* bounce mails moved to the bounce folder (opt-in) */
  guint move_failed;  /* bounce mails that could not be moved: they stay */
} ObMailboxPollResult;

#define OB_TYPE_MAILBOX_POLLER (ob_mailbox_poller_get_type ())

G_DECLARE_FINAL_TYPE (ObMailboxPoller, ob_mailbox_poller, OB, MAILBOX_POLLER, GObject)

/* @sink receives the bounces matched to sent messages (the send engine). */
ObMailboxPoller *ob_mailbox_poller_new         (ObStore              *store,
                                                ObBounceSink         *sink);
/* @folder as the user typed it (UTF-8); see the .c for the spelling. */
gboolean         ob_mailbox_poller_set_bounce_folder (ObMailboxPoller *self,
                                                const char           *folder,
                                                GError              **error);
/* Never waits for another connection's write: while one holds the
 * database the pass stops with OB_STORE_ERROR_BUSY, and the next pass
 * reads the mails it did not handle again. */
void             ob_mailbox_poller_poll_async  (ObMailboxPoller      *self,
                                                gint64                account_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean         ob_mailbox_poller_poll_finish (ObMailboxPoller      *self,
                                                GAsyncResult         *result,
                                                ObMailboxPollResult  *out,
                                                GError              **error);

G_END_DECLS
