/* ob-dns-system-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-system-resolver"

#include "config.h"

#include <arpa/nameser.h>
#include <glib/gi18n-lib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

#include "ob-dns-message.h"
#include "ob-dns-system-resolver.h"

#define SYSTEM_TTL 300

/* The largest DNS message (RFC 1035 over TCP). */
#define MAX_REPLY 65535

struct _ObDnsSystemResolver
{
  GObject             parent_instance;
  GResolver          *resolver;   /* A, AAAA, PTR: the C library also reads /etc/hosts */
  struct sockaddr_in  server;     /* sin_port 0: the servers of /etc/resolv.conf */
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

/* The C library's resolver (res_nquery), in a worker thread: it reads
 * /etc/resolv.conf like every other program, and unlike GResolver it says
 * whether a name does not exist (h_errno HOST_NOT_FOUND) or merely has no
 * records of the type asked for (NO_DATA). A successful reply is decoded by
 * our own codec, TTLs and CNAMEs included. */
static void
res_query_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ObDnsSystemResolver *self = source_object;
  Query *q = task_data;
  struct __res_state state;
  g_autofree guint8 *buf = g_malloc (MAX_REPLY);
  g_autoptr(GError) error = NULL;
  ObDnsAnswer *answer;
  int len, herr;

  memset (&state, 0, sizeof state);
  if (res_ninit (&state) != 0)
    {
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK,
                               _("The system’s DNS settings could not be read; check the network connection"));
      return;
    }
  state.options |= RES_USE_EDNS0;
  if (self->server.sin_port != 0)
    {
      state.nsaddr_list[0] = self->server;
      state.nscount = 1;
    }

  len = res_nquery (&state, q->name, ns_c_in, q->type, buf, MAX_REPLY);
  herr = state.res_h_errno;
  res_nclose (&state);

  if (len < 0)
    {
      switch (herr)
        {
        case HOST_NOT_FOUND:
          g_task_return_pointer (task, ob_dns_answer_new (OB_DNS_RCODE_NXDOMAIN),
                                 (GDestroyNotify) ob_dns_answer_unref);
          return;
        case NO_DATA:
          g_task_return_pointer (task, ob_dns_answer_new (OB_DNS_RCODE_NOERROR),
                                 (GDestroyNotify) ob_dns_answer_unref);
          return;
        case TRY_AGAIN:
          g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_SERVFAIL,
                                   _("The system’s DNS could not look up “%s” right now; try again later"),
                                   q->name);
          return;
        case NO_RECOVERY:
          g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_REFUSED,
                                   _("The system’s DNS server refused to look up “%s”; choose another DNS server in Preferences"),
                                   q->name);
          return;
        default:
          g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK,
                                   _("The system’s DNS could not look up “%s”; check the network connection"),
                                   q->name);
          return;
        }
    }

  answer = ob_dns_message_decode (buf, MIN ((gsize) len, MAX_REPLY), NULL, NULL, NULL, &error);
  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
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

  g_task_set_source_tag (task, ob_dns_system_resolver_query_async);
  q->name = ob_dns_name_normalize (name);
  q->type = type;
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);

  if ((type == OB_DNS_TYPE_A || type == OB_DNS_TYPE_AAAA) && self->server.sin_port == 0)
    {
      g_resolver_lookup_by_name_with_flags_async (self->resolver, q->name,
                                                  type == OB_DNS_TYPE_A
                                                  ? G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY
                                                  : G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY,
                                                  cancellable, lookup_by_name_cb,
                                                  g_steal_pointer (&task));
      return;
    }
  if (type == OB_DNS_TYPE_PTR && self->server.sin_port == 0)
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
      return;
    }

  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, res_query_thread);
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
  const char *server = g_getenv ("OUTBOUND_SYSTEM_DNS_SERVER");

  self->resolver = g_resolver_get_default ();

  /* For the tests only: "127.0.0.1:PORT" replaces the servers of
   * /etc/resolv.conf, which a test cannot change. */
  if (server != NULL)
    {
      g_autoptr(GSocketConnectable) c = g_network_address_parse (server, 53, NULL);
      const char *host = c ? g_network_address_get_hostname (G_NETWORK_ADDRESS (c)) : NULL;
      g_autoptr(GInetAddress) addr = host ? g_inet_address_new_from_string (host) : NULL;

      if (addr != NULL && g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV4)
        {
          self->server.sin_family = AF_INET;
          self->server.sin_port = g_htons (g_network_address_get_port (G_NETWORK_ADDRESS (c)));
          memcpy (&self->server.sin_addr, g_inet_address_to_bytes (addr), 4);
        }
      else
        g_message ("OUTBOUND_SYSTEM_DNS_SERVER=%s is not IPv4-address:port; using the system’s servers", server);
    }
}

ObDnsResolver *
ob_dns_system_resolver_new (void)
{
  return g_object_new (OB_TYPE_DNS_SYSTEM_RESOLVER, NULL);
}
