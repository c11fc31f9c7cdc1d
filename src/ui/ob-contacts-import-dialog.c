/* ob-contacts-import-dialog.c — importing a contact list: a preview of the
 * first rows with the detected column mapping (editable), options, the
 * import in the background with progress and Cancel, then the report with
 * its problems and suggested fixes.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "ob-contacts.h"

#include "ob-contact-importer.h"
#include "ob-contacts-import-dialog.h"
#include "ob-dns-settings.h"
#include "ob-import-preview.h"
#include "ob-import-private.h"
#include "ob-mail-domain-check.h"

#define PREVIEW_ROWS 8
#define MAX_PROBLEM_ROWS 500

struct _ObContactsImportDialog
{
  AdwWindow          parent_instance;

  ObStore           *store;
  GFile             *file;
  GFile             *import_file;   /* the file given to the importer: @file or a mapped copy */
  gboolean           import_file_is_temp;
  gboolean           closed;        /* destroyed while a task still holds it */
  gboolean           line_offset;   /* the mapped copy has a title row the user's file lacks */
  ObImportPreview   *preview;
  int               *mapping;
  ObImportReport    *report;
  ObContactImporter *importer;
  GCancellable      *cancellable;
  char              *state;

  GtkStack          *stack;
  GtkWidget         *import_button;
  GtkWidget         *done_button;
  GtkWidget         *close_button;
  AdwPreferencesGroup *file_group;
  GtkGrid           *grid;
  GPtrArray         *dropdowns;
  AdwEntryRow       *source_row;
  AdwEntryRow       *tags_row;
  GtkSwitch         *apply_switch;
  GtkSwitch         *dns_switch;
  AdwStatusPage     *importing_page;
  GtkButton         *cancel_button;
  GtkProgressBar    *progress;
  GtkLabel          *progress_label;
  AdwStatusPage     *failed_page;
  GtkBox            *report_box;
  /* In the report shown: the figures a fix accepted changes, and Apply All
   * (gone once no fix is left to apply). */
  GtkLabel          *imported_label;
  GtkLabel          *invalid_label;
  GtkWidget         *apply_all_button;
  /* Apply All runs: its import's figures are merged into the report of
   * the first one (the file read again is not new contacts again). */
  gboolean           applying_all;
  char              *fixes_error;   /* why the fixes were not applied */
  /* The opt-in DNS check after the import: its outcome, or why it did not run. */
  gboolean           dns_checked;
  ObDomainCheckSummary dns_summary;
  char              *dns_error;
};

G_DEFINE_FINAL_TYPE (ObContactsImportDialog, ob_contacts_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_import (ObContactsImportDialog *self, GFile *file, gboolean apply, gboolean whole);
static void check_domains (ObContactsImportDialog *self);

static const char *
importing_description (void)
{
  return _("Each address is checked on the way in. If you cancel, nothing from this file is saved.");
}

static void
set_state (ObContactsImportDialog *self,
           const char             *state)
{
  g_free (self->state);
  self->state = g_strdup (state);
  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_widget_set_visible (self->import_button, g_str_equal (state, "preview"));
  gtk_widget_set_visible (self->done_button, g_str_equal (state, "report") || g_str_equal (state, "failed"));
  /* Cancel before the import; while it runs the page has its own Cancel
   * Import, and after it Done closes: one button for each thing to do. */
  gtk_widget_set_visible (self->close_button, g_str_equal (state, "loading") || g_str_equal (state, "preview"));
  /* Enter does what the highlighted button says. The keyboard starts in
   * the Source (typing replaces the file name offered there), not on Close,
   * where Enter would close the window. */
  if (g_str_equal (state, "preview"))
    {
      gtk_window_set_default_widget (GTK_WINDOW (self), self->import_button);
      gtk_widget_grab_focus (GTK_WIDGET (self->source_row));
    }
  else if (gtk_widget_get_visible (self->done_button))
    gtk_window_set_default_widget (GTK_WINDOW (self), self->done_button);
  else
    gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.run", g_str_equal (state, "preview"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", g_str_equal (state, "importing"));
}

static void
show_failure (ObContactsImportDialog *self,
              const char             *title,
              const char             *message)
{
  g_autofree char *text = NULL;
  g_autofree char *shorter = NULL;

  /* The importer's messages start with the file's path, the one it was
   * given: a temporary copy after the mapping. The user knows the file by
   * its name. */
  for (guint i = 0; i < 2 && shorter == NULL; i++)
    {
      GFile *file = i == 0 ? self->import_file : self->file;
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autofree char *name = self->file ? g_file_get_basename (self->file) : NULL;

      if (path != NULL && name != NULL && g_str_has_prefix (message, path) &&
          g_str_has_prefix (message + strlen (path), ": "))
        shorter = g_strconcat (name, message + strlen (path), NULL);
    }
  text = g_strdup_printf ("%s\n\n%s", shorter ? shorter : message,
                          _("Nothing from this file was saved: your contacts are as they were."));

  adw_status_page_set_title (self->failed_page, title);
  adw_status_page_set_description (self->failed_page, text);
  set_state (self, "failed");
}

