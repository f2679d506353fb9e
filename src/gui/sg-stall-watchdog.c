/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-stall-watchdog"

#include "config.h"

#include <glib/gi18n.h>
#include <gdk/gdk.h>

#include "sg-stall-watchdog.h"

/* 4 ms: fine enough to see a dropped frame (16 ms at 60 Hz), coarse enough
 * to cost nothing.
 *
 * GDK_PRIORITY_REDRAW, the priority GTK paints at: the tick is late exactly
 * when a frame could not have been painted, whether one long dispatch
 * blocked the loop or a stream of short ones at a higher priority (results
 * read from the helpers) kept it from ever reaching the redraw. A tick at
 * G_PRIORITY_HIGH would see only the first kind. */
#define TICK_MS 4

struct _SgStallWatchdog
{
  GObject  parent_instance;

  GSource *source;
  gint64   last_tick_us;
  gint64   max_stall_us;
  guint    n_ticks;
};

G_DEFINE_FINAL_TYPE (SgStallWatchdog, sg_stall_watchdog, G_TYPE_OBJECT)

static gboolean
sg_stall_watchdog_tick (gpointer user_data)
{
  SgStallWatchdog *self = user_data;
  gint64 now = g_get_monotonic_time ();
  /* A GTimeoutSource is re-armed from the time it was dispatched, so the
   * expected gap is one interval; anything beyond it is the loop's delay. */
  gint64 stall = now - self->last_tick_us - TICK_MS * G_TIME_SPAN_MILLISECOND;

  if (stall > self->max_stall_us)
    self->max_stall_us = stall;
  if (stall > 16 * G_TIME_SPAN_MILLISECOND)
    g_debug ("The main loop stalled for %.1f ms (tick %u)",
             (double) stall / G_TIME_SPAN_MILLISECOND, self->n_ticks);
  self->last_tick_us = now;
  self->n_ticks++;

  return G_SOURCE_CONTINUE;
}

static void
sg_stall_watchdog_finalize (GObject *object)
{
  SgStallWatchdog *self = SG_STALL_WATCHDOG (object);

  sg_stall_watchdog_stop (self);

  G_OBJECT_CLASS (sg_stall_watchdog_parent_class)->finalize (object);
}

static void
sg_stall_watchdog_class_init (SgStallWatchdogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_stall_watchdog_finalize;
}

static void
sg_stall_watchdog_init (SgStallWatchdog *self)
{
}

SgStallWatchdog *
sg_stall_watchdog_new (void)
{
  return g_object_new (SG_TYPE_STALL_WATCHDOG, NULL);
}

void
sg_stall_watchdog_start (SgStallWatchdog *self)
{
  g_return_if_fail (SG_IS_STALL_WATCHDOG (self));

  sg_stall_watchdog_stop (self);

  self->max_stall_us = 0;
  self->n_ticks = 0;
  self->last_tick_us = g_get_monotonic_time ();

  /* The source does not hold a reference: stop() (also from finalize)
   * destroys it before @self goes away. */
  self->source = g_timeout_source_new (TICK_MS);
  g_source_set_priority (self->source, GDK_PRIORITY_REDRAW);
  g_source_set_callback (self->source, sg_stall_watchdog_tick, self, NULL);
  g_source_set_static_name (self->source, "[sprite-gallery] stall watchdog");
  g_source_attach (self->source, g_main_context_get_thread_default ());
}

void
sg_stall_watchdog_stop (SgStallWatchdog *self)
{
  g_return_if_fail (SG_IS_STALL_WATCHDOG (self));

  if (self->source == NULL)
    return;

  /* Count the time since the last tick too: a stall that ends the run is
   * still a stall. */
  sg_stall_watchdog_tick (self);
  self->n_ticks--;

  g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
}

gboolean
sg_stall_watchdog_get_running (SgStallWatchdog *self)
{
  g_return_val_if_fail (SG_IS_STALL_WATCHDOG (self), FALSE);

  return self->source != NULL;
}

double
sg_stall_watchdog_get_max_stall_ms (SgStallWatchdog *self)
{
  g_return_val_if_fail (SG_IS_STALL_WATCHDOG (self), 0.0);

  return (double) MAX (self->max_stall_us, 0) / G_TIME_SPAN_MILLISECOND;
}

guint
sg_stall_watchdog_get_n_ticks (SgStallWatchdog *self)
{
  g_return_val_if_fail (SG_IS_STALL_WATCHDOG (self), 0);

  return self->n_ticks;
}
