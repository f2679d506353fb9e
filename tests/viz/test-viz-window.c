/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window, as a class sees it, under Xvfb with the built helper and the
 * mock PokeAPI: the timeline and the workers panel fill during a run;
 * killing a worker mid-run still ends with every sprite; the process count
 * set in the window is the next run's; a tile or a bar opens the sprite's
 * page and hovering one outlines the other; the comparison sweep records
 * its runs; the report and the trace export. Screenshots land in the build
 * directory (light, and dark with SG_VIZ_DARK=1).
 */
#include "config.h"

#include "sg-application.h"
#include "sg-gui.h"
#include "sg-lsan-suppressions.h"
#include "sg-history-window.h"
#include "sg-speedup-chart.h"
#include "sg-sprite-page.h"
#include "sg-test-gui.h"
#include "sg-test-mock.h"
#include "sg-tile.h"
#include "sg-window-private.h"
#include "sg-worker-row.h"

#define TIMEOUT_S 90

static SgApplication *app;
static char *data_home;

typedef struct {
  char        *tmp_dir;
  GSubprocess *mock;
  char        *base_url;
  SgPool      *pool;
  SgWindow    *window;
  guint        n_finished;
  gboolean     last_all_done;
  guint        n_deaths;
  gboolean     use_cache;   /* set before open_window() */
} Fixture;

static void
on_run_finished (SgWindow *window,
                 gboolean  all_done,
                 Fixture  *fx)
{
  fx->n_finished++;
  fx->last_all_done = all_done;
}

static void
on_event (SgPool            *pool,
          const SgPoolEvent *event,
          Fixture           *fx)
{
  if (event->kind == SG_POOL_EVENT_WORKER_DIED)
    fx->n_deaths++;
}

static void
wait_run_finished (Fixture *fx,
                   guint    n)
{
  g_assert_true (sg_test_wait_at_least (&fx->n_finished, n, TIMEOUT_S));
}

static void
open_window (Fixture *fx,
             guint    latency_ms,
             guint    count,
             guint    workers)
{
  g_autofree char *latency = g_strdup_printf ("%u", latency_ms);
  const char *mock_args[] = { "--latency-ms", latency, NULL };
  g_autoptr(SgRunOptions) options = sg_run_options_new ();
  g_autoptr(GError) error = NULL;

  fx->mock = sg_test_mock_spawn (mock_args, &fx->base_url, &error);
  g_assert_no_error (error);

  g_free (options->base_url);
  options->base_url = g_strdup (fx->base_url);
  options->count = count;
  options->workers = workers;
  options->in_flight = 4;
  options->no_cache = !fx->use_cache;
  options->cache_dir = g_build_filename (fx->tmp_dir, "cache", NULL);

  fx->pool = sg_pool_new (options);
  g_signal_connect (fx->pool, "event", G_CALLBACK (on_event), fx);
  fx->window = sg_window_new (GTK_APPLICATION (app), fx->pool);
  g_signal_connect (fx->window, "run-finished", G_CALLBACK (on_run_finished), fx);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1360, 960);
  gtk_window_present (GTK_WINDOW (fx->window));
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->tmp_dir = g_dir_make_tmp ("sg-viz-window-XXXXXX", NULL);
  g_assert_nonnull (fx->tmp_dir);
}

static gboolean
window_idle (gpointer user_data)
{
  return !sg_window_get_running (user_data) && !sg_window_get_sweeping (user_data);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->window != NULL)
    {
      g_assert_true (sg_test_wait_until (window_idle, fx->window, TIMEOUT_S));
      g_signal_handlers_disconnect_by_data (fx->window, fx);
      g_object_add_weak_pointer (G_OBJECT (fx->window), (gpointer *) &fx->window);
      gtk_window_destroy (GTK_WINDOW (fx->window));
      /* Nothing of ours (model, panel, pages, history) keeps it alive. */
      g_assert_true (sg_test_wait_until (sg_test_is_null, &fx->window, TIMEOUT_S));
    }
  if (fx->pool != NULL)
    {
      g_signal_handlers_disconnect_by_data (fx->pool, fx);
      g_assert_finalize_object (g_steal_pointer (&fx->pool));
    }
  sg_test_mock_stop (g_steal_pointer (&fx->mock));
  g_clear_pointer (&fx->base_url, g_free);
  sg_test_rm_rf (fx->tmp_dir);
  g_clear_pointer (&fx->tmp_dir, g_free);
}

