/* ob-contact-filter-popover.c — the Contacts page's filters: countries,
 * tags, sources, status, verdict, last contact, bounces and age, in a
 * popover under the page's Filters button. It says "changed" when a row
 * is applied or picked; the page lays the filters over the saved segment
 * it shows (ob_contact_filter_popover_apply_to()), and its Clear button
 * activates the page's contacts.clear-filters, which also clears the
 * search and the segment picked.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include "ob-contact-filter-popover.h"
#include "ob-country.h"
#include "ob-contacts-page-private.h"

struct _ObContactFilterPopover
{
  GtkPopover   parent_instance;

  AdwEntryRow *country_filter;
  AdwEntryRow *tag_filter;
  AdwEntryRow *source_filter;
  AdwComboRow *status_filter;
  AdwComboRow *verdict_filter;
  AdwComboRow *contacted_filter;
  AdwComboRow *bounces_filter;
  AdwComboRow *added_filter;
};

G_DEFINE_FINAL_TYPE (ObContactFilterPopover, ob_contact_filter_popover, GTK_TYPE_POPOVER)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Values of the filter combo rows, in their order. */
static const char * const status_values[] = { NULL, "active", "suppressed", "unsubscribed", "invalid" };
static const char * const verdict_values[] = { NULL, "valid", "risky", "invalid", "unknown" };

static const char *
combo_value (AdwComboRow        *row,
             const char * const *values,
             guint               n_values)
{
  guint i = adw_combo_row_get_selected (row);

  return i < n_values ? values[i] : NULL;
}

static GStrv
single (const char *value)
{
  char *v[] = { (char *) value, NULL };

  return value ? g_strdupv (v) : NULL;
}

static void
on_filter_changed_cb (ObContactFilterPopover *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
ob_contact_filter_popover_class_init (ObContactFilterPopoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* A filter row was applied or picked. */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-contact-filter-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, country_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, source_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, status_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, verdict_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, contacted_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, bounces_filter);
  gtk_widget_class_bind_template_child (widget_class, ObContactFilterPopover, added_filter);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
}

static void
ob_contact_filter_popover_init (ObContactFilterPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ob_contact_filter_popover_new (void)
{
  return g_object_new (OB_TYPE_CONTACT_FILTER_POPOVER, NULL);
}

/**
 * ob_contact_filter_popover_apply_to:
 *
 * Lays the filters chosen over @seg: each row set replaces that member of
 * the segment, a row left empty or at "Any" keeps it.
 */
void
ob_contact_filter_popover_apply_to (ObContactFilterPopover *self,
                                    ObSegment              *seg)
{
  GStrv v;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_if_fail (OB_IS_CONTACT_FILTER_POPOVER (self));
  g_return_if_fail (seg != NULL);

  if ((v = _ob_contacts_page_split_list (gtk_editable_get_text (GTK_EDITABLE (self->country_filter)))) != NULL)
    {
      /* As the list and the detail pane take them: "DE", "Germany" or
       * "德国" (a salesperson does not know every ISO code). */
      for (guint i = 0; v[i] != NULL; i++)
        {
          const char *code = ob_country_from_text (v[i]);
          char *upper = code ? g_strdup (code) : g_ascii_strup (v[i], -1);

          g_free (v[i]);
          v[i] = upper;
        }
      g_strfreev (seg->countries);
      seg->countries = v;
    }
  if ((v = _ob_contacts_page_split_list (gtk_editable_get_text (GTK_EDITABLE (self->tag_filter)))) != NULL)
    {
      g_strfreev (seg->tags);
      seg->tags = v;
    }
  if ((v = _ob_contacts_page_split_list (gtk_editable_get_text (GTK_EDITABLE (self->source_filter)))) != NULL)
    {
      g_strfreev (seg->sources);
      seg->sources = v;
    }
  if ((v = single (combo_value (self->status_filter, status_values, G_N_ELEMENTS (status_values)))) != NULL)
    {
      g_strfreev (seg->statuses);
      seg->statuses = v;
    }
  if ((v = single (combo_value (self->verdict_filter, verdict_values, G_N_ELEMENTS (verdict_values)))) != NULL)
    {
      g_strfreev (seg->verdicts);
      seg->verdicts = v;
    }
  /* Relative to the moment the list is read, so a saved segment stays current. */
  switch (adw_combo_row_get_selected (self->contacted_filter))
    {
    case 1: seg->never_contacted = TRUE; break;
    case 2: seg->contacted_within_days = 30; break;
    case 3: seg->not_contacted_for_days = 90; break;
    default: break;
    }
  switch (adw_combo_row_get_selected (self->bounces_filter))
    {
    case 1: seg->no_bounces = TRUE; seg->min_bounces = 0; break;
    case 2: seg->min_bounces = 1; seg->no_bounces = FALSE; break;
    default: break;
    }
  switch (adw_combo_row_get_selected (self->added_filter))
    {
    case 1: seg->added_after = now - 7 * 86400; break;
    case 2: seg->added_after = now - 30 * 86400; break;
    case 3: seg->added_before = now - 90 * 86400; break;
    default: break;
    }
}

/* Every row back to empty or "Any". */
void
ob_contact_filter_popover_clear (ObContactFilterPopover *self)
{
  g_return_if_fail (OB_IS_CONTACT_FILTER_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->country_filter), "");
  gtk_editable_set_text (GTK_EDITABLE (self->tag_filter), "");
  gtk_editable_set_text (GTK_EDITABLE (self->source_filter), "");
  adw_combo_row_set_selected (self->status_filter, 0);
  adw_combo_row_set_selected (self->verdict_filter, 0);
  adw_combo_row_set_selected (self->contacted_filter, 0);
  adw_combo_row_set_selected (self->bounces_filter, 0);
  adw_combo_row_set_selected (self->added_filter, 0);
}
