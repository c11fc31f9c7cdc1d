/* ob-account-assistant.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-account-assistant"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-account-assistant.h"
#include "ob-account-server-settings.h"
#include "ob-account-test-log.h"
#include "ob-account-test-view.h"
#include "ob-account.h"
#include "ob-dns-settings.h"
#include "ob-keyring.h"
#include "ob-provider.h"

struct _ObAccountAssistant
{
  AdwWindow                parent_instance;

  ObStore                 *store;
  ObDnsResolver           *resolver;
  char                    *autoconfig_base;
  char                    *ca_file;

  /* The address the servers were looked up for, and what was found. */
  char                    *detected_email;
  ObAccount               *account;
  const ObProvider        *provider;
  GCancellable            *cancellable;
  gboolean                 saving;

  AdwWindowTitle          *window_title;
  GtkButton               *back_button;
  GtkButton               *next_button;
  GtkInfoBar              *error_bar;
  GtkLabel                *error_label;
  GtkStack                *stack;
  AdwEntryRow             *email_row;
  AdwEntryRow             *name_row;
  AdwStatusPage           *detecting_page;
  GtkSpinner              *detecting_spinner;
  AdwPreferencesGroup     *provider_group;
  GtkSpinButton           *daily_limit;
  ObAccountServerSettings *server_settings;
  AdwPreferencesGroup     *advice_group;
  GPtrArray               *advice_rows;
  GtkLabel                *password_label;
  GtkPasswordEntry        *password_entry;
  GtkLabel                *test_summary;
  ObAccountTestView       *test_view;
  GtkButton               *retest_button;
};

G_DEFINE_FINAL_TYPE (ObAccountAssistant, ob_account_assistant, ADW_TYPE_WINDOW)

enum {
  ACCOUNT_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static void
show_error (ObAccountAssistant *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_info_bar_set_revealed (self->error_bar, TRUE);
}

static void
hide_error (ObAccountAssistant *self)
{
  gtk_info_bar_set_revealed (self->error_bar, FALSE);
}

static char *
dup_trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static char *
dup_email (ObAccountAssistant *self)
{
  return dup_trimmed (GTK_EDITABLE (self->email_row));
}

/* A quick check before any lookup; the account store checks again. */
static gboolean
check_email (const char  *email,
             GError     **error)
{
  const char *at = strrchr (email, '@');

  if (at == NULL || at == email || strchr (at + 1, '.') == NULL ||
      at[1] == '.' || g_str_has_suffix (email, ".") ||
      strpbrk (email, " \t\r\n<>,;\"") != NULL)
    {
      g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
                   _("“%s” is not a complete email address. Type it as name@company.com."), email);
      return FALSE;
    }
  return TRUE;
}

/* The resolver Preferences chose; the system's when that one cannot be
 * used (a custom address left empty), so the account can still be set up. */
static ObDnsResolver *
dup_default_resolver (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  ObDnsResolver *resolver = ob_dns_settings_new_resolver (settings, &error);

  if (resolver == NULL)
    {
      g_warning ("%s Using the system’s resolver.", error->message);
      resolver = ob_dns_resolver_new_for_spec ("system", NULL);
    }
  return resolver;
}

static void
update_buttons (ObAccountAssistant *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  gboolean running = ob_account_test_view_is_running (self->test_view);
  const ObAccountTestReport *report;
  gboolean failed;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !g_str_equal (step, "address"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !self->saving);

  report = ob_account_test_view_get_report (self->test_view);
  failed = g_str_equal (step, "test") && !running && report != NULL && !report->ok;
  if (failed)
    gtk_button_set_label (self->next_button, _("Save _Anyway"));
  else if (g_str_equal (step, "test"))
    gtk_button_set_label (self->next_button, _("_Finish"));
  else
    gtk_button_set_label (self->next_button, _("_Next"));
  /* A failed test is not the step we suggest to take. */
  if (failed)
    gtk_widget_remove_css_class (GTK_WIDGET (self->next_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->next_button), "suggested-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button),
                            !self->saving && !running && !g_str_equal (step, "detecting"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->retest_button), !self->saving && !running);
}

static void
go_to (ObAccountAssistant *self,
       const char         *step)
{
  hide_error (self);
  gtk_stack_set_visible_child_name (self->stack, step);
  update_buttons (self);
}

static void
cancel_lookup (ObAccountAssistant *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  gtk_spinner_stop (self->detecting_spinner);
}

