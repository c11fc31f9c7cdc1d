/* ob-dns-server-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-server-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ob-dns-message.h"
#include "ob-dns-server-resolver.h"

struct _ObDnsServerResolver
{
  GObject         parent_instance;
  GSocketAddress *address;
  ObDnsTransport  transport;
  guint           timeout_ms;
  guint           attempts;
  guint16         edns_size;
};

typedef struct
{
  ObDnsServerResolver *self;
  char                *name;
  guint16              type;
  guint16              id;
  guint                attempt;
  gboolean             edns_sent;
  gboolean             timed_out;
  GCancellable        *op_cancel;    /* cancels the I/O in flight */
  GSocket             *udp;
  GSource             *read_source;
  GSource             *timeout_source;
  GSocketConnection   *tcp;
  guint8               len_buf[2];
  guint8              *tcp_buf;
  gsize                tcp_len;
  GBytes              *query;
} Exchange;

static void resolver_iface_init (ObDnsResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObDnsServerResolver, ob_dns_server_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_DNS_RESOLVER, resolver_iface_init))

static void start_udp_attempt (GTask *task);
static void start_tcp (GTask *task);

static void
clear_sources (Exchange *x)
{
  if (x->read_source)
    {
      g_source_destroy (x->read_source);
      g_clear_pointer (&x->read_source, g_source_unref);
    }
  if (x->timeout_source)
    {
      g_source_destroy (x->timeout_source);
      g_clear_pointer (&x->timeout_source, g_source_unref);
    }
}

static void
exchange_free (Exchange *x)
{
  clear_sources (x);
  g_clear_object (&x->udp);
  if (x->tcp)
    g_io_stream_close (G_IO_STREAM (x->tcp), NULL, NULL);
  g_clear_object (&x->tcp);
  g_clear_object (&x->op_cancel);
  g_clear_pointer (&x->query, g_bytes_unref);
  g_free (x->tcp_buf);
  g_free (x->name);
  g_clear_object (&x->self);
  g_free (x);
}

static char *
server_text (ObDnsServerResolver *self)
{
  GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (self->address);
  g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (isa));

  return g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port (isa));
}

static void
return_timeout (GTask *task)
{
  Exchange *x = g_task_get_task_data (task);
  g_autofree char *server = server_text (x->self);

  g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT,
                           _("The DNS server %s did not answer in time for “%s”; check it is reachable or choose another"),
                           server, x->name);
}

static void
return_io_error (GTask  *task,
                 GError *error)
{
  Exchange *x = g_task_get_task_data (task);
  g_autofree char *server = server_text (x->self);

  clear_sources (x);
  if (x->timed_out)
    return_timeout (task);
  else if (g_task_return_error_if_cancelled (task))
    ;
  else
    g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK,
                             _("Could not reach the DNS server %s (%s); check the address and the network"),
                             server, error->message);
}

/* Returns TRUE when the message answered our question (else ignore it). */
static gboolean
handle_response (GTask        *task,
                 const guint8 *data,
                 gsize         len,
                 gboolean      over_tcp)
{
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;
  g_autofree char *qname = NULL;
  guint16 id = 0, qtype = 0;

  answer = ob_dns_message_decode (data, len, &id, &qname, &qtype, &error);
  if (answer == NULL)
    {
      /* A stray datagram that fails to parse is ignored on UDP, as a
       * spoofing attempt would be; over TCP it is the answer. */
      if (!over_tcp && (len < 2 || ((data[0] << 8) | data[1]) != x->id))
        return FALSE;
      clear_sources (x);
      g_task_return_error (task, g_steal_pointer (&error));
      return TRUE;
    }
  if (id != x->id || qname == NULL || !ob_dns_name_equal (qname, x->name) || qtype != x->type)
    {
      if (!over_tcp)
        return FALSE;
      clear_sources (x);
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
                               _("The DNS server answered a different question than “%s”"), x->name);
      return TRUE;
    }

  clear_sources (x);
  /* RFC 6891 §7: a server that does not understand EDNS answers FORMERR;
   * ask again without the OPT record. */
  if (answer->rcode == OB_DNS_RCODE_FORMERR && x->edns_sent && !over_tcp)
    {
      g_clear_pointer (&x->query, g_bytes_unref);
      x->query = ob_dns_message_encode_query (x->id, x->name, x->type, 0, NULL);
      x->edns_sent = FALSE;
      x->attempt = 0;
      g_debug ("%s answered FORMERR to EDNS, retrying without", x->name);
      start_udp_attempt (g_object_ref (task));
      return TRUE;
    }
  if (answer->truncated && !over_tcp)
    {
      g_debug ("answer for %s truncated, retrying over TCP", x->name);
      start_tcp (g_object_ref (task));
      return TRUE;
    }
  if (!ob_dns_resolver_check_rcode (answer->rcode, x->name, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) ob_dns_answer_unref);
  return TRUE;
}

