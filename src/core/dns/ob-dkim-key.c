/* ob-dkim-key.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dkim-key"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-dns-private.h"

static gboolean
is_fws (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *
strip_fws (const char *start,
           const char *end)
{
  while (start < end && is_fws (*start))
    start++;
  while (end > start && is_fws (end[-1]))
    end--;
  return g_strndup (start, end - start);
}

GPtrArray *
ob_dns_tag_list_parse (const char  *text,
                       gboolean     fold_names,
                       GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  if (text == NULL || text[0] == '\0')
    {
      _ob_dns_syntax_error (error, _("The record is empty"));
      return NULL;
    }
  for (;;)
    {
      const char *semi = strchr (p, ';');
      const char *end = semi ? semi : p + strlen (p);
      const char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      /* A final ";" may end the list; anything else after it is a tag. */
      if (semi == NULL && p != text && *p == '\0')
        break;
      eq = memchr (p, '=', end - p);
      if (eq == NULL)
        {
          g_autofree char *bad = strip_fws (p, end);

          _ob_dns_syntax_error (error, _("“%s” is not a tag=value pair"), bad);
          return NULL;
        }
      name = strip_fws (p, eq);
      value = strip_fws (eq + 1, end);
      if (name[0] == '\0' || !g_ascii_isalpha (name[0]))
        {
          _ob_dns_syntax_error (error, _("A tag name is missing or invalid before “=%s”"), value);
          return NULL;
        }
      for (const char *c = name; *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '_')
          {
            _ob_dns_syntax_error (error, _("“%s” is not a valid tag name"), name);
            return NULL;
          }
      if (fold_names)
        {
          char *low = g_ascii_strdown (name, -1);

          g_free (name);
          name = low;
        }
      for (guint i = 0; i < out->len; i += 2)
        if (g_str_equal (g_ptr_array_index (out, i), name))
          {
            _ob_dns_syntax_error (error, _("The tag “%s” appears twice"), name);
            return NULL;
          }
      g_ptr_array_add (out, g_steal_pointer (&name));
      g_ptr_array_add (out, g_steal_pointer (&value));
      if (semi == NULL)
        break;
      p = semi + 1;
    }
  return g_steal_pointer (&out);
}

static const char *
tag (GPtrArray  *tags,
     const char *name)
{
  for (guint i = 0; i < tags->len; i += 2)
    if (g_str_equal (g_ptr_array_index (tags, i), name))
      return g_ptr_array_index (tags, i + 1);
  return NULL;
}

/* A colon-separated list, white space around items dropped. */
static char **
split_list (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ":", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; parts[i]; i++)
    g_ptr_array_add (out, strip_fws (parts[i], parts[i] + strlen (parts[i])));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

void
ob_dkim_key_free (ObDkimKey *key)
{
  if (key == NULL)
    return;
  g_free (key->version);
  g_free (key->key_type);
  g_free (key->public_key);
  g_strfreev (key->hashes);
  g_strfreev (key->services);
  g_strfreev (key->flags);
  g_free (key->notes);
  g_free (key);
}

