/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-pool"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-pool-private.h"
#include "sg-task-line.h"

G_DEFINE_QUARK (sg-pool-error-quark, sg_pool_error)

G_DEFINE_FINAL_TYPE (SgPool, sg_pool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_PAUSED,
  PROP_N_DONE,
  PROP_N_FAILED,
  N_PROPS
};

enum {
  SIGNAL_SPRITE_DONE,
  SIGNAL_SPRITE_FAILED,
  SIGNAL_EVENT,
  SIGNAL_PAUSED,
  SIGNAL_LOG,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const SgPoolLimits default_limits = {
  .hello_timeout_ms = 10000,
  .task_deadline_ms = 90000,
  .retry_base_ms = 250,
  .max_attempts = 4,
  .max_deaths_per_task = 3,
  .death_burst = 5,
  .death_window_ms = 10000,
};

static void finish_run      (SgPool *self);

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

double
sg_pool_now_ms (SgPool *self)
{
  return (g_get_monotonic_time () - self->start_us) / 1000.0;
}

void
sg_pool_append_event (SgPool            *self,
                      const SgPoolEvent *event)
{
  g_array_append_val (self->events, *event);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0,
                 &g_array_index (self->events, SgPoolEvent, self->events->len - 1));
}

void
sg_pool_add_event (SgPool          *self,
                   SgPoolEventKind  kind,
                   Slot            *slot,
                   guint            sprite_id)
{
  SgPoolEvent event = {
    .time_ms = sg_pool_now_ms (self),
    .kind = kind,
    .worker_slot = slot != NULL ? (int) slot->index : -1,
    .pid = slot != NULL && slot->process != NULL ? sg_helper_process_get_pid (slot->process) : 0,
    .sprite_id = sprite_id,
  };

  /* A sprite's ending names the worker of its last attempt (none when it
   * came from the cache). */
  if (slot == NULL && sprite_id >= self->run_options->first &&
      sprite_id - self->run_options->first < self->n_tasks)
    {
      SgSprite *sprite = self->tasks[sprite_id - self->run_options->first].sprite;

      event.worker_slot = sg_sprite_get_worker_slot (sprite);
      event.pid = sg_sprite_get_worker_pid (sprite);
    }

  sg_pool_append_event (self, &event);
}

void
sg_pool_log (SgPool     *self,
             const char *message)
{
  g_message ("%s", message);
  g_signal_emit (self, signals[SIGNAL_LOG], 0, message);
}

static guint
slot_capacity (SgPool *self)
{
  /* "chunks" hands the whole slice over up front, like Pool.map; the
   * helper's own in-flight limit paces it. */
  if (self->run_options->strategy == SG_STRATEGY_CHUNKS)
    return G_MAXUINT;
  return self->run_options->in_flight;
}

