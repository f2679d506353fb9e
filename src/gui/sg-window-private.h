/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SgWindow's insides, shared by its files (sg-window.c: construction and
 * the pool's signals; sg-window-actions.c: runs and actions) and by the GUI
 * tests.
 */
#pragma once

#include "sg-demo-popover.h"
#include "sg-demo-server.h"
#include "sg-stall-watchdog.h"
#include "sg-window.h"

G_BEGIN_DECLS

struct _SgWindow
{
  AdwApplicationWindow  parent_instance;

  SgPool               *pool;
  GSettings            *settings;      /* NULL without the schema */
  GListModel           *sprites;       /* the pool's model shown in the grid */
  GCancellable         *run_cancellable; /* non-NULL while our run goes */
  GApplication         *held_application; /* held while our run goes */
  SgStallWatchdog      *watchdog;
  AdwToast             *log_toast;     /* the pool's "log" toast on screen, if any */
  SgDemoServer         *demo_server;   /* the offline demo's, once asked for */
  gboolean              demo_mode;
  gboolean              disposed;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkBox               *main_box;
  GtkBox               *content_box;
  AdwWindowTitle       *window_title;
  GtkButton            *run_button;
  AdwButtonContent     *run_button_content;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkRevealer          *paused_revealer;
  GtkLabel             *paused_label;
  GtkStack             *main_stack;
  GtkScrolledWindow    *gallery_scroller;
  GtkGridView          *grid_view;
  GtkNoSelection       *selection;
  AdwStatusPage        *status_page;
  GtkButton            *status_demo_button;
  GtkMenuButton        *demo_button;
  GtkLabel             *demo_label;
  SgDemoPopover        *demo_popover;
};

/* sg-window-actions.c */
void sg_window_class_init_actions (GtkWidgetClass *widget_class);
void sg_window_update_actions     (SgWindow       *self);

/* sg-window-demo.c */
void sg_window_class_init_demo    (GtkWidgetClass *widget_class);
void sg_window_dispose_demo       (SgWindow       *self);
/* The window subtitle, marked "Offline demo" in demo mode. */
void sg_window_set_subtitle       (SgWindow       *self,
                                   const char     *subtitle);

/* sg-window.c */
void sg_window_update_progress    (SgWindow       *self);
void sg_window_show_status        (SgWindow       *self,
                                   const GError   *error);
void sg_window_show_gallery       (SgWindow       *self);
void sg_window_emit_run_finished  (SgWindow       *self,
                                   gboolean        all_done);
void sg_window_sync_model         (SgWindow       *self);

G_END_DECLS
