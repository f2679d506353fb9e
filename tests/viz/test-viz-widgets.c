/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The viz widgets on their own, under Xvfb, with a real pool (the built
 * helper, the mock PokeAPI with latency): the timeline and the workers
 * panel fill during a run; killing a worker mid-run from the panel still
 * ends with every sprite; hovering a bar reports its sprite; zoom works.
 * And the gallery's grid: its column limit follows its width.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sg-column-fit.h"
#include "sg-gui.h"
#include "sg-lsan-suppressions.h"
#include "sg-history-window.h"
#include "sg-progress-line.h"
#include "sg-speedup-chart.h"
#include "sg-sprite-page.h"
#include "sg-test-gui.h"
#include "sg-test-mock.h"
#include "sg-texture.h"
#include "sg-tile.h"
#include "sg-timeline.h"
#include "sg-worker-row.h"
#include "sg-workers-panel.h"
#include "test-pool-support.h"
#include "viz-test-events.h"

#define TIMEOUT_S 60

typedef struct {
  GSubprocess     *mock;
  char            *base_url;
  PoolRun         *run;
  SgTimelineModel *model;
  GtkWindow       *window;
  SgTimeline      *timeline;
  SgWorkersPanel  *panel;
  guint            hovered;
  guint            killed;
  guint            killed_slot;  /* the last one */
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  const char *mock_args[] = { "--latency-ms", "60", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SgRunOptions) options = NULL;
  GtkWidget *box, *scroller;

  fx->mock = sg_test_mock_spawn (mock_args, &fx->base_url, &error);
  g_assert_no_error (error);
  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);

  options = test_options (fx->base_url, 40, 3);
  options->in_flight = 2;
  fx->run = pool_run_new (options);
  fx->model = sg_timeline_model_new ();
  sg_timeline_model_set_pool (fx->model, fx->run->pool);

  fx->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fx->window, 1100, 560);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  fx->panel = SG_WORKERS_PANEL (sg_workers_panel_new ());
  sg_workers_panel_set_pool (fx->panel, fx->run->pool);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fx->panel));
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_hexpand (scroller, TRUE);
  fx->timeline = SG_TIMELINE (sg_timeline_new ());
  sg_timeline_set_model (fx->timeline, fx->model);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (fx->timeline));
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_window_set_child (fx->window, box);
  gtk_window_present (fx->window);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  gtk_window_destroy (fx->window);
  sg_timeline_model_set_pool (fx->model, NULL);
  g_assert_finalize_object (fx->model);
  pool_run_free (fx->run);
  sg_test_mock_stop (g_steal_pointer (&fx->mock));
  g_free (fx->base_url);
}

static gboolean
some_done (gpointer user_data)
{
  Fixture *fx = user_data;

  return sg_pool_get_n_done (fx->run->pool) >= 6;
}

static gboolean
bars_drawn (gpointer user_data)
{
  Fixture *fx = user_data;

  return sg_timeline_get_n_drawn (fx->timeline) > 0;
}

static gboolean
run_finished (gpointer user_data)
{
  Fixture *fx = user_data;

  return fx->run->finished;
}

