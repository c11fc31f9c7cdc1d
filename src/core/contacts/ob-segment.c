/* ob-segment.c — segments: structured contact filters, their JSON and
 * CLI forms, and their compilation to parameterised SQL.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "ob-contacts.h"
#include "ob-country.h"
#include "ob-segment.h"

G_DEFINE_BOXED_TYPE (ObSegment, ob_segment, ob_segment_copy, ob_segment_free)

static const char * const statuses[] = { "active", "suppressed", "unsubscribed", "invalid", NULL };
static const char * const verdicts[] = { "valid", "risky", "invalid", "unknown", NULL };

ObSegment *
ob_segment_new (void)
{
  return g_new0 (ObSegment, 1);
}

ObSegment *
ob_segment_copy (const ObSegment *self)
{
  ObSegment *copy = g_new0 (ObSegment, 1);

  copy->countries = g_strdupv (self->countries);
  copy->tags = g_strdupv (self->tags);
  copy->sources = g_strdupv (self->sources);
  copy->statuses = g_strdupv (self->statuses);
  copy->verdicts = g_strdupv (self->verdicts);
  copy->domains = g_strdupv (self->domains);
  copy->search = g_strdup (self->search);
  copy->added_after = self->added_after;
  copy->added_before = self->added_before;
  copy->never_contacted = self->never_contacted;
  copy->contacted_within_days = self->contacted_within_days;
  copy->not_contacted_for_days = self->not_contacted_for_days;
  copy->no_bounces = self->no_bounces;
  copy->min_bounces = self->min_bounces;
  return copy;
}

void
ob_segment_free (ObSegment *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->countries);
  g_strfreev (self->tags);
  g_strfreev (self->sources);
  g_strfreev (self->statuses);
  g_strfreev (self->verdicts);
  g_strfreev (self->domains);
  g_free (self->search);
  g_free (self);
}

static gboolean
parse_time (const char  *text,
            gint64      *out,
            GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      g_autofree char *full = g_strconcat (text, "T00:00:00", NULL);
      dt = g_date_time_new_from_iso8601 (full, utc);
    }
  if (dt == NULL)
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("“%s” is not a date; write it as 2026-03-01"), text);
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* A count of days or bounces: 1 to 100000. */
static gboolean
parse_count (const char  *key,
             const char  *text,
             guint       *out,
             GError     **error)
{
  guint64 n = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 100000, &n, NULL))
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("The segment field “%s” needs a whole number from 1 to 100000, not “%s”"),
                   key, text);
      return FALSE;
    }
  *out = (guint) n;
  return TRUE;
}

static gboolean
check_values (const char          *key,
              GStrv                values,
              const char * const  *allowed,
              GError             **error)
{
  for (guint i = 0; values[i] != NULL; i++)
    if (!g_strv_contains (allowed, values[i]))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);
        g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                     _("“%s” is not a %s; use one of: %s"), values[i], key, list);
        return FALSE;
      }
  return TRUE;
}

