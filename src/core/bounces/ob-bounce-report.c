/* ob-bounce-report.c — bounce mails: RFC 3464 delivery status
 * notifications, ARF complaint reports, RFC 3834 auto-replies, and the
 * free-text reports of the MTAs that write neither.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#define _GNU_SOURCE 1 /* memmem() */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ob-bounce-report.h"
#include "ob-bounce-profiles.h"
#include "ob-bounces.h"

#include <json-glib/json-glib.h>

/* A report with more recipients than this is cut there. */
#define MAX_RECIPIENTS 200
/* Only the start of a huge text part is read. */
#define MAX_TEXT (256 * 1024)

typedef struct
{
  GString   *human;          /* the text parts before the returned message */
  GString   *dsn;            /* message/delivery-status content */
  GString   *feedback;       /* message/feedback-report content */
  GString   *returned;       /* headers of the returned message, as text */
  GMimeMessage *returned_message;
  guint      depth;          /* forwarded reports inside reports */
} Walk;

static void
recipient_free (gpointer data)
{
  ObBounceRecipient *r = data;

  g_free (r->recipient);
  g_free (r->original_recipient);
  g_free (r->dsn_action);
  g_free (r->diagnostic);
  g_free (r->remote_mta);
  g_free (r);
}

void
ob_bounce_report_free (ObBounceReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->recipients, g_ptr_array_unref);
  g_clear_pointer (&report->candidate_message_ids, g_ptr_array_unref);
  g_clear_pointer (&report->references, g_ptr_array_unref);
  g_free (report->original_message_id);
  g_free (report->original_from);
  g_free (report->original_to);
  g_free (report->original_subject);
  g_free (report->message_id);
  g_free (report->from);
  g_free (report->to);
  g_free (report->subject);
  g_free (report->in_reply_to);
  g_free (report->first_lines);
  g_free (report);
}

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

static char *
strip_angles (const char *id)
{
  g_autofree char *copy = NULL;
  char *s;

  if (id == NULL)
    return NULL;
  copy = g_strdup (id);
  s = g_strstrip (copy);
  if (*s == '<')
    s++;
  if (*s && s[strlen (s) - 1] == '>')
    s[strlen (s) - 1] = '\0';
  s = g_strstrip (s);
  return *s ? g_strdup (s) : NULL;
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

static void walk_object (Walk *walk, GMimeObject *object);

/* The returned message's headers are read from the object itself: they
 * are not written out as text (walk->returned is for the copies that come
 * as text only). */
static void
walk_returned_message (Walk         *walk,
                       GMimeMessage *message)
{
  if (message == NULL || walk->returned_message != NULL)
    return;
  walk->returned_message = g_object_ref (message);
}

static void
walk_object (Walk        *walk,
             GMimeObject *object)
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
        walk_object (walk, g_mime_multipart_get_part (multipart, i));
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
              walk_object (walk, inner);
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

/* ---- header-block parsing (delivery-status, feedback-report) ------------ */

typedef struct
{
  char *name;   /* lower-case */
  char *value;
} Field;

static void
field_free (gpointer data)
{
  Field *f = data;

  g_free (f->name);
  g_free (f->value);
  g_free (f);
}

static const char *
block_get (GPtrArray  *block,
           const char *name)
{
  for (guint i = 0; i < block->len; i++)
    {
      Field *f = g_ptr_array_index (block, i);
      if (g_str_equal (f->name, name))
        return f->value;
    }
  return NULL;
}

/* Splits @text into blocks of "Name: value" fields (folded lines joined);
 * returns a GPtrArray of GPtrArray of Field. */
static GPtrArray *
parse_field_blocks (const char *text)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *block = NULL;
  Field *last = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      char *colon;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0 || strspn (line, " \t") == len)
        {
          block = NULL;
          last = NULL;
          continue;
        }
      if ((line[0] == ' ' || line[0] == '\t') && last != NULL)
        {
          char *joined = g_strconcat (last->value, " ", g_strstrip (line), NULL);
          g_free (last->value);
          last->value = joined;
          continue;
        }
      colon = strchr (line, ':');
      if (colon == NULL || colon == line || memchr (line, ' ', colon - line) != NULL)
        {
          last = NULL;
          continue;
        }
      last = g_new0 (Field, 1);
      last->name = g_ascii_strdown (line, colon - line);
      /* Some MTAs run the recipients' blocks together without a blank
       * line: a second Final-Recipient (or Original-Recipient) starts the
       * next one. */
      if (block != NULL &&
          ((g_str_equal (last->name, "final-recipient") && block_get (block, "final-recipient") != NULL) ||
           (g_str_equal (last->name, "original-recipient") && block_get (block, "original-recipient") != NULL)))
        block = NULL;
      if (block == NULL)
        {
          block = g_ptr_array_new_with_free_func (field_free);
          g_ptr_array_add (blocks, block);
        }
      last->value = g_strstrip (g_strdup (colon + 1));
      g_ptr_array_add (block, last);
    }
  return blocks;
}

/* "rfc822; a@b" -> "a@b" */
static char *
typed_value (const char *value)
{
  const char *semi;
  g_autofree char *stripped = NULL;

  if (value == NULL)
    return NULL;
  semi = strchr (value, ';');
  stripped = strip_angles (semi ? semi + 1 : value);
  return g_steal_pointer (&stripped);
}

/* ---- addresses in free text --------------------------------------------- */

static gboolean
is_local_char (char c)
{
  /* ASCII only: in a report an address is followed or preceded by text in
   * any language ("收件人：a@b.cn的邮件"), and EAI addresses are rare. */
  return c != '\0' && (g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~.", c) != NULL);
}

static gboolean
is_domain_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.';
}

/* Finds the next address at or after @from; sets @start/@end. */
static gboolean
next_address (const char  *text,
              const char  *from,
              const char **start,
              const char **end)
{
  for (const char *at = strchr (from, '@'); at != NULL; at = strchr (at + 1, '@'))
    {
      const char *s = at, *e = at + 1;

      while (s > text && is_local_char (s[-1]))
        s--;
      while (*s == '.')
        s++;
      while (is_domain_char (*e))
        e++;
      while (e > at + 1 && (e[-1] == '.' || e[-1] == '-'))
        e--;
      if (s == at || e - at < 4 || memchr (at + 1, '.', e - at - 1) == NULL)
        continue;
      *start = s;
      *end = e;
      return TRUE;
    }
  return FALSE;
}

static char *
first_address (const char *text)
{
  const char *s, *e;

  if (text == NULL || !next_address (text, text, &s, &e))
    return NULL;
  return g_ascii_strdown (s, e - s);
}

/* "neko-admin@example.org", "owner-neko@…": the address a list manager
 * writes its notices from (a post to the list comes from its author). */
static gboolean
from_list_admin (const char *from)
{
  g_autofree char *address = first_address (from);

  return address != NULL && (strstr (address, "-admin@") != NULL || g_str_has_prefix (address, "owner-") ||
                             strstr (address, "-owner@") != NULL);
}

static gboolean
is_daemon_address (const char *address)
{
  static const char *locals[] = {
    "mailer-daemon@", "postmaster@", "mail-daemon@", "maildaemon@", "mailerdaemon@",
    "mail.daemon@", "double-bounce@", "post_master@", "mailer_daemon@", "mdaemon@",
    "mailer@", "mailadmin@",
  };
  for (guint i = 0; i < G_N_ELEMENTS (locals); i++)
    if (g_ascii_strncasecmp (address, locals[i], strlen (locals[i])) == 0)
      return TRUE;
  return strstr (address, "mailer-daemon") != NULL || strstr (address, "postmaster") != NULL;
}

/* Header lines in free text whose addresses are not recipients. */
static gboolean
is_noise_line (const char *line_start)
{
  static const char *names[] = {
    "from:", "reply-to:", "sender:", "return-path:", "message-id:", "received:",
    "references:", "in-reply-to:", "dkim-signature:", "cc:", "by ", "x-", "errors-to:",
    "envelope-from", "list-", "content-", "delivered-to:", "for <", "id <", "with ",
    "message id:", "report-to", "arrival-date",
  };
  const char *p = line_start;

  while (*p == ' ' || *p == '\t' || *p == '>')
    p++;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strncasecmp (p, names[i], strlen (names[i])) == 0)
      return TRUE;
  return FALSE;
}

static const char *
line_start_of (const char *text,
               const char *p)
{
  while (p > text && p[-1] != '\n')
    p--;
  return p;
}

