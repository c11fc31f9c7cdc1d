/* ob-contact-table-model.c — the Contacts page's list: a GListModel of
 * ObContact sorted by any column and filtered by a segment plus the page's
 * own filters, read from SQLite one page at a time.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include "ob-contact-private.h"
#include "ob-contact-table-model.h"

/* The contacts of a segment as a GListModel, sorted by a column. Pages are
 * LIMIT/OFFSET over the sort order; at most MAX_PAGES are kept, so a
 * million-row list costs a count and the pages on screen. (Deep pages of a
 * million rows cost an index walk to the offset; keyset paging would not.) */
struct _ObContactTableModel
{
  GObject            parent_instance;

  ObStore           *store;
  ObSegment         *segment;      /* without its search, which is in fts */
  ObSegment         *full_segment; /* as given */
  ObContactColumn    sort_column;
  gboolean           descending;
  char              *hidden_json;  /* JSON array of ids pending deletion, or NULL */
  char              *fts;          /* the search as an FTS5 query, or NULL */
  gboolean           capped;       /* more than OB_CONTACT_TABLE_MODEL_SEARCH_CAP match */
  char              *loaded_key;   /* the query (SQL and values) n_items counts */
  GArray            *matches;      /* with a search: the ids listed, in id order */
  gboolean           unfiltered;   /* that query lists every contact */
  gboolean           unfiltered_but_search; /* …every contact the search finds */

  guint              n_items;
  guint              n_created;
  GHashTable        *pages;        /* page → GPtrArray of ObContact */
  GQueue             lru;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObContactTableModel, ob_contact_table_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static const char *
sort_sql (ObContactColumn column)
{
  switch (column)
    {
    case OB_CONTACT_COLUMN_EMAIL: return "contacts.email COLLATE NOCASE";
    case OB_CONTACT_COLUMN_NAME: return "contacts.name COLLATE NOCASE";
    case OB_CONTACT_COLUMN_COMPANY: return "contacts.company COLLATE NOCASE";
    case OB_CONTACT_COLUMN_COUNTRY: return "contacts.country";
    case OB_CONTACT_COLUMN_SOURCE: return "contacts.source";
    case OB_CONTACT_COLUMN_VERDICT: return "contacts.verdict";
    case OB_CONTACT_COLUMN_STATUS: return "contacts.status";
    case OB_CONTACT_COLUMN_CREATED_AT: return "contacts.created_at";
    default: return NULL;
    }
}

/* The WHERE clause, with its parameters appended to @params. */
static char *
where_sql (ObContactTableModel *self,
           GPtrArray           *params)
{
  g_autofree char *seg = ob_segment_to_sql (self->segment, params);
  GString *sql = g_string_new (seg);

  if (self->hidden_json != NULL)
    {
      g_string_append (sql, " AND contacts.id NOT IN (SELECT value FROM json_each (?))");
      g_ptr_array_add (params, g_strdup (self->hidden_json));
    }
  return g_string_free (sql, FALSE);
}

static char *
order_sql (ObContactTableModel *self)
{
  const char *column = sort_sql (self->sort_column);
  const char *dir = self->descending ? "DESC" : "ASC";

  if (column == NULL)
    return g_strdup_printf ("contacts.id %s", dir);
  return g_strdup_printf ("%s %s, contacts.id %s", column, dir, dir);
}

/* " FROM … WHERE …" for the rows of the list. A search drives the query
 * from the full-text index (so rows stream in id order and LIMIT stops
 * early) instead of collecting every match first. */
static char *
from_where (ObContactTableModel *self,
            GPtrArray           *params)
{
  g_autofree char *where = NULL;

  if (self->fts == NULL)
    {
      where = where_sql (self, params);
      return g_strconcat (" FROM contacts WHERE ", where, NULL);
    }
  g_ptr_array_add (params, g_strdup (self->fts));
  where = where_sql (self, params);
  return g_strconcat (" FROM contacts_fts JOIN contacts ON contacts.id = contacts_fts.rowid"
                      " WHERE contacts_fts MATCH ? AND ", where, NULL);
}

static sqlite3_stmt *
prepare_sql (ObContactTableModel *self,
             const char          *sql,
             GPtrArray           *params)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = ob_store_prepare (self->store, sql, &error);

