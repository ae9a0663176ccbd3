// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `early-bind snippet`: what to paste into the VM's configuration for
 * every function an entry names, in the address forms each tool wants,
 * instead of hand-written lines that miss a function or mistype a bus.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/card.h"
#include "cli/commands.h"
#include "engine/host.h"
#include "engine/log.h"
#include "engine/plan.h"
#include "engine/sriov.h"
#include "engine/textbuf.h"
#include "engine/text.h"
#include "engine/vfio.h"

/* The Vagrantfile line of vagrant-libvirt, 0x prefixes included. */
static void print_vagrant(const struct pci_function *fn)
{
	printf(
	    "v.pci :domain => '0x%04x', :bus => '0x%02x', :slot => '0x%02x', :function => '0x%x'\n",
	    fn->domain, fn->bus, fn->slot, fn->func);
}

#define NVIDIA_VENDOR 0x10de

/*
 * The article's Vagrantfile sets kvm_hidden for NVIDIA cards: NVIDIA's guest
 * driver once refused GeForce cards it found in a VM. Printed before the
 * v.pci lines, which stay contiguous for those who paste only them.
 */
static void print_vagrant_nvidia(const struct pci_function_list *fns, const struct plan *plan)
{
	size_t i;

	for (i = 0; i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (plan->requested[i] && fn->vendor == NVIDIA_VENDOR &&
		    pci_function_is_display(fn))
			break;
	}
	if (i == fns->count)
		return;
	printf("# %s is an NVIDIA GPU: its guest driver before release 465\n"
	       "# stops with error 43 when it sees a hypervisor; kvm_hidden hides KVM\n"
	       "# from the guest. Newer drivers do not need it.\n"
	       "v.kvm_hidden = true\n",
	       fns->items[i].name);
}

/* U+FFFD, the replacement character, in UTF-8. */
#define REPLACEMENT "\xef\xbf\xbd"

/*
 * An XML comment may not hold "--", and nothing in it is escaped: a control
 * character becomes U+FFFD, as does a byte that is not UTF-8.
 */
static void escape_comment(FILE *f, const char *s)
{
	if (*s != '-') {
		fputs(REPLACEMENT, f);
		return;
	}
	fputc('-', f);
	if (s[1] == '-')
		fputc(' ', f);
}

/* pci.ids names are free text, read from a file anyone with root can edit. */
static const struct text_escapes comment_escapes = { "-", escape_comment, REPLACEMENT };

static void print_libvirt(const struct pci_function_list *fns, size_t i)
{
	const struct pci_function *fn = &fns->items[i];
	char title[2 * PCI_TEXT_MAX];

	pci_function_title(fns, i, title, sizeof(title));
	printf("<!-- %s [%04x:%04x] ", fn->name, fn->vendor, fn->device);
	text_write_escaped(stdout, title, &comment_escapes);
	printf(" -->\n"
	       "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
	       "  <source>\n"
	       "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
	       "  </source>\n"
	       "</hostdev>\n",
	       fn->domain, fn->bus, fn->slot, fn->func);
}

/* How many chosen functions other than VFs share the slot of FNS->items[I]. */
static size_t chosen_in_slot(const struct pci_function_list *fns, const struct plan *plan, size_t i)
{
	size_t k, n = 0;

	for (k = 0; k < fns->count; k++)
		n += plan->requested[k] && !sriov_is_vf(&fns->items[k]) &&
		     pci_same_slot(&fns->items[k], &fns->items[i]);
	return n;
}

/*
 * QEMU (q35): each host slot gets a PCIe root port of its own, and its
 * functions sit at 00.0, 00.1... behind it, function 0 multifunction=on,
 * so the guest sees one card as the host does. Ports are numbered as
 * chassis 1, 2...: numbers taken from the host bus would clash for the
 * same bus in two PCI domains. An SR-IOV virtual function is a device of
 * its own, not a function of its slot's card (VFs of one PF go to
 * different VMs): each gets a root port of its own.
 */
static void print_qemu(const struct pci_function_list *fns, const struct plan *plan)
{
	const struct pci_function *port_of = NULL;
	unsigned guest_func = 0, chassis = 0;
	size_t i, left = plan->n_functions;
	char port[32];

	for (i = 0; i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (!plan->requested[i])
			continue;
		if (!port_of || !pci_same_slot(port_of, fn) || sriov_is_vf(fn)) {
			port_of = fn;
			guest_func = 0;
			snprintf(port, sizeof(port), "vfio-%04x-%02x-%02x", fn->domain, fn->bus,
				 fn->slot);
			if (sriov_is_vf(fn))
				snprintf(port + strlen(port), sizeof(port) - strlen(port), "-%x",
					 fn->func);
			printf("-device pcie-root-port,id=%s,chassis=%u,slot=0 \\\n", port,
			       ++chassis);
		}
		left--;
		printf(
		    "-device vfio-pci,host=%s,bus=%s,addr=00.%u%s%s\n", fn->name, port, guest_func,
		    guest_func == 0 && chosen_in_slot(fns, plan, i) > 1 ? ",multifunction=on" : "",
		    left ? " \\" : "");
		guest_func++;
	}
}