/* Screenshots ---------------------------------------------------------------- */

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s%s.png", name,
                                           g_getenv ("SG_VIZ_DARK") != NULL ? "-dark" : "");
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);

  sg_test_save_widget_png (widget, path, TIMEOUT_S);
  g_test_message ("Screenshot: %s", path);
}

/* Helpers ---------------------------------------------------------------------- */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static SgSpritePage *
find_sprite_page (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SG_IS_SPRITE_PAGE (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return SG_SPRITE_PAGE (window);
    }
  return NULL;
}

typedef struct {
  Fixture *fx;
  guint    n;
} DoneWait;

static gboolean
done_at_least (gpointer user_data)
{
  DoneWait *wait = user_data;

  return sg_pool_get_n_done (wait->fx->pool) >= wait->n;
}

static gboolean
timeline_drawn (gpointer user_data)
{
  Fixture *fx = user_data;

  return sg_timeline_get_n_drawn (fx->window->timeline) > 0;
}

static gboolean
rss_known (gpointer user_data)
{
  Fixture *fx = user_data;
  GListModel *workers = sg_pool_get_workers (fx->pool);

  for (guint i = 0; i < g_list_model_get_n_items (workers); i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (workers, i);

      if (sg_worker_get_rss_kib (worker) > 0)
        return TRUE;
    }
  return !sg_pool_get_running (fx->pool);
}

static gboolean
variants_shown (gpointer user_data)
{
  SgSpritePage *page = user_data;

  return sg_sprite_page_get_variants_shown (page) == sg_sprite_page_get_variants_total (page);
}

/* What pressing @keyval with @modifiers in @widget does: the action of the
 * widget's shortcut for it, activated. FALSE when there is none, or when it
 * did nothing. */
static gboolean
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* The run controls, in the order Tab visits them. */
static void
run_controls (Fixture   *fx,
              GtkWidget *controls[5])
{
  controls[0] = GTK_WIDGET (fx->window->workers_spin);
  controls[1] = GTK_WIDGET (fx->window->in_flight_spin);
  controls[2] = GTK_WIDGET (fx->window->strategy_dropdown);
  controls[3] = GTK_WIDGET (fx->window->first_spin);
  controls[4] = GTK_WIDGET (fx->window->count_spin);
}

typedef struct {
  Fixture *fx;
  int      min_width;
  int      max_width;
} Sight;

/* The window's width is in the range, and every run control lies inside it. */
static gboolean
controls_in_sight (gpointer user_data)
{
  Sight *sight = user_data;
  GtkWidget *window = GTK_WIDGET (sight->fx->window);
  int width = gtk_widget_get_width (window);
  GtkWidget *controls[5];

  if (width < sight->min_width || width > sight->max_width)
    return FALSE;
  run_controls (sight->fx, controls);
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      graphene_rect_t bounds;

      if (!gtk_widget_compute_bounds (controls[i], window, &bounds) || bounds.origin.x < 0 ||
          bounds.origin.x + bounds.size.width > width)
        return FALSE;
    }
  return TRUE;
}

/* Tests ------------------------------------------------------------------------ */

