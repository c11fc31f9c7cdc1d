/* test-compose.c — composed messages parsed back with GMime: headers,
 * parts, encodings, charsets; header and markup injection through merge
 * values; outbound-cli render and template add|list.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gmime/gmime.h>
#include <json-glib/json-glib.h>

#include "ob-core.h"
#include "ob-html.h"
#include "ob-message-composer.h"
#include "ob-store.h"
#include "ob-template.h"
#include "ob-templates.h"
#include "ob-test-util.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)

static GHashTable *
contact_new (void)
{
  GHashTable *c = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (c, (gpointer) "email", (gpointer) "ana.garcia@cliente.example");
  g_hash_table_insert (c, (gpointer) "first_name", (gpointer) "Ana");
  g_hash_table_insert (c, (gpointer) "last_name", (gpointer) "García");
  g_hash_table_insert (c, (gpointer) "company", (gpointer) "Calefacción Sur S.L.");
  return c;
}

static ObTemplate *
template_new (const char *data)
{
  g_autoptr(GError) error = NULL;
  ObTemplate *t = ob_template_new_from_data (data, -1, NULL, &error);

  g_assert_no_error (error);
  return t;
}

/* Composes, serialises with CRLF, and parses the bytes back. */
static GMimeMessage *
round_trip (ObMessageComposer *composer,
            ObTemplate        *template,
            GHashTable        *contact,
            char             **raw_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) message = ob_message_composer_compose (composer, template, contact, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  GMimeMessage *parsed;
  const char *data;
  gsize len;

  g_assert_no_error (error);
  g_assert_nonnull (message);
  bytes = ob_message_composer_to_bytes (message);
  data = g_bytes_get_data (bytes, &len);

  /* Every line ends in CRLF; no bare LF or CR anywhere. */
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n')
        g_assert_true (i > 0 && data[i - 1] == '\r');
      if (data[i] == '\r')
        g_assert_true (i + 1 < len && data[i + 1] == '\n');
    }

  stream = g_mime_stream_mem_new_with_buffer (data, len);
  parser = g_mime_parser_new_with_stream (stream);
  parsed = g_mime_parser_construct_message (parser, NULL);
  g_assert_nonnull (parsed);
  if (raw_out)
    *raw_out = g_strndup (data, len);
  return parsed;
}

static char *
part_text (GMimeObject *object)
{
  GMimeTextPart *part;

  g_assert_true (GMIME_IS_TEXT_PART (object));
  part = GMIME_TEXT_PART (object);
  {
    /* The wire form has CRLF; compare with LF. */
    g_autofree char *wire = g_mime_text_part_get_text (part);
    GString *s = g_string_new (NULL);
    for (const char *p = wire; *p; p++)
      if (!(p[0] == '\r' && p[1] == '\n'))
        g_string_append_c (s, *p);
    return g_string_free (s, FALSE);
  }
}

static char *
raw_headers (const char *raw)
{
  const char *end = strstr (raw, "\r\n\r\n");

  g_assert_nonnull (end);
  return g_strndup (raw, end - raw + 2);
}

