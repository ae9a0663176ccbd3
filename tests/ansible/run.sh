#!/bin/sh
# The Ansible role (contrib/ansible, make check-ansible), end to end: the
# collection built and installed with ansible-galaxy; its example playbook
# run by Debian's ansible against a debootstrap chroot (the chroot
# connection) to install the .deb built from `make dist`, set vfio.devices=
# in /etc/default/grub and write the boot-menu profiles, then again with no
# change; the chroot's kernel and initramfs booted in QEMU with the chroot
# as root file system (virtio-blk) and the same playbook run over SSH
# against that guest, where its check after the reboot passes with the card
# at 00:03 bound, fails naming a function given back to the host, and fails
# naming the entry after a boot configured with a wrong address.
# The chroot has no boot loader (GRUB cannot be installed without a disk):
# /etc/default/grub and a stub update-grub that records its calls stand for
# it, and QEMU boots the kernel with the command line 10_linux would build
# from /etc/default/grub.  Prints ok/FAIL lines and "N passed, M failed";
# logs are in build/ansible/.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PK_WORK=${EB_ANSIBLE_WORK:-$ROOT/build/ansible}
# The guest's whole life (boot, plays over SSH, power-off) and the wait for
# its SSH server: generous, this runs beside other QEMU tests under TCG.
AN_GUEST_TIMEOUT=${EB_ANSIBLE_GUEST_TIMEOUT:-600}
AN_SSH_WAIT=${EB_ANSIBLE_SSH_WAIT:-360}
AN_PORT=${EB_ANSIBLE_SSH_PORT:-$((20022 + $$ % 1000))}
AN_PLAYBOOK=$ROOT/contrib/ansible/examples/site.yml

# shellcheck source=tests/results.sh
. "$ROOT/tests/results.sh"
# shellcheck source=tests/packages/debroot.sh
. "$ROOT/tests/packages/debroot.sh"
# shellcheck source=tests/packages/build.sh
. "$ROOT/tests/packages/build.sh"
# What Ansible needs on the managed host (python3, python3-apt for the apt
# module), and a system that boots to an SSH server.
PK_BASE_PACKAGES="$PK_BASE_PACKAGES python3 python3-apt openssh-server systemd-sysv udev"
EB_TESTDIR=$ROOT/tests/boot
EB_LOGS=$PK_WORK/logs
EB_BOOT_TIMEOUT=$AN_GUEST_TIMEOUT
EB_MEM=1024
# shellcheck source=tests/boot/lib.sh
. "$ROOT/tests/boot/lib.sh"
# shellcheck source=tests/boot/qemu.sh
. "$ROOT/tests/boot/qemu.sh"

an_log() {
	printf '%s\n' "ansible: $*" >&2
}

# an_requirements: a clear failure, not a skip, when a tool is missing.
an_requirements() {
	an_missing=
	for an_c in ansible-playbook ansible-galaxy ansible-doc ssh ssh-keygen debootstrap \
		dpkg-buildpackage mkfs.ext4 qemu-system-x86_64; do
		command -v "$an_c" >/dev/null 2>&1 || an_missing="$an_missing $an_c"
	done
	# ansible-core has no chroot connection; Debian's ansible package
	# carries it in community.general.
	if command -v ansible-doc >/dev/null 2>&1 &&
		! ansible-doc -t connection community.general.chroot >/dev/null 2>&1; then
		an_missing="$an_missing community.general.chroot(package ansible)"
	fi
	if [ -n "$an_missing" ]; then
		fail "the tools of the Ansible test are installed (missing:$an_missing; run tests/setup-debian.sh as root)"
		return 1
	fi
	if [ "$(id -u)" -ne 0 ]; then
		fail "the Ansible test runs as root (debootstrap, chroot, mounts)"
		return 1
	fi
	ok "the tools of the Ansible test are installed"
}

an_filters() {
	check "the role's filters on command lines and status --json documents (log: $PK_WORK/filters.log)" \
		an_logged filters "$PYTHON3" "$ROOT/tests/ansible/test_filters.py" -v
}

