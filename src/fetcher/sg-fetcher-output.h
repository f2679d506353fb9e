/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Framed writes to the pool. stdout belongs to the protocol alone: at start
 * the real stdout is moved to a private descriptor and fd 1 is pointed at
 * stderr, so a stray printf() in any library can never corrupt a frame.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sg-frame.h"

G_BEGIN_DECLS

/* Takes over stdout; call once, before anything could print. */
void sg_fetcher_output_init  (void);

/* Writes one frame with a single writev() (header, meta, payload: no copy
 * of the payload). If the pool has gone (EPIPE) the helper exits quietly
 * with status 0; other write errors exit with status 1. */
void sg_fetcher_output_frame (SgFrameType  type,
                              guint32      task_id,
                              const char  *meta,
                              gsize        meta_len,
                              const void  *payload,
                              gsize        payload_len);

/* Serialises @meta (a JSON object) and writes it as one frame. Returns
 * FALSE, writing nothing, when the metadata would exceed SG_FRAME_MAX_META. */
gboolean sg_fetcher_output_object (SgFrameType  type,
                                   guint32      task_id,
                                   JsonObject  *meta,
                                   const void  *payload,
                                   gsize        payload_len);

void sg_fetcher_output_phase (guint32      task_id,
                              const char  *phase);

/* A LOG frame {"level", "message"} for the pool's log; also on stderr. */
void sg_fetcher_output_log   (const char  *level,
                              const char  *format,
                              ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
