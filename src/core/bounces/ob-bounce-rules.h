/* ob-bounce-rules.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-bounce-reason.h"

G_BEGIN_DECLS

/* The classification of one SMTP reply or one recipient of a bounce.
 * @rule names what fired ("phrase:en:user unknown", "status:5.1.1",
 * "code:552"…); it points into static tables and is never freed. */
typedef struct
{
  ObBounceReason  reason;
  ObBounceKind    kind;
  ObBounceAction  action;
  int             reply_code;  /* 0 when none */
  char            status[16];  /* "5.1.1", or "" */
  const char     *rule;
} ObBounceVerdict;

void     ob_bounce_classify             (int              reply_code,
                                         const char      *status,
                                         const char      *text,
                                         ObBounceVerdict *verdict);
gboolean ob_bounce_classify_reply_line  (const char      *line,
                                         ObBounceVerdict *verdict);

/* Helpers shared with the bounce-mail parser. */
gboolean ob_bounce_find_status          (const char      *text,
                                         char             status[16]);
int      ob_bounce_find_reply_code      (const char      *text);
gboolean ob_bounce_match_phrase         (const char      *text,
                                         ObBounceReason  *reason,
                                         const char     **rule);
gboolean ob_bounce_status_is_strong     (const char      *status);
char    *ob_bounce_normalize_text       (const char      *text);

G_END_DECLS
