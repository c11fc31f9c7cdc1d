/* test-domain-health-page.c — the Domain health page as a salesperson uses
 * it: the domain comes from their account, Check asks a real DNS server
 * (knot on loopback, chosen through the Preferences settings), the
 * findings appear grouped with their fixes, Copy puts a fix on the
 * clipboard, and the result is still there when the window opens again.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <math.h>
#include <string.h>

#include "ob-account.h"
#include "ob-application.h"
#include "ob-domain-check-store.h"
#include "ob-dns-settings.h"
#include "ob-domain-health-page.h"
#include "ob-preferences-window.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"
#include "ob-ui-test.h"
#include "ob-window.h"

/* One application per process: GApplication registers its D-Bus path once. */
static ObApplication *app;
static ObTestDnsServer *dns_server;

/* What the broken domain's SPF fix must be: its own record with Google's
 * include added before "~all". */
#define BROKEN_SPF_FIX "v=spf1 mx include:_spf.google.com ~all"

typedef struct
{
  ObTestDir *dir;
  char      *db;
  ObWindow  *window;
} Fixture;

/* ---- waiting and finding ---- */

static void
collect_type (GtkWidget *root,
              GType      type,
              GPtrArray *out)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, out);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_type (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);
  return NULL;
}

static GtkWidget *
page_widget (Fixture    *f,
             const char *name)
{
  GtkWidget *w = ob_ui_test_find_named (GTK_WIDGET (f->window), name);

  g_assert_nonnull (w);
  return w;
}

/* How many buttons on screen run the check. */
static guint
count_shown_check_buttons (Fixture *f)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint n = 0;

  collect_type (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);

      if (gtk_widget_get_mapped (b)
          && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (b)), "domain-health.check") == 0)
        n++;
    }
  return n;
}

static const char *
result_state (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (page_widget (f, "result-stack")));
}

/* Runs the main loop until the check is over (or 30 s have passed). */
static void
wait_for_check (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_strcmp0 (result_state (f), "running") == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (result_state (f), !=, "running");
  ob_ui_test_wait_ms (300);
}

/* Runs the main loop until @widget is mapped (an expander row's revealer
 * animates), for at most 5 s. */
static void
wait_mapped (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

/* The finding ids shown, in order, as "id:severity-class". */
static char *
shown_findings (Fixture *f)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GString) s = g_string_new (NULL);

  collect_type (page_widget (f, "groups-box"), ADW_TYPE_EXPANDER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autoptr(GPtrArray) images = g_ptr_array_new ();
      const char *level = "?";

      collect_type (row, GTK_TYPE_IMAGE, images);
      for (guint k = 0; k < images->len; k++)
        {
          GtkWidget *image = g_ptr_array_index (images, k);

          for (const char * const *c = (const char *[]) { "error", "warning", "accent", "success", NULL }; *c; c++)
            if (gtk_widget_has_css_class (image, *c))
              level = *c;
        }
      g_string_append_printf (s, "%s%s:%s", i ? " " : "", gtk_widget_get_name (row), level);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
shown_groups (Fixture *f)
{
  GtkWidget *box = page_widget (f, "groups-box");
  g_autoptr(GString) s = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child; child = gtk_widget_get_next_sibling (child))
    g_string_append_printf (s, "%s%s/%s", s->len ? " " : "", gtk_widget_get_name (child),
                            adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Scrolls the page so that @widget is at the top. */
static void
scroll_to (Fixture   *f,
           GtkWidget *widget)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (page_widget (f, "scroller"));
  double x = 0, y = 0;

  g_assert_true (gtk_widget_translate_coordinates (widget, gtk_scrolled_window_get_child (scroller), 0, 0, &x, &y));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scroller), y - 12);
  ob_ui_test_wait_ms (200);
}

/* ---- screenshots (as tests/ui/test-window.c takes them) ---- */

