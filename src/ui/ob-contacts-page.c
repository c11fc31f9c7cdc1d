/* ob-contacts-page.c — the Contacts page: the list (sorted, searched,
 * filtered, a page of rows at a time), saved segments, import, export and
 * the suppression list. The filters (ob-contact-filter-popover.c) and the
 * detail pane beside the list (ob-contact-detail-pane.c) are widgets of
 * their own; the actions on a selection, with undo
 * (ob-contacts-page-actions.c), and the check of the mail domains
 * (ob-contacts-page-domains.c) are parts of this page in files of their
 * own. The page's struct and the helpers those files share with it are
 * in ob-contacts-page-private.h.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-contact-detail-pane.h"
#include "ob-contact-filter-popover.h"
#include "ob-contact-row.h"
#include "ob-contact-selection.h"
#include "ob-contact-table-model.h"
#include "ob-contacts.h"
#include "ob-contacts-import-dialog.h"
#include "ob-contacts-page.h"
#include "ob-contacts-page-private.h"
#include "ob-contacts-suppressions-dialog.h"
#include "ob-window.h"

G_DEFINE_FINAL_TYPE (ObContactsPage, ob_contacts_page, ADW_TYPE_BIN)

typedef struct
{
  ObContactColumn  column;
  const char      *title;
  int              width;
  gboolean         expand;
} ColumnInfo;

static const ColumnInfo columns[] = {
  /* Widths at the window's default size (1100 px: every column on
   * screen, /ui/contacts/columns-fit-default-width); the columns that
   * expand share what a wider window adds. A title or a date wider than
   * its width widens the column (column_width()). */
  { OB_CONTACT_COLUMN_EMAIL, N_("Email"), 180, TRUE },
  { OB_CONTACT_COLUMN_NAME, N_("Name"), 110, TRUE },
  { OB_CONTACT_COLUMN_COMPANY, N_("Company"), 110, TRUE },
  { OB_CONTACT_COLUMN_COUNTRY, N_("Country"), 64, FALSE },
  { OB_CONTACT_COLUMN_SOURCE, N_("Source"), 100, TRUE },
  { OB_CONTACT_COLUMN_VERDICT, N_("Verdict"), 76, FALSE },
  { OB_CONTACT_COLUMN_STATUS, N_("Status"), 80, FALSE },
  { OB_CONTACT_COLUMN_CREATED_AT, N_("Added"), 90, FALSE },
};

const char *
_ob_contacts_page_word_for (const char *value)
{
  if (value == NULL)
    return "";
  if (g_str_equal (value, "valid")) return C_("verdict", "Valid");
  if (g_str_equal (value, "risky")) return C_("verdict", "Risky");
  if (g_str_equal (value, "invalid")) return C_("verdict", "Invalid");
  if (g_str_equal (value, "unknown")) return C_("verdict", "Unknown");
  if (g_str_equal (value, "active")) return C_("status", "Active");
  if (g_str_equal (value, "suppressed")) return C_("status", "Suppressed");
  if (g_str_equal (value, "unsubscribed")) return C_("status", "Unsubscribed");
  return value;
}

char *
_ob_contacts_page_format_date (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (t);
  return dt ? g_date_time_format (dt, "%x") : g_strdup ("");
}

ObWindow *
_ob_contacts_page_get_window (ObContactsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return OB_IS_WINDOW (root) ? OB_WINDOW (root) : NULL;
}

/* Through the window, which spaces toast changes out (ob-window.c). */
void
_ob_contacts_page_dismiss_toast (ObContactsPage *self,
                                 AdwToast       *t)
{
  ObWindow *window = _ob_contacts_page_get_window (self);

  if (window != NULL)
    ob_window_dismiss_toast (window, t);
  else
    adw_toast_dismiss (t);
}

void
_ob_contacts_page_toast (ObContactsPage *self,
                         const char     *text)
{
  ObWindow *window = _ob_contacts_page_get_window (self);

  if (window != NULL)
    ob_window_add_toast (window, adw_toast_new (text));
}

void
_ob_contacts_page_show_error (GtkWidget    *widget,
                              const char   *heading,
                              const GError *error)
{
  AdwMessageDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);

  g_message ("%s: %s", heading, error->message);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

