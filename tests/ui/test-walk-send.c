/* test-walk-send.c — a salesperson's first real campaign, through the
 * window, against real servers on loopback: an account added with the
 * account assistant (and its test), a small CSV with bad rows imported, a
 * template written with its lint findings, the sending domain checked, a
 * campaign made with the new-campaign assistant and started, the sending
 * watched (progress, each recipient's status), hard bounces arriving in
 * the IMAP inbox and processed (contacts suppressed, the campaign's
 * figures, the pause when the bounce rate climbs), then the reports.
 *
 * The app starts as it does for a user: ObApplication opens the database
 * and starts its sending service, which sends through aiosmtpd and reads
 * Dovecot's inbox. Run once in English and once in Simplified Chinese
 * (meson registers both); screenshots go to $OUTBOUND_SCREENSHOT_DIR as
 * walk-send-<lang>-<step>.png.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ob-account-assistant.h"
#include "ob-account-test-view.h"
#include "ob-account.h"
#include "ob-application.h"
#include "ob-campaign-assistant.h"
#include "ob-campaign.h"
#include "ob-contacts-import-dialog.h"
#include "ob-contacts-page.h"
#include "ob-pacing.h"
#include "ob-template-editor.h"
#include "ob-template-linter.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-ui-words.h"
#include "ob-window.h"

#define SENDER   "li.wei@hengda-valve.test"
#define PASSWORD "testpass"
#define N_GOOD   21

static ObApplication *app;
static ObTestKeyring *keyring;
static ObTestSmtpServer *smtp;
static ObTestImapServer *imap;
static ObTestDnsServer *dns;
static ObTestHttpsServer *https;
static ObTestDir *https_root;
static gboolean chinese;
static GPtrArray *notifications;

/* ---- helpers ---- */

static void
set_text (GtkWidget  *root,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ob_ui_test_need_named (root, name)), text);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  ob_ui_test_wait_ms (150);
}

static void
shot (GtkWidget  *window,
      const char *step)
{
  g_autofree char *name = g_strdup_printf ("walk-send-%s-%s", chinese ? "zh_CN" : "en", step);
  g_autoptr(GdkTexture) texture = NULL;

  ob_ui_test_wait_ms (700);
  texture = ob_ui_test_screenshot (window, name);
}

/* How many mapped labels under @root read @text. */
static guint
count_labels (GtkWidget  *root,
              const char *text)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;
  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    n++;
  if (GTK_IS_INSCRIPTION (root) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (root)), text) == 0)
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_labels (c, text);
  return n;
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

static GtkWidget *
page_of_type (GType type)
{
  return ob_ui_test_find_type (GTK_WIDGET (main_window ()), type);
}

static void
show_page (const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.show-page", "s", name));
  ob_ui_test_wait_ms (400);
}

static ObStore *
store (void)
{
  return ob_window_get_store (main_window ());
}

/* ---- the servers ---- */

static char *
zone_for (const char *domain,
          const char *extra)
{
  return g_strdup_printf ("$ORIGIN %s.\n$TTL 300\n@ MX 10 mx\nmx A 192.0.2.25\n%s", domain, extra ? extra : "");
}

static const char *buyer_domains[N_GOOD] = {
  "kraemer-pumpen.de", "robinetterie-lyon.fr", "tecnoflux.it", "armatura-gdansk.pl",
  "saigon-pipes.vn", "ankara-vana.com.tr", "valvulas-bilbao.es", "brons-kranen.nl",
  "nordic-flow.se", "porto-tubos.pt", "wien-armaturen.at", "praha-ventily.cz",
  "budapest-szelep.hu", "dublin-valves.ie", "oslo-ventil.no", "helsinki-putki.fi",
  "athens-valves.gr", "bucuresti-robineti.ro", "sofia-klapani.bg", "zagreb-ventili.hr",
  "ljubljana-ventili.si",
};

static void
start_servers (void)
{
  g_autoptr(GPtrArray) zones = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  /* The sender's domain: SPF naming the mail server, DMARC, but no DKIM
   * key published yet — a warning a salesperson meets on day one. */
  g_ptr_array_add (zones, zone_for ("hengda-valve.test",
                                    "@ TXT \"v=spf1 mx a:mail.hengda-valve.test ~all\"\n"
                                    "mail A 127.0.0.1\n"
                                    "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@hengda-valve.test\"\n"));
  for (guint i = 0; i < N_GOOD; i++)
    g_ptr_array_add (zones, zone_for (buyer_domains[i], NULL));
  g_ptr_array_add (zones, NULL);
  dns = ob_test_dns_server_start ((const char * const *) zones->pdata, &error);
  g_assert_no_error (error);

  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, NULL, &error);
  g_assert_no_error (error);
  imap = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
  g_assert_true (ob_test_imap_server_deliver (imap, "Sent", "Subject: x\r\n\r\nx\r\n", 17, &error));
  https_root = ob_test_dir_new ();
  https = ob_test_https_server_start (ob_test_dir_get_path (https_root), &error);
  g_assert_no_error (error);
}

