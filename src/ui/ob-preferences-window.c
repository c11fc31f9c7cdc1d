/* ob-preferences-window.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

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
};

G_DEFINE_FINAL_TYPE (ObPreferencesWindow, ob_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The order of the resolver combo's model, as the GSettings enum nicks. */
static const char *resolver_ids[] = { "system", "alidns", "dnspod", "cloudflare", "custom" };

static gboolean
resolver_to_index (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (resolver_ids); i++)
    if (g_str_equal (resolver_ids[i], id))
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
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (resolver_ids))
    i = 0;
  return g_variant_new_string (resolver_ids[i]);
}

static void
update_custom_sensitivity (ObPreferencesWindow *self)
{
  gboolean custom = adw_combo_row_get_selected (self->resolver_row) == G_N_ELEMENTS (resolver_ids) - 1;

  gtk_widget_set_visible (GTK_WIDGET (self->resolver_url_row), custom);
}

static void
ob_preferences_window_finalize (GObject *object)
{
  ObPreferencesWindow *self = (ObPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ob_preferences_window_parent_class)->finalize (object);
}

static void
ob_preferences_window_class_init (ObPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ob_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, resolver_row);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, resolver_url_row);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, ObPreferencesWindow, poll_spin);
}

static void
ob_preferences_window_init (ObPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  g_settings_bind_with_mapping (self->settings, "dns-resolver",
                                self->resolver_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                resolver_to_index, index_to_resolver, NULL, NULL);
  g_settings_bind (self->settings, "dns-custom-url", self->resolver_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "autostart", self->autostart_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "mailbox-poll-minutes", self->poll_spin, "value", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_swapped (self->resolver_row, "notify::selected",
                            G_CALLBACK (update_custom_sensitivity), self);
  update_custom_sensitivity (self);
}

ObPreferencesWindow *
ob_preferences_window_new (void)
{
  return g_object_new (OB_TYPE_PREFERENCES_WINDOW, NULL);
}
