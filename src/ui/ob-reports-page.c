/* ob-reports-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-reports-page"

#include "config.h"

#include "ob-reports-page.h"

/* The Reports page. Until there is something to show it is an empty
 * state that says what the page is for and offers the first action. */
struct _ObReportsPage
{
  AdwBin          parent_instance;

  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (ObReportsPage, ob_reports_page, ADW_TYPE_BIN)

static void
ob_reports_page_class_init (ObReportsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, empty_page);
}

static void
ob_reports_page_init (ObReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ob_reports_page_new (void)
{
  return g_object_new (OB_TYPE_REPORTS_PAGE, NULL);
}
