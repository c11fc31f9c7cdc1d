/* ob-smtp-reply.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-smtp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-mail.h"
#include "ob-smtp-reply.h"

#define MAX_REPLY_LINES 1000

struct _ObSmtpReplyParser
{
  guint      code;
  GPtrArray *lines;
};

G_DEFINE_BOXED_TYPE (ObSmtpReply, ob_smtp_reply, ob_smtp_reply_copy, ob_smtp_reply_free)

ObSmtpReply *
ob_smtp_reply_new (guint       code,
                   const char *enhanced,
                   const char *text)
{
  ObSmtpReply *reply = g_new0 (ObSmtpReply, 1);
  g_autofree char *line = NULL;

  reply->code = code;
  reply->enhanced = g_strdup (enhanced);
  reply->text = g_strdup (text ? text : "");
  line = enhanced ? g_strdup_printf ("%u %s %s", code, enhanced, reply->text)
                  : g_strdup_printf ("%u %s", code, reply->text);
  reply->lines = g_new0 (char *, 2);
  reply->lines[0] = g_steal_pointer (&line);
  return reply;
}

ObSmtpReply *
ob_smtp_reply_copy (const ObSmtpReply *reply)
{
  ObSmtpReply *copy;

  if (reply == NULL)
    return NULL;
  copy = g_new0 (ObSmtpReply, 1);
  copy->code = reply->code;
  copy->enhanced = g_strdup (reply->enhanced);
  copy->text = g_strdup (reply->text);
  copy->lines = g_strdupv (reply->lines);
  return copy;
}

void
ob_smtp_reply_free (ObSmtpReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->enhanced);
  g_free (reply->text);
  g_strfreev (reply->lines);
  g_free (reply);
}

char *
ob_smtp_reply_to_string (const ObSmtpReply *reply)
{
  GString *s;
  g_autofree char *text = NULL;

  g_return_val_if_fail (reply != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "%u", reply->code);
  if (reply->enhanced != NULL)
    g_string_append_printf (s, " %s", reply->enhanced);
  text = g_strdup (reply->text);
  g_strdelimit (text, "\n", ' ');
  if (*text != '\0')
    g_string_append_printf (s, " %s", text);
  return g_string_free (s, FALSE);
}

gboolean
ob_smtp_reply_is_positive (const ObSmtpReply *reply)
{
  return reply->code >= 200 && reply->code < 400;
}

gboolean
ob_smtp_reply_is_transient (const ObSmtpReply *reply)
{
  return reply->code >= 400 && reply->code < 500;
}

gboolean
ob_smtp_reply_is_permanent (const ObSmtpReply *reply)
{
  return reply->code >= 500;
}

/* "X.Y.Z" with X the reply's class, Y and Z 1–3 digits (RFC 3463). Returns
 * its length, or 0 when @text does not start with one. */
static gsize
match_enhanced (const char *text,
                guint       code)
{
  const char *p = text;
  int digits;

  if (*p < '2' || *p > '5' || (guint) (*p - '0') != code / 100)
    return 0;
  p++;
  for (int part = 0; part < 2; part++)
    {
      if (*p != '.')
        return 0;
      p++;
      for (digits = 0; g_ascii_isdigit (*p) && digits < 4; p++, digits++)
        ;
      if (digits < 1 || digits > 3)
        return 0;
    }
  if (*p != '\0' && *p != ' ')
    return 0;
  return p - text;
}

ObSmtpReplyParser *
ob_smtp_reply_parser_new (void)
{
  ObSmtpReplyParser *parser = g_new0 (ObSmtpReplyParser, 1);

  parser->lines = g_ptr_array_new_with_free_func (g_free);
  return parser;
}

void
ob_smtp_reply_parser_free (ObSmtpReplyParser *parser)
{
  if (parser == NULL)
    return;
  g_ptr_array_unref (parser->lines);
  g_free (parser);
}

