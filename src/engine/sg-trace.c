/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-trace"

#include "config.h"

#include <math.h>
#include <unistd.h>

#include "sg-trace.h"

/* Trace Event Format timestamps are microseconds. */
static gint64
to_us (double ms)
{
  return (gint64) llround (ms * 1000.0);
}

static void
add_metadata (JsonBuilder *builder,
              const char  *what,
              GPid         pid,
              gint64       tid,
              const char  *key,
              const char  *string_value,
              gint64       int_value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, what);
  json_builder_set_member_name (builder, "ph");
  json_builder_add_string_value (builder, "M");
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  json_builder_set_member_name (builder, "tid");
  json_builder_add_int_value (builder, tid);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, key);
  if (string_value != NULL)
    json_builder_add_string_value (builder, string_value);
  else
    json_builder_add_int_value (builder, int_value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
begin_event (JsonBuilder *builder,
             const char  *name,
             const char  *category,
             const char  *phase,
             GPid         pid,
             gint64       tid,
             double       time_ms)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "cat");
  json_builder_add_string_value (builder, category);
  json_builder_set_member_name (builder, "ph");
  json_builder_add_string_value (builder, phase);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  json_builder_set_member_name (builder, "tid");
  json_builder_add_int_value (builder, tid);
  json_builder_set_member_name (builder, "ts");
  json_builder_add_int_value (builder, to_us (time_ms));
}

/* One phase of one attempt. Zero-length phases are kept: "one event per
 * phase" holds, and the tools show them as slivers. */
static void
add_phase (JsonBuilder         *builder,
           SgTimelineModel     *model,
           const SgTimelineBar *bar,
           const char          *phase_name,
           GPid                 pid,
           gint64               tid,
           double               from_ms,
           double               to_ms)
{
  const char *sprite_name = sg_timeline_model_get_sprite_name (model, bar->sprite_id);

  begin_event (builder, phase_name, "task", "X", pid, tid, from_ms);
  json_builder_set_member_name (builder, "dur");
  json_builder_add_int_value (builder, MAX (0, to_us (to_ms) - to_us (from_ms)));
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, bar->sprite_id);
  json_builder_set_member_name (builder, "name");
  if (sprite_name != NULL)
    json_builder_add_string_value (builder, sprite_name);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "attempt");
  json_builder_add_int_value (builder, bar->attempt);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, sg_timeline_outcome_to_string (bar->outcome));
  json_builder_set_member_name (builder, "worker_pid");
  json_builder_add_int_value (builder, bar->pid);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_bar (JsonBuilder         *builder,
         SgTimelineModel     *model,
         const SgTimelineBar *bar,
         GPid                 pool_pid,
         double               now_ms)
{
  double start = sg_timeline_bar_transfer_start (bar);
  double end = sg_timeline_bar_end_or (bar, now_ms);
  gint64 tid = (gint64) bar->row + 1;

  /* Waiting happens in the pool (and, for "chunks", in the helper's own
   * backlog) before the transfer begins: on the pool's process, one
   * thread per sprite so that overlapping waits never share a track. */
  if (bar->row == SG_TIMELINE_NO_ROW)
    {
      add_phase (builder, model, bar, "queue wait", pool_pid, bar->sprite_id, bar->queued_ms, end);
      return;
    }
  add_phase (builder, model, bar, "queue wait", pool_pid, bar->sprite_id, bar->queued_ms, start);

  if (bar->json_ms < 0)
    {
      /* The helper reported no phases: one event for the whole task. */
      add_phase (builder, model, bar, "task", bar->pid, tid, start, end);
      return;
    }

  add_phase (builder, model, bar, "json transfer", bar->pid, tid, bar->json_ms,
             bar->parse_ms >= 0 ? bar->parse_ms : end);
  if (bar->parse_ms >= 0)
    add_phase (builder, model, bar, "parse", bar->pid, tid, bar->parse_ms,
               bar->sprite_ms >= 0 ? bar->sprite_ms : end);
  if (bar->sprite_ms >= 0)
    add_phase (builder, model, bar, "sprite transfer", bar->pid, tid, bar->sprite_ms, end);
}