# an_collection: the collection built and installed as a user would, into
# PK_WORK/collections, which ansible.cfg points the plays at.
an_collection() {
	rm -rf -- "${PK_WORK:?}/collections" "$PK_WORK"/earlybind-vfio-*.tar.gz
	check "ansible-galaxy collection build contrib/ansible (log: $PK_WORK/galaxy.log)" \
		an_logged galaxy ansible-galaxy collection build "$ROOT/contrib/ansible" \
		--output-path "$PK_WORK" || return 1
	check "ansible-galaxy collection install earlybind.vfio" \
		an_logged galaxy-install ansible-galaxy collection install -p "$PK_WORK/collections" \
		"$PK_WORK"/earlybind-vfio-*.tar.gz || return 1
	an_v=$(sed -n 's/^VERSION = //p' "$ROOT/Makefile")
	check "galaxy.yml's version is the Makefile's VERSION ($an_v)" \
		grep -Eq "^version: $an_v(\\.0)?\$" "$ROOT/contrib/ansible/galaxy.yml"
	mkdir -p "$PK_WORK/cp"
	cat >"$PK_WORK/ansible.cfg" <<-EOF
		[defaults]
		collections_path = $PK_WORK/collections
		host_key_checking = False
		retry_files_enabled = False
		nocolor = True
		interpreter_python = /usr/bin/python3
		[ssh_connection]
		control_path_dir = $PK_WORK/cp
		pipelining = True
	EOF
	check "ansible-playbook --syntax-check examples/site.yml (log: $PK_WORK/syntax.log)" \
		an_logged syntax an_ansible_playbook -i "$ROOT/contrib/ansible/examples/inventory.yml" \
		--syntax-check "$AN_PLAYBOOK"
}

# an_logged NAME COMMAND...: COMMAND's output in PK_WORK/NAME.log.
an_logged() {
	an_lname=$1
	shift
	"$@" >"$PK_WORK/$an_lname.log" 2>&1
}

an_ansible_playbook() {
	ANSIBLE_CONFIG=$PK_WORK/ansible.cfg ANSIBLE_HOME=$PK_WORK/ansible-home \
		ansible-playbook "$@"
}

an_deb() {
	pk_versions >/dev/null
	pk_dist >/dev/null && pk_build_deb >/dev/null
	check "the .deb the role installs was built (log: $PK_WORK/deb-build.log)" [ -s "${PK_DEB:-}" ]
}

# an_prepare_root: what the test, not the role, sets up in the fresh
# chroot: a GRUB configuration with vfio.devices= values the role must
# replace, the stub update-grub, the root file system, networking for QEMU's
# user network (10.0.2.15) and the test's SSH key for root.
an_prepare_root() {
	cat >"$PK_ROOT/etc/default/grub" <<-'EOF'
		GRUB_DEFAULT=0
		GRUB_TIMEOUT=5
		GRUB_DISTRIBUTOR=Debian
		GRUB_CMDLINE_LINUX_DEFAULT="quiet vfio.devices=00:04"
		GRUB_CMDLINE_LINUX="console=ttyS0 vfio.devices=00:06 panic=-1"
	EOF
	printf '#!/bin/sh\necho "update-grub $*" >>/var/log/update-grub.calls\n' \
		>"$PK_ROOT/usr/sbin/update-grub"
	chmod 755 "$PK_ROOT/usr/sbin/update-grub"
	printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$PK_ROOT/etc/fstab"
	echo guest >"$PK_ROOT/etc/hostname"
	mkdir -p "$PK_ROOT/etc/systemd/network"
	printf '[Match]\nName=en*\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\n' \
		>"$PK_ROOT/etc/systemd/network/50-qemu.network"
	pk_chroot "$PK_ROOT" systemctl enable systemd-networkd >/dev/null 2>&1
	rm -f "$PK_WORK/id" "$PK_WORK/id.pub"
	ssh-keygen -q -t ed25519 -N '' -f "$PK_WORK/id" || return 1
	mkdir -p "$PK_ROOT/root/.ssh"
	chmod 700 "$PK_ROOT/root/.ssh"
	cp "$PK_WORK/id.pub" "$PK_ROOT/root/.ssh/authorized_keys"
}

