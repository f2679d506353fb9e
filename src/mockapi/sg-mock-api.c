/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-mock-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-mock-api-private.h"
#include "sg-mock-body.h"
#include "sg-mock-creatures.h"
#include "sg-mock-faults.h"
#include "sg-mock-mirror.h"
#include "sg-mock-sprite.h"

#define DEFAULT_MAX_ID 1025
/* Documents are ~270 KB with their gzip; beyond this many the cache is
 * emptied (a crude bound, but runs ask for the same 100-151 ids). */
#define DEFAULT_KEEP_DOCUMENTS 400

typedef struct {
  SgMockFaultKind kind;
  guint           arg;
  guint           hits;
} FaultState;

struct _SgMockApi {
  GObject       parent_instance;

  SoupServer   *server;
  GMainContext *context;        /* the one we listen in: timers go there too */
  GCancellable *cancellable;
  char         *origin;         /* "http://127.0.0.1:PORT" */
  char         *base_url;       /* origin + "/api/v2/" */
  char         *mirror_dir;
  guint         latency_ms;
  guint         max_id;
  guint         keep_documents;
  guint         n_requests;
  gboolean      disposed;

  GHashTable   *faults;         /* id -> FaultState */
  GHashTable   *documents;      /* id -> SgMockBlob */
  GHashTable   *sprites;        /* sprite key -> SgMockBlob */
  GHashTable   *loading;        /* load key -> GPtrArray of SoupServerMessage waiting */
  GHashTable   *exchanges;      /* SoupServerMessage -> SgMockExchange */
};

G_DEFINE_FINAL_TYPE (SgMockApi, sg_mock_api, G_TYPE_OBJECT)

G_DEFINE_QUARK (sg-mock-api-error-quark, sg_mock_api_error)

/* Load keys: documents and sprites share the loading table. */
#define DOC_KEY(id)         GUINT_TO_POINTER ((id) * 8u)
#define SPRITE_KEY(id, var) GUINT_TO_POINTER ((id) * 8u + 1u + (var))

static void
blob_free (gpointer data)
{
  SgMockBlob *blob = data;

  g_clear_pointer (&blob->plain, g_bytes_unref);
  g_clear_pointer (&blob->gzip, g_bytes_unref);
  g_free (blob);
}

static void
exchange_free (gpointer data)
{
  SgMockExchange *ex = data;

  g_clear_signal_handler (&ex->finished_handler, ex->msg);
  sg_mock_exchange_stop_stream (ex);
  if (ex->timer != NULL)
    {
      g_source_destroy (ex->timer);
      g_clear_pointer (&ex->timer, g_source_unref);
    }
  g_clear_pointer (&ex->data, g_bytes_unref);
  g_clear_pointer (&ex->data_gzip, g_bytes_unref);
  g_clear_pointer (&ex->path, g_free);
  g_clear_object (&ex->msg);
  g_free (ex);
}

static void
sg_mock_api_dispose (GObject *object)
{
  SgMockApi *self = SG_MOCK_API (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);

  /* Timers first, so nothing fires while connections go away; then the
   * server drops every connection, hung and dripping ones included, which
   * finishes their messages and so removes their exchanges. */
  if (self->exchanges != NULL)
    {
      GHashTableIter iter;
      SgMockExchange *ex;

      g_hash_table_iter_init (&iter, self->exchanges);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ex))
        {
          if (ex->timer != NULL)
            {
              g_source_destroy (ex->timer);
              g_clear_pointer (&ex->timer, g_source_unref);
            }
        }
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->exchanges, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_hash_table_unref);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (sg_mock_api_parent_class)->dispose (object);
}

static void
sg_mock_api_finalize (GObject *object)
{
  SgMockApi *self = SG_MOCK_API (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->faults, g_hash_table_unref);
  g_clear_pointer (&self->documents, g_hash_table_unref);
  g_clear_pointer (&self->sprites, g_hash_table_unref);
  g_free (self->origin);
  g_free (self->base_url);
  g_free (self->mirror_dir);

  G_OBJECT_CLASS (sg_mock_api_parent_class)->finalize (object);
}

