/* ob-campaign.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ob-campaign.h"
#include "ob-segment.h"
#include "ob-sending.h"
#include "ob-sending-private.h"

static const char * const state_names[] = {
  "draft", "scheduled", "running", "paused", "done", "stopped",
};

const char *
ob_campaign_state_to_string (ObCampaignState state)
{
  g_return_val_if_fail (state <= OB_CAMPAIGN_STOPPED, NULL);

  return state_names[state];
}

gboolean
ob_campaign_state_from_string (const char      *text,
                               ObCampaignState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      {
        *state = (ObCampaignState) i;
        return TRUE;
      }
  return FALSE;
}

ObCampaignSettings *
ob_campaign_settings_new (void)
{
  ObCampaignSettings *settings = g_new0 (ObCampaignSettings, 1);

  settings->account_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  settings->steps = g_array_new (FALSE, FALSE, sizeof (ObCampaignStep));
  ob_send_window_init_default (&settings->window);
  settings->pacing = ob_pacing_find_preset ("normal")->pacing;
  return settings;
}

void
ob_campaign_settings_free (ObCampaignSettings *settings)
{
  if (settings == NULL)
    return;
  g_free (settings->name);
  g_free (settings->segment_json);
  g_array_unref (settings->account_ids);
  g_array_unref (settings->steps);
  g_free (settings);
}

void
ob_campaign_settings_add_account (ObCampaignSettings *settings,
                                  gint64              account_id)
{
  g_return_if_fail (settings != NULL);

  g_array_append_val (settings->account_ids, account_id);
}

void
ob_campaign_settings_add_step (ObCampaignSettings *settings,
                               gint64              template_id,
                               int                 delay_days)
{
  ObCampaignStep step = { template_id, delay_days };

  g_return_if_fail (settings != NULL);

  g_array_append_val (settings->steps, step);
}

gboolean
_ob_sending_add_event (ObStore     *store,
                       gint64       at,
                       const char  *kind,
                       gint64       contact_id,
                       gint64       campaign_id,
                       int          step,
                       gint64       queue_id,
                       gint64       account_id,
                       const char  *reply,
                       const char  *detail,
                       const char  *data,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (store,
                           "INSERT INTO events (at, kind, contact_id, campaign_id, step, queue_id, "
                           "account_id, reply, detail, data) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, at);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  if (contact_id > 0)
    sqlite3_bind_int64 (stmt, 3, contact_id);
  if (campaign_id > 0)
    sqlite3_bind_int64 (stmt, 4, campaign_id);
  if (step > 0)
    sqlite3_bind_int (stmt, 5, step);
  if (queue_id > 0)
    sqlite3_bind_int64 (stmt, 6, queue_id);
  if (account_id > 0)
    sqlite3_bind_int64 (stmt, 7, account_id);
  sqlite3_bind_text (stmt, 8, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, detail, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, data, -1, SQLITE_TRANSIENT);
  return ob_store_step_done (store, stmt, error);
}

/* Marks the contact's later steps of the campaign skipped (after a bounce,
 * a suppression or a failure of an earlier one). */