/* Sets one member from @values (alternatives). */
static gboolean
set_member (ObSegment  *self,
            const char *key,
            GStrv       values,
            GError    **error)
{
  GStrv *slot = NULL;

  for (guint i = 0; values[i] != NULL; i++)
    g_strstrip (values[i]);
  if (values[0] == NULL || *values[0] == '\0')
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("The segment field “%s” has an empty value"), key);
      return FALSE;
    }

  if (g_str_equal (key, "country"))
    {
      for (guint i = 0; values[i] != NULL; i++)
        {
          const char *code = ob_country_from_text (values[i]);

          if (code == NULL)
            {
              g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                           _("“%s” is not a country; use a code such as DE or a name such as Germany"),
                           values[i]);
              return FALSE;
            }
          g_free (values[i]);
          values[i] = g_strdup (code);
        }
      slot = &self->countries;
    }
  else if (g_str_equal (key, "tag"))
    slot = &self->tags;
  else if (g_str_equal (key, "source"))
    slot = &self->sources;
  else if (g_str_equal (key, "domain"))
    {
      for (guint i = 0; values[i] != NULL; i++)
        {
          char *lower = g_utf8_strdown (values[i][0] == '@' ? values[i] + 1 : values[i], -1);
          g_free (values[i]);
          values[i] = lower;
        }
      slot = &self->domains;
    }
  else if (g_str_equal (key, "status"))
    {
      if (!check_values (key, values, statuses, error))
        return FALSE;
      slot = &self->statuses;
    }
  else if (g_str_equal (key, "verdict"))
    {
      if (!check_values (key, values, verdicts, error))
        return FALSE;
      slot = &self->verdicts;
    }
  else if (g_str_equal (key, "search"))
    {
      g_free (self->search);
      self->search = g_strjoinv (" ", values);
      return TRUE;
    }
  else if (g_str_equal (key, "added-after") || g_str_equal (key, "added_after"))
    return values[0] != NULL && parse_time (values[0], &self->added_after, error);
  else if (g_str_equal (key, "added-before") || g_str_equal (key, "added_before"))
    return values[0] != NULL && parse_time (values[0], &self->added_before, error);
  else if (g_str_equal (key, "contacted"))
    {
      if (!g_str_equal (values[0], "never"))
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                       _("The segment field “contacted” takes only “never”; use contacted-within "
                         "or not-contacted-for with a number of days"));
          return FALSE;
        }
      self->never_contacted = TRUE;
      return TRUE;
    }
  else if (g_str_equal (key, "contacted-within") || g_str_equal (key, "contacted_within"))
    return parse_count (key, values[0], &self->contacted_within_days, error);
  else if (g_str_equal (key, "not-contacted-for") || g_str_equal (key, "not_contacted_for"))
    return parse_count (key, values[0], &self->not_contacted_for_days, error);
  else if (g_str_equal (key, "bounces"))
    {
      if (g_str_equal (values[0], "none"))
        {
          self->no_bounces = TRUE;
          return TRUE;
        }
      return parse_count (key, values[0], &self->min_bounces, error);
    }
  else
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("Unknown segment field “%s”; use country, tag, source, status, verdict, domain, "
                     "search, added-after, added-before, contacted, contacted-within, "
                     "not-contacted-for or bounces"), key);
      return FALSE;
    }

  for (guint i = 0; values[i] != NULL; i++)
    if (*values[i] == '\0')
      {
        g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                     _("The segment field “%s” has an empty value"), key);
        return FALSE;
      }

  g_strfreev (*slot);
  *slot = g_strdupv (values);
  return TRUE;
}

/**
 * ob_segment_parse:
 * @expression: the CLI form: comma-separated `field=value` pairs, where a
 *   value may list alternatives with `|`. Fields: country (code or name),
 *   tag, source, status, verdict, domain, search, added-after,
 *   added-before (dates as 2026-03-01), contacted=never,
 *   contacted-within=DAYS, not-contacted-for=DAYS, bounces=none or
 *   bounces=N (at least N, hard and soft together). Example:
 *   `country=DE|AT,tag=fair-2026,verdict=valid,bounces=none`.
 */
