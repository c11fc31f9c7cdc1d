/* ob-bounce-rules.c — SMTP reply classification: reply code, RFC 3463
 * enhanced status and the wording of the text, matched against the phrase
 * and status tables in data/ (compiled into a GResource).
 *
 * The order of evidence, first that applies wins:
 *   1. a 2.x.x status (or a 2xx code without status): delivered;
 *   2. a status marked "strong" in data/status.txt (5.2.3, 5.7.26…);
 *   3. the first phrase that matches, in the order of phrase_tables[]
 *      (providers, zh, intl, en) and of the lines in each file — except
 *      that a generic "systemerror" phrase yields to a known status;
 *   4. the status table (exact code, then "x.S.D");
 *   5. the reply code.
 * To teach it a new wording, add a line to the right table: no code.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-bounces"

#include "config.h"

#include <string.h>

#include "ob-bounce-rules.h"
#include "ob-bounces-resources.h"

#define RESOURCE_DIR "/io/github/outboundapp/Outbound/bounces/data/"
/* How much text a "*" in a phrase may stand for. */
#define WILDCARD_SPAN 60

typedef struct
{
  ObBounceReason   reason;
  char           **segments; /* the phrase split at "*", empty ones dropped */
  char            *rule;     /* "phrase:<table>:<phrase>" */
  guint16          keys[4];  /* hashed byte triples the text must hold */
  guint            n_keys;
} Phrase;

/* A byte triple hashed to 16 bits: a text of a few kB sets a few percent
 * of the 65536 bits, so two or more keys rule out nearly every phrase that
 * is not there before strstr() runs. */
static inline guint16
triple_hash (const char *p)
{
  guint32 v = ((guint32) (guchar) p[0] << 16) | ((guint32) (guchar) p[1] << 8) | (guchar) p[2];

  return (guint16) ((v * 2654435761u) >> 16);
}

typedef struct
{
  GArray     *phrases;  /* Phrase, in priority order */
  GHashTable *statuses; /* "5.7.1" / "x.7.1" -> "status:…" rule, reason in a parallel table */
  GHashTable *status_reasons;
  GHashTable *strong;   /* statuses that win over a phrase */
} Rules;

/* The phrase tables, in the order they are consulted. */
static const char *phrase_tables[] = { "providers", "zh", "intl", "en" };

/* Reads the lines of a table in the resource in place: no copy of the
 * table, no array of lines. */
static gboolean
next_line (const char **cursor,
           const char  *end,
           const char **line,
           gsize       *len)
{
  const char *nl;

  if (*cursor >= end)
    return FALSE;
  *line = *cursor;
  nl = memchr (*cursor, '\n', end - *cursor);
  *len = (nl ? nl : end) - *line;
  *cursor = nl ? nl + 1 : end;
  if (*len > 0 && (*line)[*len - 1] == '\r')
    (*len)--;
  return TRUE;
}

