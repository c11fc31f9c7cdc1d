/* test-lint.c — every lint rule firing and not firing, exact ranges, and
 * clean templates in the languages of the markets without a warning.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ob-core.h"
#include "ob-store.h"
#include "ob-template.h"
#include "ob-template-linter.h"
#include "ob-test-util.h"

#define SIGNATURE \
  "\n\nKind regards,\n\n{{sender_name}}\nExport Sales, Ningbo Everflow Valve Co., Ltd.\n" \
  "No. 88 Binhai Road, Ningbo, China\nTel: +86 574 8765 4321\n\n" \
  "If you would rather not hear from us again, just reply \"unsubscribe\".\n"

#define HTML_FOOTER \
  "<p>Kind regards,<br>{{sender_name}}<br>Shenzhen Brightway Lighting Co., Ltd.<br>" \
  "Building 5, Tech Park, Nanshan District, Shenzhen<br>Tel: +86 755 2345 6789</p>" \
  "<p>If you would rather not hear from us, reply “unsubscribe”.</p>"

#define HTML_TEXT \
  "<p>Dear {{first_name|Sir or Madam}}, we make LED panel lights and linear fixtures for " \
  "retail chains and office contractors, and we work with distributors in the Netherlands, " \
  "Spain and Mexico. Our panels come with a flicker-free driver and a five-year warranty, " \
  "and the common sizes are in stock in our warehouse.</p>"

static GPtrArray *
lint_with (ObTemplateLinter *linter,
           const char       *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) template = ob_template_new_from_data (data, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (template);
  return ob_template_linter_lint (linter, template);
}

static GPtrArray *
lint (const char *data)
{
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();

  return lint_with (linter, data);
}

static ObLintFinding *
find (GPtrArray  *findings,
      const char *rule)
{
  for (guint i = 0; i < findings->len; i++)
    {
      ObLintFinding *f = g_ptr_array_index (findings, i);
      if (g_str_equal (f->rule, rule))
        return f;
    }
  return NULL;
}

static guint
count (GPtrArray  *findings,
       const char *rule)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (((ObLintFinding *) g_ptr_array_index (findings, i))->rule, rule))
      n++;
  return n;
}

static void
dump (GPtrArray *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      ObLintFinding *f = g_ptr_array_index (findings, i);
      g_test_message ("%s %s %s %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT ": %s", f->rule,
                      ob_lint_severity_to_string (f->severity), ob_lint_part_to_string (f->part),
                      f->start, f->end, f->message);
    }
}

/* Asserts @rule fires on @bad and not on @good. Returns the finding on @bad
 * through @out (a copy) when asked. */
static void
assert_rule (const char     *rule,
             const char     *bad,
             const char     *good,
             ObLintFinding **out)
{
  g_autoptr(GPtrArray) b = lint (bad);
  g_autoptr(GPtrArray) g = lint (good);
  ObLintFinding *f = find (b, rule);

  if (f == NULL)
    dump (b);
  g_assert_nonnull (f);
  g_assert_nonnull (f->message);
  g_assert_cmpstr (f->message, !=, "");
  g_assert_nonnull (f->fix);
  if (find (g, rule) != NULL)
    dump (g);
  g_assert_null (find (g, rule));
  if (out)
    *out = ob_lint_finding_copy (f);
}

static void
test_spam_phrase (void)
{
  ObLintFinding *f = NULL;
  g_autoptr(GPtrArray) ru = NULL;
  g_autoptr(GPtrArray) zh = NULL;
  g_autoptr(GPtrArray) ex = NULL;

  assert_rule ("spam-phrase",
               "Subject: Get free samples today\n\nHello {{first_name|there}}." SIGNATURE,
               "Subject: Samples of our valves\n\nHello {{first_name|there}}, feel free to ask. "
               "Our valves are lead-free." SIGNATURE, &f);
  g_assert_cmpstr (f->rule, ==, "spam-phrase");
  g_assert_cmpint (f->part, ==, OB_LINT_PART_SUBJECT);
  g_assert_cmpuint (f->start, ==, 4);
  g_assert_cmpuint (f->end, ==, 16);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_WARNING);
  g_assert_cmpstr (f->fix, ==, "samples at no charge");
  g_assert_cmpstr (f->replacement, ==, "samples at no charge");
  ob_lint_finding_free (f);

  /* A fix replaces the whole phrase: "free of charge" becomes "at no
   * charge", not "at no charge of charge"; a lone "free" still matches. */
  {
    const char *cases[][3] = {
      { "Samples are free of charge.", "free of charge", "at no charge" },
      { "We send it for free.", "for free", "at no charge" },
      { "Ask for a free sample.", "free sample", "sample at no charge" },
      { "Delivery is free.", "free", "at no charge" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *data = g_strdup_printf ("Subject: Valves\n\n%s" SIGNATURE, cases[i][0]);
        g_autoptr(GPtrArray) r = lint (data);
        ObLintFinding *m = find (r, "spam-phrase");
        g_autofree char *matched = NULL;

        g_assert_nonnull (m);
        g_assert_cmpint (m->part, ==, OB_LINT_PART_TEXT);
        g_assert_cmpuint (count (r, "spam-phrase"), ==, 1);
        g_assert_cmpstr (m->fix, ==, cases[i][2]);
        matched = g_utf8_substring (cases[i][0], m->start, m->end);
        g_assert_cmpstr (matched, ==, cases[i][1]);
      }
  }

  /* Word boundaries: "freedom" and "trabaja" are not phrases. */
  ex = lint ("Subject: Freedom of choice\n\nOur team trabaja with care." SIGNATURE);
  g_assert_null (find (ex, "spam-phrase"));

  /* Code point offsets in Cyrillic, case-insensitive. */
  ru = lint ("Subject: Краны БЕСПЛАТНО\n\nТекст." SIGNATURE);
  f = find (ru, "spam-phrase");
  g_assert_nonnull (f);
  g_assert_cmpuint (f->start, ==, 6);
  g_assert_cmpuint (f->end, ==, 15);

  /* Chinese has no word boundaries. */
  zh = lint ("Subject: 样品免费提供\n\n正文。" SIGNATURE);
  f = find (zh, "spam-phrase");
  g_assert_nonnull (f);
  g_assert_cmpuint (f->start, ==, 2);
  g_assert_cmpuint (f->end, ==, 4);
  g_assert_cmpstr (f->fix, ==, "无需额外费用");

  /* Every language list is loaded: one phrase from each. */
  {
    const char *phrases[] = { "gratis", "grátis", "gratuit", "kostenlos", "бесплатно", "مجانا", "免费" };
    for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
      {
        g_autofree char *data = g_strdup_printf ("Subject: Hello\n\nIt is %s here." SIGNATURE, phrases[i]);
        g_autoptr(GPtrArray) r = lint (data);
        g_assert_nonnull (find (r, "spam-phrase"));
      }
  }

  /* In HTML, the range points into the HTML source. */
  {
    const char *html = "Subject: Hello\nContent-Type: text/html\n\n<p>Order <b>now</b>: <i>click here</i>.</p>" HTML_TEXT HTML_FOOTER;
    g_autoptr(GPtrArray) r = lint (html);
    g_assert_cmpuint (count (r, "spam-phrase"), ==, 2);
    /* "Order now" matches across the <b> tag */
    f = g_ptr_array_index (r, 0);
    g_assert_cmpstr (f->rule, ==, "spam-phrase");
    g_assert_cmpint (f->part, ==, OB_LINT_PART_HTML);
    g_assert_cmpuint (f->start, ==, 3);
    g_assert_cmpuint (f->end, ==, 15);
    /* "click here" starts after "<p>Order <b>now</b>: <i>" (24 characters) */
    f = g_ptr_array_index (r, 1);
    g_assert_cmpstr (f->rule, ==, "spam-phrase");
    g_assert_cmpuint (f->start, ==, 24);
    g_assert_cmpuint (f->end, ==, 34);
  }
}

