/* ob-mail-sender.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ob-mail-conn-private.h"
#include "ob-mail-sender.h"
#include "ob-provider.h"

struct _ObMailSender
{
  GObject          parent_instance;

  ObAccount       *account;
  char            *password;
  ObSmtpClient    *client;
  ObImapClient    *imap;
  gboolean         imap_ready;   /* connected and logged in */
  ObSmtpTimeouts   timeouts;
  gboolean         have_timeouts;
  ObMailTrace      trace;
  char            *last_file;
  guint            counter;
};

G_DEFINE_FINAL_TYPE (ObMailSender, ob_mail_sender, G_TYPE_OBJECT)

typedef struct
{
  GStrv   recipients;
  GBytes *message;
} SendData;

static void
send_data_free (SendData *d)
{
  g_strfreev (d->recipients);
  g_bytes_unref (d->message);
  g_free (d);
}

static void
ob_mail_sender_finalize (GObject *object)
{
  ObMailSender *self = OB_MAIL_SENDER (object);

  if (self->client != NULL)
    ob_smtp_client_close (self->client);
  g_clear_object (&self->client);
  if (self->imap != NULL)
    ob_imap_client_close (self->imap);
  g_clear_object (&self->imap);
  g_clear_object (&self->account);
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_free (self->password);
  _ob_mail_trace_clear (&self->trace);
  g_free (self->last_file);

  G_OBJECT_CLASS (ob_mail_sender_parent_class)->finalize (object);
}

static void
ob_mail_sender_class_init (ObMailSenderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_mail_sender_finalize;
}

static void
ob_mail_sender_init (ObMailSender *self)
{
}

ObMailSender *
ob_mail_sender_new (ObAccount  *account,
                    const char *password)
{
  ObMailSender *self;

  g_return_val_if_fail (OB_IS_ACCOUNT (account), NULL);

  self = g_object_new (OB_TYPE_MAIL_SENDER, NULL);
  self->account = g_object_ref (account);
  self->password = g_strdup (password);
  return self;
}

ObAccount *
ob_mail_sender_get_account (ObMailSender *self)
{
  g_return_val_if_fail (OB_IS_MAIL_SENDER (self), NULL);
  return self->account;
}

void
ob_mail_sender_set_trace_func (ObMailSender    *self,
                               ObMailTraceFunc  func,
                               gpointer         user_data,
                               GDestroyNotify   destroy)
{
  g_return_if_fail (OB_IS_MAIL_SENDER (self));

  _ob_mail_trace_set (&self->trace, func, user_data, destroy);
}

void
ob_mail_sender_set_timeouts (ObMailSender         *self,
                             const ObSmtpTimeouts *timeouts)
{
  g_return_if_fail (OB_IS_MAIL_SENDER (self));

  self->timeouts = *timeouts;
  self->have_timeouts = TRUE;
  if (self->client != NULL)
    ob_smtp_client_set_timeouts (self->client, timeouts);
}

const char *
ob_mail_sender_get_last_file (ObMailSender *self)
{
  g_return_val_if_fail (OB_IS_MAIL_SENDER (self), NULL);
  return self->last_file;
}

