/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-test-gui"

#include "config.h"

#include <glib/gstdio.h>

#include "sg-test-gui.h"

/* How long a killed program may take to close its pipes. */
#define REAP_TIMEOUT_S 30
/* Temporary trees of tests are shallow; deeper means a loop. */
#define RM_RF_MAX_DEPTH 8

/* Waits ------------------------------------------------------------------------ */

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
sg_test_wait_until (SgTestCondition condition,
                    gpointer        user_data,
                    guint           timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  /* A blocking iteration returns at least this often, so the deadline is
   * checked even when nothing else happens. */
  guint wake = g_timeout_add (50, wake_up, NULL);
  gboolean ok;

  while (!(ok = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
  return ok;
}

typedef struct {
  const guint *counter;
  guint        n;
} AtLeast;

static gboolean
reached (gpointer user_data)
{
  AtLeast *wait = user_data;

  return *wait->counter >= wait->n;
}

gboolean
sg_test_wait_at_least (const guint *counter,
                       guint        n,
                       guint        timeout_s)
{
  AtLeast wait = { counter, n };

  return sg_test_wait_until (reached, &wait, timeout_s);
}

gboolean
sg_test_is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

gboolean
sg_test_is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Screenshots ------------------------------------------------------------------ */

typedef struct {
  GtkWidget  *widget;
  const char *path;
  gboolean    saved;
} Shot;

/* Right after a frame is painted the widget's render node is complete
 * (a running timeline invalidates it every frame). */
static void
on_after_paint (GdkFrameClock *frame_clock,
                Shot          *shot)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (shot->widget);
  int height = gtk_widget_get_height (shot->widget);

  if (shot->saved)
    return;

  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL)
    return; /* not this frame */

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (shot->widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, shot->path));
  shot->saved = TRUE;
}

void
sg_test_save_widget_png (GtkWidget  *widget,
                         const char *path,
                         guint       timeout_s)
{
  Shot shot = { widget, path, FALSE };
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);
  gulong handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint),
                                     &shot);

  gtk_widget_queue_draw (widget);
  g_assert_true (sg_test_wait_until (sg_test_is_true, &shot.saved, timeout_s));
  g_signal_handler_disconnect (frame_clock, handler);
}

/* Programs --------------------------------------------------------------------- */

typedef struct {
  gboolean  done;
  char     *stdout_text;
  char     *stderr_text;
  GError   *error;
} Communicated;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicated *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &c->stdout_text, &c->stderr_text, &c->error);
  c->done = TRUE;
}

int
sg_test_run_argv (const char *const  *argv,
                  guint               timeout_s,
                  char              **out_stderr)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communicated c = { 0 };
  int status;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  /* Read both pipes to the end, so the program never blocks on a full
   * pipe; that also waits for it. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &c);
  if (!sg_test_wait_until (sg_test_is_true, &c.done, timeout_s))
    {
      g_subprocess_force_exit (process);
      g_assert_true (sg_test_wait_until (sg_test_is_true, &c.done, REAP_TIMEOUT_S));
      g_test_message ("The program hung; its stderr: %s", c.stderr_text);
      g_assert_not_reached ();
    }
  g_assert_no_error (c.error);

  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (status != 0)
    g_test_message ("exit status %d, stderr:\n%s", status, c.stderr_text);

  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&c.stderr_text);
  g_free (c.stdout_text);
  g_free (c.stderr_text);
  return status;
}

/* Files ------------------------------------------------------------------------ */

static void
rm_rf (const char *path,
       guint       depth)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_cmpuint (depth, <, RM_RF_MAX_DEPTH);

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child, depth + 1);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
sg_test_rm_rf (const char *path)
{
  rm_rf (path, 0);
}