static void
sg_mock_api_class_init (SgMockApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_mock_api_dispose;
  object_class->finalize = sg_mock_api_finalize;
}

static void
sg_mock_api_init (SgMockApi *self)
{
  self->max_id = DEFAULT_MAX_ID;
  self->keep_documents = DEFAULT_KEEP_DOCUMENTS;
  self->cancellable = g_cancellable_new ();
  self->faults = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->documents = g_hash_table_new_full (NULL, NULL, NULL, blob_free);
  self->sprites = g_hash_table_new_full (NULL, NULL, NULL, blob_free);
  self->loading = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->exchanges = g_hash_table_new_full (NULL, NULL, NULL, exchange_free);
}

SgMockApi *
sg_mock_api_new (void)
{
  return g_object_new (SG_TYPE_MOCK_API, NULL);
}

gboolean
sg_mock_api_set_mirror_dir (SgMockApi   *self,
                            const char  *dir,
                            GError     **error)
{
  g_return_val_if_fail (SG_IS_MOCK_API (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!sg_mock_mirror_check (dir, error))
    return FALSE;

  g_free (self->mirror_dir);
  self->mirror_dir = g_strdup (dir);
  g_hash_table_remove_all (self->documents);
  g_hash_table_remove_all (self->sprites);
  return TRUE;
}

void
sg_mock_api_set_latency (SgMockApi *self,
                         guint      latency_ms)
{
  g_return_if_fail (SG_IS_MOCK_API (self));
  self->latency_ms = latency_ms;
}

guint
sg_mock_api_get_latency (SgMockApi *self)
{
  g_return_val_if_fail (SG_IS_MOCK_API (self), 0);
  return self->latency_ms;
}

void
sg_mock_api_set_max_id (SgMockApi *self,
                        guint      max_id)
{
  g_return_if_fail (SG_IS_MOCK_API (self));
  self->max_id = max_id;
}

void
sg_mock_api_set_keep_documents (SgMockApi *self,
                                guint      keep_documents)
{
  g_return_if_fail (SG_IS_MOCK_API (self));
  g_return_if_fail (keep_documents > 0);
  self->keep_documents = keep_documents;
}

void
sg_mock_api_set_fault (SgMockApi       *self,
                       guint            id,
                       SgMockFaultKind  kind,
                       guint            arg)
{
  FaultState *state;

  g_return_if_fail (SG_IS_MOCK_API (self));

  if (kind == SG_MOCK_FAULT_NONE)
    {
      g_hash_table_remove (self->faults, GUINT_TO_POINTER (id));
      return;
    }

  state = g_new0 (FaultState, 1);
  state->kind = kind;
  state->arg = arg;
  g_hash_table_replace (self->faults, GUINT_TO_POINTER (id), state);
}

gboolean
sg_mock_api_parse_faults (SgMockApi   *self,
                          const char  *spec,
                          GError     **error)
{
  g_autoptr(GArray) faults = NULL;

  g_return_val_if_fail (SG_IS_MOCK_API (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  /* All or nothing: nothing is applied unless the whole spec is valid. */
  faults = sg_mock_faults_parse (spec, error);
  if (faults == NULL)
    return FALSE;

  for (guint i = 0; i < faults->len; i++)
    {
      const SgMockFaultSpec *f = &g_array_index (faults, SgMockFaultSpec, i);

      sg_mock_api_set_fault (self, f->id, f->kind, f->arg);
    }
  return TRUE;
}

const char *
sg_mock_api_get_base_url (SgMockApi *self)
{
  g_return_val_if_fail (SG_IS_MOCK_API (self), NULL);
  return self->base_url;
}

const char *
sg_mock_api_get_origin (SgMockApi *self)
{
  return self->origin;
}

guint
sg_mock_api_get_n_requests (SgMockApi *self)
{
  g_return_val_if_fail (SG_IS_MOCK_API (self), 0);
  return self->n_requests;
}

char *
sg_mock_api_creature_name (guint id)
{
  return sg_mock_creature_name (id);
}

GBytes *
sg_mock_api_draw_sprite (guint    id,
                         gboolean shiny,
                         gboolean back)
{
  return sg_mock_sprite_draw (id, shiny, back);
}

GSource *
sg_mock_api_add_timeout (SgMockApi   *self,
                         guint        ms,
                         GSourceFunc  func,
                         gpointer     data)
{
  /* Not g_timeout_add(): that would use the global default context, not the
   * one this server runs in. */
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[sg-mock-api] timer");
  g_source_attach (source, self->context);
  return source;
}

/* Routing ---------------------------------------------------------------- */

/* A decimal id without sign or leading zero, 1..max_id; @end is where it
 * must stop. */
static gboolean
parse_id (SgMockApi   *self,
          const char  *s,
          const char **end,
          guint       *out_id)
{
  guint64 value = 0;
  const char *p = s;

  if (*p < '1' || *p > '9')
    return FALSE;
  while (g_ascii_isdigit (*p) && p - s < 10)
    value = value * 10 + (guint) (*p++ - '0');
  if (g_ascii_isdigit (*p) || value > self->max_id)
    return FALSE;

  *end = p;
  *out_id = (guint) value;
  return TRUE;
}

static void
route_request (SgMockApi      *self,
               SgMockExchange *ex,
               const char     *path)
{
  static const char *const sprite_dirs[SG_MOCK_N_SPRITE_VARIANTS] = {
    [SG_MOCK_SPRITE_FRONT] = "/sprites/pokemon/",
    [SG_MOCK_SPRITE_SHINY] = "/sprites/pokemon/shiny/",
    [SG_MOCK_SPRITE_BACK] = "/sprites/pokemon/back/",
    [SG_MOCK_SPRITE_BACK_SHINY] = "/sprites/pokemon/back/shiny/",
  };
  const char *method = soup_server_message_get_method (ex->msg);
  const char *end = NULL;

  ex->route = SG_MOCK_ROUTE_NOT_FOUND;

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      ex->route = SG_MOCK_ROUTE_BAD_METHOD;
      return;
    }

  if (g_str_has_prefix (path, "/api/v2/pokemon/") &&
      parse_id (self, path + strlen ("/api/v2/pokemon/"), &end, &ex->id))
    {
      if (g_str_equal (end, "/"))
        ex->route = SG_MOCK_ROUTE_DETAIL;
      else if (*end == '\0')
        ex->route = SG_MOCK_ROUTE_REDIRECT;
      return;
    }

  for (guint v = 0; v < SG_MOCK_N_SPRITE_VARIANTS; v++)
    {
      if (g_str_has_prefix (path, sprite_dirs[v]) &&
          parse_id (self, path + strlen (sprite_dirs[v]), &end, &ex->id) &&
          g_str_equal (end, ".png"))
        {
          ex->route = SG_MOCK_ROUTE_SPRITE;
          ex->variant = v;
          return;
        }
    }
}

static void
apply_fault (SgMockApi      *self,
             SgMockExchange *ex)
{
  FaultState *state = g_hash_table_lookup (self->faults, GUINT_TO_POINTER (ex->id));

  if (state == NULL)
    return;
  if (ex->route == SG_MOCK_ROUTE_DETAIL && !sg_mock_fault_kind_is_sprite (state->kind))
    ex->fault_hit = ++state->hits;
  else if (ex->route == SG_MOCK_ROUTE_SPRITE && sg_mock_fault_kind_is_sprite (state->kind))
    ;
  else
    return;

  ex->fault = state->kind;
  ex->fault_arg = state->arg;
}

/* Latency and answer ----------------------------------------------------- */

static gboolean
on_latency_elapsed (gpointer data)
{
  SgMockExchange *ex = data;

  g_clear_pointer (&ex->timer, g_source_unref);
  sg_mock_exchange_respond (ex);
  return G_SOURCE_REMOVE;
}

/* Answers once the latency has passed since the request came in (loading
 * the data counts towards it). */
static void
exchange_schedule (SgMockExchange *ex)
{
  SgMockApi *self = ex->self;
  gint64 elapsed_ms = (g_get_monotonic_time () - ex->started_us) / 1000;

  if (elapsed_ms >= self->latency_ms)
    {
      sg_mock_exchange_respond (ex);
      return;
    }
  ex->timer = sg_mock_api_add_timeout (self, self->latency_ms - (guint) elapsed_ms,
                                       on_latency_elapsed, ex);
}

static void
exchange_take_blob (SgMockExchange   *ex,
                    const SgMockBlob *blob)
{
  ex->data = g_bytes_ref (blob->plain);
  ex->data_gzip = blob->gzip != NULL ? g_bytes_ref (blob->gzip) : NULL;
}

/* Loading (off the main context) ----------------------------------------- */

typedef struct {
  GWeakRef  api;            /* not a strong ref: disposing must finalize */
  gpointer  key;
  guint     id;
  int       variant;        /* -1 for the document */
  char     *origin;
  char     *mirror_dir;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_weak_ref_clear (&job->api);
  g_free (job->origin);
  g_free (job->mirror_dir);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr(GError) error = NULL;
  SgMockBlob *blob = g_new0 (SgMockBlob, 1);
  gboolean shiny = job->variant == SG_MOCK_SPRITE_SHINY || job->variant == SG_MOCK_SPRITE_BACK_SHINY;
  gboolean back = job->variant == SG_MOCK_SPRITE_BACK || job->variant == SG_MOCK_SPRITE_BACK_SHINY;

  if (job->variant < 0)
    {
      if (job->mirror_dir != NULL)
        blob->plain = sg_mock_mirror_document (job->mirror_dir, job->id, job->origin, &error);
      else
        blob->plain = sg_mock_creature_document (job->id, job->origin);
      if (blob->plain != NULL)
        blob->gzip = sg_mock_gzip (blob->plain);
    }
  else
    {
      if (job->mirror_dir != NULL)
        blob->plain = sg_mock_mirror_sprite (job->mirror_dir, job->id, shiny, back, &error);
      else
        blob->plain = sg_mock_sprite_draw (job->id, shiny, back);
    }

  if (blob->plain == NULL)
    {
      blob_free (blob);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, blob, blob_free);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(SgMockApi) self = g_weak_ref_get (&job->api);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  SgMockBlob *blob;

  blob = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || self->disposed)
    {
      g_clear_pointer (&blob, blob_free);
      return;
    }

  g_hash_table_steal_extended (self->loading, job->key, NULL, (gpointer *) &waiting);

  if (blob != NULL)
    {
      GHashTable *cache = job->variant < 0 ? self->documents : self->sprites;

      if (job->variant < 0 && g_hash_table_size (cache) >= self->keep_documents)
        g_hash_table_remove_all (cache);
      g_hash_table_replace (cache, job->key, blob);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_warning ("Could not load %s %u: %s",
                 job->variant < 0 ? "document" : "sprite", job->id, error->message);
    }

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      SgMockExchange *ex = g_hash_table_lookup (self->exchanges, g_ptr_array_index (waiting, i));

      if (ex == NULL)
        continue;   /* the client went away meanwhile */

      if (blob != NULL)
        exchange_take_blob (ex, blob);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        ex->route = SG_MOCK_ROUTE_NOT_FOUND;
      else
        ex->route = SG_MOCK_ROUTE_ERROR;
      exchange_schedule (ex);
    }
}