static void
set_running (SgPool   *self,
             gboolean  running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_paused (SgPool   *self,
            gboolean  paused)
{
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/* Stops handing out work until sg_pool_resume(), and says why. */
void
sg_pool_pause (SgPool     *self,
               const char *reason)
{
  set_paused (self, TRUE);
  sg_pool_log (self, reason);
  g_signal_emit (self, signals[SIGNAL_PAUSED], 0, reason);
}

static void
update_worker_load (Slot *slot)
{
  guint n = g_hash_table_size (slot->in_flight);

  sg_worker_set_in_flight (slot->worker, n);
  if (slot->process != NULL && slot->hello)
    sg_worker_set_state (slot->worker, n > 0 ? SG_WORKER_BUSY : SG_WORKER_IDLE);
  if (n == 0)
    sg_worker_set_current_id (slot->worker, 0);
}

/* ------------------------------------------------------------------------ */
/* Handing out work                                                         */

static GQueue *
queue_for (SgPool *self,
           Slot   *slot)
{
  if (self->run_options->strategy == SG_STRATEGY_CHUNKS && slot != NULL)
    return &slot->own_queue;
  return &self->queue;
}

static void
send_task (SgPool   *self,
           Slot     *slot,
           TaskInfo *task)
{
  Attempt *attempt = g_new0 (Attempt, 1);
  SgSprite *sprite = task->sprite;
  SgSpriteTimings *timings = sg_sprite_get_timings (sprite);
  char line[SG_TASK_LINE_MAX];
  gsize len;

  attempt->task_id = ++self->next_task_id;
  attempt->task = task;
  attempt->slot = slot;
  attempt->sent_us = g_get_monotonic_time ();
  g_hash_table_insert (self->attempts, GUINT_TO_POINTER (attempt->task_id), attempt);
  g_hash_table_insert (slot->in_flight, GUINT_TO_POINTER (attempt->task_id), attempt);

  g_object_freeze_notify (G_OBJECT (sprite));
  sg_sprite_set_state (sprite, SG_SPRITE_FETCHING);
  sg_sprite_set_worker_pid (sprite, sg_helper_process_get_pid (slot->process));
  sg_sprite_set_worker_slot (sprite, slot->index);
  sg_sprite_set_attempts (sprite, sg_sprite_get_attempts (sprite) + 1);
  timings->started_ms = sg_pool_now_ms (self);
  timings->json_ms = timings->parse_ms = timings->sprite_ms = -1;
  sg_sprite_timings_changed (sprite);
  g_object_thaw_notify (G_OBJECT (sprite));

  sg_worker_set_current_id (slot->worker, sg_sprite_get_id (sprite));
  update_worker_load (slot);
  sg_pool_add_event (self, SG_POOL_EVENT_STARTED, slot, sg_sprite_get_id (sprite));

  len = sg_task_line_format (line, attempt->task_id, sg_sprite_get_id (sprite));
  sg_helper_process_send (slot->process, line, len);
}

void
sg_pool_dispatch (SgPool *self)
{
  gboolean progress = TRUE;
  guint capacity;

  if (!self->running || self->ending || self->paused)
    return;

  capacity = slot_capacity (self);

  /* Round robin, one task at a time, so that work spreads evenly over the
   * processes instead of filling the first one. */
  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < self->n_slots; i++)
        {
          Slot *slot = &self->slots[i];
          GQueue *queue = queue_for (self, slot);

          if (slot->process == NULL || slot->retiring || g_queue_is_empty (queue) ||
              g_hash_table_size (slot->in_flight) >= capacity)
            continue;

          send_task (self, slot, g_queue_pop_head (queue));
          progress = TRUE;
        }
    }
}

void
sg_pool_requeue (SgPool   *self,
                 TaskInfo *task,
                 Slot     *slot)
{
  SgSpriteTimings *timings = sg_sprite_get_timings (task->sprite);

  sg_sprite_set_state (task->sprite, SG_SPRITE_PENDING);
  timings->queued_ms = sg_pool_now_ms (self);
  sg_sprite_timings_changed (task->sprite);
  /* Requeued work goes first: it has waited longest. */
  g_queue_push_head (queue_for (self, slot), task);
  sg_pool_add_event (self, SG_POOL_EVENT_QUEUED, slot, sg_sprite_get_id (task->sprite));
}

typedef struct {
  SgPool   *pool;
  TaskInfo *task;
  Slot     *slot;
} RetryData;

static gboolean
on_retry_due (gpointer user_data)
{
  RetryData *data = user_data;
  SgPool *self = data->pool;

  data->task->retry_id = 0;
  self->pending_retries--;
  sg_pool_requeue (self, data->task, data->slot);
  sg_pool_dispatch (self);
  return G_SOURCE_REMOVE;
}