gboolean
_ob_sending_skip_later_steps (ObStore  *store,
                              gint64    campaign_id,
                              gint64    contact_id,
                              int       after_step,
                              gint64    now,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (store,
                           "UPDATE queue SET state = 'skipped', updated_at = ?1 "
                           "WHERE campaign_id = ?2 AND contact_id = ?3 "
                           "AND state IN ('pending', 'retry') "
                           "AND step_id IN (SELECT id FROM campaign_steps "
                           "                WHERE campaign_id = ?2 AND position > ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, campaign_id);
  sqlite3_bind_int64 (stmt, 3, contact_id);
  sqlite3_bind_int (stmt, 4, after_step);
  return ob_store_step_done (store, stmt, error);
}

/* Step N went out at @sent_at: step N+1 falls due its delay later. */
gboolean
_ob_sending_schedule_next_step (ObStore  *store,
                                gint64    campaign_id,
                                gint64    contact_id,
                                int       sent_step,
                                gint64    sent_at,
                                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (store,
                           "UPDATE queue SET due_at = ?1 + 86400 * s.delay_days, updated_at = ?1 "
                           "FROM campaign_steps s "
                           "WHERE s.id = queue.step_id AND s.campaign_id = ?2 AND s.position = ?3 + 1 "
                           "AND queue.contact_id = ?4 AND queue.state = 'pending' AND queue.due_at IS NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sent_at);
  sqlite3_bind_int64 (stmt, 2, campaign_id);
  sqlite3_bind_int (stmt, 3, sent_step);
  sqlite3_bind_int64 (stmt, 4, contact_id);
  return ob_store_step_done (store, stmt, error);
}

static gboolean
count_query (ObStore     *store,
             const char  *sql,
             gint64       id,
             int         *count,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  *count = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* A running campaign with nothing left to send (and nothing uncertain)
 * is done. */
gboolean
_ob_sending_update_done (ObStore  *store,
                         gint64    campaign_id,
                         gint64    now,
                         gboolean *became_done,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int open_rows;

  if (became_done != NULL)
    *became_done = FALSE;

  if (!count_query (store,
                    "SELECT count(*) FROM queue WHERE campaign_id = ?1 "
                    "AND state IN ('pending', 'retry', 'sending', 'uncertain')",
                    campaign_id, &open_rows, error))
    return FALSE;
  if (open_rows > 0)
    return TRUE;

  stmt = ob_store_prepare (store,
                           "UPDATE campaigns SET state = 'done', updated_at = ?1 "
                           "WHERE id = ?2 AND state = 'running'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, campaign_id);
  if (!ob_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (ob_store_get_db (store)) == 0)
    return TRUE;

  if (became_done != NULL)
    *became_done = TRUE;
  return _ob_sending_add_event (store, now, "done", 0, campaign_id, 0, 0, 0, NULL, NULL, NULL, error);
}

static gboolean
append_ids (ObStore     *store,
            const char  *sql,
            GArray      *ids,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* A segment's contacts (the contacts area compiles it to SQL), active and
 * not invalid. */
static GArray *
segment_audience (ObStore     *store,
                  const char  *segment_json,
                  GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(ObSegment) segment = NULL;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  segment = ob_segment_new_from_json (segment_json, &local_error);
  if (segment == NULL)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("This campaign’s audience cannot be read: %s"), local_error->message);
      return NULL;
    }
  where = ob_segment_to_sql (segment, params);
  sql = g_strdup_printf ("SELECT id FROM contacts WHERE status = 'active' AND verdict != 'invalid' "
                         "AND (%s) ORDER BY id", where);
  stmt = ob_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (params, i), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* The default audience: every active contact not marked invalid, the
 * active ones among {"contact_ids": […]}, or those of a segment (the
 * JSON of ob_segment_to_json()). */
GArray *
ob_campaign_default_audience (ObStore     *store,
                              const char  *segment_json,
                              gpointer     user_data,
                              GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(sqlite3_stmt) check = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *list;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  if (segment_json == NULL || *segment_json == '\0')
    {
      if (!append_ids (store,
                       "SELECT id FROM contacts WHERE status = 'active' AND verdict != 'invalid' "
                       "ORDER BY id",
                       ids, error))
        return NULL;
      return g_steal_pointer (&ids);
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, segment_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("This campaign’s audience cannot be read; choose the contacts again"));
      return NULL;
    }
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "contact_ids") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "contact_ids")))
    return segment_audience (store, segment_json, error);

  check = ob_store_prepare (store,
                            "SELECT 1 FROM contacts WHERE id = ?1 AND status = 'active' "
                            "AND verdict != 'invalid'",
                            error);
  if (check == NULL)
    return NULL;
  list = json_object_get_array_member (object, "contact_ids");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      gint64 id = json_array_get_int_element (list, i);

      sqlite3_reset (check);
      sqlite3_bind_int64 (check, 1, id);
      if (sqlite3_step (check) == SQLITE_ROW)
        g_array_append_val (ids, id);
    }

  return g_steal_pointer (&ids);
}

