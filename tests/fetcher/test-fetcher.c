/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sprite-gallery-fetcher end to end: the built helper against the mock
 * PokeAPI (and, for what the mock cannot say, a tiny canned HTTP server in
 * this program), read through the real frame decoder.
 *
 * Waits are bounded (SESSION_LIMIT_S) only so that a hang fails instead of
 * blocking forever; nothing asserts how fast anything is.
 */
#define G_LOG_DOMAIN "test-fetcher"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sg-frame.h"
#include "sg-test-mock.h"

extern char **environ;

#define SESSION_LIMIT_S 120

/* The helper's caps (sg-fetcher-transfer.h). */
#define SG_TEST_MAX_JSON_BYTES (8 * 1024 * 1024)
#define SG_TEST_MAX_PNG_BYTES  (1024 * 1024)

static const char fault_spec[] =
  "13=status:404,14=flaky:2,15=hang,16=drip,17=truncate,18=bad-json,19=null-sprite,"
  "20=not-png,21=oversize-json,22=oversize-png,23=file-sprite,24=redirect-file,"
  "25=redirect-loop,26=status:500,27=status:429";

/* ---------------------------------------------------------------------------
 * Mock servers, started on first use and stopped at the end.
 */

static GSubprocess *clean_mock;
static char *clean_base;
static GSubprocess *fault_mock;
static char *fault_base;

static const char *
get_clean_base (void)
{
  g_autoptr(GError) error = NULL;

  if (clean_mock == NULL)
    {
      clean_mock = sg_test_mock_spawn (NULL, &clean_base, &error);
      g_assert_no_error (error);
    }
  return clean_base;
}

static const char *
get_fault_base (void)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--faults", fault_spec, NULL };

  if (fault_mock == NULL)
    {
      fault_mock = sg_test_mock_spawn (args, &fault_base, &error);
      g_assert_no_error (error);
    }
  return fault_base;
}

/* ---------------------------------------------------------------------------
 * A running fetcher: tasks down stdin, frames decoded from stdout.
 */

typedef struct {
  GSubprocess    *proc;
  GOutputStream  *in;
  GInputStream   *out;
  SgFrameDecoder *decoder;
  GPtrArray      *frames;        /* SgFrame* in arrival order */
  GError         *stream_error;  /* decoder violation or read error */
  GCancellable   *cancellable;   /* of the pending read */
  gboolean        eof;
  gboolean        exited;
  guint8          buffer[64 * 1024];
} Session;

static void session_read (Session *s);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Session *s = data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      s->stream_error = g_steal_pointer (&error);
      s->eof = TRUE;
      return;
    }
  if (n == 0)
    {
      if (!sg_frame_decoder_finish (s->decoder, &error) && s->stream_error == NULL)
        s->stream_error = g_steal_pointer (&error);
      s->eof = TRUE;
      return;
    }

  sg_frame_decoder_feed (s->decoder, s->buffer, (gsize) n);
  for (;;)
    {
      SgFrame *frame = sg_frame_decoder_next (s->decoder, &error);

      if (frame == NULL)
        break;
      g_ptr_array_add (s->frames, frame);
    }
  if (error != NULL && s->stream_error == NULL)
    s->stream_error = g_steal_pointer (&error);

  session_read (s);
}

static void
session_read (Session *s)
{
  g_input_stream_read_async (s->out, s->buffer, sizeof s->buffer, G_PRIORITY_DEFAULT,
                             s->cancellable, on_read, s);
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Session *s = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  s->exited = TRUE;
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  const char *proxies[] = {
    "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
  };

  /* Loopback only, whatever the environment says. */
  for (guint i = 0; i < G_N_ELEMENTS (proxies); i++)
    g_subprocess_launcher_unsetenv (launcher, proxies[i]);
  return launcher;
}

static Session *
session_new_full (const char        *base_url,
                  const char *const *extra_args,
                  GSubprocessFlags   flags)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Session *s = g_new0 (Session, 1);

  g_ptr_array_add (argv, (char *) SG_FETCHER_BUILD_PATH);
  g_ptr_array_add (argv, (char *) "--base-url");
  g_ptr_array_add (argv, (char *) base_url);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | flags);
  s->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  s->in = g_object_ref (g_subprocess_get_stdin_pipe (s->proc));
  s->out = g_object_ref (g_subprocess_get_stdout_pipe (s->proc));
  s->decoder = sg_frame_decoder_new ();
  s->cancellable = g_cancellable_new ();
  s->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) sg_frame_free);

  g_subprocess_wait_async (s->proc, NULL, on_exited, s);
  session_read (s);
  return s;
}

static Session *
session_new (const char        *base_url,
             const char *const *extra_args)
{
  return session_new_full (base_url, extra_args, G_SUBPROCESS_FLAGS_NONE);
}

static void
session_free (Session *s)
{
  if (!s->exited)
    g_subprocess_force_exit (s->proc);
  /* Let the pending read and wait callbacks run before @s goes away. */
  while (!s->exited || !s->eof)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&s->in);
  g_clear_object (&s->out);
  g_clear_object (&s->proc);
  g_clear_object (&s->cancellable);
  sg_frame_decoder_free (s->decoder);
  g_ptr_array_unref (s->frames);
  g_clear_error (&s->stream_error);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Session, session_free)

