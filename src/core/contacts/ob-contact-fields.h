/* ob-contact-fields.h — a contact's merge values for templates.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-store.h"

G_BEGIN_DECLS

/* The contact columns a template can merge, in this order. */
const char * const *ob_contact_merge_columns            (void);

/* A contact's merge values: custom fields (names lower-cased) first, then
 * the columns above, which win over a custom field of the same name.
 * Empty values are left out, so a template's fallback applies. */
GHashTable         *ob_contact_merge_values             (ObStore     *store,
                                                         gint64       contact_id,
                                                         GError     **error);
/* The same for the first contact with @address; %NULL without an error
 * when there is none. */
GHashTable         *ob_contact_merge_values_for_address (ObStore     *store,
                                                         const char  *address,
                                                         GError     **error);
/* Every active contact's values (GHashTable each), e.g. as a lint audience. */
GPtrArray          *ob_contact_merge_values_for_active  (ObStore     *store,
                                                         GError     **error);

G_END_DECLS