/* Dry run: the message goes to a file, with the envelope in front. */
static ObSmtpSendResult *
write_dry_run (ObMailSender        *self,
               const char * const  *recipients,
               GBytes              *message,
               GError             **error)
{
  const char *dir = ob_account_get_dry_run_dir (self->account);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *rcpts = g_strjoinv (", ", (char **) recipients);
  g_autofree char *text = NULL;
  g_autoptr(GString) contents = NULL;
  ObSmtpSendResult *result;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (dir == NULL || g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("The dry-run folder “%s” could not be created: %s"),
                   dir ? dir : "", g_strerror (saved));
      return NULL;
    }

  name = g_strdup_printf ("%s-%06u-%08x.eml", stamp, ++self->counter, g_random_int ());
  path = g_build_filename (dir, name, NULL);
  contents = g_string_sized_new (size + 200);
  g_string_append_printf (contents, "X-Outbound-Dry-Run: from <%s> to %s\r\n",
                          ob_account_get_email (self->account), rcpts);
  g_string_append_len (contents, data, size);
  if (!g_file_set_contents_full (path, contents->str, contents->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  g_free (self->last_file);
  self->last_file = g_strdup (path);

  result = ob_smtp_send_result_new ();
  result->mail_reply = ob_smtp_reply_new (250, "2.1.0", "OK");
  text = g_strdup_printf ("Written to %s", path);
  for (guint i = 0; recipients[i] != NULL; i++)
    ob_smtp_send_result_add_recipient (result, recipients[i], ob_smtp_reply_new (250, "2.1.5", "OK"));
  result->data_reply = ob_smtp_reply_new (250, "2.0.0", text);
  result->accepted = TRUE;
  return result;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  ObSmtpSendResult *res = ob_smtp_client_send_finish (OB_SMTP_CLIENT (object), result, &error);

  if (res == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, res, (GDestroyNotify) ob_smtp_send_result_free);
}

static void
do_send (GTask *task)
{
  ObMailSender *self = g_task_get_source_object (task);
  SendData *d = g_task_get_task_data (task);

  ob_smtp_client_send_async (self->client, ob_account_get_email (self->account),
                             (const char * const *) d->recipients, d->message,
                             g_task_get_cancellable (task), sent_cb, task);
}

static void
authenticated_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ob_smtp_client_authenticate_finish (OB_SMTP_CLIENT (object), result, &error))
    {
      ob_smtp_client_close (OB_SMTP_CLIENT (object));
      g_task_return_error (task, error);
      return;
    }
  do_send (g_steal_pointer (&task));
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObMailSender *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!ob_smtp_client_connect_finish (OB_SMTP_CLIENT (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->password != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      ob_smtp_client_authenticate_async (self->client, OB_SMTP_AUTH_AUTO,
                                         ob_account_get_username (self->account), self->password,
                                         cancellable, authenticated_cb, g_steal_pointer (&task));
      return;
    }
  do_send (g_steal_pointer (&task));
}

void
ob_mail_sender_send_async (ObMailSender        *self,
                           const char * const  *recipients,
                           GBytes              *message,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *d;

  g_return_if_fail (OB_IS_MAIL_SENDER (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_mail_sender_send_async);

  if (recipients == NULL || recipients[0] == NULL)
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("The message has no recipient."));
      return;
    }

  if (ob_account_is_dry_run (self->account))
    {
      GError *error = NULL;
      ObSmtpSendResult *res = write_dry_run (self, recipients, message, &error);

      if (res == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, res, (GDestroyNotify) ob_smtp_send_result_free);
      return;
    }

  d = g_new0 (SendData, 1);
  d->recipients = g_strdupv ((char **) recipients);
  d->message = g_bytes_ref (message);
  g_task_set_task_data (task, d, (GDestroyNotify) send_data_free);

  if (self->client == NULL)
    {
      self->client = ob_smtp_client_new (ob_account_get_smtp_host (self->account),
                                         ob_account_get_smtp_port (self->account),
                                         ob_account_get_smtp_security (self->account));
      if (ob_account_get_ca_file (self->account) != NULL)
        ob_smtp_client_set_ca_file (self->client, ob_account_get_ca_file (self->account));
      if (self->have_timeouts)
        ob_smtp_client_set_timeouts (self->client, &self->timeouts);
      ob_smtp_client_set_trace_func (self->client, _ob_mail_trace_cb, &self->trace, NULL);
    }

  /* One connection for as long as it lasts; one attempt per message. */
  if (ob_smtp_client_is_connected (self->client))
    do_send (g_steal_pointer (&task));
  else
    ob_smtp_client_connect_async (self->client, cancellable, connected_cb, g_steal_pointer (&task));
}

