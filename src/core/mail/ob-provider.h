/* ob-provider.h — presets for the mail providers our users send from
 * (../shared/PROVIDERS.md), and how an address is matched to one.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-autoconfig.h"
#include "ob-mail.h"

G_BEGIN_DECLS

typedef enum
{
  OB_PROVIDER_QUIRK_AUTH_CODE          = 1 << 0, /* an authorisation code (授权码) instead of the password */
  OB_PROVIDER_QUIRK_ADMIN_ALLOW        = 1 << 1, /* the admin must allow third-party clients / IMAP-SMTP */
  OB_PROVIDER_QUIRK_USER_ENABLE        = 1 << 2, /* the user must turn IMAP/SMTP on in the webmail settings */
  OB_PROVIDER_QUIRK_OAUTH_ONLY         = 1 << 3, /* password login is off: OAuth 2 only */
  OB_PROVIDER_QUIRK_APP_PASSWORD       = 1 << 4, /* an app password, which needs 2-step verification */
  OB_PROVIDER_QUIRK_IMAP_ID            = 1 << 5, /* IMAP needs ID after login (sent always) */
  OB_PROVIDER_QUIRK_OAUTH_SOON         = 1 << 6, /* password SMTP AUTH is being switched off */
  OB_PROVIDER_QUIRK_IP_RULES           = 1 << 7, /* admin IP rules may refuse logins (ERR.LOGIN.IPDENY) */
  OB_PROVIDER_QUIRK_SENT_SETTING       = 1 << 8, /* SMTP-sent mail reaches Sent only if a webmail setting is on */
} ObProviderQuirks;

typedef struct
{
  const char     *host;     /* may hold "{domain}": the address's domain */
  guint16         port;
  ObMailSecurity  security;
} ObProviderServer;

typedef struct
{
  const char         *id;             /* "netease-enterprise"; stored in accounts.provider */
  const char         *name;           /* translatable (N_) */
  const char * const *domains;        /* mailbox domains, e.g. "163.com" */
  const char * const *mx_patterns;    /* MX host suffixes, e.g. "qiye.163.com" */
  ObProviderServer    smtp;
  ObProviderServer    smtp_alt;       /* overseas or paid-plan host; host NULL when none */
  ObProviderServer    imap;
  ObProviderServer    imap_alt;
  const char * const *spf_includes;   /* every include: the provider is known to use */
  const char * const *dkim_selectors; /* NULL when the user chooses it */
  guint               daily_limit;    /* the default for a new account */
  gboolean            limit_verified; /* FALSE: the UI says "usually" */
  guint               max_recipients; /* per message, 0 when unknown */
  gboolean            saves_sent;     /* SMTP-sent mail appears in Sent by itself: never append */
  ObProviderQuirks    quirks;
} ObProvider;

/* The presets, ending with a zeroed entry. */
const ObProvider  *ob_provider_get_all          (guint              *n_providers);
const ObProvider  *ob_provider_find             (const char         *id);
/* By the domain of @email ("x@qq.com" → QQ Mail). */
const ObProvider  *ob_provider_detect_by_email  (const char         *email);
/* By the MX hosts of the address's domain (the caller resolves them):
 * a company domain whose MX is at qiye.163.com is NetEase enterprise. */
const ObProvider  *ob_provider_detect_by_mx     (const char * const *mx_hosts);
/* The server's host for @email ("{domain}" filled in). */
char              *ob_provider_expand_host      (const ObProviderServer *server,
                                                 const char         *email);
/* What the user must know, in plain words (translated), one a line. */
GStrv              ob_provider_dup_advice       (const ObProvider   *provider);

typedef enum
{
  OB_PROVIDER_FOUND_NONE,       /* nothing: the user types the settings */
  OB_PROVIDER_FOUND_BY_DOMAIN,  /* the address's domain is a provider's */
  OB_PROVIDER_FOUND_BY_MX,      /* the domain's mail goes to a provider */
  OB_PROVIDER_FOUND_BY_AUTOCONFIG, /* the domain publishes its settings */
} ObProviderFoundBy;

typedef struct
{
  ObProviderFoundBy  found_by;
  const ObProvider  *provider;   /* by domain or MX */
  ObAutoconfig      *autoconfig; /* by autoconfig */
} ObProviderDetection;

void                 ob_provider_detection_free (ObProviderDetection *detection);
/* The whole detection for the setup assistant: by domain, then by the MX
 * hosts the caller resolved (may be NULL), then by autoconfig over HTTPS
 * (@autoconfig_base and @ca_file as in ob_autoconfig_fetch_async; pass
 * @try_autoconfig FALSE to skip the network). Never fails: "nothing found"
 * is a result. */
void                 ob_provider_detect_async   (const char          *email,
                                                 const char * const  *mx_hosts,
                                                 gboolean             try_autoconfig,
                                                 const char          *autoconfig_base,
                                                 const char          *ca_file,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
ObProviderDetection *ob_provider_detect_finish  (GAsyncResult        *result,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObProviderDetection, ob_provider_detection_free)

G_END_DECLS
