/* ob-spf-check.c
 *
 * check_host() is written as plain synchronous code over a DNS cache. When
 * it needs an answer that is not cached yet it notes the query and stops
 * with PENDING; the queries are then sent (concurrently) through the async
 * resolver, and the evaluation starts again from the top once they are
 * all answered. Evaluation is deterministic, so each pass gets further,
 * and the lookup limits bound the number of passes. This keeps the RFC's
 * algorithm readable without a hand-written state machine per mechanism.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-spf-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-spf-check.h"
#include "ob-spf-record.h"

#define MAX_DNS_TERMS     10
#define MAX_VOID_LOOKUPS  2
#define MAX_MX_NAMES      10
#define MAX_PTR_NAMES     10
#define MAX_DEPTH         32
#define RESULT_PENDING    ((ObSpfResult) -1)
#define RESULT_RECORDS    ((ObSpfResult) -2)

typedef struct
{
  ObDnsAnswer *answer;
  GError      *error;
} CacheEntry;

typedef struct
{
  char    *name;
  guint16  type;
} PendingQuery;

typedef struct
{
  ObDnsResolver *resolver;
  GInetAddress  *ip;
  gboolean       v6;
  char          *domain;
  char          *sender;
  char          *local;
  char          *sender_domain;
  char          *helo;
  char          *default_explanation;
  GHashTable    *cache;     /* "type/name" → CacheEntry */
  GHashTable    *wanted;    /* "type/name" → PendingQuery, for this pass */
  guint          in_flight;

  /* Per pass. */
  guint          lookups;
  guint          void_lookups;
  char          *problem;
  ObSpfProblem   problem_kind;
  char          *problem_domain;
  char          *mechanism;
  GPtrArray     *domains;
} Ctx;

G_DEFINE_BOXED_TYPE (ObSpfCheckResult, ob_spf_check_result, ob_spf_check_result_copy, ob_spf_check_result_free)

static void
cache_entry_free (CacheEntry *e)
{
  g_clear_pointer (&e->answer, ob_dns_answer_unref);
  g_clear_error (&e->error);
  g_free (e);
}

static void
pending_free (PendingQuery *q)
{
  g_free (q->name);
  g_free (q);
}

static void
ctx_free (Ctx *c)
{
  g_clear_object (&c->resolver);
  g_clear_object (&c->ip);
  g_free (c->domain);
  g_free (c->sender);
  g_free (c->local);
  g_free (c->sender_domain);
  g_free (c->helo);
  g_free (c->default_explanation);
  g_hash_table_unref (c->cache);
  g_hash_table_unref (c->wanted);
  g_free (c->problem);
  g_free (c->problem_domain);
  g_free (c->mechanism);
  g_clear_pointer (&c->domains, g_ptr_array_unref);
  g_free (c);
}

ObSpfCheckResult *
ob_spf_check_result_copy (const ObSpfCheckResult *result)
{
  ObSpfCheckResult *copy = g_memdup2 (result, sizeof *result);

  copy->explanation = g_strdup (result->explanation);
  copy->problem = g_strdup (result->problem);
  copy->problem_domain = g_strdup (result->problem_domain);
  copy->mechanism = g_strdup (result->mechanism);
  copy->domains = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; result->domains && i < result->domains->len; i++)
    g_ptr_array_add (copy->domains, g_strdup (g_ptr_array_index (result->domains, i)));
  return copy;
}

void
ob_spf_check_result_free (ObSpfCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->explanation);
  g_free (result->problem);
  g_free (result->problem_domain);
  g_free (result->mechanism);
  g_clear_pointer (&result->domains, g_ptr_array_unref);
  g_free (result);
}

const char *
ob_spf_result_to_string (ObSpfResult result)
{
  switch (result)
    {
    case OB_SPF_RESULT_NONE: return "none";
    case OB_SPF_RESULT_NEUTRAL: return "neutral";
    case OB_SPF_RESULT_PASS: return "pass";
    case OB_SPF_RESULT_FAIL: return "fail";
    case OB_SPF_RESULT_SOFTFAIL: return "softfail";
    case OB_SPF_RESULT_TEMPERROR: return "temperror";
    case OB_SPF_RESULT_PERMERROR: return "permerror";
    default: return "unknown";
    }
}

static void
set_problem (Ctx          *c,
             ObSpfProblem  kind,
             const char   *domain,
             const char   *format,
             ...) G_GNUC_PRINTF (4, 5);

static void
set_problem (Ctx          *c,
             ObSpfProblem  kind,
             const char   *domain,
             const char   *format,
             ...)
{
  va_list args;

  if (c->problem)
    return;
  c->problem_kind = kind;
  c->problem_domain = g_strdup (domain);
  va_start (args, format);
  c->problem = g_strdup_vprintf (format, args);
  va_end (args);
}

