/* ob-campaign-assistant-schedule.c — the campaign assistant's schedule and
 * pace: the days and hours mail may go, the start day, the pacing presets
 * and their hand-made changes, and the readers of those widgets that the
 * review and the creation use. Part of ObCampaignAssistant (struct in
 * ob-campaign-assistant-private.h).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-campaign-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-campaign-assistant.h"
#include "ob-campaign-assistant-private.h"
#include "ob-pacing.h"

static const char * const day_short[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
                                          N_("Fri"), N_("Sat"), N_("Sun") };
static const char * const day_long[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
                                         N_("Friday"), N_("Saturday"), N_("Sunday") };

/* ---- schedule and pace ------------------------------------------------ */

static gboolean
on_time_output_cb (GtkSpinButton *spin)
{
  int minutes = (int) gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_time_input_cb (GtkSpinButton *spin,
                  double        *value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  unsigned h = 0, m = 0;

  if (sscanf (text, "%u:%u", &h, &m) < 1 || h > 24 || m > 59)
    return GTK_INPUT_ERROR;
  *value = h * 60 + m;
  return TRUE;
}

void
_ob_campaign_assistant_read_pacing (ObCampaignAssistant *self,
                                    ObPacing            *pacing)
{
  guint n;
  const ObPacingPreset *presets = ob_pacing_get_presets (&n);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->preset_row));

  *pacing = presets[selected < n ? selected : 0].pacing;
  pacing->daily_cap = gtk_spin_button_get_value_as_int (self->daily_cap_spin);
  pacing->interval_min_s = gtk_spin_button_get_value_as_int (self->interval_min_spin);
  pacing->interval_max_s = gtk_spin_button_get_value_as_int (self->interval_max_spin);
  pacing->domain_hourly_cap = gtk_spin_button_get_value_as_int (self->domain_cap_spin);
  pacing->warmup = gtk_switch_get_active (self->warmup_switch);
}

void
_ob_campaign_assistant_read_window (ObCampaignAssistant *self,
                                    ObSendWindow        *window)
{
  window->days = 0;
  for (guint i = 0; i < 7; i++)
    if (gtk_toggle_button_get_active (self->day_toggles[i]))
      window->days |= 1u << i;
  window->start_min = gtk_spin_button_get_value_as_int (self->hour_start_spin);
  window->end_min = gtk_spin_button_get_value_as_int (self->hour_end_spin);
  window->skip_holidays = gtk_switch_get_active (self->holidays_switch);
}

gint64
_ob_campaign_assistant_start_time (ObCampaignAssistant *self)
{
  if (gtk_switch_get_active (self->start_now_switch))
    return 0;
  return g_date_time_to_unix (self->start_date);
}

static void
update_warmup_subtitle (ObCampaignAssistant *self)
{
  ObPacing pacing;
  g_autofree char *text = NULL;

  _ob_campaign_assistant_read_pacing (self, &pacing);
  text = g_strdup_printf (_("Starts at %d mails a day and grows %d %% a day"),
                          pacing.warmup_start, pacing.warmup_growth_pct);
  adw_action_row_set_subtitle (self->warmup_row, text);
}

static void
on_preset_selected_cb (ObCampaignAssistant *self)
{
  guint n;
  const ObPacingPreset *presets = ob_pacing_get_presets (&n);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->preset_row));
  const ObPacingPreset *p;

  if (selected >= n)
    return;
  p = &presets[selected];
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->preset_row), _(p->summary));
  if (!g_str_equal (p->id, "custom"))
    {
      self->applying_preset = TRUE;
      gtk_spin_button_set_value (self->daily_cap_spin, p->pacing.daily_cap);
      gtk_spin_button_set_value (self->interval_min_spin, p->pacing.interval_min_s);
      gtk_spin_button_set_value (self->interval_max_spin, p->pacing.interval_max_s);
      gtk_spin_button_set_value (self->domain_cap_spin, p->pacing.domain_hourly_cap);
      gtk_switch_set_active (self->warmup_switch, p->pacing.warmup);
      self->applying_preset = FALSE;
    }
  update_warmup_subtitle (self);
  _ob_campaign_assistant_update_nav (self);
}

