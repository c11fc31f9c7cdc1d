/* ob-mail.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_MAIL_ERROR (ob_mail_error_quark ())

/* Errors of core/mail. Messages are translated and say what to do. */
typedef enum
{
  OB_MAIL_ERROR_CONNECT, /* the server could not be reached */
  OB_MAIL_ERROR_TLS, /* the secure connection failed */
  OB_MAIL_ERROR_AUTH, /* the server refused the login */
  OB_MAIL_ERROR_PROTOCOL, /* the server answered something unexpected */
  OB_MAIL_ERROR_TIMEOUT, /* the server did not answer in time */
  OB_MAIL_ERROR_KEYRING, /* the keyring could not be used */
  OB_MAIL_ERROR_NOT_FOUND, /* no such account */
  OB_MAIL_ERROR_RETRY_LATER, /* the server is busy (421, 4xx): try again later */
  OB_MAIL_ERROR_REJECTED, /* the server refused the message or sender for good (5xx) */
  OB_MAIL_ERROR_NO_STARTTLS, /* the server does not offer STARTTLS: nothing was sent */
  OB_MAIL_ERROR_UNSUPPORTED, /* the server lacks something the message or login needs */
  OB_MAIL_ERROR_INVALID, /* bad settings or input (an address, a host, a file) */
  OB_MAIL_ERROR_CLOSED, /* the server closed the connection */
} ObMailError;

GQuark ob_mail_error_quark (void);

/* How a connection is secured. DRY_RUN is an account that writes .eml files. */
typedef enum
{
  OB_MAIL_SECURITY_TLS, /* TLS from the first byte (465, 993) */
  OB_MAIL_SECURITY_STARTTLS, /* plain, then STARTTLS, required (587, 25, 143) */
  OB_MAIL_SECURITY_DRY_RUN, /* SMTP only: no network, messages go to a folder */
} ObMailSecurity;

const char *ob_mail_security_to_string   (ObMailSecurity  security);
gboolean    ob_mail_security_from_string (const char     *text,
                                          ObMailSecurity *security);

/* A line of a protocol trace. @from_client is TRUE for what we sent. Secrets
 * (AUTH payloads, LOGIN passwords) are already redacted. */
typedef void (*ObMailTraceFunc) (gboolean    from_client,
                                 const char *line,
                                 gpointer    user_data);

/* "HOST:PORT" (or "[v6]:PORT") → host and port. */
gboolean    ob_mail_parse_host_port      (const char     *text,
                                          char          **host,
                                          guint16        *port,
                                          GError        **error);

/* What a TLS handshake showed: for the "Test account" report. */
typedef struct
{
  char   *protocol;    /* "TLS 1.3" */
  char   *ciphersuite;
  char   *subject;     /* the server certificate's subject DN */
  char   *issuer;      /* who signed it */
  gint64  not_before;  /* Unix seconds */
  gint64  not_after;
  gboolean extra_ca;   /* trusted through the account's own CA file */
} ObMailTlsInfo;

ObMailTlsInfo *ob_mail_tls_info_copy (const ObMailTlsInfo *info);
void           ob_mail_tls_info_free (ObMailTlsInfo       *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObMailTlsInfo, ob_mail_tls_info_free)

G_END_DECLS