/* ---- DNS through the cache ---- */

/* Returns FALSE when the answer is not known yet (the query is noted). */
static gboolean
lookup (Ctx                *c,
        const char         *name,
        guint16             type,
        ObDnsAnswer       **answer,
        const GError      **error)
{
  g_autofree char *norm = ob_dns_name_normalize (name);
  g_autofree char *key = g_strdup_printf ("%u/%s", type, norm);
  CacheEntry *e = g_hash_table_lookup (c->cache, key);

  if (e)
    {
      *answer = e->answer;
      *error = e->error;
      return TRUE;
    }
  if (!g_hash_table_contains (c->wanted, key))
    {
      PendingQuery *q = g_new0 (PendingQuery, 1);

      q->name = g_steal_pointer (&norm);
      q->type = type;
      g_hash_table_insert (c->wanted, g_steal_pointer (&key), q);
    }
  return FALSE;
}

static gboolean
is_temporary (const GError *error)
{
  return error->domain == OB_DNS_ERROR && error->code != OB_DNS_ERROR_BAD_NAME;
}

/* What a failed lookup means (RFC 7208 §2.6.6, §5): a timeout or
 * SERVFAIL ends the check with temperror, and the problem names the
 * lookup in one of these wordings; for the client's PTR names (§5.5) and
 * the explanation (§6.2) any failure is only "no match". A name that
 * cannot be put into a query is never temporary: no match either. */
typedef enum
{
  FAILURE_NO_MATCH,
  FAILURE_ADDRESSES,  /* "Looking up %s failed: %s" */
  FAILURE_MX,         /* "Looking up the MX of %s failed: %s" */
  FAILURE_SPF_RECORD, /* "Looking up the SPF record of %s failed: %s" */
} LookupFailure;

/* Which answers count towards the limit of void lookups (§4.6.4). */
typedef enum
{
  VOID_NOT_COUNTED,
  VOID_EMPTY,    /* no record of the type: NXDOMAIN or an empty answer */
  VOID_NXDOMAIN, /* NXDOMAIN only (the TXT of an include or redirect target) */
} VoidRule;

static gboolean count_void (Ctx *c);

/* Looks up @name/@type and applies RFC 7208's policy to what came back.
 * Returns RESULT_PENDING while the answer is not known (the query is
 * noted); RESULT_RECORDS with @records set to the answer's records of
 * @type (none: a void lookup within the limit); or the result that ends
 * the term: NONE (a failure that is no match), TEMPERROR (with the
 * problem set as @failure says) or PERMERROR (past the void limit). */
static ObSpfResult
dns_lookup (Ctx            *c,
            const char     *name,
            guint16         type,
            LookupFailure   failure,
            VoidRule        voids,
            GPtrArray     **records)
{
  g_autoptr(GPtrArray) found = NULL;
  ObDnsAnswer *answer;
  const GError *error;
  gboolean is_void;

  if (!lookup (c, name, type, &answer, &error))
    return RESULT_PENDING;
  if (error)
    {
      if (failure == FAILURE_NO_MATCH || !is_temporary (error))
        return OB_SPF_RESULT_NONE;
      if (failure == FAILURE_MX)
        set_problem (c, OB_SPF_PROBLEM_DNS, name, _("Looking up the MX of %s failed: %s"), name, error->message);
      else if (failure == FAILURE_SPF_RECORD)
        set_problem (c, OB_SPF_PROBLEM_DNS, name, _("Looking up the SPF record of %s failed: %s"), name,
                     error->message);
      else
        set_problem (c, OB_SPF_PROBLEM_DNS, name, _("Looking up %s failed: %s"), name, error->message);
      return OB_SPF_RESULT_TEMPERROR;
    }
  found = ob_dns_answer_collect (answer, name, type);
  is_void = (voids == VOID_EMPTY && found->len == 0) ||
            (voids == VOID_NXDOMAIN && answer->rcode == OB_DNS_RCODE_NXDOMAIN);
  if (is_void && !count_void (c))
    return OB_SPF_RESULT_PERMERROR;
  *records = g_steal_pointer (&found);
  return RESULT_RECORDS;
}

/* ---- names, addresses, macros ---- */

/* RFC 7208 §4.3: a domain that is not a usable FQDN gives "none". */
static gboolean
domain_usable (const char *domain)
{
  g_auto(GStrv) labels = NULL;
  gsize len = strlen (domain);
  guint n;

  if (len == 0 || len > 253 || domain[0] == '[')
    return FALSE;
  labels = g_strsplit (domain, ".", -1);
  n = g_strv_length (labels);
  if (n > 0 && labels[n - 1][0] == '\0')
    n--; /* trailing dot */
  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (labels[i][0] == '\0' || strlen (labels[i]) > 63)
      return FALSE;
  return TRUE;
}

