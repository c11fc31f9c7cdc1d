/* ob-template-editor.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "ob-account.h"
#include "ob-contact-fields.h"
#include "ob-contact.h"
#include "ob-contacts.h"
#include "ob-html.h"
#include "ob-mail-transport.h"
#include "ob-merge.h"
#include "ob-message-composer.h"
#include "ob-template-editor.h"
#include "ob-template-library.h"
#include "ob-template-linter.h"
#include "ob-window.h"

/* Lint runs this long after the last keystroke, off the keystroke path. */
#define LINT_DELAY_MS 250
/* Contacts offered in the preview's drop-down. */
#define PREVIEW_CONTACTS 200

struct _ObTemplateEditor
{
  GtkWidget          parent_instance;

  ObStore           *store;
  ObTemplate        *template;
  ObTemplateLinter  *linter;
  GCancellable      *lint_cancellable;
  GPtrArray         *findings;      /* ObLintFinding, for the text shown now */
  GArray            *contact_ids;   /* gint64, parallel to the preview drop-down */
  guint              lint_source;
  gboolean           loading;
  gboolean           modified;

  GtkSourceBuffer   *buffer;
  GtkTextTag        *tag_error;
  GtkTextTag        *tag_warning;
  GtkTextTag        *tag_info;
  GtkTextTag        *tag_field;

  GtkWidget         *toolbar;
  GtkEntry          *name_entry;
  GtkToggleButton   *html_toggle;
  GtkMenuButton     *insert_button;
  GtkToggleButton   *preview_toggle;
  GtkEntry          *subject_entry;
  GtkSourceView     *body_view;
  GtkStack          *mode_stack;
  GtkDropDown       *contact_dropdown;
  GtkLabel          *preview_subject;
  GtkLabel          *preview_note;
  GtkTextView       *preview_view;
  GtkLevelBar       *score_bar;
  GtkLabel          *score_label;
  GtkLabel          *summary_label;
  GtkListBox        *findings_list;
  GtkPaned          *paned;
  GtkWidget         *side_panel;
  guint              layout_idle;
  gboolean           want_below;
  GtkListBox        *attachments_list;
  ObMailTransport   *transport;     /* for test mails, made on first use */
  GCancellable      *test_cancellable;
  AdwToast          *test_toast;    /* the last toast about a test mail */
};

G_DEFINE_FINAL_TYPE (ObTemplateEditor, ob_template_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODIFIED,
  N_PROPS
};

enum {
  SAVED,
  LINTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_preview (ObTemplateEditor *self);

static char *
get_body (ObTemplateEditor *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, FALSE);
}

static gboolean
is_html (ObTemplateEditor *self)
{
  return gtk_toggle_button_get_active (self->html_toggle);
}

/* The template as the widgets show it now (a copy; the loaded one keeps
 * its id and version so that saving makes the next version). */
static ObTemplate *
template_from_widgets (ObTemplateEditor *self)
{
  g_autoptr(ObTemplate) t = self->template ? ob_template_copy (self->template) : ob_template_new ();
  g_autofree char *body = get_body (self);

  ob_template_set_name (t, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  ob_template_set_subject (t, gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  if (is_html (self))
    ob_template_set_body_html (t, body);
  else
    {
      ob_template_set_body_text (t, body);
      ob_template_set_body_html (t, NULL);
    }

  return g_steal_pointer (&t);
}

static void
set_modified (ObTemplateEditor *self,
              gboolean          modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", modified && self->store != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static const char *
severity_icon (ObLintSeverity severity)
{
  switch (severity)
    {
    case OB_LINT_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case OB_LINT_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case OB_LINT_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_class (ObLintSeverity severity)
{
  switch (severity)
    {
    case OB_LINT_SEVERITY_ERROR:
      return "error";
    case OB_LINT_SEVERITY_WARNING:
      return "warning";
    case OB_LINT_SEVERITY_INFO:
    default:
      return "dim-label";
    }
}

/* A fix we can apply in one click: the linter gives the replacement text
 * for the range ("" deletes, an empty range inserts). */
static gboolean
finding_has_applicable_fix (const ObLintFinding *f)
{
  return f->replacement != NULL && f->part != OB_LINT_PART_ATTACHMENT;
}

static gboolean
finding_is_in_body (ObTemplateEditor    *self,
                    const ObLintFinding *f)
{
  return (f->part == OB_LINT_PART_TEXT && !is_html (self)) ||
         (f->part == OB_LINT_PART_HTML && is_html (self));
}

static void
apply_fix (ObTemplateEditor    *self,
           const ObLintFinding *f)
{
  if (f->replacement == NULL)
    return;

  if (f->part == OB_LINT_PART_SUBJECT)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->subject_entry));
      glong len = g_utf8_strlen (text, -1);
      g_autoptr(GString) s = g_string_new (NULL);

      if (f->start > (gsize) len || f->end > (gsize) len || f->start > f->end)
        return;
      g_string_append_len (s, text, g_utf8_offset_to_pointer (text, f->start) - text);
      g_string_append (s, f->replacement);
      g_string_append (s, g_utf8_offset_to_pointer (text, f->end));
      gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), s->str);
      return;
    }

  if (finding_is_in_body (self, f))
    {
      GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
      GtkTextIter start, end;
      int chars = gtk_text_buffer_get_char_count (buffer);

      if ((int) f->start > chars || (int) f->end > chars || f->start > f->end)
        return;
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, f->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, f->end);
      gtk_text_buffer_delete (buffer, &start, &end);
      gtk_text_buffer_insert (buffer, &start, f->replacement, -1);
      gtk_text_buffer_end_user_action (buffer);
    }
}

