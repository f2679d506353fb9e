/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-frame"

#include "config.h"

#include <string.h>

#include "sg-frame.h"
#include "sg-task-line.h"

static const SgFrameType all_types[] = {
  SG_FRAME_HELLO, SG_FRAME_RESULT, SG_FRAME_TASK_ERROR, SG_FRAME_LOG, SG_FRAME_PHASE,
};

/* A header with arbitrary fields, for frames the encoder would never make. */
static void
make_header (guint8  *h,
             guint32  magic,
             guint16  version,
             guint16  type,
             guint32  task_id,
             guint32  meta_len,
             guint32  payload_len,
             guint32  crc)
{
  guint32 v32;
  guint16 v16;

  v32 = GUINT32_TO_LE (magic);       memcpy (h + 0, &v32, 4);
  v16 = GUINT16_TO_LE (version);     memcpy (h + 4, &v16, 2);
  v16 = GUINT16_TO_LE (type);        memcpy (h + 6, &v16, 2);
  v32 = GUINT32_TO_LE (task_id);     memcpy (h + 8, &v32, 4);
  v32 = GUINT32_TO_LE (meta_len);    memcpy (h + 12, &v32, 4);
  v32 = GUINT32_TO_LE (payload_len); memcpy (h + 16, &v32, 4);
  v32 = GUINT32_TO_LE (crc);         memcpy (h + 20, &v32, 4);
}

static GBytes *
encode_str (SgFrameType  type,
            guint32      task_id,
            const char  *meta,
            const void  *payload,
            gsize        payload_len)
{
  return sg_frame_encode (type, task_id, meta, strlen (meta), payload, payload_len);
}

static void
assert_frame (SgFrame     *frame,
              SgFrameType  type,
              guint32      task_id,
              const char  *meta,
              gsize        meta_len,
              const void  *payload,
              gsize        payload_len)
{
  g_assert_nonnull (frame);
  g_assert_cmpint (frame->type, ==, type);
  g_assert_cmpuint (frame->task_id, ==, task_id);
  g_assert_cmpuint (frame->meta_len, ==, meta_len);
  g_assert_cmpmem (frame->meta, frame->meta_len, meta, meta_len);
  g_assert_cmpint (frame->meta[meta_len], ==, '\0');
  g_assert_nonnull (frame->payload);
  g_assert_cmpmem (g_bytes_get_data (frame->payload, NULL), g_bytes_get_size (frame->payload),
                   payload, payload_len);
}

/* Feeds @data whole and expects exactly one error of @code, at once. */
static void
assert_rejected (const void *data,
                 gsize       len,
                 int         code)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(SgFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  sg_frame_decoder_feed (dec, data, len);
  frame = sg_frame_decoder_next (dec, &error);
  g_assert_null (frame);
  g_assert_error (error, SG_FRAME_ERROR, code);
}

static void
test_round_trip (void)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, 3 };
  const char *meta = "{\"kind\":\"http\",\"message\":\"Pok\xc3\xa9mon\"}";

  for (guint i = 0; i < G_N_ELEMENTS (all_types); i++)
    {
      g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
      g_autoptr(GBytes) with_payload = NULL;
      g_autoptr(GBytes) empty_payload = NULL;
      g_autoptr(SgFrame) f1 = NULL;
      g_autoptr(SgFrame) f2 = NULL;
      g_autoptr(SgFrame) f3 = NULL;
      g_autoptr(GError) error = NULL;
      guint32 task_id = i == 0 ? 0 : G_MAXUINT32 - i;

      with_payload = encode_str (all_types[i], task_id, meta, png, sizeof png);
      empty_payload = encode_str (all_types[i], task_id + 1, "{}", NULL, 0);
      g_assert_cmpuint (g_bytes_get_size (with_payload), ==,
                        SG_FRAME_HEADER_SIZE + strlen (meta) + sizeof png);
      g_assert_cmpuint (g_bytes_get_size (empty_payload), ==, SG_FRAME_HEADER_SIZE + 2);

      sg_frame_decoder_feed (dec, g_bytes_get_data (with_payload, NULL),
                             g_bytes_get_size (with_payload));
      f1 = sg_frame_decoder_next (dec, &error);
      g_assert_no_error (error);
      assert_frame (f1, all_types[i], task_id, meta, strlen (meta), png, sizeof png);

      sg_frame_decoder_feed (dec, g_bytes_get_data (empty_payload, NULL),
                             g_bytes_get_size (empty_payload));
      f2 = sg_frame_decoder_next (dec, &error);
      g_assert_no_error (error);
      assert_frame (f2, all_types[i], task_id + 1, "{}", 2, "", 0);

      f3 = sg_frame_decoder_next (dec, &error);
      g_assert_no_error (error);
      g_assert_null (f3);
      g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), ==, 0);
      g_assert_true (sg_frame_decoder_finish (dec, &error));
      g_assert_no_error (error);
    }
}