static char *
ip_dotted (Ctx *c)
{
  const guint8 *b = g_inet_address_to_bytes (c->ip);

  if (!c->v6)
    return g_strdup_printf ("%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  else
    {
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < 16; i++)
        g_string_append_printf (s, "%s%X.%X", i ? "." : "", b[i] >> 4, b[i] & 0xf);
      return g_string_free (s, FALSE);
    }
}

static char *
reverse_name (Ctx *c)
{
  const guint8 *b = g_inet_address_to_bytes (c->ip);
  GString *s = g_string_new (NULL);

  if (!c->v6)
    {
      g_string_printf (s, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
      return g_string_free (s, FALSE);
    }
  for (int i = 15; i >= 0; i--)
    g_string_append_printf (s, "%x.%x.", b[i] & 0xf, b[i] >> 4);
  g_string_append (s, "ip6.arpa");
  return g_string_free (s, FALSE);
}

static gboolean
address_in_network (GInetAddress *ip,
                    const char   *network_text,
                    GInetAddress *network,
                    guint         bits)
{
  g_autoptr(GInetAddress) parsed = NULL;
  const guint8 *a, *b;
  gsize size;

  if (network == NULL)
    network = parsed = g_inet_address_new_from_string (network_text);
  if (network == NULL || g_inet_address_get_family (network) != g_inet_address_get_family (ip))
    return FALSE;
  a = g_inet_address_to_bytes (ip);
  b = g_inet_address_to_bytes (network);
  size = g_inet_address_get_native_size (ip);
  for (guint i = 0; i < size && bits > 0; i++)
    {
      guint take = MIN (bits, 8);
      guint8 mask = (guint8) (0xff << (8 - take));

      if ((a[i] & mask) != (b[i] & mask))
        return FALSE;
      bits -= take;
    }
  return TRUE;
}

static ObSpfResult validated_name (Ctx *c, const char *domain, char **out);

static ObSpfResult
expand_macros (Ctx         *c,
               const char  *spec,
               const char  *domain,
               gboolean     explain,
               char       **out)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (const char *p = spec; *p; p++)
    {
      g_autofree char *value = NULL;
      char letter;
      gboolean upper, reverse = FALSE;
      guint keep = 0;
      g_autofree char *delims = NULL;
      const char *start;

      if (*p != '%')
        {
          g_string_append_c (s, *p);
          continue;
        }
      p++;
      if (*p == '%')
        {
          g_string_append_c (s, '%');
          continue;
        }
      if (*p == '_')
        {
          g_string_append_c (s, ' ');
          continue;
        }
      if (*p == '-')
        {
          g_string_append (s, "%20");
          continue;
        }
      if (*p != '{' || p[1] == '\0')
        return OB_SPF_RESULT_PERMERROR;
      p++;
      letter = g_ascii_tolower (*p);
      upper = g_ascii_isupper (*p);
      p++;
      while (g_ascii_isdigit (*p))
        {
          keep = MIN (keep * 10 + (guint) (*p - '0'), 1000);
          p++;
        }
      if (*p == 'r' || *p == 'R')
        {
          reverse = TRUE;
          p++;
        }
      start = p;
      while (*p && *p != '}')
        p++;
      if (*p != '}')
        return OB_SPF_RESULT_PERMERROR;
      delims = g_strndup (start, p - start);

      switch (letter)
        {
        case 's': value = g_strdup (c->sender); break;
        case 'l': value = g_strdup (c->local); break;
        case 'o': value = g_strdup (c->sender_domain); break;
        case 'd': value = g_strdup (domain); break;
        case 'i': value = ip_dotted (c); break;
        case 'v': value = g_strdup (c->v6 ? "ip6" : "in-addr"); break;
        case 'h': value = g_strdup (c->helo ? c->helo : "unknown"); break;
        case 'p':
          {
            ObSpfResult r = validated_name (c, domain, &value);

            if (r == RESULT_PENDING)
              return r;
          }
          break;
        case 'c':
          if (!explain)
            return OB_SPF_RESULT_PERMERROR;
          value = g_inet_address_to_string (c->ip);
          break;
        case 'r':
          if (!explain)
            return OB_SPF_RESULT_PERMERROR;
          value = g_strdup ("unknown");
          break;
        case 't':
          if (!explain)
            return OB_SPF_RESULT_PERMERROR;
          value = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
          break;
        default:
          return OB_SPF_RESULT_PERMERROR;
        }

      /* Transformers: split on the delimiters, reverse, keep the right-most. */
      {
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
        const char *d = delims[0] ? delims : ".";
        const char *q = value, *begin = value;
        g_autoptr(GString) joined = g_string_new (NULL);
        guint from = 0;

        for (;; q++)
          {
            if (*q == '\0' || strchr (d, *q))
              {
                g_ptr_array_add (parts, g_strndup (begin, q - begin));
                if (*q == '\0')
                  break;
                begin = q + 1;
              }
          }
        if (reverse)
          for (guint i = 0; i < parts->len / 2; i++)
            {
              gpointer tmp = parts->pdata[i];

              parts->pdata[i] = parts->pdata[parts->len - 1 - i];
              parts->pdata[parts->len - 1 - i] = tmp;
            }
        if (keep > 0 && keep < parts->len)
          from = parts->len - keep;
        for (guint i = from; i < parts->len; i++)
          {
            if (i > from)
              g_string_append_c (joined, '.');
            g_string_append (joined, g_ptr_array_index (parts, i));
          }
        if (upper)
          {
            g_autofree char *esc = g_uri_escape_string (joined->str, NULL, FALSE);

            g_string_append (s, esc);
          }
        else
          g_string_append (s, joined->str);
      }
    }

  *out = g_string_free (g_steal_pointer (&s), FALSE);
  return OB_SPF_RESULT_NONE;
}

