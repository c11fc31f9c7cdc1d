/* test-mail-parsers.c — the SMTP reply and IMAP response parsers, the
 * dot-stuffer and small helpers of core/mail.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-imap-response.h"
#include "ob-mail.h"
#include "ob-smtp-client.h"
#include "ob-smtp-reply.h"

static ObSmtpReply *
parse_reply (const char *text,
             GError    **error)
{
  return ob_smtp_reply_parse (text, strlen (text), error);
}

static void
test_smtp_reply_single (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSmtpReply) r = parse_reply ("550 5.1.1 <x@example.com>: Recipient address rejected: User unknown\r\n", &error);
  g_autofree char *s = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (r->code, ==, 550);
  g_assert_cmpstr (r->enhanced, ==, "5.1.1");
  g_assert_cmpstr (r->text, ==, "<x@example.com>: Recipient address rejected: User unknown");
  g_assert_true (ob_smtp_reply_is_permanent (r));
  g_assert_false (ob_smtp_reply_is_transient (r));
  s = ob_smtp_reply_to_string (r);
  g_assert_cmpstr (s, ==, "550 5.1.1 <x@example.com>: Recipient address rejected: User unknown");
}

static void
test_smtp_reply_multiline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSmtpReply) r =
    parse_reply ("452-4.2.2 The email account that you tried to reach is over quota.\r\n"
                 "452-4.2.2 Please direct the recipient to\r\n"
                 "452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp x1si\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (r->code, ==, 452);
  g_assert_cmpstr (r->enhanced, ==, "4.2.2");
  g_assert_cmpuint (g_strv_length (r->lines), ==, 3);
  g_assert_cmpstr (r->text, ==, "The email account that you tried to reach is over quota.\n"
                                "Please direct the recipient to\n"
                                " https://support.google.com/mail/?p=OverQuotaTemp x1si");
  g_assert_true (ob_smtp_reply_is_transient (r));
}

static void
test_smtp_reply_no_enhanced (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSmtpReply) a = parse_reply ("250 OK\n", &error);
  g_autoptr(ObSmtpReply) b = parse_reply ("220", &error);
  /* A class that disagrees with the code is not an enhanced status. */
  g_autoptr(ObSmtpReply) c = parse_reply ("550 2.1.5 odd\r\n", &error);
  g_autoptr(ObSmtpReply) d = parse_reply ("421 4.3.2.1 Try later\r\n", &error);

  g_assert_no_error (error);
  g_assert_null (a->enhanced);
  g_assert_cmpstr (a->text, ==, "OK");
  g_assert_cmpuint (b->code, ==, 220);
  g_assert_cmpstr (b->text, ==, "");
  g_assert_null (c->enhanced);
  g_assert_cmpstr (c->text, ==, "2.1.5 odd");
  g_assert_null (d->enhanced);
}

static void
test_smtp_reply_malformed (void)
{
  const char *bad[] = {
    "",                             /* nothing */
    "25 OK\r\n",                    /* two digits */
    "abc OK\r\n",
    "650 nope\r\n",                 /* no such class */
    "250xOK\r\n",                   /* fourth character */
    "250-first\r\n251 second\r\n",  /* codes differ */
    "250-first\r\n",                /* never ends */
    "250 one\r\n250 two\r\n",       /* text after the end */
    "250 a\0b\r\n",
  };
  gsize lens[G_N_ELEMENTS (bad)];

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    lens[i] = strlen (bad[i]);
  lens[G_N_ELEMENTS (bad) - 1] = 9;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ObSmtpReply) r = ob_smtp_reply_parse (bad[i], lens[i], &error);

      g_assert_null (r);
      g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL);
    }
}

