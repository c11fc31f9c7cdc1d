/* ob-domain-check.h — the Domain health report
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

typedef enum
{
  OB_FINDING_OK,
  OB_FINDING_INFO,
  OB_FINDING_WARNING,
  OB_FINDING_ERROR,
} ObFindingSeverity;

/* One finding. Ids are stable (CLI.md and docs/domain-health.md); the
 * message and fix are translated. fix_name/fix_type/fix_value is the DNS
 * record to publish, built from the domain's own data (NULL when no single
 * record fixes it). */
typedef struct
{
  char              *id;
  ObFindingSeverity  severity;
  char              *group;   /* domain, mx, spf, dkim, dmarc, transport, reputation */
  char              *record;  /* the record found, or NULL */
  char              *message;
  char              *fix;
  char              *fix_name;
  char              *fix_type;
  char              *fix_value;
} ObDomainFinding;

typedef struct
{
  char       *domain;
  char       *smtp_host;
  char       *provider;   /* provider id, or NULL */
  gint64      checked_at; /* Unix time */
  GPtrArray  *findings;   /* ObDomainFinding* */
  JsonObject *records;    /* what was found, by kind */
} ObDomainReport;

const char     *ob_finding_severity_to_string (ObFindingSeverity severity);
void            ob_domain_report_free         (ObDomainReport  *report);
gboolean        ob_domain_report_has_errors   (ObDomainReport  *report);
/* The first finding with @id, or NULL. */
ObDomainFinding *ob_domain_report_find        (ObDomainReport  *report,
                                               const char      *id);
/* {"domain", "smtp_host", "provider", "checked_at", "findings": […], "records": {…}} */
JsonNode       *ob_domain_report_to_json      (ObDomainReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObDomainReport, ob_domain_report_free)

#define OB_TYPE_DOMAIN_CHECK (ob_domain_check_get_type ())
G_DECLARE_FINAL_TYPE (ObDomainCheck, ob_domain_check, OB, DOMAIN_CHECK, GObject)

ObDomainCheck  *ob_domain_check_new                (ObDnsResolver        *resolver);
/* The SMTP host the account sends through (provider awareness, DNSBL). */
void            ob_domain_check_set_smtp_host      (ObDomainCheck        *self,
                                                    const char           *host);
/* A DKIM selector to look at, besides the provider's and the common ones. */
void            ob_domain_check_add_selector       (ObDomainCheck        *self,
                                                    const char           *selector);
/* The address put into a suggested DMARC rua= (default dmarc-reports@DOMAIN). */
void            ob_domain_check_set_report_address (ObDomainCheck        *self,
                                                    const char           *address);
/* DNS blocklist zones (default bl.spamcop.net and zen.spamhaus.org). */
void            ob_domain_check_set_dnsbl_zones    (ObDomainCheck        *self,
                                                    const char * const   *zones);
/* One more CA to trust when fetching the MTA-STS policy. */
void            ob_domain_check_set_extra_ca_file  (ObDomainCheck        *self,
                                                    const char           *path);
/* Where the MTA-STS policy is fetched from instead of
 * https://mta-sts.DOMAIN (e.g. "https://localhost:8443"), for tests. */
void            ob_domain_check_set_mta_sts_origin (ObDomainCheck        *self,
                                                    const char           *origin);

/* Runs every check of @domain; independent lookups run concurrently. */
void            ob_domain_check_run_async          (ObDomainCheck        *self,
                                                    const char           *domain,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
ObDomainReport *ob_domain_check_run_finish         (ObDomainCheck        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
