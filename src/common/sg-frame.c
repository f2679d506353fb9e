/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-frame"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <zlib.h>

#include "sg-frame.h"

G_DEFINE_QUARK (sg-frame-error-quark, sg_frame_error)

struct _SgFrameDecoder {
  /* Bytes fed but not yet consumed start at buffer->data + pos. Frames are
   * consumed by moving pos forward; the consumed prefix is dropped only when
   * it is at least as large as what is left, so every byte is moved at most
   * a bounded number of times however big the stream (no O(n²) memmove). */
  GByteArray *buffer;
  gsize       pos;
  GError     *error;   /* set once: the decoder stays failed */
};

typedef struct {
  guint32 magic;
  guint16 version;
  guint16 type;
  guint32 task_id;
  guint32 meta_len;
  guint32 payload_len;
  guint32 crc;
} SgFrameHeader;

static inline void
put_le16 (guint8 *p, guint16 v)
{
  v = GUINT16_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static inline void
put_le32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static inline guint16
get_le16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, sizeof v);
  return GUINT16_FROM_LE (v);
}

static inline guint32
get_le32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

/* CRC-32 (zlib) of meta followed by payload; zlib takes uInt lengths, so
 * feed it in pieces that always fit. */
static guint32
frame_crc (const void *meta,
           gsize       meta_len,
           const void *payload,
           gsize       payload_len)
{
  const guint8 *parts[2] = { meta, payload };
  gsize lens[2] = { meta_len, payload_len };
  uLong crc = crc32 (0L, Z_NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      const guint8 *p = parts[i];
      gsize left = lens[i];

      while (left > 0)
        {
          uInt chunk = (uInt) MIN (left, (gsize) G_MAXUINT32 / 2);

          crc = crc32 (crc, p, chunk);
          p += chunk;
          left -= chunk;
        }
    }

  return (guint32) crc;
}

static gboolean
type_is_known (guint type)
{
  switch (type)
    {
    case SG_FRAME_HELLO:
    case SG_FRAME_RESULT:
    case SG_FRAME_TASK_ERROR:
    case SG_FRAME_LOG:
    case SG_FRAME_PHASE:
      return TRUE;
    default:
      return FALSE;
    }
}

void
sg_frame_free (SgFrame *frame)
{
  if (frame == NULL)
    return;

  g_free (frame->meta);
  g_clear_pointer (&frame->payload, g_bytes_unref);
  g_free (frame);
}

void
sg_frame_write_header (guint8      *header,
                       SgFrameType  type,
                       guint32      task_id,
                       const char  *meta,
                       gsize        meta_len,
                       const void  *payload,
                       gsize        payload_len)
{
  g_return_if_fail (header != NULL);
  g_return_if_fail (meta != NULL || meta_len == 0);
  g_return_if_fail (payload != NULL || payload_len == 0);
  g_return_if_fail (meta_len <= G_MAXUINT32 && payload_len <= G_MAXUINT32);

  put_le32 (header + 0, SG_FRAME_MAGIC);
  put_le16 (header + 4, SG_FRAME_VERSION);
  put_le16 (header + 6, (guint16) type);
  put_le32 (header + 8, task_id);
  put_le32 (header + 12, (guint32) meta_len);
  put_le32 (header + 16, (guint32) payload_len);
  put_le32 (header + 20, frame_crc (meta, meta_len, payload, payload_len));
}

GBytes *
sg_frame_encode (SgFrameType  type,
                 guint32      task_id,
                 const char  *meta,
                 gsize        meta_len,
                 const void  *payload,
                 gsize        payload_len)
{
  guint8 *buf;
  gsize total;

  g_return_val_if_fail (meta != NULL || meta_len == 0, NULL);
  g_return_val_if_fail (payload != NULL || payload_len == 0, NULL);
  g_return_val_if_fail (meta_len <= G_MAXUINT32 && payload_len <= G_MAXUINT32, NULL);

  total = SG_FRAME_HEADER_SIZE + meta_len + payload_len;
  buf = g_malloc (total);
  sg_frame_write_header (buf, type, task_id, meta, meta_len, payload, payload_len);
  if (meta_len > 0)
    memcpy (buf + SG_FRAME_HEADER_SIZE, meta, meta_len);
  if (payload_len > 0)
    memcpy (buf + SG_FRAME_HEADER_SIZE + meta_len, payload, payload_len);

  return g_bytes_new_take (buf, total);
}

SgFrameDecoder *
sg_frame_decoder_new (void)
{
  SgFrameDecoder *self = g_new0 (SgFrameDecoder, 1);

  self->buffer = g_byte_array_new ();
  return self;
}

void
sg_frame_decoder_free (SgFrameDecoder *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->buffer);
  g_clear_error (&self->error);
  g_free (self);
}

gsize
sg_frame_decoder_get_buffered (SgFrameDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->buffer->len - self->pos;
}

void
sg_frame_decoder_feed (SgFrameDecoder *self,
                       const void     *data,
                       gsize           len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  /* A failed decoder never produces another frame: keep nothing. */
  if (self->error != NULL || len == 0)
    return;

  if (self->pos > 0)
    {
      gsize left = self->buffer->len - self->pos;

      if (left == 0)
        {
          g_byte_array_set_size (self->buffer, 0);
          self->pos = 0;
        }
      else if (self->pos >= left)
        {
          g_byte_array_remove_range (self->buffer, 0, (guint) self->pos);
          self->pos = 0;
        }
    }

  /* GByteArray lengths are guint; a caller that feeds without pulling frames
   * could in theory overflow it, which is a protocol violation anyway. */
  if (len > G_MAXUINT - self->buffer->len)
    {
      g_set_error_literal (&self->error, SG_FRAME_ERROR, SG_FRAME_ERROR_TOO_LARGE,
                           _("Too much unconsumed frame data buffered"));
      g_byte_array_set_size (self->buffer, 0);
      self->pos = 0;
      return;
    }

  g_byte_array_append (self->buffer, data, (guint) len);
}

