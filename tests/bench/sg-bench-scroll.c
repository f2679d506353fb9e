/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sg-bench-scroll: how smoothly the gallery scrolls with many sprites.
 * Part of the benchmark (sg-bench.py runs it under Xvfb), not a test: it
 * measures time.
 *
 *   sg-bench-scroll --base-url URL --count 1000 --cache-dir DIR
 *
 * Opens the app's window (its default size) with a cold cache, starts the
 * run once the window is painted, as the app does, and scrolls the gallery
 * at a steady speed, down to the end and back up, as a quick two-finger
 * scroll would: first while the run goes (tiles change state under the
 * scroll), then for a few seconds after it (every tile scrolled into view
 * decodes its sprite as it is drawn). Prints one
 * JSON object with, for each phase, the frames painted, the longest time
 * between two of them, how many came over 25 ms after the previous one (a
 * frame missed at 60 Hz), and the longest main-loop stall.
 */
#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "sg-application.h"
#include "sg-gui.h"
#include "sg-stall-watchdog.h"
#include "sg-window-private.h"

/* A frame is missed at 60 Hz when the next comes this late. */
#define MISSED_FRAME_US (25 * G_TIME_SPAN_MILLISECOND)

typedef struct {
  guint   n_frames;
  guint   n_missed;
  gint64  first_us;
  gint64  last_us;
  gint64  longest_gap_us;
  double  max_stall_ms;
} Phase;

typedef struct {
  SgWindow        *window;
  SgStallWatchdog *watchdog;
  GtkAdjustment   *vadjustment;
  double           speed;          /* px/s, the sign is the direction */
  double           position;
  gint64           last_tick_us;
  guint            tick_id;
  gulong           after_paint_id;
  Phase           *phase;          /* the one being measured */
  Phase            during_run;
  Phase            after_run;
  gboolean         run_finished;
  gboolean         all_done;
  gboolean         window_mapped;
  gboolean         first_painted;
} Bench;

static void
on_after_paint (GdkFrameClock *frame_clock,
                Bench         *bench)
{
  Phase *phase = bench->phase;
  gint64 now = g_get_monotonic_time ();

  bench->first_painted = TRUE;
  if (phase == NULL)
    return;
  if (phase->n_frames > 0)
    {
      gint64 gap = now - phase->last_us;

      phase->longest_gap_us = MAX (phase->longest_gap_us, gap);
      if (gap > MISSED_FRAME_US)
        phase->n_missed++;
    }
  else
    {
      phase->first_us = now;
    }
  phase->last_us = now;
  phase->n_frames++;
}

/* Moves the view by what the speed gives for the time since the last frame:
 * a late frame jumps further, as it would for a user. */
static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  double lower = gtk_adjustment_get_lower (bench->vadjustment);
  double end = gtk_adjustment_get_upper (bench->vadjustment) -
               gtk_adjustment_get_page_size (bench->vadjustment);

  if (bench->last_tick_us != 0)
    bench->position += bench->speed * (now - bench->last_tick_us) / G_USEC_PER_SEC;
  bench->last_tick_us = now;

  if (bench->position >= end)
    {
      bench->position = end;
      bench->speed = -ABS (bench->speed);
    }
  else if (bench->position <= lower)
    {
      bench->position = lower;
      bench->speed = ABS (bench->speed);
    }
  gtk_adjustment_set_value (bench->vadjustment, bench->position);

  return G_SOURCE_CONTINUE;
}

static void
begin_phase (Bench *bench,
             Phase *phase)
{
  bench->phase = phase;
  sg_stall_watchdog_start (bench->watchdog);
}

static void
end_phase (Bench *bench)
{
  sg_stall_watchdog_stop (bench->watchdog);
  bench->phase->max_stall_ms = sg_stall_watchdog_get_max_stall_ms (bench->watchdog);
  bench->phase = NULL;
}

static void
on_run_finished (SgWindow *window,
                 gboolean  all_done,
                 Bench    *bench)
{
  bench->run_finished = TRUE;
  bench->all_done = all_done;
}

static void
on_map (GtkWidget *widget,
        Bench     *bench)
{
  bench->window_mapped = TRUE;
}