static void
test_smtp_reply_parser_incremental (void)
{
  g_autoptr(ObSmtpReplyParser) parser = ob_smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  ObSmtpReply *r = NULL;

  g_assert_true (ob_smtp_reply_parser_feed (parser, "250-mx.example.com Hello", &r, &error));
  g_assert_null (r);
  g_assert_true (ob_smtp_reply_parser_feed (parser, "250-PIPELINING", &r, &error));
  g_assert_null (r);
  g_assert_true (ob_smtp_reply_parser_feed (parser, "250 SIZE 1000", &r, &error));
  g_assert_nonnull (r);
  g_assert_cmpuint (g_strv_length (r->lines), ==, 3);
  ob_smtp_reply_free (r);
  /* The parser is ready for the next reply. */
  g_assert_true (ob_smtp_reply_parser_feed (parser, "354 go ahead", &r, &error));
  g_assert_cmpuint (r->code, ==, 354);
  ob_smtp_reply_free (r);
}

static void
test_smtp_ehlo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSmtpReply) r =
    parse_reply ("250-smtp.example.com at your service\r\n"
                 "250-SIZE 35882577\r\n"
                 "250-8BITMIME\r\n"
                 "250-AUTH LOGIN PLAIN XOAUTH2\r\n"
                 "250-AUTH=LOGIN PLAIN\r\n"
                 "250-enhancedstatuscodes\r\n"
                 "250-PIPELINING\r\n"
                 "250 SMTPUTF8\r\n", &error);
  g_autoptr(GHashTable) caps = NULL;

  g_assert_no_error (error);
  caps = ob_smtp_reply_parse_ehlo (r);
  g_assert_cmpuint (g_hash_table_size (caps), ==, 6);
  g_assert_cmpstr (g_hash_table_lookup (caps, "SIZE"), ==, "35882577");
  g_assert_cmpstr (g_hash_table_lookup (caps, "AUTH"), ==, "LOGIN PLAIN XOAUTH2");
  g_assert_cmpstr (g_hash_table_lookup (caps, "8BITMIME"), ==, "");
  g_assert_true (g_hash_table_contains (caps, "ENHANCEDSTATUSCODES"));
  g_assert_false (g_hash_table_contains (caps, "STARTTLS"));
}

static void
test_dot_stuff (void)
{
  const char *in = ".start\nmiddle\r\n..two\r.\nend";
  g_autoptr(GBytes) bytes = g_bytes_new (in, strlen (in));
  g_autoptr(GBytes) out = ob_smtp_dot_stuff (bytes);
  const char *expected = "..start\r\nmiddle\r\n...two\r\n..\r\nend\r\n.\r\n";

  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), expected, strlen (expected));
}

static void
test_host_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;
  const char *bad[] = { "", "smtp.example.com", "smtp.example.com:", "smtp.example.com:0",
                        "smtp.example.com:70000", ":25", "a b:25", "x:25x", "[::1]25", NULL };

  g_assert_true (ob_mail_parse_host_port ("smtp.qiye.163.com:465", &host, &port, &error));
  g_assert_cmpstr (host, ==, "smtp.qiye.163.com");
  g_assert_cmpuint (port, ==, 465);
  g_clear_pointer (&host, g_free);
  g_assert_true (ob_mail_parse_host_port ("[::1]:587", &host, &port, &error));
  g_assert_cmpstr (host, ==, "::1");
  g_assert_cmpuint (port, ==, 587);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *h = NULL;

      g_assert_false (ob_mail_parse_host_port (bad[i], &h, &port, &error));
      g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
      g_clear_error (&error);
    }
}

/* IMAP */

static ObImapResponse *
parse_imap (const char *text,
            GError    **error)
{
  return ob_imap_response_parse (text, strlen (text), error);
}

