/* test-sending.c — core/sending: clocks, windows and holidays, pacing,
 * the queue and the send engine over simulated days.
 *
 * The engine's seams (transport, renderer, reply classifier) are in-test
 * fakes here: this is the pure-logic unit test. The fake transport answers
 * per recipient substring, like the harness's scripted SMTP server, and
 * records every delivery with the clock's time.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ob-bounce-sink.h"
#include "ob-campaign.h"
#include "ob-pacing.h"
#include "ob-real-clock.h"
#include "ob-schedule.h"
#include "ob-send-engine.h"
#include "ob-sending.h"
#include "ob-store.h"
#include "ob-suppressions.h"
#include "ob-test-util.h"
#include "ob-virtual-clock.h"

/* ---------------------------------------------------------------- fakes */

typedef struct
{
  gint64  at;
  gint64  account_id;
  char   *rcpt;
  char   *message_id;
  int     code;
} Delivery;

static void
delivery_clear (gpointer data)
{
  Delivery *d = data;

  g_free (d->rcpt);
  g_free (d->message_id);
}

#define FAKE_TYPE_TRANSPORT (fake_transport_get_type ())
G_DECLARE_FINAL_TYPE (FakeTransport, fake_transport, FAKE, TRANSPORT, GObject)

struct _FakeTransport
{
  GObject     parent_instance;
  ObClock    *clock;
  GArray     *deliveries;  /* Delivery */
  GHashTable *blocked_once; /* recipients already blocked once */
  GHashTable *busy;         /* account ids with a send in flight */
  gboolean    overlap;      /* two sends of one account at once */
  ObStore    *hold_on_send; /* another connection: takes the write lock at the next send */
};

static void fake_transport_iface_init (ObSendTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeTransport, fake_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_SEND_TRANSPORT, fake_transport_iface_init))

typedef struct
{
  GTask  *task;
  gint64  account_id;
} FakeSend;

static gboolean
fake_send_done_cb (gpointer user_data)
{
  FakeSend *send = user_data;
  FakeTransport *self = g_task_get_source_object (send->task);

  g_hash_table_remove (self->busy, &send->account_id);
  g_task_return_pointer (send->task, g_task_get_task_data (send->task),
                         (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (send->task);
  g_free (send);
  return G_SOURCE_REMOVE;
}

static void
fake_transport_send_async (ObSendTransport     *transport,
                           gint64               account_id,
                           const char          *mail_from,
                           const char * const  *recipients,
                           GBytes              *message,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  FakeTransport *self = FAKE_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) ob_recipient_result_free);
  FakeSend *send = g_new0 (FakeSend, 1);
  gsize size;
  g_autofree char *bytes = NULL;
  const char *mid;

  if (g_hash_table_contains (self->busy, &account_id))
    self->overlap = TRUE;
  if (self->hold_on_send != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (ob_store_exec (self->hold_on_send, "BEGIN IMMEDIATE", &error));
      g_assert_no_error (error);
      self->hold_on_send = NULL;
    }

  /* Connection-level failures, scripted by the first recipient. */
  if (strstr (recipients[0], "dropline") != NULL ||
      (strstr (recipients[0], "authonce") != NULL && !g_hash_table_contains (self->blocked_once, recipients[0])))
    {
      Delivery d = { 0 };
      gboolean drop = strstr (recipients[0], "dropline") != NULL;

      g_hash_table_add (self->blocked_once, g_strdup (recipients[0]));
      d.at = ob_clock_now (self->clock);
      d.account_id = account_id;
      d.rcpt = g_strdup (recipients[0]);
      d.code = 0;
      g_array_append_val (self->deliveries, d);
      g_ptr_array_unref (results);
      g_free (send);
      if (drop)
        g_task_return_new_error (task, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_UNCERTAIN,
                                 "Connection lost after the end of DATA");
      else
        g_task_return_new_error (task, OB_SEND_TRANSPORT_ERROR, OB_SEND_TRANSPORT_ERROR_AUTH,
                                 "535 5.7.8 Authentication failed");
      g_object_unref (task);
      return;
    }
  send->account_id = account_id;
  g_hash_table_add (self->busy, g_memdup2 (&account_id, sizeof account_id));

  g_assert_nonnull (mail_from);
  bytes = g_strndup (g_bytes_get_data (message, &size), g_bytes_get_size (message));
  g_assert_true (size > 0);
  mid = strstr (bytes, "Message-ID: <");

  for (guint i = 0; recipients[i] != NULL; i++)
    {
      const char *r = recipients[i];
      ObRecipientResult *result;
      Delivery d = { 0 };

      /* The scripted server: first matching substring wins. */
      if (strstr (r, "unknown") != NULL)
        result = ob_recipient_result_new (r, 550, "5.1.1", "User unknown");
      else if (strstr (r, "full") != NULL)
        result = ob_recipient_result_new (r, 452, "4.2.2", "Mailbox full");
      else if (strstr (r, "blockonce") != NULL && !g_hash_table_contains (self->blocked_once, r))
        {
          g_hash_table_add (self->blocked_once, g_strdup (r));
          result = ob_recipient_result_new (r, 554, "5.7.1", "Service unavailable; client host blocked");
        }
      else
        result = ob_recipient_result_new (r, 250, "2.1.5", "OK");

      d.at = ob_clock_now (self->clock);
      d.account_id = account_id;
      d.rcpt = g_strdup (r);
      d.message_id = mid ? g_strndup (mid + 13, strcspn (mid + 13, ">")) : NULL;
      d.code = result->code;
      g_array_append_val (self->deliveries, d);
      g_ptr_array_add (results, result);
    }

  g_task_set_task_data (task, results, NULL);
  send->task = task;
  g_idle_add (fake_send_done_cb, send);
}

static GPtrArray *
fake_transport_send_finish (ObSendTransport  *transport,
                            GAsyncResult     *result,
                            GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_transport_iface_init (ObSendTransportInterface *iface)
{
  iface->send_async = fake_transport_send_async;
  iface->send_finish = fake_transport_send_finish;
}

static void
fake_transport_finalize (GObject *object)
{
  FakeTransport *self = FAKE_TRANSPORT (object);

  g_clear_object (&self->clock);
  g_array_unref (self->deliveries);
  g_hash_table_unref (self->blocked_once);
  g_hash_table_unref (self->busy);
  G_OBJECT_CLASS (fake_transport_parent_class)->finalize (object);
}

static void
fake_transport_class_init (FakeTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_transport_finalize;
}

static void
fake_transport_init (FakeTransport *self)
{
  self->deliveries = g_array_new (FALSE, TRUE, sizeof (Delivery));
  g_array_set_clear_func (self->deliveries, delivery_clear);
  self->blocked_once = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->busy = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

#define FAKE_TYPE_RENDERER (fake_renderer_get_type ())
G_DECLARE_FINAL_TYPE (FakeRenderer, fake_renderer, FAKE, RENDERER, GObject)

struct _FakeRenderer
{
  GObject  parent_instance;
  ObStore *store;
};

static void fake_renderer_iface_init (ObMessageRendererInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeRenderer, fake_renderer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_MESSAGE_RENDERER, fake_renderer_iface_init))

static ObRenderedMessage *
fake_renderer_render (ObMessageRenderer  *renderer,
                      gint64              campaign_id,
                      int                 step,
                      gint64              contact_id,
                      gint64              account_id,
                      GError            **error)
{
  FakeRenderer *self = FAKE_RENDERER (renderer);
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (self->store,
                                                   "SELECT email FROM contacts WHERE id = ?1", error);
  g_autofree char *mid = NULL;
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *email;

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, contact_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  email = (const char *) sqlite3_column_text (stmt, 0);

  mid = g_strdup_printf ("c%" G_GINT64_FORMAT ".s%d.k%" G_GINT64_FORMAT "@test",
                         campaign_id, step, contact_id);
  from = g_strdup_printf ("sender%" G_GINT64_FORMAT "@example.com", account_id);
  text = g_strdup_printf ("From: %s\r\nTo: %s\r\nMessage-ID: <%s>\r\nSubject: step %d\r\n\r\nHello\r\n",
                          from, email, mid, step);
  bytes = g_bytes_new (text, strlen (text));
  return ob_rendered_message_new (bytes, mid, from, email);
}

static void
fake_renderer_iface_init (ObMessageRendererInterface *iface)
{
  iface->render = fake_renderer_render;
}

static void
fake_renderer_finalize (GObject *object)
{
  g_clear_object (&FAKE_RENDERER (object)->store);
  G_OBJECT_CLASS (fake_renderer_parent_class)->finalize (object);
}

static void
fake_renderer_class_init (FakeRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_renderer_finalize;
}

static void
fake_renderer_init (FakeRenderer *self)
{
}

#define FAKE_TYPE_CLASSIFIER (fake_classifier_get_type ())
G_DECLARE_FINAL_TYPE (FakeClassifier, fake_classifier, FAKE, CLASSIFIER, GObject)

struct _FakeClassifier
{
  GObject parent_instance;
};

static void fake_classifier_iface_init (ObReplyClassifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeClassifier, fake_classifier, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_REPLY_CLASSIFIER, fake_classifier_iface_init))

static void
fake_classifier_classify (ObReplyClassifier *classifier,
                          int                code,
                          const char        *enhanced,
                          const char        *text,
                          ObReplyVerdict    *verdict)
{
  if (text != NULL && strstr (text, "blocked") != NULL)
    {
      verdict->kind = OB_SEND_BOUNCE_NONE;
      verdict->action = OB_SEND_ACTION_PAUSE_SENDER;
      verdict->reason = g_strdup ("blocked");
    }
  else if (code >= 500)
    {
      verdict->kind = OB_SEND_BOUNCE_HARD;
      verdict->action = OB_SEND_ACTION_SUPPRESS;
      verdict->reason = g_strdup ("userunknown");
    }
  else if (code >= 400)
    {
      verdict->kind = OB_SEND_BOUNCE_SOFT;
      verdict->action = OB_SEND_ACTION_RETRY;
      verdict->reason = g_strdup ("mailboxfull");
    }
}

static void
fake_classifier_iface_init (ObReplyClassifierInterface *iface)
{
  iface->classify = fake_classifier_classify;
}

static void
fake_classifier_class_init (FakeClassifierClass *klass)
{
}

static void
fake_classifier_init (FakeClassifier *self)
{
}

/* -------------------------------------------------------------- fixture */

typedef struct
{
  ObTestDir      *dir;
  ObStore        *store;
  ObClock        *clock;
  FakeTransport  *transport;
  FakeRenderer   *renderer;
  FakeClassifier *classifier;
  ObSendEngine   *engine;
  GMainLoop      *loop;
  gboolean        finished;
} Fixture;

/* Monday 2027-03-01 00:00 UTC: no holiday of the test countries in the
 * next two weeks (Easter 2027 is on 28 March). */
#define T0 G_GINT64_CONSTANT (1803859200)

