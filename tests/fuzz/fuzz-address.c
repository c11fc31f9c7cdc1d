/* fuzz-address.c — the address normaliser and parser on hostile input:
 * each line of the input is one address.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ob-address.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_one (const char *text)
{
  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(ObAddressCheck) c = ob_address_check (text, mode ? OB_ADDRESS_CHECK_STRICT : 0);
      g_autofree char *key = ob_address_check_dup_key (c);
      g_autofree char *reasons = ob_address_check_dup_reasons_joined (c);
      const char *address = ob_address_check_get_address (c);

      /* What comes out is always UTF-8, and a valid verdict has a usable
       * A-label form. */
      g_assert_true (g_utf8_validate (ob_address_check_get_input (c), -1, NULL));
      if (address != NULL)
        g_assert_true (g_utf8_validate (address, -1, NULL));
      if (ob_address_check_get_verdict (c) == OB_ADDRESS_VERDICT_VALID)
        {
          g_assert_nonnull (ob_address_check_get_ascii_address (c));
          g_assert_nonnull (key);
          g_assert_cmpstr (reasons, ==, "");
        }
    }
  g_free (ob_address_normalize (text));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = size ? g_strndup ((const char *) data, size) : g_strdup ("");
  g_auto(GStrv) lines = g_strsplit (text, "\n", 200);

  /* Embedded NULs end the string, as in C callers. */
  for (guint i = 0; lines[i] != NULL; i++)
    check_one (lines[i]);
  return 0;
}
