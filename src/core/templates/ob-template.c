/* ob-template.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-template"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-template.h"
#include "ob-templates.h"

struct _ObTemplate
{
  GObject    parent_instance;

  gint64     id;
  int        version;
  char      *name;
  char      *subject;
  char      *body_text;
  char      *body_html;
  char      *language;
  GPtrArray *attachments; /* ObTemplateAttachment */
};

G_DEFINE_FINAL_TYPE (ObTemplate, ob_template, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (ObTemplateAttachment, ob_template_attachment,
                     ob_template_attachment_copy, ob_template_attachment_free)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SUBJECT,
  PROP_BODY_TEXT,
  PROP_BODY_HTML,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

ObTemplateAttachment *
ob_template_attachment_new (const char *path,
                            gint64      size,
                            const char *content_type)
{
  ObTemplateAttachment *attachment = g_new0 (ObTemplateAttachment, 1);

  attachment->path = g_strdup (path);
  attachment->size = size;
  attachment->content_type = g_strdup (content_type ? content_type : "application/octet-stream");
  return attachment;
}

/* The MIME type from the name and the first bytes of the file. */
static char *
guess_mime_type (const char *path)
{
  g_autofree char *content_type = NULL;
  guchar head[1024];
  gsize head_len = 0;
  FILE *f;

  f = g_fopen (path, "rb");
  if (f != NULL)
    {
      head_len = fread (head, 1, sizeof head, f);
      fclose (f);
    }
  content_type = g_content_type_guess (path, head_len ? head : NULL, head_len, NULL);
  return content_type ? g_content_type_get_mime_type (content_type) : NULL;
}

/* Reads the size and type of @path now; size is -1 when it is missing. */
ObTemplateAttachment *
ob_template_attachment_new_for_file (const char *path)
{
  g_autofree char *mime = NULL;
  GStatBuf st;
  gint64 size = -1;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
    size = st.st_size;
  mime = guess_mime_type (path);
  return ob_template_attachment_new (path, size, mime);
}

ObTemplateAttachment *
ob_template_attachment_copy (const ObTemplateAttachment *attachment)
{
  return ob_template_attachment_new (attachment->path, attachment->size, attachment->content_type);
}

void
ob_template_attachment_free (ObTemplateAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->path);
  g_free (attachment->content_type);
  g_free (attachment);
}

