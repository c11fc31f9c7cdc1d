/* ob-template-renderer.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-renderer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-account.h"
#include "ob-message-composer.h"
#include "ob-schedule.h"
#include "ob-sending.h"
#include "ob-contact-fields.h"
#include "ob-contacts.h"
#include "ob-template-renderer.h"
#include "ob-template.h"
#include "ob-template-library.h"

/* ObMessageRenderer over the templates area. For one queue row it loads
 * the step's template, the contact's fields (the columns, then custom
 * fields, columns winning), the account's sender name, signature,
 * Reply-To and unsubscribe endpoint, and composes the message with
 * ObMessageComposer. The Date is the clock's now in the recipient's own
 * zone; the Message-ID the composer made goes back to the engine, which
 * records it in the queue row before the message leaves. A follow-up
 * answers the contact's previous message (In-Reply-To, References), so
 * it joins that thread and a reply to either is recognised. */

struct _ObTemplateRenderer
{
  GObject     parent_instance;

  ObStore    *store;
  ObClock    *clock;
  GHashTable *templates; /* gint64* template id → ObTemplate */
};

static void ob_template_renderer_iface_init (ObMessageRendererInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObTemplateRenderer, ob_template_renderer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_MESSAGE_RENDERER,
                                                      ob_template_renderer_iface_init))

/* The contact's merge fields, and its zone for the Date. */
static GHashTable *
load_contact (ObTemplateRenderer  *self,
              gint64               contact_id,
              GTimeZone          **zone,
              GError             **error)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;

  values = ob_contact_merge_values (self->store, contact_id, &local_error);
  if (values == NULL)
    {
      if (g_error_matches (local_error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND))
        g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                     _("Contact %lld no longer exists"), (long long) contact_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* The Date header is in the recipient's zone. */
  stmt = ob_store_prepare (self->store, "SELECT timezone, country FROM contacts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *zone = ob_schedule_zone_for ((const char *) sqlite3_column_text (stmt, 0),
                                  (const char *) sqlite3_column_text (stmt, 1));
  else
    *zone = ob_schedule_zone_for (NULL, NULL);
  return g_steal_pointer (&values);
}

static ObTemplate *
load_template (ObTemplateRenderer  *self,
               gint64               campaign_id,
               int                  step,
               GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  ObTemplate *template;
  gint64 id;

  stmt = ob_store_prepare (self->store,
                           "SELECT template_id FROM campaign_steps WHERE campaign_id = ?1 AND position = ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int (stmt, 2, step);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND,
                   _("Campaign %lld has no step %d"), (long long) campaign_id, step);
      return NULL;
    }
  id = sqlite3_column_int64 (stmt, 0);

  template = g_hash_table_lookup (self->templates, &id);
  if (template == NULL)
    {
      gint64 *key;

      template = ob_template_library_load (self->store, id, error);
      if (template == NULL)
        return NULL;
      key = g_new (gint64, 1);
      *key = id;
      g_hash_table_insert (self->templates, key, template);
    }
  return g_object_ref (template);
}

/* The Message-ID of the step before @step that went to the contact, or
 * NULL: a follow-up answers it, so it lands in the same thread. */
static char *
previous_message_id (ObTemplateRenderer *self,
                     gint64              campaign_id,
                     int                 step,
                     gint64              contact_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (step <= 1)
    return NULL;
  stmt = ob_store_prepare (self->store,
                           "SELECT q.message_id FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                           "WHERE q.campaign_id = ?1 AND q.contact_id = ?2 AND s.position < ?3 "
                           "AND q.state = 'sent' AND q.message_id IS NOT NULL ORDER BY s.position DESC LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int64 (stmt, 2, contact_id);
  sqlite3_bind_int (stmt, 3, step);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static ObRenderedMessage *
ob_template_renderer_render (ObMessageRenderer  *renderer,
                             gint64              campaign_id,
                             int                 step,
                             gint64              contact_id,
                             gint64              account_id,
                             GError            **error)
{
  ObTemplateRenderer *self = OB_TEMPLATE_RENDERER (renderer);
  g_autoptr(ObTemplate) template = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(ObAccount) account = NULL;
  g_autoptr(ObMessageComposer) composer = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *previous = NULL;
  GMimeMessage *message;
  const char *message_id;
  ObRenderedMessage *rendered;

  if ((template = load_template (self, campaign_id, step, error)) == NULL ||
      (values = load_contact (self, contact_id, &zone, error)) == NULL ||
      (account = ob_account_store_get (self->store, account_id, error)) == NULL)
    return NULL;

  composer = ob_message_composer_new (ob_account_get_email (account),
                                      ob_account_get_display_name (account));
  if (composer == NULL)
    {
      g_set_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID,
                   _("The sending address “%s” is not valid; fix the account"),
                   ob_account_get_email (account));
      return NULL;
    }
  ob_message_composer_set_reply_to (composer, ob_account_get_reply_to (account));
  ob_message_composer_set_signature (composer, ob_account_get_signature (account));

  /* Dated as the recipient reads it: their local time. */
  utc = ob_clock_now_utc (self->clock);
  local = g_date_time_to_timezone (utc, zone);
  ob_message_composer_set_date (composer, local ? local : utc);

  message = ob_message_composer_compose (composer, template, values, error);
  if (message == NULL)
    return NULL;
  message_id = g_mime_message_get_message_id (message);
  previous = previous_message_id (self, campaign_id, step, contact_id);
  if (previous != NULL)
    {
      g_autofree char *ref = g_strdup_printf ("<%s>", previous);

      g_mime_object_set_header (GMIME_OBJECT (message), "In-Reply-To", ref, NULL);
      g_mime_object_set_header (GMIME_OBJECT (message), "References", ref, NULL);
    }
  bytes = ob_message_composer_to_bytes (message);
  rendered = ob_rendered_message_new (bytes, message_id, ob_account_get_email (account),
                                      g_hash_table_lookup (values, "email"));
  g_object_unref (message);
  return rendered;
}

static void
ob_template_renderer_iface_init (ObMessageRendererInterface *iface)
{
  iface->render = ob_template_renderer_render;
}

static void
ob_template_renderer_finalize (GObject *object)
{
  ObTemplateRenderer *self = OB_TEMPLATE_RENDERER (object);

  g_clear_pointer (&self->templates, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (ob_template_renderer_parent_class)->finalize (object);
}

static void
ob_template_renderer_class_init (ObTemplateRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_template_renderer_finalize;
}

static void
ob_template_renderer_init (ObTemplateRenderer *self)
{
  self->templates = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

ObTemplateRenderer *
ob_template_renderer_new (ObStore *store,
                          ObClock *clock)
{
  ObTemplateRenderer *self;

  g_return_val_if_fail (OB_IS_STORE (store), NULL);
  g_return_val_if_fail (OB_IS_CLOCK (clock), NULL);

  self = g_object_new (OB_TYPE_TEMPLATE_RENDERER, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  return self;
}
