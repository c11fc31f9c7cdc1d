/* test-walk-templates.c — the two jobs that decide whether the mail
 * arrives, through the window: the template a salesperson pastes (lint
 * findings as they type, fixed one by one, the merge-field picker, the
 * preview for a contact and for one without a first name), and the sending
 * domain (Domain Health against knot: the wrong provider in SPF, no DMARC,
 * no DKIM key; the record to publish copied, published, checked again) and
 * the accounts (a provider preset, a wrong password refused, removed).
 *
 * The app starts as it does for a user, against aiosmtpd, Dovecot and
 * knot on loopback. Run once in English and once in Simplified Chinese
 * (meson registers both); screenshots go to $OUTBOUND_SCREENSHOT_DIR as
 * walk-templates-<lang>-<step>.png.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gmime/gmime.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "ob-account-assistant.h"
#include "ob-account-test-view.h"
#include "ob-application.h"
#include "ob-keyring.h"
#include "ob-mail.h"
#include "ob-template-editor.h"
#include "ob-template-linter.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

#define DOMAIN   "hengda-valve.test"
#define SENDER   "li.wei@" DOMAIN
#define PASSWORD "testpass"

static ObApplication *app;
static ObTestKeyring *keyring;
static ObTestSmtpServer *smtp;
static ObTestImapServer *imap;
static ObTestDnsServer *dns;
static ObTestHttpsServer *https;
static ObTestDir *https_root;
static gboolean chinese;
static char *dkim_value;

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
  g_autofree char *name = g_strdup_printf ("walk-templates-%s-%s", chinese ? "zh_CN" : "en", step);
  g_autoptr(GdkTexture) texture = NULL;

  ob_ui_test_wait_ms (600);
  texture = ob_ui_test_screenshot (window, name);
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
page_of_type (const char *type)
{
  return ob_ui_test_find_type (GTK_WIDGET (main_window ()), g_type_from_name (type));
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

static gboolean
no_toplevel (gpointer data)
{
  return ob_ui_test_find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

/* ---- the servers ---- */

/* A fresh 2048-bit RSA key as a DKIM record value, in master-file
 * character-strings of at most 200 bytes. */
static char *
dkim_record (void)
{
  gnutls_privkey_t priv;
  gnutls_pubkey_t pub;
  gnutls_datum_t der = { NULL, 0 };
  g_autofree char *b64 = NULL;
  g_autofree char *value = NULL;
  GString *s = g_string_new (NULL);
  gsize len;

  g_assert_cmpint (gnutls_privkey_init (&priv), ==, 0);
  g_assert_cmpint (gnutls_privkey_generate (priv, GNUTLS_PK_RSA, 2048, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&pub), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, priv, 0, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_DER, &der), ==, 0);
  b64 = g_base64_encode (der.data, der.size);
  gnutls_free (der.data);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (priv);
  value = g_strdup_printf ("v=DKIM1; k=rsa; p=%s", b64);
  len = strlen (value);
  for (gsize i = 0; i < len; i += 200)
    g_string_append_printf (s, "%s\"%.*s\"", i ? " " : "", (int) MIN (200, len - i), value + i);
  return g_string_free (s, FALSE);
}

/* The sender's domain as first found: mail goes through Alibaba, but the
 * SPF names Tencent's servers; no DMARC, no DKIM key. With @fixed, as
 * after the user published what the page said. */