static void
test_fill_and_kill (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  DoneWait some = { fx, 40 };
  DoneWait more = { fx, 75 };
  guint n_lives_died = 0;

  open_window (fx, 150, 100, 4);
  sg_window_start_run (fx->window, FALSE);
  g_assert_true (sg_test_wait_until (done_at_least, &some, TIMEOUT_S));
  g_assert_true (sg_window_get_running (fx->window));

  /* Kill a worker with Ctrl+K, as the teacher would, with the panel folded
   * away or not (at once: on a slow machine the checks below could outlast
   * the run). */
  g_assert_true (press_shortcut (GTK_WIDGET (fx->window), GDK_KEY_k, GDK_CONTROL_MASK));

  /* Mid-run: a lane per helper with bars on it, a row per helper. */
  g_assert_true (sg_test_wait_until (timeline_drawn, fx, TIMEOUT_S));
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (fx->window->timeline_model), ==, 4);
  g_assert_cmpuint (sg_timeline_model_get_n_bars (fx->window->timeline_model), >=, 24);
  collect (GTK_WIDGET (fx->window->workers_panel), SG_TYPE_WORKER_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 4);
  /* A little later, its tasks are redone and its successor works: the
   * picture for the class, with one sprite's task outlined. */
  g_assert_true (sg_test_wait_until (done_at_least, &more, TIMEOUT_S));
  g_assert_true (sg_test_wait_until (rss_known, fx, TIMEOUT_S));
  {
    graphene_rect_t area;

    /* As if the pointer rested on sprite 3's bar: bar and tile outlined. */
    if (sg_timeline_get_bar_area (fx->window->timeline, 3, &area))
      sg_timeline_hover_at (fx->window->timeline, area.origin.x + area.size.width / 2,
                            area.origin.y + area.size.height / 2);
  }
  screenshot (GTK_WIDGET (fx->window), "viz-window-mid-run");

  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, 100);
  g_assert_cmpuint (sg_pool_get_n_failed (fx->pool), ==, 0);
  g_assert_cmpuint (fx->n_deaths, ==, 1);
  /* Once the run is over, the shortcut has nothing to kill. */
  press_shortcut (GTK_WIDGET (fx->window), GDK_KEY_k, GDK_CONTROL_MASK);
  g_assert_cmpuint (fx->n_deaths, ==, 1);
  for (guint i = 0; i < sg_timeline_model_get_n_lives (fx->window->timeline_model); i++)
    if (sg_timeline_model_get_life (fx->window->timeline_model, i)->died_ms >= 0)
      n_lives_died++;
  g_assert_cmpuint (n_lives_died, ==, 1);
  g_assert_cmpstr (gtk_inscription_get_text (fx->window->progress_label), ==, "100 / 100");
  screenshot (GTK_WIDGET (fx->window), "viz-window-after-kill");

  /* The finished run is in the history. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sg_window_get_history (fx->window))),
                    >=, 1);
}

static void
test_process_count (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) rows_before = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows_after = g_ptr_array_new ();
  GListModel *workers;
  double scale;

  open_window (fx, 0, 12, 2);

  /* The window's control sets the next run's processes, and the panel
   * shows them before the run starts them. */
  gtk_spin_button_set_value (fx->window->workers_spin, 3);
  g_assert_cmpuint (sg_pool_get_options (fx->pool)->workers, ==, 3);
  workers = sg_pool_get_workers (fx->pool);
  g_assert_cmpuint (g_list_model_get_n_items (workers), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (workers, i);

      g_assert_cmpint (sg_worker_get_state (worker), ==, SG_WORKER_NOT_STARTED);
    }
  collect (GTK_WIDGET (fx->window->workers_panel), SG_TYPE_WORKER_ROW, rows_before);
  g_assert_cmpuint (rows_before->len, ==, 3);
  screenshot (GTK_WIDGET (fx->window), "viz-window-processes-not-started");

  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (g_list_model_get_n_items (workers), ==, 3);
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (fx->window->timeline_model), ==, 3);
  /* The run kept the rows (a new set would be a new layout of the window
   * at the start of every run). */
  collect (GTK_WIDGET (fx->window->workers_panel), SG_TYPE_WORKER_ROW, rows_after);
  g_assert_cmpuint (rows_after->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_ptr_array_index (rows_after, i) == g_ptr_array_index (rows_before, i));

  /* And again, with another count and the sequential strategy. */
  gtk_spin_button_set_value (fx->window->workers_spin, 2);
  gtk_drop_down_set_selected (fx->window->strategy_dropdown, 2);
  g_assert_cmpint (sg_pool_get_options (fx->pool)->strategy, ==, SG_STRATEGY_SEQUENTIAL);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (fx->window->workers_spin)));
  gtk_spin_button_set_value (fx->window->count_spin, 5);
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 2);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (g_list_model_get_n_items (workers), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sg_pool_get_sprites (fx->pool)), ==, 5);

  gtk_drop_down_set_selected (fx->window->strategy_dropdown, 1);
  g_assert_cmpint (sg_pool_get_options (fx->pool)->strategy, ==, SG_STRATEGY_CHUNKS);
  g_assert_cmpuint (sg_pool_get_options (fx->pool)->workers, ==, 2);

  /* The window's zoom actions (its toolbar, Ctrl+plus/minus/0) zoom the
   * timeline. */
  scale = sg_timeline_get_scale (fx->window->timeline);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.zoom-in", NULL));
  g_assert_false (sg_timeline_get_fit (fx->window->timeline));
  g_assert_cmpfloat (sg_timeline_get_scale (fx->window->timeline), >, scale);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (sg_timeline_get_scale (fx->window->timeline), scale, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.zoom-fit", NULL));
  g_assert_true (sg_timeline_get_fit (fx->window->timeline));
}

static gboolean
timeline_has_no_bars (gpointer user_data)
{
  return sg_timeline_get_n_drawn (user_data) == 0;
}

