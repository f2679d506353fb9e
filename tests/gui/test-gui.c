/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The real window (from the GUI library) driving real helpers
 * (SPRITE_GALLERY_FETCHER = the built fetcher) against the mock PokeAPI,
 * under Xvfb; and the built program itself for its exit statuses and its
 * report. Every wait is bounded.
 */
#define G_LOG_DOMAIN "test-gui"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sg-application.h"
#include "sg-gui.h"
#include "sg-mock-api.h"
#include "sg-pixel-view.h"
#include "sg-preferences-window.h"
#include "sg-test-gui.h"
#include "sg-test-mock.h"
#include "sg-texture.h"
#include "sg-tile.h"
#include "sg-window-private.h"
#include "sg-lsan-suppressions.h"
#include "test-pool-support.h"

/* Generous: a loaded 2-core box runs helpers, the mock and Xvfb at once. */
#define RUN_TIMEOUT_S   120
#define SHORT_TIMEOUT_S 30

static SgApplication *app;

typedef struct {
  char        *tmp_dir;
  GSubprocess *mock;
  char        *base_url;
  SgPool      *pool;
  SgWindow    *window;
  guint        n_finished;
  gboolean     last_all_done;
} Fixture;

/* Helpers ------------------------------------------------------------------- */

/* Our children whose name starts with "sprite-gallery-" (the helpers),
 * zombies included: a helper that was not reaped is still "left". */
static guint
count_helper_children (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *stat = NULL;
      const char *comm_start, *comm_end;
      int ppid = 0;
      char state;

      if (!g_ascii_isdigit (name[0]))
        continue;
      stat_path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;

      /* "pid (comm) state ppid ...": comm may hold spaces and parentheses */
      comm_start = strchr (stat, '(');
      comm_end = strrchr (stat, ')');
      if (comm_start == NULL || comm_end == NULL ||
          sscanf (comm_end + 1, " %c %d", &state, &ppid) != 2)
        continue;

      if (ppid == getpid () &&
          g_str_has_prefix (comm_start + 1, "sprite-gallery-"))
        n++;
    }

  return n;
}

static gboolean
no_helper_children (gpointer user_data)
{
  return count_helper_children () == 0;
}

static void
on_run_finished (SgWindow *window,
                 gboolean  all_done,
                 Fixture  *fx)
{
  fx->n_finished++;
  fx->last_all_done = all_done;
}

static void
wait_run_finished (Fixture *fx,
                   guint    n)
{
  g_assert_true (sg_test_wait_at_least (&fx->n_finished, n, RUN_TIMEOUT_S));
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->tmp_dir = g_dir_make_tmp ("sg-gui-test-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
start_mock (Fixture           *fx,
            const char *const *args)
{
  g_autoptr(GError) error = NULL;

  fx->mock = sg_test_mock_spawn (args, &fx->base_url, &error);
  g_assert_no_error (error);
}

static SgRunOptions *
make_options (Fixture    *fx,
              const char *base_url)
{
  SgRunOptions *options = sg_run_options_new ();

  g_free (options->base_url);
  options->base_url = g_strdup (base_url);
  options->workers = 2;
  options->in_flight = 4;
  /* hermetic: a fresh cache directory that is not even used */
  options->no_cache = TRUE;
  options->cache_dir = g_build_filename (fx->tmp_dir, "cache", NULL);
  return options;
}

static void
open_window (Fixture            *fx,
             const SgRunOptions *options)
{
  fx->pool = sg_pool_new (options);
  fx->window = sg_window_new (GTK_APPLICATION (app), fx->pool);
  g_signal_connect (fx->window, "run-finished", G_CALLBACK (on_run_finished), fx);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (fx->window));
}

static gboolean
window_idle (gpointer user_data)
{
  return !sg_window_get_running (user_data);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->window != NULL)
    {
      /* Closing mid-run would be a Stop; every test ends its runs first
       * (a retry outside a run winds down on its own). */
      g_assert_true (sg_test_wait_until (window_idle, fx->window, SHORT_TIMEOUT_S));
      g_object_add_weak_pointer (G_OBJECT (fx->window), (gpointer *) &fx->window);
      gtk_window_destroy (GTK_WINDOW (fx->window));
      /* nothing (a run callback, a toast, a tick) keeps the window alive */
      g_assert_true (sg_test_wait_until (sg_test_is_null, &fx->window, SHORT_TIMEOUT_S));
    }
  if (fx->pool != NULL)
    g_assert_finalize_object (g_steal_pointer (&fx->pool));

  g_assert_true (sg_test_wait_until (no_helper_children, NULL, SHORT_TIMEOUT_S));

  sg_test_mock_stop (g_steal_pointer (&fx->mock));
  g_clear_pointer (&fx->base_url, g_free);
  sg_test_rm_rf (fx->tmp_dir);
  g_clear_pointer (&fx->tmp_dir, g_free);
}

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, out);
}

static SgTile *
find_tile (Fixture *fx,
           guint    id)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fx->window), SG_TYPE_TILE, tiles);
  for (guint i = 0; i < tiles->len; i++)
    {
      SgSprite *sprite = sg_tile_get_sprite (tiles->pdata[i]);

      if (sprite != NULL && sg_sprite_get_id (sprite) == id)
        return tiles->pdata[i];
    }
  return NULL;
}

