/* ob-accounts-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-accounts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-account-assistant.h"
#include "ob-account-editor.h"
#include "ob-account-test-log.h"
#include "ob-account-test-view.h"
#include "ob-account.h"
#include "ob-accounts-page.h"
#include "ob-application.h"
#include "ob-keyring.h"
#include "ob-provider.h"
#include "ob-window.h"

/* The Accounts page: the mailboxes campaigns send from, each with its last
 * test result, and the ways to add, test, edit and remove them. Until
 * there is an account it is an empty state offering the assistant. */
struct _ObAccountsPage
{
  AdwBin          parent_instance;

  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkListBox     *list_box;
  GPtrArray      *rows;
  /* Mailbox checks on demand go through the app's sending service (one
   * poller, never two passes over a mailbox at once); a window without it
   * (tests) gets a service of its own. */
  ObSendingService *own_service;
};

G_DEFINE_FINAL_TYPE (ObAccountsPage, ob_accounts_page, ADW_TYPE_BIN)

/* Helpers */

static ObWindow *
get_window (ObAccountsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return OB_IS_WINDOW (root) ? OB_WINDOW (root) : NULL;
}

static ObStore *
get_store (ObAccountsPage *self)
{
  ObWindow *window = get_window (self);

  return window ? ob_window_get_store (window) : NULL;
}

static void
toast (ObAccountsPage *self,
       const char     *text)
{
  ObWindow *window = get_window (self);

  if (window != NULL)
    ob_window_add_toast (window, adw_toast_new (text));
}

static void
show_error_dialog (ObAccountsPage *self,
                   const char     *heading,
                   const char     *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
describe_account (ObAccount *account)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const ObProvider *provider = NULL;
  const char *name = ob_account_get_display_name (account);

  if (ob_account_get_provider (account) != NULL)
    provider = ob_provider_find (ob_account_get_provider (account));

  if (name != NULL && *name != '\0')
    g_string_append_printf (text, "%s · ", name);
  if (ob_account_is_dry_run (account))
    g_string_append (text, _("Dry run: messages are saved as files"));
  else if (provider != NULL)
    g_string_append (text, _(provider->name));
  else
    g_string_append_printf (text, "%s", ob_account_get_smtp_host (account));
  g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%u message a day", "%u messages a day",
                                             ob_account_get_daily_limit (account)),
                          ob_account_get_daily_limit (account));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
make_button (const char *icon_name,
             const char *tooltip,
             const char *action_name,
             gint64      id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  return button;
}

static GtkWidget *
make_row (ObAccountsPage *self,
          ObStore        *store,
          ObAccount      *account)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  gint64 id = ob_account_get_id (account);
  const char *email = ob_account_get_email (account);
  g_autofree char *description = describe_account (account);
  g_autofree char *last = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *tooltip = NULL;
  gint64 at = 0;
  gboolean ok = FALSE;
  const char *state_label;

  if (ob_account_test_log_get_last (store, id, &at, &ok, &summary))
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (at);
      /* The date as the user's locale writes it (2026年11月23日 in Chinese). */
      g_autofree char *date = g_date_time_format (when, "%x %H:%M");

      if (ok)
        last = g_strdup_printf (_("Last test passed (%s)"), date);
      else
        {
          last = g_strdup_printf (_("Last test failed (%s): %s"), date, summary ? summary : "");
          /* The whole message, should the row cut it short. */
          gtk_widget_set_tooltip_text (row, last);
        }
      icon = gtk_image_new_from_icon_name (ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
      gtk_widget_add_css_class (icon, ok ? "success" : "error");
      state_label = ok ? _("Last test passed") : _("Last test failed");
    }
  else
    {
      last = g_strdup (_("Not tested yet"));
      icon = gtk_image_new_from_icon_name ("mail-send-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      state_label = _("Not tested yet");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, state_label, -1);

  subtitle = g_strdup_printf ("%s\n%s", description, last);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), email);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_name (row, email);

  tooltip = g_strdup_printf (_("Test %s"), email);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_button ("network-transmit-receive-symbolic", tooltip, "accounts.test", id));
  g_free (tooltip);
  if (ob_account_get_imap_host (account) != NULL && *ob_account_get_imap_host (account) != '\0')
    {
      tooltip = g_strdup_printf (_("Check the mailbox of %s now"), email);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_button ("view-refresh-symbolic", tooltip,
                                                                    "accounts.check-mailbox", id));
      g_free (tooltip);
    }
  tooltip = g_strdup_printf (_("Edit %s"), email);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_button ("document-edit-symbolic", tooltip, "accounts.edit", id));
  g_free (tooltip);
  tooltip = g_strdup_printf (_("Remove %s"), email);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), make_button ("user-trash-symbolic", tooltip, "accounts.remove", id));

  /* Activating the row (click, Enter) edits the account. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "accounts.edit");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_int64 (id));

  g_object_set_data_full (G_OBJECT (row), "ob-account", g_object_ref (account), g_object_unref);
  return row;
}

static ObAccount *
find_account (ObAccountsPage *self,
              gint64          id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ObAccount *account = g_object_get_data (g_ptr_array_index (self->rows, i), "ob-account");

      if (ob_account_get_id (account) == id)
        return account;
    }
  return NULL;
}

/* Adding */

