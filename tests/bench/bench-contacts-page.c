/* bench-contacts-page.c — how fast the Contacts page shows a million
 * contacts: the first rows on screen, then each keystroke of a search (the
 * query, the count and the first page the view asks for). Prints the
 * figures; the goals are < 300 ms for the first rows and < 50 ms a key.
 * Then deleting all of them (on a copy): what the list costs while the
 * million ids wait under the Undo toast, and how long the UI thread is
 * blocked by the delete and its commit.
 *
 * The database (1,000,000 generated contacts) is made once and kept in the
 * build directory: making it takes a minute or two.
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <time.h>
#include <unistd.h>

#include "ob-application.h"
#include "ob-contact.h"
#include "ob-contact-table-model.h"
#include "ob-contacts-page.h"
#include "ob-test-util.h"
#include "ob-window.h"

#define N_CONTACTS 1000000

static ObApplication *app;

/* CPU time of this thread (the UI thread, where the page queries SQLite),
 * in ms: on a loaded machine wall time counts other programs too. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  if (GTK_IS_INSCRIPTION (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (shows_label (c, text))
      return TRUE;
  return FALSE;
}

static ObStore *
open_big_store (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("OUTBOUND_BUILD_ROOT"), "tests", "bench",
                                            "contacts-1m.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = ob_store_open (path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 start;

  g_assert_no_error (error);
  stmt = ob_store_prepare (store, "SELECT count(*) FROM contacts", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (sqlite3_column_int (stmt, 0) == N_CONTACTS)
    return g_steal_pointer (&store);
  g_clear_pointer (&stmt, sqlite3_finalize);

  g_printerr ("# making %s with %d contacts (once)…\n", path, N_CONTACTS);
  start = g_get_monotonic_time ();
  g_assert_true (ob_store_exec (store, "PRAGMA synchronous = OFF; DELETE FROM contacts;", &error));
  g_assert_true (ob_store_exec (store,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)"
    " INSERT INTO contacts (email, email_key, domain, name, company, country, source, verdict, status,"
    "  created_at, updated_at)"
    " SELECT lower (printf ('%s.%s%d@%s%d.example.%s', substr ('annaliweijeanmariapeterkenjiolgasamir', 1 + (i % 8) * 4, 4),"
    "   substr ('schmidtwangdupontrossikowalskitanakaivanovahmed', 1 + (i % 11) * 4, 4), i,"
    "   substr ('valvepumpsteelflowtradegroup', 1 + (i % 6) * 5, 5), i % 9973,"
    "   substr ('decnfritplvntrjpus', 1 + (i % 9) * 2, 2))),"
    "  lower (printf ('%s.%s%d@%s%d.example.%s', substr ('annaliweijeanmariapeterkenjiolgasamir', 1 + (i % 8) * 4, 4),"
    "   substr ('schmidtwangdupontrossikowalskitanakaivanovahmed', 1 + (i % 11) * 4, 4), i,"
    "   substr ('valvepumpsteelflowtradegroup', 1 + (i % 6) * 5, 5), i % 9973,"
    "   substr ('decnfritplvntrjpus', 1 + (i % 9) * 2, 2))),"
    "  printf ('%s%d.example.%s', substr ('valvepumpsteelflowtradegroup', 1 + (i % 6) * 5, 5), i % 9973,"
    "   substr ('decnfritplvntrjpus', 1 + (i % 9) * 2, 2)),"
    "  printf ('%s %s', substr ('Anna LiWeiJeanMariPeteKenjOlgaSami', 1 + (i % 8) * 4, 4),"
    "   substr ('SchmWangDupoRossKowaTanaIvanAhme', 1 + (i % 8) * 4, 4)),"
    "  printf ('%s %d GmbH', substr ('ValvePumpsSteelFlow TradeGroup', 1 + (i % 6) * 5, 5), i % 9973),"
    "  upper (substr ('decnfritplvntrjpus', 1 + (i % 9) * 2, 2)), 'bench', 'valid', 'active',"
    "  1767225600 + i, 1767225600 + i FROM n", &error));
  g_assert_no_error (error);
  g_printerr ("# made in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
  /* Then opened again, as the app finds it at start-up: the write-ahead
   * log of the million inserts checkpointed, a new connection, and the
   * 700 MB written flushed to disk first, so that the kernel's write-back
   * does not share the two cores with the measurement. */
  g_assert_true (ob_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  sync ();
  g_clear_object (&store);
  store = ob_store_open (path, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

typedef struct
{
  ObContactsPage *page;
  gint64          at;  /* when the first row was painted; 0 until then */
} FirstPaint;

static void
on_first_paint (GdkFrameClock *clock,
                FirstPaint    *fp)
{
  GListModel *model = ob_contacts_page_get_model (fp->page);

  if (fp->at == 0 && model != NULL && g_list_model_get_n_items (model) > 0)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (model, 0);

      if (c != NULL && shows_label (GTK_WIDGET (fp->page), ob_contact_get_email (c)))
        fp->at = g_get_monotonic_time ();
    }
}

/* Runs the main loop until the window has drawn a frame (or a second has
 * gone by): what a keystroke costs until its result is on screen. */
static void
wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;
  gulong id;

  if (clock == NULL)
    return;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (window);
  while (!painted && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (clock, id);
}

static void
iterate_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
bench_page (void)
{
  static const char * const keys[] = { "a", "an", "ann", "anna", "anna.", "anna.s", "anna.sc",
                                       "v", "va", "val", "valve", "valve 77", "zz", "zzz" };
  g_autoptr(ObStore) store = open_big_store ();
  ObWindow *window;
  ObContactsPage *page;
  GtkSearchEntry *entry;
  GListModel *model;
  g_autoptr(ObContact) first = NULL;
  gint64 start, first_rows;
  double worst = 0, sum = 0, start_cpu, worst_cpu = 0, sum_cpu = 0, sum_frame = 0, worst_frame = 0;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  /* The page's own share: the model's count and the first page. */
  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(ObContactTableModel) m = NULL;
      g_autoptr(ObContact) c = NULL;

      double cpu = cpu_ms ();

      start = g_get_monotonic_time ();
      m = ob_contact_table_model_new (store);
      c = g_list_model_get_item (G_LIST_MODEL (m), 0);
      g_assert_nonnull (c);
      g_printerr ("# list model over %d contacts, count and first page (run %u): %.1f ms (%.1f ms CPU)\n",
                  N_CONTACTS, run + 1, (g_get_monotonic_time () - start) / 1000.0, cpu_ms () - cpu);
    }

  /* The same keystrokes on a list model with no view: the SQL share. */
  {
    g_autoptr(ObContactTableModel) m = ob_contact_table_model_new (store);
    double msum = 0, mworst = 0;

    for (guint i = 0; i < 2 * G_N_ELEMENTS (keys); i++)
      {
        g_autoptr(ObSegment) seg = ob_segment_new ();
        double cpu0 = cpu_ms (), cpu;

        seg->search = g_strdup (keys[i % G_N_ELEMENTS (keys)]);
        ob_contact_table_model_set_segment (m, seg);
        if (g_list_model_get_n_items (G_LIST_MODEL (m)) > 0)
          {
            g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (m), 0);
            g_assert_nonnull (c);
          }
        cpu = cpu_ms () - cpu0;
        if (i >= G_N_ELEMENTS (keys))
          {
            msum += cpu;
            mworst = MAX (mworst, cpu);
          }
      }
    g_printerr ("# search keystrokes on the list model alone (count + first page), warm: CPU mean %.1f ms,"
                " worst %.1f ms\n", msum / G_N_ELEMENTS (keys), mworst);
  }

  start = g_get_monotonic_time ();
  start_cpu = cpu_ms ();
  window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "contacts");
  page = OB_CONTACTS_PAGE (find_widget (GTK_WIDGET (window), OB_TYPE_CONTACTS_PAGE));
  /* Done at the end of the first frame painted with the first contact's
   * row in it. */
  {
    FirstPaint fp = { page, 0 };
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    gulong id;

    g_assert_nonnull (clock);
    id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), &fp);
    while (fp.at == 0)
      {
        g_main_context_iteration (NULL, TRUE);
        g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
      }
    g_signal_handler_disconnect (clock, id);
    model = ob_contacts_page_get_model (page);
    first_rows = fp.at - start;
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CONTACTS);
  g_printerr ("# first rows of %d contacts on screen: %.1f ms, %.1f ms CPU (window created, laid out, drawn)\n",
              N_CONTACTS, first_rows / 1000.0, cpu_ms () - start_cpu);
  /* The rest of the rows join on the next frame, for scrolling. */
  {
    GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (ob_contacts_page_get_column_view (page)));

    while (g_list_model_get_n_items (shown) < N_CONTACTS)
      {
        g_main_context_iteration (NULL, TRUE);
        g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
      }
    wait_for_paint (GTK_WIDGET (window));
    g_printerr ("#   the whole list in the view and drawn: %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  }
  g_printerr ("#   ObContact objects made: %u\n",
              ob_contact_table_model_get_n_created (OB_CONTACT_TABLE_MODEL (model)));
  g_assert_cmpuint (ob_contact_table_model_get_n_created (OB_CONTACT_TABLE_MODEL (model)), <=,
                    4 * OB_CONTACT_TABLE_MODEL_PAGE_SIZE);

  /* Each keystroke: the page's search handler (recount, first page), as the
   * entry fires it after its typing delay. */
  entry = GTK_SEARCH_ENTRY (find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY));
  for (guint i = 0; i < 2 * G_N_ELEMENTS (keys); i++)
    {
      gint64 t0;
      double ms, cpu0, cpu, frame;
      guint n;

      /* The second round is the same keys over a warm cache. */
      const char *key = keys[i % G_N_ELEMENTS (keys)];

      if (i == G_N_ELEMENTS (keys))
        g_printerr ("# again, warm:\n");
      gtk_editable_set_text (GTK_EDITABLE (entry), key);
      t0 = g_get_monotonic_time ();
      cpu0 = cpu_ms ();
      g_signal_emit_by_name (entry, "search-changed");
      n = g_list_model_get_n_items (model);
      if (n > 0)
        {
          g_autoptr(ObContact) c = g_list_model_get_item (model, 0);
          g_assert_nonnull (c);
        }
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      cpu = cpu_ms () - cpu0;
      if (i >= G_N_ELEMENTS (keys))
        {
          g_array_append_val (times, ms);
          sum += ms;
          worst = MAX (worst, ms);
          sum_cpu += cpu;
          worst_cpu = MAX (worst_cpu, cpu);
        }
      /* Then the frame that shows the result: layout and drawing of the
       * rows, which GTK does after the handler returns. */
      wait_for_paint (GTK_WIDGET (window));
      frame = (g_get_monotonic_time () - t0) / 1000.0;
      if (i >= G_N_ELEMENTS (keys))
        {
          sum_frame += frame;
          worst_frame = MAX (worst_frame, frame);
        }
      g_printerr ("# search “%s”: %u matches, %.1f ms, %.1f ms CPU; drawn after %.1f ms\n", key, n, ms, cpu, frame);
      iterate_until_idle ();
    }
  g_printerr ("# search keystrokes, warm: mean %.1f ms, worst %.1f ms; CPU mean %.1f ms, worst %.1f ms"
              " (goal < 50 ms each)\n", sum / times->len, worst, sum_cpu / times->len, worst_cpu);
  g_printerr ("# search keystrokes, warm, until the result is drawn (wall, frame clock at 60 Hz):"
              " mean %.1f ms, worst %.1f ms\n", sum_frame / times->len, worst_frame);
  g_printerr ("# load average while measuring: see /proc/loadavg; wall time includes other programs\n");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_until_idle ();

  /* The figures are the product of this bench, judged against the issue's
   * goals in the log (a shared machine's wall time is not a pass/fail
   * matter); what must hold is that the list stayed lazy. */
  g_printerr ("# goal, first rows < 300 ms: %s; each keystroke < 50 ms: %s\n",
              first_rows / 1000.0 < 300.0 ? "met" : "NOT met",
              worst < 50.0 ? "met" : "NOT met");
}

