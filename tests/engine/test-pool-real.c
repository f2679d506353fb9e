/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pool with the real helper against the mock PokeAPI: every result
 * exactly once from a helper pid, every strategy, HTTP faults, an
 * unreachable server, SIGKILLed helpers, and the cache.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sg-cache.h"
#include "sg-priority.h"
#include "sg-test-mock.h"
#include "test-pool-support.h"

typedef struct {
  GSubprocess *mock;
  char        *base_url;
  char        *cache_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const *args = data;
  g_autoptr(GError) error = NULL;

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);
  fixture->mock = sg_test_mock_spawn (args, &fixture->base_url, &error);
  g_assert_no_error (error);
  fixture->cache_dir = g_dir_make_tmp ("sg-cache-XXXXXX", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sg_test_mock_stop (fixture->mock);
  g_free (fixture->base_url);
  pool_test_remove_tree (fixture->cache_dir);
  g_free (fixture->cache_dir);
}

static void
assert_matches_server (Fixture *fixture,
                       PoolRun *run,
                       guint    id)
{
  g_autofree char *origin = g_strndup (fixture->base_url, strstr (fixture->base_url, "/api/") - fixture->base_url);
  g_autofree char *url = g_strdup_printf ("%s/sprites/pokemon/%u.png", origin, id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) served = sg_test_mock_http_get (url, &error);

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (served, sg_sprite_get_png (pool_run_sprite (run, id))));
}

static void
run_strategy (Fixture    *fixture,
              SgStrategy  strategy)
{
  g_autoptr(SgRunOptions) options = test_options (fixture->base_url, 100, 3);
  g_autoptr(PoolRun) run = NULL;

  options->strategy = strategy;
  run = pool_run_new (options);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 120);

  g_assert_no_error (run->error);
  assert_each_done_once (run);
  assert_no_helper_left (run);
  for (guint id = 1; id <= 100; id++)
    {
      SgSprite *sprite = pool_run_sprite (run, id);
      gboolean from_a_helper = FALSE;

      g_assert_nonnull (sg_sprite_get_name (sprite));
      for (guint i = 0; i < run->pids->len; i++)
        if (g_array_index (run->pids, GPid, i) == sg_sprite_get_worker_pid (sprite))
          from_a_helper = TRUE;
      g_assert_true (from_a_helper);
    }
  assert_matches_server (fixture, run, 1);
  assert_matches_server (fixture, run, 100);
  if (strategy == SG_STRATEGY_SEQUENTIAL)
    g_assert_cmpuint (run->pids->len, ==, 1);
  else
    g_assert_cmpuint (run->pids->len, ==, 3);
}

static void
test_queue (Fixture *fixture, gconstpointer data)
{
  run_strategy (fixture, SG_STRATEGY_QUEUE);
}

static void
test_chunks (Fixture *fixture, gconstpointer data)
{
  run_strategy (fixture, SG_STRATEGY_CHUNKS);
}

static void
test_sequential (Fixture *fixture, gconstpointer data)
{
  run_strategy (fixture, SG_STRATEGY_SEQUENTIAL);
}

static const char * const fault_args[] = {
  "--faults",
  "2=status:404,3=flaky:2,4=status:500,5=null-sprite,6=not-png,7=bad-json,8=file-sprite,"
  "9=redirect-file,10=truncate,11=oversize-png,13=status:429,17=hang",
  NULL
};

static void
assert_failed (PoolRun    *run,
               guint       id,
               const char *words)
{
  SgSprite *sprite = pool_run_sprite (run, id);

  g_assert_cmpint (sg_sprite_get_state (sprite), ==, SG_SPRITE_FAILED);
  if (strstr (sg_sprite_get_error (sprite), words) == NULL)
    g_error ("#%u: “%s” does not say “%s”", id, sg_sprite_get_error (sprite), words);
}

/* Runs @options to its end with retries 50 ms apart, at most @max_attempts
 * a sprite; the run fails some sprites and leaves no helper behind. */
