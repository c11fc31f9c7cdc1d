/* ob-dns-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-dns-doh-resolver.h"
#include "ob-dns-resolver.h"
#include "ob-dns-server-resolver.h"
#include "ob-dns-system-resolver.h"
#include "ob-dns-zone-resolver.h"

G_DEFINE_INTERFACE (ObDnsResolver, ob_dns_resolver, G_TYPE_OBJECT)

static const ObDnsResolverPreset presets[] = {
  { "system", N_("System default"), "system" },
  { "alidns", N_("AliDNS (DNS over HTTPS, reachable in mainland China)"), "https://dns.alidns.com/dns-query" },
  { "dnspod", N_("DNSPod (DNS over HTTPS, reachable in mainland China)"), "https://doh.pub/dns-query" },
  { "cloudflare", N_("Cloudflare (DNS over HTTPS)"), "https://cloudflare-dns.com/dns-query" },
  { "google", N_("Google (DNS over HTTPS)"), "https://dns.google/dns-query" },
  { "quad9", N_("Quad9 (DNS over HTTPS)"), "https://dns.quad9.net/dns-query" },
};

static void
ob_dns_resolver_default_init (ObDnsResolverInterface *iface)
{
}

void
ob_dns_resolver_query_async (ObDnsResolver       *self,
                             const char          *name,
                             guint16              type,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OB_IS_DNS_RESOLVER (self));
  g_return_if_fail (name != NULL);

  OB_DNS_RESOLVER_GET_IFACE (self)->query_async (self, name, type, cancellable, callback, user_data);
}

ObDnsAnswer *
ob_dns_resolver_query_finish (ObDnsResolver  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (OB_IS_DNS_RESOLVER (self), NULL);

  return OB_DNS_RESOLVER_GET_IFACE (self)->query_finish (self, result, error);
}

gboolean
ob_dns_resolver_check_rcode (guint16      rcode,
                             const char  *name,
                             GError     **error)
{
  switch (rcode)
    {
    case OB_DNS_RCODE_NOERROR:
    case OB_DNS_RCODE_NXDOMAIN:
      return TRUE;
    case OB_DNS_RCODE_SERVFAIL:
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_SERVFAIL,
                   _("The DNS server failed to look up “%s” (SERVFAIL); try again later or use another DNS server"),
                   name);
      return FALSE;
    case OB_DNS_RCODE_REFUSED:
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_REFUSED,
                   _("The DNS server refused to look up “%s”; choose another DNS server"), name);
      return FALSE;
    default:
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_SERVFAIL,
                   _("The DNS server answered “%s” with error %s; try another DNS server"),
                   name, ob_dns_rcode_to_string (rcode));
      return FALSE;
    }
}

GSocketAddress *
ob_dns_resolver_parse_server (const char  *text,
                              guint16      default_port,
                              GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) addr = NULL;
  guint64 port = default_port;
  const char *colon;

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        goto bad;
      host = g_strndup (text + 1, close - text - 1);
      colon = close[1] == ':' ? close + 1 : NULL;
      if (close[1] != '\0' && colon == NULL)
        goto bad;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon && strchr (text, ':') != colon)
        colon = NULL; /* a bare IPv6 address */
      host = colon ? g_strndup (text, colon - text) : g_strdup (text);
    }
  if (colon && !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    goto bad;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    addr = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    addr = g_inet_address_new_from_string (host);
  if (addr == NULL)
    goto bad;
  return g_inet_socket_address_new (addr, port);

bad:
  g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
               _("“%s” is not a DNS server address; write an IP address and port, e.g. 127.0.0.1:53"),
               text);
  return NULL;
}

ObDnsResolver *
ob_dns_resolver_new_for_spec (const char  *spec,
                              GError     **error)
{
  if (spec == NULL || g_str_equal (spec, "") || g_str_equal (spec, "system"))
    return ob_dns_system_resolver_new ();

  if (g_str_has_prefix (spec, "udp://") || g_str_has_prefix (spec, "tcp://"))
    {
      g_autoptr(GSocketAddress) address = ob_dns_resolver_parse_server (spec + 6, 53, error);

      if (address == NULL)
        return NULL;
      return ob_dns_server_resolver_new (address, g_str_has_prefix (spec, "tcp://")
                                         ? OB_DNS_TRANSPORT_TCP : OB_DNS_TRANSPORT_UDP);
    }

  if (g_str_has_prefix (spec, "https://"))
    return ob_dns_doh_resolver_new (spec, NULL, error);

  if (g_str_has_prefix (spec, "zone:"))
    return ob_dns_zone_resolver_new_from_file (spec + 5, error);

  g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
               _("Unknown resolver “%s”; use system, udp://HOST:PORT, tcp://HOST:PORT, https://HOST/PATH or zone:FILE"),
               spec);
  return NULL;
}

const ObDnsResolverPreset *
ob_dns_resolver_get_presets (guint *n_presets)
{
  if (n_presets)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}
