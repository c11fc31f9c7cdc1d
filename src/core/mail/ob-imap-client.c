/* ob-imap-client.c — the ObImapClient object and its operations: every
 * public operation is one outer task (an ObImapOp) that runs one command
 * or chains several through the command engine of ob-imap-command.c. Here
 * are the object, that plumbing, and the operations on messages: UID
 * MOVE, SEARCH, FETCH, APPEND, copy-to-Sent, LOGOUT. Connecting and
 * logging in are in ob-imap-session.c, the operations on mailboxes in
 * ob-imap-mailbox.c; they share ob-imap-client-private.h.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-imap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "ob-imap-client.h"
#include "ob-imap-client-private.h"
#include "ob-mail-conn-private.h"

G_DEFINE_FINAL_TYPE (ObImapClient, ob_imap_client, G_TYPE_OBJECT)

static void
op_free (ObImapOp *op)
{
  if (op->password != NULL)
    explicit_bzero (op->password, strlen (op->password));
  g_free (op->password);
  g_free (op->username);
  g_free (op->mailbox);
  g_free (op->message_id);
  g_clear_pointer (&op->message, g_bytes_unref);
  g_free (op->text);
  g_clear_error (&op->error);
  g_free (op);
}

static GTask *
op_task_new (ObImapClient        *self,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag,
             void               (*next) (GTask *task, ObImapCmd *cmd))
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ObImapOp *op = g_new0 (ObImapOp, 1);

  op->next = next;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

static gboolean
op_start (ObImapClient *self,
          GTask        *task)
{
  if (self->busy)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                               _("The IMAP connection is busy with another operation."));
      return FALSE;
    }
  self->busy = TRUE;
  return TRUE;
}

/* A new operation's task; NULL when the connection is busy with another,
 * which the caller's callback has then been told. */
GTask *
_ob_imap_op_begin (ObImapClient        *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             source_tag,
                   void               (*next) (GTask *task, ObImapCmd *cmd))
{
  GTask *task = op_task_new (self, cancellable, callback, user_data, source_tag, next);

  if (!op_start (self, task))
    {
      g_object_unref (task);
      return NULL;
    }
  return task;
}

void
_ob_imap_op_return_error (GTask  *task,
                          GError *error)
{
  ObImapClient *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_error (task, error);
}

static void
op_return_pointer (GTask          *task,
                   gpointer        value,
                   GDestroyNotify  destroy)
{
  ObImapClient *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_pointer (task, value, destroy);
}

void
_ob_imap_op_return_boolean (GTask *task)
{
  ObImapClient *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
}

/* The ObImapCmd of a finished _ob_imap_run_cmd task (a reference). */
static ObImapCmd *
take_cmd (ObImapClient  *self,
          GAsyncResult  *result,
          GError       **error)
{
  return _ob_imap_run_cmd_finish (self, result, error);
}

/* The answer to a command of a chained operation goes to its next step. */
void
_ob_imap_op_cmd_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapOp *op = g_task_get_task_data (task);
  g_autoptr(ObImapCmd) cmd = NULL;
  GError *error = NULL;

  cmd = take_cmd (OB_IMAP_CLIENT (object), result, &error);
  if (cmd == NULL)
    {
      _ob_imap_op_return_error (task, error);
      return;
    }
  op->next (g_steal_pointer (&task), cmd);
}

/* Simple commands */

static void
single_cmd_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapClient *self = OB_IMAP_CLIENT (object);
  GError *error = NULL;
  ObImapCmd *cmd = take_cmd (self, result, &error);

  if (cmd == NULL)
    _ob_imap_op_return_error (task, error);
  else
    op_return_pointer (task, cmd, (GDestroyNotify) _ob_imap_cmd_free);
}

void
_ob_imap_run_single (ObImapClient        *self,
                     ObImapCmd           *cmd,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             source_tag)
{
  GTask *task = _ob_imap_op_begin (self, cancellable, callback, user_data, source_tag, NULL);

  if (task == NULL)
    {
      _ob_imap_cmd_free (cmd);
      return;
    }
  _ob_imap_run_cmd (self, cmd, cancellable, single_cmd_cb, task);
}

