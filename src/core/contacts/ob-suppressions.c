/* ob-suppressions.c — the suppression list: addresses and whole domains
 * that are never mailed.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-contacts.h"
#include "ob-csv-private.h"
#include "ob-suppressions.h"

G_DEFINE_BOXED_TYPE (ObSuppression, ob_suppression, ob_suppression_copy, ob_suppression_free)

static const char * const reason_ids[] = {
  "hard-bounce", "soft-bounce", "unsubscribed", "complaint", "manual", NULL
};

const char *
ob_suppression_reason_to_string (ObSuppressionReason reason)
{
  g_return_val_if_fail (reason <= OB_SUPPRESSION_MANUAL, NULL);
  return reason_ids[reason];
}

gboolean
ob_suppression_reason_from_string (const char          *text,
                                   ObSuppressionReason *reason)
{
  for (guint i = 0; reason_ids[i] != NULL; i++)
    if (g_strcmp0 (text, reason_ids[i]) == 0)
      {
        *reason = i;
        return TRUE;
      }
  return FALSE;
}

ObSuppression *
ob_suppression_copy (const ObSuppression *self)
{
  ObSuppression *copy = g_new0 (ObSuppression, 1);

  *copy = *self;
  copy->value = g_strdup (self->value);
  copy->display = g_strdup (self->display);
  copy->source = g_strdup (self->source);
  copy->detail = g_strdup (self->detail);
  return copy;
}

void
ob_suppression_free (ObSuppression *self)
{
  if (self == NULL)
    return;
  g_free (self->value);
  g_free (self->display);
  g_free (self->source);
  g_free (self->detail);
  g_free (self);
}

/* "j@x.com" or "@x.com" → kind, key and the Unicode domain. */
typedef struct
{
  gboolean  is_domain;
  char     *value;
  char     *domain;  /* Unicode, as contacts.domain */
  char     *display;
} Entry;

static void
entry_clear (Entry *e)
{
  g_clear_pointer (&e->value, g_free);
  g_clear_pointer (&e->domain, g_free);
  g_clear_pointer (&e->display, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Entry, entry_clear)

static gboolean
parse_entry (const char  *text,
             Entry       *out,
             GError     **error)
{
  g_autofree char *normalized = ob_address_normalize (text);
  g_autoptr(ObAddressCheck) check = NULL;

  memset (out, 0, sizeof *out);
  if (normalized[0] == '@')
    {
      g_autofree char *probe = g_strconcat ("postmaster", normalized, NULL);

      check = ob_address_check (probe, OB_ADDRESS_CHECK_NO_SUGGEST);
      out->is_domain = TRUE;
    }
  else
    check = ob_address_check (normalized, OB_ADDRESS_CHECK_NO_SUGGEST);

  if (ob_address_check_has_reason (check, OB_ADDRESS_REASON_SYNTAX) ||
      ob_address_check_get_ascii_domain (check) == NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("“%s” is neither an email address nor an @domain"), text);
      return FALSE;
    }

  out->domain = g_strdup (ob_address_check_get_domain (check));
  if (out->is_domain)
    {
      out->value = g_strdup (ob_address_check_get_ascii_domain (check));
      out->display = g_strconcat ("@", out->domain, NULL);
    }
  else
    {
      out->value = ob_address_check_dup_key (check);
      out->display = g_strdup (ob_address_check_get_address (check));
    }
  return TRUE;
}

static gboolean
log_action (ObStore     *store,
            const char  *action,
            const Entry *e,
            const char  *reason,
            const char  *note,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store,
    "INSERT INTO suppression_log (at, action, kind, value, reason, note) VALUES (?, ?, ?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 2, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, e->is_domain ? "domain" : "address", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, e->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, note, -1, SQLITE_STATIC);
  return ob_store_step_done (store, stmt, error);
}

/* Contacts follow the list: unsubscribed while only "unsubscribed" entries
 * cover them, suppressed while any other address or domain entry does,
 * back to active (or invalid) when none does.
 *
 * An address entry covers every spelling of its local part in upper and
 * lower case. Contacts keep the local part as typed (RFC 5321 lets a
 * server tell them apart, so an import does not merge them), but almost
 * no server does: a list holding both ANNA@ and anna@ must not go on
 * mailing one after the other bounced. Erring here costs a mail, not a
 * bounce. (SQLite's NOCASE folds ASCII only, as the keys are.) */
