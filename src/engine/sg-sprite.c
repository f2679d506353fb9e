/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-sprite"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-sprite.h"

struct _SgSprite
{
  GObject          parent_instance;

  guint            id;
  char            *name;
  SgSpriteState    state;
  char            *error;
  GPid             worker_pid;
  int              worker_slot;
  guint            attempts;
  GBytes          *png;
  gboolean         from_cache;
  JsonObject      *details;
  GObject         *paintable;
  SgSpriteTimings  timings;
};

G_DEFINE_FINAL_TYPE (SgSprite, sg_sprite, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SgSpriteState, sg_sprite_state,
  G_DEFINE_ENUM_VALUE (SG_SPRITE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (SG_SPRITE_FETCHING, "fetching"),
  G_DEFINE_ENUM_VALUE (SG_SPRITE_DONE, "done"),
  G_DEFINE_ENUM_VALUE (SG_SPRITE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_STATE,
  PROP_ERROR,
  PROP_WORKER_PID,
  PROP_WORKER_SLOT,
  PROP_ATTEMPTS,
  PROP_PNG,
  PROP_FROM_CACHE,
  PROP_DETAILS,
  PROP_PAINTABLE,
  PROP_TIMINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_timings (SgSpriteTimings *timings)
{
  timings->queued_ms = timings->started_ms = timings->json_ms = -1;
  timings->parse_ms = timings->sprite_ms = timings->shown_ms = -1;
}

static void
sg_sprite_finalize (GObject *object)
{
  SgSprite *self = SG_SPRITE (object);

  g_free (self->name);
  g_free (self->error);
  g_clear_pointer (&self->png, g_bytes_unref);
  g_clear_pointer (&self->details, json_object_unref);
  g_clear_object (&self->paintable);

  G_OBJECT_CLASS (sg_sprite_parent_class)->finalize (object);
}

static void
sg_sprite_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SgSprite *self = SG_SPRITE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_WORKER_PID:
      g_value_set_int (value, self->worker_pid);
      break;
    case PROP_WORKER_SLOT:
      g_value_set_int (value, self->worker_slot);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_PNG:
      g_value_set_boxed (value, self->png);
      break;
    case PROP_FROM_CACHE:
      g_value_set_boolean (value, self->from_cache);
      break;
    case PROP_DETAILS:
      g_value_set_boxed (value, self->details);
      break;
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_TIMINGS:
      g_value_set_pointer (value, &self->timings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_sprite_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SgSprite *self = SG_SPRITE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_uint (value);
      break;
    case PROP_NAME:
      sg_sprite_set_name (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      sg_sprite_set_state (self, g_value_get_enum (value));
      break;
    case PROP_ERROR:
      sg_sprite_set_error (self, g_value_get_string (value));
      break;
    case PROP_WORKER_PID:
      sg_sprite_set_worker_pid (self, g_value_get_int (value));
      break;
    case PROP_WORKER_SLOT:
      sg_sprite_set_worker_slot (self, g_value_get_int (value));
      break;
    case PROP_ATTEMPTS:
      sg_sprite_set_attempts (self, g_value_get_uint (value));
      break;
    case PROP_PNG:
      sg_sprite_set_png (self, g_value_get_boxed (value));
      break;
    case PROP_FROM_CACHE:
      sg_sprite_set_from_cache (self, g_value_get_boolean (value));
      break;
    case PROP_DETAILS:
      sg_sprite_set_details (self, g_value_get_boxed (value));
      break;
    case PROP_PAINTABLE:
      sg_sprite_set_paintable (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_sprite_class_init (SgSpriteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sg_sprite_finalize;
  object_class->get_property = sg_sprite_get_property;
  object_class->set_property = sg_sprite_set_property;

  properties[PROP_ID] =
    g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SG_TYPE_SPRITE_STATE, SG_SPRITE_PENDING, rw);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, rw);
  properties[PROP_WORKER_PID] = g_param_spec_int ("worker-pid", NULL, NULL, 0, G_MAXINT, 0, rw);
  properties[PROP_WORKER_SLOT] =
    g_param_spec_int ("worker-slot", NULL, NULL, -1, G_MAXINT, -1, rw);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_PNG] = g_param_spec_boxed ("png", NULL, NULL, G_TYPE_BYTES, rw);
  properties[PROP_FROM_CACHE] = g_param_spec_boolean ("from-cache", NULL, NULL, FALSE, rw);
  properties[PROP_DETAILS] = g_param_spec_boxed ("details", NULL, NULL, JSON_TYPE_OBJECT, rw);
  properties[PROP_PAINTABLE] = g_param_spec_object ("paintable", NULL, NULL, G_TYPE_OBJECT, rw);
  properties[PROP_TIMINGS] =
    g_param_spec_pointer ("timings", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_sprite_init (SgSprite *self)
{
  self->worker_slot = -1;
  clear_timings (&self->timings);
}

SgSprite *
sg_sprite_new (guint id)
{
  return g_object_new (SG_TYPE_SPRITE, "id", id, NULL);
}

guint
sg_sprite_get_id (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), 0);
  return self->id;
}

const char *
sg_sprite_get_name (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);
  return self->name;
}

void
sg_sprite_set_name (SgSprite   *self,
                    const char *name)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

SgSpriteState
sg_sprite_get_state (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), SG_SPRITE_PENDING);
  return self->state;
}

