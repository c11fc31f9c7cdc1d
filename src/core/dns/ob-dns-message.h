/* ob-dns-message.h — the DNS wire format (RFC 1035, RFC 6891 EDNS0)
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns.h"

G_BEGIN_DECLS

/* A query for @name/@type with recursion desired. With @edns_udp_size > 0
 * an OPT record advertises that UDP payload size. */
GBytes      *ob_dns_message_encode_query  (guint16        id,
                                           const char    *name,
                                           guint16        type,
                                           guint16        edns_udp_size,
                                           GError       **error);

/* Decodes a response. Every length and every compression pointer is checked;
 * a pointer must point before the name that uses it, so loops cannot happen.
 * @id (optional) receives the message id; @question_name/@question_type
 * (optional) the first question. */
ObDnsAnswer *ob_dns_message_decode        (const guint8  *data,
                                           gsize          len,
                                           guint16       *id,
                                           char         **question_name,
                                           guint16       *question_type,
                                           GError       **error);

/* Encodes a name in wire form (no compression). */
gboolean     ob_dns_message_encode_name   (GByteArray    *out,
                                           const char    *name,
                                           GError       **error);

/* Encodes a response with the given answer records (used by tests and the
 * local DoH bridge). */
GBytes      *ob_dns_message_encode_response (guint16      id,
                                             const char  *qname,
                                             guint16      qtype,
                                             ObDnsAnswer *answer,
                                             GError     **error);

G_END_DECLS
