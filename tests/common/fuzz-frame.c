/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the frame decoder.
 *
 * Input layout: byte 0 seeds the chunking, the rest is the byte stream a
 * helper might write. When bit 7 of byte 0 is set, the CRC of every
 * complete frame in the stream is fixed up first, so that mutations reach
 * the checks behind the CRC (metadata) instead of all dying at it. The stream is fed in pseudo-random chunk sizes and
 * frames are pulled after every feed, as the pool's reader does. Checked
 * invariants:
 *  - every frame is within the caps, of a known type, with NUL-terminated
 *    UTF-8 JSON-object-looking metadata and a non-NULL payload;
 *  - re-encoding a frame gives back exactly the bytes it was decoded from
 *    (the decoder neither skips nor invents bytes);
 *  - the decoder never buffers more than was fed and not yet returned;
 *  - once failed it stays failed, and finish() agrees with what was seen.
 */
#define G_LOG_DOMAIN "fuzz-frame"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sg-frame.h"
#include "fuzz-frame.h"

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    {
      g_printerr ("fuzz-frame invariant broken: %s\n", what);
      abort ();
    }
}

/* Rewrites the crc32 field of each whole, in-cap frame of @buf. */
static void
fix_crcs (guint8 *buf,
          gsize   len)
{
  gsize off = 0;

  while (len - off >= SG_FRAME_HEADER_SIZE)
    {
      guint32 meta_len;
      guint32 payload_len;
      guint32 crc;

      memcpy (&meta_len, buf + off + 12, 4);
      memcpy (&payload_len, buf + off + 16, 4);
      meta_len = GUINT32_FROM_LE (meta_len);
      payload_len = GUINT32_FROM_LE (payload_len);
      if (meta_len > SG_FRAME_MAX_META || payload_len > SG_FRAME_MAX_PAYLOAD ||
          len - off - SG_FRAME_HEADER_SIZE < (gsize) meta_len + payload_len)
        break;

      crc = (guint32) crc32 (0L, buf + off + SG_FRAME_HEADER_SIZE, meta_len + payload_len);
      crc = GUINT32_TO_LE (crc);
      memcpy (buf + off + 20, &crc, 4);
      off += SG_FRAME_HEADER_SIZE + meta_len + payload_len;
    }
}

static void
check_frame (const SgFrame *frame,
             const guint8  *consumed,
             gsize          consumed_len)
{
  g_autoptr(GBytes) again = NULL;
  gsize payload_len;

  check (frame->meta != NULL, "meta is set");
  check (frame->payload != NULL, "payload is set");
  check (frame->meta_len <= SG_FRAME_MAX_META, "meta within cap");
  payload_len = g_bytes_get_size (frame->payload);
  check (payload_len <= SG_FRAME_MAX_PAYLOAD, "payload within cap");
  check (frame->meta[frame->meta_len] == '\0', "meta NUL-terminated");
  check (strlen (frame->meta) == frame->meta_len, "no NUL inside meta");
  check (g_utf8_validate (frame->meta, (gssize) frame->meta_len, NULL), "meta is UTF-8");
  check (frame->meta_len >= 2, "meta looks like an object");
  check (frame->type >= SG_FRAME_HELLO && frame->type <= SG_FRAME_PHASE, "known type");

  again = sg_frame_encode (frame->type, frame->task_id, frame->meta, frame->meta_len,
                           g_bytes_get_data (frame->payload, NULL), payload_len);
  check (g_bytes_get_size (again) == consumed_len, "frame size matches consumed bytes");
  check (memcmp (g_bytes_get_data (again, NULL), consumed, consumed_len) == 0,
         "re-encoded frame matches consumed bytes");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SgFrameDecoder) dec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *fixed = NULL;
  const guint8 *stream;
  gsize stream_len;
  gsize fed = 0;
  gsize consumed = 0;
  guint32 rng;
  gboolean failed = FALSE;
  gboolean finished;

  if (size == 0)
    return 0;

  rng = data[0] * 2654435761u + 1;
  stream = data + 1;
  stream_len = size - 1;
  if ((data[0] & 0x80) != 0 && stream_len > 0)
    {
      fixed = g_memdup2 (stream, stream_len);
      fix_crcs (fixed, stream_len);
      stream = fixed;
    }
  dec = sg_frame_decoder_new ();

  while (fed < stream_len)
    {
      gsize chunk;

      /* Small LCG: chunks of 1..256 bytes, deterministic for the input. */
      rng = rng * 1103515245u + 12345u;
      chunk = MIN ((gsize) ((rng >> 16) % 256) + 1, stream_len - fed);
      sg_frame_decoder_feed (dec, stream + fed, chunk);
      fed += chunk;

      for (;;)
        {
          g_autoptr(SgFrame) frame = NULL;
          g_autoptr(GError) local_error = NULL;

          frame = sg_frame_decoder_next (dec, &local_error);
          if (frame != NULL)
            {
              gsize len = SG_FRAME_HEADER_SIZE + frame->meta_len +
                          g_bytes_get_size (frame->payload);

              check (!failed, "no frame after a failure");
              check (local_error == NULL, "no error with a frame");
              check (consumed + len <= fed, "frame made of fed bytes");
              check_frame (frame, stream + consumed, len);
              consumed += len;
              continue;
            }

          if (local_error != NULL)
            {
              check (local_error->domain == SG_FRAME_ERROR, "error in the frame domain");
              check (local_error->message != NULL, "error has a message");
              failed = TRUE;
              check (sg_frame_decoder_get_buffered (dec) == 0, "failed decoder keeps nothing");
            }
          break;
        }

      if (!failed)
        check (sg_frame_decoder_get_buffered (dec) == fed - consumed,
               "buffered == fed - consumed");
    }

  finished = sg_frame_decoder_finish (dec, &error);
  if (failed)
    check (!finished && error != NULL, "finish fails after a failure");
  else if (consumed == stream_len)
    check (finished && error == NULL, "finish succeeds on a clean end");
  else
    check (!finished && g_error_matches (error, SG_FRAME_ERROR, SG_FRAME_ERROR_TRUNCATED),
           "finish reports truncation");

  return 0;
}
