/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One task of a run, and everything known about its result: the item type
 * of the pool's GListModel. It holds all the state a tile or a report needs,
 * so views can recycle widgets freely. It knows nothing of GTK: the GUI
 * attaches the decoded texture through the generic "paintable" property.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  SG_SPRITE_PENDING,   /* not handed to any worker yet */
  SG_SPRITE_FETCHING,  /* a worker has it */
  SG_SPRITE_DONE,
  SG_SPRITE_FAILED,
} SgSpriteState;

#define SG_TYPE_SPRITE_STATE (sg_sprite_state_get_type ())
GType sg_sprite_state_get_type (void);

/* Milliseconds since the run started; negative means "not reached". */
typedef struct {
  double queued_ms;
  double started_ms;   /* a worker took it (last attempt) */
  double json_ms;      /* the detail document had arrived */
  double parse_ms;     /* parsed: the sprite transfer started */
  double sprite_ms;    /* the sprite had arrived at the pool */
  double shown_ms;     /* on screen (GUI) or on disk (dl) */
} SgSpriteTimings;

#define SG_TYPE_SPRITE (sg_sprite_get_type ())
G_DECLARE_FINAL_TYPE (SgSprite, sg_sprite, SG, SPRITE, GObject)

SgSprite      *sg_sprite_new            (guint          id);
guint          sg_sprite_get_id         (SgSprite      *self);
const char    *sg_sprite_get_name       (SgSprite      *self);
void           sg_sprite_set_name       (SgSprite      *self,
                                         const char    *name);
SgSpriteState  sg_sprite_get_state      (SgSprite      *self);
void           sg_sprite_set_state      (SgSprite      *self,
                                         SgSpriteState  state);
/* The user-readable reason of a failure (or of the last retried attempt). */
const char    *sg_sprite_get_error      (SgSprite      *self);
void           sg_sprite_set_error      (SgSprite      *self,
                                         const char    *error);
GPid           sg_sprite_get_worker_pid (SgSprite      *self);
void           sg_sprite_set_worker_pid (SgSprite      *self,
                                         GPid           pid);
/* Index of the worker slot (0..workers-1) that fetched it, -1 if none: the
 * colour of that worker in the GUI. */
int            sg_sprite_get_worker_slot (SgSprite     *self);
void           sg_sprite_set_worker_slot (SgSprite     *self,
                                          int           slot);
guint          sg_sprite_get_attempts   (SgSprite      *self);
void           sg_sprite_set_attempts   (SgSprite      *self,
                                         guint          attempts);
GBytes        *sg_sprite_get_png        (SgSprite      *self);
void           sg_sprite_set_png        (SgSprite      *self,
                                         GBytes        *png);
gboolean       sg_sprite_get_from_cache (SgSprite      *self);
void           sg_sprite_set_from_cache (SgSprite      *self,
                                         gboolean       from_cache);
/* Kept metadata: {"id","name","types":[..],"height","weight","stats":{..},
 * "sprites":{"front_default",..}} — what the cache stores and the sprite page shows. */
JsonObject    *sg_sprite_get_details    (SgSprite      *self);
void           sg_sprite_set_details    (SgSprite      *self,
                                         JsonObject    *details);
GObject       *sg_sprite_get_paintable  (SgSprite      *self);
void           sg_sprite_set_paintable  (SgSprite      *self,
                                         GObject       *paintable);
SgSpriteTimings *sg_sprite_get_timings  (SgSprite      *self);
/* Emits "notify::timings" after the caller changed the timings in place. */
void           sg_sprite_timings_changed (SgSprite     *self);
/* Back to PENDING for a new attempt or a new run, keeping the id. */
void           sg_sprite_reset          (SgSprite      *self);
/* The "tasks" entry of the report. */
JsonNode      *sg_sprite_to_json        (SgSprite      *self);

G_END_DECLS