/* "550 …" or "554-…" at the start of a line. */
static gboolean
starts_with_reply_code (const char *line)
{
  return (line[0] == '4' || line[0] == '5') && g_ascii_isdigit (line[1]) && g_ascii_isdigit (line[2]) &&
         (line[3] == ' ' || line[3] == '-');
}

/* An address given as the envelope sender ("MAIL FROM:<a@b>", "generated
 * from a@b") or as a help desk ("please contact <a@b>"): not a recipient. */
static gboolean
names_sender_or_helpdesk (const char *text,
                          const char *line_start,
                          const char *address_start)
{
  static const char *before[] = { "from:<", "from: <", "from <", "from:", "from ", "sender ", "sender: " };
  static const char *line_words[] = { "contact", "assistance", "for help", "helpdesk", "help desk" };
  g_autofree char *lead = g_ascii_strdown (line_start, address_start - line_start);
  gsize n = strlen (lead);

  while (n > 0 && (lead[n - 1] == '<' || lead[n - 1] == '"'))
    {
      /* keep "from:<" intact for the comparison below */
      if (lead[n - 1] == '<')
        break;
      n--;
    }
  lead[n] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (before); i++)
    if (g_str_has_suffix (lead, before[i]))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (line_words); i++)
    if (strstr (lead, line_words[i]) != NULL)
      return TRUE;
  (void) text;
  return FALSE;
}

/* ---- the returned message ------------------------------------------------ */

/* Where the copy of the original message starts in a free-text report. */
static const char *
find_returned_marker (const char *text)
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

