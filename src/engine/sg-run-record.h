/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One finished run as the history keeps it: the settings it used, its wall
 * time, first sprite, failures and helper processes. Built from the pool's
 * report; immutable.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SG_TYPE_RUN_RECORD (sg_run_record_get_type ())
G_DECLARE_FINAL_TYPE (SgRunRecord, sg_run_record, SG, RUN_RECORD, GObject)

/* From the pool's report (sg_pool_build_report), at @when (NULL: now). */
SgRunRecord *sg_run_record_new_from_report  (JsonObject  *report,
                                             GDateTime   *when);
/* The persisted form, and back (NULL + error when malformed). */
JsonNode    *sg_run_record_to_json          (SgRunRecord *self);
SgRunRecord *sg_run_record_new_from_json    (JsonNode    *node,
                                             GError     **error);

GDateTime   *sg_run_record_get_when         (SgRunRecord *self);
const char  *sg_run_record_get_strategy     (SgRunRecord *self); /* "queue", "chunks", "sequential" */
const char  *sg_run_record_get_base_url     (SgRunRecord *self);
guint        sg_run_record_get_first        (SgRunRecord *self);
guint        sg_run_record_get_count        (SgRunRecord *self);
/* Processes the run used (sequential: 1), and transfers per process. */
guint        sg_run_record_get_processes    (SgRunRecord *self);
guint        sg_run_record_get_in_flight    (SgRunRecord *self);
/* Helper processes started, respawns included. */
guint        sg_run_record_get_spawned      (SgRunRecord *self);
double       sg_run_record_get_wall_ms      (SgRunRecord *self);
double       sg_run_record_get_first_sprite_ms (SgRunRecord *self);
guint        sg_run_record_get_done         (SgRunRecord *self);
guint        sg_run_record_get_failed       (SgRunRecord *self);
guint        sg_run_record_get_retried      (SgRunRecord *self);
guint        sg_run_record_get_from_cache   (SgRunRecord *self);
gboolean     sg_run_record_is_sequential    (SgRunRecord *self);
/* Every sprite fetched over the network and nothing failed: a fair point
 * for the speed-up chart. */
gboolean     sg_run_record_is_comparable    (SgRunRecord *self);
/* "queue, 4 processes × 4 transfers" — for a list row. */
char        *sg_run_record_describe         (SgRunRecord *self);

G_END_DECLS
