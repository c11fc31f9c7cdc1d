/* ob-application.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-sending-service.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_APPLICATION (ob_application_get_type ())

G_DECLARE_FINAL_TYPE (ObApplication, ob_application, OB, APPLICATION, AdwApplication)

ObApplication    *ob_application_new                 (void);
ObStore          *ob_application_get_store           (ObApplication *self);
ObSendingService *ob_application_get_sending_service (ObApplication *self);
void              ob_application_campaigns_changed   (void);

G_END_DECLS
