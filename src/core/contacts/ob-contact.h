/* ob-contact.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OB_TYPE_CONTACT (ob_contact_get_type ())

G_DECLARE_FINAL_TYPE (ObContact, ob_contact, OB, CONTACT, GObject)

/* A contact as read from the database: a snapshot, for lists and export. */
typedef enum
{
  OB_CONTACT_COLUMN_ID,
  OB_CONTACT_COLUMN_EMAIL,
  OB_CONTACT_COLUMN_NAME,
  OB_CONTACT_COLUMN_FIRST_NAME,
  OB_CONTACT_COLUMN_LAST_NAME,
  OB_CONTACT_COLUMN_COMPANY,
  OB_CONTACT_COLUMN_TITLE,
  OB_CONTACT_COLUMN_PHONE,
  OB_CONTACT_COLUMN_WEBSITE,
  OB_CONTACT_COLUMN_COUNTRY,
  OB_CONTACT_COLUMN_TIMEZONE,
  OB_CONTACT_COLUMN_SOURCE,
  OB_CONTACT_COLUMN_NOTES,
  OB_CONTACT_COLUMN_VERDICT,
  OB_CONTACT_COLUMN_STATUS,
  OB_CONTACT_COLUMN_REASONS,
  OB_CONTACT_COLUMN_FLAGS,
  OB_CONTACT_COLUMN_TAGS,
  OB_CONTACT_COLUMN_CUSTOM_JSON,
  OB_CONTACT_COLUMN_CREATED_AT,
  OB_CONTACT_N_COLUMNS,
} ObContactColumn;

gint64      ob_contact_get_id         (ObContact       *self);
const char *ob_contact_get_text       (ObContact       *self,
                                       ObContactColumn  column);
const char *ob_contact_get_email      (ObContact       *self);
const char *ob_contact_get_name       (ObContact       *self);
const char *ob_contact_get_company    (ObContact       *self);
const char *ob_contact_get_country    (ObContact       *self);
const char *ob_contact_get_timezone   (ObContact       *self);
const char *ob_contact_get_source     (ObContact       *self);
const char *ob_contact_get_verdict    (ObContact       *self);
const char *ob_contact_get_status     (ObContact       *self);
GStrv       ob_contact_dup_tags       (ObContact       *self);
gint64      ob_contact_get_created_at (ObContact       *self);

G_END_DECLS
