/* ob-campaigns-page.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_CAMPAIGNS_PAGE (ob_campaigns_page_get_type ())

G_DECLARE_FINAL_TYPE (ObCampaignsPage, ob_campaigns_page, OB, CAMPAIGNS_PAGE, AdwBin)

GtkWidget *ob_campaigns_page_new (void);

G_END_DECLS
