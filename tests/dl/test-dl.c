/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sprite-gallery-dl end to end, as a user runs it: the files, the exit
 * statuses, the one-line errors, and Ctrl-C.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "sg-test-mock.h"

typedef struct {
  GSubprocess *mock;
  char        *base_url;
  char        *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const *args = data;
  g_autoptr(GError) error = NULL;

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);
  fixture->mock = sg_test_mock_spawn (args, &fixture->base_url, &error);
  g_assert_no_error (error);
  fixture->dir = g_dir_make_tmp ("sg-dl-XXXXXX", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  sg_test_mock_stop (fixture->mock);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture->dir);
  g_free (fixture->base_url);
}

/* Runs sprite-gallery-dl with @args; returns its exit status. */
static int
run_dl (const char * const  *args,
        char               **out_stdout,
        char               **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) dl = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) SG_DL_BUILD_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  dl = g_subprocess_newv ((const char * const *) argv->pdata,
                          G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (dl, NULL, NULL, out_stdout, out_stderr, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (dl));
  return g_subprocess_get_exit_status (dl);
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
test_saves_100_identical (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *out = path_in (fixture, "out");
  g_autofree char *report_path = path_in (fixture, "report.json");
  g_autofree char *cache = path_in (fixture, "cache");
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  const char * const args[] = { "--base-url", fixture->base_url, "--out", out,
                                "--cache-dir", cache, "--report", report_path, NULL };
  g_autofree char *origin = g_strndup (fixture->base_url,
                                       strstr (fixture->base_url, "/api/") - fixture->base_url);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *report;
  guint n_files = 0;
  const char *name;

  g_assert_cmpint (run_dl (args, &std_out, &std_err), ==, 0);
  /* Not a terminal: no progress line, only the summary. */
  g_assert_null (strchr (std_out, '\r'));
  g_assert_nonnull (strstr (std_out, "100 of 100"));

  dir = g_dir_open (out, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (out, name, NULL);
      g_autofree char *url = NULL;
      g_autoptr(GBytes) served = NULL;
      g_autofree char *contents = NULL;
      gsize len;
      guint id;

      /* NNN-name.png */
      g_assert_true (g_regex_match_simple ("^[0-9]{3}-[a-z0-9-]+\\.png$", name, 0, 0));
      id = (guint) g_ascii_strtoull (name, NULL, 10);
      url = g_strdup_printf ("%s/sprites/pokemon/%u.png", origin, id);
      served = sg_test_mock_http_get (url, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpmem (contents, len, g_bytes_get_data (served, NULL), g_bytes_get_size (served));
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 100);

  g_assert_true (json_parser_load_from_file (parser, report_path, &error));
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "counts"), "done"),
                   ==, 100);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "tasks")), ==, 100);
  g_assert_true (json_object_has_member (report, "first_sprite_ms"));
  g_assert_true (json_object_has_member (report, "all_done_ms"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "settings"),
                                                  "strategy"), ==, "queue");
}

static const char * const fault_args[] = { "--faults", "3=status:404", NULL };

static void
test_some_failed_exit_1 (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *out = path_in (fixture, "out");
  g_autofree char *missing = path_in (fixture, "out/003-*.png");
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  const char * const args[] = { "--base-url", fixture->base_url, "--out", out, "--count", "5",
                                "--no-cache", NULL };

  g_assert_cmpint (run_dl (args, &std_out, &std_err), ==, 1);
  g_assert_nonnull (strstr (std_err, "#003: The server has no Pokémon number 3"));
  g_assert_nonnull (strstr (std_out, "4 of 5"));
}

static void
test_unreachable_one_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sg-dl-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  const char * const args[] = { "--base-url", "http://127.0.0.1:1/api/v2/", "--out", out,
                                "--no-cache", NULL };
  g_auto(GStrv) lines = NULL;

  g_setenv ("SPRITE_GALLERY_FETCHER", SG_FETCHER_BUILD_PATH, TRUE);
  g_assert_cmpint (run_dl (args, &std_out, &std_err), ==, 1);
  lines = g_strsplit (g_strstrip (std_err), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_nonnull (strstr (lines[0], "Cannot reach the server at http://127.0.0.1:1/api/v2/"));
  g_rmdir (out);
  g_rmdir (dir);
}

