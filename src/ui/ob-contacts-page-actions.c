/* ob-contacts-page-actions.c — the Contacts page's actions on a
 * selection: tag, suppress, re-check and delete with Undo, and the worker
 * that runs them. They are part of ObContactsPage (its struct is in
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
 * Deleting waits for the toast first: the rows are hidden (the list
 * model's table of hidden ids), Undo shows them again, anything else lets
 * the deletion stand. It is then queued, run when no other action runs,
 * and its rows stay hidden until it is done: gone, or, when it failed,
 * back as they were. */

typedef enum
{
  BULK_TAG,
  BULK_SUPPRESS,
  BULK_RECHECK,
  BULK_DELETE,
} BulkKind;

typedef struct
{
  BulkKind      kind;
  ObStore      *store;
  GArray       *ids;
  char         *tag;
  guint         count;  /* suppressed, or changed by the re-check */
  GApplication *app;    /* held while a deletion runs */
} Bulk;

static void
bulk_free (Bulk *b)
{
  g_assert (b->app == NULL);
  g_clear_object (&b->store);
  g_clear_pointer (&b->ids, g_array_unref);
  g_free (b->tag);
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
        ok = ob_contacts_edit_suppress (store, b->ids, &b->count, &error);
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

static void run_queued_delete (ObContactsPage *self);

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
        g_message ("Could not delete %u contacts: %s", b->ids->len, error->message);
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
                                      : b->kind == BULK_DELETE ? _("Could Not Delete Contacts")
                                      : _("Could Not Check the Addresses"), error);
      run_queued_delete (self);
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
      text = g_strdup_printf (g_dngettext (NULL, "%u address suppressed: nothing will be sent to it",
                                           "%u addresses suppressed: nothing will be sent to them", b->count),
                              b->count);
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
  run_queued_delete (self);
}

/* Runs @b in a worker. @self is NULL for a deletion committed by a page
 * that goes away: the worker then holds nothing of it. */
static void
start_bulk (ObContactsPage *self,
            Bulk           *b)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;

  /* The application stays while a deletion the user let stand runs:
   * closing the last window does not cut it off, and quitting waits for
   * it (ObApplication's shutdown waits while the application is busy). */
  if (b->kind == BULK_DELETE && (b->app = g_application_get_default ()) != NULL)
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

/* The deletions let stand, once no other action runs: one worker for
 * all of them, in one transaction. */
static void
run_queued_delete (ObContactsPage *self)
{
  if (self->bulk_running || self->delete_queued == NULL || self->store == NULL)
    return;
  start_bulk (self, bulk_new (self, BULK_DELETE, g_steal_pointer (&self->delete_queued)));
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
  run_queued_delete (self);
  _ob_contacts_page_update_view (self);
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
  /* One pending deletion at a time: the previous one stands (the window
   * dismisses the plain toasts before it shows this Undo one,
   * ob_window_add_toast). */
  if (self->delete_toast != NULL)
    {
      /* Its going may come later (_ob_contacts_page_dismiss_toast()), and
       * must not touch the deletion about to wait under the new toast. */
      g_signal_handlers_disconnect_by_data (self->delete_toast, self);
      _ob_contacts_page_dismiss_toast (self, g_steal_pointer (&self->delete_toast));
    }
  commit_delete (self);

  if (!ob_contact_table_model_hide (self->model, ids, &error))
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Delete Contacts"), error);
      return;
    }
  self->pending_delete = g_array_ref (ids);
  self->total = -1;
  _ob_contacts_page_update_view (self);

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

static void
suppress_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  run_on_selection (OB_CONTACTS_PAGE (widget), BULK_SUPPRESS, NULL);
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
  queue_pending_delete (self);
  if (self->delete_queued != NULL && self->store != NULL)
    start_bulk (NULL, bulk_new (self, BULK_DELETE, g_steal_pointer (&self->delete_queued)));
  g_clear_pointer (&self->delete_queued, g_array_unref);
  if (self->delete_toast != NULL)
    g_signal_handlers_disconnect_by_data (self->delete_toast, self);
  self->delete_toast = NULL;
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
