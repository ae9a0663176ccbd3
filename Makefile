# SPDX-License-Identifier: GPL-2.0-or-later
# early-bind: bind PCI functions to vfio-pci by address from the initramfs.

# The one place the version lives: debian/changelog and early-bind.spec must
# say the same (make check-packages fails otherwise).
VERSION = 0.1
CC ?= cc
CFLAGS ?= -Os -g
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
PKGLIBDIR ?= $(PREFIX)/lib/early-bind
DATADIR ?= $(PREFIX)/share
DRACUTDIR ?= $(PREFIX)/lib/dracut/modules.d/90early-bind
INITRAMFSDIR ?= $(DATADIR)/initramfs-tools
INITCPIODIR ?= $(PREFIX)/lib/initcpio
# /etc for PREFIX=/usr; below PREFIX otherwise, so that a staged
# `make install PREFIX=DIR` (the tests do that) never writes the host's /etc.
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
KERNELINSTALLDIR ?= $(PREFIX)/lib/kernel/install.d
MANDIR ?= $(DATADIR)/man
DESTDIR ?=
INSTALL ?= install
# Run on the installed binary: a distribution that keeps the symbols for its
# own debug package (dh_strip, rpmbuild's debuginfo) sets STRIP=true.
STRIP ?= strip
# STATIC=1 (default): one static binary for the initramfs, linked with musl
# against libkmod, libpci, libzstd and liblzma built from Debian's sources.
# STATIC=0: link against the system's shared libraries, for packagers.
STATIC ?= 1

BUILD = build
DEPS = $(BUILD)/deps
WARNINGS = -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wwrite-strings
BASE_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"'
BASE_CFLAGS = -std=gnu11 $(WARNINGS) -fstack-protector-strong

