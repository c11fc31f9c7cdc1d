/* ob-dns-providers.h — what the Domain health check knows about mail
 * providers (../shared/PROVIDERS.md): which SMTP hosts belong to whom, the
 * SPF include a customer must publish, and DKIM selectors.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char         *id;
  const char         *name;          /* not translated: a brand */
  const char * const *smtp_hosts;    /* exact host names */
  const char * const *spf_includes;  /* any of them authorises the provider; NULL = unknown */
  const char * const *dkim_selectors;/* NULL = chosen by the customer */
} ObDnsProvider;

/* The provider whose SMTP host this is, or NULL. */
const ObDnsProvider *ob_dns_provider_for_smtp_host (const char *host);

/* The provider an SPF include: domain belongs to, or NULL. */
const ObDnsProvider *ob_dns_provider_for_spf_include (const char *domain);

/* Selectors worth trying on any domain. */
const char * const  *ob_dns_common_dkim_selectors  (void);

G_END_DECLS
