/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-mock-api-private.h"
#include "sg-mock-body.h"
#include "sg-mock-creatures.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define TEXT_TYPE "text/plain; charset=utf-8"
#define HTML_TYPE "text/html; charset=utf-8"
#define PNG_TYPE  "image/png"

#define OVERSIZE_JSON_BYTES (64 * 1024 * 1024)
#define OVERSIZE_PNG_BYTES  (16 * 1024 * 1024)
#define STREAM_BLOCK_BYTES  (64 * 1024)
#define DRIP_INTERVAL_MS    1000

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

gboolean
sg_mock_exchange_needs_data (SgMockExchange *ex)
{
  switch (ex->route)
    {
    case SG_MOCK_ROUTE_DETAIL:
      switch (ex->fault)
        {
        case SG_MOCK_FAULT_STATUS:
        case SG_MOCK_FAULT_HANG:
        case SG_MOCK_FAULT_OVERSIZE_JSON:
          return FALSE;
        case SG_MOCK_FAULT_FLAKY:
          return ex->fault_hit > ex->fault_arg;
        default:
          return TRUE;
        }

    case SG_MOCK_ROUTE_SPRITE:
      return ex->fault == SG_MOCK_FAULT_NONE;

    case SG_MOCK_ROUTE_NOT_FOUND:
    case SG_MOCK_ROUTE_BAD_METHOD:
    case SG_MOCK_ROUTE_REDIRECT:
    case SG_MOCK_ROUTE_ERROR:
    default:
      return FALSE;
    }
}

static void
set_body (SgMockExchange *ex,
          guint           status,
          const char     *content_type,
          GBytes         *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);

  soup_server_message_set_status (ex->msg, status, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  if (body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (ex->msg), body);
}

static void
set_text (SgMockExchange *ex,
          guint           status,
          const char     *content_type,
          const char     *text)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  set_body (ex, status, content_type, body);
}

static const char *
status_phrase (guint status)
{
  /* libsoup 3.2 has no phrase for these; clients print it. */
  switch (status)
    {
    case 429:
      return "Too Many Requests";
    case 451:
      return "Unavailable For Legal Reasons";
    default:
      return soup_status_get_phrase (status);
    }
}

static void
set_status_text (SgMockExchange *ex,
                 guint           status)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);
  const char *phrase = status_phrase (status);

  set_text (ex, status, TEXT_TYPE, phrase);
  soup_server_message_set_status (ex->msg, status, phrase);
  /* Tell well-behaved clients when to come back. */
  if (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (headers, "Retry-After", "1");
}

static void
set_redirect (SgMockExchange *ex,
              guint           status,
              const char     *location)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);

  set_text (ex, status, TEXT_TYPE, soup_status_get_phrase (status));
  soup_message_headers_replace (headers, "Location", location);
}

/* The document as the client asked for it: gzip when it said so. */
static void
set_document (SgMockExchange *ex,
              GBytes         *doc,
              GBytes         *doc_gzip)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);

  soup_message_headers_replace (headers, "Vary", "Accept-Encoding");
  soup_message_headers_replace (headers, "Cache-Control", "public, max-age=86400");
  if (ex->accepts_gzip && doc_gzip != NULL)
    {
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      set_body (ex, SOUP_STATUS_OK, JSON_TYPE, doc_gzip);
    }
  else
    set_body (ex, SOUP_STATUS_OK, JSON_TYPE, doc);
}

/* The document with its front sprite URL replaced by @value (raw JSON). */
static GBytes *
document_with_front_sprite (SgMockExchange *ex,
                            const char     *value)
{
  const char *origin = sg_mock_api_get_origin (ex->self);
  g_autofree char *needle = g_strdup_printf ("\"front_default\":\"%s/sprites/pokemon/%u.png\"", origin, ex->id);
  g_autofree char *replacement = g_strdup_printf ("\"front_default\":%s", value);

  return sg_mock_replace_all (ex->data, needle, replacement);
}

