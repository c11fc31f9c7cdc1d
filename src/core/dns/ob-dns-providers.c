/* ob-dns-providers.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-providers"

#include "config.h"

#include <string.h>

#include "ob-dns-providers.h"

#define LIST(...) ((const char * const []) { __VA_ARGS__, NULL })

/* From ../shared/PROVIDERS.md. Providers marked "unverified" there have no
 * SPF include here, so they get the SMTP-host-address evaluation instead. */
static const ObDnsProvider providers[] = {
  { "alibaba-enterprise", "Alibaba Mail", LIST ("smtp.qiye.aliyun.com"),
    LIST ("spf.qiye.aliyun.com"), NULL },
  { "alibaba-com", "Alibaba.com Mail", LIST ("smtp.alibaba.com"), NULL, NULL },
  { "netease-enterprise", "NetEase Enterprise Mail", LIST ("smtp.qiye.163.com", "hwhzsmtp.qiye.163.com"),
    LIST ("spf.qiye.163.com", "spf.163.com"), NULL },
  { "netease", "NetEase Mail", LIST ("smtp.163.com", "smtp.126.com", "smtp.yeah.net"),
    LIST ("spf.163.com"), NULL },
  { "tencent-exmail", "Tencent Exmail", LIST ("smtp.exmail.qq.com", "hwsmtp.exmail.qq.com"),
    LIST ("spf.mail.qq.com"), NULL },
  { "qq", "QQ Mail", LIST ("smtp.qq.com"), NULL, NULL },
  { "google", "Google Workspace", LIST ("smtp.gmail.com"),
    LIST ("_spf.google.com"), LIST ("google") },
  { "microsoft365", "Microsoft 365", LIST ("smtp.office365.com"),
    LIST ("spf.protection.outlook.com"), LIST ("selector1", "selector2") },
  { "outlook", "Outlook.com", LIST ("smtp-mail.outlook.com"), NULL, NULL },
  { "zoho", "Zoho Mail", LIST ("smtp.zoho.com", "smtppro.zoho.com", "smtp.zoho.eu", "smtppro.zoho.eu",
                               "smtp.zoho.in", "smtppro.zoho.in", "smtp.zoho.com.au", "smtppro.zoho.com.au",
                               "smtp.zoho.jp", "smtppro.zoho.jp", "smtp.zoho.com.cn", "smtppro.zoho.com.cn"),
    LIST ("zoho.com", "zohomail.com", "zoho.eu", "zoho.in", "zoho.com.cn"), LIST ("zmail") },
};

const ObDnsProvider *
ob_dns_provider_for_smtp_host (const char *host)
{
  g_autofree char *low = NULL;
  gsize len;

  if (host == NULL)
    return NULL;
  low = g_ascii_strdown (host, -1);
  len = strlen (low);
  if (len > 0 && low[len - 1] == '.')
    low[len - 1] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_strv_contains (providers[i].smtp_hosts, low))
      return &providers[i];
  return NULL;
}

const ObDnsProvider *
ob_dns_provider_for_spf_include (const char *domain)
{
  g_autofree char *low = NULL;
  gsize len;

  if (domain == NULL)
    return NULL;
  low = g_ascii_strdown (domain, -1);
  len = strlen (low);
  if (len > 0 && low[len - 1] == '.')
    low[len - 1] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    if (providers[i].spf_includes != NULL && g_strv_contains (providers[i].spf_includes, low))
      return &providers[i];
  return NULL;
}

const char * const *
ob_dns_common_dkim_selectors (void)
{
  static const char * const common[] = {
    "default", "selector1", "selector2", "google", "k1", "s1", "s2", "dkim", "mail", "zmail", NULL
  };

  return common;
}