/* The preview */

static void
on_mapping_selected_cb (GtkDropDown            *dropdown,
                        GParamSpec             *pspec,
                        ObContactsImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "column"));
  guint n_choices;
  const int *choices = ob_import_field_choices (&n_choices);
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (column < self->preview->n_columns && selected < n_choices)
    self->mapping[column] = choices[selected];
}

/* Only cells longer than @max_chars are cut: an address column gets room
 * for whole addresses, the one thing the user checks here, and the grid
 * scrolls sideways rather than squeeze the other columns to make room. */
static GtkWidget *
cell_label (const char *text,
            gboolean    heading,
            int         max_chars)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (g_utf8_strlen (text, -1) > max_chars)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), max_chars);
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_widget_set_tooltip_text (label, text);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
fill_preview (ObContactsImportDialog *self)
{
  ObImportPreview *p = self->preview;
  g_autofree char *base = g_file_get_basename (self->file);
  g_autofree char *desc = NULL;
  gboolean vcard = g_strcmp0 (p->format, "vcard") == 0;
  guint n_choices;
  const int *choices = ob_import_field_choices (&n_choices);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_choices; i++)
    gtk_string_list_append (titles, ob_import_field_title (choices[i]));

  if (vcard)
    desc = g_strdup_printf (_("%s · vCard · %s"), base, p->encoding);
  else
    desc = g_strdup_printf (_("%s · %s · separated by “%s” · %u columns%s"), base, p->encoding,
                            p->delimiter == '\t' ? _("tab") : (char[]) { p->delimiter, 0 },
                            p->n_columns, p->headerless ? _(" · no title row") : "");
  adw_preferences_group_set_description (self->file_group, desc);

  self->mapping = g_new0 (int, p->n_columns);
  for (guint c = 0; c < p->n_columns; c++)
    {
      GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (titles)), NULL);
      g_autofree char *label = g_strdup_printf (_("Column “%s” holds"), (char *) g_ptr_array_index (p->headers, c));
      int max_chars = p->fields[c] == OB_FIELD_EMAIL ? 64 : 24;

      self->mapping[c] = p->fields[c];
      for (guint i = 0; i < n_choices; i++)
        if (choices[i] == p->fields[c])
          gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
      gtk_widget_set_sensitive (dropdown, !vcard);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data (G_OBJECT (dropdown), "column", GUINT_TO_POINTER (c));
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_mapping_selected_cb), self);
      gtk_grid_attach (self->grid, dropdown, c, 0, 1, 1);
      g_ptr_array_add (self->dropdowns, dropdown);
      gtk_grid_attach (self->grid, cell_label (g_ptr_array_index (p->headers, c), TRUE, max_chars), c, 1, 1, 1);
      for (guint r = 0; r < p->rows->len; r++)
        {
          char **row = g_ptr_array_index (p->rows, r);
          GtkWidget *cell = cell_label (row[c], FALSE, max_chars);

          gtk_grid_attach (self->grid, cell, c, r + 2, 1, 1);
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->source_row), base);
  set_state (self, "preview");
}

static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  ObImportPreview *preview = ob_import_preview_read (file, PREVIEW_ROWS, cancellable, &error);

  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) ob_import_preview_free);
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (source);
  g_autoptr(GError) error = NULL;
  ObImportPreview *preview = g_task_propagate_pointer (G_TASK (result), &error);

  /* Closed meanwhile. */
  if (self->store == NULL)
    {
      g_clear_pointer (&preview, ob_import_preview_free);
      return;
    }
  if (preview == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_failure (self, _("This File Cannot Be Imported"), error->message);
      return;
    }
  self->preview = preview;
  fill_preview (self);
}

/* The report */

static GtkWidget *
count_row_with_label (const char  *title,
                      const char  *subtitle,
                      guint        value,
                      GtkLabel   **value_label)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = g_strdup_printf ("%'u", value);
  GtkWidget *label = gtk_label_new (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  if (value_label != NULL)
    *value_label = GTK_LABEL (label);
  return row;
}

static GtkWidget *
count_row (const char *title,
           const char *subtitle,
           guint       value)
{
  return count_row_with_label (title, subtitle, value, NULL);
}

static void
set_count (GtkLabel *label,
           guint     value)
{
  g_autofree char *text = g_strdup_printf ("%'u", value);

  if (label != NULL)
    gtk_label_set_text (label, text);
}