/* No neutral alternative is itself a phrase of some list. */
static void
test_spam_alternatives (void)
{
  const char *dir = "/io/github/outboundapp/Outbound/templates/spam-phrases";
  g_auto(GStrv) names = g_resources_enumerate_children (dir, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  guint checked = 0;

  g_assert_nonnull (names);
  g_assert_cmpuint (g_strv_length (names), ==, 8);
  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", dir, names[n]);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
      guint phrases = 0;

      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *tab = strchr (lines[i], '\t');
          g_autofree char *data = NULL;
          g_autoptr(GPtrArray) r = NULL;

          if (lines[i][0] == '#' || lines[i][0] == '!' || tab == NULL)
            continue;
          phrases++;
          if (tab[1] == '(' || g_str_has_prefix (tab + 1, "（"))
            continue;
          data = g_strdup_printf ("Subject: Hello\n\n%s" SIGNATURE, tab + 1);
          r = lint (data);
          if (find (r, "spam-phrase"))
            g_test_message ("%s: the alternative of “%.*s” is a phrase itself", names[n], (int) (tab - lines[i]), lines[i]);
          g_assert_null (find (r, "spam-phrase"));
          checked++;
        }
      /* every list is substantial */
      g_assert_cmpuint (phrases, >=, 20);
    }
  g_test_message ("%u alternatives checked", checked);
}

static void
test_subject_caps (void)
{
  assert_rule ("subject-caps",
               "Subject: BRASS VALVES FOR YOU\n\nHello." SIGNATURE,
               "Subject: Brass valves to EN 13828 for your LED line\n\nHello." SIGNATURE, NULL);
}

static void
test_body_caps (void)
{
  ObLintFinding *f = NULL;

  assert_rule ("body-caps",
               "Subject: Hello\n\nPlease READ THIS CAREFULLY before ordering." SIGNATURE,
               "Subject: Hello\n\nOur DN15 valves meet EN 13828 and ISO 9001, shipped FOB." SIGNATURE, &f);
  g_assert_cmpuint (f->start, ==, 7);
  g_assert_cmpuint (f->end, ==, 26);
  g_assert_cmpstr (f->replacement, ==, "read this carefully");
  ob_lint_finding_free (f);

  /* Codes and acronyms are not shouting; long capital words are. */
  assert_rule ("body-caps", "Subject: Hello\n\nFREE SHIPPING NOW on every order." SIGNATURE,
               "Subject: Hello\n\nBall valve DN15, PN25, EUR 2.40 FOB, CE, ISO9001, LED USA UK." SIGNATURE, NULL);
}

/* Full-width marks typed into a mail in Latin letters: each run found,
 * with its half-width text (a space where the next word would touch it);
 * not in a part with Chinese in it, nor in a template in Chinese. */
static void
test_fullwidth_punctuation (void)
{
  g_autoptr(GPtrArray) r = lint ("Subject: Valves（brass）\n\n"
                                 "Hello，Anna.\nWe make ball valves：DN15–DN100。Samples are ready！\n" SIGNATURE);
  g_autoptr(GPtrArray) zh_part = lint ("Subject: Valves\n\nHello Anna，\n我们是宁波的阀门厂。\n" SIGNATURE);
  g_autoptr(GPtrArray) zh_template = lint ("Subject: Valves\nLanguage: zh-CN\n\nHello，Anna。\n" SIGNATURE);
  const char *expected[][3] = {
    /* part, found, fix */
    { "subject", "（", " (" },
    { "subject", "）", ")" },
    { "text", "，", ", " },
    { "text", "：", ": " },
    { "text", "。", ". " },
    { "text", "！", "!" },
  };
  guint k = 0;

  for (guint i = 0; i < r->len; i++)
    {
      ObLintFinding *f = g_ptr_array_index (r, i);

      if (!g_str_equal (f->rule, "fullwidth-punctuation"))
        continue;
      g_assert_cmpuint (k, <, G_N_ELEMENTS (expected));
      g_assert_cmpint (f->part, ==, g_str_equal (expected[k][0], "subject") ? OB_LINT_PART_SUBJECT : OB_LINT_PART_TEXT);
      g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_WARNING);
      g_assert_cmpuint (f->end, ==, f->start + 1);
      g_assert_nonnull (strstr (f->message, expected[k][1]));
      g_assert_cmpstr (f->replacement, ==, expected[k][2]);
      k++;
    }
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (expected));
  g_assert_null (find (zh_part, "fullwidth-punctuation"));
  g_assert_null (find (zh_template, "fullwidth-punctuation"));
}