static char *
header_in_text (const char *text,
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

/* ---- classification of one recipient ---------------------------------- */

static gboolean
rule_is_phrase (const char *rule)
{
  return rule != NULL && g_str_has_prefix (rule, "phrase:");
}

/* A status that says something precise ("5.1.1", not "5.0.0" or "5.5.0"). */
static gboolean
status_is_specific (const char *status)
{
  return status != NULL && status[0] != '\0' && !g_str_has_suffix (status, ".0");
}

/* How much a status says: 0 for "5.0.0", 1 for "5.7.0", 2 for "5.7.1". */
static int
status_detail (const char *status)
{
  const char *dot = status != NULL ? strchr (status, '.') : NULL;
  const char *dot2 = dot != NULL ? strchr (dot + 1, '.') : NULL;

  if (dot2 == NULL)
    return -1;
  return (strtol (dot + 1, NULL, 10) != 0) + (strtol (dot2 + 1, NULL, 10) != 0);
}

/* The first of the most detailed statuses in @text ("5.1.0 - Unknown
 * address error 550-'5.2.2 … Mailbox Full'" gives 5.2.2). */
static gboolean
most_detailed_status (const char *text,
                      char        status[16])
{
  const char *p = text;
  char found[16];
  int best = -1;

  while (p != NULL && ob_bounce_find_status (p, found))
    {
      int detail = status_detail (found);

      if (detail > best)
        {
          best = detail;
          memcpy (status, found, 16);
        }
      p = strstr (p, found);
      if (p != NULL)
        p += strlen (found);
    }
  return best >= 0;
}

static const char *
default_status (ObBounceReason reason,
                gboolean       permanent)
{
  static const struct { ObBounceReason reason; const char *status; } defaults[] = {
    { OB_BOUNCE_REASON_USERUNKNOWN, "5.1.1" }, { OB_BOUNCE_REASON_HOSTUNKNOWN, "5.1.2" },
    { OB_BOUNCE_REASON_HASMOVED, "5.1.6" }, { OB_BOUNCE_REASON_MAILBOXFULL, "5.2.2" },
    { OB_BOUNCE_REASON_MESGTOOBIG, "5.3.4" }, { OB_BOUNCE_REASON_EXCEEDLIMIT, "5.2.3" },
    { OB_BOUNCE_REASON_SUSPEND, "5.2.1" }, { OB_BOUNCE_REASON_FILTERED, "5.2.1" },
    { OB_BOUNCE_REASON_NOTACCEPT, "5.1.10" }, { OB_BOUNCE_REASON_EXPIRED, "4.4.7" },
    { OB_BOUNCE_REASON_NETWORKERROR, "5.4.0" }, { OB_BOUNCE_REASON_SYSTEMERROR, "5.3.0" },
    { OB_BOUNCE_REASON_SYSTEMFULL, "5.3.1" }, { OB_BOUNCE_REASON_NORELAYING, "5.7.1" },
    { OB_BOUNCE_REASON_BLOCKED, "5.7.1" }, { OB_BOUNCE_REASON_SPAMDETECTED, "5.7.1" },
    { OB_BOUNCE_REASON_POLICYVIOLATION, "5.7.0" }, { OB_BOUNCE_REASON_REJECTED, "5.7.1" },
    { OB_BOUNCE_REASON_SECURITYERROR, "5.7.0" }, { OB_BOUNCE_REASON_AUTHFAILURE, "5.7.26" },
    { OB_BOUNCE_REASON_REQUIREPTR, "5.7.25" }, { OB_BOUNCE_REASON_VIRUSDETECTED, "5.7.1" },
    { OB_BOUNCE_REASON_CONTENTERROR, "5.6.0" }, { OB_BOUNCE_REASON_SYNTAXERROR, "5.5.2" },
    { OB_BOUNCE_REASON_MAILERERROR, "5.3.0" }, { OB_BOUNCE_REASON_TOOMANYCONN, "4.7.0" },
    { OB_BOUNCE_REASON_SPEEDING, "4.7.0" }, { OB_BOUNCE_REASON_BADREPUTATION, "5.7.1" },
    { OB_BOUNCE_REASON_NOTCOMPLIANTRFC, "5.7.1" }, { OB_BOUNCE_REASON_FAILEDSTARTTLS, "5.7.10" },
    { OB_BOUNCE_REASON_ONHOLD, "5.0.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (defaults[i].reason == reason)
      {
        if (!permanent && defaults[i].status[0] == '5')
          return NULL;
        return defaults[i].status;
      }
  return NULL;
}

typedef enum
{
  PHASE_NONE,
  PHASE_CONNECT,
  PHASE_MAIL,
  PHASE_RCPT,
  PHASE_DATA,
} Phase;

/* Which SMTP command the failure answered, from the report's wording
 * (normalised, ob_bounce_normalize_text()):
 * the one mentioned last wins (a transcript ends with the failing one).
 * Every phrase holds one of a few words; the phrases of a word absent
 * from the text are not looked for. */
static Phase
detect_phase (const char *norm)
{
  static const char *anchors[] = { "data", "rcpt", "mail from", "sender was", "connection", "helo", "ehlo" };
  enum { A_DATA, A_RCPT, A_MAIL, A_SENDER, A_CONNECTION, A_HELO, A_EHLO };
  static const struct { const char *phrase; Phase phase; guint anchor; } phrases[] = {
    { "in reply to end of data command", PHASE_DATA, A_DATA },
    { "in reply to data command", PHASE_DATA, A_DATA },
    { "after end of data", PHASE_DATA, A_DATA },
    { "error following data command", PHASE_DATA, A_DATA },
    { "smtp command data", PHASE_DATA, A_DATA },
    { "did not like our data", PHASE_DATA, A_DATA },
    { "did not like our final data", PHASE_DATA, A_DATA },
    { ">>> data", PHASE_DATA, A_DATA },
    { "(data)", PHASE_DATA, A_DATA },
    { "in reply to rcpt to command", PHASE_RCPT, A_RCPT },
    { "rcpt to response", PHASE_RCPT, A_RCPT },
    { "rcpt to:", PHASE_RCPT, A_RCPT },
    { "[rcpt_to]", PHASE_RCPT, A_RCPT },
    { "rcpt command", PHASE_RCPT, A_RCPT },
    { "after rcpt to", PHASE_RCPT, A_RCPT },
    { "error following rcpt command", PHASE_RCPT, A_RCPT },
    { "did not like our rcpt to", PHASE_RCPT, A_RCPT },
    { ">>> rcpt to", PHASE_RCPT, A_RCPT },
    { "in reply to mail from command", PHASE_MAIL, A_MAIL },
    { "after mail from", PHASE_MAIL, A_MAIL },
    { "did not like our mail from", PHASE_MAIL, A_MAIL },
    { ">>> mail from", PHASE_MAIL, A_MAIL },
    { "sender was rejected", PHASE_MAIL, A_SENDER },
    { "after initial connection", PHASE_CONNECT, A_CONNECTION },
    { "in reply to ehlo command", PHASE_CONNECT, A_EHLO },
    { "in reply to helo command", PHASE_CONNECT, A_HELO },
    { "after ehlo", PHASE_CONNECT, A_EHLO },
    { "after helo", PHASE_CONNECT, A_HELO },
  };
  const char *first[G_N_ELEMENTS (anchors)];
  const char *best = NULL;
  Phase phase = PHASE_NONE;
  gboolean any = FALSE;

  for (guint a = 0; a < G_N_ELEMENTS (anchors); a++)
    any |= (first[a] = strstr (norm, anchors[a])) != NULL;
  if (!any)
    return PHASE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      const char *hit;

      if (first[phrases[i].anchor] == NULL)
        continue;
      hit = strstr (norm, phrases[i].phrase);
      while (hit != NULL)
        {
          const char *next = strstr (hit + 1, phrases[i].phrase);
          if (next == NULL)
            break;
          hit = next;
        }
      if (hit != NULL && (best == NULL || hit > best))
        {
          best = hit;
          phase = phrases[i].phase;
        }
    }
  return phase;
}

/* The reason a phrase of the report's own explanation names, with the
 * server's reply (quoted in it) left out; UNDEFINED when none does. */
static ObBounceReason
context_reason (const char *norm_context,
                const char *diag)
{
  g_autofree char *norm = g_strdup (norm_context);
  gsize n = strlen (diag);
  ObBounceReason found;

  for (char *hit = n > 0 ? strstr (norm, diag) : NULL; hit != NULL; hit = strstr (hit + n, diag))
    memset (hit, ' ', n);
  return ob_bounce_match_phrase (norm, &found, NULL) ? found : OB_BOUNCE_REASON_UNDEFINED;
}

/* TRUE when the reporting MTA's own words, before the server's reply in
 * the diagnostic ("退信原因：收件人邮箱地址不存在 … 550 Mailbox not found"),
 * name @reason through one of the phrases written in the user's language
 * (the zh and intl tables): the provider's explanation to its user, its
 * reading of the reply. English words there mostly restate the reply
 * ("Invalid Address, ERROR_CODE :550 …"), which is no second opinion. */
static gboolean
own_words_confirm (const char     *diag,
                   int             reply_code,
                   ObBounceReason  reason)
{
  g_autofree char *own = NULL;
  ObBounceReason found;
  const char *rule = NULL;
  char code[8];
  const char *at;

  if (diag[0] == '\0' || reply_code <= 0)
    return FALSE;
  g_snprintf (code, sizeof code, "%d", reply_code);
  at = strstr (diag, code);
  if (at == NULL || at == diag)
    return FALSE;
  own = g_strndup (diag, at - diag);
  return ob_bounce_match_phrase (own, &found, &rule) && found == reason &&
         (g_str_has_prefix (rule, "phrase:zh:") || g_str_has_prefix (rule, "phrase:intl:"));
}

/* @text normalised, computed once into @cache; "" for NULL. */
static const char *
normalized (const char  *text,
            char       **cache)
{
  if (*cache == NULL)
    *cache = ob_bounce_normalize_text (text);
  return *cache;
}

/* Settles @primary as @r's verdict: an undecided reason becomes "on
 * hold", a missing status is derived from the reason, and the kind and
 * action follow from both. */
static void
finish_recipient (ObBounceRecipient *r,
                  ObBounceVerdict   *primary)
{
  /* Nothing precise: on hold for a person to look at — unless the report
   * says outright that it knows nothing (Postfix's "Delivery report
   * unavailable"), which stays undefined. */
  if (primary->reason == OB_BOUNCE_REASON_UNDEFINED && rule_is_phrase (primary->rule))
    ;
  else if (primary->reason == OB_BOUNCE_REASON_UNDEFINED)
    {
      primary->reason = OB_BOUNCE_REASON_ONHOLD;
      primary->rule = primary->rule ? primary->rule : "none";
    }

  if (primary->status[0] == '\0')
    {
      gboolean permanent = primary->reply_code / 100 != 4;
      const char *derived = default_status (primary->reason, permanent);

      if (derived != NULL)
        {
          g_strlcpy (primary->status, derived, sizeof primary->status);
          r->status_derived = TRUE;
        }
    }
  {
    gboolean permanent = primary->status[0] != '4' &&
                         !(primary->status[0] == '\0' && primary->reply_code / 100 == 4);
    primary->kind = ob_bounce_reason_get_kind (primary->reason, permanent);
    primary->action = ob_bounce_reason_get_action (primary->reason, permanent);
  }
  r->verdict = *primary;
}

/* Decides the reason of one recipient from, in order: a phrase in the
 * server's own diagnostic, a specific status code, a phrase in the
 * report's explanation, and the reply code. */
static void
classify_recipient (ObBounceRecipient *r,
                    const char        *status,
                    int                reply_code,
                    const char        *context)
{
  ObBounceVerdict primary, secondary;
  g_autofree char *norm_diag = NULL;
  g_autofree char *norm_context = NULL;
  gboolean mailer = r->verdict.rule != NULL && g_str_equal (r->verdict.rule, "dsn:x-unix");
  ObBounceReason mailer_reason = r->verdict.reason;

  ob_bounce_classify (reply_code, status, r->diagnostic, &primary);
  if (mailer && rule_is_phrase (primary.rule))
    mailer = FALSE;
  if (mailer)
    {
      primary.reason = mailer_reason;
      primary.rule = r->verdict.rule;
      context = NULL;
    }

  if (!rule_is_phrase (primary.rule) && primary.reason != OB_BOUNCE_REASON_DELIVERED &&
      context != NULL && *context)
    {
      gboolean specific = status_is_specific (primary.status) &&
                          g_str_has_prefix (primary.rule, "status:");

      ob_bounce_classify (primary.reply_code, primary.status, context, &secondary);
      if (!specific && rule_is_phrase (secondary.rule))
        {
          primary.reason = secondary.reason;
          primary.rule = secondary.rule;
        }
      if (primary.reply_code == 0)
        primary.reply_code = secondary.reply_code;
      if (primary.status[0] == '\0')
        memcpy (primary.status, secondary.status, sizeof primary.status);
    }

  /* A delay notice that says nothing more: Sisimai's vocabulary calls a
   * message still queued after a while "expired". */
  if (r->dsn_action != NULL && g_ascii_strncasecmp (r->dsn_action, "delayed", 7) == 0 &&
      !rule_is_phrase (primary.rule) && !mailer)
    {
      primary.reason = OB_BOUNCE_REASON_EXPIRED;
      primary.rule = "dsn:delayed";
    }

  /* A temporary failure that ended as a permanent one: the retries ran out. */
  if (r->dsn_action != NULL && g_ascii_strncasecmp (r->dsn_action, "failed", 6) == 0 &&
      primary.status[0] == '4' &&
      (primary.reason == OB_BOUNCE_REASON_UNDEFINED ||
       (primary.reason == OB_BOUNCE_REASON_NETWORKERROR && r->diagnostic != NULL &&
        strstr (r->diagnostic, "timed out") != NULL)))
    {
      primary.reason = OB_BOUNCE_REASON_EXPIRED;
      primary.rule = "dsn:failed-after-retries";
    }

  /* "The user(s) account is disabled." above a relayed "550 User
   * unknown": the reporting host, which knows the mailbox, says it is
   * disabled rather than gone. */
  if (primary.reason == OB_BOUNCE_REASON_USERUNKNOWN && context != NULL && *context)
    {
      ObBounceReason stated = context_reason (normalized (context, &norm_context),
                                              normalized (r->diagnostic, &norm_diag));

      if (stated == OB_BOUNCE_REASON_SUSPEND)
        {
          primary.reason = stated;
          primary.rule = "context:mailbox-state";
        }
    }

  {
    Phase phase = detect_phase (normalized (r->diagnostic, &norm_diag));

    if (phase == PHASE_NONE)
      phase = detect_phase (normalized (context, &norm_context));
    /* An address refused only after the message was sent (at DATA) was
     * accepted at RCPT: a filter on the recipient's side, not a missing
     * mailbox. */
    if (primary.reason == OB_BOUNCE_REASON_USERUNKNOWN && rule_is_phrase (primary.rule) &&
        ((phase == PHASE_DATA && g_str_has_prefix (primary.rule, "phrase:en:") &&
          !g_str_has_suffix (primary.status, ".1.1")) ||
         /* "5.2.1 … User unknown" outside RCPT: the mailbox refused it. */
         (phase != PHASE_RCPT && g_str_has_suffix (primary.status, ".2.1")) ||
         /* "550 5.7.1 User unknown": a policy status, whatever the words. */
         (phase != PHASE_RCPT && primary.status[0] != '\0' && strncmp (primary.status + 1, ".7.", 3) == 0) ||
         /* "User unknown" relayed with neither a status nor the command it
          * answered: the far end may have refused the message rather than
          * the address (Sisimai: "filtered") — unless the reporting MTA
          * says in its own words that the address does not exist. The
          * provider that hosts the mailbox saying so is another matter:
          * see data/profiles.txt. */
         (phase == PHASE_NONE && primary.status[0] == '\0' &&
          !own_words_confirm (normalized (r->diagnostic, &norm_diag), primary.reply_code,
                              OB_BOUNCE_REASON_USERUNKNOWN))))
      {
        primary.reason = OB_BOUNCE_REASON_FILTERED;
        primary.rule = "phase:data-userunknown";
      }
    /* Refused on connecting, without a more precise reason: the
     * sending host is not welcome. */
    if (phase == PHASE_CONNECT && !rule_is_phrase (primary.rule) &&
        (primary.reason == OB_BOUNCE_REASON_ONHOLD || primary.reason == OB_BOUNCE_REASON_UNDEFINED ||
         primary.reason == OB_BOUNCE_REASON_SYSTEMERROR))
      {
        primary.reason = OB_BOUNCE_REASON_BLOCKED;
        primary.rule = "phase:connect";
      }
    /* Refused at MAIL FROM: whatever was wrong is about the sender, so a
     * "does not exist" there never condemns the recipient's address. */
    if (phase == PHASE_MAIL &&
        (ob_bounce_reason_get_kind (primary.reason, TRUE) == OB_BOUNCE_KIND_HARD ||
         ((primary.reason == OB_BOUNCE_REASON_ONHOLD || primary.reason == OB_BOUNCE_REASON_UNDEFINED ||
           primary.reason == OB_BOUNCE_REASON_SYSTEMERROR || primary.reason == OB_BOUNCE_REASON_SECURITYERROR ||
           primary.reason == OB_BOUNCE_REASON_BLOCKED) && !rule_is_phrase (primary.rule))))
      {
        primary.reason = OB_BOUNCE_REASON_REJECTED;
        primary.rule = "phase:mail-from";
      }
  }

  /* NTT docomo's servers (*.docomo.ne.jp) answer a sender refused by the
   * recipient's own reception filter with a generic "550 Unknown user"
   * after the message (DATA), and "552 Too many recipients" when one
   * session carried more than they take from one sender. */
  if (ob_bounce_host_in_domain (r->remote_mta, "docomo.ne.jp"))
    {
      Phase phase = detect_phase (normalized (context, &norm_context));
      const char *diag = normalized (r->diagnostic, &norm_diag);

      if (strstr (diag, "552 too many recipients") != NULL)
        {
          primary.reason = OB_BOUNCE_REASON_TOOMANYCONN;
          primary.rule = "remote:docomo-too-many-recipients";
        }
      else if (phase == PHASE_DATA && !g_str_has_suffix (primary.status, ".1.1") &&
               (primary.reason == OB_BOUNCE_REASON_FILTERED || primary.reason == OB_BOUNCE_REASON_USERUNKNOWN))
        {
          primary.reason = OB_BOUNCE_REASON_REJECTED;
          primary.rule = "remote:docomo-data";
        }
    }

  finish_recipient (r, &primary);
}

/* The start of RFC 3464 fields inside plain text: the "Reporting-MTA:"
 * line before the first "Final-Recipient:", or that line itself. */
static const char *
find_inline_dsn (const char *text)
{
  const char *final = NULL, *reporting = NULL;

  for (const char *p = text; p != NULL && *p; p = strchr (p, '\n'))
    {
      if (*p == '\n')
        p++;
      if (g_ascii_strncasecmp (p, "Reporting-MTA:", 14) == 0 && reporting == NULL)
        reporting = p;
      if (g_ascii_strncasecmp (p, "Final-Recipient:", 16) == 0)
        {
          final = p;
          break;
        }
    }
  if (final == NULL)
    return NULL;
  return reporting != NULL && reporting < final ? reporting : final;
}

/* The paragraph of @text (up to a blank line) that mentions @address,
 * or NULL. */
static char *
paragraph_naming (const char *text,
                  const char *address)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *needle = g_ascii_strdown (address, -1);
  const char *hit = strstr (lower, needle);
  const char *start, *end;

  if (hit == NULL)
    return NULL;
  start = line_start_of (lower, hit);
  end = strstr (hit, "\n\n");
  if (end == NULL)
    end = strstr (hit, "\n\r\n");
  if (end == NULL)
    end = lower + strlen (lower);
  return g_strstrip (g_strndup (text + (start - lower), MIN ((gsize) (end - start), 2048)));
}

/* ---- the three shapes ------------------------------------------------------ */

static void
parse_dsn (ObBounceReport *report,
           const char     *dsn,
           const char     *human)
{
  g_autoptr(GPtrArray) blocks = parse_field_blocks (dsn);
  const char *reporting_mta = NULL;

  for (guint b = 0; b < blocks->len && report->recipients->len < MAX_RECIPIENTS; b++)
    {
      GPtrArray *block = g_ptr_array_index (blocks, b);
      const char *final = block_get (block, "final-recipient");
      const char *original = block_get (block, "original-recipient");
      const char *diag = block_get (block, "diagnostic-code");
      const char *status = block_get (block, "status");
      ObBounceRecipient *r;
      g_autofree char *context = NULL;
      char st[16] = "";
      int code = 0;

      if (final == NULL && original == NULL)
        {
          if (reporting_mta == NULL)
            reporting_mta = block_get (block, "reporting-mta");
          continue;
        }

      r = g_new0 (ObBounceRecipient, 1);
      r->recipient = typed_value (final ? final : original);
      r->original_recipient = typed_value (original);
      r->dsn_action = g_strdup (block_get (block, "action"));
      r->remote_mta = typed_value (block_get (block, "remote-mta"));
      r->diagnostic = diag ? typed_value (diag) : NULL;
      if (r->diagnostic == NULL && diag != NULL)
        r->diagnostic = g_strdup (diag);
      if (status != NULL)
        {
          const char *s = status;
          while (*s == ' ')
            s++;
          if (!ob_bounce_find_status (s, st))
            st[0] = '\0';
        }
      /* No Diagnostic-Code: the explanation often quotes the server's
       * reply on the recipient's own line. */
      if ((r->diagnostic == NULL || r->diagnostic[0] == '\0') && human != NULL && r->recipient != NULL)
        {
          g_free (r->diagnostic);
          r->diagnostic = paragraph_naming (human, r->recipient);
        }
      /* Nor there: "Status: 4.0.0 (cat.example.net: host name lookup
       * failure)" — RFC 3464's own example puts the cause in the comment. */
      if ((r->diagnostic == NULL || r->diagnostic[0] == '\0') && status != NULL &&
          strchr (status, '(') != NULL && strchr (status, ')') > strchr (status, '('))
        {
          const char *open = strchr (status, '(');

          g_free (r->diagnostic);
          r->diagnostic = g_strndup (open + 1, strchr (status, ')') - open - 1);
        }
      if (r->diagnostic != NULL)
        {
          char found[16] = "";

          code = ob_bounce_find_reply_code (r->diagnostic);
          /* "Status: 5.0.0" with "550 5.7.26 …" in the words: the words
           * are more precise. */
          /* The remote server's own status, in its words, says more than
           * the reporting MTA's summary ("Status: 4.4.7" over "450 4.7.1
           * Access denied"), unless it is vaguer. */
          if (most_detailed_status (r->diagnostic, found) && (st[0] == '\0' || found[0] == st[0]) &&
              status_detail (found) >= MAX (status_detail (st), 1))
            memcpy (st, found, sizeof st);
          /* "Action: failed", "Status: 4.5.0" and the server's own "550
           * 5.5.0": the server said permanent, and nothing is retried. */
          else if (st[0] == '4' && found[0] == '5' && code / 100 == 5 && r->dsn_action != NULL &&
                   g_ascii_strncasecmp (r->dsn_action, "failed", 6) == 0)
            memcpy (st, found, sizeof st);
        }
      /* "X-Unix; 71": the local delivery program's exit status. */
      if (diag != NULL && g_ascii_strncasecmp (diag, "x-unix", 6) == 0)
        {
          /* sysexits.h: 67 no such user, 68 no such host, 73/74/77/78 the
           * system (files, I/O, permissions, configuration). */
          int exit_code = r->diagnostic && g_ascii_isdigit (r->diagnostic[0]) ? atoi (r->diagnostic) : 0;

          r->verdict.reason = OB_BOUNCE_REASON_MAILERERROR;
          r->verdict.rule = "dsn:x-unix";
          if (exit_code == 67)
            r->verdict.reason = OB_BOUNCE_REASON_USERUNKNOWN;
          else if (exit_code == 68)
            r->verdict.reason = OB_BOUNCE_REASON_HOSTUNKNOWN;
          else if (exit_code == 73 || exit_code == 74 || exit_code == 77 || exit_code == 78)
            r->verdict.reason = OB_BOUNCE_REASON_SYSTEMERROR;
        }
      /* The human-readable part may carry the server's words too. */
      if (human != NULL && *human)
        context = g_strndup (human, MIN (strlen (human), 4096));
      classify_recipient (r, st, code, context);
      g_ptr_array_add (report->recipients, r);
    }
}

static void
parse_free_text (ObBounceReport *report,
                 const char     *text,
                 const char     *failed_recipients)
{
  g_autoptr(GPtrArray) starts = g_ptr_array_new ();
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *bounce_from = first_address (report->from);
  g_autofree char *orig_from = first_address (report->original_from);
  g_autofree char *bounce_to = report->to ? g_ascii_strdown (report->to, -1) : NULL;
  const char *p = text, *s, *e;
  gboolean allow_self = FALSE;
  g_autoptr(GHashTable) excluded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Exim and Gmail name the failed recipients in a header. */
  if (failed_recipients != NULL)
    {
      const char *q = failed_recipients;

      while (next_address (failed_recipients, q, &s, &e) && addresses->len < MAX_RECIPIENTS)
        {
          g_autofree char *address = g_ascii_strdown (s, e - s);
          const char *hit = strstr (text, address);

          q = e;
          if (hit == NULL)
            {
              g_autofree char *lower = g_ascii_strdown (text, -1);
              const char *lhit = strstr (lower, address);
              hit = lhit ? text + (lhit - lower) : NULL;
            }
          g_ptr_array_add (starts, (gpointer) (hit ? line_start_of (text, hit) : text));
          g_ptr_array_add (addresses, g_steal_pointer (&address));
        }
      p = text + strlen (text);
    }

scan:
  while (next_address (text, p, &s, &e) && addresses->len < MAX_RECIPIENTS)
    {
      g_autofree char *address = g_ascii_strdown (s, e - s);
      const char *ls = line_start_of (text, s);
      gboolean seen = FALSE;

      p = e;
      if (is_daemon_address (address) || is_noise_line (ls) ||
          (bounce_from && g_str_equal (address, bounce_from)) ||
          (orig_from && g_str_equal (address, orig_from)) ||
          /* the bounce goes back to the sender: its To is not a recipient,
           * unless the sender wrote to itself (the second pass) */
          (bounce_to && !allow_self && strstr (bounce_to, address) != NULL) ||
          g_hash_table_contains (excluded, address))
        continue;
      if (names_sender_or_helpdesk (text, ls, s))
        {
          /* Once a help desk or a sender, always: later mentions too. */
          g_hash_table_add (excluded, g_steal_pointer (&address));
          continue;
        }
      /* Message-IDs look like addresses: "<…@…>" right after "id". */
      if (s > text + 1 && s[-1] == '<' && (e[0] != '>' || (s >= text + 4 && g_ascii_strncasecmp (s - 4, "id <", 4) == 0)))
        {
          if (e[0] != '>')
            continue;
        }
      for (guint i = 0; i < addresses->len; i++)
        if (g_str_equal (g_ptr_array_index (addresses, i), address))
          seen = TRUE;
      if (seen)
        continue;
      g_ptr_array_add (addresses, g_steal_pointer (&address));
      g_ptr_array_add (starts, (gpointer) ls);
    }

  if (addresses->len == 0 && !allow_self && bounce_to != NULL)
    {
      allow_self = TRUE;
      p = text;
      goto scan;
    }

  if (addresses->len == 0 && report->original_to != NULL)
    {
      char *to = first_address (report->original_to);

      if (to != NULL)
        {
          g_ptr_array_add (addresses, to);
          g_ptr_array_add (starts, (gpointer) text);
        }
    }

  for (guint i = 0; i < addresses->len; i++)
    {
      const char *start = g_ptr_array_index (starts, i);
      const char *end = NULL;
      ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

      for (guint k = i + 1; k < starts->len && end == NULL; k++)
        if ((const char *) g_ptr_array_index (starts, k) > start)
          end = g_ptr_array_index (starts, k);
      if (end == NULL)
        end = start + strlen (start);

      /* Sendmail's transcript puts the server's words (">>> MAIL From:",
       * "<<< 550 …") on the lines just above the recipient's summary. */
      {
        const char *limit = i > 0 ? (const char *) g_ptr_array_index (starts, i - 1) : text;

        while (start > text && start > limit)
          {
            const char *prev = line_start_of (text, start - 1);
            const char *q = prev;

            while (*q == ' ' || *q == '\t')
              q++;
            if (g_str_has_prefix (q, "<<<") || g_str_has_prefix (q, ">>>") ||
                (starts_with_reply_code (q) && memchr (q, '@', start - q) == NULL))
              start = prev;
            else
              break;
          }

        /* "554 <a@b>... Host unknown": a summary line says all there is
         * to say about its recipient; the lines after it are the next's. */
        if (starts_with_reply_code (g_ptr_array_index (starts, i)))
          {
            const char *eol = strchr (g_ptr_array_index (starts, i), '\n');

            if (eol != NULL && eol < end)
              end = eol;
          }
      }

      r->recipient = g_strdup (g_ptr_array_index (addresses, i));
      r->diagnostic = g_strstrip (g_strndup (start, MIN ((gsize) (end - start), 4096)));
      if (g_str_has_suffix (r->recipient, "@googlegroups.com") && strstr (text, "groups.google.com") != NULL)
        {
          /* Google Groups refuses a sender who may not post to the group. */
          r->verdict.reason = OB_BOUNCE_REASON_REJECTED;
          r->verdict.rule = "googlegroups:no-permission";
          r->verdict.kind = OB_BOUNCE_KIND_SOFT;
          r->verdict.action = OB_BOUNCE_ACTION_PAUSE_SENDER;
          g_strlcpy (r->verdict.status, "5.7.1", sizeof r->verdict.status);
          r->status_derived = TRUE;
        }
      else
        classify_recipient (r, NULL, 0, text);
      g_ptr_array_add (report->recipients, r);
    }
}

/* ---- auto-replies ------------------------------------------------------------ */

static gboolean
text_has_any (const char  *text,
              const char **phrases,
              gsize        n)
{
  g_autofree char *norm = NULL;

  if (text == NULL)
    return FALSE;
  norm = ob_bounce_normalize_text (text);
  for (gsize i = 0; i < n; i++)
    if (strstr (norm, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
subject_is_bounce (const char *subject)
{
  static const char *phrases[] = {
    "undeliver", "undelivered", "delivery status notification", "delivery failure",
    "delivery failed", "delivery has failed", "failure notice", "returned mail",
    "mail delivery failed", "mail delivery system", "non remis", "non-remis", "unzustellbar",
    "nicht zustellbar", "delivery notification", "could not be delivered", "mail failure",
    "delivery problem", "delivery status", "postmaster notify", "mail system error",
    "warning: could not send", "delayed", "returned to sender", "退信", "系统退信",
    "投递失败", "发送失败", "未送达", "bounce", "failed delivery", "nondeliverable",
    "not delivered", "error sending", "mail could not", "message could not",
    "there was an error sending", "problem delivering", "delivery report",
    "mail error", "メールエラー", "エラー通知", "配信エラー", "不達", "邮件退回", "退回",
    "无法投递", "發送失敗", "退信通知",
  };
  return text_has_any (subject, phrases, G_N_ELEMENTS (phrases));
}

/* Subjects that say "automatic reply" outright. Weaker words ("away",
 * "vacation") are left to the RFC 3834 headers: a person may write them. */
static gboolean
subject_is_auto_reply (const char *subject)
{
  static const char *phrases[] = {
    "out of office", "out of the office", "automatic reply", "auto reply", "autoreply",
    "auto-reply", "auto response", "autoresponse", "automatische antwort", "abwesenheitsnotiz",
    "respuesta automática", "réponse automatique", "risposta automatica", "resposta automática",
    "自动回复", "自動回覆", "自动答复", "自動返信", "자동 응답", "автоответ",
  };
  return text_has_any (subject, phrases, G_N_ELEMENTS (phrases));
}

/* The explanation of a report that does not say what it is in its headers. */
static gboolean
body_says_undelivered (const char *text)
{
  static const char *phrases[] = {
    "could not be delivered", "couldn't be delivered", "was not delivered", "undeliverable",
    "delivery has failed", "delivery failed", "failed to deliver", "unable to deliver",
    "not be delivered", "送信できませんでした", "未能送达", "无法投递", "投递失败", "退信",
  };
  g_autofree char *head = g_strndup (text ? text : "", 2048);

  return text_has_any (head, phrases, G_N_ELEMENTS (phrases));
}

/* ---- entry points ---------------------------------------------------------------- */

static void
add_feedback_recipient (ObBounceReport *report,
                        char           *recipient,
                        char           *remote_mta,
                        char           *diagnostic,
                        const char     *rule)
{
  ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

  r->recipient = recipient;
  r->remote_mta = remote_mta;
  r->diagnostic = diagnostic;
  r->verdict.reason = OB_BOUNCE_REASON_FEEDBACK;
  r->verdict.rule = rule;
  r->verdict.kind = OB_BOUNCE_KIND_NONE;
  r->verdict.action = OB_BOUNCE_ACTION_SUPPRESS;
  g_ptr_array_add (report->recipients, r);
  report->is_feedback = TRUE;
  report->is_bounce = TRUE;
}

static const char *
json_string_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
json_object_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
json_array_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Amazon SES notifications (bounce, complaint, delivery) as JSON, bare or
 * wrapped in an SNS envelope whose "Message" holds the JSON as a string. */
static gboolean
parse_json_notification (ObBounceReport *report,
                         const char     *text)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *start;
  const char *type;
  JsonObject *root, *mail;
  JsonArray *list;

  if (text == NULL || strstr (text, "notificationType") == NULL)
    return FALSE;
  start = strchr (text, '{');
  if (start == NULL)
    return FALSE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, start, -1, NULL))
    {
      /* Text after the closing brace (a signature) makes it invalid. */
      const char *end = strrchr (start, '}');
      g_autofree char *cut = end ? g_strndup (start, end - start + 1) : NULL;

      if (cut == NULL || !json_parser_load_from_data (parser, cut, -1, NULL))
        return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_string_member (root, "Message") != NULL)
    {
      const char *inner = json_string_member (root, "Message");
      g_autoptr(JsonParser) inner_parser = json_parser_new ();

      if (!json_parser_load_from_data (inner_parser, inner, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (inner_parser)))
        return FALSE;
      g_object_unref (parser);
      parser = g_steal_pointer (&inner_parser);
      root = json_node_get_object (json_parser_get_root (parser));
    }

  type = json_string_member (root, "notificationType");
  if (type == NULL)
    type = json_string_member (root, "eventType");
  if (type == NULL)
    return FALSE;

  mail = json_object_member (root, "mail");
  if (mail != NULL && report->original_message_id == NULL)
    {
      JsonObject *common = json_object_member (mail, "commonHeaders");
      const char *id = json_string_member (common, "messageId");

      report->original_message_id = strip_angles (id ? id : json_string_member (mail, "messageId"));
    }

  if (g_ascii_strcasecmp (type, "Complaint") == 0)
    {
      JsonObject *complaint = json_object_member (root, "complaint");

      list = json_array_member (complaint, "complainedRecipients");
      for (guint i = 0; list != NULL && i < json_array_get_length (list) && i < MAX_RECIPIENTS; i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          const char *address = JSON_NODE_HOLDS_OBJECT (node) ?
                                json_string_member (json_node_get_object (node), "emailAddress") : NULL;

          if (address != NULL)
            add_feedback_recipient (report, g_strdup (address), NULL,
                                    g_strdup (json_string_member (complaint, "complaintFeedbackType")),
                                    "ses:complaint");
        }
      return report->recipients->len > 0;
    }

  if (g_ascii_strcasecmp (type, "Bounce") == 0 || g_ascii_strcasecmp (type, "Delivery") == 0)
    {
      gboolean delivery = g_ascii_strcasecmp (type, "Delivery") == 0;
      JsonObject *detail = json_object_member (root, delivery ? "delivery" : "bounce");

      list = json_array_member (detail, delivery ? "recipients" : "bouncedRecipients");
      for (guint i = 0; list != NULL && i < json_array_get_length (list) && i < MAX_RECIPIENTS; i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *address = delivery ? (JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL)
                                         : json_string_member (item, "emailAddress");
          const char *diag = delivery ? json_string_member (detail, "smtpResponse")
                                      : json_string_member (item, "diagnosticCode");
          ObBounceRecipient *r;

          if (address == NULL)
            continue;
          r = g_new0 (ObBounceRecipient, 1);
          r->recipient = g_strdup (address);
          r->diagnostic = g_strdup (diag);
          r->dsn_action = g_strdup (delivery ? "delivered" : json_string_member (item, "action"));
          r->remote_mta = g_strdup (json_string_member (detail, "remoteMtaIp"));
          classify_recipient (r, delivery ? NULL : json_string_member (item, "status"), 0, NULL);
          g_ptr_array_add (report->recipients, r);
        }
      report->is_bounce = report->recipients->len > 0;
      return report->is_bounce;
    }

  return FALSE;
}

static void
add_candidate (ObBounceReport *report,
               const char     *id)
{
  g_autofree char *clean = strip_angles (id);

  if (clean == NULL || strchr (clean, ' ') != NULL)
    return;
  for (guint i = 0; i < report->candidate_message_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (report->candidate_message_ids, i), clean))
      return;
  g_ptr_array_add (report->candidate_message_ids, g_steal_pointer (&clean));
}

