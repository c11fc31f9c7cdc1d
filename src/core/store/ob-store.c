/* ob-store.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ob-store.h"
#include "ob-store-resources.h"

#define MIGRATIONS_PATH "/io/github/outboundapp/Outbound/store/migrations"
#define BUSY_TIMEOUT_MS 5000
#define BUSY_SLEEP_MS   10

/* A store and the connections opened from it (ob_store_open_another()):
 * how many of them are in a transaction marked long. */
typedef struct
{
  gint ref_count;
  gint long_writes; /* atomic */
} Family;

struct _ObStore
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
  int      depth;      /* nesting of ob_store_begin() */
  Family  *family;
  gboolean long_write; /* this connection's transaction is marked long */
  gboolean no_wait;    /* ob_store_begin_now() under way */
};

/* SQLite undoes a whole transaction by itself after some errors (a full
 * disk, an I/O error, an interrupt): then the connection is back in
 * autocommit mode while our callers still count on their transaction.
 * A statement run now would be saved on its own, half a change. Until
 * the caller rolls back, the store refuses to run any (refuse_if_lost()).
 * Statements stepped with sqlite3_step() directly are not guarded; the
 * caller's commit still fails. */
static gboolean
transaction_lost (ObStore *self)
{
  return self->depth > 0 && sqlite3_get_autocommit (self->db);
}

static gboolean
refuse_if_lost (ObStore  *self,
                GError  **error)
{
  if (!transaction_lost (self))
    return FALSE;
  g_set_error_literal (error, OB_STORE_ERROR, OB_STORE_ERROR_SQL,
                       _("The database undid this change after an error (a full disk, or a file "
                         "that could not be written); nothing of it was saved."));
  return TRUE;
}

G_DEFINE_FINAL_TYPE (ObStore, ob_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (ob-store-error-quark, ob_store_error)

typedef struct
{
  int         number;
  const char *name;
} Migration;

static Family *
family_ref (Family *family)
{
  g_atomic_int_inc (&family->ref_count);
  return family;
}

static void
family_unref (Family *family)
{
  if (g_atomic_int_dec_and_test (&family->ref_count))
    g_free (family);
}

/* SQLite's busy timeout, with two ways out at once: ob_store_begin_now(),
 * and another connection of the family in a long write (a worker's
 * import or bulk deletion, ob_store_mark_long_write()), which would hold
 * the database longer than any wait here: the UI thread would freeze for
 * the whole timeout and fail all the same. */
static int
busy_cb (void *data,
         int   count)
{
  ObStore *self = data;

  if (self->no_wait || (!self->long_write && g_atomic_int_get (&self->family->long_writes) > 0))
    return 0;
  if (count * BUSY_SLEEP_MS >= BUSY_TIMEOUT_MS)
    return 0;
  g_usleep (BUSY_SLEEP_MS * 1000);
  return 1;
}

static void
end_long_write (ObStore *self)
{
  if (self->long_write)
    {
      self->long_write = FALSE;
      g_atomic_int_add (&self->family->long_writes, -1);
    }
}

static int
error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return OB_STORE_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return OB_STORE_ERROR_CONSTRAINT;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return OB_STORE_ERROR_OPEN;
    default:
      return OB_STORE_ERROR_SQL;
    }
}

/* @rc an extended SQLite result code, @message SQLite's words for it. */
static void
set_sqlite_error (GError     **error,
                  int          rc,
                  const char  *message)
{
  /* Another connection writing: in the app, a worker's import or bulk
   * deletion, which can hold the database for many seconds. */
  if (error_code_for_sqlite (rc) == OB_STORE_ERROR_BUSY)
    g_set_error_literal (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY,
                         _("The database is busy with another task, such as an import or a deletion. "
                           "Try again when it is done."));
  else
    g_set_error (error, OB_STORE_ERROR, error_code_for_sqlite (rc), _("Database error: %s"), message);
}

void
ob_store_set_error (ObStore  *self,
                    GError  **error)
{
  g_return_if_fail (OB_IS_STORE (self));

  set_sqlite_error (error, sqlite3_extended_errcode (self->db), sqlite3_errmsg (self->db));
}

