/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mock PokeAPI over HTTP, in process: routes, gzip, latency, keep-alive,
 * every fault as a client sees it, and mirror mode.
 */
#define G_LOG_DOMAIN "test-mock-api"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mock-test-util.h"
#include "sg-mock-api.h"
#include "sg-mock-creatures.h"

static void
test_document_http (void)
{
  g_autoptr(MtServer) s = mt_server_start_default ();
  g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/25/");
  g_autoptr(MtReply) r = mt_get_ok (url);
  g_autoptr(JsonNode) root = NULL;
  gsize size = g_bytes_get_size (r->body);

  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==,
                   "application/json; charset=utf-8");
  g_assert_cmpuint (size, >=, 200 * 1000);
  g_assert_cmpuint (size, <=, 300 * 1000);
  root = mt_parse_json (r->body);
  mt_assert_document_shape (root, 25, s->origin);
}

static void
test_document_redirect (void)
{
  g_autoptr(MtServer) s = mt_server_start_default ();
  g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/7");
  g_autofree char *expected = mt_url_for (s, "/api/v2/pokemon/7/");
  g_autoptr(MtReply) r = mt_get (url, MT_GET_NO_REDIRECT);
  g_autoptr(MtReply) followed = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 301);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, expected);

  followed = mt_get_ok (url);
  root = mt_parse_json (followed->body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "id"), ==, 7);
}

static void
test_document_gzip (void)
{
  g_autoptr(MtServer) s = mt_server_start_default ();
  g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/3/");
  g_autoptr(MtReply) plain = mt_get_ok (url);
  g_autoptr(MtReply) zipped = mt_get (url, MT_GET_GZIP);
  g_autoptr(GBytes) unzipped = NULL;

  g_assert_null (soup_message_headers_get_one (plain->headers, "Content-Encoding"));

  g_assert_no_error (zipped->error);
  g_assert_cmpuint (zipped->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (zipped->headers, "Content-Encoding"), ==, "gzip");
  g_assert_cmpuint (g_bytes_get_size (zipped->body), <, g_bytes_get_size (plain->body) / 3);
  unzipped = mt_gunzip (zipped->body);
  g_assert_true (g_bytes_equal (unzipped, plain->body));
}

/* Emptying the document cache past its bound must not change what is
 * served: the same id gives the same bytes, plain and gzipped. */
static void
test_document_cache_bound (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  sg_mock_api_set_keep_documents (api, 2);
  s = mt_server_start (api);

  for (guint round = 0; round < 2; round++)
    for (guint id = 1; id <= 5; id++)
      {
        g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/%u/", id);
        g_autoptr(MtReply) r = mt_get_ok (url);
        g_autoptr(MtReply) zipped = mt_get (url, MT_GET_GZIP);
        g_autoptr(GBytes) unzipped = NULL;

        g_assert_no_error (zipped->error);
        unzipped = mt_gunzip (zipped->body);
        g_assert_true (g_bytes_equal (unzipped, r->body));
        if (round == 0)
          g_ptr_array_add (first, g_bytes_ref (r->body));
        else
          g_assert_true (g_bytes_equal (r->body, g_ptr_array_index (first, id - 1)));
      }
}

static void
test_not_found (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  static const char *const paths[] = {
    "/api/v2/pokemon/0/", "/api/v2/pokemon/31/", "/api/v2/pokemon/025/",
    "/api/v2/pokemon/abc/", "/api/v2/pokemon/-1/", "/api/v2/pokemon/99999999999999999999/",
    "/api/v2/pokemon/", "/api/v2/type/1/", "/", "/sprites/pokemon/31.png",
    "/sprites/pokemon/0.png", "/sprites/pokemon/1.gif", "/sprites/pokemon/female/1.png",
    "/sprites/pokemon/shiny/back/1.png", "/api/v2/pokemon/1/x", "/api/v2/pokemon/1//",
  };

  sg_mock_api_set_max_id (api, 30);
  s = mt_server_start (api);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = mt_url_for (s, "%s", paths[i]);
      g_autoptr(MtReply) r = mt_get (url, MT_GET_NO_REDIRECT);

      g_test_message ("GET %s", paths[i]);
      g_assert_no_error (r->error);
      g_assert_cmpuint (r->status, ==, 404);
      g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), "Not Found", 9);
    }

  /* the highest id is still served */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/30/");
    g_autoptr(MtReply) r = mt_get_ok (url);
  }
}

