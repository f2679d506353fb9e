/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mock-test-util"

#include "config.h"

#include <cairo.h>
#include <string.h>

#include "mock-test-util.h"
#include "sg-mock-api.h"
/* A server thread ---------------------------------------------------------- */

static gpointer
mt_server_thread (gpointer data)
{
  MtServer *s = data;

  g_main_context_push_thread_default (s->context);

  g_mutex_lock (&s->lock);
  if (sg_mock_api_listen (s->api, 0, &s->error))
    s->base_url = g_strdup (sg_mock_api_get_base_url (s->api));
  s->ready = TRUE;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);

  if (s->base_url != NULL)
    g_main_loop_run (s->loop);

  s->n_requests = sg_mock_api_get_n_requests (s->api);
  g_assert_finalize_object (g_steal_pointer (&s->api));
  /* Let cancelled loads and closed connections report back. */
  while (g_main_context_iteration (s->context, FALSE))
    ;

  g_main_context_pop_thread_default (s->context);
  return NULL;
}

MtServer *
mt_server_start (SgMockApi *api)
{
  MtServer *s = g_new0 (MtServer, 1);

  s->api = api;
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->thread = g_thread_new ("mock-server", mt_server_thread, s);

  g_mutex_lock (&s->lock);
  while (!s->ready)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);

  g_assert_no_error (s->error);
  g_assert_true (g_str_has_prefix (s->base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (s->base_url, "/api/v2/"));
  s->origin = g_strndup (s->base_url, strlen (s->base_url) - strlen ("/api/v2/"));
  return s;
}

guint
mt_server_stop (MtServer *s)
{
  guint n;

  g_main_loop_quit (s->loop);
  g_thread_join (s->thread);
  n = s->n_requests;
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s->base_url);
  g_free (s->origin);
  g_free (s);
  return n;
}

MtServer *
mt_server_start_default (void)
{
  return mt_server_start (sg_mock_api_new ());
}

/* An HTTP client ------------------------------------------------------------ */

void
mt_reply_free (MtReply *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_error (&r->error);
  g_free (r);
}

MtReply *
mt_get_full (const char *url,
          MtGetFlags    flags,
          guint       timeout_s)
{
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  MtReply *r = g_new0 (MtReply, 1);

  g_assert_nonnull (msg);
  session = soup_session_new_with_options ("timeout", timeout_s,
                                           "proxy-resolver", no_proxy,
                                           NULL);
  /* Without the decoder we see the bytes as sent. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  if (flags & MT_GET_GZIP)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip");
  if (flags & MT_GET_NO_REDIRECT)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  r->body = soup_session_send_and_read (session, msg, NULL, &r->error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

MtReply *
mt_get (const char *url,
     MtGetFlags    flags)
{
  return mt_get_full (url, flags, MT_CLIENT_TIMEOUT_S);
}

MtReply *
mt_get_ok (const char *url)
{
  MtReply *r = mt_get (url, MT_GET_PLAIN);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  return r;
}

char *
mt_url_for (MtServer     *s,
         const char *fmt,
         ...) G_GNUC_PRINTF (2, 3);

char *
mt_url_for (MtServer     *s,
         const char *fmt,
         ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, fmt);
  path = g_strdup_vprintf (fmt, args);
  va_end (args);
  return g_strconcat (s->origin, path, NULL);
}

JsonNode *
mt_parse_json (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

GBytes *
mt_gunzip (GBytes *data)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (mem, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;
} MtPngReader;

static cairo_status_t
mt_read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  MtPngReader *r = closure;

  if (r->len - r->pos < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Asserts that @png decodes to a 96x96 image with transparent corners and
 * something drawn in the middle; returns the count of opaque pixels. */
guint
mt_assert_sprite_png (GBytes *png)
{
  MtPngReader reader = { 0 };
  cairo_surface_t *surface;
  const guint8 *pixels;
  int stride;
  guint opaque = 0;

  reader.data = g_bytes_get_data (png, &reader.len);
  surface = cairo_image_surface_create_from_png_stream (mt_read_png, &reader);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 96);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 96);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);

  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 96; y++)
    for (int x = 0; x < 96; x++)
      if (((const guint32 *) (pixels + y * stride))[x] >> 24 == 0xff)
        opaque++;
  /* transparent background (corner pixel), a creature of some size */
  g_assert_cmpuint (((const guint32 *) pixels)[0] >> 24, ==, 0);
  g_assert_cmpuint (opaque, >, 96 * 96 / 8);
  g_assert_cmpuint (opaque, <, 96 * 96 * 3 / 4);

  cairo_surface_destroy (surface);
  return opaque;
}

