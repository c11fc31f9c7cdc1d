/* ob-ui.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-ui"

#include "config.h"

#include <gio/gio.h>

#include "ob-core.h"
#include "ob-ui.h"
#include "ob-ui-resources.h"

/* libobui is a static library: the linker would drop a resource that
 * registers itself from a constructor, so it is registered here, once,
 * before the first template is loaded. */
void
ob_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      ob_core_init ();
      ob_ui_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}
