/* ob-bounce-profiles.c — the reporting systems and mailbox providers whose
 * own wording decides a bounce's reason: Exchange's MSEXCH codes, QQ's
 * "Mailbox not found" about a QQ mailbox, Orange's LPN numbers…
 *
 * The profiles live in data/profiles.txt (its header is the format); this
 * file reads them once and answers one question: does a profile that fits
 * this bounce know what its words mean?
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <string.h>

#include "ob-bounce-profiles.h"
#include "ob-bounce-rules.h"
#include "ob-bounces-resources.h"

#define PROFILES_PATH "/io/github/outboundapp/Outbound/bounces/data/profiles.txt"

typedef enum
{
  WHEN_HEADER,
  WHEN_HEADER_PREFIX,
  WHEN_HEADER_CONTAINS,
  WHEN_FROM_PREFIX,
  WHEN_FROM_DOMAIN,
  WHEN_SUBJECT_PREFIX,
  WHEN_SUBJECT_CONTAINS,
  WHEN_DOMAIN,
  WHEN_REMOTE_MTA,
} WhenKind;

static const struct { const char *word; WhenKind kind; gboolean has_header; } when_words[] = {
  { "header", WHEN_HEADER, TRUE },
  { "header-prefix", WHEN_HEADER_PREFIX, TRUE },
  { "header-contains", WHEN_HEADER_CONTAINS, TRUE },
  { "from-prefix", WHEN_FROM_PREFIX, FALSE },
  { "from-domain", WHEN_FROM_DOMAIN, FALSE },
  { "subject-prefix", WHEN_SUBJECT_PREFIX, FALSE },
  { "subject-contains", WHEN_SUBJECT_CONTAINS, FALSE },
  { "domain", WHEN_DOMAIN, FALSE },
  { "remote-mta", WHEN_REMOTE_MTA, FALSE },
};

typedef struct
{
  WhenKind  kind;
  char     *header; /* for the header kinds */
  char     *text;
} When;

typedef struct
{
  ObBounceReason  reason;
  char           *phrase; /* normalised */
  char           *rule;   /* "profile:<name>:<phrase>" */
} Meaning;

typedef struct
{
  char   *name;
  GArray *whens;    /* When */
  GArray *meanings; /* Meaning, in file order */
} Profile;

static void
parse_when (Profile    *profile,
            const char *spec,
            guint       number)
{
  const char *space = strchr (spec, ' ');
  g_autofree char *word = space ? g_strndup (spec, space - spec) : g_strdup (spec);
  const char *rest = space ? space + 1 : "";
  When when = { 0 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (when_words); i++)
    if (g_str_equal (word, when_words[i].word))
      break;
  if (i == G_N_ELEMENTS (when_words))
    g_error ("profiles.txt:%u: unknown condition \"%s\"", number, word);

  when.kind = when_words[i].kind;
  if (when_words[i].has_header)
    {
      const char *sep = strchr (rest, ' ');

      when.header = sep ? g_strndup (rest, sep - rest) : g_strdup (rest);
      rest = sep ? sep + 1 : "";
      if (when.header[0] == '\0' || (when.kind != WHEN_HEADER && rest[0] == '\0'))
        g_error ("profiles.txt:%u: expected a header name and a text", number);
    }
  else if (rest[0] == '\0')
    g_error ("profiles.txt:%u: \"%s\" needs a text", number, word);
  when.text = g_strdup (rest);
  g_array_append_val (profile->whens, when);
}

static GPtrArray *
load_profiles (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *profiles = g_ptr_array_new ();
  Profile *profile = NULL;

  bytes = g_resource_lookup_data (ob_bounces_get_resource (), PROFILES_PATH, 0, &error);
  if (bytes == NULL)
    g_error ("The bounce profiles are missing from the resources: %s", error->message);

  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* Only the line end goes: "when subject-prefix Undeliverable Mail "
       * keeps its trailing space. */
      char *line = lines[i];
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0 || line[0] == '#')
        continue;

      if (line[0] == '[')
        {
          if (line[len - 1] != ']')
            g_error ("profiles.txt:%u: expected [name]", i + 1);
          profile = g_new0 (Profile, 1);
          profile->name = g_strndup (line + 1, len - 2);
          profile->whens = g_array_new (FALSE, TRUE, sizeof (When));
          profile->meanings = g_array_new (FALSE, TRUE, sizeof (Meaning));
          g_ptr_array_add (profiles, profile);
        }
      else if (profile == NULL)
        g_error ("profiles.txt:%u: a rule outside any [profile]", i + 1);
      else if (g_str_has_prefix (line, "when "))
        parse_when (profile, line + 5, i + 1);
      else
        {
          const char *tab = strchr (line, '\t');
          g_autofree char *name = tab ? g_strndup (line, tab - line) : NULL;
          Meaning meaning = { 0 };

          if (name == NULL || !ob_bounce_reason_from_string (name, &meaning.reason))
            g_error ("profiles.txt:%u: expected REASON<TAB>PHRASE", i + 1);
          meaning.phrase = ob_bounce_normalize_text (tab + 1);
          if (meaning.phrase[0] == '\0')
            g_error ("profiles.txt:%u: empty phrase", i + 1);
          meaning.rule = g_strconcat ("profile:", profile->name, ":", meaning.phrase, NULL);
          g_array_append_val (profile->meanings, meaning);
        }
    }
  for (guint i = 0; i < profiles->len; i++)
    {
      Profile *p = g_ptr_array_index (profiles, i);

      if (p->whens->len == 0 || p->meanings->len == 0)
        g_error ("profiles.txt: [%s] needs at least one \"when\" and one phrase", p->name);
    }
  return profiles;
}

