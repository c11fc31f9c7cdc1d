/* ob-lint-html.c — the HTML rules.
 *
 * One pass over the tokens of the HTML builds its visible text (each
 * byte mapped to its source range for ob-lint-text.c) and collects its
 * links and images, reporting hidden text, scripts and images without
 * alt text on the way; then libxml2 reports markup mistakes.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "ob-html.h"
#include "ob-lint-private.h"

#define MAX_HTML_ERRORS 10

static const char * const html5_elements[] = {
  "article", "aside", "audio", "bdi", "canvas", "data", "datalist", "details", "dialog",
  "figcaption", "figure", "footer", "header", "main", "mark", "meter", "nav", "output",
  "picture", "progress", "rp", "rt", "ruby", "section", "source", "summary", "template",
  "time", "track", "video", "wbr", "svg", "path", "center", NULL
};

static const char * const dangerous_elements[] = {
  "script", "form", "iframe", "object", "embed", "applet", "frame", "frameset", "input",
  "button", "select", "textarea", "base", NULL
};

/* HTML: one pass over the tokens for visible text, links, images,
 * hidden text and dangerous elements. */

typedef struct
{
  char     name[24];
  gboolean hidden;
  gboolean reported;
  gsize    tag_start, tag_end;
  char    *color;
  char    *background;
  gboolean has_text;
} Element;

static char *
normalize_color (const char *value)
{
  g_autofree char *v = g_ascii_strdown (value, -1);

  g_strstrip (v);
  if (g_str_equal (v, "white"))
    return g_strdup ("#ffffff");
  if (g_str_equal (v, "black"))
    return g_strdup ("#000000");
  if (v[0] == '#' && strlen (v) == 4)
    return g_strdup_printf ("#%c%c%c%c%c%c", v[1], v[1], v[2], v[2], v[3], v[3]);
  if (g_str_has_prefix (v, "rgb(") )
    {
      int r, g, b;
      if (sscanf (v, "rgb(%d,%d,%d)", &r, &g, &b) == 3 || sscanf (v, "rgb(%d, %d, %d)", &r, &g, &b) == 3)
        return g_strdup_printf ("#%02x%02x%02x", r & 255, g & 255, b & 255);
    }
  return g_steal_pointer (&v);
}

