/* ob-account-test.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ob-account-test.h"
#include "ob-imap-client.h"
#include "ob-smtp-client.h"

#define DEFAULT_TIMEOUT_MS 30000
#define EXPIRY_WARNING_DAYS 14

typedef enum { SVC_SMTP, SVC_IMAP, SVC_DONE } Service;

typedef struct
{
  ObAccount           *account;
  char                *password;
  guint                timeout_ms;
  ObAccountTestReport *report;
  Service              service;
  ObSmtpClient        *smtp;
  ObImapClient        *imap;
  ObAccountTestProgressFunc progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;
} Run;

static void
step_free (ObAccountTestStep *s)
{
  g_free (s->service);
  g_free (s->step);
  g_free (s->message);
  g_free (s->detail);
  g_free (s);
}

void
ob_account_test_report_free (ObAccountTestReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->steps);
  ob_mail_tls_info_free (report->smtp_tls);
  ob_mail_tls_info_free (report->imap_tls);
  g_free (report);
}

static void
run_free (Run *run)
{
  g_clear_object (&run->account);
  if (run->password != NULL)
    explicit_bzero (run->password, strlen (run->password));
  g_free (run->password);
  ob_account_test_report_free (run->report);
  if (run->smtp != NULL)
    ob_smtp_client_close (run->smtp);
  if (run->imap != NULL)
    ob_imap_client_close (run->imap);
  g_clear_object (&run->smtp);
  g_clear_object (&run->imap);
  if (run->progress_destroy != NULL)
    run->progress_destroy (run->progress_data);
  g_free (run);
}

static void
add_step (Run        *run,
          const char *step,
          gboolean    ok,
          const char *message,
          const char *detail)
{
  ObAccountTestStep *s = g_new0 (ObAccountTestStep, 1);

  s->service = g_strdup (run->service == SVC_SMTP ? "smtp" : run->service == SVC_IMAP ? "imap" : "dry-run");
  s->step = g_strdup (step);
  s->ok = ok;
  s->message = g_strdup (message);
  s->detail = g_strdup (detail);
  g_ptr_array_add (run->report->steps, s);
  if (!ok)
    run->report->ok = FALSE;
  if (run->progress != NULL)
    run->progress (s, run->progress_data);
}

static const char *
host_of (Run *run)
{
  return run->service == SVC_SMTP ? ob_account_get_smtp_host (run->account)
                                  : ob_account_get_imap_host (run->account);
}

static guint16
port_of (Run *run)
{
  return run->service == SVC_SMTP ? ob_account_get_smtp_port (run->account)
                                  : ob_account_get_imap_port (run->account);
}

static void start_service (GTask *task);

static void
next_service (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  run->service++;
  start_service (task);
}

static void
finish (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&run->report),
                         (GDestroyNotify) ob_account_test_report_free);
  g_object_unref (task);
}

/* TLS, certificate and capability steps from a connected client. */
static void
report_tls (Run                 *run,
            const ObMailTlsInfo *info)
{
  g_autofree char *tls_msg = NULL;
  g_autofree char *tls_detail = NULL;

  if (info == NULL)
    return;

  tls_msg = g_strdup_printf (_("The connection is encrypted (%s)."), info->protocol);
  tls_detail = g_strdup_printf ("%s %s", info->protocol, info->ciphersuite ? info->ciphersuite : "");
  add_step (run, "tls", TRUE, tls_msg, tls_detail);

  if (info->not_after > 0)
    {
      g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_utc (info->not_after);
      g_autofree char *date = g_date_time_format (expiry, "%Y-%m-%d");
      /* The sentence shows the date as the user's locale writes it
       * (2036年11月20日); the detail keeps ISO for a log. */
      g_autofree char *shown = g_date_time_format (expiry, "%x");
      g_autofree char *msg = NULL;
      g_autofree char *detail = g_strdup_printf ("subject: %s; issuer: %s; expires: %s%s",
                                                 info->subject ? info->subject : "",
                                                 info->issuer ? info->issuer : "", date,
                                                 info->extra_ca ? "; trusted through the account's CA file" : "");
      gint64 days = (info->not_after - g_get_real_time () / G_USEC_PER_SEC) / 86400;

      if (days < EXPIRY_WARNING_DAYS)
        msg = g_strdup_printf (_("The server’s certificate is trusted but expires soon (%s). Tell your mail provider."), shown);
      else
        msg = g_strdup_printf (_("The server’s certificate is trusted: issued by %s, valid until %s."),
                               info->issuer ? info->issuer : "?", shown);
      add_step (run, "certificate", TRUE, msg, detail);
    }
}

