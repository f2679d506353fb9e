/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Wall time and speed-up against the number of processes, from the run
 * history (sg_run_history_compute_speedup): one column per number of
 * processes, the sequential run first as the baseline; bars for wall time
 * (left axis, seconds), a line for the speed-up (right axis, ×). Drawn
 * with GtkSnapshot; follows the history as runs are added.
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-run-history.h"

G_BEGIN_DECLS

#define SG_TYPE_SPEEDUP_CHART (sg_speedup_chart_get_type ())
G_DECLARE_FINAL_TYPE (SgSpeedupChart, sg_speedup_chart, SG, SPEEDUP_CHART, GtkWidget)

GtkWidget       *sg_speedup_chart_new         (void);
SgRunHistory    *sg_speedup_chart_get_history (SgSpeedupChart *self);
void             sg_speedup_chart_set_history (SgSpeedupChart *self,
                                               SgRunHistory   *history);
/* What is drawn now (NULL without a history). */
const SgSpeedup *sg_speedup_chart_get_speedup (SgSpeedupChart *self);
/* Where the plot is drawn inside the widget (the labels around it take
 * what they need); FALSE when there is nothing to plot. */
gboolean         sg_speedup_chart_get_plot_area (SgSpeedupChart  *self,
                                                 graphene_rect_t *area);
/* One sentence saying what the chart compares, e.g. "Queue with 4
 * transfers per process, against a sequential run of 12.3 s". */
char            *sg_speedup_chart_describe    (SgSpeedupChart *self);

G_END_DECLS
