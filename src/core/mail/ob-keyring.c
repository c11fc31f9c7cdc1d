/* ob-keyring.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "ob-keyring.h"
#include "ob-mail.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    OB_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static GError *
keyring_error (GError *error)
{
  GError *ours = g_error_new (OB_MAIL_ERROR, OB_MAIL_ERROR_KEYRING,
                              _("The system keyring could not be used (%s). Unlock it (Passwords and Keys) and try again."),
                              error->message);
  g_error_free (error);
  return ours;
}

void
ob_keyring_password_free (char *password)
{
  secret_password_free (password);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct
{
  char *id;
  char *label;
  char *password;
} StoreData;

static void
store_data_free (StoreData *d)
{
  g_free (d->id);
  g_free (d->label);
  if (d->password != NULL)
    explicit_bzero (d->password, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static void
store_cleared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  StoreData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, keyring_error (error));
      g_object_unref (task);
      return;
    }
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, d->label, d->password,
                         g_task_get_cancellable (task), stored_cb, task, "account-id", d->id, NULL);
}

/* Clears, then stores: gnome-keyring 42 warns ("already registered") when
 * an item is replaced in place, and a new item avoids that path. */
void
ob_keyring_store_password_async (gint64               account_id,
                                 const char          *label,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  StoreData *d;

  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_keyring_store_password_async);
  d = g_new0 (StoreData, 1);
  d->id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
  d->label = g_strdup_printf (_("Outbound: %s"), label ? label : d->id);
  d->password = g_strdup (password);
  g_task_set_task_data (task, d, (GDestroyNotify) store_data_free);
  secret_password_clear (get_schema (), cancellable, store_cleared_cb, task, "account-id", d->id, NULL);
}

gboolean
ob_keyring_store_password_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else if (password == NULL)
    g_task_return_new_error (task, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND,
                             _("No password is stored for this account. Enter it again in the account settings."));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
ob_keyring_lookup_password_async (gint64               account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);

  g_task_set_source_tag (task, ob_keyring_lookup_password_async);
  secret_password_lookup (get_schema (), cancellable, looked_up_cb, task, "account-id", id, NULL);
}

char *
ob_keyring_lookup_password_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: nothing was stored, which is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ob_keyring_clear_password_async (gint64               account_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);

  g_task_set_source_tag (task, ob_keyring_clear_password_async);
  secret_password_clear (get_schema (), cancellable, cleared_cb, task, "account-id", id, NULL);
}

gboolean
ob_keyring_clear_password_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
