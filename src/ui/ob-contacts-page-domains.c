/* ob-contacts-page-domains.c — the Contacts page's check of the mail
 * domains: whether the domain of each contact, or of the selected ones,
 * receives mail, asked of the DNS resolver of the preferences, with
 * progress and Cancel at the foot of the list. Part of ObContactsPage
 * (its struct is in ob-contacts-page-private.h), apart from the list
 * because it is a task of its own with its own state; class_init
 * installs its actions with _ob_contacts_page_class_domains_init().
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-contacts-page.h"
#include "ob-contacts-page-private.h"
#include "ob-dns-settings.h"
#include "ob-mail-domain-check.h"
#include "ob-window.h"

static void
domains_progress_cb (guint    done,
                     guint    total,
                     gpointer user_data)
{
  ObContactsPage *self = user_data;
  g_autofree char *text = NULL;

  /* Progress after the page went away is not shown anywhere. */
  if (self->domains_cancellable == NULL || g_cancellable_is_cancelled (self->domains_cancellable))
    return;
  text = g_strdup_printf (g_dngettext (NULL, "Checking %u of %u mail domain…",
                                       "Checking %u of %u mail domains…", total),
                          MIN (done + 1, total), total);
  gtk_label_set_text (self->domains_label, text);
  gtk_progress_bar_set_fraction (self->domains_progress, total > 0 ? (double) done / total : 1.0);
}

/* The outcome of a check replaces that of the one before, on screen or
 * waiting in the queue. */
static void
domains_toast (ObContactsPage *self,
               const char     *text)
{
  ObWindow *window = _ob_contacts_page_get_window (self);
  AdwToast *t;

  if (self->domains_toast != NULL)
    _ob_contacts_page_dismiss_toast (self, self->domains_toast);
  if (window == NULL)
    return;
  t = adw_toast_new (text);
  g_set_weak_pointer (&self->domains_toast, t);
  ob_window_add_toast (window, t);
}

static void
domains_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ObContactsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  ObDomainCheckSummary summary = { 0 };
  gboolean ok = ob_contacts_check_domains_finish (result, &summary, &error);

  if (self->domains_cancellable == NULL)
    return;  /* the page is gone */
  g_clear_object (&self->domains_cancellable);
  g_clear_weak_pointer (&self->domains_toast);
  gtk_revealer_set_reveal_child (self->domains_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.check-domains", TRUE);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        domains_toast (self, _("Domain check cancelled: nothing changed"));
      else
        _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Check the Mail Domains"), error);
      return;
    }
  ob_contacts_page_reload (self);
  if (summary.unknown > 0)
    text = g_strdup_printf (g_dngettext (NULL,
                                         "%u of %u domains receive mail, %u could not be checked; %u contact changed",
                                         "%u of %u domains receive mail, %u could not be checked; %u contacts changed",
                                         summary.contacts_changed),
                            summary.ok, summary.domains, summary.unknown, summary.contacts_changed);
  else
    text = g_strdup_printf (g_dngettext (NULL, "%u of %u domains receive mail; %u contact changed",
                                         "%u of %u domains receive mail; %u contacts changed",
                                         summary.contacts_changed),
                            summary.ok, summary.domains, summary.contacts_changed);
  if (summary.kept > 0)
    {
      /* Translators: %s is the sentence above; the number is of domains
       * whose answer from an earlier check was still in date. */
      char *with_kept = g_strdup_printf (_("%s (%u known from an earlier check)"), text, summary.kept);

      g_free (text);
      text = with_kept;
    }
  domains_toast (self, text);
}

static void
check_domains (ObContactsPage *self,
               GArray         *contact_ids)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->domains_cancellable != NULL)
    return;
  settings = g_settings_new (APP_ID);
  resolver = ob_dns_settings_new_resolver (settings, &error);
  if (resolver == NULL)
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Check the Mail Domains"), error);
      return;
    }
  if (self->domains_toast != NULL)
    _ob_contacts_page_dismiss_toast (self, self->domains_toast);
  self->domains_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.check-domains", FALSE);
  gtk_progress_bar_set_fraction (self->domains_progress, 0);
  gtk_label_set_text (self->domains_label, _("Checking mail domains…"));
  gtk_revealer_set_reveal_child (self->domains_revealer, TRUE);
  if (contact_ids != NULL)
    ob_contacts_check_domains_of_async (self->store, resolver, contact_ids, domains_progress_cb, self,
                                        self->domains_cancellable, domains_checked_cb, g_object_ref (self));
  else
    ob_contacts_check_domains_async (self->store, resolver, 0, domains_progress_cb, self,
                                     self->domains_cancellable, domains_checked_cb, g_object_ref (self));
}

/**
 * ob_contacts_page_check_domains:
 *
 * Asks the DNS resolver of the preferences whether each contact's domain
 * receives mail, with progress at the foot of the list and Cancel; the
 * contacts are changed at the end, in one transaction.
 */
void
ob_contacts_page_check_domains (ObContactsPage *self)
{
  g_return_if_fail (OB_IS_CONTACTS_PAGE (self));

  check_domains (self, NULL);
}

/* The same for the domains of the selected contacts only (every contact
 * at those domains gets the outcome: it is a fact about the domain). */
static void
check_selected_domains (ObContactsPage *self)
{
  g_autoptr(GArray) ids = _ob_contacts_page_selected_ids (self);

  if (ids->len > 0)
    check_domains (self, ids);
}

static void
on_check_domains_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              ObContactsPage   *self)
{
  if (g_str_equal (response, "check"))
    ob_contacts_page_check_domains (self);
  else if (g_str_equal (response, "check-selected"))
    check_selected_domains (self);
}

static void
check_domains_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkBitset) selection = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n_selected = gtk_bitset_get_size (selection);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Check the Mail Domains?"),
                                   _("Outbound asks your DNS resolver (Preferences) whether the domain of each "
                                     "contact receives mail. Contacts whose domain does not exist or refuses all "
                                     "mail become invalid and are not mailed; a domain without a mail server is "
                                     "marked risky. A domain that cannot be checked changes nothing, and Cancel "
                                     "leaves every contact as it was."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  /* Escape is Cancel, not a response the handler does not know. */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* A selection (fewer than all): its domains only, or every contact. */
  if (n_selected > 0 && n_selected < g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    {
      /* Translators: the number of selected contacts */
      g_autofree char *label = g_strdup_printf (_("Check _Selected (%u)"), (guint) n_selected);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "check", _("Check _All Contacts"));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "check-selected", label);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "check-selected",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "check-selected");
    }
  else
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "check", _("C_heck"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "check", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "check");
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_check_domains_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_check_domains_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);

  if (self->domains_cancellable != NULL)
    g_cancellable_cancel (self->domains_cancellable);
}

void
_ob_contacts_page_domains_dispose (ObContactsPage *self)
{
  if (self->domains_cancellable != NULL)
    g_cancellable_cancel (self->domains_cancellable);
  g_clear_object (&self->domains_cancellable);
}

void
_ob_contacts_page_class_domains_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "contacts.check-domains", NULL, check_domains_action);
  gtk_widget_class_install_action (widget_class, "contacts.cancel-check-domains", NULL, cancel_check_domains_action);
}