void
sg_pool_schedule_retry (SgPool     *self,
                        TaskInfo   *task,
                        Slot       *slot,
                        int         retry_after_ms,
                        const char *message)
{
  guint attempts = sg_sprite_get_attempts (task->sprite);
  guint delay_ms;
  RetryData *data;

  if (retry_after_ms >= 0)
    {
      /* The server said when: honour it, within reason. */
      delay_ms = MIN ((guint) retry_after_ms, 30000);
    }
  else
    {
      /* Exponential back-off with full jitter in [0.5, 1.5) of the step,
       * so that helpers do not hammer a struggling server in lockstep. */
      double step = self->limits.retry_base_ms * (double) (1u << MIN (attempts, 10u) >> 1);

      delay_ms = (guint) (step * g_random_double_range (0.5, 1.5));
    }

  self->n_retried++;
  self->pending_retries++;
  sg_sprite_set_state (task->sprite, SG_SPRITE_PENDING);
  sg_sprite_set_error (task->sprite, message);
  sg_pool_add_event (self, SG_POOL_EVENT_RETRY, slot, sg_sprite_get_id (task->sprite));

  data = g_new (RetryData, 1);
  data->pool = self;
  data->task = task;
  data->slot = slot;
  task->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, on_retry_due, data, g_free);
}

void
sg_pool_complete_task (SgPool  *self,
                       Attempt *attempt)
{
  Slot *slot = attempt->slot;

  g_hash_table_remove (slot->in_flight, GUINT_TO_POINTER (attempt->task_id));
  g_hash_table_remove (self->attempts, GUINT_TO_POINTER (attempt->task_id)); /* frees */
  update_worker_load (slot);
}

/* ------------------------------------------------------------------------ */
/* Results that change a sprite for good                                    */

void
sg_pool_task_done (SgPool   *self,
                   TaskInfo *task,
                   gboolean  from_cache)
{
  SgSprite *sprite = task->sprite;

  g_object_freeze_notify (G_OBJECT (sprite));
  sg_sprite_set_error (sprite, NULL);
  sg_sprite_set_from_cache (sprite, from_cache);
  sg_sprite_set_state (sprite, SG_SPRITE_DONE);
  g_object_thaw_notify (G_OBJECT (sprite));

  self->n_done++;
  if (from_cache)
    self->n_from_cache++;
  if (self->first_sprite_ms < 0)
    self->first_sprite_ms = sg_pool_now_ms (self);

  sg_pool_add_event (self, SG_POOL_EVENT_DONE, NULL, sg_sprite_get_id (sprite));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  g_signal_emit (self, signals[SIGNAL_SPRITE_DONE], 0, sprite);
}

void
sg_pool_task_failed (SgPool     *self,
                     TaskInfo   *task,
                     const char *message)
{
  SgSprite *sprite = task->sprite;

  g_object_freeze_notify (G_OBJECT (sprite));
  sg_sprite_set_error (sprite, message);
  sg_sprite_set_state (sprite, SG_SPRITE_FAILED);
  g_object_thaw_notify (G_OBJECT (sprite));

  self->n_failed++;
  sg_pool_add_event (self, SG_POOL_EVENT_FAILED, NULL, sg_sprite_get_id (sprite));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
  g_signal_emit (self, signals[SIGNAL_SPRITE_FAILED], 0, sprite);
}

/* ------------------------------------------------------------------------ */
/* Run lifecycle                                                            */

static gboolean
all_tasks_settled (SgPool *self)
{
  return self->n_done + self->n_failed >= self->n_tasks && self->pending_retries == 0;
}

static gboolean
any_process_alive (SgPool *self)
{
  for (guint i = 0; i < self->n_slots; i++)
    if (self->slots[i].process != NULL)
      return TRUE;
  return FALSE;
}

void
sg_pool_check_finished (SgPool *self)
{
  if (!self->running)
    return;

  if (!self->ending && all_tasks_settled (self))
    {
      self->ending = TRUE;
      self->all_done_ms = sg_pool_now_ms (self);
      for (guint i = 0; i < self->n_slots; i++)
        {
          g_clear_handle_id (&self->slots[i].respawn_id, g_source_remove);
          sg_pool_retire_slot (&self->slots[i]);
        }
    }

  if (self->ending && !any_process_alive (self) && self->pending_writes == 0)
    finish_run (self);
}