ObImapCmd *
_ob_imap_finish_single (ObImapClient  *self,
                        GAsyncResult  *result,
                        const char    *what,
                        GError       **error)
{
  g_autoptr(ObImapCmd) cmd = g_task_propagate_pointer (G_TASK (result), error);

  if (cmd == NULL || !_ob_imap_cmd_check_ok (self, cmd, what, error))
    return NULL;
  return g_steal_pointer (&cmd);
}

/* Object */

static void
ob_imap_client_finalize (GObject *object)
{
  ObImapClient *self = OB_IMAP_CLIENT (object);

  g_clear_pointer (&self->conn, _ob_mail_conn_free);
  g_clear_pointer (&self->caps, g_strfreev);
  _ob_mail_trace_clear (&self->trace);
  g_free (self->host);
  g_free (self->bye);

  G_OBJECT_CLASS (ob_imap_client_parent_class)->finalize (object);
}

static void
ob_imap_client_class_init (ObImapClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_imap_client_finalize;
}

static void
ob_imap_client_init (ObImapClient *self)
{
  self->timeout_ms = 2 * 60 * 1000;
}

static void
make_conn (ObImapClient *self,
           const char   *ca_file)
{
  g_clear_pointer (&self->conn, _ob_mail_conn_free);
  self->conn = _ob_mail_conn_new (self->host, self->port, ca_file, "ob-imap");
  _ob_mail_conn_set_trace (self->conn, _ob_mail_trace_cb, &self->trace);
  _ob_mail_conn_set_max_line (self->conn, OB_IMAP_MAX_LINE);
}

ObImapClient *
ob_imap_client_new (const char     *host,
                    guint16         port,
                    ObMailSecurity  security)
{
  ObImapClient *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (security == OB_MAIL_SECURITY_TLS || security == OB_MAIL_SECURITY_STARTTLS, NULL);

  self = g_object_new (OB_TYPE_IMAP_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  make_conn (self, NULL);
  return self;
}

void
ob_imap_client_set_ca_file (ObImapClient *self,
                            const char   *ca_file)
{
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  make_conn (self, ca_file);
}

void
ob_imap_client_set_timeout (ObImapClient *self,
                            guint         timeout_ms)
{
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  self->timeout_ms = timeout_ms;
}

void
ob_imap_client_set_trace_func (ObImapClient    *self,
                               ObMailTraceFunc  func,
                               gpointer         user_data,
                               GDestroyNotify   destroy)
{
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));

  _ob_mail_trace_set (&self->trace, func, user_data, destroy);
}

static gboolean
is_uid_set (const char *uids)
{
  if (uids == NULL || *uids == '\0')
    return FALSE;
  for (const char *c = uids; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && *c != ',' && *c != ':')
      return FALSE;
  return TRUE;
}

/* Move: UID MOVE (RFC 6851) where the server has it; else, with UIDPLUS
 * (RFC 4315), UID COPY, then \Deleted on those UIDs only and UID EXPUNGE
 * of those UIDs only, so that mails the user marked deleted stay. */
