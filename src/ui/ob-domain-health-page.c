/* ob-domain-health-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-health-page"

#include "config.h"

#include "ob-domain-health-page.h"

/* The Domain Health page. Until there is something to show it is an empty
 * state that says what the page is for and offers the first action. */
struct _ObDomainHealthPage
{
  AdwBin          parent_instance;

  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (ObDomainHealthPage, ob_domain_health_page, ADW_TYPE_BIN)

static void
ob_domain_health_page_class_init (ObDomainHealthPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-domain-health-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, empty_page);
}

static void
ob_domain_health_page_init (ObDomainHealthPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ob_domain_health_page_new (void)
{
  return g_object_new (OB_TYPE_DOMAIN_HEALTH_PAGE, NULL);
}
