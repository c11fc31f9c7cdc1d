/* ob-domain-health-page.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-health-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ob-account.h"
#include "ob-dns-settings.h"
#include "ob-domain-check.h"
#include "ob-domain-check-store.h"
#include "ob-domain-health-page.h"
#include "ob-window.h"

/* The Domain Health page: a sender domain (from the accounts, or typed)
 * and its SMTP server, a Check that runs ObDomainCheck, and the findings
 * as a checklist grouped SPF / DKIM / DMARC / MX / Transport / Reputation.
 * The last result per domain is kept in domain_checks and shown again
 * when the page opens or the domain is chosen. Until there is anything to
 * show, the page is an empty state. */
struct _ObDomainHealthPage
{
  AdwBin          parent_instance;

  GSettings      *settings;
  GCancellable   *cancellable;    /* set while a check runs */
  JsonNode       *report;         /* the report shown, or NULL */
  GPtrArray      *accounts;       /* ObAccount*, as last loaded */
  guint           tick_id;
  gboolean        started;
  gboolean        disposed;

  GtkStack       *main_stack;
  AdwStatusPage  *empty_page;
  GMenu          *domains_menu;
  GtkMenuButton  *domains_button;
  AdwEntryRow    *domain_row;
  AdwEntryRow    *smtp_row;
  AdwEntryRow    *selectors_row;
  GtkStack       *result_stack;
  GtkSpinner     *spinner;
  GtkLabel       *running_label;
  AdwStatusPage  *error_page;
  GtkWidget      *preferences_button;
  AdwActionRow   *summary_row;
  GtkImage       *summary_icon;
  GtkBox         *groups_box;
};

G_DEFINE_FINAL_TYPE (ObDomainHealthPage, ob_domain_health_page, ADW_TYPE_BIN)

/* The page's groups, in the order a salesperson fixes things. "domain" only
 * ever holds domain-missing. */
static const struct {
  const char *id;
  const char *title;
  const char *description;
} groups[] = {
  { "domain", N_("Domain"), NULL },
  { "spf", N_("SPF"), N_("Which servers may send mail for your domain") },
  { "dkim", N_("DKIM"), N_("The signature that shows receivers your mail really comes from you") },
  { "dmarc", N_("DMARC"), N_("What receivers do with mail that fails SPF and DKIM, and where they report it") },
  { "mx", N_("MX"), N_("Where replies and bounce reports to your domain are delivered") },
  { "transport", N_("Transport Security"), N_("Encryption between mail servers (MTA-STS and TLS reports); optional") },
  { "reputation", N_("Reputation"), N_("Whether your provider’s sending server is on a public blocklist") },
};

/* Short row titles by finding id (src/core/dns/FINDINGS.md); the finding's
 * own message is the explanation shown when the row is expanded. */
