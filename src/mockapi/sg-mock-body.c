/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-body"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sg-mock-body.h"

GBytes *
sg_mock_gzip (GBytes *data)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  /* Writing to memory cannot fail short of running out of it, which GLib
   * treats as fatal anyway. */
  if (!g_output_stream_write_all (out, bytes, len, NULL, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    g_error ("Could not compress a body in memory: %s", error->message);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

GBytes *
sg_mock_replace_all (GBytes     *data,
                     const char *needle,
                     const char *replacement)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (data, &len);
  const char *end = p + len;
  gsize needle_len = strlen (needle);
  GString *out = NULL;
  const char *hit;

  g_return_val_if_fail (needle_len > 0, g_bytes_ref (data));

  while ((hit = g_strstr_len (p, end - p, needle)) != NULL)
    {
      if (out == NULL)
        out = g_string_sized_new (len + len / 8);
      g_string_append_len (out, p, hit - p);
      g_string_append (out, replacement);
      p = hit + needle_len;
    }

  if (out == NULL)
    return g_bytes_ref (data);

  g_string_append_len (out, p, end - p);
  return g_string_free_to_bytes (out);
}

guint
sg_mock_count (GBytes     *data,
               const char *needle)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (data, &len);
  const char *end = p + len;
  gsize needle_len = strlen (needle);
  const char *hit;
  guint n = 0;

  g_return_val_if_fail (needle_len > 0, 0);

  while ((hit = g_strstr_len (p, end - p, needle)) != NULL)
    {
      n++;
      p = hit + needle_len;
    }
  return n;
}
