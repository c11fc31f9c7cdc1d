/* ob-campaign-assistant.c — the setup of a campaign, step by step, and
 * the window around the steps: the stack of steps, moving between them,
 * creating (and starting) the campaign, closing. Each step's widgets are
 * driven from a file of their own, all sharing the instance struct in
 * ob-campaign-assistant-private.h, as GNOME Text Editor splits its
 * window: the accounts and the audience (ob-campaign-assistant-audience.c),
 * the sequence of mails (-sequence.c), the schedule and pace
 * (-schedule.c), and the review with its test mail (-review.c).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-campaign-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-account.h"
#include "ob-application.h"
#include "ob-campaign-assistant.h"
#include "ob-campaign-assistant-private.h"
#include "ob-campaign.h"
#include "ob-segment.h"
#include "ob-template.h"

/* The setup of a campaign in five steps: account → audience → mails →
 * schedule and pace → review. The review is a pre-flight checklist whose
 * errors block the start and whose warnings need the user's word. */

G_DEFINE_FINAL_TYPE (ObCampaignAssistant, ob_campaign_assistant, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const step_ids[] = { "account", "audience", "templates", "schedule", "review" };
static const char * const step_titles[] = { N_("Account"), N_("Audience"), N_("Mails"),
                                            N_("Schedule and Pace"), N_("Review") };

static void
step_row_free (gpointer data)
{
  g_free (data);
}

static int
current_step (ObCampaignAssistant *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->step_stack);

  for (guint i = 0; i < G_N_ELEMENTS (step_ids); i++)
    if (g_strcmp0 (name, step_ids[i]) == 0)
      return (int) i;
  return 0;
}

/* ---- navigation ------------------------------------------------------- */

void
_ob_campaign_assistant_on_changed_cb (ObCampaignAssistant *self)
{
  _ob_campaign_assistant_update_nav (self);
}

void
_ob_campaign_assistant_go_to_page (ObCampaignAssistant *self,
                                   const char          *page)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-page", "s", page);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
step_complete (ObCampaignAssistant *self,
               int                  step)
{
  switch (step)
    {
    case 0:
      {
        g_autoptr(GPtrArray) accounts = _ob_campaign_assistant_chosen_accounts (self);
        g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
        return accounts->len > 0 && *name != '\0';
      }
    case 1:
      return self->segment_valid && self->count_source == 0;
    case 2:
      if (self->step_rows->len == 0)
        return FALSE;
      for (guint i = 0; i < self->step_rows->len; i++)
        if (_ob_campaign_assistant_step_template (self, i) == NULL)
          return FALSE;
      return TRUE;
    case 3:
      {
        ObPacing pacing;
        ObSendWindow window;

        _ob_campaign_assistant_read_pacing (self, &pacing);
        _ob_campaign_assistant_read_window (self, &window);
        return ob_pacing_is_valid (&pacing) && ob_send_window_is_valid (&window);
      }
    default:
      return TRUE;
    }
}

void
_ob_campaign_assistant_update_nav (ObCampaignAssistant *self)
{
  int step = current_step (self);
  g_autofree char *label = NULL;
  gboolean review = step == (int) G_N_ELEMENTS (step_ids) - 1;

  /* Translators: "Step 2 of 5: Audience" */
  label = g_strdup_printf (_("Step %d of %d: %s"), step + 1, (int) G_N_ELEMENTS (step_ids),
                           _(step_titles[step]));
  /* The header says where we are; the bottom bar only reports work in
   * progress, so the step is not read out twice. */
  adw_window_title_set_subtitle (self->window_title, label);
  gtk_label_set_label (self->step_label, "");

  /* Enter moves on, as the highlighted button says. */
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (review ? self->create_button : self->next_button));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), step > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !review);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), review);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), step_complete (self, step));
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button),
                            review && self->n_errors == 0 &&
                            (self->n_warnings == 0 || gtk_check_button_get_active (self->confirm_check)));
}

static void
show_step (ObCampaignAssistant *self,
           int                  step)
{
  step = CLAMP (step, 0, (int) G_N_ELEMENTS (step_ids) - 1);
  if (g_str_equal (step_ids[step], "review"))
    _ob_campaign_assistant_build_review (self);
  gtk_widget_set_visible (GTK_WIDGET (self->create_error), FALSE);
  gtk_stack_set_visible_child_name (self->step_stack, step_ids[step]);
  _ob_campaign_assistant_update_nav (self);
}

static void
on_back_clicked_cb (ObCampaignAssistant *self)
{
  show_step (self, current_step (self) - 1);
}

static void
on_next_clicked_cb (ObCampaignAssistant *self)
{
  int step = current_step (self);

  if (step_complete (self, step))
    show_step (self, step + 1);
}

static void
campaign_started_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ObCampaignAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  ob_campaign_start_finish (OB_STORE (object), result, &error);
  self->starting = FALSE;
  ob_application_campaigns_changed ();
  g_signal_emit (self, signals[CREATED], 0, self->created_id, error ? error->message : NULL);
  gtk_window_close (GTK_WINDOW (self));
}

/* The window stays open while the campaign starts. */
static gboolean
on_close_request_cb (ObCampaignAssistant *self)
{
  return self->starting;
}

