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

/* The contacts of a segment as a GListModel, sorted by a column, read a
 * page at a time; at most MAX_PAGES are kept, so a million-row list costs a
 * count and the pages on screen. A page next to one in memory (scrolling)
 * is read from where that one ends (keyset); any other page (a jump) by
 * LIMIT/OFFSET, which walks the index up to the offset. */
struct _ObContactTableModel
{
  GObject            parent_instance;

  ObStore           *store;
  ObSegment         *segment;      /* without its search, which is in fts */
  ObSegment         *full_segment; /* as given */
  ObContactColumn    sort_column;
  gboolean           descending;
  GArray            *hidden;       /* IdRange: ids left out (pending deletion), by lo, apart */
  char              *hidden_table; /* the same as a TEMP table, once made */
  guint              n_hidden;     /* ids in them */
  guint              hidden_serial; /* changes with them (part of the query key) */
  char              *fts;          /* the search as an FTS5 query, or NULL */
  gboolean           capped;       /* more than OB_CONTACT_TABLE_MODEL_SEARCH_CAP match */
  char              *loaded_key;   /* the query (SQL and values) n_items counts */
  GArray            *matches;      /* with a search: the ids listed, in id order */
  gboolean           unfiltered;   /* that query lists every contact */
  gboolean           unfiltered_but_search; /* …every contact the search finds */

  guint              n_items;
  guint              n_created;
  guint              n_from_neighbour; /* pages read from a neighbour's end (keyset) */
  GHashTable        *pages;        /* page → GPtrArray of ObContact */
  GQueue             lru;
};

/* A run of consecutive contact ids, both ends included. */
typedef struct
{
  gint64 lo;
  gint64 hi;
} IdRange;

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

/* The WHERE clause, with its parameters appended to @params; without the
 * hidden rows unless @with_hidden.
 *
 * Hidden ids (a deletion waiting for its Undo toast, or being committed)
 * can be a whole list of a million. As a JSON parameter of every query,
 * SQLite parsed 7 MB and built a b-tree of them each time (0.4 s for the
 * count alone). They are runs of consecutive ids in a TEMP table of this
 * connection instead, (lo, hi) by lo, and a row is left out by one
 * lookup: the last run that starts at or before its id. A selection of
 * every contact is one run, whatever the list's order; a scattered one is
 * as many runs as ids. */