/* Expands a domain-spec into a name to query; RFC 7208 §4.8: over 253
 * characters, labels are dropped from the left. */
static ObSpfResult
target_name (Ctx         *c,
             ObSpfTerm   *t,
             const char  *domain,
             char       **out)
{
  g_autofree char *expanded = NULL;
  ObSpfResult r;
  char *p;

  if (t->domain_spec == NULL)
    {
      *out = g_strdup (domain);
      return OB_SPF_RESULT_NONE;
    }
  r = expand_macros (c, t->domain_spec, domain, FALSE, &expanded);
  if (r != OB_SPF_RESULT_NONE)
    return r;
  p = expanded;
  if (strlen (p) > 0 && p[strlen (p) - 1] == '.')
    p[strlen (p) - 1] = '\0';
  while (strlen (p) > 253 && strchr (p, '.'))
    p = strchr (p, '.') + 1;
  *out = g_strdup (p);
  return OB_SPF_RESULT_NONE;
}

static gboolean
name_in_domain (const char *name,
                const char *domain)
{
  gsize ln = strlen (name), ld = strlen (domain);

  if (ob_dns_name_equal (name, domain))
    return TRUE;
  return ln > ld && name[ln - ld - 1] == '.' && g_ascii_strcasecmp (name + ln - ld, domain) == 0;
}

/* The PTR names of the client that resolve back to it (RFC 7208 §5.5),
 * at most 10 of them. Returns PENDING, or NONE with @names filled. */
static ObSpfResult
validated_names (Ctx       *c,
                 GPtrArray *names)
{
  g_autofree char *rev = reverse_name (c);
  g_autoptr(GPtrArray) ptrs = NULL;
  gboolean pending = FALSE;
  ObSpfResult r;

  r = dns_lookup (c, rev, OB_DNS_TYPE_PTR, FAILURE_NO_MATCH, VOID_NOT_COUNTED, &ptrs);
  if (r != RESULT_RECORDS)
    return r;
  for (guint i = 0; i < ptrs->len && i < MAX_PTR_NAMES; i++)
    {
      ObDnsRecord *ptr = g_ptr_array_index (ptrs, i);
      g_autoptr(GPtrArray) addrs = NULL;

      r = dns_lookup (c, ptr->target, c->v6 ? OB_DNS_TYPE_AAAA : OB_DNS_TYPE_A, FAILURE_NO_MATCH,
                      VOID_NOT_COUNTED, &addrs);
      if (r == RESULT_PENDING)
        {
          pending = TRUE;
          continue;
        }
      if (r != RESULT_RECORDS)
        continue;
      for (guint j = 0; j < addrs->len; j++)
        if (address_in_network (c->ip, ((ObDnsRecord *) g_ptr_array_index (addrs, j))->target,
                                NULL, c->v6 ? 128 : 32))
          {
            g_ptr_array_add (names, g_strdup (ptr->target));
            break;
          }
    }
  return pending ? RESULT_PENDING : OB_SPF_RESULT_NONE;
}

static ObSpfResult
validated_name (Ctx         *c,
                const char  *domain,
                char       **out)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  ObSpfResult r = validated_names (c, names);

  if (r == RESULT_PENDING)
    return r;
  for (guint i = 0; i < names->len; i++)
    if (ob_dns_name_equal (g_ptr_array_index (names, i), domain))
      {
        *out = g_strdup (g_ptr_array_index (names, i));
        return OB_SPF_RESULT_NONE;
      }
  for (guint i = 0; i < names->len; i++)
    if (name_in_domain (g_ptr_array_index (names, i), domain))
      {
        *out = g_strdup (g_ptr_array_index (names, i));
        return OB_SPF_RESULT_NONE;
      }
  *out = g_strdup (names->len > 0 ? g_ptr_array_index (names, 0) : "unknown");
  return OB_SPF_RESULT_NONE;
}

