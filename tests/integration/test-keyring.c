/* test-keyring.c — account passwords in a private keyring, and the promise
 * that a password reaches neither the database, nor a trace, nor the
 * output of outbound-cli (against the real loopback servers).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-keyring"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ob-account.h"
#include "ob-keyring.h"
#include "ob-mail-sender.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

/* A password made to be found: if any byte sequence of it leaks, the
 * searches below see it. */
#define SECRET "testpass"

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

static char *
lookup (gint64   id,
        GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_keyring_lookup_password_async (id, NULL, got_result_cb, &result);
  return ob_keyring_lookup_password_finish (wait_for (&result), error);
}

static void
test_keyring_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
  char *password;

  g_assert_no_error (error);

  /* Nothing stored yet: a clear "not found", not a keyring failure. */
  password = lookup (41, &error);
  g_assert_null (password);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (gint64 id = 41; id <= 42; id++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *value = g_strdup_printf ("secret-%" G_GINT64_FORMAT " 授权码", id);

      ob_keyring_store_password_async (id, "sales@example.test", value, NULL, got_result_cb, &result);
      g_assert_true (ob_keyring_store_password_finish (wait_for (&result), &error));
      g_assert_no_error (error);
    }

  password = lookup (41, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "secret-41 授权码");
  ob_keyring_password_free (password);

  /* Storing again replaces. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ob_keyring_store_password_async (41, "sales@example.test", "new one", NULL, got_result_cb, &result);
    ob_keyring_store_password_finish (wait_for (&result), &error);
    g_assert_no_error (error);
    password = lookup (41, &error);
    g_assert_cmpstr (password, ==, "new one");
    ob_keyring_password_free (password);
  }

  /* Clearing one leaves the other. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    ob_keyring_clear_password_async (41, NULL, got_result_cb, &result);
    g_assert_true (ob_keyring_clear_password_finish (wait_for (&result), &error));
    g_assert_no_error (error);
    password = lookup (41, &error);
    g_assert_null (password);
    g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
    g_clear_error (&error);
    password = lookup (42, &error);
    g_assert_cmpstr (password, ==, "secret-42 授权码");
    ob_keyring_password_free (password);
  }
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
trace_cb (gboolean    from_client,
          const char *line,
          gpointer    user_data)
{
  g_string_append_printf (user_data, "%s %s\n", from_client ? "C:" : "S:", line);
}

/* The whole path: account add with the password on stdin, account test
 * against real SMTP and IMAP servers, a send through the stored password,
 * account remove — and the password in none of the files and outputs. */