static const struct {
  const char *id;
  const char *title;
} finding_titles[] = {
  { "domain-missing", N_("The domain does not exist") },
  { "mx-missing", N_("No mail server (MX) for replies") },
  { "mx-null", N_("The domain refuses all mail (null MX)") },
  { "mx-unresolvable", N_("A mail server has no address") },
  { "mx-ok", N_("Mail servers (MX) are set up") },
  { "spf-missing", N_("No SPF record") },
  { "spf-multiple", N_("More than one SPF record") },
  { "spf-syntax", N_("The SPF record has a mistake") },
  { "spf-too-many-lookups", N_("SPF needs too many DNS lookups") },
  { "spf-void-lookups", N_("SPF names domains that do not exist") },
  { "spf-permissive-all", N_("SPF lets anyone send as you") },
  { "spf-ptr", N_("SPF uses the outdated “ptr”") },
  { "spf-include-missing", N_("SPF includes a domain without SPF") },
  { "spf-provider-missing", N_("SPF does not allow your mail provider") },
  { "spf-ok", N_("The SPF record is valid") },
  { "spf-provider-ok", N_("SPF allows your mail provider") },
  { "dkim-missing", N_("No DKIM key found") },
  { "dkim-syntax", N_("A DKIM key is damaged") },
  { "dkim-weak-key", N_("A DKIM key is too short") },
  { "dkim-testing", N_("A DKIM key is in test mode") },
  { "dkim-revoked", N_("A DKIM key is revoked") },
  { "dkim-ok", N_("DKIM key found") },
  { "dmarc-missing", N_("No DMARC record") },
  { "dmarc-multiple", N_("More than one DMARC record") },
  { "dmarc-syntax", N_("The DMARC record has a mistake") },
  { "dmarc-policy-none", N_("DMARC only watches (p=none)") },
  { "dmarc-pct-partial", N_("DMARC covers only part of your mail") },
  { "dmarc-no-rua", N_("DMARC sends you no reports") },
  { "dmarc-rua-unauthorized", N_("DMARC reports go to a domain that has not agreed") },
  { "dmarc-ok", N_("The DMARC record is valid") },
  { "mta-sts-missing", N_("No MTA-STS policy") },
  { "mta-sts-invalid", N_("The MTA-STS policy is broken") },
  { "mta-sts-ok", N_("MTA-STS is set up") },
  { "tls-rpt-missing", N_("No TLS reports") },
  { "tls-rpt-invalid", N_("TLS reports have no address") },
  { "tls-rpt-ok", N_("TLS reports are set up") },
  { "dnsbl-listed", N_("Your provider’s server is on a blocklist") },
  { "dns-lookup-failed", N_("Part of the check could not run") },
};

/* ---- helpers ---- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
finding_title (const char          *id,
               ObDomainHealthLevel  level)
{
  for (guint i = 0; i < G_N_ELEMENTS (finding_titles); i++)
    if (g_strcmp0 (finding_titles[i].id, id) == 0)
      return _(finding_titles[i].title);

  switch (level)
    {
    case OB_DOMAIN_HEALTH_ERROR:
      return _("Problem");
    case OB_DOMAIN_HEALTH_WARNING:
      return _("Warning");
    case OB_DOMAIN_HEALTH_OK:
      return _("Passed");
    case OB_DOMAIN_HEALTH_INFO:
    case OB_DOMAIN_HEALTH_UNKNOWN:
    default:
      return _("Note");
    }
}

/* Icon, style class and accessible name of a severity; the style classes
 * are libadwaita's, so the colours follow light and dark. */
static void
level_style (ObDomainHealthLevel   level,
             const char          **icon,
             const char          **css,
             const char          **name)
{
  switch (level)
    {
    case OB_DOMAIN_HEALTH_ERROR:
      *icon = "dialog-error-symbolic";
      *css = "error";
      *name = _("Problem");
      break;
    case OB_DOMAIN_HEALTH_WARNING:
      *icon = "dialog-warning-symbolic";
      *css = "warning";
      *name = _("Warning");
      break;
    case OB_DOMAIN_HEALTH_OK:
      *icon = "emblem-ok-symbolic";
      *css = "success";
      *name = _("Passed");
      break;
    case OB_DOMAIN_HEALTH_INFO:
    case OB_DOMAIN_HEALTH_UNKNOWN:
    default:
      *icon = "dialog-information-symbolic";
      *css = "accent";
      *name = _("Note");
      break;
    }
}

static ObStore *
get_store (ObDomainHealthPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root == NULL || !OB_IS_WINDOW (root))
    return NULL;
  return ob_window_get_store (OB_WINDOW (root));
}

static void
add_toast (ObDomainHealthPage *self,
           const char         *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL && OB_IS_WINDOW (root))
    ob_window_add_toast (OB_WINDOW (root), adw_toast_new (title));
}

/* What the user typed, as a domain: an address is taken for its domain, a
 * pasted URL for its host. NULL when it is not a domain name. */