static void
session_write (Session    *s,
               const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (s->in, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
session_close_stdin (Session *s)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (s->in, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
on_limit (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*SessionPredicate) (Session *s, gpointer data);

/* Runs the main loop until @pred holds; a helper that never gets there
 * fails the test after SESSION_LIMIT_S instead of hanging it. */
static void
session_run_until (Session          *s,
                   SessionPredicate  pred,
                   gpointer          data)
{
  gboolean expired = FALSE;
  guint limit_id = g_timeout_add_seconds (SESSION_LIMIT_S, on_limit, &expired);

  while (!pred (s, data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    {
      g_subprocess_force_exit (s->proc);
      g_error ("The fetcher did not get there within %d s (%u frames so far)",
               SESSION_LIMIT_S, s->frames->len);
    }
  g_source_remove (limit_id);
}

static gboolean
is_finished (Session  *s,
             gpointer  data)
{
  return s->eof && s->exited;
}

/* Closes stdin, waits for stdout EOF and the exit; asserts a clean stream
 * and exit status 0. */
static void
session_finish (Session *s)
{
  session_close_stdin (s);
  session_run_until (s, is_finished, NULL);

  g_assert_no_error (s->stream_error);
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (s->proc), ==, 0);
}

static guint
count_frames (Session     *s,
              SgFrameType  type)
{
  guint n = 0;

  for (guint i = 0; i < s->frames->len; i++)
    if (((SgFrame *) s->frames->pdata[i])->type == type)
      n++;
  return n;
}

static gboolean
has_n_results (Session  *s,
               gpointer  data)
{
  return count_frames (s, SG_FRAME_RESULT) >= GPOINTER_TO_UINT (data) || s->eof;
}

static gboolean
has_frames (Session  *s,
            gpointer  data)
{
  return s->frames->len >= GPOINTER_TO_UINT (data) || s->eof;
}

static JsonObject *
frame_meta (const SgFrame *frame)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, frame->meta, (gssize) frame->meta_len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

/* The single RESULT or TASK_ERROR frame of @task_id. */
static SgFrame *
outcome_of (Session *s,
            guint32  task_id)
{
  SgFrame *found = NULL;

  for (guint i = 0; i < s->frames->len; i++)
    {
      SgFrame *frame = s->frames->pdata[i];

      if (frame->task_id != task_id ||
          (frame->type != SG_FRAME_RESULT && frame->type != SG_FRAME_TASK_ERROR))
        continue;
      g_assert_null (found);
      found = frame;
    }
  g_assert_nonnull (found);
  return found;
}

static void
assert_hello (Session *s,
              guint    in_flight)
{
  g_autoptr(JsonObject) meta = NULL;
  const SgFrame *hello;
  const char *identifier = g_subprocess_get_identifier (s->proc);

  g_assert_cmpuint (s->frames->len, >, 0);
  hello = s->frames->pdata[0];
  g_assert_cmpint (hello->type, ==, SG_FRAME_HELLO);
  g_assert_cmpuint (hello->task_id, ==, 0);
  meta = frame_meta (hello);
  if (identifier != NULL)   /* NULL once reaped */
    g_assert_cmpint (json_object_get_int_member (meta, "pid"), ==, atoi (identifier));
  g_assert_cmpint (json_object_get_int_member (meta, "version"), ==, SG_FRAME_VERSION);
  g_assert_cmpint (json_object_get_int_member (meta, "in_flight"), ==, in_flight);
  g_assert_cmpstr (json_object_get_string_member (meta, "curl"), !=, "");

  for (guint i = 1; i < s->frames->len; i++)
    g_assert_cmpint (((SgFrame *) s->frames->pdata[i])->type, !=, SG_FRAME_HELLO);
}

/* ---------------------------------------------------------------------------
 * Tests against the mock.
 */

static void
test_hello (void)
{
  const char *args[] = { "--in-flight", "3", NULL };
  g_autoptr(Session) s = session_new (get_clean_base (), args);
  g_autoptr(JsonObject) meta = NULL;
  g_autofree char *pid = NULL;

  /* HELLO comes before any task is sent, with the helper's own pid. */
  session_run_until (s, has_frames, GUINT_TO_POINTER (1));
  assert_hello (s, 3);
  meta = frame_meta (s->frames->pdata[0]);
  pid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (meta, "pid"));
  g_assert_cmpstr (pid, ==, g_subprocess_get_identifier (s->proc));

  session_finish (s);
  g_assert_cmpuint (s->frames->len, ==, 1);
}

/* The pool spawns helpers the way posix_spawn() can, leaving descriptors
 * open: a helper drops what it inherits, or another helper's stdin would
 * never see its end of file while this one runs. */
static void
test_drops_inherited_descriptors (void)
{
  g_autoptr(Session) s = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];
  char byte;

  g_assert_true (g_unix_open_pipe (fds, 0, &error));   /* not close-on-exec */
  g_assert_no_error (error);
  s = session_new_full (get_clean_base (), NULL, G_SUBPROCESS_FLAGS_INHERIT_FDS);
  close (fds[1]);

  /* After HELLO the helper is past its start: the pipe's only writer is gone. */
  session_run_until (s, has_frames, GUINT_TO_POINTER (1));
  g_assert_false (s->exited);
  g_assert_true (g_unix_set_fd_nonblocking (fds[0], TRUE, &error));
  g_assert_cmpint (read (fds[0], &byte, 1), ==, 0);
  close (fds[0]);

  session_finish (s);
}

/* A helper runs below the app's priority (niceness +10, at most 19), so a
 * busy machine still gives the window its frames. */
static void
test_runs_below_the_app (void)
{
  g_autoptr(Session) s = session_new (get_clean_base (), NULL);
  int ours, theirs;
  pid_t pid;

  session_run_until (s, has_frames, GUINT_TO_POINTER (1));
  pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (s->proc), NULL, 10);
  errno = 0;
  ours = getpriority (PRIO_PROCESS, 0);
  g_assert_cmpint (errno, ==, 0);
  theirs = getpriority (PRIO_PROCESS, (id_t) pid);
  g_assert_cmpint (errno, ==, 0);
  g_assert_cmpint (theirs, ==, MIN (ours + 10, 19));

  session_finish (s);
}

static gboolean
process_gone (gpointer data)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", GPOINTER_TO_INT (data));
  g_autofree char *stat = NULL;
  const char *state;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  /* "pid (comm) S ...": a zombie is gone too, whoever reaps it. */
  state = strrchr (stat, ')');
  return state != NULL && (state[2] == 'Z' || state[2] == 'X');
}

/* If the app itself is killed, its helpers go with it even while something
 * else still holds their stdin (Linux: PR_SET_PDEATHSIG, set by the helper). */
