/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-timeline-model"

#include "config.h"

#include <math.h>

#include "sg-timeline-model.h"

/* What we remember of one sprite between its events. */
typedef struct {
  int       open_bar;   /* index of the running attempt, -1 if none */
  int       last_bar;   /* index of the latest attempt, -1 if none */
  double    queued_ms;  /* last QUEUED, -1 if none */
  guint     attempts;
  gboolean  queued;     /* counted in the queue depth */
} Track;

typedef struct {
  double time_ms;
  guint  depth;
} QueuePoint;

struct _SgTimelineModel
{
  GObject     parent_instance;

  SgPool     *pool;
  gulong      event_id;
  gulong      running_id;
  guint       n_consumed;   /* of the pool's events */

  GArray     *bars;         /* SgTimelineBar */
  GArray     *lives;        /* SgTimelineLife */
  GPtrArray  *lanes;        /* GArray of double: per row, busy until (ms) */
  GArray     *queue;        /* QueuePoint */
  GHashTable *tracks;       /* sprite id -> Track */
  guint       depth;
  guint       max_depth;
  guint       n_cached;
  double      last_ms;
  gboolean    running;
};

G_DEFINE_FINAL_TYPE (SgTimelineModel, sg_timeline_model, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

double
sg_timeline_bar_transfer_start (const SgTimelineBar *bar)
{
  return bar->json_ms >= 0 ? bar->json_ms : bar->started_ms;
}

double
sg_timeline_bar_end_or (const SgTimelineBar *bar,
                        double               now_ms)
{
  return bar->end_ms >= 0 ? bar->end_ms : now_ms;
}

const char *
sg_timeline_outcome_to_string (SgTimelineOutcome outcome)
{
  switch (outcome)
    {
    case SG_TIMELINE_OUTCOME_RUNNING: return "running";
    case SG_TIMELINE_OUTCOME_DONE: return "done";
    case SG_TIMELINE_OUTCOME_RETRY: return "retry";
    case SG_TIMELINE_OUTCOME_FAILED: return "failed";
    case SG_TIMELINE_OUTCOME_KILLED: return "killed";
    case SG_TIMELINE_OUTCOME_STOPPED: return "stopped";
    default: return "unknown";
    }
}

/* ------------------------------------------------------------------------ */
/* Building                                                                 */

static Track *
get_track (SgTimelineModel *self,
           guint            sprite_id)
{
  Track *track = g_hash_table_lookup (self->tracks, GUINT_TO_POINTER (sprite_id));

  if (track == NULL)
    {
      track = g_new0 (Track, 1);
      track->open_bar = -1;
      track->last_bar = -1;
      track->queued_ms = -1;
      g_hash_table_insert (self->tracks, GUINT_TO_POINTER (sprite_id), track);
    }
  return track;
}

static GArray *
get_lane (SgTimelineModel *self,
          int              slot)
{
  if (slot < 0)
    return NULL;
  while (self->lanes->len <= (guint) slot)
    g_ptr_array_add (self->lanes, g_array_new (FALSE, FALSE, sizeof (double)));
  return g_ptr_array_index (self->lanes, slot);
}

/* The first transfer row of the lane that is free from @start_ms on: rows
 * are what the helper's concurrent transfers look like. */
static guint
take_row (SgTimelineModel *self,
          int              slot,
          double           start_ms)
{
  GArray *lane = get_lane (self, slot);
  double busy = INFINITY;

  if (lane == NULL)
    return SG_TIMELINE_NO_ROW;

  for (guint row = 0; row < lane->len; row++)
    {
      if (g_array_index (lane, double, row) <= start_ms)
        {
          g_array_index (lane, double, row) = busy;
          return row;
        }
    }
  g_array_append_val (lane, busy);
  return lane->len - 1;
}

static void
release_row (SgTimelineModel *self,
             SgTimelineBar   *bar)
{
  GArray *lane = get_lane (self, bar->slot);

  if (lane != NULL && bar->row < lane->len)
    g_array_index (lane, double, bar->row) = bar->end_ms;
}

static void
set_depth (SgTimelineModel *self,
           double           time_ms,
           guint            depth)
{
  QueuePoint point = { time_ms, depth };

  self->depth = depth;
  self->max_depth = MAX (self->max_depth, depth);

  /* Several changes at the same instant: keep the last. */
  if (self->queue->len > 0 &&
      g_array_index (self->queue, QueuePoint, self->queue->len - 1).time_ms >= time_ms)
    g_array_index (self->queue, QueuePoint, self->queue->len - 1).depth = depth;
  else
    g_array_append_val (self->queue, point);
}

static SgTimelineBar *
open_bar (SgTimelineModel *self,
          Track           *track)
{
  if (track->open_bar < 0)
    return NULL;
  return &g_array_index (self->bars, SgTimelineBar, track->open_bar);
}

static void
end_bar (SgTimelineModel   *self,
         Track             *track,
         double             time_ms,
         SgTimelineOutcome  outcome)
{
  SgTimelineBar *bar = open_bar (self, track);

  if (bar == NULL)
    return;

  bar->end_ms = time_ms;
  bar->outcome = outcome;

  /* A helper that reports no phases still did the work on a transfer row;
   * one that was killed before beginning never used one. */
  if (bar->row == SG_TIMELINE_NO_ROW &&
      outcome != SG_TIMELINE_OUTCOME_KILLED && outcome != SG_TIMELINE_OUTCOME_STOPPED)
    bar->row = take_row (self, bar->slot, bar->started_ms);
  release_row (self, bar);
  track->open_bar = -1;
}

static SgTimelineLife *
open_life (SgTimelineModel *self,
           int              slot)
{
  for (guint i = self->lives->len; i > 0; i--)
    {
      SgTimelineLife *life = &g_array_index (self->lives, SgTimelineLife, i - 1);

      if (life->slot == slot)
        return life->ended_ms < 0 ? life : NULL;
    }
  return NULL;
}

static void
on_started (SgTimelineModel   *self,
            const SgPoolEvent *event,
            Track             *track)
{
  SgTimelineBar bar = {
    .sprite_id = event->sprite_id,
    .attempt = ++track->attempts,
    .slot = event->worker_slot,
    .pid = event->pid,
    .row = SG_TIMELINE_NO_ROW,
    .queued_ms = track->queued_ms >= 0 ? track->queued_ms : event->time_ms,
    .started_ms = event->time_ms,
    .json_ms = -1,
    .parse_ms = -1,
    .sprite_ms = -1,
    .end_ms = -1,
    .outcome = SG_TIMELINE_OUTCOME_RUNNING,
  };

  /* A second STARTED without an end: the first one is over. */
  end_bar (self, track, event->time_ms, SG_TIMELINE_OUTCOME_STOPPED);

  get_lane (self, event->worker_slot);
  g_array_append_val (self->bars, bar);
  track->open_bar = track->last_bar = self->bars->len - 1;
  track->queued_ms = -1;
  if (track->queued)
    {
      track->queued = FALSE;
      set_depth (self, event->time_ms, self->depth - 1);
    }
}

static void
on_phase (SgTimelineModel   *self,
          const SgPoolEvent *event,
          Track             *track)
{
  SgTimelineBar *bar = open_bar (self, track);

  if (bar == NULL)
    return;

  switch ((int) event->kind)
    {
    case SG_POOL_EVENT_PHASE_JSON:
      bar->json_ms = event->time_ms;
      break;
    case SG_POOL_EVENT_PHASE_PARSE:
      bar->parse_ms = event->time_ms;
      break;
    case SG_POOL_EVENT_PHASE_SPRITE:
      bar->sprite_ms = event->time_ms;
      if (bar->parse_ms < 0)
        bar->parse_ms = event->time_ms;
      break;
    default:
      g_assert_not_reached ();
    }

  if (bar->row == SG_TIMELINE_NO_ROW)
    bar->row = take_row (self, bar->slot, sg_timeline_bar_transfer_start (bar));
}

static void
on_worker_died (SgTimelineModel   *self,
                const SgPoolEvent *event)
{
  SgTimelineLife *life = open_life (self, event->worker_slot);
  GHashTableIter iter;
  gpointer value;

  if (life != NULL)
    life->died_ms = life->ended_ms = event->time_ms;

  /* Everything it had in flight ends here; the pool queues it again. */
  g_hash_table_iter_init (&iter, self->tracks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Track *track = value;
      SgTimelineBar *bar = open_bar (self, track);

      if (bar != NULL && bar->slot == event->worker_slot)
        end_bar (self, track, event->time_ms, SG_TIMELINE_OUTCOME_KILLED);
    }
}

static void
add_event (SgTimelineModel   *self,
           const SgPoolEvent *event)
{
  Track *track = event->sprite_id != 0 ? get_track (self, event->sprite_id) : NULL;

  self->last_ms = MAX (self->last_ms, event->time_ms);

  switch (event->kind)
    {
    case SG_POOL_EVENT_QUEUED:
      if (track == NULL)
        break;
      track->queued_ms = event->time_ms;
      if (!track->queued)
        {
          track->queued = TRUE;
          set_depth (self, event->time_ms, self->depth + 1);
        }
      break;

    case SG_POOL_EVENT_STARTED:
      if (track != NULL)
        on_started (self, event, track);
      break;

    case SG_POOL_EVENT_PHASE_JSON:
    case SG_POOL_EVENT_PHASE_PARSE:
    case SG_POOL_EVENT_PHASE_SPRITE:
      if (track != NULL)
        on_phase (self, event, track);
      break;

    case SG_POOL_EVENT_DONE:
      if (track == NULL)
        break;
      if (track->open_bar >= 0)
        end_bar (self, track, event->time_ms, SG_TIMELINE_OUTCOME_DONE);
      else if (track->last_bar < 0)
        self->n_cached++;
      break;

    case SG_POOL_EVENT_FAILED:
      if (track == NULL)
        break;
      if (track->open_bar >= 0)
        end_bar (self, track, event->time_ms, SG_TIMELINE_OUTCOME_FAILED);
      else if (track->last_bar >= 0)
        /* Failed after its attempt ended: a helper died under it once too
         * often, or the GUI found the image broken. */
        g_array_index (self->bars, SgTimelineBar, track->last_bar).outcome =
          SG_TIMELINE_OUTCOME_FAILED;
      if (track->queued)
        {
          track->queued = FALSE;
          set_depth (self, event->time_ms, self->depth - 1);
        }
      break;

    case SG_POOL_EVENT_RETRY:
      if (track != NULL)
        end_bar (self, track, event->time_ms, SG_TIMELINE_OUTCOME_RETRY);
      break;

    case SG_POOL_EVENT_WORKER_SPAWNED:
      {
        SgTimelineLife *old = open_life (self, event->worker_slot);
        SgTimelineLife life = {
          .slot = event->worker_slot,
          .pid = event->pid,
          .spawned_ms = event->time_ms,
          .died_ms = -1,
          .ended_ms = -1,
        };

        if (old != NULL)
          old->ended_ms = event->time_ms;
        get_lane (self, event->worker_slot);
        g_array_append_val (self->lives, life);
      }
      break;

    case SG_POOL_EVENT_WORKER_DIED:
      on_worker_died (self, event);
      break;

    default:
      break;
    }
}

static void
clear (SgTimelineModel *self)
{
  g_array_set_size (self->bars, 0);
  g_array_set_size (self->lives, 0);
  g_ptr_array_set_size (self->lanes, 0);
  g_array_set_size (self->queue, 0);
  g_hash_table_remove_all (self->tracks);
  self->depth = self->max_depth = 0;
  self->n_cached = 0;
  self->n_consumed = 0;
  self->last_ms = 0;
}

static void
finish (SgTimelineModel *self,
        double           end_ms)
{
  GHashTableIter iter;
  gpointer value;

  end_ms = MAX (end_ms, self->last_ms);
  self->last_ms = end_ms;
  self->running = FALSE;

  g_hash_table_iter_init (&iter, self->tracks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Track *track = value;

      end_bar (self, track, end_ms, SG_TIMELINE_OUTCOME_STOPPED);
      track->queued = FALSE;
    }
  for (guint i = 0; i < self->lives->len; i++)
    {
      SgTimelineLife *life = &g_array_index (self->lives, SgTimelineLife, i);

      if (life->ended_ms < 0)
        life->ended_ms = end_ms;
    }
  if (self->depth > 0)
    set_depth (self, end_ms, 0);
}

/* ------------------------------------------------------------------------ */
/* Following a pool                                                         */

static gboolean
sync_with_pool (SgTimelineModel *self)
{
  const GArray *events = sg_pool_get_events (self->pool);
  gboolean changed = FALSE;

  /* The pool starts every run with an empty timeline. */
  if (events->len < self->n_consumed)
    {
      clear (self);
      changed = TRUE;
    }

  for (; self->n_consumed < events->len; self->n_consumed++)
    {
      add_event (self, &g_array_index (events, SgPoolEvent, self->n_consumed));
      changed = TRUE;
    }
  return changed;
}

static void
on_pool_event (SgPool   *pool,
               gpointer  event,
               gpointer  user_data)
{
  SgTimelineModel *self = user_data;

  if (sync_with_pool (self))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_pool_running (SgPool          *pool,
                 GParamSpec      *pspec,
                 SgTimelineModel *self)
{
  sync_with_pool (self);
  if (sg_pool_get_running (pool))
    self->running = TRUE;
  else
    finish (self, sg_pool_get_elapsed_ms (pool));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
sg_timeline_model_set_pool (SgTimelineModel *self,
                            SgPool          *pool)
{
  g_return_if_fail (SG_IS_TIMELINE_MODEL (self));
  g_return_if_fail (pool == NULL || SG_IS_POOL (pool));

  if (self->pool == pool)
    return;

  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->event_id, self->pool);
      g_clear_signal_handler (&self->running_id, self->pool);
      g_clear_object (&self->pool);
    }

  clear (self);
  self->running = FALSE;

  if (pool != NULL)
    {
      self->pool = g_object_ref (pool);
      self->event_id = g_signal_connect (pool, "event", G_CALLBACK (on_pool_event), self);
      self->running_id = g_signal_connect (pool, "notify::running",
                                           G_CALLBACK (on_pool_running), self);
      sync_with_pool (self);
      self->running = sg_pool_get_running (pool);
      if (!self->running && self->n_consumed > 0)
        finish (self, self->last_ms);
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

SgPool *
sg_timeline_model_get_pool (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), NULL);
  return self->pool;
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

void
sg_timeline_model_add_event (SgTimelineModel   *self,
                             const SgPoolEvent *event)
{
  g_return_if_fail (SG_IS_TIMELINE_MODEL (self));
  g_return_if_fail (event != NULL);

  self->running = TRUE;
  add_event (self, event);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
sg_timeline_model_finish (SgTimelineModel *self,
                          double           end_ms)
{
  g_return_if_fail (SG_IS_TIMELINE_MODEL (self));

  finish (self, end_ms);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
sg_timeline_model_clear (SgTimelineModel *self)
{
  g_return_if_fail (SG_IS_TIMELINE_MODEL (self));

  clear (self);
  self->running = FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
sg_timeline_model_get_running (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), FALSE);
  return self->running;
}

double
sg_timeline_model_get_now_ms (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);

  if (self->running && self->pool != NULL && sg_pool_get_running (self->pool))
    return MAX (self->last_ms, sg_pool_get_elapsed_ms (self->pool));
  return self->last_ms;
}

guint
sg_timeline_model_get_n_bars (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);
  return self->bars->len;
}

const SgTimelineBar *
sg_timeline_model_get_bar (SgTimelineModel *self,
                           guint            index)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);
  return &g_array_index (self->bars, SgTimelineBar, index);
}