static void
save_screenshot (Fixture    *f,
                 const char *name,
                 double     *mean_out)
{
  const char *dir = g_getenv ("OUTBOUND_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (f->window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *data = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));
  int width = gtk_widget_get_width (GTK_WIDGET (f->window));
  int height = gtk_widget_get_height (GTK_WIDGET (f->window));
  double sum = 0, sum2 = 0, mean;
  gsize n = (gsize) width * height;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  data = g_malloc ((gsize) width * 4 * height);
  gdk_texture_download (texture, data, width * 4);
  for (gsize i = 0; i < n; i++)
    {
      double y = 0.0722 * data[i * 4] + 0.7152 * data[i * 4 + 1] + 0.2126 * data[i * 4 + 2];

      sum += y;
      sum2 += y * y;
    }
  mean = sum / n;
  g_test_message ("%s: %dx%d, mean luma %.1f, stddev %.1f", name, width, height, mean,
                  sqrt (MAX (0.0, sum2 / n - mean * mean)));
  g_assert_cmpfloat (sqrt (MAX (0.0, sum2 / n - mean * mean)), >, 8.0);
  *mean_out = mean;

  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* ---- zones ---- */

/* A fresh RSA key of @bits as a DKIM record value. */
static char *
dkim_record (guint bits)
{
  gnutls_privkey_t priv;
  gnutls_pubkey_t pub;
  gnutls_datum_t der = { NULL, 0 };
  g_autofree char *b64 = NULL;

  g_assert_cmpint (gnutls_privkey_init (&priv), ==, 0);
  g_assert_cmpint (gnutls_privkey_generate (priv, GNUTLS_PK_RSA, bits, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&pub), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, priv, 0, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_DER, &der), ==, 0);
  b64 = g_base64_encode (der.data, der.size);
  gnutls_free (der.data);
  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (priv);
  return g_strdup_printf ("v=DKIM1; k=rsa; p=%s", b64);
}

/* A TXT value as master-file character-strings of at most 255 bytes. */
static char *
quoted (const char *value)
{
  GString *s = g_string_new (NULL);
  gsize len = strlen (value);

  for (gsize i = 0; i < len; i += 200)
    g_string_append_printf (s, "%s\"%.*s\"", i ? " " : "", (int) MIN (200, len - i), value + i);
  return g_string_free (s, FALSE);
}

static void
start_dns_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *strong = dkim_record (2048);
  g_autofree char *weak = dkim_record (1024);
  g_autofree char *strong_q = quoted (strong);
  g_autofree char *weak_q = quoted (weak);
  g_autofree char *good = NULL;
  g_autofree char *broken = NULL;
  const char *zones[7] = { NULL };

  /* Well configured: SPF with the provider, a 2048-bit key, DMARC reject
   * with reports, TLS reports. No MTA-STS: that is only a note. */
  good = g_strdup_printf ("$ORIGIN good.test.\n$TTL 300\n"
                          "@ MX 10 mx1\nmx1 A 192.0.2.10\n"
                          "@ TXT \"v=spf1 mx include:_spf.google.com ~all\"\n"
                          "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@good.test\"\n"
                          "google._domainkey TXT %s\n"
                          "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tls@good.test\"\n",
                          strong_q);
  /* Broken: no DMARC, SPF without Google's include, a 1024-bit key. */
  broken = g_strdup_printf ("$ORIGIN broken.test.\n$TTL 300\n"
                            "@ MX 10 mx1\nmx1 A 192.0.2.20\n"
                            "@ TXT \"v=spf1 mx ~all\"\n"
                            "google._domainkey TXT %s\n",
                            weak_q);
  zones[0] = good;
  zones[1] = broken;
  zones[2] = "$ORIGIN google.com.\n"
             "_spf TXT \"v=spf1 include:_netblocks.google.com ~all\"\n"
             "_netblocks TXT \"v=spf1 ip4:35.190.247.0/24 ~all\"\n";
  zones[3] = "$ORIGIN gmail.com.\nsmtp A 142.250.1.108\n";
  /* The provider's server is listed on SpamCop: a note, not the user's fault. */
  zones[4] = "$ORIGIN bl.spamcop.net.\n108.1.250.142 A 127.0.0.2\n";
  dns_server = ob_test_dns_server_start (zones, &error);
  g_assert_no_error (error);
}

