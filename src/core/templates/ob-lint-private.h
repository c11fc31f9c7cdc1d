/* ob-lint-private.h — what the files of ObTemplateLinter share: the
 * linter's fields, the text model the rules read, the phrase lists, a
 * run's state, and each group of rules.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-template-linter.h"

G_BEGIN_DECLS

struct _ObTemplateLinter
{
  GObject     parent_instance;

  GHashTable *known_fields; /* set of extra field names */
  GPtrArray  *audience;     /* GHashTable field → value, or NULL */
  gboolean    first_mail;
};

/* ---------------------------------------------------------------------- */
/* Phrase lists (ob-lint-text.c, ob-lint-phrases.c)                        */

typedef struct
{
  gunichar *cps;
  guint     n;
  char     *phrase;
  char     *alternative;
  gboolean  exception;  /* an ordinary wording that contains a phrase */
  gboolean  no_bounds;  /* Chinese: no word boundaries */
} ObLintPhrase;

typedef struct
{
  GHashTable *by_first; /* PAIR_KEY of the first two code points → GPtrArray of ObLintPhrase* (not owned) */
  GPtrArray  *all;      /* ObLintPhrase*, owned */
  gboolean    singles;  /* some phrases are one code point (Chinese): keyed with 0 */
} ObLintPhraseIndex;

typedef struct
{
  gsize               start;   /* code point index into the analysed text */
  gsize               end;
  const ObLintPhrase *phrase;
} ObLintPhraseMatch;

/* ---------------------------------------------------------------------- */
/* Analysed text with offsets (ob-lint-text.c)                             */

typedef struct
{
  ObLintPart  part;
  const char *src;
  gsize       len;
  guint32    *cp;       /* cp[i]: code point index of byte i; cp[len] = total */
  GPtrArray  *fields;   /* ObMergeField, parsed once */
  GPtrArray  *problems; /* ObMergeProblem */
} ObLintSource;

typedef struct
{
  ObLintSource *source;
  const char   *s;
  gsize         len;
  GArray       *map_start; /* gsize per byte of s: source byte range; NULL when s is the source */
  GArray       *map_end;
  /* s as normalised code points, with the byte offset of each */
  gunichar     *cps;
  gsize        *byte_of;
  gsize         n;
} ObLintText;

typedef struct
{
  char  *href;
  gsize  href_start, href_end;  /* source byte range of the href value */
  gsize  text_start, text_end;  /* byte range in the visible text */
  gsize  tag_start, tag_end;
  gboolean in_html;
} ObLintLink;

/* One run of ob_template_linter_lint(). */
typedef struct
{
  ObTemplateLinter *self;
  ObTemplate       *template;
  GPtrArray        *findings;
  ObLintSource      subject;
  ObLintSource      text;
  ObLintSource      html;
  ObLintSource      attachments;
  GString          *attachments_text;
  ObLintText        subject_t;
  ObLintText        text_t;
  ObLintText        html_t;
  GArray           *links;      /* ObLintLink */
  guint             n_images;
  gsize             first_image_start, first_image_end;
} ObLint;

/* ob-lint-text.c */
void                     _ob_lint_source_init         (ObLintSource            *source,
                                                       ObLintPart               part,
                                                       const char              *src);
GPtrArray               *_ob_lint_source_fields       (ObLintSource            *source);
void                     _ob_lint_source_clear        (ObLintSource            *source);
void                     _ob_lint_text_prepare        (ObLintText              *t);
void                     _ob_lint_text_init_source    (ObLintText              *t,
                                                       ObLintSource            *source);
void                     _ob_lint_text_clear          (ObLintText              *t);
void                     _ob_lint_text_byte_range     (const ObLintText        *t,
                                                       gsize                    bs,
                                                       gsize                    be,
                                                       gsize                   *start,
                                                       gsize                   *end);
void                     _ob_lint_text_cp_range       (const ObLintText        *t,
                                                       gsize                    cs,
                                                       gsize                    ce,
                                                       gsize                   *start,
                                                       gsize                   *end);
char                    *_ob_lint_text_substring      (const ObLintText        *t,
                                                       gsize                    cs,
                                                       gsize                    ce);
gsize                    _ob_lint_count_visible_chars (const ObLintText        *t);
ObLintPhraseIndex       *_ob_lint_phrase_index_new    (void);
void                     _ob_lint_phrase_index_add    (ObLintPhraseIndex       *index,
                                                       const char              *phrase,
                                                       const char              *alternative,
                                                       gboolean                 exception);
GArray                  *_ob_lint_find_phrases        (const ObLintText        *t,
                                                       const ObLintPhraseIndex *index);

/* ob-lint-phrases.c */
const ObLintPhraseIndex *_ob_lint_spam_phrases        (void);
const char              *_ob_lint_unsubscribe_line    (const char              *language);
const ObLintPhraseIndex *_ob_lint_unsubscribe_index   (void);
const ObLintPhraseIndex *_ob_lint_identity_index      (void);

/* ob-template-linter.c: a finding of @lint */
void                     _ob_lint_add                 (ObLint                  *lint,
                                                       const char              *rule,
                                                       ObLintSeverity           severity,
                                                       ObLintPart               part,
                                                       gsize                    start,
                                                       gsize                    end,
                                                       char                    *message,
                                                       char                    *fix);
void                     _ob_lint_set_replacement     (ObLint                  *lint,
                                                       const char              *replacement);
void                     _ob_lint_add_text            (ObLint                  *lint,
                                                       const ObLintText        *t,
                                                       const char              *rule,
                                                       ObLintSeverity           severity,
                                                       gsize                    cs,
                                                       gsize                    ce,
                                                       char                    *message,
                                                       char                    *fix);

/* ob-lint-wording.c */
void                     _ob_lint_check_subject       (ObLint                  *lint);
void                     _ob_lint_check_body_text     (ObLint                  *lint,
                                                       const ObLintText        *t);

/* ob-lint-fields.c */
void                     _ob_lint_check_merge_fields  (ObLint                  *lint,
                                                       ObLintSource            *source);

/* ob-lint-links.c */
void                     _ob_lint_collect_text_links  (ObLint                  *lint,
                                                       const ObLintText        *t,
                                                       GArray                  *links);
void                     _ob_lint_link_clear          (gpointer                 data);
void                     _ob_lint_check_links         (ObLint                  *lint,
                                                       const ObLintText        *t,
                                                       GArray                  *links);

/* ob-lint-html.c: _ob_lint_scan_html() appends the visible text of the
 * HTML to @visible and its source ranges to lint->html_t's maps. */
void                     _ob_lint_scan_html           (ObLint                  *lint,
                                                       GString                 *visible);
void                     _ob_lint_check_html_validity (ObLint                  *lint);

/* ob-lint-footer.c */
void                     _ob_lint_check_footer        (ObLint                  *lint);

/* ob-lint-attachments.c */
void                     _ob_lint_check_attachments   (ObLint                  *lint);

G_END_DECLS
