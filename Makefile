# SPDX-License-Identifier: GPL-2.0
#
# ktgt top-level Makefile.
#
#   make                 modules (against KDIR) and tools/ktgtcli
#   make demo            set up, boot a guest, export a LUN, log in with
#                        open-iscsi, write and verify a filesystem
#   make check [T=name]  lint, unit tests, fuzz smoke, VM tests
#   make check KERNEL=debug   the VM lane on ../shared/debug-kernel
#   make lint            checkpatch --strict, sparse (C=1), W=1
#   make bench           benchmarks (fio; ktgt beside LIO)
#
# Modules are built in build/<kernel release>/, a tree of symlinks to the
# sources, so builds for several kernels (Debian's, the debug kernel)
# live side by side and the source tree stays clean.

TOP	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KERNEL	?= debian
CACHE	:= $(TOP)/build/cache

# KDIR: given, or the running kernel's, or the one the VM harness uses.
ifeq ($(origin KDIR),undefined)
  ifeq ($(KERNEL),debian)
    ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
      KDIR := /lib/modules/$(shell uname -r)/build
    endif
  endif
endif
ifeq ($(KDIR),)
  KDIR = $(shell . $(CACHE)/kernel/$(KERNEL).env 2>/dev/null && echo $$KDIR)
endif

# The release the modules are built for (vermagic), e.g. 6.1.0-56-amd64.
KVER	= $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BDIR	= $(TOP)/build/$(KVER)
MODSRC	:= Kbuild include src iser

.PHONY: all modules tools kernel-env tree lint unit fuzz check bench demo clean

all: modules tools

kernel-env:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		$(TOP)/tests/vm/setup-kernel $(KERNEL) >/dev/null || exit 1; fi

# Mirror the module sources as symlinks into the build directory.
tree: kernel-env
	@mkdir -p $(BDIR)
	@cd $(TOP) && for d in $(MODSRC); do cp -rsf $(TOP)/$$d $(BDIR)/; done
	@find $(BDIR) -xtype l -delete

modules: tree
	$(MAKE) -C $(KDIR) M=$(BDIR) W=1 modules

tools:
	$(MAKE) -C $(TOP)/tools

lint: tree
	$(TOP)/tests/lint

unit:
	$(MAKE) -C $(TOP)/tests/unit run

fuzz:
	$(MAKE) -C $(TOP)/tests/fuzz smoke

check:
	$(TOP)/tests/deps
	$(TOP)/tests/check

demo:
	$(TOP)/tests/deps
	$(MAKE) -C $(TOP) all
	$(TOP)/tests/vm/run $(TOP)/tests/vm/demo.sh

bench: all
	$(TOP)/tests/bench/run

clean:
	rm -rf $(TOP)/build/unit $(TOP)/build/fuzz $(TOP)/build/[0-9]*
	-$(MAKE) -C $(TOP)/tools clean
