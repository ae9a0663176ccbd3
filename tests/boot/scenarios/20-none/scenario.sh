# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# No vfio.devices= at all: the binder stays silent and loads nothing.
SC_ABOUT="no parameter: nothing bound, no vfio module, no warning"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE=""
# One of the few scenarios on mkcpio-systemd too (run-matrix.sh).
SC_FLAVOURS="$SC_FLAVOURS mkcpio-systemd"

sc_expect() { # LABEL REPORT
	expect_none_on_vfio "$1" "$2"
	expect_vfio_module "$1" "$2" no
	expect_native_card "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	expect_no_eb_line "$1" "$2" "^early-bind: (error|warning):" "no early-bind: error or warning line"
	expect_guest_commands "$1" "$2"
}