static void
add_id_list (GPtrArray  *array,
             const char *value)
{
  const char *p = value;

  while (p != NULL && (p = strchr (p, '<')) != NULL)
    {
      const char *e = strchr (p, '>');

      if (e == NULL)
        break;
      if (e - p > 1)
        g_ptr_array_add (array, g_strndup (p + 1, e - p - 1));
      p = e + 1;
    }
}

static char *
decoded_header (GMimeObject *object,
                const char  *name)
{
  const char *raw = g_mime_object_get_header (object, name);

  if (raw == NULL)
    return NULL;
  return g_mime_utils_header_decode_text (NULL, raw);
}

/* Lets the reporting system or the recipient's provider have the last
 * word where its wording is known (data/profiles.txt): their "Mailbox not
 * found" about their own mailbox is the address, whatever the command. */
static void
apply_profiles (ObBounceReport *report,
                GMimeObject    *headers,
                const char     *context)
{
  for (guint i = 0; i < report->recipients->len; i++)
    {
      ObBounceRecipient *r = g_ptr_array_index (report->recipients, i);
      ObBounceOrigin origin = { headers, report->from, r->recipient, r->remote_mta };
      ObBounceVerdict verdict = r->verdict;

      if (verdict.reason == OB_BOUNCE_REASON_DELIVERED || verdict.reason == OB_BOUNCE_REASON_FEEDBACK ||
          verdict.reason == OB_BOUNCE_REASON_VACATION)
        continue;
      if (!ob_bounce_profile_decide (&origin, r->diagnostic, context, &verdict.reason, &verdict.rule))
        continue;
      if (r->status_derived)
        {
          verdict.status[0] = '\0';
          r->status_derived = FALSE;
        }
      finish_recipient (r, &verdict);
    }
}

