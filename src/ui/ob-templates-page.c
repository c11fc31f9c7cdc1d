/* ob-templates-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-templates-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-template.h"
#include "ob-template-editor.h"
#include "ob-template-library.h"
#include "ob-templates-page.h"
#include "ob-window.h"

/* The Templates page: the saved templates on the left, the editor with
 * live lint on the right; an empty state until there is one. */
struct _ObTemplatesPage
{
  AdwBin            parent_instance;

  ObStore          *store;
  GPtrArray        *templates; /* ObTemplate, in list order */
  gboolean          reloading;

  GtkStack         *stack;
  AdwStatusPage    *empty_page;
  AdwLeaflet       *leaflet;
  GtkWidget        *list_pane;
  GtkListBox       *template_list;
  ObTemplateEditor *editor;

  gint64            deleting_id;    /* hidden, deleted when its toast goes */
  AdwToast         *delete_toast;
};

G_DEFINE_FINAL_TYPE (ObTemplatesPage, ob_templates_page, ADW_TYPE_BIN)

static void
toast (ObTemplatesPage *self,
       const char      *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (OB_IS_WINDOW (root))
    ob_window_add_toast (OB_WINDOW (root), adw_toast_new (text));
}

static void
show_error (ObTemplatesPage *self,
            const char      *heading,
            const GError    *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
template_row_new (ObTemplate *template)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (ob_template_get_name (template));
  const char *subject = ob_template_get_subject (template);
  GtkWidget *sub = gtk_label_new (subject && *subject ? subject : _("No subject"));

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ob_template_get_name (template), -1);
  g_object_set_data (G_OBJECT (row), "ob-name-label", name);
  g_object_set_data (G_OBJECT (row), "ob-subject-label", sub);
  g_object_set_data (G_OBJECT (row), "ob-template-id", GSIZE_TO_POINTER ((gsize) ob_template_get_id (template)));
  return row;
}

/* The row of the template being edited follows its name and subject as
 * they are typed (after each lint), not only once it is saved. */
static void
on_linted_cb (ObTemplatesPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->template_list);
  g_autoptr(ObTemplate) t = NULL;
  const char *subject;

  if (row == NULL)
    return;
  t = ob_template_editor_get_template (self->editor);
  if (t == NULL || (gsize) ob_template_get_id (t) != GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "ob-template-id")))
    return;
  subject = ob_template_get_subject (t);
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "ob-name-label"), ob_template_get_name (t));
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "ob-subject-label"),
                       subject && *subject ? subject : _("No subject"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, ob_template_get_name (t), -1);
}

/* Reloads the list from the database and selects @select_id (or the
 * first template when it is 0 or gone). */
static void
reload (ObTemplatesPage *self,
        gint64           select_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  GtkWidget *child;
  GtkListBoxRow *select = NULL;

  if (self->store == NULL)
    return;

  templates = ob_template_library_list (self->store, &error);
  if (templates == NULL)
    {
      g_warning ("Cannot list templates: %s", error->message);
      return;
    }

  self->reloading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->template_list))) != NULL)
    gtk_list_box_remove (self->template_list, child);
  /* The one being deleted is gone from the list while its Undo shows. */
  for (guint i = 0; i < templates->len; )
    if (self->deleting_id != 0 && ob_template_get_id (templates->pdata[i]) == self->deleting_id)
      g_ptr_array_remove_index (templates, i);
    else
      i++;
  for (guint i = 0; i < templates->len; i++)
    {
      GtkWidget *row = template_row_new (templates->pdata[i]);

      gtk_list_box_append (self->template_list, row);
      if (select == NULL || ob_template_get_id (templates->pdata[i]) == select_id)
        select = GTK_LIST_BOX_ROW (row);
    }
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  self->templates = g_steal_pointer (&templates);
  self->reloading = FALSE;

  gtk_stack_set_visible_child_name (self->stack, self->templates->len ? "templates" : "empty");
  if (select != NULL)
    gtk_list_box_select_row (self->template_list, select);
}

