/* ob-autoconfig.h — Thunderbird-style autoconfig (config-v1.1.xml) fetched
 * over HTTPS from the address's domain.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-mail.h"

G_BEGIN_DECLS

typedef struct
{
  char           *provider_name;
  char           *smtp_host;
  guint16         smtp_port;
  ObMailSecurity  smtp_security;
  char           *imap_host;     /* NULL when the file names no secure IMAP server */
  guint16         imap_port;
  ObMailSecurity  imap_security;
  char           *username;      /* with %EMAILADDRESS% etc. filled in */
  char           *source_url;    /* where it came from */
} ObAutoconfig;

void          ob_autoconfig_free         (ObAutoconfig        *config);
/* Parses a config-v1.1.xml for @email. Servers without TLS are skipped:
 * an error when no secure SMTP server is left. */
ObAutoconfig *ob_autoconfig_parse        (const char          *xml,
                                          gsize                len,
                                          const char          *email,
                                          GError             **error);
/* Tries https://autoconfig.DOMAIN/mail/config-v1.1.xml, then
 * https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml. For tests,
 * @base_url (e.g. "https://localhost:4443") replaces both hosts, and
 * @ca_file is the only CA trusted; pass NULL for the real thing. */
void          ob_autoconfig_fetch_async  (const char          *email,
                                          const char          *base_url,
                                          const char          *ca_file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
ObAutoconfig *ob_autoconfig_fetch_finish (GAsyncResult        *result,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObAutoconfig, ob_autoconfig_free)

G_END_DECLS
