/* test-contacts-page.c — the Contacts page as a person uses it: import a
 * CSV through the dialog (preview, mapping, report), see the rows, search,
 * suppress, delete and undo, edit a contact, narrow window; and a page over
 * 100,000 contacts that stays lazy. Screenshots go to
 * $OUTBOUND_SCREENSHOT_DIR as contacts-*.png.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "ob-application.h"
#include "ob-contact.h"
#include "ob-contact-detail-pane.h"
#include "ob-contact-row.h"
#include "ob-contact-table-model.h"
#include "ob-contacts-import-dialog.h"
#include "ob-contacts-page.h"
#include "ob-contacts-suppressions-dialog.h"
#include "ob-suppressions.h"
#include "ob-import-preview.h"
#include "ob-import-private.h"
#include "ob-suppressions.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-ui-words.h"
#include "ob-window.h"

static ObApplication *app;

typedef struct
{
  ObWindow       *window;
  ObContactsPage *page;
  ObStore        *store;
  ObTestDir      *dir;
} Fixture;

static gboolean use_chinese_locale (Fixture *f,
                                    int      category);

/* Runs the main loop until @dialog reaches @state, or fails after 20 s. */
static void
wait_for_state (ObContactsImportDialog *dialog,
                const char             *state)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_strcmp0 (ob_contacts_import_dialog_get_state (dialog), state) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  ob_ui_test_wait_ms (1500);
}

static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* A dialog's paintable stays empty here (its surface draws no frame of its
 * own under Xvfb without a window manager), so its children are drawn
 * straight into a snapshot over the window's background colour. */
static GdkTexture *
render_dialog (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA bg;

  gdk_rgba_parse (&bg, dark ? "#242424" : "#fafafa");
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_mapped (c))
      gtk_widget_snapshot_child (widget, c, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

typedef struct
{
  GtkWidget  *widget;
  GdkTexture *texture;
} PaintWait;

static void
after_paint_cb (GdkFrameClock *clock,
                PaintWait     *wait)
{
  if (wait->texture == NULL)
    wait->texture = ADW_IS_WINDOW (wait->widget) ? render_dialog (wait->widget) : render (wait->widget);
}

/* Renders right after a frame was painted, when the layout is current. */
static GdkTexture *
render_after_paint (GtkWidget *widget)
{
  PaintWait wait = { widget, NULL };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &wait);
  gtk_widget_queue_draw (widget);
  while (wait.texture == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  g_assert_nonnull (wait.texture);
  return wait.texture;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  texture = render_after_paint (widget);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

/* A mapped label showing exactly @text under @root. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  if (GTK_IS_INSCRIPTION (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Shown buttons under @root with the suggested-action style. */
static guint
count_suggested (GtkWidget *root)
{
  guint n = GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root)
            && gtk_widget_has_css_class (root, "suggested-action");

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_suggested (c);
  return n;
}

static void
open_window (Fixture *f,
             int      width)
{
  f->window = ob_window_new (ADW_APPLICATION (app), f->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "contacts"));
  ob_ui_test_wait_ms (600);
  f->page = OB_CONTACTS_PAGE (ob_ui_test_find_type (GTK_WIDGET (f->window), OB_TYPE_CONTACTS_PAGE));
  g_assert_nonnull (f->page);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = ob_test_dir_new ();
  db = ob_test_dir_file (f->dir, "contacts-ui.db");
  g_setenv ("OUTBOUND_DB", db, TRUE);
  f->store = ob_store_open (db, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  ob_ui_test_wait_ms (50);
  g_clear_object (&f->store);
  g_unsetenv ("OUTBOUND_DB");
  ob_test_dir_free (f->dir);
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (ob_contacts_page_get_model (f->page));
}

/* The page's work on a selection runs in a thread: until it is done. */
static void
wait_until_idle (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (ob_contacts_page_is_busy (f->page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  ob_ui_test_wait_ms (100);
}

/* Runs the main loop until @cond holds; fails after 30 s. */
#define WAIT_UNTIL(cond) \
  G_STMT_START { \
    gint64 wait_end_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; \
    while (!(cond)) \
      { \
        g_assert_cmpint (g_get_monotonic_time (), <, wait_end_); \
        g_main_context_iteration (NULL, FALSE); \
        g_usleep (1000); \
      } \
  } G_STMT_END

/* The toast widget on screen, if any. */
static GtkWidget *
find_toast (GtkWidget *root)
{
  GType toast_widget = g_type_from_name ("AdwToastWidget");

  if (toast_widget != 0 && G_TYPE_CHECK_INSTANCE_TYPE (root, toast_widget) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toast (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The close button of the toast on screen, as a person clicks it. */
static GtkWidget *
find_toast_close (GtkWidget *root)
{
  GtkWidget *toast = find_toast (root);
  GtkWidget *last = toast != NULL ? gtk_widget_get_last_child (toast) : NULL;

  return GTK_IS_BUTTON (last) ? last : NULL;
}

/* Until a toast is on screen and has finished sliding in (it stays put
 * over three frames): libadwaita 1.2 uses its record of a toast after
 * freeing it when the toast is dismissed during its show animation (a
 * crash under MALLOC_PERTURB_, as meson runs the tests). */
static void
wait_for_settled_toast (Fixture *f)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 frame = -1;
  graphene_point_t last = GRAPHENE_POINT_INIT (-1, -1);
  guint still = 0;

  g_assert_nonnull (clock);
  while (still < 3)
    {
      GtkWidget *toast;
      graphene_point_t at;

      g_assert_cmpint (g_get_monotonic_time (), <, end);
      /* Frames go on after the animation, to see it has stopped. */
      gtk_widget_queue_draw (GTK_WIDGET (f->window));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      if (gdk_frame_clock_get_frame_counter (clock) == frame)
        continue;
      frame = gdk_frame_clock_get_frame_counter (clock);
      toast = find_toast (GTK_WIDGET (f->window));
      if (toast == NULL || !gtk_widget_compute_point (toast, GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (0, 0), &at))
        {
          still = 0;
          continue;
        }
      still = graphene_point_equal (&at, &last) ? still + 1 : 0;
      last = at;
    }
}

/* Until the application has no deletion left that it waits for. */
static void
wait_until_app_idle (void)
{
  WAIT_UNTIL (!g_application_get_is_busy (G_APPLICATION (app)));
}

/* The button (or other actionable) for @action under @root. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable (c, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the page shows: "empty" (no contacts) or, in the list, "table",
 * "none" (nothing matches) or "deleting". */
static const char *
visible_page (Fixture *f)
{
  GtkStack *page_stack = GTK_STACK (ob_ui_test_find_type (GTK_WIDGET (f->page), GTK_TYPE_STACK));
  GtkStack *results = GTK_STACK (ob_ui_test_find_named (GTK_WIDGET (f->page), "results_stack"));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (page_stack), "empty") == 0)
    return "empty";
  return gtk_stack_get_visible_child_name (results);
}

/* The message dialog on screen, if any. */
static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* The radio button (or check button) labelled @label under @root. */
static GtkCheckButton *
find_check (GtkWidget  *root,
            const char *label)
{
  if (GTK_IS_CHECK_BUTTON (root) && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (root)), label) == 0)
    return GTK_CHECK_BUTTON (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkCheckButton *found = find_check (c, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Enter pressed on @focus, as GTK dispatches it first: the shortcuts of
 * its ancestors (and its own) that listen in the capture phase, from the
 * window down. FALSE when none takes Enter. */
static gboolean
press_enter (GtkWidget *focus)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);
  for (guint i = 0; i < chain->len; i++)
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (g_ptr_array_index (chain, i));

      for (guint j = 0; j < g_list_model_get_n_items (controllers); j++)
        {
          g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, j);

          if (!GTK_IS_SHORTCUT_CONTROLLER (c) ||
              gtk_event_controller_get_propagation_phase (c) != GTK_PHASE_CAPTURE)
            continue;
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), k);
              GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

              if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                  gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Return &&
                  gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
                return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, focus, NULL);
            }
        }
    }
  return FALSE;
}

/* The dialog Suppress opens, if on screen (others may be open still: a
 * test answers one without closing it). */
static AdwMessageDialog *
find_suppress_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)) &&
          ob_ui_test_find_named (GTK_WIDGET (w), "suppress_note") != NULL)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Answers the dialog Suppress opens: @reason (the words of a choice;
 * NULL keeps the one chosen), @note, then Enter on the focused choice,
 * as a person presses it. */
static void
answer_suppress (Fixture    *f,
                 const char *reason,
                 const char *note)
{
  AdwMessageDialog *ask = NULL;
  GtkWidget *focus;

  WAIT_UNTIL ((ask = find_suppress_dialog ()) != NULL);
  ob_ui_test_wait_ms (200);
  if (reason != NULL)
    {
      GtkCheckButton *choice = find_check (GTK_WIDGET (ask), reason);

      g_assert_nonnull (choice);
      gtk_check_button_set_active (choice, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (choice));
    }
  if (note != NULL)
    gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (GTK_WIDGET (ask), "suppress_note")), note);
  /* Enter on a reason suppresses (on a check button alone it would only
   * pick it again). */
  focus = gtk_root_get_focus (GTK_ROOT (ask));
  g_assert_true (GTK_IS_CHECK_BUTTON (focus));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (focus)));
  g_assert_true (press_enter (focus));
  WAIT_UNTIL (find_suppress_dialog () == NULL);
}