static void
test_exclamation (void)
{
  ObLintFinding *f = NULL;

  assert_rule ("exclamation",
               "Subject: Hello\n\nGreat news!!! We have stock." SIGNATURE,
               "Subject: Hello\n\nGreat news! We have stock." SIGNATURE, &f);
  g_assert_cmpuint (f->start, ==, 10);
  g_assert_cmpuint (f->end, ==, 13);
  g_assert_cmpstr (f->replacement, ==, ".");
  ob_lint_finding_free (f);
  assert_rule ("exclamation", "Subject: New valves!\n\nHello." SIGNATURE,
               "Subject: New valves\n\nHello." SIGNATURE, NULL);
}

static void
test_money_symbols (void)
{
  assert_rule ("money-symbols", "Subject: Save $$$ now\n\nHello." SIGNATURE,
               "Subject: Price list\n\nThe DN15 valve is $2.40 FOB Ningbo." SIGNATURE, NULL);
  assert_rule ("money-symbols", "Subject: Hello\n\nEarn €€€ with us." SIGNATURE,
               "Subject: Hello\n\nThe price is €3.10 per piece." SIGNATURE, NULL);
}

static void
test_subject_length (void)
{
  assert_rule ("subject-length",
               "Subject: Brass ball valves, check valves, manifolds and fittings for plumbing and heating installers\n\nHello." SIGNATURE,
               "Subject: Brass ball valves for {{company|your projects}}\n\nHello." SIGNATURE, NULL);
}

static void
test_subject_empty (void)
{
  ObLintFinding *f = NULL;
  g_autoptr(GPtrArray) none = NULL;

  assert_rule ("subject-empty", "Subject:   \n\nHello." SIGNATURE, "Subject: Hello\n\nHello." SIGNATURE, &f);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_ERROR);
  ob_lint_finding_free (f);
  none = lint ("Language: en\n\nNo subject header at all." SIGNATURE);
  g_assert_nonnull (find (none, "subject-empty"));
}

static void
test_body_empty (void)
{
  g_autoptr(GPtrArray) none = lint ("Subject: Hello\n");
  g_autoptr(GPtrArray) html = lint ("Subject: Hello\nContent-Type: text/html\n\n<html><body><p> </p></body></html>");

  assert_rule ("body-empty", "Subject: Hello\n\n  \n\n", "Subject: Hello\n\nHello." SIGNATURE, NULL);
  g_assert_nonnull (find (none, "body-empty"));
  g_assert_nonnull (find (html, "body-empty"));
  g_assert_cmpint (find (html, "body-empty")->severity, ==, OB_LINT_SEVERITY_ERROR);
}

static void
test_fake_reply (void)
{
  const char *prefixes[] = { "RE: ", "Re: ", "FW: ", "Fwd: ", "回复：", "答复:", "转发: " };
  g_autoptr(ObTemplateLinter) follow = ob_template_linter_new ();
  g_autoptr(GPtrArray) r = NULL;

  assert_rule ("fake-reply", "Subject: Re: our call\n\nHello." SIGNATURE,
               "Subject: Regarding our valves\n\nHello." SIGNATURE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: %svalves\n\nHello." SIGNATURE, prefixes[i]);
      g_autoptr(GPtrArray) f = lint (data);
      ObLintFinding *finding = find (f, "fake-reply");
      g_assert_nonnull (finding);
      g_assert_cmpuint (finding->start, ==, 0);
      /* the prefix and the space after it go, in one click */
      g_assert_cmpuint (finding->end, ==, g_utf8_strlen (prefixes[i], -1));
      g_assert_cmpstr (finding->replacement, ==, "");
    }
  /* A follow-up may be a reply. */
  ob_template_linter_set_first_mail (follow, FALSE);
  r = lint_with (follow, "Subject: Re: our valves\n\nHello." SIGNATURE);
  g_assert_null (find (r, "fake-reply"));
}

static void
test_link_count (void)
{
  assert_rule ("link-count",
               "Subject: Hello\n\nSee https://a.example/1 https://a.example/2 https://a.example/3 https://a.example/4" SIGNATURE,
               "Subject: Hello\n\nSee https://a.example/1 https://a.example/2 https://a.example/3 and https://a.example/1" SIGNATURE,
               NULL);
}

static void
test_link_shortener (void)
{
  const char *hosts[] = { "bit.ly", "t.cn", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly",
                          "rebrand.ly", "cutt.ly", "dwz.cn", "url.cn" };
  ObLintFinding *f = NULL;

  assert_rule ("link-shortener", "Subject: Hello\n\nOur catalogue: https://bit.ly/3xYz." SIGNATURE,
               "Subject: Hello\n\nOur catalogue: https://www.everflow-valves.example/catalogue." SIGNATURE, &f);
  g_assert_cmpuint (f->start, ==, 15);
  g_assert_cmpuint (f->end, ==, 15 + strlen ("https://bit.ly/3xYz"));
  ob_lint_finding_free (f);
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: Hello\nContent-Type: text/html\n\n<a href=\"http://%s/x\">catalogue</a>" HTML_TEXT HTML_FOOTER, hosts[i]);
      g_autoptr(GPtrArray) r = lint (data);
      g_assert_nonnull (find (r, "link-shortener"));
    }
}

static void
test_link_mismatch (void)
{
  ObLintFinding *f = NULL;

  assert_rule ("link-mismatch",
               "Subject: Hello\nContent-Type: text/html\n\n<p><a href=\"https://evil.example/login\">www.paypal.com</a></p>" HTML_TEXT HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n<p><a href=\"https://shop.brightway.example/x\">www.brightway.example</a> "
               "<a href=\"https://brightway.example/\">our catalogue</a></p>" HTML_TEXT HTML_FOOTER, &f);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_ERROR);
  g_assert_cmpuint (f->start, ==, 40);
  g_assert_cmpuint (f->end, ==, 54);
  ob_lint_finding_free (f);
}