GArray *
_ob_contacts_page_selected_ids (ObContactsPage *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint pos;

  /* One query per run of consecutive positions. */
  if (!gtk_bitset_iter_init_first (&iter, set, &pos))
    return ids;
  for (;;)
    {
      guint start = pos, end = pos;
      gboolean more;

      while ((more = gtk_bitset_iter_next (&iter, &pos)) && pos == end + 1)
        end = pos;
      ob_contact_table_model_append_ids (self->model, start, end - start + 1, ids);
      if (!more)
        break;
    }
  return ids;
}

void
_ob_contacts_page_update_view (ObContactsPage *self)
{
  guint shown, total;
  g_autofree char *text = NULL;

  if (self->model == NULL)
    return;
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  /* Filters and searches do not change the total: count it only after the
   * contacts changed, not on every keystroke. */
  if (self->total < 0)
    self->total = ob_contact_table_model_count_all (self->model);
  total = self->total;

  /* Hidden rows are left out of both counts. While a deletion runs, the
   * list stays, saying so, rather than the empty page. */
  gtk_stack_set_visible_child_name (self->stack, total == 0 && self->n_deleting == 0 ? "empty" : "list");
  gtk_stack_set_visible_child_name (self->results_stack,
                                    shown > 0 ? "table" : self->n_deleting > 0 ? "deleting" : "none");
  if (ob_contact_table_model_is_capped (self->model))
    text = g_strdup_printf (_("The first %'u of more than %'u matching contacts; add a word to narrow the search"),
                            shown, shown);
  else if (shown == total)
    text = g_strdup_printf (g_dngettext (NULL, "%'u contact", "%'u contacts", total), total);
  else
    text = g_strdup_printf (g_dngettext (NULL, "%'u of %'u contact", "%'u of %'u contacts", total),
                            shown, total);
  gtk_label_set_text (self->count_label, text);
}

GStrv
_ob_contacts_page_split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", ",;", -1);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  gboolean any = FALSE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        {
          g_strv_builder_add (b, parts[i]);
          any = TRUE;
        }
    }
  return any ? g_strv_builder_end (b) : NULL;
}

/* The segment now shown: the saved segment picked, with the filter
 * controls and the search on top (a control replaces that member). */
static ObSegment *
build_segment (ObContactsPage *self)
{
  g_autoptr(ObSegment) seg = NULL;
  guint picked = gtk_drop_down_get_selected (self->segment_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (picked != GTK_INVALID_LIST_POSITION && picked > 0 && self->segments != NULL &&
      picked - 1 < g_strv_length (self->segments))
    {
      const char *name = self->segments[picked - 1];
      g_autoptr(GError) error = NULL;

      seg = ob_segments_load (self->store, name, &error);
      if (seg == NULL)
        g_warning ("Saved segment “%s” is unreadable: %s", name, error->message);
    }
  if (seg == NULL)
    seg = ob_segment_new ();

  ob_contact_filter_popover_apply_to (self->filter_popover, seg);
  if (search != NULL && *search != '\0')
    {
      g_free (seg->search);
      seg->search = g_strdup (search);
    }
  return g_steal_pointer (&seg);
}

static void
apply_filters (ObContactsPage *self)
{
  g_autoptr(ObSegment) seg = NULL;

  if (self->model == NULL || self->updating_filters)
    return;
  seg = build_segment (self);
  ob_contact_table_model_set_segment (self->model, seg);
  _ob_contacts_page_update_view (self);
  /* A new search or filter starts at the top of its list. */
  {
    GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self->column_view), GTK_TYPE_SCROLLED_WINDOW);

    if (sw != NULL)
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw)), 0);
  }
}

static void
load_segments (ObContactsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) list = NULL;
  guint n;

  if (self->store == NULL)
    return;
  list = ob_segments_list_names (self->store, &error);
  if (list == NULL)
    {
      g_warning ("Cannot read saved segments: %s", error->message);
      return;
    }
  self->updating_filters = TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->segment_names));
  {
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
    g_auto(GStrv) names = NULL;

    g_strv_builder_add (b, _("All Contacts"));
    for (guint i = 0; list[i] != NULL; i++)
      g_strv_builder_add (b, list[i]);
    names = g_strv_builder_end (b);
    gtk_string_list_splice (self->segment_names, 0, n, (const char * const *) names);
  }
  g_strfreev (self->segments);
  self->segments = g_steal_pointer (&list);
  gtk_drop_down_set_selected (self->segment_dropdown, 0);
  self->updating_filters = FALSE;
}

/* Sorting. GTK 4.8 has no getter for the column view's primary sort
 * column, so each column's sorter is a probe: comparing two dummies through
 * the column view's sorter calls the primary column's probe first, and the
 * sign of the answer tells the direction. */
