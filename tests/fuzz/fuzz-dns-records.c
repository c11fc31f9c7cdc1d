/* fuzz-dns-records.c — SPF, DKIM key and DMARC records (TXT text from the
 * network) must parse or fail with OB_DNS_ERROR_RECORD_SYNTAX.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>

#include "ob-dkim-key.h"
#include "ob-dmarc-record.h"
#include "ob-spf-record.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(ObSpfRecord) spf = ob_spf_record_parse (text, &e1);
  g_autoptr(ObDkimKey) dkim = ob_dkim_key_parse (text, &e2);
  g_autoptr(ObDmarcRecord) dmarc = ob_dmarc_record_parse (text, &e3);

  g_assert_true ((spf != NULL) != (e1 != NULL));
  g_assert_true ((dkim != NULL) != (e2 != NULL));
  g_assert_true ((dmarc != NULL) != (e3 != NULL));
  if (e1)
    g_assert_error (e1, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX);
  if (e2)
    g_assert_error (e2, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX);
  if (e3)
    g_assert_error (e3, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX);
  if (spf)
    (void) ob_spf_record_count_dns_terms (spf);
  return 0;
}
