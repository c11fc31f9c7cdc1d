/* test-send-adapters.c — the real adapters of the send engine, on their
 * own: the bounce classifier's mapping, the template renderer (fields,
 * sender, Date in the recipient's zone, Message-ID), segment audiences,
 * suppression through the contacts API, and the mail transport over a
 * dry-run account (the SMTP path is in tests/integration/test-campaign-run.c).
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-send-adapters"

#include "config.h"

#include <gmime/gmime.h>
#include <string.h>

#include "ob-account.h"
#include "ob-bounce-classifier.h"
#include "ob-campaign.h"
#include "ob-core.h"
#include "ob-mail-transport.h"
#include "ob-segment.h"
#include "ob-sending.h"
#include "ob-template-renderer.h"
#include "ob-template.h"
#include "ob-template-library.h"
#include "ob-test-util.h"
#include "ob-virtual-clock.h"

/* Tuesday 2027-03-02 01:30 UTC = 10:30 in Tokyo. */
#define T0 G_GINT64_CONSTANT (1803951000)

typedef struct
{
  ObTestDir *dir;
  ObStore   *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = ob_test_dir_new ();
  path = ob_test_dir_file (f->dir, "outbound.db");
  f->store = ob_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->dir, ob_test_dir_free);
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  ob_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (f->store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
add_contact (Fixture    *f,
             const char *email,
             const char *country,
             const char *zone,
             const char *custom_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (f->store,
    "INSERT INTO contacts (email, email_key, domain, first_name, company, country, timezone, custom_json, "
    "created_at, updated_at) VALUES (?1, ?1, ?2, 'Yuki', 'Sakura KK', ?3, ?4, ?5, 1, 1)", &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, strchr (email, '@') + 1, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, country, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, zone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, custom_json, -1, SQLITE_STATIC);
  g_assert_true (ob_store_step_done (f->store, stmt, &error));
  return ob_store_last_insert_id (f->store);
}

static gint64
add_account (Fixture    *f,
             const char *dry_run_dir)
{
  g_autoptr(ObAccount) account = ob_account_new ("sales@valves.example");
  g_autoptr(GError) error = NULL;
  gint64 id;

  ob_account_set_display_name (account, "Mia Schulz");
  ob_account_set_reply_to (account, "mia@valves.example");
  ob_account_set_signature (account, "Mia Schulz\nValves GmbH");
  ob_account_set_dry_run_dir (account, dry_run_dir);
  id = ob_account_store_add (f->store, account, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
add_template (Fixture    *f,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTemplate) template = ob_template_new_from_data (text, -1, NULL, &error);

  g_assert_no_error (error);
  ob_template_set_name (template, "t");
  g_assert_true (ob_template_library_save (f->store, template, &error));
  g_assert_no_error (error);
  return ob_template_get_id (template);
}

static void
test_classifier (void)
{
  g_autoptr(ObBounceClassifier) classifier = ob_bounce_classifier_new ();
  ObReplyVerdict v = { 0 };

  ob_reply_classifier_classify (OB_REPLY_CLASSIFIER (classifier), 550, "5.1.1", "User unknown", &v);
  g_assert_cmpint (v.kind, ==, OB_SEND_BOUNCE_HARD);
  g_assert_cmpint (v.action, ==, OB_SEND_ACTION_SUPPRESS);
  g_assert_cmpstr (v.reason, ==, "userunknown");
  ob_reply_verdict_clear (&v);

  ob_reply_classifier_classify (OB_REPLY_CLASSIFIER (classifier), 452, "4.2.2", "Mailbox full", &v);
  g_assert_cmpint (v.kind, ==, OB_SEND_BOUNCE_SOFT);
  g_assert_cmpint (v.action, ==, OB_SEND_ACTION_RETRY);
  g_assert_cmpstr (v.reason, ==, "mailboxfull");
  ob_reply_verdict_clear (&v);

  /* A block of the sender never suppresses the contact. */
  ob_reply_classifier_classify (OB_REPLY_CLASSIFIER (classifier), 554, "5.7.1",
                                "Service unavailable; Client host blocked", &v);
  g_assert_cmpint (v.action, ==, OB_SEND_ACTION_PAUSE_SENDER);
  g_assert_cmpint (v.kind, !=, OB_SEND_BOUNCE_HARD);
  ob_reply_verdict_clear (&v);

  /* 550 from QQ, in Chinese. */
  ob_reply_classifier_classify (OB_REPLY_CLASSIFIER (classifier), 550, NULL, "Mailbox not found. 收件人邮箱地址不存在", &v);
  g_assert_cmpint (v.kind, ==, OB_SEND_BOUNCE_HARD);
  ob_reply_verdict_clear (&v);
}

static void
test_renderer (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ObClock) clock = ob_virtual_clock_new (T0);
  g_autoptr(ObTemplateRenderer) renderer = ob_template_renderer_new (f->store, clock);
  g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
  g_autoptr(ObRenderedMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox = ob_test_dir_file (f->dir, "outbox");
  g_autofree char *text = NULL;
  g_autofree char *id_header = NULL;
  gint64 contact, account, tpl, campaign;

  contact = add_contact (f, "yuki@sakura.example", "JP", NULL, "{\"Booth\": \"Hall 4, B12\"}");
  account = add_account (f, outbox);
  tpl = add_template (f, "Subject: Meet us, {{first_name}}\n\nDear {{first_name|Sir or Madam}} of {{company}},\n"
                         "visit us at {{booth|our stand}}.\n\n{{signature}}\n");
  settings->name = g_strdup ("Fair");
  ob_campaign_settings_add_account (settings, account);
  ob_campaign_settings_add_step (settings, tpl, 0);
  ob_campaign_settings_add_step (settings, add_template (f, "Subject: Re: Meet us, {{first_name}}\n\n"
                                                            "Dear {{first_name}}, a reminder.\n"), 3);
  campaign = ob_campaign_create (f->store, settings, T0, &error);
  g_assert_no_error (error);

  message = ob_message_renderer_render (OB_MESSAGE_RENDERER (renderer), campaign, 1, contact, account, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  text = g_strndup (g_bytes_get_data (message->message, NULL), g_bytes_get_size (message->message));
  g_test_message ("%s", text);

  g_assert_cmpstr (message->mail_from, ==, "sales@valves.example");
  g_assert_cmpstr (message->recipients[0], ==, "yuki@sakura.example");
  g_assert_null (message->recipients[1]);
  g_assert_nonnull (message->message_id);
  g_assert_true (g_str_has_suffix (message->message_id, "@valves.example"));
  id_header = g_strdup_printf ("Message-Id: <%s>", message->message_id);
  g_assert_nonnull (strstr (text, id_header));
  /* The Date is the clock's, in the recipient's zone (JP → Tokyo). */
  g_assert_nonnull (strstr (text, "Date: Tue, 02 Mar 2027 10:30:00 +0900"));
  g_assert_nonnull (strstr (text, "From: Mia Schulz <sales@valves.example>"));
  g_assert_nonnull (strstr (text, "Reply-To: Mia Schulz <mia@valves.example>"));
  g_assert_nonnull (strstr (text, "Subject: Meet us, Yuki"));
  g_assert_nonnull (strstr (text, "Dear Yuki of Sakura KK"));
  g_assert_nonnull (strstr (text, "visit us at Hall 4, B12."));
  g_assert_nonnull (strstr (text, "Valves GmbH"));

  /* A step that does not exist is a clear error, not a crash. */
  g_clear_pointer (&message, ob_rendered_message_free);
  message = ob_message_renderer_render (OB_MESSAGE_RENDERER (renderer), campaign, 3, contact, account, &error);
  g_assert_null (message);
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The follow-up answers the first mail: same thread. */
  g_assert_true (ob_campaign_start (f->store, campaign, T0, NULL, NULL, &error));
  g_assert_no_error (error);
  exec_sql (f, "UPDATE queue SET state = 'sent', message_id = 'first.1@valves.example' "
               "WHERE step_id = (SELECT id FROM campaign_steps WHERE position = 1)");
  message = ob_message_renderer_render (OB_MESSAGE_RENDERER (renderer), campaign, 2, contact, account, &error);
  g_assert_no_error (error);
  g_free (text);
  text = g_strndup (g_bytes_get_data (message->message, NULL), g_bytes_get_size (message->message));
  g_assert_nonnull (strstr (text, "In-Reply-To: <first.1@valves.example>"));
  g_assert_nonnull (strstr (text, "References: <first.1@valves.example>"));
  g_assert_nonnull (strstr (text, "Subject: Re: Meet us"));
  g_assert_cmpstr (message->message_id, !=, "first.1@valves.example");
}

static void
test_segment_audience (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(ObSegment) segment = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gint64 de1, de2, us, de_invalid;

  de1 = add_contact (f, "a@one.example", "DE", NULL, NULL);
  de2 = add_contact (f, "b@two.example", "DE", NULL, NULL);
  us = add_contact (f, "c@three.example", "US", NULL, NULL);
  de_invalid = add_contact (f, "d@four.example", "DE", NULL, NULL);
  exec_sql (f, "UPDATE contacts SET verdict = 'invalid' WHERE email = 'd@four.example'");
  g_assert_true (ob_sending_suppress_contact (f->store, de2, "hard-bounce", "test", "gone", T0, &error));
  g_assert_no_error (error);

  segment = ob_segment_parse ("country=DE", &error);
  g_assert_no_error (error);
  json = ob_segment_to_json (segment);
  ids = ob_campaign_default_audience (f->store, json, NULL, &error);
  g_assert_no_error (error);
  /* DE only, and neither the suppressed nor the invalid one. */
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, de1);
  g_clear_pointer (&ids, g_array_unref);

  ids = ob_campaign_default_audience (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2); /* de1 and us */
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, us);
  (void) de_invalid;
  g_clear_pointer (&ids, g_array_unref);

  ids = ob_campaign_default_audience (f->store, "{\"countries\": 7}", NULL, &error);
  g_assert_null (ids);
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID);
}

