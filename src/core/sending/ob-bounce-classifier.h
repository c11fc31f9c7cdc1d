/* ob-bounce-classifier.h — the send engine's reply classifier over the
 * bounces area's SMTP reply rules
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-reply-classifier.h"

G_BEGIN_DECLS

#define OB_TYPE_BOUNCE_CLASSIFIER (ob_bounce_classifier_get_type ())

G_DECLARE_FINAL_TYPE (ObBounceClassifier, ob_bounce_classifier, OB, BOUNCE_CLASSIFIER, GObject)

ObBounceClassifier *ob_bounce_classifier_new (void);

G_END_DECLS
