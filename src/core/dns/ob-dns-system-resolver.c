/* ob-dns-system-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-system-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-dns-system-resolver.h"

#define SYSTEM_TTL 300

struct _ObDnsSystemResolver
{
  GObject    parent_instance;
  GResolver *resolver;
};

typedef struct
{
  char    *name;
  guint16  type;
} Query;

static void resolver_iface_init (ObDnsResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObDnsSystemResolver, ob_dns_system_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_DNS_RESOLVER, resolver_iface_init))

static void
query_free (Query *q)
{
  g_free (q->name);
  g_free (q);
}

static gboolean
map_error (GTask        *task,
           const Query  *q,
           GError       *error)
{
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    {
      g_task_return_pointer (task, ob_dns_answer_new (OB_DNS_RCODE_NOERROR),
                             (GDestroyNotify) ob_dns_answer_unref);
      return TRUE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_SERVFAIL,
                             _("The system’s DNS could not look up “%s” right now (%s); try again later"),
                             q->name, error->message);
  else
    g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK,
                             _("The system’s DNS could not look up “%s” (%s); check the network connection"),
                             q->name, error->message);
  return FALSE;
}

static void
lookup_by_name_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses;
  ObDnsAnswer *answer;

  addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (object), result, &error);
  if (error)
    {
      map_error (task, q, error);
      return;
    }
  answer = ob_dns_answer_new (OB_DNS_RCODE_NOERROR);
  for (GList *l = addresses; l; l = l->next)
    {
      ObDnsRecord *r = ob_dns_record_new (q->name, q->type, SYSTEM_TTL);

      r->target = g_inet_address_to_string (l->data);
      g_ptr_array_add (answer->records, r);
    }
  g_resolver_free_addresses (addresses);
  g_task_return_pointer (task, answer, (GDestroyNotify) ob_dns_answer_unref);
}

static void
lookup_by_address_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  ObDnsAnswer *answer;
  ObDnsRecord *r;

  host = g_resolver_lookup_by_address_finish (G_RESOLVER (object), result, &error);
  if (error)
    {
      map_error (task, q, error);
      return;
    }
  answer = ob_dns_answer_new (OB_DNS_RCODE_NOERROR);
  r = ob_dns_record_new (q->name, OB_DNS_TYPE_PTR, SYSTEM_TTL);
  r->target = g_steal_pointer (&host);
  g_ptr_array_add (answer->records, r);
  g_task_return_pointer (task, answer, (GDestroyNotify) ob_dns_answer_unref);
}

static void
lookup_records_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *records;
  ObDnsAnswer *answer;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (error)
    {
      map_error (task, q, error);
      return;
    }
  answer = ob_dns_answer_new (OB_DNS_RCODE_NOERROR);
  for (GList *l = records; l; l = l->next)
    {
      GVariant *v = l->data;
      ObDnsRecord *r = ob_dns_record_new (q->name, q->type, SYSTEM_TTL);

      switch (q->type)
        {
        case OB_DNS_TYPE_MX:
          g_variant_get (v, "(qs)", &r->preference, &r->target);
          break;
        case OB_DNS_TYPE_TXT:
          {
            g_autofree const char **strings = NULL;

            g_variant_get (v, "(^a&s)", &strings);
            r->strings = g_strdupv ((char **) strings);
            r->text = g_strjoinv ("", r->strings);
          }
          break;
        case OB_DNS_TYPE_NS:
          g_variant_get (v, "(s)", &r->target);
          break;
        case OB_DNS_TYPE_SOA:
          g_variant_get (v, "(ssuuuuu)", &r->target, &r->text, &r->soa[0], &r->soa[1],
                         &r->soa[2], &r->soa[3], &r->soa[4]);
          break;
        default:
          g_assert_not_reached ();
        }
      g_ptr_array_add (answer->records, r);
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  g_task_return_pointer (task, answer, (GDestroyNotify) ob_dns_answer_unref);
}

/* "4.3.2.1.in-addr.arpa" → 1.2.3.4; the ip6.arpa nibble form likewise. */
static GInetAddress *
address_from_ptr_name (const char *name)
{
  g_autofree char *n = ob_dns_name_normalize (name);
  g_auto(GStrv) parts = NULL;
  guint len;

  if (g_str_has_suffix (n, ".in-addr.arpa"))
    {
      g_autofree char *text = NULL;

      n[strlen (n) - strlen (".in-addr.arpa")] = '\0';
      parts = g_strsplit (n, ".", -1);
      if (g_strv_length (parts) != 4)
        return NULL;
      text = g_strdup_printf ("%s.%s.%s.%s", parts[3], parts[2], parts[1], parts[0]);
      return g_inet_address_new_from_string (text);
    }
  if (g_str_has_suffix (n, ".ip6.arpa"))
    {
      GString *text = g_string_new (NULL);
      g_autofree char *s = NULL;

      n[strlen (n) - strlen (".ip6.arpa")] = '\0';
      parts = g_strsplit (n, ".", -1);
      len = g_strv_length (parts);
      if (len != 32)
        {
          g_string_free (text, TRUE);
          return NULL;
        }
      for (int i = 31; i >= 0; i--)
        {
          g_string_append (text, parts[i]);
          if (i % 4 == 0 && i > 0)
            g_string_append_c (text, ':');
        }
      s = g_string_free (text, FALSE);
      return g_inet_address_new_from_string (s);
    }
  return NULL;
}

