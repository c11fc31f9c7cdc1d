/* ob-contacts-suppressions-dialog.c — the suppression list: see it, add an
 * address or a whole @domain with a reason, lift one (with a reason, which
 * is logged), import and export it as CSV.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-contacts-suppressions-dialog.h"
#include "ob-suppressions.h"
#include "ob-ui-words.h"

struct _ObContactsSuppressionsDialog
{
  AdwWindow        parent_instance;

  ObStore         *store;
  AdwToastOverlay *toasts;
  AdwEntryRow     *entry_row;
  AdwComboRow     *reason_row;
  GtkListBox      *list;
  AdwPreferencesGroup *list_group;
  guint            n_shown;
};

G_DEFINE_FINAL_TYPE (ObContactsSuppressionsDialog, ob_contacts_suppressions_dialog, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const ObSuppressionReason reasons[] = {
  OB_SUPPRESSION_MANUAL, OB_SUPPRESSION_UNSUBSCRIBED, OB_SUPPRESSION_COMPLAINT,
  OB_SUPPRESSION_HARD_BOUNCE, OB_SUPPRESSION_SOFT_BOUNCE,
};

static const char *
reason_words (ObSuppressionReason reason)
{
  return ob_ui_words_for_suppression_reason (ob_suppression_reason_to_string (reason));
}

/* Where an entry came from, in words: the sources Outbound writes are
 * ids ("user", "import", "mailbox", "campaign:N"); a source an imported
 * file named is the user's own text, shown as it is. */
static const char *
source_words (const char *source)
{
  if (source == NULL || *source == '\0')
    return NULL;
  if (g_str_equal (source, "user"))
    return _("by you");
  if (g_str_equal (source, "import"))
    return _("from an imported file");
  if (g_str_equal (source, "mailbox"))
    return _("from the bounce mailbox");
  if (g_str_has_prefix (source, "campaign:"))
    return _("while a campaign was sent");
  return source;
}

static void
toast (ObContactsSuppressionsDialog *self,
       const char                   *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
error_toast (ObContactsSuppressionsDialog *self,
             const GError                 *error)
{
  g_message ("Suppression list: %s", error->message);
  toast (self, error->message);
}

static void remove_clicked_cb (GtkButton *button, ObContactsSuppressionsDialog *self);

static void
reload (ObContactsSuppressionsDialog *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_shown = 0;
  list = ob_suppressions_list (self->store, &error);
  if (list == NULL)
    {
      error_toast (self, error);
      return;
    }
  if (list->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No suppressed addresses yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Hard bounces, unsubscribes and complaints land here by themselves."));
      gtk_list_box_append (self->list, row);
    }
  for (guint i = 0; i < list->len; i++)
    {
      ObSuppression *s = g_ptr_array_index (list, i);
      GtkWidget *row = adw_action_row_new ();
      /* One per row: no Alt key (it would reach only the first); Tab and
       * the accessible name, which names the address, reach each. */
      GtkWidget *button = gtk_button_new_with_label (_("Remove…"));
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (s->created_at);
      g_autofree char *date = dt ? g_date_time_format (dt, "%x") : g_strdup ("");
      const char *from = source_words (s->source);
      g_autofree char *subtitle = from ? g_strjoin (" · ", reason_words (s->reason), from, date, NULL)
                                       : g_strjoin (" · ", reason_words (s->reason), date, NULL);
      g_autofree char *label = g_strdup_printf (_("Remove %s from the suppression list"), s->display);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s->display);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (button), "entry", g_strdup (s->display), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (remove_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->list, row);
      self->n_shown++;
    }
}

static void
changed (ObContactsSuppressionsDialog *self)
{
  reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_remove_response_cb (AdwMessageDialog             *dialog,
                       const char                   *response,
                       ObContactsSuppressionsDialog *self)
{
  GtkEditable *why = g_object_get_data (G_OBJECT (dialog), "why");
  const char *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (!ob_suppressions_remove (self->store, entry, gtk_editable_get_text (why), &error))
    {
      error_toast (self, error);
      return;
    }
  changed (self);
  toast (self, _("Removed from the suppression list; the reason was logged"));
}

static void
on_why_changed_cb (GtkEditable      *why,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (why)));

  adw_message_dialog_set_response_enabled (dialog, "remove", *text != '\0');
}

