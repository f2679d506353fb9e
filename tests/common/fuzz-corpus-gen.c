/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes the seed corpus of fuzz-frame into a directory:
 *   fuzz-corpus-gen DIR
 * The seeds are committed in fuzz-corpus/; this program documents how they
 * were made and regenerates them after a protocol change. Each seed is one
 * chunking byte followed by a stream (see fuzz-frame.c).
 */
#define G_LOG_DOMAIN "fuzz-corpus-gen"

#include "config.h"

#include <string.h>

#include "sg-frame.h"

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 96, 0, 0, 0, 96, 8, 6, 0, 0, 0,
};

static GByteArray *
seed_new (guint8 chunking)
{
  GByteArray *seed = g_byte_array_new ();

  g_byte_array_append (seed, &chunking, 1);
  return seed;
}

static void
append_frame (GByteArray  *seed,
              SgFrameType  type,
              guint32      task_id,
              const char  *meta,
              const void  *payload,
              gsize        payload_len)
{
  g_autoptr(GBytes) b = sg_frame_encode (type, task_id, meta, strlen (meta), payload, payload_len);

  g_byte_array_append (seed, g_bytes_get_data (b, NULL), (guint) g_bytes_get_size (b));
}

static void
save (const char *dir,
      const char *name,
      GByteArray *seed)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) seed->data, seed->len, &error))
    g_error ("%s", error->message);
  g_byte_array_unref (seed);
}

static void
put_u32 (GByteArray *seed,
         gsize       offset,
         guint32     v)
{
  v = GUINT32_TO_LE (v);
  memcpy (seed->data + offset, &v, 4);
}

static void
put_u16 (GByteArray *seed,
         gsize       offset,
         guint16     v)
{
  v = GUINT16_TO_LE (v);
  memcpy (seed->data + offset, &v, 2);
}

