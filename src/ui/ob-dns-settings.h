/* ob-dns-settings.h — the resolver that Preferences chose
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-dns-resolver.h"

G_BEGIN_DECLS

/* The resolver choices Preferences offers, in order: the core's presets
 * (ob_dns_resolver_get_presets()) that the "dns-resolver" key knows,
 * followed by "custom" (the "dns-custom-url" key). NULL-terminated. */
GStrv          ob_dns_settings_list_choices (GSettings  *settings);
/* The display name of a choice (translated). */
const char    *ob_dns_settings_choice_name  (const char *id);

/* The resolver specification (CLI.md --resolver) the settings choose.
 * "custom" without an address is OB_DNS_ERROR_BAD_RESOLVER. */
char          *ob_dns_settings_get_spec     (GSettings  *settings,
                                             GError    **error);
/* A resolver for that specification; an address that is not understood is
 * OB_DNS_ERROR_BAD_RESOLVER with a message that points to Preferences. */
ObDnsResolver *ob_dns_settings_new_resolver (GSettings  *settings,
                                             GError    **error);

G_END_DECLS
