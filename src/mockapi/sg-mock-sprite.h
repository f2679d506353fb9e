/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Procedurally drawn creature sprites: 96x96 RGBA PNGs of chunky,
 * symmetric pixel-art monsters, a pure function of (id, shiny, back).
 * Thread-safe (cairo image surfaces are private to each call).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SG_MOCK_SPRITE_SIZE 96

GBytes *sg_mock_sprite_draw (guint    id,
                             gboolean shiny,
                             gboolean back);

G_END_DECLS
