/* test-walk-contacts.c — a salesperson cleans the list a trade fair gave
 * them, through the window: a CSV that WPS saved in GBK with Chinese
 * titles, cells with two addresses, full-width ＠, typos, a duplicate in
 * another case, a role address, a throw-away domain, an address already
 * suppressed, a domain that does not exist and one with a null MX (knot
 * on loopback answers for them). They import it (preview, a mapping
 * changed, the report, the suggested fixes, one accepted by hand), check
 * the mail domains, search and filter, save a segment, edit a contact,
 * tag, suppress and delete a selection (with Undo), keep the suppression
 * list, export, and try two broken files.
 *
 * The app starts as it does for a user (ObApplication opens the
 * database). Run once in English and once in Simplified Chinese (meson
 * registers both); screenshots go to $OUTBOUND_SCREENSHOT_DIR as
 * walk-contacts-<lang>-<step>.png.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-application.h"
#include "ob-contact-detail-pane.h"
#include "ob-contact-fields.h"
#include "ob-contact-filter-popover.h"
#include "ob-import-preview.h"
#include "ob-contact.h"
#include "ob-contacts-import-dialog.h"
#include "ob-contacts-page.h"
#include "ob-contacts-suppressions-dialog.h"
#include "ob-import-private.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

static ObApplication *app;
static ObTestDnsServer *dns;
static gboolean chinese;
static guint total_cut;

/* ---- helpers ---- */

/* What the user reads (see ob_ui_test_read_screen()), the cut labels
 * added up for the walk's last line. */
static guint
read_screen (GtkWidget  *root,
             const char *what)
{
  guint n_cut = ob_ui_test_read_screen (root, what);

  total_cut += n_cut;
  return n_cut;
}

/* A dialog's own paintable stays empty under Xvfb without a window
 * manager: its children are drawn over the window's background. */
static GdkTexture *
render_dialog (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA bg;

  gdk_rgba_parse (&bg, adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "#242424" : "#fafafa");
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_mapped (c))
      gtk_widget_snapshot_child (widget, c, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* What the user looks at: the topmost window (a question over a dialog
 * over the main window), as walk-contacts-<lang>-<step>.png in
 * $OUTBOUND_SCREENSHOT_DIR. With OUTBOUND_WALK_ROOT_SHOTS=1 the whole X
 * screen instead (import -window root), for a walk run alone. */
static void
shot (const char *step)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  static const char *order[] = {
    "AdwMessageDialog", "GtkFileChooserDialog", "ObContactsSuppressionsDialog", "ObContactsImportDialog", "ObWindow",
  };
  g_autofree char *name = g_strdup_printf ("walk-contacts-%s-%s", chinese ? "zh_CN" : "en", step);
  GtkWindow *top = NULL;

  ob_ui_test_wait_ms (600);
  if (dir == NULL)
    return;
  if (g_strcmp0 (g_getenv ("OUTBOUND_WALK_ROOT_SHOTS"), "1") == 0 && g_getenv ("DISPLAY") != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("import -window root '%s/%s.png'", dir, name);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
      return;
    }
  for (guint i = 0; top == NULL && i < G_N_ELEMENTS (order); i++)
    if (g_type_from_name (order[i]) != 0)
      top = ob_ui_test_find_toplevel (g_type_from_name (order[i]));
  g_assert_nonnull (top);
  if (OB_IS_WINDOW (top))
    {
      g_autoptr(GdkTexture) texture = ob_ui_test_screenshot (GTK_WIDGET (top), name);
    }
  else
    {
      g_autoptr(GdkTexture) texture = render_dialog (GTK_WIDGET (top));
      g_autofree char *path = g_strdup_printf ("%s/%s.png", dir, name);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (gdk_texture_save_to_png (texture, path));
    }
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

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  ob_ui_test_wait_ms (150);
}

static ObWindow *
main_window (void)
{
  return OB_WINDOW (ob_ui_test_find_toplevel (OB_TYPE_WINDOW));
}

static gboolean
have_main_window (gpointer data)
{
  return ob_ui_test_find_toplevel (OB_TYPE_WINDOW) != NULL;
}

static ObStore *
store (void)
{
  return ob_window_get_store (main_window ());
}

static ObContactsPage *
page (void)
{
  return OB_CONTACTS_PAGE (ob_ui_test_find_type (GTK_WIDGET (main_window ()), OB_TYPE_CONTACTS_PAGE));
}

static guint
n_shown (void)
{
  return g_list_model_get_n_items (ob_contacts_page_get_model (page ()));
}

static gboolean
page_idle (gpointer data)
{
  return !ob_contacts_page_is_busy (page ());
}

static void
wait_idle (void)
{
  ob_ui_test_wait_ms (100);
  g_assert_true (ob_ui_test_wait_until (page_idle, NULL, 20000));
  ob_ui_test_wait_ms (100);
}

