/* ob-template-linter.c — the content rules of CLI.md `lint`.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libpsl.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "ob-html.h"
#include "ob-merge.h"
#include "ob-template-linter.h"
#include "ob-templates-resources.h"

#define SPAM_PHRASES_PATH "/io/github/outboundapp/Outbound/templates/spam-phrases"

#define SUBJECT_MAX_WIDTH      70
#define MAX_LINKS              3
#define ATTACHMENT_WARN_SIZE   (5 * 1024 * 1024)
#define ATTACHMENT_ERROR_SIZE  (25 * 1024 * 1024)
#define MESSAGE_MAX_SIZE       (102 * 1024)
#define IMAGE_ONLY_TEXT        60   /* visible characters below which a mail with images is "only images" */
#define TEXT_PER_IMAGE         300  /* visible characters each image should be balanced by */
#define MAX_HTML_ERRORS        10

struct _ObTemplateLinter
{
  GObject     parent_instance;

  GHashTable *known_fields; /* set of extra field names */
  GPtrArray  *audience;     /* GHashTable field → value, or NULL */
  gboolean    first_mail;
};

G_DEFINE_FINAL_TYPE (ObTemplateLinter, ob_template_linter, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (ObLintFinding, ob_lint_finding, ob_lint_finding_copy, ob_lint_finding_free)

/* ---------------------------------------------------------------------- */
/* Phrase lists                                                            */

typedef struct
{
  gunichar *cps;
  guint     n;
  char     *phrase;
  char     *alternative;
  gboolean  exception;  /* an ordinary wording that contains a phrase */
  gboolean  no_bounds;  /* Chinese: no word boundaries */
} Phrase;

/* Phrases are found by their first two code points; a key may be shared
 * by several pairs, which only costs a comparison. */
#define PAIR_KEY(a, b) GUINT_TO_POINTER (((guint) (a) << 11) ^ (guint) (b))

typedef struct
{
  GHashTable *by_first; /* PAIR_KEY of the first two code points → GPtrArray of Phrase* (not owned) */
  GPtrArray  *all;      /* Phrase*, owned */
  gboolean    singles;  /* some phrases are one code point (Chinese): keyed with 0 */
} PhraseIndex;

typedef struct
{
  gsize        start;   /* code point index into the analysed text */
  gsize        end;
  const Phrase *phrase;
} PhraseMatch;

static gunichar
fold_char (gunichar c)
{
  if (c < 0x80)
    {
      if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return ' ';
      if (c == '`')
        return '\'';
      return g_ascii_tolower (c);
    }
  switch (c)
    {
    case 0x2018: case 0x2019: case 0x02BC: case 0x0060: case 0x00B4:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x300C: case 0x300D:
      return '"';
    case 0x0451: case 0x0401: /* ё Ё */
      return 0x0435;
    case 0x0623: case 0x0625: case 0x0622: /* Arabic alef forms */
      return 0x0627;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013:
      return '-';
    case 0xFF01:
      return '!';
    case 0xFF1A:
      return ':';
    default:
      break;
    }
  if (g_unichar_isspace (c) || c == 0xA0 || c == 0x3000)
    return ' ';
  return g_unichar_tolower (c);
}

static gboolean
is_han (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static void
phrase_free (Phrase *p)
{
  g_free (p->cps);
  g_free (p->phrase);
  g_free (p->alternative);
  g_free (p);
}

static void
phrase_index_add (PhraseIndex *index,
                  const char  *phrase,
                  const char  *alternative,
                  gboolean     exception)
{
  Phrase *p;
  GPtrArray *bucket;
  glong n = 0;
  g_autofree gunichar *raw = g_utf8_to_ucs4_fast (phrase, -1, &n);

  if (n == 0)
    return;
  p = g_new0 (Phrase, 1);
  p->cps = g_new (gunichar, n);
  for (glong i = 0; i < n; i++)
    {
      p->cps[i] = fold_char (raw[i]);
      if (is_han (raw[i]))
        p->no_bounds = TRUE;
    }
  p->n = n;
  p->phrase = g_strdup (phrase);
  p->alternative = g_strdup (alternative);
  p->exception = exception;
  g_ptr_array_add (index->all, p);

  if (n == 1)
    index->singles = TRUE;
  bucket = g_hash_table_lookup (index->by_first, PAIR_KEY (p->cps[0], n > 1 ? p->cps[1] : 0));
  if (bucket == NULL)
    {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (index->by_first, PAIR_KEY (p->cps[0], n > 1 ? p->cps[1] : 0), bucket);
    }
  g_ptr_array_add (bucket, p);
}

static PhraseIndex *
phrase_index_new (void)
{
  PhraseIndex *index = g_new0 (PhraseIndex, 1);

  index->by_first = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  index->all = g_ptr_array_new_with_free_func ((GDestroyNotify) phrase_free);
  return index;
}

static void
load_phrase_file (PhraseIndex *index,
                  const char  *resource_path)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;

  bytes = g_resource_lookup_data (ob_templates_get_resource (), resource_path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_critical ("Missing phrase list %s", resource_path);
      return;
    }
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *tab;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '!')
        {
          phrase_index_add (index, line + 1, NULL, TRUE);
          continue;
        }
      tab = strchr (line, '\t');
      if (tab == NULL)
        continue;
      *tab = '\0';
      phrase_index_add (index, g_strstrip (line), g_strstrip (tab + 1), FALSE);
    }
}

static const PhraseIndex *
spam_phrases (void)
{
  static PhraseIndex *index;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_auto(GStrv) names = NULL;

      index = phrase_index_new ();
      names = g_resource_enumerate_children (ob_templates_get_resource (), SPAM_PHRASES_PATH,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_autofree char *path = g_strdup_printf (SPAM_PHRASES_PATH "/%s", names[i]);
          load_phrase_file (index, path);
        }
      g_once_init_leave (&initialized, 1);
    }
  return index;
}

/* The opt-out line a one-click fix adds, per template language (the
 * language subtag of Language:, English when unset or unknown). Each one
 * contains a phrase of the opt-out list below, so the fix clears the
 * finding. */
static const struct
{
  const char *language;
  const char *line;
} unsubscribe_lines[] = {
  { "en", "If you would rather not hear from us again, just reply \"unsubscribe\"." },
  { "es", "Si prefiere no recibir más mensajes nuestros, responda \"baja\"." },
  { "pt", "Se preferir não receber mais mensagens nossas, responda \"descadastrar\"." },
  { "fr", "Si vous préférez ne plus recevoir nos messages, répondez \"désabonner\"." },
  { "de", "Wenn Sie keine weiteren Nachrichten von uns wünschen, antworten Sie einfach \"abmelden\"." },
  { "ru", "Если вы не хотите больше получать наши письма, ответьте \"отписаться\"." },
  { "ar", "إذا كنت لا ترغب في تلقي رسائلنا مرة أخرى، يرجى الرد بعبارة \"إلغاء الاشتراك\"." },
  { "zh", "如不希望再收到我们的邮件，请直接回复“退订”。" },
};

static const char *
unsubscribe_line (const char *language)
{
  if (language != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (unsubscribe_lines); i++)
      {
        gsize n = strlen (unsubscribe_lines[i].language);

        if (g_ascii_strncasecmp (language, unsubscribe_lines[i].language, n) == 0 &&
            (language[n] == '\0' || language[n] == '-' || language[n] == '_'))
          return unsubscribe_lines[i].line;
      }
  return unsubscribe_lines[0].line;
}

/* Ways to opt out, in the languages of the markets. */
static const char * const unsubscribe_phrases[] = {
  "unsubscribe", "opt out", "opt-out", "optout", "reply \"stop\"", "reply stop",
  "remove me", "remove you from", "no longer wish to", "not wish to receive",
  "don't want to receive", "do not want to receive", "not to receive",
  "baja", "darse de baja", "darte de baja", "cancelar suscripción", "cancelar la suscripción",
  "no desea recibir", "no quiere recibir",
  "désabonner", "désabonnement", "se désinscrire", "désinscription", "ne plus recevoir",
  "abmelden", "austragen", "abbestellen", "keine weiteren", "nicht mehr erhalten",
  "descadastrar", "descadastre", "cancelar inscrição", "cancelar a inscrição",
  "não deseja receber", "não quiser receber", "deixar de receber",
  "отписаться", "отписка", "отказаться от рассылки", "не хотите получать",
  "إلغاء الاشتراك", "الغاء الاشتراك", "لا ترغب في تلقي", "لإيقاف",
  "退订", "取消订阅", "退訂", "不再接收", "不想再收到", "不希望再收到",
  NULL
};

static const PhraseIndex *
unsubscribe_index (void)
{
  static PhraseIndex *index;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      index = phrase_index_new ();
      for (guint i = 0; unsubscribe_phrases[i] != NULL; i++)
        phrase_index_add (index, unsubscribe_phrases[i], NULL, FALSE);
      g_once_init_leave (&initialized, 1);
    }
  return index;
}

/* Legal forms and signature words that show who is writing. */
static const char * const company_words[] = {
  "ltd", "ltd.", "limited", "co.", "co.,ltd", "gmbh", "ag", "kg", "s.a.", "s.l.", "s.r.l.", "srl",
  "ltda", "ltda.", "llc", "inc", "inc.", "corp", "corp.", "corporation", "company", "sarl", "sas",
  "s.p.a.", "spa", "b.v.", "bv", "pty", "plc", "oy", "ab", "a/s", "ооо", "оао", "зао", "ао",
  "有限公司", "公司", "集团", "工厂", "厂", "شركة", "مؤسسة", "group", "factory", "manufacturing",
  "industries", "industrial", "trading", "export", "exports", "import", "sociedad", "empresa",
  "société", "unternehmen", "компания", "завод",
  NULL
};

