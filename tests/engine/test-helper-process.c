/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SgHelperProcess hands a burst of frames over in slices, so that a GUI's
 * main loop paints between them: a source at redraw priority runs before
 * the burst is through, every frame still arrives once and in order, and
 * "finished" comes only after the last one. The "helper" is cat(1) reading
 * a file of frames the test wrote. And a helper runs below the app from
 * its spawn on, whatever the program does itself.
 */
#define G_LOG_DOMAIN "test-helper-process"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "sg-frame.h"
#include "sg-priority.h"
#include "sg-helper-process.h"

#define N_FRAMES   200
#define LIMIT_S    60
/* GDK_PRIORITY_REDRAW, without depending on GDK. */
#define REDRAW_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)

typedef struct {
  GMainLoop       *loop;
  SgHelperProcess *process;
  guint            n_frames;
  gboolean         in_order;
  int              frames_when_redraw_ran;
  gboolean         finished;
  guint            frames_at_finish;
  gboolean         free_from_redraw;
  gboolean         animate;            /* a redraw-priority source that never rests */
  guint            n_redraws;
  GSource         *sources[2];         /* the test's own, gone with the burst */
} Burst;

static void
add_redraw_source (Burst       *burst,
                   guint        i,
                   GSourceFunc  func)
{
  burst->sources[i] = g_idle_source_new ();
  g_source_set_priority (burst->sources[i], REDRAW_PRIORITY);
  g_source_set_callback (burst->sources[i], func, burst, NULL);
  g_source_attach (burst->sources[i], NULL);
}