static void
on_fix_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  ObTemplateEditor *self = user_data;
  const ObLintFinding *f = g_object_get_data (G_OBJECT (button), "finding");

  if (f != NULL)
    {
      g_autoptr(ObLintFinding) copy = ob_lint_finding_copy (f);
      apply_fix (self, copy);
    }
}

/* Shows where a finding is: selects its range in the subject or body. */
static void
on_finding_activated_cb (AdwActionRow *row,
                         gpointer      user_data)
{
  ObTemplateEditor *self = user_data;
  const ObLintFinding *f = g_object_get_data (G_OBJECT (row), "finding");

  if (f == NULL)
    return;

  if (f->part == OB_LINT_PART_SUBJECT)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->subject_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->subject_entry), f->start, f->end);
    }
  else if (finding_is_in_body (self, f))
    {
      GtkTextIter start, end;

      gtk_stack_set_visible_child_name (self->mode_stack, "edit");
      gtk_toggle_button_set_active (self->preview_toggle, FALSE);
      gtk_text_buffer_get_iter_at_offset (GTK_TEXT_BUFFER (self->buffer), &start, f->start);
      gtk_text_buffer_get_iter_at_offset (GTK_TEXT_BUFFER (self->buffer), &end, f->end);
      gtk_text_buffer_select_range (GTK_TEXT_BUFFER (self->buffer), &start, &end);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->body_view), &start, 0.2, FALSE, 0, 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
    }
}

static GtkWidget *
finding_row_new (ObTemplateEditor    *self,
                 const ObLintFinding *f)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (f->severity));
  g_autofree char *title = g_markup_escape_text (f->message ? f->message : f->rule, -1);
  ObLintFinding *copy = ob_lint_finding_copy (f);

  gtk_widget_add_css_class (icon, severity_class (f->severity));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ob_lint_severity_to_string (f->severity), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* The whole message, however narrow the panel: cut after a few lines it
   * lost what to do ("…no signature with your name, compa…"). The rule's
   * id is for outbound-cli, not a tooltip. */
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  g_object_set_data_full (G_OBJECT (row), "finding", copy, (GDestroyNotify) ob_lint_finding_free);

  if (finding_has_applicable_fix (f))
    {
      GtkWidget *button = gtk_button_new_with_label (_("Fix"));
      g_autofree char *tip = f->fix ? g_strdup (f->fix) : g_strdup (_("Fix it"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
      g_object_set_data (G_OBJECT (button), "finding", copy);
      g_signal_connect (button, "clicked", G_CALLBACK (on_fix_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  /* What to do, on screen beside the Fix button too: a button that says
   * only "Fix" does not tell what it will write into the mail. */
  if (f->fix != NULL && *f->fix != '\0')
    {
      g_autofree char *subtitle = g_markup_escape_text (f->fix, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }

  if (f->part != OB_LINT_PART_ATTACHMENT)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (on_finding_activated_cb), self);
    }

  return row;
}

static void
highlight_merge_fields (ObTemplateEditor *self)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  g_autofree char *body = get_body (self);
  g_autoptr(GPtrArray) fields = ob_merge_parse (body, NULL);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->tag_field, &start, &end);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const ObMergeField *field = fields->pdata[i];

      gtk_text_buffer_get_iter_at_offset (buffer, &start, field->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, field->end);
      gtk_text_buffer_apply_tag (buffer, self->tag_field, &start, &end);
    }
}