static void
fixture_engine (Fixture *f)
{
  g_clear_object (&f->engine);
  f->engine = ob_send_engine_new (f->store, f->clock, OB_SEND_TRANSPORT (f->transport),
                                  OB_MESSAGE_RENDERER (f->renderer),
                                  OB_REPLY_CLASSIFIER (f->classifier));
  ob_send_engine_set_seed (f->engine, 42);
}

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
  f->clock = ob_virtual_clock_new (T0);
  f->transport = g_object_new (FAKE_TYPE_TRANSPORT, NULL);
  f->transport->clock = g_object_ref (f->clock);
  f->renderer = g_object_new (FAKE_TYPE_RENDERER, NULL);
  f->renderer->store = g_object_ref (f->store);
  f->classifier = g_object_new (FAKE_TYPE_CLASSIFIER, NULL);
  fixture_engine (f);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->transport);
  g_clear_object (&f->renderer);
  g_clear_object (&f->classifier);
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  g_clear_pointer (&f->loop, g_main_loop_unref);
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
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (Fixture    *f,
           const char *format,
           ...)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  stmt = ob_store_prepare (f->store, sql, NULL);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
add_account (Fixture    *f,
             const char *email,
             int         daily_limit)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO accounts (email, smtp_host, smtp_port, smtp_security, "
                                          "daily_limit, created_at, updated_at) "
                                          "VALUES ('%s', 'smtp.example.com', 465, 'tls', %d, 1, 1)",
                                          email, daily_limit);
  exec_sql (f, sql);
  return ob_store_last_insert_id (f->store);
}

static gint64
add_template (Fixture *f)
{
  exec_sql (f, "INSERT INTO templates (name, subject, body_text, created_at, updated_at) "
               "VALUES ('t', 'Hello', 'Hi', 1, 1)");
  return ob_store_last_insert_id (f->store);
}

static gint64
add_contact (Fixture    *f,
             const char *email,
             const char *country,
             const char *zone)
{
  const char *at = strchr (email, '@');
  g_autofree char *sql = NULL;

  g_assert_nonnull (at);
  sql = g_strdup_printf ("INSERT INTO contacts (email, email_key, domain, country, timezone, "
                         "created_at, updated_at) VALUES ('%s', '%s', '%s', %s%s%s, %s%s%s, 1, 1)",
                         email, email, at + 1,
                         country ? "'" : "", country ? country : "NULL", country ? "'" : "",
                         zone ? "'" : "", zone ? zone : "NULL", zone ? "'" : "");
  exec_sql (f, sql);
  return ob_store_last_insert_id (f->store);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_send_engine_run_finish (OB_SEND_ENGINE (object), result, &error));
  g_assert_no_error (error);
  f->finished = TRUE;
  g_main_loop_quit (f->loop);
}

static void
run_until (Fixture *f,
           gint64   until)
{
  f->finished = FALSE;
  ob_send_engine_run_async (f->engine, until, NULL, run_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_true (f->finished);
}

static guint
deliveries_to (Fixture    *f,
               const char *rcpt)
{
  guint n = 0;

  for (guint i = 0; i < f->transport->deliveries->len; i++)
    if (g_str_equal (g_array_index (f->transport->deliveries, Delivery, i).rcpt, rcpt))
      n++;
  return n;
}

/* ---------------------------------------------------------------- clock */

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = ob_clock_wait_until_finish (OB_CLOCK (object), result, error);

  g_assert_true (ok == (*error == NULL));
}

