/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The offline demo's server: the mock PokeAPI (SgMockApi: generated
 * creatures, procedurally drawn sprites, real JSON shapes) listening on
 * 127.0.0.1 inside the app. It runs in a thread of its own with its own
 * GMainContext, so serving (and the latency timers) never touch the GUI's
 * main loop, and a synchronous client on the GUI thread cannot deadlock it.
 *
 * The latency ("latency-ms") may be changed at any time from the owning
 * thread; the change reaches the server thread through its main context.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SG_DEMO_SERVER_MAX_LATENCY_MS 10000

#define SG_TYPE_DEMO_SERVER (sg_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (SgDemoServer, sg_demo_server, SG, DEMO_SERVER, GObject)

SgDemoServer *sg_demo_server_new          (guint                latency_ms);
/* Starts the thread and listens on 127.0.0.1 (any free port). Finishing
 * again after success is harmless: it returns TRUE at once. */
void          sg_demo_server_start_async  (SgDemoServer        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      sg_demo_server_start_finish (SgDemoServer        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* "http://127.0.0.1:PORT/api/v2/" once started, else NULL. */
const char   *sg_demo_server_get_base_url (SgDemoServer        *self);
guint         sg_demo_server_get_latency  (SgDemoServer        *self);
void          sg_demo_server_set_latency  (SgDemoServer        *self,
                                           guint                latency_ms);
/* Stops serving and joins the thread (also done on dispose). */
void          sg_demo_server_stop         (SgDemoServer        *self);

/*
 * Properties: "latency-ms" (guint, read-write, notify), "base-url" (string,
 * read-only, notify once started).
 */

G_END_DECLS
