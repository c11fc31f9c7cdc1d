/* test-accounts-page.c — the Accounts page and its setup assistant, driven
 * in-process as a person uses them, against the harness's real SMTP
 * (STARTTLS + AUTH) and IMAP servers with the test CA, and a private
 * keyring. Saves screenshots of the page and the assistant.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ob-account-assistant.h"
#include "ob-account-editor.h"
#include "ob-account-test-view.h"
#include "ob-account.h"
#include "ob-accounts-page.h"
#include "ob-application.h"
#include "ob-dns-zone-resolver.h"
#include "ob-keyring.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

/* The harness servers' only valid login. */
#define USER "testuser"
#define PASSWORD "testpass"
#define NEW_PASSWORD "N3w-Secret-授权码"


static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}
static ObApplication *app;
static ObTestKeyring *keyring;
static ObTestSmtpServer *smtp;
static ObTestImapServer *imap;
static ObTestHttpsServer *https;
static ObTestDir *https_root;

typedef struct
{
  ObWindow       *window;
  ObAccountsPage *page;
  ObTestDir      *dir;
  char           *db;
} Fixture;

/* Main loop helpers */

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop until @pred holds; fails the test after @ms. */
static void
wait_until (Predicate   pred,
            gpointer    data,
            guint       ms,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, timeout_cb, &timed_out);

  while (!pred (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u ms waiting for %s", ms, what);
  g_source_remove (id);
}

/* Widget helpers */

/* A mapped label anywhere under @root whose text starts with @prefix. */
static GtkWidget *
label_starting (GtkWidget  *root,
                const char *prefix)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = label_starting (c, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *prefix;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;

  return label_starting (w->root, w->prefix) != NULL;
}

/* A toplevel (not @except) that holds a widget of @type. */
static GtkWidget *
find_in_toplevels (GType      type,
                   GtkWidget *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found;

      if (GTK_WIDGET (window) == except || !gtk_widget_get_visible (GTK_WIDGET (window)))
        continue;
      if ((found = ob_ui_test_find_type (GTK_WIDGET (window), type)) != NULL)
        return found;
    }
  return NULL;
}

static void
set_text (GtkWidget  *root,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (root, name)), text);
}

static void
click (GtkWidget  *root,
       const char *name)
{
  GtkWidget *button = ob_ui_test_need_named (root, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;
  return n;
}

/* Screenshots (as test-window.c) */

/* The window's render node once it is mapped and drawn: a window just
 * presented on a loaded machine may need a few frames. */
static GskRenderNode *
snapshot_window (GtkWidget *window)
{
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      if (gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0)
        {
          g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
          g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
          GskRenderNode *node;

          gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                                  gtk_widget_get_width (window), gtk_widget_get_height (window));
          node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
          if (node != NULL)
            return node;
        }
      ob_ui_test_wait_ms (100);
    }
  return NULL;
}

static GdkTexture *
render (GtkWidget *window)
{
  g_autoptr(GskRenderNode) node = snapshot_window (window);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  g_assert_nonnull (node);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name,
                 double     *mean_out)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *data = NULL;
  int width, height;
  double sum = 0, sum2 = 0, stddev;
  gsize n;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  texture = render (window);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  n = (gsize) width * height;
  data = g_malloc ((gsize) width * 4 * height);
  gdk_texture_download (texture, data, width * 4);
  for (gsize i = 0; i < n; i++)
    {
      double y = 0.0722 * data[i * 4] + 0.7152 * data[i * 4 + 1] + 0.2126 * data[i * 4 + 2];

      sum += y;
      sum2 += y * y;
    }
  *mean_out = sum / n;
  stddev = sqrt (MAX (0.0, sum2 / n - (*mean_out) * (*mean_out)));
  g_test_message ("%s: mean luma %.1f, stddev %.1f", name, *mean_out, stddev);
  g_assert_cmpfloat (stddev, >, 8.0);

  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Keyring and file helpers */

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static char *
keyring_lookup (gint64   id,
                GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_keyring_lookup_password_async (id, NULL, got_result_cb, &result);
  wait_until (result_ready, &result, 10000, "the keyring");
  return ob_keyring_lookup_password_finish (result, error);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0, n = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Predicates */

static gboolean
step_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (ob_account_assistant_get_step (args[0]), args[1]) == 0;
}

