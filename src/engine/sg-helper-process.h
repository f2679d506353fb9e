/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One sprite-gallery-fetcher process as the pool sees it: a GSubprocess, a
 * non-blocking writer for task lines on its stdin, and an asynchronous
 * reader that decodes the frames on its stdout.
 *
 * It is "finished" only when its stdout reached EOF *and* its exit was
 * reaped, so a result still in the pipe is delivered before the pool hears
 * of the death, and never twice. A protocol violation kills it at once; the
 * reader never tries to resynchronise.
 */
#pragma once

#include <gio/gio.h>

#include "sg-frame.h"

G_BEGIN_DECLS

typedef struct _SgHelperProcess SgHelperProcess;

typedef struct {
  /* A well-formed frame arrived; @frame is borrowed. */
  void (*frame)     (SgHelperProcess *process,
                     const SgFrame   *frame,
                     gpointer         user_data);
  /* The process broke the protocol (or was killed for another reason given
   * to sg_helper_process_kill_with_reason()); it has been killed. */
  void (*violation) (SgHelperProcess *process,
                     const char      *reason,
                     gpointer         user_data);
  /* stdout closed and the exit was reaped. @exit_desc: "0", "exit 3",
   * "signal 9 (Killed)". The callee may free @process. */
  void (*finished)  (SgHelperProcess *process,
                     const char      *exit_desc,
                     gboolean         exited_cleanly,
                     gpointer         user_data);
} SgHelperProcessCallbacks;

SgHelperProcess *sg_helper_process_spawn       (const char * const             *argv,
                                                const SgHelperProcessCallbacks *callbacks,
                                                gpointer                        user_data,
                                                GError                        **error);
GPid             sg_helper_process_get_pid     (SgHelperProcess *self);
/* Queues text for stdin; never blocks. Errors (EPIPE) are ignored here: a
 * helper that cannot read its tasks is dead, and "finished" will say so. */
void             sg_helper_process_send        (SgHelperProcess *self,
                                                const char      *text,
                                                gsize            len);
/* Closes stdin once everything queued is written: the helper finishes what
 * it has and exits. */
void             sg_helper_process_close_stdin (SgHelperProcess *self);
/* SIGKILL. "finished" follows. */
void             sg_helper_process_kill        (SgHelperProcess *self);
void             sg_helper_process_kill_with_reason (SgHelperProcess *self,
                                                     const char      *reason);
gboolean         sg_helper_process_is_killed   (SgHelperProcess *self);
/* Resident set size in KiB from /proc, 0 if unknown. */
guint64          sg_helper_process_read_rss_kib (SgHelperProcess *self);
/* Kills if still running and drops every callback. */
void             sg_helper_process_free        (SgHelperProcess *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgHelperProcess, sg_helper_process_free)

G_END_DECLS