static void
ob_dns_system_resolver_query_async (ObDnsResolver       *resolver,
                                    const char          *name,
                                    guint16              type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  ObDnsSystemResolver *self = OB_DNS_SYSTEM_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Query *q = g_new0 (Query, 1);
  GResolverRecordType rtype;

  g_task_set_source_tag (task, ob_dns_system_resolver_query_async);
  q->name = ob_dns_name_normalize (name);
  q->type = type;
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);

  switch (type)
    {
    case OB_DNS_TYPE_A:
    case OB_DNS_TYPE_AAAA:
      g_resolver_lookup_by_name_with_flags_async (self->resolver, q->name,
                                                  type == OB_DNS_TYPE_A
                                                  ? G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY
                                                  : G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY,
                                                  cancellable, lookup_by_name_cb,
                                                  g_steal_pointer (&task));
      return;
    case OB_DNS_TYPE_PTR:
      {
        g_autoptr(GInetAddress) addr = address_from_ptr_name (q->name);

        if (addr == NULL)
          {
            g_task_return_pointer (task, ob_dns_answer_new (OB_DNS_RCODE_NXDOMAIN),
                                   (GDestroyNotify) ob_dns_answer_unref);
            return;
          }
        g_resolver_lookup_by_address_async (self->resolver, addr, cancellable,
                                            lookup_by_address_cb, g_steal_pointer (&task));
      }
      return;
    case OB_DNS_TYPE_MX:
      rtype = G_RESOLVER_RECORD_MX;
      break;
    case OB_DNS_TYPE_TXT:
      rtype = G_RESOLVER_RECORD_TXT;
      break;
    case OB_DNS_TYPE_NS:
      rtype = G_RESOLVER_RECORD_NS;
      break;
    case OB_DNS_TYPE_SOA:
      rtype = G_RESOLVER_RECORD_SOA;
      break;
    default:
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_UNSUPPORTED,
                               _("The system’s DNS cannot look up %s records; choose a DNS server in Preferences"),
                               ob_dns_type_to_string (type));
      return;
    }
  g_resolver_lookup_records_async (self->resolver, q->name, rtype, cancellable,
                                   lookup_records_cb, g_steal_pointer (&task));
}

static ObDnsAnswer *
ob_dns_system_resolver_query_finish (ObDnsResolver  *resolver,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_iface_init (ObDnsResolverInterface *iface)
{
  iface->query_async = ob_dns_system_resolver_query_async;
  iface->query_finish = ob_dns_system_resolver_query_finish;
}

static void
ob_dns_system_resolver_finalize (GObject *object)
{
  ObDnsSystemResolver *self = OB_DNS_SYSTEM_RESOLVER (object);

  g_clear_object (&self->resolver);
  G_OBJECT_CLASS (ob_dns_system_resolver_parent_class)->finalize (object);
}

static void
ob_dns_system_resolver_class_init (ObDnsSystemResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_dns_system_resolver_finalize;
}

static void
ob_dns_system_resolver_init (ObDnsSystemResolver *self)
{
  self->resolver = g_resolver_get_default ();
}

ObDnsResolver *
ob_dns_system_resolver_new (void)
{
  return g_object_new (OB_TYPE_DNS_SYSTEM_RESOLVER, NULL);
}
