/* ob-core.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "ob-core.h"

/* One-time set-up shared by the app, the CLI and the tests: translations
 * of the core's messages and GMime's global state. Safe to call twice. */
void
ob_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      bindtextdomain (GETTEXT_PACKAGE, ob_core_get_localedir ());
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/* Where the translations are: the installed ones, or those of a build
 * tree when OUTBOUND_LOCALEDIR names it (build-aux/dev run sets it to
 * _build/po, so the demo speaks the user's language before any install). */
const char *
ob_core_get_localedir (void)
{
  const char *dir = g_getenv ("OUTBOUND_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

const char *
ob_core_get_version (void)
{
  return PACKAGE_VERSION;
}