static void
test_link_ip (void)
{
  assert_rule ("link-ip", "Subject: Hello\n\nSee http://203.0.113.7/catalogue.pdf" SIGNATURE,
               "Subject: Hello\n\nSee https://www.everflow-valves.example/catalogue.pdf" SIGNATURE, NULL);
  assert_rule ("link-ip", "Subject: Hello\nContent-Type: text/html\n\n<a href=\"http://[2001:db8::1]/x\">catalogue</a>" HTML_TEXT HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n<a href=\"https://brightway.example/x\">catalogue</a>" HTML_TEXT HTML_FOOTER, NULL);
}

static void
test_images (void)
{
  assert_rule ("image-only",
               "Subject: Hello\nContent-Type: text/html\n\n<img src=\"https://a.example/flyer.jpg\" alt=\"Flyer\">",
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<img src=\"https://a.example/p.jpg\" alt=\"Panel\">" HTML_FOOTER,
               NULL);
  assert_rule ("image-ratio",
               "Subject: Hello\nContent-Type: text/html\n\n<p>Our new catalogue of LED panel lights and fixtures is ready for you to see.</p>"
               "<img src=\"a.jpg\" alt=\"a\"><img src=\"b.jpg\" alt=\"b\"><img src=\"c.jpg\" alt=\"c\">" HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<img src=\"a.jpg\" alt=\"Panel\">" HTML_FOOTER, NULL);
  assert_rule ("image-no-alt",
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<img src=\"a.jpg\">" HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<img src=\"a.jpg\" alt=\"\">" HTML_FOOTER, NULL);
}

static void
test_missing_unsubscribe (void)
{
  const char *ways[] = { "unsubscribe", "opt out", "opt-out", "reply \"stop\"", "remove me",
                         "baja", "darse de baja", "désabonner", "se désinscrire", "abmelden",
                         "austragen", "descadastrar", "cancelar inscrição", "отписаться",
                         "إلغاء الاشتراك", "退订", "取消订阅" };
  ObLintFinding *f = NULL;
  const char *body = "Subject: Hello\n\nHello.\n\n{{signature}}";

  assert_rule ("missing-unsubscribe", body, "Subject: Hello\n\nHello.\n\n{{signature}}\nTo opt out, reply.", &f);
  /* It marks the end of the body, where the line would go. */
  g_assert_cmpuint (f->start, ==, g_utf8_strlen ("Hello.\n\n{{signature}}", -1));
  g_assert_cmpuint (f->end, ==, f->start);
  g_assert_nonnull (strstr (f->replacement, "unsubscribe"));
  ob_lint_finding_free (f);
  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: Hello\n\nHello.\n\n{{signature}}\n— %s —", ways[i]);
      g_autoptr(GPtrArray) r = lint (data);
      if (find (r, "missing-unsubscribe"))
        g_test_message ("not recognised: %s", ways[i]);
      g_assert_null (find (r, "missing-unsubscribe"));
    }
  /* An unsubscribe link in HTML counts. */
  {
    g_autoptr(GPtrArray) r = lint ("Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT
                                   "<p>{{signature}}</p><a href=\"https://brightway.example/unsubscribe?id=1\">Stop these mails</a>");
    g_assert_null (find (r, "missing-unsubscribe"));
  }
}

static void
test_missing_sender_identity (void)
{
  assert_rule ("missing-sender-identity",
               "Subject: Hello\n\nHello, we sell valves. Reply \"unsubscribe\" to stop.\n\nBest,\nTom",
               "Subject: Hello\n\nHello, we sell valves.\n\n{{signature}}\nReply \"unsubscribe\" to stop.", NULL);
  assert_rule ("missing-sender-identity",
               "Subject: Hello\n\nHello, we sell valves. Reply \"unsubscribe\" to stop.\n\nBest,\nTom",
               "Subject: Hello\n\nHello.\n\nTom Li\nNingbo Everflow Valve Co., Ltd.\nTel: +86 574 8765 4321\n"
               "Reply \"unsubscribe\" to stop.", NULL);
  /* A Chinese postal address (one-character words: 市, 路, 号) and a phone. */
  assert_rule ("missing-sender-identity",
               "Subject: 你好\n\n您好，我们生产阀门。\n\n李伟\n如不希望再收到我们的邮件，请回复“退订”。",
               "Subject: 你好\n\n您好，我们生产阀门。\n\n李伟\n宁波市滨海路88号\n+86 574 8765 4321\n"
               "如不希望再收到我们的邮件，请回复“退订”。", NULL);
}

static void
test_merge_fields (void)
{
  ObLintFinding *f = NULL;
  g_autoptr(ObTemplateLinter) custom = ob_template_linter_new ();
  g_autoptr(GPtrArray) r = NULL;

  assert_rule ("merge-field-unknown", "Subject: Hello {{frist_name|there}}\n\nHello." SIGNATURE,
               "Subject: Hello {{first_name|there}}\n\nHello." SIGNATURE, &f);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_ERROR);
  g_assert_cmpuint (f->start, ==, 6);
  g_assert_cmpuint (f->end, ==, 6 + strlen ("{{frist_name|there}}"));
  g_assert_cmpstr (f->fix, ==, "{{first_name|there}}");
  ob_lint_finding_free (f);

  /* A custom field the caller declares is known. */
  ob_template_linter_add_known_field (custom, "Product_Line");
  r = lint_with (custom, "Subject: Hello\n\nAbout {{product_line|your range}}." SIGNATURE);
  g_assert_null (find (r, "merge-field-unknown"));

  assert_rule ("merge-field-syntax", "Subject: Hello\n\nDear {{first_name|there}, hello." SIGNATURE,
               "Subject: Hello\n\nDear {{ first_name | there }}, hello." SIGNATURE, &f);
  g_assert_cmpuint (f->start, ==, 5);
  ob_lint_finding_free (f);
  assert_rule ("merge-field-syntax", "Subject: Hello\n\nDear {first_name}, hello." SIGNATURE,
               "Subject: Hello\n\nA set {a, b} of {{first_name|there}}." SIGNATURE, &f);
  g_assert_cmpstr (f->fix, ==, "{{first_name}}");
  ob_lint_finding_free (f);
  assert_rule ("merge-field-syntax", "Subject: Hello\n\nDear {{}}, hello." SIGNATURE,
               "Subject: Hello\n\nDear {{first_name|}}, hello." SIGNATURE, NULL);

  assert_rule ("merge-field-no-fallback", "Subject: Hello {{first_name}}\n\nHello." SIGNATURE,
               "Subject: Hello {{first_name|there}}\n\nHello {{sender_name}} here, {{email}}." SIGNATURE, &f);
  g_assert_cmpstr (f->fix, ==, "{{first_name|there}}");
  g_assert_cmpstr (f->replacement, ==, "{{first_name|there}}");
  ob_lint_finding_free (f);
}

