/* ob-bounce-sink.h — where the mailbox poller hands the bounces it matched
 * to a sent message. The sending area implements it (the send engine), so
 * a later bounce counts like one at send time; bounces cannot call sending.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ob-bounce-reason.h"

G_BEGIN_DECLS

#define OB_TYPE_BOUNCE_SINK (ob_bounce_sink_get_type ())

G_DECLARE_INTERFACE (ObBounceSink, ob_bounce_sink, OB, BOUNCE_SINK, GObject)

struct _ObBounceSinkInterface
{
  GTypeInterface parent_iface;

  gint64 (*record_bounce)     (ObBounceSink  *self,
                               const char    *message_id,
                               ObBounceKind   kind,
                               const char    *reply,
                               const char    *reason,
                               GError       **error);
  void   (*transaction_ended) (ObBounceSink  *self,
                               gboolean       committed);
};

/* Records a bounce of the sent message @message_id (without <>); @kind is
 * hard or soft. Returns the id of the event written, 0 with @error:
 * OB_STORE_ERROR_BUSY, nothing written, when another connection holds
 * the database (it never waits).
 *
 * The poller calls it inside the mail's own transaction, so what it
 * writes is only in the database once the poller's COMMIT succeeds; the
 * sink keeps what follows in memory (the engine's paused domains, its
 * signals) until the poller reports how that transaction ended with
 * ob_bounce_sink_transaction_ended(). Called outside a transaction, it
 * commits and follows up at once. */
gint64 ob_bounce_sink_record_bounce     (ObBounceSink  *self,
                                         const char    *message_id,
                                         ObBounceKind   kind,
                                         const char    *reply,
                                         const char    *reason,
                                         GError       **error);
/* The caller's transaction around ob_bounce_sink_record_bounce() ended:
 * @committed TRUE, its bounces are in the database and the sink follows
 * up on them; FALSE (rolled back, or the COMMIT failed: a full disk, an
 * I/O error), they are not, and the sink forgets them. */
void   ob_bounce_sink_transaction_ended (ObBounceSink  *self,
                                         gboolean       committed);

G_END_DECLS
