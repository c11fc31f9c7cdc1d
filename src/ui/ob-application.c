/* ob-application.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-application.h"
#include "ob-core.h"
#include "ob-preferences-window.h"
#include "ob-ui.h"
#include "ob-window.h"

struct _ObApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  ObStore        *store;
};

G_DEFINE_FINAL_TYPE (ObApplication, ob_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use this database file instead of the default (OUTBOUND_DB also works)"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static void
show_error_and_quit (ObApplication *self,
                     const GError  *error)
{
  GtkWidget *dialog;

  g_warning ("%s", error->message);
  dialog = adw_message_dialog_new (NULL, _("Outbound Cannot Open Its Database"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_quit), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static int
ob_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  ObApplication *self = OB_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("outbound %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    self->db_path = g_strdup (db);

  return G_APPLICATION_CLASS (ob_application_parent_class)->handle_local_options (app, options);
}

static void
ob_application_activate (GApplication *app)
{
  ObApplication *self = OB_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->store = ob_store_open (self->db_path, &error);
      if (self->store == NULL)
        {
          show_error_and_quit (self, error);
          return;
        }
    }

  window = GTK_WINDOW (ob_window_new (ADW_APPLICATION (app), self->store));
  gtk_window_present (window);
}

static void
ob_application_finalize (GObject *object)
{
  ObApplication *self = (ObApplication *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (ob_application_parent_class)->finalize (object);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  ObApplication *self = user_data;
  static const char *developers[] = { "The Outbound authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APP_ID,
                        "application-name", _("Outbound"),
                        "developer-name", _("The Outbound authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/outboundapp/outbound",
                        "issue-url", "https://github.com/outboundapp/outbound/issues",
                        "comments", _("Cold email to overseas buyers without the bounces: clean lists, "
                                      "healthy domains, careful sending."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  /* The two data lists Outbound ships, credited as their licences ask. */
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Disposable email domains"),
                                      "© disposable-email-domains contributors",
                                      GTK_LICENSE_CUSTOM,
                                      _("The list of disposable domains comes from the "
                                        "disposable-email-domains project, dedicated to the public "
                                        "domain under CC0 1.0."));
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about),
                                      _("Role-based email addresses"),
                                      "© Mixmax, Inc.",
                                      GTK_LICENSE_MIT_X11,
                                      NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  ObApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *prefs;

  prefs = GTK_WINDOW (ob_preferences_window_new ());
  gtk_window_set_transient_for (prefs, parent);
  gtk_window_present (prefs);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
ob_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (ob_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
ob_application_class_init (ObApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  ob_ui_init ();

  object_class->finalize = ob_application_finalize;

  app_class->activate = ob_application_activate;
  app_class->startup = ob_application_startup;
  app_class->handle_local_options = ob_application_handle_local_options;
}

static void
ob_application_init (ObApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}

ObApplication *
ob_application_new (void)
{
  ob_core_init ();

  return g_object_new (OB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

ObStore *
ob_application_get_store (ObApplication *self)
{
  g_return_val_if_fail (OB_IS_APPLICATION (self), NULL);

  return self->store;
}
