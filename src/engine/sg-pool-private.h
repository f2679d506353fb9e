/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared between sg-pool.c (run lifecycle, queue), sg-pool-processes.c (the
 * helper processes: spawn, hello, deadlines, death and respawn) and
 * sg-pool-results.c (what a frame from a helper does to a sprite).
 */
#pragma once

#include "sg-cache.h"
#include "sg-helper-process.h"
#include "sg-pool.h"

G_BEGIN_DECLS

typedef struct _Slot Slot;

/* Per sprite of the run, beside the public SgSprite. */
typedef struct {
  SgSprite *sprite;
  guint     deaths;        /* helpers that died while it was in flight */
  guint     retry_id;      /* back-off timer before it is queued again */
} TaskInfo;

/* One attempt of one task, in flight on one helper. */
typedef struct {
  guint32   task_id;
  TaskInfo *task;
  Slot     *slot;
  gint64    sent_us;
} Attempt;

struct _Slot {
  SgPool          *pool;
  guint            index;
  SgWorker        *worker;      /* the public view, in the workers model */
  SgHelperProcess *process;     /* NULL while dead or before spawn */
  GHashTable      *in_flight;   /* task_id -> Attempt */
  GQueue           own_queue;   /* "chunks": this slot's slice (TaskInfo *) */
  guint            hello_id;    /* hello timeout */
  guint            respawn_id;
  guint            consecutive_deaths;
  gboolean         hello;
  gboolean         retiring;    /* stdin closed or killed on purpose */
};

struct _SgPool
{
  GObject        parent_instance;

  SgRunOptions  *options;       /* for the next run */
  SgPoolLimits   limits;
  GStrv          helper_args;

  GListStore    *sprites;
  GListStore    *workers;
  GArray        *events;

  /* The current run */
  SgRunOptions  *run_options;
  GTask         *run_task;      /* NULL for runs started by a retry */
  GCancellable  *cancellable;
  gulong         cancelled_id;
  SgCache       *cache;
  GCancellable  *cache_cancellable;
  gint64         start_us;
  TaskInfo      *tasks;         /* run_options->count of them */
  guint          n_tasks;
  GHashTable    *attempts;      /* task_id -> Attempt, every slot */
  GQueue         queue;         /* "queue"/"sequential": TaskInfo * */
  Slot          *slots;
  guint          n_slots;
  guint32        next_task_id;
  GArray        *death_times;   /* gint64 us, for restart intensity */
  guint          tick_id;
  guint          pending_retries;
  guint          pending_writes;
  double         first_sprite_ms;
  double         all_done_ms;
  guint          n_done;
  guint          n_failed;
  guint          n_retried;
  guint          n_from_cache;
  gboolean       running;
  gboolean       paused;
  gboolean       ending;        /* no more work will be handed out */
  GError        *end_error;     /* why the run ends early (Stop, unreachable) */
};

void     sg_pool_append_event     (SgPool            *self,
                                   const SgPoolEvent *event);
void     sg_pool_log              (SgPool          *self,
                                   const char      *message);
void     sg_pool_pause            (SgPool          *self,
                                   const char      *reason);
void     sg_pool_add_event        (SgPool          *self,
                                   SgPoolEventKind  kind,
                                   Slot            *slot,
                                   guint            sprite_id);
double   sg_pool_now_ms           (SgPool          *self);
void     sg_pool_handle_frame     (SgPool          *self,
                                   Slot            *slot,
                                   const SgFrame   *frame);
void     sg_pool_complete_task    (SgPool          *self,
                                   Attempt         *attempt);
void     sg_pool_task_done        (SgPool          *self,
                                   TaskInfo        *task,
                                   gboolean         from_cache);
void     sg_pool_task_failed      (SgPool          *self,
                                   TaskInfo        *task,
                                   const char      *message);
void     sg_pool_requeue          (SgPool          *self,
                                   TaskInfo        *task,
                                   Slot            *slot);
void     sg_pool_schedule_retry   (SgPool          *self,
                                   TaskInfo        *task,
                                   Slot            *slot,
                                   int              retry_after_ms,
                                   const char      *message);
void     sg_pool_abort_run        (SgPool          *self,
                                   GError          *error);
void     sg_pool_dispatch         (SgPool          *self);
void     sg_pool_check_finished   (SgPool          *self);

/* sg-pool-processes.c */
void     sg_pool_spawn_slot       (SgPool          *self,
                                   Slot            *slot);
void     sg_pool_retire_slot      (Slot            *slot);
gboolean sg_pool_watch_processes  (gpointer         pool);
void     sg_pool_free_slots       (SgPool          *self);

G_END_DECLS
