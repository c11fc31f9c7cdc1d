/* ob-bounce-report.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "ob-bounce-rules.h"

G_BEGIN_DECLS

/* One recipient of a bounce mail, with what the report said about it and
 * how it was classified. */
typedef struct
{
  char            *recipient;          /* the final recipient */
  char            *original_recipient;
  char            *dsn_action;         /* RFC 3464 Action: failed, delayed… */
  char            *diagnostic;         /* the server's words */
  char            *remote_mta;
  gboolean         status_derived;     /* verdict.status came from the reason */
  ObBounceVerdict  verdict;
} ObBounceRecipient;

/* What a mail turned out to be: a bounce (one or more recipients), a
 * complaint (ARF), an auto-reply, or ordinary mail. */
typedef struct
{
  gboolean        is_bounce;
  gboolean        is_feedback;       /* an ARF complaint report */
  gboolean        is_auto_reply;     /* RFC 3834 / out of office */
  GPtrArray      *recipients;        /* ObBounceRecipient */
  char           *original_message_id; /* of the returned message, without <> */
  char           *original_from;
  char           *original_to;
  char           *original_subject;
  GPtrArray      *candidate_message_ids; /* char*, without <>, best first */
  /* The mail's own headers, for reply detection. */
  char           *message_id;
  char           *from;
  char           *subject;
  char           *in_reply_to;
  GPtrArray      *references;        /* char*, without <> */
  char           *first_lines;       /* the start of the body text */
} ObBounceReport;


ObBounceReport *ob_bounce_report_parse       (GMimeMessage   *message);
ObBounceReport *ob_bounce_report_parse_data  (const char     *data,
                                              gsize           length,
                                              GError        **error);
void            ob_bounce_report_free        (ObBounceReport *report);
GPtrArray      *ob_bounce_report_parse_file  (const char     *path,
                                              GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObBounceReport, ob_bounce_report_free)

G_END_DECLS