void
sg_pool_abort_run (SgPool *self,
                   GError *error)
{
  if (!self->running || self->end_error != NULL)
    {
      g_error_free (error);
      return;
    }

  self->end_error = error;
  self->ending = TRUE;
  g_cancellable_cancel (self->cache_cancellable);

  for (guint i = 0; i < self->n_tasks; i++)
    {
      TaskInfo *task = &self->tasks[i];

      if (task->retry_id != 0)
        {
          g_clear_handle_id (&task->retry_id, g_source_remove);
          self->pending_retries--;
        }
      if (sg_sprite_get_state (task->sprite) == SG_SPRITE_PENDING)
        sg_sprite_set_error (task->sprite, NULL);
    }

  for (guint i = 0; i < self->n_slots; i++)
    {
      Slot *slot = &self->slots[i];

      g_clear_handle_id (&slot->respawn_id, g_source_remove);
      g_clear_handle_id (&slot->hello_id, g_source_remove);
      if (slot->process != NULL)
        {
          slot->retiring = TRUE;
          /* SIGKILL: cancelling a wait does not stop a process. */
          sg_helper_process_kill (slot->process);
        }
    }

  sg_pool_check_finished (self);
}

static void
finish_run (SgPool *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->run_task);
  g_autoptr(GError) error = g_steal_pointer (&self->end_error);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->cache_cancellable);

  for (guint i = 0; i < self->n_tasks; i++)
    {
      TaskInfo *task_info = &self->tasks[i];

      if (sg_sprite_get_state (task_info->sprite) == SG_SPRITE_FETCHING)
        sg_sprite_set_state (task_info->sprite, SG_SPRITE_PENDING);
    }
  g_queue_clear (&self->queue);
  for (guint i = 0; i < self->n_slots; i++)
    {
      g_queue_clear (&self->slots[i].own_queue);
      sg_worker_set_state (self->slots[i].worker, SG_WORKER_STOPPED);
    }

  if (self->all_done_ms < 0)
    self->all_done_ms = sg_pool_now_ms (self);

  set_running (self, FALSE);
  set_paused (self, FALSE);

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);

  if (task == NULL)
    return;

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (self->n_failed > 0)
    g_task_return_new_error (task, SG_POOL_ERROR, SG_POOL_ERROR_SOME_FAILED,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "%u sprite could not be fetched",
                                          "%u sprites could not be fetched", self->n_failed),
                             self->n_failed);
  else
    g_task_return_boolean (task, TRUE);
}

void
sg_pool_stop (SgPool *self)
{
  g_return_if_fail (SG_IS_POOL (self));

  if (self->running)
    sg_pool_abort_run (self, g_error_new_literal (SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED,
                                                  _("Stopped")));
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  sg_pool_stop (SG_POOL (user_data));
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  on_cancelled (NULL, user_data);
  return G_SOURCE_REMOVE;
}

static void
on_cancellable_cancelled (GCancellable *cancellable,
                          gpointer      user_data)
{
  /* "cancelled" may be emitted from another thread: act on our own. */
  g_idle_add_full (G_PRIORITY_HIGH, on_cancelled_idle, g_object_ref (user_data), g_object_unref);
}

/* The workers model holds @n workers, ready for a run. Those it has are
 * reset and kept, so that a view of them (a row per worker) is not built
 * again at every run: it changes only when the number of processes does. */
static void
ensure_workers (SgPool *self,
                guint   n)
{
  GListModel *model = G_LIST_MODEL (self->workers);
  guint n_items = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < MIN (n, n_items); i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (model, i);

      sg_worker_reset (worker);
    }
  for (guint i = n_items; i < n; i++)
    g_ptr_array_add (added, sg_worker_new (i));
  if (n != n_items)
    g_list_store_splice (self->workers, MIN (n, n_items), n_items - MIN (n, n_items),
                         added->pdata, added->len);
}

/* How many processes a run of @options starts, at most: fewer when fewer
 * sprites are left to fetch (start_fetching()). */
static guint
planned_workers (const SgRunOptions *options)
{
  if (options->strategy == SG_STRATEGY_SEQUENTIAL)
    return 1;
  return MIN (options->workers, options->count);
}