static int probe_column = -1;

static int
sort_probe_cb (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  if (probe_column < 0)
    probe_column = GPOINTER_TO_INT (user_data);
  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed_cb (ObContactsPage *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  if (self->model == NULL)
    return;
  probe_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (probe_column < 0 || order == GTK_ORDERING_EQUAL)
    ob_contact_table_model_set_sort (self->model, OB_CONTACT_COLUMN_ID, FALSE);
  else
    ob_contact_table_model_set_sort (self->model, probe_column, order == GTK_ORDERING_LARGER);
  _ob_contacts_page_update_view (self);
}

/* Cells are GtkInscriptions: made for list rows, lighter than labels, which
 * counts when every keystroke of a search refills the visible rows. A cell
 * shows the contact of its ObContactRow and follows it when a search or a
 * sort gives the row another contact (see ob-contact-selection.c). */
static gboolean
on_email_cell_query_tooltip_cb (GtkWidget  *cell,
                                int         x,
                                int         y,
                                gboolean    keyboard,
                                GtkTooltip *tooltip)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 4);
  g_object_set_data (G_OBJECT (cell), "ob-column", user_data);
  /* The full address on hover, asked for then rather than set on each bind. */
  if (GPOINTER_TO_INT (user_data) == OB_CONTACT_COLUMN_EMAIL)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_email_cell_query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (item, cell);
}

/* One style class at most (error, warning, dim-label), changed only when it
 * differs: a class change restyles the cell. */
static void
set_cell_class (GtkWidget  *cell,
                const char *css)
{
  const char *old = g_object_get_data (G_OBJECT (cell), "ob-class");

  if (g_strcmp0 (old, css) == 0)
    return;
  if (old != NULL)
    gtk_widget_remove_css_class (cell, old);
  if (css != NULL)
    gtk_widget_add_css_class (cell, css);
  g_object_set_data (G_OBJECT (cell), "ob-class", (gpointer) css);
}

static void
fill_cell (GtkWidget *cell,
           ObContact *contact)
{
  ObContactColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "ob-column"));
  g_autofree char *date = NULL;
  const char *text = "";
  const char *css = NULL;

  if (contact == NULL)
    {
      set_cell_class (cell, NULL);
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), NULL);
      return;
    }
  switch (column)
    {
    case OB_CONTACT_COLUMN_CREATED_AT:
      text = date = _ob_contacts_page_format_date (ob_contact_get_created_at (contact));
      break;
    case OB_CONTACT_COLUMN_VERDICT:
      text = _ob_contacts_page_word_for (ob_contact_get_verdict (contact));
      if (g_strcmp0 (ob_contact_get_verdict (contact), "invalid") == 0)
        css = "error";
      else if (g_strcmp0 (ob_contact_get_verdict (contact), "risky") == 0)
        css = "warning";
      break;
    case OB_CONTACT_COLUMN_STATUS:
      text = _ob_contacts_page_word_for (ob_contact_get_status (contact));
      if (g_strcmp0 (ob_contact_get_status (contact), "active") != 0)
        css = "dim-label";
      break;
    default:
      text = ob_contact_get_text (contact, column);
      break;
    }
  set_cell_class (cell, css);
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static void
on_row_contact_changed_cb (ObContactRow *row,
                           GParamSpec   *pspec,
                           GtkWidget    *cell)
{
  fill_cell (cell, ob_contact_row_get_contact (row));
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  ObContactRow *row = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);

  g_signal_connect (row, "notify::contact", G_CALLBACK (on_row_contact_changed_cb), cell);
  fill_cell (cell, ob_contact_row_get_contact (row));
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  ObContactRow *row = gtk_list_item_get_item (item);

  g_signal_handlers_disconnect_by_func (row, on_row_contact_changed_cb, gtk_list_item_get_child (item));
}

/* The width @text takes in the list's font. */
static int
text_width (ObContactsPage *self,
            const char     *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), text);
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* A column is at least as wide as its title, with room for the sort
 * arrow, and the Added column as its widest date: in zh_CN "%x" is
 * "2026年12月28日", which a width made for "12/28/26" cut. */
static int
column_width (ObContactsPage   *self,
              const ColumnInfo *info)
{
  int width = MAX (info->width, text_width (self, _(info->title)) + 32);

  if (info->column == OB_CONTACT_COLUMN_CREATED_AT)
    {
      g_autoptr(GDateTime) widest = g_date_time_new_local (2026, 12, 28, 12, 0, 0);
      g_autofree char *date = _ob_contacts_page_format_date (g_date_time_to_unix (widest));

      width = MAX (width, text_width (self, date) + 24);
    }
  return width;
}

