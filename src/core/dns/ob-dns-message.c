/* ob-dns-message.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-message"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-dns-message.h"

#define HEADER_LEN 12
#define MAX_NAME_WIRE 255

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
} Reader;

static gboolean
malformed (GError    **error,
           const char *what,
           gsize       where)
{
  g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
               _("The DNS answer is damaged (%s at byte %u); try another DNS server"),
               _(what), (guint) where);
  return FALSE;
}

static gboolean
read_u16 (Reader   *r,
          guint16  *out,
          GError  **error)
{
  if (r->len - r->pos < 2 || r->pos > r->len)
    return malformed (error, N_("truncated"), r->pos);
  *out = (r->data[r->pos] << 8) | r->data[r->pos + 1];
  r->pos += 2;
  return TRUE;
}

static gboolean
read_u32 (Reader   *r,
          guint32  *out,
          GError  **error)
{
  if (r->pos > r->len || r->len - r->pos < 4)
    return malformed (error, N_("truncated"), r->pos);
  *out = ((guint32) r->data[r->pos] << 24) | ((guint32) r->data[r->pos + 1] << 16) |
         ((guint32) r->data[r->pos + 2] << 8) | r->data[r->pos + 3];
  r->pos += 4;
  return TRUE;
}

static void
append_label (GString      *out,
              const guint8 *label,
              guint         len)
{
  if (out->len > 0)
    g_string_append_c (out, '.');
  for (guint i = 0; i < len; i++)
    {
      guint8 c = label[i];

      if (c == '.' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c <= 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\%03u", c);
      else
        g_string_append_c (out, c);
    }
}

/* Reads a possibly compressed name starting at @pos in @data[0..@len). On
 * success @end receives the position after the name in the original stream.
 * Each pointer must point strictly before the position where the current
 * run of labels started, so every jump goes backwards and the walk ends. */
