/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Internals shared by sg-mock-api.c (server, routing, caching, latency) and
 * sg-mock-api-respond.c (how each route and fault is answered).
 */
#pragma once

#include <libsoup/soup.h>

#include "sg-mock-api.h"

G_BEGIN_DECLS

typedef enum {
  SG_MOCK_ROUTE_NOT_FOUND,
  SG_MOCK_ROUTE_BAD_METHOD,
  SG_MOCK_ROUTE_REDIRECT,       /* /api/v2/pokemon/{id} -> /api/v2/pokemon/{id}/ */
  SG_MOCK_ROUTE_DETAIL,
  SG_MOCK_ROUTE_SPRITE,
  SG_MOCK_ROUTE_ERROR,          /* the data could not be loaded (mirror I/O) */
} SgMockRoute;

/* Sprite variants, in URL order: {id}.png, shiny/, back/, back/shiny/. */
typedef enum {
  SG_MOCK_SPRITE_FRONT,
  SG_MOCK_SPRITE_SHINY,
  SG_MOCK_SPRITE_BACK,
  SG_MOCK_SPRITE_BACK_SHINY,
  SG_MOCK_N_SPRITE_VARIANTS,
} SgMockSpriteVariant;

/* A cached body: the bytes, and for documents their gzip. */
typedef struct {
  GBytes *plain;
  GBytes *gzip;
} SgMockBlob;

/* One request in flight, from the handler until libsoup is done with it. */
typedef struct {
  SgMockApi          *self;            /* unowned: the API drops its exchanges first */
  SoupServerMessage  *msg;             /* owned */
  gulong              finished_handler;
  gulong              wrote_chunk_handler;
  GSource            *timer;           /* latency, then drip */
  gint64              started_us;

  SgMockRoute         route;
  guint               id;
  SgMockSpriteVariant variant;
  char               *path;            /* the request path, for redirects */
  SgMockFaultKind     fault;           /* the fault of this id that applies to this route */
  guint               fault_arg;
  guint               fault_hit;       /* the how-manieth request of this id's document */
  gboolean            accepts_gzip;

  GBytes             *data;            /* the document or sprite, if the route needs one */
  GBytes             *data_gzip;

  /* Streamed bodies (oversize, drip): head, then blocks, then tail. */
  GBytes             *stream_block;
  guint64             stream_blocks_left;
  GBytes             *stream_tail;
  gsize               drip_offset;
} SgMockExchange;

/* sg-mock-api.c */
const char *sg_mock_api_get_origin       (SgMockApi      *self);
GSource    *sg_mock_api_add_timeout      (SgMockApi      *self,
                                          guint           ms,
                                          GSourceFunc     func,
                                          gpointer        data);

/* sg-mock-api-respond.c */
void        sg_mock_exchange_respond     (SgMockExchange *ex);
/* Whether this exchange needs its document or sprite loaded to answer. */
gboolean    sg_mock_exchange_needs_data  (SgMockExchange *ex);
void        sg_mock_exchange_stop_stream (SgMockExchange *ex);

G_END_DECLS