static void
test_dies_with_parent (void)
{
#ifdef __linux__
  g_autofree char *base_url_arg = g_strdup_printf ("--base-url=%s", get_clean_base ());
  char *const helper_argv[] = { (char *) SG_FETCHER_BUILD_PATH, base_url_arg, NULL };
  int stdin_pipe[2], stdout_pipe[2], report[2];
  pid_t app, helper = 0;
  gint64 deadline;
  gboolean gone;
  int status;

  g_assert_true (g_unix_open_pipe (stdin_pipe, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_open_pipe (stdout_pipe, FD_CLOEXEC, NULL));
  g_assert_true (g_unix_open_pipe (report, FD_CLOEXEC, NULL));

  /* A stand-in for the app: it spawns the helper, says its pid, and dies. */
  app = fork ();
  g_assert_cmpint (app, >=, 0);
  if (app == 0)
    {
      posix_spawn_file_actions_t actions;
      pid_t pid = 0;
      char hello;

      posix_spawn_file_actions_init (&actions);
      posix_spawn_file_actions_adddup2 (&actions, stdin_pipe[0], STDIN_FILENO);
      posix_spawn_file_actions_adddup2 (&actions, stdout_pipe[1], STDOUT_FILENO);
      if (posix_spawn (&pid, helper_argv[0], &actions, NULL, helper_argv, environ) != 0)
        _exit (1);
      /* The helper's hello comes after it asked to die with us (however
       * slow a loaded machine makes its start). */
      if (read (stdout_pipe[0], &hello, 1) != 1)
        _exit (1);
      if (write (report[1], &pid, sizeof pid) != sizeof pid)
        _exit (1);
      _exit (0);
    }

  g_assert_cmpint (read (report[0], &helper, sizeof helper), ==, sizeof helper);
  g_assert_cmpint (helper, >, 0);
  g_assert_cmpint (waitpid (app, &status, 0), ==, app);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  /* The test still holds the helper's stdin open: only the signal stops it. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!process_gone (GINT_TO_POINTER (helper)) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 50);
  gone = process_gone (GINT_TO_POINTER (helper));
  if (!gone)
    kill (helper, SIGKILL);   /* not left behind by a failing test */
  g_assert_true (gone);

  for (guint i = 0; i < 2; i++)
    {
      close (stdin_pipe[i]);
      close (stdout_pipe[i]);
      close (report[i]);
    }
#else
  g_test_skip ("only Linux has PR_SET_PDEATHSIG");
#endif
}

static void
test_hundred_tasks (void)
{
  const char *args[] = { "--in-flight", "4", NULL };
  g_autoptr(Session) s = session_new (get_clean_base (), args);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GHashTable) started = g_hash_table_new (NULL, NULL);
  guint n_running = 0;
  guint max_running = 0;

  for (guint id = 1; id <= 100; id++)
    g_string_append_printf (lines, "TASK %u %u\n", 1000 + id, id);
  session_write (s, lines->str);
  session_finish (s);

  assert_hello (s, 4);
  g_assert_cmpuint (count_frames (s, SG_FRAME_RESULT), ==, 100);
  g_assert_cmpuint (count_frames (s, SG_FRAME_TASK_ERROR), ==, 0);

  for (guint id = 1; id <= 100; id++)
    {
      SgFrame *result = outcome_of (s, 1000 + id);
      g_autoptr(JsonObject) meta = frame_meta (result);
      JsonObject *sprites = json_object_get_object_member (meta, "sprites");
      const char *url = json_object_get_string_member (sprites, "front_default");
      g_autoptr(GBytes) served = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (result->type, ==, SG_FRAME_RESULT);
      g_assert_cmpint (json_object_get_int_member (meta, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (meta, "name"), !=, "");
      g_assert_true (json_object_has_member (meta, "types"));
      g_assert_true (json_object_has_member (meta, "stats"));
      g_assert_true (json_object_has_member (meta, "height"));
      g_assert_true (json_object_has_member (meta, "weight"));
      g_assert_cmpint (json_object_get_int_member (meta, "png_bytes"), ==,
                       g_bytes_get_size (result->payload));
      g_assert_cmpint (json_object_get_int_member (meta, "json_bytes"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (meta, "json_ms"), >=, 0);
      g_assert_cmpfloat (json_object_get_double_member (meta, "parse_ms"), >=, 0);
      g_assert_cmpfloat (json_object_get_double_member (meta, "sprite_ms"), >=, 0);

      /* The very bytes the mock serves. */
      served = sg_test_mock_http_get (url, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (served, result->payload));
    }

  /* Phases in order per task, and never more than --in-flight tasks
   * between their "json" phase and their outcome. */
  for (guint i = 0; i < s->frames->len; i++)
    {
      SgFrame *frame = s->frames->pdata[i];
      gpointer key = GUINT_TO_POINTER (frame->task_id);
      guint step = GPOINTER_TO_UINT (g_hash_table_lookup (started, key));

      if (frame->type == SG_FRAME_PHASE)
        {
          g_autoptr(JsonObject) meta = frame_meta (frame);
          const char *phase = json_object_get_string_member (meta, "phase");
          const char *expected[] = { "json", "parse", "sprite" };

          g_assert_cmpuint (step, <, 3);
          g_assert_cmpstr (phase, ==, expected[step]);
          g_hash_table_insert (started, key, GUINT_TO_POINTER (step + 1));
          if (step == 0)
            {
              n_running++;
              max_running = MAX (max_running, n_running);
            }
        }
      else if (frame->type == SG_FRAME_RESULT)
        {
          g_assert_cmpuint (step, ==, 3);
          n_running--;
        }
    }
  g_assert_cmpuint (n_running, ==, 0);
  g_assert_cmpuint (max_running, <=, 4);
  g_assert_cmpuint (max_running, >=, 1);
}

/* Results flow while stdin is still open: reading tasks never blocks the
 * transfer loop. */
static void
test_results_before_eof (void)
{
  g_autoptr(Session) s = session_new (get_clean_base (), NULL);

  session_write (s, "TASK 1 7\nTASK 2 8\n");
  session_run_until (s, has_n_results, GUINT_TO_POINTER (2));
  g_assert_false (s->eof);
  g_assert_cmpuint (count_frames (s, SG_FRAME_RESULT), ==, 2);

  /* And it takes more work after that. */
  session_write (s, "TASK 3 9\n");
  session_run_until (s, has_n_results, GUINT_TO_POINTER (3));
  g_assert_cmpuint (count_frames (s, SG_FRAME_RESULT), ==, 3);
  session_finish (s);
}

static void
test_malformed_line (void)
{
  g_autoptr(Session) s = session_new (get_clean_base (), NULL);
  g_autofree char *long_line = g_strnfill (100000, 'x');

  session_write (s, "garbage\nTASK 1 1\nTASK one two\nTASK 2 0\nTASK 3 -4\n\xff\xfe\n");
  session_write (s, long_line);
  session_write (s, "\nTASK 4 2\n");
  session_finish (s);

  assert_hello (s, 4);
  g_assert_cmpint (outcome_of (s, 1)->type, ==, SG_FRAME_RESULT);
  g_assert_cmpint (outcome_of (s, 4)->type, ==, SG_FRAME_RESULT);
  g_assert_cmpuint (count_frames (s, SG_FRAME_RESULT), ==, 2);
  /* garbage, "TASK one two", id 0, "-4", the invalid UTF-8, the long line */
  g_assert_cmpuint (count_frames (s, SG_FRAME_LOG), ==, 6);

  for (guint i = 0; i < s->frames->len; i++)
    {
      SgFrame *frame = s->frames->pdata[i];
      g_autoptr(JsonObject) meta = NULL;

      if (frame->type != SG_FRAME_LOG)
        continue;
      meta = frame_meta (frame);
      g_assert_cmpuint (frame->task_id, ==, 0);
      g_assert_cmpstr (json_object_get_string_member (meta, "level"), ==, "warning");
      g_assert_cmpuint (strlen (json_object_get_string_member (meta, "message")), <, 2048);
    }
}

/* A last line without its newline still counts at EOF. */
static void
test_last_line_without_newline (void)
{
  g_autoptr(Session) s = session_new (get_clean_base (), NULL);

  session_write (s, "TASK 5 3");
  session_finish (s);
  g_assert_cmpint (outcome_of (s, 5)->type, ==, SG_FRAME_RESULT);
}

/* More tasks than slots wait inside the helper (the "chunks" strategy). */
static void
test_queued_tasks (void)
{
  const char *args[] = { "--in-flight", "1", NULL };
  g_autoptr(Session) s = session_new (get_clean_base (), args);
  guint n_running = 0;

  session_write (s, "TASK 1 1\nTASK 2 2\nTASK 3 3\nTASK 4 4\nTASK 5 5\n");
  session_finish (s);

  g_assert_cmpuint (count_frames (s, SG_FRAME_RESULT), ==, 5);
  for (guint i = 0; i < s->frames->len; i++)
    {
      SgFrame *frame = s->frames->pdata[i];

      if (frame->type == SG_FRAME_PHASE)
        {
          g_autoptr(JsonObject) meta = frame_meta (frame);

          if (g_str_equal (json_object_get_string_member (meta, "phase"), "json"))
            g_assert_cmpuint (++n_running, ==, 1);
        }
      else if (frame->type == SG_FRAME_RESULT)
        n_running--;
    }
}

typedef struct {
  const char *name;
  guint       id;
  const char *kind;
  gboolean    retryable;
  int         status;          /* -1: not checked */
  gint64      retry_after_ms;
  const char *url_part;        /* expected in "url" */
  gboolean    slow;            /* run with small --low-speed-time/--max-time */
} FaultCase;

static const FaultCase fault_cases[] = {
  { "status-404",     13, "not-found",          FALSE, 404, -1,   "/pokemon/13/" },
  { "flaky",          14, "http",               TRUE,  503, 1000, "/pokemon/14/" },
  { "status-500",     26, "http",               TRUE,  500, -1,   "/pokemon/26/" },
  { "status-429",     27, "http",               TRUE,  429, 1000, "/pokemon/27/" },
  { "truncate",       17, "network",            TRUE,  -1,  -1,   "/pokemon/17/" },
  { "bad-json",       18, "bad-json",           FALSE, 200, -1,   "/pokemon/18/" },
  { "null-sprite",    19, "no-sprite",          FALSE, 200, -1,   "/pokemon/19/" },
  { "not-png",        20, "not-png",            FALSE, 200, -1,   "20.png" },
  { "oversize-json",  21, "too-large",          FALSE, -1,  -1,   "/pokemon/21/" },
  { "oversize-png",   22, "too-large",          FALSE, -1,  -1,   "22.png" },
  { "file-sprite",    23, "bad-url",            FALSE, -1,  -1,   "/pokemon/23/" },
  { "redirect-file",  24, "bad-url",            FALSE, -1,  -1,   "24.png" },
  { "redirect-loop",  25, "too-many-redirects", FALSE, -1,  -1,   "25.png" },
  { "hang",           15, "timeout",            TRUE,  -1,  -1,   "/pokemon/15/", TRUE },
  { "drip",           16, "timeout",            TRUE,  -1,  -1,   "/pokemon/16/", TRUE },
};

static void
assert_task_error (Session    *s,
                   guint32     task_id,
                   const char *kind,
                   gboolean    retryable,
                   int         status,
                   gint64      retry_after_ms,
                   const char *url_part)
{
  SgFrame *frame = outcome_of (s, task_id);
  g_autoptr(JsonObject) meta = NULL;

  g_assert_cmpint (frame->type, ==, SG_FRAME_TASK_ERROR);
  g_assert_cmpuint (g_bytes_get_size (frame->payload), ==, 0);
  meta = frame_meta (frame);
  g_test_message ("task %u: %s", task_id, frame->meta);

  g_assert_cmpstr (json_object_get_string_member (meta, "kind"), ==, kind);
  g_assert_cmpint (json_object_get_boolean_member (meta, "retryable"), ==, retryable);
  g_assert_cmpstr (json_object_get_string_member (meta, "message"), !=, "");
  g_assert_true (json_object_has_member (meta, "status"));
  if (status >= 0)
    g_assert_cmpint (json_object_get_int_member (meta, "status"), ==, status);
  g_assert_cmpint (json_object_get_int_member (meta, "retry_after_ms"), ==, retry_after_ms);
  if (url_part != NULL)
    g_assert_nonnull (strstr (json_object_get_string_member (meta, "url"), url_part));
}

static void
test_fault (gconstpointer data)
{
  const FaultCase *fc = data;
  /* Small limits so that hang and drip end in a second or two; only for
   * them, as on a loaded machine a healthy transfer may stall that long. */
  const char *slow_args[] = { "--low-speed-time", "1", "--max-time", "10", NULL };
  g_autoptr(Session) s = session_new (get_fault_base (), fc->slow ? slow_args : NULL);
  g_autofree char *line = NULL;

  /* A healthy task next to the faulty one must not be affected. */
  line = g_strdup_printf (fc->slow ? "TASK 77 %u\n" : "TASK 77 %u\nTASK 78 1\n", fc->id);
  session_write (s, line);
  session_finish (s);

  assert_task_error (s, 77, fc->kind, fc->retryable, fc->status, fc->retry_after_ms,
                     fc->url_part);
  if (!fc->slow)
    g_assert_cmpint (outcome_of (s, 78)->type, ==, SG_FRAME_RESULT);

  if (g_str_equal (fc->kind, "too-large"))
    {
      g_autoptr(JsonObject) meta = frame_meta (outcome_of (s, 77));

      /* Refused at the cap (from Content-Length or while reading), not
       * after downloading the whole 64 MB / 16 MB. */
      g_assert_nonnull (strstr (json_object_get_string_member (meta, "message"), "larger than"));
      g_assert_cmpint (json_object_get_int_member (meta, "body_bytes"), <=,
                       fc->id == 21 ? SG_TEST_MAX_JSON_BYTES : SG_TEST_MAX_PNG_BYTES);
    }
}

/* A port that is bound but not listening refuses connections, and nobody
 * else can take it while the socket lives. */
static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Session) s = NULL;
  g_autofree char *base = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u/api/v2/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  s = session_new (base, NULL);
  session_write (s, "TASK 1 1\nTASK 2 2\n");
  session_finish (s);
  assert_task_error (s, 1, "unreachable", FALSE, 0, -1, "/pokemon/1/");
  assert_task_error (s, 2, "unreachable", FALSE, 0, -1, "/pokemon/2/");
}