static void
on_row_selected_cb (ObTemplatesPage *self,
                    GtkListBoxRow   *row,
                    GtkListBox      *list)
{
  ObTemplate *template;
  int index;

  if (row == NULL || self->templates == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->templates->len)
    return;
  template = self->templates->pdata[index];

  /* Switching away keeps the work: it is saved (earlier versions stay). */
  if (!self->reloading && ob_template_editor_get_modified (self->editor))
    {
      g_autoptr(ObTemplate) current = ob_template_editor_get_template (self->editor);
      g_autoptr(GError) error = NULL;

      if (ob_template_get_id (current) != ob_template_get_id (template) &&
          !ob_template_editor_save (self->editor, &error))
        show_error (self, _("The Template Was Not Saved"), error);
    }

  ob_template_editor_set_template (self->editor, template);
  if (!self->reloading)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_back_clicked_cb (ObTemplatesPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

static void
on_saved_cb (ObTemplatesPage *self)
{
  g_autoptr(ObTemplate) t = ob_template_editor_get_template (self->editor);
  /* No version number: the window shows none elsewhere, and the first
   * save of a new template would say "version 2" (New saved the starter). */
  g_autofree char *text = g_strdup_printf (_("Saved “%s”"), ob_template_get_name (t));

  reload (self, ob_template_get_id (t));
  toast (self, text);
}

/* A new template starts as a short, clean first mail to edit. */
static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  ObTemplatesPage *self = OB_TEMPLATES_PAGE (widget);
  g_autoptr(ObTemplate) t = ob_template_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  if (self->store == NULL)
    return;

  /* The starter is the mail itself, read by buyers abroad: it stays in
   * English whatever the language of the interface. */
  body = g_strdup ("Dear {{first_name|Sir or Madam}},\n\n"
                   "Write your message here.\n\n"
                   "Best regards,\n{{signature}}\n\n"
                   "If you would rather not hear from us again, just reply \"unsubscribe\".\n");
  ob_template_set_name (t, _("New template"));
  ob_template_set_subject (t, "");
  ob_template_set_body_text (t, body);
  if (!ob_template_library_save (self->store, t, &error))
    {
      show_error (self, _("The Template Was Not Created"), error);
      return;
    }
  reload (self, ob_template_get_id (t));
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

/* The template shown in the editor, saved first when it was changed so
 * that a copy (or an undo) has what the user sees. */
static ObTemplate *
current_template (ObTemplatesPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->templates == NULL || self->templates->len == 0)
    return NULL;
  if (ob_template_editor_get_modified (self->editor) && !ob_template_editor_save (self->editor, &error))
    {
      show_error (self, _("The Template Was Not Saved"), error);
      return NULL;
    }
  return ob_template_editor_get_template (self->editor);
}

/* A copy to rework for another market or another product: a new
 * template (its own versions), selected to edit. */
static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ObTemplatesPage *self = OB_TEMPLATES_PAGE (widget);
  g_autoptr(ObTemplate) t = current_template (self);
  g_autoptr(ObTemplate) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  GPtrArray *attachments;

  if (t == NULL)
    return;
  copy = ob_template_new ();
  /* Translators: the name of a duplicated template; %s is the original's */
  name = g_strdup_printf (_("%s (copy)"), ob_template_get_name (t));
  ob_template_set_name (copy, name);
  ob_template_set_subject (copy, ob_template_get_subject (t));
  ob_template_set_body_text (copy, ob_template_get_body_text (t));
  ob_template_set_body_html (copy, ob_template_get_body_html (t));
  ob_template_set_language (copy, ob_template_get_language (t));
  attachments = ob_template_get_attachments (t);
  for (guint i = 0; i < attachments->len; i++)
    ob_template_add_attachment (copy, attachments->pdata[i]);
  if (!ob_template_library_save (self->store, copy, &error))
    {
      show_error (self, _("The Template Was Not Duplicated"), error);
      return;
    }
  reload (self, ob_template_get_id (copy));
  text = g_strdup_printf (_("Duplicated as “%s”"), name);
  toast (self, text);
}

/* The toast went without Undo: the template is deleted for good. */
static void
on_delete_toast_dismissed_cb (AdwToast        *toast,
                              ObTemplatesPage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = self->deleting_id;

  if (toast != self->delete_toast)
    return;
  g_clear_object (&self->delete_toast);
  self->deleting_id = 0;
  if (id == 0 || self->store == NULL)
    return;
  if (!ob_template_library_delete (self->store, id, &error))
    {
      /* A campaign took it up meanwhile: it stays, and says why. */
      reload (self, id);
      show_error (self, _("The Template Was Not Deleted"), error);
    }
}

static void
on_delete_undo_cb (AdwToast        *toast,
                   ObTemplatesPage *self)
{
  gint64 id = self->deleting_id;

  if (toast != self->delete_toast)
    return;
  self->deleting_id = 0;
  g_clear_object (&self->delete_toast);
  reload (self, id);
}