/* The fallback a fix writes goes into the mail: in the mail's language
 * (not the interface's), and never "Dear there". */
static void
test_fallback_language (void)
{
  g_autoptr(GPtrArray) dear = lint ("Subject: Valves\n\nDear {{first_name}},\nwe make valves." SIGNATURE);
  g_autoptr(GPtrArray) hello = lint ("Subject: Valves\n\nHello {{first_name}}, we make valves." SIGNATURE);
  g_autoptr(GPtrArray) zh = lint ("Subject: 阀门\nLanguage: zh-CN\n\n{{first_name}}您好，我们生产阀门。\n"
                                  "{{company}}" SIGNATURE);
  g_autoptr(GPtrArray) de = lint ("Subject: Ventile\nLanguage: de\n\nHallo {{first_name}}, wir machen Ventile." SIGNATURE);
  g_autoptr(GPtrArray) unknown = lint ("Subject: Valves\n\nDear  {{frist_name}},\nwe make valves." SIGNATURE);

  g_assert_cmpstr (find (dear, "merge-field-no-fallback")->replacement, ==, "{{first_name|Sir or Madam}}");
  g_assert_cmpstr (find (hello, "merge-field-no-fallback")->replacement, ==, "{{first_name|there}}");
  g_assert_cmpstr (find (zh, "merge-field-no-fallback")->replacement, ==, "{{first_name|朋友}}");
  g_assert_cmpuint (count (zh, "merge-field-no-fallback"), ==, 2);
  g_assert_cmpstr (find (de, "merge-field-no-fallback")->replacement, ==, "{{first_name|there}}");
  g_assert_cmpstr (find (unknown, "merge-field-unknown")->replacement, ==, "{{first_name|Sir or Madam}}");
}

static GHashTable *
contact (const char *first_name,
         const char *company)
{
  GHashTable *c = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (c, (gpointer) "email", (gpointer) "x@example.com");
  if (first_name)
    g_hash_table_insert (c, (gpointer) "first_name", (gpointer) first_name);
  if (company)
    g_hash_table_insert (c, (gpointer) "company", (gpointer) company);
  return c;
}

static void
test_no_fallback_audience (void)
{
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  g_autoptr(GPtrArray) audience = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;
  const char *data = "Subject: Hello {{first_name}}\n\nAbout {{company}}." SIGNATURE;
  ObLintFinding *f;

  g_ptr_array_add (audience, contact ("Ana", "Acme"));
  g_ptr_array_add (audience, contact ("Bo", NULL));
  g_ptr_array_add (audience, contact ("Cy", "  "));
  ob_template_linter_set_audience (linter, audience);
  r1 = lint_with (linter, data);
  /* Everyone has a first name; two of three lack a company. */
  g_assert_cmpuint (count (r1, "merge-field-no-fallback"), ==, 1);
  f = find (r1, "merge-field-no-fallback");
  g_assert_cmpint (f->part, ==, OB_LINT_PART_TEXT);
  g_assert_nonnull (strstr (f->message, "2"));

  ob_template_linter_set_audience (linter, NULL);
  r2 = lint_with (linter, data);
  g_assert_cmpuint (count (r2, "merge-field-no-fallback"), ==, 2);
}

static char *
make_file (ObTestDir  *dir,
           const char *name,
           gsize       size)
{
  char *path = ob_test_dir_file (dir, name);
  FILE *f = g_fopen (path, "wb");

  g_assert_nonnull (f);
  if (size > 0)
    {
      g_assert_cmpint (fseek (f, size - 1, SEEK_SET), ==, 0);
      fputc ('x', f);
    }
  fclose (f);
  return path;
}

static GPtrArray *
lint_file (ObTestDir  *dir,
           const char *contents)
{
  g_autofree char *path = ob_test_dir_file (dir, "t.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) template = NULL;
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  template = ob_template_new_from_file (path, &error);
  g_assert_no_error (error);
  return ob_template_linter_lint (linter, template);
}

static void
test_attachments (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *big = make_file (dir, "catalogue.pdf", 6 * 1024 * 1024);
  g_autofree char *small = make_file (dir, "price-list.pdf", 200 * 1024);
  g_autofree char *exe = make_file (dir, "setup.exe", 1000);
  g_autofree char *docm = make_file (dir, "order.docm", 1000);
  g_autoptr(GPtrArray) r_big = lint_file (dir, "Subject: Hello\nAttachment: catalogue.pdf\n\nHello." SIGNATURE);
  g_autoptr(GPtrArray) r_small = lint_file (dir, "Subject: Hello\nAttachment: price-list.pdf\n\nHello." SIGNATURE);
  g_autoptr(GPtrArray) r_exe = lint_file (dir, "Subject: Hello\nAttachment: price-list.pdf\nAttachment: setup.exe\n\nHello." SIGNATURE);
  g_autoptr(GPtrArray) r_docm = lint_file (dir, "Subject: Hello\nAttachment: order.docm\n\nHello." SIGNATURE);
  g_autoptr(GPtrArray) r_missing = lint_file (dir, "Subject: Hello\nAttachment: nowhere.pdf\n\nHello." SIGNATURE);
  ObLintFinding *f;

  f = find (r_big, "attachment-size");
  g_assert_nonnull (f);
  g_assert_cmpint (f->part, ==, OB_LINT_PART_ATTACHMENT);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_WARNING);
  g_assert_null (find (r_small, "attachment-size"));
  g_assert_null (find (r_small, "attachment-risky"));
  g_assert_cmpuint (r_small->len, ==, 0);

  f = find (r_exe, "attachment-risky");
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_ERROR);
  /* The second path, after "…/price-list.pdf\n". */
  g_assert_cmpuint (f->start, ==, g_utf8_strlen (small, -1) + 1);
  g_assert_cmpuint (f->end, ==, f->start + g_utf8_strlen (exe, -1));
  f = find (r_docm, "attachment-risky");
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_WARNING);
  g_assert_nonnull (find (r_missing, "attachment-missing"));
}

