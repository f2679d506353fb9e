/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Chrome trace export: valid JSON of the Trace Event Format (what
 * chrome://tracing and Perfetto read), one "X" event per phase per attempt
 * with pid = the helper's pid, named processes, deaths and respawns as
 * instant events, and no two events overlapping on one track.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sg-trace.h"
#include "test-pool-support.h"
#include "viz-test-events.h"

#define POOL_PID 42
#define FAKE_URL "http://127.0.0.1:9/api/v2/"

typedef struct {
  gint64 ts;
  gint64 dur;
} Span;

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *sa = a, *sb = b;

  return (sa->ts > sb->ts) - (sa->ts < sb->ts);
}

/* Checks every event's shape; returns the phase events counted by
 * "id/attempt/phase", and the names of processes and instants. */
static GHashTable *
validate_trace (GBytes     *bytes,
                GHashTable *process_names,
                GHashTable *instants)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tracks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  GHashTable *phases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *root;
  JsonArray *events;
  GHashTableIter iter;
  gpointer value;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "displayTimeUnit"), ==, "ms");
  events = json_object_get_array_member (root, "traceEvents");
  g_assert_nonnull (events);
  g_assert_cmpuint (json_array_get_length (events), >, 0);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      const char *name = json_object_get_string_member (event, "name");
      gint64 pid = json_object_get_int_member (event, "pid");
      gint64 tid = json_object_get_int_member (event, "tid");

      g_assert_nonnull (name);
      g_assert_cmpint (pid, >, 0);
      g_assert_cmpint (tid, >=, 0);

      if (g_str_equal (ph, "M"))
        {
          JsonObject *args = json_object_get_object_member (event, "args");

          g_assert_nonnull (args);
          if (g_str_equal (name, "process_name"))
            g_hash_table_insert (process_names, GINT_TO_POINTER ((int) pid),
                                 g_strdup (json_object_get_string_member (args, "name")));
          continue;
        }

      g_assert_true (json_object_has_member (event, "cat"));
      g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, 0);

      if (g_str_equal (ph, "i"))
        {
          g_assert_cmpstr (json_object_get_string_member (event, "s"), ==, "p");
          g_hash_table_add (instants, g_strdup_printf ("%s %d", name, (int) pid));
          continue;
        }

      g_assert_cmpstr (ph, ==, "X");
      {
        Span span = {
          json_object_get_int_member (event, "ts"),
          json_object_get_int_member (event, "dur"),
        };
        g_autofree char *track = g_strdup_printf ("%d/%d", (int) pid, (int) tid);
        GArray *spans = g_hash_table_lookup (tracks, track);

        g_assert_cmpint (span.dur, >=, 0);
        if (spans == NULL)
          {
            spans = g_array_new (FALSE, FALSE, sizeof (Span));
            g_hash_table_insert (tracks, g_steal_pointer (&track), spans);
          }
        g_array_append_val (spans, span);
      }

      if (g_str_equal (json_object_get_string_member (event, "cat"), "task"))
        {
          JsonObject *args = json_object_get_object_member (event, "args");
          g_autofree char *key = NULL;
          guint n;

          g_assert_nonnull (args);
          g_assert_true (json_object_has_member (args, "name"));
          key = g_strdup_printf ("%d/%d/%s",
                                 (int) json_object_get_int_member (args, "id"),
                                 (int) json_object_get_int_member (args, "attempt"), name);
          n = GPOINTER_TO_UINT (g_hash_table_lookup (phases, key));
          g_hash_table_insert (phases, g_steal_pointer (&key), GUINT_TO_POINTER (n + 1));

          /* Waiting is the pool's; the work is the helper's. */
          if (g_str_equal (name, "queue wait"))
            {
              g_assert_cmpint (tid, ==, json_object_get_int_member (args, "id"));
            }
          else
            {
              g_assert_cmpint (pid, ==, json_object_get_int_member (args, "worker_pid"));
              g_assert_cmpint (tid, >=, 1);
            }
        }
    }

  /* The tools nest events on a track: ours never overlap. */
  g_hash_table_iter_init (&iter, tracks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *spans = value;

      g_array_sort (spans, compare_spans);
      for (guint i = 1; i < spans->len; i++)
        {
          const Span *prev = &g_array_index (spans, Span, i - 1);
          const Span *next = &g_array_index (spans, Span, i);

          g_assert_cmpint (next->ts, >=, prev->ts + prev->dur);
        }
    }

  return phases;
}

static guint
count_of (GHashTable *phases,
          guint       id,
          guint       attempt,
          const char *phase)
{
  g_autofree char *key = g_strdup_printf ("%u/%u/%s", id, attempt, phase);

  return GPOINTER_TO_UINT (g_hash_table_lookup (phases, key));
}