/* A raw HTTP/1.1 client, to see exactly what goes over the wire ------------- */

void
mt_raw_free (MtRaw *raw)
{
  g_clear_pointer (&raw->headers, g_hash_table_unref);
  g_clear_object (&raw->in);
  g_clear_object (&raw->conn);
  g_clear_object (&raw->client);
  g_free (raw);
}

MtRaw *
mt_raw_connect (MtServer *s,
             guint   timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (s->origin, G_URI_FLAGS_NONE, &error);
  MtRaw *raw = g_new0 (MtRaw, 1);

  g_assert_no_error (error);
  raw->client = g_socket_client_new ();
  /* every read and write below is bounded by this */
  g_socket_client_set_timeout (raw->client, timeout_s);
  raw->conn = g_socket_client_connect_to_host (raw->client, "127.0.0.1", (guint16) g_uri_get_port (uri),
                                               NULL, &error);
  g_assert_no_error (error);
  raw->in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (raw->conn)));
  g_data_input_stream_set_newline_type (raw->in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (raw->in), FALSE);
  return raw;
}

void
mt_raw_send (MtRaw        *raw,
          const char *method,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", method, path);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (raw->conn));

  g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads the status line and headers; FALSE (with @error) if they do not come. */
gboolean
mt_raw_read_head (MtRaw     *raw,
               GError **error)
{
  g_autofree char *status_line = NULL;

  g_clear_pointer (&raw->headers, g_hash_table_unref);
  raw->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  status_line = g_data_input_stream_read_line (raw->in, NULL, NULL, error);
  if (status_line == NULL)
    return FALSE;
  g_assert_true (g_str_has_prefix (status_line, "HTTP/1.1 "));
  raw->status = (guint) g_ascii_strtoull (status_line + strlen ("HTTP/1.1 "), NULL, 10);

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (raw->in, NULL, NULL, error);
      char *colon;

      if (line == NULL)
        return FALSE;
      if (*line == '\0')
        return TRUE;
      colon = strchr (line, ':');
      g_assert_nonnull (colon);
      *colon = '\0';
      g_hash_table_replace (raw->headers, g_ascii_strdown (line, -1), g_strdup (g_strstrip (colon + 1)));
    }
}

guint64
mt_raw_content_length (MtRaw *raw)
{
  const char *value = g_hash_table_lookup (raw->headers, "content-length");

  g_assert_nonnull (value);
  return g_ascii_strtoull (value, NULL, 10);
}

/* Reads up to @len bytes (fewer at EOF); the count read. */
gsize
mt_raw_read (MtRaw     *raw,
          guint8  *buffer,
          gsize    len,
          GError **error)
{
  gsize n = 0;

  g_input_stream_read_all (G_INPUT_STREAM (raw->in), buffer, len, &n, NULL, error);
  return n;
}

/* Reads and throws away up to @max bytes, or until EOF; the count. */
guint64
mt_raw_drain (MtRaw     *raw,
           guint64  max,
           GError **error)
{
  g_autofree guint8 *buffer = g_malloc (256 * 1024);
  guint64 total = 0;
  gssize n;

  while (total < max &&
         (n = g_input_stream_read (G_INPUT_STREAM (raw->in), buffer, MIN (256 * 1024, max - total),
                                   NULL, error)) > 0)
    total += (guint64) n;
  return total;
}

