/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pci/header.h> /* PCI_CLASS_* and PCI_BASE_CLASS_* */

/* The classes <pci/header.h> does not name (the PCI SIG's class code list). */
#define CLASS_STORAGE_NVM 0x0108    /* NVM Express */
#define CLASS_SERIAL_OTHER 0x0c80   /* other serial-bus controller */
#define BASE_CLASS_ACCELERATOR 0x12 /* processing accelerator */

/* The base class of a class_id ("base class << 8 | subclass"): 0x03 for 0x0302. */
static inline uint8_t pci_base_class(uint16_t class_id)
{
	return (uint8_t)(class_id >> 8);
}

/* "0000:3b:00.0" and, for domains above ffff, "10000:01:00.0". */
#define PCI_NAME_MAX 20
#define DRIVER_NAME_MAX 64
/* Longest name kept from pci.ids; the database's longest is shorter. */
#define PCI_TEXT_MAX 128
#define PCI_IDS_PATH "usr/share/misc/pci.ids"

/*
 * SR-IOV as sysfs shows it (engine/sriov.h reads it): a physical function
 * (PF) has sriov_totalvfs and the rest; a virtual function (VF) has a
 * physfn link to its PF. All zero and "" for other functions.
 */
struct pci_sriov {
	uint16_t totalvfs;	   /* 0: not a PF */
	uint16_t numvfs;	   /* VFs enabled now */
	uint16_t offset;	   /* routing ID of VF 0 minus the PF's */
	uint16_t stride;	   /* between consecutive VFs */
	uint16_t vf_device;	   /* the device ID every VF has */
	char physfn[PCI_NAME_MAX]; /* a VF's PF; "" for others */
};

/*
 * pci_function.framebuffer_bar: no firmware framebuffer in its BARs; not
 * known; in its memory, but its resource file does not say which BAR.
 */
#define BOOT_FB_NONE (-1)
#define BOOT_FB_UNKNOWN (-2)
#define BOOT_FB_SOME_BAR 6

/* One PCI function as the kernel sees it before anything is changed. */
struct pci_function {
	char name[PCI_NAME_MAX];
	uint32_t domain;
	uint8_t bus;
	uint8_t slot;
	uint8_t func;
	uint16_t vendor;
	uint16_t device;
	uint16_t subvendor; /* subsystem IDs; 0 where the kernel shows none */
	uint16_t subdevice;
	uint16_t class_id;	 /* base class << 8 | subclass, e.g. PCI_CLASS_DISPLAY_VGA */
	uint8_t prog_if;	 /* low byte of the 24-bit class, e.g. 0x30 for xHCI */
	uint8_t header_type;	 /* without the multi-function bit */
	uint8_t secondary_bus;	 /* PCI-to-PCI bridges (header type 1): the buses */
	uint8_t subordinate_bus; /* behind it, secondary..subordinate; else 0 */
	bool boot_vga;
	/*
	 * A display the kernel gives no boot_vga file: it has one for VGA-class
	 * functions (0300) only, so not for class 0380 or 0302 (many AMD APUs).
	 * For those, framebuffer_bar says where the firmware framebuffer lies
	 * (bootdisplay.h).
	 */
	bool boot_vga_absent;
	int8_t framebuffer_bar;	      /* the BAR holding it, or BOOT_FB_NONE, BOOT_FB_UNKNOWN */
	bool drm_boot_display;	      /* its DRM card's boot_display is 1 (recent kernels) */
	int iommu_group;	      /* -1 without one */
	char driver[DRIVER_NAME_MAX]; /* "" when no driver holds it */
	struct pci_sriov sriov;
};

/* Names from pci.ids; "" where the database has none. */
struct pci_names {
	char vendor[PCI_TEXT_MAX];
	char device[PCI_TEXT_MAX];
	char class_name[PCI_TEXT_MAX];
};

struct pci_function_list {
	struct pci_function *items;
	size_t count;
	struct pci_names *names; /* parallel to items; NULL until read */
};

/*
 * Reads every PCI function in ROOT_FD/sys/bus/pci/devices, sorted by
 * address. An entry that cannot be read (a vanished device, a link that
 * dangles or loops, a name that is not an address, an unreadable
 * attribute) is skipped with one warning naming it. Returns 0, or -errno
 * when the directory itself cannot be read.
 */
int pci_function_list_read(int root_fd, struct pci_function_list *list);
void pci_function_list_free(struct pci_function_list *list);

/* Room for why pci_function_list_read_names() failed (libpci's message). */
#define PCI_IDS_ERROR_MAX 256

/*
 * Looks up every function's names in SYSROOT/usr/share/misc/pci.ids with
 * libpci's parser and sets LIST->names. Returns 0, or -errno with WHY
 * set (LIST->names stays NULL: callers show numbers): -ENOENT when there
 * is no database, -EBADMSG when libpci refused it (WHY quotes libpci).
 */
int pci_function_list_read_names(const char *sysroot, int root_fd, struct pci_function_list *list,
				 char *why, size_t why_size);

/* "NVIDIA Corporation TU102 [...]", or "Vendor 10de Device 1e07" without names. */
void pci_function_title(const struct pci_function_list *list, size_t i, char *buf, size_t size);