static void
test_imap_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImapResponse) greeting =
    parse_imap ("* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n", &error);
  g_autoptr(ObImapResponse) tagged = parse_imap ("A0003 NO [AUTHENTICATIONFAILED] Authentication failed.", &error);
  g_autoptr(ObImapResponse) cont = parse_imap ("+ ", &error);
  g_autoptr(ObImapResponse) ro = parse_imap ("a1 ok [READ-ONLY] Examine completed (0.001 + 0.000 secs).\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpint (greeting->kind, ==, OB_IMAP_RESPONSE_UNTAGGED);
  g_assert_true (greeting->is_status);
  g_assert_cmpstr (greeting->name, ==, "OK");
  g_assert_true (g_str_has_prefix (greeting->code, "CAPABILITY IMAP4rev1 "));
  g_assert_cmpstr (greeting->text, ==, "Dovecot ready.");

  g_assert_cmpint (tagged->kind, ==, OB_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (tagged->tag, ==, "A0003");
  g_assert_cmpstr (tagged->name, ==, "NO");
  g_assert_cmpstr (tagged->code, ==, "AUTHENTICATIONFAILED");

  g_assert_cmpint (cont->kind, ==, OB_IMAP_RESPONSE_CONTINUATION);
  g_assert_cmpstr (ro->name, ==, "OK");
  g_assert_cmpstr (ro->code, ==, "READ-ONLY");
}

static void
test_imap_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImapResponse) a = parse_imap ("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n", &error);
  g_autoptr(ObImapResponse) b = parse_imap ("* LIST (\\Noselect) NIL \"&XfJT0ZAB- \\\"x\\\"\"", &error);
  g_autoptr(ObImapResponse) c = parse_imap ("* LIST () \".\" {11}\r\nfolder name", &error);
  const ObImapValue *attrs;

  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "LIST");
  g_assert_cmpuint (a->args->len, ==, 3);
  attrs = a->args->pdata[0];
  g_assert_cmpint (attrs->type, ==, OB_IMAP_VALUE_LIST);
  g_assert_cmpuint (attrs->items->len, ==, 2);
  g_assert_true (ob_imap_value_is_atom (attrs->items->pdata[1], "\\Sent"));
  g_assert_cmpstr (ob_imap_value_get_string (a->args->pdata[1]), ==, "/");
  g_assert_cmpstr (ob_imap_value_get_string (a->args->pdata[2]), ==, "Sent");

  g_assert_cmpint (((ObImapValue *) b->args->pdata[1])->type, ==, OB_IMAP_VALUE_NIL);
  g_assert_cmpstr (ob_imap_value_get_string (b->args->pdata[2]), ==, "&XfJT0ZAB- \"x\"");

  g_assert_cmpuint (((ObImapValue *) c->args->pdata[0])->items->len, ==, 0);
  g_assert_cmpstr (ob_imap_value_get_string (c->args->pdata[2]), ==, "folder name");
}

static void
test_imap_fetch_literals (void)
{
  const char raw[] =
    "* 12 FETCH (UID 4827 FLAGS (\\Answered $Forwarded) "
    "BODY[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO)] {39}\r\n"
    "Message-ID: <a@b>\r\nIn-Reply-To: <c>\r\n\r\n"
    " BODY[] {10}\r\nA\0B\r\n(x)\r\n"
    " ENVELOPE (NIL \"s\" ((\"n\" NIL \"u\" \"d\")) NIL))\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImapResponse) r = ob_imap_response_parse (raw, sizeof raw - 1, &error);
  const ObImapValue *list, *v, *env;

  g_assert_no_error (error);
  g_assert_true (r->has_number);
  g_assert_cmpuint (r->number, ==, 12);
  g_assert_cmpstr (r->name, ==, "FETCH");
  g_assert_cmpuint (r->args->len, ==, 1);
  list = r->args->pdata[0];
  g_assert_cmpuint (list->items->len, ==, 10);

  g_assert_cmpstr (ob_imap_value_get_string (ob_imap_value_lookup (list, "uid")), ==, "4827");
  v = ob_imap_value_lookup (list, "FLAGS");
  g_assert_cmpuint (v->items->len, ==, 2);
  v = ob_imap_value_lookup (list, "BODY[HEADER");
  g_assert_nonnull (v);
  g_assert_cmpuint (v->len, ==, 39);
  g_assert_true (g_str_has_prefix (v->data, "Message-ID: <a@b>\r\n"));
  v = ob_imap_value_lookup (list, "BODY[]");
  g_assert_cmpint (v->type, ==, OB_IMAP_VALUE_STRING);
  g_assert_cmpmem (v->data, v->len, "A\0B\r\n(x)\r\n", 10);

  /* Nesting: ENVELOPE (NIL "s" (("n" NIL "u" "d")) NIL) */
  env = ob_imap_value_lookup (list, "ENVELOPE");
  g_assert_cmpuint (env->items->len, ==, 4);
  g_assert_cmpint (((ObImapValue *) env->items->pdata[0])->type, ==, OB_IMAP_VALUE_NIL);
  v = env->items->pdata[2];
  g_assert_cmpint (v->type, ==, OB_IMAP_VALUE_LIST);
  v = v->items->pdata[0];
  g_assert_cmpuint (v->items->len, ==, 4);
  g_assert_cmpstr (ob_imap_value_get_string (v->items->pdata[3]), ==, "d");
}