static void
accept_row_done (ObContactsImportDialog *self,
                 GtkWidget              *button,
                 ObImportReport         *report)
{
  guint line = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "line"));
  const char *suggestion = g_object_get_data (G_OBJECT (button), "suggestion");
  gboolean pending = FALSE;

  /* The report's figures follow: the corrected address is a new contact
   * (unless it was one already), and no longer invalid. The line's other
   * addresses, imported the first time, are not counted again. */
  if (self->report != NULL)
    {
      for (guint i = 0; i < self->report->problems->len; i++)
        {
          ObImportProblem *p = g_ptr_array_index (self->report->problems, i);

          if (!p->applied && p->line == line && g_strcmp0 (p->suggestion, suggestion) == 0)
            {
              p->applied = TRUE;
              if (self->report->invalid > 0)
                self->report->invalid--;
              line = 0;
            }
          else if (p->suggestion != NULL && !p->applied)
            pending = TRUE;
        }
      self->report->imported += report->imported;
      set_count (self->imported_label, self->report->imported);
      set_count (self->invalid_label, self->report->invalid);
      if (!pending && self->apply_all_button != NULL)
        gtk_widget_set_visible (self->apply_all_button, FALSE);
    }
  gtk_button_set_label (GTK_BUTTON (button), _("Accepted"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "success");
  gtk_widget_set_sensitive (button, FALSE);
  g_signal_emit (self, signals[IMPORTED], 0);
}

static void
accept_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWidget) button = user_data;
  ObContactsImportDialog *self = g_object_get_data (G_OBJECT (button), "dialog");
  g_autoptr(ObImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GFile *file = g_object_get_data (source, "temp-file");

  report = ob_contact_importer_import_finish (OB_CONTACT_IMPORTER (source), result, &error);
  if (file != NULL)
    g_file_delete (file, NULL, NULL);
  if (self == NULL || gtk_widget_get_parent (button) == NULL)
    return;
  if (report == NULL)
    {
      gtk_widget_set_sensitive (button, TRUE);
      gtk_widget_set_tooltip_text (button, error->message);
      return;
    }
  accept_row_done (self, button, report);
}

static void
on_accept_clicked_cb (GtkButton              *button,
                      ObContactsImportDialog *self)
{
  guint line = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "line"));
  const char *suggestion = g_object_get_data (G_OBJECT (button), "suggestion");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ObContactImporter) importer = NULL;

  if (g_strcmp0 (self->preview->format, "vcard") == 0)
    {
      /* A card has no line of its own to import again: the fixed address. */
      g_autofree char *path = NULL;
      g_autofree char *text = g_strdup_printf ("Email\r\n%s\r\n", suggestion);
      int fd = g_file_open_tmp ("outbound-accept-XXXXXX.csv", &path, &error);

      if (fd >= 0)
        {
          close (fd);
          if (g_file_set_contents (path, text, -1, &error))
            file = g_file_new_for_path (path);
        }
    }
  else
    file = ob_import_preview_write_line (self->import_file, line, &error);
  if (file == NULL)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), error->message);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  importer = ob_contact_importer_new (self->store, file);
  ob_contact_importer_set_apply_suggestions (importer, TRUE);
  ob_contact_importer_set_source (importer, gtk_editable_get_text (GTK_EDITABLE (self->source_row)));
  g_object_set_data_full (G_OBJECT (importer), "temp-file", g_object_ref (file), g_object_unref);
  g_object_set_data (G_OBJECT (button), "dialog", self);
  ob_contact_importer_import_async (importer, self->cancellable, accept_done_cb, g_object_ref (button));
}