/* Builds the slots and hands out the work that the cache did not cover. */
static void
start_fetching (SgPool *self)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();
  guint n_workers, in_flight;

  if (self->ending)
    {
      sg_pool_check_finished (self);
      return;
    }

  for (guint i = 0; i < self->n_tasks; i++)
    if (sg_sprite_get_state (self->tasks[i].sprite) == SG_SPRITE_PENDING)
      g_ptr_array_add (pending, &self->tasks[i]);

  if (pending->len == 0)
    {
      sg_pool_check_finished (self);
      return;
    }

  if (self->run_options->strategy == SG_STRATEGY_SEQUENTIAL)
    {
      /* The livestream's baseline: one process, one transfer. */
      self->run_options->workers = 1;
      self->run_options->in_flight = 1;
    }

  n_workers = MIN (planned_workers (self->run_options), pending->len);
  in_flight = self->run_options->in_flight;
  g_debug ("Fetching %u sprites with %u processes × %u transfers", pending->len, n_workers,
           in_flight);

  ensure_workers (self, n_workers);
  self->n_slots = n_workers;
  self->slots = g_new0 (Slot, n_workers);
  for (guint i = 0; i < n_workers; i++)
    {
      Slot *slot = &self->slots[i];

      slot->pool = self;
      slot->index = i;
      slot->worker = g_list_model_get_item (G_LIST_MODEL (self->workers), i);
      slot->in_flight = g_hash_table_new (NULL, NULL);
      g_queue_init (&slot->own_queue);
    }

  for (guint i = 0; i < pending->len; i++)
    {
      TaskInfo *task = g_ptr_array_index (pending, i);
      /* chunks: contiguous slices, like Pool.map's chunksize */
      Slot *slot = &self->slots[(guint64) i * n_workers / pending->len];

      sg_sprite_get_timings (task->sprite)->queued_ms = sg_pool_now_ms (self);
      sg_sprite_timings_changed (task->sprite);
      g_queue_push_tail (queue_for (self, slot), task);
      sg_pool_add_event (self, SG_POOL_EVENT_QUEUED, slot, sg_sprite_get_id (task->sprite));
    }

  self->tick_id = g_timeout_add_seconds (1, sg_pool_watch_processes, self);

  for (guint i = 0; i < n_workers && !self->ending; i++)
    sg_pool_spawn_slot (self, &self->slots[i]);

  sg_pool_dispatch (self);
}

static void
on_cache_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SgPool) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = sg_cache_load_finish (SG_CACHE (source), result, &error);
  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the cache: %s", error->message);
      start_fetching (self);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      SgCacheEntry *entry = g_ptr_array_index (entries, i);
      TaskInfo *task = &self->tasks[entry->id - self->run_options->first];
      SgSprite *sprite = task->sprite;

      if (sg_sprite_get_state (sprite) != SG_SPRITE_PENDING)
        continue;

      g_object_freeze_notify (G_OBJECT (sprite));
      sg_sprite_set_name (sprite, json_object_get_string_member (entry->details, "name"));
      sg_sprite_set_details (sprite, entry->details);
      sg_sprite_set_png (sprite, entry->png);
      sg_sprite_get_timings (sprite)->sprite_ms = sg_pool_now_ms (self);
      sg_sprite_timings_changed (sprite);
      g_object_thaw_notify (G_OBJECT (sprite));
      sg_pool_task_done (self, task, TRUE);
    }

  start_fetching (self);
}

static gboolean
model_holds_range (SgPool             *self,
                   const SgRunOptions *options)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sprites));
  g_autoptr(SgSprite) first = NULL;

  if (n_items != options->count)
    return FALSE;
  if (n_items == 0)
    return TRUE;

  first = g_list_model_get_item (G_LIST_MODEL (self->sprites), 0);
  return sg_sprite_get_id (first) == options->first;
}

static void
lay_out_range (SgPool             *self,
               const SgRunOptions *options)
{
  g_autoptr(GPtrArray) sprites = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sprites));

  for (guint i = 0; i < options->count; i++)
    g_ptr_array_add (sprites, sg_sprite_new (options->first + i));
  /* One items-changed for the whole range. */
  g_list_store_splice (self->sprites, 0, n_items, sprites->pdata, sprites->len);
}

