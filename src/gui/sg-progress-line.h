/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A thin progress bar along the top of the gallery. GtkProgressBar lays out
 * its indicator again at every new fraction, and a new layout of a window
 * is not free (on X11 it asks the server for the monitor's work area, a
 * round trip that waits for the frames still being drawn): with a hundred
 * results a run, that was most frames. This one draws the fraction, so a
 * new one is only a redraw.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SG_TYPE_PROGRESS_LINE (sg_progress_line_get_type ())
G_DECLARE_FINAL_TYPE (SgProgressLine, sg_progress_line, SG, PROGRESS_LINE, GtkWidget)

GtkWidget *sg_progress_line_new          (void);
double     sg_progress_line_get_fraction (SgProgressLine *self);
/* @fraction is clamped to 0..1. */
void       sg_progress_line_set_fraction (SgProgressLine *self,
                                          double          fraction);

G_END_DECLS
