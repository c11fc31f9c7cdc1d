/* test-import-preview.c — the import dialog's preview and remapping,
 * headless: columns detected from their titles, a file without titles, a
 * mapping chosen by hand written as a new title row, broken input refused.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-import-preview.h"
#include "ob-import-private.h"
#include "ob-test-util.h"

static GFile *
write_file (ObTestDir  *dir,
            const char *name,
            const char *data,
            gssize      len)
{
  g_autofree char *path = ob_test_dir_file (dir, name);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static char *
read_file (GFile *file)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &data, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_delete (file, NULL, NULL);
  return g_steal_pointer (&data);
}

static void
test_preview_titles_and_mapping (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(GFile) file = write_file (dir, "fair.csv",
                                      "E-mail;Contact;Firma;Booth\r\n"
                                      "li.wei@hengda-valve.cn;Li Wei;Hengda Valve;A-12\r\n"
                                      "anna@stahlwerk.de;Anna Schmidt;\"Stahlwerk; Hamburg\";B-3\r\n"
                                      "ops@saigon-pipes.vn;;Saigon Pipes;C-7\r\n", -1);
  g_autoptr(ObImportPreview) p = NULL;
  g_autoptr(GFile) mapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int fields[4];

  p = ob_import_preview_read (file, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->format, ==, "csv");
  g_assert_cmpint (p->delimiter, ==, ';');
  g_assert_false (p->headerless);
  g_assert_cmpuint (p->n_columns, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (p->headers, 2), ==, "Firma");
  g_assert_cmpint (p->fields[0], ==, OB_FIELD_EMAIL);
  g_assert_cmpint (p->fields[1], ==, OB_FIELD_NAME);
  g_assert_cmpint (p->fields[2], ==, OB_FIELD_COMPANY);
  g_assert_cmpint (p->fields[3], ==, OB_FIELD_CUSTOM);
  /* Only the first rows are kept, quoted cells whole. */
  g_assert_cmpuint (p->rows->len, ==, 2);
  g_assert_cmpstr (((char **) g_ptr_array_index (p->rows, 1))[2], ==, "Stahlwerk; Hamburg");
  memcpy (fields, p->fields, sizeof fields);
  g_assert_true (ob_import_preview_is_detected (p, fields));

  /* By hand: the booth is left out, the contact column becomes notes. */
  fields[1] = OB_FIELD_NOTES;
  fields[3] = OB_IMPORT_COLUMN_IGNORE;
  g_assert_false (ob_import_preview_is_detected (p, fields));
  mapped = ob_import_preview_write_mapped (file, p, fields, NULL, &error);
  g_assert_no_error (error);
  text = read_file (mapped);
  g_assert_cmpstr (text, ==,
                   "Email,Notes,Company\r\n"
                   "li.wei@hengda-valve.cn,Li Wei,Hengda Valve\r\n"
                   "anna@stahlwerk.de,Anna Schmidt,Stahlwerk; Hamburg\r\n"
                   "ops@saigon-pipes.vn,,Saigon Pipes\r\n");

  /* Without an Email column there is nothing to import. */
  fields[0] = OB_FIELD_CUSTOM;
  g_assert_null (ob_import_preview_write_mapped (file, p, fields, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* Outbound's own export: its Verdict and Status are left out, shown as
 * Ignore; elsewhere a Status column is the list's, a custom field. */
static void
test_preview_outbound_export (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(GFile) export = write_file (dir, "export.csv",
                                        "\xEF\xBB\xBF" "Email,Name,Verdict,Status,Notes,Industry\r\n"
                                        "li.wei@hengda-valve.cn,Li Wei,valid,active,,Valves\r\n", -1);
  g_autoptr(GFile) crm = write_file (dir, "crm.csv", "Email,Status\r\nlead@ventil-nord.de,Hot lead\r\n", -1);
  g_autoptr(ObImportPreview) p = NULL;
  g_autoptr(ObImportPreview) q = NULL;
  g_autoptr(GError) error = NULL;

  p = ob_import_preview_read (export, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->fields[2], ==, OB_IMPORT_COLUMN_IGNORE);
  g_assert_cmpint (p->fields[3], ==, OB_IMPORT_COLUMN_IGNORE);
  g_assert_cmpint (p->fields[4], ==, OB_FIELD_NOTES);
  g_assert_cmpint (p->fields[5], ==, OB_FIELD_CUSTOM);

  q = ob_import_preview_read (crm, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (q->fields[1], ==, OB_FIELD_CUSTOM);
}

static void
test_preview_headerless_and_line (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(GFile) file = write_file (dir, "bare.csv",
                                      "li.wei@hengda-valve.cn,Hengda Valve\n"
                                      "anna@stahlwerk.de,\"Stahl, Werk\"\n", -1);
  g_autoptr(GFile) titled = write_file (dir, "titled.csv",
                                        "Email,Company\n"
                                        "li.wei@hengda-valve.cn,Hengda Valve\n"
                                        "anna@stahlwerk.de,Stahlwerk\n", -1);
  g_autoptr(ObImportPreview) p = NULL;
  g_autoptr(GFile) mapped = NULL;
  g_autoptr(GFile) one = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  p = ob_import_preview_read (file, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (p->headerless);
  g_assert_cmpuint (p->rows->len, ==, 2);
  g_assert_cmpint (p->fields[0], ==, OB_FIELD_EMAIL);
  g_assert_cmpint (p->fields[1], ==, OB_FIELD_CUSTOM);
  p->fields[1] = OB_FIELD_COMPANY;
  mapped = ob_import_preview_write_mapped (file, p, p->fields, NULL, &error);
  g_assert_no_error (error);
  text = read_file (mapped);
  g_assert_cmpstr (text, ==,
                   "Email,Company\r\n"
                   "li.wei@hengda-valve.cn,Hengda Valve\r\n"
                   "anna@stahlwerk.de,\"Stahl, Werk\"\r\n");

  /* One record again, by its line in the user's file. */
  one = ob_import_preview_write_line (titled, 3, &error);
  g_assert_no_error (error);
  line = read_file (one);
  g_assert_cmpstr (line, ==, "Email,Company\r\nanna@stahlwerk.de,Stahlwerk\r\n");
  g_assert_null (ob_import_preview_write_line (titled, 9, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_preview_refuses_broken (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autoptr(GFile) empty = write_file (dir, "empty.csv", "", 0);
  g_autoptr(GFile) missing = NULL;
  g_autofree char *missing_path = ob_test_dir_file (dir, "nowhere.csv");
  g_autoptr(GError) error = NULL;

  g_assert_null (ob_import_preview_read (empty, 10, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "empty.csv"));
  g_clear_error (&error);

  missing = g_file_new_for_path (missing_path);
  g_assert_null (ob_import_preview_read (missing, 10, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nowhere.csv"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contacts/import-preview/titles-and-mapping", test_preview_titles_and_mapping);
  g_test_add_func ("/contacts/import-preview/outbound-export", test_preview_outbound_export);
  g_test_add_func ("/contacts/import-preview/headerless-and-line", test_preview_headerless_and_line);
  g_test_add_func ("/contacts/import-preview/refuses-broken", test_preview_refuses_broken);

  return g_test_run ();
}
