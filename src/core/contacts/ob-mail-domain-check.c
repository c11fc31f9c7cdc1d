/* ob-mail-domain-check.c — DNS hygiene: can a contact's domain receive
 * mail? MX, null MX (RFC 7505), the address-record fallback, NXDOMAIN.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <idn2.h>

#include "ob-address.h"
#include "ob-contact-private.h"
#include "ob-mail-domain-check.h"

const char *
ob_mail_domain_status_to_reason (ObMailDomainStatus status)
{
  switch (status)
    {
    case OB_MAIL_DOMAIN_NO_MX:
      return "no-mx";
    case OB_MAIL_DOMAIN_NULL_MX:
      return "null-mx";
    case OB_MAIL_DOMAIN_NO_DOMAIN:
      return "no-domain";
    case OB_MAIL_DOMAIN_OK:
    case OB_MAIL_DOMAIN_UNKNOWN:
    default:
      return NULL;
    }
}

static guint
status_to_reason_bit (ObMailDomainStatus status)
{
  switch (status)
    {
    case OB_MAIL_DOMAIN_NO_MX:
      return OB_ADDRESS_REASON_NO_MX;
    case OB_MAIL_DOMAIN_NULL_MX:
      return OB_ADDRESS_REASON_NULL_MX;
    case OB_MAIL_DOMAIN_NO_DOMAIN:
      return OB_ADDRESS_REASON_NO_DOMAIN;
    case OB_MAIL_DOMAIN_OK:
    case OB_MAIL_DOMAIN_UNKNOWN:
    default:
      return 0;
    }
}

/* How long a verdict is kept (table mail_domains, migration 0013): as long
 * as the answers it came from, and never more than a day. */
#define MAX_KEEP_SECONDS (24 * 60 * 60)

static const char *
status_to_string (ObMailDomainStatus status)
{
  return status == OB_MAIL_DOMAIN_OK ? "ok" : ob_mail_domain_status_to_reason (status);
}

static gboolean
status_from_string (const char         *text,
                    ObMailDomainStatus *status)
{
  static const ObMailDomainStatus kept[] = {
    OB_MAIL_DOMAIN_OK, OB_MAIL_DOMAIN_NO_MX, OB_MAIL_DOMAIN_NULL_MX, OB_MAIL_DOMAIN_NO_DOMAIN,
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kept); i++)
    if (g_str_equal (text, status_to_string (kept[i])))
      {
        *status = kept[i];
        return TRUE;
      }
  return FALSE;
}

/* A batch of domains, looked up OB_MAIL_DOMAIN_MAX_IN_FLIGHT at a time. */
typedef struct
{
  ObDnsResolver *resolver;
  GStrv          domains;
  guint          next;
  guint          in_flight;
  gboolean       returned;
  GHashTable    *results;
  GHashTable    *ttls;     /* domain looked up → GUINT_TO_POINTER (seconds its verdict may be kept) */
  ObDomainCheckProgressFunc progress;
  gpointer       progress_data;
  guint          n_done;
  guint          n_total;
} Batch;

static void
batch_progress (Batch *b)
{
  if (b->progress != NULL && !b->returned)
    b->progress (b->n_done, b->n_total, b->progress_data);
}

static void
batch_free (Batch *b)
{
  g_clear_object (&b->resolver);
  g_strfreev (b->domains);
  g_clear_pointer (&b->results, g_hash_table_unref);
  g_clear_pointer (&b->ttls, g_hash_table_unref);
  g_free (b);
}

/* One domain: MX, then (without MX) A, then AAAA. */
typedef struct
{
  GTask   *batch_task;
  char    *domain;
  guint    step; /* 0 MX, 1 A, 2 AAAA */
  guint32  ttl;  /* the shortest time to live of the answers so far */
} Lookup;

static void start_lookups (GTask *task);
static void lookup_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
lookup_send (Lookup *l)
{
  Batch *b = g_task_get_task_data (l->batch_task);
  static const guint16 types[] = { OB_DNS_TYPE_MX, OB_DNS_TYPE_A, OB_DNS_TYPE_AAAA };

  ob_dns_resolver_query_async (b->resolver, l->domain, types[l->step],
                               g_task_get_cancellable (l->batch_task), lookup_done_cb, l);
}