static char *
typed_domain (ObDomainHealthPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->domain_row))));
  const char *start = text;
  const char *at;
  char *end;

  if (g_str_has_prefix (start, "https://"))
    start += 8;
  else if (g_str_has_prefix (start, "http://"))
    start += 7;
  if ((at = strrchr (start, '@')) != NULL)
    start = at + 1;
  if ((end = strchr (start, '/')) != NULL)
    *end = '\0';
  if (strchr (start, '.') == NULL || strpbrk (start, " \t,;:") != NULL || start[0] == '.')
    return NULL;
  return ob_domain_check_store_normalize (start);
}

static gboolean
is_running (ObDomainHealthPage *self)
{
  return self->cancellable != NULL;
}

static void
update_actions (ObDomainHealthPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->domain_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "domain-health.check",
                                 !is_running (self) && text[0] != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "domain-health.cancel", is_running (self));
}

static char *
relative_time (gint64 when)
{
  gint64 age = g_get_real_time () / G_USEC_PER_SEC - when;

  if (age < 60)
    return g_strdup (_("checked just now"));
  if (age < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "checked %d minute ago", "checked %d minutes ago",
                                         (gulong) (age / 60)),
                            (int) (age / 60));
  if (age < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "checked %d hour ago", "checked %d hours ago",
                                         (gulong) (age / 3600)),
                            (int) (age / 3600));
  {
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (when);
    g_autofree char *date = dt ? g_date_time_format (dt, "%x") : g_strdup ("?");

    /* Translators: %s is a date */
    return g_strdup_printf (_("checked on %s"), date);
  }
}

/* ---- showing a report ---- */

static void
render_summary (ObDomainHealthPage *self)
{
  g_autoptr(ObDomainHealthSummary) summary = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;
  const char *icon, *css, *name;
  ObDomainHealthLevel level;

  if (self->report == NULL)
    return;

  summary = ob_domain_health_summary_from_json (self->report);
  if (summary->n_errors > 0)
    g_string_append_printf (title, g_dngettext (GETTEXT_PACKAGE, "%u problem to fix", "%u problems to fix",
                                                summary->n_errors),
                            summary->n_errors);
  if (summary->n_warnings > 0)
    {
      if (title->len > 0)
        /* Translators: separates "2 problems to fix" and "1 warning" */
        g_string_append (title, _(", "));
      g_string_append_printf (title, g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                                  summary->n_warnings),
                              summary->n_warnings);
    }
  if (title->len == 0)
    g_string_append (title, _("No problems found"));

  when = relative_time (summary->checked_at);
  if (summary->smtp_host != NULL)
    /* Translators: domain, SMTP server, and e.g. "checked 3 minutes ago" */
    subtitle = g_strdup_printf (_("%s via %s, %s"), summary->domain, summary->smtp_host, when);
  else
    /* Translators: domain and e.g. "checked 3 minutes ago" */
    subtitle = g_strdup_printf (_("%s, %s"), summary->domain, when);

  level = summary->worst == OB_DOMAIN_HEALTH_INFO ? OB_DOMAIN_HEALTH_OK : summary->worst;
  level_style (level, &icon, &css, &name);
  gtk_image_set_from_icon_name (self->summary_icon, icon);
  gtk_widget_set_css_classes (GTK_WIDGET (self->summary_icon), (const char *[]) { css, NULL });
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->summary_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), title->str);
  adw_action_row_set_subtitle (self->summary_row, subtitle);
}

static GtkWidget *
caption_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
mono_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