static void
use_test_resolver (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = g_strdup_printf ("udp://127.0.0.1:%u", ob_test_dns_server_get_port (dns));

  g_settings_set_string (settings, "dns-resolver", "custom");
  g_settings_set_string (settings, "dns-custom-url", url);
}

/* ---- the steps ---- */

static gboolean
assistant_step_is (gpointer data)
{
  gpointer *args = data;
  return g_strcmp0 (ob_account_assistant_get_step (args[0]), args[1]) == 0;
}

static gboolean
account_test_done (gpointer data)
{
  return !ob_account_test_view_is_running (data) && ob_account_test_view_get_report (data) != NULL;
}

static gboolean
no_toplevel (gpointer data)
{
  return ob_ui_test_find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static void
add_account (void)
{
  GtkWidget *page, *w;
  ObAccountAssistant *assistant;
  ObAccountTestView *view;
  const ObAccountTestReport *report;
  g_autofree char *base = g_strdup_printf ("https://localhost:%u", ob_test_https_server_get_port (https));
  gpointer args[2];

  show_page ("accounts");
  page = GTK_WIDGET (page_of_type (g_type_from_name ("ObAccountsPage")));
  g_assert_nonnull (page);
  shot (GTK_WIDGET (main_window ()), "01-accounts-empty");

  g_assert_true (gtk_widget_activate_action (page, "accounts.add", NULL));
  ob_ui_test_wait_ms (300);
  assistant = OB_ACCOUNT_ASSISTANT (ob_ui_test_find_toplevel (OB_TYPE_ACCOUNT_ASSISTANT));
  g_assert_nonnull (assistant);
  w = GTK_WIDGET (assistant);
  /* Loopback stands in for the provider: no autoconfig there (404), and
   * the test CA signs the servers' certificates. */
  ob_account_assistant_set_autoconfig_base (assistant, base);
  ob_account_assistant_set_ca_file (assistant, ob_test_ca_pem ());

  set_text (w, "email", SENDER);
  set_text (w, "sender-name", "Li Wei");
  shot (w, "02-account-address");
  click (ob_ui_test_need_named (w, "next"));
  args[0] = assistant;
  args[1] = (gpointer) "settings";
  g_assert_true (ob_ui_test_wait_until (assistant_step_is, args, 30000));
  ob_ui_test_read_screen (w, "account settings step");
  shot (w, "03-account-settings");

  set_text (w, "smtp-host", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ob_ui_test_need_named (w, "smtp-security")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "smtp-port")), ob_test_smtp_server_get_port (smtp));
  set_text (w, "imap-host", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (ob_ui_test_need_named (w, "imap-security")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "imap-port")), ob_test_imap_server_get_tls_port (imap));
  set_text (w, "username", "testuser");
  click (ob_ui_test_need_named (w, "next"));
  args[1] = (gpointer) "password";
  g_assert_true (ob_ui_test_wait_until (assistant_step_is, args, 10000));
  set_text (w, "password", PASSWORD);
  click (ob_ui_test_need_named (w, "next"));
  view = OB_ACCOUNT_TEST_VIEW (ob_ui_test_need_named (w, "test-view"));
  shot (w, "04-account-testing");
  g_assert_true (ob_ui_test_wait_until (account_test_done, view, 60000));
  report = ob_account_test_view_get_report (view);
  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *s = g_ptr_array_index (report->steps, i);
      g_test_message ("%s %s %s: %s", s->ok ? "✓" : "✗", s->service, s->step, s->message);
    }
  g_assert_true (report->ok);
  ob_ui_test_read_screen (w, "account test");
  shot (w, "05-account-tested");
  click (ob_ui_test_need_named (w, "next"));
  g_assert_true (ob_ui_test_wait_until (no_toplevel, GSIZE_TO_POINTER (OB_TYPE_ACCOUNT_ASSISTANT), 10000));
  ob_ui_test_wait_ms (300);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM accounts"), ==, 1);
  ob_ui_test_read_screen (page, "accounts page");
  /* "Last test passed" on a date as the user's locale writes it. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%x");
    GtkWidget *row = ob_ui_test_need_named (page, SENDER);

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), today));
  }
  shot (GTK_WIDGET (main_window ()), "06-accounts-list");
}

static gboolean
import_state_is (gpointer data)
{
  gpointer *args = data;
  return g_strcmp0 (ob_contacts_import_dialog_get_state (args[0]), args[1]) == 0;
}

static char *
write_csv (ObTestDir *dir)
{
  g_autoptr(GString) csv = g_string_new ("Email,First name,Company,Country\n");
  static const char *first[N_GOOD] = {
    "Anna", "Jean", "Giulia", "Marek", "An", "Mehmet", "Iker", "Daan", "Erik", "Rui", "Lukas",
    "Jana", "Zsofia", "Sean", "Ingrid", "Aino", "Nikos", "Ioana", "Petar", "Ivan", "Maja",
  };
  static const char *country[N_GOOD] = {
    "DE", "FR", "IT", "PL", "VN", "TR", "ES", "NL", "SE", "PT", "AT",
    "CZ", "HU", "IE", "NO", "FI", "GR", "RO", "BG", "HR", "SI",
  };
  char *path = ob_test_dir_file (dir, "fair-leads.csv");

  for (guint i = 0; i < N_GOOD; i++)
    {
      g_autofree char *local = g_ascii_strdown (first[i], -1);

      g_string_append_printf (csv, "%s@%s,%s,%s Ltd,%s\n", local, buyer_domains[i], first[i], buyer_domains[i],
                              country[i]);
    }
  /* The bad rows a fair's badge scanner leaves: no @, a duplicate, an
   * empty address and a typo'd domain. */
  g_string_append (csv, "badge-scan-0042,Nobody,Unknown,CN\n");
  g_string_append_printf (csv, "ANNA@%s,Anna,%s Ltd,DE\n", buyer_domains[0], buyer_domains[0]);
  g_string_append (csv, ",Empty,Nothing Ltd,US\n");
  g_string_append (csv, "buyer@gmial.com,Typo,Gmial Ltd,US\n");
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  return path;
}

