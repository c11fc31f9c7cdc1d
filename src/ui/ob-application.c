/* ob-application.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-application"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "ob-application.h"
#include "ob-core.h"
#include "ob-opening-window.h"
#include "ob-preferences-window.h"
#include "ob-sending-service.h"
#include "ob-ui.h"
#include "ob-window.h"

struct _ObApplication
{
  AdwApplication    parent_instance;

  char             *db_path;
  ObStore          *store;
  ObSendingService *sending;
  GSettings        *settings;
  XdpPortal        *portal;
  gboolean          background;  /* --background: no window, just keep sending */
  gboolean          held;        /* an active campaign keeps the app alive */

  /* The database opens in a worker thread (see open_store()). */
  gboolean          opening;
  gboolean          window_wanted;  /* an activation asked for a window (not --background) */
  char             *page_wanted;    /* app.show-page while it opened */
  GtkWindow        *opening_window; /* shown when opening takes a while */
  guint             opening_timeout;
};

G_DEFINE_FINAL_TYPE (ObApplication, ob_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use this database file instead of the default (OUTBOUND_DB also works)"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start without a window and keep active campaigns sending"), NULL },
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
  if (g_variant_dict_contains (options, "background"))
    self->background = TRUE;

  return G_APPLICATION_CLASS (ob_application_parent_class)->handle_local_options (app, options);
}


static void
notify (ObApplication *self,
        const char    *id,
        const char    *title,
        const char    *body)
{
  g_autoptr(GNotification) n = g_notification_new (title);

  g_notification_set_body (n, body);
  g_notification_set_default_action_and_target (n, "app.show-page", "s", "campaigns");
  g_application_send_notification (G_APPLICATION (self), id, n);
}

static void
on_campaign_paused_cb (ObSendEngine  *engine,
                       gint64         campaign_id,
                       const char    *reason,
                       ObApplication *self)
{
  notify (self, "campaign-paused", _("A Campaign Paused Itself"), reason);
}

static void
on_campaign_warning_cb (ObSendEngine  *engine,
                        gint64         campaign_id,
                        const char    *message,
                        ObApplication *self)
{
  notify (self, "campaign-warning", _("A Campaign Needs Your Attention"), message);
}

static void
background_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!xdp_portal_request_background_finish (XDP_PORTAL (object), result, &error))
    g_message ("Background sending was not allowed: %s", error->message);
}

/* Outside Flatpak, autostart is a desktop file in the user's autostart
 * folder; inside, the Background portal asks the user and does it. */
static void
update_autostart (ObApplication *self)
{
  gboolean autostart = g_settings_get_boolean (self->settings, "autostart");
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);

  if (xdp_portal_running_under_flatpak ())
    return;

  if (autostart)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      contents = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Outbound\n"
                                  "Exec=outbound --background\nX-GNOME-Autostart-enabled=true\n"
                                  "NoDisplay=true\n");
      if (g_mkdir_with_parents (dir, 0700) != 0 ||
          !g_file_set_contents (path, contents, -1, &error))
        g_message ("Cannot write %s: %s", path, error ? error->message : g_strerror (errno));
    }
  else
    g_remove (path);
}

/* While a campaign is running the app stays alive after its last window
 * closes (when the user allows it), and asks the portal for that inside
 * Flatpak. */
static void
update_hold (ObApplication *self)
{
  gboolean want = ob_sending_service_get_active (self->sending) &&
                  g_settings_get_boolean (self->settings, "run-in-background");

  if (want == self->held)
    return;
  self->held = want;
  if (want)
    {
      g_application_hold (G_APPLICATION (self));
      if (xdp_portal_running_under_flatpak ())
        {
          g_autoptr(GPtrArray) cmdline = g_ptr_array_new_with_free_func (g_free);
          XdpBackgroundFlags flags = XDP_BACKGROUND_FLAG_NONE;

          g_ptr_array_add (cmdline, g_strdup ("outbound"));
          g_ptr_array_add (cmdline, g_strdup ("--background"));
          if (g_settings_get_boolean (self->settings, "autostart"))
            flags |= XDP_BACKGROUND_FLAG_AUTOSTART;
          if (self->portal == NULL)
            self->portal = xdp_portal_new ();
          xdp_portal_request_background (self->portal, NULL,
                                         _("Outbound keeps sending your active campaigns"),
                                         cmdline, flags, NULL, background_done_cb, NULL);
        }
    }
  else
    g_application_release (G_APPLICATION (self));
}

