/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sprite pixels for the GUI: PNG decoding (GdkTexture does the work and the
 * validation) and a nearest-neighbour resize, so that 96×96 pixel art stays
 * crisp when a tile shows it larger. GTK 4.8 has no nearest filter for
 * textures (gtk_snapshot_append_scaled_texture is 4.10), so we resize the
 * pixels ourselves to exactly the device pixels drawn: the renderer then
 * copies them 1:1 and never filters.
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-sprite.h"

G_BEGIN_DECLS

#define SG_TEXTURE_ERROR (sg_texture_error_quark ())

typedef enum {
  SG_TEXTURE_ERROR_INVALID, /* not a PNG, or a broken one */
} SgTextureError;

GQuark      sg_texture_error_quark     (void);

/* Decodes @png (PNG bytes) into a texture; fails with a message a user can
 * read when the bytes are not an image. */
GdkTexture *sg_texture_decode_png      (GBytes      *png,
                                        GError     **error);
/* The pixels of a done sprite: its "paintable" when the window still keeps
 * the decoded texture (it keeps only the most recent ones, see
 * sg-window.c), else decoded again from its PNG. NULL when the sprite is
 * not done or its PNG does not decode. */
GdkTexture *sg_texture_for_sprite      (SgSprite    *sprite);
/* A copy of @texture resized to @width × @height with nearest-neighbour
 * sampling (every output pixel is one input pixel, colours exact). */
GdkTexture *sg_texture_scale_nearest   (GdkTexture  *texture,
                                        int          width,
                                        int          height);

G_END_DECLS
