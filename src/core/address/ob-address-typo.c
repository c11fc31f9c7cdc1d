/* ob-address-typo.c — typo suggestions for the domain of an address.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-address"

#include "config.h"

#include <string.h>

#include "ob-address-private.h"

/* How this decides (and why it stays quiet for real company domains):
 *
 * 1. A domain whose top-level label is not a delegated TLD (".con",
 *    ".cmo", ".nte") gets the TLD from a fix table, or the one common TLD
 *    at edit distance 1.
 * 2. The part before the public suffix is compared with each provider's
 *    (gmail, hotmail, 163, vip.qq…), with the same suffix. The
 *    Damerau-Levenshtein distance allowed grows with the provider's name:
 *    0 up to 4 characters (qq, 163, sina, live: any change makes another
 *    plausible name; only look-alike digits such as l63 count), 1 up to 7,
 *    2 beyond. The first letter must match, or be a transposition or a
 *    neighbouring key, so "cloud.com" never becomes "icloud.com".
 * 3. The exact provider name under a look-alike TLD (gmail.co, qq.cm)
 *    is the provider.
 * 4. Two providers equally close: no suggestion.
 * A valid domain that is not close to a provider gets nothing, whatever
 * its TLD: "acme.co" is a Colombian domain, not a typo of "acme.com". */

typedef struct
{
  const char *typed;
  const char *meant;
} TldFix;

/* Top-level labels that do not exist but are typed for existing ones. */
static const TldFix tld_fixes[] = {
  { "con", "com" }, { "cmo", "com" }, { "comm", "com" }, { "ocm", "com" }, { "cpm", "com" },
  { "vom", "com" }, { "xom", "com" }, { "coom", "com" }, { "comn", "com" }, { "copm", "com" },
  { "cim", "com" }, { "c0m", "com" }, { "conm", "com" }, { "clm", "com" }, { "cokm", "com" },
  { "ccom", "com" }, { "comk", "com" }, { "coml", "com" }, { "ciom", "com" }, { "cpom", "com" },
  { "nte", "net" }, { "ner", "net" }, { "nett", "net" }, { "ent", "net" }, { "nwt", "net" },
  { "ogr", "org" }, { "orgg", "org" }, { "prg", "org" }, { "rog", "org" }, { "otg", "org" },
  { "cnn", "cn" }, { "ccn", "cn" },
  { "ifno", "info" }, { "inf", "info" },
  { NULL, NULL }
};

/* Existing TLDs typed for another one, honoured only when the rest of the
 * domain is exactly a provider's. */
static const TldFix tld_lookalikes[] = {
  { "co", "com" }, { "cm", "com" }, { "om", "com" }, { "ne", "net" },
  { NULL, NULL }
};

/* Common TLDs, in the order a tie is broken. */
static const char * const common_tlds[] = {
  "com", "net", "org", "cn", "de", "info", "biz", "uk", "fr", "es", "it", "ru", "br", "mx",
  "ae", "sa", "in", "au", "jp", "kr", "us", "ca", "nl", "eu",
  NULL
};

/* QWERTY rows, to tell a slipped finger from a different word. */
static const char * const keyboard_rows[] = {
  "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", NULL
};

