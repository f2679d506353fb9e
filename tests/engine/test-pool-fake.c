/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fault drills with a fake helper (SPRITE_GALLERY_FETCHER): whatever a
 * helper does — crash, hang, garbage, half a frame, a task it was never
 * given, no hello — every task ends exactly once with the right status and
 * no child is left behind.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "test-pool-support.h"

/* The fake helper never connects anywhere; the URL only has to be valid. */
#define FAKE_URL "http://127.0.0.1:9/api/v2/"

typedef struct {
  char *state_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *mode = data;

  fixture->state_dir = g_dir_make_tmp ("sg-fake-XXXXXX", NULL);
  g_assert_nonnull (fixture->state_dir);
  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FAKE_FETCHER_PATH, TRUE);
  g_setenv ("SG_FAKE_STATE_DIR", fixture->state_dir, TRUE);
  g_setenv ("SG_FAKE_MODE", mode, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *marker = g_build_filename (fixture->state_dir, "misbehaved", NULL);

  g_unlink (marker);
  g_rmdir (fixture->state_dir);
  g_free (fixture->state_dir);
}

static PoolRun *
new_fake_run (guint count,
              guint workers,
              guint in_flight)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, count, workers);

  options->in_flight = in_flight;
  return pool_run_new (options);
}

static PoolRun *
start_fake_run (guint count,
                guint workers,
                guint in_flight)
{
  PoolRun *run = new_fake_run (count, workers, in_flight);

  pool_run_start (run, FALSE);
  return run;
}

static void
assert_recovered (PoolRun *run)
{
  pool_run_wait (run, 60);
  g_assert_no_error (run->error);
  g_assert_true (run->ok);
  assert_each_done_once (run);
  assert_no_helper_left (run);
  /* the misbehaving helper died (and its tasks went elsewhere) */
  g_assert_cmpuint (run->n_deaths, >=, 1);
}

/* Modes after which the run must still end with every sprite done. */
static void
test_recovers (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (100, 3, 4);

  assert_recovered (run);
}

/* Modes that only a timeout ends. The pool's own limits (10 s for a hello,
 * 90 s for a task) are shortened to seconds, yet kept long enough that a
 * healthy helper on a loaded machine is never taken for a broken one (a
 * task's deadline also counts its helper's start-up). */
static void
test_recovers_by_timeout (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PoolRun) run = new_fake_run (100, 3, 4);
  SgPoolLimits limits = *sg_pool_get_limits (run->pool);

  limits.hello_timeout_ms = 3000;
  limits.task_deadline_ms = 4000;
  sg_pool_set_limits (run->pool, &limits);
  pool_run_start (run, FALSE);
  assert_recovered (run);
}

static void
test_all_ok (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (100, 4, 4);
  g_autoptr(JsonObject) report = NULL;
  JsonArray *workers;

  pool_run_wait (run, 30);
  g_assert_no_error (run->error);
  assert_each_done_once (run);
  assert_no_helper_left (run);
  g_assert_cmpuint (run->pids->len, ==, 4);

  /* Every result names a helper pid that the report lists. */
  report = sg_pool_build_report (run->pool);
  workers = json_object_get_array_member (report, "workers");
  g_assert_cmpuint (json_array_get_length (workers), ==, 4);
  for (guint i = 1; i <= 100; i++)
    {
      GPid pid = sg_sprite_get_worker_pid (pool_run_sprite (run, i));
      gboolean listed = FALSE;

      for (guint w = 0; w < json_array_get_length (workers); w++)
        if (json_object_get_int_member (json_array_get_object_element (workers, w), "pid") == pid)
          listed = TRUE;
      g_assert_true (listed);
    }
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "counts"),
                                               "done"), ==, 100);
}

static void
test_poison_task_fails (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (20, 2, 1);
  SgSprite *poison;

  pool_run_wait (run, 60);
  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_SOME_FAILED);

  poison = pool_run_sprite (run, 7);
  g_assert_cmpint (sg_sprite_get_state (poison), ==, SG_SPRITE_FAILED);
  g_assert_nonnull (strstr (sg_sprite_get_error (poison), "died"));
  for (guint i = 1; i <= 20; i++)
    if (i != 7)
      g_assert_cmpint (sg_sprite_get_state (pool_run_sprite (run, i)), ==, SG_SPRITE_DONE);
  g_assert_cmpuint (sg_pool_get_n_failed (run->pool), ==, 1);
  assert_no_helper_left (run);
}

