/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sprite cache (PokeAPI's fair-use policy asks clients to cache).
 *
 * Layout: DIR/<key>/<id>.png and DIR/<key>/<id>.json, where <key> is a hash
 * of the API base URL so that two servers never mix, and file names hold ids
 * only, never a name or a URL taken from the network. Files are written
 * atomically (temporary file + rename) and validated when read: a corrupt or
 * half-present entry is a miss, and the sprite is fetched again. All disk I/O
 * runs in worker threads, never on the caller's main loop.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  guint       id;
  GBytes     *png;
  JsonObject *details; /* {"id","name","types",...} as kept by the pool */
} SgCacheEntry;

void sg_cache_entry_free (SgCacheEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgCacheEntry, sg_cache_entry_free)

#define SG_TYPE_CACHE (sg_cache_get_type ())
G_DECLARE_FINAL_TYPE (SgCache, sg_cache, SG, CACHE, GObject)

SgCache    *sg_cache_new          (const char          *dir,
                                   const char          *base_url);
/* DIR/<key>: where this base URL's entries live. */
const char *sg_cache_get_path     (SgCache             *self);
/* Loads the valid entries among ids first..first+count-1 (missing or
 * corrupt ones are left out; corrupt files are deleted). @callback comes
 * at @io_priority. */
void        sg_cache_load_async   (SgCache             *self,
                                   guint                first,
                                   guint                count,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* A GPtrArray of SgCacheEntry, owned by the caller. */
GPtrArray  *sg_cache_load_finish  (SgCache             *self,
                                   GAsyncResult        *result,
                                   GError             **error);
/* Writes an entry in a worker thread; @callback (may be NULL) tells when it
 * is on disk. */
void        sg_cache_store_async  (SgCache             *self,
                                   guint                id,
                                   GBytes              *png,
                                   JsonObject          *details,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean    sg_cache_store_finish (SgCache             *self,
                                   GAsyncResult        *result,
                                   GError             **error);
G_END_DECLS
