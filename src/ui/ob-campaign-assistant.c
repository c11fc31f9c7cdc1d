/* ob-campaign-assistant.c
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
#include "ob-campaign.h"
#include "ob-contacts.h"
#include "ob-domain-check-store.h"
#include "ob-mail-transport.h"
#include "ob-message-composer.h"
#include "ob-pacing.h"
#include "ob-reports.h"
#include "ob-segment.h"
#include "ob-template-linter.h"
#include "ob-template.h"
#include "ob-template-library.h"

/* The setup of a campaign in five steps: account → audience → mails →
 * schedule and pace → review. The review is a pre-flight checklist whose
 * errors block the start and whose warnings need the user's word. */

#define COUNT_DELAY_MS 300
#define MAX_FOLLOWUPS  5

typedef enum
{
  CHECK_OK,
  CHECK_INFO,
  CHECK_WARNING,
  CHECK_ERROR,
} CheckLevel;

typedef struct
{
  GtkWidget     *row;       /* AdwComboRow */
  GtkSpinButton *days;      /* NULL for the first mail */
} StepRow;

struct _ObCampaignAssistant
{
  AdwWindow          parent_instance;

  ObStore           *store;
  GPtrArray         *accounts;       /* ObAccount */
  GPtrArray         *account_checks; /* GtkCheckButton, parallel */
  GPtrArray         *templates;      /* ObTemplate */
  GtkStringList     *template_names;
  GPtrArray         *step_rows;      /* StepRow */
  GHashTable        *lint_cache;     /* "id:first" → GPtrArray of ObLintFinding */
  ObTemplateLinter  *linter;
  ObSegment         *segment;        /* parsed audience; NULL = all, or invalid */
  gboolean           segment_valid;
  guint              n_receive;
  guint              n_invalid;
  guint              n_suppressed;
  guint              n_risky;
  guint              count_source;
  guint              n_errors;
  guint              n_warnings;
  gboolean           applying_preset;
  GDateTime         *start_date;     /* local midnight of the chosen day */
  GtkToggleButton   *day_toggles[7];
  ObMailTransport   *transport;
  GCancellable      *cancellable;
  gboolean           starting;       /* the new campaign's queue is being written */
  gint64             created_id;

  AdwWindowTitle    *window_title;
  GtkStack          *step_stack;
  AdwEntryRow       *name_row;
  GtkListBox        *account_list;
  GtkCheckButton    *all_check;
  GtkCheckButton    *segment_check;
  AdwEntryRow       *segment_row;
  GtkLabel          *segment_error;
  GtkLabel          *receive_label;
  GtkLabel          *invalid_label;
  GtkLabel          *suppressed_label;
  GtkLabel          *risky_label;
  GtkButton         *add_followup_button;
  GtkListBox        *step_list;
  GtkBox            *days_box;
  GtkSpinButton     *hour_start_spin;
  GtkSpinButton     *hour_end_spin;
  GtkSwitch         *start_now_switch;
  GtkWidget         *start_date_row;
  GtkMenuButton     *start_date_button;
  GtkCalendar       *start_calendar;
  GtkSwitch         *holidays_switch;
  AdwComboRow       *preset_row;
  GtkSpinButton     *daily_cap_spin;
  GtkSpinButton     *interval_min_spin;
  GtkSpinButton     *interval_max_spin;
  GtkSpinButton     *domain_cap_spin;
  AdwActionRow      *warmup_row;
  GtkSwitch         *warmup_switch;
  GtkListBox        *review_list;
  AdwActionRow      *test_row;
  GtkImage          *test_icon;
  GtkButton         *test_button;
  GtkCheckButton    *confirm_check;
  GtkCheckButton    *start_check;
  GtkLabel          *create_error;
  GtkButton         *back_button;
  GtkLabel          *step_label;
  GtkButton         *next_button;
  GtkButton         *create_button;
};

