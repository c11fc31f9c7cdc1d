/* ob-sending.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-store.h"

G_BEGIN_DECLS

#define OB_SENDING_ERROR (ob_sending_error_quark ())

/* Errors of core/sending. Messages are translated and say what to do. */
typedef enum
{
  OB_SENDING_ERROR_NOT_FOUND, /* no such campaign */
  OB_SENDING_ERROR_STATE, /* the campaign cannot do that in its current state */
  OB_SENDING_ERROR_INVALID, /* the campaign settings are not valid */
} ObSendingError;

GQuark ob_sending_error_quark (void);

/* How the engine suppresses a contact: through the contacts area's
 * suppression API (ob_suppressions_add). @reason is one of the
 * suppressions.reason values ("hard-bounce", "soft-bounce"…). */
gboolean ob_sending_suppress_contact (ObStore     *store,
                                      gint64       contact_id,
                                      const char  *reason,
                                      const char  *source,
                                      const char  *detail,
                                      gint64       now,
                                      GError     **error);

G_END_DECLS