/* The folder as the user typed it; the poller spells it for the server.
 * A name it cannot take (a pasted tab) moves nothing: the mails stay. */
static void
apply_bounce_folder (ObApplication *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "bounce-folder");
  g_autoptr(GError) error = NULL;

  if (!ob_sending_service_set_bounce_folder (self->sending, g_strstrip (folder), &error))
    g_message ("Bounce mails are not moved: %s", error->message);
}

static void
start_sending (ObApplication *self)
{
  g_autoptr(GError) error = NULL;
  guint uncertain = 0;

  self->sending = ob_sending_service_new (self->store);
  ob_sending_service_set_poll_minutes (self->sending,
                                       g_settings_get_uint (self->settings, "mailbox-poll-minutes"));
  apply_bounce_folder (self);
  g_signal_connect_object (ob_sending_service_get_engine (self->sending), "paused",
                           G_CALLBACK (on_campaign_paused_cb), self, 0);
  g_signal_connect_object (ob_sending_service_get_engine (self->sending), "warning",
                           G_CALLBACK (on_campaign_warning_cb), self, 0);
  g_signal_connect_object (self->sending, "notify::active", G_CALLBACK (update_hold), self,
                           G_CONNECT_SWAPPED);

  if (!ob_sending_service_start (self->sending, &uncertain, &error))
    {
      /* Another Outbound (or `outbound-cli campaign run`) sends from this
       * database: this window still shows and edits everything. */
      g_message ("Sending is not started here: %s", error->message);
      notify (self, "sending-elsewhere", _("Outbound Is Sending Elsewhere"), error->message);
      return;
    }
  if (uncertain > 0)
    {
      g_autofree char *body = g_strdup_printf (ngettext ("%u message may or may not have gone before Outbound "
                                                         "stopped. Open the campaign to decide.",
                                                         "%u messages may or may not have gone before Outbound "
                                                         "stopped. Open the campaign to decide.", uncertain),
                                               uncertain);
      notify (self, "uncertain", _("Some Sends Need Your Word"), body);
    }
  update_hold (self);
}

static void
on_settings_changed_cb (ObApplication *self,
                        const char    *key)
{
  if (g_str_equal (key, "autostart"))
    update_autostart (self);
  else if (g_str_equal (key, "run-in-background") && self->sending != NULL)
    update_hold (self);
  else if (g_str_equal (key, "mailbox-poll-minutes") && self->sending != NULL)
    ob_sending_service_set_poll_minutes (self->sending, g_settings_get_uint (self->settings, key));
  else if (g_str_equal (key, "bounce-folder") && self->sending != NULL)
    apply_bounce_folder (self);
}

static void
show_window (ObApplication *self)
{
  GtkWindow *window = GTK_WINDOW (ob_window_new (ADW_APPLICATION (self), self->store));

  gtk_window_present (window);
  if (self->page_wanted != NULL)
    ob_window_show_page (OB_WINDOW (window), self->page_wanted);
  g_clear_pointer (&self->page_wanted, g_free);
}

/* Opening is quick, unless the database was written by an older Outbound
 * and must be brought up to date first: then, after a moment, a window
 * says why nothing else shows yet. */