static GList *
panel_rows (Fixture *fx)
{
  GList *rows = NULL;
  GtkWidget *list = NULL;

  /* The list box is the panel's only GtkListBox. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (fx->panel)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SCROLLED_WINDOW (child))
      list = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (child));
  if (GTK_IS_VIEWPORT (list))
    list = gtk_viewport_get_child (GTK_VIEWPORT (list));
  g_assert_true (GTK_IS_LIST_BOX (list));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SG_IS_WORKER_ROW (row))
      rows = g_list_append (rows, row);
  return rows;
}

/* A row's Kill button. */
static GtkWidget *
row_kill_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = row_kill_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

static void
save_widget_png (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  sg_test_save_widget_png (widget, path, TIMEOUT_S);
  g_test_message ("Saved %s", path);
}

static void
save_png (Fixture    *fx,
          const char *name)
{
  save_widget_png (GTK_WIDGET (fx->window), name);
}

static void
on_killed (SgWorkersPanel *panel,
           guint           slot,
           Fixture        *fx)
{
  fx->killed++;
  fx->killed_slot = slot;
}

static void
test_fill_and_kill (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(GList) rows = NULL;
  guint n_died = 0;

  g_signal_connect (fx->panel, "killed", G_CALLBACK (on_killed), fx);
  /* With a cache to read first, the run goes before any helper starts. One
   * transfer per process makes the run last well over a second after the
   * first sprites, so the kills below find it still going on a slow machine. */
  options = sg_run_options_copy (sg_pool_get_options (fx->run->pool));
  options->in_flight = 1;
  options->no_cache = FALSE;
  options->cache_dir = g_dir_make_tmp ("sg-viz-kill-XXXXXX", NULL);
  sg_pool_set_options (fx->run->pool, options);

  /* Nothing to kill before the run, nor before its helpers start. */
  rows = panel_rows (fx);
  for (GList *l = rows; l != NULL; l = l->next)
    g_assert_false (gtk_widget_get_sensitive (row_kill_button (l->data)));
  pool_run_start (fx->run, FALSE);
  g_assert_true (sg_pool_get_running (fx->run->pool));
  g_assert_cmpuint (pool_test_n_started (fx->run->pool), ==, 0);
  for (GList *l = rows; l != NULL; l = l->next)
    g_assert_false (gtk_widget_get_sensitive (row_kill_button (l->data)));
  g_clear_pointer (&rows, g_list_free);
  g_assert_true (sg_test_wait_until (some_done, fx, TIMEOUT_S));

  /* Mid-run: a lane per helper, bars drawn, a row per worker. */
  g_assert_true (sg_test_wait_until (bars_drawn, fx, TIMEOUT_S));
  g_assert_true (sg_timeline_model_get_running (fx->model));
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (fx->model), ==, 3);
  rows = panel_rows (fx);
  g_assert_cmpuint (g_list_length (rows), ==, 3);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      g_autofree char *state = sg_worker_row_state_text (sg_worker_row_get_worker (l->data));

      g_assert_cmpstr (state, !=, "");
    }

  /* Kill a random worker from the panel, as the class would; then one
   * through its row's button. A row's Kill is there while its process
   * lives. (Before the screenshot, which takes long on a slow machine.) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->panel), "workers.kill-random", NULL));
  g_assert_cmpuint (fx->killed, ==, 1);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      SgWorker *worker = sg_worker_row_get_worker (l->data);

      g_assert_true (gtk_widget_get_sensitive (row_kill_button (l->data)) ==
                     sg_worker_get_alive (worker));
      /* Another one: the first may not be seen dead yet. */
      if (sg_worker_get_alive (worker) && fx->killed == 1 &&
          sg_worker_get_slot (worker) != fx->killed_slot)
        {
          g_signal_emit_by_name (row_kill_button (l->data), "clicked");
          g_assert_cmpuint (fx->killed, ==, 2);
        }
    }
  g_assert_cmpuint (fx->killed, ==, 2);
  save_png (fx, "viz-mid-run.png");

  g_assert_true (sg_test_wait_until (run_finished, fx, TIMEOUT_S));
  g_assert_true (fx->run->ok);
  g_assert_cmpuint (sg_pool_get_n_done (fx->run->pool), ==, 40);
  assert_each_done_once (fx->run);
  g_assert_cmpuint (fx->run->n_deaths, ==, 2);
  for (guint i = 0; i < sg_timeline_model_get_n_lives (fx->model); i++)
    if (sg_timeline_model_get_life (fx->model, i)->died_ms >= 0)
      n_died++;
  g_assert_cmpuint (n_died, ==, 2);
  /* Nothing left to kill once the run is over. */
  gtk_widget_activate_action (GTK_WIDGET (fx->panel), "workers.kill-random", NULL);
  g_assert_cmpuint (fx->killed, ==, 2);
  for (GList *l = rows; l != NULL; l = l->next)
    g_assert_false (gtk_widget_get_sensitive (row_kill_button (l->data)));

  g_assert_true (sg_test_wait_until (bars_drawn, fx, TIMEOUT_S));
  save_png (fx, "viz-after-kill.png");
  g_signal_handlers_disconnect_by_data (fx->panel, fx);
  pool_test_remove_tree (options->cache_dir);
}

