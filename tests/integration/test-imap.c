/* test-imap.c — ObImapClient against a private Dovecot on loopback.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-imap"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ob-account.h"
#include "ob-account-test.h"
#include "ob-imap-client.h"
#include "ob-mail-sender.h"
#include "ob-mail.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

#define INBOX_ONE \
  "From: Buyer <buyer@example.test>\r\nTo: sales@example.test\r\nSubject: Inbox one\r\n" \
  "Message-ID: <in1@example.test>\r\n\r\nHello.\r\n"
#define INBOX_TWO \
  "From: Other <other@example.test>\r\nTo: sales@example.test\r\nSubject: Inbox two\r\n" \
  "Message-ID: <in2@example.test>\r\n\r\nA body line.\r\n.dot line\r\n"
#define SENT_ONE \
  "From: sales@example.test\r\nTo: buyer@example.test\r\nSubject: Offer\r\n" \
  "Message-ID: <sent1@example.test>\r\n\r\nOur offer.\r\n"
#define SENT_NEW \
  "From: sales@example.test\r\nTo: new@example.test\r\nSubject: First contact\r\n" \
  "Message-ID: <sent2@example.test>\r\n\r\nHello from Outbound.\r\n"

static void
got_result_cb (GObject      *object,
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

static void
trace_cb (gboolean    from_client,
          const char *line,
          gpointer    user_data)
{
  g_string_append_printf (user_data, "%s %s\n", from_client ? "C:" : "S:", line);
}

static ObTestImapServer *
start_server (void)
{
  g_autoptr(GError) error = NULL;
  ObTestImapServer *server = ob_test_imap_server_start (&error);

  g_assert_no_error (error);
  g_assert_true (ob_test_imap_server_deliver (server, "INBOX", INBOX_ONE, strlen (INBOX_ONE), &error));
  g_assert_true (ob_test_imap_server_deliver (server, "INBOX", INBOX_TWO, strlen (INBOX_TWO), &error));
  g_assert_true (ob_test_imap_server_deliver (server, "Sent", SENT_ONE, strlen (SENT_ONE), &error));
  g_assert_true (ob_test_imap_server_deliver (server, "Junk", INBOX_ONE, strlen (INBOX_ONE), &error));
  g_assert_no_error (error);
  return server;
}

static ObImapClient *
connect_client (guint16         port,
                ObMailSecurity  security,
                GString        *trace)
{
  g_autoptr(ObImapClient) client = ob_imap_client_new ("127.0.0.1", port, security);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ob_imap_client_set_ca_file (client, ob_test_ca_pem ());
  if (trace != NULL)
    ob_imap_client_set_trace_func (client, trace_cb, trace, NULL);
  ob_imap_client_connect_async (client, NULL, got_result_cb, &result);
  g_assert_true (ob_imap_client_connect_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_true (ob_imap_client_is_tls (client));
  return g_steal_pointer (&client);
}

static gboolean
login (ObImapClient         *client,
       ObImapAuthMechanism   mech,
       const char           *password,
       GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_imap_client_login_async (client, mech, "testuser", password, NULL, got_result_cb, &result);
  return ob_imap_client_login_finish (client, wait_for (&result), error);
}

static ObImapMailboxStatus
select_box (ObImapClient *client,
            const char   *name,
            gboolean      read_only)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ObImapMailboxStatus st = { 0 };

  ob_imap_client_select_async (client, name, read_only, NULL, got_result_cb, &result);
  g_assert_true (ob_imap_client_select_finish (client, wait_for (&result), &st, &error));
  g_assert_no_error (error);
  return st;
}

static GArray *
search (ObImapClient *client,
        const char   *criteria)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GArray *uids;

  ob_imap_client_uid_search_async (client, criteria, NULL, got_result_cb, &result);
  uids = ob_imap_client_uid_search_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  return uids;
}

static GPtrArray *
fetch (ObImapClient *client,
       const char   *uids,
       const char   *items,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_imap_client_uid_fetch_async (client, uids, items, NULL, got_result_cb, &result);
  return ob_imap_client_uid_fetch_finish (client, wait_for (&result), error);
}

static gboolean
has_flag (const ObImapMessage *m,
          const char          *flag)
{
  return g_strv_contains ((const char * const *) m->flags, flag);
}

static void
logout (ObImapClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_imap_client_logout_async (client, NULL, got_result_cb, &result);
  g_assert_true (ob_imap_client_logout_finish (client, wait_for (&result), NULL));
}

/* STARTTLS, AUTHENTICATE PLAIN, ID, LIST, EXAMINE, UID SEARCH, UID FETCH
 * with PEEK: reading leaves the flags as they were. */
