/* ob-campaigns-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-campaigns-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-campaign-assistant.h"
#include "ob-campaign.h"
#include "ob-application.h"
#include "ob-campaigns-page.h"
#include "ob-ui-words.h"
#include "ob-window.h"

/* The Campaigns page: the campaigns with their state and progress on the
 * left, the chosen one's figures, controls, next mails and activity on the
 * right; an empty state until there is one. The engine may run in another
 * process (outbound-cli campaign run), so while the page is on screen it
 * reads the database again every few seconds. */

#define REFRESH_S        4
#define UPCOMING_SHOWN   20
#define ACTIVITY_SHOWN   40

typedef enum
{
  FIGURE_QUEUED,
  FIGURE_SENT,
  FIGURE_HARD,
  FIGURE_SOFT,
  FIGURE_REPLIES,
  FIGURE_SUPPRESSED,
  FIGURE_UNCERTAIN,
  FIGURE_BOUNCE_RATE,
  N_FIGURES
} Figure;

static const struct
{
  const char *id;
  const char *caption;
} figures[N_FIGURES] = {
  { "figure-queued", N_("Queued") },
  { "figure-sent", N_("Sent") },
  { "figure-hard", N_("Hard bounces") },
  { "figure-soft", N_("Soft bounces") },
  { "figure-replies", N_("Replies") },
  { "figure-suppressed", N_("Suppressed") },
  { "figure-uncertain", N_("Uncertain") },
  { "figure-bounce-rate", N_("Bounce rate") },
};

struct _ObCampaignsPage
{
  AdwBin          parent_instance;

  ObStore        *store;
  GPtrArray      *campaigns;   /* ObCampaignSummary, in list order */
  gint64          selected_id;
  gboolean        reloading;
  guint           refresh_source;
  char           *list_sig;    /* what the list shows, to skip rebuilding it */
  char           *detail_sig;  /* the same for the detail's lists */
  GtkLabel       *figure_values[N_FIGURES];

  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  AdwLeaflet     *leaflet;
  GtkWidget      *list_pane;
  GtkWidget      *detail_pane;
  GtkListBox     *campaign_list;
  GtkLabel       *name_label;
  GtkLabel       *state_label;
  GtkProgressBar *progress_bar;
  GtkWidget      *paused_box;
  GtkWidget      *held_box;
  GtkWidget      *list_button;
  GtkLabel       *held_reason;
  GtkLabel       *paused_reason;
  GtkWidget      *start_button;
  GtkWidget      *pause_button;
  GtkWidget      *resume_button;
  GtkWidget      *stop_button;
  GtkFlowBox     *figures_box;
  GtkWidget      *uncertain_group;
  GtkListBox     *uncertain_list;
  GtkListBox     *upcoming_list;
  GtkListBox     *activity_list;
};

G_DEFINE_FINAL_TYPE (ObCampaignsPage, ob_campaigns_page, ADW_TYPE_BIN)

static void reload (ObCampaignsPage *self);

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static const char *
state_name (ObCampaignState state)
{
  switch (state)
    {
    case OB_CAMPAIGN_DRAFT:
      return _("Draft");
    case OB_CAMPAIGN_SCHEDULED:
      return _("Scheduled");
    case OB_CAMPAIGN_RUNNING:
      return _("Running");
    case OB_CAMPAIGN_PAUSED:
      return _("Paused");
    case OB_CAMPAIGN_DONE:
      return _("Done");
    case OB_CAMPAIGN_STOPPED:
      return _("Stopped");
    default:
      return "";
    }
}

static void
toast (ObCampaignsPage *self,
       const char      *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (OB_IS_WINDOW (root))
    ob_window_add_toast (OB_WINDOW (root), adw_toast_new (text));
}