static gboolean
show_opening_cb (gpointer user_data)
{
  ObApplication *self = user_data;

  /* Started at login without a window: none until one is asked for. */
  if (!self->window_wanted)
    return G_SOURCE_CONTINUE;

  self->opening_timeout = 0;
  self->opening_window = GTK_WINDOW (ob_opening_window_new (GTK_APPLICATION (self)));
  g_object_add_weak_pointer (G_OBJECT (self->opening_window), (gpointer *) &self->opening_window);
  gtk_window_present (self->opening_window);
  return G_SOURCE_REMOVE;
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ObApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->opening = FALSE;
  g_clear_handle_id (&self->opening_timeout, g_source_remove);
  self->store = ob_store_open_finish (result, &error);
  if (self->store == NULL)
    show_error_and_quit (self, error);
  else
    {
      start_sending (self);
      if (self->window_wanted)
        show_window (self);
    }
  /* The window that takes its place is up: no moment without one. */
  if (self->opening_window != NULL)
    gtk_window_destroy (self->opening_window);
  g_application_release (G_APPLICATION (self));
}

/* The app stays alive while the database opens, whether or not a window
 * is wanted. */
static void
open_store (ObApplication *self)
{
  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  self->opening_timeout = g_timeout_add (500, show_opening_cb, self);
  ob_store_open_async (self->db_path, NULL, store_opened_cb, g_object_ref (self));
}

static void
ob_application_activate (GApplication *app)
{
  ObApplication *self = OB_APPLICATION (app);
  GtkWindow *window;

  /* Started at login: send in the background; the next activation (the
   * user opening Outbound) shows the window. */
  if (self->background)
    self->background = FALSE;
  else
    self->window_wanted = TRUE;

  if (self->store == NULL)
    {
      if (!self->opening)
        open_store (self);
      return;
    }

  if (!self->window_wanted)
    return;
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    gtk_window_present (window);
  else
    show_window (self);
}

static void
ob_application_finalize (GObject *object)
{
  ObApplication *self = (ObApplication *)object;

  if (self->sending != NULL)
    ob_sending_service_stop (self->sending);
  g_clear_object (&self->sending);
  g_clear_object (&self->portal);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->page_wanted, g_free);

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

static void
show_page_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  ObApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  /* Still opening: the window shows the page when it comes. */
  if (self->opening)
    {
      g_free (self->page_wanted);
      self->page_wanted = g_variant_dup_string (param, NULL);
      return;
    }
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (OB_IS_WINDOW (window))
    ob_window_show_page (OB_WINDOW (window), g_variant_get_string (param, NULL));
}

static const GActionEntry app_actions[] = {
  { "show-page", show_page_action, "s" },
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

  OB_APPLICATION (app)->settings = g_settings_new (APP_ID);
  g_signal_connect_object (OB_APPLICATION (app)->settings, "changed", G_CALLBACK (on_settings_changed_cb), app,
                           G_CONNECT_SWAPPED);
}

/* Windows close first, so that their pages commit what waits under an
 * Undo toast; then the work that marked the application busy (a deletion
 * of contacts let stand, in a worker thread) is waited for: quitting
 * neither loses it nor cuts it off halfway. */
static void
ob_application_shutdown (GApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  while (g_application_get_is_busy (app))
    g_main_context_iteration (NULL, TRUE);

  G_APPLICATION_CLASS (ob_application_parent_class)->shutdown (app);
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
  app_class->shutdown = ob_application_shutdown;
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

/* A campaign was created, started, paused, resumed, stopped or had an
 * uncertain send decided: the app's engine looks at the queue again now
 * rather than at its next planned moment. */
void
ob_application_campaigns_changed (void)
{
  GApplication *app = g_application_get_default ();

  if (OB_IS_APPLICATION (app) && OB_APPLICATION (app)->sending != NULL)
    ob_sending_service_refresh (OB_APPLICATION (app)->sending);
}

/* Returns: (nullable): the app's sending (engine and mailbox poller). */
ObSendingService *
ob_application_get_sending_service (ObApplication *self)
{
  g_return_val_if_fail (OB_IS_APPLICATION (self), NULL);

  return self->sending;
}

ObStore *
ob_application_get_store (ObApplication *self)
{
  g_return_val_if_fail (OB_IS_APPLICATION (self), NULL);

  return self->store;
}
