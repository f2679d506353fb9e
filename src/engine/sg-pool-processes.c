/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pool's helper processes: spawning one per slot, its hello, its
 * deadlines and memory, and what its end means: a retirement asked for, or a
 * death whose tasks go back to the queue, with back-off and restart
 * intensity (too many deaths pause the pool).
 */
#define G_LOG_DOMAIN "sg-pool"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-pool-private.h"

static const char *
fetcher_path (void)
{
  const char *path = g_getenv ("SPRITE_GALLERY_FETCHER");

  return path != NULL && *path != '\0' ? path : SG_FETCHER_PATH;
}

static void
on_helper_frame (SgHelperProcess *process,
                 const SgFrame   *frame,
                 gpointer         user_data)
{
  Slot *slot = user_data;

  sg_pool_handle_frame (slot->pool, slot, frame);
}

static void
on_helper_violation (SgHelperProcess *process,
                     const char      *reason,
                     gpointer         user_data)
{
  Slot *slot = user_data;
  g_autofree char *message =
    g_strdup_printf (_("Helper process %d was stopped: %s"),
                     (int) sg_helper_process_get_pid (process), reason);

  sg_pool_log (slot->pool, message);
}

static guint
recent_deaths (SgPool *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 window_us = (gint64) self->limits.death_window_ms * 1000;
  guint n = 0;

  for (guint i = 0; i < self->death_times->len; i++)
    if (now - g_array_index (self->death_times, gint64, i) <= window_us)
      n++;
  return n;
}

static gboolean
on_respawn_due (gpointer user_data)
{
  Slot *slot = user_data;

  slot->respawn_id = 0;
  sg_pool_spawn_slot (slot->pool, slot);
  sg_pool_dispatch (slot->pool);
  return G_SOURCE_REMOVE;
}

static void
pause_pool (SgPool *self,
            guint   deaths)
{
  g_autofree char *reason =
    g_strdup_printf (_("Helper processes died %u times in %u seconds. The pool is paused so that "
                       "a broken helper does not spin: check the server and the helper, then "
                       "resume."),
                     deaths, self->limits.death_window_ms / 1000);

  sg_pool_pause (self, reason);
}

/* A helper died without being asked to: nothing it had may be lost. */
static void
handle_death (SgPool     *self,
              Slot       *slot,
              GPid        pid,
              const char *exit_desc)
{
  g_autoptr(GList) attempts = g_hash_table_get_values (slot->in_flight);
  g_autofree char *message = NULL;
  gint64 now = g_get_monotonic_time ();
  guint deaths;

  message = g_strdup_printf (_("Helper process %d ended unexpectedly (%s); its %u tasks are "
                               "queued again"),
                             (int) pid, exit_desc,
                             g_list_length (attempts));
  sg_pool_log (self, message);

  sg_worker_add_death (slot->worker);
  {
    /* The process is gone already: name the pid that died. */
    SgPoolEvent event = {
      .time_ms = sg_pool_now_ms (self),
      .kind = SG_POOL_EVENT_WORKER_DIED,
      .worker_slot = slot->index,
      .pid = pid,
    };

    sg_pool_append_event (self, &event);
  }

  for (GList *l = attempts; l != NULL; l = l->next)
    {
      Attempt *attempt = l->data;
      TaskInfo *task = attempt->task;

      sg_pool_complete_task (self, attempt);
      task->deaths++;
      if (task->deaths >= self->limits.max_deaths_per_task)
        {
          g_autofree char *failure =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "A helper process died while fetching this sprite %u time",
                                          "A helper process died while fetching this sprite %u times",
                                          task->deaths),
                             task->deaths);
          sg_pool_task_failed (self, task, failure);
        }
      else
        {
          sg_pool_requeue (self, task, slot);
        }
    }

  g_array_append_val (self->death_times, now);
  deaths = recent_deaths (self);
  slot->consecutive_deaths++;

  if (deaths > self->limits.death_burst)
    {
      if (!self->paused)
        pause_pool (self, deaths);
    }
  else if (!self->ending)
    {
      /* Back off: 100 ms, 200 ms, 400 ms ... up to 3 s for a slot whose
       * helper keeps dying. */
      guint delay = MIN (100u << MIN (slot->consecutive_deaths - 1, 5u), 3000u);

      slot->respawn_id = g_timeout_add (delay, on_respawn_due, slot);
    }
}

