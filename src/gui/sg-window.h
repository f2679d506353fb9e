/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The main window: the gallery of one SgPool. It observes the pool (the
 * pool owns the work), decodes arriving sprites, and drives runs with the
 * actions win.run, win.stop, win.reload, win.retry-sprite(u), win.resume.
 */
#pragma once

#include <adwaita.h>

#include "sg-pool.h"

G_BEGIN_DECLS

#define SG_TYPE_WINDOW (sg_window_get_type ())
G_DECLARE_FINAL_TYPE (SgWindow, sg_window, SG, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
SgWindow *sg_window_new            (GtkApplication *application,
                                    SgPool         *pool);
SgPool   *sg_window_get_pool       (SgWindow       *self);
/* Starts a run unless one is going; @bypass_cache is "Reload". */
void      sg_window_start_run      (SgWindow       *self,
                                    gboolean        bypass_cache);
/* Starts a run once the (presented) window has painted its first frame. */
void      sg_window_start_run_when_shown (SgWindow *self);
/* Stop: cancels the run, which kills every helper. */
void      sg_window_stop_run       (SgWindow       *self);
gboolean  sg_window_get_running    (SgWindow       *self);
/* The offline demo: starts the built-in server of generated creatures and a
 * run against it (win.demo; the status page's "Try the Offline Demo"). */
void      sg_window_start_demo     (SgWindow       *self);
gboolean  sg_window_get_demo_mode  (SgWindow       *self);
/* Back to the configured API (win.leave-demo), and a run against it. */
void      sg_window_leave_demo     (SgWindow       *self);
/* In demo mode, points the pool's options at the demo server (call after
 * replacing them, e.g. from the settings). */
void      sg_window_apply_demo_options (SgWindow   *self);
/* The largest main-loop stall of the current or last run (see
 * SgStallWatchdog). */
double    sg_window_get_max_stall_ms (SgWindow     *self);

/*
 * Signals:
 *  "run-finished" (gboolean all_done): a run ended (done, failed, stopped or
 *                 unreachable), after the report was written.
 */

G_END_DECLS
