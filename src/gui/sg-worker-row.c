/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-worker-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-worker-colors.h"
#include "sg-worker-row.h"

struct _SgWorkerRow
{
  GtkListBoxRow   parent_instance;

  SgWorker       *worker;
  gulong          notify_id;

  GtkWidget      *dot;
  GtkLabel       *title_label;
  GtkInscription *pid_label;
  GtkInscription *state_label;
  GtkInscription *counts_label;
  GtkInscription *memory_label;
  GtkInscription *deaths_label;
};

G_DEFINE_FINAL_TYPE (SgWorkerRow, sg_worker_row, GTK_TYPE_LIST_BOX_ROW)

char *
sg_worker_row_state_text (SgWorker *worker)
{
  g_return_val_if_fail (SG_IS_WORKER (worker), NULL);

  switch (sg_worker_get_state (worker))
    {
    case SG_WORKER_STARTING:
      return g_strdup (_("Starting"));
    case SG_WORKER_IDLE:
      return g_strdup (_("Idle"));
    case SG_WORKER_BUSY:
      {
        guint id = sg_worker_get_current_id (worker);
        guint in_flight = sg_worker_get_in_flight (worker);

        if (id == 0)
          return g_strdup (_("Fetching"));
        if (in_flight > 1)
          /* Translators: "Fetching #25 and 3 more" */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Fetching #%u and %u more",
                                               "Fetching #%u and %u more", in_flight - 1),
                                  id, in_flight - 1);
        return g_strdup_printf (_("Fetching #%u"), id);
      }
    case SG_WORKER_DEAD:
      return g_strdup (_("Dead — respawning"));
    case SG_WORKER_STOPPED:
      return g_strdup (_("Stopped"));
    case SG_WORKER_NOT_STARTED:
      return g_strdup (_("Not started"));
    default:
      return g_strdup ("");
    }
}

static void
sync_row (SgWorkerRow *self)
{
  SgWorker *worker = self->worker;
  SgWorkerState state = sg_worker_get_state (worker);
  guint slot = sg_worker_get_slot (worker);
  GPid pid = sg_worker_get_pid (worker);
  guint tasks = sg_worker_get_tasks_done (worker);
  guint deaths = sg_worker_get_deaths (worker);
  guint64 rss_kib = sg_worker_get_rss_kib (worker);
  gboolean alive = sg_worker_get_alive (worker);
  g_autofree char *title = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *state_text = sg_worker_row_state_text (worker);
  g_autofree char *bytes = g_format_size (sg_worker_get_bytes (worker));
  g_autofree char *tasks_text = NULL;
  g_autofree char *flight_text = NULL;
  g_autofree char *memory_text = NULL;
  g_autofree char *counts_text = NULL;

  /* Translators: a worker row's title, numbered from 1 */
  title = g_strdup_printf (_("Process %u"), slot + 1);
  pid_text = pid != 0 ? g_strdup_printf (_("pid %d"), (int) pid) : g_strdup ("");
  gtk_label_set_label (self->title_label, title);
  gtk_inscription_set_text (self->pid_label, pid_text);
  gtk_inscription_set_text (self->state_label, state_text);
  if (state == SG_WORKER_DEAD)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");

  tasks_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task done", "%u tasks done",
                                             tasks), tasks);
  flight_text = g_strdup_printf (_("%u in flight"), sg_worker_get_in_flight (worker));
  if (rss_kib > 0)
    {
      g_autofree char *memory = g_format_size (rss_kib * 1024);

      /* Translators: the resident memory of one helper process */
      memory_text = g_strdup_printf (_("%s of its own memory"), memory);
    }
  else if (alive)
    {
      memory_text = g_strdup (_("memory not measured yet"));
    }
  else if (state == SG_WORKER_NOT_STARTED)
    {
      /* Translators: a worker row before its helper process is started */
      memory_text = g_strdup (_("a run starts its process"));
    }
  else
    {
      memory_text = g_strdup (_("process ended"));
    }
  counts_text = g_strdup_printf ("%s · %s · %s", tasks_text, bytes, flight_text);
  gtk_inscription_set_text (self->counts_label, counts_text);
  gtk_inscription_set_text (self->memory_label, memory_text);
  /* A third line once the process was killed: a change of size only then. */
  if (deaths > 0)
    {
      g_autofree char *deaths_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "killed %u time", "killed %u times", deaths),
                         deaths);

      gtk_inscription_set_text (self->deaths_label, deaths_text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->deaths_label), deaths > 0);

  sg_worker_color_apply (self->dot, (int) slot);
  /* The action, not the button: an actionable button's sensitivity is its
   * action's, and two rules setting it would each undo the other. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "worker.kill", alive);

  {
    g_autofree char *accessible = g_strdup_printf ("%s, %s, %s", title, pid_text, state_text);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }
}

static void
on_worker_notify (SgWorker    *worker,
                  GParamSpec  *pspec,
                  SgWorkerRow *self)
{
  sync_row (self);
}

SgWorker *
sg_worker_row_get_worker (SgWorkerRow *self)
{
  g_return_val_if_fail (SG_IS_WORKER_ROW (self), NULL);
  return self->worker;
}

/* The panel's workers.kill, for this row's slot. */
static void
kill_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SgWorkerRow *self = SG_WORKER_ROW (widget);

  gtk_widget_activate_action (widget, "workers.kill", "u", sg_worker_get_slot (self->worker));
}

static void
sg_worker_row_dispose (GObject *object)
{
  SgWorkerRow *self = SG_WORKER_ROW (object);

  if (self->worker != NULL)
    g_clear_signal_handler (&self->notify_id, self->worker);
  g_clear_object (&self->worker);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_WORKER_ROW);

  G_OBJECT_CLASS (sg_worker_row_parent_class)->dispose (object);
}

static void
sg_worker_row_class_init (SgWorkerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_worker_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               SG_RESOURCE_PREFIX "/sg-worker-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, dot);
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, pid_label);
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, memory_label);
  gtk_widget_class_bind_template_child (widget_class, SgWorkerRow, deaths_label);

  gtk_widget_class_install_action (widget_class, "worker.kill", NULL, kill_action);
}

static void
sg_worker_row_init (SgWorkerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sg_worker_row_new (SgWorker *worker)
{
  SgWorkerRow *self;

  g_return_val_if_fail (SG_IS_WORKER (worker), NULL);

  self = g_object_new (SG_TYPE_WORKER_ROW, NULL);
  self->worker = g_object_ref (worker);
  /* Every property of a worker is shown: one handler for all. */
  self->notify_id = g_signal_connect (worker, "notify", G_CALLBACK (on_worker_notify), self);
  sync_row (self);
  return GTK_WIDGET (self);
}