static void
test_warm_run (Fixture       *fx,
               gconstpointer  data)
{
  GListModel *workers;
  const char *summary;

  fx->use_cache = TRUE;
  open_window (fx, 0, 8, 2);
  workers = sg_pool_get_workers (fx->pool);

  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_from_cache (fx->pool), ==, 0);
  g_assert_null (sg_timeline_get_placeholder (fx->window->timeline));
  summary = sg_workers_panel_get_summary (fx->window->workers_panel);
  g_assert_true (g_str_has_prefix (summary, "2 processes, 0 busy."));

  /* Everything is in the cache now: the next run starts no process, and
   * the panel says why instead of "not started yet". */
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 2);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_from_cache (fx->pool), ==, 8);
  g_assert_true (g_str_has_prefix (adw_window_title_get_subtitle (fx->window->window_title),
                                   "8 sprites in "));
  g_assert_true (g_str_has_suffix (adw_window_title_get_subtitle (fx->window->window_title),
                                   " ms"));
  for (guint i = 0; i < g_list_model_get_n_items (workers); i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (workers, i);

      g_assert_cmpint (sg_worker_get_state (worker), ==, SG_WORKER_NOT_STARTED);
    }
  g_assert_cmpstr (sg_workers_panel_get_summary (fx->window->workers_panel), ==,
                   "2 processes, none needed: every sprite came from the cache.");
  g_assert_cmpstr (sg_timeline_get_placeholder (fx->window->timeline), ==,
                   "No process was needed: every sprite came from the cache");
  /* The timeline redraws at most 30 times a second: the last run's bars
   * may still be on screen for a frame or two. */
  g_assert_true (sg_test_wait_until (timeline_has_no_bars, fx->window->timeline, TIMEOUT_S));
  screenshot (GTK_WIDGET (fx->window), "viz-window-warm-run");

  /* A run that bypasses the cache needs them again. */
  sg_window_start_run (fx->window, TRUE);
  wait_run_finished (fx, 3);
  g_assert_cmpuint (sg_pool_get_n_from_cache (fx->pool), ==, 0);
  g_assert_true (g_str_has_prefix (sg_workers_panel_get_summary (fx->window->workers_panel),
                                   "2 processes, 0 busy."));
}

static void
test_tile_and_page (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();
  SgSpritePage *page;
  graphene_rect_t area;
  SgTile *tile = NULL;

  open_window (fx, 20, 12, 2);
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);
  g_assert_true (sg_test_wait_until (timeline_drawn, fx, TIMEOUT_S));

  /* Selecting a tile opens its page. */
  g_signal_emit_by_name (fx->window->grid_view, "activate", 4);
  page = find_sprite_page ();
  g_assert_nonnull (page);
  g_assert_cmpuint (sg_sprite_get_id (sg_sprite_page_get_sprite (page)), ==, 5);

  /* A bar on the timeline opens its sprite's page instead. */
  g_signal_emit_by_name (fx->window->timeline, "task-activated", 7);
  page = find_sprite_page ();
  g_assert_nonnull (page);
  g_assert_cmpuint (sg_sprite_get_id (sg_sprite_page_get_sprite (page)), ==, 7);
  g_assert_true (sg_test_wait_until (variants_shown, page, TIMEOUT_S));
  screenshot (GTK_WIDGET (page), "viz-sprite-page-window");
  gtk_window_destroy (GTK_WINDOW (page));

  /* Hovering a bar outlines its tile. */
  g_assert_true (sg_timeline_get_bar_area (fx->window->timeline, 2, &area));
  sg_timeline_hover_at (fx->window->timeline, area.origin.x + area.size.width / 2,
                        area.origin.y + area.size.height / 2);
  collect (GTK_WIDGET (fx->window->grid_view), SG_TYPE_TILE, tiles);
  for (guint i = 0; i < tiles->len; i++)
    {
      SgSprite *sprite = sg_tile_get_sprite (tiles->pdata[i]);

      if (sprite != NULL && sg_sprite_get_id (sprite) == 2)
        tile = tiles->pdata[i];
    }
  g_assert_nonnull (tile);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tile), "highlighted"));
  sg_timeline_hover_at (fx->window->timeline, -1, -1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (tile), "highlighted"));

  /* Hovering a tile outlines its task on the timeline. */
  {
    g_autoptr(GListModel) controllers =
      gtk_widget_observe_controllers (GTK_WIDGET (fx->window->grid_view));
    GtkEventController *hover = NULL;
    graphene_rect_t bounds;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (g_strcmp0 (gtk_event_controller_get_name (controller), "sg-tile-hover") == 0)
          hover = controller;
      }
    g_assert_nonnull (hover);
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (tile), GTK_WIDGET (fx->window->grid_view),
                                              &bounds));
    g_signal_emit_by_name (hover, "motion", (double) bounds.origin.x + bounds.size.width / 2,
                           (double) bounds.origin.y + bounds.size.height / 2);
    g_assert_cmpuint (sg_timeline_get_highlighted_id (fx->window->timeline), ==, 2);
    g_signal_emit_by_name (hover, "leave");
    g_assert_cmpuint (sg_timeline_get_highlighted_id (fx->window->timeline), ==, 0);
  }
}

