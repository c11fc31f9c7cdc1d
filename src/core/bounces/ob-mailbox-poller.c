/* ob-mailbox-poller.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mailbox-poller"

#include "config.h"

#include <gmime/gmime.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-account.h"
#include "ob-bounce-match.h"
#include "ob-bounce-report.h"
#include "ob-bounces.h"
#include "ob-imap-client.h"
#include "ob-imap-response.h"
#include "ob-keyring.h"
#include "ob-mailbox-poller.h"
#include "ob-suppressions.h"

/* One pass over an account's mailbox: INBOX and the Junk folder (found by
 * its special-use attribute, else by name) are opened with EXAMINE and
 * their messages fetched with BODY.PEEK[], so nothing is marked read, and
 * nothing is moved unless a bounce folder is set (see
 * ob_mailbox_poller_set_bounce_folder()). Each folder is read from the UID
 * after the last one seen (INBOX: accounts.imap_uidvalidity/imap_last_uid;
 * Junk: the same two in settings_json); a new UIDVALIDITY reads it again
 * from the start, and mails already kept as evidence are not counted twice.
 * A first read starts at the day before the account was added, not at
 * the beginning of the user's history.
 *
 * Each mail is, in this order of evidence:
 * - an ARF complaint: the complained-about contact is suppressed
 *   ("complaint");
 * - a bounce (DSN or non-standard report): matched to the message we sent
 *   (Original-Message-ID, the returned headers, else the final
 *   recipient's latest sent message) and handed to the ObBounceSink,
 *   the send engine, which suppresses or counts it like a bounce at send
 *   time;
 * - an auto-reply (RFC 3834, out of office): nothing;
 * - a reply (In-Reply-To/References to one of our Message-IDs, or mail
 *   from the address of a contact we wrote to): the contact's replied_at
 *   and a 'replied' event stop its follow-ups; when it asks to unsubscribe (or is mail to
 *   the List-Unsubscribe address, which carries subject "unsubscribe"),
 *   it is suppressed with reason "unsubscribed" instead;
 * - anything else is left alone.
 * The raw mail is kept in the evidence table, linked to the event, and
 * the rule that fired is written in the event's detail.
 *
 * The poller runs on the main thread, so it never waits for another
 * connection's write (a worker's import or bulk delete can hold the
 * database for tens of seconds): each mail is handled in a transaction of
 * its own begun with ob_store_begin_now(), evidence and all. When the
 * database is busy the pass stops there with OB_STORE_ERROR_BUSY and
 * where the folder's reading stopped is not moved on, so the next pass
 * reads the same mails again; those handled before the stop are in
 * `evidence` by then and are not handled twice. */

#define FETCH_BATCH 50

struct _ObMailboxPoller
{
  GObject       parent_instance;

  ObStore      *store;
  ObBounceSink *sink;
  char         *bounce_folder;  /* where processed bounce mails go, as typed (UTF-8); NULL: they stay */
  char         *bounce_mailbox; /* the same as the server spells it (modified UTF-7) */
};

G_DEFINE_FINAL_TYPE (ObMailboxPoller, ob_mailbox_poller, G_TYPE_OBJECT)

typedef struct
{
  char    *name;
  gboolean junk;
} Folder;

typedef struct
{
  gint64               account_id;
  ObAccount           *account;
  ObImapClient        *client;
  GPtrArray           *folders;   /* Folder */
  guint                folder;    /* the one being read */
  guint32              uidvalidity;
  guint32              last_uid;  /* the stored one */
  guint32              max_uid;   /* the highest read in this pass */
  GArray              *uids;      /* still to fetch */
  guint                next;
  char                *bounce_folder;  /* UTF-8, for messages; NULL: nothing is moved */
  char                *bounce_mailbox; /* modified UTF-7, for commands */
  GArray              *to_move;   /* UIDs of this folder's bounce mails */
  ObMailboxPollResult  result;
} Poll;

static void
folder_free (Folder *folder)
{
  g_free (folder->name);
  g_free (folder);
}

static void
poll_free (Poll *p)
{
  g_clear_object (&p->account);
  if (p->client != NULL)
    ob_imap_client_close (p->client);
  g_clear_object (&p->client);
  g_clear_pointer (&p->folders, g_ptr_array_unref);
  g_clear_pointer (&p->uids, g_array_unref);
  g_clear_pointer (&p->to_move, g_array_unref);
  g_free (p->bounce_folder);
  g_free (p->bounce_mailbox);
  g_free (p);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}


/* Ends the pass with @error, in the poller's words. A database that
 * would not take a mail (a full disk, an I/O error) is no unreadable
 * mailbox: that mail's transaction left nothing behind and the place in
 * the folder did not move, so the next pass reads it again. */
