/* ob-imap-client.c
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
#include "ob-mail-conn-private.h"

#define MAX_LITERAL (256 * 1024 * 1024)
#define MAX_LINE (4 * 1024 * 1024)

struct _ObImapClient
{
  GObject          parent_instance;

  char            *host;
  guint16          port;
  ObMailSecurity   security;
  guint            timeout_ms;

  ObMailTrace      trace;

  ObMailConn      *conn;
  GStrv            caps;
  guint            next_tag;
  gboolean         logged_in;
  gboolean         busy;
  char            *bye;   /* the text of an untagged BYE */
};

G_DEFINE_FINAL_TYPE (ObImapClient, ob_imap_client, G_TYPE_OBJECT)

/* One command on the wire: its parts (the next is sent at each "+"
 * continuation), and what came back. */
typedef struct
{
  GPtrArray      *parts;     /* of GBytes */
  GPtrArray      *traces;    /* of char *: what the trace shows for each part ("" = the part itself) */
  guint           next_part;
  char           *tag;
  gboolean        greeting;
  GPtrArray      *untagged;  /* of ObImapResponse */
  ObImapResponse *tagged;    /* or the greeting */
  GByteArray     *assembling;
} Cmd;

static void
cmd_clear (Cmd *cmd)
{
  for (guint i = 0; i < cmd->parts->len; i++)
    {
      gsize size;
      gpointer data = (gpointer) g_bytes_get_data (cmd->parts->pdata[i], &size);

      /* Parts may hold a password: wipe before freeing. */
      if (data != NULL && size > 0)
        explicit_bzero (data, size);
    }
  g_ptr_array_unref (cmd->parts);
  g_ptr_array_unref (cmd->traces);
  g_free (cmd->tag);
  g_ptr_array_unref (cmd->untagged);
  g_clear_pointer (&cmd->tagged, ob_imap_response_free);
  g_byte_array_unref (cmd->assembling);
}

static void
cmd_free (Cmd *cmd)
{
  g_rc_box_release_full (cmd, (GDestroyNotify) cmd_clear);
}

static Cmd *
cmd_new (void)
{
  Cmd *cmd = g_rc_box_new0 (Cmd);

  cmd->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  cmd->traces = g_ptr_array_new_with_free_func (g_free);
  cmd->untagged = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_response_free);
  cmd->assembling = g_byte_array_new ();
  return cmd;
}

/* Adds a part; @trace replaces it in the trace (NULL: trace it as is). */
static void
cmd_add_part (Cmd        *cmd,
              const char *data,
              gsize       len,
              const char *trace)
{
  g_ptr_array_add (cmd->parts, g_bytes_new (data, len));
  g_ptr_array_add (cmd->traces, g_strdup (trace ? trace : ""));
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cmd, cmd_free)

void
ob_imap_mailbox_free (ObImapMailbox *mailbox)
{
  if (mailbox == NULL)
    return;
  g_free (mailbox->name);
  g_strfreev (mailbox->attributes);
  g_free (mailbox);
}

gboolean
ob_imap_mailbox_has_attribute (const ObImapMailbox *mailbox,
                               const char          *attribute)
{
  for (guint i = 0; mailbox->attributes && mailbox->attributes[i]; i++)
    if (g_ascii_strcasecmp (mailbox->attributes[i], attribute) == 0)
      return TRUE;
  return FALSE;
}

const ObImapMailbox *
ob_imap_mailboxes_find_special (GPtrArray  *mailboxes,
                                const char *attribute)
{
  static const char *sent_names[] = { "Sent", "Sent Items", "Sent Messages", "INBOX.Sent",
                                      "&XfJT0ZAB-" /* 已发送 */, "&XfJSIJZk-" /* 已发邮件 */, NULL };
  static const char *junk_names[] = { "Junk", "Spam", "INBOX.Junk", "INBOX.Spam",
                                      "&V4NXPpCuTvY-" /* 垃圾邮件 */, NULL };
  const char **names = NULL;

  for (guint i = 0; i < mailboxes->len; i++)
    if (ob_imap_mailbox_has_attribute (mailboxes->pdata[i], attribute))
      return mailboxes->pdata[i];

  if (g_ascii_strcasecmp (attribute, "\\Sent") == 0)
    names = sent_names;
  else if (g_ascii_strcasecmp (attribute, "\\Junk") == 0)
    names = junk_names;

  for (guint n = 0; names != NULL && names[n] != NULL; n++)
    for (guint i = 0; i < mailboxes->len; i++)
      {
        const ObImapMailbox *mb = mailboxes->pdata[i];

        if (g_ascii_strcasecmp (mb->name, names[n]) == 0)
          return mb;
      }
  return NULL;
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

/* The command engine */

static void
drop_connection (ObImapClient *self)
{
  if (self->conn != NULL)
    _ob_mail_conn_close (self->conn);
  g_clear_pointer (&self->caps, g_strfreev);
  self->logged_in = FALSE;
}

static void
set_caps_from_text (ObImapClient *self,
                    const char   *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GPtrArray) caps = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0' || g_ascii_strcasecmp (words[i], "CAPABILITY") == 0)
        continue;
      g_ptr_array_add (caps, g_ascii_strup (words[i], -1));
    }
  g_ptr_array_add (caps, NULL);
  g_strfreev (self->caps);
  self->caps = (GStrv) g_ptr_array_free (g_steal_pointer (&caps), FALSE);
}

