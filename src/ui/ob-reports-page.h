/* ob-reports-page.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_REPORTS_PAGE (ob_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (ObReportsPage, ob_reports_page, OB, REPORTS_PAGE, AdwBin)

GtkWidget *ob_reports_page_new (void);

G_END_DECLS
