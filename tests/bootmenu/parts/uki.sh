# shellcheck shell=sh
# uki: profiles as a multi-profile unified kernel image (early-bind-uki),
# with Debian 13's systemd 257 (ukify, kernel-install, systemd-stub,
# systemd-boot; Debian 12's 252 has no multi-profile UKIs): a trixie chroot,
# made once in build/uki/trixie (debootstrap minbase + the packages below;
# `rm -rf build/uki` makes it again) and entered in a private mount namespace
# (tests/stacks/ns.sh).  There the real kernel-install with layout=uki and
# our plugin builds the UKI of the test kernel and initramfs; its sections
# are read back with objdump and ukify inspect; "next" runs against a stub
# bootctl; a signed image is checked with sbverify.  The boot part boots it.

UKI_PKGS="systemd-ukify systemd-boot systemd-boot-efi systemd-boot-tools sbsigntool binutils python3-virt-firmware ovmf openssl"

# uki_chroot: the trixie chroot, made if missing.
uki_chroot() {
	UT=$BM_ROOT/build/uki/trixie
	[ -e "$BM_ROOT/build/uki/done" ] && return 0
	rm -rf "$UT"
	mkdir -p "$BM_ROOT/build/uki/cache"
	debootstrap --variant=minbase --cache-dir="$BM_ROOT/build/uki/cache" trixie "$UT" \
		"${EB_STACKS_MIRROR:-http://deb.debian.org/debian}" >"$LOGS/uki-debootstrap.log" 2>&1 &&
		uki_in sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $UKI_PKGS" \
			>"$LOGS/uki-apt.log" 2>&1 &&
		touch "$BM_ROOT/build/uki/done"
}

uki_in() { # COMMAND...: run in the trixie chroot
	unshare -m --propagation private sh "$BM_ROOT/tests/stacks/ns.sh" "$UT" "$BM_ROOT/build/uki/cache" "$@"
}

# uki_script: what runs in the chroot (/ebt is this part's folder there).
# kernel-install with layout=uki and our plugin, two kernel versions; then
# a profile edited away and "update"; the stub bootctl; a signed build.
uki_script() {
	cat <<-EOF
		set -u
		export EARLY_BIND_PROFILES=/ebt/profiles
		export KERNEL_INSTALL_CONF_ROOT=/ebt/conf MACHINE_ID=$MID BOOT_ROOT=/ebt/esp
		export KERNEL_INSTALL_PLUGINS="/usr/lib/kernel/install.d/60-ukify.install /usr/lib/kernel/install.d/90-uki-copy.install /usr/local/lib/kernel/install.d/95-early-bind.install"
		mkdir -p /ebt/esp/EFI/Linux /ebt/out
		step() { n=\$1; shift; "\$@" >/ebt/out/\$n.log 2>&1; echo \$? >/ebt/out/\$n.rc; }
		step add1 kernel-install add $KVER /ebt/vmlinuz /ebt/initrd.img
		step add2 kernel-install add $FAKE_KVER /ebt/vmlinuz /ebt/initrd.img
		u=/ebt/esp/EFI/Linux/$MID-$KVER.efi
		for f in /ebt/esp/EFI/Linux/*.efi; do
			objdump -h "\$f" >"/ebt/out/\${f##*/}.objdump"
			ukify inspect "\$f" >"/ebt/out/\${f##*/}.inspect"
		done
		cp "\$u" /ebt/out/uki.efi
		step list early-bind-uki --esp-path /ebt/esp list
		step next env BOOTCTL=/ebt/bootctl early-bind-uki --esp-path /ebt/esp next both $KVER
		step next-missing env BOOTCTL=/ebt/bootctl early-bind-uki --esp-path /ebt/esp next nosuch $KVER
		grep -v '^both' /ebt/profiles >/ebt/profiles-edited
		step edit env EARLY_BIND_PROFILES=/ebt/profiles-edited early-bind-uki --esp-path /ebt/esp update $KVER
		ukify inspect "\$u" >/ebt/out/edit.inspect
		openssl req -quiet -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=early-bind-test \
			-keyout /ebt/sb.key -out /ebt/sb.crt >/ebt/out/openssl.log 2>&1
		step sign early-bind-uki --secureboot-private-key /ebt/sb.key --secureboot-certificate /ebt/sb.crt \
			build /ebt/out/uki.efi /ebt/out/signed.efi
		step sbverify sbverify --cert /ebt/sb.crt /ebt/out/signed.efi
		step sbverify-unsigned sbverify --cert /ebt/sb.crt /ebt/out/uki.efi
		ukify inspect /ebt/out/signed.efi >/ebt/out/signed.inspect
		step nokey early-bind-uki build /ebt/out/signed.efi /ebt/out/nokey.efi
		# kernel-install signing with uki.conf's key: the plugin signs with it too.
		mkdir -p /ebt/conf-signed /ebt/esp-signed/EFI/Linux
		cp /ebt/conf/install.conf /ebt/conf/cmdline /ebt/conf-signed/
		printf '[UKI]\nSecureBootPrivateKey=/ebt/sb.key\nSecureBootCertificate=/ebt/sb.crt\n' >/ebt/conf-signed/uki.conf
		step add-signed env KERNEL_INSTALL_CONF_ROOT=/ebt/conf-signed BOOT_ROOT=/ebt/esp-signed \
			kernel-install add $KVER /ebt/vmlinuz /ebt/initrd.img
		step sbverify-kinst sbverify --cert /ebt/sb.crt /ebt/esp-signed/EFI/Linux/$MID-$KVER.efi
		ukify inspect /ebt/esp-signed/EFI/Linux/$MID-$KVER.efi >/ebt/out/kinst-signed.inspect
	EOF
}

