/* ob-message-renderer.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-message-renderer.h"

G_DEFINE_INTERFACE (ObMessageRenderer, ob_message_renderer, G_TYPE_OBJECT)

static void
ob_message_renderer_default_init (ObMessageRendererInterface *iface)
{
}

ObRenderedMessage *
ob_rendered_message_new (GBytes     *message,
                         const char *message_id,
                         const char *mail_from,
                         const char *recipient)
{
  ObRenderedMessage *self = g_new0 (ObRenderedMessage, 1);

  self->message = g_bytes_ref (message);
  self->message_id = g_strdup (message_id);
  self->mail_from = g_strdup (mail_from);
  self->recipients = g_new0 (char *, 2);
  self->recipients[0] = g_strdup (recipient);
  return self;
}

void
ob_rendered_message_free (ObRenderedMessage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->message, g_bytes_unref);
  g_free (self->message_id);
  g_free (self->mail_from);
  g_strfreev (self->recipients);
  g_free (self);
}

/* Renders step @step (1 = first mail) of a campaign for one contact, as
 * sent from @account_id. Rendering is CPU work only: no I/O. */
ObRenderedMessage *
ob_message_renderer_render (ObMessageRenderer  *self,
                            gint64              campaign_id,
                            int                 step,
                            gint64              contact_id,
                            gint64              account_id,
                            GError            **error)
{
  g_return_val_if_fail (OB_IS_MESSAGE_RENDERER (self), NULL);

  return OB_MESSAGE_RENDERER_GET_IFACE (self)->render (self, campaign_id, step, contact_id,
                                                       account_id, error);
}