/* A common mistake: TLS from the first byte on a STARTTLS port, or the
 * other way round. Both look like a server that does not answer. */
static char *
security_hint (Run *run)
{
  ObMailSecurity security = run->service == SVC_SMTP ? ob_account_get_smtp_security (run->account)
                                                     : ob_account_get_imap_security (run->account);
  guint16 port = port_of (run);

  if (security == OB_MAIL_SECURITY_TLS && (port == 25 || port == 587 || port == 143))
    return g_strdup_printf (_("Port %u usually expects STARTTLS, not TLS from the start: try the other security setting."), port);
  if (security == OB_MAIL_SECURITY_STARTTLS && (port == 465 || port == 993))
    return g_strdup_printf (_("Port %u usually expects TLS from the start, not STARTTLS: try the other security setting."), port);
  return NULL;
}

static void
report_connect_error (Run          *run,
                      const GError *error)
{
  const char *step = "connection";
  g_autofree char *hint = security_hint (run);
  g_autofree char *message = NULL;

  if (error->domain == OB_MAIL_ERROR &&
      (error->code == OB_MAIL_ERROR_TLS || error->code == OB_MAIL_ERROR_NO_STARTTLS))
    step = strstr (error->message, "certificate") ? "certificate" : "tls";
  if (hint != NULL)
    message = g_strdup_printf ("%s %s", error->message, hint);
  add_step (run, step, FALSE, message ? message : error->message, NULL);
}

/* SMTP */

static void
smtp_quit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ob_smtp_client_quit_finish (OB_SMTP_CLIENT (object), result, NULL);
  next_service (user_data);
}

static void
smtp_auth_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (ob_smtp_client_authenticate_finish (run->smtp, result, &error))
    add_step (run, "auth", TRUE, _("The server accepted the user name and password for sending."), NULL);
  else
    add_step (run, "auth", FALSE, error->message, NULL);
  ob_smtp_client_quit_async (run->smtp, g_task_get_cancellable (task), smtp_quit_cb, task);
}

static void
smtp_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) caps = NULL;
  g_autofree char *list = NULL;
  g_autofree char *msg = NULL;

  if (!ob_smtp_client_connect_finish (run->smtp, result, &error))
    {
      report_connect_error (run, error);
      next_service (task);
      return;
    }

  run->report->smtp_tls = ob_mail_tls_info_copy (ob_smtp_client_get_tls_info (run->smtp));
  report_tls (run, run->report->smtp_tls);

  caps = ob_smtp_client_dup_capabilities (run->smtp);
  list = g_strjoinv (" ", caps);
  if (ob_smtp_client_get_capability (run->smtp, "AUTH") == NULL)
    add_step (run, "capabilities", FALSE,
              _("The server does not offer a login for sending. Check the server name and port (usually 465 or 587)."), list);
  else
    {
      msg = g_strdup_printf (_("The server is ready to send mail (%u features)."), g_strv_length (caps));
      add_step (run, "capabilities", TRUE, msg, list);
    }

  if (run->password == NULL)
    {
      add_step (run, "auth", FALSE, _("No password is stored for this account, so the login was not tried."), NULL);
      ob_smtp_client_quit_async (run->smtp, g_task_get_cancellable (task), smtp_quit_cb, task);
      return;
    }
  ob_smtp_client_authenticate_async (run->smtp, OB_SMTP_AUTH_AUTO, ob_account_get_username (run->account),
                                     run->password, g_task_get_cancellable (task), smtp_auth_cb, task);
}

/* IMAP */

static void
imap_logout_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ob_imap_client_logout_finish (OB_IMAP_CLIENT (object), result, NULL);
  next_service (user_data);
}