# uki_sections INSPECT: "NAME TEXT" per section of ukify inspect's output,
# in order (a text section's lines joined by "|").
uki_sections() {
	awk '/^[^ ]/ { if (n) print n, t; n = $1; sub(/:$/, "", n); t = ""; intext = 0; next }
		/^  text:/ { intext = 1; next }
		intext { sub(/^    /, ""); t = t (t == "" ? "" : "|") $0 }
		END { if (n) print n, t }' "$1"
}

part_uki() {
	U=$W/uki
	mkdir -p "$U"
	if ! uki_chroot; then
		fail "uki: making the trixie chroot (see $LOGS/uki-debootstrap.log, $LOGS/uki-apt.log)"
		return
	fi
	# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
	ok "uki: trixie chroot, systemd-ukify $(uki_in dpkg-query -W -f '${Version}' systemd-ukify)"
	rm -rf "$UT/ebt" && mkdir -p "$UT/ebt/conf"
	stage "$UT" /usr/local/sbin /usr/local/lib/early-bind /usr/local/etc /usr/local/lib/kernel/install.d
	cp "$H/etc/default/early-bind" "$UT/ebt/profiles"
	cp "/boot/vmlinuz-$KVER" "$UT/ebt/vmlinuz" && cp "$W/initrd.img" "$UT/ebt/initrd.img"
	echo layout=uki >"$UT/ebt/conf/install.conf"
	echo "console=ttyS0 panic=-1" >"$UT/ebt/conf/cmdline"
	printf '#!/bin/sh\necho "$*" >>/ebt/out/bootctl.args\n' >"$UT/ebt/bootctl" && chmod 755 "$UT/ebt/bootctl"
	uki_script >"$UT/ebt/run.sh"
	uki_in sh /ebt/run.sh >"$LOGS/uki.log" 2>&1
	O=$UT/ebt/out
	uki_checks
	rm -rf "$U/out" && cp -a "$O" "$U/out" && cp "$UT/ebt/sb.crt" "$UT/ebt/sb.key" "$U/" 2>/dev/null
}

