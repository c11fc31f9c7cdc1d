/* ob-smtp-client.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-smtp"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "ob-mail-conn-private.h"
#include "ob-smtp-client.h"

#define DATA_CHUNK (64 * 1024)

struct _ObSmtpClient
{
  GObject          parent_instance;

  char            *host;
  guint16          port;
  ObMailSecurity   security;
  char            *helo_name;
  ObSmtpTimeouts   timeouts;

  ObMailTrace      trace;

  ObMailConn      *conn;
  ObSmtpReply     *greeting;
  GHashTable      *caps;
  gboolean         authenticated;
  gboolean         needs_rset;   /* a transaction ran on this connection */
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (ObSmtpClient, ob_smtp_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (ObSmtpSendResult, ob_smtp_send_result,
                     ob_smtp_send_result_copy, ob_smtp_send_result_free)

typedef void (*ReplyFunc) (GTask       *task,
                           ObSmtpReply *reply);

typedef struct
{
  char                *username;
  char                *password;
  ObSmtpAuthMechanism  mechanism;
  int                  auth_stage;

  char                *from;
  GStrv                recipients;
  GBytes              *payload;
  gsize                offset;
  char                *mail_params;
  guint                next_rcpt;
  gboolean             pipelined;
  ObSmtpSendResult    *result;
} Job;

typedef struct
{
  GTask             *task;
  ReplyFunc          func;
  ObSmtpReplyParser *parser;
  guint              timeout;
} ReplyWait;

static void
wipe_string (char *s)
{
  if (s != NULL)
    {
      explicit_bzero (s, strlen (s));
      g_free (s);
    }
}

static void
job_free (Job *job)
{
  wipe_string (job->username);
  wipe_string (job->password);
  g_free (job->from);
  g_strfreev (job->recipients);
  g_clear_pointer (&job->payload, g_bytes_unref);
  g_free (job->mail_params);
  g_clear_pointer (&job->result, ob_smtp_send_result_free);
  g_free (job);
}

static void
recipient_result_free (ObSmtpRecipientResult *r)
{
  g_free (r->address);
  g_clear_pointer (&r->reply, ob_smtp_reply_free);
  g_free (r);
}

ObSmtpSendResult *
ob_smtp_send_result_new (void)
{
  ObSmtpSendResult *result = g_new0 (ObSmtpSendResult, 1);

  result->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) recipient_result_free);
  return result;
}

void
ob_smtp_send_result_add_recipient (ObSmtpSendResult *result,
                                   const char       *address,
                                   ObSmtpReply      *reply)
{
  ObSmtpRecipientResult *r = g_new0 (ObSmtpRecipientResult, 1);

  r->address = g_strdup (address);
  r->reply = reply;
  g_ptr_array_add (result->recipients, r);
}

ObSmtpSendResult *
ob_smtp_send_result_copy (const ObSmtpSendResult *result)
{
  ObSmtpSendResult *copy = g_new0 (ObSmtpSendResult, 1);

  copy->mail_reply = ob_smtp_reply_copy (result->mail_reply);
  copy->data_reply = ob_smtp_reply_copy (result->data_reply);
  copy->accepted = result->accepted;
  copy->recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) recipient_result_free);
  for (guint i = 0; i < result->recipients->len; i++)
    {
      const ObSmtpRecipientResult *r = result->recipients->pdata[i];
      ObSmtpRecipientResult *c = g_new0 (ObSmtpRecipientResult, 1);

      c->address = g_strdup (r->address);
      c->reply = ob_smtp_reply_copy (r->reply);
      g_ptr_array_add (copy->recipients, c);
    }
  return copy;
}

void
ob_smtp_send_result_free (ObSmtpSendResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->mail_reply, ob_smtp_reply_free);
  g_clear_pointer (&result->data_reply, ob_smtp_reply_free);
  g_clear_pointer (&result->recipients, g_ptr_array_unref);
  g_free (result);
}

const ObSmtpReply *
ob_smtp_send_result_get_final_reply (const ObSmtpSendResult *result,
                                     guint                   index)
{
  const ObSmtpRecipientResult *r;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (index < result->recipients->len, NULL);

  r = result->recipients->pdata[index];
  if (r->reply == NULL || !ob_smtp_reply_is_positive (r->reply) || result->data_reply == NULL)
    return r->reply;
  return result->data_reply;
}

