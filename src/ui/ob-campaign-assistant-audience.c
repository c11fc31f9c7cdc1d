/* ob-campaign-assistant-audience.c — the first two steps of the campaign
 * assistant: the accounts it sends from and the contacts it goes to, with
 * the counts of who would receive it, who is skipped and why. Part of
 * ObCampaignAssistant (struct in ob-campaign-assistant-private.h); who
 * counts as a receiver is decided here, beside the labels that show it.
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
#include "ob-segment.h"

#define COUNT_DELAY_MS 300

/* ---- account ---------------------------------------------------------- */

/* The accounts ticked, in list order (the rotation order). */
GPtrArray *
_ob_campaign_assistant_chosen_accounts (ObCampaignAssistant *self)
{
  GPtrArray *chosen = g_ptr_array_new ();

  for (guint i = 0; i < self->account_checks->len; i++)
    if (gtk_check_button_get_active (self->account_checks->pdata[i]))
      g_ptr_array_add (chosen, self->accounts->pdata[i]);
  return chosen;
}

static void
on_add_account_clicked_cb (GtkButton           *button,
                           ObCampaignAssistant *self)
{
  _ob_campaign_assistant_go_to_page (self, "accounts");
}

void
_ob_campaign_assistant_load_accounts (ObCampaignAssistant *self)
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
      g_signal_connect_swapped (check, "toggled",
                                G_CALLBACK (_ob_campaign_assistant_on_changed_cb), self);
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
            const char * const  *verdicts,
            gboolean             mailboxes)
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
  if (!(mailboxes ? ob_contacts_count_mailboxes : ob_contacts_count) (self->store, s, &count, &error))
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
  g_autofree char *text = g_strdup_printf ("%'u", count);
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
      _ob_campaign_assistant_update_nav (self);
      return G_SOURCE_REMOVE;
    }

  /* The same rule as the campaign's audience: active and not invalid. */
  /* Who receives it counts mailboxes: the campaign mails Anna.Schmidt@
   * and anna.schmidt@ once (ob-campaign.c). */
  self->n_receive = count_with (self, active, deliverable, TRUE);
  self->n_invalid = count_with (self, active, invalid_verdict, FALSE) + count_with (self, invalid_status, NULL, FALSE);
  self->n_suppressed = count_with (self, suppressed, NULL, FALSE);
  self->n_risky = count_with (self, active, risky, FALSE);

  set_count_label (self->receive_label, self->n_receive);
  set_count_label (self->invalid_label, self->n_invalid);
  set_count_label (self->suppressed_label, self->n_suppressed);
  set_count_label (self->risky_label, self->n_risky);
  _ob_campaign_assistant_update_nav (self);
  return G_SOURCE_REMOVE;
}

void
_ob_campaign_assistant_update_audience (ObCampaignAssistant *self)
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
  _ob_campaign_assistant_update_nav (self);
}
