/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The live timeline of a run, drawn with GtkSnapshot: a queue lane (how
 * many tasks wait), then one lane per worker process in the worker's
 * colour, time flowing left to right, one bar per attempt split into its
 * phases (JSON transfer, parse, sprite transfer) on the transfer row it
 * used; retries, failures, a helper's death and its respawn are marked.
 *
 * It is a GtkScrollable: put it in a GtkScrolledWindow. By default the
 * whole run fits the width and "now" stays at the right edge; Ctrl+scroll,
 * a pinch or the actions timeline.zoom-in/zoom-out/zoom-fit zoom. Redraws
 * happen at most once per frame (a tick callback), and only the visible
 * range is drawn, so hundreds of tasks stream in smoothly.
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-timeline-model.h"

G_BEGIN_DECLS

#define SG_TYPE_TIMELINE (sg_timeline_get_type ())
G_DECLARE_FINAL_TYPE (SgTimeline, sg_timeline, SG, TIMELINE, GtkWidget)

GtkWidget       *sg_timeline_new                (void);
SgTimelineModel *sg_timeline_get_model          (SgTimeline      *self);
void             sg_timeline_set_model          (SgTimeline      *self,
                                                 SgTimelineModel *model);
/* The sprite whose bars are outlined (0: none), e.g. the hovered tile's. */
guint            sg_timeline_get_highlighted_id (SgTimeline      *self);
void             sg_timeline_set_highlighted_id (SgTimeline      *self,
                                                 guint            sprite_id);
/* Pixels per millisecond drawn now; TRUE while the whole run fits. */
double           sg_timeline_get_scale          (SgTimeline      *self);
gboolean         sg_timeline_get_fit            (SgTimeline      *self);
void             sg_timeline_zoom               (SgTimeline      *self,
                                                 double           factor);
void             sg_timeline_zoom_fit           (SgTimeline      *self);

/* The sprite of the bar at (@x, @y) in widget coordinates, 0 if none. */
guint            sg_timeline_pick               (SgTimeline      *self,
                                                 double           x,
                                                 double           y);
/* What the pointer does when it moves to (@x, @y) (negative: it left):
 * updates the hovered bar and emits "task-hovered" when it changes. */
void             sg_timeline_hover_at           (SgTimeline      *self,
                                                 double           x,
                                                 double           y);
/* Where the latest attempt of @sprite_id is drawn (widget coordinates). */
gboolean         sg_timeline_get_bar_area       (SgTimeline      *self,
                                                 guint            sprite_id,
                                                 graphene_rect_t *area);
/* The sentence drawn in place of the lanes when there are none, or NULL. */
const char      *sg_timeline_get_placeholder    (SgTimeline      *self);
/* Bars drawn by the last snapshot (only the visible ones are). */
guint            sg_timeline_get_n_drawn        (SgTimeline      *self);

/*
 * Signals:
 *  "task-hovered"   (guint sprite_id) the pointer moved onto a bar (0: off)
 *  "task-activated" (guint sprite_id) a bar was clicked
 */

G_END_DECLS