static GtkWidget *
finding_details (JsonObject *finding)
{
  const char *message = member_string (finding, "message");
  const char *record = member_string (finding, "record");
  const char *fix = member_string (finding, "fix");
  JsonNode *fix_node = json_object_get_member (finding, "fix_record");
  JsonObject *fix_record = fix_node && JSON_NODE_HOLDS_OBJECT (fix_node) ? json_node_get_object (fix_node) : NULL;
  const char *fix_value = member_string (fix_record, "value");
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (message != NULL)
    {
      label = gtk_label_new (message);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }

  if (record != NULL && record[0] != '\0')
    {
      gtk_box_append (GTK_BOX (box), caption_label (_("Found")));
      gtk_box_append (GTK_BOX (box), mono_label (record));
    }

  if (fix_value != NULL)
    {
      const char *type = member_string (fix_record, "type");
      const char *name = member_string (fix_record, "name");
      g_autofree char *heading = g_strdup_printf (_("Publish this %s record"), type ? type : "TXT");
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *fields = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      GtkWidget *value_label = mono_label (fix_value);

      label = gtk_label_new (heading);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_margin_top (label, 6);
      gtk_box_append (GTK_BOX (box), label);

      gtk_widget_set_hexpand (fields, TRUE);
      gtk_box_append (GTK_BOX (fields), caption_label (_("Name")));
      gtk_box_append (GTK_BOX (fields), mono_label (name ? name : ""));
      gtk_box_append (GTK_BOX (fields), caption_label (_("Value")));
      gtk_widget_set_name (value_label, "fix-value");
      gtk_box_append (GTK_BOX (fields), value_label);
      gtk_box_append (GTK_BOX (line), fields);

      gtk_widget_set_valign (copy, GTK_ALIGN_END);
      gtk_widget_set_tooltip_text (copy, _("Copy the Value"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the value of the record"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "domain-health.copy");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "s", fix_value);
      gtk_widget_set_name (copy, "copy-fix");
      gtk_box_append (GTK_BOX (line), copy);
      gtk_box_append (GTK_BOX (box), line);
    }
  else if (fix != NULL && fix[0] != '\0')
    {
      gtk_box_append (GTK_BOX (box), caption_label (_("What to do")));
      label = gtk_label_new (fix);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }

  return row;
}

static GtkWidget *
finding_row (JsonObject *finding)
{
  const char *id = member_string (finding, "id");
  ObDomainHealthLevel level = ob_domain_health_level_from_string (member_string (finding, "severity"));
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *image;
  const char *icon, *css, *name;

  level_style (level, &icon, &css, &name);
  image = gtk_image_new_from_icon_name (icon);
  gtk_widget_add_css_class (image, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), image);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding_title (id, level));
  gtk_widget_set_name (row, id ? id : "finding");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), finding_details (finding));
  return row;
}

static void
render_report (ObDomainHealthPage *self)
{
  JsonNode *findings_node;
  JsonArray *findings;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);

  if (self->report == NULL)
    {
      gtk_stack_set_visible_child_name (self->result_stack, "none");
      return;
    }

  findings_node = json_object_get_member (json_node_get_object (self->report), "findings");
  findings = findings_node && JSON_NODE_HOLDS_ARRAY (findings_node) ? json_node_get_array (findings_node) : NULL;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      GtkWidget *group = NULL;

      for (guint i = 0; findings && i < json_array_get_length (findings); i++)
        {
          JsonNode *node = json_array_get_element (findings, i);
          JsonObject *finding;
          const char *group_id;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          finding = json_node_get_object (node);
          group_id = member_string (finding, "group");
          /* A group the page does not know goes with the domain. */
          if (g_strcmp0 (group_id, groups[g].id) != 0)
            {
              gboolean known = FALSE;

              for (guint k = 0; k < G_N_ELEMENTS (groups); k++)
                known |= g_strcmp0 (group_id, groups[k].id) == 0;
              if (known || g != 0)
                continue;
            }
          if (group == NULL)
            {
              group = adw_preferences_group_new ();
              adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(groups[g].title));
              if (groups[g].description)
                adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _(groups[g].description));
              gtk_widget_set_name (group, groups[g].id);
              gtk_box_append (self->groups_box, group);
            }
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), finding_row (finding));
        }
    }

  render_summary (self);
  gtk_stack_set_visible_child_name (self->result_stack, "results");
}

static void
set_report (ObDomainHealthPage *self,
            JsonNode           *report)
{
  if (report != self->report)
    {
      g_clear_pointer (&self->report, json_node_unref);
      self->report = report ? json_node_ref (report) : NULL;
    }
  render_report (self);
}

