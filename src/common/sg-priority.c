/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sg-priority"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "sg-priority.h"

/* A helper is background work: it runs below the app that reads its
 * results. When every core is busy downloading and parsing, the window then
 * still gets the CPU for its frames (the GUI's longest stall at 0 ms
 * latency, medians of 11 under Xvfb: 23 ms at the app's priority, 14 ms at
 * +10); alone on a core a nice process runs as fast as any other. Failing
 * to lower it (a sandbox that forbids it) changes nothing else. */

/* The lowest priority there is (nice(1) and setpriority(2) cap at 19). */
#define LOWEST_NICENESS 19

int
sg_niceness_below (int parent_niceness)
{
  return MIN (parent_niceness + SG_BACKGROUND_NICENESS_STEP, LOWEST_NICENESS);
}

/* Both the pool (right after the spawn) and the helper (first thing in
 * main()) call this with the same absolute target, so whichever comes
 * first lowers the priority and the other changes nothing. The pool's
 * call matters most: before main() the helper spends milliseconds in the
 * dynamic linker, which would otherwise compete with the window at the
 * app's own priority. @pid 0 is the caller. */
void
sg_priority_lower_below (pid_t pid,
                         pid_t parent)
{
  int parent_niceness;
  int niceness;
  int target;

  errno = 0;
  parent_niceness = getpriority (PRIO_PROCESS, (id_t) parent);
  if (errno != 0)
    return;  /* the parent is gone: nobody to make room for */

  errno = 0;
  niceness = getpriority (PRIO_PROCESS, (id_t) pid);
  if (errno != 0)
    return;  /* it is gone already */

  target = sg_niceness_below (parent_niceness);
  /* Lowering one's own priority, or a child's, needs no privilege. */
  if (niceness < target && setpriority (PRIO_PROCESS, (id_t) pid, target) != 0)
    g_debug ("Cannot lower the priority of process %d: %s", (int) pid, g_strerror (errno));
}

void
sg_thread_priority_lower (void)
{
#ifdef __linux__
  /* PRIO_PROCESS with a thread id is that thread alone (setpriority(2)). */
  sg_priority_lower_below ((pid_t) syscall (SYS_gettid), getpid ());
#endif
}