static void
fail (GTask        *task,
      const GError *error)
{
  Poll *p = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (error->domain == OB_STORE_ERROR)
    g_task_return_new_error (task, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_MAILBOX,
                             _("What was found in the mailbox of %s could not be saved: %s. Nothing is "
                               "lost: those mails are read again at the next check."),
                             ob_account_get_email (p->account), error->message);
  else
    g_task_return_new_error (task, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_MAILBOX,
                             _("The mailbox of %s could not be read: %s"),
                             ob_account_get_email (p->account), error->message);
  g_object_unref (task);
}

/* Ends the pass because another connection is writing; see the top. */
static void
stop_busy (GTask *task)
{
  Poll *p = g_task_get_task_data (task);

  g_debug ("The database is busy: the mailbox of %s is read again at the next pass",
           ob_account_get_email (p->account));
  g_task_return_new_error (task, OB_STORE_ERROR, OB_STORE_ERROR_BUSY,
                           _("The mailbox of %s was not checked to the end: the database is busy "
                             "with another task, such as an import. Nothing is lost: the rest is "
                             "read at the next check."),
                           ob_account_get_email (p->account));
  g_object_unref (task);
}

/* ---- the database side ---------------------------------------------- */

static gboolean
message_id_is_ours_cb (const char *message_id,
                       gpointer    user_data)
{
  ObMailboxPoller *self = user_data;
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (self->store,
                                                   "SELECT 1 FROM queue WHERE message_id = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

typedef struct
{
  gint64  contact_id;
  char   *email;
  gint64  queue_id;
  gint64  campaign_id;
  int     step;
  gint64  account_id;
  char   *message_id;
} Sent;

static void
sent_clear (Sent *s)
{
  g_clear_pointer (&s->email, g_free);
  g_clear_pointer (&s->message_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sent, sent_clear)

/* The queue row of @message_id, or (when NULL) the latest message sent to
 * the contact @email; FALSE when there is none. With neither, only the
 * contact is filled in. */
static gboolean
find_sent (ObMailboxPoller *self,
           const char      *message_id,
           const char      *email,
           Sent            *out)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  memset (out, 0, sizeof *out);
  if (message_id != NULL)
    {
      stmt = ob_store_prepare (self->store,
                               "SELECT c.id, c.email, q.id, q.campaign_id, s.position, coalesce(q.account_id, 0), "
                               "q.message_id FROM queue q JOIN contacts c ON c.id = q.contact_id "
                               "JOIN campaign_steps s ON s.id = q.step_id WHERE q.message_id = ?1",
                               NULL);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
    }
  else if (email != NULL)
    {
      stmt = ob_store_prepare (self->store,
                               "SELECT c.id, c.email, q.id, q.campaign_id, s.position, coalesce(q.account_id, 0), "
                               "q.message_id FROM contacts c "
                               "LEFT JOIN queue q ON q.contact_id = c.id AND q.state IN ('sent', 'uncertain') "
                               "LEFT JOIN campaign_steps s ON s.id = q.step_id "
                               "WHERE c.email = ?1 COLLATE NOCASE ORDER BY q.sent_at DESC, q.id DESC LIMIT 1",
                               NULL);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
    }
  else
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  out->contact_id = sqlite3_column_int64 (stmt, 0);
  out->email = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  out->queue_id = sqlite3_column_int64 (stmt, 2);
  out->campaign_id = sqlite3_column_int64 (stmt, 3);
  out->step = sqlite3_column_int (stmt, 4);
  out->account_id = sqlite3_column_int64 (stmt, 5);
  out->message_id = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  return TRUE;
}

static gboolean
already_kept (ObMailboxPoller *self,
              const char      *message_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (message_id == NULL)
    return FALSE;
  stmt = ob_store_prepare (self->store, "SELECT 1 FROM evidence WHERE message_id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gint64
add_event (ObMailboxPoller  *self,
           const char       *kind,
           const Sent       *sent,
           gint64            account_id,
           const char       *reply,
           const char       *detail,
           const char       *rule,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, "mailbox");
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, rule);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  data = json_to_string (root, FALSE);

  stmt = ob_store_prepare (self->store,
                           "INSERT INTO events (at, kind, contact_id, campaign_id, step, queue_id, account_id, "
                           "reply, detail, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, now_unix ());
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, sent->contact_id);
  if (sent->campaign_id > 0)
    {
      sqlite3_bind_int64 (stmt, 4, sent->campaign_id);
      sqlite3_bind_int (stmt, 5, sent->step);
      sqlite3_bind_int64 (stmt, 6, sent->queue_id);
    }
  if (account_id > 0)
    sqlite3_bind_int64 (stmt, 7, account_id);
  sqlite3_bind_text (stmt, 8, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, data, -1, SQLITE_TRANSIENT);
  if (!ob_store_step_done (self->store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (ob_store_get_db (self->store));
}

static gboolean
keep_evidence (ObMailboxPoller  *self,
               gint64            event_id,
               const char       *message_id,
               GBytes           *raw,
               GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gsize size;
  const void *data = g_bytes_get_data (raw, &size);

  stmt = ob_store_prepare (self->store,
                           "INSERT INTO evidence (event_id, message_id, raw, created_at) VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event_id);
  sqlite3_bind_text (stmt, 2, message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, data, (int) size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now_unix ());
  return ob_store_step_done (self->store, stmt, error);
}

/* The address part of a From header. */
static char *
address_of (const char *header)
{
  InternetAddressList *list;
  char *address = NULL;

  if (header == NULL)
    return NULL;
  list = internet_address_list_parse (NULL, header);
  if (list == NULL)
    return NULL;
  for (int i = 0; i < internet_address_list_length (list) && address == NULL; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        address = g_strdup (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
    }
  g_object_unref (list);
  return address;
}

/* The contact answered: no more follow-ups. @keep_first keeps the time
 * of an earlier answer. */
static gboolean
mark_replied (ObMailboxPoller  *self,
              gint64            contact_id,
              gboolean          keep_first,
              GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (self->store,
                           keep_first
                           ? "UPDATE contacts SET replied_at = coalesce(replied_at, ?1), updated_at = ?1 WHERE id = ?2"
                           : "UPDATE contacts SET replied_at = ?1, updated_at = ?1 WHERE id = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_unix ());
  sqlite3_bind_int64 (stmt, 2, contact_id);
  return ob_store_step_done (self->store, stmt, error);
}

/* What a mail changes for its contact, written by record_for_contact(). */
typedef gboolean (*ContactChange) (ObMailboxPoller  *self,
                                   const Sent       *sent,
                                   gconstpointer     data,
                                   GError          **error);

typedef struct
{
  ObSuppressionReason  reason;
  const char          *detail;
} Suppression;

/* Suppresses the contact (once): a complaint or an unsubscribe. */
static gboolean
suppress_change (ObMailboxPoller  *self,
                 const Sent       *sent,
                 gconstpointer     data,
                 GError          **error)
{
  const Suppression *s = data;
  gboolean suppressed = FALSE;

  if (!ob_suppressions_contains (self->store, sent->email, &suppressed, error) ||
      (!suppressed && !ob_suppressions_add (self->store, sent->email, s->reason, "mailbox", s->detail, error)))
    return FALSE;
  /* The contacts area marks the contact suppressed; the suppression's
   * reason says why, and lifting it (ob_suppressions_remove) restores
   * the contact. An unsubscribe is also an answer: no follow-ups. */
  return s->reason != OB_SUPPRESSION_UNSUBSCRIBED || mark_replied (self, sent->contact_id, TRUE, error);
}

static gboolean
reply_change (ObMailboxPoller  *self,
              const Sent       *sent,
              gconstpointer     data,
              GError          **error)
{
  return mark_replied (self, sent->contact_id, FALSE, error);
}

/* Writes what a mail means for its contact, all or nothing: @change
 * (with @change_data), then the event @event with @detail and the rule
 * that fired, and the mail itself as its evidence. */
static gboolean
record_for_contact (ObMailboxPoller  *self,
                    Poll             *p,
                    const Sent       *sent,
                    ContactChange     change,
                    gconstpointer     change_data,
                    const char       *event,
                    const char       *detail,
                    const char       *rule,
                    const char       *own_id,
                    GBytes           *raw,
                    GError          **error)
{
  gint64 event_id;

  if (!ob_store_begin (self->store, error))
    return FALSE;
  if (!change (self, sent, change_data, error) ||
      (event_id = add_event (self, event, sent, p->account_id, NULL, detail, rule, error)) == 0 ||
      !keep_evidence (self, event_id, own_id, raw, error))
    {
      ob_store_rollback (self->store);
      return FALSE;
    }
  return ob_store_commit (self->store, error);
}

/* Returns whether @raw is a bounce of ours, handled now or by an earlier
 * pass: the mails an opt-in bounce folder takes. */
static gboolean
process_message (ObMailboxPoller *self,
                 Poll            *p,
                 GBytes          *raw)
{
  g_autoptr(ObBounceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Sent) sent = { 0 };
  g_autofree char *digest = NULL;
  gsize size;
  const char *data = g_bytes_get_data (raw, &size);
  const char *own_id;

  p->result.scanned++;
  report = ob_bounce_report_parse_data (data, size, &error);
  if (report == NULL)
    {
      g_debug ("Skipping a mail that cannot be parsed: %s", error->message);
      p->result.other++;
      return FALSE;
    }
  /* The key under which the mail is kept: its Message-ID, or for the
   * many bounces without one, a digest of its bytes. */
  own_id = report->message_id;
  if (own_id == NULL || *own_id == '\0')
    {
      g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, raw);

      own_id = digest = g_strconcat ("sha256:", hex, NULL);
    }
  if (already_kept (self, own_id))
    {
      p->result.seen_before++;
      return report->is_bounce && !report->is_feedback;
    }

  if (report->is_feedback)
    {
      const char *who = report->recipients->len > 0 ? ob_bounce_report_get_final_recipient (report, 0) : NULL;
      const char *mid = ob_bounce_report_find_sent_message (report, message_id_is_ours_cb, self);
      const Suppression complaint = {
        OB_SUPPRESSION_COMPLAINT, _("The recipient marked the mail as spam (a feedback report): suppressed")
      };
      g_autofree char *addr = NULL;

      if (who == NULL)
        who = addr = address_of (report->original_to);
      if (!find_sent (self, mid, mid != NULL ? NULL : who, &sent) || sent.contact_id == 0)
        {
          p->result.unmatched++;
          return FALSE;
        }
      if (!record_for_contact (self, p, &sent, suppress_change, &complaint, "suppressed", complaint.detail,
                               "arf-feedback", own_id, raw, &error))
        g_warning ("Cannot record a complaint about %s: %s", sent.email, error->message);
      else
        p->result.complaints++;
      return FALSE;
    }

  if (report->is_bounce)
    {
      const ObBounceRecipient *r = report->recipients->len > 0 ? g_ptr_array_index (report->recipients, 0) : NULL;
      const char *mid = ob_bounce_report_find_sent_message (report, message_id_is_ours_cb, self);
      g_autofree char *reply = NULL;
      gint64 event_id;

      if (r == NULL || r->verdict.kind == OB_BOUNCE_KIND_NONE)
        {
          p->result.other++; /* a delay notice or a delivery report: nothing to do */
          return FALSE;
        }
      if (mid == NULL)
        {
          const char *who = ob_bounce_report_get_final_recipient (report, 0);

          if (who == NULL || !find_sent (self, NULL, who, &sent) || sent.message_id == NULL)
            {
              p->result.unmatched++;
              return FALSE;
            }
          mid = sent.message_id;
        }

      reply = r->diagnostic != NULL ? g_strdup (r->diagnostic)
            : g_strdup_printf ("%s %s", r->verdict.status, ob_bounce_reason_to_string (r->verdict.reason));
      event_id = ob_bounce_sink_record_bounce (self->sink, mid, r->verdict.kind, reply,
                                               ob_bounce_reason_to_string (r->verdict.reason), &error);
      if (event_id == 0)
        {
          g_warning ("Cannot record a bounce of <%s>: %s", mid, error ? error->message : "");
          p->result.unmatched++;
          return FALSE;
        }
      /* The user reads where it was found; the rule that fired, which
       * only a developer reads, goes with the event's data as it does
       * for the poller's own events. */
      {
        g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (self->store,
          "UPDATE events SET detail = coalesce(detail || ' — ', '') || ?1,"
          " data = json_set(coalesce(data, '{}'), '$.source', 'mailbox', '$.rule', ?3) WHERE id = ?2", &error);

        if (stmt != NULL)
          {
            sqlite3_bind_text (stmt, 1, _("Found in the mailbox"), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64 (stmt, 2, event_id);
            sqlite3_bind_text (stmt, 3, r->verdict.rule ? r->verdict.rule : "-", -1, SQLITE_TRANSIENT);
            ob_store_step_done (self->store, stmt, &error);
          }
      }
      if (error != NULL || !keep_evidence (self, event_id, own_id, raw, &error))
        g_warning ("Cannot keep the bounce mail as evidence: %s", error->message);
      p->result.bounces++;
      return TRUE;
    }

  if (report->is_auto_reply)
    {
      p->result.auto_replies++;
      return FALSE;
    }

  /* A reply: to one of our Message-IDs, or from a contact's address. */
  {
    const char *mid = ob_bounce_report_find_reply_to (report, message_id_is_ours_cb, self);
    g_autofree char *from = address_of (report->from);
    const char *rule = "in-reply-to";
    gboolean found;

    found = mid != NULL && find_sent (self, mid, NULL, &sent);
    if (!found)
      {
        /* Mail from a contact counts as an answer only once we wrote to them. */
        rule = "from-contact";
        found = from != NULL && find_sent (self, NULL, from, &sent) && sent.queue_id > 0;
      }
    if (!found || sent.contact_id == 0)
      {
        p->result.other++;
        return FALSE;
      }

    if (ob_bounce_report_is_unsubscribe (report))
      {
        const Suppression unsubscribe = {
          OB_SUPPRESSION_UNSUBSCRIBED, _("The contact asked to be taken off the list: unsubscribed")
        };

        if (!record_for_contact (self, p, &sent, suppress_change, &unsubscribe, "unsubscribed", unsubscribe.detail,
                                 g_str_equal (rule, "in-reply-to") ? "unsubscribe-reply" : "unsubscribe-from-contact",
                                 own_id, raw, &error))
          g_warning ("Cannot record the unsubscribe of %s: %s", sent.email, error->message);
        else
          p->result.unsubscribes++;
        return FALSE;
      }

    if (!record_for_contact (self, p, &sent, reply_change, NULL, "replied",
                             _("The contact replied: no more follow-ups"), rule, own_id, raw, &error))
      g_warning ("Cannot record the reply of %s: %s", sent.email, error->message);
    else
      p->result.replies++;
  }
  return FALSE;
}

/* Where a folder's reading stopped. */
static void
load_state (ObMailboxPoller *self,
            Poll            *p,
            gboolean         junk,
            guint32         *uidvalidity,
            guint32         *last_uid)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *uidvalidity = 0;
  *last_uid = 0;
  stmt = ob_store_prepare (self->store,
                           junk ? "SELECT json_extract(settings_json, '$.junk_uidvalidity'), "
                                  "json_extract(settings_json, '$.junk_last_uid') FROM accounts WHERE id = ?1"
                                : "SELECT imap_uidvalidity, imap_last_uid FROM accounts WHERE id = ?1",
                           NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, p->account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *uidvalidity = (guint32) sqlite3_column_int64 (stmt, 0);
      *last_uid = (guint32) sqlite3_column_int64 (stmt, 1);
    }
}

static gboolean
save_state (ObMailboxPoller  *self,
            Poll             *p,
            gboolean          junk,
            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!ob_store_begin_now (self->store, error))
    return FALSE;
  stmt = ob_store_prepare (self->store,
                           junk ? "UPDATE accounts SET settings_json = json_set(coalesce(settings_json, '{}'), "
                                  "'$.junk_uidvalidity', ?1, '$.junk_last_uid', ?2), updated_at = ?3 WHERE id = ?4"
                                : "UPDATE accounts SET imap_uidvalidity = ?1, imap_last_uid = ?2, updated_at = ?3 "
                                  "WHERE id = ?4",
                           error);
  if (stmt == NULL)
    {
      ob_store_rollback (self->store);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, p->uidvalidity);
  sqlite3_bind_int64 (stmt, 2, p->max_uid);
  sqlite3_bind_int64 (stmt, 3, now_unix ());
  sqlite3_bind_int64 (stmt, 4, p->account_id);
  if (!ob_store_step_done (self->store, stmt, error))
    {
      ob_store_rollback (self->store);
      return FALSE;
    }
  return ob_store_commit (self->store, error);
}

/* Handles one mail in a transaction of its own; FALSE with
 * OB_STORE_ERROR_BUSY, nothing written, when another connection is
 * writing, or with the error of a COMMIT that failed (a full disk, an
 * I/O error): nothing written either. Only then does the sink (the send
 * engine) follow up on the mail's bounce in its memory and tell the app,
 * so it never knows of a bounce, a paused domain or campaign that the
 * database does not. @is_bounce: see process_message(). */
static gboolean
handle_message (ObMailboxPoller  *self,
                Poll             *p,
                GBytes           *raw,
                gboolean         *is_bounce,
                GError          **error)
{
  gboolean committed;

  if (!ob_store_begin_now (self->store, error))
    return FALSE;
  *is_bounce = process_message (self, p, raw);
  committed = ob_store_commit (self->store, error);
  ob_bounce_sink_transaction_ended (self->sink, committed);
  return committed;
}

/* ---- the IMAP side --------------------------------------------------- */

static void fetch_next (GTask *task);
static void next_folder (GTask *task);
static void bounce_folder_created_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  ObMailboxPoller *self = g_task_get_source_object (task);
  Poll *p = g_task_get_task_data (task);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  messages = ob_imap_client_uid_fetch_finish (OB_IMAP_CLIENT (object), result, &error);
  if (messages == NULL)
    {
      fail (task, error);
      return;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      ObImapMessage *m = g_ptr_array_index (messages, i);
      gboolean is_bounce = FALSE;

      if (m->body != NULL && !handle_message (self, p, m->body, &is_bounce, &error))
        {
          if (g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
            stop_busy (task);
          else
            fail (task, error);
          return;
        }
      if (is_bounce && p->bounce_mailbox != NULL)
        g_array_append_val (p->to_move, m->uid);
      p->max_uid = MAX (p->max_uid, m->uid);
    }
  fetch_next (task);
}

/* ---- the opt-in move of processed bounce mails ------------------------ */

static void
move_done (GTask        *task,
           const GError *error)
{
  Poll *p = g_task_get_task_data (task);

  /* The mail stays where it was: nothing is lost, and the poll goes on. */
  if (error != NULL)
    {
      g_message ("Bounce mails were not moved to “%s”: %s", p->bounce_folder, error->message);
      p->result.move_failed += p->to_move->len;
    }
  else
    p->result.moved += p->to_move->len;
  g_array_set_size (p->to_move, 0);
  p->folder++;
  next_folder (task);
}

static void
bounces_moved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  ob_imap_client_uid_move_finish (OB_IMAP_CLIENT (object), result, &error);
  move_done (user_data, error);
}

static void
folder_selected_for_move_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  GTask *task = user_data;
  Poll *p = g_task_get_task_data (task);
  g_autoptr(GString) set = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!ob_imap_client_select_finish (OB_IMAP_CLIENT (object), result, NULL, &error))
    {
      move_done (task, error);
      return;
    }
  for (guint i = 0; i < p->to_move->len; i++)
    g_string_append_printf (set, "%s%u", i > 0 ? "," : "", g_array_index (p->to_move, guint32, i));
  ob_imap_client_uid_move_async (p->client, set->str, p->bounce_mailbox, g_task_get_cancellable (task),
                                 bounces_moved_cb, task);
}

static void
bounce_folder_created_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  Poll *p = g_task_get_task_data (task);
  Folder *folder = g_ptr_array_index (p->folders, p->folder);
  g_autoptr(GError) error = NULL;

  if (!ob_imap_client_create_finish (OB_IMAP_CLIENT (object), result, &error))
    {
      move_done (task, error);
      return;
    }
  if (!ob_imap_client_can_move (p->client))
    {
      g_autoptr(GError) unsupported = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
                                                   "the server has neither IMAP MOVE nor UIDPLUS");

      move_done (task, unsupported);
      return;
    }
  /* The folder was only EXAMINEd so far: moving needs it read-write. */
  ob_imap_client_select_async (p->client, folder->name, FALSE, g_task_get_cancellable (task),
                               folder_selected_for_move_cb, task);
}