static void
prepare_sprites (SgPool *self)
{
  const SgRunOptions *options = self->run_options;

  if (model_holds_range (self, options))
    {
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sprites));

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(SgSprite) sprite = g_list_model_get_item (G_LIST_MODEL (self->sprites), i);

          sg_sprite_reset (sprite);
        }
    }
  else
    {
      lay_out_range (self, options);
    }

  g_clear_pointer (&self->tasks, g_free);
  self->n_tasks = options->count;
  self->tasks = g_new0 (TaskInfo, self->n_tasks);
  for (guint i = 0; i < self->n_tasks; i++)
    {
      /* The store keeps the sprites alive for the run. */
      g_autoptr(SgSprite) sprite = g_list_model_get_item (G_LIST_MODEL (self->sprites), i);

      self->tasks[i].sprite = sprite;
    }
}

static void
reset_run_state (SgPool *self)
{
  sg_pool_free_slots (self);
  ensure_workers (self, g_list_model_get_n_items (G_LIST_MODEL (self->workers)));
  g_array_set_size (self->events, 0);
  g_array_set_size (self->death_times, 0);
  g_hash_table_remove_all (self->attempts);
  g_queue_clear (&self->queue);
  self->next_task_id = 0;
  self->pending_retries = 0;
  self->first_sprite_ms = -1;
  self->all_done_ms = -1;
  self->n_done = self->n_failed = self->n_retried = self->n_from_cache = 0;
  self->ending = FALSE;
  self->paused = FALSE;
  g_clear_error (&self->end_error);
  g_clear_object (&self->cache);
  g_clear_object (&self->cache_cancellable);
  self->cache_cancellable = g_cancellable_new ();
  self->start_us = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
}

static void
begin_run (SgPool   *self,
           gboolean  bypass_cache)
{
  g_autofree char *cache_dir = NULL;

  set_running (self, TRUE);

  if (!self->run_options->no_cache)
    {
      cache_dir = sg_run_options_resolve_cache_dir (self->run_options);
      self->cache = sg_cache_new (cache_dir, self->run_options->base_url);
    }

  /* Below a GUI's redraw priority: what follows the load (cached sprites,
   * worker rows, spawning) is one block of milliseconds, and a frame the
   * window has asked for goes first. */
  if (self->cache != NULL && !bypass_cache)
    sg_cache_load_async (self->cache, self->run_options->first, self->run_options->count,
                         G_PRIORITY_DEFAULT_IDLE, self->cache_cancellable,
                         on_cache_loaded, g_object_ref (self));
  else
    start_fetching (self);
}

void
sg_pool_run_async (SgPool              *self,
                   gboolean             bypass_cache,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SG_IS_POOL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_pool_run_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->running)
    {
      g_task_return_new_error (task, SG_POOL_ERROR, SG_POOL_ERROR_BUSY,
                               _("A run is already going"));
      return;
    }
  /* Stopped before it began (a window closed before its first frame):
   * nothing starts, no helper is spawned. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED, _("Stopped"));
      return;
    }

  g_clear_pointer (&self->run_options, sg_run_options_free);
  self->run_options = sg_run_options_copy (self->options);
  reset_run_state (self);
  prepare_sprites (self);

  self->run_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_cancellable_cancelled),
                                                  self, NULL);
    }

  begin_run (self, bypass_cache);
}

gboolean
sg_pool_run_finish (SgPool        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, sg_pool_run_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sg_pool_retry_sprite (SgPool   *self,
                      SgSprite *sprite)
{
  TaskInfo *task = NULL;

  g_return_if_fail (SG_IS_POOL (self));
  g_return_if_fail (SG_IS_SPRITE (sprite));

  for (guint i = 0; i < self->n_tasks; i++)
    if (self->tasks[i].sprite == sprite)
      task = &self->tasks[i];

  if (task == NULL || sg_sprite_get_state (sprite) != SG_SPRITE_FAILED)
    return;

  sg_sprite_set_attempts (sprite, 0);
  sg_sprite_set_error (sprite, NULL);
  task->deaths = 0;
  if (self->n_failed > 0)
    self->n_failed--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);

  if (self->running && !self->ending)
    {
      sg_pool_requeue (self, task, NULL);
      sg_pool_dispatch (self);
      return;
    }

  if (self->running)
    {
      /* The run is winding down; its end would forget this sprite. */
      sg_sprite_set_state (sprite, SG_SPRITE_FAILED);
      self->n_failed++;
      return;
    }

  /* A small run of its own that keeps every other sprite as it is. */
  sg_sprite_set_state (sprite, SG_SPRITE_PENDING);
  sg_pool_free_slots (self);
  g_hash_table_remove_all (self->attempts);
  self->ending = FALSE;
  g_clear_error (&self->end_error);
  g_clear_object (&self->cache_cancellable);
  self->cache_cancellable = g_cancellable_new ();
  self->all_done_ms = -1;
  set_running (self, TRUE);
  start_fetching (self);
}