static void
note_response (ObImapClient         *self,
               const ObImapResponse *r)
{
  if (r->code != NULL && g_ascii_strncasecmp (r->code, "CAPABILITY ", 11) == 0)
    set_caps_from_text (self, r->code + 11);
  else if (r->kind == OB_IMAP_RESPONSE_UNTAGGED && ob_imap_response_is (r, "CAPABILITY"))
    {
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < r->args->len; i++)
        {
          const char *word = ob_imap_value_get_string (r->args->pdata[i]);

          if (word != NULL)
            g_string_append_printf (s, "%s ", word);
        }
      set_caps_from_text (self, s->str);
      g_string_free (s, TRUE);
    }
  else if (r->kind == OB_IMAP_RESPONSE_UNTAGGED && ob_imap_response_is (r, "BYE"))
    {
      g_free (self->bye);
      self->bye = g_strdup (r->text);
    }
}

static void cmd_read_line (GTask *task);

static void
cmd_fail (GTask  *task,
          GError *error)
{
  ObImapClient *self = g_task_get_source_object (task);

  if (self->bye != NULL && error->domain == OB_MAIL_ERROR && error->code == OB_MAIL_ERROR_CLOSED)
    {
      g_autoptr(GError) old = error;

      error = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                           _("%s closed the connection: “%s”"), self->host, self->bye);
    }
  drop_connection (self);
  g_task_return_error (task, error);
}

static void
cmd_part_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!_ob_mail_conn_write_finish (self->conn, result, &error))
    {
      cmd_fail (task, error);
      return;
    }
  cmd_read_line (g_steal_pointer (&task));
}

static void
cmd_write_next (GTask *task)
{
  ObImapClient *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  const char *trace = cmd->traces->pdata[cmd->next_part];
  GBytes *part = cmd->parts->pdata[cmd->next_part];

  cmd->next_part++;
  _ob_mail_conn_write_async (self->conn, part, *trace ? trace : NULL, self->timeout_ms,
                             g_task_get_cancellable (task), cmd_part_written_cb, task);
}

static void
cmd_dispatch (GTask *task)
{
  ObImapClient *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  g_autoptr(ObImapResponse) r = NULL;
  GError *error = NULL;

  r = ob_imap_response_parse ((const char *) cmd->assembling->data, cmd->assembling->len, &error);
  g_byte_array_set_size (cmd->assembling, 0);
  if (r == NULL)
    {
      cmd_fail (task, error);
      g_object_unref (task);
      return;
    }

  note_response (self, r);

  switch (r->kind)
    {
    case OB_IMAP_RESPONSE_CONTINUATION:
      if (cmd->next_part < cmd->parts->len)
        {
          cmd_write_next (task);
          return;
        }
      cmd_fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                   _("%s asked for more data than the command had."), self->host));
      g_object_unref (task);
      return;

    case OB_IMAP_RESPONSE_UNTAGGED:
      if (cmd->greeting)
        {
          cmd->tagged = g_steal_pointer (&r);
          g_task_return_pointer (task, g_rc_box_acquire (cmd), (GDestroyNotify) cmd_free);
          g_object_unref (task);
          return;
        }
      g_ptr_array_add (cmd->untagged, g_steal_pointer (&r));
      cmd_read_line (task);
      return;

    case OB_IMAP_RESPONSE_TAGGED:
    default:
      if (cmd->tag == NULL || g_strcmp0 (r->tag, cmd->tag) != 0)
        {
          cmd_fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                       _("%s answered a command that was not sent (tag “%s”)."),
                                       self->host, r->tag));
          g_object_unref (task);
          return;
        }
      cmd->tagged = g_steal_pointer (&r);
      g_task_return_pointer (task, g_rc_box_acquire (cmd), (GDestroyNotify) cmd_free);
      g_object_unref (task);
      return;
    }
}

static void
cmd_literal_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapClient *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = _ob_mail_conn_read_bytes_finish (self->conn, result, &error);
  if (bytes == NULL)
    {
      cmd_fail (task, error);
      return;
    }
  g_byte_array_append (cmd->assembling, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* The response goes on after the literal, on the next line. */
  cmd_read_line (g_steal_pointer (&task));
}

