/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-window-private.h"

gboolean
sg_window_get_running (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), FALSE);

  return self->run_cancellable != NULL || sg_pool_get_running (self->pool);
}

static char *
sg_window_describe_setup (const SgRunOptions *options)
{
  switch (options->strategy)
    {
    case SG_STRATEGY_SEQUENTIAL:
      return g_strdup (_("One process, one sprite at a time"));

    case SG_STRATEGY_CHUNKS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u process, fixed chunks",
                                           "%u processes, fixed chunks",
                                           options->workers),
                              options->workers);

    case SG_STRATEGY_QUEUE:
    default:
      /* Translators: the window subtitle while a run goes, e.g.
       * "2 processes × 4 transfers" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u process × %u transfers",
                                           "%u processes × %u transfers",
                                           options->workers),
                              options->workers, options->in_flight);
    }
}

void
sg_window_update_actions (SgWindow *self)
{
  gboolean running;
  gboolean paused;

  if (self->disposed)
    return;

  running = sg_window_get_running (self);
  paused = sg_pool_get_paused (self->pool);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", paused);
  sg_window_update_history_actions (self);

  /* One button that flips between Run and Stop, so it never moves. */
  if (running)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->run_button), "win.stop");
      adw_button_content_set_icon_name (self->run_button_content, "media-playback-stop-symbolic");
      adw_button_content_set_label (self->run_button_content, _("_Stop"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button),
                                   _("Stop and end every helper process (Esc)"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->run_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->run_button), "destructive-action");
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->run_button), "win.run");
      adw_button_content_set_icon_name (self->run_button_content, "media-playback-start-symbolic");
      adw_button_content_set_label (self->run_button_content, _("_Run"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button),
                                   _("Fetch every sprite (Ctrl+R)"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->run_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->run_button), "suggested-action");
    }
}

static void
sg_window_set_subtitle_for_end (SgWindow     *self,
                                gboolean      all_done,
                                const GError *error)
{
  g_autofree char *subtitle = NULL;
  guint done = sg_pool_get_n_done (self->pool);
  guint failed = sg_pool_get_n_failed (self->pool);
  double elapsed_ms = sg_pool_get_elapsed_ms (self->pool);

  /* A run from the cache takes milliseconds: "0.0 s" would say nothing. */
  if (all_done && elapsed_ms < 1000)
    /* Translators: the window subtitle after a short run, e.g. "100 sprites in 48 ms" */
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sprite in %u ms",
                                             "%u sprites in %u ms", done),
                                done, (guint) MAX (1, round (elapsed_ms)));
  else if (all_done)
    /* Translators: the window subtitle after a run, e.g. "100 sprites in 3.4 s" */
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sprite in %.1f s",
                                             "%u sprites in %.1f s", done),
                                done, elapsed_ms / 1000.0);
  else if (g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED))
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stopped after %u sprite",
                                             "Stopped after %u sprites", done),
                                done);
  else if (failed > 0)
    /* Translators: the window subtitle after a run, e.g. "97 done, 3 failed" */
    subtitle = g_strdup_printf (_("%u done, %u failed"), done, failed);
  else if (g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_UNREACHABLE))
    subtitle = g_strdup (_("Server unreachable"));
  else if (error != NULL)
    subtitle = g_strdup (_("The run failed"));

  sg_window_set_subtitle (self, subtitle);
}

static void
sg_window_write_report (SgWindow *self)
{
  const SgRunOptions *options = sg_pool_get_options (self->pool);
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;

  if (options->report_path == NULL)
    return;

  report = sg_pool_build_report (self->pool);
  json_object_set_double_member (report, "max_main_loop_stall_ms",
                                 sg_stall_watchdog_get_max_stall_ms (self->watchdog));
  /* When the window was mapped, on the run's clock (negative: before the
   * run started), so a warm start can be measured from the map. */
  if (self->mapped_us != 0)
    json_object_set_double_member (report, "window_mapped_ms",
                                   sg_pool_get_elapsed_ms (self->pool) -
                                   (g_get_monotonic_time () - self->mapped_us) / 1000.0);
  if (!sg_pool_write_report (self->pool, report, options->report_path, &error))
    g_printerr ("%s\n", error->message);
}

