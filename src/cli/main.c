/* main.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbound-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ob-cli.h"
#include "ob-core.h"



int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  ob_core_init ();
  textdomain (GETTEXT_PACKAGE);

  return ob_cli_main (argc, argv);
}