static void
show_findings (ObTemplateEditor *self)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  PangoAttrList *attrs = pango_attr_list_new ();
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_entry));
  GtkTextIter start, end;
  GtkWidget *child;
  guint errors = 0, warnings = 0, notes = 0;
  double score;
  g_autofree char *score_text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->tag_error, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->tag_warning, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->tag_info, &start, &end);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))) != NULL)
    gtk_list_box_remove (self->findings_list, child);

  for (guint i = 0; i < self->findings->len; i++)
    {
      const ObLintFinding *f = self->findings->pdata[i];
      GtkTextTag *tag = f->severity == OB_LINT_SEVERITY_ERROR ? self->tag_error
                      : f->severity == OB_LINT_SEVERITY_WARNING ? self->tag_warning
                      : self->tag_info;

      if (f->severity == OB_LINT_SEVERITY_ERROR)
        errors++;
      else if (f->severity == OB_LINT_SEVERITY_WARNING)
        warnings++;
      else
        notes++;

      gtk_list_box_append (self->findings_list, finding_row_new (self, f));

      if (f->start == f->end)
        continue;
      if (f->part == OB_LINT_PART_SUBJECT && f->end <= (gsize) g_utf8_strlen (subject, -1))
        {
          PangoAttribute *underline = pango_attr_underline_new (PANGO_UNDERLINE_ERROR);

          underline->start_index = g_utf8_offset_to_pointer (subject, f->start) - subject;
          underline->end_index = g_utf8_offset_to_pointer (subject, f->end) - subject;
          pango_attr_list_insert (attrs, underline);
        }
      else if (finding_is_in_body (self, f) && (int) f->end <= gtk_text_buffer_get_char_count (buffer))
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &start, f->start);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, f->end);
          gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
        }
    }
  gtk_entry_set_attributes (self->subject_entry, attrs);
  pango_attr_list_unref (attrs);

  score = ob_template_linter_score (self->findings);
  gtk_level_bar_set_value (self->score_bar, score);
  /* Translators: the deliverability score beside its bar, out of 10 */
  score_text = g_strdup_printf (_("%.1f / 10"), score);
  gtk_label_set_label (self->score_label, score_text);

  if (errors == 0 && warnings == 0 && notes == 0)
    gtk_label_set_label (self->summary_label, _("Nothing a spam filter would hold against this message."));
  else
    {
      /* Translators: a summary of lint findings, each kind with its count */
      g_autofree char *summary = g_strdup_printf (_("Errors %u · Warnings %u · Notes %u"), errors, warnings, notes);
      gtk_label_set_label (self->summary_label, summary);
    }
}

static void
lint_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ObTemplateEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  findings = ob_template_linter_lint_finish (OB_TEMPLATE_LINTER (object), result, &error);
  if (findings == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Lint failed: %s", error->message);
      return;
    }

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = g_steal_pointer (&findings);
  show_findings (self);
  g_signal_emit (self, signals[LINTED], 0);
}

/* Lints the template as shown now; a lint still running is cancelled. */
void
ob_template_editor_lint_now (ObTemplateEditor *self)
{
  g_autoptr(ObTemplate) t = NULL;

  g_return_if_fail (OB_IS_TEMPLATE_EDITOR (self));

  g_clear_handle_id (&self->lint_source, g_source_remove);
  g_cancellable_cancel (self->lint_cancellable);
  g_clear_object (&self->lint_cancellable);
  self->lint_cancellable = g_cancellable_new ();

  t = template_from_widgets (self);
  ob_template_linter_set_first_mail (self->linter, TRUE);
  ob_template_linter_lint_async (self->linter, t, self->lint_cancellable,
                                 lint_done_cb, g_object_ref (self));
}

static gboolean
lint_timeout_cb (gpointer user_data)
{
  ObTemplateEditor *self = user_data;

  self->lint_source = 0;
  ob_template_editor_lint_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_changed_cb (ObTemplateEditor *self)
{
  if (self->loading)
    return;
  set_modified (self, TRUE);
  highlight_merge_fields (self);
  g_clear_handle_id (&self->lint_source, g_source_remove);
  self->lint_source = g_timeout_add (LINT_DELAY_MS, lint_timeout_cb, self);
  if (gtk_toggle_button_get_active (self->preview_toggle))
    update_preview (self);
}

static void
update_language (ObTemplateEditor *self)
{
  GtkSourceLanguage *language = NULL;

  if (is_html (self))
    language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), "html");
  gtk_source_buffer_set_language (self->buffer, language);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->body_view), is_html (self));
}

/* The source view follows the light or dark style. */
static void
update_style_scheme (ObTemplateEditor *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark"
                                                                                                : "Adwaita"));
}

static void
on_html_toggled_cb (ObTemplateEditor *self)
{
  update_language (self);
  on_changed_cb (self);
}

/* The contact's merge values (empty for no contact: fallbacks show). */
static GHashTable *
contact_values (ObTemplateEditor *self,
                gint64            contact_id)
{
  GHashTable *values = NULL;

  if (self->store != NULL && contact_id > 0)
    values = ob_contact_merge_values (self->store, contact_id, NULL);
  if (values == NULL)
    values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return values;
}

/* The contact's name as the preview list shows it: the name, or first and
 * last name; NULL when there is none. */
static char *
display_name (ObContact *contact)
{
  const char *name = ob_contact_get_name (contact);
  g_autofree char *joined = NULL;

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  joined = g_strstrip (g_strjoin (" ",
                                  ob_contact_get_text (contact, OB_CONTACT_COLUMN_FIRST_NAME) ?: "",
                                  ob_contact_get_text (contact, OB_CONTACT_COLUMN_LAST_NAME) ?: "",
                                  NULL));
  return *joined != '\0' ? g_steal_pointer (&joined) : NULL;
}

