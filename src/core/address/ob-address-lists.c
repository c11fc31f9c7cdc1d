/* ob-address-lists.c — the lists behind address hygiene: disposable
 * domains and role local parts (shipped in a GResource), free mail
 * providers, reserved names and the public suffix list.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-address"

#include "config.h"

#include <libpsl.h>
#include <string.h>

#include "ob-address-private.h"
#include "ob-address-resources.h"

#define LISTS_PATH "/io/github/outboundapp/Outbound/address/lists/"

/* Free and consumer mailbox providers: the free-provider flag, and the
 * targets of typo suggestions. Global ones first, then the markets'
 * national providers, then the Chinese ones. */
static const char * const providers[] = {
  "gmail.com", "googlemail.com",
  "yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
  "yahoo.es", "yahoo.it", "yahoo.co.jp", "yahoo.com.br", "yahoo.com.mx", "yahoo.co.in",
  "yahoo.in", "yahoo.com.au", "yahoo.ca", "yahoo.com.ar",
  "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it",
  "outlook.com", "outlook.fr", "outlook.de", "outlook.es", "outlook.it", "outlook.jp",
  "live.com", "live.co.uk", "live.fr", "live.de", "live.it", "live.cn", "msn.com",
  "icloud.com", "me.com", "mac.com", "aol.com", "aim.com",
  "gmx.de", "gmx.net", "gmx.com", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de",
  "mail.com", "email.com", "protonmail.com", "proton.me", "zoho.com", "fastmail.com",
  "tutanota.com", "hey.com",
  "mail.ru", "bk.ru", "list.ru", "inbox.ru", "yandex.ru", "yandex.com", "ya.ru", "rambler.ru",
  "naver.com", "hanmail.net", "daum.net", "nate.com",
  "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net",
  "charter.net", "earthlink.net", "optonline.net",
  "btinternet.com", "sky.com", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr",
  "libero.it", "virgilio.it", "tiscali.it", "telefonica.net", "terra.es",
  "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br", "prodigy.net.mx",
  "bigpond.com", "optusnet.com.au", "shaw.ca", "rogers.com", "sympatico.ca", "xtra.co.nz",
  "rediffmail.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl",
  "docomo.ne.jp", "ezweb.ne.jp",
  "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com", "vip.126.com",
  "yeah.net", "188.com", "163.net", "sina.com", "sina.cn", "vip.sina.com", "sohu.com",
  "aliyun.com", "139.com", "189.cn", "wo.cn", "tom.com", "21cn.com",
  NULL
};

/* RFC 2606, RFC 6761 and later special-use names (RFC 6762 .local,
 * RFC 7686 .onion, RFC 8375 home.arpa, RFC 9476 .alt, ICANN's .internal).
 * Mail to them never reaches a buyer. */
static const char * const reserved_tlds[] = {
  "test", "example", "invalid", "localhost", "local", "onion", "alt", "internal", "arpa",
  "localdomain", "lan", "home", "corp",
  NULL
};
static const char * const reserved_domains[] = {
  "example.com", "example.net", "example.org", "example.edu", "nic.example",
  NULL
};

static GHashTable *
load_list (const char *name)
{
  g_autofree char *path = g_strconcat (LISTS_PATH, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *data;
  gsize len;
  gsize start = 0;

  bytes = g_resource_lookup_data (ob_address_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      g_critical ("Cannot load the list %s: %s", name, error->message);
      return set;
    }

  data = g_bytes_get_data (bytes, &len);
  for (gsize i = 0; i <= len; i++)
    {
      if (i == len || data[i] == '\n')
        {
          g_autofree char *line = g_strndup (data + start, i - start);

          g_strstrip (line);
          if (*line != '\0' && *line != '#')
            g_hash_table_add (set, g_ascii_strdown (line, -1));
          start = i + 1;
        }
    }

  return set;
}

static GHashTable *
disposable_set (void)
{
  static GHashTable *set;

  if (g_once_init_enter (&set))
    g_once_init_leave (&set, load_list ("disposable_email_blocklist.conf"));
  return set;
}

static GHashTable *
role_set (void)
{
  static GHashTable *set;

  if (g_once_init_enter (&set))
    g_once_init_leave (&set, load_list ("role-localparts.txt"));
  return set;
}

static GHashTable *
provider_set (void)
{
  static GHashTable *set;

  if (g_once_init_enter (&set))
    {
      GHashTable *s = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; providers[i] != NULL; i++)
        g_hash_table_add (s, (gpointer) providers[i]);
      g_once_init_leave (&set, s);
    }
  return set;
}

static const psl_ctx_t *
psl (void)
{
  static const psl_ctx_t *ctx;

  if (g_once_init_enter (&ctx))
    {
      /* The distribution's list is newer than the one built into libpsl. */
      const psl_ctx_t *c = psl_latest (NULL);

      if (c == NULL)
        c = psl_builtin ();
      g_once_init_leave (&ctx, c);
    }
  return ctx;
}

/* Answers about the parents of domains ("com", "co.uk"): every new domain
 * asks about its parents, and they repeat from one domain to the next.
 * They are kept per thread in a small table indexed by a hash of the name
 * (a slot is overwritten by the next name that hashes to it; longer names
 * are not kept). */