static void
show_error (ObCampaignsPage *self,
            const char      *heading,
            const char      *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* "Tue 3 Mar, 09:12 (UTC−05:00)": a moment as the recipient lives it. */
static char *
format_local (const char *iso,
              gint64      fallback)
{
  g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  if (dt == NULL)
    dt = g_date_time_new_from_unix_local (fallback);
  if (dt == NULL)
    return g_strdup ("");
  /* Translators: a date and time with the recipient's UTC offset; see g_date_time_format() */
  return g_date_time_format (dt, _("%a %e %b, %H:%M (UTC%:z)"));
}

static char *
format_step (int step)
{
  if (step <= 1)
    return g_strdup (_("first mail"));
  return g_strdup_printf (_("follow-up %d"), step - 1);
}

/* ---- list ------------------------------------------------------------- */

static GtkWidget *
campaign_row_new (const ObCampaignSummary *s)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *name = gtk_label_new (s->name);
  g_autofree char *text = g_strdup_printf (_("%s · %d of %d sent"), state_name (s->state), s->sent, s->total);
  GtkWidget *sub = gtk_label_new (text);
  GtkWidget *bar = gtk_progress_bar_new ();
  g_autofree char *a11y = g_strdup_printf ("%s, %s", s->name, text);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_set_name (sub, "row_state");
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  if (s->state == OB_CAMPAIGN_PAUSED)
    gtk_widget_add_css_class (sub, "warning");
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), s->total > 0 ? (double) s->sent / s->total : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

static const ObCampaignSummary *
selected_summary (ObCampaignsPage *self)
{
  for (guint i = 0; self->campaigns != NULL && i < self->campaigns->len; i++)
    {
      const ObCampaignSummary *s = self->campaigns->pdata[i];
      if (s->id == self->selected_id)
        return s;
    }
  return NULL;
}

/* ---- detail ----------------------------------------------------------- */

static void
set_figure (ObCampaignsPage *self,
            Figure           figure,
            int              value)
{
  g_autofree char *text = g_strdup_printf ("%'d", value);
  gtk_label_set_label (self->figure_values[figure], text);
}

static void uncertain_decide (ObCampaignsPage *self, gint64 queue_id, ObUncertainResolution resolution);

static void
uncertain_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       ObCampaignsPage  *self)
{
  gint64 queue_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "queue-id"));

  if (g_str_equal (response, "resend"))
    uncertain_decide (self, queue_id, OB_UNCERTAIN_RESEND);
  else if (g_str_equal (response, "mark-sent"))
    uncertain_decide (self, queue_id, OB_UNCERTAIN_MARK_SENT);
}

static void
uncertain_decide (ObCampaignsPage       *self,
                  gint64                 queue_id,
                  ObUncertainResolution  resolution)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (!ob_campaign_resolve_uncertain (self->store, queue_id, resolution, now_unix (), &error))
    {
      show_error (self, _("Nothing Was Changed"), error->message);
      return;
    }
  toast (self, resolution == OB_UNCERTAIN_RESEND ? _("It will be sent again") : _("Counted as sent"));
  ob_application_campaigns_changed ();
  reload (self);
}

static void
on_uncertain_clicked_cb (GtkButton       *button,
                         ObCampaignsPage *self)
{
  gboolean resend = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "resend"));
  const char *contact = g_object_get_data (G_OBJECT (button), "contact");
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (resend)
    {
      body = g_strdup_printf (_("If the first attempt did reach %s, they get the same mail twice, which "
                                "looks careless and can get you reported as spam. Look in your Sent "
                                "folder first: if the mail is there, choose Mark as Sent instead."),
                              contact);
      dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       _("Send It Again?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"), "resend", _("_Send Again"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "resend",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      body = g_strdup_printf (_("Only if you found it in your Sent folder: if it did not go, %s never "
                                "gets this mail, and the next follow-up goes as if it had."),
                              contact);
      dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       _("Count It as Sent?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"), "mark-sent", _("_Mark as Sent"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mark-sent",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "queue-id", g_object_get_data (G_OBJECT (button), "queue-id"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (uncertain_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
uncertain_button_new (ObCampaignsPage *self,
                      const char      *label,
                      const char      *name,
                      gboolean         resend,
                      gint64           queue_id,
                      const char      *contact)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "resend", GINT_TO_POINTER (resend));
  g_object_set_data (G_OBJECT (button), "queue-id", GSIZE_TO_POINTER ((gsize) queue_id));
  g_object_set_data_full (G_OBJECT (button), "contact", g_strdup (contact), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_uncertain_clicked_cb), self);
  return button;
}

