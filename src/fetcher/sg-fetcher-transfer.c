/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-fetcher"

#include "config.h"

#include <string.h>
#include <time.h>

#include <zlib.h>

#include "sg-fetcher-output.h"
#include "sg-fetcher-parse.h"
#include "sg-fetcher-transfer.h"
#include "sg-png.h"

/* A body buffer that grew past this is released after the task rather than
 * kept for the next one (normal detail documents are ~230 KB). */
#define KEEP_BUFFER_BYTES (1024 * 1024)

typedef enum {
  SLOT_IDLE,
  SLOT_JSON,
  SLOT_SPRITE,
} SlotPhase;

typedef struct {
  guint32 task_id;
  guint   pokemon_id;
} PendingTask;

typedef struct {
  SgFetcher  *fetcher;
  CURL       *easy;          /* reused for every transfer of this slot */
  SlotPhase   phase;
  guint32     task_id;
  guint       pokemon_id;
  char       *url;           /* of the current request */
  GByteArray *body;          /* reused; capacity survives between tasks */
  gsize       limit;         /* bytes accepted for the current body */
  gboolean    too_large;
  gboolean    hinted;
  JsonObject *kept;          /* parsed metadata, between parse and RESULT */
  gsize       json_bytes;
  long        status;        /* HTTP status of the last response */
  gint64      phase_start;   /* monotonic µs */
  double      json_ms;
  double      parse_ms;
  char        errbuf[CURL_ERROR_SIZE];
} Slot;

struct _SgFetcher {
  char       *base_url;
  CURLM      *multi;
  Slot       *slots;
  guint       n_slots;
  guint       n_busy;
  GQueue      pending;       /* PendingTask* */
  GByteArray *inflated;      /* the document being parsed, inflated; shared */
};

typedef struct {
  const char *kind;
  gboolean    retryable;
} ErrorClass;

static double
ms_since (gint64 start)
{
  /* Rounded to 1/16 ms (62.5 µs): plenty for a timeline, and exact in
   * binary, so json-glib's %.17g prints "43.5625", not "43.549999999999997". */
  return (double) ((g_get_monotonic_time () - start) * 16 / 1000) / 16.0;
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  Slot *slot = user_data;
  gsize len = size * nmemb;

  if (!slot->hinted)
    {
      curl_off_t length = -1;

      /* Size the buffer once from Content-Length (compressed size under
       * gzip, so only a lower bound) instead of growing it step by step. */
      slot->hinted = TRUE;
      if (curl_easy_getinfo (slot->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK &&
          length > 0 && (gsize) length <= slot->limit && (gsize) length > slot->body->len)
        {
          guint len_before = slot->body->len;

          g_byte_array_set_size (slot->body, (guint) length);
          g_byte_array_set_size (slot->body, len_before);
        }
    }

  /* The size cap is enforced while reading: a 64 MB answer is cut at the
   * cap, not downloaded first. Returning less than @len aborts the transfer. */
  if (len > slot->limit - slot->body->len)
    {
      slot->too_large = TRUE;
      return 0;
    }

  g_byte_array_append (slot->body, (const guint8 *) data, (guint) len);
  return len;
}

static void
slot_setup_easy (Slot                   *slot,
                 const SgFetcherOptions *options)
{
  CURL *easy = slot->easy;
  g_autofree char *user_agent = g_strdup_printf ("sprite-gallery-fetcher/%s", PACKAGE_VERSION);

  curl_easy_setopt (easy, CURLOPT_PRIVATE, slot);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, slot->errbuf);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, slot);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, user_agent);

  /* Security: the sprite URL comes from a document, so only http(s), also
   * after redirects, and only a few of them. */
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (easy, CURLOPT_MAXREDIRS, 5L);

  /* Speed: no Nagle delay on small requests. (Compression and
   * CURLOPT_PIPEWAIT are set per request: slot_request().) */
  curl_easy_setopt (easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);

  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT_MS, (long) (options->connect_timeout * 1000));
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, (long) options->low_speed_limit);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, (long) options->low_speed_time);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, (long) (options->max_time * 1000));
}