static void
test_imap_search_and_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObImapResponse) s = parse_imap ("* SEARCH 2 84 882\r\n", &error);
  g_autoptr(ObImapResponse) e = parse_imap ("* 172 EXISTS", &error);
  g_autoptr(ObImapResponse) empty = parse_imap ("* SEARCH\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (s->args->len, ==, 3);
  g_assert_cmpstr (ob_imap_value_get_string (s->args->pdata[2]), ==, "882");
  g_assert_true (e->has_number);
  g_assert_cmpuint (e->number, ==, 172);
  g_assert_cmpstr (e->name, ==, "EXISTS");
  g_assert_cmpuint (empty->args->len, ==, 0);
}

static void
test_imap_malformed (void)
{
  const char *bad[] = {
    "",
    "* LIST (\\Sent \"/\" Sent",          /* unclosed list */
    "* LIST () \"/ Sent",                  /* unclosed string */
    "* 1 FETCH (BODY[] {100}\r\nshort)",  /* literal longer than the data */
    "* 1 FETCH (BODY[] {}\r\n)",
    "* 1 FETCH (BODY[HEADER x)",           /* unclosed section */
    "* 99999999999 EXISTS",
    "A1 FETCH (x)",                        /* tagged data */
    "* OK [CAPABILITY IMAP4rev1 unclosed",
    "* SEARCH )",
    "*",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ObImapResponse) r = parse_imap (bad[i], &error);

      if (r != NULL)
        g_error ("parsed: %s", bad[i]);
      g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL);
    }

  /* Deep nesting is refused, not a stack overflow. */
  {
    g_autoptr(GString) deep = g_string_new ("* X ");
    g_autoptr(GError) error = NULL;
    g_autoptr(ObImapResponse) r = NULL;

    for (int i = 0; i < 10000; i++)
      g_string_append_c (deep, '(');
    r = parse_imap (deep->str, &error);
    g_assert_null (r);
    g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_PROTOCOL);
  }
}

static void
test_imap_literal_size (void)
{
  gsize n = 0;

  g_assert_true (ob_imap_line_literal_size ("* 1 FETCH (BODY[] {1234}", &n));
  g_assert_cmpuint (n, ==, 1234);
  g_assert_true (ob_imap_line_literal_size ("A1 LOGIN {5+}", &n));
  g_assert_cmpuint (n, ==, 5);
  g_assert_false (ob_imap_line_literal_size ("* OK {x}", &n));
  g_assert_false (ob_imap_line_literal_size ("}", &n));
  g_assert_false (ob_imap_line_literal_size ("* OK done", &n));
  g_assert_false (ob_imap_line_literal_size ("{99999999999999999}", &n));
}

static void
test_imap_quote (void)
{
  g_autofree char *a = ob_imap_quote_string ("Sent Items");
  g_autofree char *b = ob_imap_quote_string ("p\"a\\ss");
  g_autofree char *c = ob_imap_quote_string ("line\r\nbreak");
  g_autofree char *d = ob_imap_quote_string ("已发送");

  g_assert_cmpstr (a, ==, "\"Sent Items\"");
  g_assert_cmpstr (b, ==, "\"p\\\"a\\\\ss\"");
  g_assert_null (c);
  g_assert_null (d);
}