/* ---- check_host ---- */

static ObSpfResult check_host (Ctx *c, const char *domain, guint depth, char **explanation);

static gboolean
count_lookup (Ctx *c)
{
  if (++c->lookups > MAX_DNS_TERMS)
    {
      set_problem (c, OB_SPF_PROBLEM_LOOKUP_LIMIT, NULL, _("The SPF record needs more than %d DNS lookups"), MAX_DNS_TERMS);
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_void (Ctx *c)
{
  if (++c->void_lookups > MAX_VOID_LOOKUPS)
    {
      set_problem (c, OB_SPF_PROBLEM_VOID_LIMIT, NULL, _("The SPF record names more than %d domains that do not exist or have no records"),
                   MAX_VOID_LOOKUPS);
      return FALSE;
    }
  return TRUE;
}

/* Looks up the addresses of @name of the client's family and compares them.
 * Returns PASS (match), NONE (no match), TEMPERROR, PERMERROR or PENDING. */
static ObSpfResult
match_addresses (Ctx        *c,
                 const char *name,
                 ObSpfTerm  *t,
                 gboolean    count_voids)
{
  guint16 type = c->v6 ? OB_DNS_TYPE_AAAA : OB_DNS_TYPE_A;
  g_autoptr(GPtrArray) addrs = NULL;
  ObSpfResult r;

  r = dns_lookup (c, name, type, FAILURE_ADDRESSES, count_voids ? VOID_EMPTY : VOID_NOT_COUNTED, &addrs);
  if (r != RESULT_RECORDS)
    return r;
  for (guint i = 0; i < addrs->len; i++)
    if (address_in_network (c->ip, ((ObDnsRecord *) g_ptr_array_index (addrs, i))->target, NULL,
                            c->v6 ? t->cidr6 : t->cidr4))
      return OB_SPF_RESULT_PASS;
  return OB_SPF_RESULT_NONE;
}

/* Evaluates one mechanism: PASS = matches, NONE = does not match, or an
 * error/PENDING result that ends the evaluation. */
static ObSpfResult
evaluate_mechanism (Ctx        *c,
                    ObSpfTerm  *t,
                    const char *domain,
                    guint       depth)
{
  g_autofree char *target = NULL;
  ObSpfResult r;

  switch (t->kind)
    {
    case OB_SPF_TERM_ALL:
      return OB_SPF_RESULT_PASS;

    case OB_SPF_TERM_IP4:
      return !c->v6 && address_in_network (c->ip, NULL, t->network, t->cidr4)
             ? OB_SPF_RESULT_PASS : OB_SPF_RESULT_NONE;

    case OB_SPF_TERM_IP6:
      return c->v6 && address_in_network (c->ip, NULL, t->network, t->cidr6)
             ? OB_SPF_RESULT_PASS : OB_SPF_RESULT_NONE;

    case OB_SPF_TERM_A:
      if (!count_lookup (c))
        return OB_SPF_RESULT_PERMERROR;
      if ((r = target_name (c, t, domain, &target)) != OB_SPF_RESULT_NONE)
        return r;
      return match_addresses (c, target, t, TRUE);

    case OB_SPF_TERM_MX:
      {
        g_autoptr(GPtrArray) mxs = NULL;
        gboolean pending = FALSE;
        ObSpfResult best = OB_SPF_RESULT_NONE;

        if (!count_lookup (c))
          return OB_SPF_RESULT_PERMERROR;
        if ((r = target_name (c, t, domain, &target)) != OB_SPF_RESULT_NONE)
          return r;
        r = dns_lookup (c, target, OB_DNS_TYPE_MX, FAILURE_MX, VOID_EMPTY, &mxs);
        if (r != RESULT_RECORDS)
          return r;
        if (mxs->len > MAX_MX_NAMES)
          {
            set_problem (c, OB_SPF_PROBLEM_MX_LIMIT, target, _("%s has more than %d MX records for the SPF “mx” mechanism"),
                         target, MAX_MX_NAMES);
            return OB_SPF_RESULT_PERMERROR;
          }
        /* Ask for every exchange's addresses at once. */
        for (guint i = 0; i < mxs->len; i++)
          {
            ObDnsRecord *mx = g_ptr_array_index (mxs, i);

            if (mx->target[0] == '\0')
              continue; /* null MX */
            r = match_addresses (c, mx->target, t, FALSE);
            if (r == RESULT_PENDING)
              pending = TRUE;
            else if (r == OB_SPF_RESULT_PASS && best == OB_SPF_RESULT_NONE)
              best = r;
            else if (r != OB_SPF_RESULT_NONE && r != OB_SPF_RESULT_PASS && best != OB_SPF_RESULT_PASS)
              best = r;
          }
        if (pending)
          return RESULT_PENDING;
        return best;
      }

    case OB_SPF_TERM_PTR:
      {
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GPtrArray) ptrs = NULL;
        g_autofree char *rev = reverse_name (c);

        if (!count_lookup (c))
          return OB_SPF_RESULT_PERMERROR;
        if ((r = target_name (c, t, domain, &target)) != OB_SPF_RESULT_NONE)
          return r;
        r = dns_lookup (c, rev, OB_DNS_TYPE_PTR, FAILURE_NO_MATCH, VOID_EMPTY, &ptrs);
        if (r != RESULT_RECORDS)
          return r;
        if ((r = validated_names (c, names)) == RESULT_PENDING)
          return r;
        for (guint i = 0; i < names->len; i++)
          if (name_in_domain (g_ptr_array_index (names, i), target))
            return OB_SPF_RESULT_PASS;
        return OB_SPF_RESULT_NONE;
      }

    case OB_SPF_TERM_EXISTS:
      {
        g_autoptr(GPtrArray) addrs = NULL;

        if (!count_lookup (c))
          return OB_SPF_RESULT_PERMERROR;
        if ((r = target_name (c, t, domain, &target)) != OB_SPF_RESULT_NONE)
          return r;
        r = dns_lookup (c, target, OB_DNS_TYPE_A, FAILURE_ADDRESSES, VOID_EMPTY, &addrs);
        if (r != RESULT_RECORDS)
          return r;
        return addrs->len > 0 ? OB_SPF_RESULT_PASS : OB_SPF_RESULT_NONE;
      }

    case OB_SPF_TERM_INCLUDE:
      {
        if (!count_lookup (c))
          return OB_SPF_RESULT_PERMERROR;
        if ((r = target_name (c, t, domain, &target)) != OB_SPF_RESULT_NONE)
          return r;
        r = check_host (c, target, depth + 1, NULL);
        switch ((int) r)
          {
          case RESULT_PENDING:
          case OB_SPF_RESULT_TEMPERROR:
          case OB_SPF_RESULT_PERMERROR:
            return r;
          case OB_SPF_RESULT_PASS:
            return OB_SPF_RESULT_PASS;
          case OB_SPF_RESULT_NONE:
            set_problem (c, OB_SPF_PROBLEM_INCLUDE_NO_RECORD, target, _("The SPF record includes %s, which has no SPF record"), target);
            return OB_SPF_RESULT_PERMERROR;
          default:
            return OB_SPF_RESULT_NONE;
          }
      }

    case OB_SPF_TERM_REDIRECT:
    case OB_SPF_TERM_EXP:
    case OB_SPF_TERM_UNKNOWN_MODIFIER:
    default:
      return OB_SPF_RESULT_NONE;
    }
}

static ObSpfResult
explain (Ctx         *c,
         ObSpfRecord *record,
         const char  *domain,
         char       **explanation)
{
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) txts = NULL;
  ObSpfResult r;

  *explanation = NULL;
  if (record->exp == NULL)
    goto fallback;
  r = target_name (c, record->exp, domain, &target);
  if (r == RESULT_PENDING)
    return r;
  if (r != OB_SPF_RESULT_NONE || !domain_usable (target))
    goto fallback;
  r = dns_lookup (c, target, OB_DNS_TYPE_TXT, FAILURE_NO_MATCH, VOID_NOT_COUNTED, &txts);
  if (r == RESULT_PENDING)
    return r;
  if (r != RESULT_RECORDS || txts->len != 1)
    goto fallback;
  text = g_strdup (((ObDnsRecord *) g_ptr_array_index (txts, 0))->text);
  if (!ob_spf_macro_string_valid (text, TRUE))
    goto fallback;
  r = expand_macros (c, text, domain, TRUE, explanation);
  if (r == RESULT_PENDING)
    return r;
  if (r == OB_SPF_RESULT_NONE)
    return OB_SPF_RESULT_NONE;

fallback:
  g_clear_pointer (explanation, g_free);
  if (c->default_explanation && ob_spf_macro_string_valid (c->default_explanation, TRUE))
    {
      if (expand_macros (c, c->default_explanation, domain, TRUE, explanation) == RESULT_PENDING)
        return RESULT_PENDING;
      if (*explanation == NULL)
        *explanation = g_strdup (c->default_explanation);
    }
  return OB_SPF_RESULT_NONE;
}

