/* ob-contact-list-model.c — a GListModel of ObContact that reads pages of
 * rows from SQLite when they are asked for, so a list of a million
 * contacts costs a count and a few pages, never a million objects.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include "ob-contact-list-model.h"
#include "ob-contact-private.h"
#include "ob-contacts.h"

/* Rows are in id order (the order they were added). A page is found by
 * seeking to the first id of the nearest page already seen and skipping
 * from there ("id >= ? … OFFSET"), so scrolling costs one page per page and
 * a jump costs one index walk, after which that region is known too. */
struct _ObContactListModel
{
  GObject     parent_instance;

  ObStore    *store;
  ObSegment  *segment;
  guint       n_items;
  GHashTable *pages;    /* page index → GPtrArray of ObContact */
  GQueue      lru;      /* page indexes, most recent first */
  GArray     *anchors;  /* gint64 per page: its first id, or -1 when unknown */
  ObContactColumn sort_column;
  gboolean        descending;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObContactListModel, ob_contact_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
forget_pages (ObContactListModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  g_array_set_size (self->anchors, 0);
}

static gint64
anchor_get (ObContactListModel *self,
            guint               page)
{
  if (page >= self->anchors->len)
    return -1;
  return g_array_index (self->anchors, gint64, page);
}

static void
anchor_set (ObContactListModel *self,
            guint               page,
            gint64              id)
{
  gint64 unknown = -1;

  while (self->anchors->len <= page)
    g_array_append_val (self->anchors, unknown);
  g_array_index (self->anchors, gint64, page) = id;
}

/* The ORDER BY expression of a sortable column (NULL: not sortable).
 * Each has an index (name and company NOCASE), or the table is walked. */
static const char *
sort_expression (ObContactColumn column)
{
  switch (column)
    {
    case OB_CONTACT_COLUMN_ID:
      return "contacts.id";
    case OB_CONTACT_COLUMN_EMAIL:
      return "contacts.email";
    case OB_CONTACT_COLUMN_NAME:
      return "contacts.name COLLATE NOCASE";
    case OB_CONTACT_COLUMN_COMPANY:
      return "contacts.company COLLATE NOCASE";
    case OB_CONTACT_COLUMN_COUNTRY:
      return "contacts.country";
    case OB_CONTACT_COLUMN_VERDICT:
      return "contacts.verdict";
    case OB_CONTACT_COLUMN_STATUS:
      return "contacts.status";
    case OB_CONTACT_COLUMN_CREATED_AT:
      return "contacts.created_at";
    default:
      return NULL;
    }
}

static GPtrArray *
fetch_page (ObContactListModel *self,
            guint               page)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = ob_segment_to_sql (self->segment, params);
  g_autofree char *sql = NULL;
  const char *dir = self->descending ? "DESC" : "ASC";
  gboolean by_id = self->sort_column == OB_CONTACT_COLUMN_ID;
  guint from = page;
  gint64 from_id = self->descending ? G_MAXINT64 : 0;
  int rc;

  /* In id order: the nearest known page at or before this one. Other
   * orders skip from the start along their index. */
  if (by_id)
    {
      while (from > 0 && anchor_get (self, from) < 0)
        from--;
      if (anchor_get (self, from) >= 0)
        from_id = anchor_get (self, from);
    }
  else
    from = 0;

  if (by_id)
    sql = g_strdup_printf ("SELECT " OB_CONTACT_SELECT " FROM contacts WHERE %s AND contacts.id %s ?"
                           " ORDER BY contacts.id %s LIMIT %u OFFSET %u",
                           where, self->descending ? "<=" : ">=", dir, OB_CONTACT_LIST_MODEL_PAGE_SIZE,
                           (page - from) * OB_CONTACT_LIST_MODEL_PAGE_SIZE);
  else
    sql = g_strdup_printf ("SELECT " OB_CONTACT_SELECT " FROM contacts WHERE %s"
                           " ORDER BY %s %s, contacts.id %s LIMIT %u OFFSET %u",
                           where, sort_expression (self->sort_column), dir, dir,
                           OB_CONTACT_LIST_MODEL_PAGE_SIZE, page * OB_CONTACT_LIST_MODEL_PAGE_SIZE);
  stmt = ob_store_prepare (self->store, sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read contacts: %s", error->message);
      return g_steal_pointer (&rows);
    }
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  if (by_id)
    sqlite3_bind_int64 (stmt, params->len + 1, from_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, _ob_contact_new_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    g_warning ("Cannot read contacts: %s", sqlite3_errmsg (ob_store_get_db (self->store)));

  if (by_id && rows->len > 0)
    {
      gint64 last = ob_contact_get_id (g_ptr_array_index (rows, rows->len - 1));

      anchor_set (self, page, ob_contact_get_id (g_ptr_array_index (rows, 0)));
      anchor_set (self, page + 1, self->descending ? last - 1 : last + 1);
    }
  return g_steal_pointer (&rows);
}

static GPtrArray *
get_page (ObContactListModel *self,
          guint               page)
{
  GPtrArray *rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (rows != NULL)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      return rows;
    }

