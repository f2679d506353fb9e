/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mock PokeAPI: generated data, routes, gzip, faults at the HTTP level,
 * mirror mode, the program and its test-support library.
 *
 * In-process tests run SgMockApi in a thread of its own (with its own main
 * context) so that this thread can use plain synchronous clients.
 */
#define G_LOG_DOMAIN "test-mock-api"

#include "config.h"

#include <cairo.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "sg-mock-api.h"
#include "sg-mock-creatures.h"
#include "sg-test-mock.h"

#define CLIENT_TIMEOUT_S 30

/* A server thread ---------------------------------------------------------- */

typedef struct {
  SgMockApi    *api;        /* configured here, then owned by the thread */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GError       *error;
  char         *base_url;
  char         *origin;
  guint         n_requests;  /* read back once the thread is done */
} Server;

static gpointer
server_thread (gpointer data)
{
  Server *s = data;

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

static Server *
server_start (SgMockApi *api)
{
  Server *s = g_new0 (Server, 1);

  s->api = api;
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->thread = g_thread_new ("mock-server", server_thread, s);

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

static guint
server_stop (Server *s)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

static Server *
server_start_default (void)
{
  return server_start (sg_mock_api_new ());
}

/* An HTTP client ------------------------------------------------------------ */

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  GError             *error;
} Reply;

static void
reply_free (Reply *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_error (&r->error);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

typedef enum {
  GET_PLAIN = 0,
  GET_GZIP = 1 << 0,        /* ask for gzip and keep the body compressed */
  GET_NO_REDIRECT = 1 << 1,
} GetFlags;

static Reply *
get_full (const char *url,
          GetFlags    flags,
          guint       timeout_s)
{
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  Reply *r = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  session = soup_session_new_with_options ("timeout", timeout_s,
                                           "proxy-resolver", no_proxy,
                                           NULL);
  /* Without the decoder we see the bytes as sent. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  if (flags & GET_GZIP)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip");
  if (flags & GET_NO_REDIRECT)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  r->body = soup_session_send_and_read (session, msg, NULL, &r->error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

static Reply *
get (const char *url,
     GetFlags    flags)
{
  return get_full (url, flags, CLIENT_TIMEOUT_S);
}

static Reply *
get_ok (const char *url)
{
  Reply *r = get (url, GET_PLAIN);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  return r;
}

static char *
url_for (Server     *s,
         const char *fmt,
         ...) G_GNUC_PRINTF (2, 3);

static char *
url_for (Server     *s,
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

static JsonNode *
parse_json (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static GBytes *
gunzip (GBytes *data)
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
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *r = closure;

  if (r->len - r->pos < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Asserts that @png decodes to a 96x96 image with transparent corners and
 * something drawn in the middle; returns the count of opaque pixels. */
static guint
assert_sprite_png (GBytes *png)
{
  PngReader reader = { 0 };
  cairo_surface_t *surface;
  const guint8 *pixels;
  int stride;
  guint opaque = 0;

  reader.data = g_bytes_get_data (png, &reader.len);
  surface = cairo_image_surface_create_from_png_stream (read_png, &reader);
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

typedef struct {
  GSocketClient     *client;
  GSocketConnection *conn;
  GDataInputStream  *in;
  guint              status;
  GHashTable        *headers;   /* lower-case name -> value */
} Raw;

static void
raw_free (Raw *raw)
{
  g_clear_pointer (&raw->headers, g_hash_table_unref);
  g_clear_object (&raw->in);
  g_clear_object (&raw->conn);
  g_clear_object (&raw->client);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static Raw *
raw_connect (Server *s,
             guint   timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (s->origin, G_URI_FLAGS_NONE, &error);
  Raw *raw = g_new0 (Raw, 1);

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

static void
raw_send (Raw        *raw,
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
static gboolean
raw_read_head (Raw     *raw,
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

static guint64
raw_content_length (Raw *raw)
{
  const char *value = g_hash_table_lookup (raw->headers, "content-length");

  g_assert_nonnull (value);
  return g_ascii_strtoull (value, NULL, 10);
}

/* Reads up to @len bytes (fewer at EOF); the count read. */
static gsize
raw_read (Raw     *raw,
          guint8  *buffer,
          gsize    len,
          GError **error)
{
  gsize n = 0;

  g_input_stream_read_all (G_INPUT_STREAM (raw->in), buffer, len, &n, NULL, error);
  return n;
}

/* Reads and throws away up to @max bytes, or until EOF; the count. */
static guint64
raw_drain (Raw     *raw,
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

/* Names ---------------------------------------------------------------------- */

static void
test_names (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint id = 1; id <= 1025; id++)
    {
      g_autofree char *name = sg_mock_api_creature_name (id);
      g_autofree char *again = sg_mock_api_creature_name (id);

      g_assert_cmpstr (name, ==, again);
      g_assert_cmpuint (strlen (name), >=, 4);
      g_assert_cmpuint (strlen (name), <=, 12);
      for (const char *p = name; *p; p++)
        g_assert_true (g_ascii_islower (*p));
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, g_steal_pointer (&name));
    }
}

static void
test_names_original (void)
{
  const char *mirror = g_getenv ("SG_TEST_MIRROR_DIR");
  g_autofree char *index = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;

  if (mirror == NULL || !g_file_test (mirror, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("SG_TEST_MIRROR_DIR is not set or absent: no list of real names to compare with");
      return;
    }

  index = g_build_filename (mirror, "api", "v2", "pokemon", "index.json", NULL);
  {
    char *contents = NULL;
    gsize len = 0;

    g_file_get_contents (index, &contents, &len, &error);
    g_assert_no_error (error);
    data = g_bytes_new_take (contents, len);
  }
  root = parse_json (data);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpuint (json_array_get_length (results), >, 1000);

  for (guint id = 1; id <= 1025; id++)
    {
      g_autofree char *name = sg_mock_api_creature_name (id);

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *o = json_array_get_object_element (results, i);

          g_assert_cmpstr (name, !=, json_object_get_string_member (o, "name"));
        }
    }
}

/* Generated documents --------------------------------------------------------- */

static void
assert_document_shape (JsonNode   *root,
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

static void
test_document_http (void)
{
  g_autoptr(Server) s = server_start_default ();
  g_autofree char *url = url_for (s, "/api/v2/pokemon/25/");
  g_autoptr(Reply) r = get_ok (url);
  g_autoptr(JsonNode) root = NULL;
  gsize size = g_bytes_get_size (r->body);

  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==,
                   "application/json; charset=utf-8");
  g_assert_cmpuint (size, >=, 200 * 1000);
  g_assert_cmpuint (size, <=, 300 * 1000);
  root = parse_json (r->body);
  assert_document_shape (root, 25, s->origin);
}

static void
test_document_sizes (void)
{
  const char *origin = "http://127.0.0.1:65535";

  /* Every id (sampled: building is ~10 ms each under sanitizers) has a
   * realistic size, and building twice gives the same bytes. */
  for (guint id = 1; id <= 1025; id += 17)
    {
      g_autoptr(GBytes) doc = sg_mock_creature_document (id, origin);
      g_autoptr(GBytes) again = sg_mock_creature_document (id, origin);
      g_autoptr(JsonNode) root = parse_json (doc);

      g_assert_cmpuint (g_bytes_get_size (doc), >=, 200 * 1000);
      g_assert_cmpuint (g_bytes_get_size (doc), <=, 300 * 1000);
      g_assert_true (g_bytes_equal (doc, again));
      assert_document_shape (root, id, origin);
    }
}

static void
test_document_redirect (void)
{
  g_autoptr(Server) s = server_start_default ();
  g_autofree char *url = url_for (s, "/api/v2/pokemon/7");
  g_autofree char *expected = url_for (s, "/api/v2/pokemon/7/");
  g_autoptr(Reply) r = get (url, GET_NO_REDIRECT);
  g_autoptr(Reply) followed = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 301);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, expected);

  followed = get_ok (url);
  root = parse_json (followed->body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "id"), ==, 7);
}

static void
test_document_gzip (void)
{
  g_autoptr(Server) s = server_start_default ();
  g_autofree char *url = url_for (s, "/api/v2/pokemon/3/");
  g_autoptr(Reply) plain = get_ok (url);
  g_autoptr(Reply) zipped = get (url, GET_GZIP);
  g_autoptr(GBytes) unzipped = NULL;

  g_assert_null (soup_message_headers_get_one (plain->headers, "Content-Encoding"));

  g_assert_no_error (zipped->error);
  g_assert_cmpuint (zipped->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (zipped->headers, "Content-Encoding"), ==, "gzip");
  g_assert_cmpuint (g_bytes_get_size (zipped->body), <, g_bytes_get_size (plain->body) / 3);
  unzipped = gunzip (zipped->body);
  g_assert_true (g_bytes_equal (unzipped, plain->body));
}

static void
test_not_found (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  static const char *const paths[] = {
    "/api/v2/pokemon/0/", "/api/v2/pokemon/31/", "/api/v2/pokemon/025/",
    "/api/v2/pokemon/abc/", "/api/v2/pokemon/-1/", "/api/v2/pokemon/99999999999999999999/",
    "/api/v2/pokemon/", "/api/v2/type/1/", "/", "/sprites/pokemon/31.png",
    "/sprites/pokemon/0.png", "/sprites/pokemon/1.gif", "/sprites/pokemon/female/1.png",
    "/sprites/pokemon/shiny/back/1.png", "/api/v2/pokemon/1/x", "/api/v2/pokemon/1//",
  };

  sg_mock_api_set_max_id (api, 30);
  s = server_start (api);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = url_for (s, "%s", paths[i]);
      g_autoptr(Reply) r = get (url, GET_NO_REDIRECT);

      g_test_message ("GET %s", paths[i]);
      g_assert_no_error (r->error);
      g_assert_cmpuint (r->status, ==, 404);
      g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), "Not Found", 9);
    }

  /* the highest id is still served */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/30/");
    g_autoptr(Reply) r = get_ok (url);
  }
}

