/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/types.h>

#include <glib/gstdio.h>

#include "test-pool-support.h"

SgRunOptions *
test_options (const char *base_url,
              guint       count,
              guint       workers)
{
  SgRunOptions *options = sg_run_options_new ();

  g_free (options->base_url);
  options->base_url = g_strdup (base_url);
  options->count = count;
  options->workers = workers;
  options->no_cache = TRUE;
  return options;
}

static void
on_done (SgPool   *pool,
         SgSprite *sprite,
         PoolRun  *run)
{
  gpointer key = GUINT_TO_POINTER (sg_sprite_get_id (sprite));
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (run->done_counts, key));

  g_hash_table_insert (run->done_counts, key, GUINT_TO_POINTER (n + 1));
}

static void
on_event (SgPool            *pool,
          const SgPoolEvent *event,
          PoolRun           *run)
{
  if (event->kind == SG_POOL_EVENT_WORKER_SPAWNED)
    g_array_append_val (run->pids, event->pid);
  else if (event->kind == SG_POOL_EVENT_WORKER_DIED)
    run->n_deaths++;
}

static void
on_paused (SgPool     *pool,
           const char *reason,
           PoolRun    *run)
{
  run->n_paused++;
}

PoolRun *
pool_run_new (const SgRunOptions *options)
{
  PoolRun *run = g_new0 (PoolRun, 1);

  run->pool = sg_pool_new (options);
  run->cancellable = g_cancellable_new ();
  run->done_counts = g_hash_table_new (NULL, NULL);
  run->pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_signal_connect (run->pool, "sprite-done", G_CALLBACK (on_done), run);
  g_signal_connect (run->pool, "event", G_CALLBACK (on_event), run);
  g_signal_connect (run->pool, "paused", G_CALLBACK (on_paused), run);
  return run;
}

void
pool_run_free (PoolRun *run)
{
  g_signal_handlers_disconnect_by_data (run->pool, run);
  g_assert_finalize_object (run->pool);
  g_object_unref (run->cancellable);
  g_hash_table_unref (run->done_counts);
  g_array_unref (run->pids);
  g_clear_error (&run->error);
  g_free (run);
}

void
pool_run_on_finished (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PoolRun *run = user_data;

  run->ok = sg_pool_run_finish (SG_POOL (source), result, &run->error);
  run->finished = TRUE;
}

void
pool_run_start (PoolRun  *run,
                gboolean  bypass_cache)
{
  run->finished = FALSE;
  run->ok = FALSE;
  g_clear_error (&run->error);
  g_hash_table_remove_all (run->done_counts);
  g_array_set_size (run->pids, 0);
  run->n_deaths = 0;
  g_object_unref (run->cancellable);
  run->cancellable = g_cancellable_new ();
  sg_pool_run_async (run->pool, bypass_cache, run->cancellable, pool_run_on_finished, run);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
pool_run_wait (PoolRun *run,
               guint    timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, on_timeout, &timed_out);

  while (!run->finished && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
assert_each_done_once (PoolRun *run)
{
  GListModel *sprites = sg_pool_get_sprites (run->pool);

  for (guint i = 0; i < g_list_model_get_n_items (sprites); i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (sprites, i);
      guint id = sg_sprite_get_id (sprite);

      g_assert_cmpint (sg_sprite_get_state (sprite), ==, SG_SPRITE_DONE);
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (run->done_counts,
                                                               GUINT_TO_POINTER (id))), ==, 1);
      g_assert_nonnull (sg_sprite_get_png (sprite));
    }
}

/* Every helper this run spawned is gone, and reaped: no process, no zombie. */
void
assert_no_helper_left (PoolRun *run)
{
  for (guint i = 0; i < run->pids->len; i++)
    {
      GPid pid = g_array_index (run->pids, GPid, i);
      g_autofree char *proc = g_strdup_printf ("/proc/%d", (int) pid);

      g_assert_cmpint (pid, >, 0);
      g_assert_false (g_file_test (proc, G_FILE_TEST_EXISTS));
    }
}

SgSprite *
pool_run_sprite (PoolRun *run,
                 guint    id)
{
  GListModel *sprites = sg_pool_get_sprites (run->pool);

  for (guint i = 0; i < g_list_model_get_n_items (sprites); i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (sprites, i);

      if (sg_sprite_get_id (sprite) == id)
        return sprite; /* the model keeps it alive */
    }
  g_assert_not_reached ();
}

guint
pool_test_n_started (SgPool *pool)
{
  GListModel *workers = sg_pool_get_workers (pool);
  guint n_started = 0;

  for (guint i = 0; i < g_list_model_get_n_items (workers); i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (workers, i);

      if (sg_worker_get_state (worker) != SG_WORKER_NOT_STARTED)
        n_started++;
    }
  return n_started;
}

void
pool_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        pool_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