static void
move_step (GTask     *task,
           ObImapCmd *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  ObImapOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *arg = _ob_imap_mailbox_argument (op->mailbox, NULL); /* checked by uid_move_async */
  g_autofree char *text = NULL;
  GError *error = NULL;

  switch (op->step++)
    {
    case 0:
      if (_ob_imap_has_cap (self, "MOVE"))
        {
          op->step = 4;
          text = g_strdup_printf ("UID MOVE %s %s", op->text, arg);
        }
      else
        text = g_strdup_printf ("UID COPY %s %s", op->text, arg);
      _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, _ob_imap_op_cmd_cb, task);
      return;

    case 1: /* copied: mark the originals */
      if (!_ob_imap_cmd_check_ok (self, cmd, "COPY", &error))
        break;
      text = g_strdup_printf ("UID STORE %s +FLAGS.SILENT (\\Deleted)", op->text);
      _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, _ob_imap_op_cmd_cb, task);
      return;

    case 2: /* marked: remove them, and only them */
      if (!_ob_imap_cmd_check_ok (self, cmd, "STORE", &error))
        break;
      text = g_strdup_printf ("UID EXPUNGE %s", op->text);
      _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, _ob_imap_op_cmd_cb, task);
      return;

    case 3: /* expunged; if not, the originals lose the mark again */
      if (!_ob_imap_cmd_check_ok (self, cmd, "EXPUNGE", &op->error))
        {
          text = g_strdup_printf ("UID STORE %s -FLAGS.SILENT (\\Deleted)", op->text);
          op->step = 5;
          _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, _ob_imap_op_cmd_cb, task);
          return;
        }
      _ob_imap_op_return_boolean (task);
      return;

    case 4: /* UID MOVE answered */
      if (!_ob_imap_cmd_check_ok (self, cmd, "MOVE", &error))
        break;
      _ob_imap_op_return_boolean (task);
      return;

    case 5: /* unmarked (or not: the expunge's failure is what is told) */
      _ob_imap_op_return_error (task, g_steal_pointer (&op->error));
      return;

    default:
      g_assert_not_reached ();
    }
  _ob_imap_op_return_error (task, error);
}

void
ob_imap_client_uid_move_async (ObImapClient        *self,
                               const char          *uids,
                               const char          *mailbox,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  ObImapOp *op;
  g_autofree char *arg = NULL;
  GError *error = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (is_uid_set (uids));
  g_return_if_fail (mailbox != NULL);

  arg = _ob_imap_mailbox_argument (mailbox, &error);
  if (arg == NULL)
    {
      g_task_report_error (self, callback, user_data, ob_imap_client_uid_move_async, error);
      return;
    }
  task = op_task_new (self, cancellable, callback, user_data, ob_imap_client_uid_move_async, move_step);
  if (!ob_imap_client_can_move (self))
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
                               _("%s cannot move messages between folders (it has neither IMAP MOVE "
                                 "nor UIDPLUS), so the bounce mails stay where they are."), self->host);
      g_object_unref (task);
      return;
    }
  if (!op_start (self, task))
    {
      g_object_unref (task);
      return;
    }
  op = g_task_get_task_data (task);
  op->text = g_strdup (uids);
  op->mailbox = g_strdup (mailbox);
  move_step (task, NULL);
}

gboolean
ob_imap_client_uid_move_finish (ObImapClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* TRUE when ob_imap_client_uid_move_async() can work on this server. */
gboolean
ob_imap_client_can_move (ObImapClient *self)
{
  g_return_val_if_fail (OB_IS_IMAP_CLIENT (self), FALSE);

  return _ob_imap_has_cap (self, "MOVE") || _ob_imap_has_cap (self, "UIDPLUS");
}

void
ob_imap_client_uid_search_async (ObImapClient        *self,
                                 const char          *criteria,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (criteria != NULL && strpbrk (criteria, "\r\n") == NULL);

  text = g_strdup_printf ("UID SEARCH %s", criteria);
  _ob_imap_run_single (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, callback, user_data,
                       ob_imap_client_uid_search_async);
}

GArray *
ob_imap_client_uid_search_finish (ObImapClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(ObImapCmd) cmd = NULL;
  GArray *uids;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(cmd = _ob_imap_finish_single (self, result, "SEARCH", error)))
    return NULL;

  uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < cmd->untagged->len; i++)
    {
      const ObImapResponse *r = cmd->untagged->pdata[i];

      if (!ob_imap_response_is (r, "SEARCH"))
        continue;
      for (guint j = 0; j < r->args->len; j++)
        {
          const char *s = ob_imap_value_get_string (r->args->pdata[j]);
          guint64 uid;

          if (s != NULL && g_ascii_string_to_unsigned (s, 10, 1, G_MAXUINT32, &uid, NULL))
            {
              guint32 u = (guint32) uid;

              g_array_append_val (uids, u);
            }
        }
    }
  return uids;
}

void
ob_imap_message_free (ObImapMessage *message)
{
  if (message == NULL)
    return;
  g_strfreev (message->flags);
  g_clear_pointer (&message->body, g_bytes_unref);
  g_clear_pointer (&message->header, g_bytes_unref);
  g_free (message);
}