/* The account as the fields describe it now. */
static ObAccount *
build_account (ObAccountAssistant  *self,
               GError             **error)
{
  g_autofree char *email = dup_email (self);
  g_autofree char *name = dup_trimmed (GTK_EDITABLE (self->name_row));
  g_autoptr(ObAccount) account = ob_account_new (email);

  if (!ob_account_server_settings_apply (self->server_settings, account, error))
    return NULL;
  ob_account_set_display_name (account, *name ? name : NULL);
  ob_account_set_provider (account, self->provider ? self->provider->id : NULL);
  ob_account_set_daily_limit (account, gtk_spin_button_get_value_as_int (self->daily_limit));
  if (self->ca_file != NULL)
    ob_account_set_ca_file (account, self->ca_file);
  return g_steal_pointer (&account);
}

/* The provider's quirks, each a row in plain words. */
static void
show_advice (ObAccountAssistant *self)
{
  g_auto(GStrv) advice = NULL;
  ObProviderQuirks quirks = self->provider ? self->provider->quirks : 0;

  for (guint i = 0; i < self->advice_rows->len; i++)
    adw_preferences_group_remove (self->advice_group, g_ptr_array_index (self->advice_rows, i));
  g_ptr_array_set_size (self->advice_rows, 0);

  /* The provider's name goes in the description, which wraps at phone
   * width; a title would be cut short. */
  adw_preferences_group_set_title (self->advice_group, _("Before You Sign In"));
  if (self->provider != NULL)
    {
      g_autofree char *description = g_strdup_printf (_("What %s asks of mail programs such as Outbound:"),
                                                      _(self->provider->name));
      g_autofree char *escaped = g_markup_escape_text (description, -1);

      adw_preferences_group_set_description (self->advice_group, escaped);
      advice = ob_provider_dup_advice (self->provider);
    }
  else
    {
      const char *generic[] = {
        _("Use the password of your mailbox. If your provider gives mail programs their own password (an app password or an authorisation code), use that instead."),
        NULL,
      };

      adw_preferences_group_set_description (self->advice_group, NULL);
      advice = g_strdupv ((char **) generic);
    }

  for (guint i = 0; advice[i] != NULL; i++)
    {
      /* A plain row with a wrapping label: an action row's title does not
       * always wrap long lines without spaces (Chinese) inside the row. */
      GtkWidget *row = adw_preferences_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon;
      GtkWidget *label = gtk_label_new (advice[i]);
      gboolean blocking = i == 0 && (quirks & OB_PROVIDER_QUIRK_OAUTH_ONLY);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), advice[i]);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      icon = gtk_image_new_from_icon_name (blocking ? "dialog-warning-symbolic" : "dialog-information-symbolic");
      if (blocking)
        gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      blocking ? _("Warning") : _("Note"), -1);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_margin_top (box, 12);
      gtk_widget_set_margin_bottom (box, 12);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      adw_preferences_group_add (self->advice_group, row);
      g_ptr_array_add (self->advice_rows, row);
    }

  if (quirks & OB_PROVIDER_QUIRK_AUTH_CODE)
    gtk_label_set_text_with_mnemonic (self->password_label, _("_Authorisation Code (授权码)"));
  else if (quirks & OB_PROVIDER_QUIRK_APP_PASSWORD)
    gtk_label_set_text_with_mnemonic (self->password_label, _("_App Password"));
  else
    gtk_label_set_text_with_mnemonic (self->password_label, _("_Password"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->password_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (self->password_label), -1);
}

