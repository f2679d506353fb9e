/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-progress-line"

#include "config.h"

#include "sg-progress-line.h"

struct _SgProgressLine
{
  GtkWidget parent_instance;

  double    fraction;
};

G_DEFINE_FINAL_TYPE (SgProgressLine, sg_progress_line, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sg_progress_line_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SgProgressLine *self = SG_PROGRESS_LINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float filled = (float) (width * self->fraction);
  GdkRGBA color;

  if (filled <= 0)
    return;

  /* style.css gives the line its colour (the accent colour) and height. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    gtk_snapshot_append_color (snapshot, &color,
                               &GRAPHENE_RECT_INIT (width - filled, 0, filled, height));
  else
    gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (0, 0, filled, height));
}

static void
sg_progress_line_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SgProgressLine *self = SG_PROGRESS_LINE (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_progress_line_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SgProgressLine *self = SG_PROGRESS_LINE (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      sg_progress_line_set_fraction (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_progress_line_class_init (SgProgressLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sg_progress_line_get_property;
  object_class->set_property = sg_progress_line_set_property;
  widget_class->snapshot = sg_progress_line_snapshot;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "progressline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
sg_progress_line_init (SgProgressLine *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.0,
                                  -1);
}

GtkWidget *
sg_progress_line_new (void)
{
  return g_object_new (SG_TYPE_PROGRESS_LINE, NULL);
}

double
sg_progress_line_get_fraction (SgProgressLine *self)
{
  g_return_val_if_fail (SG_IS_PROGRESS_LINE (self), 0.0);

  return self->fraction;
}

void
sg_progress_line_set_fraction (SgProgressLine *self,
                               double          fraction)
{
  g_return_if_fail (SG_IS_PROGRESS_LINE (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction)
    return;

  self->fraction = fraction;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, fraction,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}
