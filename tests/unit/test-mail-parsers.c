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

  return g_test_run ();
}