/* Fills the servers page from what the lookup found. */
static void
apply_detection (ObAccountAssistant        *self,
                 const char                *email,
                 const ObProviderDetection *detection)
{
  const char *domain = strrchr (email, '@') + 1;
  g_autoptr(ObAccount) account = NULL;
  g_autofree char *description = NULL;
  const char *title;

  self->provider = NULL;
  switch (detection->found_by)
    {
    case OB_PROVIDER_FOUND_BY_DOMAIN:
    case OB_PROVIDER_FOUND_BY_MX:
      self->provider = detection->provider;
      account = ob_account_new_from_preset (email, detection->provider->id);
      title = _(detection->provider->name);
      if (detection->found_by == OB_PROVIDER_FOUND_BY_DOMAIN)
        description = g_strdup_printf (_("Outbound knows the settings for %s addresses. Change them only if your provider told you to."),
                                       domain);
      else
        description = g_strdup_printf (_("The mail of %s is handled by %s, so its settings are used. Change them only if your administrator told you to."),
                                       domain, _(detection->provider->name));
      gtk_spin_button_set_value (self->daily_limit, detection->provider->daily_limit);
      break;

    case OB_PROVIDER_FOUND_BY_AUTOCONFIG:
      {
        const ObAutoconfig *c = detection->autoconfig;

        account = ob_account_new (email);
        ob_account_set_smtp (account, c->smtp_host, c->smtp_port, c->smtp_security);
        if (c->imap_host != NULL)
          ob_account_set_imap (account, c->imap_host, c->imap_port, c->imap_security);
        if (c->username != NULL)
          ob_account_set_username (account, c->username);
        title = c->provider_name && *c->provider_name ? c->provider_name : domain;
        description = g_strdup_printf (_("%s publishes the settings for its mailboxes; they were filled in below."),
                                       domain);
        gtk_spin_button_set_value (self->daily_limit, ob_account_get_daily_limit (account));
      }
      break;

    case OB_PROVIDER_FOUND_NONE:
    default:
      account = ob_account_new (email);
      ob_account_set_smtp (account, NULL, 465, OB_MAIL_SECURITY_TLS);
      ob_account_set_imap (account, NULL, 993, OB_MAIL_SECURITY_TLS);
      title = _("Type In the Servers");
      description = g_strdup_printf (_("No settings were found for %s. Your mail provider’s help pages or your administrator give the servers for mail programs (IMAP/SMTP)."),
                                     domain);
      gtk_spin_button_set_value (self->daily_limit, ob_account_get_daily_limit (account));
      break;
    }

  {
    g_autofree char *escaped_title = g_markup_escape_text (title, -1);
    g_autofree char *escaped_description = g_markup_escape_text (description, -1);

    adw_preferences_group_set_title (self->provider_group, escaped_title);
    adw_preferences_group_set_description (self->provider_group, escaped_description);
  }

  ob_account_server_settings_set_account (self->server_settings, account);
  g_set_object (&self->account, account);
  g_free (self->detected_email);
  self->detected_email = g_strdup (email);
  show_advice (self);
  go_to (self, "settings");
}

static void
detect_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ObAccountAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObProviderDetection) detection = ob_provider_detect_finish (result, &error);
  g_autofree char *email = NULL;

  if (detection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Provider detection failed: %s", error->message);
      return;
    }
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->detecting_spinner);
  email = dup_email (self);
  apply_detection (self, email, detection);
}

typedef struct
{
  ObAccountAssistant *self;
  GCancellable       *cancellable;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->cancellable);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  ObAccountAssistant *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &error);
  g_autoptr(GPtrArray) mx_hosts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *email = NULL;
  const char *autoconfig_ca;

  /* Cancelled: the user went back, or closed the window. */
  if (g_cancellable_is_cancelled (lookup->cancellable))
    return;
  if (answer == NULL)
    g_debug ("No MX records: %s", error->message);
  else
    for (guint i = 0; i < answer->records->len; i++)
      {
        const ObDnsRecord *record = g_ptr_array_index (answer->records, i);

        if (record->type == OB_DNS_TYPE_MX && record->target != NULL)
          g_ptr_array_add (mx_hosts, g_strdup (record->target));
      }
  g_ptr_array_add (mx_hosts, NULL);

  email = dup_email (self);
  /* A test CA is trusted for autoconfig only with the base it serves. */
  autoconfig_ca = self->autoconfig_base ? self->ca_file : NULL;
  ob_provider_detect_async (email, (const char * const *) mx_hosts->pdata, TRUE,
                            self->autoconfig_base, autoconfig_ca, self->cancellable,
                            detect_cb, g_object_ref (self));
}