static void
test_round_trip_max (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SgFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *meta = g_malloc (SG_FRAME_MAX_META);
  g_autofree guint8 *payload = g_malloc (SG_FRAME_MAX_PAYLOAD);

  /* {"x":"aaaa…"} filling the metadata cap exactly. */
  memset (meta, 'a', SG_FRAME_MAX_META);
  memcpy (meta, "{\"x\":\"", 6);
  memcpy (meta + SG_FRAME_MAX_META - 2, "\"}", 2);
  for (gsize i = 0; i < SG_FRAME_MAX_PAYLOAD; i++)
    payload[i] = (guint8) (i * 7 + (i >> 8));

  bytes = sg_frame_encode (SG_FRAME_RESULT, 42, meta, SG_FRAME_MAX_META,
                           payload, SG_FRAME_MAX_PAYLOAD);
  sg_frame_decoder_feed (dec, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  frame = sg_frame_decoder_next (dec, &error);
  g_assert_no_error (error);
  assert_frame (frame, SG_FRAME_RESULT, 42, meta, SG_FRAME_MAX_META,
                payload, SG_FRAME_MAX_PAYLOAD);
  g_assert_true (sg_frame_decoder_finish (dec, &error));
}

static void
test_write_header_matches_encode (void)
{
  static const char payload[] = "payload bytes";
  const char *meta = "{\"pid\":1}";
  g_autoptr(GBytes) bytes = encode_str (SG_FRAME_HELLO, 7, meta, payload, sizeof payload);
  guint8 header[SG_FRAME_HEADER_SIZE];

  sg_frame_write_header (header, SG_FRAME_HELLO, 7, meta, strlen (meta),
                         payload, sizeof payload);
  g_assert_cmpmem (header, sizeof header, g_bytes_get_data (bytes, NULL), SG_FRAME_HEADER_SIZE);
  /* The wire magic reads "SGRF". */
  g_assert_cmpmem (header, 4, "SGRF", 4);
}

static void
test_byte_at_a_time (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GBytes) a = encode_str (SG_FRAME_PHASE, 3, "{\"phase\":\"json\"}", NULL, 0);
  g_autoptr(GBytes) b = encode_str (SG_FRAME_RESULT, 3, "{\"id\":1}", "\x89PNG", 4);
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  guint n_frames = 0;

  g_byte_array_append (stream, g_bytes_get_data (a, NULL), (guint) g_bytes_get_size (a));
  g_byte_array_append (stream, g_bytes_get_data (b, NULL), (guint) g_bytes_get_size (b));

  for (guint i = 0; i < stream->len; i++)
    {
      g_autoptr(SgFrame) frame = NULL;
      g_autoptr(GError) error = NULL;

      sg_frame_decoder_feed (dec, stream->data + i, 1);
      frame = sg_frame_decoder_next (dec, &error);
      g_assert_no_error (error);

      if (i == g_bytes_get_size (a) - 1)
        {
          assert_frame (frame, SG_FRAME_PHASE, 3, "{\"phase\":\"json\"}", 16, "", 0);
          n_frames++;
        }
      else if (i == stream->len - 1)
        {
          assert_frame (frame, SG_FRAME_RESULT, 3, "{\"id\":1}", 8, "\x89PNG", 4);
          n_frames++;
        }
      else
        {
          g_assert_null (frame);
          /* A partial frame is not a complete stream. */
          g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), >, 0);
        }
    }

  g_assert_cmpuint (n_frames, ==, 2);
  g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), ==, 0);
  g_assert_true (sg_frame_decoder_finish (dec, NULL));
}