static gboolean
exists (ObStore     *store,
        const char  *sql,
        gint64       id,
        GError     **error)
{
  int n = 0;

  if (!count_query (store, sql, id, &n, error))
    return FALSE;
  return n > 0;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

typedef struct
{
  const ObCampaignSettings *settings;
  gint64                    now;
  gint64                    id;
} CreateData;

static gboolean
create_in_transaction (ObStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  CreateData *data = user_data;
  const ObCampaignSettings *s = data->settings;
  g_autoptr(sqlite3_stmt) insert = NULL;

  insert = ob_store_prepare (store,
                             "INSERT INTO campaigns (name, state, segment_json, start_at, window_days, "
                             "window_start_min, window_end_min, skip_holidays, daily_cap, interval_min_s, "
                             "interval_max_s, domain_hourly_cap, company_daily_cap, warmup, warmup_start, "
                             "warmup_growth_pct, created_at, updated_at) "
                             "VALUES (?1, 'draft', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                             "?14, ?15, ?16, ?16)",
                             error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, s->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, s->segment_json, -1, SQLITE_TRANSIENT);
  if (s->start_at > 0)
    sqlite3_bind_int64 (insert, 3, s->start_at);
  sqlite3_bind_int (insert, 4, (int) s->window.days);
  sqlite3_bind_int (insert, 5, s->window.start_min);
  sqlite3_bind_int (insert, 6, s->window.end_min);
  sqlite3_bind_int (insert, 7, s->window.skip_holidays ? 1 : 0);
  if (s->pacing.daily_cap > 0)
    sqlite3_bind_int (insert, 8, s->pacing.daily_cap);
  sqlite3_bind_int (insert, 9, s->pacing.interval_min_s);
  sqlite3_bind_int (insert, 10, s->pacing.interval_max_s);
  sqlite3_bind_int (insert, 11, s->pacing.domain_hourly_cap);
  sqlite3_bind_int (insert, 12, s->pacing.company_daily_cap);
  sqlite3_bind_int (insert, 13, s->pacing.warmup ? 1 : 0);
  sqlite3_bind_int (insert, 14, s->pacing.warmup_start);
  sqlite3_bind_int (insert, 15, s->pacing.warmup_growth_pct);
  sqlite3_bind_int64 (insert, 16, data->now);
  if (!ob_store_step_done (store, insert, error))
    return FALSE;
  data->id = ob_store_last_insert_id (store);

  for (guint i = 0; i < s->account_ids->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gint64 account_id = g_array_index (s->account_ids, gint64, i);

      if (!exists (store, "SELECT count(*) FROM accounts WHERE id = ?1", account_id, error))
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                         _("There is no sending account %lld; "
                           "list them with “outbound-cli account list”"), (long long) account_id);
          return FALSE;
        }
      stmt = ob_store_prepare (store,
                               "INSERT OR IGNORE INTO campaign_accounts (campaign_id, account_id, position) "
                               "VALUES (?1, ?2, ?3)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, data->id);
      sqlite3_bind_int64 (stmt, 2, account_id);
      sqlite3_bind_int (stmt, 3, (int) i + 1);
      if (!ob_store_step_done (store, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < s->steps->len; i++)
    {
      const ObCampaignStep *step = &g_array_index (s->steps, ObCampaignStep, i);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (!exists (store, "SELECT count(*) FROM templates WHERE id = ?1", step->template_id, error))
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                         _("There is no template %lld; "
                           "list them with “outbound-cli template list”"), (long long) step->template_id);
          return FALSE;
        }
      stmt = ob_store_prepare (store,
                               "INSERT INTO campaign_steps (campaign_id, position, delay_days, template_id) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, data->id);
      sqlite3_bind_int (stmt, 2, (int) i + 1);
      sqlite3_bind_int (stmt, 3, i == 0 ? 0 : step->delay_days);
      sqlite3_bind_int64 (stmt, 4, step->template_id);
      if (!ob_store_step_done (store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Saves a new campaign as a draft and returns its id (0 on error). */
gint64
ob_campaign_create (ObStore                  *store,
                    const ObCampaignSettings *settings,
                    gint64                    now,
                    GError                  **error)
{
  CreateData data = { settings, now, 0 };

  g_return_val_if_fail (OB_IS_STORE (store), 0);
  g_return_val_if_fail (settings != NULL, 0);

  if (settings->name == NULL || is_blank (settings->name))
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("Give the campaign a name"));
      return 0;
    }
  if (settings->account_ids->len == 0)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("Choose at least one sending account"));
      return 0;
    }
  if (settings->steps->len == 0)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("Choose a template for the first mail"));
      return 0;
    }
  for (guint i = 1; i < settings->steps->len; i++)
    if (g_array_index (settings->steps, ObCampaignStep, i).delay_days < 1)
      {
        g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                     _("A follow-up must wait at least one day after the previous mail"));
        return 0;
      }
  if (!ob_send_window_is_valid (&settings->window))
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("The sending window needs at least one day and an end after its start"));
      return 0;
    }
  if (!ob_pacing_is_valid (&settings->pacing))
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("The pacing is not valid: the caps must be above zero and the shortest "
                     "interval no longer than the longest"));
      return 0;
    }

  if (!ob_store_transaction (store, create_in_transaction, &data, error))
    return 0;
  return data.id;
}

static gboolean
read_state (ObStore          *store,
            gint64            campaign_id,
            ObCampaignState  *state,
            gint64           *start_at,
            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = ob_store_prepare (store, "SELECT state, start_at FROM campaigns WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                   _("There is no campaign %lld; list them with "
                     "“outbound-cli campaign list”"), (long long) campaign_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return FALSE;
    }
  if (!ob_campaign_state_from_string ((const char *) sqlite3_column_text (stmt, 0), state))
    *state = OB_CAMPAIGN_DRAFT;
  if (start_at != NULL)
    *start_at = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

gboolean
ob_campaign_get_state (ObStore          *store,
                       gint64            campaign_id,
                       ObCampaignState  *state,
                       GError          **error)
{
  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  return read_state (store, campaign_id, state, NULL, error);
}