static void
cmd_line_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ObImapClient *self = g_task_get_source_object (task);
  Cmd *cmd = g_task_get_task_data (task);
  g_autofree char *line = NULL;
  GError *error = NULL;
  gsize literal = 0;

  line = _ob_mail_conn_read_line_finish (self->conn, result, &error);
  if (line == NULL)
    {
      cmd_fail (task, error);
      g_object_unref (task);
      return;
    }

  g_byte_array_append (cmd->assembling, (const guint8 *) line, strlen (line));
  if (cmd->assembling->len > MAX_LINE + MAX_LITERAL)
    {
      cmd_fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                   _("%s sent a response that is too large."), self->host));
      g_object_unref (task);
      return;
    }

  if (ob_imap_line_literal_size (line, &literal))
    {
      if (literal > MAX_LITERAL)
        {
          cmd_fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                       _("%s announced a literal of %zu bytes, too large to read."),
                                       self->host, literal));
          g_object_unref (task);
          return;
        }
      g_byte_array_append (cmd->assembling, (const guint8 *) "\r\n", 2);
      _ob_mail_conn_read_bytes_async (self->conn, literal, self->timeout_ms,
                                      g_task_get_cancellable (task), cmd_literal_cb, task);
      return;
    }

  cmd_dispatch (task);
}

static void
cmd_read_line (GTask *task)
{
  ObImapClient *self = g_task_get_source_object (task);

  _ob_mail_conn_read_line_async (self->conn, self->timeout_ms, g_task_get_cancellable (task),
                                 cmd_line_cb, task);
}

/* Runs @cmd (takes it); @text is the command without tag and CRLF. */
static void
run_cmd (ObImapClient        *self,
         Cmd                 *cmd,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, cmd, (GDestroyNotify) cmd_free);
  if (self->conn == NULL || !_ob_mail_conn_is_connected (self->conn))
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                               _("Not connected to %s."), self->host);
      g_object_unref (task);
      return;
    }
  if (cmd->greeting)
    cmd_read_line (task);
  else
    cmd_write_next (task);
}

static Cmd *
run_cmd_finish (ObImapClient  *self,
                GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A simple command "TAG text\r\n". */
static Cmd *
cmd_simple (ObImapClient *self,
            const char   *text,
            const char   *trace_text)
{
  Cmd *cmd = cmd_new ();
  g_autofree char *line = NULL;
  g_autofree char *trace = NULL;

  cmd->tag = g_strdup_printf ("A%04u", ++self->next_tag);
  line = g_strdup_printf ("%s %s\r\n", cmd->tag, text);
  if (trace_text != NULL)
    trace = g_strdup_printf ("%s %s", cmd->tag, trace_text);
  cmd_add_part (cmd, line, strlen (line), trace);
  explicit_bzero (line, strlen (line));
  return cmd;
}

/* NO/BAD as an error. */
static gboolean
cmd_check_ok (ObImapClient  *self,
              Cmd           *cmd,
              const char    *what,
              GError       **error)
{
  if (cmd->tagged != NULL && ob_imap_response_is (cmd->tagged, "OK"))
    return TRUE;

  g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
               _("%s refused %s: “%s %s”"), self->host, what,
               cmd->tagged ? cmd->tagged->name : "", cmd->tagged && cmd->tagged->text ? cmd->tagged->text : "");
  return FALSE;
}

/* Every public operation is one outer task that chains commands. */
typedef struct
{
  int        step;
  char      *username;
  char      *password;
  ObImapAuthMechanism mechanism;
  char      *mailbox;
  char      *message_id;
  GBytes    *message;
  gboolean   read_only;
  ObImapSentCopy outcome;
  char      *text;
  GError    *error;  /* kept while a step tidies up after a failure */
  /* A chained operation's next step, given each command's answer. */
  void     (*next) (GTask *task, Cmd *cmd);
} Op;

static void
op_free (Op *op)
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
             void               (*next) (GTask *task, Cmd *cmd))
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

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
static GTask *
op_begin (ObImapClient        *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag,
          void               (*next) (GTask *task, Cmd *cmd))
{
  GTask *task = op_task_new (self, cancellable, callback, user_data, source_tag, next);

  if (!op_start (self, task))
    {
      g_object_unref (task);
      return NULL;
    }
  return task;
}

static void
op_return_error (GTask  *task,
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

static void
op_return_boolean (GTask *task)
{
  ObImapClient *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
}

/* The Cmd of a finished run_cmd task (a reference). */
static Cmd *
take_cmd (ObImapClient  *self,
          GAsyncResult  *result,
          GError       **error)
{
  return run_cmd_finish (self, result, error);
}

/* The answer to a command of a chained operation goes to its next step. */
static void
op_cmd_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(Cmd) cmd = NULL;
  GError *error = NULL;

  cmd = take_cmd (OB_IMAP_CLIENT (object), result, &error);
  if (cmd == NULL)
    {
      op_return_error (task, error);
      return;
    }
  op->next (g_steal_pointer (&task), cmd);
}

/* Connect */

static void connect_step (GTask *task, Cmd *cmd);

static void
connect_tls_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == _ob_mail_conn_connect_async)
    ok = _ob_mail_conn_connect_finish (self->conn, result, &error);
  else
    ok = _ob_mail_conn_starttls_finish (self->conn, result, &error);

  if (!ok)
    {
      drop_connection (self);
      op_return_error (task, error);
      return;
    }
  connect_step (g_steal_pointer (&task), NULL);
}

static gboolean
has_cap (ObImapClient *self,
         const char   *cap)
{
  return self->caps != NULL && g_strv_contains ((const char * const *) self->caps, cap);
}