/* "VGA compatible controller", or "Class 0300" without names. */
void pci_function_class_name(const struct pci_function_list *list, size_t i, char *buf,
			     size_t size);

/* The driver bound to function NAME now ("" for none), read from sysfs; 0 or -errno. */
int pci_read_driver(int root_fd, const char *name, char *buf, size_t size);

/*
 * The VFIO device file of function NAME ("/dev/vfio/devices/vfio0") into
 * BUF: the kernel (CONFIG_VFIO_DEVICE_CDEV) makes one for each device
 * vfio-pci holds, named in sysfs by NAME's vfio-dev/vfioN. Returns 1, 0
 * when it has none (not on vfio-pci, or a kernel without them), -errno.
 */
int pci_read_vfio_device(int root_fd, const char *name, char *buf, size_t size);

#define PCI_DEVICES_DIR "sys/bus/pci/devices"

/*
 * The path below the root of function NAME's ATTRIBUTE ("driver",
 * "driver/unbind"; NULL: its directory), as pciutils' sysfs_obj_name()
 * builds it; 0 or -ENAMETOOLONG.
 */
int pci_attr_path(char *buf, size_t size, const char *name, const char *attribute);

/* The value of LEN lower-case hex digits at S; -1 when one is not. */
long pci_hex_digits(const char *s, size_t len);

/* Room for what pci_read_hex() shows of a value it refused. */
#define PCI_HEX_SHOWN_MAX 24

/*
 * Reads ATTRIBUTE of function NAME, which the kernel prints as "0x" and
 * DIGITS lower-case hex digits (vendor "0x10de", class "0x030000").
 * Returns 0, -errno when it cannot be read, or -EBADMSG when it reads
 * anything else: SHOWN (PCI_HEX_SHOWN_MAX bytes, or NULL) then holds what
 * it read, made printable.
 */
int pci_read_hex(int root_fd, const char *name, const char *attribute, size_t digits,
		 uint32_t *value, char *shown);

/*
 * Function NAME's directory, opened (O_PATH) inside the root: the scan
 * reads each attribute relative to it, one lookup instead of a walk down
 * the device tree per attribute. The fd or -errno (-ENOENT: gone).
 */
int pci_open_device(int root_fd, const char *name);

/*
 * pci_read_hex() of an attribute of the device whose directory DEVICE_FD
 * is (from pci_open_device()); the directory acts as the root, so the
 * attribute cannot lead out of it.
 */
int pci_read_hex_at(int device_fd, const char *attribute, size_t digits, uint32_t *value,
		    char *shown);

/*
 * The IDs the kernel shows for function NAME now (class as in pci_function),
 * read as strictly as the scan reads them; 0 or -errno as pci_read_hex().
 */
int pci_read_ids(int root_fd, const char *name, uint16_t *vendor, uint16_t *device,
		 uint16_t *class_id);

/* A type-0 function has six BARs, the first lines of its resource file. */
#define PCI_BAR_COUNT 6

/*
 * The first N (at most PCI_BAR_COUNT) lines of function NAME's resource
 * file, the BARs, each as start, end and flags into RES; a BAR the kernel
 * found no room for is all zero. 0, -errno, or -EBADMSG when a line is not
 * three numbers.
 */
int pci_read_resources(int root_fd, const char *name, uint64_t res[][3], size_t n);

/* Writes DRIVER ("" clears it) to the function's driver_override; 0 or -errno. */
int pci_write_override(int root_fd, const struct pci_function *fn, const char *driver);

/* Unbinds function NAME from whatever driver holds it now; 0 or -errno. */
int pci_unbind(int root_fd, const char *name);

/*
 * Asks the kernel to bind function NAME to a driver that may take it (its
 * driver_override, if set); 0 or -errno. Succeeds even when the probe
 * fails: the driver link is the proof.
 */
int pci_probe(int root_fd, const char *name);

/* Short lower-case kind for log lines: "vga", "audio", "usb", "bridge"... */
const char *pci_class_kind(uint16_t class_id);

/* Bridges and other functions vfio-pci must never take. */
bool pci_function_is_bridge(const struct pci_function *fn);

/* Display controllers (class 03xx): what makes a slot a card. */
bool pci_function_is_display(const struct pci_function *fn);

/*
 * Whether FN is the boot display, the one the firmware drew on: boot_vga=1,
 * its DRM card's boot_display=1, or for a display without boot_vga, the
 * firmware framebuffer in its BAR.
 */
bool pci_function_is_boot_display(const struct pci_function *fn);

/* An Intel Volume Management Device: the NVMe drives behind it share its IOMMU group. */
bool pci_function_is_vmd(const struct pci_function *fn);

/*
 * Whether FN is of a kind the host cannot do without: storage, network,
 * USB, SMBus, system peripherals, crypto processors, the boot display.
 * A graphics card's own USB is the card's (card_has_function()).
 */
bool pci_function_host_needs(const struct pci_function *fn);

/* "0000:3b:00.1 [10de:10f7] audio", the form every log line uses. */
void pci_function_describe(const struct pci_function *fn, char *buf, size_t size);

/*
 * DRIVER as log lines and messages name it: "no driver" when there is none.
 * The state file's "-" and JSON's "" are formats and keep their own.
 */
const char *driver_text(const char *driver);
