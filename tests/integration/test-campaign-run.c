/* test-campaign-run.c — outbound-cli campaign run end to end: the send
 * engine with the real adapters (keyring, SMTP over STARTTLS with AUTH,
 * templates, the bounce classifier) against the harness's aiosmtpd, the
 * checks made where it counts: at the server.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-test-campaign-run"

#include "config.h"

#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "ob-store.h"
#include "ob-test-harness.h"
#include "ob-test-util.h"

/* Tuesday 2 March 2027, 00:00 UTC. */
#define START       "2027-03-02T00:00:00Z"
#define START_UNIX  G_GINT64_CONSTANT (1803945600)
#define DAILY_CAP   10

typedef struct
{
  const char *email;
  const char *zone;
} Contact;

/* Five time zones; a shared domain (alpha.de) for the hourly domain cap;
 * unknown-*, full-* trip the server's rules. */
static const Contact contacts[] = {
  { "d1@alpha.de", "Europe/Berlin" },
  { "d2@alpha.de", "Europe/Berlin" },
  { "d3@alpha.de", "Europe/Berlin" },
  { "unknown-d@beta.de", "Europe/Berlin" },
  { "u1@gamma.com", "America/New_York" },
  { "u2@delta.com", "America/New_York" },
  { "full-u@eps.com", "America/New_York" },
  { "c1@zeta.cn", "Asia/Shanghai" },
  { "c2@eta.cn", "Asia/Shanghai" },
  { "unknown-c@theta.cn", "Asia/Shanghai" },
  { "b1@iota.com.br", "America/Sao_Paulo" },
  { "b2@kappa.com.br", "America/Sao_Paulo" },
  { "j1@lambda.jp", "Asia/Tokyo" },
  { "j2@mu.jp", "Asia/Tokyo" },
  { "j3@nu.jp", "Asia/Tokyo" }, /* replies after the first mail */
};

static const char * const rules[] = {
  "unknown 550 5.1.1 User unknown",
  "full 452 4.2.2 Mailbox full",
  NULL
};

static const char *
country_of (const char *zone)
{
  if (g_str_equal (zone, "Europe/Berlin"))
    return "DE";
  if (g_str_equal (zone, "America/New_York"))
    return "US";
  if (g_str_equal (zone, "Asia/Shanghai"))
    return "CN";
  if (g_str_equal (zone, "America/Sao_Paulo"))
    return "BR";
  return "JP";
}

static const Contact *
find_contact (const char *email)
{
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    if (g_ascii_strcasecmp (contacts[i].email, email) == 0)
      return &contacts[i];
  return NULL;
}

/* Runs outbound-cli; asserts its exit status; returns stdout. */
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
  if (err != NULL && *err != '\0')
    g_test_message ("outbound-cli %s %s: %s", argv[0], argv[1], err);
  return g_steal_pointer (&out);
}

typedef struct
{
  ObTestKeyring    *keyring;
  ObTestSmtpServer *smtp;
  ObTestDir        *dir;
  char             *db;
  char             *campaign;
} Fixture;