static const char * const address_words[] = {
  "road", "rd", "rd.", "street", "st.", "avenue", "ave", "ave.", "str.", "straße", "strasse",
  "calle", "avenida", "av.", "rua", "rue", "boulevard", "blvd", "улица", "ул.", "проспект",
  "شارع", "路", "号", "街", "区", "市", "省", "district", "zone", "building", "floor", "suite",
  "park", "no.", "china", "tel", "tel.", "phone", "mobile", "whatsapp", "wechat", "teléfono",
  "telefone", "téléphone", "telefon", "тел", "тел.", "телефон", "هاتف", "电话", "手机", "微信",
  "地址", "address", "dirección", "endereço", "adresse", "адрес", "العنوان",
  NULL
};

static const PhraseIndex *
identity_index (void)
{
  static PhraseIndex *index;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      index = phrase_index_new ();
      for (guint i = 0; company_words[i] != NULL; i++)
        phrase_index_add (index, company_words[i], "company", FALSE);
      for (guint i = 0; address_words[i] != NULL; i++)
        phrase_index_add (index, address_words[i], "contact", FALSE);
      g_once_init_leave (&initialized, 1);
    }
  return index;
}

static const char * const shorteners[] = {
  "bit.ly", "t.cn", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
  "cutt.ly", "dwz.cn", "url.cn", "t.co", "tiny.cc", "bl.ink", "shorturl.at", "rb.gy",
  "s.id", "v.gd", "lnkd.in", "trib.al", "x.co", "qr.net", "soo.gd", "clck.ru", "u.to",
  "suo.im", "mrw.so", "t.ly", "shorte.st", "adf.ly", "bitly.com", "tinyurl.hu", "ift.tt",
  "j.mp", "cli.gs", "short.io", "tny.im", "w.url.cn", "sina.lt", "6du.in", "985.so",
  NULL
};

static const char * const risky_executables[] = {
  "exe", "scr", "bat", "cmd", "com", "pif", "js", "jse", "vbs", "vbe", "wsf", "wsh", "jar",
  "msi", "msp", "ps1", "psm1", "hta", "cpl", "lnk", "reg", "dll", "sys", "apk", "app", "dmg",
  "sh", "iso", "img", "vhd", "vhdx", "msc", "gadget", "inf", "scf", "url", "xll", "application",
  NULL
};

static const char * const risky_documents[] = {
  "docm", "dotm", "xlsm", "xltm", "xlsb", "xlam", "pptm", "potm", "ppam", "ppsm", "sldm",
  "rar", "7z", "ace", "cab", NULL
};

static const char * const html5_elements[] = {
  "article", "aside", "audio", "bdi", "canvas", "data", "datalist", "details", "dialog",
  "figcaption", "figure", "footer", "header", "main", "mark", "meter", "nav", "output",
  "picture", "progress", "rp", "rt", "ruby", "section", "source", "summary", "template",
  "time", "track", "video", "wbr", "svg", "path", "center", NULL
};

static const char * const dangerous_elements[] = {
  "script", "form", "iframe", "object", "embed", "applet", "frame", "frameset", "input",
  "button", "select", "textarea", "base", NULL
};

/* ---------------------------------------------------------------------- */
/* Analysed text with offsets                                              */

typedef struct
{
  ObLintPart  part;
  const char *src;
  gsize       len;
  guint32    *cp;       /* cp[i]: code point index of byte i; cp[len] = total */
  GPtrArray  *fields;   /* ObMergeField, parsed once */
  GPtrArray  *problems; /* ObMergeProblem */
} Source;

typedef struct
{
  Source     *source;
  const char *s;
  gsize       len;
  GArray     *map_start; /* gsize per byte of s: source byte range; NULL when s is the source */
  GArray     *map_end;
  /* s as normalised code points, with the byte offset of each */
  gunichar   *cps;
  gsize      *byte_of;
  gsize       n;
} Text;

typedef struct
{
  char  *href;
  gsize  href_start, href_end;  /* source byte range of the href value */
  gsize  text_start, text_end;  /* byte range in the visible text */
  gsize  tag_start, tag_end;
  gboolean in_html;
} Link;

typedef struct
{
  ObTemplateLinter *self;
  ObTemplate       *template;
  GPtrArray        *findings;
  Source            subject;
  Source            text;
  Source            html;
  Source            attachments;
  GString          *attachments_text;
  Text              subject_t;
  Text              text_t;
  Text              html_t;
  GArray           *links;      /* Link */
  guint             n_images;
  gsize             first_image_start, first_image_end;
} Lint;

static void
source_init (Source     *source,
             ObLintPart  part,
             const char *src)
{
  guint32 n = 0;

  source->part = part;
  source->src = src ? src : "";
  source->len = strlen (source->src);
  source->cp = g_new (guint32, source->len + 1);
  for (gsize i = 0; i < source->len; i++)
    {
      source->cp[i] = n;
      if (((guchar) source->src[i] & 0xC0) != 0x80)
        n++;
    }
  source->cp[source->len] = n;
}

static GPtrArray *
source_fields (Source *source)
{
  if (source->fields == NULL)
    source->fields = ob_merge_parse (source->src, &source->problems);
  return source->fields;
}

static void
source_clear (Source *source)
{
  g_clear_pointer (&source->cp, g_free);
  g_clear_pointer (&source->fields, g_ptr_array_unref);
  g_clear_pointer (&source->problems, g_ptr_array_unref);
}

static void
text_prepare (Text *t)
{
  gsize i = 0;
  gsize k = 0;

  t->cps = g_new (gunichar, t->len + 1);
  t->byte_of = g_new (gsize, t->len + 1);
  while (i < t->len)
    {
      guchar b = (guchar) t->s[i];
      gunichar c;
      gsize skip;

      if (b < 0x80)
        {
          c = b;
          skip = 1;
        }
      else
        {
          c = g_utf8_get_char_validated (t->s + i, t->len - i);
          skip = g_utf8_skip[b];
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              c = 0xFFFD;
              skip = 1;
            }
        }
      t->cps[k] = fold_char (c);
      t->byte_of[k] = i;
      k++;
      i += skip;
    }
  t->byte_of[k] = t->len;
  t->n = k;
}

static void
text_init_source (Text   *t,
                  Source *source)
{
  t->source = source;
  t->s = source->src;
  t->len = source->len;
  text_prepare (t);
}

static void
text_clear (Text *t)
{
  g_clear_pointer (&t->cps, g_free);
  g_clear_pointer (&t->byte_of, g_free);
  if (t->map_start != NULL)
    {
      g_array_unref (t->map_start);
      g_array_unref (t->map_end);
      t->map_start = t->map_end = NULL;
    }
}

/* Source code point range of the analysed text's byte range [bs, be). */
static void
text_byte_range (const Text *t,
                 gsize       bs,
                 gsize       be,
                 gsize      *start,
                 gsize      *end)
{
  gsize ss, se;

  if (t->map_start == NULL)
    {
      ss = bs;
      se = be;
    }
  else if (be > bs && bs < t->map_start->len)
    {
      ss = g_array_index (t->map_start, gsize, bs);
      se = g_array_index (t->map_end, gsize, MIN (be, t->map_end->len) - 1);
    }
  else
    {
      ss = se = bs < t->map_start->len ? g_array_index (t->map_start, gsize, bs) : t->source->len;
    }
  ss = MIN (ss, t->source->len);
  se = MIN (MAX (se, ss), t->source->len);
  *start = t->source->cp[ss];
  *end = t->source->cp[se];
}

/* The same for a code point range [cs, ce) of the normalised text. */
static void
text_cp_range (const Text *t,
               gsize       cs,
               gsize       ce,
               gsize      *start,
               gsize      *end)
{
  text_byte_range (t, t->byte_of[cs], t->byte_of[ce], start, end);
}

static char *
text_substring (const Text *t,
                gsize       cs,
                gsize       ce)
{
  return g_strndup (t->s + t->byte_of[cs], t->byte_of[ce] - t->byte_of[cs]);
}

/* ---------------------------------------------------------------------- */
/* Findings                                                                */

ObLintFinding *
ob_lint_finding_copy (const ObLintFinding *finding)
{
  ObLintFinding *copy = g_new (ObLintFinding, 1);

  *copy = *finding;
  copy->rule = g_strdup (finding->rule);
  copy->message = g_strdup (finding->message);
  copy->fix = g_strdup (finding->fix);
  copy->replacement = g_strdup (finding->replacement);
  return copy;
}

void
ob_lint_finding_free (ObLintFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->rule);
  g_free (finding->message);
  g_free (finding->fix);
  g_free (finding->replacement);
  g_free (finding);
}

const char *
ob_lint_severity_to_string (ObLintSeverity severity)
{
  switch (severity)
    {
    case OB_LINT_SEVERITY_ERROR: return "error";
    case OB_LINT_SEVERITY_WARNING: return "warning";
    case OB_LINT_SEVERITY_INFO: return "info";
    default: return "info";
    }
}

const char *
ob_lint_part_to_string (ObLintPart part)
{
  switch (part)
    {
    case OB_LINT_PART_SUBJECT: return "subject";
    case OB_LINT_PART_TEXT: return "text";
    case OB_LINT_PART_HTML: return "html";
    case OB_LINT_PART_ATTACHMENT: return "attachment";
    default: return "text";
    }
}

static void
add (Lint           *lint,
     const char     *rule,
     ObLintSeverity  severity,
     ObLintPart      part,
     gsize           start,
     gsize           end,
     char           *message,
     char           *fix)
{
  ObLintFinding *f = g_new0 (ObLintFinding, 1);

  f->rule = g_strdup (rule);
  f->severity = severity;
  f->part = part;
  f->start = start;
  f->end = end;
  f->message = message;
  f->fix = fix;
  g_ptr_array_add (lint->findings, f);
}

/* The one-click replacement of the finding just added. */
static void
set_replacement (Lint       *lint,
                 const char *replacement)
{
  ObLintFinding *f = g_ptr_array_index (lint->findings, lint->findings->len - 1);

  g_free (f->replacement);
  f->replacement = g_strdup (replacement);
}