static void
test_compose_text (void)
{
  g_autoptr(ObMessageComposer) composer = ob_message_composer_new ("li.wei@everflow-valves.example", "李伟 (Everflow)");
  g_autoptr(ObTemplate) t = template_new ("Subject: Válvulas para {{company|su empresa}} — 阀门\n\n"
                                          "Estimado {{first_name|cliente}}:\n\nSaludos,\n{{sender_name}}\n{{signature}}\n");
  g_autoptr(GHashTable) contact = contact_new ();
  g_autoptr(GMimeMessage) m = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *body = NULL;
  InternetAddressList *from, *to;
  InternetAddressMailbox *mb;
  const char *msgid;
  GMimeObject *part;
  GMimeContentType *ct;

  ob_message_composer_set_signature (composer, "Everflow Valve Co., Ltd.\nNingbo, China");
  ob_message_composer_set_reply_to (composer, "sales@everflow-valves.example");
  m = round_trip (composer, t, contact, &raw);
  headers = raw_headers (raw);

  /* Headers are 7-bit: non-ASCII text is RFC 2047 encoded in UTF-8. */
  for (const char *p = headers; *p; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  g_assert_nonnull (strstr (headers, "=?UTF-8?") != NULL ? strstr (headers, "=?UTF-8?") : strstr (headers, "=?utf-8?"));
  g_assert_cmpstr (g_mime_message_get_subject (m), ==, "Válvulas para Calefacción Sur S.L. — 阀门");

  from = g_mime_message_get_from (m);
  g_assert_cmpint (internet_address_list_length (from), ==, 1);
  mb = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (from, 0));
  g_assert_cmpstr (internet_address_mailbox_get_addr (mb), ==, "li.wei@everflow-valves.example");
  g_assert_cmpstr (internet_address_get_name (INTERNET_ADDRESS (mb)), ==, "李伟 (Everflow)");
  to = g_mime_message_get_to (m);
  g_assert_cmpint (internet_address_list_length (to), ==, 1);
  mb = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (to, 0));
  g_assert_cmpstr (internet_address_mailbox_get_addr (mb), ==, "ana.garcia@cliente.example");
  g_assert_cmpstr (internet_address_get_name (INTERNET_ADDRESS (mb)), ==, "Ana García");
  mb = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (g_mime_message_get_reply_to (m), 0));
  g_assert_cmpstr (internet_address_mailbox_get_addr (mb), ==, "sales@everflow-valves.example");

  msgid = g_mime_message_get_message_id (m);
  g_assert_nonnull (msgid);
  g_assert_true (g_str_has_suffix (msgid, "@everflow-valves.example"));
  g_assert_nonnull (g_mime_message_get_date (m));
  g_assert_cmpint (ABS (g_date_time_to_unix (g_mime_message_get_date (m)) - g_get_real_time () / G_USEC_PER_SEC), <, 60);
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (m), "List-Unsubscribe"), ==,
                   "<mailto:li.wei@everflow-valves.example?subject=unsubscribe>");
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (m), "List-Unsubscribe-Post"));
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (m), "MIME-Version"), ==, "1.0");

  /* One text/plain part in UTF-8, quoted-printable. */
  part = g_mime_message_get_mime_part (m);
  ct = g_mime_object_get_content_type (part);
  g_assert_true (g_mime_content_type_is_type (ct, "text", "plain"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (ct, "charset"), ==, "utf-8");
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (part)), ==, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  body = part_text (part);
  g_assert_cmpstr (body, ==, "Estimado Ana:\n\nSaludos,\n李伟 (Everflow)\nEverflow Valve Co., Ltd.\nNingbo, China\n");
}