/* Clicks the first "show the mail" button of the history and returns the
 * text of the window it opens (closed again). */
static char *
show_first_evidence (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */
  GtkWidget *show = ob_ui_test_find_named (GTK_WIDGET (f->page), "show_evidence");
  GtkWidget *evidence = NULL;
  GtkTextIter s, e;
  char *text;

  g_assert_nonnull (show);
  g_signal_emit_by_name (show, "clicked");
  ob_ui_test_wait_ms (300);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && evidence == NULL; i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (w), "evidence_window") == 0)
        evidence = w;
    }
  g_assert_nonnull (evidence);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_find_named (evidence, "evidence_view"))),
                              &s, &e);
  text = gtk_text_iter_get_text (&s, &e);
  gtk_window_destroy (GTK_WINDOW (evidence));
  ob_ui_test_wait_ms (100);
  return text;
}

static void
search (Fixture    *f,
        const char *text)
{
  GtkSearchEntry *entry = GTK_SEARCH_ENTRY (ob_ui_test_find_type (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY));

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* search-changed comes after the entry's typing delay. */
  ob_ui_test_wait_ms (500);
}

static void
test_import_search_suppress_delete (Fixture       *f,
                                    gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *csv = g_build_filename (ob_test_source_root (), "tests", "ui", "data",
                                           "contacts-import.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autofree char *custom = NULL;
  g_autofree char *status = NULL;
  ObContactsImportDialog *dialog;
  const ObImportReport *report;
  GtkSelectionModel *selection;
  g_autoptr(ObContact) first = NULL;
  GtkWidget *undo;
  AdwToast *other_toast;
  guint before;
  gint64 id;

  open_window (f, 1200);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* An empty database shows the empty state and its import button. */
  g_assert_nonnull (find_button (GTK_WIDGET (f->page), "_Import Contacts…"));
  g_assert_cmpuint (n_shown (f), ==, 0);

  /* The preview shows the detected mapping; the "Booth" column is left out
   * by hand. */
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, file));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  wait_for_state (dialog, "preview");
  g_assert_cmpuint (ob_contacts_import_dialog_get_n_columns (dialog), ==, 6);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 0), ==, OB_FIELD_EMAIL);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 1), ==, OB_FIELD_NAME);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 2), ==, OB_FIELD_COMPANY);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 3), ==, OB_FIELD_COUNTRY);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 4), ==, OB_FIELD_NOTES);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 5), ==, OB_FIELD_CUSTOM);
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "anna.schmidt@kraemer-pumpen.de"));
  ob_contacts_import_dialog_set_mapping (dialog, 5, OB_IMPORT_COLUMN_IGNORE);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 5), ==, OB_IMPORT_COLUMN_IGNORE);
  save_screenshot (GTK_WIDGET (dialog), "contacts-import-preview");

  /* The keyboard starts in a text field, not on Close (a button takes
   * Enter for itself), and Enter imports, then closes the report. */
  g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (dialog))));
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "_Cancel"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (gtk_window_get_default_widget (GTK_WINDOW (dialog)))), ==,
                   "_Import");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL));
  wait_for_state (dialog, "report");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (gtk_window_get_default_widget (GTK_WINDOW (dialog)))), ==,
                   "_Done");
  /* Done alone closes the report. */
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "_Done"));
  /* …and is its one highlighted button, though Apply All is offered too. */
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "_Apply All Suggested Fixes"));
  g_assert_cmpuint (count_suggested (GTK_WIDGET (dialog)), ==, 1);
  g_assert_true (gtk_widget_has_css_class (find_button (GTK_WIDGET (dialog), "_Done"), "suggested-action"));
  g_assert_null (find_button (GTK_WIDGET (dialog), "_Cancel"));
  report = ob_contacts_import_dialog_get_report (dialog);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->rows, ==, 10);
  g_assert_cmpuint (report->imported, ==, 7);
  g_assert_cmpuint (report->duplicates, ==, 1);
  g_assert_cmpuint (report->invalid, ==, 2);
  g_assert_cmpuint (report->suggestions, ==, 1);
  /* Line numbers are the user's file's: the typo is on line 6. */
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "anna@126.con"));
  save_screenshot (GTK_WIDGET (dialog), "contacts-import-report");
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 7);
  custom = ob_test_query_text (f->store, "SELECT group_concat (coalesce (custom_json, ''), '') FROM contacts");
  g_assert_null (strstr (custom ? custom : "", "Booth"));

  /* Accept the suggested fix for the typo: anna@126.com is imported. */
  {
    GtkWidget *accept = find_button (GTK_WIDGET (dialog), "Accept");
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    g_assert_nonnull (accept);
    g_signal_emit_by_name (accept, "clicked");
    while (ob_test_query_int (f->store, "SELECT count(*) FROM contacts WHERE email = 'anna@126.com'") == 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, end);
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    ob_ui_test_wait_ms (200);
    g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Accepted"));
    g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts WHERE company = 'Zhao Trading'"), ==, 1);
  }
  gtk_window_close (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (300);
  g_assert_null (dialog);

  /* The list shows them, first rows on screen. */
  g_assert_cmpuint (n_shown (f), ==, 8);
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "li.wei@hengda-valve.cn"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "Krämer Pumpen GmbH"));
  save_screenshot (GTK_WIDGET (f->window), "contacts-list-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ob_ui_test_wait_ms (300);
  save_screenshot (GTK_WIDGET (f->window), "contacts-list-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ob_ui_test_wait_ms (200);

  /* Search narrows as one types; words match name, company, email. */
  search (f, "hengda");
  g_assert_cmpuint (n_shown (f), ==, 1);
  search (f, "anna");
  g_assert_cmpuint (n_shown (f), ==, 2);
  search (f, "krämer pum");
  g_assert_cmpuint (n_shown (f), ==, 1);
  /* Save the search as a segment: it lands in the database as a
   * structured filter and in the dropdown, selected. */
  search (f, "anna");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.save-segment", NULL));
  ob_ui_test_wait_ms (300);
  {
    g_autoptr(GList) tops = gtk_window_list_toplevels ();
    AdwMessageDialog *ask = NULL;
    GtkDropDown *dropdown = GTK_DROP_DOWN (ob_ui_test_find_type (GTK_WIDGET (f->page), GTK_TYPE_DROP_DOWN));
    g_autofree char *json = NULL;

    for (GList *l = tops; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        ask = l->data;
    g_assert_nonnull (ask);
    /* Escape cancels. */
    g_assert_cmpstr (adw_message_dialog_get_close_response (ask), ==, "cancel");
    gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (GTK_WIDGET (ask), GTK_TYPE_TEXT)), "Anna fair leads");
    adw_message_dialog_response (ask, "save");
    ob_ui_test_wait_ms (300);
    json = ob_test_query_text (f->store, "SELECT filter_json FROM segments WHERE name = 'Anna fair leads'");
    g_assert_nonnull (json);
    g_assert_nonnull (strstr (json, "\"search\":\"anna\""));
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 2);
    g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
    /* The segment alone (search cleared) still shows its two contacts. */
    search (f, "");
    g_assert_cmpuint (n_shown (f), ==, 2);
    gtk_drop_down_set_selected (dropdown, 0);
    ob_ui_test_wait_ms (100);
    g_assert_cmpuint (n_shown (f), ==, 8);
  }
  search (f, "nobody-matches-this");
  g_assert_cmpuint (n_shown (f), ==, 0);
  search (f, "");
  g_assert_cmpuint (n_shown (f), ==, 8);

  /* The bounce and last-contacted filters are part of the segment: one
   * contact bounced twice and was mailed a week ago. */
  {
    AdwComboRow *bounces = ADW_COMBO_ROW (ob_ui_test_find_named (GTK_WIDGET (f->page), "bounces_filter"));
    AdwComboRow *contacted = ADW_COMBO_ROW (ob_ui_test_find_named (GTK_WIDGET (f->page), "contacted_filter"));
    g_autofree char *sql = g_strdup_printf ("UPDATE contacts SET soft_bounce_count = 2, last_contacted_at = %lld "
                                            "WHERE id = (SELECT min(id) FROM contacts)",
                                            (long long) (g_get_real_time () / G_USEC_PER_SEC - 7 * 86400));

    g_assert_cmpint (sqlite3_exec (ob_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
    adw_combo_row_set_selected (bounces, 2);
    ob_ui_test_wait_ms (200);
    g_assert_cmpuint (n_shown (f), ==, 1);
    adw_combo_row_set_selected (bounces, 1);
    ob_ui_test_wait_ms (200);
    g_assert_cmpuint (n_shown (f), ==, 7);
    adw_combo_row_set_selected (contacted, 2);
    ob_ui_test_wait_ms (200);
    g_assert_cmpuint (n_shown (f), ==, 0);
    adw_combo_row_set_selected (bounces, 0);
    ob_ui_test_wait_ms (200);
    g_assert_cmpuint (n_shown (f), ==, 1);
    adw_combo_row_set_selected (contacted, 1);
    ob_ui_test_wait_ms (200);
    g_assert_cmpuint (n_shown (f), ==, 7);
    adw_combo_row_set_selected (contacted, 0);
    ob_ui_test_wait_ms (200);
    g_assert_cmpuint (n_shown (f), ==, 8);
    g_assert_cmpint (sqlite3_exec (ob_store_get_db (f->store),
                                   "UPDATE contacts SET soft_bounce_count = 0, last_contacted_at = NULL",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }

  /* Suppress the first row: its status changes, in the list and the DB. */
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
  first = g_list_model_get_item (ob_contacts_page_get_model (f->page), 0);
  id = ob_contact_get_id (first);
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.suppress-selected", NULL));
  answer_suppress (f, NULL, NULL);
  wait_until_idle (f);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT status FROM contacts WHERE id = %" G_GINT64_FORMAT, id);
    g_autoptr(ObContact) again = g_list_model_get_item (ob_contacts_page_get_model (f->page), 0);
    g_autoptr(ObContactRow) row = g_list_model_get_item (G_LIST_MODEL (selection), 0);

    status = ob_test_query_text (f->store, sql);
    g_assert_cmpstr (status, ==, "suppressed");
    g_assert_cmpstr (ob_contact_get_status (again), ==, "suppressed");
    /* The table's row shows the contact as it is now. */
    g_assert_cmpstr (ob_contact_get_status (ob_contact_row_get_contact (row)), ==, "suppressed");
    g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppressions"), ==, 1);
  }

  /* Delete two with Undo: they leave the list, stay in the database, and
   * come back when Undo is clicked in the toast. */
  /* Another page's toast is on screen: the Undo toast dismisses it
   * rather than pushing it back (libadwaita 1.2 aborts when a pushed-back
   * toast comes back while it is still fading out). */
  other_toast = adw_toast_new ("From another page");
  g_signal_connect_swapped (other_toast, "dismissed", G_CALLBACK (g_nullify_pointer), &other_toast);
  ob_window_add_toast (OB_WINDOW (f->window), other_toast);
  ob_ui_test_wait_ms (100);
  g_assert_nonnull (other_toast);
  before = n_shown (f);
  gtk_selection_model_select_range (selection, 1, 2, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  /* The window waits for the other toast to settle (ob_window_add_toast). */
  WAIT_UNTIL (other_toast == NULL && (undo = find_button (GTK_WIDGET (f->window), "_Undo")) != NULL);
  wait_for_settled_toast (f);
  g_assert_cmpuint (n_shown (f), ==, before - 2);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, before);
  g_signal_emit_by_name (undo, "clicked");
  ob_ui_test_wait_ms (500);
  g_assert_cmpuint (n_shown (f), ==, before);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, before);

  /* Delete again and let it stand: closing the window makes it final.
   * The contact was open in the pane: the pane closes with it. */
  {
    g_autoptr(ObContact) shown = g_list_model_get_item (ob_contacts_page_get_model (f->page), 0);

    ob_contacts_page_open_contact (f->page, ob_contact_get_id (shown));
    ob_ui_test_wait_ms (200);
    g_assert_true (gtk_widget_get_visible (ob_ui_test_find_type (GTK_WIDGET (f->page),
                                                                 g_type_from_name ("ObContactDetailPane"))));
  }
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  ob_ui_test_wait_ms (200);
  g_assert_cmpuint (n_shown (f), ==, before - 1);
  g_assert_false (gtk_widget_get_visible (ob_ui_test_find_type (GTK_WIDGET (f->page),
                                                                  g_type_from_name ("ObContactDetailPane"))));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  wait_until_app_idle ();
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, before - 1);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
import_fixture (Fixture *f)
{
  g_autofree char *csv = g_build_filename (ob_test_source_root (), "tests", "ui", "data",
                                           "contacts-import.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  ObContactsImportDialog *dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, file));

  wait_for_state (dialog, "preview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  wait_for_state (dialog, "report");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (200);
}

static void
test_detail_and_narrow (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *name = NULL;
  g_autofree char *tz = NULL;
  g_autofree char *tags = NULL;
  gint64 id;

  open_window (f, 1200);
  import_fixture (f);
  g_assert_cmpuint (n_shown (f), ==, 7);
  id = ob_test_query_int (f->store, "SELECT id FROM contacts WHERE email = 'anna.schmidt@kraemer-pumpen.de'");
  {
    char *sql = g_strdup_printf ("INSERT INTO events (at, kind, contact_id, detail)"
                                 " VALUES (1767225600, 'sent', %" G_GINT64_FORMAT ","
                                 " 'Step 1 of Spring fair follow-up')", id);
    g_autoptr(GError) error = NULL;

    g_assert_true (ob_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
    /* A soft bounce the poller kept: the rule in the row, the mail behind it. */
    g_free (sql);
    sql = g_strdup_printf ("INSERT INTO events (id, at, kind, contact_id, reply, detail)"
                           " VALUES (900, 1767312000, 'soft_bounce', %" G_GINT64_FORMAT ", '452 4.2.2',"
                           " 'The recipient’s mailbox is full (rule status:x.2.2)');"
                           " INSERT INTO evidence (event_id, raw, created_at) VALUES (900,"
                           " CAST ('From: MAILER-DAEMON@kraemer-pumpen.de' || char (13, 10) || 'Subject: Undelivered Mail'"
                           " || char (13, 10, 13, 10) || '452 4.2.2 Mailbox full' AS BLOB), 1767312000)", id);
    g_assert_true (ob_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
    g_free (sql);
  }

  ob_contacts_page_open_contact (f->page, id);
  ob_ui_test_wait_ms (400);
  /* The history shows the event; the title is the address. */
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "Sent"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "Soft bounce"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "anna.schmidt@kraemer-pumpen.de"));
  save_screenshot (GTK_WIDGET (f->window), "contacts-detail");
  /* Nothing edited yet: nothing to save. */
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.save-detail")));

  /* The bounce mail itself, as text. */
  {
    g_autofree char *text = show_first_evidence (f);

    g_assert_nonnull (strstr (text, "452 4.2.2 Mailbox full"));
  }

  /* A bounce that carries a large original: its start, and how much is
   * left out. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO events (id, at, kind, contact_id, detail)"
                                            " VALUES (901, 1767398400, 'hard_bounce', %" G_GINT64_FORMAT ", 'big');"
                                            " INSERT INTO evidence (event_id, raw, created_at) VALUES (901,"
                                            " CAST ('Subject: Undelivered' || char (10, 10) || printf ('%%.*c', 400000, 'x')"
                                            " AS BLOB), 1767398400)", id);
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (ob_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
    ob_contacts_page_open_contact (f->page, id);
    ob_ui_test_wait_ms (300);
    /* The newest event comes first. */
    text = show_first_evidence (f);
    g_assert_true (g_str_has_prefix (text, "Subject: Undelivered"));
    g_assert_cmpuint (strlen (text), <, 300 * 1024);
    g_assert_true (g_str_has_suffix (text, "more not shown]\n"));
  }

  /* The page's entry rows in the detail pane, by their titles. */
  {
    GtkWidget *rows[4] = { NULL };
    const char *titles[] = { "Name", "Country (ISO code, e.g. DE)", "Time zone (empty: from the country)",
                             "Tags (comma-separated)" };
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, f->page);
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *w = g_queue_pop_head (&queue);

        if (ADW_IS_ENTRY_ROW (w))
          for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
            if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), titles[i]) == 0)
              rows[i] = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_assert_nonnull (rows[i]);
    gtk_editable_set_text (GTK_EDITABLE (rows[0]), "Anna M. Schmidt");
    gtk_editable_set_text (GTK_EDITABLE (rows[1]), "Austria");
    gtk_editable_set_text (GTK_EDITABLE (rows[2]), "Europe/Berlin");
    gtk_editable_set_text (GTK_EDITABLE (rows[3]), "fair-2026, pumps");
  }
  g_assert_true (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.save-detail")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.save-detail", NULL));
  ob_ui_test_wait_ms (200);
  /* Saved: Save is off again, and saving once more writes nothing. */
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.save-detail")));
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE contacts SET company = 'Changed elsewhere' WHERE id = %"
                                            G_GINT64_FORMAT, id);
    g_autofree char *csql = g_strdup_printf ("SELECT company FROM contacts WHERE id = %" G_GINT64_FORMAT, id);
    g_autofree char *company = NULL;

    g_assert_true (ob_store_exec (f->store, sql, NULL));
    gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.save-detail", NULL);
    ob_contact_detail_pane_save (OB_CONTACT_DETAIL_PANE (ob_ui_test_find_type (GTK_WIDGET (f->page),
                                                                               OB_TYPE_CONTACT_DETAIL_PANE)));
    ob_ui_test_wait_ms (100);
    company = ob_test_query_text (f->store, csql);
    g_assert_cmpstr (company, ==, "Changed elsewhere");
  }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT name || '|' || country || '|' || timezone || '|' || timezone_override"
                                            " FROM contacts WHERE id = %" G_GINT64_FORMAT, id);
    g_autofree char *tsql = g_strdup_printf ("SELECT group_concat (t.name, ',') FROM (SELECT t.name FROM contact_tags ct"
                                             " JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = %" G_GINT64_FORMAT
                                             " ORDER BY t.name) t", id);
    name = ob_test_query_text (f->store, sql);
    g_assert_cmpstr (name, ==, "Anna M. Schmidt|AT|Europe/Berlin|1");
    tags = ob_test_query_text (f->store, tsql);
    g_assert_cmpstr (tags, ==, "fair-2026,pumps");
  }

  /* A tag filter then finds exactly that contact. */
  {
    GtkSearchEntry *s = GTK_SEARCH_ENTRY (ob_ui_test_find_type (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY));
    gtk_editable_set_text (GTK_EDITABLE (s), "schmidt");
    ob_ui_test_wait_ms (500);
    g_assert_cmpuint (n_shown (f), ==, 1);
    gtk_editable_set_text (GTK_EDITABLE (s), "");
    ob_ui_test_wait_ms (500);
  }

  /* Narrow: the detail is a view of its own over the list. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
  ob_ui_test_wait_ms (900);
  {
    AdwLeaflet *leaflet = ADW_LEAFLET (ob_ui_test_find_type (GTK_WIDGET (f->page), ADW_TYPE_LEAFLET));

    g_assert_true (adw_leaflet_get_folded (leaflet));
    save_screenshot (GTK_WIDGET (f->window), "contacts-narrow");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.close-detail", NULL));
    ob_ui_test_wait_ms (600);
    save_screenshot (GTK_WIDGET (f->window), "contacts-narrow-list");
  }
}

/* The detail pane's history, row by row from the top: "title | subtitle". */
static GPtrArray *
history_rows (Fixture *f)
{
  GtkWidget *list = ob_ui_test_need_named (GTK_WIDGET (f->page), "events_list");
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *r = gtk_widget_get_first_child (list); r != NULL; r = gtk_widget_get_next_sibling (r))
    if (ADW_IS_ACTION_ROW (r))
      {
        char *text = g_strdup_printf ("%s | %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (r)),
                                      adw_action_row_get_subtitle (ADW_ACTION_ROW (r)));

        g_test_message ("history: %s", text);
        g_ptr_array_add (rows, text);
      }
  return rows;
}

