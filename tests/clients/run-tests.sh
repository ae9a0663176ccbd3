#!/bin/sh
# The snippets, accepted by the tools they are for: what `early-bind snippet`
# prints on the fixture trees of tests/fixtures/machines, pasted as a user
# would, must give libvirt exactly the card's functions.
#
#   libvirt  the <hostdev> elements inside a minimal domain;
#   vagrant  the lines inside a Vagrantfile's libvirt provider block, turned
#            into the domain XML that vagrant-libvirt would send by its own
#            code (render-vagrant.rb): `vagrant validate` alone also passes
#            a line with :slot => 0x99.
#
# Each domain must pass libvirt's schema (virt-xml-validate), be defined by
# libvirt's test driver (virsh -c test:///default, no daemon), and the defined
# domain's PCI hostdevs must be exactly the functions the tree has in the
# entries' slots; vagrant's must hide KVM for NVIDIA cards. Broken snippets
# (a bad slot, a function left out, a line without :function, no kvm_hidden)
# must fail at the stage that should catch them.
# --format qemu is proven by the nested QEMU of the boot tests, not here.
#
# usage: run-tests.sh BINARY
# Prints "ok ..."/"FAIL ..." lines and "N passed, M failed"; exits 1 on failure.
set -u

# Where a domain stopped: gives_card's and vagrant_gives_card's statuses.
RENDER_REFUSED=2
SCHEMA_REFUSED=3
DEFINE_REFUSED=4
OTHER_FUNCTIONS=5
KVM_NOT_HIDDEN=6

# Machine, "nvidia" when vagrant's snippet must hide KVM ("-" otherwise),
# the pci.ids names (see pci_ids), entries.
cases() {
	cat <<'CASES'
dual-2080ti nvidia plain 3b:00
dual-2080ti nvidia plain af:00 3b:00.1 3b:00.0
dual-2080ti nvidia dashed 3b:00
shared-group - plain 06:00
single-gpu - plain 0b:00
two-domain nvidia plain 10000:01:00 0000:01:00
CASES
}

# --- what the tree holds -------------------------------------------------------

# expected_functions ROOT ENTRY...: the functions ROOT's sysfs has where the
# entries point (a slot: all its functions), read without early-bind.
expected_functions() {
	ef_root=$1
	shift
	for ef_entry; do
		case $ef_entry in
		*:*:*) ef_glob=$ef_entry ;;
		*) ef_glob="0000:$ef_entry" ;;
		esac
		case $ef_glob in
		*.*) ;;
		*) ef_glob="$ef_glob.*" ;;
		esac
		for ef_dev in "$ef_root"/sys/bus/pci/devices/$ef_glob; do
			[ -e "$ef_dev" ] && basename "$ef_dev"
		done
	done | sort -u
}

# pci_ids ROOT HOW: the names libvirt's comments show: the committed pci.ids
# subset ("plain"), or ("dashed") with "--" in every device name, which
# pci.ids allows and an XML comment does not.
pci_ids() {
	mkdir -p "$1/usr/share/misc"
	case $2 in
	plain) cp "$ROOT_DIR/tests/commands/pci.ids" "$1/usr/share/misc/pci.ids" ;;
	dashed) sed "s/^\($(printf '\t')[0-9a-f]\{4\}  \)/\1-- /" "$ROOT_DIR/tests/commands/pci.ids" \
		>"$1/usr/share/misc/pci.ids" ;;
	esac
}

# --- libvirt's verdict ---------------------------------------------------------

# hostdevs XML: the source address of every PCI hostdev, as sysfs names it.
hostdevs() {
	xmllint --xpath '/domain/devices/hostdev[@type="pci"]/source/address' "$1" |
		tr '<' '\n' | sed -n "s/.*domain=\"\([^\"]*\)\" bus=\"\([^\"]*\)\" slot=\"\([^\"]*\)\" function=\"\([^\"]*\)\".*/\1 \2 \3 \4/p" |
		while read -r hd_domain hd_bus hd_slot hd_func; do
			printf '%04x:%02x:%02x.%x\n' "$((hd_domain))" "$((hd_bus))" "$((hd_slot))" "$((hd_func))"
		done | sort
}