static SgSprite *
get_sprite (Fixture *fx,
            guint    id)
{
  GListModel *sprites = sg_pool_get_sprites (fx->pool);

  for (guint i = 0; i < g_list_model_get_n_items (sprites); i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (sprites, i);

      if (sg_sprite_get_id (sprite) == id)
        return sprite; /* the model keeps it alive */
    }
  g_assert_not_reached ();
}

static void
on_after_paint (GdkFrameClock *frame_clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits until the window painted a frame with what is there now. */
static void
wait_for_paint (Fixture *fx)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (fx->window));
  gboolean painted = FALSE;
  gulong handler;

  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (fx->window));
  g_assert_true (sg_test_wait_until (sg_test_is_true, &painted, SHORT_TIMEOUT_S));
  g_signal_handler_disconnect (frame_clock, handler);
}

static gboolean
mapped_tiles_show_done (gpointer user_data)
{
  Fixture *fx = user_data;
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fx->window), SG_TYPE_TILE, tiles);
  for (guint i = 0; i < tiles->len; i++)
    if (gtk_widget_get_mapped (tiles->pdata[i]) && sg_tile_get_sprite (tiles->pdata[i]) != NULL &&
        sg_tile_get_shown_state (tiles->pdata[i]) != SG_SPRITE_DONE)
      return FALSE;
  return TRUE;
}

/* The window as the renderer draws it. */
static GdkTexture *
render_window (Fixture *fx)
{
  GtkWidget *widget = GTK_WIDGET (fx->window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static guchar *
download (GdkTexture *texture)
{
  gsize stride = (gsize) gdk_texture_get_width (texture) * 4;
  guchar *data = g_malloc (stride * gdk_texture_get_height (texture));

  gdk_texture_download (texture, data, stride);
  return data;
}

static guint32
pixel (const guchar *data,
       int           width,
       int           x,
       int           y)
{
  guint32 value;

  memcpy (&value, data + ((gsize) y * width + x) * 4, sizeof value);
  return value;
}

/* Runs the built program with @args to its end (killed if it hangs) and
 * returns its exit status; -1 if it did not exit normally. */
static int
run_program (const char *const  *args,
             char              **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) SG_TEST_GUI_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  return sg_test_run_argv ((const char *const *) argv->pdata, RUN_TIMEOUT_S, out_stderr);
}

static gboolean
n_done_at_least_3 (gpointer user_data)
{
  Fixture *fx = user_data;

  return sg_pool_get_n_done (fx->pool) >= 3;
}

/* Tests --------------------------------------------------------------------- */

/* Counts the pixels of @texture (the window) inside @bounds whose colour
 * is one of the opaque colours of @sprite_texture, background excluded. */
static guint
count_sprite_pixels (const guchar          *window_pixels,
                     int                    window_width,
                     const graphene_rect_t *bounds,
                     GdkTexture            *sprite_texture,
                     guint                 *out_opaque)
{
  g_autoptr(GHashTable) palette = g_hash_table_new (NULL, NULL);
  g_autofree guchar *sprite = download (sprite_texture);
  int sw = gdk_texture_get_width (sprite_texture);
  int sh = gdk_texture_get_height (sprite_texture);
  int x0 = (int) bounds->origin.x, y0 = (int) bounds->origin.y;
  int x1 = x0 + (int) bounds->size.width, y1 = y0 + (int) bounds->size.height;
  guint32 background = pixel (window_pixels, window_width, x0, y0);
  guint n_opaque = 0, n_found = 0;

  for (int y = 0; y < sh; y++)
    for (int x = 0; x < sw; x++)
      {
        guint32 p = pixel (sprite, sw, x, y);

        /* GDK_MEMORY_DEFAULT is B8G8R8A8 premultiplied: alpha is the top
         * byte on little-endian */
        if ((p >> 24) == 0xff)
          {
            n_opaque++;
            g_hash_table_add (palette, GUINT_TO_POINTER (p));
          }
      }
  /* a white sprite pixel on a white card proves nothing */
  g_hash_table_remove (palette, GUINT_TO_POINTER (background));

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (g_hash_table_contains (palette, GUINT_TO_POINTER (pixel (window_pixels, window_width, x, y))))
        n_found++;

  *out_opaque = n_opaque;
  return n_found;
}

static void
test_fills_all_tiles (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(GdkTexture) rendered = NULL;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  g_autofree guchar *window_pixels = NULL;
  g_autofree char *png_path = NULL;
  graphene_rect_t viewport;
  GListModel *sprites;
  guint n_checked = 0;

  start_mock (fx, NULL);
  options = make_options (fx, fx->base_url);
  open_window (fx, options);

  sg_window_start_run (fx->window, FALSE);
  g_assert_true (sg_window_get_running (fx->window));
  wait_run_finished (fx, 1);

  /* Every sprite arrived and was decoded into a texture. */
  g_assert_true (fx->last_all_done);
  sprites = sg_pool_get_sprites (fx->pool);
  g_assert_cmpuint (g_list_model_get_n_items (sprites), ==, 100);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, 100);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (sprites, i);

      g_assert_cmpint (sg_sprite_get_state (sprite), ==, SG_SPRITE_DONE);
      g_assert_true (GDK_IS_TEXTURE (sg_sprite_get_paintable (sprite)));
    }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "gallery");
  g_assert_cmpstr (gtk_inscription_get_text (fx->window->progress_label), ==, "100 / 100");

  /* What a person sees: render the window, keep the picture, and find each
   * visible tile's sprite colours where its sprite is drawn. Tiles catch
   * up with their sprites a dozen per frame: after a run that left few
   * frames (a loaded machine), that takes a few more. */
  g_assert_true (sg_test_wait_until (mapped_tiles_show_done, fx, SHORT_TIMEOUT_S));
  wait_for_paint (fx);
  rendered = render_window (fx);
  png_path = g_test_build_filename (G_TEST_BUILT, "fills-all-tiles.png", NULL);
  g_assert_true (gdk_texture_save_to_png (rendered, png_path));
  g_test_message ("The window: %s", png_path);
  window_pixels = download (rendered);

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (fx->window->gallery_scroller),
                                            GTK_WIDGET (fx->window), &viewport));
  collect_widgets (GTK_WIDGET (fx->window), SG_TYPE_PIXEL_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    {
      GtkWidget *view = views->pdata[i];
      GtkWidget *tile = gtk_widget_get_ancestor (view, SG_TYPE_TILE);
      SgSprite *sprite = sg_tile_get_sprite (SG_TILE (tile));
      graphene_rect_t bounds;
      guint n_opaque, n_found;

      if (!gtk_widget_get_mapped (view) || sprite == NULL ||
          !gtk_widget_compute_bounds (view, GTK_WIDGET (fx->window), &bounds) ||
          !graphene_rect_contains_rect (&viewport, &bounds))
        continue;

      n_found = count_sprite_pixels (window_pixels, gdk_texture_get_width (rendered), &bounds,
                                     GDK_TEXTURE (sg_sprite_get_paintable (sprite)), &n_opaque);
      g_test_message ("#%u: %u of ~%u sprite pixels on screen", sg_sprite_get_id (sprite),
                      n_found, n_opaque * 25 / 16);
      /* Drawn at 120 px, each of the 96 px sprite's pixels covers 1.56
       * pixels on screen, in its exact colour (nearest-neighbour). */
      g_assert_cmpuint (n_opaque, >, 0);
      g_assert_cmpuint (n_found, >=, n_opaque);
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >=, 6);
}

