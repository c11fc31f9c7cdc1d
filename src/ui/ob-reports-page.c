/* ob-reports-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-reports-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-bounce-reason.h"
#include "ob-campaign.h"
#include "ob-report.h"
#include "ob-reports-page.h"
#include "ob-window.h"

/* The Reports page: a campaign's delivery figures and breakdowns, and the
 * health of the contact lists. Read from the database each time the page
 * is shown (or refreshed), never kept in memory. */
struct _ObReportsPage
{
  AdwBin                parent_instance;

  ObStore              *store;
  GArray               *campaign_ids; /* gint64, parallel to the drop-down */
  gboolean              filling;

  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  GtkDropDown          *campaign_dropdown;
  AdwPreferencesGroup  *campaign_group;
  AdwPreferencesGroup  *reason_group;
  AdwPreferencesGroup  *domain_group;
  AdwPreferencesGroup  *lists_group;
  AdwPreferencesGroup  *source_group;
  GtkListBox           *campaign_list;
  GtkListBox           *reason_list;
  GtkListBox           *domain_list;
  GtkListBox           *lists_list;
  GtkListBox           *source_list;
};

G_DEFINE_FINAL_TYPE (ObReportsPage, ob_reports_page, ADW_TYPE_BIN)

static GtkListBox *
add_list (AdwPreferencesGroup *group)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_group_add (group, list);
  return GTK_LIST_BOX (list);
}

static void
clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle,
         const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *t = g_markup_escape_text (title, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
  if (subtitle != NULL)
    {
      g_autofree char *s = g_markup_escape_text (subtitle, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), s);
    }
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);

      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  gtk_list_box_append (list, row);
}

static void
add_share_row (GtkListBox *list,
               const char *title,
               gint64      part,
               gint64      whole)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
  double share = whole > 0 ? (double) part / whole : 0;
  g_autofree char *value = g_strdup_printf ("%'lld (%.0f %%)", (long long) part, share * 100);
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), share);
  gtk_widget_set_size_request (bar, 120, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (list, row);
}

static char *
rate_text (double rate)
{
  return g_strdup_printf ("%.1f %%", rate * 100);
}

static void
show_campaign (ObReportsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->campaign_dropdown);
  g_autoptr(ObCampaignReport) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL, *delivered = NULL, *bounces = NULL, *rate = NULL;
  g_autofree char *replies = NULL, *unsub = NULL, *blocked = NULL;

  clear (self->campaign_list);
  clear (self->reason_list);
  clear (self->domain_list);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->domain_group), FALSE);

  if (self->store == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= self->campaign_ids->len)
    {
      add_row (self->campaign_list, _("No campaign has been created yet"), NULL, NULL);
      return;
    }

  r = ob_campaign_report_new (self->store, g_array_index (self->campaign_ids, gint64, selected), &error);
  if (r == NULL)
    {
      add_row (self->campaign_list, _("The report could not be read"), error->message, NULL);
      return;
    }

  sent = g_strdup_printf ("%'lld", (long long) r->sent);
  delivered = g_strdup_printf ("%'lld", (long long) r->delivered);
  bounces = g_strdup_printf (_("%lld hard, %lld soft"), (long long) r->hard_bounces, (long long) r->soft_bounces);
  rate = rate_text (r->bounce_rate);
  replies = g_strdup_printf ("%'lld", (long long) r->replies);
  unsub = g_strdup_printf ("%'lld", (long long) r->unsubscribed);
  blocked = g_strdup_printf ("%'lld", (long long) r->blocked);

  add_row (self->campaign_list, _("Sent"), NULL, sent);
  add_row (self->campaign_list, _("Delivered"), _("Sent, less the mails that bounced later"), delivered);
  add_row (self->campaign_list, _("Bounces"), NULL, bounces);
  add_row (self->campaign_list, _("Bounce rate"),
           r->bounce_rate >= 0.05 ? _("Above 5 %: providers start blocking; the campaign pauses itself")
           : r->bounce_rate >= 0.02 ? _("Above 2 %: clean the list before sending more")
           : _("Under 2 %: healthy"),
           rate);
  add_row (self->campaign_list, _("Refused as the sender"), _("Blocks aimed at your mailbox or domain, not the address"),
           blocked);
  add_row (self->campaign_list, _("Replies"), NULL, replies);
  add_row (self->campaign_list, _("Unsubscribed"), NULL, unsub);

  for (guint i = 0; i < r->by_reason->len; i++)
    {
      ObReportRow *row = r->by_reason->pdata[i];
      g_autofree char *v = g_strdup_printf (_("%lld hard, %lld soft"), (long long) row->hard_bounces,
                                            (long long) row->soft_bounces);
      ObBounceReason reason;

      /* The reason in words; its id (as the CLI prints it) below. */
      if (ob_bounce_reason_from_string (row->key, &reason))
        add_row (self->reason_list, ob_bounce_reason_describe (reason), row->key, v);
      else
        add_row (self->reason_list, row->key, NULL, v);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reason_group), r->by_reason->len > 0);

  for (guint i = 0; i < r->by_domain->len && i < 50; i++)
    {
      ObReportRow *row = r->by_domain->pdata[i];
      /* Label and number, so that "1 hard bounces" never shows. */
      g_autofree char *sub = g_strdup_printf (_("Sent %lld · Hard bounces %lld · Replies %lld"),
                                              (long long) row->sent, (long long) row->hard_bounces,
                                              (long long) row->replies);
      g_autofree char *v = rate_text (row->bounce_rate);
      add_row (self->domain_list, row->key, sub, v);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->domain_group), r->by_domain->len > 0);
}

