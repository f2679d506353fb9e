/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The timeline's data: the pool's events become one bar per attempt with
 * its phases, on transfer rows of its worker's lane; retries, deaths and
 * stops end bars the right way; helper lifetimes and the queue depth follow.
 * Synthetic events first, then a real pool driven by the fake helper.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sg-test-mock.h"
#include "sg-timeline-model.h"
#include "test-pool-support.h"
#include "viz-test-events.h"

#define FAKE_URL "http://127.0.0.1:9/api/v2/"

static const SgTimelineBar *
bar_of (SgTimelineModel *model,
        guint            id,
        guint            attempt)
{
  for (guint i = 0; i < sg_timeline_model_get_n_bars (model); i++)
    {
      const SgTimelineBar *bar = sg_timeline_model_get_bar (model, i);

      if (bar->sprite_id == id && bar->attempt == attempt)
        return bar;
    }
  g_error ("No attempt %u of sprite %u", attempt, id);
}

static void
test_phases (void)
{
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  const SgTimelineBar *bar;
  double t;
  guint depth;

  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 0, 100, 0);
  feed (model, 0, SG_POOL_EVENT_QUEUED, 0, 0, 1);
  feed (model, 0, SG_POOL_EVENT_QUEUED, 0, 0, 2);
  feed (model, 0, SG_POOL_EVENT_QUEUED, 0, 0, 3);
  /* Two transfers at once on one helper, the third after the first. */
  feed (model, 5, SG_POOL_EVENT_STARTED, 0, 100, 1);
  feed (model, 5, SG_POOL_EVENT_STARTED, 0, 100, 2);
  feed (model, 6, SG_POOL_EVENT_PHASE_JSON, 0, 100, 1);
  feed (model, 7, SG_POOL_EVENT_PHASE_JSON, 0, 100, 2);
  feed (model, 50, SG_POOL_EVENT_PHASE_PARSE, 0, 100, 1);
  feed (model, 60, SG_POOL_EVENT_PHASE_SPRITE, 0, 100, 1);
  feed (model, 80, SG_POOL_EVENT_DONE, -1, 0, 1);
  feed_attempt (model, 81, 0, 100, 3, SG_POOL_EVENT_DONE);
  feed (model, 90, SG_POOL_EVENT_PHASE_PARSE, 0, 100, 2);
  feed (model, 95, SG_POOL_EVENT_PHASE_SPRITE, 0, 100, 2);

  g_assert_true (sg_timeline_model_get_running (model));
  g_assert_cmpuint (sg_timeline_model_get_n_bars (model), ==, 3);
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (model), ==, 1);
  g_assert_cmpuint (sg_timeline_model_get_lane_rows (model, 0), ==, 2);

  bar = bar_of (model, 1, 1);
  g_assert_nonnull (bar);
  g_assert_cmpint (bar->slot, ==, 0);
  g_assert_cmpint (bar->pid, ==, 100);
  g_assert_cmpuint (bar->row, ==, 0);
  g_assert_cmpfloat (bar->queued_ms, ==, 0);
  g_assert_cmpfloat (bar->started_ms, ==, 5);
  g_assert_cmpfloat (bar->json_ms, ==, 6);
  g_assert_cmpfloat (bar->parse_ms, ==, 50);
  g_assert_cmpfloat (bar->sprite_ms, ==, 60);
  g_assert_cmpfloat (bar->end_ms, ==, 80);
  g_assert_cmpfloat (sg_timeline_bar_transfer_start (bar), ==, 6);
  g_assert_cmpint (bar->outcome, ==, SG_TIMELINE_OUTCOME_DONE);

  /* Still running: its end is "now". */
  bar = bar_of (model, 2, 1);
  g_assert_cmpuint (bar->row, ==, 1);
  g_assert_cmpint (bar->outcome, ==, SG_TIMELINE_OUTCOME_RUNNING);
  g_assert_cmpfloat (bar->end_ms, <, 0);
  g_assert_cmpfloat (sg_timeline_bar_end_or (bar, 99), ==, 99);

  /* The row task 1 freed is taken again. */
  bar = bar_of (model, 3, 1);
  g_assert_cmpuint (bar->row, ==, 0);
  g_assert_cmpfloat (bar->queued_ms, ==, 0);
  g_assert_cmpfloat (bar->started_ms, ==, 81);
  g_assert_true (sg_timeline_model_find_bar (model, 3) == bar);
  g_assert_null (sg_timeline_model_find_bar (model, 4));

  /* Three waited, then none. */
  g_assert_cmpuint (sg_timeline_model_get_max_queue_depth (model), ==, 3);
  sg_timeline_model_get_queue_point (model, 0, &t, &depth);
  g_assert_cmpfloat (t, ==, 0);
  g_assert_cmpuint (depth, ==, 3);
  sg_timeline_model_get_queue_point (model, sg_timeline_model_get_n_queue_points (model) - 1,
                                     &t, &depth);
  g_assert_cmpfloat (t, ==, 81);
  g_assert_cmpuint (depth, ==, 0);

  feed (model, 100, SG_POOL_EVENT_DONE, -1, 0, 2);
  sg_timeline_model_finish (model, 130);
  g_assert_false (sg_timeline_model_get_running (model));
  g_assert_cmpfloat (sg_timeline_model_get_now_ms (model), ==, 130);
  g_assert_cmpint (bar_of (model, 2, 1)->outcome, ==, SG_TIMELINE_OUTCOME_DONE);
  g_assert_cmpuint (sg_timeline_model_get_n_lives (model), ==, 1);
  g_assert_cmpfloat (sg_timeline_model_get_life (model, 0)->ended_ms, ==, 130);
  g_assert_cmpfloat (sg_timeline_model_get_life (model, 0)->died_ms, <, 0);
}

