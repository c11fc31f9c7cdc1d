/* ob-message-composer.c — a template and a contact become the MIME message
 * that is sent: multipart/alternative text + HTML, attachments, RFC 2047
 * headers, Message-ID at the sender's domain, List-Unsubscribe.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-message-composer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ob-html.h"
#include "ob-merge.h"
#include "ob-message-composer.h"
#include "ob-templates.h"

struct _ObMessageComposer
{
  GObject  parent_instance;

  char    *sender_email;
  char    *sender_name;
  char    *reply_to;
  char    *signature;
  char    *unsubscribe_url;
  GDateTime *date;
};

/* GMime 3.2 has no g_autoptr support of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeTextPart, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimePart, g_object_unref)

G_DEFINE_FINAL_TYPE (ObMessageComposer, ob_message_composer, G_TYPE_OBJECT)

static void
ob_message_composer_finalize (GObject *object)
{
  ObMessageComposer *self = (ObMessageComposer *)object;

  g_clear_pointer (&self->sender_email, g_free);
  g_clear_pointer (&self->sender_name, g_free);
  g_clear_pointer (&self->reply_to, g_free);
  g_clear_pointer (&self->signature, g_free);
  g_clear_pointer (&self->unsubscribe_url, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);

  G_OBJECT_CLASS (ob_message_composer_parent_class)->finalize (object);
}

static void
ob_message_composer_class_init (ObMessageComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_message_composer_finalize;
}

static void
ob_message_composer_init (ObMessageComposer *self)
{
}

/* A single addr-spec without anything that could end or fold a header:
 * one '@', a non-empty local part, a domain with a dot. */
gboolean
ob_message_composer_address_is_valid (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  for (const char *p = address; *p; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f || strchr ("<>()[],;:\\\"", *p) != NULL)
      return FALSE;
  at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (strchr (at + 1, '.') == NULL || at[1] == '.' || g_str_has_suffix (at, "."))
    return FALSE;
  return TRUE;
}

/**
 * ob_message_composer_new:
 * @sender_email: the From address (the sending account's)
 * @sender_name: (nullable): the display name
 *
 * Returns: (nullable): a composer, or %NULL when @sender_email is not a
 *   valid address
 */
ObMessageComposer *
ob_message_composer_new (const char *sender_email,
                         const char *sender_name)
{
  ObMessageComposer *self;

  g_return_val_if_fail (sender_email != NULL, NULL);

  if (!ob_message_composer_address_is_valid (sender_email))
    return NULL;

  self = g_object_new (OB_TYPE_MESSAGE_COMPOSER, NULL);
  self->sender_email = g_strdup (sender_email);
  self->sender_name = sender_name && *sender_name ? ob_merge_clean_value (sender_name, OB_MERGE_MODE_HEADER) : NULL;
  return self;
}

const char *
ob_message_composer_get_sender_email (ObMessageComposer *self)
{
  g_return_val_if_fail (OB_IS_MESSAGE_COMPOSER (self), NULL);
  return self->sender_email;
}

/* Ignored when not a valid address. */
void
ob_message_composer_set_reply_to (ObMessageComposer *self,
                                  const char        *reply_to)
{
  g_return_if_fail (OB_IS_MESSAGE_COMPOSER (self));

  g_clear_pointer (&self->reply_to, g_free);
  if (reply_to != NULL && ob_message_composer_address_is_valid (reply_to))
    self->reply_to = g_strdup (reply_to);
}

/* The account's signature, for {{signature}}. */
void
ob_message_composer_set_signature (ObMessageComposer *self,
                                   const char        *signature)
{
  g_return_if_fail (OB_IS_MESSAGE_COMPOSER (self));

  g_free (self->signature);
  self->signature = g_strdup (signature);
}

/* The Date of the messages composed from now on; %NULL: the moment each
 * is composed. A virtual clock sets it so a simulated schedule dates its
 * mail as it would be sent. */
void
ob_message_composer_set_date (ObMessageComposer *self,
                              GDateTime         *date)
{
  g_return_if_fail (OB_IS_MESSAGE_COMPOSER (self));

  g_clear_pointer (&self->date, g_date_time_unref);
  if (date != NULL)
    self->date = g_date_time_ref (date);
}

/**
 * ob_message_composer_set_unsubscribe_url:
 * @url: (nullable): an https endpoint that unsubscribes with one POST
 *   (RFC 8058), or %NULL for the mailto only
 */
