/* ob-html.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-html"

#include "config.h"

#include <string.h>

#include "ob-html.h"

static const char * const void_elements[] = {
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
  "param", "source", "track", "wbr", NULL
};

static const char * const block_elements[] = {
  "address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt",
  "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
  "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
  "td", "tfoot", "th", "thead", "tr", "ul", NULL
};

static const struct { const char *name; gunichar c; } entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
  { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "laquo", 0xAB },
  { "raquo", 0xBB }, { "euro", 0x20AC }, { "pound", 0xA3 }, { "yen", 0xA5 }, { "cent", 0xA2 },
  { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
  { "bull", 0x2022 }, { "middot", 0xB7 }, { "deg", 0xB0 }, { "times", 0xD7 }, { "shy", 0xAD },
  { "zwnj", 0x200C }, { "zwj", 0x200D }, { "iexcl", 0xA1 }, { "iquest", 0xBF },
};

gboolean
ob_html_is_void_element (const char *name)
{
  return g_strv_contains (void_elements, name);
}

gboolean
ob_html_is_block_element (const char *name)
{
  return g_strv_contains (block_elements, name);
}

void
ob_html_scanner_init (ObHtmlScanner *scanner,
                      const char    *src,
                      gsize          len)
{
  memset (scanner, 0, sizeof *scanner);
  scanner->src = src;
  scanner->len = len;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void
copy_name (char       *dest,
           gsize       dest_size,
           const char *src,
           gsize       len)
{
  if (len >= dest_size)
    {
      dest[0] = '\0';
      return;
    }
  for (gsize i = 0; i < len; i++)
    dest[i] = g_ascii_tolower (src[i]);
  dest[len] = '\0';
}

/* Finds "</name" (case-insensitive) from @from; returns its offset or len. */
static gsize
find_end_tag (const ObHtmlScanner *s,
              gsize                from,
              const char          *name)
{
  gsize n = strlen (name);

  for (gsize i = from; i + 2 + n <= s->len; i++)
    {
      if (s->src[i] == '<' && s->src[i + 1] == '/' &&
          g_ascii_strncasecmp (s->src + i + 2, name, n) == 0 &&
          (i + 2 + n == s->len || !g_ascii_isalnum (s->src[i + 2 + n])))
        return i;
    }
  return s->len;
}

static void
scan_tag (ObHtmlScanner *s,
          ObHtmlToken   *t)
{
  const char *src = s->src;
  gsize i = s->pos + 1;
  gsize name_start;

  t->type = OB_HTML_TOKEN_START;
  if (i < s->len && src[i] == '/')
    {
      t->type = OB_HTML_TOKEN_END;
      i++;
    }
  name_start = i;
  while (i < s->len && !is_space (src[i]) && src[i] != '>' && src[i] != '/')
    i++;
  copy_name (t->name, sizeof t->name, src + name_start, i - name_start);

  /* Attributes. */
  while (i < s->len && src[i] != '>')
    {
      ObHtmlAttr attr = { 0 };

      if (is_space (src[i]))
        {
          i++;
          continue;
        }
      if (src[i] == '/')
        {
          if (i + 1 < s->len && src[i + 1] == '>')
            t->self_closing = TRUE;
          i++;
          continue;
        }
      attr.name_start = i;
      while (i < s->len && !is_space (src[i]) && src[i] != '>' && src[i] != '=' &&
             !(src[i] == '/' && i + 1 < s->len && src[i + 1] == '>'))
        i++;
      attr.name_end = i;
      if (attr.name_end == attr.name_start)
        {
          i++;
          continue;
        }
      while (i < s->len && is_space (src[i]))
        i++;
      if (i < s->len && src[i] == '=')
        {
          i++;
          while (i < s->len && is_space (src[i]))
            i++;
          attr.has_value = TRUE;
          if (i < s->len && (src[i] == '"' || src[i] == '\''))
            {
              char quote = src[i++];
              const char *close = memchr (src + i, quote, s->len - i);

              attr.value_start = i;
              attr.value_end = close ? (gsize) (close - src) : s->len;
              i = close ? attr.value_end + 1 : s->len;
            }
          else
            {
              attr.value_start = i;
              while (i < s->len && !is_space (src[i]) && src[i] != '>')
                i++;
              attr.value_end = i;
            }
        }
      else
        attr.value_start = attr.value_end = attr.name_end;
      if (t->n_attrs < OB_HTML_MAX_ATTRS)
        t->attrs[t->n_attrs++] = attr;
    }

  t->end = i < s->len ? i + 1 : s->len;
  s->pos = t->end;

  if (t->type == OB_HTML_TOKEN_START && !t->self_closing &&
      (g_str_equal (t->name, "script") || g_str_equal (t->name, "style") ||
       g_str_equal (t->name, "textarea") || g_str_equal (t->name, "title")))
    g_strlcpy (s->raw_until, t->name, sizeof s->raw_until);
}