static gboolean
set_state (ObStore          *store,
           gint64            campaign_id,
           ObCampaignState   state,
           const char       *paused_reason,
           gint64            now,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = ob_store_prepare (store,
                           "UPDATE campaigns SET state = ?1, paused_reason = ?2, updated_at = ?3 "
                           "WHERE id = ?4",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ob_campaign_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, paused_reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, campaign_id);
  return ob_store_step_done (store, stmt, error);
}

#define set_state_error(error, state, message) \
  g_set_error ((error), OB_SENDING_ERROR, OB_SENDING_ERROR_STATE, (message), \
               ob_campaign_state_to_string (state))

typedef struct
{
  gint64          campaign_id;
  gint64          now;
  ObAudienceFunc  audience;
  gpointer        audience_data;
} StartData;

/* Leaves one contact per mailbox in @contacts, the first: the list keeps
 * Anna.Schmidt@ and anna.schmidt@ apart, as RFC 5321 lets a server tell
 * them apart, but no mail server met in practice does, and one person
 * would get the mail twice. Each one left out gets a "skipped" event
 * naming the contact that is mailed instead. */
static gboolean
one_per_mailbox (ObStore   *store,
                 gint64     campaign_id,
                 gint64     now,
                 GArray    *contacts,
                 GError   **error)
{
  /* The mailbox, case folded → the address of the contact mailed. */
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) read = NULL;
  guint kept = 0;

  read = ob_store_prepare (store, "SELECT email FROM contacts WHERE id = ?1", error);
  if (read == NULL)
    return FALSE;
  for (guint i = 0; i < contacts->len; i++)
    {
      gint64 id = g_array_index (contacts, gint64, i);
      g_autofree char *email = NULL;
      g_autofree char *mailbox = NULL;
      const char *first;

      sqlite3_reset (read);
      sqlite3_bind_int64 (read, 1, id);
      if (sqlite3_step (read) == SQLITE_ROW)
        {
          email = g_strdup ((const char *) sqlite3_column_text (read, 0));
          /* ASCII letters, as the suppression list and SQLite's NOCASE
           * (ob_contacts_count_mailboxes) fold them. */
          mailbox = g_ascii_strdown (email, -1);
        }
      if (mailbox != NULL && (first = g_hash_table_lookup (seen, mailbox)) != NULL)
        {
          g_autofree char *detail = NULL;

          detail = g_strdup_printf (_("Not mailed: %s is the same mailbox as %s, which is mailed instead"),
                                    email, first);
          if (!_ob_sending_add_event (store, now, "skipped", id, campaign_id, 0, 0, 0,
                                      NULL, detail, NULL, error))
            return FALSE;
          continue;
        }
      if (mailbox != NULL)
        g_hash_table_insert (seen, g_steal_pointer (&mailbox), g_steal_pointer (&email));
      g_array_index (contacts, gint64, kept++) = id;
    }
  g_array_set_size (contacts, kept);
  return TRUE;
}

