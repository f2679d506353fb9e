/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One palette for everything that says "this worker": tiles, timeline
 * lanes, rows of the workers panel, the sprite page. Eight GNOME palette
 * colours that read on light and dark, by worker slot modulo eight. The CSS
 * classes "worker-0" … "worker-7" (style.css) carry the same colours for
 * widgets; drawing code takes the GdkRGBA.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SG_WORKER_N_COLORS 8

/* "worker-N" for a slot (negative slots: "worker-0"). */
const char *sg_worker_color_css_class (int      slot);
void        sg_worker_color_get_rgba  (int      slot,
                                       GdkRGBA *rgba);
/* Moves @widget's "worker-N" class to @slot's (-1: none). */
void        sg_worker_color_apply     (GtkWidget *widget,
                                       int        slot);

G_END_DECLS
