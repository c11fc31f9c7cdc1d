/* ob-template-editor.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ob-store.h"
#include "ob-template.h"

G_BEGIN_DECLS

#define OB_TYPE_TEMPLATE_EDITOR (ob_template_editor_get_type ())

G_DECLARE_FINAL_TYPE (ObTemplateEditor, ob_template_editor, OB, TEMPLATE_EDITOR, GtkWidget)

GtkWidget  *ob_template_editor_new           (void);
void        ob_template_editor_set_store     (ObTemplateEditor *self,
                                              ObStore          *store);
void        ob_template_editor_set_template  (ObTemplateEditor *self,
                                              ObTemplate       *template);
ObTemplate *ob_template_editor_get_template  (ObTemplateEditor *self);
gboolean    ob_template_editor_get_modified  (ObTemplateEditor *self);
GPtrArray  *ob_template_editor_get_findings  (ObTemplateEditor *self);
void        ob_template_editor_lint_now      (ObTemplateEditor *self);
gboolean    ob_template_editor_save          (ObTemplateEditor *self,
                                              GError          **error);

G_END_DECLS
