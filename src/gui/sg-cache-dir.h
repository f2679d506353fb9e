/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sprite cache as the Preferences window sees it: how much it holds,
 * and "Clear cache". Both walk the directory in a worker thread (GIO's
 * GFile enumeration), never follow symbolic links, and touch only files
 * inside the directory: a link is removed itself, never its target.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint64 bytes;
  guint   n_files;
} SgCacheUsage;

void     sg_cache_dir_measure_async  (const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean sg_cache_dir_measure_finish (GAsyncResult        *result,
                                      SgCacheUsage        *usage,
                                      GError             **error);

/* Deletes every file (and link) inside @path and its real subdirectories;
 * the directories stay. @usage receives what was freed. */
void     sg_cache_dir_clear_async    (const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean sg_cache_dir_clear_finish   (GAsyncResult        *result,
                                      SgCacheUsage        *usage,
                                      GError             **error);

G_END_DECLS