typedef struct {
  gboolean  finished;
  gboolean  saved;
  GError   *error;
} ExportResult;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportResult *export = user_data;

  export->saved = sg_window_export_finish (SG_WINDOW (source), result, &export->error);
  export->finished = TRUE;
}

/* Exports the last run to @path and waits until the file is written (or
 * the export failed). */
static void
export_and_wait (Fixture      *fx,
                 const char   *path,
                 gboolean      trace,
                 ExportResult *export)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sg_window_export_async (fx->window, file, trace, NULL, on_exported, export);
  g_assert_true (sg_test_wait_until (sg_test_is_true, &export->finished, TIMEOUT_S));
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_sweep_and_export (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *report_path = g_build_filename (fx->tmp_dir, "report.json", NULL);
  g_autofree char *trace_path = g_build_filename (fx->tmp_dir, "trace.json", NULL);
  g_autofree char *missing_dir_path = g_build_filename (fx->tmp_dir, "missing", "report.json",
                                                       NULL);
  ExportResult report_export = { 0 };
  ExportResult trace_export = { 0 };
  ExportResult failed_export = { 0 };
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) trace = NULL;
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  SgRunHistory *history;
  const SgSpeedup *speedup;

  open_window (fx, 10, 16, 2);
  history = sg_window_get_history (fx->window);

  /* The runs window asks; the main window runs five runs in a row. */
  sg_window_show_history (fx->window);
  g_assert_nonnull (fx->window->history_window);
  g_signal_emit_by_name (fx->window->history_window, "compare-requested");
  g_assert_true (sg_window_get_sweeping (fx->window));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (fx->window->workers_spin)));
  wait_run_finished (fx, 5);
  g_assert_true (sg_test_wait_until (window_idle, fx->window, TIMEOUT_S));
  /* Newest first: 8, 4, 2 and 1 processes, then the sequential baseline
   * (older runs of other tests may follow). */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), >=, 5);
  for (guint i = 0; i < 5; i++)
    {
      static const guint processes[] = { 8, 4, 2, 1, 1 };
      g_autoptr(SgRunRecord) record = g_list_model_get_item (G_LIST_MODEL (history), i);

      g_assert_cmpuint (sg_run_record_get_processes (record), ==, processes[i]);
      g_assert_cmpuint (sg_run_record_get_count (record), ==, 16);
      g_assert_true (sg_run_record_is_comparable (record));
      g_assert_true (sg_run_record_is_sequential (record) == (i == 4));
    }

  /* The chart compares them against the sequential run. */
  collect (GTK_WIDGET (fx->window->history_window), SG_TYPE_SPEEDUP_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 1);
  speedup = sg_speedup_chart_get_speedup (charts->pdata[0]);
  g_assert_nonnull (speedup->baseline);
  g_assert_true (speedup->baseline_is_sequential);
  g_assert_cmpuint (speedup->points->len, ==, 4);
  g_assert_cmpuint (g_array_index (speedup->points, SgSpeedupPoint, 3).processes, ==, 8);
  screenshot (fx->window->history_window, "viz-history-window");

  /* The options are back to the window's own. */
  g_assert_cmpint (sg_pool_get_options (fx->pool)->strategy, ==, SG_STRATEGY_QUEUE);
  g_assert_cmpuint (sg_pool_get_options (fx->pool)->workers, ==, 2);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (fx->window->workers_spin)));

  /* Export the last run: the report and the Chrome trace. */
  export_and_wait (fx, report_path, FALSE, &report_export);
  g_assert_no_error (report_export.error);
  g_assert_true (report_export.saved);
  export_and_wait (fx, trace_path, TRUE, &trace_export);
  g_assert_no_error (trace_export.error);
  g_assert_true (trace_export.saved);
  report = load_json (report_path);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (report), "counts"), "done"), ==, 16);
  g_assert_true (json_object_has_member (json_node_get_object (report), "max_main_loop_stall_ms"));
  trace = load_json (trace_path);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (trace), "traceEvents")), >, 16);

  /* A folder that is not there: the export says why, and nothing is written. */
  export_and_wait (fx, missing_dir_path, FALSE, &failed_export);
  g_assert_false (failed_export.saved);
  g_assert_error (failed_export.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&failed_export.error);
  g_assert_false (g_file_test (missing_dir_path, G_FILE_TEST_EXISTS));
}

