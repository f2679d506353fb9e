/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-cache"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sg-cache.h"
#include "sg-png.h"
#include "sg-priority.h"

#define MAX_CACHED_PNG  (1024 * 1024)
#define MAX_CACHED_JSON (64 * 1024)

struct _SgCache
{
  GObject  parent_instance;
  char    *path;
};

G_DEFINE_FINAL_TYPE (SgCache, sg_cache, G_TYPE_OBJECT)

void
sg_cache_entry_free (SgCacheEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->png, g_bytes_unref);
  g_clear_pointer (&entry->details, json_object_unref);
  g_free (entry);
}

static void
sg_cache_finalize (GObject *object)
{
  SgCache *self = SG_CACHE (object);

  g_free (self->path);

  G_OBJECT_CLASS (sg_cache_parent_class)->finalize (object);
}

static void
sg_cache_class_init (SgCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_cache_finalize;
}

static void
sg_cache_init (SgCache *self)
{
}

SgCache *
sg_cache_new (const char *dir,
              const char *base_url)
{
  SgCache *self = g_object_new (SG_TYPE_CACHE, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, base_url, -1);
  /* A hash, never the URL itself, names the directory. */
  g_autofree char *key = g_strndup (digest, 16);

  self->path = g_build_filename (dir, key, NULL);
  return self;
}

const char *
sg_cache_get_path (SgCache *self)
{
  g_return_val_if_fail (SG_IS_CACHE (self), NULL);
  return self->path;
}

static char *
entry_path (const char *dir,
            guint       id,
            const char *extension)
{
  char name[32];

  g_snprintf (name, sizeof name, "%u.%s", id, extension);
  return g_build_filename (dir, name, NULL);
}

static JsonObject *
parse_details (const char *text,
               gsize       len,
               guint       id)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObject *object;

  if (!json_parser_load_from_data (parser, text, len, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "id", 0) != id ||
      json_object_get_string_member_with_default (object, "name", NULL) == NULL)
    return NULL;

  return json_object_ref (object);
}

/* Reads one entry; NULL when missing or invalid (invalid files are removed
 * so that the next store starts clean). */
static SgCacheEntry *
load_entry (const char *dir,
            guint       id)
{
  g_autofree char *png_path = entry_path (dir, id, "png");
  g_autofree char *json_path = entry_path (dir, id, "json");
  g_autofree char *png = NULL;
  g_autofree char *json = NULL;
  gsize png_len = 0, json_len = 0;
  g_autoptr(JsonObject) details = NULL;
  SgCacheEntry *entry;

  if (!g_file_get_contents (png_path, &png, &png_len, NULL) ||
      !g_file_get_contents (json_path, &json, &json_len, NULL))
    return NULL;

  if (png_len > MAX_CACHED_PNG || json_len > MAX_CACHED_JSON ||
      !sg_png_check_header ((const guint8 *) png, png_len, NULL) ||
      !sg_png_check_complete ((const guint8 *) png, png_len) ||
      (details = parse_details (json, json_len, id)) == NULL)
    {
      g_debug ("Discarding corrupt cache entry %u", id);
      g_unlink (png_path);
      g_unlink (json_path);
      return NULL;
    }

  entry = g_new0 (SgCacheEntry, 1);
  entry->id = id;
  entry->png = g_bytes_new_take (g_steal_pointer (&png), png_len);
  entry->details = g_steal_pointer (&details);
  return entry;
}

typedef struct {
  guint first;
  guint count;
} LoadRange;

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SgCache *self = source_object;
  const LoadRange *range = task_data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sg_cache_entry_free);

  for (guint i = 0; i < range->count; i++)
    {
      SgCacheEntry *entry;

      if (g_task_return_error_if_cancelled (task))
        return;

      entry = load_entry (self->path, range->first + i);
      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }

  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
}