static void
test_imap_read_only_scan (void)
{
  g_autoptr(ObTestImapServer) server = start_server ();
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(ObImapClient) client = connect_client (ob_test_imap_server_get_port (server),
                                                   OB_MAIL_SECURITY_STARTTLS, trace);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) boxes = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) one = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autofree char *plain64 = g_base64_encode ((const guchar *) "\0testuser\0testpass", 18);
  ObImapMailboxStatus st;
  const ObImapMailbox *sent, *junk;
  const ObImapMessage *m;
  g_autofree char *uid_text = NULL;

  g_assert_true (ob_imap_client_has_capability (client, "IMAP4rev1"));
  g_assert_true (login (client, OB_IMAP_AUTH_AUTO, "testpass", &error));
  g_assert_no_error (error);
  /* ID went out after the login, and the password is nowhere in the trace. */
  g_assert_nonnull (strstr (trace->str, "AUTHENTICATE PLAIN <redacted>"));
  g_assert_nonnull (strstr (trace->str, " ID (\"name\" \"Outbound\""));
  g_assert_true (strstr (trace->str, "AUTHENTICATE") < strstr (trace->str, " ID (\"name\""));
  g_assert_null (strstr (trace->str, "testpass"));
  g_assert_null (strstr (trace->str, plain64));

  ob_imap_client_list_async (client, NULL, got_result_cb, &result);
  boxes = ob_imap_client_list_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, >=, 3);
  sent = ob_imap_mailboxes_find_special (boxes, "\\Sent");
  junk = ob_imap_mailboxes_find_special (boxes, "\\Junk");
  g_assert_nonnull (sent);
  g_assert_cmpstr (sent->name, ==, "Sent");
  g_assert_nonnull (junk);
  g_assert_cmpstr (junk->name, ==, "Junk");
  /* The RFC 6154 form only to a server that has it (this Dovecot has no
   * special_use configured, so Sent and Junk were found by name). */
  if (ob_imap_client_has_capability (client, "SPECIAL-USE") &&
      ob_imap_client_has_capability (client, "LIST-EXTENDED"))
    g_assert_nonnull (strstr (trace->str, "LIST \"\" \"*\" RETURN (SPECIAL-USE)"));
  else
    g_assert_nonnull (strstr (trace->str, "LIST \"\" \"*\"\n"));

  st = select_box (client, "INBOX", TRUE);
  g_assert_cmpuint (st.exists, ==, 2);
  g_assert_true (st.read_only);
  g_assert_cmpuint (st.uidvalidity, >, 0);
  g_assert_cmpuint (st.uidnext, ==, 3);

  all = search (client, "UID 1:*");
  g_assert_cmpuint (all->len, ==, 2);
  one = search (client, "HEADER Message-ID \"<in2@example.test>\"");
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpuint (g_array_index (one, guint32, 0), ==, g_array_index (all, guint32, 1));

  /* SELECT (read-write) on purpose: PEEK must leave \Seen off even here. */
  st = select_box (client, "INBOX", FALSE);
  g_assert_false (st.read_only);
  before = fetch (client, "1:*", "FLAGS", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 2);
  for (guint i = 0; i < before->len; i++)
    g_assert_false (has_flag (before->pdata[i], "\\Seen"));

  uid_text = g_strdup_printf ("%u", g_array_index (one, guint32, 0));
  bodies = fetch (client, uid_text, "FLAGS BODY.PEEK[]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, 1);
  m = bodies->pdata[0];
  g_assert_cmpuint (m->uid, ==, g_array_index (one, guint32, 0));
  g_assert_nonnull (m->body);
  g_assert_cmpmem (g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body), INBOX_TWO, strlen (INBOX_TWO));

  headers = fetch (client, "1:*", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 2);
  m = headers->pdata[0];
  g_assert_nonnull (m->header);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (m->header, NULL), g_bytes_get_size (m->header),
                                  "Message-ID: <in1@example.test>"));
  g_assert_null (m->body);

  after = fetch (client, "1:*", "FLAGS", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < after->len; i++)
    {
      g_auto(GStrv) a = NULL;
      g_auto(GStrv) b = NULL;

      g_assert_false (has_flag (after->pdata[i], "\\Seen"));
      a = g_strdupv (((ObImapMessage *) after->pdata[i])->flags);
      b = g_strdupv (((ObImapMessage *) before->pdata[i])->flags);
      g_assert_true (g_strv_equal ((const char * const *) a, (const char * const *) b));
    }

  /* A fetch that would mark mail read is refused before it is sent. */
  refused = fetch (client, "1:*", "BODY[]", &error);
  g_assert_null (refused);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
  g_clear_error (&error);

  /* So are a folder name typed in Chinese (not modified UTF-7, as the
   * server names folders) for CREATE and UID MOVE: the client takes
   * only the server's spelling. A typed name is spelled first, with
   * ob_imap_mailbox_name_from_utf8() (the mailbox poller does that; see
   * /mailbox-poll/bounce-folder-names). */
  {
    g_autoptr(GAsyncResult) answer = NULL;

    ob_imap_client_create_async (client, "退信", NULL, got_result_cb, &answer);
    g_assert_false (ob_imap_client_create_finish (client, wait_for (&answer), &error));
    g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
    g_clear_error (&error);
    g_clear_object (&answer);
    ob_imap_client_uid_move_async (client, "1", "退信", NULL, got_result_cb, &answer);
    g_assert_false (ob_imap_client_uid_move_finish (client, wait_for (&answer), &error));
    g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_auto(GStrv) lines = g_strsplit (trace->str, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "C: "))
        {
          g_assert_null (strstr (lines[i], "BODY[]"));
          g_assert_null (strstr (lines[i], "CREATE"));
          g_assert_null (strstr (lines[i], "MOVE"));
        }
  }

  logout (client);
}

