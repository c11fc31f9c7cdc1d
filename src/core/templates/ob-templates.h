/* ob-templates.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_TEMPLATE_ERROR (ob_template_error_quark ())

/* Errors of core/templates. Messages are translated and say what to do. */
typedef enum
{
  OB_TEMPLATE_ERROR_PARSE, /* the template file could not be read */
  OB_TEMPLATE_ERROR_RENDER, /* the message could not be composed */
  OB_TEMPLATE_ERROR_NOT_FOUND, /* no template with that id */
  OB_TEMPLATE_ERROR_INVALID, /* the template cannot be saved or sent as it is */
  OB_TEMPLATE_ERROR_ATTACHMENT, /* an attachment cannot be read */
} ObTemplateError;

GQuark ob_template_error_quark (void);

G_END_DECLS
