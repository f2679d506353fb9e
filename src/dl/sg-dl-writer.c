/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-dl"

#include "config.h"

#include "sg-dl-writer.h"

#define MAX_NAME_CHARS 40

char *
sg_dl_file_name (guint       id,
                 const char *name)
{
  GString *file_name = g_string_new (NULL);

  g_string_append_printf (file_name, "%03u", id);
  if (name != NULL && *name != '\0')
    {
      gsize kept = 0;

      g_string_append_c (file_name, '-');
      for (const char *p = name; *p != '\0' && kept < MAX_NAME_CHARS; p++)
        {
          char c = g_ascii_tolower (*p);

          if (g_ascii_isalnum (c) || c == '-')
            {
              g_string_append_c (file_name, c);
              kept++;
            }
        }
      if (kept == 0)
        g_string_truncate (file_name, file_name->len - 1);
    }
  g_string_append (file_name, ".png");

  return g_string_free (file_name, FALSE);
}

gboolean
sg_dl_write_file (const char  *dir,
                  guint        id,
                  const char  *name,
                  GBytes      *png,
                  GError     **error)
{
  g_autofree char *file_name = sg_dl_file_name (id, name);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  gsize len;
  const char *data = g_bytes_get_data (png, &len);

  /* Temporary file in the same directory, then rename(2): never half a
   * sprite under its final name. Synced only when it replaces a file the
   * user already had (g_file_set_contents() does the same); a sync for
   * each new file cost more than the downloads. */
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0644, error);
}
