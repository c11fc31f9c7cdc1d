/* ob-mail-domain-check.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-dns-resolver.h"
#include "ob-store.h"

G_BEGIN_DECLS

/* Whether a domain can receive mail, from DNS. */
typedef enum
{
  OB_MAIL_DOMAIN_OK,        /* MX records */
  OB_MAIL_DOMAIN_NO_MX,     /* no MX, but an address record (RFC 5321 5.1 fallback): risky */
  OB_MAIL_DOMAIN_NULL_MX,   /* "MX 0 ." (RFC 7505): receives no mail */
  OB_MAIL_DOMAIN_NO_DOMAIN, /* NXDOMAIN, or neither MX nor address records */
  OB_MAIL_DOMAIN_UNKNOWN,   /* timeout or server failure: never a reason to drop anyone */
} ObMailDomainStatus;

/* The address reason id ("no-mx", "null-mx", "no-domain") or NULL. */
const char *ob_mail_domain_status_to_reason (ObMailDomainStatus status);

#define OB_MAIL_DOMAIN_MAX_IN_FLIGHT 32

/* Called on the caller's main context as domains are done: @done of
 * @total, from 0 of @total at the start. */
typedef void (*ObDomainCheckProgressFunc) (guint    done,
                                           guint    total,
                                           gpointer user_data);

/* Checks @ascii_domains (lower-case A-labels), up to
 * OB_MAIL_DOMAIN_MAX_IN_FLIGHT lookups at once. The result maps each
 * domain to GINT_TO_POINTER (ObMailDomainStatus). */
void        ob_mail_domains_check_async     (ObDnsResolver        *resolver,
                                             const char * const   *ascii_domains,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GHashTable *ob_mail_domains_check_finish    (GAsyncResult         *result,
                                             GError              **error);

typedef struct
{
  guint domains;
  guint ok;
  guint no_mx;
  guint null_mx;
  guint no_domain;
  guint unknown;
  guint contacts_changed;
  guint kept;     /* of @domains, how many were answered by an earlier check still in date */
} ObDomainCheckSummary;

/* Checks the domains of the contacts checked at or after @checked_since
 * (Unix seconds; 0 for all) and records the outcome in their reasons,
 * verdict and status, in one transaction: cancelled, it changes nothing.
 * Each verdict is kept (table mail_domains) for as long as the DNS answers
 * it came from may be kept, at most a day, and a later check takes it from
 * there instead of asking DNS again; a failed lookup is never kept.
 * @progress (may be NULL) hears of each domain done. */
void        ob_contacts_check_domains_async  (ObStore              *store,
                                              ObDnsResolver        *resolver,
                                              gint64                checked_since,
                                              ObDomainCheckProgressFunc progress,
                                              gpointer              progress_data,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The same for the domains of @contact_ids (gint64) only. The verdict of
 * a domain is a fact about it: every contact at a domain checked here
 * gets it, selected or not. Finish with ob_contacts_check_domains_finish. */
void        ob_contacts_check_domains_of_async (ObStore              *store,
                                                ObDnsResolver        *resolver,
                                                GArray               *contact_ids,
                                                ObDomainCheckProgressFunc progress,
                                                gpointer              progress_data,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    ob_contacts_check_domains_finish (GAsyncResult         *result,
                                              ObDomainCheckSummary *summary,
                                              GError              **error);

G_END_DECLS
