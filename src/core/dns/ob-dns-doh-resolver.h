/* ob-dns-doh-resolver.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

#define OB_TYPE_DNS_DOH_RESOLVER (ob_dns_doh_resolver_get_type ())
G_DECLARE_FINAL_TYPE (ObDnsDohResolver, ob_dns_doh_resolver, OB, DNS_DOH_RESOLVER, GObject)

/* DNS over HTTPS (RFC 8484): POST application/dns-message to @uri through
 * libsoup. @extra_ca_file (optional, a PEM file) is trusted in addition to
 * the system's certificate authorities (a company CA, or a test CA). */
ObDnsResolver *ob_dns_doh_resolver_new          (const char       *uri,
                                                 const char       *extra_ca_file,
                                                 GError          **error);
void           ob_dns_doh_resolver_set_timeout  (ObDnsDohResolver *self,
                                                 guint             timeout_s);

G_END_DECLS