static void
fetch_next (GTask *task)
{
  ObMailboxPoller *self = g_task_get_source_object (task);
  Poll *p = g_task_get_task_data (task);
  Folder *folder = g_ptr_array_index (p->folders, p->folder);
  g_autoptr(GString) set = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (p->next >= p->uids->len)
    {
      /* The folder is done: remember where it stopped, then move its
       * bounce mails if the user asked for that. */
      if (!save_state (self, p, folder->junk, &error))
        {
          if (g_error_matches (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY))
            stop_busy (task);
          else
            fail (task, error);
          return;
        }
      /* A bounce folder that is this very folder: they are there already. */
      if (g_strcmp0 (folder->name, p->bounce_mailbox) == 0)
        g_array_set_size (p->to_move, 0);
      if (p->to_move->len > 0)
        {
          ob_imap_client_create_async (p->client, p->bounce_mailbox, g_task_get_cancellable (task),
                                       bounce_folder_created_cb, task);
          return;
        }
      p->folder++;
      next_folder (task);
      return;
    }

  for (guint n = 0; n < FETCH_BATCH && p->next < p->uids->len; n++, p->next++)
    g_string_append_printf (set, "%s%u", set->len > 0 ? "," : "", g_array_index (p->uids, guint32, p->next));
  /* PEEK: reading does not set \Seen. */
  ob_imap_client_uid_fetch_async (p->client, set->str, "BODY.PEEK[]", g_task_get_cancellable (task),
                                  fetched_cb, task);
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Poll *p = g_task_get_task_data (task);
  g_autoptr(GArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = ob_imap_client_uid_search_finish (OB_IMAP_CLIENT (object), result, &error);
  if (found == NULL)
    {
      fail (task, error);
      return;
    }
  /* "UID n:*" also matches the highest UID when it is below n. */
  g_clear_pointer (&p->uids, g_array_unref);
  p->uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < found->len; i++)
    if (g_array_index (found, guint32, i) > p->last_uid)
      g_array_append_val (p->uids, g_array_index (found, guint32, i));
  p->next = 0;
  fetch_next (task);
}