static gboolean
import_state_is (gpointer data)
{
  gpointer *args = data;
  return g_strcmp0 (ob_contacts_import_dialog_get_state (args[0]), args[1]) == 0;
}

static void
wait_state (ObContactsImportDialog *dialog,
            const char             *state)
{
  gpointer args[2] = { dialog, (gpointer) state };

  if (!ob_ui_test_wait_until (import_state_is, args, 30000))
    g_error ("the import dialog is “%s”, not “%s”", ob_contacts_import_dialog_get_state (dialog), state);
  ob_ui_test_wait_ms (200);
}

static AdwMessageDialog *
message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (ob_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
have_message_dialog (gpointer data)
{
  return message_dialog () != NULL;
}

static gboolean
have_file_chooser (gpointer data)
{
  return ob_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* Answers the file chooser the window opened (no portal here: GTK's own
 * dialog) with @path, as a person picking that file would. */
static void
choose_file (const char *path,
             gboolean    save)
{
  GtkWindow *chooser;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_ui_test_wait_until (have_file_chooser, NULL, 5000));
  chooser = ob_ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  /* Let it load its first folder: a folder set meanwhile is dropped. */
  ob_ui_test_wait_ms (700);
  if (save)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *base = g_file_get_basename (file);

      g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, &error));
      g_assert_no_error (error);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), base);
      ob_ui_test_wait_ms (300);
      {
        g_autoptr(GFile) now = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

        g_assert_true (now != NULL && g_file_equal (now, file));
      }
    }
  else
    {
      g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
      g_assert_no_error (error);
    }
  ob_ui_test_wait_ms (200);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  ob_ui_test_wait_ms (300);
}

static void
set_text (GtkWidget  *root,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (root, name)), text);
}

static void
search (const char *text)
{
  GtkSearchEntry *entry = GTK_SEARCH_ENTRY (ob_ui_test_find_type (GTK_WIDGET (page ()), GTK_TYPE_SEARCH_ENTRY));

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* search-changed comes after the entry's typing delay. */
  ob_ui_test_wait_ms (500);
}

/* The position of @email in the list shown, or G_MAXUINT. */
static guint
position_of (const char *email)
{
  GListModel *model = ob_contacts_page_get_model (page ());

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (model, i);

      if (g_str_equal (ob_contact_get_email (c), email))
        return i;
    }
  return G_MAXUINT;
}

static gint64
count (const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM contacts WHERE %s", where);
  return ob_test_query_int (store (), sql);
}

/* ---- the servers ---- */

static void
start_dns (void)
{
  /* The buyers' domains receive mail; gone-buyer.de does not exist
   * (NXDOMAIN from the .de zone) and nullmx-buyer.de refuses all mail. */
  const char *zones[] = {
    "$ORIGIN de.\n$TTL 300\n"
    "kraemer-pumpen MX 10 mx.kraemer-pumpen\nmx.kraemer-pumpen A 192.0.2.10\n"
    "nullmx-buyer MX 0 .\n",
    "$ORIGIN cn.\n$TTL 300\nhengda-valve MX 10 mx.hengda-valve\nmx.hengda-valve A 192.0.2.11\n",
    "$ORIGIN it.\n$TTL 300\ntecnoflux MX 10 mx.tecnoflux\nmx.tecnoflux A 192.0.2.12\n",
    "$ORIGIN fr.\n$TTL 300\nrobinetterie-lyon MX 10 mx.robinetterie-lyon\nmx.robinetterie-lyon A 192.0.2.13\n",
    "$ORIGIN nl.\n$TTL 300\nbrons-kranen MX 10 mx.brons-kranen\nmx.brons-kranen A 192.0.2.14\n",
    "$ORIGIN com.\n$TTL 300\n"
    "gmail MX 5 mx.gmail\nmx.gmail A 192.0.2.15\n"
    "126 MX 5 mx.126\nmx.126 A 192.0.2.16\n"
    "mailinator MX 5 mx.mailinator\nmx.mailinator A 192.0.2.17\n",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = NULL;

  dns = ob_test_dns_server_start (zones, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("udp://127.0.0.1:%u", ob_test_dns_server_get_port (dns));
  g_settings_set_string (settings, "dns-resolver", "custom");
  g_settings_set_string (settings, "dns-custom-url", url);
}

/* ---- the files ---- */

/* The fair's list as WPS saves it on a Chinese Windows: GBK, CRLF. */
static const char fair_list[] =
  "邮箱,姓名,公司,国家,备注\r\n"                                                          /* 1 */
  "li.wei＠hengda-valve.cn,李伟,恒达阀门,中国,展位 A12\r\n"                                /* 2 */
  "anna.schmidt@kraemer-pumpen.de；hans.kraemer@kraemer-pumpen.de,Anna Schmidt,Kraemer Pumpen GmbH,德国,两位联系人\r\n" /* 3 */
  "marco@tecnoflux.it、giulia@tecnoflux.it,Marco Rossi,Tecnoflux,意大利,\r\n"               /* 4 */
  "buyer@gmial.com,Tom Baker,Baker Trading,美国,名片\r\n"                                  /* 5 */
  "anna@126.con,赵安娜,Zhao Trading,中国,\r\n"                                             /* 6 */
  "anna.schmidt@KRAEMER-PUMPEN.DE,Anna Schmidt,Kraemer Pumpen GmbH,德国,重复\r\n"          /* 7 */
  "info@robinetterie-lyon.fr,,Robinetterie Lyon,法国,\r\n"                                 /* 8 */
  "test123@mailinator.com,Test,Spam Co,美国,\r\n"                                          /* 9 */
  "daan@brons-kranen.nl,Daan de Vries,Brons Kranen,荷兰,\r\n"                              /* 10 */
  "kai@gone-buyer.de,Kai Braun,Gone GmbH,德国,\r\n"                                        /* 11 */
  "ute@nullmx-buyer.de,Ute Lang,Nullmx GmbH,德国,\r\n";                                    /* 12 */

static char *
write_gbk (ObTestDir  *dir,
           const char *name,
           const char *utf8)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *gbk = g_convert (utf8, -1, "GBK", "UTF-8", NULL, &len, &error);
  char *path = ob_test_dir_file (dir, name);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, gbk, len, NULL));
  return path;
}

