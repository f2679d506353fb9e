/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The viz widgets on their own, under Xvfb, with a real pool (the built
 * helper, the mock PokeAPI with latency): the timeline and the workers
 * panel fill during a run; killing a worker mid-run from the panel still
 * ends with every sprite; hovering a bar reports its sprite; zoom works.
 */
#include "config.h"

#include <adwaita.h>

#include "sg-gui.h"
#include "sg-test-mock.h"
#include "sg-timeline.h"
#include "sg-worker-row.h"
#include "sg-workers-panel.h"
#include "test-pool-support.h"

#define TIMEOUT_S 60

typedef gboolean (*Condition) (gpointer user_data);

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_until (Condition condition,
            gpointer  user_data,
            guint     timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_up, NULL);
  gboolean ok;

  while (!(ok = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

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

typedef struct {
  GtkWidget *widget;
  char      *path;
  gboolean   saved;
} Shot;

/* Right after a frame is painted the window's render node is complete
 * (while a run goes, the timeline invalidates it every frame). */
static void
on_after_paint (GdkFrameClock *frame_clock,
                Shot          *shot)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (shot->widget);
  int height = gtk_widget_get_height (shot->widget);

  if (shot->saved)
    return;

  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return; /* not this frame */

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (shot->widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, shot->path));
  shot->saved = TRUE;
}

static gboolean
shot_saved (gpointer user_data)
{
  return ((Shot *) user_data)->saved;
}

static void
save_png (Fixture    *fx,
          const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  Shot shot = { GTK_WIDGET (fx->window), path, FALSE };
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (shot.widget);
  gulong handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint),
                                     &shot);

  gtk_widget_queue_draw (shot.widget);
  g_assert_true (wait_until (shot_saved, &shot, TIMEOUT_S));
  g_signal_handler_disconnect (frame_clock, handler);
  g_test_message ("Saved %s", path);
}

static void
on_killed (SgWorkersPanel *panel,
           guint           slot,
           Fixture        *fx)
{
  fx->killed++;
}

static void
test_fill_and_kill (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GList) rows = NULL;
  guint n_died = 0;

  g_signal_connect (fx->panel, "killed", G_CALLBACK (on_killed), fx);
  pool_run_start (fx->run, FALSE);
  g_assert_true (wait_until (some_done, fx, TIMEOUT_S));

  /* Mid-run: a lane per helper, bars drawn, a row per worker. */
  g_assert_true (wait_until (bars_drawn, fx, TIMEOUT_S));
  g_assert_true (sg_timeline_model_get_running (fx->model));
  g_assert_cmpuint (sg_timeline_model_get_n_lanes (fx->model), ==, 3);
  rows = panel_rows (fx);
  g_assert_cmpuint (g_list_length (rows), ==, 3);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      g_autofree char *state = sg_worker_row_state_text (sg_worker_row_get_worker (l->data));

      g_assert_cmpstr (state, !=, "");
    }
  save_png (fx, "viz-mid-run.png");

  /* Kill a random worker from the panel, as the class would. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->panel), "workers.kill-random", NULL));
  g_assert_cmpuint (fx->killed, ==, 1);

  g_assert_true (wait_until (run_finished, fx, TIMEOUT_S));
  g_assert_true (fx->run->ok);
  g_assert_cmpuint (sg_pool_get_n_done (fx->run->pool), ==, 40);
  assert_each_done_once (fx->run);
  g_assert_cmpuint (fx->run->n_deaths, ==, 1);
  for (guint i = 0; i < sg_timeline_model_get_n_lives (fx->model); i++)
    if (sg_timeline_model_get_life (fx->model, i)->died_ms >= 0)
      n_died++;
  g_assert_cmpuint (n_died, ==, 1);
  /* Nothing left to kill once the run is over. */
  gtk_widget_activate_action (GTK_WIDGET (fx->panel), "workers.kill-random", NULL);
  g_assert_cmpuint (fx->killed, ==, 1);

  g_assert_true (wait_until (bars_drawn, fx, TIMEOUT_S));
  save_png (fx, "viz-after-kill.png");
  g_signal_handlers_disconnect_by_data (fx->panel, fx);
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
  g_assert_true (wait_until (run_finished, fx, TIMEOUT_S));
  g_assert_true (fx->run->ok);
  g_assert_true (wait_until (bars_drawn, fx, TIMEOUT_S));

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

  return g_test_run ();
}
