/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-helper-process"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sg-priority.h"
#include "sg-helper-process.h"

#define READ_CHUNK (64 * 1024)

/* One read can hold dozens of results (a burst of transfers finishing
 * together). They are handed to the pool a slice of time at a time, the
 * rest in an idle. Reads complete, and the idle runs, at GTK's redraw
 * priority (GDK_PRIORITY_REDRAW, which is G_PRIORITY_HIGH_IDLE + 20):
 * sources of equal priority are dispatched in the same main-loop
 * iteration, so a GUI alternates between one slice per helper and a frame.
 * A lower priority could starve for as long as frames are painted back to
 * back (it did, under AddressSanitizer); a higher one, as the reads had at
 * G_PRIORITY_DEFAULT, lets two helpers' reads and slices follow each other
 * for several iterations with no frame between. Measured in tests/bench:
 * 64 results arriving together kept a GUI's main loop busy for ~20-40 ms;
 * with 3 ms slices and reads at the default priority, the longest stall at
 * 100 ms latency was still ~20 ms; 1.5 ms at this priority brought it to
 * ~16. */
#define DELIVERY_SLICE_US  (1500)
#define DELIVERY_PRIORITY  (G_PRIORITY_HIGH_IDLE + 20)

struct _SgHelperProcess
{
  GSubprocess                    *subprocess;
  GPid                            pid;
  const SgHelperProcessCallbacks *callbacks;
  gpointer                        user_data;

  /* Cancelled on free: no callback runs after that. */
  GCancellable                   *cancellable;

  GOutputStream                  *stdin_stream;
  GString                        *outbox;       /* waiting to be written */
  GBytes                         *writing;      /* being written */
  gboolean                        close_requested;
  gboolean                        stdin_closed;

  GInputStream                   *stdout_stream;
  guint8                         *read_buffer;
  SgFrameDecoder                 *decoder;
  GSource                        *deliver_source; /* frames left over from a slice */

  gboolean                        stdout_done;
  gboolean                        reaped;
  gboolean                        killed;
  char                           *exit_desc;
  gboolean                        exited_cleanly;
};

static void write_next     (SgHelperProcess *self);
static void read_next      (SgHelperProcess *self);
static void deliver_frames (SgHelperProcess *self);

static void
maybe_finished (SgHelperProcess *self)
{
  if (!self->stdout_done || !self->reaped)
    return;

  self->callbacks->finished (self, self->exit_desc, self->exited_cleanly, self->user_data);
}

static void
kill_for (SgHelperProcess *self,
          const char      *reason)
{
  if (!self->killed)
    {
      self->killed = TRUE;
      g_subprocess_force_exit (self->subprocess);
    }

  if (reason != NULL)
    self->callbacks->violation (self, reason, self->user_data);
}

static void
stdout_done (SgHelperProcess *self)
{
  self->stdout_done = TRUE;
  maybe_finished (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SgHelperProcess *self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* freed */

  if (n < 0)
    {
      g_debug ("Reading from helper %d failed: %s", self->pid, error->message);
      stdout_done (self);
      return;
    }

  if (n == 0)
    {
      g_autoptr(GError) truncated = NULL;

      if (!self->killed && !sg_frame_decoder_finish (self->decoder, &truncated))
        kill_for (self, truncated->message);
      stdout_done (self);
      return;
    }

  sg_frame_decoder_feed (self->decoder, self->read_buffer, n);
  deliver_frames (self);
}

static gboolean
on_deliver_more (gpointer user_data)
{
  SgHelperProcess *self = user_data;

  g_clear_pointer (&self->deliver_source, g_source_unref);
  deliver_frames (self);
  return G_SOURCE_REMOVE;
}

/* Hands the complete frames to the callbacks, for one slice of time at
 * most; reads on once they are all delivered. */
static void
deliver_frames (SgHelperProcess *self)
{
  gint64 deadline = g_get_monotonic_time () + DELIVERY_SLICE_US;

  for (;;)
    {
      g_autoptr(GError) frame_error = NULL;
      g_autoptr(SgFrame) frame = sg_frame_decoder_next (self->decoder, &frame_error);

      if (frame_error != NULL)
        {
          kill_for (self, frame_error->message);
          stdout_done (self);
          return;
        }
      if (frame == NULL)
        break;

      self->callbacks->frame (self, frame, self->user_data);
      /* A frame handler may kill us (a wrong task id): stop delivering. */
      if (self->killed)
        {
          stdout_done (self);
          return;
        }

      if (g_get_monotonic_time () >= deadline)
        {
          /* No read is pending meanwhile, so frames keep their order. In
           * the context the reads use, which need not be the global one. */
          self->deliver_source = g_idle_source_new ();
          g_source_set_priority (self->deliver_source, DELIVERY_PRIORITY);
          g_source_set_callback (self->deliver_source, on_deliver_more, self, NULL);
          g_source_set_static_name (self->deliver_source, "[sprite-gallery] frame delivery");
          g_source_attach (self->deliver_source, g_main_context_get_thread_default ());
          return;
        }
    }

  read_next (self);
}

static void
read_next (SgHelperProcess *self)
{
  g_input_stream_read_async (self->stdout_stream, self->read_buffer, READ_CHUNK,
                             DELIVERY_PRIORITY, self->cancellable, on_read, self);
}

static char *
describe_exit (GSubprocess *subprocess,
               gboolean    *cleanly)
{
  *cleanly = FALSE;

  if (g_subprocess_get_if_exited (subprocess))
    {
      int status = g_subprocess_get_exit_status (subprocess);

      *cleanly = status == 0;
      return g_strdup_printf ("%d", status);
    }

  if (g_subprocess_get_if_signaled (subprocess))
    {
      int sig = g_subprocess_get_term_sig (subprocess);

      return g_strdup_printf ("signal %d (%s)", sig, g_strsignal (sig));
    }

  return g_strdup ("unknown");
}

static void
on_wait (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SgHelperProcess *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* freed */

  self->reaped = TRUE;
  self->exit_desc = describe_exit (self->subprocess, &self->exited_cleanly);
  maybe_finished (self);
}

SgHelperProcess *
sg_helper_process_spawn (const char * const             *argv,
                         const SgHelperProcessCallbacks *callbacks,
                         gpointer                        user_data,
                         GError                        **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  SgHelperProcess *self;
  const char *identifier;

  /* Neither a child-setup function nor GLib's closing of descriptors, the
   * two things that make GLib fork() (copying the page tables of the whole
   * app, a few milliseconds of the main thread per helper) rather than
   * posix_spawn(): the helper closes what it inherits and asks to die with
   * the app itself (sg-fetcher-main.c). */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_INHERIT_FDS);
  subprocess = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (subprocess == NULL)
    return NULL;

  self = g_new0 (SgHelperProcess, 1);
  self->subprocess = g_steal_pointer (&subprocess);
  identifier = g_subprocess_get_identifier (self->subprocess);
  self->pid = identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : 0;
  /* Now, not only once the helper's main() runs: its dynamic linking
   * (~7 ms of CPU) at the app's own priority took the window's core for
   * the first frames of a run. */
  if (self->pid > 0)
    sg_priority_lower_below (self->pid, getpid ());
  self->callbacks = callbacks;
  self->user_data = user_data;
  self->cancellable = g_cancellable_new ();
  self->stdin_stream = g_object_ref (g_subprocess_get_stdin_pipe (self->subprocess));
  self->stdout_stream = g_object_ref (g_subprocess_get_stdout_pipe (self->subprocess));
  self->outbox = g_string_new (NULL);
  self->read_buffer = g_malloc (READ_CHUNK);
  self->decoder = sg_frame_decoder_new ();

  g_subprocess_wait_async (self->subprocess, self->cancellable, on_wait, self);
  read_next (self);

  return self;
}