/* ---- the steps ---- */

static void
suppress_first (void)
{
  ObContactsSuppressionsDialog *dialog;
  g_autoptr(GError) error = NULL;

  /* A buyer who asked last year never to be written to again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.suppressions", NULL));
  ob_ui_test_wait_ms (300);
  dialog = OB_CONTACTS_SUPPRESSIONS_DIALOG (ob_ui_test_find_toplevel (OB_TYPE_CONTACTS_SUPPRESSIONS_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (ob_contacts_suppressions_dialog_add (dialog, "daan@brons-kranen.nl", &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (200);
}

static ObContactsImportDialog *
import_fair_list (ObTestDir *dir)
{
  g_autofree char *path = write_gbk (dir, "广交会名单.csv", fair_list);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ObContactsImportDialog *dialog;
  const ObImportReport *r;
  GtkWidget *w;

  /* 1. The preview with the mapping found from the Chinese titles. */
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (page (), file));
  w = GTK_WIDGET (dialog);
  wait_state (dialog, "preview");
  /* Every address is read whole, two in a cell too (the grid scrolls
   * sideways rather than cut them). */
  g_assert_cmpuint (read_screen (w, "import preview"), ==, 0);
  shot ("01-import-preview");
  g_assert_cmpuint (ob_contacts_import_dialog_get_n_columns (dialog), ==, 5);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 0), ==, OB_FIELD_EMAIL);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 1), ==, OB_FIELD_NAME);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 2), ==, OB_FIELD_COMPANY);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 3), ==, OB_FIELD_COUNTRY);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 4), ==, OB_FIELD_NOTES);
  /* The GBK file reads as Chinese, not as mojibake. */
  g_assert_nonnull (ob_ui_test_find_text (w, "恒达阀门"));
  g_assert_nonnull (ob_ui_test_find_text (w, "GB"));
  /* The remarks were for the booth staff: left out. */
  ob_contacts_import_dialog_set_mapping (dialog, 4, OB_IMPORT_COLUMN_IGNORE);
  g_assert_cmpint (ob_contacts_import_dialog_get_mapping (dialog, 4), ==, OB_IMPORT_COLUMN_IGNORE);
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (w, ADW_TYPE_ENTRY_ROW)), "Canton Fair 2026");
  gtk_switch_set_active (GTK_SWITCH (ob_ui_test_need_named (w, "dns_switch")), TRUE);
  shot ("02-import-mapped");

  /* 2. Import, the DNS check after it, then the report. */
  g_assert_true (gtk_widget_activate_action (w, "default.activate", NULL));
  wait_state (dialog, "report");
  r = ob_contacts_import_dialog_get_report (dialog);
  g_test_message ("import: %u rows, %u imported, %u updated, %u duplicates, %u invalid, %u suggestions, "
                  "%u suppressed", r->rows, r->imported, r->updated, r->duplicates, r->invalid, r->suggestions,
                  r->suppressed);
  for (guint i = 0; i < r->problems->len; i++)
    {
      ObImportProblem *p = g_ptr_array_index (r->problems, i);
      g_autofree char *reasons = p->reasons ? g_strjoinv ("+", p->reasons) : g_strdup ("");

      g_test_message ("  line %u: %s (%s) %s", p->line, p->input, reasons, p->suggestion ? p->suggestion : "");
    }
  read_screen (w, "import report");
  shot ("04-import-report");
  g_assert_cmpuint (r->rows, ==, 11);
  g_assert_cmpuint (r->imported, ==, 10);
  g_assert_cmpuint (r->invalid, ==, 2);
  g_assert_cmpuint (r->duplicates, ==, 1);
  /* Eleven rows, thirteen addresses: the figures add up on screen. */
  {
    g_autofree char *n = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u address: a cell can hold more than one",
                                                       "%u addresses: a cell can hold more than one", 13), 13);
    g_assert_nonnull (ob_ui_test_find_text (w, n));
  }
  g_assert_cmpuint (r->suggestions, ==, 2);
  g_assert_cmpuint (r->suppressed, ==, 1);
  /* The duplicate is listed, with the line it repeats. */
  {
    g_autofree char *dup = g_strdup_printf (_("Line %u · the same address as line %u"), 7, 3);

    g_assert_nonnull (ob_ui_test_find_text (w, dup));
  }
  return dialog;
}

