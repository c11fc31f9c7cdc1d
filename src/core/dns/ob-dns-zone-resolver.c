/* ob-dns-zone-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-zone-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-dns-zone-resolver.h"

#define DEFAULT_TTL 3600
#define MAX_CNAME_HOPS 8

struct _ObDnsZoneResolver
{
  GObject     parent_instance;
  GHashTable *nodes;    /* normalised name → GPtrArray of ObDnsRecord* */
  GHashTable *timeouts; /* normalised name → itself */
  guint       n_records;
};

static void resolver_iface_init (ObDnsResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObDnsZoneResolver, ob_dns_zone_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_DNS_RESOLVER, resolver_iface_init))

/* ---- the master-file parser ---- */

typedef struct
{
  char     *text;
  gboolean  quoted;
} Token;

typedef struct
{
  guint      line;
  gboolean   leading_space;
  GPtrArray *tokens; /* Token* */
} Entry;

static void
token_free (Token *t)
{
  g_free (t->text);
  g_free (t);
}

static void
entry_free (Entry *e)
{
  g_ptr_array_unref (e->tokens);
  g_free (e);
}

static gboolean
syntax_error (GError    **error,
              const char *source,
              guint       line,
              const char *what)
{
  g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_ZONE_SYNTAX,
               _("%s, line %u: %s"), source, line, what);
  return FALSE;
}

/* Splits the text into entries: one per record or directive, with
 * parentheses joining lines, comments dropped and quoted strings kept whole
 * (escapes \" \\ and \DDD resolved inside quotes). */