static void
load_phrases (Rules      *rules,
              const char *table)
{
  g_autofree char *path = g_strconcat (RESOURCE_DIR, table, ".txt", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *cursor, *end, *line;
  gsize size, len;
  guint number = 0;

  bytes = g_resource_lookup_data (ob_bounces_get_resource (), path, 0, &error);
  if (bytes == NULL)
    g_error ("Phrase table %s is missing from the resources: %s", path, error->message);

  cursor = g_bytes_get_data (bytes, &size);
  end = cursor + size;
  while (next_line (&cursor, end, &line, &len))
    {
      g_autofree char *name = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *phrase = NULL;
      const char *tab;
      GPtrArray *segments;
      Phrase p = { 0 };

      number++;
      if (len == 0 || line[0] == '#')
        continue;
      tab = memchr (line, '\t', len);
      name = tab ? g_strndup (line, tab - line) : NULL;
      if (name == NULL || !ob_bounce_reason_from_string (name, &p.reason))
        g_error ("%s:%u: expected REASON<TAB>PHRASE", path, number);

      raw = g_strndup (tab + 1, line + len - (tab + 1));
      phrase = ob_bounce_normalize_text (raw);
      segments = g_ptr_array_new ();
      for (const char *seg = phrase; *seg; )
        {
          const char *star = strchr (seg, '*');
          gsize n = star ? (gsize) (star - seg) : strlen (seg);

          if (n > 0)
            g_ptr_array_add (segments, g_strndup (seg, n));
          seg += n + (star ? 1 : 0);
        }
      if (segments->len == 0)
        g_error ("%s:%u: empty phrase", path, number);
      g_ptr_array_add (segments, NULL);
      p.segments = (char **) g_ptr_array_free (segments, FALSE);
      /* The first and last byte triples of the first and last segments:
       * a cheap test that rules most phrases out before any strstr(). */
      for (guint k = 0; p.segments[k] != NULL; k++)
        {
          const char *seg = p.segments[k];
          gsize seg_len = strlen (seg);

          if ((k != 0 && p.segments[k + 1] != NULL) || seg_len < 3 || p.n_keys + 2 > G_N_ELEMENTS (p.keys))
            continue;
          p.keys[p.n_keys++] = triple_hash (seg);
          if (seg_len > 3)
            p.keys[p.n_keys++] = triple_hash (seg + seg_len - 3);
        }
      p.rule = g_strconcat ("phrase:", table, ":", phrase, NULL);
      g_array_append_val (rules->phrases, p);
    }
}

static void
load_statuses (Rules *rules)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_resource_lookup_data (ob_bounces_get_resource (), RESOURCE_DIR "status.txt", 0, &error);
  if (bytes == NULL)
    g_error ("The status table is missing from the resources: %s", error->message);

  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      ObBounceReason reason;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      if (fields[1] == NULL || !ob_bounce_reason_from_string (g_strstrip (fields[1]), &reason))
        g_error ("status.txt:%u: expected STATUS<TAB>REASON", i + 1);
      if (fields[2] != NULL && g_str_equal (g_strstrip (fields[2]), "strong"))
        g_hash_table_add (rules->strong, g_strdup (fields[0]));
      if (g_hash_table_contains (rules->statuses, fields[0]))
        continue;
      g_hash_table_insert (rules->status_reasons, g_strdup (fields[0]), GINT_TO_POINTER (reason));
      g_hash_table_insert (rules->statuses, g_strdup (fields[0]),
                           g_strdup_printf ("status:%s", fields[0]));
    }
}

/* Loaded once, kept for the life of the process. */
static Rules *
get_rules (void)
{
  static Rules *rules = NULL;

  if (g_once_init_enter (&rules))
    {
      Rules *r = g_new0 (Rules, 1);

      r->phrases = g_array_new (FALSE, TRUE, sizeof (Phrase));
      r->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      r->status_reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      r->strong = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (phrase_tables); i++)
        load_phrases (r, phrase_tables[i]);
      load_statuses (r);
      g_once_init_leave (&rules, r);
    }

  return rules;
}

/* Folds every run of white space in @text into one space and trims the
 * ends, in place; lower-cases ASCII letters on the way when @lower. */
static void
fold_spaces (char     *text,
             gboolean  lower)
{
  static const char ascii_lower[256] = {
#define L(c) [c] = (c) - 'A' + 'a'
    L ('A'), L ('B'), L ('C'), L ('D'), L ('E'), L ('F'), L ('G'), L ('H'), L ('I'),
    L ('J'), L ('K'), L ('L'), L ('M'), L ('N'), L ('O'), L ('P'), L ('Q'), L ('R'),
    L ('S'), L ('T'), L ('U'), L ('V'), L ('W'), L ('X'), L ('Y'), L ('Z'),
#undef L
  };
  char *r = text, *w = text;
  gboolean space = TRUE;

  for (; *r; r++)
    {
      guchar c = (guchar) *r;

      if (c == ' ' || (c >= '\t' && c <= '\r'))
        {
          if (!space)
            *w++ = ' ';
          space = TRUE;
          continue;
        }
      *w++ = lower && ascii_lower[c] ? ascii_lower[c] : (char) c;
      space = FALSE;
    }
  if (w > text && w[-1] == ' ')
    w--;
  *w = '\0';
}

