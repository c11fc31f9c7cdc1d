/* ob-message-renderer.h — the seam between the send engine and templates
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One message ready to go: the bytes on the wire and its envelope. */
typedef struct
{
  GBytes  *message;
  char    *message_id; /* without angle brackets */
  char    *mail_from;
  char   **recipients; /* NULL-terminated */
} ObRenderedMessage;

ObRenderedMessage *ob_rendered_message_new  (GBytes            *message,
                                             const char        *message_id,
                                             const char        *mail_from,
                                             const char        *recipient);
void               ob_rendered_message_free (ObRenderedMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObRenderedMessage, ob_rendered_message_free)

#define OB_TYPE_MESSAGE_RENDERER (ob_message_renderer_get_type ())

G_DECLARE_INTERFACE (ObMessageRenderer, ob_message_renderer, OB, MESSAGE_RENDERER, GObject)

struct _ObMessageRendererInterface
{
  GTypeInterface parent_iface;

  ObRenderedMessage *(*render) (ObMessageRenderer  *self,
                                gint64              campaign_id,
                                int                 step,
                                gint64              contact_id,
                                gint64              account_id,
                                GError            **error);
};

ObRenderedMessage *ob_message_renderer_render (ObMessageRenderer  *self,
                                               gint64              campaign_id,
                                               int                 step,
                                               gint64              contact_id,
                                               gint64              account_id,
                                               GError            **error);

G_END_DECLS