const SgTimelineBar *
sg_timeline_model_find_bar (SgTimelineModel *self,
                            guint            sprite_id)
{
  Track *track;

  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), NULL);

  track = g_hash_table_lookup (self->tracks, GUINT_TO_POINTER (sprite_id));
  if (track == NULL || track->last_bar < 0)
    return NULL;
  return &g_array_index (self->bars, SgTimelineBar, track->last_bar);
}

guint
sg_timeline_model_get_n_lives (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);
  return self->lives->len;
}

const SgTimelineLife *
sg_timeline_model_get_life (SgTimelineModel *self,
                            guint            index)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), NULL);
  g_return_val_if_fail (index < self->lives->len, NULL);
  return &g_array_index (self->lives, SgTimelineLife, index);
}

guint
sg_timeline_model_get_n_lanes (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);
  return self->lanes->len;
}

guint
sg_timeline_model_get_lane_rows (SgTimelineModel *self,
                                 guint            lane)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);

  if (lane >= self->lanes->len)
    return 0;
  return ((GArray *) g_ptr_array_index (self->lanes, lane))->len;
}

guint
sg_timeline_model_get_n_queue_points (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);
  return self->queue->len;
}

void
sg_timeline_model_get_queue_point (SgTimelineModel *self,
                                   guint            index,
                                   double          *time_ms,
                                   guint           *depth)
{
  const QueuePoint *point;

  g_return_if_fail (SG_IS_TIMELINE_MODEL (self));
  g_return_if_fail (index < self->queue->len);

  point = &g_array_index (self->queue, QueuePoint, index);
  if (time_ms != NULL)
    *time_ms = point->time_ms;
  if (depth != NULL)
    *depth = point->depth;
}