static void
sg_window_run_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SgPool *pool = SG_POOL (source);
  g_autoptr(SgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GApplication *application;
  gboolean all_done;

  all_done = sg_pool_run_finish (pool, result, &error);

  sg_stall_watchdog_stop (self->watchdog);
  g_clear_object (&self->run_cancellable);

  if (error != NULL && !g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED))
    g_debug ("The run ended: %s", error->message);

  sg_window_write_report (self);
  sg_window_record_run (self, all_done, error);

  if (!self->disposed)
    {
      if (g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_UNREACHABLE) ||
          g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_SPAWN))
        sg_window_show_status (self, error);

      sg_window_set_subtitle_for_end (self, all_done, error);
      sg_window_update_progress (self);
      sg_window_update_actions (self);
    }

  sg_window_emit_run_finished (self, all_done);

  /* Last: releasing may end the application. */
  application = g_steal_pointer (&self->held_application);
  if (application != NULL)
    {
      g_application_release (application);
      g_object_unref (application);
    }
}

static gboolean
start_pending_pool_cb (gpointer user_data)
{
  SgWindow *self = user_data;

  self->pool_start_source = 0;
  sg_window_start_pending_pool (self);
  return G_SOURCE_REMOVE;
}

/* The pool's start is a block of several milliseconds (worker rows,
 * spawning, the first dispatch): started from the frame's own dispatch, it
 * and the frame were one stall, and a frame asked for meanwhile waited for
 * both. Below the redraw priority, whatever frame is due goes first. */
static void
on_running_painted (SgWindow *self)
{
  g_signal_handlers_disconnect_by_func (self->pool_start_clock, on_running_painted, self);
  g_clear_handle_id (&self->pool_start_source, g_source_remove);
  self->pool_start_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_pending_pool_cb,
                                             self, NULL);
}

void
sg_window_start_run (SgWindow *self,
                     gboolean  bypass_cache)
{
  g_autofree char *setup = NULL;
  GApplication *application;
  GdkFrameClock *frame_clock;

  g_return_if_fail (SG_IS_WINDOW (self));

  if (self->disposed || sg_window_get_running (self))
    return;

  self->run_cancellable = g_cancellable_new ();

  /* The run outlives the window if the window closes mid-run: keep the
   * application (and so the process) alive until the helpers are gone. */
  application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (application != NULL)
    {
      self->held_application = g_object_ref (application);
      g_application_hold (application);
    }

  sg_stall_watchdog_start (self->watchdog);

  /* In the offline demo, whatever replaced the options points at the
   * built-in server again. */
  sg_window_apply_demo_options (self);

  /* The window says "running" (Stop, locked controls) in this frame; the
   * pool starts once it is painted, and its first results (worker rows,
   * fetching tiles) come in the next frames. All of it in one frame
   * was the longest main-loop stall of a run (tests/bench). */
  sg_window_show_gallery (self);
  gtk_revealer_set_reveal_child (self->paused_revealer, FALSE);
  setup = sg_window_describe_setup (sg_pool_get_options (self->pool));
  sg_window_set_subtitle (self, setup);
  sg_window_update_actions (self);

  self->pool_start_pending = TRUE;
  self->pool_start_bypass_cache = bypass_cache;
  frame_clock = gtk_widget_get_mapped (GTK_WIDGET (self))
                ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;
  if (frame_clock == NULL)
    {
      sg_window_start_pending_pool (self);
      return;
    }
  self->pool_start_clock = g_object_ref (frame_clock);
  g_signal_connect_swapped (frame_clock, "after-paint", G_CALLBACK (on_running_painted), self);
  /* Not painted (hidden, minimised on Wayland): start anyway. */
  self->pool_start_source = g_timeout_add (self->pool_start_timeout_ms, start_pending_pool_cb, self);
}

