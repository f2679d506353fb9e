/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-run-record"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-run-history.h"
#include "sg-run-record.h"

struct _SgRunRecord
{
  GObject    parent_instance;

  GDateTime *when;
  char      *strategy;
  char      *base_url;
  guint      first;
  guint      count;
  guint      processes;
  guint      in_flight;
  guint      spawned;
  double     wall_ms;
  double     first_sprite_ms;
  guint      done;
  guint      failed;
  guint      retried;
  guint      from_cache;
};

G_DEFINE_FINAL_TYPE (SgRunRecord, sg_run_record, G_TYPE_OBJECT)

static void
sg_run_record_finalize (GObject *object)
{
  SgRunRecord *self = SG_RUN_RECORD (object);

  g_clear_pointer (&self->when, g_date_time_unref);
  g_free (self->strategy);
  g_free (self->base_url);

  G_OBJECT_CLASS (sg_run_record_parent_class)->finalize (object);
}

static void
sg_run_record_class_init (SgRunRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_run_record_finalize;
}

static void
sg_run_record_init (SgRunRecord *self)
{
  self->wall_ms = -1;
  self->first_sprite_ms = -1;
}

static double
get_ms (JsonObject *object,
        const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
    case G_TYPE_INT64:
      return json_node_get_double (node);
    default:
      return -1;
    }
}

static guint
get_uint (JsonObject *object,
          const char *member)
{
  gint64 value = object != NULL ? json_object_get_int_member_with_default (object, member, 0) : 0;

  return (guint) CLAMP (value, 0, G_MAXUINT);
}

/* json_object_get_*_member() complain about a missing member: a report
 * from elsewhere may lack one. */
static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
known_strategy (const char *strategy)
{
  return g_strcmp0 (strategy, "queue") == 0 || g_strcmp0 (strategy, "chunks") == 0 ||
         g_strcmp0 (strategy, "sequential") == 0;
}

SgRunRecord *
sg_run_record_new_from_report (JsonObject *report,
                               GDateTime  *when)
{
  SgRunRecord *self;
  JsonObject *settings, *counts;
  JsonArray *workers;
  guint wanted;

  g_return_val_if_fail (report != NULL, NULL);

  settings = get_object (report, "settings");
  counts = get_object (report, "counts");
  workers = get_array (report, "workers");

  self = g_object_new (SG_TYPE_RUN_RECORD, NULL);
  self->when = when != NULL ? g_date_time_ref (when) : g_date_time_new_now_utc ();
  self->strategy = g_strdup (settings != NULL
                             ? json_object_get_string_member_with_default (settings, "strategy",
                                                                           "queue")
                             : "queue");
  if (!known_strategy (self->strategy))
    {
      g_free (self->strategy);
      self->strategy = g_strdup ("queue");
    }
  self->base_url = g_strdup (settings != NULL
                             ? json_object_get_string_member_with_default (settings, "base_url", "")
                             : "");
  self->first = get_uint (settings, "first");
  self->count = get_uint (settings, "count");
  wanted = MAX (get_uint (settings, "workers"), 1);
  self->in_flight = MAX (get_uint (settings, "in_flight"), 1);
  if (sg_run_record_is_sequential (self))
    {
      wanted = 1;
      self->in_flight = 1;
    }
  /* The pool never starts more processes than there are sprites. */
  self->processes = self->count > 0 ? MIN (wanted, self->count) : wanted;
  self->spawned = workers != NULL ? json_array_get_length (workers) : 0;
  self->wall_ms = get_ms (report, "all_done_ms");
  self->first_sprite_ms = get_ms (report, "first_sprite_ms");
  self->done = get_uint (counts, "done");
  self->failed = get_uint (counts, "failed");
  self->retried = get_uint (counts, "retried");
  self->from_cache = get_uint (counts, "from_cache");

  return self;
}

JsonNode *
sg_run_record_to_json (SgRunRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *when = NULL;

  g_return_val_if_fail (SG_IS_RUN_RECORD (self), NULL);

  when = g_date_time_format_iso8601 (self->when);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "when");
  json_builder_add_string_value (builder, when);
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, self->strategy);
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, self->base_url);
  json_builder_set_member_name (builder, "first");
  json_builder_add_int_value (builder, self->first);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, self->count);
  json_builder_set_member_name (builder, "processes");
  json_builder_add_int_value (builder, self->processes);
  json_builder_set_member_name (builder, "in_flight");
  json_builder_add_int_value (builder, self->in_flight);
  json_builder_set_member_name (builder, "spawned");
  json_builder_add_int_value (builder, self->spawned);
  json_builder_set_member_name (builder, "wall_ms");
  json_builder_add_double_value (builder, self->wall_ms);
  json_builder_set_member_name (builder, "first_sprite_ms");
  json_builder_add_double_value (builder, self->first_sprite_ms);
  json_builder_set_member_name (builder, "done");
  json_builder_add_int_value (builder, self->done);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, self->failed);
  json_builder_set_member_name (builder, "retried");
  json_builder_add_int_value (builder, self->retried);
  json_builder_set_member_name (builder, "from_cache");
  json_builder_add_int_value (builder, self->from_cache);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