static void
test_html_invalid (void)
{
  assert_rule ("html-invalid",
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<p>Broken <blink>tag</blink> and </div></span>" HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n<!DOCTYPE html><html><body>" HTML_TEXT
               "<section><p>More</p></section>" HTML_FOOTER "</body></html>", NULL);
}

static void
test_html_hidden_text (void)
{
  const char *tricks[] = {
    "<div style=\"display:none\">cheap valves</div>",
    "<span style=\"visibility: hidden\">cheap valves</span>",
    "<span style=\"font-size:0px\">cheap valves</span>",
    "<span style=\"font-size: 0\">cheap valves</span>",
    "<div style=\"background-color:#ffffff\"><span style=\"color:#FFF\">cheap valves</span></div>",
    "<td bgcolor=\"white\"><font color=\"#ffffff\">cheap valves</font></td>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (tricks); i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "%s" HTML_FOOTER, tricks[i]);
      g_autoptr(GPtrArray) r = lint (data);
      ObLintFinding *f = find (r, "html-hidden-text");

      if (f == NULL)
        g_test_message ("not found: %s", tricks[i]);
      g_assert_nonnull (f);
      g_assert_cmpint (f->part, ==, OB_LINT_PART_HTML);
    }
  assert_rule ("html-hidden-text",
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<div style=\"display:none\">x</div>" HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<div style=\"display:block;color:#333;background:#fff\">Visible</div>"
               "<div style=\"display:none\"> </div>" HTML_FOOTER, NULL);
}

static void
test_html_script (void)
{
  const char *bad[] = { "<script>alert(1)</script>", "<form action=\"x\"></form>", "<iframe src=\"x\"></iframe>",
                        "<object data=\"x\"></object>", "<embed src=\"x\">", "<a href=\"javascript:go()\">go</a>",
                        "<p onclick=\"go()\">go</p>" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "%s" HTML_FOOTER, bad[i]);
      g_autoptr(GPtrArray) r = lint (data);
      ObLintFinding *f = find (r, "html-script");

      g_assert_nonnull (f);
      g_assert_cmpint (f->severity, ==, OB_LINT_SEVERITY_ERROR);
    }
  assert_rule ("html-script", "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<script>x</script>" HTML_FOOTER,
               "Subject: Hello\nContent-Type: text/html\n\n" HTML_TEXT "<p>A script for the call: first the valves.</p>" HTML_FOOTER, NULL);
}

static void
test_message_size (void)
{
  GString *big = g_string_new ("Subject: Hello\n\n");
  g_autofree char *data = NULL;

  while (big->len < 110 * 1024)
    g_string_append (big, "Our valves are made of brass and tested one by one before they ship.\n");
  g_string_append (big, SIGNATURE);
  data = g_string_free (big, FALSE);
  assert_rule ("message-size", data, "Subject: Hello\n\nShort." SIGNATURE, NULL);
}

static void
test_clean_templates (void)
{
  const char *names[] = { "clean-en.txt", "clean-es.txt", "clean-pt.txt", "clean-fr.txt", "clean-de.txt",
                          "clean-ru.txt", "clean-ar.txt", "clean-zh.txt", "clean-en.html", "clean-zh.html",
                          "clean-ar.html" };
  const char *demo[] = { "first-contact.txt", "follow-up.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (names) + G_N_ELEMENTS (demo); i++)
    {
      g_autofree char *path = i < G_N_ELEMENTS (names)
        ? g_test_build_filename (G_TEST_DIST, "data", "templates", names[i], NULL)
        : g_build_filename (ob_test_source_root (), "data", "demo", demo[i - G_N_ELEMENTS (names)], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(ObTemplate) template = ob_template_new_from_file (path, &error);
      g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
      g_autoptr(GPtrArray) findings = NULL;

      g_assert_no_error (error);
      findings = ob_template_linter_lint (linter, template);
      if (findings->len > 0)
        {
          g_test_message ("%s:", path);
          dump (findings);
        }
      /* Not a warning, not an error; not even a note. */
      g_assert_cmpuint (findings->len, ==, 0);
      g_assert_cmpfloat (ob_template_linter_score (findings), ==, 10.0);
    }
}

/* Applying the one-click fixes of a part removes those findings. */
static char *
apply_replacements (const char *text,
                    GPtrArray  *findings,
                    ObLintPart  part)
{
  GString *out = g_string_new (text);

  /* From the end, so earlier offsets stay right. */
  for (guint i = findings->len; i > 0; i--)
    {
      ObLintFinding *f = g_ptr_array_index (findings, i - 1);
      const char *s;
      const char *e;
      gsize bs;

      if (f->part != part || f->replacement == NULL)
        continue;
      s = g_utf8_offset_to_pointer (out->str, f->start);
      e = g_utf8_offset_to_pointer (out->str, f->end);
      bs = s - out->str;
      g_string_erase (out, bs, e - s);
      g_string_insert (out, bs, f->replacement);
    }
  return g_string_free (out, FALSE);
}

static void
test_one_click_fixes (void)
{
  g_autoptr(ObTemplate) t = NULL;
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  t = ob_template_new_from_data ("Subject: RE: Free samples for {{frist_name}}!\n\n"
                                 "Dear {{first_name}}, PLEASE READ THIS: our valves are guaranteed!!! "
                                 "Prices from €€ 2.40. {{company|x}\n", -1, NULL, &error);
  g_assert_no_error (error);
  before = ob_template_linter_lint (linter, t);
  g_assert_cmpuint (before->len, >=, 9);
  subject = apply_replacements (ob_template_get_subject (t), before, OB_LINT_PART_SUBJECT);
  text = apply_replacements (ob_template_get_body_text (t), before, OB_LINT_PART_TEXT);
  g_test_message ("fixed subject: %s", subject);
  g_test_message ("fixed text: %s", text);
  ob_template_set_subject (t, subject);
  ob_template_set_body_text (t, text);
  after = ob_template_linter_lint (linter, t);
  dump (after);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_cmpstr (subject, ==, "samples at no charge for {{first_name|there}}");
}

static void
test_score (void)
{
  g_autoptr(GPtrArray) bad = lint ("Subject: FREE!!!\n\nCLICK HERE" );
  g_autoptr(GPtrArray) ok = lint ("Subject: Hello\n\nHello." SIGNATURE);

  g_assert_cmpfloat (ob_template_linter_score (ok), ==, 10.0);
  g_assert_cmpfloat (ob_template_linter_score (bad), <, 5.0);
  g_assert_false (ob_template_linter_has_errors (ok));
}

static void
lint_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ob_template_linter_lint_finish (OB_TEMPLATE_LINTER (source), result, &error);
  g_assert_no_error (error);
}

/* The async lint works on a snapshot taken when it starts. */
static void
test_lint_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) t = ob_template_new_from_data ("Subject: FREE!!! {{frist_name}}\n\nHello." SIGNATURE, -1, NULL, &error);
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  g_autoptr(GPtrArray) sync = ob_template_linter_lint (linter, t);
  GPtrArray *async = NULL;

  g_assert_no_error (error);
  ob_template_linter_lint_async (linter, t, NULL, lint_done_cb, &async);
  ob_template_set_subject (t, "Hello");
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (async->len, ==, sync->len);
  g_assert_nonnull (find (async, "merge-field-unknown"));
  g_assert_nonnull (find (async, "exclamation"));
  for (guint i = 0; i < async->len; i++)
    {
      ObLintFinding *a = g_ptr_array_index (async, i);
      ObLintFinding *b = g_ptr_array_index (sync, i);
      g_assert_cmpstr (a->rule, ==, b->rule);
      g_assert_cmpuint (a->start, ==, b->start);
      g_assert_cmpuint (a->end, ==, b->end);
    }
  g_ptr_array_unref (async);
}

