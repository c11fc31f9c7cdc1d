/* ob-dns-server-resolver.h
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
  OB_DNS_TRANSPORT_UDP, /* UDP with EDNS0, TCP when the answer is truncated */
  OB_DNS_TRANSPORT_TCP, /* TCP only (RFC 7766) */
} ObDnsTransport;

#define OB_TYPE_DNS_SERVER_RESOLVER (ob_dns_server_resolver_get_type ())
G_DECLARE_FINAL_TYPE (ObDnsServerResolver, ob_dns_server_resolver, OB, DNS_SERVER_RESOLVER, GObject)

/* Asks one chosen DNS server directly. */
ObDnsResolver *ob_dns_server_resolver_new          (GSocketAddress      *address,
                                                    ObDnsTransport       transport);
/* Milliseconds to wait for each attempt (default 2000) and the number of
 * UDP attempts (default 2). */
void           ob_dns_server_resolver_set_timeout  (ObDnsServerResolver *self,
                                                    guint                timeout_ms,
                                                    guint                attempts);
/* The EDNS0 UDP payload size advertised (default 1232; 0 = no OPT record). */
void           ob_dns_server_resolver_set_edns_size (ObDnsServerResolver *self,
                                                     guint16              size);

G_END_DECLS