ObSegment *
ob_segment_parse (const char  *expression,
                  GError     **error)
{
  g_autoptr(ObSegment) self = ob_segment_new ();
  g_auto(GStrv) pairs = NULL;

  g_return_val_if_fail (expression != NULL, NULL);

  pairs = g_strsplit (expression, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) values = NULL;
      g_autofree char *key = NULL;
      char *eq;

      g_strstrip (pairs[i]);
      if (*pairs[i] == '\0')
        continue;
      eq = strchr (pairs[i], '=');
      if (eq == NULL)
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                       _("“%s” in the segment is not field=value (for example country=DE)"), pairs[i]);
          return NULL;
        }
      key = g_ascii_strdown (pairs[i], eq - pairs[i]);
      g_strstrip (key);
      values = g_strsplit (eq + 1, "|", -1);
      if (!set_member (self, key, values, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

ObSegment *
ob_segment_new_from_json (const char  *json,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(ObSegment) self = ob_segment_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *obj;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                   _("A segment must be a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (obj, l->data);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) values = NULL;

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonNode *e = json_array_get_element (a, i);
              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
                {
                  g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                               _("The segment field “%s” must hold text"), (const char *) l->data);
                  return NULL;
                }
              g_strv_builder_add (b, json_node_get_string (e));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (b, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (json_node_get_int (node));
          g_autofree char *iso = dt ? g_date_time_format_iso8601 (dt) : g_strdup ("");
          g_strv_builder_add (b, iso);
        }
      else
        {
          g_set_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID,
                       _("The segment field “%s” must hold text"), (const char *) l->data);
          return NULL;
        }
      values = g_strv_builder_end (b);
      if (!set_member (self, l->data, values, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

static void
add_array (JsonBuilder *b,
           const char  *name,
           GStrv        values)
{
  if (values == NULL || values[0] == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            char        *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
  g_free (value);
}

char *
ob_segment_to_json (const ObSegment *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_array (b, "country", self->countries);
  add_array (b, "tag", self->tags);
  add_array (b, "source", self->sources);
  add_array (b, "status", self->statuses);
  add_array (b, "verdict", self->verdicts);
  add_array (b, "domain", self->domains);
  if (self->search != NULL)
    {
      json_builder_set_member_name (b, "search");
      json_builder_add_string_value (b, self->search);
    }
  if (self->added_after != 0)
    {
      json_builder_set_member_name (b, "added_after");
      json_builder_add_int_value (b, self->added_after);
    }
  if (self->added_before != 0)
    {
      json_builder_set_member_name (b, "added_before");
      json_builder_add_int_value (b, self->added_before);
    }
  if (self->never_contacted)
    add_string (b, "contacted", g_strdup ("never"));
  if (self->contacted_within_days != 0)
    add_string (b, "contacted_within", g_strdup_printf ("%u", self->contacted_within_days));
  if (self->not_contacted_for_days != 0)
    add_string (b, "not_contacted_for", g_strdup_printf ("%u", self->not_contacted_for_days));
  if (self->no_bounces)
    add_string (b, "bounces", g_strdup ("none"));
  else if (self->min_bounces != 0)
    add_string (b, "bounces", g_strdup_printf ("%u", self->min_bounces));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
add_in (GString    *sql,
        GPtrArray  *params,
        const char *column,
        GStrv       values)
{
  if (values == NULL || values[0] == NULL)
    return;
  g_string_append_printf (sql, " AND %s IN (", column);
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_string_append (sql, i ? ", ?" : "?");
      g_ptr_array_add (params, g_strdup (values[i]));
    }
  g_string_append_c (sql, ')');
}

/* The search index's tokenizer, as contacts_fts declares it (0011, 0014):
 * a word typed in the search is cut into the very tokens the index holds.
 * FTS5 lends its tokenizers only through a connection; a private one in
 * memory serves every thread (a tokenizer made from it is used by one). */
static const char * const TOKENIZER_ARGS[] = { "remove_diacritics", "2" };

static fts5_api *
fts5_from_private_db (void)
{
  static sqlite3 *db;
  static gsize api;  /* fts5_api * */

  if (g_once_init_enter (&api))
    {
      fts5_api *found = NULL;
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) == SQLITE_OK &&
          sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
        {
          sqlite3_bind_pointer (stmt, 1, &found, "fts5_api_ptr", NULL);
          sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      /* Built into every SQLite Outbound runs on; without it nothing
       * else of the search would work either. */
      g_assert (found != NULL);
      g_once_init_leave (&api, (gsize) found);
    }
  return (fts5_api *) api;
}

typedef struct
{
  GString  *q;
  gboolean  any;
} WordTokens;

static int
add_token_cb (void       *data,
              int         tflags,
              const char *token,
              int         n_token,
              int         start,
              int         end)
{
  WordTokens *w = data;

  if (w->any)
    g_string_append_c (w->q, ' ');
  g_string_append_c (w->q, '"');
  for (int i = 0; i < n_token; i++)
    {
      if (token[i] == '"')
        g_string_append_c (w->q, '"');
      g_string_append_c (w->q, token[i]);
    }
  g_string_append_c (w->q, '"');
  w->any = TRUE;
  return SQLITE_OK;
}

/* One typed word: its tokens, each a term, all required, the last one a
 * prefix ("li.wei" is "li" "wei"*). The index keeps no token positions
 * (detail=column, 0014), so FTS5 refuses the word as one phrase of
 * several tokens; as terms, a row matches when it holds them anywhere. A
 * word without a token ("." or "@") is an empty phrase, as the phrase "."*
 * was: FTS5 leaves it out beside other words, and alone it matches
 * nothing. */
static void
append_word (GString    *q,
             const char *word)
{
  fts5_api *api = fts5_from_private_db ();
  fts5_tokenizer tokenizer;
  Fts5Tokenizer *t = NULL;
  void *user_data = NULL;
  WordTokens w = { q, FALSE };

  if (api->xFindTokenizer (api, "unicode61", &user_data, &tokenizer) == SQLITE_OK &&
      tokenizer.xCreate (user_data, (const char **) TOKENIZER_ARGS, G_N_ELEMENTS (TOKENIZER_ARGS), &t) == SQLITE_OK)
    {
      tokenizer.xTokenize (t, &w, FTS5_TOKENIZE_QUERY, word, strlen (word), add_token_cb);
      tokenizer.xDelete (t);
    }
  if (w.any)
    g_string_append_c (q, '*');
  else
    g_string_append (q, "\"\"");
}

/**
 * ob_segment_fts_query:
 *
 * An FTS5 query from free text: each word's tokens as terms, the last one
 * of a word a prefix, all required. Quoting makes FTS5 operators in the
 * text plain words.
 *
 * Returns: the query, or %NULL when @text has no word
 */
char *
ob_segment_fts_query (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);
  GString *q = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (q->len > 0)
        g_string_append_c (q, ' ');
      append_word (q, words[i]);
    }
  if (q->len == 0)
    {
      g_string_free (q, TRUE);
      return NULL;
    }
  return g_string_free (q, FALSE);
}

/**
 * ob_segment_to_sql:
 * @params: (element-type utf8): receives the values to bind, in order
 *
 * Returns a boolean SQL expression over the `contacts` table, with `?`
 * placeholders only.
 */
char *
ob_segment_to_sql (const ObSegment *self,
                   GPtrArray       *params)
{
  GString *sql = g_string_new ("1");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self == NULL)
    return g_string_free (sql, FALSE);

  add_in (sql, params, "contacts.country", self->countries);
  add_in (sql, params, "contacts.source", self->sources);
  add_in (sql, params, "contacts.status", self->statuses);
  add_in (sql, params, "contacts.verdict", self->verdicts);
  add_in (sql, params, "contacts.domain", self->domains);
  if (self->tags != NULL && self->tags[0] != NULL)
    {
      g_string_append (sql, " AND contacts.id IN (SELECT ct.contact_id FROM contact_tags ct"
                            " JOIN tags t ON t.id = ct.tag_id WHERE 1");
      add_in (sql, params, "t.name", self->tags);
      g_string_append_c (sql, ')');
    }
  if (self->search != NULL)
    {
      g_autofree char *q = ob_segment_fts_query (self->search);

      if (q != NULL)
        {
          g_string_append (sql, " AND contacts.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)");
          g_ptr_array_add (params, g_steal_pointer (&q));
        }
    }
  if (self->added_after != 0)
    {
      g_string_append (sql, " AND contacts.created_at >= ?");
      g_ptr_array_add (params, g_strdup_printf ("%" G_GINT64_FORMAT, self->added_after));
    }
  if (self->added_before != 0)
    {
      g_string_append (sql, " AND contacts.created_at < ?");
      g_ptr_array_add (params, g_strdup_printf ("%" G_GINT64_FORMAT, self->added_before));
    }
  if (self->never_contacted)
    g_string_append (sql, " AND contacts.last_contacted_at IS NULL");
  if (self->contacted_within_days != 0)
    {
      g_string_append (sql, " AND contacts.last_contacted_at >= ?");
      g_ptr_array_add (params, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                now - (gint64) self->contacted_within_days * 86400));
    }
  if (self->not_contacted_for_days != 0)
    {
      g_string_append (sql, " AND contacts.last_contacted_at < ?");
      g_ptr_array_add (params, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                now - (gint64) self->not_contacted_for_days * 86400));
    }
  if (self->no_bounces)
    g_string_append (sql, " AND contacts.bounce_count = 0 AND contacts.soft_bounce_count = 0");
  else if (self->min_bounces != 0)
    {
      g_string_append (sql, " AND contacts.bounce_count + contacts.soft_bounce_count >= CAST(? AS INTEGER)");
      g_ptr_array_add (params, g_strdup_printf ("%u", self->min_bounces));
    }
  return g_string_free (sql, FALSE);
}
