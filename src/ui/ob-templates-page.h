/* ob-templates-page.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_TEMPLATES_PAGE (ob_templates_page_get_type ())

G_DECLARE_FINAL_TYPE (ObTemplatesPage, ob_templates_page, OB, TEMPLATES_PAGE, AdwBin)

GtkWidget *ob_templates_page_new (void);

G_END_DECLS