static PoolRun *
run_with_quick_retries (const SgRunOptions *options,
                        const char * const *helper_args,
                        guint               max_attempts)
{
  PoolRun *run = pool_run_new (options);
  SgPoolLimits limits = *sg_pool_get_limits (run->pool);

  if (helper_args != NULL)
    sg_pool_set_helper_args (run->pool, helper_args);
  limits.retry_base_ms = 50;
  limits.max_attempts = max_attempts;
  sg_pool_set_limits (run->pool, &limits);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 120);

  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_SOME_FAILED);
  assert_no_helper_left (run);
  return run;
}

static void
test_http_faults (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (fixture->base_url, 16, 2);
  g_autoptr(PoolRun) run = run_with_quick_retries (options, NULL, 3);
  g_autoptr(JsonObject) report = NULL;

  assert_failed (run, 2, "no Pokémon number 2");
  g_assert_cmpuint (sg_sprite_get_attempts (pool_run_sprite (run, 2)), ==, 1);
  /* 503, 503, then fine: retried, honouring Retry-After */
  g_assert_cmpint (sg_sprite_get_state (pool_run_sprite (run, 3)), ==, SG_SPRITE_DONE);
  g_assert_cmpuint (sg_sprite_get_attempts (pool_run_sprite (run, 3)), ==, 3);
  assert_failed (run, 4, "HTTP 500");
  g_assert_cmpuint (sg_sprite_get_attempts (pool_run_sprite (run, 4)), ==, 3);
  assert_failed (run, 5, "no sprite");
  assert_failed (run, 6, "not a PNG");
  assert_failed (run, 7, "not valid");
  assert_failed (run, 8, "only http and https");
  assert_failed (run, 9, "only http and https");
  assert_failed (run, 10, "broke off");
  assert_failed (run, 11, "far more data");
  assert_failed (run, 13, "HTTP 429");
  g_assert_cmpint (sg_sprite_get_state (pool_run_sprite (run, 12)), ==, SG_SPRITE_DONE);
  for (guint id = 14; id <= 16; id++)
    g_assert_cmpint (sg_sprite_get_state (pool_run_sprite (run, id)), ==, SG_SPRITE_DONE);
  g_assert_cmpint (sg_sprite_get_state (pool_run_sprite (run, 1)), ==, SG_SPRITE_DONE);

  /* Every failure is in the report, with its words and attempts. */
  report = sg_pool_build_report (run->pool);
  {
    JsonArray *tasks = json_object_get_array_member (report, "tasks");
    JsonObject *task4 = json_array_get_object_element (tasks, 3);
    JsonObject *counts = json_object_get_object_member (report, "counts");

    g_assert_cmpstr (json_object_get_string_member (task4, "status"), ==, "failed");
    g_assert_nonnull (strstr (json_object_get_string_member (task4, "error"), "HTTP 500"));
    g_assert_cmpint (json_object_get_int_member (task4, "attempts"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, 10);
    g_assert_cmpint (json_object_get_int_member (counts, "retried"), >=, 2 + 2 + 2);
  }

  /* The tile's Retry: the fault is still there, so it fails again, once. */
  sg_pool_retry_sprite (run->pool, pool_run_sprite (run, 2));
  g_assert_true (sg_pool_get_running (run->pool));
  while (sg_pool_get_running (run->pool))
    g_main_context_iteration (NULL, TRUE);
  assert_failed (run, 2, "no Pokémon number 2");
}

/* A server that never answers: the helper gives up after its time limits
 * (shortened here to seconds), and the pool retries that as any timeout.
 * In a run of its own, so that no healthy transfer shares those limits:
 * on a loaded machine one could wait two seconds for its first byte. */
static void
test_http_hang (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (fixture->base_url, 1, 1);
  const char * const helper_args[] = { "--max-time", "3", "--low-speed-time", "2", NULL };
  g_autoptr(PoolRun) run = NULL;

  options->first = 17;
  run = run_with_quick_retries (options, helper_args, 2);
  assert_failed (run, 17, "too long");
  g_assert_cmpuint (sg_sprite_get_attempts (pool_run_sprite (run, 17)), ==, 2);
}

static void
test_unreachable (void)
{
  g_autoptr(SgRunOptions) options = test_options ("http://127.0.0.1:1/api/v2/", 20, 2);
  g_autoptr(PoolRun) run = NULL;

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);
  run = pool_run_new (options);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 30);

  g_assert_error (run->error, SG_POOL_ERROR, SG_POOL_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (run->error->message, "127.0.0.1:1"));
  /* One error for the run, not twenty red tiles. */
  g_assert_cmpuint (sg_pool_get_n_failed (run->pool), ==, 0);
  assert_no_helper_left (run);
}