static void
show_error (ObDomainHealthPage *self,
            const char         *message,
            gboolean            offer_preferences)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_widget_set_visible (self->preferences_button, offer_preferences);
  gtk_stack_set_visible_child_name (self->result_stack, "error");
}

/* Shows the remembered result of the typed domain, if there is one. */
static void
show_remembered (ObDomainHealthPage *self)
{
  g_autofree char *domain = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *shown = NULL;
  ObStore *store;

  if (is_running (self))
    return;

  domain = typed_domain (self);
  if (self->report != NULL)
    shown = member_string (json_node_get_object (self->report), "domain");
  if (domain != NULL && shown != NULL && g_str_equal (domain, shown))
    {
      /* Already there (rows the user expanded stay expanded). */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->result_stack), "results") != 0)
        render_report (self);
      return;
    }

  store = get_store (self);
  if (domain != NULL && store != NULL)
    report = ob_domain_check_store_load (store, domain, &error);
  if (report == NULL && error != NULL && !g_error_matches (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_NOT_FOUND))
    {
      g_clear_pointer (&self->report, json_node_unref);
      show_error (self, error->message, FALSE);
      return;
    }

  if (report != NULL)
    {
      const char *smtp_host = member_string (json_node_get_object (report), "smtp_host");
      const char *typed_host = gtk_editable_get_text (GTK_EDITABLE (self->smtp_row));

      if (smtp_host != NULL && typed_host[0] == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->smtp_row), smtp_host);
    }
  set_report (self, report);
}

static void
set_domain (ObDomainHealthPage *self,
            const char         *domain,
            const char         *smtp_host)
{
  gtk_editable_set_text (GTK_EDITABLE (self->smtp_row), smtp_host ? smtp_host : "");
  gtk_editable_set_text (GTK_EDITABLE (self->domain_row), domain);
}

static char *
account_domain (ObAccount *account)
{
  const char *at = strrchr (ob_account_get_email (account), '@');

  return at ? ob_domain_check_store_normalize (at + 1) : NULL;
}

/* Reads the accounts and the remembered domains into the domain menu and,
 * when nothing was typed yet, fills in the first account's domain. */
static void
refresh (ObDomainHealthPage *self,
         gboolean            menu_only)
{
  ObStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) checked = NULL;
  g_autoptr(GPtrArray) account_domains = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMenu) accounts_section = g_menu_new ();
  g_autoptr(GMenu) checked_section = g_menu_new ();
  gboolean have_any;

  if (store == NULL)
    return;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = ob_account_store_list (store, &error);
  if (self->accounts == NULL)
    {
      g_warning ("Could not read the accounts: %s", error->message);
      g_clear_error (&error);
      self->accounts = g_ptr_array_new ();
    }
  checked = ob_domain_check_store_list_domains (store, &error);
  if (checked == NULL)
    {
      g_warning ("Could not read the checked domains: %s", error->message);
      g_clear_error (&error);
      checked = g_new0 (char *, 1);
    }

  g_menu_remove_all (self->domains_menu);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      ObAccount *account = g_ptr_array_index (self->accounts, i);
      g_autoptr(GMenuItem) item = NULL;
      char *domain = account_domain (account);

      if (domain == NULL)
        continue;
      g_ptr_array_add (account_domains, domain);
      item = g_menu_item_new (ob_account_get_email (account), NULL);
      g_menu_item_set_action_and_target_value (item, "domain-health.choose-account",
                                               g_variant_new_int64 (ob_account_get_id (account)));
      g_menu_append_item (accounts_section, item);
    }
  for (guint i = 0; checked[i]; i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (g_ptr_array_find_with_equal_func (account_domains, checked[i], g_str_equal, NULL))
        continue;
      item = g_menu_item_new (checked[i], NULL);
      g_menu_item_set_action_and_target_value (item, "domain-health.choose-domain", g_variant_new_string (checked[i]));
      g_menu_append_item (checked_section, item);
    }
  /* A section heading over nothing would only confuse. */
  if (g_menu_model_get_n_items (G_MENU_MODEL (accounts_section)) > 0)
    g_menu_append_section (self->domains_menu, _("Your Accounts"), G_MENU_MODEL (accounts_section));
  if (g_menu_model_get_n_items (G_MENU_MODEL (checked_section)) > 0)
    g_menu_append_section (self->domains_menu, _("Checked Before"), G_MENU_MODEL (checked_section));
  gtk_widget_set_sensitive (GTK_WIDGET (self->domains_button),
                            account_domains->len > 0 || g_strv_length (checked) > 0);

  if (menu_only)
    return;

  if (gtk_editable_get_text (GTK_EDITABLE (self->domain_row))[0] == '\0')
    {
      if (self->accounts->len > 0 && account_domains->len > 0)
        {
          ObAccount *first = g_ptr_array_index (self->accounts, 0);
          g_autofree char *domain = account_domain (first);

          set_domain (self, domain, ob_account_get_smtp_host (first));
        }
      else if (checked[0] != NULL)
        {
          g_autoptr(ObDomainHealthSummary) summary = ob_domain_health_summary_for_domain (store, checked[0], NULL);

          set_domain (self, checked[0], summary ? summary->smtp_host : NULL);
        }
    }
  show_remembered (self);

  have_any = self->started || account_domains->len > 0 || checked[0] != NULL
             || gtk_editable_get_text (GTK_EDITABLE (self->domain_row))[0] != '\0';
  gtk_stack_set_visible_child_name (self->main_stack, have_any ? "content" : "empty");
}

