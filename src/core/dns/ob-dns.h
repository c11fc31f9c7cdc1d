/* ob-dns.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OB_DNS_ERROR (ob_dns_error_quark ())

/* Errors of core/dns. Messages are translated and say what to do. */
typedef enum
{
  OB_DNS_ERROR_TIMEOUT, /* no answer in time */
  OB_DNS_ERROR_SERVFAIL, /* the server failed */
  OB_DNS_ERROR_REFUSED, /* the server refused the query */
  OB_DNS_ERROR_MALFORMED, /* the answer could not be parsed */
  OB_DNS_ERROR_NETWORK, /* the server could not be reached */
  OB_DNS_ERROR_BAD_RESOLVER, /* the resolver specification is not understood */
} ObDnsError;

GQuark ob_dns_error_quark (void);

G_END_DECLS
