/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run history: records made from the pool's report, the speed-up over
 * the sequential baseline (or the 1-process run), and the JSON file it
 * lives in — written atomically off the main thread, read back, and
 * survived when broken.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "sg-run-history.h"

/* A report shaped like sg_pool_build_report()'s. */
static JsonObject *
make_report (const char *strategy,
             guint       workers,
             guint       in_flight,
             double      wall_ms,
             guint       done,
             guint       failed,
             guint       from_cache)
{
  g_autofree char *text =
    g_strdup_printf ("{\"settings\":{\"base_url\":\"http://127.0.0.1:1/api/v2/\",\"first\":1,"
                     "\"count\":100,\"workers\":%u,\"in_flight\":%u,\"strategy\":\"%s\","
                     "\"no_cache\":true,\"cache_dir\":\"/tmp/x\",\"report\":null},"
                     "\"first_sprite_ms\":12.5,\"all_done_ms\":%g,"
                     "\"counts\":{\"done\":%u,\"failed\":%u,\"retried\":1,\"from_cache\":%u},"
                     "\"workers\":[{\"pid\":1,\"tasks\":50,\"bytes\":1,\"exit\":\"0\"},"
                     "{\"pid\":2,\"tasks\":50,\"bytes\":1,\"exit\":\"0\"}],\"tasks\":[]}",
                     workers, in_flight, strategy, wall_ms, done, failed, from_cache);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static SgRunRecord *
make_record (const char *strategy,
             guint       workers,
             guint       in_flight,
             double      wall_ms,
             guint       done)
{
  g_autoptr(JsonObject) report = make_report (strategy, workers, in_flight, wall_ms, done,
                                              100 - done, 0);

  return sg_run_record_new_from_report (report, NULL);
}

static void
add (SgRunHistory *history,
     SgRunRecord  *record)
{
  sg_run_history_add (history, record);
  g_object_unref (record);
}

static char *
temp_path (char **dir)
{
  *dir = g_dir_make_tmp ("sg-history-XXXXXX", NULL);
  g_assert_nonnull (*dir);
  return g_build_filename (*dir, "sub", "runs.json", NULL);
}

static void
remove_temp (const char *dir,
             const char *path)
{
  g_autofree char *sub = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
on_async (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
flush (SgRunHistory *history)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sg_run_history_flush_async (history, NULL, on_async, &result);
  g_assert_true (sg_run_history_flush_finish (history, wait_for (&result), &error));
  g_assert_no_error (error);
}

static gboolean
load (SgRunHistory  *history,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sg_run_history_load_async (history, NULL, on_async, &result);
  return sg_run_history_load_finish (history, wait_for (&result), error);
}

/* ------------------------------------------------------------------------ */

static void
test_record_from_report (void)
{
  g_autoptr(JsonObject) report = make_report ("queue", 4, 8, 1234.5, 100, 0, 0);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 24, 10, 0, 0);
  g_autoptr(SgRunRecord) record = sg_run_record_new_from_report (report, when);
  g_autoptr(SgRunRecord) sequential = make_record ("sequential", 8, 8, 9000, 100);
  g_autoptr(SgRunRecord) failed = make_record ("queue", 4, 8, 800, 97);
  g_autoptr(JsonObject) cached_report = make_report ("queue", 4, 8, 50, 100, 0, 100);
  g_autoptr(SgRunRecord) cached = sg_run_record_new_from_report (cached_report, NULL);
  g_autofree char *description = sg_run_record_describe (record);

  g_assert_cmpstr (sg_run_record_get_strategy (record), ==, "queue");
  g_assert_cmpstr (sg_run_record_get_base_url (record), ==, "http://127.0.0.1:1/api/v2/");
  g_assert_cmpuint (sg_run_record_get_first (record), ==, 1);
  g_assert_cmpuint (sg_run_record_get_count (record), ==, 100);
  g_assert_cmpuint (sg_run_record_get_processes (record), ==, 4);
  g_assert_cmpuint (sg_run_record_get_in_flight (record), ==, 8);
  g_assert_cmpuint (sg_run_record_get_spawned (record), ==, 2);
  g_assert_cmpfloat (sg_run_record_get_wall_ms (record), ==, 1234.5);
  g_assert_cmpfloat (sg_run_record_get_first_sprite_ms (record), ==, 12.5);
  g_assert_cmpuint (sg_run_record_get_done (record), ==, 100);
  g_assert_cmpuint (sg_run_record_get_retried (record), ==, 1);
  g_assert_true (sg_run_record_get_when (record) == when);
  g_assert_true (sg_run_record_is_comparable (record));
  g_assert_false (sg_run_record_is_sequential (record));
  g_assert_nonnull (strstr (description, "4 processes"));

  /* Sequential is one process and one transfer, whatever was asked. */
  g_assert_true (sg_run_record_is_sequential (sequential));
  g_assert_cmpuint (sg_run_record_get_processes (sequential), ==, 1);
  g_assert_cmpuint (sg_run_record_get_in_flight (sequential), ==, 1);

  /* Failures and cache hits make a run unfair to compare. */
  g_assert_false (sg_run_record_is_comparable (failed));
  g_assert_false (sg_run_record_is_comparable (cached));

  /* Round trip through the file format. */
  {
    g_autoptr(JsonNode) node = sg_run_record_to_json (record);
    g_autoptr(GError) error = NULL;
    g_autoptr(SgRunRecord) back = sg_run_record_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sg_run_record_get_strategy (back), ==, "queue");
    g_assert_cmpuint (sg_run_record_get_processes (back), ==, 4);
    g_assert_cmpfloat (sg_run_record_get_wall_ms (back), ==, 1234.5);
    g_assert_true (g_date_time_equal (sg_run_record_get_when (back), when));
  }

  /* A report missing its members is not a crash. */
  {
    g_autoptr(JsonObject) empty = json_object_new ();
    g_autoptr(SgRunRecord) odd = sg_run_record_new_from_report (empty, NULL);

    g_assert_false (sg_run_record_is_comparable (odd));
  }
}

