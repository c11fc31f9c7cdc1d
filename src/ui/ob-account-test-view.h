/* ob-account-test-view.h — runs "Test account" and shows each step as a
 * row: a spinner while it runs, then a check or a cross and plain words.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-account-test.h"

G_BEGIN_DECLS

#define OB_TYPE_ACCOUNT_TEST_VIEW (ob_account_test_view_get_type ())

G_DECLARE_FINAL_TYPE (ObAccountTestView, ob_account_test_view, OB, ACCOUNT_TEST_VIEW, AdwBin)

GtkWidget                 *ob_account_test_view_new        (void);
/* Starts the test of @account with @password (NULL: login not tried),
 * cancelling one under way. "finished" is emitted at the end. */
void                       ob_account_test_view_run        (ObAccountTestView *self,
                                                            ObAccount         *account,
                                                            const char        *password);
void                       ob_account_test_view_cancel     (ObAccountTestView *self);
gboolean                   ob_account_test_view_is_running (ObAccountTestView *self);
/* The last finished report, or NULL. */
const ObAccountTestReport *ob_account_test_view_get_report (ObAccountTestView *self);
/* How many step rows show a check, a cross, or a spinner. */
void                       ob_account_test_view_count      (ObAccountTestView *self,
                                                            guint             *n_passed,
                                                            guint             *n_failed,
                                                            guint             *n_running);
/* The plain-words message of the first failed step, or NULL. */
const char                *ob_account_test_view_get_first_failure (ObAccountTestView *self);

G_END_DECLS
