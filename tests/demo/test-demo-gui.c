/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline demo in the real window (under Xvfb, with the built helper):
 * the status page's "Try the Offline Demo" switches an unreachable window
 * to the built-in server and fills every tile; the latency control drives
 * the server and the setting; and the built program's --demo fills every
 * tile with no --base-url and, where bwrap can make one, in a network
 * namespace with nothing but loopback. Every wait is bounded.
 */
#define G_LOG_DOMAIN "test-demo-gui"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sg-application.h"
#include "sg-gui.h"
#include "sg-lsan-suppressions.h"
#include "sg-mock-api.h"
#include "sg-test-gui.h"
#include "sg-window-private.h"

/* Generous: a loaded 2-core box runs helpers, the server and Xvfb at once. */
#define RUN_TIMEOUT_S   120
#define SHORT_TIMEOUT_S 30
#define COUNT           40

static SgApplication *app;

typedef struct {
  char     *tmp_dir;
  SgPool   *pool;
  SgWindow *window;
  guint     n_finished;
  gboolean  last_all_done;
} Fixture;

/* Helpers ------------------------------------------------------------------- */

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

static gboolean
window_idle (gpointer user_data)
{
  return !sg_window_get_running (user_data);
}

/* An address where nothing listens: a port we bound and let go. */
static char *
closed_base_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u/api/v2/", port);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->tmp_dir = g_dir_make_tmp ("sg-demo-test-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
open_window (Fixture    *fx,
             const char *base_url)
{
  g_autoptr(SgRunOptions) options = sg_run_options_new ();

  g_free (options->base_url);
  options->base_url = g_strdup (base_url);
  options->count = COUNT;
  options->workers = 2;
  options->in_flight = 4;
  options->no_cache = TRUE;
  options->cache_dir = g_build_filename (fx->tmp_dir, "cache", NULL);

  fx->pool = sg_pool_new (options);
  fx->window = sg_window_new (GTK_APPLICATION (app), fx->pool);
  g_signal_connect (fx->window, "run-finished", G_CALLBACK (on_run_finished), fx);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (fx->window));
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->window != NULL)
    {
      g_assert_true (sg_test_wait_until (window_idle, fx->window, SHORT_TIMEOUT_S));
      g_object_add_weak_pointer (G_OBJECT (fx->window), (gpointer *) &fx->window);
      gtk_window_destroy (GTK_WINDOW (fx->window));
      g_assert_true (sg_test_wait_until (sg_test_is_null, &fx->window, SHORT_TIMEOUT_S));
    }
  if (fx->pool != NULL)
    g_assert_finalize_object (g_steal_pointer (&fx->pool));

  g_rmdir (fx->tmp_dir);
  g_clear_pointer (&fx->tmp_dir, g_free);
}

/* Every tile done, with a decoded sprite of a generated creature. */
static void
assert_all_tiles_filled (Fixture *fx)
{
  GListModel *sprites = sg_pool_get_sprites (fx->pool);

  g_assert_cmpuint (g_list_model_get_n_items (sprites), ==, COUNT);
  g_assert_cmpuint (sg_pool_get_n_done (fx->pool), ==, COUNT);
  for (guint i = 0; i < COUNT; i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (sprites, i);
      g_autofree char *name = sg_mock_api_creature_name (sg_sprite_get_id (sprite));

      g_assert_cmpint (sg_sprite_get_state (sprite), ==, SG_SPRITE_DONE);
      g_assert_true (GDK_IS_TEXTURE (sg_sprite_get_paintable (sprite)));
      g_assert_cmpstr (sg_sprite_get_name (sprite), ==, name);
    }
}

static void
assert_demo_options (Fixture    *fx,
                     const char *not_this_url)
{
  const SgRunOptions *options = sg_pool_get_options (fx->pool);

  g_assert_true (g_str_has_prefix (options->base_url, "http://127.0.0.1:"));
  g_assert_cmpstr (options->base_url, !=, not_this_url);
  g_assert_cmpstr (options->base_url, ==, sg_demo_server_get_base_url (fx->window->demo_server));
  /* The demo's creatures never mix with PokeAPI's in the cache. */
  g_assert_true (options->no_cache);
}