static const char * const latency_args[] = { "--latency-ms", "30", NULL };

static void
test_sigkill_helpers (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (fixture->base_url, 100, 3);
  g_autoptr(PoolRun) run = NULL;
  guint kills = 0;

  /* A few transfers per process, so that four kills each hit a handful of
   * sprites; with every sprite in flight at once, a sprite caught in three
   * of them would fail by design (max_deaths_per_task). */
  options->in_flight = 4;
  run = pool_run_new (options);

  pool_run_start (run, FALSE);
  while (!run->finished)
    {
      g_main_context_iteration (NULL, TRUE);
      if (kills < 4 && sg_pool_get_n_done (run->pool) >= 15 * (kills + 1))
        {
          GListModel *workers = sg_pool_get_workers (run->pool);
          g_autoptr(SgWorker) worker = g_list_model_get_item (workers, kills % 3);

          /* A real SIGKILL from outside, as a teacher's "kill" would. */
          if (sg_worker_get_pid (worker) > 0 && kill (sg_worker_get_pid (worker), SIGKILL) == 0)
            kills++;
        }
    }

  g_assert_no_error (run->error);
  g_assert_cmpuint (kills, ==, 4);
  assert_each_done_once (run);
  assert_no_helper_left (run);
  g_assert_cmpuint (run->n_deaths, ==, 4);
}

/* Threads of this process at @niceness (Linux: /proc/self/task/TID/stat,
 * whose 19th field is the niceness). */
static guint
count_threads_at_niceness (int niceness)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint n = 0;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_comm;

      if (!g_file_get_contents (path, &stat, NULL, NULL) ||
          (after_comm = strrchr (stat, ')')) == NULL)
        continue;
      /* Fields 3 and on, after "pid (comm)": the niceness is the 17th. */
      fields = g_strsplit (after_comm + 2, " ", 0);
      if (g_strv_length (fields) > 16 && atoi (fields[16]) == niceness)
        n++;
    }
  return n;
}