static void
start_lookup (ObAccountAssistant *self)
{
  g_autofree char *email = dup_email (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const char *domain;
  const ObProvider *provider;
  Lookup *lookup;

  if (!check_email (email, &error))
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }

  /* The same address again: keep what was found and typed. */
  if (self->account != NULL && g_strcmp0 (self->detected_email, email) == 0)
    {
      go_to (self, "settings");
      return;
    }

  cancel_lookup (self);
  domain = strrchr (email, '@') + 1;
  provider = ob_provider_detect_by_email (email);
  if (provider != NULL)
    {
      ObProviderDetection detection = { OB_PROVIDER_FOUND_BY_DOMAIN, provider, NULL };

      apply_detection (self, email, &detection);
      return;
    }

  description = g_strdup_printf (_("Asking where the mail of %s goes, and whether it publishes its settings…"), domain);
  adw_status_page_set_description (self->detecting_page, description);
  gtk_spinner_start (self->detecting_spinner);
  go_to (self, "detecting");

  if (self->resolver == NULL)
    self->resolver = dup_default_resolver ();
  self->cancellable = g_cancellable_new ();
  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->cancellable = g_object_ref (self->cancellable);
  ob_dns_resolver_query_async (self->resolver, domain, OB_DNS_TYPE_MX, self->cancellable,
                               mx_cb, lookup);
}

static void
start_test (ObAccountAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAccount) account = build_account (self, &error);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (account == NULL)
    {
      show_error (self, error->message);
      return;
    }
  gtk_label_set_text (self->test_summary,
                      _("Outbound now connects to your servers and logs in, as it will when it sends. This takes a few seconds."));
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_summary), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_summary), "success");
  go_to (self, "test");
  ob_account_test_view_run (self->test_view, account, password);
  update_buttons (self);
}

static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ObAccount) account = user_data;
  ObAccountAssistant *self = g_object_get_data (G_OBJECT (account), "ob-assistant");
  g_autoptr(GError) error = NULL;
  gint64 id = ob_account_get_id (account);

  g_assert (OB_IS_ACCOUNT_ASSISTANT (self));

  self->saving = FALSE;
  if (!ob_keyring_store_password_finish (result, &error))
    {
      g_autoptr(GError) delete_error = NULL;

      /* No account without its password: take the row back out. */
      if (!ob_account_store_delete (self->store, id, &delete_error))
        g_warning ("Cannot take back account %" G_GINT64_FORMAT ": %s", id, delete_error->message);
      show_error (self, error->message);
      update_buttons (self);
      g_object_unref (self);
      return;
    }

  if (ob_account_test_view_get_report (self->test_view) != NULL)
    {
      g_autoptr(GError) log_error = NULL;

      if (!ob_account_test_log_record (self->store, id, ob_account_test_view_get_report (self->test_view), &log_error))
        g_warning ("Cannot record the test of account %" G_GINT64_FORMAT ": %s", id, log_error->message);
    }

  g_signal_emit (self, signals[ACCOUNT_ADDED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
finish (ObAccountAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAccount) account = build_account (self, &error);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (account == NULL)
    {
      show_error (self, error->message);
      return;
    }
  if (self->store == NULL)
    {
      show_error (self, _("No database is open, so the account cannot be saved."));
      return;
    }
  if (ob_account_store_add (self->store, account, &error) <= 0)
    {
      show_error (self, error->message);
      return;
    }

  self->saving = TRUE;
  update_buttons (self);
  g_object_set_data (G_OBJECT (account), "ob-assistant", self);
  ob_keyring_store_password_async (ob_account_get_id (account), ob_account_get_email (account), password,
                                   NULL, store_password_cb, g_object_ref (account));
  g_object_ref (self);
}

/* Callbacks */

static void
on_next_button_clicked_cb (ObAccountAssistant *self,
                           GtkButton          *button)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  g_autoptr(GError) error = NULL;

  hide_error (self);
  if (g_str_equal (step, "address"))
    start_lookup (self);
  else if (g_str_equal (step, "settings"))
    {
      g_autoptr(ObAccount) account = build_account (self, &error);

      if (account == NULL)
        show_error (self, error->message);
      else
        {
          go_to (self, "password");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
        }
    }
  else if (g_str_equal (step, "password"))
    {
      if (*gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) == '\0')
        {
          show_error (self, _("Enter the password (or the authorisation code) of the mailbox."));
          gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
          return;
        }
      start_test (self);
    }
  else if (g_str_equal (step, "test"))
    finish (self);
}

static void
on_back_button_clicked_cb (ObAccountAssistant *self,
                           GtkButton          *button)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (step, "detecting") || g_str_equal (step, "settings"))
    {
      cancel_lookup (self);
      go_to (self, "address");
    }
  else if (g_str_equal (step, "password"))
    go_to (self, "settings");
  else if (g_str_equal (step, "test"))
    {
      ob_account_test_view_cancel (self->test_view);
      go_to (self, "password");
    }
}

static void
on_entry_activated_cb (ObAccountAssistant *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->next_button)))
    on_next_button_clicked_cb (self, self->next_button);
}