static gboolean
set_true (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *@flag, for @seconds at most; returns it. */
static gboolean
wait_for (gboolean *flag,
          guint     seconds)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (seconds, set_true, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  return *flag;
}

static void
add_phase (JsonBuilder *builder,
           const char  *name,
           const Phase *phase)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, phase->n_frames);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, (double) (phase->last_us - phase->first_us) /
                                          G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "longest_frame_gap_ms");
  json_builder_add_double_value (builder, (double) phase->longest_gap_us /
                                          G_TIME_SPAN_MILLISECOND);
  json_builder_set_member_name (builder, "frames_over_25_ms");
  json_builder_add_int_value (builder, phase->n_missed);
  json_builder_set_member_name (builder, "max_main_loop_stall_ms");
  json_builder_add_double_value (builder, phase->max_stall_ms);
  json_builder_end_object (builder);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *base_url = NULL;
  g_autofree char *cache_dir = NULL;
  int count = 1000;
  double speed = 3000;
  int after_s = 4;
  GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, "The API", "URL" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "How many sprites (1000)", "N" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "An empty cache directory", "DIR" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, "Scrolling speed in px/s (3000)", "PX" },
    { "after", 0, 0, G_OPTION_ARG_INT, &after_s, "Seconds of scrolling after the run (4)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- how smoothly the gallery scrolls");
  g_autoptr(GError) error = NULL;
  g_autoptr(SgApplication) app = NULL;
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(SgPool) pool = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GdkFrameClock *frame_clock;
  Bench bench = { 0, };
  gboolean scrolled_after = FALSE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      base_url == NULL || cache_dir == NULL || count < 1 || speed <= 0 || after_s < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "--base-url and --cache-dir are needed");
      return 2;
    }

  gtk_init ();
  sg_gui_init ();
  /* The real application object: its start-up loads the style sheet. */
  app = sg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  options = sg_run_options_new ();
  g_free (options->base_url);
  options->base_url = g_strdup (base_url);
  options->count = count;
  options->cache_dir = g_strdup (cache_dir);
  pool = sg_pool_new (options);

  bench.window = sg_window_new (GTK_APPLICATION (app), pool);
  bench.watchdog = sg_stall_watchdog_new ();
  bench.speed = speed;
  bench.vadjustment = gtk_scrolled_window_get_vadjustment (bench.window->gallery_scroller);
  g_signal_connect (bench.window, "run-finished", G_CALLBACK (on_run_finished), &bench);
  g_signal_connect (bench.window, "map", G_CALLBACK (on_map), &bench);
  gtk_window_present (GTK_WINDOW (bench.window));
  if (!wait_for (&bench.window_mapped, 10))
    {
      g_printerr ("The window was not shown\n");
      return 1;
    }

  /* As the app does: the run starts once the window is on screen (its
   * first frame, which builds and paints every visible widget, is
   * start-up, not the run's). */
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  bench.after_paint_id = g_signal_connect (frame_clock, "after-paint",
                                           G_CALLBACK (on_after_paint), &bench);
  if (!wait_for (&bench.first_painted, 10))
    {
      g_printerr ("The window was not painted\n");
      return 1;
    }
  sg_window_start_run (bench.window, FALSE);
  bench.tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (bench.window->gallery_scroller),
                                                scroll_tick, &bench, NULL);

  begin_phase (&bench, &bench.during_run);
  if (!wait_for (&bench.run_finished, 300))
    {
      g_printerr ("The run did not end\n");
      return 1;
    }
  end_phase (&bench);

  begin_phase (&bench, &bench.after_run);
  g_timeout_add (after_s * 1000, set_true, &scrolled_after);
  wait_for (&scrolled_after, after_s + 1);
  end_phase (&bench);

  gtk_widget_remove_tick_callback (GTK_WIDGET (bench.window->gallery_scroller), bench.tick_id);
  g_signal_handler_disconnect (frame_clock, bench.after_paint_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "speed_px_per_s");
  json_builder_add_double_value (builder, speed);
  json_builder_set_member_name (builder, "all_done");
  json_builder_add_boolean_value (builder, bench.all_done);
  add_phase (builder, "during_run", &bench.during_run);
  add_phase (builder, "after_run", &bench.after_run);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  printf ("%s\n", json);

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_object_unref (bench.watchdog);
  return bench.all_done ? 0 : 1;
}