/* ---- fixture ---- */

static void
use_test_resolver (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = g_strdup_printf ("udp://127.0.0.1:%u", ob_test_dns_server_get_port (dns_server));

  g_settings_set_string (settings, "dns-resolver", "custom");
  g_settings_set_string (settings, "dns-custom-url", url);
}

static void
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (f->db, &error);

  g_assert_no_error (error);
  f->window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  ob_ui_test_wait_ms (800);
}

static void
close_window (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  ob_ui_test_wait_ms (50);
}

static void
show_page (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "domain-health"));
  ob_ui_test_wait_ms (400);
  g_assert_cmpstr (ob_window_get_page (f->window), ==, "domain-health");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = ob_test_dir_new ();
  f->db = ob_test_dir_file (f->dir, "ui.db");
  g_setenv ("OUTBOUND_DB", f->db, TRUE);
  use_test_resolver ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window)
    close_window (f);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_unsetenv ("OUTBOUND_DB");
  g_free (f->db);
  ob_test_dir_free (f->dir);
}

static void
add_account (Fixture    *f,
             const char *email,
             const char *smtp_host)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (f->db, &error);
  g_autoptr(ObAccount) account = ob_account_new (email);

  g_assert_no_error (error);
  ob_account_set_smtp (account, smtp_host, 465, OB_MAIL_SECURITY_TLS);
  g_assert_cmpint (ob_account_store_add (store, account, &error), >, 0);
  g_assert_no_error (error);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (Fixture *f)
{
  char *text = NULL;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL, read_text_cb, &text);
  while (text == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

/* ---- tests ---- */

/* The empty state is what a new user sees; its button leads to the form. */
static void
test_empty_state (Fixture       *f,
                  gconstpointer  data)
{
  GtkStack *main_stack;

  open_window (f);
  show_page (f);
  main_stack = GTK_STACK (page_widget (f, "main-stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "empty");
  g_assert_nonnull (find_label (GTK_WIDGET (main_stack), "_Check a Domain…"));

  g_assert_true (gtk_widget_activate_action (page_widget (f, "domain-row"), "domain-health.start", NULL));
  ob_ui_test_wait_ms (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "content");
  g_assert_true (gtk_widget_is_focus (page_widget (f, "domain-row"))
                 || gtk_widget_get_focus_child (page_widget (f, "domain-row")) != NULL);
  g_assert_cmpstr (result_state (f), ==, "none");
  /* Nothing typed: nothing to check. */
  g_assert_false (gtk_widget_get_sensitive (page_widget (f, "check-button")));
}

/* A bad custom resolver address is a clear error on the page. */
static void
test_bad_resolver (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *error_page;

  g_settings_set_string (settings, "dns-custom-url", "udp://dns.example:53");
  open_window (f);
  show_page (f);
  gtk_widget_activate_action (page_widget (f, "domain-row"), "domain-health.start", NULL);
  gtk_editable_set_text (GTK_EDITABLE (page_widget (f, "domain-row")), "broken.test");
  g_signal_emit_by_name (page_widget (f, "domain-row"), "entry-activated");
  ob_ui_test_wait_ms (200);
  g_assert_cmpstr (result_state (f), ==, "error");
  error_page = page_widget (f, "error-page");
  g_test_message ("error: %s", adw_status_page_get_description (ADW_STATUS_PAGE (error_page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "Preferences"));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "dns.example"));
  g_assert_true (gtk_widget_get_visible (page_widget (f, "preferences-button")));

  /* Custom without any address. */
  g_settings_set_string (settings, "dns-custom-url", "  ");
  g_signal_emit_by_name (page_widget (f, "check-button"), "clicked");
  ob_ui_test_wait_ms (200);
  g_assert_cmpstr (result_state (f), ==, "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "empty"));

  /* A typed address is not a domain: said so, and the resolver is not the problem. */
  use_test_resolver ();
  gtk_editable_set_text (GTK_EDITABLE (page_widget (f, "domain-row")), "broken test");
  g_signal_emit_by_name (page_widget (f, "check-button"), "clicked");
  ob_ui_test_wait_ms (200);
  g_assert_cmpstr (result_state (f), ==, "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "broken test"));
  g_assert_false (gtk_widget_get_visible (page_widget (f, "preferences-button")));
  g_assert_true (gtk_widget_has_css_class (page_widget (f, "domain-row"), "error"));

  /* Nothing was kept. */
  {
    g_autoptr(ObStore) store = ob_store_open (f->db, NULL);
    g_auto(GStrv) domains = ob_domain_check_store_list_domains (store, NULL);

    g_assert_cmpuint (g_strv_length (domains), ==, 0);

    /* A damaged remembered result is said so, not shown half. */
    g_assert_true (ob_store_exec (store, "INSERT INTO domain_checks VALUES ('damaged.test', NULL, 5, '{\"findings\": [')", NULL));
  }
  g_assert_true (gtk_widget_activate_action (page_widget (f, "domain-row"), "domain-health.choose-domain", "s", "damaged.test"));
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr (result_state (f), ==, "error");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "damaged.test"));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "damaged"));
}

