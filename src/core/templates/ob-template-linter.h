/* ob-template-linter.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ob-template.h"

G_BEGIN_DECLS

typedef enum
{
  OB_LINT_SEVERITY_ERROR,
  OB_LINT_SEVERITY_WARNING,
  OB_LINT_SEVERITY_INFO,
} ObLintSeverity;

typedef enum
{
  OB_LINT_PART_SUBJECT,
  OB_LINT_PART_TEXT,
  OB_LINT_PART_HTML,
  OB_LINT_PART_ATTACHMENT, /* the attachment paths, one a line */
} ObLintPart;

/* One finding. start/end are Unicode code point offsets into the part
 * (end exclusive; start == end marks a place, e.g. where a missing line
 * would go). rule is a stable id of CLI.md; message and fix are
 * translated. fix says what to do, in words or as the text to write.
 * replacement, when not %NULL, is the text that replaces [start, end) to
 * apply the fix in one click ("" deletes; start == end inserts). */
typedef struct
{
  char           *rule;
  ObLintSeverity  severity;
  ObLintPart      part;
  gsize           start;
  gsize           end;
  char           *message;
  char           *fix;
  char           *replacement;
} ObLintFinding;

#define OB_TYPE_LINT_FINDING (ob_lint_finding_get_type ())

GType          ob_lint_finding_get_type      (void) G_GNUC_CONST;
ObLintFinding *ob_lint_finding_copy          (const ObLintFinding *finding);
void           ob_lint_finding_free          (ObLintFinding       *finding);
const char    *ob_lint_severity_to_string    (ObLintSeverity       severity);
const char    *ob_lint_part_to_string        (ObLintPart           part);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObLintFinding, ob_lint_finding_free)

#define OB_TYPE_TEMPLATE_LINTER (ob_template_linter_get_type ())

G_DECLARE_FINAL_TYPE (ObTemplateLinter, ob_template_linter, OB, TEMPLATE_LINTER, GObject)

ObTemplateLinter *ob_template_linter_new              (void);
void              ob_template_linter_add_known_field  (ObTemplateLinter *self,
                                                       const char       *name);
void              ob_template_linter_set_audience     (ObTemplateLinter *self,
                                                       GPtrArray        *audience);
void              ob_template_linter_set_first_mail   (ObTemplateLinter *self,
                                                       gboolean          first_mail);
GPtrArray        *ob_template_linter_lint             (ObTemplateLinter *self,
                                                       ObTemplate       *template);
void              ob_template_linter_lint_async       (ObTemplateLinter    *self,
                                                       ObTemplate          *template,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray        *ob_template_linter_lint_finish      (ObTemplateLinter    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
double            ob_template_linter_score            (GPtrArray        *findings);
gboolean          ob_template_linter_has_errors       (GPtrArray        *findings);

G_END_DECLS
