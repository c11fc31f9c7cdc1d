/* ob-address-check.c — normalisation, syntax and offline hygiene of one
 * email address.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-address"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <idn2.h>
#include <string.h>

#include "ob-address-check.h"
#include "ob-address-private.h"

#define MAX_LOCAL   64  /* RFC 5321 4.5.3.1.1 */
#define MAX_ADDRESS 254 /* RFC 5321 path minus the angle brackets (errata 1690) */
#define MAX_DOMAIN  253
#define MAX_LABEL   63
#define MAX_INPUT_BYTES   4096

struct _ObAddressCheck
{
  gatomicrefcount   ref_count;
  char             *input;
  char             *address;
  char             *ascii_address;
  char             *local;
  char             *domain;
  char             *ascii_domain;
  char             *suggestion;
  ObAddressVerdict  verdict;
  guint             reasons;
  guint             flags;
};

G_DEFINE_BOXED_TYPE (ObAddressCheck, ob_address_check, ob_address_check_ref, ob_address_check_unref)

static const char * const reason_ids[OB_ADDRESS_N_REASONS] = {
  "syntax", "typo-domain", "no-domain", "no-mx", "null-mx", "disposable", "suppressed",
  "reserved-domain",
};

static const char * const flag_ids[OB_ADDRESS_N_FLAGS] = {
  "role", "free-provider", "idn", "smtputf8", "quoted",
};

#define INVALID_REASONS (OB_ADDRESS_REASON_SYNTAX | OB_ADDRESS_REASON_TYPO_DOMAIN | \
                         OB_ADDRESS_REASON_NO_DOMAIN | OB_ADDRESS_REASON_NULL_MX | \
                         OB_ADDRESS_REASON_SUPPRESSED | OB_ADDRESS_REASON_RESERVED_DOMAIN)
#define RISKY_REASONS   (OB_ADDRESS_REASON_NO_MX | OB_ADDRESS_REASON_DISPOSABLE)

static int
bit_index (guint bit)
{
  for (int i = 0; i < 32; i++)
    if (bit == (1u << i))
      return i;
  return -1;
}

const char *
ob_address_reason_to_string (ObAddressReason reason)
{
  int i = bit_index (reason);

  g_return_val_if_fail (i >= 0 && i < OB_ADDRESS_N_REASONS, NULL);
  return reason_ids[i];
}

const char *
ob_address_flag_to_string (ObAddressFlag flag)
{
  int i = bit_index (flag);

  g_return_val_if_fail (i >= 0 && i < OB_ADDRESS_N_FLAGS, NULL);
  return flag_ids[i];
}

