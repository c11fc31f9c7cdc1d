/* ob-dns-settings.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-dns-settings.h"

static const ObDnsResolverPreset *
find_preset (const char *id)
{
  guint n_presets = 0;
  const ObDnsResolverPreset *presets = ob_dns_resolver_get_presets (&n_presets);

  for (guint i = 0; i < n_presets; i++)
    if (g_strcmp0 (presets[i].id, id) == 0)
      return &presets[i];
  return NULL;
}

GStrv
ob_dns_settings_list_choices (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree const char **known = NULL;
  const char *kind = NULL;
  guint n_presets = 0;
  const ObDnsResolverPreset *presets = ob_dns_resolver_get_presets (&n_presets);

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, "dns-resolver");
  range = g_settings_schema_key_get_range (key);
  g_variant_get (range, "(&sv)", &kind, &values);
  if (g_strcmp0 (kind, "enum") == 0)
    known = g_variant_get_strv (values, NULL);

  /* The schema's enum decides what can be stored; the core decides the
   * order and what each one means. */
  for (guint i = 0; i < n_presets; i++)
    if (known == NULL || g_strv_contains (known, presets[i].id))
      g_strv_builder_add (builder, presets[i].id);
  g_strv_builder_add (builder, "custom");
  return g_strv_builder_end (builder);
}

const char *
ob_dns_settings_choice_name (const char *id)
{
  const ObDnsResolverPreset *preset = find_preset (id);

  if (preset != NULL)
    return _(preset->name);
  return _("Custom");
}

char *
ob_dns_settings_get_spec (GSettings  *settings,
                          GError    **error)
{
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  const ObDnsResolverPreset *preset;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  id = g_settings_get_string (settings, "dns-resolver");
  if (!g_str_equal (id, "custom"))
    {
      preset = find_preset (id);
      return g_strdup (preset ? preset->spec : "system");
    }

  url = g_strstrip (g_settings_get_string (settings, "dns-custom-url"));
  if (url[0] == '\0')
    {
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
                   _("Preferences say to use a custom DNS resolver, but its address is empty. "
                     "Enter one (e.g. udp://192.0.2.53:53 or https://dns.example/dns-query) "
                     "or choose another resolver."));
      return NULL;
    }
  return g_steal_pointer (&url);
}

ObDnsResolver *
ob_dns_settings_new_resolver (GSettings  *settings,
                              GError    **error)
{
  g_autofree char *spec = NULL;
  g_autoptr(GError) local_error = NULL;
  ObDnsResolver *resolver;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  spec = ob_dns_settings_get_spec (settings, error);
  if (spec == NULL)
    return NULL;
  resolver = ob_dns_resolver_new_for_spec (spec, &local_error);
  if (resolver == NULL)
    {
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
                   _("The custom DNS resolver in Preferences cannot be used: %s"),
                   local_error->message);
      return NULL;
    }
  return resolver;
}
