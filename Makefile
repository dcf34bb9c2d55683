# SPDX-License-Identifier: GPL-2.0
#
# mmstall: the entry point people run.
#
#   make module KDIR=<kernel build dir>   leaves module/mmstall.ko
#   make userspace                        leaves userspace/mmstall
#   make demo                             QEMU: load, contend, print a report
#   make check                            the whole suite (host + QEMU matrix)
#   make check-debug                      the guest tests on 6.1-debug (KASAN,
#                                         lockdep, UBSAN, kmemleak; slow)
#   make bench [BENCH_REPS=N]             overhead vs an empty probe and bpftrace (QEMU)
#   make install                          module for the running kernel
#   make install-all                      module, reader, man page, completion
#                                         and header (install-reader: all
#                                         but the module)
#   make install-header                   PREFIX/include/mmstall/mmstall.h (as mmstall-dev)
#   make fuzz [FUZZ_SECONDS=300]          fuzz the snapshot decoder (clang)
#   make dkms-install / dkms-remove       source in /usr/src/mmstall-VERSION, dkms add
#   make deb / make rpm                   packages in out/packages/

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
# Read from uapi/mmstall.h only when a target needs it.
PKG_VERSION = $(shell sed -n 's/^\#define[[:space:]]*MMSTALL_VERSION[[:space:]]*"\(.*\)"/\1/p' uapi/mmstall.h)
DKMS_SRC = /usr/src/mmstall-$(PKG_VERSION)

all: module userspace

module:
	$(MAKE) -C module KDIR=$(KDIR)

userspace:
	$(MAKE) -C userspace

unit: userspace
	tests/unit/run.sh

demo:
	tests/vm/demo.sh

check:
	tests/run-all.sh

check-debug:
	tests/vm/run-matrix.sh 6.1-debug

# Timings, not tests: not part of check (tests/bench/run.sh says more).
# BENCH_ICOUNT=1 counts guest instructions instead of TCG's noisy time.
BENCH_REPS ?= 5
BENCH_ICOUNT ?= 0
bench:
	BENCH_REPS=$(BENCH_REPS) BENCH_ICOUNT=$(BENCH_ICOUNT) tests/bench/run.sh

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules_install

install-all: install install-reader

install-reader: userspace install-header
	install -D -m 0755 userspace/mmstall $(DESTDIR)$(PREFIX)/sbin/mmstall
	install -D -m 0644 man/mmstall.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/mmstall.8
	install -D -m 0644 completion/mmstall.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/mmstall

# Where mmstall-dev and mmstall-devel put it too.
install-header:
	install -D -m 0644 uapi/mmstall.h $(DESTDIR)$(PREFIX)/include/mmstall/mmstall.h

FUZZ_SECONDS ?= 300
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)

dkms-install:
	scripts/stage-dkms-source.sh $(DKMS_SRC)
	dkms add mmstall/$(PKG_VERSION)

dkms-remove:
	-dkms remove mmstall/$(PKG_VERSION) --all
	rm -rf $(DKMS_SRC)

deb:
	packaging/build-deb.sh

rpm:
	packaging/build-rpm.sh

clean:
	-$(MAKE) -C module KDIR=$(KDIR) clean
	-$(MAKE) -C userspace clean

.PHONY: all module userspace unit demo check check-debug bench install \
	install-all clean dkms-install dkms-remove deb rpm install-reader \
	install-header fuzz
