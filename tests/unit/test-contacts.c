/* test-contacts.c — import (encodings, delimiters, vCard, broken input),
 * deduplication, suppression, segments and export.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>

#include "ob-contact-importer.h"
#include "ob-contact-private.h"
#include "ob-contacts.h"
#include "ob-country.h"
#include "ob-store.h"
#include "ob-suppressions.h"
#include "ob-test-util.h"

typedef struct
{
  ObTestDir *dir;
  char      *db;
  ObStore   *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = ob_test_dir_new ();
  f->db = ob_test_dir_file (f->dir, "contacts.db");
  f->store = ob_store_open (f->db, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->db);
  ob_test_dir_free (f->dir);
}

static char *
data_file (const char *name)
{
  return g_build_filename (ob_test_source_root (), "tests", "data", "contacts", name, NULL);
}

static ObImportReport *
import_path (Fixture             *f,
             const char          *path,
             gboolean             apply,
             const char * const  *tags,
             GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ObContactImporter) importer = ob_contact_importer_new (f->store, file);

  ob_contact_importer_set_source (importer, "test");
  ob_contact_importer_set_apply_suggestions (importer, apply);
  ob_contact_importer_set_tags (importer, tags);
  return ob_contact_importer_import (importer, NULL, error);
}

static ObImportReport *
import_fixture (Fixture    *f,
                const char *name)
{
  g_autofree char *path = data_file (name);
  g_autoptr(GError) error = NULL;
  ObImportReport *report = import_path (f, path, FALSE, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static char *
query_text (Fixture    *f,
            const char *sql,
            const char *arg)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (f->store, sql, NULL);

  g_assert_nonnull (stmt);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static int
query_int (Fixture    *f,
           const char *sql)
{
  g_autofree char *text = query_text (f, sql, NULL);

  g_assert_nonnull (text);
  return atoi (text);
}

static char *
contact_field (Fixture    *f,
               const char *email,
               const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM contacts WHERE email = ?", column);

  return query_text (f, sql, email);
}

/* Everything an import may touch, to prove a failed one touched nothing. */
static char *
db_fingerprint (Fixture *f)
{
  g_autofree char *rows = query_text (f, "SELECT coalesce (group_concat (email || updated_at || coalesce (title, '')), '')"
                                         " FROM contacts", NULL);

  return g_strdup_printf ("%d/%d/%d/%d/%s",
                          query_int (f, "SELECT count(*) FROM contacts"),
                          query_int (f, "SELECT count(*) FROM tags"),
                          query_int (f, "SELECT count(*) FROM contact_tags"),
                          query_int (f, "SELECT count(*) FROM contacts_fts"),
                          rows);
}

static void
test_import_utf8_bom (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "utf8-bom.csv");
  g_autofree char *custom = contact_field (f, "hans.mueller@kessler-armaturen.de", "custom_json");
  g_autofree char *title = contact_field (f, "hans.mueller@kessler-armaturen.de", "title");
  g_autofree char *country = contact_field (f, "J.Smith@harbor-textiles.co.uk", "country");
  g_autofree char *inferred = contact_field (f, "J.Smith@harbor-textiles.co.uk", "country_inferred");
  g_autofree char *tz = contact_field (f, "claire.dubois@lumiere-eclairage.fr", "timezone");
  g_autofree char *verdict = contact_field (f, "sales@mailinator.com", "verdict");
  g_autofree char *flags = contact_field (f, "sales@mailinator.com", "flags");
  ObImportProblem *p;

  g_assert_cmpstr (r->encoding, ==, "UTF-8");
  g_assert_cmpint (r->delimiter, ==, ',');
  g_assert_cmpuint (r->rows, ==, 7);
  g_assert_cmpuint (r->imported, ==, 4);
  g_assert_cmpuint (r->duplicates_in_file, ==, 1);
  g_assert_cmpuint (r->duplicates, ==, 1);
  g_assert_cmpuint (r->invalid, ==, 2);
  g_assert_cmpuint (r->suggestions, ==, 1);
  g_assert_cmpuint (r->problems->len, ==, 3);
  p = g_ptr_array_index (r->problems, 0);
  g_assert_cmpuint (p->line, ==, 4);
  g_assert_cmpstr (p->input, ==, "anna@126.con");
  g_assert_cmpstr (p->reasons[0], ==, "typo-domain");
  g_assert_cmpstr (p->suggestion, ==, "anna@126.com");
  g_assert_false (p->applied);
  g_assert_cmpuint (p->first_line, ==, 0);
  p = g_ptr_array_index (r->problems, 1);
  g_assert_cmpuint (p->line, ==, 6);
  /* The duplicate within the file is listed with the line it repeats. */
  p = g_ptr_array_index (r->problems, 2);
  g_assert_cmpuint (p->line, ==, 8);
  g_assert_cmpstr (p->input, ==, "hans.mueller@KESSLER-ARMATUREN.DE");
  g_assert_cmpstr (p->reasons[0], ==, "duplicate");
  g_assert_null (p->reasons[1]);
  g_assert_null (p->suggestion);
  g_assert_cmpuint (p->first_line, ==, 2);

  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts"), ==, 4);
  {
    guint contacts = 0, mailboxes = 0;

    /* Another case of a local part is another contact, but the same
     * mailbox: a campaign mails it once. */
    g_assert_true (ob_store_exec (f->store, "INSERT INTO contacts (email, email_key, domain, created_at, updated_at)"
                                            " VALUES ('Hans.Mueller@kessler-armaturen.de',"
                                            " 'Hans.Mueller@kessler-armaturen.de', 'kessler-armaturen.de', 1, 1)", NULL));
    g_assert_true (ob_contacts_count (f->store, NULL, &contacts, NULL));
    g_assert_true (ob_contacts_count_mailboxes (f->store, NULL, &mailboxes, NULL));
    g_assert_cmpuint (contacts, ==, 5);
    g_assert_cmpuint (mailboxes, ==, 4);
    g_assert_true (ob_store_exec (f->store, "DELETE FROM contacts WHERE email = 'Hans.Mueller@kessler-armaturen.de'",
                                  NULL));
  }
  /* Unknown columns become custom fields; the duplicate row's values win. */
  g_assert_cmpstr (custom, ==, "{\"Industry\":\"Valves\"}");
  g_assert_cmpstr (title, ==, "Head of Purchasing");
  /* Country from the ccTLD when the file has none; time zone from the country. */
  g_assert_cmpstr (country, ==, "GB");
  g_assert_cmpstr (inferred, ==, "1");
  g_assert_cmpstr (tz, ==, "Europe/Paris");
  g_assert_cmpstr (verdict, ==, "risky");
  g_assert_cmpstr (flags, ==, "role");
}

