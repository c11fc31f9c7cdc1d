/* ob-domain-check-store.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-domain-check-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-domain-check-store.h"
#include "ob-reports.h"

ObDomainHealthLevel
ob_domain_health_level_from_string (const char *severity)
{
  if (g_strcmp0 (severity, "error") == 0)
    return OB_DOMAIN_HEALTH_ERROR;
  if (g_strcmp0 (severity, "warning") == 0)
    return OB_DOMAIN_HEALTH_WARNING;
  if (g_strcmp0 (severity, "info") == 0)
    return OB_DOMAIN_HEALTH_INFO;
  if (g_strcmp0 (severity, "ok") == 0)
    return OB_DOMAIN_HEALTH_OK;
  return OB_DOMAIN_HEALTH_UNKNOWN;
}

char *
ob_domain_check_store_normalize (const char *domain)
{
  g_autofree char *copy = NULL;
  char *key;
  gsize len;

  g_return_val_if_fail (domain != NULL, NULL);

  copy = g_strstrip (g_strdup (domain));
  key = g_ascii_strdown (copy, -1);
  len = strlen (key);
  if (len > 0 && key[len - 1] == '.')
    key[len - 1] = '\0';
  return key;
}

static JsonObject *
report_object (JsonNode *report)
{
  if (report == NULL || !JSON_NODE_HOLDS_OBJECT (report))
    return NULL;
  return json_node_get_object (report);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
ob_domain_check_store_save (ObStore   *store,
                            JsonNode  *report,
                            GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *key = NULL;
  JsonObject *object;
  const char *domain;
  const char *smtp_host;
  gint64 checked_at;

  g_return_val_if_fail (OB_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  object = report_object (report);
  domain = object ? member_string (object, "domain") : NULL;
  if (domain == NULL || domain[0] == '\0' || !member_int (object, "checked_at", &checked_at))
    {
      g_set_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID,
                   _("The domain check result has no domain or no time; it was not saved."));
      return FALSE;
    }
  smtp_host = member_string (object, "smtp_host");
  key = ob_domain_check_store_normalize (domain);
  json = json_to_string (report, FALSE);

  stmt = ob_store_prepare (store,
                           "INSERT INTO domain_checks (domain, smtp_host, checked_at, report_json) "
                           "VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT (domain) DO UPDATE SET smtp_host = excluded.smtp_host, "
                           "checked_at = excluded.checked_at, report_json = excluded.report_json",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (smtp_host != NULL && smtp_host[0] != '\0')
    sqlite3_bind_text (stmt, 2, smtp_host, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, checked_at);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_TRANSIENT);
  return ob_store_step_done (store, stmt, error);
}

JsonNode *
ob_domain_check_store_load (ObStore     *store,
                            const char  *domain,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *key = NULL;
  const char *text;
  JsonNode *root;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  key = ob_domain_check_store_normalize (domain);
  stmt = ob_store_prepare (store, "SELECT report_json FROM domain_checks WHERE domain = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_NOT_FOUND,
                   _("The domain %s has not been checked yet."), key);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      ob_store_set_error (store, error);
      return NULL;
    }

  text = (const char *) sqlite3_column_text (stmt, 0);
  parser = json_parser_new ();
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, OB_REPORTS_ERROR, OB_REPORTS_ERROR_INVALID,
                   _("The saved check of %s is damaged; check the domain again."), key);
      return NULL;
    }
  return json_node_copy (root);
}

GStrv
ob_domain_check_store_list_domains (ObStore  *store,
                                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  int rc;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);

  stmt = ob_store_prepare (store, "SELECT domain FROM domain_checks ORDER BY checked_at DESC, domain", error);
  if (stmt == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

ObDomainHealthSummary *
ob_domain_health_summary_from_json (JsonNode *report)
{
  ObDomainHealthSummary *summary;
  JsonObject *object = report_object (report);
  JsonNode *findings;

  g_return_val_if_fail (object != NULL, NULL);

  summary = g_new0 (ObDomainHealthSummary, 1);
  summary->domain = g_strdup (member_string (object, "domain"));
  summary->smtp_host = g_strdup (member_string (object, "smtp_host"));
  member_int (object, "checked_at", &summary->checked_at);
  summary->worst = OB_DOMAIN_HEALTH_UNKNOWN;

  findings = json_object_get_member (object, "findings");
  if (findings == NULL || !JSON_NODE_HOLDS_ARRAY (findings))
    return summary;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (findings)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (findings), i);
      ObDomainHealthLevel level;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      level = ob_domain_health_level_from_string (member_string (json_node_get_object (node), "severity"));
      switch (level)
        {
        case OB_DOMAIN_HEALTH_ERROR:
          summary->n_errors++;
          break;
        case OB_DOMAIN_HEALTH_WARNING:
          summary->n_warnings++;
          break;
        case OB_DOMAIN_HEALTH_INFO:
          summary->n_infos++;
          break;
        case OB_DOMAIN_HEALTH_OK:
          summary->n_ok++;
          break;
        case OB_DOMAIN_HEALTH_UNKNOWN:
        default:
          continue;
        }
      summary->worst = MAX (summary->worst, level);
    }
  return summary;
}

ObDomainHealthSummary *
ob_domain_health_summary_for_domain (ObStore     *store,
                                     const char  *domain,
                                     GError     **error)
{
  g_autoptr(JsonNode) report = NULL;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  report = ob_domain_check_store_load (store, domain, error);
  if (report == NULL)
    return NULL;
  return ob_domain_health_summary_from_json (report);
}

void
ob_domain_health_summary_free (ObDomainHealthSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->domain);
  g_free (summary->smtp_host);
  g_free (summary);
}