static gboolean
inspect_key (ObDkimKey  *key,
             GError    **error)
{
  g_autofree guchar *der = NULL;
  gsize len = 0;
  gnutls_pubkey_t pubkey = NULL;
  gnutls_datum_t datum;
  int ret;

  for (const char *c = key->public_key; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=')
      return _ob_dns_syntax_error (error, _("The DKIM public key (p=) is not valid base64"));
  if (strlen (key->public_key) % 4 != 0)
    return _ob_dns_syntax_error (error, _("The DKIM public key (p=) is not valid base64"));
  der = g_base64_decode (key->public_key, &len);
  if (len == 0)
    return _ob_dns_syntax_error (error, _("The DKIM public key (p=) is not valid base64"));

  if (gnutls_pubkey_init (&pubkey) < 0)
    return _ob_dns_syntax_error (error, _("The DKIM public key could not be inspected"));
  datum.data = der;
  datum.size = len;

  if (g_str_equal (key->key_type, "ed25519"))
    {
      /* RFC 8463: the raw 32-byte public key, not a SubjectPublicKeyInfo. */
      if (len != 32)
        {
          gnutls_pubkey_deinit (pubkey);
          return _ob_dns_syntax_error (error, _("An Ed25519 DKIM key must be 32 bytes, this one is %u"), (guint) len);
        }
      ret = gnutls_pubkey_import_ecc_raw (pubkey, GNUTLS_ECC_CURVE_ED25519, &datum, NULL);
      gnutls_pubkey_deinit (pubkey);
      if (ret < 0)
        return _ob_dns_syntax_error (error, _("The Ed25519 DKIM key is not valid: %s"), gnutls_strerror (ret));
      key->key_bits = 256;
      return TRUE;
    }

  ret = gnutls_pubkey_import (pubkey, &datum, GNUTLS_X509_FMT_DER);
  if (ret < 0)
    {
      gnutls_pubkey_deinit (pubkey);
      return _ob_dns_syntax_error (error,
                                   _("The DKIM public key (p=) is damaged or incomplete: %s"), gnutls_strerror (ret));
    }
  {
    unsigned int bits = 0;
    int algo = gnutls_pubkey_get_pk_algorithm (pubkey, &bits);

    gnutls_pubkey_deinit (pubkey);
    if (algo != GNUTLS_PK_RSA)
      return _ob_dns_syntax_error (error, _("The DKIM record says k=rsa but the key is not an RSA key"));
    key->key_bits = bits;
  }
  return TRUE;
}

ObDkimKey *
ob_dkim_key_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(ObDkimKey) key = NULL;
  const char *v, *k, *p, *h, *s, *t, *n;

  tags = ob_dns_tag_list_parse (text, FALSE, error);
  if (tags == NULL)
    return NULL;

  /* v= is optional, but when present it comes first and is "DKIM1". */
  v = tag (tags, "v");
  if (v != NULL && !g_str_equal (g_ptr_array_index (tags, 0), "v"))
    {
      _ob_dns_syntax_error (error, _("“v=DKIM1” must be the first tag of a DKIM record"));
      return NULL;
    }
  if (v != NULL && !g_str_equal (v, "DKIM1"))
    {
      _ob_dns_syntax_error (error, _("The DKIM record version “%s” is not “DKIM1”"), v);
      return NULL;
    }

  key = g_new0 (ObDkimKey, 1);
  key->version = g_strdup ("DKIM1");

  p = tag (tags, "p");
  if (p == NULL)
    {
      _ob_dns_syntax_error (error, _("The DKIM record has no public key (p=)"));
      return NULL;
    }
  {
    GString *b = g_string_new (NULL);

    for (const char *c = p; *c; c++)
      if (!is_fws (*c))
        g_string_append_c (b, *c);
    key->public_key = g_string_free (b, FALSE);
  }

  k = tag (tags, "k");
  key->key_type = g_strdup (k ? k : "rsa");
  if (!g_str_equal (key->key_type, "rsa") && !g_str_equal (key->key_type, "ed25519"))
    {
      _ob_dns_syntax_error (error, _("The DKIM key type “%s” is unknown (use rsa or ed25519)"), key->key_type);
      return NULL;
    }

  if ((h = tag (tags, "h")))
    key->hashes = split_list (h);
  if ((s = tag (tags, "s")))
    key->services = split_list (s);
  else
    key->services = g_strsplit ("*", ":", -1);
  if ((t = tag (tags, "t")))
    {
      key->flags = split_list (t);
      key->testing = g_strv_contains ((const char * const *) key->flags, "y");
      key->strict = g_strv_contains ((const char * const *) key->flags, "s");
    }
  if ((n = tag (tags, "n")))
    key->notes = g_strdup (n);

  if (key->public_key[0] == '\0')
    key->revoked = TRUE;
  else if (!inspect_key (key, error))
    return NULL;

  return g_steal_pointer (&key);
}