static void
test_suppress_through_contacts (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_contact (f, "gone@five.example", "DE", NULL, NULL);

  g_assert_true (ob_sending_suppress_contact (f->store, id, "hard-bounce", "campaign:1", "550 5.1.1", T0, &error));
  g_assert_no_error (error);
  /* Once: a second bounce keeps the first reason and logs nothing new. */
  g_assert_true (ob_sending_suppress_contact (f->store, id, "soft-bounce", "campaign:1", "452", T0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppressions WHERE value = 'gone@five.example' "
                                 "AND reason = 'hard-bounce'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppression_log WHERE value = 'gone@five.example'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE status = 'suppressed'"), ==, 1);

  g_assert_false (ob_sending_suppress_contact (f->store, id, "no-such-reason", NULL, NULL, T0, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID);
}

static GPtrArray *
transport_send (ObMailTransport     *transport,
                gint64               account,
                const char * const  *recipients,
                GError             **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("Subject: x\r\n\r\nhello\r\n", 21);
  GAsyncResult *result = NULL;
  GPtrArray *results;

  ob_send_transport_send_async (OB_SEND_TRANSPORT (transport), account, "sales@valves.example", recipients,
                                bytes, NULL, ob_test_keep_result_cb, &result);
  results = ob_send_transport_send_finish (OB_SEND_TRANSPORT (transport), ob_test_wait_result (&result), error);
  g_object_unref (result);
  return results;
}

static void
test_transport_dry_run (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *outbox = ob_test_dir_file (f->dir, "outbox");
  g_autoptr(ObMailTransport) transport = ob_mail_transport_new (f->store);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  const ObRecipientResult *r;
  gint64 account = add_account (f, outbox);

  results = transport_send (transport, account, (const char *[]) { "yuki@sakura.example", NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpstr (r->recipient, ==, "yuki@sakura.example");
  g_assert_cmpint (r->code, ==, 250);
  g_assert_cmpuint (ob_mail_transport_count_open (transport), ==, 1);
  g_assert_true (g_file_test (outbox, G_FILE_TEST_IS_DIR));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* No such account: the account's problem, never the contact's. */
  results = transport_send (transport, 999, (const char *[]) { "yuki@sakura.example", NULL }, &error);
  g_assert_null (results);
  g_assert_error (error, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH);
  g_clear_error (&error);

  /* The engine stops: the connections go. */
  ob_send_transport_close (OB_SEND_TRANSPORT (transport));
  g_assert_cmpuint (ob_mail_transport_count_open (transport), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ob_core_init ();

  g_test_add_func ("/send-adapters/classifier", test_classifier);
  g_test_add ("/send-adapters/renderer", Fixture, NULL, fixture_set_up, test_renderer, fixture_tear_down);
  g_test_add ("/send-adapters/segment-audience", Fixture, NULL, fixture_set_up, test_segment_audience,
              fixture_tear_down);
  g_test_add ("/send-adapters/suppress-through-contacts", Fixture, NULL, fixture_set_up,
              test_suppress_through_contacts, fixture_tear_down);
  g_test_add ("/send-adapters/transport-dry-run", Fixture, NULL, fixture_set_up, test_transport_dry_run,
              fixture_tear_down);

  return g_test_run ();
}
