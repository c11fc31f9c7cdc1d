/* bench-lint.c — full lint of a 10 KB template must take at most 1 ms
 * (median), HTML or plain text. Prints the medians (and, for the editor,
 * a 50 KB HTML template); fails when a 10 KB median is over budget.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ob-core.h"
#include "ob-template-linter.h"

#define RUNS 400
#define BUDGET_US 1000.0

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A realistic HTML template: paragraphs, links, a table, an image, a
 * signature and an unsubscribe line, with merge fields throughout. */
static char *
make_html (gsize size)
{
  GString *s = g_string_new ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                             "<style>p{margin:0 0 12px}td{padding:4px}</style></head><body>\n"
                             "<p>Dear {{first_name|Sir or Madam}},</p>\n");
  guint i = 0;

  while (s->len < size - 420)
    {
      g_string_append_printf (s,
                              "<p>Our plant in Ningbo makes brass ball valves and manifolds for {{company|your company}}; "
                              "model %u is certified to EN 13828 and ships from stock within two weeks. "
                              "Details are on <a href=\"https://www.everflow-valves.example/p/%u\">our product page</a>.</p>\n"
                              "<table><tr><td>DN%u</td><td>PN25</td><td>&euro;%u.40 FOB</td></tr></table>\n",
                              i, i % 3, 15 + 5 * (i % 5), 2 + i % 7);
      i++;
    }
  g_string_append (s, "<p><img src=\"https://www.everflow-valves.example/v.jpg\" alt=\"A brass ball valve\"></p>\n"
                      "<p>Kind regards,<br>{{sender_name}}<br>Ningbo Everflow Valve Co., Ltd.<br>"
                      "No. 88 Binhai Road, Ningbo, China<br>Tel: +86 574 8765 4321</p>\n"
                      "<p>If you would rather not hear from us again, reply “unsubscribe”.</p></body></html>\n");
  return g_string_free (s, FALSE);
}

static char *
make_text (gsize size)
{
  GString *s = g_string_new ("Dear {{first_name|Sir or Madam}},\n\n");
  guint i = 0;

  while (s->len < size - 300)
    {
      g_string_append_printf (s,
                              "Our plant in Ningbo makes brass ball valves and manifolds for {{company|your company}}; "
                              "model %u is certified to EN 13828 and ships from stock within two weeks, "
                              "DN%u, PN25, EUR %u.40 FOB. Details: https://www.everflow-valves.example/p/%u\n\n",
                              i, 15 + 5 * (i % 5), 2 + i % 7, i % 3);
      i++;
    }
  g_string_append (s, "Kind regards,\n\n{{sender_name}}\nNingbo Everflow Valve Co., Ltd.\n"
                      "No. 88 Binhai Road, Ningbo, China\nTel: +86 574 8765 4321\n\n"
                      "If you would rather not hear from us again, just reply \"unsubscribe\".\n");
  return g_string_free (s, FALSE);
}

/* Median microseconds of a full lint; prints the figures. */
static double
measure (const char *label,
         const char *html,
         const char *text)
{
  g_autoptr(ObTemplate) t = ob_template_new ();
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  double times[RUNS];
  guint findings = 0;
  gsize size = html ? strlen (html) : strlen (text);

  ob_template_set_subject (t, "Brass ball valves for {{company|your projects}}");
  ob_template_set_body_html (t, html);
  ob_template_set_body_text (t, text);

  /* Warm up: phrase lists, libxml2, libpsl. */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GPtrArray) f = ob_template_linter_lint (linter, t);
      findings = f->len;
    }
  for (int i = 0; i < RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) f = ob_template_linter_lint (linter, t);
      times[i] = (double) (g_get_monotonic_time () - start);
      findings = f->len;
    }
  qsort (times, RUNS, sizeof (double), compare_doubles);
  printf ("# %s: %zu bytes, %u findings, %d runs: median %.0f us, p90 %.0f us, min %.0f us\n",
          label, size, findings, RUNS, times[RUNS / 2], times[RUNS * 9 / 10], times[0]);
  return times[RUNS / 2];
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *html10 = NULL;
  g_autofree char *text10 = NULL;
  g_autofree char *html50 = NULL;
  double m_html, m_text;

  ob_core_init ();
  html10 = make_html (10 * 1024);
  text10 = make_text (10 * 1024);
  html50 = make_html (50 * 1024);

  printf ("1..2\n");
  m_html = measure ("10 KB HTML", html10, NULL);
  m_text = measure ("10 KB text", NULL, text10);
  measure ("50 KB HTML (editor, off the keystroke path)", html50, NULL);
  printf ("# budget: median %.0f us for 10 KB\n", BUDGET_US);
  printf ("%s 1 lint-10kb-html median %.0f us\n", m_html <= BUDGET_US ? "ok" : "not ok", m_html);
  printf ("%s 2 lint-10kb-text median %.0f us\n", m_text <= BUDGET_US ? "ok" : "not ok", m_text);

  return m_html <= BUDGET_US && m_text <= BUDGET_US ? 0 : 1;
}