void
mt_assert_document_shape (JsonNode   *root,
                       guint       id,
                       const char *origin)
{
  JsonObject *doc = json_node_get_object (root);
  JsonObject *sprites;
  JsonArray *stats, *types, *moves;
  g_autofree char *front = g_strdup_printf ("%s/sprites/pokemon/%u.png", origin, id);
  g_autofree char *shiny = g_strdup_printf ("%s/sprites/pokemon/shiny/%u.png", origin, id);
  g_autofree char *back = g_strdup_printf ("%s/sprites/pokemon/back/%u.png", origin, id);
  g_autofree char *back_shiny = g_strdup_printf ("%s/sprites/pokemon/back/shiny/%u.png", origin, id);
  g_autofree char *name = sg_mock_api_creature_name (id);
  static const char *const stat_names[] = {
    "hp", "attack", "defense", "special-attack", "special-defense", "speed",
  };
  static const char *const members[] = {
    "abilities", "base_experience", "forms", "game_indices", "height", "held_items", "id",
    "is_default", "location_area_encounters", "moves", "name", "order", "species",
    "sprites", "stats", "types", "weight",
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (doc, members[i]));

  g_assert_cmpint (json_object_get_int_member (doc, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "name"), ==, name);

  sprites = json_object_get_object_member (doc, "sprites");
  g_assert_cmpstr (json_object_get_string_member (sprites, "front_default"), ==, front);
  g_assert_cmpstr (json_object_get_string_member (sprites, "front_shiny"), ==, shiny);
  g_assert_cmpstr (json_object_get_string_member (sprites, "back_default"), ==, back);
  g_assert_cmpstr (json_object_get_string_member (sprites, "back_shiny"), ==, back_shiny);
  g_assert_true (json_object_get_null_member (sprites, "front_female"));
  g_assert_true (json_object_has_member (sprites, "other"));
  g_assert_true (json_object_has_member (sprites, "versions"));

  stats = json_object_get_array_member (doc, "stats");
  g_assert_cmpuint (json_array_get_length (stats), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *s = json_array_get_object_element (stats, i);
      JsonObject *stat = json_object_get_object_member (s, "stat");

      g_assert_cmpstr (json_object_get_string_member (stat, "name"), ==, stat_names[i]);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (stat, "url"), origin));
      g_assert_cmpint (json_object_get_int_member (s, "base_stat"), >, 0);
      g_assert_true (json_object_has_member (s, "effort"));
    }

  types = json_object_get_array_member (doc, "types");
  g_assert_cmpuint (json_array_get_length (types), >=, 1);
  g_assert_cmpuint (json_array_get_length (types), <=, 2);
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *t = json_array_get_object_element (types, i);

      g_assert_cmpint (json_object_get_int_member (t, "slot"), ==, i + 1);
      g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (t, "type"), "name"));
    }

  moves = json_object_get_array_member (doc, "moves");
  g_assert_cmpuint (json_array_get_length (moves), >=, 50);
  {
    JsonObject *m = json_array_get_object_element (moves, 0);
    JsonArray *details = json_object_get_array_member (m, "version_group_details");
    JsonObject *d = json_array_get_object_element (details, 0);

    g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (m, "move"), "name"));
    g_assert_true (json_object_has_member (d, "level_learned_at"));
    g_assert_true (json_object_has_member (d, "move_learn_method"));
    g_assert_true (json_object_has_member (d, "version_group"));
  }
}

JsonObject *
mt_sprites_of (JsonNode *root)
{
  return json_object_get_object_member (json_node_get_object (root), "sprites");
}

const char *
mt_mirror_dir_or_skip (void)
{
  const char *dir = g_getenv ("SG_TEST_MIRROR_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("SG_TEST_MIRROR_DIR is not set or the PokeAPI mirror is absent");
      return NULL;
    }
  return dir;
}

GBytes *
mt_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}