static void
start_dns (gboolean fixed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sender = NULL;
  const char *zones[5] = { NULL };

  if (fixed)
    sender = g_strdup_printf ("$ORIGIN " DOMAIN ".\n$TTL 300\n"
                              "@ MX 5 mxhz.qiye.aliyun.com.\n"
                              "@ TXT \"v=spf1 include:spf.qiye.aliyun.com -all\"\n"
                              "_dmarc TXT \"v=DMARC1; p=none; rua=mailto:dmarc@" DOMAIN "\"\n"
                              "default._domainkey TXT %s\n", dkim_value);
  else
    sender = g_strdup ("$ORIGIN " DOMAIN ".\n$TTL 300\n"
                       "@ MX 5 mxhz.qiye.aliyun.com.\n"
                       "@ TXT \"v=spf1 include:spf.mail.qq.com ~all\"\n");
  zones[0] = sender;
  zones[1] = "$ORIGIN qiye.aliyun.com.\n$TTL 300\n"
             "spf TXT \"v=spf1 ip4:115.124.30.0/24 ip4:121.197.0.0/16 -all\"\n"
             "smtp A 121.197.1.10\n"
             "mxhz A 115.124.30.10\n";
  zones[2] = "$ORIGIN mail.qq.com.\n$TTL 300\n"
             "spf TXT \"v=spf1 ip4:183.3.225.0/24 ip4:113.96.223.0/24 -all\"\n";
  /* A second company whose mail is at Tencent Exmail. */
  zones[3] = "$ORIGIN yuhuan-brass.test.\n$TTL 300\n"
             "@ MX 5 mxbiz1.qq.com.\n@ MX 10 mxbiz2.qq.com.\n";
  dns = ob_test_dns_server_start (zones, &error);
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

static void
start_servers (void)
{
  g_autoptr(GError) error = NULL;

  dkim_value = dkim_record ();
  start_dns (FALSE);
  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, NULL, &error);
  g_assert_no_error (error);
  imap = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
  g_assert_true (ob_test_imap_server_deliver (imap, "Sent", "Subject: x\r\n\r\nx\r\n", 17, &error));
  https_root = ob_test_dir_new ();
  https = ob_test_https_server_start (ob_test_dir_get_path (https_root), &error);
  g_assert_no_error (error);
}

/* Contacts to preview for: one with every field, one with no first name. */
static void
add_contacts (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (store (),
                                "INSERT INTO contacts (email, email_key, domain, first_name, last_name, company, "
                                "country, created_at, updated_at) VALUES "
                                "('anna@kraemer-pumpen.de', 'anna@kraemer-pumpen.de', 'kraemer-pumpen.de', 'Anna', "
                                "'Krämer', 'Krämer Pumpen GmbH', 'DE', 1, 1), "
                                "('info@porto-tubos.pt', 'info@porto-tubos.pt', 'porto-tubos.pt', NULL, NULL, "
                                "'Porto Tubos Lda', 'PT', 2, 2)",
                                &error));
  g_assert_no_error (error);
}

/* ---- A. the template ---- */

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

/* Waits for the lint that typing starts by itself (no lint_now). */
static void
wait_for_lint (ObTemplateEditor *editor)
{
  g_assert_true (ob_ui_test_wait_until (linted, editor, 10000));
  g_object_set_data (G_OBJECT (editor), "walk-linted", NULL);
}

static gboolean
has_rule (ObTemplateEditor *editor,
          const char       *rule)
{
  GPtrArray *findings = ob_template_editor_get_findings (editor);

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (((ObLintFinding *) findings->pdata[i])->rule, rule))
      return TRUE;
  return FALSE;
}

static void
log_findings (ObTemplateEditor *editor,
              const char       *when)
{
  GPtrArray *findings = ob_template_editor_get_findings (editor);

  g_test_message ("lint %s: %u findings", when, findings->len);
  for (guint i = 0; i < findings->len; i++)
    {
      const ObLintFinding *f = findings->pdata[i];
      g_test_message ("  %s [%s] %s — %s", f->rule, f->replacement ? "fix button" : "no fix button",
                      f->message, f->fix ? f->fix : "(no advice)");
    }
}

/* The row of the first finding of @rule in the side list. */
static GtkWidget *
finding_row (ObTemplateEditor *editor,
             const char       *rule)
{
  for (GtkWidget *row = gtk_widget_get_first_child (ob_ui_test_need_named (GTK_WIDGET (editor), "findings_list"));
       row; row = gtk_widget_get_next_sibling (row))
    {
      const ObLintFinding *f = g_object_get_data (G_OBJECT (row), "finding");

      if (f != NULL && g_str_equal (f->rule, rule))
        return row;
    }
  return NULL;
}

static GtkWidget *
fix_button (GtkWidget *row)
{
  GtkWidget *b = ob_ui_test_find_type (row, GTK_TYPE_BUTTON);
  return b;
}

static void
type_into (GtkTextBuffer *buffer,
           const char    *text)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
}

static void
replace_in_buffer (GtkTextBuffer *buffer,
                   const char    *from,
                   const char    *to)
{
  GtkTextIter start, end, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, from, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_delete (buffer, &match_start, &match_end);
  gtk_text_buffer_insert (buffer, &match_start, to, -1);
  (void) end;
}