static void
examined_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ObMailboxPoller *self = g_task_get_source_object (task);
  Poll *p = g_task_get_task_data (task);
  Folder *folder = g_ptr_array_index (p->folders, p->folder);
  ObImapMailboxStatus status = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *criteria = NULL;
  guint32 stored_validity;

  if (!ob_imap_client_select_finish (OB_IMAP_CLIENT (object), result, &status, &error))
    {
      fail (task, error);
      return;
    }

  load_state (self, p, folder->junk, &stored_validity, &p->last_uid);
  if (stored_validity != status.uidvalidity)
    p->last_uid = 0; /* new UIDVALIDITY: the old UIDs mean nothing, read again */
  p->uidvalidity = status.uidvalidity;
  p->max_uid = p->last_uid;
  /* A first read looks at recent mail only, but the older mail it left
   * out is behind us too: the next pass starts after all of it. */
  if (p->last_uid == 0 && status.uidnext > 0)
    p->max_uid = status.uidnext - 1;

  if (p->last_uid == 0)
    {
      /* A first (or fresh) read: only what arrived since the account was
       * added, not years of history. */
      static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (MAX (ob_account_get_created_at (p->account) - 86400, 0));

      criteria = g_strdup_printf ("UID 1:* SINCE %d-%s-%d", g_date_time_get_day_of_month (created),
                                  months[g_date_time_get_month (created) - 1], g_date_time_get_year (created));
    }
  else
    criteria = g_strdup_printf ("UID %u:*", p->last_uid + 1);
  ob_imap_client_uid_search_async (p->client, criteria, g_task_get_cancellable (task), searched_cb, task);
}