static void
show_log (ObCampaignsPage *self,
          GPtrArray       *log)
{
  g_autoptr(GHashTable) last = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint shown = 0, uncertain = 0;

  clear_list (self->uncertain_list);
  clear_list (self->activity_list);

  /* A queue row is still undecided when its last event says so. */
  for (guint i = 0; i < log->len; i++)
    {
      ObCampaignLogEntry *e = log->pdata[i];
      if (e->queue_id > 0)
        g_hash_table_insert (last, &e->queue_id, e);
    }
  for (guint i = 0; i < log->len; i++)
    {
      ObCampaignLogEntry *e = log->pdata[i];
      GtkWidget *row, *box;
      g_autofree char *title = NULL;
      g_autofree char *step = NULL;
      g_autofree char *when = NULL;

      if (e->queue_id <= 0 || g_strcmp0 (e->event, "uncertain") != 0 ||
          g_hash_table_lookup (last, &e->queue_id) != e)
        continue;
      step = format_step (e->step);
      when = format_local (e->local_time, e->at);
      title = g_markup_printf_escaped ("%s · %s", e->contact ? e->contact : "?", step);
      row = adw_action_row_new ();
      gtk_widget_set_name (row, "uncertain-row");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      {
        g_autofree char *sub = g_markup_printf_escaped (_("Being sent at %s"), when);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      }
      /* Stacked, so the address keeps its room in a narrow window. */
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), uncertain_button_new (self, _("Send _Again…"), "resend-button", TRUE,
                                                           e->queue_id, e->contact));
      gtk_box_append (GTK_BOX (box), uncertain_button_new (self, _("_Mark as Sent…"), "mark-sent-button", FALSE,
                                                           e->queue_id, e->contact));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      gtk_list_box_append (self->uncertain_list, row);
      uncertain++;
    }
  gtk_widget_set_visible (self->uncertain_group, uncertain > 0);

  /* Newest first. */
  for (guint i = log->len; i > 0 && shown < ACTIVITY_SHOWN; i--, shown++)
    {
      ObCampaignLogEntry *e = log->pdata[i - 1];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_local (e->local_time, e->at);
      g_autofree char *title = NULL;
      g_autoptr(GString) sub = g_string_new (when);

      if (e->contact != NULL)
        {
          g_autofree char *step = format_step (e->step);
          title = g_markup_printf_escaped ("%s · %s · %s", ob_ui_words_for_event (e->event), e->contact, step);
        }
      else
        title = g_markup_escape_text (ob_ui_words_for_event (e->event), -1);
      /* The server's words matter when a mail did not go; for one that
       * went, "250 2.0.0 OK: queued" is jargon, kept for who hovers. */
      if (e->reply != NULL && *e->reply != '\0' && g_strcmp0 (e->event, "sent") == 0)
        gtk_widget_set_tooltip_text (row, e->reply);
      else if (e->reply != NULL && *e->reply != '\0')
        {
          g_autofree char *reply = g_markup_escape_text (e->reply, -1);
          g_string_append_printf (sub, "\n%s", reply);
        }
      if (e->detail != NULL && *e->detail != '\0')
        {
          g_autofree char *detail = g_markup_escape_text (e->detail, -1);
          g_string_append_printf (sub, "\n%s", detail);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      gtk_list_box_append (self->activity_list, row);
    }
  if (log->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing has happened yet"));
      gtk_list_box_append (self->activity_list, row);
    }
}