gboolean
ob_message_composer_set_unsubscribe_url (ObMessageComposer  *self,
                                         const char         *url,
                                         GError            **error)
{
  g_return_val_if_fail (OB_IS_MESSAGE_COMPOSER (self), FALSE);

  if (url == NULL || *url == '\0')
    {
      g_clear_pointer (&self->unsubscribe_url, g_free);
      return TRUE;
    }
  if (g_ascii_strncasecmp (url, "https://", 8) != 0 || strlen (url) <= 8 ||
      strpbrk (url, " <>\"\r\n\t,") != NULL || !g_utf8_validate (url, -1, NULL))
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID,
                   _("The unsubscribe link “%s” must be an https:// address"), url);
      return FALSE;
    }
  g_free (self->unsubscribe_url);
  self->unsubscribe_url = g_strdup (url);
  return TRUE;
}

static GMimeTextPart *
text_part (const char *subtype,
           const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  g_autoptr(GMimeDataWrapper) content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (GMIME_PART (part), content);
  g_mime_text_part_set_charset (part, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (part),
                                    g_mime_part_get_best_content_encoding (GMIME_PART (part),
                                                                           GMIME_ENCODING_CONSTRAINT_7BIT));
  return part;
}

static GMimePart *
attachment_part (const ObTemplateAttachment  *attachment,
                 GError                     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *guessed = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeDataWrapper) content = NULL;
  g_auto(GStrv) type = NULL;
  GMimePart *part;
  gsize length;

  if (!g_file_get_contents (attachment->path, &data, &length, &local))
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_ATTACHMENT,
                   _("Cannot attach “%s”: %s"), attachment->path, local->message);
      return NULL;
    }

  guessed = g_content_type_guess (attachment->path, (const guchar *) data, MIN (length, 4096), NULL);
  mime = guessed ? g_content_type_get_mime_type (guessed) : NULL;
  if (mime == NULL || g_str_equal (mime, "application/octet-stream"))
    {
      g_free (mime);
      mime = g_strdup (attachment->content_type ? attachment->content_type : "application/octet-stream");
    }
  type = g_strsplit (mime, "/", 2);
  if (type[0] == NULL || type[1] == NULL)
    {
      g_strfreev (type);
      type = g_strsplit ("application/octet-stream", "/", 2);
    }

  basename = g_path_get_basename (attachment->path);
  part = g_mime_part_new_with_type (type[0], type[1]);
  stream = g_mime_stream_mem_new_with_buffer (data, length);
  content = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, content);
  g_mime_part_set_filename (part, basename);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_ATTACHMENT);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);

  return part;
}

/* RFC 6068: everything but unreserved characters and '@' percent-encoded. */
static char *
mailto_address (const char *address)
{
  return g_uri_escape_string (address, "@!$'*+", FALSE);
}

static const char *
lookup (GHashTable *contact,
        const char *name)
{
  const char *v = g_hash_table_lookup (contact, name);
  return v != NULL && *v != '\0' ? v : NULL;
}

/**
 * ob_message_composer_compose:
 * @template: the template
 * @contact: field → value (char * → char *); "email" is required
 *
 * Renders the template for @contact and builds the message. Values are
 * escaped where they go (HTML, headers). Nothing is added that the
 * template does not contain: no tracking pixel, no rewritten links.
 */