static gint64
query_int (const char *db,
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
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
exec_sql (const char *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (db, &error);

  g_assert_no_error (error);
  ob_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

/* Contacts, two templates, an account on the harness server with its
 * password in the harness keyring, and a campaign with a follow-up. */
static void
setup_campaign (Fixture    *f,
                const char *interval,
                const char *window,
                const char *domain_cap,
                int         daily_cap,
                gboolean    scheduled)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("email,first_name,company,country,timezone\n");
  g_autofree char *csv_path = ob_test_dir_file (f->dir, "contacts.csv");
  g_autofree char *t1 = ob_test_dir_file (f->dir, "first.txt");
  g_autofree char *t2 = ob_test_dir_file (f->dir, "followup.txt");
  g_autofree char *smtp = g_strdup_printf ("127.0.0.1:%u", ob_test_smtp_server_get_port (f->smtp));
  g_autofree char *out = NULL;
  g_autofree char *cap = g_strdup_printf ("%d", daily_cap);

  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      g_autofree char *first = g_strndup (contacts[i].email, strcspn (contacts[i].email, "@"));

      g_string_append_printf (csv, "%s,%s,%s Ltd,%s,%s\n", contacts[i].email, first,
                              strchr (contacts[i].email, '@') + 1, country_of (contacts[i].zone),
                              contacts[i].zone);
    }
  g_file_set_contents (csv_path, csv->str, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (t1, "Subject: Valves for {{company|your team}}\n\n"
                           "Dear {{first_name|Sir or Madam}},\n\nwe make valves.\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (t2, "Subject: Re: Valves for {{company|your team}}\n\n"
                           "Dear {{first_name|Sir or Madam}},\n\njust following up.\n", -1, &error);
  g_assert_no_error (error);

  g_free (cli (0, NULL, (const char *[]) { "contacts", "import", csv_path, "--db", f->db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "template", "add", t1, "--db", f->db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "template", "add", t2, "--db", f->db, NULL }));
  g_free (cli (0, "testpass\n", (const char *[]) {
    "account", "add", "--db", f->db, "--email", "sales@sender.test", "--name", "Sales",
    "--username", "testuser", "--smtp", smtp, "--smtp-security", "starttls",
    "--ca-file", ob_test_ca_pem (), "--daily-limit", "200", "--password-stdin", NULL }));

  out = cli (0, NULL, (const char *[]) {
    "campaign", "create", "--db", f->db, "--name", "Valves", "--account", "1",
    "--segment", "country=DE|US|CN|BR|JP", "--template", "1", "--followup", "3:2",
    scheduled ? "--start" : "--no-warmup", scheduled ? START : "--no-holidays",
    "--window", window, "--daily-cap", cap, "--interval", interval,
    "--domain-hourly-cap", domain_cap, "--no-warmup", NULL });
  f->campaign = g_strstrip (g_steal_pointer (&out));
  g_free (cli (0, NULL, (const char *[]) { "campaign", "start", f->campaign, "--db", f->db, NULL }));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Before any libsecret or session-bus call; the CLI inherits the bus. */
  f->keyring = ob_test_keyring_start (&error);
  g_assert_no_error (error);
  f->smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, rules, &error);
  g_assert_no_error (error);
  f->dir = ob_test_dir_new ();
  f->db = ob_test_dir_file (f->dir, "outbound.db");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->campaign);
  g_free (f->db);
  ob_test_dir_free (f->dir);
  ob_test_smtp_server_free (f->smtp);
  ob_test_keyring_free (f->keyring);
}

/* One delivery as the server saw it. */
typedef struct
{
  char      *rcpt;
  char      *subject;
  GDateTime *date;
  gboolean   followup;
} Delivery;

static void
delivery_free (Delivery *d)
{
  g_free (d->rcpt);
  g_free (d->subject);
  g_clear_pointer (&d->date, g_date_time_unref);
  g_free (d);
}

static char *
header (const char *message,
        const char *name)
{
  g_autofree char *needle = g_strdup_printf ("\n%s: ", name);
  const char *at = strstr (message, needle);
  const char *end;

  if (at == NULL)
    return NULL;
  at += strlen (needle);
  end = strstr (at, "\r\n");
  if (end == NULL)
    end = at + strcspn (at, "\n");
  return g_strndup (at, end - at);
}

static GPtrArray *
deliveries (Fixture *f)
{
  g_autoptr(GPtrArray) messages = ob_test_smtp_server_get_messages (f->smtp);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_free);

  for (guint i = 0; i < messages->len; i++)
    {
      g_autofree char *text = g_strconcat ("\n", g_ptr_array_index (messages, i), NULL);
      g_autofree char *date = header (text, "Date");
      Delivery *d = g_new0 (Delivery, 1);

      d->rcpt = header (text, "X-Harness-Rcpt-To");
      d->subject = header (text, "Subject");
      g_assert_nonnull (d->rcpt);
      g_assert_nonnull (date);
      d->date = g_mime_utils_header_decode_date (date);
      g_assert_nonnull (d->date);
      d->followup = g_str_has_prefix (d->subject, "Re:");
      g_ptr_array_add (list, d);
    }
  return list;
}