/* Streaming -------------------------------------------------------------- */

void
sg_mock_exchange_stop_stream (SgMockExchange *ex)
{
  g_clear_signal_handler (&ex->wrote_chunk_handler, ex->msg);
  g_clear_pointer (&ex->stream_block, g_bytes_unref);
  g_clear_pointer (&ex->stream_tail, g_bytes_unref);
}

static void
on_stream_wrote_chunk (SoupServerMessage *msg,
                       SgMockExchange    *ex)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  /* libsoup asks for the next chunk only once it wrote the last one, so a
   * 64 MB body never sits in memory. */
  if (ex->stream_blocks_left > 0)
    {
      ex->stream_blocks_left--;
      soup_message_body_append_bytes (body, ex->stream_block);
    }
  else if (ex->stream_tail != NULL)
    {
      soup_message_body_append_bytes (body, ex->stream_tail);
      g_clear_pointer (&ex->stream_tail, g_bytes_unref);
    }
  else
    {
      soup_message_body_complete (body);
      sg_mock_exchange_stop_stream (ex);
    }
}

/* head + @n_blocks x @block + @tail, with an exact Content-Length. */
static void
start_stream (SgMockExchange *ex,
              const char     *content_type,
              GBytes         *head,
              GBytes         *block,
              guint64         n_blocks,
              GBytes         *tail)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);
  goffset total = g_bytes_get_size (head) + n_blocks * g_bytes_get_size (block) + g_bytes_get_size (tail);

  soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_set_content_length (headers, total);
  soup_message_body_set_accumulate (body, FALSE);

  ex->stream_block = g_bytes_ref (block);
  ex->stream_blocks_left = n_blocks;
  ex->stream_tail = g_bytes_ref (tail);
  ex->wrote_chunk_handler = g_signal_connect (ex->msg, "wrote-chunk",
                                              G_CALLBACK (on_stream_wrote_chunk), ex);
  soup_message_body_append_bytes (body, head);
}

static void
start_oversize_json (SgMockExchange *ex)
{
  static const char unit[] = "{\"move\":{\"name\":\"filler\",\"url\":null},\"version_group_details\":[]},";
  g_autofree char *name = sg_mock_creature_name (ex->id);
  g_autofree char *head_text = g_strdup_printf ("{\"id\":%u,\"name\":\"%s\",\"moves\":[", ex->id, name);
  static const char tail_text[] = "{}]}";
  gsize unit_len = strlen (unit);
  gsize n_units = STREAM_BLOCK_BYTES / unit_len;
  g_autofree char *block_data = g_malloc (STREAM_BLOCK_BYTES);
  g_autofree char *tail_data = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) block = NULL;
  g_autoptr(GBytes) tail = NULL;
  guint64 room, n_blocks;
  gsize pad;

  /* A valid (if useless) document: a huge "moves" array; whitespace fills
   * each block and the end up to the exact size. */
  for (gsize i = 0; i < n_units; i++)
    memcpy (block_data + i * unit_len, unit, unit_len);
  memset (block_data + n_units * unit_len, ' ', STREAM_BLOCK_BYTES - n_units * unit_len);
  block = g_bytes_new_take (g_steal_pointer (&block_data), STREAM_BLOCK_BYTES);

  head = g_bytes_new_take (g_strdup (head_text), strlen (head_text));
  room = OVERSIZE_JSON_BYTES - g_bytes_get_size (head) - strlen (tail_text);
  n_blocks = room / STREAM_BLOCK_BYTES;
  pad = room % STREAM_BLOCK_BYTES;
  tail_data = g_malloc (pad + strlen (tail_text));
  memset (tail_data, ' ', pad);
  memcpy (tail_data + pad, tail_text, strlen (tail_text));
  tail = g_bytes_new_take (g_steal_pointer (&tail_data), pad + strlen (tail_text));

  start_stream (ex, JSON_TYPE, head, block, n_blocks, tail);
}

