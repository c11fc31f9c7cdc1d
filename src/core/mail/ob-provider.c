/* ob-provider.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-provider.h"

#define TLS OB_MAIL_SECURITY_TLS
#define STARTTLS OB_MAIL_SECURITY_STARTTLS
#define STRV(...) (const char * const []) { __VA_ARGS__, NULL }
#define NONE (const char * const []) { NULL }

/* From ../shared/PROVIDERS.md (late 2026). Limits the providers do not
 * publish are conservative defaults, marked unverified. */
static const ObProvider providers[] = {
  {
    .id = "alibaba-enterprise",
    .name = N_("Alibaba Mail (阿里企业邮箱)"),
    .domains = NONE,
    .mx_patterns = STRV ("qiye.aliyun.com"),
    .smtp = { "smtp.qiye.aliyun.com", 465, TLS },
    .imap = { "imap.qiye.aliyun.com", 993, TLS },
    .spf_includes = STRV ("spf.qiye.aliyun.com"),
    .dkim_selectors = NULL,
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_ADMIN_ALLOW | OB_PROVIDER_QUIRK_SENT_SETTING,
  },
  {
    .id = "alibaba-com",
    .name = N_("Alibaba.com Mail (外贸邮)"),
    .domains = NONE,
    .mx_patterns = STRV ("mail.alibaba.com"),
    .smtp = { "smtp.alibaba.com", 465, TLS },
    .imap = { "imap.alibaba.com", 993, TLS },
    .spf_includes = NONE,
    .dkim_selectors = NULL,
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_USER_ENABLE | OB_PROVIDER_QUIRK_AUTH_CODE,
  },
  {
    .id = "netease-enterprise",
    .name = N_("NetEase Enterprise Mail (网易企业邮箱)"),
    .domains = NONE,
    .mx_patterns = STRV ("qiye.163.com"),
    .smtp = { "smtp.qiye.163.com", 465, TLS },
    .smtp_alt = { "hwhzsmtp.qiye.163.com", 465, TLS },
    .imap = { "imap.qiye.163.com", 993, TLS },
    .imap_alt = { "hwhzimap.qiye.163.com", 993, TLS },
    .spf_includes = STRV ("spf.qiye.163.com", "spf.163.com"),
    .dkim_selectors = NULL,
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_AUTH_CODE | OB_PROVIDER_QUIRK_IMAP_ID | OB_PROVIDER_QUIRK_IP_RULES,
  },
  {
    .id = "netease",
    .name = N_("NetEase Mail (163, 126, yeah.net)"),
    .domains = STRV ("163.com", "126.com", "yeah.net"),
    .mx_patterns = STRV ("mxmail.netease.com"),
    .smtp = { "smtp.{domain}", 465, TLS },
    .imap = { "imap.{domain}", 993, TLS },
    .spf_includes = STRV ("spf.163.com"),
    .dkim_selectors = NONE,
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_AUTH_CODE | OB_PROVIDER_QUIRK_IMAP_ID,
  },
  {
    .id = "tencent-exmail",
    .name = N_("Tencent Exmail (腾讯企业邮)"),
    .domains = NONE,
    .mx_patterns = STRV ("exmail.qq.com", "mxbiz1.qq.com", "mxbiz2.qq.com"),
    .smtp = { "smtp.exmail.qq.com", 465, TLS },
    .smtp_alt = { "hwsmtp.exmail.qq.com", 465, TLS },
    .imap = { "imap.exmail.qq.com", 993, TLS },
    .imap_alt = { "hwimap.exmail.qq.com", 993, TLS },
    .spf_includes = STRV ("spf.mail.qq.com"),
    .dkim_selectors = NULL,
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_ADMIN_ALLOW | OB_PROVIDER_QUIRK_AUTH_CODE,
  },
  {
    .id = "qq",
    .name = N_("QQ Mail"),
    .domains = STRV ("qq.com"),
    .mx_patterns = STRV ("mx1.qq.com", "mx2.qq.com", "mx3.qq.com"),
    .smtp = { "smtp.qq.com", 465, TLS },
    .imap = { "imap.qq.com", 993, TLS },
    .spf_includes = NONE,
    .dkim_selectors = NONE,
    .daily_limit = 500,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_AUTH_CODE | OB_PROVIDER_QUIRK_SENT_SETTING,
  },
  {
    .id = "google",
    .name = N_("Gmail / Google Workspace"),
    .domains = STRV ("gmail.com", "googlemail.com"),
    .mx_patterns = STRV ("google.com", "googlemail.com"),
    .smtp = { "smtp.gmail.com", 465, TLS },
    .smtp_alt = { "smtp.gmail.com", 587, STARTTLS },
    .imap = { "imap.gmail.com", 993, TLS },
    .spf_includes = STRV ("_spf.google.com"),
    .dkim_selectors = STRV ("google"),
    .daily_limit = 2000,
    .limit_verified = TRUE,
    .max_recipients = 100,
    .saves_sent = TRUE,
    .quirks = OB_PROVIDER_QUIRK_APP_PASSWORD,
  },
  {
    .id = "microsoft365",
    .name = N_("Microsoft 365"),
    .domains = NONE,
    .mx_patterns = STRV ("mail.protection.outlook.com"),
    .smtp = { "smtp.office365.com", 587, STARTTLS },
    .imap = { "outlook.office365.com", 993, TLS },
    .spf_includes = STRV ("spf.protection.outlook.com"),
    .dkim_selectors = STRV ("selector1", "selector2"),
    .daily_limit = 10000,
    .limit_verified = TRUE,
    .saves_sent = TRUE,
    .quirks = OB_PROVIDER_QUIRK_ADMIN_ALLOW | OB_PROVIDER_QUIRK_OAUTH_SOON,
  },
  {
    .id = "outlook",
    .name = N_("Outlook.com / Hotmail"),
    .domains = STRV ("outlook.com", "hotmail.com", "live.com", "msn.com"),
    .mx_patterns = STRV ("olc.protection.outlook.com"),
    .smtp = { "smtp-mail.outlook.com", 587, STARTTLS },
    .imap = { "outlook.office365.com", 993, TLS },
    .spf_includes = NONE,
    .dkim_selectors = NONE,
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = FALSE,
    .quirks = OB_PROVIDER_QUIRK_OAUTH_ONLY,
  },
  {
    .id = "zoho",
    .name = N_("Zoho Mail"),
    .domains = STRV ("zoho.com", "zohomail.com"),
    .mx_patterns = STRV ("zoho.com", "zohomail.com", "zoho.eu", "zoho.in", "zoho.com.au",
                         "zoho.jp", "zoho.com.cn"),
    .smtp = { "smtp.zoho.com", 465, TLS },
    .smtp_alt = { "smtppro.zoho.com", 465, TLS },
    .imap = { "imap.zoho.com", 993, TLS },
    .imap_alt = { "imappro.zoho.com", 993, TLS },
    .spf_includes = STRV ("zoho.com", "zohomail.com", "zoho.eu", "zoho.in", "zoho.com.cn"),
    .dkim_selectors = STRV ("zmail"),
    .daily_limit = 200,
    .limit_verified = FALSE,
    .saves_sent = TRUE,
    .quirks = OB_PROVIDER_QUIRK_APP_PASSWORD,
  },
  { NULL }
};

