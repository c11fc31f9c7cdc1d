/* ob-bounce-report-private.h — what the parts of the bounce-mail parser
 * share: ob-bounce-report.c decides what a mail is and calls the others,
 * ob-bounce-mime.c takes the mail apart, ob-bounce-dsn.c, ob-bounce-text.c
 * and ob-bounce-json.c read the three shapes of report into recipients,
 * ob-bounce-feedback.c reads ARF complaints, and ob-bounce-recipient.c
 * settles each recipient's verdict.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "ob-bounce-report.h"

G_BEGIN_DECLS

/* A report with more recipients than this is cut there. */
#define OB_BOUNCE_MAX_RECIPIENTS 200

/* ---- ob-bounce-mime.c: taking the mail apart ---------------------------- */

/* What a walk over a mail's MIME tree collects, as text. */
typedef struct
{
  GString   *human;          /* the text parts before the returned message */
  GString   *dsn;            /* message/delivery-status content */
  GString   *feedback;       /* message/feedback-report content */
  GString   *returned;       /* headers of the returned message, as text */
  GMimeMessage *returned_message;
  guint      depth;          /* forwarded reports inside reports */
} ObBounceWalk;

void        _ob_bounce_walk_object          (ObBounceWalk   *walk,
                                             GMimeObject    *object);
const char *_ob_bounce_find_returned_marker (const char     *text);
char       *_ob_bounce_header_in_text       (const char     *text,
                                             const char     *name);

/* ---- ob-bounce-dsn.c: RFC 3464 fields ----------------------------------- */

/* One "Name: value" field of a delivery-status or feedback-report block. */
typedef struct
{
  char *name;   /* lower-case */
  char *value;
} ObBounceField;

GPtrArray  *_ob_bounce_parse_field_blocks   (const char     *text);
char       *_ob_bounce_typed_value          (const char     *value);
/* Where RFC 3464 fields pasted into plain text start, or NULL. */
const char *_ob_bounce_find_inline_dsn      (const char     *text);
/* Adds a classified recipient to @report for each recipient block of
 * @dsn; @human, the report's explanation, may name the cause. */
void        _ob_bounce_parse_dsn            (ObBounceReport *report,
                                             const char     *dsn,
                                             const char     *human);

/* ---- ob-bounce-feedback.c: ARF complaints (RFC 5965) ------------------- */

/* Adds a feedback recipient to @report for each Original-Rcpt-To of the
 * message/feedback-report content @feedback (or the original's To: when
 * it names none); takes the original's Message-ID from it if @report has
 * none yet. */
void        _ob_bounce_parse_feedback       (ObBounceReport *report,
                                             const char     *feedback);

/* ---- ob-bounce-text.c: free-text reports and the addresses in them ------ */

/* The first address in @text, lower-cased, or NULL. */
char       *_ob_bounce_first_address        (const char     *text);
gboolean    _ob_bounce_is_daemon_address    (const char     *address);
const char *_ob_bounce_line_start_of        (const char     *text,
                                             const char     *p);
/* Adds a classified recipient to @report for each failed address of the
 * free-text report @text (or of @failed_recipients, the
 * X-Failed-Recipients header, when there is one). */
void        _ob_bounce_parse_free_text      (ObBounceReport *report,
                                             const char     *text,
                                             const char     *failed_recipients);

/* ---- ob-bounce-json.c: Amazon SES notifications ------------------------- */

/* TRUE when @text is such a notification naming recipients, which are
 * added to @report. */
gboolean    _ob_bounce_parse_json_notification (ObBounceReport *report,
                                                const char     *text);

/* ---- ob-bounce-recipient.c: the verdict on one recipient ---------------- */

void        _ob_bounce_recipient_free       (gpointer        data);
/* Settles @r's verdict from its diagnostic, @status, @reply_code and
 * @context (the report's explanation, or NULL). */
void        _ob_bounce_classify_recipient   (ObBounceRecipient *r,
                                             const char        *status,
                                             int                reply_code,
                                             const char        *context);
void        _ob_bounce_add_feedback_recipient (ObBounceReport *report,
                                               char           *recipient,
                                               char           *remote_mta,
                                               char           *diagnostic,
                                               const char     *rule);
/* Lets data/profiles.txt have the last word on each recipient. */
void        _ob_bounce_apply_profiles       (ObBounceReport *report,
                                             GMimeObject    *headers,
                                             const char     *context);

/* ---- ob-bounce-report.c ------------------------------------------------- */

/* "<id@host>" -> "id@host"; NULL when nothing is left. */
char       *_ob_bounce_strip_angles         (const char     *id);

G_END_DECLS
