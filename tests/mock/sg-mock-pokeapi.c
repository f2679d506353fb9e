/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sg-mock-pokeapi: the mock PokeAPI as a program, for tests, benchmarks
 * and developers:
 *
 *   sg-mock-pokeapi --latency-ms 100 --mirror ../shared/pokeapi-mirror
 *
 * The first line on stdout is the base URL ("http://127.0.0.1:PORT/api/v2/");
 * nothing else is ever written there. Logs go to stderr. Serves until
 * SIGTERM/SIGINT, or until stdin reaches EOF with --exit-with-stdin (so a
 * test that dies cannot leave it behind).
 */
#define G_LOG_DOMAIN "sg-mock-pokeapi"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "sg-mock-api.h"

typedef struct {
  GMainLoop    *loop;
  GInputStream *stdin_stream;
  GCancellable *cancellable;
  char          buffer[4096];
} App;

static gboolean
on_signal (gpointer data)
{
  App *app = data;

  g_main_loop_quit (app->loop);
  return G_SOURCE_CONTINUE;
}

static void read_stdin (App *app);

static void
on_stdin_read (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  App *app = data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n <= 0)
    {
      /* EOF (or a broken stdin): whoever started us is gone. */
      g_main_loop_quit (app->loop);
      return;
    }
  read_stdin (app);
}

static void
read_stdin (App *app)
{
  g_input_stream_read_async (app->stdin_stream, app->buffer, sizeof app->buffer,
                             G_PRIORITY_DEFAULT, app->cancellable, on_stdin_read, app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgMockApi) api = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autofree char *mirror = NULL;
  g_autofree char *faults = NULL;
  int port = 0;
  int latency_ms = 0;
  int max_id = 1025;
  int keep_documents = 400;
  gboolean exit_with_stdin = FALSE;
  guint sigterm_id, sigint_id;
  App app = { 0 };
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on, on 127.0.0.1 (0: any free port)", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Delay every response by N milliseconds", "N" },
    { "mirror", 0, 0, G_OPTION_ARG_FILENAME, &mirror, "Serve the real data of a pokeapi-mirror folder", "DIR" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Faults per id, e.g. 13=status:404,14=flaky:2,15=hang", "SPEC" },
    { "max-id", 0, 0, G_OPTION_ARG_INT, &max_id, "Highest id served (default 1025)", "N" },
    { "keep-documents", 0, 0, G_OPTION_ARG_INT, &keep_documents, "Documents kept in memory once built (default 400)", "N" },
    { "exit-with-stdin", 0, 0, G_OPTION_ARG_NONE, &exit_with_stdin, "Exit when stdin reaches end of file", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* A reader that goes away must cost an EPIPE, not our life. */
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("- serve a mock PokeAPI on 127.0.0.1");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints its base URL (http://127.0.0.1:PORT/api/v2/) as the first line on stdout.\n"
    "Routes: /api/v2/pokemon/{id}/ (without the slash: 301), /sprites/pokemon/{id}.png,\n"
    "/sprites/pokemon/shiny/, back/ and back/shiny/{id}.png.\n"
    "\n"
    "Faults (--faults ID=FAULT[:ARG],...):\n"
    "  status:N       the document answers HTTP N (400-599; 429 and 503 add Retry-After: 1)\n"
    "  flaky:N        the first N requests of the document answer 503, then it is served\n"
    "  truncate       the document is cut short of its Content-Length, then the connection closes\n"
    "  bad-json       the document is not valid JSON\n"
    "  null-sprite    sprites.front_default is null\n"
    "  file-sprite    sprites.front_default is file:///etc/passwd\n"
    "  hang           the document never answers\n"
    "  drip           the document comes one byte a second\n"
    "  oversize-json  the document is 64 MiB\n"
    "  not-png        the sprites are an HTML page\n"
    "  oversize-png   the sprites are 16 MiB\n"
    "  redirect-file  the sprites redirect to file:///etc/passwd\n"
    "  redirect-loop  the sprites redirect to themselves\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sg-mock-pokeapi: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > G_MAXUINT16)
    {
      g_printerr ("sg-mock-pokeapi: --port must be between 0 and 65535\n");
      return 2;
    }
  if (latency_ms < 0 || latency_ms > 600000)
    {
      g_printerr ("sg-mock-pokeapi: --latency-ms must be between 0 and 600000\n");
      return 2;
    }
  if (max_id < 1)
    {
      g_printerr ("sg-mock-pokeapi: --max-id must be at least 1\n");
      return 2;
    }

  if (keep_documents < 1)
    {
      g_printerr ("sg-mock-pokeapi: --keep-documents must be at least 1\n");
      return 2;
    }

  api = sg_mock_api_new ();
  sg_mock_api_set_keep_documents (api, (guint) keep_documents);
  sg_mock_api_set_latency (api, (guint) latency_ms);
  sg_mock_api_set_max_id (api, (guint) max_id);
  if ((mirror != NULL && !sg_mock_api_set_mirror_dir (api, mirror, &error)) ||
      (faults != NULL && !sg_mock_api_parse_faults (api, faults, &error)))
    {
      g_printerr ("sg-mock-pokeapi: %s\n", error->message);
      return 2;
    }
  if (!sg_mock_api_listen (api, (guint) port, &error))
    {
      g_printerr ("sg-mock-pokeapi: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  /* Before the URL goes out: whoever reads it may signal us at once. */
  loop = g_main_loop_new (NULL, FALSE);
  app.loop = loop;
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &app);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &app);

  /* The contract with whoever spawned us: the URL, alone, first, flushed. */
  g_print ("%s\n", sg_mock_api_get_base_url (api));
  fflush (stdout);
  g_message ("Serving %s%s, latency %d ms", sg_mock_api_get_base_url (api),
             mirror != NULL ? " from a mirror" : " generated creatures", latency_ms);


  if (exit_with_stdin)
    {
      cancellable = g_cancellable_new ();
      stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      app.stdin_stream = stdin_stream;
      app.cancellable = cancellable;
      read_stdin (&app);
    }

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  if (cancellable != NULL)
    {
      g_cancellable_cancel (cancellable);
      /* let the cancelled read report back before its buffer goes away */
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_clear_object (&api);
  return 0;
}
