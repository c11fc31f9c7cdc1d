/* ob-bounce-mime.c — taking a bounce mail apart: its MIME tree is
 * walked for the human-readable explanation, the delivery-status and
 * feedback-report parts and the returned message, each as UTF-8 text.
 * Where a report has no such parts, the copy of the original message is
 * found after a marker line in the text. Nothing here decides what the
 * mail is: ob-bounce-report.c does, from what the walk collected.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#define _GNU_SOURCE 1 /* memmem() */

#include "config.h"

#include <string.h>

#include "ob-bounce-report-private.h"

/* Only the start of a huge text part is read. */
#define MAX_TEXT (256 * 1024)

/* ---- text helpers ------------------------------------------------------- */

static char *
bytes_to_utf8 (const char *data,
               gsize       len,
               const char *charset)
{
  if (data == NULL || len == 0)
    return g_strdup ("");
  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "us-ascii") != 0)
    {
      g_autofree char *converted = g_convert_with_fallback (data, len, "UTF-8", charset,
                                                            "?", NULL, NULL, NULL);
      if (converted != NULL)
        return g_utf8_make_valid (converted, -1);
    }
  /* Nearly always valid already: one plain copy then. */
  if (g_utf8_validate_len (data, len, NULL))
    return g_strndup (data, len);
  return g_utf8_make_valid (data, len);
}

