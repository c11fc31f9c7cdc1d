/* ob-import-report.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One address the import did not take as it was. */
typedef struct
{
  guint     line;        /* 1-based line of the file */
  char     *input;       /* the address as the file has it */
  GStrv     reasons;     /* reason ids of ObAddressReason, and "suppressed" */
  char     *suggestion;  /* a corrected address, or NULL */
  gboolean  applied;     /* the suggestion was imported instead */
  guint     first_line;  /* reason "duplicate": the line the address came first, 0 if unknown */
} ObImportProblem;

typedef struct
{
  guint      rows;                /* records read (the header not counted) */
  guint      imported;            /* new contacts */
  guint      updated;             /* contacts already in the database, updated */
  guint      duplicates;          /* duplicates_in_file + duplicates_in_db */
  guint      duplicates_in_file;
  guint      duplicates_in_db;
  guint      invalid;             /* addresses not imported */
  guint      suggestions;         /* addresses with a suggested fix */
  guint      suppressed;          /* imported but on the suppression list */
  guint      problems_dropped;    /* problems beyond OB_IMPORT_MAX_PROBLEMS, counted only */
  gint64     started_at;          /* Unix seconds; the checked_at of the rows it wrote */
  char      *encoding;            /* "UTF-8", "GB18030", "UTF-16LE"… */
  char      *format;              /* "csv" or "vcard" */
  char       delimiter;
  GPtrArray *problems;            /* of ObImportProblem */
} ObImportReport;

#define OB_IMPORT_MAX_PROBLEMS 10000

#define OB_TYPE_IMPORT_REPORT (ob_import_report_get_type ())

GType           ob_import_report_get_type (void) G_GNUC_CONST;
ObImportReport *ob_import_report_new      (void);
ObImportReport *ob_import_report_copy     (const ObImportReport *self);
void            ob_import_report_free     (ObImportReport       *self);
void            ob_import_report_add_problem (ObImportReport    *self,
                                              guint              line,
                                              const char        *input,
                                              const char * const *reasons,
                                              const char        *suggestion,
                                              gboolean           applied);
void            ob_import_report_add_duplicate (ObImportReport *self,
                                                guint           line,
                                                const char     *input,
                                                guint           first_line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObImportReport, ob_import_report_free)

G_END_DECLS
