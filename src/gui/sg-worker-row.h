/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One row of the workers panel, bound to an SgWorker: its colour, pid and
 * state ("Fetching #25", "Dead — respawning"), tasks done, bytes, transfers
 * in flight and resident memory, and a Kill button: the row's action
 * worker.kill, enabled while the worker's process lives, which activates
 * the panel's workers.kill(u slot).
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-worker.h"

G_BEGIN_DECLS

#define SG_TYPE_WORKER_ROW (sg_worker_row_get_type ())
G_DECLARE_FINAL_TYPE (SgWorkerRow, sg_worker_row, SG, WORKER_ROW, GtkListBoxRow)

GtkWidget *sg_worker_row_new        (SgWorker    *worker);
SgWorker  *sg_worker_row_get_worker (SgWorkerRow *self);
/* The state in words, as the row shows it. */
char      *sg_worker_row_state_text (SgWorker    *worker);

G_END_DECLS
