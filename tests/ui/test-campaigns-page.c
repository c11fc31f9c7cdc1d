/* test-campaigns-page.c — the Campaigns page as a user drives it: the
 * setup assistant through every step (account, a segment audience with its
 * list health, mails with their lint, schedule and pace, the pre-flight
 * review that blocks a template with a lint error and asks for the
 * warnings to be confirmed, a test send through the real transport to a
 * dry-run account), then the campaign in the list, pause / resume / stop
 * through the buttons, and an uncertain send resolved with "Mark as
 * Sent". Screenshots go to $OUTBOUND_SCREENSHOT_DIR.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "ob-account.h"
#include "ob-application.h"
#include "ob-bounce-classifier.h"
#include "ob-campaign-assistant.h"
#include "ob-campaign.h"
#include "ob-domain-check-store.h"
#include "ob-mail-transport.h"
#include "ob-real-clock.h"
#include "ob-send-engine.h"
#include "ob-template-linter.h"
#include "ob-template-renderer.h"
#include "ob-template.h"
#include "ob-template-library.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

static ObApplication *app;

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  g_assert_nonnull (dir);
  g_mkdir_with_parents (dir, 0755);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  for (int tries = 0; node == NULL && tries < 50; tries++)
    {
      ob_ui_test_wait_ms (100);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  ob_ui_test_wait_ms (150);
}

static void
add_contact (ObStore    *store,
             const char *email,
             const char *first,
             const char *company,
             const char *country,
             const char *verdict,
             const char *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO contacts (email, email_key, domain, first_name, company, "
                                          "country, verdict, status, created_at, updated_at) "
                                          "VALUES ('%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s', 1, 1)",
                                          email, email, strchr (email, '@') + 1, first, company, country,
                                          verdict, status);

  g_assert_true (ob_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static gint64
add_template (ObStore    *store,
              const char *name,
              const char *subject,
              const char *body)
{
  g_autoptr(ObTemplate) t = ob_template_new ();
  g_autoptr(GError) error = NULL;

  ob_template_set_name (t, name);
  ob_template_set_subject (t, subject);
  ob_template_set_body_text (t, body);
  g_assert_true (ob_template_library_save (store, t, &error));
  g_assert_no_error (error);
  return ob_template_get_id (t);
}

static guint
template_errors (ObStore *store,
                 gint64   id,
                 gboolean first)
{
  g_autoptr(ObTemplate) t = ob_template_library_load (store, id, NULL);
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  g_autoptr(GPtrArray) findings = NULL;
  guint errors = 0;

  ob_template_linter_set_first_mail (linter, first);
  findings = ob_template_linter_lint (linter, t);
  for (guint i = 0; i < findings->len; i++)
    if (((ObLintFinding *) findings->pdata[i])->severity == OB_LINT_SEVERITY_ERROR)
      errors++;
  return errors;
}

/* Selects the template called @name in a step's combo row. */
static void
choose_template (GtkWidget  *combo,
                 const char *name)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
        return;
      }
  g_error ("No template %s in the list", name);
}

/* How many labels under @root have their text cut with an ellipsis. */
static guint
count_ellipsized (GtkWidget *root)
{
  guint n = 0;

  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (root))))
    {
      g_test_message ("cut: %s", gtk_label_get_text (GTK_LABEL (root)));
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_ellipsized (c);
  return n;
}

static int
check_level (GtkWidget  *assistant,
             const char *id)
{
  GtkWidget *row = ob_ui_test_need_named (assistant, id);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "level"));
}

static char *
state_in_db (ObStore *store,
             gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT state FROM campaigns WHERE id = %" G_GINT64_FORMAT, id);
  return ob_test_query_text (store, sql);
}

/* Starting queues the mails in a worker thread: wait until it is done. */
static char *
wait_for_state (ObStore    *store,
                gint64      id,
                const char *expected)
{
  char *state = NULL;

  for (int i = 0; i < 100; i++)
    {
      g_free (state);
      state = state_in_db (store, id);
      if (g_strcmp0 (state, expected) == 0)
        break;
      ob_ui_test_wait_ms (50);
    }
  ob_ui_test_wait_ms (100);
  return state;
}