static char *
reasons_text (GStrv reasons)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    {
      const char *r = reasons[i];
      const char *words = r;

      if (g_str_equal (r, "syntax")) words = _("not a valid address");
      else if (g_str_equal (r, "typo-domain")) words = _("likely a typo in the domain");
      else if (g_str_equal (r, "no-domain")) words = _("the domain does not exist");
      else if (g_str_equal (r, "no-mx")) words = _("the domain takes no mail");
      else if (g_str_equal (r, "null-mx")) words = _("the domain refuses all mail");
      else if (g_str_equal (r, "disposable")) words = _("a throw-away mailbox");
      else if (g_str_equal (r, "suppressed")) words = _("on the suppression list");
      else if (g_str_equal (r, "reserved-domain")) words = _("an example or test domain");
      else if (g_str_equal (r, "duplicate")) words = _("the same address as an earlier line");
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, words);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
fill_report (ObContactsImportDialog *self)
{
  ObImportReport *r = self->report;
  AdwPreferencesGroup *summary = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *problems = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkListBox *list = GTK_LIST_BOX (gtk_list_box_new ());
  guint pending_fixes = 0;

  clear_box (self->report_box);
  self->apply_all_button = NULL;
  adw_preferences_group_set_title (summary, _("Imported"));
  {
    /* Each address is counted once below: when cells held several, the
     * rows alone would not add up to them. */
    guint addresses = r->imported + r->updated + r->duplicates + r->invalid;
    g_autofree char *more = NULL;

    if (addresses > r->rows)
      more = g_strdup_printf (g_dngettext (NULL, "%u address: a cell can hold more than one",
                                           "%u addresses: a cell can hold more than one", addresses),
                              addresses);
    adw_preferences_group_add (summary, count_row (_("Rows read"), more, r->rows));
  }
  adw_preferences_group_add (summary, count_row_with_label (_("New contacts"), NULL, r->imported,
                                                            &self->imported_label));
  adw_preferences_group_add (summary, count_row (_("Updated"), _("Already in your contacts"), r->updated));
  adw_preferences_group_add (summary, count_row (_("Duplicates"), _("The same address more than once"), r->duplicates));
  adw_preferences_group_add (summary, count_row_with_label (_("Invalid, not imported"), NULL, r->invalid,
                                                            &self->invalid_label));
  adw_preferences_group_add (summary, count_row (_("Suggested fixes"), NULL, r->suggestions));
  adw_preferences_group_add (summary, count_row (_("Suppressed"), _("Imported, but never mailed"), r->suppressed));
  gtk_box_append (self->report_box, GTK_WIDGET (summary));

  if (self->dns_checked || self->dns_error != NULL)
    {
      AdwPreferencesGroup *dns = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      const ObDomainCheckSummary *d = &self->dns_summary;

      adw_preferences_group_set_title (dns, _("Mail Domains"));
      if (self->dns_error != NULL)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Not checked"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), self->dns_error);
          adw_preferences_group_add (dns, row);
        }
      else
        {
          g_autofree char *kept = NULL;

          if (d->kept > 0)
            kept = g_strdup_printf (_("%u known from an earlier check"), d->kept);
          adw_preferences_group_add (dns, count_row (_("Domains checked"), kept, d->domains));
          adw_preferences_group_add (dns, count_row (_("Receive mail"), NULL, d->ok));
          adw_preferences_group_add (dns, count_row (_("No mail server"), _("Only an address record: risky"),
                                                     d->no_mx));
          adw_preferences_group_add (dns, count_row (_("Refuse all mail"), _("Null MX (RFC 7505)"), d->null_mx));
          adw_preferences_group_add (dns, count_row (_("Do not exist"), NULL, d->no_domain));
          adw_preferences_group_add (dns, count_row (_("Could not be checked"), _("Left as they were"),
                                                     d->unknown));
          adw_preferences_group_add (dns, count_row (_("Contacts changed"), NULL, d->contacts_changed));
        }
      gtk_box_append (self->report_box, GTK_WIDGET (dns));
    }

  for (guint i = 0; i < r->problems->len; i++)
    {
      ObImportProblem *p = g_ptr_array_index (r->problems, i);

      if (p->suggestion != NULL && !p->applied)
        pending_fixes++;
    }

  adw_preferences_group_set_title (problems, _("Problems"));
  if (self->fixes_error != NULL)
    adw_preferences_group_set_description (problems, self->fixes_error);
  else if (r->problems->len == 0)
    adw_preferences_group_set_description (problems, _("None: every address was usable."));
  else
    adw_preferences_group_set_description (problems, _("By line of the file. Accept a suggested fix to import the corrected address."));
  if (pending_fixes > 0)
    {
      /* Not suggested-action: Done is the report's one highlighted button. */
      GtkWidget *all = gtk_button_new_with_mnemonic (_("_Apply All Suggested Fixes"));

      gtk_widget_set_valign (all, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (all), "import.apply-all");
      adw_preferences_group_set_header_suffix (problems, all);
      self->apply_all_button = all;
    }
  gtk_list_box_set_selection_mode (list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Problems"), -1);
  for (guint i = 0; i < r->problems->len && i < MAX_PROBLEM_ROWS; i++)
    {
      ObImportProblem *p = g_ptr_array_index (r->problems, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *why = reasons_text (p->reasons);
      g_autofree char *subtitle = NULL;
      guint line = p->line - (self->line_offset && p->line > 0 ? 1 : 0);

      if (p->first_line > 0)
        /* TRANSLATORS: a duplicate within the imported file, e.g. "Line 12 · the same address as line 3" */
        subtitle = g_strdup_printf (_("Line %u · the same address as line %u"), line,
                                    p->first_line - (self->line_offset && p->first_line > 0 ? 1 : 0));
      else if (p->suggestion != NULL)
        subtitle = g_strdup_printf (p->applied ? _("Line %u · %s · fixed to %s") : _("Line %u · %s · did you mean %s?"),
                                    line, why, p->suggestion);
      else
        subtitle = g_strdup_printf (_("Line %u · %s"), line, why);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->input);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (p->suggestion != NULL && !p->applied)
        {
          GtkWidget *accept = gtk_button_new_with_label (_("Accept"));
          g_autofree char *label = g_strdup_printf (_("Import %s instead of %s"), p->suggestion, p->input);

          gtk_widget_set_valign (accept, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (accept), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          g_object_set_data (G_OBJECT (accept), "line", GUINT_TO_POINTER (p->line));
          g_object_set_data_full (G_OBJECT (accept), "suggestion", g_strdup (p->suggestion), g_free);
          g_signal_connect (accept, "clicked", G_CALLBACK (on_accept_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), accept);
        }
      gtk_list_box_append (list, row);
    }
  if (r->problems->len > 0)
    adw_preferences_group_add (problems, GTK_WIDGET (list));
  else
    g_object_ref_sink (list), g_object_unref (list);
  if (r->problems->len > MAX_PROBLEM_ROWS || r->problems_dropped > 0)
    {
      guint n_more = r->problems->len - MIN (r->problems->len, MAX_PROBLEM_ROWS) + r->problems_dropped;
      g_autofree char *more = g_strdup_printf (g_dngettext (NULL, "%u more problem is not listed here.",
                                                            "%u more problems are not listed here.", n_more),
                                               n_more);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      adw_preferences_group_add (problems, label);
    }
  gtk_box_append (self->report_box, GTK_WIDGET (problems));
  set_state (self, "report");
}

/* The import */

static void
on_progress_cb (ObContactImporter      *importer,
                GParamSpec             *pspec,
                ObContactsImportDialog *self)
{
  guint rows = ob_contact_importer_get_rows (importer);
  ObImportStage stage = ob_contact_importer_get_stage (importer);
  g_autofree char *text = NULL;

  switch (stage)
    {
    case OB_IMPORT_STAGE_READING:
      text = g_strdup_printf (g_dngettext (NULL, "%u row read", "%u rows read", rows), rows);
      break;
    case OB_IMPORT_STAGE_INDEXING:
      text = g_strdup (_("Preparing the list for sorting and filtering…"));
      break;
    case OB_IMPORT_STAGE_SEARCH:
      text = g_strdup (_("Preparing the new contacts for search…"));
      break;
    case OB_IMPORT_STAGE_SAVING:
    default:
      text = g_strdup (_("Saving…"));
      break;
    }
  gtk_progress_bar_set_fraction (self->progress, ob_contact_importer_get_fraction (importer));
  gtk_label_set_text (self->progress_label, text);
  /* Saving is past the point of no return: the import ends as it began. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", stage != OB_IMPORT_STAGE_SAVING);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ObContactsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  ObImportReport *report;

  report = ob_contact_importer_import_finish (OB_CONTACT_IMPORTER (source), result, &error);
  g_signal_handlers_disconnect_by_data (source, self);
  /* Closed meanwhile: a cancelled import changed nothing; a finished one
   * still tells the page. */
  if (self->store == NULL || self->closed)
    {
      if (report != NULL)
        g_signal_emit (self, signals[IMPORTED], 0);
      g_clear_pointer (&report, ob_import_report_free);
      return;
    }
  if (report == NULL && self->applying_all && self->report != NULL)
    {
      /* The first import stands: back to its report, saying why the
       * fixes are not in it. */
      self->applying_all = FALSE;
      g_free (self->fixes_error);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_CANCELLED))
        self->fixes_error = g_strdup (_("You cancelled applying the fixes: the contacts imported before are kept, "
                                        "the fixes were not applied."));
      else
        self->fixes_error = g_strdup_printf (_("The fixes could not be applied: %s"), error->message);
      fill_report (self);
      return;
    }
  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_CANCELLED))
        show_failure (self, _("Import Cancelled"), _("You cancelled the import."));
      else
        show_failure (self, _("Import Failed"), error->message);
      return;
    }
  if (self->applying_all && self->report != NULL)
    {
      /* The file again, with the fixes: the rows imported the first time
       * (and any fix accepted since) are no news. What the file gave is
       * the first import's contacts plus the corrected addresses new now,
       * and the addresses still invalid after the fixes. */
      report->imported += self->report->imported;
      report->updated = self->report->updated;
      report->duplicates = self->report->duplicates;
      report->duplicates_in_file = self->report->duplicates_in_file;
      report->duplicates_in_db = self->report->duplicates_in_db;
    }
  self->applying_all = FALSE;
  g_clear_pointer (&self->fixes_error, g_free);
  g_clear_pointer (&self->report, ob_import_report_free);
  self->report = report;
  self->dns_checked = FALSE;
  g_clear_pointer (&self->dns_error, g_free);
  g_signal_emit (self, signals[IMPORTED], 0);
  if (gtk_switch_get_active (self->dns_switch))
    check_domains (self);
  else
    fill_report (self);
}