/* QEMU opens /dev/vfio itself: the functions must be on vfio-pci already. */
static void note_unbound(const struct pci_function_list *fns, const struct plan *plan,
			 const char *value)
{
	char list[512], item[96];
	struct textbuf sb;
	size_t i;
	bool vf = false;

	textbuf_init(&sb, list, sizeof(list));
	for (i = 0; i < fns->count; i++) {
		const struct pci_function *fn = &fns->items[i];

		if (!plan->requested[i] || strcmp(fn->driver, VFIO_DRIVER) == 0)
			continue;
		vf |= sriov_is_vf(fn);
		snprintf(item, sizeof(item), "%s (%s)", fn->name, driver_text(fn->driver));
		textbuf_item(&sb, ", ", "%s", item);
	}
	if (list[0] && vf)
		log_warning(
		    "not on " VFIO_DRIVER
		    " yet: %s; QEMU needs them there: run 'early-bind bind %s' (SR-IOV virtual functions exist only after the boot, so " PARAMETER
		    "= cannot take them)",
		    list, value);
	else if (list[0])
		log_warning(
		    "not on " VFIO_DRIVER
		    " yet: %s; QEMU needs them there: run 'early-bind bind %s', or boot with " PARAMETER
		    "=%s",
		    list, value, value);
}

/* A card behind its own PCIe switch has its audio in another slot (Intel Arc). */
static void note_left_out(const struct options *o, const struct pci_function_list *fns,
			  const struct plan *plan)
{
	char left[512], value[CARD_VALUE_MAX];
	struct card c;
	size_t i;

	for (i = 0; i < fns->count; i++) {
		if (!plan->requested[i] || !card_of(fns, i, &c) || c.display != i ||
		    card_left_out(fns, &c, plan->requested, left, sizeof(left), NULL) == 0 ||
		    card_value(fns, i, value, sizeof(value), NULL) < 0)
			continue;
		log_warning(
		    "%s is the GPU of a card behind its own PCIe switch, whose other functions sit in other slots: the entries leave out %s, so the VM gets the GPU without it; for the whole card: early-bind snippet --format %s %s",
		    fns->items[i].name, left, o->format, value);
	}
}

static void print_snippet(const struct options *o, const struct pci_function_list *fns,
			  const struct plan *plan, const char *value)
{
	size_t i;

	note_left_out(o, fns, plan);

	if (strcmp(o->format, "qemu") == 0) {
		note_unbound(fns, plan, value);
		print_qemu(fns, plan);
		return;
	}
	if (strcmp(o->format, "vagrant") == 0)
		print_vagrant_nvidia(fns, plan);
	for (i = 0; i < fns->count; i++) {
		if (!plan->requested[i])
			continue;
		if (strcmp(o->format, "vagrant") == 0)
			print_vagrant(&fns->items[i]);
		else
			print_libvirt(fns, i);
	}
}

static int snippet_check_usage(const struct options *o)
{
	if (!o->format)
		return usage_error("snippet needs --format vagrant, libvirt or qemu", NULL);
	if (strcmp(o->format, "vagrant") != 0 && strcmp(o->format, "libvirt") != 0 &&
	    strcmp(o->format, "qemu") != 0)
		return usage_error("--format takes vagrant, libvirt or qemu, not", o->format);
	return 0;
}

static int cmd_snippet(const struct options *o, char **entries, int n)
{
	char value[CMDLINE_MAX];
	struct pci_function_list fns;
	struct plan plan;
	int err;

	err = plan_join(entries, n, value, sizeof(value));
	if (err < 0)
		return err;
	err = host_read_functions(&o->ctx, &fns);
	if (err < 0) {
		log_error("cannot read the PCI devices: %s", strerror(-err));
		return err;
	}
	err = plan_build(&plan, value, &fns);
	if (err < 0) {
		log_error("out of memory: cannot resolve the entries; no snippet was printed");
	} else if (plan.refused) {
		plan_log_refused(&plan);
		err = -EINVAL;
	} else {
		print_snippet(o, &fns, &plan, value);
	}
	plan_free(&plan);
	pci_function_list_free(&fns);
	return err;
}

const struct command command_snippet = {
	.name = "snippet",
	.run = cmd_snippet,
	.check_usage = snippet_check_usage,
	.takes = TAKES_SYSROOT | TAKES_FORMAT,
	.min_args = 1,
	.max_args = -1,
	.synopsis = "snippet --format vagrant|libvirt|qemu ENTRY...",
	.summary = "what to paste into the VM's configuration",
	.formats = "vagrant, libvirt or qemu",
	.help = "Prints what to paste into the VM's configuration for every function the\n"
		"ENTRYs name: Vagrantfile 'v.pci' lines, libvirt <hostdev> elements, or QEMU\n"
		"-device arguments that keep each card's functions together as one\n"
		"multifunction device behind its own PCIe root port (q35). For an NVIDIA\n"
		"GPU, the v.pci lines follow 'v.kvm_hidden = true' and a comment saying\n"
		"why. Writes nothing.\n",
};
