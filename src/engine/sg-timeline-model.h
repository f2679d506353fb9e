/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pool's timeline (a flat list of SgPoolEvent) turned into things one
 * can draw: one bar per attempt of a task, with its phases, on the lane of
 * the worker slot that ran it, and the lifetime of every helper process
 * (spawn, death, respawn). It follows a pool's "event" signal incrementally
 * or takes synthetic events (tests). GLib only: the timeline widget, the
 * trace export and the tests all read the same bars.
 */
#pragma once

#include <gio/gio.h>

#include "sg-pool.h"

G_BEGIN_DECLS

typedef enum {
  SG_TIMELINE_OUTCOME_RUNNING,
  SG_TIMELINE_OUTCOME_DONE,
  SG_TIMELINE_OUTCOME_RETRY,    /* the attempt failed and will be retried */
  SG_TIMELINE_OUTCOME_FAILED,   /* the task failed for good */
  SG_TIMELINE_OUTCOME_KILLED,   /* its helper died under it: queued again */
  SG_TIMELINE_OUTCOME_STOPPED,  /* the run ended (Stop) while it was in flight */
} SgTimelineOutcome;

/* No transfer lane: the attempt never began a transfer (it waited inside a
 * helper that was then killed or stopped). It is not drawn on a lane. */
#define SG_TIMELINE_NO_ROW G_MAXUINT

/* One attempt of one task. Times in ms since the run started, -1 when the
 * phase was not reached. The phases: waiting in the queue [queued_ms,
 * transfer start), JSON transfer [json_ms, parse_ms), parse [parse_ms,
 * sprite_ms), sprite transfer [sprite_ms, end_ms). */
typedef struct {
  guint              sprite_id;
  guint              attempt;      /* 1, 2, ... per sprite within the run */
  int                slot;         /* worker slot: the lane */
  GPid               pid;          /* the helper process that ran it */
  guint              row;          /* transfer lane inside the worker's lane */
  double             queued_ms;
  double             started_ms;   /* handed to the helper */
  double             json_ms;      /* detail transfer began */
  double             parse_ms;     /* detail document arrived: parsing */
  double             sprite_ms;    /* sprite transfer began */
  double             end_ms;       /* -1 while running */
  SgTimelineOutcome  outcome;
} SgTimelineBar;

/* One helper process in a worker slot. */
typedef struct {
  int     slot;
  GPid    pid;
  double  spawned_ms;
  double  died_ms;    /* ended unexpectedly (killed, crashed); -1 otherwise */
  double  ended_ms;   /* -1 while alive */
} SgTimelineLife;

/* Where the bar begins on its lane: its JSON transfer, or when it was
 * handed over if no transfer phase was reported. */
double       sg_timeline_bar_transfer_start (const SgTimelineBar *bar);
/* End of the bar, or @now_ms while it runs. */
double       sg_timeline_bar_end_or         (const SgTimelineBar *bar,
                                             double               now_ms);
const char  *sg_timeline_outcome_to_string  (SgTimelineOutcome    outcome);

#define SG_TYPE_TIMELINE_MODEL (sg_timeline_model_get_type ())
G_DECLARE_FINAL_TYPE (SgTimelineModel, sg_timeline_model, SG, TIMELINE_MODEL, GObject)

SgTimelineModel     *sg_timeline_model_new            (void);
/* Follows @pool (keeping a reference): replays its events so far, then each new one;
 * a new run starts the model afresh. NULL detaches. */
void                 sg_timeline_model_set_pool       (SgTimelineModel   *self,
                                                       SgPool            *pool);
SgPool              *sg_timeline_model_get_pool       (SgTimelineModel   *self);
/* For tests and replays: one event, in order. */
void                 sg_timeline_model_add_event      (SgTimelineModel   *self,
                                                       const SgPoolEvent *event);
/* The run ended at @end_ms: running bars become STOPPED, live helpers end. */
void                 sg_timeline_model_finish         (SgTimelineModel   *self,
                                                       double             end_ms);
void                 sg_timeline_model_clear          (SgTimelineModel   *self);

gboolean             sg_timeline_model_get_running    (SgTimelineModel   *self);
/* "Now": the pool's clock while it runs, else the last time known. */
double               sg_timeline_model_get_now_ms     (SgTimelineModel   *self);

guint                sg_timeline_model_get_n_bars     (SgTimelineModel   *self);
const SgTimelineBar *sg_timeline_model_get_bar        (SgTimelineModel   *self,
                                                       guint              index);
/* The latest attempt of @sprite_id, or NULL. */
const SgTimelineBar *sg_timeline_model_find_bar       (SgTimelineModel   *self,
                                                       guint              sprite_id);
guint                sg_timeline_model_get_n_lives    (SgTimelineModel   *self);
const SgTimelineLife *sg_timeline_model_get_life      (SgTimelineModel   *self,
                                                       guint              index);
/* Worker slots seen (lanes), and the transfer rows each one needed. */
guint                sg_timeline_model_get_n_lanes    (SgTimelineModel   *self);
guint                sg_timeline_model_get_lane_rows  (SgTimelineModel   *self,
                                                       guint              lane);
/* Tasks waiting in the queue over time: a step function of (time_ms,
 * depth) points, each depth holding until the next point. */
guint                sg_timeline_model_get_n_queue_points (SgTimelineModel *self);
void                 sg_timeline_model_get_queue_point (SgTimelineModel  *self,
                                                        guint             index,
                                                        double           *time_ms,
                                                        guint            *depth);
guint                sg_timeline_model_get_max_queue_depth (SgTimelineModel *self);
/* Sprites that came from the cache (no bar). */
guint                sg_timeline_model_get_n_cached   (SgTimelineModel   *self);
/* The name of @sprite_id from the pool's sprites, or NULL. */
const char          *sg_timeline_model_get_sprite_name (SgTimelineModel  *self,
                                                        guint             sprite_id);

/*
 * Signals:
 *  "changed" ()  bars, lives or lanes changed (once per batch of events)
 */

G_END_DECLS