/* The value of a CSS property in a style attribute, lower-cased. */
static char *
css_property (const char *style,
              const char *property)
{
  g_auto(GStrv) decls = g_strsplit (style, ";", -1);

  for (guint i = 0; decls[i] != NULL; i++)
    {
      char *colon = strchr (decls[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_ascii_strdown (decls[i], colon - decls[i]);
      g_strstrip (name);
      if (g_str_equal (name, property))
        {
          char *value = g_ascii_strdown (colon + 1, -1);
          char *important = strstr (value, "!important");
          if (important)
            *important = '\0';
          return g_strstrip (value);
        }
    }
  return NULL;
}

static gboolean
css_is_zero (const char *value)
{
  char *end = NULL;
  double v;

  if (value == NULL)
    return FALSE;
  v = g_ascii_strtod (value, &end);
  return end != value && v == 0.0;
}

static void
element_clear (gpointer data)
{
  Element *e = data;

  g_free (e->color);
  g_free (e->background);
}

void
_ob_lint_scan_html (ObLint  *lint,
                    GString *visible)
{
  ObLintText *t = &lint->html_t;
  const char *src = lint->html.src;
  ObHtmlScanner scanner;
  ObHtmlToken tok;
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Element));
  gssize open_anchor = -1;
  gboolean in_head = FALSE;

  g_array_set_clear_func (stack, element_clear);
  ob_html_scanner_init (&scanner, src, lint->html.len);

  while (ob_html_scanner_next (&scanner, &tok))
    {
      switch (tok.type)
        {
        case OB_HTML_TOKEN_TEXT:
          {
            gboolean hidden = FALSE;
            gboolean blank = TRUE;
            const char *fg = NULL, *bg = NULL;
            gssize fg_at = -1;

            for (gsize k = tok.start; k < tok.end; k++)
              if (!g_ascii_isspace (src[k]))
                {
                  blank = FALSE;
                  break;
                }
            if (in_head)
              break;
            for (gssize e = (gssize) stack->len - 1; e >= 0; e--)
              {
                Element *el = &g_array_index (stack, Element, e);
                if (el->hidden)
                  {
                    hidden = TRUE;
                    if (!blank && !el->reported)
                      {
                        gsize s0, s1;
                        el->reported = TRUE;
                        _ob_lint_text_byte_range (&(ObLintText) { .source = &lint->html }, el->tag_start, el->tag_end, &s0, &s1);
                        _ob_lint_add (lint, "html-hidden-text", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML, s0, s1,
                                      g_strdup (_("This element hides its text from the reader; filters treat hidden text as a spam trick")),
                                      g_strdup (_("Remove the hidden text, or show it")));
                      }
                    break;
                  }
                if (fg == NULL && el->color)
                  {
                    fg = el->color;
                    fg_at = e;
                  }
                if (bg == NULL && el->background)
                  bg = el->background;
              }
            if (!hidden && !blank && fg != NULL && bg != NULL && g_str_equal (fg, bg))
              {
                Element *el = &g_array_index (stack, Element, fg_at);
                hidden = TRUE;
                if (!el->reported)
                  {
                    gsize s0, s1;
                    el->reported = TRUE;
                    _ob_lint_text_byte_range (&(ObLintText) { .source = &lint->html }, el->tag_start, el->tag_end, &s0, &s1);
                    _ob_lint_add (lint, "html-hidden-text", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML, s0, s1,
                                  g_strdup (_("This text has the same colour as its background, so the reader cannot see it")),
                                  g_strdup (_("Give the text a colour that contrasts with the background")));
                  }
              }
            if (hidden)
              break;
            ob_html_decode (src, tok.start, tok.end, visible, t->map_start, t->map_end);
          }
          break;

        case OB_HTML_TOKEN_START:
          {
            Element el = { 0 };
            g_autofree char *style = ob_html_token_attr_value (&scanner, &tok, "style");
            gsize s0, s1;

            _ob_lint_text_byte_range (&(ObLintText) { .source = &lint->html }, tok.start, tok.end, &s0, &s1);

            if (g_str_equal (tok.name, "head"))
              in_head = TRUE;
            if (g_str_equal (tok.name, "body"))
              in_head = FALSE;

            if (g_strv_contains (dangerous_elements, tok.name))
              _ob_lint_add (lint, "html-script", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_HTML, s0, s1,
                            g_strdup_printf (_("<%s> does not belong in an email: mail programs block it and filters penalise it"),
                                             tok.name),
                            g_strdup (_("Remove it; link to a web page instead")));
            else
              for (guint a = 0; a < tok.n_attrs; a++)
                {
                  const ObHtmlAttr *attr = &tok.attrs[a];
                  gsize n = attr->name_end - attr->name_start;
                  g_autofree char *value = NULL;

                  if (n > 2 && g_ascii_strncasecmp (src + attr->name_start, "on", 2) == 0)
                    {
                      _ob_lint_add (lint, "html-script", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_HTML, s0, s1,
                                    g_strdup (_("An event handler (on…=) is a script; mail programs block it and filters penalise it")),
                                    g_strdup (_("Remove the attribute")));
                      break;
                    }
                  value = ob_html_decode_string (src + attr->value_start, attr->value_end - attr->value_start);
                  g_strstrip (value);
                  if (g_ascii_strncasecmp (value, "javascript:", 11) == 0)
                    {
                      _ob_lint_add (lint, "html-script", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_HTML, s0, s1,
                                    g_strdup (_("A javascript: link is a script; mail programs block it and filters penalise it")),
                                    g_strdup (_("Link to a web page instead")));
                      break;
                    }
                }

            if (g_str_equal (tok.name, "img"))
              {
                gsize as, ae;
                lint->n_images++;
                if (lint->n_images == 1)
                  {
                    lint->first_image_start = s0;
                    lint->first_image_end = s1;
                  }
                if (!ob_html_token_attr (&scanner, &tok, "alt", &as, &ae))
                  _ob_lint_add (lint, "image-no-alt", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML, s0, s1,
                                g_strdup (_("The image has no alt text; many readers see mail with images turned off")),
                                g_strdup (_("Add alt=\"…\" that says what the image shows")));
              }

            if (g_str_equal (tok.name, "a"))
              {
                ObLintLink link = { 0 };
                gsize hs, he;

                if (ob_html_token_attr (&scanner, &tok, "href", &hs, &he))
                  {
                    link.href = ob_html_decode_string (src + hs, he - hs);
                    g_strstrip (link.href);
                    link.href_start = hs;
                    link.href_end = he;
                    link.in_html = TRUE;
                    link.text_start = link.text_end = visible->len;
                    link.tag_start = tok.start;
                    link.tag_end = tok.end;
                    g_array_append_val (lint->links, link);
                    open_anchor = lint->links->len - 1;
                  }
              }

            if (g_str_equal (tok.name, "br") || ob_html_is_block_element (tok.name) ||
                g_str_equal (tok.name, "img"))
              {
                gsize at = tok.start;
                g_string_append_c (visible, ' ');
                g_array_append_val (t->map_start, at);
                g_array_append_val (t->map_end, tok.end);
              }

            if (ob_html_is_void_element (tok.name) || tok.self_closing || tok.name[0] == '\0' ||
                stack->len >= 256)
              break;

            g_strlcpy (el.name, tok.name, sizeof el.name);
            el.tag_start = tok.start;
            el.tag_end = tok.end;
            if (ob_html_token_attr (&scanner, &tok, "hidden", NULL, NULL))
              el.hidden = TRUE;
            if (style != NULL)
              {
                g_autofree char *display = css_property (style, "display");
                g_autofree char *visibility = css_property (style, "visibility");
                g_autofree char *font_size = css_property (style, "font-size");
                g_autofree char *opacity = css_property (style, "opacity");
                g_autofree char *color = css_property (style, "color");
                g_autofree char *background = css_property (style, "background-color");

                if (background == NULL)
                  background = css_property (style, "background");
                if ((display && g_str_equal (display, "none")) ||
                    (visibility && g_str_equal (visibility, "hidden")) ||
                    css_is_zero (font_size) || (opacity && css_is_zero (opacity)))
                  el.hidden = TRUE;
                if (color)
                  el.color = normalize_color (color);
                if (background)
                  el.background = normalize_color (background);
              }
            if (el.color == NULL)
              {
                g_autofree char *c = ob_html_token_attr_value (&scanner, &tok, "color");
                if (c)
                  el.color = normalize_color (c);
              }
            if (el.background == NULL)
              {
                g_autofree char *c = ob_html_token_attr_value (&scanner, &tok, "bgcolor");
                if (c)
                  el.background = normalize_color (c);
              }
            g_array_append_val (stack, el);
          }
          break;

        case OB_HTML_TOKEN_END:
          if (g_str_equal (tok.name, "head"))
            in_head = FALSE;
          if (g_str_equal (tok.name, "a") && open_anchor >= 0)
            {
              g_array_index (lint->links, ObLintLink, open_anchor).text_end = visible->len;
              open_anchor = -1;
            }
          for (gssize e = (gssize) stack->len - 1; e >= 0; e--)
            if (g_str_equal (g_array_index (stack, Element, e).name, tok.name))
              {
                g_array_set_size (stack, e);
                break;
              }
          if (ob_html_is_block_element (tok.name))
            {
              gsize at = tok.start;
              g_string_append_c (visible, ' ');
              g_array_append_val (t->map_start, at);
              g_array_append_val (t->map_end, tok.end);
            }
          break;

        case OB_HTML_TOKEN_RAW:
        case OB_HTML_TOKEN_COMMENT:
        case OB_HTML_TOKEN_DECL:
        case OB_HTML_TOKEN_EOF:
        default:
          break;
        }
    }
}

