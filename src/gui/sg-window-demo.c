/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-demo-popover.h"
#include "sg-demo-server.h"
#include "sg-window-private.h"

/*
 * The offline demo: a window in demo mode runs against its own SgDemoServer
 * (generated creatures on 127.0.0.1) instead of the configured API. The
 * server's address is put into the pool's options right before each run
 * (and whenever the application rebuilds them from the settings), never
 * into GSettings, and the cache is left alone: the demo's data must not mix
 * with PokeAPI's, and a demo is about watching the downloads.
 */

#define DEFAULT_DEMO_LATENCY_MS 100

/* "Offline demo · 2 processes × 4 transfers" */
void
sg_window_set_subtitle (SgWindow   *self,
                        const char *subtitle)
{
  g_autofree char *text = NULL;

  if (self->demo_mode && subtitle != NULL && *subtitle != '\0')
    /* Translators: the window subtitle in the offline demo: "Offline demo · "
     * then what the run does, e.g. "Offline demo · 2 processes × 4 transfers" */
    text = g_strdup_printf (_("Offline demo · %s"), subtitle);
  else if (self->demo_mode)
    text = g_strdup (_("Offline demo"));
  else
    text = g_strdup (subtitle);

  adw_window_title_set_subtitle (self->window_title, text);
}

static void
sg_window_update_demo_label (SgWindow *self)
{
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  guint latency;

  if (self->demo_server == NULL)
    return;

  latency = sg_demo_server_get_latency (self->demo_server);
  /* Translators: the small label of the offline demo's button in the header
   * bar, with the built-in server's latency, e.g. "Demo · 100 ms" */
  text = g_strdup_printf (_("Demo · %u ms"), latency);
  gtk_label_set_label (self->demo_label, text);

  /* Translators: %u is the latency in milliseconds */
  tooltip = g_strdup_printf (_("Offline demo: every answer waits %u ms. Click to change it."),
                             latency);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->demo_button), tooltip);
}

void
sg_window_apply_demo_options (SgWindow *self)
{
  g_autoptr(SgRunOptions) options = NULL;
  const SgRunOptions *current;
  const char *base_url;

  g_return_if_fail (SG_IS_WINDOW (self));

  if (!self->demo_mode || self->demo_server == NULL)
    return;
  base_url = sg_demo_server_get_base_url (self->demo_server);
  if (base_url == NULL)
    return;

  current = sg_pool_get_options (self->pool);
  if (g_strcmp0 (current->base_url, base_url) == 0 && current->no_cache)
    return;

  options = sg_run_options_copy (current);
  g_free (options->base_url);
  options->base_url = g_strdup (base_url);
  options->no_cache = TRUE;
  sg_pool_set_options (self->pool, options);
}

gboolean
sg_window_get_demo_mode (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), FALSE);

  return self->demo_mode;
}

static void
sg_window_set_demo_mode (SgWindow *self,
                         gboolean  demo_mode)
{
  if (self->demo_mode == demo_mode)
    return;

  self->demo_mode = demo_mode;
  gtk_widget_set_visible (GTK_WIDGET (self->demo_button), demo_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->status_demo_button), !demo_mode);
  sg_window_set_subtitle (self, NULL);
  sg_window_update_demo_label (self);
}

static void
on_pool_running_changed (SgWindow   *self,
                         GParamSpec *pspec,
                         SgPool     *pool)
{
  if (sg_window_get_running (self))
    return;

  g_signal_handlers_disconnect_by_func (pool, on_pool_running_changed, self);
  if (!self->disposed)
    sg_window_start_run (self, FALSE);
}

/* Entering or leaving the demo starts a run as soon as the window is shown
 * and the run going before (being stopped) has ended. */
static void
sg_window_start_run_when_idle (SgWindow *self)
{
  g_signal_handlers_disconnect_by_func (self->pool, on_pool_running_changed, self);

  if (!sg_window_get_running (self))
    {
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        sg_window_start_run (self, FALSE);
      else
        sg_window_start_run_when_shown (self);
      return;
    }

  g_signal_connect_object (self->pool, "notify::running",
                           G_CALLBACK (on_pool_running_changed), self, G_CONNECT_SWAPPED);
}

