/* ob-contact-detail-pane.c — the Contacts page's detail pane: one
 * contact's status, address check, fields, notes and history, with the
 * mail kept as evidence for an event. The page owns it beside its list
 * (ob-contacts-page.c) and talks to it through the API in the header;
 * its Save and Back buttons activate the page's contacts.save-detail and
 * contacts.close-detail, since the page decides when saving may run and
 * where the pane shows.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-contact-detail-pane.h"
#include "ob-contacts-edit.h"
#include "ob-contacts-page-private.h"
#include "ob-ui-words.h"

struct _ObContactDetailPane
{
  AdwBin        parent_instance;

  GtkLabel     *detail_title;
  AdwActionRow *detail_status_row;
  AdwActionRow *detail_check_row;
  AdwEntryRow  *name_row;
  AdwEntryRow  *company_row;
  AdwEntryRow  *country_row;
  AdwEntryRow  *timezone_row;
  AdwEntryRow  *tags_row;
  GtkTextView  *notes_view;
  GtkListBox   *events_list;

  ObStore      *store;
  gint64        detail_id;
  gboolean      modified;   /* edited since shown or saved */
  gboolean      filling;    /* fill_detail() sets the fields */
};

G_DEFINE_FINAL_TYPE (ObContactDetailPane, ob_contact_detail_pane, ADW_TYPE_BIN)

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_modified (ObContactDetailPane *self,
              gboolean             modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* A field or the notes changed: by the user, unless fill_detail() runs. */
static void
on_field_changed_cb (ObContactDetailPane *self)
{
  if (!self->filling && self->detail_id != 0)
    set_modified (self, TRUE);
}

#define EVIDENCE_SHOWN_BYTES (256 * 1024)

/* The mail kept as evidence for an event (a bounce, a reply), as text in
 * a window of its own: nothing in it is rendered or loaded. */
static void
on_show_evidence_clicked_cb (GtkButton           *button,
                             ObContactDetailPane *self)
{
  gint64 evidence_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "evidence-id");
  g_autoptr(GError) error = NULL;
  gsize total = 0;
  g_autofree char *raw = ob_contacts_edit_get_evidence (self->store, evidence_id, EVIDENCE_SHOWN_BYTES, &total,
                                                        &error);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window, *box, *header, *scroller, *view;

  if (raw == NULL)
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Show the Mail"), error);
      return;
    }
  /* A bounce can carry the whole original, attachments and all: its
   * start says what happened, and a text view of megabytes would stall
   * the window. */
  if (total > EVIDENCE_SHOWN_BYTES)
    {
      g_autofree char *more = g_format_size (total - EVIDENCE_SHOWN_BYTES);
      g_autofree char *note = g_strdup_printf (_("[%s more not shown]"), more);
      g_autofree char *head = g_steal_pointer (&raw);

      raw = g_strconcat (head, "\n\n", note, "\n", NULL);
    }
  window = adw_window_new ();
  gtk_widget_set_name (window, "evidence_window");
  gtk_window_set_title (GTK_WINDOW (window), _("The Mail as Received"));
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 560);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  view = gtk_text_view_new ();
  gtk_widget_set_name (view, "evidence_view");
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The mail as received"), -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), raw, -1);
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

/* The line under an entry of the history: when, then what there is to
 * say: where the contact came from; a suppression's domain, reason and
 * note; an event's detail, or else the server's reply. */
static char *
event_subtitle (ObContactEvent *e,
                const char     *when)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (when));
  if (g_strcmp0 (e->kind, OB_CONTACT_EVENT_ADDED) == 0)
    {
      if (e->detail != NULL && *e->detail != '\0')
        /* TRANSLATORS: where a contact came from: an imported file, a list's name */
        g_ptr_array_add (parts, g_strdup_printf (_("From “%s”"), e->detail));
    }
  else if (g_strcmp0 (e->kind, OB_CONTACT_EVENT_SUPPRESSION_ADDED) == 0 ||
           g_strcmp0 (e->kind, OB_CONTACT_EVENT_SUPPRESSION_LIFTED) == 0)
    {
      if (e->domain != NULL)
        g_ptr_array_add (parts, g_strdup_printf (_("The whole domain @%s"), e->domain));
      if (e->reason != NULL)
        g_ptr_array_add (parts, g_strdup (ob_ui_words_for_suppression_reason (e->reason)));
      if (e->detail != NULL && *e->detail != '\0')
        g_ptr_array_add (parts, g_strdup (e->detail));
    }
  else if (e->detail != NULL || e->reply != NULL)
    g_ptr_array_add (parts, g_strdup (e->detail != NULL ? e->detail : e->reply));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GtkWidget *