/* Stop also ends the small run that a tile's Retry starts. */
static void
test_stop_ends_retry_run (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (5, 1, 1);
  SgSprite *poison;

  pool_run_wait (run, 60);
  poison = pool_run_sprite (run, 3);
  g_assert_cmpint (sg_sprite_get_state (poison), ==, SG_SPRITE_FAILED);

  g_setenv ("SG_FAKE_MODE", "hang", TRUE);
  g_array_set_size (run->pids, 0);
  sg_pool_retry_sprite (run->pool, poison);
  g_assert_true (sg_pool_get_running (run->pool));
  while (run->pids->len == 0)
    g_main_context_iteration (NULL, TRUE);

  sg_pool_stop (run->pool);
  while (sg_pool_get_running (run->pool))
    g_main_context_iteration (NULL, TRUE);
  assert_no_helper_left (run);
  g_assert_cmpint (sg_sprite_get_state (poison), ==, SG_SPRITE_PENDING);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Every helper always broken: the pool pauses instead of spinning. */
static void
test_always_broken_pauses (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (10, 2, 2);
  SgPoolLimits limits = *sg_pool_get_limits (run->pool);

  limits.death_burst = 3;
  /* Only the restart intensity is drilled here: keep the per-task limit
   * (tested by poison-task-fails-after-3-deaths) out of reach. */
  limits.max_deaths_per_task = 100;
  sg_pool_set_limits (run->pool, &limits);

  while (run->n_paused == 0 && !run->finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (run->n_paused, ==, 1);
  g_assert_true (sg_pool_get_paused (run->pool));
  g_assert_false (run->finished);

  g_idle_add (cancel_later, run->cancellable);
  pool_run_wait (run, 10);
  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED);
  assert_no_helper_left (run);
  /* Stopped, not failed: nothing was lost. */
  g_assert_cmpuint (sg_pool_get_n_failed (run->pool), ==, 0);
}

static void
test_stop_kills_helpers (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (100, 3, 2);
  guint done_before;

  while (sg_pool_get_n_done (run->pool) < 5)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (run->cancellable);
  pool_run_wait (run, 5);

  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED);
  assert_no_helper_left (run);
  done_before = sg_pool_get_n_done (run->pool);
  g_assert_cmpuint (done_before, <, 100);
  for (guint i = 1; i <= 100; i++)
    g_assert_cmpint (sg_sprite_get_state (pool_run_sprite (run, i)), !=, SG_SPRITE_FETCHING);

  /* A new run starts at once and completes. */
  g_setenv ("SG_FAKE_MODE", "ok", TRUE);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 30);
  g_assert_no_error (run->error);
  assert_each_done_once (run);
  assert_no_helper_left (run);
}

static void
test_kill_worker_requeues (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PoolRun) run = start_fake_run (100, 3, 2);
  guint kills = 0;

  while (!run->finished)
    {
      g_main_context_iteration (NULL, TRUE);
      if (kills < 3 && sg_pool_get_n_done (run->pool) >= 20 * (kills + 1) &&
          sg_pool_kill_worker (run->pool, kills % 3))
        kills++;
    }

  g_assert_no_error (run->error);
  assert_each_done_once (run);
  assert_no_helper_left (run);
  g_assert_cmpuint (kills, ==, 3);

  /* The timeline says who died and who finished each sprite. */
  {
    const GArray *events = sg_pool_get_events (run->pool);
    guint deaths = 0;

    for (guint i = 0; i < events->len; i++)
      {
        const SgPoolEvent *event = &g_array_index (events, SgPoolEvent, i);

        if (event->kind == SG_POOL_EVENT_WORKER_DIED)
          {
            g_assert_cmpint (event->pid, >, 0);
            g_assert_cmpint (event->worker_slot, >=, 0);
            deaths++;
          }
        if (event->kind == SG_POOL_EVENT_DONE)
          {
            g_assert_cmpint (event->pid, >, 0);
            g_assert_cmpint (event->worker_slot, >=, 0);
          }
      }
    g_assert_cmpuint (deaths, ==, 3);
  }
}