/* After the import, opt-in: the mail domains of the contacts it checked. */

static void
dns_progress_cb (guint    done,
                 guint    total,
                 gpointer user_data)
{
  ObContactsImportDialog *self = user_data;
  g_autofree char *text = NULL;

  if (self->closed)
    return;
  text = g_strdup_printf (_("%u of %u domains"), done, total);
  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 1.0);
  gtk_label_set_text (self->progress_label, text);
}

static void
dns_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ObContactsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ob_contacts_check_domains_finish (result, &self->dns_summary, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->dns_error = g_strdup (_("You cancelled the check; the contacts are imported, their domains "
                                      "left as they were."));
      else
        self->dns_error = g_strdup (error->message);
    }
  else
    self->dns_checked = TRUE;
  if (self->closed || self->store == NULL)
    return;
  g_signal_emit (self, signals[IMPORTED], 0);
  fill_report (self);
}

static void
check_domains (ObContactsImportDialog *self)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(GError) error = NULL;

  resolver = ob_dns_settings_new_resolver (settings, &error);
  if (resolver == NULL)
    {
      self->dns_error = g_strdup (error->message);
      fill_report (self);
      return;
    }
  adw_status_page_set_title (self->importing_page, _("Checking Mail Domains…"));
  gtk_button_set_label (self->cancel_button, _("_Cancel the Check"));
  adw_status_page_set_description (self->importing_page,
                                   _("The contacts are imported. If you cancel now, their domains are left "
                                     "unchecked."));
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_label_set_text (self->progress_label, _("Starting…"));
  set_state (self, "importing");
  ob_contacts_check_domains_async (self->store, resolver, self->report->started_at, dns_progress_cb, self,
                                   self->cancellable, dns_done_cb, g_object_ref (self));
}