#define COVERS_CONTACT \
  "(s.kind = 'address' AND s.value = contacts.email_key COLLATE NOCASE)" \
  " OR (s.kind = 'domain' AND s.value = substr (contacts.email_key, length (contacts.email_key) - length (s.value) + 1)" \
  "     AND substr (contacts.email_key, length (contacts.email_key) - length (s.value), 1) = '@')"

static gboolean
refresh_contacts (ObStore     *store,
                  const Entry *e,
                  GError     **error)
{
  static const char refresh_sql[] =
    "UPDATE contacts SET updated_at = ?2, status = CASE"
    "  WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.reason != 'unsubscribed' AND (" COVERS_CONTACT "))"
    "  THEN 'suppressed'"
    "  WHEN EXISTS (SELECT 1 FROM suppressions s WHERE " COVERS_CONTACT ")"
    "  THEN 'unsubscribed'"
    "  WHEN status IN ('suppressed', 'unsubscribed') THEN CASE WHEN verdict = 'invalid' THEN 'invalid' ELSE 'active' END"
    "  ELSE status END";
  /* By domain first: the index on contacts.domain finds the few rows an
   * address entry's case-blind match has to look at. */
  g_autofree char *full = g_strconcat (refresh_sql, " WHERE domain = ?3",
                                       e->is_domain ? NULL : " AND email_key = ?1 COLLATE NOCASE", NULL);
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, full, error);

  if (stmt == NULL)
    return FALSE;
  if (!e->is_domain)
    sqlite3_bind_text (stmt, 1, e->value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 3, e->domain, -1, SQLITE_STATIC);
  return ob_store_step_done (store, stmt, error);
}

/* An address already listed in another case is the same entry: @e takes
 * the listed spelling, so that adding it again updates that entry. */
static gboolean
keep_spelling (ObStore  *store,
               Entry    *e,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store,
    "SELECT value FROM suppressions WHERE kind = 'address' AND value = ?1 COLLATE NOCASE ORDER BY id LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_free (e->value);
      e->value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* Writes @e with its reason, logs it and marks the contacts it covers;
 * @sql is the INSERT, with or without taking over an entry there. */
static gboolean
write_entry (ObStore              *store,
             const char           *sql,
             const Entry          *e,
             ObSuppressionReason   reason,
             const char           *source,
             const char           *detail,
             gint64                now,
             GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->is_domain ? "domain" : "address", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, e->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, ob_suppression_reason_to_string (reason), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, detail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now);
  return ob_store_step_done (store, stmt, error) &&
         log_action (store, "add", e, ob_suppression_reason_to_string (reason), detail, error) &&
         refresh_contacts (store, e, error);
}

/**
 * ob_suppressions_add:
 * @entry: an address, or "@domain" for a whole domain
 *
 * Adds (or updates the reason of) a suppression, logs it, and marks the
 * contacts it covers as suppressed. All or nothing.
 */
gboolean
ob_suppressions_add (ObStore              *store,
                     const char           *entry,
                     ObSuppressionReason   reason,
                     const char           *source,
                     const char           *detail,
                     GError              **error)
{
  g_auto(Entry) e = { 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!parse_entry (entry, &e, error))
    return FALSE;
  if (!ob_store_begin (store, error))
    return FALSE;
  if (!e.is_domain && !keep_spelling (store, &e, error))
    goto fail;

  if (!write_entry (store,
                    "INSERT INTO suppressions (kind, value, reason, source, detail, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (kind, value) DO UPDATE SET reason = excluded.reason,"
                    " source = coalesce (excluded.source, source), detail = coalesce (excluded.detail, detail)",
                    &e, reason, source, detail, g_get_real_time () / G_USEC_PER_SEC, error))
    goto fail;

  return ob_store_commit (store, error);

fail:
  ob_store_rollback (store);
  return FALSE;
}

/**
 * ob_suppressions_remove:
 * @why: the user's reason for lifting it (required; it is logged)
 */