# The engine (boot path: parse, resolve, bind, record) and the doctor (check's
# findings) are internal static libraries; the command line links both, the
# unit tests and fuzz harnesses link what they use of them.
ENGINE_SOURCES = $(wildcard early-bind/engine/*.c)
DOCTOR_SOURCES = $(wildcard early-bind/doctor/*.c)
CLI_SOURCES = $(wildcard early-bind/cli/*.c)
OBJ = $(BUILD)/obj
# Each compile writes the headers its object includes to a .d file beside it
# (-MP: a deleted header is no error); touching one header rebuilds only the
# objects that include it.  $(call depfile,TARGET) for a program compiled and
# linked in one step: its .d is TARGET.d.
DEPFLAGS = -MMD -MP
depfile = $(DEPFLAGS) -MF $(1).d -MT $(1)

ifeq ($(STATIC),1)
BINARY_CC = $(DEPS)/cc
DEPS_READY = $(DEPS)/.built
LIB_CPPFLAGS =
LIB_FILES = $(DEPS)/lib/libkmod.a $(DEPS)/lib/libpci.a \
	$(DEPS)/lib/libzstd.a $(DEPS)/lib/liblzma.a $(DEPS)/lib/libz.a
LIBS = $(LIB_FILES)
LINK_FLAGS = -static -Wl,--gc-sections
# The static binary goes into every initramfs: unused sections dropped, no
# unwind tables (C, nothing unwinds), as build-static-libs.sh builds its libraries.
SECTION_FLAGS = -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables
else
BINARY_CC = $(CC)
DEPS_READY =
LIB_CPPFLAGS = $(shell pkg-config --cflags libkmod libpci libzstd liblzma zlib)
LIB_FILES =
LIBS = $(shell pkg-config --libs libkmod libpci libzstd liblzma zlib)
LINK_FLAGS =
SECTION_FLAGS =
endif

# The scripts with the install paths filled in (@SBINDIR@, @PKGLIBDIR@,
# @SYSCONFDIR@) are built into build/gen/, as their sources are laid out, and
# installed from there.
GEN = $(BUILD)/gen
SCRIPTS = hook/early-bind-boot.sh initramfs-tools/hooks/early-bind \
	initramfs-tools/scripts/init-top/early-bind dracut-module/module-setup.sh \
	dracut-module/early-bind-pre-udev.sh hook/mkinitcpio/install/early-bind \
	hook/mkinitcpio/hooks/early-bind hook/bootmenu/profiles.sh hook/bootmenu/early-bind-bls \
	hook/bootmenu/early-bind-uki hook/bootmenu/grub.d/42_early-bind \
	hook/bootmenu/kernel-install/95-early-bind.install hook/bootmenu/proxmox/zzz-early-bind \
	hook/bootmenu/early-bind.default
GEN_SCRIPTS = $(addprefix $(GEN)/,$(SCRIPTS))
GEN_PATHS = $(SBINDIR):$(PKGLIBDIR):$(SYSCONFDIR)

all: $(BUILD)/early-bind $(GEN_SCRIPTS)

# The scripts depend on a stamp named after the paths: another PREFIX (the
# tests stage with their own) builds them again, and `make install` after
# `make` with the same paths writes nothing in build/.
GEN_STAMP = $(GEN)/paths.$(shell printf '%s' '$(GEN_PATHS)' | cksum | cut -d ' ' -f 1)
$(GEN_STAMP):
	@mkdir -p $(GEN)
	@rm -f $(GEN)/paths.*
	@echo '$(GEN_PATHS)' >$@

$(GEN_SCRIPTS): $(GEN)/%: % $(GEN_STAMP)
	@mkdir -p $(dir $@)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@PKGLIBDIR@|$(PKGLIBDIR)|g' \
		-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< >$@.tmp && mv $@.tmp $@

$(DEPS)/.built: early-bind/build-aux/build-static-libs.sh
	sh early-bind/build-aux/build-static-libs.sh $(DEPS)
	touch $@

ifeq ($(STATIC),1)
$(LIB_FILES) $(BINARY_CC): | $(DEPS)/.built
endif

# $(call objects,DIR,SOURCES): where a build variant keeps the objects of SOURCES.
objects = $(patsubst early-bind/%.c,$(1)/%.o,$(2))

# $(call variant,DIR,COMPILE,READY): one build of the sources (the binary's,
# the unit tests', the sanitized and the fuzzing one), each with its objects
# and libengine.a / libdoctor.a in DIR. COMPILE is the compiler and its flags.
define variant
$(1)/%.o: early-bind/%.c Makefile $(3)
	@mkdir -p $$(dir $$@)
	$(2) $$(DEPFLAGS) -c -o $$@ $$<

$(1)/libengine.a: $$(call objects,$(1),$$(ENGINE_SOURCES))
	@rm -f $$@
	$$(AR) rcs $$@ $$^

$(1)/libdoctor.a: $$(call objects,$(1),$$(DOCTOR_SOURCES))
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef

BINARY_COMPILE = $(BINARY_CC) $(BASE_CPPFLAGS) -Iearly-bind $(LIB_CPPFLAGS) $(CPPFLAGS) \
	$(BASE_CFLAGS) $(SECTION_FLAGS) $(CFLAGS)
$(eval $(call variant,$(OBJ)/binary,$(BINARY_COMPILE),| $(DEPS_READY)))

$(BUILD)/early-bind: $(call objects,$(OBJ)/binary,$(CLI_SOURCES)) \
		$(OBJ)/binary/libdoctor.a $(OBJ)/binary/libengine.a $(LIB_FILES)
	$(BINARY_CC) $(CFLAGS) $(LINK_FLAGS) $(LDFLAGS) -o $@ $(filter-out $(LIB_FILES),$(filter %.o %.a,$^)) $(LIBS)

# Size of the binary as the initramfs carries it (installed stripped).
size: $(BUILD)/early-bind
	@strip -o $(BUILD)/early-bind.stripped $(BUILD)/early-bind
	@stat -c '%s bytes stripped: %n' $(BUILD)/early-bind.stripped

# --- tests ---------------------------------------------------------------

UNIT_TESTS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test-*.c))
UNIT_CFLAGS = $(BASE_CPPFLAGS) -Iearly-bind $(BASE_CFLAGS) -O1 -g \
	$(shell pkg-config --cflags cmocka)
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

$(eval $(call variant,$(OBJ)/unit,$(CC) $(UNIT_CFLAGS)))
$(eval $(call variant,$(OBJ)/unit-sanitized,$(CC) $(UNIT_CFLAGS) $(SANITIZE)))

$(BUILD)/unit/%: tests/unit/%.c $(OBJ)/unit/libengine.a
	@mkdir -p $(BUILD)/unit
	$(CC) $(UNIT_CFLAGS) $(call depfile,$@) -o $@ $(filter %.c %.a,$^) $(shell pkg-config --libs cmocka)

$(BUILD)/unit-sanitized/%: tests/unit/%.c $(OBJ)/unit-sanitized/libengine.a
	@mkdir -p $(BUILD)/unit-sanitized
	$(CC) $(UNIT_CFLAGS) $(SANITIZE) $(call depfile,$@) -o $@ $(filter %.c %.a,$^) \
		$(shell pkg-config --libs cmocka)

check-unit: $(addprefix $(BUILD)/unit/,$(UNIT_TESTS)) \
		$(addprefix $(BUILD)/unit-sanitized/,$(UNIT_TESTS))
	@set -e; for t in $^; do echo "== $$t"; $$t; done

# The build: which objects a header rebuilds, make install's sed-free copy
# and STRIP (tests/build).
check-build: $(BUILD)/early-bind $(GEN_SCRIPTS)
	sh tests/build/run.sh

check-fixtures: $(BUILD)/early-bind
	sh tests/run-cases.sh $(BUILD)/early-bind tests/fixtures/cases

SHELL_SCRIPTS = $(wildcard hook/*.sh initramfs-tools/hooks/* \
	initramfs-tools/scripts/*/* dracut-module/*.sh tests/*.sh \
	tests/fixtures/*.sh tests/boot/*.sh tests/boot/scenarios/*/*.sh tests/boot/dracut/*/*.sh \
	tests/boot/initramfs-tools/hooks/* tests/boot/initramfs-tools/scripts/*/* \
	tests/boot/initramfs-tools/mark.in \
	hook/mkinitcpio/*/* tests/boot/mkinitcpio/*.sh tests/boot/mkinitcpio/*/* \
	early-bind/build-aux/*.sh .ci/run hook/bootmenu/early-bind-bls hook/bootmenu/early-bind-uki hook/bootmenu/profiles.sh \
	hook/bootmenu/grub.d/42_early-bind hook/bootmenu/kernel-install/95-early-bind.install \
	hook/bootmenu/proxmox/zzz-early-bind \
	tests/bootmenu/*.sh tests/bootmenu/parts/*.sh tests/bootmenu/stub-10_linux tests/commands/*.sh tests/fuzz/*.sh \
	tests/clients/*.sh tests/bench/*.sh tests/metrics/*.sh \
	tests/packages/*.sh tests/build/*.sh tests/ansible/*.sh tests/stacks/*.sh debian/*.prerm \
	tests/stacks/kernel/*.sh tests/stacks/kernel/scenarios/*/*.sh)