static void
on_account_added_cb (ObAccountsPage *self,
                     gint64          id,
                     gpointer        assistant)
{
  ob_accounts_page_reload (self);
  toast (self, _("Account added"));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  ObAccountsPage *self = OB_ACCOUNTS_PAGE (widget);
  ObAccountAssistant *assistant = ob_account_assistant_new (get_store (self));

  gtk_window_set_transient_for (GTK_WINDOW (assistant), GTK_WINDOW (get_window (self)));
  g_signal_connect_object (assistant, "account-added", G_CALLBACK (on_account_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (assistant));
}

/* Testing */

static void
on_test_finished_cb (ObAccountTestView *view,
                     gboolean           ok,
                     ObAccountsPage    *self)
{
  ObStore *store = get_store (self);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (view), "ob-account-id"));
  g_autoptr(GError) error = NULL;

  if (store != NULL && !ob_account_test_log_record (store, id, ob_account_test_view_get_report (view), &error))
    g_warning ("Cannot record the test of account %" G_GINT64_FORMAT ": %s", id, error->message);
  ob_accounts_page_reload (self);
}

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ObAccountTestView) view = user_data;
  g_autoptr(GError) error = NULL;
  ObAccount *account = g_object_get_data (G_OBJECT (view), "ob-account");
  char *password = ob_keyring_lookup_password_finish (result, &error);

  /* Without a password the test still checks the servers and says the
   * login was not tried. */
  if (password == NULL && !g_error_matches (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND))
    g_warning ("Cannot read the password of %s: %s", ob_account_get_email (account), error->message);
  if (gtk_widget_get_root (GTK_WIDGET (view)) != NULL)
    ob_account_test_view_run (view, account, password);
  if (password != NULL)
    ob_keyring_password_free (password);
}

typedef struct
{
  ObAccountsPage *self;      /* weak */
  AdwToast       *checking;  /* weak: "Checking…", until the outcome replaces it */
  char           *email;
} MailboxCheck;

static void
mailbox_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MailboxCheck *check = user_data;
  ObAccountsPage *self = check->self;
  g_autofree char *email = check->email;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  ObMailboxPollResult r = { 0 };
  gboolean ok = ob_sending_service_poll_account_finish (OB_SENDING_SERVICE (object), result, &r, &error);

  g_clear_weak_pointer (&check->self);
  if (check->checking != NULL && self != NULL && OB_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    ob_window_dismiss_toast (OB_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), check->checking);
  else if (check->checking != NULL)
    adw_toast_dismiss (check->checking);
  g_clear_weak_pointer (&check->checking);
  g_free (check);
  if (self == NULL)
    return;
  if (!ok)
    {
      g_autofree char *heading = g_strdup_printf (_("Could Not Check %s"), email);

      show_error_dialog (self, heading, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (NULL, "%s: %u mail read — bounces %u, replies %u, unsubscribes %u",
                                       "%s: %u mails read — bounces %u, replies %u, unsubscribes %u", r.scanned),
                          email, r.scanned, r.bounces, r.replies, r.unsubscribes);
  toast (self, text);
}

static void
check_mailbox_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ObAccountsPage *self = OB_ACCOUNTS_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  ObAccount *account = find_account (self, id);
  GApplication *app = g_application_get_default ();
  ObSendingService *service = OB_IS_APPLICATION (app) ? ob_application_get_sending_service (OB_APPLICATION (app)) : NULL;
  MailboxCheck *check;

  if (account == NULL)
    return;
  if (service == NULL)
    {
      if (self->own_service == NULL && get_store (self) != NULL)
        self->own_service = ob_sending_service_new (get_store (self));
      service = self->own_service;
    }
  if (service == NULL)
    return;
  check = g_new0 (MailboxCheck, 1);
  g_set_weak_pointer (&check->self, self);
  check->email = g_strdup (ob_account_get_email (account));
  if (get_window (self) != NULL)
    {
      AdwToast *t = adw_toast_new (_("Checking the mailbox…"));

      adw_toast_set_timeout (t, 0);
      g_set_weak_pointer (&check->checking, t);
      ob_window_add_toast (get_window (self), t);
    }
  ob_sending_service_poll_account_async (service, id, NULL, mailbox_checked_cb, check);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObAccountsPage *self = OB_ACCOUNTS_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  ObAccount *account = find_account (self, id);
  GtkWidget *window, *box, *header, *title, *scrolled, *clamp, *view;

  if (account == NULL)
    return;

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Test Account"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (get_window (self)));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 640);
  gtk_widget_set_size_request (window, 360, 294);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  title = adw_window_title_new (_("Test Account"), ob_account_get_email (account));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);

  view = ob_account_test_view_new ();
  gtk_widget_set_name (view, "test-view");
  g_object_set_data_full (G_OBJECT (view), "ob-account", g_object_ref (account), g_object_unref);
  g_object_set_data (G_OBJECT (view), "ob-account-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (view, "finished", G_CALLBACK (on_test_finished_cb), self, 0);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  gtk_widget_set_margin_top (clamp, 24);
  gtk_widget_set_margin_bottom (clamp, 24);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), view);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_window_present (GTK_WINDOW (window));
  ob_keyring_lookup_password_async (id, NULL, lookup_password_cb, g_object_ref (view));
}