static void
test_several_in_one_feed (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  SgFrame *frame;
  guint n = 0;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *meta = g_strdup_printf ("{\"i\":%u}", i);
      g_autoptr(GBytes) b = encode_str (all_types[i % G_N_ELEMENTS (all_types)], i,
                                        meta, "0123456789", i);

      g_byte_array_append (stream, g_bytes_get_data (b, NULL), (guint) g_bytes_get_size (b));
    }
  /* And half a frame more, which must stay buffered. */
  g_byte_array_append (stream, stream->data, 10);

  sg_frame_decoder_feed (dec, stream->data, stream->len);
  while ((frame = sg_frame_decoder_next (dec, &error)) != NULL)
    {
      g_autofree char *meta = g_strdup_printf ("{\"i\":%u}", n);

      assert_frame (frame, all_types[n % G_N_ELEMENTS (all_types)], n,
                    meta, strlen (meta), "0123456789", n);
      sg_frame_free (frame);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), ==, 10);
  g_assert_false (sg_frame_decoder_finish (dec, &error));
  g_assert_error (error, SG_FRAME_ERROR, SG_FRAME_ERROR_TRUNCATED);
}

/* Many frames through random-sized chunks: the buffer must not keep the
 * consumed prefix around (memory stays bounded by about one frame plus one
 * chunk), and every frame comes out intact. */
static void
test_long_stream (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  guint8 blob[3000];
  gsize max_frame = 0;
  gsize max_buffered = 0;
  guint n_in = 2000;
  guint n_out = 0;

  for (guint i = 0; i < sizeof blob; i++)
    blob[i] = (guint8) g_rand_int (rand);

  for (guint i = 0; i < n_in; i++)
    {
      g_autofree char *meta = g_strdup_printf ("{\"n\":%u}", i);
      g_autoptr(GBytes) b = encode_str (SG_FRAME_RESULT, i, meta, blob, i % sizeof blob);

      max_frame = MAX (max_frame, g_bytes_get_size (b));
      g_byte_array_append (stream, g_bytes_get_data (b, NULL), (guint) g_bytes_get_size (b));
    }

  for (gsize off = 0; off < stream->len;)
    {
      gsize chunk = MIN ((gsize) g_rand_int_range (rand, 1, 8192), stream->len - off);
      SgFrame *frame;
      g_autoptr(GError) error = NULL;

      sg_frame_decoder_feed (dec, stream->data + off, chunk);
      off += chunk;
      max_buffered = MAX (max_buffered, sg_frame_decoder_get_buffered (dec));

      while ((frame = sg_frame_decoder_next (dec, &error)) != NULL)
        {
          g_autofree char *meta = g_strdup_printf ("{\"n\":%u}", n_out);

          assert_frame (frame, SG_FRAME_RESULT, n_out, meta, strlen (meta),
                        blob, n_out % sizeof blob);
          sg_frame_free (frame);
          n_out++;
        }
      g_assert_no_error (error);
    }

  g_assert_cmpuint (n_out, ==, n_in);
  g_assert_cmpuint (max_buffered, <, max_frame + 8192);
  g_assert_true (sg_frame_decoder_finish (dec, NULL));
}

static void
test_truncated_header (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GBytes) b = encode_str (SG_FRAME_LOG, 0, "{\"message\":\"x\"}", NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgFrame) frame = NULL;

  sg_frame_decoder_feed (dec, g_bytes_get_data (b, NULL), SG_FRAME_HEADER_SIZE - 1);
  frame = sg_frame_decoder_next (dec, &error);
  g_assert_no_error (error);
  g_assert_null (frame);
  g_assert_false (sg_frame_decoder_finish (dec, &error));
  g_assert_error (error, SG_FRAME_ERROR, SG_FRAME_ERROR_TRUNCATED);
}

static void
test_truncated_body (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GBytes) b = encode_str (SG_FRAME_RESULT, 9, "{\"id\":9}", "PNGDATA", 7);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgFrame) frame = NULL;

  sg_frame_decoder_feed (dec, g_bytes_get_data (b, NULL), g_bytes_get_size (b) - 1);
  frame = sg_frame_decoder_next (dec, &error);
  g_assert_no_error (error);
  g_assert_null (frame);
  g_assert_false (sg_frame_decoder_finish (dec, &error));
  g_assert_error (error, SG_FRAME_ERROR, SG_FRAME_ERROR_TRUNCATED);
}

static void
test_empty_stream_finishes (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (sg_frame_decoder_next (dec, &error));
  g_assert_no_error (error);
  g_assert_true (sg_frame_decoder_finish (dec, &error));
  g_assert_no_error (error);
}