static void
test_import_gbk (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "gbk.csv");
  g_autofree char *name = contact_field (f, "li.wei@hengda-valve.cn", "name");
  g_autofree char *company = contact_field (f, "li.wei@hengda-valve.cn", "company");
  g_autofree char *country = contact_field (f, "li.wei@hengda-valve.cn", "country");
  g_autofree char *title = contact_field (f, "li.wei@hengda-valve.cn", "title");
  g_autofree char *phone = contact_field (f, "li.wei@hengda-valve.cn", "phone");
  g_autofree char *notes = contact_field (f, "li.wei@hengda-valve.cn", "notes");
  g_autofree char *custom = contact_field (f, "li.wei@hengda-valve.cn", "custom_json");
  g_autofree char *jp = contact_field (f, "buyer@sakura-denki.jp", "country");

  g_assert_cmpstr (r->encoding, ==, "GB18030");
  g_assert_cmpuint (r->rows, ==, 3);
  g_assert_cmpuint (r->imported, ==, 2);
  g_assert_cmpuint (r->invalid, ==, 1);
  g_assert_cmpstr (name, ==, "李伟");
  g_assert_cmpstr (company, ==, "恒达阀门有限公司");
  g_assert_cmpstr (country, ==, "CN");
  g_assert_cmpstr (title, ==, "采购经理");
  g_assert_cmpstr (phone, ==, "13800138000");
  g_assert_cmpstr (notes, ==, "老客户");
  g_assert_cmpstr (custom, ==, "{\"行业\":\"阀门\"}");
  g_assert_cmpstr (jp, ==, "JP");
}

static void
test_import_utf16 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "utf16le.txt");
  g_autofree char *name = contact_field (f, "ivan.petrov@uralvalve.ru", "name");
  g_autofree char *es = contact_field (f, "maria.garcia@textiles-sur.es", "country");
  g_autofree char *kr = contact_field (f, "kim@hanbit-led.co.kr", "country");
  g_autofree char *kr_name = contact_field (f, "kim@hanbit-led.co.kr", "name");

  g_assert_cmpstr (r->encoding, ==, "UTF-16LE");
  g_assert_cmpint (r->delimiter, ==, '\t');
  g_assert_cmpuint (r->imported, ==, 3);
  g_assert_cmpstr (name, ==, "Иван Петров");
  g_assert_cmpstr (es, ==, "ES");
  g_assert_cmpstr (kr, ==, "KR");
  g_assert_cmpstr (kr_name, ==, "김민수");
}

static void
test_import_semicolon (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "semicolon.csv");
  g_autofree char *company = contact_field (f, "k.schmidt@ventil-technik.de", "company");
  g_autofree char *custom = contact_field (f, "k.schmidt@ventil-technik.de", "custom_json");
  g_autofree char *notes = contact_field (f, "k.schmidt@ventil-technik.de", "notes");
  g_autofree char *de = contact_field (f, "k.schmidt@ventil-technik.de", "country");
  g_autofree char *at = contact_field (f, "office@pumpen-wien.at", "country");
  g_autofree char *it = contact_field (f, "m.rossi@valvole-milano.it", "country");
  g_autofree char *it_inferred = contact_field (f, "m.rossi@valvole-milano.it", "country_inferred");

  g_assert_cmpint (r->delimiter, ==, ';');
  g_assert_cmpuint (r->imported, ==, 3);
  g_assert_cmpstr (company, ==, "Ventil; Technik AG");
  /* German titles, as Firma and Land: Bemerkung is the notes. */
  g_assert_null (custom);
  g_assert_cmpstr (notes, ==, "sagt \"hallo\"");
  g_assert_cmpstr (de, ==, "DE");
  g_assert_cmpstr (at, ==, "AT");
  /* "Italien" is not a name we know: the ccTLD fills in, marked inferred. */
  g_assert_cmpstr (it, ==, "IT");
  g_assert_cmpstr (it_inferred, ==, "1");
}

static void
test_import_sep_hint (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = ob_test_dir_file (f->dir, "sep.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImportReport) r = NULL;
  g_autofree char *company = NULL;

  g_assert_true (g_file_set_contents (path, "sep=;\r\nEmail;Company\r\nbuyer@hint-buyer.de;Hint, Comma & Co\r\n", -1, NULL));
  r = import_path (f, path, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->delimiter, ==, ';');
  g_assert_cmpuint (r->imported, ==, 1);
  company = contact_field (f, "buyer@hint-buyer.de", "company");
  g_assert_cmpstr (company, ==, "Hint, Comma & Co");
}

static void
test_import_multi (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "multi.csv");
  const char *expected[] = { "a.one", "b.two", "c.three", "d.four", "e.five", "f.six", "g.seven",
                             "h.eight", "i.nine", "j.ten" };

  g_assert_cmpuint (r->rows, ==, 4);
  g_assert_cmpuint (r->imported, ==, 10);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *email = g_strconcat (expected[i], "@multi-buyer.com", NULL);
      g_autofree char *company = contact_field (f, email, "company");

      g_assert_cmpstr (company, ==, "Multi Buyer Inc");
    }
}

static void
test_import_cr (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "cr-only.csv");
  g_autofree char *notes = contact_field (f, "old.mac@classic-parts.com", "notes");

  g_assert_cmpuint (r->imported, ==, 2);
  g_assert_cmpstr (notes, ==, "first line\rsecond line");
}

static void
test_import_vcard (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "contacts.vcf");
  g_autofree char *notes = contact_field (f, "ahmed@gulf-lighting.ae", "notes");
  g_autofree char *company = contact_field (f, "ahmed@gulf-lighting.ae", "company");
  g_autofree char *country = contact_field (f, "ahmed@gulf-lighting.ae", "country");
  g_autofree char *phone = contact_field (f, "ahmed@gulf-lighting.ae", "phone");
  g_autofree char *first = contact_field (f, "ahmed@gulf-lighting.ae", "first_name");
  g_autofree char *priya = contact_field (f, "priya@sharma-textiles.in", "country");
  g_autofree char *wang = contact_field (f, "wang.fang@163.com", "name");

  g_assert_cmpstr (r->format, ==, "vcard");
  g_assert_cmpuint (r->rows, ==, 3);
  g_assert_cmpuint (r->imported, ==, 3);
  g_assert_cmpuint (r->invalid, ==, 1);
  g_assert_cmpstr (((ObImportProblem *) g_ptr_array_index (r->problems, 0))->suggestion, ==,
                   "ahmed.private@gmail.com");
  g_assert_cmpstr (notes, ==, "Interested in LED high-bay lights, 200W\nCall after 10am");
  g_assert_cmpstr (company, ==, "Gulf Lighting Trading LLC");
  g_assert_cmpstr (country, ==, "AE");
  g_assert_cmpstr (phone, ==, "+971 50 555 0199");
  g_assert_cmpstr (first, ==, "Ahmed");
  /* A folded EMAIL line. */
  g_assert_cmpstr (priya, ==, "IN");
  /* vCard 2.1 quoted-printable. */
  g_assert_cmpstr (wang, ==, "王芳");
}

static void
test_import_again_updates (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ObImportReport) first = import_fixture (f, "utf8-bom.csv");
  g_autoptr(ObImportReport) second = NULL;
  g_autofree char *path = data_file ("utf8-bom.csv");
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "fair-2026", NULL };
  ObImportProblem *dup;

  second = import_path (f, path, TRUE, tags, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->imported, ==, 1);   /* anna@126.com, the applied suggestion */
  g_assert_cmpuint (second->updated, ==, 4);
  g_assert_cmpuint (second->duplicates_in_db, ==, 4);
  g_assert_cmpuint (second->duplicates_in_file, ==, 1);
  g_assert_cmpuint (second->invalid, ==, 1);
  g_assert_true (((ObImportProblem *) g_ptr_array_index (second->problems, 0))->applied);
  /* The repeat of a contact already in the database names the line that
   * updated it. */
  dup = g_ptr_array_index (second->problems, second->problems->len - 1);
  g_assert_cmpstr (dup->reasons[0], ==, "duplicate");
  g_assert_cmpuint (dup->line, ==, 8);
  g_assert_cmpuint (dup->first_line, ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE email = 'anna@126.com'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact_tags"), ==, 5);
}