static void
logged_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;

  ob_imap_client_logout_finish (OB_IMAP_CLIENT (object), result, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
next_folder (GTask *task)
{
  Poll *p = g_task_get_task_data (task);
  Folder *folder;

  if (p->folder >= p->folders->len)
    {
      ob_imap_client_logout_async (p->client, NULL, logged_out_cb, task);
      return;
    }
  folder = g_ptr_array_index (p->folders, p->folder);
  /* EXAMINE: read-only, nothing changes in the folder. */
  ob_imap_client_select_async (p->client, folder->name, TRUE, g_task_get_cancellable (task),
                               examined_cb, task);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Poll *p = g_task_get_task_data (task);
  g_autoptr(GPtrArray) boxes = NULL;
  g_autoptr(GError) error = NULL;
  const ObImapMailbox *junk;
  Folder *folder;

  boxes = ob_imap_client_list_finish (OB_IMAP_CLIENT (object), result, &error);
  if (boxes == NULL)
    {
      fail (task, error);
      return;
    }
  folder = g_new0 (Folder, 1);
  folder->name = g_strdup ("INBOX");
  g_ptr_array_add (p->folders, folder);
  junk = ob_imap_mailboxes_find_special (boxes, "\\Junk");
  if (junk != NULL && g_ascii_strcasecmp (junk->name, "INBOX") != 0)
    {
      folder = g_new0 (Folder, 1);
      folder->name = g_strdup (junk->name);
      folder->junk = TRUE;
      g_ptr_array_add (p->folders, folder);
    }
  p->folder = 0;
  next_folder (task);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!ob_imap_client_login_finish (OB_IMAP_CLIENT (object), result, &error))
    {
      fail (task, error);
      return;
    }
  ob_imap_client_list_async (OB_IMAP_CLIENT (object), g_task_get_cancellable (task), listed_cb, task);
}

