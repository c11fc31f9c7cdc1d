/* ob-account-test-log.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-account-test-log"

#include "config.h"

#include <sqlite3.h>

#include "ob-account-test-log.h"

/* An event rather than a column: the accounts table has none for it, and
 * the history of tests (when an account stopped working) is worth keeping. */

gboolean
ob_account_test_log_record (ObStore                   *store,
                            gint64                     account_id,
                            const ObAccountTestReport *report,
                            GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *summary = NULL;
  guint n_failed = 0;
  g_autofree char *data = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *step = g_ptr_array_index (report->steps, i);

      if (!step->ok)
        {
          if (summary == NULL)
            summary = step->message;
          n_failed++;
        }
    }
  data = g_strdup_printf ("{\"ok\":%s,\"steps\":%u,\"failed\":%u}",
                          report->ok ? "true" : "false", report->steps->len, n_failed);

  stmt = ob_store_prepare (store,
                           "INSERT INTO events (at, kind, account_id, detail, data) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 2, OB_ACCOUNT_TEST_EVENT_KIND, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, account_id);
  if (summary != NULL)
    sqlite3_bind_text (stmt, 4, summary, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, data, -1, SQLITE_TRANSIENT);
  return ob_store_step_done (store, stmt, error);
}

gboolean
ob_account_test_log_get_last (ObStore   *store,
                              gint64     account_id,
                              gint64    *at,
                              gboolean  *ok,
                              char     **summary)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  stmt = ob_store_prepare (store,
                           "SELECT at, json_extract (data, '$.ok'), detail FROM events "
                           "WHERE kind = ?1 AND account_id = ?2 ORDER BY at DESC, id DESC LIMIT 1",
                           &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read the last account test: %s", error->message);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, OB_ACCOUNT_TEST_EVENT_KIND, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  if (at != NULL)
    *at = sqlite3_column_int64 (stmt, 0);
  if (ok != NULL)
    *ok = sqlite3_column_int (stmt, 1) != 0;
  if (summary != NULL)
    *summary = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  return TRUE;
}