static void
test_compose_html_only (void)
{
  g_autoptr(ObMessageComposer) composer = ob_message_composer_new ("sales@brightway.example", "Brightway");
  g_autoptr(ObTemplate) t = template_new ("Subject: Panels\nContent-Type: text/html\n\n"
                                          "<html><head><title>x</title><style>p{}</style></head><body>"
                                          "<p>Dear {{first_name|there}},</p><p>See <a href=\"https://brightway.example/p\">our panels</a>"
                                          " &amp; more.</p><ul><li>600&times;600</li><li>1200 x 300</li></ul>"
                                          "<div style=\"display:none\">preview</div><p>Bye<br>Tom</p></body></html>");
  g_autoptr(GHashTable) contact = contact_new ();
  g_autoptr(GMimeMessage) m = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  GMimeObject *body;
  GMimeMultipart *alt;
  GError *error = NULL;

  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2027-03-02T09:05:31-05:00", NULL);

  ob_message_composer_set_date (composer, when);
  g_assert_true (ob_message_composer_set_unsubscribe_url (composer, "https://brightway.example/u?id=7", &error));
  g_assert_no_error (error);
  m = round_trip (composer, t, contact, NULL);

  body = g_mime_message_get_mime_part (m);
  g_assert_true (GMIME_IS_MULTIPART (body));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body), "multipart", "alternative"));
  alt = GMIME_MULTIPART (body);
  g_assert_cmpint (g_mime_multipart_get_count (alt), ==, 2);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_multipart_get_part (alt, 0)), "text", "plain"));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_multipart_get_part (alt, 1)), "text", "html"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (g_mime_object_get_content_type (g_mime_multipart_get_part (alt, 1)), "charset"), ==, "utf-8");

  text = part_text (g_mime_multipart_get_part (alt, 0));
  g_assert_cmpstr (text, ==, "Dear Ana,\n\nSee our panels (https://brightway.example/p) & more.\n\n- 600×600\n- 1200 x 300\n\nBye\nTom\n");
  html = part_text (g_mime_multipart_get_part (alt, 1));
  g_assert_nonnull (strstr (html, "<p>Dear Ana,</p>"));
  /* No tracking pixel, no rewritten link. */
  g_assert_null (strstr (html, "<img"));
  g_assert_nonnull (strstr (html, "href=\"https://brightway.example/p\""));

  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (m), "List-Unsubscribe"), ==,
                   "<https://brightway.example/u?id=7>, <mailto:sales@brightway.example?subject=unsubscribe>");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (m), "List-Unsubscribe-Post"), ==, "List-Unsubscribe=One-Click");
  /* The date given, not the composing moment. */
  g_assert_cmpint (g_date_time_to_unix (g_mime_message_get_date (m)), ==, g_date_time_to_unix (when));

  g_assert_false (ob_message_composer_set_unsubscribe_url (composer, "http://brightway.example/u", &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);

  /* Taking the link away leaves the mailto only, and the date as given. */
  g_assert_true (ob_message_composer_set_unsubscribe_url (composer, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&m);
  m = round_trip (composer, t, contact, NULL);
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (m), "List-Unsubscribe"), ==,
                   "<mailto:sales@brightway.example?subject=unsubscribe>");
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (m), "List-Unsubscribe-Post"));
  g_assert_cmpint (g_date_time_to_unix (g_mime_message_get_date (m)), ==, g_date_time_to_unix (when));
}

static void
test_compose_attachments (void)
{
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89 };
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *pdf_path = ob_test_dir_file (dir, "Katalog 2027 — Ventile.pdf");
  g_autofree char *png_path = ob_test_dir_file (dir, "photo.png");
  g_autofree char *tpl_path = ob_test_dir_file (dir, "t.txt");
  g_autofree char *tpl = NULL;
  g_autoptr(ObMessageComposer) composer = ob_message_composer_new ("sales@everflow-valves.example", NULL);
  g_autoptr(ObTemplate) t = NULL;
  g_autoptr(GHashTable) contact = contact_new ();
  g_autoptr(GMimeMessage) m = NULL;
  g_autoptr(GError) error = NULL;
  const char *pdf = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
  GMimeMultipart *mixed;
  GMimePart *a;
  GMimeDataWrapper *content;
  g_autoptr(GMimeStream) out = g_mime_stream_mem_new ();
  GByteArray *decoded;

  g_assert_true (g_file_set_contents (pdf_path, pdf, -1, NULL));
  g_assert_true (g_file_set_contents (png_path, (const char *) png, sizeof png, NULL));
  tpl = g_strdup_printf ("Subject: Catalogue\nAttachment: %s\nAttachment: photo.png\n\nHello.\n", pdf_path);
  g_assert_true (g_file_set_contents (tpl_path, tpl, -1, NULL));
  t = ob_template_new_from_file (tpl_path, &error);
  g_assert_no_error (error);
  m = round_trip (composer, t, contact, NULL);

  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_message_get_mime_part (m)), "multipart", "mixed"));
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (m));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 3);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_multipart_get_part (mixed, 0)), "text", "plain"));

  a = GMIME_PART (g_mime_multipart_get_part (mixed, 1));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (GMIME_OBJECT (a)), "application", "pdf"));
  g_assert_cmpstr (g_mime_part_get_filename (a), ==, "Katalog 2027 — Ventile.pdf");
  g_assert_true (g_mime_part_is_attachment (a));
  g_assert_cmpint (g_mime_part_get_content_encoding (a), ==, GMIME_CONTENT_ENCODING_BASE64);
  content = g_mime_part_get_content (a);
  g_mime_data_wrapper_write_to_stream (content, out);
  decoded = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  g_assert_cmpmem (decoded->data, decoded->len, pdf, strlen (pdf));

  a = GMIME_PART (g_mime_multipart_get_part (mixed, 2));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (GMIME_OBJECT (a)), "image", "png"));
  g_assert_cmpstr (g_mime_part_get_filename (a), ==, "photo.png");

  /* A missing attachment is an error naming the file, and no message. */
  {
    g_autoptr(ObTemplate) missing = template_new ("Subject: x\nAttachment: /nonexistent/price.pdf\n\nHello.");
    g_autoptr(GMimeMessage) none = ob_message_composer_compose (composer, missing, contact, &error);
    g_assert_null (none);
    g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_ATTACHMENT);
    g_assert_nonnull (strstr (error->message, "/nonexistent/price.pdf"));
  }
}

