/* ob-contact-selection.c — a multiple selection over a lazy list.
 *
 * GtkMultiSelection (GTK 4.8) asks its model for every added item when the
 * model changes, to carry the selection over by identity: over a list of a
 * million contacts that reads them all. This one keeps positions only and
 * clears the selection when the list is reloaded, which is what the page
 * wants anyway (a reload re-sorts or re-filters everything).
 *
 * Its items are ObContactRows, one per place in the list, over the
 * ObContacts of the model it wraps. When the model's items change in place
 * (a search or a sort reloads the list), the rows GTK holds get their new
 * contact and only a change in length reaches the view: GTK 4.8 throws
 * away the row widgets of removed items and makes new ones, two hundred
 * rows of eight cells a keystroke, whereas a row widget told of a new
 * contact only fills its cells again. While the model is empty the rows are
 * kept (empty) for the next non-empty list; the page hides the table then.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include "ob-contact-row.h"
#include "ob-contact-selection.h"

struct _ObContactSelection
{
  GObject     parent_instance;

  GListModel *model;
  GtkBitset  *selected;
  GHashTable *rows;     /* position → ObContactRow (weak: GTK holds them) */
  guint       n_items;  /* as the view was told; more than the model's while kept */
  gboolean    kept;     /* the model is empty, its last rows are kept */
};

static void list_model_iface_init (GListModelInterface *iface);
static void selection_model_iface_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObContactSelection, ob_contact_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL, selection_model_iface_init))

static GType
get_item_type (GListModel *list)
{
  return OB_TYPE_CONTACT_ROW;
}

static guint
get_n_items (GListModel *list)
{
  return OB_CONTACT_SELECTION (list)->n_items;
}

static void
row_finalized_cb (gpointer  data,
                  GObject  *where_the_object_was)
{
  ObContactSelection *self = data;
  ObContactRow *row = (ObContactRow *) where_the_object_was;
  guint position = ob_contact_row_get_position (row);

  if (g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position)) == row)
    g_hash_table_remove (self->rows, GUINT_TO_POINTER (position));
}

static ObContact *
contact_at (ObContactSelection *self,
            guint               position)
{
  if (self->kept)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  ObContactSelection *self = OB_CONTACT_SELECTION (list);
  ObContactRow *row;
  g_autoptr(ObContact) contact = NULL;

  if (position >= self->n_items)
    return NULL;
  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);
  contact = contact_at (self, position);
  row = ob_contact_row_new (contact, position);
  g_object_weak_ref (G_OBJECT (row), row_finalized_cb, self);
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
is_selected (GtkSelectionModel *model,
             guint              position)
{
  return gtk_bitset_contains (OB_CONTACT_SELECTION (model)->selected, position);
}

static GtkBitset *
get_selection_in_range (GtkSelectionModel *model,
                        guint              position,
                        guint              n_items)
{
  return gtk_bitset_ref (OB_CONTACT_SELECTION (model)->selected);
}

/* Changes the selection to @selected where @mask is set, and tells the
 * view which range changed. */
static gboolean
set_selection (GtkSelectionModel *model,
               GtkBitset         *selected,
               GtkBitset         *mask)
{
  ObContactSelection *self = OB_CONTACT_SELECTION (model);
  g_autoptr(GtkBitset) changes = NULL;
  g_autoptr(GtkBitset) keep = gtk_bitset_copy (self->selected);
  g_autoptr(GtkBitset) add = gtk_bitset_copy (selected);
  guint min, max;

  /* Kept rows are not contacts: nothing to select. */
  if (self->kept)
    return FALSE;
  changes = gtk_bitset_copy (self->selected);
  gtk_bitset_subtract (keep, mask);
  gtk_bitset_intersect (add, mask);
  gtk_bitset_union (keep, add);
  /* What changed: in the old or the new selection, not in both. */
  gtk_bitset_difference (changes, keep);
  gtk_bitset_unref (self->selected);
  self->selected = g_steal_pointer (&keep);
  if (!gtk_bitset_is_empty (changes))
    {
      min = gtk_bitset_get_minimum (changes);
      max = gtk_bitset_get_maximum (changes);
      gtk_selection_model_selection_changed (model, min, max - min + 1);
    }
  return TRUE;
}

static gboolean
select_item (GtkSelectionModel *model,
             guint              position,
             gboolean           unselect_rest)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_range (position, 1);
  g_autoptr(GtkBitset) mask = NULL;

  if (unselect_rest)
    mask = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (model)));
  else
    mask = gtk_bitset_new_range (position, 1);
  return set_selection (model, selected, mask);
}