static void
on_hovered (SgTimeline *timeline,
            guint       id,
            Fixture    *fx)
{
  fx->hovered = id;
}

static void
test_hover_and_zoom (Fixture       *fx,
                     gconstpointer  data)
{
  graphene_rect_t area;
  double scale;

  pool_run_start (fx->run, FALSE);
  g_assert_true (sg_test_wait_until (run_finished, fx, TIMEOUT_S));
  g_assert_true (fx->run->ok);
  g_assert_true (sg_test_wait_until (bars_drawn, fx, TIMEOUT_S));

  /* Hovering a bar names its sprite; leaving names none. */
  g_signal_connect (fx->timeline, "task-hovered", G_CALLBACK (on_hovered), fx);
  g_assert_true (sg_timeline_get_bar_area (fx->timeline, 7, &area));
  g_assert_cmpuint (sg_timeline_pick (fx->timeline, area.origin.x + area.size.width / 2,
                                      area.origin.y + area.size.height / 2), ==, 7);
  sg_timeline_hover_at (fx->timeline, area.origin.x + area.size.width / 2,
                        area.origin.y + area.size.height / 2);
  g_assert_cmpuint (fx->hovered, ==, 7);
  sg_timeline_hover_at (fx->timeline, -1, -1);
  g_assert_cmpuint (fx->hovered, ==, 0);

  sg_timeline_set_highlighted_id (fx->timeline, 7);
  g_assert_cmpuint (sg_timeline_get_highlighted_id (fx->timeline), ==, 7);

  /* Zoom in and back to the whole run. */
  g_assert_true (sg_timeline_get_fit (fx->timeline));
  scale = sg_timeline_get_scale (fx->timeline);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->timeline), "timeline.zoom-in", NULL));
  g_assert_false (sg_timeline_get_fit (fx->timeline));
  g_assert_cmpfloat (sg_timeline_get_scale (fx->timeline), >, scale);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->timeline), "timeline.zoom-fit", NULL));
  g_assert_true (sg_timeline_get_fit (fx->timeline));
  g_assert_cmpfloat_with_epsilon (sg_timeline_get_scale (fx->timeline), scale, 1e-9);

  g_signal_handlers_disconnect_by_data (fx->timeline, fx);
}

static gboolean
variants_shown (gpointer user_data)
{
  SgSpritePage *page = user_data;

  return sg_sprite_page_get_variants_shown (page) == sg_sprite_page_get_variants_total (page);
}

static void
test_sprite_page (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  SgSpritePage *page;
  SgSprite *sprite;

  pool_run_start (fx->run, FALSE);
  g_assert_true (sg_test_wait_until (run_finished, fx, TIMEOUT_S));
  g_assert_true (fx->run->ok);

  /* What the window does when a sprite arrives. */
  sprite = pool_run_sprite (fx->run, 25);
  texture = sg_texture_decode_png (sg_sprite_get_png (sprite), &error);
  g_assert_no_error (error);
  sg_sprite_set_paintable (sprite, G_OBJECT (texture));
  sg_pool_mark_shown (fx->run->pool, sprite);

  page = SG_SPRITE_PAGE (sg_sprite_page_new (sprite));
  gtk_window_set_transient_for (GTK_WINDOW (page), fx->window);
  gtk_window_present (GTK_WINDOW (page));
  g_assert_true (sg_sprite_page_get_sprite (page) == sprite);

  /* Front from memory; back, shiny and back shiny over HTTP. */
  g_assert_cmpuint (sg_sprite_page_get_variants_total (page), ==, 4);
  g_assert_true (sg_test_wait_until (variants_shown, page, TIMEOUT_S));
  save_widget_png (GTK_WIDGET (page), "viz-sprite-page.png");

  /* Closing while nothing is pending, then while transfers go. */
  gtk_window_destroy (GTK_WINDOW (page));
  page = SG_SPRITE_PAGE (sg_sprite_page_new (pool_run_sprite (fx->run, 26)));
  gtk_window_present (GTK_WINDOW (page));
  gtk_window_destroy (GTK_WINDOW (page));
  g_main_context_iteration (NULL, FALSE);
}

