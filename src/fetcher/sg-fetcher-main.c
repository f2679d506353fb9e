/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sprite-gallery-fetcher: the pool's helper process.
 *
 *   sprite-gallery-fetcher --base-url URL [--in-flight N] [--connect-timeout S]
 *                          [--low-speed-time S] [--max-time S]
 *
 * Reads "TASK <task_id> <pokemon_id>" lines on stdin, runs up to
 * --in-flight transfers at once in one curl multi loop, and answers with
 * binary frames on stdout (sg-frame.h): HELLO first, then PHASE, RESULT,
 * TASK_ERROR and LOG frames. At stdin EOF it finishes what it has and exits
 * 0. Human-readable logs go to stderr only.
 */
#define G_LOG_DOMAIN "sg-fetcher"
/* close_range() */
#define _GNU_SOURCE

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <curl/curl.h>

#include "sg-fetcher-output.h"
#include "sg-fetcher-transfer.h"
#include "sg-priority.h"
#include "sg-task-line.h"

#define MAX_IN_FLIGHT 64

typedef struct {
  GString  *line;        /* the partial line read so far */
  gboolean  discarding;  /* inside an over-long line: drop until '\n' */
  gboolean  eof;
} StdinReader;

static G_NORETURN void
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static G_NORETURN void
usage_error (const char *format,
             ...)
{
  char *message;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("sprite-gallery-fetcher: %s\n", message);
  /* Freed by hand: exit() skips g_autofree cleanups (and LSan notices). */
  g_free (message);
  exit (2);
}

static void
handle_line (SgFetcher  *fetcher,
             const char *line)
{
  guint32 task_id;
  guint pokemon_id;

  if (!sg_task_line_parse (line, &task_id, &pokemon_id))
    {
      sg_fetcher_output_log ("warning", "Ignored a malformed task line: \"%s\"", line);
      return;
    }

  sg_fetcher_push_task (fetcher, task_id, pokemon_id);
}

/* One read() per wake-up: poll said the pipe is readable, so this never
 * blocks the transfer loop; a long backlog is drained over a few rounds. */
static void
read_stdin (SgFetcher   *fetcher,
            StdinReader *reader)
{
  char chunk[16 * 1024];
  const char *p;
  const char *end;
  ssize_t n;

  n = read (STDIN_FILENO, chunk, sizeof chunk);
  if (n < 0)
    {
      if (errno == EINTR || errno == EAGAIN)
        return;
      g_printerr ("sprite-gallery-fetcher: reading tasks failed: %s\n", g_strerror (errno));
      n = 0;
    }

  if (n == 0)
    {
      reader->eof = TRUE;
      if (reader->line->len > 0 && !reader->discarding)
        handle_line (fetcher, reader->line->str);
      g_string_truncate (reader->line, 0);
      return;
    }

  p = chunk;
  end = chunk + n;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *segment_end = nl != NULL ? nl : end;

      if (!reader->discarding)
        {
          g_string_append_len (reader->line, p, segment_end - p);
          /* A task line is short: anything longer is garbage, and must not
           * make us buffer without bound. */
          if (reader->line->len >= SG_TASK_LINE_MAX)
            {
              g_string_truncate (reader->line, 32);
              sg_fetcher_output_log ("warning", "Ignored an over-long task line starting \"%s\"",
                                     reader->line->str);
              reader->discarding = TRUE;
              g_string_truncate (reader->line, 0);
            }
        }

      if (nl == NULL)
        break;

      if (!reader->discarding)
        handle_line (fetcher, reader->line->str);
      reader->discarding = FALSE;
      g_string_truncate (reader->line, 0);
      p = nl + 1;
    }
}

static gboolean
stdin_ready (void)
{
  struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

  /* curl_multi_poll() reports POLLIN on extra descriptors but not POLLHUP,
   * which is all a pipe says at EOF: ask the kernel directly (no wait). */
  if (poll (&pfd, 1, 0) <= 0)
    return FALSE;
  return (pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static void
send_hello (guint in_flight)
{
  const curl_version_info_data *info = curl_version_info (CURLVERSION_NOW);
  g_autoptr(JsonObject) meta = json_object_new ();

  json_object_set_int_member (meta, "pid", (gint64) getpid ());
  json_object_set_int_member (meta, "version", SG_FRAME_VERSION);
  json_object_set_int_member (meta, "in_flight", in_flight);
  json_object_set_string_member (meta, "curl", info->version);
  sg_fetcher_output_object (SG_FRAME_HELLO, 0, meta, NULL, 0);
}

static void
close_inherited_descriptors (void)
{
  g_autoptr(GArray) fds = NULL;
  DIR *dir;
  struct dirent *entry;

#if HAVE_CLOSE_RANGE
  if (close_range (3, ~0U, 0) == 0)
    return;
#endif

  /* No close_range(): the descriptors listed in /proc, closed after the
   * listing (closing them while reading the directory would close it). */
  dir = opendir ("/proc/self/fd");
  if (dir == NULL)
    return;
  fds = g_array_new (FALSE, FALSE, sizeof (int));
  while ((entry = readdir (dir)) != NULL)
    {
      int fd = (int) g_ascii_strtoll (entry->d_name, NULL, 10);

      if (fd > STDERR_FILENO && fd != dirfd (dir))
        g_array_append_val (fds, fd);
    }
  closedir (dir);
  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));
}

