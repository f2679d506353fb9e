/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libFuzzer entry point, shared by the fuzzer and the corpus replay test. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
