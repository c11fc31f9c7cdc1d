/* ob-dmarc-record.h — DMARC policy records (RFC 7489 §6.3, §6.4)
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
  char    *uri;       /* "mailto:…" (or another scheme, which no one delivers to) */
  guint64  max_size;  /* 0 = no limit given */
  char     unit;      /* 'k', 'm', 'g', 't', or 0 */
} ObDmarcUri;

typedef struct
{
  char      *policy;          /* "none", "quarantine", "reject" */
  char      *subdomain_policy;/* sp=, or NULL (then as p) */
  guint      pct;             /* 0…100, default 100 */
  gboolean   pct_given;
  gboolean   adkim_strict;
  gboolean   aspf_strict;
  GPtrArray *rua;             /* ObDmarcUri* */
  GPtrArray *ruf;             /* ObDmarcUri* */
  guint      ri;              /* default 86400 */
  char     **fo;              /* default { "0" } */
  char     **rf;              /* default { "afrf" } */
  /* RFC 7489 §6.6.3: a missing or invalid p= (or invalid sp=) with a valid
   * rua= makes the record count as p=none. Set when that happened. */
  gboolean   policy_fallback;
  GPtrArray *warnings;        /* char*, translated: things receivers tolerate */
} ObDmarcRecord;

gboolean       ob_dmarc_record_is_dmarc (const char     *text);
ObDmarcRecord *ob_dmarc_record_parse    (const char     *text,
                                         GError        **error);
void           ob_dmarc_record_free     (ObDmarcRecord  *record);

/* The organisational domain (RFC 7489 §3.2) through the Public Suffix
 * List: the registrable domain, or the name itself when it is a suffix. */
char          *ob_dmarc_org_domain      (const char     *domain);
/* Identifier alignment (RFC 7489 §3.1) of two domains. */
gboolean       ob_dmarc_aligned         (const char     *a,
                                         const char     *b,
                                         gboolean        strict);
/* The domain part of a mailto: URI, lower-cased, or NULL. */
char          *ob_dmarc_uri_domain      (const char     *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObDmarcRecord, ob_dmarc_record_free)

G_END_DECLS