static GPtrArray *
tokenize (const char  *text,
          gsize        len,
          const char  *source,
          GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  Entry *current = NULL;
  guint line = 1;
  guint depth = 0;
  gsize i = 0;
  gboolean at_line_start = TRUE;

  while (i < len)
    {
      char c = text[i];

      if (c == '\0')
        {
          syntax_error (error, source, line, _("the file contains a NUL byte"));
          return NULL;
        }
      if (c == '\n')
        {
          line++;
          i++;
          if (depth == 0)
            {
              current = NULL;
              at_line_start = TRUE;
            }
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\r')
        {
          if (at_line_start && depth == 0 && c != '\r')
            {
              current = g_new0 (Entry, 1);
              current->line = line;
              current->leading_space = TRUE;
              current->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) token_free);
              g_ptr_array_add (entries, current);
            }
          at_line_start = FALSE;
          i++;
          continue;
        }
      if (c == ';')
        {
          while (i < len && text[i] != '\n')
            i++;
          continue;
        }
      if (current == NULL)
        {
          current = g_new0 (Entry, 1);
          current->line = line;
          current->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) token_free);
          g_ptr_array_add (entries, current);
        }
      at_line_start = FALSE;
      if (c == '(')
        {
          depth++;
          i++;
          continue;
        }
      if (c == ')')
        {
          if (depth == 0)
            {
              syntax_error (error, source, line, _("“)” without “(”"));
              return NULL;
            }
          depth--;
          i++;
          continue;
        }

      {
        g_autoptr(GString) word = g_string_new (NULL);
        Token *t = g_new0 (Token, 1);

        if (c == '"')
          {
            t->quoted = TRUE;
            i++;
            for (;;)
              {
                if (i >= len || text[i] == '\n')
                  {
                    token_free (t);
                    syntax_error (error, source, line, _("a quoted string is not closed"));
                    return NULL;
                  }
                if (text[i] == '"')
                  {
                    i++;
                    break;
                  }
                if (text[i] == '\\' && i + 1 < len)
                  {
                    if (i + 3 < len && g_ascii_isdigit (text[i + 1]) &&
                        g_ascii_isdigit (text[i + 2]) && g_ascii_isdigit (text[i + 3]))
                      {
                        guint v = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');

                        if (v > 255)
                          {
                            token_free (t);
                            syntax_error (error, source, line, _("an escape \\DDD is over 255"));
                            return NULL;
                          }
                        g_string_append_c (word, (char) v);
                        i += 4;
                      }
                    else
                      {
                        g_string_append_c (word, text[i + 1]);
                        i += 2;
                      }
                    continue;
                  }
                g_string_append_c (word, text[i]);
                i++;
              }
          }
        else
          {
            while (i < len && !strchr (" \t\r\n;()\"", text[i]) && text[i] != '\0')
              {
                if (text[i] == '\\' && i + 1 < len && text[i + 1] != '\n')
                  {
                    g_string_append_len (word, text + i, 2);
                    i += 2;
                    continue;
                  }
                g_string_append_c (word, text[i]);
                i++;
              }
          }
        t->text = g_string_free (g_steal_pointer (&word), FALSE);
        g_ptr_array_add (current->tokens, t);
      }
    }
  if (depth > 0)
    {
      syntax_error (error, source, line, _("“(” is not closed"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
parse_ttl (const char *text,
           guint32    *ttl)
{
  guint64 total = 0, cur = 0;
  gboolean any = FALSE;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          cur = cur * 10 + (*p - '0');
          any = TRUE;
          if (cur > G_MAXUINT32)
            return FALSE;
          continue;
        }
      if (!any)
        return FALSE;
      switch (g_ascii_tolower (*p))
        {
        case 's': break;
        case 'm': cur *= 60; break;
        case 'h': cur *= 3600; break;
        case 'd': cur *= 86400; break;
        case 'w': cur *= 604800; break;
        default: return FALSE;
        }
      total += cur;
      cur = 0;
      any = FALSE;
    }
  total += cur;
  if (total > G_MAXINT32)
    return FALSE;
  *ttl = total;
  return TRUE;
}

/* Makes @name absolute against @origin: "@" is the origin, a name ending in
 * "." is absolute, anything else is relative. Returns NULL when a relative
 * name has no origin. */
static char *
absolute_name (const char *name,
               const char *origin)
{
  gsize len = strlen (name);

  if (g_str_equal (name, "@"))
    return origin ? g_strdup (origin) : NULL;
  if (len > 0 && name[len - 1] == '.' && (len < 2 || name[len - 2] != '\\'))
    return g_strndup (name, len - 1);
  if (origin == NULL)
    return NULL;
  if (origin[0] == '\0')
    return g_strdup (name);
  return g_strconcat (name, ".", origin, NULL);
}

static gboolean
valid_name (const char *name)
{
  g_auto(GStrv) labels = NULL;

  if (name[0] == '\0')
    return TRUE;
  if (strlen (name) > 253)
    return FALSE;
  labels = g_strsplit (name, ".", -1);
  for (guint i = 0; labels[i]; i++)
    if (labels[i][0] == '\0' || strlen (labels[i]) > 63)
      return FALSE;
  return TRUE;
}

static gboolean
parse_rdata (ObDnsRecord  *r,
             Token       **tok,
             guint         n,
             const char   *origin,
             const char   *source,
             guint         line,
             GError      **error)
{
  switch (r->type)
    {
    case OB_DNS_TYPE_A:
    case OB_DNS_TYPE_AAAA:
      {
        g_autoptr(GInetAddress) addr = NULL;

        if (n != 1 || !(addr = g_inet_address_new_from_string (tok[0]->text)) ||
            g_inet_address_get_family (addr) != (r->type == OB_DNS_TYPE_A ? G_SOCKET_FAMILY_IPV4
                                                                          : G_SOCKET_FAMILY_IPV6))
          return syntax_error (error, source, line,
                               r->type == OB_DNS_TYPE_A ? _("an A record needs one IPv4 address")
                                                        : _("an AAAA record needs one IPv6 address"));
        r->target = g_inet_address_to_string (addr);
        return TRUE;
      }
    case OB_DNS_TYPE_NS:
    case OB_DNS_TYPE_CNAME:
    case OB_DNS_TYPE_PTR:
      if (n != 1 || !(r->target = absolute_name (tok[0]->text, origin)) || !valid_name (r->target))
        return syntax_error (error, source, line, _("the record needs one domain name"));
      return TRUE;
    case OB_DNS_TYPE_MX:
      {
        guint64 pref;

        if (n != 2 || !g_ascii_string_to_unsigned (tok[0]->text, 10, 0, 65535, &pref, NULL) ||
            !(r->target = absolute_name (tok[1]->text, origin)) || !valid_name (r->target))
          return syntax_error (error, source, line, _("an MX record needs a preference and a host name"));
        r->preference = pref;
        return TRUE;
      }
    case OB_DNS_TYPE_TXT:
    case OB_DNS_TYPE_SPF:
      {
        GString *joined = g_string_new (NULL);

        if (n == 0)
          {
            g_string_free (joined, TRUE);
            return syntax_error (error, source, line, _("a TXT record needs at least one string"));
          }
        r->strings = g_new0 (char *, n + 1);
        for (guint i = 0; i < n; i++)
          {
            if (strlen (tok[i]->text) > 255)
              {
                g_string_free (joined, TRUE);
                return syntax_error (error, source, line,
                                     _("a TXT string is longer than 255 characters; split it into several quoted strings"));
              }
            r->strings[i] = g_strdup (tok[i]->text);
            g_string_append (joined, tok[i]->text);
          }
        r->text = g_string_free (joined, FALSE);
        return TRUE;
      }
    case OB_DNS_TYPE_SOA:
      if (n != 7 || !(r->target = absolute_name (tok[0]->text, origin)) ||
          !(r->text = absolute_name (tok[1]->text, origin)))
        return syntax_error (error, source, line, _("an SOA record needs 7 fields"));
      for (guint i = 0; i < 5; i++)
        if (!parse_ttl (tok[2 + i]->text, &r->soa[i]))
          return syntax_error (error, source, line, _("an SOA number is not valid"));
      return TRUE;
    default:
      {
        /* RFC 3597: \# LENGTH HEX… */
        g_autoptr(GByteArray) bytes = g_byte_array_new ();
        g_autoptr(GString) hex = g_string_new (NULL);
        guint64 want;

        if (n < 2 || !g_str_equal (tok[0]->text, "\\#") ||
            !g_ascii_string_to_unsigned (tok[1]->text, 10, 0, 65535, &want, NULL))
          return syntax_error (error, source, line,
                               _("records of this type must be written as \\# LENGTH HEX"));
        for (guint i = 2; i < n; i++)
          g_string_append (hex, tok[i]->text);
        if (hex->len % 2 != 0 || hex->len / 2 != want)
          return syntax_error (error, source, line, _("the \\# length does not match the data"));
        for (gsize i = 0; i < hex->len; i += 2)
          {
            int hi = g_ascii_xdigit_value (hex->str[i]), lo = g_ascii_xdigit_value (hex->str[i + 1]);
            guint8 b;

            if (hi < 0 || lo < 0)
              return syntax_error (error, source, line, _("the \\# data is not hexadecimal"));
            b = hi * 16 + lo;
            g_byte_array_append (bytes, &b, 1);
          }
        r->rdata = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
        return TRUE;
      }
    }
}

/* Parses @text into a list of records, or fails without side effects. */
static GPtrArray *
parse_master_file (const char  *text,
                   gsize        len,
                   const char  *origin_in,
                   const char  *source,
                   GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_dns_record_free);
  g_autofree char *origin = origin_in ? ob_dns_name_normalize (origin_in) : NULL;
  g_autofree char *last_owner = NULL;
  guint32 default_ttl = DEFAULT_TTL;
  gboolean have_default_ttl = FALSE;

  if (!g_utf8_validate (text, len, NULL))
    {
      syntax_error (error, source, 1, _("the file is not UTF-8 text"));
      return NULL;
    }
  entries = tokenize (text, len, source, error);
  if (entries == NULL)
    return NULL;

  for (guint e = 0; e < entries->len; e++)
    {
      Entry *entry = g_ptr_array_index (entries, e);
      Token **tok = (Token **) entry->tokens->pdata;
      guint n = entry->tokens->len;
      guint i = 0;
      g_autofree char *owner = NULL;
      g_autoptr(ObDnsRecord) r = NULL;
      gboolean have_ttl = FALSE, have_class = FALSE;
      guint32 ttl = 0;
      guint16 type = 0;

      if (n == 0)
        continue;

      if (!entry->leading_space && !tok[0]->quoted && tok[0]->text[0] == '$')
        {
          if (g_ascii_strcasecmp (tok[0]->text, "$ORIGIN") == 0)
            {
              char *o;

              if (n != 2 || !(o = absolute_name (tok[1]->text, origin)))
                {
                  syntax_error (error, source, entry->line, _("$ORIGIN needs one domain name"));
                  return NULL;
                }
              g_free (origin);
              origin = ob_dns_name_normalize (o);
              g_free (o);
            }
          else if (g_ascii_strcasecmp (tok[0]->text, "$TTL") == 0)
            {
              if (n != 2 || !parse_ttl (tok[1]->text, &default_ttl))
                {
                  syntax_error (error, source, entry->line, _("$TTL needs one time value"));
                  return NULL;
                }
              have_default_ttl = TRUE;
            }
          else
            {
              syntax_error (error, source, entry->line, _("unsupported directive (only $ORIGIN and $TTL are understood)"));
              return NULL;
            }
          continue;
        }

      if (entry->leading_space)
        {
          if (last_owner == NULL)
            {
              syntax_error (error, source, entry->line, _("a record without a name comes before any named record"));
              return NULL;
            }
          owner = g_strdup (last_owner);
        }
      else
        {
          g_autofree char *abs = absolute_name (tok[0]->text, origin);

          if (abs == NULL)
            {
              syntax_error (error, source, entry->line, _("a relative name comes before $ORIGIN"));
              return NULL;
            }
          owner = ob_dns_name_normalize (abs);
          if (!valid_name (owner))
            {
              syntax_error (error, source, entry->line, _("the record name is not a valid domain name"));
              return NULL;
            }
          i = 1;
        }

      /* [TTL] [CLASS] TYPE, or [CLASS] [TTL] TYPE. */
      for (; i < n; i++)
        {
          const char *w = tok[i]->text;

          if (tok[i]->quoted)
            break;
          if (!have_ttl && g_ascii_isdigit (w[0]) && parse_ttl (w, &ttl))
            have_ttl = TRUE;
          else if (!have_class && (g_ascii_strcasecmp (w, "IN") == 0))
            have_class = TRUE;
          else if (!have_class && (g_ascii_strcasecmp (w, "CH") == 0 || g_ascii_strcasecmp (w, "HS") == 0))
            {
              syntax_error (error, source, entry->line, _("only class IN is supported"));
              return NULL;
            }
          else
            break;
        }
      if (i >= n || tok[i]->quoted || !ob_dns_type_from_string (tok[i]->text, &type) ||
          type == OB_DNS_TYPE_OPT)
        {
          syntax_error (error, source, entry->line, _("unknown or missing record type"));
          return NULL;
        }
      i++;

      r = ob_dns_record_new (owner, type, have_ttl ? ttl : default_ttl);
      if (!parse_rdata (r, tok + i, n - i, origin, source, entry->line, error))
        return NULL;
      /* RFC 2308 §4: without $TTL, the SOA minimum is the default. */
      if (type == OB_DNS_TYPE_SOA && !have_default_ttl)
        default_ttl = r->soa[4];
      g_free (last_owner);
      last_owner = g_strdup (owner);
      g_ptr_array_add (records, g_steal_pointer (&r));
    }
  return g_steal_pointer (&records);
}