/* Helpers */

static void
drop_connection (ObSmtpClient *self)
{
  if (self->conn != NULL)
    _ob_mail_conn_close (self->conn);
  g_clear_pointer (&self->caps, g_hash_table_unref);
  self->authenticated = FALSE;
  self->needs_rset = FALSE;
}

/* Ends @task with @error. A broken connection is dropped: its state is unknown. */
static void
fail (GTask  *task,
      GError *error)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  if (error->domain != OB_MAIL_ERROR ||
      error->code == OB_MAIL_ERROR_CLOSED || error->code == OB_MAIL_ERROR_TIMEOUT ||
      error->code == OB_MAIL_ERROR_TLS || error->code == OB_MAIL_ERROR_CONNECT ||
      error->code == OB_MAIL_ERROR_PROTOCOL || error->code == OB_MAIL_ERROR_NO_STARTTLS)
    drop_connection (self);
  self->busy = FALSE;
  g_task_return_error (task, error);
}

static void
succeed_boolean (GTask *task)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
}

/* An error from a reply, in the words the reply calls for. */
static GError *
reply_error (ObSmtpClient      *self,
             const ObSmtpReply *reply,
             const char        *what)
{
  g_autofree char *text = ob_smtp_reply_to_string (reply);

  /* 421: the server is closing the channel (RFC 5321 §3.8). */
  if (reply->code == 421)
    drop_connection (self);
  if (reply->code == 421 || ob_smtp_reply_is_transient (reply))
    return g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_RETRY_LATER,
                        _("%s is busy or limiting you for now (%s: “%s”). Outbound will try again later."),
                        self->host, what, text);
  if (ob_smtp_reply_is_permanent (reply))
    return g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_REJECTED,
                        _("%s refused %s: “%s”"), self->host, what, text);
  return g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                      _("%s answered %s unexpectedly: “%s”"), self->host, what, text);
}

static void read_reply (GTask *task, guint timeout, ReplyFunc func);

static void
reply_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ReplyWait *wait = user_data;
  g_autoptr(GTask) task = wait->task;
  ObSmtpClient *self = g_task_get_source_object (task);
  g_autofree char *line = NULL;
  g_autoptr(ObSmtpReply) reply = NULL;
  GError *error = NULL;
  ReplyFunc func = wait->func;
  guint timeout = wait->timeout;

  line = _ob_mail_conn_read_line_finish (self->conn, result, &error);
  if (line == NULL || !ob_smtp_reply_parser_feed (wait->parser, line, &reply, &error))
    {
      ob_smtp_reply_parser_free (wait->parser);
      g_free (wait);
      fail (task, error);
      return;
    }

  if (reply == NULL)
    {
      wait->task = g_steal_pointer (&task);
      _ob_mail_conn_read_line_async (self->conn, timeout, g_task_get_cancellable (wait->task),
                                     reply_line_cb, wait);
      return;
    }

  ob_smtp_reply_parser_free (wait->parser);
  g_free (wait);
  func (task, reply);
}

static void
read_reply (GTask     *task,
            guint      timeout,
            ReplyFunc  func)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  ReplyWait *wait = g_new0 (ReplyWait, 1);

  wait->task = g_object_ref (task);
  wait->func = func;
  wait->parser = ob_smtp_reply_parser_new ();
  wait->timeout = timeout;
  _ob_mail_conn_read_line_async (self->conn, timeout, g_task_get_cancellable (task),
                                 reply_line_cb, wait);
}

typedef struct
{
  GTask     *task;
  ReplyFunc  func;
  guint      timeout;
} WriteWait;

static void
command_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WriteWait *wait = user_data;
  g_autoptr(GTask) task = wait->task;
  ObSmtpClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  ReplyFunc func = wait->func;
  guint timeout = wait->timeout;

  g_free (wait);
  if (!_ob_mail_conn_write_finish (self->conn, result, &error))
    {
      fail (task, error);
      return;
    }
  if (func != NULL)
    read_reply (task, timeout, func);
}

/* Writes @text (whole lines with CRLF) and then reads one reply for @func
 * (none when @func is NULL). */