/* Reads a mail whose headers are those of @object and whose content is
 * @body: a message and its MIME part, or one part that is both (a mail
 * parsed as a part: GMime then spends nothing on the addresses and dates
 * of the top-level headers, which are read here as text anyway). */
static ObBounceReport *
report_from_object (GMimeObject *object,
                    GMimeObject *body)
{
  ObBounceReport *report;
  Walk walk = { 0 };
  g_autofree char *auto_submitted = NULL;
  const char *marker = NULL;
  gboolean from_daemon, from_mailer_daemon, bounce_subject, auto_reply_hint;
  gboolean has_code;
  const char *dsn_in_text;
  gboolean null_sender;
  gboolean has_returned;
  gboolean from_robot;

  report = g_new0 (ObBounceReport, 1);
  report->recipients = g_ptr_array_new_with_free_func (recipient_free);
  report->candidate_message_ids = g_ptr_array_new_with_free_func (g_free);
  report->references = g_ptr_array_new_with_free_func (g_free);

  report->from = decoded_header (object, "From");
  report->to = decoded_header (object, "To");
  report->subject = decoded_header (object, "Subject");
  report->message_id = strip_angles (g_mime_object_get_header (object, "Message-ID"));
  report->in_reply_to = strip_angles (g_mime_object_get_header (object, "In-Reply-To"));
  add_id_list (report->references, g_mime_object_get_header (object, "References"));
  auto_submitted = g_strdup (g_mime_object_get_header (object, "Auto-Submitted"));
  {
    const char *return_path = g_mime_object_get_header (object, "Return-Path");
    g_autofree char *rp = return_path ? g_strstrip (g_strdup (return_path)) : NULL;

    null_sender = rp != NULL && (g_str_equal (rp, "<>") || g_str_equal (rp, ""));
  }

  walk.human = g_string_new (NULL);
  walk.dsn = g_string_new (NULL);
  walk.feedback = g_string_new (NULL);
  walk.returned = g_string_new (NULL);
  if (body != NULL)
    walk_object (&walk, body);

  /* A free-text report usually carries the original after a marker line. */
  marker = find_returned_marker (walk.human->str);
  if (marker != NULL)
    {
      if (walk.returned->len == 0)
        g_string_append (walk.returned, marker);
      g_string_truncate (walk.human, marker - walk.human->str);
    }

  if (walk.returned_message != NULL)
    {
      GMimeObject *orig = GMIME_OBJECT (walk.returned_message);

      report->original_message_id = strip_angles (g_mime_object_get_header (orig, "Message-ID"));
      report->original_from = decoded_header (orig, "From");
      report->original_to = decoded_header (orig, "To");
      report->original_subject = decoded_header (orig, "Subject");
    }
  else if (walk.returned->len > 0)
    {
      g_autofree char *id = header_in_text (walk.returned->str, "Message-ID");
      g_autofree char *subject = header_in_text (walk.returned->str, "Subject");

      if (id == NULL)
        id = header_in_text (walk.returned->str, "Message-Id");
      report->original_message_id = strip_angles (id);
      report->original_from = header_in_text (walk.returned->str, "From");
      report->original_to = header_in_text (walk.returned->str, "To");
      if (subject != NULL)
        report->original_subject = g_mime_utils_header_decode_text (NULL, subject);
    }
  if (report->original_message_id == NULL && walk.human->len > 0)
    {
      g_autofree char *id = header_in_text (walk.human->str, "Message-ID");

      report->original_message_id = strip_angles (id);
    }

  report->first_lines = g_strndup (walk.human->str, MIN (walk.human->len, 2048));
  has_returned = walk.returned_message != NULL || walk.returned->len > 0;

  {
    g_autofree char *from_address = first_address (report->from);

    g_autofree char *from_lower = report->from ? g_ascii_strdown (report->from, -1) : NULL;

    /* "MAILER-DAEMON <>" has no address: the name says it. */
    from_mailer_daemon = (from_address != NULL && strstr (from_address, "daemon") != NULL) ||
                         (from_address == NULL && from_lower != NULL && strstr (from_lower, "mailer-daemon") != NULL);
    from_daemon = from_mailer_daemon || (from_address != NULL && is_daemon_address (from_address));
    from_robot = from_daemon ||
                 (from_address != NULL && (g_str_has_prefix (from_address, "no-reply") ||
                                           g_str_has_prefix (from_address, "noreply") ||
                                           g_str_has_prefix (from_address, "bounce")));
  }
  bounce_subject = subject_is_bounce (report->subject);
  auto_reply_hint = (auto_submitted != NULL && g_ascii_strncasecmp (auto_submitted, "no", 2) != 0) ||
                    g_mime_object_get_header (object, "X-Autoreply") != NULL ||
                    g_mime_object_get_header (object, "X-Autorespond") != NULL ||
                    g_ascii_strcasecmp (g_mime_object_get_header (object, "Precedence") ?
                                        g_mime_object_get_header (object, "Precedence") : "", "auto_reply") == 0;
  {
    char st[16];
    has_code = ob_bounce_find_status (walk.human->str, st) || ob_bounce_find_reply_code (walk.human->str) != 0;
  }

  if (walk.feedback->len > 0)
    {
      /* An ARF complaint: the person who complained is the original
       * recipient, and they are not to be mailed again. */
      g_autoptr(GPtrArray) blocks = parse_field_blocks (walk.feedback->str);
      g_autoptr(GPtrArray) rcpts = g_ptr_array_new_with_free_func (g_free);
      const char *mta = NULL, *type = NULL;

      for (guint b = 0; b < blocks->len; b++)
        {
          GPtrArray *block = g_ptr_array_index (blocks, b);

          for (guint f = 0; f < block->len; f++)
            {
              Field *field = g_ptr_array_index (block, f);

              if (g_str_equal (field->name, "original-rcpt-to") && rcpts->len < MAX_RECIPIENTS)
                g_ptr_array_add (rcpts, typed_value (field->value));
              else if (g_str_equal (field->name, "reporting-mta") && mta == NULL)
                mta = field->value;
              else if (g_str_equal (field->name, "feedback-type") && type == NULL)
                type = field->value;
              else if (g_str_equal (field->name, "message-id") && report->original_message_id == NULL)
                report->original_message_id = strip_angles (field->value);
            }
        }
      if (rcpts->len == 0)
        g_ptr_array_add (rcpts, first_address (report->original_to));
      for (guint k = 0; k < rcpts->len; k++)
        add_feedback_recipient (report, g_strdup (g_ptr_array_index (rcpts, k)), mta ? typed_value (mta) : NULL,
                                g_strdup (type), "arf:feedback-report");
    }
  else if (g_mime_object_get_header (object, "X-Apple-Unsubscribe") != NULL)
    {
      /* Apple Mail's "unsubscribe" button mails the List-Unsubscribe
       * address: a request never to be mailed again. */
      add_feedback_recipient (report, first_address (report->from), NULL,
                              g_strdup ("unsubscribe"), "apple:unsubscribe");
    }
  else if (parse_json_notification (report, walk.human->str))
    ;
  else if (walk.dsn->len == 0 && (dsn_in_text = find_inline_dsn (walk.human->str)) != NULL)
    {
      /* Delivery-status fields pasted into the text (a flattened report). */
      g_autofree char *fields = g_strdup (dsn_in_text);

      g_string_truncate (walk.human, dsn_in_text - walk.human->str);
      parse_dsn (report, fields, walk.human->str);
      if (report->recipients->len == 0)
        parse_free_text (report, walk.human->str, g_mime_object_get_header (object, "X-Failed-Recipients"));
      report->is_bounce = report->recipients->len > 0;
    }
  else if (walk.dsn->len > 0)
    {
      parse_dsn (report, walk.dsn->str, walk.human->str);
      if (report->recipients->len == 0)
        parse_free_text (report, walk.human->str, g_mime_object_get_header (object, "X-Failed-Recipients"));
      report->is_bounce = report->recipients->len > 0;
    }
  else if (g_ascii_strncasecmp (g_mime_object_get_header (object, "X-MLServer") ?
                                g_mime_object_get_header (object, "X-MLServer") : "", "fml", 3) == 0 &&
           walk.dsn->len == 0 && from_list_admin (report->from))
    {
      /* fml, a mailing-list manager, returns a post it refuses with a
       * notice from the list's admin naming the list: the list address is
       * the recipient that failed. */
      g_autofree char *norm = ob_bounce_normalize_text (report->first_lines);
      ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

      r->recipient = ob_bounce_match_phrase (norm, NULL, NULL) ? first_address (walk.human->str) : NULL;
      r->diagnostic = g_strstrip (g_strndup (walk.human->str, MIN (walk.human->len, 1024)));
      if (r->recipient != NULL)
        {
          classify_recipient (r, NULL, 0, NULL);
          g_ptr_array_add (report->recipients, r);
        }
      else
        recipient_free (r);
      report->is_bounce = report->recipients->len > 0;
    }
  else if (!from_daemon && !bounce_subject &&
           (auto_reply_hint || subject_is_auto_reply (report->subject)))
    {
      report->is_auto_reply = TRUE;
    }
  else if (!from_mailer_daemon && auto_reply_hint && !has_code)
    {
      /* RFC 3834 marks it an automatic reply, and it holds no server
       * reply: a notice from a person's or a site's robot, not a bounce. */
      report->is_auto_reply = TRUE;
    }
  else if ((from_daemon && (bounce_subject || has_code || null_sender ||
                            g_mime_object_get_header (object, "X-Failed-Recipients") != NULL ||
                            find_returned_marker (report->first_lines ? report->first_lines : "") != NULL ||
                            marker != NULL)) ||
           (from_robot && body_says_undelivered (walk.human->str)) ||
           (bounce_subject && (has_code || null_sender || auto_reply_hint || has_returned ||
                               g_mime_object_get_header (object, "X-Failed-Recipients") != NULL)))
    {
      /* A person's "Re: shipment delayed" is no bounce: a subject alone
       * needs a server's reply code, an empty sender or a robot's header. */
      parse_free_text (report, walk.human->str, g_mime_object_get_header (object, "X-Failed-Recipients"));
      report->is_bounce = report->recipients->len > 0;
    }

  if (report->is_bounce)
    apply_profiles (report, object, walk.human->str);

  if (report->is_auto_reply)
    {
      ObBounceRecipient *r = g_new0 (ObBounceRecipient, 1);

      r->recipient = first_address (report->from);
      r->verdict.reason = OB_BOUNCE_REASON_VACATION;
      r->verdict.rule = "rfc3834:auto-reply";
      g_ptr_array_add (report->recipients, r);
    }

  /* Candidates for finding what was sent, best first. */
  add_candidate (report, report->original_message_id);
  if (report->in_reply_to != NULL)
    add_candidate (report, report->in_reply_to);
  for (guint i = 0; i < report->references->len; i++)
    add_candidate (report, g_ptr_array_index (report->references, i));

  g_clear_object (&walk.returned_message);
  g_string_free (walk.human, TRUE);
  g_string_free (walk.dsn, TRUE);
  g_string_free (walk.feedback, TRUE);
  g_string_free (walk.returned, TRUE);
  return report;
}