static void
test_cache_warm_start (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = test_options (fixture->base_url, 30, 2);
  g_autoptr(PoolRun) cold = NULL;
  g_autoptr(PoolRun) warm = NULL;
  g_autoptr(PoolRun) repaired = NULL;
  g_autoptr(SgCache) cache = NULL;
  g_autofree char *corrupt = NULL;
  g_autofree char *cut_short = NULL;
  g_autofree char *png = NULL;
  gsize png_len = 0;

  options->no_cache = FALSE;
  options->cache_dir = g_strdup (fixture->cache_dir);

  cold = pool_run_new (options);
  pool_run_start (cold, FALSE);
  pool_run_wait (cold, 60);
  g_assert_no_error (cold->error);
  g_assert_false (sg_pool_get_all_from_cache (cold->pool));
#ifdef __linux__
  /* The cache was written by one thread of its own, below the main one
   * (unless the tests themselves run at the lowest priority there is). */
  {
    int own = getpriority (PRIO_PROCESS, 0);

    if (sg_niceness_below (own) > own)
      g_assert_cmpuint (count_threads_at_niceness (sg_niceness_below (own)), ==, 1);
  }
#endif

  /* Second launch: every tile from the cache, no helper spawned. */
  warm = pool_run_new (options);
  pool_run_start (warm, FALSE);
  pool_run_wait (warm, 30);
  g_assert_no_error (warm->error);
  assert_each_done_once (warm);
  g_assert_cmpuint (warm->pids->len, ==, 0);
  g_assert_cmpuint (sg_pool_get_n_from_cache (warm->pool), ==, 30);
  g_assert_true (sg_pool_get_all_from_cache (warm->pool));
  for (guint id = 1; id <= 30; id++)
    {
      g_assert_true (sg_sprite_get_from_cache (pool_run_sprite (warm, id)));
      g_assert_true (g_bytes_equal (sg_sprite_get_png (pool_run_sprite (warm, id)),
                                    sg_sprite_get_png (pool_run_sprite (cold, id))));
      g_assert_cmpstr (sg_sprite_get_name (pool_run_sprite (warm, id)), ==,
                       sg_sprite_get_name (pool_run_sprite (cold, id)));
    }

  /* A corrupt file is refetched, the rest still comes from the cache. So
   * is a PNG cut short, as a crash can leave it (new entries are written
   * without fsync): it starts right but has no IEND. */
  cache = sg_cache_new (fixture->cache_dir, fixture->base_url);
  corrupt = g_build_filename (sg_cache_get_path (cache), "7.png", NULL);
  g_assert_true (g_file_set_contents (corrupt, "not a png", -1, NULL));
  cut_short = g_build_filename (sg_cache_get_path (cache), "9.png", NULL);
  g_assert_true (g_file_get_contents (cut_short, &png, &png_len, NULL));
  g_assert_true (g_file_set_contents (cut_short, png, png_len - 12, NULL));
  repaired = pool_run_new (options);
  pool_run_start (repaired, FALSE);
  pool_run_wait (repaired, 60);
  g_assert_no_error (repaired->error);
  g_assert_false (sg_sprite_get_from_cache (pool_run_sprite (repaired, 7)));
  g_assert_false (sg_sprite_get_from_cache (pool_run_sprite (repaired, 9)));
  g_assert_true (g_bytes_equal (sg_sprite_get_png (pool_run_sprite (repaired, 9)),
                                sg_sprite_get_png (pool_run_sprite (cold, 9))));
  g_assert_true (sg_sprite_get_from_cache (pool_run_sprite (repaired, 8)));
  /* Two sprites to fetch: one helper each, no more. */
  g_assert_cmpuint (repaired->pids->len, ==, 2);
  g_assert_cmpuint (sg_pool_get_n_from_cache (repaired->pool), ==, 28);
  g_assert_false (sg_pool_get_all_from_cache (repaired->pool));

  /* Reload bypasses the cache. */
  pool_run_start (repaired, TRUE);
  pool_run_wait (repaired, 60);
  g_assert_no_error (repaired->error);
  for (guint id = 1; id <= 30; id++)
    g_assert_false (sg_sprite_get_from_cache (pool_run_sprite (repaired, id)));
}

int
main (int   argc,
      char *argv[])
{
  static const char * const no_args[] = { NULL };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) \
  g_test_add ("/pool/real/" path, Fixture, args, fixture_set_up, func, fixture_tear_down)

  ADD ("queue-100", no_args, test_queue);
  ADD ("chunks-100", no_args, test_chunks);
  ADD ("sequential-100", no_args, test_sequential);
  ADD ("http-faults", fault_args, test_http_faults);
  ADD ("http-hang", fault_args, test_http_hang);
  ADD ("sigkill-helpers-still-100", latency_args, test_sigkill_helpers);
  ADD ("cache-warm-start", no_args, test_cache_warm_start);
  g_test_add_func ("/pool/real/unreachable", test_unreachable);

  return g_test_run ();
}
