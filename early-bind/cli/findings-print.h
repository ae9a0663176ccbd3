/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "doctor/finding.h"

/* One finding a line, "error  iommu        ...; fix", wrapped to 80 columns. */
void findings_print_text(const struct findings *f);
void findings_print_json(const struct findings *f);
