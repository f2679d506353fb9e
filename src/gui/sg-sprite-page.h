/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A sprite's page, opened from its tile: the sprite large and crisp, its
 * variants (front, back, shiny, back shiny — fetched on demand, see
 * sg-variant-loader.h), types as pills, height and weight, base stats as
 * level bars, the helper process that fetched it (colour and pid), its
 * attempts and its timing breakdown. It follows the sprite while it
 * changes (a retry, a new run).
 */
#pragma once

#include <adwaita.h>

#include "sg-sprite.h"

G_BEGIN_DECLS

#define SG_TYPE_SPRITE_PAGE (sg_sprite_page_get_type ())
G_DECLARE_FINAL_TYPE (SgSpritePage, sg_sprite_page, SG, SPRITE_PAGE, AdwWindow)

GtkWidget *sg_sprite_page_new                (SgSprite     *sprite);
SgSprite  *sg_sprite_page_get_sprite         (SgSpritePage *self);
/* Variants shown so far (out of the ones the sprite has URLs for). */
guint      sg_sprite_page_get_variants_shown (SgSpritePage *self);
guint      sg_sprite_page_get_variants_total (SgSpritePage *self);

G_END_DECLS
