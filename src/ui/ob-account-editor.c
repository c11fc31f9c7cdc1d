/* ob-account-editor.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-account-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-account-editor.h"
#include "ob-account-server-settings.h"
#include "ob-keyring.h"

struct _ObAccountEditor
{
  AdwWindow                parent_instance;

  ObStore                 *store;
  ObAccount               *account;
  gboolean                 saving;

  AdwWindowTitle          *window_title;
  GtkButton               *save_button;
  GtkInfoBar              *error_bar;
  GtkLabel                *error_label;
  AdwEntryRow             *name_row;
  AdwEntryRow             *reply_to_row;
  GtkSpinButton           *daily_limit;
  GtkTextView             *signature_view;
  ObAccountServerSettings *server_settings;
  GtkPasswordEntry        *password_entry;
};

G_DEFINE_FINAL_TYPE (ObAccountEditor, ob_account_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (ObAccountEditor *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_info_bar_set_revealed (self->error_bar, TRUE);
}

static char *
dup_trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
set_saving (ObAccountEditor *self,
            gboolean         saving)
{
  self->saving = saving;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), !saving);
}

static void
saved (ObAccountEditor *self)
{
  g_signal_emit (self, signals[SAVED], 0, ob_account_get_id (self->account));
  gtk_window_close (GTK_WINDOW (self));
}

static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ObAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  set_saving (self, FALSE);
  if (!ob_keyring_store_password_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The settings were saved, but the new password was not: %s"),
                                                  error->message);

      show_error (self, message);
      return;
    }
  saved (self);
}

static void
on_save_button_clicked_cb (ObAccountEditor *self,
                           GtkButton       *button)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = dup_trimmed (GTK_EDITABLE (self->name_row));
  g_autofree char *reply_to = dup_trimmed (GTK_EDITABLE (self->reply_to_row));
  g_autofree char *signature = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->signature_view);
  GtkTextIter start, end;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  const char *at = strrchr (reply_to, '@');

  if (self->saving)
    return;

  if (*reply_to != '\0' && (at == NULL || at == reply_to || strchr (at, '.') == NULL ||
                            strpbrk (reply_to, " \t<>,;\"") != NULL))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not an email address. Leave “Replies Go To” empty to get replies at the sending address."),
                                                  reply_to);

      show_error (self, message);
      return;
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  signature = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  /* Fields go into the editor's own copy; a failure leaves the database
   * as it was, and the copy is reloaded next time. */
  /* A dry-run account has no servers to edit. */
  if (!ob_account_is_dry_run (self->account) &&
      !ob_account_server_settings_apply (self->server_settings, self->account, &error))
    {
      show_error (self, error->message);
      return;
    }
  ob_account_set_display_name (self->account, *name ? name : NULL);
  ob_account_set_reply_to (self->account, *reply_to ? reply_to : NULL);
  ob_account_set_signature (self->account, *signature ? signature : NULL);
  ob_account_set_daily_limit (self->account, gtk_spin_button_get_value_as_int (self->daily_limit));

  if (!ob_account_store_update (self->store, self->account, &error))
    {
      show_error (self, error->message);
      return;
    }

  if (*password == '\0')
    {
      saved (self);
      return;
    }
  set_saving (self, TRUE);
  ob_keyring_store_password_async (ob_account_get_id (self->account), ob_account_get_email (self->account),
                                   password, NULL, store_password_cb, g_object_ref (self));
}

static void
ob_account_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OB_TYPE_ACCOUNT_EDITOR);

  G_OBJECT_CLASS (ob_account_editor_parent_class)->dispose (object);
}

static void
ob_account_editor_finalize (GObject *object)
{
  ObAccountEditor *self = (ObAccountEditor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (ob_account_editor_parent_class)->finalize (object);
}

static void
ob_account_editor_class_init (ObAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_account_editor_dispose;
  object_class->finalize = ob_account_editor_finalize;

  /* (gint64 id) */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (OB_TYPE_ACCOUNT_SERVER_SETTINGS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, error_bar);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, reply_to_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, daily_limit);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, signature_view);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, server_settings);
  gtk_widget_class_bind_template_child (widget_class, ObAccountEditor, password_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_save_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_account_editor_init (ObAccountEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

ObAccountEditor *
ob_account_editor_new (ObStore   *store,
                       ObAccount *account)
{
  ObAccountEditor *self;
  g_autoptr(GError) error = NULL;
  const char *text;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (OB_IS_ACCOUNT (account), NULL);

  self = g_object_new (OB_TYPE_ACCOUNT_EDITOR, NULL);
  self->store = g_object_ref (store);
  /* Its own copy from the database, so Cancel leaves the caller's alone. */
  self->account = ob_account_store_get (store, ob_account_get_id (account), &error);
  if (self->account == NULL)
    {
      g_warning ("Cannot reload account %" G_GINT64_FORMAT ": %s", ob_account_get_id (account), error->message);
      self->account = g_object_ref (account);
    }

  adw_window_title_set_subtitle (self->window_title, ob_account_get_email (self->account));
  text = ob_account_get_display_name (self->account);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), text ? text : "");
  text = ob_account_get_reply_to (self->account);
  gtk_editable_set_text (GTK_EDITABLE (self->reply_to_row), text ? text : "");
  text = ob_account_get_signature (self->account);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->signature_view), text ? text : "", -1);
  gtk_spin_button_set_value (self->daily_limit, ob_account_get_daily_limit (self->account));
  ob_account_server_settings_set_account (self->server_settings, self->account);
  gtk_widget_set_visible (GTK_WIDGET (self->server_settings), !ob_account_is_dry_run (self->account));

  return self;
}
