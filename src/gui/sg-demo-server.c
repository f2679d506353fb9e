/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-demo-server"

#include "config.h"

#include <glib/gi18n.h>

#include "sg-demo-server.h"
#include "sg-mock-api.h"
#include "sg-run-options.h"

/* What the server thread and the owner share. Reference counted (atomic),
 * because sources queued on the server's context hold it too. */
typedef struct {
  GMainContext *context;
  GMainLoop    *loop;
  SgMockApi    *api;          /* created, used and disposed in the server thread only */
  guint         latency_ms;   /* atomic: the value the server thread applies */
} ServerState;

static void
server_state_clear (gpointer data)
{
  ServerState *state = data;

  g_assert (state->api == NULL);
  g_clear_pointer (&state->loop, g_main_loop_unref);
  g_clear_pointer (&state->context, g_main_context_unref);
}

static void
server_state_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, server_state_clear);
}

struct _SgDemoServer
{
  GObject      parent_instance;

  ServerState *state;
  GThread     *thread;
  GTask       *start_task;  /* while the thread starts listening */
  char        *base_url;
  guint        latency_ms;
  guint        generation;  /* of the current start; stale reports are dropped */
};

G_DEFINE_FINAL_TYPE (SgDemoServer, sg_demo_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LATENCY_MS,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The server thread ---------------------------------------------------------- */

/* Posted from the server thread to the owner's context once listening (or
 * not): the GTask itself stays on the owner's side, so its last reference
 * (and the server object it holds) is always dropped there. */
typedef struct {
  GWeakRef  server;       /* never a strong ref: this thread must not be
                           * the one to drop the last reference */
  guint     generation;   /* which start this thread serves */
  char     *base_url;
  GError   *error;
} StartReport;

typedef struct {
  ServerState  *state;          /* a reference */
  GMainContext *owner_context;  /* where the start is reported */
  StartReport  *report;
} ThreadData;

static void
start_report_free (gpointer data)
{
  StartReport *report = data;

  g_weak_ref_clear (&report->server);
  g_free (report->base_url);
  g_clear_error (&report->error);
  g_free (report);
}

static gboolean
start_report_cb (gpointer data)
{
  StartReport *report = data;
  g_autoptr(SgDemoServer) self = g_weak_ref_get (&report->server);
  g_autoptr(GTask) task = NULL;

  /* A report from a server stopped meanwhile (its start was answered
   * then) is stale. */
  if (self == NULL || report->generation != self->generation || self->start_task == NULL)
    return G_SOURCE_REMOVE;

  task = g_steal_pointer (&self->start_task);

  if (report->error != NULL)
    {
      /* The thread has ended (or is about to): reap it. */
      sg_demo_server_stop (self);
      g_task_return_error (task, g_steal_pointer (&report->error));
      return G_SOURCE_REMOVE;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      sg_demo_server_stop (self);
      g_task_return_error_if_cancelled (task);
      return G_SOURCE_REMOVE;
    }

  self->base_url = g_steal_pointer (&report->base_url);
  g_debug ("Offline demo serving at %s", self->base_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_task_return_boolean (task, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
apply_latency_cb (gpointer data)
{
  ServerState *state = data;

  if (state->api != NULL)
    sg_mock_api_set_latency (state->api, g_atomic_int_get (&state->latency_ms));
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  ServerState *state = data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  ServerState *state = data->state;
  StartReport *report = g_steal_pointer (&data->report);
  gboolean listening;

  g_main_context_push_thread_default (state->context);

  state->api = sg_mock_api_new ();
  sg_mock_api_set_latency (state->api, g_atomic_int_get (&state->latency_ms));
  /* Generated creatures exist for every id, so any range the user picks
   * works offline too. */
  sg_mock_api_set_max_id (state->api, SG_MAX_ID);

  listening = sg_mock_api_listen (state->api, 0, &report->error);
  if (listening)
    report->base_url = g_strdup (sg_mock_api_get_base_url (state->api));
  else
    g_prefix_error (&report->error, "%s", _("The offline demo’s server could not start: "));

  g_main_context_invoke_full (data->owner_context, G_PRIORITY_DEFAULT, start_report_cb,
                              report, start_report_free);

  if (listening)
    g_main_loop_run (state->loop);

  /* Disposed here, in the context it served from. */
  g_clear_object (&state->api);

  /* Sources still queued (a latency change, the mock's own completions)
   * hold references; run them now rather than leak them with the context.
   * Bounded: nothing adds sources once the server is gone. */
  for (guint i = 0; i < 1000 && g_main_context_pending (state->context); i++)
    g_main_context_iteration (state->context, FALSE);

  g_main_context_pop_thread_default (state->context);

  server_state_release (state);
  g_main_context_unref (data->owner_context);
  g_free (data);
  return NULL;
}

/* Public API ------------------------------------------------------------------ */

SgDemoServer *
sg_demo_server_new (guint latency_ms)
{
  return g_object_new (SG_TYPE_DEMO_SERVER, "latency-ms", latency_ms, NULL);
}

void
sg_demo_server_start_async (SgDemoServer        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ThreadData *data;

  g_return_if_fail (SG_IS_DEMO_SERVER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_demo_server_start_async);

  if (self->base_url != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->start_task != NULL || self->thread != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "%s", _("The offline demo is already starting"));
      return;
    }

  self->generation++;
  self->state = g_atomic_rc_box_new0 (ServerState);
  self->state->context = g_main_context_new ();
  self->state->loop = g_main_loop_new (self->state->context, FALSE);
  self->state->latency_ms = self->latency_ms;

  data = g_new0 (ThreadData, 1);
  data->state = g_atomic_rc_box_acquire (self->state);
  data->owner_context = g_main_context_ref_thread_default ();
  data->report = g_new0 (StartReport, 1);
  g_weak_ref_init (&data->report->server, self);
  data->report->generation = self->generation;

  self->thread = g_thread_try_new ("sg-demo-server", server_thread, data, &error);
  if (self->thread == NULL)
    {
      server_state_release (data->state);
      g_main_context_unref (data->owner_context);
      start_report_free (data->report);
      g_free (data);
      g_clear_pointer (&self->state, server_state_release);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->start_task = g_steal_pointer (&task);
}

gboolean
sg_demo_server_start_finish (SgDemoServer  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (SG_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sg_demo_server_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
sg_demo_server_get_base_url (SgDemoServer *self)
{
  g_return_val_if_fail (SG_IS_DEMO_SERVER (self), NULL);

  return self->base_url;
}

guint
sg_demo_server_get_latency (SgDemoServer *self)
{
  g_return_val_if_fail (SG_IS_DEMO_SERVER (self), 0);

  return self->latency_ms;
}

void
sg_demo_server_set_latency (SgDemoServer *self,
                            guint         latency_ms)
{
  g_return_if_fail (SG_IS_DEMO_SERVER (self));

  latency_ms = MIN (latency_ms, SG_DEMO_SERVER_MAX_LATENCY_MS);
  if (self->latency_ms == latency_ms)
    return;

  self->latency_ms = latency_ms;

  /* SgMockApi is not thread-safe: the new value is handed to the server
   * thread through its context instead of being set from here. */
  if (self->state != NULL)
    {
      g_atomic_int_set (&self->state->latency_ms, latency_ms);
      g_main_context_invoke_full (self->state->context, G_PRIORITY_DEFAULT, apply_latency_cb,
                                  g_atomic_rc_box_acquire (self->state), server_state_release);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
}

void
sg_demo_server_stop (SgDemoServer *self)
{
  g_return_if_fail (SG_IS_DEMO_SERVER (self));

  /* A start still waiting for its report is answered now; the report,
   * when it comes, is stale (another generation) and dropped. */
  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The offline demo was stopped"));
    }
  self->generation++;

  if (self->thread != NULL)
    {
      /* An idle on the server's context rather than g_main_loop_quit()
       * from here: a quit that came before the thread reached
       * g_main_loop_run() would be lost, and the join would wait forever. */
      g_main_context_invoke_full (self->state->context, G_PRIORITY_HIGH, quit_cb,
                                  g_atomic_rc_box_acquire (self->state), server_state_release);
      /* Bounded: the server thread only disposes the mock server (which
       * drops its connections) and runs what is already queued. */
      g_thread_join (g_steal_pointer (&self->thread));
    }

  g_clear_pointer (&self->state, server_state_release);
  if (self->base_url != NULL)
    {
      g_clear_pointer (&self->base_url, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }
}

/* GObject ----------------------------------------------------------------------- */

static void
sg_demo_server_dispose (GObject *object)
{
  SgDemoServer *self = SG_DEMO_SERVER (object);

  sg_demo_server_stop (self);

  G_OBJECT_CLASS (sg_demo_server_parent_class)->dispose (object);
}

static void
sg_demo_server_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SgDemoServer *self = SG_DEMO_SERVER (object);

  switch (prop_id)
    {
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->latency_ms);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_demo_server_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SgDemoServer *self = SG_DEMO_SERVER (object);

  switch (prop_id)
    {
    case PROP_LATENCY_MS:
      sg_demo_server_set_latency (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_demo_server_class_init (SgDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_demo_server_dispose;
  object_class->get_property = sg_demo_server_get_property;
  object_class->set_property = sg_demo_server_set_property;

  properties[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL,
                       0, SG_DEMO_SERVER_MAX_LATENCY_MS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_demo_server_init (SgDemoServer *self)
{
}
