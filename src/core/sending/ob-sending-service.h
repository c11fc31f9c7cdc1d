/* ob-sending-service.h — the send engine with its real adapters and the
 * mailbox poller, as the app runs them while campaigns are active.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-mailbox-poller.h"
#include "ob-send-engine.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_SENDING_SERVICE (ob_sending_service_get_type ())

G_DECLARE_FINAL_TYPE (ObSendingService, ob_sending_service, OB, SENDING_SERVICE, GObject)

ObSendingService *ob_sending_service_new              (ObStore           *store);
gboolean          ob_sending_service_start            (ObSendingService  *self,
                                                       guint             *uncertain,
                                                       GError           **error);
void              ob_sending_service_stop             (ObSendingService  *self);
gboolean          ob_sending_service_get_active       (ObSendingService  *self);
void              ob_sending_service_refresh          (ObSendingService  *self);
ObSendEngine     *ob_sending_service_get_engine       (ObSendingService  *self);
void              ob_sending_service_set_poll_minutes (ObSendingService  *self,
                                                       guint              minutes);
gboolean          ob_sending_service_set_bounce_folder (ObSendingService *self,
                                                        const char       *folder,
                                                        GError          **error);
void              ob_sending_service_poll_now         (ObSendingService  *self);
void              ob_sending_service_poll_account_async  (ObSendingService    *self,
                                                          gint64               account_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean          ob_sending_service_poll_account_finish (ObSendingService     *self,
                                                          GAsyncResult         *result,
                                                          ObMailboxPollResult  *out,
                                                          GError              **error);

G_END_DECLS