static void
import_contacts (ObTestDir *dir)
{
  g_autofree char *path = write_csv (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ObContactsPage *page;
  ObContactsImportDialog *dialog;
  const ObImportReport *report;
  gpointer args[2];

  show_page ("contacts");
  page = OB_CONTACTS_PAGE (page_of_type (OB_TYPE_CONTACTS_PAGE));
  dialog = OB_CONTACTS_IMPORT_DIALOG (ob_contacts_page_import_file (page, file));
  args[0] = dialog;
  args[1] = (gpointer) "preview";
  g_assert_true (ob_ui_test_wait_until (import_state_is, args, 10000));
  /* The addresses are read whole in the preview. */
  g_assert_cmpuint (ob_ui_test_read_screen (GTK_WIDGET (dialog), "import preview"), ==, 0);
  shot (GTK_WIDGET (dialog), "07-import-preview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL));
  args[1] = (gpointer) "report";
  g_assert_true (ob_ui_test_wait_until (import_state_is, args, 20000));
  report = ob_contacts_import_dialog_get_report (dialog);
  g_test_message ("import: %u rows, %u imported, %u duplicates, %u invalid, %u suggestions",
                  report->rows, report->imported, report->duplicates, report->invalid, report->suggestions);
  g_assert_cmpuint (report->rows, ==, N_GOOD + 4);
  ob_ui_test_read_screen (GTK_WIDGET (dialog), "import report");
  shot (GTK_WIDGET (dialog), "08-import-report");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL));
  g_assert_true (ob_ui_test_wait_until (no_toplevel, GSIZE_TO_POINTER (OB_TYPE_CONTACTS_IMPORT_DIALOG), 5000));
  ob_ui_test_wait_ms (500);
  ob_ui_test_read_screen (GTK_WIDGET (page), "contacts page");
  shot (GTK_WIDGET (main_window ()), "09-contacts");
}

static gboolean
linted (gpointer data)
{
  return GPOINTER_TO_INT (g_object_get_data (data, "walk-linted")) != 0;
}

static void
on_linted_cb (GObject *editor)
{
  g_object_set_data (editor, "walk-linted", GINT_TO_POINTER (1));
}

static void
relint (ObTemplateEditor *editor)
{
  g_object_set_data (G_OBJECT (editor), "walk-linted", NULL);
  ob_template_editor_lint_now (editor);
  g_assert_true (ob_ui_test_wait_until (linted, editor, 10000));
}