/* The pool spawns helpers without a child-setup function, so that GLib can
 * use posix_spawn() rather than fork(), which copies the page tables of the
 * whole app (milliseconds of a GUI's main thread per helper). What that
 * function did, and one thing more, the helper does first thing:
 *  - on Linux, it dies with the app (stdin's end of file would stop it too,
 *    a little later);
 *  - it keeps no descriptor but stdin, stdout and stderr (GLib closes the
 *    others only on its fork() path);
 *  - it runs below the app's priority (the pool lowers it too, right
 *    after the spawn; sg-priority.c). */
static void
settle_as_helper (void)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
  close_inherited_descriptors ();
  sg_priority_lower_below (0, getppid ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url_arg = NULL;
  g_autofree char *base_url = NULL;
  int in_flight = 4;
  double connect_timeout = 10;
  int low_speed_time = 15;
  double max_time = 60;
  const GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url_arg,
      "API base URL (http or https)", "URL" },
    { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight,
      "Transfers at once (default 4)", "N" },
    { "connect-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &connect_timeout,
      "Connection timeout in seconds (default 10)", "S" },
    { "low-speed-time", 0, 0, G_OPTION_ARG_INT, &low_speed_time,
      "Give up below 1000 B/s for this many seconds (default 15)", "S" },
    { "max-time", 0, 0, G_OPTION_ARG_DOUBLE, &max_time,
      "Longest time for one transfer in seconds (default 60)", "S" },
    { NULL }
  };
  SgFetcherOptions options = { 0, };
  SgFetcher *fetcher;
  StdinReader reader = { 0, };
  CURLcode cc;

  settle_as_helper ();

  context = g_option_context_new ("- download sprites for Sprite Gallery");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    usage_error ("%s", error->message);
  if (argc > 1)
    usage_error ("unexpected argument \"%s\"", argv[1]);
  if (base_url_arg == NULL)
    usage_error ("--base-url URL is required");
  if (in_flight < 1 || in_flight > MAX_IN_FLIGHT)
    usage_error ("--in-flight must be between 1 and %d", MAX_IN_FLIGHT);
  if (!(connect_timeout > 0 && connect_timeout <= 3600))
    usage_error ("--connect-timeout must be more than 0 and at most 3600 seconds");
  if (low_speed_time < 1 || low_speed_time > 3600)
    usage_error ("--low-speed-time must be between 1 and 3600 seconds");
  if (!(max_time > 0 && max_time <= 86400))
    usage_error ("--max-time must be more than 0 and at most 86400 seconds");

  cc = curl_global_init (CURL_GLOBAL_DEFAULT);
  if (cc != CURLE_OK)
    {
      g_printerr ("sprite-gallery-fetcher: cannot initialise libcurl: %s\n",
                  curl_easy_strerror (cc));
      return 1;
    }

  base_url = sg_fetcher_check_url (base_url_arg, NULL, &error);
  if (base_url == NULL)
    usage_error ("bad --base-url: %s", error->message);
  if (!g_str_has_suffix (base_url, "/"))
    {
      char *with_slash = g_strconcat (base_url, "/", NULL);

      g_free (base_url);
      base_url = with_slash;
    }

  /* A dead pool must not kill us mid-write: writes see EPIPE instead. */
  signal (SIGPIPE, SIG_IGN);
  sg_fetcher_output_init ();

  options.base_url = base_url;
  options.in_flight = (guint) in_flight;
  options.connect_timeout = connect_timeout;
  options.low_speed_limit = 1000;
  options.low_speed_time = (guint) low_speed_time;
  options.max_time = max_time;
  fetcher = sg_fetcher_new (&options);

  send_hello (options.in_flight);

  reader.line = g_string_sized_new (SG_TASK_LINE_MAX);
  for (;;)
    {
      struct curl_waitfd wfd = { .fd = STDIN_FILENO, .events = CURL_WAIT_POLLIN };

      sg_fetcher_perform (fetcher);
      if (reader.eof && sg_fetcher_is_idle (fetcher))
        break;

      /* The loop ends when stdin is done and so is every transfer; each
       * transfer is bounded by --max-time. */
      sg_fetcher_wait (fetcher, reader.eof ? NULL : &wfd, reader.eof ? 0 : 1, 1000);
      if (!reader.eof && stdin_ready ())
        read_stdin (fetcher, &reader);
    }

  g_string_free (reader.line, TRUE);
  sg_fetcher_free (fetcher);
  curl_global_cleanup ();
  return 0;
}