static void
fix_suggestions (ObContactsImportDialog *dialog)
{
  GtkWidget *w = GTK_WIDGET (dialog);
  GtkWidget *accept = find_button (w, _("Accept"));

  /* One by hand: the first, buyer@gmail.com for buyer@gmial.com. */
  g_assert_nonnull (accept);
  click (accept);
  for (int i = 0; i < 100 && count ("email = 'buyer@gmail.com'") == 0; i++)
    ob_ui_test_wait_ms (100);
  g_assert_cmpint (count ("email = 'buyer@gmail.com'"), ==, 1);
  g_assert_cmpint (count ("email = 'anna@126.com'"), ==, 0);
  /* The report follows: one more new contact, one fewer invalid. */
  ob_ui_test_wait_ms (200);
  g_assert_cmpuint (ob_contacts_import_dialog_get_report (dialog)->imported, ==, 11);
  g_assert_cmpuint (ob_contacts_import_dialog_get_report (dialog)->invalid, ==, 1);
  g_assert_nonnull (ob_ui_test_find_text (w, "11"));
  ob_ui_test_wait_ms (300);
  read_screen (w, "one fix accepted");
  shot ("05-accepted-one");

  /* Then the rest at once. */
  g_assert_true (gtk_widget_activate_action (w, "import.apply-all", NULL));
  wait_state (dialog, "report");
  read_screen (w, "all fixes applied");
  shot ("06-applied-all");
  g_assert_cmpint (count ("email = 'buyer@gmail.com'"), ==, 1);
  g_assert_cmpint (count ("email = 'buyer@gmial.com'"), ==, 0);
  {
    const ObImportReport *r = ob_contacts_import_dialog_get_report (dialog);

    /* What the file gave, fixes included: the file read again is not
     * eleven contacts "updated" and twelve "duplicates". */
    g_test_message ("after the fixes: %u rows, %u imported, %u updated, %u duplicates, %u invalid",
                    r->rows, r->imported, r->updated, r->duplicates, r->invalid);
    g_assert_cmpuint (r->rows, ==, 11);
    g_assert_cmpuint (r->imported, ==, 12);
    g_assert_cmpuint (r->updated, ==, 0);
    g_assert_cmpuint (r->duplicates, ==, 1);
    g_assert_cmpuint (r->invalid, ==, 0);
    g_assert_null (find_button (w, _("_Apply All Suggested Fixes")));
  }
  g_assert_cmpint (count ("email = 'anna@126.com'"), ==, 1);
  g_assert_true (gtk_widget_activate_action (w, "default.activate", NULL));
  ob_ui_test_wait_ms (400);
  g_assert_null (ob_ui_test_find_toplevel (OB_TYPE_CONTACTS_IMPORT_DIALOG));
}

static void
check_list (void)
{
  g_autofree char *all = ob_test_query_text (store (), "SELECT group_concat (email || '=' || verdict || '/' || status"
                                                       " || '/' || coalesce (country, '-'), ' ') FROM contacts");

  g_test_message ("contacts: %s", all);
  /* Two in one cell make two contacts; ＠ is read as @. */
  g_assert_cmpint (count ("email = 'li.wei@hengda-valve.cn' AND country = 'CN'"), ==, 1);
  g_assert_cmpint (count ("email = 'hans.kraemer@kraemer-pumpen.de'"), ==, 1);
  g_assert_cmpint (count ("email = 'giulia@tecnoflux.it'"), ==, 1);
  g_assert_cmpint (count ("lower (email) = 'anna.schmidt@kraemer-pumpen.de'"), ==, 1);
  /* 3. The DNS verdicts. */
  g_assert_cmpint (count ("email = 'kai@gone-buyer.de' AND verdict = 'invalid'"), ==, 1);
  g_assert_cmpint (count ("email = 'ute@nullmx-buyer.de' AND verdict = 'invalid'"), ==, 1);
  g_assert_cmpint (count ("email = 'daan@brons-kranen.nl' AND status = 'suppressed'"), ==, 1);
  /* The remarks column was left out. */
  g_assert_cmpint (count ("notes IS NOT NULL AND notes != ''"), ==, 0);
  read_screen (GTK_WIDGET (page ()), "contacts after the import");
  shot ("07-contacts");
}