static void
test_retry (void)
{
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  const SgTimelineBar *first, *second;

  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 0, 100, 0);
  feed (model, 0, SG_POOL_EVENT_QUEUED, 0, 0, 7);
  feed_attempt (model, 10, 0, 100, 7, SG_POOL_EVENT_RETRY);
  /* The back-off, then the queue again. */
  feed (model, 300, SG_POOL_EVENT_QUEUED, 0, 0, 7);
  feed_attempt (model, 310, 0, 100, 7, SG_POOL_EVENT_DONE);

  g_assert_cmpuint (sg_timeline_model_get_n_bars (model), ==, 2);
  first = bar_of (model, 7, 1);
  second = bar_of (model, 7, 2);
  g_assert_cmpint (first->outcome, ==, SG_TIMELINE_OUTCOME_RETRY);
  g_assert_cmpfloat (first->end_ms, ==, 50);
  g_assert_cmpint (second->outcome, ==, SG_TIMELINE_OUTCOME_DONE);
  g_assert_cmpfloat (second->queued_ms, ==, 300);
  g_assert_cmpfloat (second->started_ms, ==, 310);
  g_assert_true (sg_timeline_model_find_bar (model, 7) == second);

  /* A retry that ends in failure. */
  feed (model, 400, SG_POOL_EVENT_QUEUED, 0, 0, 8);
  feed_attempt (model, 410, 0, 100, 8, SG_POOL_EVENT_FAILED);
  g_assert_cmpint (bar_of (model, 8, 1)->outcome, ==, SG_TIMELINE_OUTCOME_FAILED);
}