static void
test_bad_magic (void)
{
  g_autoptr(GBytes) b = encode_str (SG_FRAME_HELLO, 0, "{}", NULL, 0);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  guint8 header[SG_FRAME_HEADER_SIZE];

  copy[0] = 'X';
  assert_rejected (copy, g_bytes_get_size (b), SG_FRAME_ERROR_BAD_MAGIC);

  /* Text on stdout (a stray printf) is rejected from its first 24 bytes. */
  assert_rejected ("Hello from a confused helper\n", 29, SG_FRAME_ERROR_BAD_MAGIC);

  /* Big-endian magic is not ours either. */
  make_header (header, GUINT32_SWAP_LE_BE (SG_FRAME_MAGIC), 1, 1, 0, 0, 0, 0);
  assert_rejected (header, sizeof header, SG_FRAME_ERROR_BAD_MAGIC);
}

static void
test_bad_version (void)
{
  guint8 header[SG_FRAME_HEADER_SIZE];

  make_header (header, SG_FRAME_MAGIC, 0, SG_FRAME_HELLO, 0, 2, 0, 0);
  assert_rejected (header, sizeof header, SG_FRAME_ERROR_BAD_VERSION);
  make_header (header, SG_FRAME_MAGIC, 2, SG_FRAME_HELLO, 0, 2, 0, 0);
  assert_rejected (header, sizeof header, SG_FRAME_ERROR_BAD_VERSION);
  make_header (header, SG_FRAME_MAGIC, 0xffff, SG_FRAME_HELLO, 0, 2, 0, 0);
  assert_rejected (header, sizeof header, SG_FRAME_ERROR_BAD_VERSION);
}

static void
test_bad_type (void)
{
  const guint16 bad[] = { 0, 6, 0x100, 0xffff };
  guint8 header[SG_FRAME_HEADER_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      make_header (header, SG_FRAME_MAGIC, SG_FRAME_VERSION, bad[i], 0, 2, 0, 0);
      assert_rejected (header, sizeof header, SG_FRAME_ERROR_BAD_TYPE);
    }
}

/* Only the 24 header bytes are fed: the decoder must refuse at once, not
 * wait for (or buffer towards) gigabytes. */
static void
test_oversize_from_header (void)
{
  const struct {
    guint32 meta_len;
    guint32 payload_len;
  } cases[] = {
    { G_MAXUINT32, 0 },
    { SG_FRAME_MAX_META + 1, 0 },
    { 2, G_MAXUINT32 },
    { 2, SG_FRAME_MAX_PAYLOAD + 1 },
    { G_MAXUINT32, G_MAXUINT32 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
      g_autoptr(SgFrame) frame = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;
      guint8 header[SG_FRAME_HEADER_SIZE];

      make_header (header, SG_FRAME_MAGIC, SG_FRAME_VERSION, SG_FRAME_RESULT, 1,
                   cases[i].meta_len, cases[i].payload_len, 0);
      sg_frame_decoder_feed (dec, header, sizeof header);
      frame = sg_frame_decoder_next (dec, &error);
      g_assert_null (frame);
      g_assert_error (error, SG_FRAME_ERROR, SG_FRAME_ERROR_TOO_LARGE);
      g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), <=, SG_FRAME_HEADER_SIZE);

      /* More bytes are not kept. */
      sg_frame_decoder_feed (dec, header, sizeof header);
      g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), <=, SG_FRAME_HEADER_SIZE);
      g_assert_false (sg_frame_decoder_finish (dec, &error2));
      g_assert_error (error2, SG_FRAME_ERROR, SG_FRAME_ERROR_TOO_LARGE);
    }
}

static void
test_crc_mismatch (void)
{
  g_autoptr(GBytes) b = encode_str (SG_FRAME_RESULT, 5, "{\"id\":5}", "\x89PNG....", 8);
  gsize len = g_bytes_get_size (b);
  g_autofree guint8 *copy = NULL;

  /* A flipped bit in the payload, in the metadata, or in the stored CRC. */
  copy = g_memdup2 (g_bytes_get_data (b, NULL), len);
  copy[len - 1] ^= 0x01;
  assert_rejected (copy, len, SG_FRAME_ERROR_BAD_CHECKSUM);
  g_free (copy);

  copy = g_memdup2 (g_bytes_get_data (b, NULL), len);
  copy[SG_FRAME_HEADER_SIZE + 2] ^= 0x20;
  assert_rejected (copy, len, SG_FRAME_ERROR_BAD_CHECKSUM);
  g_free (copy);

  copy = g_memdup2 (g_bytes_get_data (b, NULL), len);
  copy[20] ^= 0x80;
  assert_rejected (copy, len, SG_FRAME_ERROR_BAD_CHECKSUM);
}