static void
remove_clicked_cb (GtkButton                    *button,
                   ObContactsSuppressionsDialog *self)
{
  const char *entry = g_object_get_data (G_OBJECT (button), "entry");
  AdwMessageDialog *dialog;
  GtkWidget *why = gtk_entry_new ();
  g_autofree char *body = g_strdup_printf (_("Mail may be sent to %s again. Say why; the reason is kept in the log."),
                                           entry);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Remove from Suppression List?"), body));
  gtk_entry_set_placeholder_text (GTK_ENTRY (why), _("Reason, e.g. the buyer asked to hear from us again"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (why), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for removing"), -1);
  adw_message_dialog_set_extra_child (dialog, why);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  /* Escape is Cancel, not a response the handler does not know. */
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "remove", FALSE);
  g_object_set_data (G_OBJECT (dialog), "why", why);
  g_object_set_data_full (G_OBJECT (dialog), "entry", g_strdup (entry), g_free);
  g_signal_connect (why, "changed", G_CALLBACK (on_why_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
ob_contacts_suppressions_dialog_add (ObContactsSuppressionsDialog  *self,
                                     const char                    *entry,
                                     GError                       **error)
{
  guint i = adw_combo_row_get_selected (self->reason_row);
  ObSuppressionReason reason = i < G_N_ELEMENTS (reasons) ? reasons[i] : OB_SUPPRESSION_MANUAL;

  g_return_val_if_fail (OB_IS_CONTACTS_SUPPRESSIONS_DIALOG (self), FALSE);

  if (!ob_suppressions_add (self->store, entry, reason, "user", NULL, error))
    return FALSE;
  changed (self);
  return TRUE;
}

static void
on_add_cb (ObContactsSuppressionsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry_row))));

  if (*entry == '\0')
    return;
  if (!ob_contacts_suppressions_dialog_add (self, entry, &error))
    {
      error_toast (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry_row), "");
  toast (self, _("Suppressed: nothing will be sent there"));
}

static void
on_import_response_cb (GtkNativeDialog              *chooser,
                       int                           response,
                       ObContactsSuppressionsDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;
      guint added = 0;

      if (path != NULL && !ob_suppressions_import_csv (self->store, path, "import", &added, &error))
        error_toast (self, error);
      else if (path != NULL)
        {
          g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u entry added", "%u entries added", added),
                                                   added);
          changed (self);
          toast (self, text);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_import_cb (ObContactsSuppressionsDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Suppression List"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_response_cb (GtkNativeDialog              *chooser,
                       int                           response,
                       ObContactsSuppressionsDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL && !ob_suppressions_export_csv (self->store, path, &error))
        error_toast (self, error);
      else if (path != NULL)
        toast (self, _("Suppression list exported"));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_export_cb (ObContactsSuppressionsDialog *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Suppression List"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("suppressions.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
header_button (const char *label,
               const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static void
ob_contacts_suppressions_dialog_dispose (GObject *object)
{
  ObContactsSuppressionsDialog *self = OB_CONTACTS_SUPPRESSIONS_DIALOG (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (ob_contacts_suppressions_dialog_parent_class)->dispose (object);
}

static void
ob_contacts_suppressions_dialog_class_init (ObContactsSuppressionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_contacts_suppressions_dialog_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_contacts_suppressions_dialog_init (ObContactsSuppressionsDialog *self)
{
  static const char * const reason_items[] = { N_("Added by hand"), N_("Unsubscribed"), N_("Complaint"),
                                               N_("Hard bounce"), N_("Repeated soft bounces"), NULL };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *add_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *import = header_button (_("_Import…"), _("Add addresses and domains from a CSV file"));
  GtkWidget *export = header_button (_("_Export…"), _("Save the suppression list as a CSV file"));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add"));
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Suppression List"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_pack_start (ADW_HEADER_BAR (header), import);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), export);
  g_signal_connect_swapped (import, "clicked", G_CALLBACK (on_import_cb), self);
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (on_export_cb), self);
  gtk_box_append (GTK_BOX (box), header);

  adw_preferences_group_set_title (add_group, _("Suppress"));
  adw_preferences_group_set_description (add_group, _("An address (anna@example.com) or a whole domain (@example.com). "
                                                      "Nothing is ever sent to a suppressed address."));
  self->entry_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entry_row), _("Address or @domain"));
  adw_entry_row_set_show_apply_button (self->entry_row, TRUE);
  g_signal_connect_swapped (self->entry_row, "apply", G_CALLBACK (on_add_cb), self);
  adw_preferences_group_add (add_group, GTK_WIDGET (self->entry_row));
  self->reason_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reason_row), _("Reason"));
  for (guint i = 0; reason_items[i] != NULL; i++)
    gtk_string_list_append (items, _(reason_items[i]));
  adw_combo_row_set_model (self->reason_row, G_LIST_MODEL (items));
  adw_preferences_group_add (add_group, GTK_WIDGET (self->reason_row));
  gtk_widget_add_css_class (add, "suggested-action");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_cb), self);
  adw_preferences_group_set_header_suffix (add_group, add);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), add_group);

  self->list_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->list_group, _("Suppressed"));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Suppressed addresses and domains"), -1);
  adw_preferences_group_add (self->list_group, GTK_WIDGET (self->list));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->list_group);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_vexpand (page, TRUE);
  adw_toast_overlay_set_child (self->toasts, page);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);
  /* The keyboard starts in the address, not on Import… in the header. */
  gtk_widget_grab_focus (GTK_WIDGET (self->entry_row));
}

GtkWidget *
ob_contacts_suppressions_dialog_new (GtkWindow *parent,
                                     ObStore   *store)
{
  ObContactsSuppressionsDialog *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_CONTACTS_SUPPRESSIONS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  reload (self);
  return GTK_WIDGET (self);
}

guint
ob_contacts_suppressions_dialog_get_n_shown (ObContactsSuppressionsDialog *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_SUPPRESSIONS_DIALOG (self), 0);

  return self->n_shown;
}
