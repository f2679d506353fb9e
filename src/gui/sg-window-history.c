/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the window keeps of its runs: every finished run goes into the run
 * history (and so into the speed-up chart); "Compare 1, 2, 4, 8 processes"
 * runs the sweep — sequential, then the queue with 1, 2, 4 and 8 processes,
 * each without the cache — one run after another through the window, so
 * the class watches every one of them; and a run can be exported as the
 * JSON report or as a Chrome trace.
 */
#define G_LOG_DOMAIN "sg-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-history-window.h"
#include "sg-trace.h"
#include "sg-window-private.h"

static const struct {
  SgStrategy strategy;
  guint      workers;
} sweep_steps[] = {
  { SG_STRATEGY_SEQUENTIAL, 1 },
  { SG_STRATEGY_QUEUE, 1 },
  { SG_STRATEGY_QUEUE, 2 },
  { SG_STRATEGY_QUEUE, 4 },
  { SG_STRATEGY_QUEUE, 8 },
};

static void
toast (SgWindow   *self,
       const char *message)
{
  if (!self->disposed)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* The history ------------------------------------------------------------------ */

static void
on_history_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A broken file is replaced by the next save; nothing to ask anybody. */
  if (!sg_run_history_load_finish (SG_RUN_HISTORY (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("%s", error->message);
}

SgRunHistory *
sg_window_get_history (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), NULL);
  return self->history;
}

gboolean
sg_window_get_sweeping (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), FALSE);
  return self->sweep_step >= 0;
}

static void
set_sweep_status (SgWindow   *self,
                  const char *status)
{
  if (self->history_window != NULL)
    sg_history_window_set_status (SG_HISTORY_WINDOW (self->history_window), status);
}

static char *
describe_step (guint step)
{
  if (sweep_steps[step].strategy == SG_STRATEGY_SEQUENTIAL)
    return g_strdup (_("sequential"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "queue with %u process",
                                       "queue with %u processes", sweep_steps[step].workers),
                          sweep_steps[step].workers);
}

static void
end_sweep (SgWindow   *self,
           const char *message)
{
  if (self->sweep_step < 0)
    return;

  self->sweep_step = -1;
  if (self->sweep_saved != NULL && !self->disposed)
    {
      sg_pool_set_options (self->pool, self->sweep_saved);
      sg_window_apply_demo_options (self);
      sg_window_sync_controls (self);
    }
  g_clear_pointer (&self->sweep_saved, sg_run_options_free);
  set_sweep_status (self, NULL);
  if (message != NULL)
    toast (self, message);
  if (!self->disposed)
    sg_window_update_actions (self);
}

static void
run_sweep_step (SgWindow *self)
{
  g_autoptr(SgRunOptions) options = sg_run_options_copy (self->sweep_saved);
  g_autofree char *what = describe_step ((guint) self->sweep_step);
  g_autofree char *status = NULL;

  options->strategy = sweep_steps[self->sweep_step].strategy;
  options->workers = sweep_steps[self->sweep_step].workers;
  sg_pool_set_options (self->pool, options);
  /* The controls show what runs now. */
  sg_window_sync_controls (self);

  /* Translators: "Run 2 of 5: queue with 1 process" */
  status = g_strdup_printf (_("Run %d of %u: %s"), self->sweep_step + 1,
                            (guint) G_N_ELEMENTS (sweep_steps), what);
  set_sweep_status (self, status);
  sg_window_set_subtitle (self, status);

  /* Without the cache: a run that fetches nothing measures nothing. */
  sg_window_start_run (self, TRUE);
}

static gboolean
next_sweep_step (gpointer user_data)
{
  SgWindow *self = user_data;

  self->sweep_idle_id = 0;
  if (self->sweep_step < 0 || self->disposed)
    return G_SOURCE_REMOVE;

  self->sweep_step++;
  if ((guint) self->sweep_step >= G_N_ELEMENTS (sweep_steps))
    {
      end_sweep (self, _("Comparison done: see Runs and Speed-up"));
      return G_SOURCE_REMOVE;
    }
  run_sweep_step (self);
  return G_SOURCE_REMOVE;
}

void
sg_window_start_sweep (SgWindow *self)
{
  g_return_if_fail (SG_IS_WINDOW (self));

  if (self->disposed || sg_window_get_sweeping (self))
    return;
  if (sg_window_get_running (self))
    {
      toast (self, _("Stop the current run first"));
      return;
    }

  self->sweep_saved = sg_run_options_copy (sg_pool_get_options (self->pool));
  self->sweep_step = 0;
  sg_window_update_actions (self);
  run_sweep_step (self);
}

void
sg_window_record_run (SgWindow     *self,
                      gboolean      all_done,
                      const GError *error)
{
  gboolean stopped = g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_CANCELLED);

  /* A run that was stopped, or never reached the server, did not finish. */
  if (!stopped && !g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_UNREACHABLE) &&
      !g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_SPAWN) && self->history != NULL)
    {
      g_autoptr(JsonObject) report = sg_pool_build_report (self->pool);
      g_autoptr(SgRunRecord) record = sg_run_record_new_from_report (report, NULL);

      sg_run_history_add (self->history, record);
    }

  if (!sg_window_get_sweeping (self))
    return;

  if (error != NULL && !g_error_matches (error, SG_POOL_ERROR, SG_POOL_ERROR_SOME_FAILED))
    {
      end_sweep (self, stopped ? _("Comparison stopped") : _("Comparison ended: the run failed"));
      return;
    }

  /* After the run's callback has finished with the pool. */
  if (self->sweep_idle_id == 0)
    self->sweep_idle_id = g_idle_add (next_sweep_step, self);
}

