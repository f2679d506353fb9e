/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The detail document (/pokemon/{id}/, ~230 KB, mostly "moves") reduced to
 * what the app keeps: {"id","name","types":[..],"height","weight",
 * "stats":{"hp":45,..},"sprites":{"front_default",..}}. Every string kept is
 * bounded, so the RESULT metadata always fits a frame.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SG_FETCHER_PARSE_ERROR (sg_fetcher_parse_error_quark ())

typedef enum {
  SG_FETCHER_PARSE_ERROR_BAD_JSON,   /* not JSON, not an object, no id/name, wrong id */
  SG_FETCHER_PARSE_ERROR_NO_SPRITE,  /* sprites.front_default null or missing */
} SgFetcherParseError;

GQuark      sg_fetcher_parse_error_quark (void);

/* Parses @len bytes of @data in place (no copy) and returns the kept
 * object; *@front_default receives sprites.front_default. */
JsonObject *sg_fetcher_parse_detail      (const char  *data,
                                          gsize        len,
                                          guint        expected_id,
                                          char       **front_default,
                                          GError     **error);

G_END_DECLS