  if (stmt == NULL)
    {
      g_warning ("Cannot read contacts: %s", error->message);
      return NULL;
    }
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  return stmt;
}

/* A JSON array of @n match ids from @first. */
static char *
ids_json (GArray *ids,
          guint   first,
          guint   n)
{
  GString *json = g_string_new ("[");

  for (guint i = first; i < first + n && i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* @select rows @offset… in the list's order. With a search, the list is
 * the first OB_CONTACT_TABLE_MODEL_SEARCH_CAP matches (in id order),
 * sorted; their ids were read once by the reload, so a page reads contacts
 * by id instead of asking the full-text index again. */
static sqlite3_stmt *
prepare_rows (ObContactTableModel *self,
              const char          *select,
              guint                limit,
              guint                offset)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *order = order_sql (self);
  g_autofree char *sql = NULL;

  if (self->fts == NULL)
    {
      g_autofree char *fw = from_where (self, params);

      sql = g_strdup_printf ("%s%s ORDER BY %s LIMIT %u OFFSET %u", select, fw, order, limit, offset);
    }
  else if (self->sort_column == OB_CONTACT_COLUMN_ID && !self->descending)
    {
      g_ptr_array_add (params, ids_json (self->matches, offset, limit));
      sql = g_strdup_printf ("%s FROM contacts WHERE contacts.id IN (SELECT value FROM json_each (?))"
                             " ORDER BY contacts.id", select);
    }
  else
    {
      g_ptr_array_add (params, ids_json (self->matches, 0, OB_CONTACT_TABLE_MODEL_SEARCH_CAP));
      sql = g_strdup_printf ("%s FROM contacts WHERE contacts.id IN (SELECT value FROM json_each (?))"
                             " ORDER BY %s LIMIT %u OFFSET %u", select, order, limit, offset);
    }
  return prepare_sql (self, sql, params);
}

/* The number of rows; with a search, reads the ids of the first
 * OB_CONTACT_TABLE_MODEL_SEARCH_CAP + 1 matches into self->matches (one
 * pass over the index serves the count and every page). */
static guint
count_rows (ObContactTableModel *self)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *fw = from_where (self, params);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_array_set_size (self->matches, 0);
  if (self->fts == NULL)
    {
      sql = g_strconcat ("SELECT count(*)", fw, NULL);
      stmt = prepare_sql (self, sql, params);
      if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
        return 0;
      return sqlite3_column_int (stmt, 0);
    }
  if (self->unfiltered_but_search)
    {
      /* Nothing but the search: the index alone answers. */
      g_ptr_array_set_size (params, 0);
      g_ptr_array_add (params, g_strdup (self->fts));
      sql = g_strdup_printf ("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? ORDER BY rowid LIMIT %u",
                             OB_CONTACT_TABLE_MODEL_SEARCH_CAP + 1);
    }
  else
    sql = g_strdup_printf ("SELECT contacts.id%s ORDER BY contacts_fts.rowid LIMIT %u",
                           fw, OB_CONTACT_TABLE_MODEL_SEARCH_CAP + 1);
  stmt = prepare_sql (self, sql, params);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (self->matches, id);
    }
  return self->matches->len;
}

/* The list's query, SQL and values, as one string: the same key twice
 * means the same rows, so there is nothing to reload. */
static char *
query_key (ObContactTableModel *self)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *order = order_sql (self);
  g_autofree char *fw = from_where (self, params);
  GString *key = g_string_new (fw);

  g_string_append_printf (key, " ORDER BY %s", order);
  for (guint i = 0; i < params->len; i++)
    {
      g_string_append_c (key, '\x1f');
      g_string_append (key, g_ptr_array_index (params, i));
    }
  return g_string_free (key, FALSE);
}

/* Reloads unless the query is the one already loaded (the search entry and
 * the filters often say again what they said). */
static void
reload_if_changed (ObContactTableModel *self)
{
  g_autofree char *key = query_key (self);

  if (g_strcmp0 (key, self->loaded_key) == 0)
    return;
  ob_contact_table_model_reload (self);
}

