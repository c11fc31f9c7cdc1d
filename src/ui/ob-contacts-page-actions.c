/* ob-contacts-page-actions.c — the Contacts page's actions on a
 * selection: tag, suppress (with a reason, and Undo), re-check and delete
 * with Undo, and the worker that runs them. They are part of ObContactsPage (its struct is in
 * ob-contacts-page-private.h) and sit apart from the list they act on,
 * the way GNOME Text Editor keeps its window's actions in a file of
 * their own; class_init installs them with
 * _ob_contacts_page_class_actions_init().
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-contacts-edit.h"
#include "ob-contacts-page.h"
#include "ob-contacts-page-private.h"
#include "ob-window.h"

/* ---- actions on the selection ------------------------------------------
 *
 * Tagging, suppressing, re-checking and deleting run in a worker thread on
 * a connection of their own: a selection can be every contact of a long
 * list. The selection's actions wait meanwhile, and the foot of the list
 * says what runs.
 *
 * One action runs at a time; another asked for meanwhile (an Undo, a
 * suppression confirmed in its dialog) waits in bulks_waiting.
 *
 * Suppressing asks why first (suppress_dialog()); its toast's Undo lifts
 * the entries it added, and only those, in a worker of its own.
 *
 * Deleting waits for the toast first: the rows are hidden (the list
 * model's table of hidden ids), Undo shows them again, anything else lets
 * the deletion stand. It is then queued, run when no other action runs,
 * and its rows stay hidden until it is done: gone, or, when it failed,
 * back as they were. */

typedef enum
{
  BULK_TAG,
  BULK_SUPPRESS,
  BULK_UNSUPPRESS,
  BULK_RECHECK,
  BULK_DELETE,
} BulkKind;

typedef struct
{
  BulkKind             kind;
  ObStore             *store;
  GArray              *ids;
  char                *tag;
  ObSuppressionReason  reason;   /* suppress: why, as the user said */
  char                *note;
  GPtrArray           *entries;  /* ObSuppression: added by a suppression, or to lift */
  guint                count;    /* suppressed, lifted, or changed by the re-check */
  GApplication        *app;      /* held while a deletion or suppression runs */
} Bulk;

static void
bulk_free (Bulk *b)
{
  g_assert (b->app == NULL);
  g_clear_object (&b->store);
  g_clear_pointer (&b->ids, g_array_unref);
  g_free (b->tag);
  g_free (b->note);
  g_clear_pointer (&b->entries, g_ptr_array_unref);
  g_free (b);
}

static Bulk *
bulk_new (ObContactsPage *self,
          BulkKind        kind,
          GArray         *ids)
{
  Bulk *b = g_new0 (Bulk, 1);

  b->kind = kind;
  b->store = g_object_ref (self->store);
  b->ids = ids;
  return b;
}

static void
set_selection_actions_enabled (ObContactsPage *self,
                               gboolean        enabled)
{
  static const char * const actions[] = {
    "contacts.tag-selected", "contacts.suppress-selected", "contacts.recheck-selected",
    "contacts.delete-selected",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], enabled);
  /* Saving the detail pane too: it would wait for the worker's write
   * lock on the UI thread, the window frozen, and then fail. */
  _ob_contacts_page_update_save_detail (self);
}

/* Shows the hidden @ids again (Undo), or forgets them once deleted; the
 * table is emptied at once when nothing else is hidden. */
static void
show_again (ObContactsPage *self,
            GArray         *ids)
{
  g_autoptr(GError) error = NULL;
  gboolean others = self->pending_delete != NULL || self->n_deleting > 0;

  if (self->model == NULL)
    return;
  if (!ob_contact_table_model_unhide (self->model, others ? ids : NULL, &error))
    g_warning ("Cannot show the contacts again: %s", error->message);
  self->total = -1;
  _ob_contacts_page_update_view (self);
}

