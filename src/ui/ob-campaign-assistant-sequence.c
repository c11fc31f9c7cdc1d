/* ob-campaign-assistant-sequence.c — the campaign assistant's sequence of
 * mails: the first mail and its follow-ups, a template each, and the lint
 * of those templates (cached, since the review asks again). Part of
 * ObCampaignAssistant (struct in ob-campaign-assistant-private.h).
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
#include "ob-template.h"
#include "ob-template-library.h"
#include "ob-template-linter.h"

#define MAX_FOLLOWUPS  5

ObTemplate *
_ob_campaign_assistant_step_template (ObCampaignAssistant *self,
                                      guint                step)
{
  ObCampaignAssistantStepRow *sr = self->step_rows->pdata[step];
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (sr->row));

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->templates->len)
    return NULL;
  return self->templates->pdata[selected];
}

GPtrArray *
_ob_campaign_assistant_lint_template (ObCampaignAssistant *self,
                                      ObTemplate          *template,
                                      gboolean             first)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%d", ob_template_get_id (template), first);
  GPtrArray *findings = g_hash_table_lookup (self->lint_cache, key);

  if (findings == NULL)
    {
      ob_template_linter_set_first_mail (self->linter, first);
      findings = ob_template_linter_lint (self->linter, template);
      g_hash_table_insert (self->lint_cache, g_steal_pointer (&key), findings);
    }
  return findings;
}

void
_ob_campaign_assistant_count_findings (GPtrArray *findings,
                                       guint     *errors,
                                       guint     *warnings)
{
  *errors = *warnings = 0;
  for (guint i = 0; i < findings->len; i++)
    {
      const ObLintFinding *f = findings->pdata[i];

      if (f->severity == OB_LINT_SEVERITY_ERROR)
        (*errors)++;
      else if (f->severity == OB_LINT_SEVERITY_WARNING)
        (*warnings)++;
    }
}

char *
_ob_campaign_assistant_lint_summary (GPtrArray *findings)
{
  guint errors, warnings;
  g_autofree char *e = NULL;
  g_autofree char *w = NULL;

  _ob_campaign_assistant_count_findings (findings, &errors, &warnings);
  e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
  w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  /* Translators: the lint score of a template, then its error and warning counts */
  return g_strdup_printf (_("Score %.1f of 10 · %s · %s"), ob_template_linter_score (findings), e, w);
}

/* ---- mails ------------------------------------------------------------ */

static void
update_step_row (ObCampaignAssistant *self,
                 ObCampaignAssistantStepRow             *sr,
                 guint                index)
{
  ObTemplate *template = _ob_campaign_assistant_step_template (self, index);
  g_autofree char *title = NULL;

  if (index == 0)
    title = g_strdup (_("First mail"));
  else
    title = g_strdup_printf (_("Follow-up %u"), index);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sr->row), title);

  if (template != NULL)
    {
      GPtrArray *findings = _ob_campaign_assistant_lint_template (self, template, index == 0);
      g_autofree char *summary = _ob_campaign_assistant_lint_summary (findings);
      guint errors, warnings;

      _ob_campaign_assistant_count_findings (findings, &errors, &warnings);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (sr->row), summary);
      gtk_widget_remove_css_class (sr->row, "error");
      gtk_widget_remove_css_class (sr->row, "warning");
      if (errors > 0)
        gtk_widget_add_css_class (sr->row, "error");
      else if (warnings > 0)
        gtk_widget_add_css_class (sr->row, "warning");
    }
}

static void
update_step_rows (ObCampaignAssistant *self)
{
  for (guint i = 0; i < self->step_rows->len; i++)
    update_step_row (self, self->step_rows->pdata[i], i);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_followup_button),
                            self->templates->len > 0 && self->step_rows->len <= MAX_FOLLOWUPS);
  _ob_campaign_assistant_update_nav (self);
}

static void
on_remove_step_clicked_cb (GtkButton           *button,
                           ObCampaignAssistant *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "step-row");

  for (guint i = 1; i < self->step_rows->len; i++)
    if (((ObCampaignAssistantStepRow *) self->step_rows->pdata[i])->row == row)
      {
        g_ptr_array_remove_index (self->step_rows, i);
        gtk_list_box_remove (self->step_list, row);
        break;
      }
  update_step_rows (self);
}

void
_ob_campaign_assistant_add_step_row (ObCampaignAssistant *self)
{
  ObCampaignAssistantStepRow *sr = g_new0 (ObCampaignAssistantStepRow, 1);
  guint index = self->step_rows->len;

  sr->row = adw_combo_row_new ();
  gtk_widget_set_name (sr->row, index == 0 ? "step-first" : "step-followup");
  adw_combo_row_set_model (ADW_COMBO_ROW (sr->row), G_LIST_MODEL (self->template_names));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (sr->row), 2);
  /* A follow-up starts with the next template, the usual order of writing. */
  if (index > 0 && self->templates->len > 0)
    adw_combo_row_set_selected (ADW_COMBO_ROW (sr->row), MIN (index, self->templates->len - 1));

  if (index > 0)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (_("days later"));
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      sr->days = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 60, 1));
      gtk_spin_button_set_value (sr->days, 3 * index);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sr->days), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Days after the previous mail"), -1);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (sr->days));
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove this Follow-up"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove this follow-up"), -1);
      g_object_set_data (G_OBJECT (remove), "step-row", sr->row);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_step_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (sr->row), box);
      adw_action_row_add_suffix (ADW_ACTION_ROW (sr->row), remove);
    }

  g_signal_connect_swapped (sr->row, "notify::selected", G_CALLBACK (update_step_rows), self);
  g_ptr_array_add (self->step_rows, sr);
  gtk_list_box_append (self->step_list, sr->row);
  update_step_rows (self);
}

static void
on_open_templates_clicked_cb (GtkButton           *button,
                              ObCampaignAssistant *self)
{
  _ob_campaign_assistant_go_to_page (self, "templates");
}

void
_ob_campaign_assistant_load_templates (ObCampaignAssistant *self)
{
  g_autoptr(GError) error = NULL;

  self->templates = ob_template_library_list (self->store, &error);
  if (self->templates == NULL)
    {
      g_warning ("Cannot list templates: %s", error->message);
      self->templates = g_ptr_array_new_with_free_func (g_object_unref);
    }
  self->template_names = gtk_string_list_new (NULL);
  for (guint i = 0; i < self->templates->len; i++)
    gtk_string_list_append (self->template_names, ob_template_get_name (self->templates->pdata[i]));

  if (self->templates->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Write a Template…"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No template yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Write the mail on the Templates page, then come back."));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect (button, "clicked", G_CALLBACK (on_open_templates_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->step_list, row);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_followup_button), FALSE);
      return;
    }
  _ob_campaign_assistant_add_step_row (self);
}