# The C sources as .clang-format writes them (tests/lint-format.sh: any
# clang-format from 14 on); `make format` rewrites them so.
lint:
	shellcheck -x $(SHELL_SCRIPTS)
	sh tests/lint-layers.sh
	sh tests/lint-format.sh

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

# The boot matrix (tests/boot/run-matrix.sh) inside debootstrap chroots of
# Debian 12, 13 and sid, each with its own kernel, builders and QEMU
# (tests/stacks): check-boot runs the scenarios below on every flavour of
# every stack, check-stacks every scenario. EB_STACKS="trixie" picks stacks.
BOOT_CHECK_SCENARIOS = bind-03 none seed-ids
check-boot:
	sh tests/stacks/run.sh -s "$(BOOT_CHECK_SCENARIOS)"

# ...and the Ubuntu-like kernel's boots (below) after them.
check-stacks:
	sh tests/stacks/run.sh
	$(MAKE) check-ubuntu-kernel

check-bootmenu: $(BUILD)/early-bind
	sh tests/bootmenu/run-tests.sh

# The boot tests on an Ubuntu-like kernel (vfio-pci built in), built from
# Debian 13's linux source package into build/stacks/kernel-ubuntu (cached).
check-ubuntu-kernel: $(BUILD)/early-bind
	sh tests/stacks/kernel/check.sh

# boot --dry-run on a generated machine of 4096 functions with 512 entries,
# beside a plain walk of its tree; a measurement, not a test.
bench: $(BUILD)/early-bind
	sh tests/bench/run.sh $(BUILD)/early-bind

# The operator commands on fixture trees and real initramfs images, the man page.
check-commands: $(BUILD)/early-bind
	sh tests/run-cases.sh $(BUILD)/early-bind tests/commands/cases

# The snippets in the real clients: libvirt's schema and test driver, and
# vagrant-libvirt's own rendering of a Vagrantfile (tests/clients).
check-clients: $(BUILD)/early-bind
	sh tests/clients/run-tests.sh $(BUILD)/early-bind

# The metrics in Debian's prometheus-node-exporter (textfile collector) and
# promtool, the OpenMetrics in python3-prometheus-client's parser, each
# checked against status --json of fixture trees after a boot (tests/metrics).
check-metrics: $(BUILD)/early-bind
	sh tests/metrics/run.sh $(BUILD)/early-bind

# --- fuzzing -------------------------------------------------------------

