/* ob-dns-zone-resolver.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

#define OB_TYPE_DNS_ZONE_RESOLVER (ob_dns_zone_resolver_get_type ())
G_DECLARE_FINAL_TYPE (ObDnsZoneResolver, ob_dns_zone_resolver, OB, DNS_ZONE_RESOLVER, GObject)

/* Answers from records held in memory: an RFC 1035 master file (to check
 * records before publishing them, and for tests). A name that does not
 * exist gives NXDOMAIN, a name without records of the type an empty NOERROR
 * (NODATA); CNAMEs are followed; "*" wildcards are expanded. */
ObDnsZoneResolver *ob_dns_zone_resolver_new           (void);
ObDnsResolver     *ob_dns_zone_resolver_new_from_file (const char         *path,
                                                       GError            **error);
/* Parses @text (a master file; @origin is the starting $ORIGIN, may be NULL)
 * and adds its records. On error nothing is added; the message names
 * @source_name and the line. */
gboolean           ob_dns_zone_resolver_load_data     (ObDnsZoneResolver  *self,
                                                       const char         *text,
                                                       gsize               len,
                                                       const char         *origin,
                                                       const char         *source_name,
                                                       GError            **error);
void               ob_dns_zone_resolver_add_record    (ObDnsZoneResolver  *self,
                                                       const ObDnsRecord  *record);
/* Queries for @name then fail with OB_DNS_ERROR_TIMEOUT, except for the
 * types it has records of (a server that times out on some types only). */
void               ob_dns_zone_resolver_add_timeout   (ObDnsZoneResolver  *self,
                                                       const char         *name);
guint              ob_dns_zone_resolver_get_n_records (ObDnsZoneResolver  *self);
/* Synchronous lookup (the same answer query_async gives). */
ObDnsAnswer       *ob_dns_zone_resolver_lookup        (ObDnsZoneResolver  *self,
                                                       const char         *name,
                                                       guint16             type,
                                                       GError            **error);

G_END_DECLS
