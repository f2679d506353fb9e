/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-history-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-history-window.h"
#include "sg-speedup-chart.h"

struct _SgHistoryWindow
{
  AdwWindow       parent_instance;

  SgRunHistory   *history;
  gulong          items_changed_id;
  gboolean        comparing;

  SgSpeedupChart *chart;
  GtkLabel       *caption_label;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;
  GtkStack       *button_stack;
  GtkListBox     *list_box;
};

G_DEFINE_FINAL_TYPE (SgHistoryWindow, sg_history_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_COMPARE_REQUESTED,
  SIGNAL_STOP_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_duration (double ms)
{
  if (ms < 0)
    return g_strdup ("—");
  if (ms < 1000)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.0f ms"), ms);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), ms / 1000);
}

char *
sg_history_window_describe_record (SgRunRecord *record)
{
  g_autofree char *wall = format_duration (sg_run_record_get_wall_ms (record));
  g_autofree char *first = format_duration (sg_run_record_get_first_sprite_ms (record));
  g_autofree char *when = g_date_time_format (sg_run_record_get_when (record), "%x %X");
  GString *text = g_string_new (NULL);

  /* Translators: "31.2 s in all, first sprite after 0.41 s" */
  g_string_append_printf (text, _("%s in all, first sprite after %s"), wall, first);
  if (sg_run_record_get_failed (record) > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                                 sg_run_record_get_failed (record)),
                              sg_run_record_get_failed (record));
    }
  if (sg_run_record_get_from_cache (record) > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u from the cache",
                                                 "%u from the cache",
                                                 sg_run_record_get_from_cache (record)),
                              sg_run_record_get_from_cache (record));
    }
  if (sg_run_record_get_spawned (record) > sg_run_record_get_processes (record))
    {
      guint respawns = sg_run_record_get_spawned (record) - sg_run_record_get_processes (record);

      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u respawn", "%u respawns",
                                                 respawns),
                              respawns);
    }
  g_string_append (text, "\n");
  g_string_append (text, when);
  return g_string_free (text, FALSE);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SgRunRecord *record = item;
  g_autofree char *title = sg_run_record_describe (record);
  g_autofree char *subtitle = sg_history_window_describe_record (record);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Names of runs are ours, but keep markup out of the way. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (!sg_run_record_is_comparable (record))
    gtk_widget_add_css_class (row, "dim-label");
  return row;
}

static void
update_caption (SgHistoryWindow *self)
{
  g_autofree char *caption = sg_speedup_chart_describe (self->chart);

  gtk_label_set_label (self->caption_label, caption);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.clear",
                                 self->history != NULL &&
                                 g_list_model_get_n_items (G_LIST_MODEL (self->history)) > 0 &&
                                 !self->comparing);
}

static void
on_items_changed (GListModel      *model,
                  guint            position,
                  guint            removed,
                  guint            added,
                  SgHistoryWindow *self)
{
  update_caption (self);
}

SgRunHistory *
sg_history_window_get_history (SgHistoryWindow *self)
{
  g_return_val_if_fail (SG_IS_HISTORY_WINDOW (self), NULL);
  return self->history;
}

void
sg_history_window_set_status (SgHistoryWindow *self,
                              const char      *status)
{
  g_return_if_fail (SG_IS_HISTORY_WINDOW (self));

  self->comparing = status != NULL;
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_spinner_set_spinning (self->spinner, status != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), status != NULL);
  gtk_stack_set_visible_child_name (self->button_stack, status != NULL ? "stop" : "compare");
  update_caption (self);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_COMPARE_REQUESTED], 0);
}

static void
stop_compare_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_STOP_REQUESTED], 0);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SgHistoryWindow *self = SG_HISTORY_WINDOW (widget);

  if (self->history != NULL)
    sg_run_history_clear (self->history);
}

static void
sg_history_window_dispose (GObject *object)
{
  SgHistoryWindow *self = SG_HISTORY_WINDOW (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  if (self->history != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->history);
  g_clear_object (&self->history);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_HISTORY_WINDOW);

  G_OBJECT_CLASS (sg_history_window_parent_class)->dispose (object);
}

static void
sg_history_window_class_init (SgHistoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_history_window_dispose;

  signals[SIGNAL_COMPARE_REQUESTED] =
    g_signal_new ("compare-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STOP_REQUESTED] =
    g_signal_new ("stop-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "history.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "history.stop-compare", NULL,
                                   stop_compare_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (SG_TYPE_SPEEDUP_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SG_RESOURCE_PREFIX "/sg-history-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SgHistoryWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, SgHistoryWindow, caption_label);
  gtk_widget_class_bind_template_child (widget_class, SgHistoryWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SgHistoryWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SgHistoryWindow, button_stack);
  gtk_widget_class_bind_template_child (widget_class, SgHistoryWindow, list_box);
}

static void
sg_history_window_init (SgHistoryWindow *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No finished runs yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->list_box, placeholder);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

GtkWidget *
sg_history_window_new (SgRunHistory *history)
{
  SgHistoryWindow *self;

  g_return_val_if_fail (SG_IS_RUN_HISTORY (history), NULL);

  self = g_object_new (SG_TYPE_HISTORY_WINDOW, NULL);
  self->history = g_object_ref (history);
  self->items_changed_id = g_signal_connect (history, "items-changed",
                                             G_CALLBACK (on_items_changed), self);
  sg_speedup_chart_set_history (self->chart, history);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (history), create_row, NULL, NULL);
  update_caption (self);
  return GTK_WIDGET (self);
}
