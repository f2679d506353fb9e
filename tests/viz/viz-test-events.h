/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Synthetic timelines for the viz tests: a few lines of events read like
 * the pool's own. */
#pragma once

#include "sg-timeline-model.h"

G_BEGIN_DECLS

static inline void
feed (SgTimelineModel *model,
      double           time_ms,
      SgPoolEventKind  kind,
      int              slot,
      GPid             pid,
      guint            sprite_id)
{
  SgPoolEvent event = {
    .time_ms = time_ms,
    .kind = kind,
    .worker_slot = slot,
    .pid = pid,
    .sprite_id = sprite_id,
  };

  sg_timeline_model_add_event (model, &event);
}

/* One attempt of @id on @slot/@pid through every phase, ending @outcome
 * (DONE, RETRY or FAILED) at @t + 40. */
static inline void
feed_attempt (SgTimelineModel *model,
              double           t,
              int              slot,
              GPid             pid,
              guint            id,
              SgPoolEventKind  outcome)
{
  feed (model, t, SG_POOL_EVENT_STARTED, slot, pid, id);
  feed (model, t + 1, SG_POOL_EVENT_PHASE_JSON, slot, pid, id);
  feed (model, t + 20, SG_POOL_EVENT_PHASE_PARSE, slot, pid, id);
  feed (model, t + 28, SG_POOL_EVENT_PHASE_SPRITE, slot, pid, id);
  feed (model, t + 40, outcome, outcome == SG_POOL_EVENT_RETRY ? slot : -1,
        outcome == SG_POOL_EVENT_RETRY ? pid : 0, id);
}

G_END_DECLS