# libFuzzer harnesses: tests/fuzz/fuzz-NAME.c, seeds in tests/fuzz/corpus/NAME.
# Each links what it uses of the engine and doctor libraries, and the
# compression libraries initrd.c needs, from the system (pkg-config).
FUZZ_CC ?= clang
# Seconds per harness: `make fuzz` runs, `make check-fuzz` quick runs.
FUZZ_TIME ?= 60
FUZZ_CHECK_TIME ?= 5
FUZZ_HARNESSES = $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
# clang, unlike gcc, flags the vsnprintf() of a printf-like helper.
FUZZ_CFLAGS = $(BASE_CPPFLAGS) -Iearly-bind $(BASE_CFLAGS) -Wno-format-nonliteral -O1 -g \
	-fsanitize=fuzzer $(SANITIZE) $(shell pkg-config --cflags zlib libzstd liblzma)
FUZZ_LIBS = $(shell pkg-config --libs zlib libzstd liblzma)
$(eval $(call variant,$(OBJ)/fuzz,$(FUZZ_CC) $(FUZZ_CFLAGS)))

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(OBJ)/fuzz/libdoctor.a $(OBJ)/fuzz/libengine.a
	@mkdir -p $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(call depfile,$@) -o $@ $< $(filter %.a,$^) $(FUZZ_LIBS)

fuzz: $(addprefix $(BUILD)/fuzz/fuzz-,$(FUZZ_HARNESSES))
	sh tests/fuzz/run.sh fuzz $(FUZZ_TIME) $(FUZZ_HARNESSES)

check-fuzz: $(addprefix $(BUILD)/fuzz/fuzz-,$(FUZZ_HARNESSES))
	sh tests/fuzz/run.sh check $(FUZZ_CHECK_TIME) $(FUZZ_HARNESSES)

# The .deb and the RPM built from `make dist`, lintian and rpmlint, and the
# .deb installed and removed in a debootstrap chroot whose image is booted.
check-packages:
	sh tests/packages/run.sh

# The Ansible role (contrib/ansible) run by Debian's ansible against a
# debootstrap chroot, then against that tree booted in QEMU (over SSH).
check-ansible:
	sh tests/ansible/run.sh

check: check-build check-unit check-fixtures check-commands check-clients check-metrics lint check-fuzz \
	check-boot check-bootmenu check-packages check-ansible

demo: $(BUILD)/early-bind
	sh tests/boot/demo.sh

# Bytes the integration adds to an image, and the binder's time in the guest.
measure: $(BUILD)/early-bind
	sh tests/boot/measure.sh

