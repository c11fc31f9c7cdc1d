/* ob-accounts-page.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OB_TYPE_ACCOUNTS_PAGE (ob_accounts_page_get_type ())

G_DECLARE_FINAL_TYPE (ObAccountsPage, ob_accounts_page, OB, ACCOUNTS_PAGE, AdwBin)

GtkWidget *ob_accounts_page_new    (void);
/* Reads the accounts from the window's database again. */
void       ob_accounts_page_reload (ObAccountsPage *self);

G_END_DECLS
