/* fuzz-html-lint.c — the HTML tokenizer, the lint rules over an HTML body
 * (libxml2 included) and the HTML-to-text conversion.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-html.h"
#include "ob-template-linter.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *raw = g_strndup ((const char *) data, size);
  g_autofree char *html = g_utf8_make_valid (raw, -1);
  g_autoptr(ObTemplate) t = ob_template_new ();
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *text = NULL;
  glong html_chars = g_utf8_strlen (html, -1);
  const char *nl = strchr (html, '\n');
  g_autofree char *subject = g_strndup (html, nl ? (gsize) (nl - html) : strlen (html));

  ob_template_set_subject (t, subject);
  ob_template_set_body_html (t, html);
  ob_template_set_body_text (t, (size % 2) ? html : NULL);
  findings = ob_template_linter_lint (linter, t);
  for (guint i = 0; i < findings->len; i++)
    {
      ObLintFinding *f = g_ptr_array_index (findings, i);

      g_assert_cmpuint (f->start, <=, f->end);
      if (f->part == OB_LINT_PART_HTML || f->part == OB_LINT_PART_TEXT)
        g_assert_cmpuint (f->end, <=, (gsize) html_chars);
      if (f->part == OB_LINT_PART_SUBJECT)
        g_assert_cmpuint (f->end, <=, (gsize) g_utf8_strlen (subject, -1));
      g_assert_true (g_utf8_validate (f->message, -1, NULL));
    }
  g_assert_cmpfloat (ob_template_linter_score (findings), >=, 0.0);

  text = ob_html_to_text (html);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  {
    g_autoptr(GArray) spans = NULL;
    g_autofree char *styled = ob_html_to_styled_text (html, &spans);

    /* The same text, and every span inside it, on character boundaries. */
    g_assert_cmpstr (styled, ==, text);
    for (guint i = 0; i < spans->len; i++)
      {
        ObHtmlSpan *span = &g_array_index (spans, ObHtmlSpan, i);

        g_assert_cmpuint (span->start, <, span->end);
        g_assert_cmpuint (span->end, <=, strlen (styled));
        g_assert_true (g_utf8_validate (styled + span->start, span->end - span->start, NULL));
      }
  }
  return 0;
}