static gboolean
udp_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Exchange *x = g_task_get_task_data (task);

  clear_sources (x);
  if (x->attempt < x->self->attempts)
    start_udp_attempt (task);
  else
    {
      return_timeout (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
udp_readable_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  GTask *task = user_data;
  guint8 buf[65536];
  g_autoptr(GError) error = NULL;
  gssize n;

  if (g_task_return_error_if_cancelled (task))
    {
      clear_sources (g_task_get_task_data (task));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  n = g_socket_receive (socket, (char *) buf, sizeof buf, NULL, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      return_io_error (task, error);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (handle_response (task, buf, n, FALSE))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* @task holds one reference for the whole UDP phase. */
static void
start_udp_attempt (GTask *task)
{
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (x->query, &len);

  x->attempt++;
  if (x->udp == NULL)
    {
      x->udp = g_socket_new (g_socket_address_get_family (x->self->address),
                             G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
      if (x->udp == NULL || !g_socket_connect (x->udp, x->self->address, NULL, &error))
        {
          return_io_error (task, error);
          g_object_unref (task);
          return;
        }
      g_socket_set_blocking (x->udp, FALSE);
    }
  if (g_socket_send (x->udp, (const char *) data, len, NULL, &error) < 0)
    {
      return_io_error (task, error);
      g_object_unref (task);
      return;
    }
  x->read_source = g_socket_create_source (x->udp, G_IO_IN, g_task_get_cancellable (task));
  g_source_set_callback (x->read_source, (GSourceFunc) (GCallback) udp_readable_cb, task, NULL);
  g_source_attach (x->read_source, g_task_get_context (task));
  x->timeout_source = g_timeout_source_new (x->self->timeout_ms);
  g_source_set_callback (x->timeout_source, udp_timeout_cb, task, NULL);
  g_source_attach (x->timeout_source, g_task_get_context (task));
}

static gboolean
tcp_timeout_cb (gpointer user_data)
{
  Exchange *x = user_data;

  x->timed_out = TRUE;
  g_cancellable_cancel (x->op_cancel);
  g_clear_pointer (&x->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
tcp_read_body_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n, &error))
    {
      return_io_error (task, error);
      return;
    }
  if (n != x->tcp_len)
    {
      clear_sources (x);
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
                               _("The DNS server closed the connection in the middle of the answer for “%s”"),
                               x->name);
      return;
    }
  handle_response (task, x->tcp_buf, x->tcp_len, TRUE);
}

static void
tcp_read_len_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n, &error))
    {
      return_io_error (task, error);
      return;
    }
  if (n != 2)
    {
      clear_sources (x);
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
                               _("The DNS server closed the connection without answering “%s”"), x->name);
      return;
    }
  x->tcp_len = (x->len_buf[0] << 8) | x->len_buf[1];
  x->tcp_buf = g_malloc (MAX (x->tcp_len, 1));
  g_input_stream_read_all_async (G_INPUT_STREAM (object), x->tcp_buf, x->tcp_len,
                                 G_PRIORITY_DEFAULT, x->op_cancel, tcp_read_body_cb,
                                 g_steal_pointer (&task));
}

static void
tcp_write_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      return_io_error (task, error);
      return;
    }
  g_input_stream_read_all_async (g_io_stream_get_input_stream (G_IO_STREAM (x->tcp)),
                                 x->len_buf, 2, G_PRIORITY_DEFAULT, x->op_cancel,
                                 tcp_read_len_cb, g_steal_pointer (&task));
}

