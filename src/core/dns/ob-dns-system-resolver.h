/* ob-dns-system-resolver.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

#define OB_TYPE_DNS_SYSTEM_RESOLVER (ob_dns_system_resolver_get_type ())
G_DECLARE_FINAL_TYPE (ObDnsSystemResolver, ob_dns_system_resolver, OB, DNS_SYSTEM_RESOLVER, GObject)

/* The operating system's resolver: the servers of /etc/resolv.conf through
 * the C library's res_nquery() in a worker thread, so answers keep their TTLs
 * and NXDOMAIN is told from "no records of this type". A, AAAA and PTR go
 * through GResolver (getaddrinfo/getnameinfo, which also read /etc/hosts;
 * a missing name there is an empty answer, and TTLs are 300 s). */
ObDnsResolver *ob_dns_system_resolver_new (void);

G_END_DECLS