/* Editing */

static void
on_account_saved_cb (ObAccountsPage *self,
                     gint64          id,
                     gpointer        editor)
{
  ob_accounts_page_reload (self);
  toast (self, _("Account saved"));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObAccountsPage *self = OB_ACCOUNTS_PAGE (widget);
  ObAccount *account = find_account (self, g_variant_get_int64 (param));
  ObAccountEditor *editor;

  if (account == NULL || get_store (self) == NULL)
    return;
  editor = ob_account_editor_new (get_store (self), account);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (get_window (self)));
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_account_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

/* Removing */

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ObAccountsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ob_account_store_remove_finish (result, &error))
    {
      show_error_dialog (self, _("The Account Was Not Removed"), error->message);
      return;
    }
  ob_accounts_page_reload (self);
  toast (self, _("Account and password removed"));
}

static void
on_remove_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       ObAccountsPage   *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "ob-account-id"));
  ObStore *store = get_store (self);

  if (!g_str_equal (response, "remove") || store == NULL)
    return;
  ob_account_store_remove_async (store, id, NULL, remove_cb, g_object_ref (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ObAccountsPage *self = OB_ACCOUNTS_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  ObAccount *account = find_account (self, id);
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  if (account == NULL)
    return;

  heading = g_strdup_printf (_("Remove %s?"), ob_account_get_email (account));
  dialog = adw_message_dialog_new (GTK_WINDOW (get_window (self)), heading,
                                   _("Outbound forgets this mailbox and deletes its password from your keyring. "
                                     "The mailbox itself and the mail in it stay as they are. "
                                     "Campaigns cannot send from it any more."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "ob-account-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Overrides */

static void
ob_accounts_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ob_accounts_page_parent_class)->map (widget);

  ob_accounts_page_reload (OB_ACCOUNTS_PAGE (widget));
}

static void
ob_accounts_page_dispose (GObject *object)
{
  /* AdwBin unparents its child (the template's root) itself. */
  adw_bin_set_child (ADW_BIN (object), NULL);

  G_OBJECT_CLASS (ob_accounts_page_parent_class)->dispose (object);
}

static void
ob_accounts_page_finalize (GObject *object)
{
  ObAccountsPage *self = (ObAccountsPage *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->own_service);

  G_OBJECT_CLASS (ob_accounts_page_parent_class)->finalize (object);
}

static void
ob_accounts_page_class_init (ObAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_accounts_page_dispose;
  object_class->finalize = ob_accounts_page_finalize;
  widget_class->map = ob_accounts_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObAccountsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ObAccountsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ObAccountsPage, list_box);

  gtk_widget_class_install_action (widget_class, "accounts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "accounts.test", "x", test_action);
  gtk_widget_class_install_action (widget_class, "accounts.check-mailbox", "x", check_mailbox_action);
  gtk_widget_class_install_action (widget_class, "accounts.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "accounts.remove", "x", remove_action);

}

static void
ob_accounts_page_init (ObAccountsPage *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

GtkWidget *
ob_accounts_page_new (void)
{
  return g_object_new (OB_TYPE_ACCOUNTS_PAGE, NULL);
}

void
ob_accounts_page_reload (ObAccountsPage *self)
{
  ObStore *store;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OB_IS_ACCOUNTS_PAGE (self));

  store = get_store (self);
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list_box, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (store != NULL)
    {
      accounts = ob_account_store_list (store, &error);
      if (accounts == NULL)
        g_warning ("Cannot list the accounts: %s", error->message);
    }

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      GtkWidget *row = make_row (self, store, g_ptr_array_index (accounts, i));

      gtk_list_box_append (self->list_box, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "list" : "empty");
}
