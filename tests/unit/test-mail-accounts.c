/* test-mail-accounts.c — provider presets and detection, autoconfig
 * parsing, accounts in the store, the dry-run sender.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-account.h"
#include "ob-autoconfig.h"
#include "ob-dns-providers.h"
#include "ob-imap-client.h"
#include "ob-mail-sender.h"
#include "ob-provider.h"
#include "ob-test-util.h"

static void
test_provider_by_email (void)
{
  struct { const char *email; const char *id; } cases[] = {
    { "li.wei@qq.com", "qq" },
    { "sales@163.com", "netease" },
    { "x@YEAH.NET", "netease" },
    { "a@gmail.com", "google" },
    { "b@hotmail.com", "outlook" },
    { "c@zohomail.com", "zoho" },
    { "d@company.example", NULL },
    { "nodomain", NULL },
    { "e@qq.com.evil.example", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ObProvider *p = ob_provider_detect_by_email (cases[i].email);

      g_assert_cmpstr (p ? p->id : NULL, ==, cases[i].id);
    }
}

static void
test_provider_by_mx (void)
{
  struct { const char *mx[3]; const char *id; } cases[] = {
    { { "mxw.qiye.163.com", "mx.qiye.163.com" }, "netease-enterprise" },
    { { "MXHZ.QIYE.ALIYUN.COM." }, "alibaba-enterprise" },
    { { "mxbiz1.qq.com", "mxbiz2.qq.com" }, "tencent-exmail" },
    { { "aspmx.l.google.com" }, "google" },
    { { "contoso-com.mail.protection.outlook.com" }, "microsoft365" },
    { { "outlook-com.olc.protection.outlook.com" }, "outlook" },
    { { "mx.zoho.eu" }, "zoho" },
    { { "mx.example.net", "mx2.qiye.163.com" }, "netease-enterprise" },
    { { "notqiye.163.com" }, NULL },
    { { "mail.example.com" }, NULL },
    { { NULL }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ObProvider *p = ob_provider_detect_by_mx (cases[i].mx);

      g_assert_cmpstr (p ? p->id : NULL, ==, cases[i].id);
    }
}

/* Set equality of two lists; NULL and empty both say "none known". */
static gboolean
same_set (const char * const *a,
          const char * const *b)
{
  guint na = a ? g_strv_length ((char **) a) : 0;
  guint nb = b ? g_strv_length ((char **) b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

/* The mail presets (hosts to send through) and the domain check's table
 * (what SPF and DKIM should show for a sending host) are two floors apart
 * and kept by hand: they must name each provider alike and agree on its
 * SPF includes and DKIM selectors, or `account list` and `dns check` call
 * one provider two names and a fix lands in one table only. */
static void
test_provider_tables_agree (void)
{
  guint n = 0;
  const ObProvider *all = ob_provider_get_all (&n);

  g_assert_cmpuint (n, >=, 10);
  for (guint i = 0; i < n; i++)
    {
      const ObProvider *p = &all[i];
      const ObProviderServer *servers[] = { &p->smtp, &p->smtp_alt };
      /* A host made of the address's domain is tried with each of the
       * provider's domains; without any, it is a company's own host,
       * which no table knows. */
      const char * const example[] = { "example.com", NULL };
      const char * const *domains = p->domains && p->domains[0] ? p->domains : example;
      guint checked = 0;

      for (guint s = 0; s < G_N_ELEMENTS (servers); s++)
        for (guint d = 0; servers[s]->host != NULL && domains[d] != NULL; d++)
          {
            g_autofree char *email = g_strconcat ("x@", domains[d], NULL);
            g_autofree char *host = ob_provider_expand_host (servers[s], email);
            const ObDnsProvider *dns;

            if (strstr (servers[s]->host, "{domain}") != NULL && domains == example)
              continue;
            dns = ob_dns_provider_for_smtp_host (host);
            g_test_message ("%s: %s", p->id, host);
            g_assert_nonnull (dns);
            g_assert_cmpstr (dns->id, ==, p->id);
            g_assert_true (same_set (dns->spf_includes, p->spf_includes));
            g_assert_true (same_set (dns->dkim_selectors, p->dkim_selectors));
            checked++;
          }
      g_assert_cmpuint (checked, >, 0);
    }
}

static void
test_provider_table (void)
{
  guint n = 0;
  const ObProvider *all = ob_provider_get_all (&n);
  const ObProvider *netease = ob_provider_find ("netease");
  const ObProvider *ent = ob_provider_find ("netease-enterprise");
  g_autofree char *host = ob_provider_expand_host (&netease->smtp, "x@126.com");
  g_auto(GStrv) advice = ob_provider_dup_advice (ob_provider_find ("qq"));
  g_auto(GStrv) outlook = ob_provider_dup_advice (ob_provider_find ("outlook"));
  gboolean has_code = FALSE;

  g_assert_cmpuint (n, ==, 10);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (all[i].id);
      g_assert_nonnull (all[i].smtp.host);
      g_assert_cmpuint (all[i].smtp.port, >, 0);
      g_assert_nonnull (all[i].imap.host);
      g_assert_cmpuint (all[i].daily_limit, >, 0);
    }
  g_assert_cmpstr (host, ==, "smtp.126.com");
  g_assert_true (ent->quirks & OB_PROVIDER_QUIRK_IMAP_ID);
  g_assert_cmpstr (ent->spf_includes[0], ==, "spf.qiye.163.com");
  g_assert_cmpstr (ent->spf_includes[1], ==, "spf.163.com");
  g_assert_true (ob_provider_find ("google")->saves_sent);
  g_assert_true (ob_provider_find ("microsoft365")->saves_sent);
  g_assert_false (ob_provider_find ("qq")->saves_sent);
  g_assert_cmpuint (ob_provider_find ("microsoft365")->smtp.security, ==, OB_MAIL_SECURITY_STARTTLS);
  g_assert_cmpstr (ob_provider_find ("microsoft365")->dkim_selectors[1], ==, "selector2");
  g_assert_null (ob_provider_find ("nope"));

  for (guint i = 0; advice[i] != NULL; i++)
    if (strstr (advice[i], "授权码") != NULL)
      has_code = TRUE;
  g_assert_true (has_code);
  g_assert_nonnull (strstr (outlook[0], "OAuth"));
}

static const char AUTOCONFIG[] =
  "<?xml version=\"1.0\"?>\n"
  "<clientConfig version=\"1.1\">\n"
  " <emailProvider id=\"example.com\">\n"
  "  <domain>example.com</domain>\n"
  "  <displayName>Example Mail</displayName>\n"
  "  <incomingServer type=\"pop3\"><hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType></incomingServer>\n"
  "  <incomingServer type=\"imap\"><hostname>imap.example.com</hostname><port>143</port><socketType>plain</socketType></incomingServer>\n"
  "  <incomingServer type=\"imap\"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>\n"
  "   <username>%EMAILLOCALPART%</username></incomingServer>\n"
  "  <outgoingServer type=\"smtp\"><hostname>smtp.example.com</hostname><port>587</port><socketType>STARTTLS</socketType>\n"
  "   <username>%EMAILLOCALPART%</username></outgoingServer>\n"
  " </emailProvider>\n"
  "</clientConfig>\n";

static void
test_autoconfig_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAutoconfig) c = ob_autoconfig_parse (AUTOCONFIG, strlen (AUTOCONFIG), "anna@example.com", &error);
  const char *plain_only =
    "<clientConfig><emailProvider id=\"x\"><outgoingServer type=\"smtp\"><hostname>smtp.x</hostname>"
    "<port>25</port><socketType>plain</socketType></outgoingServer></emailProvider></clientConfig>";
  const char *bad[] = {
    "not xml",
    "<clientConfig/>",
    "<other><emailProvider/></other>",
    "<clientConfig><emailProvider><outgoingServer type=\"smtp\"><hostname>a b</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>",
    "<clientConfig><emailProvider><outgoingServer type=\"smtp\"><hostname>s</hostname><port>99999</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>",
    /* An entity bomb is not expanded. */
    "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><clientConfig><emailProvider><displayName>&c;</displayName>"
    "</emailProvider></clientConfig>",
  };

  g_assert_no_error (error);
  g_assert_cmpstr (c->provider_name, ==, "Example Mail");
  g_assert_cmpstr (c->smtp_host, ==, "smtp.example.com");
  g_assert_cmpuint (c->smtp_port, ==, 587);
  g_assert_cmpint (c->smtp_security, ==, OB_MAIL_SECURITY_STARTTLS);
  /* The plain IMAP server was skipped for the TLS one. */
  g_assert_cmpstr (c->imap_host, ==, "imap.example.com");
  g_assert_cmpuint (c->imap_port, ==, 993);
  g_assert_cmpint (c->imap_security, ==, OB_MAIL_SECURITY_TLS);
  g_assert_cmpstr (c->username, ==, "anna");

  g_assert_null (ob_autoconfig_parse (plain_only, strlen (plain_only), "a@x", &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ObAutoconfig) none = ob_autoconfig_parse (bad[i], strlen (bad[i]), "a@x", &error);

      g_assert_null (none);
      g_assert_nonnull (error);
      g_assert_true (error->domain == OB_MAIL_ERROR);
      g_clear_error (&error);
    }
}