static void
test_bad_usage_exit_2 (void)
{
  const char * const bad[][3] = {
    { "--workers", "0", NULL },
    { "--workers", "lots", NULL },
    { "--in-flight", "1000", NULL },
    { "--strategy", "random", NULL },
    { "--base-url", "ftp://example.com/", NULL },
    { "--count", "-3", NULL },
    { "--bogus", NULL, NULL },
    { "stray-argument", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *std_out = NULL;
      g_autofree char *std_err = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (run_dl (bad[i], &std_out, &std_err), ==, 2);
      lines = g_strsplit (g_strstrip (std_err), "\n", -1);
      /* One clear line, naming the program. */
      g_assert_cmpuint (g_strv_length (lines), ==, 1);
      g_assert_true (g_str_has_prefix (lines[0], "sprite-gallery-dl: "));
    }
}

static const char * const slow_args[] = { "--latency-ms", "200", NULL };

/* The tests below act while a run goes. With the default transfers in flight
 * (and one process per core, many on a big machine), every sprite of a 200 ms
 * mock arrives in the same few milliseconds, so a run could end between the
 * test seeing its first file and acting on it. A few processes with one
 * transfer each make the run last seconds, and the moment certain. */
#define ONE_TRANSFER_PER_PROCESS "--in-flight", "1"

static void
test_sigterm_stops_cleanly (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *out = path_in (fixture, "out");
  g_autofree char *report_path = path_in (fixture, "report.json");
  const char *argv[] = { SG_DL_BUILD_PATH, "--base-url", fixture->base_url, "--out", out,
                         "--no-cache", "--report", report_path, "--workers", "2",
                         ONE_TRANSFER_PER_PROCESS, NULL };
  g_autoptr(GSubprocess) dl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDir) dir = NULL;
  JsonObject *report;
  JsonArray *workers;
  gint64 n_done;
  gint64 n_files = 0;
  gboolean has_files = FALSE;
  gint64 start;
  const char *name;

  dl = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error);
  g_assert_no_error (error);

  /* Wait for the first files (bounded: 30 s), then stop it mid-run. */
  for (guint i = 0; i < 600 && !has_files; i++)
    {
      g_autoptr(GDir) partial = g_dir_open (out, 0, NULL);

      has_files = partial != NULL && g_dir_read_name (partial) != NULL;
      if (!has_files)
        g_usleep (50 * 1000);
    }
  g_assert_true (has_files);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (dl, SIGTERM);
  g_subprocess_wait (dl, NULL, &error);
  g_assert_no_error (error);
  /* Stopped, not drained: the rest of the run would take about 20 s. The
   * bound leaves room for a loaded machine or a sanitizer build. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (g_subprocess_get_exit_status (dl), ==, 1);

  /* Stopped mid-run: some sprites saved, not all. */
  g_assert_true (json_parser_load_from_file (parser, report_path, &error));
  report = json_node_get_object (json_parser_get_root (parser));
  n_done = json_object_get_int_member (json_object_get_object_member (report, "counts"), "done");
  g_assert_cmpint (n_done, >, 0);
  g_assert_cmpint (n_done, <, 100);

  /* No helper left behind. */
  workers = json_object_get_array_member (report, "workers");
  g_assert_cmpuint (json_array_get_length (workers), >, 0);
  for (guint i = 0; i < json_array_get_length (workers); i++)
    {
      JsonObject *worker = json_array_get_object_element (workers, i);
      g_autofree char *proc = g_strdup_printf ("/proc/%" G_GINT64_FORMAT,
                                               json_object_get_int_member (worker, "pid"));

      g_assert_cmpstr (json_object_get_string_member (worker, "exit"), !=, "running");
      g_assert_false (g_file_test (proc, G_FILE_TEST_EXISTS));
    }

  /* Only whole files, under their final names. */
  dir = g_dir_open (out, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_true (g_regex_match_simple ("^[0-9]{3}-[a-z0-9-]+\\.png$", name, 0, 0));
      n_files++;
    }
  g_assert_cmpint (n_files, ==, n_done);
}

/* The pids of @pid's children, from /proc. */
static GArray *
children_of (GPid pid)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", (int) pid, (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) words = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return pids;
  words = g_strsplit (g_strstrip (contents), " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        GPid child = (GPid) g_ascii_strtoll (words[i], NULL, 10);

        g_array_append_val (pids, child);
      }
  return pids;
}

/* Gone, or a zombie waiting for whoever inherited it: either way it runs no more. */
static gboolean
process_ended (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *end;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  end = strrchr (stat, ')');
  return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

/* If the program itself is killed (no chance to clean up), its helpers
 * still end on their own: stdin EOF, EPIPE, and the parent-death signal. */
static void
test_sigkill_leaves_no_helper (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *out = path_in (fixture, "out");
  const char *argv[] = { SG_DL_BUILD_PATH, "--base-url", fixture->base_url, "--out", out,
                         "--no-cache", "--workers", "3", ONE_TRANSFER_PER_PROCESS, NULL };
  g_autoptr(GSubprocess) dl = NULL;
  g_autoptr(GArray) helpers = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;

  dl = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (dl), NULL, 10);

  /* Bounded: 30 s, far above the start-up it waits for. */
  for (guint i = 0; i < 1500; i++)
    {
      g_clear_pointer (&helpers, g_array_unref);
      helpers = children_of (pid);
      if (helpers->len == 3)
        break;
      g_usleep (20 * 1000);
    }
  g_assert_cmpuint (helpers->len, ==, 3);

  g_subprocess_force_exit (dl);
  g_subprocess_wait (dl, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < helpers->len; i++)
    {
      GPid helper = g_array_index (helpers, GPid, i);
      guint waited = 0;

      /* Bounded: 10 s, far above the milliseconds it takes. */
      while (!process_ended (helper) && waited++ < 500)
        g_usleep (20 * 1000);
      g_assert_true (process_ended (helper));
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char * const no_args[] = { NULL };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) \
  g_test_add ("/dl/" path, Fixture, args, fixture_set_up, func, fixture_tear_down)

  ADD ("saves-100-identical-files", no_args, test_saves_100_identical);
  ADD ("some-failed-exit-1", fault_args, test_some_failed_exit_1);
  ADD ("sigterm-stops-cleanly", slow_args, test_sigterm_stops_cleanly);
  ADD ("sigkill-leaves-no-helper", slow_args, test_sigkill_leaves_no_helper);
  g_test_add_func ("/dl/unreachable-one-line", test_unreachable_one_line);
  g_test_add_func ("/dl/bad-usage-exit-2", test_bad_usage_exit_2);

  return g_test_run ();
}