/* ---- the in-memory zone ---- */

static void
add_record_take (ObDnsZoneResolver *self,
                 ObDnsRecord       *record)
{
  g_autofree char *key = ob_dns_name_normalize (record->name);
  GPtrArray *list = g_hash_table_lookup (self->nodes, key);
  char *p;

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_dns_record_free);
      g_hash_table_insert (self->nodes, g_strdup (key), list);
    }
  g_ptr_array_add (list, record);
  self->n_records++;

  /* Empty non-terminals exist (NODATA, not NXDOMAIN). */
  for (p = strchr (key, '.'); p; p = strchr (p + 1, '.'))
    if (!g_hash_table_contains (self->nodes, p + 1))
      g_hash_table_insert (self->nodes, g_strdup (p + 1),
                           g_ptr_array_new_with_free_func ((GDestroyNotify) ob_dns_record_free));
}

/* The node for @name: itself, or the closest "*" wildcard. */
static GPtrArray *
find_node (ObDnsZoneResolver *self,
           const char        *name,
           gboolean          *exists)
{
  GPtrArray *list = g_hash_table_lookup (self->nodes, name);
  const char *p;

  if (list)
    {
      *exists = TRUE;
      return list;
    }
  *exists = FALSE;
  for (p = strchr (name, '.'); p; p = strchr (p + 1, '.'))
    {
      g_autofree char *wild = g_strconcat ("*", p, NULL);

      if ((list = g_hash_table_lookup (self->nodes, wild)))
        {
          *exists = TRUE;
          return list;
        }
      if (g_hash_table_contains (self->nodes, p + 1))
        break; /* the closest encloser exists and has no wildcard */
    }
  return NULL;
}

