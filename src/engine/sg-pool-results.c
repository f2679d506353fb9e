/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a frame from a helper does to the run: phases, results, task errors,
 * and the words a user reads when a sprite fails. Also the report.
 */
#define G_LOG_DOMAIN "sg-pool"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sg-png.h"
#include "sg-pool-private.h"

static JsonObject *
parse_meta (const SgFrame *frame)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, frame->meta, frame->meta_len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static void
violation (Slot       *slot,
           const char *reason)
{
  if (slot->process != NULL)
    sg_helper_process_kill_with_reason (slot->process, reason);
}

/* The words on a failed tile, from the helper's machine-readable kind. */
static char *
describe_error (const char *kind,
                JsonObject *meta,
                guint       sprite_id)
{
  gint64 status = json_object_get_int_member_with_default (meta, "status", 0);

  if (g_strcmp0 (kind, "not-found") == 0)
    return g_strdup_printf (_("The server has no Pokémon number %u"), sprite_id);
  if (g_strcmp0 (kind, "http") == 0)
    return g_strdup_printf (_("The server answered with an error (HTTP %d)"), (int) status);
  if (g_strcmp0 (kind, "unreachable") == 0)
    return g_strdup (_("The server cannot be reached"));
  if (g_strcmp0 (kind, "network") == 0)
    return g_strdup (_("The connection to the server broke off"));
  if (g_strcmp0 (kind, "timeout") == 0)
    return g_strdup (_("The server took too long to answer"));
  if (g_strcmp0 (kind, "bad-json") == 0)
    return g_strdup (_("The server sent data that is not valid Pokémon data"));
  if (g_strcmp0 (kind, "no-sprite") == 0)
    return g_strdup (_("This Pokémon has no sprite"));
  if (g_strcmp0 (kind, "bad-url") == 0)
    return g_strdup (_("The sprite address is not a web address (only http and https are allowed)"));
  if (g_strcmp0 (kind, "not-png") == 0)
    return g_strdup (_("The sprite is not a PNG image"));
  if (g_strcmp0 (kind, "too-large") == 0)
    return g_strdup (_("The server sent far more data than a sprite needs"));
  if (g_strcmp0 (kind, "too-many-redirects") == 0)
    return g_strdup (_("The sprite address redirects too many times"));

  return g_strdup_printf (_("The download failed: %s"),
                          json_object_get_string_member_with_default (meta, "message", kind));
}

static void
handle_task_error (SgPool     *self,
                   Attempt    *attempt,
                   JsonObject *meta)
{
  TaskInfo *task = attempt->task;
  Slot *slot = attempt->slot;
  guint id = sg_sprite_get_id (task->sprite);
  const char *kind = json_object_get_string_member_with_default (meta, "kind", "unknown");
  gboolean retryable = json_object_get_boolean_member_with_default (meta, "retryable", FALSE);
  int retry_after_ms = (int) json_object_get_int_member_with_default (meta, "retry_after_ms", -1);
  g_autofree char *message = describe_error (kind, meta, id);

  g_debug ("Sprite #%u: %s (%s)", id, kind,
           json_object_get_string_member_with_default (meta, "message", ""));
  sg_pool_complete_task (self, attempt);

  if (g_strcmp0 (kind, "unreachable") == 0)
    {
      if (self->n_done - self->n_from_cache == 0)
        {
          /* Nothing ever came through: the server is down or the address is
           * wrong. One clear error for the run, not one red tile per sprite. */
          sg_sprite_set_state (task->sprite, SG_SPRITE_PENDING);
          sg_pool_abort_run (self, g_error_new (SG_POOL_ERROR, SG_POOL_ERROR_UNREACHABLE,
                                                _("Cannot reach the server at %s: %s"),
                                                self->run_options->base_url,
                                                json_object_get_string_member_with_default (meta, "message", kind)));
          return;
        }
      /* It answered before: a blip worth retrying. */
      retryable = TRUE;
    }

  if (retryable && sg_sprite_get_attempts (task->sprite) < self->limits.max_attempts && !self->ending)
    {
      g_autofree char *retry_message = g_strdup_printf (_("%s — trying again"), message);

      sg_pool_schedule_retry (self, task, slot, retry_after_ms, retry_message);
      return;
    }

  sg_pool_task_failed (self, task, message);
}

