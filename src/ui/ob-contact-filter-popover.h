/* ob-contact-filter-popover.h — the filters of the Contacts page, in the
 * popover of its Filters button.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-segment.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACT_FILTER_POPOVER (ob_contact_filter_popover_get_type ())

G_DECLARE_FINAL_TYPE (ObContactFilterPopover, ob_contact_filter_popover, OB, CONTACT_FILTER_POPOVER, GtkPopover)

GtkWidget *ob_contact_filter_popover_new      (void);
void       ob_contact_filter_popover_apply_to (ObContactFilterPopover *self,
                                               ObSegment              *seg);
void       ob_contact_filter_popover_clear    (ObContactFilterPopover *self);

G_END_DECLS