static gboolean
start_in_transaction (ObStore   *store,
                      gpointer   user_data,
                      GError   **error)
{
  StartData *data = user_data;
  g_autoptr(sqlite3_stmt) campaign = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) warmup = NULL;
  g_autoptr(GArray) contacts = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *segment = NULL;
  g_autofree char *steps_sql = NULL;
  ObCampaignState state;
  gint64 start_at = 0;
  gint64 due;

  if (!read_state (store, data->campaign_id, &state, &start_at, error))
    return FALSE;
  if (state != OB_CAMPAIGN_DRAFT)
    {
      set_state_error (error, state, _("Only a draft campaign can be started; this one is %s"));
      return FALSE;
    }

  campaign = ob_store_prepare (store, "SELECT segment_json FROM campaigns WHERE id = ?1", error);
  if (campaign == NULL)
    return FALSE;
  sqlite3_bind_int64 (campaign, 1, data->campaign_id);
  if (sqlite3_step (campaign) == SQLITE_ROW)
    segment = g_strdup ((const char *) sqlite3_column_text (campaign, 0));

  contacts = data->audience (store, segment, data->audience_data, error);
  if (contacts == NULL)
    return FALSE;
  if (!one_per_mailbox (store, data->campaign_id, data->now, contacts, error))
    return FALSE;
  if (contacts->len == 0)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("The audience has no active contact: nothing to send"));
      return FALSE;
    }

  steps_sql = g_strdup_printf ("SELECT id FROM campaign_steps WHERE campaign_id = %" G_GINT64_FORMAT
                               " ORDER BY position", data->campaign_id);
  if (!append_ids (store, steps_sql, steps, error))
    return FALSE;

  insert = ob_store_prepare (store,
                             "INSERT OR IGNORE INTO queue (campaign_id, step_id, contact_id, state, "
                             "due_at, updated_at) VALUES (?1, ?2, ?3, 'pending', ?4, ?5)",
                             error);
  if (insert == NULL)
    return FALSE;
  due = MAX (start_at, data->now);
  for (guint c = 0; c < contacts->len; c++)
    for (guint s = 0; s < steps->len; s++)
      {
        sqlite3_reset (insert);
        sqlite3_clear_bindings (insert);
        sqlite3_bind_int64 (insert, 1, data->campaign_id);
        sqlite3_bind_int64 (insert, 2, g_array_index (steps, gint64, s));
        sqlite3_bind_int64 (insert, 3, g_array_index (contacts, gint64, c));
        /* Follow-ups fall due when the step before them went out. */
        if (s == 0)
          sqlite3_bind_int64 (insert, 4, due);
        sqlite3_bind_int64 (insert, 5, data->now);
        if (!ob_store_step_done (store, insert, error))
          return FALSE;
      }

  /* A warm-up counts from the first day the mailbox sends for us. */
  warmup = ob_store_prepare (store,
                             "UPDATE accounts SET warmup_start_at = ?1, updated_at = ?1 "
                             "WHERE warmup_start_at IS NULL AND id IN "
                             "(SELECT account_id FROM campaign_accounts WHERE campaign_id = ?2) "
                             "AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?2 AND warmup = 1)",
                             error);
  if (warmup == NULL)
    return FALSE;
  sqlite3_bind_int64 (warmup, 1, due);
  sqlite3_bind_int64 (warmup, 2, data->campaign_id);
  if (!ob_store_step_done (store, warmup, error))
    return FALSE;

  if (!set_state (store, data->campaign_id,
                  start_at > data->now ? OB_CAMPAIGN_SCHEDULED : OB_CAMPAIGN_RUNNING,
                  NULL, data->now, error))
    return FALSE;

  return _ob_sending_add_event (store, data->now, "started", 0, data->campaign_id, 0, 0, 0,
                                NULL, NULL, NULL, error);
}

/* Turns a draft into a scheduled or running campaign: one queue row per
 * contact of the audience and step. */
gboolean
ob_campaign_start (ObStore         *store,
                   gint64           campaign_id,
                   gint64           now,
                   ObAudienceFunc   audience,
                   gpointer         audience_data,
                   GError         **error)
{
  StartData data = { campaign_id, now, audience, audience_data };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  if (data.audience == NULL)
    data.audience = ob_campaign_default_audience;
  return ob_store_transaction (store, start_in_transaction, &data, error);
}

typedef enum
{
  CHANGE_PAUSE,
  CHANGE_RESUME,
  CHANGE_STOP,
} Change;

typedef struct
{
  gint64      campaign_id;
  gint64      now;
  const char *reason;
  Change      change;
} ChangeData;

static gboolean
change_in_transaction (ObStore   *store,
                       gpointer   user_data,
                       GError   **error)
{
  ChangeData *data = user_data;
  ObCampaignState state;
  gint64 start_at = 0;

  if (!read_state (store, data->campaign_id, &state, &start_at, error))
    return FALSE;

  switch (data->change)
    {
    case CHANGE_PAUSE:
      if (state != OB_CAMPAIGN_RUNNING && state != OB_CAMPAIGN_SCHEDULED)
        {
          set_state_error (error, state, _("Only a running or scheduled campaign can be paused; this one is %s"));
          return FALSE;
        }
      {
        const char *reason = data->reason ? data->reason : _("Paused by you");

        return set_state (store, data->campaign_id, OB_CAMPAIGN_PAUSED, reason, data->now, error) &&
               _ob_sending_add_event (store, data->now, "paused", 0, data->campaign_id, 0, 0, 0,
                                      NULL, reason, NULL, error);
      }
    case CHANGE_RESUME:
      if (state != OB_CAMPAIGN_PAUSED)
        {
          set_state_error (error, state, _("Only a paused campaign can be resumed; this one is %s"));
          return FALSE;
        }
      return set_state (store, data->campaign_id,
                        start_at > data->now ? OB_CAMPAIGN_SCHEDULED : OB_CAMPAIGN_RUNNING,
                        NULL, data->now, error) &&
             _ob_sending_add_event (store, data->now, "resumed", 0, data->campaign_id, 0, 0, 0,
                                    NULL, NULL, NULL, error) &&
             _ob_sending_update_done (store, data->campaign_id, data->now, NULL, error);
    case CHANGE_STOP:
    default:
      {
        g_autoptr(sqlite3_stmt) stmt = NULL;

        if (state == OB_CAMPAIGN_DONE || state == OB_CAMPAIGN_STOPPED)
          {
            set_state_error (error, state, _("This campaign is already %s"));
            return FALSE;
          }
        stmt = ob_store_prepare (store,
                                 "UPDATE queue SET state = 'skipped', updated_at = ?1 "
                                 "WHERE campaign_id = ?2 AND state IN ('pending', 'retry')",
                                 error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, data->now);
        sqlite3_bind_int64 (stmt, 2, data->campaign_id);
        return ob_store_step_done (store, stmt, error) &&
               set_state (store, data->campaign_id, OB_CAMPAIGN_STOPPED, NULL, data->now, error) &&
               _ob_sending_add_event (store, data->now, "stopped", 0, data->campaign_id, 0, 0, 0,
                                      NULL, NULL, NULL, error);
      }
    }
}