static SgRunRecord *
record (const char *strategy,
        guint       workers,
        double      wall_ms)
{
  g_autofree char *text =
    g_strdup_printf ("{\"settings\":{\"base_url\":\"http://127.0.0.1:1/api/v2/\",\"first\":1,"
                     "\"count\":100,\"workers\":%u,\"in_flight\":4,\"strategy\":\"%s\"},"
                     "\"first_sprite_ms\":150,\"all_done_ms\":%g,"
                     "\"counts\":{\"done\":100,\"failed\":0,\"retried\":0,\"from_cache\":0},"
                     "\"workers\":[]}", workers, strategy, wall_ms);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return sg_run_record_new_from_report (json_node_get_object (json_parser_get_root (parser)),
                                        NULL);
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static void
on_compare (SgHistoryWindow *window,
            guint           *n)
{
  (*n)++;
}

static void
test_history_window (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sg-viz-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.json", NULL);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  static const struct { const char *strategy; guint workers; double wall_ms; } runs[] = {
    { "sequential", 1, 20400 }, { "queue", 1, 5300 }, { "queue", 2, 2900 },
    { "queue", 4, 1700 }, { "queue", 8, 1250 },
  };
  SgHistoryWindow *window;
  const SgSpeedup *speedup;
  g_autofree char *description = NULL;
  guint n_compare = 0;

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr(SgRunRecord) run = record (runs[i].strategy, runs[i].workers, runs[i].wall_ms);

      sg_run_history_add (history, run);
    }

  window = SG_HISTORY_WINDOW (sg_history_window_new (history));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (window, "compare-requested", G_CALLBACK (on_compare), &n_compare);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "history.compare", NULL));
  g_assert_cmpuint (n_compare, ==, 1);
  sg_history_window_set_status (window, "Run 3 of 5: queue with 2 processes");

  {
    GtkWidget *chart = NULL;

    /* Find the chart to check what it draws. */
    for (GtkWidget *w = GTK_WIDGET (window); w != NULL && chart == NULL;)
      {
        GtkWidget *next = gtk_widget_get_first_child (w);

        if (SG_IS_SPEEDUP_CHART (w))
          chart = w;
        else if (next != NULL)
          w = next;
        else
          {
            while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w != NULL ? gtk_widget_get_next_sibling (w) : NULL;
          }
      }
    g_assert_nonnull (chart);
    speedup = sg_speedup_chart_get_speedup (SG_SPEEDUP_CHART (chart));
    g_assert_true (speedup->baseline_is_sequential);
    g_assert_cmpuint (speedup->points->len, ==, 4);
    description = sg_speedup_chart_describe (SG_SPEEDUP_CHART (chart));
    g_assert_nonnull (strstr (description, "sequential"));
  }

  save_widget_png (GTK_WIDGET (window), "viz-history.png");
  sg_history_window_set_status (window, NULL);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Let the saves land before the folder goes. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    sg_run_history_flush_async (history, NULL, on_flushed, &result);
    g_assert_true (sg_test_wait_until (have_result, &result, TIMEOUT_S));
    g_assert_true (sg_run_history_flush_finish (history, result, NULL));
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* The progress line: the fraction, clamped, drawn as a filled share of its
 * width from the start edge; a notify only for a new value. */
static gboolean
is_allocated (gpointer widget)
{
  return gtk_widget_get_width (widget) == 200;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n_notified)
{
  (*n_notified)++;
}

static graphene_rect_t
drawn_bounds (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    {
      g_assert_cmpint (gsk_render_node_get_node_type (node), ==, GSK_COLOR_NODE);
      gsk_render_node_get_bounds (node, &bounds);
    }
  return bounds;
}