const ObProvider *
ob_provider_get_all (guint *n_providers)
{
  if (n_providers != NULL)
    *n_providers = G_N_ELEMENTS (providers) - 1;
  return providers;
}

const ObProvider *
ob_provider_find (const char *id)
{
  for (const ObProvider *p = providers; id != NULL && p->id != NULL; p++)
    if (g_str_equal (p->id, id))
      return p;
  return NULL;
}

static char *
normalise_host (const char *host)
{
  char *h = g_ascii_strdown (host, -1);
  gsize len = strlen (h);

  g_strstrip (h);
  len = strlen (h);
  if (len > 0 && h[len - 1] == '.')
    h[len - 1] = '\0';
  return h;
}

const ObProvider *
ob_provider_detect_by_email (const char *email)
{
  const char *at;
  g_autofree char *domain = NULL;

  if (email == NULL || (at = strrchr (email, '@')) == NULL || at[1] == '\0')
    return NULL;
  domain = normalise_host (at + 1);

  for (const ObProvider *p = providers; p->id != NULL; p++)
    for (guint i = 0; p->domains[i] != NULL; i++)
      if (g_str_equal (domain, p->domains[i]))
        return p;
  return NULL;
}

/* @host is @suffix or ends with "." @suffix. */
static gboolean
host_matches (const char *host,
              const char *suffix)
{
  gsize hl = strlen (host), sl = strlen (suffix);

  if (hl == sl)
    return g_str_equal (host, suffix);
  return hl > sl && host[hl - sl - 1] == '.' && g_str_equal (host + hl - sl, suffix);
}

const ObProvider *
ob_provider_detect_by_mx (const char * const *mx_hosts)
{
  const ObProvider *best = NULL;
  gsize best_len = 0;

  /* The most specific pattern wins: olc.protection.outlook.com is
   * Outlook.com even though Microsoft 365 also lives under outlook.com. */
  for (guint m = 0; mx_hosts != NULL && mx_hosts[m] != NULL; m++)
    {
      g_autofree char *host = normalise_host (mx_hosts[m]);

      for (const ObProvider *p = providers; p->id != NULL; p++)
        for (guint i = 0; p->mx_patterns[i] != NULL; i++)
          if (host_matches (host, p->mx_patterns[i]) && strlen (p->mx_patterns[i]) > best_len)
            {
              best = p;
              best_len = strlen (p->mx_patterns[i]);
            }
      if (best != NULL)
        return best;
    }
  return NULL;
}

