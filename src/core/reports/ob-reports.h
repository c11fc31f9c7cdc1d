/* ob-reports.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_REPORTS_ERROR (ob_reports_error_quark ())

/* Errors of core/reports. Messages are translated and say what to do. */
typedef enum
{
  OB_REPORTS_ERROR_NOT_FOUND, /* nothing to report on */
  OB_REPORTS_ERROR_INVALID,   /* a stored or given report cannot be read */
} ObReportsError;

GQuark ob_reports_error_quark (void);

G_END_DECLS
