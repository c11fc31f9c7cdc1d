/* ob-test-util.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-store.h"

G_BEGIN_DECLS

/* A fresh temporary directory, removed (recursively) when freed. */
typedef struct _ObTestDir ObTestDir;

ObTestDir  *ob_test_dir_new       (void);
const char *ob_test_dir_get_path  (ObTestDir  *dir);
char       *ob_test_dir_file      (ObTestDir  *dir,
                                   const char *name);
void        ob_test_dir_free      (ObTestDir  *dir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestDir, ob_test_dir_free)

/* Paths from the test environment (tests/meson.build). */
const char *ob_test_source_root   (void);
const char *ob_test_build_root    (void);
char       *ob_test_shared_file   (const char *first_element,
                                   ...) G_GNUC_NULL_TERMINATED;

/* Runs outbound-cli with @argv (NULL-terminated, without the program name),
 * feeding @stdin_text when not NULL. Returns the exit status. */
int         ob_test_run_cli       (const char * const *argv,
                                   const char         *stdin_text,
                                   char              **stdout_text,
                                   char              **stderr_text);

/* The first column of the first row of @sql on @store; the test fails if
 * the query does not prepare. ob_test_query_text returns NULL when there
 * is no row; ob_test_query_int fails the test then. */
gint64      ob_test_query_int     (ObStore            *store,
                                   const char         *sql);
char       *ob_test_query_text    (ObStore            *store,
                                   const char         *sql);

/* Another connection's long write (a worker's import or bulk delete) that
 * starts between two of @store's transactions: right after the first
 * commit on @store after which @sql, run on @other, gives a number other
 * than 0, @other takes the database's write lock (BEGIN IMMEDIATE) and
 * keeps it until the test ends that transaction (ROLLBACK on @other).
 * Freeing it removes the hook, not the lock. */
typedef struct _ObTestLockAfter ObTestLockAfter;

ObTestLockAfter *ob_test_lock_after_commit (ObStore         *store,
                                            ObStore         *other,
                                            const char      *sql);
gboolean         ob_test_lock_after_held   (ObTestLockAfter *lock);
void             ob_test_lock_after_free   (ObTestLockAfter *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTestLockAfter, ob_test_lock_after_free)

/* Waiting for an async call: pass ob_test_keep_result_cb with the
 * address of a NULL GAsyncResult pointer as its user data, then
 * ob_test_wait_result() on it runs the main context until the result is
 * there (a reference the caller owns). */
void          ob_test_keep_result_cb (GObject       *source,
                                      GAsyncResult  *result,
                                      gpointer       user_data);
GAsyncResult *ob_test_wait_result    (GAsyncResult **result);

/* Sets @name ("zh_CN.UTF-8") for @category (LC_TIME, LC_ALL…): the
 * system's, or else compiled with localedef below @dir, which LOCPATH
 * then names. FALSE when neither works (no locales package). */
gboolean    ob_test_use_locale         (ObTestDir          *dir,
                                        int                 category,
                                        const char         *name);

/* A fast path and the general one it stands in for must agree: on each
 * of @inputs and on every tail of the printable ASCII range, under each
 * of @locales (LC_CTYPE) that is installed; the locale is put back. */
typedef char *(*ObTestTextFunc) (const char *text);

void        ob_test_assert_paths_agree (const char * const *locales,
                                        const char * const *inputs,
                                        ObTestTextFunc      fast,
                                        ObTestTextFunc      general);

G_END_DECLS