static void
test_progress_line (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *line = sg_progress_line_new ();
  SgProgressLine *progress = SG_PROGRESS_LINE (line);
  guint n_notified = 0;
  graphene_rect_t bounds;

  gtk_widget_set_size_request (line, 200, -1);
  gtk_widget_set_halign (line, GTK_ALIGN_START);
  gtk_widget_set_valign (line, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), line);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sg_test_wait_until (is_allocated, line, TIMEOUT_S));
  g_assert_cmpint (gtk_widget_get_height (line), ==, 3);   /* style.css */
  g_signal_connect (line, "notify::fraction", G_CALLBACK (count_notify), &n_notified);

  /* Nothing done: nothing drawn. */
  bounds = drawn_bounds (line);
  g_assert_cmpfloat (bounds.size.width, ==, 0);

  sg_progress_line_set_fraction (progress, 0.25);
  sg_progress_line_set_fraction (progress, 0.25);
  g_assert_cmpfloat (sg_progress_line_get_fraction (progress), ==, 0.25);
  g_assert_cmpuint (n_notified, ==, 1);
  bounds = drawn_bounds (line);
  g_assert_cmpfloat (bounds.origin.x, ==, 0);
  g_assert_cmpfloat (bounds.size.width, ==, 50);
  g_assert_cmpfloat (bounds.size.height, ==, 3);

  /* Right to left: it fills from the right. */
  gtk_widget_set_direction (line, GTK_TEXT_DIR_RTL);
  bounds = drawn_bounds (line);
  g_assert_cmpfloat (bounds.origin.x, ==, 150);
  g_assert_cmpfloat (bounds.size.width, ==, 50);

  sg_progress_line_set_fraction (progress, 1.7);
  g_assert_cmpfloat (sg_progress_line_get_fraction (progress), ==, 1.0);
  g_object_set (line, "fraction", 0.0, NULL);
  g_assert_cmpfloat (sg_progress_line_get_fraction (progress), ==, 0.0);
  sg_progress_line_set_fraction (progress, -3);
  g_assert_cmpfloat (sg_progress_line_get_fraction (progress), ==, 0.0);
  g_assert_cmpuint (n_notified, ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A grid of a thousand tiles, as the gallery has it: in a scrolled window,
 * itself in an SgColumnFit when @fit. */
typedef struct {
  GtkWidget   *window;
  GtkGridView *grid;
} Gallery;

static void
setup_tile (GtkListItemFactory *factory,
            GtkListItem        *item)
{
  gtk_list_item_set_child (item, sg_tile_new ());
}

static Gallery
gallery_new (gboolean fit,
             int      width)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  Gallery gallery;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", i + 1);
      gtk_string_list_append (names, name);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_tile), NULL);
  gallery.grid = GTK_GRID_VIEW (gtk_grid_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&names)))),
                                                   factory));
  gtk_grid_view_set_max_columns (gallery.grid, 16);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (gallery.grid));

  gallery.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (gallery.window), width, 600);
  if (fit)
    {
      GtkWidget *column_fit = sg_column_fit_new ();

      sg_column_fit_set_child (SG_COLUMN_FIT (column_fit), scroller);
      sg_column_fit_set_grid (SG_COLUMN_FIT (column_fit), gallery.grid, SG_TILE_MIN_WIDTH, 16);
      gtk_window_set_child (GTK_WINDOW (gallery.window), column_fit);
    }
  else
    {
      gtk_window_set_child (GTK_WINDOW (gallery.window), scroller);
    }
  gtk_window_present (GTK_WINDOW (gallery.window));
  return gallery;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* The tiles of the first row: those shown level with the first one. */
static guint
n_columns_shown (GtkGridView *grid)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (grid));
  graphene_rect_t first_bounds, bounds;
  guint n = 0;

  if (first == NULL || !gtk_widget_compute_bounds (first, GTK_WIDGET (grid), &first_bounds))
    return 0;
  for (GtkWidget *child = first; child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child) &&
        gtk_widget_compute_bounds (child, GTK_WIDGET (grid), &bounds) &&
        bounds.origin.y == first_bounds.origin.y)
      n++;
  return n;
}

typedef struct {
  Gallery *galleries;
  int      width;
} Layout;