static void
start_import (ObContactsImportDialog *self,
              GFile                  *file,
              gboolean                apply,
              gboolean                whole)
{
  g_auto(GStrv) tags = NULL;
  const char *tag_text = gtk_editable_get_text (GTK_EDITABLE (self->tags_row));

  g_clear_object (&self->importer);
  self->importer = ob_contact_importer_new (self->store, file);
  ob_contact_importer_set_source (self->importer, gtk_editable_get_text (GTK_EDITABLE (self->source_row)));
  tags = g_strsplit_set (tag_text, ",;，；", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    g_strstrip (tags[i]);
  {
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
    g_auto(GStrv) clean = NULL;

    for (guint i = 0; tags[i] != NULL; i++)
      if (*tags[i] != '\0')
        g_strv_builder_add (b, tags[i]);
    clean = g_strv_builder_end (b);
    ob_contact_importer_set_tags (self->importer, (const char * const *) clean);
  }
  ob_contact_importer_set_apply_suggestions (self->importer, apply);
  g_signal_connect (self->importer, "notify::fraction", G_CALLBACK (on_progress_cb), self);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_label_set_text (self->progress_label, _("Starting…"));
  if (self->applying_all)
    {
      adw_status_page_set_title (self->importing_page, _("Applying the Fixes…"));
      gtk_button_set_label (self->cancel_button, _("_Cancel the Fixes"));
      adw_status_page_set_description (self->importing_page,
                                       _("If you cancel, the contacts imported before stay as they are."));
    }
  else
    {
      adw_status_page_set_title (self->importing_page, _("Importing…"));
      gtk_button_set_label (self->cancel_button, _("_Cancel Import"));
      adw_status_page_set_description (self->importing_page, importing_description ());
    }
  set_state (self, "importing");
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ob_contact_importer_import_async (self->importer, self->cancellable, import_done_cb, g_object_ref (self));
}

static void
map_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  ObContactsImportDialog *self = source;
  GError *error = NULL;
  GFile *mapped = ob_import_preview_write_mapped (self->file, self->preview, task_data, cancellable, &error);

  if (mapped == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, mapped, g_object_unref);
}