  rows = fetch_page (self, page);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  while (self->lru.length > OB_CONTACT_LIST_MODEL_MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  return rows;
}

static GType
ob_contact_list_model_get_item_type (GListModel *model)
{
  return OB_TYPE_CONTACT;
}

static guint
ob_contact_list_model_get_n_items (GListModel *model)
{
  return OB_CONTACT_LIST_MODEL (model)->n_items;
}

static gpointer
ob_contact_list_model_get_item (GListModel *model,
                                guint       position)
{
  ObContactListModel *self = OB_CONTACT_LIST_MODEL (model);
  GPtrArray *rows;
  guint index;

  if (position >= self->n_items)
    return NULL;
  rows = get_page (self, position / OB_CONTACT_LIST_MODEL_PAGE_SIZE);
  index = position % OB_CONTACT_LIST_MODEL_PAGE_SIZE;
  /* Rows deleted behind the model's back until the next reload. */
  if (index >= rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (rows, index));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ob_contact_list_model_get_item_type;
  iface->get_n_items = ob_contact_list_model_get_n_items;
  iface->get_item = ob_contact_list_model_get_item;
}

static void
ob_contact_list_model_finalize (GObject *object)
{
  ObContactListModel *self = (ObContactListModel *)object;

  forget_pages (self);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->anchors, g_array_unref);
  g_clear_pointer (&self->segment, ob_segment_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ob_contact_list_model_parent_class)->finalize (object);
}

static void
ob_contact_list_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ObContactListModel *self = OB_CONTACT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_contact_list_model_class_init (ObContactListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_contact_list_model_finalize;
  object_class->get_property = ob_contact_list_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_contact_list_model_init (ObContactListModel *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->anchors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->lru);
}

/**
 * ob_contact_list_model_new:
 * @segment: (nullable): the contacts to show; %NULL for all
 *
 * Reads on the calling thread (the main thread for the UI): a count when
 * (re)loaded, then one page of %OB_CONTACT_LIST_MODEL_PAGE_SIZE rows at a
 * time, at most %OB_CONTACT_LIST_MODEL_MAX_PAGES kept.
 */
ObContactListModel *
ob_contact_list_model_new (ObStore         *store,
                           const ObSegment *segment)
{
  ObContactListModel *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_CONTACT_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  self->segment = segment ? ob_segment_copy (segment) : NULL;
  if (!ob_contact_list_model_reload (self, &error))
    g_warning ("Cannot count contacts: %s", error->message);
  return self;
}

void
ob_contact_list_model_set_segment (ObContactListModel *self,
                                   const ObSegment    *segment)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OB_IS_CONTACT_LIST_MODEL (self));

  g_clear_pointer (&self->segment, ob_segment_free);
  self->segment = segment ? ob_segment_copy (segment) : NULL;
  if (!ob_contact_list_model_reload (self, &error))
    g_warning ("Cannot count contacts: %s", error->message);
}

/* After the contacts changed (an import, a delete): recount and drop the
 * cached pages. Emits items-changed over the whole range. */
gboolean
ob_contact_list_model_reload (ObContactListModel  *self,
                              GError             **error)
{
  guint old = self->n_items;
  guint count = 0;
  gboolean ok;

  g_return_val_if_fail (OB_IS_CONTACT_LIST_MODEL (self), FALSE);

  ok = ob_contacts_count (self->store, self->segment, &count, error);
  forget_pages (self);
  self->n_items = ok ? count : 0;
  if (old != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return ok;
}

/**
 * ob_contact_list_model_set_sort:
 * @column: ID (the default: the order contacts were added), EMAIL, NAME,
 *   COMPANY, COUNTRY, VERDICT, STATUS or CREATED_AT
 *
 * Id order pages by seeking; the other orders skip along their index, so
 * a jump deep into a million sorted rows costs a walk of that index.
 * Returns FALSE for a column that cannot be sorted on.
 */
gboolean
ob_contact_list_model_set_sort (ObContactListModel *self,
                                ObContactColumn     column,
                                gboolean            descending)
{
  guint n;

  g_return_val_if_fail (OB_IS_CONTACT_LIST_MODEL (self), FALSE);

  if (column >= OB_CONTACT_N_COLUMNS || sort_expression (column) == NULL)
    return FALSE;
  if (self->sort_column == column && self->descending == !!descending)
    return TRUE;
  self->sort_column = column;
  self->descending = !!descending;
  forget_pages (self);
  n = self->n_items;
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
  return TRUE;
}

guint
ob_contact_list_model_get_n_cached_pages (ObContactListModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_LIST_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}