typedef struct
{
  gint64 campaign_id;
  gint64 now;
} StartJob;

static void
start_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StartJob *job = task_data;
  g_autoptr(ObStore) conn = NULL;
  GError *error = NULL;

  conn = ob_store_open_another (OB_STORE (source_object), &error);
  if (conn == NULL || !ob_campaign_start (conn, job->campaign_id, job->now, NULL, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ob_campaign_start_async (ObStore             *store,
                         gint64               campaign_id,
                         gint64               now,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StartJob *job = g_new0 (StartJob, 1);

  g_return_if_fail (OB_IS_STORE (store));

  job->campaign_id = campaign_id;
  job->now = now;
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_campaign_start_async);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, start_thread);
}

gboolean
ob_campaign_start_finish (ObStore       *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Pauses a running or scheduled campaign; @reason is shown to the user
 * (NULL: paused by the user). */
gboolean
ob_campaign_pause (ObStore     *store,
                   gint64       campaign_id,
                   const char  *reason,
                   gint64       now,
                   GError     **error)
{
  ChangeData data = { campaign_id, now, reason, CHANGE_PAUSE };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  return ob_store_transaction (store, change_in_transaction, &data, error);
}

gboolean
ob_campaign_resume (ObStore  *store,
                    gint64    campaign_id,
                    gint64    now,
                    GError  **error)
{
  ChangeData data = { campaign_id, now, NULL, CHANGE_RESUME };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  return ob_store_transaction (store, change_in_transaction, &data, error);
}

/* Stops a campaign for good: what was still to send is skipped. */
gboolean
ob_campaign_stop (ObStore  *store,
                  gint64    campaign_id,
                  gint64    now,
                  GError  **error)
{
  ChangeData data = { campaign_id, now, NULL, CHANGE_STOP };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  return ob_store_transaction (store, change_in_transaction, &data, error);
}

typedef struct
{
  gint64                queue_id;
  ObUncertainResolution resolution;
  gint64                now;
} ResolveData;

static gboolean
resolve_in_transaction (ObStore   *store,
                        gpointer   user_data,
                        GError   **error)
{
  ResolveData *data = user_data;
  g_autoptr(sqlite3_stmt) row = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 campaign_id, contact_id, account_id;
  int step;

  row = ob_store_prepare (store,
                          "SELECT q.campaign_id, q.contact_id, s.position, q.state, q.account_id "
                          "FROM queue q JOIN campaign_steps s ON s.id = q.step_id WHERE q.id = ?1",
                          error);
  if (row == NULL)
    return FALSE;
  sqlite3_bind_int64 (row, 1, data->queue_id);
  if (sqlite3_step (row) != SQLITE_ROW)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                   _("There is no queued message %lld"), (long long) data->queue_id);
      return FALSE;
    }
  if (g_strcmp0 ((const char *) sqlite3_column_text (row, 3), "uncertain") != 0)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE,
                   _("Message %lld is not waiting for your decision"),
                   (long long) data->queue_id);
      return FALSE;
    }
  campaign_id = sqlite3_column_int64 (row, 0);
  contact_id = sqlite3_column_int64 (row, 1);
  step = sqlite3_column_int (row, 2);
  account_id = sqlite3_column_int64 (row, 4);

  if (data->resolution == OB_UNCERTAIN_RESEND)
    {
      update = ob_store_prepare (store,
                                 "UPDATE queue SET state = 'retry', due_at = ?1, updated_at = ?1 "
                                 "WHERE id = ?2",
                                 error);
      if (update == NULL)
        return FALSE;
      sqlite3_bind_int64 (update, 1, data->now);
      sqlite3_bind_int64 (update, 2, data->queue_id);
      return ob_store_step_done (store, update, error) &&
             _ob_sending_add_event (store, data->now, "retry", contact_id, campaign_id, step,
                                    data->queue_id, account_id, NULL,
                                    _("You chose to send it again"), NULL, error);
    }

  update = ob_store_prepare (store,
                             "UPDATE queue SET state = 'sent', sent_at = coalesce(sent_at, updated_at), "
                             "updated_at = ?1 WHERE id = ?2",
                             error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, data->now);
  sqlite3_bind_int64 (update, 2, data->queue_id);
  return ob_store_step_done (store, update, error) &&
         _ob_sending_add_event (store, data->now, "sent", contact_id, campaign_id, step,
                                data->queue_id, account_id, NULL,
                                _("You confirmed it was sent"), NULL, error) &&
         _ob_sending_schedule_next_step (store, campaign_id, contact_id, step, data->now, error) &&
         _ob_sending_update_done (store, campaign_id, data->now, NULL, error);
}