static const char *
history_row (GPtrArray *rows,
             guint      i)
{
  g_assert_cmpuint (i, <, rows->len);
  return g_ptr_array_index (rows, i);
}

/* A contact's whole history in the pane, newest first: added from the
 * imported file, a mail sent, the user's edit naming the field, the
 * suppression from the list with its reason and note, and its lift with
 * the reason given, each shown as it happens. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *note = NULL;
  g_autofree char *expected = NULL;
  GtkSelectionModel *selection;
  guint position = G_MAXUINT;
  gint64 id;

  open_window (f, 1200);
  import_fixture (f);
  id = ob_test_query_int (f->store, "SELECT id FROM contacts WHERE email = 'anna.schmidt@kraemer-pumpen.de'");
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE contacts SET created_at = 1767000000 WHERE id = %" G_GINT64_FORMAT ";"
                                            " INSERT INTO events (at, kind, contact_id, detail)"
                                            " VALUES (1767225600, 'sent', %" G_GINT64_FORMAT ","
                                            " 'Step 1 of Spring fair follow-up')", id, id);

    g_assert_true (ob_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
  }

  ob_contacts_page_open_contact (f->page, id);
  ob_ui_test_wait_ms (300);
  rows = history_rows (f);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_true (g_str_has_prefix (history_row (rows, 0), "Sent | "));
  g_assert_true (g_str_has_suffix (history_row (rows, 0), " · Step 1 of Spring fair follow-up"));
  g_assert_true (g_str_has_prefix (history_row (rows, 1), "Added to contacts | "));
  g_assert_true (g_str_has_suffix (history_row (rows, 1), " · From “contacts-import.csv”"));

  /* Edited in the pane and saved: the edit, naming the field. */
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (GTK_WIDGET (f->page), "name_row")), "Anna M. Schmidt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.save-detail", NULL));
  ob_ui_test_wait_ms (200);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = history_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_true (g_str_has_prefix (history_row (rows, 0), "Edited | "));
  g_assert_true (g_str_has_suffix (history_row (rows, 0), " · Changed: name"));
  /* Saved again with nothing changed: no second edit. */
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (GTK_WIDGET (f->page), "name_row")), "Anna M. Schmidt ");
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (GTK_WIDGET (f->page), "name_row")), "Anna M. Schmidt");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.save-detail", NULL));
  ob_ui_test_wait_ms (200);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM events WHERE kind = 'edited'"), ==, 1);

  /* A second later, suppressed from the list, the pane still open: the
   * history shows it at once, with the reason and note logged; a field
   * being edited keeps what the user typed. */
  ob_ui_test_wait_ms (1100);
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (GTK_WIDGET (f->page), "tags_row")), "pumps");
  for (guint i = 0; i < n_shown (f); i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (ob_contacts_page_get_model (f->page), i);

      if (ob_contact_get_id (c) == id)
        position = i;
    }
  g_assert_cmpuint (position, <, n_shown (f));
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
  g_assert_true (gtk_selection_model_select_item (selection, position, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.suppress-selected", NULL));
  answer_suppress (f, "Complained about our mail", "Replied “stop” to the catalogue mail");
  wait_until_idle (f);
  reason = ob_test_query_text (f->store, "SELECT reason FROM suppression_log WHERE action = 'add'");
  note = ob_test_query_text (f->store, "SELECT note FROM suppression_log WHERE action = 'add'");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = history_rows (f);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_true (g_str_has_prefix (history_row (rows, 0), "Added to the suppression list | "));
  expected = g_strdup_printf (" · %s · %s", ob_ui_words_for_suppression_reason (reason), note);
  g_assert_true (g_str_has_suffix (history_row (rows, 0), expected));
  g_assert_true (g_str_has_prefix (history_row (rows, 1), "Edited | "));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (GTK_WIDGET (f->page), "tags_row"))),
                   ==, "pumps");
  g_assert_true (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.save-detail")));

  /* A second later, lifted with a reason (as the suppression list does):
   * the lift and its reason, above the rest. */
  ob_ui_test_wait_ms (1100);
  g_assert_true (ob_suppressions_remove (f->store, "anna.schmidt@kraemer-pumpen.de",
                                         "She asked for the new catalogue", &error));
  g_assert_no_error (error);
  ob_contacts_page_reload (f->page);
  ob_ui_test_wait_ms (200);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = history_rows (f);
  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_true (g_str_has_prefix (history_row (rows, 0), "Taken off the suppression list | "));
  g_assert_true (g_str_has_suffix (history_row (rows, 0), " · She asked for the new catalogue"));
  g_assert_true (g_str_has_prefix (history_row (rows, 1), "Added to the suppression list | "));
  g_assert_true (g_str_has_prefix (history_row (rows, 2), "Edited | "));
  g_assert_true (g_str_has_prefix (history_row (rows, 3), "Sent | "));
  g_assert_true (g_str_has_prefix (history_row (rows, 4), "Added to contacts | "));
  {
    GtkWidget *sw = gtk_widget_get_ancestor (ob_ui_test_need_named (GTK_WIDGET (f->page), "events_list"),
                                             GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));

    gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
    ob_ui_test_wait_ms (200);
    save_screenshot (GTK_WIDGET (f->window), "contacts-history");
  }
}