/* Loaded once, kept for the life of the process. */
static GPtrArray *
get_profiles (void)
{
  static GPtrArray *profiles = NULL;

  if (g_once_init_enter (&profiles))
    g_once_init_leave (&profiles, load_profiles ());
  return profiles;
}

/* TRUE when @host is @domain or one of its subdomains. */
gboolean
ob_bounce_host_in_domain (const char *host,
                          const char *domain)
{
  gsize hl, dl;

  if (host == NULL)
    return FALSE;
  hl = strlen (host);
  dl = strlen (domain);
  if (hl < dl || g_ascii_strcasecmp (host + hl - dl, domain) != 0)
    return FALSE;
  return hl == dl || host[hl - dl - 1] == '.';
}

/* The domain of the first address in @text ("QQ Mail <MAILER-DAEMON@qq.com>"
 * → "qq.com"), pointing into @text up to the first character that cannot
 * be in a host name; copied into @out. */
static const char *
address_domain (const char *text,
                char       *out,
                gsize       size)
{
  const char *at = text ? strchr (text, '@') : NULL;
  gsize n = 0;

  if (at == NULL)
    return NULL;
  for (const char *p = at + 1; *p && n + 1 < size && (g_ascii_isalnum (*p) || *p == '.' || *p == '-'); p++)
    out[n++] = *p;
  out[n] = '\0';
  return n > 0 ? out : NULL;
}

static gboolean
has_prefix_nocase (const char *text,
                   const char *prefix)
{
  return text != NULL && g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

static gboolean
header_holds (GMimeObject *headers,
              const char  *name,
              const char  *text)
{
  GMimeHeaderList *list = g_mime_object_get_header_list (headers);
  int count = g_mime_header_list_get_count (list);

  for (int i = 0; i < count; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (list, i);
      const char *value;

      if (g_ascii_strcasecmp (g_mime_header_get_name (header), name) != 0)
        continue;
      value = g_mime_header_get_value (header);
      if (value != NULL && strstr (value, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
when_holds (const When           *when,
            const ObBounceOrigin *origin)
{
  char domain[256];
  const char *subject = origin->headers ? g_mime_object_get_header (origin->headers, "Subject") : NULL;

  switch (when->kind)
    {
    case WHEN_HEADER:
      return origin->headers != NULL && g_mime_object_get_header (origin->headers, when->header) != NULL;
    case WHEN_HEADER_PREFIX:
      return origin->headers != NULL &&
             has_prefix_nocase (g_mime_object_get_header (origin->headers, when->header), when->text);
    case WHEN_HEADER_CONTAINS:
      return origin->headers != NULL && header_holds (origin->headers, when->header, when->text);
    case WHEN_FROM_PREFIX:
      return has_prefix_nocase (origin->reporter, when->text);
    case WHEN_FROM_DOMAIN:
      return ob_bounce_host_in_domain (address_domain (origin->reporter, domain, sizeof domain), when->text);
    case WHEN_SUBJECT_PREFIX:
      return has_prefix_nocase (subject, when->text);
    case WHEN_SUBJECT_CONTAINS:
      return subject != NULL && strstr (subject, when->text) != NULL;
    case WHEN_DOMAIN:
      return ob_bounce_host_in_domain (address_domain (origin->recipient, domain, sizeof domain), when->text);
    case WHEN_REMOTE_MTA:
      return origin->remote_mta != NULL && strlen (origin->remote_mta) >= strlen (when->text) &&
             g_ascii_strcasecmp (origin->remote_mta + strlen (origin->remote_mta) - strlen (when->text),
                                 when->text) == 0;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
profile_fits (const Profile        *profile,
              const ObBounceOrigin *origin)
{
  for (guint i = 0; i < profile->whens->len; i++)
    if (when_holds (&g_array_index (profile->whens, When, i), origin))
      return TRUE;
  return FALSE;
}

/* The reason a profile that fits @origin gives the words of the bounce:
 * @diagnostic (the server's reply) first, then @context (the rest of the
 * report's text). FALSE when no profile fits or none of the fitting ones
 * knows the words. The texts are normalised only when a profile fits. */
gboolean
ob_bounce_profile_decide (const ObBounceOrigin  *origin,
                          const char            *diagnostic,
                          const char            *context,
                          ObBounceReason        *reason,
                          const char           **rule)
{
  GPtrArray *profiles = get_profiles ();
  g_autofree char *norm_diagnostic = NULL;
  g_autofree char *norm_context = NULL;

  g_return_val_if_fail (origin != NULL, FALSE);

  for (guint i = 0; i < profiles->len; i++)
    {
      const Profile *profile = g_ptr_array_index (profiles, i);

      if (!profile_fits (profile, origin))
        continue;
      if (norm_diagnostic == NULL)
        {
          norm_diagnostic = ob_bounce_normalize_text (diagnostic);
          norm_context = ob_bounce_normalize_text (context);
        }
      for (guint t = 0; t < 2; t++)
        {
          const char *text = t == 0 ? norm_diagnostic : norm_context;

          for (guint m = 0; m < profile->meanings->len && text[0] != '\0'; m++)
            {
              const Meaning *meaning = &g_array_index (profile->meanings, Meaning, m);

              if (strstr (text, meaning->phrase) == NULL)
                continue;
              *reason = meaning->reason;
              *rule = meaning->rule;
              return TRUE;
            }
        }
    }
  return FALSE;
}
