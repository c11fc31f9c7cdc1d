/* ob-window.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-accounts-page.h"
#include "ob-campaigns-page.h"
#include "ob-contacts-page.h"
#include "ob-domain-health-page.h"
#include "ob-reports-page.h"
#include "ob-templates-page.h"
#include "ob-ui.h"
#include "ob-window.h"

struct _ObWindow
{
  AdwApplicationWindow  parent_instance;

  ObStore              *store;
  GSettings            *settings;

  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkListBox           *sidebar_list;
  GtkStack             *stack;
  AdwWindowTitle       *content_title;
  AdwToastOverlay      *toast_overlay;
  GPtrArray            *plain_toasts;  /* normal-priority AdwToast, oldest first, until dismissed */
};

G_DEFINE_FINAL_TYPE (ObWindow, ob_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The pages, by stack name. Each stack page holds an empty AdwBin until it
 * is first shown: building all six at start-up made a window over a big
 * database slow to appear. */
static const struct
{
  const char *name;
  GType     (*get_type) (void);
} page_types[] = {
  { "contacts", ob_contacts_page_get_type },
  { "templates", ob_templates_page_get_type },
  { "campaigns", ob_campaigns_page_get_type },
  { "domain-health", ob_domain_health_page_get_type },
  { "accounts", ob_accounts_page_get_type },
  { "reports", ob_reports_page_get_type },
};

/* Builds the page called @name, if it is not built yet. */
static void
ensure_page (ObWindow   *self,
             const char *name)
{
  GtkWidget *holder = name ? gtk_stack_get_child_by_name (self->stack, name) : NULL;

  if (holder == NULL || !ADW_IS_BIN (holder) || adw_bin_get_child (ADW_BIN (holder)) != NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (page_types); i++)
    {
      if (g_strcmp0 (page_types[i].name, name) == 0)
        {
          adw_bin_set_child (ADW_BIN (holder), g_object_new (page_types[i].get_type (), NULL));
          return;
        }
    }
}

static void
select_sidebar_row (ObWindow   *self,
                    const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
          return;
        }
    }
}

static void
on_sidebar_list_row_activated_cb (ObWindow      *self,
                                  GtkListBoxRow *row,
                                  GtkListBox    *list)
{
  ensure_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
  gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_stack_visible_child_name_cb (ObWindow   *self,
                                GParamSpec *pspec,
                                GtkStack   *stack)
{
  const char *name = gtk_stack_get_visible_child_name (stack);
  GtkStackPage *page = gtk_stack_get_page (stack, gtk_stack_get_visible_child (stack));

  if (name == NULL)
    return;

  ensure_page (self, name);
  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));
  select_sidebar_row (self, name);
  g_settings_set_string (self->settings, "last-page", name);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ObWindow *self = OB_WINDOW (widget);

  ob_window_show_page (self, g_variant_get_string (param, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObWindow *self = OB_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
ob_window_constructed (GObject *object)
{
  ObWindow *self = (ObWindow *)object;
  g_autofree char *last_page = NULL;

  G_OBJECT_CLASS (ob_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  last_page = g_settings_get_string (self->settings, "last-page");
  if (gtk_stack_get_child_by_name (self->stack, last_page) == NULL)
    {
      g_free (last_page);
      last_page = g_strdup ("contacts");
    }
  ob_window_show_page (self, last_page);
  on_stack_visible_child_name_cb (self, NULL, self->stack);
  /* Start on the sidebar when the window opens narrow. */
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
ob_window_dispose (GObject *object)
{
  ObWindow *self = (ObWindow *)object;

  if (self->plain_toasts != NULL)
    {
      for (guint i = 0; i < self->plain_toasts->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->plain_toasts, i), self);
      g_clear_pointer (&self->plain_toasts, g_ptr_array_unref);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), OB_TYPE_WINDOW);

  G_OBJECT_CLASS (ob_window_parent_class)->dispose (object);
}

static void
ob_window_finalize (GObject *object)
{
  ObWindow *self = (ObWindow *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ob_window_parent_class)->finalize (object);
}

static void
ob_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ObWindow *self = OB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ObWindow *self = OB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_window_class_init (ObWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  ob_ui_init ();

  object_class->constructed = ob_window_constructed;
  object_class->dispose = ob_window_dispose;
  object_class->finalize = ob_window_finalize;
  object_class->get_property = ob_window_get_property;
  object_class->set_property = ob_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         OB_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ObWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, ObWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_name_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);

  /* Alt+1…6 jump to a page, as in other GNOME apps with a sidebar. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "contacts");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "templates");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "campaigns");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "domain-health");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.show-page", "s", "accounts");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_6, GDK_ALT_MASK, "win.show-page", "s", "reports");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
ob_window_init (ObWindow *self)
{
  self->settings = g_settings_new (APP_ID);
  self->plain_toasts = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

ObWindow *
ob_window_new (AdwApplication *application,
               ObStore        *store)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (!store || OB_IS_STORE (store), NULL);

  return g_object_new (OB_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

ObStore *
ob_window_get_store (ObWindow *self)
{
  g_return_val_if_fail (OB_IS_WINDOW (self), NULL);

  return self->store;
}

void
ob_window_show_page (ObWindow   *self,
                     const char *name)
{
  g_return_if_fail (OB_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No page named “%s”", name);
      return;
    }

  ensure_page (self, name);
  gtk_stack_set_visible_child_name (self->stack, name);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

const char *
ob_window_get_page (ObWindow *self)
{
  g_return_val_if_fail (OB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
on_plain_toast_dismissed_cb (AdwToast *toast,
                             ObWindow *self)
{
  g_ptr_array_remove (self->plain_toasts, toast);
}

/* Takes @toast. A high-priority toast (an Undo) is shown at once; were it
 * to push a plain toast back, that toast would come back when the Undo
 * one goes, and libadwaita 1.2 aborts if it is still fading out then
 * (adw-toast-overlay.c). So the plain toasts of every page go first,
 * newest first: the queued ones, then the one on screen, so that none is
 * brought up only to be dismissed. */
void
ob_window_add_toast (ObWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (OB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  if (adw_toast_get_priority (toast) == ADW_TOAST_PRIORITY_HIGH)
    {
      while (self->plain_toasts->len > 0)
        {
          g_autoptr(AdwToast) plain = g_ptr_array_steal_index (self->plain_toasts,
                                                                self->plain_toasts->len - 1);

          g_signal_handlers_disconnect_by_data (plain, self);
          adw_toast_dismiss (plain);
        }
    }
  else
    {
      g_ptr_array_add (self->plain_toasts, g_object_ref (toast));
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_plain_toast_dismissed_cb), self, 0);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