static void
exchange_load (SgMockExchange *ex)
{
  SgMockApi *self = ex->self;
  gboolean is_doc = ex->route == SG_MOCK_ROUTE_DETAIL;
  gpointer key = is_doc ? DOC_KEY (ex->id) : SPRITE_KEY (ex->id, ex->variant);
  SgMockBlob *cached = g_hash_table_lookup (is_doc ? self->documents : self->sprites, key);
  g_autoptr(GTask) task = NULL;
  GPtrArray *waiting;
  LoadJob *job;

  if (cached != NULL)
    {
      exchange_take_blob (ex, cached);
      exchange_schedule (ex);
      return;
    }

  /* Several requests for the same thing share one load. */
  waiting = g_hash_table_lookup (self->loading, key);
  if (waiting != NULL)
    {
      g_ptr_array_add (waiting, g_object_ref (ex->msg));
      return;
    }
  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting, g_object_ref (ex->msg));
  g_hash_table_insert (self->loading, key, waiting);

  job = g_new0 (LoadJob, 1);
  g_weak_ref_init (&job->api, self);
  job->key = key;
  job->id = ex->id;
  job->variant = is_doc ? -1 : (int) ex->variant;
  job->origin = g_strdup (self->origin);
  job->mirror_dir = g_strdup (self->mirror_dir);

  /* Building a 230 KB document (and its gzip) or a PNG takes milliseconds:
   * a worker thread does it, so the serving context (maybe a GUI's) never
   * stalls. */
  task = g_task_new (NULL, self->cancellable, on_loaded, NULL);
  g_task_set_source_tag (task, exchange_load);
  g_task_set_task_data (task, job, load_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_thread);
}