static void
add_text (Lint           *lint,
          const Text     *t,
          const char     *rule,
          ObLintSeverity  severity,
          gsize           cs,
          gsize           ce,
          char           *message,
          char           *fix)
{
  gsize start, end;

  text_cp_range (t, cs, ce, &start, &end);
  add (lint, rule, severity, t->source->part, start, end, message, fix);
}

/* ---------------------------------------------------------------------- */
/* Phrase matching                                                         */

static gboolean
match_at (const Text   *t,
          gsize         i,
          const Phrase *p,
          gsize        *out_end)
{
  gsize k = i;

  for (guint j = 0; j < p->n; j++)
    {
      if (k >= t->n)
        return FALSE;
      if (p->cps[j] == ' ')
        {
          if (t->cps[k] != ' ')
            return FALSE;
          while (k < t->n && t->cps[k] == ' ')
            k++;
          continue;
        }
      if (t->cps[k] != p->cps[j])
        return FALSE;
      k++;
    }
  if (!p->no_bounds && k < t->n && is_word_char (t->cps[k]) && is_word_char (p->cps[p->n - 1]))
    return FALSE;
  *out_end = k;
  return TRUE;
}

/* Every match, longest first at each place, exceptions and matches
 * inside a longer one removed. */
static GArray *
find_phrases (const Text        *t,
              const PhraseIndex *index)
{
  GArray *raw = g_array_new (FALSE, FALSE, sizeof (PhraseMatch));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (PhraseMatch));
  gsize covered_until = 0;

  for (gsize i = 0; i < t->n; i++)
    {
      GPtrArray *bucket;
      gboolean boundary;

      /* Phrases start at a word start, except Chinese ones. */
      boundary = i == 0 || t->cps[i - 1] < 0x80 ? (i == 0 || !g_ascii_isalnum (t->cps[i - 1]))
                                               : !is_word_char (t->cps[i - 1]);
      if (!boundary && !is_han (t->cps[i]))
        continue;
      if (t->cps[i] == ' ')
        continue;
      for (guint pass = 0; pass < 2; pass++)
        {
          if (pass == 0 && i + 1 >= t->n)
            continue;
          if (pass == 1 && !index->singles)
            break;
          bucket = g_hash_table_lookup (index->by_first, PAIR_KEY (t->cps[i], pass == 0 ? t->cps[i + 1] : 0));
          if (bucket == NULL)
            continue;
          for (guint b = 0; b < bucket->len; b++)
            {
              const Phrase *p = g_ptr_array_index (bucket, b);
              PhraseMatch m;

              if (!boundary && !p->no_bounds)
                continue;
              if ((pass == 0) != (p->n > 1))
                continue;
              if (!match_at (t, i, p, &m.end))
                continue;
              m.start = i;
              m.phrase = p;
              g_array_append_val (raw, m);
            }
        }
    }

  /* raw is ordered by start; keep the longest at each start. */
  for (guint r = 0; r < raw->len; r++)
    {
      PhraseMatch best = g_array_index (raw, PhraseMatch, r);
      gboolean excepted = FALSE;

      while (r + 1 < raw->len && g_array_index (raw, PhraseMatch, r + 1).start == best.start)
        {
          PhraseMatch *next = &g_array_index (raw, PhraseMatch, r + 1);
          if (next->end > best.end)
            best = *next;
          r++;
        }
      if (best.phrase->exception || best.end <= covered_until)
        continue;
      /* inside an exception that starts earlier or at the same place */
      for (guint e = 0; e < raw->len; e++)
        {
          PhraseMatch *x = &g_array_index (raw, PhraseMatch, e);
          if (x->start > best.start)
            break;
          if (x->phrase->exception && x->end >= best.end)
            excepted = TRUE;
        }
      if (excepted)
        continue;
      g_array_append_val (out, best);
      covered_until = best.end;
    }

  g_array_unref (raw);
  return out;
}

/* ---------------------------------------------------------------------- */
/* Rules                                                                   */

static void
check_spam_phrases (Lint       *lint,
                    const Text *t)
{
  g_autoptr(GArray) matches = find_phrases (t, spam_phrases ());

  for (guint i = 0; i < matches->len; i++)
    {
      PhraseMatch *m = &g_array_index (matches, PhraseMatch, i);
      g_autofree char *found = text_substring (t, m->start, m->end);

      add_text (lint, t, "spam-phrase", OB_LINT_SEVERITY_WARNING, m->start, m->end,
                g_strdup_printf (_("“%s” is a phrase spam filters look for"), found),
                g_strdup (m->phrase->alternative));
      /* "(remove this sentence)" and the like: the fix is to delete it. */
      set_replacement (lint, m->phrase->alternative[0] == '(' || g_str_has_prefix (m->phrase->alternative, "（")
                             ? "" : m->phrase->alternative);
    }
}

typedef struct
{
  gsize start, end;  /* code points */
  guint letters;
  guint words;
} CapsRun;

/* Runs of words written in capitals; also counts cased letters. */
static GArray *
find_caps_runs (const Text *t,
                guint      *n_upper,
                guint      *n_cased)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (CapsRun));
  CapsRun run = { 0 };
  gboolean in_run = FALSE;
  gsize i = 0;
  const char *s = t->s;

  *n_upper = *n_cased = 0;
  while (i < t->n)
    {
      gsize ws = i;
      guint upper = 0, lower = 0, letters = 0, digits = 0;

      if (t->cps[i] < 0x80 ? !g_ascii_isalnum (t->cps[i]) : !g_unichar_isalnum (t->cps[i]))
        {
          /* a newline ends a run */
          if (in_run && s[t->byte_of[i]] == '\n')
            {
              g_array_append_val (runs, run);
              in_run = FALSE;
            }
          i++;
          continue;
        }
      while (i < t->n && (t->cps[i] < 0x80 ? g_ascii_isalnum (t->cps[i]) : g_unichar_isalnum (t->cps[i])))
        {
          guchar b = (guchar) s[t->byte_of[i]];

          if (b < 0x80)
            {
              if (g_ascii_isdigit (b))
                digits++;
              else if (g_ascii_isupper (b))
                upper++, letters++;
              else
                lower++, letters++;
            }
          else
            {
              gunichar c = g_utf8_get_char (s + t->byte_of[i]);

              if (g_unichar_isdigit (c))
                digits++;
              else
                {
                  letters++;
                  if (g_unichar_isupper (c))
                    upper++;
                  else if (g_unichar_islower (c))
                    lower++;
                }
            }
          i++;
        }

      /* Codes such as DN15 or ISO9001 are neither shouting nor prose. */
      if (digits > 0)
        {
          if (in_run)
            {
              g_array_append_val (runs, run);
              in_run = FALSE;
            }
          continue;
        }
      *n_upper += upper;
      *n_cased += upper + lower;

      if (upper >= 2 && lower == 0 && letters >= 4)
        {
          if (!in_run)
            {
              run.start = ws;
              run.letters = 0;
              run.words = 0;
              in_run = TRUE;
            }
          run.end = i;
          run.letters += letters;
          run.words++;
        }
      else if (lower == 0 && letters <= 3)
        {
          /* Acronyms (LED, FOB, EUR) and single capitals neither make
           * nor break a run. */
        }
      else if (in_run)
        {
          g_array_append_val (runs, run);
          in_run = FALSE;
        }
    }
  if (in_run)
    g_array_append_val (runs, run);
  return runs;
}

static void
check_caps (Lint       *lint,
            const Text *t,
            gboolean    subject)
{
  guint upper, cased;
  g_autoptr(GArray) runs = find_caps_runs (t, &upper, &cased);
  const char *rule = subject ? "subject-caps" : "body-caps";
  gboolean whole = FALSE;

  if (subject ? (cased >= 8 && upper * 2 > cased) : (cased >= 40 && upper * 10 > cased * 3))
    {
      whole = TRUE;
      add_text (lint, t, rule, OB_LINT_SEVERITY_WARNING, 0, t->n,
                g_strdup (subject ? _("Most of the subject is in capitals, which reads as shouting and looks like spam")
                                  : _("Much of the text is in capitals, which reads as shouting and looks like spam")),
                g_strdup (_("Write in normal sentence case")));
    }
  if (whole)
    return;
  for (guint i = 0; i < runs->len; i++)
    {
      CapsRun *r = &g_array_index (runs, CapsRun, i);
      gboolean shouting = subject ? (r->letters >= 5 && (r->words >= 2 || r->letters >= 6))
                                  : ((r->words >= 2 && r->letters >= 10) || r->letters >= 8);

      if (!shouting)
        continue;
      add_text (lint, t, rule, OB_LINT_SEVERITY_WARNING, r->start, r->end,
                g_strdup (_("Words in capitals read as shouting and look like spam")),
                g_strdup (_("Write them in normal case")));
      {
        g_autofree char *run = text_substring (t, r->start, r->end);
        g_autofree char *lower = g_utf8_strdown (run, -1);

        set_replacement (lint, lower);
      }
    }
}

static void
check_exclamations (Lint       *lint,
                    const Text *t,
                    gboolean    subject)
{
  guint total = 0;

  for (gsize i = 0; i < t->n; i++)
    {
      gsize j = i;

      if (t->cps[i] != '!')
        continue;
      while (j < t->n && t->cps[j] == '!')
        j++;
      total++;
      if (subject)
        {
          add_text (lint, t, "exclamation", OB_LINT_SEVERITY_WARNING, i, j,
                    g_strdup (_("An exclamation mark in the subject looks like advertising")),
                    g_strdup (_("End the subject without “!”")));
          set_replacement (lint, "");
        }
      else if (j - i >= 2)
        {
          add_text (lint, t, "exclamation", OB_LINT_SEVERITY_WARNING, i, j,
                    g_strdup (_("Several exclamation marks in a row look like advertising")),
                    g_strdup (_("Use one full stop instead")));
          set_replacement (lint, ".");
        }
      else if (total == 4)
        add_text (lint, t, "exclamation", OB_LINT_SEVERITY_INFO, i, j,
                  g_strdup (_("Many exclamation marks make a mail look like advertising")),
                  g_strdup (_("Keep at most one or two")));
      i = j - 1;
    }
}