static void
bulk_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Bulk *b = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open_another (b->store, &error);
  gboolean ok = store != NULL;

  if (ok)
    switch (b->kind)
      {
      case BULK_TAG:
        ok = ob_contacts_edit_add_tag (store, b->ids, b->tag, &error);
        break;
      case BULK_SUPPRESS:
        ok = ob_contacts_edit_suppress (store, b->ids, b->reason, b->note, &b->entries, &error);
        if (ok)
          b->count = b->entries->len;
        break;
      case BULK_UNSUPPRESS:
        ok = ob_contacts_edit_undo_suppress (store, b->entries, &b->count, &error);
        break;
      case BULK_RECHECK:
        ok = ob_contacts_edit_recheck (store, b->ids, &b->count, &error);
        break;
      case BULK_DELETE:
        ok = ob_contacts_edit_delete (store, b->ids, &error);
        break;
      default:
        g_assert_not_reached ();
      }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void run_next (ObContactsPage *self);
static void show_suppressed (ObContactsPage *self,
                             Bulk           *b);

static void
bulk_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ObContactsPage *self = source != NULL ? OB_CONTACTS_PAGE (source) : NULL;
  Bulk *b = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (b->app != NULL)
    {
      g_application_unmark_busy (b->app);
      g_application_release (b->app);
      g_clear_object (&b->app);
    }
  /* A deletion the page committed as it went away, or the page gone:
   * nobody to tell but the log. */
  if (self == NULL || self->store == NULL)
    {
      if (!ok)
        g_message ("Could not %s %u contacts: %s",
                   b->kind == BULK_DELETE ? "delete" : b->kind == BULK_UNSUPPRESS ? "lift the suppression of"
                   : "change", b->kind == BULK_UNSUPPRESS ? b->entries->len : b->ids->len, error->message);
      return;
    }
  self->bulk_running = FALSE;
  set_selection_actions_enabled (self, TRUE);
  gtk_revealer_set_reveal_child (self->work_revealer, FALSE);
  if (b->kind == BULK_DELETE)
    {
      self->n_deleting -= MIN (b->ids->len, self->n_deleting);
      show_again (self, b->ids);
    }
  if (!ok)
    {
      /* The window closed meanwhile: no dialog without it. */
      if (_ob_contacts_page_get_window (self) == NULL)
        g_message ("%s", error->message);
      else
        _ob_contacts_page_show_error (GTK_WIDGET (self),
                                      b->kind == BULK_TAG ? _("Could Not Tag the Contacts")
                                      : b->kind == BULK_SUPPRESS ? _("Could Not Suppress")
                                      : b->kind == BULK_UNSUPPRESS ? _("Could Not Undo the Suppression")
                                      : b->kind == BULK_DELETE ? _("Could Not Delete Contacts")
                                      : _("Could Not Check the Addresses"), error);
      run_next (self);
      return;
    }
  switch (b->kind)
    {
    case BULK_TAG:
      text = g_strdup_printf (g_dngettext (NULL, "Tagged %u contact “%s”", "Tagged %u contacts “%s”", b->ids->len),
                              b->ids->len, b->tag);
      gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
      break;
    case BULK_SUPPRESS:
      /* Its own toast, with Undo, once the list shows the change. */
      break;
    case BULK_UNSUPPRESS:
      if (b->count == b->entries->len)
        text = g_strdup (_("Suppression undone"));
      else
        text = g_strdup_printf (g_dngettext (NULL,
                                             "Suppression undone; %u address stays suppressed for another reason",
                                             "Suppression undone; %u addresses stay suppressed for another reason",
                                             b->entries->len - b->count),
                                b->entries->len - b->count);
      break;
    case BULK_RECHECK:
      text = g_strdup_printf (g_dngettext (NULL, "%u address checked, %u changed verdict",
                                           "%u addresses checked, %u changed verdict", b->ids->len),
                              b->ids->len, b->count);
      break;
    case BULK_DELETE:
      break;
    default:
      g_assert_not_reached ();
    }
  ob_contact_table_model_reload (self->model);
  _ob_contacts_page_update_view (self);
  ob_contact_detail_pane_refresh (self->detail_pane);
  if (text != NULL)
    _ob_contacts_page_toast (self, text);
  if (b->kind == BULK_SUPPRESS)
    show_suppressed (self, b);
  run_next (self);
}