static void
store_details (SgSprite   *sprite,
               JsonObject *meta)
{
  /* What we keep of the detail document: the cache and the sprite page. */
  static const char * const kept[] = { "id", "name", "types", "height", "weight", "stats", "sprites" };
  g_autoptr(JsonObject) details = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      JsonNode *node = json_object_get_member (meta, kept[i]);

      if (node != NULL)
        json_object_set_member (details, kept[i], json_node_copy (node));
    }
  sg_sprite_set_details (sprite, details);
}

static void
on_cache_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SgPool) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sg_cache_store_finish (SG_CACHE (source), result, &error))
    g_warning ("Cannot write to the cache: %s", error->message);

  self->pending_writes--;
  sg_pool_check_finished (self);
}

static void
handle_result (SgPool        *self,
               Attempt       *attempt,
               JsonObject    *meta,
               const SgFrame *frame)
{
  TaskInfo *task = attempt->task;
  Slot *slot = attempt->slot;
  SgSprite *sprite = task->sprite;
  SgSpriteTimings *timings = sg_sprite_get_timings (sprite);
  const char *name = json_object_get_string_member_with_default (meta, "name", NULL);
  gsize png_len;
  const guint8 *png = g_bytes_get_data (frame->payload, &png_len);

  if (name == NULL || json_object_get_int_member_with_default (meta, "id", 0) != sg_sprite_get_id (sprite))
    {
      violation (slot, _("a result does not match its task"));
      return;
    }

  sg_pool_complete_task (self, attempt);

  if (!sg_png_check_header (png, png_len, NULL))
    {
      sg_pool_task_failed (self, task, _("The sprite is not a PNG image"));
      return;
    }

  g_object_freeze_notify (G_OBJECT (sprite));
  sg_sprite_set_name (sprite, name);
  store_details (sprite, meta);
  sg_sprite_set_png (sprite, frame->payload);
  timings->sprite_ms = sg_pool_now_ms (self);
  if (timings->json_ms < 0)
    timings->json_ms = timings->sprite_ms;
  if (timings->parse_ms < 0)
    timings->parse_ms = timings->sprite_ms;
  sg_sprite_timings_changed (sprite);
  g_object_thaw_notify (G_OBJECT (sprite));

  slot->consecutive_deaths = 0;
  sg_worker_add_task_done (slot->worker,
                           png_len + json_object_get_int_member_with_default (meta, "json_bytes", 0));

  if (self->cache != NULL)
    {
      self->pending_writes++;
      sg_cache_store_async (self->cache, sg_sprite_get_id (sprite), frame->payload,
                            sg_sprite_get_details (sprite), on_cache_stored, g_object_ref (self));
    }

  sg_pool_task_done (self, task, FALSE);
}

static void
handle_phase (SgPool     *self,
              Attempt    *attempt,
              JsonObject *meta)
{
  SgSprite *sprite = attempt->task->sprite;
  SgSpriteTimings *timings = sg_sprite_get_timings (sprite);
  const char *phase = json_object_get_string_member_with_default (meta, "phase", "");
  double now = sg_pool_now_ms (self);
  SgPoolEventKind kind;

  if (g_strcmp0 (phase, "json") == 0)
    {
      kind = SG_POOL_EVENT_PHASE_JSON;
    }
  else if (g_strcmp0 (phase, "parse") == 0)
    {
      kind = SG_POOL_EVENT_PHASE_PARSE;
      timings->json_ms = now;
    }
  else if (g_strcmp0 (phase, "sprite") == 0)
    {
      kind = SG_POOL_EVENT_PHASE_SPRITE;
      timings->parse_ms = now;
    }
  else
    {
      return; /* a newer helper's phase: harmless */
    }

  sg_sprite_timings_changed (sprite);
  sg_pool_add_event (self, kind, attempt->slot, sg_sprite_get_id (sprite));
}