/* Serving ---------------------------------------------------------------- */

static void
on_message_finished (SoupServerMessage *msg,
                     SgMockApi         *self)
{
  /* Also reached when the client hangs up or the server is disposed. */
  g_hash_table_remove (self->exchanges, msg);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SgMockApi *self = SG_MOCK_API (user_data);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SgMockExchange *ex;

  self->n_requests++;

  ex = g_new0 (SgMockExchange, 1);
  ex->self = self;
  ex->msg = g_object_ref (msg);
  ex->started_us = g_get_monotonic_time ();
  ex->path = g_strdup (path);
  ex->accepts_gzip = soup_message_headers_header_contains (request_headers, "Accept-Encoding", "gzip");
  ex->finished_handler = g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), self);
  g_hash_table_insert (self->exchanges, msg, ex);

  route_request (self, ex, path);
  apply_fault (self, ex);

  g_debug ("%s %s -> route %d, fault %s", soup_server_message_get_method (msg), path,
           ex->route, sg_mock_fault_kind_to_string (ex->fault));

  /* Every answer waits for the latency and maybe for data: the message is
   * paused now and resumed by sg_mock_exchange_respond(). */
  soup_server_message_pause (msg);

  if (sg_mock_exchange_needs_data (ex))
    exchange_load (ex);
  else
    exchange_schedule (ex);
}

#define LISTEN_BACKLOG 512

gboolean
sg_mock_api_listen (SgMockApi  *self,
                    guint       port,
                    GError    **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocket) socket = NULL;
  GSList *uris;
  int bound_port;

  g_return_val_if_fail (SG_IS_MOCK_API (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  server = soup_server_new ("server-header", "sg-mock-pokeapi/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (server, NULL, handle_request, self, NULL);

  /* Loopback only: this server must never be reachable from elsewhere. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);

  /* Our own socket, for its backlog: soup_server_listen() keeps GLib's 10,
   * and a pool opening 100+ connections at once would then wait for SYN
   * retransmits (1 s, 3 s, ...) instead of for the server. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (server, socket, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  bound_port = uris != NULL ? g_uri_get_port (uris->data) : -1;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (bound_port <= 0)
    {
      soup_server_disconnect (server);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The mock server did not report the port it listens on"));
      return FALSE;
    }

  self->server = g_steal_pointer (&server);
  self->context = g_main_context_ref_thread_default ();
  self->origin = g_strdup_printf ("http://127.0.0.1:%d", bound_port);
  self->base_url = g_strconcat (self->origin, "/api/v2/", NULL);
  return TRUE;
}