int
main (int   argc,
      char *argv[])
{
  const char *result_meta =
    "{\"id\":25,\"name\":\"pikachu\",\"types\":[\"electric\"],\"height\":4,\"weight\":60,"
    "\"stats\":{\"hp\":35},\"sprites\":{\"front_default\":\"http://127.0.0.1/s/25.png\","
    "\"back_default\":null,\"front_shiny\":null,\"back_shiny\":null},"
    "\"json_bytes\":230000,\"png_bytes\":29,\"json_ms\":1.5,\"parse_ms\":8.0,\"sprite_ms\":0.7}";
  const char *error_meta =
    "{\"kind\":\"http\",\"message\":\"HTTP 503\",\"retryable\":true,\"status\":503,"
    "\"retry_after_ms\":1000,\"url\":\"http://127.0.0.1/api/v2/pokemon/14/\"}";
  GByteArray *seed;
  const char *dir;

  if (argc != 2)
    {
      g_printerr ("Usage: %s DIR\n", argv[0]);
      return 2;
    }
  dir = argv[1];
  g_mkdir_with_parents (dir, 0755);

  seed = seed_new (0);
  append_frame (seed, SG_FRAME_HELLO, 0, "{\"pid\":1234,\"version\":1,\"in_flight\":4,\"curl\":\"7.88.1\"}", NULL, 0);
  save (dir, "valid-hello", seed);

  seed = seed_new (0x81);  /* CRCs fixed up: mutations reach the metadata checks */
  append_frame (seed, SG_FRAME_RESULT, 7, result_meta, tiny_png, sizeof tiny_png);
  save (dir, "valid-result", seed);

  seed = seed_new (2);
  append_frame (seed, SG_FRAME_TASK_ERROR, 8, error_meta, NULL, 0);
  save (dir, "valid-task-error", seed);

  seed = seed_new (3);
  append_frame (seed, SG_FRAME_LOG, 0, "{\"level\":\"warning\",\"message\":\"Malformed task line\"}", NULL, 0);
  save (dir, "valid-log", seed);

  /* A whole session: HELLO, phases, a result, an error. */
  seed = seed_new (0xcd);
  append_frame (seed, SG_FRAME_HELLO, 0, "{\"pid\":1,\"version\":1,\"in_flight\":2,\"curl\":\"7.88.1\"}", NULL, 0);
  append_frame (seed, SG_FRAME_PHASE, 1, "{\"phase\":\"json\"}", NULL, 0);
  append_frame (seed, SG_FRAME_PHASE, 2, "{\"phase\":\"json\"}", NULL, 0);
  append_frame (seed, SG_FRAME_PHASE, 1, "{\"phase\":\"parse\"}", NULL, 0);
  append_frame (seed, SG_FRAME_PHASE, 1, "{\"phase\":\"sprite\"}", NULL, 0);
  append_frame (seed, SG_FRAME_RESULT, 1, result_meta, tiny_png, sizeof tiny_png);
  append_frame (seed, SG_FRAME_TASK_ERROR, 2, error_meta, NULL, 0);
  save (dir, "session", seed);

  /* Truncated in the body. */
  seed = seed_new (5);
  append_frame (seed, SG_FRAME_RESULT, 7, result_meta, tiny_png, sizeof tiny_png);
  g_byte_array_set_size (seed, seed->len - 5);
  save (dir, "truncated-body", seed);

  seed = seed_new (6);
  append_frame (seed, SG_FRAME_HELLO, 0, "{\"pid\":1}", NULL, 0);
  g_byte_array_set_size (seed, 1 + 13);
  save (dir, "truncated-header", seed);

  seed = seed_new (7);
  append_frame (seed, SG_FRAME_HELLO, 0, "{\"pid\":1}", NULL, 0);
  seed->data[1] = 'X';
  save (dir, "bad-magic", seed);

  seed = seed_new (8);
  append_frame (seed, SG_FRAME_HELLO, 0, "{\"pid\":1}", NULL, 0);
  put_u16 (seed, 1 + 4, 2);
  save (dir, "bad-version", seed);

  seed = seed_new (9);
  append_frame (seed, SG_FRAME_HELLO, 0, "{\"pid\":1}", NULL, 0);
  put_u16 (seed, 1 + 6, 99);
  save (dir, "bad-type", seed);

  seed = seed_new (10);
  append_frame (seed, SG_FRAME_RESULT, 1, "{}", NULL, 0);
  put_u32 (seed, 1 + 12, G_MAXUINT32);
  save (dir, "oversize-meta", seed);

  seed = seed_new (11);
  append_frame (seed, SG_FRAME_RESULT, 1, "{}", NULL, 0);
  put_u32 (seed, 1 + 16, SG_FRAME_MAX_PAYLOAD + 1);
  save (dir, "oversize-payload", seed);

  seed = seed_new (12);
  append_frame (seed, SG_FRAME_RESULT, 1, result_meta, tiny_png, sizeof tiny_png);
  seed->data[seed->len - 1] ^= 0xff;
  save (dir, "bad-crc", seed);

  seed = seed_new (0x8d);
  append_frame (seed, SG_FRAME_LOG, 0, "[\"not an object\"]", NULL, 0);
  save (dir, "bad-meta-array", seed);

  seed = seed_new (14);
  append_frame (seed, SG_FRAME_LOG, 0, "{\"bad\":\"\xff\"}", NULL, 0);
  save (dir, "bad-meta-utf8", seed);

  seed = seed_new (15);
  g_byte_array_append (seed, (const guint8 *) "Traceback (most recent call last):\n", 35);
  save (dir, "text-garbage", seed);

  /* A good frame, then garbage. */
  seed = seed_new (16);
  append_frame (seed, SG_FRAME_PHASE, 3, "{\"phase\":\"sprite\"}", NULL, 0);
  g_byte_array_append (seed, (const guint8 *) "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24);
  save (dir, "good-then-zeros", seed);

  return 0;
}
