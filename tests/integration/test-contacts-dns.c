/* test-contacts-dns.c — DNS hygiene of addresses and contacts against the
 * real DNS server of the harness (knot on loopback).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "ob-contact-importer.h"
#include "ob-contacts.h"
#include "ob-dns-resolver.h"
#include "ob-mail-domain-check.h"
#include "ob-store.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

static ObTestDnsServer *dns_server;
static char *resolver_spec;

typedef struct
{
  GMainLoop  *loop;
  GHashTable *results;
  GError     *error;
} Wait;

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *w = user_data;

  w->results = ob_mail_domains_check_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static GHashTable *
check_domains (const char         *spec,
               const char * const *domains)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) resolver = ob_dns_resolver_new_for_spec (spec, &error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait w = { loop, NULL, NULL };

  g_assert_no_error (error);
  ob_mail_domains_check_async (resolver, domains, NULL, checked_cb, &w);
  g_main_loop_run (loop);
  g_assert_no_error (w.error);
  return w.results;
}

static int
status_of (GHashTable *results,
           const char *domain)
{
  gpointer value;

  g_assert_true (g_hash_table_lookup_extended (results, domain, NULL, &value));
  return GPOINTER_TO_INT (value);
}

static void
test_domains (void)
{
  const char *domains[] = { "kessler-armaturen.de", "nomx-buyer.de", "nullmx-buyer.de", "gone-buyer.de",
                            "alias-buyer.de", "v6only-buyer.de", NULL };
  g_autoptr(GHashTable) r = check_domains (resolver_spec, domains);

  g_assert_cmpuint (g_hash_table_size (r), ==, 6);
  g_assert_cmpint (status_of (r, "kessler-armaturen.de"), ==, OB_MAIL_DOMAIN_OK);
  g_assert_cmpint (status_of (r, "nomx-buyer.de"), ==, OB_MAIL_DOMAIN_NO_MX);
  g_assert_cmpint (status_of (r, "nullmx-buyer.de"), ==, OB_MAIL_DOMAIN_NULL_MX);
  g_assert_cmpint (status_of (r, "gone-buyer.de"), ==, OB_MAIL_DOMAIN_NO_DOMAIN);
  g_assert_cmpint (status_of (r, "alias-buyer.de"), ==, OB_MAIL_DOMAIN_OK);
  g_assert_cmpint (status_of (r, "v6only-buyer.de"), ==, OB_MAIL_DOMAIN_NO_MX);
}

/* More domains than lookups in flight: every one gets an answer. */
static void
test_many_domains (void)
{
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) r = NULL;

  for (guint i = 0; i < 150; i++)
    g_ptr_array_add (domains, g_strdup_printf ("buyer%u-gone.de", i));
  g_ptr_array_add (domains, g_strdup ("kessler-armaturen.de"));
  g_ptr_array_add (domains, NULL);

  r = check_domains (resolver_spec, (const char * const *) domains->pdata);
  g_assert_cmpuint (g_hash_table_size (r), ==, 151);
  g_assert_cmpint (status_of (r, "buyer149-gone.de"), ==, OB_MAIL_DOMAIN_NO_DOMAIN);
  g_assert_cmpint (status_of (r, "kessler-armaturen.de"), ==, OB_MAIL_DOMAIN_OK);
}

/* No server: "unknown", never "invalid". */
static void
test_unreachable (void)
{
  const char *domains[] = { "kessler-armaturen.de", NULL };
  g_autoptr(GHashTable) r = check_domains ("tcp://127.0.0.1:9", domains);

  g_assert_cmpint (status_of (r, "kessler-armaturen.de"), ==, OB_MAIL_DOMAIN_UNKNOWN);
}

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_cli_address_check (void)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { "address", "check", "--dns", "--resolver", resolver_spec, "--json",
                         "a@kessler-armaturen.de", "b@nomx-buyer.de", "c@nullmx-buyer.de", "d@gone-buyer.de",
                         "e@gmial.con", NULL };
  const struct { const char *verdict; const char *reason; } expected[] = {
    { "valid", NULL }, { "risky", "no-mx" }, { "invalid", "null-mx" }, { "invalid", "no-domain" },
    { "invalid", "typo-domain" },
  };

  g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, NULL), ==, 0);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *o = parse_line (parser, lines[i]);
      JsonArray *reasons = json_object_get_array_member (o, "reasons");

      g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, expected[i].verdict);
      if (expected[i].reason == NULL)
        g_assert_cmpuint (json_array_get_length (reasons), ==, 0);
      else
        g_assert_cmpstr (json_array_get_string_element (reasons, 0), ==, expected[i].reason);
    }
}

