/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sg-mock-pokeapi program through the test-support library everybody
 * uses: its URL line, options, exit on stdin EOF and on SIGTERM.
 */
#define G_LOG_DOMAIN "test-mock-program"

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "mock-test-util.h"
#include "sg-test-mock.h"

static void
test_program (void)
{
  const char *args[] = { "--faults", "13=status:404", "--max-id", "50", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSubprocess *mock;

  mock = sg_test_mock_spawn (args, &base, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mock);
  g_assert_true (g_str_has_prefix (base, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (base, "/api/v2/"));

  {
    g_autofree char *url = g_strconcat (base, "pokemon/12/", NULL);
    g_autoptr(GBytes) body = sg_test_mock_http_get (url, &error);
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *origin = g_strndup (base, strlen (base) - strlen ("/api/v2/"));

    g_assert_no_error (error);
    root = mt_parse_json (body);
    mt_assert_document_shape (root, 12, origin);
  }
  {
    g_autofree char *url = g_strconcat (base, "pokemon/13/", NULL);
    g_autoptr(GBytes) body = sg_test_mock_http_get (url, &error);

    g_assert_null (body);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "404"));
    g_clear_error (&error);
  }
  {
    g_autofree char *url = g_strconcat (base, "pokemon/51/", NULL);
    g_autoptr(GBytes) body = sg_test_mock_http_get (url, &error);

    g_assert_null (body);
    g_assert_nonnull (strstr (error->message, "404"));
    g_clear_error (&error);
  }

  sg_test_mock_stop (mock);
}

static void
test_program_bad_usage (void)
{
  static const char *const bad[][3] = {
    { "--faults", "13=bogus", NULL },
    { "--port", "70000", NULL },
    { "--mirror", "/nonexistent-mirror-dir", NULL },
    { "--latency-ms", "-5", NULL },
    { "--keep-documents", "0", NULL },
    { "--no-such-option", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = NULL;
      GSubprocess *mock;

      g_test_message ("args %s %s", bad[i][0], bad[i][1] ? bad[i][1] : "");
      mock = sg_test_mock_spawn ((const char *const *) bad[i], &base, &error);
      g_assert_null (mock);
      g_assert_null (base);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    }
}

typedef struct {
  gboolean done;
} Waited;

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Waited *w = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  w->done = TRUE;
}

static gboolean
on_wait_timeout (gpointer data)
{
  Waited *w = data;

  w->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_bounded (GSubprocess *mock)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (30);
  Waited w = { FALSE };
  Waited t = { FALSE };

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (mock, cancellable, on_waited, &w);
  g_source_set_callback (timeout, on_wait_timeout, &t, NULL);
  g_source_attach (timeout, context);
  while (!w.done && !t.done)
    g_main_context_iteration (context, TRUE);
  g_cancellable_cancel (cancellable);
  while (!w.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
  return g_subprocess_get_if_exited (mock) || g_subprocess_get_if_signaled (mock);
}

static void
test_program_exit_with_stdin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSubprocess *mock = sg_test_mock_spawn (NULL, &base, &error);

  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (mock), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_bounded (mock));
  g_assert_true (g_subprocess_get_if_exited (mock));
  g_assert_cmpint (g_subprocess_get_exit_status (mock), ==, 0);
  sg_test_mock_stop (mock);
}

static void
test_program_sigterm (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  const char *args[] = { "--faults", "15=hang", NULL };
  GSubprocess *mock = sg_test_mock_spawn (args, &base, &error);

  g_assert_no_error (error);
  g_subprocess_send_signal (mock, SIGTERM);
  g_assert_true (wait_bounded (mock));
  g_assert_true (g_subprocess_get_if_exited (mock));
  g_assert_cmpint (g_subprocess_get_exit_status (mock), ==, 0);
  sg_test_mock_stop (mock);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mock/program/serves", test_program);
  g_test_add_func ("/mock/program/bad-usage", test_program_bad_usage);
  g_test_add_func ("/mock/program/exit-with-stdin", test_program_exit_with_stdin);
  g_test_add_func ("/mock/program/sigterm", test_program_sigterm);

  return g_test_run ();
}
