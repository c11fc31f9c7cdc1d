/* ob-dkim-key.h — DKIM key records (RFC 6376 §3.6.1, RFC 8463)
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns.h"

G_BEGIN_DECLS

typedef struct
{
  char      *version;     /* "DKIM1" */
  char      *key_type;    /* "rsa" (the default) or "ed25519" */
  char      *public_key;  /* base64 without white space; "" when revoked */
  char     **hashes;      /* h=, or NULL (all) */
  char     **services;    /* s=, default { "*" } */
  char     **flags;       /* t=, or NULL */
  char      *notes;       /* n= */
  gboolean   revoked;     /* p= is empty */
  gboolean   testing;     /* t=y */
  gboolean   strict;      /* t=s */
  guint      key_bits;    /* RSA modulus bits; 256 for Ed25519; 0 when revoked */
} ObDkimKey;

/* A tag=value list (RFC 6376 §3.2): white space around tags and values
 * dropped, a duplicate tag or an empty tag-spec is an error. Returns an
 * array of alternating names and values (names lower-cased when
 * @fold_names). */
GPtrArray *ob_dns_tag_list_parse (const char  *text,
                                  gboolean     fold_names,
                                  GError     **error);

/* Parses a key record and inspects the key with GnuTLS. Errors are
 * OB_DNS_ERROR_RECORD_SYNTAX with a message saying what is wrong. */
ObDkimKey *ob_dkim_key_parse (const char  *text,
                              GError     **error);
void       ob_dkim_key_free  (ObDkimKey   *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObDkimKey, ob_dkim_key_free)

G_END_DECLS