static void
tcp_connect_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) framed = NULL;
  GByteArray *buf;
  gsize len;
  const guint8 *data = g_bytes_get_data (x->query, &len);
  guint8 prefix[2] = { len >> 8, len & 0xff };

  x->tcp = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (x->tcp == NULL)
    {
      return_io_error (task, error);
      return;
    }
  buf = g_byte_array_sized_new (len + 2);
  g_byte_array_append (buf, prefix, 2);
  g_byte_array_append (buf, data, len);
  framed = g_byte_array_free_to_bytes (buf);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (x->tcp)),
                                   g_bytes_get_data (framed, NULL), g_bytes_get_size (framed),
                                   G_PRIORITY_DEFAULT, x->op_cancel, tcp_write_cb,
                                   g_steal_pointer (&task));
  /* The framed query must outlive the write: keep it as the query. */
  g_clear_pointer (&x->query, g_bytes_unref);
  x->query = g_steal_pointer (&framed);
}

/* Takes the reference in @task. */
static void
start_tcp (GTask *task)
{
  Exchange *x = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  x->timed_out = FALSE;
  x->timeout_source = g_timeout_source_new (x->self->timeout_ms);
  g_source_set_callback (x->timeout_source, tcp_timeout_cb, x, NULL);
  g_source_attach (x->timeout_source, g_task_get_context (task));
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (x->self->address), x->op_cancel,
                                 tcp_connect_cb, task);
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
ob_dns_server_resolver_query_async (ObDnsResolver       *resolver,
                                    const char          *name,
                                    guint16              type,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  ObDnsServerResolver *self = OB_DNS_SERVER_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Exchange *x = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, ob_dns_server_resolver_query_async);
  x->self = g_object_ref (self);
  x->name = ob_dns_name_normalize (name);
  x->type = type;
  x->id = g_random_int_range (0, 65536);
  x->op_cancel = g_cancellable_new ();
  g_task_set_task_data (task, x, (GDestroyNotify) exchange_free);

  x->edns_sent = self->transport == OB_DNS_TRANSPORT_UDP && self->edns_size > 0;
  x->query = ob_dns_message_encode_query (x->id, x->name, type, x->edns_sent ? self->edns_size : 0,
                                          &error);
  if (x->query == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (cancellable)
    {
      /* The op_cancel outlives the exchange only through its own refs. */
      g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (user_cancelled_cb),
                               x->op_cancel, 0);
    }

  if (self->transport == OB_DNS_TRANSPORT_TCP)
    start_tcp (g_steal_pointer (&task));
  else
    start_udp_attempt (g_steal_pointer (&task));
}

static ObDnsAnswer *
ob_dns_server_resolver_query_finish (ObDnsResolver  *resolver,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_iface_init (ObDnsResolverInterface *iface)
{
  iface->query_async = ob_dns_server_resolver_query_async;
  iface->query_finish = ob_dns_server_resolver_query_finish;
}

static void
ob_dns_server_resolver_finalize (GObject *object)
{
  ObDnsServerResolver *self = OB_DNS_SERVER_RESOLVER (object);

  g_clear_object (&self->address);
  G_OBJECT_CLASS (ob_dns_server_resolver_parent_class)->finalize (object);
}

static void
ob_dns_server_resolver_class_init (ObDnsServerResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_dns_server_resolver_finalize;
}

static void
ob_dns_server_resolver_init (ObDnsServerResolver *self)
{
  self->timeout_ms = 2000;
  self->attempts = 2;
  self->edns_size = 1232;
}

ObDnsResolver *
ob_dns_server_resolver_new (GSocketAddress *address,
                            ObDnsTransport  transport)
{
  ObDnsServerResolver *self;

  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  self = g_object_new (OB_TYPE_DNS_SERVER_RESOLVER, NULL);
  self->address = g_object_ref (address);
  self->transport = transport;
  return OB_DNS_RESOLVER (self);
}

void
ob_dns_server_resolver_set_timeout (ObDnsServerResolver *self,
                                    guint                timeout_ms,
                                    guint                attempts)
{
  g_return_if_fail (OB_IS_DNS_SERVER_RESOLVER (self));

  self->timeout_ms = MAX (timeout_ms, 1);
  self->attempts = MAX (attempts, 1);
}

void
ob_dns_server_resolver_set_edns_size (ObDnsServerResolver *self,
                                      guint16              size)
{
  g_return_if_fail (OB_IS_DNS_SERVER_RESOLVER (self));

  self->edns_size = size;
}
