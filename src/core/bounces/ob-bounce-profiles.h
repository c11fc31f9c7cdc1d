/* ob-bounce-profiles.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "ob-bounce-reason.h"

G_BEGIN_DECLS

/* Who wrote a bounce and about whom: what a profile in
 * data/profiles.txt is recognised by. */
typedef struct
{
  GMimeObject *headers;     /* the bounce mail's own headers, or NULL */
  const char  *reporter;    /* its From: */
  const char  *recipient;   /* the failed address */
  const char  *remote_mta;  /* the host that refused it, or NULL */
} ObBounceOrigin;

gboolean ob_bounce_profile_decide (const ObBounceOrigin  *origin,
                                   const char            *diagnostic,
                                   const char            *context,
                                   ObBounceReason        *reason,
                                   const char           **rule);

gboolean ob_bounce_host_in_domain (const char            *host,
                                   const char            *domain);

G_END_DECLS