static void
write_template (void)
{
  GtkWidget *page, *stack;
  ObTemplateEditor *editor;
  GtkTextBuffer *buffer;
  GPtrArray *findings;

  show_page ("templates");
  stack = ob_ui_test_need_named (GTK_WIDGET (main_window ()), "templates_stack");
  page = gtk_widget_get_parent (stack);
  g_assert_true (gtk_widget_activate_action (page, "templates.new", NULL));
  ob_ui_test_wait_ms (300);
  editor = OB_TEMPLATE_EDITOR (ob_ui_test_find_type (page, OB_TYPE_TEMPLATE_EDITOR));
  g_signal_connect (editor, "linted", G_CALLBACK (on_linted_cb), NULL);

  /* A first draft as a salesperson writes it: shouting, no fallback. */
  set_text (GTK_WIDGET (editor), "name_entry", "Fair follow-up");
  set_text (GTK_WIDGET (editor), "subject_entry", "BEST PRICE brass valves for {{company}}!!!");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_need_named (GTK_WIDGET (editor), "body_view")));
  gtk_text_buffer_set_text (buffer, "Dear {{first_name}},\n\nThank you for visiting our booth at the fair. "
                                    "We make brass ball valves in Yuhuan.\nMay I send you our catalogue?\n\n"
                                    "Best regards,\nLi Wei\nHengda Valve Co., Ltd.\n", -1);
  relint (editor);
  findings = ob_template_editor_get_findings (editor);
  g_test_message ("lint: %u findings", findings->len);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("  %s", ((ObLintFinding *) findings->pdata[i])->rule);
  g_assert_cmpuint (findings->len, >, 0);
  /* The list shows the template by the name being typed, before any save. */
  g_assert_cmpuint (count_labels (ob_ui_test_need_named (page, "template_list"), "Fair follow-up"), ==, 1);
  /* Each finding is read whole in the panel beside the body, and hovering
   * it shows no rule id (words for outbound-cli, not for the user). */
  ob_ui_test_wait_ms (300);
  g_assert_cmpuint (ob_ui_test_read_screen (ob_ui_test_need_named (GTK_WIDGET (editor), "findings_list"), "the findings"), ==, 0);
  for (GtkWidget *row = gtk_widget_get_first_child (ob_ui_test_need_named (GTK_WIDGET (editor), "findings_list")); row;
       row = gtk_widget_get_next_sibling (row))
    {
      const ObLintFinding *f = g_object_get_data (G_OBJECT (row), "finding");
      const char *tip = gtk_widget_get_tooltip_text (row);

      if (f != NULL)
        g_assert_cmpstr (tip, !=, f->rule);
    }
  ob_ui_test_read_screen (GTK_WIDGET (editor), "template with findings");
  shot (GTK_WIDGET (main_window ()), "10-template-findings");

  /* Cleaned up: fallbacks, a calm subject, the unsubscribe line. */
  set_text (GTK_WIDGET (editor), "subject_entry", "Brass ball valves for {{company|your company}}");
  gtk_text_buffer_set_text (buffer, "Dear {{first_name|Sir or Madam}},\n\nThank you for visiting our booth at the "
                                    "fair. We make brass ball valves in Yuhuan and ship to Europe every week.\n"
                                    "May I send you our catalogue?\n\n"
                                    "Best regards,\nLi Wei\nHengda Valve Co., Ltd.\nTel. +86 576 8888 1234\n\n"
                                    "If you would rather not hear from us again, just reply \"unsubscribe\".\n", -1);
  relint (editor);
  findings = ob_template_editor_get_findings (editor);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("  left: %s", ((ObLintFinding *) findings->pdata[i])->rule);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  ob_ui_test_wait_ms (300);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM templates"), ==, 1);
  ob_ui_test_read_screen (GTK_WIDGET (editor), "template clean");
  shot (GTK_WIDGET (main_window ()), "11-template-clean");
}

static gboolean
domain_checked (gpointer data)
{
  GtkWidget *state = ob_ui_test_find_named (data, "result-stack");
  const char *name = state ? gtk_stack_get_visible_child_name (GTK_STACK (state)) : NULL;

  return name != NULL && !g_str_equal (name, "running") && !g_str_equal (name, "none");
}

static void
check_domain (void)
{
  GtkWidget *page;

  show_page ("domain-health");
  page = page_of_type (g_type_from_name ("ObDomainHealthPage"));
  g_assert_nonnull (page);
  ob_ui_test_read_screen (page, "domain health before");
  shot (GTK_WIDGET (main_window ()), "12-domain-empty");
  g_assert_true (gtk_widget_activate_action (ob_ui_test_need_named (page, "domain-row"), "domain-health.start", NULL));
  ob_ui_test_wait_ms (300);
  ob_ui_test_read_screen (page, "domain health form");
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (page, "domain-row"))), "") == 0)
    set_text (page, "domain-row", "hengda-valve.test");
  g_assert_true (gtk_widget_activate_action (ob_ui_test_need_named (page, "domain-row"), "domain-health.check", NULL));
  if (!ob_ui_test_wait_until (domain_checked, page, 30000))
    g_test_message ("the domain check did not end within 30 s");
  ob_ui_test_wait_ms (300);
  ob_ui_test_read_screen (page, "domain health result");
  shot (GTK_WIDGET (main_window ()), "13-domain-result");
}

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

