/* ob-imap-command.c — ObImapClient's command engine: an ObImapCmd is
 * written part by part (the next part at each "+" continuation, for
 * literals), and its untagged and tagged responses are read back, literals
 * included, up to OB_IMAP_MAX_LINE and OB_IMAP_MAX_LITERAL. On the way it
 * keeps the capabilities and the BYE text the server announces, and drops
 * the connection when a command fails. It is the one place that talks to
 * the wire; the operations in the other ob-imap-*.c files only build
 * commands and read their answers.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-imap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-imap-client.h"
#include "ob-imap-client-private.h"
#include "ob-mail-conn-private.h"

static void
cmd_clear (ObImapCmd *cmd)
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

void
_ob_imap_cmd_free (ObImapCmd *cmd)
{
  g_rc_box_release_full (cmd, (GDestroyNotify) cmd_clear);
}

ObImapCmd *
_ob_imap_cmd_new (void)
{
  ObImapCmd *cmd = g_rc_box_new0 (ObImapCmd);

  cmd->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  cmd->traces = g_ptr_array_new_with_free_func (g_free);
  cmd->untagged = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_response_free);
  cmd->assembling = g_byte_array_new ();
  return cmd;
}

/* Adds a part; @trace replaces it in the trace (NULL: trace it as is). */
void
_ob_imap_cmd_add_part (ObImapCmd  *cmd,
                       const char *data,
                       gsize       len,
                       const char *trace)
{
  g_ptr_array_add (cmd->parts, g_bytes_new (data, len));
  g_ptr_array_add (cmd->traces, g_strdup (trace ? trace : ""));
}

void
_ob_imap_drop_connection (ObImapClient *self)
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

gboolean
_ob_imap_has_cap (ObImapClient *self,
                  const char   *cap)
{
  return self->caps != NULL && g_strv_contains ((const char * const *) self->caps, cap);
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
  _ob_imap_drop_connection (self);
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
  ObImapCmd *cmd = g_task_get_task_data (task);
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
  ObImapCmd *cmd = g_task_get_task_data (task);
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
          g_task_return_pointer (task, g_rc_box_acquire (cmd), (GDestroyNotify) _ob_imap_cmd_free);
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
      g_task_return_pointer (task, g_rc_box_acquire (cmd), (GDestroyNotify) _ob_imap_cmd_free);
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
  ObImapCmd *cmd = g_task_get_task_data (task);
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
  ObImapCmd *cmd = g_task_get_task_data (task);
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
  if (cmd->assembling->len > OB_IMAP_MAX_LINE + OB_IMAP_MAX_LITERAL)
    {
      cmd_fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                   _("%s sent a response that is too large."), self->host));
      g_object_unref (task);
      return;
    }

  if (ob_imap_line_literal_size (line, &literal))
    {
      if (literal > OB_IMAP_MAX_LITERAL)
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
void
_ob_imap_run_cmd (ObImapClient        *self,
                  ObImapCmd           *cmd,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, cmd, (GDestroyNotify) _ob_imap_cmd_free);
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

ObImapCmd *
_ob_imap_run_cmd_finish (ObImapClient  *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A simple command "TAG text\r\n". */
ObImapCmd *
_ob_imap_cmd_simple (ObImapClient *self,
                     const char   *text,
                     const char   *trace_text)
{
  ObImapCmd *cmd = _ob_imap_cmd_new ();
  g_autofree char *line = NULL;
  g_autofree char *trace = NULL;

  cmd->tag = g_strdup_printf ("A%04u", ++self->next_tag);
  line = g_strdup_printf ("%s %s\r\n", cmd->tag, text);
  if (trace_text != NULL)
    trace = g_strdup_printf ("%s %s", cmd->tag, trace_text);
  _ob_imap_cmd_add_part (cmd, line, strlen (line), trace);
  explicit_bzero (line, strlen (line));
  return cmd;
}

/* NO/BAD as an error. */
gboolean
_ob_imap_cmd_check_ok (ObImapClient  *self,
                       ObImapCmd     *cmd,
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