static void
test_keepalive (void)
{
  g_autoptr(MtServer) s = mt_server_start_default ();
  g_autoptr(MtRaw) raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);
  g_autoptr(GError) error = NULL;

  /* three answers on one connection */
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *path = g_strdup_printf (i == 2 ? "/sprites/pokemon/%u.png" : "/api/v2/pokemon/%u/", i);
      guint64 len;
      g_autofree guint8 *body = NULL;

      mt_raw_send (raw, "GET", path);
      g_assert_true (mt_raw_read_head (raw, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (raw->status, ==, 200);
      g_assert_null (g_hash_table_lookup (raw->headers, "connection"));
      len = mt_raw_content_length (raw);
      body = g_malloc (len);
      g_assert_cmpuint (mt_raw_read (raw, body, len, &error), ==, len);
      g_assert_no_error (error);
    }
}

static void
test_methods (void)
{
  g_autoptr(MtServer) s = mt_server_start_default ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(MtRaw) raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);

    mt_raw_send (raw, "HEAD", "/api/v2/pokemon/2/");
    g_assert_true (mt_raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpuint (mt_raw_content_length (raw), >, 200 * 1000);
    /* no body follows: the next answer comes right away */
    mt_raw_send (raw, "HEAD", "/sprites/pokemon/2.png");
    g_assert_true (mt_raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpstr (g_hash_table_lookup (raw->headers, "content-type"), ==, "image/png");
  }
  {
    g_autoptr(MtRaw) raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);

    mt_raw_send (raw, "DELETE", "/api/v2/pokemon/2/");
    g_assert_true (mt_raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 405);
    g_assert_cmpstr (g_hash_table_lookup (raw->headers, "allow"), ==, "GET, HEAD");
  }
}

static void
test_latency (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autofree char *url = NULL;
  gint64 start;

  sg_mock_api_set_latency (api, 300);
  g_assert_cmpuint (sg_mock_api_get_latency (api), ==, 300);
  s = mt_server_start (api);
  url = mt_url_for (s, "/sprites/pokemon/1.png");

  /* A lower bound only: never shorter than the latency. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MtReply) r = NULL;

      start = g_get_monotonic_time ();
      r = mt_get_ok (url);
      g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
    }
  {
    g_autofree char *missing = mt_url_for (s, "/nope");
    g_autoptr(MtReply) r = NULL;

    start = g_get_monotonic_time ();
    r = mt_get (missing, MT_GET_PLAIN);
    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  }
}

static void
test_sprite_http (void)
{
  g_autoptr(MtServer) s = mt_server_start_default ();
  static const char *const variants[] = { "", "shiny/", "back/", "back/shiny/" };
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autofree char *url = mt_url_for (s, "/sprites/pokemon/%s12.png", variants[v]);
      g_autoptr(MtReply) r = mt_get_ok (url);
      g_autoptr(GBytes) drawn = sg_mock_api_draw_sprite (12, v == 1 || v == 3, v >= 2);

      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Type"), ==, "image/png");
      g_assert_true (g_bytes_equal (r->body, drawn));
      mt_assert_sprite_png (r->body);
      for (guint i = 0; i < seen->len; i++)
        g_assert_false (g_bytes_equal (r->body, g_ptr_array_index (seen, i)));
      g_ptr_array_add (seen, g_bytes_ref (r->body));
    }
}

static void
test_fault_bad_spec_applies_nothing (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(GError) error = NULL;

  /* the good first item must not be applied when a later one is bad */
  g_assert_false (sg_mock_api_parse_faults (api, "5=status:404,6=nonsense", &error));
  g_assert_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC);
  s = mt_server_start (api);
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/5/");
    g_autoptr(MtReply) r = mt_get_ok (url);
  }
}

static void
test_fault_status (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "13=status:404,14=status:429,15=status:500,16=status:503", NULL));
  s = mt_server_start (api);

  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/13/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_null (soup_message_headers_get_one (r->headers, "Retry-After"));
  }
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/14/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
    g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), "Too Many Requests", 17);
  }
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/15/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 500);
  }
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/16/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 503);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
  }
  /* the sprite of a faulty document is fine */
  {
    g_autofree char *url = mt_url_for (s, "/sprites/pokemon/13.png");
    g_autoptr(MtReply) r = mt_get_ok (url);
  }
}