static void
start_oversize_png (SgMockExchange *ex)
{
  g_autoptr(GBytes) head = g_bytes_new_static (png_signature, sizeof png_signature);
  g_autoptr(GBytes) block = g_bytes_new_take (g_malloc0 (STREAM_BLOCK_BYTES), STREAM_BLOCK_BYTES);
  guint64 room = OVERSIZE_PNG_BYTES - sizeof png_signature;
  g_autoptr(GBytes) tail = g_bytes_new_take (g_malloc0 (room % STREAM_BLOCK_BYTES), room % STREAM_BLOCK_BYTES);

  start_stream (ex, PNG_TYPE, head, block, room / STREAM_BLOCK_BYTES, tail);
}

static gboolean
on_drip (gpointer data)
{
  SgMockExchange *ex = data;
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);
  g_autoptr(GBytes) byte = NULL;

  g_clear_pointer (&ex->timer, g_source_unref);

  byte = g_bytes_new_from_bytes (ex->data, ex->drip_offset++, 1);
  soup_message_body_append_bytes (body, byte);
  if (ex->drip_offset == g_bytes_get_size (ex->data))
    {
      soup_message_body_complete (body);
      sg_mock_exchange_stop_stream (ex);
    }
  soup_server_message_unpause (ex->msg);
  return G_SOURCE_REMOVE;
}

static void
on_drip_wrote_chunk (SoupServerMessage *msg,
                     SgMockExchange    *ex)
{
  /* libsoup pauses the message when it runs out of body; the timer feeds
   * the next byte and resumes it. */
  if (ex->timer == NULL && ex->drip_offset < g_bytes_get_size (ex->data))
    ex->timer = sg_mock_api_add_timeout (ex->self, DRIP_INTERVAL_MS, on_drip, ex);
}

static void
start_drip (SgMockExchange *ex)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);
  g_autoptr(GBytes) first = g_bytes_new_from_bytes (ex->data, 0, 1);

  soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", JSON_TYPE);
  soup_message_headers_set_content_length (headers, g_bytes_get_size (ex->data));
  soup_message_body_set_accumulate (body, FALSE);
  ex->drip_offset = 1;
  ex->wrote_chunk_handler = g_signal_connect (ex->msg, "wrote-chunk",
                                              G_CALLBACK (on_drip_wrote_chunk), ex);
  soup_message_body_append_bytes (body, first);
}

static void
start_truncated (SgMockExchange *ex)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ex->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);
  gsize len = g_bytes_get_size (ex->data);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (ex->data, 0, len / 2);

  /* Promise the whole document, send half, then hang up: "Connection:
   * close" makes libsoup close the socket once the short body is out. */
  soup_server_message_set_status (ex->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", JSON_TYPE);
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_set_content_length (headers, len);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append_bytes (body, half);
  soup_message_body_complete (body);
}

/* Answers ---------------------------------------------------------------- */