ObDnsAnswer *
ob_dns_zone_resolver_lookup (ObDnsZoneResolver  *self,
                             const char         *name,
                             guint16             type,
                             GError            **error)
{
  g_autofree char *current = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;

  g_return_val_if_fail (OB_IS_DNS_ZONE_RESOLVER (self), NULL);

  current = ob_dns_name_normalize (name);
  answer = ob_dns_answer_new (OB_DNS_RCODE_NOERROR);
  answer->authoritative = TRUE;

  for (guint hop = 0; hop <= MAX_CNAME_HOPS; hop++)
    {
      GPtrArray *list;
      gboolean exists;
      const char *cname = NULL;

      list = find_node (self, current, &exists);
      if (g_hash_table_contains (self->timeouts, current))
        {
          gboolean has_type = FALSE;

          for (guint i = 0; list && i < list->len; i++)
            {
              guint16 t = ((ObDnsRecord *) g_ptr_array_index (list, i))->type;

              if (t == type || t == OB_DNS_TYPE_CNAME)
                has_type = TRUE;
            }
          if (!has_type)
            {
              g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT,
                           _("The DNS lookup of “%s” timed out"), current);
              return NULL;
            }
        }
      if (!exists)
        {
          answer->rcode = OB_DNS_RCODE_NXDOMAIN;
          break;
        }
      for (guint i = 0; i < list->len; i++)
        {
          ObDnsRecord *r = g_ptr_array_index (list, i);

          if (r->type == type ||
              (r->type == OB_DNS_TYPE_CNAME && type != OB_DNS_TYPE_CNAME))
            {
              ObDnsRecord *copy = ob_dns_record_copy (r);

              g_free (copy->name);
              copy->name = g_strdup (current);
              g_ptr_array_add (answer->records, copy);
              if (r->type == OB_DNS_TYPE_CNAME && r->type != type)
                cname = r->target;
            }
        }
      if (cname == NULL)
        break;
      g_free (current);
      current = ob_dns_name_normalize (cname);
    }
  return g_steal_pointer (&answer);
}