/* Runs @b in a worker. @self is NULL for a deletion committed by a page
 * that goes away: the worker then holds nothing of it. */
static void
start_bulk (ObContactsPage *self,
            Bulk           *b)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;

  /* The application stays while a deletion the user let stand runs (or
   * a suppression they confirmed, or its Undo):
   * closing the last window does not cut it off, and quitting waits for
   * it (ObApplication's shutdown waits while the application is busy). */
  if ((b->kind == BULK_DELETE || b->kind == BULK_SUPPRESS || b->kind == BULK_UNSUPPRESS) &&
      (b->app = g_application_get_default ()) != NULL)
    {
      g_object_ref (b->app);
      g_application_hold (b->app);
      g_application_mark_busy (b->app);
    }
  if (self != NULL)
    {
      switch (b->kind)
        {
        case BULK_TAG:
          text = g_strdup_printf (g_dngettext (NULL, "Tagging %u contact…", "Tagging %u contacts…", b->ids->len),
                                  b->ids->len);
          break;
        case BULK_SUPPRESS:
          text = g_strdup_printf (g_dngettext (NULL, "Suppressing %u address…", "Suppressing %u addresses…",
                                               b->ids->len), b->ids->len);
          break;
        case BULK_UNSUPPRESS:
          text = g_strdup (_("Undoing the suppression…"));
          break;
        case BULK_RECHECK:
          text = g_strdup_printf (g_dngettext (NULL, "Checking %u address…", "Checking %u addresses…",
                                               b->ids->len), b->ids->len);
          break;
        case BULK_DELETE:
          text = g_strdup_printf (g_dngettext (NULL, "Deleting %u contact…", "Deleting %u contacts…",
                                               b->ids->len), b->ids->len);
          break;
        default:
          g_assert_not_reached ();
        }
      self->bulk_running = TRUE;
      set_selection_actions_enabled (self, FALSE);
      gtk_label_set_text (self->work_label, text);
      gtk_revealer_set_reveal_child (self->work_revealer, TRUE);
    }
  task = g_task_new (self, NULL, bulk_done_cb, NULL);
  g_task_set_source_tag (task, start_bulk);
  g_task_set_task_data (task, b, (GDestroyNotify) bulk_free);
  g_task_run_in_thread (task, bulk_thread);
}

static void
run_on_selection (ObContactsPage *self,
                  BulkKind        kind,
                  const char     *tag)
{
  Bulk *b;

  if (self->model == NULL || self->bulk_running)
    return;
  b = bulk_new (self, kind, _ob_contacts_page_selected_ids (self));
  b->tag = g_strdup (tag);
  start_bulk (self, b);
}

/* Once no other action runs: the actions asked for meanwhile, in turn,
 * then the deletions let stand, one worker for all of them, in one
 * transaction. */
static void
run_next (ObContactsPage *self)
{
  if (self->bulk_running || self->store == NULL)
    return;
  if (!g_queue_is_empty (&self->bulks_waiting))
    start_bulk (self, g_queue_pop_head (&self->bulks_waiting));
  else if (self->delete_queued != NULL)
    start_bulk (self, bulk_new (self, BULK_DELETE, g_steal_pointer (&self->delete_queued)));
}

/* Runs @b now, or after the action that runs. */
static void
run_or_wait (ObContactsPage *self,
             Bulk           *b)
{
  if (self->bulk_running)
    g_queue_push_tail (&self->bulks_waiting, b);
  else
    start_bulk (self, b);
}

/* The deletion under the Undo toast stands: into the queue. */
static void
queue_pending_delete (ObContactsPage *self)
{
  g_autoptr(GArray) ids = g_steal_pointer (&self->pending_delete);

  if (ids == NULL || ids->len == 0)
    return;
  self->n_deleting += ids->len;
  if (self->delete_queued == NULL)
    self->delete_queued = g_steal_pointer (&ids);
  else
    g_array_append_vals (self->delete_queued, ids->data, ids->len);
}

