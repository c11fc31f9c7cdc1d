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

/* The kinds of ObContactEvent that the history composes from other tables
 * than events (ob_contacts_edit_list_events()). */
#define OB_CONTACT_EVENT_ADDED              "added"
#define OB_CONTACT_EVENT_SUPPRESSION_ADDED  "suppression_added"
#define OB_CONTACT_EVENT_SUPPRESSION_LIFTED "suppression_lifted"
/* The kind of the events row an edit in the detail pane writes. */
#define OB_CONTACT_EVENT_EDITED             "edited"

/* One entry of a contact's history: a row of the events table about it,
 * or one of the kinds above. */
typedef struct
{
  gint64  at;
  char   *kind;
  char   *reply;
  char   *detail;       /* events.detail; the note of a suppression entry; the source of "added" */
  gint64  evidence_id;  /* the mail kept as evidence (a bounce, a reply); 0 for none */
  char   *reason;       /* a suppression's reason (ob_suppression_reason_to_string()), else NULL */
  char   *domain;       /* a suppression of the contact's whole domain: that domain (Unicode), else NULL */
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