SgFetcher *
sg_fetcher_new (const SgFetcherOptions *options)
{
  SgFetcher *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->in_flight > 0, NULL);

  self = g_new0 (SgFetcher, 1);
  self->base_url = g_strdup (options->base_url);
  self->multi = curl_multi_init ();
  self->inflated = g_byte_array_new ();
  g_queue_init (&self->pending);

  self->n_slots = options->in_flight;
  self->slots = g_new0 (Slot, self->n_slots);
  for (guint i = 0; i < self->n_slots; i++)
    {
      Slot *slot = &self->slots[i];

      slot->fetcher = self;
      slot->easy = curl_easy_init ();
      if (slot->easy == NULL)
        g_error ("curl_easy_init() failed");
      slot->body = g_byte_array_new ();
      slot_setup_easy (slot, options);
    }

  return self;
}

void
sg_fetcher_free (SgFetcher *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_slots; i++)
    {
      Slot *slot = &self->slots[i];

      if (slot->phase != SLOT_IDLE)
        curl_multi_remove_handle (self->multi, slot->easy);
      curl_easy_cleanup (slot->easy);
      g_byte_array_unref (slot->body);
      g_free (slot->url);
      g_clear_pointer (&slot->kept, json_object_unref);
    }
  g_free (self->slots);
  g_queue_clear_full (&self->pending, g_free);
  g_byte_array_unref (self->inflated);
  curl_multi_cleanup (self->multi);
  g_free (self->base_url);
  g_free (self);
}

gboolean
sg_fetcher_is_idle (SgFetcher *self)
{
  return self->n_busy == 0 && g_queue_is_empty (&self->pending);
}

char *
sg_fetcher_check_url (const char  *url,
                      const char  *base,
                      GError     **error)
{
  CURLU *h = curl_url ();
  CURLUcode rc = CURLUE_OK;
  char *scheme = NULL;
  char *full = NULL;
  char *result = NULL;

  if (h == NULL)
    g_error ("curl_url() failed");

  if (strlen (url) > SG_FETCHER_MAX_URL_LEN)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
                   "URL is longer than %d bytes", SG_FETCHER_MAX_URL_LEN);
      goto out;
    }

  /* Setting a relative URL on a handle that holds @base resolves it. */
  if (base != NULL)
    rc = curl_url_set (h, CURLUPART_URL, base, 0);
  if (rc == CURLUE_OK)
    rc = curl_url_set (h, CURLUPART_URL, url, 0);
  if (rc == CURLUE_OK)
    rc = curl_url_get (h, CURLUPART_SCHEME, &scheme, 0);
  if (rc != CURLUE_OK)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
                   "Cannot parse URL: %s", curl_url_strerror (rc));
      goto out;
    }
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
                   "URL scheme \"%s\" is not allowed (only http and https)", scheme);
      goto out;
    }

  rc = curl_url_get (h, CURLUPART_URL, &full, 0);
  if (rc != CURLUE_OK)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
                   "Cannot use URL: %s", curl_url_strerror (rc));
      goto out;
    }
  result = g_strdup (full);

out:
  curl_free (scheme);
  curl_free (full);
  curl_url_cleanup (h);
  return result;
}

