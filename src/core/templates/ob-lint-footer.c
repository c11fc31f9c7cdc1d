/* ob-lint-footer.c — what the end of a mail must say.
 *
 * body-empty; missing-unsubscribe (a way to opt out, in words or as a
 * link); missing-sender-identity ({{signature}}, or two cues of who is
 * writing, such as a company word and a phone number, near the end).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-lint-private.h"
#include "ob-merge.h"

static gboolean
has_phrase (const ObLintText        *t,
            const ObLintPhraseIndex *index)
{
  g_autoptr(GArray) m = _ob_lint_find_phrases (t, index);
  return m->len > 0;
}

static gboolean
has_field (ObLintSource *source,
           const char   *name)
{
  GPtrArray *fields;

  fields = _ob_lint_source_fields (source);
  for (guint i = 0; i < fields->len; i++)
    if (g_str_equal (((ObMergeField *) g_ptr_array_index (fields, i))->name, name))
      return TRUE;
  return FALSE;
}

static gboolean
has_phone_number (const ObLintText *t)
{
  for (gsize i = 0; i < t->n; i++)
    {
      guint digits = 0;
      gsize j = i;

      if (!(t->cps[i] == '+' || g_unichar_isdigit (t->cps[i])) ||
          (i > 0 && g_unichar_isdigit (t->cps[i - 1])))
        continue;
      while (j < t->n && (g_unichar_isdigit (t->cps[j]) || strchr (" -()", (int) MIN (t->cps[j], 127)) != NULL ||
                          t->cps[j] == '+'))
        {
          if (g_unichar_isdigit (t->cps[j]))
            digits++;
          j++;
        }
      if (digits >= 7)
        return TRUE;
      i = j > i ? j - 1 : i;
    }
  return FALSE;
}

#define SIGNATURE_TAIL 1500 /* code points at the end where a signature block is looked for */

static guint
identity_cues (const ObLintText *full,
               ObLintSource     *source)
{
  g_autoptr(GArray) m = NULL;
  gboolean company = FALSE, contact = FALSE;
  guint cues = 0;
  ObLintText tail;
  const ObLintText *t = full;

  if (full->n == 0)
    return 0;
  /* The signature is at the end: look only there. */
  if (full->n > SIGNATURE_TAIL)
    {
      gsize skip = full->n - SIGNATURE_TAIL;

      tail = *full;
      tail.cps = full->cps + skip;
      tail.byte_of = full->byte_of + skip;
      tail.n = SIGNATURE_TAIL;
      t = &tail;
    }
  m = _ob_lint_find_phrases (t, _ob_lint_identity_index ());
  for (guint i = 0; i < m->len; i++)
    {
      const ObLintPhrase *p = g_array_index (m, ObLintPhraseMatch, i).phrase;
      if (g_str_equal (p->alternative, "company"))
        company = TRUE;
      else
        contact = TRUE;
    }
  cues += company + contact;
  if (has_phone_number (t))
    cues++;
  if (strstr (source->src, "www.") != NULL)
    cues++;
  if (strstr (source->src, "\n-- \n") != NULL || g_str_has_prefix (source->src, "-- \n"))
    cues += 2;
  if (has_field (source, "sender_name") || has_field (source, "sender_email"))
    cues++;
  return cues;
}

void
_ob_lint_check_footer (ObLint *lint)
{
  gboolean has_text = lint->text.len > 0;
  gboolean has_html = lint->html.len > 0;
  ObLintSource *where = has_text || !has_html ? &lint->text : &lint->html;
  gboolean unsubscribe = FALSE;
  gboolean identity = FALSE;

  if (!has_text && !has_html)
    {
      _ob_lint_add (lint, "body-empty", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_TEXT, 0, 0,
                    g_strdup (_("The mail has no text")),
                    g_strdup (_("Write the message: who you are, why you write, and what you offer")));
      return;
    }
  if (_ob_lint_count_visible_chars (has_html ? &lint->html_t : &lint->text_t) == 0 &&
      (!has_text || _ob_lint_count_visible_chars (&lint->text_t) == 0) && lint->n_images == 0)
    {
      _ob_lint_add (lint, "body-empty", OB_LINT_SEVERITY_ERROR, where->part, 0, where->cp[where->len],
                    g_strdup (_("The mail has no text")),
                    g_strdup (_("Write the message: who you are, why you write, and what you offer")));
      return;
    }

  if (has_text && has_phrase (&lint->text_t, _ob_lint_unsubscribe_index ()))
    unsubscribe = TRUE;
  if (has_html && has_phrase (&lint->html_t, _ob_lint_unsubscribe_index ()))
    unsubscribe = TRUE;
  for (guint i = 0; !unsubscribe && i < lint->links->len; i++)
    {
      g_autofree char *href = g_ascii_strdown (g_array_index (lint->links, ObLintLink, i).href, -1);
      if (strstr (href, "unsubscribe") != NULL || strstr (href, "optout") != NULL ||
          strstr (href, "opt-out") != NULL)
        unsubscribe = TRUE;
    }
  if (!unsubscribe)
    {
      /* The line goes into the mail, so it is in the mail's language,
       * whatever the language of the interface. */
      const char *line = _ob_lint_unsubscribe_line (ob_template_get_language (lint->template));
      g_autofree char *escaped = g_markup_escape_text (line, -1);
      g_autofree char *insert = where->part == OB_LINT_PART_HTML ? g_strdup_printf ("\n<p>%s</p>\n", escaped)
                                                                : g_strdup_printf ("\n\n%s\n", line);

      _ob_lint_add (lint, "missing-unsubscribe", OB_LINT_SEVERITY_WARNING, where->part,
                    where->cp[where->len], where->cp[where->len],
                    g_strdup (_("There is no way to opt out; recipients who cannot unsubscribe press “Spam” instead")),
                    g_strdup_printf (_("Add a line such as: %s"), line));
      _ob_lint_set_replacement (lint, insert);
    }

  if (has_field (&lint->text, "signature") || has_field (&lint->html, "signature"))
    identity = TRUE;
  else if ((has_text && identity_cues (&lint->text_t, &lint->text) >= 2) ||
           (has_html && identity_cues (&lint->html_t, &lint->html) >= 2))
    identity = TRUE;
  if (!identity)
    {
      _ob_lint_add (lint, "missing-sender-identity", OB_LINT_SEVERITY_WARNING, where->part,
                    where->cp[where->len], where->cp[where->len],
                    g_strdup (_("The mail does not say who is writing: no signature with your name, company and address or phone")),
                    g_strdup (_("End with a signature block: your name, your company, its address or phone, and its website; "
                                "or insert {{signature}}")));
      _ob_lint_set_replacement (lint, where->part == OB_LINT_PART_HTML ? "\n<p>{{signature}}</p>\n" : "\n\n{{signature}}\n");
    }
}