static void
show_upcoming (ObCampaignsPage *self,
               GPtrArray       *upcoming)
{
  clear_list (self->upcoming_list);
  for (guint i = 0; i < upcoming->len; i++)
    {
      ObCampaignUpcoming *u = upcoming->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_local (u->local_time, u->at);
      g_autofree char *step = format_step (u->step);
      g_autofree char *title = g_markup_escape_text (u->contact ? u->contact : "?", -1);
      g_autofree char *sub = g_markup_printf_escaped ("%s · %s", when, step);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      gtk_list_box_append (self->upcoming_list, row);
    }
  if (upcoming->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No mail is waiting to go"));
      gtk_list_box_append (self->upcoming_list, row);
    }
}

static void
show_detail (ObCampaignsPage *self)
{
  const ObCampaignSummary *summary = selected_summary (self);
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) upcoming = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_text = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *progress = NULL;
  g_autoptr(GString) sig = NULL;
  ObCampaignState state;
  GtkWidget *rate_label;

  if (summary == NULL || self->store == NULL)
    return;
  status = ob_campaign_get_status (self->store, summary->id, &error);
  if (status == NULL)
    {
      g_warning ("Cannot read campaign %" G_GINT64_FORMAT ": %s", summary->id, error->message);
      return;
    }
  state = status->state;

  gtk_label_set_label (self->name_label, summary->name);
  progress = g_strdup_printf (_("%d of %d sent"), summary->sent, summary->total);
  state_text = g_strdup_printf ("%s · %s", state_name (state), progress);
  gtk_label_set_label (self->state_label, state_text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 summary->total > 0 ? (double) summary->sent / summary->total : 0.0);

  gtk_widget_set_visible (self->paused_box, state == OB_CAMPAIGN_PAUSED);
  gtk_label_set_label (self->paused_reason, status->paused_reason ? status->paused_reason
                                                                  : _("Paused by you"));
  /* Paused with bounces ("Clean the list before you resume", when the
   * bounce guard paused it): the way to the list is in the banner. */
  gtk_widget_set_visible (self->list_button, status->hard_bounces > 0);

  gtk_widget_set_visible (self->start_button, state == OB_CAMPAIGN_DRAFT);
  gtk_widget_set_visible (self->pause_button, state == OB_CAMPAIGN_RUNNING || state == OB_CAMPAIGN_SCHEDULED);
  gtk_widget_set_visible (self->stop_button, state != OB_CAMPAIGN_DONE && state != OB_CAMPAIGN_STOPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.start", state == OB_CAMPAIGN_DRAFT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.pause",
                                 state == OB_CAMPAIGN_RUNNING || state == OB_CAMPAIGN_SCHEDULED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.resume", state == OB_CAMPAIGN_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.stop",
                                 state != OB_CAMPAIGN_DONE && state != OB_CAMPAIGN_STOPPED);

  set_figure (self, FIGURE_QUEUED, status->queued);
  set_figure (self, FIGURE_SENT, status->sent);
  set_figure (self, FIGURE_HARD, status->hard_bounces);
  set_figure (self, FIGURE_SOFT, status->soft_bounces);
  set_figure (self, FIGURE_REPLIES, status->replies);
  set_figure (self, FIGURE_SUPPRESSED, status->suppressed);
  set_figure (self, FIGURE_UNCERTAIN, status->uncertain);
  rate = g_strdup_printf ("%.1f %%", status->bounce_rate * 100.0);
  rate_label = GTK_WIDGET (self->figure_values[FIGURE_BOUNCE_RATE]);
  gtk_label_set_label (GTK_LABEL (rate_label), rate);
  /* The engine warns at 2 % and pauses the campaign at 5 %. */
  gtk_widget_remove_css_class (rate_label, "warning");
  gtk_widget_remove_css_class (rate_label, "error");
  gtk_widget_remove_css_class (rate_label, "success");
  if (status->bounce_rate >= 0.05)
    gtk_widget_add_css_class (rate_label, "error");
  else if (status->bounce_rate >= 0.02)
    gtk_widget_add_css_class (rate_label, "warning");
  else if (status->sent > 0)
    gtk_widget_add_css_class (rate_label, "success");
  gtk_widget_set_visible (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->figure_values[FIGURE_UNCERTAIN]))),
                          status->uncertain > 0);

  /* Paused, the next mails wait for Resume: the list says so rather than
   * when each "may go". */
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (GTK_WIDGET (self->upcoming_list),
                                                                                         ADW_TYPE_PREFERENCES_GROUP)),
                                         state == OB_CAMPAIGN_PAUSED
                                         ? _("None goes while the campaign is paused. Once resumed, each goes at "
                                             "the earliest at this time, in the recipient’s own local time.")
                                         : _("When each one may go, in the recipient’s own local time."));

  log = ob_campaign_get_log (self->store, summary->id, &error);
  if (log == NULL)
    {
      g_warning ("Cannot read the campaign log: %s", error->message);
      return;
    }
  /* Running, but the last try failed and nothing went since (the server
   * cannot be reached, the password was refused): said at the top, with
   * the way to the account, not only deep in Recent Activity. */
  {
    ObCampaignLogEntry *last = log->len > 0 ? log->pdata[log->len - 1] : NULL;
    gboolean held = (state == OB_CAMPAIGN_RUNNING || state == OB_CAMPAIGN_SCHEDULED) &&
                    last != NULL && g_strcmp0 (last->event, "retry") == 0;

    gtk_widget_set_visible (self->held_box, held);
    if (held)
      {
        const char *why = last->detail != NULL && *last->detail != '\0' ? last->detail : last->reply;
        g_autofree char *text = g_strdup_printf (_("%s Outbound tries again by itself; the campaign goes on "
                                                   "once the account works."),
                                                 why != NULL ? why : "");

        gtk_label_set_label (self->held_reason, g_strstrip (text));
      }
  }

  upcoming = ob_campaign_get_upcoming (self->store, summary->id, now_unix (), UPCOMING_SHOWN, &error);
  if (upcoming == NULL)
    {
      g_warning ("Cannot read the next mails: %s", error->message);
      return;
    }

  /* The periodic refresh rebuilds the rows only when something changed,
   * so focus and scrolling stay where the user left them. */
  sig = g_string_new (NULL);
  g_string_append_printf (sig, "%" G_GINT64_FORMAT ":%u", summary->id, log->len);
  for (guint i = 0; i < upcoming->len; i++)
    {
      ObCampaignUpcoming *u = upcoming->pdata[i];
      g_string_append_printf (sig, ",%" G_GINT64_FORMAT "@%" G_GINT64_FORMAT, u->queue_id, u->at);
    }
  if (g_strcmp0 (sig->str, self->detail_sig) == 0)
    return;
  g_free (self->detail_sig);
  self->detail_sig = g_strdup (sig->str);
  show_log (self, log);
  show_upcoming (self, upcoming);
}

