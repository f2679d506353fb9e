/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run controls under the header bar: processes, transfers per process,
 * strategy and range. They set the pool's options for the next run (the
 * running one keeps its own); Preferences hold the defaults a launch starts
 * with.
 */
#define G_LOG_DOMAIN "sg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-window-private.h"

/* PokeAPI's numbered Pokémon (ids beyond are alternate forms). */
#define SG_API_COUNT 1025

/* In the order of the strategy drop-down. */
static const SgStrategy strategies[] = {
  SG_STRATEGY_QUEUE,
  SG_STRATEGY_CHUNKS,
  SG_STRATEGY_SEQUENTIAL,
};

static guint
strategy_position (SgStrategy strategy)
{
  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    if (strategies[i] == strategy)
      return i;
  return 0;
}

static void
update_sensitivity (SgWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->strategy_dropdown);
  gboolean sequential = selected < G_N_ELEMENTS (strategies) &&
                        strategies[selected] == SG_STRATEGY_SEQUENTIAL;
  gboolean free_to_change = !sg_window_get_sweeping (self);

  /* Sequential is one process, one transfer: nothing to choose. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->workers_spin), free_to_change && !sequential);
  gtk_widget_set_sensitive (GTK_WIDGET (self->in_flight_spin), free_to_change && !sequential);
  gtk_widget_set_sensitive (GTK_WIDGET (self->strategy_dropdown), free_to_change);
  gtk_widget_set_sensitive (GTK_WIDGET (self->first_spin), free_to_change);
  gtk_widget_set_sensitive (GTK_WIDGET (self->count_spin), free_to_change);
}

static void
apply_controls (SgWindow *self)
{
  g_autoptr(SgRunOptions) options = NULL;
  guint selected;

  if (self->syncing_controls || self->disposed)
    return;

  options = sg_run_options_copy (sg_pool_get_options (self->pool));
  options->workers = (guint) gtk_spin_button_get_value_as_int (self->workers_spin);
  options->in_flight = (guint) gtk_spin_button_get_value_as_int (self->in_flight_spin);
  selected = gtk_drop_down_get_selected (self->strategy_dropdown);
  options->strategy = strategies[MIN (selected, G_N_ELEMENTS (strategies) - 1)];
  options->first = (guint) gtk_spin_button_get_value_as_int (self->first_spin);
  options->count = (guint) gtk_spin_button_get_value_as_int (self->count_spin);
  sg_pool_set_options (self->pool, options);

  update_sensitivity (self);
}

static void
on_first_changed (GtkSpinButton *spin,
                  SgWindow      *self)
{
  int first = gtk_spin_button_get_value_as_int (spin);

  /* The range ends where the API does. */
  gtk_spin_button_set_range (self->count_spin, 1, MAX (1, SG_API_COUNT - first + 1));
  apply_controls (self);
}

void
sg_window_sync_controls (SgWindow *self)
{
  const SgRunOptions *options = sg_pool_get_options (self->pool);

  self->syncing_controls = TRUE;
  /* 1–16 processes and 1–32 transfers, unless the command line asked for more. */
  gtk_spin_button_set_range (self->workers_spin, 1, MAX (16, options->workers));
  gtk_spin_button_set_range (self->in_flight_spin, 1, MAX (32, options->in_flight));
  gtk_spin_button_set_value (self->workers_spin, MAX (options->workers, 1));
  gtk_spin_button_set_value (self->in_flight_spin, MAX (options->in_flight, 1));
  gtk_drop_down_set_selected (self->strategy_dropdown, strategy_position (options->strategy));
  gtk_spin_button_set_value (self->first_spin, CLAMP (options->first, 1, SG_API_COUNT));
  gtk_spin_button_set_range (self->count_spin, 1,
                             MAX (1, SG_API_COUNT - (int) gtk_spin_button_get_value (self->first_spin) + 1));
  gtk_spin_button_set_value (self->count_spin, MAX (options->count, 1));
  self->syncing_controls = FALSE;

  update_sensitivity (self);
}

static gboolean
sync_later (gpointer user_data)
{
  SgWindow *self = user_data;

  self->sync_controls_id = 0;
  sg_window_sync_controls (self);
  return G_SOURCE_REMOVE;
}

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     SgWindow   *self)
{
  /* The application applies new defaults to the pool on the same signal
   * of its own settings object: follow once both are done. */
  if (self->sync_controls_id == 0)
    self->sync_controls_id = g_idle_add (sync_later, self);
}

static void
on_control_changed (SgWindow *self)
{
  apply_controls (self);
}

void
sg_window_init_controls (SgWindow *self)
{
  sg_window_sync_controls (self);

  g_signal_connect_object (self->workers_spin, "value-changed", G_CALLBACK (on_control_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->in_flight_spin, "value-changed",
                           G_CALLBACK (on_control_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->strategy_dropdown, "notify::selected",
                           G_CALLBACK (on_control_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->first_spin, "value-changed", G_CALLBACK (on_first_changed),
                           self, 0);
  g_signal_connect_object (self->count_spin, "value-changed", G_CALLBACK (on_control_changed),
                           self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
}

void
sg_window_dispose_controls (SgWindow *self)
{
  g_clear_handle_id (&self->sync_controls_id, g_source_remove);
}

void
sg_window_class_init_controls (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SgWindow, workers_spin);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, in_flight_spin);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, strategy_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, first_spin);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, count_spin);
}
