/* ob-html.h — a small, forgiving HTML tokenizer that keeps source offsets,
 * for the lint rules (exact ranges) and the HTML-to-text conversion.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OB_HTML_TOKEN_EOF,
  OB_HTML_TOKEN_TEXT,     /* character data; entities not decoded */
  OB_HTML_TOKEN_RAW,      /* the content of script, style, textarea, title */
  OB_HTML_TOKEN_START,    /* <name attr=…> */
  OB_HTML_TOKEN_END,      /* </name> */
  OB_HTML_TOKEN_COMMENT,  /* <!-- … --> */
  OB_HTML_TOKEN_DECL,     /* <!DOCTYPE …>, <?…?> */
} ObHtmlTokenType;

#define OB_HTML_MAX_ATTRS 24

typedef struct
{
  gsize name_start, name_end;
  gsize value_start, value_end; /* value_start == value_end and has_value FALSE for bare attributes */
  gboolean has_value;
} ObHtmlAttr;

typedef struct
{
  ObHtmlTokenType type;
  gsize           start;          /* byte range of the whole token in the source */
  gsize           end;
  char            name[24];       /* lower-case tag name ("" when too long or absent) */
  gboolean        self_closing;
  guint           n_attrs;
  ObHtmlAttr      attrs[OB_HTML_MAX_ATTRS];
} ObHtmlToken;

typedef struct
{
  const char *src;
  gsize       len;
  gsize       pos;
  char        raw_until[24];      /* inside script/style…: the tag that ends it */
} ObHtmlScanner;

void      ob_html_scanner_init    (ObHtmlScanner     *scanner,
                                   const char        *src,
                                   gsize              len);
gboolean  ob_html_scanner_next    (ObHtmlScanner     *scanner,
                                   ObHtmlToken       *token);
gboolean  ob_html_token_attr      (const ObHtmlScanner *scanner,
                                   const ObHtmlToken *token,
                                   const char        *name,
                                   gsize             *value_start,
                                   gsize             *value_end);
char     *ob_html_token_attr_value (const ObHtmlScanner *scanner,
                                    const ObHtmlToken *token,
                                    const char        *name);
gboolean  ob_html_is_void_element (const char        *name);
gboolean  ob_html_is_block_element (const char       *name);
void      ob_html_decode          (const char        *src,
                                   gsize              start,
                                   gsize              end,
                                   GString           *out,
                                   GArray            *map_start,
                                   GArray            *map_end);
char     *ob_html_decode_string   (const char        *src,
                                   gsize              len);
char     *ob_html_to_text         (const char        *html);

typedef enum
{
  OB_HTML_STYLE_BOLD = 1,
  OB_HTML_STYLE_ITALIC,
  OB_HTML_STYLE_UNDERLINE,
  OB_HTML_STYLE_STRIKETHROUGH,
  OB_HTML_STYLE_MONOSPACE,
  OB_HTML_STYLE_HEADING,      /* h1, h2 */
  OB_HTML_STYLE_SUBHEADING,   /* h3 … h6 */
  OB_HTML_STYLE_QUOTE,
  OB_HTML_STYLE_LINK,
} ObHtmlStyle;

typedef struct
{
  gsize       start;  /* byte offsets in the text */
  gsize       end;
  ObHtmlStyle style;
} ObHtmlSpan;

char     *ob_html_to_styled_text  (const char        *html,
                                   GArray           **spans);

G_END_DECLS
