/* ob-campaign-assistant-review.c — the campaign assistant's last step: the
 * pre-flight checklist (domains, templates, audience, when it would
 * finish), whose errors block the start and whose warnings need the
 * user's word, and the test mail sent from the same page. Part of
 * ObCampaignAssistant (struct in ob-campaign-assistant-private.h).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-campaign-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-account.h"
#include "ob-campaign-assistant.h"
#include "ob-campaign-assistant-private.h"
#include "ob-contacts.h"
#include "ob-domain-check-store.h"
#include "ob-mail-transport.h"
#include "ob-message-composer.h"
#include "ob-pacing.h"
#include "ob-reports.h"
#include "ob-segment.h"
#include "ob-template-linter.h"
#include "ob-template.h"

typedef enum
{
  CHECK_OK,
  CHECK_INFO,
  CHECK_WARNING,
  CHECK_ERROR,
} CheckLevel;

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
  _ob_campaign_assistant_go_to_page (self, "domain-health");
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
          button = gtk_button_new_with_mnemonic (_("Check _Domain"));
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
        {
          GtkWidget *row = add_check (self, id, level, title, subtitle);

          /* A red item blocks the start: the way to what to change is a
           * button here, as for a domain never checked. */
          if (level != CHECK_OK)
            {
              GtkWidget *button = gtk_button_new_with_mnemonic (_("Show Domain _Health"));

              gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
              gtk_widget_set_name (button, "check-domain-button");
              g_signal_connect (button, "clicked", G_CALLBACK (on_check_domain_clicked_cb), self);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
            }
        }
      }
    }
}

static void
review_lint (ObCampaignAssistant *self)
{
  for (guint i = 0; i < self->step_rows->len; i++)
    {
      ObTemplate *template = _ob_campaign_assistant_step_template (self, i);
      g_autofree char *id = g_strdup_printf ("check-lint-%u", i + 1);
      g_autofree char *step = i == 0 ? g_strdup (_("First mail")) : g_strdup_printf (_("Follow-up %u"), i);
      g_autofree char *title = NULL;
      g_autofree char *summary = NULL;
      const char *first_error = NULL, *first_warning = NULL;
      GPtrArray *findings;
      guint errors, warnings;

      if (template == NULL)
        continue;
      findings = _ob_campaign_assistant_lint_template (self, template, i == 0);
      _ob_campaign_assistant_count_findings (findings, &errors, &warnings);
      for (guint k = 0; k < findings->len; k++)
        {
          const ObLintFinding *f = findings->pdata[k];
          if (f->severity == OB_LINT_SEVERITY_ERROR && first_error == NULL)
            first_error = f->message;
          else if (f->severity == OB_LINT_SEVERITY_WARNING && first_warning == NULL)
            first_warning = f->message;
        }
      summary = _ob_campaign_assistant_lint_summary (findings);
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

static void
review_finish (ObCampaignAssistant *self,
               GPtrArray           *accounts)
{
  ObPacing pacing;
  ObSendWindow window;
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (int));
  gint64 start = _ob_campaign_assistant_start_time (self);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int limit = G_MAXINT;
  gint64 finish;

  _ob_campaign_assistant_read_pacing (self, &pacing);
  _ob_campaign_assistant_read_window (self, &window);
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
      int d = gtk_spin_button_get_value_as_int (((ObCampaignAssistantStepRow *) self->step_rows->pdata[i])->days);
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

void
_ob_campaign_assistant_build_review (ObCampaignAssistant *self)
{
  g_autoptr(GPtrArray) accounts = _ob_campaign_assistant_chosen_accounts (self);
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

void
_ob_campaign_assistant_on_test_clicked_cb (ObCampaignAssistant *self)
{
  g_autoptr(GPtrArray) accounts = _ob_campaign_assistant_chosen_accounts (self);
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

  if (accounts->len == 0 || self->step_rows->len == 0 ||
      (template = _ob_campaign_assistant_step_template (self, 0)) == NULL)
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