static void
load_preview_contacts (ObTemplateEditor *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(ObSegment) active = ob_segment_new ();
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;

  g_array_set_size (self->contact_ids, 0);
  active->statuses = g_strdupv ((char *[]) { (char *) "active", NULL });
  if (self->store != NULL &&
      (contacts = ob_contacts_list (self->store, active, 0, PREVIEW_CONTACTS, &error)) == NULL)
    g_debug ("No contacts for the preview: %s", error->message);
  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      ObContact *contact = g_ptr_array_index (contacts, i);
      gint64 id = ob_contact_get_id (contact);
      const char *email = ob_contact_get_email (contact);
      const char *company = ob_contact_get_company (contact);
      g_autofree char *name = display_name (contact);
      g_autofree char *label = NULL;

      if (name != NULL)
        label = company ? g_strdup_printf ("%s, %s <%s>", name, company, email)
                        : g_strdup_printf ("%s <%s>", name, email);
      else
        label = g_strdup (email);
      gtk_string_list_append (model, label);
      g_array_append_val (self->contact_ids, id);
    }
  if (self->contact_ids->len == 0)
    gtk_string_list_append (model, _("A contact with no details (fallbacks shown)"));

  gtk_drop_down_set_model (self->contact_dropdown, G_LIST_MODEL (model));
}

/* The contacts of the preview drop-down, ellipsized: an address of sixty
 * characters must not widen the editor past its pane. */
static void
setup_contact_item_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_list_item_set_child (item, label);
}

static void
bind_contact_item_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkStringObject *text = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (text));
}

/* The preview's tags, one per ObHtmlStyle, made once. */
static void
make_preview_tags (GtkTextBuffer *buffer)
{
  gtk_text_buffer_create_tag (buffer, "html-bold", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "html-italic", "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "html-underline", "underline", PANGO_UNDERLINE_SINGLE, NULL);
  gtk_text_buffer_create_tag (buffer, "html-strikethrough", "strikethrough", TRUE, NULL);
  gtk_text_buffer_create_tag (buffer, "html-monospace", "family", "monospace", NULL);
  gtk_text_buffer_create_tag (buffer, "html-heading", "weight", PANGO_WEIGHT_BOLD, "scale", 1.4, NULL);
  gtk_text_buffer_create_tag (buffer, "html-subheading", "weight", PANGO_WEIGHT_BOLD, "scale", 1.15, NULL);
  gtk_text_buffer_create_tag (buffer, "html-quote", "left-margin", 24, "style", PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "html-link", "underline", PANGO_UNDERLINE_SINGLE,
                              "foreground-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 1 }, NULL);
}

static const char *
preview_tag_name (ObHtmlStyle style)
{
  switch (style)
    {
    case OB_HTML_STYLE_BOLD: return "html-bold";
    case OB_HTML_STYLE_ITALIC: return "html-italic";
    case OB_HTML_STYLE_UNDERLINE: return "html-underline";
    case OB_HTML_STYLE_STRIKETHROUGH: return "html-strikethrough";
    case OB_HTML_STYLE_MONOSPACE: return "html-monospace";
    case OB_HTML_STYLE_HEADING: return "html-heading";
    case OB_HTML_STYLE_SUBHEADING: return "html-subheading";
    case OB_HTML_STYLE_QUOTE: return "html-quote";
    case OB_HTML_STYLE_LINK: return "html-link";
    default: return NULL;
    }
}

/* @spans (ObHtmlSpan, byte offsets in @text) may be NULL. */
static void
show_preview_text (ObTemplateEditor *self,
                   const char       *text,
                   GArray           *spans)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->preview_view);

  if (text == NULL)
    text = "";
  gtk_text_buffer_set_text (buffer, text, -1);
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const ObHtmlSpan *span = &g_array_index (spans, ObHtmlSpan, i);
      const char *tag = preview_tag_name (span->style);
      GtkTextIter start, end;

      if (tag == NULL)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_utf8_pointer_to_offset (text, text + span->start));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_utf8_pointer_to_offset (text, text + span->end));
      gtk_text_buffer_apply_tag_by_name (buffer, tag, &start, &end);
    }
}

static void
update_preview (ObTemplateEditor *self)
{
  g_autoptr(ObTemplate) t = template_from_widgets (self);
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  guint selected = gtk_drop_down_get_selected (self->contact_dropdown);
  gint64 contact_id = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected < self->contact_ids->len)
    contact_id = g_array_index (self->contact_ids, gint64, selected);
  values = contact_values (self, contact_id);

  subject = ob_merge_render (ob_template_get_subject (t), values, OB_MERGE_MODE_HEADER, NULL);
  gtk_label_set_label (self->preview_subject, subject);

  /* The HTML preview is its text with the formatting the HTML gives it:
   * nothing in it runs or loads from the web. */
  if (ob_template_get_body_html (t) != NULL)
    {
      g_autofree char *html = ob_merge_render (ob_template_get_body_html (t), values, OB_MERGE_MODE_HTML, NULL);
      g_autoptr(GArray) spans = NULL;

      text = ob_html_to_styled_text (html, &spans);
      gtk_label_set_label (self->preview_note,
                           _("A simplified view of the HTML: its text and formatting. Images and remote "
                             "content are never loaded."));
      gtk_widget_set_visible (GTK_WIDGET (self->preview_note), TRUE);
      show_preview_text (self, text, spans);
    }
  else
    {
      text = ob_merge_render (ob_template_get_body_text (t), values, OB_MERGE_MODE_TEXT, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->preview_note), FALSE);
      show_preview_text (self, text, NULL);
    }
}

