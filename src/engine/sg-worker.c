/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-worker"

#include "config.h"

#include "sg-worker.h"

/* One process that ran in this slot, for the report. */
typedef struct {
  GPid     pid;
  guint    tasks;
  guint64  bytes;
  char    *exit_desc;
} ProcessRecord;

struct _SgWorker
{
  GObject        parent_instance;

  guint          slot;
  GPid           pid;
  SgWorkerState  state;
  guint          tasks_done;     /* over every process of the slot */
  guint64        bytes;
  guint          in_flight;
  guint          current_id;
  guint          deaths;
  guint64        rss_kib;

  guint          process_tasks;  /* of the current process only */
  guint64        process_bytes;
  GArray        *history;        /* ProcessRecord, ended processes */
};

G_DEFINE_FINAL_TYPE (SgWorker, sg_worker, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SgWorkerState, sg_worker_state,
  G_DEFINE_ENUM_VALUE (SG_WORKER_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (SG_WORKER_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (SG_WORKER_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (SG_WORKER_DEAD, "dead"),
  G_DEFINE_ENUM_VALUE (SG_WORKER_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (SG_WORKER_NOT_STARTED, "not-started"))

enum {
  PROP_0,
  PROP_SLOT,
  PROP_PID,
  PROP_STATE,
  PROP_TASKS_DONE,
  PROP_BYTES,
  PROP_IN_FLIGHT,
  PROP_CURRENT_ID,
  PROP_DEATHS,
  PROP_RSS_KIB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
process_record_clear (gpointer data)
{
  ProcessRecord *record = data;

  g_free (record->exit_desc);
}

static void
sg_worker_finalize (GObject *object)
{
  SgWorker *self = SG_WORKER (object);

  g_array_unref (self->history);

  G_OBJECT_CLASS (sg_worker_parent_class)->finalize (object);
}

static void
sg_worker_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SgWorker *self = SG_WORKER (object);

  switch (prop_id)
    {
    case PROP_SLOT:
      g_value_set_uint (value, self->slot);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TASKS_DONE:
      g_value_set_uint (value, self->tasks_done);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case PROP_CURRENT_ID:
      g_value_set_uint (value, self->current_id);
      break;
    case PROP_DEATHS:
      g_value_set_uint (value, self->deaths);
      break;
    case PROP_RSS_KIB:
      g_value_set_uint64 (value, self->rss_kib);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_worker_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SgWorker *self = SG_WORKER (object);

  switch (prop_id)
    {
    case PROP_SLOT:
      self->slot = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_worker_class_init (SgWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sg_worker_finalize;
  object_class->get_property = sg_worker_get_property;
  object_class->set_property = sg_worker_set_property;

  properties[PROP_SLOT] =
    g_param_spec_uint ("slot", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SG_TYPE_WORKER_STATE, SG_WORKER_NOT_STARTED, ro);
  properties[PROP_TASKS_DONE] =
    g_param_spec_uint ("tasks-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BYTES] = g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_IN_FLIGHT] = g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CURRENT_ID] =
    g_param_spec_uint ("current-id", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DEATHS] = g_param_spec_uint ("deaths", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RSS_KIB] =
    g_param_spec_uint64 ("rss-kib", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_worker_init (SgWorker *self)
{
  self->history = g_array_new (FALSE, TRUE, sizeof (ProcessRecord));
  g_array_set_clear_func (self->history, process_record_clear);
  self->state = SG_WORKER_NOT_STARTED;
}

SgWorker *
sg_worker_new (guint slot)
{
  return g_object_new (SG_TYPE_WORKER, "slot", slot, NULL);
}

void
sg_worker_reset (SgWorker *self)
{
  g_return_if_fail (SG_IS_WORKER (self));

  /* One round of notifications, and only for what changed. */
  g_object_freeze_notify (G_OBJECT (self));
  sg_worker_set_pid (self, 0);
  sg_worker_set_state (self, SG_WORKER_NOT_STARTED);
  sg_worker_set_in_flight (self, 0);
  sg_worker_set_current_id (self, 0);
  sg_worker_set_rss_kib (self, 0);
  if (self->tasks_done != 0)
    {
      self->tasks_done = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASKS_DONE]);
    }
  if (self->bytes != 0)
    {
      self->bytes = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
    }
  if (self->deaths != 0)
    {
      self->deaths = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEATHS]);
    }
  self->process_tasks = 0;
  self->process_bytes = 0;
  g_array_set_size (self->history, 0);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
sg_worker_get_slot (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->slot;
}

GPid
sg_worker_get_pid (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->pid;
}

void
sg_worker_set_pid (SgWorker *self,
                   GPid      pid)
{
  g_return_if_fail (SG_IS_WORKER (self));
  if (self->pid == pid)
    return;
  self->pid = pid;
  self->process_tasks = 0;
  self->process_bytes = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
}

SgWorkerState
sg_worker_get_state (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), SG_WORKER_STOPPED);
  return self->state;
}

gboolean
sg_worker_get_alive (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), FALSE);
  return self->pid != 0 &&
         (self->state == SG_WORKER_STARTING || self->state == SG_WORKER_IDLE ||
          self->state == SG_WORKER_BUSY);
}

void
sg_worker_set_state (SgWorker      *self,
                     SgWorkerState  state)
{
  g_return_if_fail (SG_IS_WORKER (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

guint
sg_worker_get_tasks_done (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->tasks_done;
}

void
sg_worker_add_task_done (SgWorker *self,
                         guint64   bytes)
{
  g_return_if_fail (SG_IS_WORKER (self));
  self->tasks_done++;
  self->process_tasks++;
  self->bytes += bytes;
  self->process_bytes += bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASKS_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
}

guint64
sg_worker_get_bytes (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->bytes;
}

guint
sg_worker_get_in_flight (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->in_flight;
}

void
sg_worker_set_in_flight (SgWorker *self,
                         guint     in_flight)
{
  g_return_if_fail (SG_IS_WORKER (self));
  if (self->in_flight == in_flight)
    return;
  self->in_flight = in_flight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
}

guint
sg_worker_get_current_id (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->current_id;
}

void
sg_worker_set_current_id (SgWorker *self,
                          guint     id)
{
  g_return_if_fail (SG_IS_WORKER (self));
  if (self->current_id == id)
    return;
  self->current_id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_ID]);
}

guint
sg_worker_get_deaths (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->deaths;
}

void
sg_worker_add_death (SgWorker *self)
{
  g_return_if_fail (SG_IS_WORKER (self));
  self->deaths++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEATHS]);
}

guint64
sg_worker_get_rss_kib (SgWorker *self)
{
  g_return_val_if_fail (SG_IS_WORKER (self), 0);
  return self->rss_kib;
}

void
sg_worker_set_rss_kib (SgWorker *self,
                       guint64   rss_kib)
{
  g_return_if_fail (SG_IS_WORKER (self));
  if (self->rss_kib == rss_kib)
    return;
  self->rss_kib = rss_kib;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RSS_KIB]);
}

