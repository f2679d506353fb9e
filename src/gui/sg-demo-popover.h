/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline demo's controls, in a popover from the header bar: what the
 * demo is, and the built-in server's latency (0–1000 ms) on a scale with
 * marks at 0, 100, 300 and 1000 ms, so a class can watch the network's
 * effect on how much more processes and transfers help.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SG_DEMO_POPOVER_MAX_LATENCY_MS 1000

#define SG_TYPE_DEMO_POPOVER (sg_demo_popover_get_type ())
G_DECLARE_FINAL_TYPE (SgDemoPopover, sg_demo_popover, SG, DEMO_POPOVER, GtkPopover)

GtkWidget *sg_demo_popover_new         (void);
guint      sg_demo_popover_get_latency (SgDemoPopover *self);
/* Values above SG_DEMO_POPOVER_MAX_LATENCY_MS are shown at the scale's end. */
void       sg_demo_popover_set_latency (SgDemoPopover *self,
                                        guint          latency_ms);
GtkRange  *sg_demo_popover_get_scale   (SgDemoPopover *self);
/* Where the scale's knob sits for @latency_ms (the scale is not linear). */
double     sg_demo_popover_latency_to_position (guint latency_ms);

/* Properties: "latency-ms" (guint, read-write, notify): bind it to the
 * server and to the setting. */

G_END_DECLS
