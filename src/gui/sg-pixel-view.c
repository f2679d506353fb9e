/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-pixel-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-pixel-view.h"
#include "sg-texture.h"

struct _SgPixelView
{
  GtkWidget   parent_instance;

  GdkTexture *texture;
  GBytes     *png;       /* or this, decoded when drawn */
  /* @texture (or @png) resized to the device pixels of the last snapshot */
  GdkTexture *scaled;
  int         pixel_size;
};

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_PIXEL_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SgPixelView, sg_pixel_view, GTK_TYPE_WIDGET)

static void
sg_pixel_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  SgPixelView *self = SG_PIXEL_VIEW (widget);

  *minimum = *natural = self->pixel_size;
}

static void
sg_pixel_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SgPixelView *self = SG_PIXEL_VIEW (widget);
  int device_size;
  float x, y;

  if (self->texture == NULL && self->png == NULL)
    return;

  device_size = self->pixel_size * gtk_widget_get_scale_factor (widget);
  if (device_size <= 0)
    return;

  if (self->scaled == NULL || gdk_texture_get_width (self->scaled) != device_size)
    {
      g_autoptr(GdkTexture) decoded = NULL;
      GdkTexture *source = self->texture;

      if (source == NULL)
        {
          /* A PNG that does not decode shows nothing (the window has
           * already failed such a sprite). */
          decoded = sg_texture_decode_png (self->png, NULL);
          source = decoded;
        }
      g_clear_object (&self->scaled);
      if (source != NULL)
        self->scaled = sg_texture_scale_nearest (source, device_size, device_size);
    }
  if (self->scaled == NULL)
    return;

  /* Centred on whole pixels, so the device pixels line up 1:1. */
  x = (gtk_widget_get_width (widget) - self->pixel_size) / 2;
  y = (gtk_widget_get_height (widget) - self->pixel_size) / 2;
  gtk_snapshot_append_texture (snapshot, self->scaled,
                               &GRAPHENE_RECT_INIT (x, y, self->pixel_size, self->pixel_size));
}

static void
sg_pixel_view_dispose (GObject *object)
{
  SgPixelView *self = SG_PIXEL_VIEW (object);

  g_clear_object (&self->texture);
  g_clear_pointer (&self->png, g_bytes_unref);
  g_clear_object (&self->scaled);

  G_OBJECT_CLASS (sg_pixel_view_parent_class)->dispose (object);
}

static void
sg_pixel_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SgPixelView *self = SG_PIXEL_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_PIXEL_SIZE:
      g_value_set_int (value, self->pixel_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_pixel_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SgPixelView *self = SG_PIXEL_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      sg_pixel_view_set_texture (self, g_value_get_object (value));
      break;
    case PROP_PIXEL_SIZE:
      sg_pixel_view_set_pixel_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_pixel_view_class_init (SgPixelViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_pixel_view_dispose;
  object_class->get_property = sg_pixel_view_get_property;
  object_class->set_property = sg_pixel_view_set_property;

  widget_class->measure = sg_pixel_view_measure;
  widget_class->snapshot = sg_pixel_view_snapshot;

  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIXEL_SIZE] =
    g_param_spec_int ("pixel-size", NULL, NULL, 1, 1024, 96,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pixelview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sg_pixel_view_init (SgPixelView *self)
{
  self->pixel_size = 96;
}

GtkWidget *
sg_pixel_view_new (void)
{
  return g_object_new (SG_TYPE_PIXEL_VIEW, NULL);
}

GdkTexture *
sg_pixel_view_get_texture (SgPixelView *self)
{
  g_return_val_if_fail (SG_IS_PIXEL_VIEW (self), NULL);

  return self->texture;
}

void
sg_pixel_view_set_texture (SgPixelView *self,
                           GdkTexture  *texture)
{
  g_return_if_fail (SG_IS_PIXEL_VIEW (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (!g_set_object (&self->texture, texture) && self->png == NULL)
    return;

  g_clear_pointer (&self->png, g_bytes_unref);
  g_clear_object (&self->scaled);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

void
sg_pixel_view_set_png (SgPixelView *self,
                       GBytes      *png)
{
  g_return_if_fail (SG_IS_PIXEL_VIEW (self));

  /* The same bytes: the pixels already resized stay. */
  if (png == self->png && self->texture == NULL)
    return;

  if (png != NULL)
    g_bytes_ref (png);
  g_clear_pointer (&self->png, g_bytes_unref);
  self->png = png;
  if (self->texture != NULL)
    {
      g_clear_object (&self->texture);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
    }
  g_clear_object (&self->scaled);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
sg_pixel_view_get_pixel_size (SgPixelView *self)
{
  g_return_val_if_fail (SG_IS_PIXEL_VIEW (self), 0);

  return self->pixel_size;
}

void
sg_pixel_view_set_pixel_size (SgPixelView *self,
                              int          pixel_size)
{
  g_return_if_fail (SG_IS_PIXEL_VIEW (self));
  g_return_if_fail (pixel_size > 0);

  if (self->pixel_size == pixel_size)
    return;

  self->pixel_size = pixel_size;
  g_clear_object (&self->scaled);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXEL_SIZE]);
}
