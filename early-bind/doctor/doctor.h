/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "doctor/finding.h"
#include "engine/context.h"

/*
 * `early-bind check`: runs every check of doctor/checks.h, in its order,
 * on the system CTX names, for the N ENTRIES given, else vfio.devices= on
 * its kernel command line. Fills FINDINGS (free with findings_free()) and
 * returns 0, or -ENOMEM (logged; FINDINGS is then empty). Writes nothing,
 * prints nothing but that log line.
 */
int doctor_check(const struct engine_context *ctx, char **entries, int n,
		 struct findings *findings);
