/* test-templates.c — the template file format, storage with versions,
 * the merge-field parser and the renderer's escaping.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "ob-core.h"
#include "ob-merge.h"
#include "ob-template.h"
#include "ob-template-library.h"
#include "ob-templates.h"
#include "ob-test-util.h"

static void
test_parse_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) t = NULL;
  const char *data = "\xEF\xBB\xBFSubject: Valves for\r\n  {{company|you}}\r\nLanguage: en\r\n\r\nHello,\r\nworld.\r\n";

  t = ob_template_new_from_data (data, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_template_get_subject (t), ==, "Valves for {{company|you}}");
  g_assert_cmpstr (ob_template_get_language (t), ==, "en");
  g_assert_cmpstr (ob_template_get_body_text (t), ==, "Hello,\nworld.\n");
  g_assert_null (ob_template_get_body_html (t));
  g_assert_cmpuint (ob_template_get_attachments (t)->len, ==, 0);
}

static void
test_parse_html_and_attachments (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *pdf = ob_test_dir_file (dir, "catalogue.pdf");
  g_autofree char *tpl = ob_test_dir_file (dir, "offer.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) t = NULL;
  ObTemplateAttachment *a;

  g_assert_true (g_file_set_contents (pdf, "%PDF-1.4\n%fake but enough to sniff\n", -1, NULL));
  g_assert_true (g_file_set_contents (tpl, "Subject: Offer\nContent-Type: text/html; charset=utf-8\n"
                                      "Attachment: catalogue.pdf\n\n<p>Hello</p>\n", -1, NULL));
  t = ob_template_new_from_file (tpl, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_template_get_name (t), ==, "offer");
  g_assert_cmpstr (ob_template_get_body_html (t), ==, "<p>Hello</p>\n");
  g_assert_null (ob_template_get_body_text (t));
  g_assert_cmpuint (ob_template_get_attachments (t)->len, ==, 1);
  a = g_ptr_array_index (ob_template_get_attachments (t), 0);
  g_assert_cmpstr (a->path, ==, pdf);
  g_assert_cmpint (a->size, ==, 35);
  g_assert_cmpstr (a->content_type, ==, "application/pdf");
}

static void
test_parse_errors (void)
{
  struct { const char *data; int line; const char *needle; } cases[] = {
    { "Hello there\n\nBody", 1, "header" },
    { "Subject: a\nFrom: me\n\nBody", 2, "From" },
    { "Subject: a\nSubject: b\n\nBody", 2, "Subject" },
    { "Subject: a\nContent-Type: application/pdf\n\n", 2, "application/pdf" },
    { " continued\n\nBody", 1, "continuation" },
    { "Subject: a\nAttachment:\n\n", 2, "Attachment" },
    { "Subject: a\n\nBody \xff\xfe here", 3, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ObTemplate) t = ob_template_new_from_data (cases[i].data, -1, NULL, &error);
      g_autofree char *line = g_strdup_printf ("Line %d", cases[i].line);

      g_assert_null (t);
      g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, line));
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }

  /* A NUL byte in the middle. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ObTemplate) t = ob_template_new_from_data ("Subject: a\n\nx\0y", 15, NULL, &error);
    g_assert_null (t);
    g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_PARSE);
  }
  /* A missing file names the file. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ObTemplate) t = ob_template_new_from_file ("/nonexistent/x.txt", &error);
    g_assert_null (t);
    g_assert_nonnull (strstr (error->message, "/nonexistent/x.txt"));
  }
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) t = ob_template_new_from_data ("Subject: S\nLanguage: de\n\nBody {{first_name|x}}\n", -1, NULL, &error);
  g_autofree char *data = ob_template_to_data (t);
  g_autoptr(ObTemplate) again = ob_template_new_from_data (data, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ob_template_get_subject (again), ==, "S");
  g_assert_cmpstr (ob_template_get_language (again), ==, "de");
  g_assert_cmpstr (ob_template_get_body_text (again), ==, "Body {{first_name|x}}\n");
}

static void
test_store_versions (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "t.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (db, &error);
  g_autoptr(ObTemplate) t = ob_template_new ();
  g_autoptr(ObTemplate) loaded = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(ObTemplateAttachment) a = ob_template_attachment_new ("/tmp/price.pdf", 1234, "application/pdf");
  ObTemplateAttachment *la;

  g_assert_no_error (error);

  /* No name: refused, nothing written. */
  ob_template_set_subject (t, "First");
  g_assert_false (ob_template_library_save (store, t, &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ob_template_get_id (t), ==, 0);

  ob_template_set_name (t, "Intro");
  ob_template_set_body_text (t, "Version one");
  ob_template_set_language (t, "en");
  ob_template_add_attachment (t, a);
  g_assert_true (ob_template_library_save (store, t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_template_get_id (t), >, 0);
  g_assert_cmpint (ob_template_get_version (t), ==, 1);

  ob_template_set_subject (t, "Second");
  ob_template_set_body_text (t, "Version two");
  g_assert_true (ob_template_library_save (store, t, &error));
  ob_template_set_subject (t, "Third");
  g_assert_true (ob_template_library_save (store, t, &error));
  g_assert_cmpint (ob_template_get_version (t), ==, 3);

  loaded = ob_template_library_load (store, ob_template_get_id (t), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_template_get_subject (loaded), ==, "Third");
  g_assert_cmpstr (ob_template_get_body_text (loaded), ==, "Version two");
  g_assert_cmpstr (ob_template_get_name (loaded), ==, "Intro");
  g_assert_cmpint (ob_template_get_version (loaded), ==, 3);
  g_assert_cmpuint (ob_template_get_attachments (loaded)->len, ==, 1);
  la = g_ptr_array_index (ob_template_get_attachments (loaded), 0);
  g_assert_cmpstr (la->path, ==, "/tmp/price.pdf");
  g_assert_cmpint (la->size, ==, 1234);
  g_assert_cmpstr (la->content_type, ==, "application/pdf");

  versions = ob_template_library_list_versions (store, ob_template_get_id (t), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpstr (ob_template_get_subject (g_ptr_array_index (versions, 0)), ==, "First");
  g_assert_cmpstr (ob_template_get_body_text (g_ptr_array_index (versions, 0)), ==, "Version one");
  g_assert_cmpint (ob_template_get_version (g_ptr_array_index (versions, 0)), ==, 1);
  g_assert_cmpstr (ob_template_get_subject (g_ptr_array_index (versions, 1)), ==, "Second");

  list = ob_template_library_list (store, &error);
  g_assert_cmpuint (list->len, ==, 1);

  g_assert_null (ob_template_library_load (store, 999, &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_NOT_FOUND);
}

/* Deleting takes the versions along; a template a campaign sends stays,
 * and the error names the campaign. */
static void
test_store_delete (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "t.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (db, &error);
  g_autoptr(ObTemplate) a = ob_template_new ();
  g_autoptr(ObTemplate) b = ob_template_new ();
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  ob_template_set_name (a, "Unused");
  ob_template_set_body_text (a, "One");
  g_assert_true (ob_template_library_save (store, a, &error));
  ob_template_set_body_text (a, "Two");
  g_assert_true (ob_template_library_save (store, a, &error));
  ob_template_set_name (b, "Sent by a campaign");
  ob_template_set_body_text (b, "Hello");
  g_assert_true (ob_template_library_save (store, b, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO campaigns (id, name, created_at, updated_at) VALUES (7, 'Fair leads', 1, 1);"
                         "INSERT INTO campaign_steps (campaign_id, position, template_id) VALUES (7, 1, %lld);",
                         (long long) ob_template_get_id (b));
  g_assert_true (ob_store_exec (store, sql, &error));
  g_assert_no_error (error);

  g_assert_true (ob_template_library_delete (store, ob_template_get_id (a), &error));
  g_assert_no_error (error);
  g_assert_null (ob_template_library_load (store, ob_template_get_id (a), &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM template_versions"), ==, 0);

  g_assert_false (ob_template_library_can_delete (store, ob_template_get_id (b), &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ob_template_library_delete (store, ob_template_get_id (b), &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Fair leads"));
  g_clear_error (&error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM templates"), ==, 1);

  g_assert_false (ob_template_library_delete (store, 999, &error));
  g_assert_error (error, OB_TEMPLATE_ERROR, OB_TEMPLATE_ERROR_NOT_FOUND);
}

static void
test_merge_parse (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) fields = ob_merge_parse ("Привет {{First_Name|друг}}, {{company}} {{ title | the team }}", &problems);
  ObMergeField *f;

  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (fields->len, ==, 3);
  f = g_ptr_array_index (fields, 0);
  g_assert_cmpstr (f->name, ==, "first_name");
  g_assert_cmpstr (f->fallback, ==, "друг");
  g_assert_cmpuint (f->start, ==, 7);
  g_assert_cmpuint (f->end, ==, 7 + g_utf8_strlen ("{{First_Name|друг}}", -1));
  g_assert_cmpuint (f->byte_start, ==, strlen ("Привет "));
  f = g_ptr_array_index (fields, 1);
  g_assert_cmpstr (f->name, ==, "company");
  g_assert_null (f->fallback);
  g_assert_cmpuint (f->start, ==, 28);
  f = g_ptr_array_index (fields, 2);
  g_assert_cmpstr (f->name, ==, "title");
  g_assert_cmpstr (f->fallback, ==, "the team");
}

static void
test_merge_problems (void)
{
  struct { const char *text; gsize start, end; } cases[] = {
    { "Hi {{first_name", 3, 15 },
    { "Hi {{first_name|x} and", 3, 18 },
    { "Hi {{}} there", 3, 7 },
    { "Hi {{first name}} there", 3, 17 },
    { "Hi {first_name} there", 3, 15 },
    { "Hi {{9lives}}", 3, 13 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GPtrArray) fields = ob_merge_parse (cases[i].text, &problems);
      ObMergeProblem *p;

      g_assert_cmpuint (fields->len, ==, 0);
      g_assert_cmpuint (problems->len, ==, 1);
      p = g_ptr_array_index (problems, 0);
      g_assert_cmpuint (p->start, ==, cases[i].start);
      g_assert_cmpuint (p->end, ==, cases[i].end);
      g_assert_nonnull (p->message);
      g_assert_nonnull (p->fix);
    }

  /* An unclosed field is offered closed. */
  {
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GPtrArray) fields = ob_merge_parse ("Dear {{first_name|there}, hi", &problems);
    ObMergeProblem *p = g_ptr_array_index (problems, 0);

    g_assert_cmpstr (p->text, ==, "{{first_name|there}");
    g_assert_cmpstr (p->fix, ==, "{{first_name|there}}");
  }

  /* CSS braces and unknown single-brace words are not fields. */
  {
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GPtrArray) fields = ob_merge_parse ("a{color:red}} {set} {{company|x}}", &problems);
    g_assert_cmpuint (problems->len, ==, 0);
    g_assert_cmpuint (fields->len, ==, 1);
  }
}

static void
test_merge_render (void)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *header = NULL;
  g_autofree char *broken = NULL;

  g_hash_table_insert (values, (gpointer) "first_name", (gpointer) "Bob\r\nBcc: victim@example.com");
  g_hash_table_insert (values, (gpointer) "company", (gpointer) "<script>alert('x')</script> & Co");
  g_hash_table_insert (values, (gpointer) "title", (gpointer) "   ");

  text = ob_merge_render ("Hi {{first_name}} of {{company}}, {{title|buyer}}, {{country}}.", values,
                          OB_MERGE_MODE_TEXT, missing);
  g_assert_cmpstr (text, ==, "Hi Bob\nBcc: victim@example.com of <script>alert('x')</script> & Co, buyer, .");
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (missing, 0), ==, "country");

  html = ob_merge_render ("<p>{{company}} {{title|A&B}}</p>", values, OB_MERGE_MODE_HTML, NULL);
  g_assert_cmpstr (html, ==, "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co A&amp;B</p>");

  header = ob_merge_render ("Hello {{first_name}}", values, OB_MERGE_MODE_HEADER, NULL);
  g_assert_null (strchr (header, '\r'));
  g_assert_null (strchr (header, '\n'));
  g_assert_cmpstr (header, ==, "Hello Bob Bcc: victim@example.com");

  /* Malformed fields stay as written. */
  broken = ob_merge_render ("Hi {{first_name", values, OB_MERGE_MODE_TEXT, NULL);
  g_assert_cmpstr (broken, ==, "Hi {{first_name");
}

int
main (int   argc,
      char *argv[])
{
  ob_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/templates/parse-text", test_parse_text);
  g_test_add_func ("/templates/parse-html-attachments", test_parse_html_and_attachments);
  g_test_add_func ("/templates/parse-errors", test_parse_errors);
  g_test_add_func ("/templates/round-trip", test_round_trip);
  g_test_add_func ("/templates/store-versions", test_store_versions);
  g_test_add_func ("/templates/store-delete", test_store_delete);
  g_test_add_func ("/templates/merge-parse", test_merge_parse);
  g_test_add_func ("/templates/merge-problems", test_merge_problems);
  g_test_add_func ("/templates/merge-render", test_merge_render);

  return g_test_run ();
}