static void
test_imap_mailbox_names (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "INBOX", "INBOX" },
    { "&XfJT0ZAB-", "已发送" },
    { "&V4NXPpCuTvY-", "垃圾邮件" },
    { "Sent &- Received", "Sent & Received" },
    { "~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/台北/日本語" },
    { "&AGEAYgBj-", NULL },   /* ASCII that needed no shift */
    { "&XfJT0ZAB", NULL },    /* unterminated */
    { "&XfJ-", NULL },        /* odd bytes */
    { "&Xf!T0-", NULL },      /* not base64 */
    { "&2D3eAA-", "\xf0\x9f\x98\x80" }, /* a surrogate pair */
    { "&2D0-", NULL },        /* a lone surrogate */
    { "Bounces&AAo-", NULL }, /* a line feed, shifted */
    { "&AIU-", NULL },        /* a C1 control, U+0085 */
    { "&AH8-", NULL },        /* DEL */
    { "caf\xc3\xa9", NULL }, /* raw 8-bit */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ob_imap_mailbox_name_to_utf8 (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* UTF-8 → modified UTF-7: RFC 3501's own example, '&', surrogate pairs,
 * runs that end and start again, and what no server name may hold. */
static void
test_imap_mailbox_names_encode (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "INBOX", "INBOX" },
    { "", "" },
    { "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
    { "&", "&-" },
    { "A&B", "A&-B" },
    { "R&D Bounces", "R&-D Bounces" },
    { "&&", "&-&-" },
    { "退信", "&kABP4Q-" },
    { "已发送", "&XfJT0ZAB-" },
    { "垃圾邮件", "&V4NXPpCuTvY-" },
    { "\xf0\x9f\x98\x80", "&2D3eAA-" },                 /* U+1F600: a surrogate pair */
    { "a\xf0\x9f\x98\x80" "b\xe2\x82\xac", "a&2D3eAA-b&IKw-" }, /* 😀 then € */
    { "Re: 退信 & 投诉/2026", "Re: &kABP4Q- &- &YpWLyQ-/2026" },
    { "caf\xc3\xa9-cr\xc3\xa8me", "caf&AOk--cr&AOg-me" }, /* a '-' right after a run */
    { "-退-", "-&kAA--" },
    { "信息/退信", "&T+Fgbw-/&kABP4Q-" },                 /* '+' in the alphabet */
    { "&kABP4Q-", "&-kABP4Q-" },  /* 退信 as another client shows it: typed as seen, encoded again */
    { "&kA1P4Q-", "&-kA1P4Q-" },
    { "caf\xc3", NULL },          /* cut UTF-8 */
    { "\xff", NULL },
    { "a\tb", NULL },             /* control characters: C0, DEL, C1 */
    { "a\nb", NULL },
    { "a\x7f", NULL },
    { "a\xc2\x85", NULL },
    { "\xed\xa0\x80", NULL },     /* a surrogate written as UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ob_imap_mailbox_name_from_utf8 (cases[i].in);
      g_autofree char *back = NULL;

      g_assert_cmpstr (out, ==, cases[i].out);
      if (out == NULL)
        continue;
      back = ob_imap_mailbox_name_to_utf8 (out);
      g_assert_cmpstr (back, ==, cases[i].in);
    }
}

/* A character for a random folder name: mostly printable ASCII (with
 * '&', '-', ',', '+' and '/' often), Latin, CJK, other BMP letters and
 * characters above U+FFFF. */
static gunichar
random_char (GRand *rand)
{
  static const char specials[] = "&-,+/ .";

  switch (g_rand_int_range (rand, 0, 7))
    {
    case 0:
      return (gunichar) specials[g_rand_int_range (rand, 0, sizeof specials - 1)];
    case 1:
    case 2:
      return (gunichar) g_rand_int_range (rand, 0x20, 0x7f);
    case 3:
      return (gunichar) g_rand_int_range (rand, 0xa0, 0x250);
    case 4:
      return (gunichar) g_rand_int_range (rand, 0x4e00, 0xa000);
    case 5:
      {
        /* Anywhere in the BMP above the C1 controls, but no surrogate. */
        gunichar c;

        do
          c = (gunichar) g_rand_int_range (rand, 0xa0, 0x10000);
        while (c >= 0xd800 && c < 0xe000);
        return c;
      }
    default:
      return (gunichar) g_rand_int_range (rand, 0x10000, 0x110000);
    }
}

static void
test_imap_mailbox_names_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3501);
  guint shifted = 0, pairs = 0;

  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 1, 16);
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;
      g_autofree char *again = NULL;
      g_autofree char *quoted = NULL;

      for (guint k = 0; k < len; k++)
        g_string_append_unichar (name, random_char (rand));

      encoded = ob_imap_mailbox_name_from_utf8 (name->str);
      if (encoded == NULL)
        g_error ("“%s” was not encoded", name->str);
      /* What goes to the server is printable ASCII, quotable as is. */
      for (const char *c = encoded; *c; c++)
        g_assert_true (*c >= 0x20 && *c < 0x7f);
      quoted = ob_imap_quote_string (encoded);
      g_assert_nonnull (quoted);
      decoded = ob_imap_mailbox_name_to_utf8 (encoded);
      if (g_strcmp0 (decoded, name->str) != 0)
        g_error ("“%s” → “%s” → “%s”", name->str, encoded, decoded ? decoded : "(NULL)");
      /* The server's spelling, decoded and encoded again, is the same. */
      again = ob_imap_mailbox_name_from_utf8 (decoded);
      g_assert_cmpstr (again, ==, encoded);

      if (g_utf8_strlen (name->str, -1) != (glong) name->len)
        shifted++;
      for (const char *c = name->str; *c; c = g_utf8_next_char (c))
        if (g_utf8_get_char (c) > 0xffff)
          {
            pairs++;
            break;
          }

      /* A control character anywhere spoils the whole name. */
      {
        static const char *controls[] = { "\t", "\r", "\n", "\x01", "\x7f", "\xc2\x80", "\xc2\x9f" };
        gsize at = (gsize) (g_utf8_offset_to_pointer (name->str, g_rand_int_range (rand, 0, len + 1)) - name->str);
        g_autofree char *spoilt = NULL;

        g_string_insert (name, (gssize) at, controls[g_rand_int_range (rand, 0, G_N_ELEMENTS (controls))]);
        spoilt = ob_imap_mailbox_name_from_utf8 (name->str);
        g_assert_null (spoilt);
      }
    }
  g_test_message ("5000 random names: %u with characters outside ASCII, %u of them above U+FFFF",
                  shifted, pairs);
  g_assert_cmpuint (shifted, >, 2500);
  g_assert_cmpuint (pairs, >, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/smtp-reply/single", test_smtp_reply_single);
  g_test_add_func ("/mail/smtp-reply/multiline", test_smtp_reply_multiline);
  g_test_add_func ("/mail/smtp-reply/no-enhanced", test_smtp_reply_no_enhanced);
  g_test_add_func ("/mail/smtp-reply/malformed", test_smtp_reply_malformed);
  g_test_add_func ("/mail/smtp-reply/incremental", test_smtp_reply_parser_incremental);
  g_test_add_func ("/mail/smtp-reply/ehlo", test_smtp_ehlo);
  g_test_add_func ("/mail/smtp/dot-stuff", test_dot_stuff);
  g_test_add_func ("/mail/host-port", test_host_port);
  g_test_add_func ("/mail/imap/status", test_imap_status);
  g_test_add_func ("/mail/imap/list", test_imap_list);
  g_test_add_func ("/mail/imap/fetch-literals", test_imap_fetch_literals);
  g_test_add_func ("/mail/imap/search-and-data", test_imap_search_and_data);
  g_test_add_func ("/mail/imap/malformed", test_imap_malformed);
  g_test_add_func ("/mail/imap/literal-size", test_imap_literal_size);
  g_test_add_func ("/mail/imap/quote", test_imap_quote);
  g_test_add_func ("/mail/imap/mailbox-names", test_imap_mailbox_names);
  g_test_add_func ("/mail/imap/mailbox-names-encode", test_imap_mailbox_names_encode);
  g_test_add_func ("/mail/imap/mailbox-names-round-trip", test_imap_mailbox_names_round_trip);

  return g_test_run ();
}