/* libxml2's opinion of the HTML, as html-invalid findings. */
typedef struct
{
  ObLint *lint;
  guint count;
  GArray *line_starts; /* gsize */
} XmlErrors;

static void
xml_error_cb (void        *user_data,
              xmlErrorPtr  error)
{
  XmlErrors *xe = user_data;
  ObLint *lint = xe->lint;
  gsize offset, end;
  g_autofree char *message = NULL;

  if (error == NULL || error->level < XML_ERR_ERROR || xe->count >= MAX_HTML_ERRORS)
    return;
  if (error->code == XML_HTML_UNKNOWN_TAG && error->str1 != NULL &&
      g_strv_contains (html5_elements, error->str1))
    return;
  xe->count++;

  if (error->line > 0 && (guint) error->line <= xe->line_starts->len)
    offset = g_array_index (xe->line_starts, gsize, error->line - 1) + MAX (error->int2, 1) - 1;
  else
    offset = lint->html.len;
  offset = MIN (offset, lint->html.len);
  while (offset > 0 && ((guchar) lint->html.src[offset] & 0xC0) == 0x80)
    offset--;
  /* Inside or just after a tag: show the whole tag. */
  {
    gsize k = MIN (offset, lint->html.len);

    while (k > 0 && lint->html.src[k - 1] != '<' && lint->html.src[k - 1] != '>' &&
           lint->html.src[k - 1] != '\n')
      k--;
    if (k > 0 && lint->html.src[k - 1] == '<')
      offset = k - 1;
  }
  end = offset;
  while (end < lint->html.len && lint->html.src[end] != '\n' && lint->html.src[end] != '>')
    end++;
  if (end < lint->html.len && lint->html.src[end] == '>')
    end++;
  if (end == offset && offset > 0)
    offset--;

  /* libxml2 quotes the input, which may cut a character in two. */
  message = g_strstrip (g_utf8_make_valid (error->message ? error->message : "", -1));
  _ob_lint_add (lint, "html-invalid", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML,
                lint->html.cp[offset], lint->html.cp[end],
                g_strdup_printf (_("The HTML has a mistake here (%s); mail programs may show it differently"), message),
                g_strdup (_("Correct the markup, or write the body as plain text")));
}

void
_ob_lint_check_html_validity (ObLint *lint)
{
  XmlErrors xe = { lint, 0, g_array_new (FALSE, FALSE, sizeof (gsize)) };
  htmlSAXHandler sax;
  htmlDocPtr doc;
  gsize zero = 0;

  g_array_append_val (xe.line_starts, zero);
  for (gsize i = 0; i < lint->html.len; i++)
    if (lint->html.src[i] == '\n')
      {
        gsize next = i + 1;
        g_array_append_val (xe.line_starts, next);
      }

  /* Only the errors matter, so parse without building a tree. */
  memset (&sax, 0, sizeof sax);
  xmlSetStructuredErrorFunc (&xe, xml_error_cb);
  doc = htmlSAXParseDoc ((const xmlChar *) lint->html.src, "UTF-8", &sax, NULL);
  xmlSetStructuredErrorFunc (NULL, NULL);
  if (doc != NULL)
    xmlFreeDoc (doc);
  g_array_unref (xe.line_starts);
}
