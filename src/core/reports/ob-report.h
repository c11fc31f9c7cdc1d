/* ob-report.h — figures for a campaign and for the contact lists, read
 * from the queue, events and contacts tables.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ob-reports.h"
#include "ob-store.h"

G_BEGIN_DECLS

/* One line of a breakdown: a recipient domain, a list source or a reason. */
typedef struct
{
  char   *key;
  gint64  contacts;     /* lists: contacts in the group */
  gint64  sent;         /* messages accepted by the server */
  gint64  attempts;     /* sent + rejected at RCPT/DATA */
  gint64  hard_bounces;
  gint64  soft_bounces;
  gint64  replies;
  gint64  valid;        /* lists: verdict counts */
  gint64  risky;
  gint64  invalid;
  gint64  suppressed;
  gint64  oldest_at;    /* lists: when the oldest contact was added */
  double  bounce_rate;  /* hard bounces / attempts */
} ObReportRow;

typedef struct
{
  gint64      campaign_id;
  char       *name;
  char       *state;
  gint64      sent;
  gint64      attempts;
  gint64      delivered;    /* sent, less the mails that bounced later */
  gint64      hard_bounces;
  gint64      soft_bounces;
  gint64      blocked;      /* refusals aimed at the sender, not the address */
  gint64      replies;
  gint64      unsubscribed;
  double      bounce_rate;
  GPtrArray  *by_reason;    /* ObReportRow: key = reason, hard_bounces/soft_bounces */
  GPtrArray  *by_domain;    /* ObReportRow: key = recipient domain */
  GPtrArray  *by_source;    /* ObReportRow: key = list source */
} ObCampaignReport;

typedef struct
{
  gint64      contacts;
  gint64      valid;
  gint64      risky;
  gint64      invalid;
  gint64      unknown;
  gint64      suppressed;
  gint64      oldest_at;
  double      median_age_days;
  GPtrArray  *by_source;    /* ObReportRow */
} ObListsReport;

ObCampaignReport *ob_campaign_report_new     (ObStore           *store,
                                              gint64             campaign_id,
                                              GError           **error);
JsonNode         *ob_campaign_report_to_json (ObCampaignReport  *report);
void              ob_campaign_report_free    (ObCampaignReport  *report);

ObListsReport    *ob_lists_report_new        (ObStore           *store,
                                              gint64             now,
                                              GError           **error);
JsonNode         *ob_lists_report_to_json    (ObListsReport     *report);
void              ob_lists_report_free       (ObListsReport     *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObCampaignReport, ob_campaign_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObListsReport, ob_lists_report_free)

G_END_DECLS