static void
search_filter_segment (void)
{
  ObContactFilterPopover *filters = OB_CONTACT_FILTER_POPOVER (ob_ui_test_find_type (GTK_WIDGET (page ()),
                                                                                  OB_TYPE_CONTACT_FILTER_POPOVER));
  GtkDropDown *segments = NULL;
  GtkWidget *filter_button = NULL;
  AdwMessageDialog *ask;
  guint all = n_shown ();

  /* 4. Search as they type. */
  search ("kra");
  g_test_message ("“kra”: %u shown", n_shown ());
  search ("kraemer");
  g_assert_cmpuint (n_shown (), ==, 2);
  shot ("08-search");
  search ("");
  g_assert_cmpuint (n_shown (), ==, all);

  /* Filter by country and verdict: the German contacts whose mail would
   * bounce. The country as the user writes it. */
  filter_button = gtk_widget_get_parent (GTK_WIDGET (filters));
  gtk_menu_button_popup (GTK_MENU_BUTTON (filter_button));
  ob_ui_test_wait_ms (300);
  {
    AdwEntryRow *country = ADW_ENTRY_ROW (ob_ui_test_need_named (GTK_WIDGET (filters), "country_filter"));

    /* The code works, and so does the name as the list wrote it. */
    gtk_editable_set_text (GTK_EDITABLE (country), "DE");
    g_signal_emit_by_name (country, "apply");
    ob_ui_test_wait_ms (300);
    g_test_message ("country DE: %u shown", n_shown ());
    g_assert_cmpuint (n_shown (), ==, 4);
    gtk_editable_set_text (GTK_EDITABLE (country), chinese ? "德国" : "Germany");
    g_signal_emit_by_name (country, "apply");
    ob_ui_test_wait_ms (300);
    g_test_message ("country %s: %u shown", gtk_editable_get_text (GTK_EDITABLE (country)), n_shown ());
    g_assert_cmpuint (n_shown (), ==, 4);
  }
  {
    AdwComboRow *verdict = ADW_COMBO_ROW (ob_ui_test_need_named (GTK_WIDGET (filters), "verdict_filter"));

    adw_combo_row_set_selected (verdict, 3);  /* invalid */
    ob_ui_test_wait_ms (300);
    g_assert_cmpuint (n_shown (), ==, 2);
  }
  read_screen (GTK_WIDGET (filters), "the filters");
  shot ("09-filtered");
  gtk_popover_popdown (GTK_POPOVER (filters));

  /* Saved as a segment, then reopened from the list of segments. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.save-segment", NULL));
  g_assert_true (ob_ui_test_wait_until (have_message_dialog, NULL, 5000));
  ask = message_dialog ();
  read_screen (GTK_WIDGET (ask), "save segment");
  shot ("10-save-segment");
  /* No name, no Save (it would only say that a name is missing). */
  g_assert_false (adw_message_dialog_get_response_enabled (ask, "save"));
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (GTK_WIDGET (ask), GTK_TYPE_TEXT)), "德国退信风险");
  g_assert_true (adw_message_dialog_get_response_enabled (ask, "save"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (ask, "save"), ==, _("_Save"));
  adw_message_dialog_response (ask, "save");
  gtk_window_destroy (GTK_WINDOW (ask));
  ob_ui_test_wait_ms (300);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.clear-filters", NULL);
  ob_ui_test_wait_ms (300);
  g_assert_cmpuint (n_shown (), ==, all);
  for (GtkWidget *c = ob_ui_test_find_type (GTK_WIDGET (page ()), GTK_TYPE_DROP_DOWN); c != NULL; c = NULL)
    segments = GTK_DROP_DOWN (c);
  g_assert_nonnull (segments);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (segments)), ==, 2);
  gtk_drop_down_set_selected (segments, 1);
  ob_ui_test_wait_ms (300);
  g_assert_cmpuint (n_shown (), ==, 2);
  read_screen (GTK_WIDGET (page ()), "the segment reopened");
  shot ("11-segment");
  /* The same name again replaces it: the dialog says so before. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.save-segment", NULL));
  g_assert_true (ob_ui_test_wait_until (have_message_dialog, NULL, 5000));
  ask = message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (GTK_WIDGET (ask), GTK_TYPE_TEXT)), "德国退信风险");
  g_assert_cmpstr (adw_message_dialog_get_response_label (ask, "save"), ==, _("_Replace"));
  read_screen (GTK_WIDGET (ask), "save segment, the name taken");
  shot ("11b-segment-replace");
  adw_message_dialog_response (ask, "cancel");
  gtk_window_destroy (GTK_WINDOW (ask));
  ob_ui_test_wait_ms (200);
  gtk_drop_down_set_selected (segments, 0);
  ob_ui_test_wait_ms (300);
  g_assert_cmpuint (n_shown (), ==, all);
}

static void
edit_contact (void)
{
  gint64 id = ob_test_query_int (store (), "SELECT id FROM contacts WHERE email = 'li.wei@hengda-valve.cn'");
  ObContactDetailPane *pane;
  GtkWidget *w;
  g_autofree char *tz = NULL;

  /* 5. Li Wei works from the Hong Kong office. */
  ob_contacts_page_open_contact (page (), id);
  ob_ui_test_wait_ms (400);
  pane = OB_CONTACT_DETAIL_PANE (ob_ui_test_find_type (GTK_WIDGET (page ()), OB_TYPE_CONTACT_DETAIL_PANE));
  w = GTK_WIDGET (pane);
  read_screen (w, "the contact");
  shot ("12-detail");
  set_text (w, "country_row", "HK");
  set_text (w, "timezone_row", "Asia/Hong_Kong");
  g_assert_true (ob_contact_detail_pane_get_modified (pane));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.save-detail", NULL));
  ob_ui_test_wait_ms (400);
  g_assert_cmpint (count ("email = 'li.wei@hengda-valve.cn' AND country = 'HK'"), ==, 1);
  tz = ob_test_query_text (store (), "SELECT timezone FROM contacts WHERE email = 'li.wei@hengda-valve.cn'");
  g_assert_cmpstr (tz, ==, "Asia/Hong_Kong");
  read_screen (w, "the contact saved");
  shot ("13-detail-saved");
  gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.close-detail", NULL);
  ob_ui_test_wait_ms (300);
}

