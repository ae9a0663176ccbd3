/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every check of `early-bind check`, in the order its findings are shown:
 * CHECK(NAME, FUNCTION), FUNCTION an int (struct check *) that returns 0 or
 * -ENOMEM (logged). check.h declares each function from this table and
 * doctor.c runs them, so a new check is one doctor file and one row here.
 */
/* check-system.c: the machine and its firmware settings. */
CHECK("cpu", check_cpu)
CHECK("iommu", check_iommu)
CHECK("secure-boot", check_secure_boot)
/* check-vm.c: what KVM and VFIO need of the host. */
CHECK("interrupt-remapping", check_interrupt_remapping)
CHECK("kvm", check_kvm)
CHECK("vfio-stack", check_vfio_stack)
/* check-parameter.c: the entries given, else vfio.devices=; builds the plan the rows below read. */
CHECK("parameter", check_parameter)
/* check-entries.c: what each entry takes, or why it is refused. */
CHECK("entries", check_entries)
/* check-ids.c: vfio-pci's own ids=, left over beside vfio.devices=. */
CHECK("ids", check_ids)
/* check-initramfs.c: the running kernel's image holds early-bind and vfio-pci. */
CHECK("initramfs", check_initramfs)
/* check-card.c: each card the entries name. */
CHECK("cards", check_cards)
/* check-sriov.c: requested SR-IOV virtual functions, and physical functions with VFs. */
CHECK("sriov", check_sriov)
/* check-gpu.c: each requested card's BARs, and the host's GPU drivers. */
CHECK("bars", check_bars)
CHECK("gpu-drivers", check_gpu_drivers)
