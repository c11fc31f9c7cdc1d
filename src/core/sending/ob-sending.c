/* ob-sending.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-sending.h"
#include "ob-suppressions.h"

G_DEFINE_QUARK (ob-sending-error-quark, ob_sending_error)

/* Adds the contact's address to the suppression list through the contacts
 * area (once: an existing entry keeps its first reason), which logs it and
 * marks the contact suppressed. Runs inside the caller's transaction (the
 * contacts API nests as a savepoint). */
gboolean
ob_sending_suppress_contact (ObStore     *store,
                             gint64       contact_id,
                             const char  *reason,
                             const char  *source,
                             const char  *detail,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *email = NULL;
  ObSuppressionReason why;
  gboolean suppressed = FALSE;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  if (!ob_suppression_reason_from_string (reason, &why))
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   "“%s” is not a suppression reason", reason);
      return FALSE;
    }

  stmt = ob_store_prepare (store, "SELECT email FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE; /* the contact was deleted meanwhile: nothing to suppress */
  email = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!ob_suppressions_contains (store, email, &suppressed, error))
    return FALSE;
  if (suppressed)
    return TRUE;
  return ob_suppressions_add (store, email, why, source, detail, error);
}