static void
test_header_injection (void)
{
  g_autoptr(ObMessageComposer) composer = ob_message_composer_new ("sales@everflow-valves.example", "Sales\r\nBcc: evil@attacker.example");
  g_autoptr(ObTemplate) t = template_new ("Subject: Hello {{first_name|there}} at {{company}}\nContent-Type: text/html\n\n"
                                          "<p>Dear {{first_name|there}} of {{company}}</p>");
  g_autoptr(GHashTable) contact = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GMimeMessage) m = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GMimeMultipart *alt;

  g_hash_table_insert (contact, (gpointer) "email", (gpointer) "bob@example.com");
  g_hash_table_insert (contact, (gpointer) "first_name", (gpointer) "Bob\r\nBcc: x@y.example");
  g_hash_table_insert (contact, (gpointer) "name", (gpointer) "Bob\nCc: x@y.example");
  g_hash_table_insert (contact, (gpointer) "company", (gpointer) "<script>alert(1)</script><img src=x onerror=alert(1)>\r\n\r\nInjected body");
  m = round_trip (composer, t, contact, &raw);
  headers = raw_headers (raw);

  /* No header line of the attacker's: every header is one we wrote. */
  lines = g_strsplit (headers, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_false (g_str_has_prefix (lines[i], "Bcc:"));
      g_assert_false (g_str_has_prefix (lines[i], "Cc:"));
    }
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (m), "Bcc"));
  g_assert_null (g_mime_object_get_header (GMIME_OBJECT (m), "Cc"));
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_bcc (m)), ==, 0);
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_cc (m)), ==, 0);
  g_assert_cmpint (internet_address_list_length (g_mime_message_get_to (m)), ==, 1);
  g_assert_null (strchr (g_mime_message_get_subject (m), '\n'));
  g_assert_true (g_str_has_prefix (g_mime_message_get_subject (m), "Hello Bob Bcc: x@y.example at "));

  /* The values are text in the HTML, never markup. */
  alt = GMIME_MULTIPART (g_mime_message_get_mime_part (m));
  html = part_text (g_mime_multipart_get_part (alt, 1));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<img"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
  text = part_text (g_mime_multipart_get_part (alt, 0));
  g_assert_nonnull (strstr (text, "<script>alert(1)</script>"));

  /* A recipient address that could break the header is refused. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GMimeMessage) none = NULL;
    g_hash_table_insert (contact, (gpointer) "email", (gpointer) "bob@example.com\r\nBcc: x@y.example");
    none = ob_message_composer_compose (composer, t, contact, &error);
    g_assert_null (none);
    g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_RENDER);
  }
  /* A display name with a comma and an address in it stays one name. */
  {
    g_autoptr(GMimeMessage) m2 = NULL;
    InternetAddressList *to;
    InternetAddressMailbox *mb;

    g_hash_table_insert (contact, (gpointer) "email", (gpointer) "bob@example.com");
    g_hash_table_insert (contact, (gpointer) "name", (gpointer) "Smith, John <evil@attacker.example>");
    m2 = round_trip (composer, t, contact, NULL);
    to = g_mime_message_get_to (m2);
    g_assert_cmpint (internet_address_list_length (to), ==, 1);
    mb = INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (to, 0));
    g_assert_cmpstr (internet_address_mailbox_get_addr (mb), ==, "bob@example.com");
    g_assert_cmpstr (internet_address_get_name (INTERNET_ADDRESS (mb)), ==, "Smith, John <evil@attacker.example>");
  }
  g_assert_null (ob_message_composer_new ("not an address", NULL));
  g_assert_null (ob_message_composer_new ("a@b.example\r\nBcc: c@d.example", NULL));
}