static void
check_money (Lint       *lint,
             const Text *t,
             gboolean    subject)
{
  for (gsize i = 0; i < t->n; i++)
    {
      gsize j = i;

      if (t->cps[i] < 0x80 ? t->cps[i] != '$' : g_unichar_type (t->cps[i]) != G_UNICODE_CURRENCY_SYMBOL)
        continue;
      while (j < t->n && g_unichar_type (t->cps[j]) == G_UNICODE_CURRENCY_SYMBOL)
        j++;
      if (subject)
        add_text (lint, t, "money-symbols", OB_LINT_SEVERITY_WARNING, i, j,
                  g_strdup (_("Currency symbols in the subject look like advertising")),
                  g_strdup (_("Leave prices for the body")));
      else if (j - i >= 2)
        {
          g_autofree char *one = text_substring (t, i, i + 1);

          add_text (lint, t, "money-symbols", OB_LINT_SEVERITY_WARNING, i, j,
                    g_strdup (_("Repeated currency symbols look like spam")),
                    g_strdup (_("Write a price once, with one symbol")));
          set_replacement (lint, one);
        }
      i = j - 1;
    }
}

static gsize
display_width (const char *s)
{
  gsize w = 0;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return w;
}

static const char * const reply_prefixes[] = {
  "re", "fw", "fwd", "aw", "wg", "sv", "vs", "tr", "rv", "res", "enc", "rif", "antw", "odp",
  "ответ", "回复", "答复", "转发", "回覆", "轉寄", "رد", "إعادة توجيه", NULL
};

static void
check_subject (Lint *lint)
{
  const char *subject = lint->subject.src;
  g_autofree char *rendered = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (subject));
  const char *p;

  if (*trimmed == '\0')
    {
      add (lint, "subject-empty", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_SUBJECT, 0, 0,
           g_strdup (_("The subject is empty; mail without a subject is often filtered and rarely opened")),
           g_strdup (_("Write a short subject that says what the mail is about")));
      return;
    }

  /* Width as read: fields count as their fallback, or as a typical name. */
  {
    g_autoptr(GPtrArray) fields = ob_merge_parse (subject, NULL);
    GString *s = g_string_new (NULL);
    gsize pos = 0;

    for (guint i = 0; i < fields->len; i++)
      {
        ObMergeField *f = g_ptr_array_index (fields, i);
        g_string_append_len (s, subject + pos, f->byte_start - pos);
        g_string_append (s, f->fallback && *f->fallback ? f->fallback : "xxxxxxxx");
        pos = f->byte_end;
      }
    g_string_append (s, subject + pos);
    rendered = g_string_free (s, FALSE);
  }
  if (display_width (rendered) > SUBJECT_MAX_WIDTH)
    add (lint, "subject-length", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_SUBJECT,
         0, lint->subject.cp[lint->subject.len],
         g_strdup_printf (_("The subject is long (about %u characters); phones show only the first 40 or so"),
                          (guint) g_utf8_strlen (rendered, -1)),
         g_strdup (_("Shorten it to the words that matter")));

  /* A first mail pretending to be a reply or a forward. */
  if (lint->self->first_mail)
    {
      gsize lead = 0;

      p = subject;
      while (*p == ' ' || *p == '\t' || *p == '[')
        p++;
      lead = p - subject;
      for (guint i = 0; reply_prefixes[i] != NULL; i++)
        {
          gsize n = strlen (reply_prefixes[i]);
          const char *q;
          gunichar c;

          if (g_ascii_strncasecmp (p, reply_prefixes[i], n) != 0)
            continue;
          /* Non-ASCII prefixes compare bytewise: they have no case. */
          q = p + n;
          while (*q == ' ')
            q++;
          c = g_utf8_get_char (q);
          if (c == ':' || c == 0xFF1A || c == ']')
            {
              const char *after = g_utf8_next_char (q);

              while (*after == ' ')
                after++;
              add (lint, "fake-reply", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_SUBJECT,
                   lint->subject.cp[lead], lint->subject.cp[after - subject],
                   g_strdup (_("The subject pretends to be a reply or a forward, but this is a first mail; "
                               "filters and readers treat that as deception")),
                   g_strdup (_("Remove the prefix")));
              set_replacement (lint, "");
              break;
            }
        }
    }

  check_caps (lint, &lint->subject_t, TRUE);
  check_exclamations (lint, &lint->subject_t, TRUE);
  check_money (lint, &lint->subject_t, TRUE);
  check_spam_phrases (lint, &lint->subject_t);
}

static void
check_body_text (Lint       *lint,
                 const Text *t)
{
  check_spam_phrases (lint, t);
  check_caps (lint, t, FALSE);
  check_exclamations (lint, t, FALSE);
  check_money (lint, t, FALSE);
}

/* Merge fields. */

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint prev = row[0];
      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint tmp = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), prev + cost);
          prev = tmp;
        }
    }
  return row[lb];
}

static gboolean
is_known_field (ObTemplateLinter *self,
                const char       *name)
{
  return ob_merge_is_standard_field (name) || g_hash_table_contains (self->known_fields, name);
}

static char *
closest_field (ObTemplateLinter *self,
               const char       *name)
{
  const char * const *std = ob_merge_standard_fields ();
  const char *best = NULL;
  guint best_d = 3;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; std[i] != NULL; i++)
    {
      guint d = edit_distance (name, std[i]);
      if (d < best_d)
        {
          best_d = d;
          best = std[i];
        }
    }
  g_hash_table_iter_init (&iter, self->known_fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint d = edit_distance (name, key);
      if (d < best_d)
        {
          best_d = d;
          best = key;
        }
    }
  return best ? g_strdup (best) : NULL;
}

static const char *
fallback_example (const char *name)
{
  if (g_str_equal (name, "first_name") || g_str_equal (name, "name"))
    return _("there");
  if (g_str_equal (name, "company"))
    return _("your company");
  if (g_str_equal (name, "country"))
    return _("your country");
  if (g_str_equal (name, "title"))
    return _("your team");
  return "…";
}

static gboolean
value_missing (GHashTable *contact,
               const char *name)
{
  const char *v = g_hash_table_lookup (contact, name);

  if (v == NULL)
    return TRUE;
  for (; *v; v++)
    if (!g_ascii_isspace (*v))
      return FALSE;
  return TRUE;
}

static void
check_merge_fields (Lint   *lint,
                    Source *source)
{
  GPtrArray *fields = source_fields (source);
  GPtrArray *problems = source->problems;

  for (guint i = 0; i < problems->len; i++)
    {
      ObMergeProblem *p = g_ptr_array_index (problems, i);
      add (lint, "merge-field-syntax", OB_LINT_SEVERITY_ERROR, source->part, p->start, p->end,
           g_strdup (p->message), g_strdup (p->fix));
      if (g_str_has_prefix (p->fix, "{{"))
        set_replacement (lint, p->fix);
    }

  for (guint i = 0; i < fields->len; i++)
    {
      ObMergeField *f = g_ptr_array_index (fields, i);

      if (!is_known_field (lint->self, f->name))
        {
          g_autofree char *closest = closest_field (lint->self, f->name);

          add (lint, "merge-field-unknown", OB_LINT_SEVERITY_ERROR, source->part, f->start, f->end,
               g_strdup_printf (_("“%s” is not a contact or account field, so it cannot be filled in"), f->name),
               closest ? g_strdup_printf ("{{%s|%s}}", closest,
                                          f->fallback ? f->fallback
                                          : ob_merge_is_account_field (closest) || g_str_equal (closest, "email") ? ""
                                          : fallback_example (closest))
                       : g_strdup (_("Use a field of the contact list, such as {{first_name}} or {{company}}")));
          if (closest)
            set_replacement (lint, ((ObLintFinding *) g_ptr_array_index (lint->findings, lint->findings->len - 1))->fix);
          continue;
        }

      if (f->fallback != NULL || ob_merge_is_account_field (f->name) || g_str_equal (f->name, "email"))
        continue;

      if (lint->self->audience == NULL)
        {
          add (lint, "merge-field-no-fallback", OB_LINT_SEVERITY_WARNING, source->part, f->start, f->end,
               g_strdup_printf (_("“%s” has no fallback: a contact without it gets a blank"), f->name),
               g_strdup_printf ("{{%s|%s}}", f->name, fallback_example (f->name)));
          set_replacement (lint, ((ObLintFinding *) g_ptr_array_index (lint->findings, lint->findings->len - 1))->fix);
        }
      else
        {
          guint lacking = 0;

          for (guint c = 0; c < lint->self->audience->len; c++)
            if (value_missing (g_ptr_array_index (lint->self->audience, c), f->name))
              lacking++;
          if (lacking > 0)
            add (lint, "merge-field-no-fallback", OB_LINT_SEVERITY_WARNING, source->part, f->start, f->end,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "“%s” has no fallback and %u contact of %u has no value for it",
                                               "“%s” has no fallback and %u contacts of %u have no value for it",
                                               lacking),
                                  f->name, lacking, lint->self->audience->len),
                 g_strdup_printf ("{{%s|%s}}", f->name, fallback_example (f->name)));
          if (lacking > 0)
            set_replacement (lint, ((ObLintFinding *) g_ptr_array_index (lint->findings, lint->findings->len - 1))->fix);
        }
    }
}

/* Links. */

static char *
url_host (const char *url)
{
  const char *p = strstr (url, "://");
  const char *end;
  const char *at;
  g_autofree char *host = NULL;

  if (p != NULL)
    p += 3;
  else if (g_ascii_strncasecmp (url, "//", 2) == 0)
    p = url + 2;
  else
    p = url;
  end = p + strcspn (p, "/?#\\ ");
  at = g_strstr_len (p, end - p, "@");
  if (at != NULL)
    p = at + 1;
  if (*p == '[')
    {
      const char *close = g_strstr_len (p, end - p, "]");
      if (close == NULL)
        return NULL;
      return g_strndup (p + 1, close - p - 1);
    }
  host = g_strndup (p, end - p);
  if (strchr (host, ':') != NULL)
    *strchr (host, ':') = '\0';
  while (*host && host[strlen (host) - 1] == '.')
    host[strlen (host) - 1] = '\0';
  return g_ascii_strdown (host, -1);
}

