/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pipe protocol between the pool and sprite-gallery-fetcher.
 *
 * Tasks go down the helper's stdin as text lines (see sg-task-line.h);
 * results come back on stdout as binary frames:
 *
 *   offset size  field (all little-endian)
 *   0      4     magic        SG_FRAME_MAGIC ("SGRF" on the wire)
 *   4      2     version      SG_FRAME_VERSION
 *   6      2     type         SgFrameType
 *   8      4     task_id      0 for frames not about a task (HELLO, LOG)
 *   12     4     meta_len     bytes of UTF-8 JSON metadata, <= SG_FRAME_MAX_META
 *   16     4     payload_len  bytes of raw payload (PNG), <= SG_FRAME_MAX_PAYLOAD
 *   20     4     crc32        zlib CRC-32 of metadata followed by payload
 *   24     ...   metadata, then payload
 *
 * The decoder checks magic, version, type and both length caps as soon as
 * the 24 header bytes are in, before it waits for or allocates a body, so a
 * hostile or broken helper cannot make the pool allocate more than the caps.
 * Any violation is final: the reader kills that helper, it never tries to
 * resynchronise.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SG_FRAME_MAGIC        0x46524753u /* 'S' 'G' 'R' 'F' read as LE u32 */
#define SG_FRAME_VERSION      1
#define SG_FRAME_HEADER_SIZE  24
#define SG_FRAME_MAX_META     (64 * 1024)
#define SG_FRAME_MAX_PAYLOAD  (2 * 1024 * 1024)

typedef enum {
  SG_FRAME_HELLO      = 1, /* meta: {"pid", "version", "in_flight", "curl"} */
  SG_FRAME_RESULT     = 2, /* meta: sprite metadata and timings; payload: PNG */
  SG_FRAME_TASK_ERROR = 3, /* meta: {"kind", "message", "retryable", ...} */
  SG_FRAME_LOG        = 4, /* meta: {"level", "message"} */
  SG_FRAME_PHASE      = 5, /* meta: {"phase": "json"|"parse"|"sprite"} a task entered a phase */
} SgFrameType;

#define SG_FRAME_ERROR (sg_frame_error_quark ())

typedef enum {
  SG_FRAME_ERROR_BAD_MAGIC,
  SG_FRAME_ERROR_BAD_VERSION,
  SG_FRAME_ERROR_BAD_TYPE,
  SG_FRAME_ERROR_TOO_LARGE,
  SG_FRAME_ERROR_BAD_CHECKSUM,
  SG_FRAME_ERROR_BAD_METADATA,
  SG_FRAME_ERROR_TRUNCATED,
} SgFrameError;

GQuark sg_frame_error_quark (void);

typedef struct {
  SgFrameType type;
  guint32     task_id;
  char       *meta;      /* NUL-terminated copy, meta_len bytes before the NUL */
  gsize       meta_len;
  GBytes     *payload;   /* never NULL; may be empty */
} SgFrame;

void     sg_frame_free   (SgFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgFrame, sg_frame_free)

/* Encodes one frame (header + meta + payload) into a new buffer. */
GBytes  *sg_frame_encode (SgFrameType   type,
                          guint32       task_id,
                          const char   *meta,
                          gsize         meta_len,
                          const void   *payload,
                          gsize         payload_len);

/* Writes the SG_FRAME_HEADER_SIZE header bytes for that frame into @header,
 * CRC included, so a writer can send header, meta and payload with one
 * writev() and no copy of the payload. Neither function enforces the caps:
 * that is the decoder's job (and lets tests build hostile frames). */
void     sg_frame_write_header (guint8       *header,
                                SgFrameType   type,
                                guint32       task_id,
                                const char   *meta,
                                gsize         meta_len,
                                const void   *payload,
                                gsize         payload_len);

/* Incremental decoder: feed it whatever a read returned, then pull frames. */
typedef struct _SgFrameDecoder SgFrameDecoder;

SgFrameDecoder *sg_frame_decoder_new          (void);
void            sg_frame_decoder_free         (SgFrameDecoder *self);
void            sg_frame_decoder_feed         (SgFrameDecoder *self,
                                               const void     *data,
                                               gsize           len);
/* Returns the next complete frame, or NULL: with @error unset when more bytes
 * are needed, with @error set on a protocol violation (after which the
 * decoder stays failed). */
SgFrame        *sg_frame_decoder_next         (SgFrameDecoder *self,
                                               GError        **error);
/* At EOF: FALSE with SG_FRAME_ERROR_TRUNCATED when a partial frame is buffered. */
gboolean        sg_frame_decoder_finish       (SgFrameDecoder *self,
                                               GError        **error);
gsize           sg_frame_decoder_get_buffered (SgFrameDecoder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgFrameDecoder, sg_frame_decoder_free)

G_END_DECLS
