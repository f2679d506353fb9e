/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark helper, preloaded into the mock server only (LD_PRELOAD): raises
 * the listen(2) backlog to SOMAXCONN.
 *
 * Why: GLib listens with a backlog of 10. When a client opens 100
 * connections at once (curl --parallel --parallel-max 100 does), the kernel
 * drops the SYNs that do not fit and the client resends them after 1 s, 3 s,
 * 7 s ... (TcpExtListenOverflows counts them). A real web server listens
 * with a backlog in the hundreds or thousands, so without this the
 * benchmark would measure the mock's accept queue, not the clients, and
 * would flatter whoever opens fewer connections. sg-bench.py also counts
 * the overflows of every run, so any left would show.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <sys/socket.h>

int
listen (int fd,
        int backlog)
{
  static int (*real_listen) (int, int);

  if (real_listen == NULL)
    real_listen = (int (*) (int, int)) dlsym (RTLD_NEXT, "listen");
  /* The kernel caps it at net.core.somaxconn anyway. */
  return real_listen (fd, backlog < SOMAXCONN ? SOMAXCONN : backlog);
}
