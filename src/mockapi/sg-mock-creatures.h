/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Generated creatures: original names, types and detail documents with the
 * shape and size of PokeAPI's /pokemon/{id}/ resource. Everything is a pure
 * function of the id (and of the server's address, for the links), so tests
 * can compare bytes and the documents can be built on any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SG_MOCK_N_TYPES 18

/* A stable hash of (id, salt): the one source of "randomness" here, so a
 * creature looks and reads the same on every run, machine and GLib version. */
guint32     sg_mock_hash                  (guint        id,
                                           guint        salt);
char       *sg_mock_creature_name         (guint        id);
/* Index into the 18 types (0 = normal ... 17 = fairy); the second is -1 if none. */
void        sg_mock_creature_types        (guint        id,
                                           int         *primary,
                                           int         *secondary);
const char *sg_mock_type_name             (int          type);
/* The minified JSON detail document; links are absolute under @origin
 * ("http://127.0.0.1:PORT"). Thread-safe. */
GBytes     *sg_mock_creature_document     (guint        id,
                                           const char  *origin);

G_END_DECLS
