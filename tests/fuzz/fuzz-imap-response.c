/* fuzz-imap-response.c — any bytes from an IMAP server: a response or a
 * clear error, never a crash, a hang or an overread.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ob-imap-response.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
walk (const ObImapValue *value,
      int                depth)
{
  g_assert (depth < 64);
  if (value->type == OB_IMAP_VALUE_LIST)
    {
      for (guint i = 0; i < value->items->len; i++)
        walk (value->items->pdata[i], depth + 1);
      (void) ob_imap_value_lookup (value, "BODY[");
      (void) ob_imap_value_lookup (value, "UID");
    }
  else if (value->type != OB_IMAP_VALUE_NIL)
    g_assert (value->data != NULL && value->data[value->len] == '\0');
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImapResponse) r = ob_imap_response_parse ((const char *) data, size, &error);
  g_autofree char *line = g_strndup ((const char *) data, size);
  gsize literal;

  g_assert ((r == NULL) != (error == NULL));
  if (r != NULL)
    {
      g_autoptr(ObImapResponse) copy = ob_imap_response_copy (r);

      for (guint i = 0; i < r->args->len; i++)
        walk (r->args->pdata[i], 0);
      g_assert (copy->args->len == r->args->len);
    }

  (void) ob_imap_line_literal_size (line, &literal);
  g_free (ob_imap_quote_string (line));
  return 0;
}