static void
test_stop_then_run (Fixture       *fx,
                    gconstpointer  data)
{
  const char *mock_args[] = { "--latency-ms", "150", NULL };
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  GListModel *workers;

  start_mock (fx, mock_args);
  options = make_options (fx, fx->base_url);
  open_window (fx, options);

  sg_window_start_run (fx->window, FALSE);
  g_assert_true (sg_test_wait_until (n_done_at_least_3, fx, RUN_TIMEOUT_S));
  g_assert_cmpuint (fx->n_finished, ==, 0);

  /* The one button is Stop now. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (fx->window->run_button)),
                   ==, "win.stop");
  workers = sg_pool_get_workers (fx->pool);
  for (guint i = 0; i < g_list_model_get_n_items (workers); i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (workers, i);
      GPid pid = sg_worker_get_pid (worker);

      if (pid > 0)
        g_array_append_val (pids, pid);
    }
  g_assert_cmpuint (pids->len, >, 0);
  g_assert_cmpuint (count_helper_children (), >, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.stop", NULL));
  wait_run_finished (fx, 1);
  g_assert_false (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), <, 100);
  g_assert_false (sg_window_get_running (fx->window));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (fx->window->run_button)),
                   ==, "win.run");

  /* Stop means stop: no helper left, not even a zombie. */
  g_assert_true (sg_test_wait_until (no_helper_children, NULL, SHORT_TIMEOUT_S));
  for (guint i = 0; i < pids->len; i++)
    {
      g_assert_cmpint (kill (g_array_index (pids, GPid, i), 0), ==, -1);
      g_assert_cmpint (errno, ==, ESRCH);
    }

  /* Run again: a new run starts at once and completes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.run", NULL));
  g_assert_true (sg_window_get_running (fx->window));
  wait_run_finished (fx, 2);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, 100);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* Bind a port and close it again: nothing listens there afterwards. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

static void
test_unreachable_shows_status_page (Fixture       *fx,
                                    gconstpointer  data)
{
  g_autofree char *base_url = g_strdup_printf ("http://127.0.0.1:%u/api/v2/", closed_port ());
  g_autoptr(SgRunOptions) options = make_options (fx, base_url);

  open_window (fx, options);
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 1);

  /* One clear page instead of 100 red tiles. */
  g_assert_false (fx->last_all_done);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "status");
  g_assert_cmpstr (adw_status_page_get_title (fx->window->status_page), ==, "Cannot Reach the Server");
  g_assert_cmpstr (adw_status_page_get_icon_name (fx->window->status_page), ==,
                   "network-offline-symbolic");
  g_assert_nonnull (strstr (adw_status_page_get_description (fx->window->status_page), "127.0.0.1"));

  /* Its Retry button runs again (and lands on the same page). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.run", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "gallery");
  wait_run_finished (fx, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "status");
}

typedef struct {
  Fixture *fx;
  guint    id;
} SpriteWait;

static gboolean
sprite_shown (gpointer user_data)
{
  SpriteWait *wait = user_data;
  SgSprite *sprite = get_sprite (wait->fx, wait->id);

  return sg_sprite_get_state (sprite) == SG_SPRITE_DONE &&
         GDK_IS_TEXTURE (sg_sprite_get_paintable (sprite));
}

static GtkWidget *
find_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_drawable (labels->pdata[i]) &&
        g_strcmp0 (gtk_label_get_label (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  return NULL;
}

static void
test_retry_failed_tile (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(SgMockApi) api = sg_mock_api_new ();
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  SpriteWait wait = { fx, 7 };
  GtkWidget *retry = NULL;
  guint n_requests;
  SgSprite *sprite;
  SgTile *tile;
  GVariant *target;

  /* An in-process mock, so the fault can go away between the two tries. */
  sg_mock_api_set_fault (api, 7, SG_MOCK_FAULT_STATUS, 404);
  g_assert_true (sg_mock_api_listen (api, 0, &error));
  g_assert_no_error (error);

  options = make_options (fx, sg_mock_api_get_base_url (api));
  options->count = 12;
  open_window (fx, options);
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 1);

  g_assert_false (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_failed (fx->pool), ==, 1);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, 11);
  sprite = get_sprite (fx, 7);
  g_assert_cmpint (sg_sprite_get_state (sprite), ==, SG_SPRITE_FAILED);
  g_assert_cmpstr (sg_sprite_get_error (sprite), !=, "");

  /* The tile says why, in words, and offers Retry for this sprite. */
  wait_for_paint (fx);
  tile = find_tile (fx, 7);
  g_assert_nonnull (tile);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (tile), "failed"));
  g_assert_nonnull (find_label_with_text (GTK_WIDGET (tile), sg_sprite_get_error (sprite)));
  collect_widgets (GTK_WIDGET (tile), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_is_drawable (buttons->pdata[i]))
      retry = buttons->pdata[i];
  g_assert_nonnull (retry);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (retry)), ==, "win.retry-sprite");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (retry));
  g_assert_cmpuint (g_variant_get_uint32 (target), ==, 7);

  /* The server is fixed; Retry (a click on the tile's button) fetches it. */
  sg_mock_api_set_fault (api, 7, SG_MOCK_FAULT_NONE, 0);
  n_requests = sg_mock_api_get_n_requests (api);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpint (sg_sprite_get_state (sprite), !=, SG_SPRITE_FAILED);
  g_assert_true (sg_test_wait_until (sprite_shown, &wait, RUN_TIMEOUT_S));
  g_assert_cmpuint (sg_mock_api_get_n_requests (api), >, n_requests);
  g_assert_cmpuint (sg_pool_get_n_failed (fx->pool), ==, 0);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, 12);

  /* The tile shows the sprite: no longer failed, no Retry. */
  wait_for_paint (fx);
  tile = find_tile (fx, 7);
  g_assert_nonnull (tile);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (tile), "failed"));
  g_ptr_array_set_size (buttons, 0);
  collect_widgets (GTK_WIDGET (tile), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    g_assert_false (gtk_widget_is_drawable (buttons->pdata[i]));
}

