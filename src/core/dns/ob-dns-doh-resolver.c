/* ob-dns-doh-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-doh-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "ob-dns-doh-resolver.h"
#include "ob-dns-message.h"

struct _ObDnsDohResolver
{
  GObject      parent_instance;
  GUri        *uri;
  SoupSession *session;
  GTlsDatabase *extra_ca;
};

typedef struct
{
  char        *name;
  guint16      type;
  SoupMessage *msg;
} Query;

static void resolver_iface_init (ObDnsResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObDnsDohResolver, ob_dns_doh_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_DNS_RESOLVER, resolver_iface_init))

static void
query_free (Query *q)
{
  g_free (q->name);
  g_clear_object (&q->msg);
  g_free (q);
}

/* The system trust failed; accept the chain if the extra CA vouches for it. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ObDnsDohResolver *self = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags;

  if (self->extra_ca == NULL)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (soup_message_get_uri (msg)), 443);
  flags = g_tls_database_verify_chain (self->extra_ca, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  return flags == 0;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;
  g_autofree char *qname = NULL;
  guint16 qtype = 0;
  const char *ctype;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_TIMEOUT,
                                 _("The DNS-over-HTTPS server did not answer in time for “%s”"), q->name);
      else
        g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_NETWORK,
                                 _("Could not reach the DNS-over-HTTPS server (%s); check the address and the network"),
                                 error->message);
      return;
    }
  status = soup_message_get_status (q->msg);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, OB_DNS_ERROR, status >= 500 ? OB_DNS_ERROR_SERVFAIL : OB_DNS_ERROR_REFUSED,
                               _("The DNS-over-HTTPS server answered HTTP %u for “%s”; check its address"),
                               status, q->name);
      return;
    }
  ctype = soup_message_headers_get_content_type (soup_message_get_response_headers (q->msg), NULL);
  if (ctype == NULL || g_ascii_strcasecmp (ctype, "application/dns-message") != 0)
    {
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
                               _("The DNS-over-HTTPS server sent “%s” instead of a DNS message; check its address"),
                               ctype ? ctype : "nothing");
      return;
    }
  answer = ob_dns_message_decode (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  NULL, &qname, &qtype, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (qname == NULL || !ob_dns_name_equal (qname, q->name) || qtype != q->type)
    {
      g_task_return_new_error (task, OB_DNS_ERROR, OB_DNS_ERROR_MALFORMED,
                               _("The DNS server answered a different question than “%s”"), q->name);
      return;
    }
  if (!ob_dns_resolver_check_rcode (answer->rcode, q->name, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) ob_dns_answer_unref);
}

static void
ob_dns_doh_resolver_query_async (ObDnsResolver       *resolver,
                                 const char          *name,
                                 guint16              type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  ObDnsDohResolver *self = OB_DNS_DOH_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) query = NULL;
  Query *q = g_new0 (Query, 1);

  g_task_set_source_tag (task, ob_dns_doh_resolver_query_async);
  q->name = ob_dns_name_normalize (name);
  q->type = type;
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);

  /* RFC 8484 §4.1: id 0 makes answers cacheable by HTTP caches. */
  query = ob_dns_message_encode_query (0, q->name, type, 0, &error);
  if (query == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  q->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->uri);
  soup_message_headers_replace (soup_message_get_request_headers (q->msg), "Accept",
                                "application/dns-message");
  soup_message_set_request_body_from_bytes (q->msg, "application/dns-message", query);
  g_signal_connect_object (q->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
  soup_session_send_and_read_async (self->session, q->msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_steal_pointer (&task));
}

static ObDnsAnswer *
ob_dns_doh_resolver_query_finish (ObDnsResolver  *resolver,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_iface_init (ObDnsResolverInterface *iface)
{
  iface->query_async = ob_dns_doh_resolver_query_async;
  iface->query_finish = ob_dns_doh_resolver_query_finish;
}

static void
ob_dns_doh_resolver_finalize (GObject *object)
{
  ObDnsDohResolver *self = OB_DNS_DOH_RESOLVER (object);

  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->extra_ca);
  G_OBJECT_CLASS (ob_dns_doh_resolver_parent_class)->finalize (object);
}

static void
ob_dns_doh_resolver_class_init (ObDnsDohResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_dns_doh_resolver_finalize;
}

static void
ob_dns_doh_resolver_init (ObDnsDohResolver *self)
{
  self->session = soup_session_new_with_options ("timeout", 10, "idle-timeout", 30, NULL);
}

ObDnsResolver *
ob_dns_doh_resolver_new (const char  *uri,
                         const char  *extra_ca_file,
                         GError     **error)
{
  g_autoptr(ObDnsDohResolver) self = NULL;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  if (parsed == NULL || g_strcmp0 (g_uri_get_scheme (parsed), "https") != 0 ||
      g_uri_get_host (parsed) == NULL || g_uri_get_host (parsed)[0] == '\0')
    {
      g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
                   _("“%s” is not a DNS-over-HTTPS address; write it as https://HOST/PATH"), uri);
      return NULL;
    }

  self = g_object_new (OB_TYPE_DNS_DOH_RESOLVER, NULL);
  self->uri = g_steal_pointer (&parsed);
  if (extra_ca_file)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *abs = g_canonicalize_filename (extra_ca_file, NULL);

      self->extra_ca = g_tls_file_database_new (abs, &local);
      if (self->extra_ca == NULL)
        {
          g_set_error (error, OB_DNS_ERROR, OB_DNS_ERROR_BAD_RESOLVER,
                       _("Cannot read the certificate file “%s”: %s"), extra_ca_file, local->message);
          return NULL;
        }
    }
  return OB_DNS_RESOLVER (g_steal_pointer (&self));
}

void
ob_dns_doh_resolver_set_timeout (ObDnsDohResolver *self,
                                 guint             timeout_s)
{
  g_return_if_fail (OB_IS_DNS_DOH_RESOLVER (self));

  g_object_set (self->session, "timeout", timeout_s, NULL);
}