static void
on_preview_toggled_cb (ObTemplateEditor *self)
{
  gboolean preview = gtk_toggle_button_get_active (self->preview_toggle);

  if (preview)
    {
      load_preview_contacts (self);
      update_preview (self);
    }
  gtk_stack_set_visible_child_name (self->mode_stack, preview ? "preview" : "edit");
}

/* The merge values of the contact chosen in the preview, or of the first
 * contact when the preview has not been opened; none when there is none. */
static GHashTable *
sample_values (ObTemplateEditor *self)
{
  guint selected;

  if (self->contact_ids->len == 0)
    load_preview_contacts (self);
  selected = gtk_drop_down_get_selected (self->contact_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->contact_ids->len)
    selected = 0;
  return contact_values (self, selected < self->contact_ids->len ? g_array_index (self->contact_ids, gint64, selected) : 0);
}

/* Shows @text in a toast; the toast of an earlier call that is still up
 * (the "Sending…") goes first. */
static void
toast (ObTemplateEditor *self,
       const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!OB_IS_WINDOW (root))
    return;
  if (self->test_toast != NULL)
    ob_window_dismiss_toast (OB_WINDOW (root), self->test_toast);
  g_clear_object (&self->test_toast);
  self->test_toast = adw_toast_new (text);
  adw_toast_set_timeout (self->test_toast, 8);
  ob_window_add_toast (OB_WINDOW (root), g_object_ref (self->test_toast));
}

static void
show_test_error (ObTemplateEditor *self,
                 const char       *heading,
                 const char       *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), heading, body);

  if (self->test_toast != NULL && OB_IS_WINDOW (root))
    ob_window_dismiss_toast (OB_WINDOW (root), self->test_toast);
  g_clear_object (&self->test_toast);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ObTemplateEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = ob_send_transport_send_finish (OB_SEND_TRANSPORT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.send-test", TRUE);

  if (results != NULL && results->len > 0)
    {
      const ObRecipientResult *r = results->pdata[0];

      if (r->code >= 200 && r->code < 300)
        {
          g_autofree char *text = g_strdup_printf (_("Test sent to %s. Look at it in your inbox as a buyer would."),
                                                   r->recipient);
          toast (self, text);
        }
      else
        {
          g_autofree char *reply = ob_recipient_result_to_string (r);
          g_autofree char *text = g_strdup_printf (_("The server refused it: %s"), reply);
          show_test_error (self, _("The Test Was Not Sent"), text);
        }
      return;
    }
  show_test_error (self, _("The Test Was Not Sent"), error ? error->message : _("The server did not answer."));
}

/* Sends the template as it is shown now, merged for the contact of the
 * preview, to the sending account's own address. */
static void
send_test_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ObTemplateEditor *self = OB_TEMPLATE_EDITOR (widget);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(ObMessageComposer) composer = NULL;
  g_autoptr(ObTemplate) t = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *sending = NULL;
  GMimeMessage *message;
  ObAccount *account;
  const char *recipients[2] = { NULL, NULL };

  if (self->store == NULL)
    return;
  accounts = ob_account_store_list (self->store, &error);
  if (accounts == NULL || accounts->len == 0)
    {
      show_test_error (self, _("No Account to Send From"),
                       error ? error->message
                             : _("Add your mailbox on the Accounts page first; the test goes to its own address."));
      return;
    }
  account = accounts->pdata[0];
  composer = ob_message_composer_new (ob_account_get_email (account), ob_account_get_display_name (account));
  if (composer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The sending address “%s” is not valid; fix the account"),
                                               ob_account_get_email (account));
      show_test_error (self, _("The Test Was Not Sent"), text);
      return;
    }
  ob_message_composer_set_reply_to (composer, ob_account_get_reply_to (account));
  ob_message_composer_set_signature (composer, ob_account_get_signature (account));

  t = template_from_widgets (self);
  /* Translators: the subject of a test mail; %s is the real subject */
  subject = g_strdup_printf (_("[Test] %s"), ob_template_get_subject (t));
  ob_template_set_subject (t, subject);
  values = sample_values (self);
  message = ob_message_composer_compose (composer, t, values, &error);
  if (message == NULL)
    {
      show_test_error (self, _("The Test Was Not Sent"), error->message);
      return;
    }
  bytes = ob_message_composer_to_bytes (message);
  g_object_unref (message);

  if (self->transport == NULL)
    self->transport = ob_mail_transport_new (self->store);
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();
  recipients[0] = ob_account_get_email (account);
  gtk_widget_action_set_enabled (widget, "editor.send-test", FALSE);
  sending = g_strdup_printf (_("Sending a test to %s…"), recipients[0]);
  toast (self, sending);
  ob_send_transport_send_async (OB_SEND_TRANSPORT (self->transport), ob_account_get_id (account),
                                ob_account_get_email (account), recipients, bytes,
                                self->test_cancellable, test_sent_cb, g_object_ref (self));
}