static void
test_fault_flaky (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autofree char *url = NULL;

  sg_mock_api_set_fault (api, 14, SG_MOCK_FAULT_FLAKY, 2);
  s = mt_server_start (api);
  url = mt_url_for (s, "/api/v2/pokemon/14/");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

      g_assert_cmpuint (r->status, ==, 503);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "1");
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MtReply) r = mt_get_ok (url);
      g_autoptr(JsonNode) root = mt_parse_json (r->body);

      mt_assert_document_shape (root, 14, s->origin);
    }
  /* other ids are not affected */
  {
    g_autofree char *other = mt_url_for (s, "/api/v2/pokemon/15/");
    g_autoptr(MtReply) r = mt_get_ok (other);
  }
}

static void
test_fault_sprite_urls (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "19=null-sprite,23=file-sprite", NULL));
  s = mt_server_start (api);

  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/19/");
    g_autoptr(MtReply) r = mt_get_ok (url);
    g_autoptr(JsonNode) root = mt_parse_json (r->body);

    g_assert_true (json_object_get_null_member (mt_sprites_of (root), "front_default"));
    g_assert_nonnull (json_object_get_string_member (mt_sprites_of (root), "back_default"));
  }
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/23/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_GZIP);   /* faulty documents are never compressed */
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_null (soup_message_headers_get_one (r->headers, "Content-Encoding"));
    root = mt_parse_json (r->body);
    g_assert_cmpstr (json_object_get_string_member (mt_sprites_of (root), "front_default"), ==,
                     "file:///etc/passwd");
  }
}

static void
test_fault_bad_json (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  sg_mock_api_set_fault (api, 18, SG_MOCK_FAULT_BAD_JSON, 0);
  s = mt_server_start (api);
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/18/");
    g_autoptr(MtReply) r = mt_get_ok (url);
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
  g_autoptr(MtServer) s = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "20=not-png,24=redirect-file,25=redirect-loop", NULL));
  s = mt_server_start (api);

  {
    g_autofree char *url = mt_url_for (s, "/sprites/pokemon/20.png");
    g_autoptr(MtReply) r = mt_get_ok (url);

    g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Content-Type"), "text/html"));
    g_assert_cmpuint (g_bytes_get_size (r->body), >, 8);
    g_assert_true (memcmp (g_bytes_get_data (r->body, NULL), "\x89PNG", 4) != 0);
  }
  {
    g_autofree char *url = mt_url_for (s, "/sprites/pokemon/24.png");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_NO_REDIRECT);

    g_assert_cmpuint (r->status, ==, 302);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, "file:///etc/passwd");
  }
  {
    g_autofree char *url = mt_url_for (s, "/sprites/pokemon/25.png");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_NO_REDIRECT);
    g_autoptr(MtReply) followed = NULL;

    g_assert_cmpuint (r->status, ==, 302);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Location"), ==, url);

    /* a client that follows redirects gives up */
    followed = mt_get (url, MT_GET_PLAIN);
    g_assert_nonnull (followed->error);
  }
  /* the documents of these ids are fine, and their other sprites too */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/20/");
    g_autoptr(MtReply) r = mt_get_ok (url);
  }
}

static void
test_fault_truncate (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(MtRaw) raw = NULL;
  g_autoptr(GError) error = NULL;
  guint64 promised, got;

  sg_mock_api_set_fault (api, 17, SG_MOCK_FAULT_TRUNCATE, 0);
  s = mt_server_start (api);
  raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);
  mt_raw_send (raw, "GET", "/api/v2/pokemon/17/");
  g_assert_true (mt_raw_read_head (raw, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raw->status, ==, 200);
  promised = mt_raw_content_length (raw);
  g_assert_cmpuint (promised, >=, 200 * 1000);

  /* the server hangs up early (a read would time out if it did not) */
  got = mt_raw_drain (raw, promised, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got, >, 0);
  g_assert_cmpuint (got, <, promised);

  /* a client never gets the whole document (libsoup 3.2 reports no error
   * for the short body, curl does) */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/17/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

    g_assert_true (r->error != NULL || g_bytes_get_size (r->body) < promised);
  }
}