static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = ob_template_linter_lint_finish (OB_TEMPLATE_LINTER (source), result, &error);

  g_assert_no_error (error);
  /* each template below has one spam phrase, one link-ip, html-script */
  g_assert_cmpuint (count (findings, "spam-phrase"), ==, 1);
  g_assert_cmpuint (count (findings, "link-ip"), ==, 1);
  g_assert_cmpuint (count (findings, "html-script"), ==, 1);
  (*pending)--;
}

/* Many lints at once in worker threads each find what their template holds. */
static void
test_lint_async_parallel (void)
{
  g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
  guint pending = 0;

  for (guint i = 0; i < 16; i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: Offer %u\nContent-Type: text/html\n\n"
                                               "<p>Get it free at <a href=\"http://10.0.0.%u/x\">our site</a></p>"
                                               "<script>x()</script>" HTML_TEXT HTML_FOOTER, i, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(ObTemplate) t = ob_template_new_from_data (data, -1, NULL, &error);

      g_assert_no_error (error);
      pending++;
      ob_template_linter_lint_async (linter, t, NULL, count_done_cb, &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* outbound-cli lint: the JSON of CLI.md and the exit codes. */
static void
test_cli_lint (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *bad = ob_test_dir_file (dir, "bad.txt");
  g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "templates", "clean-en.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *argv_bad[] = { "lint", bad, "--json", NULL };
  const char *argv_good[] = { "lint", good, "--json", NULL };
  const char *argv_missing[] = { "lint", "/nonexistent/t.txt", NULL };
  JsonObject *root;
  JsonArray *findings;
  gboolean saw_error = FALSE;

  g_assert_true (g_file_set_contents (bad, "Subject: Free samples {{frist_name}}\n\nHello." SIGNATURE, -1, NULL));
  g_assert_cmpint (ob_test_run_cli (argv_bad, NULL, &out, NULL), ==, 1);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "score"));
  findings = json_object_get_array_member (root, "findings");
  g_assert_cmpuint (json_array_get_length (findings), >=, 2);
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);
      const char *members[] = { "rule", "severity", "part", "start", "end", "message", "fix", "replacement" };

      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_true (json_object_has_member (f, members[m]));
      if (g_str_equal (json_object_get_string_member (f, "rule"), "spam-phrase"))
        {
          g_assert_cmpstr (json_object_get_string_member (f, "part"), ==, "subject");
          g_assert_cmpint (json_object_get_int_member (f, "start"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (f, "end"), ==, 12); /* "Free samples" */
        }
      if (g_str_equal (json_object_get_string_member (f, "severity"), "error"))
        saw_error = TRUE;
    }
  g_assert_true (saw_error);

  g_assert_cmpint (ob_test_run_cli (argv_good, NULL, &out2, NULL), ==, 0);
  g_assert_nonnull (strstr (out2, "\"findings\":[]"));

  g_assert_cmpint (ob_test_run_cli (argv_missing, NULL, NULL, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "outbound-cli lint: "));
  g_assert_nonnull (strstr (err, "/nonexistent/t.txt"));
}