static void
connect_step (GTask *task,
              Cmd   *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  switch (op->step++)
    {
    case 0: /* connected: read the greeting */
      {
        Cmd *greeting = cmd_new ();

        greeting->greeting = TRUE;
        run_cmd (self, greeting, cancellable, op_cmd_cb, task);
      }
      return;

    case 1: /* the greeting */
      if (ob_imap_response_is (cmd->tagged, "BYE"))
        {
          drop_connection (self);
          op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_RETRY_LATER,
                                              _("%s refused the connection: “%s”. Try again later."),
                                              self->host, cmd->tagged->text));
          g_object_unref (task);
          return;
        }
      if (!ob_imap_response_is (cmd->tagged, "OK") && !ob_imap_response_is (cmd->tagged, "PREAUTH"))
        {
          drop_connection (self);
          op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                              _("%s did not greet like an IMAP server."), self->host));
          g_object_unref (task);
          return;
        }
      if (self->caps == NULL)
        {
          run_cmd (self, cmd_simple (self, "CAPABILITY", NULL), cancellable, op_cmd_cb, task);
          return;
        }
      connect_step (task, cmd);
      return;

    case 2: /* capabilities known */
      if (cmd != NULL && cmd->tagged != NULL && !cmd->greeting && !cmd_check_ok (self, cmd, "CAPABILITY", &error))
        {
          drop_connection (self);
          op_return_error (task, error);
          g_object_unref (task);
          return;
        }
      if (!_ob_mail_conn_is_tls (self->conn))
        {
          if (!has_cap (self, "STARTTLS"))
            {
              drop_connection (self);
              op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                                  _("%s does not offer a secure connection (STARTTLS), so Outbound sent no password. Use port 993 with TLS, or ask your mail provider for the secure settings."),
                                                  self->host));
              g_object_unref (task);
              return;
            }
          run_cmd (self, cmd_simple (self, "STARTTLS", NULL), cancellable, op_cmd_cb, task);
          return;
        }
      op_return_boolean (task);
      g_object_unref (task);
      return;

    case 3: /* STARTTLS answered */
      if (!ob_imap_response_is (cmd->tagged, "OK"))
        {
          drop_connection (self);
          op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                              _("%s refused to start a secure connection, so Outbound sent no password."),
                                              self->host));
          g_object_unref (task);
          return;
        }
      _ob_mail_conn_starttls_async (self->conn, self->timeout_ms, cancellable, connect_tls_cb, task);
      return;

    case 4: /* TLS is up: capabilities again, never trusting those from before */
      g_clear_pointer (&self->caps, g_strfreev);
      run_cmd (self, cmd_simple (self, "CAPABILITY", NULL), cancellable, op_cmd_cb, task);
      return;

    case 5:
    default:
      if (!cmd_check_ok (self, cmd, "CAPABILITY", &error))
        {
          drop_connection (self);
          op_return_error (task, error);
        }
      else
        op_return_boolean (task);
      g_object_unref (task);
      return;
    }
}

/* Login */

static Cmd *
login_command (ObImapClient *self,
               Op           *op)
{
  Cmd *cmd = cmd_new ();
  g_autofree char *user = ob_imap_quote_string (op->username);
  g_autofree char *pass = ob_imap_quote_string (op->password);

  cmd->tag = g_strdup_printf ("A%04u", ++self->next_tag);

  if (op->mechanism == OB_IMAP_AUTH_PLAIN)
    {
      gsize ulen = strlen (op->username), plen = strlen (op->password);
      g_autofree guchar *raw = g_malloc (ulen + plen + 2);
      g_autofree char *encoded = NULL;
      g_autofree char *line = NULL;
      g_autofree char *trace = g_strdup_printf ("%s AUTHENTICATE PLAIN <redacted>", cmd->tag);

      raw[0] = '\0';
      memcpy (raw + 1, op->username, ulen);
      raw[ulen + 1] = '\0';
      memcpy (raw + ulen + 2, op->password, plen);
      encoded = g_base64_encode (raw, ulen + plen + 2);
      explicit_bzero (raw, ulen + plen + 2);

      if (has_cap (self, "SASL-IR"))
        {
          line = g_strdup_printf ("%s AUTHENTICATE PLAIN %s\r\n", cmd->tag, encoded);
          cmd_add_part (cmd, line, strlen (line), trace);
        }
      else
        {
          g_autofree char *first = g_strdup_printf ("%s AUTHENTICATE PLAIN\r\n", cmd->tag);

          cmd_add_part (cmd, first, strlen (first), NULL);
          line = g_strdup_printf ("%s\r\n", encoded);
          cmd_add_part (cmd, line, strlen (line), "<redacted>");
        }
      explicit_bzero (line, strlen (line));
      explicit_bzero (encoded, strlen (encoded));
      return cmd;
    }

  {
    g_autofree char *trace = NULL;
    g_autofree char *head = NULL;

    if (user == NULL)
      {
        /* A user name that needs a literal: rare, but allowed. */
        head = g_strdup_printf ("%s LOGIN {%zu}\r\n", cmd->tag, strlen (op->username));
        cmd_add_part (cmd, head, strlen (head), NULL);
        g_free (head);
        head = g_strdup (op->username);
      }
    else
      head = g_strdup_printf ("%s LOGIN %s", cmd->tag, user);

    trace = g_strdup_printf ("%s <redacted>", user ? head : "");
    if (pass != NULL)
      {
        g_autofree char *line = g_strdup_printf ("%s %s\r\n", head, pass);

        cmd_add_part (cmd, line, strlen (line), trace);
        explicit_bzero (line, strlen (line));
        explicit_bzero (pass, strlen (pass));
      }
    else
      {
        g_autofree char *line = g_strdup_printf ("%s {%zu}\r\n", head, strlen (op->password));
        g_autofree char *tail = g_strdup_printf ("%s\r\n", op->password);
        g_autofree char *line_trace = g_strdup_printf ("%s {%zu}", head, strlen (op->password));

        cmd_add_part (cmd, line, strlen (line), line_trace);
        cmd_add_part (cmd, tail, strlen (tail), "<redacted>");
        explicit_bzero (tail, strlen (tail));
      }
  }
  return cmd;
}