static gboolean
unselect_item (GtkSelectionModel *model,
               guint              position)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (position, 1);

  return set_selection (model, selected, mask);
}

static gboolean
select_range (GtkSelectionModel *model,
              guint              position,
              guint              n_items,
              gboolean           unselect_rest)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_range (position, n_items);
  g_autoptr(GtkBitset) mask = NULL;

  if (unselect_rest)
    mask = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (model)));
  else
    mask = gtk_bitset_new_range (position, n_items);
  return set_selection (model, selected, mask);
}

static gboolean
unselect_range (GtkSelectionModel *model,
                guint              position,
                guint              n_items)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (position, n_items);

  return set_selection (model, selected, mask);
}

static gboolean
select_all (GtkSelectionModel *model)
{
  return select_range (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), FALSE);
}

static gboolean
unselect_all (GtkSelectionModel *model)
{
  return unselect_range (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)));
}

static void
selection_model_iface_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = is_selected;
  iface->get_selection_in_range = get_selection_in_range;
  iface->select_item = select_item;
  iface->unselect_item = unselect_item;
  iface->select_range = select_range;
  iface->unselect_range = unselect_range;
  iface->select_all = select_all;
  iface->unselect_all = unselect_all;
  iface->set_selection = set_selection;
}

/* The model changed @removed items at @position into @added: the rows
 * there that GTK holds get their new contact, and the view hears only of
 * the difference in length. */
static void
items_changed_cb (GListModel         *model,
                  guint               position,
                  guint               removed,
                  guint               added,
                  ObContactSelection *self)
{
  gboolean had = !gtk_bitset_is_empty (self->selected);
  guint n = g_list_model_get_n_items (model);
  guint common;
  g_autoptr(GPtrArray) moved = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  gtk_bitset_remove_all (self->selected);

  if (n == 0 && self->n_items > 0)
    {
      /* Keep the rows for the next list, empty. */
      self->kept = TRUE;
      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, &key, &value))
        ob_contact_row_set_contact (value, NULL);
      if (had)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), 0, self->n_items);
      return;
    }
  if (self->kept)
    {
      /* The kept rows become the start of the new list. */
      self->kept = FALSE;
      position = 0;
      removed = self->n_items;
      added = n;
    }

  common = MIN (removed, added);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint pos = GPOINTER_TO_UINT (key);

      if (pos < position)
        continue;
      if (pos < position + common)
        {
          g_autoptr(ObContact) contact = g_list_model_get_item (model, pos);
          ob_contact_row_set_contact (value, contact);
        }
      else if (pos < position + removed)
        {
          /* Gone from the list: GTK lets go of it after the signal. */
          ob_contact_row_set_contact (value, NULL);
          ob_contact_row_set_position (value, G_MAXUINT);
          g_object_weak_unref (value, row_finalized_cb, self);
          g_hash_table_iter_remove (&iter);
        }
      else if (added != removed)
        {
          g_ptr_array_add (moved, value);
          g_hash_table_iter_remove (&iter);
        }
    }
  for (guint i = 0; i < moved->len; i++)
    {
      ObContactRow *row = g_ptr_array_index (moved, i);
      guint pos = ob_contact_row_get_position (row) + added - removed;

      ob_contact_row_set_position (row, pos);
      g_hash_table_insert (self->rows, GUINT_TO_POINTER (pos), row);
    }

  self->n_items = self->n_items - removed + added;
  if (removed != added)
    g_list_model_items_changed (G_LIST_MODEL (self), position + common, removed - common, added - common);
  if (had && self->n_items > 0)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), 0, self->n_items);
}

static void
ob_contact_selection_dispose (GObject *object)
{
  ObContactSelection *self = OB_CONTACT_SELECTION (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->rows != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, row_finalized_cb, self);
      g_clear_pointer (&self->rows, g_hash_table_unref);
    }
  g_clear_pointer (&self->selected, gtk_bitset_unref);

  G_OBJECT_CLASS (ob_contact_selection_parent_class)->dispose (object);
}

static void
ob_contact_selection_class_init (ObContactSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ob_contact_selection_dispose;
}

static void
ob_contact_selection_init (ObContactSelection *self)
{
  self->selected = gtk_bitset_new_empty ();
  self->rows = g_hash_table_new (g_direct_hash, g_direct_equal);
}

ObContactSelection *
ob_contact_selection_new (GListModel *model)
{
  ObContactSelection *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (OB_TYPE_CONTACT_SELECTION, NULL);
  self->model = g_object_ref (model);
  self->n_items = g_list_model_get_n_items (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  return self;
}
