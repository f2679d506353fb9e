/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SgPool: the engine. Owns a run: the task queue, N helper processes
 * (sprite-gallery-fetcher, via GSubprocess), their pipes, retries, deaths,
 * the cache, and the timeline of events. GLib/GIO only: the GUI and
 * sprite-gallery-dl are both observers of the same object.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sg-run-options.h"
#include "sg-sprite.h"
#include "sg-worker.h"

G_BEGIN_DECLS

#define SG_POOL_ERROR (sg_pool_error_quark ())

typedef enum {
  SG_POOL_ERROR_SOME_FAILED,   /* the run ended, some sprites failed */
  SG_POOL_ERROR_UNREACHABLE,   /* the API server cannot be reached at all */
  SG_POOL_ERROR_TOO_MANY_DEATHS, /* helpers died too often: the pool paused */
  SG_POOL_ERROR_SPAWN,         /* the helper program could not be started */
  SG_POOL_ERROR_CANCELLED,     /* Stop */
  SG_POOL_ERROR_BUSY,          /* a run is already going */
} SgPoolError;

GQuark sg_pool_error_quark (void);

/* One entry of the run's timeline, in the order things happened. */
typedef enum {
  SG_POOL_EVENT_QUEUED,        /* sprite_id queued (again, after a retry) */
  SG_POOL_EVENT_STARTED,       /* worker took sprite_id */
  SG_POOL_EVENT_PHASE_JSON,    /* detail transfer begun */
  SG_POOL_EVENT_PHASE_PARSE,   /* detail document arrived, parsing */
  SG_POOL_EVENT_PHASE_SPRITE,  /* sprite transfer begun */
  SG_POOL_EVENT_DONE,
  SG_POOL_EVENT_FAILED,
  SG_POOL_EVENT_RETRY,         /* attempt failed, will be retried */
  SG_POOL_EVENT_WORKER_SPAWNED,
  SG_POOL_EVENT_WORKER_DIED,
} SgPoolEventKind;

typedef struct {
  double          time_ms;     /* since the run started */
  SgPoolEventKind kind;
  int             worker_slot; /* -1 when not about a worker */
  GPid            pid;
  guint           sprite_id;   /* 0 when not about a sprite */
} SgPoolEvent;

/* Knobs for tests and fault drills; the defaults suit real use. */
typedef struct {
  guint hello_timeout_ms;     /* a helper that says nothing this long is killed (10 s) */
  guint task_deadline_ms;     /* backstop over the helper's own timeouts (90 s) */
  guint retry_base_ms;        /* first retry back-off, doubled each time (250 ms) */
  guint max_attempts;         /* per sprite, for retryable errors (4) */
  guint max_deaths_per_task;  /* a sprite in flight when this many helpers died fails (3) */
  guint death_burst;          /* more deaths than this ... (5) */
  guint death_window_ms;      /* ... within this window pause the pool (10 s) */
} SgPoolLimits;

#define SG_TYPE_POOL (sg_pool_get_type ())
G_DECLARE_FINAL_TYPE (SgPool, sg_pool, SG, POOL, GObject)

SgPool             *sg_pool_new             (const SgRunOptions   *options);
/* Settings for the next run (the running one keeps its own). */
const SgRunOptions *sg_pool_get_options     (SgPool               *self);
void                sg_pool_set_options     (SgPool               *self,
                                             const SgRunOptions   *options);
const SgPoolLimits *sg_pool_get_limits     (SgPool               *self);
void                sg_pool_set_limits      (SgPool               *self,
                                             const SgPoolLimits   *limits);
/* Extra arguments for every helper (e.g. "--max-time", "2" in tests). */
void                sg_pool_set_helper_args (SgPool               *self,
                                             const char * const   *args);
/* GListModel of SgSprite, one per id of the current run, in id order. */
GListModel         *sg_pool_get_sprites     (SgPool               *self);
/* GListModel of SgWorker, one per worker slot of the current run. Between
 * runs, as the last run left them, or NOT_STARTED: before the first run and
 * when the options change the number of processes. The same objects from
 * run to run while the number stays. */
GListModel         *sg_pool_get_workers     (SgPool               *self);
/* The current run's timeline; valid until the next run starts. */
const GArray       *sg_pool_get_events      (SgPool               *self);
gboolean            sg_pool_get_running     (SgPool               *self);
gboolean            sg_pool_get_paused      (SgPool               *self);
guint               sg_pool_get_n_done      (SgPool               *self);
guint               sg_pool_get_n_failed    (SgPool               *self);
/* Of the current (or last) run's done sprites, how many the cache gave. */
guint               sg_pool_get_n_from_cache (SgPool              *self);
/* TRUE when the last run is over and the cache gave it every sprite (it
 * needed no helper process). */
gboolean            sg_pool_get_all_from_cache (SgPool            *self);
/* Milliseconds since the current run started (monotonic clock). */
double              sg_pool_get_elapsed_ms  (SgPool               *self);

/* Runs every sprite of the options' range: cached ones are loaded (without
 * spawning anything when all are cached), the rest fetched by the helpers.
 * @bypass_cache: "Reload". Cancelling @cancellable is Stop: every helper is
 * killed, what arrived is kept. Finishes TRUE when every sprite is done. */
void                sg_pool_run_async       (SgPool               *self,
                                             gboolean              bypass_cache,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean            sg_pool_run_finish      (SgPool               *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* Stop: ends whatever run is going (also one sg_pool_retry_sprite()
 * started), killing every helper; what arrived is kept. */
void                sg_pool_stop            (SgPool               *self);
/* Fills the sprites model with the options' range, every sprite pending,
 * without running anything, so that a view can build its tiles before a
 * run starts (the run then only resets them). Does nothing while a run
 * goes or when the model already holds that range. */
void                sg_pool_prepare         (SgPool               *self);
/* Queues a failed sprite again (the tile's Retry); starts helpers if needed. */
void                sg_pool_retry_sprite    (SgPool               *self,
                                             SgSprite             *sprite);
/* After a pause for too many deaths: carry on. */
void                sg_pool_resume          (SgPool               *self);
/* SIGKILLs a worker's process (the demo's "kill a worker"). */
gboolean            sg_pool_kill_worker     (SgPool               *self,
                                             guint                 slot);
/* Marks a sprite shown (GUI: texture set; dl: file written) for the report. */
void                sg_pool_mark_shown      (SgPool               *self,
                                             SgSprite             *sprite);
/* A sprite the engine thought done turned out unusable (e.g. the PNG does
 * not decode): fail it with @message. */
void                sg_pool_fail_sprite     (SgPool               *self,
                                             SgSprite             *sprite,
                                             const char           *message);
/* The JSON report of the current/last run (DESIGN.md "--report"). The GUI
 * adds "max_main_loop_stall_ms" before writing. */
JsonObject         *sg_pool_build_report    (SgPool               *self);
gboolean            sg_pool_write_report    (SgPool               *self,
                                             JsonObject           *report,
                                             const char           *path,
                                             GError              **error);

/*
 * Signals:
 *  "sprite-done"     (SgSprite *)  a sprite arrived (from a helper or the cache)
 *  "sprite-failed"   (SgSprite *)
 *  "event"           (gpointer SgPoolEvent *) a timeline entry was appended
 *  "paused"          (const char *reason) too many deaths; sg_pool_resume() to go on
 *  "log"             (const char *message) something worth telling a user/teacher
 *  "finished"        () every run ended (also the ones sg_pool_retry_sprite() starts)
 * Properties: "running", "paused", "n-done", "n-failed" (notify).
 */

G_END_DECLS