static void
test_close_mid_run_kills_helpers (Fixture       *fx,
                                  gconstpointer  data)
{
  const char *mock_args[] = { "--latency-ms", "150", NULL };
  g_autoptr(SgRunOptions) options = NULL;
  SgWindow *window;

  start_mock (fx, mock_args);
  options = make_options (fx, fx->base_url);
  open_window (fx, options);

  sg_window_start_run (fx->window, FALSE);
  g_assert_true (sg_test_wait_until (n_done_at_least_3, fx, RUN_TIMEOUT_S));
  g_assert_cmpuint (count_helper_children (), >, 0);

  /* Closing the window is Stop: the run ends, every helper is killed and
   * reaped, and the window goes away. */
  window = fx->window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &fx->window);
  gtk_window_close (GTK_WINDOW (window));
  wait_run_finished (fx, 1);
  g_assert_false (fx->last_all_done);
  g_assert_true (sg_test_wait_until (no_helper_children, NULL, SHORT_TIMEOUT_S));
  g_assert_true (sg_test_wait_until (sg_test_is_null, &fx->window, SHORT_TIMEOUT_S));
  g_assert_false (sg_pool_get_running (fx->pool));
}

static gboolean
window_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

/* A run shows Stop in one frame and starts its pool after it: Stop, or
 * closing the window, in between ends the run like any other, with no
 * helper left behind and the application released. */