static void
test_spawn_failure (void)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 5, 2);
  g_autoptr(PoolRun) run = NULL;

  g_setenv ("SPRITE_GALLERY_FETCHER", "/nonexistent/sprite-gallery-fetcher", TRUE);
  run = pool_run_new (options);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 10);
  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_SPAWN);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n_changes)
{
  (*n_changes)++;
}

/* sg_pool_prepare() lays the range out before a run, so that a view builds
 * its tiles then; the run keeps those very sprites (no items-changed). */
static void
test_prepare_lays_out_range (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 12, 2);
  g_autoptr(PoolRun) run = NULL;
  g_autoptr(SgSprite) first = NULL;
  g_autoptr(SgSprite) after_run = NULL;
  GListModel *sprites;
  guint n_changes = 0;

  options->first = 5;
  run = pool_run_new (options);
  sprites = sg_pool_get_sprites (run->pool);
  g_assert_cmpuint (g_list_model_get_n_items (sprites), ==, 0);

  sg_pool_prepare (run->pool);
  g_assert_cmpuint (g_list_model_get_n_items (sprites), ==, 12);
  first = g_list_model_get_item (sprites, 0);
  g_assert_cmpuint (sg_sprite_get_id (first), ==, 5);
  g_assert_cmpint (sg_sprite_get_state (first), ==, SG_SPRITE_PENDING);

  g_signal_connect (sprites, "items-changed", G_CALLBACK (count_changes), &n_changes);
  /* Again: nothing to do. */
  sg_pool_prepare (run->pool);
  pool_run_start (run, FALSE);
  /* During a run: nothing either. */
  sg_pool_prepare (run->pool);
  pool_run_wait (run, 60);
  g_signal_handlers_disconnect_by_func (sprites, count_changes, &n_changes);

  g_assert_no_error (run->error);
  g_assert_true (run->ok);
  assert_each_done_once (run);
  g_assert_cmpuint (n_changes, ==, 0);
  after_run = g_list_model_get_item (sprites, 0);
  g_assert_true (after_run == first);
  g_assert_cmpint (sg_sprite_get_state (first), ==, SG_SPRITE_DONE);

  /* A model that holds the range keeps the last run's results. */
  sg_pool_prepare (run->pool);
  g_assert_cmpint (sg_sprite_get_state (first), ==, SG_SPRITE_DONE);
}

/* A run stopped before it began (a window closed before its first frame)
 * ends at once, spawns nothing, and leaves the pool ready for the next. */
static void
test_cancelled_before_start (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 10, 2);
  g_autoptr(PoolRun) run = pool_run_new (options);

  g_cancellable_cancel (run->cancellable);
  sg_pool_run_async (run->pool, FALSE, run->cancellable, pool_run_on_finished, run);
  pool_run_wait (run, 5);
  g_assert_false (run->ok);
  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED);
  g_assert_false (sg_pool_get_running (run->pool));
  g_assert_cmpuint (pool_test_n_started (run->pool), ==, 0);

  pool_run_start (run, FALSE);
  pool_run_wait (run, 30);
  g_assert_no_error (run->error);
  assert_each_done_once (run);
  assert_no_helper_left (run);
}

typedef struct {
  PoolRun *run;
  guint    n_busy;
  gboolean workers_seen;
} BusyLoop;

static gboolean
busy_at_redraw_priority (gpointer user_data)
{
  BusyLoop *busy = user_data;

  if (pool_test_n_started (busy->run->pool) > 0)
    busy->workers_seen = TRUE;
  /* 100 ms in all: the cache's thread is done long before. */
  g_usleep (2000);
  return ++busy->n_busy < 50 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The start of a run (after the cache is read: worker rows, spawning) is a
 * block of milliseconds that waits for a GUI's frames: while a source at
 * the redraw priority keeps the loop busy, nothing of it runs; then the run
 * starts and ends as usual. */
static void
test_start_yields_to_redraw (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 10, 2);
  g_autofree char *cache_dir = g_build_filename (fixture->state_dir, "cache", NULL);
  g_autoptr(PoolRun) run = NULL;
  BusyLoop busy = { 0, };

  options->no_cache = FALSE;
  options->cache_dir = g_strdup (cache_dir);
  run = pool_run_new (options);
  busy.run = run;

  pool_run_start (run, FALSE);
  /* GDK_PRIORITY_REDRAW, without depending on GDK. */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, busy_at_redraw_priority, &busy, NULL);
  while (busy.n_busy < 50)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (busy.workers_seen);

  pool_run_wait (run, 30);
  g_assert_no_error (run->error);
  assert_each_done_once (run);
  assert_no_helper_left (run);
  pool_test_remove_tree (cache_dir);
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *n_changes)
{
  (*n_changes)++;
}

