/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The helper processes of a pool, one row per worker slot (SgWorkerRow):
 * pid, state, tasks done, bytes, transfers in flight, resident memory —
 * each process has its own — and the demo's "Kill" per worker plus "Kill a
 * Random Worker" (SIGKILL through sg_pool_kill_worker(): the class sees the
 * tasks requeued and the process respawned).
 *
 * Actions: workers.kill(u slot), workers.kill-random (enabled while a run
 * goes).
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-pool.h"

G_BEGIN_DECLS

#define SG_TYPE_WORKERS_PANEL (sg_workers_panel_get_type ())
G_DECLARE_FINAL_TYPE (SgWorkersPanel, sg_workers_panel, SG, WORKERS_PANEL, GtkWidget)

GtkWidget *sg_workers_panel_new         (void);
SgPool    *sg_workers_panel_get_pool    (SgWorkersPanel *self);
void       sg_workers_panel_set_pool    (SgWorkersPanel *self,
                                         SgPool         *pool);
/* The sentence over the rows: how many processes, how many busy, memory. */
const char *sg_workers_panel_get_summary (SgWorkersPanel *self);
/* Kills a live helper chosen at random; its slot, or -1 if none lives. */
int        sg_workers_panel_kill_random (SgWorkersPanel *self);

/* Signals: "killed" (guint slot) after a kill was sent. */

G_END_DECLS