static void
insert_field_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ObTemplateEditor *self = OB_TEMPLATE_EDITOR (widget);
  const char *field = g_variant_get_string (param, NULL);
  g_autofree char *text = NULL;

  /* Contact fields get an empty fallback to fill in; sender fields always have a value. */
  text = ob_merge_is_account_field (field) ? g_strdup_printf ("{{%s}}", field)
                                           : g_strdup_printf ("{{%s|}}", field);

  if (gtk_widget_has_focus (GTK_WIDGET (self->subject_entry)) ||
      gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (widget)),
                              GTK_WIDGET (self->subject_entry)))
    {
      int pos = gtk_editable_get_position (GTK_EDITABLE (self->subject_entry));
      gtk_editable_insert_text (GTK_EDITABLE (self->subject_entry), text, -1, &pos);
      gtk_editable_set_position (GTK_EDITABLE (self->subject_entry), pos - 3);
    }
  else
    {
      GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
      GtkTextIter iter;

      gtk_text_buffer_insert_at_cursor (buffer, text, -1);
      if (!ob_merge_is_account_field (field))
        {
          gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
          gtk_text_iter_backward_chars (&iter, 2);
          gtk_text_buffer_place_cursor (buffer, &iter);
        }
      gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
    }
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObTemplateEditor *self = OB_TEMPLATE_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!ob_template_editor_save (self, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                  _("The Template Was Not Saved"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/* The attachments live on the loaded template (the widgets hold the
 * rest); the list shows them with their size and a remove button. */
static void
show_attachments (ObTemplateEditor *self)
{
  GPtrArray *attachments = self->template ? ob_template_get_attachments (self->template) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_list))) != NULL)
    gtk_list_box_remove (self->attachments_list, child);

  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      const ObTemplateAttachment *a = attachments->pdata[i];
      g_autofree char *name = g_path_get_basename (a->path);
      g_autofree char *size = a->size >= 0 ? g_format_size (a->size) : g_strdup (_("missing"));
      g_autofree char *title = g_markup_escape_text (name, -1);
      g_autofree char *tip = g_strdup_printf (_("Remove “%s”"), name);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), size);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "editor.remove-attachment");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->attachments_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_list), attachments != NULL && attachments->len > 0);
}

static void
attachments_changed (ObTemplateEditor *self)
{
  show_attachments (self);
  set_modified (self, TRUE);
  ob_template_editor_lint_now (self);
}

static void
attach_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(ObTemplateEditor) self = user_data;
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (files == NULL || self->template == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        {
          g_autoptr(ObTemplateAttachment) a = ob_template_attachment_new_for_file (path);
          ob_template_add_attachment (self->template, a);
        }
    }
  attachments_changed (self);
}

static void
add_attachment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ObTemplateEditor *self = OB_TEMPLATE_EDITOR (widget);
  GtkFileChooserNative *chooser;

  if (self->template == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Attach Files"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (attach_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
remove_attachment_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ObTemplateEditor *self = OB_TEMPLATE_EDITOR (widget);
  guint index = g_variant_get_uint32 (param);
  g_autoptr(GPtrArray) keep = NULL;
  GPtrArray *attachments;

  if (self->template == NULL)
    return;
  attachments = ob_template_get_attachments (self->template);
  if (attachments == NULL || index >= attachments->len)
    return;

  keep = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_template_attachment_free);
  for (guint i = 0; i < attachments->len; i++)
    if (i != index)
      g_ptr_array_add (keep, ob_template_attachment_copy (attachments->pdata[i]));
  ob_template_clear_attachments (self->template);
  for (guint i = 0; i < keep->len; i++)
    ob_template_add_attachment (self->template, keep->pdata[i]);
  attachments_changed (self);
}