static void
test_html_to_text (void)
{
  struct { const char *html; const char *text; } cases[] = {
    { "<p>One</p><p>Two</p>", "One\n\nTwo\n" },
    { "Line<br>next<br/>last", "Line\nnext\nlast\n" },
    { "<ol><li>a</li><li>b</li></ol>", "1. a\n2. b\n" },
    { "<table><tr><td>Size</td><td>DN15</td></tr><tr><td>Price</td><td>$2</td></tr></table>", "Size DN15\nPrice $2\n" },
    { "<a href=\"mailto:a@b.example?subject=x\">write to us</a>", "write to us (a@b.example)\n" },
    { "<a href=\"https://x.example/\">https://x.example</a>", "https://x.example\n" },
    { "<script>var a = '<p>';</script><style>p{}</style>Text &lt;ok&gt; &#x4E2D;&#25991;", "Text <ok> 中文\n" },
    { "<p>  lots   of\n\n  space </p>", "lots of space\n" },
    { "<pre>a  b\n  c</pre>", "a  b\n  c\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ob_html_to_text (cases[i].html);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The styled text: the same text, and where it is bold, a heading, a
 * link… (for the template preview). */
static void
test_html_to_styled_text (void)
{
  struct { const char *html; const char *expect; } cases[] = {
    { "<p>Dear <b>Anna</b>,</p><h1>Valves</h1>", "Anna=bold;Valves=heading;" },
    { "<p><strong>DN15</strong> and <em>DN20</em> in <u>stock</u></p>", "DN15=bold;DN20=italic;stock=underline;" },
    { "<span style=\"font-weight: bold\">Price</span> <span style=\"FONT-STYLE:italic\">list</span>",
      "Price=bold;list=italic;" },
    { "<a href=\"https://x.example/catalogue\">our catalogue</a>", "our catalogue=link;" },
    { "<p>x</p>\n\n  <h3>  Sizes  </h3>   <pre>a  b</pre><blockquote>quoted</blockquote>",
      "Sizes=subheading;a  b=monospace;quoted=quote;" },
    { "<ul><li><b>one</b></li><li>t<i>w</i>o</li></ul>", "one=bold;w=italic;" },
    /* Unclosed and empty elements give no span; hidden text none either. */
    { "<b></b><i>open <div style=\"display:none\"><b>secret</b></div>", "" },
  };
  static const char * const names[] = { "", "bold", "italic", "underline", "strikethrough", "monospace",
                                         "heading", "subheading", "quote", "link" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) spans = NULL;
      g_autofree char *styled = ob_html_to_styled_text (cases[i].html, &spans);
      g_autofree char *plain = ob_html_to_text (cases[i].html);
      g_autoptr(GString) got = g_string_new (NULL);

      g_assert_cmpstr (styled, ==, plain);
      for (guint k = 0; k < spans->len; k++)
        {
          ObHtmlSpan *span = &g_array_index (spans, ObHtmlSpan, k);

          g_string_append_len (got, styled + span->start, span->end - span->start);
          g_string_append_printf (got, "=%s;", names[span->style]);
        }
      g_test_message ("%s -> %s", cases[i].html, got->str);
      g_assert_cmpstr (got->str, ==, cases[i].expect);
    }
}

static void
test_cli_render_and_templates (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "t.db");
  g_autofree char *tpl = ob_test_dir_file (dir, "intro.txt");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *list = NULL;
  g_autofree char *added = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (db, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  JsonObject *obj;

  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, first_name, company, custom_json, created_at, updated_at) "
                                "VALUES ('ana@cliente.example', 'ana@cliente.example', 'cliente.example', 'Ana', 'Sur S.L.', "
                                "'{\"product_line\": \"radiators\"}', 0, 0);"
                                "INSERT INTO accounts (email, display_name, smtp_host, smtp_port, smtp_security, signature, reply_to, created_at, updated_at) "
                                "VALUES ('tom@everflow.example', 'Tom Li', 'smtp.example', 465, 'tls', 'Tom Li, Everflow', 'office@everflow.example', 0, 0);",
                                &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (tpl, "Subject: For {{company|you}}\n\nHi {{first_name|there}}, about {{product_line|your range}}.\n{{signature}}\n", -1, NULL));

  {
    const char *argv[] = { "render", tpl, "--contact", "ANA@cliente.example", "--db", db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Subject: For Sur S.L.\r\n"));
    g_assert_nonnull (strstr (out, "From: Tom Li <tom@everflow.example>\r\n"));
    g_assert_nonnull (strstr (out, "Reply-To: Tom Li <office@everflow.example>\r\n"));
    g_assert_nonnull (strstr (out, "To: ana@cliente.example\r\n") ? strstr (out, "To: ana@cliente.example\r\n") : strstr (out, "To: Ana <ana@cliente.example>\r\n"));
    g_assert_nonnull (strstr (out, "Hi Ana, about radiators."));
    g_assert_nonnull (strstr (out, "Tom Li, Everflow"));
    g_assert_nonnull (strstr (out, "List-Unsubscribe: <mailto:tom@everflow.example?subject=unsubscribe>\r\n"));
  }
  g_clear_pointer (&out, g_free);
  {
    /* Unknown contact: only the address; --from instead of an account. */
    const char *argv[] = { "render", tpl, "--contact", "new@buyer.example", "--from", "me@seller.example", "--db", db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Hi there, about your range."));
    g_assert_nonnull (strstr (out, "From: me@seller.example\r\n"));
  }
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "render", tpl, "--contact", "not-an-address", "--db", db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "outbound-cli render: "));
    g_assert_nonnull (strstr (err, "not-an-address"));
  }
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "render", tpl, "--contact", "ana@cliente.example", "--account", "99", "--db", db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "99"));
  }

  {
    const char *argv[] = { "template", "add", tpl, "--name", "Intro ES", "--json", "--db", db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &added, NULL), ==, 0);
    json_parser_load_from_data (parser, added, -1, &error);
    g_assert_no_error (error);
    obj = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (obj, "id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "Intro ES");
  }
  {
    const char *argv[] = { "template", "list", "--json", "--db", db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &list, NULL), ==, 0);
    json_parser_load_from_data (parser, list, -1, &error);
    g_assert_no_error (error);
    array = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    obj = json_array_get_object_element (array, 0);
    g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "Intro ES");
    g_assert_cmpstr (json_object_get_string_member (obj, "subject"), ==, "For {{company|you}}");
    g_assert_cmpint (json_object_get_int_member (obj, "version"), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  ob_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compose/text", test_compose_text);
  g_test_add_func ("/compose/html-only", test_compose_html_only);
  g_test_add_func ("/compose/attachments", test_compose_attachments);
  g_test_add_func ("/compose/header-injection", test_header_injection);
  g_test_add_func ("/compose/html-to-text", test_html_to_text);
  g_test_add_func ("/compose/html-to-styled-text", test_html_to_styled_text);
  g_test_add_func ("/compose/cli", test_cli_render_and_templates);

  return g_test_run ();
}
