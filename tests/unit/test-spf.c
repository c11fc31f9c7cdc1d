/* test-spf.c — the SPF record parser and check_host() against the RFC 7208
 * and RFC 4408 conformance suites (pyspf's tables in the shared corpora),
 * each scenario's DNS served from an in-memory zone.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-spf-check.h"
#include "ob-spf-record.h"
#include "ob-dns-zone-resolver.h"
#include "ob-test-util.h"

typedef struct
{
  GMainLoop        *loop;
  ObSpfCheckResult *result;
  GError           *error;
} Wait;

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *w = user_data;

  w->result = ob_spf_check_host_finish (result, &w->error);
  g_main_loop_quit (w->loop);
}

static ObSpfCheckResult *
check_sender (ObDnsResolver *resolver,
              const char    *ip_text,
              const char    *sender,
              const char    *helo)
{
  g_autoptr(GInetAddress) ip = g_inet_address_new_from_string (ip_text);
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  g_assert_nonnull (ip);
  ob_spf_check_sender_async (resolver, ip, sender, helo, "DEFAULT", NULL, check_done_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  return w.result;
}

static void
add_strings_record (ObDnsZoneResolver *zone,
                    const char        *name,
                    guint16            type,
                    JsonNode          *value)
{
  g_autoptr(ObDnsRecord) r = ob_dns_record_new (name, type, 300);
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *a = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (strings, (gpointer) json_array_get_string_element (a, i));
    }
  else
    g_ptr_array_add (strings, (gpointer) json_node_get_string (value));
  g_ptr_array_add (strings, NULL);
  r->strings = g_strdupv ((char **) strings->pdata);
  r->text = g_strjoinv ("", r->strings);
  ob_dns_zone_resolver_add_record (zone, r);
}

/* pyspf's harness: a name with SPF-type records but no TXT records also
 * gets them as TXT records; {"TXT": "NONE"} stops that; "TIMEOUT" makes
 * the lookups of the types the name has no records of time out. */
static ObDnsZoneResolver *
zone_from_json (JsonObject *zonedata)
{
  ObDnsZoneResolver *zone = ob_dns_zone_resolver_new ();
  g_autoptr(GList) names = json_object_get_members (zonedata);

  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      JsonArray *records = json_object_get_array_member (zonedata, name);
      gboolean has_txt = FALSE;

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonNode *node = json_array_get_element (records, i);

          if (JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), "TXT"))
            has_txt = TRUE;
        }

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonNode *node = json_array_get_element (records, i);
          JsonObject *o;
          g_autoptr(GList) types = NULL;

          if (JSON_NODE_HOLDS_VALUE (node))
            {
              g_assert_cmpstr (json_node_get_string (node), ==, "TIMEOUT");
              ob_dns_zone_resolver_add_timeout (zone, name);
              continue;
            }
          o = json_node_get_object (node);
          types = json_object_get_members (o);
          for (GList *t = types; t; t = t->next)
            {
              const char *type = t->data;
              JsonNode *value = json_object_get_member (o, type);

              if (g_str_equal (type, "TXT") && JSON_NODE_HOLDS_VALUE (value) &&
                  g_str_equal (json_node_get_string (value), "NONE"))
                continue; /* "no TXT records" (and no TXT made from SPF) */
              else if (g_str_equal (type, "TXT"))
                add_strings_record (zone, name, OB_DNS_TYPE_TXT, value);
              else if (g_str_equal (type, "SPF"))
                {
                  add_strings_record (zone, name, OB_DNS_TYPE_SPF, value);
                  if (!has_txt)
                    add_strings_record (zone, name, OB_DNS_TYPE_TXT, value);
                }
              else if (g_str_equal (type, "MX"))
                {
                  JsonArray *mx = json_node_get_array (value);
                  g_autoptr(ObDnsRecord) r = ob_dns_record_new (name, OB_DNS_TYPE_MX, 300);

                  r->preference = json_array_get_int_element (mx, 0);
                  r->target = ob_dns_name_normalize (json_array_get_string_element (mx, 1));
                  ob_dns_zone_resolver_add_record (zone, r);
                }
              else
                {
                  guint16 rtype = 0;
                  g_autoptr(ObDnsRecord) r = NULL;

                  g_assert_true (ob_dns_type_from_string (type, &rtype));
                  r = ob_dns_record_new (name, rtype, 300);
                  if (rtype == OB_DNS_TYPE_A || rtype == OB_DNS_TYPE_AAAA)
                    {
                      g_autoptr(GInetAddress) a = g_inet_address_new_from_string (json_node_get_string (value));

                      g_assert_nonnull (a);
                      r->target = g_inet_address_to_string (a);
                    }
                  else
                    r->target = ob_dns_name_normalize (json_node_get_string (value));
                  ob_dns_zone_resolver_add_record (zone, r);
                }
            }
        }
    }
  return zone;
}