static void
reload_select (ObCampaignsPage *self,
               gint64           select_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GString) sig = NULL;
  GtkListBoxRow *select = NULL;

  if (self->store == NULL)
    return;
  campaigns = ob_campaign_list (self->store, &error);
  if (campaigns == NULL)
    {
      g_warning ("Cannot list campaigns: %s", error->message);
      return;
    }

  sig = g_string_new (NULL);
  for (guint i = 0; i < campaigns->len; i++)
    {
      const ObCampaignSummary *s = campaigns->pdata[i];
      g_string_append_printf (sig, "%" G_GINT64_FORMAT ":%s:%d:%d:%d;", s->id, s->name, s->state, s->sent, s->total);
    }
  if (g_strcmp0 (sig->str, self->list_sig) == 0 && select_id == self->selected_id)
    {
      show_detail (self);
      return;
    }
  g_free (self->list_sig);
  self->list_sig = g_strdup (sig->str);

  self->reloading = TRUE;
  clear_list (self->campaign_list);
  for (guint i = 0; i < campaigns->len; i++)
    {
      const ObCampaignSummary *s = campaigns->pdata[i];
      GtkWidget *row = campaign_row_new (s);

      gtk_list_box_append (self->campaign_list, row);
      if (select == NULL || s->id == select_id)
        select = GTK_LIST_BOX_ROW (row);
    }
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  self->campaigns = g_steal_pointer (&campaigns);
  gtk_stack_set_visible_child_name (self->stack, self->campaigns->len ? "campaigns" : "empty");
  if (select != NULL)
    {
      gtk_list_box_select_row (self->campaign_list, select);
      self->selected_id = ((ObCampaignSummary *) self->campaigns->pdata[gtk_list_box_row_get_index (select)])->id;
    }
  self->reloading = FALSE;
  show_detail (self);
}

