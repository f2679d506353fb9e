/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-png"

#include "config.h"

#include <string.h>

#include "sg-png.h"

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

gboolean
sg_png_check_header (const guint8  *data,
                     gsize          len,
                     GError       **error)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint32 width;
  guint32 height;

  /* signature, then the IHDR chunk: length (13), "IHDR", width, height, ... CRC */
  if (data == NULL || len < 8 + 8 + 13 + 4 || memcmp (data, signature, sizeof signature) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "The sprite is not a PNG image (%" G_GSIZE_FORMAT " bytes, no PNG signature)",
                   len);
      return FALSE;
    }
  if (read_be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "The sprite is not a valid PNG image (no IHDR chunk first)");
      return FALSE;
    }
  width = read_be32 (data + 16);
  height = read_be32 (data + 20);
  if (width == 0 || height == 0 || width > SG_PNG_MAX_SIDE || height > SG_PNG_MAX_SIDE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "The sprite has unreasonable dimensions %u×%u", width, height);
      return FALSE;
    }
  return TRUE;
}

gboolean
sg_png_check_complete (const guint8 *data,
                       gsize         len)
{
  /* Length 0, "IEND", then the CRC of "IEND", which is always the same. */
  static const guint8 iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

  return data != NULL && len >= sizeof iend &&
         memcmp (data + len - sizeof iend, iend, sizeof iend) == 0;
}