static gboolean
result_acceptable (JsonNode   *expected,
                   const char *got,
                   gboolean   *preferred)
{
  if (JSON_NODE_HOLDS_ARRAY (expected))
    {
      JsonArray *a = json_node_get_array (expected);

      for (guint i = 0; i < json_array_get_length (a); i++)
        if (g_str_equal (json_array_get_string_element (a, i), got))
          {
            *preferred = i == 0;
            return TRUE;
          }
      return FALSE;
    }
  *preferred = TRUE;
  return g_str_equal (json_node_get_string (expected), got);
}

static void
run_suite (const char *file,
           guint       expected_total,
           guint       floor)
{
  g_autofree char *path = ob_test_shared_file ("corpora", "spf", file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autofree char *raw = NULL;
  JsonArray *scenarios;
  guint total = 0, passed = 0, preferred_count = 0;

  /* A NUL inside a record reaches check_host as the codec presents it:
   * the escape \000 (see ob-dns-message.c). */
  g_assert_true (g_file_get_contents (path, &raw, NULL, &error));
  {
    g_auto(GStrv) parts = g_strsplit (raw, "\\u0000", -1);

    g_free (raw);
    raw = g_strjoinv ("\\\\000", parts);
  }
  json_parser_load_from_data (parser, raw, -1, &error);
  g_assert_no_error (error);
  scenarios = json_node_get_array (json_parser_get_root (parser));

  for (guint s = 0; s < json_array_get_length (scenarios); s++)
    {
      JsonObject *scenario = json_array_get_object_element (scenarios, s);
      g_autoptr(ObDnsZoneResolver) zone = zone_from_json (json_object_get_object_member (scenario, "zonedata"));
      JsonObject *tests = json_object_get_object_member (scenario, "tests");
      g_autoptr(GList) names = json_object_get_members (tests);

      for (GList *l = names; l; l = l->next)
        {
          JsonObject *t = json_object_get_object_member (tests, l->data);
          g_autoptr(ObSpfCheckResult) res = NULL;
          const char *got;
          gboolean ok, preferred = FALSE;

          total++;
          res = check_sender (OB_DNS_RESOLVER (zone),
                              json_object_get_string_member (t, "host"),
                              json_object_get_string_member (t, "mailfrom"),
                              json_object_get_string_member (t, "helo"));
          got = ob_spf_result_to_string (res->result);
          ok = result_acceptable (json_object_get_member (t, "result"), got, &preferred);
          if (ok && json_object_has_member (t, "explanation") && res->result == OB_SPF_RESULT_FAIL)
            ok = g_strcmp0 (res->explanation, json_object_get_string_member (t, "explanation")) == 0;
          if (ok)
            {
              passed++;
              if (preferred)
                preferred_count++;
            }
          else
            g_string_append_printf (failures, "  %s: got %s (explanation “%s”, problem “%s”)\n",
                                    (const char *) l->data, got, res->explanation ? res->explanation : "",
                                    res->problem ? res->problem : "");
        }
    }

  g_test_message ("%s: %u/%u passed (%.1f %%), %u with the preferred result", file, passed, total,
                  100.0 * passed / total, preferred_count);
  g_printerr ("%s: %u/%u passed (%.1f %%), %u with the preferred result\n%s", file, passed, total,
              100.0 * passed / total, preferred_count, failures->str);
  g_assert_cmpuint (total, ==, expected_total);
  g_assert_cmpuint (passed, >=, floor);
}

static void
test_spf_rfc7208_suite (void)
{
  run_suite ("rfc7208-tests.json", 203, 203);
}

static void
test_spf_rfc4408_suite (void)
{
  run_suite ("rfc4408-tests.json", 191, 191);
}

/* RFC 7208's policy for lookups that fail or find nothing, term by term:
 * a timeout is temperror with a problem naming that lookup (in the
 * words of the term that asked), except for the client's PTR names,
 * where it is only no match; a third void lookup is permerror. */
static void
test_spf_dns_failures (void)
{
  static const struct
  {
    const char  *record;
    const char  *slow;     /* the name that times out */
    const char  *result;
    ObSpfProblem kind;
    const char  *problem;  /* the start of the problem, or NULL for none */
    const char  *problem_domain;
  } cases[] = {
    { "v=spf1 mx -all", "example.com", "temperror", OB_SPF_PROBLEM_DNS,
      "Looking up the MX of example.com failed: ", "example.com" },
    { "v=spf1 a:slow.example.com -all", "slow.example.com", "temperror", OB_SPF_PROBLEM_DNS,
      "Looking up slow.example.com failed: ", "slow.example.com" },
    { "v=spf1 mx:mx.example.com -all", "mail.example.com", "temperror", OB_SPF_PROBLEM_DNS,
      "Looking up mail.example.com failed: ", "mail.example.com" },
    { "v=spf1 exists:slow.example.com -all", "slow.example.com", "temperror", OB_SPF_PROBLEM_DNS,
      "Looking up slow.example.com failed: ", "slow.example.com" },
    { "v=spf1 include:slow.example.com -all", "slow.example.com", "temperror", OB_SPF_PROBLEM_DNS,
      "Looking up the SPF record of slow.example.com failed: ", "slow.example.com" },
    { "v=spf1 ptr -all", "4.3.2.192.in-addr.arpa", "fail", OB_SPF_PROBLEM_NONE, NULL, NULL },
    { "v=spf1 a:n1.example.com a:n2.example.com ?all", NULL, "neutral", OB_SPF_PROBLEM_NONE, NULL, NULL },
    { "v=spf1 a:n1.example.com a:n2.example.com mx:n3.example.com ?all", NULL, "permerror",
      OB_SPF_PROBLEM_VOID_LIMIT, "The SPF record names more than 2 domains", NULL },
    /* An include's TXT lookup is void only when the name does not exist. */
    { "v=spf1 a:n1.example.com a:n2.example.com include:n3.example.com ?all", NULL,
      "permerror", OB_SPF_PROBLEM_VOID_LIMIT, "The SPF record names more than 2 domains", NULL },
    { "v=spf1 a:n1.example.com a:n2.example.com include:mx.example.com ?all", NULL,
      "permerror", OB_SPF_PROBLEM_INCLUDE_NO_RECORD, "The SPF record includes mx.example.com", "mx.example.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ObDnsZoneResolver) zone = ob_dns_zone_resolver_new ();
      g_autoptr(ObSpfCheckResult) res = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("example.com. TXT \"%s\"\n"
                                               "mx.example.com. MX 10 mail.example.com.\n"
                                               "mail.example.com. TXT \"not an address\"\n",
                                               cases[i].record);

      g_assert_true (ob_dns_zone_resolver_load_data (zone, text, strlen (text), NULL, "t", &error));
      g_assert_no_error (error);
      if (cases[i].slow != NULL)
        ob_dns_zone_resolver_add_timeout (zone, cases[i].slow);
      res = check_sender (OB_DNS_RESOLVER (zone), "192.2.3.4", "someone@example.com", "mail.example.com");
      g_test_message ("%s: %s (%s)", cases[i].record, ob_spf_result_to_string (res->result),
                      res->problem ? res->problem : "no problem");
      g_assert_cmpstr (ob_spf_result_to_string (res->result), ==, cases[i].result);
      g_assert_cmpint (res->problem_kind, ==, cases[i].kind);
      if (cases[i].problem == NULL)
        g_assert_null (res->problem);
      else
        {
          g_assert_nonnull (res->problem);
          g_assert_true (g_str_has_prefix (res->problem, cases[i].problem));
        }
      g_assert_cmpstr (res->problem_domain, ==, cases[i].problem_domain);
    }
}

static void
test_spf_record_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSpfRecord) r = NULL;
  ObSpfTerm *t;
  const char *bad[] = {
    "v=spf1 a:foo", "v=spf1 a/33", "v=spf1 a//129", "v=spf1 a/024", "v=spf1 ip4:1.2.3.4/33",
    "v=spf1 ip4:::1", "v=spf1 ip6:1.2.3.4", "v=spf1 include", "v=spf1 include:",
    "v=spf1 redirect=a.example redirect=b.example", "v=spf1 exists:%{x}.example",
    "v=spf1 foo", "v=spf1 -all:x", "v=spf1 a:%{d0}.example", "v=spf1 1foo=bar",
    "v=spf1 exists:%{c}.example.com",
  };

  r = ob_spf_record_parse ("v=spf1 +a:mail.example.com/24//64 -mx/28 ~ptr ?ip4:192.0.2.0/24 "
                           "ip6:2001:db8::/32 include:_spf.%{d} exists:%{ir}.%{v}._spf.%{d2} "
                           "redirect=_spf.example.com exp=explain.%{o} foo=bar -all", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->terms->len, ==, 11);
  t = g_ptr_array_index (r->terms, 0);
  g_assert_cmpint (t->kind, ==, OB_SPF_TERM_A);
  g_assert_cmpint (t->qualifier, ==, '+');
  g_assert_cmpstr (t->domain_spec, ==, "mail.example.com");
  g_assert_cmpuint (t->cidr4, ==, 24);
  g_assert_cmpuint (t->cidr6, ==, 64);
  t = g_ptr_array_index (r->terms, 1);
  g_assert_cmpint (t->kind, ==, OB_SPF_TERM_MX);
  g_assert_null (t->domain_spec);
  g_assert_cmpuint (t->cidr4, ==, 28);
  g_assert_cmpuint (t->cidr6, ==, 128);
  t = g_ptr_array_index (r->terms, 3);
  g_assert_cmpint (t->kind, ==, OB_SPF_TERM_IP4);
  g_assert_cmpint (t->qualifier, ==, '?');
  g_assert_cmpuint (t->cidr4, ==, 24);
  g_assert_nonnull (r->redirect);
  g_assert_cmpstr (r->redirect->domain_spec, ==, "_spf.example.com");
  g_assert_nonnull (r->exp);
  g_assert_cmpuint (ob_spf_record_count_dns_terms (r), ==, 6);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ObSpfRecord) b = ob_spf_record_parse (bad[i], &error);

      if (b != NULL)
        g_error ("“%s” should not parse", bad[i]);
      g_assert_error (error, OB_DNS_ERROR, OB_DNS_ERROR_RECORD_SYNTAX);
      g_clear_error (&error);
    }
  g_assert_true (ob_spf_record_is_spf ("V=SPF1 -all"));
  g_assert_true (ob_spf_record_is_spf ("v=spf1"));
  g_assert_false (ob_spf_record_is_spf ("v=spf10 -all"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spf/record/parse", test_spf_record_parse);
  g_test_add_func ("/spf/suite/rfc7208", test_spf_rfc7208_suite);
  g_test_add_func ("/spf/suite/rfc4408", test_spf_rfc4408_suite);
  g_test_add_func ("/spf/dns-failures", test_spf_dns_failures);

  return g_test_run ();
}