static void
test_stop_before_the_pool_starts (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = NULL;
  SgWindow *window;

  start_mock (fx, NULL);
  options = make_options (fx, fx->base_url);
  open_window (fx, options);
  g_assert_true (sg_test_wait_until (window_mapped, fx->window, SHORT_TIMEOUT_S));

  sg_window_start_run (fx->window, FALSE);
  g_assert_true (sg_window_get_running (fx->window));
  g_assert_false (sg_pool_get_running (fx->pool));
  sg_window_stop_run (fx->window);
  wait_run_finished (fx, 1);
  g_assert_false (fx->last_all_done);
  g_assert_true (sg_test_wait_until (window_idle, fx->window, SHORT_TIMEOUT_S));
  g_assert_true (sg_test_wait_until (no_helper_children, NULL, SHORT_TIMEOUT_S));

  /* The next run is a whole one. */
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 2);
  g_assert_true (fx->last_all_done);

  /* Closed before its pool started. */
  sg_window_start_run (fx->window, TRUE);
  window = fx->window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &fx->window);
  gtk_window_close (GTK_WINDOW (window));
  wait_run_finished (fx, 3);
  g_assert_false (fx->last_all_done);
  g_assert_true (sg_test_wait_until (sg_test_is_null, &fx->window, SHORT_TIMEOUT_S));
  g_assert_true (sg_test_wait_until (no_helper_children, NULL, SHORT_TIMEOUT_S));
  g_assert_false (sg_pool_get_running (fx->pool));
}

typedef struct {
  Fixture  *fx;
  gboolean  checked;
  gboolean  pool_ran_first;
} FrameFirst;

static gboolean
note_pool_started (gpointer user_data)
{
  FrameFirst *first = user_data;

  /* The rows of the workers exist before a run: the pool has started once
   * one of them has a process. */
  first->pool_ran_first = pool_test_n_started (first->fx->pool) > 0;
  first->checked = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_running_frame (GdkFrameClock *frame_clock,
                  FrameFirst    *first)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_running_frame, first);
  /* GDK_PRIORITY_REDRAW: what a frame due now would run at. */
  g_idle_add_full (GDK_PRIORITY_REDRAW, note_pool_started, first, NULL);
}

/* Once the frame that shows Stop is painted, the pool's start (worker rows,
 * spawning: milliseconds in one block) waits for whatever is due at the
 * redraw priority, instead of running in that frame's own dispatch. */
static void
test_pool_start_yields_to_redraw (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = NULL;
  GdkFrameClock *frame_clock;
  FrameFirst first = { fx, FALSE, FALSE };

  start_mock (fx, NULL);
  options = make_options (fx, fx->base_url);
  open_window (fx, options);
  g_assert_true (sg_test_wait_until (window_mapped, fx->window, SHORT_TIMEOUT_S));
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (fx->window));
  /* A loaded machine or a sanitizer build can take longer than the fallback
   * to paint a frame; the order checked here is the painted window's. */
  fx->window->pool_start_timeout_ms = 60 * 1000;

  sg_window_start_run (fx->window, FALSE);
  /* After the window's own handler, which hands the pool's start over. */
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_running_frame), &first);
  g_assert_true (sg_test_wait_until (sg_test_is_true, &first.checked, SHORT_TIMEOUT_S));
  g_assert_false (first.pool_ran_first);

  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);
}

/* A run started before the window is shown (or while it is not) does not
 * wait for a frame that never comes: it runs to its end. */
static void
test_run_in_a_hidden_window (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = NULL;

  start_mock (fx, NULL);
  options = make_options (fx, fx->base_url);
  fx->pool = sg_pool_new (options);
  fx->window = sg_window_new (GTK_APPLICATION (app), fx->pool);
  g_signal_connect (fx->window, "run-finished", G_CALLBACK (on_run_finished), fx);

  sg_window_start_run (fx->window, FALSE);
  g_assert_true (sg_window_get_running (fx->window));
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, 100);
}

static void
test_window_size_remembered (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autoptr(SgRunOptions) options = make_options (fx, "http://127.0.0.1:1/api/v2/");

  g_settings_set_int (settings, "window-width", 640);
  g_settings_set_int (settings, "window-height", 480);

  /* Opens at the remembered size ... */
  fx->pool = sg_pool_new (options);
  fx->window = sg_window_new (GTK_APPLICATION (app), fx->pool);
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (fx->window), &width, &height);
    g_assert_cmpint (width, ==, 640);
    g_assert_cmpint (height, ==, 480);
  }

  /* ... and remembers the new one when closed. */
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 900, 700);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_object_add_weak_pointer (G_OBJECT (fx->window), (gpointer *) &fx->window);
  gtk_window_close (GTK_WINDOW (fx->window));
  g_assert_true (sg_test_wait_until (sg_test_is_null, &fx->window, SHORT_TIMEOUT_S));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static gboolean
pool_paused (gpointer user_data)
{
  Fixture *fx = user_data;

  return sg_pool_get_paused (fx->pool);
}

static void
test_helper_deaths_pause_and_resume (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = NULL;

  /* A "helper" that dies at once, every time. */
  g_setenv ("SPRITE_GALLERY_FETCHER", "/bin/false", TRUE);

  start_mock (fx, NULL);
  options = make_options (fx, fx->base_url);
  open_window (fx, options);
  sg_window_start_run (fx->window, FALSE);

  /* Too many deaths: the pool pauses and the window says so, with Resume,
   * instead of respawning forever. */
  g_assert_true (sg_test_wait_until (pool_paused, fx, RUN_TIMEOUT_S));
  g_assert_true (gtk_revealer_get_reveal_child (fx->window->paused_revealer));
  g_assert_cmpstr (gtk_label_get_label (fx->window->paused_label), !=, "");
  g_assert_true (sg_window_get_running (fx->window));

  /* Resume hides the banner (the helper is still broken: stop after). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.resume", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (fx->window->paused_revealer));

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_TEST_FETCHER_PATH, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.stop", NULL));
  wait_run_finished (fx, 1);
  g_assert_false (fx->last_all_done);
}

static gboolean
file_gone (gpointer user_data)
{
  return !g_file_test (user_data, G_FILE_TEST_EXISTS);
}

static gboolean
cache_row_settled (gpointer user_data)
{
  GtkWidget *clear = user_data;

  /* "Clear" is insensitive while the cache is measured or cleared */
  return gtk_widget_get_sensitive (clear);
}