static void
on_helper_finished (SgHelperProcess *process,
                    const char      *exit_desc,
                    gboolean         exited_cleanly,
                    gpointer         user_data)
{
  Slot *slot = user_data;
  SgPool *self = slot->pool;
  gboolean expected = slot->retiring && g_hash_table_size (slot->in_flight) == 0;
  /* @exit_desc belongs to @process, which goes now. */
  g_autofree char *exit_copy = g_strdup (exit_desc);
  GPid pid = sg_helper_process_get_pid (process);

  g_clear_handle_id (&slot->hello_id, g_source_remove);
  sg_worker_record_exit (slot->worker, exit_copy);
  g_clear_pointer (&slot->process, sg_helper_process_free);

  if (expected || self->end_error != NULL)
    {
      sg_worker_set_state (slot->worker, SG_WORKER_STOPPED);
      /* Stop: what was in flight goes back to pending, not failed. */
      if (g_hash_table_size (slot->in_flight) > 0)
        {
          g_autoptr(GList) attempts = g_hash_table_get_values (slot->in_flight);

          for (GList *l = attempts; l != NULL; l = l->next)
            {
              Attempt *attempt = l->data;

              sg_sprite_set_state (attempt->task->sprite, SG_SPRITE_PENDING);
              sg_pool_complete_task (self, attempt);
            }
        }
    }
  else
    {
      sg_worker_set_state (slot->worker, SG_WORKER_DEAD);
      handle_death (self, slot, pid, exit_copy);
    }

  slot->retiring = FALSE;
  sg_pool_dispatch (self);
  sg_pool_check_finished (self);
}

static const SgHelperProcessCallbacks helper_callbacks = {
  .frame = on_helper_frame,
  .violation = on_helper_violation,
  .finished = on_helper_finished,
};

static gboolean
on_hello_timeout (gpointer user_data)
{
  Slot *slot = user_data;
  g_autofree char *reason =
    g_strdup_printf (_("it did not introduce itself within %u ms"),
                     slot->pool->limits.hello_timeout_ms);

  slot->hello_id = 0;
  if (slot->process != NULL)
    sg_helper_process_kill_with_reason (slot->process, reason);
  return G_SOURCE_REMOVE;
}

void
sg_pool_spawn_slot (SgPool *self,
                    Slot   *slot)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint in_flight = self->run_options->in_flight;

  if (self->ending || slot->process != NULL)
    return;

  g_ptr_array_add (argv, g_strdup (fetcher_path ()));
  g_ptr_array_add (argv, g_strdup ("--base-url"));
  g_ptr_array_add (argv, g_strdup (self->run_options->base_url));
  g_ptr_array_add (argv, g_strdup ("--in-flight"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", in_flight));
  for (guint i = 0; self->helper_args != NULL && self->helper_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->helper_args[i]));
  g_ptr_array_add (argv, NULL);

  slot->hello = FALSE;
  slot->retiring = FALSE;
  slot->process = sg_helper_process_spawn ((const char * const *) argv->pdata,
                                           &helper_callbacks, slot, &error);
  if (slot->process == NULL)
    {
      g_autoptr(GError) spawn_error =
        g_error_new (SG_POOL_ERROR, SG_POOL_ERROR_SPAWN,
                     _("Cannot start the helper program %s: %s"), fetcher_path (), error->message);
      sg_pool_abort_run (self, g_steal_pointer (&spawn_error));
      return;
    }

  sg_worker_set_pid (slot->worker, sg_helper_process_get_pid (slot->process));
  sg_worker_set_state (slot->worker, SG_WORKER_STARTING);
  sg_pool_add_event (self, SG_POOL_EVENT_WORKER_SPAWNED, slot, 0);
  slot->hello_id = g_timeout_add (self->limits.hello_timeout_ms, on_hello_timeout, slot);
}

void
sg_pool_retire_slot (Slot *slot)
{
  if (slot->process == NULL || slot->retiring)
    return;
  slot->retiring = TRUE;
  sg_helper_process_close_stdin (slot->process);
}

/* Once a second: the deadline backstop over the helpers' own timeouts, and
 * the resident memory shown for each process. */
gboolean
sg_pool_watch_processes (gpointer user_data)
{
  SgPool *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 deadline_us = (gint64) self->limits.task_deadline_ms * 1000;

  for (guint i = 0; i < self->n_slots; i++)
    {
      Slot *slot = &self->slots[i];
      GHashTableIter iter;
      gpointer value;

      if (slot->process == NULL)
        continue;

      sg_worker_set_rss_kib (slot->worker, sg_helper_process_read_rss_kib (slot->process));

      g_hash_table_iter_init (&iter, slot->in_flight);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Attempt *attempt = value;

          if (now - attempt->sent_us > deadline_us)
            {
              g_autofree char *reason =
                g_strdup_printf (_("sprite #%u took longer than %u s"),
                                 sg_sprite_get_id (attempt->task->sprite),
                                 self->limits.task_deadline_ms / 1000);
              sg_helper_process_kill_with_reason (slot->process, reason);
              break;
            }
        }
    }

  return G_SOURCE_CONTINUE;
}

void
sg_pool_free_slots (SgPool *self)
{
  for (guint i = 0; i < self->n_slots; i++)
    {
      Slot *slot = &self->slots[i];

      g_clear_handle_id (&slot->hello_id, g_source_remove);
      g_clear_handle_id (&slot->respawn_id, g_source_remove);
      g_clear_pointer (&slot->process, sg_helper_process_free);
      g_clear_pointer (&slot->in_flight, g_hash_table_unref);
      g_queue_clear (&slot->own_queue);
      g_clear_object (&slot->worker);
    }
  g_clear_pointer (&self->slots, g_free);
  self->n_slots = 0;
}
