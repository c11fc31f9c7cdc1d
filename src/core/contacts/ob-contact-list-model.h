/* ob-contact-list-model.h
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

#define OB_TYPE_CONTACT_LIST_MODEL (ob_contact_list_model_get_type ())

G_DECLARE_FINAL_TYPE (ObContactListModel, ob_contact_list_model, OB, CONTACT_LIST_MODEL, GObject)

ObContactListModel *ob_contact_list_model_new                (ObStore            *store,
                                                              const ObSegment    *segment);
void                ob_contact_list_model_set_segment        (ObContactListModel *self,
                                                              const ObSegment    *segment);
gboolean            ob_contact_list_model_reload             (ObContactListModel *self,
                                                              GError            **error);
gboolean            ob_contact_list_model_set_sort           (ObContactListModel *self,
                                                              ObContactColumn     column,
                                                              gboolean            descending);
guint               ob_contact_list_model_get_n_cached_pages (ObContactListModel *self);

#define OB_CONTACT_LIST_MODEL_PAGE_SIZE 256
#define OB_CONTACT_LIST_MODEL_MAX_PAGES 16

G_END_DECLS