static void
test_cli_import_dns (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "dns.db");
  g_autofree char *csv = ob_test_dir_file (dir, "list.csv");
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonObject *o, *dns;
  const char *import[] = { "contacts", "import", csv, "--db", db, "--dns", "--resolver", resolver_spec, "--json", NULL };
  const char *list[] = { "contacts", "list", "--db", db, "--json", NULL };

  g_assert_true (g_file_set_contents (csv,
    "Email,Name\n"
    "hans@kessler-armaturen.de,Hans\n"
    "eva@kessler-armaturen.de,Eva\n"
    "olaf@nomx-buyer.de,Olaf\n"
    "nina@nullmx-buyer.de,Nina\n"
    "gert@gone-buyer.de,Gert\n", -1, NULL));

  g_assert_cmpint (ob_test_run_cli (import, NULL, &out, NULL), ==, 0);
  o = parse_line (parser, out);
  g_assert_cmpint (json_object_get_int_member (o, "imported"), ==, 5);
  dns = json_object_get_object_member (o, "dns");
  g_assert_nonnull (dns);
  g_assert_cmpint (json_object_get_int_member (dns, "domains"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (dns, "ok"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (dns, "no_mx"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (dns, "null_mx"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (dns, "no_domain"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (dns, "contacts_changed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (dns, "kept"), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (ob_test_run_cli (list, NULL, &out, NULL), ==, 0);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  {
    const struct { const char *email; const char *verdict; const char *status; } expected[] = {
      { "hans@kessler-armaturen.de", "valid", "active" },
      { "eva@kessler-armaturen.de", "valid", "active" },
      { "olaf@nomx-buyer.de", "risky", "active" },
      { "nina@nullmx-buyer.de", "invalid", "invalid" },
      { "gert@gone-buyer.de", "invalid", "invalid" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        o = parse_line (parser, lines[i]);
        g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, expected[i].email);
        g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, expected[i].verdict);
        g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, expected[i].status);
      }
  }
}

typedef struct
{
  GMainLoop            *loop;
  ObDomainCheckSummary  summary;
  gboolean              ok;
  GError               *error;
} ContactsWait;

static void
contacts_checked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ContactsWait *w = user_data;

  w->ok = ob_contacts_check_domains_finish (result, &w->summary, &w->error);
  g_main_loop_quit (w->loop);
}

/* @ids: NULL for every contact. */
static ObDomainCheckSummary
check_contacts_of (ObStore    *store,
                   const char *spec,
                   GArray     *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObDnsResolver) resolver = ob_dns_resolver_new_for_spec (spec, &error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  ContactsWait w = { loop, { 0 }, FALSE, NULL };

  g_assert_no_error (error);
  if (ids != NULL)
    ob_contacts_check_domains_of_async (store, resolver, ids, NULL, NULL, NULL, contacts_checked_cb, &w);
  else
    ob_contacts_check_domains_async (store, resolver, 0, NULL, NULL, NULL, contacts_checked_cb, &w);
  g_main_loop_run (loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  return w.summary;
}

static ObDomainCheckSummary
check_contacts (ObStore    *store,
                const char *spec)
{
  return check_contacts_of (store, spec, NULL);
}

/* A second check within the answers' time to live takes the verdicts of
 * the first from the database: with the DNS server unreachable it still
 * knows every domain. A verdict whose time ran out is asked again (and,
 * unanswered, is "unknown" and not kept). */
static void
test_kept_verdicts (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "kept.db");
  g_autofree char *csv = ob_test_dir_file (dir, "list.csv");
  const char *import[] = { "contacts", "import", csv, "--db", db, "--json", NULL };
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  ObDomainCheckSummary s;

  g_assert_true (g_file_set_contents (csv,
    "Email,Name\n"
    "hans@kessler-armaturen.de,Hans\n"
    "olaf@nomx-buyer.de,Olaf\n"
    "nina@nullmx-buyer.de,Nina\n"
    "gert@gone-buyer.de,Gert\n", -1, NULL));
  g_assert_cmpint (ob_test_run_cli (import, NULL, NULL, NULL), ==, 0);
  store = ob_store_open (db, &error);
  g_assert_no_error (error);

  s = check_contacts (store, resolver_spec);
  g_assert_cmpuint (s.domains, ==, 4);
  g_assert_cmpuint (s.kept, ==, 0);
  g_assert_cmpuint (s.unknown, ==, 0);
  g_assert_cmpuint (s.contacts_changed, ==, 3);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM mail_domains"), ==, 4);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM mail_domains WHERE"
                                             " (domain, status) IN (VALUES ('kessler-armaturen.de', 'ok'),"
                                             " ('nomx-buyer.de', 'no-mx'), ('nullmx-buyer.de', 'null-mx'),"
                                             " ('gone-buyer.de', 'no-domain'))"), ==, 4);
  /* The zone's records live 300 s: the MX answer's time to live. */
  g_assert_cmpint (ob_test_query_int (store, "SELECT expires_at - checked_at FROM mail_domains"
                                             " WHERE domain = 'kessler-armaturen.de'"), ==, 300);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM mail_domains"
                                             " WHERE expires_at - checked_at NOT BETWEEN 1 AND 86400"), ==, 0);

  s = check_contacts (store, "tcp://127.0.0.1:9");
  g_assert_cmpuint (s.domains, ==, 4);
  g_assert_cmpuint (s.kept, ==, 4);
  g_assert_cmpuint (s.unknown, ==, 0);
  g_assert_cmpuint (s.ok, ==, 1);
  g_assert_cmpuint (s.no_mx, ==, 1);
  g_assert_cmpuint (s.null_mx, ==, 1);
  g_assert_cmpuint (s.no_domain, ==, 1);
  g_assert_cmpuint (s.contacts_changed, ==, 0);

  g_assert_true (ob_store_exec (store, "UPDATE mail_domains SET expires_at = 1 WHERE domain = 'nomx-buyer.de'", &error));
  g_assert_no_error (error);
  s = check_contacts (store, "tcp://127.0.0.1:9");
  g_assert_cmpuint (s.kept, ==, 3);
  g_assert_cmpuint (s.unknown, ==, 1);
  g_assert_cmpuint (s.no_mx, ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM mail_domains WHERE domain = 'nomx-buyer.de'"), ==, 0);
  /* Unknown keeps what the first check found on the contact. */
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM contacts WHERE email = 'olaf@nomx-buyer.de'"
                                             " AND verdict = 'risky' AND reasons LIKE '%no-mx%'"), ==, 1);
}