static void
on_demo_started (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sg_demo_server_start_finish (SG_DEMO_SERVER (source), result, &error))
    {
      if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_warning ("%s", error->message);
      sg_window_set_demo_mode (self, FALSE);
      sg_window_show_status (self, error);
      return;
    }

  if (self->disposed || !self->demo_mode)
    return;

  sg_window_apply_demo_options (self);
  sg_window_show_gallery (self);
  sg_window_start_run_when_idle (self);
}

static void
sg_window_ensure_demo_server (SgWindow *self)
{
  guint latency = DEFAULT_DEMO_LATENCY_MS;

  if (self->demo_server != NULL)
    return;

  if (self->settings != NULL)
    latency = g_settings_get_uint (self->settings, "demo-latency-ms");

  /* The scale drives the server; the setting remembers the scale. */
  sg_demo_popover_set_latency (self->demo_popover, latency);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "demo-latency-ms",
                     self->demo_popover, "latency-ms", G_SETTINGS_BIND_DEFAULT);

  self->demo_server = sg_demo_server_new (sg_demo_popover_get_latency (self->demo_popover));
  g_object_bind_property (self->demo_popover, "latency-ms",
                          self->demo_server, "latency-ms",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->demo_server, "notify::latency-ms",
                           G_CALLBACK (sg_window_update_demo_label), self,
                           G_CONNECT_SWAPPED);
}

void
sg_window_start_demo (SgWindow *self)
{
  g_return_if_fail (SG_IS_WINDOW (self));

  if (self->disposed)
    return;

  sg_window_ensure_demo_server (self);

  /* A run against the real API (maybe still winding down after it found
   * the server unreachable) gives way to the demo's. */
  if (!self->demo_mode)
    {
      if (sg_window_get_running (self))
        sg_window_stop_run (self);
      g_clear_pointer (&self->pre_demo_options, sg_run_options_free);
      self->pre_demo_options = sg_run_options_copy (sg_pool_get_options (self->pool));
    }
  sg_window_set_demo_mode (self, TRUE);

  sg_demo_server_start_async (self->demo_server, NULL, on_demo_started, g_object_ref (self));
}

void
sg_window_leave_demo (SgWindow *self)
{
  g_autoptr(SgRunOptions) options = NULL;

  g_return_if_fail (SG_IS_WINDOW (self));

  if (self->disposed || !self->demo_mode)
    return;

  gtk_popover_popdown (GTK_POPOVER (self->demo_popover));
  if (sg_window_get_running (self))
    sg_window_stop_run (self);

  /* Back to the address and cache use from before the demo; the rest (the
   * processes, transfers and strategy chosen meanwhile) stays. */
  options = sg_run_options_copy (sg_pool_get_options (self->pool));
  if (self->pre_demo_options != NULL)
    {
      g_free (options->base_url);
      options->base_url = g_strdup (self->pre_demo_options->base_url);
      options->no_cache = self->pre_demo_options->no_cache;
    }
  sg_window_set_demo_mode (self, FALSE);
  sg_pool_set_options (self->pool, options);
  g_clear_pointer (&self->pre_demo_options, sg_run_options_free);

  /* Nothing needs the port any more; entering the demo again restarts it. */
  sg_demo_server_stop (self->demo_server);

  sg_window_set_subtitle (self, NULL);
  sg_window_start_run_when_idle (self);
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sg_window_start_demo (SG_WINDOW (widget));
}

static void
leave_demo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sg_window_leave_demo (SG_WINDOW (widget));
}

void
sg_window_dispose_demo (SgWindow *self)
{
  /* Joins the server thread: bounded, it only closes its sockets. */
  if (self->demo_server != NULL)
    sg_demo_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_pointer (&self->pre_demo_options, sg_run_options_free);
}

void
sg_window_class_init_demo (GtkWidgetClass *widget_class)
{
  g_type_ensure (SG_TYPE_DEMO_POPOVER);

  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.leave-demo", NULL, leave_demo_action);
}
