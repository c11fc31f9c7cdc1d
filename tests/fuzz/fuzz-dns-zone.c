/* fuzz-dns-zone.c — any text given as a zone file must load or be refused
 * with an OB_DNS_ERROR, and a refused file adds nothing.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>

#include "ob-dns-zone-resolver.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ob_dns_zone_resolver_load_data (zone, (const char *) data, size, "example.test", "fuzz", &error);
  g_assert_true (ok == (error == NULL));
  if (!ok)
    {
      g_assert_true (error->domain == OB_DNS_ERROR);
      g_assert_cmpuint (ob_dns_zone_resolver_get_n_records (zone), ==, 0);
    }
  else
    {
      g_autoptr(ObDnsAnswer) answer = ob_dns_zone_resolver_lookup (zone, "example.test", OB_DNS_TYPE_TXT, NULL);

      g_assert_nonnull (answer);
    }
  return 0;
}
