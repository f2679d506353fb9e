/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test support for everybody's tests: run the mock PokeAPI program
 * (sg-mock-pokeapi, at SG_MOCK_POKEAPI_PATH) and fetch URLs synchronously.
 *
 *   g_autofree char *base = NULL;
 *   const char *args[] = { "--latency-ms", "20", "--faults", "13=hang", NULL };
 *   GSubprocess *mock = sg_test_mock_spawn (args, &base, &error);
 *   ...  // base is "http://127.0.0.1:PORT/api/v2/"
 *   sg_test_mock_stop (mock);
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Starts the mock (on a free port, with --exit-with-stdin so it dies with the
 * test) and returns once it printed its base URL; fails after a bounded wait.
 * @extra_args may be NULL. */
GSubprocess *sg_test_mock_spawn     (const char *const  *extra_args,
                                     char              **out_base_url,
                                     GError            **error);
/* Kills the mock, waits for it and drops the reference. NULL is fine. */
void         sg_test_mock_stop      (GSubprocess        *mock);
/* A plain synchronous GET (redirects followed, gzip decoded, 30 s timeout):
 * the body of a 2xx answer, else an error naming the status. Do not call it
 * from the thread that runs an in-process SgMockApi. */
GBytes      *sg_test_mock_http_get  (const char         *url,
                                     GError            **error);

G_END_DECLS