static void
test_death (void)
{
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  const SgTimelineLife *life;
  const SgTimelineBar *bar;

  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 0, 100, 0);
  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 1, 200, 0);
  for (guint id = 1; id <= 4; id++)
    feed (model, 0, SG_POOL_EVENT_QUEUED, 0, 0, id);
  feed (model, 5, SG_POOL_EVENT_STARTED, 0, 100, 1);
  feed (model, 5, SG_POOL_EVENT_PHASE_JSON, 0, 100, 1);
  feed (model, 5, SG_POOL_EVENT_STARTED, 0, 100, 2);
  feed (model, 5, SG_POOL_EVENT_PHASE_JSON, 0, 100, 2);
  /* Handed over, but waiting inside the helper: no transfer yet. */
  feed (model, 5, SG_POOL_EVENT_STARTED, 0, 100, 3);
  feed (model, 5, SG_POOL_EVENT_STARTED, 1, 200, 4);
  feed (model, 6, SG_POOL_EVENT_PHASE_JSON, 1, 200, 4);

  /* The pool no longer knows the dead helper's pid: the model does. */
  feed (model, 30, SG_POOL_EVENT_WORKER_DIED, 0, 0, 0);
  feed (model, 30, SG_POOL_EVENT_QUEUED, 0, 0, 1);
  feed (model, 30, SG_POOL_EVENT_QUEUED, 0, 0, 3);
  /* Task 2 had killed helpers too often: failed for good. */
  feed (model, 30, SG_POOL_EVENT_FAILED, -1, 0, 2);
  feed (model, 130, SG_POOL_EVENT_WORKER_SPAWNED, 0, 101, 0);
  feed_attempt (model, 135, 0, 101, 1, SG_POOL_EVENT_DONE);

  g_assert_cmpint (bar_of (model, 1, 1)->outcome, ==, SG_TIMELINE_OUTCOME_KILLED);
  g_assert_cmpfloat (bar_of (model, 1, 1)->end_ms, ==, 30);
  g_assert_cmpint (bar_of (model, 2, 1)->outcome, ==, SG_TIMELINE_OUTCOME_FAILED);
  bar = bar_of (model, 3, 1);
  g_assert_cmpint (bar->outcome, ==, SG_TIMELINE_OUTCOME_KILLED);
  g_assert_cmpuint (bar->row, ==, SG_TIMELINE_NO_ROW);
  /* The other helper's task is untouched. */
  g_assert_cmpint (bar_of (model, 4, 1)->outcome, ==, SG_TIMELINE_OUTCOME_RUNNING);

  bar = bar_of (model, 1, 2);
  g_assert_nonnull (bar);
  g_assert_cmpint (bar->pid, ==, 101);
  g_assert_cmpfloat (bar->queued_ms, ==, 30);
  g_assert_cmpuint (bar->row, ==, 0);
  g_assert_cmpint (bar->outcome, ==, SG_TIMELINE_OUTCOME_DONE);

  g_assert_cmpuint (sg_timeline_model_get_n_lives (model), ==, 3);
  life = sg_timeline_model_get_life (model, 0);
  g_assert_cmpint (life->pid, ==, 100);
  g_assert_cmpfloat (life->died_ms, ==, 30);
  g_assert_cmpfloat (life->ended_ms, ==, 30);
  life = sg_timeline_model_get_life (model, 2);
  g_assert_cmpint (life->slot, ==, 0);
  g_assert_cmpint (life->pid, ==, 101);
  g_assert_cmpfloat (life->spawned_ms, ==, 130);
  g_assert_cmpfloat (life->ended_ms, <, 0);

  /* Stop: what runs is stopped, what lives ends, the queue empties. */
  sg_timeline_model_finish (model, 200);
  g_assert_cmpint (bar_of (model, 4, 1)->outcome, ==, SG_TIMELINE_OUTCOME_STOPPED);
  g_assert_cmpfloat (bar_of (model, 4, 1)->end_ms, ==, 200);
  g_assert_cmpfloat (sg_timeline_model_get_life (model, 1)->ended_ms, ==, 200);
  g_assert_cmpfloat (sg_timeline_model_get_life (model, 1)->died_ms, <, 0);
  {
    guint depth = 1;

    sg_timeline_model_get_queue_point (model, sg_timeline_model_get_n_queue_points (model) - 1,
                                       NULL, &depth);
    g_assert_cmpuint (depth, ==, 0);
  }
}

