/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Byte-level helpers of the mock API: gzip for cached bodies and a
 * single-pass replace for rewriting documents (text, no NUL bytes).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* gzip (RFC 1952) of @data, as sent with Content-Encoding: gzip. */
GBytes *sg_mock_gzip         (GBytes     *data);
/* @data with every occurrence of @needle replaced, in one pass (GLib's
 * g_string_replace() moves the tail for each hit before 2.80). Returns a new
 * reference to @data when there is nothing to replace. */
GBytes *sg_mock_replace_all  (GBytes     *data,
                              const char *needle,
                              const char *replacement);
/* The count of occurrences of @needle in @data. */
guint   sg_mock_count        (GBytes     *data,
                              const char *needle);

G_END_DECLS