static void
test_suppression_list (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ObContactsSuppressionsDialog *dialog;

  open_window (f, 1200);
  import_fixture (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.suppressions", NULL));
  ob_ui_test_wait_ms (300);
  {
    g_autoptr(GList) tops = gtk_window_list_toplevels ();

    dialog = NULL;
    for (GList *l = tops; l != NULL; l = l->next)
      if (OB_IS_CONTACTS_SUPPRESSIONS_DIALOG (l->data))
        dialog = l->data;
  }
  g_assert_nonnull (dialog);
  /* The keyboard starts in the address field. */
  g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (dialog))));
  g_assert_cmpuint (ob_contacts_suppressions_dialog_get_n_shown (dialog), ==, 0);
  g_assert_true (ob_contacts_suppressions_dialog_add (dialog, "@tecnoflux.it", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ob_contacts_suppressions_dialog_get_n_shown (dialog), ==, 1);
  g_assert_false (ob_contacts_suppressions_dialog_add (dialog, "not an address", &error));
  g_assert_nonnull (error);
  /* A whole domain suppresses its contacts. */
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts WHERE domain = 'tecnoflux.it'"
                                                " AND status = 'suppressed'"), ==, 1);
  ob_ui_test_wait_ms (300);
  save_screenshot (GTK_WIDGET (dialog), "contacts-suppressions");

  /* Lifting it needs a reason, which is logged; the contact is active again. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "Remove…"), "clicked");
  ob_ui_test_wait_ms (300);
  {
    g_autoptr(GList) tops = gtk_window_list_toplevels ();
    AdwMessageDialog *ask = NULL;

    for (GList *l = tops; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        ask = l->data;
    g_assert_nonnull (ask);
    g_assert_false (adw_message_dialog_get_response_enabled (ask, "remove"));
    /* Escape cancels. */
    g_assert_cmpstr (adw_message_dialog_get_close_response (ask), ==, "cancel");
    gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (GTK_WIDGET (ask), GTK_TYPE_TEXT)), "Giulia asked for our catalogue");
    g_assert_true (adw_message_dialog_get_response_enabled (ask, "remove"));
    adw_message_dialog_response (ask, "remove");
    ob_ui_test_wait_ms (300);
  }
  g_assert_cmpuint (ob_contacts_suppressions_dialog_get_n_shown (dialog), ==, 0);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppression_log WHERE action = 'remove'"
                                                " AND note = 'Giulia asked for our catalogue'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts WHERE domain = 'tecnoflux.it'"
                                                " AND status = 'active'"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The row of the list showing @email. */