void
sg_worker_record_exit (SgWorker   *self,
                       const char *exit_desc)
{
  ProcessRecord record = { 0 };

  g_return_if_fail (SG_IS_WORKER (self));
  if (self->pid == 0)
    return;

  record.pid = self->pid;
  record.tasks = self->process_tasks;
  record.bytes = self->process_bytes;
  record.exit_desc = g_strdup (exit_desc);
  g_array_append_val (self->history, record);

  sg_worker_set_pid (self, 0);
  sg_worker_set_in_flight (self, 0);
  sg_worker_set_current_id (self, 0);
  sg_worker_set_rss_kib (self, 0);
}

static void
append_process (JsonArray  *workers,
                GPid        pid,
                guint       tasks,
                guint64     bytes,
                const char *exit_desc)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "pid", pid);
  json_object_set_int_member (object, "tasks", tasks);
  json_object_set_int_member (object, "bytes", (gint64) bytes);
  json_object_set_string_member (object, "exit", exit_desc);
  json_array_add_object_element (workers, object);
}

void
sg_worker_append_json (SgWorker  *self,
                       JsonArray *workers)
{
  g_return_if_fail (SG_IS_WORKER (self));

  for (guint i = 0; i < self->history->len; i++)
    {
      const ProcessRecord *record = &g_array_index (self->history, ProcessRecord, i);

      append_process (workers, record->pid, record->tasks, record->bytes, record->exit_desc);
    }

  if (self->pid != 0)
    append_process (workers, self->pid, self->process_tasks, self->process_bytes, "running");
}