/* Sprites ------------------------------------------------------------------ */

static void
test_sprite_http (void)
{
  g_autoptr(Server) s = server_start_default ();
  static const char *const variants[] = { "", "shiny/", "back/", "back/shiny/" };
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autofree char *url = url_for (s, "/sprites/pokemon/%s12.png", variants[v]);
      g_autoptr(Reply) r = get_ok (url);
      g_autoptr(GBytes) drawn = sg_mock_api_draw_sprite (12, v == 1 || v == 3, v >= 2);

      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==, "image/png");
      g_assert_true (g_bytes_equal (r->body, drawn));
      assert_sprite_png (r->body);
      for (guint i = 0; i < seen->len; i++)
        g_assert_false (g_bytes_equal (r->body, g_ptr_array_index (seen, i)));
      g_ptr_array_add (seen, g_bytes_ref (r->body));
    }
}

static void
test_sprite_draw (void)
{
  for (guint id = 1; id <= 151; id++)
    {
      g_autoptr(GBytes) a = sg_mock_api_draw_sprite (id, FALSE, FALSE);
      g_autoptr(GBytes) b = sg_mock_api_draw_sprite (id, FALSE, FALSE);
      g_autoptr(GBytes) next = sg_mock_api_draw_sprite (id + 1, FALSE, FALSE);

      g_assert_true (g_bytes_equal (a, b));
      g_assert_false (g_bytes_equal (a, next));
      assert_sprite_png (a);
    }

  /* every variant of every default id draws a sane picture (and, under
   * the sanitizers, stays inside its board) */
  for (guint id = 1; id <= 1025; id++)
    for (guint v = 0; v < 4; v++)
      {
        g_autoptr(GBytes) png = sg_mock_api_draw_sprite (id, v % 2, v / 2);

        assert_sprite_png (png);
      }
}

