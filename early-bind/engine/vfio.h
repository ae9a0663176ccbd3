/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The two names every layer speaks of: the kernel parameter and the driver.
 * Apart from bind.h so that naming them does not pull in the boot pipeline.
 */
#define PARAMETER "vfio.devices"
#define VFIO_DRIVER "vfio-pci"
