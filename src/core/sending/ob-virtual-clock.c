/* ob-virtual-clock.c
 *
 * Copyright 2026 The Outbound authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ob-sending"

#include "config.h"

#include "ob-virtual-clock.h"

/* A clock for tests and for `campaign run --clock virtual`: time stands
 * still while anything else on the main loop is ready, and when the loop
 * goes idle it jumps straight to the earliest pending wake-up. */
struct _ObVirtualClock
{
  GObject  parent_instance;

  gint64   now;
  GList   *waits; /* GTask*, sorted by wake-up time */
  GSource *idle;
  guint    jumps;
};

static void ob_virtual_clock_iface_init (ObClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ObVirtualClock, ob_virtual_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OB_TYPE_CLOCK, ob_virtual_clock_iface_init))

typedef struct
{
  gint64          when;
  ObVirtualClock *clock; /* unowned */
  GSource        *cancel;
} Wait;

static void
wait_free (Wait *wait)
{
  if (wait->cancel != NULL)
    {
      g_source_destroy (wait->cancel);
      g_source_unref (wait->cancel);
    }
  g_free (wait);
}

static gint
compare_waits (gconstpointer a,
               gconstpointer b)
{
  Wait *wa = g_task_get_task_data ((GTask *) a);
  Wait *wb = g_task_get_task_data ((GTask *) b);

  return (wa->when > wb->when) - (wa->when < wb->when);
}

static void
complete (GTask *task)
{
  Wait *wait = g_task_get_task_data (task);

  if (wait->cancel != NULL)
    {
      g_source_destroy (wait->cancel);
      g_clear_pointer (&wait->cancel, g_source_unref);
    }
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Completes every wait that is due at the current time. */
static void
complete_due (ObVirtualClock *self)
{
  while (self->waits != NULL)
    {
      GTask *task = self->waits->data;
      Wait *wait = g_task_get_task_data (task);

      if (wait->when > self->now)
        break;
      self->waits = g_list_delete_link (self->waits, self->waits);
      complete (task);
    }
}

static gboolean
idle_cb (gpointer user_data)
{
  ObVirtualClock *self = user_data;
  Wait *first;

  if (self->waits == NULL)
    {
      g_clear_pointer (&self->idle, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  first = g_task_get_task_data (self->waits->data);
  if (first->when > self->now)
    {
      self->now = first->when;
      self->jumps++;
    }
  complete_due (self);

  if (self->waits == NULL)
    {
      g_clear_pointer (&self->idle, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_idle (ObVirtualClock *self)
{
  if (self->idle != NULL || self->waits == NULL)
    return;

  self->idle = g_idle_source_new ();
  g_source_set_priority (self->idle, G_PRIORITY_LOW);
  g_source_set_callback (self->idle, idle_cb, self, NULL);
  g_source_set_static_name (self->idle, "[outbound] virtual clock");
  g_source_attach (self->idle, g_main_context_get_thread_default ());
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);
  ObVirtualClock *self = wait->clock;

  self->waits = g_list_remove (self->waits, task);
  complete (task);
  return G_SOURCE_REMOVE;
}

static void
ob_virtual_clock_wait_until_async (ObClock             *clock,
                                   gint64               when,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ObVirtualClock *self = OB_VIRTUAL_CLOCK (clock);
  GTask *task;
  Wait *wait;

  task = g_task_new (clock, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_virtual_clock_wait_until_async);

  wait = g_new0 (Wait, 1);
  wait->when = when;
  wait->clock = self;
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);

  if (cancellable != NULL)
    {
      wait->cancel = g_cancellable_source_new (cancellable);
      g_task_attach_source (task, wait->cancel, (GSourceFunc) (GCallback) cancelled_cb);
    }

  /* Already due ones also go through the idle, so callers never see
   * their callback run re-entrantly. */
  self->waits = g_list_insert_sorted (self->waits, task, compare_waits);
  ensure_idle (self);
}

static gboolean
ob_virtual_clock_wait_until_finish (ObClock       *clock,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, clock), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gint64
ob_virtual_clock_now (ObClock *clock)
{
  return OB_VIRTUAL_CLOCK (clock)->now;
}

static void
ob_virtual_clock_iface_init (ObClockInterface *iface)
{
  iface->now = ob_virtual_clock_now;
  iface->wait_until_async = ob_virtual_clock_wait_until_async;
  iface->wait_until_finish = ob_virtual_clock_wait_until_finish;
}

static void
ob_virtual_clock_dispose (GObject *object)
{
  ObVirtualClock *self = OB_VIRTUAL_CLOCK (object);

  /* Pending waits hold a reference on us, so none is left here. */
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }

  G_OBJECT_CLASS (ob_virtual_clock_parent_class)->dispose (object);
}

static void
ob_virtual_clock_class_init (ObVirtualClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ob_virtual_clock_dispose;
}

static void
ob_virtual_clock_init (ObVirtualClock *self)
{
}

/* A virtual clock reading @start (Unix seconds). */
ObClock *
ob_virtual_clock_new (gint64 start)
{
  ObVirtualClock *self = g_object_new (OB_TYPE_VIRTUAL_CLOCK, NULL);

  self->now = start;
  return OB_CLOCK (self);
}

/* Moves time forward by @seconds; waits that fall due complete from the
 * main loop. */
void
ob_virtual_clock_advance (ObVirtualClock *self,
                          gint64          seconds)
{
  g_return_if_fail (OB_IS_VIRTUAL_CLOCK (self));
  g_return_if_fail (seconds >= 0);

  self->now += seconds;
  ensure_idle (self);
}

/* How many times the clock jumped forward to a wake-up (for tests). */
guint
ob_virtual_clock_get_jumps (ObVirtualClock *self)
{
  g_return_val_if_fail (OB_IS_VIRTUAL_CLOCK (self), 0);

  return self->jumps;
}
