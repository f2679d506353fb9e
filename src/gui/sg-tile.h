/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One card of the gallery, bound to an SgSprite: a placeholder number while
 * pending, a spinner while a helper fetches it, the sprite (crisp, see
 * SgPixelView) with its name, the helper's colour and pid when done, the
 * reason and a Retry button when it failed. The grid recycles tiles: all
 * state lives in the sprite.
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-sprite.h"

G_BEGIN_DECLS

#define SG_TYPE_TILE (sg_tile_get_type ())
G_DECLARE_FINAL_TYPE (SgTile, sg_tile, SG, TILE, GtkWidget)

GtkWidget *sg_tile_new         (void);
SgSprite  *sg_tile_get_sprite  (SgTile   *self);
void       sg_tile_set_sprite  (SgTile   *self,
                                SgSprite *sprite);

/* "Mr. Mime" style display name from an API name ("mr-mime" → "Mr-Mime"). */
char      *sg_tile_display_name (const char *api_name);

G_END_DECLS