/* Would fetching @items set \Seen? BODY[…] and RFC822/RFC822.TEXT do. */
static gboolean
items_mark_seen (const char *items)
{
  g_autofree char *up = g_ascii_strup (items, -1);
  const char *p;

  if (strstr (up, "BODY[") != NULL || strstr (up, "BINARY[") != NULL)
    return TRUE;
  for (p = strstr (up, "RFC822"); p != NULL; p = strstr (p + 1, "RFC822"))
    if (!g_str_has_prefix (p, "RFC822.SIZE") && !g_str_has_prefix (p, "RFC822.HEADER"))
      return TRUE;
  return FALSE;
}

void
ob_imap_client_uid_fetch_async (ObImapClient        *self,
                                const char          *uids,
                                const char          *items,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (uids != NULL && items != NULL);

  if (items_mark_seen (items) || strpbrk (items, "\r\n") || strpbrk (uids, "\r\n ()"))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("Refused to fetch “%s”: it would mark messages as read. Use BODY.PEEK."),
                               items);
      return;
    }
  text = g_strdup_printf ("UID FETCH %s (UID %s)", uids, items);
  _ob_imap_run_single (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, callback, user_data,
                       ob_imap_client_uid_fetch_async);
}

GPtrArray *
ob_imap_client_uid_fetch_finish (ObImapClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(ObImapCmd) cmd = NULL;
  GPtrArray *out;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(cmd = _ob_imap_finish_single (self, result, "FETCH", error)))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_message_free);
  for (guint i = 0; i < cmd->untagged->len; i++)
    {
      const ObImapResponse *r = cmd->untagged->pdata[i];
      const ObImapValue *list, *v;
      ObImapMessage *m;
      guint64 uid;

      if (!ob_imap_response_is (r, "FETCH") || r->args->len < 1)
        continue;
      list = r->args->pdata[0];
      v = ob_imap_value_lookup (list, "UID");
      if (v == NULL || ob_imap_value_get_string (v) == NULL ||
          !g_ascii_string_to_unsigned (ob_imap_value_get_string (v), 10, 1, G_MAXUINT32, &uid, NULL))
        continue;

      m = g_new0 (ObImapMessage, 1);
      m->uid = (guint32) uid;
      m->flags = _ob_imap_value_to_strv (ob_imap_value_lookup (list, "FLAGS"));
      for (guint j = 0; j + 1 < list->items->len; j += 2)
        {
          const ObImapValue *k = list->items->pdata[j];
          const ObImapValue *val = list->items->pdata[j + 1];
          GBytes *bytes;

          if (k->type != OB_IMAP_VALUE_ATOM || g_ascii_strncasecmp (k->data, "BODY[", 5) != 0)
            continue;
          bytes = val->type == OB_IMAP_VALUE_STRING ? g_bytes_new (val->data, val->len) : g_bytes_new (NULL, 0);
          if (g_ascii_strncasecmp (k->data, "BODY[]", 6) == 0)
            {
              g_clear_pointer (&m->body, g_bytes_unref);
              m->body = bytes;
            }
          else
            {
              g_clear_pointer (&m->header, g_bytes_unref);
              m->header = bytes;
            }
        }
      g_ptr_array_add (out, m);
    }
  return out;
}

