/* ob-spf-check.h — RFC 7208 check_host()
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

typedef enum
{
  OB_SPF_RESULT_NONE,
  OB_SPF_RESULT_NEUTRAL,
  OB_SPF_RESULT_PASS,
  OB_SPF_RESULT_FAIL,
  OB_SPF_RESULT_SOFTFAIL,
  OB_SPF_RESULT_TEMPERROR,
  OB_SPF_RESULT_PERMERROR,
} ObSpfResult;

/* What went wrong, for permerror and temperror. */
typedef enum
{
  OB_SPF_PROBLEM_NONE,
  OB_SPF_PROBLEM_LOOKUP_LIMIT,       /* more than 10 DNS-querying terms */
  OB_SPF_PROBLEM_VOID_LIMIT,         /* more than 2 lookups found nothing */
  OB_SPF_PROBLEM_MX_LIMIT,           /* an mx mechanism met more than 10 MX records */
  OB_SPF_PROBLEM_INCLUDE_NO_RECORD,  /* include: of a domain without SPF */
  OB_SPF_PROBLEM_REDIRECT_NO_RECORD, /* redirect= to a domain without SPF */
  OB_SPF_PROBLEM_SYNTAX,             /* a record does not parse */
  OB_SPF_PROBLEM_MULTIPLE,           /* a domain publishes two SPF records */
  OB_SPF_PROBLEM_LOOP,               /* includes nest too deep */
  OB_SPF_PROBLEM_DNS,                /* a lookup failed (temperror) */
} ObSpfProblem;

typedef struct
{
  ObSpfResult  result;
  char        *explanation;  /* for fail: the domain's exp= text or the default */
  char        *problem;      /* why a permerror/temperror happened, or NULL */
  ObSpfProblem problem_kind;
  char        *problem_domain; /* the domain the problem is about, or NULL */
  char        *mechanism;    /* the term that matched, or NULL */
  guint        lookups;      /* DNS-querying terms evaluated (limit 10) */
  guint        void_lookups; /* lookups that found nothing (limit 2) */
  GPtrArray   *domains;      /* char*: every domain whose record was evaluated, in order */
} ObSpfCheckResult;

#define OB_TYPE_SPF_CHECK_RESULT (ob_spf_check_result_get_type ())
GType             ob_spf_check_result_get_type (void) G_GNUC_CONST;
ObSpfCheckResult *ob_spf_check_result_copy     (const ObSpfCheckResult *result);
void              ob_spf_check_result_free     (ObSpfCheckResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSpfCheckResult, ob_spf_check_result_free)

const char *ob_spf_result_to_string (ObSpfResult result);

/* check_host (RFC 7208 §4) of @ip for @domain with the MAIL FROM @sender
 * (an empty sender becomes postmaster@@helo, RFC 7208 §2.4) and the HELO
 * name @helo (may be NULL). @default_explanation (may be NULL) is used for
 * fail when the domain publishes no exp=. All DNS goes through @resolver;
 * independent address lookups (an MX's hosts) run concurrently. */
void              ob_spf_check_host_async  (ObDnsResolver        *resolver,
                                            GInetAddress         *ip,
                                            const char           *domain,
                                            const char           *sender,
                                            const char           *helo,
                                            const char           *default_explanation,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
ObSpfCheckResult *ob_spf_check_host_finish (GAsyncResult         *result,
                                            GError              **error);

/* The identity check of RFC 7208 §2.4 as MTAs run it: MAIL FROM's domain
 * (or the HELO name when MAIL FROM is empty). */
void              ob_spf_check_sender_async (ObDnsResolver       *resolver,
                                             GInetAddress        *ip,
                                             const char          *sender,
                                             const char          *helo,
                                             const char          *default_explanation,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);

G_END_DECLS