static guint
position_of (Fixture    *f,
             const char *email)
{
  GListModel *model = ob_contacts_page_get_model (f->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (model, i);

      if (g_strcmp0 (ob_contact_get_email (c), email) == 0)
        return i;
    }
  g_assert_not_reached ();
}

static char *
status_of (Fixture    *f,
           const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT status FROM contacts WHERE email = '%s'", email);

  return ob_test_query_text (f->store, sql);
}

/* Suppress asks why, keeps the reason and the note, leaves an address
 * suppressed already alone; the toast's Undo lifts only what it added. */
static void
test_suppress_reason_undo (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *status = NULL;
  GtkSelectionModel *selection;
  AdwMessageDialog *ask = NULL;
  GtkWidget *undo = NULL;
  g_autofree char *heading = NULL;

  open_window (f, 1200);
  import_fixture (f);
  /* Giulia's whole domain is on the list already. */
  g_assert_true (ob_suppressions_add (f->store, "@tecnoflux.it", OB_SUPPRESSION_MANUAL, "import", NULL, &error));
  g_assert_no_error (error);
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
  gtk_selection_model_unselect_all (selection);
  gtk_selection_model_select_item (selection, position_of (f, "purchasing@tecnoflux.it"), FALSE);
  gtk_selection_model_select_item (selection, position_of (f, "j.dupont@robinetterie-lyon.fr"), FALSE);

  /* Escape (the close response) changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.suppress-selected", NULL));
  WAIT_UNTIL ((ask = find_suppress_dialog ()) != NULL);
  heading = g_strdup (adw_message_dialog_get_heading (ask));
  g_assert_cmpstr (heading, ==, "Suppress 2 Contacts?");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ask), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ask), ==, "suppress");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ask, "suppress"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_true (gtk_check_button_get_active (find_check (GTK_WIDGET (ask), "Other reason")));
  /* Each choice, and the note, named for a screen reader. */
  gtk_test_accessible_assert_property (find_check (GTK_WIDGET (ask), "Asked to be removed"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Asked to be removed");
  gtk_test_accessible_assert_property (find_check (GTK_WIDGET (ask), "Complained about our mail"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Complained about our mail");
  gtk_test_accessible_assert_property (find_check (GTK_WIDGET (ask), "Other reason"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Other reason");
  gtk_test_accessible_assert_property (ob_ui_test_need_named (GTK_WIDGET (ask), "suppress_note"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Note");
  gtk_test_accessible_assert_property (gtk_widget_get_parent (GTK_WIDGET (find_check (GTK_WIDGET (ask), "Other reason"))),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Reason");
  save_screenshot (GTK_WIDGET (ask), "contacts-suppress-asks");
  gtk_window_close (GTK_WINDOW (ask));
  WAIT_UNTIL (find_suppress_dialog () == NULL);
  wait_until_idle (f);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppressions"), ==, 1);

  /* A complaint, with a note: one address added, the other left as the
   * domain's entry has it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.suppress-selected", NULL));
  answer_suppress (f, "Complained about our mail", "Replied “stop” to the catalogue mail");
  wait_until_idle (f);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppressions"), ==, 2);
  entry = ob_test_query_text (f->store, "SELECT reason || '|' || source || '|' || detail FROM suppressions"
                                        " WHERE kind = 'address' AND value = 'j.dupont@robinetterie-lyon.fr'");
  g_assert_cmpstr (entry, ==, "complaint|user|Replied “stop” to the catalogue mail");
  status = status_of (f, "j.dupont@robinetterie-lyon.fr");
  g_assert_cmpstr (status, ==, "suppressed");
  g_clear_pointer (&status, g_free);
  status = status_of (f, "purchasing@tecnoflux.it");
  g_assert_cmpstr (status, ==, "suppressed");
  {
    g_autoptr(ObContact) shown = g_list_model_get_item (ob_contacts_page_get_model (f->page),
                                                        position_of (f, "j.dupont@robinetterie-lyon.fr"));

    g_assert_cmpstr (ob_contact_get_status (shown), ==, "suppressed");
  }

  /* The toast counts what was added, and offers Undo. */
  WAIT_UNTIL (find_label (GTK_WIDGET (f->window), "Suppressed 1 contact") != NULL &&
              (undo = find_button (GTK_WIDGET (f->window), "_Undo")) != NULL);
  wait_for_settled_toast (f);
  g_signal_emit_by_name (undo, "clicked");
  ob_ui_test_wait_ms (100);
  wait_until_idle (f);
  WAIT_UNTIL (find_label (GTK_WIDGET (f->window), "Suppression undone") != NULL);

  /* Only the new entry is gone, and the log says it was undone. */
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppressions"), ==, 1);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppressions WHERE kind = 'domain'"
                                                " AND value = 'tecnoflux.it'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM suppression_log WHERE action = 'remove'"
                                                " AND value = 'j.dupont@robinetterie-lyon.fr'"
                                                " AND note = 'Undone on the Contacts page right after it was added'"),
                   ==, 1);
  g_clear_pointer (&status, g_free);
  status = status_of (f, "j.dupont@robinetterie-lyon.fr");
  g_assert_cmpstr (status, ==, "active");
  g_clear_pointer (&status, g_free);
  status = status_of (f, "purchasing@tecnoflux.it");
  g_assert_cmpstr (status, ==, "suppressed");
  {
    g_autoptr(ObContact) shown = g_list_model_get_item (ob_contacts_page_get_model (f->page),
                                                        position_of (f, "j.dupont@robinetterie-lyon.fr"));

    g_assert_cmpstr (ob_contact_get_status (shown), ==, "active");
  }
  wait_for_settled_toast (f);
}

static GtkWidget *
find_labelled (GtkWidget  *root,
               GType       type,
               const char *text)
{
  /* An entry by its placeholder, wherever it is (a closed popover too). */
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && GTK_IS_ENTRY (root) &&
      g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_labelled (c, type, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Tag and re-check a selection, export what is shown, a broken file and a
 * cancelled import (the database unchanged). */
/* Cancel in @dialog while it imports: it says so, and the database still
 * holds its @contacts. Closes the dialog. */
static void
cancel_import (Fixture                *f,
               ObContactsImportDialog *dialog,
               int                     contacts)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  wait_for_state (dialog, "failed");
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Import Cancelled"));
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, contacts);
  gtk_window_destroy (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (100);
}

static void
test_actions_export_cancel (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *broken = g_build_filename (ob_test_source_root (), "tests", "data", "contacts",
                                              "unterminated-quote.csv", NULL);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  g_autofree char *big = ob_test_dir_file (f->dir, "big.csv");
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autofree char *out = ob_test_dir_file (f->dir, "export.csv");
  g_autofree char *exported = NULL;
  g_autoptr(GString) csv = g_string_new ("Email,Name,Company\r\n");
  GtkSelectionModel *selection;
  ObContactsImportDialog *dialog;
  gsize len;
  gint64 end;

  open_window (f, 1200);
  import_fixture (f);
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));

  /* Tag two contacts. */
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find_labelled (GTK_WIDGET (f->page), GTK_TYPE_ENTRY, "Tag name")), "canton-2026");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.tag-selected", NULL));
  /* While it runs, the selection's other actions wait. */
  g_assert_true (ob_contacts_page_is_busy (f->page));
  wait_until_idle (f);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
                                                " WHERE t.name = 'canton-2026'"), ==, 2);

  /* Re-check everything: a contact made invalid behind the page's back is
   * found valid again (its address is fine). */
  g_assert_true (ob_store_exec (f->store, "UPDATE contacts SET verdict = 'invalid', status = 'invalid'"
                                          " WHERE email = 'ops@saigon-pipes.vn'", NULL));
  ob_contacts_page_reload (f->page);
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.recheck-selected", NULL));
  wait_until_idle (f);
  {
    g_autofree char *v = ob_test_query_text (f->store, "SELECT verdict || '|' || status FROM contacts"
                                                       " WHERE email = 'ops@saigon-pipes.vn'");
    g_assert_cmpstr (v, ==, "valid|active");
  }

  /* Export what is shown (a search), as CSV with a BOM. */
  search (f, "hengda");
  ob_contacts_page_export_to (f->page, out);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!g_file_test (out, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  ob_ui_test_wait_ms (200);
  g_assert_true (g_file_get_contents (out, &exported, &len, NULL));
  g_assert_true (g_str_has_prefix (exported, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (exported, "li.wei@hengda-valve.cn"));
  g_assert_null (strstr (exported, "kraemer-pumpen.de"));
  search (f, "");

  /* A broken file: the dialog says so, nothing changes. */
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, broken_file));
  wait_for_state (dialog, "failed");
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "This File Cannot Be Imported"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 7);

  /* A large import cancelled midway leaves the database as it was. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (csv, "buyer%u@firm%u.example.de,Buyer %u,Firm %u\r\n", i, i % 997, i, i % 997);
  g_assert_true (g_file_set_contents (big, csv->str, csv->len, NULL));
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, big_file));
  wait_for_state (dialog, "preview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  g_assert_cmpstr (ob_contacts_import_dialog_get_state (dialog), ==, "importing");
  cancel_import (f, dialog, 7);

  /* After the rows, the dialog says what the import is doing while it
   * makes the list's indexes again, and Cancel still works then. */
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, big_file));
  wait_for_state (dialog, "preview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  {
    gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (find_label (GTK_WIDGET (dialog), "Preparing the list for sorting and filtering…") == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, until);
        g_assert_cmpstr (ob_contacts_import_dialog_get_state (dialog), ==, "importing");
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
  }
  save_screenshot (GTK_WIDGET (dialog), "contacts-import-indexing");
  cancel_import (f, dialog, 7);

  /* Closing the dialog while it imports cancels the import, safely. */
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, big_file));
  wait_for_state (dialog, "preview");
  ob_contacts_import_dialog_set_mapping (dialog, 2, OB_IMPORT_COLUMN_IGNORE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  gtk_window_destroy (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (3000);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 7);
  g_assert_cmpuint (n_shown (f), ==, 7);
}