/* The pool went away: writing frames hits EPIPE, and the helper leaves
 * quietly with status 0 instead of dying of SIGPIPE. */
static void
test_pool_gone (void)
{
  g_autoptr(Session) s = session_new (get_clean_base (), NULL);
  g_autoptr(GError) error = NULL;
  gboolean expired = FALSE;
  guint limit_id;

  /* After HELLO, stop reading and close our end of stdout; only then send
   * tasks, so the helper's next frame surely meets a closed pipe. */
  session_run_until (s, has_frames, GUINT_TO_POINTER (1));
  g_cancellable_cancel (s->cancellable);
  while (!s->eof)
    g_main_context_iteration (NULL, TRUE);
  g_input_stream_close (s->out, NULL, &error);
  g_assert_no_error (error);
  session_write (s, "TASK 1 1\nTASK 2 2\nTASK 3 3\n");
  session_close_stdin (s);

  limit_id = g_timeout_add_seconds (SESSION_LIMIT_S, on_limit, &expired);
  while (!s->exited && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (limit_id);

  g_assert_false (g_subprocess_get_if_signaled (s->proc));
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (s->proc), ==, 0);
}

static void
test_usage (void)
{
  const char *const cases[][6] = {
    { NULL },
    { "--base-url", NULL },
    { "--base-url", "file:///etc/", NULL },
    { "--base-url", "not a url", NULL },
    { "--base-url", "http://127.0.0.1/", "--in-flight", "0", NULL },
    { "--base-url", "http://127.0.0.1/", "--in-flight", "1000", NULL },
    { "--base-url", "http://127.0.0.1/", "--in-flight", "four", NULL },
    { "--base-url", "http://127.0.0.1/", "--max-time", "-1", NULL },
    { "--base-url", "http://127.0.0.1/", "--connect-timeout", "0", NULL },
    { "--base-url", "http://127.0.0.1/", "--low-speed-time", "0", NULL },
    { "--base-url", "http://127.0.0.1/", "--bogus", NULL },
    { "--base-url", "http://127.0.0.1/", "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (char *) SG_FETCHER_BUILD_PATH);
      for (guint j = 0; cases[i][j] != NULL; j++)
        g_ptr_array_add (argv, (char *) cases[i][j]);
      g_ptr_array_add (argv, NULL);

      launcher = launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
      proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
      g_assert_no_error (error);
      /* Bounded: a helper that got past option parsing waits on stdin, and
       * this closes it. */
      g_subprocess_communicate_utf8 (proc, "", NULL, &out, &err, &error);
      g_assert_no_error (error);

      g_test_message ("case %u: %s", i, err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      g_assert_cmpstr (out, ==, "");
      /* Exactly one line. */
      g_assert_true (g_str_has_suffix (err, "\n"));
      g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
    }
}

/* Real data: the mock serving the pokeapi mirror, when it is there. */
static void
test_mirror (void)
{
  const char *mirror = g_getenv ("SG_TEST_MIRROR_DIR");
  const struct {
    guint id;
    const char *name;
  } known[] = { { 1, "bulbasaur" }, { 25, "pikachu" }, { 151, "mew" } };
  g_autoptr(GSubprocess) mock = NULL;
  g_autoptr(Session) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *base = NULL;

  if (mirror == NULL ||
      !g_file_test ((index = g_build_filename (mirror, "api", "v2", "pokemon", "25", "index.json",
                                               NULL)), G_FILE_TEST_EXISTS))
    {
      g_test_skip ("pokeapi mirror not found (SG_TEST_MIRROR_DIR)");
      return;
    }

  {
    const char *args[] = { "--mirror", mirror, NULL };

    mock = sg_test_mock_spawn (args, &base, &error);
    g_assert_no_error (error);
  }

  s = session_new (base, NULL);
  session_write (s, "TASK 1 1\nTASK 25 25\nTASK 151 151\n");
  session_finish (s);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      SgFrame *result = outcome_of (s, known[i].id);
      g_autoptr(JsonObject) meta = NULL;
      g_autofree char *png_path = NULL;
      g_autofree char *png_name = g_strdup_printf ("%u.png", known[i].id);
      g_autofree char *png = NULL;
      gsize png_len;

      g_assert_cmpint (result->type, ==, SG_FRAME_RESULT);
      meta = frame_meta (result);
      g_assert_cmpstr (json_object_get_string_member (meta, "name"), ==, known[i].name);
      g_assert_cmpint (json_object_get_int_member (meta, "id"), ==, known[i].id);

      png_path = g_build_filename (mirror, "sprites", "pokemon", png_name, NULL);
      g_file_get_contents (png_path, &png, &png_len, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (result->payload, NULL), g_bytes_get_size (result->payload),
                       png, png_len);
    }

  {
    g_autoptr(JsonObject) meta = frame_meta (outcome_of (s, 1));
    JsonArray *types = json_object_get_array_member (meta, "types");
    JsonObject *stats = json_object_get_object_member (meta, "stats");

    g_assert_cmpuint (json_array_get_length (types), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (types, 0), ==, "grass");
    g_assert_cmpstr (json_array_get_string_element (types, 1), ==, "poison");
    g_assert_cmpint (json_object_get_int_member (stats, "hp"), ==, 45);
    g_assert_cmpint (json_object_get_int_member (meta, "height"), ==, 7);
    g_assert_cmpint (json_object_get_int_member (meta, "weight"), ==, 69);
  }

  sg_test_mock_stop (g_steal_pointer (&mock));
}

/* ---------------------------------------------------------------------------
 * A canned HTTP server for answers the mock does not give: each path has
 * one fixed raw response, and the connection is closed after it.
 */

static GHashTable *canned;   /* path -> GBytes (raw response) */
static GSocketService *canned_service;
static char *canned_base;

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 32, 0, 0, 0, 32, 8, 6, 0, 0, 0,
  0x73, 0x7a, 0x7a, 0xf4,
};