static ObSpfResult
check_host (Ctx         *c,
            const char  *domain_in,
            guint        depth,
            char       **explanation)
{
  g_autofree char *domain = ob_dns_name_normalize (domain_in);
  g_autoptr(GPtrArray) txts = NULL;
  g_autoptr(ObSpfRecord) record = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *found = NULL;
  ObSpfResult lr;

  if (depth > MAX_DEPTH)
    {
      set_problem (c, OB_SPF_PROBLEM_LOOP, NULL, _("The SPF records include each other in a loop"));
      return OB_SPF_RESULT_PERMERROR;
    }
  if (!domain_usable (domain))
    return OB_SPF_RESULT_NONE;

  lr = dns_lookup (c, domain, OB_DNS_TYPE_TXT, FAILURE_SPF_RECORD,
                   depth > 0 ? VOID_NXDOMAIN : VOID_NOT_COUNTED, &txts);
  if (lr != RESULT_RECORDS)
    return lr;
  for (guint i = 0; i < txts->len; i++)
    {
      const char *text = ((ObDnsRecord *) g_ptr_array_index (txts, i))->text;

      if (!ob_spf_record_is_spf (text))
        continue;
      if (found)
        {
          set_problem (c, OB_SPF_PROBLEM_MULTIPLE, domain, _("%s publishes more than one SPF record"), domain);
          return OB_SPF_RESULT_PERMERROR;
        }
      found = text;
    }
  if (found == NULL)
    return OB_SPF_RESULT_NONE;

  g_ptr_array_add (c->domains, g_strdup (domain));
  record = ob_spf_record_parse (found, &parse_error);
  if (record == NULL)
    {
      set_problem (c, OB_SPF_PROBLEM_SYNTAX, domain, "%s: %s", domain, parse_error->message);
      return OB_SPF_RESULT_PERMERROR;
    }

  for (guint i = 0; i < record->terms->len; i++)
    {
      ObSpfTerm *t = g_ptr_array_index (record->terms, i);
      ObSpfResult r;

      if (t->kind >= OB_SPF_TERM_REDIRECT)
        continue;
      r = evaluate_mechanism (c, t, domain, depth);
      if (r == OB_SPF_RESULT_NONE)
        continue;
      if (r != OB_SPF_RESULT_PASS)
        return r;

      if (depth == 0 || c->mechanism == NULL)
        {
          g_free (c->mechanism);
          c->mechanism = g_strdup (t->text);
        }
      switch (t->qualifier)
        {
        case '-':
          if (explanation)
            {
              ObSpfResult er = explain (c, record, domain, explanation);

              if (er == RESULT_PENDING)
                return er;
            }
          return OB_SPF_RESULT_FAIL;
        case '~':
          return OB_SPF_RESULT_SOFTFAIL;
        case '?':
          return OB_SPF_RESULT_NEUTRAL;
        default:
          return OB_SPF_RESULT_PASS;
        }
    }

  if (record->redirect)
    {
      g_autofree char *target = NULL;
      ObSpfResult r;

      if (!count_lookup (c))
        return OB_SPF_RESULT_PERMERROR;
      r = target_name (c, record->redirect, domain, &target);
      if (r != OB_SPF_RESULT_NONE)
        return r;
      if (!domain_usable (target))
        {
          set_problem (c, OB_SPF_PROBLEM_SYNTAX, target, _("The SPF redirect target “%s” is not a valid domain"), target);
          return OB_SPF_RESULT_PERMERROR;
        }
      r = check_host (c, target, depth + 1, explanation);
      if (r == OB_SPF_RESULT_NONE)
        {
          set_problem (c, OB_SPF_PROBLEM_REDIRECT_NO_RECORD, target, _("The SPF record redirects to %s, which has no SPF record"), target);
          return OB_SPF_RESULT_PERMERROR;
        }
      return r;
    }
  return OB_SPF_RESULT_NEUTRAL;
}