static guint
count_sent (ObImapClient *client)
{
  return select_box (client, "Sent", TRUE).exists;
}

static void
test_imap_append_and_copy_to_sent (void)
{
  g_autoptr(ObTestImapServer) server = start_server ();
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(ObImapClient) client = connect_client (ob_test_imap_server_get_tls_port (server),
                                                   OB_MAIL_SECURITY_TLS, trace);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sent_one = g_bytes_new_static (SENT_ONE, strlen (SENT_ONE));
  g_autoptr(GBytes) sent_new = g_bytes_new_static (SENT_NEW, strlen (SENT_NEW));
  ObImapSentCopy outcome = -1;

  g_assert_true (login (client, OB_IMAP_AUTH_LOGIN, "testpass", &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (trace->str, "LOGIN \"testuser\" <redacted>"));
  g_assert_null (strstr (trace->str, "testpass"));
  g_assert_cmpuint (count_sent (client), ==, 1);

  /* Already there: nothing appended. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ob_imap_client_copy_to_sent_async (client, sent_one, "<sent1@example.test>", FALSE, NULL, got_result_cb, &result);
    g_assert_true (ob_imap_client_copy_to_sent_finish (client, wait_for (&result), &outcome, &error));
    g_assert_no_error (error);
    g_assert_cmpint (outcome, ==, OB_IMAP_SENT_COPY_ALREADY_PRESENT);
    g_assert_cmpuint (count_sent (client), ==, 1);
  }

  /* A provider that saves sent mail itself: nothing appended, nothing asked. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ob_imap_client_copy_to_sent_async (client, sent_new, "<sent2@example.test>", TRUE, NULL, got_result_cb, &result);
    g_assert_true (ob_imap_client_copy_to_sent_finish (client, wait_for (&result), &outcome, &error));
    g_assert_cmpint (outcome, ==, OB_IMAP_SENT_COPY_PROVIDER_SAVES);
    g_assert_cmpuint (count_sent (client), ==, 1);
  }

  /* Missing: appended once, found the second time. */
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      ob_imap_client_copy_to_sent_async (client, sent_new, "<sent2@example.test>", FALSE, NULL, got_result_cb, &result);
      g_assert_true (ob_imap_client_copy_to_sent_finish (client, wait_for (&result), &outcome, &error));
      g_assert_no_error (error);
      g_assert_cmpint (outcome, ==, round == 0 ? OB_IMAP_SENT_COPY_APPENDED : OB_IMAP_SENT_COPY_ALREADY_PRESENT);
      g_assert_cmpuint (count_sent (client), ==, 2);
    }

  /* The appended copy is the message, byte for byte, marked \Seen. */
  {
    g_autoptr(GArray) uids = search (client, "HEADER Message-ID \"<sent2@example.test>\"");
    g_autofree char *uid = NULL;
    g_autoptr(GPtrArray) msgs = NULL;
    const ObImapMessage *m;

    g_assert_cmpuint (uids->len, ==, 1);
    uid = g_strdup_printf ("%u", g_array_index (uids, guint32, 0));
    msgs = fetch (client, uid, "FLAGS BODY.PEEK[]", &error);
    g_assert_no_error (error);
    m = msgs->pdata[0];
    g_assert_true (has_flag (m, "\\Seen"));
    g_assert_cmpmem (g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body), SENT_NEW, strlen (SENT_NEW));
  }

  /* Plain APPEND with a literal. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ob_imap_client_append_async (client, "Sent", NULL, sent_one, NULL, got_result_cb, &result);
    g_assert_true (ob_imap_client_append_finish (client, wait_for (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_sent (client), ==, 3);
  }

  logout (client);
}

static void
test_imap_wrong_password (void)
{
  g_autoptr(ObTestImapServer) server = start_server ();
  const char *passwords[] = { "wrong", "wr\"o\\ng", "密码", NULL };

  for (guint i = 0; passwords[i] != NULL; i++)
    for (int mech = OB_IMAP_AUTH_LOGIN; mech <= OB_IMAP_AUTH_PLAIN; mech++)
      {
        g_autoptr(GString) trace = g_string_new (NULL);
        g_autoptr(ObImapClient) client = connect_client (ob_test_imap_server_get_tls_port (server),
                                                         OB_MAIL_SECURITY_TLS, trace);
        g_autoptr(GError) error = NULL;

        g_assert_false (login (client, mech, passwords[i], &error));
        g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_AUTH);
        g_assert_nonnull (strstr (error->message, "refused the login"));
        g_assert_null (strstr (trace->str, passwords[i]));
      }
}

static ObImapSentCopy
sender_copy (ObMailSender *sender,
             GBytes       *message,
             const char   *message_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ObImapSentCopy outcome = -1;

  ob_mail_sender_copy_to_sent_async (sender, message, message_id, NULL, got_result_cb, &result);
  g_assert_true (ob_mail_sender_copy_to_sent_finish (sender, wait_for (&result), &outcome, &error));
  g_assert_no_error (error);
  return outcome;
}

/* The sending side's helper: one IMAP connection for several copies, and
 * none at all for providers that keep sent mail themselves. */
