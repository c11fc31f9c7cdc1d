/* ob-bounce-reason.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why a message did not arrive, in Sisimai's public vocabulary (CLI.md). */
typedef enum
{
  OB_BOUNCE_REASON_UNDEFINED,
  OB_BOUNCE_REASON_USERUNKNOWN,
  OB_BOUNCE_REASON_HOSTUNKNOWN,
  OB_BOUNCE_REASON_HASMOVED,
  OB_BOUNCE_REASON_MAILBOXFULL,
  OB_BOUNCE_REASON_FILTERED,
  OB_BOUNCE_REASON_REJECTED,
  OB_BOUNCE_REASON_BLOCKED,
  OB_BOUNCE_REASON_SPAMDETECTED,
  OB_BOUNCE_REASON_POLICYVIOLATION,
  OB_BOUNCE_REASON_VIRUSDETECTED,
  OB_BOUNCE_REASON_EXPIRED,
  OB_BOUNCE_REASON_SUSPEND,
  OB_BOUNCE_REASON_TOOMANYCONN,
  OB_BOUNCE_REASON_SPEEDING,
  OB_BOUNCE_REASON_EXCEEDLIMIT,
  OB_BOUNCE_REASON_MESGTOOBIG,
  OB_BOUNCE_REASON_NETWORKERROR,
  OB_BOUNCE_REASON_NOTACCEPT,
  OB_BOUNCE_REASON_SECURITYERROR,
  OB_BOUNCE_REASON_FAILEDSTARTTLS,
  OB_BOUNCE_REASON_SYSTEMERROR,
  OB_BOUNCE_REASON_SYSTEMFULL,
  OB_BOUNCE_REASON_CONTENTERROR,
  OB_BOUNCE_REASON_NORELAYING,
  OB_BOUNCE_REASON_AUTHFAILURE,
  OB_BOUNCE_REASON_BADREPUTATION,
  OB_BOUNCE_REASON_REQUIREPTR,
  OB_BOUNCE_REASON_NOTCOMPLIANTRFC,
  OB_BOUNCE_REASON_SYNTAXERROR,
  OB_BOUNCE_REASON_MAILERERROR,
  OB_BOUNCE_REASON_ONHOLD,
  OB_BOUNCE_REASON_VACATION,
  OB_BOUNCE_REASON_FEEDBACK,
  OB_BOUNCE_REASON_DELIVERED,
  OB_BOUNCE_REASON_LAST
} ObBounceReason;

/* hard: the address itself is bad; soft: try again later; none: not a
 * delivery failure (delivered, vacation, feedback). */
typedef enum
{
  OB_BOUNCE_KIND_NONE,
  OB_BOUNCE_KIND_SOFT,
  OB_BOUNCE_KIND_HARD,
} ObBounceKind;

/* What the send engine does about it. Sender-side blocks pause the
 * sending account and never suppress the contact. */
typedef enum
{
  OB_BOUNCE_ACTION_NONE,
  OB_BOUNCE_ACTION_RETRY,
  OB_BOUNCE_ACTION_SUPPRESS,
  OB_BOUNCE_ACTION_PAUSE_SENDER,
} ObBounceAction;

const char     *ob_bounce_reason_to_string    (ObBounceReason  reason);
gboolean        ob_bounce_reason_from_string  (const char     *name,
                                               ObBounceReason *reason);
const char     *ob_bounce_reason_describe     (ObBounceReason  reason);
const char     *ob_bounce_kind_to_string      (ObBounceKind    kind);
const char     *ob_bounce_action_to_string    (ObBounceAction  action);
ObBounceKind    ob_bounce_reason_get_kind     (ObBounceReason  reason,
                                               gboolean        permanent);
ObBounceAction  ob_bounce_reason_get_action   (ObBounceReason  reason,
                                               gboolean        permanent);
gboolean        ob_bounce_reason_is_sender_side (ObBounceReason reason);

G_END_DECLS
