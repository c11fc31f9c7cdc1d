/* ob-store.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define OB_STORE_ERROR (ob_store_error_quark ())

typedef enum
{
  OB_STORE_ERROR_OPEN,       /* the file could not be opened or created */
  OB_STORE_ERROR_TOO_NEW,    /* written by a newer Outbound: refused, not touched */
  OB_STORE_ERROR_MIGRATION,  /* a migration failed; the database is as it was */
  OB_STORE_ERROR_SQL,        /* a statement failed */
  OB_STORE_ERROR_BUSY,       /* another process held the database too long */
  OB_STORE_ERROR_CONSTRAINT, /* a uniqueness or foreign-key rule refused the change */
} ObStoreError;

GQuark ob_store_error_quark (void);

#define OB_TYPE_STORE (ob_store_get_type ())

G_DECLARE_FINAL_TYPE (ObStore, ob_store, OB, STORE, GObject)

/* Runs inside a transaction; return FALSE (with @error set) to roll back. */
typedef gboolean (*ObStoreTransactionFunc) (ObStore   *store,
                                            gpointer   user_data,
                                            GError   **error);

char          *ob_store_default_path       (void);
ObStore       *ob_store_open               (const char              *path,
                                            GError                 **error);
void           ob_store_open_async         (const char              *path,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
ObStore       *ob_store_open_finish        (GAsyncResult            *result,
                                            GError                 **error);
ObStore       *ob_store_open_another       (ObStore                 *self,
                                            GError                 **error);
const char    *ob_store_get_path           (ObStore                 *self);
sqlite3       *ob_store_get_db             (ObStore                 *self);
int            ob_store_get_schema_version (ObStore                 *self);
int            ob_store_get_latest_version (void);
gboolean       ob_store_exec               (ObStore                 *self,
                                            const char              *sql,
                                            GError                 **error);
sqlite3_stmt  *ob_store_prepare            (ObStore                 *self,
                                            const char              *sql,
                                            GError                 **error);
gboolean       ob_store_step_done          (ObStore                 *self,
                                            sqlite3_stmt            *stmt,
                                            GError                 **error);
gboolean       ob_store_transaction        (ObStore                 *self,
                                            ObStoreTransactionFunc   func,
                                            gpointer                 user_data,
                                            GError                 **error);
gboolean       ob_store_begin              (ObStore                 *self,
                                            GError                 **error);
gboolean       ob_store_begin_now          (ObStore                 *self,
                                            GError                 **error);
void           ob_store_mark_long_write    (ObStore                 *self);
gboolean       ob_store_commit             (ObStore                 *self,
                                            GError                 **error);
void           ob_store_rollback           (ObStore                 *self);
gint64         ob_store_last_insert_id     (ObStore                 *self);
void           ob_store_set_error          (ObStore                 *self,
                                            GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