static void
reload (ObCampaignsPage *self)
{
  reload_select (self, self->selected_id);
}

static void
on_row_selected_cb (ObCampaignsPage *self,
                    GtkListBoxRow   *row)
{
  int index;

  if (row == NULL || self->reloading || self->campaigns == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint) index >= self->campaigns->len)
    return;
  self->selected_id = ((ObCampaignSummary *) self->campaigns->pdata[index])->id;
  show_detail (self);
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

/* Activating the chosen row again (narrow window) shows its detail. */
static void
on_row_activated_cb (ObCampaignsPage *self,
                     GtkListBoxRow   *row)
{
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

static void
on_back_clicked_cb (ObCampaignsPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* ---- actions ---------------------------------------------------------- */

static void
on_created_cb (ObCampaignAssistant *assistant,
               gint64               id,
               const char          *start_error,
               ObCampaignsPage     *self)
{
  reload_select (self, id);
  if (start_error != NULL)
    show_error (self, _("The Campaign Was Created but Not Started"), start_error);
  else
    toast (self, _("Campaign created"));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (widget);
  ObCampaignAssistant *assistant;

  if (self->store == NULL)
    return;
  assistant = ob_campaign_assistant_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store);
  g_signal_connect_object (assistant, "created", G_CALLBACK (on_created_cb), self, 0);
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ObCampaignsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ob_campaign_start_finish (OB_STORE (object), result, &error))
    show_error (self, _("Nothing Was Changed"), error->message);
  else
    ob_application_campaigns_changed ();
  reload (self);
}

static void
change (ObCampaignsPage *self,
        int              what)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;
  gint64 now = now_unix ();

  if (self->store == NULL || self->selected_id <= 0)
    return;
  switch (what)
    {
    case 0:
      /* Queueing a large audience takes seconds: in a worker thread. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.start", FALSE);
      ob_campaign_start_async (self->store, self->selected_id, now, NULL, started_cb, g_object_ref (self));
      return;
    case 1:
      ok = ob_campaign_pause (self->store, self->selected_id, NULL, now, &error);
      break;
    case 2:
      ok = ob_campaign_resume (self->store, self->selected_id, now, &error);
      break;
    default:
      ok = ob_campaign_stop (self->store, self->selected_id, now, &error);
      break;
    }
  if (!ok)
    show_error (self, _("Nothing Was Changed"), error->message);
  else
    ob_application_campaigns_changed ();
  reload (self);
}

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  change (OB_CAMPAIGNS_PAGE (widget), 0);
}

static void
pause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  change (OB_CAMPAIGNS_PAGE (widget), 1);
}

static void
resume_action (GtkWidget *widget, const char *name, GVariant *param)
{
  change (OB_CAMPAIGNS_PAGE (widget), 2);
}

static void
stop_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  ObCampaignsPage  *self)
{
  if (g_str_equal (response, "stop"))
    change (self, 3);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (widget);
  const ObCampaignSummary *s = selected_summary (self);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (s == NULL)
    return;
  heading = g_strdup_printf (_("Stop “%s”?"), s->name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The mails not sent yet are dropped, and a stopped campaign cannot "
                                     "be started again. To take a break, pause it instead."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "stop", _("_Stop Campaign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (stop_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  reload (OB_CAMPAIGNS_PAGE (widget));
}

static gboolean
refresh_cb (gpointer user_data)
{
  reload (OB_CAMPAIGNS_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

/* ---- GObject ---------------------------------------------------------- */

static void
ob_campaigns_page_realize (GtkWidget *widget)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (ob_campaigns_page_parent_class)->realize (widget);

  root = gtk_widget_get_root (widget);
  if (self->store == NULL && OB_IS_WINDOW (root) && ob_window_get_store (OB_WINDOW (root)))
    {
      self->store = g_object_ref (ob_window_get_store (OB_WINDOW (root)));
      reload (self);
    }
}

