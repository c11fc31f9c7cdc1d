/* ob-bounces.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_BOUNCE_ERROR (ob_bounce_error_quark ())

/* Errors of core/bounces. Messages are translated and say what to do. */
typedef enum
{
  OB_BOUNCE_ERROR_PARSE, /* the message could not be parsed */
  OB_BOUNCE_ERROR_MAILBOX, /* the account has no mailbox to read, or it could not be read */
  OB_BOUNCE_ERROR_FOLDER, /* a folder name that no IMAP server can take (control characters) */
} ObBounceError;

GQuark ob_bounce_error_quark (void);

G_END_DECLS