static void
choose_contact (GtkWidget  *editor,
                const char *needle)
{
  GtkDropDown *dd = GTK_DROP_DOWN (ob_ui_test_need_named (editor, "contact_dropdown"));
  GListModel *model = gtk_drop_down_get_model (dd);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) s = g_list_model_get_item (model, i);

      if (strstr (gtk_string_object_get_string (s), needle) != NULL)
        {
          gtk_drop_down_set_selected (dd, i);
          ob_ui_test_wait_ms (200);
          return;
        }
    }
  g_error ("No contact %s to preview for", needle);
}

static const char *
preview_text (GtkWidget *editor)
{
  static char *text;
  GtkTextBuffer *b = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_need_named (editor, "preview_view")));
  GtkTextIter s, e;

  g_free (text);
  gtk_text_buffer_get_bounds (b, &s, &e);
  text = gtk_text_buffer_get_text (b, &s, &e, FALSE);
  return text;
}

static void
write_template (void)
{
  GtkWidget *page, *w, *row;
  ObTemplateEditor *editor;
  GtkTextBuffer *buffer;

  show_page ("templates");
  page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "templates_stack"));
  ob_ui_test_read_screen (page, "templates, empty");
  shot (GTK_WIDGET (main_window ()), "01-templates-empty");
  g_assert_true (gtk_widget_activate_action (page, "templates.new", NULL));
  ob_ui_test_wait_ms (300);
  editor = OB_TEMPLATE_EDITOR (ob_ui_test_find_type (page, OB_TYPE_TEMPLATE_EDITOR));
  w = GTK_WIDGET (editor);
  g_signal_connect (editor, "linted", G_CALLBACK (on_linted_cb), NULL);
  ob_ui_test_read_screen (w, "a new template");
  shot (GTK_WIDGET (main_window ()), "02-template-new");

  /* The mail they always send, pasted in: the lint follows the typing. */
  set_text (w, "name_entry", "Valve offer");
  set_text (w, "subject_entry", "FREE SAMPLES!!! LOWEST PRICE");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (ob_ui_test_need_named (w, "body_view")));
  gtk_text_buffer_set_text (buffer, "", -1);
  wait_for_lint (editor);
  log_findings (editor, "after the subject");
  g_assert_true (has_rule (editor, "subject-caps") || has_rule (editor, "exclamation"));

  type_into (buffer, "Dear {{frist_name}}，\n\n"
                     "We are a leading manufacturer of brass ball valves in Yuhuan, China。"
                     "FREE SAMPLES for your company！\n\n");
  wait_for_lint (editor);
  log_findings (editor, "after the first lines");
  g_assert_true (has_rule (editor, "merge-field-unknown"));

  type_into (buffer, "See our catalogue: https://bit.ly/3hVx9Qz\n\n"
                     "Best regards,\nLi Wei\n");
  wait_for_lint (editor);
  log_findings (editor, "pasted whole");
  g_assert_true (has_rule (editor, "link-shortener"));
  g_assert_true (has_rule (editor, "missing-unsubscribe"));
  ob_ui_test_wait_ms (300);
  ob_ui_test_read_screen (ob_ui_test_need_named (w, "findings_list"), "the findings");
  ob_ui_test_read_screen (w, "template with findings");
  shot (GTK_WIDGET (main_window ()), "03-template-findings");

  /* Each finding says what is wrong and how to fix it on screen, beside
   * its Fix button too (a button that says "Fix" does not tell what it
   * will write into the mail). */
  for (GtkWidget *r = gtk_widget_get_first_child (ob_ui_test_need_named (w, "findings_list")); r;
       r = gtk_widget_get_next_sibling (r))
    {
      const ObLintFinding *f = g_object_get_data (G_OBJECT (r), "finding");
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (r));

      if (f == NULL || f->fix == NULL || *f->fix == '\0')
        continue;
      g_test_message ("%s: on screen “%s”", f->rule, subtitle ? subtitle : "");
      g_assert_cmpstr (subtitle, ==, f->fix);
    }
  /* The score says what it is out of. */
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (ob_ui_test_need_named (w, "score_label"))), "10"));

  /* The misspelt field: its row shows where it is. */
  row = finding_row (editor, "merge-field-unknown");
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  /* Read at once: another test's window on the same display taking the
   * PRIMARY selection clears this one (as X does between any two apps). */
  {
    GtkTextIter s, e;
    g_autofree char *sel = NULL;

    g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &s, &e));
    sel = gtk_text_buffer_get_text (buffer, &s, &e, FALSE);
    g_test_message ("the finding selects “%s”", sel);
    g_assert_nonnull (strstr (sel, "frist_name"));
  }
  replace_in_buffer (buffer, "{{frist_name}}", "{{first_name}}");
  wait_for_lint (editor);
  g_assert_false (has_rule (editor, "merge-field-unknown"));
  /* No fallback yet: the Fix button adds one. */
  log_findings (editor, "after the field");
  row = finding_row (editor, "merge-field-no-fallback");
  if (row != NULL && fix_button (row) != NULL)
    {
      click (fix_button (row));
      wait_for_lint (editor);
    }

  /* The shortened link: the full one instead. */
  replace_in_buffer (buffer, "https://bit.ly/3hVx9Qz", "https://www." DOMAIN "/catalogue");
  wait_for_lint (editor);
  g_assert_false (has_rule (editor, "link-shortener"));

  /* Shouting: a calm subject. */
  set_text (w, "subject_entry", "Brass ball valves for {{company|your company}}");
  replace_in_buffer (buffer, "FREE SAMPLES for your company！", "Samples are free of charge.");
  wait_for_lint (editor);
  log_findings (editor, "calmer");

  /* The unsubscribe line: its Fix button adds it. */
  row = finding_row (editor, "missing-unsubscribe");
  g_assert_nonnull (row);
  if (fix_button (row) != NULL)
    click (fix_button (row));
  else
    type_into (buffer, "\nIf you would rather not hear from us again, just reply \"unsubscribe\".\n");
  wait_for_lint (editor);
  log_findings (editor, "after the unsubscribe line");
  g_assert_false (has_rule (editor, "missing-unsubscribe"));

  /* The Chinese punctuation in an English mail. */
  replace_in_buffer (buffer, "China。", "China. ");
  replace_in_buffer (buffer, "，\n", ",\n");
  wait_for_lint (editor);

  /* The picker: the signature at the end. */
  {
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_place_cursor (buffer, &end);
    gtk_widget_grab_focus (ob_ui_test_need_named (w, "body_view"));
    g_assert_true (gtk_widget_activate_action (w, "editor.insert-field", "s", "company"));
    wait_for_lint (editor);
  }
  log_findings (editor, "clean?");
  ob_ui_test_read_screen (w, "template clean");
  shot (GTK_WIDGET (main_window ()), "04-template-clean");

  /* Preview for a real contact, then for one with no first name. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_need_named (w, "preview_toggle")), TRUE);
  ob_ui_test_wait_ms (300);
  choose_contact (w, "anna@");
  g_test_message ("preview for Anna:\n%s", preview_text (w));
  g_assert_nonnull (strstr (preview_text (w), "Dear Anna"));
  ob_ui_test_read_screen (w, "preview for Anna");
  shot (GTK_WIDGET (main_window ()), "05-preview-anna");
  choose_contact (w, "info@porto");
  g_test_message ("preview for info@:\n%s", preview_text (w));
  g_assert_null (strstr (preview_text (w), "{{"));
  /* The fallback the Fix put in is English, as the mail is, whatever the
   * language of the desktop; and it is not "Dear there". */
  g_assert_nonnull (strstr (preview_text (w), "Dear Sir or Madam,"));
  ob_ui_test_read_screen (w, "preview for info@");
  shot (GTK_WIDGET (main_window ()), "06-preview-fallback");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_need_named (w, "preview_toggle")), FALSE);

  g_assert_true (gtk_widget_activate_action (w, "editor.save", NULL));
  ob_ui_test_wait_ms (300);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM templates"), ==, 1);
}