static void
login_step (GTask *task,
            Cmd   *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (op->step++)
    {
    case 0:
      run_cmd (self, login_command (self, op), cancellable, op_cmd_cb, task);
      return;

    case 1: /* the login's answer */
      if (!ob_imap_response_is (cmd->tagged, "OK"))
        {
          const char *code = cmd->tagged->code;
          gboolean temporary = code != NULL && (g_ascii_strncasecmp (code, "UNAVAILABLE", 11) == 0 ||
                                                g_ascii_strncasecmp (code, "INUSE", 5) == 0);

          op_return_error (task, g_error_new (OB_MAIL_ERROR,
                                              temporary ? OB_MAIL_ERROR_RETRY_LATER : OB_MAIL_ERROR_AUTH,
                                              _("%s refused the login (“%s”). Check the user name and password; many providers want an authorisation code (授权码) or app password, and some need IMAP turned on in the webmail settings first."),
                                              self->host, cmd->tagged->text ? cmd->tagged->text : ""));
          g_object_unref (task);
          return;
        }
      self->logged_in = TRUE;
      /* Capabilities change after login; ask unless the server just told us. */
      if (cmd->tagged->code == NULL || g_ascii_strncasecmp (cmd->tagged->code, "CAPABILITY ", 11) != 0)
        {
          run_cmd (self, cmd_simple (self, "CAPABILITY", NULL), cancellable, op_cmd_cb, task);
          return;
        }
      login_step (task, cmd);
      return;

    case 2:
      if (has_cap (self, "ID"))
        {
          run_cmd (self, cmd_simple (self, "ID (\"name\" \"Outbound\" \"version\" \"" PACKAGE_VERSION "\" \"vendor\" \"Outbound\")", NULL),
                   cancellable, op_cmd_cb, task);
          return;
        }
      op->step++;
      G_GNUC_FALLTHROUGH;

    case 3:
    default:
      /* A refused ID is no reason to fail: only some servers need it. */
      op_return_boolean (task);
      g_object_unref (task);
      return;
    }
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
  Cmd *cmd = take_cmd (self, result, &error);

  if (cmd == NULL)
    op_return_error (task, error);
  else
    op_return_pointer (task, cmd, (GDestroyNotify) cmd_free);
}

static void
run_single (ObImapClient        *self,
            Cmd                 *cmd,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = op_begin (self, cancellable, callback, user_data, source_tag, NULL);

  if (task == NULL)
    {
      cmd_free (cmd);
      return;
    }
  run_cmd (self, cmd, cancellable, single_cmd_cb, task);
}

static Cmd *
finish_single (ObImapClient  *self,
               GAsyncResult  *result,
               const char    *what,
               GError       **error)
{
  g_autoptr(Cmd) cmd = g_task_propagate_pointer (G_TASK (result), error);

  if (cmd == NULL || !cmd_check_ok (self, cmd, what, error))
    return NULL;
  return g_steal_pointer (&cmd);
}

static GStrv
value_to_strv (const ObImapValue *list)
{
  GPtrArray *out = g_ptr_array_new ();

  if (list != NULL && list->type == OB_IMAP_VALUE_LIST)
    for (guint i = 0; i < list->items->len; i++)
      {
        const char *s = ob_imap_value_get_string (list->items->pdata[i]);

        if (s != NULL)
          g_ptr_array_add (out, g_strdup (s));
      }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
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
  _ob_mail_conn_set_max_line (self->conn, MAX_LINE);
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

void
ob_imap_client_connect_async (ObImapClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));

  task = op_begin (self, cancellable, callback, user_data, ob_imap_client_connect_async, connect_step);
  if (task == NULL)
    return;
  drop_connection (self);
  g_clear_pointer (&self->bye, g_free);
  _ob_mail_conn_connect_async (self->conn, self->security == OB_MAIL_SECURITY_TLS,
                               self->timeout_ms, cancellable, connect_tls_cb, task);
}

