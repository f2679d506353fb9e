/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The per-id fault table of the mock API and the parser of fault specs
 * ("13=status:404,14=flaky:2,15=hang").
 */
#pragma once

#include "sg-mock-api.h"

G_BEGIN_DECLS

typedef struct {
  guint           id;
  SgMockFaultKind kind;
  guint           arg;
} SgMockFaultSpec;

/* One parsed spec: an array of SgMockFaultSpec, all valid, no id twice. */
GArray     *sg_mock_faults_parse          (const char      *spec,
                                           GError         **error);
const char *sg_mock_fault_kind_to_string  (SgMockFaultKind  kind);
/* Whether the fault is served by the sprite URL rather than the detail document. */
gboolean    sg_mock_fault_kind_is_sprite  (SgMockFaultKind  kind);

G_END_DECLS
