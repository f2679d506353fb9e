/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-fetcher"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sg-fetcher-output.h"

/* The real stdout (the pipe to the pool), moved off fd 1. */
static int out_fd = STDOUT_FILENO;

static void
print_to_stderr (const char *string)
{
  fputs (string, stderr);
}

void
sg_fetcher_output_init (void)
{
  int fd;

  /* Only frames go to the pool. Everything GLib would print on stdout
   * (g_print, info/debug messages) goes to stderr instead ... */
  g_log_writer_default_set_use_stderr (TRUE);
  g_set_print_handler (print_to_stderr);

  /* ... and so does anything written to fd 1 behind our back. */
  fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    {
      g_printerr ("sprite-gallery-fetcher: cannot use stdout: %s\n", g_strerror (errno));
      exit (1);
    }
  out_fd = fd;
  if (dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    g_warning ("Cannot point stdout at stderr: %s", g_strerror (errno));
}

static void
write_all (struct iovec *iov,
           int           iovcnt)
{
  while (iovcnt > 0)
    {
      ssize_t n = writev (out_fd, iov, iovcnt);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            {
              /* Inherited a non-blocking pipe: wait until it drains. */
              struct pollfd pfd = { .fd = out_fd, .events = POLLOUT };

              (void) poll (&pfd, 1, -1);
              continue;
            }
          if (errno == EPIPE)
            {
              /* The pool is gone (killed us or crashed): nobody wants our
               * results any more, so leave without a fuss. */
              _exit (0);
            }
          g_printerr ("sprite-gallery-fetcher: writing a frame failed: %s\n", g_strerror (errno));
          _exit (1);
        }

      /* Skip what was written, then continue with the rest. */
      while (iovcnt > 0 && (gsize) n >= iov->iov_len)
        {
          n -= (ssize_t) iov->iov_len;
          iov++;
          iovcnt--;
        }
      if (iovcnt > 0)
        {
          iov->iov_base = (char *) iov->iov_base + n;
          iov->iov_len -= (gsize) n;
        }
    }
}

void
sg_fetcher_output_frame (SgFrameType  type,
                         guint32      task_id,
                         const char  *meta,
                         gsize        meta_len,
                         const void  *payload,
                         gsize        payload_len)
{
  guint8 header[SG_FRAME_HEADER_SIZE];
  struct iovec iov[3];

  sg_frame_write_header (header, type, task_id, meta, meta_len, payload, payload_len);
  iov[0] = (struct iovec) { .iov_base = header, .iov_len = sizeof header };
  iov[1] = (struct iovec) { .iov_base = (void *) meta, .iov_len = meta_len };
  iov[2] = (struct iovec) { .iov_base = (void *) payload, .iov_len = payload_len };
  write_all (iov, payload_len > 0 ? 3 : 2);
}

gboolean
sg_fetcher_output_object (SgFrameType  type,
                          guint32      task_id,
                          JsonObject  *meta,
                          const void  *payload,
                          gsize        payload_len)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), meta);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  if (len > SG_FRAME_MAX_META)
    return FALSE;

  sg_fetcher_output_frame (type, task_id, text, len, payload, payload_len);
  return TRUE;
}

void
sg_fetcher_output_phase (guint32     task_id,
                         const char *phase)
{
  g_autofree char *meta = g_strdup_printf ("{\"phase\":\"%s\"}", phase);

  sg_fetcher_output_frame (SG_FRAME_PHASE, task_id, meta, strlen (meta), NULL, 0);
}

void
sg_fetcher_output_log (const char *level,
                       const char *format,
                       ...)
{
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *message = NULL;
  g_autofree char *valid = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* The text may quote what the pool sent: keep the frame valid UTF-8 and
   * small whatever it was. */
  valid = g_utf8_make_valid (message, -1);
  if (strlen (valid) > 1024)
    {
      const char *cut = g_utf8_find_prev_char (valid, valid + 1024);

      valid[cut - valid] = '\0';
    }

  g_printerr ("sprite-gallery-fetcher[%d]: %s: %s\n", (int) getpid (), level, valid);

  json_object_set_string_member (meta, "level", level);
  json_object_set_string_member (meta, "message", valid);
  sg_fetcher_output_object (SG_FRAME_LOG, 0, meta, NULL, 0);
}