static void
map_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (source);
  g_autoptr(GError) error = NULL;
  GFile *mapped = g_task_propagate_pointer (G_TASK (result), &error);

  /* Closed meanwhile: the import the mapping was for never starts. */
  if (self->store == NULL || self->closed)
    {
      if (mapped != NULL)
        {
          g_file_delete (mapped, NULL, NULL);
          g_object_unref (mapped);
        }
      return;
    }
  if (mapped == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        {
          /* No Email column: back to the preview to choose one; the
           * file group's description says why. */
          set_state (self, "preview");
          gtk_widget_error_bell (GTK_WIDGET (self));
          adw_preferences_group_set_description (self->file_group, error->message);
          return;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_failure (self, _("Import Cancelled"), _("You cancelled the import."));
      else
        show_failure (self, _("Import Failed"), error->message);
      return;
    }
  g_set_object (&self->import_file, mapped);
  g_object_unref (mapped);
  self->import_file_is_temp = TRUE;
  self->line_offset = self->preview->headerless;
  start_import (self, self->import_file, gtk_switch_get_active (self->apply_switch), TRUE);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (widget);
  g_autoptr(GTask) task = NULL;

  if (self->preview == NULL)
    return;
  if (ob_import_preview_is_detected (self->preview, self->mapping))
    {
      g_set_object (&self->import_file, self->file);
      start_import (self, self->file, gtk_switch_get_active (self->apply_switch), TRUE);
      return;
    }
  set_state (self, "importing");
  gtk_label_set_text (self->progress_label, _("Applying your column choices…"));
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, map_done_cb, NULL);
  g_task_set_source_tag (task, run_action);
  g_task_set_task_data (task, g_memdup2 (self->mapping, sizeof (int) * self->preview->n_columns), g_free);
  g_task_run_in_thread (task, map_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
apply_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (widget);

  /* The same file again with the fixes: what was imported is updated in
   * place, the corrected addresses are added. */
  if (self->import_file != NULL)
    {
      self->applying_all = self->report != NULL;
      start_import (self, self->import_file, TRUE, TRUE);
    }
}

/* gtk_window_destroy() does not dispose the dialog while a task still
 * holds a reference to it: closing it cancels what runs, and stops what
 * would follow (the import after the column mapping). */
static void
ob_contacts_import_dialog_unrealize (GtkWidget *widget)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (widget);

  self->closed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  GTK_WIDGET_CLASS (ob_contacts_import_dialog_parent_class)->unrealize (widget);
}

static void
ob_contacts_import_dialog_dispose (GObject *object)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->import_file_is_temp && self->import_file != NULL)
    g_file_delete (self->import_file, NULL, NULL);
  self->import_file_is_temp = FALSE;
  g_clear_object (&self->importer);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->import_file);
  g_clear_object (&self->store);
  g_clear_pointer (&self->report, ob_import_report_free);

  G_OBJECT_CLASS (ob_contacts_import_dialog_parent_class)->dispose (object);
}

/* What a worker thread may still read (the mapping step holds a reference
 * to the dialog through its GTask) goes only when the last reference does. */
static void
ob_contacts_import_dialog_finalize (GObject *object)
{
  ObContactsImportDialog *self = OB_CONTACTS_IMPORT_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->preview, ob_import_preview_free);
  g_clear_pointer (&self->mapping, g_free);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->dns_error, g_free);
  g_clear_pointer (&self->fixes_error, g_free);

  G_OBJECT_CLASS (ob_contacts_import_dialog_parent_class)->finalize (object);
}