static guint
tasks_done_by_workers (GListModel *workers)
{
  guint tasks = 0;

  for (guint i = 0; i < g_list_model_get_n_items (workers); i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (workers, i);

      tasks += sg_worker_get_tasks_done (worker);
    }
  return tasks;
}

/* The workers model holds the next run's processes before it starts and
 * keeps the same workers from run to run, each run counted afresh: a view
 * builds its rows once, not at every run. A new number of processes shows
 * at once, before the run that starts them. */
static void
test_workers_kept_across_runs (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 20, 2);
  g_autoptr(PoolRun) run = pool_run_new (options);
  GListModel *workers = sg_pool_get_workers (run->pool);
  g_autoptr(SgWorker) first = g_list_model_get_item (workers, 0);
  guint n_changes = 0;

  g_assert_cmpuint (g_list_model_get_n_items (workers), ==, 2);
  g_assert_cmpint (sg_worker_get_state (first), ==, SG_WORKER_NOT_STARTED);
  g_assert_cmpint (sg_worker_get_pid (first), ==, 0);
  g_signal_connect (workers, "items-changed", G_CALLBACK (count_items_changed), &n_changes);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SgWorker) now_first = NULL;
      g_autoptr(JsonObject) report = NULL;

      pool_run_start (run, FALSE);
      pool_run_wait (run, 30);
      g_assert_no_error (run->error);
      assert_each_done_once (run);
      now_first = g_list_model_get_item (workers, 0);
      g_assert_true (now_first == first);
      g_assert_cmpint (sg_worker_get_state (first), ==, SG_WORKER_STOPPED);
      g_assert_cmpuint (tasks_done_by_workers (workers), ==, 20);
      report = sg_pool_build_report (run->pool);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "workers")),
                        ==, 2);
    }
  g_assert_cmpuint (n_changes, ==, 0);

  options->workers = 3;
  sg_pool_set_options (run->pool, options);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (workers), ==, 3);
  g_assert_cmpuint (pool_test_n_started (run->pool), ==, 0);
  g_assert_cmpuint (tasks_done_by_workers (workers), ==, 0);
  g_signal_handlers_disconnect_by_func (workers, count_items_changed, &n_changes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, mode, func) \
  g_test_add ("/pool/fake/" path, Fixture, mode, fixture_set_up, func, fixture_tear_down)

  ADD ("all-ok", "ok", test_all_ok);
  ADD ("crash-requeues", "crash-after:1-once", test_recovers);
  ADD ("exit-requeues", "exit-after:1-once", test_recovers);
  ADD ("garbage-kills-and-requeues", "garbage-once", test_recovers);
  ADD ("truncated-frame-requeues", "truncate-once", test_recovers);
  ADD ("wrong-task-id-requeues", "wrong-id-once", test_recovers);
  ADD ("no-hello-requeues", "no-hello-once", test_recovers);
  ADD ("silent-helper-times-out", "silent-once", test_recovers_by_timeout);
  ADD ("hang-hits-deadline", "hang-once", test_recovers_by_timeout);
  ADD ("poison-task-fails-after-3-deaths", "crash-on-id:7", test_poison_task_fails);
  ADD ("stop-ends-retry-run", "crash-on-id:3", test_stop_ends_retry_run);
  ADD ("always-broken-pauses", "garbage", test_always_broken_pauses);
  ADD ("stop-kills-helpers", "slow:50", test_stop_kills_helpers);
  ADD ("kill-worker-requeues", "slow:20", test_kill_worker_requeues);
  ADD ("prepare-lays-out-range", "ok", test_prepare_lays_out_range);
  ADD ("cancelled-before-start", "ok", test_cancelled_before_start);
  ADD ("start-yields-to-redraw", "ok", test_start_yields_to_redraw);
  ADD ("workers-kept-across-runs", "ok", test_workers_kept_across_runs);
  g_test_add_func ("/pool/fake/spawn-failure", test_spawn_failure);

  return g_test_run ();
}
