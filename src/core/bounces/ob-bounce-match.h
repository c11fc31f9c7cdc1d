/* ob-bounce-match.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-bounce-report.h"

G_BEGIN_DECLS

/* Answers whether @message_id (without <>) is one Outbound sent, e.g. by
 * "SELECT … FROM queue WHERE message_id = ?". */
typedef gboolean (*ObMessageIdLookup) (const char *message_id,
                                       gpointer    user_data);

const char *ob_bounce_report_find_sent_message   (ObBounceReport    *report,
                                                  ObMessageIdLookup  lookup,
                                                  gpointer           user_data);
const char *ob_bounce_report_get_final_recipient (ObBounceReport    *report,
                                                  guint              index);
const char *ob_bounce_report_find_reply_to       (ObBounceReport    *report,
                                                  ObMessageIdLookup  lookup,
                                                  gpointer           user_data);
gboolean    ob_bounce_report_is_unsubscribe      (ObBounceReport    *report);
gboolean    ob_bounce_text_is_unsubscribe        (const char        *subject,
                                                  const char        *body);

G_END_DECLS
