/* ob-dns-caching-resolver.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-dns-caching-resolver"

#include "config.h"

#include "ob-dns-caching-resolver.h"

struct _ObDnsCachingResolver
{
  GObject         parent_instance;
  ObDnsResolver  *inner;
  GHashTable     *entries;  /* "type/name" → Entry */
  GHashTable     *inflight; /* "type/name" → GPtrArray of GTask waiting for it */
  ObDnsClockFunc  clock;
  gpointer        clock_data;
  guint           hits;
  guint           misses;
};

typedef struct
{
  ObDnsAnswer *answer;
  gint64       expires_at;
} Entry;

static void resolver_iface_init (ObDnsResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObDnsCachingResolver, ob_dns_caching_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_DNS_RESOLVER, resolver_iface_init))

static void
entry_free (Entry *e)
{
  ob_dns_answer_unref (e->answer);
  g_free (e);
}

static gint64
now_us (ObDnsCachingResolver *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

static char *
make_key (const char *name,
          guint16     type)
{
  g_autofree char *n = ob_dns_name_normalize (name);

  return g_strdup_printf ("%u/%s", type, n);
}

/* One query to the inner resolver answers every task that asked for the
 * same name and type meanwhile. It runs without a cancellable, so one
 * caller giving up does not fail the others; each caller's own
 * cancellable is honoured when the answer arrives. */
typedef struct
{
  ObDnsCachingResolver *self;
  char                 *key;
} Inflight;

static void
inner_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Inflight *in = user_data;
  g_autoptr(ObDnsCachingResolver) self = in->self;
  g_autofree char *key = in->key;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  gpointer orig_key = NULL;

  g_free (in);
  answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &error);
  if (g_hash_table_steal_extended (self->inflight, key, &orig_key, (gpointer *) &waiting))
    g_free (orig_key);

  if (answer)
    {
      guint32 ttl = ob_dns_answer_get_ttl (answer);

      if (ttl > 0)
        {
          Entry *e = g_new0 (Entry, 1);

          e->answer = ob_dns_answer_ref (answer);
          e->expires_at = now_us (self) + (gint64) ttl * G_USEC_PER_SEC;
          g_hash_table_replace (self->entries, g_strdup (key), e);
        }
    }

  for (guint i = 0; waiting && i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (answer)
        g_task_return_pointer (task, ob_dns_answer_ref (answer), (GDestroyNotify) ob_dns_answer_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
ob_dns_caching_resolver_query_async (ObDnsResolver       *resolver,
                                     const char          *name,
                                     guint16              type,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ObDnsCachingResolver *self = OB_DNS_CACHING_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = make_key (name, type);
  GPtrArray *waiting;
  Inflight *in;
  Entry *e;

  g_task_set_source_tag (task, ob_dns_caching_resolver_query_async);

  e = g_hash_table_lookup (self->entries, key);
  if (e && e->expires_at > now_us (self))
    {
      self->hits++;
      g_task_return_pointer (task, ob_dns_answer_ref (e->answer), (GDestroyNotify) ob_dns_answer_unref);
      return;
    }
  if (e)
    g_hash_table_remove (self->entries, key);

  waiting = g_hash_table_lookup (self->inflight, key);
  if (waiting)
    {
      self->hits++;
      g_ptr_array_add (waiting, g_steal_pointer (&task));
      return;
    }
  self->misses++;
  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting, g_steal_pointer (&task));
  g_hash_table_insert (self->inflight, g_strdup (key), waiting);
  in = g_new0 (Inflight, 1);
  in->self = g_object_ref (self);
  in->key = g_steal_pointer (&key);
  ob_dns_resolver_query_async (self->inner, name, type, NULL, inner_cb, in);
}

static ObDnsAnswer *
ob_dns_caching_resolver_query_finish (ObDnsResolver  *resolver,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_iface_init (ObDnsResolverInterface *iface)
{
  iface->query_async = ob_dns_caching_resolver_query_async;
  iface->query_finish = ob_dns_caching_resolver_query_finish;
}

static void
ob_dns_caching_resolver_finalize (GObject *object)
{
  ObDnsCachingResolver *self = OB_DNS_CACHING_RESOLVER (object);

  g_clear_object (&self->inner);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->inflight, g_hash_table_unref);
  G_OBJECT_CLASS (ob_dns_caching_resolver_parent_class)->finalize (object);
}

static void
ob_dns_caching_resolver_class_init (ObDnsCachingResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ob_dns_caching_resolver_finalize;
}

static void
ob_dns_caching_resolver_init (ObDnsCachingResolver *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->inflight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
}

ObDnsResolver *
ob_dns_caching_resolver_new (ObDnsResolver *inner)
{
  ObDnsCachingResolver *self;

  g_return_val_if_fail (OB_IS_DNS_RESOLVER (inner), NULL);

  self = g_object_new (OB_TYPE_DNS_CACHING_RESOLVER, NULL);
  self->inner = g_object_ref (inner);
  return OB_DNS_RESOLVER (self);
}

void
ob_dns_caching_resolver_set_clock (ObDnsCachingResolver *self,
                                   ObDnsClockFunc        func,
                                   gpointer              user_data)
{
  g_return_if_fail (OB_IS_DNS_CACHING_RESOLVER (self));
  self->clock = func;
  self->clock_data = user_data;
}

guint
ob_dns_caching_resolver_get_hits (ObDnsCachingResolver *self)
{
  g_return_val_if_fail (OB_IS_DNS_CACHING_RESOLVER (self), 0);
  return self->hits;
}

guint
ob_dns_caching_resolver_get_misses (ObDnsCachingResolver *self)
{
  g_return_val_if_fail (OB_IS_DNS_CACHING_RESOLVER (self), 0);
  return self->misses;
}