void
sg_pool_prepare (SgPool *self)
{
  g_return_if_fail (SG_IS_POOL (self));

  /* A running run keeps its sprites, and a model that already holds the
   * range keeps what it shows (the last run's results). */
  if (self->running || model_holds_range (self, self->options))
    return;

  lay_out_range (self, self->options);
}

void
sg_pool_resume (SgPool *self)
{
  g_return_if_fail (SG_IS_POOL (self));

  if (!self->paused)
    return;

  g_array_set_size (self->death_times, 0);
  set_paused (self, FALSE);
  for (guint i = 0; i < self->n_slots; i++)
    {
      self->slots[i].consecutive_deaths = 0;
      sg_pool_spawn_slot (self, &self->slots[i]);
    }
  sg_pool_dispatch (self);
  sg_pool_check_finished (self);
}

gboolean
sg_pool_kill_worker (SgPool *self,
                     guint   slot_index)
{
  g_return_val_if_fail (SG_IS_POOL (self), FALSE);

  if (slot_index >= self->n_slots || self->slots[slot_index].process == NULL ||
      self->slots[slot_index].retiring)
    return FALSE;

  sg_helper_process_kill (self->slots[slot_index].process);
  return TRUE;
}

void
sg_pool_mark_shown (SgPool   *self,
                    SgSprite *sprite)
{
  g_return_if_fail (SG_IS_POOL (self));

  sg_sprite_get_timings (sprite)->shown_ms = sg_pool_now_ms (self);
  sg_sprite_timings_changed (sprite);
}

void
sg_pool_fail_sprite (SgPool     *self,
                     SgSprite   *sprite,
                     const char *message)
{
  g_return_if_fail (SG_IS_POOL (self));

  for (guint i = 0; i < self->n_tasks; i++)
    {
      if (self->tasks[i].sprite != sprite)
        continue;
      if (sg_sprite_get_state (sprite) == SG_SPRITE_DONE && self->n_done > 0)
        self->n_done--;
      sg_pool_task_failed (self, &self->tasks[i], message);
      return;
    }
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

const SgRunOptions *
sg_pool_get_options (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), NULL);
  return self->options;
}

void
sg_pool_set_options (SgPool             *self,
                     const SgRunOptions *options)
{
  g_return_if_fail (SG_IS_POOL (self));
  g_return_if_fail (options != NULL);

  g_clear_pointer (&self->options, sg_run_options_free);
  self->options = sg_run_options_copy (options);

  /* A new number of processes shows before the run that starts them (the
   * running one keeps its own, and the same number keeps the last run's). */
  if (!self->running &&
      planned_workers (self->options) != g_list_model_get_n_items (G_LIST_MODEL (self->workers)))
    ensure_workers (self, planned_workers (self->options));
}

const SgPoolLimits *
sg_pool_get_limits (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), NULL);
  return &self->limits;
}

void
sg_pool_set_limits (SgPool             *self,
                    const SgPoolLimits *limits)
{
  g_return_if_fail (SG_IS_POOL (self));
  self->limits = *limits;
}

