/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-demo-popover"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-demo-popover.h"
#include "sg-demo-server.h"

struct _SgDemoPopover
{
  GtkPopover     parent_instance;

  guint          latency_ms;

  /* template children */
  GtkScale      *latency_scale;
  GtkAdjustment *latency_adjustment;
  GtkLabel      *latency_value_label;
};

/* The scale is a square-root one: position 0..1000 maps to latency
 * position² / 1000 ms. The marks (0, 100, 300, 1000 ms) then sit at 0, 32,
 * 55 and 100 % instead of bunching up at the start, and the low latencies,
 * where most of the change in speed-up happens, get most of the width. */
#define SCALE_LENGTH 1000.0

double
sg_demo_popover_latency_to_position (guint latency_ms)
{
  return sqrt ((double) MIN (latency_ms, SG_DEMO_POPOVER_MAX_LATENCY_MS) * SCALE_LENGTH);
}

static guint
position_to_latency (double position)
{
  double latency = position * position / SCALE_LENGTH;

  /* Whole tens of milliseconds: finer steps mean nothing to the eye and
   * would only send the server more changes. */
  return (guint) (lround (latency / 10.0) * 10);
}

G_DEFINE_FINAL_TYPE (SgDemoPopover, sg_demo_popover, GTK_TYPE_POPOVER)

enum {
  PROP_0,
  PROP_LATENCY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_latency (guint latency_ms)
{
  /* Translators: a latency in milliseconds, e.g. "300 ms" */
  return g_strdup_printf (_("%u ms"), latency_ms);
}

static void
on_adjustment_value_changed (SgDemoPopover *self,
                             GtkAdjustment *adjustment)
{
  guint value = position_to_latency (gtk_adjustment_get_value (adjustment));

  if (self->latency_ms > SG_DEMO_POPOVER_MAX_LATENCY_MS &&
      value == SG_DEMO_POPOVER_MAX_LATENCY_MS)
    return;  /* a larger setting shown at the end of the scale */

  sg_demo_popover_set_latency (self, value);
}

guint
sg_demo_popover_get_latency (SgDemoPopover *self)
{
  g_return_val_if_fail (SG_IS_DEMO_POPOVER (self), 0);

  return self->latency_ms;
}

void
sg_demo_popover_set_latency (SgDemoPopover *self,
                             guint          latency_ms)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SG_IS_DEMO_POPOVER (self));

  latency_ms = MIN (latency_ms, SG_DEMO_SERVER_MAX_LATENCY_MS);
  if (self->latency_ms == latency_ms)
    return;

  self->latency_ms = latency_ms;
  text = format_latency (latency_ms);
  gtk_label_set_label (self->latency_value_label, text);
  /* Leaves the knob alone when it already shows this value (it is being
   * dragged), and shows larger settings at the end of the scale. */
  if (position_to_latency (gtk_adjustment_get_value (self->latency_adjustment)) !=
      MIN (latency_ms, SG_DEMO_POPOVER_MAX_LATENCY_MS))
    gtk_adjustment_set_value (self->latency_adjustment,
                              sg_demo_popover_latency_to_position (latency_ms));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
}

GtkRange *
sg_demo_popover_get_scale (SgDemoPopover *self)
{
  g_return_val_if_fail (SG_IS_DEMO_POPOVER (self), NULL);

  return GTK_RANGE (self->latency_scale);
}

static void
sg_demo_popover_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgDemoPopover *self = SG_DEMO_POPOVER (object);

  switch (prop_id)
    {
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->latency_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_demo_popover_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SgDemoPopover *self = SG_DEMO_POPOVER (object);

  switch (prop_id)
    {
    case PROP_LATENCY_MS:
      sg_demo_popover_set_latency (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_demo_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SG_TYPE_DEMO_POPOVER);

  G_OBJECT_CLASS (sg_demo_popover_parent_class)->dispose (object);
}

static void
sg_demo_popover_class_init (SgDemoPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_demo_popover_dispose;
  object_class->get_property = sg_demo_popover_get_property;
  object_class->set_property = sg_demo_popover_set_property;

  properties[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL,
                       0, SG_DEMO_SERVER_MAX_LATENCY_MS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               SG_RESOURCE_PREFIX "/sg-demo-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, SgDemoPopover, latency_scale);
  gtk_widget_class_bind_template_child (widget_class, SgDemoPopover, latency_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SgDemoPopover, latency_value_label);
  gtk_widget_class_bind_template_callback (widget_class, on_adjustment_value_changed);
}

static void
sg_demo_popover_init (SgDemoPopover *self)
{
  static const guint marks[] = { 0, 100, 300, 1000 };

  g_autofree char *text = format_latency (0);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_label_set_label (self->latency_value_label, text);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autofree char *label = format_latency (marks[i]);

      gtk_scale_add_mark (self->latency_scale, sg_demo_popover_latency_to_position (marks[i]),
                          GTK_POS_BOTTOM, label);
    }
}

GtkWidget *
sg_demo_popover_new (void)
{
  return g_object_new (SG_TYPE_DEMO_POPOVER, NULL);
}