static void
new_campaign (void)
{
  GtkWidget *page, *a;
  const ObPacingPreset *presets;
  guint n;

  show_page ("campaigns");
  page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "campaigns_stack"));
  g_assert_true (gtk_widget_activate_action (page, "campaigns.new", NULL));
  ob_ui_test_wait_ms (500);
  a = GTK_WIDGET (ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT));
  g_assert_nonnull (a);
  set_text (a, "name_row", "Canton Fair leads");
  ob_ui_test_read_screen (a, "campaign: account");
  shot (a, "14-campaign-account");
  click (ob_ui_test_need_named (a, "next_button"));
  ob_ui_test_wait_ms (500);
  ob_ui_test_read_screen (a, "campaign: audience");
  shot (a, "15-campaign-audience");
  /* Twenty-one receive it: ANNA@ is anna@'s mailbox, mailed once. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (a, "receive_label"))), ==, "21");
  click (ob_ui_test_need_named (a, "next_button"));
  choose_template (ob_ui_test_need_named (ob_ui_test_need_named (a, "step_list"), "step-first"), "Fair follow-up");
  /* A follow-up a week later keeps the campaign running after the first mails. */
  click (ob_ui_test_need_named (a, "add_followup_button"));
  choose_template (ob_ui_test_need_named (ob_ui_test_need_named (a, "step_list"), "step-followup"), "Fair follow-up");
  ob_ui_test_read_screen (a, "campaign: mails");
  shot (a, "16-campaign-mails");
  click (ob_ui_test_need_named (a, "next_button"));

  /* Every day, all day, no holidays, a second or two between mails, no
   * warm-up: the walk must see the mails go now. */
  for (GtkWidget *d = gtk_widget_get_first_child (ob_ui_test_need_named (a, "days_box")); d; d = gtk_widget_get_next_sibling (d))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "hour_start_spin")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "hour_end_spin")), 1440);
  gtk_switch_set_active (GTK_SWITCH (ob_ui_test_need_named (a, "holidays_switch")), FALSE);
  presets = ob_pacing_get_presets (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (presets[i].id, "custom"))
      adw_combo_row_set_selected (ADW_COMBO_ROW (ob_ui_test_need_named (a, "preset_row")), i);
  gtk_switch_set_active (GTK_SWITCH (ob_ui_test_need_named (a, "warmup_switch")), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "daily_cap_spin")), 100);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "interval_min_spin")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "interval_max_spin")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "domain_cap_spin")), 50);
  gtk_window_set_default_size (GTK_WINDOW (a), 640, 900);
  ob_ui_test_read_screen (a, "campaign: schedule");
  shot (a, "17-campaign-schedule");
  click (ob_ui_test_need_named (a, "next_button"));
  ob_ui_test_wait_ms (800);
  ob_ui_test_read_screen (a, "campaign: review");
  /* The sender domain's warnings (no DKIM key, DMARC only watching) come
   * with the way to what to change. */
  g_assert_nonnull (ob_ui_test_find_named (ob_ui_test_need_named (a, "check-domain-0"), "check-domain-button"));
  shot (a, "18-campaign-review");
  if (gtk_widget_get_visible (ob_ui_test_need_named (a, "confirm_check")))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (ob_ui_test_need_named (a, "confirm_check")), TRUE);
  ob_ui_test_wait_ms (100);
  click (ob_ui_test_need_named (a, "create_button"));
  g_assert_true (ob_ui_test_wait_until (no_toplevel, GSIZE_TO_POINTER (OB_TYPE_CAMPAIGN_ASSISTANT), 10000));
  ob_ui_test_wait_ms (300);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM campaigns"), ==, 1);
}

static gboolean
sent_at_least (gpointer data)
{
  return ob_test_smtp_server_count_messages (smtp) >= GPOINTER_TO_UINT (data);
}