static void
lookup_finish (Lookup             *l,
               ObMailDomainStatus  status)
{
  g_autoptr(GTask) task = l->batch_task;
  Batch *b = g_task_get_task_data (task);

  if (status != OB_MAIL_DOMAIN_UNKNOWN)
    g_hash_table_insert (b->ttls, g_strdup (l->domain), GUINT_TO_POINTER (l->ttl));
  g_hash_table_insert (b->results, g_steal_pointer (&l->domain), GINT_TO_POINTER (status));
  g_free (l);
  b->in_flight--;
  b->n_done++;
  batch_progress (b);
  start_lookups (task);
}

static gboolean
is_null_mx (GPtrArray *mx)
{
  ObDnsRecord *r;

  if (mx->len != 1)
    return FALSE;
  r = g_ptr_array_index (mx, 0);
  return r->preference == 0 && (r->target == NULL || r->target[0] == '\0' || g_str_equal (r->target, "."));
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Lookup *l = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsAnswer) answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &error);
  g_autoptr(GPtrArray) records = NULL;
  static const guint16 types[] = { OB_DNS_TYPE_MX, OB_DNS_TYPE_A, OB_DNS_TYPE_AAAA };

  if (answer == NULL)
    {
      /* A timeout or a failing server says nothing about the domain. */
      g_debug ("DNS lookup of %s failed: %s", l->domain, error->message);
      lookup_finish (l, OB_MAIL_DOMAIN_UNKNOWN);
      return;
    }
  l->ttl = MIN (l->ttl, ob_dns_answer_get_ttl (answer));
  if (answer->rcode == OB_DNS_RCODE_NXDOMAIN)
    {
      lookup_finish (l, OB_MAIL_DOMAIN_NO_DOMAIN);
      return;
    }
  if (answer->rcode != OB_DNS_RCODE_NOERROR)
    {
      lookup_finish (l, OB_MAIL_DOMAIN_UNKNOWN);
      return;
    }

  records = ob_dns_answer_collect (answer, l->domain, types[l->step]);
  if (l->step == 0 && records->len > 0)
    {
      lookup_finish (l, is_null_mx (records) ? OB_MAIL_DOMAIN_NULL_MX : OB_MAIL_DOMAIN_OK);
      return;
    }
  if (l->step > 0 && records->len > 0)
    {
      lookup_finish (l, OB_MAIL_DOMAIN_NO_MX);
      return;
    }
  if (l->step == 2)
    {
      lookup_finish (l, OB_MAIL_DOMAIN_NO_DOMAIN);
      return;
    }
  l->step++;
  lookup_send (l);
}

static void
start_lookups (GTask *task)
{
  Batch *b = g_task_get_task_data (task);

  if (b->returned)
    return;
  if (g_task_return_error_if_cancelled (task))
    {
      /* The lookups still in flight hold the task; they end on their own. */
      b->returned = TRUE;
      return;
    }

  while (b->in_flight < OB_MAIL_DOMAIN_MAX_IN_FLIGHT && b->domains[b->next] != NULL)
    {
      const char *domain = b->domains[b->next++];
      Lookup *l;

      if (g_hash_table_contains (b->results, domain))
        {
          b->n_done++;
          continue;
        }
      l = g_new0 (Lookup, 1);
      l->batch_task = g_object_ref (task);
      l->domain = g_strdup (domain);
      l->ttl = MAX_KEEP_SECONDS;
      b->in_flight++;
      lookup_send (l);
    }

  if (b->in_flight == 0 && b->domains[b->next] == NULL)
    {
      b->returned = TRUE;
      g_task_return_pointer (task, g_hash_table_ref (b->results), (GDestroyNotify) g_hash_table_unref);
    }
}

/* @known (may be NULL): verdicts already at hand, domain → status; those
 * domains are not asked again. */
static void
mail_domains_check (ObDnsResolver             *resolver,
                    const char * const        *ascii_domains,
                    GHashTable                *known,
                    ObDomainCheckProgressFunc  progress,
                    gpointer                   progress_data,
                    GCancellable              *cancellable,
                    GAsyncReadyCallback        callback,
                    gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  Batch *b;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_mail_domains_check_async);
  b = g_new0 (Batch, 1);
  b->resolver = g_object_ref (resolver);
  b->domains = g_strdupv ((char **) ascii_domains);
  if (b->domains == NULL)
    b->domains = g_new0 (char *, 1);
  b->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->ttls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (known != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, known);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (b->results, g_strdup (key), value);
    }
  b->progress = progress;
  b->progress_data = progress_data;
  b->n_total = g_strv_length (b->domains);
  g_task_set_task_data (task, b, (GDestroyNotify) batch_free);
  batch_progress (b);
  start_lookups (task);
}