static gboolean
test_done (gpointer data)
{
  return !ob_account_test_view_is_running (data) && ob_account_test_view_get_report (data) != NULL;
}

static gboolean
no_assistant (gpointer data)
{
  return ob_ui_test_find_toplevel (OB_TYPE_ACCOUNT_ASSISTANT) == NULL;
}

static gboolean
no_editor (gpointer data)
{
  return ob_ui_test_find_toplevel (OB_TYPE_ACCOUNT_EDITOR) == NULL;
}

static gboolean
rows_are (gpointer data)
{
  gpointer *args = data;

  return count_rows (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
wait_for_step (ObAccountAssistant *assistant,
               const char         *step)
{
  gpointer args[] = { assistant, (gpointer) step };

  wait_until (step_is, args, 30000, step);
}

static void
wait_for_rows (Fixture *f,
               guint    n)
{
  gpointer args[] = { ob_ui_test_need_named (GTK_WIDGET (f->page), "accounts-list"), GUINT_TO_POINTER (n) };

  wait_until (rows_are, args, 10000, "the account rows");
}

/* The fixture: a window on a fresh database, on the Accounts page. */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;

  f->dir = ob_test_dir_new ();
  f->db = ob_test_dir_file (f->dir, "ui.db");
  store = ob_store_open (f->db, &error);
  g_assert_no_error (error);
  f->window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "accounts"));
  ob_ui_test_wait_ms (800);
  f->page = OB_ACCOUNTS_PAGE (ob_ui_test_find_type (GTK_WIDGET (f->window), OB_TYPE_ACCOUNTS_PAGE));
  g_assert_nonnull (f->page);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *other;

  while ((other = ob_ui_test_find_toplevel (ADW_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (other);
  gtk_window_destroy (GTK_WINDOW (f->window));
  ob_ui_test_wait_ms (100);
  g_free (f->db);
  ob_test_dir_free (f->dir);
}

/* Opens the assistant and fills the address page. */
static ObAccountAssistant *
open_assistant (Fixture    *f,
                const char *email)
{
  ObAccountAssistant *assistant;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "accounts.add", NULL));
  ob_ui_test_wait_ms (300);
  assistant = OB_ACCOUNT_ASSISTANT (ob_ui_test_find_toplevel (OB_TYPE_ACCOUNT_ASSISTANT));
  g_assert_nonnull (assistant);
  g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "address");

  set_text (GTK_WIDGET (assistant), "email", email);
  set_text (GTK_WIDGET (assistant), "sender-name", "Lily Chen");
  return assistant;
}

/* Address → servers (typed by hand, pointing at the loopback servers) →
 * password → test. Returns the test view once the test has finished. */
static ObAccountTestView *
run_manual_setup (Fixture            *f,
                  ObAccountAssistant *assistant,
                  const char         *password)
{
  GtkWidget *w = GTK_WIDGET (assistant);
  g_autoptr(ObDnsResolver) resolver = OB_DNS_RESOLVER (ob_dns_zone_resolver_new ());
  g_autofree char *base = g_strdup_printf ("https://localhost:%u", ob_test_https_server_get_port (https));
  ObAccountTestView *view;
  guint n_running = 0, n_passed = 0;

  /* example.test has no MX and publishes no autoconfig (an empty HTTPS
   * docroot answers 404): the settings are typed in. */
  ob_account_assistant_set_resolver (assistant, resolver);
  ob_account_assistant_set_autoconfig_base (assistant, base);
  ob_account_assistant_set_ca_file (assistant, ob_test_ca_pem ());

  click (w, "next");
  wait_for_step (assistant, "settings");
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (ob_ui_test_need_named (w, "provider-group"))),
                   ==, "Type In the Servers");

  /* Next without a server: a clear error, and the page stays. */
  click (w, "next");
  g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "settings");
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (ob_ui_test_need_named (w, "error-bar"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (ob_ui_test_need_named (w, "error-label"))), "SMTP"));

  set_text (w, "smtp-host", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ob_ui_test_need_named (w, "smtp-security")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "smtp-port")), ob_test_smtp_server_get_port (smtp));
  set_text (w, "imap-host", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ob_ui_test_need_named (w, "imap-security")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "imap-port")), ob_test_imap_server_get_tls_port (imap));
  set_text (w, "username", USER);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "daily-limit")), 150);

  click (w, "next");
  wait_for_step (assistant, "password");
  set_text (w, "password", password);

  click (w, "next");
  g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "test");
  view = OB_ACCOUNT_TEST_VIEW (ob_ui_test_need_named (w, "test-view"));
  /* While it runs, every step to come shows a spinner, the steps done show
   * their result at once (the server name is an address: done already),
   * and Finish waits. */
  ob_account_test_view_count (view, &n_passed, NULL, &n_running);
  g_assert_cmpuint (n_running + n_passed, ==, 13);
  g_assert_cmpuint (n_running, >=, 11);
  g_assert_false (gtk_widget_is_sensitive (ob_ui_test_need_named (w, "next")));

  wait_until (test_done, view, 60000, "the account test");
  g_assert_true (gtk_widget_is_sensitive (ob_ui_test_need_named (w, "next")));
  return view;
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (ob_ui_test_need_named (GTK_WIDGET (f->page), "accounts-stack")));
}

