/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the pool tests: run a pool to its end and look at what is left. */
#pragma once

#include "sg-pool.h"

G_BEGIN_DECLS

typedef struct {
  SgPool       *pool;
  GCancellable *cancellable;
  GHashTable   *done_counts;   /* sprite id -> times "sprite-done" fired */
  GArray       *pids;          /* every helper pid seen spawning */
  gboolean      finished;
  gboolean      ok;
  GError       *error;
  guint         n_paused;
  guint         n_deaths;      /* WORKER_DIED events */
} PoolRun;

SgRunOptions *test_options        (const char   *base_url,
                                   guint         count,
                                   guint         workers);
PoolRun      *pool_run_new        (const SgRunOptions *options);
void          pool_run_free       (PoolRun      *run);
void          pool_run_start      (PoolRun      *run,
                                   gboolean      bypass_cache);
/* The GAsyncReadyCallback of a run: fills @run's ok, error, finished. */
void          pool_run_on_finished (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data);
/* Iterates the main context until the run ends (bounded: fails the test
 * after @timeout_s). */
void          pool_run_wait       (PoolRun      *run,
                                   guint         timeout_s);
void          assert_each_done_once (PoolRun    *run);
void          assert_no_helper_left (PoolRun    *run);
SgSprite     *pool_run_sprite     (PoolRun      *run,
                                   guint         id);
/* How many of @pool's workers have had a process started since the run
 * began (the others are NOT_STARTED). */
guint         pool_test_n_started (SgPool       *pool);
/* Removes @path and everything below it (symbolic links not followed). */
void          pool_test_remove_tree (const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PoolRun, pool_run_free)

G_END_DECLS