/* Reads @message: a bounce, a complaint, an auto-reply or none of these.
 * Never fails: what cannot be understood is reported as not a bounce. */
ObBounceReport *
ob_bounce_report_parse (GMimeMessage *message)
{
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  return report_from_object (GMIME_OBJECT (message), g_mime_message_get_mime_part (message));
}

/* One message from @parser, read as a MIME part (see report_from_object());
 * NULL when there is none. */
static ObBounceReport *
parse_one_message (GMimeParser *parser)
{
  GMimeObject *part = g_mime_parser_construct_part (parser, NULL);
  ObBounceReport *report;

  if (part == NULL)
    return NULL;
  report = report_from_object (part, part);
  g_object_unref (part);
  return report;
}

/* Parses one RFC 5322 message from memory. */
ObBounceReport *
ob_bounce_report_parse_data (const char  *data,
                             gsize        length,
                             GError     **error)
{
  GMimeStream *stream;
  GMimeParser *parser;
  ObBounceReport *report;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  stream = g_mime_stream_mem_new_with_buffer (data, length);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  report = parse_one_message (parser);
  g_object_unref (parser);
  g_object_unref (stream);
  if (report == NULL)
    g_set_error_literal (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_PARSE,
                         _("This is not an email message: it has no readable headers"));
  return report;
}