/* Faults --------------------------------------------------------------------- */

static void
test_fault_spec_good (void)
{
  g_autoptr(SgMockApi) api = sg_mock_api_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sg_mock_api_parse_faults (api,
                                           "13=status:404,14=flaky:2,15=hang,16=drip,"
                                           "17=truncate,18=bad-json,19=null-sprite,20=not-png,21=oversize-json,"
                                           "22=oversize-png,23=file-sprite,24=redirect-file,25=redirect-loop,"
                                           "26=status:500",
                                           &error));
  g_assert_no_error (error);
  g_assert_true (sg_mock_api_parse_faults (api, " 1 = flaky , 2=status:429 ", &error));
  g_assert_no_error (error);
  g_assert_true (sg_mock_api_parse_faults (api, "", &error));
  g_assert_no_error (error);
}

static void
test_fault_spec_bad (void)
{
  static const char *const bad[] = {
    "13", "=hang", "13=", "0=hang", "x=hang", "13=hangs", "13=status", "13=status:",
    "13=status:abc", "13=status:200", "13=status:600", "13=flaky:0", "13=flaky:x",
    "13=hang:1", "13=hang,", ",13=hang", "13=hang,13=drip", "13=none", "-1=hang",
    "99999999999=hang",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SgMockApi) api = sg_mock_api_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("spec “%s”", bad[i]);
      g_assert_false (sg_mock_api_parse_faults (api, bad[i], &error));
      g_assert_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC);
      g_assert_nonnull (error->message);
    }
}