static char *
where_sql (ObContactTableModel *self,
           GPtrArray           *params,
           gboolean             with_hidden)
{
  g_autofree char *seg = ob_segment_to_sql (self->segment, params);
  GString *sql = g_string_new (seg);

  if (with_hidden && self->n_hidden > 0)
    g_string_append_printf (sql, " AND NOT EXISTS (SELECT 1 FROM (SELECT hi FROM temp.%s WHERE lo <= contacts.id"
                                 " ORDER BY lo DESC LIMIT 1) WHERE hi >= contacts.id)", self->hidden_table);
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
      where = where_sql (self, params, TRUE);
      return g_strconcat (" FROM contacts WHERE ", where, NULL);
    }
  g_ptr_array_add (params, g_strdup (self->fts));
  where = where_sql (self, params, TRUE);
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
      g_ptr_array_add (params, _ob_contact_ids_json (self->matches, offset, limit));
      sql = g_strdup_printf ("%s FROM contacts WHERE contacts.id IN (SELECT value FROM json_each (?))"
                             " ORDER BY contacts.id", select);
    }
  else
    {
      g_ptr_array_add (params, _ob_contact_ids_json (self->matches, 0, OB_CONTACT_TABLE_MODEL_SEARCH_CAP));
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
      if (self->n_hidden == 0)
        sql = g_strconcat ("SELECT count(*)", fw, NULL);
      else
        {
          /* The segment's rows less its hidden ones, read along the
           * hidden runs, rather than a lookup for each row of the segment
           * (whose own count may need to read no row at all). CROSS JOIN
           * keeps the runs outside, or a selective segment would scan them
           * all for each of its rows. */
          g_autofree char *all = NULL;
          g_autofree char *seg = NULL;

          g_ptr_array_set_size (params, 0);
          all = where_sql (self, params, FALSE);
          seg = where_sql (self, params, FALSE);
          sql = g_strdup_printf ("SELECT (SELECT count(*) FROM contacts WHERE %s)"
                                 " - (SELECT count(*) FROM temp.%s h CROSS JOIN contacts"
                                 "    ON contacts.id BETWEEN h.lo AND h.hi WHERE %s)",
                                 all, self->hidden_table, seg);
        }
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
  /* The hidden ids are in a table: its changes count. */
  g_string_append_printf (key, " hidden %u", self->hidden_serial);
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

/* The page of rows that follow (@forward) or precede contact @anchor_id
 * in the list's order, without a search; the preceding ones come out
 * nearest first. A range on the sort column's index from the anchor's own
 * value, then its id to break ties: an index seek, where OFFSET 500,000
 * walks half a million index entries (0.2 ms against 30-60 ms here).
 * Rows whose sort value is NULL are never in it (NULL compares to
 * nothing); fetch_page then reads the page by OFFSET. */
static sqlite3_stmt *
prepare_rows_from (ObContactTableModel *self,
                   const char          *select,
                   gint64               anchor_id,
                   gboolean             forward)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *fw = from_where (self, params);
  const char *column = sort_sql (self->sort_column);
  gboolean ascending = self->descending != forward;
  const char *dir = ascending ? "ASC" : "DESC";
  const char *after = ascending ? ">" : "<";
  g_autofree char *range = NULL;
  g_autofree char *order = NULL;
  g_autofree char *sql = NULL;

  if (column == NULL)
    {
      range = g_strdup_printf ("contacts.id %s %" G_GINT64_FORMAT, after, anchor_id);
      order = g_strdup_printf ("contacts.id %s", dir);
    }
  else
    {
      g_autofree char *value = g_strdup_printf ("(SELECT %s FROM contacts WHERE contacts.id = %" G_GINT64_FORMAT ")",
                                                column, anchor_id);

      range = g_strdup_printf ("%s %s= %s AND (%s %s %s OR contacts.id %s %" G_GINT64_FORMAT ")",
                               column, after, value, column, after, value, after, anchor_id);
      order = g_strdup_printf ("%s %s, contacts.id %s", column, dir, dir);
    }
  sql = g_strdup_printf ("%s%s AND %s ORDER BY %s LIMIT %u", select, fw, range, order,
                         OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
  return prepare_sql (self, sql, params);
}

static GPtrArray *
read_rows (ObContactTableModel *self,
           sqlite3_stmt        *stmt)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
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

/* The rows of @page from a neighbour in memory, or NULL. The result must
 * hold exactly the rows the page should: anything else (NULL sort values,
 * the end of the list, rows changed meanwhile) is left to OFFSET. */
static GPtrArray *
fetch_page_from_neighbour (ObContactTableModel *self,
                           guint                page)
{
  guint first = page * OB_CONTACT_TABLE_MODEL_PAGE_SIZE;
  guint expected = MIN (OB_CONTACT_TABLE_MODEL_PAGE_SIZE, self->n_items - MIN (first, self->n_items));
  GPtrArray *before = page > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page - 1)) : NULL;
  GPtrArray *next = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page + 1));
  g_autoptr(GPtrArray) rows = NULL;

  if (self->fts != NULL || expected == 0)
    return NULL;
  if (before != NULL && before->len == OB_CONTACT_TABLE_MODEL_PAGE_SIZE)
    {
      g_autoptr(sqlite3_stmt) stmt =
        prepare_rows_from (self, "SELECT " OB_CONTACT_SELECT,
                           ob_contact_get_id (g_ptr_array_index (before, before->len - 1)), TRUE);

      rows = read_rows (self, stmt);
    }
  else if (next != NULL && next->len > 0 && expected == OB_CONTACT_TABLE_MODEL_PAGE_SIZE)
    {
      g_autoptr(sqlite3_stmt) stmt =
        prepare_rows_from (self, "SELECT " OB_CONTACT_SELECT,
                           ob_contact_get_id (g_ptr_array_index (next, 0)), FALSE);

      rows = read_rows (self, stmt);
      /* Read nearest first: the page's order is the other way round. */
      for (guint i = 0; i < rows->len / 2; i++)
        {
          gpointer tmp = rows->pdata[i];

          rows->pdata[i] = rows->pdata[rows->len - 1 - i];
          rows->pdata[rows->len - 1 - i] = tmp;
        }
    }
  if (rows == NULL || rows->len != expected)
    return NULL;
  self->n_from_neighbour++;
  return g_steal_pointer (&rows);
}

