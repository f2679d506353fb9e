/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A PokeAPI look-alike on loopback, built on libsoup 3. It serves either
 * generated creatures (original names, procedurally drawn 96x96 PNGs, detail
 * documents of the real shape and size, ~230 KB, most of it "moves") or the
 * real data of a pokeapi-mirror directory. It injects latency and, per id,
 * faults. The test program tests/mock/sg-mock-pokeapi and the app's offline
 * --demo mode share it.
 *
 * Routes (prefix /api/v2/):
 *   GET /api/v2/pokemon/{id}/           detail document ("/pokemon/{id}" redirects)
 *   GET /sprites/pokemon/{id}.png       front sprite; also shiny/, back/, back/shiny/
 * gzip when the client asks for it; keep-alive.
 *
 * Not thread-safe: configure it, listen and change faults from the thread
 * whose main context serves it. Documents and sprites are built (and
 * cached) on worker threads, so serving never stalls that context, which
 * may well be a GUI's.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Per-id faults, for tests and fault drills. */
typedef enum {
  SG_MOCK_FAULT_NONE,
  SG_MOCK_FAULT_STATUS,          /* detail answers `status` (404, 500, 429, ...) */
  SG_MOCK_FAULT_FLAKY,           /* 503 (Retry-After: 1) for the first `count` requests, then ok */
  SG_MOCK_FAULT_TRUNCATE,        /* detail body cut short (Content-Length larger than sent) */
  SG_MOCK_FAULT_BAD_JSON,
  SG_MOCK_FAULT_NULL_SPRITE,     /* sprites.front_default is null */
  SG_MOCK_FAULT_NOT_PNG,         /* the sprite URL serves HTML */
  SG_MOCK_FAULT_HANG,            /* detail never answers */
  SG_MOCK_FAULT_DRIP,            /* detail drips one byte a second */
  SG_MOCK_FAULT_OVERSIZE_JSON,   /* detail is 64 MB */
  SG_MOCK_FAULT_OVERSIZE_PNG,    /* sprite is 16 MB */
  SG_MOCK_FAULT_FILE_SPRITE,     /* sprites.front_default is a file:// URL */
  SG_MOCK_FAULT_REDIRECT_FILE,   /* the sprite URL redirects to file:// */
  SG_MOCK_FAULT_REDIRECT_LOOP,   /* the sprite URL redirects forever */
} SgMockFaultKind;

/* Errors of the set-up calls (the server itself answers with HTTP statuses). */
#define SG_MOCK_API_ERROR (sg_mock_api_error_quark ())
typedef enum {
  SG_MOCK_API_ERROR_BAD_FAULT_SPEC,  /* sg_mock_api_parse_faults(): the spec is malformed */
  SG_MOCK_API_ERROR_BAD_MIRROR,      /* sg_mock_api_set_mirror_dir(): not a pokeapi-mirror */
} SgMockApiError;

GQuark      sg_mock_api_error_quark    (void);

#define SG_TYPE_MOCK_API (sg_mock_api_get_type ())
G_DECLARE_FINAL_TYPE (SgMockApi, sg_mock_api, SG, MOCK_API, GObject)

SgMockApi  *sg_mock_api_new            (void);
/* Serve the real data of a pokeapi-mirror directory instead of generated data. */
gboolean    sg_mock_api_set_mirror_dir (SgMockApi       *self,
                                        const char      *dir,
                                        GError         **error);
/* Added to every response, in milliseconds (without blocking the loop). */
void        sg_mock_api_set_latency    (SgMockApi       *self,
                                        guint            latency_ms);
guint       sg_mock_api_get_latency    (SgMockApi       *self);
/* Highest id served (default 1025; a mirror also needs the files). */
void        sg_mock_api_set_max_id     (SgMockApi       *self,
                                        guint            max_id);
/* How many built documents stay in memory (default 400, ~270 KB each with
 * their gzip): a benchmark of 1000 generated ids keeps them all, so that it
 * measures the clients rather than the building. */
void        sg_mock_api_set_keep_documents (SgMockApi *self,
                                            guint      keep_documents);
void        sg_mock_api_set_fault      (SgMockApi       *self,
                                        guint            id,
                                        SgMockFaultKind  kind,
                                        guint            arg);
/* Parses "ID=FAULT[:ARG],..." e.g. "13=status:404,14=flaky:2,15=hang". */
gboolean    sg_mock_api_parse_faults   (SgMockApi       *self,
                                        const char      *spec,
                                        GError         **error);
/* Listens on 127.0.0.1 (port 0: any free port) in the thread-default main
 * context of the caller. */
gboolean    sg_mock_api_listen         (SgMockApi       *self,
                                        guint            port,
                                        GError         **error);
/* "http://127.0.0.1:PORT/api/v2/" once listening. */
const char *sg_mock_api_get_base_url   (SgMockApi       *self);
/* Requests received so far, all routes together (for tests). */
guint       sg_mock_api_get_n_requests (SgMockApi       *self);

/* Generated data, also usable without a server (tests compare bytes): */
char       *sg_mock_api_creature_name  (guint            id);
GBytes     *sg_mock_api_draw_sprite    (guint            id,
                                        gboolean         shiny,
                                        gboolean         back);

G_END_DECLS
