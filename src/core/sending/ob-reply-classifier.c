/* ob-reply-classifier.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-reply-classifier.h"

G_DEFINE_INTERFACE (ObReplyClassifier, ob_reply_classifier, G_TYPE_OBJECT)

static void
ob_reply_classifier_default_init (ObReplyClassifierInterface *iface)
{
}

void
ob_reply_verdict_clear (ObReplyVerdict *verdict)
{
  g_clear_pointer (&verdict->reason, g_free);
  verdict->kind = OB_SEND_BOUNCE_NONE;
  verdict->action = OB_SEND_ACTION_NONE;
}

/* Classifies one SMTP reply (@enhanced may be NULL). @verdict is filled
 * in; release it with ob_reply_verdict_clear(). */
void
ob_reply_classifier_classify (ObReplyClassifier *self,
                              int                code,
                              const char        *enhanced,
                              const char        *text,
                              ObReplyVerdict    *verdict)
{
  g_return_if_fail (OB_IS_REPLY_CLASSIFIER (self));
  g_return_if_fail (verdict != NULL);

  verdict->kind = OB_SEND_BOUNCE_NONE;
  verdict->action = OB_SEND_ACTION_NONE;
  verdict->reason = NULL;
  OB_REPLY_CLASSIFIER_GET_IFACE (self)->classify (self, code, enhanced, text, verdict);
}