#define PARENT_MEMO_SLOTS 256
#define PARENT_MEMO_NAME  48

typedef struct
{
  char     name[PARENT_MEMO_NAME];
  gboolean answer;
} ParentMemo;

static gboolean
remembered (ParentMemo  *memo,
            const char  *parent,
            gboolean   (*ask) (const char *name))
{
  gsize len = strlen (parent);
  ParentMemo *slot;

  if (len == 0 || len >= PARENT_MEMO_NAME)
    return ask (parent);
  slot = &memo[g_str_hash (parent) % PARENT_MEMO_SLOTS];
  if (memcmp (slot->name, parent, len + 1) != 0)
    {
      slot->answer = ask (parent);
      memcpy (slot->name, parent, len + 1);
    }
  return slot->answer;
}

const char * const *
_ob_address_providers (void)
{
  return providers;
}

static gboolean
is_listed_disposable (const char *name)
{
  return g_hash_table_contains (disposable_set (), name);
}

/* True for a listed domain and any name below one. */
gboolean
_ob_address_is_disposable (const char *ascii_domain)
{
  static _Thread_local ParentMemo parents[PARENT_MEMO_SLOTS];

  for (const char *p = ascii_domain; p != NULL && *p != '\0';)
    {
      gboolean listed = p == ascii_domain ? is_listed_disposable (p)
                                          : remembered (parents, p, is_listed_disposable);
      const char *dot;

      if (listed)
        return TRUE;
      dot = strchr (p, '.');
      p = dot ? dot + 1 : NULL;
    }
  return FALSE;
}

/* info@, sales@, purchasing@: normal B2B contacts, only flagged. A
 * "+tag" or "-tag" after the role does not hide it. */
gboolean
_ob_address_is_role (const char *local)
{
  char buf[128];
  g_autofree char *heap = NULL;
  gsize len = strlen (local);
  char *lower;
  char *plus;

  /* Lower-cased on the stack: this runs for every imported address. */
  if (len < sizeof buf)
    lower = buf;
  else
    lower = heap = g_malloc (len + 1);
  for (gsize i = 0; i <= len; i++)
    lower[i] = g_ascii_tolower (local[i]);

  if (g_hash_table_contains (role_set (), lower))
    return TRUE;
  plus = strchr (lower, '+');
  if (plus != NULL)
    {
      *plus = '\0';
      return g_hash_table_contains (role_set (), lower);
    }
  return FALSE;
}

gboolean
_ob_address_is_free_provider (const char *ascii_domain)
{
  return g_hash_table_contains (provider_set (), ascii_domain);
}

gboolean
_ob_address_is_reserved (const char *ascii_domain)
{
  const char *tld = strrchr (ascii_domain, '.');
  gsize dl = strlen (ascii_domain);

  tld = tld ? tld + 1 : ascii_domain;
  for (guint i = 0; reserved_tlds[i] != NULL; i++)
    if (strcmp (tld, reserved_tlds[i]) == 0)
      return TRUE;
  for (guint i = 0; reserved_domains[i] != NULL; i++)
    {
      gsize rl = strlen (reserved_domains[i]);

      /* The name itself, or a name below it. */
      if (dl >= rl && strcmp (ascii_domain + dl - rl, reserved_domains[i]) == 0 &&
          (dl == rl || ascii_domain[dl - rl - 1] == '.'))
        return TRUE;
    }
  return FALSE;
}

/* A suffix the public suffix list knows (without its implicit "*" rule):
 * "com", "co.uk", "xn--p1ai". */
gboolean
_ob_address_is_known_suffix (const char *suffix)
{
  return psl_is_public_suffix2 (psl (), suffix, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

/* The longest known public suffix of @ascii_domain, pointing into it, or
 * NULL when its top-level label is not a delegated TLD. */
const char *
_ob_address_public_suffix (const char *ascii_domain)
{
  /* A domain's checks ask for its suffix several times in a row: the
   * last answer is kept per thread. */
  static _Thread_local char last[256];
  static _Thread_local gssize last_offset = -2;
  static _Thread_local ParentMemo parents[PARENT_MEMO_SLOTS];
  gsize len = strlen (ascii_domain);
  gssize offset = -1;

  if (last_offset != -2 && len < sizeof last && memcmp (last, ascii_domain, len + 1) == 0)
    return last_offset < 0 ? NULL : ascii_domain + last_offset;

  for (const char *p = ascii_domain; p != NULL && *p != '\0';)
    {
      gboolean known = p == ascii_domain ? _ob_address_is_known_suffix (p)
                                         : remembered (parents, p, _ob_address_is_known_suffix);
      const char *dot;

      if (known)
        {
          offset = p - ascii_domain;
          break;
        }
      dot = strchr (p, '.');
      p = dot ? dot + 1 : NULL;
    }

  if (len < sizeof last)
    {
      memcpy (last, ascii_domain, len + 1);
      last_offset = offset;
    }
  return offset < 0 ? NULL : ascii_domain + offset;
}
