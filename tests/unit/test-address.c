/* test-address.c — address normalisation, syntax, IDN, typo suggestions
 * and the lists, against the issue's cases and the outside corpora.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include <locale.h>

#include "ob-address.h"
#include "ob-address-private.h"
#include "ob-test-util.h"

typedef struct
{
  const char *input;
  const char *address;   /* NULL: none can be made */
  const char *verdict;
  const char *reasons;   /* comma-joined ids */
  const char *flags;
  const char *suggestion;
} Case;

static const Case cases[] = {
  /* The issue's cases. */
  { "li.wei＠hengda-valve.cn，", "li.wei@hengda-valve.cn", "valid", "", "", NULL },
  { "anna@126.con", "anna@126.con", "invalid", "typo-domain", "free-provider", "anna@126.com" },
  { "kontakt@xn--bcher-kva.de", "kontakt@bücher.de", "valid", "", "role,idn", NULL },
  { " John.Doe＠Gmial.con ", "John.Doe@gmial.con", "invalid", "typo-domain", "free-provider", "John.Doe@gmail.com" },
  /* Normalisation. */
  { "John Smith <john.smith@acme-valves.de>", "john.smith@acme-valves.de", "valid", "", "", NULL },
  { "mailto:Sales@Hengda-Valve.CN?subject=hi", "Sales@hengda-valve.cn", "valid", "", "role", NULL },
  { "“peter@lumen-led.fr”;", "peter@lumen-led.fr", "valid", "", "", NULL },
  { "\xE2\x80\x8Bmaria\xE2\x80\x8C@textil-sur.es\xEF\xBB\xBF", "maria@textil-sur.es", "valid", "", "", NULL },
  { "ｋｅｎｊｉ＠ｏｓａｋａ－ｂｕｈｉｎ．ｊｐ。", "kenji@osaka-buhin.jp", "valid", "", "", NULL },
  { "li@hengda-valve。cn", "li@hengda-valve.cn", "valid", "", "", NULL },
  { "ana @ textil-sur.es", "ana@textil-sur.es", "valid", "", "", NULL },
  { "\t(raj@pumps-india.in)；", "raj@pumps-india.in", "valid", "", "", NULL },
  /* Syntax. */
  { "john..doe@acme.de", "john..doe@acme.de", "invalid", "syntax", "", NULL },
  { "john@acme", "john@acme", "invalid", "no-domain", "", NULL },
  { "john@-acme.de", "john@-acme.de", "invalid", "syntax", "", NULL },
  { "john@[192.0.2.1]", "john@[192.0.2.1]", "invalid", "syntax", "", NULL },
  { "no-at-sign.de", NULL, "invalid", "syntax", "", NULL },
  { "\"john smith\"@acme.de", "\"john smith\"@acme.de", "valid", "", "quoted", NULL },
  { "\"plain\"@acme.de", "plain@acme.de", "valid", "", "", NULL },
  { "用户@例子.中国", "用户@例子.中国", "valid", "", "idn,smtputf8", NULL },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@acme.de",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@acme.de", "invalid", "syntax", "", NULL },
  { "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.de",
    "a@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.de", "invalid", "syntax", "", NULL },
  /* Reserved and special-use names. */
  { "me@example.com", "me@example.com", "invalid", "reserved-domain", "", NULL },
  { "me@shop.example.org", "me@shop.example.org", "invalid", "reserved-domain", "", NULL },
  { "me@host.test", "me@host.test", "invalid", "reserved-domain", "", NULL },
  { "me@localhost", "me@localhost", "invalid", "reserved-domain", "", NULL },
  { "me@printer.local", "me@printer.local", "invalid", "reserved-domain", "", NULL },
  { "me@x.invalid", "me@x.invalid", "invalid", "reserved-domain", "", NULL },
  /* Typos, and no suggestion for real company domains. */
  { "tom@hotmial.com", "tom@hotmial.com", "invalid", "typo-domain", "free-provider", "tom@hotmail.com" },
  { "wang@qq.con", "wang@qq.con", "invalid", "typo-domain", "free-provider", "wang@qq.com" },
  { "wang@l63.com", "wang@l63.com", "invalid", "typo-domain", "free-provider", "wang@163.com" },
  { "buyer@acme-valves.nte", "buyer@acme-valves.nte", "invalid", "typo-domain", "", "buyer@acme-valves.net" },
  { "buyer@cloud.com", "buyer@cloud.com", "valid", "", "", NULL },
  { "buyer@email.com", "buyer@email.com", "valid", "", "free-provider", NULL },
  { "buyer@gmx.at", "buyer@gmx.at", "valid", "", "free-provider", NULL },
  { "buyer@162.com", "buyer@162.com", "valid", "", "", NULL },
  { "buyer@acme.co", "buyer@acme.co", "valid", "", "", NULL },
  { "buyer@sino.com", "buyer@sino.com", "valid", "", "", NULL },
  { "buyer@mail.hengda-valve.com.cn", "buyer@mail.hengda-valve.com.cn", "valid", "", "", NULL },
  /* Lists. */
  { "x@mailinator.com", "x@mailinator.com", "risky", "disposable", "", NULL },
  { "purchasing@acme-valves.de", "purchasing@acme-valves.de", "valid", "", "role", NULL },
  { "someone@zzqqv.zzqqv", "someone@zzqqv.zzqqv", "invalid", "no-domain", "", NULL },
};

