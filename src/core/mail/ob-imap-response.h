/* ob-imap-response.h — IMAP4rev1 server responses (RFC 3501 §7, §9):
 * tagged and untagged responses, continuation requests, and the values in
 * them — atoms, quoted strings, literals {n}, NIL and nested lists.
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
  OB_IMAP_VALUE_ATOM,   /* also numbers, flags (\Seen) and BODY[...]<...> */
  OB_IMAP_VALUE_STRING, /* quoted or literal; may hold NUL bytes */
  OB_IMAP_VALUE_NIL,
  OB_IMAP_VALUE_LIST,
} ObImapValueType;

typedef struct _ObImapValue ObImapValue;

struct _ObImapValue
{
  ObImapValueType  type;
  char            *data;  /* atom or string, NUL-terminated; NULL for NIL and lists */
  gsize            len;
  GPtrArray       *items; /* of ObImapValue, for lists */
};

typedef enum
{
  OB_IMAP_RESPONSE_TAGGED,
  OB_IMAP_RESPONSE_UNTAGGED,
  OB_IMAP_RESPONSE_CONTINUATION,
} ObImapResponseKind;

typedef struct
{
  ObImapResponseKind  kind;
  char               *tag;        /* tagged responses */
  gboolean            has_number; /* "* 5 EXISTS", "* 3 FETCH (…)" */
  guint32             number;
  char               *name;       /* upper case: "OK", "NO", "BAD", "BYE", "PREAUTH", "FETCH", "LIST"… */
  gboolean            is_status;  /* OK/NO/BAD/BYE/PREAUTH: then code and text */
  char               *code;       /* the response code without brackets ("UIDVALIDITY 3"), or NULL */
  char               *text;       /* human-readable text (status and continuation) */
  GPtrArray          *args;       /* of ObImapValue: what follows the name in data responses */
} ObImapResponse;

#define OB_TYPE_IMAP_RESPONSE (ob_imap_response_get_type ())

GType           ob_imap_response_get_type  (void) G_GNUC_CONST;
/* Parses one whole response as it came over the wire: its line(s) with the
 * literals inside ("… {5}\r\nhello …"); the final CRLF is optional. */
ObImapResponse *ob_imap_response_parse     (const char           *data,
                                            gsize                 len,
                                            GError              **error);
ObImapResponse *ob_imap_response_copy      (const ObImapResponse *response);
void            ob_imap_response_free      (ObImapResponse       *response);
gboolean        ob_imap_response_is        (const ObImapResponse *response,
                                            const char           *name);

/* When @line ends with a literal announcement "{n}" (or "{n+}"), sets
 * *@size and returns TRUE. */
gboolean        ob_imap_line_literal_size  (const char           *line,
                                            gsize                *size);

void            ob_imap_value_free         (ObImapValue          *value);
gboolean        ob_imap_value_is_atom      (const ObImapValue    *value,
                                            const char           *atom);
/* Atoms and strings as text; NULL for NIL and lists. */
const char     *ob_imap_value_get_string   (const ObImapValue    *value);
/* In a list of name/value pairs (a FETCH response), the value after @key
 * (compared without case); a key with an unclosed '[' matches as a
 * prefix, e.g. "BODY[HEADER" finds "BODY[HEADER.FIELDS (MESSAGE-ID)]". */
const ObImapValue *ob_imap_value_lookup    (const ObImapValue    *list,
                                            const char           *key);

/* "text" quoted for a command, or NULL when it needs a literal (CR, LF,
 * NUL or non-ASCII bytes). */
char           *ob_imap_quote_string       (const char           *text);

/* A mailbox name as the server writes it (modified UTF-7, RFC 3501
 * §5.1.3: "&XfJT0ZAB-") as UTF-8 ("已发送"); NULL when it is not valid. */
char           *ob_imap_mailbox_name_to_utf8 (const char          *name);
/* The other way: a name as a person types it ("退信", "R&D") as the
 * server writes it ("&kABP4Q-", "R&-D"). Printable ASCII stands for
 * itself, '&' becomes "&-", every run of other characters is '&', the
 * modified base64 of its UTF-16BE and '-'. NULL when @utf8 is not valid
 * UTF-8 or holds a control character. A name already in modified UTF-7
 * is encoded again ("&kABP4Q-" → "&-kABP4Q-"): the input is always what
 * the person sees. */
char           *ob_imap_mailbox_name_from_utf8 (const char        *utf8);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImapResponse, ob_imap_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImapValue, ob_imap_value_free)

G_END_DECLS
