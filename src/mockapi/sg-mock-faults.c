/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-faults"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-mock-faults.h"

/* Spec names, in the order of SgMockFaultKind. */
static const struct {
  const char *name;
  gboolean    takes_arg;
  gboolean    sprite;
} fault_kinds[] = {
  [SG_MOCK_FAULT_NONE]           = { "none",           FALSE, FALSE },
  [SG_MOCK_FAULT_STATUS]         = { "status",         TRUE,  FALSE },
  [SG_MOCK_FAULT_FLAKY]          = { "flaky",          TRUE,  FALSE },
  [SG_MOCK_FAULT_TRUNCATE]       = { "truncate",       FALSE, FALSE },
  [SG_MOCK_FAULT_BAD_JSON]       = { "bad-json",       FALSE, FALSE },
  [SG_MOCK_FAULT_NULL_SPRITE]    = { "null-sprite",    FALSE, FALSE },
  [SG_MOCK_FAULT_NOT_PNG]        = { "not-png",        FALSE, TRUE  },
  [SG_MOCK_FAULT_HANG]           = { "hang",           FALSE, FALSE },
  [SG_MOCK_FAULT_DRIP]           = { "drip",           FALSE, FALSE },
  [SG_MOCK_FAULT_OVERSIZE_JSON]  = { "oversize-json",  FALSE, FALSE },
  [SG_MOCK_FAULT_OVERSIZE_PNG]   = { "oversize-png",   FALSE, TRUE  },
  [SG_MOCK_FAULT_FILE_SPRITE]    = { "file-sprite",    FALSE, FALSE },
  [SG_MOCK_FAULT_REDIRECT_FILE]  = { "redirect-file",  FALSE, TRUE  },
  [SG_MOCK_FAULT_REDIRECT_LOOP]  = { "redirect-loop",  FALSE, TRUE  },
};

/* Bounds that keep a typo from turning into a surprise: a status the
 * clients can act on, a flaky count a test can wait out. */
#define MIN_STATUS 400
#define MAX_STATUS 599
#define MAX_FLAKY  1000

const char *
sg_mock_fault_kind_to_string (SgMockFaultKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (fault_kinds))
    return "unknown";
  return fault_kinds[kind].name;
}

gboolean
sg_mock_fault_kind_is_sprite (SgMockFaultKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (fault_kinds))
    return FALSE;
  return fault_kinds[kind].sprite;
}

static gboolean
lookup_kind (const char      *name,
             SgMockFaultKind *out_kind)
{
  /* "none" is not accepted in a spec: it would only hide a typo. */
  for (guint i = SG_MOCK_FAULT_NONE + 1; i < G_N_ELEMENTS (fault_kinds); i++)
    {
      if (g_strcmp0 (fault_kinds[i].name, name) == 0)
        {
          *out_kind = (SgMockFaultKind) i;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
known_kinds (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = SG_MOCK_FAULT_NONE + 1; i < G_N_ELEMENTS (fault_kinds); i++)
    g_string_append_printf (s, "%s%s%s", s->len ? ", " : "",
                            fault_kinds[i].name,
                            fault_kinds[i].takes_arg ? ":N" : "");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
parse_item (const char       *item,
            SgMockFaultSpec  *out,
            GError          **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (item));
  g_autoptr(GError) local_error = NULL;
  char *eq, *colon;
  const char *what;
  guint64 value;

  eq = strchr (copy, '=');
  if (eq == NULL)
    {
      g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                   _("“%s” is not of the form ID=FAULT[:ARG]"), copy);
      return FALSE;
    }
  *eq = '\0';
  what = eq + 1;

  if (!g_ascii_string_to_unsigned (g_strstrip (copy), 10, 1, G_MAXUINT, &value, &local_error))
    {
      g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                   _("“%s” is not a valid id (a number from 1): %s"),
                   copy, local_error->message);
      return FALSE;
    }
  out->id = (guint) value;

  {
    g_autofree char *name = g_strstrip (g_strdup (what));
    const char *arg = NULL;

    colon = strchr (name, ':');
    if (colon != NULL)
      {
        *colon = '\0';
        g_strstrip (name);
        arg = g_strstrip (colon + 1);
      }

    if (!lookup_kind (name, &out->kind))
      {
        g_autofree char *kinds = known_kinds ();

        g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                     _("Unknown fault “%s” for id %u (known: %s)"),
                     name, out->id, kinds);
        return FALSE;
      }

    out->arg = 0;
    if (!fault_kinds[out->kind].takes_arg)
      {
        if (arg != NULL)
          {
            g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                         _("Fault “%s” for id %u takes no argument"),
                         name, out->id);
            return FALSE;
          }
        return TRUE;
      }

    if (out->kind == SG_MOCK_FAULT_STATUS)
      {
        if (arg == NULL ||
            !g_ascii_string_to_unsigned (arg, 10, MIN_STATUS, MAX_STATUS, &value, NULL))
          {
            g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                         _("Fault “status” for id %u needs an HTTP status from %d to %d, e.g. status:404"),
                         out->id, MIN_STATUS, MAX_STATUS);
            return FALSE;
          }
      }
    else /* flaky: the count is optional, one failure by default */
      {
        value = 1;
        if (arg != NULL &&
            !g_ascii_string_to_unsigned (arg, 10, 1, MAX_FLAKY, &value, NULL))
          {
            g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                         _("Fault “flaky” for id %u needs a count from 1 to %d, e.g. flaky:2"),
                         out->id, MAX_FLAKY);
            return FALSE;
          }
      }
    out->arg = (guint) value;
  }

  return TRUE;
}

GArray *
sg_mock_faults_parse (const char  *spec,
                      GError     **error)
{
  g_autoptr(GArray) faults = g_array_new (FALSE, TRUE, sizeof (SgMockFaultSpec));
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  /* An empty spec means "no faults"; an empty item is a typo. */
  if (*spec == '\0')
    return g_steal_pointer (&faults);

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      SgMockFaultSpec f = { 0 };

      if (!parse_item (items[i], &f, error))
        return NULL;

      for (guint j = 0; j < faults->len; j++)
        {
          if (g_array_index (faults, SgMockFaultSpec, j).id == f.id)
            {
              g_set_error (error, SG_MOCK_API_ERROR, SG_MOCK_API_ERROR_BAD_FAULT_SPEC,
                           _("Id %u has more than one fault"), f.id);
              return NULL;
            }
        }
      g_array_append_val (faults, f);
    }

  return g_steal_pointer (&faults);
}