static void
test_fault_bad_spec_applies_nothing (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autoptr(GError) error = NULL;

  /* the good first item must not be applied when a later one is bad */
  g_assert_false (sg_mock_api_parse_faults (api, "5=status:404,6=nonsense", &error));
  g_assert_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC);
  s = server_start (api);
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/5/");
    g_autoptr(Reply) r = get_ok (url);
  }
}

static void
test_fault_status (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "13=status:404,14=status:429,15=status:500,16=status:503", NULL));
  s = server_start (api);

  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/13/");
    g_autoptr(Reply) r = get (url, GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_null (soup_message_headers_get_one (r->headers, "Retry-After"));
  }
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/14/");
    g_autoptr(Reply) r = get (url, GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
    g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), "Too Many Requests", 17);
  }
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/15/");
    g_autoptr(Reply) r = get (url, GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 500);
  }
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/16/");
    g_autoptr(Reply) r = get (url, GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 503);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
  }
  /* the sprite of a faulty document is fine */
  {
    g_autofree char *url = url_for (s, "/sprites/pokemon/13.png");
    g_autoptr(Reply) r = get_ok (url);
  }
}

static void
test_fault_flaky (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autofree char *url = NULL;

  sg_mock_api_set_fault (api, 14, SG_MOCK_FAULT_FLAKY, 2);
  s = server_start (api);
  url = url_for (s, "/api/v2/pokemon/14/");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Reply) r = get (url, GET_PLAIN);

      g_assert_cmpuint (r->status, ==, 503);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Reply) r = get_ok (url);
      g_autoptr(JsonNode) root = parse_json (r->body);

      assert_document_shape (root, 14, s->origin);
    }
  /* other ids are not affected */
  {
    g_autofree char *other = url_for (s, "/api/v2/pokemon/15/");
    g_autoptr(Reply) r = get_ok (other);
  }
}

static JsonObject *
sprites_of (JsonNode *root)
{
  return json_object_get_object_member (json_node_get_object (root), "sprites");
}

static void
test_fault_sprite_urls (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "19=null-sprite,23=file-sprite", NULL));
  s = server_start (api);

  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/19/");
    g_autoptr(Reply) r = get_ok (url);
    g_autoptr(JsonNode) root = parse_json (r->body);

    g_assert_true (json_object_get_null_member (sprites_of (root), "front_default"));
    g_assert_nonnull (json_object_get_string_member (sprites_of (root), "back_default"));
  }
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/23/");
    g_autoptr(Reply) r = get (url, GET_GZIP);   /* faulty documents are never compressed */
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_null (soup_message_headers_get_one (r->headers, "Content-Encoding"));
    root = parse_json (r->body);
    g_assert_cmpstr (json_object_get_string_member (sprites_of (root), "front_default"), ==,
                     "file:///etc/passwd");
  }
}

static void
test_fault_bad_json (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  sg_mock_api_set_fault (api, 18, SG_MOCK_FAULT_BAD_JSON, 0);
  s = server_start (api);
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/18/");
    g_autoptr(Reply) r = get_ok (url);
    gsize len = 0;
    const char *data = g_bytes_get_data (r->body, &len);

    g_assert_cmpuint (len, >, 100 * 1000);
    g_assert_false (json_parser_load_from_data (parser, data, (gssize) len, &error));
    g_assert_nonnull (error);
  }
}

static void
test_fault_sprite_faults (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "20=not-png,24=redirect-file,25=redirect-loop", NULL));
  s = server_start (api);

  {
    g_autofree char *url = url_for (s, "/sprites/pokemon/20.png");
    g_autoptr(Reply) r = get_ok (url);

    g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Content-Type"), "text/html"));
    g_assert_cmpuint (g_bytes_get_size (r->body), >, 8);
    g_assert_true (memcmp (g_bytes_get_data (r->body, NULL), "\x89PNG", 4) != 0);
  }
  {
    g_autofree char *url = url_for (s, "/sprites/pokemon/24.png");
    g_autoptr(Reply) r = get (url, GET_NO_REDIRECT);

    g_assert_cmpuint (r->status, ==, 302);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, "file:///etc/passwd");
  }
  {
    g_autofree char *url = url_for (s, "/sprites/pokemon/25.png");
    g_autoptr(Reply) r = get (url, GET_NO_REDIRECT);
    g_autoptr(Reply) followed = NULL;

    g_assert_cmpuint (r->status, ==, 302);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, url);

    /* a client that follows redirects gives up */
    followed = get (url, GET_PLAIN);
    g_assert_nonnull (followed->error);
  }
  /* the documents of these ids are fine, and their other sprites too */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/20/");
    g_autoptr(Reply) r = get_ok (url);
  }
}


