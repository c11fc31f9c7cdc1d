/* ob-account-test-view.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-account-test-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ob-account-test-view.h"

/* While the test runs every step it will take shows a spinner, and each row
 * gets its result as soon as its step is done; at the end the whole report
 * is shown. Steps the test did not reach (a failed connection stops the
 * rest) say so. */
struct _ObAccountTestView
{
  AdwBin               parent_instance;

  GtkBox              *box;
  GCancellable        *cancellable;
  ObAccountTestReport *report;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (ObAccountTestView, ob_account_test_view, ADW_TYPE_BIN)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  STATE_RUNNING,
  STATE_PASSED,
  STATE_FAILED,
  STATE_SKIPPED,
} RowState;

static const char *smtp_steps[] = { "dns", "tcp", "tls", "certificate", "capabilities", "auth", NULL };
static const char *imap_steps[] = { "dns", "tcp", "tls", "certificate", "capabilities", "auth", "folder", NULL };
static const char *dry_run_steps[] = { "folder", NULL };

static const char *
step_title (const char *step)
{
  if (g_str_equal (step, "dns"))
    return _("Server Name");
  if (g_str_equal (step, "tcp"))
    return _("Connection");
  if (g_str_equal (step, "tls"))
    return _("Encryption");
  if (g_str_equal (step, "certificate"))
    return _("Certificate");
  if (g_str_equal (step, "connection"))
    return _("Secure Connection");
  if (g_str_equal (step, "capabilities"))
    return _("Features");
  if (g_str_equal (step, "auth"))
    return _("Login");
  if (g_str_equal (step, "folder"))
    return _("Folders");
  return step;
}

static const char *
step_running_text (const char *step)
{
  if (g_str_equal (step, "dns"))
    return _("Looking up the server name…");
  if (g_str_equal (step, "tcp"))
    return _("Connecting…");
  if (g_str_equal (step, "tls"))
    return _("Setting up encryption…");
  if (g_str_equal (step, "certificate"))
    return _("Checking the server’s certificate…");
  if (g_str_equal (step, "capabilities"))
    return _("Asking what the server supports…");
  if (g_str_equal (step, "auth"))
    return _("Logging in…");
  return _("Looking at the folders…");
}

/* Gives @row the look of @state: an icon (or a spinner) and its words. */
static void
set_row_state (GtkWidget  *row,
               RowState    state,
               const char *subtitle,
               const char *tooltip)
{
  GtkWidget *old = g_object_get_data (G_OBJECT (row), "ob-prefix");
  GtkWidget *prefix;
  const char *state_label = NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  gtk_widget_set_tooltip_text (row, tooltip != NULL && *tooltip != '\0' ? tooltip : NULL);
  if (old != NULL)
    adw_action_row_remove (ADW_ACTION_ROW (row), old);

  switch (state)
    {
    case STATE_RUNNING:
      prefix = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (prefix));
      state_label = _("Checking");
      break;
    case STATE_PASSED:
      prefix = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (prefix, "success");
      state_label = _("Passed");
      break;
    case STATE_FAILED:
      prefix = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (prefix, "error");
      state_label = _("Failed");
      break;
    case STATE_SKIPPED:
    default:
      prefix = gtk_image_new_from_icon_name ("action-unavailable-symbolic");
      gtk_widget_add_css_class (prefix, "dim-label");
      state_label = _("Not checked");
      break;
    }
  gtk_widget_set_valign (prefix, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (prefix),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_label,
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
  g_object_set_data (G_OBJECT (row), "ob-prefix", prefix);
  g_object_set_data (G_OBJECT (row), "ob-test-state", GINT_TO_POINTER (state));
}

static GtkWidget *
make_row (const char *title,
          const char *subtitle,
          RowState    state,
          const char *tooltip)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  set_row_state (row, state, subtitle, tooltip);
  return row;
}

static void
clear (ObAccountTestView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
add_group (ObAccountTestView *self,
           const char        *service,
           const char        *host,
           guint16            port)
{
  GtkWidget *group = adw_preferences_group_new ();
  const char *title;

  if (g_str_equal (service, "smtp"))
    title = _("Sending (SMTP)");
  else if (g_str_equal (service, "imap"))
    title = _("Reading Bounces and Replies (IMAP)");
  else
    title = _("Dry Run");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (host != NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u", host, port);
      g_autofree char *escaped = g_markup_escape_text (where, -1);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), escaped);
    }
  gtk_box_append (self->box, group);
  return group;
}

static void
add_row (ObAccountTestView *self,
         GtkWidget         *group,
         GtkWidget         *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_ptr_array_add (self->rows, row);
}

