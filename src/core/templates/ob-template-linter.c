/* ob-template-linter.c — the content rules of CLI.md `lint`.
 *
 * The ObTemplateLinter object, its findings, and a run:
 * ob_template_linter_lint() prepares the parts and their texts
 * (ob-lint-text.c), asks each group of rules (ob-lint-*.c, one file a
 * group) for findings, adds the whole-message ones (image-only,
 * image-ratio, message-size) and orders them. ob-lint-private.h is what
 * the rules share.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template-linter"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libxml/parser.h>

#include "ob-lint-private.h"
#include "ob-template-linter.h"

#define MESSAGE_MAX_SIZE       (102 * 1024)
#define IMAGE_ONLY_TEXT        60   /* visible characters below which a mail with images is "only images" */
#define TEXT_PER_IMAGE         300  /* visible characters each image should be balanced by */

G_DEFINE_FINAL_TYPE (ObTemplateLinter, ob_template_linter, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (ObLintFinding, ob_lint_finding, ob_lint_finding_copy, ob_lint_finding_free)

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

void
_ob_lint_add (ObLint         *lint,
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
void
_ob_lint_set_replacement (ObLint     *lint,
                          const char *replacement)
{
  ObLintFinding *f = g_ptr_array_index (lint->findings, lint->findings->len - 1);

  g_free (f->replacement);
  f->replacement = g_strdup (replacement);
}

void
_ob_lint_add_text (ObLint           *lint,
                   const ObLintText *t,
                   const char       *rule,
                   ObLintSeverity    severity,
                   gsize             cs,
                   gsize             ce,
                   char             *message,
                   char             *fix)
{
  gsize start, end;

  _ob_lint_text_cp_range (t, cs, ce, &start, &end);
  _ob_lint_add (lint, rule, severity, t->source->part, start, end, message, fix);
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
  ObLint lint = { 0 };
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
  lint.links = g_array_new (FALSE, TRUE, sizeof (ObLintLink));
  g_array_set_clear_func (lint.links, _ob_lint_link_clear);

  body_text = ob_template_get_body_text (template);
  body_html = ob_template_get_body_html (template);

  _ob_lint_source_init (&lint.subject, OB_LINT_PART_SUBJECT, ob_template_get_subject (template));
  _ob_lint_source_init (&lint.text, OB_LINT_PART_TEXT, body_text);
  _ob_lint_source_init (&lint.html, OB_LINT_PART_HTML, body_html);
  attachments = ob_template_get_attachments (template);
  lint.attachments_text = g_string_new (NULL);
  for (guint i = 0; i < attachments->len; i++)
    {
      if (i > 0)
        g_string_append_c (lint.attachments_text, '\n');
      g_string_append (lint.attachments_text,
                       ((ObTemplateAttachment *) g_ptr_array_index (attachments, i))->path);
    }
  _ob_lint_source_init (&lint.attachments, OB_LINT_PART_ATTACHMENT, lint.attachments_text->str);

  _ob_lint_text_init_source (&lint.subject_t, &lint.subject);
  _ob_lint_text_init_source (&lint.text_t, &lint.text);

  /* Visible text of the HTML, each byte mapped to its source range. */
  visible = g_string_sized_new (lint.html.len);
  lint.html_t.source = &lint.html;
  lint.html_t.map_start = g_array_sized_new (FALSE, FALSE, sizeof (gsize), lint.html.len);
  lint.html_t.map_end = g_array_sized_new (FALSE, FALSE, sizeof (gsize), lint.html.len);
  if (lint.html.len > 0)
    _ob_lint_scan_html (&lint, visible);
  lint.html_t.s = visible->str;
  lint.html_t.len = visible->len;
  _ob_lint_text_prepare (&lint.html_t);

  _ob_lint_check_subject (&lint);
  _ob_lint_check_merge_fields (&lint, &lint.subject);
  _ob_lint_check_merge_fields (&lint, &lint.text);
  _ob_lint_check_merge_fields (&lint, &lint.html);

  if (lint.text.len > 0)
    {
      g_autoptr(GArray) text_links = g_array_new (FALSE, TRUE, sizeof (ObLintLink));

      g_array_set_clear_func (text_links, _ob_lint_link_clear);
      _ob_lint_check_body_text (&lint, &lint.text_t);
      _ob_lint_collect_text_links (&lint, &lint.text_t, text_links);
      _ob_lint_check_links (&lint, &lint.text_t, text_links);
      /* Links in the text part count for the unsubscribe check too. */
      for (guint i = 0; i < text_links->len; i++)
        {
          ObLintLink copy = g_array_index (text_links, ObLintLink, i);
          copy.href = g_strdup (copy.href);
          g_array_append_val (lint.links, copy);
        }
    }

  if (lint.html.len > 0)
    {
      gsize visible_chars = _ob_lint_count_visible_chars (&lint.html_t);
      g_autoptr(GArray) html_links = g_array_new (FALSE, TRUE, sizeof (ObLintLink));

      _ob_lint_check_body_text (&lint, &lint.html_t);
      for (guint i = 0; i < lint.links->len; i++)
        if (g_array_index (lint.links, ObLintLink, i).in_html)
          {
            ObLintLink copy = g_array_index (lint.links, ObLintLink, i);
            copy.href = g_strdup (copy.href);
            g_array_append_val (html_links, copy);
          }
      g_array_set_clear_func (html_links, _ob_lint_link_clear);
      _ob_lint_check_links (&lint, &lint.html_t, html_links);
      _ob_lint_check_html_validity (&lint);

      if (lint.n_images > 0 && visible_chars < IMAGE_ONLY_TEXT)
        _ob_lint_add (&lint, "image-only", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML,
                      lint.first_image_start, lint.first_image_end,
                      g_strdup (_("The mail is an image with almost no text; filters cannot read it and treat it as spam")),
                      g_strdup (_("Write the message as text, and keep images as illustrations")));
      else if (lint.n_images > 0 && visible_chars < (gsize) TEXT_PER_IMAGE * lint.n_images)
        _ob_lint_add (&lint, "image-ratio", OB_LINT_SEVERITY_WARNING, OB_LINT_PART_HTML,
                      lint.first_image_start, lint.first_image_end,
                      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u image for only %u characters of text; mostly-image mail looks like advertising",
                                                    "%u images for only %u characters of text; mostly-image mail looks like advertising",
                                                    lint.n_images),
                                       lint.n_images, (guint) visible_chars),
                      g_strdup (_("Use fewer images or write more text")));
    }

  _ob_lint_check_footer (&lint);
  _ob_lint_check_attachments (&lint);

  total_size = lint.subject.len + lint.text.len + lint.html.len;
  if (total_size > MESSAGE_MAX_SIZE)
    {
      ObLintSource *big = lint.html.len > lint.text.len ? &lint.html : &lint.text;
      g_autofree char *size = g_format_size (total_size);

      _ob_lint_add (&lint, "message-size", OB_LINT_SEVERITY_WARNING, big->part, 0, big->cp[big->len],
                    g_strdup_printf (_("The message is %s; Gmail cuts messages over 102 KB and hides the rest, "
                                       "including your unsubscribe line"), size),
                    g_strdup (_("Shorten the text and remove embedded styles or images")));
    }

  g_ptr_array_sort (lint.findings, compare_findings);

  _ob_lint_text_clear (&lint.subject_t);
  _ob_lint_text_clear (&lint.text_t);
  _ob_lint_text_clear (&lint.html_t);
  _ob_lint_source_clear (&lint.subject);
  _ob_lint_source_clear (&lint.text);
  _ob_lint_source_clear (&lint.html);
  _ob_lint_source_clear (&lint.attachments);
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
