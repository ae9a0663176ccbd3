# shellcheck shell=sh disable=SC2034 # SC_* are read by run-matrix.sh
# A machine without an IOMMU: vfio-pci would be useless, nothing is bound.
SC_ABOUT="no vIOMMU: nothing bound, the error names intel_iommu=on"
SC_DEVICES="$EB_CARDS"
SC_CMDLINE="vfio.devices=00:03"

sc_expect() { # LABEL REPORT
	expect_iommu_refused "$1" "$2"
}