static char *
write_burst_file (void)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  for (guint i = 1; i <= N_FRAMES; i++)
    {
      static const char meta[] = "{\"level\":\"debug\",\"message\":\"burst\"}";
      g_autoptr(GBytes) frame = sg_frame_encode (SG_FRAME_LOG, i, meta, sizeof meta - 1, NULL, 0);

      g_byte_array_append (all, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
    }

  fd = g_file_open_tmp ("sg-burst-XXXXXX", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, (const char *) all->data, all->len, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
on_redraw_priority (gpointer user_data)
{
  Burst *burst = user_data;

  burst->frames_when_redraw_ran = (int) burst->n_frames;
  if (burst->free_from_redraw)
    {
      /* Mid-burst: the rest of the delivery must be dropped, not run on
       * freed memory (the sanitizer build would say). */
      g_clear_pointer (&burst->process, sg_helper_process_free);
      g_main_loop_quit (burst->loop);
    }
  return G_SOURCE_REMOVE;
}

/* Frames painted back to back, as when painting takes longer than a
 * frame (a slow machine, a sanitizer build). */
static gboolean
on_animate (gpointer user_data)
{
  Burst *burst = user_data;

  burst->n_redraws++;
  g_usleep (1000);
  return G_SOURCE_CONTINUE;
}

static void
on_frame (SgHelperProcess *process,
          const SgFrame   *frame,
          gpointer         user_data)
{
  Burst *burst = user_data;

  burst->n_frames++;
  if (frame->task_id != burst->n_frames)
    burst->in_order = FALSE;

  if (burst->n_frames == 1)
    {
      add_redraw_source (burst, 0, on_redraw_priority);
      if (burst->animate)
        add_redraw_source (burst, 1, on_animate);
    }

  /* A handler with some work to do (a GUI decodes a PNG): 200 of them
   * take far longer than one slice, on any machine. */
  g_usleep (100);
}

static void
on_violation (SgHelperProcess *process,
              const char      *reason,
              gpointer         user_data)
{
  g_error ("Unexpected protocol violation: %s", reason);
}

static void
on_finished (SgHelperProcess *process,
             const char      *exit_desc,
             gboolean         exited_cleanly,
             gpointer         user_data)
{
  Burst *burst = user_data;

  g_assert_true (exited_cleanly);
  burst->finished = TRUE;
  burst->frames_at_finish = burst->n_frames;
  g_main_loop_quit (burst->loop);
}

static const SgHelperProcessCallbacks callbacks = {
  .frame = on_frame,
  .violation = on_violation,
  .finished = on_finished,
};

static gboolean
on_limit (gpointer user_data)
{
  g_error ("The burst did not end within %d s", LIMIT_S);
  return G_SOURCE_REMOVE;
}

static void
run_burst (Burst *burst)
{
  g_autofree char *path = write_burst_file ();
  const char *argv[] = { "cat", path, NULL };
  g_autoptr(GError) error = NULL;
  guint limit_id;

  burst->loop = g_main_loop_new (NULL, FALSE);
  burst->in_order = TRUE;
  burst->frames_when_redraw_ran = -1;
  burst->process = sg_helper_process_spawn (argv, &callbacks, burst, &error);
  g_assert_no_error (error);
  sg_helper_process_close_stdin (burst->process);

  limit_id = g_timeout_add_seconds (LIMIT_S, on_limit, NULL);
  g_main_loop_run (burst->loop);
  g_source_remove (limit_id);

  g_clear_pointer (&burst->process, sg_helper_process_free);
  g_clear_pointer (&burst->loop, g_main_loop_unref);
  for (guint i = 0; i < G_N_ELEMENTS (burst->sources); i++)
    {
      if (burst->sources[i] != NULL)
        g_source_destroy (burst->sources[i]);
      g_clear_pointer (&burst->sources[i], g_source_unref);
    }
  g_unlink (path);
}

static void
test_burst_in_slices (void)
{
  Burst burst = { 0, };

  run_burst (&burst);

  g_assert_true (burst.finished);
  g_assert_cmpuint (burst.n_frames, ==, N_FRAMES);
  g_assert_cmpuint (burst.frames_at_finish, ==, N_FRAMES);
  g_assert_true (burst.in_order);
  /* The redraw-priority source did not wait for the whole burst. */
  g_assert_cmpint (burst.frames_when_redraw_ran, >, 0);
  g_assert_cmpint (burst.frames_when_redraw_ran, <, N_FRAMES);
}

static void
test_burst_during_animation (void)
{
  Burst burst = { .animate = TRUE };

  /* The rest of the burst is not starved by the painting, nor the other
   * way round. */
  run_burst (&burst);

  g_assert_true (burst.finished);
  g_assert_cmpuint (burst.n_frames, ==, N_FRAMES);
  g_assert_true (burst.in_order);
  g_assert_cmpuint (burst.n_redraws, >, 1);
}

static void
test_free_mid_burst (void)
{
  Burst burst = { .free_from_redraw = TRUE };

  run_burst (&burst);

  g_assert_false (burst.finished);
  g_assert_cmpint (burst.frames_when_redraw_ran, <, N_FRAMES);
  g_assert_cmpuint (burst.n_frames, ==, (guint) burst.frames_when_redraw_ran);

  /* Nothing left behind runs later. */
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_assert_cmpuint (burst.n_frames, ==, (guint) burst.frames_when_redraw_ran);
}

static void
on_killed (SgHelperProcess *process,
           const char      *exit_desc,
           gboolean         exited_cleanly,
           gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* cat(1) never lowers its own priority: what the test sees is the pool's
 * doing, in place as soon as the spawn returns (before a real helper has
 * even run its dynamic linker). */
static void
test_spawned_below_the_app (void)
{
  static const SgHelperProcessCallbacks kill_callbacks = {
    .frame = on_frame,
    .violation = on_violation,
    .finished = on_killed,
  };
  const char *argv[] = { "cat", NULL };
  g_autoptr(GError) error = NULL;
  SgHelperProcess *process;
  gboolean gone = FALSE;
  int ours, theirs;

  process = sg_helper_process_spawn (argv, &kill_callbacks, &gone, &error);
  g_assert_no_error (error);

  errno = 0;
  ours = getpriority (PRIO_PROCESS, 0);
  g_assert_cmpint (errno, ==, 0);
  theirs = getpriority (PRIO_PROCESS, (id_t) sg_helper_process_get_pid (process));
  g_assert_cmpint (errno, ==, 0);
  g_assert_cmpint (theirs, ==, sg_niceness_below (ours));
  g_assert_cmpint (theirs, ==, MIN (ours + 10, 19));

  sg_helper_process_kill (process);
  while (!gone)
    g_main_context_iteration (NULL, TRUE);
  sg_helper_process_free (process);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/helper-process/burst-in-slices", test_burst_in_slices);
  g_test_add_func ("/helper-process/burst-during-animation", test_burst_during_animation);
  g_test_add_func ("/helper-process/free-mid-burst", test_free_mid_burst);
  g_test_add_func ("/helper-process/spawned-below-the-app", test_spawned_below_the_app);

  return g_test_run ();
}
