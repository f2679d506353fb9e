/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How sprite-gallery-dl names and writes files: DIR/NNN-name.png, written
 * to a temporary name and renamed, so an interrupted run never leaves a
 * partial sprite behind.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "025-pikachu.png". The name comes from the network: only [a-z0-9-] of it
 * is kept (at most 40 characters), so it can never steer the path. */
char     *sg_dl_file_name  (guint        id,
                            const char  *name);
gboolean  sg_dl_write_file (const char  *dir,
                            guint        id,
                            const char  *name,
                            GBytes      *png,
                            GError     **error);

G_END_DECLS