/* The narrowest screen the AppStream data says the app needs, in pixels. */
static int
declared_display_length (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "io.github.spritegallery.SpriteGallery.metainfo.xml.in",
                                                 NULL);
  g_autofree char *metainfo = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("<display_length compare=\"ge\">([0-9]+)</display_length>",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *length = NULL;

  g_assert_true (g_file_get_contents (path, &metainfo, NULL, NULL));
  g_assert_true (g_regex_match (regex, metainfo, 0, &match));
  length = g_match_info_fetch (match, 1);
  return (int) g_ascii_strtoll (length, NULL, 10);
}

/* Tests ------------------------------------------------------------------------ */

static void
test_status_page_button (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *closed_url = closed_base_url ();
  g_autofree char *saved_base_url = NULL;
  const char *subtitle;

  open_window (fx, closed_url);
  if (fx->window->settings != NULL)
    saved_base_url = g_settings_get_string (fx->window->settings, "base-url");

  /* Nothing listens: the status page, with its demo button. */
  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 1);
  g_assert_false (fx->last_all_done);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "status");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (fx->window->status_demo_button)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fx->window->demo_button)));
  g_assert_false (sg_window_get_demo_mode (fx->window));

  /* The button switches to the demo, which fills every tile. */
  /* (a click: gtk_widget_activate() on a button clicks it 250 ms later) */
  g_signal_emit_by_name (fx->window->status_demo_button, "clicked");
  g_assert_true (sg_window_get_demo_mode (fx->window));
  wait_run_finished (fx, 2);
  g_assert_true (fx->last_all_done);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "gallery");
  assert_all_tiles_filled (fx);
  assert_demo_options (fx, closed_url);

  /* It says so: a subtitle and the header bar's label. */
  subtitle = adw_window_title_get_subtitle (fx->window->window_title);
  g_assert_true (g_str_has_prefix (subtitle, "Offline demo"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fx->window->demo_button)));
  g_assert_nonnull (strstr (gtk_label_get_label (fx->window->demo_label), "ms"));

  /* The demo's address is not the user's setting. */
  if (fx->window->settings != NULL)
    {
      g_autofree char *base_url = g_settings_get_string (fx->window->settings, "base-url");

      g_assert_cmpstr (base_url, ==, saved_base_url);
    }

  /* The demo's header bar is the window's widest: the screen width the
   * AppStream data asks for is enough for it. */
  {
    int min_width = 0;

    gtk_widget_measure (GTK_WIDGET (fx->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                        NULL, NULL);
    g_test_message ("The window's minimum width: %d px", min_width);
    g_assert_cmpint (min_width, <=, declared_display_length ());
  }
}

static void
test_options_replaced_keep_demo (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autofree char *closed_url = closed_base_url ();
  g_autoptr(SgRunOptions) options = NULL;

  open_window (fx, closed_url);
  sg_window_start_demo (fx->window);
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);

  /* Something (the application, from the settings) puts the configured
   * address back: the next run still goes to the built-in server. */
  options = sg_run_options_copy (sg_pool_get_options (fx->pool));
  g_free (options->base_url);
  options->base_url = g_strdup (closed_url);
  options->no_cache = FALSE;
  sg_pool_set_options (fx->pool, options);

  sg_window_start_run (fx->window, FALSE);
  wait_run_finished (fx, 2);
  g_assert_true (fx->last_all_done);
  assert_all_tiles_filled (fx);
  assert_demo_options (fx, closed_url);
}