gboolean
ob_suppressions_remove (ObStore     *store,
                        const char  *entry,
                        const char  *why,
                        GError     **error)
{
  g_auto(Entry) e = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (why == NULL || *why == '\0')
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("Say why “%s” may be mailed again; the reason is kept in the log"), entry);
      return FALSE;
    }
  if (!parse_entry (entry, &e, error))
    return FALSE;
  if (!ob_store_begin (store, error))
    return FALSE;

  stmt = ob_store_prepare (store, "DELETE FROM suppressions WHERE kind = ? AND value = ? COLLATE NOCASE", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, e.is_domain ? "domain" : "address", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, e.value, -1, SQLITE_STATIC);
  if (!ob_store_step_done (store, stmt, error))
    goto fail;
  if (sqlite3_changes (ob_store_get_db (store)) == 0)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND,
                   _("“%s” is not on the suppression list"), e.display);
      goto fail;
    }
  if (!log_action (store, "remove", &e, NULL, why, error) ||
      !refresh_contacts (store, &e, error))
    goto fail;

  return ob_store_commit (store, error);

fail:
  ob_store_rollback (store);
  return FALSE;
}

static gboolean
lookup (ObStore     *store,
        const char  *kind,
        const char  *value,
        char       **reason,
        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store,
    "SELECT reason FROM suppressions WHERE kind = ? AND value = ? COLLATE NOCASE", error);
  int rc;

  *reason = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  if (rc == SQLITE_ROW)
    *reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return TRUE;
}

static gboolean
is_listed (ObStore     *store,
           const char  *kind,
           const char  *value,
           gboolean    *found,
           GError     **error)
{
  g_autofree char *reason = NULL;

  if (!lookup (store, kind, value, &reason, error))
    return FALSE;
  *found = reason != NULL;
  return TRUE;
}

/* Whether the list covers @e already: for an address, an entry for it in
 * any case or for its domain; for a domain, an entry for that domain. */
static gboolean
is_covered (ObStore      *store,
            const Entry  *e,
            gboolean     *covered,
            GError      **error)
{
  const char *at;

  if (e->is_domain)
    return is_listed (store, "domain", e->value, covered, error);
  if (!is_listed (store, "address", e->value, covered, error))
    return FALSE;
  if (*covered || (at = strrchr (e->value, '@')) == NULL)
    return TRUE;
  return is_listed (store, "domain", at + 1, covered, error);
}

/**
 * ob_suppressions_add_new:
 * @entry: an address, or "@domain" for a whole domain
 * @added: (out) (optional): the entry as written, or %NULL when the list
 *   covered @entry already
 *
 * Like ob_suppressions_add(), but an address or domain the list already
 * covers (by an entry for the address in any case, or for its domain)
 * is left as it is: no entry, no new reason, nothing logged. What it
 * added can be lifted again with ob_suppressions_lift(). All or nothing.
 */
