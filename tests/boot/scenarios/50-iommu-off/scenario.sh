# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# The IOMMU is there but the kernel was told not to use it.
SC_ABOUT="intel_iommu=off: nothing bound, the error names intel_iommu=on"
SC_DEVICES="$EB_IOMMU $EB_CARDS"
SC_CMDLINE="vfio.devices=00:03 intel_iommu=off"

sc_expect() { # LABEL REPORT
	expect_iommu_refused "$1" "$2"
}
