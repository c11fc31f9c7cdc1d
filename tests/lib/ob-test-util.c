/* ob-test-util.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ob-test-util.h"

struct _ObTestDir
{
  char *path;
};

ObTestDir *
ob_test_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  ObTestDir *dir = g_new0 (ObTestDir, 1);

  dir->path = g_dir_make_tmp ("outbound-test-XXXXXX", &error);
  g_assert_no_error (error);

  return dir;
}

const char *
ob_test_dir_get_path (ObTestDir *dir)
{
  return dir->path;
}

char *
ob_test_dir_file (ObTestDir  *dir,
                  const char *name)
{
  return g_build_filename (dir->path, name, NULL);
}

static void
remove_recursively (const char *path)
{
  GDir *d;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR) &&
      (d = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_recursively (child);
        }
      g_dir_close (d);
    }
  g_remove (path);
}

void
ob_test_dir_free (ObTestDir *dir)
{
  if (dir == NULL)
    return;
  if (g_getenv ("OUTBOUND_TEST_KEEP") == NULL)
    remove_recursively (dir->path);
  else
    g_test_message ("Kept %s", dir->path);
  g_free (dir->path);
  g_free (dir);
}

const char *
ob_test_source_root (void)
{
  const char *root = g_getenv ("OUTBOUND_SOURCE_ROOT");

  g_assert_nonnull (root);
  return root;
}

const char *
ob_test_build_root (void)
{
  const char *root = g_getenv ("OUTBOUND_BUILD_ROOT");

  g_assert_nonnull (root);
  return root;
}

/* A file of ../shared (the corpora), e.g. ob_test_shared_file ("corpora", "spf", "x.json", NULL). */
char *
ob_test_shared_file (const char *first_element,
                     ...)
{
  const char *shared = g_getenv ("OUTBOUND_SHARED");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *element;
  va_list args;

  g_assert_nonnull (shared);
  g_ptr_array_add (parts, (gpointer) shared);
  va_start (args, first_element);
  for (element = first_element; element != NULL; element = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) element);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

int
ob_test_run_cli (const char * const  *argv,
                 const char          *stdin_text,
                 char               **stdout_text,
                 char               **stderr_text)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("OUTBOUND_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE |
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (stdout_text)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text)
    *stderr_text = g_steal_pointer (&err);

  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

gint64
ob_test_query_int (ObStore    *store,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

char *
ob_test_query_text (ObStore    *store,
                    const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

struct _ObTestLockAfter
{
  ObStore  *store;
  ObStore  *other;
  char     *sql;
  gboolean  held;
};

/* SQLite calls the WAL hook after each commit on the connection, once its
 * write lock is released: the moment another writer can get in. */
static int
lock_after_commit_cb (void       *user_data,
                      sqlite3    *db,
                      const char *name,
                      int         pages)
{
  ObTestLockAfter *lock = user_data;

  if (!lock->held && ob_test_query_int (lock->other, lock->sql) != 0)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (ob_store_exec (lock->other, "BEGIN IMMEDIATE", &error));
      g_assert_no_error (error);
      lock->held = TRUE;
    }
  return SQLITE_OK;
}

ObTestLockAfter *
ob_test_lock_after_commit (ObStore    *store,
                           ObStore    *other,
                           const char *sql)
{
  ObTestLockAfter *lock = g_new0 (ObTestLockAfter, 1);

  lock->store = g_object_ref (store);
  lock->other = g_object_ref (other);
  lock->sql = g_strdup (sql);
  sqlite3_wal_hook (ob_store_get_db (store), lock_after_commit_cb, lock);
  return lock;
}

gboolean
ob_test_lock_after_held (ObTestLockAfter *lock)
{
  return lock->held;
}

void
ob_test_lock_after_free (ObTestLockAfter *lock)
{
  /* The hook replaced the automatic checkpoints; this puts them back. */
  sqlite3_wal_autocheckpoint (ob_store_get_db (lock->store), 1000);
  g_object_unref (lock->store);
  g_object_unref (lock->other);
  g_free (lock->sql);
  g_free (lock);
}

static void
assert_agree (ObTestTextFunc  fast,
              ObTestTextFunc  general,
              const char     *text)
{
  g_autofree char *a = fast (text);
  g_autofree char *b = general (text);

  g_assert_cmpstr (a, ==, b);
}

/* @name for @category: the system's, or else compiled from glibc's
 * definitions (the locales package) below @dir, which LOCPATH then names:
 * the machine's own locales stay as they are. */
gboolean
ob_test_use_locale (ObTestDir  *dir,
                    int         category,
                    const char *name)
{
  const char *dot = strchr (name, '.');
  g_autofree char *source = dot ? g_strndup (name, dot - name) : g_strdup (name);
  /* A directory each: glibc remembers a locale it did not find under a
   * LOCPATH, so the next one must be another path. */
  g_autofree char *where = ob_test_dir_file (dir, name);
  g_autofree char *path = g_build_filename (where, name, NULL);
  const char *argv[] = { "localedef", "-i", source, "-f", "UTF-8", path, NULL };
  /* Without the LOCPATH of a locale made before. */
  g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "LOCPATH");
  int status = -1;

  if (setlocale (category, name) != NULL)
    return TRUE;
  if (g_mkdir_with_parents (where, 0700) != 0 ||
      !g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  g_setenv ("LOCPATH", where, TRUE);
  return setlocale (category, name) != NULL;
}

void
ob_test_assert_paths_agree (const char * const *locales,
                            const char * const *inputs,
                            ObTestTextFunc      fast,
                            ObTestTextFunc      general)
{
  g_autofree char *saved = g_strdup (setlocale (LC_CTYPE, NULL));
  g_autofree char *saved_locpath = g_strdup (g_getenv ("LOCPATH"));
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  char ascii[128];

  for (guint c = 1; c < 128; c++)
    ascii[c - 1] = (char) c;
  ascii[127] = '\0';

  for (guint l = 0; locales[l] != NULL; l++)
    {
      if (!ob_test_use_locale (dir, LC_CTYPE, locales[l]))
        {
          g_test_message ("locale %s not installed, and localedef could not make it", locales[l]);
          continue;
        }
      g_test_message ("locale %s", locales[l]);
      for (guint i = 0; inputs[i] != NULL; i++)
        assert_agree (fast, general, inputs[i]);
      for (guint c = 0; c < 127; c++)
        assert_agree (fast, general, ascii + c);
    }
  setlocale (LC_CTYPE, saved);
  if (saved_locpath != NULL)
    g_setenv ("LOCPATH", saved_locpath, TRUE);
  else
    g_unsetenv ("LOCPATH");
}

void
ob_test_keep_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
ob_test_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}