/* Preferences offer the core's presets the settings schema knows, plus a
 * custom address, and the page builds its resolver from that choice. */
static void
test_resolver_choices (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) choices = ob_dns_settings_list_choices (settings);
  g_autofree char *joined = g_strjoinv (" ", choices);
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  const ObDnsResolverPreset *presets;
  GtkWidget *prefs;
  AdwComboRow *combo;
  GtkWidget *url_row;
  GListModel *model;
  guint n_presets = 0;

  g_assert_cmpstr (joined, ==, "system alidns dnspod cloudflare google quad9 custom");
  presets = ob_dns_resolver_get_presets (&n_presets);
  for (guint i = 0; choices[i] && !g_str_equal (choices[i], "custom"); i++)
    {
      g_autofree char *spec = NULL;
      g_autoptr(ObDnsResolver) resolver = NULL;
      g_autoptr(GError) error = NULL;
      const char *expected = NULL;

      for (guint k = 0; k < n_presets; k++)
        if (g_str_equal (presets[k].id, choices[i]))
          expected = presets[k].spec;
      g_settings_set_string (settings, "dns-resolver", choices[i]);
      spec = ob_dns_settings_get_spec (settings, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (spec, ==, expected);
      resolver = ob_dns_settings_new_resolver (settings, &error);
      g_assert_no_error (error);
      g_assert_nonnull (resolver);
    }
  g_settings_set_string (settings, "dns-resolver", "alidns");
  {
    g_autofree char *spec = ob_dns_settings_get_spec (settings, NULL);

    g_assert_cmpstr (spec, ==, "https://dns.alidns.com/dns-query");
  }

  /* The Preferences combo lists the same choices, by name, and writes the id. */
  prefs = GTK_WIDGET (ob_preferences_window_new ());
  gtk_window_present (GTK_WINDOW (prefs));
  ob_ui_test_wait_ms (300);
  collect_type (prefs, ADW_TYPE_COMBO_ROW, combos);
  collect_type (prefs, ADW_TYPE_ENTRY_ROW, entries);
  g_assert_cmpuint (combos->len, ==, 1);
  /* The custom resolver address, and the bounce folder of the mailbox checks. */
  g_assert_cmpuint (entries->len, ==, 2);
  combo = g_ptr_array_index (combos, 0);
  url_row = ob_ui_test_find_named (prefs, "resolver_url_row");
  g_assert_nonnull (url_row);
  model = adw_combo_row_get_model (combo);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, g_strv_length (choices));
  for (guint i = 0; choices[i]; i++)
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), i), ==, ob_dns_settings_choice_name (choices[i]));
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 1);
  g_assert_false (gtk_widget_get_visible (url_row));

  adw_combo_row_set_selected (combo, 2);
  {
    g_autofree char *id = g_settings_get_string (settings, "dns-resolver");

    g_assert_cmpstr (id, ==, "dnspod");
  }
  adw_combo_row_set_selected (combo, g_strv_length (choices) - 1);
  {
    g_autofree char *id = g_settings_get_string (settings, "dns-resolver");

    g_assert_cmpstr (id, ==, "custom");
  }
  g_assert_true (gtk_widget_get_visible (url_row));
  gtk_editable_set_text (GTK_EDITABLE (url_row), "udp://dns.example:53");
  ob_ui_test_wait_ms (50);
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (url_row), "udp://127.0.0.1:5353");
  ob_ui_test_wait_ms (50);
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  {
    g_autofree char *spec = ob_dns_settings_get_spec (settings, NULL);

    g_assert_cmpstr (spec, ==, "udp://127.0.0.1:5353");
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
  ob_ui_test_wait_ms (50);
}