static SgFrame *
fail (SgFrameDecoder  *self,
      GError         **error,
      SgFrameError     code,
      const char      *format,
      ...) G_GNUC_PRINTF (4, 5);

static SgFrame *
fail (SgFrameDecoder  *self,
      GError         **error,
      SgFrameError     code,
      const char      *format,
      ...)
{
  va_list args;

  va_start (args, format);
  self->error = g_error_new_valist (SG_FRAME_ERROR, code, format, args);
  va_end (args);

  /* Drop what is buffered: nothing more will ever be decoded from it. */
  g_byte_array_set_size (self->buffer, 0);
  self->pos = 0;

  if (error != NULL)
    *error = g_error_copy (self->error);
  return NULL;
}

static void
parse_header (const guint8  *p,
              SgFrameHeader *h)
{
  h->magic = get_le32 (p + 0);
  h->version = get_le16 (p + 4);
  h->type = get_le16 (p + 6);
  h->task_id = get_le32 (p + 8);
  h->meta_len = get_le32 (p + 12);
  h->payload_len = get_le32 (p + 16);
  h->crc = get_le32 (p + 20);
}

/* Cheap check that @meta is JSON object text: valid UTF-8 without NULs,
 * '{' first and '}' last (ignoring JSON whitespace). Full parsing is left to
 * the reader, which needs a JsonParser anyway. */
static gboolean
meta_looks_like_object (const char *meta,
                        gsize       len)
{
  gsize start = 0;
  gsize end = len;

  if (len == 0 || !g_utf8_validate_len (meta, len, NULL))
    return FALSE;

  while (start < end && strchr (" \t\r\n", meta[start]) != NULL)
    start++;
  while (end > start && strchr (" \t\r\n", meta[end - 1]) != NULL)
    end--;

  return end - start >= 2 && meta[start] == '{' && meta[end - 1] == '}';
}

SgFrame *
sg_frame_decoder_next (SgFrameDecoder  *self,
                       GError         **error)
{
  g_autoptr(SgFrame) frame = NULL;
  SgFrameHeader h;
  const guint8 *p;
  const char *meta;
  const guint8 *payload;
  gsize avail;
  gsize total;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return NULL;
    }

  avail = self->buffer->len - self->pos;
  if (avail < SG_FRAME_HEADER_SIZE)
    return NULL;

  /* Everything the header alone can tell is checked before waiting for (or
   * buffering) the body: a bogus length never makes us wait for 4 GiB. */
  p = self->buffer->data + self->pos;
  parse_header (p, &h);

  if (h.magic != SG_FRAME_MAGIC)
    return fail (self, error, SG_FRAME_ERROR_BAD_MAGIC,
                 _("Bad frame magic 0x%08x"), h.magic);
  if (h.version != SG_FRAME_VERSION)
    return fail (self, error, SG_FRAME_ERROR_BAD_VERSION,
                 _("Unsupported frame version %u"), (guint) h.version);
  if (!type_is_known (h.type))
    return fail (self, error, SG_FRAME_ERROR_BAD_TYPE,
                 _("Unknown frame type %u"), (guint) h.type);
  if (h.meta_len > SG_FRAME_MAX_META)
    return fail (self, error, SG_FRAME_ERROR_TOO_LARGE,
                 _("Frame metadata of %u bytes exceeds the limit of %u"),
                 h.meta_len, (guint) SG_FRAME_MAX_META);
  if (h.payload_len > SG_FRAME_MAX_PAYLOAD)
    return fail (self, error, SG_FRAME_ERROR_TOO_LARGE,
                 _("Frame payload of %u bytes exceeds the limit of %u"),
                 h.payload_len, (guint) SG_FRAME_MAX_PAYLOAD);

  total = SG_FRAME_HEADER_SIZE + (gsize) h.meta_len + (gsize) h.payload_len;
  if (avail < total)
    return NULL;

  meta = (const char *) p + SG_FRAME_HEADER_SIZE;
  payload = p + SG_FRAME_HEADER_SIZE + h.meta_len;

  if (frame_crc (meta, h.meta_len, payload, h.payload_len) != h.crc)
    return fail (self, error, SG_FRAME_ERROR_BAD_CHECKSUM,
                 _("Frame checksum mismatch (type %u, task %u)"),
                 (guint) h.type, h.task_id);
  if (!meta_looks_like_object (meta, h.meta_len))
    return fail (self, error, SG_FRAME_ERROR_BAD_METADATA,
                 _("Frame metadata is not a UTF-8 JSON object (type %u, task %u)"),
                 (guint) h.type, h.task_id);

  frame = g_new0 (SgFrame, 1);
  frame->type = (SgFrameType) h.type;
  frame->task_id = h.task_id;
  frame->meta = g_strndup (meta, h.meta_len);
  frame->meta_len = h.meta_len;
  frame->payload = g_bytes_new (payload, h.payload_len);

  self->pos += total;
  if (self->pos == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->pos = 0;
    }

  return g_steal_pointer (&frame);
}

gboolean
sg_frame_decoder_finish (SgFrameDecoder  *self,
                         GError         **error)
{
  gsize left;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }

  left = self->buffer->len - self->pos;
  if (left > 0)
    {
      /* A plain %lu: a format macro would hide the string from xgettext. (This
       * comment is not above the string's own line, so translators do not see it.) */
      fail (self, error, SG_FRAME_ERROR_TRUNCATED,
            _("Stream ended inside a frame (%lu bytes left over)"), (unsigned long) left);
      return FALSE;
    }

  return TRUE;
}