/* Lower-case (ASCII, and Unicode when the text has any), with every run of
 * white space folded into one space and the ends trimmed. One pass and one
 * allocation for ASCII text, which nearly every bounce is. */
char *
ob_bounce_normalize_text (const char *text)
{
  gsize len;
  char *out;

  if (text == NULL)
    return g_strdup ("");

  len = 0;
  for (const char *p = text; *p; p++, len++)
    if ((guchar) *p >= 0x80)
      {
        g_autofree char *valid = g_utf8_make_valid (text, -1);

        out = g_utf8_strdown (valid, -1);
        fold_spaces (out, FALSE);
        return out;
      }

  out = g_malloc (len + 1);
  memcpy (out, text, len + 1);
  fold_spaces (out, TRUE);
  return out;
}

static gboolean
match_segments (const char *start,
                char      **segments,
                gsize       bound)
{
  const char *p = start;

  if (segments[0] == NULL)
    return TRUE;

  while ((p = strstr (p, segments[0])) != NULL)
    {
      if ((gsize) (p - start) > bound)
        return FALSE;
      if (match_segments (p + strlen (segments[0]), segments + 1, WILDCARD_SPAN))
        return TRUE;
      p++;
    }
  return FALSE;
}

/* @text must be normalised (ob_bounce_normalize_text()). */
gboolean
ob_bounce_match_phrase (const char      *text,
                        ObBounceReason  *reason,
                        const char     **rule)
{
  Rules *rules = get_rules ();
  guint8 seen[65536 / 8];

  g_return_val_if_fail (text != NULL, FALSE);

  /* Which byte triples occur in the text. */
  memset (seen, 0, sizeof seen);
  for (const char *t = text; t[0] && t[1] && t[2]; t++)
    {
      guint16 h = triple_hash (t);
      seen[h >> 3] |= 1 << (h & 7);
    }

  for (guint i = 0; i < rules->phrases->len; i++)
    {
      const Phrase *p = &g_array_index (rules->phrases, Phrase, i);
      gboolean possible = TRUE;

      for (guint k = 0; k < p->n_keys && possible; k++)
        possible = (seen[p->keys[k] >> 3] & (1 << (p->keys[k] & 7))) != 0;
      if (possible && match_segments (text, p->segments, G_MAXSIZE))
        {
          if (reason != NULL)
            *reason = p->reason;
          if (rule != NULL)
            *rule = p->rule;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_boundary (const char *text,
             const char *p)
{
  return p == text || !(g_ascii_isalnum (p[-1]) || p[-1] == '.');
}

/* Reads an enhanced status "C.SSS.DDD" at @p (class 2, 4 or 5). */
static gsize
read_status (const char *p,
             char        status[16])
{
  const char *q = p;
  int n1 = 0, n2 = 0;

  if (*q != '2' && *q != '4' && *q != '5')
    return 0;
  q++;
  if (*q++ != '.')
    return 0;
  while (g_ascii_isdigit (*q) && n1 < 4)
    q++, n1++;
  if (n1 == 0 || n1 > 3 || *q++ != '.')
    return 0;
  while (g_ascii_isdigit (*q) && n2 < 4)
    q++, n2++;
  if (n2 == 0 || n2 > 3)
    return 0;
  if (g_ascii_isdigit (*q) || (*q == '.' && g_ascii_isdigit (q[1])))
    return 0;
  if (status != NULL)
    {
      memcpy (status, p, q - p);
      status[q - p] = '\0';
    }
  return q - p;
}

/* The first RFC 3463 enhanced status in @text. */
gboolean
ob_bounce_find_status (const char *text,
                       char        status[16])
{
  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p; p++)
    if ((*p == '2' || *p == '4' || *p == '5') && is_boundary (text, p) &&
        /* "550-5.1.1" continues a reply; "mxl_mta-5.5.0-3" is a version. */
        !(p > text + 1 && p[-1] == '-' && !g_ascii_isdigit (p[-2])) &&
        read_status (p, status) > 0)
      return TRUE;
  return FALSE;
}

/* TRUE when the number at @p follows "code:" or "code :". */
static gboolean
labelled_code (const char *text,
               const char *p)
{
  const char *q = p - 1; /* the colon */

  if (q > text && q[-1] == ' ')
    q--;
  return q - text >= 4 && g_ascii_strncasecmp (q - 4, "code", 4) == 0;
}

/* The first SMTP reply code in @text: three digits, first 2/4/5, followed by
 * a space, a hyphen or the end, and not part of a longer number or an IP. */
int
ob_bounce_find_reply_code (const char *text)
{
  if (text == NULL)
    return 0;

  for (const char *p = text; *p; p++)
    {
      if (!(*p == '2' || *p == '4' || *p == '5') || !is_boundary (text, p))
        continue;
      if (p > text && (p[-1] == '#' || p[-1] == ':' || p[-1] == '-' || p[-1] == '/') &&
          !(p[-1] == ':' && labelled_code (text, p)))
        continue;
      if (!g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
        continue;
      if (p[1] > '5')
        continue;
      /* "ERROR_CODE :550, …" names its number a reply code outright. */
      if (p > text && p[-1] == ':' && labelled_code (text, p) && !g_ascii_isdigit (p[3]))
        return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
      if (p[3] == ' ' || p[3] == '-' || p[3] == '\0' || p[3] == '\t' ||
          p[3] == '\r' || p[3] == '\n' || p[3] == ')' || p[3] == ']')
        {
          /* "550 5.1.1" and "550-" are the common shapes; a bare number
           * elsewhere ("in 421 days") is accepted only when followed by a
           * status or at the start of a line. */
          char st[16];
          const char *after = p + 3;

          while (*after == ' ' || *after == '-')
            after++;
          /* A 2xx is a success only where a reply stands: at the start of
           * a line or before a status ("Size (in bytes): 222" is none). */
          if (p[0] == '2' && read_status (after, st) == 0 && !(p == text || p[-1] == '\n'))
            continue;
          if (read_status (after, st) > 0 || p == text || p[-1] == '\n' || p[-1] == ' ' ||
              (guchar) p[-1] >= 0x80 ||
              p[-1] == '(' || p[-1] == '[' || p[-1] == '"' || p[-1] == '<')
            return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
        }
    }
  return 0;
}

static ObBounceReason
reason_for_status (const char  *status,
                   const char **rule,
                   gboolean    *strong)
{
  Rules *rules = get_rules ();
  char generic[16];
  gpointer value;

  *strong = FALSE;
  if (g_hash_table_lookup_extended (rules->status_reasons, status, NULL, &value))
    {
      *rule = g_hash_table_lookup (rules->statuses, status);
      *strong = g_hash_table_contains (rules->strong, status);
      return GPOINTER_TO_INT (value);
    }
  g_strlcpy (generic, status, sizeof generic);
  generic[0] = 'x';
  if (g_hash_table_lookup_extended (rules->status_reasons, generic, NULL, &value))
    {
      *rule = g_hash_table_lookup (rules->statuses, generic);
      *strong = g_hash_table_contains (rules->strong, generic);
      return GPOINTER_TO_INT (value);
    }
  return OB_BOUNCE_REASON_UNDEFINED;
}

/* TRUE when @status is one of the codes precise enough to win over the
 * wording of the text. */
gboolean
ob_bounce_status_is_strong (const char *status)
{
  const char *rule;
  gboolean strong = FALSE;

  if (status == NULL || status[0] == '\0')
    return FALSE;
  reason_for_status (status, &rule, &strong);
  return strong;
}

static ObBounceReason
reason_for_code (int          code,
                 const char **rule)
{
  static const struct { int code; ObBounceReason reason; const char *rule; } codes[] = {
    { 421, OB_BOUNCE_REASON_SYSTEMERROR, "code:421" },
    { 450, OB_BOUNCE_REASON_SYSTEMERROR, "code:450" },
    { 451, OB_BOUNCE_REASON_SYSTEMERROR, "code:451" },
    { 452, OB_BOUNCE_REASON_MAILBOXFULL, "code:452" },
    { 530, OB_BOUNCE_REASON_SECURITYERROR, "code:530" },
    { 535, OB_BOUNCE_REASON_SECURITYERROR, "code:535" },
    { 551, OB_BOUNCE_REASON_HASMOVED, "code:551" },
    { 552, OB_BOUNCE_REASON_MAILBOXFULL, "code:552" },
    { 553, OB_BOUNCE_REASON_USERUNKNOWN, "code:553" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (codes[i].code == code)
      {
        *rule = codes[i].rule;
        return codes[i].reason;
      }
  if (code >= 200 && code < 300)
    {
      *rule = "code:2xx";
      return OB_BOUNCE_REASON_DELIVERED;
    }
  if (code >= 500 && code < 600)
    {
      *rule = "code:5xx";
      return OB_BOUNCE_REASON_ONHOLD;
    }
  if (code >= 400 && code < 500)
    {
      *rule = "code:4xx";
      return OB_BOUNCE_REASON_UNDEFINED;
    }
  *rule = "none";
  return OB_BOUNCE_REASON_UNDEFINED;
}

/* TRUE when the word just before "does not exist" is a host name (dots,
 * no "@"), as in "553 mx.example.com does not exist". */
static gboolean
host_does_not_exist (const char *norm)
{
  static const char *phrases[] = { " does not exist", " doesn't exist" };

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    for (const char *hit = strstr (norm, phrases[i]); hit != NULL; hit = strstr (hit + 1, phrases[i]))
      {
        const char *start = hit;
        gboolean dot = FALSE, at = FALSE;

        while (start > norm && start[-1] != ' ' && start[-1] != '<' && start[-1] != '(')
          start--;
        if (hit - start < 4)
          continue;
        for (const char *p = start; p < hit; p++)
          {
            if (*p == '.')
              dot = TRUE;
            else if (*p == '@')
              at = TRUE;
            else if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '>' || *p == ':' || *p == '['))
              {
                dot = FALSE;
                break;
              }
          }
        /* "mailbox john.doe does not exist" names a mailbox. */
        if (dot && !at && start - norm >= 2)
          {
            static const char *mailbox_words[] = { "mailbox ", "user ", "account ", "recipient ", "address ", "mail " };
            for (guint k = 0; k < G_N_ELEMENTS (mailbox_words); k++)
              {
                gsize n = strlen (mailbox_words[k]);
                if ((gsize) (start - norm) >= n && strncmp (start - n, mailbox_words[k], n) == 0)
                  dot = FALSE;
              }
          }
        if (dot && !at)
          return TRUE;
      }
  return FALSE;
}

/* Multi-line replies repeat "550-5.7.1 " at the start of every line; once
 * the lines are joined those prefixes split phrases apart, so they go. */
static char *
strip_reply_prefixes (char *text)
{
  char *r = text, *w = text;

  while (*r)
    {
      if ((r == text || r[-1] == ' ') && r[0] >= '2' && r[0] <= '5' && g_ascii_isdigit (r[1]) &&
          g_ascii_isdigit (r[2]) && (r[3] == '-' || r[3] == ' '))
        {
          const char *q = r + 4;
          gsize n = read_status (q, NULL);

          if (n > 0 && (q[n] == ' ' || q[n] == '\0'))
            {
              r = (char *) q + n + (q[n] == ' ' ? 1 : 0);
              continue;
            }
          if (r[3] == '-')
            {
              r += 4;
              continue;
            }
        }
      *w++ = *r++;
    }
  *w = '\0';
  return text;
}

static void
finish_verdict (ObBounceVerdict *verdict)
{
  gboolean permanent = TRUE;

  if (verdict->status[0] == '4' || (verdict->status[0] == '\0' && verdict->reply_code / 100 == 4))
    permanent = FALSE;
  verdict->kind = ob_bounce_reason_get_kind (verdict->reason, permanent);
  verdict->action = ob_bounce_reason_get_action (verdict->reason, permanent);
}

/* Classifies a reply: @reply_code (0 when unknown), @status ("5.1.1", or
 * NULL/"" to look for one in @text) and the text. */
void
ob_bounce_classify (int              reply_code,
                    const char      *status,
                    const char      *text,
                    ObBounceVerdict *verdict)
{
  g_autofree char *norm = NULL;
  const char *rule = NULL;
  const char *status_rule = NULL;
  ObBounceReason reason;
  ObBounceReason status_reason = OB_BOUNCE_REASON_UNDEFINED;
  gboolean strong = FALSE;

  g_return_if_fail (verdict != NULL);

  memset (verdict, 0, sizeof *verdict);
  verdict->reply_code = reply_code > 0 ? reply_code : ob_bounce_find_reply_code (text);
  if (status != NULL && status[0] != '\0' && read_status (status, verdict->status) == 0)
    verdict->status[0] = '\0';
  if (verdict->status[0] == '\0' && text != NULL)
    ob_bounce_find_status (text, verdict->status);

  norm = strip_reply_prefixes (ob_bounce_normalize_text (text));
  if (verdict->status[0] != '\0')
    status_reason = reason_for_status (verdict->status, &status_rule, &strong);
  if (verdict->status[0] == '2' || (verdict->status[0] == '\0' && verdict->reply_code / 100 == 2))
    {
      reason = OB_BOUNCE_REASON_DELIVERED;
      rule = verdict->status[0] ? "status:2.x.x" : "code:2xx";
    }
  else if (strong)
    {
      reason = status_reason;
      rule = status_rule;
    }
  else if (ob_bounce_match_phrase (norm, &reason, &rule))
    {
      /* "553 mx.example.com does not exist": a host, not a mailbox. */
      if (reason == OB_BOUNCE_REASON_USERUNKNOWN && host_does_not_exist (norm))
        {
          reason = OB_BOUNCE_REASON_HOSTUNKNOWN;
          rule = "phrase:host-does-not-exist";
        }
      /* "Service unavailable", "try again later": words every server
       * uses; a precise status code says more. */
      if (reason == OB_BOUNCE_REASON_SYSTEMERROR && status_reason != OB_BOUNCE_REASON_UNDEFINED &&
          !g_str_has_suffix (verdict->status, ".0"))
        {
          reason = status_reason;
          rule = status_rule;
        }
    }
  else if (status_reason != OB_BOUNCE_REASON_UNDEFINED)
    {
      reason = status_reason;
      rule = status_rule;
    }
  else
    {
      reason = reason_for_code (verdict->reply_code, &rule);
      /* "450 4.0.0 Temporary failure": nothing precise to act on. */
      if (reason == OB_BOUNCE_REASON_SYSTEMERROR && g_str_has_suffix (verdict->status, ".0.0"))
        {
          reason = OB_BOUNCE_REASON_ONHOLD;
          rule = "status:x.0.0";
        }
    }

  verdict->reason = reason;
  verdict->rule = rule;
  finish_verdict (verdict);
}

/* Classifies a reply as a client receives it: "550 5.1.1 <a@b>: User
 * unknown", possibly multi-line ("550-5.1.1 …\r\n550 5.1.1 …"). Returns
 * FALSE when @line does not start with a reply code. */
gboolean
ob_bounce_classify_reply_line (const char      *line,
                               ObBounceVerdict *verdict)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  char status[16] = "";
  int code = 0;

  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);

  while (g_ascii_isspace (*line))
    line++;
  if (!(line[0] >= '2' && line[0] <= '5') || !g_ascii_isdigit (line[1]) ||
      !g_ascii_isdigit (line[2]) || !(line[3] == '\0' || line[3] == ' ' || line[3] == '-'))
    {
      memset (verdict, 0, sizeof *verdict);
      return FALSE;
    }
  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');

  lines = g_strsplit (line, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = g_strstrip (lines[i]);
      gsize n;

      if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
          (p[3] == ' ' || p[3] == '-' || p[3] == '\0'))
        p += p[3] ? 4 : 3;
      if ((n = read_status (p, status[0] ? NULL : status)) > 0)
        p += n;
      while (*p == ' ')
        p++;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, p);
    }

  ob_bounce_classify (code, status, text->str, verdict);
  return TRUE;
}