static void
add_columns (ObContactsPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (columns[i].column));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), NULL);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_fixed_width (column, column_width (self, &columns[i]));
      sorter = GTK_SORTER (gtk_custom_sorter_new (sort_probe_cb, GINT_TO_POINTER (columns[i].column), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
on_selection_changed_cb (ObContactsPage *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (set);
  g_autofree char *text = NULL;

  gtk_revealer_set_reveal_child (self->selection_revealer, n > 0);
  text = g_strdup_printf (g_dngettext (NULL, "%'u selected", "%'u selected", (gulong) n), (guint) n);
  gtk_label_set_text (self->selection_label, text);
}

/* Rows on the first frame: more than fit on a big screen. */
#define FIRST_ROWS 64

/* A frame after the first one drawn: the whole list, for scrolling. */
static gboolean
first_rows_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  ObContactsPage *self = user_data;

  if (gtk_widget_get_mapped (widget) && ++self->first_rows_ticks < 2)
    return G_SOURCE_CONTINUE;
  self->first_rows_tick = 0;
  gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
  return G_SOURCE_REMOVE;
}

static void
forget_first_rows (ObContactsPage *self)
{
  if (self->first_rows_tick != 0 && self->column_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->column_view), self->first_rows_tick);
  self->first_rows_tick = 0;
  self->first_rows_ticks = 0;
  g_clear_object (&self->first_rows);
}

/* The store comes from the window once the page is inside it. */
static void
attach_store (ObContactsPage *self)
{
  ObWindow *window = _ob_contacts_page_get_window (self);
  ObStore *store = window ? ob_window_get_store (window) : NULL;

  if (store == NULL || store == self->store)
    return;
  g_set_object (&self->store, store);
  self->total = -1;
  g_clear_object (&self->model);
  self->model = ob_contact_table_model_new (store);
  g_clear_object (&self->selection);
  /* The first frame shows a screenful: GTK 4.8 makes a row widget for
   * some two hundred items from the start, which took longer than the
   * rows on screen. The rest of the list joins the frame after. */
  forget_first_rows (self);
  self->first_rows = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->model)), 0, FIRST_ROWS);
  self->first_rows_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->column_view), first_rows_tick_cb,
                                                        self, NULL);
  self->selection = ob_contact_selection_new (G_LIST_MODEL (self->first_rows));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  load_segments (self);
  apply_filters (self);
  /* Given to the view last: the view makes its rows once, for the list as
   * filtered, not first for every contact and then again. */
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

/* The window sets its store after its template (and this page) is built,
 * so the page also looks when it is mapped and when the store changes. */
static void
on_root_changed_cb (ObContactsPage *self)
{
  ObWindow *window = _ob_contacts_page_get_window (self);

  if (window != NULL)
    g_signal_connect_object (window, "notify::store", G_CALLBACK (attach_store), self, G_CONNECT_SWAPPED);
  attach_store (self);
}

static void
on_search_entry_search_changed_cb (ObContactsPage *self)
{
  apply_filters (self);
}

static void
on_filter_changed_cb (ObContactsPage *self)
{
  apply_filters (self);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);

  self->updating_filters = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  ob_contact_filter_popover_clear (self->filter_popover);
  gtk_drop_down_set_selected (self->segment_dropdown, 0);
  self->updating_filters = FALSE;
  apply_filters (self);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Import */

static void
on_import_finished_cb (ObContactsPage *self)
{
  ob_contacts_page_reload (self);
}

