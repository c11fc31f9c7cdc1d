/* fuzz-imap-response.c — any bytes from an IMAP server: a response or a
 * clear error, never a crash, a hang or an overread. The same bytes as a
 * mailbox name, both ways through modified UTF-7.
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
  {
    g_autofree char *name = ob_imap_mailbox_name_to_utf8 (line);

    g_assert (name == NULL || g_utf8_validate (name, -1, NULL));
    /* A server's name, decoded and encoded again, decodes to the same
     * (unless it holds a control character, which the encoder refuses). */
    if (name != NULL)
      {
        g_autofree char *again = ob_imap_mailbox_name_from_utf8 (name);
        g_autofree char *back = again ? ob_imap_mailbox_name_to_utf8 (again) : NULL;

        g_assert (again == NULL || g_strcmp0 (back, name) == 0);
      }
  }
  {
    /* Any bytes as a typed name: refused, or printable ASCII that
     * decodes back to exactly them. */
    g_autofree char *encoded = ob_imap_mailbox_name_from_utf8 (line);

    if (encoded != NULL)
      {
        g_autofree char *decoded = ob_imap_mailbox_name_to_utf8 (encoded);

        for (const char *c = encoded; *c; c++)
          g_assert (*c >= 0x20 && *c < 0x7f);
        g_assert (g_strcmp0 (decoded, line) == 0);
      }
  }
  return 0;
}