static guint
count_for (GPtrArray  *list,
           const char *rcpt,
           gboolean    followup)
{
  guint n = 0;

  for (guint i = 0; i < list->len; i++)
    {
      Delivery *d = g_ptr_array_index (list, i);

      if (g_ascii_strcasecmp (d->rcpt, rcpt) == 0 && d->followup == followup)
        n++;
    }
  return n;
}

static guint
count_rcpt_commands (Fixture    *f,
                     const char *rcpt)
{
  g_autofree char *log = ob_test_smtp_server_get_log (f->smtp);
  g_autofree char *needle = g_strdup_printf ("RCPT TO:<%s>", rcpt);
  guint n = 0;

  for (const char *p = log; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* Lines of the server's log that start with @prefix. */
static guint
count_log_lines (Fixture    *f,
                 const char *prefix)
{
  g_autofree char *log = ob_test_smtp_server_get_log (f->smtp);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], prefix, strlen (prefix)) == 0)
      n++;
  return n;
}

static JsonObject *
parse_json_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
campaign_status (Fixture *f)
{
  g_autofree char *out = cli (0, NULL, (const char *[]) { "campaign", "status", f->campaign, "--db", f->db,
                                                         "--json", NULL });

  return parse_json_object (out);
}

static void
test_ten_days (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *out = NULL;
  g_autofree char *replier_sql = NULL;
  guint firsts = 0, followups = 0;

  setup_campaign (f, "60-180", "Tue-Thu 09:00-11:30", "1", DAILY_CAP, TRUE);

  /* Two days, then j3 replies, then the rest of the ten days. */
  out = cli (0, NULL, (const char *[]) { "campaign", "run", "--db", f->db, "--clock", "virtual:" START,
                                         "--until", "2027-03-04T00:00:00Z", "--json", NULL });
  g_test_message ("run 1: %s", out);
  g_assert_cmpuint (count_for (list = deliveries (f), "j3@nu.jp", FALSE), ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  replier_sql = g_strdup_printf ("UPDATE contacts SET replied_at = %" G_GINT64_FORMAT " WHERE email = 'j3@nu.jp';"
                                 "INSERT INTO events (at, kind, contact_id, campaign_id, step) "
                                 "SELECT %" G_GINT64_FORMAT ", 'replied', id, %s, 1 FROM contacts "
                                 "WHERE email = 'j3@nu.jp'",
                                 START_UNIX + 86400, START_UNIX + 86400, f->campaign);
  exec_sql (f->db, replier_sql);
  g_free (out);
  out = cli (0, NULL, (const char *[]) { "campaign", "run", "--db", f->db, "--clock",
                                         "virtual:2027-03-04T00:00:00Z", "--until", "2027-03-12T00:00:00Z",
                                         "--json", NULL });
  g_test_message ("run 2: %s", out);

  list = deliveries (f);
  g_test_message ("%u deliveries at the server", list->len);

  for (guint i = 0; i < list->len; i++)
    {
      Delivery *d = g_ptr_array_index (list, i);
      const Contact *c = find_contact (d->rcpt);
      g_autoptr(GTimeZone) zone = NULL;
      g_autoptr(GDateTime) local = NULL;
      int minutes, weekday, in_day = 0;

      /* Only the audience, never a refused address. */
      g_assert_nonnull (c);
      g_assert_false (g_str_has_prefix (d->rcpt, "unknown"));
      g_assert_false (g_str_has_prefix (d->rcpt, "full"));

      /* The Date is the recipient's local time, inside the window. */
      zone = g_time_zone_new_identifier (c->zone);
      g_assert_nonnull (zone);
      local = g_date_time_to_timezone (d->date, zone);
      g_assert_cmpint (g_date_time_get_utc_offset (d->date), ==, g_date_time_get_utc_offset (local));
      weekday = g_date_time_get_day_of_week (local);
      minutes = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
      g_assert_cmpint (weekday, >=, 2);
      g_assert_cmpint (weekday, <=, 4);
      g_assert_cmpint (minutes, >=, 9 * 60);
      g_assert_cmpint (minutes, <, 11 * 60 + 30);
      g_assert_cmpint (g_date_time_to_unix (d->date), >=, START_UNIX);
      g_assert_cmpint (g_date_time_to_unix (d->date), <, START_UNIX + 10 * 86400);

      /* No cap exceeded: the rolling day, and one an hour to alpha.de. */
      for (guint k = 0; k < list->len; k++)
        {
          Delivery *o = g_ptr_array_index (list, k);
          GTimeSpan diff = g_date_time_difference (d->date, o->date) / G_TIME_SPAN_SECOND;

          if (diff >= 0 && diff < 86400)
            in_day++;
          if (k != i && g_str_has_suffix (d->rcpt, "@alpha.de") && g_str_has_suffix (o->rcpt, "@alpha.de"))
            g_assert_cmpint (ABS (diff), >=, 3600);
          /* The interval between two sends of the account. */
          if (k != i)
            g_assert_cmpint (ABS (diff), >=, 60);
        }
      g_assert_cmpint (in_day, <=, DAILY_CAP);

      if (d->followup)
        followups++;
      else
        firsts++;
    }

  /* Each good address got the first mail once and the follow-up once;
   * the replier no follow-up; the refused ones nothing. */
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      const char *email = contacts[i].email;
      gboolean refused = g_str_has_prefix (email, "unknown") || g_str_has_prefix (email, "full");

      g_assert_cmpuint (count_for (list, email, FALSE), ==, refused ? 0 : 1);
      g_assert_cmpuint (count_for (list, email, TRUE), ==,
                        refused || g_str_equal (email, "j3@nu.jp") ? 0 : 1);
    }
  g_assert_cmpuint (firsts, ==, 12);
  g_assert_cmpuint (followups, ==, 11);

  /* Hard bounces suppressed at once (one RCPT each); the full mailbox
   * tried on three separate days, then suppressed. */
  g_assert_cmpuint (count_rcpt_commands (f, "unknown-d@beta.de"), ==, 1);
  g_assert_cmpuint (count_rcpt_commands (f, "unknown-c@theta.cn"), ==, 1);
  g_assert_cmpuint (count_rcpt_commands (f, "full-u@eps.com"), ==, 3);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM contacts WHERE status = 'suppressed' "
                                     "AND email LIKE 'unknown%'", NULL), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM suppressions WHERE reason = 'hard-bounce'", NULL), ==, 2);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM suppressions WHERE reason = 'soft-bounce' "
                                     "AND value = ?1", "full-u@eps.com"), ==, 1);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM contacts WHERE status = 'suppressed'", NULL), ==, 3);
  /* The follow-up of the replier was skipped, not sent. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                     "WHERE c.email = ?1 AND q.state = 'skipped'", "j3@nu.jp"), ==, 1);
  /* The Message-ID of every delivered mail is in its queue row. */
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM queue WHERE state = 'sent' AND message_id LIKE '%@sender.test'",
                              NULL), ==, 23);

  /* One connection per run, kept open: one login each, RSET between. */
  g_test_message ("server log: %u EHLO, %u AUTH, %u RSET, %u QUIT", count_log_lines (f, "EHLO"),
                  count_log_lines (f, "AUTH"), count_log_lines (f, "RSET"), count_log_lines (f, "QUIT"));
  g_assert_cmpuint (count_log_lines (f, "AUTH"), ==, 2);
  g_assert_cmpuint (count_log_lines (f, "RSET"), >=, 23);
  g_assert_cmpuint (count_log_lines (f, "QUIT"), ==, 2); /* closed when the engine stopped */

  status = campaign_status (f);
  g_test_message ("status: sent %" G_GINT64_FORMAT ", hard %" G_GINT64_FORMAT ", soft %" G_GINT64_FORMAT
                  ", suppressed %" G_GINT64_FORMAT ", replies %" G_GINT64_FORMAT,
                  json_object_get_int_member (status, "sent"), json_object_get_int_member (status, "hard_bounces"),
                  json_object_get_int_member (status, "soft_bounces"), json_object_get_int_member (status, "suppressed"),
                  json_object_get_int_member (status, "replies"));
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "done");
  g_assert_cmpint (json_object_get_int_member (status, "sent"), ==, 23);
  g_assert_cmpint (json_object_get_int_member (status, "hard_bounces"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "soft_bounces"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (status, "replies"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "uncertain"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (status, "queued"), ==, 0);
}

static guint
maildir_count (Fixture *f)
{
  return ob_test_smtp_server_count_messages (f->smtp);
}

/* SIGKILL mid-campaign, restart: nothing twice at the server, nobody lost. */
static void
test_kill_and_restart (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *out = NULL;
  const char *cli_path = g_getenv ("OUTBOUND_CLI");
  gint64 deadline, uncertain;
  guint at_kill;

  /* A real clock, a window open all week and a second between sends:
   * the kill lands while the campaign is under way. */
  setup_campaign (f, "1-1", "Mon-Sun 00:00-23:59", "100", 100, FALSE);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, cli_path, "campaign", "run",
                           "--db", f->db, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (maildir_count (f) < 4 && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  at_kill = maildir_count (f);
  g_test_message ("killed with %u messages at the server", at_kill);
  g_assert_cmpuint (at_kill, >=, 4);
  g_assert_cmpuint (at_kill, <, 12);

  /* The restart sends the rest; the row that was in flight is uncertain.
   * The soft bounce's retry falls due tomorrow: stop before it. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 300);
    g_autofree char *until = g_date_time_format_iso8601 (later);

    out = cli (0, NULL, (const char *[]) { "campaign", "run", "--db", f->db, "--until", until, "--json", NULL });
  }
  g_test_message ("restart: %s", out);

  list = deliveries (f);
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    g_assert_cmpuint (count_for (list, contacts[i].email, FALSE), <=, 1);

  status = campaign_status (f);
  uncertain = json_object_get_int_member (status, "uncertain");
  g_test_message ("after restart: %u at the server, %" G_GINT64_FORMAT " uncertain", list->len, uncertain);
  g_assert_cmpint (uncertain, <=, 1);

  /* Nobody lost: each good address was delivered, or its row is uncertain. */
  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      const char *email = contacts[i].email;
      gboolean refused = g_str_has_prefix (email, "unknown") || g_str_has_prefix (email, "full");
      gint64 is_uncertain = query_int (f->db, "SELECT count(*) FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                              "JOIN campaign_steps s ON s.id = q.step_id "
                                              "WHERE c.email = ?1 AND s.position = 1 AND q.state = 'uncertain'",
                                       email);

      if (refused)
        continue;
      g_assert_cmpuint (count_for (list, email, FALSE) + is_uncertain, >=, 1);
      if (is_uncertain)
        {
          /* The server has it: the user finds it in Sent and says so. */
          g_autofree char *qid = NULL;

          g_assert_cmpuint (count_for (list, email, FALSE), ==, 1);
          qid = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 query_int (f->db, "SELECT q.id FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                                   "JOIN campaign_steps s ON s.id = q.step_id "
                                                   "WHERE c.email = ?1 AND s.position = 1", email));
          g_free (cli (0, NULL, (const char *[]) { "campaign", "resolve", qid, "--mark-sent", "--db", f->db, NULL }));
        }
    }

  g_clear_pointer (&status, json_object_unref);
  status = campaign_status (f);
  g_assert_cmpint (json_object_get_int_member (status, "uncertain"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (status, "sent"), ==, 12);
  g_assert_cmpint (query_int (f->db, "SELECT count(*) FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                                     "WHERE s.position = 1 AND q.state = 'sent'", NULL), ==, 12);
}

/* The connection drops in the middle of DATA: the message may have gone,
 * so it is uncertain, not retried. */
static void
test_drop_during_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
  static const char * const drop_rules[] = { "@data-drop", NULL };
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *csv = ob_test_dir_file (dir, "c.csv");
  g_autofree char *tpl = ob_test_dir_file (dir, "t.txt");
  g_autofree char *server = NULL;
  g_autofree char *id = NULL;
  Fixture f = { 0 };
  g_autoptr(JsonObject) status = NULL;

  g_assert_no_error (error);
  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_AUTH, drop_rules, &error);
  g_assert_no_error (error);
  server = g_strdup_printf ("127.0.0.1:%u", ob_test_smtp_server_get_port (smtp));
  g_file_set_contents (csv, "email,country\nx1@omega.de,DE\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (tpl, "Subject: Hi\n\nHello\n", -1, &error);
  g_assert_no_error (error);
  g_free (cli (0, NULL, (const char *[]) { "contacts", "import", csv, "--db", db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "template", "add", tpl, "--db", db, NULL }));
  g_free (cli (0, "testpass\n", (const char *[]) {
    "account", "add", "--db", db, "--email", "sales@sender.test", "--username", "testuser",
    "--smtp", server, "--smtp-security", "starttls", "--ca-file", ob_test_ca_pem (), "--password-stdin", NULL }));
  id = cli (0, NULL, (const char *[]) { "campaign", "create", "--db", db, "--name", "Drop", "--account", "1",
                                        "--all", "--template", "1", "--window", "Mon-Sun 00:00-23:59",
                                        "--no-holidays", "--no-warmup", NULL });
  g_strstrip (id);
  g_free (cli (0, NULL, (const char *[]) { "campaign", "start", id, "--db", db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "campaign", "run", "--db", db, NULL }));

  f.db = db;
  f.campaign = id;
  status = campaign_status (&f);
  f.db = NULL;
  f.campaign = NULL;
  g_assert_cmpint (json_object_get_int_member (status, "uncertain"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "sent"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM queue WHERE state = 'uncertain'", NULL), ==, 1);
  /* The server was asked once: an uncertain message is not retried. */
  {
    g_autofree char *log = ob_test_smtp_server_get_log (smtp);
    g_assert_nonnull (strstr (log, "RCPT TO:<x1@omega.de>"));
    g_assert_null (strstr (strstr (log, "RCPT TO:<x1@omega.de>") + 1, "RCPT TO:<x1@omega.de>"));
  }

  /* The log names the message to decide about; the user says it went. */
  {
    g_autofree char *log = cli (0, NULL, (const char *[]) { "campaign", "log", id, "--db", db, "--json", NULL });
    g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
    gint64 queue_id = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_autoptr(JsonObject) entry = NULL;

        if (*lines[i] == '\0')
          continue;
        entry = parse_json_object (lines[i]);
        if (g_strcmp0 (json_object_get_string_member (entry, "event"), "uncertain") == 0)
          queue_id = json_object_get_int_member (entry, "queue_id");
      }
    g_assert_cmpint (queue_id, >, 0);
    {
      g_autofree char *qid = g_strdup_printf ("%" G_GINT64_FORMAT, queue_id);

      g_free (cli (0, NULL, (const char *[]) { "campaign", "resolve", qid, "--mark-sent", "--db", db, NULL }));
    }
    f.db = db;
    f.campaign = id;
    g_clear_pointer (&status, json_object_unref);
    status = campaign_status (&f);
    f.db = NULL;
    f.campaign = NULL;
    g_assert_cmpint (json_object_get_int_member (status, "uncertain"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (status, "sent"), ==, 1);
  }
}

/* The recipient's server blocks the sender (554 5.7.1 … client host
 * blocked): the account rests, the contact is never suppressed. */
static void
test_sender_blocked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObTestKeyring) keyring = ob_test_keyring_start (&error);
  static const char * const block_rules[] = { "blocked 554 5.7.1 Service unavailable; Client host blocked", NULL };
  g_autoptr(ObTestSmtpServer) smtp = NULL;
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "outbound.db");
  g_autofree char *csv = ob_test_dir_file (dir, "c.csv");
  g_autofree char *tpl = ob_test_dir_file (dir, "t.txt");
  g_autofree char *server = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *until = g_date_time_format_iso8601 (later);

  g_assert_no_error (error);
  smtp = ob_test_smtp_server_start (OB_TEST_SMTP_STARTTLS | OB_TEST_SMTP_REQUIRE_AUTH, block_rules, &error);
  g_assert_no_error (error);
  server = g_strdup_printf ("127.0.0.1:%u", ob_test_smtp_server_get_port (smtp));
  g_file_set_contents (csv, "email,country\nblocked@omega.de,DE\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (tpl, "Subject: Hi\n\nHello\n", -1, &error);
  g_assert_no_error (error);
  g_free (cli (0, NULL, (const char *[]) { "contacts", "import", csv, "--db", db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "template", "add", tpl, "--db", db, NULL }));
  g_free (cli (0, "testpass\n", (const char *[]) {
    "account", "add", "--db", db, "--email", "sales@sender.test", "--username", "testuser",
    "--smtp", server, "--smtp-security", "starttls", "--ca-file", ob_test_ca_pem (), "--password-stdin", NULL }));
  id = cli (0, NULL, (const char *[]) { "campaign", "create", "--db", db, "--name", "Blocked", "--account", "1",
                                        "--all", "--template", "1", "--window", "Mon-Sun 00:00-23:59",
                                        "--no-holidays", "--no-warmup", NULL });
  g_strstrip (id);
  g_free (cli (0, NULL, (const char *[]) { "campaign", "start", id, "--db", db, NULL }));
  g_free (cli (0, NULL, (const char *[]) { "campaign", "run", "--db", db, "--until", until, NULL }));

  g_assert_cmpuint (ob_test_smtp_server_count_messages (smtp), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events WHERE kind = 'blocked'", NULL), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM suppressions", NULL), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM contacts WHERE status = 'active'", NULL), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM queue WHERE state = 'retry'", NULL), ==, 1);
}

/* A second engine on the same database is refused with exit 2. */
static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *cli_path = g_getenv ("OUTBOUND_CLI");
  const char *argv[] = { "campaign", "run", "--db", f->db, NULL };
  gint64 deadline;
  int status;

  setup_campaign (f, "1-1", "Mon-Sun 00:00-23:59", "100", 100, FALSE);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, cli_path, "campaign", "run",
                           "--db", f->db, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (maildir_count (f) < 1 && g_get_monotonic_time () < deadline)
    g_usleep (2000);
  status = ob_test_run_cli (argv, NULL, NULL, &err);
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "already sending"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();

  g_test_add ("/campaign-run/ten-days", Fixture, NULL, fixture_set_up, test_ten_days, fixture_tear_down);
  g_test_add ("/campaign-run/kill-and-restart", Fixture, NULL, fixture_set_up, test_kill_and_restart,
              fixture_tear_down);
  g_test_add ("/campaign-run/lock", Fixture, NULL, fixture_set_up, test_lock, fixture_tear_down);
  g_test_add_func ("/campaign-run/drop-during-data", test_drop_during_data);
  g_test_add_func ("/campaign-run/sender-blocked", test_sender_blocked);

  return g_test_run ();
}
