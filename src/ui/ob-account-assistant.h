/* ob-account-assistant.h — the setup assistant for a sending account:
 * address → provider (by domain, MX, autoconfig) → servers → password with
 * the provider's quirks → "Test account" → saved.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ob-dns-resolver.h"
#include "ob-store.h"

G_BEGIN_DECLS

#define OB_TYPE_ACCOUNT_ASSISTANT (ob_account_assistant_get_type ())

G_DECLARE_FINAL_TYPE (ObAccountAssistant, ob_account_assistant, OB, ACCOUNT_ASSISTANT, AdwWindow)

ObAccountAssistant *ob_account_assistant_new                 (ObStore            *store);
/* Where MX records come from; by default the resolver chosen in
 * Preferences. */
void                ob_account_assistant_set_resolver        (ObAccountAssistant *self,
                                                              ObDnsResolver      *resolver);
/* Fetch autoconfig from @base_url instead of the address's domain. */
void                ob_account_assistant_set_autoconfig_base (ObAccountAssistant *self,
                                                              const char         *base_url);
/* A CA certificate file (absolute path) trusted for this account's
 * servers besides the system's, e.g. a company CA. */
void                ob_account_assistant_set_ca_file         (ObAccountAssistant *self,
                                                              const char         *ca_file);
/* The name of the visible step: "address", "detecting", "settings",
 * "password" or "test". */
const char         *ob_account_assistant_get_step            (ObAccountAssistant *self);

G_END_DECLS
