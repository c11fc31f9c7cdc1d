/* ob-address.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ob-address-check.h"

G_BEGIN_DECLS

#define OB_ADDRESS_ERROR (ob_address_error_quark ())

/* Errors of core/address. Messages are translated and say what to do. */
typedef enum
{
  OB_ADDRESS_ERROR_INVALID, /* the input is not an address that can be used */
} ObAddressError;

GQuark ob_address_error_quark (void);

G_END_DECLS
