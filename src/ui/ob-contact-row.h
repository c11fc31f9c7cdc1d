/* ob-contact-row.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ob-contact.h"

G_BEGIN_DECLS

#define OB_TYPE_CONTACT_ROW (ob_contact_row_get_type ())

G_DECLARE_FINAL_TYPE (ObContactRow, ob_contact_row, OB, CONTACT_ROW, GObject)

ObContactRow *ob_contact_row_new          (ObContact    *contact,
                                           guint         position);
ObContact    *ob_contact_row_get_contact  (ObContactRow *self);
void          ob_contact_row_set_contact  (ObContactRow *self,
                                           ObContact    *contact);
guint         ob_contact_row_get_position (ObContactRow *self);
void          ob_contact_row_set_position (ObContactRow *self,
                                           guint         position);

G_END_DECLS
