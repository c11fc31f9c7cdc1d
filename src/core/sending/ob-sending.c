/* ob-sending.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-sending.h"

G_DEFINE_QUARK (ob-sending-error-quark, ob_sending_error)

/* Adds the contact's address to the suppression list (once), logs it, and
 * marks the contact suppressed. Runs inside the caller's transaction. */
gboolean
ob_sending_suppress_contact (ObStore     *store,
                             gint64       contact_id,
                             const char  *reason,
                             const char  *source,
                             const char  *detail,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  insert = ob_store_prepare (store,
                             "INSERT INTO suppressions (kind, value, reason, source, detail, created_at) "
                             "SELECT 'address', email_key, ?1, ?2, ?3, ?4 FROM contacts WHERE id = ?5 "
                             "ON CONFLICT (kind, value) DO NOTHING",
                             error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 4, now);
  sqlite3_bind_int64 (insert, 5, contact_id);
  if (!ob_store_step_done (store, insert, error))
    return FALSE;

  if (sqlite3_changes (ob_store_get_db (store)) > 0)
    {
      g_autoptr(sqlite3_stmt) log = NULL;

      log = ob_store_prepare (store,
                              "INSERT INTO suppression_log (at, action, kind, value, reason, note) "
                              "SELECT ?1, 'add', 'address', email_key, ?2, ?3 FROM contacts WHERE id = ?4",
                              error);
      if (log == NULL)
        return FALSE;
      sqlite3_bind_int64 (log, 1, now);
      sqlite3_bind_text (log, 2, reason, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (log, 3, detail, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (log, 4, contact_id);
      if (!ob_store_step_done (store, log, error))
        return FALSE;
    }

  update = ob_store_prepare (store,
                             "UPDATE contacts SET status = 'suppressed', updated_at = ?1 "
                             "WHERE id = ?2 AND status = 'active'",
                             error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, now);
  sqlite3_bind_int64 (update, 2, contact_id);
  return ob_store_step_done (store, update, error);
}