/* The longest time the main loop went without running a 5 ms timer: how
 * long the UI thread was blocked at a stretch. */
typedef struct
{
  gint64 last;
  gint64 worst;
} Gaps;

static gboolean
gap_tick_cb (gpointer user_data)
{
  Gaps *g = user_data;
  gint64 now = g_get_monotonic_time ();

  if (g->last != 0)
    g->worst = MAX (g->worst, now - g->last);
  g->last = now;
  return G_SOURCE_CONTINUE;
}

static void
print_reload (ObContactTableModel *m,
              const char          *what)
{
  double cpu0 = cpu_ms ();
  gint64 t0 = g_get_monotonic_time ();
  guint n;

  ob_contact_table_model_reload (m);
  n = g_list_model_get_n_items (G_LIST_MODEL (m));
  if (n > 0)
    {
      g_autoptr(ObContact) c = g_list_model_get_item (G_LIST_MODEL (m), 0);
      g_assert_nonnull (c);
    }
  g_printerr ("#   %s: %u rows, count + first page %.1f ms (%.1f ms CPU)\n", what, n,
              (g_get_monotonic_time () - t0) / 1000.0, cpu_ms () - cpu0);
}

/* The close button of the toast on screen, as a person clicks it. */
static GtkWidget *
find_toast_close (GtkWidget *root)
{
  GType toast_widget = g_type_from_name ("AdwToastWidget");

  if (toast_widget != 0 && G_TYPE_CHECK_INSTANCE_TYPE (root, toast_widget))
    {
      GtkWidget *last = gtk_widget_get_last_child (root);

      return GTK_IS_BUTTON (last) ? last : NULL;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toast_close (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gint64
count_contacts (ObStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = ob_store_prepare (store, "SELECT count(*) FROM contacts", NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
bench_delete (void)
{
  g_autoptr(ObTestDir) dir = ob_test_dir_new ();
  g_autofree char *copy = ob_test_dir_file (dir, "delete-1m.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObStore) store = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  ObWindow *window;
  ObContactsPage *page;
  GtkSelectionModel *selection;
  Gaps gaps = { 0, 0 };
  guint tick;
  gint64 t0, action_us, end;
  double cpu0, action_cpu;

  /* A copy of the million, checkpointed and closed first. */
  {
    g_autoptr(ObStore) big = open_big_store ();
    g_autoptr(GFile) from = g_file_new_for_path (ob_store_get_path (big));
    g_autoptr(GFile) to = g_file_new_for_path (copy);

    g_assert_true (ob_store_exec (big, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
    g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  store = ob_store_open (copy, &error);
  g_assert_no_error (error);

  /* The list model alone, with every id hidden as a deletion under its
   * Undo toast hides them, then all but the last 200. */
  {
    g_autoptr(ObContactTableModel) m = ob_contact_table_model_new (store);
    g_autoptr(GArray) most = NULL;
    g_autoptr(ObSegment) seg = ob_segment_new ();

    cpu0 = cpu_ms ();
    t0 = g_get_monotonic_time ();
    ob_contact_table_model_append_ids (m, 0, N_CONTACTS, all);
    g_printerr ("# delete: reading the ids of a selection of all %u: %.1f ms (%.1f ms CPU)\n", all->len,
                (g_get_monotonic_time () - t0) / 1000.0, cpu_ms () - cpu0);
    g_assert_cmpuint (all->len, ==, N_CONTACTS);
    cpu0 = cpu_ms ();
    t0 = g_get_monotonic_time ();
    ob_contact_table_model_set_hidden (m, all);
    g_printerr ("# delete: hiding them (with the reload): %.1f ms (%.1f ms CPU)\n",
                (g_get_monotonic_time () - t0) / 1000.0, cpu_ms () - cpu0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (m)), ==, 0);
    for (guint run = 0; run < 3; run++)
      print_reload (m, "all 1,000,000 hidden, by id");
    ob_contact_table_model_set_sort (m, OB_CONTACT_COLUMN_EMAIL, FALSE);
    print_reload (m, "all hidden, by email");
    seg->search = g_strdup ("anna");
    ob_contact_table_model_set_segment (m, seg);
    print_reload (m, "all hidden, search “anna”");
    ob_contact_table_model_set_segment (m, NULL);
    ob_contact_table_model_set_sort (m, OB_CONTACT_COLUMN_ID, FALSE);

    most = g_array_sized_new (FALSE, FALSE, sizeof (gint64), N_CONTACTS);
    g_array_append_vals (most, all->data, N_CONTACTS - 200);
    ob_contact_table_model_set_hidden (m, most);
    for (guint run = 0; run < 3; run++)
      print_reload (m, "all but the last 200 hidden, by id");
    ob_contact_table_model_set_sort (m, OB_CONTACT_COLUMN_EMAIL, FALSE);
    print_reload (m, "all but the last 200 hidden, by email");
    ob_contact_table_model_set_hidden (m, NULL);
    print_reload (m, "none hidden, by email");
  }

  /* The page: select all, Delete, close the toast; the UI thread is
   * watched from the moment Delete is pressed until the contacts are
   * gone from the database. */
  window = ob_window_new (ADW_APPLICATION (app), store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "contacts");
  page = OB_CONTACTS_PAGE (find_widget (GTK_WIDGET (window), OB_TYPE_CONTACTS_PAGE));
  selection = gtk_column_view_get_model (ob_contacts_page_get_column_view (page));
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (G_LIST_MODEL (selection)) < N_CONTACTS)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
    }
  wait_for_paint (GTK_WIDGET (window));
  iterate_until_idle ();
  gtk_selection_model_select_all (selection);
  iterate_until_idle ();

  tick = g_timeout_add (5, gap_tick_cb, &gaps);
  cpu0 = cpu_ms ();
  t0 = g_get_monotonic_time ();
  gaps.last = t0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "contacts.delete-selected", NULL));
  action_us = g_get_monotonic_time () - t0;
  action_cpu = cpu_ms () - cpu0;
  g_printerr ("# delete: pressing Delete on all %d: %.1f ms (%.1f ms CPU) before the UI runs again\n",
              N_CONTACTS, action_us / 1000.0, action_cpu);
  g_assert_cmpuint (g_list_model_get_n_items (ob_contacts_page_get_model (page)), ==, 0);
  wait_for_paint (GTK_WIDGET (window));
  {
    GtkWidget *close = NULL;

    end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while ((close = find_toast_close (GTK_WIDGET (window))) == NULL)
      {
        g_main_context_iteration (NULL, TRUE);
        g_assert_cmpint (g_get_monotonic_time (), <, end);
      }
    g_printerr ("# delete: %.1f ms from Delete to the Undo toast on screen; worst UI stall so far %.1f ms\n",
                (g_get_monotonic_time () - t0) / 1000.0, gaps.worst / 1000.0);
    gaps.worst = 0;
    cpu0 = cpu_ms ();
    t0 = g_get_monotonic_time ();
    gaps.last = t0;
    g_signal_emit_by_name (close, "clicked");
  }
  end = g_get_monotonic_time () + 900 * G_USEC_PER_SEC;
  while (ob_contacts_page_is_busy (page) || count_contacts (store) > 0)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
    }
  /* The stretch since the last tick counts too (a commit inside the click
   * handler leaves the loop without another tick). */
  gap_tick_cb (&gaps);
  g_printerr ("# delete: committed after %.1f s (%.1f ms CPU on the UI thread); worst UI stall meanwhile"
              " %.1f ms\n", (g_get_monotonic_time () - t0) / 1e6, cpu_ms () - cpu0, gaps.worst / 1000.0);
  g_source_remove (tick);
  g_assert_cmpint (count_contacts (store), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_until_idle ();
}

static int
compare_doubles (const double *a,
                 const double *b)
{
  return (*a > *b) - (*a < *b);
}

/* Scrolling in the middle of a million contacts: a jump to row 500,000
 * (read by OFFSET), then 20 pages down and 20 back up, each read from its
 * neighbour's end. Per page, in id and in Email order. */
static void
bench_scroll (void)
{
  static const struct { ObContactColumn column; const char *name; } sorts[] = {
    { OB_CONTACT_COLUMN_ID, "id" }, { OB_CONTACT_COLUMN_EMAIL, "Email" }, { OB_CONTACT_COLUMN_NAME, "Name" },
  };
  g_autoptr(ObStore) store = open_big_store ();

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    {
      g_autoptr(ObContactTableModel) m = ob_contact_table_model_new (store);
      GListModel *list = G_LIST_MODEL (m);
      const guint page = OB_CONTACT_TABLE_MODEL_PAGE_SIZE;
      const guint mid = 500000 / page * page;
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      double jump, worst = 0;
      guint keyset;
      gint64 start;

      ob_contact_table_model_set_sort (m, sorts[s].column, FALSE);
      g_assert_cmpuint (g_list_model_get_n_items (list), ==, N_CONTACTS);
      start = g_get_monotonic_time ();
      g_object_unref (g_list_model_get_item (list, mid));
      jump = (g_get_monotonic_time () - start) / 1000.0;
      keyset = ob_contact_table_model_get_n_pages_from_neighbour (m);
      for (int step = 1; step <= 40; step++)
        {
          guint pos = step <= 20 ? mid + step * page : mid - (step - 20) * page;
          double ms;

          start = g_get_monotonic_time ();
          g_object_unref (g_list_model_get_item (list, pos));
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);
          worst = MAX (worst, ms);
        }
      g_array_sort (times, (GCompareFunc) compare_doubles);
      g_printerr ("# scrolling at row 500,000 in %s order: the jump %.1f ms; each next page median %.2f ms,"
                  " worst %.2f ms (%u of 40 read from a neighbour)\n", sorts[s].name, jump,
                  g_array_index (times, double, times->len / 2), worst,
                  ob_contact_table_model_get_n_pages_from_neighbour (m) - keyset);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = ob_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/bench/contacts/page-1m", bench_page);
  g_test_add_func ("/bench/contacts/delete-1m", bench_delete);
  g_test_add_func ("/bench/contacts/scroll-1m", bench_scroll);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
