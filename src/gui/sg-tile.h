/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One card of the gallery, bound to an SgSprite: a placeholder number while
 * pending, a ring in the helper's colour while that helper fetches it, the
 * sprite (crisp, see SgPixelView) with its name, the helper's colour and
 * pid when done, the reason and a Retry button when it failed. The grid
 * recycles tiles: all state lives in the sprite.
 *
 * The card draws its text itself rather than holding a dozen labels: a
 * hundred tiles change state within a few frames of a run, and with child
 * widgets each change restyled and re-measured a whole subtree. Now a
 * change is a redraw; only the sprite and the failed state are widgets.
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-sprite.h"

G_BEGIN_DECLS

#define SG_TYPE_TILE (sg_tile_get_type ())

/* No tile is narrower, so no column of the grid is either. */
#define SG_TILE_MIN_WIDTH 144
G_DECLARE_FINAL_TYPE (SgTile, sg_tile, SG, TILE, GtkWidget)

GtkWidget *sg_tile_new         (void);
SgSprite  *sg_tile_get_sprite  (SgTile   *self);
void       sg_tile_set_sprite  (SgTile   *self,
                                SgSprite *sprite);
/* The state the tile shows. It follows its sprite's state before the next
 * frame is drawn, or a few frames later when many tiles change at once. */
SgSpriteState sg_tile_get_shown_state (SgTile *self);

/* "Mr. Mime" style display name from an API name ("mr-mime" → "Mr-Mime"). */
char      *sg_tile_display_name (const char *api_name);

G_END_DECLS