/* One thread per connection, started by hand: GThreadedSocketService in
 * GLib 2.74 crashed now and then in the main context's dispatch while its
 * worker threads were busy (a NULL dereference inside GIO). */
static gpointer
canned_answer_thread (gpointer data)
{
  g_autoptr(GSocketConnection) connection = data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char request[8192];
  gsize len = 0;
  g_auto(GStrv) words = NULL;
  GBytes *response;

  /* Read the request head (bounded). */
  while (len < sizeof request - 1)
    {
      gssize n = g_input_stream_read (in, request + len, sizeof request - 1 - len, NULL, NULL);

      if (n <= 0)
        return NULL;
      len += (gsize) n;
      request[len] = '\0';
      if (strstr (request, "\r\n\r\n") != NULL)
        break;
    }

  words = g_strsplit (request, " ", 3);
  if (g_strv_length (words) < 3)
    return NULL;
  response = g_hash_table_lookup (canned, words[1]);
  if (response != NULL)
    g_output_stream_write_all (out, g_bytes_get_data (response, NULL),
                               g_bytes_get_size (response), NULL, NULL, NULL);
  else
    g_output_stream_write_all (out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n", 64, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return NULL;
}

static gboolean
on_canned_incoming (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           data)
{
  g_thread_unref (g_thread_new ("canned-answer", canned_answer_thread, g_object_ref (connection)));
  return TRUE;
}

static void
canned_add (const char *path,
            const char *status_and_headers,
            const void *body,
            gsize       body_len)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autofree char *length = NULL;
  g_autofree char *head = NULL;

  /* Content-Length from the body unless the case sets its own, or wants
   * none (the body then ends when the connection closes). */
  if (strstr (status_and_headers, "Content-Length") == NULL &&
      strstr (status_and_headers, "X-Until-Close") == NULL)
    length = g_strdup_printf ("Content-Length: %" G_GSIZE_FORMAT "\r\n", body_len);
  head = g_strdup_printf ("HTTP/1.1 %s\r\nConnection: close\r\n%s\r\n",
                          status_and_headers, length != NULL ? length : "");
  g_byte_array_append (raw, (const guint8 *) head, (guint) strlen (head));
  g_byte_array_append (raw, body, (guint) body_len);
  g_hash_table_insert (canned, g_strdup (path), g_byte_array_free_to_bytes (g_steal_pointer (&raw)));
}