static void
select_emails (const char * const *emails)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (page ()));

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; emails[i] != NULL; i++)
    {
      guint pos = position_of (emails[i]);

      g_assert_cmpuint (pos, !=, G_MAXUINT);
      gtk_selection_model_select_item (selection, pos, FALSE);
    }
  ob_ui_test_wait_ms (200);
}

static void
selection_actions (void)
{
  static const char * const italians[] = { "marco@tecnoflux.it", "giulia@tecnoflux.it", NULL };
  static const char * const dead[] = { "kai@gone-buyer.de", "test123@mailinator.com", NULL };
  GtkWidget *undo;
  guint before;

  /* 6. Tag two, suppress one, delete the dead ones with Undo. */
  select_emails (italians);
  read_screen (GTK_WIDGET (page ()), "two selected");
  shot ("14-selected");
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (GTK_WIDGET (page ()), GTK_TYPE_ENTRY)), "意大利展商");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.tag-selected", NULL));
  wait_idle ();
  g_assert_cmpint (count ("email LIKE '%@tecnoflux.it' AND id IN (SELECT contact_id FROM contact_tags"
                          " JOIN tags ON tags.id = tag_id WHERE tags.name = '意大利展商')"), ==, 2);

  select_emails ((const char *[]) { "marco@tecnoflux.it", NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.suppress-selected", NULL));
  /* Asked why first. */
  g_assert_true (ob_ui_test_wait_until (have_message_dialog, NULL, 5000));
  {
    AdwMessageDialog *ask = message_dialog ();

    read_screen (GTK_WIDGET (ask), "suppress asks why");
    shot ("15-suppress-asks");
    set_text (GTK_WIDGET (ask), "suppress_note", chinese ? "展会上说不要再发邮件" : "Said at the fair: no more mail");
    click (find_button (GTK_WIDGET (ask), _("_Suppress")));
  }
  wait_idle ();
  g_assert_cmpint (count ("email = 'marco@tecnoflux.it' AND status = 'suppressed'"), ==, 1);
  read_screen (GTK_WIDGET (main_window ()), "suppressed");
  shot ("16-suppressed");

  before = n_shown ();
  select_emails (dead);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.delete-selected", NULL));
  ob_ui_test_wait_ms (500);
  undo = find_button (GTK_WIDGET (main_window ()), "_Undo");
  if (undo == NULL)
    undo = find_button (GTK_WIDGET (main_window ()), _("_Undo"));
  g_assert_nonnull (undo);
  g_assert_cmpuint (n_shown (), ==, before - 2);
  read_screen (GTK_WIDGET (main_window ()), "deleted, with Undo");
  shot ("17-deleted-undo");
  click (undo);
  ob_ui_test_wait_ms (400);
  g_assert_cmpuint (n_shown (), ==, before);
  g_assert_cmpint (count ("email = 'kai@gone-buyer.de'"), ==, 1);

  select_emails (dead);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.delete-selected", NULL));
  ob_ui_test_wait_ms (300);
  /* Something else lets the deletion stand: the next search. */
  search ("x");
  search ("");
  wait_idle ();
  g_test_message ("after delete: %u shown, %" G_GINT64_FORMAT " in the database", n_shown (),
                  ob_test_query_int (store (), "SELECT count(*) FROM contacts"));
  read_screen (GTK_WIDGET (main_window ()), "deleted for good");
  shot ("18-deleted");
}

static void
suppression_list (ObTestDir *dir)
{
  ObContactsSuppressionsDialog *dialog;
  g_autofree char *in = ob_test_dir_file (dir, "unsubscribed.csv");
  g_autofree char *out = ob_test_dir_file (dir, "suppressions-export.csv");
  g_autofree char *exported = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  /* 7. The old CRM's unsubscribes, then one lifted, then exported. */
  g_assert_true (g_file_set_contents (in, "email,reason\r\nhans.kraemer@kraemer-pumpen.de,unsubscribed\r\n"
                                          "@spam-trap.example.com,manual\r\n", -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.suppressions", NULL));
  ob_ui_test_wait_ms (300);
  dialog = OB_CONTACTS_SUPPRESSIONS_DIALOG (ob_ui_test_find_toplevel (OB_TYPE_CONTACTS_SUPPRESSIONS_DIALOG));
  g_assert_nonnull (dialog);
  before = ob_contacts_suppressions_dialog_get_n_shown (dialog);
  read_screen (GTK_WIDGET (dialog), "suppression list");
  shot ("19-suppressions");
  click (find_button (GTK_WIDGET (dialog), _("_Import…")));
  choose_file (in, FALSE);
  ob_ui_test_wait_ms (300);
  g_test_message ("suppressions: %u before, %u after the import", before,
                  ob_contacts_suppressions_dialog_get_n_shown (dialog));
  read_screen (GTK_WIDGET (dialog), "suppression list imported");
  shot ("20-suppressions-imported");
  g_assert_cmpint (count ("email = 'hans.kraemer@kraemer-pumpen.de' AND status = 'unsubscribed'"), ==, 1);

  /* Lift one: asked for a reason first. */
  click (find_button (GTK_WIDGET (dialog), _("Remove…")));
  g_assert_true (ob_ui_test_wait_until (have_message_dialog, NULL, 5000));
  {
    AdwMessageDialog *ask = message_dialog ();

    g_assert_false (adw_message_dialog_get_response_enabled (ask, "remove"));
    read_screen (GTK_WIDGET (ask), "remove asks");
    shot ("21-unsuppress-asks");
    gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_find_type (GTK_WIDGET (ask), GTK_TYPE_TEXT)),
                           "He wrote to us at the fair");
    adw_message_dialog_response (ask, "remove");
    gtk_window_destroy (GTK_WINDOW (ask));
    ob_ui_test_wait_ms (300);
  }
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM suppression_log WHERE action = 'remove'"), ==, 1);

  click (find_button (GTK_WIDGET (dialog), _("_Export…")));
  choose_file (out, TRUE);
  g_assert_true (g_file_get_contents (out, &exported, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("suppressions exported:\n%s", exported);
  read_screen (GTK_WIDGET (dialog), "suppression list exported");
  shot ("22-suppressions-exported");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ob_ui_test_wait_ms (300);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
export_segment (ObTestDir *dir)
{
  g_autofree char *out = ob_test_dir_file (dir, "德国退信风险.csv");
  g_autofree char *text = NULL;
  gsize len;
  GtkDropDown *segments = GTK_DROP_DOWN (ob_ui_test_find_type (GTK_WIDGET (page ()), GTK_TYPE_DROP_DOWN));

  gtk_drop_down_set_selected (segments, 1);
  ob_ui_test_wait_ms (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "contacts.export", NULL));
  choose_file (out, TRUE);
  if (!ob_ui_test_wait_until (file_exists, out, 10000))
    {
      GListModel *tops = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
        {
          g_autoptr(GtkWidget) t = g_list_model_get_item (tops, i);

          g_test_message ("toplevel %s visible %d", G_OBJECT_TYPE_NAME (t), gtk_widget_get_visible (t));
          if (GTK_IS_MESSAGE_DIALOG (t))
            {
              g_autofree char *mtext = NULL, *sec = NULL;

              g_object_get (t, "text", &mtext, "secondary-text", &sec, NULL);
              g_test_message ("  %s / %s", mtext, sec);
            }
          if (ADW_IS_MESSAGE_DIALOG (t))
            g_test_message ("  %s: %s", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (t)),
                            adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (t)));
        }
      read_screen (GTK_WIDGET (main_window ()), "no export");
      g_assert_not_reached ();
    }
  ob_ui_test_wait_ms (500);
  g_assert_true (g_file_get_contents (out, &text, &len, NULL));
  g_test_message ("segment exported (%zu bytes):\n%s", len, text);
  /* UTF-8 with a BOM, as Excel wants it to read Chinese. */
  g_assert_true (len > 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0);
  g_assert_nonnull (strstr (text, "ute@nullmx-buyer.de"));
  /* Deleted under the Undo toast: not exported. */
  g_assert_null (strstr (text, "kai@gone-buyer.de"));
  read_screen (GTK_WIDGET (main_window ()), "exported");
  shot ("23-exported");
  gtk_drop_down_set_selected (segments, 0);
  ob_ui_test_wait_ms (300);
}

static void
broken_files (ObTestDir *dir)
{
  g_autofree char *quote = ob_test_dir_file (dir, "broken-quote.csv");
  g_autofree char *binary = ob_test_dir_file (dir, "catalogue.xlsx.csv");
  gint64 before = ob_test_query_int (store (), "SELECT count(*) FROM contacts");
  char junk[4096];
  struct { const char *path, *step; } files[] = { { quote, "24-broken-quote" }, { binary, "25-binary" } };

  /* 8. An unterminated quote on line 3, and a spreadsheet renamed .csv. */
  g_assert_true (g_file_set_contents (quote, "Email,Name\r\nmax@kraemer-pumpen.de,Max\r\n"
                                             "\"eva@kraemer-pumpen.de,Eva\r\nolaf@kraemer-pumpen.de,Olaf\r\n", -1, NULL));
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (char) ((i * 7919u + 13u) % 256u);
  memcpy (junk, "PK\x03\x04", 4);
  g_assert_true (g_file_set_contents (binary, junk, sizeof junk, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (files[i].path);
      ObContactsImportDialog *dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (page (), file));
      gpointer args[2] = { dialog, (gpointer) "failed" };
      gpointer args2[2] = { dialog, (gpointer) "preview" };

      g_assert_true (ob_ui_test_wait_until (import_state_is, args, 10000) || ob_ui_test_wait_until (import_state_is, args2, 100));
      if (g_str_equal (ob_contacts_import_dialog_get_state (dialog), "preview"))
        {
          read_screen (GTK_WIDGET (dialog), "broken file, preview");
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
          g_assert_true (ob_ui_test_wait_until (import_state_is, args, 10000));
        }
      ob_ui_test_wait_ms (300);
      read_screen (GTK_WIDGET (dialog), files[i].step);
      shot (files[i].step);
      /* The error names the file as the user knows it, not by its path
       * (nor the path of the importer's temporary copy). */
      {
        GtkStack *stack = GTK_STACK (ob_ui_test_find_type (GTK_WIDGET (dialog), GTK_TYPE_STACK));
        GtkWidget *failed = gtk_stack_get_child_by_name (stack, "failed");
        const char *said = adw_status_page_get_description (ADW_STATUS_PAGE (failed));

        g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "failed");
        g_assert_null (strstr (said, "/"));
        if (i == 0)
          g_assert_true (g_str_has_prefix (said, "broken-quote.csv: "));
      }
      gtk_window_destroy (GTK_WINDOW (dialog));
      ob_ui_test_wait_ms (200);
      g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM contacts"), ==, before);
    }
}