# gives_card SCHEMA DEFINE NAME EXPECTED HIDE: 0 when libvirt's schema takes
# domain XML file SCHEMA ("-": not checked), its test driver defines domain
# NAME from file DEFINE, and the defined domain's PCI hostdevs are the lines
# of file EXPECTED, with KVM hidden when HIDE is "nvidia"; else the status of
# the stage that refused. Logs beside DEFINE.
gives_card() {
	if [ "$1" != - ]; then
		virt-xml-validate "$1" domain >"$2.schema.log" 2>&1 || return $SCHEMA_REFUSED
	fi
	# The test driver's domains live as long as the connection: one virsh.
	virsh -q -c test:///default "define $2; dumpxml $3" >"$2.defined" 2>"$2.define.log" ||
		return $DEFINE_REFUSED
	hostdevs "$2.defined" | diff -u "$4" - >"$2.hostdevs.diff" || return $OTHER_FUNCTIONS
	gc_hidden=$(xmllint --xpath 'string(/domain/features/kvm/hidden/@state)' "$2.defined")
	[ "$gc_hidden" = "$([ "$5" = nvidia ] && echo on)" ] || return $KVM_NOT_HIDDEN
}

# --- the snippets, pasted ------------------------------------------------------

# mutate HOW FILE: the snippet in FILE, as is ("pasted") or broken as a user
# might break it.
mutate() {
	case $1 in
	pasted) cat "$2" ;;
	bad-slot) awk '!done && match($0, /slot( => |=)\0470x[0-9a-f]+\047/) {
		s = substr($0, RSTART, RLENGTH); sub(/0x[0-9a-f]+/, "0x99", s)
		$0 = substr($0, 1, RSTART - 1) s substr($0, RSTART + RLENGTH); done = 1 } 1' "$2" ;;
	# Both formats end with the last function's line or element.
	drop-last) awk 'FNR == NR { if ($0 ~ /^(v\.pci|<!--)/) last = FNR; next } FNR < last' "$2" "$2" ;;
	no-function) sed "s/, :function => '0x[0-9a-f]*'//" "$2" ;;
	no-kvm-hidden) sed '/kvm_hidden/d' "$2" ;;
	esac
}

# The smallest domain libvirt takes, the <hostdev> elements in its <devices>.
libvirt_domain() {
	printf "<domain type='kvm'>\n  <name>early-bind-libvirt</name>\n  <memory unit='MiB'>1024</memory>\n"
	printf "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <devices>\n"
	sed 's/^/    /'
	printf '  </devices>\n</domain>\n'
}

# The article's Vagrantfile (without its box: rendering needs none), the
# snippet where its v.pci lines were.
vagrantfile() {
	printf 'Vagrant.configure("2") do |config|\n  config.vm.define :"gpu-instance-0" do |domain|\n'
	printf '    domain.vm.provider "libvirt" do |v|\n      v.cpus = 4\n      v.memory = 8192\n'
	sed 's/^/      /'
	printf '    end\n  end\nend\n'
}

# libvirt_gives_card DIR HOW [SCHEMA]: gives_card for DIR's libvirt snippet,
# mutated, in the smallest domain; SCHEMA "-" skips the schema.
libvirt_gives_card() {
	lg_dir=$1/libvirt-$2${3:+-no-schema}
	mkdir -p "$lg_dir"
	mutate "$2" "$1/libvirt.snippet" | libvirt_domain >"$lg_dir/domain.xml"
	gives_card "${3:-$lg_dir/domain.xml}" "$lg_dir/domain.xml" early-bind-libvirt "$1/expected" -
}

# vagrant_gives_card DIR HOW HIDE [SCHEMA]: the same for DIR's vagrant snippet:
# the test driver defines vagrant-libvirt's domain as vagrant-libvirt sends
# it (without asking for validation: its template writes empty elements
# such as <uuid></uuid> that libvirt fills in but the schema refuses), the
# schema checks the <hostdev> elements it rendered, in the smallest domain.
vagrant_gives_card() {
	vg_dir=$1/vagrant-$2${4:+-no-schema}
	mkdir -p "$vg_dir"
	mutate "$2" "$1/vagrant.snippet" | vagrantfile >"$vg_dir/Vagrantfile"
	ruby "$HERE/render-vagrant.rb" "$vg_dir" "$vg_dir/domain.xml" >"$vg_dir/render.log" 2>&1 ||
		return $RENDER_REFUSED
	xmllint --xpath '/domain/devices/hostdev' "$vg_dir/domain.xml" | libvirt_domain \
		>"$vg_dir/hostdevs.xml"
	gives_card "${4:-$vg_dir/hostdevs.xml}" "$vg_dir/domain.xml" early-bind-vagrant \
		"$1/expected" "$3"
}

# --- the run -------------------------------------------------------------------

# stage STATUS: what a status of gives_card or vagrant_gives_card means.
stage() {
	case $1 in
	0) echo "accepted" ;;
	"$RENDER_REFUSED") echo "vagrant-libvirt refused the Vagrantfile" ;;
	"$SCHEMA_REFUSED") echo "libvirt's schema refused it" ;;
	"$DEFINE_REFUSED") echo "libvirt's test driver refused it" ;;
	"$OTHER_FUNCTIONS") echo "the domain's hostdevs are not the card's functions" ;;
	"$KVM_NOT_HIDDEN") echo "KVM hidden or not, against the card (hidden for NVIDIA only)" ;;
	*) echo "status $1" ;;
	esac
}

