/* ob-reply-classifier.h — the seam between the send engine and bounces
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  OB_SEND_BOUNCE_NONE,
  OB_SEND_BOUNCE_HARD, /* the address itself is bad */
  OB_SEND_BOUNCE_SOFT, /* temporary, on the recipient's side */
} ObSendBounceKind;

typedef enum
{
  OB_SEND_ACTION_NONE,
  OB_SEND_ACTION_SUPPRESS,     /* suppress the contact now */
  OB_SEND_ACTION_RETRY,        /* try again later */
  OB_SEND_ACTION_PAUSE_SENDER, /* the sender is blocked or slowed: back off the account */
} ObSendAction;

typedef struct
{
  ObSendBounceKind kind;
  ObSendAction     action;
  char            *reason; /* Sisimai's vocabulary: "userunknown", "mailboxfull"… */
} ObReplyVerdict;

void ob_reply_verdict_clear (ObReplyVerdict *verdict);

#define OB_TYPE_REPLY_CLASSIFIER (ob_reply_classifier_get_type ())

G_DECLARE_INTERFACE (ObReplyClassifier, ob_reply_classifier, OB, REPLY_CLASSIFIER, GObject)

struct _ObReplyClassifierInterface
{
  GTypeInterface parent_iface;

  void (*classify) (ObReplyClassifier *self,
                    int                code,
                    const char        *enhanced,
                    const char        *text,
                    ObReplyVerdict    *verdict);
};

void ob_reply_classifier_classify (ObReplyClassifier *self,
                                   int                code,
                                   const char        *enhanced,
                                   const char        *text,
                                   ObReplyVerdict    *verdict);

G_END_DECLS