static void
test_address_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(ObAddressCheck) check = ob_address_check (c->input, OB_ADDRESS_CHECK_DEFAULT);
      g_autofree char *reasons = ob_address_check_dup_reasons_joined (check);
      g_autofree char *flags = ob_address_check_dup_flags_joined (check);

      g_test_message ("case %u: %s", i, c->input);
      g_assert_cmpstr (ob_address_check_get_address (check), ==, c->address);
      g_assert_cmpstr (ob_address_verdict_to_string (ob_address_check_get_verdict (check)), ==, c->verdict);
      g_assert_cmpstr (reasons, ==, c->reasons);
      g_assert_cmpstr (flags, ==, c->flags);
      g_assert_cmpstr (ob_address_check_get_suggestion (check), ==, c->suggestion);
    }
}

static void
test_address_idn (void)
{
  g_autoptr(ObAddressCheck) a = ob_address_check ("kontakt@xn--bcher-kva.de", 0);
  g_autoptr(ObAddressCheck) b = ob_address_check ("Kontakt@BÜCHER.de", 0);
  g_autofree char *ka = ob_address_check_dup_key (a);
  g_autofree char *kb = ob_address_check_dup_key (b);
  g_autofree char *kc = ob_address_dedup_key ("kontakt@Bücher.DE");

  g_assert_cmpstr (ob_address_check_get_ascii_address (a), ==, "kontakt@xn--bcher-kva.de");
  g_assert_cmpstr (ob_address_check_get_domain (b), ==, "bücher.de");
  g_assert_cmpstr (ob_address_check_get_ascii_domain (b), ==, "xn--bcher-kva.de");
  g_assert_true (ob_address_check_has_flag (b, OB_ADDRESS_FLAG_IDN));
  /* The key keeps the local part as typed, the domain in A-labels. */
  g_assert_cmpstr (ka, ==, "kontakt@xn--bcher-kva.de");
  g_assert_cmpstr (kb, ==, "Kontakt@xn--bcher-kva.de");
  g_assert_cmpstr (kc, ==, ka);

  /* A broken A-label is a syntax error. */
  {
    g_autoptr(ObAddressCheck) bad = ob_address_check ("a@xn--zz-zzzzzz.de", 0);
    g_assert_true (ob_address_check_has_reason (bad, OB_ADDRESS_REASON_SYNTAX));
  }
}