static void
canned_add_json (guint       id,
                 const char *json)
{
  g_autofree char *path = g_strdup_printf ("/canned/pokemon/%u/", id);

  canned_add (path, "200 OK\r\nContent-Type: application/json", json, strlen (json));
}

static GBytes *
gzip_bytes (const void *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static const char *
get_canned_base (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *long_path = NULL;
  g_autofree char *long_url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *past_date = NULL;
  g_autofree char *future_date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) future = g_date_time_add_hours (now, 1);
  guint16 port;
  guint8 bad_png[sizeof tiny_png];

  if (canned_base != NULL)
    return canned_base;

  canned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  canned_service = g_socket_service_new ();
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (canned_service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  canned_base = g_strdup_printf ("http://127.0.0.1:%u/canned/", port);
  g_signal_connect (canned_service, "incoming", G_CALLBACK (on_canned_incoming), NULL);

  /* 1: Retry-After as an HTTP-date in the past: retry now. */
  past_date = g_date_time_format (past, "%a, %d %b %Y %H:%M:%S GMT");
  {
    g_autofree char *head = g_strdup_printf ("503 Service Unavailable\r\nRetry-After: %s",
                                             past_date);
    canned_add ("/canned/pokemon/1/", head, "busy", 4);
  }
  /* 2: Retry-After as an HTTP-date an hour ahead. */
  future_date = g_date_time_format (future, "%a, %d %b %Y %H:%M:%S GMT");
  {
    g_autofree char *head = g_strdup_printf ("503 Service Unavailable\r\nRetry-After: %s",
                                             future_date);
    canned_add ("/canned/pokemon/2/", head, "busy", 4);
  }
  /* 3: JSON, but not an object. */
  canned_add_json (3, "[1, 2, 3]");
  /* 4: the document of another id. */
  canned_add_json (4, "{\"id\":5,\"name\":\"five\",\"sprites\":{\"front_default\":\"/canned/s/5.png\"}}");
  /* 5: no name. */
  canned_add_json (5, "{\"id\":5,\"sprites\":{\"front_default\":\"/canned/s/5.png\"}}");
  /* 6: a relative sprite URL, resolved against the document's URL. */
  canned_add_json (6, "{\"id\":6,\"name\":\"six\",\"types\":[{\"slot\":2,\"type\":{\"name\":\"b\"}},"
                      "{\"slot\":1,\"type\":{\"name\":\"a\"}}],"
                      "\"stats\":[{\"base_stat\":12,\"stat\":{\"name\":\"hp\"}}],"
                      "\"sprites\":{\"front_default\":\"../../s/6.png\",\"back_default\":null}}");
  canned_add ("/canned/s/6.png", "200 OK\r\nContent-Type: image/png", tiny_png, sizeof tiny_png);
  /* 7: a Content-Length far over the cap: refused before the body. */
  canned_add ("/canned/pokemon/7/", "200 OK\r\nContent-Length: 100000000", "{}", 2);
  /* 8: "gzip" that is not. */
  canned_add ("/canned/pokemon/8/", "200 OK\r\nContent-Encoding: gzip", "not gzip at all", 15);
  /* 9: a redirect to another scheme. */
  canned_add ("/canned/pokemon/9/", "302 Found\r\nLocation: ftp://127.0.0.1/pokemon/9/", "", 0);
  /* 10: a javascript: sprite URL. */
  canned_add_json (10, "{\"id\":10,\"name\":\"ten\",\"sprites\":{\"front_default\":\"javascript:alert(1)\"}}");
  /* 11: an absurdly long sprite URL. */
  long_path = g_strnfill (5000, 'a');
  long_url = g_strdup_printf ("http://127.0.0.1:%u/%s", port, long_path);
  json = g_strdup_printf ("{\"id\":11,\"name\":\"eleven\",\"sprites\":{\"front_default\":\"%s\"}}",
                          long_url);
  canned_add_json (11, json);
  /* 12: a PNG signature with absurd dimensions. */
  memcpy (bad_png, tiny_png, sizeof tiny_png);
  bad_png[16] = 0x7f;   /* width 0x7f000020 */
  canned_add_json (12, "{\"id\":12,\"name\":\"twelve\",\"sprites\":{\"front_default\":\"/canned/s/12.png\"}}");
  canned_add ("/canned/s/12.png", "200 OK\r\nContent-Type: image/png", bad_png, sizeof bad_png);
  /* 13: front_default is a number. */
  canned_add_json (13, "{\"id\":13,\"name\":\"thirteen\",\"sprites\":{\"front_default\":13}}");
  /* 14: the server closes without a word. */
  g_hash_table_insert (canned, g_strdup ("/canned/pokemon/14/"), g_bytes_new_static ("", 0));
  /* 15: no sprites object at all. */
  canned_add_json (15, "{\"id\":15,\"name\":\"fifteen\"}");
  /* 16: 410 Gone: an HTTP error that is not worth a retry. */
  canned_add ("/canned/pokemon/16/", "410 Gone", "", 0);
  /* 17, 18: over the caps with no Content-Length: only the write callback
   * can stop them, at the cap. */
  {
    gsize big_len = SG_TEST_MAX_JSON_BYTES + 1024 * 1024;
    g_autofree char *big = g_malloc (big_len);
    g_autofree char *sprite_json = NULL;
    const char *start = "{\"id\":17,\"name\":\"big\"";

    memset (big, ' ', big_len);
    memcpy (big, start, strlen (start));
    big[big_len - 1] = '}';
    canned_add ("/canned/pokemon/17/", "200 OK\r\nX-Until-Close: yes", big, big_len);

    sprite_json = g_strdup_printf ("{\"id\":18,\"name\":\"eighteen\","
                                   "\"sprites\":{\"front_default\":\"http://127.0.0.1:%u/canned/s/18.png\"}}",
                                   port);
    canned_add_json (18, sprite_json);
    memcpy (big, tiny_png, sizeof tiny_png);
    canned_add ("/canned/s/18.png", "200 OK\r\nX-Until-Close: yes", big,
                SG_TEST_MAX_PNG_BYTES + 1024);
  }
  /* The helper keeps a document gzipped until it parses it, and inflates
   * it itself: 19 a good one, 20 one that inflates past the cap (a "gzip
   * bomb"), 21 an encoding it did not ask for, 22 gzip cut short. */
  {
    const char *doc = "{\"id\":19,\"name\":\"nineteen\",\"sprites\":{\"front_default\":\"/canned/s/6.png\"}}";
    g_autoptr(GBytes) gz = gzip_bytes (doc, strlen (doc));
    gsize bomb_len = SG_TEST_MAX_JSON_BYTES + 1024;
    g_autofree char *bomb = g_malloc (bomb_len);
    g_autoptr(GBytes) bomb_gz = NULL;
    const char *start = "{\"id\":20,\"name\":\"twenty\"";
    const char *doc21 = "{\"id\":21,\"name\":\"twentyone\",\"sprites\":{\"front_default\":\"/canned/s/6.png\"}}";

    canned_add ("/canned/pokemon/19/", "200 OK\r\nContent-Encoding: gzip",
                g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
    memset (bomb, ' ', bomb_len);
    memcpy (bomb, start, strlen (start));
    bomb[bomb_len - 1] = '}';
    bomb_gz = gzip_bytes (bomb, bomb_len);
    g_assert_cmpuint (g_bytes_get_size (bomb_gz), <, 1024 * 1024);
    canned_add ("/canned/pokemon/20/", "200 OK\r\nContent-Encoding: gzip",
                g_bytes_get_data (bomb_gz, NULL), g_bytes_get_size (bomb_gz));
    canned_add ("/canned/pokemon/21/", "200 OK\r\nContent-Encoding: br", doc21, strlen (doc21));
    canned_add ("/canned/pokemon/22/", "200 OK\r\nContent-Encoding: gzip",
                g_bytes_get_data (gz, NULL), g_bytes_get_size (gz) / 2);
  }

  g_socket_service_start (canned_service);
  return canned_base;
}

static void
test_canned (void)
{
  g_autoptr(Session) s = session_new (get_canned_base (), NULL);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(JsonObject) six = NULL;
  SgFrame *frame;
  gint64 retry_ms;

  for (guint id = 1; id <= 22; id++)
    g_string_append_printf (lines, "TASK %u %u\n", id, id);
  session_write (s, lines->str);
  session_finish (s);

  assert_task_error (s, 1, "http", TRUE, 503, 0, "/pokemon/1/");
  frame = outcome_of (s, 2);
  {
    g_autoptr(JsonObject) meta = frame_meta (frame);

    g_assert_cmpstr (json_object_get_string_member (meta, "kind"), ==, "http");
    retry_ms = json_object_get_int_member (meta, "retry_after_ms");
    /* About an hour; the clock moved a little since the date was made. */
    g_assert_cmpint (retry_ms, >, 3000 * 1000);
    g_assert_cmpint (retry_ms, <=, 3600 * 1000);
  }
  assert_task_error (s, 3, "bad-json", FALSE, 200, -1, "/pokemon/3/");
  assert_task_error (s, 4, "bad-json", FALSE, 200, -1, "/pokemon/4/");
  assert_task_error (s, 5, "bad-json", FALSE, 200, -1, "/pokemon/5/");

  frame = outcome_of (s, 6);
  g_assert_cmpint (frame->type, ==, SG_FRAME_RESULT);
  g_assert_cmpmem (g_bytes_get_data (frame->payload, NULL), g_bytes_get_size (frame->payload),
                   tiny_png, sizeof tiny_png);
  six = frame_meta (frame);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (six, "types"), 0),
                   ==, "a");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (six, "types"), 1),
                   ==, "b");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (six, "stats"), "hp"),
                   ==, 12);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (six, "sprites"),
                                              "back_default"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (six, "sprites"),
                                              "front_shiny"));

  assert_task_error (s, 7, "too-large", FALSE, -1, -1, "/pokemon/7/");
  assert_task_error (s, 8, "network", TRUE, -1, -1, "/pokemon/8/");
  assert_task_error (s, 9, "bad-url", FALSE, -1, -1, "/pokemon/9/");
  assert_task_error (s, 10, "bad-url", FALSE, -1, -1, "/pokemon/10/");
  assert_task_error (s, 11, "bad-url", FALSE, -1, -1, "/pokemon/11/");
  assert_task_error (s, 12, "not-png", FALSE, 200, -1, "12.png");
  assert_task_error (s, 13, "no-sprite", FALSE, 200, -1, "/pokemon/13/");
  assert_task_error (s, 14, "network", TRUE, 0, -1, "/pokemon/14/");
  assert_task_error (s, 15, "no-sprite", FALSE, 200, -1, "/pokemon/15/");
  assert_task_error (s, 16, "http", FALSE, 410, -1, "/pokemon/16/");
  assert_task_error (s, 17, "too-large", FALSE, 200, -1, "/pokemon/17/");
  assert_task_error (s, 18, "too-large", FALSE, 200, -1, "18.png");
  {
    g_autoptr(JsonObject) nineteen = NULL;

    frame = outcome_of (s, 19);
    g_assert_cmpint (frame->type, ==, SG_FRAME_RESULT);
    nineteen = frame_meta (frame);
    g_assert_cmpstr (json_object_get_string_member (nineteen, "name"), ==, "nineteen");
    /* The inflated size, not the compressed one. */
    g_assert_cmpint (json_object_get_int_member (nineteen, "json_bytes"), ==,
                     strlen ("{\"id\":19,\"name\":\"nineteen\",\"sprites\":{\"front_default\":\"/canned/s/6.png\"}}"));
  }
  assert_task_error (s, 20, "too-large", FALSE, 200, -1, "/pokemon/20/");
  assert_task_error (s, 21, "network", TRUE, 200, -1, "/pokemon/21/");
  assert_task_error (s, 22, "network", TRUE, 200, -1, "/pokemon/22/");
  {
    g_autoptr(JsonObject) seven = frame_meta (outcome_of (s, 7));
    g_autoptr(JsonObject) seventeen = frame_meta (outcome_of (s, 17));
    g_autoptr(JsonObject) eighteen = frame_meta (outcome_of (s, 18));

    /* Refused from Content-Length: not a byte read. Without one: cut at the cap. */
    g_assert_cmpint (json_object_get_int_member (seven, "body_bytes"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (seventeen, "body_bytes"), <=,
                     SG_TEST_MAX_JSON_BYTES);
    g_assert_cmpint (json_object_get_int_member (eighteen, "body_bytes"), <=,
                     SG_TEST_MAX_PNG_BYTES);
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetcher/hello", test_hello);
  g_test_add_func ("/fetcher/hundred-tasks", test_hundred_tasks);
  g_test_add_func ("/fetcher/drops-inherited-descriptors", test_drops_inherited_descriptors);
  g_test_add_func ("/fetcher/dies-with-parent", test_dies_with_parent);
  g_test_add_func ("/fetcher/runs-below-the-app", test_runs_below_the_app);
  g_test_add_func ("/fetcher/results-before-eof", test_results_before_eof);
  g_test_add_func ("/fetcher/malformed-line", test_malformed_line);
  g_test_add_func ("/fetcher/last-line-without-newline", test_last_line_without_newline);
  g_test_add_func ("/fetcher/queued-tasks", test_queued_tasks);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fetcher/fault/%s", fault_cases[i].name);

      g_test_add_data_func (path, &fault_cases[i], test_fault);
    }
  g_test_add_func ("/fetcher/unreachable", test_unreachable);
  g_test_add_func ("/fetcher/pool-gone", test_pool_gone);
  g_test_add_func ("/fetcher/usage", test_usage);
  g_test_add_func ("/fetcher/mirror", test_mirror);
  g_test_add_func ("/fetcher/canned-answers", test_canned);

  ret = g_test_run ();

  sg_test_mock_stop (g_steal_pointer (&clean_mock));
  sg_test_mock_stop (g_steal_pointer (&fault_mock));
  g_clear_pointer (&clean_base, g_free);
  g_clear_pointer (&fault_base, g_free);
  if (canned_service != NULL)
    {
      g_socket_service_stop (canned_service);
      g_socket_listener_close (G_SOCKET_LISTENER (canned_service));
      g_clear_object (&canned_service);
    }
  /* Not freed: an answer thread may still be looking a response up. */
  g_clear_pointer (&canned_base, g_free);
  return ret;
}
