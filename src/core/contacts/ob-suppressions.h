/* ob-suppressions.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ob-address-check.h"
#include "ob-store.h"

G_BEGIN_DECLS

typedef enum
{
  OB_SUPPRESSION_HARD_BOUNCE,
  OB_SUPPRESSION_SOFT_BOUNCE,
  OB_SUPPRESSION_UNSUBSCRIBED,
  OB_SUPPRESSION_COMPLAINT,
  OB_SUPPRESSION_MANUAL,
} ObSuppressionReason;

/* One row of the suppression list. */
typedef struct
{
  gboolean             is_domain;
  char                *value;     /* dedup key of an address, or an ASCII domain */
  char                *display;   /* "j@x.com" or "@x.com", as shown and exported */
  ObSuppressionReason  reason;
  char                *source;
  char                *detail;
  gint64               created_at;
} ObSuppression;

#define OB_TYPE_SUPPRESSION (ob_suppression_get_type ())

GType          ob_suppression_get_type           (void) G_GNUC_CONST;
ObSuppression *ob_suppression_copy               (const ObSuppression  *self);
void           ob_suppression_free               (ObSuppression        *self);

const char    *ob_suppression_reason_to_string   (ObSuppressionReason   reason);
gboolean       ob_suppression_reason_from_string (const char           *text,
                                                  ObSuppressionReason  *reason);

gboolean       ob_suppressions_add               (ObStore              *store,
                                                  const char           *entry,
                                                  ObSuppressionReason   reason,
                                                  const char           *source,
                                                  const char           *detail,
                                                  GError              **error);
gboolean       ob_suppressions_add_new           (ObStore              *store,
                                                  const char           *entry,
                                                  ObSuppressionReason   reason,
                                                  const char           *source,
                                                  const char           *detail,
                                                  ObSuppression       **added,
                                                  GError              **error);
gboolean       ob_suppressions_lift              (ObStore              *store,
                                                  const ObSuppression  *entry,
                                                  const char           *why,
                                                  gboolean             *lifted,
                                                  GError              **error);
gboolean       ob_suppressions_remove            (ObStore              *store,
                                                  const char           *entry,
                                                  const char           *why,
                                                  GError              **error);
gboolean       ob_suppressions_contains          (ObStore              *store,
                                                  const char           *entry,
                                                  gboolean             *suppressed,
                                                  GError              **error);
gboolean       ob_suppressions_check_address     (ObStore              *store,
                                                  const ObAddressCheck *check,
                                                  gboolean             *suppressed,
                                                  GError              **error);
gboolean       ob_suppressions_status_of         (ObStore              *store,
                                                  const ObAddressCheck *check,
                                                  const char          **status,
                                                  GError              **error);
GPtrArray     *ob_suppressions_list              (ObStore              *store,
                                                  GError              **error);
gboolean       ob_suppressions_export_csv        (ObStore              *store,
                                                  const char           *path,
                                                  GError              **error);
gboolean       ob_suppressions_import_csv        (ObStore              *store,
                                                  const char           *path,
                                                  const char           *source,
                                                  guint                *added,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObSuppression, ob_suppression_free)

G_END_DECLS
