/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test support for the GUI tests (gui, demo, viz): bounded waits on the
 * main loop, a screenshot of a widget as the renderer draws it, a bounded
 * run of a program, and removing a temporary tree.
 *
 *   g_assert_true (sg_test_wait_until (is_done, fx, 30));
 *   g_assert_true (sg_test_wait_at_least (&fx->n_finished, 2, 120));
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*SgTestCondition) (gpointer user_data);

/* Iterates the default main context until @condition holds; FALSE once
 * @timeout_s seconds passed without it. */
gboolean sg_test_wait_until      (SgTestCondition     condition,
                                  gpointer            user_data,
                                  guint               timeout_s);
/* sg_test_wait_until() for "*@counter >= @n". */
gboolean sg_test_wait_at_least   (const guint        *counter,
                                  guint               n,
                                  guint               timeout_s);
/* Conditions: *(gpointer *) @user_data is NULL (a weak pointer cleared);
 * *(gboolean *) @user_data is TRUE. */
gboolean sg_test_is_null         (gpointer            user_data);
gboolean sg_test_is_true         (gpointer            user_data);

/* Saves @widget as the renderer draws it, right after its next painted
 * frame, to the PNG @path; asserts it did within @timeout_s. */
void     sg_test_save_widget_png (GtkWidget          *widget,
                                  const char         *path,
                                  guint               timeout_s);

/* Runs @argv (NULL-terminated) to its end, reading both pipes; killed and
 * failed if it takes over @timeout_s. Returns its exit status, -1 if it did
 * not exit normally; its stderr in @out_stderr if not NULL. */
int      sg_test_run_argv        (const char *const  *argv,
                                  guint               timeout_s,
                                  char              **out_stderr);

/* Removes @path and, for a directory, all below it (symlinks not followed). */
void     sg_test_rm_rf           (const char         *path);

G_END_DECLS