/* A hand-made change makes the pace the user's own. */
static void
on_pace_edited_cb (ObCampaignAssistant *self)
{
  guint n;
  const ObPacingPreset *presets = ob_pacing_get_presets (&n);

  if (!self->applying_preset)
    for (guint i = 0; i < n; i++)
      if (g_str_equal (presets[i].id, "custom") && adw_combo_row_get_selected (self->preset_row) != i)
        {
          adw_combo_row_set_selected (self->preset_row, i);
          break;
        }
  _ob_campaign_assistant_update_nav (self);
}

static void
update_start_label (ObCampaignAssistant *self)
{
  g_autofree char *text = g_date_time_format (self->start_date, "%x");

  gtk_menu_button_set_label (self->start_date_button, text);
}

static void
on_day_selected_cb (ObCampaignAssistant *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->start_calendar);

  g_clear_pointer (&self->start_date, g_date_time_unref);
  self->start_date = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                            g_date_time_get_day_of_month (day), 0, 0, 0);
  update_start_label (self);
  _ob_campaign_assistant_update_nav (self);
}

static void
on_start_now_cb (ObCampaignAssistant *self)
{
  gtk_widget_set_sensitive (self->start_date_row, !gtk_switch_get_active (self->start_now_switch));
  _ob_campaign_assistant_update_nav (self);
}

void
_ob_campaign_assistant_setup_schedule (ObCampaignAssistant *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n, normal = 0;
  const ObPacingPreset *presets = ob_pacing_get_presets (&n);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  for (guint i = 0; i < 7; i++)
    {
      GtkWidget *toggle = gtk_toggle_button_new_with_label (_(day_short[i]));

      gtk_widget_set_tooltip_text (toggle, _(day_long[i]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(day_long[i]), -1);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                    (OB_SEND_WINDOW_DEFAULT_DAYS & (1u << i)) != 0);
      g_signal_connect_swapped (toggle, "toggled",
                                G_CALLBACK (_ob_campaign_assistant_on_changed_cb), self);
      self->day_toggles[i] = GTK_TOGGLE_BUTTON (toggle);
      gtk_box_append (self->days_box, toggle);
    }

  g_signal_connect (self->hour_start_spin, "output", G_CALLBACK (on_time_output_cb), NULL);
  g_signal_connect (self->hour_start_spin, "input", G_CALLBACK (on_time_input_cb), NULL);
  g_signal_connect (self->hour_end_spin, "output", G_CALLBACK (on_time_output_cb), NULL);
  g_signal_connect (self->hour_end_spin, "input", G_CALLBACK (on_time_input_cb), NULL);
  gtk_spin_button_set_value (self->hour_start_spin, OB_SEND_WINDOW_DEFAULT_START);
  gtk_spin_button_set_value (self->hour_end_spin, OB_SEND_WINDOW_DEFAULT_END);
  g_signal_connect_swapped (self->hour_start_spin, "value-changed",
                            G_CALLBACK (_ob_campaign_assistant_on_changed_cb), self);
  g_signal_connect_swapped (self->hour_end_spin, "value-changed",
                            G_CALLBACK (_ob_campaign_assistant_on_changed_cb), self);

  self->start_date = g_date_time_new_local (g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                            g_date_time_get_day_of_month (tomorrow), 0, 0, 0);
  gtk_calendar_select_day (self->start_calendar, self->start_date);
  update_start_label (self);
  g_signal_connect_swapped (self->start_calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self);
  g_signal_connect_swapped (self->start_now_switch, "notify::active", G_CALLBACK (on_start_now_cb), self);

  for (guint i = 0; i < n; i++)
    {
      gtk_string_list_append (names, _(presets[i].name));
      if (g_str_equal (presets[i].id, "normal"))
        normal = i;
    }
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (names));
  g_signal_connect_swapped (self->preset_row, "notify::selected", G_CALLBACK (on_preset_selected_cb), self);
  adw_combo_row_set_selected (self->preset_row, normal);
  on_preset_selected_cb (self);

  g_signal_connect_swapped (self->daily_cap_spin, "value-changed", G_CALLBACK (on_pace_edited_cb), self);
  g_signal_connect_swapped (self->interval_min_spin, "value-changed", G_CALLBACK (on_pace_edited_cb), self);
  g_signal_connect_swapped (self->interval_max_spin, "value-changed", G_CALLBACK (on_pace_edited_cb), self);
  g_signal_connect_swapped (self->domain_cap_spin, "value-changed", G_CALLBACK (on_pace_edited_cb), self);
  g_signal_connect_swapped (self->warmup_switch, "notify::active", G_CALLBACK (on_pace_edited_cb), self);
}
