/* ob-contacts-edit.h — the changes the Contacts page makes to contacts,
 * tags and saved segments.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-segment.h"
#include "ob-store.h"
#include "ob-suppressions.h"

G_BEGIN_DECLS

/* One contact as the detail pane edits it. */
typedef struct
{
  gint64    id;
  char     *email;
  char     *name;
  char     *company;
  char     *country;
  char     *timezone;
  gboolean  timezone_override;
  char     *notes;
  GStrv     tags;
  char     *verdict;
  char     *status;
  char     *reasons;
  char     *suggestion;
  guint     bounce_count;
  guint     soft_bounce_count;
  gint64    last_contacted_at;
  gint64    created_at;
} ObContactDetail;

/* One row of the events table about a contact. */
typedef struct
{
  gint64  at;
  char   *kind;
  char   *reply;
  char   *detail;
  gint64  evidence_id;  /* the mail kept as evidence (a bounce, a reply); 0 for none */
} ObContactEvent;

void             ob_contact_detail_free        (ObContactDetail   *detail);
void             ob_contact_event_free         (ObContactEvent    *event);

ObContactDetail *ob_contacts_edit_get          (ObStore           *store,
                                                gint64             id,
                                                GError           **error);
gboolean         ob_contacts_edit_save         (ObStore           *store,
                                                ObContactDetail   *detail,
                                                GError           **error);
GPtrArray       *ob_contacts_edit_list_events  (ObStore           *store,
                                                gint64             id,
                                                GError           **error);
char            *ob_contacts_edit_get_evidence (ObStore           *store,
                                                gint64             evidence_id,
                                                gsize              max_bytes,
                                                gsize             *total_bytes,
                                                GError           **error);
gboolean         ob_contacts_edit_delete       (ObStore           *store,
                                                GArray            *ids,
                                                GError           **error);
gboolean         ob_contacts_edit_add_tag      (ObStore           *store,
                                                GArray            *ids,
                                                const char        *tag,
                                                GError           **error);
gboolean         ob_contacts_edit_recheck      (ObStore           *store,
                                                GArray            *ids,
                                                guint             *changed,
                                                GError           **error);
gboolean         ob_contacts_edit_suppress     (ObStore           *store,
                                                GArray            *ids,
                                                ObSuppressionReason reason,
                                                const char        *note,
                                                GPtrArray        **added,
                                                GError           **error);
gboolean         ob_contacts_edit_undo_suppress (ObStore          *store,
                                                 GPtrArray        *added,
                                                 guint            *lifted,
                                                 GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObContactDetail, ob_contact_detail_free)

G_END_DECLS