G_DEFINE_FINAL_TYPE (ObCampaignAssistant, ob_campaign_assistant, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const step_ids[] = { "account", "audience", "templates", "schedule", "review" };
static const char * const step_titles[] = { N_("Account"), N_("Audience"), N_("Mails"),
                                            N_("Schedule and Pace"), N_("Review") };
static const char * const day_short[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
                                          N_("Fri"), N_("Sat"), N_("Sun") };
static const char * const day_long[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
                                         N_("Friday"), N_("Saturday"), N_("Sunday") };

static void update_nav (ObCampaignAssistant *self);
static void build_review (ObCampaignAssistant *self);

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

/* The accounts ticked, in list order (the rotation order). */
static GPtrArray *
chosen_accounts (ObCampaignAssistant *self)
{
  GPtrArray *chosen = g_ptr_array_new ();

  for (guint i = 0; i < self->account_checks->len; i++)
    if (gtk_check_button_get_active (self->account_checks->pdata[i]))
      g_ptr_array_add (chosen, self->accounts->pdata[i]);
  return chosen;
}

static ObTemplate *
step_template (ObCampaignAssistant *self,
               guint                step)
{
  StepRow *sr = self->step_rows->pdata[step];
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (sr->row));

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->templates->len)
    return NULL;
  return self->templates->pdata[selected];
}

static GPtrArray *
lint_template (ObCampaignAssistant *self,
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

static void
count_findings (GPtrArray *findings,
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

static char *
lint_summary (GPtrArray *findings)
{
  guint errors, warnings;
  g_autofree char *e = NULL;
  g_autofree char *w = NULL;

  count_findings (findings, &errors, &warnings);
  e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
  w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  /* Translators: the lint score of a template, then its error and warning counts */
  return g_strdup_printf (_("Score %.1f of 10 · %s · %s"), ob_template_linter_score (findings), e, w);
}

/* ---- account ---------------------------------------------------------- */

static void
on_changed_cb (ObCampaignAssistant *self)
{
  update_nav (self);
}

static void
go_to_page (ObCampaignAssistant *self,
            const char          *page)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-page", "s", page);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_add_account_clicked_cb (GtkButton           *button,
                           ObCampaignAssistant *self)
{
  go_to_page (self, "accounts");
}

static void
load_accounts (ObCampaignAssistant *self)
{
  g_autoptr(GError) error = NULL;

  self->accounts = ob_account_store_list (self->store, &error);
  if (self->accounts == NULL)
    {
      g_warning ("Cannot list accounts: %s", error->message);
      self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
    }

  for (guint i = 0; i < self->accounts->len; i++)
    {
      ObAccount *account = self->accounts->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *display = ob_account_get_display_name (account);
      g_autofree char *limit = g_strdup_printf (_("Up to %u mails a day"), ob_account_get_daily_limit (account));
      g_autofree char *subtitle = display && *display ? g_strdup_printf ("%s · %s", display, limit)
                                                      : g_strdup (limit);
      g_autofree char *title = g_markup_escape_text (ob_account_get_email (account), -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), i == 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      ob_account_get_email (account), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_changed_cb), self);
      g_ptr_array_add (self->account_checks, check);
      gtk_list_box_append (self->account_list, row);
    }

  if (self->accounts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Add Account…"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No sending account yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Add the mailbox you send from on the Accounts page, then come back."));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect (button, "clicked", G_CALLBACK (on_add_account_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->account_list, row);
    }
}

/* ---- audience --------------------------------------------------------- */

/* @values narrowed to those also in @current (a member already set by the
 * user's own segment): the two conditions must both hold. */
static GStrv
narrow (GStrv               current,
        const char * const *values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; values[i] != NULL; i++)
    if (current == NULL || g_strv_contains ((const char * const *) current, values[i]))
      g_strv_builder_add (builder, values[i]);
  return g_strv_builder_end (builder);
}