const char *
ob_address_verdict_to_string (ObAddressVerdict verdict)
{
  switch (verdict)
    {
    case OB_ADDRESS_VERDICT_VALID:
      return "valid";
    case OB_ADDRESS_VERDICT_RISKY:
      return "risky";
    case OB_ADDRESS_VERDICT_INVALID:
      return "invalid";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* A sentence a salesperson can act on, for the import report and the UI. */
const char *
ob_address_reason_describe (ObAddressReason reason)
{
  switch (reason)
    {
    case OB_ADDRESS_REASON_SYNTAX:
      return _("This is not a complete email address; check it for missing or extra characters.");
    case OB_ADDRESS_REASON_TYPO_DOMAIN:
      return _("The domain looks mistyped; use the suggested address if it is right.");
    case OB_ADDRESS_REASON_NO_DOMAIN:
      return _("The domain does not exist, so mail to it cannot be delivered.");
    case OB_ADDRESS_REASON_NO_MX:
      return _("The domain has no mail server record; mail may not be delivered.");
    case OB_ADDRESS_REASON_NULL_MX:
      return _("The domain says it accepts no mail at all.");
    case OB_ADDRESS_REASON_DISPOSABLE:
      return _("This is a throw-away mailbox; it will not reach a buyer.");
    case OB_ADDRESS_REASON_SUPPRESSED:
      return _("This address is on the suppression list and will not be mailed.");
    case OB_ADDRESS_REASON_RESERVED_DOMAIN:
      return _("The domain is reserved for examples and tests; it cannot receive mail.");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The verdict a set of ObAddressReason bits gives. */
ObAddressVerdict
ob_address_verdict_for_reasons (guint reasons)
{
  if (reasons & INVALID_REASONS)
    return OB_ADDRESS_VERDICT_INVALID;
  if (reasons & RISKY_REASONS)
    return OB_ADDRESS_VERDICT_RISKY;
  return OB_ADDRESS_VERDICT_VALID;
}

/* "typo-domain,no-mx" (as stored in contacts.reasons) → reason bits;
 * unknown ids are ignored. */
guint
ob_address_reasons_from_string (const char *joined)
{
  g_auto(GStrv) ids = NULL;
  guint bits = 0;

  if (joined == NULL)
    return 0;
  ids = g_strsplit (joined, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    for (guint r = 0; r < OB_ADDRESS_N_REASONS; r++)
      if (g_str_equal (g_strstrip (ids[i]), reason_ids[r]))
        bits |= 1u << r;
  return bits;
}

static void
update_verdict (ObAddressCheck *self)
{
  self->verdict = ob_address_verdict_for_reasons (self->reasons);
}

/* Characters that never belong in an address and are dropped: zero-width
 * and bidi controls, soft hyphens, byte-order marks. */
static gboolean
is_invisible (gunichar c)
{
  GUnicodeType t = g_unichar_type (c);

  return t == G_UNICODE_FORMAT || t == G_UNICODE_CONTROL;
}

static gboolean
is_space (gunichar c)
{
  GUnicodeType t = g_unichar_type (c);

  return c == '\t' || c == '\n' || c == '\r' || t == G_UNICODE_SPACE_SEPARATOR ||
         t == G_UNICODE_LINE_SEPARATOR || t == G_UNICODE_PARAGRAPH_SEPARATOR;
}

/* Punctuation that is stray when it ends an address, ASCII and full-width
 * (NFKC has already folded most full-width forms to ASCII). */
static gboolean
is_trailing_junk (gunichar c)
{
  return (c < 0x80 && strchr (" .,;:!?'\")>]}*", (int) c) != NULL && c != 0) ||
         c == 0x3001 /* 、 */ || c == 0x3002 /* 。 */ || c == 0x201D /* ” */ ||
         c == 0x2019 /* ’ */ || c == 0x00BB /* » */ || c == 0x300B || c == 0x3009 ||
         c == 0x3011 || c == 0xFF61 || c == 0x2026 /* … */;
}

static gboolean
is_leading_junk (gunichar c)
{
  return (c < 0x80 && strchr (" ,;:'\"(<[{*", (int) c) != NULL && c != 0) ||
         c == 0x3001 || c == 0x201C /* “ */ || c == 0x2018 /* ‘ */ || c == 0x00AB /* « */ ||
         c == 0x300A || c == 0x3008 || c == 0x3010;
}

/* Where the quoted string opening at @s ends (the closing quote), or NULL. */
static const char *
quoted_end (const char *s)
{
  g_assert (*s == '"');
  for (s++; *s != '\0'; s++)
    {
      if (*s == '\\' && s[1] != '\0')
        s++;
      else if (*s == '"')
        return s;
    }
  return NULL;
}

static char *
strip_prefix_ci (char       *s,
                 const char *prefix)
{
  gsize n = strlen (prefix);

  if (g_ascii_strncasecmp (s, prefix, n) == 0)
    memmove (s, s + n, strlen (s + n) + 1);
  return s;
}

/* Whether ob_address_normalize() would give @input back as it is: plain
 * printable ASCII without spaces (nothing for NFKC, the character loop or
 * the strips to change), no display name, no "mailto:" or "?subject=",
 * and no stray punctuation at either end. Most imported addresses are
 * like that and need only be copied. */
static gboolean
normalized_already (const char *input)
{
  const char *at = NULL;
  gsize len = 0;

  for (const char *p = input; *p != '\0'; p++, len++)
    {
      guchar c = *p;

      if (c <= 0x20 || c >= 0x7f || c == '<')
        return FALSE;
      if (c == '@')
        at = p;
    }
  if (len == 0 || len >= MAX_INPUT_BYTES)
    return FALSE;
  if (g_ascii_strncasecmp (input, "mailto:", strlen ("mailto:")) == 0)
    return FALSE;
  if (at != NULL && strchr (at, '?') != NULL)
    return FALSE;
  return !is_leading_junk ((guchar) input[0]) && !is_trailing_junk ((guchar) input[len - 1]);
}

/**
 * ob_address_normalize:
 * @input: what someone typed, pasted or imported
 *
 * Repairs what people and spreadsheets do to addresses: NFKC (full-width
 * letters, ＠ and ．), ideographic full stops, invisible and control
 * characters, surrounding spaces, quotes and brackets, display names
 * ("John <j@x.com>"), "mailto:", and stray punctuation at the ends.
 * The result is not necessarily a valid address.
 */
char *
ob_address_normalize (const char *input)
{
  if (input != NULL && normalized_already (input))
    return g_strdup (input);
  return _ob_address_normalize_general (input);
}

/* ob_address_normalize() without its shortcut, for the test that both
 * agree. */
char *
_ob_address_normalize_general (const char *input)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autoptr(GString) s = NULL;
  const char *text;
  gsize len;
  gboolean changed;
  char *lt;

  if (input == NULL)
    return g_strdup ("");

  /* NFKC leaves ASCII as it is, and ASCII is valid UTF-8: most addresses
   * are ASCII and are read where they are. */
  len = strlen (input);
  if (len < MAX_INPUT_BYTES && g_str_is_ascii (input))
    text = input;
  else
    {
      valid = g_utf8_make_valid (input, MIN (len, MAX_INPUT_BYTES));
      nfkc = g_str_is_ascii (valid) ? g_steal_pointer (&valid) : g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
      if (nfkc == NULL)
        nfkc = g_strdup (valid);
      text = nfkc;
    }

  s = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = (guchar) *p;

      /* ASCII: printable characters stay, the rest as below. */
      if (c > 0x20 && c < 0x7f)
        {
          g_string_append_c (s, *p);
          continue;
        }
      c = g_utf8_get_char (p);
      if (c == 0x3002 || c == 0xFF61 || c == 0xFE52)
        g_string_append_c (s, '.');
      else if (is_space (c))
        g_string_append_c (s, ' ');
      else if (is_invisible (c))
        continue;
      else
        g_string_append_unichar (s, c);
    }

  g_strstrip (s->str);
  s->len = strlen (s->str);

  /* "John Doe <john@x.com>", "<john@x.com>": the part in brackets. */
  lt = strrchr (s->str, '<');
  if (lt != NULL)
    {
      char *gt = strchr (lt, '>');

      if (gt != NULL && memchr (lt, '@', gt - lt) != NULL)
        {
          g_autofree char *inner = g_strndup (lt + 1, gt - lt - 1);
          g_string_assign (s, inner);
        }
    }

  do
    {
      gsize before = s->len;
      const char *at;

      g_strstrip (s->str);
      s->len = strlen (s->str);
      strip_prefix_ci (s->str, "mailto:");
      s->len = strlen (s->str);

      /* A "?subject=…" after a mailto: address. */
      at = strrchr (s->str, '@');
      if (at != NULL && strchr (at, '?') != NULL)
        g_string_truncate (s, strchr (at, '?') - s->str);

      while (s->len > 0)
        {
          const char *last = g_utf8_find_prev_char (s->str, s->str + s->len);
          gunichar c = g_utf8_get_char (last);

          if (!is_trailing_junk (c))
            break;
          /* A closing bracket that has its opener is part of the text. */
          if ((c == ']' && strchr (s->str, '[')) || (c == ')' && strchr (s->str, '(')) ||
              (c == '}' && strchr (s->str, '{')))
            {
              const char *open = strchr (s->str, c == ']' ? '[' : c == ')' ? '(' : '{');
              if (open != s->str)
                break;
            }
          g_string_truncate (s, last - s->str);
        }

      while (s->len > 0)
        {
          gunichar c = g_utf8_get_char (s->str);

          if (!is_leading_junk (c))
            break;
          /* "…"@x.com is a quoted local part, not a stray quote. */
          if (c == '"')
            {
              const char *end = quoted_end (s->str);

              if (end != NULL && end[1] == '@')
                break;
            }
          g_string_erase (s, 0, g_utf8_next_char (s->str) - s->str);
        }

      changed = s->len != before;
    }
  while (changed && s->len > 0);

  /* Spaces around the @: "john @ x.com". */
  {
    char *at = strrchr (s->str, '@');

    if (at != NULL)
      {
        gsize pos = at - s->str;
        gsize end = pos + 1;

        while (end < s->len && s->str[end] == ' ')
          end++;
        g_string_erase (s, pos + 1, end - pos - 1);
        while (pos > 0 && s->str[pos - 1] == ' ')
          {
            g_string_erase (s, pos - 1, 1);
            pos--;
          }
      }
  }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* A non-ASCII character that may appear in an SMTPUTF8 local part: a
 * letter, digit, mark or symbol, never a space, control, private-use or
 * unassigned code point. */
static gboolean
unicode_allowed (gunichar c,
                 gboolean first)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return !first;
    default:
      return !g_unichar_isspace (c);
    }
}

/* A compatibility form of an ASCII character that is not allowed in a
 * dot-atom (the full-width semicolon in "me.；@x"): NFKC would turn it
 * into that character. */
static gboolean
disguised_ascii (gunichar c)
{
  char buf[8];
  g_autofree char *folded = NULL;
  int n = g_unichar_to_utf8 (c, buf);

  buf[n] = '\0';
  folded = g_utf8_normalize (buf, -1, G_NORMALIZE_NFKC);
  return folded != NULL && folded[0] != '\0' && folded[1] == '\0' &&
         (guchar) folded[0] < 0x80 && !is_atext (folded[0]);
}

/* Dot-atom local part (RFC 5322 3.2.3), with UTF-8 (RFC 6531). */
static gboolean
parse_dot_atom (const char *local,
                gboolean   *utf8)
{
  gboolean at_start = TRUE;
  const char *p;

  if (*local == '\0')
    return FALSE;
  for (p = local; *p != '\0';)
    {
      guchar c = *p;

      if (c == '.')
        {
          if (at_start)
            return FALSE;
          at_start = TRUE;
          p++;
          continue;
        }
      if (c >= 0x80)
        {
          gunichar u = g_utf8_get_char_validated (p, -1);

          if (u == (gunichar) -1 || u == (gunichar) -2 || !unicode_allowed (u, at_start) ||
              disguised_ascii (u))
            return FALSE;
          *utf8 = TRUE;
          p = g_utf8_next_char (p);
        }
      else if (is_atext (c))
        p++;
      else
        return FALSE;
      at_start = FALSE;
    }
  return !at_start;
}

/* Quoted local part (RFC 5321 4.1.2 Quoted-string). Returns the unescaped
 * content, or NULL. */
static char *
parse_quoted (const char *local,
              gboolean   *utf8)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = local + 1;
  gsize len = strlen (local);

  if (len < 2 || local[0] != '"' || local[len - 1] != '"')
    return NULL;

  while (p < local + len - 1)
    {
      guchar c = *p;

      if (c == '\\')
        {
          guchar n = p[1];

          if (p + 1 >= local + len - 1 || n < 32 || n > 126)
            return NULL;
          g_string_append_c (out, n);
          p += 2;
        }
      else if (c == '"')
        return NULL;
      else if (c >= 0x80)
        {
          gunichar u = g_utf8_get_char_validated ((const char *) p, -1);

          if (u == (gunichar) -1 || u == (gunichar) -2 || !unicode_allowed (u, FALSE))
            return NULL;
          *utf8 = TRUE;
          g_string_append_unichar (out, u);
          p = g_utf8_next_char (p);
        }
      else if (c >= 32 && c <= 126)
        {
          g_string_append_c (out, c);
          p++;
        }
      else
        return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
quote_local (const char *content)
{
  GString *s = g_string_new ("\"");

  for (const char *p = content; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

/* LDH labels of an ASCII domain (RFC 1035 2.3.1, RFC 5321 4.1.2). */
static gboolean
ascii_domain_ok (const char *domain)
{
  gsize label = 0;
  char prev = '.';

  if (*domain == '\0' || strlen (domain) > MAX_DOMAIN)
    return FALSE;
  for (const char *p = domain; ; p++)
    {
      char c = *p;

      if (c == '.' || c == '\0')
        {
          const char *start = p - label;

          if (label == 0 || label > MAX_LABEL || prev == '-')
            return FALSE;
          /* "ab--c": reserved for IDNA; only "xn--" may use it (RFC 5891 4.2.3.1). */
          if (label >= 4 && start[2] == '-' && start[3] == '-' &&
              g_ascii_strncasecmp (start, "xn", 2) != 0)
            return FALSE;
          if (c == '\0')
            return TRUE;
          label = 0;
        }
      else if (g_ascii_isalnum (c) || (c == '-' && label > 0))
        label++;
      else
        return FALSE;
      prev = c;
    }
}

/* g_utf8_strdown() without its Unicode tables for plain ASCII, as most
 * domains are. ASCII lower-cases the same in every locale but one way:
 * in Turkish and Azeri a capital I becomes a dotless ı. A string with
 * one takes the general path. */
char *
_ob_address_strdown (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || *p == 'I')
      return g_utf8_strdown (text, -1);
  return g_ascii_strdown (text, -1);
}

/* Turns @domain (as typed, already normalised) into its lower-case ASCII
 * (A-label) form and its Unicode form; *@unicode_out is NULL when that is
 * the ASCII form (a plain ASCII domain). FALSE when it cannot be a host
 * name. */
static gboolean
convert_domain (const char  *domain,
                char       **ascii_out,
                char       **unicode_out,
                gboolean    *idn)
{
  g_autofree char *lower = _ob_address_strdown (domain);
  gboolean has_alabel = FALSE;
  gboolean non_ascii = FALSE;
  char *ascii = NULL;
  char *unicode = NULL;
  int rc;

  for (const char *p = lower; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      non_ascii = TRUE;
  has_alabel = g_str_has_prefix (lower, "xn--") || strstr (lower, ".xn--") != NULL;

  if (!non_ascii && !has_alabel)
    {
      if (!ascii_domain_ok (lower))
        return FALSE;
      *ascii_out = g_steal_pointer (&lower);
      *unicode_out = NULL;
      *idn = FALSE;
      return TRUE;
    }

  rc = idn2_to_ascii_8z (lower, &ascii, IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK)
    return FALSE;
  if (!ascii_domain_ok (ascii))
    {
      idn2_free (ascii);
      return FALSE;
    }
  rc = idn2_to_unicode_8z8z (ascii, &unicode, 0);
  if (rc != IDN2_OK)
    {
      idn2_free (ascii);
      return FALSE;
    }

  *ascii_out = g_ascii_strdown (ascii, -1);
  *unicode_out = g_utf8_strdown (unicode, -1);
  *idn = strstr (*ascii_out, "xn--") != NULL;
  idn2_free (ascii);
  idn2_free (unicode);
  return TRUE;
}

/* What is known about a domain from the lists alone. Lists repeat
 * domains (a company's buyers, everybody at gmail.com), so this is
 * remembered per domain; the cache is bounded and shared by threads. */
typedef struct
{
  guint  reserved : 1;
  guint  no_domain : 1;   /* no delegated TLD, a bare TLD, or a public suffix itself */
  guint  free : 1;
  guint  disposable : 1;
  guint  suggested_free : 1;
  char  *suggested;       /* A-labels */
  char  *suggested_shown; /* Unicode */
} DomainInfo;

#define DOMAIN_CACHE_MAX 262144

/* A cached domain: its name, the key of the cache, is in the same block. */
typedef struct
{
  DomainInfo info;
  char       name[];
} DomainEntry;

static void
domain_entry_free (gpointer data)
{
  DomainEntry *entry = data;

  g_free (entry->info.suggested);
  g_free (entry->info.suggested_shown);
  g_free (entry);
}

static DomainEntry *
analyse_domain (const char *ascii)
{
  gsize len = strlen (ascii);
  DomainEntry *entry = g_malloc0 (sizeof (DomainEntry) + len + 1);
  DomainInfo *info = &entry->info;
  const char *suffix;

  memcpy (entry->name, ascii, len + 1);

  info->reserved = _ob_address_is_reserved (ascii);
  if (info->reserved)
    return entry;

  suffix = _ob_address_public_suffix (ascii);
  info->no_domain = suffix == NULL || suffix == ascii;
  info->free = _ob_address_is_free_provider (ascii);
  info->disposable = _ob_address_is_disposable (ascii);
  info->suggested = _ob_address_suggest_domain (ascii);
  if (info->suggested != NULL)
    {
      char *shown = NULL;

      if (idn2_to_unicode_8z8z (info->suggested, &shown, 0) == IDN2_OK)
        {
          info->suggested_shown = g_strdup (shown);
          idn2_free (shown);
        }
      else
        info->suggested_shown = g_strdup (info->suggested);
      info->suggested_free = _ob_address_is_free_provider (info->suggested);
    }
  return entry;
}

/* Copies what is known about @ascii into @out (free with
 * domain_info_clear()); the copy is made under the lock, so another
 * thread emptying a full cache cannot pull it away. */
static void
domain_info (const char *ascii,
             DomainInfo *out)
{
  static GMutex lock;
  static GHashTable *cache;
  DomainEntry *entry;
  const DomainInfo *info;

  g_mutex_lock (&lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, domain_entry_free);
  entry = g_hash_table_lookup (cache, ascii);
  if (entry == NULL)
    {
      if (g_hash_table_size (cache) >= DOMAIN_CACHE_MAX)
        g_hash_table_remove_all (cache);
      entry = analyse_domain (ascii);
      g_hash_table_insert (cache, entry->name, entry);
    }
  info = &entry->info;
  *out = *info;
  out->suggested = g_strdup (info->suggested);
  out->suggested_shown = g_strdup (info->suggested_shown);
  g_mutex_unlock (&lock);
}

static void
domain_info_clear (DomainInfo *info)
{
  g_clear_pointer (&info->suggested, g_free);
  g_clear_pointer (&info->suggested_shown, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DomainInfo, domain_info_clear)

static void
check_domain (ObAddressCheck      *self,
              const char          *raw_domain,
              ObAddressCheckFlags  flags)
{
  g_autofree char *ascii = NULL;
  g_autofree char *unicode = NULL;
  g_autofree char *suggested = NULL;
  g_auto(DomainInfo) info_copy = { 0 };
  const DomainInfo *info = &info_copy;
  gboolean idn = FALSE;

  if (!convert_domain (raw_domain, &ascii, &unicode, &idn))
    {
      /* Keep what was typed, lower-cased, so the user sees it. */
      self->domain = _ob_address_strdown (raw_domain);
      self->reasons |= OB_ADDRESS_REASON_SYNTAX;
      if (*raw_domain != '\0' && !(flags & OB_ADDRESS_CHECK_NO_SUGGEST) &&
          g_str_is_ascii (self->domain))
        suggested = _ob_address_suggest_domain (self->domain);
      if (suggested != NULL)
        {
          self->reasons |= OB_ADDRESS_REASON_TYPO_DOMAIN;
          self->suggestion = g_strconcat (self->local, "@", suggested, NULL);
        }
      return;
    }

  /* A plain ASCII domain is its own Unicode form: one string for both. */
  self->ascii_domain = g_steal_pointer (&ascii);
  self->domain = unicode != NULL ? g_steal_pointer (&unicode) : self->ascii_domain;
  if (idn)
    self->flags |= OB_ADDRESS_FLAG_IDN;

  domain_info (self->ascii_domain, &info_copy);

  if (info->reserved)
    {
      self->reasons |= OB_ADDRESS_REASON_RESERVED_DOMAIN;
      return;
    }

  if (info->suggested != NULL && !(flags & OB_ADDRESS_CHECK_NO_SUGGEST))
    {
      self->suggestion = g_strconcat (self->local, "@", info->suggested_shown, NULL);
      self->reasons |= OB_ADDRESS_REASON_TYPO_DOMAIN;
      if (info->suggested_free)
        self->flags |= OB_ADDRESS_FLAG_FREE_PROVIDER;
    }
  else if (info->no_domain)
    self->reasons |= OB_ADDRESS_REASON_NO_DOMAIN;

  if (info->free)
    self->flags |= OB_ADDRESS_FLAG_FREE_PROVIDER;
  /* Typo-squatters of providers (gmial.com) are on the disposable list
   * too; the typo is what the user can fix. */
  if (info->suggested == NULL && info->disposable)
    self->reasons |= OB_ADDRESS_REASON_DISPOSABLE;
}

/**
 * ob_address_check:
 * @input: an address as typed or imported
 * @flags: #ObAddressCheckFlags
 *
 * Normalises @input (unless %OB_ADDRESS_CHECK_STRICT) and checks it
 * offline: syntax, IDN, reserved domains, typo suggestions, disposable
 * domains, role local parts and free providers.
 */
ObAddressCheck *
ob_address_check (const char          *input,
                  ObAddressCheckFlags  flags)
{
  g_autoptr(ObAddressCheck) self = g_new0 (ObAddressCheck, 1);
  g_autofree char *text = NULL;
  g_autofree char *raw_local = NULL;
  const char *at;
  gboolean utf8 = FALSE;

  g_atomic_ref_count_init (&self->ref_count);
  /* Bytes that are not UTF-8 are replaced for display; the address as
   * given cannot be used. */
  if (input == NULL)
    self->input = g_strdup ("");
  else if (g_utf8_validate (input, -1, NULL))
    self->input = g_strdup (input);
  else
    {
      self->input = g_utf8_make_valid (input, -1);
      self->reasons |= OB_ADDRESS_REASON_SYNTAX;
    }

  if (flags & OB_ADDRESS_CHECK_STRICT)
    text = g_strdup (self->input);
  else
    text = ob_address_normalize (self->input);

  /* Where the local part ends: after its closing quote, or at the first @. */
  if (text[0] == '"' && quoted_end (text) != NULL && quoted_end (text)[1] == '@')
    at = quoted_end (text) + 1;
  else
    at = strchr (text, '@');

  if (at == NULL || at == text || at[1] == '\0')
    {
      self->reasons |= OB_ADDRESS_REASON_SYNTAX;
      update_verdict (self);
      return g_steal_pointer (&self);
    }

  raw_local = g_strndup (text, at - text);
  if (raw_local[0] == '"')
    {
      g_autofree char *content = parse_quoted (raw_local, &utf8);

      if (content == NULL)
        self->reasons |= OB_ADDRESS_REASON_SYNTAX;
      else if (*content != '\0' && parse_dot_atom (content, &utf8))
        /* "de-quoted.local.part"@x: the quotes add nothing. */
        self->local = g_steal_pointer (&content);
      else
        {
          self->local = quote_local (content);
          self->flags |= OB_ADDRESS_FLAG_QUOTED;
          if (*content == '\0')
            self->reasons |= OB_ADDRESS_REASON_SYNTAX;
        }
    }
  else if (!parse_dot_atom (raw_local, &utf8))
    self->reasons |= OB_ADDRESS_REASON_SYNTAX;

  if (self->local == NULL)
    self->local = g_steal_pointer (&raw_local);
  if (utf8)
    self->flags |= OB_ADDRESS_FLAG_SMTPUTF8;
  if (strlen (self->local) > MAX_LOCAL || at - text > MAX_LOCAL)
    self->reasons |= OB_ADDRESS_REASON_SYNTAX;

  /* One @ only: another one in the domain is a syntax error. */
  check_domain (self, at + 1, flags);

  if (self->ascii_domain != NULL)
    {
      self->ascii_address = g_strconcat (self->local, "@", self->ascii_domain, NULL);
      if (strlen (self->ascii_address) > MAX_ADDRESS)
        self->reasons |= OB_ADDRESS_REASON_SYNTAX;
      else if (!strchr (self->ascii_domain, '.') &&
               !(self->reasons & OB_ADDRESS_REASON_RESERVED_DOMAIN))
        self->reasons |= OB_ADDRESS_REASON_NO_DOMAIN;
    }
  if (self->ascii_address != NULL && self->domain == self->ascii_domain)
    self->address = self->ascii_address;
  else
    self->address = g_strconcat (self->local, "@", self->domain, NULL);

  if (!(self->flags & OB_ADDRESS_FLAG_QUOTED) && _ob_address_is_role (self->local))
    self->flags |= OB_ADDRESS_FLAG_ROLE;

  update_verdict (self);
  return g_steal_pointer (&self);
}

ObAddressCheck *
ob_address_check_ref (ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ob_address_check_unref (ObAddressCheck *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->input);
      /* The Unicode forms may be the ASCII ones (see check_domain()). */
      if (self->address != self->ascii_address)
        g_free (self->address);
      g_free (self->ascii_address);
      g_free (self->local);
      if (self->domain != self->ascii_domain)
        g_free (self->domain);
      g_free (self->ascii_domain);
      g_free (self->suggestion);
      g_free (self);
    }
}

const char *
ob_address_check_get_input (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->input;
}

/* The normalised address (domain in Unicode), or NULL when none can be made. */
const char *
ob_address_check_get_address (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->address;
}

/* The form to send to: domain in A-labels. NULL when the domain is unusable. */
const char *
ob_address_check_get_ascii_address (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ascii_address;
}

const char *
ob_address_check_get_local (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->local;
}

const char *
ob_address_check_get_domain (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->domain;
}

const char *
ob_address_check_get_ascii_domain (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ascii_domain;
}

const char *
ob_address_check_get_suggestion (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->suggestion;
}

ObAddressVerdict
ob_address_check_get_verdict (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, OB_ADDRESS_VERDICT_INVALID);
  return self->verdict;
}

guint
ob_address_check_get_reasons (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->reasons;
}

guint
ob_address_check_get_flags (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->flags;
}

gboolean
ob_address_check_has_reason (const ObAddressCheck *self,
                             ObAddressReason       reason)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return (self->reasons & reason) != 0;
}

gboolean
ob_address_check_has_flag (const ObAddressCheck *self,
                           ObAddressFlag         flag)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return (self->flags & flag) != 0;
}

void
ob_address_check_add_reason (ObAddressCheck  *self,
                             ObAddressReason  reason)
{
  g_return_if_fail (self != NULL);
  self->reasons |= reason;
  update_verdict (self);
}

/* The duplicate key: the local part as typed (mailbox names may be
 * case-sensitive), the domain lower-cased in A-labels. NULL when the
 * address has no usable domain. */
char *
ob_address_check_dup_key (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->local == NULL)
    return NULL;
  /* The importer takes the ASCII address as the key without a copy. */
  if (self->ascii_address != NULL)
    return g_strdup (self->ascii_address);
  if (self->domain != NULL)
    return g_strconcat (self->local, "@", self->domain, NULL);
  return NULL;
}

char *
ob_address_dedup_key (const char *input)
{
  g_autoptr(ObAddressCheck) check = ob_address_check (input, OB_ADDRESS_CHECK_NO_SUGGEST);

  return ob_address_check_dup_key (check);
}

static GStrv
ids_of (guint               bits,
        const char * const *ids,
        guint               n)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    if (bits & (1u << i))
      g_strv_builder_add (b, ids[i]);
  return g_strv_builder_end (b);
}

GStrv
ob_address_check_dup_reason_ids (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ids_of (self->reasons, reason_ids, OB_ADDRESS_N_REASONS);
}

GStrv
ob_address_check_dup_flag_ids (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ids_of (self->flags, flag_ids, OB_ADDRESS_N_FLAGS);
}

static char *
ids_joined (guint               bits,
            const char * const *ids,
            guint               n)
{
  GString *out;

  if (bits == 0)
    return g_strdup ("");
  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    if (bits & (1u << i))
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append (out, ids[i]);
      }
  return g_string_free (out, FALSE);
}

char *
ob_address_check_dup_reasons_joined (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ids_joined (self->reasons, reason_ids, OB_ADDRESS_N_REASONS);
}

char *
ob_address_check_dup_flags_joined (const ObAddressCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return ids_joined (self->flags, flag_ids, OB_ADDRESS_N_FLAGS);
}

/* Reason bits → "typo-domain,no-mx", as stored in contacts.reasons. */
char *
ob_address_reasons_to_string (guint reasons)
{
  g_auto(GStrv) ids = ids_of (reasons, reason_ids, OB_ADDRESS_N_REASONS);

  return g_strjoinv (",", ids);
}
