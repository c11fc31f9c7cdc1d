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
} ObMailError;

GQuark ob_mail_error_quark (void);

G_END_DECLS
