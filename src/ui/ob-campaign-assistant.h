/* ob-campaign-assistant.h — the point-and-click setup of a campaign
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_CAMPAIGN_ASSISTANT (ob_campaign_assistant_get_type ())

G_DECLARE_FINAL_TYPE (ObCampaignAssistant, ob_campaign_assistant, OB, CAMPAIGN_ASSISTANT, AdwWindow)

ObCampaignAssistant *ob_campaign_assistant_new      (GtkWindow           *parent,
                                                     ObStore             *store);
const char          *ob_campaign_assistant_get_step (ObCampaignAssistant *self);

G_END_DECLS