static void
on_import_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       ObContactsPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        ob_contacts_page_import_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Contacts"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Contact lists (CSV, TSV, TXT, vCard)"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_filter_add_suffix (filter, "vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Export */

typedef struct
{
  ObStore   *store;
  ObSegment *segment;
  char      *path;
  guint      exported;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->segment, ob_segment_free);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(ObStore) conn = NULL;
  GError *error = NULL;

  conn = ob_store_open_another (job->store, &error);
  if (conn == NULL || !ob_contacts_export_csv (conn, job->segment, job->path, &job->exported, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Export"), error);
      return;
    }
  text = g_strdup_printf (g_dngettext (NULL, "Exported %u contact", "Exported %u contacts", job->exported),
                          job->exported);
  _ob_contacts_page_toast (self, text);
}

void
ob_contacts_page_export_to (ObContactsPage *self,
                            const char     *path)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (OB_IS_CONTACTS_PAGE (self));

  if (self->store == NULL)
    return;
  job = g_new0 (ExportJob, 1);
  job->store = g_object_ref (self->store);
  job->segment = build_segment (self);
  job->path = g_strdup (path);
  task = g_task_new (self, NULL, export_done_cb, NULL);
  g_task_set_source_tag (task, ob_contacts_page_export_to);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       ObContactsPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        ob_contacts_page_export_to (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Contacts"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("contacts.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Saved segments */

static void
on_save_segment_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             ObContactsPage   *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autoptr(ObSegment) seg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "save") != 0 || self->store == NULL)
    return;
  name = g_strdup (gtk_editable_get_text (entry));
  seg = build_segment (self);
  if (!ob_segments_save (self->store, name, seg, &error))
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Save the Segment"), error);
      return;
    }
  load_segments (self);
  for (guint i = 0; self->segments != NULL && self->segments[i] != NULL; i++)
    if (g_strcmp0 (self->segments[i], g_strstrip (name)) == 0)
      {
        self->updating_filters = TRUE;
        gtk_drop_down_set_selected (self->segment_dropdown, i + 1);
        self->updating_filters = FALSE;
      }
  _ob_contacts_page_toast (self, _("Segment saved"));
}

static const char *
save_segment_body (void)
{
  return _("The search and filters shown now are saved under a name, for the list and for campaigns.");
}

/* Save only with a name; a name already saved is replaced, and the
 * dialog says so first (campaigns may use that segment). */
static void
on_segment_name_changed_cb (GtkEditable      *entry,
                            AdwMessageDialog *dialog)
{
  ObContactsPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gboolean exists = self->segments != NULL && g_strv_contains ((const char * const *) self->segments, name);

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
  adw_message_dialog_set_response_label (dialog, "save", exists ? _("_Replace") : _("_Save"));
  adw_message_dialog_set_response_appearance (dialog, "save",
                                              exists ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  if (exists)
    {
      g_autofree char *body = g_strdup_printf (_("A segment named “%s” is saved already: its filters are replaced "
                                                 "by the ones shown now."), name);

      adw_message_dialog_set_body (dialog, body);
    }
  else
    adw_message_dialog_set_body (dialog, save_segment_body ());
}

static void
save_segment_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Save as Segment"), save_segment_body ()));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Segment name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Segment name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  /* Escape is Cancel, not a response the handler does not know. */
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "page", self);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_segment_name_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_segment_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_segment_selected_cb (ObContactsPage *self)
{
  apply_filters (self);
}

static void
suppressions_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->store == NULL)
    return;
  dialog = ob_contacts_suppressions_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (ob_contacts_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The detail pane (ob-contact-detail-pane.c) */

void
ob_contacts_page_open_contact (ObContactsPage *self,
                               gint64          id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OB_IS_CONTACTS_PAGE (self));

  if (self->store == NULL)
    return;
  if (!ob_contact_detail_pane_show_contact (self->detail_pane, self->store, id, &error))
    {
      _ob_contacts_page_show_error (GTK_WIDGET (self), _("Could Not Open the Contact"), error);
      return;
    }
  gtk_widget_set_visible (self->detail_separator, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_pane), TRUE);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_pane));
}

static void
on_column_view_activate_cb (ObContactsPage *self,
                            guint           position)
{
  g_autoptr(ObContact) contact = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (contact != NULL)
    ob_contacts_page_open_contact (self, ob_contact_get_id (contact));
}

static void
close_detail_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);

  ob_contact_detail_pane_clear (self->detail_pane);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_pane), FALSE);
  gtk_widget_set_visible (self->detail_separator, FALSE);
}

/* The page's action, disabled while a worker holds the write lock
 * (set_selection_actions_enabled()). */
static void
save_detail_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);

  ob_contact_detail_pane_save (self->detail_pane);
}

void
_ob_contacts_page_update_save_detail (ObContactsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.save-detail",
                                 !self->bulk_running && ob_contact_detail_pane_get_modified (self->detail_pane));
}

/* Save is on only once a field is edited, and off again once saved. */
static void
on_detail_pane_modified_cb (ObContactsPage *self)
{
  _ob_contacts_page_update_save_detail (self);
}

static void
on_detail_pane_saved_cb (ObContactsPage *self)
{
  ob_contact_table_model_reload (self->model);
  _ob_contacts_page_update_view (self);
  _ob_contacts_page_toast (self, _("Contact saved"));
}