static gboolean
galleries_laid_out (gpointer user_data)
{
  Layout *layout = user_data;

  for (guint i = 0; i < 2; i++)
    if (gtk_widget_get_width (layout->galleries[i].window) != layout->width ||
        gtk_widget_get_width (GTK_WIDGET (layout->galleries[i].grid)) != layout->width ||
        n_columns_shown (layout->galleries[i].grid) == 0)
      return FALSE;
  return TRUE;
}

/* The fitted gallery has its limit for its width, shows as many columns as
 * the plain one, and keeps fewer tiles when the limit is below 16. */
static gboolean
columns_fitted (gpointer user_data)
{
  Layout *layout = user_data;
  GtkGridView *fitted = layout->galleries[0].grid;
  GtkGridView *plain = layout->galleries[1].grid;
  guint columns = sg_column_fit_columns_for (gtk_widget_get_width (layout->galleries[0].window),
                                             SG_TILE_MIN_WIDTH, 16);

  return gtk_grid_view_get_max_columns (fitted) == columns &&
         n_columns_shown (fitted) == n_columns_shown (plain) &&
         (columns == 16 || n_children (GTK_WIDGET (fitted)) < n_children (GTK_WIDGET (plain)));
}

typedef struct {
  GtkWidget *widget;
  int        width;
} MinWidth;

static gboolean
min_width_grew (gpointer user_data)
{
  MinWidth *before = user_data;
  int width;

  gtk_widget_measure (before->widget, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
  return width > before->width;
}

/* The timeline's label column and its lanes, and the speed-up chart's
 * margins, follow the text size (large text in Accessibility, a longer
 * translation): no label runs into the bars, the next lane or the edge. */
static void
test_charts_follow_text_size (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sg-viz-text-size-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.json", NULL);
  g_autoptr(SgRunHistory) history = sg_run_history_new (path);
  g_autoptr(SgTimelineModel) model = sg_timeline_model_new ();
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  g_autoptr(GAsyncResult) flushed = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  SgTimeline *timeline = SG_TIMELINE (sg_timeline_new ());
  SgSpeedupChart *chart = SG_SPEEDUP_CHART (sg_speedup_chart_new ());
  graphene_rect_t bar_before, bar_after, plot_before, plot_after;
  MinWidth before = { GTK_WIDGET (timeline), 0 };
  int height_before, height_after;
  static const struct { const char *strategy; guint workers; double wall_ms; } runs[] = {
    { "sequential", 1, 20400 }, { "queue", 1, 5300 }, { "queue", 2, 2900 },
  };

  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 0, 4242, 0);
  feed (model, 0, SG_POOL_EVENT_WORKER_SPAWNED, 1, 4243, 0);
  feed_attempt (model, 10, 0, 4242, 1, SG_POOL_EVENT_DONE);
  feed_attempt (model, 10, 1, 4243, 2, SG_POOL_EVENT_DONE);
  feed (model, 60, SG_POOL_EVENT_WORKER_DIED, 1, 4243, 0);
  sg_timeline_model_finish (model, 80);
  sg_timeline_set_model (timeline, model);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr(SgRunRecord) run = record (runs[i].strategy, runs[i].workers, runs[i].wall_ms);

      sg_run_history_add (history, run);
    }
  sg_speedup_chart_set_history (chart, history);

  gtk_widget_set_vexpand (GTK_WIDGET (timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (chart), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (timeline));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (chart));
  gtk_window_set_default_size (window, 700, 700);
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  save_widget_png (GTK_WIDGET (window), "viz-text-normal.png");

  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_HORIZONTAL, -1, &before.width, NULL,
                      NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, &height_before, NULL,
                      NULL, NULL);
  g_assert_true (sg_timeline_get_bar_area (timeline, 1, &bar_before));
  g_assert_true (sg_speedup_chart_get_plot_area (chart, &plot_before));

  /* Twice the text size. */
  gtk_css_provider_load_from_data (provider, ".sg-test-large-text { font-size: 200%; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_widget_add_css_class (GTK_WIDGET (timeline), "sg-test-large-text");
  gtk_widget_add_css_class (GTK_WIDGET (chart), "sg-test-large-text");
  g_assert_true (sg_test_wait_until (min_width_grew, &before, TIMEOUT_S));
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, &height_after, NULL,
                      NULL, NULL);
  g_assert_cmpint (height_after, >, height_before);
  save_widget_png (GTK_WIDGET (window), "viz-text-large.png");

  /* The bars start further right, past the wider labels, and lower. */
  g_assert_true (sg_timeline_get_bar_area (timeline, 1, &bar_after));
  g_assert_cmpfloat (bar_after.origin.x, >, bar_before.origin.x);
  g_assert_cmpfloat (bar_after.origin.y, >, bar_before.origin.y);
  /* The plot leaves more room on every side. */
  g_assert_true (sg_speedup_chart_get_plot_area (chart, &plot_after));
  g_assert_cmpfloat (plot_after.origin.x, >, plot_before.origin.x);
  g_assert_cmpfloat (plot_after.origin.y, >, plot_before.origin.y);
  g_assert_cmpfloat (gtk_widget_get_width (GTK_WIDGET (chart)) -
                     (plot_after.origin.x + plot_after.size.width), >,
                     gtk_widget_get_width (GTK_WIDGET (chart)) -
                     (plot_before.origin.x + plot_before.size.width));

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (provider));
  gtk_window_destroy (window);
  sg_run_history_flush_async (history, NULL, on_flushed, &flushed);
  g_assert_true (sg_test_wait_until (have_result, &flushed, TIMEOUT_S));
  g_assert_true (sg_run_history_flush_finish (history, flushed, NULL));
  g_unlink (path);
  g_rmdir (dir);
}