/* Retry-After in milliseconds (delta-seconds or HTTP-date), -1 if absent. */
static gint64
retry_after_ms (CURL *easy)
{
  struct curl_header *h = NULL;
  g_autofree char *value = NULL;
  guint64 seconds;
  time_t when;

  if (curl_easy_header (easy, "Retry-After", 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == NULL)
    return -1;

  value = g_strstrip (g_strdup (h->value));
  if (g_ascii_string_to_unsigned (value, 10, 0, 7 * 24 * 3600, &seconds, NULL))
    return (gint64) seconds * 1000;

  when = curl_getdate (value, NULL);
  if (when == -1)
    return -1;
  return MAX ((gint64) when - (gint64) time (NULL), 0) * 1000;
}

static ErrorClass
classify_status (long status)
{
  if (status == 404)
    return (ErrorClass) { "not-found", FALSE };
  if (status == 429 || (status >= 500 && status <= 599))
    return (ErrorClass) { "http", TRUE };
  return (ErrorClass) { "http", FALSE };
}

static ErrorClass
classify_curl (CURLcode code,
               gboolean too_large)
{
  if (too_large)
    return (ErrorClass) { "too-large", FALSE };

  switch (code)
    {
    case CURLE_FILESIZE_EXCEEDED:
      return (ErrorClass) { "too-large", FALSE };
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      /* Not retried by the helper's verdict: the pool sees the server is down. */
      return (ErrorClass) { "unreachable", FALSE };
    case CURLE_OPERATION_TIMEDOUT:
      return (ErrorClass) { "timeout", TRUE };
    case CURLE_TOO_MANY_REDIRECTS:
      return (ErrorClass) { "too-many-redirects", FALSE };
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      /* With CURLOPT_REDIR_PROTOCOLS_STR, a redirect to file:// ends here. */
      return (ErrorClass) { "bad-url", FALSE };
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      /* A certificate will not fix itself on a retry. */
      return (ErrorClass) { "network", FALSE };
    default:
      /* Resets, receive errors, partial bodies, bad gzip, empty replies... */
      return (ErrorClass) { "network", TRUE };
    }
}

static void
emit_error (Slot        *slot,
            ErrorClass   klass,
            long         status,
            gint64       retry_ms,
            const char  *format,
            ...) G_GNUC_PRINTF (5, 6);

static void
emit_error (Slot        *slot,
            ErrorClass   klass,
            long         status,
            gint64       retry_ms,
            const char  *format,
            ...)
{
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *message = NULL;
  g_autofree char *valid = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  valid = g_utf8_make_valid (message, MIN (strlen (message), 4096));

  json_object_set_string_member (meta, "kind", klass.kind);
  json_object_set_string_member (meta, "message", valid);
  json_object_set_boolean_member (meta, "retryable", klass.retryable);
  json_object_set_int_member (meta, "status", status);
  json_object_set_int_member (meta, "retry_after_ms", retry_ms);
  json_object_set_string_member (meta, "url", slot->url != NULL ? slot->url : "");
  /* Extra, for logs and tests: how much of the failing body had arrived
   * (a size cap shows it stopped at the cap, not at the end). */
  json_object_set_int_member (meta, "body_bytes", (gint64) slot->body->len);

  g_debug ("task %u (#%u): %s: %s", slot->task_id, slot->pokemon_id, klass.kind, valid);
  sg_fetcher_output_object (SG_FRAME_TASK_ERROR, slot->task_id, meta, NULL, 0);
}

static void slot_start_task (Slot *slot, guint32 task_id, guint pokemon_id);

/* The task of @slot is over (result or error): free the slot and give it
 * the next queued task. */
static void
slot_finish (Slot *slot)
{
  SgFetcher *self = slot->fetcher;
  g_autofree PendingTask *next = NULL;

  slot->phase = SLOT_IDLE;
  g_clear_pointer (&slot->url, g_free);
  g_clear_pointer (&slot->kept, json_object_unref);
  if (slot->body->len > KEEP_BUFFER_BYTES)
    {
      g_byte_array_unref (slot->body);
      slot->body = g_byte_array_new ();
    }
  g_byte_array_set_size (slot->body, 0);
  self->n_busy--;

  next = g_queue_pop_head (&self->pending);
  if (next != NULL)
    slot_start_task (slot, next->task_id, next->pokemon_id);
}

/* Points the slot's easy handle at @url and adds it to the multi handle. */
static void
slot_request (Slot       *slot,
              SlotPhase   phase,
              char       *url,
              gsize       limit)
{
  SgFetcher *self = slot->fetcher;
  CURLMcode mc;

  slot->phase = phase;
  g_free (slot->url);
  slot->url = url;
  slot->limit = limit;
  slot->too_large = FALSE;
  slot->hinted = FALSE;
  slot->errbuf[0] = '\0';
  g_byte_array_set_size (slot->body, 0);

  curl_easy_setopt (slot->easy, CURLOPT_URL, slot->url);
  if (phase == SLOT_JSON)
    {
      /* gzip shrinks a detail document ~10-30 times. It is kept compressed
       * while it arrives and inflated only just before it is parsed, into
       * one buffer every slot shares (slot_inflate()): with 64 transfers
       * in flight, 64 inflated documents were ~15 MB of the helper. */
      curl_easy_setopt (slot->easy, CURLOPT_ACCEPT_ENCODING, "gzip");
      curl_easy_setopt (slot->easy, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    }
  else
    {
      curl_easy_setopt (slot->easy, CURLOPT_ACCEPT_ENCODING, "");
      curl_easy_setopt (slot->easy, CURLOPT_HTTP_CONTENT_DECODING, 1L);
    }
  /* Over https, wait for the first connection to say whether it speaks
   * HTTP/2 and multiplex on it rather than open one connection per
   * transfer. Over plain http curl speaks HTTP/1.1 only, so that wait
   * could never end in multiplexing: it would only hold every transfer
   * back until the first response arrived (one whole round trip, measured
   * in tests/bench). */
  curl_easy_setopt (slot->easy, CURLOPT_PIPEWAIT,
                    g_ascii_strncasecmp (url, "https:", 6) == 0 ? 1L : 0L);
  /* Refused from Content-Length before the body is read; write_cb also
   * enforces it for chunked or compressed bodies. */
  curl_easy_setopt (slot->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) limit);

  slot->phase_start = g_get_monotonic_time ();
  mc = curl_multi_add_handle (self->multi, slot->easy);
  if (mc != CURLM_OK)
    g_error ("curl_multi_add_handle() failed: %s", curl_multi_strerror (mc));
}

static void
slot_start_task (Slot    *slot,
                 guint32  task_id,
                 guint    pokemon_id)
{
  SgFetcher *self = slot->fetcher;

  self->n_busy++;
  slot->task_id = task_id;
  slot->pokemon_id = pokemon_id;
  slot->json_bytes = 0;
  slot->json_ms = slot->parse_ms = 0;

  sg_fetcher_output_phase (task_id, "json");
  slot_request (slot, SLOT_JSON,
                g_strdup_printf ("%spokemon/%u/", self->base_url, pokemon_id),
                SG_FETCHER_MAX_JSON_BYTES);
}

void
sg_fetcher_push_task (SgFetcher *self,
                      guint32    task_id,
                      guint      pokemon_id)
{
  PendingTask *task;

  for (guint i = 0; i < self->n_slots; i++)
    {
      if (self->slots[i].phase == SLOT_IDLE)
        {
          slot_start_task (&self->slots[i], task_id, pokemon_id);
          return;
        }
    }

  task = g_new (PendingTask, 1);
  task->task_id = task_id;
  task->pokemon_id = pokemon_id;
  g_queue_push_tail (&self->pending, task);
}

/* Inflates the gzip stream @in into @out, at most @limit bytes. */
static gboolean
inflate_gzip (const guint8  *in,
              gsize          in_len,
              GByteArray    *out,
              gsize          limit,
              gboolean      *too_large,
              const char   **problem)
{
  z_stream zs = { 0, };
  gsize used = 0;
  int rc = Z_OK;

  *too_large = FALSE;
  *problem = NULL;
  /* 16 + MAX_WBITS: a gzip header and trailer around the deflate data. */
  if (inflateInit2 (&zs, 16 + MAX_WBITS) != Z_OK)
    {
      *problem = "cannot start zlib";
      return FALSE;
    }

  zs.next_in = (Bytef *) in;
  zs.avail_in = (uInt) MIN (in_len, (gsize) G_MAXUINT);
  while (rc != Z_STREAM_END)
    {
      if (used == out->len)
        {
          if (out->len > limit)
            {
              *too_large = TRUE;
              break;
            }
          /* One byte over the limit tells "too large" from "just fits". */
          g_byte_array_set_size (out, (guint) MIN (MAX ((gsize) out->len * 2, 256 * 1024), limit + 1));
        }
      zs.next_out = out->data + used;
      zs.avail_out = (uInt) (out->len - used);
      rc = inflate (&zs, Z_NO_FLUSH);
      used = out->len - zs.avail_out;
      if (rc == Z_BUF_ERROR && zs.avail_in == 0)
        {
          *problem = "it ends early";
          break;
        }
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        {
          *problem = zs.msg != NULL ? zs.msg : "it is not gzip";
          break;
        }
    }

  inflateEnd (&zs);
  g_byte_array_set_size (out, (guint) MIN (used, limit));
  return rc == Z_STREAM_END && !*too_large && used <= limit;
}

/* The detail document as the server meant it: the body itself, or the
 * body inflated into the fetcher's shared buffer. FALSE after emitting a
 * TASK_ERROR. */
static gboolean
slot_inflate (Slot          *slot,
              const guint8 **data,
              gsize         *len)
{
  GByteArray *inflated = slot->fetcher->inflated;
  struct curl_header *h = NULL;
  g_autofree char *encoding = NULL;
  gboolean too_large;
  const char *problem;

  *data = slot->body->data;
  *len = slot->body->len;

  if (curl_easy_header (slot->easy, "Content-Encoding", 0, CURLH_HEADER, -1, &h) != CURLHE_OK ||
      h == NULL)
    return TRUE;
  encoding = g_strstrip (g_strdup (h->value));
  if (*encoding == '\0' || g_ascii_strcasecmp (encoding, "identity") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (encoding, "gzip") != 0 && g_ascii_strcasecmp (encoding, "x-gzip") != 0)
    {
      g_autofree char *shown = g_utf8_make_valid (encoding, MIN (strlen (encoding), 64));

      /* As curl says of an encoding it cannot decode: a network error. */
      emit_error (slot, (ErrorClass) { "network", TRUE }, slot->status, -1,
                  "The detail document came in an encoding that was not asked for (%s)", shown);
      return FALSE;
    }

  if (!inflate_gzip (slot->body->data, slot->body->len, inflated, SG_FETCHER_MAX_JSON_BYTES,
                     &too_large, &problem))
    {
      if (too_large)
        emit_error (slot, (ErrorClass) { "too-large", FALSE }, slot->status, -1,
                    "The detail document is larger than %u bytes",
                    (guint) SG_FETCHER_MAX_JSON_BYTES);
      else
        emit_error (slot, (ErrorClass) { "network", TRUE }, slot->status, -1,
                    "The detail document's gzip encoding is broken: %s", problem);
      return FALSE;
    }

  *data = inflated->data;
  *len = inflated->len;
  return TRUE;
}

static void
slot_json_done (Slot *slot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *front = NULL;
  char *sprite_url;
  gint64 parse_start;
  const guint8 *data;
  gsize len;

  slot->json_ms = ms_since (slot->phase_start);

  sg_fetcher_output_phase (slot->task_id, "parse");
  parse_start = g_get_monotonic_time ();
  if (!slot_inflate (slot, &data, &len))
    {
      slot_finish (slot);
      return;
    }
  slot->json_bytes = len;
  slot->kept = sg_fetcher_parse_detail ((const char *) data, len,
                                        slot->pokemon_id, &front, &error);
  /* The shared buffer keeps the size of a normal document, not of an odd
   * huge one. */
  if (slot->fetcher->inflated->len > KEEP_BUFFER_BYTES)
    {
      g_byte_array_unref (slot->fetcher->inflated);
      slot->fetcher->inflated = g_byte_array_new ();
    }
  if (slot->kept == NULL)
    {
      ErrorClass klass = { "bad-json", FALSE };

      if (g_error_matches (error, SG_FETCHER_PARSE_ERROR, SG_FETCHER_PARSE_ERROR_NO_SPRITE))
        klass.kind = "no-sprite";
      emit_error (slot, klass, slot->status, -1, "%s", error->message);
      slot_finish (slot);
      return;
    }

  /* The sprite URL came out of a document: only http(s) may be fetched. */
  sprite_url = sg_fetcher_check_url (front, slot->url, &error);
  if (sprite_url == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (front, MIN (strlen (front), 200));

      emit_error (slot, (ErrorClass) { "bad-url", FALSE }, slot->status, -1,
                  "Refusing the sprite URL \"%s\": %s", shown, error->message);
      slot_finish (slot);
      return;
    }
  slot->parse_ms = ms_since (parse_start);

  /* Start the sprite at once; the same easy handle (and so very likely the
   * same keep-alive connection) serves it. */
  sg_fetcher_output_phase (slot->task_id, "sprite");
  slot_request (slot, SLOT_SPRITE, sprite_url, SG_FETCHER_MAX_PNG_BYTES);
}

static void
slot_sprite_done (Slot *slot)
{
  g_autoptr(GError) error = NULL;
  double sprite_ms = ms_since (slot->phase_start);

  if (!sg_png_check_header (slot->body->data, slot->body->len, &error))
    {
      emit_error (slot, (ErrorClass) { "not-png", FALSE }, slot->status, -1, "%s", error->message);
      slot_finish (slot);
      return;
    }

  json_object_set_int_member (slot->kept, "json_bytes", (gint64) slot->json_bytes);
  json_object_set_int_member (slot->kept, "png_bytes", (gint64) slot->body->len);
  json_object_set_double_member (slot->kept, "json_ms", slot->json_ms);
  json_object_set_double_member (slot->kept, "parse_ms", slot->parse_ms);
  json_object_set_double_member (slot->kept, "sprite_ms", sprite_ms);

  /* The PNG goes out straight from the receive buffer. */
  if (!sg_fetcher_output_object (SG_FRAME_RESULT, slot->task_id, slot->kept,
                                 slot->body->data, slot->body->len))
    emit_error (slot, (ErrorClass) { "bad-json", FALSE }, slot->status, -1,
                "The kept metadata does not fit in a frame");
  slot_finish (slot);
}

static void
slot_done (Slot     *slot,
           CURLcode  code)
{
  long status = 0;

  curl_easy_getinfo (slot->easy, CURLINFO_RESPONSE_CODE, &status);
  slot->status = status;

  if (code != CURLE_OK)
    {
      ErrorClass klass = classify_curl (code, slot->too_large);

      if (slot->too_large || code == CURLE_FILESIZE_EXCEEDED)
        emit_error (slot, klass, status, -1, "The %s is larger than %u bytes",
                    slot->phase == SLOT_JSON ? "detail document" : "sprite",
                    (guint) slot->limit);
      else if (slot->errbuf[0] != '\0' && strcmp (slot->errbuf, curl_easy_strerror (code)) != 0)
        emit_error (slot, klass, status, -1, "%s: %s", curl_easy_strerror (code), slot->errbuf);
      else
        emit_error (slot, klass, status, -1, "%s", curl_easy_strerror (code));
      slot_finish (slot);
      return;
    }

  if (status < 200 || status > 299)
    {
      emit_error (slot, classify_status (status), status, retry_after_ms (slot->easy),
                  "HTTP status %ld for the %s", status,
                  slot->phase == SLOT_JSON ? "detail document" : "sprite");
      slot_finish (slot);
      return;
    }

  if (slot->phase == SLOT_JSON)
    slot_json_done (slot);
  else
    slot_sprite_done (slot);
}

void
sg_fetcher_perform (SgFetcher *self)
{
  /* Finishing a transfer may add another (the sprite, the next queued
   * task); perform again so it starts now, not after the next wait. The
   * bound keeps one call short whatever happens. */
  for (guint round = 0; round < 8; round++)
    {
      CURLMsg *msg;
      int running = 0;
      int left = 0;
      guint n_done = 0;
      CURLMcode mc;

      mc = curl_multi_perform (self->multi, &running);
      if (mc != CURLM_OK)
        g_error ("curl_multi_perform() failed: %s", curl_multi_strerror (mc));

      while ((msg = curl_multi_info_read (self->multi, &left)) != NULL)
        {
          Slot *slot = NULL;
          CURL *easy;
          CURLcode code;

          if (msg->msg != CURLMSG_DONE)
            continue;

          /* @msg dies with curl_multi_remove_handle(): copy it first. */
          easy = msg->easy_handle;
          code = msg->data.result;
          curl_easy_getinfo (easy, CURLINFO_PRIVATE, (char **) &slot);
          curl_multi_remove_handle (self->multi, easy);
          slot_done (slot, code);
          n_done++;
        }

      if (n_done == 0)
        break;
    }
}

void
sg_fetcher_wait (SgFetcher          *self,
                 struct curl_waitfd *extra,
                 guint               n_extra,
                 int                 timeout_ms)
{
  CURLMcode mc;

  mc = curl_multi_poll (self->multi, extra, n_extra, timeout_ms, NULL);
  if (mc != CURLM_OK)
    g_error ("curl_multi_poll() failed: %s", curl_multi_strerror (mc));
}