gboolean
ob_imap_client_connect_finish (ObImapClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ob_imap_client_login_async (ObImapClient        *self,
                            ObImapAuthMechanism  mechanism,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (username != NULL && password != NULL);

  task = op_begin (self, cancellable, callback, user_data, ob_imap_client_login_async, login_step);
  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  op->username = g_strdup (username);
  op->password = g_strdup (password);

  if (self->conn == NULL || !_ob_mail_conn_is_connected (self->conn) || !_ob_mail_conn_is_tls (self->conn))
    {
      op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                          _("The connection to %s is not encrypted, so Outbound will not send the password."),
                                          self->host));
      g_object_unref (task);
      return;
    }

  if (mechanism == OB_IMAP_AUTH_AUTO)
    mechanism = has_cap (self, "AUTH=PLAIN") ? OB_IMAP_AUTH_PLAIN : OB_IMAP_AUTH_LOGIN;
  if (mechanism == OB_IMAP_AUTH_LOGIN && has_cap (self, "LOGINDISABLED"))
    {
      op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
                                          _("%s does not accept a password login (LOGINDISABLED). The provider may require OAuth sign-in."),
                                          self->host));
      g_object_unref (task);
      return;
    }
  op->mechanism = mechanism;
  login_step (task, NULL);
}

gboolean
ob_imap_client_login_finish (ObImapClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The command that lists every mailbox: with LIST-EXTENDED, asking for
 * the special-use attributes too (RFC 6154 §2). */
static const char *
list_command (ObImapClient *self)
{
  if (has_cap (self, "SPECIAL-USE") && has_cap (self, "LIST-EXTENDED"))
    return "LIST \"\" \"*\" RETURN (SPECIAL-USE)";
  return "LIST \"\" \"*\"";
}

/* The mailboxes of a LIST command's answer. */
static GPtrArray *
mailboxes_from_list (Cmd *cmd)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_mailbox_free);

  for (guint i = 0; i < cmd->untagged->len; i++)
    {
      const ObImapResponse *r = cmd->untagged->pdata[i];
      const ObImapValue *attrs, *delim, *name;
      ObImapMailbox *mb;

      if (!ob_imap_response_is (r, "LIST") || r->args->len < 3)
        continue;
      attrs = r->args->pdata[0];
      delim = r->args->pdata[1];
      name = r->args->pdata[2];
      if (attrs->type != OB_IMAP_VALUE_LIST || ob_imap_value_get_string (name) == NULL)
        continue;

      mb = g_new0 (ObImapMailbox, 1);
      mb->name = g_strdup (ob_imap_value_get_string (name));
      mb->delimiter = delim->type == OB_IMAP_VALUE_STRING && delim->len == 1 ? delim->data[0] : 0;
      mb->attributes = value_to_strv (attrs);
      g_ptr_array_add (out, mb);
    }
  return out;
}

void
ob_imap_client_list_async (ObImapClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));

  run_single (self, cmd_simple (self, list_command (self), NULL), cancellable, callback, user_data,
              ob_imap_client_list_async);
}

GPtrArray *
ob_imap_client_list_finish (ObImapClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(Cmd) cmd = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(cmd = finish_single (self, result, "LIST", error)))
    return NULL;

  return mailboxes_from_list (cmd);
}

static char *
mailbox_argument (const char *mailbox)
{
  char *quoted = ob_imap_quote_string (mailbox);

  /* Names come from LIST in modified UTF-7, so they are ASCII. */
  return quoted;
}

void
ob_imap_client_select_async (ObImapClient        *self,
                             const char          *mailbox,
                             gboolean             read_only,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *arg = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  arg = mailbox_argument (mailbox);
  if (arg == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("“%s” is not a mailbox name as the server writes it."), mailbox);
      return;
    }
  text = g_strdup_printf ("%s %s", read_only ? "EXAMINE" : "SELECT", arg);
  run_single (self, cmd_simple (self, text, NULL), cancellable, callback, user_data,
              ob_imap_client_select_async);
}

static guint32
code_number (const char *code,
             const char *name)
{
  gsize n = strlen (name);

  if (code == NULL || g_ascii_strncasecmp (code, name, n) != 0 || code[n] != ' ')
    return 0;
  return (guint32) g_ascii_strtoull (code + n + 1, NULL, 10);
}

gboolean
ob_imap_client_select_finish (ObImapClient         *self,
                              GAsyncResult         *result,
                              ObImapMailboxStatus  *status,
                              GError              **error)
{
  g_autoptr(Cmd) cmd = NULL;
  ObImapMailboxStatus st = { 0 };

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(cmd = finish_single (self, result, "SELECT", error)))
    return FALSE;

  for (guint i = 0; i < cmd->untagged->len; i++)
    {
      const ObImapResponse *r = cmd->untagged->pdata[i];

      if (r->has_number && ob_imap_response_is (r, "EXISTS"))
        st.exists = r->number;
      else if (r->code != NULL && code_number (r->code, "UIDVALIDITY"))
        st.uidvalidity = code_number (r->code, "UIDVALIDITY");
      else if (r->code != NULL && code_number (r->code, "UIDNEXT"))
        st.uidnext = code_number (r->code, "UIDNEXT");
    }
  st.read_only = cmd->tagged->code != NULL && g_ascii_strcasecmp (cmd->tagged->code, "READ-ONLY") == 0;
  if (status != NULL)
    *status = st;
  return TRUE;
}

