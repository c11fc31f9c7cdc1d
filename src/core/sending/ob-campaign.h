/* ob-campaign.h — campaigns: settings, state machine, status and log
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-pacing.h"
#include "ob-schedule.h"
#include "ob-store.h"

G_BEGIN_DECLS

/* draft → scheduled/running → paused → running → done/stopped */
typedef enum
{
  OB_CAMPAIGN_DRAFT,
  OB_CAMPAIGN_SCHEDULED,
  OB_CAMPAIGN_RUNNING,
  OB_CAMPAIGN_PAUSED,
  OB_CAMPAIGN_DONE,
  OB_CAMPAIGN_STOPPED,
} ObCampaignState;

const char *ob_campaign_state_to_string   (ObCampaignState  state);
gboolean    ob_campaign_state_from_string (const char      *text,
                                           ObCampaignState *state);

typedef struct
{
  gint64 template_id;
  int    delay_days; /* after the previous step was sent; 0 for the first */
} ObCampaignStep;

typedef struct
{
  char        *name;
  GArray      *account_ids;  /* gint64, in rotation order */
  GArray      *steps;        /* ObCampaignStep, the first mail first */
  char        *segment_json; /* the audience; NULL = every active contact */
  gint64       start_at;     /* 0 = as soon as it is started */
  ObSendWindow window;
  ObPacing     pacing;
} ObCampaignSettings;

ObCampaignSettings *ob_campaign_settings_new      (void);
void                ob_campaign_settings_free     (ObCampaignSettings *settings);
void                ob_campaign_settings_add_account (ObCampaignSettings *settings,
                                                      gint64              account_id);
void                ob_campaign_settings_add_step (ObCampaignSettings *settings,
                                                   gint64              template_id,
                                                   int                 delay_days);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObCampaignSettings, ob_campaign_settings_free)

/* The audience seam: the contact ids a campaign goes to. The default
 * understands a NULL segment (every active contact) and
 * {"contact_ids": [1, 2, …]}; the contacts area brings real segments. */
typedef GArray *(*ObAudienceFunc) (ObStore     *store,
                                   const char  *segment_json,
                                   gpointer     user_data,
                                   GError     **error);

GArray   *ob_campaign_default_audience (ObStore     *store,
                                        const char  *segment_json,
                                        gpointer     user_data,
                                        GError     **error);

gint64    ob_campaign_create  (ObStore                  *store,
                               const ObCampaignSettings *settings,
                               gint64                    now,
                               GError                  **error);
gboolean  ob_campaign_start   (ObStore                  *store,
                               gint64                    campaign_id,
                               gint64                    now,
                               ObAudienceFunc            audience,
                               gpointer                  audience_data,
                               GError                  **error);
/* The same in a worker thread with its own connection: queueing a large
 * audience takes seconds. Uses the default audience. */
void      ob_campaign_start_async  (ObStore              *store,
                                    gint64                campaign_id,
                                    gint64                now,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  ob_campaign_start_finish (ObStore              *store,
                                    GAsyncResult         *result,
                                    GError              **error);
gboolean  ob_campaign_pause   (ObStore                  *store,
                               gint64                    campaign_id,
                               const char               *reason,
                               gint64                    now,
                               GError                  **error);
gboolean  ob_campaign_resume  (ObStore                  *store,
                               gint64                    campaign_id,
                               gint64                    now,
                               GError                  **error);
gboolean  ob_campaign_stop    (ObStore                  *store,
                               gint64                    campaign_id,
                               gint64                    now,
                               GError                  **error);
gboolean  ob_campaign_get_state (ObStore                *store,
                                 gint64                  campaign_id,
                                 ObCampaignState        *state,
                                 GError                **error);

typedef enum
{
  OB_UNCERTAIN_RESEND,    /* the user says it did not go: send it again */
  OB_UNCERTAIN_MARK_SENT, /* the user says it went (found it in Sent) */
} ObUncertainResolution;

gboolean  ob_campaign_resolve_uncertain (ObStore               *store,
                                         gint64                 queue_id,
                                         ObUncertainResolution  resolution,
                                         gint64                 now,
                                         GError               **error);

typedef struct
{
  ObCampaignState state;
  char           *paused_reason;
  int             queued;
  int             sent;
  int             hard_bounces;
  int             soft_bounces;
  int             replies;
  int             suppressed;
  int             uncertain;
  double          bounce_rate; /* hard bounces / (sent + hard bounces), 0…1 */
} ObCampaignStatus;

ObCampaignStatus *ob_campaign_get_status  (ObStore          *store,
                                           gint64            campaign_id,
                                           GError          **error);
void              ob_campaign_status_free (ObCampaignStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObCampaignStatus, ob_campaign_status_free)

typedef struct
{
  gint64  at;
  char   *contact;    /* e-mail address, or NULL */
  int     step;       /* 0 when the event is about the campaign */
  char   *event;
  char   *reply;
  char   *detail;
  char   *local_time; /* ISO 8601 in the contact's zone, or NULL */
  gint64  queue_id;   /* the message it is about (for campaign resolve), or 0 */
} ObCampaignLogEntry;

GPtrArray *ob_campaign_get_log (ObStore  *store,
                                gint64    campaign_id,
                                GError  **error);

typedef struct
{
  gint64  queue_id;
  char   *contact;    /* e-mail address */
  int     step;
  gint64  at;         /* the earliest moment its window allows */
  char   *local_time; /* the same, ISO 8601 in the contact's zone */
} ObCampaignUpcoming;

GPtrArray *ob_campaign_get_upcoming (ObStore  *store,
                                     gint64    campaign_id,
                                     gint64    now,
                                     guint     limit,
                                     GError  **error);

typedef struct
{
  gint64          id;
  char           *name;
  ObCampaignState state;
  int             total;
  int             sent;
} ObCampaignSummary;

GPtrArray *ob_campaign_list (ObStore  *store,
                             GError  **error);

G_END_DECLS
