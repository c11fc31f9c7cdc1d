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

/* The operating system's resolver through GResolver. GResolver gives no
 * TTLs (answers carry 300 s) and does not tell NXDOMAIN from "no records of
 * this type": both become an empty NOERROR answer. It looks up A, AAAA, PTR,
 * MX, TXT, SOA and NS; other types fail with OB_DNS_ERROR_UNSUPPORTED. */
ObDnsResolver *ob_dns_system_resolver_new (void);

G_END_DECLS