static void
send_text (GTask      *task,
           const char *text,
           const char *trace,
           guint       timeout,
           ReplyFunc   func)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  WriteWait *wait = g_new0 (WriteWait, 1);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  wait->task = g_object_ref (task);
  wait->func = func;
  wait->timeout = timeout;
  _ob_mail_conn_write_async (self->conn, bytes, trace, timeout, g_task_get_cancellable (task),
                             command_written_cb, wait);
}

static void
send_command (GTask      *task,
              const char *command,
              const char *trace,
              guint       timeout,
              ReplyFunc   func)
{
  g_autofree char *line = g_strconcat (command, "\r\n", NULL);

  send_text (task, line, trace, timeout, func);
  explicit_bzero (line, strlen (line));
}

static gboolean
start_job (ObSmtpClient *self,
           GTask        *task)
{
  if (self->busy)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL,
                               _("The SMTP connection is busy with another operation."));
      return FALSE;
    }
  self->busy = TRUE;
  return TRUE;
}

static gboolean
require_connection (ObSmtpClient *self,
                    GTask        *task)
{
  if (self->conn == NULL || !_ob_mail_conn_is_connected (self->conn) || self->caps == NULL)
    {
      self->busy = FALSE;
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_CLOSED,
                               _("Not connected to %s."), self->host);
      return FALSE;
    }
  return TRUE;
}

/* Connect */

static void ehlo_cb (GTask *task, ObSmtpReply *reply);

static void
send_ehlo (GTask *task)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  g_autofree char *literal = NULL;
  g_autofree char *line = NULL;

  /* RFC 5321 §4.1.4: a name or an address literal. Without a name we know
   * to be ours, the literal of our end of the connection. */
  if (self->helo_name == NULL)
    literal = _ob_mail_conn_dup_local_literal (self->conn);
  line = g_strdup_printf ("EHLO %s", self->helo_name ? self->helo_name : literal ? literal : "[127.0.0.1]");

  send_command (task, line, NULL, self->timeouts.command, ehlo_cb);
}

static void
starttls_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObSmtpClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!_ob_mail_conn_starttls_finish (self->conn, result, &error))
    {
      fail (task, error);
      return;
    }
  /* RFC 3207: forget everything learnt before TLS and ask again. */
  g_clear_pointer (&self->caps, g_hash_table_unref);
  send_ehlo (task);
}

static void
starttls_cb (GTask       *task,
             ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  if (reply->code != 220)
    {
      g_autofree char *text = ob_smtp_reply_to_string (reply);

      fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                               _("%s refused to start a secure connection (“%s”), so Outbound sent no password. Try port 465 with TLS."),
                               self->host, text));
      return;
    }
  _ob_mail_conn_starttls_async (self->conn, self->timeouts.connect, g_task_get_cancellable (task),
                                starttls_done_cb, g_object_ref (task));
}

static void
ehlo_cb (GTask       *task,
         ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  if (reply->code != 250)
    {
      fail (task, reply_error (self, reply, "EHLO"));
      return;
    }

  g_clear_pointer (&self->caps, g_hash_table_unref);
  self->caps = ob_smtp_reply_parse_ehlo (reply);

  if (!_ob_mail_conn_is_tls (self->conn))
    {
      if (!g_hash_table_contains (self->caps, "STARTTLS"))
        {
          fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                   _("%s does not offer a secure connection (STARTTLS), so Outbound sent no password and no mail. Use port 465 with TLS, or ask your mail provider for the secure settings."),
                                   self->host));
          return;
        }
      send_command (task, "STARTTLS", NULL, self->timeouts.command, starttls_cb);
      return;
    }

  succeed_boolean (task);
}

static void
greeting_cb (GTask       *task,
             ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  g_clear_pointer (&self->greeting, ob_smtp_reply_free);
  self->greeting = ob_smtp_reply_copy (reply);

  if (reply->code != 220)
    {
      fail (task, reply_error (self, reply, _("the connection")));
      return;
    }
  send_ehlo (task);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObSmtpClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!_ob_mail_conn_connect_finish (self->conn, result, &error))
    {
      fail (task, error);
      return;
    }
  read_reply (task, self->timeouts.greeting, greeting_cb);
}

