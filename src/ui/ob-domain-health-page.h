/* ob-domain-health-page.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_DOMAIN_HEALTH_PAGE (ob_domain_health_page_get_type ())

G_DECLARE_FINAL_TYPE (ObDomainHealthPage, ob_domain_health_page, OB, DOMAIN_HEALTH_PAGE, AdwBin)

GtkWidget *ob_domain_health_page_new (void);

G_END_DECLS
