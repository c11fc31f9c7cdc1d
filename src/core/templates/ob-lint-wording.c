/* ob-lint-wording.c — how the subject and the bodies are written.
 *
 * Spam phrases, capitals, exclamation marks and currency symbols, in the
 * subject and in each body; and the subject's own rules: empty, too
 * long, a first mail posing as a reply or a forward.
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

#define SUBJECT_MAX_WIDTH 70

static void
check_spam_phrases (ObLint           *lint,
                    const ObLintText *t)
{
  g_autoptr(GArray) matches = _ob_lint_find_phrases (t, _ob_lint_spam_phrases ());

  for (guint i = 0; i < matches->len; i++)
    {
      ObLintPhraseMatch *m = &g_array_index (matches, ObLintPhraseMatch, i);
      g_autofree char *found = _ob_lint_text_substring (t, m->start, m->end);

      _ob_lint_add_text (lint, t, "spam-phrase", OB_LINT_SEVERITY_WARNING, m->start, m->end,
                         g_strdup_printf (_("“%s” is a phrase spam filters look for"), found),
                         g_strdup (m->phrase->alternative));
      /* "(remove this sentence)" and the like: the fix is to delete it. */
      _ob_lint_set_replacement (lint, m->phrase->alternative[0] == '(' || g_str_has_prefix (m->phrase->alternative, "（")
                                      ? "" : m->phrase->alternative);
    }
}

typedef struct
{
  gsize start, end;  /* code points */
  guint letters;
  guint words;
} CapsRun;

/* Runs of words written in capitals; also counts cased letters. */
static GArray *
find_caps_runs (const ObLintText *t,
                guint            *n_upper,
                guint            *n_cased)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (CapsRun));
  CapsRun run = { 0 };
  gboolean in_run = FALSE;
  gsize i = 0;
  const char *s = t->s;

  *n_upper = *n_cased = 0;
  while (i < t->n)
    {
      gsize ws = i;
      guint upper = 0, lower = 0, letters = 0, digits = 0;

      if (t->cps[i] < 0x80 ? !g_ascii_isalnum (t->cps[i]) : !g_unichar_isalnum (t->cps[i]))
        {
          /* a newline ends a run */
          if (in_run && s[t->byte_of[i]] == '\n')
            {
              g_array_append_val (runs, run);
              in_run = FALSE;
            }
          i++;
          continue;
        }
      while (i < t->n && (t->cps[i] < 0x80 ? g_ascii_isalnum (t->cps[i]) : g_unichar_isalnum (t->cps[i])))
        {
          guchar b = (guchar) s[t->byte_of[i]];

          if (b < 0x80)
            {
              if (g_ascii_isdigit (b))
                digits++;
              else if (g_ascii_isupper (b))
                upper++, letters++;
              else
                lower++, letters++;
            }
          else
            {
              gunichar c = g_utf8_get_char (s + t->byte_of[i]);

              if (g_unichar_isdigit (c))
                digits++;
              else
                {
                  letters++;
                  if (g_unichar_isupper (c))
                    upper++;
                  else if (g_unichar_islower (c))
                    lower++;
                }
            }
          i++;
        }

      /* Codes such as DN15 or ISO9001 are neither shouting nor prose. */
      if (digits > 0)
        {
          if (in_run)
            {
              g_array_append_val (runs, run);
              in_run = FALSE;
            }
          continue;
        }
      *n_upper += upper;
      *n_cased += upper + lower;

      if (upper >= 2 && lower == 0 && letters >= 4)
        {
          if (!in_run)
            {
              run.start = ws;
              run.letters = 0;
              run.words = 0;
              in_run = TRUE;
            }
          run.end = i;
          run.letters += letters;
          run.words++;
        }
      else if (lower == 0 && letters <= 3)
        {
          /* Acronyms (LED, FOB, EUR) and single capitals neither make
           * nor break a run. */
        }
      else if (in_run)
        {
          g_array_append_val (runs, run);
          in_run = FALSE;
        }
    }
  if (in_run)
    g_array_append_val (runs, run);
  return runs;
}

static void
check_caps (ObLint           *lint,
            const ObLintText *t,
            gboolean          subject)
{
  guint upper, cased;
  g_autoptr(GArray) runs = find_caps_runs (t, &upper, &cased);
  const char *rule = subject ? "subject-caps" : "body-caps";
  gboolean whole = FALSE;

  if (subject ? (cased >= 8 && upper * 2 > cased) : (cased >= 40 && upper * 10 > cased * 3))
    {
      whole = TRUE;
      _ob_lint_add_text (lint, t, rule, OB_LINT_SEVERITY_WARNING, 0, t->n,
                         g_strdup (subject ? _("Most of the subject is in capitals, which reads as shouting and looks like spam")
                                           : _("Much of the text is in capitals, which reads as shouting and looks like spam")),
                         g_strdup (_("Write in normal sentence case")));
    }
  if (whole)
    return;
  for (guint i = 0; i < runs->len; i++)
    {
      CapsRun *r = &g_array_index (runs, CapsRun, i);
      gboolean shouting = subject ? (r->letters >= 5 && (r->words >= 2 || r->letters >= 6))
                                  : ((r->words >= 2 && r->letters >= 10) || r->letters >= 8);

      if (!shouting)
        continue;
      _ob_lint_add_text (lint, t, rule, OB_LINT_SEVERITY_WARNING, r->start, r->end,
                         g_strdup (_("Words in capitals read as shouting and look like spam")),
                         g_strdup (_("Write them in normal case")));
      {
        g_autofree char *run = _ob_lint_text_substring (t, r->start, r->end);
        g_autofree char *lower = g_utf8_strdown (run, -1);

        _ob_lint_set_replacement (lint, lower);
      }
    }
}

