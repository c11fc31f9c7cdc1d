/* ob-template-renderer.h — the send engine's renderer over the templates
 * area: a campaign step's template merged with a contact's fields
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-clock.h"
#include "ob-message-renderer.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_TEMPLATE_RENDERER (ob_template_renderer_get_type ())

G_DECLARE_FINAL_TYPE (ObTemplateRenderer, ob_template_renderer, OB, TEMPLATE_RENDERER, GObject)

ObTemplateRenderer *ob_template_renderer_new (ObStore *store,
                                              ObClock *clock);

G_END_DECLS