/* Authenticate */

static void
auth_result_cb (GTask       *task,
                ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  g_autofree char *text = ob_smtp_reply_to_string (reply);

  if (reply->code == 235)
    {
      self->authenticated = TRUE;
      succeed_boolean (task);
      return;
    }
  if (ob_smtp_reply_is_transient (reply))
    {
      fail (task, reply_error (self, reply, _("the login")));
      return;
    }
  fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_AUTH,
                           _("%s refused the user name or password (“%s”). Check them; many providers want an authorisation code (授权码) or app password instead of the normal password."),
                           self->host, text));
}

static void
auth_login_cb (GTask       *task,
               ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *encoded = NULL;

  if (reply->code != 334)
    {
      auth_result_cb (task, reply);
      return;
    }

  if (job->auth_stage == 0)
    {
      encoded = g_base64_encode ((const guchar *) job->username, strlen (job->username));
      job->auth_stage = 1;
      send_command (task, encoded, "<redacted user name>", self->timeouts.command, auth_login_cb);
    }
  else if (job->auth_stage == 1)
    {
      encoded = g_base64_encode ((const guchar *) job->password, strlen (job->password));
      job->auth_stage = 2;
      send_command (task, encoded, "<redacted password>", self->timeouts.command, auth_result_cb);
    }
  if (encoded != NULL)
    explicit_bzero (encoded, strlen (encoded));
}