/* The search index follows every import: new rows, rows updated from
 * the file (their old words gone), rows repeated in the file; and the
 * triggers that keep it in step afterwards are all back. */
static void
test_import_search_index (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = ob_test_dir_file (f->dir, "renamed.csv");
  g_autoptr(ObImportReport) first = import_fixture (f, "semicolon.csv");
  g_autoptr(ObImportReport) second = NULL;
  g_autoptr(GError) error = NULL;
  int triggers = query_int (f, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contacts'");

  g_assert_cmpint (triggers, >=, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'klaus'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'valvole'"), ==, 1);

  g_assert_true (g_file_set_contents (path,
                                      "email,name,company\n"
                                      "k.schmidt@ventil-technik.de,Karl Schmied,Armaturen Nord\n"
                                      "new.buyer@kugelhahn-werk.de,Nora Quelle,Kugelhahn Werk\n"
                                      "new.buyer@kugelhahn-werk.de,Nora Quelle,Kugelhahn Werk Zwei\n",
                                      -1, NULL));
  second = import_path (f, path, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->imported, ==, 1);
  g_assert_cmpuint (second->duplicates_in_db, ==, 1);
  g_assert_cmpuint (second->duplicates_in_file, ==, 1);

  /* Old words out, new words in, for the updated and the new contact. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'klaus'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'karl AND armaturen'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'nora'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'zwei'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'valvole'"), ==, 1);
  g_assert_true (ob_store_exec (f->store,
                                "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)",
                                &error));
  g_assert_no_error (error);

  /* Imported again: a contact whose words did not change keeps its
   * terms as they are; one whose notes alone changed, or whose name the
   * file leaves empty, has its words right. */
  g_assert_true (g_file_set_contents (path,
                                      "email,name,company,notes\n"
                                      "k.schmidt@ventil-technik.de,Karl Schmied,Armaturen Nord,\n"
                                      "new.buyer@kugelhahn-werk.de,,,Wants DN80 ball valves\n",
                                      -1, NULL));
  g_clear_pointer (&second, ob_import_report_free);
  second = import_path (f, path, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->updated, ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'karl AND armaturen'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'nora AND dn80 AND zwei'"), ==, 1);
  g_assert_true (ob_store_exec (f->store,
                                "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)",
                                &error));
  g_assert_no_error (error);

  /* The triggers are back and work. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contacts'"), ==, triggers);
  g_assert_true (ob_store_exec (f->store, "UPDATE contacts SET name = 'Zora Quelle' WHERE email = 'new.buyer@kugelhahn-werk.de'", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'nora'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'zora'"), ==, 1);
}

/* A big import (the bulk path: secondary indexes dropped and made again
 * inside the transaction) ends with the schema as it was, whether it
 * commits or fails on its last line. */
static void
test_import_bulk (Fixture       *f,
                  gconstpointer  data)
{
  const char *schema_sql = "SELECT group_concat (type || ':' || name || ':' || coalesce (sql, ''), '|')"
                           " FROM (SELECT * FROM sqlite_master ORDER BY type, name)";
  g_autofree char *good_path = ob_test_dir_file (f->dir, "bulk.csv");
  g_autofree char *bad_path = ob_test_dir_file (f->dir, "bulk-broken.csv");
  g_autoptr(GString) text = g_string_new ("email,name,company,country\n");
  g_autoptr(ObImportReport) first = import_fixture (f, "semicolon.csv");
  g_autoptr(ObImportReport) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *schema = query_text (f, schema_sql, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *schema_after = NULL;
  g_autofree char *integrity = NULL;

  for (guint i = 0; i < 15000; i++)
    g_string_append_printf (text, "buyer%u@bulk-valves-%u.de,Buyer %u,Bulk Valves %u,DE\n", i, i % 700, i, i % 700);
  /* A row that repeats one of the file and one already in the database. */
  g_string_append (text, "buyer7@bulk-valves-7.de,Buyer Seven Again,,\n");
  g_string_append (text, "m.rossi@valvole-milano.it,Marco Rossi,Valvole Milano Nord,IT\n");
  g_assert_true (g_file_set_contents (good_path, text->str, text->len, NULL));
  g_string_append (text, "last@bulk-valves.de,\"never closed\n");
  g_assert_true (g_file_set_contents (bad_path, text->str, text->len, NULL));

  /* Fails on its last line: nothing changed, the indexes all there. */
  before = db_fingerprint (f);
  r = import_path (f, bad_path, FALSE, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE);
  g_clear_error (&error);
  after = db_fingerprint (f);
  g_assert_cmpstr (after, ==, before);
  schema_after = query_text (f, schema_sql, NULL);
  g_assert_cmpstr (schema_after, ==, schema);
  g_clear_pointer (&schema_after, g_free);

  r = import_path (f, good_path, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->rows, ==, 15002);
  g_assert_cmpuint (r->imported, ==, 15000);
  g_assert_cmpuint (r->duplicates_in_file, ==, 1);
  g_assert_cmpuint (r->duplicates_in_db, ==, 1);
  schema_after = query_text (f, schema_sql, NULL);
  g_assert_cmpstr (schema_after, ==, schema);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts"), ==, 15003);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE domain = 'bulk-valves-7.de'"), ==, 22);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'seven'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'nord'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'bulk'"), ==, 15000);
  g_assert_true (ob_store_exec (f->store,
                                "INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)",
                                &error));
  g_assert_no_error (error);
  integrity = query_text (f, "PRAGMA integrity_check", NULL);
  g_assert_cmpstr (integrity, ==, "ok");
  /* The remade index is the one queries use. */
  {
    g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (f->store,
                                                     "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE domain = 'x'",
                                                     NULL);
    gboolean uses_index = FALSE;

    g_assert_nonnull (stmt);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      uses_index |= strstr ((const char *) sqlite3_column_text (stmt, 3), "contacts_domain") != NULL;
    g_assert_true (uses_index);
  }
}

typedef struct
{
  const char *file;
  const char *message;
} Broken;

static void
test_import_broken (Fixture       *f,
                    gconstpointer  data)
{
  const Broken broken[] = {
    { "unterminated-quote.csv", "Line 3: a quoted field is never closed" },
    { "nul-bytes.csv", "Line 3 contains a NUL byte" },
    { "empty.csv", "The file is empty" },
    { "binary.bin", "not a text file" },
    { "bad-utf8.csv", "Line 4 is not valid UTF-8" },
    { "unclosed.vcf", "starting on line 1 never ends" },
    { "wide.csv", "Line 1 has more than 1000 columns" },
    { "huge-field.csv", "Line 2 has a field longer than 1 MB" },
    { "no-email.csv", "Line 1: no column holds email addresses" },
    { "zip.xlsx", "Excel workbook" },
    { "missing-file.csv", "missing-file.csv" },
  };
  g_autoptr(ObImportReport) good = import_fixture (f, "semicolon.csv");
  g_autofree char *before = db_fingerprint (f);

  /* Made here rather than kept in the tree. */
  {
    g_autoptr(GString) wide = g_string_new ("email");
    g_autoptr(GString) huge = g_string_new ("email,notes\nhuge@big-notes.com,");
    g_autofree char *wide_path = ob_test_dir_file (f->dir, "wide.csv");
    g_autofree char *huge_path = ob_test_dir_file (f->dir, "huge-field.csv");
    g_autofree char *no_email = ob_test_dir_file (f->dir, "no-email.csv");
    g_autofree char *zip = ob_test_dir_file (f->dir, "zip.xlsx");

    for (guint i = 0; i < 100000; i++)
      g_string_append_printf (wide, ",c%u", i);
    g_string_append (wide, "\nwide@row-buyer.com\n");
    g_assert_true (g_file_set_contents (wide_path, wide->str, wide->len, NULL));
    for (guint i = 0; i < 1100000; i++)
      g_string_append_c (huge, 'x');
    g_string_append_c (huge, '\n');
    g_assert_true (g_file_set_contents (huge_path, huge->str, huge->len, NULL));
    g_assert_true (g_file_set_contents (no_email, "Name,Company\nBob,Acme\n", -1, NULL));
    g_assert_true (g_file_set_contents (zip, "PK\x03\x04\x14\x00\x06\x00", 8, NULL));
  }

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *in_tree = data_file (broken[i].file);
      g_autofree char *in_tmp = ob_test_dir_file (f->dir, broken[i].file);
      g_autoptr(GError) error = NULL;
      g_autoptr(ObImportReport) r = NULL;
      g_autofree char *after = NULL;
      const char *tags[] = { "should-not-exist", NULL };

      g_test_message ("%s", broken[i].file);
      r = import_path (f, g_file_test (in_tree, G_FILE_TEST_EXISTS) ? in_tree : in_tmp, FALSE, tags, &error);
      g_assert_null (r);
      g_assert_nonnull (error);
      g_test_message ("→ %s", error->message);
      g_assert_nonnull (strstr (error->message, broken[i].message));
      g_free (after);
      after = db_fingerprint (f);
      g_assert_cmpstr (after, ==, before);
    }
}

/* A valid file that fails half-way (a row the database refuses) leaves
 * nothing behind: one transaction. */
static void
test_import_failure_rolls_back (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *path = ob_test_dir_file (f->dir, "late-break.csv");
  g_autoptr(GString) text = g_string_new ("email,name\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImportReport) r = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (text, "buyer%u@late-break-valves.com,Buyer %u\n", i, i);
  g_string_append (text, "last@late-break-valves.com,\"never closed\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  before = db_fingerprint (f);
  r = import_path (f, path, FALSE, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "Line 3002"));
  after = db_fingerprint (f);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  GMainLoop      *loop;
  GCancellable   *cancellable;
  ObImportReport *report;
  GError         *error;
  guint           notifies;
  double          last_fraction;
  ObImportStage   last_stage;
  guint           stages_seen;        /* 1 << stage */
  gboolean        cancel_on_progress;
  int             cancel_at_stage;    /* with cancel_on_progress: from this stage on */
  int             cancelled_at_stage; /* -1 until cancelled */
} AsyncData;

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncData *d = user_data;

  d->report = ob_contact_importer_import_finish (OB_CONTACT_IMPORTER (object), result, &d->error);
  g_main_loop_quit (d->loop);
}

static void
async_progress_cb (ObContactImporter *importer,
                   GParamSpec        *pspec,
                   gpointer           user_data)
{
  AsyncData *d = user_data;
  double fraction = ob_contact_importer_get_fraction (importer);
  ObImportStage stage = ob_contact_importer_get_stage (importer);

  g_assert_cmpfloat (fraction, >=, d->last_fraction);
  g_assert_cmpint (stage, >=, d->last_stage);
  d->last_fraction = fraction;
  d->last_stage = stage;
  d->stages_seen |= 1u << stage;
  d->notifies++;
  if (d->cancel_on_progress && (int) stage >= d->cancel_at_stage && d->cancelled_at_stage < 0 &&
      stage != OB_IMPORT_STAGE_SAVING)
    {
      g_cancellable_cancel (d->cancellable);
      d->cancelled_at_stage = stage;
    }
}

static void
run_async (Fixture    *f,
           const char *path,
           AsyncData  *d)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ObContactImporter) importer = ob_contact_importer_new (f->store, file);

  d->loop = g_main_loop_new (NULL, FALSE);
  d->cancellable = g_cancellable_new ();
  d->cancelled_at_stage = -1;
  g_signal_connect (importer, "notify::fraction", G_CALLBACK (async_progress_cb), d);
  ob_contact_importer_import_async (importer, d->cancellable, async_done_cb, d);
  g_main_loop_run (d->loop);
  g_clear_pointer (&d->loop, g_main_loop_unref);
  g_clear_object (&d->cancellable);
}

