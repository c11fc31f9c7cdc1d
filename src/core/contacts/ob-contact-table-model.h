/* ob-contact-table-model.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-contact.h"
#include "ob-segment.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACT_TABLE_MODEL (ob_contact_table_model_get_type ())

G_DECLARE_FINAL_TYPE (ObContactTableModel, ob_contact_table_model, OB, CONTACT_TABLE_MODEL, GObject)

ObContactTableModel *ob_contact_table_model_new            (ObStore             *store);
void                 ob_contact_table_model_set_segment    (ObContactTableModel *self,
                                                            const ObSegment     *segment);
const ObSegment     *ob_contact_table_model_get_segment    (ObContactTableModel *self);
void                 ob_contact_table_model_set_sort       (ObContactTableModel *self,
                                                            ObContactColumn      column,
                                                            gboolean             descending);
void                 ob_contact_table_model_set_hidden     (ObContactTableModel *self,
                                                            GArray              *ids);
gboolean             ob_contact_table_model_hide           (ObContactTableModel *self,
                                                            GArray              *ids,
                                                            GError             **error);
gboolean             ob_contact_table_model_unhide         (ObContactTableModel *self,
                                                            GArray              *ids,
                                                            GError             **error);
guint                ob_contact_table_model_get_n_hidden   (ObContactTableModel *self);
void                 ob_contact_table_model_reload         (ObContactTableModel *self);
void                 ob_contact_table_model_append_ids     (ObContactTableModel *self,
                                                            guint                position,
                                                            guint                n_items,
                                                            GArray              *ids);
guint                ob_contact_table_model_get_n_created  (ObContactTableModel *self);
guint                ob_contact_table_model_get_n_pages_from_neighbour (ObContactTableModel *self);
guint                ob_contact_table_model_get_n_cached_pages (ObContactTableModel *self);
guint                ob_contact_table_model_count_all      (ObContactTableModel *self);
gboolean             ob_contact_table_model_is_capped      (ObContactTableModel *self);
char                *ob_contact_table_model_explain        (ObContactTableModel *self);

#define OB_CONTACT_TABLE_MODEL_PAGE_SIZE 200
#define OB_CONTACT_TABLE_MODEL_MAX_PAGES 8
/* A search lists at most this many matches (the first, in the order they
 * were added), so each keystroke costs a bounded count. */
#define OB_CONTACT_TABLE_MODEL_SEARCH_CAP 5000

G_END_DECLS
