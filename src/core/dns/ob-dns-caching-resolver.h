/* ob-dns-caching-resolver.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

#define OB_TYPE_DNS_CACHING_RESOLVER (ob_dns_caching_resolver_get_type ())
G_DECLARE_FINAL_TYPE (ObDnsCachingResolver, ob_dns_caching_resolver, OB, DNS_CACHING_RESOLVER, GObject)

/* Wraps another resolver and keeps its answers in memory for as long as
 * their TTL allows (negative answers: the SOA minimum, RFC 2308). Errors
 * are not cached; identical queries in flight share one. Time comes
 * from g_get_monotonic_time unless a clock function is set (for tests). */
typedef gint64 (*ObDnsClockFunc) (gpointer user_data); /* microseconds */

ObDnsResolver *ob_dns_caching_resolver_new       (ObDnsResolver        *inner);
void           ob_dns_caching_resolver_set_clock (ObDnsCachingResolver *self,
                                                  ObDnsClockFunc        func,
                                                  gpointer              user_data);
/* Answers given without asking the inner resolver (from the cache, or by
 * joining an identical query already in flight), and queries sent. */
guint          ob_dns_caching_resolver_get_hits   (ObDnsCachingResolver *self);
guint          ob_dns_caching_resolver_get_misses (ObDnsCachingResolver *self);

G_END_DECLS
