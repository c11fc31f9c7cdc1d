/* ob-contacts-history.c — one contact's history, as the detail pane
 * lists it: its rows of events (sent, bounced, replied, edited…), when
 * and from where it was added, and each time its address or its whole
 * domain was suppressed or lifted (the suppression log). Composed when
 * read, from the tables that keep each of them; nothing is copied.
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
#include "ob-contacts-edit.h"

/* The newest entries the history lists, of each kind and in all. */
#define HISTORY_MAX 200

/* An address entry covers every spelling of its local part in upper and
 * lower case (ob-suppressions.c), and the log keeps each as it was typed:
 * suppression_log_value_any_case (migration 0016) finds them all. A domain
 * entry's value is lower-cased ASCII, as the key's domain. */
static const char log_sql[] =
  "SELECT at, action, kind, reason, note FROM suppression_log"
  " WHERE (kind = 'domain' AND value = ?1) OR (kind = 'address' AND value = ?2 COLLATE NOCASE)"
  " ORDER BY at DESC, id DESC LIMIT 200";

static const char events_sql[] =
  "SELECT at, kind, reply, detail,"
  " (SELECT min (evidence.id) FROM evidence WHERE evidence.event_id = events.id)"
  " FROM events WHERE contact_id = ? ORDER BY at DESC, id DESC LIMIT 200";

static const char contact_sql[] =
  "SELECT email_key, domain, source, created_at FROM contacts WHERE id = ?";

void
ob_contact_event_free (ObContactEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->kind);
  g_free (event->reply);
  g_free (event->detail);
  g_free (event->reason);
  g_free (event->domain);
  g_free (event);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static ObContactEvent *
event_new (gint64      at,
           const char *kind)
{
  ObContactEvent *e = g_new0 (ObContactEvent, 1);

  e->at = at;
  e->kind = g_strdup (kind);
  return e;
}

static gboolean
read_log (ObStore     *store,
          const char  *key,
          const char  *domain,
          GPtrArray   *into,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, log_sql, error);
  const char *at = strrchr (key, '@');
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at != NULL ? at + 1 : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean removed = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "remove") == 0;
      ObContactEvent *e = event_new (sqlite3_column_int64 (stmt, 0),
                                     removed ? OB_CONTACT_EVENT_SUPPRESSION_LIFTED
                                             : OB_CONTACT_EVENT_SUPPRESSION_ADDED);

      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "domain") == 0)
        e->domain = g_strdup (domain);
      e->reason = column_dup (stmt, 3);
      e->detail = column_dup (stmt, 4);
      g_ptr_array_add (into, e);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_events (ObStore    *store,
             gint64      id,
             GPtrArray  *into,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, events_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObContactEvent *e = event_new (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1));

      e->reply = column_dup (stmt, 2);
      e->detail = column_dup (stmt, 3);
      e->evidence_id = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (into, e);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* The send engine writes a "suppressed" event beside the suppression it
 * logs, with the same words: the log's entry (which has the reason too)
 * stands for both, so the history does not say it twice. */
static void
drop_logged_suppressions (GPtrArray *events,
                          GPtrArray *log)
{
  for (guint i = events->len; i > 0; i--)
    {
      ObContactEvent *e = g_ptr_array_index (events, i - 1);

      if (g_strcmp0 (e->kind, "suppressed") != 0)
        continue;
      for (guint j = 0; j < log->len; j++)
        {
          ObContactEvent *l = g_ptr_array_index (log, j);

          if (g_str_equal (l->kind, OB_CONTACT_EVENT_SUPPRESSION_ADDED) && ABS (l->at - e->at) <= 1)
            {
              g_ptr_array_remove_index (events, i - 1);
              break;
            }
        }
    }
}

/* @a and @b, each newest first, into one list newest first, at most
 * HISTORY_MAX long; of two at the same second, @a's comes first. The
 * entries move: their places in @a and @b are left NULL. */
static GPtrArray *
merge (GPtrArray *a,
       GPtrArray *b)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_contact_event_free);
  guint i = 0, j = 0;

  while ((i < a->len || j < b->len) && out->len < HISTORY_MAX)
    {
      ObContactEvent *ea = i < a->len ? g_ptr_array_index (a, i) : NULL;
      ObContactEvent *eb = j < b->len ? g_ptr_array_index (b, j) : NULL;

      if (eb == NULL || (ea != NULL && ea->at >= eb->at))
        {
          g_ptr_array_add (out, ea);
          a->pdata[i++] = NULL;
        }
      else
        {
          g_ptr_array_add (out, eb);
          b->pdata[j++] = NULL;
        }
    }
  return out;
}

/**
 * ob_contacts_edit_list_events:
 *
 * The history of contact @id, newest first, at most 200 entries: its rows
 * of events; each entry of the suppression log about its address (any
 * case of the local part, as suppressions match) or its whole domain
 * (kinds %OB_CONTACT_EVENT_SUPPRESSION_ADDED and
 * %OB_CONTACT_EVENT_SUPPRESSION_LIFTED, with the reason and the note); and,
 * oldest, when it was added and from where (%OB_CONTACT_EVENT_ADDED, its
 * source in the detail). A GPtrArray of #ObContactEvent; an empty one for
 * a contact no longer there.
 *
 * Each part reads an index (events_contact, suppression_log_value and
 * its case-blind twin), so the pane opens as fast on a million contacts
 * and a long suppression log as on ten.
 */
GPtrArray *
ob_contacts_edit_list_events (ObStore  *store,
                              gint64    id,
                              GError  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_contact_event_free);
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_contact_event_free);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_contact_event_free);
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(sqlite3_stmt) contact = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  if (!read_events (store, id, events, error))
    return NULL;
  contact = ob_store_prepare (store, contact_sql, error);
  if (contact == NULL)
    return NULL;
  sqlite3_bind_int64 (contact, 1, id);
  rc = sqlite3_step (contact);
  if (rc == SQLITE_ROW)
    {
      ObContactEvent *e = event_new (sqlite3_column_int64 (contact, 3), OB_CONTACT_EVENT_ADDED);

      e->detail = column_dup (contact, 2);
      g_ptr_array_add (added, e);
      if (!read_log (store, (const char *) sqlite3_column_text (contact, 0),
                     (const char *) sqlite3_column_text (contact, 1), log, error))
        return NULL;
    }
  else if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  drop_logged_suppressions (events, log);
  first = merge (events, log);
  return merge (first, added);
}
