/* ob-bounce-sink.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounce-sink"

#include "config.h"

#include "ob-bounce-sink.h"

G_DEFINE_INTERFACE (ObBounceSink, ob_bounce_sink, G_TYPE_OBJECT)

static void
ob_bounce_sink_default_init (ObBounceSinkInterface *iface)
{
}

gint64
ob_bounce_sink_record_bounce (ObBounceSink  *self,
                              const char    *message_id,
                              ObBounceKind   kind,
                              const char    *reply,
                              const char    *reason,
                              GError       **error)
{
  g_return_val_if_fail (OB_IS_BOUNCE_SINK (self), 0);
  g_return_val_if_fail (message_id != NULL, 0);
  g_return_val_if_fail (kind == OB_BOUNCE_KIND_HARD || kind == OB_BOUNCE_KIND_SOFT, 0);

  return OB_BOUNCE_SINK_GET_IFACE (self)->record_bounce (self, message_id, kind, reply, reason, error);
}

void
ob_bounce_sink_transaction_ended (ObBounceSink *self,
                                  gboolean      committed)
{
  ObBounceSinkInterface *iface;

  g_return_if_fail (OB_IS_BOUNCE_SINK (self));

  iface = OB_BOUNCE_SINK_GET_IFACE (self);
  if (iface->transaction_ended != NULL)
    iface->transaction_ended (self, committed);
}
