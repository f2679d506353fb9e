/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-texture"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sg-texture.h"

/* A sprite is 96×96; refuse to decode anything absurdly large into memory. */
#define SG_TEXTURE_MAX_SIDE 4096

G_DEFINE_QUARK (sg-texture-error-quark, sg_texture_error)

GdkTexture *
sg_texture_decode_png (GBytes  *png,
                       GError **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) local_error = NULL;
  static const guint8 png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size = 0;
  const guint8 *data;

  g_return_val_if_fail (png != NULL, NULL);

  /* gdk_texture_new_from_bytes() would also take JPEG or TIFF; a sprite
   * must be a PNG, so check the signature first. */
  data = g_bytes_get_data (png, &size);
  if (size < sizeof png_magic || memcmp (data, png_magic, sizeof png_magic) != 0)
    {
      g_set_error_literal (error, SG_TEXTURE_ERROR, SG_TEXTURE_ERROR_INVALID,
                           _("The sprite is not a PNG image"));
      return NULL;
    }

  texture = gdk_texture_new_from_bytes (png, &local_error);
  if (texture == NULL)
    {
      g_debug ("PNG decoding failed: %s", local_error->message);
      g_set_error_literal (error, SG_TEXTURE_ERROR, SG_TEXTURE_ERROR_INVALID,
                           _("The sprite is not a valid image"));
      return NULL;
    }

  if (gdk_texture_get_width (texture) > SG_TEXTURE_MAX_SIDE ||
      gdk_texture_get_height (texture) > SG_TEXTURE_MAX_SIDE)
    {
      g_set_error_literal (error, SG_TEXTURE_ERROR, SG_TEXTURE_ERROR_INVALID,
                           _("The sprite image is too large"));
      return NULL;
    }

  return g_steal_pointer (&texture);
}

GdkTexture *
sg_texture_for_sprite (SgSprite *sprite)
{
  GObject *paintable;
  GBytes *png;

  g_return_val_if_fail (SG_IS_SPRITE (sprite), NULL);

  if (sg_sprite_get_state (sprite) != SG_SPRITE_DONE)
    return NULL;

  paintable = sg_sprite_get_paintable (sprite);
  if (GDK_IS_TEXTURE (paintable))
    return g_object_ref (GDK_TEXTURE (paintable));

  png = sg_sprite_get_png (sprite);
  return png != NULL ? sg_texture_decode_png (png, NULL) : NULL;
}

GdkTexture *
sg_texture_scale_nearest (GdkTexture *texture,
                          int         width,
                          int         height)
{
  g_autofree guchar *src = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree int *src_x = NULL;
  guchar *dst;
  gsize src_stride, dst_stride;
  int src_width, src_height;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (width <= SG_TEXTURE_MAX_SIDE && height <= SG_TEXTURE_MAX_SIDE, NULL);

  src_width = gdk_texture_get_width (texture);
  src_height = gdk_texture_get_height (texture);

  /* GDK_MEMORY_DEFAULT: 4 bytes per pixel, premultiplied; copying whole
   * pixels keeps it valid. */
  src_stride = (gsize) src_width * 4;
  src = g_malloc (src_stride * src_height);
  gdk_texture_download (texture, src, src_stride);

  dst_stride = (gsize) width * 4;
  dst = g_malloc (dst_stride * height);

  /* Integer arithmetic picks the source pixel under each output pixel's
   * centre: (x + ½) · src / dst, rounded down. */
  src_x = g_new (int, width);
  for (int x = 0; x < width; x++)
    src_x[x] = (int) (((gint64) 2 * x + 1) * src_width / (2 * (gint64) width));

  for (int y = 0; y < height; y++)
    {
      int sy = (int) (((gint64) 2 * y + 1) * src_height / (2 * (gint64) height));
      const guint32 *src_row = (const guint32 *) (src + sy * src_stride);
      guint32 *dst_row = (guint32 *) (dst + y * dst_stride);

      for (int x = 0; x < width; x++)
        dst_row[x] = src_row[src_x[x]];
    }

  bytes = g_bytes_new_take (dst, dst_stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, dst_stride);
}