static gboolean
is_web_url (const char *url)
{
  return g_ascii_strncasecmp (url, "http://", 7) == 0 || g_ascii_strncasecmp (url, "https://", 8) == 0 ||
         g_ascii_strncasecmp (url, "www.", 4) == 0;
}

static gboolean
looks_like_domain (const char *text)
{
  const char *dot = strrchr (text, '.');
  gsize tld = 0;

  if (dot == NULL || dot == text || strchr (text, ' ') != NULL || strchr (text, '@') != NULL)
    return FALSE;
  for (const char *p = dot + 1; *p && *p != '/' && *p != ':' && *p != '?'; p++, tld++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  for (const char *p = text; p < dot; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return tld >= 2;
}

static const char *
registrable (const char *host)
{
  const char *r = psl_registrable_domain (psl_builtin (), host);
  return r ? r : host;
}

static gboolean
is_shortener (const char *host)
{
  const char *h = g_str_has_prefix (host, "www.") ? host + 4 : host;

  return g_strv_contains (shorteners, h);
}

static void
check_one_link (Lint       *lint,
                const Text *t,
                const Link *link,
                gsize       start,
                gsize       end)
{
  g_autofree char *host = NULL;

  host = url_host (link->href);
  if (host == NULL || *host == '\0' || strstr (host, "{{") != NULL)
    return;

  if (g_hostname_is_ip_address (host))
    add (lint, "link-ip", OB_LINT_SEVERITY_WARNING, t->source->part, start, end,
         g_strdup_printf (_("The link goes to a bare IP address (%s); spam filters distrust that"), host),
         g_strdup (_("Link to your website’s domain name instead")));
  else if (is_shortener (host))
    add (lint, "link-shortener", OB_LINT_SEVERITY_WARNING, t->source->part, start, end,
         g_strdup_printf (_("%s is a link shortener; spammers hide behind them, so filters distrust them"), host),
         g_strdup (_("Replace it with the full address of the page")));
}

/* URLs written in plain text. */
static void
collect_text_links (Lint       *lint,
                    const Text *t,
                    GArray     *links)
{
  const char *s = t->s;

  for (gsize i = 0; i < t->len; i++)
    {
      gsize j;
      Link link = { 0 };

      if (!((g_ascii_strncasecmp (s + i, "http://", 7) == 0 || g_ascii_strncasecmp (s + i, "https://", 8) == 0 ||
             g_ascii_strncasecmp (s + i, "www.", 4) == 0) &&
            (i == 0 || !g_ascii_isalnum (s[i - 1]))))
        continue;
      j = i;
      while (j < t->len && !g_ascii_isspace (s[j]) && s[j] != '<' && s[j] != '>' && s[j] != '"' &&
             (guchar) s[j] < 0x80)
        j++;
      while (j > i && strchr (".,;:!?)'", s[j - 1]) != NULL)
        j--;
      link.href = g_strndup (s + i, j - i);
      link.text_start = i;
      link.text_end = j;
      g_array_append_val (links, link);
      i = j;
    }
}

static void
link_clear (gpointer data)
{
  Link *link = data;
  g_free (link->href);
}

static void
check_links (Lint       *lint,
             const Text *t,
             GArray     *links)
{
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean counted = FALSE;

  for (guint i = 0; i < links->len; i++)
    {
      Link *link = &g_array_index (links, Link, i);
      gsize start, end;

      if (link->in_html)
        text_byte_range (&(Text) { .source = t->source }, link->href_start, link->href_end, &start, &end);
      else
        text_byte_range (t, link->text_start, link->text_end, &start, &end);

      if (!is_web_url (link->href) && g_ascii_strncasecmp (link->href, "//", 2) != 0)
        continue;
      check_one_link (lint, t, link, start, end);

      g_hash_table_add (distinct, link->href);
      if (g_hash_table_size (distinct) > MAX_LINKS && !counted)
        {
          guint total = 0;
          g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);

          for (guint k = 0; k < links->len; k++)
            if (is_web_url (g_array_index (links, Link, k).href))
              g_hash_table_add (all, g_array_index (links, Link, k).href);
          total = g_hash_table_size (all);
          counted = TRUE;
          add (lint, "link-count", OB_LINT_SEVERITY_WARNING, t->source->part, start, end,
               g_strdup_printf (_("The mail has %u different links; a first mail with many links looks like a newsletter or spam"),
                                total),
               g_strdup_printf (_("Keep %u links or fewer: your website and what the reader needs"), MAX_LINKS));
        }

      /* Visible text that shows another address than the link's. */
      if (link->in_html && link->text_end > link->text_start)
        {
          g_autofree char *visible = g_strstrip (g_strndup (t->s + link->text_start, link->text_end - link->text_start));
          g_autofree char *shown_host = NULL;
          g_autofree char *real_host = url_host (link->href);

          if (strstr (visible, "{{") != NULL || real_host == NULL || *real_host == '\0')
            continue;
          if (strstr (visible, "://") != NULL || g_ascii_strncasecmp (visible, "www.", 4) == 0 ||
              looks_like_domain (visible))
            shown_host = url_host (visible);
          if (shown_host != NULL && *shown_host != '\0' &&
              g_ascii_strcasecmp (registrable (shown_host), registrable (real_host)) != 0)
            {
              gsize vs, ve;

              text_byte_range (t, link->text_start, link->text_end, &vs, &ve);
              add (lint, "link-mismatch", OB_LINT_SEVERITY_ERROR, t->source->part, vs, ve,
                   g_strdup_printf (_("The link shows %s but goes to %s; this is what phishing mails do"),
                                    shown_host, real_host),
                   g_strdup_printf (_("Make the link go where it says, or show its real address (%s)"), real_host));
            }
        }
    }
}

/* HTML: one pass over the tokens for visible text, links, images,
 * hidden text and dangerous elements. */

typedef struct
{
  char     name[24];
  gboolean hidden;
  gboolean reported;
  gsize    tag_start, tag_end;
  char    *color;
  char    *background;
  gboolean has_text;
} Element;

static char *
normalize_color (const char *value)
{
  g_autofree char *v = g_ascii_strdown (value, -1);

  g_strstrip (v);
  if (g_str_equal (v, "white"))
    return g_strdup ("#ffffff");
  if (g_str_equal (v, "black"))
    return g_strdup ("#000000");
  if (v[0] == '#' && strlen (v) == 4)
    return g_strdup_printf ("#%c%c%c%c%c%c", v[1], v[1], v[2], v[2], v[3], v[3]);
  if (g_str_has_prefix (v, "rgb(") )
    {
      int r, g, b;
      if (sscanf (v, "rgb(%d,%d,%d)", &r, &g, &b) == 3 || sscanf (v, "rgb(%d, %d, %d)", &r, &g, &b) == 3)
        return g_strdup_printf ("#%02x%02x%02x", r & 255, g & 255, b & 255);
    }
  return g_steal_pointer (&v);
}

/* The value of a CSS property in a style attribute, lower-cased. */
static char *
css_property (const char *style,
              const char *property)
{
  g_auto(GStrv) decls = g_strsplit (style, ";", -1);

  for (guint i = 0; decls[i] != NULL; i++)
    {
      char *colon = strchr (decls[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_ascii_strdown (decls[i], colon - decls[i]);
      g_strstrip (name);
      if (g_str_equal (name, property))
        {
          char *value = g_ascii_strdown (colon + 1, -1);
          char *important = strstr (value, "!important");
          if (important)
            *important = '\0';
          return g_strstrip (value);
        }
    }
  return NULL;
}

static gboolean
css_is_zero (const char *value)
{
  char *end = NULL;
  double v;

  if (value == NULL)
    return FALSE;
  v = g_ascii_strtod (value, &end);
  return end != value && v == 0.0;
}

static void
element_clear (gpointer data)
{
  Element *e = data;

  g_free (e->color);
  g_free (e->background);
}

static void
scan_html (Lint    *lint,
           GString *visible)
{
  Text *t = &lint->html_t;
  const char *src = lint->html.src;
  ObHtmlScanner scanner;
  ObHtmlToken tok;
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Element));
  gssize open_anchor = -1;
  gboolean in_head = FALSE;

  g_array_set_clear_func (stack, element_clear);
  ob_html_scanner_init (&scanner, src, lint->html.len);

  while (ob_html_scanner_next (&scanner, &tok))
    {
      switch (tok.type)
        {
        case OB_HTML_TOKEN_TEXT:
          {
            gboolean hidden = FALSE;
            gboolean blank = TRUE;
            const char *fg = NULL, *bg = NULL;
            gssize fg_at = -1;

            for (gsize k = tok.start; k < tok.end; k++)
              if (!g_ascii_isspace (src[k]))
                {
                  blank = FALSE;
                  break;
                }
            if (in_head)
              break;
            for (gssize e = (gssize) stack->len - 1; e >= 0; e--)
              {
                Element *el = &g_array_index (stack, Element, e);
                if (el->hidden)
                  {
                    hidden = TRUE;
                    if (!blank && !el->reported)
                      {
                        gsize s0, s1;
                        el->reported = TRUE;
                        text_byte_range (&(Text) { .source = &lint->html }, el->tag_start, el->tag_end, &s0, &s1);
                        add (lint, "html-hidden-text", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML, s0, s1,
                             g_strdup (_("This element hides its text from the reader; filters treat hidden text as a spam trick")),
                             g_strdup (_("Remove the hidden text, or show it")));
                      }
                    break;
                  }
                if (fg == NULL && el->color)
                  {
                    fg = el->color;
                    fg_at = e;
                  }
                if (bg == NULL && el->background)
                  bg = el->background;
              }
            if (!hidden && !blank && fg != NULL && bg != NULL && g_str_equal (fg, bg))
              {
                Element *el = &g_array_index (stack, Element, fg_at);
                hidden = TRUE;
                if (!el->reported)
                  {
                    gsize s0, s1;
                    el->reported = TRUE;
                    text_byte_range (&(Text) { .source = &lint->html }, el->tag_start, el->tag_end, &s0, &s1);
                    add (lint, "html-hidden-text", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML, s0, s1,
                         g_strdup (_("This text has the same colour as its background, so the reader cannot see it")),
                         g_strdup (_("Give the text a colour that contrasts with the background")));
                  }
              }
            if (hidden)
              break;
            ob_html_decode (src, tok.start, tok.end, visible, t->map_start, t->map_end);
          }
          break;

        case OB_HTML_TOKEN_START:
          {
            Element el = { 0 };
            g_autofree char *style = ob_html_token_attr_value (&scanner, &tok, "style");
            gsize s0, s1;

            text_byte_range (&(Text) { .source = &lint->html }, tok.start, tok.end, &s0, &s1);

            if (g_str_equal (tok.name, "head"))
              in_head = TRUE;
            if (g_str_equal (tok.name, "body"))
              in_head = FALSE;

            if (g_strv_contains (dangerous_elements, tok.name))
              add (lint, "html-script", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_HTML, s0, s1,
                   g_strdup_printf (_("<%s> does not belong in an email: mail programs block it and filters penalise it"),
                                    tok.name),
                   g_strdup (_("Remove it; link to a web page instead")));
            else
              for (guint a = 0; a < tok.n_attrs; a++)
                {
                  const ObHtmlAttr *attr = &tok.attrs[a];
                  gsize n = attr->name_end - attr->name_start;
                  g_autofree char *value = NULL;

                  if (n > 2 && g_ascii_strncasecmp (src + attr->name_start, "on", 2) == 0)
                    {
                      add (lint, "html-script", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_HTML, s0, s1,
                           g_strdup (_("An event handler (on…=) is a script; mail programs block it and filters penalise it")),
                           g_strdup (_("Remove the attribute")));
                      break;
                    }
                  value = ob_html_decode_string (src + attr->value_start, attr->value_end - attr->value_start);
                  g_strstrip (value);
                  if (g_ascii_strncasecmp (value, "javascript:", 11) == 0)
                    {
                      add (lint, "html-script", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_HTML, s0, s1,
                           g_strdup (_("A javascript: link is a script; mail programs block it and filters penalise it")),
                           g_strdup (_("Link to a web page instead")));
                      break;
                    }
                }

            if (g_str_equal (tok.name, "img"))
              {
                gsize as, ae;
                lint->n_images++;
                if (lint->n_images == 1)
                  {
                    lint->first_image_start = s0;
                    lint->first_image_end = s1;
                  }
                if (!ob_html_token_attr (&scanner, &tok, "alt", &as, &ae))
                  add (lint, "image-no-alt", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML, s0, s1,
                       g_strdup (_("The image has no alt text; many readers see mail with images turned off")),
                       g_strdup (_("Add alt=\"…\" that says what the image shows")));
              }

            if (g_str_equal (tok.name, "a"))
              {
                Link link = { 0 };
                gsize hs, he;

                if (ob_html_token_attr (&scanner, &tok, "href", &hs, &he))
                  {
                    link.href = ob_html_decode_string (src + hs, he - hs);
                    g_strstrip (link.href);
                    link.href_start = hs;
                    link.href_end = he;
                    link.in_html = TRUE;
                    link.text_start = link.text_end = visible->len;
                    link.tag_start = tok.start;
                    link.tag_end = tok.end;
                    g_array_append_val (lint->links, link);
                    open_anchor = lint->links->len - 1;
                  }
              }

            if (g_str_equal (tok.name, "br") || ob_html_is_block_element (tok.name) ||
                g_str_equal (tok.name, "img"))
              {
                gsize at = tok.start;
                g_string_append_c (visible, ' ');
                g_array_append_val (t->map_start, at);
                g_array_append_val (t->map_end, tok.end);
              }

            if (ob_html_is_void_element (tok.name) || tok.self_closing || tok.name[0] == '\0' ||
                stack->len >= 256)
              break;

            g_strlcpy (el.name, tok.name, sizeof el.name);
            el.tag_start = tok.start;
            el.tag_end = tok.end;
            if (ob_html_token_attr (&scanner, &tok, "hidden", NULL, NULL))
              el.hidden = TRUE;
            if (style != NULL)
              {
                g_autofree char *display = css_property (style, "display");
                g_autofree char *visibility = css_property (style, "visibility");
                g_autofree char *font_size = css_property (style, "font-size");
                g_autofree char *opacity = css_property (style, "opacity");
                g_autofree char *color = css_property (style, "color");
                g_autofree char *background = css_property (style, "background-color");

                if (background == NULL)
                  background = css_property (style, "background");
                if ((display && g_str_equal (display, "none")) ||
                    (visibility && g_str_equal (visibility, "hidden")) ||
                    css_is_zero (font_size) || (opacity && css_is_zero (opacity)))
                  el.hidden = TRUE;
                if (color)
                  el.color = normalize_color (color);
                if (background)
                  el.background = normalize_color (background);
              }
            if (el.color == NULL)
              {
                g_autofree char *c = ob_html_token_attr_value (&scanner, &tok, "color");
                if (c)
                  el.color = normalize_color (c);
              }
            if (el.background == NULL)
              {
                g_autofree char *c = ob_html_token_attr_value (&scanner, &tok, "bgcolor");
                if (c)
                  el.background = normalize_color (c);
              }
            g_array_append_val (stack, el);
          }
          break;

        case OB_HTML_TOKEN_END:
          if (g_str_equal (tok.name, "head"))
            in_head = FALSE;
          if (g_str_equal (tok.name, "a") && open_anchor >= 0)
            {
              g_array_index (lint->links, Link, open_anchor).text_end = visible->len;
              open_anchor = -1;
            }
          for (gssize e = (gssize) stack->len - 1; e >= 0; e--)
            if (g_str_equal (g_array_index (stack, Element, e).name, tok.name))
              {
                g_array_set_size (stack, e);
                break;
              }
          if (ob_html_is_block_element (tok.name))
            {
              gsize at = tok.start;
              g_string_append_c (visible, ' ');
              g_array_append_val (t->map_start, at);
              g_array_append_val (t->map_end, tok.end);
            }
          break;

        case OB_HTML_TOKEN_RAW:
        case OB_HTML_TOKEN_COMMENT:
        case OB_HTML_TOKEN_DECL:
        case OB_HTML_TOKEN_EOF:
        default:
          break;
        }
    }
}

/* libxml2's opinion of the HTML, as html-invalid findings. */
typedef struct
{
  Lint *lint;
  guint count;
  GArray *line_starts; /* gsize */
} XmlErrors;

static void
xml_error_cb (void        *user_data,
              xmlErrorPtr  error)
{
  XmlErrors *xe = user_data;
  Lint *lint = xe->lint;
  gsize offset, end;
  g_autofree char *message = NULL;

  if (error == NULL || error->level < XML_ERR_ERROR || xe->count >= MAX_HTML_ERRORS)
    return;
  if (error->code == XML_HTML_UNKNOWN_TAG && error->str1 != NULL &&
      g_strv_contains (html5_elements, error->str1))
    return;
  xe->count++;

  if (error->line > 0 && (guint) error->line <= xe->line_starts->len)
    offset = g_array_index (xe->line_starts, gsize, error->line - 1) + MAX (error->int2, 1) - 1;
  else
    offset = lint->html.len;
  offset = MIN (offset, lint->html.len);
  while (offset > 0 && ((guchar) lint->html.src[offset] & 0xC0) == 0x80)
    offset--;
  /* Inside or just after a tag: show the whole tag. */
  {
    gsize k = MIN (offset, lint->html.len);

    while (k > 0 && lint->html.src[k - 1] != '<' && lint->html.src[k - 1] != '>' &&
           lint->html.src[k - 1] != '\n')
      k--;
    if (k > 0 && lint->html.src[k - 1] == '<')
      offset = k - 1;
  }
  end = offset;
  while (end < lint->html.len && lint->html.src[end] != '\n' && lint->html.src[end] != '>')
    end++;
  if (end < lint->html.len && lint->html.src[end] == '>')
    end++;
  if (end == offset && offset > 0)
    offset--;

  /* libxml2 quotes the input, which may cut a character in two. */
  message = g_strstrip (g_utf8_make_valid (error->message ? error->message : "", -1));
  add (lint, "html-invalid", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML,
       lint->html.cp[offset], lint->html.cp[end],
       g_strdup_printf (_("The HTML has a mistake here (%s); mail programs may show it differently"), message),
       g_strdup (_("Correct the markup, or write the body as plain text")));
}

static void
check_html_validity (Lint *lint)
{
  XmlErrors xe = { lint, 0, g_array_new (FALSE, FALSE, sizeof (gsize)) };
  htmlSAXHandler sax;
  htmlDocPtr doc;
  gsize zero = 0;

  g_array_append_val (xe.line_starts, zero);
  for (gsize i = 0; i < lint->html.len; i++)
    if (lint->html.src[i] == '\n')
      {
        gsize next = i + 1;
        g_array_append_val (xe.line_starts, next);
      }

  /* Only the errors matter, so parse without building a tree. */
  memset (&sax, 0, sizeof sax);
  xmlSetStructuredErrorFunc (&xe, xml_error_cb);
  doc = htmlSAXParseDoc ((const xmlChar *) lint->html.src, "UTF-8", &sax, NULL);
  xmlSetStructuredErrorFunc (NULL, NULL);
  if (doc != NULL)
    xmlFreeDoc (doc);
  g_array_unref (xe.line_starts);
}

static gsize
count_visible_chars (const Text *t)
{
  gsize n = 0;

  for (gsize i = 0; i < t->n; i++)
    if (!g_unichar_isspace (t->cps[i]) && t->cps[i] != 0xA0)
      n++;
  return n;
}

/* Unsubscribe line and sender identity. */

static gboolean
has_phrase (const Text        *t,
            const PhraseIndex *index)
{
  g_autoptr(GArray) m = find_phrases (t, index);
  return m->len > 0;
}

static gboolean
has_field (Source     *source,
           const char *name)
{
  GPtrArray *fields;

  fields = source_fields (source);
  for (guint i = 0; i < fields->len; i++)
    if (g_str_equal (((ObMergeField *) g_ptr_array_index (fields, i))->name, name))
      return TRUE;
  return FALSE;
}

static gboolean
has_phone_number (const Text *t)
{
  for (gsize i = 0; i < t->n; i++)
    {
      guint digits = 0;
      gsize j = i;

      if (!(t->cps[i] == '+' || g_unichar_isdigit (t->cps[i])) ||
          (i > 0 && g_unichar_isdigit (t->cps[i - 1])))
        continue;
      while (j < t->n && (g_unichar_isdigit (t->cps[j]) || strchr (" -()", (int) MIN (t->cps[j], 127)) != NULL ||
                          t->cps[j] == '+'))
        {
          if (g_unichar_isdigit (t->cps[j]))
            digits++;
          j++;
        }
      if (digits >= 7)
        return TRUE;
      i = j > i ? j - 1 : i;
    }
  return FALSE;
}

#define SIGNATURE_TAIL 1500 /* code points at the end where a signature block is looked for */

static guint
identity_cues (const Text *full,
               Source     *source)
{
  g_autoptr(GArray) m = NULL;
  gboolean company = FALSE, contact = FALSE;
  guint cues = 0;
  Text tail;
  const Text *t = full;

  if (full->n == 0)
    return 0;
  /* The signature is at the end: look only there. */
  if (full->n > SIGNATURE_TAIL)
    {
      gsize skip = full->n - SIGNATURE_TAIL;

      tail = *full;
      tail.cps = full->cps + skip;
      tail.byte_of = full->byte_of + skip;
      tail.n = SIGNATURE_TAIL;
      t = &tail;
    }
  m = find_phrases (t, identity_index ());
  for (guint i = 0; i < m->len; i++)
    {
      const Phrase *p = g_array_index (m, PhraseMatch, i).phrase;
      if (g_str_equal (p->alternative, "company"))
        company = TRUE;
      else
        contact = TRUE;
    }
  cues += company + contact;
  if (has_phone_number (t))
    cues++;
  if (strstr (source->src, "www.") != NULL)
    cues++;
  if (strstr (source->src, "\n-- \n") != NULL || g_str_has_prefix (source->src, "-- \n"))
    cues += 2;
  if (has_field (source, "sender_name") || has_field (source, "sender_email"))
    cues++;
  return cues;
}

static void
check_footer (Lint *lint)
{
  gboolean has_text = lint->text.len > 0;
  gboolean has_html = lint->html.len > 0;
  Source *where = has_text || !has_html ? &lint->text : &lint->html;
  gboolean unsubscribe = FALSE;
  gboolean identity = FALSE;

  if (!has_text && !has_html)
    {
      add (lint, "body-empty", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_TEXT, 0, 0,
           g_strdup (_("The mail has no text")),
           g_strdup (_("Write the message: who you are, why you write, and what you offer")));
      return;
    }
  if (count_visible_chars (has_html ? &lint->html_t : &lint->text_t) == 0 &&
      (!has_text || count_visible_chars (&lint->text_t) == 0) && lint->n_images == 0)
    {
      add (lint, "body-empty", OB_LINT_SEVERITY_ERROR, where->part, 0, where->cp[where->len],
           g_strdup (_("The mail has no text")),
           g_strdup (_("Write the message: who you are, why you write, and what you offer")));
      return;
    }

  if (has_text && has_phrase (&lint->text_t, unsubscribe_index ()))
    unsubscribe = TRUE;
  if (has_html && has_phrase (&lint->html_t, unsubscribe_index ()))
    unsubscribe = TRUE;
  for (guint i = 0; !unsubscribe && i < lint->links->len; i++)
    {
      g_autofree char *href = g_ascii_strdown (g_array_index (lint->links, Link, i).href, -1);
      if (strstr (href, "unsubscribe") != NULL || strstr (href, "optout") != NULL ||
          strstr (href, "opt-out") != NULL)
        unsubscribe = TRUE;
    }
  if (!unsubscribe)
    {
      /* The line goes into the mail, so it is in the mail's language,
       * whatever the language of the interface. */
      const char *line = unsubscribe_line (ob_template_get_language (lint->template));
      g_autofree char *escaped = g_markup_escape_text (line, -1);
      g_autofree char *insert = where->part == OB_LINT_PART_HTML ? g_strdup_printf ("\n<p>%s</p>\n", escaped)
                                                                : g_strdup_printf ("\n\n%s\n", line);

      add (lint, "missing-unsubscribe", OB_LINT_SEVERITY_WARNING, where->part,
           where->cp[where->len], where->cp[where->len],
           g_strdup (_("There is no way to opt out; recipients who cannot unsubscribe press “Spam” instead")),
           g_strdup_printf (_("Add a line such as: %s"), line));
      set_replacement (lint, insert);
    }

  if (has_field (&lint->text, "signature") || has_field (&lint->html, "signature"))
    identity = TRUE;
  else if ((has_text && identity_cues (&lint->text_t, &lint->text) >= 2) ||
           (has_html && identity_cues (&lint->html_t, &lint->html) >= 2))
    identity = TRUE;
  if (!identity)
    {
      add (lint, "missing-sender-identity", OB_LINT_SEVERITY_WARNING, where->part,
           where->cp[where->len], where->cp[where->len],
           g_strdup (_("The mail does not say who is writing: no signature with your name, company and address or phone")),
           g_strdup (_("End with a signature block: your name, your company, its address or phone, and its website; "
                       "or insert {{signature}}")));
      set_replacement (lint, where->part == OB_LINT_PART_HTML ? "\n<p>{{signature}}</p>\n" : "\n\n{{signature}}\n");
    }
}

static const char *
file_extension (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *dot;

  base = base ? base + 1 : path;
  dot = strrchr (base, '.');
  return dot && dot != base ? dot + 1 : NULL;
}

static void
check_attachments (Lint *lint)
{
  GPtrArray *attachments = ob_template_get_attachments (lint->template);
  gsize offset = 0;

  for (guint i = 0; i < attachments->len; i++)
    {
      ObTemplateAttachment *a = g_ptr_array_index (attachments, i);
      gsize len = g_utf8_strlen (a->path, -1);
      const char *ext = file_extension (a->path);
      g_autofree char *lower = ext ? g_ascii_strdown (ext, -1) : NULL;
      g_autofree char *base = g_path_get_basename (a->path);

      if (a->size < 0)
        add (lint, "attachment-missing", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_ATTACHMENT, offset, offset + len,
             g_strdup_printf (_("The attachment “%s” cannot be found or read"), base),
             g_strdup (_("Check the path, or remove the attachment")));
      else if (a->size > ATTACHMENT_WARN_SIZE)
        {
          g_autofree char *size = g_format_size (a->size);
          add (lint, "attachment-size",
               a->size > ATTACHMENT_ERROR_SIZE ? OB_LINT_SEVERITY_ERROR : OB_LINT_SEVERITY_WARNING,
               OB_LINT_PART_ATTACHMENT, offset, offset + len,
               g_strdup_printf (_("“%s” is %s; large attachments in a first mail are often rejected or filtered"),
                                base, size),
               g_strdup (_("Put the file on your website and send a link instead")));
        }

      if (lower != NULL && g_strv_contains (risky_executables, lower))
        add (lint, "attachment-risky", OB_LINT_SEVERITY_ERROR, OB_LINT_PART_ATTACHMENT, offset, offset + len,
             g_strdup_printf (_("“%s” is a program or script; mail servers block such attachments as likely malware"),
                              base),
             g_strdup (_("Send a PDF, or a link to the file")));
      else if (lower != NULL && g_strv_contains (risky_documents, lower))
        add (lint, "attachment-risky", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_ATTACHMENT, offset, offset + len,
             g_strdup_printf (_("“%s” is a macro document or an unusual archive; filters often quarantine these"),
                              base),
             g_strdup (_("Save it as PDF or as a document without macros")));

      offset += len + 1;
    }
}

/* ---------------------------------------------------------------------- */

static void
ob_template_linter_finalize (GObject *object)
{
  ObTemplateLinter *self = (ObTemplateLinter *)object;

  g_clear_pointer (&self->known_fields, g_hash_table_unref);
  g_clear_pointer (&self->audience, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_template_linter_parent_class)->finalize (object);
}

static void
ob_template_linter_class_init (ObTemplateLinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_template_linter_finalize;

  /* libxml2 2.9 must be initialised once before threads use it; class
   * initialisation runs once, before any linter exists. */
  xmlInitParser ();
}

static void
ob_template_linter_init (ObTemplateLinter *self)
{
  self->known_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->first_mail = TRUE;
}

ObTemplateLinter *
ob_template_linter_new (void)
{
  return g_object_new (OB_TYPE_TEMPLATE_LINTER, NULL);
}

/* A custom field (from imports) that merge fields may use. */
void
ob_template_linter_add_known_field (ObTemplateLinter *self,
                                    const char       *name)
{
  g_return_if_fail (OB_IS_TEMPLATE_LINTER (self));
  g_return_if_fail (name != NULL);

  g_hash_table_add (self->known_fields, g_ascii_strdown (name, -1));
}

/**
 * ob_template_linter_set_audience:
 * @audience: (nullable) (element-type GHashTable): each contact's fields
 *   (field → value); %NULL when the audience is not known
 *
 * With an audience, merge-field-no-fallback only reports fields some of
 * these contacts lack.
 */
void
ob_template_linter_set_audience (ObTemplateLinter *self,
                                 GPtrArray        *audience)
{
  g_return_if_fail (OB_IS_TEMPLATE_LINTER (self));

  g_clear_pointer (&self->audience, g_ptr_array_unref);
  if (audience != NULL)
    self->audience = g_ptr_array_ref (audience);
}

/* A follow-up may start with "Re:"; a first mail may not. Default TRUE. */
void
ob_template_linter_set_first_mail (ObTemplateLinter *self,
                                   gboolean          first_mail)
{
  g_return_if_fail (OB_IS_TEMPLATE_LINTER (self));

  self->first_mail = !!first_mail;
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const ObLintFinding *fa = *(ObLintFinding * const *) a;
  const ObLintFinding *fb = *(ObLintFinding * const *) b;

  if (fa->part != fb->part)
    return fa->part < fb->part ? -1 : 1;
  if (fa->start != fb->start)
    return fa->start < fb->start ? -1 : 1;
  if (fa->end != fb->end)
    return fa->end < fb->end ? -1 : 1;
  return g_strcmp0 (fa->rule, fb->rule);
}

/**
 * ob_template_linter_lint:
 *
 * Runs every rule over @template. Safe to call from a worker thread (one
 * linter per thread).
 *
 * Returns: (transfer full) (element-type ObLintFinding): the findings,
 *   ordered by part and position.
 */
GPtrArray *
ob_template_linter_lint (ObTemplateLinter *self,
                         ObTemplate       *template)
{
  Lint lint = { 0 };
  g_autoptr(GString) visible = NULL;
  GPtrArray *attachments;
  const char *body_text;
  const char *body_html;
  gsize total_size;

  g_return_val_if_fail (OB_IS_TEMPLATE_LINTER (self), NULL);
  g_return_val_if_fail (OB_IS_TEMPLATE (template), NULL);

  lint.self = self;
  lint.template = template;
  lint.findings = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_lint_finding_free);
  lint.links = g_array_new (FALSE, TRUE, sizeof (Link));
  g_array_set_clear_func (lint.links, link_clear);

  body_text = ob_template_get_body_text (template);
  body_html = ob_template_get_body_html (template);

  source_init (&lint.subject, OB_LINT_PART_SUBJECT, ob_template_get_subject (template));
  source_init (&lint.text, OB_LINT_PART_TEXT, body_text);
  source_init (&lint.html, OB_LINT_PART_HTML, body_html);
  attachments = ob_template_get_attachments (template);
  lint.attachments_text = g_string_new (NULL);
  for (guint i = 0; i < attachments->len; i++)
    {
      if (i > 0)
        g_string_append_c (lint.attachments_text, '\n');
      g_string_append (lint.attachments_text,
                       ((ObTemplateAttachment *) g_ptr_array_index (attachments, i))->path);
    }
  source_init (&lint.attachments, OB_LINT_PART_ATTACHMENT, lint.attachments_text->str);

  text_init_source (&lint.subject_t, &lint.subject);
  text_init_source (&lint.text_t, &lint.text);

  /* Visible text of the HTML, each byte mapped to its source range. */
  visible = g_string_sized_new (lint.html.len);
  lint.html_t.source = &lint.html;
  lint.html_t.map_start = g_array_sized_new (FALSE, FALSE, sizeof (gsize), lint.html.len);
  lint.html_t.map_end = g_array_sized_new (FALSE, FALSE, sizeof (gsize), lint.html.len);
  if (lint.html.len > 0)
    scan_html (&lint, visible);
  lint.html_t.s = visible->str;
  lint.html_t.len = visible->len;
  text_prepare (&lint.html_t);

  check_subject (&lint);
  check_merge_fields (&lint, &lint.subject);
  check_merge_fields (&lint, &lint.text);
  check_merge_fields (&lint, &lint.html);

  if (lint.text.len > 0)
    {
      g_autoptr(GArray) text_links = g_array_new (FALSE, TRUE, sizeof (Link));

      g_array_set_clear_func (text_links, link_clear);
      check_body_text (&lint, &lint.text_t);
      collect_text_links (&lint, &lint.text_t, text_links);
      check_links (&lint, &lint.text_t, text_links);
      /* Links in the text part count for the unsubscribe check too. */
      for (guint i = 0; i < text_links->len; i++)
        {
          Link copy = g_array_index (text_links, Link, i);
          copy.href = g_strdup (copy.href);
          g_array_append_val (lint.links, copy);
        }
    }

  if (lint.html.len > 0)
    {
      gsize visible_chars = count_visible_chars (&lint.html_t);
      g_autoptr(GArray) html_links = g_array_new (FALSE, TRUE, sizeof (Link));

      check_body_text (&lint, &lint.html_t);
      for (guint i = 0; i < lint.links->len; i++)
        if (g_array_index (lint.links, Link, i).in_html)
          {
            Link copy = g_array_index (lint.links, Link, i);
            copy.href = g_strdup (copy.href);
            g_array_append_val (html_links, copy);
          }
      g_array_set_clear_func (html_links, link_clear);
      check_links (&lint, &lint.html_t, html_links);
      check_html_validity (&lint);

      if (lint.n_images > 0 && visible_chars < IMAGE_ONLY_TEXT)
        add (&lint, "image-only", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML,
             lint.first_image_start, lint.first_image_end,
             g_strdup (_("The mail is an image with almost no text; filters cannot read it and treat it as spam")),
             g_strdup (_("Write the message as text, and keep images as illustrations")));
      else if (lint.n_images > 0 && visible_chars < (gsize) TEXT_PER_IMAGE * lint.n_images)
        add (&lint, "image-ratio", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML,
             lint.first_image_start, lint.first_image_end,
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u image for only %u characters of text; mostly-image mail looks like advertising",
                                           "%u images for only %u characters of text; mostly-image mail looks like advertising",
                                           lint.n_images),
                              lint.n_images, (guint) visible_chars),
             g_strdup (_("Use fewer images or write more text")));
    }

  check_footer (&lint);
  check_attachments (&lint);

  total_size = lint.subject.len + lint.text.len + lint.html.len;
  if (total_size > MESSAGE_MAX_SIZE)
    {
      Source *big = lint.html.len > lint.text.len ? &lint.html : &lint.text;
      g_autofree char *size = g_format_size (total_size);

      add (&lint, "message-size", OB_LINT_SEVERITY_WARNING, big->part, 0, big->cp[big->len],
           g_strdup_printf (_("The message is %s; Gmail cuts messages over 102 KB and hides the rest, "
                              "including your unsubscribe line"), size),
           g_strdup (_("Shorten the text and remove embedded styles or images")));
    }

  g_ptr_array_sort (lint.findings, compare_findings);

  text_clear (&lint.subject_t);
  text_clear (&lint.text_t);
  text_clear (&lint.html_t);
  source_clear (&lint.subject);
  source_clear (&lint.text);
  source_clear (&lint.html);
  source_clear (&lint.attachments);
  g_string_free (lint.attachments_text, TRUE);
  g_array_unref (lint.links);

  return lint.findings;
}