typedef struct
{
  GTask *task;
  char  *password;
} Login;

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Login *login = user_data;
  GTask *task = login->task;
  Poll *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ob_imap_client_connect_finish (OB_IMAP_CLIENT (object), result, &error))
    fail (task, error);
  else
    ob_imap_client_login_async (p->client, OB_IMAP_AUTH_AUTO, ob_account_get_username (p->account),
                                login->password ? login->password : "", g_task_get_cancellable (task),
                                logged_in_cb, task);
  if (login->password != NULL)
    ob_keyring_password_free (login->password);
  g_free (login);
}

static void
password_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Poll *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Login *login = g_new0 (Login, 1);

  login->task = task;
  login->password = ob_keyring_lookup_password_finish (result, &error);
  if (login->password == NULL && !g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND))
    {
      g_free (login);
      fail (task, error);
      return;
    }

  p->client = ob_imap_client_new (ob_account_get_imap_host (p->account), ob_account_get_imap_port (p->account),
                                  ob_account_get_imap_security (p->account));
  if (ob_account_get_ca_file (p->account) != NULL)
    ob_imap_client_set_ca_file (p->client, ob_account_get_ca_file (p->account));
  ob_imap_client_connect_async (p->client, g_task_get_cancellable (task), connected_cb, login);
}

