/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-workers-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-worker-row.h"
#include "sg-workers-panel.h"

struct _SgWorkersPanel
{
  GtkWidget       parent_instance;

  SgPool         *pool;
  gulong          running_id;
  GListModel     *workers;
  gulong          items_changed_id;
  GPtrArray      *watched;      /* SgWorker whose notify updates the summary */

  GtkInscription *summary_label;
  GtkListBox     *list_box;
  GtkButton      *kill_random_button;
};

G_DEFINE_FINAL_TYPE (SgWorkersPanel, sg_workers_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POOL,
  N_PROPS
};

enum {
  SIGNAL_KILLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_summary (SgWorkersPanel *self)
{
  guint n = self->workers != NULL ? g_list_model_get_n_items (self->workers) : 0;
  guint64 rss_kib = 0;
  guint busy = 0;
  guint not_started = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (self->workers, i);

      if (sg_worker_get_alive (worker))
        rss_kib += sg_worker_get_rss_kib (worker);
      if (sg_worker_get_state (worker) == SG_WORKER_BUSY)
        busy++;
      if (sg_worker_get_state (worker) == SG_WORKER_NOT_STARTED)
        not_started++;
    }

  if (n == 0)
    {
      text = g_strdup (_("Start a run: each helper process shows up here"));
    }
  else
    {
      g_autofree char *processes =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u process", "%u processes", n), n);

      if (not_started == n && self->pool != NULL && sg_pool_get_all_from_cache (self->pool))
        {
          /* Translators: "4 processes, none needed: every sprite came from the cache." */
          text = g_strdup_printf (_("%s, none needed: every sprite came from the cache."),
                                  processes);
        }
      else if (not_started == n)
        {
          /* Translators: "4 processes, not started yet. Each will have its own memory." */
          text = g_strdup_printf (_("%s, not started yet. Each will have its own memory."),
                                  processes);
        }
      else if (rss_kib > 0)
        {
          g_autofree char *memory = g_format_size (rss_kib * 1024);

          /* Translators: "4 processes, 3 busy. Each has its own memory: 21 MB in all." */
          text = g_strdup_printf (_("%s, %u busy. Each has its own memory: %s in all."),
                                  processes, busy, memory);
        }
      else
        {
          /* Translators: "4 processes, 3 busy. Each has its own memory." */
          text = g_strdup_printf (_("%s, %u busy. Each has its own memory."), processes, busy);
        }
    }
  gtk_inscription_set_text (self->summary_label, text);
}

static void
update_actions (SgWorkersPanel *self)
{
  gboolean running = self->pool != NULL && sg_pool_get_running (self->pool);
  gboolean any_alive = FALSE;
  guint n = self->workers != NULL ? g_list_model_get_n_items (self->workers) : 0;

  for (guint i = 0; i < n && !any_alive; i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (self->workers, i);

      any_alive = sg_worker_get_alive (worker);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workers.kill", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "workers.kill-random", running && any_alive);
}

static void
on_worker_notify (SgWorker       *worker,
                  GParamSpec     *pspec,
                  SgWorkersPanel *self)
{
  update_summary (self);
  update_actions (self);
}

static void
unwatch_all (SgWorkersPanel *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          on_worker_notify, self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
on_items_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  SgWorkersPanel *self)
{
  guint n = g_list_model_get_n_items (model);

  /* The number of processes changed: watch the workers there are now. */
  unwatch_all (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (model, i);

      g_signal_connect (worker, "notify", G_CALLBACK (on_worker_notify), self);
      g_ptr_array_add (self->watched, g_steal_pointer (&worker));
    }
  update_summary (self);
  update_actions (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return sg_worker_row_new (SG_WORKER (item));
}

static void
on_running (SgPool         *pool,
            GParamSpec     *pspec,
            SgWorkersPanel *self)
{
  update_summary (self);
  update_actions (self);
}

/* ------------------------------------------------------------------------ */
/* Killing                                                                  */

static void
kill_slot (SgWorkersPanel *self,
           guint           slot)
{
  if (self->pool != NULL && sg_pool_kill_worker (self->pool, slot))
    g_signal_emit (self, signals[SIGNAL_KILLED], 0, slot);
}

const char *
sg_workers_panel_get_summary (SgWorkersPanel *self)
{
  g_return_val_if_fail (SG_IS_WORKERS_PANEL (self), NULL);
  return gtk_inscription_get_text (self->summary_label);
}

int
sg_workers_panel_kill_random (SgWorkersPanel *self)
{
  g_autoptr(GArray) alive = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n;
  guint slot;

  g_return_val_if_fail (SG_IS_WORKERS_PANEL (self), -1);

  n = self->workers != NULL ? g_list_model_get_n_items (self->workers) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgWorker) worker = g_list_model_get_item (self->workers, i);

      if (sg_worker_get_alive (worker))
        {
          slot = sg_worker_get_slot (worker);
          g_array_append_val (alive, slot);
        }
    }
  if (alive->len == 0)
    return -1;

  slot = g_array_index (alive, guint, g_random_int_range (0, (int) alive->len));
  kill_slot (self, slot);
  return (int) slot;
}