typedef struct
{
  ObTemplateLinter *linter;
  ObTemplate       *template;
} LintJob;

static void
lint_job_free (LintJob *job)
{
  g_clear_object (&job->linter);
  g_clear_object (&job->template);
  g_free (job);
}

static void
lint_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LintJob *job = task_data;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, ob_template_linter_lint (job->linter, job->template),
                         (GDestroyNotify) g_ptr_array_unref);
}

/**
 * ob_template_linter_lint_async:
 *
 * Lints a snapshot of @template in a worker thread, so typing never waits
 * for the rules. The linter's settings are copied too; changing them
 * afterwards does not affect this run. The audience's tables are shared
 * with the worker: do not change them while a run is under way.
 */
void
ob_template_linter_lint_async (ObTemplateLinter    *self,
                               ObTemplate          *template,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LintJob *job;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (OB_IS_TEMPLATE_LINTER (self));
  g_return_if_fail (OB_IS_TEMPLATE (template));

  job = g_new0 (LintJob, 1);
  job->template = ob_template_copy (template);
  job->linter = ob_template_linter_new ();
  job->linter->first_mail = self->first_mail;
  if (self->audience != NULL)
    job->linter->audience = g_ptr_array_ref (self->audience);
  g_hash_table_iter_init (&iter, self->known_fields);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (job->linter->known_fields, g_strdup (key));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_template_linter_lint_async);
  g_task_set_task_data (task, job, (GDestroyNotify) lint_job_free);
  g_task_run_in_thread (task, lint_thread);
}