SgRunRecord *
sg_run_record_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(SgRunRecord) self = NULL;
  g_autoptr(GDateTime) when = NULL;
  JsonObject *object;
  const char *strategy;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SG_RUN_HISTORY_ERROR, SG_RUN_HISTORY_ERROR_INVALID,
                           _("A run is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  strategy = json_object_get_string_member_with_default (object, "strategy", NULL);
  when = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (object, "when",
                                                                                   ""),
                                       NULL);
  if (!known_strategy (strategy) || when == NULL || get_ms (object, "wall_ms") < 0)
    {
      g_set_error_literal (error, SG_RUN_HISTORY_ERROR, SG_RUN_HISTORY_ERROR_INVALID,
                           _("A run lacks its strategy, date or wall time"));
      return NULL;
    }

  self = g_object_new (SG_TYPE_RUN_RECORD, NULL);
  self->when = g_steal_pointer (&when);
  self->strategy = g_strdup (strategy);
  self->base_url = g_strdup (json_object_get_string_member_with_default (object, "base_url", ""));
  self->first = get_uint (object, "first");
  self->count = get_uint (object, "count");
  self->processes = MAX (get_uint (object, "processes"), 1);
  self->in_flight = MAX (get_uint (object, "in_flight"), 1);
  self->spawned = get_uint (object, "spawned");
  self->wall_ms = get_ms (object, "wall_ms");
  self->first_sprite_ms = get_ms (object, "first_sprite_ms");
  self->done = get_uint (object, "done");
  self->failed = get_uint (object, "failed");
  self->retried = get_uint (object, "retried");
  self->from_cache = get_uint (object, "from_cache");

  return g_steal_pointer (&self);
}

GDateTime *
sg_run_record_get_when (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), NULL);
  return self->when;
}

const char *
sg_run_record_get_strategy (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), NULL);
  return self->strategy;
}

const char *
sg_run_record_get_base_url (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), NULL);
  return self->base_url;
}

guint
sg_run_record_get_first (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->first;
}

guint
sg_run_record_get_count (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->count;
}

guint
sg_run_record_get_processes (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->processes;
}

guint
sg_run_record_get_in_flight (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->in_flight;
}

guint
sg_run_record_get_spawned (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->spawned;
}

double
sg_run_record_get_wall_ms (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), -1);
  return self->wall_ms;
}

double
sg_run_record_get_first_sprite_ms (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), -1);
  return self->first_sprite_ms;
}

guint
sg_run_record_get_done (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->done;
}

guint
sg_run_record_get_failed (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->failed;
}

guint
sg_run_record_get_retried (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->retried;
}

guint
sg_run_record_get_from_cache (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), 0);
  return self->from_cache;
}

gboolean
sg_run_record_is_sequential (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), FALSE);
  return g_strcmp0 (self->strategy, "sequential") == 0;
}

gboolean
sg_run_record_is_comparable (SgRunRecord *self)
{
  g_return_val_if_fail (SG_IS_RUN_RECORD (self), FALSE);

  return self->wall_ms > 0 && self->count > 0 && self->done == self->count &&
         self->failed == 0 && self->from_cache == 0;
}

char *
sg_run_record_describe (SgRunRecord *self)
{
  g_autofree char *processes = NULL;
  g_autofree char *transfers = NULL;

  g_return_val_if_fail (SG_IS_RUN_RECORD (self), NULL);

  if (sg_run_record_is_sequential (self))
    return g_strdup (_("Sequential: one process, one transfer"));

  processes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u process", "%u processes",
                                            self->processes),
                               self->processes);
  transfers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u transfer each",
                                            "%u transfers each", self->in_flight),
                               self->in_flight);

  if (g_strcmp0 (self->strategy, "chunks") == 0)
    /* Translators: e.g. "Chunks: 4 processes × 4 transfers each" */
    return g_strdup_printf (_("Chunks: %s × %s"), processes, transfers);
  /* Translators: e.g. "Queue: 4 processes × 4 transfers each" */
  return g_strdup_printf (_("Queue: %s × %s"), processes, transfers);
}
