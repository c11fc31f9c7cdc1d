/* ob-dmarc-record.c
 *
 * Where the OpenDMARC and mox test tables disagree we follow RFC 7489:
 *  - p= must be one of none/quarantine/reject; OpenDMARC also takes an
 *    abbreviation such as "p=n", we do not (as mox).
 *  - v= must come first; the other tags may come in any order (§6.4 says
 *    so in prose; mox insists on p= second). A late p= is accepted with a
 *    warning, since some receivers follow the ABNF strictly.
 *  - rf= values only need to be well-formed keywords; an unknown format is
 *    ignored with a warning (§6.3 "SHOULD ignore it"), as mox; OpenDMARC
 *    rejects the record.
 *  - a rua=/ruf= URI needs a scheme; a non-mailto URI is kept with a
 *    warning (no receiver delivers to it), as OpenDMARC.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dmarc-record"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpsl.h>
#include <string.h>

#include "ob-dkim-key.h"
#include "ob-dmarc-record.h"
#include "ob-dns-private.h"

static void
uri_free (ObDmarcUri *u)
{
  g_free (u->uri);
  g_free (u);
}

void
ob_dmarc_record_free (ObDmarcRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->policy);
  g_free (record->subdomain_policy);
  g_clear_pointer (&record->rua, g_ptr_array_unref);
  g_clear_pointer (&record->ruf, g_ptr_array_unref);
  g_strfreev (record->fo);
  g_strfreev (record->rf);
  g_clear_pointer (&record->warnings, g_ptr_array_unref);
  g_free (record);
}

gboolean
ob_dmarc_record_is_dmarc (const char *text)
{
  const char *p = text;

  /* "v" FWS "=" FWS "DMARC1" then ";" or the end */
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != 'v' && *p != 'V')
    return FALSE;
  p++;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p++ != '=')
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  if (strncmp (p, "DMARC1", 6) != 0)
    return FALSE;
  p += 6;
  while (*p == ' ' || *p == '\t')
    p++;
  return *p == '\0' || *p == ';';
}

static char *
trim (const char *s)
{
  return g_strstrip (g_strdup (s));
}

static gboolean
parse_uint (const char *s,
            guint64     max,
            guint64    *out)
{
  return s[0] != '\0' && g_ascii_isdigit (s[0]) && g_ascii_string_to_unsigned (s, 10, 0, max, out, NULL);
}

static gboolean
parse_uris (const char  *value,
            GPtrArray  **out,
            const char  *tag_name,
            GPtrArray   *warnings,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func ((GDestroyNotify) uri_free);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *item = trim (parts[i]);
      ObDmarcUri *u;
      char *bang = strchr (item, '!');
      const char *colon;

      if (bang)
        {
          char *size = bang + 1;
          gsize len = strlen (size);
          char unit = 0;
          guint64 n;

          if (len > 0 && strchr ("kmgtKMGT", size[len - 1]))
            {
              unit = g_ascii_tolower (size[len - 1]);
              size[len - 1] = '\0';
            }
          if (!parse_uint (size, G_MAXUINT32, &n))
            return _ob_dns_syntax_error (error, _("The size limit in “%s” is not valid (write e.g. !10m)"), item);
          *bang = '\0';
          u = g_new0 (ObDmarcUri, 1);
          u->max_size = n;
          u->unit = unit;
        }
      else
        u = g_new0 (ObDmarcUri, 1);
      u->uri = g_strdup (item);
      g_ptr_array_add (uris, u);

      colon = strchr (item, ':');
      if (item[0] == '\0' || !g_ascii_isalpha (item[0]) || colon == NULL || colon[1] == '\0')
        return _ob_dns_syntax_error (error,
                                     _("“%s” in %s= is not an address; write mailto:someone@example.com"), item, tag_name);
      for (const char *c = item; c < colon; c++)
        if (!g_ascii_isalnum (*c) && *c != '+' && *c != '-' && *c != '.')
          return _ob_dns_syntax_error (error,
                                       _("“%s” in %s= is not an address; write mailto:someone@example.com"), item, tag_name);
      if (g_ascii_strncasecmp (item, "mailto:", 7) != 0)
        g_ptr_array_add (warnings, g_strdup_printf (_("Reports are only sent to mailto: addresses; “%s” will get none"), item));
    }
  *out = g_steal_pointer (&uris);
  return TRUE;
}