void
sg_pool_handle_frame (SgPool        *self,
                      Slot          *slot,
                      const SgFrame *frame)
{
  g_autoptr(JsonObject) meta = parse_meta (frame);
  Attempt *attempt = NULL;

  if (meta == NULL)
    {
      violation (slot, _("its metadata is not a JSON object"));
      return;
    }

  if (frame->type == SG_FRAME_HELLO)
    {
      slot->hello = TRUE;
      g_clear_handle_id (&slot->hello_id, g_source_remove);
      sg_worker_set_state (slot->worker, g_hash_table_size (slot->in_flight) > 0
                                         ? SG_WORKER_BUSY : SG_WORKER_IDLE);
      return;
    }

  if (frame->type == SG_FRAME_LOG)
    {
      g_message ("Helper %d: %s", (int) sg_worker_get_pid (slot->worker),
                 json_object_get_string_member_with_default (meta, "message", ""));
      return;
    }

  if (!slot->hello)
    {
      violation (slot, _("it sent a result before introducing itself"));
      return;
    }

  attempt = g_hash_table_lookup (slot->in_flight, GUINT_TO_POINTER (frame->task_id));
  if (attempt == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("it answered task %u, which it was not given"),
                                                 frame->task_id);
      violation (slot, reason);
      return;
    }

  switch (frame->type)
    {
    case SG_FRAME_PHASE:
      handle_phase (self, attempt, meta);
      break;
    case SG_FRAME_RESULT:
      handle_result (self, attempt, meta, frame);
      break;
    case SG_FRAME_TASK_ERROR:
      handle_task_error (self, attempt, meta);
      break;
    case SG_FRAME_HELLO:
    case SG_FRAME_LOG:
    default:
      break;
    }

  sg_pool_dispatch (self);
  sg_pool_check_finished (self);
}

/* ------------------------------------------------------------------------ */
/* The report                                                               */

static void
set_ms (JsonObject *object,
        const char *member,
        double      ms)
{
  if (ms < 0)
    json_object_set_null_member (object, member);
  else
    json_object_set_double_member (object, member, ms);
}

JsonObject *
sg_pool_build_report (SgPool *self)
{
  JsonObject *report = json_object_new ();
  JsonObject *counts = json_object_new ();
  JsonArray *workers = json_array_new ();
  JsonArray *tasks = json_array_new ();
  const SgRunOptions *options = self->run_options != NULL ? self->run_options : self->options;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sprites));

  json_object_set_member (report, "settings", sg_run_options_to_json (options));
  set_ms (report, "first_sprite_ms", self->first_sprite_ms);
  set_ms (report, "all_done_ms", self->all_done_ms);

  json_object_set_int_member (counts, "done", self->n_done);
  json_object_set_int_member (counts, "failed", self->n_failed);
  json_object_set_int_member (counts, "retried", self->n_retried);
  json_object_set_int_member (counts, "from_cache", self->n_from_cache);
  json_object_set_object_member (report, "counts", counts);

  for (guint i = 0; i < self->n_slots; i++)
    sg_worker_append_json (self->slots[i].worker, workers);
  json_object_set_array_member (report, "workers", workers);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SgSprite) sprite = g_list_model_get_item (G_LIST_MODEL (self->sprites), i);

      json_array_add_element (tasks, sg_sprite_to_json (sprite));
    }
  json_object_set_array_member (report, "tasks", tasks);

  return report;
}

gboolean
sg_pool_write_report (SgPool      *self,
                      JsonObject  *report,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_node_set_object (root, report);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);

  if (!g_file_set_contents (path, text, len, error))
    {
      g_prefix_error (error, _("Cannot write the report: "));
      return FALSE;
    }
  return TRUE;
}
