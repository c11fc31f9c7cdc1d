/* ob-mail.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "ob-mail.h"

G_DEFINE_QUARK (ob-mail-error-quark, ob_mail_error)

const char *
ob_mail_security_to_string (ObMailSecurity security)
{
  switch (security)
    {
    case OB_MAIL_SECURITY_TLS:
      return "tls";
    case OB_MAIL_SECURITY_STARTTLS:
      return "starttls";
    case OB_MAIL_SECURITY_DRY_RUN:
      return "dry-run";
    default:
      g_return_val_if_reached ("tls");
    }
}

gboolean
ob_mail_security_from_string (const char     *text,
                              ObMailSecurity *security)
{
  if (g_strcmp0 (text, "tls") == 0)
    *security = OB_MAIL_SECURITY_TLS;
  else if (g_strcmp0 (text, "starttls") == 0)
    *security = OB_MAIL_SECURITY_STARTTLS;
  else if (g_strcmp0 (text, "dry-run") == 0)
    *security = OB_MAIL_SECURITY_DRY_RUN;
  else
    return FALSE;
  return TRUE;
}

gboolean
ob_mail_parse_host_port (const char  *text,
                         char       **host,
                         guint16     *port,
                         GError     **error)
{
  const char *colon;
  const char *host_start = text;
  const char *host_end;
  char *end = NULL;
  long value;

  if (text == NULL || *text == '\0')
    goto bad;

  if (text[0] == '[')
    {
      host_start = text + 1;
      host_end = strchr (text, ']');
      if (host_end == NULL || host_end[1] != ':')
        goto bad;
      colon = host_end + 1;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon == NULL || strchr (text, ':') != colon)
        goto bad;
      host_end = colon;
    }

  if (host_end == host_start)
    goto bad;
  for (const char *p = host_start; p < host_end; p++)
    if (g_ascii_isspace (*p) || *p == '/' || *p == '@')
      goto bad;

  value = strtol (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || value < 1 || value > 65535)
    goto bad;

  *host = g_strndup (host_start, host_end - host_start);
  *port = (guint16) value;
  return TRUE;

bad:
  g_set_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID,
               _("“%s” is not a server address: write it as HOST:PORT, e.g. smtp.example.com:465"),
               text ? text : "");
  return FALSE;
}

ObMailTlsInfo *
ob_mail_tls_info_copy (const ObMailTlsInfo *info)
{
  ObMailTlsInfo *copy;

  if (info == NULL)
    return NULL;

  copy = g_new0 (ObMailTlsInfo, 1);
  copy->protocol = g_strdup (info->protocol);
  copy->ciphersuite = g_strdup (info->ciphersuite);
  copy->subject = g_strdup (info->subject);
  copy->issuer = g_strdup (info->issuer);
  copy->not_before = info->not_before;
  copy->not_after = info->not_after;
  copy->extra_ca = info->extra_ca;
  return copy;
}

void
ob_mail_tls_info_free (ObMailTlsInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->protocol);
  g_free (info->ciphersuite);
  g_free (info->subject);
  g_free (info->issuer);
  g_free (info);
}