static void
test_preferences (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APPLICATION_ID);
  g_autofree char *cache_dir = g_build_filename (fx->tmp_dir, "cache", NULL);
  g_autofree char *cached = g_build_filename (cache_dir, "25.png", NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *preferences, *url_row = NULL, *warning = NULL, *clear = NULL;

  g_assert_cmpint (g_mkdir_with_parents (cache_dir, 0700), ==, 0);
  g_file_set_contents (cached, "not really a png", -1, &error);
  g_assert_no_error (error);

  preferences = sg_preferences_window_new (settings, cache_dir);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  gtk_window_present (GTK_WINDOW (preferences));

  collect_widgets (preferences, ADW_TYPE_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  url_row = rows->pdata[0];
  collect_widgets (preferences, GTK_TYPE_IMAGE, images);
  for (guint i = 0; i < images->len; i++)
    if (g_strcmp0 (gtk_image_get_icon_name (images->pdata[i]), "dialog-warning-symbolic") == 0)
      warning = images->pdata[i];
  g_assert_nonnull (warning);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_row)), ==, SG_DEFAULT_BASE_URL);

  /* A bad address is refused with a visible reason; the setting stays. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "ftp://example.org/");
  g_signal_emit_by_name (url_row, "apply");
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_nonnull (gtk_widget_get_tooltip_text (warning));
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  {
    g_autofree char *stored = g_settings_get_string (settings, "base-url");

    g_assert_cmpstr (stored, ==, SG_DEFAULT_BASE_URL);
  }

  /* A good one is stored, normalised. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://127.0.0.1:9/api/v2");
  g_signal_emit_by_name (url_row, "apply");
  g_assert_false (gtk_widget_get_visible (warning));
  {
    g_autofree char *stored = g_settings_get_string (settings, "base-url");

    g_assert_cmpstr (stored, ==, "http://127.0.0.1:9/api/v2/");
  }

  /* "Clear" empties the cache directory (measured first, in a thread). */
  collect_widgets (preferences, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_has_css_class (buttons->pdata[i], "destructive-action"))
      clear = buttons->pdata[i];
  g_assert_nonnull (clear);
  g_assert_true (sg_test_wait_until (cache_row_settled, clear, SHORT_TIMEOUT_S));
  g_signal_emit_by_name (clear, "clicked");
  g_assert_true (sg_test_wait_until (file_gone, cached, SHORT_TIMEOUT_S));
  g_assert_true (g_file_test (cache_dir, G_FILE_TEST_IS_DIR));

  g_settings_reset (settings, "base-url");
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_true (sg_test_wait_until (sg_test_is_null, &preferences, SHORT_TIMEOUT_S));
}

static JsonObject *
load_report (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
test_quit_when_done_exit_status (Fixture       *fx,
                                 gconstpointer  data)
{
  const char *mock_args[] = { "--faults", "5=status:404", NULL };
  g_autofree char *cache_dir = g_build_filename (fx->tmp_dir, "cache", NULL);
  g_autofree char *report_ok = g_build_filename (fx->tmp_dir, "report-ok.json", NULL);
  g_autofree char *report_failed = g_build_filename (fx->tmp_dir, "report-failed.json", NULL);
  g_autoptr(JsonObject) report = NULL;
  JsonObject *counts;
  JsonArray *tasks;
  gboolean seen_failed = FALSE;

  start_mock (fx, mock_args);

  /* Every sprite arrives: 0, and the report says so. */
  {
    const char *args[] = { "--base-url", fx->base_url, "--first", "10", "--count", "12",
                           "--workers", "2", "--cache-dir", cache_dir,
                           "--quit-when-done", "--report", report_ok, NULL };

    g_assert_cmpint (run_program (args, NULL), ==, 0);
  }

  report = load_report (report_ok);
  g_assert_true (json_object_has_member (report, "settings"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "settings"),
                                               "count"), ==, 12);
  g_assert_cmpfloat (json_object_get_double_member (report, "first_sprite_ms"), >, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (report, "all_done_ms"), >=,
                     json_object_get_double_member (report, "first_sprite_ms"));
  g_assert_true (json_object_has_member (report, "max_main_loop_stall_ms"));
  g_assert_cmpfloat (json_object_get_double_member (report, "max_main_loop_stall_ms"), >=, 0.0);
  counts = json_object_get_object_member (report, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "done"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "workers")), >, 0);
  tasks = json_object_get_array_member (report, "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 12);
  g_clear_pointer (&report, json_object_unref);

  /* One sprite fails: 1, and the report names it. */
  {
    const char *args[] = { "--base-url", fx->base_url, "--first", "1", "--count", "8",
                           "--workers", "2", "--no-cache", "--cache-dir", cache_dir,
                           "--quit-when-done", "--report", report_failed, NULL };

    g_assert_cmpint (run_program (args, NULL), ==, 1);
  }

  report = load_report (report_failed);
  counts = json_object_get_object_member (report, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "done"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, 1);
  tasks = json_object_get_array_member (report, "tasks");
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);

      if (json_object_get_int_member (task, "id") == 5)
        {
          g_assert_cmpstr (json_object_get_string_member (task, "status"), ==, "failed");
          g_assert_cmpstr (json_object_get_string_member (task, "error"), !=, "");
          seen_failed = TRUE;
        }
    }
  g_assert_true (seen_failed);
}

