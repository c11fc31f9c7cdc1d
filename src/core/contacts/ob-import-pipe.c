/* ob-import-pipe.c — the reader thread of a CSV import: it parses the
 * file and checks its rows (ob-import-row.c) while the importer writes
 * the rows it has already checked.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include "ob-import-row-private.h"

/* Batches of checked rows pass from the reader to the writer, a few at a
 * time. The writer
 * hands each batch it has written back, and the reader frees its rows as
 * it fills it again: memory is freed by the thread that allocated it, a
 * row just before the next one is made. Freed by the writer, a million
 * rows' worth of small blocks went back to the reader's malloc arena
 * under its lock: both threads waited on that lock, and the reader spent
 * a quarter of its time merging the blocks (malloc_consolidate). */
#define BATCH_ROWS        512
#define BATCHES_IN_FLIGHT 8

static void
batch_free (ObImportBatch *batch)
{
  g_ptr_array_unref (batch->rows);
  g_clear_error (&batch->error);
  g_free (batch);
}

struct _ObImportPipe
{
  ObImportChecker      *checker;
  ObCsvReader          *reader;
  const ObImportColumn *columns;
  guint                 n_columns;
  gboolean              headerless;
  GPtrArray            *header;
  guint                 header_line;
  GThread              *thread;

  GAsyncQueue          *full;
  GAsyncQueue          *written;   /* batches back from the writer, for the reader to free */
  GMutex                lock;
  GCond                 cond;
  guint                 in_flight;
  gboolean              stop;
  gint64                reader_waited;  /* µs, for the debug log */
  gint64                writer_waited;  /* µs, for the debug log */
};

/* A batch to fill: one the writer has handed back, its rows still in it
 * (see reader_thread()), or a new one. */
static ObImportBatch *
reader_next_batch (ObImportPipe *pipe)
{
  ObImportBatch *batch = g_async_queue_try_pop (pipe->written);

  if (batch == NULL)
    {
      batch = g_new0 (ObImportBatch, 1);
      batch->rows = g_ptr_array_new_full (BATCH_ROWS, _ob_import_row_free);
    }
  g_clear_error (&batch->error);
  batch->offset = 0;
  batch->last = FALSE;
  return batch;
}

static gpointer
reader_thread (gpointer data)
{
  ObImportPipe *pipe = data;
  gboolean first = TRUE;

  for (;;)
    {
      ObImportBatch *batch;
      gboolean last;
      guint n;

      g_mutex_lock (&pipe->lock);
      if (pipe->in_flight >= BATCHES_IN_FLIGHT && !pipe->stop)
        {
          gint64 since = g_get_monotonic_time ();

          while (pipe->in_flight >= BATCHES_IN_FLIGHT && !pipe->stop)
            g_cond_wait (&pipe->cond, &pipe->lock);
          pipe->reader_waited += g_get_monotonic_time () - since;
        }
      if (pipe->stop)
        {
          g_mutex_unlock (&pipe->lock);
          return NULL;
        }
      pipe->in_flight++;
      g_mutex_unlock (&pipe->lock);

      batch = reader_next_batch (pipe);
      for (n = 0; n < BATCH_ROWS; n++)
        {
          g_autoptr(GPtrArray) fields = NULL;
          ObImportRecord *record;
          ObImportRow *row;
          guint line;

          /* The written row this one takes the place of is freed first:
           * malloc gives its blocks, of the same sizes, straight back to
           * the new row from the thread's cache. */
          if (n < batch->rows->len)
            g_clear_pointer (&g_ptr_array_index (batch->rows, n), _ob_import_row_free);

          if (first && pipe->headerless)
            {
              fields = g_ptr_array_ref (pipe->header);
              line = pipe->header_line;
            }
          else if (!_ob_csv_reader_next (pipe->reader, &fields, &line, &batch->error))
            {
              batch->last = TRUE;
              break;
            }
          first = FALSE;
          if (fields == NULL)
            {
              batch->last = TRUE;
              break;
            }
          /* The header row's cells name the columns: never taken. */
          record = _ob_import_record_from_fields (pipe->columns, pipe->n_columns, pipe->headerless, fields,
                                                  fields != pipe->header, line);
          row = _ob_import_row_new (pipe->checker, record);
          if (n < batch->rows->len)
            g_ptr_array_index (batch->rows, n) = row;
          else
            g_ptr_array_add (batch->rows, row);
        }
      /* Written rows left over, when this batch is shorter, go now. */
      g_ptr_array_set_size (batch->rows, n);
      batch->offset = _ob_csv_reader_get_offset (pipe->reader);
      /* The writer owns the batch once it is pushed. */
      last = batch->last;
      g_async_queue_push (pipe->full, batch);
      if (last)
        return NULL;
    }
}

ObImportPipe *
_ob_import_pipe_start (ObCsvReader          *reader,
                       const ObImportColumn *columns,
                       guint                 n_columns,
                       gboolean              headerless,
                       GPtrArray            *header,
                       guint                 header_line,
                       ObImportChecker      *checker)
{
  ObImportPipe *pipe = g_new0 (ObImportPipe, 1);

  pipe->checker = checker;
  pipe->reader = reader;
  pipe->columns = columns;
  pipe->n_columns = n_columns;
  pipe->headerless = headerless;
  pipe->header = header;
  pipe->header_line = header_line;
  pipe->full = g_async_queue_new ();
  pipe->written = g_async_queue_new ();
  g_mutex_init (&pipe->lock);
  g_cond_init (&pipe->cond);
  pipe->thread = g_thread_new ("ob-import-read", reader_thread, pipe);
  return pipe;
}

ObImportBatch *
_ob_import_pipe_next (ObImportPipe *pipe)
{
  ObImportBatch *batch = g_async_queue_try_pop (pipe->full);

  if (batch == NULL)
    {
      gint64 since = g_get_monotonic_time ();

      batch = g_async_queue_pop (pipe->full);
      pipe->writer_waited += g_get_monotonic_time () - since;
    }
  return batch;
}

void
_ob_import_pipe_give_back (ObImportPipe  *pipe,
                           ObImportBatch *batch,
                           gboolean       go_on)
{
  /* Back to the reader, before it is told there is room. */
  g_async_queue_push (pipe->written, batch);

  g_mutex_lock (&pipe->lock);
  pipe->in_flight--;
  pipe->stop |= !go_on;
  g_cond_signal (&pipe->cond);
  g_mutex_unlock (&pipe->lock);
}

void
_ob_import_pipe_finish (ObImportPipe *pipe)
{
  ObImportBatch *left;

  /* The reader stops at its next batch; what it left is dropped. */
  g_mutex_lock (&pipe->lock);
  pipe->stop = TRUE;
  g_cond_signal (&pipe->cond);
  g_mutex_unlock (&pipe->lock);
  g_thread_join (pipe->thread);
  g_debug ("Import: the writer waited %.2f s for rows, the reader %.2f s for room",
           pipe->writer_waited / (double) G_USEC_PER_SEC, pipe->reader_waited / (double) G_USEC_PER_SEC);
  while ((left = g_async_queue_try_pop (pipe->full)) != NULL)
    batch_free (left);
  while ((left = g_async_queue_try_pop (pipe->written)) != NULL)
    batch_free (left);
  g_async_queue_unref (pipe->full);
  g_async_queue_unref (pipe->written);
  g_mutex_clear (&pipe->lock);
  g_cond_clear (&pipe->cond);
  g_free (pipe);
}
