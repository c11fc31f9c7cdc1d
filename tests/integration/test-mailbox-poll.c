/* test-mailbox-poll.c — outbound-cli mailbox poll against the harness's
 * Dovecot: a campaign goes out through aiosmtpd, then INBOX and Junk fill
 * with what comes back — bounces (corpus and Chinese-provider mails
 * rewritten to our Message-IDs), a complaint, replies, unsubscribe
 * requests in three languages, an auto-reply and ordinary mail. One poll
 * must change exactly the right contacts and nothing in the mailbox; with
 * --move-bounces-to, only the bounce mails it handled move, to a folder
 * named in any language. Also: a busy database, a failed commit.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-mailbox-poll"

#include "config.h"

#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <utime.h>

#include "ob-bounces.h"
#include "ob-imap-client.h"
#include "ob-imap-response.h"
#include "ob-send-engine.h"
#include "ob-sending-service.h"
#include "ob-store.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

#define START "2027-03-02T00:00:00Z"

static const char * const contacts[] = {
  "kijitora@neko-shop.jp",         /* hard bounce (Postfix DSN from the corpus) */
  "buyer.zhang@qq.com",            /* hard bounce (QQ Mail, in Junk) */
  "purchasing@trading-house.com",  /* soft bounce (Tencent Exmail: mailbox full) */
  "abuse-desk@kanagawa-school.jp", /* complaint (ARF from the corpus, in Junk) */
  "anna@firma-a.de",               /* replies to our mail */
  "bob@acme-b.com",                /* writes from his address, new thread */
  "carla@empresa-c.es",            /* "dame de baja" */
  "wang@gongsi-d.cn",              /* 退订 */
  "pierre@societe-e.fr",           /* mail to the List-Unsubscribe address */
  "zhang.wei@buyer-co.com",        /* out of office */
  "quiet@firma-f.de",              /* nothing comes back */
};

static char *
cli (int                 expected,
     const char         *stdin_text,
     const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = ob_test_run_cli (argv, stdin_text, &out, &err);

  if (status != expected)
    g_error ("outbound-cli %s %s exited %d (expected %d): %s", argv[0], argv[1], status, expected, err);
  return g_steal_pointer (&out);
}