void
sg_pool_set_helper_args (SgPool             *self,
                         const char * const *args)
{
  g_return_if_fail (SG_IS_POOL (self));
  g_strfreev (self->helper_args);
  self->helper_args = g_strdupv ((char **) args);
}

GListModel *
sg_pool_get_sprites (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), NULL);
  return G_LIST_MODEL (self->sprites);
}

GListModel *
sg_pool_get_workers (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), NULL);
  return G_LIST_MODEL (self->workers);
}

const GArray *
sg_pool_get_events (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), NULL);
  return self->events;
}

gboolean
sg_pool_get_running (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), FALSE);
  return self->running;
}

gboolean
sg_pool_get_paused (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), FALSE);
  return self->paused;
}

guint
sg_pool_get_n_done (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), 0);
  return self->n_done;
}

guint
sg_pool_get_n_failed (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), 0);
  return self->n_failed;
}

guint
sg_pool_get_n_from_cache (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), 0);
  return self->n_from_cache;
}

gboolean
sg_pool_get_all_from_cache (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), FALSE);
  return !self->running && self->n_from_cache > 0 &&
         self->n_from_cache == g_list_model_get_n_items (sg_pool_get_sprites (self));
}

double
sg_pool_get_elapsed_ms (SgPool *self)
{
  g_return_val_if_fail (SG_IS_POOL (self), 0);
  if (self->start_us == 0)
    return 0;
  return sg_pool_now_ms (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
sg_pool_dispose (GObject *object)
{
  SgPool *self = SG_POOL (object);

  /* Never leave a helper behind, whatever state the run is in. */
  if (self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
  if (self->cache_cancellable != NULL)
    g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  for (guint i = 0; i < self->n_tasks; i++)
    g_clear_handle_id (&self->tasks[i].retry_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  sg_pool_free_slots (self);
  g_clear_object (&self->run_task);

  G_OBJECT_CLASS (sg_pool_parent_class)->dispose (object);
}

static void
sg_pool_finalize (GObject *object)
{
  SgPool *self = SG_POOL (object);

  g_clear_pointer (&self->options, sg_run_options_free);
  g_clear_pointer (&self->run_options, sg_run_options_free);
  g_strfreev (self->helper_args);
  g_clear_object (&self->sprites);
  g_clear_object (&self->workers);
  g_clear_object (&self->cache);
  g_array_unref (self->events);
  g_array_unref (self->death_times);
  g_hash_table_unref (self->attempts);
  g_queue_clear (&self->queue);
  g_free (self->tasks);
  g_clear_error (&self->end_error);

  G_OBJECT_CLASS (sg_pool_parent_class)->finalize (object);
}

static void
sg_pool_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SgPool *self = SG_POOL (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_pool_class_init (SgPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sg_pool_dispose;
  object_class->finalize = sg_pool_finalize;
  object_class->get_property = sg_pool_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, ro);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SPRITE_DONE] =
    g_signal_new ("sprite-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_SPRITE);
  signals[SIGNAL_SPRITE_FAILED] =
    g_signal_new ("sprite-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_SPRITE);
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_PAUSED] =
    g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A helper that dies while we write its tasks must give EPIPE, not kill
   * the whole app with SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);
}

static void
sg_pool_init (SgPool *self)
{
  self->options = sg_run_options_new ();
  self->limits = default_limits;
  self->sprites = g_list_store_new (SG_TYPE_SPRITE);
  self->workers = g_list_store_new (SG_TYPE_WORKER);
  self->events = g_array_new (FALSE, FALSE, sizeof (SgPoolEvent));
  self->death_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->attempts = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_queue_init (&self->queue);
  self->first_sprite_ms = -1;
  self->all_done_ms = -1;
  ensure_workers (self, planned_workers (self->options));
}

SgPool *
sg_pool_new (const SgRunOptions *options)
{
  SgPool *self = g_object_new (SG_TYPE_POOL, NULL);

  if (options != NULL)
    sg_pool_set_options (self, options);
  return self;
}