static void
test_imap_sender_copy_to_sent (void)
{
  g_autoptr(ObTestImapServer) server = start_server ();
  g_autoptr(ObAccount) account = ob_account_new ("sales@example.test");
  g_autoptr(ObAccount) gmail = ob_account_new ("sales@example.test");
  g_autoptr(ObMailSender) sender = NULL;
  g_autoptr(ObMailSender) gmail_sender = NULL;
  g_autoptr(GBytes) sent_new = g_bytes_new_static (SENT_NEW, strlen (SENT_NEW));
  g_autoptr(GBytes) sent_one = g_bytes_new_static (SENT_ONE, strlen (SENT_ONE));
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(ObImapClient) check = NULL;
  g_autoptr(GError) error = NULL;

  ob_account_set_smtp (account, "127.0.0.1", 1, OB_MAIL_SECURITY_TLS);
  ob_account_set_imap (account, "127.0.0.1", ob_test_imap_server_get_tls_port (server), OB_MAIL_SECURITY_TLS);
  ob_account_set_username (account, "testuser");
  ob_account_set_ca_file (account, ob_test_ca_pem ());
  ob_account_set_provider (account, "qq");
  sender = ob_mail_sender_new (account, "testpass");
  ob_mail_sender_set_trace_func (sender, trace_cb, trace, NULL);

  g_assert_cmpint (sender_copy (sender, sent_new, "<sent2@example.test>"), ==, OB_IMAP_SENT_COPY_APPENDED);
  g_assert_cmpint (sender_copy (sender, sent_new, "<sent2@example.test>"), ==, OB_IMAP_SENT_COPY_ALREADY_PRESENT);
  g_assert_cmpint (sender_copy (sender, sent_one, "<sent1@example.test>"), ==, OB_IMAP_SENT_COPY_ALREADY_PRESENT);
  /* One login for all three. */
  g_assert_nonnull (strstr (trace->str, "AUTHENTICATE PLAIN <redacted>"));
  g_assert_true (strstr (trace->str, "AUTHENTICATE") == g_strrstr (trace->str, "AUTHENTICATE"));
  g_assert_null (strstr (trace->str, "testpass"));

  /* Gmail: nothing to do, not even a connection (the port is wrong on purpose). */
  ob_account_set_smtp (gmail, "127.0.0.1", 1, OB_MAIL_SECURITY_TLS);
  ob_account_set_imap (gmail, "127.0.0.1", 1, OB_MAIL_SECURITY_TLS);
  ob_account_set_provider (gmail, "google");
  gmail_sender = ob_mail_sender_new (gmail, "testpass");
  g_assert_cmpint (sender_copy (gmail_sender, sent_new, "<sent3@example.test>"), ==, OB_IMAP_SENT_COPY_PROVIDER_SAVES);

  /* The Sent folder has the original and the one copy. */
  check = connect_client (ob_test_imap_server_get_tls_port (server), OB_MAIL_SECURITY_TLS, NULL);
  g_assert_true (login (check, OB_IMAP_AUTH_LOGIN, "testpass", &error));
  g_assert_cmpuint (count_sent (check), ==, 2);
  logout (check);
}

