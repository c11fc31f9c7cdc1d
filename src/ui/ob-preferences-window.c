/* ob-preferences-window.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-dns-settings.h"
#include "ob-imap-response.h"
#include "ob-preferences-window.h"

struct _ObPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *resolver_row;
  AdwEntryRow          *resolver_url_row;
  GtkSwitch            *background_switch;
  GtkSwitch            *autostart_switch;
  GtkSpinButton        *poll_spin;
  AdwEntryRow          *bounce_folder_row;

  GStrv                 resolver_ids;
};

G_DEFINE_FINAL_TYPE (ObPreferencesWindow, ob_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The resolver combo lists ob_dns_settings_list_choices(), in order;
 * the setting holds the choice's id (a GSettings enum nick). */
static gboolean
resolver_to_index (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  ObPreferencesWindow *self = user_data;
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; self->resolver_ids[i]; i++)
    if (g_str_equal (self->resolver_ids[i], id))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_to_resolver (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  ObPreferencesWindow *self = user_data;
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length (self->resolver_ids))
    i = 0;
  return g_variant_new_string (self->resolver_ids[i]);
}

static gboolean
is_custom (ObPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->resolver_row);

  return i < g_strv_length (self->resolver_ids) && g_str_equal (self->resolver_ids[i], "custom");
}

static void
update_custom_sensitivity (ObPreferencesWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->resolver_url_row), is_custom (self));
}

/* Says at once when the custom address will not work, rather than at the
 * next domain check. */
static void
validate_custom_url (ObPreferencesWindow *self)
{
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(GError) error = NULL;

  if (is_custom (self))
    resolver = ob_dns_settings_new_resolver (self->settings, &error);
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->resolver_url_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->resolver_url_row), error->message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->resolver_url_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->resolver_url_row),
                                   _("udp://HOST:PORT, tcp://HOST:PORT or https://HOST/PATH"));
    }
}

/* Any language will do: the mailbox check spells the name for the
 * server (modified UTF-7). Only control characters cannot be spelled. */
static void
validate_bounce_folder (ObPreferencesWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "bounce-folder");
  g_autofree char *spelled = ob_imap_mailbox_name_from_utf8 (g_strstrip (folder));

  if (spelled == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->bounce_folder_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->bounce_folder_row),
                                   _("A folder name cannot hold a tab, a line break or another control "
                                     "character: bounce mails stay where they are until it is fixed."));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->bounce_folder_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->bounce_folder_row),
                                   _("Leave empty to leave every mail where it is. With a folder name in any "
                                     "language (for example “Bounces” or “退信”), bounce mails Outbound has "
                                     "handled are moved there; the folder is made when missing."));
    }
}

static void
ob_preferences_window_dispose (GObject *object)
{
  ObPreferencesWindow *self = (ObPreferencesWindow *)object;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  G_OBJECT_CLASS (ob_preferences_window_parent_class)->dispose (object);
}

static void
ob_preferences_window_finalize (GObject *object)
{
  ObPreferencesWindow *self = (ObPreferencesWindow *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->resolver_ids, g_strfreev);

  G_OBJECT_CLASS (ob_preferences_window_parent_class)->finalize (object);
}

static void
ob_preferences_window_class_init (ObPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_preferences_window_dispose;
  object_class->finalize = ob_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, resolver_row);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, resolver_url_row);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, poll_spin);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, bounce_folder_row);
}

static void
ob_preferences_window_init (ObPreferencesWindow *self)
{
  g_autoptr(GtkStringList) resolver_model = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->resolver_ids = ob_dns_settings_list_choices (self->settings);
  for (guint i = 0; self->resolver_ids[i]; i++)
    gtk_string_list_append (resolver_model, ob_dns_settings_choice_name (self->resolver_ids[i]));
  adw_combo_row_set_model (self->resolver_row, G_LIST_MODEL (resolver_model));

  g_settings_bind_with_mapping (self->settings, "dns-resolver",
                                self->resolver_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                resolver_to_index, index_to_resolver, self, NULL);
  g_settings_bind (self->settings, "dns-custom-url", self->resolver_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "autostart", self->autostart_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "mailbox-poll-minutes", self->poll_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "bounce-folder", self->bounce_folder_row, "text", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_swapped (self->resolver_row, "notify::selected",
                            G_CALLBACK (update_custom_sensitivity), self);
  g_signal_connect_swapped (self->settings, "changed::dns-resolver",
                            G_CALLBACK (validate_custom_url), self);
  g_signal_connect_swapped (self->settings, "changed::dns-custom-url",
                            G_CALLBACK (validate_custom_url), self);
  g_signal_connect_swapped (self->settings, "changed::bounce-folder",
                            G_CALLBACK (validate_bounce_folder), self);
  update_custom_sensitivity (self);
  validate_custom_url (self);
  validate_bounce_folder (self);
}

ObPreferencesWindow *
ob_preferences_window_new (void)
{
  return g_object_new (OB_TYPE_PREFERENCES_WINDOW, NULL);
}
