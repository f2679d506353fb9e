/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-run-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "sg-run-history.h"

#define FILE_VERSION 1

struct _SgRunHistory
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *records;     /* SgRunRecord, newest first */
  gboolean   saving;      /* a write is in a worker thread */
  gboolean   dirty;       /* changed since that write began */
  gboolean   loaded;      /* the file was read: writes may go */
  GError    *save_error;  /* of the last write */
  GPtrArray *flushes;     /* GTask waiting for the disk */
};

static void sg_run_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SgRunHistory, sg_run_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sg_run_history_list_model_init))

G_DEFINE_QUARK (sg-run-history-error-quark, sg_run_history_error)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* GListModel                                                               */

static GType
sg_run_history_get_item_type (GListModel *model)
{
  return SG_TYPE_RUN_RECORD;
}

static guint
sg_run_history_get_n_items (GListModel *model)
{
  return SG_RUN_HISTORY (model)->records->len;
}

static gpointer
sg_run_history_get_item (GListModel *model,
                         guint       position)
{
  SgRunHistory *self = SG_RUN_HISTORY (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
sg_run_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sg_run_history_get_item_type;
  iface->get_n_items = sg_run_history_get_n_items;
  iface->get_item = sg_run_history_get_item;
}

/* ------------------------------------------------------------------------ */
/* Saving: serialised here, written by a worker thread                      */

static GBytes *
serialize (SgRunHistory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->records->len; i++)
    json_builder_add_value (builder, sg_run_record_to_json (g_ptr_array_index (self->records, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SgRunHistory *self = source_object;
  GBytes *bytes = task_data;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the folder %s: %s"), dir,
                               g_strerror (saved_errno));
      return;
    }

  /* A temporary file renamed over the old one: a crash leaves the old
   * history or the new one, never half of one. */
  if (!g_file_set_contents_full (self->path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void start_save (SgRunHistory *self);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SgRunHistory) self = user_data;
  g_autoptr(GPtrArray) flushes = NULL;

  self->saving = FALSE;
  g_clear_error (&self->save_error);
  if (!g_task_propagate_boolean (G_TASK (result), &self->save_error))
    g_warning ("Cannot save the run history: %s", self->save_error->message);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->save_error);

  if (self->dirty)
    {
      start_save (self);
      return;
    }

  flushes = g_steal_pointer (&self->flushes);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < flushes->len; i++)
    {
      GTask *task = g_ptr_array_index (flushes, i);

      if (self->save_error != NULL)
        g_task_return_error (task, g_error_copy (self->save_error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
start_save (SgRunHistory *self)
{
  g_autoptr(GTask) task = NULL;

  /* One write at a time; none before the file was read and merged, which
   * would replace the runs on disk with only the new ones. */
  if (self->saving || !self->loaded)
    {
      self->dirty = TRUE;
      return;
    }

  self->dirty = FALSE;
  self->saving = TRUE;
  task = g_task_new (self, NULL, on_written, g_object_ref (self));
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, serialize (self), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, write_in_thread);
}

/* ------------------------------------------------------------------------ */
/* Loading: read and parsed by a worker thread                              */

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SgRunHistory *self = source_object;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (self->path, &text, &len, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_task_return_pointer (task, NULL, NULL); /* nothing yet */
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!json_parser_load_from_data (parser, text, len, &error))
    {
      g_task_return_new_error (task, SG_RUN_HISTORY_ERROR, SG_RUN_HISTORY_ERROR_INVALID,
                               _("The run history %s is not valid JSON: %s"), self->path,
                               error->message);
      return;
    }

  g_task_return_pointer (task, json_parser_steal_root (parser), (GDestroyNotify) json_node_unref);
}

static gboolean
take_runs (SgRunHistory  *self,
           JsonNode      *root,
           GError       **error)
{
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                    : NULL;
  JsonNode *runs = object != NULL ? json_object_get_member (object, "runs") : NULL;
  guint skipped = 0;
  guint position;

  if (runs == NULL || !JSON_NODE_HOLDS_ARRAY (runs))
    {
      g_set_error (error, SG_RUN_HISTORY_ERROR, SG_RUN_HISTORY_ERROR_INVALID,
                   _("The run history %s has no list of runs"), self->path);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (runs)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (runs), i);
      g_autoptr(GError) local_error = NULL;
      SgRunRecord *record = sg_run_record_new_from_json (node, &local_error);

      /* One bad entry does not cost the others. */
      if (record == NULL)
        skipped++;
      else
        g_ptr_array_add (loaded, record);
    }
  if (skipped > 0)
    g_message ("Skipped %u malformed runs in %s", skipped, self->path);

  /* Runs added while we read are newer: they stay in front. */
  position = self->records->len;
  for (guint i = 0; i < loaded->len && self->records->len < SG_RUN_HISTORY_MAX; i++)
    g_ptr_array_add (self->records, g_object_ref (g_ptr_array_index (loaded, i)));
  if (self->records->len > position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, self->records->len - position);
  return TRUE;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SgRunHistory *self = SG_RUN_HISTORY (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancelled;

  root = g_task_propagate_pointer (G_TASK (result), &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (error == NULL && root != NULL)
    take_runs (self, root, &error);

  /* Runs added meanwhile waited for the old ones to be merged. Cancelled,
   * the old ones are unknown: writing would lose them. A broken file is
   * known: the next write replaces it. */
  if (!cancelled)
    {
      self->loaded = TRUE;
      if (self->dirty)
        start_save (self);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
sg_run_history_load_async (SgRunHistory        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) read_task = NULL;

  g_return_if_fail (SG_IS_RUN_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_run_history_load_async);

  read_task = g_task_new (self, cancellable, on_read, g_steal_pointer (&task));
  g_task_set_source_tag (read_task, read_in_thread);
  g_task_run_in_thread (read_task, read_in_thread);
}

gboolean
sg_run_history_load_finish (SgRunHistory  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, sg_run_history_load_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Changes                                                                  */

void
sg_run_history_add (SgRunHistory *self,
                    SgRunRecord  *record)
{
  guint old_len;

  g_return_if_fail (SG_IS_RUN_HISTORY (self));
  g_return_if_fail (SG_IS_RUN_RECORD (record));

  old_len = self->records->len;
  g_ptr_array_insert (self->records, 0, g_object_ref (record));
  if (self->records->len > SG_RUN_HISTORY_MAX)
    {
      /* Full: the oldest run makes room. */
      g_ptr_array_set_size (self->records, SG_RUN_HISTORY_MAX);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->records->len);
    }
  else
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
    }
  start_save (self);
}

void
sg_run_history_clear (SgRunHistory *self)
{
  guint n;

  g_return_if_fail (SG_IS_RUN_HISTORY (self));

  n = self->records->len;
  g_ptr_array_set_size (self->records, 0);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  start_save (self);
}

void
sg_run_history_flush_async (SgRunHistory        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SG_IS_RUN_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_run_history_flush_async);

  /* Nothing is being written (before the first load, nothing is). */
  if (!self->saving)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->flushes, g_steal_pointer (&task));
}

gboolean
sg_run_history_flush_finish (SgRunHistory  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, sg_run_history_flush_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Speed-up                                                                 */

static gboolean
same_job (SgRunRecord *a,
          SgRunRecord *b)
{
  return g_strcmp0 (sg_run_record_get_base_url (a), sg_run_record_get_base_url (b)) == 0 &&
         sg_run_record_get_first (a) == sg_run_record_get_first (b) &&
         sg_run_record_get_count (a) == sg_run_record_get_count (b);
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const SgSpeedupPoint *pa = a, *pb = b;

  return (pa->processes > pb->processes) - (pa->processes < pb->processes);
}

SgSpeedup *
sg_run_history_compute_speedup (SgRunHistory *self)
{
  SgSpeedup *speedup;
  SgRunRecord *reference = NULL;
  SgRunRecord *baseline = NULL;

  g_return_val_if_fail (SG_IS_RUN_HISTORY (self), NULL);

  speedup = g_new0 (SgSpeedup, 1);
  speedup->points = g_array_new (FALSE, TRUE, sizeof (SgSpeedupPoint));

  /* The series to show: the newest comparable parallel run's settings. */
  for (guint i = 0; i < self->records->len && reference == NULL; i++)
    {
      SgRunRecord *record = g_ptr_array_index (self->records, i);

      if (sg_run_record_is_comparable (record) && !sg_run_record_is_sequential (record))
        reference = record;
    }
  for (guint i = 0; i < self->records->len && reference == NULL; i++)
    {
      SgRunRecord *record = g_ptr_array_index (self->records, i);

      if (sg_run_record_is_comparable (record))
        reference = record;
    }
  if (reference == NULL)
    return speedup;

  speedup->strategy = g_strdup (sg_run_record_get_strategy (reference));
  speedup->in_flight = sg_run_record_get_in_flight (reference);

  for (guint i = 0; i < self->records->len; i++)
    {
      SgRunRecord *record = g_ptr_array_index (self->records, i);
      gboolean seen = FALSE;

      if (!sg_run_record_is_comparable (record) || !same_job (record, reference))
        continue;

      if (sg_run_record_is_sequential (record))
        {
          if (baseline == NULL)
            baseline = record;
          if (!sg_run_record_is_sequential (reference))
            continue;
        }

      if (g_strcmp0 (sg_run_record_get_strategy (record), speedup->strategy) != 0 ||
          sg_run_record_get_in_flight (record) != speedup->in_flight)
        continue;

      /* Newest first: the first run of each size wins. */
      for (guint j = 0; j < speedup->points->len && !seen; j++)
        seen = g_array_index (speedup->points, SgSpeedupPoint, j).processes ==
               sg_run_record_get_processes (record);
      if (!seen)
        {
          SgSpeedupPoint point = {
            .processes = sg_run_record_get_processes (record),
            .wall_ms = sg_run_record_get_wall_ms (record),
            .speedup = NAN,
            .record = g_object_ref (record),
          };

          g_array_append_val (speedup->points, point);
        }
    }

  g_array_sort (speedup->points, compare_points);

  if (baseline != NULL)
    {
      speedup->baseline_is_sequential = TRUE;
    }
  else if (speedup->points->len > 0 &&
           g_array_index (speedup->points, SgSpeedupPoint, 0).processes == 1)
    {
      /* No sequential run yet: the 1-process run of the series. */
      baseline = g_array_index (speedup->points, SgSpeedupPoint, 0).record;
    }

  if (baseline != NULL)
    {
      speedup->baseline = g_object_ref (baseline);
      for (guint i = 0; i < speedup->points->len; i++)
        {
          SgSpeedupPoint *point = &g_array_index (speedup->points, SgSpeedupPoint, i);

          point->speedup = sg_run_record_get_wall_ms (baseline) / point->wall_ms;
        }
    }

  return speedup;
}

void
sg_speedup_free (SgSpeedup *speedup)
{
  if (speedup == NULL)
    return;

  for (guint i = 0; i < speedup->points->len; i++)
    g_object_unref (g_array_index (speedup->points, SgSpeedupPoint, i).record);
  g_array_unref (speedup->points);
  g_clear_object (&speedup->baseline);
  g_free (speedup->strategy);
  g_free (speedup);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

char *
sg_run_history_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "sprite-gallery", "runs.json", NULL);
}

const char *
sg_run_history_get_path (SgRunHistory *self)
{
  g_return_val_if_fail (SG_IS_RUN_HISTORY (self), NULL);
  return self->path;
}

static void
sg_run_history_finalize (GObject *object)
{
  SgRunHistory *self = SG_RUN_HISTORY (object);

  /* A write in flight holds a reference: we only get here once it ended. */
  g_ptr_array_unref (self->records);
  g_ptr_array_unref (self->flushes);
  g_clear_error (&self->save_error);
  g_free (self->path);

  G_OBJECT_CLASS (sg_run_history_parent_class)->finalize (object);
}

static void
sg_run_history_class_init (SgRunHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_run_history_finalize;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
sg_run_history_init (SgRunHistory *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
}

SgRunHistory *
sg_run_history_new (const char *path)
{
  SgRunHistory *self = g_object_new (SG_TYPE_RUN_HISTORY, NULL);

  self->path = path != NULL ? g_strdup (path) : sg_run_history_default_path ();
  return self;
}
