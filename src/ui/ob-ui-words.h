/* ob-ui-words.h — the words the window shows for the ids the core stores
 * (event kinds, address reasons); the ids themselves stay as CLI.md has
 * them.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *ob_ui_words_for_event              (const char *kind);
char       *ob_ui_words_for_address_reasons    (const char *reasons);
const char *ob_ui_words_for_suppression_reason (const char *reason);

G_END_DECLS