static void
test_leave_demo (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *closed_url = closed_base_url ();
  const SgRunOptions *options;

  open_window (fx, closed_url);
  sg_window_start_demo (fx->window);
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);

  /* The popover's "Leave the Demo": back to the configured address (where
   * nothing listens here), cache use as before, and a run against it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.leave-demo", NULL));
  g_assert_false (sg_window_get_demo_mode (fx->window));
  options = sg_pool_get_options (fx->pool);
  g_assert_cmpstr (options->base_url, ==, closed_url);
  g_assert_true (options->no_cache);
  g_assert_null (sg_demo_server_get_base_url (fx->window->demo_server));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fx->window->demo_button)));

  wait_run_finished (fx, 2);
  g_assert_false (fx->last_all_done);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fx->window->main_stack), ==, "status");
  g_assert_false (g_str_has_prefix (adw_window_title_get_subtitle (fx->window->window_title),
                                    "Offline demo"));

  /* And into the demo again: a new server, every tile filled. */
  g_signal_emit_by_name (fx->window->status_demo_button, "clicked");
  wait_run_finished (fx, 3);
  g_assert_true (fx->last_all_done);
  assert_all_tiles_filled (fx);
  assert_demo_options (fx, closed_url);
}

static void
test_latency_control (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *closed_url = closed_base_url ();
  SgDemoPopover *popover;
  GSettings *settings;

  open_window (fx, closed_url);
  settings = fx->window->settings;
  if (settings == NULL)
    {
      g_test_skip ("The GSettings schema is not installed");
      return;
    }
  g_settings_set_uint (settings, "demo-latency-ms", 0);

  sg_window_start_demo (fx->window);
  wait_run_finished (fx, 1);
  g_assert_true (fx->last_all_done);

  popover = fx->window->demo_popover;
  g_assert_cmpuint (sg_demo_server_get_latency (fx->window->demo_server), ==, 0);

  /* The scale drives the server (live) and the setting. */
  gtk_range_set_value (sg_demo_popover_get_scale (popover),
                       sg_demo_popover_latency_to_position (300));
  g_assert_cmpuint (sg_demo_popover_get_latency (popover), ==, 300);
  g_assert_cmpuint (sg_demo_server_get_latency (fx->window->demo_server), ==, 300);
  g_assert_cmpuint (g_settings_get_uint (settings, "demo-latency-ms"), ==, 300);
  g_assert_nonnull (strstr (gtk_label_get_label (fx->window->demo_label), "300"));

  /* Whole tens of milliseconds. */
  gtk_range_set_value (sg_demo_popover_get_scale (popover),
                       sg_demo_popover_latency_to_position (104));
  g_assert_cmpuint (sg_demo_server_get_latency (fx->window->demo_server), ==, 100);

  /* The scale gives the low latencies room: 100 ms is nearly a third of
   * the way, not a tenth. */
  g_assert_cmpfloat (sg_demo_popover_latency_to_position (100), >, 300.0);
  g_assert_cmpfloat (sg_demo_popover_latency_to_position (1000), ==,
                     gtk_adjustment_get_upper (gtk_range_get_adjustment (sg_demo_popover_get_scale (popover))));

  /* The setting drives the scale and the server. */
  g_settings_set_uint (settings, "demo-latency-ms", 1000);
  g_assert_cmpfloat (gtk_range_get_value (sg_demo_popover_get_scale (popover)), ==,
                     sg_demo_popover_latency_to_position (1000));
  g_assert_cmpuint (sg_demo_server_get_latency (fx->window->demo_server), ==, 1000);

  /* A value beyond the scale (the setting allows 10 s) stays what it is. */
  g_settings_set_uint (settings, "demo-latency-ms", 4000);
  g_assert_cmpfloat (gtk_range_get_value (sg_demo_popover_get_scale (popover)), ==,
                     sg_demo_popover_latency_to_position (1000));
  g_assert_cmpuint (sg_demo_server_get_latency (fx->window->demo_server), ==, 4000);
  g_assert_cmpuint (g_settings_get_uint (settings, "demo-latency-ms"), ==, 4000);

  g_settings_reset (settings, "demo-latency-ms");
}

/* The built program ---------------------------------------------------------- */

/* Runs @argv to its end (bounded); returns its exit status. */
static int
run_argv (GPtrArray  *argv,
          char      **out_stderr)
{
  g_ptr_array_add (argv, NULL);
  return sg_test_run_argv ((const char *const *) argv->pdata, RUN_TIMEOUT_S, out_stderr);
}