/* ---- B. the domain ---- */

static gboolean
domain_checked (gpointer data)
{
  GtkWidget *state = ob_ui_test_find_named (data, "result-stack");
  const char *name = state ? gtk_stack_get_visible_child_name (GTK_STACK (state)) : NULL;

  return name != NULL && !g_str_equal (name, "running") && !g_str_equal (name, "none");
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static char *
read_clipboard (void)
{
  char *text = NULL;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (main_window ())), NULL, read_text_cb, &text);
  while (text == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

static void
run_check (GtkWidget *page)
{
  g_assert_true (gtk_widget_activate_action (ob_ui_test_need_named (page, "domain-row"), "domain-health.check", NULL));
  g_assert_true (ob_ui_test_wait_until (domain_checked, page, 30000));
  ob_ui_test_wait_ms (300);
}

/* The finding rows of the result, each expanded, with problems logged. */
static guint
expand_findings (GtkWidget *root)
{
  guint n = 0;

  if (ADW_IS_EXPANDER_ROW (root))
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (root), TRUE);
      return 1;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += expand_findings (c);
  return n;
}

/* The value the Copy button of finding @id puts on the clipboard. */
static char *
copy_fix (GtkWidget  *page,
          const char *id)
{
  GtkWidget *row = ob_ui_test_find_named (ob_ui_test_need_named (page, "groups-box"), id);
  GtkWidget *copy;
  char *text;

  if (row == NULL)
    return NULL;
  copy = ob_ui_test_find_named (row, "copy-fix");
  if (copy == NULL)
    return NULL;
  g_signal_emit_by_name (copy, "clicked");
  ob_ui_test_wait_ms (200);
  text = read_clipboard ();
  g_test_message ("%s: copied “%s”", id, text);
  return text;
}

