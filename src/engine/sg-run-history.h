/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every finished run (settings, wall time, first sprite, failures, helper
 * processes), kept as a GListModel of SgRunRecord, newest first, and
 * persisted as JSON in the user data dir (written atomically in a worker
 * thread). From it comes the speed-up of a number of processes over the
 * sequential baseline: the livestream's question, answered with numbers.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sg-run-record.h"

G_BEGIN_DECLS

#define SG_RUN_HISTORY_MAX 200

#define SG_RUN_HISTORY_ERROR (sg_run_history_error_quark ())

typedef enum {
  SG_RUN_HISTORY_ERROR_INVALID,  /* the file is not a run history */
} SgRunHistoryError;

GQuark sg_run_history_error_quark (void);

#define SG_TYPE_RUN_HISTORY (sg_run_history_get_type ())
G_DECLARE_FINAL_TYPE (SgRunHistory, sg_run_history, SG, RUN_HISTORY, GObject)

/* The default file: $XDG_DATA_HOME/sprite-gallery/runs.json. */
char         *sg_run_history_default_path (void);
/* @path: where to persist (NULL: the default). */
SgRunHistory *sg_run_history_new          (const char          *path);
const char   *sg_run_history_get_path     (SgRunHistory        *self);
/* Reads the file in a worker thread; what was added meanwhile stays newest.
 * A missing file is an empty history; a broken one an error (and an empty
 * history, which the next save replaces). Nothing is written before this
 * has read the file, so that no run on disk is lost: call it once, first. */
void          sg_run_history_load_async   (SgRunHistory        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      sg_run_history_load_finish  (SgRunHistory        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* Adds a run (newest first) and saves, off the main thread. */
void          sg_run_history_add          (SgRunHistory        *self,
                                           SgRunRecord         *record);
void          sg_run_history_clear        (SgRunHistory        *self);
/* Completes when no write is going (each change since the load is on
 * disk, or failed: "saved" says which). */
void          sg_run_history_flush_async  (SgRunHistory        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      sg_run_history_flush_finish (SgRunHistory        *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* One column of the speed-up chart. */
typedef struct {
  guint        processes;
  double       wall_ms;
  double       speedup;   /* baseline wall time / wall_ms; NAN without a baseline */
  SgRunRecord *record;    /* a reference */
} SgSpeedupPoint;

typedef struct {
  /* The newest comparable sequential run of the same range and server, or
   * else the series' 1-process run, or NULL (a reference). */
  SgRunRecord *baseline;
  gboolean     baseline_is_sequential;
  /* The newest comparable run for each number of processes, with the
   * strategy and transfers of the newest comparable parallel run. */
  GArray      *points;    /* SgSpeedupPoint, by processes */
  char        *strategy;
  guint        in_flight;
} SgSpeedup;

SgSpeedup    *sg_run_history_compute_speedup (SgRunHistory *self);
void          sg_speedup_free             (SgSpeedup           *speedup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgSpeedup, sg_speedup_free)

/* Signals: "saved" (const GError *error) after each write, error NULL on success. */

G_END_DECLS