static void
test_bad_option_exit_2 (Fixture       *fx,
                        gconstpointer  data)
{
  struct {
    const char *args[4];
    const char *mentions;
  } cases[] = {
    { { "--workers", "0", NULL }, "--workers" },
    { { "--workers", "many", NULL }, "--workers" },
    { { "--count", "0", NULL }, "--count" },
    { { "--strategy", "fastest", NULL }, "--strategy" },
    { { "--base-url", "ftp://example.org/", NULL }, "ftp://example.org/" },
    { { "--no-such-option", NULL }, "--no-such-option" },
    { { "--demo", "--in-flight", "1000", NULL }, "--in-flight" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_auto(GStrv) lines = NULL;
      guint n_lines = 0;

      g_test_message ("%s %s", cases[i].args[0], cases[i].args[1]);
      /* Bad usage: 2, before any window opens. */
      g_assert_cmpint (run_program (cases[i].args, &err), ==, 2);

      /* The reason on stderr, in one line, naming the option or value
       * ("--demo" adds its own one-line note). */
      lines = g_strsplit (g_strstrip (err), "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        if (!g_str_has_prefix (lines[j], "--demo"))
          n_lines++;
      g_assert_cmpuint (n_lines, ==, 1);
      g_assert_nonnull (strstr (err, cases[i].mentions));
    }
}

/* main ---------------------------------------------------------------------- */

static const char *
log_field (const GLogField *fields,
           gsize           n_fields,
           const char     *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, key) == 0 && fields[i].length == -1)
      return fields[i].value;
  return NULL;
}

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = log_field (fields, n_fields, "GLIB_DOMAIN");
  const char *message = log_field (fields, n_fields, "MESSAGE");

  /* Xvfb comes without a session bus, and GtkApplication says so: print
   * it, but do not let the test's fatal warnings abort on it. */
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL && strstr (message, "session bus") != NULL)
    return g_log_writer_standard_streams (log_level & ~G_LOG_FLAG_FATAL, fields, n_fields,
                                          user_data);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Tiles and frames ----------------------------------------------------------- */

#define BURST_TILES 40

typedef struct {
  GtkWidget *tiles[BURST_TILES];
  guint      n_frames;
  guint      most_changed;    /* in one frame */
  guint      n_fetching;      /* after the last frame */
} BurstFrames;

static void
count_fetching_tiles (GdkFrameClock *frame_clock,
                      BurstFrames   *burst)
{
  guint n = 0;

  for (guint i = 0; i < BURST_TILES; i++)
    if (sg_tile_get_shown_state (SG_TILE (burst->tiles[i])) == SG_SPRITE_FETCHING)
      n++;
  burst->most_changed = MAX (burst->most_changed, n - burst->n_fetching);
  burst->n_fetching = n;
  burst->n_frames++;
}

static gboolean
frames_painted (gpointer user_data)
{
  return ((BurstFrames *) user_data)->n_frames >= 2;
}

static gboolean
all_fetching (gpointer user_data)
{
  return ((BurstFrames *) user_data)->n_fetching == BURST_TILES;
}

/* Every tile of a window changing at once (64 transfers per process make
 * that the rule) is spread over a few frames rather than done in one long
 * frame; none is forgotten. */
static void
test_tiles_spread_a_burst (Fixture       *fx,
                           gconstpointer  data)
{
  BurstFrames burst = { 0, };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *flow = gtk_flow_box_new ();
  g_autoptr(GPtrArray) sprites = g_ptr_array_new_with_free_func (g_object_unref);
  GdkFrameClock *frame_clock;
  gulong handler;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 8);
  gtk_window_set_child (GTK_WINDOW (window), flow);
  for (guint i = 0; i < BURST_TILES; i++)
    {
      SgSprite *sprite = sg_sprite_new (i + 1);

      g_ptr_array_add (sprites, sprite);
      burst.tiles[i] = sg_tile_new ();
      sg_tile_set_sprite (SG_TILE (burst.tiles[i]), sprite);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), burst.tiles[i]);
    }
  gtk_window_present (GTK_WINDOW (window));

  frame_clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (frame_clock);
  handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (count_fetching_tiles), &burst);
  g_assert_true (sg_test_wait_until (frames_painted, &burst, SHORT_TIMEOUT_S));
  g_assert_cmpuint (burst.n_fetching, ==, 0);

  for (guint i = 0; i < BURST_TILES; i++)
    sg_sprite_set_state (g_ptr_array_index (sprites, i), SG_SPRITE_FETCHING);
  g_assert_true (sg_test_wait_until (all_fetching, &burst, SHORT_TIMEOUT_S));

  g_assert_cmpuint (burst.most_changed, >, 0);
  g_assert_cmpuint (burst.most_changed, <=, 12);

  g_signal_handler_disconnect (frame_clock, handler);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A thousand decoded sprites are 36 MB: the window keeps the texture of
 * the most recent ones only, the others decode again from their PNG. */