static void
check_domain (void)
{
  GtkWidget *page;
  const char *summary;
  g_autofree char *spf = NULL;
  g_autofree char *dmarc = NULL;

  show_page ("domain-health");
  page = page_of_type ("ObDomainHealthPage");
  ob_ui_test_read_screen (page, "domain health before");
  shot (GTK_WIDGET (main_window ()), "10-domain-empty");
  g_assert_true (gtk_widget_activate_action (ob_ui_test_need_named (page, "domain-row"), "domain-health.start", NULL));
  ob_ui_test_wait_ms (300);
  set_text (page, "domain-row", DOMAIN);
  set_text (page, "smtp-row", "smtp.qiye.aliyun.com");
  set_text (page, "selectors-row", "default");
  run_check (page);
  summary = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ob_ui_test_need_named (page, "summary-row")));
  g_test_message ("summary: %s", summary);
  g_assert_cmpuint (expand_findings (ob_ui_test_need_named (page, "groups-box")), >, 3);
  ob_ui_test_wait_ms (300);
  ob_ui_test_read_screen (page, "domain health result, expanded");
  shot (GTK_WIDGET (main_window ()), "11-domain-result");
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 1400);
  ob_ui_test_wait_ms (400);
  shot (GTK_WIDGET (main_window ()), "12-domain-result-tall");
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);

  /* The exact records to publish for Alibaba, copied. */
  spf = copy_fix (page, "spf-provider-missing");
  if (spf == NULL)
    {
      /* The id the check gives the wrong include. */
      GtkWidget *groups = ob_ui_test_need_named (page, "groups-box");
      for (GtkWidget *c = ob_ui_test_find_named (groups, "copy-fix"); c != NULL; c = NULL)
        {
          g_signal_emit_by_name (c, "clicked");
          ob_ui_test_wait_ms (200);
          spf = read_clipboard ();
        }
    }
  g_assert_nonnull (spf);
  g_assert_nonnull (strstr (spf, "include:spf.qiye.aliyun.com"));
  dmarc = copy_fix (page, "dmarc-missing");
  g_assert_nonnull (dmarc);
  g_assert_true (g_str_has_prefix (dmarc, "v=DMARC1"));

  /* Published (the zone as the user's DNS host now serves it), checked
   * again: it passes, without a restart. */
  g_clear_pointer (&dns, ob_test_dns_server_free);
  start_dns (TRUE);
  use_test_resolver ();
  run_check (page);
  summary = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ob_ui_test_need_named (page, "summary-row")));
  g_test_message ("summary after publishing: %s", summary);
  expand_findings (ob_ui_test_need_named (page, "groups-box"));
  ob_ui_test_wait_ms (300);
  ob_ui_test_read_screen (page, "domain health after publishing");
  shot (GTK_WIDGET (main_window ()), "13-domain-fixed");
  g_assert_null (ob_ui_test_find_named (page, "spf-provider-missing"));
  g_assert_null (ob_ui_test_find_named (page, "dmarc-missing"));
  g_assert_null (ob_ui_test_find_named (page, "dkim-missing"));
}

/* ---- B. the accounts ---- */

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
  g_assert_true (ob_ui_test_wait_until (result_ready, &result, 10000));
  return ob_keyring_lookup_password_finish (result, error);
}

/* The account assistant from a preset: the address, the preset's servers
 * and limit shown, then the servers pointed at loopback (the stand-in
 * for the provider), the password, the test. Returns the assistant on its
 * test step, the test finished. */
