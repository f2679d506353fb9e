/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GUI's pieces that need no display: PNG decoding and nearest-neighbour
 * scaling, the cache directory walk (size, clear, symbolic links), the
 * main-loop stall watchdog, display names and settings → run options.
 */
#define G_LOG_DOMAIN "test-gui-units"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "sg-cache-dir.h"
#include "sg-settings.h"
#include "sg-stall-watchdog.h"
#include "sg-test-gui.h"
#include "sg-texture.h"
#include "sg-tile.h"
#include "sg-lsan-suppressions.h"

/* Helpers -------------------------------------------------------------------- */

/* A width × height RGBA texture whose pixel (x, y) is a colour unique to it. */
static GdkTexture *
make_checker_texture (int width,
                      int height)
{
  g_autoptr(GBytes) bytes = NULL;
  guchar *data = g_malloc ((gsize) width * height * 4);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = data + ((gsize) y * width + x) * 4;

        p[0] = (guchar) (x * 40);
        p[1] = (guchar) (y * 40);
        p[2] = (guchar) (x + y * width);
        p[3] = 255;
      }

  bytes = g_bytes_new_take (data, (gsize) width * height * 4);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
}

static guint32
pixel_at (const guchar *data,
          int           width,
          int           x,
          int           y)
{
  guint32 value;

  memcpy (&value, data + ((gsize) y * width + x) * 4, sizeof value);
  return value;
}

static guchar *
download (GdkTexture *texture)
{
  gsize stride = (gsize) gdk_texture_get_width (texture) * 4;
  guchar *data = g_malloc (stride * gdk_texture_get_height (texture));

  gdk_texture_download (texture, data, stride);
  return data;
}

static void
write_file (const char *path,
            gsize       size)
{
  g_autofree char *contents = g_malloc0 (size);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, size, &error);
  g_assert_no_error (error);
}

typedef struct {
  gboolean     done;
  GAsyncResult *result;
} AsyncWait;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
async_wait (AsyncWait *wait)
{
  /* Bounded: a stuck walk fails the test instead of hanging it. */
  g_assert_true (sg_test_wait_until (sg_test_is_true, &wait->done, 30));
}

/* Texture -------------------------------------------------------------------- */

static void
test_texture_scale_nearest_exact (void)
{
  g_autoptr(GdkTexture) source = make_checker_texture (4, 3);
  g_autoptr(GdkTexture) scaled = sg_texture_scale_nearest (source, 10, 9);
  g_autofree guchar *src = download (source);
  g_autofree guchar *dst = download (scaled);

  g_assert_cmpint (gdk_texture_get_width (scaled), ==, 10);
  g_assert_cmpint (gdk_texture_get_height (scaled), ==, 9);

  /* Every output pixel is exactly the input pixel under its centre: no
   * blending, so the colours stay those of the pixel art. */
  for (int y = 0; y < 9; y++)
    for (int x = 0; x < 10; x++)
      {
        int sx = (2 * x + 1) * 4 / 20;
        int sy = (2 * y + 1) * 3 / 18;

        g_assert_cmpuint (pixel_at (dst, 10, x, y), ==, pixel_at (src, 4, sx, sy));
      }
}

static void
test_texture_scale_nearest_integer (void)
{
  g_autoptr(GdkTexture) source = make_checker_texture (3, 3);
  g_autoptr(GdkTexture) scaled = sg_texture_scale_nearest (source, 12, 12);
  g_autofree guchar *src = download (source);
  g_autofree guchar *dst = download (scaled);

  /* At 4×, each source pixel becomes a 4×4 block. */
  for (int y = 0; y < 12; y++)
    for (int x = 0; x < 12; x++)
      g_assert_cmpuint (pixel_at (dst, 12, x, y), ==, pixel_at (src, 3, x / 4, y / 4));
}

static void
test_texture_decode_png (void)
{
  g_autoptr(GdkTexture) source = make_checker_texture (5, 7);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (source);
  g_autoptr(GdkTexture) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *a = NULL;
  g_autofree guchar *b = NULL;

  decoded = sg_texture_decode_png (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (decoded), ==, 5);
  g_assert_cmpint (gdk_texture_get_height (decoded), ==, 7);

  a = download (source);
  b = download (decoded);
  g_assert_cmpmem (a, 5 * 7 * 4, b, 5 * 7 * 4);
}