static GPtrArray *
fetch_page (ObContactTableModel *self,
            guint                page)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = prepare_rows (self, "SELECT " OB_CONTACT_SELECT,
                                               OB_CONTACT_TABLE_MODEL_PAGE_SIZE,
                                               page * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
  int rc;

  if (stmt == NULL)
    return rows;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, _ob_contact_new_from_stmt (stmt));
      self->n_created++;
    }
  if (rc != SQLITE_DONE)
    g_warning ("Cannot read contacts: %s", sqlite3_errmsg (ob_store_get_db (self->store)));
  return rows;
}

/* SQLite's plan for reading a page of the list as it is now (sort,
 * filters, search), one step a line: what a test or a person looking at a
 * slow sort needs to see. */
char *
ob_contact_table_model_explain (ObContactTableModel *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *sql = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), NULL);

  stmt = prepare_rows (self, "SELECT " OB_CONTACT_SELECT, OB_CONTACT_TABLE_MODEL_PAGE_SIZE,
                       OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
  if (stmt == NULL)
    return NULL;
  sql = g_strconcat ("EXPLAIN QUERY PLAN ", sqlite3_sql (stmt), NULL);
  plan = ob_store_prepare (self->store, sql, &error);
  if (plan == NULL)
    return NULL;
  /* Parameters left unbound plan the same. */
  while (sqlite3_step (plan) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", (const char *) sqlite3_column_text (plan, 3));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GPtrArray *
get_page (ObContactTableModel *self,
          guint                page)
{
  GPtrArray *rows = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  if (rows != NULL)
    {
      if (self->lru.head->data != GUINT_TO_POINTER (page))
        {
          g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
          g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
        }
      return rows;
    }
  rows = fetch_page (self, page);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), rows);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  while (self->lru.length > OB_CONTACT_TABLE_MODEL_MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  return rows;
}

static GType
ob_contact_table_model_get_item_type (GListModel *model)
{
  return OB_TYPE_CONTACT;
}

static guint
ob_contact_table_model_get_n_items (GListModel *model)
{
  return OB_CONTACT_TABLE_MODEL (model)->n_items;
}

static gpointer
ob_contact_table_model_get_item (GListModel *model,
                                 guint       position)
{
  ObContactTableModel *self = OB_CONTACT_TABLE_MODEL (model);
  GPtrArray *rows;
  guint index;

  if (position >= self->n_items)
    return NULL;
  rows = get_page (self, position / OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
  index = position % OB_CONTACT_TABLE_MODEL_PAGE_SIZE;
  /* Rows deleted by someone else until the next reload. */
  if (index >= rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (rows, index));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ob_contact_table_model_get_item_type;
  iface->get_n_items = ob_contact_table_model_get_n_items;
  iface->get_item = ob_contact_table_model_get_item;
}

static void
ob_contact_table_model_finalize (GObject *object)
{
  ObContactTableModel *self = (ObContactTableModel *)object;

  g_queue_clear (&self->lru);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->segment, ob_segment_free);
  g_clear_pointer (&self->full_segment, ob_segment_free);
  g_clear_pointer (&self->hidden_json, g_free);
  g_clear_pointer (&self->fts, g_free);
  g_clear_pointer (&self->loaded_key, g_free);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ob_contact_table_model_parent_class)->finalize (object);
}

static void
ob_contact_table_model_class_init (ObContactTableModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_contact_table_model_finalize;
}

static void
ob_contact_table_model_init (ObContactTableModel *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->sort_column = OB_CONTACT_COLUMN_ID;
  self->matches = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->lru);
}

ObContactTableModel *
ob_contact_table_model_new (ObStore *store)
{
  ObContactTableModel *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  self = g_object_new (OB_TYPE_CONTACT_TABLE_MODEL, NULL);
  self->store = g_object_ref (store);
  ob_contact_table_model_reload (self);
  return self;
}

void
ob_contact_table_model_set_segment (ObContactTableModel *self,
                                    const ObSegment     *segment)
{
  g_return_if_fail (OB_IS_CONTACT_TABLE_MODEL (self));

  g_clear_pointer (&self->segment, ob_segment_free);
  g_clear_pointer (&self->full_segment, ob_segment_free);
  g_clear_pointer (&self->fts, g_free);
  self->segment = segment ? ob_segment_copy (segment) : NULL;
  self->full_segment = segment ? ob_segment_copy (segment) : NULL;
  /* The search is done here, from the index (see from_where()). */
  if (self->segment != NULL && self->segment->search != NULL)
    {
      self->fts = ob_segment_fts_query (self->segment->search);
      g_clear_pointer (&self->segment->search, g_free);
    }
  reload_if_changed (self);
}