# an_inventory chroot|ssh DEVICES [batches]: the inventory of the host
# "guest" in the example's group, the role's variables; the reboot is off (a
# chroot cannot reboot, and the test boots the guest itself).  "batches"
# adds "twin", the same guest again with nothing to install or check (it
# succeeds beside "guest" in the first batch of two), and "later", which the
# next batch would reach: nothing listens on its port, so the play reaching
# it would show in its recap.
an_inventory() {
	an_more=
	if [ "${3:-}" = batches ]; then
		an_more="
        twin:
          ansible_connection: ssh
          ansible_host: 127.0.0.1
          ansible_port: $AN_PORT
          ansible_user: root
          ansible_ssh_private_key_file: $PK_WORK/id
          ansible_ssh_common_args: -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no
          ansible_become: false
          early_bind_devices: [\"$2\"]
          early_bind_reboot: false
          early_bind_verify: false
        later:
          ansible_connection: ssh
          ansible_host: 127.0.0.1
          ansible_port: 9
          early_bind_devices: [\"$2\"]"
	fi
	if [ "$1" = chroot ]; then
		an_conn="ansible_connection: community.general.chroot
          ansible_host: $PK_ROOT"
	else
		an_conn="ansible_connection: ssh
          ansible_host: 127.0.0.1
          ansible_port: $AN_PORT
          ansible_user: root
          ansible_ssh_private_key_file: $PK_WORK/id
          ansible_ssh_common_args: -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no"
	fi
	cat <<-EOF
		all:
		  children:
		    gpu_hosts:
		      hosts:
		        guest:
		          $an_conn
		          ansible_become: false
		          early_bind_deb: $PK_DEB
		          early_bind_devices: ["$2"]
		          early_bind_reboot: false
		          early_bind_profiles:
		            - name: host-only
		              devices: []
		            - name: vm
		              devices: ["$2"]
		              options: [video=efifb:off]$an_more
	EOF
}

# an_play NAME chroot|ssh DEVICES [batches] [ARG...]: the example playbook
# (with ansible-playbook's ARGs); its output in PK_WORK/NAME.log, its exit
# status in AN_RC, the host's recap line in AN_RECAP.
an_play() {
	an_pname=$1
	an_inventory "$2" "$3" "${4:-}" >"$PK_WORK/$an_pname.inventory.yml"
	shift 3
	[ "${1:-}" != batches ] || shift
	an_t0=$(date +%s)
	an_ansible_playbook -i "$PK_WORK/$an_pname.inventory.yml" "$@" "$AN_PLAYBOOK" \
		>"$PK_WORK/$an_pname.log" 2>&1
	AN_RC=$?
	AN_RECAP=$(grep -E '^guest +: ok=' "$PK_WORK/$an_pname.log" | sed 's/  */ /g')
	an_log "$an_pname: ${AN_RECAP:-no recap} (rc $AN_RC, $(($(date +%s) - an_t0)) s)"
}

an_recap_has() {
	case " $AN_RECAP " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# an_failed: the last play failed, and on the one host.
an_failed() {
	[ "$AN_RC" -ne 0 ] && an_recap_has failed=1
}

an_log_has() {
	grep -Eq -- "$2" "$PK_WORK/$1.log"
}

an_grub_line() {
	grep "^$1=" "$PK_ROOT/etc/default/grub"
}

an_grub_calls() {
	if [ -f "$PK_ROOT/var/log/update-grub.calls" ]; then
		wc -l <"$PK_ROOT/var/log/update-grub.calls"
	else
		echo 0
	fi
}

an_initrd_sum() {
	cksum <"$PK_ROOT/boot/initrd.img-$PK_KVER"
}

# The first run configures the chroot.
an_configure() {
	an_play chroot-1 chroot 00:03
	check "chroot, first run: the play succeeds (log: $PK_WORK/chroot-1.log)" [ "$AN_RC" -eq 0 ] || return 1
	check "chroot, first run: it changed the chroot ($AN_RECAP)" \
		[ -z "$(echo "$AN_RECAP" | grep ' changed=0 ')" ]
	check "chroot, first run: early-bind is installed" pk_chroot "$PK_ROOT" dpkg -s early-bind >/dev/null
	check "chroot, first run: the initramfs holds early-bind" \
		sh -c "chroot '$PK_ROOT' lsinitramfs /boot/initrd.img-$PK_KVER | grep -q '^usr/sbin/early-bind\$'"
	check "chroot, first run: GRUB_CMDLINE_LINUX's vfio.devices= replaced in place" \
		[ "$(an_grub_line GRUB_CMDLINE_LINUX)" = 'GRUB_CMDLINE_LINUX="console=ttyS0 vfio.devices=00:03 panic=-1"' ]
	check "chroot, first run: vfio.devices= gone from GRUB_CMDLINE_LINUX_DEFAULT" \
		[ "$(an_grub_line GRUB_CMDLINE_LINUX_DEFAULT)" = 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' ]
	check "chroot, first run: update-grub ran once" [ "$(an_grub_calls)" -eq 1 ]
	check "chroot, first run: /etc/default/early-bind holds the two profiles" \
		[ "$(grep -v '^#' "$PK_ROOT/etc/default/early-bind" | tr '\t' ' ')" = "host-only -
vm 00:03 video=efifb:off" ]
	check "chroot, first run: the role saw a chroot, left the check for the booted host" \
		an_log_has chroot-1 'early-bind: a chroot '
	an_sum=$(an_initrd_sum)
	an_play chroot-2 chroot 00:03
	check "chroot, second run: the play succeeds" [ "$AN_RC" -eq 0 ]
	check "chroot, second run: nothing changed ($AN_RECAP)" an_recap_has changed=0
	check "chroot, second run: update-grub did not run again" [ "$(an_grub_calls)" -eq 1 ]
	check "chroot, second run: the initramfs was not rebuilt" [ "$(an_initrd_sum)" = "$an_sum" ]
}

# an_image: the chroot as an ext4 image (PK_WORK/root.img), /proc left out.
an_image() {
	pk_umount "$PK_ROOT/proc"
	rm -f "$PK_WORK/root.img"
	truncate -s 2G "$PK_WORK/root.img"
	mkfs.ext4 -q -F -L root -d "$PK_ROOT" "$PK_WORK/root.img" >"$PK_WORK/mkfs.log" 2>&1
	an_rc=$?
	mount -t proc proc "$PK_ROOT/proc"
	check "the chroot as an ext4 image (mkfs.ext4 -d)" [ $an_rc -eq 0 ]
}

# an_cmdline: the command line GRUB's 10_linux builds from /etc/default/grub,
# and no_timer_check as in the boot tests (lib.sh): under a loaded TCG the
# kernel may find the timer too slow through the remapped IO-APIC and panic.
an_cmdline() {
	# shellcheck disable=SC1091 # the chroot's file, made by the test
	(. "$PK_ROOT/etc/default/grub" &&
		echo "root=/dev/vda ro $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT no_timer_check")
}

an_ssh() {
	ssh -q -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=5 \
		-o ServerAliveCountMax=3 -o UserKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=no -i "$PK_WORK/id" -p "$AN_PORT" root@127.0.0.1 "$@"
}

# an_boot NAME: the image booted in the background (the two 4-function
# cards of the boot tests at 00:03 and 00:04, the disk, a user network
# with the guest's SSH port forwarded to AN_PORT on the loopback), waited
# for until its SSH server answers.
an_boot() {
	an_name=$1
	an_cmd=$(an_cmdline)
	an_log "$an_name: booting with: $an_cmd"
	rm -f "$PK_WORK/qemu.pid"
	# shellcheck disable=SC2086 # the device sets are lists of arguments
	eb_qemu "$an_name" -kernel "$PK_ROOT/boot/vmlinuz-$PK_KVER" \
		-initrd "$PK_ROOT/boot/initrd.img-$PK_KVER" -append "$an_cmd" \
		$EB_IOMMU $EB_CARDS \
		-drive "file=$PK_WORK/root.img,if=none,id=root,format=raw" \
		-device virtio-blk-pci,drive=root,addr=0a.0 \
		-netdev "user,id=net,hostfwd=tcp:127.0.0.1:$AN_PORT-:22" \
		-device virtio-net-pci,netdev=net,addr=08.0 \
		-pidfile "$PK_WORK/qemu.pid" &
	AN_QEMU_JOB=$!
	an_t0=$(date +%s)
	while [ $(($(date +%s) - an_t0)) -lt "$AN_SSH_WAIT" ]; do
		if an_ssh true 2>/dev/null; then
			an_log "$an_name: SSH answered after $(($(date +%s) - an_t0)) s"
			ok "$an_name: the guest booted the chroot's kernel and image, SSH answers"
			return 0
		fi
		kill -0 "$AN_QEMU_JOB" 2>/dev/null || break
		sleep 5
	done
	fail "$an_name: the guest's SSH answered within ${AN_SSH_WAIT}s (console: $EB_LOGS/$an_name.console)"
	an_stop
	return 1
}

# an_stop: the guest powered off (QEMU ends with it), killed if it does not.
an_stop() {
	[ -n "${AN_QEMU_JOB:-}" ] || return 0
	an_ssh systemctl poweroff >/dev/null 2>&1
	an_t0=$(date +%s)
	while kill -0 "$AN_QEMU_JOB" 2>/dev/null && [ $(($(date +%s) - an_t0)) -lt 120 ]; do
		sleep 2
	done
	if kill -0 "$AN_QEMU_JOB" 2>/dev/null && [ -s "$PK_WORK/qemu.pid" ]; then
		kill "$(cat "$PK_WORK/qemu.pid")" 2>/dev/null
	fi
	wait "$AN_QEMU_JOB" 2>/dev/null
	AN_QEMU_JOB=
}

# The guest booted with 00:03: the playbook's check passes with nothing to
# change; then one function given back to the host makes the check fail,
# naming it.
an_guest_bound() {
	an_image || return 1
	an_boot bound || return 1
	an_play guest-bound ssh 00:03
	check "guest, card bound: the play succeeds (log: $PK_WORK/guest-bound.log)" [ "$AN_RC" -eq 0 ]
	check "guest, card bound: nothing changed on the booted host ($AN_RECAP)" an_recap_has changed=0
	for an_f in 0 1 2 3; do
		check "guest, card bound: the play reports 0000:00:03.$an_f on vfio-pci" \
			an_log_has guest-bound "0000:00:03\\.$an_f \\[[0-9a-f:]*\\] on vfio-pci"
	done
	check "guest: early-bind release 0000:00:03.1 gives the function back to the host" \
		an_ssh early-bind release 0000:00:03.1 >"$PK_WORK/release.log" 2>&1
	# The fleet check alone: --tags early_bind_verify changes nothing.
	an_play guest-released ssh 00:03 --tags early_bind_verify
	check "guest, a function released: the play fails ($AN_RECAP)" an_failed
	check "guest, a function released: the failure names 0000:00:03.1 and its driver" \
		an_log_has guest-released '0000:00:03\.1 \[8086:293e\] is on [a-z_]+ now, not vfio-pci'
	an_log "$(grep -o 'early-bind on guest: [^"]*' "$PK_WORK/guest-released.log" | head -n 1)"
	an_stop
}

# The chroot configured with a wrong address (nothing at 00:05.0), booted:
# the play on the guest fails, naming the entry the boot refused.
an_guest_wrong() {
	an_play chroot-wrong chroot 00:05.0
	check "chroot, wrong address: the play succeeds ($AN_RECAP)" [ "$AN_RC" -eq 0 ]
	check "chroot, wrong address: GRUB_CMDLINE_LINUX has vfio.devices=00:05.0" \
		[ "$(an_grub_line GRUB_CMDLINE_LINUX)" = 'GRUB_CMDLINE_LINUX="console=ttyS0 vfio.devices=00:05.0 panic=-1"' ]
	an_image || return 1
	an_boot wrong || return 1
	# Batches of 2, then 1: guest fails, twin passes, later is never reached.
	an_play guest-wrong ssh 00:05.0 batches -e '{"early_bind_serial": [2, 1]}'
	check "guest, wrong address: the play fails ($AN_RECAP)" an_failed
	check "guest, wrong address: its batch's other host passed" \
		grep -Eq '^twin +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$PK_WORK/guest-wrong.log"
	check "guest, wrong address: max_fail_percentage 0 ended the play before the next batch" \
		[ -z "$(grep -E '^later +:' "$PK_WORK/guest-wrong.log")" ]
	check "guest, wrong address: the failure names 00:05.0 and why the boot refused it" \
		an_log_has guest-wrong 'entry 00:05\.0 refused at boot: [^;"]+'
	an_log "$(grep -o 'early-bind on guest: [^"]*' "$PK_WORK/guest-wrong.log" | head -n 1)"
	an_stop
}

# The same tree as a kernel-install host (systemd-boot's Boot Loader
# Specification layout in /boot, systemd's own kernel-install and
# early-bind's plugin): no /etc/default/grub, /etc/kernel/cmdline instead.
an_kernel_install() {
	an_mid=$(cat "$PK_ROOT/etc/machine-id")
	rm -f "$PK_ROOT/etc/default/grub"
	echo "root=/dev/vda ro vfio.devices=00:06 quiet" >"$PK_ROOT/etc/kernel/cmdline"
	mkdir -p "$PK_ROOT/boot/loader/entries" "$PK_ROOT/boot/$an_mid"
	an_play chroot-kinst chroot 00:03
	check "kernel-install: the play succeeds ($AN_RECAP)" [ "$AN_RC" -eq 0 ]
	check "kernel-install: /etc/kernel/cmdline's vfio.devices= replaced in place" \
		[ "$(cat "$PK_ROOT/etc/kernel/cmdline")" = "root=/dev/vda ro vfio.devices=00:03 quiet" ]
	an_entry=$PK_ROOT/boot/loader/entries/$an_mid-$PK_KVER
	check "kernel-install: the kernel's entry has vfio.devices=00:03 alone" \
		[ "$(grep '^options' "$an_entry.conf" | grep -o 'vfio\.devices=[^ ]*')" = vfio.devices=00:03 ]
	check "kernel-install: the vm profile's entry adds its value and option last" \
		grep -q '^options .*vfio\.devices=00:03 .* vfio\.devices=00:03 video=efifb:off$' \
		"$an_entry-early-bind-vm.conf"
	check "kernel-install: the host-only profile's entry has the empty value" \
		grep -q '^options .* vfio\.devices=00:03 .*vfio\.devices=$' "$an_entry-early-bind-host-only.conf"
	an_play chroot-kinst-2 chroot 00:03
	check "kernel-install, second run: nothing changed ($AN_RECAP)" an_recap_has changed=0
}

an_cleanup() {
	an_stop
	pk_release_root
}

main() {
	mkdir -p "$PK_WORK" "$EB_LOGS"
	trap an_cleanup EXIT
	trap 'exit 1' HUP INT TERM
	an_t_all=$(date +%s)
	if an_requirements && an_filters && an_collection && an_deb &&
		check "chroot: a fresh root on the cached base" pk_fresh_root &&
		check "chroot: the test's GRUB stand-in, network and SSH key" an_prepare_root; then
		PK_KVER=$(pk_kver)
		an_configure && an_guest_bound
		an_guest_wrong
		an_kernel_install
	fi
	an_cleanup
	an_log "all: $(($(date +%s) - an_t_all)) s"
	results_summary
}

main