static ObAccountAssistant *
add_account (const char *email,
             const char *preset_host,
             const char *password,
             const char *shot_prefix)
{
  GtkWidget *page, *w;
  ObAccountAssistant *assistant;
  ObAccountTestView *view;
  g_autofree char *base = g_strdup_printf ("https://localhost:%u", ob_test_https_server_get_port (https));
  g_autofree char *name = NULL;
  gpointer args[2];

  show_page ("accounts");
  page = page_of_type ("ObAccountsPage");
  g_assert_true (gtk_widget_activate_action (page, "accounts.add", NULL));
  ob_ui_test_wait_ms (300);
  assistant = OB_ACCOUNT_ASSISTANT (ob_ui_test_find_toplevel (OB_TYPE_ACCOUNT_ASSISTANT));
  g_assert_nonnull (assistant);
  w = GTK_WIDGET (assistant);
  ob_account_assistant_set_autoconfig_base (assistant, base);
  ob_account_assistant_set_ca_file (assistant, ob_test_ca_pem ());
  set_text (w, "email", email);
  set_text (w, "sender-name", "Li Wei");
  click (ob_ui_test_need_named (w, "next"));
  args[0] = assistant;
  args[1] = (gpointer) "settings";
  g_assert_true (ob_ui_test_wait_until (assistant_step_is, args, 30000));
  ob_ui_test_wait_ms (600);
  g_test_message ("preset: %s; SMTP %s:%d; daily limit %d",
                  adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (ob_ui_test_need_named (w, "provider-group"))),
                  gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "smtp-host"))),
                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "smtp-port"))),
                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (ob_ui_test_need_named (w, "daily-limit"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "smtp-host"))), ==, preset_host);
  ob_ui_test_read_screen (w, "account preset");
  name = g_strdup_printf ("%s-preset", shot_prefix);
  shot (w, name);

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
  ob_ui_test_wait_ms (600);
  ob_ui_test_read_screen (w, "account password");
  g_free (name);
  name = g_strdup_printf ("%s-password", shot_prefix);
  shot (w, name);
  set_text (w, "password", password);
  click (ob_ui_test_need_named (w, "next"));
  view = OB_ACCOUNT_TEST_VIEW (ob_ui_test_need_named (w, "test-view"));
  g_assert_true (ob_ui_test_wait_until (account_test_done, view, 60000));
  {
    const ObAccountTestReport *report = ob_account_test_view_get_report (view);

    for (guint i = 0; i < report->steps->len; i++)
      {
        const ObAccountTestStep *s = g_ptr_array_index (report->steps, i);
        g_test_message ("%s %s %s: %s", s->ok ? "✓" : "✗", s->service, s->step, s->message);
      }
  }
  return assistant;
}

static void
finish_assistant (ObAccountAssistant *assistant)
{
  click (ob_ui_test_need_named (GTK_WIDGET (assistant), "next"));
  g_assert_true (ob_ui_test_wait_until (no_toplevel, GSIZE_TO_POINTER (OB_TYPE_ACCOUNT_ASSISTANT), 10000));
  ob_ui_test_wait_ms (300);
}

static void
first_account (void)
{
  ObAccountAssistant *assistant = add_account (SENDER, "smtp.qiye.aliyun.com", PASSWORD, "20-alibaba");
  ObAccountTestView *view = OB_ACCOUNT_TEST_VIEW (ob_ui_test_need_named (GTK_WIDGET (assistant), "test-view"));

  g_assert_true (ob_account_test_view_get_report (view)->ok);
  ob_ui_test_read_screen (GTK_WIDGET (assistant), "first account tested");
  shot (GTK_WIDGET (assistant), "21-alibaba-tested");
  finish_assistant (assistant);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM accounts"), ==, 1);
}

/* ---- A, continued: the test mail, a copy, a deletion undone ---- */

static gboolean
sent_at_least (gpointer data)
{
  return ob_test_smtp_server_count_messages (smtp) >= GPOINTER_TO_UINT (data);
}