/* Returns: (transfer full) (element-type ObLintFinding): the findings. */
GPtrArray *
ob_template_linter_lint_finish (ObTemplateLinter  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (OB_IS_TEMPLATE_LINTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* 10 for a clean template; each error costs 3, each warning 1, each
 * note 0.25; never below 0. */
double
ob_template_linter_score (GPtrArray *findings)
{
  double score = 10.0;

  g_return_val_if_fail (findings != NULL, 0.0);

  for (guint i = 0; i < findings->len; i++)
    {
      ObLintFinding *f = g_ptr_array_index (findings, i);

      switch (f->severity)
        {
        case OB_LINT_SEVERITY_ERROR: score -= 3.0; break;
        case OB_LINT_SEVERITY_WARNING: score -= 1.0; break;
        case OB_LINT_SEVERITY_INFO: score -= 0.25; break;
        default: break;
        }
    }
  return MAX (score, 0.0);
}

gboolean
ob_template_linter_has_errors (GPtrArray *findings)
{
  g_return_val_if_fail (findings != NULL, FALSE);

  for (guint i = 0; i < findings->len; i++)
    if (((ObLintFinding *) g_ptr_array_index (findings, i))->severity == OB_LINT_SEVERITY_ERROR)
      return TRUE;
  return FALSE;
}
