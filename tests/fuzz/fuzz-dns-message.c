/* fuzz-dns-message.c — any bytes given to the DNS decoder must give an
 * answer or an OB_DNS_ERROR, never a crash or a read out of bounds.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>

#include "ob-dns-message.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;
  g_autofree char *qname = NULL;
  guint16 id = 0, qtype = 0;

  answer = ob_dns_message_decode (data, size, &id, &qname, &qtype, &error);
  g_assert_true ((answer != NULL) != (error != NULL));
  if (error)
    g_assert_true (error->domain == OB_DNS_ERROR);
  else
    for (guint i = 0; i < answer->records->len; i++)
      {
        g_autofree char *text = ob_dns_record_to_string (g_ptr_array_index (answer->records, i));

        g_assert_nonnull (text);
      }
  return 0;
}
