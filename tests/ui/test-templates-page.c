/* test-templates-page.c — the Templates page as a user drives it: a new
 * template, typing a spammy subject, the lint underlines and list, a
 * one-click fix, the merge-field highlight, the preview for a contact, and
 * saving a new version. Screenshots go to $OUTBOUND_SCREENSHOT_DIR.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "ob-application.h"
#include "ob-template-editor.h"
#include "ob-template-library.h"
#include "ob-template-linter.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

static ObApplication *app;

static void
linted_cb (gpointer  editor,
           gboolean *flag)
{
  *flag = TRUE;
}

/* Waits for the debounced lint to run and finish. */
static void
wait_for_lint (ObTemplateEditor *editor)
{
  gboolean linted = FALSE;
  gulong id = g_signal_connect (editor, "linted", G_CALLBACK (linted_cb), &linted);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!linted && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (editor, id);
  g_assert_true (linted);
}

static gboolean
has_rule (ObTemplateEditor *editor,
          const char       *rule,
          int               part)
{
  GPtrArray *findings = ob_template_editor_get_findings (editor);

  for (guint i = 0; i < findings->len; i++)
    {
      const ObLintFinding *f = findings->pdata[i];
      if (g_str_equal (f->rule, rule) && (part < 0 || (int) f->part == part))
        return TRUE;
    }
  return FALSE;
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  g_autoptr(GdkTexture) texture = ob_ui_test_screenshot (window, name);
}

