/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-cache-dir"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-cache-dir.h"

/* The cache is flat or one level deep; a deeper tree is not ours to walk. */
#define MAX_DEPTH 4

typedef struct {
  GFile        *dir;
  gboolean      clear;
  SgCacheUsage  usage;
} WalkData;

static void
walk_data_free (WalkData *data)
{
  g_clear_object (&data->dir);
  g_free (data);
}

static gboolean
walk (GFile         *dir,
      guint          depth,
      gboolean       clear,
      SgCacheUsage  *usage,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;

  enumerator = g_file_enumerate_children (dir,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, &local_error);
  if (enumerator == NULL)
    {
      /* No cache yet is an empty cache. */
      if (depth == 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        break;

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          if (depth + 1 < MAX_DEPTH &&
              !walk (child, depth + 1, clear, usage, cancellable, error))
            return FALSE;
          break;

        case G_FILE_TYPE_REGULAR:
        case G_FILE_TYPE_SYMBOLIC_LINK:
          /* g_file_delete() unlinks: on a link it removes the link. */
          if (clear && !g_file_delete (child, cancellable, error))
            return FALSE;
          usage->n_files++;
          usage->bytes += g_file_info_get_size (info);
          break;

        default:
          /* sockets, fifos, devices: not something we wrote */
          break;
        }
    }

  return TRUE;
}

static void
walk_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WalkData *data = task_data;
  g_autoptr(GError) error = NULL;

  if (!walk (data->dir, 0, data->clear, &data->usage, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_walk (const char          *path,
            gboolean             clear,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WalkData *data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, TRUE);

  data = g_new0 (WalkData, 1);
  data->dir = g_file_new_for_path (path);
  data->clear = clear;
  g_task_set_task_data (task, data, (GDestroyNotify) walk_data_free);

  g_task_run_in_thread (task, walk_thread);
}

static gboolean
finish_walk (GAsyncResult  *result,
             gpointer       source_tag,
             SgCacheUsage  *usage,
             GError       **error)
{
  GTask *task = G_TASK (result);
  WalkData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (task) == source_tag, FALSE);

  /* Even on an error, report what was done until then. */
  data = g_task_get_task_data (task);
  if (usage != NULL)
    *usage = data->usage;

  return g_task_propagate_boolean (task, error);
}

void
sg_cache_dir_measure_async (const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (path != NULL);

  start_walk (path, FALSE, sg_cache_dir_measure_async, cancellable, callback, user_data);
}

gboolean
sg_cache_dir_measure_finish (GAsyncResult  *result,
                             SgCacheUsage  *usage,
                             GError       **error)
{
  return finish_walk (result, sg_cache_dir_measure_async, usage, error);
}

void
sg_cache_dir_clear_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (path != NULL);

  start_walk (path, TRUE, sg_cache_dir_clear_async, cancellable, callback, user_data);
}

gboolean
sg_cache_dir_clear_finish (GAsyncResult  *result,
                           SgCacheUsage  *usage,
                           GError       **error)
{
  return finish_walk (result, sg_cache_dir_clear_async, usage, error);
}