/* ---- GObject and the public API -------------------------------------- */

static void
ob_mailbox_poller_finalize (GObject *object)
{
  ObMailboxPoller *self = OB_MAILBOX_POLLER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->sink);
  g_free (self->bounce_folder);
  g_free (self->bounce_mailbox);

  G_OBJECT_CLASS (ob_mailbox_poller_parent_class)->finalize (object);
}

static void
ob_mailbox_poller_class_init (ObMailboxPollerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_mailbox_poller_finalize;
}

static void
ob_mailbox_poller_init (ObMailboxPoller *self)
{
}

/**
 * ob_mailbox_poller_set_bounce_folder:
 * @folder: (nullable): an IMAP folder name as the user typed and sees it
 *   (UTF-8: "Bounces", "退信", "R&D"), created when missing; %NULL or ""
 *   leaves every mail where it is (the default)
 * @error: set when @folder cannot be a folder name
 *
 * After a pass has handled a folder, moves its bounce mails (those matched
 * to mail we sent) into @folder. Nothing else is ever moved or changed.
 *
 * This is where the name a person typed becomes the server's spelling
 * (modified UTF-7, ob_imap_mailbox_name_from_utf8()); the IMAP commands
 * get that spelling, messages and logs the name as typed. A name that
 * looks encoded already ("&kABP4Q-", copied from another client) is taken
 * as the characters it shows and encoded again ("&-kABP4Q-"), so what the
 * user types is what the folder is called. "inbox" in any case is INBOX.
 *
 * Returns: %FALSE when @folder is not valid UTF-8 or holds a control
 *   character; then nothing is moved until a usable name is set.
 */