static void
set_string (ObTemplate  *self,
            char       **field,
            const char  *value,
            int          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
ob_template_finalize (GObject *object)
{
  ObTemplate *self = (ObTemplate *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->body_text, g_free);
  g_clear_pointer (&self->body_html, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_template_parent_class)->finalize (object);
}

static void
ob_template_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ObTemplate *self = OB_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SUBJECT: g_value_set_string (value, self->subject); break;
    case PROP_BODY_TEXT: g_value_set_string (value, self->body_text); break;
    case PROP_BODY_HTML: g_value_set_string (value, self->body_html); break;
    case PROP_LANGUAGE: g_value_set_string (value, self->language); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_template_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ObTemplate *self = OB_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_NAME: ob_template_set_name (self, g_value_get_string (value)); break;
    case PROP_SUBJECT: ob_template_set_subject (self, g_value_get_string (value)); break;
    case PROP_BODY_TEXT: ob_template_set_body_text (self, g_value_get_string (value)); break;
    case PROP_BODY_HTML: ob_template_set_body_html (self, g_value_get_string (value)); break;
    case PROP_LANGUAGE: ob_template_set_language (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_template_class_init (ObTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_template_finalize;
  object_class->get_property = ob_template_get_property;
  object_class->set_property = ob_template_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BODY_TEXT] =
    g_param_spec_string ("body-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BODY_HTML] =
    g_param_spec_string ("body-html", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_template_init (ObTemplate *self)
{
  self->subject = g_strdup ("");
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_template_attachment_free);
}

ObTemplate *
ob_template_new (void)
{
  return g_object_new (OB_TYPE_TEMPLATE, NULL);
}

/* A deep copy, id and version included: a snapshot a worker thread can
 * read while the original keeps changing. */
ObTemplate *
ob_template_copy (ObTemplate *self)
{
  ObTemplate *copy;

  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);

  copy = ob_template_new ();
  copy->id = self->id;
  copy->version = self->version;
  copy->name = g_strdup (self->name);
  g_free (copy->subject);
  copy->subject = g_strdup (self->subject);
  copy->body_text = g_strdup (self->body_text);
  copy->body_html = g_strdup (self->body_html);
  copy->language = g_strdup (self->language);
  for (guint i = 0; i < self->attachments->len; i++)
    g_ptr_array_add (copy->attachments, ob_template_attachment_copy (g_ptr_array_index (self->attachments, i)));
  return copy;
}

static gboolean
is_header_name (const char *start,
                const char *end)
{
  if (start == end)
    return FALSE;
  for (const char *p = start; p < end; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static int
line_of (const char *data,
         const char *at)
{
  int line = 1;

  for (const char *p = data; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

static gboolean
apply_header (ObTemplate  *self,
              const char  *name,
              const char  *value,
              const char  *base_dir,
              int          line,
              gboolean    *is_html,
              gboolean    *seen_subject,
              GError     **error)
{
  if (g_ascii_strcasecmp (name, "Subject") == 0)
    {
      if (*seen_subject)
        {
          g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                       _("Line %d: a second “Subject:” header; a template has one subject"), line);
          return FALSE;
        }
      *seen_subject = TRUE;
      g_free (self->subject);
      self->subject = g_strdup (value);
    }
  else if (g_ascii_strcasecmp (name, "Content-Type") == 0)
    {
      g_autofree char *type = g_ascii_strdown (value, strcspn (value, ";"));

      g_strstrip (type);
      if (g_str_equal (type, "text/html"))
        *is_html = TRUE;
      else if (g_str_equal (type, "text/plain"))
        *is_html = FALSE;
      else
        {
          g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                       _("Line %d: the body can be “text/plain” or “text/html”, not “%s”"),
                       line, type);
          return FALSE;
        }
    }
  else if (g_ascii_strcasecmp (name, "Attachment") == 0)
    {
      g_autofree char *path = NULL;

      if (*value == '\0')
        {
          g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                       _("Line %d: “Attachment:” needs the path of a file"), line);
          return FALSE;
        }
      if (base_dir != NULL && !g_path_is_absolute (value))
        path = g_build_filename (base_dir, value, NULL);
      else
        path = g_strdup (value);
      if (base_dir != NULL)
        g_ptr_array_add (self->attachments, ob_template_attachment_new_for_file (path));
      else
        g_ptr_array_add (self->attachments, ob_template_attachment_new (path, -1, NULL));
    }
  else if (g_ascii_strcasecmp (name, "Language") == 0)
    {
      g_free (self->language);
      self->language = *value ? g_strdup (value) : NULL;
    }
  else if (g_ascii_strcasecmp (name, "Name") == 0)
    {
      g_free (self->name);
      self->name = *value ? g_strdup (value) : NULL;
    }
  else
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                   _("Line %d: unknown header “%s”; a template has Subject:, Content-Type:, "
                     "Attachment:, Language: and Name:"),
                   line, name);
      return FALSE;
    }

  return TRUE;
}

/**
 * ob_template_new_from_data:
 * @data: the template file's contents
 * @length: its length, or -1 when NUL-terminated
 * @base_dir: (nullable): the folder relative attachment paths start from;
 *   when %NULL, attachments are recorded but not looked at
 *
 * Parses the template file format of CLI.md: header lines (Subject:,
 * optional Content-Type: text/html, Attachment: PATH, Language:, Name:),
 * a blank line, then the body.
 */
ObTemplate *
ob_template_new_from_data (const char  *data,
                           gssize       length,
                           const char  *base_dir,
                           GError     **error)
{
  g_autoptr(ObTemplate) self = ob_template_new ();
  g_autoptr(GString) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hname = NULL;
  g_autoptr(GString) hvalue = NULL;
  const char *end;
  const char *invalid;
  const char *p;
  gboolean is_html = FALSE;
  gboolean seen_subject = FALSE;
  int hline = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                   _("Line %d: the file contains a NUL byte; a template is a text file"),
                   line_of (data, memchr (data, '\0', length)));
      return NULL;
    }
  if (!g_utf8_validate (data, length, &invalid))
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                   _("Line %d: the text is not UTF-8; save the template as UTF-8"),
                   line_of (data, invalid));
      return NULL;
    }

  text = g_strndup (data, length);
  p = text;
  end = text + length;
  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;

  /* Headers, until a blank line. */
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *line_end = eol ? eol : end;
      const char *next = eol ? eol + 1 : end;
      const char *colon;
      int line = line_of (text, p);

      if (line_end > p && line_end[-1] == '\r')
        line_end--;

      if (line_end == p)
        {
          p = next;
          break;
        }

      if (*p == ' ' || *p == '\t')
        {
          if (hname == NULL)
            {
              g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                           _("Line %d: a continuation line before any header"), line);
              return NULL;
            }
          while (p < line_end && (*p == ' ' || *p == '\t'))
            p++;
          g_string_append_c (hvalue, ' ');
          g_string_append_len (hvalue, p, line_end - p);
          p = next;
          continue;
        }

      if (hname != NULL)
        {
          g_strstrip (hvalue->str);
          if (!apply_header (self, hname, hvalue->str, base_dir, hline,
                             &is_html, &seen_subject, error))
            return NULL;
          g_clear_pointer (&hname, g_free);
        }

      colon = memchr (p, ':', line_end - p);
      if (colon == NULL || !is_header_name (p, colon))
        {
          g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                       _("Line %d: expected a header such as “Subject: …”; the headers come first, "
                         "then a blank line, then the body"),
                       line);
          return NULL;
        }
      hname = g_strndup (p, colon - p);
      if (hvalue == NULL)
        hvalue = g_string_new (NULL);
      g_string_assign (hvalue, "");
      g_string_append_len (hvalue, colon + 1, line_end - colon - 1);
      hline = line;
      p = next;
    }

  if (hname != NULL)
    {
      g_strstrip (hvalue->str);
      if (!apply_header (self, hname, hvalue->str, base_dir, hline,
                         &is_html, &seen_subject, error))
        return NULL;
    }

  /* The body, with CRLF turned into LF. */
  body = g_string_sized_new (end - p);
  for (; p < end; p++)
    if (!(*p == '\r' && p + 1 < end && p[1] == '\n'))
      g_string_append_c (body, *p);

  if (is_html)
    self->body_html = g_strdup (body->str);
  else
    self->body_text = g_strdup (body->str);

  return g_steal_pointer (&self);
}