static gboolean
flap_folded_away (gpointer user_data)
{
  AdwFlap *flap = user_data;

  return adw_flap_get_folded (flap) && adw_flap_get_reveal_progress (flap) == 0.0;
}

/* Where a control's middle is, down the window (the drop-down is not as tall
 * as a spin button, and both are centred on their line). */
static double
control_middle (Fixture   *fx,
                GtkWidget *control)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (control, GTK_WIDGET (fx->window), &bounds));
  return bounds.origin.y + bounds.size.height / 2;
}

/* The run controls share one line in a wide window, wrap onto more in a
 * narrow one (half a small screen, as when tiled) instead of running off
 * its edge, and Tab still visits them in order. */
static void
test_controls_wrap (Fixture       *fx,
                    gconstpointer  data)
{
  GtkWidget *controls[5];
  /* The window manager may take a few pixels off what is asked for. */
  Sight wide = { fx, 1200, 1360 };
  Sight narrow = { fx, 400, 560 };

  open_window (fx, 0, 12, 2);
  run_controls (fx, controls);

  g_assert_true (sg_test_wait_until (controls_in_sight, &wide, TIMEOUT_S));
  for (guint i = 1; i < G_N_ELEMENTS (controls); i++)
    g_assert_cmpfloat (control_middle (fx, controls[i]), ==, control_middle (fx, controls[0]));

  gtk_window_set_default_size (GTK_WINDOW (fx->window), narrow.max_width, 760);
  g_assert_true (sg_test_wait_until (controls_in_sight, &narrow, TIMEOUT_S));
  g_assert_cmpfloat (control_middle (fx, controls[4]), >, control_middle (fx, controls[0]));
  /* The processes' panel folds away too, once its animation is over. */
  g_assert_true (sg_test_wait_until (flap_folded_away, fx->window->flap, TIMEOUT_S));
  screenshot (GTK_WIDGET (fx->window), "viz-window-narrow");

  /* A screen reader meets one labelled group of controls, not a grid. */
  {
    GtkWidget *flow = gtk_widget_get_ancestor (controls[0], GTK_TYPE_FLOW_BOX);
    GtkWidget *group = gtk_widget_get_ancestor (controls[0], GTK_TYPE_FLOW_BOX_CHILD);

    g_assert_nonnull (flow);
    g_assert_nonnull (group);
    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (flow)), ==,
                     GTK_ACCESSIBLE_ROLE_GROUP);
    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (group)), ==,
                     GTK_ACCESSIBLE_ROLE_GENERIC);
  }

  g_assert_true (gtk_widget_grab_focus (controls[0]));
  for (guint i = 1; i < G_N_ELEMENTS (controls); i++)
    {
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fx->window), GTK_DIR_TAB_FORWARD));
      g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (fx->window)),
                                             controls[i]) ||
                     gtk_window_get_focus (GTK_WINDOW (fx->window)) == controls[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Hermetic: the run history goes to a folder of ours (set before GLib
   * reads it), and without a session bus GTK has no accessibility bus to
   * warn about. */
  data_home = g_dir_make_tmp ("sg-viz-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);
  if (g_getenv ("SG_VIZ_DARK") != NULL)
    g_setenv ("ADW_DEBUG_COLOR_SCHEME", "prefer-dark", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  sg_gui_init ();

  app = sg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/viz/window/fill-and-kill-a-worker", test_fill_and_kill);
  ADD ("/viz/window/process-count-is-the-next-runs", test_process_count);
  ADD ("/viz/window/warm-run-needs-no-process", test_warm_run);
  ADD ("/viz/window/tile-and-bar-open-the-page", test_tile_and_page);
  ADD ("/viz/window/compare-and-export", test_sweep_and_export);
  ADD ("/viz/window/controls-wrap-when-narrow", test_controls_wrap);
#undef ADD

  status = g_test_run ();

  g_object_unref (app);
  sg_test_rm_rf (data_home);
  g_free (data_home);
  return status;
}