static void
test_bad_meta (void)
{
  struct {
    const char *meta;
    gsize len;
  } cases[] = {
    { "", 0 },
    { "not json", 8 },
    { "[1,2,3]", 7 },
    { "\"string\"", 8 },
    { "{\"unterminated\":1", 17 },
    { "{\"bad\":\"\xff\xfe\"}", 13 },       /* invalid UTF-8 */
    { "{\"nul\":\"a\0b\"}", 13 },            /* embedded NUL */
    { "{", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) b = sg_frame_encode (SG_FRAME_LOG, 0, cases[i].meta, cases[i].len,
                                             NULL, 0);

      assert_rejected (g_bytes_get_data (b, NULL), g_bytes_get_size (b),
                       SG_FRAME_ERROR_BAD_METADATA);
    }
}

/* After a violation nothing decodes again, even perfectly valid frames. */
static void
test_stays_failed (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GBytes) good = encode_str (SG_FRAME_HELLO, 0, "{\"pid\":1}", NULL, 0);
  g_autoptr(GError) error = NULL;

  sg_frame_decoder_feed (dec, "garbage garbage garbage garbage", 31);
  g_assert_null (sg_frame_decoder_next (dec, &error));
  g_assert_error (error, SG_FRAME_ERROR, SG_FRAME_ERROR_BAD_MAGIC);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) again = NULL;

      sg_frame_decoder_feed (dec, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
      g_assert_null (sg_frame_decoder_next (dec, &again));
      g_assert_error (again, SG_FRAME_ERROR, SG_FRAME_ERROR_BAD_MAGIC);
      g_assert_cmpuint (sg_frame_decoder_get_buffered (dec), ==, 0);
    }
}