void
ob_imap_client_create_async (ObImapClient        *self,
                             const char          *mailbox,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *arg = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  arg = mailbox_argument (mailbox);
  text = g_strdup_printf ("CREATE %s", arg);
  run_single (self, cmd_simple (self, text, NULL), cancellable, callback, user_data,
              ob_imap_client_create_async);
}

/* A folder that is there already is no failure (RFC 5530 ALREADYEXISTS,
 * or the words of servers older than it). */
gboolean
ob_imap_client_create_finish (ObImapClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(Cmd) cmd = NULL;
  const ObImapResponse *tagged;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  cmd = g_task_propagate_pointer (G_TASK (result), error);
  if (cmd == NULL)
    return FALSE;
  tagged = cmd->tagged;
  if (tagged != NULL && ob_imap_response_is (tagged, "NO") &&
      ((tagged->code != NULL && g_ascii_strncasecmp (tagged->code, "ALREADYEXISTS", 13) == 0) ||
       (tagged->text != NULL && strstr (tagged->text, "xists") != NULL)))
    return TRUE;
  return cmd_check_ok (self, cmd, "CREATE", error);
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
move_step (GTask *task,
           Cmd   *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *arg = mailbox_argument (op->mailbox);
  g_autofree char *text = NULL;
  GError *error = NULL;

  switch (op->step++)
    {
    case 0:
      if (has_cap (self, "MOVE"))
        {
          op->step = 4;
          text = g_strdup_printf ("UID MOVE %s %s", op->text, arg);
        }
      else
        text = g_strdup_printf ("UID COPY %s %s", op->text, arg);
      run_cmd (self, cmd_simple (self, text, NULL), cancellable, op_cmd_cb, task);
      return;

    case 1: /* copied: mark the originals */
      if (!cmd_check_ok (self, cmd, "COPY", &error))
        break;
      text = g_strdup_printf ("UID STORE %s +FLAGS.SILENT (\\Deleted)", op->text);
      run_cmd (self, cmd_simple (self, text, NULL), cancellable, op_cmd_cb, task);
      return;

    case 2: /* marked: remove them, and only them */
      if (!cmd_check_ok (self, cmd, "STORE", &error))
        break;
      text = g_strdup_printf ("UID EXPUNGE %s", op->text);
      run_cmd (self, cmd_simple (self, text, NULL), cancellable, op_cmd_cb, task);
      return;

    case 3: /* expunged; if not, the originals lose the mark again */
      if (!cmd_check_ok (self, cmd, "EXPUNGE", &op->error))
        {
          text = g_strdup_printf ("UID STORE %s -FLAGS.SILENT (\\Deleted)", op->text);
          op->step = 5;
          run_cmd (self, cmd_simple (self, text, NULL), cancellable, op_cmd_cb, task);
          return;
        }
      op_return_boolean (task);
      return;

    case 4: /* UID MOVE answered */
      if (!cmd_check_ok (self, cmd, "MOVE", &error))
        break;
      op_return_boolean (task);
      return;

    case 5: /* unmarked (or not: the expunge's failure is what is told) */
      op_return_error (task, g_steal_pointer (&op->error));
      return;

    default:
      g_assert_not_reached ();
    }
  op_return_error (task, error);
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
  Op *op;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (is_uid_set (uids));
  g_return_if_fail (mailbox != NULL);

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

  return has_cap (self, "MOVE") || has_cap (self, "UIDPLUS");
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
  run_single (self, cmd_simple (self, text, NULL), cancellable, callback, user_data,
              ob_imap_client_uid_search_async);
}

GArray *
ob_imap_client_uid_search_finish (ObImapClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(Cmd) cmd = NULL;
  GArray *uids;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(cmd = finish_single (self, result, "SEARCH", error)))
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
  run_single (self, cmd_simple (self, text, NULL), cancellable, callback, user_data,
              ob_imap_client_uid_fetch_async);
}

