/* fuzz-smtp-reply.c — any bytes from an SMTP server: a reply or a clear
 * error, never a crash; the line-by-line parser agrees with the whole-reply one.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "ob-smtp-client.h"
#include "ob-smtp-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSmtpReply) reply = ob_smtp_reply_parse ((const char *) data, size, &error);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) stuffed = ob_smtp_dot_stuff (bytes);

  g_assert ((reply == NULL) != (error == NULL));
  if (reply != NULL)
    {
      g_autofree char *text = ob_smtp_reply_to_string (reply);
      g_autoptr(GHashTable) caps = ob_smtp_reply_parse_ehlo (reply);
      g_autoptr(ObSmtpReply) copy = ob_smtp_reply_copy (reply);

      g_assert (reply->code >= 200 && reply->code <= 559);
      g_assert (g_utf8_validate (reply->text, -1, NULL));
      g_assert (copy->code == reply->code);
      g_assert (text != NULL);
    }

  /* The stuffed message ends with CRLF "." CRLF, holds no bare LF and no
   * other line that is a lone "." — the end of the message. */
  {
    gsize n;
    const char *s = g_bytes_get_data (stuffed, &n);

    g_assert (n >= 3 && memcmp (s + n - 3, ".\r\n", 3) == 0);
    for (gsize i = 0; i < n; i++)
      {
        if (s[i] == '\n')
          g_assert (i > 0 && s[i - 1] == '\r');
        if (s[i] == '\r')
          g_assert (i + 1 < n && s[i + 1] == '\n');
        if ((i == 0 || s[i - 1] == '\n') && s[i] == '.' && i + 1 < n && s[i + 1] == '\r')
          g_assert (i == n - 3);
      }
  }

  return 0;
}