static void
test_virtual_clock_jumps (void)
{
  g_autoptr(ObClock) clock = ob_virtual_clock_new (T0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *first = NULL, *second = NULL, *cancelled = NULL;
  gint64 started = g_get_monotonic_time ();

  g_assert_cmpint (ob_clock_now (clock), ==, T0);
  ob_clock_wait_until_async (clock, T0 + 3 * 86400, NULL, wait_done_cb, &second);
  ob_clock_wait_until_async (clock, T0 + 3600, NULL, wait_done_cb, &first);
  ob_clock_wait_until_async (clock, T0 + 7200, cancellable, wait_done_cb, &cancelled);
  g_cancellable_cancel (cancellable);

  while (ob_clock_now (clock) < T0 + 3600)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ob_clock_now (clock), ==, T0 + 3600);
  while (ob_clock_now (clock) < T0 + 3 * 86400)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* Three days in well under a second, straight to each wake-up. */
  g_assert_cmpint (ob_clock_now (clock), ==, T0 + 3 * 86400);
  g_assert_cmpuint (ob_virtual_clock_get_jumps (OB_VIRTUAL_CLOCK (clock)), ==, 2);
  g_assert_no_error (first);
  g_assert_no_error (second);
  g_assert_error (cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  g_clear_error (&cancelled);
}

static void
test_real_clock_waits (void)
{
  g_autoptr(ObClock) clock = ob_real_clock_new ();
  gint64 now = ob_clock_now (clock);
  gint64 started = g_get_monotonic_time ();
  GError *past = NULL, *soon = NULL;

  g_assert_cmpint (ABS (now - g_get_real_time () / G_USEC_PER_SEC), <=, 1);

  ob_clock_wait_until_async (clock, now - 10, NULL, wait_done_cb, &past);
  ob_clock_wait_until_async (clock, now + 2, NULL, wait_done_cb, &soon);
  while (ob_clock_now (clock) < now + 2)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (past);
  g_assert_no_error (soon);
  /* Woken by the timer (not a busy loop), about when asked. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_real_time () / G_USEC_PER_SEC, >=, now + 2);
}

/* ------------------------------------------------------------- schedule */

static gint64
utc (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, m, d, h, min, 0);
  return g_date_time_to_unix (dt);
}

static void
test_window_parse (void)
{
  ObSendWindow w;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *bad[] = { "", "Tue-Thu", "Tue-Thu 9-11", "Tux-Thu 09:00-11:30", "Tue-Thu 11:30-09:00",
                        "Tue-Thu 09:00-25:00", "Tue-Thu 09:60-11:00", "Tue--Thu 09:00-11:00" };

  ob_send_window_init_default (&w);
  g_assert_cmpuint (w.days, ==, 0x0e);
  g_assert_cmpint (w.start_min, ==, 540);
  g_assert_cmpint (w.end_min, ==, 690);

  g_assert_true (ob_send_window_parse ("Tue-Thu 09:00-11:30", &w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (w.days, ==, 0x0e);
  g_assert_cmpint (w.start_min, ==, 540);
  g_assert_cmpint (w.end_min, ==, 690);

  g_assert_true (ob_send_window_parse ("  sun-tue,Friday  08:15-24:00 ", &w, &error));
  g_assert_cmpuint (w.days, ==, (1 << 6) | 1 | 2 | (1 << 4));
  g_assert_cmpint (w.start_min, ==, 8 * 60 + 15);
  g_assert_cmpint (w.end_min, ==, 1440);
  text = ob_send_window_to_string (&w);
  g_assert_cmpstr (text, ==, "Mon-Tue,Fri,Sun 08:15-24:00");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ObSendWindow before = w;
      g_assert_false (ob_send_window_parse (bad[i], &w, &error));
      g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_cmpint (memcmp (&before, &w, sizeof w), ==, 0);
      g_clear_error (&error);
    }
}

static void
test_holidays (void)
{
  /* Fixed, weekday rules, Easter-based and observed days. */
  g_assert_nonnull (ob_schedule_holiday ("US", 2026, 11, 26));   /* Thanksgiving */
  g_assert_nonnull (ob_schedule_holiday ("us", 2027, 7, 5));     /* 4 July on a Sunday */
  g_assert_nonnull (ob_schedule_holiday ("US", 2026, 7, 3));     /* 4 July on a Saturday */
  g_assert_null (ob_schedule_holiday ("US", 2026, 7, 6));
  g_assert_nonnull (ob_schedule_holiday ("US", 2027, 12, 31));   /* 1 Jan 2028 is a Saturday */
  g_assert_nonnull (ob_schedule_holiday ("DE", 2026, 4, 6));     /* Easter Monday */
  g_assert_nonnull (ob_schedule_holiday ("DE", 2027, 5, 6));     /* Ascension, Easter 28 March */
  g_assert_nonnull (ob_schedule_holiday ("DE", 2028, 6, 5));     /* Whit Monday, Easter 16 April */
  g_assert_null (ob_schedule_holiday ("DE", 2026, 4, 7));
  g_assert_nonnull (ob_schedule_holiday ("GB", 2027, 12, 27));   /* Christmas on a Saturday */
  g_assert_nonnull (ob_schedule_holiday ("GB", 2027, 12, 28));   /* Boxing Day on a Sunday */
  g_assert_nonnull (ob_schedule_holiday ("GB", 2026, 8, 31));    /* last Monday of August */
  g_assert_nonnull (ob_schedule_holiday ("CA", 2026, 5, 18));    /* Victoria Day */
  g_assert_null (ob_schedule_holiday ("CA", 2026, 5, 25));
  g_assert_nonnull (ob_schedule_holiday ("JP", 2026, 5, 6));     /* 3 May on a Sunday */
  g_assert_nonnull (ob_schedule_holiday ("BR", 2026, 2, 17));    /* Carnival Tuesday */
  g_assert_nonnull (ob_schedule_holiday ("KR", 2027, 2, 5));     /* Seollal */
  g_assert_nonnull (ob_schedule_holiday ("MX", 2026, 3, 16));    /* third Monday of March */
  g_assert_nonnull (ob_schedule_holiday ("PL", 2026, 12, 24));
  g_assert_nonnull (ob_schedule_holiday ("AU", 2026, 1, 26));
  g_assert_null (ob_schedule_holiday ("ZZ", 2026, 1, 1));
  g_assert_null (ob_schedule_holiday (NULL, 2026, 1, 1));
  g_assert_null (ob_schedule_holiday ("US", 2026, 2, 30));

  /* Every market of the list has its data. */
  {
    const char *markets[] = { "US", "CA", "MX", "BR", "GB", "IE", "DE", "FR", "ES", "IT", "NL",
                              "PL", "TR", "RU", "AE", "SA", "IN", "PK", "ID", "VN", "TH", "MY",
                              "JP", "KR", "AU", "NZ", "ZA", "NG", "EG", "CL", "CO", "PE", "AR" };
    for (guint i = 0; i < G_N_ELEMENTS (markets); i++)
      {
        int n = 0;
        for (int m = 1; m <= 12; m++)
          for (int d = 1; d <= 31; d++)
            if (ob_schedule_holiday (markets[i], 2027, m, d) != NULL)
              n++;
        g_assert_cmpint (n, >=, 2);
        g_assert_nonnull (ob_schedule_default_zone_for_country (markets[i]));
      }
  }
}

static void
test_zones (void)
{
  g_autoptr(GTimeZone) own = ob_schedule_zone_for ("Asia/Tokyo", "US");
  g_autoptr(GTimeZone) country = ob_schedule_zone_for (NULL, "de");
  g_autoptr(GTimeZone) bogus = ob_schedule_zone_for ("Mars/Olympus", "BR");
  g_autoptr(GTimeZone) tab = ob_schedule_zone_for (NULL, "UY");
  g_autoptr(GTimeZone) none = ob_schedule_zone_for (NULL, "ZZ");

  g_assert_cmpstr (g_time_zone_get_identifier (own), ==, "Asia/Tokyo");
  g_assert_cmpstr (g_time_zone_get_identifier (country), ==, "Europe/Berlin");
  g_assert_cmpstr (g_time_zone_get_identifier (bogus), ==, "America/Sao_Paulo");
  if (g_file_test ("/usr/share/zoneinfo/zone1970.tab", G_FILE_TEST_EXISTS))
    g_assert_cmpstr (g_time_zone_get_identifier (tab), ==, "America/Montevideo");
  g_assert_cmpint (g_time_zone_get_offset (none, 0), ==, 0);
}

static void
test_next_allowed (void)
{
  ObSendWindow w;
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");

  ob_send_window_init_default (&w);

  /* Monday noon UTC → Tuesday 09:00 in New York (EST, UTC−5). */
  g_assert_cmpint (ob_schedule_next_allowed (&w, ny, "US", utc (2027, 3, 1, 12, 0)), ==,
                   utc (2027, 3, 2, 14, 0));
  /* Inside the window: now. */
  g_assert_cmpint (ob_schedule_next_allowed (&w, ny, "US", utc (2027, 3, 2, 15, 0)), ==,
                   utc (2027, 3, 2, 15, 0));
  /* 11:30 is the end, exclusive: the next day. */
  g_assert_cmpint (ob_schedule_next_allowed (&w, ny, "US", utc (2027, 3, 2, 16, 30)), ==,
                   utc (2027, 3, 3, 14, 0));
  /* Thursday after the window → next Tuesday; across the DST change of
   * 14 March 2027 the window starts at 13:00 UTC. */
  g_assert_cmpint (ob_schedule_next_allowed (&w, ny, "US", utc (2027, 3, 11, 17, 0)), ==,
                   utc (2027, 3, 16, 13, 0));
  /* Tuesday 09:00 in Tokyo is 00:00 UTC the same day. */
  g_assert_cmpint (ob_schedule_next_allowed (&w, tokyo, "JP", utc (2027, 3, 1, 0, 0)), ==,
                   utc (2027, 3, 2, 0, 0));

  /* Holidays are skipped: Easter Monday 2026 in Germany, Mon–Fri window. */
  g_assert_true (ob_send_window_parse ("Mon-Fri 09:00-17:00", &w, NULL));
  g_assert_cmpint (ob_schedule_next_allowed (&w, berlin, "DE", utc (2026, 4, 6, 6, 0)), ==,
                   utc (2026, 4, 7, 7, 0));
  g_assert_true (ob_schedule_is_allowed (&w, berlin, "DE", utc (2026, 4, 7, 8, 0)));
  g_assert_false (ob_schedule_is_allowed (&w, berlin, "DE", utc (2026, 4, 6, 8, 0)));
  w.skip_holidays = FALSE;
  g_assert_cmpint (ob_schedule_next_allowed (&w, berlin, "DE", utc (2026, 4, 6, 6, 0)), ==,
                   utc (2026, 4, 6, 7, 0));
}

/* --------------------------------------------------------------- pacing */

static void
test_pacing (void)
{
  const ObPacingPreset *presets;
  const ObPacingPreset *careful, *normal;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  ObPacing p;
  guint n;

  presets = ob_pacing_get_presets (&n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (presets[0].id, ==, "careful");
  g_assert_cmpstr (presets[1].id, ==, "normal");
  g_assert_cmpstr (presets[2].id, ==, "custom");
  careful = ob_pacing_find_preset ("careful");
  normal = ob_pacing_find_preset ("normal");
  g_assert_true (careful->pacing.warmup);
  g_assert_false (normal->pacing.warmup);
  g_assert_true (ob_pacing_is_valid (&careful->pacing));
  g_assert_true (ob_pacing_is_valid (&normal->pacing));
  g_assert_null (ob_pacing_find_preset ("reckless"));

  /* 20 a day growing 20 % a day. */
  p = normal->pacing;
  p.warmup = TRUE;
  g_assert_cmpint (ob_pacing_warmup_cap (&p, 0), ==, 20);
  g_assert_cmpint (ob_pacing_warmup_cap (&p, 1), ==, 24);
  g_assert_cmpint (ob_pacing_warmup_cap (&p, 2), ==, 28);
  g_assert_cmpint (ob_pacing_warmup_cap (&p, 5), ==, 49);
  /* Capped by the account's limit; the campaign cap, when set, too. */
  g_assert_cmpint (ob_pacing_effective_cap (&p, 200, T0, T0 + 3600), ==, 20);
  g_assert_cmpint (ob_pacing_effective_cap (&p, 200, T0, T0 + 30 * 86400), ==, 200);
  p.daily_cap = 100;
  g_assert_cmpint (ob_pacing_effective_cap (&p, 200, T0, T0 + 30 * 86400), ==, 100);
  p.warmup = FALSE;
  g_assert_cmpint (ob_pacing_effective_cap (&p, 80, 0, T0), ==, 80);

  for (int i = 0; i < 1000; i++)
    {
      int v = ob_pacing_draw_interval (&normal->pacing, rand);
      g_assert_cmpint (v, >=, 60);
      g_assert_cmpint (v, <=, 180);
    }
  /* The estimate: 76 a day fit in Tue–Thu 09:00–11:30 at 1–3 minutes;
   * 200 first mails take Tue, Wed, Thu; follow-ups three days later the
   * next Tue, Wed, Thu. */
  {
    ObSendWindow w;
    const int delays[] = { 3 };
    ObPacing warm = normal->pacing;

    ob_send_window_init_default (&w);
    g_assert_cmpint (ob_pacing_estimate_finish (&normal->pacing, &w, 1, 200, 0, 200, NULL, 0, T0), ==,
                     T0 + 3 * 86400 + 690 * 60);
    g_assert_cmpint (ob_pacing_estimate_finish (&normal->pacing, &w, 1, 200, 0, 200, delays, 1, T0), ==,
                     T0 + 10 * 86400 + 690 * 60);
    /* Two accounts: twice as fast. */
    g_assert_cmpint (ob_pacing_estimate_finish (&normal->pacing, &w, 2, 200, 0, 200, NULL, 0, T0), ==,
                     T0 + 2 * 86400 + 690 * 60);
    /* A warm-up of 20 a day growing 20 % from Monday: 24 + 28 + 34 on
     * the first Tue–Thu, then what the window holds. */
    warm.warmup = TRUE;
    g_assert_cmpint (ob_pacing_estimate_finish (&warm, &w, 1, 200, 0, 86, NULL, 0, T0), ==,
                     T0 + 3 * 86400 + 690 * 60);
    g_assert_cmpint (ob_pacing_estimate_finish (&warm, &w, 1, 200, 0, 87, NULL, 0, T0), ==,
                     T0 + 8 * 86400 + 690 * 60);
    g_assert_cmpint (ob_pacing_estimate_finish (&warm, &w, 0, 200, 0, 10, NULL, 0, T0), ==, -1);
  }
  g_assert_true (ob_pacing_is_free_provider ("Gmail.com"));
  g_assert_false (ob_pacing_is_free_provider ("bigcorp.example"));
}

/* --------------------------------------------------------------- engine */

typedef struct
{
  const char *email;
  const char *country;
  const char *zone;
} Person;

typedef struct
{
  Fixture *f;
  gint64   replier;
  guint    warnings;
  guint    pauses;
} Watch;

/* The replier answers right after the first mail reaches them. */
static void
outcome_cb (ObSendEngine *engine,
            gint64        queue_id,
            const char   *event,
            gpointer      user_data)
{
  Watch *w = user_data;
  g_autofree char *sql = NULL;

  if (!g_str_equal (event, "sent") || w->replier == 0)
    return;
  if (query_int (w->f, "SELECT contact_id FROM queue WHERE id = %" G_GINT64_FORMAT, queue_id) != w->replier)
    return;
  sql = g_strdup_printf ("UPDATE contacts SET replied_at = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT,
                         ob_clock_now (w->f->clock), w->replier);
  exec_sql (w->f, sql);
}

static void
warning_cb (ObSendEngine *engine,
            gint64        campaign_id,
            const char   *message,
            gpointer      user_data)
{
  ((Watch *) user_data)->warnings++;
}

static void
paused_cb (ObSendEngine *engine,
           gint64        campaign_id,
           const char   *reason,
           gpointer      user_data)
{
  ((Watch *) user_data)->pauses++;
}

static gint64
make_campaign (Fixture            *f,
               ObCampaignSettings *settings)
{
  g_autoptr(GError) error = NULL;
  gint64 id = ob_campaign_create (f->store, settings, ob_clock_now (f->clock), &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  ob_campaign_start (f->store, id, ob_clock_now (f->clock), NULL, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static char *
zone_of (Fixture    *f,
         const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT timezone, country FROM contacts WHERE email = '%s'", email);
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (f->store, sql, NULL);
  g_autoptr(GTimeZone) zone = NULL;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  zone = ob_schedule_zone_for ((const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1));
  return g_strdup (g_time_zone_get_identifier (zone));
}

static void
test_engine_ten_days (Fixture       *f,
                      gconstpointer  data)
{
  /* Five time zones, and one contact with only a country. */
  const Person people[] = {
    { "ana@newyork-tools.example", "US", "America/New_York" },
    { "kenji@tokyo-trading.example", "JP", "Asia/Tokyo" },
    { "lena@berlin-maschinen.example", "DE", "Europe/Berlin" },
    { "olivia@sydney-imports.example", "AU", "Australia/Sydney" },
    { "joao@saopaulo-comercio.example", "BR", "America/Sao_Paulo" },
    { "priya@mumbai-textiles.example", "IN", NULL },
  };
  g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 a1, a2, campaign, hard, soft, blocked, replier;
  guint total_days = 10;
  GArray *deliveries;
  guint max_in_hour = 0;

  a1 = add_account (f, "sales1@example.com", 200);
  a2 = add_account (f, "sales2@example.com", 200);

  /* 24 contacts per zone; at bigcorp.example (New York) 20 of them, to
   * meet the per-domain hourly cap. */
  for (guint z = 0; z < G_N_ELEMENTS (people); z++)
    for (guint i = 0; i < 24; i++)
      {
        g_autofree char *email = NULL;
        const char *at = strchr (people[z].email, '@');

        if (z == 0 && i < 20)
          email = g_strdup_printf ("buyer%u@bigcorp.example", i);
        else
          email = g_strdup_printf ("p%u@%u.%s", i, i, at + 1);
        add_contact (f, email, people[z].country, people[z].zone);
      }
  hard = add_contact (f, "unknown.buyer@lagos-oil.example", "NG", NULL);
  soft = add_contact (f, "full.box@cairo-cotton.example", "EG", NULL);
  blocked = add_contact (f, "blockonce@madrid-vinos.example", "ES", NULL);
  replier = add_contact (f, "quick.replier@lyon-soie.example", "FR", NULL);
  watch.replier = replier;

  settings->name = g_strdup ("Spring fair follow-up");
  ob_campaign_settings_add_account (settings, a1);
  ob_campaign_settings_add_account (settings, a2);
  ob_campaign_settings_add_step (settings, add_template (f), 0);
  ob_campaign_settings_add_step (settings, add_template (f), 3);
  g_assert_true (ob_send_window_parse ("Mon-Fri 09:00-17:00", &settings->window, NULL));
  settings->pacing.daily_cap = 40;
  settings->pacing.interval_min_s = 60;
  settings->pacing.interval_max_s = 180;
  settings->pacing.domain_hourly_cap = 2;
  settings->pacing.company_daily_cap = 100;
  settings->pacing.warmup = TRUE;
  settings->pacing.warmup_start = 5;
  settings->pacing.warmup_growth_pct = 50;
  campaign = make_campaign (f, settings);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE campaign_id = %" G_GINT64_FORMAT,
                              campaign), ==, (6 * 24 + 4) * 2);

  g_signal_connect (f->engine, "outcome", G_CALLBACK (outcome_cb), &watch);
  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  g_signal_connect (f->engine, "paused", G_CALLBACK (paused_cb), &watch);
  run_until (f, T0 + total_days * 86400);

  deliveries = f->transport->deliveries;
  g_test_message ("%u deliveries in %u simulated days, %u clock jumps", deliveries->len, total_days,
                  ob_virtual_clock_get_jumps (OB_VIRTUAL_CLOCK (f->clock)));
  g_assert_cmpuint (deliveries->len, >, 150);
  g_assert_false (f->transport->overlap);

  for (guint i = 0; i < deliveries->len; i++)
    {
      Delivery *d = &g_array_index (deliveries, Delivery, i);
      const char *zone_name = g_hash_table_lookup (zones, d->rcpt);
      g_autoptr(GTimeZone) zone = NULL;
      g_autoptr(GDateTime) when = NULL;
      g_autoptr(GDateTime) local = NULL;
      int minutes, in_hour = 0, in_day = 0, day;

      if (zone_name == NULL)
        {
          zone_name = zone_of (f, d->rcpt);
          g_hash_table_insert (zones, g_strdup (d->rcpt), (char *) zone_name);
        }

      /* Inside the recipient's window, in their own time. */
      zone = g_time_zone_new_identifier (zone_name);
      when = g_date_time_new_from_unix_utc (d->at);
      local = g_date_time_to_timezone (when, zone);
      minutes = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
      if (g_date_time_get_day_of_week (local) > 5 || minutes < 9 * 60 || minutes >= 17 * 60)
        g_error ("%s got a mail at %s local time", d->rcpt, g_date_time_format_iso8601 (local));

      /* Caps: per account in any rolling day and in each warm-up day;
       * per recipient domain in any rolling hour; the interval. */
      day = (int) ((d->at - T0) / 86400);
      for (guint j = 0; j <= i; j++)
        {
          Delivery *e = &g_array_index (deliveries, Delivery, j);
          const char *da = strchr (d->rcpt, '@'), *ea = strchr (e->rcpt, '@');

          if (e->account_id == d->account_id && e->at > d->at - 86400)
            in_day++;
          if (g_str_equal (da, ea) && e->at > d->at - 3600)
            in_hour++;
          if (j < i && e->account_id == d->account_id)
            g_assert_cmpint (d->at - e->at, >=, 60);
        }
      g_assert_cmpint (in_day, <=, 40);
      g_assert_cmpint (in_hour, <=, 2);
      max_in_hour = MAX (max_in_hour, (guint) in_hour);
      {
        int today = 0;
        for (guint j = 0; j <= i; j++)
          {
            Delivery *e = &g_array_index (deliveries, Delivery, j);
            if (e->account_id == d->account_id && (e->at - T0) / 86400 == day)
              today++;
          }
        /* warm-up_start_at is T0, the campaign's start. */
        g_assert_cmpint (today, <=, MIN (40, (int) floor (5 * pow (1.5, day))));
      }
    }
  /* The warm-up ramp was what held the pace back on some days: the check
   * above could have failed. */
  {
    guint at_cap = 0;
    for (int day = 0; day < (int) total_days; day++)
      {
        int cap = MIN (40, (int) floor (5 * pow (1.5, day)));
        int per_account[2] = { 0, 0 };
        for (guint i = 0; i < deliveries->len; i++)
          {
            Delivery *d = &g_array_index (deliveries, Delivery, i);
            if ((d->at - T0) / 86400 == day)
              per_account[d->account_id == a1 ? 0 : 1]++;
          }
        g_test_message ("day %d: cap %d, sent %d + %d", day, cap, per_account[0], per_account[1]);
        at_cap += (per_account[0] == cap) + (per_account[1] == cap);
      }
    g_assert_cmpuint (at_cap, >=, 2);
  }
  /* The domain cap was reached, so the check above could have failed. */
  g_assert_cmpuint (max_in_hour, ==, 2);
  g_assert_cmpint (query_int (f, "SELECT warmup_start_at FROM accounts WHERE id = %" G_GINT64_FORMAT, a1),
                   ==, T0);
  /* Both accounts took turns. */
  {
    guint by_a1 = 0, by_a2 = 0;
    for (guint i = 0; i < deliveries->len; i++)
      {
        Delivery *d = &g_array_index (deliveries, Delivery, i);
        by_a1 += d->account_id == a1;
        by_a2 += d->account_id == a2;
      }
    g_test_message ("account 1: %u, account 2: %u", by_a1, by_a2);
    g_assert_cmpuint (by_a1, >, deliveries->len / 3);
    g_assert_cmpuint (by_a2, >, deliveries->len / 3);
  }

  /* Hard bounce: one try, suppressed, the follow-up skipped. */
  g_assert_cmpuint (deliveries_to (f, "unknown.buyer@lagos-oil.example"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE id = %" G_GINT64_FORMAT
                              " AND status = 'suppressed' AND bounce_count = 1", hard), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppressions WHERE value = "
                              "'unknown.buyer@lagos-oil.example' AND reason = 'hard-bounce'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE contact_id = %" G_GINT64_FORMAT
                              " AND state = 'skipped'", hard), ==, 1);

  /* Soft bounces: three tries on three different days, then suppressed. */
  g_assert_cmpuint (deliveries_to (f, "full.box@cairo-cotton.example"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(DISTINCT at / 86400) FROM events WHERE contact_id = %"
                              G_GINT64_FORMAT " AND kind = 'soft_bounce'", soft), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppressions WHERE value = "
                              "'full.box@cairo-cotton.example' AND reason = 'soft-bounce'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE contact_id = %" G_GINT64_FORMAT
                              " AND state = 'failed'", soft), ==, 1);

  /* A sender-side block rests the account and keeps the contact. */
  g_assert_cmpuint (deliveries_to (f, "blockonce@madrid-vinos.example"), >=, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE contact_id = %" G_GINT64_FORMAT
                              " AND kind = 'blocked'", blocked), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE id = %" G_GINT64_FORMAT
                              " AND status = 'active'", blocked), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppressions WHERE value LIKE 'blockonce%%'"), ==, 0);

  /* The replier got the first mail only. */
  g_assert_cmpuint (deliveries_to (f, "quick.replier@lyon-soie.example"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                              "WHERE q.contact_id = %" G_GINT64_FORMAT " AND s.position = 2 "
                              "AND q.state = 'skipped'", replier), ==, 1);

  /* Follow-ups went at least three days after the first mail, once. */
  {
    gint64 followups = query_int (f, "SELECT count(*) FROM queue q JOIN campaign_steps s ON s.id = q.step_id "
                                     "WHERE s.position = 2 AND q.state = 'sent'");
    g_test_message ("%" G_GINT64_FORMAT " follow-ups sent", followups);
    g_assert_cmpint (followups, >, 20);
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue q2 JOIN campaign_steps s2 ON s2.id = q2.step_id "
                                   "JOIN queue q1 ON q1.contact_id = q2.contact_id AND q1.campaign_id = q2.campaign_id "
                                   "JOIN campaign_steps s1 ON s1.id = q1.step_id "
                                   "WHERE s2.position = 2 AND s1.position = 1 AND q2.state = 'sent' "
                                   "AND q2.sent_at < q1.sent_at + 3 * 86400"), ==, 0);
  }
  /* Never two deliveries of one step to one contact, bounces aside. */
  for (guint i = 0; i < deliveries->len; i++)
    for (guint j = i + 1; j < deliveries->len; j++)
      {
        Delivery *a = &g_array_index (deliveries, Delivery, i);
        Delivery *b = &g_array_index (deliveries, Delivery, j);
        if (a->code == 250 && g_strcmp0 (a->message_id, b->message_id) == 0)
          g_error ("%s was delivered twice", a->message_id);
      }

  /* The figures of `campaign status`. */
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->sent, ==, query_int (f, "SELECT count(*) FROM queue WHERE state = 'sent'"));
  g_assert_cmpint (status->hard_bounces, ==, 1);
  g_assert_cmpint (status->soft_bounces, ==, 3);
  g_assert_cmpint (status->replies, ==, 1);
  g_assert_cmpint (status->suppressed, ==, 2);
  g_assert_cmpint (status->uncertain, ==, 0);
  g_assert_cmpfloat_with_epsilon (status->bounce_rate, 1.0 / (status->sent + 1), 1e-9);
  g_assert_cmpint (status->queued, ==, query_int (f, "SELECT count(*) FROM queue WHERE state IN ('pending', 'retry')"));
  g_assert_cmpuint (watch.pauses, ==, 0);

  /* The log, with each event in the contact's local time. */
  log = ob_campaign_get_log (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, >, deliveries->len);
  for (guint i = 0; i < log->len; i++)
    {
      ObCampaignLogEntry *e = g_ptr_array_index (log, i);
      if (g_strcmp0 (e->contact, "p0@0.tokyo-trading.example") == 0 && g_str_equal (e->event, "sent"))
        g_assert_true (g_str_has_suffix (e->local_time, "+09:00"));
      if (g_str_equal (e->event, "hard_bounce"))
        g_assert_cmpstr (e->reply, ==, "550 5.1.1 User unknown");
    }
}