static guint
count_with (ObCampaignAssistant *self,
            const char * const  *statuses,
            const char * const  *verdicts)
{
  g_autoptr(ObSegment) s = self->segment ? ob_segment_copy (self->segment) : ob_segment_new ();
  g_autoptr(GError) error = NULL;
  GStrv narrowed;
  guint count = 0;

  if (statuses != NULL)
    {
      narrowed = narrow (s->statuses, statuses);
      g_strfreev (s->statuses);
      s->statuses = narrowed;
      if (s->statuses[0] == NULL)
        return 0;
    }
  if (verdicts != NULL)
    {
      narrowed = narrow (s->verdicts, verdicts);
      g_strfreev (s->verdicts);
      s->verdicts = narrowed;
      if (s->verdicts[0] == NULL)
        return 0;
    }
  if (!ob_contacts_count (self->store, s, &count, &error))
    {
      g_warning ("Cannot count contacts: %s", error->message);
      return 0;
    }
  return count;
}

static void
set_count_label (GtkLabel *label,
                 guint     count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);
  gtk_label_set_label (label, text);
}

static gboolean
count_cb (gpointer user_data)
{
  ObCampaignAssistant *self = user_data;
  static const char * const active[] = { "active", NULL };
  static const char * const deliverable[] = { "valid", "risky", "unknown", NULL };
  static const char * const invalid_verdict[] = { "invalid", NULL };
  static const char * const invalid_status[] = { "invalid", NULL };
  static const char * const suppressed[] = { "suppressed", "unsubscribed", NULL };
  static const char * const risky[] = { "risky", NULL };

  self->count_source = 0;
  if (!self->segment_valid)
    {
      gtk_label_set_label (self->receive_label, "—");
      gtk_label_set_label (self->invalid_label, "—");
      gtk_label_set_label (self->suppressed_label, "—");
      gtk_label_set_label (self->risky_label, "—");
      update_nav (self);
      return G_SOURCE_REMOVE;
    }

  /* The same rule as the campaign's audience: active and not invalid. */
  self->n_receive = count_with (self, active, deliverable);
  self->n_invalid = count_with (self, active, invalid_verdict) + count_with (self, invalid_status, NULL);
  self->n_suppressed = count_with (self, suppressed, NULL);
  self->n_risky = count_with (self, active, risky);

  set_count_label (self->receive_label, self->n_receive);
  set_count_label (self->invalid_label, self->n_invalid);
  set_count_label (self->suppressed_label, self->n_suppressed);
  set_count_label (self->risky_label, self->n_risky);
  update_nav (self);
  return G_SOURCE_REMOVE;
}

static void
update_audience (ObCampaignAssistant *self)
{
  gboolean use_segment = gtk_check_button_get_active (self->segment_check);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->segment_row));
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->segment_row), use_segment);
  g_clear_pointer (&self->segment, ob_segment_free);
  self->segment_valid = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->segment_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->segment_row), "error");

  if (use_segment)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped == '\0')
        self->segment_valid = FALSE;
      else if (stripped[0] == '@')
        self->segment = ob_segments_load (self->store, stripped + 1, &error);
      else
        self->segment = ob_segment_parse (stripped, &error);
      if (error != NULL)
        {
          self->segment_valid = FALSE;
          gtk_label_set_label (self->segment_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->segment_error), TRUE);
          gtk_widget_add_css_class (GTK_WIDGET (self->segment_row), "error");
        }
    }

  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, count_cb, self);
  update_nav (self);
}

/* ---- mails ------------------------------------------------------------ */

static void
update_step_row (ObCampaignAssistant *self,
                 StepRow             *sr,
                 guint                index)
{
  ObTemplate *template = step_template (self, index);
  g_autofree char *title = NULL;

  if (index == 0)
    title = g_strdup (_("First mail"));
  else
    title = g_strdup_printf (_("Follow-up %u"), index);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sr->row), title);

  if (template != NULL)
    {
      GPtrArray *findings = lint_template (self, template, index == 0);
      g_autofree char *summary = lint_summary (findings);
      guint errors, warnings;

      count_findings (findings, &errors, &warnings);
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
  update_nav (self);
}

static void
on_remove_step_clicked_cb (GtkButton           *button,
                           ObCampaignAssistant *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "step-row");

  for (guint i = 1; i < self->step_rows->len; i++)
    if (((StepRow *) self->step_rows->pdata[i])->row == row)
      {
        g_ptr_array_remove_index (self->step_rows, i);
        gtk_list_box_remove (self->step_list, row);
        break;
      }
  update_step_rows (self);
}