static void
test_texture_decode_rejects (void)
{
  g_autoptr(GdkTexture) source = make_checker_texture (5, 7);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (source);
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>Not found</html>", 22);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  GBytes *bad[] = { html, empty, truncated };

  /* Anything but a whole PNG fails with words, never crashes. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = sg_texture_decode_png (bad[i], &error);

      g_assert_null (texture);
      g_assert_error (error, SG_TEXTURE_ERROR, SG_TEXTURE_ERROR_INVALID);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* Cache directory ------------------------------------------------------------ */

static void
test_cache_dir_measure_and_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("sg-cache-test-XXXXXX", &error);
  g_autofree char *cache = g_build_filename (root, "cache", NULL);
  g_autofree char *sprites = g_build_filename (cache, "sprites", NULL);
  g_autofree char *outside = g_build_filename (root, "outside", NULL);
  g_autofree char *outside_file = g_build_filename (outside, "precious.png", NULL);
  g_autofree char *link_to_file = g_build_filename (cache, "link-to-file", NULL);
  g_autofree char *link_to_dir = g_build_filename (cache, "link-to-dir", NULL);
  g_autofree char *a = g_build_filename (cache, "25.json", NULL);
  g_autofree char *b = g_build_filename (sprites, "25.png", NULL);
  AsyncWait measure = { 0 }, clear = { 0 }, again = { 0 };
  SgCacheUsage usage = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (sprites, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (outside, 0700), ==, 0);
  write_file (a, 1000);
  write_file (b, 500);
  write_file (outside_file, 4096);
  g_assert_cmpint (symlink (outside_file, link_to_file), ==, 0);
  g_assert_cmpint (symlink (outside, link_to_dir), ==, 0);

  sg_cache_dir_measure_async (cache, NULL, async_done, &measure);
  async_wait (&measure);
  g_assert_true (sg_cache_dir_measure_finish (measure.result, &usage, &error));
  g_assert_no_error (error);
  /* The links count as entries, but what they point to is not ours: the
   * 4096 bytes outside are not measured. */
  g_assert_cmpuint (usage.n_files, ==, 4);
  g_assert_cmpuint (usage.bytes, <, 1500 + 4096);
  g_assert_cmpuint (usage.bytes, >=, 1500);

  sg_cache_dir_clear_async (cache, NULL, async_done, &clear);
  async_wait (&clear);
  g_assert_true (sg_cache_dir_clear_finish (clear.result, &usage, &error));
  g_assert_no_error (error);

  /* The cache's files and links are gone, its directories stay, and the
   * links' targets outside are untouched. */
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (link_to_file, G_FILE_TEST_IS_SYMLINK));
  g_assert_false (g_file_test (link_to_dir, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (sprites, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (outside_file, G_FILE_TEST_IS_REGULAR));

  sg_cache_dir_measure_async (cache, NULL, async_done, &again);
  async_wait (&again);
  g_assert_true (sg_cache_dir_measure_finish (again.result, &usage, &error));
  g_assert_cmpuint (usage.n_files, ==, 0);
  g_assert_cmpuint (usage.bytes, ==, 0);

  g_clear_object (&measure.result);
  g_clear_object (&clear.result);
  g_clear_object (&again.result);
  sg_test_rm_rf (root);
}

static void
test_cache_dir_missing_is_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("sg-cache-test-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (root, "never-created", NULL);
  AsyncWait wait = { 0 };
  SgCacheUsage usage = { 1, 1 };

  sg_cache_dir_measure_async (missing, NULL, async_done, &wait);
  async_wait (&wait);
  g_assert_true (sg_cache_dir_measure_finish (wait.result, &usage, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (usage.n_files, ==, 0);

  g_clear_object (&wait.result);
  sg_test_rm_rf (root);
}

static void
test_cache_dir_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("sg-cache-test-XXXXXX", &error);
  g_autofree char *file = g_build_filename (root, "1.png", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncWait wait = { 0 };

  write_file (file, 10);
  g_cancellable_cancel (cancellable);
  sg_cache_dir_clear_async (root, cancellable, async_done, &wait);
  async_wait (&wait);
  g_assert_false (sg_cache_dir_clear_finish (wait.result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled before it began: nothing deleted. */
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));

  g_clear_object (&wait.result);
  sg_test_rm_rf (root);
}

/* Stall watchdog ------------------------------------------------------------- */

static gboolean
block_main_loop (gpointer user_data)
{
  /* A handler that blocks, as synchronous I/O on the GTK thread would. */
  g_usleep (60 * 1000);
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_stall_watchdog_sees_a_block (void)
{
  g_autoptr(SgStallWatchdog) watchdog = sg_stall_watchdog_new ();
  gboolean blocked = FALSE;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  sg_stall_watchdog_start (watchdog);
  g_assert_true (sg_stall_watchdog_get_running (watchdog));

  g_timeout_add (20, block_main_loop, &blocked);
  while (!blocked)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* one more tick after the block */
  while (sg_stall_watchdog_get_n_ticks (watchdog) < 8)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  sg_stall_watchdog_stop (watchdog);
  g_assert_false (sg_stall_watchdog_get_running (watchdog));

  /* A 60 ms block is a stall of at least 60 ms less one 4 ms tick; a
   * loaded machine can only make it larger. */
  g_assert_cmpfloat (sg_stall_watchdog_get_max_stall_ms (watchdog), >=, 55.0);
}

typedef struct {
  gint64   until_us;
  gboolean over;
} Flood;

static gboolean
flood_main_loop (gpointer user_data)
{
  Flood *flood = user_data;

  /* Each dispatch is short, but there is always another one ready at a
   * priority above the redraw's: nothing gets painted meanwhile. */
  g_usleep (1000);
  if (g_get_monotonic_time () < flood->until_us)
    return G_SOURCE_CONTINUE;
  flood->over = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_stall_watchdog_sees_starvation (void)
{
  g_autoptr(SgStallWatchdog) watchdog = sg_stall_watchdog_new ();
  Flood flood = { 0, };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  sg_stall_watchdog_start (watchdog);
  flood.until_us = g_get_monotonic_time () + 60 * G_TIME_SPAN_MILLISECOND;
  g_idle_add_full (G_PRIORITY_DEFAULT, flood_main_loop, &flood, NULL);
  while (!flood.over || sg_stall_watchdog_get_n_ticks (watchdog) < 4)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  sg_stall_watchdog_stop (watchdog);

  /* 60 ms without a chance to paint, in 1 ms pieces. */
  g_assert_cmpfloat (sg_stall_watchdog_get_max_stall_ms (watchdog), >=, 50.0);
}

static void
test_stall_watchdog_stop_keeps_max (void)
{
  g_autoptr(SgStallWatchdog) watchdog = sg_stall_watchdog_new ();

  g_assert_cmpfloat (sg_stall_watchdog_get_max_stall_ms (watchdog), ==, 0.0);
  sg_stall_watchdog_start (watchdog);
  g_usleep (30 * 1000);
  sg_stall_watchdog_stop (watchdog);
  /* stop() counts the time since the last tick too */
  g_assert_cmpfloat (sg_stall_watchdog_get_max_stall_ms (watchdog), >=, 25.0);
  /* stopped twice, destroyed while stopped: no source left behind */
  sg_stall_watchdog_stop (watchdog);
  g_assert_finalize_object (g_steal_pointer (&watchdog));
}

/* Names and settings --------------------------------------------------------- */

static void
test_display_name (void)
{
  struct { const char *in, *out; } cases[] = {
    { "pikachu", "Pikachu" },
    { "mr-mime", "Mr-Mime" },
    { "nidoran-f", "Nidoran-F" },
    { "farfetchd", "Farfetchd" },
    { "\xc3\xa9voli", "\xc3\x89voli" },
  };
  g_autofree char *invalid = sg_tile_display_name ("bad\xff");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = sg_tile_display_name (cases[i].in);

      g_assert_cmpstr (name, ==, cases[i].out);
    }

  g_assert_null (sg_tile_display_name (NULL));
  g_assert_null (sg_tile_display_name (""));
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
}

static void
test_settings_to_options (void)
{
  g_autoptr(GSettings) settings = sg_settings_new ();
  g_autoptr(SgRunOptions) defaults = NULL;
  g_autoptr(SgRunOptions) options = NULL;
  g_autoptr(SgRunOptions) bad_url = NULL;

  /* GSETTINGS_SCHEMA_DIR points at the build's compiled schema and the
   * backend is in memory (tests/meson.build). */
  g_assert_nonnull (settings);

  defaults = sg_settings_load_run_options (settings);
  g_assert_cmpstr (defaults->base_url, ==, SG_DEFAULT_BASE_URL);
  g_assert_cmpuint (defaults->first, ==, 1);
  g_assert_cmpuint (defaults->count, ==, 100);
  g_assert_cmpuint (defaults->in_flight, ==, SG_DEFAULT_IN_FLIGHT);
  /* workers 0 means one per core */
  g_assert_cmpuint (defaults->workers, ==, sg_run_options_default_workers ());
  g_assert_cmpint (defaults->strategy, ==, SG_STRATEGY_QUEUE);

  g_settings_set_string (settings, "base-url", "http://127.0.0.1:8080/api/v2");
  g_settings_set_uint (settings, "workers", 3);
  g_settings_set_uint (settings, "in-flight", 1);
  g_settings_set_string (settings, "strategy", "chunks");
  options = sg_settings_load_run_options (settings);
  g_assert_cmpstr (options->base_url, ==, "http://127.0.0.1:8080/api/v2/");
  g_assert_cmpuint (options->workers, ==, 3);
  g_assert_cmpuint (options->in_flight, ==, 1);
  g_assert_cmpint (options->strategy, ==, SG_STRATEGY_CHUNKS);

  /* A stored address that is not http(s) falls back to the default. */
  g_settings_set_string (settings, "base-url", "file:///etc/");
  g_test_expect_message ("sg-settings", G_LOG_LEVEL_WARNING, "Ignoring the base-url setting*");
  bad_url = sg_settings_load_run_options (settings);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (bad_url->base_url, ==, SG_DEFAULT_BASE_URL);

  g_settings_reset (settings, "base-url");
  g_settings_reset (settings, "workers");
  g_settings_reset (settings, "in-flight");
  g_settings_reset (settings, "strategy");
}

/* One process per core, within what --workers accepts: two on a single
 * core, and no more than SG_MAX_WORKERS on a machine with hundreds. */
static void
test_default_workers_per_core (void)
{
  g_assert_cmpuint (sg_run_options_workers_for_cores (0), ==, 2);
  g_assert_cmpuint (sg_run_options_workers_for_cores (1), ==, 2);
  g_assert_cmpuint (sg_run_options_workers_for_cores (8), ==, 8);
  g_assert_cmpuint (sg_run_options_workers_for_cores (SG_MAX_WORKERS), ==, SG_MAX_WORKERS);
  g_assert_cmpuint (sg_run_options_workers_for_cores (256), ==, SG_MAX_WORKERS);
  g_assert_cmpuint (sg_run_options_default_workers (), ==,
                    sg_run_options_workers_for_cores (g_get_num_processors ()));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/texture/scale-nearest-exact", test_texture_scale_nearest_exact);
  g_test_add_func ("/gui/texture/scale-nearest-integer", test_texture_scale_nearest_integer);
  g_test_add_func ("/gui/texture/decode-png", test_texture_decode_png);
  g_test_add_func ("/gui/texture/decode-rejects-non-png", test_texture_decode_rejects);
  g_test_add_func ("/gui/cache-dir/measure-and-clear", test_cache_dir_measure_and_clear);
  g_test_add_func ("/gui/cache-dir/missing-is-empty", test_cache_dir_missing_is_empty);
  g_test_add_func ("/gui/cache-dir/cancelled", test_cache_dir_cancelled);
  g_test_add_func ("/gui/stall-watchdog/sees-a-block", test_stall_watchdog_sees_a_block);
  g_test_add_func ("/gui/stall-watchdog/sees-starvation", test_stall_watchdog_sees_starvation);
  g_test_add_func ("/gui/stall-watchdog/stop-keeps-max", test_stall_watchdog_stop_keeps_max);
  g_test_add_func ("/gui/tile/display-name", test_display_name);
  g_test_add_func ("/gui/settings/to-run-options", test_settings_to_options);
  g_test_add_func ("/gui/settings/default-workers-per-core", test_default_workers_per_core);

  return g_test_run ();
}