guint
sg_timeline_model_get_max_queue_depth (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);
  return self->max_depth;
}

guint
sg_timeline_model_get_n_cached (SgTimelineModel *self)
{
  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), 0);
  return self->n_cached;
}

const char *
sg_timeline_model_get_sprite_name (SgTimelineModel *self,
                                   guint            sprite_id)
{
  GListModel *sprites;
  guint n;

  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (self), NULL);

  if (self->pool == NULL)
    return NULL;

  sprites = sg_pool_get_sprites (self->pool);
  n = g_list_model_get_n_items (sprites);
  if (n == 0)
    return NULL;

  {
    /* The sprites are in id order, one per id of the range. */
    g_autoptr(SgSprite) first = g_list_model_get_item (sprites, 0);
    guint first_id = sg_sprite_get_id (first);
    g_autoptr(SgSprite) sprite = NULL;

    if (sprite_id < first_id || sprite_id - first_id >= n)
      return NULL;
    sprite = g_list_model_get_item (sprites, sprite_id - first_id);
    if (sg_sprite_get_id (sprite) != sprite_id)
      return NULL;
    /* The store keeps the sprite, and so its name, alive. */
    return sg_sprite_get_name (sprite);
  }
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
sg_timeline_model_dispose (GObject *object)
{
  SgTimelineModel *self = SG_TIMELINE_MODEL (object);

  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->event_id, self->pool);
      g_clear_signal_handler (&self->running_id, self->pool);
      g_clear_object (&self->pool);
    }

  G_OBJECT_CLASS (sg_timeline_model_parent_class)->dispose (object);
}

static void
sg_timeline_model_finalize (GObject *object)
{
  SgTimelineModel *self = SG_TIMELINE_MODEL (object);

  g_array_unref (self->bars);
  g_array_unref (self->lives);
  g_ptr_array_unref (self->lanes);
  g_array_unref (self->queue);
  g_hash_table_unref (self->tracks);

  G_OBJECT_CLASS (sg_timeline_model_parent_class)->finalize (object);
}

static void
sg_timeline_model_class_init (SgTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_timeline_model_dispose;
  object_class->finalize = sg_timeline_model_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sg_timeline_model_init (SgTimelineModel *self)
{
  self->bars = g_array_new (FALSE, FALSE, sizeof (SgTimelineBar));
  self->lives = g_array_new (FALSE, FALSE, sizeof (SgTimelineLife));
  self->lanes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->queue = g_array_new (FALSE, FALSE, sizeof (QueuePoint));
  self->tracks = g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

SgTimelineModel *
sg_timeline_model_new (void)
{
  return g_object_new (SG_TYPE_TIMELINE_MODEL, NULL);
}