ObSmtpSendResult *
ob_mail_sender_send_finish (ObMailSender  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ob_smtp_client_quit_finish (OB_SMTP_CLIENT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ob_mail_sender_close_async (ObMailSender        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_MAIL_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_mail_sender_close_async);
  if (self->imap != NULL)
    ob_imap_client_close (self->imap);
  self->imap_ready = FALSE;
  if (self->client == NULL || !ob_smtp_client_is_connected (self->client))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  ob_smtp_client_quit_async (self->client, cancellable, quit_cb, g_steal_pointer (&task));
}

gboolean
ob_mail_sender_close_finish (ObMailSender  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Copy to Sent */

typedef struct
{
  GBytes         *message;
  char           *message_id;
  ObImapSentCopy  outcome;
} CopyData;

static void
copy_data_free (CopyData *d)
{
  g_bytes_unref (d->message);
  g_free (d->message_id);
  g_free (d);
}

static void
copy_fail (GTask  *task,
           GError *error)
{
  ObMailSender *self = g_task_get_source_object (task);

  /* The IMAP state is unknown: next time, a new connection. */
  ob_imap_client_close (self->imap);
  self->imap_ready = FALSE;
  g_task_return_error (task, error);
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ob_imap_client_copy_to_sent_finish (OB_IMAP_CLIENT (object), result, &d->outcome, &error))
    copy_fail (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
do_copy (GTask *task)
{
  ObMailSender *self = g_task_get_source_object (task);
  CopyData *d = g_task_get_task_data (task);

  ob_imap_client_copy_to_sent_async (self->imap, d->message, d->message_id, FALSE,
                                     g_task_get_cancellable (task), copied_cb, task);
}

static void
imap_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObMailSender *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!ob_imap_client_login_finish (OB_IMAP_CLIENT (object), result, &error))
    {
      copy_fail (task, error);
      return;
    }
  self->imap_ready = TRUE;
  do_copy (g_steal_pointer (&task));
}

static void
imap_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObMailSender *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!ob_imap_client_connect_finish (OB_IMAP_CLIENT (object), result, &error))
    {
      copy_fail (task, error);
      return;
    }
  if (self->password == NULL)
    {
      copy_fail (task, g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_AUTH,
                                    _("No password is stored for this account. Enter it again in the account settings.")));
      return;
    }
  ob_imap_client_login_async (self->imap, OB_IMAP_AUTH_AUTO, ob_account_get_username (self->account),
                              self->password, cancellable, imap_login_cb, g_steal_pointer (&task));
}

void
ob_mail_sender_copy_to_sent_async (ObMailSender        *self,
                                   GBytes              *message,
                                   const char          *message_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const ObProvider *provider;
  CopyData *d;

  g_return_if_fail (OB_IS_MAIL_SENDER (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_mail_sender_copy_to_sent_async);
  d = g_new0 (CopyData, 1);
  d->message = g_bytes_ref (message);
  d->message_id = g_strdup (message_id);
  g_task_set_task_data (task, d, (GDestroyNotify) copy_data_free);

  if (ob_account_is_dry_run (self->account) || ob_account_get_imap_host (self->account) == NULL)
    {
      d->outcome = OB_IMAP_SENT_COPY_NO_IMAP;
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (message_id == NULL || *message_id == '\0')
    {
      g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                               _("The message has no usable Message-ID, so Outbound cannot tell whether Sent already has it."));
      return;
    }
  provider = ob_provider_find (ob_account_get_provider (self->account));
  if (provider != NULL && provider->saves_sent)
    {
      d->outcome = OB_IMAP_SENT_COPY_PROVIDER_SAVES;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->imap == NULL)
    {
      self->imap = ob_imap_client_new (ob_account_get_imap_host (self->account),
                                       ob_account_get_imap_port (self->account),
                                       ob_account_get_imap_security (self->account));
      if (ob_account_get_ca_file (self->account) != NULL)
        ob_imap_client_set_ca_file (self->imap, ob_account_get_ca_file (self->account));
      ob_imap_client_set_trace_func (self->imap, _ob_mail_trace_cb, &self->trace, NULL);
    }

  if (self->imap_ready)
    do_copy (g_steal_pointer (&task));
  else
    ob_imap_client_connect_async (self->imap, cancellable, imap_connect_cb, g_steal_pointer (&task));
}

gboolean
ob_mail_sender_copy_to_sent_finish (ObMailSender    *self,
                                    GAsyncResult    *result,
                                    ObImapSentCopy  *outcome,
                                    GError         **error)
{
  CopyData *d;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  d = g_task_get_task_data (G_TASK (result));
  if (outcome != NULL)
    *outcome = d->outcome;
  return TRUE;
}