static void
kill_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  kill_slot (SG_WORKERS_PANEL (widget), g_variant_get_uint32 (parameter));
}

static void
kill_random_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sg_workers_panel_kill_random (SG_WORKERS_PANEL (widget));
}

/* ------------------------------------------------------------------------ */
/* Public                                                                   */

SgPool *
sg_workers_panel_get_pool (SgWorkersPanel *self)
{
  g_return_val_if_fail (SG_IS_WORKERS_PANEL (self), NULL);
  return self->pool;
}

static void
detach (SgWorkersPanel *self)
{
  unwatch_all (self);
  if (self->workers != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->workers);
  self->workers = NULL;
  if (self->pool != NULL)
    g_clear_signal_handler (&self->running_id, self->pool);
  g_clear_object (&self->pool);
}

void
sg_workers_panel_set_pool (SgWorkersPanel *self,
                           SgPool         *pool)
{
  g_return_if_fail (SG_IS_WORKERS_PANEL (self));
  g_return_if_fail (pool == NULL || SG_IS_POOL (pool));

  if (self->pool == pool)
    return;

  detach (self);
  if (pool != NULL)
    {
      self->pool = g_object_ref (pool);
      self->workers = sg_pool_get_workers (pool);
      self->running_id = g_signal_connect (pool, "notify::running", G_CALLBACK (on_running),
                                           self);
      self->items_changed_id = g_signal_connect (self->workers, "items-changed",
                                                 G_CALLBACK (on_items_changed), self);
      on_items_changed (self->workers, 0, 0, 0, self);
    }
  gtk_list_box_bind_model (self->list_box, self->workers, create_row, NULL, NULL);
  update_summary (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL]);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
sg_workers_panel_dispose (GObject *object)
{
  SgWorkersPanel *self = SG_WORKERS_PANEL (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  detach (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_WORKERS_PANEL);
  /* The template's children without an id are ours to unparent. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sg_workers_panel_parent_class)->dispose (object);
}

static void
sg_workers_panel_finalize (GObject *object)
{
  SgWorkersPanel *self = SG_WORKERS_PANEL (object);

  g_ptr_array_unref (self->watched);

  G_OBJECT_CLASS (sg_workers_panel_parent_class)->finalize (object);
}

static void
sg_workers_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SgWorkersPanel *self = SG_WORKERS_PANEL (object);

  switch (prop_id)
    {
    case PROP_POOL:
      g_value_set_object (value, self->pool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_workers_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SgWorkersPanel *self = SG_WORKERS_PANEL (object);

  switch (prop_id)
    {
    case PROP_POOL:
      sg_workers_panel_set_pool (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_workers_panel_class_init (SgWorkersPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_workers_panel_dispose;
  object_class->finalize = sg_workers_panel_finalize;
  object_class->get_property = sg_workers_panel_get_property;
  object_class->set_property = sg_workers_panel_set_property;

  properties[PROP_POOL] =
    g_param_spec_object ("pool", NULL, NULL, SG_TYPE_POOL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_KILLED] =
    g_signal_new ("killed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "workers.kill", "u", kill_action);
  gtk_widget_class_install_action (widget_class, "workers.kill-random", NULL, kill_random_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               SG_RESOURCE_PREFIX "/sg-workers-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SgWorkersPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SgWorkersPanel, list_box);
  gtk_widget_class_bind_template_child (widget_class, SgWorkersPanel, kill_random_button);
  gtk_widget_class_set_css_name (widget_class, "workerspanel");
}

static void
sg_workers_panel_init (SgWorkersPanel *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));

  update_summary (self);
  update_actions (self);
}

GtkWidget *
sg_workers_panel_new (void)
{
  return g_object_new (SG_TYPE_WORKERS_PANEL, NULL);
}
