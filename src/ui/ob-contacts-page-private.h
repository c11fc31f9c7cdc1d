/* ob-contacts-page-private.h — helpers of the Contacts page that the
 * widgets it is made of (ob-contact-filter-popover.c,
 * ob-contact-detail-pane.c) share with it; they live in
 * ob-contacts-page.c.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The word shown for a verdict or status id; "" for NULL. */
const char *_ob_contacts_page_word_for    (const char   *value);
/* @t (Unix time) as a local date; "" when unset. */
char       *_ob_contacts_page_format_date (gint64        t);
/* The non-empty items of a comma- or semicolon-separated list, trimmed;
 * NULL when there is none. */
GStrv       _ob_contacts_page_split_list  (const char   *text);
/* Logs @error and shows it under @heading, over @widget's window. */
void        _ob_contacts_page_show_error  (GtkWidget    *widget,
                                           const char   *heading,
                                           const GError *error);

G_END_DECLS