/* A row waiting for @service's @step, found again by show_step(). */
static void
add_placeholder (ObAccountTestView *self,
                 GtkWidget         *group,
                 const char        *service,
                 const char        *step)
{
  GtkWidget *row = make_row (step_title (step), step_running_text (step), STATE_RUNNING, NULL);

  g_object_set_data_full (G_OBJECT (row), "ob-step", g_strconcat (service, ":", step, NULL), g_free);
  add_row (self, group, row);
}

static void
show_placeholders (ObAccountTestView *self,
                   ObAccount         *account)
{
  GtkWidget *group;

  clear (self);
  if (ob_account_is_dry_run (account))
    {
      group = add_group (self, "dry-run", NULL, 0);
      for (guint i = 0; dry_run_steps[i]; i++)
        add_placeholder (self, group, "dry-run", dry_run_steps[i]);
      return;
    }

  group = add_group (self, "smtp", ob_account_get_smtp_host (account), ob_account_get_smtp_port (account));
  for (guint i = 0; smtp_steps[i]; i++)
    add_placeholder (self, group, "smtp", smtp_steps[i]);
  if (ob_account_get_imap_host (account) != NULL)
    {
      group = add_group (self, "imap", ob_account_get_imap_host (account), ob_account_get_imap_port (account));
      for (guint i = 0; imap_steps[i]; i++)
        add_placeholder (self, group, "imap", imap_steps[i]);
    }
}

static gboolean
report_has_step (const ObAccountTestReport *report,
                 const char                *service,
                 const char                *step)
{
  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *s = g_ptr_array_index (report->steps, i);

      if (g_str_equal (s->service, service) && g_str_equal (s->step, step))
        return TRUE;
    }
  return FALSE;
}

static void
show_service (ObAccountTestView         *self,
              ObAccount                 *account,
              const ObAccountTestReport *report,
              const char                *service,
              const char * const        *expected)
{
  GtkWidget *group;
  gboolean any = FALSE;

  for (guint i = 0; i < report->steps->len && !any; i++)
    any = g_str_equal (((ObAccountTestStep *) g_ptr_array_index (report->steps, i))->service, service);
  if (!any)
    return;

  if (g_str_equal (service, "smtp"))
    group = add_group (self, service, ob_account_get_smtp_host (account), ob_account_get_smtp_port (account));
  else if (g_str_equal (service, "imap"))
    group = add_group (self, service, ob_account_get_imap_host (account), ob_account_get_imap_port (account));
  else
    group = add_group (self, service, NULL, 0);

  for (guint i = 0; i < report->steps->len; i++)
    {
      const ObAccountTestStep *s = g_ptr_array_index (report->steps, i);

      if (g_str_equal (s->service, service))
        add_row (self, group, make_row (step_title (s->step), s->message,
                                        s->ok ? STATE_PASSED : STATE_FAILED, s->detail));
    }

  /* Without an IMAP server the report has one line for IMAP: nothing
   * else was to be checked. */
  if (g_str_equal (service, "imap") && ob_account_get_imap_host (account) == NULL)
    return;
  for (guint i = 0; expected[i]; i++)
    {
      /* A failed secure connection is reported as one "connection" step. */
      if (!report_has_step (report, service, expected[i]) &&
          !(g_str_equal (expected[i], "tls") && report_has_step (report, service, "connection")))
        add_row (self, group, make_row (step_title (expected[i]),
                                        _("Not checked: an earlier step failed."),
                                        STATE_SKIPPED, NULL));
    }
}

/* A step is done while the test goes on: its waiting row shows the result.
 * (A failed secure connection has no row of its own until the end.) */
static void
show_step (ObAccountTestView       *self,
           const ObAccountTestStep *step)
{
  g_autofree char *key = g_strconcat (step->service, ":", step->step, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "ob-step"), key) == 0)
        {
          set_row_state (row, step->ok ? STATE_PASSED : STATE_FAILED, step->message, step->detail);
          return;
        }
    }
}

typedef struct
{
  ObAccountTestView *self;
  ObAccount         *account;
  GCancellable      *cancellable;
} Run;

