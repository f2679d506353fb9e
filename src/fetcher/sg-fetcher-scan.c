/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-fetcher"

#include "config.h"

#include <string.h>

#include "sg-fetcher-scan.h"

/* PokeAPI documents nest five or six levels; anything far deeper is left
 * to json-glib (which has its own limits) rather than to a bigger stack. */
#define MAX_DEPTH 128

typedef struct {
  const char *p;
  const char *end;
} Scanner;

static void
skip_whitespace (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* At an opening quote: moves past the closing one. */
static gboolean
skip_string (Scanner  *s,
             gboolean *escaped)
{
  const char *p = s->p + 1;

  while (p < s->end)
    {
      if (*p == '"')
        {
          s->p = p + 1;
          return TRUE;
        }
      if (*p == '\\')
        {
          /* Whatever follows a backslash cannot end the string. */
          if (escaped != NULL)
            *escaped = TRUE;
          if (s->end - p < 2)
            return FALSE;
          p += 2;
          continue;
        }
      p++;
    }

  return FALSE;
}

static gboolean
ends_scalar (char c)
{
  return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Moves past one value: a string, a number or literal, or a whole nested
 * object or array (brackets must match). */
static gboolean
skip_value (Scanner *s)
{
  char closers[MAX_DEPTH];
  guint depth = 0;
  const char *start = s->p;

  if (s->p >= s->end)
    return FALSE;

  if (*s->p == '"')
    return skip_string (s, NULL);

  if (*s->p != '{' && *s->p != '[')
    {
      while (s->p < s->end && !ends_scalar (*s->p))
        s->p++;
      return s->p > start;
    }

  while (s->p < s->end)
    {
      char c = *s->p;

      switch (c)
        {
        case '"':
          if (!skip_string (s, NULL))
            return FALSE;
          continue;

        case '{':
        case '[':
          if (depth == MAX_DEPTH)
            return FALSE;
          closers[depth++] = c == '{' ? '}' : ']';
          break;

        case '}':
        case ']':
          if (depth == 0 || closers[depth - 1] != c)
            return FALSE;
          if (--depth == 0)
            {
              s->p++;
              return TRUE;
            }
          break;

        default:
          break;
        }
      s->p++;
    }

  return FALSE;
}

static gboolean
is_wanted (const char         *key,
           gsize               key_len,
           const char * const *wanted)
{
  for (guint i = 0; wanted[i] != NULL; i++)
    if (strlen (wanted[i]) == key_len && memcmp (wanted[i], key, key_len) == 0)
      return TRUE;
  return FALSE;
}

gboolean
sg_fetcher_scan_members (const char         *data,
                         gsize               len,
                         const char * const *wanted,
                         GString            *out)
{
  Scanner s = { data, data + len };
  gboolean first = TRUE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (wanted != NULL && out != NULL, FALSE);

  skip_whitespace (&s);
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  s.p++;
  g_string_append_c (out, '{');

  skip_whitespace (&s);
  if (s.p < s.end && *s.p == '}')
    s.p++;
  else
    for (;;)
      {
        const char *member;
        const char *key;
        gsize key_len;
        gboolean escaped = FALSE;

        skip_whitespace (&s);
        if (s.p >= s.end || *s.p != '"')
          return FALSE;
        member = s.p;
        key = s.p + 1;
        if (!skip_string (&s, &escaped))
          return FALSE;
        key_len = (gsize) (s.p - 1 - key);
        /* "\u0069d" is "id" too: comparing raw bytes would miss it. */
        if (escaped)
          return FALSE;

        skip_whitespace (&s);
        if (s.p >= s.end || *s.p != ':')
          return FALSE;
        s.p++;
        skip_whitespace (&s);
        if (!skip_value (&s))
          return FALSE;

        if (is_wanted (key, key_len, wanted))
          {
            /* Verbatim, `"name": value`: a duplicated member stays
             * duplicated, so json-glib resolves it as it would have. */
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            g_string_append_len (out, member, s.p - member);
          }

        skip_whitespace (&s);
        if (s.p >= s.end)
          return FALSE;
        if (*s.p == '}')
          {
            s.p++;
            break;
          }
        if (*s.p != ',')
          return FALSE;
        s.p++;
      }

  skip_whitespace (&s);
  if (s.p != s.end)
    return FALSE;

  g_string_append_c (out, '}');
  return TRUE;
}