static gboolean
mechanism_offered (const char *mechs,
                   const char *mech)
{
  g_auto(GStrv) list = g_strsplit (mechs ? mechs : "", " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (list[i], mech) == 0)
      return TRUE;
  return FALSE;
}

/* Connect */

static void
ob_smtp_client_finalize (GObject *object)
{
  ObSmtpClient *self = OB_SMTP_CLIENT (object);

  g_clear_pointer (&self->conn, _ob_mail_conn_free);
  g_clear_pointer (&self->greeting, ob_smtp_reply_free);
  g_clear_pointer (&self->caps, g_hash_table_unref);
  _ob_mail_trace_clear (&self->trace);
  g_free (self->host);
  g_free (self->helo_name);

  G_OBJECT_CLASS (ob_smtp_client_parent_class)->finalize (object);
}

static void
ob_smtp_client_class_init (ObSmtpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_smtp_client_finalize;
}

static void
ob_smtp_client_init (ObSmtpClient *self)
{
  self->timeouts.connect = 60 * 1000;
  self->timeouts.greeting = 5 * 60 * 1000;
  self->timeouts.command = 5 * 60 * 1000;
  self->timeouts.mail = 5 * 60 * 1000;
  self->timeouts.rcpt = 5 * 60 * 1000;
  self->timeouts.data_init = 2 * 60 * 1000;
  self->timeouts.data_block = 3 * 60 * 1000;
  self->timeouts.data_term = 10 * 60 * 1000;
}

ObSmtpClient *
ob_smtp_client_new (const char     *host,
                    guint16         port,
                    ObMailSecurity  security)
{
  ObSmtpClient *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (security == OB_MAIL_SECURITY_TLS || security == OB_MAIL_SECURITY_STARTTLS, NULL);

  self = g_object_new (OB_TYPE_SMTP_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  self->conn = _ob_mail_conn_new (host, port, NULL, "ob-smtp");
  _ob_mail_conn_set_trace (self->conn, _ob_mail_trace_cb, &self->trace);
  _ob_mail_conn_set_max_line (self->conn, 4096);
  return self;
}

void
ob_smtp_client_set_ca_file (ObSmtpClient *self,
                            const char   *ca_file)
{
  g_return_if_fail (OB_IS_SMTP_CLIENT (self));

  _ob_mail_conn_free (self->conn);
  self->conn = _ob_mail_conn_new (self->host, self->port, ca_file, "ob-smtp");
  _ob_mail_conn_set_trace (self->conn, _ob_mail_trace_cb, &self->trace);
  _ob_mail_conn_set_max_line (self->conn, 4096);
}

void
ob_smtp_client_set_helo_name (ObSmtpClient *self,
                              const char   *name)
{
  g_return_if_fail (OB_IS_SMTP_CLIENT (self));
  g_return_if_fail (name != NULL && *name != '\0');

  g_free (self->helo_name);
  self->helo_name = g_strdup (name);
}

void
ob_smtp_client_get_timeouts (ObSmtpClient   *self,
                             ObSmtpTimeouts *timeouts)
{
  g_return_if_fail (OB_IS_SMTP_CLIENT (self));
  *timeouts = self->timeouts;
}

void
ob_smtp_client_set_timeouts (ObSmtpClient         *self,
                             const ObSmtpTimeouts *timeouts)
{
  g_return_if_fail (OB_IS_SMTP_CLIENT (self));
  self->timeouts = *timeouts;
}

void
ob_smtp_client_set_trace_func (ObSmtpClient    *self,
                               ObMailTraceFunc  func,
                               gpointer         user_data,
                               GDestroyNotify   destroy)
{
  g_return_if_fail (OB_IS_SMTP_CLIENT (self));

  _ob_mail_trace_set (&self->trace, func, user_data, destroy);
}

void
ob_smtp_client_connect_async (ObSmtpClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SMTP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_smtp_client_connect_async);
  g_task_set_task_data (task, g_new0 (Job, 1), (GDestroyNotify) job_free);
  if (!start_job (self, task))
    return;

  drop_connection (self);
  g_clear_pointer (&self->greeting, ob_smtp_reply_free);
  _ob_mail_conn_connect_async (self->conn, self->security == OB_MAIL_SECURITY_TLS,
                               self->timeouts.connect, cancellable, connected_cb,
                               g_object_ref (task));
}

gboolean
ob_smtp_client_connect_finish (ObSmtpClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ob_smtp_client_authenticate_async (ObSmtpClient        *self,
                                   ObSmtpAuthMechanism  mechanism,
                                   const char          *username,
                                   const char          *password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;
  const char *mechs;

  g_return_if_fail (OB_IS_SMTP_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_smtp_client_authenticate_async);
  job = g_new0 (Job, 1);
  job->username = g_strdup (username);
  job->password = g_strdup (password);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (!start_job (self, task) || !require_connection (self, task))
    return;

  /* Never a password over an unencrypted connection. */
  if (!_ob_mail_conn_is_tls (self->conn))
    {
      fail (g_object_ref (task), g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_NO_STARTTLS,
                                              _("The connection to %s is not encrypted, so Outbound will not send the password."),
                                              self->host));
      g_object_unref (task);
      return;
    }

  mechs = g_hash_table_lookup (self->caps, "AUTH");
  if (mechanism == OB_SMTP_AUTH_AUTO)
    {
      if (mechanism_offered (mechs, "PLAIN"))
        mechanism = OB_SMTP_AUTH_PLAIN;
      else if (mechanism_offered (mechs, "LOGIN"))
        mechanism = OB_SMTP_AUTH_LOGIN;
      else
        {
          self->busy = FALSE;
          g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
                                   mechs ? _("%s offers no login method Outbound knows (it offers: %s). The provider may require OAuth sign-in.")
                                         : _("%s does not offer a login (no AUTH). Check the server name and port: sending usually needs port 465 or 587."),
                                   self->host, mechs);
          return;
        }
    }

  job->mechanism = mechanism;
  switch (mechanism)
    {
    case OB_SMTP_AUTH_PLAIN:
      {
        gsize ulen = strlen (username), plen = strlen (password);
        g_autofree guchar *raw = g_malloc (ulen + plen + 2);
        g_autofree char *encoded = NULL;
        g_autofree char *line = NULL;

        raw[0] = '\0';
        memcpy (raw + 1, username, ulen);
        raw[ulen + 1] = '\0';
        memcpy (raw + ulen + 2, password, plen);
        encoded = g_base64_encode (raw, ulen + plen + 2);
        explicit_bzero (raw, ulen + plen + 2);
        line = g_strconcat ("AUTH PLAIN ", encoded, NULL);
        explicit_bzero (encoded, strlen (encoded));
        send_command (task, line, "AUTH PLAIN <redacted>", self->timeouts.command, auth_result_cb);
        explicit_bzero (line, strlen (line));
      }
      break;

    case OB_SMTP_AUTH_LOGIN:
      job->auth_stage = 0;
      send_command (task, "AUTH LOGIN", NULL, self->timeouts.command, auth_login_cb);
      break;

    case OB_SMTP_AUTH_XOAUTH2:
    case OB_SMTP_AUTH_AUTO:
    default:
      self->busy = FALSE;
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
                               _("OAuth sign-in is not available in this version of Outbound. Use an app password or authorisation code if the provider allows one."));
      break;
    }
}