static void
on_create_clicked_cb (ObCampaignAssistant *self)
{
  g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
  g_autoptr(GPtrArray) accounts = _ob_campaign_assistant_chosen_accounts (self);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)) || self->starting)
    return;

  settings->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  for (guint i = 0; i < accounts->len; i++)
    ob_campaign_settings_add_account (settings, ob_account_get_id (accounts->pdata[i]));
  for (guint i = 0; i < self->step_rows->len; i++)
    {
      ObCampaignAssistantStepRow *sr = self->step_rows->pdata[i];
      ob_campaign_settings_add_step (settings,
                                     ob_template_get_id (_ob_campaign_assistant_step_template (self, i)),
                                     sr->days ? gtk_spin_button_get_value_as_int (sr->days) : 0);
    }
  if (self->segment != NULL)
    settings->segment_json = ob_segment_to_json (self->segment);
  settings->start_at = _ob_campaign_assistant_start_time (self);
  _ob_campaign_assistant_read_window (self, &settings->window);
  _ob_campaign_assistant_read_pacing (self, &settings->pacing);

  id = ob_campaign_create (self->store, settings, now, &error);
  if (id == 0)
    {
      gtk_label_set_label (self->create_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->create_error), TRUE);
      return;
    }
  if (gtk_check_button_get_active (self->start_check))
    {
      /* Queueing a large audience takes seconds: off the main thread, with
       * the assistant held open and saying what it does. */
      self->starting = TRUE;
      self->created_id = id;
      gtk_widget_set_sensitive (GTK_WIDGET (self->step_stack), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
      gtk_label_set_label (self->step_label, _("Starting the campaign: queueing its mails…"));
      ob_campaign_start_async (self->store, id, now, NULL, campaign_started_cb, g_object_ref (self));
      return;
    }
  ob_application_campaigns_changed ();
  g_signal_emit (self, signals[CREATED], 0, id, NULL);
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- GObject ---------------------------------------------------------- */

static void
ob_campaign_assistant_dispose (GObject *object)
{
  ObCampaignAssistant *self = OB_CAMPAIGN_ASSISTANT (object);

  g_clear_handle_id (&self->count_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->transport != NULL)
    ob_send_transport_close (OB_SEND_TRANSPORT (self->transport));

  G_OBJECT_CLASS (ob_campaign_assistant_parent_class)->dispose (object);
}

static void
ob_campaign_assistant_finalize (GObject *object)
{
  ObCampaignAssistant *self = OB_CAMPAIGN_ASSISTANT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->transport);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->linter);
  g_clear_object (&self->template_names);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->account_checks, g_ptr_array_unref);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);
  g_clear_pointer (&self->lint_cache, g_hash_table_unref);
  g_clear_pointer (&self->segment, ob_segment_free);
  g_clear_pointer (&self->start_date, g_date_time_unref);

  G_OBJECT_CLASS (ob_campaign_assistant_parent_class)->finalize (object);
}

static void
ob_campaign_assistant_class_init (ObCampaignAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_campaign_assistant_dispose;
  object_class->finalize = ob_campaign_assistant_finalize;

  /* The campaign was created (and started, unless the second argument
   * says why it could not be). */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-campaign-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, step_stack);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, name_row);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, account_list);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, all_check);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, segment_check);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, segment_row);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, segment_error);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, receive_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, invalid_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, suppressed_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, risky_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, add_followup_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, step_list);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, days_box);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, hour_start_spin);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, hour_end_spin);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, start_now_switch);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, start_date_row);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, start_date_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, start_calendar);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, holidays_switch);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, preset_row);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, daily_cap_spin);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, interval_min_spin);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, interval_max_spin);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, domain_cap_spin);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, warmup_row);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, warmup_switch);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, review_list);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, test_row);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, test_icon);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, test_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, start_check);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, create_error);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, step_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignAssistant, create_button);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ob_campaign_assistant_init (ObCampaignAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->account_checks = g_ptr_array_new ();
  self->step_rows = g_ptr_array_new_with_free_func (step_row_free);
  self->lint_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->linter = ob_template_linter_new ();
  self->cancellable = g_cancellable_new ();
  self->segment_valid = TRUE;

  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (on_next_clicked_cb), self);
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (on_create_clicked_cb), self);
  g_signal_connect_swapped (self, "close-request", G_CALLBACK (on_close_request_cb), self);
  g_signal_connect_swapped (self->test_button, "clicked",
                            G_CALLBACK (_ob_campaign_assistant_on_test_clicked_cb), self);
  g_signal_connect_swapped (self->add_followup_button, "clicked",
                            G_CALLBACK (_ob_campaign_assistant_add_step_row), self);
  g_signal_connect_swapped (self->confirm_check, "toggled",
                            G_CALLBACK (_ob_campaign_assistant_on_changed_cb), self);
  g_signal_connect_swapped (self->name_row, "changed",
                            G_CALLBACK (_ob_campaign_assistant_on_changed_cb), self);
  g_signal_connect_swapped (self->segment_check, "toggled",
                            G_CALLBACK (_ob_campaign_assistant_update_audience), self);
  g_signal_connect_swapped (self->segment_row, "changed",
                            G_CALLBACK (_ob_campaign_assistant_update_audience), self);
}

ObCampaignAssistant *
ob_campaign_assistant_new (GtkWindow *parent,
                           ObStore   *store)
{
  ObCampaignAssistant *self;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%x");
  g_autofree char *name = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_CAMPAIGN_ASSISTANT, "transient-for", parent, NULL);
  self->store = g_object_ref (store);

  /* Translators: the default name of a new campaign; %s is today's date */
  name = g_strdup_printf (_("Campaign of %s"), date);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  _ob_campaign_assistant_load_accounts (self);
  _ob_campaign_assistant_load_templates (self);
  _ob_campaign_assistant_setup_schedule (self);
  _ob_campaign_assistant_update_audience (self);
  _ob_campaign_assistant_update_nav (self);
  /* The name is the first thing asked: typing replaces the suggested one,
   * Enter goes on to the next step. */
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}

const char *
ob_campaign_assistant_get_step (ObCampaignAssistant *self)
{
  g_return_val_if_fail (OB_IS_CAMPAIGN_ASSISTANT (self), NULL);

  return gtk_stack_get_visible_child_name (self->step_stack);
}