/* What the client sees of a folder: "uid:flags;" per message, \Recent
 * left out. */
static char *
folder_flags (ObImapClient *client,
              const char   *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  if (select_box (client, name, TRUE).exists == 0)
    return g_strdup ("");
  messages = fetch (client, "1:*", "FLAGS", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < messages->len; i++)
    {
      ObImapMessage *m = g_ptr_array_index (messages, i);

      g_string_append_printf (out, "%u:", m->uid);
      for (guint k = 0; m->flags != NULL && m->flags[k] != NULL; k++)
        if (g_ascii_strcasecmp (m->flags[k], "\\Recent") != 0)
          g_string_append_printf (out, "%s,", m->flags[k]);
      g_string_append_c (out, ';');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
move (ObImapClient  *client,
      const char    *uids,
      const char    *folder,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_imap_client_create_async (client, folder, NULL, got_result_cb, &result);
  g_assert_true (ob_imap_client_create_finish (client, wait_for (&result), NULL));
  g_clear_object (&result);
  select_box (client, "INBOX", FALSE);
  ob_imap_client_uid_move_async (client, uids, folder, NULL, got_result_cb, &result);
  return ob_imap_client_uid_move_finish (client, wait_for (&result), error);
}

/* Moving without IMAP MOVE: with UIDPLUS, UID COPY + \Deleted + UID
 * EXPUNGE of those UIDs only, so a mail the user had marked deleted
 * (and not expunged) stays; with neither, a clear error and nothing
 * changes. */
static void
test_imap_move_without_move (void)
{
  const char *caps[] = {
    "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS LIST-EXTENDED SPECIAL-USE",
    "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE LIST-EXTENDED SPECIAL-USE",
  };

  for (guint c = 0; c < G_N_ELEMENTS (caps); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ObTestImapServer) server = ob_test_imap_server_start_with_capability (caps[c], &error);
      g_autoptr(GString) trace = g_string_new (NULL);
      g_autoptr(ObImapClient) client = NULL;
      g_autofree char *deleted = NULL;
      g_autofree char *inbox_before = NULL;
      g_autofree char *inbox = NULL;
      g_autofree char *moved = NULL;
      gboolean uidplus = c == 0;

      g_assert_no_error (error);
      g_assert_true (ob_test_imap_server_deliver (server, "INBOX", INBOX_ONE, strlen (INBOX_ONE), &error));
      g_assert_true (ob_test_imap_server_deliver (server, "INBOX", INBOX_TWO, strlen (INBOX_TWO), &error));
      g_assert_true (ob_test_imap_server_deliver (server, "INBOX", SENT_NEW, strlen (SENT_NEW), &error));
      g_assert_no_error (error);
      /* The user's own mail client marked the third deleted (maildir "T"). */
      deleted = g_build_filename (ob_test_imap_server_get_maildir (server), "cur", "1700000000.M1P1.test:2,ST", NULL);
      g_assert_true (g_file_set_contents (deleted, SENT_ONE, -1, &error));

      client = connect_client (ob_test_imap_server_get_port (server), OB_MAIL_SECURITY_STARTTLS, trace);
      g_assert_true (login (client, OB_IMAP_AUTH_AUTO, "testpass", &error));
      g_assert_no_error (error);
      g_assert_false (ob_imap_client_has_capability (client, "MOVE"));
      g_assert_cmpint (ob_imap_client_can_move (client), ==, uidplus);

      inbox_before = folder_flags (client, "INBOX");
      g_test_message ("INBOX before: %s", inbox_before);
      g_assert_nonnull (strstr (inbox_before, "\\Deleted,"));
      if (uidplus)
        {
          g_assert_true (move (client, "2,3", "Outbound Bounces", &error));
          g_assert_no_error (error);
          inbox = folder_flags (client, "INBOX");
          moved = folder_flags (client, "Outbound Bounces");
          g_test_message ("INBOX after: %s; moved: %s", inbox, moved);
          g_assert_nonnull (strstr (trace->str, "UID COPY 2,3"));
          g_assert_nonnull (strstr (trace->str, "UID EXPUNGE 2,3"));
          g_assert_null (strstr (trace->str, "UID MOVE"));
          /* Two moved, unmarked; the user's deleted mail is still there. */
          g_assert_cmpstr (moved, ==, "1:;2:;");
          g_assert_true (g_str_has_prefix (inbox, "1:"));
          g_assert_nonnull (strstr (inbox, "\\Deleted,"));
          g_assert_cmpuint (select_box (client, "INBOX", TRUE).exists, ==, 2);
        }
      else
        {
          g_assert_false (move (client, "2,3", "Outbound Bounces", &error));
          g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_UNSUPPORTED);
          g_test_message ("%s", error->message);
          g_assert_null (strstr (trace->str, "UID COPY"));
          inbox = folder_flags (client, "INBOX");
          g_assert_cmpstr (inbox, ==, inbox_before);
          g_assert_cmpuint (select_box (client, "Outbound Bounces", TRUE).exists, ==, 0);
        }
      logout (client);
    }
}

