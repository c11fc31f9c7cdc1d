/* ob-campaign-assistant-private.h — the campaign assistant's instance
 * struct and the functions shared by the files it is made of: the window
 * and its navigation (ob-campaign-assistant.c), the accounts and audience
 * (ob-campaign-assistant-audience.c), the sequence of mails
 * (ob-campaign-assistant-sequence.c), the schedule and pace
 * (ob-campaign-assistant-schedule.c) and the review with its test mail
 * (ob-campaign-assistant-review.c).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-campaign-assistant.h"
#include "ob-mail-transport.h"
#include "ob-pacing.h"
#include "ob-segment.h"
#include "ob-store.h"
#include "ob-template.h"
#include "ob-template-linter.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWidget     *row;       /* AdwComboRow */
  GtkSpinButton *days;      /* NULL for the first mail */
} ObCampaignAssistantStepRow;

struct _ObCampaignAssistant
{
  AdwWindow          parent_instance;

  ObStore           *store;
  GPtrArray         *accounts;       /* ObAccount */
  GPtrArray         *account_checks; /* GtkCheckButton, parallel */
  GPtrArray         *templates;      /* ObTemplate */
  GtkStringList     *template_names;
  GPtrArray         *step_rows;      /* ObCampaignAssistantStepRow */
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

/* ob-campaign-assistant.c */

/* Whether each step is complete, and the buttons and title as they are. */
void        _ob_campaign_assistant_update_nav         (ObCampaignAssistant *self);
/* A change on any step: update_nav() for a signal connected swapped. */
void        _ob_campaign_assistant_on_changed_cb      (ObCampaignAssistant *self);
/* Closes the assistant and shows @page ("accounts", "templates"…) of the
 * window it belongs to. */
void        _ob_campaign_assistant_go_to_page         (ObCampaignAssistant *self,
                                                       const char          *page);

/* ob-campaign-assistant-audience.c */

/* The accounts ticked, in list order (the rotation order). */
GPtrArray  *_ob_campaign_assistant_chosen_accounts    (ObCampaignAssistant *self);
/* Lists the accounts, the first one ticked. */
void        _ob_campaign_assistant_load_accounts      (ObCampaignAssistant *self);
/* Reads the audience's segment and counts its contacts after a pause. */
void        _ob_campaign_assistant_update_audience    (ObCampaignAssistant *self);

/* ob-campaign-assistant-sequence.c */

/* The template chosen for @step (0 = the first mail), or NULL. */
ObTemplate *_ob_campaign_assistant_step_template      (ObCampaignAssistant *self,
                                                       guint                step);
/* The lint findings (ObLintFinding) of @template, cached; owned by the
 * assistant. */
GPtrArray  *_ob_campaign_assistant_lint_template      (ObCampaignAssistant *self,
                                                       ObTemplate          *template,
                                                       gboolean             first);
void        _ob_campaign_assistant_count_findings     (GPtrArray           *findings,
                                                       guint               *errors,
                                                       guint               *warnings);
/* "Score 8.5 of 10 · 1 error · 2 warnings" */
char       *_ob_campaign_assistant_lint_summary       (GPtrArray           *findings);
/* Adds a follow-up (the first mail when there is none). */
void        _ob_campaign_assistant_add_step_row       (ObCampaignAssistant *self);
/* Lists the templates and adds the first mail's row. */
void        _ob_campaign_assistant_load_templates     (ObCampaignAssistant *self);

/* ob-campaign-assistant-schedule.c */

void        _ob_campaign_assistant_read_pacing        (ObCampaignAssistant *self,
                                                       ObPacing            *pacing);
void        _ob_campaign_assistant_read_window        (ObCampaignAssistant *self,
                                                       ObSendWindow        *window);
/* The chosen start (Unix time), 0 for now. */
gint64      _ob_campaign_assistant_start_time         (ObCampaignAssistant *self);
/* Fills the schedule and pace step with the defaults and the presets. */
void        _ob_campaign_assistant_setup_schedule     (ObCampaignAssistant *self);

/* ob-campaign-assistant-review.c */

/* Checks everything again and lists the outcome on the review step. */
void        _ob_campaign_assistant_build_review       (ObCampaignAssistant *self);
/* Sends the first mail, merged with a sample contact, to the first
 * account's own address. */
void        _ob_campaign_assistant_on_test_clicked_cb (ObCampaignAssistant *self);

G_END_DECLS
