/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fetches one sprite variant (back, shiny…) for the sprite page, on
 * demand: a single libcurl transfer in a worker thread, so the main loop
 * never waits. The URL comes from the network, so: http and https only,
 * also on redirects (at most 3), at most 1 MiB, a 20 s deadline, and the
 * bytes are only ever decoded (GdkTexture), never written to a file.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SG_VARIANT_MAX_BYTES (1024 * 1024)

#define SG_VARIANT_ERROR (sg_variant_error_quark ())

typedef enum {
  SG_VARIANT_ERROR_BAD_URL,    /* not an http(s) URL */
  SG_VARIANT_ERROR_TRANSFER,   /* network, HTTP status, size or time limit */
} SgVariantError;

GQuark  sg_variant_error_quark  (void);

void    sg_variant_load_async   (const char           *url,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
/* The body (e.g. PNG bytes), or NULL and an error. */
GBytes *sg_variant_load_finish  (GAsyncResult         *result,
                                 GError              **error);

G_END_DECLS