/* bwrap can give a program a network namespace of its own (loopback
 * only) here? */
static gboolean
can_unshare_net (const char *bwrap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  if (bwrap == NULL)
    return FALSE;
  g_ptr_array_add (argv, (char *) bwrap);
  g_ptr_array_add (argv, (char *) "--dev-bind");
  g_ptr_array_add (argv, (char *) "/");
  g_ptr_array_add (argv, (char *) "/");
  g_ptr_array_add (argv, (char *) "--unshare-net");
  g_ptr_array_add (argv, (char *) "true");
  return run_argv (argv, NULL) == 0;
}

static void
test_command_line_demo (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *report_path = g_build_filename (fx->tmp_dir, "report.json", NULL);
  g_autofree char *bwrap = g_find_program_in_path ("bwrap");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *report, *settings, *counts;
  JsonArray *workers;

  /* With a network namespace of its own, nothing but loopback exists:
   * the run cannot have used the network. */
  if (can_unshare_net (bwrap))
    {
      g_ptr_array_add (argv, bwrap);
      g_ptr_array_add (argv, (char *) "--dev-bind");
      g_ptr_array_add (argv, (char *) "/");
      g_ptr_array_add (argv, (char *) "/");
      g_ptr_array_add (argv, (char *) "--unshare-net");
      g_ptr_array_add (argv, (char *) "--die-with-parent");
      g_ptr_array_add (argv, (char *) "--");
    }
  else
    {
      g_test_message ("bwrap cannot unshare the network here: running --demo without it");
    }

  /* No --base-url: the demo brings its own server. */
  g_ptr_array_add (argv, (char *) SG_TEST_GUI_PATH);
  g_ptr_array_add (argv, (char *) "--demo");
  g_ptr_array_add (argv, (char *) "--quit-when-done");
  g_ptr_array_add (argv, (char *) "--workers");
  g_ptr_array_add (argv, (char *) "2");
  g_ptr_array_add (argv, (char *) "--report");
  g_ptr_array_add (argv, report_path);
  g_assert_cmpint (run_argv (argv, NULL), ==, 0);

  json_parser_load_from_file (parser, report_path, &error);
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  settings = json_object_get_object_member (report, "settings");
  counts = json_object_get_object_member (report, "counts");
  workers = json_object_get_array_member (report, "workers");

  g_assert_true (g_str_has_prefix (json_object_get_string_member (settings, "base_url"),
                                   "http://127.0.0.1:"));
  g_assert_cmpint (json_object_get_int_member (settings, "count"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (counts, "done"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (counts, "failed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "from_cache"), ==, 0);
  g_assert_cmpuint (json_array_get_length (workers), >, 0);

  g_unlink (report_path);
}

static void
test_demo_with_base_url_is_bad_usage (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (char *) SG_TEST_GUI_PATH);
  g_ptr_array_add (argv, (char *) "--demo");
  g_ptr_array_add (argv, (char *) "--base-url");
  g_ptr_array_add (argv, (char *) "http://127.0.0.1:9/api/v2/");
  g_assert_cmpint (run_argv (argv, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--demo"));
  /* one line */
  g_assert_null (strchr (g_strchomp (err), '\n'));
}

/* main ------------------------------------------------------------------------- */

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  /* Xvfb comes without a session bus, and GtkApplication says so. */
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL && strstr (message, "session bus") != NULL)
    return g_log_writer_standard_streams (log_level & ~G_LOG_FLAG_FATAL, fields, n_fields,
                                          user_data);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_log_set_writer_func (log_writer, NULL, NULL);

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_TEST_FETCHER_PATH, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  sg_gui_init ();

  app = sg_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/demo/status-page-button", test_status_page_button);
  ADD ("/demo/options-replaced-keep-demo", test_options_replaced_keep_demo);
  ADD ("/demo/leave-demo", test_leave_demo);
  ADD ("/demo/latency-control", test_latency_control);
  ADD ("/demo/command-line", test_command_line_demo);
  ADD ("/demo/with-base-url-is-bad-usage", test_demo_with_base_url_is_bad_usage);
#undef ADD

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