/* ---- the async driver ---- */

static void run_pass (GTask *task);

typedef struct
{
  GTask *task;
  char  *key;
} QueryClosure;

static void
closure_query_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  QueryClosure *qc = user_data;
  g_autoptr(GTask) task = qc->task;
  Ctx *c = g_task_get_task_data (task);
  CacheEntry *e = g_new0 (CacheEntry, 1);

  e->answer = ob_dns_resolver_query_finish (OB_DNS_RESOLVER (object), result, &e->error);
  if (e->error && g_error_matches (e->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      cache_entry_free (e);
      e = NULL;
    }
  if (e)
    g_hash_table_replace (c->cache, g_steal_pointer (&qc->key), e);
  g_free (qc->key);
  g_free (qc);

  if (--c->in_flight > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;
  run_pass (task);
}

static void
run_pass (GTask *task)
{
  Ctx *c = g_task_get_task_data (task);
  g_autofree char *explanation = NULL;
  ObSpfResult r;
  GHashTableIter iter;
  gpointer key, value;

  c->lookups = 0;
  c->void_lookups = 0;
  g_clear_pointer (&c->problem, g_free);
  g_clear_pointer (&c->problem_domain, g_free);
  c->problem_kind = OB_SPF_PROBLEM_NONE;
  g_clear_pointer (&c->mechanism, g_free);
  g_ptr_array_set_size (c->domains, 0);
  g_hash_table_remove_all (c->wanted);

  r = check_host (c, c->domain, 0, &explanation);
  if (r != RESULT_PENDING)
    {
      ObSpfCheckResult *res = g_new0 (ObSpfCheckResult, 1);

      res->result = r;
      res->explanation = r == OB_SPF_RESULT_FAIL ? g_steal_pointer (&explanation) : NULL;
      res->problem = g_steal_pointer (&c->problem);
      res->problem_kind = c->problem_kind;
      res->problem_domain = g_steal_pointer (&c->problem_domain);
      res->mechanism = g_steal_pointer (&c->mechanism);
      res->lookups = MIN (c->lookups, MAX_DNS_TERMS + 1);
      res->void_lookups = c->void_lookups;
      res->domains = g_steal_pointer (&c->domains);
      c->domains = g_ptr_array_new_with_free_func (g_free);
      g_task_return_pointer (task, res, (GDestroyNotify) ob_spf_check_result_free);
      return;
    }

  g_assert (g_hash_table_size (c->wanted) > 0);
  c->in_flight = g_hash_table_size (c->wanted);
  g_hash_table_iter_init (&iter, c->wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PendingQuery *q = value;
      QueryClosure *qc = g_new0 (QueryClosure, 1);

      qc->task = g_object_ref (task);
      qc->key = g_strdup (key);
      ob_dns_resolver_query_async (c->resolver, q->name, q->type, g_task_get_cancellable (task),
                                   closure_query_cb, qc);
    }
}

void
ob_spf_check_host_async (ObDnsResolver       *resolver,
                         GInetAddress        *ip,
                         const char          *domain,
                         const char          *sender,
                         const char          *helo,
                         const char          *default_explanation,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Ctx *c;
  const char *at;

  g_return_if_fail (OB_IS_DNS_RESOLVER (resolver));
  g_return_if_fail (G_IS_INET_ADDRESS (ip));
  g_return_if_fail (domain != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_spf_check_host_async);

  c = g_new0 (Ctx, 1);
  c->resolver = g_object_ref (resolver);
  c->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cache_entry_free);
  c->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pending_free);
  c->domains = g_ptr_array_new_with_free_func (g_free);
  c->domain = g_strdup (domain);
  c->helo = g_strdup (helo);
  c->default_explanation = g_strdup (default_explanation);

  /* An IPv4-mapped IPv6 address is the IPv4 client it stands for. */
  {
    const guint8 *b = g_inet_address_to_bytes (ip);
    static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

    if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6 && memcmp (b, mapped, 12) == 0)
      c->ip = g_inet_address_new_from_bytes (b + 12, G_SOCKET_FAMILY_IPV4);
    else
      c->ip = g_object_ref (ip);
  }
  c->v6 = g_inet_address_get_family (c->ip) == G_SOCKET_FAMILY_IPV6;

  /* RFC 7208 §4.3: a missing local-part is "postmaster"; an empty sender
   * is postmaster at the HELO name. */
  if (sender == NULL || sender[0] == '\0')
    {
      c->local = g_strdup ("postmaster");
      c->sender_domain = g_strdup (helo ? helo : domain);
    }
  else if ((at = strrchr (sender, '@')) != NULL)
    {
      c->local = at == sender ? g_strdup ("postmaster") : g_strndup (sender, at - sender);
      c->sender_domain = g_strdup (at + 1);
    }
  else
    {
      c->local = g_strdup ("postmaster");
      c->sender_domain = g_strdup (sender);
    }
  c->sender = g_strdup_printf ("%s@%s", c->local, c->sender_domain);

  g_task_set_task_data (task, c, (GDestroyNotify) ctx_free);
  run_pass (task);
}

ObSpfCheckResult *
ob_spf_check_host_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ob_spf_check_sender_async (ObDnsResolver       *resolver,
                           GInetAddress        *ip,
                           const char          *sender,
                           const char          *helo,
                           const char          *default_explanation,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  const char *domain;

  if (sender && sender[0])
    {
      const char *at = strrchr (sender, '@');

      domain = at ? at + 1 : sender;
    }
  else
    domain = helo ? helo : "";
  ob_spf_check_host_async (resolver, ip, domain, sender, helo, default_explanation,
                           cancellable, callback, user_data);
}
