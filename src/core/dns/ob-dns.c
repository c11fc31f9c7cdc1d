/* ob-dns.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns"

#include "config.h"

#include <string.h>

#include "ob-dns.h"
#include "ob-dns-private.h"

G_DEFINE_QUARK (ob-dns-error-quark, ob_dns_error)

gboolean
_ob_dns_syntax_error (GError     **error,
                      const char  *format,
                      ...)
{
  va_list args;

  if (error == NULL || *error != NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX, format, args);
  va_end (args);
  return FALSE;
}

G_DEFINE_BOXED_TYPE (ObDnsRecord, ob_dns_record, ob_dns_record_copy, ob_dns_record_free)
G_DEFINE_BOXED_TYPE (ObDnsAnswer, ob_dns_answer, ob_dns_answer_ref, ob_dns_answer_unref)

static const struct {
  guint16     type;
  const char *name;
} type_names[] = {
  { OB_DNS_TYPE_A, "A" },
  { OB_DNS_TYPE_NS, "NS" },
  { OB_DNS_TYPE_CNAME, "CNAME" },
  { OB_DNS_TYPE_SOA, "SOA" },
  { OB_DNS_TYPE_PTR, "PTR" },
  { OB_DNS_TYPE_MX, "MX" },
  { OB_DNS_TYPE_TXT, "TXT" },
  { OB_DNS_TYPE_AAAA, "AAAA" },
  { OB_DNS_TYPE_OPT, "OPT" },
  { OB_DNS_TYPE_SPF, "SPF" },
};

ObDnsRecord *
ob_dns_record_new (const char *name,
                   guint16     type,
                   guint32     ttl)
{
  ObDnsRecord *record = g_new0 (ObDnsRecord, 1);

  record->name = g_strdup (name);
  record->type = type;
  record->klass = 1;
  record->ttl = ttl;
  return record;
}

ObDnsRecord *
ob_dns_record_copy (const ObDnsRecord *record)
{
  ObDnsRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->name = g_strdup (record->name);
  copy->target = g_strdup (record->target);
  copy->text = g_strdup (record->text);
  copy->strings = g_strdupv (record->strings);
  copy->rdata = record->rdata ? g_bytes_ref (record->rdata) : NULL;
  return copy;
}

void
ob_dns_record_free (ObDnsRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->target);
  g_free (record->text);
  g_strfreev (record->strings);
  g_clear_pointer (&record->rdata, g_bytes_unref);
  g_free (record);
}

static void
append_quoted (GString    *out,
               const char *s)
{
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"' || *s == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

/* Master-file presentation of a record (for logs, tests and the report). */
char *
ob_dns_record_to_string (const ObDnsRecord *record)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (record != NULL, NULL);

  g_string_append_printf (out, "%s. %u IN %s ", record->name, record->ttl,
                          ob_dns_type_to_string (record->type));
  switch (record->type)
    {
    case OB_DNS_TYPE_A:
    case OB_DNS_TYPE_AAAA:
      g_string_append (out, record->target);
      break;
    case OB_DNS_TYPE_NS:
    case OB_DNS_TYPE_CNAME:
    case OB_DNS_TYPE_PTR:
      g_string_append_printf (out, "%s.", record->target);
      break;
    case OB_DNS_TYPE_MX:
      g_string_append_printf (out, "%u %s.", record->preference, record->target);
      break;
    case OB_DNS_TYPE_TXT:
    case OB_DNS_TYPE_SPF:
      for (guint i = 0; record->strings && record->strings[i]; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          append_quoted (out, record->strings[i]);
        }
      break;
    case OB_DNS_TYPE_SOA:
      g_string_append_printf (out, "%s. %s. %u %u %u %u %u", record->target, record->text,
                              record->soa[0], record->soa[1], record->soa[2],
                              record->soa[3], record->soa[4]);
      break;
    default:
      {
        gsize len = 0;
        const guint8 *p = record->rdata ? g_bytes_get_data (record->rdata, &len) : NULL;

        g_string_append_printf (out, "\\# %" G_GSIZE_FORMAT " ", len);
        for (gsize i = 0; i < len; i++)
          g_string_append_printf (out, "%02x", p[i]);
      }
      break;
    }
  return g_string_free (out, FALSE);
}

ObDnsAnswer *
ob_dns_answer_new (guint16 rcode)
{
  ObDnsAnswer *answer = g_new0 (ObDnsAnswer, 1);

  answer->ref_count = 1;
  answer->rcode = rcode;
  answer->records = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_dns_record_free);
  answer->authority = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_dns_record_free);
  return answer;
}

