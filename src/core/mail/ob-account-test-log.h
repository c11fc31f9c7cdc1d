/* ob-account-test-log.h — the last "Test account" result of each account,
 * kept as an "account-test" row of the events table.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ob-account-test.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_ACCOUNT_TEST_EVENT_KIND "account-test"

/* Records @report for the account @account_id: whether it passed and the
 * message of the first failed step (translated, as the user saw it). */
gboolean ob_account_test_log_record   (ObStore                   *store,
                                       gint64                     account_id,
                                       const ObAccountTestReport *report,
                                       GError                   **error);
/* The last recorded result: FALSE when the account was never tested.
 * @summary (may be NULL) gets the first failure's message, or NULL. */
gboolean ob_account_test_log_get_last (ObStore                   *store,
                                       gint64                     account_id,
                                       gint64                    *at,
                                       gboolean                  *ok,
                                       char                     **summary);

G_END_DECLS