static void
test_cached_and_no_phases (void)
{
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  const SgTimelineBar *bar;

  /* From the cache: no bar. */
  feed (model, 1, SG_POOL_EVENT_DONE, -1, 0, 1);
  feed (model, 1, SG_POOL_EVENT_DONE, -1, 0, 2);
  g_assert_cmpuint (sg_timeline_model_get_n_cached (model), ==, 2);
  g_assert_cmpuint (sg_timeline_model_get_n_bars (model), ==, 0);

  /* A helper that reports no phases still gets its bar on a row. */
  feed (model, 2, SG_POOL_EVENT_WORKER_SPAWNED, 0, 100, 0);
  feed (model, 2, SG_POOL_EVENT_QUEUED, 0, 0, 3);
  feed (model, 3, SG_POOL_EVENT_STARTED, 0, 100, 3);
  feed (model, 9, SG_POOL_EVENT_DONE, -1, 0, 3);
  bar = bar_of (model, 3, 1);
  g_assert_cmpuint (bar->row, ==, 0);
  g_assert_cmpfloat (sg_timeline_bar_transfer_start (bar), ==, 3);
  g_assert_cmpint (bar->outcome, ==, SG_TIMELINE_OUTCOME_DONE);

  sg_timeline_model_clear (model);
  g_assert_cmpuint (sg_timeline_model_get_n_bars (model), ==, 0);
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (model), ==, 0);
  g_assert_cmpuint (sg_timeline_model_get_n_cached (model), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* A real pool and the fake helper                                          */

static void
count_changes (SgTimelineModel *model,
               guint           *n)
{
  (*n)++;
}

static void
assert_run_complete (SgTimelineModel *model,
                     guint            count)
{
  g_autoptr(GHashTable) done = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) pids = g_hash_table_new (NULL, NULL);

  g_assert_false (sg_timeline_model_get_running (model));
  for (guint i = 0; i < sg_timeline_model_get_n_lives (model); i++)
    g_hash_table_add (pids, GINT_TO_POINTER (sg_timeline_model_get_life (model, i)->pid));

  for (guint i = 0; i < sg_timeline_model_get_n_bars (model); i++)
    {
      const SgTimelineBar *bar = sg_timeline_model_get_bar (model, i);

      g_assert_cmpfloat (bar->end_ms, >=, bar->started_ms);
      g_assert_cmpfloat (bar->started_ms, >=, bar->queued_ms);
      g_assert_true (g_hash_table_contains (pids, GINT_TO_POINTER (bar->pid)));
      g_assert_cmpint (bar->outcome, !=, SG_TIMELINE_OUTCOME_RUNNING);
      if (bar->outcome == SG_TIMELINE_OUTCOME_DONE)
        {
          g_assert_false (g_hash_table_contains (done, GUINT_TO_POINTER (bar->sprite_id)));
          g_assert_cmpuint (bar->row, !=, SG_TIMELINE_NO_ROW);
          g_assert_cmpfloat (bar->json_ms, >=, bar->started_ms);
          g_hash_table_add (done, GUINT_TO_POINTER (bar->sprite_id));
        }
    }
  g_assert_cmpuint (g_hash_table_size (done), ==, count);
}

typedef struct {
  SgPool *pool;
  gboolean killed;
} KillOnFirst;

/* The demo's "kill a worker": at the first sprite, while the helper of
 * slot 0 has transfers in flight. */
static void
kill_on_first_done (SgPool      *pool,
                    SgSprite    *sprite,
                    KillOnFirst *kill)
{
  if (!kill->killed)
    kill->killed = sg_pool_kill_worker (pool, 0);
}

