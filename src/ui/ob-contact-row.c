/* ob-contact-row.c — one row of the Contacts table: a place in the list
 * whose contact changes when the list is searched or re-sorted.
 *
 * The table's rows are these, not the contacts themselves, so that a new
 * search gives the row widgets GTK already made a new contact to show
 * (their cells listen to ::notify::contact) instead of GTK 4.8 destroying
 * its two hundred rows and making them again on every keystroke.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include "ob-contact-row.h"

struct _ObContactRow
{
  GObject    parent_instance;

  ObContact *contact;
  guint      position;
};

G_DEFINE_FINAL_TYPE (ObContactRow, ob_contact_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ob_contact_row_finalize (GObject *object)
{
  ObContactRow *self = (ObContactRow *)object;

  g_clear_object (&self->contact);

  G_OBJECT_CLASS (ob_contact_row_parent_class)->finalize (object);
}

static void
ob_contact_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ObContactRow *self = OB_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_contact_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ObContactRow *self = OB_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      ob_contact_row_set_contact (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_contact_row_class_init (ObContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_contact_row_finalize;
  object_class->get_property = ob_contact_row_get_property;
  object_class->set_property = ob_contact_row_set_property;

  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL,
                         OB_TYPE_CONTACT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_contact_row_init (ObContactRow *self)
{
}

ObContactRow *
ob_contact_row_new (ObContact *contact,
                    guint      position)
{
  ObContactRow *self;

  g_return_val_if_fail (contact == NULL || OB_IS_CONTACT (contact), NULL);

  self = g_object_new (OB_TYPE_CONTACT_ROW, NULL);
  self->contact = contact ? g_object_ref (contact) : NULL;
  self->position = position;
  return self;
}

/* The contact shown in this row, or NULL (a row kept while the list is
 * empty, or one deleted by someone else). */
ObContact *
ob_contact_row_get_contact (ObContactRow *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_ROW (self), NULL);

  return self->contact;
}

void
ob_contact_row_set_contact (ObContactRow *self,
                            ObContact    *contact)
{
  g_return_if_fail (OB_IS_CONTACT_ROW (self));
  g_return_if_fail (contact == NULL || OB_IS_CONTACT (contact));

  if (g_set_object (&self->contact, contact))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}

/* Where the row is in the list (kept by the list, which moves rows). */
guint
ob_contact_row_get_position (ObContactRow *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_ROW (self), 0);

  return self->position;
}

void
ob_contact_row_set_position (ObContactRow *self,
                             guint         position)
{
  g_return_if_fail (OB_IS_CONTACT_ROW (self));

  self->position = position;
}