event_row (ObContactDetailPane *self,
           ObContactEvent      *e)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (e->at);
  g_autofree char *subtitle = NULL;

  when = dt ? g_date_time_format (dt, "%x %H:%M") : g_strdup ("");
  subtitle = event_subtitle (e, when);
  gtk_widget_set_name (row, "history_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ob_ui_words_for_event (e->kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (e->evidence_id > 0)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("mail-unread-symbolic");

      gtk_widget_set_name (button, "show_evidence");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Show the Mail as Received"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Show the Mail as Received"), -1);
      g_object_set_data_full (G_OBJECT (button), "evidence-id", g_memdup2 (&e->evidence_id, sizeof (gint64)),
                              g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_show_evidence_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

/* What the pane shows of @d but the user does not edit: the address, its
 * status, its check and its history. */
static void
fill_state (ObContactDetailPane *self,
            ObContactDetail     *d)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *check = NULL;
  g_autofree char *added = _ob_contacts_page_format_date (d->created_at);
  g_autofree char *contacted = _ob_contacts_page_format_date (d->last_contacted_at);
  GtkWidget *child;

  gtk_label_set_text (self->detail_title, d->email);
  status = g_strdup_printf (_("%s · added %s · bounces: %u hard, %u soft · last contacted %s · time zone %s"),
                            _ob_contacts_page_word_for (d->status), added, d->bounce_count, d->soft_bounce_count,
                            d->last_contacted_at > 0 ? contacted : _("never"),
                            d->timezone ? d->timezone : _("unknown"));
  adw_action_row_set_subtitle (self->detail_status_row, status);
  {
    g_autofree char *why = d->reasons ? ob_ui_words_for_address_reasons (d->reasons) : NULL;
    g_autofree char *fix = d->suggestion ? g_strdup_printf (_("Did you mean %s?"), d->suggestion) : NULL;

    if (why != NULL && *why != '\0')
      check = g_strjoin (" · ", _ob_contacts_page_word_for (d->verdict), why, NULL);
    else
      check = g_strdup (_ob_contacts_page_word_for (d->verdict));
    if (fix != NULL)
      {
        g_autofree char *with_fix = g_strjoin (" ", check, fix, NULL);

        g_free (check);
        check = g_steal_pointer (&with_fix);
      }
  }
  adw_action_row_set_subtitle (self->detail_check_row, check);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->events_list))) != NULL)
    gtk_list_box_remove (self->events_list, child);
  events = ob_contacts_edit_list_events (self->store, d->id, &error);
  if (events == NULL)
    g_message ("Cannot read the history of contact %" G_GINT64_FORMAT ": %s", d->id, error->message);
  if (events == NULL || events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing sent to this contact yet"));
      gtk_list_box_append (self->events_list, row);
    }
  else
    for (guint i = 0; i < events->len; i++)
      gtk_list_box_append (self->events_list, event_row (self, g_ptr_array_index (events, i)));
}

/* The fields and notes the user edits, as @d has them. */
static void
fill_fields (ObContactDetailPane *self,
             ObContactDetail     *d)
{
  g_autofree char *tags = g_strjoinv (", ", d->tags);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), d->name ? d->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->company_row), d->company ? d->company : "");
  gtk_editable_set_text (GTK_EDITABLE (self->country_row), d->country ? d->country : "");
  gtk_editable_set_text (GTK_EDITABLE (self->timezone_row),
                         d->timezone_override && d->timezone ? d->timezone : "");
  gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tags);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), d->notes ? d->notes : "", -1);
  self->filling = FALSE;
  set_modified (self, FALSE);
}

static void
fill_detail (ObContactDetailPane *self,
             ObContactDetail     *d)
{
  fill_fields (self, d);
  fill_state (self, d);
}

static void
ob_contact_detail_pane_dispose (GObject *object)
{
  ObContactDetailPane *self = OB_CONTACT_DETAIL_PANE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (ob_contact_detail_pane_parent_class)->dispose (object);
}

static void
ob_contact_detail_pane_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ObContactDetailPane *self = OB_CONTACT_DETAIL_PANE (object);

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
ob_contact_detail_pane_class_init (ObContactDetailPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_contact_detail_pane_dispose;
  object_class->get_property = ob_contact_detail_pane_get_property;

  /* The fields or notes were edited since the contact was shown or saved:
   * only then is there something to save. */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (gint64 id): the contact was written; the list shows it anew. */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-contact-detail-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, detail_title);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, detail_status_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, detail_check_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, name_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, company_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, country_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, tags_row);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, notes_view);
  gtk_widget_class_bind_template_child (widget_class, ObContactDetailPane, events_list);
}