static void
test_check_copy_remember (Fixture       *f,
                          gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *groups = NULL;
  g_autofree char *findings = NULL;
  g_autofree char *clip = NULL;
  GtkWidget *row, *copy, *value_label;
  double mean;

  add_account (f, "sales@broken.test", "smtp.gmail.com");
  open_window (f);
  show_page (f);

  /* Prefilled from the account. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_widget (f, "main-stack"))), ==, "content");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (f, "domain-row"))), ==, "broken.test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (f, "smtp-row"))), ==, "smtp.gmail.com");
  g_assert_cmpstr (result_state (f), ==, "none");

  /* Enter in the domain field checks. */
  g_signal_emit_by_name (page_widget (f, "domain-row"), "entry-activated");
  g_assert_cmpstr (result_state (f), ==, "running");
  g_assert_false (gtk_widget_get_sensitive (page_widget (f, "check-button")));
  g_assert_true (gtk_widget_get_sensitive (page_widget (f, "cancel-button")));
  wait_for_check (f);
  g_assert_cmpstr (result_state (f), ==, "results");
  /* One way to check again, not a Check and a Re-check side by side. */
  g_assert_cmpuint (count_shown_check_buttons (f), ==, 1);

  groups = shown_groups (f);
  findings = shown_findings (f);
  g_test_message ("groups: %s", groups);
  g_test_message ("findings: %s", findings);
  g_assert_cmpstr (groups, ==, "spf/SPF dkim/DKIM dmarc/DMARC mx/MX transport/Transport Security reputation/Reputation");
  g_assert_cmpstr (findings, ==,
                   "spf-provider-missing:error spf-ok:success "
                   "dkim-weak-key:warning "
                   "dmarc-missing:error "
                   "mx-ok:success "
                   "mta-sts-missing:accent tls-rpt-missing:accent "
                   "dnsbl-listed:accent");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (page_widget (f, "summary-row"))),
                   ==, "2 problems to fix, 1 warning");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page_widget (f, "summary-row"))),
                            "broken.test via smtp.gmail.com, checked just now"));

  /* Kept for the campaign review. */
  {
    g_autoptr(ObStore) store = ob_store_open (f->db, NULL);
    g_autoptr(ObDomainHealthSummary) summary = ob_domain_health_summary_for_domain (store, "broken.test", NULL);

    g_assert_nonnull (summary);
    g_assert_cmpint (summary->worst, ==, OB_DOMAIN_HEALTH_ERROR);
    g_assert_cmpuint (summary->n_errors, ==, 2);
    g_assert_cmpuint (summary->n_warnings, ==, 1);
    g_assert_cmpstr (summary->smtp_host, ==, "smtp.gmail.com");
  }

  /* Expand the SPF problem: the explanation and the record to publish. */
  row = page_widget (f, "spf-provider-missing");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  ob_ui_test_wait_ms (400);
  value_label = ob_ui_test_find_named (row, "fix-value");
  g_assert_nonnull (value_label);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value_label)), ==, BROKEN_SPF_FIX);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (value_label)));
  g_assert_true (gtk_widget_has_css_class (value_label, "monospace"));
  g_assert_nonnull (find_label (row, "broken.test"));
  wait_mapped (value_label);

  scroll_to (f, page_widget (f, "summary-row"));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ob_ui_test_wait_ms (400);
  save_screenshot (f, "domain-health-results-light", &mean);
  g_assert_cmpfloat (mean, >, 160);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ob_ui_test_wait_ms (400);
  save_screenshot (f, "domain-health-results-dark", &mean);
  g_assert_cmpfloat (mean, <, 100);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);

  copy = ob_ui_test_find_named (row, "copy-fix");
  g_assert_nonnull (copy);
  g_signal_emit_by_name (copy, "clicked");
  ob_ui_test_wait_ms (200);
  clip = read_clipboard (f);
  g_assert_cmpstr (clip, ==, BROKEN_SPF_FIX);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window), "Copied"));

  /* The toast goes away by itself. */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (find_label (GTK_WIDGET (f->window), "Copied") && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_assert_null (find_label (GTK_WIDGET (f->window), "Copied"));
  }

  /* Another domain: typed, nothing remembered yet, then checked with the button. */
  gtk_editable_set_text (GTK_EDITABLE (page_widget (f, "domain-row")), "Good.test");
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr (result_state (f), ==, "none");
  g_signal_emit_by_name (page_widget (f, "check-button"), "clicked");
  wait_for_check (f);
  g_assert_cmpstr (result_state (f), ==, "results");
  g_clear_pointer (&findings, g_free);
  findings = shown_findings (f);
  g_test_message ("good findings: %s", findings);
  g_assert_null (strstr (findings, ":error"));
  g_assert_null (strstr (findings, ":warning"));
  g_assert_null (strstr (findings, ":?"));
  g_assert_nonnull (strstr (findings, "spf-provider-ok:success"));
  g_assert_nonnull (strstr (findings, "dkim-ok:success"));
  g_assert_nonnull (strstr (findings, "dmarc-ok:success"));
  g_assert_nonnull (strstr (findings, "mx-ok:success"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (page_widget (f, "summary-row"))),
                   ==, "No problems found");
  scroll_to (f, page_widget (f, "summary-row"));
  save_screenshot (f, "domain-health-good", &mean);

  /* The domain menu offers the account and the other checked domain. */
  {
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (page_widget (f, "domains-button")));
    g_autoptr(GMenuModel) accounts = NULL;
    g_autoptr(GMenuModel) checked = NULL;
    g_autofree char *label = NULL;
    g_autofree char *item = NULL;
    g_autofree char *item2 = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, "Your Accounts");
    accounts = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
    checked = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
    g_assert_cmpint (g_menu_model_get_n_items (accounts), ==, 1);
    g_assert_true (g_menu_model_get_item_attribute (accounts, 0, G_MENU_ATTRIBUTE_LABEL, "s", &item));
    g_assert_cmpstr (item, ==, "sales@broken.test");
    g_assert_cmpint (g_menu_model_get_n_items (checked), ==, 1);
    g_assert_true (g_menu_model_get_item_attribute (checked, 0, G_MENU_ATTRIBUTE_LABEL, "s", &item2));
    g_assert_cmpstr (item2, ==, "good.test");
  }

  /* Back to the first domain: its result is shown again without a check. */
  gtk_editable_set_text (GTK_EDITABLE (page_widget (f, "domain-row")), "broken.test");
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr (result_state (f), ==, "results");
  g_assert_nonnull (ob_ui_test_find_named (page_widget (f, "groups-box"), "dmarc-missing"));

  /* At phone width the page still fits. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
  ob_ui_test_wait_ms (800);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (page_widget (f, "spf-provider-missing")), TRUE);
  ob_ui_test_wait_ms (400);
  scroll_to (f, page_widget (f, "summary-row"));
  save_screenshot (f, "domain-health-narrow", &mean);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 360);

  /* The window opens again: the account's domain and its last result. */
  close_window (f);
  open_window (f);
  show_page (f);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (f, "domain-row"))), ==, "broken.test");
  g_assert_cmpstr (result_state (f), ==, "results");
  g_clear_pointer (&findings, g_free);
  findings = shown_findings (f);
  g_assert_nonnull (strstr (findings, "spf-provider-missing:error"));
  g_assert_nonnull (strstr (findings, "dmarc-missing:error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (page_widget (f, "summary-row"))),
                            "checked just now"));

  /* …and the other domain from the menu of checked domains, then the
   * account again (its domain and SMTP server). */
  g_assert_true (gtk_widget_activate_action (page_widget (f, "domain-row"), "domain-health.choose-domain", "s", "good.test"));
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (f, "domain-row"))), ==, "good.test");
  g_assert_cmpstr (result_state (f), ==, "results");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (page_widget (f, "summary-row"))),
                   ==, "No problems found");
  gtk_editable_set_text (GTK_EDITABLE (page_widget (f, "smtp-row")), "");
  {
    g_autoptr(ObStore) store = ob_store_open (f->db, NULL);
    g_autoptr(GPtrArray) accounts = ob_account_store_list (store, NULL);

    g_assert_cmpuint (accounts->len, ==, 1);
    g_assert_true (gtk_widget_activate_action (page_widget (f, "domain-row"), "domain-health.choose-account", "x",
                                               ob_account_get_id (g_ptr_array_index (accounts, 0))));
  }
  ob_ui_test_wait_ms (100);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (f, "domain-row"))), ==, "broken.test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_widget (f, "smtp-row"))), ==, "smtp.gmail.com");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (page_widget (f, "summary-row"))),
                   ==, "2 problems to fix, 1 warning");
}

