/* ob-bounce-match.c — from a parsed mail to what Outbound sent: the
 * Message-IDs to look up in the queue, the final recipient, whether a mail
 * replies to one of ours, and whether it asks to unsubscribe.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <string.h>

#include "ob-bounce-match.h"

/* The first candidate Message-ID of a bounce that @lookup knows: the
 * returned message's Message-ID, then In-Reply-To, then References. */
const char *
ob_bounce_report_find_sent_message (ObBounceReport    *report,
                                    ObMessageIdLookup  lookup,
                                    gpointer           user_data)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (lookup != NULL, NULL);

  for (guint i = 0; i < report->candidate_message_ids->len; i++)
    {
      const char *id = g_ptr_array_index (report->candidate_message_ids, i);

      if (lookup (id, user_data))
        return id;
    }
  return NULL;
}

/* The final recipient of the @index-th failed recipient, or NULL. */
const char *
ob_bounce_report_get_final_recipient (ObBounceReport *report,
                                      guint           index)
{
  ObBounceRecipient *r;

  g_return_val_if_fail (report != NULL, NULL);

  if (index >= report->recipients->len)
    return NULL;
  r = g_ptr_array_index (report->recipients, index);
  return r->recipient;
}

/* For an ordinary mail: the Message-ID of ours it answers, found through
 * In-Reply-To, then References from the newest to the oldest. */
const char *
ob_bounce_report_find_reply_to (ObBounceReport    *report,
                                ObMessageIdLookup  lookup,
                                gpointer           user_data)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (lookup != NULL, NULL);

  if (report->in_reply_to != NULL && lookup (report->in_reply_to, user_data))
    return report->in_reply_to;
  for (guint i = report->references->len; i > 0; i--)
    {
      const char *id = g_ptr_array_index (report->references, i - 1);

      if (lookup (id, user_data))
        return id;
    }
  return NULL;
}

/* Requests to be taken off the list, in the languages of the markets. The
 * ASCII ones must stand as words; "stop" only as (nearly) the whole line. */
static const char *unsubscribe_phrases[] = {
  "unsubscribe", "remove me", "take me off", "opt out", "opt-out", "do not email me",
  "don't email me", "stop emailing", "stop sending", "no more emails",
  "退订", "取消订阅", "退订邮件", "不要再发", "請勿再寄", "取消訂閱",
  "darse de baja", "dar de baja", "baja", "désabonner", "désinscrire", "désinscription",
  "désabonnement", "abmelden", "austragen", "abbestellen", "descadastrar", "descadastre",
  "cancelar inscrição", "отписаться", "отпишите", "отписка", "disiscrivi", "cancellami",
  "afmelden", "uitschrijven", "配信停止", "購読解除", "수신거부", "إلغاء الاشتراك",
};

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

static gboolean
contains_word (const char *haystack,
               const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    {
      gboolean ascii = (guchar) needle[0] < 0x80;
      gboolean start_ok = p == haystack || !ascii ||
                          !is_word_char (g_utf8_get_char (g_utf8_find_prev_char (haystack, p)));
      gboolean end_ok = p[n] == '\0' || !ascii || !is_word_char (g_utf8_get_char (p + n));

      if (start_ok && end_ok)
        return TRUE;
    }
  return FALSE;
}

static gboolean
line_is_unsubscribe (const char *line)
{
  g_autofree char *valid = g_utf8_make_valid (line, -1);
  g_autofree char *lower = g_utf8_strdown (valid, -1);
  char *s = g_strstrip (lower);

  /* Drop "Re:", "Aw:", "回复：" and the like in front. */
  for (;;)
    {
      if (g_ascii_strncasecmp (s, "re:", 3) == 0 || g_ascii_strncasecmp (s, "aw:", 3) == 0 ||
          g_ascii_strncasecmp (s, "sv:", 3) == 0 || g_ascii_strncasecmp (s, "fw:", 3) == 0)
        s = g_strstrip (s + 3);
      else if (g_str_has_prefix (s, "回复：") || g_str_has_prefix (s, "答复："))
        s = g_strstrip (s + strlen ("回复："));
      else if (g_str_has_prefix (s, "回复:"))
        s = g_strstrip (s + strlen ("回复:"));
      else
        break;
    }

  /* "STOP", "Stop.", "stop please" — not "bus stop" or "we will stop…". */
  if (g_str_has_prefix (s, "stop") && !is_word_char (g_utf8_get_char (s + 4)) && g_utf8_strlen (s, -1) <= 16)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (unsubscribe_phrases); i++)
    if (contains_word (s, unsubscribe_phrases[i]))
      return TRUE;
  return FALSE;
}

/* Whether a reply asks to be taken off the list: the subject, or one of
 * the first lines the person wrote (before any quoted text). */
gboolean
ob_bounce_text_is_unsubscribe (const char *subject,
                               const char *body)
{
  g_auto(GStrv) lines = NULL;
  guint seen = 0;

  if (subject != NULL && line_is_unsubscribe (subject))
    return TRUE;
  if (body == NULL)
    return FALSE;

  lines = g_strsplit (body, "\n", 40);
  for (guint i = 0; lines[i] != NULL && seen < 5; i++)
    {
      const char *line = lines[i];

      while (*line == ' ' || *line == '\t' || *line == '\r')
        line++;
      if (*line == '\0')
        continue;
      /* Quoted text and the quote header end what the person wrote. */
      if (*line == '>' || g_str_has_prefix (line, "-----") ||
          (g_str_has_prefix (line, "On ") && strstr (line, "wrote") != NULL) ||
          strstr (line, "写道") != NULL)
        break;
      if (line_is_unsubscribe (line))
        return TRUE;
      seen++;
    }
  return FALSE;
}

gboolean
ob_bounce_report_is_unsubscribe (ObBounceReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);

  if (report->is_bounce && !report->is_feedback)
    return FALSE;
  return ob_bounce_text_is_unsubscribe (report->subject, report->first_lines);
}
