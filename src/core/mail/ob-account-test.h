/* ob-account-test.h — "Test account": DNS, TCP, TLS, certificate,
 * capabilities and login for SMTP and IMAP, each step in plain words.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-account.h"

G_BEGIN_DECLS

typedef struct
{
  char     *service; /* "smtp", "imap" or "dry-run" */
  char     *step;    /* "dns", "tcp", "tls", "certificate", "connection", "capabilities", "auth", "folder" */
  gboolean  ok;
  char     *message; /* for the salesperson, translated */
  char     *detail;  /* for support: addresses, versions, replies (not translated) */
} ObAccountTestStep;

typedef struct
{
  GPtrArray     *steps;    /* of ObAccountTestStep */
  gboolean       ok;       /* every step passed */
  ObMailTlsInfo *smtp_tls; /* NULL when TLS was not reached */
  ObMailTlsInfo *imap_tls;
} ObAccountTestReport;

void                 ob_account_test_report_free (ObAccountTestReport *report);

/* Runs the test. @password may be NULL (then login is reported as not
 * tried). @timeout_ms bounds each network step (0: 30 s). */
void                 ob_account_test_async       (ObAccount           *account,
                                                  const char          *password,
                                                  guint                timeout_ms,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Called with each step as soon as it is done, in the thread-default main
 * context of the caller (the step belongs to the report). */
typedef void (*ObAccountTestProgressFunc) (const ObAccountTestStep *step,
                                           gpointer                 user_data);

void                 ob_account_test_with_progress_async
                                                 (ObAccount                 *account,
                                                  const char                *password,
                                                  guint                      timeout_ms,
                                                  ObAccountTestProgressFunc  progress,
                                                  gpointer                   progress_data,
                                                  GDestroyNotify             progress_destroy,
                                                  GCancellable              *cancellable,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
ObAccountTestReport *ob_account_test_finish      (GAsyncResult        *result,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObAccountTestReport, ob_account_test_report_free)

G_END_DECLS