static gint64
simple_campaign (Fixture *f,
                 guint    n_contacts,
                 const char * const *special, /* email at position, NULL-terminated pairs */
                 gboolean follow_up)
{
  g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
  gint64 account = add_account (f, "solo@example.com", 500);

  for (guint i = 0; i < n_contacts; i++)
    {
      g_autofree char *email = g_strdup_printf ("buyer@c%u.example", i);
      for (guint s = 0; special != NULL && special[s] != NULL; s += 2)
        if ((guint) atoi (special[s]) == i)
          {
            g_free (email);
            email = g_strdup (special[s + 1]);
          }
      add_contact (f, email, "GB", NULL);
    }

  settings->name = g_strdup ("Test");
  ob_campaign_settings_add_account (settings, account);
  ob_campaign_settings_add_step (settings, add_template (f), 0);
  if (follow_up)
    ob_campaign_settings_add_step (settings, add_template (f), 2);
  g_assert_true (ob_send_window_parse ("Mon-Fri 08:00-18:00", &settings->window, NULL));
  settings->pacing.interval_min_s = 30;
  settings->pacing.interval_max_s = 60;
  return make_campaign (f, settings);
}

/* Another connection writing (a bulk delete or an import in a worker)
 * holds the database when mails fall due: the engine, on the main thread,
 * neither waits out the busy timeout nor picks the same row again at once;
 * it sends nothing, skips nothing, comes back every few seconds, and once
 * the database is free every mail goes, each once, and the suppressed
 * contact's row is skipped. */