static char *
query_text (const char *db,
            const char *sql,
            const char *arg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (db, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = ob_store_prepare (store, sql, &error);
  g_assert_no_error (error);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
query_int (const char *db,
           const char *sql,
           const char *arg)
{
  g_autofree char *text = query_text (db, sql, arg);

  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* The first column of the first row of @sql is @expected (NULL: none). */
#define assert_query_text(db, sql, arg, expected) \
  G_STMT_START { \
    g_autofree char *text_ = query_text ((db), (sql), (arg)); \
    g_assert_cmpstr (text_, ==, (expected)); \
  } G_STMT_END

static char *
message_id_of (const char *db,
               const char *email)
{
  char *id = query_text (db, "SELECT q.message_id FROM queue q JOIN contacts c ON c.id = q.contact_id "
                             "JOIN campaign_steps s ON s.id = q.step_id "
                             "WHERE c.email = ?1 AND s.position = 1 AND q.state = 'sent'", email);

  g_assert_nonnull (id);
  return id;
}

/* @path's text with each (from, to) pair replaced. */
static char *
rewrite (const char *path,
         ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  va_list args;
  const char *from;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  va_start (args, path);
  while ((from = va_arg (args, const char *)) != NULL)
    {
      const char *to = va_arg (args, const char *);
      g_auto(GStrv) parts = g_strsplit (text, from, -1);

      g_assert_cmpuint (g_strv_length (parts), >, 1); /* the rewrite must hit */
      g_free (text);
      text = g_strjoinv (to, parts);
    }
  va_end (args);
  return g_steal_pointer (&text);
}

static void
deliver (ObTestImapServer *imap,
         const char       *folder,
         const char       *text)
{
  g_autoptr(GError) error = NULL;

  ob_test_imap_server_deliver (imap, folder, text, strlen (text), &error);
  g_assert_no_error (error);
}

/* ---- the mailbox as a client sees it --------------------------------- */

static void
got_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* "FOLDER exists=N; uid:flags; …" for @folders (\Recent left out: it
 * belongs to a session, not to the message). */
static ObImapClient *
logged_in_client (ObTestImapServer *imap)
{
  g_autoptr(ObImapClient) client = ob_imap_client_new ("127.0.0.1", ob_test_imap_server_get_port (imap),
                                                       OB_MAIL_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  ob_imap_client_set_ca_file (client, ob_test_ca_pem ());
  ob_imap_client_connect_async (client, NULL, got_cb, &res);
  g_assert_true (ob_imap_client_connect_finish (client, wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  ob_imap_client_login_async (client, OB_IMAP_AUTH_AUTO, "testuser", "testpass", NULL, got_cb, &res);
  g_assert_true (ob_imap_client_login_finish (client, wait_for (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  return g_steal_pointer (&client);
}

static char *
snapshot_folders (ObTestImapServer   *imap,
                  const char * const *folders)
{
  g_autoptr(ObImapClient) client = logged_in_client (imap);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GAsyncResult *res = NULL;

  for (guint f = 0; folders[f] != NULL; f++)
    {
      ObImapMailboxStatus status = { 0 };
      g_autoptr(GPtrArray) messages = NULL;

      ob_imap_client_select_async (client, folders[f], TRUE, NULL, got_cb, &res);
      g_assert_true (ob_imap_client_select_finish (client, wait_for (&res), &status, &error));
      g_assert_no_error (error);
      g_clear_object (&res);
      g_string_append_printf (out, "%s exists=%u;", folders[f], status.exists);
      if (status.exists == 0)
        continue;
      ob_imap_client_uid_fetch_async (client, "1:*", "FLAGS", NULL, got_cb, &res);
      messages = ob_imap_client_uid_fetch_finish (client, wait_for (&res), &error);
      g_assert_no_error (error);
      g_clear_object (&res);
      for (guint i = 0; i < messages->len; i++)
        {
          ObImapMessage *m = g_ptr_array_index (messages, i);

          g_string_append_printf (out, " %u:", m->uid);
          for (guint k = 0; m->flags != NULL && m->flags[k] != NULL; k++)
            if (g_ascii_strcasecmp (m->flags[k], "\\Recent") != 0)
              g_string_append_printf (out, "%s,", m->flags[k]);
          g_string_append_c (out, ';');
        }
    }
  ob_imap_client_close (client);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
snapshot (ObTestImapServer *imap)
{
  return snapshot_folders (imap, (const char * const []) { "INBOX", "Junk", NULL });
}

/* Moves the delivered mail with @message_id from new/ to cur/ with the
 * maildir flags F (flagged) and S (seen), as a mail client would. */
static void
mark_read_and_flagged (ObTestImapServer *imap,
                       const char       *message_id)
{
  g_autofree char *new_dir = g_build_filename (ob_test_imap_server_get_maildir (imap), "new", NULL);
  g_autoptr(GDir) dir = g_dir_open (new_dir, 0, NULL);
  const char *name;
  gboolean moved = FALSE;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (new_dir, name, NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, message_id) != NULL)
        {
          g_autofree char *target_name = g_strconcat (name, ":2,FS", NULL);
          g_autofree char *target = g_build_filename (ob_test_imap_server_get_maildir (imap), "cur",
                                                      target_name, NULL);

          g_assert_cmpint (g_rename (path, target), ==, 0);
          moved = TRUE;
          break;
        }
    }
  g_assert_true (moved);
}

/* Dates the delivered mail with @message_id back to 2020 (the maildir
 * file's time is its IMAP INTERNALDATE): old history. */
static void
make_old (ObTestImapServer *imap,
          const char       *message_id)
{
  g_autofree char *new_dir = g_build_filename (ob_test_imap_server_get_maildir (imap), "new", NULL);
  g_autoptr(GDir) dir = g_dir_open (new_dir, 0, NULL);
  const char *name;
  gboolean done = FALSE;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (new_dir, name, NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, message_id) != NULL)
        {
          struct utimbuf times = { 1577836800, 1577836800 };

          g_assert_cmpint (g_utime (path, &times), ==, 0);
          done = TRUE;
        }
    }
  g_assert_true (done);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static guint
followups_to (ObTestSmtpServer *smtp,
              const char       *email)
{
  g_autoptr(GPtrArray) messages = ob_test_smtp_server_get_messages (smtp);
  g_autofree char *rcpt = g_strdup_printf ("X-Harness-Rcpt-To: %s\r\n", email);
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    {
      const char *m = g_ptr_array_index (messages, i);

      if (strstr (m, rcpt) != NULL && strstr (m, "\nSubject: Re: ") != NULL)
        n++;
    }
  return n;
}

/* The contacts of @csv_text, a first mail (and, with @followup, a
 * follow-up after 3 days) to all of them from sales@sender.test through
 * @smtp, the account reading @imap: the campaign, started. Returns its
 * ID. */
static char *
start_campaign (ObTestDir         *dir,
                const char        *db,
                ObTestSmtpServer  *smtp,
                ObTestImapServer  *imap,
                const char        *csv_text,
                gboolean           followup)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = ob_test_dir_file (dir, "contacts.csv");
  g_autofree char *t1 = ob_test_dir_file (dir, "first.txt");
  g_autofree char *t2 = ob_test_dir_file (dir, "followup.txt");
  g_autofree char *smtp_server = g_strdup_printf ("127.0.0.1:%u", ob_test_smtp_server_get_port (smtp));
  g_autofree char *imap_server = g_strdup_printf ("127.0.0.1:%u", ob_test_imap_server_get_port (imap));
  char *campaign;

  g_file_set_contents (csv, csv_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (t1, "Subject: LED panels\n\nDear {{first_name}},\n\nour quotation.\n", -1, &error);
  g_assert_no_error (error);
  g_free (cli (0, NULL, (const char *[]) { "contacts", "import", csv, "--db", db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "template", "add", t1, "--db", db, NULL }));
  if (followup)
    {
      g_file_set_contents (t2, "Subject: Re: LED panels\n\nDear {{first_name}},\n\nany thoughts?\n", -1, &error);
      g_assert_no_error (error);
      g_free (cli (0, NULL, (const char *[]) { "template", "add", t2, "--db", db, NULL }));
    }
  g_free (cli (0, "testpass\n", (const char *[]) {
    "account", "add", "--db", db, "--email", "sales@sender.test", "--username", "testuser",
    "--smtp", smtp_server, "--smtp-security", "starttls", "--imap", imap_server, "--imap-security", "starttls",
    "--ca-file", ob_test_ca_pem (), "--password-stdin", NULL }));
  {
    const char *create[] = {
      "campaign", "create", "--db", db, "--name", "LED", "--account", "1", "--all", "--template", "1",
      "--start", START, "--window", "Mon-Sun 08:00-18:00", "--no-holidays", "--interval", "1-2",
      "--daily-cap", "100", "--domain-hourly-cap", "100", "--no-warmup",
      followup ? "--followup" : NULL, "3:2", NULL };

    campaign = cli (0, NULL, create);
  }
  g_strstrip (campaign);
  g_free (cli (0, NULL, (const char *[]) { "campaign", "start", campaign, "--db", db, NULL }));
  return campaign;
}

/* What every pass needs: the keyring (before any libsecret call), the
 * SMTP server the campaign sends through and the IMAP server it reads. */
static void
start_servers (ObTestKeyring    **keyring,
               ObTestSmtpServer **smtp,
               ObTestImapServer **imap)
{
  g_autoptr(GError) error = NULL;

  *keyring = ob_test_keyring_start (&error);
  g_assert_no_error (error);
  *smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, NULL, &error);
  g_assert_no_error (error);
  *imap = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
}

/* start_campaign() without a follow-up, and its first mail sent to
 * everyone on the first (virtual) day. Returns the campaign's ID. */
static char *
send_first_mails (ObTestDir        *dir,
                  const char       *db,
                  ObTestSmtpServer *smtp,
                  ObTestImapServer *imap,
                  const char       *csv_text)
{
  char *campaign = start_campaign (dir, db, smtp, imap, csv_text, FALSE);

  g_free (cli (0, NULL, (const char *[]) { "campaign", "run", "--db", db, "--clock", "virtual:" START,
                                           "--until", "2027-03-03T00:00:00Z", NULL }));
  return campaign;
}

static void
test_poll (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = NULL;
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestImapServer) imap = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *campaign = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GString) list = g_string_new ("email,first_name,country\n");
  g_autoptr(JsonObject) result = NULL;

  start_servers (&keyring, &smtp, &imap);

  /* The campaign: the first mail to everyone. */
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    g_string_append_printf (list, "%s,C%u,%s\n", contacts[i], i, "DE");
  campaign = start_campaign (dir, db, smtp, imap, list->str, TRUE);
  /* The account keeps its sent mail in Sent, like a mail client. */
  deliver (imap, "Sent", "From: sales@sender.test\r\nTo: old@customer.example\r\nSubject: An older mail\r\n"
                         "Message-ID: <old-sent@sender.test>\r\n\r\nHello\r\n");
  g_free (cli (0, NULL, (const char *[]) { "campaign", "run", "--db", db, "--clock", "virtual:" START,
                                           "--until", "2027-03-03T00:00:00Z", NULL }));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM queue WHERE state = 'sent'", NULL), ==,
                   G_N_ELEMENTS (contacts));
  /* Each sent message has its copy in Sent, found by its Message-ID. */
  {
    g_autofree char *sent_new = g_build_filename (ob_test_imap_server_get_maildir (imap), ".Sent", "new", NULL);
    g_autofree char *sent_cur = g_build_filename (ob_test_imap_server_get_maildir (imap), ".Sent", "cur", NULL);
    guint copies = 0;

    for (guint d = 0; d < 2; d++)
      {
        g_autoptr(GDir) folder = g_dir_open (d == 0 ? sent_new : sent_cur, 0, NULL);
        const char *name;

        while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
          {
            g_autofree char *path = g_build_filename (d == 0 ? sent_new : sent_cur, name, NULL);
            g_autofree char *text = NULL;

            if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, "Subject: LED panels") != NULL)
              copies++;
          }
      }
    g_test_message ("%u copies in Sent", copies);
    g_assert_cmpuint (copies, ==, G_N_ELEMENTS (contacts));
    for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
      {
        g_autofree char *id = message_id_of (db, contacts[i]);
        g_autofree char *needle = g_strdup_printf ("<%s>", id);
        gboolean found = FALSE;

        for (guint d = 0; d < 2 && !found; d++)
          {
            g_autoptr(GDir) folder = g_dir_open (d == 0 ? sent_new : sent_cur, 0, NULL);
            const char *name;

            while (folder != NULL && !found && (name = g_dir_read_name (folder)) != NULL)
              {
                g_autofree char *path = g_build_filename (d == 0 ? sent_new : sent_cur, name, NULL);
                g_autofree char *text = NULL;

                found = g_file_get_contents (path, &text, NULL, NULL) && strstr (text, needle) != NULL;
              }
          }
        g_assert_true (found);
      }
  }

  /* What comes back. */
  {
    g_autofree char *postfix = ob_test_shared_file ("corpora", "bounces", "eml", "lhost-postfix-04.eml", NULL);
    g_autofree char *arf = ob_test_shared_file ("corpora", "bounces", "eml", "arf-01.eml", NULL);
    g_autofree char *qq = g_build_filename (ob_test_source_root (), "tests", "data", "bounces",
                                            "qq-mailbox-not-found.eml", NULL);
    g_autofree char *exmail = g_build_filename (ob_test_source_root (), "tests", "data", "bounces",
                                                "exmail-mailbox-full.eml", NULL);
    g_autofree char *ooo = g_build_filename (ob_test_source_root (), "tests", "data", "bounces",
                                             "auto-reply-zh.eml", NULL);
    g_autofree char *id_kijitora = message_id_of (db, "kijitora@neko-shop.jp");
    g_autofree char *id_zhang = message_id_of (db, "buyer.zhang@qq.com");
    g_autofree char *id_purchasing = message_id_of (db, "purchasing@trading-house.com");
    g_autofree char *id_abuse = message_id_of (db, "abuse-desk@kanagawa-school.jp");
    g_autofree char *id_anna = message_id_of (db, "anna@firma-a.de");
    g_autofree char *id_carla = message_id_of (db, "carla@empresa-c.es");
    g_autofree char *id_wang = message_id_of (db, "wang@gongsi-d.cn");
    g_autofree char *id_zhangwei = message_id_of (db, "zhang.wei@buyer-co.com");
    g_autofree char *arf_subject = NULL;
    g_autofree char *m = NULL;

    m = rewrite (postfix, "kijitora@example.co.jp", "kijitora@neko-shop.jp",
                 "A8F82EDD-E518-4F5C-8C70-BC4EFF24AB9F@example.ne.jp", id_kijitora, NULL);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    m = rewrite (qq, "20260302101400.4711@mail.example.cn", id_zhang, NULL);
    deliver (imap, "Junk", m);
    g_clear_pointer (&m, g_free);
    m = rewrite (exmail, "purchasing@example-trading.com", "purchasing@trading-house.com",
                 "exmail-0304-991@mail.example.cn", id_purchasing, NULL);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    arf_subject = g_strdup_printf ("Subject: Kijitora cat family\nMessage-ID: <%s>", id_abuse);
    m = rewrite (arf, "redacted@example.net", "abuse-desk@kanagawa-school.jp",
                 "Subject: Kijitora cat family", arf_subject, NULL);
    deliver (imap, "Junk", m);
    g_clear_pointer (&m, g_free);
    m = rewrite (ooo, "zhang.wei@example-buyer.com", "zhang.wei@buyer-co.com",
                 "quote-0310@mail.example.cn", id_zhangwei, NULL);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);

    m = g_strdup_printf ("From: Anna <anna@firma-a.de>\r\nTo: sales@sender.test\r\n"
                         "Subject: Re: LED panels\r\nMessage-ID: <r1@firma-a.de>\r\nIn-Reply-To: <%s>\r\n"
                         "References: <%s>\r\nDate: Wed, 03 Mar 2027 10:00:00 +0100\r\n\r\n"
                         "Thanks, please send prices for 500 pieces.\r\n", id_anna, id_anna);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    deliver (imap, "INBOX",
             "From: Bob <bob@acme-b.com>\r\nTo: sales@sender.test\r\nSubject: Question about your panels\r\n"
             "Message-ID: <r2@acme-b.com>\r\nDate: Wed, 03 Mar 2027 11:00:00 -0500\r\n\r\n"
             "Do you ship to Ohio?\r\n");
    m = g_strdup_printf ("From: Carla <carla@empresa-c.es>\r\nTo: sales@sender.test\r\n"
                         "Subject: Re: LED panels\r\nMessage-ID: <r3@empresa-c.es>\r\nIn-Reply-To: <%s>\r\n"
                         "Date: Wed, 03 Mar 2027 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                         "Por favor, dame de baja.\r\n", id_carla);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    m = g_strdup_printf ("From: =?UTF-8?B?546L?= <wang@gongsi-d.cn>\r\nTo: sales@sender.test\r\n"
                         "Subject: =?UTF-8?B?5Zue5aSNOiBMRUQgcGFuZWxz?=\r\nMessage-ID: <r4@gongsi-d.cn>\r\n"
                         "In-Reply-To: <%s>\r\nDate: Wed, 03 Mar 2027 17:00:00 +0800\r\nMIME-Version: 1.0\r\n"
                         "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                         "退订\r\n", id_wang);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    /* What a mail client sends for List-Unsubscribe: <mailto:…?subject=unsubscribe>. */
    deliver (imap, "INBOX",
             "From: Pierre <pierre@societe-e.fr>\r\nTo: sales@sender.test\r\nSubject: unsubscribe\r\n"
             "Message-ID: <r5@societe-e.fr>\r\nDate: Wed, 03 Mar 2027 10:00:00 +0100\r\n\r\n\r\n");
    deliver (imap, "INBOX",
             "From: Newsletter <news@vendor-news.com>\r\nTo: sales@sender.test\r\nSubject: Our spring offers\r\n"
             "Message-ID: <n1@vendor-news.com>\r\nDate: Wed, 03 Mar 2027 07:00:00 +0000\r\n\r\n"
             "Twenty percent off all cables.\r\n");
  }

  /* A mail the user already read and flagged: its flags must stay. */
  deliver (imap, "INBOX",
           "From: Colleague <boss@sender.test>\r\nTo: sales@sender.test\r\nSubject: Trade fair stand\r\n"
           "Message-ID: <n2@sender.test>\r\nDate: Wed, 03 Mar 2027 08:00:00 +0000\r\n\r\nHall 4.\r\n");
  mark_read_and_flagged (imap, "n2@sender.test");
  /* Years-old mail from a contact is history, not an answer to this campaign. */
  deliver (imap, "INBOX",
           "From: Quiet <quiet@firma-f.de>\r\nTo: sales@sender.test\r\nSubject: Re: Catalogue 2019\r\n"
           "Message-ID: <old1@firma-f.de>\r\nDate: Thu, 02 Jan 2020 10:00:00 +0100\r\n\r\nThanks.\r\n");
  make_old (imap, "old1@firma-f.de");

  before = snapshot (imap);
  g_test_message ("mailbox before: %s", before);

  out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json", NULL });
  g_test_message ("poll: %s", out);
  result = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (result, "scanned"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (result, "bounces"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (result, "complaints"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "replies"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (result, "unsubscribes"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (result, "auto_replies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "other"), ==, 2);

  /* Nothing in the mailbox changed: same messages, same flags. */
  after = snapshot (imap);
  g_assert_cmpstr (after, ==, before);
  g_assert_nonnull (strstr (before, "INBOX exists=11;"));
  g_assert_nonnull (strstr (before, "Junk exists=2;"));
  g_assert_nonnull (strstr (before, "\\Flagged,\\Seen,"));

  /* The right contacts changed, and only they. */
  assert_query_text (db, "SELECT reason FROM suppressions WHERE value = ?1", "kijitora@neko-shop.jp", "hard-bounce");
  assert_query_text (db, "SELECT reason FROM suppressions WHERE value = ?1", "buyer.zhang@qq.com", "hard-bounce");
  assert_query_text (db, "SELECT reason FROM suppressions WHERE value = ?1",
                               "abuse-desk@kanagawa-school.jp", "complaint");
  for (guint i = 0; i < 3; i++)
    {
      const char *who[] = { "carla@empresa-c.es", "wang@gongsi-d.cn", "pierre@societe-e.fr" };

      assert_query_text (db, "SELECT reason FROM suppressions WHERE value = ?1", who[i], "unsubscribed");
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
                                      "WHERE c.email = ?1 AND e.kind = 'unsubscribed'", who[i]), ==, 1);
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM suppressions", NULL), ==, 6);
  /* Those who asked to unsubscribe are told apart from bounces and complaints. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts WHERE status = 'suppressed'", NULL), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts WHERE status = 'unsubscribed'", NULL), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts WHERE status = 'active'", NULL), ==, 5);
  g_assert_cmpint (query_int (db, "SELECT soft_bounce_count FROM contacts WHERE email = ?1",
                              "purchasing@trading-house.com"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
                                  "WHERE c.email = ?1 AND e.kind = 'replied'", "anna@firma-a.de"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
                                  "WHERE c.email = ?1 AND e.kind = 'replied'", "bob@acme-b.com"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts WHERE replied_at IS NOT NULL", NULL), ==, 5);
  assert_query_text (db, "SELECT replied_at FROM contacts WHERE email = ?1", "zhang.wei@buyer-co.com", NULL);
  assert_query_text (db, "SELECT replied_at FROM contacts WHERE email = ?1", "quiet@firma-f.de", NULL);

  /* Evidence: every mail that changed something is kept, linked to its
   * event, and a bounce's event keeps the rule that fired in its data. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evidence v JOIN events e ON e.id = v.event_id", NULL), ==, 9);
  {
    g_autofree char *detail = query_text (db, "SELECT e.detail FROM events e JOIN contacts c ON c.id = e.contact_id "
                                              "WHERE c.email = ?1 AND e.kind = 'hard_bounce'", "buyer.zhang@qq.com");
    g_autofree char *raw = query_text (db, "SELECT v.raw FROM evidence v JOIN events e ON e.id = v.event_id "
                                           "JOIN contacts c ON c.id = e.contact_id WHERE c.email = ?1",
                                       "buyer.zhang@qq.com");

    g_test_message ("QQ bounce: %s", detail);
    g_autofree char *rule = query_text (db, "SELECT json_extract (e.data, '$.rule') FROM events e "
                                            "JOIN contacts c ON c.id = e.contact_id "
                                            "WHERE c.email = ?1 AND e.kind = 'hard_bounce'", "buyer.zhang@qq.com");

    g_assert_nonnull (detail);
    /* Plain words for the user; the rule for a developer, in the data. */
    g_assert_nonnull (strstr (detail, "Found in the mailbox"));
    g_assert_null (strstr (detail, "rule"));
    g_test_message ("QQ bounce rule: %s", rule);
    g_assert_nonnull (rule);
    g_assert_cmpstr (rule, !=, "-");
    g_assert_nonnull (raw);
    g_assert_nonnull (strstr (raw, "MAILER-DAEMON@qq.com"));
  }

  /* A second pass reads only what is new: nothing. */
  g_free (out);
  out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json", NULL });
  g_clear_pointer (&result, json_object_unref);
  result = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (result, "scanned"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT imap_last_uid FROM accounts WHERE id = 1", NULL), ==, 11);

  /* A new UIDVALIDITY (the server rebuilt its index) reads everything
   * again, but what was handled is not handled twice. */
  {
    g_autoptr(ObStore) store = ob_store_open (db, &error);
    gint64 events = query_int (db, "SELECT count(*) FROM events", NULL);

    g_assert_no_error (error);
    ob_store_exec (store, "UPDATE accounts SET imap_uidvalidity = 1", &error);
    g_assert_no_error (error);
    g_free (out);
    out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json", NULL });
    g_clear_pointer (&result, json_object_unref);
    result = parse_object (out);
    g_assert_cmpint (json_object_get_int_member (result, "scanned"), ==, 10);
    g_assert_cmpint (json_object_get_int_member (result, "seen_before"), ==, 7);
    g_assert_cmpint (json_object_get_int_member (result, "bounces"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (result, "replies"), ==, 0);
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM events", NULL), ==, events);
  }

  /* The loop closes: the follow-ups go only to those who did not answer,
   * bounce, complain or unsubscribe. */
  g_free (cli (0, NULL, (const char *[]) { "campaign", "run", "--db", db, "--clock", "virtual:2027-03-03T00:00:00Z",
                                           "--until", "2027-03-12T00:00:00Z", NULL }));
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      gboolean expect = g_str_equal (contacts[i], "quiet@firma-f.de") ||
                        g_str_equal (contacts[i], "zhang.wei@buyer-co.com") ||
                        g_str_equal (contacts[i], "purchasing@trading-house.com");

      g_test_message ("follow-ups to %s: %u", contacts[i], followups_to (smtp, contacts[i]));
      g_assert_cmpuint (followups_to (smtp, contacts[i]), ==, expect ? 1 : 0);
    }

  /* The user overrides an unsubscribe, with a reason; it is logged. */
  g_free (cli (0, NULL, (const char *[]) { "suppress", "remove", "pierre@societe-e.fr", "--reason",
                                           "Pierre called: he wants the catalogue after all", "--db", db, NULL }));
  assert_query_text (db, "SELECT status FROM contacts WHERE email = ?1", "pierre@societe-e.fr", "active");
  assert_query_text (db, "SELECT note FROM suppression_log WHERE action = 'remove' AND value = ?1",
                               "pierre@societe-e.fr", "Pierre called: he wants the catalogue after all");

  /* Opt-in: the bounce mails already handled go to a folder of their own
   * (made on the way), the rest of the mailbox stays as it was. */
  {
    g_autoptr(ObStore) store = ob_store_open (db, &error);
    g_autofree char *moved = NULL;
    g_autofree char *left = NULL;

    g_assert_no_error (error);
    ob_store_exec (store, "UPDATE accounts SET imap_uidvalidity = 1, settings_json = NULL", &error);
    g_assert_no_error (error);
    g_free (out);
    out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json",
                                           "--move-bounces-to", "Outbound Bounces", NULL });
    g_test_message ("poll with the bounce folder: %s", out);
    g_clear_pointer (&result, json_object_unref);
    result = parse_object (out);
    g_assert_cmpint (json_object_get_int_member (result, "moved"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (result, "move_failed"), ==, 0);
    moved = snapshot_folders (imap, (const char * const []) { "Outbound Bounces", NULL });
    g_test_message ("bounce folder: %s", moved);
    g_assert_nonnull (strstr (moved, "Outbound Bounces exists=3;"));
    left = snapshot (imap);
    g_test_message ("mailbox after: %s", left);
    g_assert_nonnull (strstr (left, "INBOX exists=9;"));
    g_assert_nonnull (strstr (left, "Junk exists=1;"));
    g_assert_nonnull (strstr (left, "\\Flagged,\\Seen,"));

    /* Nothing new: nothing more is moved. */
    g_free (out);
    out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json",
                                           "--move-bounces-to", "Outbound Bounces", NULL });
    g_clear_pointer (&result, json_object_unref);
    result = parse_object (out);
    g_assert_cmpint (json_object_get_int_member (result, "moved"), ==, 0);
  }
}

static gboolean
poll_with_service (ObSendingService     *service,
                   ObMailboxPollResult  *out,
                   gint64               *took,
                   GError              **error)
{
  GAsyncResult *res = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  ob_sending_service_poll_account_async (service, 1, NULL, got_cb, &res);
  ok = ob_sending_service_poll_account_finish (service, wait_for (&res), out, error);
  *took = g_get_monotonic_time () - start;
  g_object_unref (res);
  return ok;
}

/* The app's pass (on the main thread) while a worker's import or bulk
 * delete holds the database: it never waits for the lock, and stops
 * without moving on where the mailbox's reading stopped; the next pass
 * reads the same mails again and handles each exactly once. */
static void
test_poll_busy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = NULL;
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestImapServer) imap = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *campaign = NULL;
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObStore) other = NULL;
  g_autoptr(ObSendingService) service = NULL;
  g_autoptr(ObTestLockAfter) lock = NULL;
  ObMailboxPollResult r = { 0 };
  const char *handled = "SELECT count(*) FROM events WHERE kind IN ('hard_bounce', 'soft_bounce', "
                        "'replied', 'unsubscribed', 'suppressed')";
  gint64 took;

  start_servers (&keyring, &smtp, &imap);

  campaign = send_first_mails (dir, db, smtp, imap,
                               "email,first_name,country\nkijitora@neko-shop.jp,K,DE\nanna@firma-a.de,A,DE\n"
                               "carla@empresa-c.es,C,DE\n");

  /* A hard bounce, a reply, an unsubscribe and ordinary mail, in this order. */
  {
    g_autofree char *postfix = ob_test_shared_file ("corpora", "bounces", "eml", "lhost-postfix-04.eml", NULL);
    g_autofree char *id_kijitora = message_id_of (db, "kijitora@neko-shop.jp");
    g_autofree char *id_anna = message_id_of (db, "anna@firma-a.de");
    g_autofree char *id_carla = message_id_of (db, "carla@empresa-c.es");
    g_autofree char *m = NULL;

    m = rewrite (postfix, "kijitora@example.co.jp", "kijitora@neko-shop.jp",
                 "A8F82EDD-E518-4F5C-8C70-BC4EFF24AB9F@example.ne.jp", id_kijitora, NULL);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    m = g_strdup_printf ("From: Anna <anna@firma-a.de>\r\nTo: sales@sender.test\r\n"
                         "Subject: Re: LED panels\r\nMessage-ID: <r1@firma-a.de>\r\nIn-Reply-To: <%s>\r\n"
                         "Date: Wed, 03 Mar 2027 10:00:00 +0100\r\n\r\nPrices for 500 pieces, please.\r\n",
                         id_anna);
    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    m = g_strdup_printf ("From: Carla <carla@empresa-c.es>\r\nTo: sales@sender.test\r\n"
                         "Subject: Re: LED panels\r\nMessage-ID: <r3@empresa-c.es>\r\nIn-Reply-To: <%s>\r\n"
                         "Date: Wed, 03 Mar 2027 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                         "Por favor, dame de baja.\r\n", id_carla);
    deliver (imap, "INBOX", m);
    deliver (imap, "INBOX",
             "From: Newsletter <news@vendor-news.com>\r\nTo: sales@sender.test\r\nSubject: Spring offers\r\n"
             "Message-ID: <n1@vendor-news.com>\r\nDate: Wed, 03 Mar 2027 07:00:00 +0000\r\n\r\nCables.\r\n");
  }

  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  other = ob_store_open_another (store, &error);
  g_assert_no_error (error);
  service = ob_sending_service_new (store);

  /* Held from the start: the pass ends at once, nothing written, and the
   * place in the mailbox stays. A single wait for the lock would be the
   * whole busy timeout (5 s); the IMAP round trips take a fraction. */
  g_assert_true (ob_store_exec (other, "BEGIN IMMEDIATE", &error));
  g_assert_no_error (error);
  g_assert_false (poll_with_service (service, &r, &took, &error));
  g_test_message ("a pass with the database held: %.2f s (%s)", took / 1e6, error->message);
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpint (took, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (ob_test_query_int (store, handled), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM evidence"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM suppressions"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT coalesce(imap_last_uid, 0) FROM accounts WHERE id = 1"), ==, 0);
  g_assert_true (ob_store_exec (other, "ROLLBACK", &error));
  g_assert_no_error (error);

  /* Taken right after the first mail (the bounce) is handled: it counts,
   * nothing else is written, and the place in the mailbox stays. */
  lock = ob_test_lock_after_commit (store, other, "SELECT count(*) FROM evidence");
  g_assert_false (poll_with_service (service, &r, &took, &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (ob_test_lock_after_held (lock));
  g_assert_cmpint (took, <, 3 * G_USEC_PER_SEC);
  g_clear_pointer (&lock, ob_test_lock_after_free);
  g_assert_cmpint (ob_test_query_int (store, handled), ==, 2); /* the bounce and its suppression */
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM evidence"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind IN ('replied', 'unsubscribed')"),
                   ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT coalesce(imap_last_uid, 0) FROM accounts WHERE id = 1"), ==, 0);

  /* The CLI, with the database still held for a while: nothing waits on
   * it, so it passes again until the lock is gone. The same mails are
   * read, the bounce is not counted twice. */
  {
    const char *cli_path = g_getenv ("OUTBOUND_CLI");
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *o;

    g_assert_nonnull (cli_path);
    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             cli_path, "mailbox", "poll", "1", "--db", db, "--json", NULL);
    g_assert_no_error (error);
    g_usleep (2 * G_USEC_PER_SEC);
    g_assert_true (ob_store_exec (other, "ROLLBACK", &error));
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
      g_error ("mailbox poll with the database held for 2 s: %s", err);
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (o, "scanned"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (o, "seen_before"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "bounces"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "replies"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "unsubscribes"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "other"), ==, 1);
  }
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT bounce_count FROM contacts "
                                             "WHERE email = 'kijitora@neko-shop.jp'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
                                             "WHERE c.email = 'anna@firma-a.de' AND e.kind = 'replied'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events e JOIN contacts c ON c.id = e.contact_id "
                                             "WHERE c.email = 'carla@empresa-c.es' AND e.kind = 'unsubscribed'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM suppressions"), ==, 2);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM evidence"), ==, 3);
  g_assert_cmpint (ob_test_query_int (store, "SELECT imap_last_uid FROM accounts WHERE id = 1"), ==, 4);

  /* And nothing is left for the next pass. */
  g_assert_true (poll_with_service (service, &r, &took, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.scanned, ==, 0);
}

static void
count_signal_cb (ObSendEngine *engine,
                 gint64        campaign_id,
                 const char   *message,
                 gpointer      user_data)
{
  g_test_message ("engine signal: %s", message);
  (*(guint *) user_data)++;
}

/* A mail's transaction that fails at its COMMIT for another reason than
 * a busy database (here a deferred foreign key that a test trigger
 * breaks when the third bounce is kept as evidence; a full disk or an
 * I/O error fails the same COMMIT) after the send engine has already
 * counted the bounce. The engine's memory must follow the database: the
 * domain is not paused, and no warning goes out, until the bounce is
 * really written; the next pass then counts it once, pauses the domain
 * and writes the pause, as an engine started afresh reads it. */
static void
test_poll_commit_fails (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = NULL;
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestImapServer) imap = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *campaign = NULL;
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObSendingService) service = NULL;
  g_autoptr(ObSendingService) restarted = NULL;
  static const char * const who[] = { "kijitora", "tora", "mike" };
  ObSendEngine *engine;
  ObMailboxPollResult r = { 0 };
  guint warnings = 0, paused = 0;
  gint64 took;

  start_servers (&keyring, &smtp, &imap);

  campaign = send_first_mails (dir, db, smtp, imap,
                               "email,first_name,country\nkijitora@neko-shop.jp,K,DE\ntora@neko-shop.jp,T,DE\n"
                               "mike@neko-shop.jp,M,DE\n");

  /* Three hard bounces from the same domain: the third pauses it. */
  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autofree char *postfix = ob_test_shared_file ("corpora", "bounces", "eml", "lhost-postfix-04.eml", NULL);
      g_autofree char *email = g_strdup_printf ("%s@neko-shop.jp", who[i]);
      g_autofree char *sent_id = message_id_of (db, email);
      g_autofree char *own_id = g_strdup_printf ("bounce-%u-of-%s@mx.neko-shop.jp", i + 1, who[i]);
      g_autofree char *m = rewrite (postfix, "kijitora@example.co.jp", email,
                                    "A8F82EDD-E518-4F5C-8C70-BC4EFF24AB9F@example.ne.jp", sent_id,
                                    "20100524100650.7FE851AC10D@mv-osn-hcb007.ocn.ad.jp", own_id, NULL);

      deliver (imap, "INBOX", m);
    }

  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "CREATE TABLE test_parent (id INTEGER PRIMARY KEY);"
                                "CREATE TABLE test_child (parent INTEGER REFERENCES test_parent (id) "
                                "  DEFERRABLE INITIALLY DEFERRED);"
                                "CREATE TRIGGER test_commit_fails AFTER INSERT ON evidence "
                                "  WHEN NEW.message_id LIKE '%bounce-3-of-mike%' "
                                "  BEGIN INSERT INTO test_child VALUES (42); END;",
                                &error));
  g_assert_no_error (error);
  service = ob_sending_service_new (store);
  engine = ob_sending_service_get_engine (service);
  g_signal_connect (engine, "warning", G_CALLBACK (count_signal_cb), &warnings);
  g_signal_connect (engine, "paused", G_CALLBACK (count_signal_cb), &paused);

  /* The first two bounces are written, the third's COMMIT fails. */
  g_assert_false (poll_with_service (service, &r, &took, &error));
  g_test_message ("a pass whose third commit fails: %s", error->message);
  g_assert_error (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_MAILBOX);
  g_assert_nonnull (strstr (error->message, "could not be saved"));
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY constraint failed"));
  g_clear_error (&error);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 2);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM evidence"), ==, 2);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'domain_paused'"), ==, 0);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM suppressions"), ==, 2);
  g_assert_cmpint (ob_test_query_int (store, "SELECT coalesce(imap_last_uid, 0) FROM accounts WHERE id = 1"), ==, 0);
  g_assert_false (ob_send_engine_is_domain_paused (engine, "neko-shop.jp"));
  g_assert_cmpuint (warnings, ==, 0);
  g_assert_cmpuint (paused, ==, 0);

  /* The disk is fine again: the third bounce is read again and counted
   * once, and the domain's pause is in memory and in the database. */
  g_assert_true (ob_store_exec (store, "DROP TRIGGER test_commit_fails", &error));
  g_assert_no_error (error);
  g_assert_true (poll_with_service (service, &r, &took, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.scanned, ==, 3);
  g_assert_cmpuint (r.seen_before, ==, 2);
  g_assert_cmpuint (r.bounces, ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 3);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM evidence"), ==, 3);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'domain_paused' "
                                             "AND reply = 'neko-shop.jp'"), ==, 1);
  g_assert_cmpint (ob_test_query_int (store, "SELECT count(*) FROM suppressions"), ==, 3);
  g_assert_true (ob_send_engine_is_domain_paused (engine, "neko-shop.jp"));
  g_assert_cmpuint (warnings, ==, 1);
  g_assert_cmpuint (paused, ==, 0);

  /* An engine that starts now reads the same from the database. */
  restarted = ob_sending_service_new (store);
  g_assert_true (ob_send_engine_is_domain_paused (ob_sending_service_get_engine (restarted), "neko-shop.jp"));
}