/* 100,000 contacts, buyer1@firm1.example.de to buyer100000@firm300…. */
static void
fill_100k (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (f->store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
    " INSERT INTO contacts (email, email_key, domain, name, company, country, verdict, status, created_at, updated_at)"
    " SELECT 'buyer' || i || '@firm' || (i % 997) || '.example.de', 'buyer' || i || '@firm' || (i % 997) || '.example.de',"
    "  'firm' || (i % 997) || '.example.de', 'Buyer ' || i, 'Firm ' || (i % 997), 'DE', 'valid', 'active',"
    "  1767225600 + i, 1767225600 + i FROM n", &error));
  g_assert_no_error (error);
}

/* A page over 100,000 contacts makes ObContact objects for the rows on
 * screen only (and those near them), even after a jump to the end. */
static void
test_lazy_100k (Fixture       *f,
                gconstpointer  data)
{
  ObContactTableModel *model;
  GtkWidget *first_cell;
  guint created;

  fill_100k (f);
  open_window (f, 1200);
  model = OB_CONTACT_TABLE_MODEL (ob_contacts_page_get_model (f->page));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 100000);
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "buyer1@firm1.example.de"));
  /* The first frame had a screenful of rows; the whole list follows. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (
                      ob_contacts_page_get_column_view (f->page)))), ==, 100000);
  created = ob_contact_table_model_get_n_created (model);
  g_test_message ("ObContact objects made for the first screen of 100,000: %u", created);
  g_assert_cmpuint (created, >, 0);
  g_assert_cmpuint (created, <=, 4 * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "100000 contacts"));

  /* The count groups its digits as the locale does. */
  if (use_chinese_locale (f, LC_NUMERIC))
    {
      ob_contacts_page_reload (f->page);
      ob_ui_test_wait_ms (300);
      setlocale (LC_NUMERIC, "C");
      g_unsetenv ("LOCPATH");
      g_assert_nonnull (find_label (GTK_WIDGET (f->page), "100,000 contacts"));
    }
  else
    g_test_message ("zh_CN.UTF-8 is missing: the count's digit grouping is not checked");

  /* Jump to the end, as the scrollbar would. */
  gtk_widget_activate_action (GTK_WIDGET (ob_contacts_page_get_column_view (f->page)), "list.scroll-to-item", "u", 99999);
  {
    GtkScrolledWindow *sw = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (ob_contacts_page_get_column_view (f->page)),
                                                                          GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (sw);

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  }
  ob_ui_test_wait_ms (600);
  created = ob_contact_table_model_get_n_created (model);
  g_test_message ("after a jump to the end: %u", created);
  g_assert_nonnull (find_label (GTK_WIDGET (f->page), "buyer100000@firm300.example.de"));
  g_assert_cmpuint (created, <=, 8 * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);

  /* Sorting by a column reorders in SQL, still lazily. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_EMAIL, TRUE);
  {
    g_autoptr(ObContact) top = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (ob_contact_get_email (top), ==, "buyer9@firm9.example.de");
  }
  g_assert_cmpuint (ob_contact_table_model_get_n_created (model), <=, 10 * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);

  /* A search that matches everything lists the first matches only, and
   * says so; a precise one finds its row. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_ID, FALSE);
  search (f, "buyer");
  /* A new search starts at the top. */
  first_cell = find_label (GTK_WIDGET (f->page), "buyer1@firm1.example.de");
  g_assert_nonnull (first_cell);
  g_assert_true (ob_contact_table_model_is_capped (model));
  g_assert_cmpuint (n_shown (f), ==, OB_CONTACT_TABLE_MODEL_SEARCH_CAP);
  {
    g_autoptr(ObContact) top = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (ob_contact_get_email (top), ==, "buyer1@firm1.example.de");
  }
  search (f, "buyer 99999");
  g_assert_false (ob_contact_table_model_is_capped (model));
  g_assert_cmpuint (n_shown (f), ==, 1);
  {
    g_autoptr(ObContact) top = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (ob_contact_get_email (top), ==, "buyer99999@firm299.example.de");
  }
  /* The row widgets GTK made are refilled, not made again, also across a
   * search that matches nothing. */
  g_assert_true (find_label (GTK_WIDGET (f->page), "buyer99999@firm299.example.de") == first_cell);
  search (f, "nobody-matches-this");
  g_assert_cmpuint (n_shown (f), ==, 0);
  search (f, "buyer 12345");
  g_assert_true (find_label (GTK_WIDGET (f->page), "buyer12345@firm381.example.de") == first_cell);
  /* Sorted by name, a capped search sorts its first matches. */
  ob_contact_table_model_set_sort (model, OB_CONTACT_COLUMN_NAME, TRUE);
  created = ob_contact_table_model_get_n_created (model);
  search (f, "firm 5");
  g_assert_cmpuint (n_shown (f), >, 0);
  created = ob_contact_table_model_get_n_created (model) - created;
  g_test_message ("ObContact objects made for a sorted search: %u", created);
  g_assert_cmpuint (created, <=, 4 * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
}

/* Deleting a whole list of 100,000: none of them shown while the Undo
 * toast is up (a search neither), Undo brings every one back; a deletion
 * that fails changes nothing and says so; one let stand runs in a worker
 * (the page busy, saying what it does) and leaves none in the database;
 * closing the window while one runs does not cut it off. */
static void
test_delete_100k (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkSelectionModel *selection;
  GtkWidget *undo, *close;
  GtkLabel *work_label;
  AdwMessageDialog *dialog;

  fill_100k (f);
  open_window (f, 1200);
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) == 100000);
  WAIT_UNTIL (find_label (GTK_WIDGET (f->page), "buyer1@firm1.example.de") != NULL);

  /* A deletion the database refuses (a rule on one of the ten rows):
   * the rows come back, an error says why, nothing changed. */
  g_assert_true (ob_store_exec (f->store, "CREATE TRIGGER keep_5 BEFORE DELETE ON contacts WHEN old.id = 5"
                                          " BEGIN SELECT RAISE (ABORT, 'contact 5 is kept'); END", &error));
  g_assert_no_error (error);
  gtk_selection_model_select_range (selection, 0, 10, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  g_assert_cmpuint (n_shown (f), ==, 100000 - 10);
  wait_for_settled_toast (f);
  close = find_toast_close (GTK_WIDGET (f->window));
  g_signal_emit_by_name (close, "clicked");
  g_assert_true (ob_contacts_page_is_busy (f->page));
  wait_until_idle (f);
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Delete Contacts");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "contact 5 is kept"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (n_shown (f), ==, 100000);
  /* The toast has finished going (a widget still fading out is not the
   * next toast's). */
  WAIT_UNTIL (find_toast_close (GTK_WIDGET (f->window)) == NULL);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 100000);
  g_assert_true (ob_store_exec (f->store, "DROP TRIGGER keep_5", &error));
  g_assert_no_error (error);

  /* All of them, with Undo. */
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  g_assert_false (ob_contacts_page_is_busy (f->page));
  g_assert_cmpuint (n_shown (f), ==, 0);
  wait_for_settled_toast (f);
  undo = find_button (GTK_WIDGET (f->window), "_Undo");
  g_assert_nonnull (undo);
  g_assert_null (find_label (GTK_WIDGET (f->page), "buyer1@firm1.example.de"));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  search (f, "buyer 99999");
  g_assert_cmpuint (n_shown (f), ==, 0);
  search (f, "");
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 100000);
  g_assert_true (find_button (GTK_WIDGET (f->window), "_Undo") == undo);
  g_signal_emit_by_name (undo, "clicked");
  g_assert_cmpuint (n_shown (f), ==, 100000);
  WAIT_UNTIL (find_label (GTK_WIDGET (f->page), "buyer1@firm1.example.de") != NULL);
  WAIT_UNTIL (find_toast_close (GTK_WIDGET (f->window)) == NULL);
  g_assert_cmpstr (visible_page (f), ==, "table");
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 100000);

  /* All of them, let stand: the toast closed, the deletion runs in a
   * worker while the page says so, then none is left. */
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  wait_for_settled_toast (f);
  close = find_toast_close (GTK_WIDGET (f->window));
  g_signal_emit_by_name (close, "clicked");
  g_assert_true (ob_contacts_page_is_busy (f->page));
  work_label = GTK_LABEL (ob_ui_test_find_named (GTK_WIDGET (f->page), "work_label"));
  g_assert_cmpstr (gtk_label_get_text (work_label), ==, "Deleting 100000 contacts…");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (work_label),
                                                                                       GTK_TYPE_REVEALER))));
  g_assert_cmpstr (visible_page (f), ==, "deleting");
  /* The selection's actions wait meanwhile. */
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.delete-selected")));
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.recheck-selected")));
  /* So does saving a contact, which would wait for the worker's lock. */
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (f->page), "contacts.save-detail")));
  g_assert_cmpuint (n_shown (f), ==, 0);
  wait_until_idle (f);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 0);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer'"), ==, 0);
  g_assert_cmpuint (n_shown (f), ==, 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");
  WAIT_UNTIL (find_toast_close (GTK_WIDGET (f->window)) == NULL);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (work_label),
                                                                                        GTK_TYPE_REVEALER))));

  /* Again, and the window closes while the worker runs: the application
   * waits for it, and it is done. */
  fill_100k (f);
  ob_contacts_page_reload (f->page);
  WAIT_UNTIL (n_shown (f) == 100000 &&
              g_list_model_get_n_items (G_LIST_MODEL (selection)) == 100000);
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  wait_for_settled_toast (f);
  close = find_toast_close (GTK_WIDGET (f->window));
  g_signal_emit_by_name (close, "clicked");
  g_assert_true (ob_contacts_page_is_busy (f->page));
  g_assert_true (g_application_get_is_busy (G_APPLICATION (app)));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  f->page = NULL;
  wait_until_app_idle ();
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 0);
}