gboolean
ob_smtp_client_authenticate_finish (ObSmtpClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Send */

GBytes *
ob_smtp_dot_stuff (GBytes *message)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);
  GByteArray *out = g_byte_array_sized_new (len + len / 50 + 8);
  gboolean line_start = TRUE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (line_start && c == '.')
        g_byte_array_append (out, (const guint8 *) ".", 1);
      if (c == '\r')
        {
          /* CR LF, or a bare CR: both become CRLF. */
          g_byte_array_append (out, (const guint8 *) "\r\n", 2);
          if (i + 1 < len && data[i + 1] == '\n')
            i++;
          line_start = TRUE;
          continue;
        }
      if (c == '\n')
        {
          g_byte_array_append (out, (const guint8 *) "\r\n", 2);
          line_start = TRUE;
          continue;
        }
      g_byte_array_append (out, (const guint8 *) &c, 1);
      line_start = FALSE;
    }

  if (!line_start)
    g_byte_array_append (out, (const guint8 *) "\r\n", 2);
  g_byte_array_append (out, (const guint8 *) ".\r\n", 3);

  return g_byte_array_free_to_bytes (out);
}

static gboolean
address_ok (const char *address,
            gboolean   *non_ascii)
{
  if (address == NULL)
    return FALSE;
  for (const char *p = address; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == ' ')
        return FALSE;
      if ((guchar) *p >= 0x80)
        *non_ascii = TRUE;
    }
  return g_utf8_validate (address, -1, NULL);
}

static void final_reply_cb (GTask *task, ObSmtpReply *reply);

static void
finish_send (GTask *task)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  self->busy = FALSE;
  g_task_return_pointer (task, g_steal_pointer (&job->result),
                         (GDestroyNotify) ob_smtp_send_result_free);
}

static void
data_chunk_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObSmtpClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  gsize total = g_bytes_get_size (job->payload);
  g_autoptr(GBytes) chunk = NULL;
  gsize n;

  if (result != NULL && !_ob_mail_conn_write_finish (self->conn, result, &error))
    {
      fail (task, error);
      return;
    }

  if (job->offset >= total)
    {
      read_reply (task, self->timeouts.data_term, final_reply_cb);
      return;
    }

  n = MIN (DATA_CHUNK, total - job->offset);
  chunk = g_bytes_new_from_bytes (job->payload, job->offset, n);
  job->offset += n;
  {
    g_autofree char *note = job->offset >= total
      ? g_strdup_printf ("<message, %zu bytes>", total) : g_strdup ("");

    GCancellable *cancellable = g_task_get_cancellable (task);

    _ob_mail_conn_write_async (self->conn, chunk, job->offset >= total ? note : "",
                               self->timeouts.data_block, cancellable,
                               data_chunk_written_cb, g_steal_pointer (&task));
  }
}

static void
final_reply_cb (GTask       *task,
                ObSmtpReply *reply)
{
  Job *job = g_task_get_task_data (task);

  job->result->data_reply = ob_smtp_reply_copy (reply);
  job->result->accepted = reply->code == 250;
  finish_send (task);
}

static void
data_cb (GTask       *task,
         ObSmtpReply *reply)
{
  Job *job = g_task_get_task_data (task);

  if (reply->code != 354)
    {
      job->result->data_reply = ob_smtp_reply_copy (reply);
      job->result->accepted = FALSE;
      finish_send (task);
      return;
    }
  job->offset = 0;
  data_chunk_written_cb (NULL, NULL, g_object_ref (task));
}