static void
test_walk (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "walk.db");
  ObContactsImportDialog *dialog;
  gint64 t0 = g_get_monotonic_time ();

  g_setenv ("OUTBOUND_DB", db, TRUE);
  g_application_activate (G_APPLICATION (app));
  g_assert_true (ob_ui_test_wait_until (have_main_window, NULL, 20000));
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);
  ob_ui_test_wait_ms (800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.show-page", "s", "contacts"));
  ob_ui_test_wait_ms (400);
  shot ("00-empty");

  suppress_first ();
  dialog = import_fair_list (dir);
  fix_suggestions (dialog);
  check_list ();
  search_filter_segment ();
  edit_contact ();
  selection_actions ();
  suppression_list (dir);
  export_segment (dir);
  broken_files (dir);

  g_test_message ("%u labels cut in all; the walk took %.1f s", total_cut,
                  (g_get_monotonic_time () - t0) / 1e6);
  /* Closing the window lets the deletion under the toast stand. */
  gtk_window_destroy (GTK_WINDOW (main_window ()));
  ob_ui_test_wait_ms (100);
  for (int i = 0; i < 200 && g_application_get_is_busy (G_APPLICATION (app)); i++)
    ob_ui_test_wait_ms (50);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ObStore) again = ob_store_open (db, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ob_test_query_int (again, "SELECT count(*) FROM contacts WHERE email IN"
                                               " ('kai@gone-buyer.de', 'test123@mailinator.com')"), ==, 0);
    g_assert_cmpint (ob_test_query_int (again, "SELECT count(*) FROM contacts"), ==, 10);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ObTestDir) locale_dir = NULL;
  int status;

  g_setenv ("GTK_A11Y", "none", TRUE);
  locale_dir = ob_test_dir_new ();
  if (!ob_ui_test_init_in_users_language (&argc, &argv, locale_dir, &chinese))
    {
      g_test_skip ("zh_CN.UTF-8 is not installed and localedef could not make it");
      return g_test_run ();
    }

  start_dns ();

  app = ob_ui_test_new_application ();

  g_test_add_func ("/ui/walk-contacts", test_walk);
  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&dns, ob_test_dns_server_free);
  return status;
}