/* The button under @root whose label reads @label (with its underline). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             const char *icon)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root) &&
      ((label != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0) ||
       (icon != NULL && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon) == 0)))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label, icon);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
undo_shown (gpointer data)
{
  return find_button (GTK_WIDGET (main_window ()), _("_Undo"), NULL) != NULL;
}

static guint
n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
templates_in_store_are (gpointer data)
{
  return ob_test_query_int (store (), "SELECT count(*) FROM templates") == GPOINTER_TO_INT (data);
}

static void
test_mail_and_copies (void)
{
  GtkWidget *page, *w, *list, *undo;
  g_autoptr(GPtrArray) messages = NULL;
  const char *mail;
  guint before = ob_test_smtp_server_count_messages (smtp);

  show_page ("templates");
  page = gtk_widget_get_parent (ob_ui_test_need_named (GTK_WIDGET (main_window ()), "templates_stack"));
  w = ob_ui_test_find_type (page, OB_TYPE_TEMPLATE_EDITOR);
  list = ob_ui_test_need_named (page, "template_list");

  /* A test to themselves, merged for the contact of the preview. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_need_named (w, "preview_toggle")), TRUE);
  ob_ui_test_wait_ms (200);
  choose_contact (w, "anna@");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ob_ui_test_need_named (w, "preview_toggle")), FALSE);
  g_assert_true (gtk_widget_activate_action (w, "editor.send-test", NULL));
  shot (GTK_WIDGET (main_window ()), "40-test-sending");
  g_assert_true (ob_ui_test_wait_until (sent_at_least, GUINT_TO_POINTER (before + 1), 30000));
  ob_ui_test_wait_ms (1500);
  ob_ui_test_read_screen (GTK_WIDGET (main_window ()), "test mail sent");
  shot (GTK_WIDGET (main_window ()), "41-test-sent");
  messages = ob_test_smtp_server_get_messages (smtp);
  mail = messages->pdata[messages->len - 1];
  g_test_message ("the test mail as it arrived:\n%s", mail);
  g_assert_nonnull (strstr (mail, "X-Harness-Rcpt-To: " SENDER));
  g_assert_nonnull (strstr (mail, "From: Li Wei <" SENDER ">"));
  g_assert_nonnull (strstr (mail, "List-Unsubscribe: <mailto:"));
  g_assert_nonnull (strstr (mail, "Message-Id: <") != NULL ? strstr (mail, "Message-Id: <") : strstr (mail, "Message-ID: <"));
  g_assert_nonnull (strstr (mail, "Dear Anna,"));
  /* The subject says it is a test, in the user's language (the test
   * goes to them), and it is the template's, merged. */
  {
    const char *line = strstr (mail, "\nSubject: ");
    g_autofree char *raw = NULL;
    g_autofree char *subject = NULL;
    g_autofree char *expected = g_strdup_printf (_("[Test] %s"), "Brass ball valves for Krämer Pumpen GmbH");

    g_assert_nonnull (line);
    /* Unfolded: a long encoded subject goes on over several lines. */
    {
      g_autoptr(GString) unfolded = g_string_new (NULL);
      const char *p = line + 10;

      for (;;)
        {
          gsize n = strcspn (p, "\r\n");

          g_string_append_len (unfolded, p, n);
          p += n;
          p += strspn (p, "\r\n");
          if (*p != ' ' && *p != '\t')
            break;
        }
      raw = g_string_free (g_steal_pointer (&unfolded), FALSE);
    }
    subject = g_mime_utils_header_decode_text (NULL, raw);
    g_test_message ("test mail subject: %s", subject);
    g_assert_cmpstr (subject, ==, expected);
  }

  /* A copy, to rework for another market. */
  g_assert_true (gtk_widget_activate_action (w, "templates.duplicate", NULL));
  ob_ui_test_wait_ms (400);
  g_assert_cmpuint (n_rows (list), ==, 2);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM templates"), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ob_ui_test_need_named (w, "name_entry"))), ==,
                   g_strdup_printf (_("%s (copy)"), "Valve offer"));
  ob_ui_test_read_screen (page, "duplicated");
  shot (GTK_WIDGET (main_window ()), "42-duplicated");

  /* Deleted: gone from the list at once, with Undo. */
  g_assert_true (gtk_widget_activate_action (w, "templates.delete", NULL));
  g_assert_true (ob_ui_test_wait_until (undo_shown, NULL, 5000));
  g_assert_cmpuint (n_rows (list), ==, 1);
  ob_ui_test_read_screen (GTK_WIDGET (main_window ()), "deleted, with undo");
  shot (GTK_WIDGET (main_window ()), "43-deleted-undo");
  undo = find_button (GTK_WIDGET (main_window ()), _("_Undo"), NULL);
  g_signal_emit_by_name (undo, "clicked");
  ob_ui_test_wait_ms (600);
  g_assert_cmpuint (n_rows (list), ==, 2);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM templates"), ==, 2);
  shot (GTK_WIDGET (main_window ()), "44-undone");

  /* Deleted again, and the toast let go: gone for good. */
  g_assert_true (gtk_widget_activate_action (w, "templates.delete", NULL));
  g_assert_true (ob_ui_test_wait_until (undo_shown, NULL, 5000));
  g_assert_cmpuint (n_rows (list), ==, 1);
  g_assert_true (ob_ui_test_wait_until (templates_in_store_are, GINT_TO_POINTER (1), 30000));
  g_assert_cmpuint (n_rows (list), ==, 1);
}