static void
test_keeps_recent_textures (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(SgRunOptions) options = make_options (fx, "http://127.0.0.1:9/api/v2/");
  g_autoptr(GPtrArray) sprites = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GdkTexture) again = NULL;
  guint n_kept = 0;

  open_window (fx, options);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GBytes) png = sg_mock_api_draw_sprite (i + 1, FALSE, FALSE);
      SgSprite *sprite = sg_sprite_new (i + 1);

      sg_sprite_set_png (sprite, png);
      sg_sprite_set_state (sprite, SG_SPRITE_DONE);
      g_ptr_array_add (sprites, sprite);
      g_signal_emit_by_name (fx->pool, "sprite-done", sprite);
    }

  for (guint i = 0; i < sprites->len; i++)
    if (GDK_IS_TEXTURE (sg_sprite_get_paintable (sprites->pdata[i])))
      n_kept++;
  g_assert_cmpuint (n_kept, >, 0);
  g_assert_cmpuint (n_kept, <, 300);
  /* The most recent keep theirs, the oldest do not. */
  g_assert_true (GDK_IS_TEXTURE (sg_sprite_get_paintable (sprites->pdata[299])));
  g_assert_null (sg_sprite_get_paintable (sprites->pdata[0]));

  /* An old sprite still has its pixels, from its PNG. */
  again = sg_texture_for_sprite (sprites->pdata[0]);
  g_assert_nonnull (again);
  g_assert_cmpint (gdk_texture_get_width (again), ==, 96);
}

static gboolean
widget_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

/* A pixel view given a PNG draws it, and keeps no decoded copy of it. */
static void
test_pixel_view_draws_png (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GBytes) png = sg_mock_api_draw_sprite (25, FALSE, FALSE);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = sg_pixel_view_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) drawn = NULL;
  g_autofree guint32 *pixels = NULL;
  GskRenderer *renderer;
  guint n_opaque = 0;

  sg_pixel_view_set_pixel_size (SG_PIXEL_VIEW (view), 96);
  sg_pixel_view_set_png (SG_PIXEL_VIEW (view), png);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sg_test_wait_until (widget_is_mapped, view, SHORT_TIMEOUT_S));
  {
    GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);
    gboolean painted = FALSE;
    gulong handler = g_signal_connect (frame_clock, "after-paint",
                                       G_CALLBACK (on_after_paint), &painted);

    gtk_widget_queue_draw (window);
    g_assert_true (sg_test_wait_until (sg_test_is_true, &painted, SHORT_TIMEOUT_S));
    g_signal_handler_disconnect (frame_clock, handler);
  }

  g_assert_null (sg_pixel_view_get_texture (SG_PIXEL_VIEW (view)));
  paintable = gtk_widget_paintable_new (view);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), 96, 96);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  drawn = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, 96, 96));
  pixels = g_new (guint32, 96 * 96);
  gdk_texture_download (drawn, (guchar *) pixels, 96 * 4);
  for (guint i = 0; i < 96 * 96; i++)
    if ((pixels[i] >> 24) == 0xff)
      n_opaque++;
  g_assert_cmpuint (n_opaque, >, 100);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_log_set_writer_func (log_writer, NULL, NULL);

  /* The window's pool spawns this helper. */
  g_setenv ("SPRITE_GALLERY_FETCHER", SG_TEST_FETCHER_PATH, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  sg_gui_init ();

  /* The real application object: its start-up loads the style sheet and
   * adds the app actions the window's menus use. */
  app = sg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/fills-all-tiles", test_fills_all_tiles);
  ADD ("/gui/stop-then-run", test_stop_then_run);
  ADD ("/gui/unreachable-shows-status-page", test_unreachable_shows_status_page);
  ADD ("/gui/retry-failed-tile", test_retry_failed_tile);
  ADD ("/gui/close-mid-run-kills-helpers", test_close_mid_run_kills_helpers);
  ADD ("/gui/stop-before-the-pool-starts", test_stop_before_the_pool_starts);
  ADD ("/gui/pool-start-yields-to-redraw", test_pool_start_yields_to_redraw);
  ADD ("/gui/run-in-a-hidden-window", test_run_in_a_hidden_window);
  ADD ("/gui/helper-deaths-pause-and-resume", test_helper_deaths_pause_and_resume);
  ADD ("/gui/window-size-remembered", test_window_size_remembered);
  ADD ("/gui/preferences", test_preferences);
  ADD ("/gui/quit-when-done-exit-status", test_quit_when_done_exit_status);
  ADD ("/gui/bad-option-exit-2", test_bad_option_exit_2);
  ADD ("/gui/tiles-spread-a-burst", test_tiles_spread_a_burst);
  ADD ("/gui/keeps-recent-textures", test_keeps_recent_textures);
  ADD ("/gui/pixel-view-draws-png", test_pixel_view_draws_png);
#undef ADD

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