static void
respond_detail (SgMockExchange *ex)
{
  g_autoptr(GBytes) variant = NULL;

  switch (ex->fault)
    {
    case SG_MOCK_FAULT_STATUS:
      set_status_text (ex, ex->fault_arg);
      break;

    case SG_MOCK_FAULT_FLAKY:
      if (ex->fault_hit <= ex->fault_arg)
        set_status_text (ex, SOUP_STATUS_SERVICE_UNAVAILABLE);
      else
        set_document (ex, ex->data, ex->data_gzip);
      break;

    case SG_MOCK_FAULT_TRUNCATE:
      start_truncated (ex);
      break;

    case SG_MOCK_FAULT_BAD_JSON:
      {
        /* The real document up to its last byte, which closes the wrong
         * bracket: a parser only notices at the very end. */
        gsize len = g_bytes_get_size (ex->data);
        g_autofree char *text = g_memdup2 (g_bytes_get_data (ex->data, NULL), len);

        text[len - 1] = ']';
        variant = g_bytes_new_take (g_steal_pointer (&text), len);
        set_document (ex, variant, NULL);
      }
      break;

    case SG_MOCK_FAULT_NULL_SPRITE:
      variant = document_with_front_sprite (ex, "null");
      set_document (ex, variant, NULL);
      break;

    case SG_MOCK_FAULT_FILE_SPRITE:
      variant = document_with_front_sprite (ex, "\"file:///etc/passwd\"");
      set_document (ex, variant, NULL);
      break;

    case SG_MOCK_FAULT_HANG:
      return;   /* stays paused until the client or the server goes away */

    case SG_MOCK_FAULT_DRIP:
      start_drip (ex);
      break;

    case SG_MOCK_FAULT_OVERSIZE_JSON:
      start_oversize_json (ex);
      break;

    case SG_MOCK_FAULT_NONE:
    case SG_MOCK_FAULT_NOT_PNG:
    case SG_MOCK_FAULT_OVERSIZE_PNG:
    case SG_MOCK_FAULT_REDIRECT_FILE:
    case SG_MOCK_FAULT_REDIRECT_LOOP:
    default:
      set_document (ex, ex->data, ex->data_gzip);
      break;
    }

  soup_server_message_unpause (ex->msg);
}

static void
respond_sprite (SgMockExchange *ex)
{
  switch (ex->fault)
    {
    case SG_MOCK_FAULT_NOT_PNG:
      set_text (ex, SOUP_STATUS_OK, HTML_TYPE,
                "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n"
                "<body><h1>Welcome!</h1><p>Please accept the terms of use to continue.</p></body></html>\n");
      break;

    case SG_MOCK_FAULT_OVERSIZE_PNG:
      start_oversize_png (ex);
      break;

    case SG_MOCK_FAULT_REDIRECT_FILE:
      set_redirect (ex, SOUP_STATUS_FOUND, "file:///etc/passwd");
      break;

    case SG_MOCK_FAULT_REDIRECT_LOOP:
      {
        g_autofree char *self_url = g_strconcat (sg_mock_api_get_origin (ex->self), ex->path, NULL);

        set_redirect (ex, SOUP_STATUS_FOUND, self_url);
      }
      break;

    default:
      set_body (ex, SOUP_STATUS_OK, PNG_TYPE, ex->data);
      soup_message_headers_replace (soup_server_message_get_response_headers (ex->msg),
                                    "Cache-Control", "public, max-age=86400");
      break;
    }

  soup_server_message_unpause (ex->msg);
}

void
sg_mock_exchange_respond (SgMockExchange *ex)
{
  switch (ex->route)
    {
    case SG_MOCK_ROUTE_DETAIL:
      respond_detail (ex);
      return;

    case SG_MOCK_ROUTE_SPRITE:
      respond_sprite (ex);
      return;

    case SG_MOCK_ROUTE_REDIRECT:
      {
        /* Like the live API: the canonical resource URL ends in a slash. */
        g_autofree char *location = g_strconcat (sg_mock_api_get_origin (ex->self), ex->path, "/", NULL);

        set_redirect (ex, SOUP_STATUS_MOVED_PERMANENTLY, location);
      }
      break;

    case SG_MOCK_ROUTE_BAD_METHOD:
      set_status_text (ex, SOUP_STATUS_METHOD_NOT_ALLOWED);
      soup_message_headers_replace (soup_server_message_get_response_headers (ex->msg),
                                    "Allow", "GET, HEAD");
      break;

    case SG_MOCK_ROUTE_ERROR:
      set_status_text (ex, SOUP_STATUS_INTERNAL_SERVER_ERROR);
      break;

    case SG_MOCK_ROUTE_NOT_FOUND:
    default:
      set_status_text (ex, SOUP_STATUS_NOT_FOUND);
      break;
    }

  soup_server_message_unpause (ex->msg);
}
