/* test-window.c — opens the real window, visits every page in light and
 * dark style and at phone width, and saves a screenshot of each under
 * $OUTBOUND_SCREENSHOT_DIR (these feed the metainfo screenshots too).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "ob-application.h"
#include "ob-preferences-window.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

static const char *pages[] = {
  "contacts", "templates", "campaigns", "domain-health", "accounts", "reports",
};

/* One application for the whole program: GApplication registers its
 * D-Bus path once per process. */
static ObApplication *app;

typedef struct
{
  ObWindow      *window;
  ObTestDir     *dir;
} Fixture;

/* Lets the main loop run (layout, frames) for @ms milliseconds. */
/* Renders the window as it is now and returns the texture. */
static GdkTexture *
render_window (ObWindow *window)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* A blank or single-colour image means nothing was drawn. */
static double
texture_luma_stddev (GdkTexture *texture,
                     double     *mean_out)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = width * 4;
  g_autofree guchar *data = g_malloc (stride * height);
  double sum = 0, sum2 = 0;
  gsize n = (gsize) width * height;

  gdk_texture_download (texture, data, stride);
  for (gsize i = 0; i < n; i++)
    {
      /* Cairo's ARGB32 in memory: B G R A on little-endian. */
      double y = 0.0722 * data[i * 4] + 0.7152 * data[i * 4 + 1] + 0.2126 * data[i * 4 + 2];
      sum += y;
      sum2 += y * y;
    }
  *mean_out = sum / n;
  return sqrt (MAX (0.0, sum2 / n - (*mean_out) * (*mean_out)));
}

static void
save_screenshot (ObWindow   *window,
                 const char *name,
                 double     *mean_out)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  double stddev;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  texture = render_window (window);
  stddev = texture_luma_stddev (texture, mean_out);
  g_test_message ("%s: mean luma %.1f, stddev %.1f", name, *mean_out, stddev);
  g_assert_cmpfloat (stddev, >, 8.0);

  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;

  f->dir = ob_test_dir_new ();
  db = ob_test_dir_file (f->dir, "ui.db");
  g_setenv ("OUTBOUND_DB", db, TRUE);

  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  f->window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  ob_ui_test_wait_ms (1500);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ob_ui_test_wait_ms (50);
  g_unsetenv ("OUTBOUND_DB");
  ob_test_dir_free (f->dir);
}

static void
test_pages_light_and_dark (Fixture       *f,
                           gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *schemes[] = { "light", "dark" };

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {

      adw_style_manager_set_color_scheme (style, s == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                        : ADW_COLOR_SCHEME_FORCE_DARK);
      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          g_autofree char *name = g_strdup_printf ("%s-%s", pages[i], schemes[s]);
          double mean;

          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", pages[i]));
          ob_ui_test_wait_ms (400);
          g_assert_cmpstr (ob_window_get_page (f->window), ==, pages[i]);
          save_screenshot (f->window, name, &mean);
          /* Light pages are bright, dark pages are dark. */
          if (s == 0)
            g_assert_cmpfloat (mean, >, 160);
          else
            g_assert_cmpfloat (mean, <, 100);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_narrow_window (Fixture       *f,
                    gconstpointer  data)
{
  AdwLeaflet *leaflet;
  double mean;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
  ob_ui_test_wait_ms (800);

  leaflet = ADW_LEAFLET (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  save_screenshot (f->window, "narrow-sidebar", &mean);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "domain-health"));
  ob_ui_test_wait_ms (600);
  save_screenshot (f->window, "narrow-domain-health", &mean);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL));
  ob_ui_test_wait_ms (600);
  g_assert_cmpstr (gtk_widget_get_name (adw_leaflet_get_visible_child (leaflet)), ==, "sidebar");
}

/* The opt-in bounce folder: empty by default (nothing in the mailbox
 * moves), set from Preferences into the setting the app passes on, in
 * any language. */
static void
test_preferences_bounce_folder (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  ObPreferencesWindow *prefs = ob_preferences_window_new ();
  GtkWidget *row;
  g_autofree char *value = NULL;

  g_assert_cmpstr ((value = g_settings_get_string (settings, "bounce-folder")), ==, "");
  g_clear_pointer (&value, g_free);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (prefs));
  ob_ui_test_wait_ms (300);
  row = ob_ui_test_find_named (GTK_WIDGET (prefs), "bounce_folder_row");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "Bounces");
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr ((value = g_settings_get_string (settings, "bounce-folder")), ==, "Bounces");
  g_clear_pointer (&value, g_free);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  /* Any language: kept as typed (the mailbox check spells it for the
   * server), and not marked as wrong. */
  gtk_editable_set_text (GTK_EDITABLE (row), "退信");
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr ((value = g_settings_get_string (settings, "bounce-folder")), ==, "退信");
  g_clear_pointer (&value, g_free);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  /* A pasted tab cannot be part of a folder name: the row says so. */
  gtk_editable_set_text (GTK_EDITABLE (row), "R&D\tBounces");
  ob_ui_test_wait_ms (100);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "control character"));
  gtk_editable_set_text (GTK_EDITABLE (row), "R&D Bounces");
  ob_ui_test_wait_ms (100);
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_settings_reset (settings, "bounce-folder");
  gtk_window_destroy (GTK_WINDOW (prefs));
  ob_ui_test_wait_ms (100);
}

/* About and the window show the app's own icon, installed or not. */
static void
test_app_icon (Fixture       *f,
               gconstpointer  data)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (f->window)));

  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = ob_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/window/pages-light-and-dark", Fixture, NULL,
              fixture_set_up, test_pages_light_and_dark, fixture_tear_down);
  g_test_add ("/ui/window/narrow", Fixture, NULL,
              fixture_set_up, test_narrow_window, fixture_tear_down);
  g_test_add ("/ui/window/app-icon", Fixture, NULL,
              fixture_set_up, test_app_icon, fixture_tear_down);
  g_test_add ("/ui/window/preferences-bounce-folder", Fixture, NULL,
              fixture_set_up, test_preferences_bounce_folder, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
