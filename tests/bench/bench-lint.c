/* bench-lint.c — full lint of a 10 KB template must take at most 1 ms
 * (median). Prints the median and other figures; fails over budget.
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
#define SIZE (10 * 1024)

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A realistic HTML template: paragraphs, links, an image, a table, a
 * signature and an unsubscribe line, with merge fields throughout. */
static char *
make_html (void)
{
  GString *s = g_string_new ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                             "<style>p{margin:0 0 12px}td{padding:4px}</style></head><body>\n"
                             "<p>Dear {{first_name|Sir or Madam}},</p>\n");
  guint i = 0;

  while (s->len < SIZE - 420)
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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ObTemplate) t = ob_template_new ();
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  g_autofree char *html = NULL;
  double times[RUNS];
  double median, p90;
  guint findings = 0;

  ob_core_init ();
  html = make_html ();
  ob_template_set_subject (t, "Brass ball valves for {{company|your projects}}");
  ob_template_set_body_html (t, html);

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
  median = times[RUNS / 2];
  p90 = times[RUNS * 9 / 10];

  printf ("1..1\n");
  printf ("# full lint of a %zu-byte HTML template (%u findings), %d runs\n", strlen (html), findings, RUNS);
  printf ("# median %.0f us, p90 %.0f us, min %.0f us, max %.0f us (budget %.0f us)\n",
          median, p90, times[0], times[RUNS - 1], BUDGET_US);
  if (median <= BUDGET_US)
    printf ("ok 1 lint-10kb median %.0f us\n", median);
  else
    printf ("not ok 1 lint-10kb median %.0f us is over the %.0f us budget\n", median, BUDGET_US);

  return median <= BUDGET_US ? 0 : 1;
}