/* The decoded content of a leaf part, as UTF-8. */
static char *
part_text (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *stream;
  GByteArray *array;
  const char *charset;
  char *text;

  if (content == NULL)
    return g_strdup ("");
  stream = g_mime_stream_mem_new ();
  g_mime_data_wrapper_write_to_stream (content, stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  text = bytes_to_utf8 ((const char *) array->data, MIN (array->len, MAX_TEXT), charset);
  g_object_unref (stream);
  return text;
}

/* Crude HTML to text: drops tags, style and script, decodes a few entities. */
static char *
html_to_text (const char *html)
{
  GString *out = g_string_new (NULL);
  const char *p = html;

  while (*p)
    {
      if (*p == '<')
        {
          gboolean block = g_ascii_strncasecmp (p, "<br", 3) == 0 || g_ascii_strncasecmp (p, "<p", 2) == 0 ||
                           g_ascii_strncasecmp (p, "<div", 4) == 0 || g_ascii_strncasecmp (p, "<tr", 3) == 0 ||
                           g_ascii_strncasecmp (p, "</p", 3) == 0 || g_ascii_strncasecmp (p, "</div", 5) == 0;
          const char *skip_to = NULL;

          if (g_ascii_strncasecmp (p, "<style", 6) == 0)
            skip_to = "</style";
          else if (g_ascii_strncasecmp (p, "<script", 7) == 0)
            skip_to = "</script";
          if (skip_to != NULL)
            {
              const char *end = p;

              while (*end && g_ascii_strncasecmp (end, skip_to, strlen (skip_to)) != 0)
                end++;
              p = end;
            }
          while (*p && *p != '>')
            p++;
          if (*p)
            p++;
          g_string_append_c (out, block ? '\n' : ' ');
          continue;
        }
      if (*p == '&')
        {
          static const struct { const char *entity; const char *text; } entities[] = {
            { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&nbsp;", " " },
            { "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" },
          };
          gboolean done = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (entities) && !done; i++)
            if (g_ascii_strncasecmp (p, entities[i].entity, strlen (entities[i].entity)) == 0)
              {
                g_string_append (out, entities[i].text);
                p += strlen (entities[i].entity);
                done = TRUE;
              }
          if (done)
            continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* ---- walking the MIME tree ---------------------------------------------- */

static void
append_text (GString    *buffer,
             const char *text)
{
  if (buffer->len >= MAX_TEXT)
    return;
  if (buffer->len > 0)
    g_string_append_c (buffer, '\n');
  g_string_append (buffer, text);
}

/* The returned message's headers are read from the object itself: they
 * are not written out as text (walk->returned is for the copies that come
 * as text only). */
static void
walk_returned_message (ObBounceWalk *walk,
                       GMimeMessage *message)
{
  if (message == NULL || walk->returned_message != NULL)
    return;
  walk->returned_message = g_object_ref (message);
}

void
_ob_bounce_walk_object (ObBounceWalk *walk,
                        GMimeObject  *object)
{
  GMimeContentType *type = g_mime_object_get_content_type (object);
  const char *mtype = type ? g_mime_content_type_get_media_type (type) : "text";
  const char *subtype = type ? g_mime_content_type_get_media_subtype (type) : "plain";

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int n = g_mime_multipart_get_count (multipart);

      /* Without its boundary lines (a mangled copy) everything is prologue. */
      if (n == 0 && g_mime_multipart_get_prologue (multipart) != NULL)
        append_text (walk->human, g_mime_multipart_get_prologue (multipart));
      for (int i = 0; i < n && i < 64; i++)
        _ob_bounce_walk_object (walk, g_mime_multipart_get_part (multipart, i));
      return;
    }

  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *message = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      /* GMime may hand a delivery-status or feedback part over as a message. */
      if (g_ascii_strcasecmp (subtype, "delivery-status") == 0 ||
          g_ascii_strcasecmp (subtype, "global-delivery-status") == 0 ||
          g_ascii_strcasecmp (subtype, "feedback-report") == 0)
        {
          g_autofree char *text = message ? g_mime_object_to_string (GMIME_OBJECT (message), NULL) : NULL;

          if (text != NULL)
            append_text (g_ascii_strcasecmp (subtype, "feedback-report") == 0 ? walk->feedback : walk->dsn,
                         text);
          return;
        }
      /* A bounce forwarded as an attachment: read the report inside. */
      if (message != NULL && walk->dsn->len == 0 && walk->feedback->len == 0 && walk->depth < 4)
        {
          GMimeObject *inner = g_mime_message_get_mime_part (message);
          GMimeContentType *inner_type = inner ? g_mime_object_get_content_type (inner) : NULL;

          if (inner_type != NULL && GMIME_IS_MULTIPART (inner) &&
              g_ascii_strcasecmp (g_mime_content_type_get_media_subtype (inner_type), "report") == 0)
            {
              walk->depth++;
              _ob_bounce_walk_object (walk, inner);
              walk->depth--;
              return;
            }
        }
      walk_returned_message (walk, message);
      return;
    }

  if (!GMIME_IS_PART (object))
    return;

  if (g_ascii_strcasecmp (mtype, "message") == 0)
    {
      g_autofree char *text = part_text (GMIME_PART (object));

      if (g_ascii_strcasecmp (subtype, "delivery-status") == 0 ||
          g_ascii_strcasecmp (subtype, "global-delivery-status") == 0)
        append_text (walk->dsn, text);
      else if (g_ascii_strcasecmp (subtype, "feedback-report") == 0)
        append_text (walk->feedback, text);
      else if (g_ascii_strcasecmp (subtype, "rfc822-headers") == 0 ||
               g_ascii_strcasecmp (subtype, "global-headers") == 0 ||
               g_ascii_strcasecmp (subtype, "rfc822") == 0)
        append_text (walk->returned, text);
      return;
    }

  if (g_ascii_strcasecmp (mtype, "text") == 0)
    {
      g_autofree char *text = part_text (GMIME_PART (object));

      if (g_ascii_strcasecmp (subtype, "rfc822-headers") == 0)
        append_text (walk->returned, text);
      else if (g_ascii_strcasecmp (subtype, "delivery-status") == 0)
        append_text (walk->dsn, text);
      else if (g_ascii_strcasecmp (subtype, "html") == 0)
        {
          /* Only when there is no plain text alternative already. */
          if (walk->human->len == 0)
            {
              g_autofree char *plain = html_to_text (text);
              append_text (walk->human, plain);
            }
        }
      else if (g_ascii_strcasecmp (subtype, "plain") == 0 || walk->human->len == 0)
        append_text (walk->human, text);
    }
}

/* ---- the returned message ------------------------------------------------ */

/* Where the copy of the original message starts in a free-text report. */
const char *
_ob_bounce_find_returned_marker (const char *text)
{
  static const char *markers[] = {
    "--- Below this line is a copy of the message",
    "------ This is a copy of the message",
    "----- Original message -----",
    "------- Returned Message --------",
    "----- Transcript of session follows -----",
    "--- The header of the original message is following",
    "------ Original message follows",
    "Original message follows",
    "--- Original message follows",
    "------ The original message",
    "----- The following is a copy of the message",
    "----- Unsent message follows -----",
    "----- Message header follows -----",
    "----- Original message follows -----",
    "------ Original message ------",
    "Original message header:",
    "The header of the original message",
    "Original message headers:",
    "------- Original Message -------",
    "----- Original Message -----",
    "-----Original Message-----",
    "Your message reads (in part):",
    "The original message was received at",
    "---------- Forwarded message ----------",
    "--- Original message ---",
    "---- The header of original message is following",
    "原始邮件",
    "原邮件",
  };
  /* Every marker holds "essage" or "原": only the places where one of
   * those stands are tried, each against the markers around it. Where in
   * each marker its anchor stands is worked out once. */
  static const char *anchors[] = { "essage", "原" };
  static struct { gsize len; gssize at[G_N_ELEMENTS (anchors)]; } shape[G_N_ELEMENTS (markers)];
  static gsize shaped = 0;
  gsize len = strlen (text);
  const char *best = NULL;

  if (g_once_init_enter (&shaped))
    {
      for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
        {
          /* "Transcript of session" and "original message was received"
           * precede the diagnostic in sendmail: not a copy of the
           * message, so never a marker. */
          gboolean skip = strstr (markers[i], "Transcript") || strstr (markers[i], "was received at");

          shape[i].len = strlen (markers[i]);
          for (guint a = 0; a < G_N_ELEMENTS (anchors); a++)
            {
              const char *in = skip ? NULL : strstr (markers[i], anchors[a]);

              shape[i].at[a] = in ? in - markers[i] : -1;
            }
        }
      g_once_init_leave (&shaped, 1);
    }

  for (guint a = 0; a < G_N_ELEMENTS (anchors); a++)
    {
      gsize alen = strlen (anchors[a]);

      for (const char *hit = memmem (text, len, anchors[a], alen); hit != NULL;
           hit = memmem (hit + 1, len - (hit + 1 - text), anchors[a], alen))
        {
          /* No marker holds its anchor further in than 64 bytes. */
          if (best != NULL && hit - text > (best - text) + 64)
            break;
          for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
            {
              const char *start;

              if (shape[i].at[a] < 0 || hit - text < shape[i].at[a])
                continue;
              start = hit - shape[i].at[a];
              if ((gsize) (text + len - start) >= shape[i].len &&
                  memcmp (start, markers[i], shape[i].len) == 0 && (best == NULL || start < best))
                best = start;
            }
        }
    }
  return best;
}

char *
_ob_bounce_header_in_text (const char *text,
                           const char *name)
{
  gsize n = strlen (name);

  for (const char *p = text; p != NULL && *p; p = strchr (p, '\n'))
    {
      if (*p == '\n')
        p++;
      if (g_ascii_strncasecmp (p, name, n) == 0 && p[n] == ':')
        {
          const char *v = p + n + 1;
          const char *e = v;
          GString *value = g_string_new (NULL);

          for (;;)
            {
              e = strchr (v, '\n');
              g_string_append_len (value, v, e ? e - v : (gssize) strlen (v));
              if (e == NULL || (e[1] != ' ' && e[1] != '\t'))
                break;
              v = e + 1;
            }
          g_strstrip (value->str);
          if (value->len > 0 && value->str[0] != '\0')
            return g_string_free (value, FALSE);
          g_string_free (value, TRUE);
        }
    }
  return NULL;
}
