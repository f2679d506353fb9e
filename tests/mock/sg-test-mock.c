/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-test-mock"

#include "config.h"

#include <libsoup/soup.h>

#include "sg-test-mock.h"

/* Generous: the box running the tests may be loaded. */
#define SPAWN_TIMEOUT_S 30
#define HTTP_TIMEOUT_S  30

typedef struct {
  char     *line;
  GError   *error;
  gboolean  done;
} ReadLine;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  ReadLine *rl = data;

  rl->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                        NULL, &rl->error);
  rl->done = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

GSubprocess *
sg_test_mock_spawn (const char *const  *extra_args,
                    char              **out_base_url,
                    GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) mock = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  ReadLine rl = { 0 };

  g_return_val_if_fail (out_base_url != NULL, NULL);

  g_ptr_array_add (argv, (char *) SG_MOCK_POKEAPI_PATH);
  g_ptr_array_add (argv, (char *) "--port=0");
  g_ptr_array_add (argv, (char *) "--exit-with-stdin");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  /* stdin is a pipe only we hold: the mock exits if this process dies. */
  mock = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            error);
  if (mock == NULL)
    return NULL;

  /* Read the first line with a bounded wait, on a private context so the
   * caller's main loop (if any) does not run meanwhile. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  cancellable = g_cancellable_new ();
  timeout = g_timeout_source_new_seconds (SPAWN_TIMEOUT_S);
  g_source_set_callback (timeout, on_timeout, cancellable, NULL);
  g_source_attach (timeout, context);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (mock));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, cancellable, on_line, &rl);
  while (!rl.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (rl.line == NULL || !g_str_has_prefix (rl.line, "http://127.0.0.1:"))
    {
      if (g_error_matches (rl.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     "The mock PokeAPI did not print its URL within %d s", SPAWN_TIMEOUT_S);
      else if (rl.error != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "Could not read the mock PokeAPI's URL: %s", rl.error->message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "The mock PokeAPI exited or printed “%s” instead of its URL (see its stderr)",
                     rl.line != NULL ? rl.line : "nothing");
      g_clear_error (&rl.error);
      g_free (rl.line);
      g_subprocess_force_exit (mock);
      g_subprocess_wait (mock, NULL, NULL);
      return NULL;
    }

  *out_base_url = rl.line;
  return g_steal_pointer (&mock);
}

void
sg_test_mock_stop (GSubprocess *mock)
{
  if (mock == NULL)
    return;

  /* SIGKILL cannot be ignored, so the wait is bounded. */
  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
  g_object_unref (mock);
}

GBytes *
sg_test_mock_http_get (const char  *url,
                       GError     **error)
{
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid URL: %s", url);
      return NULL;
    }

  /* No proxy: the tests talk to 127.0.0.1 whatever the environment says. */
  session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                           "proxy-resolver", no_proxy,
                                           NULL);
  body = soup_session_send_and_read (session, msg, NULL, error);
  if (body == NULL)
    return NULL;

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GET %s: HTTP %u %s", url, status,
                   soup_message_get_reason_phrase (msg));
      return NULL;
    }
  return g_steal_pointer (&body);
}