/* Reads the next token; returns FALSE (and an EOF token) at the end. */
gboolean
ob_html_scanner_next (ObHtmlScanner *s,
                      ObHtmlToken   *t)
{
  const char *src = s->src;
  gsize i = s->pos;

  t->type = OB_HTML_TOKEN_EOF;
  t->start = t->end = i;
  t->name[0] = '\0';
  t->self_closing = FALSE;
  t->n_attrs = 0;

  if (i >= s->len)
    return FALSE;

  if (s->raw_until[0] != '\0')
    {
      gsize stop = find_end_tag (s, i, s->raw_until);

      s->raw_until[0] = '\0';
      if (stop > i)
        {
          t->type = OB_HTML_TOKEN_RAW;
          t->end = stop;
          s->pos = stop;
          return TRUE;
        }
    }

  if (src[i] == '<' && i + 1 < s->len)
    {
      char c = src[i + 1];

      if (c == '!' && i + 3 < s->len && src[i + 2] == '-' && src[i + 3] == '-')
        {
          const char *close = g_strstr_len (src + i + 4, s->len - i - 4, "-->");

          t->type = OB_HTML_TOKEN_COMMENT;
          t->end = close ? (gsize) (close - src) + 3 : s->len;
          s->pos = t->end;
          return TRUE;
        }
      if (c == '!' || c == '?')
        {
          const char *close = memchr (src + i, '>', s->len - i);

          t->type = OB_HTML_TOKEN_DECL;
          t->end = close ? (gsize) (close - src) + 1 : s->len;
          s->pos = t->end;
          return TRUE;
        }
      if (g_ascii_isalpha (c) || (c == '/' && i + 2 < s->len && g_ascii_isalpha (src[i + 2])))
        {
          scan_tag (s, t);
          return TRUE;
        }
    }

  /* Text up to the next '<' that starts markup. */
  t->type = OB_HTML_TOKEN_TEXT;
  i++;
  while (i < s->len)
    {
      if (src[i] == '<' && i + 1 < s->len &&
          (g_ascii_isalpha (src[i + 1]) || src[i + 1] == '/' || src[i + 1] == '!' || src[i + 1] == '?'))
        break;
      i++;
    }
  t->end = i;
  s->pos = i;
  return TRUE;
}

gboolean
ob_html_token_attr (const ObHtmlScanner *scanner,
                    const ObHtmlToken   *token,
                    const char          *name,
                    gsize               *value_start,
                    gsize               *value_end)
{
  gsize n = strlen (name);

  for (guint i = 0; i < token->n_attrs; i++)
    {
      const ObHtmlAttr *a = &token->attrs[i];

      if (a->name_end - a->name_start == n &&
          g_ascii_strncasecmp (scanner->src + a->name_start, name, n) == 0)
        {
          if (value_start)
            *value_start = a->value_start;
          if (value_end)
            *value_end = a->value_end;
          return TRUE;
        }
    }
  return FALSE;
}

/* The attribute's value with entities decoded, or NULL when absent. */
char *
ob_html_token_attr_value (const ObHtmlScanner *scanner,
                          const ObHtmlToken   *token,
                          const char          *name)
{
  gsize start, end;

  if (!ob_html_token_attr (scanner, token, name, &start, &end))
    return NULL;
  return ob_html_decode_string (scanner->src + start, end - start);
}

static void
append_mapped (GString    *out,
               GArray     *map_start,
               GArray     *map_end,
               gunichar    c,
               gsize       from,
               gsize       to)
{
  gsize before = out->len;

  g_string_append_unichar (out, c);
  if (map_start != NULL)
    for (gsize k = before; k < out->len; k++)
      {
        g_array_append_val (map_start, from);
        g_array_append_val (map_end, to);
      }
}

/* Decodes entities of src[start, end) into @out. When the maps are given,
 * each output byte records the source range [map_start, map_end) it came
 * from. */
void
ob_html_decode (const char *src,
                gsize       start,
                gsize       end,
                GString    *out,
                GArray     *map_start,
                GArray     *map_end)
{
  gsize i = start;

  while (i < end)
    {
      if (src[i] == '&')
        {
          gsize j = i + 1;
          gunichar c = 0;
          gboolean ok = FALSE;

          if (j < end && src[j] == '#')
            {
              gboolean hex = j + 1 < end && (src[j + 1] == 'x' || src[j + 1] == 'X');
              guint64 v = 0;
              gsize digits = 0;

              j += hex ? 2 : 1;
              while (j < end && digits < 8 && (hex ? g_ascii_isxdigit (src[j]) : g_ascii_isdigit (src[j])))
                {
                  v = v * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (src[j]) : g_ascii_digit_value (src[j]));
                  j++;
                  digits++;
                }
              if (digits > 0)
                {
                  c = (gunichar) v;
                  if (c == 0 || !g_unichar_validate (c))
                    c = 0xFFFD;
                  ok = TRUE;
                  if (j < end && src[j] == ';')
                    j++;
                }
            }
          else
            {
              gsize k = j;

              while (k < end && k - j < 10 && g_ascii_isalnum (src[k]))
                k++;
              for (guint e = 0; e < G_N_ELEMENTS (entities); e++)
                if (strlen (entities[e].name) == k - j &&
                    strncmp (src + j, entities[e].name, k - j) == 0)
                  {
                    c = entities[e].c;
                    ok = TRUE;
                    j = k;
                    if (j < end && src[j] == ';')
                      j++;
                    break;
                  }
            }
          if (ok)
            {
              append_mapped (out, map_start, map_end, c, i, j);
              i = j;
              continue;
            }
        }

      {
        const char *p = src + i;
        gsize clen = g_utf8_skip[*(const guchar *) p];

        if (i + clen > end)
          clen = end - i;
        g_string_append_len (out, p, clen);
        if (map_start != NULL)
          for (gsize k = 0; k < clen; k++)
            {
              gsize s0 = i, e0 = i + clen;
              g_array_append_val (map_start, s0);
              g_array_append_val (map_end, e0);
            }
        i += clen;
      }
    }
}

char *
ob_html_decode_string (const char *src,
                       gsize       len)
{
  GString *out = g_string_sized_new (len);

  ob_html_decode (src, 0, len, out, NULL, NULL);
  return g_string_free (out, FALSE);
}