static char *
write_big_csv (Fixture *f,
               guint    rows)
{
  char *path = ob_test_dir_file (f->dir, "big.csv");
  g_autoptr(GString) text = g_string_new ("Email,Company,Country\r\n");

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "buyer%u@valve-buyer-%u.de,Valve Buyer %u GmbH,DE\r\n", i, i % 500, i);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return path;
}

static void
test_import_async_progress (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = write_big_csv (f, 5000);
  AsyncData d = { 0 };

  run_async (f, path, &d);
  g_assert_no_error (d.error);
  g_assert_nonnull (d.report);
  g_assert_cmpuint (d.report->imported, ==, 5000);
  g_assert_cmpuint (d.notifies, >=, 2);
  g_assert_cmpfloat (d.last_fraction, ==, 1.0);
  /* A small import: no indexes made again; it ends saving. */
  g_assert_cmpint (d.last_stage, ==, OB_IMPORT_STAGE_SAVING);
  g_assert_false (d.stages_seen & (1u << OB_IMPORT_STAGE_INDEXING));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts"), ==, 5000);
  ob_import_report_free (d.report);
}

/* Cancels an import of @rows generated rows once it reaches @stage, into
 * a database that holds a fixture: the database must be as it was. */
static void
assert_cancel_changes_nothing (Fixture       *f,
                               guint          rows,
                               ObImportStage  stage)
{
  g_autofree char *path = write_big_csv (f, rows);
  g_autoptr(ObImportReport) good = import_fixture (f, "gbk.csv");
  g_autofree char *before = db_fingerprint (f);
  g_autofree char *after = NULL;
  AsyncData d = { 0 };

  d.cancel_on_progress = TRUE;
  d.cancel_at_stage = stage;
  run_async (f, path, &d);
  g_assert_cmpint (d.cancelled_at_stage, >=, stage);
  g_assert_null (d.report);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&d.error);
  after = db_fingerprint (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_async_cancel (Fixture       *f,
                          gconstpointer  data)
{
  assert_cancel_changes_nothing (f, 12000, OB_IMPORT_STAGE_READING);
}

/* After the rows, a big import makes the list's indexes and the search
 * index again: seconds for a million rows. Cancel there still leaves the
 * database as it was. */
static void
test_import_async_cancel_late (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *path = NULL;
  AsyncData d = { 0 };

  assert_cancel_changes_nothing (f, 40000, OB_IMPORT_STAGE_INDEXING);

  /* Not cancelled, the same import goes through every stage. */
  path = ob_test_dir_file (f->dir, "big.csv");
  run_async (f, path, &d);
  g_assert_no_error (d.error);
  g_assert_nonnull (d.report);
  g_assert_cmpuint (d.report->imported, ==, 40000);
  g_assert_cmpint (d.last_stage, ==, OB_IMPORT_STAGE_SAVING);
  g_assert_true (d.stages_seen & (1u << OB_IMPORT_STAGE_INDEXING));
  g_assert_cmpfloat (d.last_fraction, ==, 1.0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'buyer39999*'"), ==, 1);
  ob_import_report_free (d.report);
}

static void
test_suppressions (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ObImportReport) r = import_fixture (f, "semicolon.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *status = NULL;
  gboolean suppressed = FALSE;

  g_assert_true (ob_suppressions_add (f->store, "@Ventil-Technik.DE", OB_SUPPRESSION_COMPLAINT, "user", NULL, &error));
  g_assert_no_error (error);
  status = contact_field (f, "k.schmidt@ventil-technik.de", "status");
  g_assert_cmpstr (status, ==, "suppressed");
  g_clear_pointer (&status, g_free);

  g_assert_true (ob_suppressions_contains (f->store, "anyone@ventil-technik.de", &suppressed, &error));
  g_assert_true (suppressed);
  g_assert_true (ob_suppressions_contains (f->store, "anyone@other-buyer.de", &suppressed, &error));
  g_assert_false (suppressed);

  /* An address covers its local part in any case: a contact imported as
   * M.Rossi@ and one as m.rossi@ are two contacts (RFC 5321 lets a
   * server tell them apart), but one bounce keeps both from being mailed. */
  g_assert_true (ob_store_exec (f->store,
                                "INSERT INTO contacts (email, email_key, domain, status, verdict, created_at, updated_at)"
                                " VALUES ('M.ROSSI@valvole-milano.it', 'M.ROSSI@valvole-milano.it', 'valvole-milano.it',"
                                " 'active', 'valid', 1, 1)", &error));
  g_assert_true (ob_suppressions_add (f->store, "M.Rossi@valvole-milano.it", OB_SUPPRESSION_HARD_BOUNCE, "bounce", "550 5.1.1", &error));
  g_assert_true (ob_suppressions_contains (f->store, "m.rossi@valvole-milano.it", &suppressed, &error));
  g_assert_true (suppressed);
  g_assert_true (ob_suppressions_contains (f->store, "m.rossi@other-valves.it", &suppressed, &error));
  g_assert_false (suppressed);
  status = contact_field (f, "m.rossi@valvole-milano.it", "status");
  g_assert_cmpstr (status, ==, "suppressed");
  g_clear_pointer (&status, g_free);
  status = contact_field (f, "M.ROSSI@valvole-milano.it", "status");
  g_assert_cmpstr (status, ==, "suppressed");
  g_clear_pointer (&status, g_free);
  /* So does an import: a row spelled in another case comes in suppressed. */
  {
    g_autofree char *csv = ob_test_dir_file (f->dir, "rossi-again.csv");
    g_autoptr(ObImportReport) again = NULL;

    g_assert_true (g_file_set_contents (csv, "Email,Name\nm.Rossi@valvole-milano.it,Mario Rossi\n", -1, NULL));
    again = import_path (f, csv, FALSE, NULL, &error);
    g_assert_no_error (error);
    status = contact_field (f, "m.Rossi@valvole-milano.it", "status");
    g_assert_cmpstr (status, ==, "suppressed");
    g_clear_pointer (&status, g_free);
  }
  /* The same address added again in another case is one entry. */
  g_assert_true (ob_suppressions_add (f->store, "m.rossi@valvole-milano.it", OB_SUPPRESSION_HARD_BOUNCE, "bounce", "550 5.1.1", &error));

  list = ob_suppressions_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  /* Lifting needs a reason, and is logged. */
  g_assert_false (ob_suppressions_remove (f->store, "@ventil-technik.de", "", &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ob_suppressions_remove (f->store, "@never-added.de", "oops", &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (ob_suppressions_remove (f->store, "@ventil-technik.de", "Complaint withdrawn by phone", &error));
  g_assert_no_error (error);
  status = contact_field (f, "k.schmidt@ventil-technik.de", "status");
  g_assert_cmpstr (status, ==, "active");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppression_log WHERE action = 'remove' AND note = 'Complaint withdrawn by phone'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppression_log WHERE action = 'add'"), ==, 3);

  /* Garbage is refused. */
  g_assert_false (ob_suppressions_add (f->store, "not an address", OB_SUPPRESSION_MANUAL, NULL, NULL, &error));
  g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
  g_clear_error (&error);

  /* Export and import round trip into a fresh database. */
  {
    g_autofree char *csv = ob_test_dir_file (f->dir, "suppressions.csv");
    g_autofree char *other_db = ob_test_dir_file (f->dir, "other.db");
    g_autoptr(ObStore) other = ob_store_open (other_db, &error);
    g_autofree char *text = NULL;
    g_autoptr(GPtrArray) copy = NULL;
    guint added = 0;

    g_assert_true (ob_suppressions_export_csv (f->store, csv, &error));
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "entry,reason"));
    g_assert_true (ob_suppressions_import_csv (other, csv, "import", &added, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (added, ==, 1); /* the two spellings of m.rossi@ are one entry */
    copy = ob_suppressions_list (other, &error);
    g_assert_cmpuint (copy->len, ==, 1);
    g_assert_cmpint (((ObSuppression *) g_ptr_array_index (copy, 0))->reason, ==, OB_SUPPRESSION_HARD_BOUNCE);
  }

  /* A suppression file with a bad row adds nothing and names the line. */
  {
    g_autofree char *csv = ob_test_dir_file (f->dir, "bad-suppressions.csv");
    g_autoptr(GPtrArray) before = ob_suppressions_list (f->store, &error);
    g_autoptr(GPtrArray) after = NULL;
    guint added = 0;

    g_assert_true (g_file_set_contents (csv, "entry,reason\nnew@blocked-buyer.de,complaint\nnot an address,manual\n", -1, NULL));
    g_assert_false (ob_suppressions_import_csv (f->store, csv, "import", &added, &error));
    g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "line 3"));
    g_clear_error (&error);
    after = ob_suppressions_list (f->store, &error);
    g_assert_cmpuint (after->len, ==, before->len);
  }

  /* An import marks suppressed addresses, and never lifts it. */
  {
    g_autoptr(ObImportReport) again = import_fixture (f, "semicolon.csv");

    g_assert_cmpuint (again->suppressed, ==, 1);
    g_free (status);
    status = contact_field (f, "m.rossi@valvole-milano.it", "status");
    g_assert_cmpstr (status, ==, "suppressed");
  }
}

static guint
count_segment (Fixture    *f,
               const char *expression)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSegment) segment = ob_segment_parse (expression, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_true (ob_contacts_count (f->store, segment, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_segments (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = data_file ("utf16le.txt");
  g_autoptr(ObImportReport) a = import_fixture (f, "semicolon.csv");
  g_autoptr(ObImportReport) b = import_fixture (f, "utf8-bom.csv");
  g_autoptr(ObImportReport) c = NULL;
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "fair-2026", "o'brien \"quoted\"", NULL };

  c = import_path (f, path, FALSE, tags, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (count_segment (f, ""), ==, 10);
  g_assert_cmpuint (count_segment (f, "country=DE"), ==, 2);
  g_assert_cmpuint (count_segment (f, "country=DE|AT"), ==, 3);
  g_assert_cmpuint (count_segment (f, "country=Germany|Österreich"), ==, 3);
  g_assert_cmpuint (count_segment (f, "country=德国"), ==, 2);
  g_assert_cmpuint (count_segment (f, "tag=fair-2026"), ==, 3);
  g_assert_cmpuint (count_segment (f, "tag=FAIR-2026,country=RU"), ==, 1);
  g_assert_cmpuint (count_segment (f, "tag=o'brien \"quoted\""), ==, 3);
  g_assert_cmpuint (count_segment (f, "verdict=risky"), ==, 1);
  g_assert_cmpuint (count_segment (f, "verdict=valid, status=active"), ==, 9);
  g_assert_cmpuint (count_segment (f, "domain=@Pumpen-Wien.at"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=valv"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=Klaus Schmidt"), ==, 1);
  /* FTS operators in the text are words, not syntax. */
  g_assert_cmpuint (count_segment (f, "search=\" OR NEAR( *"), ==, 0);
  /* A word of several tokens (an address, "k.schmidt"): each token a term,
   * the last a prefix, anywhere in the row. */
  g_assert_cmpuint (count_segment (f, "search=k.schmidt"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=k.schmidt@ventil-technik.de"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=m.rossi@valvole-mil"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=hans.mueller@kessler"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=schmidt.k"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=k.schmidt@pumpen"), ==, 0);
  /* Accents folded, typed composed or not; other scripts. */
  g_assert_cmpuint (count_segment (f, "search=Müller"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=Mu\xcc\x88ller"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=garcia"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=Иван"), ==, 1);
  g_assert_cmpuint (count_segment (f, "search=김민"), ==, 1);
  g_assert_cmpuint (count_segment (f, "source=test"), ==, 9);
  g_assert_cmpuint (count_segment (f, "source=Hannover Messe"), ==, 1);
  g_assert_cmpuint (count_segment (f, "added-after=2000-01-01"), ==, 10);
  g_assert_cmpuint (count_segment (f, "added-before=2000-01-01"), ==, 0);

  /* Last contacted and bounces: set three contacts' history by hand. */
  {
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;
    g_autofree char *sql = g_strdup_printf (
      "UPDATE contacts SET last_contacted_at = %lld, bounce_count = 1 WHERE email = 'office@pumpen-wien.at';"
      "UPDATE contacts SET last_contacted_at = %lld, soft_bounce_count = 2 WHERE id = (SELECT min(id) FROM contacts WHERE country = 'DE');"
      "UPDATE contacts SET last_contacted_at = %lld WHERE id = (SELECT max(id) FROM contacts WHERE country = 'DE');",
      (long long) (now - 5 * 86400), (long long) (now - 200 * 86400), (long long) (now - 40 * 86400));

    g_assert_cmpint (sqlite3_exec (ob_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpuint (count_segment (f, "contacted=never"), ==, 7);
    g_assert_cmpuint (count_segment (f, "contacted-within=30"), ==, 1);
    g_assert_cmpuint (count_segment (f, "contacted-within=60"), ==, 2);
    g_assert_cmpuint (count_segment (f, "not-contacted-for=90"), ==, 1);
    g_assert_cmpuint (count_segment (f, "not-contacted-for=30"), ==, 2);
    g_assert_cmpuint (count_segment (f, "bounces=none"), ==, 8);
    g_assert_cmpuint (count_segment (f, "bounces=1"), ==, 2);
    g_assert_cmpuint (count_segment (f, "bounces=2"), ==, 1);
    g_assert_cmpuint (count_segment (f, "bounces=3"), ==, 0);
    g_assert_cmpuint (count_segment (f, "country=DE,bounces=none,contacted-within=60"), ==, 1);
  }

  /* A value never becomes SQL. */
  g_assert_cmpuint (count_segment (f, "tag=x') OR 1=1 --"), ==, 0);
  {
    const char *bad[] = { "country=DE') OR 1=1 --", "verdict=excellent", "colour=blue", "country",
                          "added-after=yesterday", "status=", "bounces=some", "bounces=0",
                          "contacted=yesterday", "contacted-within=-3", "not-contacted-for=1e9", NULL };

    for (guint i = 0; bad[i] != NULL; i++)
      {
        g_autoptr(ObSegment) s = ob_segment_parse (bad[i], &error);

        g_assert_null (s);
        g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
        g_clear_error (&error);
      }
  }

  /* Saved segments. */
  {
    g_autoptr(ObSegment) s = ob_segment_parse ("country=DE|AT", &error);
    g_autoptr(ObSegment) loaded = NULL;
    g_auto(GStrv) names = NULL;
    guint n = 0;

    g_assert_true (ob_segments_save (f->store, "DACH", s, &error));
    g_assert_no_error (error);
    loaded = ob_segments_load (f->store, "DACH", &error);
    g_assert_no_error (error);
    g_assert_true (ob_contacts_count (f->store, loaded, &n, &error));
    g_assert_cmpuint (n, ==, 3);
    names = ob_segments_list_names (f->store, &error);
    g_assert_cmpstrv (names, ((const char * const[]) { "DACH", NULL }));
    g_assert_null (ob_segments_load (f->store, "Nordics", &error));
    g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_true (ob_segments_delete (f->store, "DACH", &error));
    g_assert_false (ob_segments_delete (f->store, "DACH", &error));
    g_clear_error (&error);
  }

  /* JSON round trip. */
  {
    g_autoptr(ObSegment) s = ob_segment_parse ("country=DE|AT,tag=fair-2026,verdict=valid,search=valve,"
                                               "contacted-within=30,not-contacted-for=7,bounces=2", &error);
    g_autoptr(ObSegment) never = ob_segment_parse ("contacted=never,bounces=none", &error);
    g_autofree char *never_json = ob_segment_to_json (never);
    g_autoptr(ObSegment) never_back = ob_segment_new_from_json (never_json, &error);
    g_autofree char *json = ob_segment_to_json (s);
    g_autoptr(ObSegment) back = ob_segment_new_from_json (json, &error);
    g_autofree char *json2 = NULL;

    g_assert_no_error (error);
    json2 = ob_segment_to_json (back);
    g_assert_cmpstr (json, ==, json2);
    g_assert_cmpuint (back->contacted_within_days, ==, 30);
    g_assert_cmpuint (back->not_contacted_for_days, ==, 7);
    g_assert_cmpuint (back->min_bounces, ==, 2);
    g_assert_nonnull (never_back);
    g_assert_true (never_back->never_contacted);
    g_assert_true (never_back->no_bounces);
    g_assert_null (ob_segment_new_from_json ("{\"country\": [1]}", &error));
    g_assert_error (error, OB_CONTACTS_ERROR, OB_CONTACTS_ERROR_INVALID);
    g_clear_error (&error);
  }
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ObImportReport) a = import_fixture (f, "gbk.csv");
  g_autoptr(ObImportReport) b = import_fixture (f, "semicolon.csv");
  g_autofree char *out = ob_test_dir_file (f->dir, "export.csv");
  g_autofree char *text = NULL;
  g_autoptr(ObSegment) segment = ob_segment_parse ("country=CN|DE", NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (ob_contacts_export_csv (f->store, segment, out, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "Email,Name,"));
  g_assert_nonnull (strstr (text, "li.wei@hengda-valve.cn,李伟"));
  g_assert_nonnull (strstr (text, "\"Ventil; Technik AG\""));
  g_assert_null (strstr (text, "sakura"));

  /* Custom fields are columns of their own; what Outbound works out
   * (verdict, status) is written for the reader. */
  g_assert_nonnull (strstr (text, ",Verdict,Status,Notes,"));
  g_assert_nonnull (strstr (text, ",Notes,行业\r\n"));

  /* What we export, we import back, unchanged: the same fields, the same
   * custom fields, and no custom field made of Verdict or Status. */
  {
    static const char fingerprint[] =
      "SELECT group_concat (c.email || '|' || coalesce (c.name, '') || '|' || coalesce (c.company, '') || '|'"
      " || coalesce (c.country, '') || '|' || coalesce (c.timezone, '') || '|' || coalesce (c.title, '') || '|'"
      " || coalesce (c.phone, '') || '|' || coalesce (c.notes, '') || '|' || coalesce (c.custom_json, '') || '|'"
      " || coalesce ((SELECT group_concat (t.name) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
      "               WHERE ct.contact_id = c.id), ''), '\n')"
      " FROM (SELECT * FROM contacts WHERE country IN ('CN', 'DE') ORDER BY email) AS c";
    g_autofree char *db2 = ob_test_dir_file (f->dir, "round.db");
    g_autoptr(ObStore) store2 = ob_store_open (db2, &error);
    g_autoptr(GFile) file = g_file_new_for_path (out);
    g_autoptr(ObContactImporter) importer = ob_contact_importer_new (store2, file);
    g_autoptr(ObImportReport) r = ob_contact_importer_import (importer, NULL, &error);
    g_autofree char *before = ob_test_query_text (f->store, fingerprint);
    g_autofree char *after = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (r->imported, ==, 2);
    after = ob_test_query_text (store2, fingerprint);
    g_test_message ("exported:\n%s", before);
    g_assert_nonnull (strstr (before, "{\"行业\":\"阀门\"}"));
    g_assert_cmpstr (after, ==, before);
  }
}

/* A file of the user's own with a Status column (a lead's stage) keeps it
 * as a custom field: only Outbound's export, which has a Verdict column,
 * has its Status left out. */
static void
test_import_status_column (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = ob_test_dir_file (f->dir, "crm.csv");
  g_autoptr(ObImportReport) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *custom = NULL;

  g_assert_true (g_file_set_contents (path, "Email,Status\nlead@ventil-nord.de,Hot lead\n", -1, NULL));
  r = import_path (f, path, FALSE, NULL, &error);
  g_assert_no_error (error);
  custom = contact_field (f, "lead@ventil-nord.de", "custom_json");
  g_assert_cmpstr (custom, ==, "{\"Status\":\"Hot lead\"}");
}

static void
test_country (void)
{
  g_assert_cmpstr (ob_country_from_text ("Germany"), ==, "DE");
  g_assert_cmpstr (ob_country_from_text (" de "), ==, "DE");
  g_assert_cmpstr (ob_country_from_text ("德国"), ==, "DE");
  g_assert_cmpstr (ob_country_from_text ("United States"), ==, "US");
  g_assert_cmpstr (ob_country_from_text ("USA"), ==, "US");
  g_assert_cmpstr (ob_country_from_text ("UK"), ==, "GB");
  g_assert_cmpstr (ob_country_from_text ("Korea (South)"), ==, "KR");
  g_assert_cmpstr (ob_country_from_text ("阿联酋"), ==, "AE");
  g_assert_cmpstr (ob_country_from_text ("Saudi Arabia"), ==, "SA");
  g_assert_cmpstr (ob_country_from_text ("México"), ==, "MX");
  g_assert_null (ob_country_from_text ("Atlantis"));
  g_assert_null (ob_country_from_text ("ZZ"));
  g_assert_cmpstr (ob_country_from_domain ("kessler.de"), ==, "DE");
  g_assert_cmpstr (ob_country_from_domain ("harbor.co.uk"), ==, "GB");
  g_assert_null (ob_country_from_domain ("startup.io"));
  g_assert_null (ob_country_from_domain ("acme.com"));
  g_assert_cmpstr (ob_country_get_timezone ("US"), ==, "America/New_York");
  g_assert_cmpstr (ob_country_get_timezone ("BR"), ==, "America/Sao_Paulo");
  g_assert_cmpstr (ob_country_get_timezone ("AU"), ==, "Australia/Sydney");
  g_assert_cmpstr (ob_country_get_timezone ("JP"), ==, "Asia/Tokyo");
  g_assert_cmpstr (ob_country_get_timezone ("SA"), ==, "Asia/Riyadh");
}

static char *
country_key_fast (const char *text)
{
  return _ob_country_name_key (text, TRUE);
}

static char *
country_key_general (const char *text)
{
  return _ob_country_name_key (text, FALSE);
}

/* The ASCII fast path of ob_country_from_text() makes the same key as the
 * general one (NFKC, lower case, letters and digits up to a "(" or ","),
 * in the C locale and, where installed, in a Turkish one. */
static void
test_country_name_key (void)
{
  const char *inputs[] = {
    "", " ", "Germany", "GERMANY", " de ", "DE", "uk", "UK", "United States", "Korea (South)",
    "Korea, Republic of", "India", "INDIA", "ITALY", "Iran", "Côte d'Ivoire", "TÜRKIYE", "德国",
    "Ｇｅｒｍａｎｙ", "Germany\u0301", "a(b)I", "12 34", "Bosnia-Herzegovina", "St. Kitts & Nevis",
    "x\ty\r\nz", NULL
  };
  const char *locales[] = { "C.UTF-8", "tr_TR.UTF-8", NULL };

  ob_test_assert_paths_agree (locales, inputs, country_key_fast, country_key_general);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *fixture = data_file ("utf8-bom.csv");
  g_autofree char *broken = data_file ("bad-utf8.csv");
  g_autofree char *export = ob_test_dir_file (f->dir, "cli-export.csv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonArray *problems;
  JsonObject *o;

  g_clear_object (&f->store);
  {
    const char *argv[] = { "contacts", "import", fixture, "--db", f->db, "--source", "Fair", "--tag", "a",
                           "--tag", "b", "--json", NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
    o = parse_object (parser, out);
    g_assert_cmpint (json_object_get_int_member (o, "rows"), ==, 7);
    g_assert_cmpint (json_object_get_int_member (o, "imported"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (o, "duplicates"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "invalid"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (o, "suggestions"), ==, 1);
    problems = json_object_get_array_member (o, "problems");
    o = json_array_get_object_element (problems, 0);
    g_assert_cmpint (json_object_get_int_member (o, "line"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (o, "suggestion"), ==, "anna@126.com");
    g_assert_false (json_object_has_member (o, "first_line"));
    o = json_array_get_object_element (problems, 2);
    g_assert_cmpint (json_object_get_int_member (o, "line"), ==, 8);
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "reasons"), 0), ==, "duplicate");
    g_assert_cmpint (json_object_get_int_member (o, "first_line"), ==, 2);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *argv[] = { "contacts", "import", broken, "--db", f->db, NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "bad-utf8.csv: Line 4"));
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "contacts", "list", "--db", f->db, "--segment", "country=DE,tag=b", "--json", NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
    lines = g_strsplit (g_strchomp (out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1);
    o = parse_object (parser, lines[0]);
    g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, "hans.mueller@kessler-armaturen.de");
    g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Hans Müller");
    g_assert_cmpstr (json_object_get_string_member (o, "country"), ==, "DE");
    g_assert_cmpstr (json_object_get_string_member (o, "timezone"), ==, "Europe/Berlin");
    g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "Hannover Messe");
    g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "valid");
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "active");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tags")), ==, 2);
    g_clear_pointer (&out, g_free);
  }
  {
    const char *argv[] = { "contacts", "list", "--db", f->db, "--segment", "verdict=great", NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "outbound-cli contacts list: "));
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "contacts", "list", "--db", f->db, "--search", "kessler", "--limit", "5", NULL };
    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "hans.mueller@kessler-armaturen.de"));
    g_assert_null (strstr (out, "claire"));
    g_clear_pointer (&out, g_free);
  }
  {
    const char *argv[] = { "contacts", "export", export, "--db", f->db, "--segment", "source=Fair", NULL };
    g_autofree char *text = NULL;

    g_assert_cmpint (ob_test_run_cli (argv, NULL, NULL, NULL), ==, 0);
    g_assert_true (g_file_get_contents (export, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
    g_assert_nonnull (strstr (text, "claire.dubois@lumiere-eclairage.fr"));
    g_assert_null (strstr (text, "hans.mueller"));
  }
  {
    const char *add[] = { "suppress", "add", "@lumiere-eclairage.fr", "--reason", "unsubscribed", "--db", f->db, NULL };
    const char *bad[] = { "suppress", "add", "x@y.de", "--reason", "dislike", "--db", f->db, NULL };
    const char *check[] = { "suppress", "list", "claire.dubois@lumiere-eclairage.fr", "--db", f->db, NULL };
    const char *list[] = { "suppress", "list", "--db", f->db, "--json", NULL };
    const char *no_reason[] = { "suppress", "remove", "@lumiere-eclairage.fr", "--db", f->db, NULL };
    const char *remove[] = { "suppress", "remove", "@lumiere-eclairage.fr", "--reason", "asked again", "--db", f->db, NULL };
    const char *status[] = { "contacts", "list", "--db", f->db, "--segment", "status=unsubscribed", "--json", NULL };

    g_assert_cmpint (ob_test_run_cli (add, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (ob_test_run_cli (bad, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (ob_test_run_cli (check, NULL, NULL, NULL), ==, 1);
    g_assert_cmpint (ob_test_run_cli (list, NULL, &out, NULL), ==, 0);
    o = parse_object (parser, out);
    g_assert_cmpstr (json_object_get_string_member (o, "entry"), ==, "@lumiere-eclairage.fr");
    g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "unsubscribed");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (ob_test_run_cli (status, NULL, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "claire.dubois"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (ob_test_run_cli (no_reason, NULL, NULL, NULL), ==, 2);
    g_assert_cmpint (ob_test_run_cli (remove, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint (ob_test_run_cli (check, NULL, NULL, NULL), ==, 0);
  }
}

/* Without token positions in the index (detail=column) FTS5 refuses a
 * phrase of several tokens: the search's query must cut words exactly
 * where the index's tokenizer does, neither more nor less. For every code
 * point between two letters: a word the query keeps whole is one token to
 * SQLite, and a word it cuts leaves "q" a token of its own. */
static void
test_segment_fts_query_tokens (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  sqlite3_stmt *insert_split = NULL;
  sqlite3_stmt *split = NULL;
  guint terms = 0;
  guint n_split = 0;
  guint n_joined = 0;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2',"
                                 " detail = column);"
                                 "CREATE VIRTUAL TABLE u USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2',"
                                 " detail = column); BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO t (rowid, x) VALUES (?, ?)", -1, &insert, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO u (rowid, x) VALUES (?, ?)", -1, &insert_split, NULL), ==,
                   SQLITE_OK);
  for (gunichar c = 0x21; c <= 0x10FFFF; c++)
    {
      char text[16] = "q";
      g_autofree char *query = NULL;
      const char *end;
      int n;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;
      n = g_unichar_to_utf8 (c, text + 1);
      text[n + 1] = 'q';
      text[n + 2] = '\0';
      query = ob_segment_fts_query (text);
      g_assert_nonnull (query);
      /* "q", "q"* or "qcq"*: only the last is one term. The query cut
       * the word: SQLite must have cut it too, not kept or dropped @c. */
      if (strchr (query, ' ') != NULL || strcmp (query, "\"q\"*") == 0)
        {
          sqlite3_bind_int64 (insert_split, 1, c);
          sqlite3_bind_text (insert_split, 2, text, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (insert_split), ==, SQLITE_DONE);
          sqlite3_reset (insert_split);
          continue;
        }
      g_assert_true (query[0] == '"' && g_str_has_suffix (query, "\"*"));
      end = query + strlen (query) - 2;
      g_assert_null (memchr (query + 1, '"', end - query - 1));
      sqlite3_bind_int64 (insert, 1, c);
      sqlite3_bind_text (insert, 2, query + 1, end - query - 1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      terms++;
    }
  sqlite3_finalize (insert);
  g_assert_cmpuint (terms, >, 100000);

  /* A term SQLite cuts in two leaves "q" as a token of its own. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid FROM t WHERE t MATCH '\"q\"'", -1, &split, NULL), ==, SQLITE_OK);
  while (sqlite3_step (split) == SQLITE_ROW)
    {
      g_test_message ("U+%04X is one term in the query but two tokens to SQLite",
                      (guint) sqlite3_column_int64 (split, 0));
      n_split++;
    }
  g_assert_cmpuint (n_split, ==, 0);
  sqlite3_finalize (split);

  /* A word the query cuts in two must leave "q" a token of its own. */
  sqlite3_finalize (insert_split);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid FROM u EXCEPT SELECT rowid FROM u WHERE u MATCH '\"q\"'", -1,
                                       &split, NULL), ==, SQLITE_OK);
  while (sqlite3_step (split) == SQLITE_ROW)
    {
      g_test_message ("U+%04X cuts the query's word but is part of a token to SQLite",
                      (guint) sqlite3_column_int64 (split, 0));
      n_joined++;
    }
  g_assert_cmpuint (n_joined, ==, 0);
  sqlite3_finalize (split);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/contacts/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("import/utf8-bom", test_import_utf8_bom);
  ADD ("import/gbk", test_import_gbk);
  ADD ("import/utf16le", test_import_utf16);
  ADD ("import/semicolon", test_import_semicolon);
  ADD ("import/multi-address", test_import_multi);
  ADD ("import/sep-hint", test_import_sep_hint);
  ADD ("import/cr", test_import_cr);
  ADD ("import/vcard", test_import_vcard);
  ADD ("import/again-updates", test_import_again_updates);
  ADD ("import/search-index", test_import_search_index);
  ADD ("import/bulk", test_import_bulk);
  ADD ("import/broken", test_import_broken);
  ADD ("import/failure-rolls-back", test_import_failure_rolls_back);
  ADD ("import/async-progress", test_import_async_progress);
  ADD ("import/async-cancel", test_import_async_cancel);
  ADD ("import/async-cancel-late", test_import_async_cancel_late);
  ADD ("suppressions", test_suppressions);
  ADD ("segments", test_segments);
  ADD ("export", test_export);
  ADD ("import/status-column", test_import_status_column);
  ADD ("cli", test_cli);
#undef ADD
  g_test_add_func ("/contacts/country", test_country);
  g_test_add_func ("/contacts/country/name-key", test_country_name_key);
  g_test_add_func ("/contacts/segment/fts-query-tokens", test_segment_fts_query_tokens);

  return g_test_run ();
}