void
ob_imap_client_append_async (ObImapClient        *self,
                             const char          *mailbox,
                             const char          *flags,
                             GBytes              *message,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *arg = NULL;
  g_autofree char *head = NULL;
  g_autofree char *trace = NULL;
  ObImapCmd *cmd;
  gsize size;
  const char *data;
  GByteArray *body;
  GError *error = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL && message != NULL);

  arg = _ob_imap_mailbox_argument (mailbox, &error);
  if (arg != NULL && flags != NULL && strpbrk (flags, "\r\n()"))
    g_set_error (&error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                 _("“%s” is not a mailbox name as the server writes it."), mailbox);
  if (error != NULL)
    {
      g_task_report_error (self, callback, user_data, ob_imap_client_append_async, error);
      return;
    }

  data = g_bytes_get_data (message, &size);
  cmd = _ob_imap_cmd_new ();
  cmd->tag = g_strdup_printf ("A%04u", ++self->next_tag);
  head = g_strdup_printf ("%s APPEND %s%s%s%s {%zu}\r\n", cmd->tag, arg,
                          flags ? " (" : "", flags ? flags : "", flags ? ")" : "", size);
  _ob_imap_cmd_add_part (cmd, head, strlen (head), NULL);
  body = g_byte_array_sized_new (size + 2);
  g_byte_array_append (body, (const guint8 *) data, size);
  g_byte_array_append (body, (const guint8 *) "\r\n", 2);
  trace = g_strdup_printf ("<message, %zu bytes>", size);
  g_ptr_array_add (cmd->parts, g_byte_array_free_to_bytes (body));
  g_ptr_array_add (cmd->traces, g_steal_pointer (&trace));

  _ob_imap_run_single (self, cmd, cancellable, callback, user_data, ob_imap_client_append_async);
}

gboolean
ob_imap_client_append_finish (ObImapClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(ObImapCmd) cmd = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  cmd = _ob_imap_finish_single (self, result, "APPEND", error);
  return cmd != NULL;
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapClient *self = OB_IMAP_CLIENT (object);
  g_autoptr(ObImapCmd) cmd = take_cmd (self, result, NULL);

  _ob_imap_drop_connection (self);
  _ob_imap_op_return_boolean (task);
}

void
ob_imap_client_logout_async (ObImapClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));

  task = _ob_imap_op_begin (self, cancellable, callback, user_data, ob_imap_client_logout_async, NULL);
  if (task == NULL)
    return;
  _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, "LOGOUT", NULL), cancellable, logout_cb, task);
}

gboolean
ob_imap_client_logout_finish (ObImapClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ob_imap_client_close (ObImapClient *self)
{
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  _ob_imap_drop_connection (self);
}

/* Copy to Sent */

static void
sent_step (GTask     *task,
           ObImapCmd *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  ObImapOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  switch (op->step++)
    {
    case 0:
      _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, _ob_imap_list_command (self), NULL),
                        cancellable, _ob_imap_op_cmd_cb, task);
      return;

    case 1: /* the mailboxes */
      {
        g_autoptr(GPtrArray) boxes = NULL;
        const ObImapMailbox *sent;
        g_autofree char *arg = NULL;
        g_autofree char *text = NULL;

        if (!_ob_imap_cmd_check_ok (self, cmd, "LIST", &error))
          break;
        boxes = _ob_imap_mailboxes_from_list (cmd);
        sent = ob_imap_mailboxes_find_special (boxes, "\\Sent");
        if (sent == NULL || (arg = _ob_imap_mailbox_argument (sent->name, NULL)) == NULL)
          {
            error = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                                 _("No Sent folder was found on %s, so no copy of the message was kept there."),
                                 self->host);
            break;
          }
        op->mailbox = g_strdup (sent->name);
        text = g_strdup_printf ("EXAMINE %s", arg);
        _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, _ob_imap_op_cmd_cb, task);
      }
      return;

    case 2: /* Sent examined: look for the message */
      {
        g_autofree char *quoted = ob_imap_quote_string (op->message_id);
        g_autofree char *text = g_strdup_printf ("UID SEARCH HEADER Message-ID %s", quoted);

        if (!_ob_imap_cmd_check_ok (self, cmd, "EXAMINE", &error))
          break;
        _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, _ob_imap_op_cmd_cb, task);
      }
      return;

    case 3: /* found? */
      {
        gboolean found = FALSE;
        g_autofree char *arg = _ob_imap_mailbox_argument (op->mailbox, NULL); /* checked in step 1 */
        g_autofree char *head = NULL;
        ObImapCmd *append;
        gsize size;
        const char *data = g_bytes_get_data (op->message, &size);
        GByteArray *body;

        if (!_ob_imap_cmd_check_ok (self, cmd, "SEARCH", &error))
          break;
        for (guint i = 0; i < cmd->untagged->len; i++)
          {
            const ObImapResponse *r = cmd->untagged->pdata[i];

            if (ob_imap_response_is (r, "SEARCH") && r->args->len > 0)
              found = TRUE;
          }
        if (found)
          {
            op->outcome = OB_IMAP_SENT_COPY_ALREADY_PRESENT;
            _ob_imap_op_return_boolean (task);
            g_object_unref (task);
            return;
          }

        append = _ob_imap_cmd_new ();
        append->tag = g_strdup_printf ("A%04u", ++self->next_tag);
        head = g_strdup_printf ("%s APPEND %s (\\Seen) {%zu}\r\n", append->tag, arg, size);
        _ob_imap_cmd_add_part (append, head, strlen (head), NULL);
        body = g_byte_array_sized_new (size + 2);
        g_byte_array_append (body, (const guint8 *) data, size);
        g_byte_array_append (body, (const guint8 *) "\r\n", 2);
        g_ptr_array_add (append->parts, g_byte_array_free_to_bytes (body));
        g_ptr_array_add (append->traces, g_strdup_printf ("<message, %zu bytes>", size));
        _ob_imap_run_cmd (self, append, cancellable, _ob_imap_op_cmd_cb, task);
      }
      return;

    case 4:
    default:
      if (!_ob_imap_cmd_check_ok (self, cmd, "APPEND", &error))
        break;
      op->outcome = OB_IMAP_SENT_COPY_APPENDED;
      _ob_imap_op_return_boolean (task);
      g_object_unref (task);
      return;
    }

  _ob_imap_op_return_error (task, error);
  g_object_unref (task);
}