static void
progress_cb (const ObAccountTestStep *step,
             gpointer                 user_data)
{
  Run *run = user_data;

  if (!g_cancellable_is_cancelled (run->cancellable))
    show_step (run->self, step);
}

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_clear_object (&run->account);
  g_clear_object (&run->cancellable);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  ObAccountTestView *self = run->self;
  ObAccount *account = run->account;
  g_autoptr(GError) error = NULL;
  ObAccountTestReport *report = ob_account_test_finish (result, &error);

  /* Cancelled: a newer run replaced this one, or the view went away. */
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_clear_pointer (&report, ob_account_test_report_free);
      return;
    }
  if (report == NULL)
    {
      g_warning ("Account test failed: %s", error->message);
      g_clear_object (&self->cancellable);
      return;
    }

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, ob_account_test_report_free);
  self->report = report;

  clear (self);
  show_service (self, account, report, "smtp", smtp_steps);
  show_service (self, account, report, "imap", imap_steps);
  show_service (self, account, report, "dry-run", dry_run_steps);

  g_signal_emit (self, signals[FINISHED], 0, report->ok);
}

/* Out of its window (closed), nobody waits for the result. */
static void
ob_account_test_view_unroot (GtkWidget *widget)
{
  ob_account_test_view_cancel (OB_ACCOUNT_TEST_VIEW (widget));

  GTK_WIDGET_CLASS (ob_account_test_view_parent_class)->unroot (widget);
}

static void
ob_account_test_view_dispose (GObject *object)
{
  ObAccountTestView *self = (ObAccountTestView *)object;

  ob_account_test_view_cancel (self);

  G_OBJECT_CLASS (ob_account_test_view_parent_class)->dispose (object);
}

static void
ob_account_test_view_finalize (GObject *object)
{
  ObAccountTestView *self = (ObAccountTestView *)object;

  g_clear_pointer (&self->report, ob_account_test_report_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ob_account_test_view_parent_class)->finalize (object);
}

static void
ob_account_test_view_class_init (ObAccountTestViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ob_account_test_view_dispose;
  object_class->finalize = ob_account_test_view_finalize;
  widget_class->unroot = ob_account_test_view_unroot;

  /* (gboolean ok): every step passed. */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
ob_account_test_view_init (ObAccountTestView *self)
{
  self->rows = g_ptr_array_new ();
  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->box));
}

GtkWidget *
ob_account_test_view_new (void)
{
  return g_object_new (OB_TYPE_ACCOUNT_TEST_VIEW, NULL);
}

void
ob_account_test_view_run (ObAccountTestView *self,
                          ObAccount         *account,
                          const char        *password)
{
  Run *run;

  g_return_if_fail (OB_IS_ACCOUNT_TEST_VIEW (self));
  g_return_if_fail (OB_IS_ACCOUNT (account));

  ob_account_test_view_cancel (self);
  g_clear_pointer (&self->report, ob_account_test_report_free);
  show_placeholders (self, account);

  /* A view disposed meanwhile has cancelled the test: the callback then
   * leaves it alone. */
  self->cancellable = g_cancellable_new ();
  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->account = g_object_ref (account);
  run->cancellable = g_object_ref (self->cancellable);
  ob_account_test_with_progress_async (account, password, 0, progress_cb, run, NULL,
                                       self->cancellable, test_cb, run);
}

void
ob_account_test_view_cancel (ObAccountTestView *self)
{
  g_return_if_fail (OB_IS_ACCOUNT_TEST_VIEW (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

gboolean
ob_account_test_view_is_running (ObAccountTestView *self)
{
  g_return_val_if_fail (OB_IS_ACCOUNT_TEST_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

const ObAccountTestReport *
ob_account_test_view_get_report (ObAccountTestView *self)
{
  g_return_val_if_fail (OB_IS_ACCOUNT_TEST_VIEW (self), NULL);

  return self->report;
}

void
ob_account_test_view_count (ObAccountTestView *self,
                            guint             *n_passed,
                            guint             *n_failed,
                            guint             *n_running)
{
  guint counts[4] = { 0, };

  g_return_if_fail (OB_IS_ACCOUNT_TEST_VIEW (self));

  for (guint i = 0; i < self->rows->len; i++)
    counts[GPOINTER_TO_INT (g_object_get_data (g_ptr_array_index (self->rows, i), "ob-test-state"))]++;
  if (n_passed)
    *n_passed = counts[STATE_PASSED];
  if (n_failed)
    *n_failed = counts[STATE_FAILED];
  if (n_running)
    *n_running = counts[STATE_RUNNING];
}

const char *
ob_account_test_view_get_first_failure (ObAccountTestView *self)
{
  g_return_val_if_fail (OB_IS_ACCOUNT_TEST_VIEW (self), NULL);

  if (self->report == NULL)
    return NULL;
  for (guint i = 0; i < self->report->steps->len; i++)
    {
      const ObAccountTestStep *s = g_ptr_array_index (self->report->steps, i);

      if (!s->ok)
        return s->message;
    }
  return NULL;
}