/* Shown again, the list reads the database afresh: what changed while
 * another page was up (a bounce found in the mailbox suppressed a contact,
 * outbound-cli imported some) shows now, not after a restart. A bulk
 * action or domain check under way reloads when it ends. */
static void
ob_contacts_page_map (GtkWidget *widget)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (widget);
  gboolean attached = self->model != NULL;

  attach_store (self);
  /* Not on the first map: the store was often attached just before (the
   * window had it already), and reading a million contacts twice would
   * double the time to the first rows. */
  if (self->shown_before && attached && self->model != NULL && !ob_contacts_page_is_busy (self))
    ob_contacts_page_reload (self);
  self->shown_before = TRUE;
  GTK_WIDGET_CLASS (ob_contacts_page_parent_class)->map (widget);
}

static void
ob_contacts_page_dispose (GObject *object)
{
  ObContactsPage *self = OB_CONTACTS_PAGE (object);

  /* A deletion still waiting for its toast stands, with any queued: in a
   * worker that holds nothing of the page (while a worker of the page
   * runs, its task keeps the page, so none does now); a domain check under
   * way stops, changing nothing. */
  _ob_contacts_page_actions_dispose (self);
  _ob_contacts_page_domains_dispose (self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  forget_first_rows (self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->segments, g_strfreev);

  G_OBJECT_CLASS (ob_contacts_page_parent_class)->dispose (object);
}

static void
ob_contacts_page_class_init (ObContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_contacts_page_dispose;
  widget_class->map = ob_contacts_page_map;

  g_type_ensure (OB_TYPE_CONTACT_DETAIL_PANE);
  g_type_ensure (OB_TYPE_CONTACT_FILTER_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, filter_popover);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, segment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, domains_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, domains_label);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, domains_progress);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, work_revealer);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, work_label);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, tag_popover);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, detail_separator);
  gtk_widget_class_bind_template_child (widget_class, ObContactsPage, detail_pane);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_pane_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_pane_modified_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "contacts.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "contacts.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "contacts.search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "contacts.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "contacts.save-segment", NULL, save_segment_action);
  gtk_widget_class_install_action (widget_class, "contacts.suppressions", NULL, suppressions_action);
  _ob_contacts_page_class_domains_init (widget_class);
  _ob_contacts_page_class_actions_init (widget_class);
  gtk_widget_class_install_action (widget_class, "contacts.close-detail", NULL, close_detail_action);
  gtk_widget_class_install_action (widget_class, "contacts.save-detail", NULL, save_detail_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "contacts.delete-selected", NULL);
}

static void
ob_contacts_page_init (ObContactsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->total = -1;
  self->segment_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->segment_names, _("All Contacts"));
  gtk_drop_down_set_model (self->segment_dropdown, G_LIST_MODEL (self->segment_names));
  g_object_unref (self->segment_names);
  g_signal_connect_object (self->segment_dropdown, "notify::selected",
                           G_CALLBACK (on_segment_selected_cb), self, G_CONNECT_SWAPPED);
  add_columns (self);
  _ob_contacts_page_update_save_detail (self);
  g_signal_connect (self, "notify::root", G_CALLBACK (on_root_changed_cb), NULL);
}

GtkWidget *
ob_contacts_page_new (void)
{
  return g_object_new (OB_TYPE_CONTACTS_PAGE, NULL);
}

GListModel *
ob_contacts_page_get_model (ObContactsPage *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_PAGE (self), NULL);

  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

GtkColumnView *
ob_contacts_page_get_column_view (ObContactsPage *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_PAGE (self), NULL);

  return self->column_view;
}

/* Re-reads the list and the contact shown (after an import, an edit
 * elsewhere). */
void
ob_contacts_page_reload (ObContactsPage *self)
{
  g_return_if_fail (OB_IS_CONTACTS_PAGE (self));

  if (self->model == NULL)
    {
      attach_store (self);
      return;
    }
  self->total = -1;
  ob_contact_table_model_reload (self->model);
  _ob_contacts_page_update_view (self);
  ob_contact_detail_pane_refresh (self->detail_pane);
}

/* Opens the import dialog on @file; the list reloads when it imported. */
GtkWidget *
ob_contacts_page_import_file (ObContactsPage *self,
                              GFile          *file)
{
  GtkRoot *root;
  ObContactsImportDialog *dialog;

  g_return_val_if_fail (OB_IS_CONTACTS_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  attach_store (self);
  if (self->store == NULL)
    return NULL;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ob_contacts_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, file);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_import_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_import_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}
