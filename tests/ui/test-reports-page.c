/* test-reports-page.c — the Reports page over a hand-made history: empty
 * state first, then the campaign's figures, the reasons, the domains and
 * the list health as the user reads them.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-application.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

static ObApplication *app;

/* The title and value of each row of a boxed list, "title=value". */
static GStrv
rows_of (GtkWidget *list)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *value = NULL;
      g_autofree char *line = NULL;

      if (!ADW_IS_ACTION_ROW (row))
        continue;
      /* The value is the label marked "numeric" in the row's suffixes. */
      {
        GtkWidget *stack[64];
        int n = 0;
        stack[n++] = row;
        while (n > 0)
          {
            GtkWidget *w = stack[--n];
            if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "numeric"))
              value = w;
            for (GtkWidget *c = gtk_widget_get_first_child (w); c && n < 64; c = gtk_widget_get_next_sibling (c))
              stack[n++] = c;
          }
      }
      line = g_strdup_printf ("%s=%s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              value && gtk_widget_has_css_class (value, "numeric") ? gtk_label_get_label (GTK_LABEL (value)) : "");
      g_strv_builder_add (b, line);
    }
  return g_strv_builder_end (b);
}

static void
exec (ObStore    *store,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static void
test_reports_page (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "reports.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;
  g_auto(GStrv) campaign = NULL;
  g_auto(GStrv) lists = NULL;
  ObWindow *window;
  GtkWidget *stack;

  store = ob_store_open (db, &error);
  g_assert_no_error (error);

  window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  gtk_window_present (GTK_WINDOW (window));
  ob_window_show_page (window, "reports");
  ob_ui_test_wait_ms (1200);

  stack = ob_ui_test_find_named (GTK_WIDGET (window), "reports_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");

  /* Four contacts from two sources; a campaign sent to three: one
   * refused at RCPT (userunknown), one reply. */
  exec (store, "INSERT INTO contacts (id, email, email_key, domain, source, verdict, status, created_at, updated_at)"
               " VALUES (1, 'a@acme.de', 'a@acme.de', 'acme.de', 'fair', 'valid', 'suppressed', 0, 0),"
               " (2, 'b@acme.de', 'b@acme.de', 'acme.de', 'fair', 'valid', 'active', 0, 0),"
               " (3, 'c@valve.us', 'c@valve.us', 'valve.us', 'web', 'valid', 'active', 0, 0),"
               " (4, 'd@valve.us', 'd@valve.us', 'valve.us', 'web', 'invalid', 'invalid', 0, 0)");

  /* Contacts but no campaign yet: the list report shows, the campaign
   * chooser has nothing to offer and says so by being off. */
  ob_window_show_page (window, "contacts");
  ob_ui_test_wait_ms (200);
  ob_window_show_page (window, "reports");
  ob_ui_test_wait_ms (500);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "reports");
  g_assert_false (gtk_widget_get_sensitive (ob_ui_test_find_named (GTK_WIDGET (window), "campaign_dropdown")));

  exec (store, "INSERT INTO templates (id, name, created_at, updated_at) VALUES (1, 't', 0, 0)");
  exec (store, "INSERT INTO campaigns (id, name, state, created_at, updated_at) VALUES (1, 'Spring fair', 'running', 0, 0)");
  exec (store, "INSERT INTO events (at, kind, contact_id, campaign_id, step, data) VALUES"
               " (1, 'hard_bounce', 1, 1, 1, '{\"attempt\":true,\"reason\":\"userunknown\"}'),"
               " (1, 'sent', 2, 1, 1, '{\"attempt\":true}'),"
               " (1, 'sent', 3, 1, 1, '{\"attempt\":true}'),"
               " (2, 'replied', 3, 1, 1, NULL)");

  /* Shown again: the page reads the database afresh. */
  ob_window_show_page (window, "contacts");
  ob_ui_test_wait_ms (200);
  ob_window_show_page (window, "reports");
  ob_ui_test_wait_ms (500);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "reports");
  g_assert_true (gtk_widget_get_sensitive (ob_ui_test_find_named (GTK_WIDGET (window), "campaign_dropdown")));

  campaign = rows_of (ob_ui_test_find_named (GTK_WIDGET (window), "report_campaign_list"));
  for (guint i = 0; campaign[i]; i++)
    g_test_message ("row: %s", campaign[i]);
  g_assert_true (g_strv_contains ((const char * const *) campaign, "Sent=2"));
  g_assert_true (g_strv_contains ((const char * const *) campaign, "Delivered=2"));
  g_assert_true (g_strv_contains ((const char * const *) campaign, "Bounce rate=33.3 %"));
  g_assert_true (g_strv_contains ((const char * const *) campaign, "Replies=1"));

  /* Bounces by reason, in words. */
  {
    g_auto(GStrv) reasons = rows_of (ob_ui_test_find_named (GTK_WIDGET (window), "report_reason_list"));

    for (guint i = 0; reasons[i]; i++)
      g_test_message ("reason: %s", reasons[i]);
    g_assert_true (g_strv_contains ((const char * const *) reasons, "The mailbox does not exist=1 hard, 0 soft"));
  }

  lists = rows_of (ob_ui_test_find_named (GTK_WIDGET (window), "report_lists_list"));
  g_assert_true (g_strv_contains ((const char * const *) lists, "Valid=3 (75 %)"));
  g_assert_true (g_strv_contains ((const char * const *) lists, "Invalid=1 (25 %)"));

  g_object_unref (ob_ui_test_screenshot (GTK_WIDGET (window), "reports-light"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ob_ui_test_wait_ms (300);
  g_object_unref (ob_ui_test_screenshot (GTK_WIDGET (window), "reports-dark"));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
  ob_ui_test_wait_ms (50);
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

  g_test_add_func ("/ui/reports-page", test_reports_page);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