static void
test_fault_hang (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(MtRaw) raw = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;
  guint8 byte;

  sg_mock_api_set_fault (api, 15, SG_MOCK_FAULT_HANG, 0);
  s = mt_server_start (api);

  /* no answer, however long one waits (here: a second) */
  raw = mt_raw_connect (s, 1);
  mt_raw_send (raw, "GET", "/api/v2/pokemon/15/");
  g_assert_false (mt_raw_read_head (raw, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);

  /* meanwhile the server answers others: the hang blocks nothing */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/16/");
    g_autoptr(MtReply) r = mt_get_ok (url);
  }

  /* disposing the server drops the hung connection (and frees it: the
   * thread asserts the API is finalized) */
  g_socket_set_timeout (g_socket_connection_get_socket (raw->conn), MT_CLIENT_TIMEOUT_S);
  {
    g_autoptr(GSocketAddress) address = g_socket_connection_get_remote_address (raw->conn, NULL);

    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  }
  g_clear_pointer (&s, mt_server_stop);
  g_assert_cmpuint (mt_raw_read (raw, &byte, 1, &error), ==, 0);

  /* and it no longer listens */
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) conn = NULL;

    conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
    g_assert_null (conn);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  }
}

static void
test_fault_drip (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(MtRaw) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) doc = NULL;
  guint8 buffer[3];

  sg_mock_api_set_fault (api, 16, SG_MOCK_FAULT_DRIP, 0);
  s = mt_server_start (api);
  doc = sg_mock_creature_document (16, s->origin);

  raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);
  mt_raw_send (raw, "GET", "/api/v2/pokemon/16/");
  g_assert_true (mt_raw_read_head (raw, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raw->status, ==, 200);
  /* the real length is promised... */
  g_assert_cmpuint (mt_raw_content_length (raw), ==, g_bytes_get_size (doc));
  /* ...and the real bytes come, one a second */
  g_assert_cmpuint (mt_raw_read (raw, buffer, 3, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, g_bytes_get_data (doc, NULL), 3);

  /* disposing the server drops the dripping connection */
  g_clear_pointer (&s, mt_server_stop);
  mt_raw_drain (raw, G_MAXUINT64, NULL);
}

static void
test_fault_oversize (void)
{
  SgMockApi *api = sg_mock_api_new ();
  g_autoptr(MtServer) s = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sg_mock_api_parse_faults (api, "21=oversize-json,22=oversize-png", NULL));
  s = mt_server_start (api);

  {
    g_autoptr(MtRaw) raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);
    g_autofree guint8 *head = g_malloc (64 * 1024);
    g_autofree char *expected = NULL;
    g_autofree char *name = sg_mock_api_creature_name (21);

    mt_raw_send (raw, "GET", "/api/v2/pokemon/21/");
    g_assert_true (mt_raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpuint (mt_raw_content_length (raw), ==, 64 * 1024 * 1024);
    g_assert_cmpuint (mt_raw_read (raw, head, 64 * 1024, &error), ==, 64 * 1024);
    g_assert_no_error (error);
    expected = g_strdup_printf ("{\"id\":21,\"name\":\"%s\",\"moves\":[{\"move\"", name);
    g_assert_cmpmem (head, strlen (expected), expected, strlen (expected));
    /* a client that gives up early just closes */
  }
  {
    g_autoptr(MtRaw) raw = mt_raw_connect (s, MT_CLIENT_TIMEOUT_S);
    guint8 sig[8];

    mt_raw_send (raw, "GET", "/sprites/pokemon/22.png");
    g_assert_true (mt_raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
    g_assert_cmpuint (mt_raw_content_length (raw), ==, 16 * 1024 * 1024);
    g_assert_cmpuint (mt_raw_read (raw, sig, 8, &error), ==, 8);
    g_assert_cmpmem (sig, 8, "\x89PNG\r\n\x1a\n", 8);
    /* all of it comes, as promised, and the connection stays usable */
    g_assert_cmpuint (mt_raw_drain (raw, 16 * 1024 * 1024 - 8, &error), ==, 16 * 1024 * 1024 - 8);
    g_assert_no_error (error);
    mt_raw_send (raw, "GET", "/sprites/pokemon/1.png");
    g_assert_true (mt_raw_read_head (raw, &error));
    g_assert_cmpuint (raw->status, ==, 200);
  }
  /* and once more, whole, through libsoup: exactly 64 MiB of valid JSON */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/21/");
    g_autoptr(MtReply) r = mt_get_ok (url);
    gsize len = 0;
    const char *data = g_bytes_get_data (r->body, &len);

    g_assert_cmpuint (len, ==, 64 * 1024 * 1024);
    g_assert_cmpmem (data + len - 4, 4, "{}]}", 4);
  }
}