static void
add_step_row (ObCampaignAssistant *self)
{
  StepRow *sr = g_new0 (StepRow, 1);
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
  go_to_page (self, "templates");
}

static void
load_templates (ObCampaignAssistant *self)
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
  add_step_row (self);
}

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

static void
read_pacing (ObCampaignAssistant *self,
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

static void
read_window (ObCampaignAssistant *self,
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

static void
update_warmup_subtitle (ObCampaignAssistant *self)
{
  ObPacing pacing;
  g_autofree char *text = NULL;

  read_pacing (self, &pacing);
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
  update_nav (self);
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
  update_nav (self);
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
  update_nav (self);
}

static void
on_start_now_cb (ObCampaignAssistant *self)
{
  gtk_widget_set_sensitive (self->start_date_row, !gtk_switch_get_active (self->start_now_switch));
  update_nav (self);
}

static void
setup_schedule (ObCampaignAssistant *self)
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
      g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (on_changed_cb), self);
      self->day_toggles[i] = GTK_TOGGLE_BUTTON (toggle);
      gtk_box_append (self->days_box, toggle);
    }

  g_signal_connect (self->hour_start_spin, "output", G_CALLBACK (on_time_output_cb), NULL);
  g_signal_connect (self->hour_start_spin, "input", G_CALLBACK (on_time_input_cb), NULL);
  g_signal_connect (self->hour_end_spin, "output", G_CALLBACK (on_time_output_cb), NULL);
  g_signal_connect (self->hour_end_spin, "input", G_CALLBACK (on_time_input_cb), NULL);
  gtk_spin_button_set_value (self->hour_start_spin, OB_SEND_WINDOW_DEFAULT_START);
  gtk_spin_button_set_value (self->hour_end_spin, OB_SEND_WINDOW_DEFAULT_END);
  g_signal_connect_swapped (self->hour_start_spin, "value-changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->hour_end_spin, "value-changed", G_CALLBACK (on_changed_cb), self);

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

/* ---- review ----------------------------------------------------------- */

static const char *
check_icon (CheckLevel level)
{
  switch (level)
    {
    case CHECK_ERROR:
      return "dialog-error-symbolic";
    case CHECK_WARNING:
      return "dialog-warning-symbolic";
    case CHECK_INFO:
      return "dialog-information-symbolic";
    case CHECK_OK:
    default:
      return "emblem-ok-symbolic";
    }
}

static const char *
check_class (CheckLevel level)
{
  switch (level)
    {
    case CHECK_ERROR:
      return "error";
    case CHECK_WARNING:
      return "warning";
    case CHECK_INFO:
      return "dim-label";
    case CHECK_OK:
    default:
      return "success";
    }
}

static const char *
check_level_name (CheckLevel level)
{
  switch (level)
    {
    case CHECK_ERROR:
      return _("Must be fixed");
    case CHECK_WARNING:
      return _("Warning");
    case CHECK_INFO:
      return _("Note");
    case CHECK_OK:
    default:
      return _("Fine");
    }
}

static GtkWidget *
add_check (ObCampaignAssistant *self,
           const char          *id,
           CheckLevel           level,
           const char          *title,
           const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (check_icon (level));
  g_autofree char *t = g_markup_escape_text (title, -1);

  gtk_widget_set_name (row, id);
  g_object_set_data (G_OBJECT (row), "level", GINT_TO_POINTER (level));
  gtk_widget_add_css_class (icon, check_class (level));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_level_name (level), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  if (subtitle != NULL)
    {
      g_autofree char *s = g_markup_escape_text (subtitle, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), s);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
    }
  gtk_list_box_append (self->review_list, row);

  if (level == CHECK_ERROR)
    self->n_errors++;
  else if (level == CHECK_WARNING)
    self->n_warnings++;
  return row;
}

static void
on_check_domain_clicked_cb (GtkButton           *button,
                            ObCampaignAssistant *self)
{
  go_to_page (self, "domain-health");
}