static void
add_lives (JsonBuilder     *builder,
           SgTimelineModel *model,
           double           now_ms)
{
  guint n_lives = sg_timeline_model_get_n_lives (model);
  g_autoptr(GHashTable) died_slots = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n_lives; i++)
    {
      const SgTimelineLife *life = sg_timeline_model_get_life (model, i);
      double end = life->ended_ms >= 0 ? life->ended_ms : now_ms;
      gboolean respawn = g_hash_table_contains (died_slots, GINT_TO_POINTER (life->slot));

      begin_event (builder, "helper process", "process", "X", life->pid,
                   SG_TRACE_LIFETIME_TID, life->spawned_ms);
      json_builder_set_member_name (builder, "dur");
      json_builder_add_int_value (builder, MAX (0, to_us (end) - to_us (life->spawned_ms)));
      json_builder_set_member_name (builder, "args");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "slot");
      json_builder_add_int_value (builder, life->slot);
      json_builder_end_object (builder);
      json_builder_end_object (builder);

      /* Instant events, process scope: a line across the helper's tracks. */
      begin_event (builder, respawn ? "respawned" : "spawned", "process", "i", life->pid,
                   SG_TRACE_LIFETIME_TID, life->spawned_ms);
      json_builder_set_member_name (builder, "s");
      json_builder_add_string_value (builder, "p");
      json_builder_end_object (builder);

      if (life->died_ms >= 0)
        {
          begin_event (builder, "died", "process", "i", life->pid, SG_TRACE_LIFETIME_TID,
                       life->died_ms);
          json_builder_set_member_name (builder, "s");
          json_builder_add_string_value (builder, "p");
          json_builder_end_object (builder);
          g_hash_table_add (died_slots, GINT_TO_POINTER (life->slot));
        }
    }
}

static void
add_names (JsonBuilder     *builder,
           SgTimelineModel *model,
           GPid             pool_pid)
{
  guint n_lives = sg_timeline_model_get_n_lives (model);
  guint n_bars = sg_timeline_model_get_n_bars (model);
  g_autoptr(GHashTable) threads = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));

  add_metadata (builder, "process_name", pool_pid, 0, "name", "sprite-gallery pool (queue)", 0);
  add_metadata (builder, "process_sort_index", pool_pid, 0, "sort_index", NULL, -1);

  for (guint i = 0; i < n_lives; i++)
    {
      const SgTimelineLife *life = sg_timeline_model_get_life (model, i);
      g_autofree char *name = g_strdup_printf ("helper %d", (int) life->pid);

      add_metadata (builder, "process_name", life->pid, 0, "name", name, 0);
      /* Slot order, then spawn order: a respawned helper sits under its
       * predecessor. */
      add_metadata (builder, "process_sort_index", life->pid, 0, "sort_index", NULL,
                    (gint64) life->slot * 1000 + i);
      add_metadata (builder, "thread_name", life->pid, SG_TRACE_LIFETIME_TID, "name", "lifetime",
                    0);
    }

  g_array_set_size (keys, n_bars);
  for (guint i = 0; i < n_bars; i++)
    {
      const SgTimelineBar *bar = sg_timeline_model_get_bar (model, i);
      gint64 *key = &g_array_index (keys, gint64, i);
      const char *sprite_name = sg_timeline_model_get_sprite_name (model, bar->sprite_id);
      g_autofree char *wait_name = NULL;

      if (bar->row != SG_TIMELINE_NO_ROW)
        {
          *key = ((gint64) bar->pid << 20) | (bar->row + 1);
          if (!g_hash_table_contains (threads, key))
            {
              g_autofree char *name = g_strdup_printf ("transfer %u", bar->row + 1);

              g_hash_table_add (threads, key);
              add_metadata (builder, "thread_name", bar->pid, bar->row + 1, "name", name, 0);
            }
        }

      if (bar->attempt == 1)
        {
          wait_name = sprite_name != NULL ? g_strdup_printf ("#%03u %s", bar->sprite_id, sprite_name)
                                          : g_strdup_printf ("#%03u", bar->sprite_id);
          add_metadata (builder, "thread_name", pool_pid, bar->sprite_id, "name", wait_name, 0);
          add_metadata (builder, "thread_sort_index", pool_pid, bar->sprite_id, "sort_index", NULL,
                        bar->sprite_id);
        }
    }
}

JsonNode *
sg_trace_build (SgTimelineModel *model,
                GPid             pool_pid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_bars;
  double now_ms;

  g_return_val_if_fail (SG_IS_TIMELINE_MODEL (model), NULL);

  if (pool_pid == 0)
    pool_pid = getpid ();
  n_bars = sg_timeline_model_get_n_bars (model);
  now_ms = sg_timeline_model_get_now_ms (model);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "traceEvents");
  json_builder_begin_array (builder);

  add_names (builder, model, pool_pid);
  add_lives (builder, model, now_ms);
  for (guint i = 0; i < n_bars; i++)
    add_bar (builder, model, sg_timeline_model_get_bar (model, i), pool_pid, now_ms);

  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "displayTimeUnit");
  json_builder_add_string_value (builder, "ms");
  json_builder_set_member_name (builder, "otherData");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generator");
  json_builder_add_string_value (builder, "sprite-gallery " PACKAGE_VERSION);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

GBytes *
sg_trace_build_bytes (SgTimelineModel *model,
                      GPid             pool_pid)
{
  g_autoptr(JsonNode) root = sg_trace_build (model, pool_pid);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize len;

  g_return_val_if_fail (root != NULL, NULL);

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}