static void
test_keyring_cli_no_leak (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestImapServer) imap = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "accounts.db");
  g_autofree char *smtp_arg = NULL;
  g_autofree char *imap_arg = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *secret64 = g_base64_encode ((const guchar *) SECRET, strlen (SECRET));
  g_autoptr(GString) trace = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObAccount) account = NULL;
  JsonObject *obj;
  JsonArray *steps;
  char *password;
  gint64 id;
  guint auth_ok = 0;

  g_assert_no_error (error);
  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, NULL, &error);
  g_assert_no_error (error);
  imap = ob_test_imap_server_start (&error);
  g_assert_no_error (error);
  /* A mailbox with a Sent folder, as real ones have. */
  g_assert_true (ob_test_imap_server_deliver (imap, "Sent", "Subject: x\r\n\r\nx\r\n", 17, &error));
  smtp_arg = g_strdup_printf ("127.0.0.1:%u", ob_test_smtp_server_get_port (smtp));
  imap_arg = g_strdup_printf ("127.0.0.1:%u", ob_test_imap_server_get_tls_port (imap));

  {
    const char *argv[] = { "account", "add", "--db", db, "--email", "sales@example.test",
                           "--username", "testuser", "--name", "Sales",
                           "--smtp", smtp_arg, "--smtp-security", "starttls",
                           "--imap", imap_arg, "--imap-security", "tls", "--ca-file", ob_test_ca_pem (),
                           "--password-stdin", NULL };

    g_assert_cmpint (ob_test_run_cli (argv, SECRET "\n", &out, &err), ==, 0);
    g_assert_null (strstr (out, SECRET));
    g_assert_null (strstr (err, SECRET));
    id = g_ascii_strtoll (out, NULL, 10);
    g_assert_cmpint (id, >, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  password = lookup (id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, SECRET);
  ob_keyring_password_free (password);

  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    const char *argv[] = { "account", "test", "--db", db, "--json", id_text, NULL };
    int status;

    /* The CLI logs its protocol traces too, to be searched. */
    g_setenv ("G_MESSAGES_DEBUG", "ob-smtp ob-imap", TRUE);
    status = ob_test_run_cli (argv, NULL, &out, &err);
    g_unsetenv ("G_MESSAGES_DEBUG");

    g_test_message ("account test: %s", out);
    g_assert_null (strstr (out, SECRET));
    g_assert_null (strstr (err, SECRET));
    g_assert_null (strstr (err, secret64));
    /* The debug log did carry the protocol, with the login redacted. */
    g_assert_nonnull (strstr (err, "AUTH PLAIN <redacted>"));
    g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
    obj = json_node_get_object (json_parser_get_root (parser));
    steps = json_object_get_array_member (obj, "steps");
    for (guint i = 0; i < json_array_get_length (steps); i++)
      {
        JsonObject *s = json_array_get_object_element (steps, i);

        if (!json_object_get_boolean_member (s, "ok"))
          g_test_message ("failed step: %s %s: %s", json_object_get_string_member (s, "service"),
                          json_object_get_string_member (s, "step"),
                          json_object_get_string_member (s, "message"));
        if (g_str_equal (json_object_get_string_member (s, "step"), "auth") &&
            json_object_get_boolean_member (s, "ok"))
          auth_ok++;
      }
    g_assert_cmpint (status, ==, 0);
    g_assert_true (json_object_get_boolean_member (obj, "ok"));
    g_assert_cmpuint (auth_ok, ==, 2);
    g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (obj, "smtp_tls"), "issuer"),
                              "Harness Test CA"));
    g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (obj, "imap_tls"), "version"),
                                     "TLS 1."));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A send with the password from the keyring, traced. */
  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  account = ob_account_store_get (store, id, &error);
  g_assert_no_error (error);
  password = lookup (id, &error);
  {
    g_autoptr(ObMailSender) sender = ob_mail_sender_new (account, password);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) message = g_bytes_new_static ("Subject: hi\r\n\r\nHello\r\n", 22);
    const char *rcpts[] = { "buyer@example.test", NULL };
    g_autoptr(ObSmtpSendResult) res = NULL;

    ob_keyring_password_free (password);
    ob_mail_sender_set_trace_func (sender, trace_cb, trace, NULL);
    ob_mail_sender_send_async (sender, rcpts, message, NULL, got_result_cb, &result);
    res = ob_mail_sender_send_finish (sender, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_true (res->accepted);
    g_assert_cmpuint (ob_test_smtp_server_count_messages (smtp), ==, 1);
  }
  g_assert_nonnull (strstr (trace->str, "AUTH PLAIN <redacted>"));
  g_assert_null (strstr (trace->str, SECRET));
  g_assert_null (strstr (trace->str, secret64));
  g_clear_object (&store);

  /* Nowhere in the database (nor its journal). */
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);

    g_assert_false (file_contains (db, SECRET));
    g_assert_false (file_contains (wal, SECRET));
    g_assert_false (file_contains (db, secret64));
  }

  /* Removing the account removes its password. */
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    const char *argv[] = { "account", "remove", "--db", db, id_text, NULL };

    g_assert_cmpint (ob_test_run_cli (argv, NULL, &out, &err), ==, 0);
    g_assert_null (strstr (err, SECRET));
  }
  password = lookup (id, &error);
  g_assert_null (password);
  g_assert_error (error, OB_MAIL_ERROR, OB_MAIL_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/roundtrip", test_keyring_roundtrip);
  g_test_add_func ("/keyring/cli-no-leak", test_keyring_cli_no_leak);

  return g_test_run ();
}
