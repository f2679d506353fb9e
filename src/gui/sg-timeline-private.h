/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SgTimeline's insides, shared by sg-timeline.c (scrolling, zoom, pointer,
 * layout) and sg-timeline-draw.c (the snapshot).
 */
#pragma once

#include "sg-timeline.h"

G_BEGIN_DECLS

/* Logical pixels. The label column and the lanes grow past their minimum
 * when the labels need it (larger text, a longer translation). */
#define SG_TIMELINE_GUTTER_MIN  132.0  /* lane labels on the left */
#define SG_TIMELINE_AXIS_MIN    28.0   /* time axis on top */
#define SG_TIMELINE_QUEUE_MIN   44.0   /* the queue lane */
#define SG_TIMELINE_LANE_PAD    5.0
#define SG_TIMELINE_LANE_MIN    44.0
#define SG_TIMELINE_RIGHT_PAD   16.0
#define SG_TIMELINE_TICKS_MIN   90.0   /* between two times on the axis */
/* The deepest zoom: 4 px per millisecond. */
#define SG_TIMELINE_MAX_SCALE   4.0

/* Where a worker lane sits, in content coordinates (0 = below the axis). */
typedef struct {
  double y;
  double height;
  double row_height;
  double row_gap;
  guint  rows;
} SgTimelineLane;

/* What the lane labels need, measured with the widget's font. */
typedef struct {
  double axis_height;    /* the time axis on top */
  double tick_spacing;   /* the least room between two times on the axis */
  double gutter;         /* width of the label column */
  double title_height;   /* a label's first line ("Process 2") */
  double detail_height;  /* each smaller line under it ("pid 4242") */
  double queue_height;   /* the queue lane */
  double lane_min;       /* the lowest worker lane */
} SgTimelineLabels;

struct _SgTimeline
{
  GtkWidget        parent_instance;

  SgTimelineModel *model;
  gulong           changed_id;

  GtkAdjustment   *hadjustment;
  GtkAdjustment   *vadjustment;
  guint            hscroll_policy : 1;
  guint            vscroll_policy : 1;

  gboolean         fit;          /* the whole run fits the width */
  double           scale;        /* px per ms when not fitting */
  gboolean         following;    /* keep "now" at the right edge */
  gboolean         configuring;  /* we move the adjustments ourselves */

  guint            highlighted_id;
  guint            hovered_id;
  guint            tick_id;
  gboolean         dirty;
  gint64           last_redraw_us; /* frame time of the last redraw */
  double           zoom_begin_scale;
  double           pointer_x;    /* -1 when outside */
  guint            n_drawn;

  SgTimelineLabels labels;
  GArray          *lanes;        /* SgTimelineLane per worker slot */
  double           content_height;
};

/* sg-timeline.c */
double   sg_timeline_view_width    (SgTimeline          *self);
double   sg_timeline_time_to_x     (SgTimeline          *self,
                                    double               time_ms);
double   sg_timeline_x_to_time     (SgTimeline          *self,
                                    double               x);
double   sg_timeline_content_top   (SgTimeline          *self);
gboolean sg_timeline_bar_rect      (SgTimeline          *self,
                                    const SgTimelineBar *bar,
                                    double               now_ms,
                                    graphene_rect_t     *rect);
void     sg_timeline_row_rect      (SgTimeline          *self,
                                    int                  slot,
                                    guint                row,
                                    double              *y,
                                    double              *height);

/* sg-timeline-draw.c */
void     sg_timeline_draw          (SgTimeline          *self,
                                    GtkSnapshot         *snapshot);
void     sg_timeline_measure_labels (SgTimeline         *self,
                                    SgTimelineLabels    *labels);
char    *sg_timeline_describe_bar  (SgTimeline          *self,
                                    const SgTimelineBar *bar);
char    *sg_timeline_format_ms     (double               ms);

G_END_DECLS
