/* ob-templates-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-templates-page"

#include "config.h"

#include "ob-templates-page.h"

/* The Templates page. Until there is something to show it is an empty
 * state that says what the page is for and offers the first action. */
struct _ObTemplatesPage
{
  AdwBin          parent_instance;

  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (ObTemplatesPage, ob_templates_page, ADW_TYPE_BIN)

static void
ob_templates_page_class_init (ObTemplatesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObTemplatesPage, empty_page);
}

static void
ob_templates_page_init (ObTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ob_templates_page_new (void)
{
  return g_object_new (OB_TYPE_TEMPLATES_PAGE, NULL);
}