/* The user's word on a message that may or may not have gone before a
 * crash: send it again, or count it as sent. */
gboolean
ob_campaign_resolve_uncertain (ObStore                *store,
                               gint64                  queue_id,
                               ObUncertainResolution   resolution,
                               gint64                  now,
                               GError                **error)
{
  ResolveData data = { queue_id, resolution, now };

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);

  return ob_store_transaction (store, resolve_in_transaction, &data, error);
}

void
ob_campaign_status_free (ObCampaignStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->paused_reason);
  g_free (status);
}

ObCampaignStatus *
ob_campaign_get_status (ObStore  *store,
                        gint64    campaign_id,
                        GError  **error)
{
  g_autoptr(ObCampaignStatus) status = g_new0 (ObCampaignStatus, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  if (!read_state (store, campaign_id, &status->state, NULL, error))
    return NULL;

  stmt = ob_store_prepare (store,
                           "SELECT "
                           " (SELECT paused_reason FROM campaigns WHERE id = ?1),"
                           " (SELECT count(*) FROM queue WHERE campaign_id = ?1"
                           "    AND state IN ('pending', 'retry', 'sending')),"
                           " (SELECT count(*) FROM queue WHERE campaign_id = ?1 AND state = 'sent'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'hard_bounce'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'soft_bounce'),"
                           " (SELECT count(DISTINCT q.contact_id) FROM queue q JOIN contacts c"
                           "    ON c.id = q.contact_id WHERE q.campaign_id = ?1 AND (c.replied_at IS NOT NULL"
                           "    OR EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id"
                           "               AND e.kind = 'replied'))),"
                           " (SELECT count(DISTINCT q.contact_id) FROM queue q JOIN contacts c"
                           "    ON c.id = q.contact_id WHERE q.campaign_id = ?1 AND c.status IN ('suppressed', 'unsubscribed')),"
                           " (SELECT count(*) FROM queue WHERE campaign_id = ?1 AND state = 'uncertain'),"
                           " (SELECT count(*) FROM events WHERE campaign_id = ?1 AND kind = 'hard_bounce'"
                           "    AND data LIKE '" OB_ATTEMPT_DATA_PREFIX "%')",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  status->paused_reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  status->queued = sqlite3_column_int (stmt, 1);
  status->sent = sqlite3_column_int (stmt, 2);
  status->hard_bounces = sqlite3_column_int (stmt, 3);
  status->soft_bounces = sqlite3_column_int (stmt, 4);
  status->replies = sqlite3_column_int (stmt, 5);
  status->suppressed = sqlite3_column_int (stmt, 6);
  status->uncertain = sqlite3_column_int (stmt, 7);
  {
    /* Rejected at RCPT/DATA never counted as sent; later bounces did. */
    int sync_hard = sqlite3_column_int (stmt, 8);
    int attempts = status->sent + sync_hard;
    status->bounce_rate = attempts > 0 ? (double) status->hard_bounces / attempts : 0.0;
  }

  return g_steal_pointer (&status);
}

static void
log_entry_free (ObCampaignLogEntry *entry)
{
  g_free (entry->contact);
  g_free (entry->event);
  g_free (entry->reply);
  g_free (entry->detail);
  g_free (entry->local_time);
  g_free (entry);
}

/* Every event of the campaign, oldest first, with the time in the
 * contact's own zone. A GPtrArray of ObCampaignLogEntry. */
GPtrArray *
ob_campaign_get_log (ObStore  *store,
                     gint64    campaign_id,
                     GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) log_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  ObCampaignState state;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  if (!read_state (store, campaign_id, &state, NULL, error))
    return NULL;

  stmt = ob_store_prepare (store,
                           "SELECT e.at, c.email, e.step, e.kind, e.reply, e.detail, c.timezone, c.country, "
                           "e.contact_id, coalesce(e.queue_id, 0) "
                           "FROM events e LEFT JOIN contacts c ON c.id = e.contact_id "
                           "WHERE e.campaign_id = ?1 ORDER BY e.at, e.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObCampaignLogEntry *entry = g_new0 (ObCampaignLogEntry, 1);

      entry->at = sqlite3_column_int64 (stmt, 0);
      entry->contact = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->step = sqlite3_column_int (stmt, 2);
      entry->event = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->reply = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->queue_id = sqlite3_column_int64 (stmt, 9);
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        {
          g_autoptr(GTimeZone) zone = ob_schedule_zone_for ((const char *) sqlite3_column_text (stmt, 6),
                                                            (const char *) sqlite3_column_text (stmt, 7));
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (entry->at);
          g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, zone) : NULL;

          if (local != NULL)
            entry->local_time = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
        }
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static void
upcoming_free (ObCampaignUpcoming *upcoming)
{
  g_free (upcoming->contact);
  g_free (upcoming->local_time);
  g_free (upcoming);
}

static gint
compare_upcoming (gconstpointer a,
                  gconstpointer b)
{
  const ObCampaignUpcoming *ua = *(ObCampaignUpcoming **) a;
  const ObCampaignUpcoming *ub = *(ObCampaignUpcoming **) b;

  if (ua->at != ub->at)
    return ua->at < ub->at ? -1 : 1;
  return (ua->queue_id > ub->queue_id) - (ua->queue_id < ub->queue_id);
}

/* The timeline of a campaign's detail page: the next @limit messages
 * that are due, each at the earliest moment its recipient's window and
 * holidays allow (the account's pace may move it later), soonest first.
 * A GPtrArray of ObCampaignUpcoming. */
GPtrArray *
ob_campaign_get_upcoming (ObStore  *store,
                          gint64    campaign_id,
                          gint64    now,
                          guint     limit,
                          GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) upcoming_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  ObCampaignState state;
  ObSendWindow window;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  if (!read_state (store, campaign_id, &state, NULL, error))
    return NULL;

  stmt = ob_store_prepare (store,
                           "SELECT q.id, c.email, s.position, q.due_at, c.timezone, c.country, "
                           "k.window_days, k.window_start_min, k.window_end_min, k.skip_holidays "
                           "FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                           "JOIN contacts c ON c.id = q.contact_id JOIN campaigns k ON k.id = q.campaign_id "
                           "WHERE q.campaign_id = ?1 AND q.state IN ('pending', 'retry') "
                           "AND q.due_at IS NOT NULL AND c.status = 'active'",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *zone_name = (const char *) sqlite3_column_text (stmt, 4);
      const char *country = (const char *) sqlite3_column_text (stmt, 5);
      g_autoptr(GTimeZone) zone = ob_schedule_zone_for (zone_name, country);
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;
      ObCampaignUpcoming *u;
      gint64 at;

      window.days = (guint) sqlite3_column_int (stmt, 6);
      window.start_min = sqlite3_column_int (stmt, 7);
      window.end_min = sqlite3_column_int (stmt, 8);
      window.skip_holidays = sqlite3_column_int (stmt, 9) != 0;
      if (!ob_send_window_is_valid (&window))
        continue;
      at = ob_schedule_next_allowed (&window, zone, country, MAX (now, sqlite3_column_int64 (stmt, 3)));
      if (at < 0)
        continue;

      u = g_new0 (ObCampaignUpcoming, 1);
      u->queue_id = sqlite3_column_int64 (stmt, 0);
      u->contact = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      u->step = sqlite3_column_int (stmt, 2);
      u->at = at;
      utc = g_date_time_new_from_unix_utc (at);
      local = utc ? g_date_time_to_timezone (utc, zone) : NULL;
      u->local_time = local ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
      g_ptr_array_add (list, u);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }

  g_ptr_array_sort (list, compare_upcoming);
  if (limit > 0 && list->len > limit)
    g_ptr_array_remove_range (list, limit, list->len - limit);
  return g_steal_pointer (&list);
}

static void
summary_free (ObCampaignSummary *summary)
{
  g_free (summary->name);
  g_free (summary);
}

/* Every campaign, newest first. A GPtrArray of ObCampaignSummary. */
GPtrArray *
ob_campaign_list (ObStore  *store,
                  GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) summary_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store,
                           "SELECT c.id, c.name, c.state,"
                           " (SELECT count(*) FROM queue q WHERE q.campaign_id = c.id),"
                           " (SELECT count(*) FROM queue q WHERE q.campaign_id = c.id AND q.state = 'sent') "
                           "FROM campaigns c ORDER BY c.id DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ObCampaignSummary *summary = g_new0 (ObCampaignSummary, 1);

      summary->id = sqlite3_column_int64 (stmt, 0);
      summary->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (!ob_campaign_state_from_string ((const char *) sqlite3_column_text (stmt, 2), &summary->state))
        summary->state = OB_CAMPAIGN_DRAFT;
      summary->total = sqlite3_column_int (stmt, 3);
      summary->sent = sqlite3_column_int (stmt, 4);
      g_ptr_array_add (list, summary);
    }
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