static ObAccount *
the_only_account (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ob_account_store_list (ob_window_get_store (f->window), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  return g_object_ref (g_ptr_array_index (accounts, 0));
}

static void
test_add_test_remove (Fixture       *f,
                      gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *list = ob_ui_test_need_named (GTK_WIDGET (f->page), "accounts-list");
  ObAccountAssistant *assistant;
  ObAccountTestView *view;
  const ObAccountTestReport *report;
  g_autoptr(ObAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  GtkWidget *row;
  GtkWindow *dialog;
  GtkWidget *editor;
  char *password;
  guint n_passed = 0, n_failed = 0;
  double mean;
  gint64 id;

  /* The empty state first. */
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (ob_ui_test_need_named (GTK_WIDGET (f->page), "accounts-empty")));
  g_assert_cmpuint (count_rows (list), ==, 0);

  assistant = open_assistant (f, "sales@example.test");
  view = run_manual_setup (f, assistant, PASSWORD);

  report = ob_account_test_view_get_report (view);
  ob_account_test_view_count (view, &n_passed, &n_failed, NULL);
  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *s = g_ptr_array_index (report->steps, i);

      g_test_message ("%s %s %s: %s", s->ok ? "✓" : "✗", s->service, s->step, s->message);
    }
  /* SMTP: name, connection, TLS, certificate, features, login; IMAP the
   * same and the Sent folder: every one green. */
  g_assert_true (report->ok);
  g_assert_cmpuint (n_failed, ==, 0);
  g_assert_cmpuint (n_passed, ==, 13);
  g_assert_nonnull (strstr (report->smtp_tls->issuer, "Harness Test CA"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (ob_ui_test_need_named (GTK_WIDGET (assistant), "test-summary"))),
                            "Everything works"));
  ob_ui_test_wait_ms (1000);
  save_screenshot (GTK_WIDGET (assistant), "accounts-assistant-test", &mean);

  /* Finish: saved, the assistant closes, the row appears. */
  click (GTK_WIDGET (assistant), "next");
  wait_until (no_assistant, NULL, 10000, "the assistant to close");
  wait_for_rows (f, 1);
  g_assert_cmpstr (visible_page (f), ==, "list");

  account = the_only_account (f);
  id = ob_account_get_id (account);
  g_assert_cmpstr (ob_account_get_email (account), ==, "sales@example.test");
  g_assert_cmpstr (ob_account_get_display_name (account), ==, "Lily Chen");
  g_assert_cmpstr (ob_account_get_username (account), ==, USER);
  g_assert_cmpstr (ob_account_get_smtp_host (account), ==, "127.0.0.1");
  g_assert_cmpint (ob_account_get_smtp_port (account), ==, ob_test_smtp_server_get_port (smtp));
  g_assert_cmpint (ob_account_get_smtp_security (account), ==, OB_MAIL_SECURITY_STARTTLS);
  g_assert_cmpint (ob_account_get_imap_port (account), ==, ob_test_imap_server_get_tls_port (imap));
  g_assert_cmpint (ob_account_get_imap_security (account), ==, OB_MAIL_SECURITY_TLS);
  g_assert_cmpuint (ob_account_get_daily_limit (account), ==, 150);
  g_assert_cmpstr (ob_account_get_ca_file (account), ==, ob_test_ca_pem ());

  row = ob_ui_test_need_named (list, "sales@example.test");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Lily Chen"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "150 messages a day"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Last test passed"));

  /* The password is in the keyring, and in no byte of the database. */
  password = keyring_lookup (id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  ob_keyring_password_free (password);
  g_assert_true (g_file_test (f->db, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (f->db, PASSWORD));
  g_assert_false (file_contains (wal, PASSWORD));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ob_ui_test_wait_ms (400);
  save_screenshot (GTK_WIDGET (f->window), "accounts-list-light", &mean);
  g_assert_cmpfloat (mean, >, 160);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ob_ui_test_wait_ms (400);
  save_screenshot (GTK_WIDGET (f->window), "accounts-list-dark", &mean);
  g_assert_cmpfloat (mean, <, 100);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Test from the list: the password comes from the keyring. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "accounts.test", "x", id));
  ob_ui_test_wait_ms (100);
  view = OB_ACCOUNT_TEST_VIEW (find_in_toplevels (OB_TYPE_ACCOUNT_TEST_VIEW, NULL));
  g_assert_nonnull (view);
  wait_until (test_done, view, 60000, "the account test from the list");
  ob_account_test_view_count (view, &n_passed, &n_failed, NULL);
  g_assert_cmpuint (n_failed, ==, 0);
  g_assert_cmpuint (n_passed, ==, 13);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (view))));
  ob_ui_test_wait_ms (100);

  /* Check the mailbox now: Dovecot's INBOX read, the figures in a toast. */
  {
    LabelWait w = { GTK_WIDGET (f->window), "sales@example.test: 1 mail read" };
    const char *mail = "From: buyer@example.test\r\nTo: sales@example.test\r\nSubject: Price list\r\n"
                       "Message-ID: <ordinary-1@example.test>\r\n\r\nPlease send your price list.\r\n";

    g_assert_true (ob_test_imap_server_deliver (imap, "INBOX", mail, strlen (mail), &error));
    g_assert_no_error (error);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "accounts.check-mailbox", "x", id));
    wait_until (label_shown, &w, 30000, "the mailbox check's toast");
  }

  /* Edit: a bad reply-to is refused and changes nothing; then the sender
   * details and a new password are saved. */
  /* Activating the row (a click, or Enter on it) opens the editor. */
  row = ob_ui_test_need_named (list, "sales@example.test");
  g_assert_true (gtk_widget_activate (row));
  ob_ui_test_wait_ms (200);
  editor = GTK_WIDGET (ob_ui_test_find_toplevel (OB_TYPE_ACCOUNT_EDITOR));
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (editor, "sender-name"))), ==, "Lily Chen");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (editor, "smtp-host"))), ==, "127.0.0.1");
  set_text (editor, "sender-name", "Lily Chen (Export Sales)");
  set_text (editor, "reply-to", "lily at example");
  click (editor, "save");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (ob_ui_test_need_named (editor, "error-label"))), "lily at example"));
  g_clear_object (&account);
  account = the_only_account (f);
  g_assert_cmpstr (ob_account_get_display_name (account), ==, "Lily Chen");
  g_assert_null (ob_account_get_reply_to (account));

  set_text (editor, "reply-to", "lily@example.test");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_need_named (editor, "signature"))),
                            "Lily Chen\nExport Sales, Acme Trading", -1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (editor, "daily-limit")), 120);
  set_text (editor, "password", NEW_PASSWORD);
  click (editor, "save");
  wait_until (no_editor, NULL, 10000, "the editor to close");
  g_clear_object (&account);
  account = the_only_account (f);
  g_assert_cmpstr (ob_account_get_display_name (account), ==, "Lily Chen (Export Sales)");
  g_assert_cmpstr (ob_account_get_reply_to (account), ==, "lily@example.test");
  g_assert_cmpstr (ob_account_get_signature (account), ==, "Lily Chen\nExport Sales, Acme Trading");
  g_assert_cmpuint (ob_account_get_daily_limit (account), ==, 120);
  g_assert_cmpint (ob_account_get_smtp_port (account), ==, ob_test_smtp_server_get_port (smtp));
  password = keyring_lookup (id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, NEW_PASSWORD);
  ob_keyring_password_free (password);
  g_assert_false (file_contains (f->db, NEW_PASSWORD));
  g_assert_false (file_contains (wal, NEW_PASSWORD));
  row = ob_ui_test_need_named (list, "sales@example.test");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "120 messages a day"));

  /* At phone width the row and its buttons still fit. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
  ob_ui_test_wait_ms (800);
  save_screenshot (GTK_WIDGET (f->window), "accounts-list-narrow", &mean);
  row = ob_ui_test_need_named (list, "sales@example.test");
  g_assert_cmpint (gtk_widget_get_width (row), <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  ob_ui_test_wait_ms (300);

  /* Remove: a confirmation first; Cancel keeps the account. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "accounts.remove", "x", id));
  ob_ui_test_wait_ms (200);
  dialog = ob_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "sales@example.test"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  ob_ui_test_wait_ms (300);
  g_assert_cmpuint (count_rows (list), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "accounts.remove", "x", id));
  ob_ui_test_wait_ms (200);
  dialog = ob_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  wait_for_rows (f, 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");

  password = keyring_lookup (id, &error);
  g_assert_null (password);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  ObAccountAssistant *assistant = open_assistant (f, "sales@example.test");
  ObAccountTestView *view = run_manual_setup (f, assistant, "not-the-password");
  const ObAccountTestReport *report = ob_account_test_view_get_report (view);
  const char *summary;
  guint n_passed = 0, n_failed = 0, auth_failed = 0;
  double mean;

  g_assert_false (report->ok);
  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *s = g_ptr_array_index (report->steps, i);

      g_test_message ("%s %s %s: %s", s->ok ? "✓" : "✗", s->service, s->step, s->message);
      if (g_str_equal (s->step, "auth"))
        {
          /* Only the login fails, and it says so in words. */
          g_assert_false (s->ok);
          g_assert_nonnull (strstr (s->message, "password"));
          auth_failed++;
        }
      else if (!g_str_equal (s->step, "folder"))
        g_assert_true (s->ok);
    }
  g_assert_cmpuint (auth_failed, ==, 2);
  ob_account_test_view_count (view, &n_passed, &n_failed, NULL);
  g_assert_cmpuint (n_failed, ==, 2);
  /* The folder step needs a login: shown as not checked. */
  g_assert_cmpuint (n_passed, ==, 10);

  summary = gtk_label_get_text (GTK_LABEL (ob_ui_test_need_named (GTK_WIDGET (assistant), "test-summary")));
  g_assert_nonnull (strstr (summary, "refused the user name or password"));
  save_screenshot (GTK_WIDGET (assistant), "accounts-assistant-test-failed", &mean);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ob_ui_test_need_named (GTK_WIDGET (assistant), "next"))), ==, "Save _Anyway");

  /* Back to the password, and the right one passes. */
  click (GTK_WIDGET (assistant), "back");
  g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "password");
  set_text (GTK_WIDGET (assistant), "password", PASSWORD);
  click (GTK_WIDGET (assistant), "next");
  wait_until (test_done, view, 60000, "the second test");
  g_assert_true (ob_account_test_view_get_report (view)->ok);

  /* Cancel: nothing is saved. */
  gtk_window_close (GTK_WINDOW (assistant));
  wait_until (no_assistant, NULL, 10000, "the assistant to close");
  g_assert_cmpuint (count_rows (ob_ui_test_need_named (GTK_WIDGET (f->page), "accounts-list")), ==, 0);
}