/* Delete pressed again and again faster than a toast can appear: under
 * libadwaita 1.2 a toast dismissed or pushed back during its first 200 ms
 * made the overlay use freed memory (fixed in 1.3). The window spaces the
 * changes out; every deletion but the last stands, the last waits under
 * its Undo toast. */
static void
test_delete_fast_repeat (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkSelectionModel *selection;
  GtkWidget *undo;

  g_assert_true (ob_store_exec (f->store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
    " INSERT INTO contacts (email, email_key, domain, name, verdict, status, created_at, updated_at)"
    " SELECT 'buyer' || i || '@firm.example.de', 'buyer' || i || '@firm.example.de', 'firm.example.de',"
    "  'Buyer ' || i, 'valid', 'active', i, i FROM n", &error));
  g_assert_no_error (error);
  open_window (f, 1200);
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) == 50);

  /* A plain toast on screen first, so that the Undo toasts replace it. */
  ob_window_add_toast (f->window, adw_toast_new ("Something else"));
  for (guint round = 0; round < 4; round++)
    {
      for (guint i = 0; i < 3; i++)
        {
          gtk_selection_model_select_item (selection, 0, TRUE);
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
          /* A frame or two, not enough for the toast to settle. */
          ob_ui_test_wait_ms (40 + 60 * i);
        }
      ob_ui_test_wait_ms (150 * round);
    }
  wait_until_idle (f);
  wait_for_settled_toast (f);
  ob_ui_test_wait_ms (1500);
  wait_until_idle (f);

  /* Twelve deletions: eleven stand, the last waits for its toast. */
  g_assert_cmpuint (n_shown (f), ==, 50 - 12);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 50 - 11);
  undo = find_button (GTK_WIDGET (f->window), "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  WAIT_UNTIL (n_shown (f) == 50 - 11);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 50 - 11);
}

/* Toasts queue: the text may wait for the one before to go. */
static gboolean
wait_for_label (GtkWidget  *root,
                const char *text)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (find_label (root, text) == NULL)
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      ob_ui_test_wait_ms (50);
    }
  return TRUE;
}

/* What the quit test does inside the running application. */
static gboolean
delete_then_quit_cb (gpointer user_data)
{
  Fixture *f = user_data;
  GtkSelectionModel *selection;

  WAIT_UNTIL (gtk_application_get_active_window (GTK_APPLICATION (app)) != NULL);
  f->window = OB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "contacts"));
  WAIT_UNTIL ((f->page = OB_CONTACTS_PAGE (ob_ui_test_find_type (GTK_WIDGET (f->window),
                                                                 OB_TYPE_CONTACTS_PAGE))) != NULL &&
              ob_contacts_page_get_model (f->page) != NULL && n_shown (f) == 20000);
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (selection)) == 20000);
  gtk_selection_model_select_all (selection);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.delete-selected", NULL));
  g_assert_cmpuint (n_shown (f), ==, 0);
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 20000);
  /* Ctrl+Q with the Undo toast on screen. */
  f->window = NULL;
  f->page = NULL;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Quitting while a deletion waits under its Undo toast: the windows close
 * first, so the deletion stands, and the application ends only once its
 * worker is done. The test application itself runs and quits here, so
 * this test comes last. */
static void
test_quit_with_pending_delete (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (f->store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
    " INSERT INTO contacts (email, email_key, domain, name, verdict, status, created_at, updated_at)"
    " SELECT 'buyer' || i || '@firm.example.de', 'buyer' || i || '@firm.example.de', 'firm.example.de',"
    "  'Buyer ' || i, 'valid', 'active', i, i FROM n", &error));
  g_assert_no_error (error);
  g_idle_add (delete_then_quit_cb, f);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_false (g_application_get_is_busy (G_APPLICATION (app)));
  g_assert_cmpint (ob_test_query_int (f->store, "SELECT count(*) FROM contacts"), ==, 0);
}

/* Check Mail Domains, from the page's menu: the resolver of the
 * preferences (knot on loopback) says which domains receive mail; a
 * cancelled check changes nothing. */
