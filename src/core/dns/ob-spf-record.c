/* ob-spf-record.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-spf-record"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-spf-record.h"

static void
term_free (ObSpfTerm *t)
{
  g_free (t->text);
  g_free (t->domain_spec);
  g_clear_object (&t->network);
  g_free (t);
}

void
ob_spf_record_free (ObSpfRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->text);
  g_ptr_array_unref (record->terms);
  g_free (record);
}

gboolean
ob_spf_record_is_spf (const char *text)
{
  return text != NULL && g_ascii_strncasecmp (text, "v=spf1", 6) == 0 &&
         (text[6] == '\0' || text[6] == ' ');
}

static gboolean
is_macro_letter (char c,
                 gboolean explain)
{
  if (c == '\0')
    return FALSE;
  c = g_ascii_tolower (c);
  if (strchr ("slodiphv", c))
    return TRUE;
  return explain && strchr ("crt", c);
}

gboolean
ob_spf_macro_string_valid (const char *text,
                           gboolean    explain)
{
  for (const char *p = text; *p; p++)
    {
      guchar c = *p;

      if (c == '%')
        {
          p++;
          if (*p == '%' || *p == '_' || *p == '-')
            continue;
          if (*p != '{')
            return FALSE;
          p++;
          if (!is_macro_letter (*p, explain))
            return FALSE;
          p++;
          if (g_ascii_isdigit (*p))
            {
              guint n = 0;

              while (g_ascii_isdigit (*p))
                {
                  n = MIN (n * 10 + (*p - '0'), 1000);
                  p++;
                }
              if (n == 0)
                return FALSE;
            }
          if (*p == 'r' || *p == 'R')
            p++;
          while (*p && strchr (".-+,/_=", *p))
            p++;
          if (*p != '}')
            return FALSE;
          continue;
        }
      if (c == ' ' && explain)
        continue;
      if (c < 0x21 || c > 0x7e)
        return FALSE;
    }
  return TRUE;
}

/* domain-end = ( "." toplabel [ "." ] ) / macro-expand */
static gboolean
domain_spec_valid (const char *spec)
{
  g_autofree char *s = g_strdup (spec);
  gsize len = strlen (s);
  const char *last;
  gboolean alpha = FALSE;

  if (len == 0 || !ob_spf_macro_string_valid (s, FALSE))
    return FALSE;
  if (s[len - 1] == '}')
    return TRUE;
  if (len >= 2 && s[len - 2] == '%' && strchr ("%_-", s[len - 1]))
    {
      /* %% %_ %- are macro-expands too, unless the % is itself escaped. */
      gsize n = 0;

      for (gsize i = len - 1; i > 0 && s[i - 1] == '%'; i--)
        n++;
      if (n % 2 == 1)
        return TRUE;
    }
  if (s[len - 1] == '.')
    s[--len] = '\0';
  last = strrchr (s, '.');
  if (last == NULL)
    return FALSE;
  last++;
  if (*last == '\0' || last[0] == '-' || last[strlen (last) - 1] == '-')
    return FALSE;
  for (const char *p = last; *p; p++)
    {
      if (g_ascii_isalpha (*p))
        alpha = TRUE;
      else if (!g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }
  return alpha;
}

static gboolean
parse_cidr_number (const char *s,
                   gsize       len,
                   guint       max,
                   guint      *out)
{
  guint v = 0;

  if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  if (v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

/* Splits "domain-spec/24//64" into its parts; @s is modified. */
static gboolean
split_dual_cidr (char      *s,
                 ObSpfTerm *t)
{
  char *slash;

  /* ip6-cidr-length: "//N" at the end. */
  slash = strrchr (s, '/');
  if (slash && slash > s && slash[-1] == '/')
    {
      if (!parse_cidr_number (slash + 1, strlen (slash + 1), 128, &t->cidr6))
        return FALSE;
      slash[-1] = '\0';
      slash = strrchr (s, '/');
    }
  if (slash)
    {
      const char *digits = slash + 1;
      gboolean all_digits = *digits != '\0';

      for (const char *p = digits; *p; p++)
        if (!g_ascii_isdigit (*p))
          all_digits = FALSE;
      if (all_digits || *digits == '\0')
        {
          if (!parse_cidr_number (digits, strlen (digits), 32, &t->cidr4))
            return FALSE;
          *slash = '\0';
        }
    }
  return TRUE;
}

static gboolean
bad_term (GError    **error,
          const char *term)
{
  g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX,
               _("The SPF record has an invalid part “%s”"), term);
  return FALSE;
}

static gboolean
parse_mechanism (const char  *term,
                 ObSpfTerm   *t,
                 GError     **error)
{
  static const struct {
    const char    *name;
    ObSpfTermKind  kind;
  } mechs[] = {
    { "all", OB_SPF_TERM_ALL }, { "include", OB_SPF_TERM_INCLUDE }, { "a", OB_SPF_TERM_A },
    { "mx", OB_SPF_TERM_MX }, { "ptr", OB_SPF_TERM_PTR }, { "ip4", OB_SPF_TERM_IP4 },
    { "ip6", OB_SPF_TERM_IP6 }, { "exists", OB_SPF_TERM_EXISTS },
  };
  const char *p = term;
  const char *rest = NULL;
  g_autofree char *arg = NULL;
  guint i;

  t->qualifier = '+';
  if (strchr ("+-~?", *p))
    t->qualifier = *p++;

  for (i = 0; i < G_N_ELEMENTS (mechs); i++)
    {
      gsize n = strlen (mechs[i].name);

      if (g_ascii_strncasecmp (p, mechs[i].name, n) == 0 &&
          (p[n] == '\0' || p[n] == ':' || p[n] == '/'))
        {
          t->kind = mechs[i].kind;
          rest = p + n;
          break;
        }
    }
  if (rest == NULL)
    return bad_term (error, term);

  switch (t->kind)
    {
    case OB_SPF_TERM_ALL:
      if (*rest != '\0')
        return bad_term (error, term);
      return TRUE;

    case OB_SPF_TERM_INCLUDE:
    case OB_SPF_TERM_EXISTS:
      if (*rest != ':' || !domain_spec_valid (rest + 1))
        return bad_term (error, term);
      t->domain_spec = g_strdup (rest + 1);
      return TRUE;

    case OB_SPF_TERM_PTR:
      if (*rest == '\0')
        return TRUE;
      if (*rest != ':' || !domain_spec_valid (rest + 1))
        return bad_term (error, term);
      t->domain_spec = g_strdup (rest + 1);
      return TRUE;

    case OB_SPF_TERM_A:
    case OB_SPF_TERM_MX:
      if (*rest == '\0')
        return TRUE;
      arg = g_strdup (*rest == ':' ? rest + 1 : rest);
      if (!split_dual_cidr (arg, t))
        return bad_term (error, term);
      if (*rest == ':')
        {
          if (!domain_spec_valid (arg))
            return bad_term (error, term);
          t->domain_spec = g_steal_pointer (&arg);
        }
      else if (arg[0] != '\0')
        return bad_term (error, term);
      return TRUE;

    case OB_SPF_TERM_IP4:
    case OB_SPF_TERM_IP6:
      {
        char *slash;
        gboolean v4 = t->kind == OB_SPF_TERM_IP4;

        if (*rest != ':')
          return bad_term (error, term);
        arg = g_strdup (rest + 1);
        slash = strchr (arg, '/');
        if (slash)
          {
            if (!parse_cidr_number (slash + 1, strlen (slash + 1), v4 ? 32 : 128,
                                    v4 ? &t->cidr4 : &t->cidr6))
              return bad_term (error, term);
            *slash = '\0';
          }
        t->network = g_inet_address_new_from_string (arg);
        if (t->network == NULL ||
            g_inet_address_get_family (t->network) != (v4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6))
          return bad_term (error, term);
        return TRUE;
      }

    case OB_SPF_TERM_REDIRECT:
    case OB_SPF_TERM_EXP:
    case OB_SPF_TERM_UNKNOWN_MODIFIER:
    default:
      return bad_term (error, term);
    }
}

ObSpfRecord *
ob_spf_record_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(ObSpfRecord) record = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!ob_spf_record_is_spf (text))
    {
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX,
                   _("An SPF record must start with “v=spf1”"));
      return NULL;
    }
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p < 0x20 || *p > 0x7e)
      {
        g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX,
                     _("The SPF record contains characters other than plain ASCII letters, digits and punctuation"));
        return NULL;
      }

  record = g_new0 (ObSpfRecord, 1);
  record->text = g_strdup (text);
  record->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);

  words = g_strsplit (text + 6, " ", -1);
  for (guint i = 0; words[i]; i++)
    {
      const char *w = words[i];
      ObSpfTerm *t;
      const char *p = w;

      if (*w == '\0')
        continue;
      t = g_new0 (ObSpfTerm, 1);
      t->text = g_strdup (w);
      t->cidr4 = 32;
      t->cidr6 = 128;
      g_ptr_array_add (record->terms, t);

      /* name "=" → a modifier */
      if (g_ascii_isalpha (*p))
        {
          while (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.')
            p++;
        }
      if (p != w && *p == '=')
        {
          g_autofree char *name = g_strndup (w, p - w);
          const char *value = p + 1;

          if (g_ascii_strcasecmp (name, "redirect") == 0 || g_ascii_strcasecmp (name, "exp") == 0)
            {
              gboolean redirect = g_ascii_strcasecmp (name, "redirect") == 0;

              if ((redirect ? record->redirect : record->exp) != NULL)
                {
                  g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX,
                               _("The SPF record has “%s=” twice; keep only one"), name);
                  return NULL;
                }
              if (!domain_spec_valid (value))
                {
                  bad_term (error, w);
                  return NULL;
                }
              t->kind = redirect ? OB_SPF_TERM_REDIRECT : OB_SPF_TERM_EXP;
              t->domain_spec = g_strdup (value);
              if (redirect)
                record->redirect = t;
              else
                record->exp = t;
            }
          else
            {
              if (!ob_spf_macro_string_valid (value, FALSE))
                {
                  bad_term (error, w);
                  return NULL;
                }
              t->kind = OB_SPF_TERM_UNKNOWN_MODIFIER;
              t->domain_spec = g_strdup (value);
            }
          continue;
        }

      if (!parse_mechanism (w, t, error))
        return NULL;
    }
  return g_steal_pointer (&record);
}

guint
ob_spf_record_count_dns_terms (const ObSpfRecord *record)
{
  guint n = 0;

  for (guint i = 0; i < record->terms->len; i++)
    {
      ObSpfTerm *t = g_ptr_array_index (record->terms, i);

      switch (t->kind)
        {
        case OB_SPF_TERM_INCLUDE:
        case OB_SPF_TERM_A:
        case OB_SPF_TERM_MX:
        case OB_SPF_TERM_PTR:
        case OB_SPF_TERM_EXISTS:
        case OB_SPF_TERM_REDIRECT:
          n++;
          break;
        default:
          break;
        }
    }
  return n;
}
