/* ob-contact.c — one contact, as lists and the detail pane show it.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include "ob-contact-private.h"

struct _ObContact
{
  GObject  parent_instance;

  gint64   id;
  gint64   created_at;
  char    *text[OB_CONTACT_N_COLUMNS];
};

G_DEFINE_FINAL_TYPE (ObContact, ob_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EMAIL,
  PROP_NAME,
  PROP_COMPANY,
  PROP_COUNTRY,
  PROP_TIMEZONE,
  PROP_SOURCE,
  PROP_VERDICT,
  PROP_STATUS,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const ObContactColumn prop_columns[N_PROPS] = {
  [PROP_EMAIL] = OB_CONTACT_COLUMN_EMAIL,
  [PROP_NAME] = OB_CONTACT_COLUMN_NAME,
  [PROP_COMPANY] = OB_CONTACT_COLUMN_COMPANY,
  [PROP_COUNTRY] = OB_CONTACT_COLUMN_COUNTRY,
  [PROP_TIMEZONE] = OB_CONTACT_COLUMN_TIMEZONE,
  [PROP_SOURCE] = OB_CONTACT_COLUMN_SOURCE,
  [PROP_VERDICT] = OB_CONTACT_COLUMN_VERDICT,
  [PROP_STATUS] = OB_CONTACT_COLUMN_STATUS,
  [PROP_TAGS] = OB_CONTACT_COLUMN_TAGS,
};

static void
ob_contact_finalize (GObject *object)
{
  ObContact *self = (ObContact *)object;

  for (guint i = 0; i < OB_CONTACT_N_COLUMNS; i++)
    g_clear_pointer (&self->text[i], g_free);

  G_OBJECT_CLASS (ob_contact_parent_class)->finalize (object);
}

static void
ob_contact_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ObContact *self = OB_CONTACT (object);

  if (prop_id == PROP_ID)
    g_value_set_int64 (value, self->id);
  else if (prop_id > PROP_ID && prop_id < N_PROPS)
    g_value_set_string (value, self->text[prop_columns[prop_id]]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
ob_contact_class_init (ObContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *names[N_PROPS] = {
    NULL, "id", "email", "name", "company", "country", "timezone", "source", "verdict", "status", "tags"
  };

  object_class->finalize = ob_contact_finalize;
  object_class->get_property = ob_contact_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = PROP_EMAIL; i < N_PROPS; i++)
    properties[i] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_contact_init (ObContact *self)
{
}

char *
_ob_contact_ids_json (GArray *ids,
                      guint   first,
                      guint   n)
{
  GString *json = g_string_new ("[");

  for (guint i = first; i < ids->len && i - first < n; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

ObContact *
_ob_contact_new_from_stmt (sqlite3_stmt *stmt)
{
  ObContact *self = g_object_new (OB_TYPE_CONTACT, NULL);

  self->id = sqlite3_column_int64 (stmt, OB_CONTACT_COLUMN_ID);
  self->created_at = sqlite3_column_int64 (stmt, OB_CONTACT_COLUMN_CREATED_AT);
  for (guint i = OB_CONTACT_COLUMN_EMAIL; i < OB_CONTACT_N_COLUMNS; i++)
    if (i != OB_CONTACT_COLUMN_CREATED_AT)
      self->text[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
  return self;
}

gint64
ob_contact_get_id (ObContact *self)
{
  g_return_val_if_fail (OB_IS_CONTACT (self), 0);
  return self->id;
}

/* Any text column; NULL when empty. */
const char *
ob_contact_get_text (ObContact       *self,
                     ObContactColumn  column)
{
  g_return_val_if_fail (OB_IS_CONTACT (self), NULL);
  g_return_val_if_fail (column < OB_CONTACT_N_COLUMNS, NULL);
  return self->text[column];
}

const char *
ob_contact_get_email (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_EMAIL);
}

const char *
ob_contact_get_name (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_NAME);
}

const char *
ob_contact_get_company (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_COMPANY);
}

const char *
ob_contact_get_country (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_COUNTRY);
}

const char *
ob_contact_get_timezone (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_TIMEZONE);
}

const char *
ob_contact_get_source (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_SOURCE);
}

const char *
ob_contact_get_verdict (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_VERDICT);
}

const char *
ob_contact_get_status (ObContact *self)
{
  return ob_contact_get_text (self, OB_CONTACT_COLUMN_STATUS);
}

GStrv
ob_contact_dup_tags (ObContact *self)
{
  const char *tags = ob_contact_get_text (self, OB_CONTACT_COLUMN_TAGS);

  if (tags == NULL || *tags == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (tags, ",", -1);
}

gint64
ob_contact_get_created_at (ObContact *self)
{
  g_return_val_if_fail (OB_IS_CONTACT (self), 0);
  return self->created_at;
}
