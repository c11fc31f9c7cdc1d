/* test-sending-service.c — the app's sending on the real clock: a started
 * campaign makes the service active, the engine sends through a dry-run
 * account without anyone calling it, and the service goes idle when the
 * campaign is done. A second service on the same database is refused.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-core.h"
#include "ob-sending-service.h"
#include "ob-test-util.h"

static void
cli_ok (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = ob_test_run_cli (argv, NULL, &out, &err);

  if (status != 0)
    g_error ("outbound-cli %s %s failed (%d): %s", argv[0], argv[1], status, err);
}

static guint
count_eml (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      n++;
  return n;
}

static void
active_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *changes)
{
  (*changes)++;
}

static void
test_service_sends_and_idles (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *db = ob_test_dir_file (dir, "service.db");
  g_autofree char *outbox = ob_test_dir_file (dir, "outbox");
  g_autofree char *template = ob_test_dir_file (dir, "first.txt");
  g_autoptr(ObStore) store = NULL;
  g_autoptr(ObSendingService) service = NULL;
  g_autoptr(ObSendingService) second = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = 0;
  gint64 end;

  g_assert_cmpint (g_mkdir_with_parents (outbox, 0700), ==, 0);
  g_assert_true (g_file_set_contents (template,
                                      "Subject: Valves for {{company|your company}}\n\n"
                                      "Dear {{first_name|Sir or Madam}},\n\nWe make brass valves.\n\n"
                                      "Best regards,\nLi Wei\nHengda Valve Co., Ltd.\n\n"
                                      "If you would rather not hear from us again, just reply \"unsubscribe\".\n",
                                      -1, NULL));
  {
    const char *account[] = { "account", "add", "--db", db, "--email", "sales@hengda-valve.cn",
                              "--name", "Li Wei", "--dry-run", outbox, NULL };
    const char *tmpl[] = { "template", "add", template, "--db", db, NULL };
    cli_ok (account);
    cli_ok (tmpl);
  }

  store = ob_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (store,
                                "INSERT INTO contacts (email, email_key, domain, first_name, company, country,"
                                " timezone, verdict, created_at, updated_at) VALUES"
                                " ('anna@acme-valves.de', 'anna@acme-valves.de', 'acme-valves.de', 'Anna',"
                                "  'Acme Valves', 'DE', 'Europe/Berlin', 'valid', 1, 1),"
                                " ('bob@pipes.com.au', 'bob@pipes.com.au', 'pipes.com.au', 'Bob', 'Pipes',"
                                "  'AU', 'Australia/Sydney', 'valid', 1, 1)", &error));
  g_assert_no_error (error);

  service = ob_sending_service_new (store);
  g_signal_connect (service, "notify::active", G_CALLBACK (active_cb), &changes);
  g_assert_true (ob_sending_service_start (service, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ob_sending_service_get_active (service));

  /* One engine per database: a second is refused, clearly. */
  second = ob_sending_service_new (store);
  g_assert_false (ob_sending_service_start (second, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("second service: %s", error->message);
  g_clear_error (&error);

  {
    /* Every day, all day, one or two seconds apart: due now. */
    const char *create[] = { "campaign", "create", "--db", db, "--name", "Live", "--account", "1", "--all",
                             "--template", "1", "--window", "Mon-Sun 00:00-23:59", "--interval", "1-2",
                             "--no-warmup", NULL };
    const char *start[] = { "campaign", "start", "1", "--db", db, NULL };
    cli_ok (create);
    cli_ok (start);
  }
  ob_sending_service_refresh (service);
  g_assert_true (ob_sending_service_get_active (service));

  /* The engine wakes on the real clock and sends both: nobody calls it. */
  end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count_eml (outbox) < 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (20000);
  g_assert_cmpuint (count_eml (outbox), ==, 2);

  /* Done: the service is idle again. */
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (ob_sending_service_get_active (service) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
      ob_sending_service_refresh (service);
    }
  g_assert_false (ob_sending_service_get_active (service));
  g_assert_cmpuint (changes, >=, 2);

  ob_sending_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ob_core_init ();

  g_test_add_func ("/sending-service/sends-and-idles", test_service_sends_and_idles);

  return g_test_run ();
}
