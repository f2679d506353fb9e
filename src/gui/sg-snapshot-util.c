/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-snapshot-util"

#include "config.h"

#include <math.h>

#include "sg-snapshot-util.h"

GdkRGBA
sg_rgba_with_alpha (const GdkRGBA *color,
                    double         alpha)
{
  GdkRGBA copy = *color;

  copy.alpha *= alpha;
  return copy;
}

void
sg_snapshot_append_rect (GtkSnapshot   *snapshot,
                         double         x,
                         double         y,
                         double         w,
                         double         h,
                         const GdkRGBA *color)
{
  if (w <= 0 || h <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

void
sg_snapshot_append_dot (GtkSnapshot   *snapshot,
                        double         cx,
                        double         cy,
                        double         radius,
                        const GdkRGBA *color)
{
  GskRoundedRect round_rect;

  gsk_rounded_rect_init_from_rect (&round_rect,
                                   &GRAPHENE_RECT_INIT (cx - radius, cy - radius, 2 * radius,
                                                        2 * radius),
                                   radius);
  gtk_snapshot_push_rounded_clip (snapshot, &round_rect);
  sg_snapshot_append_rect (snapshot, cx - radius, cy - radius, 2 * radius, 2 * radius, color);
  gtk_snapshot_pop (snapshot);
}

void
sg_snapshot_append_line (GtkSnapshot   *snapshot,
                         double         x0,
                         double         y0,
                         double         x1,
                         double         y1,
                         double         width,
                         const GdkRGBA *color)
{
  double length = hypot (x1 - x0, y1 - y0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x0, y0));
  gtk_snapshot_rotate (snapshot, atan2 (y1 - y0, x1 - x0) * 180 / G_PI);
  sg_snapshot_append_rect (snapshot, 0, -width / 2, length, width, color);
  gtk_snapshot_restore (snapshot);
}

void
sg_layout_set_chart_attributes (PangoLayout *layout,
                                gboolean     small,
                                gboolean     bold)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Tabular figures: numbers that change do not make the text dance. */
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

void
sg_layout_measure_chart_text (PangoLayout *layout,
                              const char  *text,
                              gboolean     small,
                              gboolean     bold,
                              int         *width,
                              int         *height)
{
  sg_layout_set_chart_attributes (layout, small, bold);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, width, height);
}

void
sg_snapshot_append_layout_at (GtkSnapshot   *snapshot,
                              PangoLayout   *layout,
                              double         x,
                              double         y,
                              const GdkRGBA *color)
{
  /* Whole pixels keep the glyphs sharp. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}
