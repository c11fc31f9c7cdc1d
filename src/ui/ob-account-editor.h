/* ob-account-editor.h — edits a saved account: sender name, signature,
 * daily limit, reply-to, servers and (optionally) a new password.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-account.h"

G_BEGIN_DECLS

#define OB_TYPE_ACCOUNT_EDITOR (ob_account_editor_get_type ())

G_DECLARE_FINAL_TYPE (ObAccountEditor, ob_account_editor, OB, ACCOUNT_EDITOR, AdwWindow)

/* Edits @account (a copy is saved); "saved" is emitted once it is stored. */
ObAccountEditor *ob_account_editor_new (ObStore   *store,
                                        ObAccount *account);

G_END_DECLS