static void
ob_campaigns_page_map (GtkWidget *widget)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (widget);

  GTK_WIDGET_CLASS (ob_campaigns_page_parent_class)->map (widget);
  reload (self);
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_seconds (REFRESH_S, refresh_cb, self);
}

static void
ob_campaigns_page_unmap (GtkWidget *widget)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (widget);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  GTK_WIDGET_CLASS (ob_campaigns_page_parent_class)->unmap (widget);
}

static void
ob_campaigns_page_dispose (GObject *object)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);

  G_OBJECT_CLASS (ob_campaigns_page_parent_class)->dispose (object);
}

static void
ob_campaigns_page_finalize (GObject *object)
{
  ObCampaignsPage *self = OB_CAMPAIGNS_PAGE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  g_clear_pointer (&self->list_sig, g_free);
  g_clear_pointer (&self->detail_sig, g_free);

  G_OBJECT_CLASS (ob_campaigns_page_parent_class)->finalize (object);
}

static void
ob_campaigns_page_class_init (ObCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_campaigns_page_dispose;
  object_class->finalize = ob_campaigns_page_finalize;
  widget_class->realize = ob_campaigns_page_realize;
  widget_class->map = ob_campaigns_page_map;
  widget_class->unmap = ob_campaigns_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ob-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, campaign_list);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, paused_box);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, held_box);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, list_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, held_reason);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, paused_reason);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, uncertain_group);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, uncertain_list);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, upcoming_list);
  gtk_widget_class_bind_template_child (widget_class, ObCampaignsPage, activity_list);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "campaigns.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "campaigns.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "campaigns.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "campaigns.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "campaigns.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "campaigns.refresh", NULL, refresh_action);
}

static void
ob_campaigns_page_init (ObCampaignsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value = gtk_label_new ("0");
      GtkWidget *caption = gtk_label_new (_(figures[i].caption));

      gtk_widget_add_css_class (box, "card");
      gtk_widget_set_name (value, figures[i].id);
      gtk_widget_add_css_class (value, "title-2");
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_set_margin_top (value, 8);
      gtk_widget_set_margin_bottom (caption, 8);
      gtk_widget_set_margin_start (caption, 4);
      gtk_widget_set_margin_end (caption, 4);
      gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_flow_box_append (self->figures_box, box);
      self->figure_values[i] = GTK_LABEL (value);
    }

  g_signal_connect_swapped (self->campaign_list, "row-selected", G_CALLBACK (on_row_selected_cb), self);
  g_signal_connect_swapped (self->campaign_list, "row-activated", G_CALLBACK (on_row_activated_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.start", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.pause", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.resume", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "campaigns.stop", FALSE);
}

GtkWidget *
ob_campaigns_page_new (void)
{
  return g_object_new (OB_TYPE_CAMPAIGNS_PAGE, NULL);
}