static void
watch_sending (void)
{
  GtkWidget *page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "campaigns_stack"));
  guint expected = (guint) ob_test_query_int (store (), "SELECT count(*) FROM queue q JOIN campaign_steps s "
                                                        "ON s.id = q.step_id WHERE s.position = 1");

  g_test_message ("queued for the first mail: %u", expected);
  g_assert_cmpuint (expected, >, 0);
  ob_ui_test_read_screen (page, "campaign just started");
  shot (GTK_WIDGET (main_window ()), "19-campaign-started");
  g_assert_true (ob_ui_test_wait_until (sent_at_least, GUINT_TO_POINTER (MAX (expected / 2, 1)), 120000));
  ob_ui_test_read_screen (page, "campaign half way");
  shot (GTK_WIDGET (main_window ()), "20-campaign-sending");
  g_assert_true (ob_ui_test_wait_until (sent_at_least, GUINT_TO_POINTER (expected), 120000));
  ob_ui_test_wait_ms (2500);
  ob_ui_test_read_screen (page, "campaign first mails sent");
  shot (GTK_WIDGET (main_window ()), "21-campaign-sent");
}

/* A DSN as a receiving server writes it, for the message that went to @rcpt. */
static void
deliver_bounce (const char *rcpt)
{
  g_autoptr(GPtrArray) messages = ob_test_smtp_server_get_messages (smtp);
  g_autoptr(GError) error = NULL;
  const char *original = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *dsn = NULL;
  const char *end;

  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], rcpt) != NULL)
      original = messages->pdata[i];
  g_assert_nonnull (original);
  end = strstr (original, "\r\n\r\n");
  g_assert_nonnull (end);
  headers = g_strndup (original, end - original);
  dsn = g_strdup_printf ("From: Mail Delivery System <MAILER-DAEMON@mx.%s>\r\n"
                         "To: " SENDER "\r\n"
                         "Subject: Undelivered Mail Returned to Sender\r\n"
                         "Date: Mon, 23 Nov 2026 08:00:00 +0000\r\n"
                         "Message-ID: <bounce-%s@mx>\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n"
                         "\r\n"
                         "--B\r\nContent-Type: text/plain\r\n\r\n"
                         "This is the mail system. Your message could not be delivered.\r\n"
                         "<%s>: host mx.%s said: 550 5.1.1 User unknown\r\n\r\n"
                         "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
                         "Reporting-MTA: dns; mx.%s\r\n\r\n"
                         "Final-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                         "Diagnostic-Code: smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown\r\n\r\n"
                         "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n%s\r\n\r\n--B--\r\n",
                         strchr (rcpt, '@') + 1, rcpt, rcpt, strchr (rcpt, '@') + 1, strchr (rcpt, '@') + 1,
                         rcpt, rcpt, headers);
  g_assert_true (ob_test_imap_server_deliver (imap, "INBOX", dsn, strlen (dsn), &error));
  g_assert_no_error (error);
}

static gboolean
bounces_processed (gpointer data)
{
  return ob_test_query_int (store (), "SELECT count(*) FROM events WHERE kind = 'hard_bounce'") >= GPOINTER_TO_INT (data);
}

static void
check_mailbox (void)
{
  GtkWidget *page;
  gint64 id = ob_test_query_int (store (), "SELECT id FROM accounts");

  show_page ("accounts");
  page = page_of_type (g_type_from_name ("ObAccountsPage"));
  g_assert_true (gtk_widget_activate_action (page, "accounts.check-mailbox", "x", id));
}