/* The mails in Maildir folder @dir (new/ and cur/) whose text holds
 * @needle. */
static guint
maildir_count (const char *dir,
               const char *needle)
{
  guint n = 0;

  for (guint d = 0; d < 2; d++)
    {
      g_autofree char *sub = g_build_filename (dir, d == 0 ? "new" : "cur", NULL);
      g_autoptr(GDir) folder = g_dir_open (sub, 0, NULL);
      const char *name;

      while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
        {
          g_autofree char *path = g_build_filename (sub, name, NULL);
          g_autofree char *text = NULL;

          if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, needle) != NULL)
            n++;
        }
    }
  return n;
}

/* Every mailbox LIST shows, its name decoded to UTF-8. */
static GStrv
list_decoded (ObTestImapServer *imap)
{
  g_autoptr(ObImapClient) client = logged_in_client (imap);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) boxes = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GAsyncResult *res = NULL;

  ob_imap_client_list_async (client, NULL, got_cb, &res);
  boxes = ob_imap_client_list_finish (client, wait_for (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  for (guint i = 0; i < boxes->len; i++)
    {
      const ObImapMailbox *mb = g_ptr_array_index (boxes, i);
      char *name = ob_imap_mailbox_name_to_utf8 (mb->name);

      g_assert_nonnull (name);
      g_ptr_array_add (names, name);
    }
  g_ptr_array_add (names, NULL);
  ob_imap_client_close (client);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* A bounce folder named in Chinese, or with '&', as the user types it:
 * Dovecot gets the modified UTF-7 spelling (so the folder on disk is
 * ".&kABP4Q-"), the bounce mail lands there and leaves INBOX, and the
 * reply stays. A name that looks encoded already is a name like any
 * other, and one with a control character is refused before anything. */
static void
test_poll_bounce_folder_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = NULL;
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestImapServer) imap = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *campaign = NULL;
  g_autofree char *id_kijitora = NULL;
  g_autofree char *id_zhang = NULL;
  g_autofree char *id_purchasing = NULL;
  g_autofree char *id_anna = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *snap = NULL;
  g_autoptr(JsonObject) result = NULL;
  const char *maildir;
  g_autofree char *tuixin_dir = NULL;
  g_autofree char *rnd_dir = NULL;
  g_autofree char *typed_dir = NULL;

  start_servers (&keyring, &smtp, &imap);
  maildir = ob_test_imap_server_get_maildir (imap);
  /* Dovecot's Maildir++ directories carry the server's spelling. */
  tuixin_dir = g_build_filename (maildir, ".&kABP4Q-", NULL);
  rnd_dir = g_build_filename (maildir, ".R&-D", NULL);
  typed_dir = g_build_filename (maildir, ".&-kABP4Q-", NULL);

  campaign = send_first_mails (dir, db, smtp, imap,
                               "email,first_name,country\nkijitora@neko-shop.jp,K,DE\nbuyer.zhang@qq.com,Z,DE\n"
                               "purchasing@trading-house.com,P,DE\nanna@firma-a.de,A,DE\n");
  id_kijitora = message_id_of (db, "kijitora@neko-shop.jp");
  id_zhang = message_id_of (db, "buyer.zhang@qq.com");
  id_purchasing = message_id_of (db, "purchasing@trading-house.com");
  id_anna = message_id_of (db, "anna@firma-a.de");

  /* A hard bounce and a reply. */
  {
    g_autofree char *postfix = ob_test_shared_file ("corpora", "bounces", "eml", "lhost-postfix-04.eml", NULL);
    g_autofree char *m = rewrite (postfix, "kijitora@example.co.jp", "kijitora@neko-shop.jp",
                                  "A8F82EDD-E518-4F5C-8C70-BC4EFF24AB9F@example.ne.jp", id_kijitora, NULL);

    deliver (imap, "INBOX", m);
    g_clear_pointer (&m, g_free);
    m = g_strdup_printf ("From: Anna <anna@firma-a.de>\r\nTo: sales@sender.test\r\n"
                         "Subject: Re: LED panels\r\nMessage-ID: <r1@firma-a.de>\r\nIn-Reply-To: <%s>\r\n"
                         "Date: Wed, 03 Mar 2027 10:00:00 +0100\r\n\r\nPrices, please.\r\n", id_anna);
    deliver (imap, "INBOX", m);
  }
  g_assert_cmpuint (maildir_count (maildir, id_kijitora), ==, 1);
  g_assert_false (g_file_test (tuixin_dir, G_FILE_TEST_EXISTS));

  /* A control character: refused at once, the mailbox not even read. */
  g_assert_cmpint (ob_test_run_cli ((const char *[]) { "mailbox", "poll", "1", "--db", db, "--json",
                                                       "--move-bounces-to", "退\t信", NULL },
                                    NULL, NULL, &err), ==, 2);
  g_test_message ("a tab in the name: %s", err);
  g_assert_nonnull (strstr (err, "退\t信"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM evidence", NULL), ==, 0);
  g_assert_cmpuint (maildir_count (maildir, id_kijitora), ==, 1);

  /* 退信 ("returned mail"), as a Chinese user names the folder. */
  out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json",
                                         "--move-bounces-to", "退信", NULL });
  g_test_message ("poll into 退信: %s", out);
  result = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (result, "bounces"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "replies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "moved"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "move_failed"), ==, 0);
  g_assert_true (g_file_test (tuixin_dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (maildir_count (tuixin_dir, id_kijitora), ==, 1);
  g_assert_cmpuint (maildir_count (maildir, id_kijitora), ==, 0); /* gone from INBOX */
  g_assert_cmpuint (maildir_count (maildir, "<r1@firma-a.de>"), ==, 1); /* the reply stays */
  names = list_decoded (imap);
  g_assert_true (g_strv_contains ((const char * const *) names, "退信"));
  g_assert_false (g_strv_contains ((const char * const *) names, "&kABP4Q-"));
  snap = snapshot_folders (imap, (const char * const []) { "INBOX", "&kABP4Q-", NULL });
  g_test_message ("after: %s", snap);
  g_assert_nonnull (strstr (snap, "INBOX exists=1;"));
  g_assert_nonnull (strstr (snap, "&kABP4Q- exists=1;"));

  /* The human text says 退信, not its server spelling. */
  g_clear_pointer (&out, g_free);
  out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--move-bounces-to", "退信", NULL });
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "退信"));
  g_assert_null (strstr (out, "&kABP4Q-"));

  /* R&D: a bare '&' is "&-" to the server. */
  {
    g_autofree char *qq = g_build_filename (ob_test_source_root (), "tests", "data", "bounces",
                                            "qq-mailbox-not-found.eml", NULL);
    g_autofree char *m = rewrite (qq, "20260302101400.4711@mail.example.cn", id_zhang, NULL);

    deliver (imap, "INBOX", m);
  }
  g_clear_pointer (&out, g_free);
  out = cli (0, NULL, (const char *[]) { "mailbox", "poll", "1", "--db", db, "--json",
                                         "--move-bounces-to", "R&D", NULL });
  g_test_message ("poll into R&D: %s", out);
  g_clear_pointer (&result, json_object_unref);
  result = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (result, "bounces"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "moved"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "move_failed"), ==, 0);
  g_assert_cmpuint (maildir_count (rnd_dir, id_zhang), ==, 1);
  g_assert_cmpuint (maildir_count (maildir, id_zhang), ==, 0);
  g_assert_cmpuint (maildir_count (tuixin_dir, id_kijitora), ==, 1);

  /* A name copied from another client in its server spelling is taken
   * as typed: a folder called "&kABP4Q-", not 退信. This time through
   * the app's way in, the sending service. */
  {
    g_autofree char *exmail = g_build_filename (ob_test_source_root (), "tests", "data", "bounces",
                                                "exmail-mailbox-full.eml", NULL);
    g_autofree char *m = rewrite (exmail, "purchasing@example-trading.com", "purchasing@trading-house.com",
                                  "exmail-0304-991@mail.example.cn", id_purchasing, NULL);
    g_autoptr(ObStore) store = ob_store_open (db, &error);
    g_autoptr(ObSendingService) service = NULL;
    ObMailboxPollResult r = { 0 };
    gint64 took;

    g_assert_no_error (error);
    deliver (imap, "INBOX", m);
    service = ob_sending_service_new (store);
    g_assert_true (ob_sending_service_set_bounce_folder (service, "&kABP4Q-", &error));
    g_assert_no_error (error);
    g_assert_true (poll_with_service (service, &r, &took, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (r.bounces, ==, 1);
    g_assert_cmpuint (r.moved, ==, 1);
    g_assert_cmpuint (r.move_failed, ==, 0);
    g_assert_cmpuint (maildir_count (typed_dir, id_purchasing), ==, 1);
    g_assert_cmpuint (maildir_count (tuixin_dir, id_purchasing), ==, 0);
    g_assert_cmpuint (maildir_count (maildir, id_purchasing), ==, 0);

    /* And a bad name through the same way in: refused, nothing moved. */
    g_assert_false (ob_sending_service_set_bounce_folder (service, "Bounces\n", &error));
    g_assert_error (error, OB_BOUNCE_ERROR, OB_BOUNCE_ERROR_FOLDER);
  }
  g_clear_pointer (&names, g_strfreev);
  names = list_decoded (imap);
  {
    g_autofree char *joined = g_strjoinv (" | ", names);

    g_test_message ("folders, decoded: %s", joined);
  }
  g_assert_true (g_strv_contains ((const char * const *) names, "退信"));
  g_assert_true (g_strv_contains ((const char * const *) names, "R&D"));
  g_assert_true (g_strv_contains ((const char * const *) names, "&kABP4Q-"));
}

/* Bad input changes nothing: no such account, an account without IMAP,
 * a mailbox that refuses the login — exit 2 with a line that says why. */
static void
test_poll_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
  g_autoptr(ObTestImapServer) imap = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *outbox = ob_test_dir_file (dir, "outbox");
  g_autofree char *imap_server = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  imap = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
  imap_server = g_strdup_printf ("127.0.0.1:%u", ob_test_imap_server_get_port (imap));
  deliver (imap, "INBOX", "From: a@b.example\r\nSubject: hi\r\nMessage-ID: <x@b.example>\r\n\r\nhi\r\n");

  g_free (cli (0, NULL, (const char *[]) { "account", "add", "--db", db, "--email", "dry@sender.test",
                                           "--dry-run", outbox, NULL }));
  g_free (cli (0, "wrong-password\n", (const char *[]) {
    "account", "add", "--db", db, "--email", "sales@sender.test", "--username", "testuser",
    "--smtp", "127.0.0.1:1", "--smtp-security", "tls", "--imap", imap_server, "--imap-security", "starttls",
    "--ca-file", ob_test_ca_pem (), "--password-stdin", NULL }));

  g_assert_cmpint (ob_test_run_cli ((const char *[]) { "mailbox", "poll", "9", "--db", db, NULL },
                                    NULL, NULL, &err), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ob_test_run_cli ((const char *[]) { "mailbox", "poll", "1", "--db", db, NULL },
                                    NULL, NULL, &err), ==, 2);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "no IMAP server"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ob_test_run_cli ((const char *[]) { "mailbox", "poll", "2", "--db", db, NULL },
                                    NULL, NULL, &err), ==, 2);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "sales@sender.test"));
  /* Nothing was recorded, and the place in the mailbox was not moved. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events", NULL), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT imap_last_uid FROM accounts WHERE id = 2", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add_func ("/mailbox-poll/bounces-replies-unsubscribes", test_poll);
  g_test_add_func ("/mailbox-poll/errors", test_poll_errors);
  g_test_add_func ("/mailbox-poll/database-busy", test_poll_busy);
  g_test_add_func ("/mailbox-poll/commit-fails", test_poll_commit_fails);
  g_test_add_func ("/mailbox-poll/bounce-folder-names", test_poll_bounce_folder_names);

  return g_test_run ();
}