-include $(wildcard $(OBJ)/*/*/*.d $(BUILD)/unit/*.d $(BUILD)/unit-sanitized/*.d $(BUILD)/fuzz/*.d)

# --- releases ------------------------------------------------------------

# The release tarball, from the committed tree (HEAD): what the packages
# build from.
DIST = $(BUILD)/early-bind-$(VERSION).tar.gz
dist:
	@mkdir -p $(BUILD)
	git archive --format=tar.gz --prefix=early-bind-$(VERSION)/ -o $(DIST) HEAD
	@echo $(DIST)

# --- install -------------------------------------------------------------

# Copies what `make` built (the binary, build/gen/'s scripts); writes
# nothing but the installed files.
install: $(BUILD)/early-bind $(GEN_SCRIPTS)
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(PKGLIBDIR) \
		$(DESTDIR)$(INITRAMFSDIR)/hooks \
		$(DESTDIR)$(INITRAMFSDIR)/scripts/init-top $(DESTDIR)$(DRACUTDIR) \
		$(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(INITCPIODIR)/install $(DESTDIR)$(INITCPIODIR)/hooks
	$(INSTALL) -m 755 $(BUILD)/early-bind $(DESTDIR)$(SBINDIR)/early-bind
	$(STRIP) $(DESTDIR)$(SBINDIR)/early-bind
	$(INSTALL) -m 644 early-bind/man/early-bind.8 $(DESTDIR)$(MANDIR)/man8/early-bind.8
	$(INSTALL) -m 644 $(GEN)/hook/early-bind-boot.sh $(DESTDIR)$(PKGLIBDIR)/early-bind-boot.sh
	$(INSTALL) -m 755 $(GEN)/initramfs-tools/hooks/early-bind $(DESTDIR)$(INITRAMFSDIR)/hooks/early-bind
	$(INSTALL) -m 755 $(GEN)/initramfs-tools/scripts/init-top/early-bind \
		$(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/early-bind
	$(INSTALL) -m 755 $(GEN)/dracut-module/module-setup.sh $(DESTDIR)$(DRACUTDIR)/module-setup.sh
	$(INSTALL) -m 644 $(GEN)/dracut-module/early-bind-pre-udev.sh \
		$(DESTDIR)$(DRACUTDIR)/early-bind-pre-udev.sh
	$(INSTALL) -m 644 $(GEN)/hook/mkinitcpio/install/early-bind $(DESTDIR)$(INITCPIODIR)/install/early-bind
	$(INSTALL) -m 644 $(GEN)/hook/mkinitcpio/hooks/early-bind $(DESTDIR)$(INITCPIODIR)/hooks/early-bind
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/grub.d $(DESTDIR)$(SYSCONFDIR)/default \
		$(DESTDIR)$(KERNELINSTALLDIR) $(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postrm.d
	$(INSTALL) -m 644 $(GEN)/hook/bootmenu/profiles.sh $(DESTDIR)$(PKGLIBDIR)/profiles.sh
	$(INSTALL) -m 755 $(GEN)/hook/bootmenu/early-bind-bls $(DESTDIR)$(SBINDIR)/early-bind-bls
	$(INSTALL) -m 755 $(GEN)/hook/bootmenu/early-bind-uki $(DESTDIR)$(SBINDIR)/early-bind-uki
	$(INSTALL) -m 755 $(GEN)/hook/bootmenu/grub.d/42_early-bind $(DESTDIR)$(SYSCONFDIR)/grub.d/42_early-bind
	$(INSTALL) -m 755 $(GEN)/hook/bootmenu/kernel-install/95-early-bind.install \
		$(DESTDIR)$(KERNELINSTALLDIR)/95-early-bind.install
	$(INSTALL) -m 755 $(GEN)/hook/bootmenu/proxmox/zzz-early-bind \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d/zzz-early-bind
	$(INSTALL) -m 755 $(GEN)/hook/bootmenu/proxmox/zzz-early-bind \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postrm.d/zzz-early-bind
	# Keep the user's profiles on reinstall.
	test -e $(DESTDIR)$(SYSCONFDIR)/default/early-bind || \
		$(INSTALL) -m 644 $(GEN)/hook/bootmenu/early-bind.default $(DESTDIR)$(SYSCONFDIR)/default/early-bind

# Keeps /etc/default/early-bind: the user's profiles.
uninstall:
	-[ -n "$(DESTDIR)" ] || $(SBINDIR)/early-bind-bls -q remove 2>/dev/null
	rm -f $(DESTDIR)$(SBINDIR)/early-bind-bls $(DESTDIR)$(SBINDIR)/early-bind-uki $(DESTDIR)$(PKGLIBDIR)/profiles.sh \
		$(DESTDIR)$(SYSCONFDIR)/grub.d/42_early-bind \
		$(DESTDIR)$(KERNELINSTALLDIR)/95-early-bind.install \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d/zzz-early-bind \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postrm.d/zzz-early-bind
	rm -f $(DESTDIR)$(SBINDIR)/early-bind $(DESTDIR)$(MANDIR)/man8/early-bind.8 \
		$(DESTDIR)$(PKGLIBDIR)/early-bind-boot.sh \
		$(DESTDIR)$(INITRAMFSDIR)/hooks/early-bind \
		$(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/early-bind \
		$(DESTDIR)$(DRACUTDIR)/module-setup.sh \
		$(DESTDIR)$(DRACUTDIR)/early-bind-pre-udev.sh \
		$(DESTDIR)$(INITCPIODIR)/install/early-bind $(DESTDIR)$(INITCPIODIR)/hooks/early-bind
	-rmdir $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(DRACUTDIR) 2>/dev/null

clean:
	rm -rf $(BUILD)/early-bind $(BUILD)/early-bind.stripped $(BUILD)/obj $(BUILD)/gen $(BUILD)/unit \
		$(BUILD)/unit-sanitized $(BUILD)/boot $(BUILD)/fixtures \
		$(BUILD)/bootmenu $(BUILD)/boot-logs $(BUILD)/commands $(BUILD)/clients $(BUILD)/fuzz \
		$(BUILD)/metrics $(BUILD)/build-test

distclean: clean
	rm -rf $(BUILD)

.PHONY: all size dist check check-build check-packages check-ansible check-stacks check-unit check-fixtures check-commands check-clients \
	check-metrics \
	check-boot check-bootmenu check-ubuntu-kernel lint format demo measure bench \
	fuzz check-fuzz \
	install uninstall clean distclean