/* A valid frame before a bad one still comes out; the error follows. */
static void
test_good_then_bad (void)
{
  g_autoptr(SgFrameDecoder) dec = sg_frame_decoder_new ();
  g_autoptr(GBytes) good = encode_str (SG_FRAME_HELLO, 0, "{\"pid\":1}", NULL, 0);
  g_autoptr(SgFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  sg_frame_decoder_feed (dec, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  sg_frame_decoder_feed (dec, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24);
  frame = sg_frame_decoder_next (dec, &error);
  g_assert_no_error (error);
  assert_frame (frame, SG_FRAME_HELLO, 0, "{\"pid\":1}", 9, "", 0);
  g_assert_null (sg_frame_decoder_next (dec, &error));
  g_assert_error (error, SG_FRAME_ERROR, SG_FRAME_ERROR_BAD_MAGIC);
}

static void
test_task_line_valid (void)
{
  const struct {
    const char *line;
    guint32 task_id;
    guint pokemon_id;
  } cases[] = {
    { "TASK 1 25\n", 1, 25 },
    { "TASK 1 25", 1, 25 },
    { "TASK 0 1\n", 0, 1 },
    { "TASK 4294967295 4294967295\n", G_MAXUINT32, G_MAXUINT },
    { "TASK 007 0151\n", 7, 151 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint32 task_id = 0xdead;
      guint pokemon_id = 0xbeef;

      g_assert_true (sg_task_line_parse (cases[i].line, &task_id, &pokemon_id));
      g_assert_cmpuint (task_id, ==, cases[i].task_id);
      g_assert_cmpuint (pokemon_id, ==, cases[i].pokemon_id);
    }
}

static void
test_task_line_format (void)
{
  char buf[SG_TASK_LINE_MAX];
  guint32 task_id;
  guint pokemon_id;
  gsize len;

  len = sg_task_line_format (buf, 17, 25);
  g_assert_cmpstr (buf, ==, "TASK 17 25\n");
  g_assert_cmpuint (len, ==, strlen (buf));

  len = sg_task_line_format (buf, G_MAXUINT32, G_MAXUINT);
  g_assert_cmpuint (len, ==, strlen (buf));
  g_assert_cmpint (buf[len - 1], ==, '\n');
  g_assert_true (sg_task_line_parse (buf, &task_id, &pokemon_id));
  g_assert_cmpuint (task_id, ==, G_MAXUINT32);
  g_assert_cmpuint (pokemon_id, ==, G_MAXUINT);
}

static void
assert_line_rejected (const char *line)
{
  guint32 task_id = 0xdead;
  guint pokemon_id = 0xbeef;

  if (sg_task_line_parse (line, &task_id, &pokemon_id))
    g_error ("task line \"%s\" was accepted", line);
  /* Outputs are untouched on failure. */
  g_assert_cmpuint (task_id, ==, 0xdead);
  g_assert_cmpuint (pokemon_id, ==, 0xbeef);
}

static void
test_task_line_garbage (void)
{
  g_autofree char *long_line = NULL;

  assert_line_rejected ("");
  assert_line_rejected ("\n");
  assert_line_rejected ("garbage\n");
  assert_line_rejected ("TASK\n");
  assert_line_rejected ("task 1 2\n");
  assert_line_rejected ("TASKS 1 2\n");
  assert_line_rejected ("TASK 1 2 3\n");
  assert_line_rejected ("TASK  1 2\n");
  assert_line_rejected ("TASK 1  2\n");
  assert_line_rejected (" TASK 1 2\n");
  assert_line_rejected ("TASK 1 2 \n");
  assert_line_rejected ("TASK 1 2\n\n");
  assert_line_rejected ("TASK 1 2\r\n");
  assert_line_rejected ("TASK 0x1 2\n");
  assert_line_rejected ("TASK 1 2a\n");
  assert_line_rejected ("TASK 1\t2\n");
  assert_line_rejected ("TASK 1 \xc3\xa9\n");

  long_line = g_strdup_printf ("TASK 1 %0*d\n", SG_TASK_LINE_MAX, 5);
  assert_line_rejected (long_line);
  assert_line_rejected (NULL);
}

static void
test_task_line_overflow (void)
{
  assert_line_rejected ("TASK 4294967296 1\n");
  assert_line_rejected ("TASK 1 4294967296\n");
  assert_line_rejected ("TASK 99999999999999999999999 1\n");
  assert_line_rejected ("TASK 1 18446744073709551616\n");
}

static void
test_task_line_negative (void)
{
  assert_line_rejected ("TASK -1 2\n");
  assert_line_rejected ("TASK 1 -2\n");
  assert_line_rejected ("TASK +1 2\n");
  assert_line_rejected ("TASK 1 +2\n");
  assert_line_rejected ("TASK 1 0\n");   /* Pokémon ids start at 1 */
}

static void
test_task_line_missing_fields (void)
{
  assert_line_rejected ("TASK 1\n");
  assert_line_rejected ("TASK 1 \n");
  assert_line_rejected ("TASK  2\n");
  assert_line_rejected ("TASK \n");
  assert_line_rejected ("1 2\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame/round-trip", test_round_trip);
  g_test_add_func ("/frame/round-trip-max", test_round_trip_max);
  g_test_add_func ("/frame/write-header", test_write_header_matches_encode);
  g_test_add_func ("/frame/byte-at-a-time", test_byte_at_a_time);
  g_test_add_func ("/frame/several-in-one-feed", test_several_in_one_feed);
  g_test_add_func ("/frame/long-stream", test_long_stream);
  g_test_add_func ("/frame/truncated-header", test_truncated_header);
  g_test_add_func ("/frame/truncated-body", test_truncated_body);
  g_test_add_func ("/frame/empty-stream", test_empty_stream_finishes);
  g_test_add_func ("/frame/bad-magic", test_bad_magic);
  g_test_add_func ("/frame/bad-version", test_bad_version);
  g_test_add_func ("/frame/unknown-type", test_bad_type);
  g_test_add_func ("/frame/oversize-from-header", test_oversize_from_header);
  g_test_add_func ("/frame/crc-mismatch", test_crc_mismatch);
  g_test_add_func ("/frame/bad-metadata", test_bad_meta);
  g_test_add_func ("/frame/stays-failed", test_stays_failed);
  g_test_add_func ("/frame/good-then-bad", test_good_then_bad);
  g_test_add_func ("/task-line/valid", test_task_line_valid);
  g_test_add_func ("/task-line/format", test_task_line_format);
  g_test_add_func ("/task-line/garbage", test_task_line_garbage);
  g_test_add_func ("/task-line/overflow", test_task_line_overflow);
  g_test_add_func ("/task-line/negative", test_task_line_negative);
  g_test_add_func ("/task-line/missing-fields", test_task_line_missing_fields);

  return g_test_run ();
}