static void
test_templates_page (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "templates.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObTemplate) saved = NULL;
  g_autoptr(GPtrArray) all = NULL;
  ObTemplateEditor *editor;
  ObWindow *window;
  GtkWidget *page, *stack, *subject, *list;
  GtkTextBuffer *buffer;
  GtkTextTagTable *tags;
  GtkTextIter iter;
  PangoAttrList *attrs;
  const char *body;
  GtkWidget *fix_button = NULL;

  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, first_name, company,"
                                " created_at, updated_at) VALUES ('anna@acme-valves.de', 'anna@acme-valves.de',"
                                " 'acme-valves.de', 'Anna', 'Acme Valves GmbH', 1, 1)", &error));

  window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  ob_window_show_page (window, "templates");
  ob_ui_test_wait_ms (1500);

  page = ob_ui_test_find_named (GTK_WIDGET (window), "templates_stack");
  g_assert_nonnull (page);
  stack = page;
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  screenshot (GTK_WIDGET (window), "templates-empty");

  /* New template: the list gets it and the editor shows it. */
  g_assert_true (gtk_widget_activate_action (gtk_widget_get_parent (stack), "templates.new", NULL));
  ob_ui_test_wait_ms (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "templates");
  list = ob_ui_test_find_named (GTK_WIDGET (window), "template_list");
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));

  editor = OB_TEMPLATE_EDITOR (ob_ui_test_find_type (GTK_WIDGET (window), OB_TYPE_TEMPLATE_EDITOR));
  g_assert_nonnull (editor);
  ob_template_editor_lint_now (editor);
  wait_for_lint (editor);
  /* The starter mail is clean but for its empty subject. */
  g_assert_true (has_rule (editor, "subject-empty", -1));
  g_assert_false (has_rule (editor, "missing-unsubscribe", -1));

  /* A spammy subject: findings on the subject, underlined in the entry. */
  subject = ob_ui_test_find_named (GTK_WIDGET (editor), "subject_entry");
  gtk_editable_set_text (GTK_EDITABLE (subject), "FREE SAMPLES!!! LOWEST PRICE for {{company}}");
  wait_for_lint (editor);
  g_assert_true (has_rule (editor, "subject-caps", 0));
  g_assert_true (has_rule (editor, "exclamation", 0));
  g_assert_true (has_rule (editor, "merge-field-no-fallback", 0));
  attrs = gtk_entry_get_attributes (GTK_ENTRY (subject));
  g_assert_nonnull (attrs);
  {
    GSList *list_attrs = pango_attr_list_get_attributes (attrs);
    g_assert_nonnull (list_attrs);
    g_assert_cmpint (((PangoAttribute *) list_attrs->data)->klass->type, ==, PANGO_ATTR_UNDERLINE);
    g_slist_free_full (list_attrs, (GDestroyNotify) pango_attribute_destroy);
  }

  /* The merge field in the body is highlighted. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_find_named (GTK_WIDGET (editor), "body_view")));
  tags = gtk_text_buffer_get_tag_table (buffer);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  g_assert_true (gtk_text_iter_forward_search (&iter, "{{first_name", 0, &iter, NULL, NULL));
  gtk_text_iter_forward_char (&iter);
  g_assert_true (gtk_text_iter_has_tag (&iter, gtk_text_tag_table_lookup (tags, "merge-field")));

  /* Wide: the lint panel beside the body. */
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (ob_ui_test_find_named (GTK_WIDGET (editor), "lint_paned"))),
                   ==, GTK_ORIENTATION_HORIZONTAL);
  g_assert_true (gtk_widget_get_mapped (ob_ui_test_find_named (GTK_WIDGET (editor), "findings_list")));
  screenshot (GTK_WIDGET (window), "templates-editor-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ob_ui_test_wait_ms (300);
  screenshot (GTK_WIDGET (window), "templates-editor-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* Remove the unsubscribe line: the finding appears with a Fix button… */
  gtk_text_buffer_set_text (buffer, "Dear {{first_name|Sir or Madam}},\n\nWe make brass ball valves.\n\n"
                                    "Best regards,\nLi Wei\nHengda Valve Co., Ltd.\nTel. +86 577 8888 1234\n", -1);
  wait_for_lint (editor);
  g_assert_true (has_rule (editor, "missing-unsubscribe", 1));
  for (GtkWidget *row = gtk_widget_get_first_child (ob_ui_test_find_named (GTK_WIDGET (editor), "findings_list"));
       row && !fix_button; row = gtk_widget_get_next_sibling (row))
    {
      const ObLintFinding *f = g_object_get_data (G_OBJECT (row), "finding");
      if (f && g_str_equal (f->rule, "missing-unsubscribe"))
        fix_button = ob_ui_test_find_type (row, GTK_TYPE_BUTTON);
    }
  g_assert_nonnull (fix_button);
  /* …and one click adds the line: the finding goes. */
  g_signal_emit_by_name (fix_button, "clicked");
  wait_for_lint (editor);
  g_assert_false (has_rule (editor, "missing-unsubscribe", -1));

  /* Preview for the contact: merge values filled in. */
  gtk_editable_set_text (GTK_EDITABLE (subject), "Brass valves for {{company|your company}}");
  wait_for_lint (editor);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_toggle")), TRUE);
  ob_ui_test_wait_ms (300);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_subject"))), ==,
                   "Brass valves for Acme Valves GmbH");
  {
    GtkTextBuffer *pb = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_view")));
    GtkTextIter s, e;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (pb, &s, &e);
    text = gtk_text_buffer_get_text (pb, &s, &e, FALSE);
    g_assert_true (g_str_has_prefix (text, "Dear Anna,"));
  }
  /* The contact is offered by name and company, the name made of the
   * first name when there is no full one. */
  {
    GListModel *offered = gtk_drop_down_get_model (GTK_DROP_DOWN (ob_ui_test_find_named (GTK_WIDGET (editor),
                                                                                        "contact_dropdown")));

    g_assert_cmpuint (g_list_model_get_n_items (offered), ==, 1);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (offered), 0), ==,
                     "Anna, Acme Valves GmbH <anna@acme-valves.de>");
  }
  screenshot (GTK_WIDGET (window), "templates-preview");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_toggle")), FALSE);

  /* An HTML body is previewed with its formatting, merged for the contact;
   * then back to the text body as it was. */
  {
    GtkToggleButton *html = GTK_TOGGLE_BUTTON (ob_ui_test_find_named (GTK_WIDGET (editor), "html_toggle"));
    GtkTextBuffer *pb = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_view")));
    GtkTextTag *bold = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (pb), "html-bold");
    GtkTextTag *heading = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (pb), "html-heading");
    g_autofree char *before = NULL;
    g_autofree char *text = NULL;
    GtkTextIter s, e;
    const char *at;

    gtk_text_buffer_get_bounds (buffer, &s, &e);
    before = gtk_text_buffer_get_text (buffer, &s, &e, FALSE);
    gtk_toggle_button_set_active (html, TRUE);
    gtk_text_buffer_set_text (buffer, "<h1>Brass valves</h1><p>Dear <b>{{first_name}}</b>, see our "
                                      "<a href=\"https://valves.example/catalogue\">catalogue</a>.</p>"
                                      "<p><a href=\"mailto:sales@valve.example?subject=unsubscribe\">Unsubscribe</a></p>", -1);
    wait_for_lint (editor);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_toggle")), TRUE);
    ob_ui_test_wait_ms (300);
    gtk_text_buffer_get_bounds (pb, &s, &e);
    text = gtk_text_buffer_get_text (pb, &s, &e, FALSE);
    g_test_message ("HTML preview: %s", text);
    g_assert_true (g_str_has_prefix (text, "Brass valves\n\nDear Anna,"));
    g_assert_nonnull (bold);
    g_assert_nonnull (heading);
    gtk_text_buffer_get_iter_at_offset (pb, &s, 0);
    g_assert_true (gtk_text_iter_has_tag (&s, heading));
    at = strstr (text, "Anna");
    gtk_text_buffer_get_iter_at_offset (pb, &s, g_utf8_pointer_to_offset (text, at));
    g_assert_true (gtk_text_iter_has_tag (&s, bold));
    g_assert_false (gtk_text_iter_has_tag (&s, heading));
    gtk_text_buffer_get_iter_at_offset (pb, &s, g_utf8_pointer_to_offset (text, strstr (text, "Dear")));
    g_assert_false (gtk_text_iter_has_tag (&s, bold));
    g_assert_true (gtk_widget_get_visible (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_note")));
    screenshot (GTK_WIDGET (window), "templates-preview-html");
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_find_named (GTK_WIDGET (editor), "preview_toggle")), FALSE);
    gtk_toggle_button_set_active (html, FALSE);
    gtk_text_buffer_set_text (buffer, before, -1);
    wait_for_lint (editor);
  }

  /* Attachments: a risky one is flagged and removed; a catalogue stays. */
  {
    g_autofree char *exe = ob_test_dir_file (dir, "setup.exe");
    g_autofree char *pdf = ob_test_dir_file (dir, "catalogue.pdf");
    GtkWidget *alist = ob_ui_test_find_named (GTK_WIDGET (editor), "attachments_list");

    g_assert_true (g_file_set_contents (exe, "MZ", 2, NULL));
    g_assert_true (g_file_set_contents (pdf, "%PDF-1.4\n", -1, NULL));
    ob_template_editor_add_attachment (editor, exe);
    wait_for_lint (editor);
    g_assert_true (has_rule (editor, "attachment-risky", -1));
    g_assert_true (gtk_widget_get_visible (alist));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.remove-attachment", "u", 0));
    wait_for_lint (editor);
    g_assert_false (has_rule (editor, "attachment-risky", -1));
    g_assert_false (gtk_widget_get_visible (alist));
    ob_template_editor_add_attachment (editor, pdf);
    wait_for_lint (editor);
    g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (alist), 0));
  }

  /* Save: a new version in the database, the old one kept. */
  g_assert_true (ob_template_editor_get_modified (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  ob_ui_test_wait_ms (200);
  g_assert_false (ob_template_editor_get_modified (editor));
  all = ob_template_library_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  saved = g_object_ref (all->pdata[0]);
  {
    /* The toast names the template, and no version the user never saw. */
    g_autofree char *toast = g_strdup_printf (_("Saved “%s”"), ob_template_get_name (saved));

    g_assert_nonnull (ob_ui_test_find_text (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (editor))), toast));
  }
  g_assert_cmpstr (ob_template_get_subject (saved), ==, "Brass valves for {{company|your company}}");
  g_assert_cmpint (ob_template_get_version (saved), ==, 2);
  body = ob_template_get_body_text (saved);
  g_assert_cmpuint (ob_template_get_attachments (saved)->len, ==, 1);
  g_assert_true (g_str_has_suffix (((ObTemplateAttachment *) ob_template_get_attachments (saved)->pdata[0])->path,
                                   "catalogue.pdf"));
  g_assert_nonnull (strstr (body, "unsubscribe"));
  {
    g_autoptr(GPtrArray) versions = ob_template_library_list_versions (store, ob_template_get_id (saved), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (versions->len, ==, 1);
  }

  /* 700 px wide: the body keeps a usable width; the lint panel moves
   * below it, still on screen and in the Tab order. */
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 760);
  ob_ui_test_wait_ms (600);
  {
    GtkWidget *body_view = ob_ui_test_find_named (GTK_WIDGET (editor), "body_view");
    GtkWidget *side = ob_ui_test_find_named (GTK_WIDGET (editor), "side_panel");
    GtkWidget *paned = ob_ui_test_find_named (GTK_WIDGET (editor), "lint_paned");

    g_test_message ("700 px: editor %d px, body %d x %d px, lint panel %d x %d px",
                    gtk_widget_get_width (GTK_WIDGET (editor)), gtk_widget_get_width (body_view),
                    gtk_widget_get_height (body_view), gtk_widget_get_width (side), gtk_widget_get_height (side));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 700);
    g_assert_cmpint (gtk_widget_get_width (body_view), >=, 400);
    g_assert_cmpint (gtk_widget_get_height (body_view), >=, 200);
    g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_VERTICAL);
    g_assert_true (gtk_widget_get_mapped (ob_ui_test_find_named (GTK_WIDGET (editor), "findings_list")));
    g_assert_cmpint (gtk_widget_get_height (side), >=, 60);
    screenshot (GTK_WIDGET (window), "templates-editor-700px");

    /* Wide again: side by side again. */
    gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
    ob_ui_test_wait_ms (600);
    g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_HORIZONTAL);
  }

  /* Narrow: the list and the editor become two views. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  ob_ui_test_wait_ms (600);
  screenshot (GTK_WIDGET (window), "templates-narrow");

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

  g_test_add_func ("/ui/templates-page", test_templates_page);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
