/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Task lines: what the pool writes down a helper's stdin.
 *
 *   "TASK <task_id> <pokemon_id>\n"
 *
 * task_id is the pool's own number (unique per attempt, so a late frame for
 * an attempt that was already requeued is recognised and dropped);
 * pokemon_id is the resource id on the API. A helper finishes the transfers
 * it has and exits 0 when stdin reaches EOF.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SG_TASK_LINE_MAX 64

/* Writes the line (with its '\n') into @buf of SG_TASK_LINE_MAX; returns its length. */
gsize    sg_task_line_format (char    *buf,
                              guint32  task_id,
                              guint    pokemon_id);
/* Parses one line (without or with its '\n'); FALSE on anything malformed. */
gboolean sg_task_line_parse  (const char *line,
                              guint32    *task_id,
                              guint      *pokemon_id);

G_END_DECLS
