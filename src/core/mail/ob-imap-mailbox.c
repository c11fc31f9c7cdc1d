/* ob-imap-mailbox.c — mailboxes: the ObImapMailbox value type and how
 * Sent or Junk is found among them, and the operations on a mailbox as a
 * whole: LIST (special-use), SELECT/EXAMINE and CREATE. LIST's answer and
 * mailbox names as arguments are also used by copy-to-Sent and move in
 * ob-imap-client.c.
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

GStrv
_ob_imap_value_to_strv (const ObImapValue *list)
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

/* The command that lists every mailbox: with LIST-EXTENDED, asking for
 * the special-use attributes too (RFC 6154 §2). */
const char *
_ob_imap_list_command (ObImapClient *self)
{
  if (_ob_imap_has_cap (self, "SPECIAL-USE") && _ob_imap_has_cap (self, "LIST-EXTENDED"))
    return "LIST \"\" \"*\" RETURN (SPECIAL-USE)";
  return "LIST \"\" \"*\"";
}

/* The mailboxes of a LIST command's answer. */
GPtrArray *
_ob_imap_mailboxes_from_list (ObImapCmd *cmd)
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
      mb->attributes = _ob_imap_value_to_strv (attrs);
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

  _ob_imap_run_single (self, _ob_imap_cmd_simple (self, _ob_imap_list_command (self), NULL),
                       cancellable, callback, user_data,
                       ob_imap_client_list_async);
}

GPtrArray *
ob_imap_client_list_finish (ObImapClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(ObImapCmd) cmd = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(cmd = _ob_imap_finish_single (self, result, "LIST", error)))
    return NULL;

  return _ob_imap_mailboxes_from_list (cmd);
}

char *
_ob_imap_mailbox_argument (const char  *mailbox,
                           GError     **error)
{
  /* Names come from LIST in modified UTF-7, or from a person through
   * ob_imap_mailbox_name_from_utf8(), so they are ASCII; a name that is
   * not was never spelled for the server. */
  char *quoted = ob_imap_quote_string (mailbox);

  if (quoted == NULL)
    g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                 _("“%s” is not a mailbox name as the server writes it."), mailbox);
  return quoted;
}

/* "@verb @mailbox" as one tagged command, or the mailbox's error reported
 * under @source_tag before anything is sent. */
static void
run_on_mailbox (ObImapClient        *self,
                const char          *verb,
                const char          *mailbox,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autofree char *arg = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  arg = _ob_imap_mailbox_argument (mailbox, &error);
  if (arg == NULL)
    {
      g_task_report_error (self, callback, user_data, source_tag, error);
      return;
    }
  text = g_strdup_printf ("%s %s", verb, arg);
  _ob_imap_run_single (self, _ob_imap_cmd_simple (self, text, NULL), cancellable, callback, user_data,
                       source_tag);
}

void
ob_imap_client_select_async (ObImapClient        *self,
                             const char          *mailbox,
                             gboolean             read_only,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  run_on_mailbox (self, read_only ? "EXAMINE" : "SELECT", mailbox, cancellable, callback, user_data,
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
  g_autoptr(ObImapCmd) cmd = NULL;
  ObImapMailboxStatus st = { 0 };

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(cmd = _ob_imap_finish_single (self, result, "SELECT", error)))
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
  g_return_if_fail (OB_IS_IMAP_CLIENT (self));
  g_return_if_fail (mailbox != NULL);

  run_on_mailbox (self, "CREATE", mailbox, cancellable, callback, user_data, ob_imap_client_create_async);
}

/* A folder that is there already is no failure (RFC 5530 ALREADYEXISTS,
 * or the words of servers older than it). */
gboolean
ob_imap_client_create_finish (ObImapClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(ObImapCmd) cmd = NULL;
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
  return _ob_imap_cmd_check_ok (self, cmd, "CREATE", error);
}
