/* ob-dns-resolver.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-dns.h"

G_BEGIN_DECLS

#define OB_TYPE_DNS_RESOLVER (ob_dns_resolver_get_type ())
G_DECLARE_INTERFACE (ObDnsResolver, ob_dns_resolver, OB, DNS_RESOLVER, GObject)

/* Where checks get DNS from. An answer carries its rcode (NXDOMAIN and an
 * empty NOERROR are answers, not errors); a timeout, SERVFAIL, REFUSED, an
 * unreachable server or a damaged answer is an OB_DNS_ERROR. */
struct _ObDnsResolverInterface
{
  GTypeInterface parent_iface;

  void         (*query_async)  (ObDnsResolver        *self,
                                const char           *name,
                                guint16               type,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
  ObDnsAnswer *(*query_finish) (ObDnsResolver        *self,
                                GAsyncResult         *result,
                                GError              **error);
};

void           ob_dns_resolver_query_async     (ObDnsResolver        *self,
                                                const char           *name,
                                                guint16               type,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
ObDnsAnswer   *ob_dns_resolver_query_finish    (ObDnsResolver        *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* "system", "udp://HOST:PORT", "tcp://HOST:PORT", "https://HOST/PATH" or
 * "zone:FILE" (CLI.md). NULL means "system". */
ObDnsResolver *ob_dns_resolver_new_for_spec    (const char           *spec,
                                                GError              **error);

/* Maps an rcode that is not an answer (SERVFAIL, REFUSED, FORMERR…) to a
 * GError; returns FALSE then. For resolver implementations. */
gboolean       ob_dns_resolver_check_rcode     (guint16               rcode,
                                                const char           *name,
                                                GError              **error);

/* Splits "HOST:PORT", "[V6]:PORT", "HOST" (port 53) into an address.
 * Only IP literals and "localhost" are accepted: a DNS server cannot be
 * found through DNS. */
GSocketAddress *ob_dns_resolver_parse_server   (const char           *text,
                                                guint16               default_port,
                                                GError              **error);

/* The resolvers Preferences offers (../shared/PROVIDERS.md); "custom" is
 * any other spec. @name is translatable (use _() on it). */
typedef struct
{
  const char *id;
  const char *name;
  const char *spec;
} ObDnsResolverPreset;

const ObDnsResolverPreset *ob_dns_resolver_get_presets (guint *n_presets);

G_END_DECLS
