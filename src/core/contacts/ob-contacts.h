/* ob-contacts.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-contact.h"
#include "ob-segment.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_CONTACTS_ERROR (ob_contacts_error_quark ())

/* Errors of core/contacts. Messages are translated and say what to do. */
typedef enum
{
  OB_CONTACTS_ERROR_PARSE, /* a file could not be read as contacts */
  OB_CONTACTS_ERROR_ENCODING, /* the text encoding could not be detected */
  OB_CONTACTS_ERROR_NOT_FOUND, /* no such contact, tag or segment */
  OB_CONTACTS_ERROR_CANCELLED, /* the operation was cancelled */
  OB_CONTACTS_ERROR_INVALID, /* a value (address, segment, reason) is not acceptable */
} ObContactsError;

GQuark     ob_contacts_error_quark (void);

GPtrArray *ob_contacts_list        (ObStore          *store,
                                    const ObSegment  *segment,
                                    guint             offset,
                                    guint             limit,
                                    GError          **error);
gboolean   ob_contacts_count       (ObStore          *store,
                                    const ObSegment  *segment,
                                    guint            *count,
                                    GError          **error);
gboolean   ob_contacts_count_mailboxes (ObStore      *store,
                                    const ObSegment  *segment,
                                    guint            *count,
                                    GError          **error);
gboolean   ob_contacts_export_csv  (ObStore          *store,
                                    const ObSegment  *segment,
                                    const char       *path,
                                    guint            *exported,
                                    GError          **error);

/* Saved segments (the segments table): a name and a structured filter. */
gboolean   ob_segments_save        (ObStore          *store,
                                    const char       *name,
                                    const ObSegment  *segment,
                                    GError          **error);
ObSegment *ob_segments_load        (ObStore          *store,
                                    const char       *name,
                                    GError          **error);
GStrv      ob_segments_list_names  (ObStore          *store,
                                    GError          **error);
gboolean   ob_segments_delete      (ObStore          *store,
                                    const char       *name,
                                    GError          **error);

G_END_DECLS