void
sg_cache_load_async (SgCache             *self,
                     guint                first,
                     guint                count,
                     int                  io_priority,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadRange *range;

  g_return_if_fail (SG_IS_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_cache_load_async);
  g_task_set_priority (task, io_priority);
  range = g_new (LoadRange, 1);
  range->first = first;
  range->count = count;
  g_task_set_task_data (task, range, g_free);
  g_task_run_in_thread (task, load_in_thread);
}

GPtrArray *
sg_cache_load_finish (SgCache       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, sg_cache_load_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  guint   id;
  GBytes *png;
  char   *json;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_bytes_unref (data->png);
  g_free (data->json);
  g_free (data);
}

static gboolean
write_atomically (const char  *path,
                  const void  *data,
                  gsize        len,
                  GError     **error)
{
  /* Temporary file + rename: a reader sees the old file, the new one, or
   * nothing; never half of one. No fsync for a new entry (one per file
   * made a cold run a third slower): after a crash a new file may be empty
   * or cut short, and load_entry() discards it, as a PNG must end with
   * IEND and the JSON must parse; the sprite is simply fetched again.
   * Replacing an existing entry is still synced, so a good copy is never
   * lost for a broken one. */
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0644, error);
}

static void
store_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SgCache *self = source_object;
  StoreData *data = task_data;
  g_autofree char *png_path = entry_path (self->path, data->id, "png");
  g_autofree char *json_path = entry_path (self->path, data->id, "json");
  GError *error = NULL;
  gsize len;
  const void *png = g_bytes_get_data (data->png, &len);

  if (g_mkdir_with_parents (self->path, 0755) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the cache directory %s: %s"),
                               self->path, g_strerror (saved_errno));
      return;
    }

  /* The PNG goes first: an entry counts only when its JSON is there too. */
  if (!write_atomically (png_path, png, len, &error) ||
      !write_atomically (json_path, data->json, strlen (data->json), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Every cache write of the process goes through one thread, below the
 * main thread's priority. Up to a dozen of GTask's threads wrote at once
 * before: they spent their time waiting on each other for the directory
 * (creating files in one directory is serialised by the kernel anyway),
 * and at the app's own priority they took the CPU from the window's
 * frames: with a thousand sprites the longest main-loop stall went from
 * 22 to 12 ms, and the run got faster (tests/bench). */
static void
write_job (gpointer data,
           gpointer user_data)
{
  g_autoptr(GTask) task = data;
  static gboolean lowered;  /* only ever touched by the one writer thread */

  if (!lowered)
    {
      sg_thread_priority_lower ();
      lowered = TRUE;
    }
  store_in_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                   g_task_get_cancellable (task));
}

/* NULL if its thread could not start: GTask's threads write then. */
static GThreadPool *
writer_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      g_autoptr(GError) error = NULL;
      /* Exclusive: its thread, with its lower priority, serves nobody else. */
      GThreadPool *new_pool = g_thread_pool_new (write_job, NULL, 1, TRUE, &error);

      if (new_pool == NULL)
        g_warning ("Cannot start the cache's writer thread: %s", error->message);
      g_once_init_leave (&pool, new_pool);
    }
  return pool;
}

void
sg_cache_store_async (SgCache             *self,
                      guint                id,
                      GBytes              *png,
                      JsonObject          *details,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  StoreData *data;

  g_return_if_fail (SG_IS_CACHE (self));
  g_return_if_fail (png != NULL && details != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sg_cache_store_async);

  /* Serialise here: JsonObject is not safe to share with another thread. */
  json_node_set_object (node, details);
  data = g_new0 (StoreData, 1);
  data->id = id;
  data->png = g_bytes_ref (png);
  data->json = json_to_string (node, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  if (writer_pool () != NULL)
    g_thread_pool_push (writer_pool (), g_steal_pointer (&task), NULL);
  else
    g_task_run_in_thread (task, store_in_thread);
}

gboolean
sg_cache_store_finish (SgCache       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