static void
respond_to_dialog (const char *response)
{
  AdwMessageDialog *dialog = NULL;

  for (int i = 0; i < 50 && dialog == NULL; i++)
    {
      dialog = (AdwMessageDialog *) ob_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      if (dialog == NULL)
        ob_ui_test_wait_ms (50);
    }
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (200);
}

static gboolean
widget_is_shown (GtkWidget *w)
{
  return gtk_widget_get_visible (w) && gtk_widget_get_child_visible (w);
}

static void
test_campaigns_page (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "campaigns.db");
  g_autofree char *outbox = ob_test_dir_file (dir, "outbox");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObAccount) account = NULL;
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *state = NULL;
  ObWindow *window;
  GtkWidget *page, *stack, *assistant, *steps, *w;
  gint64 good_id, bad_id, campaign_id, uncertain_id;
  g_autofree char *uncertain_sql = NULL;

  store = ob_store_open (db, &error);
  g_assert_no_error (error);

  /* Germany and the US: three that can receive, one risky among them;
   * an invalid and a suppressed address are skipped. China is outside. */
  add_contact (store, "anna@acme-valves.de", "Anna", "Acme Valves GmbH", "DE", "valid", "active");
  add_contact (store, "info@rohr-werk.de", "", "Rohrwerk AG", "DE", "risky", "active");
  add_contact (store, "eve@nowhere-gmbh.de", "Eve", "Nowhere GmbH", "DE", "invalid", "active");
  add_contact (store, "frank@bounced.de", "Frank", "Bounced KG", "DE", "valid", "suppressed");
  add_contact (store, "bob@pipes.example.com", "Bob", "Pipes Inc.", "US", "valid", "active");
  add_contact (store, "chen@fittings.cn", "Chen", "Fittings Ltd.", "CN", "valid", "active");

  g_mkdir_with_parents (outbox, 0700);
  account = ob_account_new ("li.wei@hengda-valve.test");
  ob_account_set_display_name (account, "Li Wei");
  ob_account_set_imap (account, NULL, 0, OB_MAIL_SECURITY_TLS);
  ob_account_set_dry_run_dir (account, outbox);
  g_assert_cmpint (ob_account_store_add (store, account, &error), >, 0);
  g_assert_no_error (error);

  bad_id = add_template (store, "Broken intro", "Brass valves for {{company|your company}}",
                         "Dear {{first_name|Sir or Madam}},\n\nWe make brass ball valves for {{company.\n\n"
                         "Best regards,\nLi Wei\nHengda Valve Co., Ltd.\n\n"
                         "If you would rather not hear from us again, just reply \"unsubscribe\".\n");
  good_id = add_template (store, "Clean intro", "Brass ball valves for {{company|your company}}",
                          "Dear {{first_name|Sir or Madam}},\n\nWe make brass ball valves in Yuhuan and ship "
                          "to Europe every week.\nMay I send you our catalogue?\n\n"
                          "Best regards,\nLi Wei\nHengda Valve Co., Ltd.\nTel. +86 576 8888 1234\n\n"
                          "If you would rather not hear from us again, just reply \"unsubscribe\".\n");
  /* The premise: one template has a lint error, the other none. */
  g_assert_cmpuint (template_errors (store, bad_id, TRUE), >, 0);
  g_assert_cmpuint (template_errors (store, good_id, TRUE), ==, 0);
  g_assert_cmpuint (template_errors (store, good_id, FALSE), ==, 0);

  /* The sender domain was checked: a warning (no DMARC record). */
  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"domain\": \"hengda-valve.test\", \"checked_at\": 1790000000,"
                                             " \"findings\": [{\"id\": \"spf-ok\", \"severity\": \"ok\", \"group\": \"spf\"},"
                                             " {\"id\": \"dmarc-missing\", \"severity\": \"warning\", \"group\": \"dmarc\"}]}",
                                             -1, &error));
  g_assert_true (ob_domain_check_store_save (store, json_parser_get_root (parser), &error));
  g_assert_no_error (error);

  window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  ob_window_show_page (window, "campaigns");
  ob_ui_test_wait_ms (1500);

  stack = ob_ui_test_need_named (GTK_WIDGET (window), "campaigns_stack");
  page = gtk_widget_get_parent (stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");

  /* ---- the assistant ---- */
  g_assert_true (gtk_widget_activate_action (page, "campaigns.new", NULL));
  ob_ui_test_wait_ms (500);
  assistant = GTK_WIDGET (ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT));
  g_assert_nonnull (assistant);
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "account");
  /* "Step 1 of 5" is said once, in the header, not again in the bottom bar. */
  {
    AdwWindowTitle *title = ADW_WINDOW_TITLE (ob_ui_test_find_type (assistant, ADW_TYPE_WINDOW_TITLE));
    g_assert_nonnull (strstr (adw_window_title_get_subtitle (title), "1"));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (assistant, "step_label"))), ==, "");
  }
  /* The keyboard starts in the name, not on Cancel. */
  w = gtk_root_get_focus (GTK_ROOT (assistant));
  g_assert_nonnull (w);
  g_assert_true (gtk_widget_is_ancestor (w, ob_ui_test_need_named (assistant, "name_row")));

  /* Account: the only one is ticked; without a name there is no next. */
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (assistant, "name_row")), "");
  g_assert_false (gtk_widget_is_sensitive (ob_ui_test_need_named (assistant, "next_button")));
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (assistant, "name_row")), "Valves spring 2027");
  click (ob_ui_test_need_named (assistant, "next_button"));
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "audience");

  /* Audience: all active contacts, then a segment with its live count. */
  ob_ui_test_wait_ms (500);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (assistant, "receive_label"))), ==, "4");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ob_ui_test_need_named (assistant, "segment_check")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (assistant, "segment_row")), "country=Atlantis");
  ob_ui_test_wait_ms (500);
  g_assert_true (gtk_widget_get_visible (ob_ui_test_need_named (assistant, "segment_error")));
  g_assert_false (gtk_widget_is_sensitive (ob_ui_test_need_named (assistant, "next_button")));
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (assistant, "segment_row")), "country=DE|US");
  ob_ui_test_wait_ms (500);
  g_assert_false (gtk_widget_get_visible (ob_ui_test_need_named (assistant, "segment_error")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (assistant, "receive_label"))), ==, "3");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (assistant, "invalid_label"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (assistant, "suppressed_label"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (assistant, "risky_label"))), ==, "1");
  click (ob_ui_test_need_named (assistant, "next_button"));
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "templates");

  /* Mails: the broken template first, a clean follow-up 4 days later. */
  steps = ob_ui_test_need_named (assistant, "step_list");
  choose_template (ob_ui_test_need_named (steps, "step-first"), "Broken intro");
  g_assert_true (gtk_widget_has_css_class (ob_ui_test_need_named (steps, "step-first"), "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ob_ui_test_need_named (steps, "step-first"))),
                            "1 error"));
  click (ob_ui_test_need_named (assistant, "add_followup_button"));
  choose_template (ob_ui_test_need_named (steps, "step-followup"), "Clean intro");
  g_assert_false (gtk_widget_has_css_class (ob_ui_test_need_named (steps, "step-followup"), "error"));
  /* The follow-up goes 4 days after the first mail. */
  w = ob_ui_test_find_type (ob_ui_test_need_named (steps, "step-followup"), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (w);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (w), 4);
  click (ob_ui_test_need_named (assistant, "next_button"));
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "schedule");

  /* Schedule and pace: the careful preset, then a change makes it Custom. */
  {
    GtkWidget *preset = ob_ui_test_need_named (assistant, "preset_row");
    guint n;
    const ObPacingPreset *presets = ob_pacing_get_presets (&n);

    for (guint i = 0; i < n; i++)
      if (g_str_equal (presets[i].id, "careful"))
        adw_combo_row_set_selected (ADW_COMBO_ROW (preset), i);
    ob_ui_test_wait_ms (100);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ob_ui_test_need_named (assistant, "daily_cap_spin"))), ==,
                     ob_pacing_find_preset ("careful")->pacing.daily_cap);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (ob_ui_test_need_named (assistant, "warmup_switch"))));
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (assistant, "daily_cap_spin")), 40);
    ob_ui_test_wait_ms (100);
    g_assert_cmpstr (presets[adw_combo_row_get_selected (ADW_COMBO_ROW (preset))].id, ==, "custom");
  }
  /* Add Monday to the default Tue–Thu. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_first_child (ob_ui_test_need_named (assistant, "days_box"))),
                                TRUE);
  gtk_window_set_default_size (GTK_WINDOW (assistant), 640, 900);
  ob_ui_test_wait_ms (400);
  screenshot (assistant, "campaigns-assistant-schedule");
  click (ob_ui_test_need_named (assistant, "next_button"));
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "review");

  /* Review: the broken template blocks the start. */
  g_assert_cmpint (check_level (assistant, "check-lint-1"), ==, 3);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ob_ui_test_need_named (assistant, "check-lint-1"))),
                            "Broken intro"));
  g_assert_cmpint (check_level (assistant, "check-lint-2"), <, 3);
  g_assert_cmpint (check_level (assistant, "check-domain-0"), ==, 2);
  g_assert_cmpint (check_level (assistant, "check-risky"), ==, 2);
  g_assert_cmpint (check_level (assistant, "check-audience"), ==, 0);
  g_assert_cmpint (check_level (assistant, "check-finish"), ==, 1);
  g_assert_true (gtk_widget_get_visible (ob_ui_test_need_named (assistant, "create_button")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ob_ui_test_need_named (assistant, "confirm_check")), TRUE);
  ob_ui_test_wait_ms (50);
  g_assert_false (gtk_widget_is_sensitive (ob_ui_test_need_named (assistant, "create_button")));
  ob_ui_test_wait_ms (500);
  screenshot (assistant, "campaigns-assistant-review-blocked");

  /* Back to the mails: the clean template first. */
  click (ob_ui_test_need_named (assistant, "back_button"));
  click (ob_ui_test_need_named (assistant, "back_button"));
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "templates");
  choose_template (ob_ui_test_need_named (steps, "step-first"), "Clean intro");
  g_assert_false (gtk_widget_has_css_class (ob_ui_test_need_named (steps, "step-first"), "error"));
  click (ob_ui_test_need_named (assistant, "next_button"));
  click (ob_ui_test_need_named (assistant, "next_button"));
  g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "review");
  g_assert_cmpint (check_level (assistant, "check-lint-1"), <, 3);

  /* Warnings left: the start waits for the user's word. */
  g_assert_true (gtk_widget_get_visible (ob_ui_test_need_named (assistant, "confirm_check")));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (ob_ui_test_need_named (assistant, "confirm_check"))));
  g_assert_false (gtk_widget_is_sensitive (ob_ui_test_need_named (assistant, "create_button")));

  /* A test send through the real transport: the dry-run account writes it. */
  click (ob_ui_test_need_named (assistant, "test_button"));
  for (int i = 0; i < 100 && !g_object_get_data (G_OBJECT (ob_ui_test_need_named (assistant, "test_row")), "sent"); i++)
    ob_ui_test_wait_ms (50);
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (ob_ui_test_need_named (assistant, "test_row")), "sent")), ==, 1);
  {
    g_autoptr(GDir) d = g_dir_open (outbox, 0, &error);
    const char *file;
    guint n = 0;

    g_assert_no_error (error);
    while ((file = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (outbox, file, NULL);
        g_autofree char *text = NULL;

        g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
        g_assert_nonnull (strstr (text, "[Test] Brass ball valves for"));
        g_assert_nonnull (strstr (text, "li.wei@hengda-valve.test"));
        n++;
      }
    g_assert_cmpuint (n, ==, 1);
  }

  gtk_check_button_set_active (GTK_CHECK_BUTTON (ob_ui_test_need_named (assistant, "confirm_check")), TRUE);
  ob_ui_test_wait_ms (100);
  screenshot (assistant, "campaigns-assistant-review");
  click (ob_ui_test_need_named (assistant, "create_button"));
  for (int i = 0; i < 100 && ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT) != NULL; i++)
    ob_ui_test_wait_ms (50);
  ob_ui_test_wait_ms (300);
  g_assert_null (ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT));

  /* ---- the campaign in the list and the database ---- */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "campaigns");
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (ob_ui_test_need_named (page, "campaign_list")), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (ob_ui_test_need_named (page, "campaign_list")), 1));
  campaigns = ob_campaign_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (campaigns->len, ==, 1);
  campaign_id = ((ObCampaignSummary *) campaigns->pdata[0])->id;
  g_assert_cmpstr (((ObCampaignSummary *) campaigns->pdata[0])->name, ==, "Valves spring 2027");
  state = state_in_db (store, campaign_id);
  g_assert_cmpstr (state, ==, "running");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "state_label"))), "Running"));
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM campaign_accounts"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM campaign_steps"), ==, 2);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT template_id FROM campaign_steps WHERE position = 1");
    g_assert_cmpint (ob_test_query_int (store, sql), ==, good_id);
  }
  g_assert_cmpint (ob_test_query_int (store, "SELECT delay_days FROM campaign_steps WHERE position = 2"), ==, 4);
  g_assert_cmpint (ob_test_query_int (store, "SELECT daily_cap FROM campaigns"), ==, 40);
  g_assert_cmpint (ob_test_query_int (store, "SELECT warmup FROM campaigns"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT window_days FROM campaigns"), ==, 0x0f);
  /* Three contacts (DE and US, valid or risky) × two steps. */
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM queue"), ==, 6);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                             "WHERE c.email IN ('eve@nowhere-gmbh.de', 'frank@bounced.de', "
                                             "'chen@fittings.cn')"), ==, 0);
  /* The next mails are listed, in the recipients' time. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (ob_ui_test_need_named (page, "upcoming_list")), 2));

  screenshot (GTK_WIDGET (window), "campaigns-list-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ob_ui_test_wait_ms (300);
  screenshot (GTK_WIDGET (window), "campaigns-list-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* 700 px wide, beside the sidebar: the list and the campaign take turns
   * rather than squeezing the figures until their captions are cut. */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 800);
  ob_ui_test_wait_ms (600);
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (ob_ui_test_find_type (page, ADW_TYPE_LEAFLET))));
  g_signal_emit_by_name (ob_ui_test_need_named (page, "campaign_list"), "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (ob_ui_test_need_named (page, "campaign_list")), 0));
  ob_ui_test_wait_ms (600);
  g_assert_true (gtk_widget_is_ancestor (ob_ui_test_need_named (page, "figures_box"),
                                         adw_leaflet_get_visible_child (ADW_LEAFLET (ob_ui_test_find_type (page, ADW_TYPE_LEAFLET)))));
  g_assert_cmpuint (count_ellipsized (ob_ui_test_need_named (page, "figures_box")), ==, 0);
  screenshot (GTK_WIDGET (window), "campaigns-700px");
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  ob_ui_test_wait_ms (600);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (ob_ui_test_find_type (page, ADW_TYPE_LEAFLET))));

  /* ---- a send cut off by a crash becomes uncertain ---- */
  uncertain_id = ob_test_query_int (store, "SELECT q.id FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                           "JOIN campaign_steps s ON s.id = q.step_id "
                                           "WHERE c.email = 'anna@acme-valves.de' AND s.position = 1");
  uncertain_sql = g_strdup_printf ("UPDATE queue SET state = 'sending', account_id = 1, updated_at = 1790000000 "
                                   "WHERE id = %" G_GINT64_FORMAT, uncertain_id);
  g_assert_true (ob_store_exec (store, uncertain_sql, &error));
  {
    g_autoptr(ObClock) clock = ob_real_clock_new ();
    g_autoptr(ObMailTransport) transport = ob_mail_transport_new (store);
    g_autoptr(ObTemplateRenderer) renderer = ob_template_renderer_new (store, clock);
    g_autoptr(ObBounceClassifier) classifier = ob_bounce_classifier_new ();
    g_autoptr(ObSendEngine) engine = ob_send_engine_new (store, clock, OB_SEND_TRANSPORT (transport),
                                                         OB_MESSAGE_RENDERER (renderer),
                                                         OB_REPLY_CLASSIFIER (classifier));

    g_assert_cmpuint (ob_send_engine_recover (engine, &error), ==, 1);
    g_assert_no_error (error);
  }

  /* Pause through the button: the banner says why, with Resume. */
  g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "paused_box")));
  click (ob_ui_test_need_named (page, "pause_button"));
  g_free (state);
  state = state_in_db (store, campaign_id);
  g_assert_cmpstr (state, ==, "paused");
  g_assert_true (widget_is_shown (ob_ui_test_need_named (page, "paused_box")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "paused_reason"))), ==, "Paused by you");
  /* Paused by the user, nothing bounced: no list to clean. */
  g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "list_button")));
  g_assert_true (widget_is_shown (ob_ui_test_need_named (page, "resume_button")));
  g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "pause_button")));

  /* The uncertain send is listed with its two choices. */
  g_assert_true (widget_is_shown (gtk_widget_get_ancestor (ob_ui_test_need_named (page, "uncertain_list"),
                                                           ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_nonnull (ob_ui_test_find_named (ob_ui_test_need_named (page, "uncertain_list"), "resend-button"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "figure-uncertain"))), ==, "1");
  ob_ui_test_wait_ms (200);
  screenshot (GTK_WIDGET (window), "campaigns-detail");

  /* "Send Again" asks first; cancelling changes nothing. */
  click (ob_ui_test_find_named (ob_ui_test_need_named (page, "uncertain_list"), "resend-button"));
  respond_to_dialog ("cancel");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT state FROM queue WHERE id = %" G_GINT64_FORMAT, uncertain_id);
    g_autofree char *row_state = ob_test_query_text (store, sql);
    g_assert_cmpstr (row_state, ==, "uncertain");
  }
  /* "Mark as Sent", confirmed: the row counts as sent and leaves the list. */
  click (ob_ui_test_find_named (ob_ui_test_need_named (page, "uncertain_list"), "mark-sent-button"));
  respond_to_dialog ("mark-sent");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT state FROM queue WHERE id = %" G_GINT64_FORMAT, uncertain_id);
    g_autofree char *row_state = ob_test_query_text (store, sql);
    g_assert_cmpstr (row_state, ==, "sent");
  }
  g_assert_null (ob_ui_test_find_named (ob_ui_test_need_named (page, "uncertain_list"), "mark-sent-button"));
  g_assert_false (widget_is_shown (gtk_widget_get_ancestor (ob_ui_test_need_named (page, "uncertain_list"),
                                                            ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "figure-sent"))), ==, "1");

  /* A hard bounce pushes the bounce rate over 5 %: shown in red. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO events (at, kind, contact_id, campaign_id, step, reply) "
                                            "SELECT 1790000100, 'hard_bounce', id, %" G_GINT64_FORMAT ", 1, "
                                            "'550 5.1.1 User unknown' FROM contacts WHERE email = 'bob@pipes.example.com'",
                                            campaign_id);
    g_autoptr(ObCampaignStatus) status = NULL;
    GtkWidget *rate = ob_ui_test_need_named (page, "figure-bounce-rate");

    g_assert_false (gtk_widget_has_css_class (rate, "error"));
    g_assert_true (ob_store_exec (store, sql, &error));
    g_assert_no_error (error);
    status = ob_campaign_get_status (store, campaign_id, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (status->bounce_rate, >=, 0.05);
    g_assert_true (gtk_widget_activate_action (page, "campaigns.refresh", NULL));
    ob_ui_test_wait_ms (100);
    g_assert_true (gtk_widget_has_css_class (rate, "error"));
    g_assert_false (gtk_widget_has_css_class (rate, "warning"));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "figure-hard"))), ==, "1");
    /* Paused with a bounce: the banner offers the way to the list. */
    g_assert_true (widget_is_shown (ob_ui_test_need_named (page, "list_button")));
  }

  /* Recent Activity shows a bounce's server words; a mail that went
   * keeps its "250 OK" out of sight, for who hovers. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO events (at, kind, contact_id, campaign_id, step, reply) "
                                            "SELECT 1790000200, 'sent', id, %" G_GINT64_FORMAT ", 1, "
                                            "'250 2.0.0 OK: queued as 4Xy' FROM contacts WHERE email = 'bob@pipes.example.com'",
                                            campaign_id);
    gboolean saw_sent = FALSE, saw_bounce = FALSE;

    g_assert_true (ob_store_exec (store, sql, &error));
    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (page, "campaigns.refresh", NULL));
    ob_ui_test_wait_ms (100);
    for (GtkWidget *row = gtk_widget_get_first_child (ob_ui_test_need_named (page, "activity_list"));
         row != NULL; row = gtk_widget_get_next_sibling (row))
      {
        const char *subtitle = ADW_IS_ACTION_ROW (row) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
        const char *tip = gtk_widget_get_tooltip_text (row);

        if (subtitle == NULL)
          continue;
        g_assert_null (strstr (subtitle, "250 2.0.0"));
        if (tip != NULL && strstr (tip, "250 2.0.0 OK: queued as 4Xy") != NULL)
          saw_sent = TRUE;
        if (strstr (subtitle, "550 5.1.1 User unknown") != NULL)
          saw_bounce = TRUE;
      }
    g_assert_true (saw_sent);
    g_assert_true (saw_bounce);
  }

  /* Resume through the banner's button row. */
  click (ob_ui_test_need_named (page, "resume_button"));
  g_free (state);
  state = state_in_db (store, campaign_id);
  g_assert_cmpstr (state, ==, "running");
  g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "paused_box")));

  /* Stop asks first; cancel keeps it running, confirm stops it. */
  click (ob_ui_test_need_named (page, "stop_button"));
  respond_to_dialog ("cancel");
  g_free (state);
  state = state_in_db (store, campaign_id);
  g_assert_cmpstr (state, ==, "running");
  click (ob_ui_test_need_named (page, "stop_button"));
  respond_to_dialog ("stop");
  g_free (state);
  state = state_in_db (store, campaign_id);
  g_assert_cmpstr (state, ==, "stopped");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "state_label"))), "Stopped"));
  g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "stop_button")));

  /* A second sender whose domain was never checked: the review warns and
   * its button leads to the Domain Health page. */
  {
    g_autoptr(ObAccount) other = ob_account_new ("sales@hengda-export.test");
    GtkWidget *list, *button;

    ob_account_set_imap (other, NULL, 0, OB_MAIL_SECURITY_TLS);
    ob_account_set_dry_run_dir (other, outbox);
    g_assert_cmpint (ob_account_store_add (store, other, &error), >, 0);
    g_assert_no_error (error);

    g_assert_true (gtk_widget_activate_action (page, "campaigns.new", NULL));
    ob_ui_test_wait_ms (500);
    assistant = GTK_WIDGET (ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT));
    g_assert_nonnull (assistant);
    list = ob_ui_test_need_named (assistant, "account_list");
    for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
      gtk_check_button_set_active (GTK_CHECK_BUTTON (ob_ui_test_find_type (row, GTK_TYPE_CHECK_BUTTON)), TRUE);
    click (ob_ui_test_need_named (assistant, "next_button"));
    ob_ui_test_wait_ms (500);
    click (ob_ui_test_need_named (assistant, "next_button"));
    choose_template (ob_ui_test_need_named (ob_ui_test_need_named (assistant, "step_list"), "step-first"), "Clean intro");
    click (ob_ui_test_need_named (assistant, "next_button"));
    click (ob_ui_test_need_named (assistant, "next_button"));
    g_assert_cmpstr (ob_campaign_assistant_get_step (OB_CAMPAIGN_ASSISTANT (assistant)), ==, "review");
    g_assert_cmpint (check_level (assistant, "check-domain-0"), ==, 2);
    g_assert_cmpint (check_level (assistant, "check-domain-1"), ==, 2);
    g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ob_ui_test_need_named (assistant, "check-domain-1"))),
                              "hengda-export.test"));
    /* Four receive it now that every active contact is in. */
    g_assert_cmpint (check_level (assistant, "check-audience"), ==, 0);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ob_ui_test_need_named (assistant, "check-audience"))), ==,
                     "4 contacts will receive it");
    button = ob_ui_test_need_named (ob_ui_test_need_named (assistant, "check-domain-1"), "check-domain-button");
    click (button);
    ob_ui_test_wait_ms (300);
    g_assert_null (ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT));
    g_assert_cmpstr (ob_window_get_page (window), ==, "domain-health");
    /* Nothing was created. */
    g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM campaigns"), ==, 1);
    ob_window_show_page (window, "campaigns");
    ob_ui_test_wait_ms (300);
  }

  /* A draft (made elsewhere, e.g. by outbound-cli) starts with its button. */
  {
    g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
    GtkWidget *list = ob_ui_test_need_named (page, "campaign_list");
    GtkListBoxRow *row = NULL;
    gint64 draft_id;
    g_autofree char *draft_state = NULL;

    settings->name = g_strdup ("Fittings autumn");
    ob_campaign_settings_add_account (settings, ob_account_get_id (account));
    ob_campaign_settings_add_step (settings, good_id, 0);
    ob_send_window_init_default (&settings->window);
    settings->pacing = ob_pacing_find_preset ("normal")->pacing;
    draft_id = ob_campaign_create (store, settings, g_get_real_time () / G_USEC_PER_SEC, &error);
    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (page, "campaigns.refresh", NULL));
    ob_ui_test_wait_ms (100);
    for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
      {
        GtkWidget *label = ob_ui_test_find_type (GTK_WIDGET (row), GTK_TYPE_LABEL);
        if (g_str_equal (gtk_label_get_label (GTK_LABEL (label)), "Fittings autumn"))
          break;
      }
    g_assert_nonnull (row);
    gtk_list_box_select_row (GTK_LIST_BOX (list), row);
    ob_ui_test_wait_ms (100);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "name_label"))), ==, "Fittings autumn");
    g_assert_true (widget_is_shown (ob_ui_test_need_named (page, "start_button")));
    g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "pause_button")));
    click (ob_ui_test_need_named (page, "start_button"));
    draft_state = wait_for_state (store, draft_id, "running");
    g_assert_cmpstr (draft_state, ==, "running");
    g_assert_false (widget_is_shown (ob_ui_test_need_named (page, "start_button")));
    g_assert_true (widget_is_shown (ob_ui_test_need_named (page, "pause_button")));
  }

  /* Narrow: the list and the detail become two views; a row opens its
   * detail, whose back button returns to the list. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  ob_ui_test_wait_ms (600);
  {
    GtkWidget *leaflet = ob_ui_test_find_type (page, ADW_TYPE_LEAFLET);
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (ob_ui_test_need_named (page, "campaign_list")), 0));

    g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
    gtk_widget_activate (row);
    ob_ui_test_wait_ms (600);
    g_assert_true (gtk_widget_is_ancestor (ob_ui_test_need_named (page, "name_label"),
                                           adw_leaflet_get_visible_child (ADW_LEAFLET (leaflet))));
  }
  screenshot (GTK_WIDGET (window), "campaigns-narrow");

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

  g_test_add_func ("/ui/campaigns-page", test_campaigns_page);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