static void
test_fault_truncate (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autoptr(Raw) raw = NULL;
  g_autoptr(GError) error = NULL;
  guint64 promised, got;

  sg_mock_api_set_fault (api, 17, SG_MOCK_FAULT_TRUNCATE, 0);
  s = server_start (api);
  raw = raw_connect (s, CLIENT_TIMEOUT_S);
  raw_send (raw, "GET", "/api/v2/pokemon/17/");
  g_assert_true (raw_read_head (raw, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raw->status, ==, 200);
  promised = raw_content_length (raw);
  g_assert_cmpuint (promised, >=, 200 * 1000);

  /* the server hangs up early (a read would time out if it did not) */
  got = raw_drain (raw, promised, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got, >, 0);
  g_assert_cmpuint (got, <, promised);

  /* a client never gets the whole document (libsoup 3.2 reports no error
   * for the short body, curl does) */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/17/");
    g_autoptr(Reply) r = get (url, GET_PLAIN);

    g_assert_true (r->error != NULL || g_bytes_get_size (r->body) < promised);
  }
}

static void
test_fault_hang (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autoptr(Raw) raw = NULL;
  g_autoptr(GError) error = NULL;
  guint8 byte;

  sg_mock_api_set_fault (api, 15, SG_MOCK_FAULT_HANG, 0);
  s = server_start (api);

  /* no answer, however long one waits (here: a second) */
  raw = raw_connect (s, 1);
  raw_send (raw, "GET", "/api/v2/pokemon/15/");
  g_assert_false (raw_read_head (raw, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);

  /* meanwhile the server answers others: the hang blocks nothing */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/16/");
    g_autoptr(Reply) r = get_ok (url);
  }

  /* disposing the server drops the hung connection (and frees it: the
   * thread asserts the API is finalized) */
  g_socket_set_timeout (g_socket_connection_get_socket (raw->conn), CLIENT_TIMEOUT_S);
  g_clear_pointer (&s, server_stop);
  g_assert_cmpuint (raw_read (raw, &byte, 1, &error), ==, 0);
}