static void
ob_contact_detail_pane_init (ObContactDetailPane *self)
{
  GtkEditable *fields[5];

  gtk_widget_init_template (GTK_WIDGET (self));

  fields[0] = GTK_EDITABLE (self->name_row);
  fields[1] = GTK_EDITABLE (self->company_row);
  fields[2] = GTK_EDITABLE (self->country_row);
  fields[3] = GTK_EDITABLE (self->timezone_row);
  fields[4] = GTK_EDITABLE (self->tags_row);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_signal_connect_object (fields[i], "changed", G_CALLBACK (on_field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_field_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ob_contact_detail_pane_new (void)
{
  return g_object_new (OB_TYPE_CONTACT_DETAIL_PANE, NULL);
}

/**
 * ob_contact_detail_pane_show_contact:
 *
 * Shows contact @id of @store, read anew. On error the pane is left as it
 * was and @error says why.
 */
gboolean
ob_contact_detail_pane_show_contact (ObContactDetailPane  *self,
                                     ObStore              *store,
                                     gint64                id,
                                     GError              **error)
{
  g_autoptr(ObContactDetail) d = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_DETAIL_PANE (self), FALSE);
  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  d = ob_contacts_edit_get (store, id, error);
  if (d == NULL)
    return FALSE;
  g_set_object (&self->store, store);
  self->detail_id = id;
  fill_detail (self, d);
  return TRUE;
}

/**
 * ob_contact_detail_pane_refresh:
 *
 * Reads the contact shown anew after a change made elsewhere (a
 * selection suppressed or tagged, the suppression list edited): its
 * status and history, and its fields unless the user is editing them.
 * A contact no longer there is left as shown.
 */
void
ob_contact_detail_pane_refresh (ObContactDetailPane *self)
{
  g_autoptr(ObContactDetail) d = NULL;

  g_return_if_fail (OB_IS_CONTACT_DETAIL_PANE (self));

  if (self->store == NULL || self->detail_id == 0)
    return;
  d = ob_contacts_edit_get (self->store, self->detail_id, NULL);
  if (d == NULL)
    return;
  if (!self->modified)
    fill_fields (self, d);
  fill_state (self, d);
}

/* Forgets the contact shown: saving does nothing until the next one. */
void
ob_contact_detail_pane_clear (ObContactDetailPane *self)
{
  g_return_if_fail (OB_IS_CONTACT_DETAIL_PANE (self));

  self->detail_id = 0;
  set_modified (self, FALSE);
}

/* TRUE while the contact shown has edits not yet saved. */
gboolean
ob_contact_detail_pane_get_modified (ObContactDetailPane *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_DETAIL_PANE (self), FALSE);

  return self->modified;
}

/**
 * ob_contact_detail_pane_save:
 *
 * Writes the fields and notes to the contact shown, then emits
 * #ObContactDetailPane::saved and shows the contact as saved; an error
 * is shown in a dialog and changes nothing.
 */
void
ob_contact_detail_pane_save (ObContactDetailPane *self)
{
  g_autoptr(ObContactDetail) d = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  const char *tz;

  g_return_if_fail (OB_IS_CONTACT_DETAIL_PANE (self));

  /* Nothing edited (Ctrl+S twice, say): nothing to write. */
  if (self->store == NULL || self->detail_id == 0 || !self->modified)
    return;
  d = ob_contacts_edit_get (self->store, self->detail_id, &error);
  if (d == NULL)
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Save the Contact"), error);
      return;
    }
  g_free (d->name);
  d->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_free (d->company);
  d->company = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->company_row)));
  g_free (d->country);
  d->country = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->country_row))));
  tz = gtk_editable_get_text (GTK_EDITABLE (self->timezone_row));
  g_free (d->timezone);
  d->timezone = g_strstrip (g_strdup (tz));
  d->timezone_override = *d->timezone != '\0';
  g_strfreev (d->tags);
  d->tags = _ob_contacts_page_split_list (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (d->notes);
  d->notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!ob_contacts_edit_save (self->store, d, &error))
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Save the Contact"), error);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, self->detail_id);
  g_clear_pointer (&d, ob_contact_detail_free);
  d = ob_contacts_edit_get (self->store, self->detail_id, NULL);
  if (d != NULL)
    fill_detail (self, d);
}

/* The id of the contact shown, or 0. */
gint64
ob_contact_detail_pane_get_contact_id (ObContactDetailPane *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_DETAIL_PANE (self), 0);

  return self->detail_id;
}