static void
bounces (void)
{
  GtkWidget *page;
  g_autofree char *first = g_strdup_printf ("anna@%s", buyer_domains[0]);
  g_autofree char *second = g_strdup_printf ("jean@%s", buyer_domains[1]);
  g_autofree char *sql = NULL;
  g_autofree char *status = NULL;
  g_autofree char *state = NULL;

  /* One bounce: the contact is suppressed, the rate is a warning. */
  deliver_bounce (first);
  check_mailbox ();
  g_assert_true (ob_ui_test_wait_until (bounces_processed, GINT_TO_POINTER (1), 30000));
  ob_ui_test_wait_ms (500);
  ob_ui_test_read_screen (page_of_type (g_type_from_name ("ObAccountsPage")), "accounts after the mailbox check");
  shot (GTK_WIDGET (main_window ()), "22-mailbox-checked");
  sql = g_strdup_printf ("SELECT status FROM contacts WHERE email = '%s'", first);
  status = ob_test_query_text (store (), sql);
  g_test_message ("%s is now %s", first, status);
  g_assert_cmpstr (status, ==, "suppressed");

  show_page ("campaigns");
  page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "campaigns_stack"));
  ob_ui_test_read_screen (page, "campaign after one bounce");
  shot (GTK_WIDGET (main_window ()), "23-campaign-one-bounce");

  /* A second: 2 of 21 is over 5 %, the campaign pauses itself. */
  deliver_bounce (second);
  check_mailbox ();
  g_assert_true (ob_ui_test_wait_until (bounces_processed, GINT_TO_POINTER (2), 30000));
  ob_ui_test_wait_ms (500);
  state = ob_test_query_text (store (), "SELECT state FROM campaigns");
  g_test_message ("campaign state after two bounces: %s", state);
  g_assert_cmpstr (state, ==, "paused");
  show_page ("campaigns");
  ob_ui_test_read_screen (page, "campaign after two bounces");
  /* The banner says why, and the next mails say they wait for Resume. */
  g_assert_true (gtk_widget_get_visible (ob_ui_test_need_named (page, "paused_box")));
  /* 2 of 21: ANNA@ is anna@'s mailbox, kept as a contact but mailed once. */
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM events WHERE kind = 'skipped'"
                                                " AND contact_id = (SELECT id FROM contacts WHERE email GLOB 'ANNA@*')"), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "paused_reason"))), "9.5"));
  g_assert_cmpstr (adw_preferences_group_get_description (
                     ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (ob_ui_test_need_named (page, "upcoming_list"),
                                                                     ADW_TYPE_PREFERENCES_GROUP))),
                   ==, _("None goes while the campaign is paused. Once resumed, each goes at "
                         "the earliest at this time, in the recipient’s own local time."));
  /* "Clean the list" comes with the way to it. */
  g_assert_true (gtk_widget_get_visible (ob_ui_test_need_named (page, "list_button")));
  /* The desktop was told: the warning at 2 %, then the pause, with its rate. */
  g_assert_cmpuint (notifications->len, >=, 2);
  {
    gboolean told = FALSE;

    for (guint i = 0; i < notifications->len; i++)
      told |= strstr (notifications->pdata[i], "9.5") != NULL;
    g_assert_true (told);
  }
  shot (GTK_WIDGET (main_window ()), "24-campaign-paused");
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 360, 720);
  ob_ui_test_wait_ms (600);
  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (ob_ui_test_need_named (page, "campaign_list")), 0)));
  shot (GTK_WIDGET (main_window ()), "24-campaign-paused-narrow");
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);
  ob_ui_test_wait_ms (600);

  /* The Contacts page, built before the bounces came, shows them now:
   * the two bounced contacts, and ANNA@, the first one's address typed in
   * capitals, which the suppression covers too. */
  click (ob_ui_test_need_named (page, "list_button"));
  g_assert_cmpstr (ob_window_get_page (main_window ()), ==, "contacts");
  ob_ui_test_wait_ms (500);
  ob_ui_test_read_screen (page_of_type (OB_TYPE_CONTACTS_PAGE), "contacts after the bounces");
  g_assert_cmpuint (count_labels (page_of_type (OB_TYPE_CONTACTS_PAGE), g_dpgettext2 (NULL, "status", "Suppressed")),
                    ==, 3);
  shot (GTK_WIDGET (main_window ()), "25-contacts-after-bounces");

  /* Her page says why: the bounce, with the mail that said so. */
  {
    g_autofree char *id_sql = g_strdup_printf ("SELECT id FROM contacts WHERE email = '%s'", first);
    ObContactsPage *contacts = OB_CONTACTS_PAGE (page_of_type (OB_TYPE_CONTACTS_PAGE));

    ob_contacts_page_open_contact (contacts, ob_test_query_int (store (), id_sql));
    ob_ui_test_wait_ms (600);
    ob_ui_test_read_screen (GTK_WIDGET (contacts), "the bounced contact");
    g_assert_cmpuint (count_labels (GTK_WIDGET (contacts), ob_ui_words_for_event ("hard_bounce")), >=, 1);
    shot (GTK_WIDGET (main_window ()), "25-contact-bounced");
    gtk_widget_activate_action (GTK_WIDGET (contacts), "contacts.close-detail", NULL);
    ob_ui_test_wait_ms (300);
  }
}

static void
reports (void)
{
  GtkWidget *page;

  show_page ("reports");
  page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "reports_stack"));
  ob_ui_test_wait_ms (500);
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 900);
  ob_ui_test_wait_ms (500);
  ob_ui_test_read_screen (page, "reports");
  shot (GTK_WIDGET (main_window ()), "26-reports");
}

static gboolean
held_shown (gpointer data)
{
  GtkWidget *box = ob_ui_test_need_named (data, "held_box");
  return gtk_widget_get_visible (box) && gtk_widget_get_child_visible (box);
}