static void
test_fault_drip (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autoptr(Raw) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doc = NULL;
  guint8 buffer[3];

  sg_mock_api_set_fault (api, 16, SG_MOCK_FAULT_DRIP, 0);
  s = server_start (api);
  doc = sg_mock_creature_document (16, s->origin);

  raw = raw_connect (s, CLIENT_TIMEOUT_S);
  raw_send (raw, "GET", "/api/v2/pokemon/16/");
  g_assert_true (raw_read_head (raw, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raw->status, ==, 200);
  /* the real length is promised... */
  g_assert_cmpuint (raw_content_length (raw), ==, g_bytes_get_size (doc));
  /* ...and the real bytes come, one a second */
  g_assert_cmpuint (raw_read (raw, buffer, 3, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, g_bytes_get_data (doc, NULL), 3);

  /* disposing the server drops the dripping connection */
  g_clear_pointer (&s, server_stop);
  raw_drain (raw, G_MAXUINT64, NULL);
}

static void
test_fault_oversize (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "21=oversize-json,22=oversize-png", NULL));
  s = server_start (api);

  {
    g_autoptr(Raw) raw = raw_connect (s, CLIENT_TIMEOUT_S);
    g_autofree guint8 *head = g_malloc (64 * 1024);
    g_autofree char *expected = NULL;
    g_autofree char *name = sg_mock_api_creature_name (21);

    raw_send (raw, "GET", "/api/v2/pokemon/21/");
    g_assert_true (raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpuint (raw_content_length (raw), ==, 64 * 1024 * 1024);
    g_assert_cmpuint (raw_read (raw, head, 64 * 1024, &error), ==, 64 * 1024);
    g_assert_no_error (error);
    expected = g_strdup_printf ("{\"id\":21,\"name\":\"%s\",\"moves\":[{\"move\"", name);
    g_assert_cmpmem (head, strlen (expected), expected, strlen (expected));
    /* a client that gives up early just closes */
  }
  {
    g_autoptr(Raw) raw = raw_connect (s, CLIENT_TIMEOUT_S);
    guint8 sig[8];

    raw_send (raw, "GET", "/sprites/pokemon/22.png");
    g_assert_true (raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpuint (raw_content_length (raw), ==, 16 * 1024 * 1024);
    g_assert_cmpuint (raw_read (raw, sig, 8, &error), ==, 8);
    g_assert_cmpmem (sig, 8, "\x89PNG\r\n\x1a\n", 8);
    /* all of it comes, as promised, and the connection stays usable */
    g_assert_cmpuint (raw_drain (raw, 16 * 1024 * 1024 - 8, &error), ==, 16 * 1024 * 1024 - 8);
    g_assert_no_error (error);
    raw_send (raw, "GET", "/sprites/pokemon/1.png");
    g_assert_true (raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
  }
  /* and once more, whole, through libsoup: exactly 64 MiB of valid JSON */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/21/");
    g_autoptr(Reply) r = get_ok (url);
    gsize len = 0;
    const char *data = g_bytes_get_data (r->body, &len);

    g_assert_cmpuint (len, ==, 64 * 1024 * 1024);
    g_assert_cmpmem (data + len - 4, 4, "{}]}", 4);
  }
}

static void
test_latency (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(Server) s = NULL;
  g_autofree char *url = NULL;
  gint64 start;

  sg_mock_api_set_latency (api, 300);
  g_assert_cmpuint (sg_mock_api_get_latency (api), ==, 300);
  s = server_start (api);
  url = url_for (s, "/sprites/pokemon/1.png");

  /* A lower bound only: never shorter than the latency. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Reply) r = NULL;

      start = g_get_monotonic_time ();
      r = get_ok (url);
      g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
    }
  {
    g_autofree char *missing = url_for (s, "/nope");
    g_autoptr(Reply) r = NULL;

    start = g_get_monotonic_time ();
    r = get (missing, GET_PLAIN);
    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  }
}

static void
test_keepalive (void)
{
  g_autoptr(Server) s = server_start_default ();
  g_autoptr(Raw) raw = raw_connect (s, CLIENT_TIMEOUT_S);
  g_autoptr(GError) error = NULL;

  /* three answers on one connection */
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *path = g_strdup_printf (i == 2 ? "/sprites/pokemon/%u.png" : "/api/v2/pokemon/%u/", i);
      guint64 len;
      g_autofree guint8 *body = NULL;

      raw_send (raw, "GET", path);
      g_assert_true (raw_read_head (raw, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (raw->status, ==, 200);
      g_assert_null (g_hash_table_lookup (raw->headers, "connection"));
      len = raw_content_length (raw);
      body = g_malloc (len);
      g_assert_cmpuint (raw_read (raw, body, len, &error), ==, len);
      g_assert_no_error (error);
    }
}

static void
test_methods (void)
{
  g_autoptr(Server) s = server_start_default ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(Raw) raw = raw_connect (s, CLIENT_TIMEOUT_S);

    raw_send (raw, "HEAD", "/api/v2/pokemon/2/");
    g_assert_true (raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpuint (raw_content_length (raw), >, 200 * 1000);
    /* no body follows: the next answer comes right away */
    raw_send (raw, "HEAD", "/sprites/pokemon/2.png");
    g_assert_true (raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpstr (g_hash_table_lookup (raw->headers, "content-type"), ==, "image/png");
  }
  {
    g_autoptr(Raw) raw = raw_connect (s, CLIENT_TIMEOUT_S);

    raw_send (raw, "DELETE", "/api/v2/pokemon/2/");
    g_assert_true (raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 405);
    g_assert_cmpstr (g_hash_table_lookup (raw->headers, "allow"), ==, "GET, HEAD");
  }
}

/* Mirror mode ------------------------------------------------------------------ */

static const char *
mirror_dir_or_skip (void)
{
  const char *dir = g_getenv ("SG_TEST_MIRROR_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("SG_TEST_MIRROR_DIR is not set or the PokeAPI mirror is absent");
      return NULL;
    }
  return dir;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
test_mirror (void)
{
  const char *dir = mirror_dir_or_skip ();
  SgMockApi *api;
  g_autoptr(Server) s = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;

  api = sg_mock_api_new ();
  g_assert_true (sg_mock_api_set_mirror_dir (api, dir, &error));
  g_assert_no_error (error);
  g_assert_true (sg_mock_api_parse_faults (api, "4=null-sprite,5=status:503", NULL));
  s = server_start (api);

  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/25/");
    g_autofree char *front = url_for (s, "/sprites/pokemon/25.png");
    g_autofree char *type_prefix = url_for (s, "/api/v2/type/");
    g_autoptr(Reply) r = get_ok (url);
    g_autoptr(JsonNode) root = parse_json (r->body);
    JsonObject *doc = json_node_get_object (root);
    JsonArray *types = json_object_get_array_member (doc, "types");
    const char *type_url;

    g_assert_cmpint (json_object_get_int_member (doc, "id"), ==, 25);
    g_assert_cmpuint (g_bytes_get_size (r->body), >, 200 * 1000);
    g_assert_cmpstr (json_object_get_string_member (sprites_of (root), "front_default"), ==, front);
    g_assert_null (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                                 "raw.githubusercontent.com/PokeAPI/sprites"));
    /* relative links are made absolute, as in the live API */
    type_url = json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (types, 0), "type"), "url");
    g_assert_true (g_str_has_prefix (type_url, type_prefix));
    g_assert_null (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                                 "\"/api/v2/"));
  }

  /* sprites are the mirror's files, byte for byte */
  {
    static const char *const variants[] = { "", "shiny/", "back/", "back/shiny/" };

    for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
      {
        g_autofree char *url = url_for (s, "/sprites/pokemon/%s25.png", variants[v]);
        g_autofree char *file = g_strdup_printf ("%s/sprites/pokemon/%s25.png", dir, variants[v]);
        g_autoptr(Reply) r = get_ok (url);
        g_autoptr(GBytes) expected = read_file (file);

        g_assert_true (g_bytes_equal (r->body, expected));
      }
  }

  /* ids outside the mirror do not exist */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/152/");
    g_autofree char *sprite = url_for (s, "/sprites/pokemon/152.png");
    g_autoptr(Reply) r = get (url, GET_PLAIN);
    g_autoptr(Reply) rs = get (sprite, GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpuint (rs->status, ==, 404);
  }

  /* faults apply to the mirror too */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/4/");
    g_autoptr(Reply) r = get_ok (url);
    g_autoptr(JsonNode) root = parse_json (r->body);

    g_assert_true (json_object_get_null_member (sprites_of (root), "front_default"));
  }
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/5/");
    g_autoptr(Reply) r = get (url, GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 503);
  }
  /* and gzip */
  {
    g_autofree char *url = url_for (s, "/api/v2/pokemon/1/");
    g_autoptr(Reply) plain = get_ok (url);
    g_autoptr(Reply) zipped = get (url, GET_GZIP);
    g_autoptr(GBytes) unzipped = gunzip (zipped->body);

    g_assert_cmpstr (soup_message_headers_get_one (zipped->headers, "Content-Encoding"), ==, "gzip");
    g_assert_true (g_bytes_equal (unzipped, plain->body));
  }
}