static int
compare_migrations (gconstpointer a,
                    gconstpointer b)
{
  const Migration *ma = a;
  const Migration *mb = b;

  return (ma->number > mb->number) - (ma->number < mb->number);
}

/* The migrations shipped in the GResource, sorted by number. Names are
 * "NNNN-what.sql"; numbers may have gaps. */
static GArray *
list_migrations (void)
{
  static GArray *migrations;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      GArray *list = g_array_new (FALSE, FALSE, sizeof (Migration));
      g_auto(GStrv) names = NULL;

      names = g_resource_enumerate_children (ob_store_get_resource (),
                                             MIGRATIONS_PATH,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE,
                                             NULL);
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          Migration m;
          char *end = NULL;

          if (!g_str_has_suffix (names[i], ".sql"))
            continue;
          m.number = (int) g_ascii_strtoll (names[i], &end, 10);
          if (end == names[i] || m.number <= 0)
            {
              g_critical ("Migration %s has no number", names[i]);
              continue;
            }
          m.name = g_intern_string (names[i]);
          g_array_append_val (list, m);
        }
      g_array_sort (list, compare_migrations);
      migrations = list;
      g_once_init_leave (&initialized, 1);
    }

  return migrations;
}

int
ob_store_get_latest_version (void)
{
  GArray *migrations = list_migrations ();

  if (migrations->len == 0)
    return 0;
  return g_array_index (migrations, Migration, migrations->len - 1).number;
}