static void
test_engine_store_busy (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ObStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, waited;

  simple_campaign (f, 4, NULL, FALSE);
  /* To a minute before Monday 08:00 (London), when the first may go. */
  ob_virtual_clock_advance (OB_VIRTUAL_CLOCK (f->clock), 8 * 3600 - 60);
  g_assert_true (ob_suppressions_add (f->store, "buyer@c0.example", OB_SUPPRESSION_UNSUBSCRIBED, "test", NULL,
                                      &error));
  g_assert_no_error (error);
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (other, "BEGIN IMMEDIATE", &error));
  g_assert_no_error (error);

  /* Two minutes of engine time, retrying every few seconds. */
  start = g_get_monotonic_time ();
  run_until (f, T0 + 8 * 3600 + 60);
  waited = g_get_monotonic_time () - start;
  g_assert_cmpuint (f->transport->deliveries->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'pending'"), ==, 4);
  /* One wait for the lock would be the whole busy timeout (5 s). */
  g_test_message ("two minutes of engine time with the database held: %.2f s", waited / 1e6);
  g_assert_cmpint (waited, <, 4 * G_USEC_PER_SEC);

  g_assert_true (ob_store_exec (other, "ROLLBACK", &error));
  g_assert_no_error (error);
  run_until (f, T0 + 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'sent'"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'skipped'"), ==, 1);
}

/* The database taken by another writer while a message is on its way:
 * its outcome is kept and written once the database is free, each mail
 * once, and nothing else is sent meanwhile (the row is still 'sending'). */
static void
test_engine_outcome_kept (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ObStore) other = NULL;
  g_autoptr(GError) error = NULL;

  simple_campaign (f, 3, NULL, FALSE);
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  f->transport->hold_on_send = other;

  run_until (f, T0 + 8 * 3600 + 600);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'sending'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'sent'"), ==, 0);

  g_assert_true (ob_store_exec (other, "ROLLBACK", &error));
  g_assert_no_error (error);
  run_until (f, T0 + 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'sent'"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'sent'"), ==, 3);
}

static void
test_engine_bounce_guard (Fixture       *f,
                          gconstpointer  data)
{
  const char * const special[] = { "24", "unknown1@c24.example", "29", "unknown2@c29.example", NULL };
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 campaign = simple_campaign (f, 60, special, FALSE);

  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  g_signal_connect (f->engine, "paused", G_CALLBACK (paused_cb), &watch);
  run_until (f, T0 + 10 * 86400);

  /* 1 of 25 (4 %) warns; 2 of 30 (6.7 %) pauses, and nothing goes after. */
  g_assert_cmpuint (watch.warnings, ==, 1);
  g_assert_cmpuint (watch.pauses, ==, 1);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 30);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_PAUSED);
  g_assert_nonnull (status->paused_reason);
  g_assert_nonnull (strstr (status->paused_reason, "6.7"));
  g_assert_cmpint (status->sent, ==, 28);
  g_assert_cmpint (status->hard_bounces, ==, 2);
  g_assert_cmpint (status->queued, ==, 30);
  g_assert_cmpfloat_with_epsilon (status->bounce_rate, 2.0 / 30, 1e-9);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'warning'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'paused'"), ==, 1);

  /* Resumed by the user, the guard counts afresh and the rest goes. */
  g_assert_true (ob_campaign_resume (f->store, campaign, ob_clock_now (f->clock), &error));
  g_assert_no_error (error);
  run_until (f, T0 + 20 * 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 60);
  g_clear_pointer (&status, ob_campaign_status_free);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_DONE);
  g_assert_cmpint (status->queued, ==, 0);
}

static void
test_engine_async_bounce (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 campaign = simple_campaign (f, 40, NULL, TRUE);
  gint64 first_ids[3];

  g_signal_connect (f->engine, "paused", G_CALLBACK (paused_cb), &watch);
  /* Only the first mails go (follow-ups are two days later). */
  run_until (f, T0 + 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 40);

  /* Three DSNs come back from the mailbox: 3 of 40 is 7.5 %. */
  for (guint i = 0; i < 3; i++)
    {
      const char *mid = g_array_index (f->transport->deliveries, Delivery, i * 7).message_id;
      first_ids[i] = query_int (f, "SELECT contact_id FROM queue WHERE message_id = '%s'", mid);
      g_assert_true (ob_send_engine_record_bounce (f->engine, 0, mid, OB_SEND_BOUNCE_HARD,
                                                   "550 5.1.1 user unknown", "userunknown", &error));
      g_assert_no_error (error);
    }
  g_assert_false (ob_send_engine_record_bounce (f->engine, 0, "nobody@nowhere", OB_SEND_BOUNCE_HARD,
                                                NULL, NULL, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_PAUSED);
  g_assert_cmpint (status->hard_bounces, ==, 3);
  g_assert_cmpint (status->suppressed, ==, 3);
  g_assert_cmpfloat_with_epsilon (status->bounce_rate, 3.0 / 40, 1e-9);
  g_assert_cmpuint (watch.pauses, ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE contact_id = %" G_GINT64_FORMAT
                                " AND state = 'skipped'", first_ids[i]), ==, 1);

  /* Resumed: the follow-ups go, except to the three bounced. */
  g_assert_true (ob_campaign_resume (f->store, campaign, ob_clock_now (f->clock), &error));
  run_until (f, T0 + 10 * 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 40 + 37);
}

static void
test_engine_domain_streak (Fixture       *f,
                           gconstpointer  data)
{
  const char * const special[] = { "0", "unknown1@deadco.example", "1", "unknown2@deadco.example",
                                   "2", "unknown3@deadco.example", "3", "alice@deadco.example",
                                   "4", "bob@deadco.example", NULL };
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };

  simple_campaign (f, 8, special, FALSE);
  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  run_until (f, T0 + 5 * 86400);

  /* Three hard bounces in a row pause the domain; the others still go. */
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
  g_assert_cmpuint (deliveries_to (f, "alice@deadco.example"), ==, 0);
  g_assert_cmpuint (deliveries_to (f, "bob@deadco.example"), ==, 0);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3 + 3);
  g_assert_cmpuint (watch.warnings, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'domain_paused' "
                                 "AND reply = 'deadco.example'"), ==, 1);

  /* The pause survives a restart, and lifts when the user says so. */
  fixture_engine (f);
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));

  /* A resume that the database does not take (a full disk, here a
   * trigger) leaves the domain paused in memory as on disk. */
  g_assert_true (ob_store_exec (f->store,
                                "CREATE TEMP TRIGGER test_full BEFORE INSERT ON events "
                                "WHEN NEW.kind = 'domain_resumed' BEGIN SELECT RAISE (ABORT, 'database or disk is full'); END",
                                &error));
  g_assert_no_error (error);
  g_assert_false (ob_send_engine_resume_domain (f->engine, "deadco.example", &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
  g_assert_true (ob_store_exec (f->store, "DROP TRIGGER test_full", &error));
  g_assert_no_error (error);
  fixture_engine (f);
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));

  g_assert_true (ob_send_engine_resume_domain (f->engine, "deadco.example", &error));
  g_assert_no_error (error);
  g_assert_false (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
  run_until (f, T0 + 10 * 86400);
  g_assert_cmpuint (deliveries_to (f, "alice@deadco.example"), ==, 1);
  g_assert_cmpuint (deliveries_to (f, "bob@deadco.example"), ==, 1);
}

/* ------------------------------------ the database held by another writer */

static gboolean
give_up_cb (gpointer user_data)
{
  Fixture *f = user_data;

  g_main_loop_quit (f->loop);
  return G_SOURCE_REMOVE;
}

/* Like run_until, but fails (instead of hanging) when the run has not
 * ended after @seconds of real time; returns the real time it took. */
static gint64
run_until_within (Fixture *f,
                  gint64   until,
                  guint    seconds)
{
  gint64 start = g_get_monotonic_time ();
  guint guard;

  f->finished = FALSE;
  guard = g_timeout_add_seconds (seconds, give_up_cb, f);
  ob_send_engine_run_async (f->engine, until, NULL, run_done_cb, f);
  g_main_loop_run (f->loop);
  if (f->finished)
    g_source_remove (guard);
  g_assert_true (f->finished);
  return g_get_monotonic_time () - start;
}

static void
release (ObStore *other)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_store_exec (other, "ROLLBACK", &error));
  g_assert_no_error (error);
}

/* A worker takes the database right after the outcome of the third hard
 * bounce at one domain is written. The domain's pause is part of that
 * outcome: it is not left to a write of its own that would wait out the
 * busy timeout on the UI thread and then be lost (no 'domain_paused'
 * event, so the pause would be forgotten at the next start). */
static void
test_engine_follow_ups_busy (Fixture       *f,
                             gconstpointer  data)
{
  const char * const special[] = { "0", "unknown1@deadco.example", "1", "unknown2@deadco.example",
                                   "2", "unknown3@deadco.example", "3", "alice@deadco.example",
                                   "4", "bob@deadco.example", NULL };
  g_autoptr(ObStore) other = NULL;
  g_autoptr(ObTestLockAfter) lock = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 waited;

  simple_campaign (f, 8, special, FALSE);
  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  lock = ob_test_lock_after_commit (f->store, other,
                                    "SELECT count(*) >= 3 FROM events WHERE kind = 'hard_bounce'");

  /* Ten minutes from 08:00: the three bounce, then the database is held. */
  waited = run_until_within (f, T0 + 8 * 3600 + 600, 20);
  g_test_message ("ten minutes of engine time with the database held: %.2f s", waited / 1e6);
  g_assert_true (ob_test_lock_after_held (lock));
  g_assert_cmpint (waited, <, G_USEC_PER_SEC);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'domain_paused' "
                                 "AND reply = 'deadco.example'"), ==, 1);
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
  g_assert_cmpuint (watch.warnings, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'pending'"), ==, 5);

  release (other);
  run_until (f, T0 + 5 * 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3 + 3);
  g_assert_cmpuint (deliveries_to (f, "alice@deadco.example"), ==, 0);
  g_assert_cmpuint (deliveries_to (f, "bob@deadco.example"), ==, 0);
  g_assert_cmpuint (watch.warnings, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'domain_paused'"), ==, 1);

  /* The pause was written: it survives a restart. */
  fixture_engine (f);
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
}

/* A worker takes the database while the third hard bounce at one domain
 * is on its way: the outcome is kept (pending_outcomes) with its follow-ups,
 * and the engine's memory does not run ahead of the database — the domain
 * is paused, and the warning given, once, when the outcome is written. */
static void
test_engine_follow_ups_kept (Fixture       *f,
                             gconstpointer  data)
{
  const char * const special[] = { "0", "unknown1@deadco.example", "1", "unknown2@deadco.example",
                                   "2", "unknown3@deadco.example", "3", "alice@deadco.example", NULL };
  g_autoptr(ObStore) other = NULL;
  g_autoptr(ObTestLockAfter) lock = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };

  simple_campaign (f, 6, special, FALSE);
  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  lock = ob_test_lock_after_commit (f->store, other,
                                    "SELECT count(*) FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                    "WHERE q.state = 'sending' AND c.email = 'unknown3@deadco.example'");

  run_until_within (f, T0 + 8 * 3600 + 600, 20);
  g_assert_true (ob_test_lock_after_held (lock));
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'sending'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'domain_paused'"), ==, 0);
  g_assert_false (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
  g_assert_cmpuint (watch.warnings, ==, 0);

  release (other);
  run_until (f, T0 + 5 * 86400);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'domain_paused'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT bounce_count FROM contacts WHERE email = 'unknown3@deadco.example'"),
                   ==, 1);
  g_assert_true (ob_send_engine_is_domain_paused (f->engine, "deadco.example"));
  g_assert_cmpuint (watch.warnings, ==, 1);
  g_assert_cmpuint (deliveries_to (f, "alice@deadco.example"), ==, 0);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3 + 2);
}