/* Cancel stops a check: the remembered result stays as it was. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ObStore) store = NULL;
  g_auto(GStrv) domains = NULL;

  open_window (f);
  show_page (f);
  gtk_widget_activate_action (page_widget (f, "domain-row"), "domain-health.start", NULL);
  gtk_editable_set_text (GTK_EDITABLE (page_widget (f, "domain-row")), "broken.test");
  g_signal_emit_by_name (page_widget (f, "check-button"), "clicked");
  g_assert_cmpstr (result_state (f), ==, "running");
  g_signal_emit_by_name (page_widget (f, "cancel-button"), "clicked");
  wait_for_check (f);
  g_assert_cmpstr (result_state (f), ==, "none");
  g_assert_true (gtk_widget_get_sensitive (page_widget (f, "check-button")));

  store = ob_store_open (f->db, NULL);
  domains = ob_domain_check_store_list_domains (store, NULL);
  g_assert_cmpuint (g_strv_length (domains), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  start_dns_server ();

  app = ob_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/ui/domain-health/empty-state", Fixture, NULL,
              fixture_set_up, test_empty_state, fixture_tear_down);
  g_test_add ("/ui/domain-health/bad-resolver", Fixture, NULL,
              fixture_set_up, test_bad_resolver, fixture_tear_down);
  g_test_add ("/ui/domain-health/resolver-choices", Fixture, NULL,
              fixture_set_up, test_resolver_choices, fixture_tear_down);
  g_test_add ("/ui/domain-health/check-copy-remember", Fixture, NULL,
              fixture_set_up, test_check_copy_remember, fixture_tear_down);
  g_test_add ("/ui/domain-health/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  ob_test_dns_server_free (dns_server);
  return status;
}
