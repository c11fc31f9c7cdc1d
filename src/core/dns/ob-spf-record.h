/* ob-spf-record.h — SPF record syntax (RFC 7208 §4.6, §12)
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-dns.h"

G_BEGIN_DECLS

typedef enum
{
  OB_SPF_TERM_ALL,
  OB_SPF_TERM_INCLUDE,
  OB_SPF_TERM_A,
  OB_SPF_TERM_MX,
  OB_SPF_TERM_PTR,
  OB_SPF_TERM_IP4,
  OB_SPF_TERM_IP6,
  OB_SPF_TERM_EXISTS,
  OB_SPF_TERM_REDIRECT,
  OB_SPF_TERM_EXP,
  OB_SPF_TERM_UNKNOWN_MODIFIER,
} ObSpfTermKind;

typedef struct
{
  ObSpfTermKind  kind;
  char           qualifier;   /* '+', '-', '~' or '?' (mechanisms) */
  char          *text;        /* the term as written */
  char          *domain_spec; /* macro-string, or NULL when not given */
  guint          cidr4;       /* 32 unless given */
  guint          cidr6;       /* 128 unless given */
  GInetAddress  *network;     /* ip4, ip6 */
} ObSpfTerm;

typedef struct
{
  char       *text;
  GPtrArray  *terms;    /* ObSpfTerm*, mechanisms and modifiers in order */
  ObSpfTerm  *redirect; /* borrowed from terms, or NULL */
  ObSpfTerm  *exp;      /* borrowed from terms, or NULL */
} ObSpfRecord;

/* TRUE when @text is an SPF version 1 record ("v=spf1" then a space or
 * the end, case-insensitive). */
gboolean     ob_spf_record_is_spf     (const char  *text);
/* Parses a whole record. Any syntax error anywhere fails the record
 * (OB_DNS_ERROR_RECORD_SYNTAX naming the term): check_host() then gives
 * permerror. */
ObSpfRecord *ob_spf_record_parse      (const char  *text,
                                       GError     **error);
void         ob_spf_record_free       (ObSpfRecord *record);
/* The number of terms that cost a DNS lookup (include, a, mx, ptr,
 * exists, redirect) in this record alone. */
guint        ob_spf_record_count_dns_terms (const ObSpfRecord *record);
/* Checks a macro-string; @explain allows the c, r, t letters and spaces. */
gboolean     ob_spf_macro_string_valid (const char *text,
                                        gboolean    explain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSpfRecord, ob_spf_record_free)

G_END_DECLS