static GPtrArray *
fetch_page (ObContactTableModel *self,
            guint                page)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *rows = fetch_page_from_neighbour (self, page);

  if (rows != NULL)
    return rows;
  stmt = prepare_rows (self, "SELECT " OB_CONTACT_SELECT, OB_CONTACT_TABLE_MODEL_PAGE_SIZE,
                       page * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);
  return read_rows (self, stmt);
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
  if (self->hidden_table != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.%s", self->hidden_table);
      g_autoptr(GError) error = NULL;

      if (!ob_store_exec (self->store, sql, &error))
        g_warning ("Cannot drop the hidden contacts' table: %s", error->message);
    }
  g_clear_pointer (&self->hidden_table, g_free);
  g_clear_pointer (&self->hidden, g_array_unref);
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
  self->hidden = g_array_new (FALSE, FALSE, sizeof (IdRange));
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

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Appends [@lo, @hi] to sorted runs, joining the last one when they touch. */
static void
append_run (GArray *runs,
            gint64  lo,
            gint64  hi)
{
  IdRange *last = runs->len > 0 ? &g_array_index (runs, IdRange, runs->len - 1) : NULL;
  IdRange r = { lo, hi };

  if (last != NULL && (last->hi == G_MAXINT64 || lo <= last->hi + 1))
    last->hi = MAX (last->hi, hi);
  else
    g_array_append_val (runs, r);
}

/* @ids (gint64, any order) as sorted runs of consecutive ids. */
static GArray *
runs_of_ids (GArray *ids)
{
  g_autoptr(GArray) sorted = NULL;
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (IdRange));

  for (guint i = 1; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) < g_array_index (ids, gint64, i - 1))
      {
        sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);
        g_array_append_vals (sorted, ids->data, ids->len);
        g_array_sort (sorted, compare_ids);
        ids = sorted;
        break;
      }
  for (guint i = 0; i < ids->len; i++)
    append_run (runs, g_array_index (ids, gint64, i), g_array_index (ids, gint64, i));
  return runs;
}

/* The runs of @a with those of @b added, or taken out. */
static GArray *
merge_runs (GArray   *a,
            GArray   *b,
            gboolean  subtract)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (IdRange));
  guint i = 0, j = 0;

  if (!subtract)
    {
      while (i < a->len || j < b->len)
        {
          gboolean from_a = j >= b->len ||
                            (i < a->len && g_array_index (a, IdRange, i).lo < g_array_index (b, IdRange, j).lo);
          IdRange *r = from_a ? &g_array_index (a, IdRange, i++) : &g_array_index (b, IdRange, j++);

          append_run (out, r->lo, r->hi);
        }
      return out;
    }
  for (i = 0; i < a->len; i++)
    {
      IdRange r = g_array_index (a, IdRange, i);
      gboolean rest = TRUE;

      /* The runs of @b before this one cannot cut the next ones either. */
      while (j < b->len && g_array_index (b, IdRange, j).hi < r.lo)
        j++;
      for (guint k = j; rest && k < b->len && g_array_index (b, IdRange, k).lo <= r.hi; k++)
        {
          IdRange *cut = &g_array_index (b, IdRange, k);

          if (cut->lo > r.lo)
            append_run (out, r.lo, cut->lo - 1);
          if (cut->hi >= r.hi)
            rest = FALSE;
          else
            r.lo = MAX (r.lo, cut->hi + 1);
        }
      if (rest)
        append_run (out, r.lo, r.hi);
    }
  return out;
}

static guint
count_ids (GArray *runs)
{
  guint64 n = 0;

  for (guint i = 0; i < runs->len; i++)
    n += (guint64) (g_array_index (runs, IdRange, i).hi - g_array_index (runs, IdRange, i).lo) + 1;
  return (guint) MIN (n, G_MAXUINT);
}

/* Writes @runs as the hidden table, all or nothing, and makes them the
 * model's. */
static gboolean
set_hidden_runs (ObContactTableModel  *self,
                 GArray               *runs,
                 GError              **error)
{
  static guint n_tables;
  g_autofree char *clear = NULL;
  g_autofree char *insert = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = ob_store_get_db (self->store);

  /* One table per model: two windows share a connection. */
  if (self->hidden_table == NULL)
    {
      g_autofree char *name = g_strdup_printf ("ob_hidden_contacts_%u", g_atomic_int_add (&n_tables, 1));
      g_autofree char *sql = g_strdup_printf ("CREATE TEMP TABLE IF NOT EXISTS %s"
                                              " (lo INTEGER PRIMARY KEY, hi INTEGER NOT NULL)", name);

      if (!ob_store_exec (self->store, sql, error))
        return FALSE;
      self->hidden_table = g_steal_pointer (&name);
    }
  /* A savepoint, not ob_store_begin(): BEGIN IMMEDIATE would wait for a
   * worker writing the database (a deletion being committed), and only
   * this connection's TEMP table is written. */
  clear = g_strdup_printf ("SAVEPOINT ob_hidden; DELETE FROM temp.%s", self->hidden_table);
  if (!ob_store_exec (self->store, clear, error))
    {
      sqlite3_exec (db, "ROLLBACK TO ob_hidden; RELEASE ob_hidden", NULL, NULL, NULL);
      return FALSE;
    }
  insert = g_strdup_printf ("INSERT INTO temp.%s (lo, hi) VALUES (?, ?)", self->hidden_table);
  stmt = ob_store_prepare (self->store, insert, error);
  for (guint i = 0; stmt != NULL && i < runs->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (runs, IdRange, i).lo);
      sqlite3_bind_int64 (stmt, 2, g_array_index (runs, IdRange, i).hi);
      if (!ob_store_step_done (self->store, stmt, error))
        g_clear_pointer (&stmt, sqlite3_finalize);
      else
        sqlite3_reset (stmt);
    }
  if (stmt == NULL)
    {
      sqlite3_exec (db, "ROLLBACK TO ob_hidden; RELEASE ob_hidden", NULL, NULL, NULL);
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!ob_store_exec (self->store, "RELEASE ob_hidden", error))
    return FALSE;
  g_array_unref (self->hidden);
  self->hidden = g_array_ref (runs);
  self->n_hidden = count_ids (runs);
  self->hidden_serial++;
  reload_if_changed (self);
  return TRUE;
}