static void
test_check_domains (Fixture       *f,
                    gconstpointer  data)
{
  const char *zones[] = {
    "$ORIGIN de.\n$TTL 300\n"
    "kessler-armaturen MX 10 mx.kessler-armaturen\n"
    "mx.kessler-armaturen A 192.0.2.10\n"
    "nomx-buyer A 192.0.2.20\n"
    "nullmx-buyer MX 0 .\n",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestDnsServer) dns = ob_test_dns_server_start (zones, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  AdwMessageDialog *dialog;
  const char *statuses = "SELECT group_concat (email || '=' || verdict || '/' || status, ' ')"
                         " FROM (SELECT * FROM contacts ORDER BY id)";

  g_assert_no_error (error);
  url = g_strdup_printf ("udp://127.0.0.1:%u", ob_test_dns_server_get_port (dns));
  g_settings_set_string (settings, "dns-resolver", "custom");
  g_settings_set_string (settings, "dns-custom-url", url);
  g_assert_true (ob_store_exec (f->store,
    "INSERT INTO contacts (email, email_key, domain, verdict, status, created_at, updated_at) VALUES"
    " ('hans@kessler-armaturen.de', 'hans@kessler-armaturen.de', 'kessler-armaturen.de', 'valid', 'active', 1, 1),"
    " ('olaf@nomx-buyer.de', 'olaf@nomx-buyer.de', 'nomx-buyer.de', 'valid', 'active', 1, 1),"
    " ('nina@nullmx-buyer.de', 'nina@nullmx-buyer.de', 'nullmx-buyer.de', 'valid', 'active', 1, 1),"
    " ('gert@gone-buyer.de', 'gert@gone-buyer.de', 'gone-buyer.de', 'valid', 'active', 1, 1)", &error));
  g_assert_no_error (error);
  before = ob_test_query_text (f->store, statuses);

  open_window (f, 1200);

  /* Cancelled at once: every contact as it was. */
  ob_contacts_page_check_domains (f->page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.cancel-check-domains", NULL));
  wait_until_idle (f);
  after = ob_test_query_text (f->store, statuses);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (wait_for_label (GTK_WIDGET (f->window), "Domain check cancelled: nothing changed"));
  g_clear_pointer (&after, g_free);

  /* With a selection, the dialog offers its domains alone; a contact at
   * a domain that does not exist becomes invalid, the others stay. */
  {
    GtkSelectionModel *selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (f->page));
    GListModel *model = ob_contacts_page_get_model (f->page);
    guint gert = G_MAXUINT;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(ObContact) c = g_list_model_get_item (model, i);

        if (g_str_equal (ob_contact_get_email (c), "gert@gone-buyer.de"))
          gert = i;
      }
    g_assert_cmpuint (gert, !=, G_MAXUINT);
    g_assert_true (gtk_selection_model_select_item (selection, gert, TRUE));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.check-domains", NULL));
    ob_ui_test_wait_ms (200);
    dialog = find_message_dialog ();
    g_assert_nonnull (dialog);
    g_assert_true (adw_message_dialog_has_response (dialog, "check"));
    g_assert_true (adw_message_dialog_has_response (dialog, "check-selected"));
    /* Escape cancels. */
    g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
    adw_message_dialog_response (dialog, "check-selected");
    /* A response given from code leaves the dialog open. */
    gtk_window_destroy (GTK_WINDOW (dialog));
    wait_until_idle (f);
    after = ob_test_query_text (f->store, statuses);
    g_assert_cmpstr (after, ==, "hans@kessler-armaturen.de=valid/active olaf@nomx-buyer.de=valid/active"
                                " nina@nullmx-buyer.de=valid/active gert@gone-buyer.de=invalid/invalid");
    g_assert_true (wait_for_label (GTK_WIDGET (f->window), "0 of 1 domains receive mail; 1 contact changed"));
    gtk_selection_model_unselect_all (selection);
    g_clear_pointer (&after, g_free);
  }

  /* From the menu: asked first, then checked; without a selection there
   * is one way to check. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.check-domains", NULL));
  ob_ui_test_wait_ms (200);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_has_response (dialog, "check-selected"));
  adw_message_dialog_response (dialog, "check");
  wait_until_idle (f);
  after = ob_test_query_text (f->store, statuses);
  g_test_message ("after the check: %s", after);
  g_assert_cmpstr (after, ==, "hans@kessler-armaturen.de=valid/active olaf@nomx-buyer.de=risky/active"
                              " nina@nullmx-buyer.de=invalid/invalid gert@gone-buyer.de=invalid/invalid");
  g_assert_true (wait_for_label (GTK_WIDGET (f->window),
                                 "1 of 4 domains receive mail; 2 contacts changed (1 known from an earlier check)"));
  ob_ui_test_wait_ms (400);
  save_screenshot (GTK_WIDGET (f->window), "contacts-domains-checked");

  /* Checked again within the answers' time to live: the verdicts come
   * from the first check, and the toast says so. */
  ob_contacts_page_check_domains (f->page);
  wait_until_idle (f);
  g_assert_true (wait_for_label (GTK_WIDGET (f->window),
                                 "1 of 4 domains receive mail; 0 contacts changed (4 known from an earlier check)"));

  /* The same check as an option of the import: its figures in the report. */
  {
    g_autofree char *csv = ob_test_dir_file (f->dir, "fair.csv");
    g_autoptr(GFile) file = g_file_new_for_path (csv);
    ObContactsImportDialog *import;

    g_assert_true (g_file_set_contents (csv, "Email,Name\r\nmax@kessler-armaturen.de,Max\r\n"
                                             "ute@nullmx-buyer.de,Ute\r\nkai@gone-buyer.de,Kai\r\n", -1, NULL));
    import = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (f->page, file));
    wait_for_state (import, "preview");
    gtk_switch_set_active (GTK_SWITCH (ob_ui_test_find_named (GTK_WIDGET (import), "dns_switch")), TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (import), "import.run", NULL));
    wait_for_state (import, "report");
    ob_ui_test_wait_ms (200);
    g_assert_nonnull (find_label (GTK_WIDGET (import), "Mail Domains"));
    g_assert_nonnull (find_label (GTK_WIDGET (import), "Domains checked"));
    g_assert_nonnull (find_label (GTK_WIDGET (import), "3 known from an earlier check"));
    save_screenshot (GTK_WIDGET (import), "contacts-import-report-dns");
    gtk_window_destroy (GTK_WINDOW (import));
    ob_ui_test_wait_ms (200);
    g_clear_pointer (&after, g_free);
    after = ob_test_query_text (f->store, "SELECT group_concat (email || '=' || verdict || '/' || status, ' ')"
                                          " FROM (SELECT * FROM contacts WHERE email IN ('max@kessler-armaturen.de',"
                                          " 'ute@nullmx-buyer.de', 'kai@gone-buyer.de') ORDER BY id)");
    g_test_message ("imported and checked: %s", after);
    g_assert_cmpstr (after, ==, "max@kessler-armaturen.de=valid/active ute@nullmx-buyer.de=invalid/invalid"
                                " kai@gone-buyer.de=invalid/invalid");
  }

  g_settings_reset (settings, "dns-resolver");
  g_settings_reset (settings, "dns-custom-url");
}

/* The list's cells (GtkInscription) under @root showing a text with
 * @part in it: how many, and how many too narrow for their text. */
static void
count_cells_with (GtkWidget  *root,
                  const char *part,
                  guint      *n,
                  guint      *cut)
{
  const char *text = GTK_IS_INSCRIPTION (root) ? gtk_inscription_get_text (GTK_INSCRIPTION (root)) : NULL;

  if (text != NULL && gtk_widget_get_mapped (root) && strstr (text, part) != NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (root, text);
      int width;

      pango_layout_get_pixel_size (layout, &width, NULL);
      (*n)++;
      if (width > gtk_widget_get_width (root))
        {
          g_test_message ("cut: %s needs %d px, has %d", text, width, gtk_widget_get_width (root));
          (*cut)++;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    count_cells_with (c, part, n, cut);
}

/* zh_CN for @category (LC_TIME, LC_NUMERIC). */
static gboolean
use_chinese_locale (Fixture *f,
                    int      category)
{
  return ob_test_use_locale (f->dir, category, "zh_CN.UTF-8");
}

/* A Chinese date ("2026年11月23日") is wider than "11/23/26": the Added
 * column makes room for it rather than cutting the day off. */
static void
test_added_column_chinese (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *saved = g_strdup (setlocale (LC_TIME, NULL));
  guint n = 0, cut = 0;

  if (!use_chinese_locale (f, LC_TIME))
    {
      g_test_skip ("zh_CN.UTF-8 is not installed and localedef could not make it");
      return;
    }
  open_window (f, 1280);
  import_fixture (f);
  count_cells_with (GTK_WIDGET (ob_contacts_page_get_column_view (f->page)), "年", &n, &cut);
  save_screenshot (GTK_WIDGET (f->window), "contacts-zh-dates");
  setlocale (LC_TIME, saved);
  g_unsetenv ("LOCPATH");
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpuint (cut, ==, 0);
}

/* At the window's default width every column is on screen: nothing to
 * scroll sideways to find when contacts were Added. */
static void
test_columns_fit_default_width (Fixture       *f,
                                gconstpointer  data)
{
  GtkWidget *view;
  GtkWidget *scrolled;
  GtkAdjustment *h;
  int default_width = 0, default_height = 0;

  /* As open_window(), but at the size the window opens with. */
  f->window = ob_window_new (ADW_APPLICATION (app), f->store);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &default_width, &default_height);
  g_assert_cmpint (default_width, >=, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "contacts"));
  ob_ui_test_wait_ms (600);
  f->page = OB_CONTACTS_PAGE (ob_ui_test_find_type (GTK_WIDGET (f->window), OB_TYPE_CONTACTS_PAGE));
  g_assert_nonnull (f->page);
  import_fixture (f);
  render (GTK_WIDGET (f->window));
  view = GTK_WIDGET (ob_contacts_page_get_column_view (f->page));
  scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scrolled);
  h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_test_message ("default width %d: columns %.0f px, shown %.0f px", default_width,
                  gtk_adjustment_get_upper (h), gtk_adjustment_get_page_size (h));
  for (guint i = 0; i < g_list_model_get_n_items (gtk_column_view_get_columns (GTK_COLUMN_VIEW (view))); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (GTK_COLUMN_VIEW (view)), i);

      g_test_message ("  %s: %d px", gtk_column_view_column_get_title (column),
                      gtk_column_view_column_get_fixed_width (column));
    }
  save_screenshot (GTK_WIDGET (f->window), "contacts-default-width");
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 0.5);
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

  g_test_add ("/ui/contacts/import-search-suppress-delete", Fixture, NULL,
              fixture_set_up, test_import_search_suppress_delete, fixture_tear_down);
  g_test_add ("/ui/contacts/detail-and-narrow", Fixture, NULL,
              fixture_set_up, test_detail_and_narrow, fixture_tear_down);
  g_test_add ("/ui/contacts/history", Fixture, NULL,
              fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/ui/contacts/suppression-list", Fixture, NULL,
              fixture_set_up, test_suppression_list, fixture_tear_down);
  g_test_add ("/ui/contacts/suppress-reason-undo", Fixture, NULL,
              fixture_set_up, test_suppress_reason_undo, fixture_tear_down);
  g_test_add ("/ui/contacts/actions-export-cancel", Fixture, NULL,
              fixture_set_up, test_actions_export_cancel, fixture_tear_down);
  g_test_add ("/ui/contacts/check-domains", Fixture, NULL,
              fixture_set_up, test_check_domains, fixture_tear_down);
  g_test_add ("/ui/contacts/lazy-100k", Fixture, NULL,
              fixture_set_up, test_lazy_100k, fixture_tear_down);
  g_test_add ("/ui/contacts/delete-100k", Fixture, NULL,
              fixture_set_up, test_delete_100k, fixture_tear_down);
  g_test_add ("/ui/contacts/added-column-chinese", Fixture, NULL,
              fixture_set_up, test_added_column_chinese, fixture_tear_down);
  g_test_add ("/ui/contacts/columns-fit-default-width", Fixture, NULL,
              fixture_set_up, test_columns_fit_default_width, fixture_tear_down);
  /* Last: it runs the test application and quits it. */
  g_test_add ("/ui/contacts/delete-fast-repeat", Fixture, NULL,
              fixture_set_up, test_delete_fast_repeat, fixture_tear_down);
  g_test_add ("/ui/contacts/quit-with-pending-delete", Fixture, NULL,
              fixture_set_up, test_quit_with_pending_delete, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
