/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sys/types.h>

#include <glib.h>

G_BEGIN_DECLS

/* How far below the app its helpers run: on a busy machine the window
 * still gets its frames. */
#define SG_HELPER_NICENESS_STEP 10

int  sg_helper_niceness_below (int   parent_niceness);
void sg_helper_priority_lower (pid_t pid,
                               pid_t parent);

G_END_DECLS
