/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A run as a Chrome trace (the Trace Event Format read by chrome://tracing,
 * Perfetto and Speedscope): every phase of every attempt is a complete
 * ("X") event — pid the helper process, tid its transfer lane — with args
 * {id, name, attempt}; the time a task waited in the queue is an event of
 * the pool's own process, one thread per sprite; helpers' lifetimes, deaths
 * and respawns are marked; "M" metadata names processes "helper 1234".
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sg-timeline-model.h"

G_BEGIN_DECLS

/* Thread ids in a helper's process: 0 is its lifetime, 1.. its transfers. */
#define SG_TRACE_LIFETIME_TID 0

/* The trace object {"traceEvents":[...],"displayTimeUnit":"ms",...}.
 * @pool_pid is the process that ran the pool (0: this one). */
JsonNode *sg_trace_build       (SgTimelineModel *model,
                                GPid             pool_pid);
/* The same as compact JSON text, ready to be written to a .json file. */
GBytes   *sg_trace_build_bytes (SgTimelineModel *model,
                                GPid             pool_pid);

G_END_DECLS
