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
  /* Toasts, one at a time (see ob_window_add_toast()). */
  AdwToast             *toast_on_screen;
  gint64                toast_shown_at; /* monotonic µs */
  gboolean              toast_going;    /* to be dismissed once fully shown */
  GQueue                toasts_waiting; /* AdwToast, high priority first */
  gint64                toasts_free_at; /* monotonic µs: the last one has gone */
  guint                 toast_source;
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

  g_clear_handle_id (&self->toast_source, g_source_remove);
  g_queue_clear_full (&self->toasts_waiting, g_object_unref);
  if (self->toast_on_screen != NULL)
    g_signal_handlers_disconnect_by_data (self->toast_on_screen, self);
  g_clear_object (&self->toast_on_screen);
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

/* Toasts go to the overlay one at a time: each once the one before has
 * finished fading out, and none dismissed by the window before it has
 * finished appearing. libadwaita before 1.3 frees a toast's state when its
 * hide animation ends while its show animation may still run and call
 * back into it (libadwaita commit 1674ebc9, "Prevent show_done from firing
 * after hide_done"): the show lasts 500 ms when a toast replaces another
 * still fading out, and a toast dismissed in the frame it was added ends
 * both in one frame, the hide first. Pressing Delete twice made the window
 * crash. A toast pushed back by a high-priority one and brought back while
 * still fading out made it abort, too. Here a high-priority toast (an
 * Undo) goes ahead of the plain ones waiting, which go, and dismisses the
 * plain one on screen rather than pushing it back. */
#if ADW_CHECK_VERSION (1, 3, 0)
# define TOAST_SHOW_MS 0
# define TOAST_HIDE_MS 0
#else
# define TOAST_SHOW_MS 350 /* the overlay's SHOW_DURATION, and a little */
# define TOAST_HIDE_MS 350 /* its HIDE_DURATION, and a little */
#endif

static void run_toasts (ObWindow *self);

static gboolean
run_toasts_cb (gpointer user_data)
{
  ObWindow *self = user_data;

  self->toast_source = 0;
  run_toasts (self);
  return G_SOURCE_REMOVE;
}

static void
on_toast_dismissed_cb (AdwToast *toast,
                       ObWindow *self)
{
  if (toast != self->toast_on_screen)
    return;
  g_signal_handlers_disconnect_by_data (toast, self);
  g_clear_object (&self->toast_on_screen);
  self->toast_going = FALSE;
  self->toasts_free_at = g_get_monotonic_time () + TOAST_HIDE_MS * 1000;
  run_toasts (self);
}

static void
run_toasts (ObWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wake = 0;

  g_clear_handle_id (&self->toast_source, g_source_remove);
  if (self->toast_on_screen != NULL && self->toast_going)
    {
      if (now >= self->toast_shown_at + TOAST_SHOW_MS * 1000)
        {
          /* on_toast_dismissed_cb() goes on from here. */
          adw_toast_dismiss (self->toast_on_screen);
          return;
        }
      wake = self->toast_shown_at + TOAST_SHOW_MS * 1000;
    }
  else if (self->toast_on_screen == NULL && !g_queue_is_empty (&self->toasts_waiting))
    {
      if (now >= self->toasts_free_at)
        {
          AdwToast *toast = g_queue_pop_head (&self->toasts_waiting);

          self->toast_on_screen = g_object_ref (toast);
          self->toast_shown_at = now;
          g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, 0);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
          return;
        }
      wake = self->toasts_free_at;
    }
  if (wake > 0)
    self->toast_source = g_timeout_add ((wake - now) / 1000 + 1, run_toasts_cb, self);
}

/* A toast given to the window but not yet shown goes as if dismissed. */
static void
drop_waiting_toast (AdwToast *toast)
{
  g_signal_emit_by_name (toast, "dismissed");
  g_object_unref (toast);
}

/* Takes @toast, and shows it once the toasts before it have gone. */
void
ob_window_add_toast (ObWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (OB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  if (adw_toast_get_priority (toast) == ADW_TOAST_PRIORITY_HIGH)
    {
      GList *l = self->toasts_waiting.tail;

      /* Newest first, so that none comes up only to go. */
      while (l != NULL)
        {
          GList *prev = l->prev;
          AdwToast *waiting = l->data;

          if (adw_toast_get_priority (waiting) != ADW_TOAST_PRIORITY_HIGH)
            {
              g_queue_delete_link (&self->toasts_waiting, l);
              drop_waiting_toast (waiting);
            }
          l = prev;
        }
      g_queue_push_tail (&self->toasts_waiting, toast);
      if (self->toast_on_screen != NULL &&
          adw_toast_get_priority (self->toast_on_screen) != ADW_TOAST_PRIORITY_HIGH)
        self->toast_going = TRUE;
    }
  else
    g_queue_push_tail (&self->toasts_waiting, toast);
  run_toasts (self);
}

/* Dismisses @toast, given to ob_window_add_toast(): on screen, it goes; still
 * waiting, it leaves the queue with its "dismissed" signal as if shown. */
void
ob_window_dismiss_toast (ObWindow *self,
                         AdwToast *toast)
{
  GList *l;

  g_return_if_fail (OB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  if ((l = g_queue_find (&self->toasts_waiting, toast)) != NULL)
    {
      g_queue_delete_link (&self->toasts_waiting, l);
      drop_waiting_toast (toast);
    }
  else if (toast == self->toast_on_screen)
    {
      self->toast_going = TRUE;
      run_toasts (self);
    }
  else
    adw_toast_dismiss (toast);
}