/* The runs window ------------------------------------------------------------- */

static void
on_compare_requested (SgHistoryWindow *window,
                      SgWindow        *self)
{
  sg_window_start_sweep (self);
}

static void
on_stop_requested (SgHistoryWindow *window,
                   SgWindow        *self)
{
  sg_window_stop_run (self);
  end_sweep (self, _("Comparison stopped"));
}

static void
on_history_window_destroy (GtkWidget *window,
                           SgWindow  *self)
{
  if (self->history_window == window)
    self->history_window = NULL;
}

void
sg_window_show_history (SgWindow *self)
{
  g_return_if_fail (SG_IS_WINDOW (self));

  if (self->history_window == NULL)
    {
      self->history_window = sg_history_window_new (self->history);
      gtk_window_set_transient_for (GTK_WINDOW (self->history_window), GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->history_window), TRUE);
      g_signal_connect_object (self->history_window, "compare-requested",
                               G_CALLBACK (on_compare_requested), self, 0);
      g_signal_connect_object (self->history_window, "stop-requested",
                               G_CALLBACK (on_stop_requested), self, 0);
      g_signal_connect_object (self->history_window, "destroy",
                               G_CALLBACK (on_history_window_destroy), self, 0);
    }

  if (sg_window_get_sweeping (self))
    {
      g_autofree char *what = describe_step ((guint) self->sweep_step);
      g_autofree char *status = g_strdup_printf (_("Run %d of %u: %s"), self->sweep_step + 1,
                                                 (guint) G_N_ELEMENTS (sweep_steps), what);

      set_sweep_status (self, status);
    }
  gtk_window_present (GTK_WINDOW (self->history_window));
}

/* Export --------------------------------------------------------------------- */

static GBytes *
build_report_bytes (SgWindow *self)
{
  g_autoptr(JsonObject) report = sg_pool_build_report (self->pool);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize len;

  json_object_set_double_member (report, "max_main_loop_stall_ms",
                                 sg_window_get_max_stall_ms (self));
  json_node_set_object (root, report);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

void
sg_window_export_async (SgWindow            *self,
                        GFile               *file,
                        gboolean             trace,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  GTask *task;

  g_return_if_fail (SG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_window_export_async);
  g_task_set_task_data (task, GINT_TO_POINTER (trace), NULL);
  /* Built here (small, and the run's data lives here); written off the
   * main thread, through a temporary file. */
  bytes = trace ? sg_trace_build_bytes (self->timeline_model, 0) : build_report_bytes (self);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, on_export_written, task);
}

gboolean
sg_window_export_finish (SgWindow      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SgWindow *self = SG_WINDOW (source);
  gboolean trace = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  g_autoptr(GError) error = NULL;

  if (!sg_window_export_finish (self, result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save: %s"), error->message);

      toast (self, message);
      return;
    }
  toast (self, trace ? _("Trace saved: open it in Perfetto or chrome://tracing")
                     : _("Report saved"));
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  SgWindow *self = user_data;
  gboolean trace = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "sg-trace"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (file != NULL)
    sg_window_export_async (self, file, trace, NULL, on_export_done, NULL);

  g_clear_object (&self->export_dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SgWindow *self = SG_WINDOW (widget);
  gboolean trace = g_str_equal (action_name, "win.export-trace");
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->export_dialog != NULL)
    return;

  dialog = gtk_file_chooser_native_new (trace ? _("Export Chrome Trace") : _("Export Report"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     trace ? "sprite-gallery-trace.json"
                                           : "sprite-gallery-report.json");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "sg-trace", GINT_TO_POINTER (trace));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  self->export_dialog = dialog;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
show_history_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  sg_window_show_history (SG_WINDOW (widget));
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sg_window_start_sweep (SG_WINDOW (widget));
}

void
sg_window_update_history_actions (SgWindow *self)
{
  gboolean running = sg_window_get_running (self);
  gboolean any_run = self->timeline_model != NULL &&
                     (sg_timeline_model_get_n_bars (self->timeline_model) > 0 ||
                      sg_timeline_model_get_n_cached (self->timeline_model) > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", !running && any_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-trace", !running && any_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare",
                                 !running && !sg_window_get_sweeping (self));
}

void
sg_window_init_history (SgWindow *self)
{
  self->sweep_step = -1;
  self->history = sg_run_history_new (NULL);
  self->history_cancellable = g_cancellable_new ();
  sg_run_history_load_async (self->history, self->history_cancellable, on_history_loaded, NULL);
  sg_window_update_history_actions (self);
}

void
sg_window_dispose_history (SgWindow *self)
{
  g_clear_handle_id (&self->sweep_idle_id, g_source_remove);
  end_sweep (self, NULL);
  if (self->history_cancellable != NULL)
    g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_dialog));
  g_clear_object (&self->export_dialog);
  if (self->history_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->history_window));
  self->history_window = NULL;
  /* A save in flight holds its own reference and still lands. */
  g_clear_object (&self->history);
}

void
sg_window_class_init_history (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-trace", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.show-history", NULL);
}