static gboolean
advice_mentions (GtkWidget  *group,
                 const char *needle)
{
  for (GtkWidget *child = gtk_widget_get_first_child (group); child; child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_PREFERENCES_ROW (child) &&
          strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), needle) != NULL)
        return TRUE;
      if (advice_mentions (child, needle))
        return TRUE;
    }
  return FALSE;
}

static void
test_provider_quirks (Fixture       *f,
                      gconstpointer  data)
{
  ObAccountAssistant *assistant = open_assistant (f, "lily@qq.com");
  GtkWidget *w = GTK_WIDGET (assistant);
  double mean;

  /* By domain: no lookup, the preset at once. Enter in the address
   * field goes on, as Next does. */
  g_signal_emit_by_name (ob_ui_test_need_named (w, "email"), "entry-activated");
  g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "settings");
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (ob_ui_test_need_named (w, "provider-group"))),
                   ==, "QQ Mail");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "smtp-host"))), ==, "smtp.qq.com");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "smtp-port"))), ==, 465);

  click (w, "next");
  g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "password");
  g_assert_true (advice_mentions (ob_ui_test_need_named (w, "advice-group"), "授权码"));
  /* Past the page transition. */
  ob_ui_test_wait_ms (1000);
  save_screenshot (w, "accounts-assistant-provider", &mean);

  /* By MX: a company domain whose mail goes to qiye.163.com. */
  {
    g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
    const char *text = "$ORIGIN acme-trading.test.\n"
                       "@ 3600 IN MX 10 mxbiz1.qiye.163.com.\n"
                       "@ 3600 IN MX 20 mxbiz2.qiye.163.com.\n";
    g_autoptr(GError) error = NULL;

    g_assert_true (ob_dns_zone_resolver_load_data (zone, text, strlen (text), NULL, "test", &error));
    g_assert_no_error (error);
    click (w, "back");
    click (w, "back");
    g_assert_cmpstr (ob_account_assistant_get_step (assistant), ==, "address");
    ob_account_assistant_set_resolver (assistant, OB_DNS_RESOLVER (zone));
    set_text (w, "email", "sales@acme-trading.test");
    click (w, "next");
    wait_for_step (assistant, "settings");
    g_assert_nonnull (strstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (ob_ui_test_need_named (w, "provider-group"))),
                              "NetEase Enterprise"));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "smtp-host"))), ==, "smtp.qiye.163.com");
    click (w, "next");
    g_assert_true (advice_mentions (ob_ui_test_need_named (w, "advice-group"), "administrator"));
  }

  /* An OAuth-only provider: said plainly before any password is typed. */
  click (w, "back");
  click (w, "back");
  set_text (w, "email", "buyer@hotmail.com");
  click (w, "next");
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (ob_ui_test_need_named (w, "provider-group"))),
                   ==, "Outlook.com / Hotmail");
  click (w, "next");
  g_assert_true (advice_mentions (ob_ui_test_need_named (w, "advice-group"), "OAuth"));
  g_assert_true (advice_mentions (ob_ui_test_need_named (w, "advice-group"), "cannot do yet"));
  ob_ui_test_wait_ms (1000);
  save_screenshot (w, "accounts-assistant-oauth", &mean);

  /* At phone width the advice still wraps inside the window. */
  gtk_window_set_default_size (GTK_WINDOW (assistant), 360, 640);
  ob_ui_test_wait_ms (800);
  save_screenshot (w, "accounts-assistant-narrow", &mean);
  g_assert_cmpint (gtk_widget_get_width (ob_ui_test_need_named (w, "advice-group")), <=, 360);
}

