/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-column-fit"

#include "config.h"

#include "sg-column-fit.h"

struct _SgColumnFit
{
  GtkWidget    parent_instance;

  GtkWidget   *child;
  GtkGridView *grid;            /* inside the child; not owned */
  int          min_column_width;
  guint        max_columns;
};

G_DEFINE_FINAL_TYPE (SgColumnFit, sg_column_fit, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

guint
sg_column_fit_columns_for (int   width,
                           int   min_column_width,
                           guint max_columns)
{
  if (min_column_width <= 0 || width <= 0)
    return max_columns;

  return CLAMP ((guint) (width / min_column_width), 1, max_columns);
}

static void
sg_column_fit_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  SgColumnFit *self = SG_COLUMN_FIT (widget);

  if (self->child != NULL)
    gtk_widget_measure (self->child, orientation, for_size,
                        minimum, natural, minimum_baseline, natural_baseline);
}

static void
sg_column_fit_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SgColumnFit *self = SG_COLUMN_FIT (widget);

  /* Before the grid is allocated, so that it lays out (and creates) the
   * tiles of the new limit at once. A change queues one more layout of
   * the grid, only when the number of columns that fit changes. */
  if (self->grid != NULL)
    {
      guint columns = sg_column_fit_columns_for (width, self->min_column_width, self->max_columns);

      if (gtk_grid_view_get_max_columns (self->grid) != columns)
        gtk_grid_view_set_max_columns (self->grid, columns);
    }

  if (self->child != NULL)
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
sg_column_fit_dispose (GObject *object)
{
  SgColumnFit *self = SG_COLUMN_FIT (object);

  self->grid = NULL;
  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (sg_column_fit_parent_class)->dispose (object);
}

static void
sg_column_fit_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SgColumnFit *self = SG_COLUMN_FIT (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_column_fit_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SgColumnFit *self = SG_COLUMN_FIT (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      sg_column_fit_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_column_fit_class_init (SgColumnFitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_column_fit_dispose;
  object_class->get_property = sg_column_fit_get_property;
  object_class->set_property = sg_column_fit_set_property;

  widget_class->measure = sg_column_fit_measure;
  widget_class->size_allocate = sg_column_fit_size_allocate;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "columnfit");
}

static void
sg_column_fit_init (SgColumnFit *self)
{
}

GtkWidget *
sg_column_fit_new (void)
{
  return g_object_new (SG_TYPE_COLUMN_FIT, NULL);
}

GtkWidget *
sg_column_fit_get_child (SgColumnFit *self)
{
  g_return_val_if_fail (SG_IS_COLUMN_FIT (self), NULL);

  return self->child;
}

void
sg_column_fit_set_child (SgColumnFit *self,
                         GtkWidget   *child)
{
  g_return_if_fail (SG_IS_COLUMN_FIT (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  self->grid = NULL;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

void
sg_column_fit_set_grid (SgColumnFit *self,
                        GtkGridView *grid,
                        int          min_column_width,
                        guint        max_columns)
{
  g_return_if_fail (SG_IS_COLUMN_FIT (self));
  g_return_if_fail (grid == NULL || GTK_IS_GRID_VIEW (grid));
  g_return_if_fail (grid == NULL || gtk_widget_is_ancestor (GTK_WIDGET (grid), GTK_WIDGET (self)));
  g_return_if_fail (max_columns > 0);

  self->grid = grid;
  self->min_column_width = min_column_width;
  self->max_columns = max_columns;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}
