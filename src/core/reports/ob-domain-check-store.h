/* ob-domain-check-store.h — the last Domain health result per domain
 * (the domain_checks table), shared by outbound-cli dns check, the Domain
 * health page and the campaign review.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ob-reports.h"
#include "ob-store.h"

G_BEGIN_DECLS

/* core/reports sits below core/dns's users but may not use core/dns, so
 * reports are handled as the JSON that ob_domain_report_to_json() writes:
 * {"domain", "smtp_host", "checked_at", "findings": [{"id", "severity",
 * "group", …}], …}. Severities are its strings. */
typedef enum
{
  OB_DOMAIN_HEALTH_UNKNOWN, /* no finding could be read */
  OB_DOMAIN_HEALTH_OK,
  OB_DOMAIN_HEALTH_INFO,
  OB_DOMAIN_HEALTH_WARNING,
  OB_DOMAIN_HEALTH_ERROR,
} ObDomainHealthLevel;

typedef struct
{
  char                *domain;
  char                *smtp_host;   /* or NULL */
  gint64               checked_at;  /* Unix time */
  ObDomainHealthLevel  worst;
  guint                n_errors;
  guint                n_warnings;
  guint                n_infos;
  guint                n_ok;
} ObDomainHealthSummary;

/* "ok", "info", "warning", "error" → level; anything else is UNKNOWN. */
ObDomainHealthLevel    ob_domain_health_level_from_string  (const char            *severity);

/* Lower case, without a final dot: the key the table is kept under. */
char                  *ob_domain_check_store_normalize     (const char            *domain);

/* Keeps @report (a report object as above) as its domain's last result,
 * replacing the one before. A report without "domain" or "checked_at" is
 * refused (OB_REPORTS_ERROR_INVALID) and nothing is written. */
gboolean               ob_domain_check_store_save          (ObStore               *store,
                                                            JsonNode              *report,
                                                            GError               **error);
/* The last result for @domain, or NULL with OB_REPORTS_ERROR_NOT_FOUND when
 * it was never checked (or OB_REPORTS_ERROR_INVALID when the stored text is
 * not a report object). */
JsonNode              *ob_domain_check_store_load          (ObStore               *store,
                                                            const char            *domain,
                                                            GError               **error);
/* The domains with a stored result, most recently checked first. */
GStrv                  ob_domain_check_store_list_domains  (ObStore               *store,
                                                            GError               **error);

ObDomainHealthSummary *ob_domain_health_summary_from_json  (JsonNode              *report);
/* The worst severity and the counts of @domain's last result, or NULL with
 * OB_REPORTS_ERROR_NOT_FOUND when it was never checked. */
ObDomainHealthSummary *ob_domain_health_summary_for_domain (ObStore               *store,
                                                            const char            *domain,
                                                            GError               **error);
void                   ob_domain_health_summary_free       (ObDomainHealthSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObDomainHealthSummary, ob_domain_health_summary_free)

G_END_DECLS