GPid
sg_helper_process_get_pid (SgHelperProcess *self)
{
  return self->pid;
}

static void
on_stdin_closed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SgHelperProcess *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return; /* freed */

      /* EPIPE and friends: the helper is gone; its death is handled when
       * it is reaped. Drop whatever was queued. */
      g_debug ("Writing to helper %d failed: %s", self->pid, error->message);
      g_clear_pointer (&self->writing, g_bytes_unref);
      g_string_truncate (self->outbox, 0);
      self->stdin_closed = TRUE;
      return;
    }

  g_clear_pointer (&self->writing, g_bytes_unref);
  write_next (self);
}

static void
write_next (SgHelperProcess *self)
{
  gsize len;
  const void *data;

  if (self->writing != NULL || self->stdin_closed)
    return;

  if (self->outbox->len == 0)
    {
      if (self->close_requested)
        {
          self->stdin_closed = TRUE;
          g_output_stream_close_async (self->stdin_stream, G_PRIORITY_DEFAULT, NULL,
                                       on_stdin_closed, NULL);
        }
      return;
    }

  len = self->outbox->len;
  self->writing = g_string_free_to_bytes (self->outbox);
  self->outbox = g_string_new (NULL);
  data = g_bytes_get_data (self->writing, NULL);
  g_output_stream_write_all_async (self->stdin_stream, data, len, G_PRIORITY_DEFAULT,
                                   self->cancellable, on_written, self);
}

void
sg_helper_process_send (SgHelperProcess *self,
                        const char      *text,
                        gsize            len)
{
  if (self->stdin_closed || self->close_requested || self->killed)
    return;

  g_string_append_len (self->outbox, text, len);
  write_next (self);
}

void
sg_helper_process_close_stdin (SgHelperProcess *self)
{
  self->close_requested = TRUE;
  write_next (self);
}

void
sg_helper_process_kill (SgHelperProcess *self)
{
  kill_for (self, NULL);
}

void
sg_helper_process_kill_with_reason (SgHelperProcess *self,
                                    const char      *reason)
{
  if (self->killed)
    return;
  kill_for (self, reason);
}

gboolean
sg_helper_process_is_killed (SgHelperProcess *self)
{
  return self->killed;
}

guint64
sg_helper_process_read_rss_kib (SgHelperProcess *self)
{
  char path[64];
  g_autofree char *contents = NULL;
  guint64 pages = 0;
  char *space;

  if (self->pid <= 0 || self->reaped)
    return 0;

  /* /proc reads never touch a disk: cheap enough for a 1 Hz timer. */
  g_snprintf (path, sizeof path, "/proc/%d/statm", (int) self->pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;

  space = strchr (contents, ' ');
  if (space != NULL)
    pages = g_ascii_strtoull (space + 1, NULL, 10);
  return pages * (guint64) sysconf (_SC_PAGESIZE) / 1024;
}

void
sg_helper_process_free (SgHelperProcess *self)
{
  if (self == NULL)
    return;

  if (!self->reaped)
    g_subprocess_force_exit (self->subprocess);

  if (self->deliver_source != NULL)
    g_source_destroy (self->deliver_source);
  g_clear_pointer (&self->deliver_source, g_source_unref);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stdin_stream);
  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->subprocess);
  g_string_free (self->outbox, TRUE);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_free (self->read_buffer);
  sg_frame_decoder_free (self->decoder);
  g_free (self->exit_desc);
  g_free (self);
}