/* A second account at Tencent Exmail: a wrong password first. */
static void
second_account (void)
{
  ObAccountAssistant *assistant = add_account ("sales@yuhuan-brass.test", "smtp.exmail.qq.com", "wrong-pass", "30-exmail");
  GtkWidget *w = GTK_WIDGET (assistant);
  ObAccountTestView *view = OB_ACCOUNT_TEST_VIEW (ob_ui_test_need_named (w, "test-view"));
  const char *summary;
  GtkWidget *page, *dialog;
  gint64 id;
  g_autoptr(GError) error = NULL;
  char *password;
  gpointer args[2] = { assistant, (gpointer) "password" };

  g_assert_false (ob_account_test_view_get_report (view)->ok);
  summary = gtk_label_get_text (GTK_LABEL (ob_ui_test_need_named (w, "test-summary")));
  g_test_message ("wrong password: %s", summary);
  ob_ui_test_read_screen (w, "wrong password");
  shot (w, "31-exmail-wrong-password");

  click (ob_ui_test_need_named (w, "back"));
  g_assert_true (ob_ui_test_wait_until (assistant_step_is, args, 10000));
  set_text (w, "password", PASSWORD);
  click (ob_ui_test_need_named (w, "next"));
  g_assert_true (ob_ui_test_wait_until (account_test_done, view, 60000));
  g_assert_true (ob_account_test_view_get_report (view)->ok);
  shot (w, "32-exmail-tested");
  finish_assistant (assistant);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM accounts"), ==, 2);
  page = page_of_type ("ObAccountsPage");
  ob_ui_test_read_screen (page, "two accounts");
  shot (GTK_WIDGET (main_window ()), "33-accounts");

  /* Removed, after a confirmation; its password leaves the keyring. */
  id = ob_test_query_int (store (), "SELECT id FROM accounts WHERE email = 'sales@yuhuan-brass.test'");
  password = keyring_lookup (id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  ob_keyring_password_free (password);
  g_assert_true (gtk_widget_activate_action (page, "accounts.remove", "x", id));
  ob_ui_test_wait_ms (400);
  dialog = GTK_WIDGET (ob_ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  ob_ui_test_read_screen (dialog, "remove the account?");
  shot (dialog, "34-remove-account");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  ob_ui_test_wait_ms (600);
  g_assert_cmpint (ob_test_query_int (store (), "SELECT count(*) FROM accounts"), ==, 1);
  password = keyring_lookup (id, &error);
  g_assert_null (password);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
  ob_ui_test_read_screen (page, "one account left");
  shot (GTK_WIDGET (main_window ()), "35-account-removed");
}

/* ---- the walk ---- */

static void
test_walk (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "walk.db");

  g_setenv ("OUTBOUND_DB", db, TRUE);
  use_test_resolver ();

  g_application_activate (G_APPLICATION (app));
  g_assert_true (ob_ui_test_wait_until (have_main_window, NULL, 20000));
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);
  ob_ui_test_wait_ms (800);
  add_contacts ();

  write_template ();
  check_domain ();
  first_account ();
  test_mail_and_copies ();
  second_account ();

  gtk_window_destroy (GTK_WINDOW (main_window ()));
  ob_ui_test_wait_ms (100);
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

  app = ob_ui_test_new_application ();

  g_test_add_func ("/ui/walk-templates", test_walk);
  status = g_test_run ();

  g_clear_object (&app);
  g_clear_pointer (&https, ob_test_https_server_free);
  g_clear_pointer (&https_root, ob_test_dir_free);
  g_clear_pointer (&imap, ob_test_imap_server_free);
  g_clear_pointer (&smtp, ob_test_smtp_server_free);
  g_clear_pointer (&dns, ob_test_dns_server_free);
  g_clear_pointer (&dkim_value, g_free);
  g_clear_pointer (&keyring, ob_test_keyring_free);
  return status;
}
