/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers of the mock API's own tests: an SgMockApi in a thread of its own
 * (so the test thread can use plain synchronous clients), a libsoup client
 * that shows the bytes as sent, a raw HTTP/1.1 client for what libsoup hides,
 * and assertions on documents and sprites.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sg-mock-api.h"

G_BEGIN_DECLS

/* Generous bounds for every client wait: the box may be loaded. */
#define MT_CLIENT_TIMEOUT_S 30

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
} MtServer;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  GError             *error;
} MtReply;

typedef enum {
  MT_GET_PLAIN = 0,
  MT_GET_GZIP = 1 << 0,        /* ask for gzip and keep the body compressed */
  MT_GET_NO_REDIRECT = 1 << 1,
} MtGetFlags;

typedef struct {
  GSocketClient     *client;
  GSocketConnection *conn;
  GDataInputStream  *in;
  guint              status;
  GHashTable        *headers;   /* lower-case name -> value */
} MtRaw;

/* An SgMockApi (configured by the caller) listening in a thread of its own;
 * stopping it asserts the API is finalized and returns its request count. */
MtServer   *mt_server_start          (SgMockApi   *api);
MtServer   *mt_server_start_default  (void);
guint       mt_server_stop           (MtServer    *s);
/* s->origin + the printf-formatted path */
char       *mt_url_for               (MtServer    *s,
                                      const char  *fmt,
                                      ...) G_GNUC_PRINTF (2, 3);

/* A synchronous libsoup GET without the content decoder (bodies as sent);
 * errors land in the reply. mt_get_ok() asserts a 200. */
MtReply    *mt_get_full              (const char  *url,
                                      MtGetFlags   flags,
                                      guint        timeout_s);
MtReply    *mt_get                   (const char  *url,
                                      MtGetFlags   flags);
MtReply    *mt_get_ok                (const char  *url);
void        mt_reply_free            (MtReply     *r);

/* A raw HTTP/1.1 connection; every read and write is bounded by @timeout_s. */
MtRaw      *mt_raw_connect           (MtServer    *s,
                                      guint        timeout_s);
void        mt_raw_send              (MtRaw       *raw,
                                      const char  *method,
                                      const char  *path);
/* The status line and headers; FALSE (with @error) if they do not come. */
gboolean    mt_raw_read_head         (MtRaw       *raw,
                                      GError     **error);
guint64     mt_raw_content_length    (MtRaw       *raw);
/* Up to @len bytes (fewer at EOF): the count read. */
gsize       mt_raw_read              (MtRaw       *raw,
                                      guint8      *buffer,
                                      gsize        len,
                                      GError     **error);
/* Reads and drops up to @max bytes, or until EOF: the count. */
guint64     mt_raw_drain             (MtRaw       *raw,
                                      guint64      max,
                                      GError     **error);
void        mt_raw_free              (MtRaw       *raw);

JsonNode   *mt_parse_json            (GBytes      *body);
GBytes     *mt_gunzip                (GBytes      *data);
GBytes     *mt_read_file             (const char  *path);
/* Asserts a 96x96 ARGB PNG, transparent corner, a creature of some size;
 * returns the count of opaque pixels. */
guint       mt_assert_sprite_png     (GBytes      *png);
/* Asserts the live API's shape, the generated name and our sprite URLs. */
void        mt_assert_document_shape (JsonNode    *root,
                                      guint        id,
                                      const char  *origin);
JsonObject *mt_sprites_of            (JsonNode    *root);
/* SG_TEST_MIRROR_DIR, or NULL after g_test_skip() when it is absent. */
const char *mt_mirror_dir_or_skip    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtServer, mt_server_stop)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtReply, mt_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtRaw, mt_raw_free)

G_END_DECLS