static gboolean
keys_adjacent (char a,
               char b)
{
  for (guint r = 0; keyboard_rows[r] != NULL; r++)
    {
      const char *pa = strchr (keyboard_rows[r], a);
      const char *pb;
      int col_a;

      if (pa == NULL)
        continue;
      col_a = pa - keyboard_rows[r];
      if ((pb = strchr (keyboard_rows[r], b)) != NULL && ABS ((pb - keyboard_rows[r]) - col_a) == 1)
        return TRUE;
      /* Same column, neighbouring row. */
      for (int dr = -1; dr <= 1; dr += 2)
        {
          int rr = (int) r + dr;
          if (rr >= 0 && keyboard_rows[rr] != NULL && col_a < (int) strlen (keyboard_rows[rr]) &&
              (keyboard_rows[rr][col_a] == b ||
               (col_a + 1 < (int) strlen (keyboard_rows[rr]) && keyboard_rows[rr][col_a + 1] == b) ||
               (col_a > 0 && keyboard_rows[rr][col_a - 1] == b)))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
homoglyphs (char a,
            char b)
{
  static const char * const pairs[] = { "l1", "i1", "o0", NULL };

  for (guint i = 0; pairs[i] != NULL; i++)
    if ((a == pairs[i][0] && b == pairs[i][1]) || (a == pairs[i][1] && b == pairs[i][0]))
      return TRUE;
  return FALSE;
}

/* Optimal string alignment distance (Damerau-Levenshtein where a
 * transposition of neighbours costs 1). */
guint
_ob_address_distance (const char *a,
                      const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  guint stack[1024];
  g_autofree guint *heap = NULL;
  guint *d = stack;
  guint result;

#define D(i, j) d[(i) * (lb + 1) + (j)]
  if (la > 255 || lb > 255)
    return G_MAXUINT;

  if ((la + 1) * (lb + 1) > G_N_ELEMENTS (stack))
    d = heap = g_new (guint, (la + 1) * (lb + 1));
  for (gsize i = 0; i <= la; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= lb; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
        guint v = MIN (MIN (D (i - 1, j) + 1, D (i, j - 1) + 1), D (i - 1, j - 1) + cost);

        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          v = MIN (v, D (i - 2, j - 2) + 1);
        D (i, j) = v;
      }
  result = D (la, lb);
#undef D

  return result;
}

/* Whether @typed may be a slip for @name at @dist: the first letter holds,
 * or is a transposition of the first two, or a neighbouring key. */
static gboolean
start_plausible (const char *typed,
                 const char *name,
                 guint       dist)
{
  if (typed[0] == name[0])
    return TRUE;
  if (dist != 1 || typed[0] == '\0' || name[0] == '\0')
    return FALSE;
  if (typed[1] == name[0] && typed[0] == name[1] && g_str_equal (typed + 2, name + 2))
    return TRUE;
  return keys_adjacent (typed[0], name[0]) && g_str_equal (typed + 1, name + 1);
}

static guint
allowed_distance (gsize len)
{
  if (len <= 4)
    return 0;
  if (len <= 7)
    return 1;
  return 2;
}

/* One character swapped for its look-alike ("l63" for "163"). */
static gboolean
lookalike_equal (const char *a,
                 const char *b)
{
  guint diffs = 0;

  if (strlen (a) != strlen (b))
    return FALSE;
  for (; *a != '\0'; a++, b++)
    if (*a != *b)
      {
        if (!homoglyphs (*a, *b))
          return FALSE;
        diffs++;
      }
  return diffs == 1;
}

static gboolean
same_without_dots (const char *a,
                   const char *b)
{
  while (*a != '\0' || *b != '\0')
    {
      while (*a == '.')
        a++;
      while (*b == '.')
        b++;
      if (*a != *b)
        return FALSE;
      if (*a == '\0')
        return TRUE;
      a++;
      b++;
    }
  return TRUE;
}

static const char *
fix_tld (const char *tld)
{
  const char *best = NULL;

  for (guint i = 0; tld_fixes[i].typed != NULL; i++)
    if (g_str_equal (tld, tld_fixes[i].typed))
      return tld_fixes[i].meant;

  if (strlen (tld) < 2)
    return NULL;
  for (guint i = 0; common_tlds[i] != NULL; i++)
    if (_ob_address_distance (tld, common_tlds[i]) == 1 &&
        strlen (common_tlds[i]) >= 2 && strlen (tld) >= strlen (common_tlds[i]) - 1)
      {
        best = common_tlds[i];
        break;
      }
  return best;
}

static gboolean
tld_lookalike (const char *typed,
               const char *meant)
{
  for (guint i = 0; tld_lookalikes[i].typed != NULL; i++)
    if (g_str_equal (typed, tld_lookalikes[i].typed) && g_str_equal (meant, tld_lookalikes[i].meant))
      return TRUE;
  return FALSE;
}

/* Splits @domain at its public suffix: "vip.163.com" → "vip.163" + "com".
 * Without a known suffix the last label is taken. FALSE when there is no
 * name before the suffix. The suffix is the tail of @domain, so only its
 * start is returned; the name is its length, @rest_len. Nothing is
 * allocated: this runs for every new domain of an import. */
static gboolean
split_domain_at (const char  *domain,
                 gsize       *rest_len,
                 const char **suffix,
                 gboolean    *known)
{
  const char *s = _ob_address_public_suffix (domain);

  *known = s != NULL;
  if (s == NULL)
    {
      s = strrchr (domain, '.');
      if (s == NULL)
        return FALSE;
      s++;
    }
  if (s == domain || s[-1] != '.' || s - 1 == domain)
    return FALSE;
  *rest_len = s - 1 - domain;
  *suffix = s;
  return TRUE;
}

/* The same with copies, for the provider table made once. */
static gboolean
split_domain (const char  *domain,
              char       **rest,
              char       **suffix,
              gboolean    *known)
{
  const char *s;
  gsize rest_len;

  if (!split_domain_at (domain, &rest_len, &s, known))
    return FALSE;
  *rest = g_strndup (domain, rest_len);
  *suffix = g_strdup (s);
  return TRUE;
}

typedef struct
{
  const char *domain;
  char       *rest;
  char       *suffix;
  gsize       rest_len;
  gsize       dotless_len; /* of the whole domain */
} ProviderSplit;

static gsize
dotless_length (const char *s)
{
  gsize n = 0;

  for (; *s != '\0'; s++)
    n += *s != '.';
  return n;
}

/* Sets of providers (by their index in the splits) as bit masks. */
#define PROVIDER_WORDS   4
#define PROVIDER_MAX_LEN 64

typedef struct
{
  guint64 bits[PROVIDER_WORDS];
} ProviderSet;

typedef struct
{
  ProviderSplit *splits;
  guint          n_splits;
  ProviderSet    by_rest_len[PROVIDER_MAX_LEN];    /* providers whose name has this length */
  ProviderSet    by_dotless_len[PROVIDER_MAX_LEN]; /* whose domain has this many letters */
} Providers;

static void
provider_set_add (ProviderSet *set,
                  guint        i)
{
  set->bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

static void
provider_set_union (ProviderSet       *set,
                    const ProviderSet *other)
{
  for (guint w = 0; w < PROVIDER_WORDS; w++)
    set->bits[w] |= other->bits[w];
}

/* The providers split once: the public suffix lookups are the costly part. */
static const Providers *
providers (void)
{
  static Providers *providers;

  if (g_once_init_enter (&providers))
    {
      const char * const *list = _ob_address_providers ();
      GArray *a = g_array_new (FALSE, TRUE, sizeof (ProviderSplit));
      Providers *p = g_new0 (Providers, 1);

      for (guint i = 0; list[i] != NULL; i++)
        {
          ProviderSplit split = { list[i], NULL, NULL };
          gboolean known;

          if (split_domain (list[i], &split.rest, &split.suffix, &known))
            {
              split.rest_len = strlen (split.rest);
              split.dotless_len = dotless_length (list[i]);
              g_assert (split.rest_len < PROVIDER_MAX_LEN && split.dotless_len < PROVIDER_MAX_LEN);
              provider_set_add (&p->by_rest_len[split.rest_len], a->len);
              provider_set_add (&p->by_dotless_len[split.dotless_len], a->len);
              g_array_append_val (a, split);
            }
        }
      g_assert (a->len <= PROVIDER_WORDS * 64);
      p->n_splits = a->len;
      p->splits = (ProviderSplit *) (gpointer) g_array_free (a, FALSE);
      g_once_init_leave (&providers, p);
    }
  return providers;
}

/* The provider @domain was most likely meant for, or NULL. */
static char *
match_provider (const char *domain)
{
  char rest_buf[256];
  g_autofree char *rest_heap = NULL;
  char *rest;
  const char *suffix;
  const Providers *all;
  const ProviderSplit *splits;
  ProviderSet near = { { 0 } };
  const char *fixed = NULL;
  const char *best = NULL;
  guint best_cost = G_MAXUINT;
  gboolean tie = FALSE;
  gboolean known;
  gsize rest_len;
  gsize domain_dotless;

  if (!split_domain_at (domain, &rest_len, &suffix, &known))
    return NULL;
  /* The name before the suffix, on the stack: host names are short. */
  rest = rest_len < sizeof rest_buf ? rest_buf : (rest_heap = g_malloc (rest_len + 1));
  memcpy (rest, domain, rest_len);
  rest[rest_len] = '\0';
  domain_dotless = dotless_length (domain);
  if (!known)
    fixed = fix_tld (suffix);

  /* Both callers have checked that @domain is no provider's. */

  /* Every way to a cost below needs the names within two characters of
   * each other (the same name, a look-alike of the same length, or an edit
   * distance of at most 2), or the same letters without dots. Most domains
   * are near no provider: the providers of those lengths are taken from
   * the tables made once, and only they are compared, in the list's order
   * (the first of equal cost wins). */
  all = providers ();
  splits = all->splits;
  for (gsize len = rest_len >= 2 ? rest_len - 2 : 0;
       len <= rest_len + 2 && len < PROVIDER_MAX_LEN; len++)
    provider_set_union (&near, &all->by_rest_len[len]);
  if (domain_dotless < PROVIDER_MAX_LEN)
    provider_set_union (&near, &all->by_dotless_len[domain_dotless]);

  for (guint w = 0; w < PROVIDER_WORDS; w++)
    for (guint64 bits = near.bits[w]; bits != 0; bits &= bits - 1)
      {
        guint i = w * 64 + __builtin_ctzll (bits);
        const char *prest = splits[i].rest;
        const char *psuffix = splits[i].suffix;
        guint cost = G_MAXUINT;

        if (rest_len == splits[i].rest_len && g_str_equal (rest, prest))
          {
            if (!known && (fixed == NULL || g_str_equal (fixed, psuffix)))
              cost = 1;
            else if (known && tld_lookalike (suffix, psuffix))
              cost = 1;
          }
        else if ((known && g_str_equal (suffix, psuffix)) ||
                 (!known && fixed != NULL && g_str_equal (fixed, psuffix)))
          {
            gsize plen = splits[i].rest_len;
            guint extra = known ? 0 : 1;

            if (plen <= 4)
              {
                if (lookalike_equal (rest, prest))
                  cost = 1 + extra;
              }
            /* The distance is at least the difference in length. With
             * different first letters, start_plausible() holds only for a
             * distance of 1 and says so without it: most names are ruled
             * out before the distance is computed. */
            else if ((gsize) ABS ((gssize) rest_len - (gssize) plen) <= allowed_distance (plen) &&
                     (rest[0] == prest[0] || start_plausible (rest, prest, 1)))
              {
                guint dist = _ob_address_distance (rest, prest);

                if (dist <= allowed_distance (plen) && start_plausible (rest, prest, dist))
                  cost = dist + extra;
              }
          }

        /* A slipped dot: "gmailc.om" has the letters of "gmail.com". */
        if (cost == G_MAXUINT && domain_dotless == splits[i].dotless_len &&
            strlen (splits[i].domain) >= 8 && same_without_dots (domain, splits[i].domain))
          cost = 1;

        if (cost == G_MAXUINT)
          continue;
        if (cost < best_cost)
          {
            best_cost = cost;
            best = splits[i].domain;
            tie = FALSE;
          }
        else if (cost == best_cost && !g_str_equal (best, splits[i].domain))
          tie = TRUE;
      }

  if (best == NULL || tie)
    return NULL;
  return g_strdup (best);
}

/* A suggested replacement for @ascii_domain (lower-case, A-labels), or
 * NULL when nothing better is known. */
char *
_ob_address_suggest_domain (const char *ascii_domain)
{
  g_autoptr(GString) cleaned = NULL;
  gboolean stray;
  char *match;
  gboolean known;
  gsize rest_len;
  const char *suffix;

  g_return_val_if_fail (ascii_domain != NULL, NULL);

  if (_ob_address_is_free_provider (ascii_domain))
    return NULL;

  /* Stray characters that cannot be in a host name ("#gmail.com"). */
  stray = ascii_domain[0] == '.';
  for (const char *p = ascii_domain; !stray && *p != '\0'; p++)
    stray = !(g_ascii_isalnum (*p) || *p == '-' || *p == '.' || (guchar) *p >= 0x80);
  if (stray)
    {
      cleaned = g_string_new (NULL);
      for (const char *p = ascii_domain; *p != '\0'; p++)
        if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || (guchar) *p >= 0x80)
          g_string_append_c (cleaned, *p);
      while (cleaned->len > 0 && cleaned->str[0] == '.')
        g_string_erase (cleaned, 0, 1);
      if (!g_str_equal (cleaned->str, ascii_domain) && cleaned->len > 0)
        {
          if (_ob_address_is_free_provider (cleaned->str))
            return g_strdup (cleaned->str);
          return match_provider (cleaned->str);
        }
    }

  if ((match = match_provider (ascii_domain)) != NULL)
    return match;

  /* Not near a provider: fix a non-existent TLD only. */
  if (split_domain_at (ascii_domain, &rest_len, &suffix, &known) && !known)
    {
      const char *fixed = fix_tld (suffix);

      if (fixed != NULL)
        return g_strdup_printf ("%.*s.%s", (int) rest_len, ascii_domain, fixed);
    }

  return NULL;
}