static void
test_mirror (void)
{
  const char *dir = mt_mirror_dir_or_skip ();
  SgMockApi *api;
  g_autoptr(MtServer) s = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;

  api = sg_mock_api_new ();
  g_assert_true (sg_mock_api_set_mirror_dir (api, dir, &error));
  g_assert_no_error (error);
  g_assert_true (sg_mock_api_parse_faults (api, "4=null-sprite,5=status:503", NULL));
  s = mt_server_start (api);

  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/25/");
    g_autofree char *front = mt_url_for (s, "/sprites/pokemon/25.png");
    g_autofree char *type_prefix = mt_url_for (s, "/api/v2/type/");
    g_autoptr(MtReply) r = mt_get_ok (url);
    g_autoptr(JsonNode) root = mt_parse_json (r->body);
    JsonObject *doc = json_node_get_object (root);
    JsonArray *types = json_object_get_array_member (doc, "types");
    const char *type_url;

    g_assert_cmpint (json_object_get_int_member (doc, "id"), ==, 25);
    g_assert_cmpuint (g_bytes_get_size (r->body), >, 200 * 1000);
    g_assert_cmpstr (json_object_get_string_member (mt_sprites_of (root), "front_default"), ==, front);
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
        g_autofree char *url = mt_url_for (s, "/sprites/pokemon/%s25.png", variants[v]);
        g_autofree char *file = g_strdup_printf ("%s/sprites/pokemon/%s25.png", dir, variants[v]);
        g_autoptr(MtReply) r = mt_get_ok (url);
        g_autoptr(GBytes) expected = mt_read_file (file);

        g_assert_true (g_bytes_equal (r->body, expected));
      }
  }

  /* ids outside the mirror do not exist */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/152/");
    g_autofree char *sprite = mt_url_for (s, "/sprites/pokemon/152.png");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);
    g_autoptr(MtReply) rs = mt_get (sprite, MT_GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpuint (rs->status, ==, 404);
  }

  /* faults apply to the mirror too */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/4/");
    g_autoptr(MtReply) r = mt_get_ok (url);
    g_autoptr(JsonNode) root = mt_parse_json (r->body);

    g_assert_true (json_object_get_null_member (mt_sprites_of (root), "front_default"));
  }
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/5/");
    g_autoptr(MtReply) r = mt_get (url, MT_GET_PLAIN);

    g_assert_cmpuint (r->status, ==, 503);
  }
  /* and gzip */
  {
    g_autofree char *url = mt_url_for (s, "/api/v2/pokemon/1/");
    g_autoptr(MtReply) plain = mt_get_ok (url);
    g_autoptr(MtReply) zipped = mt_get (url, MT_GET_GZIP);
    g_autoptr(GBytes) unzipped = mt_gunzip (zipped->body);

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mock/document/http", test_document_http);
  g_test_add_func ("/mock/document/redirect-without-slash", test_document_redirect);
  g_test_add_func ("/mock/document/gzip", test_document_gzip);
  g_test_add_func ("/mock/document/cache-bound", test_document_cache_bound);
  g_test_add_func ("/mock/routes/not-found", test_not_found);
  g_test_add_func ("/mock/routes/keep-alive", test_keepalive);
  g_test_add_func ("/mock/routes/methods", test_methods);
  g_test_add_func ("/mock/routes/latency", test_latency);
  g_test_add_func ("/mock/sprite/http", test_sprite_http);
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
  g_test_add_func ("/mock/mirror/serves", test_mirror);
  g_test_add_func ("/mock/mirror/bad-dir", test_mirror_bad_dir);

  return g_test_run ();
}