static gboolean
parse_stream_into (GMimeStream  *stream,
                   gboolean      mbox,
                   GPtrArray    *reports)
{
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  gboolean any = FALSE;

  g_mime_parser_set_format (parser, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  if (!mbox)
    {
      ObBounceReport *report = parse_one_message (parser);

      if (report != NULL)
        g_ptr_array_add (reports, report);
      any = report != NULL;
    }
  /* The "From " lines of a mailbox are only understood message by
   * message. */
  else
    do
      {
        GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

        if (message == NULL)
          break;
        g_ptr_array_add (reports, ob_bounce_report_parse (message));
        g_object_unref (message);
        any = TRUE;
      }
    while (!g_mime_parser_eos (parser));
  g_object_unref (parser);
  return any;
}

/* Files up to this size are read into memory in one read(); larger ones
 * (a big mailbox) are mapped or streamed. */
#define READ_WHOLE_MAX (16 * 1024 * 1024)

/* Parses the open file @fd (of @size bytes), which it closes. */
static gboolean
parse_fd (int         fd,
          goffset     size,
          const char *path,
          GPtrArray  *reports,
          GError    **error)
{
  GMimeStream *stream = NULL;
  gboolean mbox = FALSE, ok;

  if (size >= 0 && size <= READ_WHOLE_MAX)
    {
      GByteArray *bytes = g_byte_array_sized_new ((guint) size + 1);
      gsize have = 0;

      g_byte_array_set_size (bytes, (guint) size + 1);
      /* One read more than the size says, to see the end (or a file that
       * grew meanwhile, which is then streamed from the start). */
      for (;;)
        {
          gssize n = read (fd, bytes->data + have, bytes->len - have);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          have += n;
          if (have == bytes->len)
            break;
        }
      if (have <= (gsize) size)
        {
          g_byte_array_set_size (bytes, (guint) have);
          mbox = have >= 5 && memcmp (bytes->data, "From ", 5) == 0;
          /* The stream owns the array: no copy. */
          stream = g_mime_stream_mem_new_with_byte_array (bytes);
          close (fd);
          fd = -1;
        }
      else
        {
          g_byte_array_unref (bytes);
          lseek (fd, 0, SEEK_SET);
        }
    }
  if (stream == NULL)
    {
      char head[5] = { 0 };

      mbox = read (fd, head, sizeof head) == sizeof head && memcmp (head, "From ", 5) == 0;
      lseek (fd, 0, SEEK_SET);
      /* Mapped when possible (one system call, however large the mailbox);
       * the stream closes the file. */
      stream = g_mime_stream_mmap_new (fd, PROT_READ, MAP_PRIVATE);
      if (stream == NULL)
        stream = g_mime_stream_fs_new (fd);
      else
        g_mime_stream_mmap_set_owner (GMIME_STREAM_MMAP (stream), TRUE);
    }
  ok = parse_stream_into (stream, mbox, reports);
  g_object_unref (stream);
  if (!ok)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_PARSE,
                   _("%s is not an email message or mailbox: it has no readable headers"), name);
    }
  return ok;
}