static void
show_lists (ObReportsPage *self)
{
  g_autoptr(ObListsReport) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *age = NULL;

  clear (self->lists_list);
  clear (self->source_list);
  if (self->store == NULL)
    return;

  r = ob_lists_report_new (self->store, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (r == NULL)
    {
      add_row (self->lists_list, _("The list report could not be read"), error->message, NULL);
      return;
    }

  add_share_row (self->lists_list, _("Valid"), r->valid, r->contacts);
  add_share_row (self->lists_list, _("Risky"), r->risky, r->contacts);
  add_share_row (self->lists_list, _("Invalid"), r->invalid, r->contacts);
  add_share_row (self->lists_list, _("Suppressed or unsubscribed"), r->suppressed, r->contacts);
  age = g_strdup_printf (_("%.0f days"), r->median_age_days);
  add_row (self->lists_list, _("Median list age"), _("Lists lose about a quarter of their addresses a year"), age);

  for (guint i = 0; i < r->by_source->len; i++)
    {
      ObReportRow *row = r->by_source->pdata[i];
      g_autofree char *sub = g_strdup_printf (_("%lld contacts: %lld valid, %lld risky, %lld invalid, %lld suppressed"),
                                              (long long) row->contacts, (long long) row->valid,
                                              (long long) row->risky, (long long) row->invalid,
                                              (long long) row->suppressed);
      g_autofree char *v = g_strdup_printf (_("bounce rate %.1f %%"), row->bounce_rate * 100);
      add_row (self->source_list, row->key[0] ? row->key : _("No source"), sub, v);
    }
}

static void
refresh (ObReportsPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObListsReport) lists = NULL;
  gint64 current = 0;
  guint selected = gtk_drop_down_get_selected (self->campaign_dropdown);
  guint select = 0;

  if (self->store == NULL)
    return;

  if (selected != GTK_INVALID_LIST_POSITION && selected < self->campaign_ids->len)
    current = g_array_index (self->campaign_ids, gint64, selected);

  campaigns = ob_campaign_list (self->store, &error);
  if (campaigns == NULL)
    {
      g_warning ("Cannot list campaigns: %s", error->message);
      campaigns = g_ptr_array_new ();
    }

  lists = ob_lists_report_new (self->store, 0, NULL);
  gtk_stack_set_visible_child_name (self->stack,
                                    campaigns->len > 0 || (lists && lists->contacts > 0) ? "reports" : "empty");

  self->filling = TRUE;
  g_array_set_size (self->campaign_ids, 0);
  for (guint i = 0; i < campaigns->len; i++)
    {
      const ObCampaignSummary *c = campaigns->pdata[i];

      gtk_string_list_append (names, c->name);
      g_array_append_val (self->campaign_ids, c->id);
      if (c->id == current)
        select = i;
    }
  gtk_drop_down_set_model (self->campaign_dropdown, G_LIST_MODEL (names));
  if (campaigns->len > 0)
    gtk_drop_down_set_selected (self->campaign_dropdown, select);
  /* Nothing to choose yet: not a live choice of GTK's "(None)". */
  gtk_widget_set_sensitive (GTK_WIDGET (self->campaign_dropdown), campaigns->len > 0);
  self->filling = FALSE;

  show_campaign (self);
  show_lists (self);
}

static void
on_campaign_selected_cb (ObReportsPage *self)
{
  if (!self->filling)
    show_campaign (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  refresh (OB_REPORTS_PAGE (widget));
}

static void
ob_reports_page_map (GtkWidget *widget)
{
  ObReportsPage *self = OB_REPORTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  GTK_WIDGET_CLASS (ob_reports_page_parent_class)->map (widget);

  if (self->store == NULL && OB_IS_WINDOW (root) && ob_window_get_store (OB_WINDOW (root)))
    self->store = g_object_ref (ob_window_get_store (OB_WINDOW (root)));
  /* Figures change while campaigns run: read them again each time the page is shown. */
  refresh (self);
}

static void
ob_reports_page_finalize (GObject *object)
{
  ObReportsPage *self = (ObReportsPage *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->campaign_ids, g_array_unref);

  G_OBJECT_CLASS (ob_reports_page_parent_class)->finalize (object);
}

static void
ob_reports_page_class_init (ObReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ob_reports_page_finalize;
  widget_class->map = ob_reports_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, campaign_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, campaign_group);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, reason_group);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, domain_group);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, lists_group);
  gtk_widget_class_bind_template_child (widget_class, ObReportsPage, source_group);

  gtk_widget_class_install_action (widget_class, "reports.refresh", NULL, refresh_action);
}

static void
ob_reports_page_init (ObReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->campaign_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->campaign_list = add_list (self->campaign_group);
  self->reason_list = add_list (self->reason_group);
  self->domain_list = add_list (self->domain_group);
  self->lists_list = add_list (self->lists_group);
  self->source_list = add_list (self->source_group);
  gtk_widget_set_name (GTK_WIDGET (self->campaign_list), "report_campaign_list");
  gtk_widget_set_name (GTK_WIDGET (self->lists_list), "report_lists_list");
  gtk_widget_set_name (GTK_WIDGET (self->source_list), "report_source_list");
  gtk_widget_set_name (GTK_WIDGET (self->reason_list), "report_reason_list");

  g_signal_connect_swapped (self->campaign_dropdown, "notify::selected",
                            G_CALLBACK (on_campaign_selected_cb), self);
}

GtkWidget *
ob_reports_page_new (void)
{
  return g_object_new (OB_TYPE_REPORTS_PAGE, NULL);
}