static void
after_recipients (GTask *task)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  gboolean any = FALSE;

  if (!ob_smtp_reply_is_positive (job->result->mail_reply))
    {
      g_autofree char *what = g_strdup_printf (_("the sender %s"), job->from);

      fail (task, reply_error (self, job->result->mail_reply, what));
      return;
    }

  for (guint i = 0; i < job->result->recipients->len; i++)
    {
      ObSmtpRecipientResult *r = job->result->recipients->pdata[i];

      if (r->reply != NULL && ob_smtp_reply_is_positive (r->reply))
        any = TRUE;
    }

  if (!any)
    {
      finish_send (task);
      return;
    }

  send_command (task, "DATA", NULL, self->timeouts.data_init, data_cb);
}

static void
rcpt_reply_cb (GTask       *task,
               ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  ObSmtpRecipientResult *r;

  if (job->result->mail_reply == NULL)
    job->result->mail_reply = ob_smtp_reply_copy (reply);
  else
    {
      r = job->result->recipients->pdata[job->next_rcpt++];
      r->reply = ob_smtp_reply_copy (reply);
    }

  if (job->next_rcpt >= job->result->recipients->len)
    {
      after_recipients (task);
      return;
    }

  if (job->pipelined)
    read_reply (task, self->timeouts.rcpt, rcpt_reply_cb);
  else if (!ob_smtp_reply_is_positive (job->result->mail_reply))
    after_recipients (task);
  else
    {
      g_autofree char *line = NULL;

      r = job->result->recipients->pdata[job->next_rcpt];
      line = g_strdup_printf ("RCPT TO:<%s>", r->address);
      send_command (task, line, NULL, self->timeouts.rcpt, rcpt_reply_cb);
    }
}

static void
start_transaction (GTask *task)
{
  ObSmtpClient *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<%s>%s", job->from, job->mail_params);

  self->needs_rset = TRUE;
  job->pipelined = g_hash_table_contains (self->caps, "PIPELINING");

  if (job->pipelined)
    {
      /* RFC 2920: MAIL and every RCPT in one write, the replies in order. */
      GString *batch = g_string_new (mail);

      g_string_append (batch, "\r\n");
      for (guint i = 0; job->recipients[i] != NULL; i++)
        g_string_append_printf (batch, "RCPT TO:<%s>\r\n", job->recipients[i]);
      send_text (task, batch->str, NULL, self->timeouts.mail, rcpt_reply_cb);
      g_string_free (batch, TRUE);
    }
  else
    send_command (task, mail, NULL, self->timeouts.mail, rcpt_reply_cb);
}

static void
rset_cb (GTask       *task,
         ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  if (reply->code != 250)
    {
      fail (task, reply_error (self, reply, "RSET"));
      return;
    }
  start_transaction (task);
}

void
ob_smtp_client_send_async (ObSmtpClient        *self,
                           const char          *from,
                           const char * const  *recipients,
                           GBytes              *message,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;
  gboolean utf8 = FALSE;
  gboolean eight_bit = FALSE;
  gsize size;
  const guint8 *data;
  GString *params;
  guint64 limit;

  g_return_if_fail (OB_IS_SMTP_CLIENT (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_smtp_client_send_async);
  job = g_new0 (Job, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  if (!address_ok (from, &utf8))
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("“%s” is not a sender address that can be sent."), from ? from : "");
      return;
    }
  if (recipients == NULL || recipients[0] == NULL)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("The message has no recipient."));
      return;
    }
  for (guint i = 0; recipients[i] != NULL; i++)
    if (!address_ok (recipients[i], &utf8))
      {
        g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                                 _("“%s” is not a recipient address that can be sent."), recipients[i]);
        return;
      }

  if (!start_job (self, task) || !require_connection (self, task))
    return;

  if (!self->authenticated && g_hash_table_contains (self->caps, "AUTH"))
    g_debug ("Sending without AUTH although %s offers it", self->host);

  data = g_bytes_get_data (message, &size);
  for (gsize i = 0; i < size && !eight_bit; i++)
    if (data[i] >= 0x80)
      eight_bit = TRUE;

  limit = ob_smtp_client_get_size_limit (self);
  if (limit > 0 && size > limit)
    {
      g_autofree char *have = g_format_size (size);
      g_autofree char *most = g_format_size (limit);

      self->busy = FALSE;
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_REJECTED,
                               _("The message is %s but %s takes at most %s. Make the attachments smaller."),
                               have, self->host, most);
      return;
    }
  if (utf8 && !g_hash_table_contains (self->caps, "SMTPUTF8"))
    {
      self->busy = FALSE;
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED,
                               _("%s cannot send to or from addresses with non-Latin characters (no SMTPUTF8)."),
                               self->host);
      return;
    }

  params = g_string_new (NULL);
  if (g_hash_table_contains (self->caps, "SIZE"))
    g_string_append_printf (params, " SIZE=%" G_GSIZE_FORMAT, size);
  if (eight_bit && g_hash_table_contains (self->caps, "8BITMIME"))
    g_string_append (params, " BODY=8BITMIME");
  if (utf8)
    g_string_append (params, " SMTPUTF8");

  job->mail_params = g_string_free (params, FALSE);
  job->from = g_strdup (from);
  job->recipients = g_strdupv ((char **) recipients);
  job->payload = ob_smtp_dot_stuff (message);
  job->result = ob_smtp_send_result_new ();
  for (guint i = 0; recipients[i] != NULL; i++)
    ob_smtp_send_result_add_recipient (job->result, recipients[i], NULL);

  /* A connection that already carried a transaction starts clean. */
  if (self->needs_rset)
    send_command (task, "RSET", NULL, self->timeouts.command, rset_cb);
  else
    start_transaction (task);
}