static void
ob_contacts_import_dialog_class_init (ObContactsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_contacts_import_dialog_dispose;
  object_class->finalize = ob_contacts_import_dialog_finalize;
  widget_class->unrealize = ob_contacts_import_dialog_unrealize;
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "import.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.apply-all", NULL, apply_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
status_page (const char *name,
             GtkStack   *stack,
             const char *icon,
             const char *title)
{
  GtkWidget *page = adw_status_page_new ();

  if (icon != NULL)
    adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  gtk_stack_add_named (stack, page, name);
  return page;
}

static void
ob_contacts_import_dialog_init (ObContactsImportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *close = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page, *vbox, *scroller, *grid_scroller, *spinner, *cancel, *pbox, *options, *apply_row, *dns_row;
  AdwPreferencesGroup *columns;

  self->dropdowns = g_ptr_array_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Import Contacts"));
  gtk_window_set_default_size (GTK_WINDOW (self), 780, 640);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->import_button), "import.run");
  self->done_button = gtk_button_new_with_mnemonic (_("_Done"));
  gtk_widget_add_css_class (self->done_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->done_button), "window.close");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "window.close");
  self->close_button = close;
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), close);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->done_button);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);

  /* Loading */
  page = status_page ("loading", self->stack, NULL, _("Reading the File…"));
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), spinner);

  /* Preview */
  vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (vbox, 18);
  gtk_widget_set_margin_bottom (vbox, 18);
  gtk_widget_set_margin_start (vbox, 18);
  gtk_widget_set_margin_end (vbox, 18);
  self->file_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->file_group, _("Check the Columns"));
  gtk_box_append (GTK_BOX (vbox), GTK_WIDGET (self->file_group));
  columns = self->file_group;
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_grid_set_column_spacing (self->grid, 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->grid), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->grid), 12);
  grid_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (grid_scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  /* A scrollbar that stays: the columns past the edge are seen to be there. */
  gtk_scrolled_window_set_overlay_scrolling (GTK_SCROLLED_WINDOW (grid_scroller), FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (grid_scroller), GTK_WIDGET (self->grid));
  adw_preferences_group_add (columns, grid_scroller);

  options = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (options), _("Options"));
  self->source_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row), _("Source (where the list came from)"));
  adw_entry_row_set_activates_default (self->source_row, TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options), GTK_WIDGET (self->source_row));
  self->tags_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->tags_row), _("Tags for every contact (comma-separated)"));
  adw_entry_row_set_activates_default (self->tags_row, TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options), GTK_WIDGET (self->tags_row));
  apply_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (apply_row), _("Apply suggested fixes"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (apply_row), _("Import anna@126.com for anna@126.con, and such"));
  self->apply_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->apply_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->apply_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Apply suggested fixes"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (apply_row), GTK_WIDGET (self->apply_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (apply_row), GTK_WIDGET (self->apply_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options), apply_row);
  dns_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dns_row), _("Check that each domain receives mail"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (dns_row),
                               _("Asks the DNS resolver of the Preferences after the import; a long list takes a while"));
  self->dns_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_name (GTK_WIDGET (self->dns_switch), "dns_switch");
  gtk_widget_set_valign (GTK_WIDGET (self->dns_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dns_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Check that each domain receives mail"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (dns_row), GTK_WIDGET (self->dns_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (dns_row), GTK_WIDGET (self->dns_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (options), dns_row);
  gtk_box_append (GTK_BOX (vbox), options);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), vbox);
  gtk_stack_add_named (self->stack, scroller, "preview");

  /* Importing */
  page = status_page ("importing", self->stack, "document-open-symbolic", _("Importing…"));
  self->importing_page = ADW_STATUS_PAGE (page);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), importing_description ());
  pbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Import progress"), -1);
  gtk_widget_set_size_request (GTK_WIDGET (self->progress), 280, -1);
  self->progress_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->progress_label), "dim-label");
  cancel = gtk_button_new_with_mnemonic (_("_Cancel Import"));
  self->cancel_button = GTK_BUTTON (cancel);
  gtk_widget_set_halign (cancel, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (cancel, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "import.cancel");
  gtk_box_append (GTK_BOX (pbox), GTK_WIDGET (self->progress));
  gtk_box_append (GTK_BOX (pbox), GTK_WIDGET (self->progress_label));
  gtk_box_append (GTK_BOX (pbox), cancel);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), pbox);

  /* Report */
  self->report_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 18));
  gtk_widget_set_margin_top (GTK_WIDGET (self->report_box), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->report_box), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->report_box), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->report_box), 18);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  {
    GtkWidget *clamp = adw_clamp_new ();

    adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
    adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->report_box));
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  }
  gtk_stack_add_named (self->stack, scroller, "report");

  /* Failed or cancelled */
  self->failed_page = ADW_STATUS_PAGE (status_page ("failed", self->stack, "dialog-warning-symbolic",
                                                    _("Nothing Was Imported")));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
  set_state (self, "loading");
}

ObContactsImportDialog *
ob_contacts_import_dialog_new (GtkWindow *parent,
                               ObStore   *store,
                               GFile     *file)
{
  ObContactsImportDialog *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (OB_TYPE_CONTACTS_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, preview_done_cb, NULL);
  g_task_set_source_tag (task, ob_contacts_import_dialog_new);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, preview_thread);
  return self;
}

/* "loading", "preview", "importing", "report" or "failed". */
const char *
ob_contacts_import_dialog_get_state (ObContactsImportDialog *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_IMPORT_DIALOG (self), NULL);

  return self->state;
}

const ObImportReport *
ob_contacts_import_dialog_get_report (ObContactsImportDialog *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_IMPORT_DIALOG (self), NULL);

  return self->report;
}

guint
ob_contacts_import_dialog_get_n_columns (ObContactsImportDialog *self)
{
  g_return_val_if_fail (OB_IS_CONTACTS_IMPORT_DIALOG (self), 0);

  return self->preview ? self->preview->n_columns : 0;
}

/* Chooses @field for @column through its dropdown, as a click would. */
void
ob_contacts_import_dialog_set_mapping (ObContactsImportDialog *self,
                                       guint                   column,
                                       int                     field)
{
  guint n_choices;
  const int *choices = ob_import_field_choices (&n_choices);

  g_return_if_fail (OB_IS_CONTACTS_IMPORT_DIALOG (self));
  g_return_if_fail (column < self->dropdowns->len);

  for (guint i = 0; i < n_choices; i++)
    if (choices[i] == field)
      gtk_drop_down_set_selected (g_ptr_array_index (self->dropdowns, column), i);
}

int
ob_contacts_import_dialog_get_mapping (ObContactsImportDialog *self,
                                       guint                   column)
{
  g_return_val_if_fail (OB_IS_CONTACTS_IMPORT_DIALOG (self), OB_IMPORT_COLUMN_IGNORE);

  return self->mapping && self->preview && column < self->preview->n_columns ? self->mapping[column]
                                                                             : OB_IMPORT_COLUMN_IGNORE;
}
