/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Measures how long the main loop was kept from running: a high-priority
 * timeout every few milliseconds records the largest lateness of its
 * dispatch. A busy main loop (synchronous I/O, a long handler, a huge model
 * update) shows as a large stall; an idle one as ~0. It is what the report's
 * "max_main_loop_stall_ms" holds.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SG_TYPE_STALL_WATCHDOG (sg_stall_watchdog_get_type ())
G_DECLARE_FINAL_TYPE (SgStallWatchdog, sg_stall_watchdog, SG, STALL_WATCHDOG, GObject)

SgStallWatchdog *sg_stall_watchdog_new             (void);
/* Starts (or restarts) measuring in the thread-default main context;
 * the maximum is reset. */
void             sg_stall_watchdog_start           (SgStallWatchdog *self);
/* Stops measuring; the maximum stays readable. */
void             sg_stall_watchdog_stop            (SgStallWatchdog *self);
gboolean         sg_stall_watchdog_get_running     (SgStallWatchdog *self);
/* The largest stall seen, in milliseconds. */
double           sg_stall_watchdog_get_max_stall_ms (SgStallWatchdog *self);
/* How many ticks were measured (a run that was too short has few). */
guint            sg_stall_watchdog_get_n_ticks     (SgStallWatchdog *self);

G_END_DECLS