gboolean
ob_suppressions_add_new (ObStore              *store,
                         const char           *entry,
                         ObSuppressionReason   reason,
                         const char           *source,
                         const char           *detail,
                         ObSuppression       **added,
                         GError              **error)
{
  g_auto(Entry) e = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean covered = FALSE;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (added != NULL)
    *added = NULL;
  if (!parse_entry (entry, &e, error))
    return FALSE;
  if (!ob_store_begin (store, error))
    return FALSE;
  if (!is_covered (store, &e, &covered, error))
    goto fail;
  if (covered)
    return ob_store_commit (store, error);

  if (!write_entry (store,
                    "INSERT INTO suppressions (kind, value, reason, source, detail, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    &e, reason, source, detail, now, error))
    goto fail;
  if (!ob_store_commit (store, error))
    return FALSE;

  if (added != NULL)
    {
      ObSuppression *s = g_new0 (ObSuppression, 1);

      s->is_domain = e.is_domain;
      s->value = g_strdup (e.value);
      s->display = g_strdup (e.display);
      s->reason = reason;
      s->source = g_strdup (source);
      s->detail = g_strdup (detail);
      s->created_at = now;
      *added = s;
    }
  return TRUE;

fail:
  ob_store_rollback (store);
  return FALSE;
}

/**
 * ob_suppressions_lift:
 * @entry: an entry as ob_suppressions_add_new() gave it
 * @why: the reason for lifting it (required; it is logged)
 * @lifted: (out) (optional): whether it was lifted
 *
 * Lifts @entry (an Undo) if the list still holds it as it was added:
 * same reason, source, detail and time. One that something else took
 * over since (a bounce or a complaint found for the address, which
 * ob_suppressions_add() writes over it), or one lifted and added again,
 * stays. The removal is logged with @why and the contacts' status follows.
 * All or nothing.
 */
gboolean
ob_suppressions_lift (ObStore              *store,
                      const ObSuppression  *entry,
                      const char           *why,
                      gboolean             *lifted,
                      GError              **error)
{
  g_auto(Entry) e = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean gone;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL && entry->value != NULL && entry->display != NULL, FALSE);
  g_return_val_if_fail (why != NULL && *why != '\0', FALSE);

  if (lifted != NULL)
    *lifted = FALSE;
  if (!parse_entry (entry->display, &e, error))
    return FALSE;
  /* The key exactly as written, whatever the display parses to now. */
  g_free (e.value);
  e.value = g_strdup (entry->value);
  if (!ob_store_begin (store, error))
    return FALSE;

  stmt = ob_store_prepare (store,
    "DELETE FROM suppressions WHERE kind = ? AND value = ? AND reason = ? AND source IS ? AND detail IS ?"
    " AND created_at = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, e.is_domain ? "domain" : "address", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, e.value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, ob_suppression_reason_to_string (entry->reason), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->detail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, entry->created_at);
  if (!ob_store_step_done (store, stmt, error))
    goto fail;
  gone = sqlite3_changes (ob_store_get_db (store)) > 0;
  if (gone &&
      (!log_action (store, "remove", &e, NULL, why, error) ||
       !refresh_contacts (store, &e, error)))
    goto fail;
  if (!ob_store_commit (store, error))
    return FALSE;
  if (lifted != NULL)
    *lifted = gone;
  return TRUE;

fail:
  ob_store_rollback (store);
  return FALSE;
}

/**
 * ob_suppressions_status_of:
 * @status: (out): "suppressed" when an entry other than an unsubscribe
 *   covers the address, "unsubscribed" when only an unsubscribe does, %NULL
 *   when none does — the contact status the list gives (as refresh_contacts()
 *   sets it)
 */
gboolean
ob_suppressions_status_of (ObStore              *store,
                           const ObAddressCheck *check,
                           const char          **status,
                           GError              **error)
{
  g_autofree char *key = NULL;
  g_autofree char *by_address = NULL;
  g_autofree char *by_domain = NULL;
  const char *domain;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (check != NULL, FALSE);

  *status = NULL;
  key = ob_address_check_dup_key (check);
  if (key == NULL)
    return TRUE;
  domain = ob_address_check_get_ascii_domain (check);
  if (!lookup (store, "address", key, &by_address, error) ||
      (domain != NULL && !lookup (store, "domain", domain, &by_domain, error)))
    return FALSE;
  if ((by_address != NULL && !g_str_equal (by_address, "unsubscribed")) ||
      (by_domain != NULL && !g_str_equal (by_domain, "unsubscribed")))
    *status = "suppressed";
  else if (by_address != NULL || by_domain != NULL)
    *status = "unsubscribed";
  return TRUE;
}

/* Whether the address (or, for "@domain", the domain) is suppressed,
 * directly or through its domain. */
gboolean
ob_suppressions_contains (ObStore     *store,
                          const char  *entry,
                          gboolean    *suppressed,
                          GError     **error)
{
  g_auto(Entry) e = { 0 };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (suppressed != NULL, FALSE);

  *suppressed = FALSE;
  if (!parse_entry (entry, &e, error))
    return FALSE;
  if (!e.is_domain)
    {
      g_autofree char *domain = NULL;
      const char *at = strrchr (e.value, '@');

      if (!is_listed (store, "address", e.value, suppressed, error))
        return FALSE;
      if (*suppressed || at == NULL)
        return TRUE;
      domain = g_strdup (at + 1);
      return is_listed (store, "domain", domain, suppressed, error);
    }
  return is_listed (store, "domain", e.value, suppressed, error);
}

gboolean
ob_suppressions_check_address (ObStore              *store,
                               const ObAddressCheck *check,
                               gboolean             *suppressed,
                               GError              **error)
{
  const char *status = NULL;

  if (!ob_suppressions_status_of (store, check, &status, error))
    return FALSE;
  *suppressed = status != NULL;
  return TRUE;
}

static char *
display_of (gboolean    is_domain,
            const char *value)
{
  char *shown = NULL;

  if (is_domain)
    {
      g_autofree char *probe = g_strconcat ("postmaster@", value, NULL);
      g_autoptr(ObAddressCheck) check = ob_address_check (probe, OB_ADDRESS_CHECK_NO_SUGGEST);

      return g_strconcat ("@", ob_address_check_get_domain (check) ? ob_address_check_get_domain (check) : value, NULL);
    }
  else
    {
      g_autoptr(ObAddressCheck) check = ob_address_check (value, OB_ADDRESS_CHECK_STRICT | OB_ADDRESS_CHECK_NO_SUGGEST);

      shown = g_strdup (ob_address_check_get_address (check) ? ob_address_check_get_address (check) : value);
    }
  return shown;
}

/* Every suppression, newest first: a GPtrArray of ObSuppression. */
GPtrArray *
ob_suppressions_list (ObStore  *store,
                      GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_suppression_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store,
    "SELECT kind, value, reason, source, detail, created_at FROM suppressions ORDER BY created_at DESC, id DESC",
    error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObSuppression *s = g_new0 (ObSuppression, 1);

      s->is_domain = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "domain") == 0;
      s->value = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      s->display = display_of (s->is_domain, s->value);
      if (!ob_suppression_reason_from_string ((const char *) sqlite3_column_text (stmt, 2), &s->reason))
        s->reason = OB_SUPPRESSION_MANUAL;
      s->source = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      s->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      s->created_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (list, s);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* CSV with a header: entry,reason,source,detail,created_at (UTF-8 with
 * BOM, so spreadsheets open it right). */
gboolean
ob_suppressions_export_csv (ObStore     *store,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = ob_suppressions_list (store, error);
  g_autoptr(GString) out = NULL;

  if (list == NULL)
    return FALSE;

  out = g_string_new ("\xEF\xBB\xBF" "entry,reason,source,detail,created_at\r\n");
  for (guint i = 0; i < list->len; i++)
    {
      ObSuppression *s = g_ptr_array_index (list, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (s->created_at);
      g_autofree char *when = dt ? g_date_time_format_iso8601 (dt) : g_strdup ("");
      const char *fields[] = { s->display, ob_suppression_reason_to_string (s->reason),
                               s->source, s->detail, when };

      _ob_csv_append_row (out, fields, G_N_ELEMENTS (fields));
    }

  return g_file_set_contents (path, out->str, out->len, error);
}

/* Reads a suppression CSV (the export's columns, or just one column of
 * addresses and @domains). Rows without a known reason count as manual.
 * All rows or none: a bad row is an error naming its line. */
gboolean
ob_suppressions_import_csv (ObStore     *store,
                            const char  *path,
                            const char  *source,
                            guint       *added,
                            GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  g_autoptr(ObCsvReader) reader = NULL;
  g_autoptr(GError) local = NULL;
  const char *encoding = NULL;
  guint n = 0;
  gsize len;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  text = _ob_text_decode (data, len, &encoding, &local);
  if (text == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", path);
      return FALSE;
    }
  reader = _ob_csv_reader_new (text, strlen (text), 0);
  if (!ob_store_begin (store, error))
    return FALSE;

  while (TRUE)
    {
      g_autoptr(GPtrArray) fields = NULL;
      ObSuppressionReason reason = OB_SUPPRESSION_MANUAL;
      const char *entry;
      guint line;

      if (!_ob_csv_reader_next (reader, &fields, &line, &local))
        break;
      if (fields == NULL)
        break;
      entry = g_ptr_array_index (fields, 0);
      /* A header row. */
      if (line == 1 && strchr (entry, '@') == NULL)
        continue;
      if (fields->len > 1)
        ob_suppression_reason_from_string (g_ptr_array_index (fields, 1), &reason);
      if (!ob_suppressions_add (store, entry, reason,
                                fields->len > 2 && *(char *) g_ptr_array_index (fields, 2) ? g_ptr_array_index (fields, 2) : source,
                                fields->len > 3 && *(char *) g_ptr_array_index (fields, 3) ? g_ptr_array_index (fields, 3) : NULL,
                                &local))
        {
          g_prefix_error (&local, _("%s, line %u: "), path, line);
          break;
        }
      n++;
    }

  if (local != NULL)
    {
      ob_store_rollback (store);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!ob_store_commit (store, error))
    return FALSE;
  if (added != NULL)
    *added = n;
  return TRUE;
}