void
sg_sprite_set_state (SgSprite      *self,
                     SgSpriteState  state)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
sg_sprite_get_error (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);
  return self->error;
}

void
sg_sprite_set_error (SgSprite   *self,
                     const char *error)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

GPid
sg_sprite_get_worker_pid (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), 0);
  return self->worker_pid;
}

void
sg_sprite_set_worker_pid (SgSprite *self,
                          GPid      pid)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (self->worker_pid == pid)
    return;
  self->worker_pid = pid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_PID]);
}

int
sg_sprite_get_worker_slot (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), -1);
  return self->worker_slot;
}

void
sg_sprite_set_worker_slot (SgSprite *self,
                           int       slot)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (self->worker_slot == slot)
    return;
  self->worker_slot = slot;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_SLOT]);
}

guint
sg_sprite_get_attempts (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), 0);
  return self->attempts;
}

void
sg_sprite_set_attempts (SgSprite *self,
                        guint     attempts)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (self->attempts == attempts)
    return;
  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

GBytes *
sg_sprite_get_png (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);
  return self->png;
}

void
sg_sprite_set_png (SgSprite *self,
                   GBytes   *png)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (self->png == png)
    return;
  g_clear_pointer (&self->png, g_bytes_unref);
  self->png = png != NULL ? g_bytes_ref (png) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PNG]);
}

gboolean
sg_sprite_get_from_cache (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), FALSE);
  return self->from_cache;
}

void
sg_sprite_set_from_cache (SgSprite *self,
                          gboolean  from_cache)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  from_cache = !!from_cache;
  if (self->from_cache == from_cache)
    return;
  self->from_cache = from_cache;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
}

JsonObject *
sg_sprite_get_details (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);
  return self->details;
}

void
sg_sprite_set_details (SgSprite   *self,
                       JsonObject *details)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (self->details == details)
    return;
  g_clear_pointer (&self->details, json_object_unref);
  self->details = details != NULL ? json_object_ref (details) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}

GObject *
sg_sprite_get_paintable (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);
  return self->paintable;
}

void
sg_sprite_set_paintable (SgSprite *self,
                         GObject  *paintable)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  if (g_set_object (&self->paintable, paintable))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

SgSpriteTimings *
sg_sprite_get_timings (SgSprite *self)
{
  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);
  return &self->timings;
}

void
sg_sprite_timings_changed (SgSprite *self)
{
  g_return_if_fail (SG_IS_SPRITE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMINGS]);
}

void
sg_sprite_reset (SgSprite *self)
{
  g_return_if_fail (SG_IS_SPRITE (self));

  g_object_freeze_notify (G_OBJECT (self));
  sg_sprite_set_state (self, SG_SPRITE_PENDING);
  sg_sprite_set_error (self, NULL);
  sg_sprite_set_worker_pid (self, 0);
  sg_sprite_set_worker_slot (self, -1);
  sg_sprite_set_attempts (self, 0);
  sg_sprite_set_png (self, NULL);
  sg_sprite_set_from_cache (self, FALSE);
  sg_sprite_set_paintable (self, NULL);
  clear_timings (&self->timings);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMINGS]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
add_ms (JsonBuilder *builder,
        const char  *member,
        double       ms)
{
  json_builder_set_member_name (builder, member);
  if (ms < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, ms);
}

JsonNode *
sg_sprite_to_json (SgSprite *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *status;

  g_return_val_if_fail (SG_IS_SPRITE (self), NULL);

  switch (self->state)
    {
    case SG_SPRITE_DONE:
      status = "done";
      break;
    case SG_SPRITE_FAILED:
      status = "failed";
      break;
    case SG_SPRITE_FETCHING:
      status = "fetching";
      break;
    case SG_SPRITE_PENDING:
    default:
      status = "pending";
      break;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, self->error);
  json_builder_set_member_name (builder, "worker_pid");
  if (self->worker_pid > 0)
    json_builder_add_int_value (builder, self->worker_pid);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, self->attempts);
  add_ms (builder, "queued_ms", self->timings.queued_ms);
  add_ms (builder, "started_ms", self->timings.started_ms);
  add_ms (builder, "json_ms", self->timings.json_ms);
  add_ms (builder, "parse_ms", self->timings.parse_ms);
  add_ms (builder, "sprite_ms", self->timings.sprite_ms);
  add_ms (builder, "shown_ms", self->timings.shown_ms);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, self->png != NULL ? (gint64) g_bytes_get_size (self->png) : 0);
  json_builder_set_member_name (builder, "from_cache");
  json_builder_add_boolean_value (builder, self->from_cache);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
