/* ob-bounce-dsn.c — RFC 3464 delivery status notifications: the
 * "Name: value" field blocks (ARF feedback reports are read with them
 * too), then one recipient per block with its action, status, remote
 * MTA and diagnostic. A flattened report that pastes those fields into
 * its text is read the same way.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ob-bounce-report-private.h"

/* ---- header-block parsing (delivery-status, feedback-report) ------------ */

static void
field_free (gpointer data)
{
  ObBounceField *f = data;

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
      ObBounceField *f = g_ptr_array_index (block, i);
      if (g_str_equal (f->name, name))
        return f->value;
    }
  return NULL;
}

/* Splits @text into blocks of "Name: value" fields (folded lines joined);
 * returns a GPtrArray of GPtrArray of ObBounceField. */
GPtrArray *
_ob_bounce_parse_field_blocks (const char *text)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *block = NULL;
  ObBounceField *last = NULL;

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
      last = g_new0 (ObBounceField, 1);
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
char *
_ob_bounce_typed_value (const char *value)
{
  const char *semi;
  g_autofree char *stripped = NULL;

  if (value == NULL)
    return NULL;
  semi = strchr (value, ';');
  stripped = _ob_bounce_strip_angles (semi ? semi + 1 : value);
  return g_steal_pointer (&stripped);
}

/* ---- status codes ------------------------------------------------------- */

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

/* ---- the delivery-status fields, recipient by recipient ----------------- */

/* The start of RFC 3464 fields inside plain text: the "Reporting-MTA:"
 * line before the first "Final-Recipient:", or that line itself. */
const char *
_ob_bounce_find_inline_dsn (const char *text)
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
  start = _ob_bounce_line_start_of (lower, hit);
  end = strstr (hit, "\n\n");
  if (end == NULL)
    end = strstr (hit, "\n\r\n");
  if (end == NULL)
    end = lower + strlen (lower);
  return g_strstrip (g_strndup (text + (start - lower), MIN ((gsize) (end - start), 2048)));
}

void
_ob_bounce_parse_dsn (ObBounceReport *report,
                      const char     *dsn,
                      const char     *human)
{
  g_autoptr(GPtrArray) blocks = _ob_bounce_parse_field_blocks (dsn);
  const char *reporting_mta = NULL;

  for (guint b = 0; b < blocks->len && report->recipients->len < OB_BOUNCE_MAX_RECIPIENTS; b++)
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
      r->recipient = _ob_bounce_typed_value (final ? final : original);
      r->original_recipient = _ob_bounce_typed_value (original);
      r->dsn_action = g_strdup (block_get (block, "action"));
      r->remote_mta = _ob_bounce_typed_value (block_get (block, "remote-mta"));
      r->diagnostic = diag ? _ob_bounce_typed_value (diag) : NULL;
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
      _ob_bounce_classify_recipient (r, st, code, context);
      g_ptr_array_add (report->recipients, r);
    }
}