static void
check_exclamations (ObLint           *lint,
                    const ObLintText *t,
                    gboolean          subject)
{
  guint total = 0;

  for (gsize i = 0; i < t->n; i++)
    {
      gsize j = i;

      if (t->cps[i] != '!')
        continue;
      while (j < t->n && t->cps[j] == '!')
        j++;
      total++;
      if (subject)
        {
          _ob_lint_add_text (lint, t, "exclamation", OB_LINT_SEVERITY_WARNING, i, j,
                             g_strdup (_("An exclamation mark in the subject looks like advertising")),
                             g_strdup (_("End the subject without “!”")));
          _ob_lint_set_replacement (lint, "");
        }
      else if (j - i >= 2)
        {
          _ob_lint_add_text (lint, t, "exclamation", OB_LINT_SEVERITY_WARNING, i, j,
                             g_strdup (_("Several exclamation marks in a row look like advertising")),
                             g_strdup (_("Use one full stop instead")));
          _ob_lint_set_replacement (lint, ".");
        }
      else if (total == 4)
        _ob_lint_add_text (lint, t, "exclamation", OB_LINT_SEVERITY_INFO, i, j,
                           g_strdup (_("Many exclamation marks make a mail look like advertising")),
                           g_strdup (_("Keep at most one or two")));
      i = j - 1;
    }
}

static void
check_money (ObLint           *lint,
             const ObLintText *t,
             gboolean          subject)
{
  for (gsize i = 0; i < t->n; i++)
    {
      gsize j = i;

      if (t->cps[i] < 0x80 ? t->cps[i] != '$' : g_unichar_type (t->cps[i]) != G_UNICODE_CURRENCY_SYMBOL)
        continue;
      while (j < t->n && g_unichar_type (t->cps[j]) == G_UNICODE_CURRENCY_SYMBOL)
        j++;
      if (subject)
        _ob_lint_add_text (lint, t, "money-symbols", OB_LINT_SEVERITY_WARNING, i, j,
                           g_strdup (_("Currency symbols in the subject look like advertising")),
                           g_strdup (_("Leave prices for the body")));
      else if (j - i >= 2)
        {
          g_autofree char *one = _ob_lint_text_substring (t, i, i + 1);

          _ob_lint_add_text (lint, t, "money-symbols", OB_LINT_SEVERITY_WARNING, i, j,
                             g_strdup (_("Repeated currency symbols look like spam")),
                             g_strdup (_("Write a price once, with one symbol")));
          _ob_lint_set_replacement (lint, one);
        }
      i = j - 1;
    }
}

static gsize
display_width (const char *s)
{
  gsize w = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return w;
}

static const char * const reply_prefixes[] = {
  "re", "fw", "fwd", "aw", "wg", "sv", "vs", "tr", "rv", "res", "enc", "rif", "antw", "odp",
  "ответ", "回复", "答复", "转发", "回覆", "轉寄", "رد", "إعادة توجيه", NULL
};

/* Full-width punctuation typed on a Chinese keyboard into a mail in Latin
 * letters ("company！", "Hello，Anna"): the buyer sees wide, odd marks. A
 * part written in Chinese, Japanese or Korean, or a template in one of
 * those languages, uses them rightly and is left alone. */
static gunichar
halfwidth_of (gunichar c)
{
  if (c >= 0xFF01 && c <= 0xFF5E)
    return c - 0xFEE0;
  switch (c)
    {
    case 0x3000: return ' ';
    case 0x3001: return ',';
    case 0x3002: return '.';
    case 0x3010: return '[';
    case 0x3011: return ']';
    case 0x300C: case 0x300D: return '"';
    default: return 0;
    }
}

static gboolean
is_cjk_letter (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_HANGUL:
    case G_UNICODE_SCRIPT_BOPOMOFO:
      return g_unichar_isalpha (c);
    default:
      return FALSE;
    }
}

static gboolean
template_in_cjk (ObLint *lint)
{
  const char *language = ob_template_get_language (lint->template);

  return language != NULL &&
         (g_ascii_strncasecmp (language, "zh", 2) == 0 || g_ascii_strncasecmp (language, "ja", 2) == 0 ||
          g_ascii_strncasecmp (language, "ko", 2) == 0);
}