static void
test_address_add_reason (void)
{
  g_autoptr(ObAddressCheck) c = ob_address_check ("anna@acme-valves.de", 0);

  g_assert_cmpint (ob_address_check_get_verdict (c), ==, OB_ADDRESS_VERDICT_VALID);
  ob_address_check_add_reason (c, OB_ADDRESS_REASON_NO_MX);
  g_assert_cmpint (ob_address_check_get_verdict (c), ==, OB_ADDRESS_VERDICT_RISKY);
  ob_address_check_add_reason (c, OB_ADDRESS_REASON_SUPPRESSED);
  g_assert_cmpint (ob_address_check_get_verdict (c), ==, OB_ADDRESS_VERDICT_INVALID);
}

/* Whether Outbound accepts the syntax of @address: parsed strictly (no
 * repair) and judged on syntax alone, since the corpora use example.com
 * and test domains on purpose. */
static gboolean
syntax_ok (const char *address)
{
  g_autoptr(ObAddressCheck) c = ob_address_check (address, OB_ADDRESS_CHECK_STRICT | OB_ADDRESS_CHECK_NO_SUGGEST);

  return !ob_address_check_has_reason (c, OB_ADDRESS_REASON_SYNTAX);
}

/* The corpora's TSV escapes: \\ \t \r \n \xHH \uXXXX \UXXXXXXXX. A
 * surrogate is written as its (invalid) three UTF-8-style bytes. */