static void
test_mirror_bad_dir (void)
{
  g_autoptr(SgMockApi) api = sg_mock_api_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("sg-mock-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_false (sg_mock_api_set_mirror_dir (api, tmp, &error));
  g_assert_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_MIRROR);
  g_rmdir (tmp);
}

/* Program ---------------------------------------------------------------------- */

static void
test_program (void)
{
  const char *args[] = { "--faults", "13=status:404", "--max-id", "50", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSubprocess *mock;

  mock = sg_test_mock_spawn (args, &base, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mock);
  g_assert_true (g_str_has_prefix (base, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (base, "/api/v2/"));

  {
    g_autofree char *url = g_strconcat (base, "pokemon/12/", NULL);
    g_autoptr(GBytes) body = sg_test_mock_http_get (url, &error);
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *origin = g_strndup (base, strlen (base) - strlen ("/api/v2/"));

    g_assert_no_error (error);
    root = parse_json (body);
    assert_document_shape (root, 12, origin);
  }
  {
    g_autofree char *url = g_strconcat (base, "pokemon/13/", NULL);
    g_autoptr(GBytes) body = sg_test_mock_http_get (url, &error);

    g_assert_null (body);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "404"));
    g_clear_error (&error);
  }
  {
    g_autofree char *url = g_strconcat (base, "pokemon/51/", NULL);
    g_autoptr(GBytes) body = sg_test_mock_http_get (url, &error);

    g_assert_null (body);
    g_assert_nonnull (strstr (error->message, "404"));
    g_clear_error (&error);
  }

  sg_test_mock_stop (mock);
}