static void
review_domains (ObCampaignAssistant *self,
                GPtrArray           *accounts)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < accounts->len; i++)
    {
      const char *email = ob_account_get_email (accounts->pdata[i]);
      const char *at = strrchr (email, '@');
      g_autofree char *domain = ob_domain_check_store_normalize (at ? at + 1 : email);
      g_autoptr(ObDomainHealthSummary) summary = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *id = NULL;
      CheckLevel level;

      if (g_ptr_array_find_with_equal_func (seen, domain, g_str_equal, NULL))
        continue;
      id = g_strdup_printf ("check-domain-%u", seen->len);
      g_ptr_array_add (seen, g_strdup (domain));

      summary = ob_domain_health_summary_for_domain (self->store, domain, &error);
      if (summary == NULL)
        {
          GtkWidget *row, *button;

          if (!g_error_matches (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_NOT_FOUND))
            g_warning ("Cannot read the domain check of %s: %s", domain, error->message);
          title = g_strdup_printf (_("%s: domain health not checked yet"), domain);
          row = add_check (self, id, CHECK_WARNING, title,
                           _("Receivers reject mail from domains whose SPF, DKIM or DMARC is wrong. "
                             "Check it on the Domain Health page, then set up the campaign again."));
          button = gtk_button_new_with_mnemonic (_("_Check Domain"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_name (button, "check-domain-button");
          g_signal_connect (button, "clicked", G_CALLBACK (on_check_domain_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          continue;
        }

      {
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (summary->checked_at);
        g_autofree char *date = when ? g_date_time_format (when, "%x") : g_strdup ("?");

        switch (summary->worst)
          {
          case OB_DOMAIN_HEALTH_ERROR:
            level = CHECK_ERROR;
            title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%s: %u domain problem to fix",
                                                  "%s: %u domain problems to fix",
                                                  summary->n_errors),
                                     domain, summary->n_errors);
            break;
          case OB_DOMAIN_HEALTH_WARNING:
            level = CHECK_WARNING;
            title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%s: %u domain warning",
                                                  "%s: %u domain warnings",
                                                  summary->n_warnings),
                                     domain, summary->n_warnings);
            break;
          case OB_DOMAIN_HEALTH_UNKNOWN:
            level = CHECK_WARNING;
            title = g_strdup_printf (_("%s: the last domain check could not be read"), domain);
            break;
          case OB_DOMAIN_HEALTH_OK:
          case OB_DOMAIN_HEALTH_INFO:
          default:
            level = CHECK_OK;
            title = g_strdup_printf (_("%s: domain health is fine"), domain);
            break;
          }
        /* Translators: %s is a date */
        subtitle = g_strdup_printf (_("Checked on %s. The Domain Health page shows what to change."), date);
        add_check (self, id, level, title, subtitle);
      }
    }
}

static void
review_lint (ObCampaignAssistant *self)
{
  for (guint i = 0; i < self->step_rows->len; i++)
    {
      ObTemplate *template = step_template (self, i);
      g_autofree char *id = g_strdup_printf ("check-lint-%u", i + 1);
      g_autofree char *step = i == 0 ? g_strdup (_("First mail")) : g_strdup_printf (_("Follow-up %u"), i);
      g_autofree char *title = NULL;
      g_autofree char *summary = NULL;
      const char *first_error = NULL, *first_warning = NULL;
      GPtrArray *findings;
      guint errors, warnings;

      if (template == NULL)
        continue;
      findings = lint_template (self, template, i == 0);
      count_findings (findings, &errors, &warnings);
      for (guint k = 0; k < findings->len; k++)
        {
          const ObLintFinding *f = findings->pdata[k];
          if (f->severity == OB_LINT_SEVERITY_ERROR && first_error == NULL)
            first_error = f->message;
          else if (f->severity == OB_LINT_SEVERITY_WARNING && first_warning == NULL)
            first_warning = f->message;
        }
      summary = lint_summary (findings);
      /* Translators: a step ("First mail"), the template's name, then the lint summary */
      title = g_strdup_printf (_("%s “%s”: %s"), step, ob_template_get_name (template), summary);
      if (errors > 0)
        add_check (self, id, CHECK_ERROR, title, first_error);
      else if (warnings > 0)
        add_check (self, id, CHECK_WARNING, title, first_warning);
      else
        add_check (self, id, CHECK_OK, title, NULL);
    }
}

