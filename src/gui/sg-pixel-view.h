/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shows a small texture (a sprite) at a fixed size without blurring it: the
 * pixels are resized nearest-neighbour to the device pixels drawn (see
 * sg-texture.h), once per texture and scale factor.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SG_TYPE_PIXEL_VIEW (sg_pixel_view_get_type ())
G_DECLARE_FINAL_TYPE (SgPixelView, sg_pixel_view, SG, PIXEL_VIEW, GtkWidget)

GtkWidget  *sg_pixel_view_new          (void);
GdkTexture *sg_pixel_view_get_texture  (SgPixelView *self);
void        sg_pixel_view_set_texture  (SgPixelView *self,
                                        GdkTexture  *texture);
/* Shows the PNG @png instead (replacing any texture): it is decoded only
 * when the view is drawn, and only the resized pixels are kept. A grid
 * keeps hundreds of tiles that are never on screen; they hold just the
 * PNG (~1 KB) rather than a decoded sprite (36 KB). */
void        sg_pixel_view_set_png      (SgPixelView *self,
                                        GBytes      *png);
/* Width and height in application pixels (default 96). */
int         sg_pixel_view_get_pixel_size (SgPixelView *self);
void        sg_pixel_view_set_pixel_size (SgPixelView *self,
                                          int          pixel_size);

G_END_DECLS