/* A worker takes the database right after the outcome that brings the
 * bounce rate to 6.7 %: the campaign's pause is part of that outcome, not
 * a write of its own that would wait on the UI thread and fail. */
static void
test_engine_guard_busy (Fixture       *f,
                        gconstpointer  data)
{
  const char * const special[] = { "24", "unknown1@c24.example", "29", "unknown2@c29.example", NULL };
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(ObStore) other = NULL;
  g_autoptr(ObTestLockAfter) lock = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 campaign = simple_campaign (f, 60, special, FALSE);
  gint64 waited;

  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  g_signal_connect (f->engine, "paused", G_CALLBACK (paused_cb), &watch);
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  lock = ob_test_lock_after_commit (f->store, other,
                                    "SELECT count(*) >= 2 FROM events WHERE kind = 'hard_bounce'");

  waited = run_until_within (f, T0 + 9 * 3600, 20);
  g_test_message ("the engine with the database held after the pause: %.2f s", waited / 1e6);
  g_assert_true (ob_test_lock_after_held (lock));
  g_assert_cmpint (waited, <, G_USEC_PER_SEC);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 30);
  g_assert_cmpuint (watch.warnings, ==, 1);
  g_assert_cmpuint (watch.pauses, ==, 1);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_PAUSED);
  g_assert_nonnull (strstr (status->paused_reason, "6.7"));

  release (other);
  run_until (f, T0 + 2 * 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 30);
  g_assert_cmpuint (watch.pauses, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'paused'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'warning'"), ==, 1);
}

/* A bounce found in the mailbox while a worker holds the database fails at
 * once, nothing written, and counts once when handed in again; its
 * follow-up (the guard pausing the campaign) is written with it. */
static void
test_engine_async_bounce_busy (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(ObStore) other = NULL;
  g_autoptr(ObTestLockAfter) lock = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 campaign = simple_campaign (f, 40, NULL, TRUE);
  const char *first, *second;
  gint64 start, waited, contact;

  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  g_signal_connect (f->engine, "paused", G_CALLBACK (paused_cb), &watch);
  run_until (f, T0 + 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 40);
  first = g_array_index (f->transport->deliveries, Delivery, 0).message_id;
  second = g_array_index (f->transport->deliveries, Delivery, 7).message_id;
  contact = query_int (f, "SELECT contact_id FROM queue WHERE message_id = '%s'", second);

  /* 1 of 40: a warning. */
  g_assert_true (ob_send_engine_record_bounce (f->engine, 0, first, OB_SEND_BOUNCE_HARD,
                                               "550 5.1.1 user unknown", "userunknown", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (watch.warnings, ==, 1);

  /* The database held: the mailbox's bounce comes back at once, unwritten. */
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (other, "BEGIN IMMEDIATE", &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_cmpint (ob_bounce_sink_record_bounce (OB_BOUNCE_SINK (f->engine), second, OB_BOUNCE_KIND_HARD,
                                                 "550 5.1.1 user unknown", "userunknown", &error), ==, 0);
  waited = g_get_monotonic_time () - start;
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpint (waited, <, G_USEC_PER_SEC);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT bounce_count FROM contacts WHERE id = %" G_GINT64_FORMAT, contact),
                   ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppressions"), ==, 1);
  g_assert_cmpuint (watch.pauses, ==, 0);
  release (other);

  /* Handed in again (2 of 40, 5 %), and a worker takes the database right
   * after: the campaign's pause went with the bounce. */
  lock = ob_test_lock_after_commit (f->store, other,
                                    "SELECT count(*) >= 2 FROM events WHERE kind = 'hard_bounce'");
  start = g_get_monotonic_time ();
  g_assert_cmpint (ob_bounce_sink_record_bounce (OB_BOUNCE_SINK (f->engine), second, OB_BOUNCE_KIND_HARD,
                                                 "550 5.1.1 user unknown", "userunknown", &error), >, 0);
  waited = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_true (ob_test_lock_after_held (lock));
  g_assert_cmpint (waited, <, G_USEC_PER_SEC);
  g_assert_cmpuint (watch.pauses, ==, 1);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_PAUSED);
  g_assert_cmpint (status->hard_bounces, ==, 2);
  g_assert_cmpint (query_int (f, "SELECT bounce_count FROM contacts WHERE id = %" G_GINT64_FORMAT, contact),
                   ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suppressions"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE contact_id = %" G_GINT64_FORMAT
                              " AND state = 'skipped'", contact), ==, 1);
  release (other);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'hard_bounce'"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'paused'"), ==, 1);
}

/* The mailbox poller hands a bounce in inside the mail's own
 * transaction. Until that transaction is committed the engine does not
 * act on it: when it is rolled back (its COMMIT failed: a full disk),
 * the campaign the bounce would pause stays running, in the database and
 * for the app, which hears of no pause; committed, the pause follows. */
