/* ob-domain-check-private.h — one run of the Domain health check and the
 * functions its files share: ob-domain-check.c (the object, a run's
 * pending lookups, its start and its end), ob-domain-report.c (the
 * report, its findings and its JSON), and one file per group of checks:
 * ob-domain-check-mx.c, ob-domain-check-spf.c, ob-domain-check-dkim.c,
 * ob-domain-check-dmarc.c, ob-domain-check-mta-sts.c (MTA-STS and
 * TLS-RPT) and ob-domain-check-smtp-host.c (the SMTP host's addresses and
 * DNSBL).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-dns-providers.h"
#include "ob-domain-check.h"

G_BEGIN_DECLS

/* The check object (ob-domain-check.c makes it). */
struct _ObDomainCheck
{
  GObject        parent_instance;
  ObDnsResolver *resolver;
  char          *smtp_host;
  GPtrArray     *selectors;
  char          *report_address;
  GStrv          dnsbl_zones;
  char          *extra_ca_file;
  char          *mta_sts_origin;
};

/* One run of ob_domain_check_run_async(): the report being made and what
 * one group of checks leaves for another. It is the task's data. */
typedef struct
{
  ObDomainCheck       *self;
  char                *domain;
  char                *org_domain;
  const ObDnsProvider *provider;
  ObDomainReport      *report;
  GCancellable        *cancellable;
  guint                pending;
  GTask               *task; /* borrowed: the ops hold the references */

  gboolean             domain_nx_mx;
  gboolean             domain_nx_txt;
  gboolean             has_mx;
  char                *spf_text;       /* the one SPF record, when parsed */
  gboolean             spf_checked;    /* the TXT lookup came back */
  gboolean             addrs_checked;  /* the SMTP host's A/AAAA came back */
  guint                addr_lookups;
  GPtrArray           *smtp_addrs;     /* char* */
  guint                dkim_found;
  guint                dkim_pending;
  gboolean             dkim_error;
  guint                host_spf_pending;
  GPtrArray           *host_spf_missing; /* char*: addresses of the SMTP host the record does not pass */
  ObDomainFinding     *spf_starter;    /* its fix is made at the end */
  JsonObject          *dkim_records;
  JsonArray           *mx_records;
  JsonObject          *dnsbl;
} ObDomainCheckRun;

/* Called with the answer to one _ob_domain_check_run_query() (or the
 * error instead), and the data given to it. */
typedef void (*ObDomainCheckAnswerFunc) (ObDomainCheckRun *run,
                                         const char       *name,
                                         ObDnsAnswer      *answer,
                                         const GError     *error,
                                         gpointer          data);

/* In ob-domain-check.c: the pending lookups (the run ends when none is
 * left) and what every group of checks uses. */
void             _ob_domain_check_op_begin                   (ObDomainCheckRun        *run);
void             _ob_domain_check_op_end                     (ObDomainCheckRun        *run);
void             _ob_domain_check_run_query                  (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              guint16                  type,
                                                              ObDomainCheckAnswerFunc  func,
                                                              gpointer                 data,
                                                              GDestroyNotify           destroy);
GPtrArray       *_ob_domain_check_txt_texts                  (ObDnsAnswer             *answer,
                                                              const char              *name);
void             _ob_domain_check_lookup_failed              (ObDomainCheckRun        *run,
                                                              const char              *group,
                                                              const char              *name,
                                                              const GError            *error);

/* In ob-domain-report.c. */
void             _ob_domain_finding_free                     (ObDomainFinding         *f);
ObDomainFinding *_ob_domain_check_add_finding                (ObDomainCheckRun        *run,
                                                              const char              *id,
                                                              ObFindingSeverity        severity,
                                                              const char              *group,
                                                              const char              *record,
                                                              char                    *message);
void             _ob_domain_finding_set_fix                  (ObDomainFinding         *f,
                                                              const char              *name,
                                                              const char              *type,
                                                              const char              *value);
int              _ob_domain_finding_order                    (gconstpointer            a,
                                                              gconstpointer            b);

/* The groups of checks: the first lookup of each is started by
 * ob_domain_check_run_async(), with these as its answer functions. */

/* In ob-domain-check-mx.c. */
void             _ob_domain_check_mx_cb                      (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);

/* In ob-domain-check-spf.c. */
void             _ob_domain_check_spf_txt_cb                 (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);
void             _ob_domain_check_maybe_check_host_addresses (ObDomainCheckRun        *run);
char            *_ob_domain_check_starter_spf                (ObDomainCheckRun        *run);

/* In ob-domain-check-dkim.c. */
void             _ob_domain_check_dkim_cb                    (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);

/* In ob-domain-check-dmarc.c. */
void             _ob_domain_check_dmarc_cb                   (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);
char            *_ob_domain_check_report_address             (ObDomainCheckRun        *run);
char            *_ob_domain_check_with_report_note           (ObDomainCheckRun        *run,
                                                              char                    *message);

/* In ob-domain-check-mta-sts.c. */
void             _ob_domain_check_mta_sts_cb                 (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);
void             _ob_domain_check_tls_rpt_cb                 (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);

/* In ob-domain-check-smtp-host.c. */
void             _ob_domain_check_smtp_addr_cb               (ObDomainCheckRun        *run,
                                                              const char              *name,
                                                              ObDnsAnswer             *answer,
                                                              const GError            *error,
                                                              gpointer                 data);

G_END_DECLS
