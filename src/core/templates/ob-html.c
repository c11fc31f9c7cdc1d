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

static GHashTable *
name_set (const char * const *names)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_add (set, (gpointer) names[i]);
  return set;
}

gboolean
ob_html_is_void_element (const char *name)
{
  static GHashTable *set;

  if (g_once_init_enter (&set))
    g_once_init_leave (&set, name_set (void_elements));
  return g_hash_table_contains (set, name);
}

gboolean
ob_html_is_block_element (const char *name)
{
  static GHashTable *set;

  if (g_once_init_enter (&set))
    g_once_init_leave (&set, name_set (block_elements));
  return g_hash_table_contains (set, name);
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
        /* A run of plain text up to the next '&', each byte mapped to
         * the character it belongs to. */
        const char *amp = memchr (src + i + 1, '&', end - i - 1);
        gsize run_end = amp ? (gsize) (amp - src) : end;
        gsize base = out->len;

        g_string_append_len (out, src + i, run_end - i);
        if (map_start != NULL)
          {
            gsize *ms, *me;
            gsize k = i;

            g_array_set_size (map_start, base + (run_end - i));
            g_array_set_size (map_end, base + (run_end - i));
            ms = &g_array_index (map_start, gsize, base);
            me = &g_array_index (map_end, gsize, base);
            while (k < run_end)
              {
                gsize clen = g_utf8_skip[(guchar) src[k]];

                if (k + clen > run_end)
                  clen = run_end - k;
                for (gsize b = 0; b < clen; b++)
                  {
                    ms[k - i + b] = k;
                    me[k - i + b] = k + clen;
                  }
                k += clen;
              }
          }
        i = run_end;
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

/* HTML to readable plain text, for the text/plain alternative. */

typedef struct
{
  GString *out;
  gboolean space;     /* a space is pending before the next word */
  int      newlines;  /* newlines pending (max 2) */
  gboolean pre;
} TextOut;

static void
want_newlines (TextOut *t,
               int      n)
{
  if (t->out->len == 0)
    return;
  t->newlines = MAX (t->newlines, n);
  t->space = FALSE;
}

static void
emit (TextOut    *t,
      const char *s,
      gsize       len)
{
  if (len == 0)
    return;
  if (t->newlines > 0)
    {
      for (int i = 0; i < t->newlines; i++)
        g_string_append_c (t->out, '\n');
      t->newlines = 0;
      t->space = FALSE;
    }
  else if (t->space && t->out->len > 0 && t->out->str[t->out->len - 1] != '\n')
    g_string_append_c (t->out, ' ');
  t->space = FALSE;
  g_string_append_len (t->out, s, len);
}

static void
emit_text (TextOut    *t,
           const char *text)
{
  const char *p = text;

  if (t->pre)
    {
      emit (t, text, strlen (text));
      return;
    }
  while (*p)
    {
      const char *word;

      if (g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0xA0)
        {
          t->space = TRUE;
          p = g_utf8_next_char (p);
          continue;
        }
      word = p;
      while (*p && !(g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0xA0))
        p = g_utf8_next_char (p);
      {
        g_autofree char *w = g_strndup (word, p - word);
        /* no-break spaces become plain spaces in text */
        g_autofree char *plain = NULL;
        GString *tmp = g_string_new (NULL);
        for (const char *q = w; *q; q = g_utf8_next_char (q))
          {
            gunichar c = g_utf8_get_char (q);
            if (c == 0xA0)
              g_string_append_c (tmp, ' ');
            else if (c != 0xAD && c != 0x200B)
              g_string_append_unichar (tmp, c);
          }
        plain = g_string_free (tmp, FALSE);
        emit (t, plain, strlen (plain));
      }
    }
}

static char *
strip_scheme (const char *url)
{
  const char *p = url;

  if (g_ascii_strncasecmp (p, "mailto:", 7) == 0)
    p += 7;
  else if (g_ascii_strncasecmp (p, "https://", 8) == 0)
    p += 8;
  else if (g_ascii_strncasecmp (p, "http://", 7) == 0)
    p += 7;
  {
    char *s = g_strdup (p);
    gsize n = strlen (s);
    if (n > 0 && s[n - 1] == '/')
      s[n - 1] = '\0';
    return s;
  }
}

/* The style an element gives its text, from its name and its style
 * attribute; 0 for none. */
static ObHtmlStyle
element_style (const char *name,
               const char *style)
{
  if (g_str_equal (name, "b") || g_str_equal (name, "strong") || g_str_equal (name, "th"))
    return OB_HTML_STYLE_BOLD;
  if (g_str_equal (name, "i") || g_str_equal (name, "em") || g_str_equal (name, "cite"))
    return OB_HTML_STYLE_ITALIC;
  if (g_str_equal (name, "u") || g_str_equal (name, "ins"))
    return OB_HTML_STYLE_UNDERLINE;
  if (g_str_equal (name, "s") || g_str_equal (name, "strike") || g_str_equal (name, "del"))
    return OB_HTML_STYLE_STRIKETHROUGH;
  if (g_str_equal (name, "code") || g_str_equal (name, "tt") || g_str_equal (name, "kbd") ||
      g_str_equal (name, "samp") || g_str_equal (name, "pre"))
    return OB_HTML_STYLE_MONOSPACE;
  if (g_str_equal (name, "h1") || g_str_equal (name, "h2"))
    return OB_HTML_STYLE_HEADING;
  if (name[0] == 'h' && name[1] >= '3' && name[1] <= '6' && name[2] == '\0')
    return OB_HTML_STYLE_SUBHEADING;
  if (g_str_equal (name, "blockquote"))
    return OB_HTML_STYLE_QUOTE;
  if (style != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (style, -1);
      GString *compact = g_string_new (NULL);
      ObHtmlStyle found = 0;

      for (const char *r = lower; *r; r++)
        if (*r != ' ' && *r != '\t')
          g_string_append_c (compact, *r);
      if (strstr (compact->str, "font-weight:bold") != NULL || strstr (compact->str, "font-weight:7") != NULL ||
          strstr (compact->str, "font-weight:8") != NULL || strstr (compact->str, "font-weight:9") != NULL)
        found = OB_HTML_STYLE_BOLD;
      else if (strstr (compact->str, "font-style:italic") != NULL)
        found = OB_HTML_STYLE_ITALIC;
      else if (strstr (compact->str, "text-decoration:underline") != NULL)
        found = OB_HTML_STYLE_UNDERLINE;
      g_string_free (compact, TRUE);
      return found;
    }
  return 0;
}

typedef struct
{
  char        name[24];
  ObHtmlStyle style;
  gsize       start;
} OpenStyle;

/* Closes the innermost open element called @name that gave a style, as a
 * span up to @end. */
static void
close_style (GArray     *open,
             GArray     *spans,
             const char *name,
             gsize       end)
{
  for (guint i = open->len; i > 0; i--)
    {
      OpenStyle *o = &g_array_index (open, OpenStyle, i - 1);

      if (g_str_equal (o->name, name))
        {
          ObHtmlSpan span = { o->start, end, o->style };

          if (end > o->start)
            g_array_append_val (spans, span);
          g_array_remove_index (open, i - 1);
          return;
        }
    }
}

static char *
html_to_text (const char *html,
              GArray     *spans)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (OpenStyle));
  ObHtmlScanner scanner;
  ObHtmlToken tok;
  TextOut t = { g_string_new (NULL), FALSE, 0, FALSE };
  g_autoptr(GPtrArray) hidden = g_ptr_array_new_with_free_func (g_free); /* names of hidden open elements */
  g_autofree char *href = NULL;
  gsize anchor_text_at = 0;
  int list_counter[16] = { 0 };
  int list_depth = 0;
  gboolean first_cell = TRUE;
  int skip_head = 0;
  char *result;

  if (html == NULL)
    html = "";
  ob_html_scanner_init (&scanner, html, strlen (html));

  while (ob_html_scanner_next (&scanner, &tok))
    {
      const char *n = tok.name;

      if (tok.type == OB_HTML_TOKEN_TEXT)
        {
          g_autofree char *decoded = NULL;

          if (hidden->len > 0 || skip_head > 0)
            continue;
          decoded = ob_html_decode_string (html + tok.start, tok.end - tok.start);
          emit_text (&t, decoded);
          continue;
        }
      if (tok.type == OB_HTML_TOKEN_START)
        {
          g_autofree char *style = ob_html_token_attr_value (&scanner, &tok, "style");

          if (g_str_equal (n, "head"))
            skip_head++;
          if (g_str_equal (n, "body"))
            skip_head = 0;
          if (!ob_html_is_void_element (n) && !tok.self_closing)
            {
              gboolean is_hidden = FALSE;
              if (style != NULL)
                {
                  g_autofree char *lower = g_ascii_strdown (style, -1);
                  g_autofree char *compact = g_strdup (lower);
                  char *w = compact;
                  for (const char *r = lower; *r; r++)
                    if (*r != ' ')
                      *w++ = *r;
                  *w = '\0';
                  is_hidden = strstr (compact, "display:none") != NULL;
                }
              if (is_hidden || hidden->len > 0)
                g_ptr_array_add (hidden, g_strdup (n));
            }
          if (hidden->len > 0 || skip_head > 0)
            continue;

          if (spans != NULL && !ob_html_is_void_element (n) && !tok.self_closing)
            {
              OpenStyle o = { { 0 }, element_style (n, style), t.out->len };

              if (g_str_equal (n, "a") && ob_html_token_attr (&scanner, &tok, "href", NULL, NULL))
                o.style = OB_HTML_STYLE_LINK;
              if (o.style != 0)
                {
                  g_strlcpy (o.name, n, sizeof o.name);
                  g_array_append_val (open, o);
                }
            }

          if (g_str_equal (n, "br"))
            {
              if (t.newlines == 0)
                {
                  g_string_append_c (t.out, '\n');
                  t.space = FALSE;
                }
              else
                t.newlines = MAX (t.newlines, 1);
            }
          else if (g_str_equal (n, "p") || g_str_equal (n, "table") || g_str_equal (n, "blockquote") ||
                   (n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && n[2] == '\0'))
            want_newlines (&t, 2);
          else if (g_str_equal (n, "ul") || g_str_equal (n, "ol"))
            {
              want_newlines (&t, list_depth == 0 ? 2 : 1);
              if (list_depth < (int) G_N_ELEMENTS (list_counter) - 1)
                list_depth++;
              list_counter[list_depth] = g_str_equal (n, "ol") ? 1 : 0;
            }
          else if (g_str_equal (n, "li"))
            {
              want_newlines (&t, 1);
              if (list_depth > 0 && list_counter[list_depth] > 0)
                {
                  g_autofree char *num = g_strdup_printf ("%d.", list_counter[list_depth]++);
                  emit (&t, num, strlen (num));
                }
              else
                emit (&t, "-", 1);
              t.space = TRUE;
            }
          else if (g_str_equal (n, "tr"))
            {
              want_newlines (&t, 1);
              first_cell = TRUE;
            }
          else if (g_str_equal (n, "td") || g_str_equal (n, "th"))
            {
              if (!first_cell)
                t.space = TRUE;
              first_cell = FALSE;
            }
          else if (g_str_equal (n, "hr"))
            {
              want_newlines (&t, 2);
              emit (&t, "----", 4);
              want_newlines (&t, 2);
            }
          else if (g_str_equal (n, "pre"))
            {
              want_newlines (&t, 2);
              t.pre = TRUE;
            }
          else if (ob_html_is_block_element (n))
            want_newlines (&t, 1);
          else if (g_str_equal (n, "a"))
            {
              g_clear_pointer (&href, g_free);
              href = ob_html_token_attr_value (&scanner, &tok, "href");
              if (href != NULL)
                g_strstrip (href);
              anchor_text_at = t.out->len;
            }
          continue;
        }
      if (tok.type == OB_HTML_TOKEN_END)
        {
          if (hidden->len > 0)
            {
              if (g_str_equal (g_ptr_array_index (hidden, hidden->len - 1), n))
                g_ptr_array_set_size (hidden, hidden->len - 1);
              continue;
            }
          if (g_str_equal (n, "head"))
            {
              skip_head = 0;
              continue;
            }
          if (skip_head > 0)
            continue;
          if (spans != NULL)
            close_style (open, spans, n, t.out->len);
          if (g_str_equal (n, "a") && href != NULL)
            {
              g_autofree char *shown = g_strstrip (g_strdup (t.out->str + MIN (anchor_text_at, t.out->len)));
              g_autofree char *bare_href = strip_scheme (href);
              g_autofree char *bare_shown = strip_scheme (shown);
              gboolean web = g_ascii_strncasecmp (href, "http", 4) == 0 || g_ascii_strncasecmp (href, "mailto:", 7) == 0;

              if (web && g_ascii_strcasecmp (bare_href, bare_shown) != 0)
                {
                  g_autofree char *url = g_ascii_strncasecmp (href, "mailto:", 7) == 0
                    ? g_strndup (href + 7, strcspn (href + 7, "?"))
                    : g_strdup (href);
                  g_autofree char *piece = g_strdup_printf ("(%s)", url);

                  if (*shown == '\0')
                    piece[0] = ' ', piece[strlen (piece) - 1] = ' ';
                  t.space = TRUE;
                  emit (&t, piece, strlen (piece));
                }
              g_clear_pointer (&href, g_free);
            }
          else if (g_str_equal (n, "p") || g_str_equal (n, "table") || g_str_equal (n, "blockquote") ||
                   g_str_equal (n, "ul") || g_str_equal (n, "ol") ||
                   (n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && n[2] == '\0'))
            {
              if ((g_str_equal (n, "ul") || g_str_equal (n, "ol")) && list_depth > 0)
                list_depth--;
              want_newlines (&t, 2);
            }
          else if (g_str_equal (n, "pre"))
            {
              t.pre = FALSE;
              want_newlines (&t, 2);
            }
          else if (g_str_equal (n, "td") || g_str_equal (n, "th"))
            t.space = TRUE;
          else if (ob_html_is_block_element (n))
            want_newlines (&t, 1);
        }
    }

  /* Trailing spaces off each line; at most one blank line in a row. The
   * spans follow their text: @map takes an offset of the raw text to the
   * clean one. */
  {
    GString *clean = g_string_sized_new (t.out->len + 1);
    g_autofree gsize *map = spans != NULL ? g_new0 (gsize, t.out->len + 1) : NULL;
    gsize line_start = 0;
    int blank = 0;

    while (line_start <= t.out->len)
      {
        const char *nl = memchr (t.out->str + line_start, '\n', t.out->len - line_start);
        gsize line_end = nl != NULL ? (gsize) (nl - t.out->str) : t.out->len;
        gsize kept = line_end - line_start;
        gsize at;

        while (kept > 0 && g_ascii_isspace (t.out->str[line_start + kept - 1]))
          kept--;
        if (kept == 0)
          blank++;
        else
          {
            if (clean->len > 0)
              g_string_append (clean, blank > 0 ? "\n\n" : "\n");
            blank = 0;
          }
        at = clean->len;
        if (map != NULL)
          for (gsize o = line_start; o <= line_end; o++)
            map[o] = at + MIN (o - line_start, kept);
        g_string_append_len (clean, t.out->str + line_start, kept);
        if (nl == NULL)
          break;
        line_start = line_end + 1;
      }
    if (clean->len > 0)
      g_string_append_c (clean, '\n');

    for (guint i = 0; spans != NULL && i < spans->len; i++)
      {
        ObHtmlSpan *span = &g_array_index (spans, ObHtmlSpan, i);

        span->start = map[MIN (span->start, t.out->len)];
        span->end = map[MIN (span->end, t.out->len)];
        while (span->start < span->end && g_ascii_isspace (clean->str[span->start]))
          span->start++;
        while (span->end > span->start && g_ascii_isspace (clean->str[span->end - 1]))
          span->end--;
        if (span->start == span->end)
          g_array_remove_index (spans, i--);
      }
    g_string_free (t.out, TRUE);
    result = g_string_free (clean, FALSE);
  }
  return result;
}

char *
ob_html_to_text (const char *html)
{
  return html_to_text (html, NULL);
}

/**
 * ob_html_to_styled_text:
 * @spans: (out) (element-type ObHtmlSpan): where the text is bold, a
 *   heading, a link…, in byte offsets of the text, in the order the
 *   elements close
 *
 * The same text as ob_html_to_text(), with the styles of the HTML it came
 * from: a preview can show them without rendering (or loading) anything.
 */
char *
ob_html_to_styled_text (const char  *html,
                        GArray     **spans)
{
  g_return_val_if_fail (spans != NULL, NULL);

  *spans = g_array_new (FALSE, FALSE, sizeof (ObHtmlSpan));
  return html_to_text (html, *spans);
}