/* Reads a template file; relative attachment paths start from its folder. */
ObTemplate *
ob_template_new_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *basename = NULL;
  ObTemplate *self;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                   _("Cannot read the template “%s”: %s"), path, local->message);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  self = ob_template_new_from_data (contents, length, dir, &local);
  if (self == NULL)
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE,
                   "%s: %s", path, local->message);
      return NULL;
    }

  if (self->name == NULL)
    {
      char *dot;

      basename = g_path_get_basename (path);
      dot = strrchr (basename, '.');
      if (dot != NULL && dot != basename)
        *dot = '\0';
      self->name = g_strdup (basename);
    }

  return self;
}

/* The template in the file format; an HTML body wins over a text body. */
char *
ob_template_to_data (ObTemplate *self)
{
  GString *out;

  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "Subject: %s\n", self->subject ? self->subject : "");
  if (self->language != NULL)
    g_string_append_printf (out, "Language: %s\n", self->language);
  if (self->body_html != NULL)
    g_string_append (out, "Content-Type: text/html\n");
  for (guint i = 0; i < self->attachments->len; i++)
    {
      ObTemplateAttachment *a = g_ptr_array_index (self->attachments, i);
      g_string_append_printf (out, "Attachment: %s\n", a->path);
    }
  g_string_append_c (out, '\n');
  g_string_append (out, self->body_html ? self->body_html : self->body_text ? self->body_text : "");

  return g_string_free (out, FALSE);
}

gint64
ob_template_get_id (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), 0);
  return self->id;
}

int
ob_template_get_version (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), 0);
  return self->version;
}

const char *
ob_template_get_name (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->name;
}

void
ob_template_set_name (ObTemplate *self,
                      const char *name)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->name, name, PROP_NAME);
}

const char *
ob_template_get_subject (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->subject;
}

void
ob_template_set_subject (ObTemplate *self,
                         const char *subject)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->subject, subject ? subject : "", PROP_SUBJECT);
}

const char *
ob_template_get_body_text (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->body_text;
}

void
ob_template_set_body_text (ObTemplate *self,
                           const char *body_text)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->body_text, body_text, PROP_BODY_TEXT);
}

const char *
ob_template_get_body_html (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->body_html;
}

void
ob_template_set_body_html (ObTemplate *self,
                           const char *body_html)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->body_html, body_html, PROP_BODY_HTML);
}

const char *
ob_template_get_language (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->language;
}

void
ob_template_set_language (ObTemplate *self,
                          const char *language)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->language, language, PROP_LANGUAGE);
}

/* Returns: (transfer none) (element-type ObTemplateAttachment) */
GPtrArray *
ob_template_get_attachments (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->attachments;
}

void
ob_template_add_attachment (ObTemplate                 *self,
                            const ObTemplateAttachment *attachment)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  g_return_if_fail (attachment != NULL);
  g_ptr_array_add (self->attachments, ob_template_attachment_copy (attachment));
}

void
ob_template_clear_attachments (ObTemplate *self)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  g_ptr_array_set_size (self->attachments, 0);
}

/* What the template library (core/sending) keeps of a template besides
 * its fields. */

/* The id and version the template has in the library; 0 for a template
 * never saved. */
void
ob_template_set_stored (ObTemplate *self,
                        gint64      id,
                        int         version)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));

  self->id = id;
  self->version = version;
}

/* The attachments as the templates table keeps them: a JSON array of
 * {"path", "size", "type"}. */
char *
ob_template_dup_attachments_json (ObTemplate *self)
{
  GPtrArray *attachments;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);

  attachments = self->attachments;
  json_builder_begin_array (b);
  for (guint i = 0; i < attachments->len; i++)
    {
      ObTemplateAttachment *a = g_ptr_array_index (attachments, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, a->path);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, a->size);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, a->content_type);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Replaces the attachments with those of @json (as
 * ob_template_dup_attachments_json() writes it); entries without a path
 * are left out, and text that is not such an array leaves none. */
void
ob_template_set_attachments_json (ObTemplate *self,
                                  const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *array;

  g_return_if_fail (OB_IS_TEMPLATE (self));

  g_ptr_array_set_size (self->attachments, 0);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj;
      const char *path;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      obj = json_node_get_object (node);
      path = json_object_get_string_member_with_default (obj, "path", NULL);
      if (path == NULL)
        continue;
      g_ptr_array_add (self->attachments,
                       ob_template_attachment_new (path,
                                                   json_object_get_int_member_with_default (obj, "size", -1),
                                                   json_object_get_string_member_with_default (obj, "type", NULL)));
    }
}
