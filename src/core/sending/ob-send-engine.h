/* ob-send-engine.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-campaign.h"
#include "ob-clock.h"
#include "ob-message-renderer.h"
#include "ob-reply-classifier.h"
#include "ob-send-transport.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_SEND_ENGINE (ob_send_engine_get_type ())

G_DECLARE_FINAL_TYPE (ObSendEngine, ob_send_engine, OB, SEND_ENGINE, GObject)

/* The guard on bounce rates, per campaign and per account. */
#define OB_SEND_ENGINE_GUARD_MIN_SENDS  20
#define OB_SEND_ENGINE_GUARD_WARN_RATE  0.02
#define OB_SEND_ENGINE_GUARD_PAUSE_RATE 0.05
#define OB_SEND_ENGINE_GUARD_WINDOW_S   (7 * 86400)
#define OB_SEND_ENGINE_SOFT_STRIKES     3 /* soft bounces on separate days → suppressed */
#define OB_SEND_ENGINE_DOMAIN_STRIKES   3 /* hard bounces in a row → the domain is paused */
#define OB_SEND_ENGINE_STORE_RETRY_S    5 /* the database busy with another writer: try again after */

ObSendEngine *ob_send_engine_new           (ObStore            *store,
                                            ObClock            *clock,
                                            ObSendTransport    *transport,
                                            ObMessageRenderer  *renderer,
                                            ObReplyClassifier  *classifier);
void          ob_send_engine_set_seed      (ObSendEngine       *self,
                                            guint32             seed);
guint         ob_send_engine_recover       (ObSendEngine       *self,
                                            GError            **error);
void          ob_send_engine_run_async     (ObSendEngine       *self,
                                            gint64              until,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean      ob_send_engine_run_finish    (ObSendEngine       *self,
                                            GAsyncResult       *result,
                                            GError            **error);
void          ob_send_engine_start         (ObSendEngine       *self);
void          ob_send_engine_stop          (ObSendEngine       *self);
void          ob_send_engine_wake          (ObSendEngine       *self);
gboolean      ob_send_engine_record_bounce (ObSendEngine       *self,
                                            gint64              queue_id,
                                            const char         *message_id,
                                            ObSendBounceKind    kind,
                                            const char         *reply,
                                            const char         *reason,
                                            GError            **error);
gboolean      ob_send_engine_is_domain_paused (ObSendEngine    *self,
                                               const char      *domain);
gboolean      ob_send_engine_resume_domain (ObSendEngine       *self,
                                            const char         *domain,
                                            GError            **error);

G_END_DECLS