GMimeMessage *
ob_message_composer_compose (ObMessageComposer  *self,
                             ObTemplate         *template,
                             GHashTable         *contact,
                             GError            **error)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GMimeObject) body = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *to_name = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *unsubscribe = NULL;
  g_autofree char *mailto = NULL;
  g_autofree char *domain_ascii = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *to_email;
  const char *domain;
  const char *body_text;
  const char *body_html;
  GPtrArray *attachments;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (OB_IS_MESSAGE_COMPOSER (self), NULL);
  g_return_val_if_fail (OB_IS_TEMPLATE (template), NULL);
  g_return_val_if_fail (contact != NULL, NULL);

  to_email = lookup (contact, "email");
  if (to_email == NULL || !ob_message_composer_address_is_valid (to_email))
    {
      g_set_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_RENDER,
                   _("“%s” is not a valid email address"), to_email ? to_email : "");
      return NULL;
    }

  /* The contact's fields, then the account's. */
  values = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, contact);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (values, key, value);
  g_hash_table_insert (values, (gpointer) "sender_email", self->sender_email);
  if (self->sender_name)
    g_hash_table_insert (values, (gpointer) "sender_name", self->sender_name);
  if (self->signature)
    g_hash_table_insert (values, (gpointer) "signature", self->signature);

  subject = ob_merge_render (ob_template_get_subject (template), values, OB_MERGE_MODE_HEADER, NULL);
  body_text = ob_template_get_body_text (template);
  body_html = ob_template_get_body_html (template);
  if (body_html != NULL)
    html = ob_merge_render (body_html, values, OB_MERGE_MODE_HTML, NULL);
  if (body_text != NULL)
    text = ob_merge_render (body_text, values, OB_MERGE_MODE_TEXT, NULL);
  else if (html != NULL)
    text = ob_html_to_text (html);
  else
    text = g_strdup ("");

  message = g_mime_message_new (TRUE);

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, self->sender_name, self->sender_email);
  if (lookup (contact, "name"))
    to_name = ob_merge_clean_value (lookup (contact, "name"), OB_MERGE_MODE_HEADER);
  else if (lookup (contact, "first_name") || lookup (contact, "last_name"))
    {
      g_autofree char *joined = g_strjoin (" ", lookup (contact, "first_name") ? lookup (contact, "first_name") : "",
                                           lookup (contact, "last_name") ? lookup (contact, "last_name") : "", NULL);
      to_name = ob_merge_clean_value (g_strstrip (joined), OB_MERGE_MODE_HEADER);
    }
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, to_name && *to_name ? to_name : NULL, to_email);
  if (self->reply_to != NULL)
    g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_REPLY_TO, self->sender_name, self->reply_to);
  /* Display names of our own make are always UTF-8. */
  {
    GMimeAddressType types[] = { GMIME_ADDRESS_TYPE_FROM, GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_REPLY_TO };
    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        InternetAddressList *list = g_mime_message_get_addresses (message, types[i]);
        for (int k = 0; k < internet_address_list_length (list); k++)
          internet_address_set_charset (internet_address_list_get_address (list, k), "utf-8");
      }
  }

  g_mime_message_set_subject (message, subject, "utf-8");
  now = self->date ? g_date_time_ref (self->date) : g_date_time_new_now_local ();
  g_mime_message_set_date (message, now);

  domain = strrchr (self->sender_email, '@') + 1;
  domain_ascii = g_hostname_to_ascii (domain);
  message_id = g_mime_utils_generate_message_id (domain_ascii ? domain_ascii : domain);
  g_mime_message_set_message_id (message, message_id);

  mailto = mailto_address (self->sender_email);
  if (self->unsubscribe_url != NULL)
    {
      unsubscribe = g_strdup_printf ("<%s>, <mailto:%s?subject=unsubscribe>", self->unsubscribe_url, mailto);
      g_mime_object_set_header (GMIME_OBJECT (message), "List-Unsubscribe", unsubscribe, NULL);
      g_mime_object_set_header (GMIME_OBJECT (message), "List-Unsubscribe-Post", "List-Unsubscribe=One-Click", NULL);
    }
  else
    {
      unsubscribe = g_strdup_printf ("<mailto:%s?subject=unsubscribe>", mailto);
      g_mime_object_set_header (GMIME_OBJECT (message), "List-Unsubscribe", unsubscribe, NULL);
    }

  if (html != NULL)
    {
      GMimeMultipart *alternative = g_mime_multipart_new_with_subtype ("alternative");
      g_autoptr(GMimeTextPart) plain = text_part ("plain", text);
      g_autoptr(GMimeTextPart) rich = text_part ("html", html);

      g_mime_multipart_add (alternative, GMIME_OBJECT (plain));
      g_mime_multipart_add (alternative, GMIME_OBJECT (rich));
      body = GMIME_OBJECT (alternative);
    }
  else
    body = GMIME_OBJECT (text_part ("plain", text));

  attachments = ob_template_get_attachments (template);
  if (attachments->len > 0)
    {
      GMimeMultipart *mixed = g_mime_multipart_new_with_subtype ("mixed");

      g_mime_multipart_add (mixed, body);
      g_clear_object (&body);
      body = GMIME_OBJECT (mixed);
      for (guint i = 0; i < attachments->len; i++)
        {
          g_autoptr(GMimePart) part = attachment_part (g_ptr_array_index (attachments, i), error);

          if (part == NULL)
            return NULL;
          g_mime_multipart_add (mixed, GMIME_OBJECT (part));
        }
    }

  g_mime_message_set_mime_part (message, body);

  return g_steal_pointer (&message);
}

/* The message as sent over SMTP: CRLF line ends. */
GBytes *
ob_message_composer_to_bytes (GMimeMessage *message)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GMimeFormatOptions *options = g_mime_format_options_new ();
  GByteArray *array;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream);
  g_mime_format_options_free (options);
  g_mime_stream_flush (stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}