static void
commit_delete (ObContactsPage *self)
{
  if (self->pending_delete == NULL)
    return;
  queue_pending_delete (self);
  run_next (self);
  _ob_contacts_page_update_view (self);
}

static void dismiss_suppress_toast (ObContactsPage *self);

/* The deletion under its Undo toast stands, and the toast goes: a newer
 * action's Undo takes its place. */
static void
let_delete_stand (ObContactsPage *self)
{
  if (self->delete_toast != NULL)
    {
      /* Its going may come later (_ob_contacts_page_dismiss_toast()), and
       * must not touch a deletion about to wait under a new toast. */
      g_signal_handlers_disconnect_by_data (self->delete_toast, self);
      _ob_contacts_page_dismiss_toast (self, g_steal_pointer (&self->delete_toast));
    }
  commit_delete (self);
}

static void
on_delete_toast_dismissed_cb (AdwToast       *t,
                              ObContactsPage *self)
{
  if (self->delete_toast == t)
    self->delete_toast = NULL;
  commit_delete (self);
}

static void
on_delete_toast_undo_cb (AdwToast       *t,
                         ObContactsPage *self)
{
  g_autoptr(GArray) ids = g_steal_pointer (&self->pending_delete);

  if (ids != NULL)
    show_again (self, ids);
}

static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  ObWindow *window = _ob_contacts_page_get_window (self);
  AdwToast *t;

  if (self->model == NULL || self->bulk_running)
    return;
  ids = _ob_contacts_page_selected_ids (self);
  if (ids->len == 0)
    return;
  /* One Undo at a time: the previous deletion stands, a suppression
   * too (the window dismisses the plain toasts before it shows this Undo
   * one, ob_window_add_toast). */
  let_delete_stand (self);
  dismiss_suppress_toast (self);

  if (!ob_contact_table_model_hide (self->model, ids, &error))
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Delete Contacts"), error);
      return;
    }
  self->pending_delete = g_array_ref (ids);
  self->total = -1;
  _ob_contacts_page_update_view (self);
  /* The pane does not stay open on a contact gone from the list. */
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == ob_contact_detail_pane_get_contact_id (self->detail_pane) &&
        gtk_widget_get_visible (GTK_WIDGET (self->detail_pane)))
      {
        gtk_widget_activate_action (GTK_WIDGET (self), "contacts.close-detail", NULL);
        break;
      }

  text = g_strdup_printf (g_dngettext (NULL, "%u contact deleted", "%u contacts deleted", ids->len),
                          ids->len);
  t = adw_toast_new (text);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_delete_toast_undo_cb), self, 0);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_delete_toast_dismissed_cb), self, 0);
  self->delete_toast = t;
  if (window != NULL)
    ob_window_add_toast (window, t);
  else
    g_object_unref (t);
}

/* TRUE while an action on the selection runs, a deletion let stand among
 * them (tests wait for it). */
gboolean
ob_contacts_page_is_busy (ObContactsPage *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_PAGE (self), FALSE);

  return self->bulk_running || self->domains_cancellable != NULL;
}

/* ---- suppress: the reason first, Undo after ---------------------------- */

static const struct
{
  ObSuppressionReason  reason;
  const char          *words;
} suppress_reasons[] = {
  { OB_SUPPRESSION_UNSUBSCRIBED, N_("Asked to be removed") },
  { OB_SUPPRESSION_COMPLAINT, N_("Complained about our mail") },
  { OB_SUPPRESSION_MANUAL, N_("Other reason") },
};

static void
on_suppress_toast_dismissed_cb (AdwToast       *t,
                                ObContactsPage *self)
{
  if (self->suppress_toast == t)
    self->suppress_toast = NULL;
}