static gboolean
read_name_at (const guint8  *data,
              gsize          len,
              gsize          pos,
              gsize         *end,
              char         **name,
              GError       **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize wire_len = 1;
  gsize run_start = pos;
  gboolean jumped = FALSE;

  for (;;)
    {
      guint8 c;

      if (pos >= len)
        return malformed (error, N_("name past the end"), pos);
      c = data[pos];
      if ((c & 0xc0) == 0xc0)
        {
          gsize target;

          if (pos + 1 >= len)
            return malformed (error, N_("truncated compression pointer"), pos);
          target = ((c & 0x3f) << 8) | data[pos + 1];
          if (target >= run_start)
            return malformed (error, N_("compression pointer does not point backwards"), pos);
          if (!jumped)
            *end = pos + 2;
          jumped = TRUE;
          pos = run_start = target;
          continue;
        }
      if ((c & 0xc0) != 0)
        return malformed (error, N_("unknown label type"), pos);
      if (c == 0)
        {
          if (!jumped)
            *end = pos + 1;
          break;
        }
      if (pos + 1 + c > len)
        return malformed (error, N_("label past the end"), pos);
      wire_len += c + 1;
      if (wire_len > MAX_NAME_WIRE)
        return malformed (error, N_("name longer than 255 bytes"), pos);
      append_label (out, data + pos + 1, c);
      pos += 1 + c;
    }

  *name = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

static gboolean
read_name (Reader  *r,
           char   **name,
           GError **error)
{
  gsize end = 0;

  if (!read_name_at (r->data, r->len, r->pos, &end, name, error))
    return FALSE;
  r->pos = end;
  return TRUE;
}

static gboolean
decode_rdata (const guint8  *data,
              gsize          len,
              gsize          start,
              gsize          rdlen,
              ObDnsRecord   *record,
              GError       **error)
{
  gsize end = start + rdlen;
  gsize after = 0;
  const guint8 *p = data + start;

  switch (record->type)
    {
    case OB_DNS_TYPE_A:
    case OB_DNS_TYPE_AAAA:
      {
        gsize want = record->type == OB_DNS_TYPE_A ? 4 : 16;
        g_autoptr(GInetAddress) addr = NULL;

        if (rdlen != want)
          return malformed (error, N_("address of the wrong length"), start);
        addr = g_inet_address_new_from_bytes (p, want == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
        record->target = g_inet_address_to_string (addr);
      }
      break;

    case OB_DNS_TYPE_NS:
    case OB_DNS_TYPE_CNAME:
    case OB_DNS_TYPE_PTR:
      /* Names inside rdata may be compressed (RFC 3597 §4 allows it for
       * these well-known types), and must end inside the rdata. */
      if (!read_name_at (data, end, start, &after, &record->target, error))
        return FALSE;
      if (after != end)
        return malformed (error, N_("extra bytes after a name"), after);
      break;

    case OB_DNS_TYPE_MX:
      if (rdlen < 3)
        return malformed (error, N_("short MX record"), start);
      record->preference = (p[0] << 8) | p[1];
      if (!read_name_at (data, end, start + 2, &after, &record->target, error))
        return FALSE;
      if (after != end)
        return malformed (error, N_("extra bytes after a name"), after);
      break;

    case OB_DNS_TYPE_TXT:
    case OB_DNS_TYPE_SPF:
      {
        g_autoptr(GPtrArray) strings = g_ptr_array_new ();
        g_autoptr(GString) joined = g_string_new (NULL);
        gsize i = 0;

        while (i < rdlen)
          {
            guint8 n = p[i];

            if (i + 1 + n > rdlen)
              {
                g_ptr_array_set_free_func (strings, g_free);
                return malformed (error, N_("character-string past the end"), start + i);
              }
            {
              /* A NUL byte cannot live in a C string: it is written as the
               * master-file escape \000, which no record syntax accepts. */
              GString *one = g_string_sized_new (n);

              for (guint k = 0; k < n; k++)
                {
                  if (p[i + 1 + k] == '\0')
                    g_string_append (one, "\\000");
                  else
                    g_string_append_c (one, p[i + 1 + k]);
                }
              g_string_append (joined, one->str);
              g_ptr_array_add (strings, g_string_free (one, FALSE));
            }
            i += 1 + n;
          }
        g_ptr_array_add (strings, NULL);
        record->strings = (char **) g_ptr_array_free (g_steal_pointer (&strings), FALSE);
        record->text = g_string_free (g_steal_pointer (&joined), FALSE);
      }
      break;

    case OB_DNS_TYPE_SOA:
      {
        Reader r = { data, end, start };

        if (!read_name (&r, &record->target, error) ||
            !read_name (&r, &record->text, error))
          return FALSE;
        for (guint i = 0; i < 5; i++)
          if (!read_u32 (&r, &record->soa[i], error))
            return FALSE;
        if (r.pos != end)
          return malformed (error, N_("extra bytes after SOA"), r.pos);
      }
      break;

    default:
      break;
    }
  return TRUE;
}

static gboolean
read_record (Reader       *r,
             ObDnsRecord **out,
             GError      **error)
{
  g_autoptr(ObDnsRecord) record = g_new0 (ObDnsRecord, 1);
  guint16 rdlen;

  if (!read_name (r, &record->name, error) ||
      !read_u16 (r, &record->type, error) ||
      !read_u16 (r, &record->klass, error) ||
      !read_u32 (r, &record->ttl, error) ||
      !read_u16 (r, &rdlen, error))
    return FALSE;
  if (rdlen > r->len - r->pos)
    return malformed (error, N_("record data past the end"), r->pos);
  /* RFC 2181 §8: a TTL with the top bit set is treated as zero. */
  if (record->ttl & 0x80000000u)
    record->ttl = 0;
  record->rdata = g_bytes_new (r->data + r->pos, rdlen);
  if (record->type != OB_DNS_TYPE_OPT &&
      !decode_rdata (r->data, r->len, r->pos, rdlen, record, error))
    return FALSE;
  r->pos += rdlen;
  *out = g_steal_pointer (&record);
  return TRUE;
}

ObDnsAnswer *
ob_dns_message_decode (const guint8  *data,
                       gsize          len,
                       guint16       *id,
                       char         **question_name,
                       guint16       *question_type,
                       GError       **error)
{
  Reader r = { data, len, 0 };
  guint16 msg_id, flags, qd, an, ns, ar;
  g_autoptr(ObDnsAnswer) answer = NULL;
  guint16 rcode;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < HEADER_LEN)
    {
      malformed (error, N_("shorter than a header"), len);
      return NULL;
    }
  read_u16 (&r, &msg_id, NULL);
  read_u16 (&r, &flags, NULL);
  read_u16 (&r, &qd, NULL);
  read_u16 (&r, &an, NULL);
  read_u16 (&r, &ns, NULL);
  read_u16 (&r, &ar, NULL);

  if (!(flags & 0x8000))
    {
      malformed (error, N_("not a response"), 2);
      return NULL;
    }
  rcode = flags & 0x000f;
  answer = ob_dns_answer_new (rcode);
  answer->authoritative = (flags & 0x0400) != 0;
  answer->truncated = (flags & 0x0200) != 0;

  for (guint i = 0; i < qd; i++)
    {
      g_autofree char *qname = NULL;
      guint16 qtype, qclass;

      if (!read_name (&r, &qname, error) ||
          !read_u16 (&r, &qtype, error) ||
          !read_u16 (&r, &qclass, error))
        return NULL;
      if (i == 0)
        {
          if (question_name)
            *question_name = g_steal_pointer (&qname);
          if (question_type)
            *question_type = qtype;
        }
    }

  /* A truncated answer is only good for its TC bit: the sections may be cut. */
  if (answer->truncated)
    {
      if (id)
        *id = msg_id;
      return g_steal_pointer (&answer);
    }

  for (guint i = 0; i < (guint) an + ns + ar; i++)
    {
      ObDnsRecord *record = NULL;

      if (!read_record (&r, &record, error))
        {
          if (question_name)
            g_clear_pointer (question_name, g_free);
          return NULL;
        }
      if (i < an)
        g_ptr_array_add (answer->records, record);
      else if (i < (guint) an + ns)
        g_ptr_array_add (answer->authority, record);
      else
        {
          /* EDNS0: the OPT record carries the upper bits of the rcode. */
          if (record->type == OB_DNS_TYPE_OPT)
            answer->rcode |= (record->ttl >> 24) << 4;
          ob_dns_record_free (record);
        }
    }

  if (id)
    *id = msg_id;
  return g_steal_pointer (&answer);
}

gboolean
ob_dns_message_encode_name (GByteArray  *out,
                            const char  *name,
                            GError     **error)
{
  g_auto(GStrv) labels = NULL;
  g_autofree char *norm = NULL;
  gsize total = 1;

  norm = g_strdup (name);
  if (norm[0] != '\0' && norm[strlen (norm) - 1] == '.')
    norm[strlen (norm) - 1] = '\0';
  if (norm[0] == '\0')
    {
      guint8 zero = 0;

      g_byte_array_append (out, &zero, 1);
      return TRUE;
    }

  labels = g_strsplit (norm, ".", -1);
  for (guint i = 0; labels[i]; i++)
    {
      gsize l = strlen (labels[i]);
      guint8 lb = l;

      if (l == 0 || l > 63)
        {
          g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_NAME,
                       _("“%s” is not a valid domain name (empty label or label over 63 characters)"),
                       name);
          return FALSE;
        }
      total += l + 1;
      if (total > MAX_NAME_WIRE)
        {
          g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_NAME,
                       _("“%s” is longer than a domain name may be (255 bytes)"), name);
          return FALSE;
        }
      g_byte_array_append (out, &lb, 1);
      g_byte_array_append (out, (const guint8 *) labels[i], l);
    }
  g_byte_array_append (out, (const guint8 *) "", 1);
  return TRUE;
}