ObSmtpSendResult *
ob_smtp_client_send_finish (ObSmtpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
quit_cb (GTask       *task,
         ObSmtpReply *reply)
{
  ObSmtpClient *self = g_task_get_source_object (task);

  drop_connection (self);
  succeed_boolean (task);
}

void
ob_smtp_client_quit_async (ObSmtpClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SMTP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_smtp_client_quit_async);
  g_task_set_task_data (task, g_new0 (Job, 1), (GDestroyNotify) job_free);
  if (!start_job (self, task))
    return;
  if (self->conn == NULL || !_ob_mail_conn_is_connected (self->conn))
    {
      succeed_boolean (task);
      return;
    }
  send_command (task, "QUIT", NULL, self->timeouts.command, quit_cb);
}

gboolean
ob_smtp_client_quit_finish (ObSmtpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ob_smtp_client_close (ObSmtpClient *self)
{
  g_return_if_fail (OB_IS_SMTP_CLIENT (self));
  drop_connection (self);
}

gboolean
ob_smtp_client_is_connected (ObSmtpClient *self)
{
  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), FALSE);
  return self->conn != NULL && _ob_mail_conn_is_connected (self->conn) && self->caps != NULL;
}

gboolean
ob_smtp_client_is_authenticated (ObSmtpClient *self)
{
  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), FALSE);
  return self->authenticated;
}

gboolean
ob_smtp_client_is_tls (ObSmtpClient *self)
{
  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), FALSE);
  return self->conn != NULL && _ob_mail_conn_is_tls (self->conn);
}

const ObMailTlsInfo *
ob_smtp_client_get_tls_info (ObSmtpClient *self)
{
  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), NULL);
  return _ob_mail_conn_get_tls_info (self->conn);
}

const ObSmtpReply *
ob_smtp_client_get_greeting (ObSmtpClient *self)
{
  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), NULL);
  return self->greeting;
}

const char *
ob_smtp_client_get_capability (ObSmtpClient *self,
                               const char   *keyword)
{
  g_autofree char *up = NULL;

  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), NULL);
  if (self->caps == NULL)
    return NULL;
  up = g_ascii_strup (keyword, -1);
  return g_hash_table_lookup (self->caps, up);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GStrv
ob_smtp_client_dup_capabilities (ObSmtpClient *self)
{
  g_autofree const char **keys = NULL;
  GStrv out;
  guint n = 0;

  g_return_val_if_fail (OB_IS_SMTP_CLIENT (self), NULL);
  if (self->caps == NULL)
    return g_new0 (char *, 1);
  keys = (const char **) g_hash_table_get_keys_as_array (self->caps, &n);
  out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (keys[i]);
  qsort (out, n, sizeof (char *), compare_strings);
  return out;
}

guint64
ob_smtp_client_get_size_limit (ObSmtpClient *self)
{
  const char *size = ob_smtp_client_get_capability (self, "SIZE");

  if (size == NULL || *size == '\0')
    return 0;
  return g_ascii_strtoull (size, NULL, 10);
}
