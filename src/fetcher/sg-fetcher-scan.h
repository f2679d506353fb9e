/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A detail document is ~230 KB of JSON, nearly all of it "moves", and we
 * keep a handful of small members. Building json-glib's tree of the whole
 * document costs ~3-8 ms a document; this scanner walks the top level of
 * the object without building anything (~0.1 ms), copies out the members we
 * want as a small JSON object, and json-glib parses just that.
 *
 * The members it skips are checked for structure only (strings closed,
 * brackets matched, nothing after the object), not for every rule of the
 * grammar: whatever it keeps is parsed by json-glib in full. Anything it
 * is unsure of (an escaped key, very deep nesting) makes it give up, and
 * the caller falls back to parsing the whole document.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends to @out a JSON object made of the top-level members of the
 * object in @data (@len bytes, need not be NUL-terminated) whose names are
 * in @wanted (NULL-terminated), in document order, values copied verbatim.
 * Returns FALSE when @data is not a structurally well-formed JSON object,
 * or when the scanner cannot tell; @out is then undefined. */
gboolean sg_fetcher_scan_members (const char         *data,
                                  gsize               len,
                                  const char * const *wanted,
                                  GString            *out);

G_END_DECLS