/* A company domain that publishes its settings (Thunderbird autoconfig
 * over HTTPS): the servers come filled in, and the account works. */
static void
test_autoconfig (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ObTestDir) docroot = ob_test_dir_new ();
  g_autofree char *mail_dir = ob_test_dir_file (docroot, "mail");
  g_autofree char *xml_path = g_build_filename (mail_dir, "config-v1.1.xml", NULL);
  g_autofree char *xml = NULL;
  g_autofree char *base = NULL;
  g_autoptr(ObTestHttpsServer) server = NULL;
  g_autoptr(ObDnsResolver) resolver = OB_DNS_RESOLVER (ob_dns_zone_resolver_new ());
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAccount) account = NULL;
  ObAccountAssistant *assistant;
  ObAccountTestView *view;
  GtkWidget *w;

  xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\"><emailProvider id=\"acme.test\">"
                         "<displayName>Acme Company Mail</displayName>"
                         "<incomingServer type=\"imap\"><hostname>127.0.0.1</hostname><port>%u</port>"
                         "<socketType>SSL</socketType><username>testuser</username></incomingServer>"
                         "<outgoingServer type=\"smtp\"><hostname>127.0.0.1</hostname><port>%u</port>"
                         "<socketType>STARTTLS</socketType><username>testuser</username></outgoingServer>"
                         "</emailProvider></clientConfig>\n",
                         ob_test_imap_server_get_tls_port (imap), ob_test_smtp_server_get_port (smtp));
  g_assert_cmpint (g_mkdir_with_parents (mail_dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (xml_path, xml, -1, &error));
  server = ob_test_https_server_start (ob_test_dir_get_path (docroot), &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("https://localhost:%u", ob_test_https_server_get_port (server));

  assistant = open_assistant (f, "anna@acme.test");
  w = GTK_WIDGET (assistant);
  ob_account_assistant_set_resolver (assistant, resolver);
  ob_account_assistant_set_autoconfig_base (assistant, base);
  ob_account_assistant_set_ca_file (assistant, ob_test_ca_pem ());
  click (w, "next");
  wait_for_step (assistant, "settings");
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (ob_ui_test_need_named (w, "provider-group"))),
                   ==, "Acme Company Mail");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "smtp-host"))), ==, "127.0.0.1");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "smtp-port"))),
                   ==, ob_test_smtp_server_get_port (smtp));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (ob_ui_test_need_named (w, "smtp-security"))), ==, 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "imap-port"))),
                   ==, ob_test_imap_server_get_tls_port (imap));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "username"))), ==, USER);

  click (w, "next");
  wait_for_step (assistant, "password");
  set_text (w, "password", PASSWORD);
  click (w, "next");
  view = OB_ACCOUNT_TEST_VIEW (ob_ui_test_need_named (w, "test-view"));
  wait_until (test_done, view, 60000, "the account test");
  g_assert_true (ob_account_test_view_get_report (view)->ok);
  click (w, "next");
  wait_until (no_assistant, NULL, 10000, "the assistant to close");
  wait_for_rows (f, 1);

  account = the_only_account (f);
  g_assert_cmpstr (ob_account_get_email (account), ==, "anna@acme.test");
  g_assert_null (ob_account_get_provider (account));
  g_assert_cmpint (ob_account_get_imap_port (account), ==, ob_test_imap_server_get_tls_port (imap));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The keyring (and its private session bus) before anything talks to
   * the session bus or libsecret. */
  keyring = ob_test_keyring_start (&error);
  g_assert_no_error (error);
  /* No accessibility bus on the private session bus. */
  g_setenv ("GTK_A11Y", "none", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, NULL, &error);
  g_assert_no_error (error);
  imap = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
  /* A mailbox with a Sent folder, as real ones have. */
  g_assert_true (ob_test_imap_server_deliver (imap, "Sent", "Subject: x\r\n\r\nx\r\n", 17, &error));
  https_root = ob_test_dir_new ();
  https = ob_test_https_server_start (ob_test_dir_get_path (https_root), &error);
  g_assert_no_error (error);

  app = ob_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/accounts/add-test-remove", Fixture, NULL,
              fixture_set_up, test_add_test_remove, fixture_tear_down);
  g_test_add ("/ui/accounts/wrong-password", Fixture, NULL,
              fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/ui/accounts/provider-quirks", Fixture, NULL,
              fixture_set_up, test_provider_quirks, fixture_tear_down);
  g_test_add ("/ui/accounts/autoconfig", Fixture, NULL,
              fixture_set_up, test_autoconfig, fixture_tear_down);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&https, ob_test_https_server_free);
  g_clear_pointer (&https_root, ob_test_dir_free);
  g_clear_pointer (&imap, ob_test_imap_server_free);
  g_clear_pointer (&smtp, ob_test_smtp_server_free);
  g_clear_pointer (&keyring, ob_test_keyring_free);
  return status;
}