/* The provider's server goes away: a second campaign cannot send. */
static void
server_down (void)
{
  GtkWidget *page, *a;
  const ObPacingPreset *presets;
  guint n;

  g_clear_pointer (&smtp, ob_test_smtp_server_free);
  show_page ("campaigns");
  page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "campaigns_stack"));
  g_assert_true (gtk_widget_activate_action (page, "campaigns.new", NULL));
  ob_ui_test_wait_ms (500);
  a = GTK_WIDGET (ob_ui_test_find_toplevel (OB_TYPE_CAMPAIGN_ASSISTANT));
  set_text (a, "name_row", "Second try");
  click (ob_ui_test_need_named (a, "next_button"));
  ob_ui_test_wait_ms (500);
  click (ob_ui_test_need_named (a, "next_button"));
  choose_template (ob_ui_test_need_named (ob_ui_test_need_named (a, "step_list"), "step-first"), "Fair follow-up");
  click (ob_ui_test_need_named (a, "next_button"));
  for (GtkWidget *d = gtk_widget_get_first_child (ob_ui_test_need_named (a, "days_box")); d; d = gtk_widget_get_next_sibling (d))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "hour_start_spin")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "hour_end_spin")), 1440);
  gtk_switch_set_active (GTK_SWITCH (ob_ui_test_need_named (a, "holidays_switch")), FALSE);
  presets = ob_pacing_get_presets (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (presets[i].id, "custom"))
      adw_combo_row_set_selected (ADW_COMBO_ROW (ob_ui_test_need_named (a, "preset_row")), i);
  gtk_switch_set_active (GTK_SWITCH (ob_ui_test_need_named (a, "warmup_switch")), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "interval_min_spin")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "interval_max_spin")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ob_ui_test_need_named (a, "domain_cap_spin")), 50);
  click (ob_ui_test_need_named (a, "next_button"));
  ob_ui_test_wait_ms (800);
  ob_ui_test_read_screen (a, "second campaign: review");
  if (gtk_widget_get_visible (ob_ui_test_need_named (a, "confirm_check")))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (ob_ui_test_need_named (a, "confirm_check")), TRUE);
  click (ob_ui_test_need_named (a, "create_button"));
  g_assert_true (ob_ui_test_wait_until (no_toplevel, GSIZE_TO_POINTER (OB_TYPE_CAMPAIGN_ASSISTANT), 10000));

  /* "Running" alone would hide that nothing goes: a banner at the top
   * says why, with the way to the account. */
  g_assert_true (ob_ui_test_wait_until (held_shown, page, 30000));
  ob_ui_test_read_screen (page, "second campaign, server down");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (page, "held_reason"))), "127.0.0.1"));
  shot (GTK_WIDGET (main_window ()), "27-server-down");
  click (ob_ui_test_need_named (page, "held_button"));
  g_assert_cmpstr (ob_window_get_page (main_window ()), ==, "accounts");
}

static void
test_walk (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "walk.db");

  g_setenv ("OUTBOUND_DB", db, TRUE);
  use_test_resolver ();

  /* As a user opens it: the app opens the database, starts sending and
   * shows its window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (ob_ui_test_wait_until (have_main_window, NULL, 20000));
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);
  ob_ui_test_wait_ms (800);
  g_assert_nonnull (ob_application_get_sending_service (app));

  add_account ();
  import_contacts (dir);
  write_template ();
  check_domain ();
  new_campaign ();
  watch_sending ();
  bounces ();
  reports ();
  server_down ();

  gtk_window_destroy (GTK_WINDOW (main_window ()));
  ob_ui_test_wait_ms (100);
}

/* ---- a notification server ---- */

/* Xvfb has no desktop to show notifications: this stands in for its
 * notification server on the session bus and keeps what it was given. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
notifications_call_cb (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_test_message ("notification: %s — %s", summary, body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\n%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "walk", "outbound", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestDir) locale_dir = NULL;
  int status;

  keyring = ob_test_keyring_start (&error);
  g_assert_no_error (error);
  g_setenv ("GTK_A11Y", "none", TRUE);

  locale_dir = ob_test_dir_new ();
  if (!ob_ui_test_init_in_users_language (&argc, &argv, locale_dir, &chinese))
    {
      g_test_skip ("zh_CN.UTF-8 is not installed and localedef could not make it");
      return g_test_run ();
    }

  start_servers ();
  start_notification_server ();

  app = ob_ui_test_new_application ();

  g_test_add_func ("/ui/walk-send", test_walk);
  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&https, ob_test_https_server_free);
  g_clear_pointer (&https_root, ob_test_dir_free);
  g_clear_pointer (&imap, ob_test_imap_server_free);
  g_clear_pointer (&smtp, ob_test_smtp_server_free);
  g_clear_pointer (&dns, ob_test_dns_server_free);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_pointer (&keyring, ob_test_keyring_free);
  return status;
}