/* The gallery keeps fewer tiles than a limit of 16 columns would, and still
 * shows every column that fits, at any width. */
static void
test_column_fit (void)
{
  static const int widths[] = { 800, 1200, 400 };
  Gallery galleries[2];

  g_assert_cmpuint (sg_column_fit_columns_for (800, 144, 16), ==, 5);
  g_assert_cmpuint (sg_column_fit_columns_for (100, 144, 16), ==, 1);
  g_assert_cmpuint (sg_column_fit_columns_for (9000, 144, 16), ==, 16);
  g_assert_cmpuint (sg_column_fit_columns_for (0, 144, 16), ==, 16);

  galleries[0] = gallery_new (TRUE, widths[0]);
  galleries[1] = gallery_new (FALSE, widths[0]);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      Layout layout = { galleries, widths[i] };

      gtk_window_set_default_size (GTK_WINDOW (galleries[0].window), widths[i], 600);
      gtk_window_set_default_size (GTK_WINDOW (galleries[1].window), widths[i], 600);
      g_assert_true (sg_test_wait_until (galleries_laid_out, &layout, TIMEOUT_S));
      /* A new limit is laid out in a later frame than the new width. */
      g_assert_true (sg_test_wait_until (columns_fitted, &layout, TIMEOUT_S));
      g_assert_cmpuint (n_columns_shown (galleries[0].grid), <=,
                        gtk_grid_view_get_max_columns (galleries[0].grid));
    }

  gtk_window_destroy (GTK_WINDOW (galleries[0].window));
  gtk_window_destroy (GTK_WINDOW (galleries[1].window));
}

int
main (int   argc,
      char *argv[])
{
  /* Xvfb comes without a session bus, so without the accessibility bus
   * GTK would warn about (fatally, in a test). */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sg_gui_init ();

  {
    /* The app's style sheet: worker colours for the panel's dots. */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, SG_RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/viz/widgets/fill-and-kill", Fixture, NULL, fixture_set_up, test_fill_and_kill,
              fixture_tear_down);
  g_test_add ("/viz/widgets/hover-and-zoom", Fixture, NULL, fixture_set_up, test_hover_and_zoom,
              fixture_tear_down);
  g_test_add ("/viz/widgets/sprite-page", Fixture, NULL, fixture_set_up, test_sprite_page,
              fixture_tear_down);
  g_test_add_func ("/viz/widgets/history-window", test_history_window);
  g_test_add_func ("/viz/widgets/progress-line", test_progress_line);
  g_test_add_func ("/viz/widgets/column-fit", test_column_fit);
  g_test_add_func ("/viz/widgets/charts-follow-text-size", test_charts_follow_text_size);

  return g_test_run ();
}
