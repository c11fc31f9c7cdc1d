/* ob-sending-private.h — helpers shared inside core/sending
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-store.h"

G_BEGIN_DECLS

/* Events that are a delivery attempt which reached the recipient's server
 * carry this prefix in events.data; pacing counts them. */
#define OB_ATTEMPT_DATA_PREFIX "{\"attempt\":true"

gboolean _ob_sending_add_event (ObStore     *store,
                                gint64       at,
                                const char  *kind,
                                gint64       contact_id,
                                gint64       campaign_id,
                                int          step,
                                gint64       queue_id,
                                gint64       account_id,
                                const char  *reply,
                                const char  *detail,
                                const char  *data,
                                GError     **error);
gboolean _ob_sending_skip_later_steps (ObStore  *store,
                                       gint64    campaign_id,
                                       gint64    contact_id,
                                       int       after_step,
                                       gint64    now,
                                       GError  **error);
gboolean _ob_sending_schedule_next_step (ObStore  *store,
                                         gint64    campaign_id,
                                         gint64    contact_id,
                                         int       sent_step,
                                         gint64    sent_at,
                                         GError  **error);
gboolean _ob_sending_update_done (ObStore  *store,
                                  gint64    campaign_id,
                                  gint64    now,
                                  gboolean *became_done,
                                  GError  **error);

G_END_DECLS