/* The last suppression stands: its Undo toast goes. */
static void
dismiss_suppress_toast (ObContactsPage *self)
{
  if (self->suppress_toast == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->suppress_toast, self);
  _ob_contacts_page_dismiss_toast (self, g_steal_pointer (&self->suppress_toast));
}

static void
on_suppress_undo_cb (AdwToast       *t,
                     ObContactsPage *self)
{
  GPtrArray *entries = g_object_get_data (G_OBJECT (t), "entries");
  Bulk *b;

  if (self->store == NULL || entries == NULL || entries->len == 0)
    return;
  b = bulk_new (self, BULK_UNSUPPRESS, g_array_new (FALSE, FALSE, sizeof (gint64)));
  b->entries = g_ptr_array_ref (entries);
  /* Once: the toast's button goes with it, but a second click must
   * find nothing. */
  g_object_set_data (G_OBJECT (t), "entries", NULL);
  run_or_wait (self, b);
}

/* The outcome of a suppression: what it added, with Undo. */
static void
show_suppressed (ObContactsPage *self,
                 Bulk           *b)
{
  ObWindow *window = _ob_contacts_page_get_window (self);
  g_autofree char *text = NULL;
  AdwToast *t;

  if (b->count == 0)
    {
      _ob_contacts_page_toast (self, g_dngettext (NULL, "This contact was suppressed already",
                                                  "These contacts were suppressed already", b->ids->len));
      return;
    }
  if (window == NULL)
    return;
  /* One Undo at a time: the deletion waiting under its toast stands. */
  let_delete_stand (self);
  dismiss_suppress_toast (self);
  text = g_strdup_printf (g_dngettext (NULL, "Suppressed %u contact", "Suppressed %u contacts", b->count),
                          b->count);
  t = adw_toast_new (text);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (t), "entries", g_steal_pointer (&b->entries),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_suppress_undo_cb), self, 0);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_suppress_toast_dismissed_cb), self, 0);
  self->suppress_toast = t;
  ob_window_add_toast (window, t);
}

static void
on_suppress_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         ObContactsPage   *self)
{
  GtkWidget *note = g_object_get_data (G_OBJECT (dialog), "note");
  GtkCheckButton **choices = g_object_get_data (G_OBJECT (dialog), "choices");
  Bulk *b;

  if (!g_str_equal (response, "suppress") || self->store == NULL)
    return;
  b = bulk_new (self, BULK_SUPPRESS, g_array_ref (g_object_get_data (G_OBJECT (dialog), "ids")));
  b->reason = OB_SUPPRESSION_MANUAL;
  for (guint i = 0; i < G_N_ELEMENTS (suppress_reasons); i++)
    if (gtk_check_button_get_active (choices[i]))
      b->reason = suppress_reasons[i].reason;
  b->note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (note)));
  run_or_wait (self, b);
}

/* Enter anywhere in the dialog's choices suppresses: on a reason it would
 * only pick that reason again. */
static gboolean
activate_default_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   user_data)
{
  return gtk_widget_activate_action (widget, "default.activate", NULL);
}

