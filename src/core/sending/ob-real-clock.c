/* ob-real-clock.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include <glib-unix.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "ob-real-clock.h"

/* The wall clock. A wait is one timer: a CLOCK_REALTIME timerfd armed at
 * the absolute moment, so it fires on time after a suspend (the monotonic
 * clock behind g_timeout stops while the machine sleeps) and after the
 * user changes the clock. Where timerfd is missing, one g_timeout of the
 * remaining time, re-armed if it fires early. Either way the wall clock is
 * checked again on every wake-up. */
struct _ObRealClock
{
  GObject parent_instance;
};

static void ob_real_clock_iface_init (ObClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObRealClock, ob_real_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_CLOCK, ob_real_clock_iface_init))

typedef struct
{
  gint64   when;
  int      fd;
  GSource *timer;
  GSource *cancel;
} Wait;

static void
wait_free (Wait *wait)
{
  if (wait->timer != NULL)
    {
      g_source_destroy (wait->timer);
      g_source_unref (wait->timer);
    }
  if (wait->cancel != NULL)
    {
      g_source_destroy (wait->cancel);
      g_source_unref (wait->cancel);
    }
  if (wait->fd >= 0)
    close (wait->fd);
  g_free (wait);
}

static gint64
real_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean arm (GTask *task);

static void
finish_wait (GTask *task)
{
  Wait *wait = g_task_get_task_data (task);

  /* Drop the sources before returning so no callback runs afterwards. */
  if (wait->timer != NULL)
    {
      g_source_destroy (wait->timer);
      g_clear_pointer (&wait->timer, g_source_unref);
    }
  if (wait->cancel != NULL)
    {
      g_source_destroy (wait->cancel);
      g_clear_pointer (&wait->cancel, g_source_unref);
    }
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
timer_fd_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);
  guint64 expirations;

  /* ECANCELED (clock set) or a short read: just look at the clock again. */
  if (read (fd, &expirations, sizeof expirations) < 0)
    g_debug ("timerfd read: %s", g_strerror (errno));

  if (real_now () >= wait->when)
    {
      finish_wait (task);
      return G_SOURCE_REMOVE;
    }

  g_source_destroy (wait->timer);
  g_clear_pointer (&wait->timer, g_source_unref);
  arm (task);
  return G_SOURCE_REMOVE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);

  if (real_now () >= wait->when)
    {
      finish_wait (task);
      return G_SOURCE_REMOVE;
    }

  g_source_destroy (wait->timer);
  g_clear_pointer (&wait->timer, g_source_unref);
  arm (task);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  finish_wait (user_data);
  return G_SOURCE_REMOVE;
}

/* Arms the one timer of @task; returns FALSE when it is already due. */
static gboolean
arm (GTask *task)
{
  Wait *wait = g_task_get_task_data (task);
  gint64 remaining = wait->when - real_now ();

  if (remaining <= 0)
    {
      finish_wait (task);
      return FALSE;
    }

  if (wait->fd < 0)
    wait->fd = timerfd_create (CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);

  if (wait->fd >= 0)
    {
      struct itimerspec spec = { 0 };

      spec.it_value.tv_sec = (time_t) wait->when;
      if (timerfd_settime (wait->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) == 0)
        {
          wait->timer = g_unix_fd_source_new (wait->fd, G_IO_IN);
          g_task_attach_source (task, wait->timer, (GSourceFunc) (GCallback) timer_fd_cb);
          return TRUE;
        }
      close (wait->fd);
      wait->fd = -1;
    }

  wait->timer = g_timeout_source_new_seconds ((guint) MIN (remaining, G_MAXUINT / 1000));
  g_task_attach_source (task, wait->timer, timeout_cb);
  return TRUE;
}

static void
ob_real_clock_wait_until_async (ObClock             *clock,
                                gint64               when,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Wait *wait;

  task = g_task_new (clock, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_real_clock_wait_until_async);

  wait = g_new0 (Wait, 1);
  wait->when = when;
  wait->fd = -1;
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);

  if (cancellable != NULL)
    {
      wait->cancel = g_cancellable_source_new (cancellable);
      g_task_attach_source (task, wait->cancel, (GSourceFunc) (GCallback) cancelled_cb);
    }

  /* The task holds itself until finish_wait() runs. */
  arm (task);
}

static gboolean
ob_real_clock_wait_until_finish (ObClock       *clock,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, clock), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gint64
ob_real_clock_now (ObClock *clock)
{
  return real_now ();
}

static void
ob_real_clock_iface_init (ObClockInterface *iface)
{
  iface->now = ob_real_clock_now;
  iface->wait_until_async = ob_real_clock_wait_until_async;
  iface->wait_until_finish = ob_real_clock_wait_until_finish;
}

static void
ob_real_clock_class_init (ObRealClockClass *klass)
{
}

static void
ob_real_clock_init (ObRealClock *self)
{
}

ObClock *
ob_real_clock_new (void)
{
  return g_object_new (OB_TYPE_REAL_CLOCK, NULL);
}