static void
test_program_bad_usage (void)
{
  static const char *const bad[][3] = {
    { "--faults", "13=bogus", NULL },
    { "--port", "70000", NULL },
    { "--mirror", "/nonexistent-mirror-dir", NULL },
    { "--latency-ms", "-5", NULL },
    { "--no-such-option", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = NULL;
      GSubprocess *mock;

      g_test_message ("args %s %s", bad[i][0], bad[i][1] ? bad[i][1] : "");
      mock = sg_test_mock_spawn ((const char *const *) bad[i], &base, &error);
      g_assert_null (mock);
      g_assert_null (base);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    }
}


typedef struct {
  gboolean done;
} Waited;

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Waited *w = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  w->done = TRUE;
}

static gboolean
on_wait_timeout (gpointer data)
{
  Waited *w = data;

  w->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits up to 30 s for @mock to exit by itself; TRUE if it did. */
static gboolean
wait_bounded (GSubprocess *mock)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (30);
  Waited w = { FALSE };
  Waited t = { FALSE };

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (mock, cancellable, on_waited, &w);
  g_source_set_callback (timeout, on_wait_timeout, &t, NULL);
  g_source_attach (timeout, context);
  while (!w.done && !t.done)
    g_main_context_iteration (context, TRUE);
  g_cancellable_cancel (cancellable);
  while (!w.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
  return g_subprocess_get_if_exited (mock) || g_subprocess_get_if_signaled (mock);
}

static void
test_program_exit_with_stdin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  GSubprocess *mock = sg_test_mock_spawn (NULL, &base, &error);

  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (mock), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_bounded (mock));
  g_assert_true (g_subprocess_get_if_exited (mock));
  g_assert_cmpint (g_subprocess_get_exit_status (mock), ==, 0);
  sg_test_mock_stop (mock);
}

static void
test_program_sigterm (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  const char *args[] = { "--faults", "15=hang", NULL };
  GSubprocess *mock = sg_test_mock_spawn (args, &base, &error);

  g_assert_no_error (error);
  g_subprocess_send_signal (mock, SIGTERM);
  g_assert_true (wait_bounded (mock));
  g_assert_true (g_subprocess_get_if_exited (mock));
  g_assert_cmpint (g_subprocess_get_exit_status (mock), ==, 0);
  sg_test_mock_stop (mock);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mock/names/deterministic-unique", test_names);
  g_test_add_func ("/mock/names/not-real", test_names_original);
  g_test_add_func ("/mock/document/http", test_document_http);
  g_test_add_func ("/mock/document/sizes", test_document_sizes);
  g_test_add_func ("/mock/document/redirect-without-slash", test_document_redirect);
  g_test_add_func ("/mock/document/gzip", test_document_gzip);
  g_test_add_func ("/mock/routes/not-found", test_not_found);
  g_test_add_func ("/mock/sprite/http", test_sprite_http);
  g_test_add_func ("/mock/sprite/draw", test_sprite_draw);
  g_test_add_func ("/mock/faults/spec-good", test_fault_spec_good);
  g_test_add_func ("/mock/faults/spec-bad", test_fault_spec_bad);
  g_test_add_func ("/mock/faults/spec-bad-applies-nothing", test_fault_bad_spec_applies_nothing);
  g_test_add_func ("/mock/faults/status", test_fault_status);
  g_test_add_func ("/mock/faults/flaky", test_fault_flaky);
  g_test_add_func ("/mock/faults/sprite-urls", test_fault_sprite_urls);
  g_test_add_func ("/mock/faults/bad-json", test_fault_bad_json);
  g_test_add_func ("/mock/faults/sprite-faults", test_fault_sprite_faults);
  g_test_add_func ("/mock/faults/truncate", test_fault_truncate);
  g_test_add_func ("/mock/faults/hang", test_fault_hang);
  g_test_add_func ("/mock/faults/drip", test_fault_drip);
  g_test_add_func ("/mock/faults/oversize", test_fault_oversize);
  g_test_add_func ("/mock/latency", test_latency);
  g_test_add_func ("/mock/routes/keep-alive", test_keepalive);
  g_test_add_func ("/mock/routes/methods", test_methods);
  g_test_add_func ("/mock/mirror/serves", test_mirror);
  g_test_add_func ("/mock/mirror/bad-dir", test_mirror_bad_dir);
  g_test_add_func ("/mock/program/serves", test_program);
  g_test_add_func ("/mock/program/exit-with-stdin", test_program_exit_with_stdin);
  g_test_add_func ("/mock/program/sigterm", test_program_sigterm);
  g_test_add_func ("/mock/program/bad-usage", test_program_bad_usage);

  return g_test_run ();
}
