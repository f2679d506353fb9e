/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A stand-in for sprite-gallery-fetcher (via SPRITE_GALLERY_FETCHER) that
 * misbehaves on purpose, to drill the pool. It speaks the real protocol
 * (sg-frame.h) and answers every task with a tiny valid PNG, except as
 * SG_FAKE_MODE says:
 *
 *   ok                  behave
 *   slow:MS             answer each task after MS milliseconds
 *   crash-after:N       SIGSEGV-like death (abort) after N results
 *   crash-on-id:ID      die whenever it is given sprite ID (a poison task)
 *   hang                say hello, read tasks, never answer
 *   garbage             write bytes that are not a frame
 *   truncate            write half a frame, then exit
 *   wrong-id            answer a task id it was never given
 *   no-hello            answer without saying hello first
 *   silent              never write anything
 *   exit-after:N        exit(0) after N results, without being asked
 *
 * A mode with the suffix "-once" misbehaves in the first process only (the
 * others behave): SG_FAKE_STATE_DIR holds the marker file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sg-frame.h"
#include "sg-task-line.h"

/* A real 1×1 PNG. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
  0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
  0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static void
write_all (const void *data,
           gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      ssize_t n = write (STDOUT_FILENO, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        exit (0); /* EPIPE: the pool is gone */
      p += n;
      len -= n;
    }
}

static void
send_frame (SgFrameType  type,
            guint32      task_id,
            const char  *meta,
            const void  *payload,
            gsize        payload_len)
{
  g_autoptr(GBytes) frame = sg_frame_encode (type, task_id, meta, strlen (meta), payload, payload_len);
  gsize len;
  const void *data = g_bytes_get_data (frame, &len);

  write_all (data, len);
}

/* TRUE in the first process that asks, FALSE in every later one. */
static gboolean
first_process (void)
{
  const char *dir = g_getenv ("SG_FAKE_STATE_DIR");
  g_autofree char *path = NULL;
  int fd;

  if (dir == NULL)
    return TRUE;
  path = g_build_filename (dir, "misbehaved", NULL);
  fd = open (path, O_CREAT | O_EXCL | O_WRONLY, 0600);
  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *mode = g_strdup (g_getenv ("SG_FAKE_MODE"));
  char line[256];
  guint results = 0;
  guint arg = 0;
  char *colon;

  signal (SIGPIPE, SIG_IGN);

  if (mode == NULL)
    mode = g_strdup ("ok");
  if (g_str_has_suffix (mode, "-once"))
    {
      mode[strlen (mode) - strlen ("-once")] = '\0';
      if (!first_process ())
        g_free (g_steal_pointer (&mode)), mode = g_strdup ("ok");
    }
  colon = strchr (mode, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      arg = (guint) g_ascii_strtoull (colon + 1, NULL, 10);
    }

  if (g_str_equal (mode, "silent"))
    {
      while (fgets (line, sizeof line, stdin) != NULL)
        ;
      return 0;
    }

  if (g_str_equal (mode, "garbage"))
    {
      write_all ("this is not a frame at all, it is garbage\n", 42);
      pause ();
      return 0;
    }

  if (!g_str_equal (mode, "no-hello"))
    {
      g_autofree char *hello = g_strdup_printf ("{\"pid\":%d,\"version\":1}", (int) getpid ());

      send_frame (SG_FRAME_HELLO, 0, hello, NULL, 0);
    }

  while (fgets (line, sizeof line, stdin) != NULL)
    {
      guint32 task_id;
      guint id;
      g_autofree char *meta = NULL;

      if (!sg_task_line_parse (line, &task_id, &id))
        continue;

      if (g_str_equal (mode, "hang"))
        continue;
      if (g_str_equal (mode, "crash-on-id") && id == arg)
        kill (getpid (), SIGKILL); /* a crash, without a core dump */
      if (g_str_equal (mode, "wrong-id"))
        task_id += 1000000;
      if (g_str_equal (mode, "slow"))
        g_usleep (arg * 1000);

      meta = g_strdup_printf ("{\"id\":%u,\"name\":\"fake%u\",\"types\":[\"normal\"],"
                              "\"json_bytes\":1000}", id, id);

      if (g_str_equal (mode, "truncate"))
        {
          g_autoptr(GBytes) frame = sg_frame_encode (SG_FRAME_RESULT, task_id, meta, strlen (meta),
                                                     tiny_png, sizeof tiny_png);

          write_all (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame) / 2);
          return 0;
        }

      send_frame (SG_FRAME_PHASE, task_id, "{\"phase\":\"json\"}", NULL, 0);
      send_frame (SG_FRAME_RESULT, task_id, meta, tiny_png, sizeof tiny_png);
      results++;

      if (g_str_equal (mode, "crash-after") && results >= arg)
        kill (getpid (), SIGKILL); /* a crash, without a core dump */
      if (g_str_equal (mode, "exit-after") && results >= arg)
        return 0;
    }

  return 0;
}