void
ob_mail_domains_check_async (ObDnsResolver       *resolver,
                             const char * const  *ascii_domains,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OB_IS_DNS_RESOLVER (resolver));

  mail_domains_check (resolver, ascii_domains, NULL, NULL, NULL, cancellable, callback, user_data);
}

GHashTable *
ob_mail_domains_check_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Contacts: record what DNS said about their domains. */

/* Reading the domains and writing the outcome each run in a worker
 * thread on a connection of their own: over a million contacts either
 * takes seconds, which the window must not wait for. The lookups run on
 * the caller's main context. */
typedef struct
{
  ObStore              *store;
  ObDnsResolver        *resolver;
  gint64                checked_since;
  GArray               *contact_ids;  /* gint64, or NULL for every contact */
  ObDomainCheckProgressFunc progress;
  gpointer              progress_data;
  GStrv                 domains;
  GHashTable           *known;   /* domain → status kept from an earlier check */
  GHashTable           *results;
  GHashTable           *ttls;    /* domains looked up now → seconds to keep */
  ObDomainCheckSummary  summary;
} ContactsCheck;

static void
contacts_check_free (ContactsCheck *c)
{
  g_clear_object (&c->store);
  g_clear_object (&c->resolver);
  g_clear_pointer (&c->contact_ids, g_array_unref);
  g_strfreev (c->domains);
  g_clear_pointer (&c->known, g_hash_table_unref);
  g_clear_pointer (&c->results, g_hash_table_unref);
  g_clear_pointer (&c->ttls, g_hash_table_unref);
  g_free (c);
}

/* Keeps the verdicts just found for as long as their answers may be kept,
 * and forgets the ones that ran out. Inside apply_results' transaction. */