void
ob_imap_client_copy_to_sent_async (ObImapClient        *self,
                                   GBytes              *message,
                                   const char          *message_id,
                                   gboolean             provider_saves_sent,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  ObImapOp *op;
  g_autofree char *quoted = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (message != NULL);

  task = op_task_new (self, cancellable, callback, user_data, ob_imap_client_copy_to_sent_async, sent_step);
  op = g_task_get_task_data (task);

  if (provider_saves_sent)
    {
      op->outcome = OB_IMAP_SENT_COPY_PROVIDER_SAVES;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  quoted = message_id ? ob_imap_quote_string (message_id) : NULL;
  if (quoted == NULL || *message_id == '\0')
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("The message has no usable Message-ID, so Outbound cannot tell whether Sent already has it."));
      g_object_unref (task);
      return;
    }
  if (!op_start (self, task))
    {
      g_object_unref (task);
      return;
    }
  op->message = g_bytes_ref (message);
  op->message_id = g_strdup (message_id);
  sent_step (task, NULL);
}

gboolean
ob_imap_client_copy_to_sent_finish (ObImapClient    *self,
                                    GAsyncResult    *result,
                                    ObImapSentCopy  *outcome,
                                    GError         **error)
{
  ObImapOp *op;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  op = g_task_get_task_data (G_TASK (result));
  if (outcome != NULL)
    *outcome = op->outcome;
  return TRUE;
}

gboolean
ob_imap_client_is_tls (ObImapClient *self)
{
  g_return_val_if_fail (OB_IS_IMAP_CLIENT (self), FALSE);
  return self->conn != NULL && _ob_mail_conn_is_tls (self->conn);
}

const ObMailTlsInfo *
ob_imap_client_get_tls_info (ObImapClient *self)
{
  g_return_val_if_fail (OB_IS_IMAP_CLIENT (self), NULL);
  return _ob_mail_conn_get_tls_info (self->conn);
}

gboolean
ob_imap_client_has_capability (ObImapClient *self,
                               const char   *capability)
{
  g_autofree char *up = NULL;

  g_return_val_if_fail (OB_IS_IMAP_CLIENT (self), FALSE);
  up = g_ascii_strup (capability, -1);
  return _ob_imap_has_cap (self, up);
}

const char * const *
ob_imap_client_get_capabilities (ObImapClient *self)
{
  static const char *empty[] = { NULL };

  g_return_val_if_fail (OB_IS_IMAP_CLIENT (self), NULL);
  return self->caps ? (const char * const *) self->caps : empty;
}
