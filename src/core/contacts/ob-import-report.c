/* ob-import-report.c — what an import did, for the report dialog and
 * `outbound-cli contacts import --json`.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include "ob-import-report.h"

G_DEFINE_BOXED_TYPE (ObImportReport, ob_import_report, ob_import_report_copy, ob_import_report_free)

static void
problem_free (ObImportProblem *p)
{
  g_free (p->input);
  g_strfreev (p->reasons);
  g_free (p->suggestion);
  g_free (p);
}

static ObImportProblem *
problem_copy (const ObImportProblem *p)
{
  ObImportProblem *c = g_new0 (ObImportProblem, 1);

  c->line = p->line;
  c->input = g_strdup (p->input);
  c->reasons = g_strdupv (p->reasons);
  c->suggestion = g_strdup (p->suggestion);
  c->applied = p->applied;
  c->first_line = p->first_line;
  return c;
}

ObImportReport *
ob_import_report_new (void)
{
  ObImportReport *self = g_new0 (ObImportReport, 1);

  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  return self;
}

ObImportReport *
ob_import_report_copy (const ObImportReport *self)
{
  ObImportReport *copy = g_new0 (ObImportReport, 1);

  *copy = *self;
  copy->encoding = g_strdup (self->encoding);
  copy->format = g_strdup (self->format);
  copy->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  for (guint i = 0; i < self->problems->len; i++)
    g_ptr_array_add (copy->problems, problem_copy (g_ptr_array_index (self->problems, i)));
  return copy;
}

void
ob_import_report_free (ObImportReport *self)
{
  if (self == NULL)
    return;
  g_free (self->encoding);
  g_free (self->format);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

/* Keeps the first OB_IMPORT_MAX_PROBLEMS in full; a million-row list with
 * many bad rows is still counted exactly. Returns the problem kept, or
 * NULL when it was only counted. */
static ObImportProblem *
problem_add (ObImportReport     *self,
             guint               line,
             const char         *input,
             const char * const *reasons,
             const char         *suggestion,
             gboolean            applied)
{
  ObImportProblem *p;

  if (self->problems->len >= OB_IMPORT_MAX_PROBLEMS)
    {
      self->problems_dropped++;
      return NULL;
    }
  p = g_new0 (ObImportProblem, 1);
  p->line = line;
  p->input = g_strdup (input);
  p->reasons = g_strdupv ((char **) reasons);
  p->suggestion = g_strdup (suggestion);
  p->applied = applied;
  g_ptr_array_add (self->problems, p);
  return p;
}

void
ob_import_report_add_problem (ObImportReport     *self,
                              guint               line,
                              const char         *input,
                              const char * const *reasons,
                              const char         *suggestion,
                              gboolean            applied)
{
  problem_add (self, line, input, reasons, suggestion, applied);
}

/* An address met again within the file, on @line: reason "duplicate",
 * with the line where it came first. It is not a fault of the address:
 * the one contact takes the fields of both lines. */
void
ob_import_report_add_duplicate (ObImportReport *self,
                                guint           line,
                                const char     *input,
                                guint           first_line)
{
  const char *ids[] = { "duplicate", NULL };
  ObImportProblem *p = problem_add (self, line, input, ids, NULL, FALSE);

  if (p != NULL)
    p->first_line = first_line;
}