/**
 * ob_contact_table_model_hide:
 * @ids: (element-type gint64): contacts to leave out
 *
 * Leaves @ids out of the list, with those already hidden (a deletion
 * waiting for its Undo toast, or being committed), until
 * ob_contact_table_model_unhide(). Costs a lookup per row read while
 * anything is hidden, whatever their number.
 */
gboolean
ob_contact_table_model_hide (ObContactTableModel  *self,
                             GArray               *ids,
                             GError              **error)
{
  g_autoptr(GArray) runs = NULL;
  g_autoptr(GArray) merged = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), FALSE);

  if (ids == NULL || ids->len == 0)
    return TRUE;
  runs = runs_of_ids (ids);
  merged = merge_runs (self->hidden, runs, FALSE);
  return set_hidden_runs (self, merged, error);
}

/**
 * ob_contact_table_model_unhide:
 * @ids: (element-type gint64) (nullable): contacts to show again, or
 *   %NULL for every hidden one
 *
 * Shows @ids again (Undo), or, once deleted, forgets them.
 */
gboolean
ob_contact_table_model_unhide (ObContactTableModel  *self,
                               GArray               *ids,
                               GError              **error)
{
  g_autoptr(GArray) runs = NULL;
  g_autoptr(GArray) left = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), FALSE);

  if (self->n_hidden == 0 || (ids != NULL && ids->len == 0))
    return TRUE;
  if (ids == NULL)
    left = g_array_new (FALSE, FALSE, sizeof (IdRange));
  else
    {
      runs = runs_of_ids (ids);
      left = merge_runs (self->hidden, runs, TRUE);
    }
  return set_hidden_runs (self, left, error);
}

/* How many ids are hidden (ob_contact_table_model_hide()). */
guint
ob_contact_table_model_get_n_hidden (ObContactTableModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), 0);

  return self->n_hidden;
}

/* Ids (gint64) to leave out instead of those hidden so far; NULL or
 * empty shows all. */
void
ob_contact_table_model_set_hidden (ObContactTableModel *self,
                                   GArray              *ids)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OB_IS_CONTACT_TABLE_MODEL (self));

  if (!ob_contact_table_model_unhide (self, NULL, &error) ||
      !ob_contact_table_model_hide (self, ids, &error))
    g_warning ("Cannot hide contacts: %s", error->message);
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
    g_autofree char *where = where_sql (self, params, FALSE);
    gboolean no_filter = g_strcmp0 (where, "1") == 0;

    /* Every contact, hidden ones left out: what count_all() answers. */
    self->unfiltered = self->fts == NULL && no_filter;
    self->unfiltered_but_search = self->fts != NULL && no_filter && self->n_hidden == 0;
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

/* All contacts in the database, whatever the filters; hidden ones left
 * out. */
guint
ob_contact_table_model_count_all (ObContactTableModel *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), 0);

  /* The list shows every contact: it has just counted them. */
  if (self->unfiltered)
    return self->n_items;
  if (self->n_hidden > 0)
    sql = g_strdup_printf ("SELECT (SELECT count(*) FROM contacts)"
                           " - (SELECT count(*) FROM temp.%s h CROSS JOIN contacts"
                           "    ON contacts.id BETWEEN h.lo AND h.hi)", self->hidden_table);
  stmt = ob_store_prepare (self->store, sql != NULL ? sql : "SELECT count(*) FROM contacts", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}

/* How many pages were read from a neighbour in memory rather than by
 * OFFSET: for tests. */
guint
ob_contact_table_model_get_n_pages_from_neighbour (ObContactTableModel *self)
{
  g_return_val_if_fail (OB_IS_CONTACT_TABLE_MODEL (self), 0);

  return self->n_from_neighbour;
}