GPtrArray *
ob_imap_client_uid_fetch_finish (ObImapClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(Cmd) cmd = NULL;
  GPtrArray *out;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(cmd = finish_single (self, result, "FETCH", error)))
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
      m->flags = value_to_strv (ob_imap_value_lookup (list, "FLAGS"));
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
  Cmd *cmd;
  gsize size;
  const char *data;
  GByteArray *body;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL && message != NULL);

  arg = mailbox_argument (mailbox);
  if (arg == NULL || (flags != NULL && strpbrk (flags, "\r\n()")))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("“%s” is not a mailbox name as the server writes it."), mailbox);
      return;
    }

  data = g_bytes_get_data (message, &size);
  cmd = cmd_new ();
  cmd->tag = g_strdup_printf ("A%04u", ++self->next_tag);
  head = g_strdup_printf ("%s APPEND %s%s%s%s {%zu}\r\n", cmd->tag, arg,
                          flags ? " (" : "", flags ? flags : "", flags ? ")" : "", size);
  cmd_add_part (cmd, head, strlen (head), NULL);
  body = g_byte_array_sized_new (size + 2);
  g_byte_array_append (body, (const guint8 *) data, size);
  g_byte_array_append (body, (const guint8 *) "\r\n", 2);
  trace = g_strdup_printf ("<message, %zu bytes>", size);
  g_ptr_array_add (cmd->parts, g_byte_array_free_to_bytes (body));
  g_ptr_array_add (cmd->traces, g_steal_pointer (&trace));

  run_single (self, cmd, cancellable, callback, user_data, ob_imap_client_append_async);
}

gboolean
ob_imap_client_append_finish (ObImapClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(Cmd) cmd = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  cmd = finish_single (self, result, "APPEND", error);
  return cmd != NULL;
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObImapClient *self = OB_IMAP_CLIENT (object);
  g_autoptr(Cmd) cmd = take_cmd (self, result, NULL);

  drop_connection (self);
  op_return_boolean (task);
}

void
ob_imap_client_logout_async (ObImapClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));

  task = op_begin (self, cancellable, callback, user_data, ob_imap_client_logout_async, NULL);
  if (task == NULL)
    return;
  run_cmd (self, cmd_simple (self, "LOGOUT", NULL), cancellable, logout_cb, task);
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
  drop_connection (self);
}

/* Copy to Sent */

static void
sent_step (GTask *task,
           Cmd   *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  switch (op->step++)
    {
    case 0:
      run_cmd (self, cmd_simple (self, list_command (self), NULL), cancellable, op_cmd_cb, task);
      return;

    case 1: /* the mailboxes */
      {
        g_autoptr(GPtrArray) boxes = NULL;
        const ObImapMailbox *sent;
        g_autofree char *arg = NULL;
        g_autofree char *text = NULL;

        if (!cmd_check_ok (self, cmd, "LIST", &error))
          break;
        boxes = mailboxes_from_list (cmd);
        sent = ob_imap_mailboxes_find_special (boxes, "\\Sent");
        if (sent == NULL || (arg = mailbox_argument (sent->name)) == NULL)
          {
            error = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                                 _("No Sent folder was found on %s, so no copy of the message was kept there."),
                                 self->host);
            break;
          }
        op->mailbox = g_strdup (sent->name);
        text = g_strdup_printf ("EXAMINE %s", arg);
        run_cmd (self, cmd_simple (self, text, NULL), cancellable, op_cmd_cb, task);
      }
      return;

    case 2: /* Sent examined: look for the message */
      {
        g_autofree char *quoted = ob_imap_quote_string (op->message_id);
        g_autofree char *text = g_strdup_printf ("UID SEARCH HEADER Message-ID %s", quoted);

        if (!cmd_check_ok (self, cmd, "EXAMINE", &error))
          break;
        run_cmd (self, cmd_simple (self, text, NULL), cancellable, op_cmd_cb, task);
      }
      return;

    case 3: /* found? */
      {
        gboolean found = FALSE;
        g_autofree char *arg = mailbox_argument (op->mailbox);
        g_autofree char *head = NULL;
        Cmd *append;
        gsize size;
        const char *data = g_bytes_get_data (op->message, &size);
        GByteArray *body;

        if (!cmd_check_ok (self, cmd, "SEARCH", &error))
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
            op_return_boolean (task);
            g_object_unref (task);
            return;
          }

        append = cmd_new ();
        append->tag = g_strdup_printf ("A%04u", ++self->next_tag);
        head = g_strdup_printf ("%s APPEND %s (\\Seen) {%zu}\r\n", append->tag, arg, size);
        cmd_add_part (append, head, strlen (head), NULL);
        body = g_byte_array_sized_new (size + 2);
        g_byte_array_append (body, (const guint8 *) data, size);
        g_byte_array_append (body, (const guint8 *) "\r\n", 2);
        g_ptr_array_add (append->parts, g_byte_array_free_to_bytes (body));
        g_ptr_array_add (append->traces, g_strdup_printf ("<message, %zu bytes>", size));
        run_cmd (self, append, cancellable, op_cmd_cb, task);
      }
      return;

    case 4:
    default:
      if (!cmd_check_ok (self, cmd, "APPEND", &error))
        break;
      op->outcome = OB_IMAP_SENT_COPY_APPENDED;
      op_return_boolean (task);
      g_object_unref (task);
      return;
    }

  op_return_error (task, error);
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
  Op *op;
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
  Op *op;

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
  return has_cap (self, up);
}

const char * const *
ob_imap_client_get_capabilities (ObImapClient *self)
{
  static const char *empty[] = { NULL };

  g_return_val_if_fail (OB_IS_IMAP_CLIENT (self), NULL);
  return self->caps ? (const char * const *) self->caps : empty;
}
