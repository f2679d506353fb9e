/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the pool shows of one helper process: the item type of the pool's
 * "workers" model (one per slot; a respawned helper keeps its slot and
 * colour but gets a new pid). Observers read it; only the pool writes it.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  SG_WORKER_STARTING,     /* spawned, no HELLO yet */
  SG_WORKER_IDLE,
  SG_WORKER_BUSY,
  SG_WORKER_DEAD,         /* exited or killed; may be respawned */
  SG_WORKER_STOPPED,      /* the run ended */
  SG_WORKER_NOT_STARTED,  /* a slot of the next run: no process yet */
} SgWorkerState;

#define SG_TYPE_WORKER_STATE (sg_worker_state_get_type ())
GType sg_worker_state_get_type (void);

#define SG_TYPE_WORKER (sg_worker_get_type ())
G_DECLARE_FINAL_TYPE (SgWorker, sg_worker, SG, WORKER, GObject)

SgWorker      *sg_worker_new           (guint          slot);
/* Back to a slot whose process has not been started (NOT_STARTED, no pid,
 * no counts, no processes in its history): a pool keeps its workers from
 * one run to the next. */
void           sg_worker_reset         (SgWorker      *self);
guint          sg_worker_get_slot      (SgWorker      *self);
GPid           sg_worker_get_pid       (SgWorker      *self);
void           sg_worker_set_pid       (SgWorker      *self,
                                        GPid           pid);
SgWorkerState  sg_worker_get_state     (SgWorker      *self);
/* TRUE while the slot has a live process: spawned (it has a pid), neither
 * dead nor stopped yet. */
gboolean       sg_worker_get_alive     (SgWorker      *self);
void           sg_worker_set_state     (SgWorker      *self,
                                        SgWorkerState  state);
guint          sg_worker_get_tasks_done (SgWorker     *self);
void           sg_worker_add_task_done (SgWorker      *self,
                                        guint64        bytes);
guint64        sg_worker_get_bytes     (SgWorker      *self);
guint          sg_worker_get_in_flight (SgWorker      *self);
void           sg_worker_set_in_flight (SgWorker      *self,
                                        guint          in_flight);
/* The sprite id it is fetching most recently, 0 if none ("fetching #25"). */
guint          sg_worker_get_current_id (SgWorker     *self);
void           sg_worker_set_current_id (SgWorker     *self,
                                         guint         id);
guint          sg_worker_get_deaths    (SgWorker      *self);
void           sg_worker_add_death     (SgWorker      *self);
/* Resident memory of the live process in KiB (from /proc), 0 if unknown. */
guint64        sg_worker_get_rss_kib   (SgWorker      *self);
void           sg_worker_set_rss_kib   (SgWorker      *self,
                                        guint64        rss_kib);
/* Every process this slot ran: the report's "workers" entries
 * [{"pid","tasks","bytes","exit"}], "exit" a string such as "0",
 * "signal 9 (Killed)" or "running". */
void           sg_worker_record_exit   (SgWorker      *self,
                                        const char    *exit_desc);
void           sg_worker_append_json   (SgWorker      *self,
                                        JsonArray     *workers);

G_END_DECLS