static int
open_file (const char  *path,
           GStatBuf    *st,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fstat (fd, st) != 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (path);

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot open “%s”: %s"), name, g_strerror (saved));
      return -1;
    }
  return fd;
}

static gboolean
parse_one_file (const char  *path,
                GPtrArray   *reports,
                GError     **error)
{
  GStatBuf st;
  int fd = open_file (path, &st, error);

  if (fd < 0)
    return FALSE;
  return parse_fd (fd, S_ISREG (st.st_mode) ? (goffset) st.st_size : -1, path, reports, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Reads @path: one message, an mbox (it starts with "From "), or a maildir
 * folder (cur/ and new/, or the message files directly). Returns the
 * reports in order, one per message. */
GPtrArray *
ob_bounce_report_parse_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_bounce_report_free);
  static const char *subdirs[] = { "cur", "new", "." };
  gboolean maildir = FALSE;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* Opened once: fstat() tells a folder from a file. */
  fd = open_file (path, &st, error);
  if (fd < 0)
    return NULL;
  if (!S_ISDIR (st.st_mode))
    {
      if (!parse_fd (fd, S_ISREG (st.st_mode) ? (goffset) st.st_size : -1, path, reports, error))
        return NULL;
      return g_steal_pointer (&reports);
    }
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir_path = g_build_filename (path, subdirs[i], NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      GDir *dir;
      const char *name;

      if (i == 2 && maildir)
        break;
      if (!(dir = g_dir_open (dir_path, 0, NULL)))
        continue;
      maildir = maildir || i < 2;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
      g_dir_close (dir);
      g_ptr_array_sort (names, compare_names);
      for (guint k = 0; k < names->len; k++)
        {
          const char *file = g_ptr_array_index (names, k);
          g_autoptr(GError) local_error = NULL;

          if (!g_file_test (file, G_FILE_TEST_IS_REGULAR) || parse_one_file (file, reports, &local_error))
            continue;
          /* A stray file that is no mail (an index, a lock) is passed
           * over; a file that cannot be read stops the folder. */
          if (g_error_matches (local_error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_PARSE))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&reports);
}
