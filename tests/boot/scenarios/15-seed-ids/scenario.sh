# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# The article's own recipe (../shared/seed/), booted on the same machine as
# bind-03 in the same run: `options vfio-pci ids=...` for the card's four
# IDs in the image's /etc/modprobe.d/vfio.conf (vfio.conf here, the
# article's line with this card's IDs), and no vfio.devices=.
#
# The article loads vfio_pci from /etc/modules-load.d, which initramfs-tools
# never reads and dracut only host-only, racing udev.  Here the list is
# loaded before coldplug, the earliest the recipe could act, so its best
# case: initramfs-tools by the init-top script modules-load.sh (ordered
# before udev), dracut by rd.driver.pre= (dracut-pre-udev.sh with systemd,
# kernel-modules' parse-kernel.sh in the classic init, so that image also
# holds kernel-modules, as every default dracut image does; it costs ~50 s
# of build, so only there).  ids= matches
# by vendor:device, so:
#  - both identical cards are taken, the host's at 00:04 too (bind-03 shows
#    vfio.devices=00:03 leaving it alone);
#  - the serial function stays on the built-in 8250 driver on both cards:
#    it bound before any module could load, and ids= only binds functions
#    without a driver (bind-03 shows early-bind taking it).
SC_ABOUT="the article's modprobe.d ids=: both cards taken, 8250 serial stays on its built-in driver"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE="rd.driver.pre=vfio,vfio_iommu_type1,vfio_pci"
SC_IMAGE="image with the article's /etc/modprobe.d/vfio.conf builds"
SC_SEED_DIR=$EB_TESTDIR/scenarios/15-seed-ids
SC_FLAVOURS="itools dsystemd dclassic"
SC_SKIP="the article's recipe is built into initramfs-tools and dracut images, the builders it is written for"

sc_image() { # FLAVOUR STAGE IMAGE LOGTAG
	sc_mods=""
	[ "$1" = dclassic ] && sc_mods=kernel-modules
	EB_ITOOLS_ADD="$SC_SEED_DIR/hook.sh=hooks/zz-ebtest-seed $SC_SEED_DIR/modules-load.sh=scripts/init-top/ebtest-seed-modules" \
		EB_DRACUT_ARGS="--include $SC_SEED_DIR/vfio.conf /etc/modprobe.d/vfio.conf" \
		EB_DRACUT_MODULES=$sc_mods \
		eb_build "$1" "$2" "$3" with "$4"
}

# The IDs vfio-pci was given, each logged by vfio_pci as it adds it.
expect_ids_added() { # LABEL REPORT
	for ea_id in $(sed -n 's/.*ids=//p' "$SC_SEED_DIR/vfio.conf" | tr ',' ' '); do
		if eb_kmsg "$2" | grep -qF "vfio_pci: add [${ea_id}["; then
			ok "$1: vfio_pci added ID $ea_id from /etc/modprobe.d/vfio.conf"
		else
			fail "$1: vfio_pci added ID $ea_id from /etc/modprobe.d/vfio.conf"
		fi
	done
}

sc_expect() { # LABEL REPORT
	expect_ids_added "$1" "$2"
	# 00:04 is the host's card: taken too, where bind-03 leaves it alone.
	for sc_slot in 03 04; do
		for sc_f in 0 1 2; do
			expect_driver "$1" "$2" "0000:00:$sc_slot.$sc_f" vfio-pci
		done
		expect_driver "$1" "$2" "0000:00:$sc_slot.3" serial
	done
	expect_vfio_module "$1" "$2" yes
	expect_no_eb_line "$1" "$2" "." "early-bind logged nothing (no vfio.devices=)"
}
