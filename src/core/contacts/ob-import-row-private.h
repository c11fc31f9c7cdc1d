/* ob-import-row-private.h — the rows of an import once their addresses
 * are checked, and the thread that reads and checks them while the
 * importer writes.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-address.h"
#include "ob-csv-private.h"
#include "ob-import-private.h"

G_BEGIN_DECLS

/* What the check of a row needs from its import: whether suggested fixes
 * are applied, and the suppression list. It also keeps the joined reason
 * and flag ids its rows point to (one thread at a time uses it). */
typedef struct _ObImportChecker ObImportChecker;

/* One address of a file row, checked before it reaches the writer.
 * A million rows make a million of these: what can be borrowed is. */
typedef struct
{
  const char     *input;        /* the record's cell, or input_copy */
  char           *input_copy;   /* one of several addresses of a cell */
  ObAddressCheck *check;        /* what is imported: the suggestion's check when applied */
  char           *suggestion;   /* the suggestion for the address as given */
  GStrv           applied_ids;  /* reasons of the address as given, when the suggestion was applied */
  GStrv           invalid_ids;  /* reasons it is not imported, or NULL */
  const char     *key;          /* the check's */
  const char     *reasons;      /* the checker's */
  const char     *flags;        /* the checker's */
  const char     *country;
  const char     *timezone;     /* static, or the record's */
  gboolean        applied;
  gboolean        country_inferred;
  gboolean        timezone_override;
  gboolean        suppressed;
} ObImportAddress;

/* A file row with all the hygiene done: what the writer needs. Its
 * strings live as long as the row and the checker. */
typedef struct
{
  ObImportRecord  *record;
  const char      *name;         /* the record's, or name_joined */
  char            *name_joined;  /* first and last name */
  char            *custom;       /* the custom fields as a JSON object */
  ObImportAddress *addresses;    /* &one, or several */
  guint            n_addresses;
  ObImportAddress  one;
} ObImportRow;

/* @suppressed_addresses and @suppressed_domains (ASCII addresses and
 * domains) are referenced, and may still be filled before the first row. */
ObImportChecker *_ob_import_checker_new  (gboolean          apply_suggestions,
                                          GHashTable       *suppressed_addresses,
                                          GHashTable       *suppressed_domains);
void             _ob_import_checker_free (ObImportChecker  *checker);

/* Takes @record. Touches neither the database nor the report. */
ObImportRow     *_ob_import_row_new      (ObImportChecker  *checker,
                                          ObImportRecord   *record);
void             _ob_import_row_free     (gpointer          row);

/* The CSV is read and checked on a thread of its own while the importer
 * writes: batches of rows pass between them, a few at a time. */
typedef struct _ObImportPipe ObImportPipe;

typedef struct
{
  GPtrArray *rows;    /* ObImportRow */
  gsize      offset;  /* where the reader was after the last row */
  GError    *error;   /* why reading stopped */
  gboolean   last;
} ObImportBatch;

/* Starts reading the rows after the header. Every argument must outlive
 * the pipe. @headerless: @header is a row of data, the first to check. */
ObImportPipe    *_ob_import_pipe_start   (ObCsvReader           *reader,
                                          const ObImportColumn  *columns,
                                          guint                  n_columns,
                                          gboolean               headerless,
                                          GPtrArray             *header,
                                          guint                  header_line,
                                          ObImportChecker       *checker);
/* The next batch, waiting for it. The caller owns it until it gives it
 * back with _ob_import_pipe_give_back(). */
ObImportBatch   *_ob_import_pipe_next    (ObImportPipe          *pipe);
/* @go_on FALSE: the writer stops; the reader stops at its next batch. */
void             _ob_import_pipe_give_back (ObImportPipe        *pipe,
                                          ObImportBatch         *batch,
                                          gboolean               go_on);
/* Waits for the reader to stop and frees what is left. */
void             _ob_import_pipe_finish  (ObImportPipe          *pipe);

G_END_DECLS