void
sg_window_start_pending_pool (SgWindow *self)
{
  if (!self->pool_start_pending)
    return;

  self->pool_start_pending = FALSE;
  if (self->pool_start_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->pool_start_clock, on_running_painted, self);
  g_clear_object (&self->pool_start_clock);
  g_clear_handle_id (&self->pool_start_source, g_source_remove);

  /* Stopped or closed meanwhile: the cancelled run ends at once, through
   * sg_window_run_cb like any other. */
  sg_pool_run_async (self->pool, self->pool_start_bypass_cache, self->run_cancellable,
                     sg_window_run_cb, g_object_ref (self));

  if (self->disposed)
    return;
  /* The pool may have set up a new model for this run. */
  sg_window_sync_model (self);
  sg_window_update_progress (self);
  sg_window_update_actions (self);
}

static void
on_first_paint (GdkFrameClock *frame_clock,
                SgWindow      *self)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_first_paint, self);
  sg_window_start_run (self, FALSE);
}

void
sg_window_start_run_when_shown (SgWindow *self)
{
  GdkFrameClock *frame_clock;

  g_return_if_fail (SG_IS_WINDOW (self));

  /* Building the first screenful of tiles and painting it is start-up
   * work; the run (and its stall measurement) begins once it is on screen.
   * So the tiles are laid out now, before the first paint: otherwise the
   * run would build them when it fills the model (~30 ms for 100 sprites,
   * ~100 ms for 1000, measured by tests/bench). */
  sg_pool_prepare (self->pool);

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (frame_clock == NULL)
    {
      sg_window_start_run (self, FALSE);
      return;
    }

  g_signal_connect_object (frame_clock, "after-paint", G_CALLBACK (on_first_paint), self, 0);
}

void
sg_window_stop_run (SgWindow *self)
{
  g_return_if_fail (SG_IS_WINDOW (self));

  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  /* A run whose pool waits for a frame ends now, through its callback. */
  sg_window_start_pending_pool (self);
  /* A tile's Retry runs without our cancellable: stop that too. */
  sg_pool_stop (self->pool);
}

/* Actions ------------------------------------------------------------------- */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  sg_window_start_run (SG_WINDOW (widget), FALSE);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sg_window_start_run (SG_WINDOW (widget), TRUE);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sg_window_stop_run (SG_WINDOW (widget));
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SgWindow *self = SG_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->paused_revealer, FALSE);
  sg_pool_resume (self->pool);
}

static SgSprite *
sg_window_find_sprite (SgWindow *self,
                       guint     id)
{
  g_autoptr(SgSprite) first = NULL;
  guint n, first_id;

  n = self->sprites != NULL ? g_list_model_get_n_items (self->sprites) : 0;
  if (n == 0)
    return NULL;

  /* The model is in id order, usually without gaps: look there first. */
  first = g_list_model_get_item (self->sprites, 0);
  first_id = sg_sprite_get_id (first);
  if (id >= first_id && id - first_id < n)
    {
      g_autoptr(SgSprite) guess = g_list_model_get_item (self->sprites, id - first_id);

      if (sg_sprite_get_id (guess) == id)
        return g_steal_pointer (&guess);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (self->sprites, i);

      if (sg_sprite_get_id (sprite) == id)
        return g_steal_pointer (&sprite);
    }

  return NULL;
}

static void
retry_sprite_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SgWindow *self = SG_WINDOW (widget);
  g_autoptr(SgSprite) sprite = sg_window_find_sprite (self, g_variant_get_uint32 (parameter));

  if (sprite != NULL && sg_sprite_get_state (sprite) == SG_SPRITE_FAILED)
    sg_pool_retry_sprite (self->pool, sprite);
}

void
sg_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "win.retry-sprite", "u", retry_sprite_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}