static void
test_account_store (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *path = ob_test_dir_file (dir, "a.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (path, &error);
  g_autoptr(ObAccount) qq = ob_account_new_from_preset ("li.wei@qq.com", NULL);
  g_autoptr(ObAccount) manual = ob_account_new ("sales@company.example");
  g_autoptr(ObAccount) dup = ob_account_new_from_preset ("LI.WEI@qq.com", NULL);
  g_autoptr(ObAccount) bad = ob_account_new ("not-an-address");
  g_autoptr(ObAccount) got = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 id1, id2;

  g_assert_no_error (error);
  g_assert_cmpstr (ob_account_get_provider (qq), ==, "qq");
  g_assert_cmpstr (ob_account_get_smtp_host (qq), ==, "smtp.qq.com");
  g_assert_cmpuint (ob_account_get_smtp_port (qq), ==, 465);
  g_assert_cmpuint (ob_account_get_daily_limit (qq), ==, 500);
  g_assert_cmpstr (ob_account_get_username (qq), ==, "li.wei@qq.com");
  g_assert_null (ob_account_new_from_preset ("x@company.example", NULL));

  id1 = ob_account_store_add (store, qq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id1, >, 0);
  g_assert_cmpint (ob_account_get_id (qq), ==, id1);

  /* Same address in other case: refused, nothing added. */
  g_assert_cmpint (ob_account_store_add (store, dup, &error), ==, 0);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (ob_account_store_add (store, bad, &error), ==, 0);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
  g_clear_error (&error);
  /* No SMTP server: refused. */
  g_assert_cmpint (ob_account_store_add (store, manual, &error), ==, 0);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
  g_clear_error (&error);

  ob_account_set_smtp (manual, "mail.company.example", 587, OB_MAIL_SECURITY_STARTTLS);
  ob_account_set_imap (manual, NULL, 0, OB_MAIL_SECURITY_TLS);
  ob_account_set_display_name (manual, "Wang Fang");
  ob_account_set_username (manual, "wang");
  ob_account_set_ca_file (manual, "/etc/company-ca.pem");
  ob_account_set_daily_limit (manual, 80);
  ob_account_set_reply_to (manual, "reply@company.example");
  ob_account_set_signature (manual, "Wang Fang\nExport manager");
  id2 = ob_account_store_add (store, manual, &error);
  g_assert_no_error (error);

  got = ob_account_store_get (store, id2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_account_get_email (got), ==, "sales@company.example");
  g_assert_cmpstr (ob_account_get_display_name (got), ==, "Wang Fang");
  g_assert_cmpstr (ob_account_get_username (got), ==, "wang");
  g_assert_null (ob_account_get_provider (got));
  g_assert_cmpstr (ob_account_get_smtp_host (got), ==, "mail.company.example");
  g_assert_cmpuint (ob_account_get_smtp_port (got), ==, 587);
  g_assert_cmpint (ob_account_get_smtp_security (got), ==, OB_MAIL_SECURITY_STARTTLS);
  g_assert_null (ob_account_get_imap_host (got));
  g_assert_cmpstr (ob_account_get_ca_file (got), ==, "/etc/company-ca.pem");
  g_assert_cmpuint (ob_account_get_daily_limit (got), ==, 80);
  g_assert_cmpstr (ob_account_get_reply_to (got), ==, "reply@company.example");
  g_assert_cmpstr (ob_account_get_signature (got), ==, "Wang Fang\nExport manager");
  g_assert_cmpint (ob_account_get_created_at (got), >, 0);

  ob_account_set_daily_limit (got, 120);
  g_assert_true (ob_account_store_update (store, got, &error));
  g_clear_object (&got);
  got = ob_account_store_get (store, id2, &error);
  g_assert_cmpuint (ob_account_get_daily_limit (got), ==, 120);

  all = ob_account_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpint (ob_account_get_id (all->pdata[0]), ==, id1);

  g_assert_true (ob_account_store_delete (store, id1, &error));
  g_assert_false (ob_account_store_delete (store, id1, &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (ob_account_store_get (store, id1, &error));
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
}

static void
test_dry_run_sender (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *out = ob_test_dir_file (dir, "outbox");
  g_autoptr(ObAccount) account = ob_account_new ("demo@example.com");
  g_autoptr(ObMailSender) sender = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: Demo\r\n\r\nHello\r\n", 25);
  const char *rcpts[] = { "anna@example.org", "ben@example.net", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  ob_account_set_dry_run_dir (account, out);
  g_assert_true (ob_account_is_dry_run (account));
  sender = ob_mail_sender_new (account, NULL);

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ObSmtpSendResult) res = NULL;

      ob_mail_sender_send_async (sender, rcpts, message, NULL, ob_test_keep_result_cb, &result);
      res = ob_mail_sender_send_finish (sender, ob_test_wait_result (&result), &error);
      g_assert_no_error (error);
      g_assert_true (res->accepted);
      g_assert_cmpuint (res->recipients->len, ==, 2);
      g_assert_cmpuint (ob_smtp_send_result_get_final_reply (res, 1)->code, ==, 250);
    }

  g_assert_true (g_str_has_prefix (ob_mail_sender_get_last_file (sender), out));
  g_assert_true (g_str_has_suffix (ob_mail_sender_get_last_file (sender), ".eml"));
  g_assert_true (g_file_get_contents (ob_mail_sender_get_last_file (sender), &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "X-Outbound-Dry-Run: from <demo@example.com> to anna@example.org, ben@example.net\r\n"
                                 "Subject: Demo\r\n\r\nHello\r\n");
  {
    GDir *d = g_dir_open (out, 0, &error);
    guint n = 0;

    g_assert_no_error (error);
    while (g_dir_read_name (d) != NULL)
      n++;
    g_dir_close (d);
    g_assert_cmpuint (n, ==, 2);
  }
}

static void
test_find_special (void)
{
  g_autoptr(GPtrArray) boxes = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_imap_mailbox_free);
  const char *specs[][3] = {
    { "INBOX", NULL, NULL },
    { "Sent", NULL, NULL },              /* a name match, used only as a fallback */
    { "&XfJT0ZAB-", "\\Sent", NULL },    /* 已发送, marked \Sent */
    { "&V4NXPpCuTvY-", "\\HasNoChildren", "\\Junk" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      ObImapMailbox *mb = g_new0 (ObImapMailbox, 1);
      g_autoptr(GPtrArray) attrs = g_ptr_array_new ();

      mb->name = g_strdup (specs[i][0]);
      mb->delimiter = '/';
      for (int j = 1; j < 3; j++)
        if (specs[i][j] != NULL)
          g_ptr_array_add (attrs, g_strdup (specs[i][j]));
      g_ptr_array_add (attrs, NULL);
      mb->attributes = (GStrv) g_ptr_array_free (g_steal_pointer (&attrs), FALSE);
      g_ptr_array_add (boxes, mb);
    }

  g_assert_cmpstr (ob_imap_mailboxes_find_special (boxes, "\\Sent")->name, ==, "&XfJT0ZAB-");
  g_assert_cmpstr (ob_imap_mailboxes_find_special (boxes, "\\Junk")->name, ==, "&V4NXPpCuTvY-");
  g_assert_null (ob_imap_mailboxes_find_special (boxes, "\\Drafts"));
  g_ptr_array_remove_index (boxes, 2);
  g_assert_cmpstr (ob_imap_mailboxes_find_special (boxes, "\\Sent")->name, ==, "Sent");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/provider/by-email", test_provider_by_email);
  g_test_add_func ("/mail/provider/by-mx", test_provider_by_mx);
  g_test_add_func ("/mail/provider/table", test_provider_table);
  g_test_add_func ("/mail/provider/tables-agree", test_provider_tables_agree);
  g_test_add_func ("/mail/autoconfig/parse", test_autoconfig_parse);
  g_test_add_func ("/mail/account/store", test_account_store);
  g_test_add_func ("/mail/sender/dry-run", test_dry_run_sender);
  g_test_add_func ("/mail/imap/find-special", test_find_special);

  return g_test_run ();
}