static void
put_u16 (GByteArray *out,
         guint16     v)
{
  guint8 b[2] = { v >> 8, v & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, 4);
}

GBytes *
ob_dns_message_encode_query (guint16      id,
                             const char  *name,
                             guint16      type,
                             guint16      edns_udp_size,
                             GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  put_u16 (out, id);
  put_u16 (out, 0x0100); /* RD */
  put_u16 (out, 1);
  put_u16 (out, 0);
  put_u16 (out, 0);
  put_u16 (out, edns_udp_size > 0 ? 1 : 0);
  if (!ob_dns_message_encode_name (out, name, error))
    return NULL;
  put_u16 (out, type);
  put_u16 (out, 1); /* IN */
  if (edns_udp_size > 0)
    {
      g_byte_array_append (out, (const guint8 *) "", 1); /* root */
      put_u16 (out, OB_DNS_TYPE_OPT);
      put_u16 (out, edns_udp_size);
      put_u32 (out, 0); /* extended rcode, version 0, no DO */
      put_u16 (out, 0);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
encode_rdata (GByteArray   *out,
              ObDnsRecord  *r,
              GError      **error)
{
  switch (r->type)
    {
    case OB_DNS_TYPE_A:
    case OB_DNS_TYPE_AAAA:
      {
        g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (r->target);

        if (addr == NULL)
          break;
        g_byte_array_append (out, g_inet_address_to_bytes (addr), g_inet_address_get_native_size (addr));
        return TRUE;
      }
    case OB_DNS_TYPE_NS:
    case OB_DNS_TYPE_CNAME:
    case OB_DNS_TYPE_PTR:
      return ob_dns_message_encode_name (out, r->target, error);
    case OB_DNS_TYPE_MX:
      put_u16 (out, r->preference);
      return ob_dns_message_encode_name (out, r->target, error);
    case OB_DNS_TYPE_TXT:
    case OB_DNS_TYPE_SPF:
      for (guint i = 0; r->strings && r->strings[i]; i++)
        {
          gsize l = strlen (r->strings[i]);
          guint8 lb = l;

          if (l > 255)
            break;
          g_byte_array_append (out, &lb, 1);
          g_byte_array_append (out, (const guint8 *) r->strings[i], l);
        }
      return TRUE;
    case OB_DNS_TYPE_SOA:
      if (!ob_dns_message_encode_name (out, r->target, error) ||
          !ob_dns_message_encode_name (out, r->text, error))
        return FALSE;
      for (guint i = 0; i < 5; i++)
        put_u32 (out, r->soa[i]);
      return TRUE;
    default:
      if (r->rdata)
        {
          gsize l;
          const guint8 *p = g_bytes_get_data (r->rdata, &l);

          g_byte_array_append (out, p, l);
        }
      return TRUE;
    }
  if (r->rdata)
    {
      gsize l;
      const guint8 *p = g_bytes_get_data (r->rdata, &l);

      g_byte_array_append (out, p, l);
    }
  return TRUE;
}

static gboolean
encode_record (GByteArray   *out,
               ObDnsRecord  *r,
               GError      **error)
{
  guint len_pos;
  guint rdlen;

  if (!ob_dns_message_encode_name (out, r->name, error))
    return FALSE;
  put_u16 (out, r->type);
  put_u16 (out, r->klass ? r->klass : 1);
  put_u32 (out, r->ttl);
  len_pos = out->len;
  put_u16 (out, 0);
  if (!encode_rdata (out, r, error))
    return FALSE;
  rdlen = out->len - len_pos - 2;
  if (rdlen > 65535)
    {
      g_set_error_literal (error, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
                           _("A DNS record is too large to send"));
      return FALSE;
    }
  out->data[len_pos] = rdlen >> 8;
  out->data[len_pos + 1] = rdlen & 0xff;
  return TRUE;
}

GBytes *
ob_dns_message_encode_response (guint16      id,
                                const char  *qname,
                                guint16      qtype,
                                ObDnsAnswer *answer,
                                GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  put_u16 (out, id);
  put_u16 (out, 0x8180 | (answer->authoritative ? 0x0400 : 0) |
                (answer->truncated ? 0x0200 : 0) | (answer->rcode & 0xf));
  put_u16 (out, 1);
  put_u16 (out, answer->records->len);
  put_u16 (out, answer->authority->len);
  put_u16 (out, 0);
  if (!ob_dns_message_encode_name (out, qname, error))
    return NULL;
  put_u16 (out, qtype);
  put_u16 (out, 1);
  for (guint i = 0; i < answer->records->len; i++)
    if (!encode_record (out, g_ptr_array_index (answer->records, i), error))
      return NULL;
  for (guint i = 0; i < answer->authority->len; i++)
    if (!encode_record (out, g_ptr_array_index (answer->authority, i), error))
      return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
