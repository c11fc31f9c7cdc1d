/* ob-template.h
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>


G_BEGIN_DECLS

/* A file attached to a template. size is -1 when the file could not be
 * read when the template was loaded. */
typedef struct
{
  char   *path;
  gint64  size;
  char   *content_type; /* a MIME type, e.g. "application/pdf" */
} ObTemplateAttachment;

#define OB_TYPE_TEMPLATE_ATTACHMENT (ob_template_attachment_get_type ())

GType                 ob_template_attachment_get_type (void) G_GNUC_CONST;
ObTemplateAttachment *ob_template_attachment_new      (const char                 *path,
                                                       gint64                      size,
                                                       const char                 *content_type);
ObTemplateAttachment *ob_template_attachment_new_for_file (const char             *path);
ObTemplateAttachment *ob_template_attachment_copy     (const ObTemplateAttachment *attachment);
void                  ob_template_attachment_free     (ObTemplateAttachment       *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObTemplateAttachment, ob_template_attachment_free)

#define OB_TYPE_TEMPLATE (ob_template_get_type ())

G_DECLARE_FINAL_TYPE (ObTemplate, ob_template, OB, TEMPLATE, GObject)

ObTemplate  *ob_template_new               (void);
ObTemplate  *ob_template_new_from_data     (const char   *data,
                                            gssize        length,
                                            const char   *base_dir,
                                            GError      **error);
ObTemplate  *ob_template_new_from_file     (const char   *path,
                                            GError      **error);
char        *ob_template_to_data           (ObTemplate   *self);
ObTemplate  *ob_template_copy              (ObTemplate   *self);

gint64       ob_template_get_id            (ObTemplate   *self);
int          ob_template_get_version       (ObTemplate   *self);
const char  *ob_template_get_name          (ObTemplate   *self);
void         ob_template_set_name          (ObTemplate   *self,
                                            const char   *name);
const char  *ob_template_get_subject       (ObTemplate   *self);
void         ob_template_set_subject       (ObTemplate   *self,
                                            const char   *subject);
const char  *ob_template_get_body_text     (ObTemplate   *self);
void         ob_template_set_body_text     (ObTemplate   *self,
                                            const char   *body_text);
const char  *ob_template_get_body_html     (ObTemplate   *self);
void         ob_template_set_body_html     (ObTemplate   *self,
                                            const char   *body_html);
const char  *ob_template_get_language      (ObTemplate   *self);
void         ob_template_set_language      (ObTemplate   *self,
                                            const char   *language);
GPtrArray   *ob_template_get_attachments   (ObTemplate   *self);
void         ob_template_add_attachment    (ObTemplate   *self,
                                            const ObTemplateAttachment *attachment);
void         ob_template_clear_attachments (ObTemplate   *self);

/* For the template library (core/sending): what it keeps besides the
 * fields. */
void         ob_template_set_stored        (ObTemplate   *self,
                                            gint64        id,
                                            int           version);
char        *ob_template_dup_attachments_json (ObTemplate *self);
void         ob_template_set_attachments_json (ObTemplate *self,
                                               const char *json);

G_END_DECLS