static void
review_audience (ObCampaignAssistant *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (self->n_receive == 0)
    {
      add_check (self, "check-audience", CHECK_ERROR, _("Nobody would receive this campaign"),
                 _("No active contact with a deliverable address matches the audience."));
      return;
    }
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact will receive it",
                                        "%u contacts will receive it", self->n_receive),
                           self->n_receive);
  subtitle = g_strdup_printf (_("Skipped: %u invalid, %u suppressed or unsubscribed."),
                              self->n_invalid, self->n_suppressed);
  add_check (self, "check-audience", CHECK_OK, title, subtitle);

  if (self->n_risky > 0)
    {
      g_autofree char *risky = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u risky address is included",
                                                             "%u risky addresses are included",
                                                             self->n_risky),
                                                self->n_risky);
      add_check (self, "check-risky", CHECK_WARNING, risky,
                 /* xgettext:no-c-format */
                 _("Role, catch-all or disposable addresses bounce more often. The campaign pauses "
                   "itself if 5 % of the mails bounce."));
    }
}

static gint64
start_time (ObCampaignAssistant *self)
{
  if (gtk_switch_get_active (self->start_now_switch))
    return 0;
  return g_date_time_to_unix (self->start_date);
}

static void
review_finish (ObCampaignAssistant *self,
               GPtrArray           *accounts)
{
  ObPacing pacing;
  ObSendWindow window;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (int));
  gint64 start = start_time (self);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int limit = G_MAXINT;
  gint64 finish;

  read_pacing (self, &pacing);
  read_window (self, &window);
  if (!ob_pacing_is_valid (&pacing) || !ob_send_window_is_valid (&window))
    {
      add_check (self, "check-finish", CHECK_ERROR, _("The schedule or pace is not complete"),
                 _("Go back and choose at least one day, hours that end after they start, and a "
                   "shortest pause no longer than the longest."));
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    limit = MIN (limit, (int) ob_account_get_daily_limit (accounts->pdata[i]));
  for (guint i = 1; i < self->step_rows->len; i++)
    {
      int d = gtk_spin_button_get_value_as_int (((StepRow *) self->step_rows->pdata[i])->days);
      g_array_append_val (delays, d);
    }

  finish = ob_pacing_estimate_finish (&pacing, &window, accounts->len, limit == G_MAXINT ? 0 : limit, 0,
                                      self->n_receive, (const int *) delays->data, delays->len,
                                      start > 0 ? start : now);
  if (finish < 0)
    add_check (self, "check-finish", CHECK_ERROR, _("At this pace the campaign would never finish"),
               _("Allow more mails a day, more days or longer hours."));
  else
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (finish);
      g_autofree char *date = g_date_time_format (when, "%A %x");
      g_autofree char *title = g_strdup_printf (_("Estimated to finish by %s"), date);

      add_check (self, "check-finish", CHECK_INFO, title,
                 _("If nobody replies or bounces; replies stop follow-ups, so it often ends sooner."));
    }
}

static void
build_review (ObCampaignAssistant *self)
{
  g_autoptr(GPtrArray) accounts = chosen_accounts (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->review_list))) != NULL)
    gtk_list_box_remove (self->review_list, child);
  self->n_errors = self->n_warnings = 0;

  review_domains (self, accounts);
  review_lint (self);
  review_audience (self);
  review_finish (self, accounts);

  gtk_widget_set_visible (GTK_WIDGET (self->confirm_check), self->n_warnings > 0);
  gtk_check_button_set_active (self->confirm_check, FALSE);

  if (accounts->len > 0)
    {
      g_autofree char *subtitle = g_strdup_printf (_("To %s, merged with the first contact’s details"),
                                                   ob_account_get_email (accounts->pdata[0]));
      adw_action_row_set_subtitle (self->test_row, subtitle);
    }
}