char *
ob_provider_expand_host (const ObProviderServer *server,
                         const char             *email)
{
  const char *at = email ? strrchr (email, '@') : NULL;
  g_autofree char *domain = at ? normalise_host (at + 1) : g_strdup ("");
  const char *mark;

  if (server->host == NULL)
    return NULL;
  mark = strstr (server->host, "{domain}");
  if (mark == NULL)
    return g_strdup (server->host);
  return g_strdup_printf ("%.*s%s%s", (int) (mark - server->host), server->host, domain,
                          mark + strlen ("{domain}"));
}

GStrv
ob_provider_dup_advice (const ObProvider *provider)
{
  GPtrArray *out = g_ptr_array_new ();
  ObProviderQuirks q = provider->quirks;

  if (q & OB_PROVIDER_QUIRK_OAUTH_ONLY)
    g_ptr_array_add (out, g_strdup (_("This provider only allows sign-in with OAuth, which this version of Outbound cannot do yet. A normal password will be refused.")));
  if (q & OB_PROVIDER_QUIRK_OAUTH_SOON)
    g_ptr_array_add (out, g_strdup (_("Password sign-in for sending (SMTP AUTH) is off by default and is being switched off for good; your administrator must turn SMTP AUTH on for your mailbox.")));
  if (q & OB_PROVIDER_QUIRK_ADMIN_ALLOW)
    g_ptr_array_add (out, g_strdup (_("Your company’s mail administrator must allow third-party mail programs (IMAP/SMTP) for your mailbox; it is often off by default.")));
  if (q & OB_PROVIDER_QUIRK_USER_ENABLE)
    g_ptr_array_add (out, g_strdup (_("Turn on IMAP/SMTP in your webmail settings first.")));
  if (q & OB_PROVIDER_QUIRK_AUTH_CODE)
    g_ptr_array_add (out, g_strdup (_("Do not use your normal password: create an authorisation code (授权码, client password) in the webmail settings and enter that instead.")));
  if (q & OB_PROVIDER_QUIRK_APP_PASSWORD)
    g_ptr_array_add (out, g_strdup (_("Use an app password: turn on 2-step verification in your account, then create an app password for Outbound.")));
  if (q & OB_PROVIDER_QUIRK_IP_RULES)
    g_ptr_array_add (out, g_strdup (_("If login fails with ERR.LOGIN.IPDENY, your administrator limits the places you may log in from.")));
  if (q & OB_PROVIDER_QUIRK_SENT_SETTING)
    g_ptr_array_add (out, g_strdup (_("Mail sent by Outbound reaches your Sent folder only if Outbound puts a copy there (it does, over IMAP) or a webmail setting saves SMTP mail.")));
  if (!provider->limit_verified)
    g_ptr_array_add (out, g_strdup_printf (_("The daily sending limit is not published; Outbound starts at %u messages a day."),
                                           provider->daily_limit));

  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

void
ob_provider_detection_free (ObProviderDetection *detection)
{
  if (detection == NULL)
    return;
  g_clear_pointer (&detection->autoconfig, ob_autoconfig_free);
  g_free (detection);
}

static void
detect_autoconfig_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ObProviderDetection *d = g_new0 (ObProviderDetection, 1);
  g_autoptr(GError) error = NULL;

  d->autoconfig = ob_autoconfig_fetch_finish (result, &error);
  if (d->autoconfig != NULL)
    d->found_by = OB_PROVIDER_FOUND_BY_AUTOCONFIG;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ob_provider_detection_free (d);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    g_debug ("No autoconfig: %s", error->message);
  g_task_return_pointer (task, d, (GDestroyNotify) ob_provider_detection_free);
}

void
ob_provider_detect_async (const char          *email,
                          const char * const  *mx_hosts,
                          gboolean             try_autoconfig,
                          const char          *autoconfig_base,
                          const char          *ca_file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ObProviderDetection *d;
  const ObProvider *p;

  g_task_set_source_tag (task, ob_provider_detect_async);

  if ((p = ob_provider_detect_by_email (email)) != NULL || (p = ob_provider_detect_by_mx (mx_hosts)) != NULL)
    {
      d = g_new0 (ObProviderDetection, 1);
      d->provider = p;
      d->found_by = ob_provider_detect_by_email (email) ? OB_PROVIDER_FOUND_BY_DOMAIN : OB_PROVIDER_FOUND_BY_MX;
      g_task_return_pointer (task, d, (GDestroyNotify) ob_provider_detection_free);
      return;
    }

  if (!try_autoconfig)
    {
      g_task_return_pointer (task, g_new0 (ObProviderDetection, 1), (GDestroyNotify) ob_provider_detection_free);
      return;
    }
  ob_autoconfig_fetch_async (email, autoconfig_base, ca_file, cancellable, detect_autoconfig_cb,
                             g_steal_pointer (&task));
}

ObProviderDetection *
ob_provider_detect_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
