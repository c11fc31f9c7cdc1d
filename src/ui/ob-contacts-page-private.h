/* ob-contacts-page-private.h — the Contacts page's instance struct and
 * the helpers shared by the files the page is made of: the page itself
 * (ob-contacts-page.c), its actions on a selection
 * (ob-contacts-page-actions.c) and its check of the mail domains
 * (ob-contacts-page-domains.c), and the widgets inside it
 * (ob-contact-filter-popover.c, ob-contact-detail-pane.c).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-contact-detail-pane.h"
#include "ob-contact-filter-popover.h"
#include "ob-contact-selection.h"
#include "ob-contact-table-model.h"
#include "ob-contacts-page.h"
#include "ob-store.h"
#include "ob-window.h"

G_BEGIN_DECLS

struct _ObContactsPage
{
  AdwBin                  parent_instance;

  GtkStack               *stack;
  AdwStatusPage          *empty_page;
  AdwLeaflet             *leaflet;
  GtkWidget              *list_pane;
  GtkSearchEntry         *search_entry;
  ObContactFilterPopover *filter_popover;
  GtkDropDown            *segment_dropdown;
  GtkRevealer            *selection_revealer;
  GtkRevealer            *domains_revealer;
  GtkLabel               *domains_label;
  GtkProgressBar         *domains_progress;
  GCancellable           *domains_cancellable;  /* while the mail domains are checked */
  AdwToast               *domains_toast;        /* weak: the last check's outcome */
  gboolean                bulk_running;         /* an action on the selection runs */
  GQueue                  bulks_waiting;        /* actions asked for meanwhile (Undo…), in turn */
  GtkRevealer            *work_revealer;        /* …and says so */
  GtkLabel               *work_label;
  GtkLabel               *selection_label;
  GtkPopover             *tag_popover;
  GtkEntry               *tag_entry;
  GtkStack               *results_stack;
  GtkColumnView          *column_view;
  GtkLabel               *count_label;
  GtkWidget              *detail_separator;
  ObContactDetailPane    *detail_pane;

  ObStore                *store;
  ObContactTableModel    *model;
  ObContactSelection     *selection;
  GtkSliceListModel      *first_rows;  /* the model's start, until the first frame is drawn */
  guint                   first_rows_tick;
  gboolean                shown_before;   /* mapped once: a later map is the page shown again */
  guint                   first_rows_ticks;
  GtkStringList          *segment_names;
  GStrv                   segments;      /* saved segment names, in segment_names order after "All" */
  GArray                 *pending_delete;   /* hidden under the Undo toast */
  GArray                 *delete_queued;    /* let stand, waiting for the action that runs */
  guint                   n_deleting;       /* ids queued or being deleted, hidden until done */
  AdwToast               *delete_toast;
  AdwToast               *suppress_toast;   /* weak: the last suppression's Undo */
  int                     total;         /* contacts in the database, -1 = count again */
  guint                   updating_filters : 1;
};

/* ob-contacts-page.c */

/* The word shown for a verdict or status id; "" for NULL. */
const char *_ob_contacts_page_word_for      (const char     *value);
/* @t (Unix time) as a local date; "" when unset. */
char       *_ob_contacts_page_format_date   (gint64          t);
/* The non-empty items of a comma- or semicolon-separated list, trimmed;
 * NULL when there is none. */
GStrv       _ob_contacts_page_split_list    (const char     *text);
/* Logs @error and shows it under @heading, over @widget's window. */
void        _ob_contacts_page_show_error    (GtkWidget      *widget,
                                             const char     *heading,
                                             const GError   *error);
/* The window the page is in, or NULL. */
ObWindow   *_ob_contacts_page_get_window    (ObContactsPage *self);
/* A toast, and its dismissal, through the window. */
void        _ob_contacts_page_toast         (ObContactsPage *self,
                                             const char     *text);
void        _ob_contacts_page_dismiss_toast (ObContactsPage *self,
                                             AdwToast       *t);
/* The ids (gint64) of the selected contacts. */
GArray     *_ob_contacts_page_selected_ids  (ObContactsPage *self);
/* The counts, and the list, the empty page or "deleting" as they are. */
void        _ob_contacts_page_update_view   (ObContactsPage *self);
/* contacts.save-detail on only with edits to save and no worker running. */
void        _ob_contacts_page_update_save_detail (ObContactsPage *self);

/* ob-contacts-page-actions.c: tag, suppress (with a reason, and Undo),
 * re-check and delete (with Undo) the selection. Installs contacts.tag-selected,
 * contacts.suppress-selected, contacts.recheck-selected and
 * contacts.delete-selected, and binds the template callback of the tag
 * entry: call it after the template is set. */
void        _ob_contacts_page_class_actions_init (GtkWidgetClass *widget_class);
/* From dispose: lets a deletion waiting under its toast stand, with any
 * queued, and runs the actions waiting for a worker (an Undo clicked…),
 * in workers that hold nothing of the page. */
void        _ob_contacts_page_actions_dispose    (ObContactsPage *self);

/* ob-contacts-page-domains.c: the DNS check of the mail domains. Installs
 * contacts.check-domains and contacts.cancel-check-domains. */
void        _ob_contacts_page_class_domains_init (GtkWidgetClass *widget_class);
/* From dispose: stops a check under way, changing nothing. */
void        _ob_contacts_page_domains_dispose    (ObContactsPage *self);

G_END_DECLS