/* A provider's Sent and Junk named in Chinese, without SPECIAL-USE (the
 * harness gives that only to "Sent" and "Junk", which this mailbox lacks):
 * Test account finds them by name and shows them as their owner reads
 * them, not in the server's modified UTF-7. */
static void
test_imap_account_test_folder_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestImapServer) server = ob_test_imap_server_start (&error);
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObAccount) account = ob_account_new ("sales@example.test");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ObAccountTestReport) report = NULL;
  const ObAccountTestStep *folder = NULL;
  const ObAccountTestStep *certificate = NULL;

  g_assert_no_error (error);
  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, NULL, &error);
  g_assert_no_error (error);
  /* 已发送 and 垃圾邮件, as a NetEase or Tencent mailbox has them. */
  g_assert_true (ob_test_imap_server_deliver (server, "&XfJT0ZAB-", SENT_ONE, strlen (SENT_ONE), &error));
  g_assert_true (ob_test_imap_server_deliver (server, "&V4NXPpCuTvY-", INBOX_ONE, strlen (INBOX_ONE), &error));
  g_assert_no_error (error);

  ob_account_set_username (account, "testuser");
  ob_account_set_ca_file (account, ob_test_ca_pem ());
  ob_account_set_smtp (account, "127.0.0.1", ob_test_smtp_server_get_port (smtp), OB_MAIL_SECURITY_STARTTLS);
  ob_account_set_imap (account, "127.0.0.1", ob_test_imap_server_get_tls_port (server), OB_MAIL_SECURITY_TLS);
  ob_account_test_async (account, "testpass", 10000, NULL, got_result_cb, &result);
  report = ob_account_test_finish (wait_for (&result), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *step = report->steps->pdata[i];

      g_test_message ("%s %s %s: %s [%s]", step->ok ? "ok" : "FAIL", step->service, step->step,
                      step->message, step->detail ? step->detail : "");
      if (g_str_equal (step->service, "imap") && g_str_equal (step->step, "folder"))
        folder = step;
      if (g_str_equal (step->step, "certificate"))
        certificate = step;
    }
  /* The sentence writes the expiry as the locale does (here C: %x is
   * MM/DD/YY); ISO stays in the detail, for a log. */
  g_assert_nonnull (certificate);
  {
    const char *iso = strstr (certificate->detail, "expires: ");
    int y = 0, m = 0, d = 0;
    g_autoptr(GDateTime) expiry = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *iso_date = NULL;

    g_assert_nonnull (iso);
    g_assert_cmpint (sscanf (iso, "expires: %d-%d-%d", &y, &m, &d), ==, 3);
    expiry = g_date_time_new_utc (y, m, d, 0, 0, 0);
    shown = g_date_time_format (expiry, "%x");
    iso_date = g_date_time_format (expiry, "%Y-%m-%d");
    g_assert_nonnull (strstr (certificate->message, shown));
    g_assert_null (strstr (certificate->message, iso_date));
  }
  g_assert_nonnull (folder);
  g_assert_true (folder->ok);
  g_assert_cmpstr (folder->detail, ==, "Sent: 已发送; Junk: 垃圾邮件");
  g_assert_true (report->ok);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imap/read-only-scan", test_imap_read_only_scan);
  g_test_add_func ("/imap/append-and-copy-to-sent", test_imap_append_and_copy_to_sent);
  g_test_add_func ("/imap/wrong-password", test_imap_wrong_password);
  g_test_add_func ("/imap/sender-copy-to-sent", test_imap_sender_copy_to_sent);
  g_test_add_func ("/imap/move-without-move", test_imap_move_without_move);
  g_test_add_func ("/imap/account-test-folder-names", test_imap_account_test_folder_names);

  return g_test_run ();
}