/* ---- test send -------------------------------------------------------- */

static GHashTable *
sample_values (ObCampaignAssistant *self)
{
  static const struct { const char *name; ObContactColumn column; } fields[] = {
    { "email", OB_CONTACT_COLUMN_EMAIL }, { "name", OB_CONTACT_COLUMN_NAME },
    { "first_name", OB_CONTACT_COLUMN_FIRST_NAME }, { "last_name", OB_CONTACT_COLUMN_LAST_NAME },
    { "company", OB_CONTACT_COLUMN_COMPANY }, { "title", OB_CONTACT_COLUMN_TITLE },
    { "phone", OB_CONTACT_COLUMN_PHONE }, { "website", OB_CONTACT_COLUMN_WEBSITE },
    { "country", OB_CONTACT_COLUMN_COUNTRY },
  };
  g_autoptr(ObSegment) s = self->segment ? ob_segment_copy (self->segment) : ob_segment_new ();
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) contacts = NULL;

  if (s->statuses == NULL)
    s->statuses = g_strsplit ("active", ",", -1);
  contacts = ob_contacts_list (self->store, s, 0, 1, NULL);
  if (contacts != NULL && contacts->len > 0)
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        const char *v = ob_contact_get_text (contacts->pdata[0], fields[i].column);
        if (v != NULL && *v != '\0')
          g_hash_table_insert (values, g_strdup (fields[i].name), g_strdup (v));
      }
  return values;
}

/* The outcome of the test send as an icon beside it. */
static void
set_test_icon (ObCampaignAssistant *self,
               CheckLevel           level)
{
  gtk_image_set_from_icon_name (self->test_icon, check_icon (level));
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), check_class (level));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  level == CHECK_OK ? _("Sent") : _("Not sent"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), TRUE);
}

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ObCampaignAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = ob_send_transport_send_finish (OB_SEND_TRANSPORT (object), result, &error);
  g_autofree char *text = NULL;
  gboolean ok = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (results != NULL && results->len > 0)
    {
      const ObRecipientResult *r = results->pdata[0];
      g_autofree char *reply = ob_recipient_result_to_string (r);

      ok = r->code >= 200 && r->code < 300;
      if (ok)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *time = g_date_time_format (now, "%X");
          text = g_strdup_printf (_("Sent to %s at %s. Look at it in your inbox as a buyer would."),
                                  r->recipient, time);
        }
      else
        text = g_strdup_printf (_("The server refused it: %s"), reply);
    }
  else
    text = g_strdup_printf (_("Not sent: %s"), error ? error->message : _("no answer from the server"));

  adw_action_row_set_subtitle (self->test_row, text);
  set_test_icon (self, ok ? CHECK_OK : CHECK_ERROR);
  g_object_set_data (G_OBJECT (self->test_row), "sent", GINT_TO_POINTER (ok ? 1 : -1));
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
}

static void
on_test_clicked_cb (ObCampaignAssistant *self)
{
  g_autoptr(GPtrArray) accounts = chosen_accounts (self);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(ObMessageComposer) composer = NULL;
  g_autoptr(ObTemplate) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *subject = NULL;
  ObTemplate *template;
  ObAccount *account;
  GMimeMessage *message;
  const char *recipients[2] = { NULL, NULL };

  if (accounts->len == 0 || self->step_rows->len == 0 || (template = step_template (self, 0)) == NULL)
    return;
  account = accounts->pdata[0];

  composer = ob_message_composer_new (ob_account_get_email (account), ob_account_get_display_name (account));
  if (composer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The sending address “%s” is not valid; fix the account"),
                                               ob_account_get_email (account));
      adw_action_row_set_subtitle (self->test_row, text);
      set_test_icon (self, CHECK_ERROR);
      return;
    }
  ob_message_composer_set_reply_to (composer, ob_account_get_reply_to (account));
  ob_message_composer_set_signature (composer, ob_account_get_signature (account));

  copy = ob_template_copy (template);
  /* Translators: the subject of a test mail; %s is the real subject */
  subject = g_strdup_printf (_("[Test] %s"), ob_template_get_subject (template));
  ob_template_set_subject (copy, subject);
  values = sample_values (self);
  message = ob_message_composer_compose (composer, copy, values, &error);
  if (message == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not sent: %s"), error->message);
      adw_action_row_set_subtitle (self->test_row, text);
      set_test_icon (self, CHECK_ERROR);
      return;
    }
  bytes = ob_message_composer_to_bytes (message);
  g_object_unref (message);

  if (self->transport == NULL)
    self->transport = ob_mail_transport_new (self->store);
  recipients[0] = ob_account_get_email (account);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  adw_action_row_set_subtitle (self->test_row, _("Sending…"));
  ob_send_transport_send_async (OB_SEND_TRANSPORT (self->transport), ob_account_get_id (account),
                                ob_account_get_email (account), recipients, bytes,
                                self->cancellable, test_sent_cb, g_object_ref (self));
}