gboolean
ob_mailbox_poller_set_bounce_folder (ObMailboxPoller  *self,
                                     const char       *folder,
                                     GError          **error)
{
  g_autofree char *mailbox = NULL;

  g_return_val_if_fail (OB_IS_MAILBOX_POLLER (self), FALSE);

  g_clear_pointer (&self->bounce_folder, g_free);
  g_clear_pointer (&self->bounce_mailbox, g_free);
  if (folder == NULL || *folder == '\0')
    return TRUE;

  if (!g_utf8_validate (folder, -1, NULL))
    {
      g_set_error_literal (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_FOLDER,
                           _("The bounce folder’s name is not readable text (not UTF-8); type it again"));
      return FALSE;
    }
  mailbox = ob_imap_mailbox_name_from_utf8 (folder);
  if (mailbox == NULL)
    {
      g_set_error (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_FOLDER,
                   _("“%s” cannot be a folder name: it holds a tab, a line break or another control "
                     "character; type the name again without it"), folder);
      return FALSE;
    }
  if (g_ascii_strcasecmp (mailbox, "INBOX") == 0)
    {
      g_free (mailbox);
      mailbox = g_strdup ("INBOX");
    }

  self->bounce_folder = g_strdup (folder);
  self->bounce_mailbox = g_steal_pointer (&mailbox);
  return TRUE;
}

ObMailboxPoller *
ob_mailbox_poller_new (ObStore      *store,
                       ObBounceSink *sink)
{
  ObMailboxPoller *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (OB_IS_BOUNCE_SINK (sink), NULL);

  self = g_object_new (OB_TYPE_MAILBOX_POLLER, NULL);
  self->store = g_object_ref (store);
  self->sink = g_object_ref (sink);
  return self;
}

void
ob_mailbox_poller_poll_async (ObMailboxPoller     *self,
                              gint64               account_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Poll *p;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OB_IS_MAILBOX_POLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_mailbox_poller_poll_async);
  p = g_new0 (Poll, 1);
  p->account_id = account_id;
  p->folders = g_ptr_array_new_with_free_func ((GDestroyNotify) folder_free);
  p->bounce_folder = g_strdup (self->bounce_folder);
  p->bounce_mailbox = g_strdup (self->bounce_mailbox);
  p->to_move = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_task_set_task_data (task, p, (GDestroyNotify) poll_free);

  p->account = ob_account_store_get (self->store, account_id, &error);
  if (p->account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (ob_account_get_imap_host (p->account) == NULL)
    {
      g_task_return_new_error (task, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_MAILBOX,
                               _("The account %s has no IMAP server, so its bounces and replies cannot be read; "
                                 "add one in the account’s settings"),
                               ob_account_get_email (p->account));
      g_object_unref (task);
      return;
    }
  ob_keyring_lookup_password_async (account_id, cancellable, password_cb, task);
}

gboolean
ob_mailbox_poller_poll_finish (ObMailboxPoller      *self,
                               GAsyncResult         *result,
                               ObMailboxPollResult  *out,
                               GError              **error)
{
  Poll *p;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  p = g_task_get_task_data (G_TASK (result));
  if (out != NULL)
    *out = p->result;
  return TRUE;
}