static ObSmtpReply *
build_reply (ObSmtpReplyParser *parser)
{
  ObSmtpReply *reply = g_new0 (ObSmtpReply, 1);
  GString *text = g_string_new (NULL);
  gsize enhanced_len = 0;

  reply->code = parser->code;

  /* The enhanced code counts when the first line has one; it is then
   * stripped from every line that repeats it. */
  if (parser->lines->len > 0)
    {
      const char *first = parser->lines->pdata[0];

      if (strlen (first) > 4)
        enhanced_len = match_enhanced (first + 4, reply->code);
      if (enhanced_len > 0)
        reply->enhanced = g_strndup (first + 4, enhanced_len);
    }

  for (guint i = 0; i < parser->lines->len; i++)
    {
      const char *line = parser->lines->pdata[i];
      const char *t = strlen (line) > 4 ? line + 4 : "";

      if (reply->enhanced != NULL && g_str_has_prefix (t, reply->enhanced) &&
          (t[enhanced_len] == ' ' || t[enhanced_len] == '\0'))
        {
          t += enhanced_len;
          if (*t == ' ')
            t++;
        }
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, t);
    }

  reply->text = g_string_free (text, FALSE);
  g_ptr_array_add (parser->lines, NULL);
  reply->lines = (GStrv) g_ptr_array_steal (parser->lines, NULL);
  g_ptr_array_unref (parser->lines);
  parser->lines = g_ptr_array_new_with_free_func (g_free);
  parser->code = 0;

  return reply;
}

gboolean
ob_smtp_reply_parser_feed (ObSmtpReplyParser  *parser,
                           const char         *line,
                           ObSmtpReply       **reply,
                           GError            **error)
{
  guint code;
  gboolean last;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  *reply = NULL;

  if (!(g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1]) && g_ascii_isdigit (line[2])) ||
      line[0] < '2' || line[0] > '5' || line[1] > '5' ||
      (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
    {
      g_autofree char *shown = g_utf8_make_valid (line, MIN (strlen (line), 80));

      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                   _("The mail server sent a malformed reply: “%s”"), shown);
      return FALSE;
    }

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  last = line[3] != '-';

  if (parser->lines->len > 0 && code != parser->code)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                   _("The mail server sent a reply whose lines disagree (%u, then %u)"),
                   parser->code, code);
      return FALSE;
    }
  if (parser->lines->len >= MAX_REPLY_LINES)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                   _("The mail server sent a reply of more than %d lines"), MAX_REPLY_LINES);
      return FALSE;
    }

  parser->code = code;
  g_ptr_array_add (parser->lines, g_utf8_make_valid (line, -1));

  if (last)
    *reply = build_reply (parser);

  return TRUE;
}

ObSmtpReply *
ob_smtp_reply_parse (const char  *data,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(ObSmtpReplyParser) parser = ob_smtp_reply_parser_new ();
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      g_autofree char *line = NULL;
      ObSmtpReply *reply = NULL;

      if (memchr (p, '\0', line_end - p) != NULL)
        {
          g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                       _("The mail server sent a reply with a NUL byte"));
          return NULL;
        }
      line = g_strndup (p, (line_end > p && line_end[-1] == '\r') ? line_end - p - 1 : line_end - p);
      if (!ob_smtp_reply_parser_feed (parser, line, &reply, error))
        return NULL;
      p = nl ? nl + 1 : end;
      if (reply != NULL)
        {
          if (p < end)
            {
              ob_smtp_reply_free (reply);
              g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                           _("The mail server sent more text after its reply"));
              return NULL;
            }
          return reply;
        }
    }

  g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
               _("The mail server’s reply ended before its last line"));
  return NULL;
}

GHashTable *
ob_smtp_reply_parse_ehlo (const ObSmtpReply *reply)
{
  GHashTable *caps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (reply != NULL, caps);

  /* The first line is the greeting ("250-host Hello"); each further line a keyword. */
  for (guint i = 1; reply->lines[i] != NULL; i++)
    {
      const char *t = strlen (reply->lines[i]) > 4 ? reply->lines[i] + 4 : "";
      const char *space;
      g_autofree char *keyword = NULL;

      while (*t == ' ')
        t++;
      if (*t == '\0')
        continue;
      space = strchr (t, ' ');
      keyword = g_ascii_strup (t, space ? space - t : -1);
      /* Some servers still write "AUTH=LOGIN PLAIN" (pre-RFC 4954). */
      if (g_str_has_prefix (keyword, "AUTH="))
        {
          g_autofree char *params = g_strdup (t + 5);

          if (!g_hash_table_contains (caps, "AUTH"))
            g_hash_table_insert (caps, g_strdup ("AUTH"), g_strdelimit (g_steal_pointer (&params), "=", ' '));
          continue;
        }
      g_hash_table_insert (caps, g_steal_pointer (&keyword), g_strstrip (g_strdup (space ? space + 1 : "")));
    }

  return caps;
}