static void
check_fullwidth (ObLint           *lint,
                 const ObLintText *t)
{
  g_autofree gunichar *raw = NULL;

  if (template_in_cjk (lint) || t->n == 0)
    return;
  raw = g_new (gunichar, t->n);
  for (gsize i = 0; i < t->n; i++)
    {
      raw[i] = g_utf8_get_char (t->s + t->byte_of[i]);
      if (is_cjk_letter (raw[i]))
        return;
    }
  for (gsize i = 0; i < t->n; i++)
    {
      GString *fix;
      g_autofree char *found = NULL;
      gsize j = i;

      if (halfwidth_of (raw[i]) == 0)
        continue;
      fix = g_string_new (NULL);
      if (raw[i] == 0xFF08 && i > 0 && g_unichar_isalnum (raw[i - 1]))
        g_string_append_c (fix, ' ');
      while (j < t->n && halfwidth_of (raw[j]) != 0)
        g_string_append_unichar (fix, halfwidth_of (raw[j++]));
      /* "，Anna" reads ", Anna": a space after a mark that takes one. */
      if (j < t->n && g_unichar_isalnum (raw[j]) && strchr (",.;:!?)]", fix->str[fix->len - 1]) != NULL)
        g_string_append_c (fix, ' ');
      found = _ob_lint_text_substring (t, i, j);
      _ob_lint_add_text (lint, t, "fullwidth-punctuation", OB_LINT_SEVERITY_WARNING, i, j,
                         g_strdup_printf (_("“%s” is a full-width mark from a Chinese keyboard; in a mail in Latin letters it looks out of place"),
                                          found),
                         g_strdup_printf (_("Write “%s” instead"), fix->str));
      _ob_lint_set_replacement (lint, fix->str);
      g_string_free (fix, TRUE);
      i = j - 1;
    }
}

void
_ob_lint_check_subject (ObLint *lint)
{
  const char *subject = lint->subject.src;
  g_autofree char *rendered = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (subject));
  const char *p;

  if (*trimmed == '\0')
    {
      _ob_lint_add (lint, "subject-empty", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_SUBJECT, 0, 0,
                    g_strdup (_("The subject is empty; mail without a subject is often filtered and rarely opened")),
                    g_strdup (_("Write a short subject that says what the mail is about")));
      return;
    }

  /* Width as read: fields count as their fallback, or as a typical name. */
  {
    g_autoptr(GPtrArray) fields = ob_merge_parse (subject, NULL);
    GString *s = g_string_new (NULL);
    gsize pos = 0;

    for (guint i = 0; i < fields->len; i++)
      {
        ObMergeField *f = g_ptr_array_index (fields, i);
        g_string_append_len (s, subject + pos, f->byte_start - pos);
        g_string_append (s, f->fallback && *f->fallback ? f->fallback : "xxxxxxxx");
        pos = f->byte_end;
      }
    g_string_append (s, subject + pos);
    rendered = g_string_free (s, FALSE);
  }
  if (display_width (rendered) > SUBJECT_MAX_WIDTH)
    _ob_lint_add (lint, "subject-length", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_SUBJECT,
                  0, lint->subject.cp[lint->subject.len],
                  g_strdup_printf (_("The subject is long (about %u characters); phones show only the first 40 or so"),
                                   (guint) g_utf8_strlen (rendered, -1)),
                  g_strdup (_("Shorten it to the words that matter")));

  /* A first mail pretending to be a reply or a forward. */
  if (lint->self->first_mail)
    {
      gsize lead = 0;

      p = subject;
      while (*p == ' ' || *p == '\t' || *p == '[')
        p++;
      lead = p - subject;
      for (guint i = 0; reply_prefixes[i] != NULL; i++)
        {
          gsize n = strlen (reply_prefixes[i]);
          const char *q;
          gunichar c;

          if (g_ascii_strncasecmp (p, reply_prefixes[i], n) != 0)
            continue;
          /* Non-ASCII prefixes compare bytewise: they have no case. */
          q = p + n;
          while (*q == ' ')
            q++;
          c = g_utf8_get_char (q);
          if (c == ':' || c == 0xFF1A || c == ']')
            {
              const char *after = g_utf8_next_char (q);

              while (*after == ' ')
                after++;
              _ob_lint_add (lint, "fake-reply", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_SUBJECT,
                            lint->subject.cp[lead], lint->subject.cp[after - subject],
                            g_strdup (_("The subject pretends to be a reply or a forward, but this is a first mail; "
                                        "filters and readers treat that as deception")),
                            g_strdup (_("Remove the prefix")));
              _ob_lint_set_replacement (lint, "");
              break;
            }
        }
    }

  check_caps (lint, &lint->subject_t, TRUE);
  check_exclamations (lint, &lint->subject_t, TRUE);
  check_money (lint, &lint->subject_t, TRUE);
  check_spam_phrases (lint, &lint->subject_t);
  check_fullwidth (lint, &lint->subject_t);
}

void
_ob_lint_check_body_text (ObLint           *lint,
                          const ObLintText *t)
{
  check_spam_phrases (lint, t);
  check_caps (lint, t, FALSE);
  check_exclamations (lint, t, FALSE);
  check_money (lint, t, FALSE);
  check_fullwidth (lint, t);
}