static void
test_pool_with_deaths (void)
{
  const char *mock_args[] = { "--latency-ms", "40", NULL };
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) mock = sg_test_mock_spawn (mock_args, &base_url, &error);
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  g_autoptr(PoolRun) run = NULL;
  KillOnFirst kill = { NULL, FALSE };
  guint n_killed = 0, n_died = 0, n_changes = 0;

  g_assert_no_error (error);
  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);

  options = test_options (base_url, 24, 2);
  options->in_flight = 2;
  run = pool_run_new (options);
  sg_timeline_model_set_pool (model, run->pool);
  g_signal_connect (model, "changed", G_CALLBACK (count_changes), &n_changes);
  g_signal_connect (run->pool, "sprite-done", G_CALLBACK (kill_on_first_done), &kill);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 120);

  g_assert_true (run->ok);
  g_assert_true (kill.killed);
  g_assert_cmpuint (run->n_deaths, ==, 1);
  g_assert_cmpuint (n_changes, >, 0);
  assert_run_complete (model, 24);
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (model), ==, 2);
  /* Two helpers, and the one that replaced the killed one. */
  g_assert_cmpuint (sg_timeline_model_get_n_lives (model), ==, 3);

  for (guint i = 0; i < sg_timeline_model_get_n_lives (model); i++)
    if (sg_timeline_model_get_life (model, i)->died_ms >= 0)
      n_died++;
  g_assert_cmpuint (n_died, ==, 1);

  for (guint i = 0; i < sg_timeline_model_get_n_bars (model); i++)
    {
      const SgTimelineBar *bar = sg_timeline_model_get_bar (model, i);

      if (bar->outcome == SG_TIMELINE_OUTCOME_DONE)
        {
          /* The real helper reports every phase, in order. */
          g_assert_cmpfloat (bar->parse_ms, >=, bar->json_ms);
          g_assert_cmpfloat (bar->sprite_ms, >=, bar->parse_ms);
          g_assert_cmpfloat (bar->end_ms, >=, bar->sprite_ms);
          g_assert_cmpuint (bar->row, <, 2);
        }
      else if (bar->outcome == SG_TIMELINE_OUTCOME_KILLED)
        {
          const SgTimelineBar *last = sg_timeline_model_find_bar (model, bar->sprite_id);

          n_killed++;
          if (last == NULL)
            g_error ("Sprite %u has no last attempt", bar->sprite_id);
          /* Queued again and done by another process. */
          g_assert_cmpint (last->outcome, ==, SG_TIMELINE_OUTCOME_DONE);
          g_assert_cmpint (last->pid, !=, bar->pid);
          g_assert_cmpuint (last->attempt, >, bar->attempt);
          g_assert_cmpint (bar->slot, ==, 0);
        }
    }
  /* Killed with work in hand. */
  g_assert_cmpuint (n_killed, >=, 1);
  g_signal_handlers_disconnect_by_data (run->pool, &kill);

  /* A second run starts the model afresh: nobody dies this time. */
  pool_run_start (run, FALSE);
  pool_run_wait (run, 120);
  g_assert_true (run->ok);
  assert_run_complete (model, 24);
  g_assert_cmpuint (sg_timeline_model_get_n_bars (model), ==, 24);
  g_assert_cmpuint (sg_timeline_model_get_n_lives (model), ==, 2);

  /* Attached after the fact, a model replays the same run. */
  {
    g_autoptr(SgTimelineModel) replay = sg_timeline_model_new ();

    sg_timeline_model_set_pool (replay, run->pool);
    assert_run_complete (replay, 24);
    g_assert_cmpuint (sg_timeline_model_get_n_bars (replay), ==, 24);
    g_assert_cmpstr (sg_timeline_model_get_sprite_name (replay, 3), !=, NULL);
    sg_timeline_model_set_pool (replay, NULL);
  }

  sg_timeline_model_set_pool (model, NULL);
  g_signal_handlers_disconnect_by_data (model, &n_changes);
  sg_test_mock_stop (g_steal_pointer (&mock));
}

/* The fake helper crashes after its first result: the bar of the task it
 * had in hand is KILLED, the task requeued. */
static void
test_fake_crash (void)
{
  g_autofree char *state_dir = g_dir_make_tmp ("sg-viz-XXXXXX", NULL);
  g_autofree char *marker = g_build_filename (state_dir, "misbehaved", NULL);
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 6, 1);
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  g_autoptr(PoolRun) run = NULL;
  guint n_killed = 0;

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FAKE_FETCHER_PATH, TRUE);
  g_setenv ("SG_FAKE_STATE_DIR", state_dir, TRUE);
  g_setenv ("SG_FAKE_MODE", "crash-after:1-once", TRUE);

  options->in_flight = 3;
  run = pool_run_new (options);
  sg_timeline_model_set_pool (model, run->pool);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 60);

  g_assert_true (run->ok);
  g_assert_cmpuint (run->n_deaths, ==, 1);
  assert_run_complete (model, 6);
  /* One slot: the respawn is the only way to finish. */
  g_assert_cmpuint (sg_timeline_model_get_n_lives (model), ==, 2);
  g_assert_cmpfloat (sg_timeline_model_get_life (model, 0)->died_ms, >=, 0);
  g_assert_cmpfloat (sg_timeline_model_get_life (model, 1)->spawned_ms, >=,
                     sg_timeline_model_get_life (model, 0)->died_ms);
  for (guint i = 0; i < sg_timeline_model_get_n_bars (model); i++)
    if (sg_timeline_model_get_bar (model, i)->outcome == SG_TIMELINE_OUTCOME_KILLED)
      n_killed++;
  g_assert_cmpuint (n_killed, >=, 1);

  sg_timeline_model_set_pool (model, NULL);
  g_unlink (marker);
  g_rmdir (state_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/viz/timeline/phases", test_phases);
  g_test_add_func ("/viz/timeline/retry", test_retry);
  g_test_add_func ("/viz/timeline/death", test_death);
  g_test_add_func ("/viz/timeline/cached-and-no-phases", test_cached_and_no_phases);
  g_test_add_func ("/viz/timeline/fake-crash", test_fake_crash);
  g_test_add_func ("/viz/timeline/kill-a-worker", test_pool_with_deaths);

  return g_test_run ();
}
