/* ob-contact-selection.c — a multiple selection over a lazy list.
 *
 * GtkMultiSelection (GTK 4.8) asks its model for every added item when the
 * model changes, to carry the selection over by identity: over a list of a
 * million contacts that reads them all. This one keeps positions only and
 * clears the selection when the list is reloaded, which is what the page
 * wants anyway (a reload re-sorts or re-filters everything).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts-page"

#include "config.h"

#include "ob-contact-selection.h"

struct _ObContactSelection
{
  GObject     parent_instance;

  GListModel *model;
  GtkBitset  *selected;
};

static void list_model_iface_init (GListModelInterface *iface);
static void selection_model_iface_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObContactSelection, ob_contact_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL, selection_model_iface_init))

static GType
get_item_type (GListModel *list)
{
  return g_list_model_get_item_type (OB_CONTACT_SELECTION (list)->model);
}

static guint
get_n_items (GListModel *list)
{
  return g_list_model_get_n_items (OB_CONTACT_SELECTION (list)->model);
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  return g_list_model_get_item (OB_CONTACT_SELECTION (list)->model, position);
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
  g_autoptr(GtkBitset) changes = gtk_bitset_copy (self->selected);
  g_autoptr(GtkBitset) keep = gtk_bitset_copy (self->selected);
  g_autoptr(GtkBitset) add = gtk_bitset_copy (selected);
  guint min, max;

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

static void
items_changed_cb (GListModel         *model,
                  guint               position,
                  guint               removed,
                  guint               added,
                  ObContactSelection *self)
{
  gboolean had = !gtk_bitset_is_empty (self->selected);
  guint n;

  gtk_bitset_remove_all (self->selected);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  n = g_list_model_get_n_items (model);
  if (had && n > 0)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), 0, n);
}

static void
ob_contact_selection_dispose (GObject *object)
{
  ObContactSelection *self = OB_CONTACT_SELECTION (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
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
}

ObContactSelection *
ob_contact_selection_new (GListModel *model)
{
  ObContactSelection *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (OB_TYPE_CONTACT_SELECTION, NULL);
  self->model = g_object_ref (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  return self;
}
