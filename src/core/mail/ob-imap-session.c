/* ob-imap-session.c — how an ObImapClient gets a session: connect (TLS or
 * required STARTTLS, the greeting, capabilities asked again once TLS is
 * up) and log in (LOGIN or AUTHENTICATE PLAIN, never over a plain
 * connection, then ID where the server offers it). Kept apart from the
 * operations on mailboxes because this is where passwords are handled:
 * every part that holds one is redacted in the trace and wiped.
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

/* Connect */

static void connect_step (GTask *task, ObImapCmd *cmd);

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
      _ob_imap_drop_connection (self);
      _ob_imap_op_return_error (task, error);
      return;
    }
  connect_step (g_steal_pointer (&task), NULL);
}

static void
connect_step (GTask     *task,
              ObImapCmd *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  ObImapOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  switch (op->step++)
    {
    case 0: /* connected: read the greeting */
      {
        ObImapCmd *greeting = _ob_imap_cmd_new ();

        greeting->greeting = TRUE;
        _ob_imap_run_cmd (self, greeting, cancellable, _ob_imap_op_cmd_cb, task);
      }
      return;

    case 1: /* the greeting */
      if (ob_imap_response_is (cmd->tagged, "BYE"))
        {
          _ob_imap_drop_connection (self);
          _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_RETRY_LATER,
                                                       _("%s refused the connection: “%s”. Try again later."),
                                                       self->host, cmd->tagged->text));
          g_object_unref (task);
          return;
        }
      if (!ob_imap_response_is (cmd->tagged, "OK") && !ob_imap_response_is (cmd->tagged, "PREAUTH"))
        {
          _ob_imap_drop_connection (self);
          _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                                                       _("%s did not greet like an IMAP server."), self->host));
          g_object_unref (task);
          return;
        }
      if (self->caps == NULL)
        {
          _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, "CAPABILITY", NULL),
                            cancellable, _ob_imap_op_cmd_cb, task);
          return;
        }
      connect_step (task, cmd);
      return;

    case 2: /* capabilities known */
      if (cmd != NULL && cmd->tagged != NULL && !cmd->greeting && !_ob_imap_cmd_check_ok (self, cmd, "CAPABILITY", &error))
        {
          _ob_imap_drop_connection (self);
          _ob_imap_op_return_error (task, error);
          g_object_unref (task);
          return;
        }
      if (!_ob_mail_conn_is_tls (self->conn))
        {
          if (!_ob_imap_has_cap (self, "STARTTLS"))
            {
              _ob_imap_drop_connection (self);
              _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                                           _("%s does not offer a secure connection (STARTTLS), so Outbound sent no password. Use port 993 with TLS, or ask your mail provider for the secure settings."),
                                                           self->host));
              g_object_unref (task);
              return;
            }
          _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, "STARTTLS", NULL), cancellable, _ob_imap_op_cmd_cb, task);
          return;
        }
      _ob_imap_op_return_boolean (task);
      g_object_unref (task);
      return;

    case 3: /* STARTTLS answered */
      if (!ob_imap_response_is (cmd->tagged, "OK"))
        {
          _ob_imap_drop_connection (self);
          _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                                       _("%s refused to start a secure connection, so Outbound sent no password."),
                                                       self->host));
          g_object_unref (task);
          return;
        }
      _ob_mail_conn_starttls_async (self->conn, self->timeout_ms, cancellable, connect_tls_cb, task);
      return;

    case 4: /* TLS is up: capabilities again, never trusting those from before */
      g_clear_pointer (&self->caps, g_strfreev);
      _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, "CAPABILITY", NULL), cancellable, _ob_imap_op_cmd_cb, task);
      return;

    case 5:
    default:
      if (!_ob_imap_cmd_check_ok (self, cmd, "CAPABILITY", &error))
        {
          _ob_imap_drop_connection (self);
          _ob_imap_op_return_error (task, error);
        }
      else
        _ob_imap_op_return_boolean (task);
      g_object_unref (task);
      return;
    }
}

void
ob_imap_client_connect_async (ObImapClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));

  task = _ob_imap_op_begin (self, cancellable, callback, user_data, ob_imap_client_connect_async, connect_step);
  if (task == NULL)
    return;
  _ob_imap_drop_connection (self);
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

/* Login */