static void
test_engine_bounce_in_callers_transaction (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { f, 0, 0, 0 };
  gint64 campaign = simple_campaign (f, 40, NULL, TRUE);
  const char *first, *second;

  g_signal_connect (f->engine, "warning", G_CALLBACK (warning_cb), &watch);
  g_signal_connect (f->engine, "paused", G_CALLBACK (paused_cb), &watch);
  run_until (f, T0 + 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 40);
  first = g_array_index (f->transport->deliveries, Delivery, 0).message_id;
  second = g_array_index (f->transport->deliveries, Delivery, 7).message_id;
  g_assert_true (ob_send_engine_record_bounce (f->engine, 0, first, OB_SEND_BOUNCE_HARD,
                                               "550 5.1.1 user unknown", "userunknown", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (watch.warnings, ==, 1);

  /* 2 of 40 (5 %) would pause the campaign; the transaction is lost. */
  g_assert_true (ob_store_begin (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_bounce_sink_record_bounce (OB_BOUNCE_SINK (f->engine), second, OB_BOUNCE_KIND_HARD,
                                                 "550 5.1.1 user unknown", "userunknown", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (watch.pauses, ==, 0); /* not before the commit */
  ob_store_rollback (f->store);
  ob_bounce_sink_transaction_ended (OB_BOUNCE_SINK (f->engine), FALSE);
  g_assert_cmpuint (watch.pauses, ==, 0);
  g_assert_cmpuint (watch.warnings, ==, 1);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_RUNNING);
  g_assert_cmpint (status->hard_bounces, ==, 1);
  g_clear_pointer (&status, ob_campaign_status_free);

  /* Handed in again, committed: now the campaign pauses, once. */
  g_assert_true (ob_store_begin (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_bounce_sink_record_bounce (OB_BOUNCE_SINK (f->engine), second, OB_BOUNCE_KIND_HARD,
                                                 "550 5.1.1 user unknown", "userunknown", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (watch.pauses, ==, 0);
  g_assert_true (ob_store_commit (f->store, &error));
  g_assert_no_error (error);
  ob_bounce_sink_transaction_ended (OB_BOUNCE_SINK (f->engine), TRUE);
  g_assert_cmpuint (watch.pauses, ==, 1);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_PAUSED);
  g_assert_cmpint (status->hard_bounces, ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'paused'"), ==, 1);

  /* Nothing is left waiting: a later transaction's end repeats nothing. */
  ob_bounce_sink_transaction_ended (OB_BOUNCE_SINK (f->engine), TRUE);
  g_assert_cmpuint (watch.pauses, ==, 1);
}

/* A scheduled campaign whose start comes while a worker holds the
 * database starts at a later tick, without the UI thread waiting. */
static void
test_engine_scheduled_busy (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ObStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 campaign = simple_campaign (f, 3, NULL, FALSE);
  gint64 waited;

  sql = g_strdup_printf ("UPDATE campaigns SET state = 'scheduled', start_at = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT, T0 + 9 * 3600, campaign);
  exec_sql (f, sql);
  other = ob_store_open_another (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (ob_store_exec (other, "BEGIN IMMEDIATE", &error));
  g_assert_no_error (error);

  waited = run_until_within (f, T0 + 9 * 3600 + 120, 4);
  g_test_message ("two minutes past the start with the database held: %.2f s", waited / 1e6);
  g_assert_cmpint (waited, <, G_USEC_PER_SEC);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM campaigns WHERE state = 'scheduled'"), ==, 1);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 0);

  release (other);
  run_until (f, T0 + 86400);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM campaigns WHERE state = 'done'"), ==, 1);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 3);
  g_assert_cmpint (g_array_index (f->transport->deliveries, Delivery, 0).at, >=, T0 + 9 * 3600);
}

static void
test_engine_crash_recovery (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(ObCampaignStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  gint64 campaign = simple_campaign (f, 5, NULL, FALSE);
  gint64 stuck, other;

  /* As if Outbound died after marking a row 'sending', before the
   * outcome was written: it may or may not have reached the server. */
  stuck = query_int (f, "SELECT min(id) FROM queue");
  other = query_int (f, "SELECT max(id) FROM queue");
  exec_sql (f, "UPDATE queue SET state = 'sending', attempts = 1, message_id = 'lost@test' "
               "WHERE id = (SELECT min(id) FROM queue)");

  fixture_engine (f);
  g_assert_cmpuint (ob_send_engine_recover (f->engine, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'uncertain'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'uncertain' AND queue_id = %"
                              G_GINT64_FORMAT, stuck), ==, 1);

  run_until (f, T0 + 5 * 86400);
  /* Never resent on its own; the others went; not done while in doubt. */
  g_assert_cmpuint (deliveries_to (f, "buyer@c0.example"), ==, 0);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 4);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_cmpint (status->uncertain, ==, 1);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_RUNNING);

  /* Only an uncertain row can be resolved. */
  g_assert_false (ob_campaign_resolve_uncertain (f->store, other, OB_UNCERTAIN_RESEND,
                                                 ob_clock_now (f->clock), &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
  g_clear_error (&error);

  /* The user says: send it again. It goes once. */
  g_assert_true (ob_campaign_resolve_uncertain (f->store, stuck, OB_UNCERTAIN_RESEND,
                                                ob_clock_now (f->clock), &error));
  g_assert_no_error (error);
  run_until (f, T0 + 10 * 86400);
  g_assert_cmpuint (deliveries_to (f, "buyer@c0.example"), ==, 1);
  g_clear_pointer (&status, ob_campaign_status_free);
  status = ob_campaign_get_status (f->store, campaign, &error);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_DONE);
  g_assert_cmpint (status->sent, ==, 5);

  /* The last line of defence: no second row for a contact and step. */
  g_assert_false (ob_store_exec (f->store,
                                 "INSERT INTO queue (campaign_id, step_id, contact_id, updated_at) "
                                 "SELECT campaign_id, step_id, contact_id, 1 FROM queue LIMIT 1",
                                 &error));
  g_assert_error (error, OB_STORE_ERROR, OB_STORE_ERROR_CONSTRAINT);
}

static void
test_engine_mark_sent (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 stuck;

  simple_campaign (f, 3, NULL, TRUE);
  stuck = query_int (f, "SELECT min(id) FROM queue");
  exec_sql (f, "UPDATE queue SET state = 'sending', attempts = 1 WHERE id = (SELECT min(id) FROM queue)");
  fixture_engine (f);
  g_assert_cmpuint (ob_send_engine_recover (f->engine, &error), ==, 1);

  /* Found in the Sent folder: counted as sent; its follow-up goes. */
  g_assert_true (ob_campaign_resolve_uncertain (f->store, stuck, OB_UNCERTAIN_MARK_SENT,
                                                ob_clock_now (f->clock), &error));
  g_assert_no_error (error);
  run_until (f, T0 + 10 * 86400);
  g_assert_cmpuint (deliveries_to (f, "buyer@c0.example"), ==, 1);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 5);
}

/* ob_campaign_start_async(), waited for. */
static gboolean
start_in_thread (Fixture  *f,
                 gint64    id,
                 gint64    now,
                 GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ob_campaign_start_async (f->store, id, now, NULL, ob_test_keep_result_cb, &result);
  return ob_campaign_start_finish (f->store, ob_test_wait_result (&result), error);
}

/* Anna.Schmidt@ and anna.schmidt@ are two contacts (the list keeps the
 * case a file gave) but one person: the campaign mails the first only,
 * and says so in the other's history. */
static void
test_campaign_one_per_mailbox (Fixture       *f,
                               gconstpointer  data)
{
  const char *special[] = { "1", "Anna.Schmidt@kraemer.example", "3", "anna.schmidt@KRAEMER.example",
                            "4", "ANNA.SCHMIDT@kraemer.example", NULL };
  gint64 id = simple_campaign (f, 5, special, TRUE);
  gint64 first = query_int (f, "SELECT id FROM contacts WHERE email = 'Anna.Schmidt@kraemer.example'");
  g_autofree char *detail = NULL;

  /* Three buyers, two steps each: the two other cases are not queued. */
  g_assert_cmpint (query_int (f, "SELECT count(DISTINCT contact_id) FROM queue"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue"), ==, 6);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE contact_id = %" G_GINT64_FORMAT, first), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'skipped' AND campaign_id = %" G_GINT64_FORMAT
                                 " AND contact_id IN (SELECT id FROM contacts WHERE email IN"
                                 " ('anna.schmidt@KRAEMER.example', 'ANNA.SCHMIDT@kraemer.example'))", id), ==, 2);
  detail = ob_test_query_text (f->store, "SELECT detail FROM events WHERE kind = 'skipped' ORDER BY id LIMIT 1");
  g_assert_nonnull (detail);
  g_assert_nonnull (strstr (detail, "anna.schmidt@KRAEMER.example"));
  g_assert_nonnull (strstr (detail, "Anna.Schmidt@kraemer.example"));
}

static void
test_campaign_states (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ObCampaignSettings) settings = ob_campaign_settings_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = ob_clock_now (f->clock);
  gint64 account = add_account (f, "x@example.com", 100);
  gint64 id;
  ObCampaignState state;

  /* Bad settings are refused and nothing is written. */
  g_assert_cmpint (ob_campaign_create (f->store, settings, now, &error), ==, 0);
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID);
  g_clear_error (&error);
  settings->name = g_strdup ("Autumn");
  ob_campaign_settings_add_account (settings, account);
  ob_campaign_settings_add_step (settings, 999, 0);
  g_assert_cmpint (ob_campaign_create (f->store, settings, now, &error), ==, 0);
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM campaigns"), ==, 0);

  g_array_index (settings->steps, ObCampaignStep, 0).template_id = add_template (f);
  settings->start_at = now + 2 * 86400;
  id = ob_campaign_create (f->store, settings, now, &error);
  g_assert_no_error (error);

  /* Nobody to send to yet (the app starts in a worker thread). */
  g_assert_false (start_in_thread (f, id, now, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_INVALID);
  g_clear_error (&error);
  add_contact (f, "a@b.example", "GB", NULL);
  g_assert_false (ob_campaign_resume (f->store, id, now, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (start_in_thread (f, id, now, &error));
  g_assert_no_error (error);
  g_assert_true (ob_campaign_get_state (f->store, id, &state, NULL));
  g_assert_cmpint (state, ==, OB_CAMPAIGN_SCHEDULED);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue"), ==, 1);
  g_assert_false (ob_campaign_start (f->store, id, now, NULL, NULL, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (ob_campaign_pause (f->store, id, NULL, now, &error));
  g_assert_true (ob_campaign_resume (f->store, id, now, &error));
  g_assert_true (ob_campaign_get_state (f->store, id, &state, NULL));
  g_assert_cmpint (state, ==, OB_CAMPAIGN_SCHEDULED);

  /* The timeline: the contact's first possible moment, in their time
   * (Tue–Thu 09:00 London, from Wednesday 3 March on). */
  {
    g_autoptr(GPtrArray) upcoming = ob_campaign_get_upcoming (f->store, id, now, 10, &error);
    ObCampaignUpcoming *u;

    g_assert_no_error (error);
    g_assert_cmpuint (upcoming->len, ==, 1);
    u = g_ptr_array_index (upcoming, 0);
    g_assert_cmpstr (u->contact, ==, "a@b.example");
    g_assert_cmpint (u->step, ==, 1);
    g_assert_cmpint (u->at, ==, T0 + 2 * 86400 + 9 * 3600);
    g_assert_cmpstr (u->local_time, ==, "2027-03-03T09:00:00+00:00");
  }

  /* It waits for its start, then runs, then is done. */
  run_until (f, 0);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 1);
  g_assert_cmpint (g_array_index (f->transport->deliveries, Delivery, 0).at, >=, now + 2 * 86400);
  g_assert_true (ob_campaign_get_state (f->store, id, &state, NULL));
  g_assert_cmpint (state, ==, OB_CAMPAIGN_DONE);
  g_assert_false (ob_campaign_stop (f->store, id, now, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (ob_campaign_get_state (f->store, 12345, &state, &error));
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_NOT_FOUND);
}


static void
cancel_after_first_cb (ObSendEngine *engine,
                       gint64        queue_id,
                       const char   *event,
                       gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static void
run_cancelled_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (ob_send_engine_run_finish (OB_SEND_ENGINE (object), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  f->finished = TRUE;
  g_main_loop_quit (f->loop);
}

static void
test_engine_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gulong handler;

  simple_campaign (f, 10, NULL, FALSE);
  handler = g_signal_connect (f->engine, "outcome", G_CALLBACK (cancel_after_first_cb), cancellable);
  ob_send_engine_run_async (f->engine, 0, cancellable, run_cancelled_done_cb, f);
  g_main_loop_run (f->loop);
  g_assert_true (f->finished);
  g_signal_handler_disconnect (f->engine, handler);

  /* The send in flight got its outcome; nothing else went. */
  g_assert_cmpuint (f->transport->deliveries->len, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'sending'"), ==, 0);

  /* A later run carries on. */
  run_until (f, T0 + 5 * 86400);
  g_assert_cmpuint (f->transport->deliveries->len, ==, 10);
}

/* The app's way: the engine runs for good, sleeps when nothing is due,
 * and catches up after the machine slept — within the windows and at the
 * pace, never in a burst. */
static void
test_engine_start_and_catch_up (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(ObCampaignSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, second;
  GArray *deliveries = f->transport->deliveries;

  first = simple_campaign (f, 6, NULL, FALSE);
  ob_send_engine_start (f->engine);
  while (deliveries->len < 6)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (deliveries->len, ==, 6);

  /* Asleep from Monday to Thursday 15:00 UTC with twenty mails overdue. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("late%u@l%u.example", i, i);
      add_contact (f, email, "GB", NULL);
    }
  settings = ob_campaign_settings_new ();
  settings->name = g_strdup ("Second");
  ob_campaign_settings_add_account (settings, query_int (f, "SELECT min(id) FROM accounts"));
  ob_campaign_settings_add_step (settings, add_template (f), 0);
  g_assert_true (ob_send_window_parse ("Mon-Fri 08:00-18:00", &settings->window, NULL));
  settings->pacing.interval_min_s = 600;
  settings->pacing.interval_max_s = 900;
  settings->segment_json = g_strdup ("{\"contact_ids\": [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]}");
  second = ob_campaign_create (f->store, settings, ob_clock_now (f->clock), &error);
  g_assert_no_error (error);
  g_assert_true (ob_campaign_start (f->store, second, ob_clock_now (f->clock), NULL, NULL, &error));
  ob_virtual_clock_advance (OB_VIRTUAL_CLOCK (f->clock), T0 + 3 * 86400 + 15 * 3600 - ob_clock_now (f->clock));
  ob_send_engine_wake (f->engine);
  while (deliveries->len < 26)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  ob_send_engine_stop (f->engine);

  /* Twelve to eighteen the same afternoon (15:00–18:00, 10–15 minutes
   * apart), the rest the next morning from 08:00 London time. */
  for (guint i = 6; i < 26; i++)
    {
      Delivery *d = &g_array_index (deliveries, Delivery, i);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (d->at);

      g_assert_true (g_str_has_prefix (d->rcpt, "late"));
      if (i > 6)
        g_assert_cmpint (d->at - g_array_index (deliveries, Delivery, i - 1).at, >=, 600);
      g_assert_cmpint (g_date_time_get_hour (when), >=, 8);
      g_assert_cmpint (g_date_time_get_hour (when), <, 18);
      g_assert_cmpint (d->at, >=, T0 + 3 * 86400 + 15 * 3600);
      g_assert_cmpint (d->at, <, T0 + 5 * 86400);
    }
  g_assert_cmpint (g_array_index (deliveries, Delivery, 6).at, ==, T0 + 3 * 86400 + 15 * 3600);
  {
    guint thursday = 0;
    for (guint i = 6; i < 26; i++)
      thursday += g_array_index (deliveries, Delivery, i).at < T0 + 4 * 86400;
    g_assert_cmpuint (thursday, >=, 12);
    g_assert_cmpuint (thursday, <=, 18);
    g_assert_cmpint (g_array_index (deliveries, Delivery, 6 + thursday).at, ==, T0 + 4 * 86400 + 8 * 3600);
  }
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM campaigns WHERE state = 'done'"), ==, 2);
  (void) first;
}

static void
test_engine_connection_errors (Fixture       *f,
                               gconstpointer  data)
{
  const char * const special[] = { "0", "dropline@c0.example", "1", "authonce@c1.example", NULL };
  g_autoptr(ObCampaignStatus) status = NULL;
  gint64 campaign = simple_campaign (f, 4, special, TRUE);
  gint64 first_auth = 0, second_auth = 0;

  run_until (f, T0 + 10 * 86400);

  /* Lost after DATA: uncertain, never retried on its own, no follow-up. */
  g_assert_cmpuint (deliveries_to (f, "dropline@c0.example"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                 "WHERE c.email = 'dropline@c0.example' AND q.state = 'uncertain'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue q JOIN contacts c ON c.id = q.contact_id "
                                 "WHERE c.email = 'dropline@c0.example' AND q.state = 'pending'"), ==, 1);

  /* Login refused: the account rested an hour, the contact got both
   * mails afterwards and is still active. */
  g_assert_cmpuint (deliveries_to (f, "authonce@c1.example"), ==, 3);
  for (guint i = 0; i < f->transport->deliveries->len; i++)
    {
      Delivery *d = &g_array_index (f->transport->deliveries, Delivery, i);
      if (g_str_equal (d->rcpt, "authonce@c1.example"))
        {
          if (first_auth == 0)
            first_auth = d->at;
          else if (second_auth == 0)
            second_auth = d->at;
        }
    }
  g_assert_cmpint (second_auth - first_auth, >=, 3600);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contacts WHERE email = 'authonce@c1.example' "
                                 "AND status = 'active'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE kind = 'blocked'"), ==, 1);

  status = ob_campaign_get_status (f->store, campaign, NULL);
  g_assert_cmpint (status->uncertain, ==, 1);
  g_assert_cmpint (status->sent, ==, 6);
  g_assert_cmpint (status->suppressed, ==, 0);
  g_assert_cmpint (status->state, ==, OB_CAMPAIGN_RUNNING);
}

/* One engine per database: a second one (another window, or
 * `campaign run` while the app sends) is refused, and the lock goes with
 * the engine that held it. */
static void
test_engine_lock (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) other_store = ob_store_open_another (f->store, &error);
  g_autoptr(ObSendEngine) other = NULL;

  g_assert_no_error (error);
  other = ob_send_engine_new (other_store, f->clock, OB_SEND_TRANSPORT (f->transport),
                              OB_MESSAGE_RENDERER (f->renderer), OB_REPLY_CLASSIFIER (f->classifier));
  simple_campaign (f, 2, NULL, FALSE);
  exec_sql (f, "UPDATE queue SET state = 'sending' WHERE id = (SELECT min(id) FROM queue)");

  ob_send_engine_recover (f->engine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ob_send_engine_recover (other, &error), ==, 0);
  g_assert_error (error, OB_SENDING_ERROR, OB_SENDING_ERROR_STATE);
  g_clear_error (&error);

  /* The first engine goes away: the second may start. */
  g_clear_object (&f->engine);
  ob_send_engine_recover (other, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state = 'uncertain'"), ==, 1);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static int
cli (Fixture     *f,
     char       **out,
     char       **err,
     const char  *first,
     ...) G_GNUC_NULL_TERMINATED;

static int
cli (Fixture     *f,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (args, g_strdup ("--db"));
  g_ptr_array_add (args, g_strdup (ob_store_get_path (f->store)));
  g_ptr_array_add (args, NULL);
  return ob_test_run_cli ((const char * const *) args->pdata, NULL, out, err);
}

static void
test_cli_campaign (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *account = NULL;
  g_autofree char *tmpl = NULL;
  g_autofree char *followup = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *o;
  gint64 id;
  guint sent_lines = 0;

  account = g_strdup_printf ("%" G_GINT64_FORMAT, add_account (f, "me@example.com", 300));
  tmpl = g_strdup_printf ("%" G_GINT64_FORMAT, add_template (f));
  followup = g_strdup_printf ("4:%s", tmpl);
  add_contact (f, "kenji@osaka.example", "JP", NULL);
  add_contact (f, "unknown@lima.example", "PE", NULL);
  add_contact (f, "maria@bogota.example", "CO", "America/Bogota");

  /* Bad input: exit 2, one line naming the problem, nothing written. */
  g_assert_cmpint (cli (f, NULL, &err, "campaign", "create", "--name", "X", "--account", account,
                        "--all", "--template", tmpl, "--interval", "90-30", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--interval"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, NULL, &err, "campaign", "create", "--name", "X", "--account", account,
                        "--template", tmpl, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--all"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM campaigns"), ==, 0);

  g_assert_cmpint (cli (f, &out, &err, "campaign", "create", "--name", "Canton fair", "--account", account,
                        "--all", "--template", tmpl, "--followup", followup,
                        "--window", "Mon-Fri 09:00-17:00", "--daily-cap", "50", "--interval", "60-120",
                        "--domain-hourly-cap", "3", "--warmup", "--json", NULL), ==, 0);
  node = parse_json (out);
  id = json_object_get_int_member (json_node_get_object (node), "id");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM campaigns WHERE id = %" G_GINT64_FORMAT
                              " AND window_days = 31 AND window_start_min = 540 AND window_end_min = 1020"
                              " AND daily_cap = 50 AND interval_min_s = 60 AND interval_max_s = 120"
                              " AND domain_hourly_cap = 3 AND warmup = 1 AND state = 'draft'", id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT delay_days FROM campaign_steps WHERE position = 2"), ==, 4);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&node, json_node_unref);

  {
    g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    g_assert_cmpint (cli (f, &out, NULL, "campaign", "list", "--json", NULL), ==, 0);
    node = parse_json (out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==, "Canton fair");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&node, json_node_unref);

    /* The clock of the CLI is the real one: start in the fixture's
     * virtual time instead, so the engine can run here. */
    g_assert_true (ob_campaign_start (f->store, id, ob_clock_now (f->clock), NULL, NULL, NULL));
    run_until (f, T0 + 3 * 86400);

    g_assert_cmpint (cli (f, &out, NULL, "campaign", "status", sid, "--json", NULL), ==, 0);
    node = parse_json (out);
    o = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "running");
    g_assert_true (json_object_get_null_member (o, "paused_reason"));
    g_assert_cmpint (json_object_get_int_member (o, "sent"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (o, "hard_bounces"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "soft_bounces"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "suppressed"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "queued"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (o, "replies"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "uncertain"), ==, 0);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "bounce_rate"), 1.0 / 3, 1e-9);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&node, json_node_unref);

    g_assert_cmpint (cli (f, &out, NULL, "campaign", "log", sid, "--json", NULL), ==, 0);
    lines = g_strsplit (g_strstrip (out), "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_autoptr(JsonNode) line = parse_json (lines[i]);
        const char *event, *local;

        o = json_node_get_object (line);
        event = json_object_get_string_member (o, "event");
        g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "at"), "Z"));
        if (!g_str_equal (event, "sent") && !g_str_equal (event, "hard_bounce"))
          continue;
        local = json_object_get_string_member (o, "local_time");
        g_assert_cmpint (json_object_get_int_member (o, "step"), ==, 1);
        if (g_str_equal (json_object_get_string_member (o, "contact"), "kenji@osaka.example"))
          g_assert_true (g_str_has_suffix (local, "+09:00"));
        else if (g_str_equal (json_object_get_string_member (o, "contact"), "maria@bogota.example"))
          g_assert_true (g_str_has_suffix (local, "-05:00"));
        else
          g_assert_cmpstr (json_object_get_string_member (o, "reply"), ==, "550 5.1.1 User unknown");
        sent_lines++;
      }
    g_assert_cmpuint (sent_lines, ==, 3);
    g_clear_pointer (&out, g_free);

    g_assert_cmpint (cli (f, &out, NULL, "campaign", "pause", sid, NULL), ==, 0);
    g_assert_cmpstr (out, ==, "paused\n");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (cli (f, &out, NULL, "campaign", "status", sid, "--json", NULL), ==, 0);
    node = parse_json (out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "paused_reason"), ==,
                     "Paused by you");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (cli (f, NULL, &err, "campaign", "pause", sid, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "paused"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cli (f, &out, NULL, "campaign", "resume", sid, NULL), ==, 0);
    g_assert_cmpstr (out, ==, "running\n");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (cli (f, &out, NULL, "campaign", "stop", sid, "--json", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "\"stopped\""));
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM queue WHERE state IN ('pending', 'retry')"), ==, 0);
    g_assert_cmpint (cli (f, NULL, &err, "campaign", "status", "77", NULL), ==, 2);
    g_assert_nonnull (strstr (err, "77"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sending/clock/virtual", test_virtual_clock_jumps);
  g_test_add_func ("/sending/clock/real", test_real_clock_waits);
  g_test_add_func ("/sending/schedule/window-parse", test_window_parse);
  g_test_add_func ("/sending/schedule/holidays", test_holidays);
  g_test_add_func ("/sending/schedule/zones", test_zones);
  g_test_add_func ("/sending/schedule/next-allowed", test_next_allowed);
  g_test_add_func ("/sending/pacing", test_pacing);
  g_test_add ("/sending/campaign/states", Fixture, NULL, fixture_set_up, test_campaign_states, fixture_tear_down);
  g_test_add ("/sending/campaign/one-per-mailbox", Fixture, NULL, fixture_set_up, test_campaign_one_per_mailbox,
              fixture_tear_down);
  g_test_add ("/sending/engine/ten-days", Fixture, NULL, fixture_set_up, test_engine_ten_days, fixture_tear_down);
  g_test_add ("/sending/engine/bounce-guard", Fixture, NULL, fixture_set_up, test_engine_bounce_guard, fixture_tear_down);
  g_test_add ("/sending/engine/store-busy", Fixture, NULL, fixture_set_up, test_engine_store_busy, fixture_tear_down);
  g_test_add ("/sending/engine/outcome-kept", Fixture, NULL, fixture_set_up, test_engine_outcome_kept, fixture_tear_down);
  g_test_add ("/sending/engine/async-bounce", Fixture, NULL, fixture_set_up, test_engine_async_bounce, fixture_tear_down);
  g_test_add ("/sending/engine/follow-ups-busy", Fixture, NULL, fixture_set_up, test_engine_follow_ups_busy, fixture_tear_down);
  g_test_add ("/sending/engine/follow-ups-kept", Fixture, NULL, fixture_set_up, test_engine_follow_ups_kept, fixture_tear_down);
  g_test_add ("/sending/engine/guard-busy", Fixture, NULL, fixture_set_up, test_engine_guard_busy, fixture_tear_down);
  g_test_add ("/sending/engine/bounce-in-callers-transaction", Fixture, NULL, fixture_set_up,
              test_engine_bounce_in_callers_transaction, fixture_tear_down);
  g_test_add ("/sending/engine/async-bounce-busy", Fixture, NULL, fixture_set_up, test_engine_async_bounce_busy, fixture_tear_down);
  g_test_add ("/sending/engine/scheduled-busy", Fixture, NULL, fixture_set_up, test_engine_scheduled_busy, fixture_tear_down);
  g_test_add ("/sending/engine/domain-streak", Fixture, NULL, fixture_set_up, test_engine_domain_streak, fixture_tear_down);
  g_test_add ("/sending/engine/crash-recovery", Fixture, NULL, fixture_set_up, test_engine_crash_recovery, fixture_tear_down);
  g_test_add ("/sending/engine/cancel", Fixture, NULL, fixture_set_up, test_engine_cancel, fixture_tear_down);
  g_test_add ("/sending/engine/catch-up", Fixture, NULL, fixture_set_up, test_engine_start_and_catch_up, fixture_tear_down);
  g_test_add ("/sending/engine/connection-errors", Fixture, NULL, fixture_set_up, test_engine_connection_errors, fixture_tear_down);
  g_test_add ("/sending/engine/lock", Fixture, NULL, fixture_set_up, test_engine_lock, fixture_tear_down);
  g_test_add ("/sending/cli/campaign", Fixture, NULL, fixture_set_up, test_cli_campaign, fixture_tear_down);
  g_test_add ("/sending/engine/mark-sent", Fixture, NULL, fixture_set_up, test_engine_mark_sent, fixture_tear_down);

  return g_test_run ();
}
