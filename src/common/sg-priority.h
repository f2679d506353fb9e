/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What runs below the app's main thread: its helper processes and its
 * background threads. On a busy machine the window still gets its frames.
 */
#pragma once

#include <sys/types.h>

#include <glib.h>

G_BEGIN_DECLS

/* How far below: niceness +10, at most 19. */
#define SG_BACKGROUND_NICENESS_STEP 10

int  sg_niceness_below        (int   parent_niceness);
/* Process (or, on Linux, thread) @pid, 0 for the caller, below @parent. */
void sg_priority_lower_below  (pid_t pid,
                               pid_t parent);
/* The calling thread below the process's main thread. Linux only, where a
 * thread has a niceness of its own; elsewhere it would be the whole
 * process, so nothing is done. */
void sg_thread_priority_lower (void);

G_END_DECLS