/* A folder as its owner reads it: 已发送, not the server's &XfJT0ZAB-
 * (the spelling is kept when it does not decode); "-" for none. */
static char *
folder_name_shown (const ObImapMailbox *mailbox)
{
  char *name;

  if (mailbox == NULL)
    return g_strdup ("-");
  name = ob_imap_mailbox_name_to_utf8 (mailbox->name);
  return name != NULL ? name : g_strdup (mailbox->name);
}

static void
imap_list_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = ob_imap_client_list_finish (run->imap, result, &error);

  if (boxes == NULL)
    add_step (run, "folder", FALSE, error->message, NULL);
  else
    {
      const ObImapMailbox *sent = ob_imap_mailboxes_find_special (boxes, "\\Sent");
      const ObImapMailbox *junk = ob_imap_mailboxes_find_special (boxes, "\\Junk");
      g_autofree char *sent_name = folder_name_shown (sent);
      g_autofree char *junk_name = folder_name_shown (junk);
      g_autofree char *detail = g_strdup_printf ("Sent: %s; Junk: %s", sent_name, junk_name);

      if (sent != NULL)
        add_step (run, "folder", TRUE, _("The Sent folder was found."), detail);
      else
        add_step (run, "folder", FALSE, _("No Sent folder was found; copies of sent mail cannot be kept there."), detail);
    }
  ob_imap_client_logout_async (run->imap, g_task_get_cancellable (task), imap_logout_cb, task);
}

static void
imap_login_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ob_imap_client_login_finish (run->imap, result, &error))
    {
      add_step (run, "auth", FALSE, error->message, NULL);
      ob_imap_client_logout_async (run->imap, g_task_get_cancellable (task), imap_logout_cb, task);
      return;
    }
  add_step (run, "auth", TRUE, _("The server accepted the user name and password for reading mail."), NULL);
  ob_imap_client_list_async (run->imap, g_task_get_cancellable (task), imap_list_cb, task);
}

static void
imap_connect_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *list = NULL;

  if (!ob_imap_client_connect_finish (run->imap, result, &error))
    {
      report_connect_error (run, error);
      next_service (task);
      return;
    }

  run->report->imap_tls = ob_mail_tls_info_copy (ob_imap_client_get_tls_info (run->imap));
  report_tls (run, run->report->imap_tls);
  list = g_strjoinv (" ", (char **) ob_imap_client_get_capabilities (run->imap));
  add_step (run, "capabilities", TRUE, _("The server is ready to read mail."), list);

  if (run->password == NULL)
    {
      add_step (run, "auth", FALSE, _("No password is stored for this account, so the login was not tried."), NULL);
      ob_imap_client_logout_async (run->imap, g_task_get_cancellable (task), imap_logout_cb, task);
      return;
    }
  ob_imap_client_login_async (run->imap, OB_IMAP_AUTH_AUTO, ob_account_get_username (run->account),
                              run->password, g_task_get_cancellable (task), imap_login_cb, task);
}

/* DNS and TCP */

static void
tcp_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  g_autofree char *msg = NULL;
  const char *ca_file = ob_account_get_ca_file (run->account);

  if (conn == NULL)
    {
      msg = g_strdup_printf (_("Nothing answers on port %u of %s. Check the port; a firewall or the network may block it."),
                             port_of (run), host_of (run));
      add_step (run, "tcp", FALSE, msg, error->message);
      next_service (task);
      return;
    }
  msg = g_strdup_printf (_("%s answers on port %u."), host_of (run), port_of (run));
  add_step (run, "tcp", TRUE, msg, NULL);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);

  if (run->service == SVC_SMTP)
    {
      ObSmtpTimeouts t;

      run->smtp = ob_smtp_client_new (host_of (run), port_of (run), ob_account_get_smtp_security (run->account));
      if (ca_file != NULL)
        ob_smtp_client_set_ca_file (run->smtp, ca_file);
      ob_smtp_client_get_timeouts (run->smtp, &t);
      t.connect = t.greeting = t.command = run->timeout_ms;
      ob_smtp_client_set_timeouts (run->smtp, &t);
      ob_smtp_client_connect_async (run->smtp, g_task_get_cancellable (task), smtp_connect_cb, task);
    }
  else
    {
      run->imap = ob_imap_client_new (host_of (run), port_of (run), ob_account_get_imap_security (run->account));
      if (ca_file != NULL)
        ob_imap_client_set_ca_file (run->imap, ca_file);
      ob_imap_client_set_timeout (run->imap, run->timeout_ms);
      ob_imap_client_connect_async (run->imap, g_task_get_cancellable (task), imap_connect_cb, task);
    }
}