static void
test_synthetic (void)
{
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) instants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) phases = NULL;
  g_autoptr(GBytes) bytes = NULL;
  static const char * const all[] = { "queue wait", "json transfer", "parse", "sprite transfer" };

  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 0, 100, 0);
  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 1, 200, 0);
  for (guint id = 1; id <= 3; id++)
    feed (model, 0, SG_POOL_EVENT_QUEUED, 0, 0, id);
  feed_attempt (model, 2, 0, 100, 1, SG_POOL_EVENT_DONE);
  feed_attempt (model, 2, 1, 200, 2, SG_POOL_EVENT_RETRY);
  feed (model, 100, SG_POOL_EVENT_QUEUED, 1, 0, 2);
  feed_attempt (model, 101, 1, 200, 2, SG_POOL_EVENT_DONE);
  /* Task 3 is killed during its JSON transfer, then done by a new helper. */
  feed (model, 50, SG_POOL_EVENT_STARTED, 0, 100, 3);
  feed (model, 51, SG_POOL_EVENT_PHASE_JSON, 0, 100, 3);
  feed (model, 60, SG_POOL_EVENT_WORKER_DIED, 0, 0, 0);
  feed (model, 60, SG_POOL_EVENT_QUEUED, 0, 0, 3);
  feed (model, 160, SG_POOL_EVENT_WORKER_SPAWNED, 0, 101, 0);
  feed_attempt (model, 165, 0, 101, 3, SG_POOL_EVENT_DONE);
  sg_timeline_model_finish (model, 300);

  bytes = sg_trace_build_bytes (model, POOL_PID);
  phases = validate_trace (bytes, names, instants);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_cmpuint (count_of (phases, 1, 1, all[i]), ==, 1);
      g_assert_cmpuint (count_of (phases, 2, 1, all[i]), ==, 1);
      g_assert_cmpuint (count_of (phases, 2, 2, all[i]), ==, 1);
      g_assert_cmpuint (count_of (phases, 3, 2, all[i]), ==, 1);
    }
  /* Killed in its JSON transfer: those two phases only. */
  g_assert_cmpuint (count_of (phases, 3, 1, "queue wait"), ==, 1);
  g_assert_cmpuint (count_of (phases, 3, 1, "json transfer"), ==, 1);
  g_assert_cmpuint (count_of (phases, 3, 1, "parse"), ==, 0);
  g_assert_cmpuint (g_hash_table_size (phases), ==, 4 * 4 + 2);

  g_assert_cmpstr (g_hash_table_lookup (names, GINT_TO_POINTER (100)), ==, "helper 100");
  g_assert_cmpstr (g_hash_table_lookup (names, GINT_TO_POINTER (101)), ==, "helper 101");
  g_assert_cmpstr (g_hash_table_lookup (names, GINT_TO_POINTER (200)), ==, "helper 200");
  g_assert_nonnull (g_hash_table_lookup (names, GINT_TO_POINTER (POOL_PID)));

  g_assert_true (g_hash_table_contains (instants, "spawned 100"));
  g_assert_true (g_hash_table_contains (instants, "spawned 200"));
  g_assert_true (g_hash_table_contains (instants, "died 100"));
  g_assert_true (g_hash_table_contains (instants, "respawned 101"));
  g_assert_false (g_hash_table_contains (instants, "died 200"));
}

static void
test_empty (void)
{
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) instants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) bytes = sg_trace_build_bytes (model, 0);
  g_autoptr(GHashTable) phases = validate_trace (bytes, names, instants);

  g_assert_cmpuint (g_hash_table_size (phases), ==, 0);
  /* 0: this process, the pool's. */
  g_assert_nonnull (g_hash_table_lookup (names, GINT_TO_POINTER ((int) getpid ())));
}

static void
test_pool_run (void)
{
  g_autoptr(SgRunOptions) options = test_options (FAKE_URL, 12, 3);
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) instants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) phases = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PoolRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *events;
  guint n_named = 0;

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FAKE_FETCHER_PATH, TRUE);
  g_setenv ("SG_FAKE_MODE", "ok", TRUE);

  run = pool_run_new (options);
  sg_timeline_model_set_pool (model, run->pool);
  pool_run_start (run, FALSE);
  pool_run_wait (run, 60);
  g_assert_true (run->ok);

  bytes = sg_trace_build_bytes (model, 0);
  phases = validate_trace (bytes, names, instants);
  /* The fake helper reports the JSON phase only. */
  for (guint id = 1; id <= 12; id++)
    {
      g_assert_cmpuint (count_of (phases, id, 1, "queue wait"), ==, 1);
      g_assert_cmpuint (count_of (phases, id, 1, "json transfer"), ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (names), ==, 3 + 1);

  /* The sprites' names travel in the args. */
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *args = json_object_has_member (event, "args")
                         ? json_object_get_object_member (event, "args") : NULL;

      if (g_str_equal (json_object_get_string_member (event, "ph"), "X") && args != NULL &&
          json_object_has_member (args, "id"))
        {
          g_autofree char *expected =
            g_strdup_printf ("fake%d", (int) json_object_get_int_member (args, "id"));

          g_assert_cmpstr (json_object_get_string_member (args, "name"), ==, expected);
          n_named++;
        }
    }
  g_assert_cmpuint (n_named, ==, 24);

  sg_timeline_model_set_pool (model, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/viz/trace/synthetic", test_synthetic);
  g_test_add_func ("/viz/trace/empty", test_empty);
  g_test_add_func ("/viz/trace/pool-run", test_pool_run);

  return g_test_run ();
}
