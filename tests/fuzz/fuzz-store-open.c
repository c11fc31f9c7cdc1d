/* fuzz-store-open.c — a damaged or foreign file given as the database
 * must be refused with an error (or opened, if it happens to be valid),
 * never crash.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>

#include "ob-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *dir;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;

  if (dir == NULL)
    dir = g_dir_make_tmp ("outbound-fuzz-XXXXXX", NULL);
  path = g_build_filename (dir, "fuzz.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);

  g_file_set_contents (path, (const char *) data, size, NULL);
  store = ob_store_open (path, &error);
  g_assert_true ((store != NULL) != (error != NULL));
  if (error != NULL)
    g_assert_true (error->domain == OB_STORE_ERROR);

  g_clear_object (&store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  return 0;
}
