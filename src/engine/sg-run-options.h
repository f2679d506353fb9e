/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The options shared by sprite-gallery and sprite-gallery-dl (DESIGN.md).
 * One parser and one validator serve both programs, so a bad value gets the
 * same clear one-line message everywhere.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SG_DEFAULT_BASE_URL   "https://pokeapi.co/api/v2/"
#define SG_DEFAULT_FIRST      1
#define SG_DEFAULT_COUNT      100
/* Enough for the default run of 100 sprites to be in flight at once on two
 * processes; each transfer mostly waits for the server (measured in
 * tests/bench: 2.7 s with 4, 0.3 s with 64, at 100 ms per request). */
#define SG_DEFAULT_IN_FLIGHT  64
#define SG_MAX_WORKERS        64
#define SG_MAX_IN_FLIGHT      64
#define SG_MAX_ID             100000
#define SG_MAX_COUNT          10000

typedef enum {
  SG_STRATEGY_QUEUE,       /* a free transfer slot takes the next task (imap_unordered) */
  SG_STRATEGY_CHUNKS,      /* each process gets a fixed slice up front (Pool.map) */
  SG_STRATEGY_SEQUENTIAL,  /* one process, one transfer: the baseline */
} SgStrategy;

typedef struct {
  char       *base_url;    /* always ends with '/' once validated */
  guint       first;
  guint       count;
  guint       workers;     /* processes */
  guint       in_flight;   /* transfers per process */
  SgStrategy  strategy;
  gboolean    no_cache;
  char       *cache_dir;   /* NULL: $XDG_CACHE_HOME/sprite-gallery */
  char       *report_path; /* NULL: no report */
} SgRunOptions;

SgRunOptions *sg_run_options_new          (void);
SgRunOptions *sg_run_options_copy         (const SgRunOptions *self);
void          sg_run_options_free         (SgRunOptions *self);
guint         sg_run_options_workers_for_cores (guint n_cores);
guint         sg_run_options_default_workers (void);

/* The entries for a GOptionContext/GApplication, writing into the string
 * fields of @storage; call sg_run_options_apply() after parsing. */
typedef struct {
  char    *base_url;
  int      first;
  int      count;
  int      workers;
  int      in_flight;
  char    *strategy;
  gboolean no_cache;
  char    *cache_dir;
  char    *report;
} SgRunOptionsStorage;

GOptionEntry *sg_run_options_entries      (SgRunOptionsStorage *storage);
void          sg_run_options_storage_clear (SgRunOptionsStorage *storage);
/* Validates and copies what was given (unset values keep @self's); on a bad
 * value returns FALSE with a one-line message such as
 * "--workers must be between 1 and 64, not 0". */
gboolean      sg_run_options_apply        (SgRunOptions              *self,
                                           const SgRunOptionsStorage *storage,
                                           GError                   **error);

const char   *sg_strategy_to_string       (SgStrategy   strategy);
gboolean      sg_strategy_from_string     (const char  *str,
                                           SgStrategy  *out);

/* Normalises a base URL (http/https only, ends with '/'); NULL + error otherwise. */
char         *sg_run_options_normalize_base_url (const char *url,
                                                 GError    **error);
/* The "settings" object of the report. */
JsonNode     *sg_run_options_to_json      (const SgRunOptions *self);
char         *sg_run_options_resolve_cache_dir (const SgRunOptions *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgRunOptions, sg_run_options_free)

G_END_DECLS
