/* ob-lint-text.c — the text the lint rules read, and phrase matching.
 *
 * A part of a template (subject, text body, HTML source, attachment
 * paths) is an ObLintSource. What the rules read is an ObLintText: the
 * part itself, or the visible text of the HTML, folded for comparison
 * (case, quotes, dashes, spaces) and mapped back to code points of the
 * source, so that every finding points into what the user wrote.
 * Phrase lists are indexed by their first two code points and found at
 * word starts (anywhere, for Chinese).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <string.h>

#include "ob-lint-private.h"
#include "ob-merge.h"

static gunichar
fold_char (gunichar c)
{
  if (c < 0x80)
    {
      if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return ' ';
      if (c == '`')
        return '\'';
      return g_ascii_tolower (c);
    }
  switch (c)
    {
    case 0x2018: case 0x2019: case 0x02BC: case 0x0060: case 0x00B4:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x300C: case 0x300D:
      return '"';
    case 0x0451: case 0x0401: /* ё Ё */
      return 0x0435;
    case 0x0623: case 0x0625: case 0x0622: /* Arabic alef forms */
      return 0x0627;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013:
      return '-';
    case 0xFF01:
      return '!';
    case 0xFF1A:
      return ':';
    default:
      break;
    }
  if (g_unichar_isspace (c) || c == 0xA0 || c == 0x3000)
    return ' ';
  return g_unichar_tolower (c);
}

static gboolean
is_han (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* ---------------------------------------------------------------------- */
/* Analysed text with offsets                                              */

void
_ob_lint_source_init (ObLintSource *source,
                      ObLintPart    part,
                      const char   *src)
{
  guint32 n = 0;

  source->part = part;
  source->src = src ? src : "";
  source->len = strlen (source->src);
  source->cp = g_new (guint32, source->len + 1);
  for (gsize i = 0; i < source->len; i++)
    {
      source->cp[i] = n;
      if (((guchar) source->src[i] & 0xC0) != 0x80)
        n++;
    }
  source->cp[source->len] = n;
}

GPtrArray *
_ob_lint_source_fields (ObLintSource *source)
{
  if (source->fields == NULL)
    source->fields = ob_merge_parse (source->src, &source->problems);
  return source->fields;
}

void
_ob_lint_source_clear (ObLintSource *source)
{
  g_clear_pointer (&source->cp, g_free);
  g_clear_pointer (&source->fields, g_ptr_array_unref);
  g_clear_pointer (&source->problems, g_ptr_array_unref);
}

void
_ob_lint_text_prepare (ObLintText *t)
{
  gsize i = 0;
  gsize k = 0;

  t->cps = g_new (gunichar, t->len + 1);
  t->byte_of = g_new (gsize, t->len + 1);
  while (i < t->len)
    {
      guchar b = (guchar) t->s[i];
      gunichar c;
      gsize skip;

      if (b < 0x80)
        {
          c = b;
          skip = 1;
        }
      else
        {
          c = g_utf8_get_char_validated (t->s + i, t->len - i);
          skip = g_utf8_skip[b];
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              c = 0xFFFD;
              skip = 1;
            }
        }
      t->cps[k] = fold_char (c);
      t->byte_of[k] = i;
      k++;
      i += skip;
    }
  t->byte_of[k] = t->len;
  t->n = k;
}

void
_ob_lint_text_init_source (ObLintText   *t,
                           ObLintSource *source)
{
  t->source = source;
  t->s = source->src;
  t->len = source->len;
  _ob_lint_text_prepare (t);
}

void
_ob_lint_text_clear (ObLintText *t)
{
  g_clear_pointer (&t->cps, g_free);
  g_clear_pointer (&t->byte_of, g_free);
  if (t->map_start != NULL)
    {
      g_array_unref (t->map_start);
      g_array_unref (t->map_end);
      t->map_start = t->map_end = NULL;
    }
}

/* Source code point range of the analysed text's byte range [bs, be). */
void
_ob_lint_text_byte_range (const ObLintText *t,
                          gsize             bs,
                          gsize             be,
                          gsize            *start,
                          gsize            *end)
{
  gsize ss, se;

  if (t->map_start == NULL)
    {
      ss = bs;
      se = be;
    }
  else if (be > bs && bs < t->map_start->len)
    {
      ss = g_array_index (t->map_start, gsize, bs);
      se = g_array_index (t->map_end, gsize, MIN (be, t->map_end->len) - 1);
    }
  else
    {
      ss = se = bs < t->map_start->len ? g_array_index (t->map_start, gsize, bs) : t->source->len;
    }
  ss = MIN (ss, t->source->len);
  se = MIN (MAX (se, ss), t->source->len);
  *start = t->source->cp[ss];
  *end = t->source->cp[se];
}

/* The same for a code point range [cs, ce) of the normalised text. */
void
_ob_lint_text_cp_range (const ObLintText *t,
                        gsize             cs,
                        gsize             ce,
                        gsize            *start,
                        gsize            *end)
{
  _ob_lint_text_byte_range (t, t->byte_of[cs], t->byte_of[ce], start, end);
}

char *
_ob_lint_text_substring (const ObLintText *t,
                         gsize             cs,
                         gsize             ce)
{
  return g_strndup (t->s + t->byte_of[cs], t->byte_of[ce] - t->byte_of[cs]);
}

gsize
_ob_lint_count_visible_chars (const ObLintText *t)
{
  gsize n = 0;

  for (gsize i = 0; i < t->n; i++)
    if (!g_unichar_isspace (t->cps[i]) && t->cps[i] != 0xA0)
      n++;
  return n;
}

