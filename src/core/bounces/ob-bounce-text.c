/* ob-bounce-text.c — the free-text reports of the MTAs that write no
 * RFC 3464 part: which addresses in the text are the failed recipients
 * (not the sender, a mailer daemon, a help desk or a Message-ID), and
 * which lines around each one are its diagnostic. The address scanners
 * serve ob-bounce-report.c and ob-bounce-dsn.c too.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <string.h>

#include "ob-bounce-report-private.h"

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

char *
_ob_bounce_first_address (const char *text)
{
  const char *s, *e;

  if (text == NULL || !next_address (text, text, &s, &e))
    return NULL;
  return g_ascii_strdown (s, e - s);
}

gboolean
_ob_bounce_is_daemon_address (const char *address)
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

const char *
_ob_bounce_line_start_of (const char *text,
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

/* ---- free-text reports ---------------------------------------------------- */

void
_ob_bounce_parse_free_text (ObBounceReport *report,
                            const char     *text,
                            const char     *failed_recipients)
{
  g_autoptr(GPtrArray) starts = g_ptr_array_new ();
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *bounce_from = _ob_bounce_first_address (report->from);
  g_autofree char *orig_from = _ob_bounce_first_address (report->original_from);
  g_autofree char *bounce_to = report->to ? g_ascii_strdown (report->to, -1) : NULL;
  const char *p = text, *s, *e;
  gboolean allow_self = FALSE;
  g_autoptr(GHashTable) excluded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Exim and Gmail name the failed recipients in a header. */
  if (failed_recipients != NULL)
    {
      const char *q = failed_recipients;

      while (next_address (failed_recipients, q, &s, &e) && addresses->len < OB_BOUNCE_MAX_RECIPIENTS)
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
          g_ptr_array_add (starts, (gpointer) (hit ? _ob_bounce_line_start_of (text, hit) : text));
          g_ptr_array_add (addresses, g_steal_pointer (&address));
        }
      p = text + strlen (text);
    }

scan:
  while (next_address (text, p, &s, &e) && addresses->len < OB_BOUNCE_MAX_RECIPIENTS)
    {
      g_autofree char *address = g_ascii_strdown (s, e - s);
      const char *ls = _ob_bounce_line_start_of (text, s);
      gboolean seen = FALSE;

      p = e;
      if (_ob_bounce_is_daemon_address (address) || is_noise_line (ls) ||
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
      char *to = _ob_bounce_first_address (report->original_to);

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
            const char *prev = _ob_bounce_line_start_of (text, start - 1);
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
        _ob_bounce_classify_recipient (r, NULL, 0, text);
      g_ptr_array_add (report->recipients, r);
    }
}