/* Attaches a file as the file chooser would (for scripts and tests). */
void
ob_template_editor_add_attachment (ObTemplateEditor *self,
                                   const char       *path)
{
  g_autoptr(ObTemplateAttachment) a = NULL;

  g_return_if_fail (OB_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (path != NULL);

  if (self->template == NULL)
    return;
  a = ob_template_attachment_new_for_file (path);
  ob_template_add_attachment (self->template, a);
  attachments_changed (self);
}

static GMenuModel *
build_insert_menu (void)
{
  static const struct { const char *field; const char *label; } contact_fields[] = {
    { "first_name", N_("First name") },
    { "last_name", N_("Last name") },
    { "name", N_("Full name") },
    { "company", N_("Company") },
    { "title", N_("Job title") },
    { "country", N_("Country") },
  };
  static const struct { const char *field; const char *label; } sender_fields[] = {
    { "sender_name", N_("Your name") },
    { "sender_email", N_("Your address") },
    { "signature", N_("Your signature") },
  };
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) contact = g_menu_new ();
  g_autoptr(GMenu) sender = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (contact_fields); i++)
    {
      g_autofree char *action = g_strdup_printf ("editor.insert-field::%s", contact_fields[i].field);
      g_menu_append (contact, _(contact_fields[i].label), action);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sender_fields); i++)
    {
      g_autofree char *action = g_strdup_printf ("editor.insert-field::%s", sender_fields[i].field);
      g_menu_append (sender, _(sender_fields[i].label), action);
    }
  g_menu_append_section (menu, _("The Contact"), G_MENU_MODEL (contact));
  g_menu_append_section (menu, _("You"), G_MENU_MODEL (sender));

  return G_MENU_MODEL (menu);
}

static gboolean
apply_layout_cb (gpointer data)
{
  ObTemplateEditor *self = data;

  self->layout_idle = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned),
                                  self->want_below ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  /* Let the paned share the space anew for the new direction. */
  g_object_set (self->paned, "position-set", FALSE, NULL);
  return G_SOURCE_REMOVE;
}

/* Narrower than this, the body is too cramped to write in. */
#define BODY_MIN_WIDTH 360

/* The lint panel goes below the body when the body would get less than
 * BODY_MIN_WIDTH beside it; the orientation is changed from an idle, as a
 * resize queued inside the layout pass is not honoured until the next
 * frame. */
static void
update_layout (ObTemplateEditor *self,
               int               width)
{
  int panel_min = 0;
  gboolean below;

  gtk_widget_measure (self->side_panel, GTK_ORIENTATION_HORIZONTAL, -1, &panel_min, NULL, NULL, NULL);
  below = width < BODY_MIN_WIDTH + panel_min;
  if (below == self->want_below)
    return;
  self->want_below = below;
  if (self->layout_idle == 0)
    self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_layout_cb, self, NULL);
}

/* The editor's own layout: its children (the toolbar, a separator, the
 * paned) stacked top to bottom, the ones that expand vertically sharing
 * the height left; then where the lint panel goes for the width given. */
static GtkSizeRequestMode
editor_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
editor_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int c_min = 0, c_nat = 0;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1,
                          &c_min, &c_nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          *minimum += c_min;
          *natural += c_nat;
        }
      else
        {
          *minimum = MAX (*minimum, c_min);
          *natural = MAX (*natural, c_nat);
        }
    }
}

static void
editor_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  int fixed = 0, n_expand = 0, extra, y = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int c_min = 0, c_nat = 0;

      if (!gtk_widget_should_layout (c))
        continue;
      if (gtk_widget_compute_expand (c, GTK_ORIENTATION_VERTICAL))
        n_expand++;
      else
        {
          gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, &c_min, &c_nat, NULL, NULL);
          fixed += c_nat;
        }
    }
  extra = MAX (0, height - fixed);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int c_min = 0, c_nat = 0, h;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, &c_min, &c_nat, NULL, NULL);
      if (gtk_widget_compute_expand (c, GTK_ORIENTATION_VERTICAL))
        {
          h = MAX (c_min, extra / n_expand);
          extra -= h;
          n_expand--;
        }
      else
        h = c_nat;
      gtk_widget_size_allocate (c, &(GtkAllocation) { 0, y, width, h }, -1);
      y += h;
    }
  update_layout (OB_TEMPLATE_EDITOR (widget), width);
}

static void
ob_template_editor_dispose (GObject *object)
{
  ObTemplateEditor *self = (ObTemplateEditor *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->lint_source, g_source_remove);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  if (self->lint_cancellable)
    g_cancellable_cancel (self->lint_cancellable);
  if (self->test_cancellable)
    g_cancellable_cancel (self->test_cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_TEMPLATE_EDITOR);

  G_OBJECT_CLASS (ob_template_editor_parent_class)->dispose (object);
}

static void
ob_template_editor_finalize (GObject *object)
{
  ObTemplateEditor *self = (ObTemplateEditor *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->template);
  g_clear_object (&self->linter);
  g_clear_object (&self->lint_cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->test_toast);
  g_clear_object (&self->transport);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->contact_ids, g_array_unref);

  G_OBJECT_CLASS (ob_template_editor_parent_class)->finalize (object);
}

