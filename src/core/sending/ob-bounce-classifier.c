/* ob-bounce-classifier.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounce-classifier"

#include "config.h"

#include "ob-bounce-classifier.h"
#include "ob-bounce-rules.h"

/* ObReplyClassifier over ob_bounce_classify(): the bounces area decides
 * reason, kind and action; this only translates its enums. */

struct _ObBounceClassifier
{
  GObject parent_instance;
};

static void ob_bounce_classifier_iface_init (ObReplyClassifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObBounceClassifier, ob_bounce_classifier, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_REPLY_CLASSIFIER,
                                                      ob_bounce_classifier_iface_init))

static void
ob_bounce_classifier_classify (ObReplyClassifier *classifier,
                               int                code,
                               const char        *enhanced,
                               const char        *text,
                               ObReplyVerdict    *verdict)
{
  ObBounceVerdict v = { 0 };

  ob_bounce_classify (code, enhanced, text, &v);

  switch (v.kind)
    {
    case OB_BOUNCE_KIND_HARD:
      verdict->kind = OB_SEND_BOUNCE_HARD;
      break;
    case OB_BOUNCE_KIND_SOFT:
      verdict->kind = OB_SEND_BOUNCE_SOFT;
      break;
    case OB_BOUNCE_KIND_NONE:
    default:
      verdict->kind = OB_SEND_BOUNCE_NONE;
      break;
    }

  switch (v.action)
    {
    case OB_BOUNCE_ACTION_SUPPRESS:
      verdict->action = OB_SEND_ACTION_SUPPRESS;
      break;
    case OB_BOUNCE_ACTION_RETRY:
      verdict->action = OB_SEND_ACTION_RETRY;
      break;
    case OB_BOUNCE_ACTION_PAUSE_SENDER:
      verdict->action = OB_SEND_ACTION_PAUSE_SENDER;
      break;
    case OB_BOUNCE_ACTION_NONE:
    default:
      verdict->action = OB_SEND_ACTION_NONE;
      break;
    }

  g_free (verdict->reason);
  verdict->reason = g_strdup (ob_bounce_reason_to_string (v.reason));
}

static void
ob_bounce_classifier_iface_init (ObReplyClassifierInterface *iface)
{
  iface->classify = ob_bounce_classifier_classify;
}

static void
ob_bounce_classifier_class_init (ObBounceClassifierClass *klass)
{
}

static void
ob_bounce_classifier_init (ObBounceClassifier *self)
{
}

ObBounceClassifier *
ob_bounce_classifier_new (void)
{
  return g_object_new (OB_TYPE_BOUNCE_CLASSIFIER, NULL);
}
