/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Runs and Speed-up": the speed-up chart over the run history, the
 * one-click comparison of 1, 2, 4 and 8 processes, and the list of every
 * finished run. The comparison itself is the main window's (it runs the
 * gallery): this window asks for it with "compare-requested" and shows the
 * status it is given.
 *
 * Actions: history.compare, history.stop-compare, history.clear.
 */
#pragma once

#include <adwaita.h>

#include "sg-run-history.h"

G_BEGIN_DECLS

#define SG_TYPE_HISTORY_WINDOW (sg_history_window_get_type ())
G_DECLARE_FINAL_TYPE (SgHistoryWindow, sg_history_window, SG, HISTORY_WINDOW, AdwWindow)

GtkWidget    *sg_history_window_new         (SgRunHistory    *history);
SgRunHistory *sg_history_window_get_history (SgHistoryWindow *self);
/* While a comparison runs: what it does now ("Run 2 of 5: …"); NULL when
 * none runs. */
void          sg_history_window_set_status  (SgHistoryWindow *self,
                                             const char      *status);
/* A row's subtitle for @record: its numbers in words. */
char         *sg_history_window_describe_record (SgRunRecord *record);

/*
 * Signals:
 *  "compare-requested" ()  the user asked for the 1, 2, 4, 8 comparison
 *  "stop-requested"    ()  the user asked to stop it
 */

G_END_DECLS