/* lint --audience: custom fields and missing values from the contacts. */
static void
test_cli_lint_audience (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "a.db");
  g_autofree char *tpl = ob_test_dir_file (dir, "t.txt");
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (db, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *findings;
  const char *argv_audience[] = { "lint", tpl, "--audience", "--json", "--db", db, NULL };
  const char *argv_plain[] = { "lint", tpl, "--json", NULL };
  guint no_fallback = 0;

  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, first_name, company, custom_json, created_at, updated_at) VALUES "
                                "('a@x.example', 'a@x.example', 'x.example', 'Ana', 'Sur', '{\"Product_Line\": \"radiators\"}', 0, 0),"
                                "('b@y.example', 'b@y.example', 'y.example', 'Bo', NULL, '{\"product_line\": \"pumps\"}', 0, 0);",
                                &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (tpl, "Subject: Hello {{first_name}}\n\nAbout {{company}} and {{product_line}}." SIGNATURE, -1, NULL));

  g_assert_cmpint (ob_test_run_cli (argv_audience, NULL, &out, NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  findings = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);
      const char *rule = json_object_get_string_member (f, "rule");

      g_assert_cmpstr (rule, !=, "merge-field-unknown");
      if (g_str_equal (rule, "merge-field-no-fallback"))
        {
          no_fallback++;
          /* {{company}}: one of the two contacts has none */
          g_assert_cmpstr (json_object_get_string_member (f, "part"), ==, "text");
          g_assert_cmpint (json_object_get_int_member (f, "start"), ==, 6);
        }
    }
  g_assert_cmpuint (no_fallback, ==, 1);

  /* Without the audience, product_line is unknown: an error, exit 1. */
  g_assert_cmpint (ob_test_run_cli (argv_plain, NULL, &out2, NULL), ==, 1);
  g_assert_nonnull (strstr (out2, "merge-field-unknown"));
}

/* The unsubscribe line a fix adds is in the template's language, not the
 * interface's, and applying it clears the finding. */
static void
test_unsubscribe_fix_follows_template_language (void)
{
  static const struct { const char *language; const char *expect; } cases[] = {
    { "de", "abmelden" }, { "zh-CN", "退订" }, { "es", "baja" }, { "fr", "désabonner" },
    { "pt-BR", "descadastrar" }, { "ru", "отписаться" }, { "ar", "إلغاء الاشتراك" },
    { "en", "unsubscribe" }, { "ja", "unsubscribe" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strdup_printf ("Subject: Valves\nLanguage: %s\n\n"
                                               "Hello,\n\nWe make valves.\n\nLi Wei\nHengda Valve Co., Ltd.\n"
                                               "Tel. +86 577 8888 1234\n", cases[i].language);
      g_autoptr(GError) error = NULL;
      g_autoptr(ObTemplate) t = ob_template_new_from_data (data, -1, NULL, &error);
      g_autoptr(ObTemplateLinter) linter = ob_template_linter_new ();
      g_autoptr(GPtrArray) findings = NULL;
      g_autoptr(GPtrArray) after = NULL;
      g_autoptr(GString) fixed = NULL;
      const ObLintFinding *f = NULL;
      const char *body;

      g_assert_no_error (error);
      findings = ob_template_linter_lint (linter, t);
      for (guint j = 0; j < findings->len; j++)
        if (g_str_equal (((ObLintFinding *) findings->pdata[j])->rule, "missing-unsubscribe"))
          f = findings->pdata[j];
      g_assert_nonnull (f);
      g_assert_nonnull (f->replacement);
      g_assert_nonnull (strstr (f->replacement, cases[i].expect));

      body = ob_template_get_body_text (t);
      fixed = g_string_new (NULL);
      g_string_append_len (fixed, body, g_utf8_offset_to_pointer (body, f->start) - body);
      g_string_append (fixed, f->replacement);
      g_string_append (fixed, g_utf8_offset_to_pointer (body, f->end));
      ob_template_set_body_text (t, fixed->str);
      after = ob_template_linter_lint (linter, t);
      for (guint j = 0; j < after->len; j++)
        g_assert_cmpstr (((ObLintFinding *) after->pdata[j])->rule, !=, "missing-unsubscribe");
    }
}

int
main (int   argc,
      char *argv[])
{
  ob_core_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lint/spam-phrase", test_spam_phrase);
  g_test_add_func ("/lint/spam-alternatives", test_spam_alternatives);
  g_test_add_func ("/lint/subject-caps", test_subject_caps);
  g_test_add_func ("/lint/body-caps", test_body_caps);
  g_test_add_func ("/lint/exclamation", test_exclamation);
  g_test_add_func ("/lint/fullwidth-punctuation", test_fullwidth_punctuation);
  g_test_add_func ("/lint/money-symbols", test_money_symbols);
  g_test_add_func ("/lint/subject-length", test_subject_length);
  g_test_add_func ("/lint/subject-empty", test_subject_empty);
  g_test_add_func ("/lint/body-empty", test_body_empty);
  g_test_add_func ("/lint/fake-reply", test_fake_reply);
  g_test_add_func ("/lint/link-count", test_link_count);
  g_test_add_func ("/lint/link-shortener", test_link_shortener);
  g_test_add_func ("/lint/link-mismatch", test_link_mismatch);
  g_test_add_func ("/lint/link-ip", test_link_ip);
  g_test_add_func ("/lint/images", test_images);
  g_test_add_func ("/lint/missing-unsubscribe", test_missing_unsubscribe);
  g_test_add_func ("/lint/missing-sender-identity", test_missing_sender_identity);
  g_test_add_func ("/lint/merge-fields", test_merge_fields);
  g_test_add_func ("/lint/merge-field-no-fallback-audience", test_no_fallback_audience);
  g_test_add_func ("/lint/fallback-language", test_fallback_language);
  g_test_add_func ("/lint/attachments", test_attachments);
  g_test_add_func ("/lint/html-invalid", test_html_invalid);
  g_test_add_func ("/lint/html-hidden-text", test_html_hidden_text);
  g_test_add_func ("/lint/html-script", test_html_script);
  g_test_add_func ("/lint/message-size", test_message_size);
  g_test_add_func ("/lint/clean-templates", test_clean_templates);
  g_test_add_func ("/lint/score", test_score);
  g_test_add_func ("/lint/one-click-fixes", test_one_click_fixes);
  g_test_add_func ("/lint/async", test_lint_async);
  g_test_add_func ("/lint/async-parallel", test_lint_async_parallel);
  g_test_add_func ("/lint/cli", test_cli_lint);
  g_test_add_func ("/lint/cli-audience", test_cli_lint_audience);

  g_test_add_func ("/lint/unsubscribe-fix-language", test_unsubscribe_fix_follows_template_language);

  return g_test_run ();
}
