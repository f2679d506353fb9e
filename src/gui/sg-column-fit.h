/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A bin around the gallery's scrolled GtkGridView that keeps the grid's
 * max-columns at what its width can hold.
 *
 * GTK 4.8's GtkGridView keeps max-columns × 30 list items alive, however
 * many columns it shows: 480 tiles for a limit of 16, each one measured and
 * styled. With a thousand sprites, the frames where the whole window is
 * styled (the first ones, and libadwaita's end of its start-up transition a
 * quarter of a second in) took 8–17 ms each. The limit follows the width
 * from above instead: a column is never narrower than a tile's content, so
 * the grid still shows every column that fits, and keeps fewer tiles.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SG_TYPE_COLUMN_FIT (sg_column_fit_get_type ())
G_DECLARE_FINAL_TYPE (SgColumnFit, sg_column_fit, SG, COLUMN_FIT, GtkWidget)

GtkWidget *sg_column_fit_new         (void);
GtkWidget *sg_column_fit_get_child   (SgColumnFit *self);
void       sg_column_fit_set_child   (SgColumnFit *self,
                                      GtkWidget   *child);
/* @grid gets max-columns = width ÷ @min_column_width, at least 1 and at
 * most @max_columns, at each allocation of the bin. */
void       sg_column_fit_set_grid    (SgColumnFit *self,
                                      GtkGridView *grid,
                                      int          min_column_width,
                                      guint        max_columns);
/* That limit for @width (@max_columns for no width yet). */
guint      sg_column_fit_columns_for (int          width,
                                      int          min_column_width,
                                      guint        max_columns);

G_END_DECLS