static void
test_speedup (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  g_autoptr(SgSpeedup) speedup = NULL;
  static const guint expected_processes[] = { 1, 2, 4 };
  static const double expected_speedup[] = { 2.5, 5, 10 };

  /* Oldest first; the history keeps the newest in front. */
  add (history, make_record ("queue", 2, 4, 3000, 100));     /* superseded */
  add (history, make_record ("sequential", 1, 1, 10000, 100));
  add (history, make_record ("queue", 1, 4, 4000, 100));
  add (history, make_record ("queue", 2, 4, 2000, 100));
  add (history, make_record ("chunks", 4, 4, 1500, 100));    /* another series */
  add (history, make_record ("queue", 4, 8, 900, 100));      /* other transfers */
  add (history, make_record ("queue", 8, 4, 500, 90));       /* failures */
  add (history, make_record ("queue", 4, 4, 1000, 100));

  speedup = sg_run_history_compute_speedup (history);

  g_assert_nonnull (speedup->baseline);
  g_assert_true (speedup->baseline_is_sequential);
  g_assert_cmpfloat (sg_run_record_get_wall_ms (speedup->baseline), ==, 10000);
  g_assert_cmpstr (speedup->strategy, ==, "queue");
  g_assert_cmpuint (speedup->in_flight, ==, 4);
  g_assert_cmpuint (speedup->points->len, ==, G_N_ELEMENTS (expected_processes));
  for (guint i = 0; i < speedup->points->len; i++)
    {
      const SgSpeedupPoint *point = &g_array_index (speedup->points, SgSpeedupPoint, i);

      g_assert_cmpuint (point->processes, ==, expected_processes[i]);
      g_assert_cmpfloat_with_epsilon (point->speedup, expected_speedup[i], 1e-9);
      g_assert_cmpfloat (point->wall_ms, ==, sg_run_record_get_wall_ms (point->record));
    }

  flush (history);
  remove_temp (dir, path);
}

static void
test_speedup_without_sequential (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  g_autoptr(SgSpeedup) empty = NULL;
  g_autoptr(SgSpeedup) speedup = NULL;
  g_autoptr(SgSpeedup) alone = NULL;
  const SgSpeedupPoint *point;

  empty = sg_run_history_compute_speedup (history);
  g_assert_null (empty->baseline);
  g_assert_cmpuint (empty->points->len, ==, 0);

  add (history, make_record ("chunks", 2, 4, 3000, 100));
  /* Only a 2-process run: wall times, but no speed-up yet. */
  alone = sg_run_history_compute_speedup (history);
  g_assert_null (alone->baseline);
  g_assert_cmpuint (alone->points->len, ==, 1);
  g_assert_true (isnan (g_array_index (alone->points, SgSpeedupPoint, 0).speedup));

  /* The 1-process run of the series is the baseline. */
  add (history, make_record ("chunks", 1, 4, 6000, 100));
  speedup = sg_run_history_compute_speedup (history);
  g_assert_nonnull (speedup->baseline);
  g_assert_false (speedup->baseline_is_sequential);
  g_assert_cmpuint (speedup->points->len, ==, 2);
  point = &g_array_index (speedup->points, SgSpeedupPoint, 0);
  g_assert_cmpfloat (point->speedup, ==, 1);
  point = &g_array_index (speedup->points, SgSpeedupPoint, 1);
  g_assert_cmpfloat (point->speedup, ==, 2);

  flush (history);
  remove_temp (dir, path);
}