/* ---- the check ---- */

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ObDomainHealthPage) self = user_data;
  g_autoptr(ObDomainReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ObStore *store;

  report = ob_domain_check_run_finish (OB_DOMAIN_CHECK (object), result, &error);
  g_clear_object (&self->cancellable);
  if (self->disposed)
    return; /* the page went away meanwhile */
  gtk_spinner_stop (self->spinner);
  update_actions (self);

  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          render_report (self);
          return;
        }
      show_error (self, error->message, FALSE);
      return;
    }

  node = ob_domain_report_to_json (report);
  store = get_store (self);
  if (store != NULL && !ob_domain_check_store_save (store, node, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The result could not be kept: %s"), error->message);

      add_toast (self, text);
    }
  set_report (self, node);
  /* The domain joins "Checked Before" in the menu. */
  refresh (self, TRUE);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);
  g_autofree char *domain = NULL;
  g_autofree char *smtp_host = NULL;
  g_autofree char *running = NULL;
  g_auto(GStrv) selectors = NULL;
  g_autoptr(ObDnsResolver) resolver = NULL;
  g_autoptr(ObDomainCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  if (is_running (self))
    return;

  self->started = TRUE;
  gtk_stack_set_visible_child_name (self->main_stack, "content");

  domain = typed_domain (self);
  if (domain == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a domain name. Write the part after the @ of your address, e.g. example.com."),
                                                  gtk_editable_get_text (GTK_EDITABLE (self->domain_row)));

      gtk_widget_add_css_class (GTK_WIDGET (self->domain_row), "error");
      show_error (self, message, FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->domain_row));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->domain_row), "error");

  resolver = ob_dns_settings_new_resolver (self->settings, &error);
  if (resolver == NULL)
    {
      show_error (self, error->message, TRUE);
      return;
    }

  check = ob_domain_check_new (resolver);
  smtp_host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->smtp_row))));
  if (smtp_host[0] != '\0')
    ob_domain_check_set_smtp_host (check, smtp_host);
  selectors = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->selectors_row)), ", \t;", -1);
  for (guint i = 0; selectors[i]; i++)
    if (selectors[i][0] != '\0')
      ob_domain_check_add_selector (check, selectors[i]);

  running = g_strdup_printf (_("Checking %s…"), domain);
  gtk_label_set_label (self->running_label, running);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->result_stack, "running");

  self->cancellable = g_cancellable_new ();
  update_actions (self);
  ob_domain_check_run_async (check, domain, self->cancellable, check_done_cb, g_object_ref (self));
}

