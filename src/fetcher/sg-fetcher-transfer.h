/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The helper's transfers: one curl multi handle (so one connection cache
 * for every transfer), a fixed set of slots (--in-flight), each with its own
 * reused easy handle and body buffer, and a queue for the tasks that wait
 * for a slot. Each task runs a small state machine:
 *
 *   queued -> json (GET {base}pokemon/{id}/) -> parse -> sprite (GET PNG)
 *          -> RESULT frame, or one TASK_ERROR frame from any step.
 */
#pragma once

#include <curl/curl.h>
#include <glib.h>

G_BEGIN_DECLS

#define SG_FETCHER_MAX_JSON_BYTES  (8 * 1024 * 1024)
#define SG_FETCHER_MAX_PNG_BYTES   (1024 * 1024)
#define SG_FETCHER_MAX_URL_LEN     2048

typedef struct {
  const char *base_url;         /* http(s), ends with '/' */
  guint       in_flight;        /* transfers at once, >= 1 */
  double      connect_timeout;  /* seconds */
  guint       low_speed_limit;  /* bytes per second ... */
  guint       low_speed_time;   /* ... over this many seconds, else timeout */
  double      max_time;         /* seconds per transfer */
} SgFetcherOptions;

typedef struct _SgFetcher SgFetcher;

SgFetcher *sg_fetcher_new         (const SgFetcherOptions *options);
void       sg_fetcher_free        (SgFetcher              *self);
/* Starts the task now if a slot is free, else queues it. */
void       sg_fetcher_push_task   (SgFetcher              *self,
                                   guint32                 task_id,
                                   guint                   pokemon_id);
/* No transfer running and none queued. */
gboolean   sg_fetcher_is_idle     (SgFetcher              *self);
/* Drives every transfer as far as it goes without waiting, and handles the
 * ones that finished (frames are written from here). */
void       sg_fetcher_perform     (SgFetcher              *self);
/* Waits up to @timeout_ms for network activity or for one of @extra. */
void       sg_fetcher_wait        (SgFetcher              *self,
                                   struct curl_waitfd     *extra,
                                   guint                   n_extra,
                                   int                     timeout_ms);

/* Parses @url (relative ones resolved against @base, which may be NULL) and
 * accepts only http and https. Returns the normalised URL or NULL. */
char      *sg_fetcher_check_url   (const char             *url,
                                   const char             *base,
                                   GError                **error);

G_END_DECLS