uki_checks() {
	ui=$O/$MID-$KVER.efi
	check "uki: kernel-install add (layout=uki) succeeds despite a bad profile" \
		sh -c "rc_ok() { [ \"\$(cat \"\$1\")\" = 0 ]; }; rc_ok '$O/add1.rc' && rc_ok '$O/add2.rc'" || show "$O/add1.log"
	check "uki: the plugin reports the bad profile by name" grep -q "profile 'bad'.*left out" "$O/add1.log"
	check "uki: objdump sees 4 .profile sections (main, vm, both, host)" \
		sh -c "[ \"\$(grep -c ' \\.profile ' '$ui.objdump')\" = 4 ]" || show "$ui.objdump"
	uki_sections "$ui.inspect" | sed -n '/^\.profile /,$p' >"$U/profiles"
	cat >"$U/expected" <<-EOF
		.profile ID=main
		.profile ID=early-bind-vm|TITLE=early-bind: vm
		.cmdline console=ttyS0 panic=-1 systemd.machine_id=$MID vfio.devices=00:03 video=efifb:off
		.profile ID=early-bind-both|TITLE=early-bind: both
		.cmdline console=ttyS0 panic=-1 systemd.machine_id=$MID vfio.devices=00:03,00:04
		.profile ID=early-bind-host|TITLE=early-bind: host
		.cmdline console=ttyS0 panic=-1 systemd.machine_id=$MID vfio.devices=
	EOF
	check "uki: profile @0 is the plain boot, then one per good profile with its .cmdline" \
		cmp -s "$U/expected" "$U/profiles" || diff "$U/expected" "$U/profiles" | sed 's/^/    | /'
	uki_sections "$ui.inspect" | sed '/^\.profile /,$d' >"$U/base"
	check "uki: the base .cmdline is the plain one" grep -qx ".cmdline console=ttyS0 panic=-1 systemd.machine_id=$MID" "$U/base"
	check "uki: the other kernel's image got its profiles too" \
		sh -c "[ \"\$(grep -c ' \\.profile ' '$O/$MID-$FAKE_KVER.efi.objdump')\" = 4 ]"
	check "uki: list shows systemd-boot's ENTRY-ID, @N and TITLE" \
		sh -c "grep -qx '$MID-$KVER.efi  @0  (plain boot)' '$O/list.log' &&
			grep -qx '$MID-$KVER.efi@early-bind-both  @2  early-bind: both' '$O/list.log'" || show "$O/list.log"
	check "uki: next both: bootctl set-oneshot ENTRY.efi@early-bind-both" \
		sh -c "[ \"\$(cat '$O/next.rc')\" = 0 ] && grep -qx -- '--esp-path=/ebt/esp set-oneshot $MID-$KVER.efi@early-bind-both' '$O/bootctl.args' &&
			[ \"\$(wc -l <'$O/bootctl.args')\" = 1 ]" || show "$O/bootctl.args"
	check "uki: next NAME lists the profiles first" grep -q "@early-bind-vm  @1  early-bind: vm" "$O/next.log"
	check "uki: next of an unknown profile fails and sets nothing" \
		sh -c "[ \"\$(cat '$O/next-missing.rc')\" = 1 ] && grep -q \"no UKI of kernel $KVER has the profile 'nosuch'\" '$O/next-missing.log'"
	# Exit 1 for these two: the test profiles hold mistakes.
	check "uki: update after an edit: the removed profile is gone, the rest renumbered" \
		sh -c "grep -q ' @2 early-bind-host' '$O/edit.log' && [ \"\$(grep -c '^\\.profile' '$O/edit.inspect')\" = 3 ] &&
			! grep -q early-bind-both '$O/edit.inspect' && grep -q early-bind-host '$O/edit.inspect'"
	check "uki: a signed build verifies with the key's certificate" \
		sh -c "grep -q '(3 early-bind profiles, signed)' '$O/sign.log' && [ \"\$(cat '$O/sbverify.rc')\" = 0 ]" || show "$O/sbverify.log"
	check "uki: ...and the unsigned one does not (sbverify tells them apart)" \
		sh -c "[ \"\$(cat '$O/sbverify-unsigned.rc')\" != 0 ]"
	check "uki: a signed image is not rebuilt without a key (it would not boot under Secure Boot)" \
		sh -c "[ \"\$(cat '$O/nokey.rc')\" = 1 ] && grep -q 'is signed but no key was given' '$O/nokey.log' &&
			[ ! -e '$O/nokey.efi' ] && [ ! -e '$O/nokey.efi.tmp' ]" || show "$O/nokey.log"
	check "uki: kernel-install signing with uki.conf: the plugin re-signs the profiled image with that key" \
		sh -c "[ \"\$(cat '$O/sbverify-kinst.rc')\" = 0 ] && [ \"\$(grep -c '^\.profile' '$O/kinst-signed.inspect')\" = 4 ]" ||
		show "$O/add-signed.log"
	check "uki: the signed image keeps its profiles" \
		sh -c "[ \"\$(grep -c '^\\.profile' '$O/signed.inspect')\" = 4 ]"
}

# uki_oneshot_vars ENTRY [VIRT-FW-VARS-ARGS...]: OVMF's variables with
# systemd-boot's LoaderEntryOneShot set to ENTRY (what "bootctl set-oneshot
# ENTRY" writes from a running system), made with virt-fw-vars in the chroot.
uki_oneshot_vars() {
	uo_hex=$(printf '%s' "$1" | iconv -f ASCII -t UTF-16LE | od -An -v -tx1 | tr -d ' \n')0000
	cat >"$UT/ebt/oneshot.json" <<-EOF2
		{"version": 2, "variables": [{"name": "LoaderEntryOneShot",
		"guid": "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f", "attr": 7, "data": "$uo_hex"}]}
	EOF2
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$UT/ebt/vars-in.fd"
	shift
	uki_in virt-fw-vars -i /ebt/vars-in.fd --set-json /ebt/oneshot.json "$@" -o /ebt/vars-oneshot.fd \
		>"$LOGS/uki-vars.log" 2>&1 && cp "$UT/ebt/vars-oneshot.fd" "$K/vars-oneshot.fd"
}

# boot_uki: systemd-boot 257 and the kernel-install-built UKI (EFI/Linux)
# under OVMF: no default and no one-shot boots profile @0, the plain boot;
# a one-shot of ENTRY@early-bind-vm (profile @1) boots with the card to
# vfio-pci.
boot_uki() {
	ub_esp=$W/uki/esp
	ub_id=$MID-$KVER.efi
	rm -rf "$ub_esp" && mkdir -p "$ub_esp/EFI/BOOT" "$ub_esp/EFI/Linux" "$ub_esp/loader"
	if ! cp "$UT/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$ub_esp/EFI/BOOT/BOOTX64.EFI" ||
		! cp "$W/uki/out/uki.efi" "$ub_esp/EFI/Linux/$ub_id"; then
		fail "boot uki: no UKI from the uki part"
		return
	fi
	if build_esp "timeout 0" "$ub_esp"; then
		ovmf uki-default
		boot_checks uki-default "boot uki profile @0" not-vfio not-vfio "systemd.machine_id=$MID\$"
	else
		fail "boot uki: building the ESP image"
	fi
	if uki_oneshot_vars "$ub_id@early-bind-vm"; then
		ovmf uki-oneshot "$K/vars-oneshot.fd"
		boot_checks uki-oneshot "boot uki one-shot $ub_id@early-bind-vm" vfio-pci not-vfio \
			"systemd.machine_id=$MID vfio.devices=00:03 video=efifb:off\$"
		cp "$K/vars.fd" "$UT/ebt/vars-after.fd"
		uki_in virt-fw-vars -i /ebt/vars-after.fd -p >"$LOGS/uki-vars-after.log" 2>&1
		check "boot uki one-shot: systemd-boot consumed LoaderEntryOneShot (the next boot is @0 again)" \
			sh -c "grep -q 'BootOrder' '$LOGS/uki-vars-after.log' && ! grep -q LoaderEntryOneShot '$LOGS/uki-vars-after.log'"
	else
		fail "boot uki: setting LoaderEntryOneShot (see $LOGS/uki-vars.log)"
	fi
	boot_uki_sb
}

# boot_uki_sb: Secure Boot on: OVMF's Secure Boot build with the test key
# enrolled as PK, KEK and db (virt-fw-vars), systemd-boot and the UKI
# signed with it (sbsign; early-bind-uki --secureboot-*), and a one-shot of
# the vm profile: the profile's command line still applies.
boot_uki_sb() {
	us_esp=$W/uki/esp-sb
	us_id=$MID-$KVER.efi
	us_guid=a8a81e2c-5c6b-4fb0-9e0e-0123456789ab
	rm -rf "$us_esp" && mkdir -p "$us_esp/EFI/BOOT" "$us_esp/EFI/Linux" "$us_esp/loader"
	if ! uki_in sbsign --key /ebt/sb.key --cert /ebt/sb.crt --output /ebt/bootx64-signed.efi \
		/usr/lib/systemd/boot/efi/systemd-bootx64.efi >"$LOGS/uki-sbsign.log" 2>&1 ||
		! cp "$UT/ebt/bootx64-signed.efi" "$us_esp/EFI/BOOT/BOOTX64.EFI" ||
		! cp "$W/uki/out/signed.efi" "$us_esp/EFI/Linux/$us_id"; then
		fail "boot uki secure boot: signing systemd-boot or no signed UKI (see $LOGS/uki-sbsign.log)"
		return
	fi
	if ! build_esp "timeout 0" "$us_esp" ||
		! uki_oneshot_vars "$us_id@early-bind-vm" --set-pk "$us_guid" /ebt/sb.crt \
			--add-kek "$us_guid" /ebt/sb.crt --add-db "$us_guid" /ebt/sb.crt --secure-boot; then
		fail "boot uki secure boot: the ESP image or the enrolled variables (see $LOGS/uki-vars.log)"
		return
	fi
	cp "$K/vars-oneshot.fd" "$K/vars.fd"
	qboot uki-sb "$K/esp.img" -machine smm=on -global driver=cfi.pflash01,property=secure,value=on \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd \
		-drive "if=pflash,format=raw,file=$K/vars.fd"
	boot_checks uki-sb "boot uki secure boot, one-shot $us_id@early-bind-vm" vfio-pci not-vfio \
		"systemd.machine_id=$MID vfio.devices=00:03 video=efifb:off\$"
	check "boot uki secure boot: the kernel saw Secure Boot on" grep -qi "secure boot enabled" "$LOGS/uki-sb.console"
}