static ObImapCmd *
login_command (ObImapClient *self,
               ObImapOp     *op)
{
  ObImapCmd *cmd = _ob_imap_cmd_new ();
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

      if (_ob_imap_has_cap (self, "SASL-IR"))
        {
          line = g_strdup_printf ("%s AUTHENTICATE PLAIN %s\r\n", cmd->tag, encoded);
          _ob_imap_cmd_add_part (cmd, line, strlen (line), trace);
        }
      else
        {
          g_autofree char *first = g_strdup_printf ("%s AUTHENTICATE PLAIN\r\n", cmd->tag);

          _ob_imap_cmd_add_part (cmd, first, strlen (first), NULL);
          line = g_strdup_printf ("%s\r\n", encoded);
          _ob_imap_cmd_add_part (cmd, line, strlen (line), "<redacted>");
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
        _ob_imap_cmd_add_part (cmd, head, strlen (head), NULL);
        g_free (head);
        head = g_strdup (op->username);
      }
    else
      head = g_strdup_printf ("%s LOGIN %s", cmd->tag, user);

    trace = g_strdup_printf ("%s <redacted>", user ? head : "");
    if (pass != NULL)
      {
        g_autofree char *line = g_strdup_printf ("%s %s\r\n", head, pass);

        _ob_imap_cmd_add_part (cmd, line, strlen (line), trace);
        explicit_bzero (line, strlen (line));
        explicit_bzero (pass, strlen (pass));
      }
    else
      {
        g_autofree char *line = g_strdup_printf ("%s {%zu}\r\n", head, strlen (op->password));
        g_autofree char *tail = g_strdup_printf ("%s\r\n", op->password);
        g_autofree char *line_trace = g_strdup_printf ("%s {%zu}", head, strlen (op->password));

        _ob_imap_cmd_add_part (cmd, line, strlen (line), line_trace);
        _ob_imap_cmd_add_part (cmd, tail, strlen (tail), "<redacted>");
        explicit_bzero (tail, strlen (tail));
      }
  }
  return cmd;
}

static void
login_step (GTask     *task,
            ObImapCmd *cmd)
{
  ObImapClient *self = g_task_get_source_object (task);
  ObImapOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  switch (op->step++)
    {
    case 0:
      _ob_imap_run_cmd (self, login_command (self, op), cancellable, _ob_imap_op_cmd_cb, task);
      return;

    case 1: /* the login's answer */
      if (!ob_imap_response_is (cmd->tagged, "OK"))
        {
          const char *code = cmd->tagged->code;
          gboolean temporary = code != NULL && (g_ascii_strncasecmp (code, "UNAVAILABLE", 11) == 0 ||
                                                g_ascii_strncasecmp (code, "INUSE", 5) == 0);

          _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR,
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
          _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, "CAPABILITY", NULL),
                            cancellable, _ob_imap_op_cmd_cb, task);
          return;
        }
      login_step (task, cmd);
      return;

    case 2:
      if (_ob_imap_has_cap (self, "ID"))
        {
          _ob_imap_run_cmd (self, _ob_imap_cmd_simple (self, "ID (\"name\" \"Outbound\" \"version\" \"" PACKAGE_VERSION "\" \"vendor\" \"Outbound\")", NULL),
                            cancellable, _ob_imap_op_cmd_cb, task);
          return;
        }
      op->step++;
      G_GNUC_FALLTHROUGH;

    case 3:
    default:
      /* A refused ID is no reason to fail: only some servers need it. */
      _ob_imap_op_return_boolean (task);
      g_object_unref (task);
      return;
    }
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
  ObImapOp *op;

  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (username != NULL && password != NULL);

  task = _ob_imap_op_begin (self, cancellable, callback, user_data, ob_imap_client_login_async, login_step);
  if (task == NULL)
    return;
  op = g_task_get_task_data (task);
  op->username = g_strdup (username);
  op->password = g_strdup (password);

  if (self->conn == NULL || !_ob_mail_conn_is_connected (self->conn) || !_ob_mail_conn_is_tls (self->conn))
    {
      _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                                   _("The connection to %s is not encrypted, so Outbound will not send the password."),
                                                   self->host));
      g_object_unref (task);
      return;
    }

  if (mechanism == OB_IMAP_AUTH_AUTO)
    mechanism = _ob_imap_has_cap (self, "AUTH=PLAIN") ? OB_IMAP_AUTH_PLAIN : OB_IMAP_AUTH_LOGIN;
  if (mechanism == OB_IMAP_AUTH_LOGIN && _ob_imap_has_cap (self, "LOGINDISABLED"))
    {
      _ob_imap_op_return_error (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
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