ObDnsAnswer *
ob_dns_answer_ref (ObDnsAnswer *answer)
{
  g_return_val_if_fail (answer != NULL, NULL);
  g_atomic_int_inc (&answer->ref_count);
  return answer;
}

void
ob_dns_answer_unref (ObDnsAnswer *answer)
{
  if (answer == NULL)
    return;
  if (g_atomic_int_dec_and_test (&answer->ref_count))
    {
      g_ptr_array_unref (answer->records);
      g_ptr_array_unref (answer->authority);
      g_free (answer);
    }
}

/* The records of @type owned by @name, following the CNAME chain of the
 * answer section (at most 16 links, so a CNAME loop ends). Returns a new
 * array of borrowed records. */
GPtrArray *
ob_dns_answer_collect (ObDnsAnswer *answer,
                       const char  *name,
                       guint16      type)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autofree char *current = NULL;

  g_return_val_if_fail (answer != NULL, out);

  current = ob_dns_name_normalize (name);
  for (guint hops = 0; hops < 16; hops++)
    {
      const char *next = NULL;

      for (guint i = 0; i < answer->records->len; i++)
        {
          ObDnsRecord *r = g_ptr_array_index (answer->records, i);

          if (!ob_dns_name_equal (r->name, current))
            continue;
          if (r->type == type)
            g_ptr_array_add (out, r);
          else if (r->type == OB_DNS_TYPE_CNAME && type != OB_DNS_TYPE_CNAME && next == NULL)
            next = r->target;
        }
      if (out->len > 0 || next == NULL)
        break;
      g_free (current);
      current = ob_dns_name_normalize (next);
    }
  return out;
}

/* How long the answer may be cached: the smallest TTL of its records, or for
 * a negative answer the SOA minimum of the authority section (RFC 2308). */
guint32
ob_dns_answer_get_ttl (ObDnsAnswer *answer)
{
  guint32 ttl = G_MAXUINT32;

  g_return_val_if_fail (answer != NULL, 0);

  for (guint i = 0; i < answer->records->len; i++)
    ttl = MIN (ttl, ((ObDnsRecord *) g_ptr_array_index (answer->records, i))->ttl);
  if (answer->records->len == 0)
    {
      for (guint i = 0; i < answer->authority->len; i++)
        {
          ObDnsRecord *r = g_ptr_array_index (answer->authority, i);

          if (r->type == OB_DNS_TYPE_SOA)
            ttl = MIN (ttl, MIN (r->ttl, r->soa[4]));
        }
      if (ttl == G_MAXUINT32)
        ttl = 60;
    }
  return ttl;
}

const char *
ob_dns_type_to_string (guint16 type)
{
  static char buf[8][16];
  static gint slot;
  char *s;

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (type_names[i].type == type)
      return type_names[i].name;

  /* RFC 3597 generic form, in a small ring so a few can be in flight. */
  s = buf[g_atomic_int_add (&slot, 1) & 7];
  g_snprintf (s, 16, "TYPE%u", type);
  return s;
}

gboolean
ob_dns_type_from_string (const char *text,
                         guint16    *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_ascii_strcasecmp (type_names[i].name, text) == 0)
      {
        *type = type_names[i].type;
        return TRUE;
      }
  if (g_ascii_strncasecmp (text, "TYPE", 4) == 0 && text[4] != '\0')
    {
      guint64 v;

      if (g_ascii_string_to_unsigned (text + 4, 10, 0, 65535, &v, NULL))
        {
          *type = v;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
ob_dns_rcode_to_string (guint16 rcode)
{
  static const char *names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };

  if (rcode < G_N_ELEMENTS (names))
    return names[rcode];
  return "RCODE";
}

/* Lower-case, without the trailing dot. */
char *
ob_dns_name_normalize (const char *name)
{
  char *out = g_ascii_strdown (name ? name : "", -1);
  gsize len = strlen (out);

  if (len > 0 && out[len - 1] == '.')
    out[len - 1] = '\0';
  return out;
}

gboolean
ob_dns_name_equal (const char *a,
                   const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  if (la > 0 && a[la - 1] == '.')
    la--;
  if (lb > 0 && b[lb - 1] == '.')
    lb--;
  return la == lb && g_ascii_strncasecmp (a, b, la) == 0;
}