static gboolean
policy_value (const char  *value,
              char       **out)
{
  if (g_ascii_strcasecmp (value, "none") == 0 || g_ascii_strcasecmp (value, "quarantine") == 0 ||
      g_ascii_strcasecmp (value, "reject") == 0)
    {
      *out = g_ascii_strdown (value, -1);
      return TRUE;
    }
  return FALSE;
}

static char **
keyword_list (const char *value,
              const char *allowed)
{
  g_auto(GStrv) parts = g_strsplit (value, ":", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i]; i++)
    {
      char *item = trim (parts[i]);

      g_ptr_array_add (out, item);
      if (item[0] == '\0')
        return NULL;
      if (allowed)
        {
          if (strlen (item) != 1 || !strchr (allowed, g_ascii_tolower (item[0])))
            return NULL;
        }
      else
        {
          /* keyword = ALPHA *( ALPHA / DIGIT / "-" ), not ending in "-". */
          gsize len = strlen (item);

          if (item[len - 1] == '-' || !g_ascii_isalpha (item[0]))
            return NULL;
          for (const char *c = item; *c; c++)
            if (!g_ascii_isalnum (*c) && *c != '-')
              return NULL;
        }
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

ObDmarcRecord *
ob_dmarc_record_parse (const char  *text,
                       GError     **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(ObDmarcRecord) r = NULL;
  g_autoptr(GError) local = NULL;
  gboolean p_valid = FALSE, sp_valid = TRUE;
  const char *p_value = NULL, *sp_value = NULL;

  if (text == NULL || text[0] == '\0')
    {
      _ob_dns_syntax_error (error, _("The DMARC record is empty"));
      return NULL;
    }
  if (!ob_dmarc_record_is_dmarc (text))
    {
      _ob_dns_syntax_error (error, _("A DMARC record must start with “v=DMARC1;”"));
      return NULL;
    }
  tags = ob_dns_tag_list_parse (text, TRUE, &local);
  if (tags == NULL)
    {
      _ob_dns_syntax_error (error, _("The DMARC record is not valid: %s"), local->message);
      return NULL;
    }

  r = g_new0 (ObDmarcRecord, 1);
  r->pct = 100;
  r->ri = 86400;
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  r->rua = g_ptr_array_new_with_free_func ((GDestroyNotify) uri_free);
  r->ruf = g_ptr_array_new_with_free_func ((GDestroyNotify) uri_free);
  r->fo = g_strsplit ("0", ":", -1);
  r->rf = g_strsplit ("afrf", ":", -1);

  for (guint i = 2; i < tags->len; i += 2)
    {
      const char *name = g_ptr_array_index (tags, i);
      const char *value = g_ptr_array_index (tags, i + 1);

      if (g_str_equal (name, "v"))
        {
          _ob_dns_syntax_error (error, _("The DMARC record has “v=” twice"));
          return NULL;
        }
      else if (g_str_equal (name, "p"))
        {
          p_value = value;
          if (i != 2)
            g_ptr_array_add (r->warnings, g_strdup (_("“p=” should come right after “v=DMARC1;”")));
        }
      else if (g_str_equal (name, "sp"))
        sp_value = value;
      else if (g_str_equal (name, "adkim") || g_str_equal (name, "aspf"))
        {
          gboolean strict;

          if (g_ascii_strcasecmp (value, "s") == 0)
            strict = TRUE;
          else if (g_ascii_strcasecmp (value, "r") == 0)
            strict = FALSE;
          else
            {
              _ob_dns_syntax_error (error, _("%s= must be r (relaxed) or s (strict), not “%s”"), name, value);
              return NULL;
            }
          if (name[1] == 'd')
            r->adkim_strict = strict;
          else
            r->aspf_strict = strict;
        }
      else if (g_str_equal (name, "pct"))
        {
          guint64 n;

          if (!parse_uint (value, 100, &n))
            {
              _ob_dns_syntax_error (error, _("pct= must be a number from 0 to 100, not “%s”"), value);
              return NULL;
            }
          r->pct = n;
          r->pct_given = TRUE;
        }
      else if (g_str_equal (name, "ri"))
        {
          guint64 n;

          if (!parse_uint (value, G_MAXUINT32, &n))
            {
              _ob_dns_syntax_error (error, _("ri= must be a number of seconds, not “%s”"), value);
              return NULL;
            }
          r->ri = n;
        }
      else if (g_str_equal (name, "fo"))
        {
          char **list = keyword_list (value, "01ds");

          if (list == NULL)
            {
              _ob_dns_syntax_error (error, _("fo= must be 0, 1, d or s (joined with “:”), not “%s”"), value);
              return NULL;
            }
          g_strfreev (r->fo);
          r->fo = list;
        }
      else if (g_str_equal (name, "rf"))
        {
          char **list = keyword_list (value, NULL);

          if (list == NULL)
            {
              _ob_dns_syntax_error (error, _("rf= must be a report format such as afrf, not “%s”"), value);
              return NULL;
            }
          for (guint k = 0; list[k]; k++)
            if (g_ascii_strcasecmp (list[k], "afrf") != 0)
              g_ptr_array_add (r->warnings, g_strdup_printf (_("The report format “%s” is unknown and will be ignored"), list[k]));
          g_strfreev (r->rf);
          r->rf = list;
        }
      else if (g_str_equal (name, "rua") || g_str_equal (name, "ruf"))
        {
          GPtrArray *uris = NULL;

          if (!parse_uris (value, &uris, name, r->warnings, error))
            return NULL;
          if (name[2] == 'a')
            {
              g_ptr_array_unref (r->rua);
              r->rua = uris;
            }
          else
            {
              g_ptr_array_unref (r->ruf);
              r->ruf = uris;
            }
        }
      /* Unknown tags are ignored (§6.3). */
    }

  if (p_value)
    p_valid = policy_value (p_value, &r->policy);
  if (sp_value)
    sp_valid = policy_value (sp_value, &r->subdomain_policy);

  if (!p_valid || !sp_valid)
    {
      if (r->rua->len == 0)
        {
          if (p_value == NULL)
            _ob_dns_syntax_error (error, _("The DMARC record has no policy (p=none, p=quarantine or p=reject)"));
          else if (!p_valid)
            _ob_dns_syntax_error (error, _("p= must be none, quarantine or reject, not “%s”"), p_value);
          else
            _ob_dns_syntax_error (error, _("sp= must be none, quarantine or reject, not “%s”"), sp_value);
          return NULL;
        }
      g_clear_pointer (&r->policy, g_free);
      g_clear_pointer (&r->subdomain_policy, g_free);
      r->policy = g_strdup ("none");
      r->policy_fallback = TRUE;
      g_ptr_array_add (r->warnings, g_strdup (_("The policy is missing or invalid, so receivers treat the record as p=none")));
    }

  return g_steal_pointer (&r);
}

static char *
clean_domain (const char *d)
{
  g_autofree char *low = g_ascii_strdown (d, -1);
  const char *start = low;
  gsize len;

  while (*start == '.')
    start++;
  len = strlen (start);
  while (len > 0 && start[len - 1] == '.')
    len--;
  return g_strndup (start, len);
}

char *
ob_dmarc_org_domain (const char *domain)
{
  g_autofree char *clean = clean_domain (domain);
  const char *reg = psl_registrable_domain (psl_builtin (), clean);

  return g_strdup (reg ? reg : clean);
}

gboolean
ob_dmarc_aligned (const char *a,
                  const char *b,
                  gboolean    strict)
{
  g_autofree char *ca = clean_domain (a);
  g_autofree char *cb = clean_domain (b);
  g_autofree char *oa = NULL;
  g_autofree char *ob = NULL;

  if (ca[0] == '\0' || cb[0] == '\0' || strstr (ca, "..") || strstr (cb, ".."))
    return FALSE;
  if (strict)
    return g_str_equal (ca, cb);
  oa = ob_dmarc_org_domain (ca);
  ob = ob_dmarc_org_domain (cb);
  return g_str_equal (oa, ob);
}

char *
ob_dmarc_uri_domain (const char *uri)
{
  const char *at;

  if (g_ascii_strncasecmp (uri, "mailto:", 7) != 0)
    return NULL;
  at = strrchr (uri, '@');
  if (at == NULL || at[1] == '\0')
    return NULL;
  return clean_domain (at + 1);
}