const ObSegment *
ob_contact_table_model_get_segment (ObContactTableModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), NULL);

  return self->full_segment;
}

void
ob_contact_table_model_set_sort (ObContactTableModel *self,
                                 ObContactColumn      column,
                                 gboolean             descending)
{
  g_return_if_fail (OB_IS_CONTACT_TABLE_MODEL (self));

  if (sort_sql (column) == NULL)
    column = OB_CONTACT_COLUMN_ID;
  if (self->sort_column == column && self->descending == descending)
    return;
  self->sort_column = column;
  self->descending = descending;
  reload_if_changed (self);
}

/* Ids (gint64) to leave out, e.g. deleted but still undoable; NULL or
 * empty shows all. */
void
ob_contact_table_model_set_hidden (ObContactTableModel *self,
                                   GArray              *ids)
{
  GString *json;

  g_return_if_fail (OB_IS_CONTACT_TABLE_MODEL (self));

  g_clear_pointer (&self->hidden_json, g_free);
  if (ids != NULL && ids->len > 0)
    {
      json = g_string_new ("[");
      for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                g_array_index (ids, gint64, i));
      g_string_append_c (json, ']');
      self->hidden_json = g_string_free (json, FALSE);
    }
  reload_if_changed (self);
}

/* After the contacts changed: recount, drop the cached pages and tell the
 * view that everything changed. */
void
ob_contact_table_model_reload (ObContactTableModel *self)
{
  guint old, count;

  g_return_if_fail (OB_IS_CONTACT_TABLE_MODEL (self));

  old = self->n_items;
  g_free (self->loaded_key);
  self->loaded_key = query_key (self);
  {
    g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *where = where_sql (self, params);

    self->unfiltered = self->fts == NULL && g_strcmp0 (where, "1") == 0;
    self->unfiltered_but_search = self->fts != NULL && g_strcmp0 (where, "1") == 0;
  }
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  count = count_rows (self);
  self->capped = self->fts != NULL && count > OB_CONTACT_TABLE_MODEL_SEARCH_CAP;
  if (self->capped)
    count = OB_CONTACT_TABLE_MODEL_SEARCH_CAP;
  /* One signal for the whole list. The page's view does not see it as
   * such: ObContactSelection turns it into new contacts for the rows GTK
   * holds and a change of length (a replacement told to GTK 4.8 would
   * have it ask for every added item, and remake its row widgets). */
  self->n_items = count;
  if (old != 0 || count != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, count);
}

/* Appends to @ids (gint64) the ids of the @n_items rows from @position,
 * read as ids only (no ObContact made): what a selection acts on. */
void
ob_contact_table_model_append_ids (ObContactTableModel *self,
                                   guint                position,
                                   guint                n_items,
                                   GArray              *ids)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_if_fail (OB_IS_CONTACT_TABLE_MODEL (self));
  g_return_if_fail (ids != NULL);

  if (position >= self->n_items || n_items == 0)
    return;
  n_items = MIN (n_items, self->n_items - position);
  stmt = prepare_rows (self, "SELECT contacts.id", n_items, position);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
}

/* TRUE when a search matched more than OB_CONTACT_TABLE_MODEL_SEARCH_CAP
 * contacts and the list shows only the first of them. */
gboolean
ob_contact_table_model_is_capped (ObContactTableModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), FALSE);

  return self->capped;
}

/* How many ObContact objects this model has made since it was created:
 * tests use it to see that the list stays lazy. */
guint
ob_contact_table_model_get_n_created (ObContactTableModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), 0);

  return self->n_created;
}

/* How many pages of rows are held in memory now (at most
 * OB_CONTACT_TABLE_MODEL_MAX_PAGES). */
guint
ob_contact_table_model_get_n_cached_pages (ObContactTableModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}

/* All contacts in the database, whatever the filters. */
guint
ob_contact_table_model_count_all (ObContactTableModel *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), 0);

  /* The list shows every contact: it has just counted them. */
  if (self->unfiltered)
    return self->n_items;
  stmt = ob_store_prepare (self->store, "SELECT count(*) FROM contacts", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}