static void
ob_template_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ObTemplateEditor *self = OB_TEMPLATE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_template_editor_class_init (ObTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_template_editor_dispose;
  object_class->finalize = ob_template_editor_finalize;
  object_class->get_property = ob_template_editor_get_property;

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template was saved; its id and version are current. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A lint finished and its findings are shown. */
  signals[LINTED] = g_signal_new ("linted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-template-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, toolbar);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, html_toggle);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, insert_button);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, preview_toggle);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, contact_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, preview_subject);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, preview_note);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, preview_view);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, score_bar);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, score_label);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, findings_list);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, paned);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, side_panel);
  gtk_widget_class_bind_template_child (widget_class, ObTemplateEditor, attachments_list);

  gtk_widget_class_install_action (widget_class, "editor.insert-field", "s", insert_field_action);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.send-test", NULL, send_test_action);
  gtk_widget_class_install_action (widget_class, "editor.add-attachment", NULL, add_attachment_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-attachment", "u", remove_attachment_action);
}

static void
ob_template_editor_init (ObTemplateEditor *self)
{
  g_autoptr(GMenuModel) menu = build_insert_menu ();
  AdwStyleManager *style = adw_style_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (editor_request_mode, editor_measure, editor_allocate));

  self->linter = ob_template_linter_new ();
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_lint_finding_free);
  self->contact_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  make_preview_tags (gtk_text_view_get_buffer (self->preview_view));
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (setup_contact_item_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_contact_item_cb), NULL);
    gtk_drop_down_set_factory (self->contact_dropdown, factory);
  }
  self->buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)));
  self->tag_error = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "lint-error",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                "underline-rgba", &(GdkRGBA) { 0.88, 0.11, 0.14, 1 },
                                                NULL);
  self->tag_warning = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "lint-warning",
                                                  "underline", PANGO_UNDERLINE_ERROR,
                                                  "underline-rgba", &(GdkRGBA) { 0.90, 0.65, 0.04, 1 },
                                                  NULL);
  self->tag_info = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "lint-info",
                                               "underline", PANGO_UNDERLINE_SINGLE,
                                               "underline-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 1 },
                                               NULL);
  self->tag_field = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->buffer), "merge-field",
                                                "foreground-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 1 },
                                                "weight", PANGO_WEIGHT_BOLD,
                                                NULL);
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);

  gtk_menu_button_set_menu_model (self->insert_button, menu);

  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->subject_entry, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->html_toggle, "toggled", G_CALLBACK (on_html_toggled_cb), self);
  g_signal_connect_swapped (self->preview_toggle, "toggled", G_CALLBACK (on_preview_toggled_cb), self);
  g_signal_connect_swapped (self->contact_dropdown, "notify::selected", G_CALLBACK (update_preview), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

GtkWidget *
ob_template_editor_new (void)
{
  return g_object_new (OB_TYPE_TEMPLATE_EDITOR, NULL);
}

void
ob_template_editor_set_store (ObTemplateEditor *self,
                              ObStore          *store)
{
  g_return_if_fail (OB_IS_TEMPLATE_EDITOR (self));

  g_set_object (&self->store, store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->modified && store != NULL);
}

/* Shows @template for editing (a copy is kept: the caller's is not changed). */
void
ob_template_editor_set_template (ObTemplateEditor *self,
                                 ObTemplate       *template)
{
  const char *html;

  g_return_if_fail (OB_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (OB_IS_TEMPLATE (template));

  g_clear_object (&self->template);
  self->template = ob_template_copy (template);

  self->loading = TRUE;
  html = ob_template_get_body_html (template);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), ob_template_get_name (template) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), ob_template_get_subject (template) ?: "");
  gtk_toggle_button_set_active (self->html_toggle, html != NULL);
  update_language (self);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer),
                            html ? html : (ob_template_get_body_text (template) ?: ""), -1);
  self->loading = FALSE;

  set_modified (self, ob_template_get_id (template) == 0);
  show_attachments (self);
  highlight_merge_fields (self);
  gtk_toggle_button_set_active (self->preview_toggle, FALSE);
  ob_template_editor_lint_now (self);
}

/* Returns: (transfer full): the template as the widgets show it now. */
ObTemplate *
ob_template_editor_get_template (ObTemplateEditor *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE_EDITOR (self), NULL);

  return template_from_widgets (self);
}

gboolean
ob_template_editor_get_modified (ObTemplateEditor *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE_EDITOR (self), FALSE);

  return self->modified;
}

/* Returns: (transfer none) (element-type ObLintFinding): the last lint's findings. */
GPtrArray *
ob_template_editor_get_findings (ObTemplateEditor *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE_EDITOR (self), NULL);

  return self->findings;
}

/* Saves the template as shown; the earlier version is kept by the store. */
gboolean
ob_template_editor_save (ObTemplateEditor  *self,
                         GError           **error)
{
  g_autoptr(ObTemplate) t = NULL;

  g_return_val_if_fail (OB_IS_TEMPLATE_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  t = template_from_widgets (self);
  if (ob_template_get_name (t) == NULL || *ob_template_get_name (t) == '\0')
    ob_template_set_name (t, _("Untitled template"));
  if (!ob_template_library_save (self->store, t, error))
    return FALSE;

  g_set_object (&self->template, t);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), ob_template_get_name (t));
  self->loading = FALSE;
  set_modified (self, FALSE);
  g_signal_emit (self, signals[SAVED], 0);
  return TRUE;
}
