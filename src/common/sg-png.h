/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A cheap first check that bytes are a PNG: the signature, then an IHDR
 * chunk with sane dimensions. The GUI decodes the image itself; this only
 * keeps obvious non-PNGs out of the pipe, the pool and the cache.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SG_PNG_MAX_SIDE 4096

/* TRUE when @data starts like a PNG; otherwise FALSE with a G_FILE_ERROR_INVAL
 * (English detail for logs) when @error is not NULL. */
gboolean sg_png_check_header (const guint8  *data,
                              gsize          len,
                              GError       **error);

/* TRUE when @data ends with the IEND chunk every PNG ends with: a file that
 * was cut short (written without fsync, then a crash) does not. */
gboolean sg_png_check_complete (const guint8 *data,
                                gsize         len);

G_END_DECLS
