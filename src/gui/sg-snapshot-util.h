/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GtkSnapshot shapes the hand-drawn charts (the timeline, the speed-up
 * chart) share: GTK 4.8 has no stroke nodes, so dots are a rectangle in a
 * round clip and lines a rotated thin rectangle. Coordinates are logical
 * pixels in the snapshot's current transform.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @color with its alpha multiplied by @alpha. */
GdkRGBA sg_rgba_with_alpha             (const GdkRGBA *color,
                                        double         alpha);

/* Nothing for an empty or negative size. */
void    sg_snapshot_append_rect        (GtkSnapshot   *snapshot,
                                        double         x,
                                        double         y,
                                        double         w,
                                        double         h,
                                        const GdkRGBA *color);
void    sg_snapshot_append_dot         (GtkSnapshot   *snapshot,
                                        double         cx,
                                        double         cy,
                                        double         radius,
                                        const GdkRGBA *color);
/* A straight stroke of @width from (x0, y0) to (x1, y1). */
void    sg_snapshot_append_line        (GtkSnapshot   *snapshot,
                                        double         x0,
                                        double         y0,
                                        double         x1,
                                        double         y1,
                                        double         width,
                                        const GdkRGBA *color);

/* Chart text: tabular figures, optionally smaller and/or bold. Set before
 * the layout's text. */
void    sg_layout_set_chart_attributes (PangoLayout   *layout,
                                        gboolean       small,
                                        gboolean       bold);
/* The size @text takes as chart text (@layout is left holding it). */
void    sg_layout_measure_chart_text   (PangoLayout   *layout,
                                        const char    *text,
                                        gboolean       small,
                                        gboolean       bold,
                                        int           *width,
                                        int           *height);
/* @layout with its top left corner at (x, y), rounded to whole pixels. */
void    sg_snapshot_append_layout_at   (GtkSnapshot   *snapshot,
                                        PangoLayout   *layout,
                                        double         x,
                                        double         y,
                                        const GdkRGBA *color);

G_END_DECLS