/* ---- actions and callbacks ---- */

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);

  self->started = TRUE;
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  gtk_widget_grab_focus (GTK_WIDGET (self->domain_row));
}

static void
choose_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);

  for (guint i = 0; self->accounts && i < self->accounts->len; i++)
    {
      ObAccount *account = g_ptr_array_index (self->accounts, i);

      if (ob_account_get_id (account) == id)
        {
          g_autofree char *domain = account_domain (account);

          if (domain != NULL)
            set_domain (self, domain, ob_account_get_smtp_host (account));
          return;
        }
    }
}

static void
choose_domain_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);
  ObStore *store = get_store (self);
  const char *domain = g_variant_get_string (param, NULL);
  g_autoptr(ObDomainHealthSummary) summary = NULL;

  if (store != NULL)
    summary = ob_domain_health_summary_for_domain (store, domain, NULL);
  set_domain (self, domain, summary ? summary->smtp_host : NULL);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), g_variant_get_string (param, NULL));
  add_toast (self, _("Copied"));
}

static void
on_domain_row_changed_cb (ObDomainHealthPage *self,
                          GtkEditable        *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->domain_row), "error");
  update_actions (self);
  show_remembered (self);
}

static void
on_row_entry_activated_cb (ObDomainHealthPage *self,
                           AdwEntryRow        *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "domain-health.check", NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  ObDomainHealthPage *self = user_data;

  render_summary (self);
  return G_SOURCE_CONTINUE;
}

/* ---- GObject and GtkWidget ---- */

static void
ob_domain_health_page_map (GtkWidget *widget)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);

  GTK_WIDGET_CLASS (ob_domain_health_page_parent_class)->map (widget);

  refresh (self, FALSE);
  /* "checked 3 minutes ago" stays true while the page is shown. */
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (30, tick_cb, self);
}

static void
ob_domain_health_page_unmap (GtkWidget *widget)
{
  ObDomainHealthPage *self = OB_DOMAIN_HEALTH_PAGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (ob_domain_health_page_parent_class)->unmap (widget);
}

static void
ob_domain_health_page_dispose (GObject *object)
{
  ObDomainHealthPage *self = (ObDomainHealthPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);

  /* AdwBin's dispose unparents the template's child (and so everything in
   * it); a check that ends later must not touch the widgets. */
  self->disposed = TRUE;

  G_OBJECT_CLASS (ob_domain_health_page_parent_class)->dispose (object);
}

static void
ob_domain_health_page_finalize (GObject *object)
{
  ObDomainHealthPage *self = (ObDomainHealthPage *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, json_node_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_domain_health_page_parent_class)->finalize (object);
}

static void
ob_domain_health_page_class_init (ObDomainHealthPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_domain_health_page_dispose;
  object_class->finalize = ob_domain_health_page_finalize;
  widget_class->map = ob_domain_health_page_map;
  widget_class->unmap = ob_domain_health_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ob-domain-health-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, domains_menu);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, domains_button);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, domain_row);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, smtp_row);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, selectors_row);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, result_stack);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, running_label);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, ObDomainHealthPage, groups_box);
  gtk_widget_class_bind_template_callback (widget_class, on_domain_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "domain-health.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "domain-health.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "domain-health.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "domain-health.choose-account", "x", choose_account_action);
  gtk_widget_class_install_action (widget_class, "domain-health.choose-domain", "s", choose_domain_action);
  gtk_widget_class_install_action (widget_class, "domain-health.copy", "s", copy_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "domain-health.cancel", NULL);
}

static void
ob_domain_health_page_init (ObDomainHealthPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  update_actions (self);
}

GtkWidget *
ob_domain_health_page_new (void)
{
  return g_object_new (OB_TYPE_DOMAIN_HEALTH_PAGE, NULL);
}
