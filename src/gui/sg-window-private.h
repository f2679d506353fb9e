/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SgWindow's insides, shared by its files (sg-window.c: construction and
 * the pool's signals; sg-window-actions.c: runs and actions) and by the GUI
 * tests.
 */
#pragma once

#include "sg-column-fit.h"
#include "sg-demo-popover.h"
#include "sg-demo-server.h"
#include "sg-progress-line.h"
#include "sg-run-history.h"
#include "sg-stall-watchdog.h"
#include "sg-timeline.h"
#include "sg-window.h"
#include "sg-workers-panel.h"

G_BEGIN_DECLS

/* How long a run waits for the frame showing Stop before starting its pool
 * anyway (a window that is not painted, as when minimised on Wayland). */
#define SG_WINDOW_POOL_START_TIMEOUT_MS 100

struct _SgWindow
{
  AdwApplicationWindow  parent_instance;

  SgPool               *pool;
  GSettings            *settings;      /* NULL without the schema */
  GListModel           *sprites;       /* the pool's model shown in the grid */
  GCancellable         *run_cancellable; /* non-NULL while our run goes */
  GApplication         *held_application; /* held while our run goes */
  /* A run shows its Stop button in one frame and starts its pool after
   * it (sg_window_start_run): the frame clock waited on (NULL for a window
   * not shown), then an idle source below the redraw priority (or a
   * timeout, for a window that is not painted). */
  gboolean              pool_start_pending;
  guint                 pool_start_timeout_ms; /* a test stretches it, to wait for any frame */
  GdkFrameClock        *pool_start_clock;
  guint                 pool_start_source;
  gboolean              pool_start_bypass_cache;
  SgStallWatchdog      *watchdog;
  gint64                mapped_us;     /* monotonic time of the first map, for the report */
  GQueue                kept_textures; /* KeptTexture: the sprites whose texture we keep */
  AdwToast             *log_toast;     /* the pool's "log" toast on screen, if any */
  SgDemoServer         *demo_server;   /* the offline demo's, once asked for */
  SgRunOptions         *pre_demo_options; /* what the demo replaced, to leave it */
  gboolean              demo_mode;
  gboolean              disposed;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkBox               *main_box;
  GtkBox               *content_box;
  AdwWindowTitle       *window_title;
  GtkButton            *run_button;
  AdwButtonContent     *run_button_content;
  GtkInscription       *progress_label;
  SgProgressLine       *progress_line;
  GtkRevealer          *paused_revealer;
  GtkLabel             *paused_label;
  GtkStack             *main_stack;
  SgColumnFit          *gallery_fit;
  GtkScrolledWindow    *gallery_scroller;
  GtkGridView          *grid_view;
  GtkNoSelection       *selection;
  AdwStatusPage        *status_page;
  GtkButton            *status_demo_button;
  GtkMenuButton        *demo_button;
  GtkLabel             *demo_label;
  SgDemoPopover        *demo_popover;

  /* The concurrency made visible (sg-window-viz.c, -controls.c, -history.c) */
  SgTimelineModel      *timeline_model;
  SgRunHistory         *history;
  GCancellable         *history_cancellable;
  GtkWidget            *history_window;  /* SgHistoryWindow, while open */
  GtkWidget            *sprite_page;     /* SgSpritePage, while open */
  GtkWidget            *highlighted_tile; /* weak: the tile outlined for the timeline */
  GtkFileChooserNative *export_dialog;
  SgRunOptions         *sweep_saved;     /* the options before the comparison */
  int                   sweep_step;      /* -1: no comparison running */
  guint                 sweep_idle_id;
  guint                 sync_controls_id;
  gboolean              syncing_controls;
  gboolean              paned_placing;  /* we move the handle, not the user */
  gboolean              paned_moved;    /* the user did */
  AdwFlap              *flap;
  SgWorkersPanel       *workers_panel;
  GtkPaned             *paned;
  SgTimeline           *timeline;
  GtkSpinButton        *workers_spin;
  GtkSpinButton        *in_flight_spin;
  GtkDropDown          *strategy_dropdown;
  GtkSpinButton        *first_spin;
  GtkSpinButton        *count_spin;
};

/* sg-window-actions.c */
void sg_window_class_init_actions (GtkWidgetClass *widget_class);
void sg_window_update_actions     (SgWindow       *self);
/* Starts a run's pool now if it waits for a frame (see sg_window_start_run). */
void sg_window_start_pending_pool (SgWindow       *self);

/* sg-window-demo.c */
void sg_window_class_init_demo    (GtkWidgetClass *widget_class);
void sg_window_dispose_demo       (SgWindow       *self);
/* The window subtitle, marked "Offline demo" in demo mode. */
void sg_window_set_subtitle       (SgWindow       *self,
                                   const char     *subtitle);

/* sg-window-viz.c */
void sg_window_class_init_viz     (GtkWidgetClass *widget_class);
void sg_window_init_viz           (SgWindow       *self);
void sg_window_dispose_viz        (SgWindow       *self);
/* Opens the page of the sprite @id (a tile or a timeline bar was activated). */
void sg_window_open_sprite_page   (SgWindow       *self,
                                   guint           id);

/* sg-window-controls.c */
void sg_window_class_init_controls (GtkWidgetClass *widget_class);
void sg_window_init_controls      (SgWindow       *self);
void sg_window_dispose_controls   (SgWindow       *self);
/* The controls show the pool's options for the next run. */
void sg_window_sync_controls      (SgWindow       *self);

/* sg-window-history.c */
void sg_window_class_init_history (GtkWidgetClass *widget_class);
void sg_window_init_history       (SgWindow       *self);
void sg_window_dispose_history    (SgWindow       *self);
void sg_window_update_history_actions (SgWindow   *self);
/* A run ended (from the run's callback): keep it, and go on comparing. */
void sg_window_record_run         (SgWindow       *self,
                                   gboolean        all_done,
                                   const GError   *error);
SgRunHistory *sg_window_get_history (SgWindow     *self);
/* "Compare 1, 2, 4, 8 processes": sequential, then the queue with 1, 2, 4
 * and 8 processes, each without the cache, one after another. */
void sg_window_start_sweep        (SgWindow       *self);
gboolean sg_window_get_sweeping   (SgWindow       *self);
void sg_window_show_history       (SgWindow       *self);
/* Writes the report (or the Chrome trace) of the last run to @file. */
void     sg_window_export_async   (SgWindow            *self,
                                   GFile               *file,
                                   gboolean             trace,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean sg_window_export_finish  (SgWindow            *self,
                                   GAsyncResult        *result,
                                   GError             **error);

/* sg-window.c */
void sg_window_update_progress    (SgWindow       *self);
void sg_window_show_status        (SgWindow       *self,
                                   const GError   *error);
void sg_window_show_gallery       (SgWindow       *self);
void sg_window_emit_run_finished  (SgWindow       *self,
                                   gboolean        all_done);
void sg_window_sync_model         (SgWindow       *self);

G_END_DECLS
