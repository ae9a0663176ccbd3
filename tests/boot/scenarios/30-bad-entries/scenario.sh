# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# Bad entries around a good one: each is named in a log line and skipped,
# the good one is bound all the same.
SC_ABOUT="zz:00 (syntax), 00:1f.5 (no such device), 00:04@1234:5678 (guard) around 00:03"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE="vfio.devices=zz:00,00:03,00:1f.5,00:04@1234:5678"

sc_expect() { # LABEL REPORT
	expect_card_vfio "$1" "$2" 03
	expect_native_card "$1" "$2" 04
	expect_eb_line "$1" "$2" "'zz:00'" "bad entry zz:00 named in a log line"
	expect_eb_line "$1" "$2" "'00:1f.5'" "bad entry 00:1f.5 (no such device) named in a log line"
	expect_eb_line "$1" "$2" "'00:04@1234:5678'" "bad entry 00:04@1234:5678 (guard mismatch) named in a log line"
	expect_guest_commands "$1" "$2"
}
