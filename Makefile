# The two commands a newcomer needs.  Everything else is meson.
#   make run    install what is missing, build, start Dossier on its default database
#   make test   install what the tests need, build, run every test suite
BUILDDIR ?= _build
MESON_OPTIONS ?=

.PHONY: run test build deps-run deps-test bench clean

run: deps-run build
	DOSSIER_LOCALEDIR=$(CURDIR)/$(BUILDDIR)/po \
	GSETTINGS_SCHEMA_DIR=$(CURDIR)/$(BUILDDIR)/resources \
	$(BUILDDIR)/src/gui/dossier

test: deps-test build
	build-aux/run-tests.sh $(BUILDDIR)

bench: deps-test build
	xvfb-run -a dbus-run-session -- meson test -C $(BUILDDIR) --benchmark --suite bench --verbose

build:
	@if [ ! -f $(BUILDDIR)/build.ninja ]; then meson setup $(BUILDDIR) $(MESON_OPTIONS); fi
	meson compile -C $(BUILDDIR)

deps-run:
	build-aux/install-deps.sh run

deps-test:
	build-aux/install-deps.sh test

clean:
	rm -rf $(BUILDDIR)