static void
start_tcp (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  g_socket_client_set_timeout (client, MAX (1, run->timeout_ms / 1000));
  g_socket_client_connect_to_host_async (client, host_of (run), port_of (run),
                                         g_task_get_cancellable (task), tcp_cb, task);
}

static void
dns_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  g_autofree char *msg = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);

  if (addresses == NULL)
    {
      msg = g_strdup_printf (_("The server name %s does not exist. Check its spelling."), host_of (run));
      add_step (run, "dns", FALSE, msg, error ? error->message : NULL);
      next_service (task);
      return;
    }
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *a = g_inet_address_to_string (l->data);

      g_string_append_printf (detail, "%s%s", detail->len ? " " : "", a);
    }
  g_resolver_free_addresses (addresses);
  msg = g_strdup_printf (_("The server name %s was found."), host_of (run));
  add_step (run, "dns", TRUE, msg, detail->str);
  start_tcp (task);
}

static void
start_service (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GInetAddress) literal = NULL;

  if (run->service == SVC_IMAP && ob_account_get_imap_host (run->account) == NULL)
    {
      add_step (run, "dns", TRUE, _("No IMAP server is set: bounces and replies will not be read from the mailbox."), NULL);
      run->service++;
    }
  if (run->service >= SVC_DONE)
    {
      finish (task);
      return;
    }

  literal = g_inet_address_new_from_string (host_of (run));
  if (literal != NULL)
    {
      add_step (run, "dns", TRUE, _("The server is given by its IP address."), host_of (run));
      start_tcp (task);
      return;
    }

  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, host_of (run), g_task_get_cancellable (task), dns_cb, task);
}

void
ob_account_test_async (ObAccount           *account,
                       const char          *password,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  ob_account_test_with_progress_async (account, password, timeout_ms, NULL, NULL, NULL,
                                       cancellable, callback, user_data);
}

void
ob_account_test_with_progress_async (ObAccount                 *account,
                                     const char                *password,
                                     guint                      timeout_ms,
                                     ObAccountTestProgressFunc  progress,
                                     gpointer                   progress_data,
                                     GDestroyNotify             progress_destroy,
                                     GCancellable              *cancellable,
                                     GAsyncReadyCallback        callback,
                                     gpointer                   user_data)
{
  GTask *task;
  Run *run;

  g_return_if_fail (OB_IS_ACCOUNT (account));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_account_test_async);
  run = g_new0 (Run, 1);
  run->progress = progress;
  run->progress_data = progress_data;
  run->progress_destroy = progress_destroy;
  run->account = g_object_ref (account);
  run->password = g_strdup (password);
  run->timeout_ms = timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;
  run->report = g_new0 (ObAccountTestReport, 1);
  run->report->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  run->report->ok = TRUE;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (ob_account_is_dry_run (account))
    {
      const char *dir = ob_account_get_dry_run_dir (account);
      g_autofree char *msg = NULL;

      run->service = SVC_DONE;
      if (dir != NULL && g_mkdir_with_parents (dir, 0700) == 0 && g_access (dir, W_OK) == 0)
        {
          msg = g_strdup_printf (_("This is a dry-run account: messages are written as files to %s, nothing is sent."), dir);
          add_step (run, "folder", TRUE, msg, dir);
        }
      else
        {
          msg = g_strdup_printf (_("The dry-run folder %s cannot be written."), dir ? dir : "");
          add_step (run, "folder", FALSE, msg, dir);
        }
      finish (task);
      return;
    }

  run->service = SVC_SMTP;
  start_service (task);
}

ObAccountTestReport *
ob_account_test_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