# expect STATUS TEXT COMMAND...: ok when COMMAND ends with STATUS.
expect() {
	ex_want=$1
	ex_text=$2
	shift 2
	"$@"
	ex_got=$?
	if [ "$ex_got" -eq "$ex_want" ]; then
		ok "$ex_text"
	else
		fail "$ex_text: $(stage "$ex_got"), wanted: $(stage "$ex_want") (logs in $WORK)"
	fi
}

# run_case N MACHINE HIDE NAMES ENTRY...
run_case() {
	rc_dir=$WORK/case-$1
	rc_name="$2 ($4 names) $(shift 4 && echo "$*")"
	rc_hide=$3
	rc_root=$rc_dir/root
	mkdir -p "$rc_dir"
	python3 -B "$ROOT_DIR/tests/fixtures/mkroot.py" "$ROOT_DIR/tests/fixtures/machines/$2.machine" \
		"$rc_root" >/dev/null || { fail "$rc_name: cannot generate machine $2"; return; }
	pci_ids "$rc_root" "$4"
	shift 4
	expected_functions "$rc_root" "$@" >"$rc_dir/expected"
	check "$rc_name: the tree has functions there" test -s "$rc_dir/expected" || return
	for rc_format in libvirt vagrant; do
		"$BINARY" snippet --sysroot "$rc_root" --format "$rc_format" "$@" \
			>"$rc_dir/$rc_format.snippet" 2>"$rc_dir/$rc_format.stderr" ||
			{ fail "$rc_name: snippet --format $rc_format failed"; return; }
	done
	expect 0 "$rc_name libvirt: schema, test driver, hostdevs = the card's functions" \
		libvirt_gives_card "$rc_dir" pasted
	expect $SCHEMA_REFUSED "$rc_name libvirt: slot 0x99 refused by the schema" \
		libvirt_gives_card "$rc_dir" bad-slot
	expect $DEFINE_REFUSED "$rc_name libvirt: slot 0x99 refused by the test driver" \
		libvirt_gives_card "$rc_dir" bad-slot -
	expect $OTHER_FUNCTIONS "$rc_name libvirt: a function left out is detected" \
		libvirt_gives_card "$rc_dir" drop-last
	run_vagrant "$rc_dir" "$rc_name" "$rc_hide"
}

# run_vagrant DIR NAME HIDE: the vagrant assertions of a case.
run_vagrant() {
	expect 0 "$2 vagrant: vagrant-libvirt's XML: schema, test driver, hostdevs = the card's functions, KVM hidden iff NVIDIA" \
		vagrant_gives_card "$1" pasted "$3"
	expect $SCHEMA_REFUSED "$2 vagrant: slot 0x99 rendered by vagrant-libvirt, refused by libvirt's schema" \
		vagrant_gives_card "$1" bad-slot "$3"
	expect $DEFINE_REFUSED "$2 vagrant: slot 0x99 refused by the test driver" \
		vagrant_gives_card "$1" bad-slot "$3" -
	expect $OTHER_FUNCTIONS "$2 vagrant: a function left out is detected" \
		vagrant_gives_card "$1" drop-last "$3"
	expect $RENDER_REFUSED "$2 vagrant: a line without :function refused by vagrant-libvirt" \
		vagrant_gives_card "$1" no-function "$3"
	[ "$3" = nvidia ] || return 0
	expect $KVM_NOT_HIDDEN "$2 vagrant: without the kvm_hidden line, KVM is not hidden" \
		vagrant_gives_card "$1" no-kvm-hidden "$3"
}

main() {
	BINARY=$(realpath "$1")
	HERE=$(cd "$(dirname "$0")" && pwd)
	ROOT_DIR=$(cd "$HERE/../.." && pwd)
	WORK=${EB_CLIENTS_WORK:-$ROOT_DIR/build/clients}
	# shellcheck source=tests/results.sh
	. "$ROOT_DIR/tests/results.sh"
	for mn_tool in virsh virt-xml-validate xmllint ruby; do
		command -v "$mn_tool" >/dev/null ||
			{ fail "$mn_tool is missing: run tests/setup-debian.sh"; results_summary; exit; }
	done
	rm -rf -- "${WORK:?}/case-"*
	mn_n=0
	# A here-document, not a pipe: the loop must count in this shell.
	while read -r mn_machine mn_hide mn_names mn_entries; do
		mn_n=$((mn_n + 1))
		# shellcheck disable=SC2086 # the entries, one word each
		run_case "$mn_n" "$mn_machine" "$mn_hide" "$mn_names" $mn_entries
	done <<CASES
$(cases)
CASES
	results_summary
}

main "$@"
