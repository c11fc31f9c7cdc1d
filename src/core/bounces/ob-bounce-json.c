/* ob-bounce-json.c — Amazon SES notifications (bounce, complaint,
 * delivery) as JSON, bare or in an SNS envelope, read into the same
 * recipients as a mailed report.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-bounce-report-private.h"

static const char *
json_string_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
json_object_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
json_array_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Amazon SES notifications (bounce, complaint, delivery) as JSON, bare or
 * wrapped in an SNS envelope whose "Message" holds the JSON as a string. */
gboolean
_ob_bounce_parse_json_notification (ObBounceReport *report,
                                    const char     *text)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *start;
  const char *type;
  JsonObject *root, *mail;
  JsonArray *list;

  if (text == NULL || strstr (text, "notificationType") == NULL)
    return FALSE;
  start = strchr (text, '{');
  if (start == NULL)
    return FALSE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, start, -1, NULL))
    {
      /* Text after the closing brace (a signature) makes it invalid. */
      const char *end = strrchr (start, '}');
      g_autofree char *cut = end ? g_strndup (start, end - start + 1) : NULL;

      if (cut == NULL || !json_parser_load_from_data (parser, cut, -1, NULL))
        return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_string_member (root, "Message") != NULL)
    {
      const char *inner = json_string_member (root, "Message");
      g_autoptr(JsonParser) inner_parser = json_parser_new ();

      if (!json_parser_load_from_data (inner_parser, inner, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (inner_parser)))
        return FALSE;
      g_object_unref (parser);
      parser = g_steal_pointer (&inner_parser);
      root = json_node_get_object (json_parser_get_root (parser));
    }

  type = json_string_member (root, "notificationType");
  if (type == NULL)
    type = json_string_member (root, "eventType");
  if (type == NULL)
    return FALSE;

  mail = json_object_member (root, "mail");
  if (mail != NULL && report->original_message_id == NULL)
    {
      JsonObject *common = json_object_member (mail, "commonHeaders");
      const char *id = json_string_member (common, "messageId");

      report->original_message_id = _ob_bounce_strip_angles (id ? id : json_string_member (mail, "messageId"));
    }

  if (g_ascii_strcasecmp (type, "Complaint") == 0)
    {
      JsonObject *complaint = json_object_member (root, "complaint");

      list = json_array_member (complaint, "complainedRecipients");
      for (guint i = 0; list != NULL && i < json_array_get_length (list) && i < OB_BOUNCE_MAX_RECIPIENTS; i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          const char *address = JSON_NODE_HOLDS_OBJECT (node) ?
                                json_string_member (json_node_get_object (node), "emailAddress") : NULL;

          if (address != NULL)
            _ob_bounce_add_feedback_recipient (report, g_strdup (address), NULL,
                                               g_strdup (json_string_member (complaint, "complaintFeedbackType")),
                                               "ses:complaint");
        }
      return report->recipients->len > 0;
    }

  if (g_ascii_strcasecmp (type, "Bounce") == 0 || g_ascii_strcasecmp (type, "Delivery") == 0)
    {
      gboolean delivery = g_ascii_strcasecmp (type, "Delivery") == 0;
      JsonObject *detail = json_object_member (root, delivery ? "delivery" : "bounce");

      list = json_array_member (detail, delivery ? "recipients" : "bouncedRecipients");
      for (guint i = 0; list != NULL && i < json_array_get_length (list) && i < OB_BOUNCE_MAX_RECIPIENTS; i++)
        {
          JsonNode *node = json_array_get_element (list, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *address = delivery ? (JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL)
                                         : json_string_member (item, "emailAddress");
          const char *diag = delivery ? json_string_member (detail, "smtpResponse")
                                      : json_string_member (item, "diagnosticCode");
          ObBounceRecipient *r;

          if (address == NULL)
            continue;
          r = g_new0 (ObBounceRecipient, 1);
          r->recipient = g_strdup (address);
          r->diagnostic = g_strdup (diag);
          r->dsn_action = g_strdup (delivery ? "delivered" : json_string_member (item, "action"));
          r->remote_mta = g_strdup (json_string_member (detail, "remoteMtaIp"));
          _ob_bounce_classify_recipient (r, delivery ? NULL : json_string_member (item, "status"), 0, NULL);
          g_ptr_array_add (report->recipients, r);
        }
      report->is_bounce = report->recipients->len > 0;
      return report->is_bounce;
    }

  return FALSE;
}