static void
on_error_bar_response_cb (ObAccountAssistant *self,
                          int                 response,
                          GtkInfoBar         *bar)
{
  hide_error (self);
}

static void
on_stack_page_changed_cb (ObAccountAssistant *self,
                          GParamSpec         *pspec,
                          GtkStack           *stack)
{
  GtkWidget *child = gtk_stack_get_visible_child (stack);

  if (child != NULL)
    adw_window_title_set_subtitle (self->window_title,
                                   gtk_stack_page_get_title (gtk_stack_get_page (stack, child)));
}

static void
on_test_view_finished_cb (ObAccountAssistant *self,
                          gboolean            ok,
                          ObAccountTestView  *view)
{
  if (ok)
    {
      gtk_label_set_text (self->test_summary, _("Everything works. Finish to save the account."));
      gtk_widget_add_css_class (GTK_WIDGET (self->test_summary), "success");
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Something does not work yet: %s Go back to change the settings or the password, or save the account anyway and test it later."),
                                               ob_account_test_view_get_first_failure (view));

      gtk_label_set_text (self->test_summary, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_summary), "error");
    }
  update_buttons (self);
}

static void
on_retest_button_clicked_cb (ObAccountAssistant *self,
                             GtkButton          *button)
{
  start_test (self);
}

/* Overrides */

static void
ob_account_assistant_dispose (GObject *object)
{
  ObAccountAssistant *self = (ObAccountAssistant *)object;

  cancel_lookup (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_ACCOUNT_ASSISTANT);

  G_OBJECT_CLASS (ob_account_assistant_parent_class)->dispose (object);
}

static void
ob_account_assistant_finalize (GObject *object)
{
  ObAccountAssistant *self = (ObAccountAssistant *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->resolver);
  g_clear_object (&self->account);
  g_clear_pointer (&self->autoconfig_base, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->detected_email, g_free);
  g_clear_pointer (&self->advice_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_account_assistant_parent_class)->finalize (object);
}

static void
ob_account_assistant_class_init (ObAccountAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_account_assistant_dispose;
  object_class->finalize = ob_account_assistant_finalize;

  /* (gint64 id): the account was saved with its password. */
  signals[ACCOUNT_ADDED] =
    g_signal_new ("account-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (OB_TYPE_ACCOUNT_SERVER_SETTINGS);
  g_type_ensure (OB_TYPE_ACCOUNT_TEST_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-account-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, error_bar);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, error_label);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, email_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, name_row);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, detecting_page);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, detecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, provider_group);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, daily_limit);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, server_settings);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, advice_group);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, password_label);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, password_entry);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, test_summary);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, test_view);
  gtk_widget_class_bind_template_child (widget_class, ObAccountAssistant, retest_button);
  gtk_widget_class_bind_template_callback (widget_class, on_next_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_error_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_view_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_retest_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_account_assistant_init (ObAccountAssistant *self)
{
  self->advice_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
  on_stack_page_changed_cb (self, NULL, self->stack);
  update_buttons (self);
}

/* Public API */

ObAccountAssistant *
ob_account_assistant_new (ObStore *store)
{
  ObAccountAssistant *self;

  g_return_val_if_fail (!store || OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_ACCOUNT_ASSISTANT, NULL);
  self->store = store ? g_object_ref (store) : NULL;
  return self;
}

void
ob_account_assistant_set_resolver (ObAccountAssistant *self,
                                   ObDnsResolver      *resolver)
{
  g_return_if_fail (OB_IS_ACCOUNT_ASSISTANT (self));
  g_return_if_fail (!resolver || OB_IS_DNS_RESOLVER (resolver));

  g_set_object (&self->resolver, resolver);
}

void
ob_account_assistant_set_autoconfig_base (ObAccountAssistant *self,
                                          const char         *base_url)
{
  g_return_if_fail (OB_IS_ACCOUNT_ASSISTANT (self));

  g_free (self->autoconfig_base);
  self->autoconfig_base = g_strdup (base_url);
}

void
ob_account_assistant_set_ca_file (ObAccountAssistant *self,
                                  const char         *ca_file)
{
  g_return_if_fail (OB_IS_ACCOUNT_ASSISTANT (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

const char *
ob_account_assistant_get_step (ObAccountAssistant *self)
{
  g_return_val_if_fail (OB_IS_ACCOUNT_ASSISTANT (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