/* Asks why @ids are suppressed, with an optional note; Suppress runs it. */
static void
suppress_dialog (ObContactsPage *self,
                 GArray         *ids)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (g_dngettext (NULL, "Suppress %u Contact?", "Suppress %u Contacts?",
                                                           ids->len), ids->len);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *group = g_object_new (GTK_TYPE_BOX, "orientation", GTK_ORIENTATION_VERTICAL, "spacing", 6,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP, NULL);
  GtkWidget *title = gtk_label_new (_("Reason"));
  GtkWidget *note = gtk_entry_new ();
  GtkCheckButton **choices = g_new0 (GtkCheckButton *, G_N_ELEMENTS (suppress_reasons));
  GtkEventController *keys = gtk_shortcut_controller_new ();
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                                       g_dngettext (NULL,
                                                                    "Nothing will be sent to this address any more. "
                                                                    "The reason is kept on the suppression list.",
                                                                    "Nothing will be sent to these addresses any "
                                                                    "more. The reason is kept on the suppression list.",
                                                                    ids->len)));
  gtk_widget_set_halign (title, GTK_ALIGN_START);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (group), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  for (guint i = 0; i < G_N_ELEMENTS (suppress_reasons); i++)
    {
      choices[i] = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (_(suppress_reasons[i].words)));
      gtk_accessible_update_property (GTK_ACCESSIBLE (choices[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(suppress_reasons[i].words), -1);
      if (i > 0)
        gtk_check_button_set_group (choices[i], choices[0]);
      gtk_box_append (GTK_BOX (group), GTK_WIDGET (choices[i]));
    }
  /* "Other", which says nothing the user did not. */
  gtk_check_button_set_active (choices[G_N_ELEMENTS (suppress_reasons) - 1], TRUE);
  gtk_box_append (GTK_BOX (box), group);

  gtk_widget_set_name (note, "suppress_note");
  gtk_entry_set_placeholder_text (GTK_ENTRY (note), _("Note (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (note), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL, C_("suppression", "Note"), -1);
  gtk_box_append (GTK_BOX (box), note);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < 3; i++)
    {
      static const guint enter_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                            gtk_shortcut_new (gtk_keyval_trigger_new (enter_keys[i], 0),
                                                              gtk_callback_action_new (activate_default_cb,
                                                                                       NULL, NULL)));
    }
  gtk_widget_add_controller (group, keys);

  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "suppress", _("_Suppress"), NULL);
  /* Escape is Cancel. */
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_appearance (dialog, "suppress", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "suppress");
  g_object_set_data_full (G_OBJECT (dialog), "ids", g_array_ref (ids), (GDestroyNotify) g_array_unref);
  g_object_set_data_full (G_OBJECT (dialog), "choices", choices, g_free);
  g_object_set_data (G_OBJECT (dialog), "note", note);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_suppress_response_cb), self, 0);
  /* The keyboard starts on the chosen reason: arrows and Space pick
   * another, Tab goes on to the note, Enter suppresses. */
  gtk_window_set_focus (GTK_WINDOW (dialog), GTK_WIDGET (choices[G_N_ELEMENTS (suppress_reasons) - 1]));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
suppress_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  g_autoptr(GArray) ids = NULL;

  if (self->model == NULL || self->bulk_running)
    return;
  ids = _ob_contacts_page_selected_ids (self);
  if (ids->len > 0)
    suppress_dialog (self, ids);
}

static void
recheck_selected_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  run_on_selection (OB_CONTACTS_PAGE (widget), BULK_RECHECK, NULL);
}

static void
tag_selected_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  g_autofree char *tag = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));

  if (self->model == NULL || self->bulk_running)
    return;
  gtk_popover_popdown (self->tag_popover);
  run_on_selection (self, BULK_TAG, tag);
}

static void
on_tag_entry_activate_cb (ObContactsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "contacts.tag-selected", NULL);
}

void
_ob_contacts_page_actions_dispose (ObContactsPage *self)
{
  Bulk *b;

  /* What the user asked for still runs, holding nothing of the page. */
  while ((b = g_queue_pop_head (&self->bulks_waiting)) != NULL)
    start_bulk (NULL, b);
  queue_pending_delete (self);
  if (self->delete_queued != NULL && self->store != NULL)
    start_bulk (NULL, bulk_new (self, BULK_DELETE, g_steal_pointer (&self->delete_queued)));
  g_clear_pointer (&self->delete_queued, g_array_unref);
  if (self->delete_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->delete_toast, self);
  self->delete_toast = NULL;
  if (self->suppress_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->suppress_toast, self);
  self->suppress_toast = NULL;
}

void
_ob_contacts_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "contacts.tag-selected", NULL, tag_selected_action);
  gtk_widget_class_install_action (widget_class, "contacts.suppress-selected", NULL, suppress_selected_action);
  gtk_widget_class_install_action (widget_class, "contacts.recheck-selected", NULL, recheck_selected_action);
  gtk_widget_class_install_action (widget_class, "contacts.delete-selected", NULL, delete_selected_action);
}