static char *
unescape_tsv (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'x':
        case 'u':
        case 'U':
          {
            int digits = *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
            g_autofree char *hex = g_strndup (p + 1, digits);
            gunichar c = (gunichar) g_ascii_strtoull (hex, NULL, 16);

            if (*p == 'x')
              g_string_append_c (out, (char) c);
            else if (c >= 0xD800 && c <= 0xDFFF)
              {
                g_string_append_c (out, (char) (0xE0 | (c >> 12)));
                g_string_append_c (out, (char) (0x80 | ((c >> 6) & 0x3F)));
                g_string_append_c (out, (char) (0x80 | (c & 0x3F)));
              }
            else
              g_string_append_unichar (out, c);
            p += digits;
          }
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static JsonArray *
load_json_array (JsonParser *parser,
                 const char *name)
{
  g_autofree char *path = ob_test_shared_file ("corpora", "addresses", name, NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

/* is_email: "valid" is its default boolean. We deliberately reject, and
 * count as agreed-to-differ rather than as errors:
 *  - address literals ("x@[127.0.0.1]", IPv6 literals): useless for cold
 *    mail and a common sign of a scraped or forged address;
 *  - comments and folding white space, quoted-pairs in odd places, and the
 *    other RFC 5322 obsolete forms is_email accepts with a warning: no
 *    spreadsheet cell ever holds one on purpose;
 *  - an empty quoted local part (""@x): no mailbox has an empty name.
 * Everything else must agree; the rate is printed and held to a floor. */
static gboolean
isemail_deliberate (const char *address,
                    const char *diagnosis)
{
  return strstr (diagnosis, "ADDRESSLITERAL") != NULL ||
         strstr (diagnosis, "DOMAINLITERAL") != NULL ||
         strstr (diagnosis, "CFWS") != NULL ||
         strstr (diagnosis, "DEPREC") != NULL ||
         g_str_has_prefix (address, "\"\"@") ||
         strchr (address, '[') != NULL;
}

static void
test_address_isemail (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows = load_json_array (parser, "isemail-tests.json");
  guint total = json_array_get_length (rows);
  guint agree = 0, deliberate = 0;

  for (guint i = 0; i < total; i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      const char *address = json_object_get_string_member (o, "address");
      const char *diagnosis = json_object_get_string_member (o, "diagnosis");
      gboolean expected = json_object_get_int_member (o, "valid") != 0;

      if (syntax_ok (address) == expected)
        agree++;
      else if (isemail_deliberate (address, diagnosis))
        deliberate++;
      else
        g_test_message ("is_email disagreement: %s (%s, expected %d)", address, diagnosis, expected);
    }

  g_test_message ("is_email: %u of %u agree (%.1f %%), %u deliberate differences",
                  agree, total, 100.0 * agree / total, deliberate);
  g_printerr ("# is_email agreement: %u/%u = %.1f %% (+%u deliberate)\n",
              agree, total, 100.0 * agree / total, deliberate);
  g_assert_cmpuint (agree + deliberate, >=, total * 97 / 100);
  g_assert_cmpuint (agree, >=, total * 85 / 100);
}

/* python-email-validator. Rows whose options we do not share are skipped:
 * allow_smtputf8=False (we accept internationalised local parts and flag
 * them), allow_domain_literal (we never accept literals), allow_empty_local
 * and strict. Reserved and special-use domains are judged by our own
 * reserved-domain reason. Deliberate differences: display names and
 * surrounding junk are repaired by our normaliser, which strict parsing
 * here leaves out, so a "Name <a@b>" row is compared after
 * normalisation. */
static void
test_address_email_validator (void)
{
  g_autofree char *path = ob_test_shared_file ("corpora", "addresses", "email-validator-cases.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0, agree = 0, skipped = 0, deliberate = 0;

  /* The TSV, not the JSON: some cases hold lone surrogates that no JSON
   * parser accepts; the TSV escapes them. */
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      g_autofree char *address = NULL;
      const char *options;
      const char *category;
      gboolean expected;
      gboolean ours;

      if (g_strv_length (f) < 4)
        continue;
      address = unescape_tsv (f[0]);
      expected = g_str_equal (f[1], "1");
      category = f[2];
      options = f[3];

      if (strstr (options, "allow_smtputf8=False") || strstr (options, "allow_domain_literal") ||
          strstr (options, "allow_empty_local") || strstr (options, "strict=True"))
        {
          skipped++;
          continue;
        }
      total++;

      if (g_str_equal (category, "reserved_domain"))
        {
          g_autoptr(ObAddressCheck) c = ob_address_check (address, OB_ADDRESS_CHECK_NO_SUGGEST);
          ours = !ob_address_check_has_reason (c, OB_ADDRESS_REASON_RESERVED_DOMAIN) &&
                 !ob_address_check_has_reason (c, OB_ADDRESS_REASON_SYNTAX);
        }
      else if (strstr (options, "allow_display_name") && strchr (address, '<'))
        {
          g_autoptr(ObAddressCheck) c = ob_address_check (address, OB_ADDRESS_CHECK_NO_SUGGEST);
          ours = !ob_address_check_has_reason (c, OB_ADDRESS_REASON_SYNTAX);
        }
      else
        {
          g_autoptr(ObAddressCheck) c = ob_address_check (address, OB_ADDRESS_CHECK_STRICT | OB_ADDRESS_CHECK_NO_SUGGEST);
          const char *domain = ob_address_check_get_ascii_domain (c);

          /* A domain without a dot is "no-domain" for us, a syntax error there. */
          ours = !ob_address_check_has_reason (c, OB_ADDRESS_REASON_SYNTAX) &&
                 !(domain != NULL && strchr (domain, '.') == NULL);
          /* We accept quoted local parts and flag them; without
           * allow_quoted_local email-validator refuses them, which is
           * what the flag is for. */
          if ((ob_address_check_has_flag (c, OB_ADDRESS_FLAG_QUOTED) || address[0] == '"') &&
              !strstr (options, "allow_quoted_local"))
            ours = FALSE;
        }

      /* Deliberate: email-validator's non-strict mode lets a local part
       * exceed RFC 5321's 64 octets; real servers refuse it, so do we. */
      /* Deliberate: a full-width ＠ in a local part is a paste error to us
       * (we fold it to "@"), a letter-like symbol to email-validator. */
      if (ours != expected && ((g_str_equal (category, "local_part_too_long") && expected) ||
                               strstr (address, "＠") != NULL))
        {
          deliberate++;
          continue;
        }

      if (ours == expected)
        agree++;
      else
        g_test_message ("email-validator disagreement: %s (%s, %s, expected %d)",
                        address, category, options, expected);
    }

  g_test_message ("email-validator: %u of %u agree (%.1f %%), %u deliberate, %u rows with other options skipped",
                  agree, total, 100.0 * agree / total, deliberate, skipped);
  g_printerr ("# email-validator agreement: %u/%u = %.1f %% (+%u deliberate)\n",
              agree, total, 100.0 * agree / total, deliberate);
  g_assert_cmpuint (total, >=, 250);
  g_assert_cmpuint (agree, >=, total * 95 / 100);
}

/* mailcheck's suggest cases. Our provider list is not mailcheck's spec
 * list (emaildomain.com and kicksend.com are made-up domains there), and
 * we deliberately never turn a valid TLD of an unknown domain into another
 * (test@emaildomain.co stays: .co is Colombia). */
static void
test_address_mailcheck (void)
{
  g_autofree char *path = ob_test_shared_file ("corpora", "typos", "suggest-cases.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0, agree = 0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      g_autoptr(ObAddressCheck) c = NULL;
      const char *suggestion;
      const char *at;

      if (g_strv_length (f) < 3)
        continue;
      total++;
      c = ob_address_check (f[0], OB_ADDRESS_CHECK_DEFAULT);
      suggestion = ob_address_check_get_suggestion (c);
      at = suggestion ? strrchr (suggestion, '@') : NULL;
      if ((*f[2] == '\0' && suggestion == NULL) ||
          (at != NULL && g_ascii_strcasecmp (at + 1, f[2]) == 0))
        agree++;
      else
        g_test_message ("mailcheck disagreement: %s → %s (mailcheck: %s)", f[0],
                        suggestion ? suggestion : "none", *f[2] ? f[2] : "none");
    }

  g_test_message ("mailcheck: %u of %u agree", agree, total);
  g_printerr ("# mailcheck suggest agreement: %u/%u = %.1f %%\n", agree, total, 100.0 * agree / total);
  g_assert_cmpuint (total, >=, 15);
  g_assert_cmpuint (agree, >=, total * 80 / 100);
}

/* No suggestion for ordinary company domains, across many made-up ones. */
static void
test_address_no_false_suggestions (void)
{
  const char *domains[] = {
    "hengda-valve.cn", "lumen-led.fr", "textil-sur.es", "acme.com", "bosch.de", "siemens.com",
    "mailchimp.com", "gmaildesign.com", "hotmailer.net", "yahooligans.com", "sina-steel.com",
    "qqsteel.cn", "163yun.com", "webde.de", "gmx-shop.de", "aol.it", "live-events.co.uk",
    "outlook-tech.in", "cloudy.com", "icelandair.com", "msnbc.com", "mail.ru.com", "yandex.kz", "naver.jp",
    "foxconn.com", "aliyuncs.com", "sohu-inc.com", "cloud.com", "email.cz", "gmc.com",
    "gmx.com", "web.com", "live.com.mx", "qq.com", "139.com", "126.net", "tom.com",
    NULL
  };

  for (guint i = 0; domains[i] != NULL; i++)
    {
      g_autofree char *address = g_strconcat ("buyer@", domains[i], NULL);
      g_autoptr(ObAddressCheck) c = ob_address_check (address, 0);

      g_test_message ("%s", address);
      g_assert_null (ob_address_check_get_suggestion (c));
      g_assert_false (ob_address_check_has_reason (c, OB_ADDRESS_REASON_TYPO_DOMAIN));
    }
}

static char *
utf8_strdown (const char *text)
{
  return g_utf8_strdown (text, -1);
}

/* _ob_address_strdown() skips the Unicode tables for plain ASCII: it must
 * give what g_utf8_strdown() gives, in the C locale and, where installed,
 * in those that lower-case I and J their own way (Turkish, Azeri,
 * Lithuanian). */
static void
test_address_strdown (void)
{
  const char *inputs[] = {
    "", "gmail.com", "GMAIL.COM", "Info.Example.COM", "I", "iI", "JIM.LT", "xn--BCHER-kva.DE",
    "BÜCHER.de", "İSTANBUL.com", "ISTANBUL.COM", "ΣΑΣ.gr", "Ⅸ.com", "ǅ.com", "a b\tc", "0-9_.~@",
    NULL
  };
  const char *locales[] = { "C.UTF-8", "tr_TR.UTF-8", "az_AZ.UTF-8", "lt_LT.UTF-8", NULL };

  ob_test_assert_paths_agree (locales, inputs, _ob_address_strdown, utf8_strdown);
}

/* ob_address_normalize() hands clean ASCII back without its general path:
 * both must agree, on tricky cases and on random strings of the
 * characters the general path treats specially. */
static void
test_address_normalize_shortcut (void)
{
  const char *inputs[] = {
    "a@b.com", "John.Doe@Gmail.COM", "mailto:a@b.com", "MAILTO:a@b.com", "mailto:", "a@b.com?subject=x",
    "a?b@c.com", "a@b?c@d.com", "<a@b.com>", "John <a@b.com>", "a@b.com.", "a@b.com,", "(a@b.com)",
    "[a@b.com]", "a@b.com]", "\"a b\"@c.com", "\"a\"@b.com", "'a@b.com'", "*a@b.com*", "a@b.com!",
    "{a}@b.com", "a@(b).com", "a @ b.com", " a@b.com ", "a\t@b.com", "a@b.com\u00a0", "ａ@b.com",
    "a\u200b@b.com", "@", "@@", ".", "a", "\"", "a@b.c}", "{a@b.c}", "a@b.c)", "(a@b.c",
    NULL
  };
  const char alphabet[] = "ab@.,;:!?'\"()<>[]{}*-_+ \tmailto:Z";
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; inputs[i] != NULL; i++)
    {
      g_autofree char *shortcut = ob_address_normalize (inputs[i]);
      g_autofree char *general = _ob_address_normalize_general (inputs[i]);

      g_assert_cmpstr (shortcut, ==, general);
    }
  for (guint i = 0; i < 20000; i++)
    {
      char text[16];
      guint len = g_rand_int_range (rand, 1, sizeof text);
      g_autofree char *shortcut = NULL;
      g_autofree char *general = NULL;

      for (guint j = 0; j < len; j++)
        text[j] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      text[len] = '\0';
      shortcut = ob_address_normalize (text);
      general = _ob_address_normalize_general (text);
      g_assert_cmpstr (shortcut, ==, general);
    }
}

static void
test_address_cli (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "addr.db");
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *o;
  const char *argv[] = { "address", "check", "--db", db, "--json", NULL };
  const char *add[] = { "suppress", "add", "@blocked-buyer.de", "--db", db, NULL };
  const char *stdin_text = " John.Doe＠Gmial.con \nanna@blocked-buyer.de\n\nhello\n";

  /* The suppression commands come with the contacts area; without them
   * the address check still reads stdin and prints one line per input. */
  if (ob_test_run_cli (add, NULL, NULL, NULL) != 0)
    add[0] = NULL;

  g_assert_cmpint (ob_test_run_cli (argv, stdin_text, &out, NULL), ==, 0);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);

  json_parser_load_from_data (parser, lines[0], -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "input"), ==, " John.Doe＠Gmial.con ");
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, "John.Doe@gmial.con");
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (o, "suggestion"), ==, "John.Doe@gmail.com");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "reasons"), 0), ==, "typo-domain");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "flags"), 0), ==, "free-provider");

  json_parser_load_from_data (parser, lines[1], -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  if (add[0] != NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "invalid");
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "reasons"), 0), ==, "suppressed");
    }
  else
    g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "valid");

  json_parser_load_from_data (parser, lines[2], -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_null_member (o, "address"));
  g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "invalid");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/cases", test_address_cases);
  g_test_add_func ("/address/idn", test_address_idn);
  g_test_add_func ("/address/add-reason", test_address_add_reason);
  g_test_add_func ("/address/corpus/isemail", test_address_isemail);
  g_test_add_func ("/address/corpus/email-validator", test_address_email_validator);
  g_test_add_func ("/address/corpus/mailcheck", test_address_mailcheck);
  g_test_add_func ("/address/no-false-suggestions", test_address_no_false_suggestions);
  g_test_add_func ("/address/cli", test_address_cli);
  g_test_add_func ("/address/strdown", test_address_strdown);
  g_test_add_func ("/address/normalize-shortcut", test_address_normalize_shortcut);

  return g_test_run ();
}
