/* ob-opening-window.c — what shows while the database opens slowly (an
 * older one brought up to date, see ObApplication's open_store()).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-opening-window.h"

struct _ObOpeningWindow
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (ObOpeningWindow, ob_opening_window, ADW_TYPE_WINDOW)

static void
ob_opening_window_class_init (ObOpeningWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-opening-window.ui");
}

static void
ob_opening_window_init (ObOpeningWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ObOpeningWindow *
ob_opening_window_new (GtkApplication *application)
{
  return g_object_new (OB_TYPE_OPENING_WINDOW, "application", application, NULL);
}