static void
ob_store_finalize (GObject *object)
{
  ObStore *self = (ObStore *)object;

  if (self->db != NULL)
    {
      /* close_v2 defers the close while statements live (FTS5 keeps
       * its own until the connection goes); the last one closes it. */
      sqlite3_busy_handler (self->db, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  if (self->family != NULL)
    {
      end_long_write (self);
      g_clear_pointer (&self->family, family_unref);
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ob_store_parent_class)->finalize (object);
}

static void
ob_store_class_init (ObStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_store_finalize;
}

static void
ob_store_init (ObStore *self)
{
}

/* The path used when neither --db nor OUTBOUND_DB says otherwise. */
char *
ob_store_default_path (void)
{
  const char *env = g_getenv ("OUTBOUND_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "outbound", "outbound.db", NULL);
}

/* Create the file ourselves so it is 0600 from the first byte; SQLite then
 * gives the -wal and -shm files the same mode. */
static gboolean
prepare_file (const char  *path,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, OB_STORE_ERROR, OB_STORE_ERROR_OPEN,
                   _("Cannot create the folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, OB_STORE_ERROR, OB_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

static int
read_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

static gboolean
apply_migration (ObStore          *self,
                 const Migration  *m,
                 GError          **error)
{
  g_autofree char *path = g_strdup_printf (MIGRATIONS_PATH "/%s", m->name);
  g_autofree char *pragma = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  char *errmsg = NULL;

  bytes = g_resource_lookup_data (ob_store_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  pragma = g_strdup_printf ("PRAGMA user_version = %d", m->number);

  g_debug ("Applying migration %s to %s", m->name, self->path);

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK ||
      sqlite3_exec (self->db, pragma, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, OB_STORE_ERROR, OB_STORE_ERROR_MIGRATION,
                   _("Cannot update the database to version %d: %s"),
                   m->number, errmsg ? errmsg : sqlite3_errmsg (self->db));
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  int from;
} MigrateData;

static gboolean
migrate_in_transaction (ObStore   *self,
                        gpointer   user_data,
                        GError   **error)
{
  MigrateData *data = user_data;
  GArray *migrations = list_migrations ();

  for (guint i = 0; i < migrations->len; i++)
    {
      const Migration *m = &g_array_index (migrations, Migration, i);

      if (m->number <= data->from)
        continue;
      if (!apply_migration (self, m, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (ObStore  *self,
         GError  **error)
{
  MigrateData data;
  int latest = ob_store_get_latest_version ();

  /* Up to date, as nearly always: no write lock, so that opening the
   * database never waits for another connection's long write (the app's
   * import, for the CLI). */
  if (read_user_version (self->db) == latest)
    return TRUE;

  /* Read the version inside the write lock so two processes opening a new
   * file at once do not both run the first migration. */
  if (!ob_store_begin (self, error))
    return FALSE;

  data.from = read_user_version (self->db);
  if (data.from < 0)
    {
      ob_store_rollback (self);
      g_set_error (error, OB_STORE_ERROR, OB_STORE_ERROR_OPEN,
                   _("“%s” is not an Outbound database"), self->path);
      return FALSE;
    }

  if (data.from > latest)
    {
      ob_store_rollback (self);
      g_set_error (error, OB_STORE_ERROR, OB_STORE_ERROR_TOO_NEW,
                   _("The database “%s” was written by a newer version of Outbound "
                     "(schema %d; this version knows up to %d). Update Outbound to open it; "
                     "nothing was changed."),
                   self->path, data.from, latest);
      return FALSE;
    }

  if (!migrate_in_transaction (self, &data, error))
    {
      ob_store_rollback (self);
      return FALSE;
    }

  return ob_store_commit (self, error);
}

static gboolean
configure_connection (ObStore  *self,
                      GError  **error)
{
  sqlite3_busy_handler (self->db, busy_cb, self);
  sqlite3_extended_result_codes (self->db, 1);

  if (!ob_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return FALSE;
  if (!ob_store_exec (self, "PRAGMA journal_mode = WAL", error))
    return FALSE;
  if (!ob_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return FALSE;
  /* A big import writes hundreds of MB of WAL; once checkpointed, the file
   * shrinks back to this instead of staying that size. */
  if (!ob_store_exec (self, "PRAGMA journal_size_limit = 67108864", error))
    return FALSE;

  return TRUE;
}

static ObStore *
open_connection (const char  *path,
                 Family      *family,
                 gboolean     run_migrations,
                 GError     **error)
{
  g_autoptr(ObStore) self = NULL;
  int rc;

  self = g_object_new (OB_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (family != NULL)
    self->family = family_ref (family);
  else
    {
      self->family = g_new0 (Family, 1);
      self->family->ref_count = 1;
    }

  if (!prepare_file (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, OB_STORE_ERROR, OB_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  if (!configure_connection (self, error))
    {
      GError *local = error ? *error : NULL;
      /* A file that is not SQLite at all fails at the first PRAGMA. */
      if (local != NULL && local->domain == OB_STORE_ERROR)
        {
          g_autofree char *msg = g_strdup_printf (_("“%s” is not an Outbound database: %s"),
                                                  path, local->message);
          g_free (local->message);
          local->message = g_steal_pointer (&msg);
          local->code = OB_STORE_ERROR_OPEN;
        }
      return NULL;
    }

  if (run_migrations && !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * ob_store_open:
 * @path: (nullable): the database file, or %NULL for ob_store_default_path()
 *
 * Opens (creating if needed) the database and brings its schema up to
 * date. A database written by a newer Outbound is refused with
 * %OB_STORE_ERROR_TOO_NEW and left untouched.
 */
ObStore *
ob_store_open (const char  *path,
               GError     **error)
{
  g_autofree char *default_path = NULL;

  if (path == NULL)
    path = default_path = ob_store_default_path ();

  return open_connection (path, NULL, TRUE, error);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  ObStore *store = ob_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * ob_store_open_async:
 * @path: (nullable): as for ob_store_open()
 *
 * ob_store_open() in a worker thread: bringing an older database up to
 * date can take a while (a search index made again over a million
 * contacts), and the window should not freeze meanwhile. The store is
 * then used on the thread that called this, as any other.
 */
void
ob_store_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ob_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

ObStore *
ob_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ob_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A second connection to the same file, for a worker thread. Each
 * connection must stay on one thread at a time. */
ObStore *
ob_store_open_another (ObStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (OB_IS_STORE (self), NULL);

  return open_connection (self->path, self->family, FALSE, error);
}

const char *
ob_store_get_path (ObStore *self)
{
  g_return_val_if_fail (OB_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
ob_store_get_db (ObStore *self)
{
  g_return_val_if_fail (OB_IS_STORE (self), NULL);

  return self->db;
}

int
ob_store_get_schema_version (ObStore *self)
{
  g_return_val_if_fail (OB_IS_STORE (self), -1);

  return read_user_version (self->db);
}

gboolean
ob_store_exec (ObStore     *self,
               const char  *sql,
               GError     **error)
{
  char *errmsg = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (refuse_if_lost (self, error))
    return FALSE;
  rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, sqlite3_extended_errcode (self->db), errmsg ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

/* Returns a new statement; free it with sqlite3_finalize() or g_autoptr(sqlite3_stmt). */
sqlite3_stmt *
ob_store_prepare (ObStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      ob_store_set_error (self, error);
      g_debug ("Failed statement: %s", sql);
      return NULL;
    }

  return stmt;
}

/* Steps a statement that returns no rows (INSERT/UPDATE/DELETE). */
gboolean
ob_store_step_done (ObStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc;

  g_return_val_if_fail (OB_IS_STORE (self), FALSE);

  if (refuse_if_lost (self, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      ob_store_set_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* Nested begin/commit pairs become savepoints, so a helper that needs a
 * transaction can be called from inside another one. */
gboolean
ob_store_begin (ObStore  *self,
                GError  **error)
{
  g_return_val_if_fail (OB_IS_STORE (self), FALSE);

  if (self->depth == 0)
    {
      if (!ob_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SAVEPOINT ob_%d", self->depth);
      if (!ob_store_exec (self, sql, error))
        return FALSE;
    }

  self->depth++;
  return TRUE;
}

/* Like ob_store_begin, but a transaction that cannot start at once
 * (another connection is writing: a worker's bulk delete or an import can
 * hold the database for many seconds) fails with OB_STORE_ERROR_BUSY
 * instead of waiting up to the busy timeout. For the main thread's
 * periodic writers (the send engine, the mailbox poller), which come
 * back later. */
gboolean
ob_store_begin_now (ObStore  *self,
                    GError  **error)
{
  gboolean ok;

  g_return_val_if_fail (OB_IS_STORE (self), FALSE);

  if (self->depth > 0)
    return ob_store_begin (self, error);
  self->no_wait = TRUE;
  ok = ob_store_begin (self, error);
  self->no_wait = FALSE;
  return ok;
}

/* Marks the transaction under way on this connection as one that will
 * hold the database long (a big import or deletion in a worker). Until it
 * ends, the other connections of the store (ob_store_open_another()) give
 * up at once with OB_STORE_ERROR_BUSY where they would wait: on the UI
 * thread a wait would freeze the window for the whole busy timeout and
 * fail all the same. */
void
ob_store_mark_long_write (ObStore *self)
{
  g_return_if_fail (OB_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  if (self->long_write)
    return;
  self->long_write = TRUE;
  g_atomic_int_inc (&self->family->long_writes);
}

gboolean
ob_store_commit (ObStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (OB_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    {
      if (!ob_store_exec (self, "COMMIT", error))
        {
          ob_store_rollback (self);
          return FALSE;
        }
      end_long_write (self);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("RELEASE ob_%d", self->depth - 1);
      /* As at the outermost level: a commit that fails has rolled back
       * its level, so callers never roll back after one. */
      if (!ob_store_exec (self, sql, error))
        {
          ob_store_rollback (self);
          return FALSE;
        }
    }

  self->depth--;
  return TRUE;
}

void
ob_store_rollback (ObStore *self)
{
  g_return_if_fail (OB_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    {
      if (sqlite3_get_autocommit (self->db) == 0)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      end_long_write (self);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("ROLLBACK TO ob_%d; RELEASE ob_%d",
                                              self->depth - 1, self->depth - 1);
      sqlite3_exec (self->db, sql, NULL, NULL, NULL);
    }

  self->depth--;
}

/**
 * ob_store_transaction:
 *
 * Runs @func inside a transaction: committed when it returns %TRUE,
 * rolled back (and nothing changed) when it returns %FALSE.
 */
gboolean
ob_store_transaction (ObStore                 *self,
                      ObStoreTransactionFunc   func,
                      gpointer                 user_data,
                      GError                 **error)
{
  g_return_val_if_fail (OB_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!ob_store_begin (self, error))
    return FALSE;

  if (!func (self, user_data, error))
    {
      ob_store_rollback (self);
      return FALSE;
    }

  return ob_store_commit (self, error);
}

gint64
ob_store_last_insert_id (ObStore *self)
{
  g_return_val_if_fail (OB_IS_STORE (self), 0);

  return sqlite3_last_insert_rowid (self->db);
}
