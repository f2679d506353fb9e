/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-task-line"

#include "config.h"

#include <string.h>

#include "sg-task-line.h"

#define TASK_PREFIX "TASK "

gsize
sg_task_line_format (char    *buf,
                     guint32  task_id,
                     guint    pokemon_id)
{
  int n;

  g_return_val_if_fail (buf != NULL, 0);

  n = g_snprintf (buf, SG_TASK_LINE_MAX, TASK_PREFIX "%" G_GUINT32_FORMAT " %u\n",
                  task_id, pokemon_id);
  /* Two numbers of at most 10 digits each always fit in 64 bytes. */
  g_assert (n > 0 && n < SG_TASK_LINE_MAX);

  return (gsize) n;
}

/* Parses a run of ASCII digits (no sign, no spaces) of exactly @len bytes
 * into [min, max]. g_ascii_string_to_unsigned() does the overflow check but
 * wants a NUL-terminated string, hence the small copy. */
static gboolean
parse_number (const char *start,
              gsize       len,
              guint64     min,
              guint64     max,
              guint64    *out)
{
  char tmp[24];

  if (len == 0 || len >= sizeof tmp)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (start[i]))
      return FALSE;

  memcpy (tmp, start, len);
  tmp[len] = '\0';
  return g_ascii_string_to_unsigned (tmp, 10, min, max, out, NULL);
}

gboolean
sg_task_line_parse (const char *line,
                    guint32    *task_id,
                    guint      *pokemon_id)
{
  const char *p;
  const char *space;
  const char *end;
  guint64 tid;
  guint64 pid;
  gsize len;

  if (line == NULL)
    return FALSE;

  len = strnlen (line, SG_TASK_LINE_MAX + 1);
  if (len > SG_TASK_LINE_MAX)
    return FALSE;
  end = line + len;
  if (end > line && end[-1] == '\n')
    end--;

  if (!g_str_has_prefix (line, TASK_PREFIX))
    return FALSE;
  p = line + strlen (TASK_PREFIX);

  space = memchr (p, ' ', (gsize) (end - p));
  if (space == NULL)
    return FALSE;

  /* Pokémon ids start at 1; task id 0 is accepted (frames about no task use
   * it too, but the pool numbers its tasks, not us). */
  if (!parse_number (p, (gsize) (space - p), 0, G_MAXUINT32, &tid) ||
      !parse_number (space + 1, (gsize) (end - space - 1), 1, G_MAXUINT, &pid))
    return FALSE;

  if (task_id != NULL)
    *task_id = (guint32) tid;
  if (pokemon_id != NULL)
    *pokemon_id = (guint) pid;
  return TRUE;
}