static void
test_persist (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  g_autoptr(SgRunHistory) again = sg_run_history_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgRunRecord) first = NULL;
  g_autofree char *text = NULL;

  /* No file yet: an empty history. */
  g_assert_true (load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  add (history, make_record ("sequential", 1, 1, 9000, 100));
  add (history, make_record ("queue", 2, 4, 2000, 100));
  add (history, make_record ("queue", 4, 4, 1000, 100));
  flush (history);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"version\""));

  /* A run added before the file is read stays in front, and is written
   * only once the file's runs are merged. */
  add (again, make_record ("chunks", 8, 2, 700, 100));
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);
  first = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (sg_run_record_get_strategy (first), ==, "chunks");
  {
    g_autoptr(SgRunRecord) newest = g_list_model_get_item (G_LIST_MODEL (again), 1);
    g_autoptr(SgRunRecord) oldest = g_list_model_get_item (G_LIST_MODEL (again), 3);

    g_assert_cmpuint (sg_run_record_get_processes (newest), ==, 4);
    g_assert_true (sg_run_record_is_sequential (oldest));
  }
  flush (again);
  {
    /* Nothing on disk was lost to the early run. */
    g_autoptr(SgRunHistory) reread = sg_run_history_new (path);

    g_assert_true (load (reread, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reread)), ==, 4);
  }

  sg_run_history_clear (again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
  flush (again);
  {
    g_autoptr(SgRunHistory) cleared = sg_run_history_new (path);

    g_assert_true (load (cleared, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cleared)), ==, 0);
  }

  remove_temp (dir, path);
}

static void
test_broken_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  g_autoptr(SgRunHistory) mixed = sg_run_history_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgRunRecord) good = make_record ("queue", 2, 4, 2000, 100);
  g_autoptr(JsonNode) good_node = sg_run_record_to_json (good);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *good_text = NULL;
  g_autofree char *mixed_text = NULL;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "{ not json", -1, NULL));

  g_assert_false (load (history, &error));
  g_assert_error (error, SG_RUN_HISTORY_ERROR, SG_RUN_HISTORY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  /* A JSON file that is not a history. */
  g_assert_true (g_file_set_contents (path, "[1, 2, 3]", -1, NULL));
  g_assert_false (load (history, &error));
  g_assert_error (error, SG_RUN_HISTORY_ERROR, SG_RUN_HISTORY_ERROR_INVALID);
  g_clear_error (&error);

  /* One bad entry does not cost the good ones. */
  json_generator_set_root (generator, good_node);
  good_text = json_generator_to_data (generator, NULL);
  mixed_text = g_strdup_printf ("{\"version\":1,\"runs\":[%s,{\"strategy\":\"warp\"},42]}",
                                good_text);
  g_assert_true (g_file_set_contents (path, mixed_text, -1, NULL));
  g_assert_true (load (mixed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mixed)), ==, 1);

  /* The next save replaces the broken file with a good one. */
  add (history, make_record ("queue", 4, 4, 1000, 100));
  flush (history);
  {
    g_autoptr(SgRunHistory) reread = sg_run_history_new (path);

    g_assert_true (load (reread, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reread)), ==, 1);
  }

  remove_temp (dir, path);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_signals)
{
  (*n_signals)++;
}

static void
test_cap (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  g_autoptr(SgRunRecord) newest = NULL;
  guint n_signals = 0;

  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), &n_signals);
  for (guint i = 0; i < SG_RUN_HISTORY_MAX + 5; i++)
    add (history, make_record ("queue", 1 + i % 8, 4, 1000 + i, 100));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, SG_RUN_HISTORY_MAX);
  g_assert_cmpuint (n_signals, ==, SG_RUN_HISTORY_MAX + 5);
  newest = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpfloat (sg_run_record_get_wall_ms (newest), ==, 1000 + SG_RUN_HISTORY_MAX + 4);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), SG_RUN_HISTORY_MAX));

  flush (history);
  g_signal_handlers_disconnect_by_data (history, &n_signals);
  remove_temp (dir, path);
}

static void
test_save_error (void)
{
  /* Below a file that is not a folder: cannot be created, even by root. */
  g_autoptr(SgRunHistory) history = sg_run_history_new ("/dev/null/sprite-gallery/runs.json");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Unreadable as well: an error, after which writes go (and fail). */
  g_assert_false (load (history, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_test_expect_message ("sg-run-history", G_LOG_LEVEL_WARNING, "Cannot save the run history*");
  add (history, make_record ("queue", 2, 4, 2000, 100));
  sg_run_history_flush_async (history, NULL, on_async, &result);
  g_assert_false (sg_run_history_flush_finish (history, wait_for (&result), &error));
  g_assert_nonnull (error);
  g_test_assert_expected_messages ();
  /* The run is still there to look at. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/viz/history/record-from-report", test_record_from_report);
  g_test_add_func ("/viz/history/speedup", test_speedup);
  g_test_add_func ("/viz/history/speedup-without-sequential", test_speedup_without_sequential);
  g_test_add_func ("/viz/history/persist", test_persist);
  g_test_add_func ("/viz/history/broken-file", test_broken_file);
  g_test_add_func ("/viz/history/cap", test_cap);
  g_test_add_func ("/viz/history/save-error", test_save_error);

  return g_test_run ();
}
