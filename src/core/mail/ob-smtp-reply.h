/* ob-smtp-reply.h — SMTP replies (RFC 5321 §4.2) with RFC 3463 enhanced
 * status codes, and the EHLO capability list.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  guint   code;     /* 250, 550… */
  char   *enhanced; /* "5.1.1", or NULL when the server gave none */
  char   *text;     /* the lines' text without codes, joined with "\n" */
  GStrv   lines;    /* the lines as received */
} ObSmtpReply;

#define OB_TYPE_SMTP_REPLY (ob_smtp_reply_get_type ())

GType        ob_smtp_reply_get_type      (void) G_GNUC_CONST;
ObSmtpReply *ob_smtp_reply_new           (guint              code,
                                          const char        *enhanced,
                                          const char        *text);
ObSmtpReply *ob_smtp_reply_copy          (const ObSmtpReply *reply);
void         ob_smtp_reply_free          (ObSmtpReply       *reply);
/* "550 5.1.1 User unknown" (lines joined with a space): for logs and the queue. */
char        *ob_smtp_reply_to_string     (const ObSmtpReply *reply);
gboolean     ob_smtp_reply_is_positive   (const ObSmtpReply *reply);  /* 2xx/3xx */
gboolean     ob_smtp_reply_is_transient  (const ObSmtpReply *reply);  /* 4xx */
gboolean     ob_smtp_reply_is_permanent  (const ObSmtpReply *reply);  /* 5xx */

/* Reads a reply line by line. */
typedef struct _ObSmtpReplyParser ObSmtpReplyParser;

ObSmtpReplyParser *ob_smtp_reply_parser_new   (void);
void               ob_smtp_reply_parser_free  (ObSmtpReplyParser  *parser);
/* Feeds one line without its CRLF. Returns FALSE with @error on a malformed
 * line; otherwise TRUE, and *@reply is set once the last line came. */
gboolean           ob_smtp_reply_parser_feed  (ObSmtpReplyParser  *parser,
                                               const char         *line,
                                               ObSmtpReply       **reply,
                                               GError            **error);

/* Parses a whole reply (CRLF or LF separated lines). Text after the last
 * line is an error. */
ObSmtpReply *ob_smtp_reply_parse         (const char        *data,
                                          gsize              len,
                                          GError           **error);

/* The EHLO keywords (upper case) → their parameters ("" when none). */
GHashTable  *ob_smtp_reply_parse_ehlo    (const ObSmtpReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSmtpReply, ob_smtp_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSmtpReplyParser, ob_smtp_reply_parser_free)

G_END_DECLS