/* A selection's domains only: the other contacts keep what they had, and
 * an unselected contact at a checked domain gets its verdict too. */
static void
test_selected_contacts (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "selected.db");
  g_autofree char *csv = ob_test_dir_file (dir, "list.csv");
  const char *import[] = { "contacts", "import", csv, "--db", db, "--json", NULL };
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *verdicts = NULL;
  ObDomainCheckSummary s;
  gint64 id;

  g_assert_true (g_file_set_contents (csv,
    "Email,Name\n"
    "hans@kessler-armaturen.de,Hans\n"
    "olaf@nomx-buyer.de,Olaf\n"
    "nina@nullmx-buyer.de,Nina\n"
    "gert@gone-buyer.de,Gert\n"
    "gerda@gone-buyer.de,Gerda\n", -1, NULL));
  g_assert_cmpint (ob_test_run_cli (import, NULL, NULL, NULL), ==, 0);
  store = ob_store_open (db, &error);
  g_assert_no_error (error);

  id = ob_test_query_int (store, "SELECT id FROM contacts WHERE email = 'hans@kessler-armaturen.de'");
  g_array_append_val (ids, id);
  id = ob_test_query_int (store, "SELECT id FROM contacts WHERE email = 'gert@gone-buyer.de'");
  g_array_append_val (ids, id);

  s = check_contacts_of (store, resolver_spec, ids);
  g_assert_cmpuint (s.domains, ==, 2);
  g_assert_cmpuint (s.ok, ==, 1);
  g_assert_cmpuint (s.no_domain, ==, 1);
  g_assert_cmpuint (s.contacts_changed, ==, 2);
  verdicts = ob_test_query_text (store, "SELECT group_concat (email || '=' || verdict, ' ')"
                                        " FROM (SELECT * FROM contacts ORDER BY id)");
  g_assert_cmpstr (verdicts, ==, "hans@kessler-armaturen.de=valid olaf@nomx-buyer.de=valid"
                                 " nina@nullmx-buyer.de=valid gert@gone-buyer.de=invalid"
                                 " gerda@gone-buyer.de=invalid");
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM mail_domains"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *zones[] = {
    "$ORIGIN de.\n$TTL 300\n"
    "kessler-armaturen MX 10 mx.kessler-armaturen\n"
    "mx.kessler-armaturen A 192.0.2.10\n"
    "nomx-buyer A 192.0.2.20\n"
    "v6only-buyer AAAA 2001:db8::20\n"
    "nullmx-buyer MX 0 .\n"
    "alias-buyer CNAME kessler-armaturen\n",
    NULL
  };
  int status;

  g_test_init (&argc, &argv, NULL);

  dns_server = ob_test_dns_server_start (zones, &error);
  g_assert_no_error (error);
  resolver_spec = g_strdup_printf ("udp://127.0.0.1:%u", ob_test_dns_server_get_port (dns_server));

  g_test_add_func ("/contacts-dns/domains", test_domains);
  g_test_add_func ("/contacts-dns/many-domains", test_many_domains);
  g_test_add_func ("/contacts-dns/unreachable", test_unreachable);
  g_test_add_func ("/contacts-dns/cli-address-check", test_cli_address_check);
  g_test_add_func ("/contacts-dns/cli-import", test_cli_import_dns);
  g_test_add_func ("/contacts-dns/kept-verdicts", test_kept_verdicts);
  g_test_add_func ("/contacts-dns/selected-contacts", test_selected_contacts);

  status = g_test_run ();
  ob_test_dns_server_free (dns_server);
  g_free (resolver_spec);
  return status;
}