static gboolean
keep_verdicts (ContactsCheck  *c,
               ObStore        *store,
               gint64          now,
               GError        **error)
{
  g_autoptr(sqlite3_stmt) forget = NULL;
  g_autoptr(sqlite3_stmt) keep = NULL;
  GHashTableIter iter;
  gpointer key, value;

  forget = ob_store_prepare (store, "DELETE FROM mail_domains WHERE expires_at <= ?", error);
  keep = forget ? ob_store_prepare (store,
                                    "INSERT OR REPLACE INTO mail_domains (domain, status, checked_at, expires_at)"
                                    " VALUES (?, ?, ?, ?)", error) : NULL;
  if (keep == NULL)
    return FALSE;
  sqlite3_bind_int64 (forget, 1, now);
  if (!ob_store_step_done (store, forget, error))
    return FALSE;

  g_hash_table_iter_init (&iter, c->ttls);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ObMailDomainStatus status = GPOINTER_TO_INT (g_hash_table_lookup (c->results, key));
      guint ttl = GPOINTER_TO_UINT (value);

      if (ttl == 0 || status == OB_MAIL_DOMAIN_UNKNOWN)
        continue;
      sqlite3_bind_text (keep, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (keep, 2, status_to_string (status), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (keep, 3, now);
      sqlite3_bind_int64 (keep, 4, now + MIN (ttl, MAX_KEEP_SECONDS));
      if (!ob_store_step_done (store, keep, error))
        return FALSE;
      sqlite3_reset (keep);
    }
  return TRUE;
}

static gboolean
apply_results (ContactsCheck  *c,
               ObStore        *store,
               GHashTable     *results,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  const guint dns_reasons = OB_ADDRESS_REASON_NO_MX | OB_ADDRESS_REASON_NULL_MX | OB_ADDRESS_REASON_NO_DOMAIN;
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  select = ob_store_prepare (store, "SELECT id, reasons, status FROM contacts WHERE domain = ?", error);
  update = select ? ob_store_prepare (store,
                                      "UPDATE contacts SET reasons = ?, verdict = ?, status = ?, checked_at = ?,"
                                      " updated_at = ? WHERE id = ?", error) : NULL;
  if (update == NULL)
    return FALSE;
  if (!ob_store_begin (store, error))
    return FALSE;
  if (!keep_verdicts (c, store, now, error))
    {
      ob_store_rollback (store);
      return FALSE;
    }
  c->summary.kept = c->known != NULL ? g_hash_table_size (c->known) : 0;

  g_hash_table_iter_init (&iter, results);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ObMailDomainStatus status = GPOINTER_TO_INT (value);
      g_autofree char *unicode = NULL;
      int rc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ob_store_rollback (store);
          return FALSE;
        }

      c->summary.domains++;
      switch (status)
        {
        case OB_MAIL_DOMAIN_OK: c->summary.ok++; break;
        case OB_MAIL_DOMAIN_NO_MX: c->summary.no_mx++; break;
        case OB_MAIL_DOMAIN_NULL_MX: c->summary.null_mx++; break;
        case OB_MAIL_DOMAIN_NO_DOMAIN: c->summary.no_domain++; break;
        case OB_MAIL_DOMAIN_UNKNOWN:
        default: c->summary.unknown++; break;
        }
      /* Unknown keeps whatever an earlier check found. */
      if (status == OB_MAIL_DOMAIN_UNKNOWN)
        continue;

      if (idn2_to_unicode_8z8z (key, &unicode, 0) != IDN2_OK)
        unicode = g_strdup (key);
      sqlite3_bind_text (select, 1, unicode, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (select)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (select, 0);
          guint old = ob_address_reasons_from_string ((const char *) sqlite3_column_text (select, 1));
          const char *old_status = (const char *) sqlite3_column_text (select, 2);
          guint reasons = (old & ~dns_reasons) | status_to_reason_bit (status);
          ObAddressVerdict verdict = ob_address_verdict_for_reasons (reasons);
          g_autofree char *joined = ob_address_reasons_to_string (reasons);
          const char *new_status = old_status;

          /* Offline no-domain (an undelegated TLD) stays. */
          if (old & OB_ADDRESS_REASON_NO_DOMAIN && status != OB_MAIL_DOMAIN_NO_DOMAIN &&
              !(old & (OB_ADDRESS_REASON_NO_MX | OB_ADDRESS_REASON_NULL_MX)))
            continue;
          if (g_strcmp0 (old_status, "active") == 0 && verdict == OB_ADDRESS_VERDICT_INVALID)
            new_status = "invalid";
          else if (g_strcmp0 (old_status, "invalid") == 0 && verdict != OB_ADDRESS_VERDICT_INVALID)
            new_status = "active";
          if (reasons == old && g_strcmp0 (new_status, old_status) == 0)
            continue;

          sqlite3_bind_text (update, 1, *joined ? joined : NULL, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (update, 2, ob_address_verdict_to_string (verdict), -1, SQLITE_STATIC);
          sqlite3_bind_text (update, 3, new_status, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (update, 4, now);
          sqlite3_bind_int64 (update, 5, now);
          sqlite3_bind_int64 (update, 6, id);
          if (!ob_store_step_done (store, update, error))
            {
              ob_store_rollback (store);
              return FALSE;
            }
          sqlite3_reset (update);
          c->summary.contacts_changed++;
        }
      sqlite3_reset (select);
      if (rc != SQLITE_DONE)
        {
          ob_store_set_error (store, error);
          ob_store_rollback (store);
          return FALSE;
        }
    }

  return ob_store_commit (store, error);
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ContactsCheck *c = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open_another (c->store, &error);

  if (store == NULL || !apply_results (c, store, c->results, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
contacts_domains_checked_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ContactsCheck *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  c->results = ob_mail_domains_check_finish (result, &error);
  if (c->results == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  c->ttls = g_hash_table_ref (((Batch *) g_task_get_task_data (G_TASK (result)))->ttls);
  /* The outcome is written whole or not at all (apply_results checks the
   * cancellable between domains and rolls back), and the caller is told
   * which: a late cancel must not report "nothing changed" over a commit. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, apply_thread);
}

/* The verdicts of earlier checks still in date for the @listed domains,
 * into @c->known: one key lookup each, in the listing's worker thread. */
static gboolean
read_kept_verdicts (ContactsCheck       *c,
                    ObStore             *store,
                    const char * const  *listed,
                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  stmt = ob_store_prepare (store, "SELECT status FROM mail_domains WHERE domain = ? AND expires_at > ?", error);
  if (stmt == NULL)
    return FALSE;
  c->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; listed[i] != NULL; i++)
    {
      ObMailDomainStatus status;
      int rc;

      sqlite3_bind_text (stmt, 1, listed[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, now);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
        g_hash_table_insert (c->known, g_strdup (listed[i]), GINT_TO_POINTER (status));
      else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          ob_store_set_error (store, error);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ContactsCheck *c = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open_another (c->store, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) domains = g_strv_builder_new ();
  g_auto(GStrv) listed = NULL;
  int rc;

  /* The A-label domain is the part of the key after its last "@". */
  if (store != NULL)
    stmt = ob_store_prepare (store,
      "SELECT DISTINCT lower (substr (email_key, length (rtrim (email_key, replace (email_key, '@', ''))) + 1))"
      " FROM contacts WHERE coalesce (checked_at, 0) >= ? AND status NOT IN ('suppressed', 'unsubscribed')"
      " AND (?2 IS NULL OR id IN (SELECT value FROM json_each (?2)))", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_bind_int64 (stmt, 1, c->checked_since);
  if (c->contact_ids != NULL)
    sqlite3_bind_text (stmt, 2, _ob_contact_ids_json (c->contact_ids, 0, c->contact_ids->len), -1, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (domains, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      ob_store_set_error (store, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  listed = g_strv_builder_end (domains);
  if (!read_kept_verdicts (c, store, (const char * const *) listed, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&listed), (GDestroyNotify) g_strfreev);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ContactsCheck *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  c->domains = g_task_propagate_pointer (G_TASK (result), &error);
  if (c->domains == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  mail_domains_check (c->resolver, (const char * const *) c->domains, c->known, c->progress, c->progress_data,
                      cancellable, contacts_domains_checked_cb, g_steal_pointer (&task));
}

static void
contacts_check (ObStore                   *store,
                ObDnsResolver             *resolver,
                gint64                     checked_since,
                GArray                    *contact_ids,
                ObDomainCheckProgressFunc  progress,
                gpointer                   progress_data,
                GCancellable              *cancellable,
                GAsyncReadyCallback        callback,
                gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) list = NULL;
  ContactsCheck *c;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, contacts_check);
  c = g_new0 (ContactsCheck, 1);
  c->store = g_object_ref (store);
  c->resolver = g_object_ref (resolver);
  c->checked_since = checked_since;
  if (contact_ids != NULL)
    {
      c->contact_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), contact_ids->len);
      g_array_append_vals (c->contact_ids, contact_ids->data, contact_ids->len);
    }
  c->progress = progress;
  c->progress_data = progress_data;
  g_task_set_task_data (task, c, (GDestroyNotify) contacts_check_free);

  list = g_task_new (NULL, cancellable, listed_cb, g_steal_pointer (&task));
  g_task_set_task_data (list, c, NULL);
  g_task_run_in_thread (list, list_thread);
}

void
ob_contacts_check_domains_async (ObStore                   *store,
                                 ObDnsResolver             *resolver,
                                 gint64                     checked_since,
                                 ObDomainCheckProgressFunc  progress,
                                 gpointer                   progress_data,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  g_return_if_fail (OB_IS_STORE (store));
  g_return_if_fail (OB_IS_DNS_RESOLVER (resolver));

  contacts_check (store, resolver, checked_since, NULL, progress, progress_data, cancellable, callback, user_data);
}

void
ob_contacts_check_domains_of_async (ObStore                   *store,
                                    ObDnsResolver             *resolver,
                                    GArray                    *contact_ids,
                                    ObDomainCheckProgressFunc  progress,
                                    gpointer                   progress_data,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_return_if_fail (OB_IS_STORE (store));
  g_return_if_fail (OB_IS_DNS_RESOLVER (resolver));
  g_return_if_fail (contact_ids != NULL);

  contacts_check (store, resolver, 0, contact_ids, progress, progress_data, cancellable, callback, user_data);
}

gboolean
ob_contacts_check_domains_finish (GAsyncResult          *result,
                                  ObDomainCheckSummary  *summary,
                                  GError               **error)
{
  GTask *task = G_TASK (result);
  ContactsCheck *c;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (task) == contacts_check, FALSE);

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  c = g_task_get_task_data (task);
  if (summary != NULL)
    *summary = c->summary;
  return TRUE;
}