/* ---------------------------------------------------------------------- */
/* Phrase matching                                                         */

/* Phrases are found by their first two code points; a key may be shared
 * by several pairs, which only costs a comparison. */
#define PAIR_KEY(a, b) GUINT_TO_POINTER (((guint) (a) << 11) ^ (guint) (b))

static void
phrase_free (ObLintPhrase *p)
{
  g_free (p->cps);
  g_free (p->phrase);
  g_free (p->alternative);
  g_free (p);
}

void
_ob_lint_phrase_index_add (ObLintPhraseIndex *index,
                           const char        *phrase,
                           const char        *alternative,
                           gboolean           exception)
{
  ObLintPhrase *p;
  GPtrArray *bucket;
  glong n = 0;
  g_autofree gunichar *raw = g_utf8_to_ucs4_fast (phrase, -1, &n);

  if (n == 0)
    return;
  p = g_new0 (ObLintPhrase, 1);
  p->cps = g_new (gunichar, n);
  for (glong i = 0; i < n; i++)
    {
      p->cps[i] = fold_char (raw[i]);
      if (is_han (raw[i]))
        p->no_bounds = TRUE;
    }
  p->n = n;
  p->phrase = g_strdup (phrase);
  p->alternative = g_strdup (alternative);
  p->exception = exception;
  g_ptr_array_add (index->all, p);

  if (n == 1)
    index->singles = TRUE;
  bucket = g_hash_table_lookup (index->by_first, PAIR_KEY (p->cps[0], n > 1 ? p->cps[1] : 0));
  if (bucket == NULL)
    {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (index->by_first, PAIR_KEY (p->cps[0], n > 1 ? p->cps[1] : 0), bucket);
    }
  g_ptr_array_add (bucket, p);
}

ObLintPhraseIndex *
_ob_lint_phrase_index_new (void)
{
  ObLintPhraseIndex *index = g_new0 (ObLintPhraseIndex, 1);

  index->by_first = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->all = g_ptr_array_new_with_free_func ((GDestroyNotify) phrase_free);
  return index;
}

static gboolean
match_at (const ObLintText   *t,
          gsize               i,
          const ObLintPhrase *p,
          gsize              *out_end)
{
  gsize k = i;

  for (guint j = 0; j < p->n; j++)
    {
      if (k >= t->n)
        return FALSE;
      if (p->cps[j] == ' ')
        {
          if (t->cps[k] != ' ')
            return FALSE;
          while (k < t->n && t->cps[k] == ' ')
            k++;
          continue;
        }
      if (t->cps[k] != p->cps[j])
        return FALSE;
      k++;
    }
  if (!p->no_bounds && k < t->n && is_word_char (t->cps[k]) && is_word_char (p->cps[p->n - 1]))
    return FALSE;
  *out_end = k;
  return TRUE;
}

/* Every match, longest first at each place, exceptions and matches
 * inside a longer one removed. */
GArray *
_ob_lint_find_phrases (const ObLintText        *t,
                       const ObLintPhraseIndex *index)
{
  GArray *raw = g_array_new (FALSE, FALSE, sizeof (ObLintPhraseMatch));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ObLintPhraseMatch));
  gsize covered_until = 0;

  for (gsize i = 0; i < t->n; i++)
    {
      GPtrArray *bucket;
      gboolean boundary;

      /* Phrases start at a word start, except Chinese ones. */
      boundary = i == 0 || t->cps[i - 1] < 0x80 ? (i == 0 || !g_ascii_isalnum (t->cps[i - 1]))
                                               : !is_word_char (t->cps[i - 1]);
      if (!boundary && !is_han (t->cps[i]))
        continue;
      if (t->cps[i] == ' ')
        continue;
      for (guint pass = 0; pass < 2; pass++)
        {
          if (pass == 0 && i + 1 >= t->n)
            continue;
          if (pass == 1 && !index->singles)
            break;
          bucket = g_hash_table_lookup (index->by_first, PAIR_KEY (t->cps[i], pass == 0 ? t->cps[i + 1] : 0));
          if (bucket == NULL)
            continue;
          for (guint b = 0; b < bucket->len; b++)
            {
              const ObLintPhrase *p = g_ptr_array_index (bucket, b);
              ObLintPhraseMatch m;

              if (!boundary && !p->no_bounds)
                continue;
              if ((pass == 0) != (p->n > 1))
                continue;
              if (!match_at (t, i, p, &m.end))
                continue;
              m.start = i;
              m.phrase = p;
              g_array_append_val (raw, m);
            }
        }
    }

  /* raw is ordered by start; keep the longest at each start. */
  for (guint r = 0; r < raw->len; r++)
    {
      ObLintPhraseMatch best = g_array_index (raw, ObLintPhraseMatch, r);
      gboolean excepted = FALSE;

      while (r + 1 < raw->len && g_array_index (raw, ObLintPhraseMatch, r + 1).start == best.start)
        {
          ObLintPhraseMatch *next = &g_array_index (raw, ObLintPhraseMatch, r + 1);
          if (next->end > best.end)
            best = *next;
          r++;
        }
      if (best.phrase->exception || best.end <= covered_until)
        continue;
      /* inside an exception that starts earlier or at the same place */
      for (guint e = 0; e < raw->len; e++)
        {
          ObLintPhraseMatch *x = &g_array_index (raw, ObLintPhraseMatch, e);
          if (x->start > best.start)
            break;
          if (x->phrase->exception && x->end >= best.end)
            excepted = TRUE;
        }
      if (excepted)
        continue;
      g_array_append_val (out, best);
      covered_until = best.end;
    }

  g_array_unref (raw);
  return out;
}
