/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Mirror mode: the real documents and sprites of a pokeapi-mirror
 * directory, rewritten so that every link points back at the mock server.
 * Files are read by id only (never by a path taken from a request), on any
 * thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether @dir looks like a pokeapi-mirror (has api/v2/pokemon/). */
gboolean  sg_mock_mirror_check     (const char  *dir,
                                    GError     **error);
/* The detail document of @id with its sprite URLs and relative links made
 * absolute under @origin ("http://127.0.0.1:PORT"); G_IO_ERROR_NOT_FOUND
 * when the mirror does not have it. */
GBytes   *sg_mock_mirror_document  (const char  *dir,
                                    guint        id,
                                    const char  *origin,
                                    GError     **error);
GBytes   *sg_mock_mirror_sprite    (const char  *dir,
                                    guint        id,
                                    gboolean     shiny,
                                    gboolean     back,
                                    GError     **error);

G_END_DECLS