static void
ob_dns_zone_resolver_query_async (ObDnsResolver       *resolver,
                                  const char          *name,
                                  guint16              type,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  ObDnsZoneResolver *self = OB_DNS_ZONE_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  ObDnsAnswer *answer;

  g_task_set_source_tag (task, ob_dns_zone_resolver_query_async);
  answer = ob_dns_zone_resolver_lookup (self, name, type, &error);
  if (answer)
    g_task_return_pointer (task, answer, (GDestroyNotify) ob_dns_answer_unref);
  else
    g_task_return_error (task, error);
}

static ObDnsAnswer *
ob_dns_zone_resolver_query_finish (ObDnsResolver  *resolver,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_iface_init (ObDnsResolverInterface *iface)
{
  iface->query_async = ob_dns_zone_resolver_query_async;
  iface->query_finish = ob_dns_zone_resolver_query_finish;
}

static void
ob_dns_zone_resolver_finalize (GObject *object)
{
  ObDnsZoneResolver *self = OB_DNS_ZONE_RESOLVER (object);

  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->timeouts, g_hash_table_unref);
  G_OBJECT_CLASS (ob_dns_zone_resolver_parent_class)->finalize (object);
}

static void
ob_dns_zone_resolver_class_init (ObDnsZoneResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_dns_zone_resolver_finalize;
}

static void
ob_dns_zone_resolver_init (ObDnsZoneResolver *self)
{
  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->timeouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ObDnsZoneResolver *
ob_dns_zone_resolver_new (void)
{
  return g_object_new (OB_TYPE_DNS_ZONE_RESOLVER, NULL);
}

gboolean
ob_dns_zone_resolver_load_data (ObDnsZoneResolver  *self,
                                const char         *text,
                                gsize               len,
                                const char         *origin,
                                const char         *source_name,
                                GError            **error)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (OB_IS_DNS_ZONE_RESOLVER (self), FALSE);

  records = parse_master_file (text, len, origin, source_name ? source_name : "zone", error);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    add_record_take (self, g_steal_pointer (&records->pdata[i]));
  g_ptr_array_set_free_func (records, NULL);
  return TRUE;
}

ObDnsResolver *
ob_dns_zone_resolver_new_from_file (const char  *path,
                                    GError     **error)
{
  g_autoptr(ObDnsZoneResolver) self = ob_dns_zone_resolver_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
                   _("Cannot read the zone file “%s”: %s"), path, local->message);
      return NULL;
    }
  if (!ob_dns_zone_resolver_load_data (self, text, len, NULL, path, error))
    return NULL;
  return OB_DNS_RESOLVER (g_steal_pointer (&self));
}

void
ob_dns_zone_resolver_add_record (ObDnsZoneResolver *self,
                                 const ObDnsRecord *record)
{
  ObDnsRecord *copy;

  g_return_if_fail (OB_IS_DNS_ZONE_RESOLVER (self));

  copy = ob_dns_record_copy (record);
  g_free (copy->name);
  copy->name = ob_dns_name_normalize (record->name);
  add_record_take (self, copy);
}

void
ob_dns_zone_resolver_add_timeout (ObDnsZoneResolver *self,
                                  const char        *name)
{
  g_return_if_fail (OB_IS_DNS_ZONE_RESOLVER (self));

  g_hash_table_add (self->timeouts, ob_dns_name_normalize (name));
}

guint
ob_dns_zone_resolver_get_n_records (ObDnsZoneResolver *self)
{
  g_return_val_if_fail (OB_IS_DNS_ZONE_RESOLVER (self), 0);
  return self->n_records;
}
