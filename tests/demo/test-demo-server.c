/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sg-demo-server.h"
#include "sg-mock-api.h"

/* Every wait is bounded: a server that never answers fails the test. */
#define WAIT_LIMIT_US (30 * G_USEC_PER_SEC)

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} StartResult;

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  StartResult *r = user_data;

  r->ok = sg_demo_server_start_finish (SG_DEMO_SERVER (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_for (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (*flag);
}

static SgDemoServer *
start_server (guint latency_ms)
{
  SgDemoServer *server = sg_demo_server_new (latency_ms);
  StartResult r = { 0 };

  sg_demo_server_start_async (server, NULL, on_started, &r);
  wait_for (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  return server;
}

/* A synchronous GET from this (the "GUI") thread: it can only be answered
 * because the server serves from its own thread and context. */
static GBytes *
http_get (const char  *url,
          guint       *status,
          GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  GBytes *body;

  body = soup_session_send_and_read (session, msg, NULL, error);
  *status = soup_message_get_status (msg);
  return body;
}

static void
test_serves_creatures (void)
{
  g_autoptr(SgDemoServer) server = start_server (0);
  const char *base_url = sg_demo_server_get_base_url (server);
  g_autofree char *detail_url = NULL;
  g_autofree char *name = sg_mock_api_creature_name (25);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) expected_png = sg_mock_api_draw_sprite (25, FALSE, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *doc;
  const char *sprite_url;
  guint status = 0;

  g_assert_nonnull (base_url);
  g_assert_true (g_str_has_prefix (base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (base_url, "/api/v2/"));

  detail_url = g_strconcat (base_url, "pokemon/25/", NULL);
  body = http_get (detail_url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), &error));
  g_assert_no_error (error);
  doc = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (doc, "id"), ==, 25);
  /* A generated creature, never the real one. */
  g_assert_cmpstr (json_object_get_string_member (doc, "name"), ==, name);
  g_assert_cmpstr (name, !=, "pikachu");
  g_assert_true (json_object_has_member (doc, "moves"));

  sprite_url = json_object_get_string_member (json_object_get_object_member (doc, "sprites"),
                                              "front_default");
  g_assert_true (g_str_has_prefix (sprite_url, "http://127.0.0.1:"));
  png = http_get (sprite_url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_bytes_equal (png, expected_png));
}

static void
test_ids_beyond_pokeapi (void)
{
  g_autoptr(SgDemoServer) server = start_server (0);
  g_autofree char *url = g_strconcat (sg_demo_server_get_base_url (server), "pokemon/5000/", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  /* Any range the window offers works offline. */
  body = http_get (url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_latency_applies_live (void)
{
  g_autoptr(SgDemoServer) server = start_server (0);
  g_autofree char *url = g_strconcat (sg_demo_server_get_base_url (server), "pokemon/7/", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint notifications = 0;
  guint status = 0;
  gint64 start;

  g_signal_connect (server, "notify::latency-ms", G_CALLBACK (on_notify), &notifications);

  /* Changed while serving: the next answer waits at least that long (a
   * lower bound only, which a loaded machine cannot break). */
  sg_demo_server_set_latency (server, 400);
  g_assert_cmpuint (sg_demo_server_get_latency (server), ==, 400);
  g_assert_cmpuint (notifications, ==, 1);
  sg_demo_server_set_latency (server, 400);
  g_assert_cmpuint (notifications, ==, 1);

  start = g_get_monotonic_time ();
  body = http_get (url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);

  /* The property is the control's binding target; values are clamped. */
  g_object_set (server, "latency-ms", 1000, NULL);
  g_assert_cmpuint (sg_demo_server_get_latency (server), ==, 1000);
  sg_demo_server_set_latency (server, G_MAXUINT);
  g_assert_cmpuint (sg_demo_server_get_latency (server), ==, SG_DEMO_SERVER_MAX_LATENCY_MS);
}

static void
test_latency_before_start (void)
{
  g_autoptr(SgDemoServer) server = sg_demo_server_new (0);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  StartResult r = { 0 };
  guint status = 0;
  gint64 start;

  sg_demo_server_set_latency (server, 300);
  sg_demo_server_start_async (server, NULL, on_started, &r);
  wait_for (&r.done);
  g_assert_true (r.ok);

  url = g_strconcat (sg_demo_server_get_base_url (server), "pokemon/8/", NULL);
  start = g_get_monotonic_time ();
  body = http_get (url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
}

static void
test_stop_closes_port (void)
{
  SgDemoServer *server = start_server (0);
  g_autofree char *url = g_strconcat (sg_demo_server_get_base_url (server), "pokemon/1/", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  sg_demo_server_stop (server);
  g_assert_null (sg_demo_server_get_base_url (server));
  /* Setting the latency of a stopped server is harmless. */
  sg_demo_server_set_latency (server, 50);

  body = http_get (url, &status, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_assert_finalize_object (server);
}

static void
test_start_twice (void)
{
  g_autoptr(SgDemoServer) server = sg_demo_server_new (0);
  StartResult first = { 0 }, second = { 0 }, third = { 0 };
  g_autofree char *url = NULL;

  sg_demo_server_start_async (server, NULL, on_started, &first);
  sg_demo_server_start_async (server, NULL, on_started, &second);
  wait_for (&first.done);
  wait_for (&second.done);
  g_assert_true (first.ok);
  g_assert_false (second.ok);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&second.error);

  /* The refused second start did not stop the first. */
  url = g_strdup (sg_demo_server_get_base_url (server));
  g_assert_nonnull (url);

  sg_demo_server_start_async (server, NULL, on_started, &third);
  wait_for (&third.done);
  g_assert_true (third.ok);
  g_assert_cmpstr (sg_demo_server_get_base_url (server), ==, url);
}

static void
test_stop_while_starting (void)
{
  SgDemoServer *server = sg_demo_server_new (0);
  StartResult r = { 0 };

  /* The quit may reach the server thread before its loop runs: it must
   * still end (the join would hang otherwise), and the start reports it. */
  for (guint i = 0; i < 20; i++)
    {
      sg_demo_server_start_async (server, NULL, on_started, &r);
      sg_demo_server_stop (server);
      wait_for (&r.done);
      g_assert_false (r.ok);
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&r.error);
      r.done = FALSE;
      g_assert_null (sg_demo_server_get_base_url (server));
    }

  /* And it can start for real afterwards. */
  sg_demo_server_start_async (server, NULL, on_started, &r);
  wait_for (&r.done);
  g_assert_true (r.ok);
  g_assert_nonnull (sg_demo_server_get_base_url (server));

  g_assert_finalize_object (server);
}

static void
test_cancel_start (void)
{
  g_autoptr(SgDemoServer) server = sg_demo_server_new (0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  StartResult r = { 0 };

  sg_demo_server_start_async (server, cancellable, on_started, &r);
  g_cancellable_cancel (cancellable);
  wait_for (&r.done);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_null (sg_demo_server_get_base_url (server));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-server/serves-creatures", test_serves_creatures);
  g_test_add_func ("/demo-server/ids-beyond-pokeapi", test_ids_beyond_pokeapi);
  g_test_add_func ("/demo-server/latency-applies-live", test_latency_applies_live);
  g_test_add_func ("/demo-server/latency-before-start", test_latency_before_start);
  g_test_add_func ("/demo-server/stop-closes-port", test_stop_closes_port);
  g_test_add_func ("/demo-server/start-twice", test_start_twice);
  g_test_add_func ("/demo-server/stop-while-starting", test_stop_while_starting);
  g_test_add_func ("/demo-server/cancel-start", test_cancel_start);

  return g_test_run ();
}