/* Deletes the template after the toast's Undo has had its time; one a
 * campaign sends is kept, with the reason. */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ObTemplatesPage *self = OB_TEMPLATES_PAGE (widget);
  g_autoptr(ObTemplate) t = current_template (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (t == NULL || ob_template_get_id (t) == 0)
    return;
  if (!ob_template_library_can_delete (self->store, ob_template_get_id (t), &error))
    {
      show_error (self, _("The Template Was Not Deleted"), error);
      return;
    }

  /* One deletion waits at a time: an earlier one goes now. */
  if (self->delete_toast != NULL && OB_IS_WINDOW (root))
    ob_window_dismiss_toast (OB_WINDOW (root), self->delete_toast);
  if (self->delete_toast != NULL)
    on_delete_toast_dismissed_cb (self->delete_toast, self);

  self->deleting_id = ob_template_get_id (t);
  reload (self, 0);
  text = g_strdup_printf (_("“%s” deleted"), ob_template_get_name (t));
  self->delete_toast = adw_toast_new (text);
  adw_toast_set_button_label (self->delete_toast, _("_Undo"));
  adw_toast_set_priority (self->delete_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (self->delete_toast, 10);
  g_signal_connect_object (self->delete_toast, "button-clicked", G_CALLBACK (on_delete_undo_cb), self, 0);
  g_signal_connect_object (self->delete_toast, "dismissed", G_CALLBACK (on_delete_toast_dismissed_cb), self, 0);
  if (OB_IS_WINDOW (root))
    ob_window_add_toast (OB_WINDOW (root), g_object_ref (self->delete_toast));
  else
    on_delete_toast_dismissed_cb (self->delete_toast, self);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(ObTemplatesPage) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ObTemplate) t = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL || self->store == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL || !(t = ob_template_new_from_file (path, &error)) || !ob_template_library_save (self->store, t, &error))
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be added."));
      show_error (self, _("The Template File Was Not Added"), error);
      return;
    }
  reload (self, ob_template_get_id (t));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObTemplatesPage *self = OB_TEMPLATES_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Add a Template File"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Template files"));
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_pattern (filter, "*.eml");
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
ob_templates_page_realize (GtkWidget *widget)
{
  ObTemplatesPage *self = OB_TEMPLATES_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (ob_templates_page_parent_class)->realize (widget);

  root = gtk_widget_get_root (widget);
  if (self->store == NULL && OB_IS_WINDOW (root) && ob_window_get_store (OB_WINDOW (root)))
    {
      self->store = g_object_ref (ob_window_get_store (OB_WINDOW (root)));
      ob_template_editor_set_store (self->editor, self->store);
      reload (self, 0);
    }
}

/* The window closes while Undo still shows: the deletion the user asked
 * for happens. */
static void
ob_templates_page_dispose (GObject *object)
{
  ObTemplatesPage *self = (ObTemplatesPage *)object;

  if (self->delete_toast != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->delete_toast, self);
      if (self->deleting_id != 0 && self->store != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!ob_template_library_delete (self->store, self->deleting_id, &error))
            g_warning ("The template was not deleted: %s", error->message);
        }
      self->deleting_id = 0;
      g_clear_object (&self->delete_toast);
    }

  G_OBJECT_CLASS (ob_templates_page_parent_class)->dispose (object);
}

static void
ob_templates_page_finalize (GObject *object)
{
  ObTemplatesPage *self = (ObTemplatesPage *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->templates, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_templates_page_parent_class)->finalize (object);
}

static void
ob_templates_page_class_init (ObTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_templates_page_dispose;
  object_class->finalize = ob_templates_page_finalize;
  widget_class->realize = ob_templates_page_realize;

  g_type_ensure (OB_TYPE_TEMPLATE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, template_list);
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "templates.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "templates.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "templates.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "templates.delete", NULL, delete_action);
}

static void
ob_templates_page_init (ObTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->template_list, "row-selected", G_CALLBACK (on_row_selected_cb), self);
  g_signal_connect_swapped (self->editor, "saved", G_CALLBACK (on_saved_cb), self);
  g_signal_connect_swapped (self->editor, "linted", G_CALLBACK (on_linted_cb), self);
}

GtkWidget *
ob_templates_page_new (void)
{
  return g_object_new (OB_TYPE_TEMPLATES_PAGE, NULL);
}