/* ---- navigation ------------------------------------------------------- */

static gboolean
step_complete (ObCampaignAssistant *self,
               int                  step)
{
  switch (step)
    {
    case 0:
      {
        g_autoptr(GPtrArray) accounts = chosen_accounts (self);
        g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
        return accounts->len > 0 && *name != '\0';
      }
    case 1:
      return self->segment_valid && self->count_source == 0;
    case 2:
      if (self->step_rows->len == 0)
        return FALSE;
      for (guint i = 0; i < self->step_rows->len; i++)
        if (step_template (self, i) == NULL)
          return FALSE;
      return TRUE;
    case 3:
      {
        ObPacing pacing;
        ObSendWindow window;

        read_pacing (self, &pacing);
        read_window (self, &window);
        return ob_pacing_is_valid (&pacing) && ob_send_window_is_valid (&window);
      }
    default:
      return TRUE;
    }
}

static void
update_nav (ObCampaignAssistant *self)
{
  int step = current_step (self);
  g_autofree char *label = NULL;
  gboolean review = step == (int) G_N_ELEMENTS (step_ids) - 1;

  /* Translators: "Step 2 of 5: Audience" */
  label = g_strdup_printf (_("Step %d of %d: %s"), step + 1, (int) G_N_ELEMENTS (step_ids),
                           _(step_titles[step]));
  adw_window_title_set_subtitle (self->window_title, label);
  gtk_label_set_label (self->step_label, label);

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
    build_review (self);
  gtk_widget_set_visible (GTK_WIDGET (self->create_error), FALSE);
  gtk_stack_set_visible_child_name (self->step_stack, step_ids[step]);
  update_nav (self);
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
  g_autoptr(GPtrArray) accounts = chosen_accounts (self);
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
      StepRow *sr = self->step_rows->pdata[i];
      ob_campaign_settings_add_step (settings, ob_template_get_id (step_template (self, i)),
                                     sr->days ? gtk_spin_button_get_value_as_int (sr->days) : 0);
    }
  if (self->segment != NULL)
    settings->segment_json = ob_segment_to_json (self->segment);
  settings->start_at = start_time (self);
  read_window (self, &settings->window);
  read_pacing (self, &settings->pacing);

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
  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (on_test_clicked_cb), self);
  g_signal_connect_swapped (self->add_followup_button, "clicked", G_CALLBACK (add_step_row), self);
  g_signal_connect_swapped (self->confirm_check, "toggled", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_changed_cb), self);
  g_signal_connect_swapped (self->segment_check, "toggled", G_CALLBACK (update_audience), self);
  g_signal_connect_swapped (self->segment_row, "changed", G_CALLBACK (update_audience), self);
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
  load_accounts (self);
  load_templates (self);
  setup_schedule (self);
  update_audience (self);
  update_nav (self);
  return self;
}

const char *
ob_campaign_assistant_get_step (ObCampaignAssistant *self)
{
  g_return_val_if_fail (OB_IS_CAMPAIGN_ASSISTANT (self), NULL);

  return gtk_stack_get_visible_child_name (self->step_stack);
}
