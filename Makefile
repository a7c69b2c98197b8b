# nyxCore. `make test` is the test command CI runs (.ci/run).
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/nyxcore/nyxcore/app/command.Version=$(VERSION)
PACKAGES := ./...
NPM      ?= npm

.PHONY: build release run test test-race check bench clean ui-deps ui-build ui-test ui-verify

## build: a static, stripped, version-stamped binary ./nyxcore
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o nyxcore .

## release: static, stripped, version-stamped binaries for every platform
## in PLATFORMS, as dist/nyxcore-<version>-<os>-<arch>[.exe], with dist/SHA256SUMS
PLATFORMS ?= linux/amd64 linux/arm64 darwin/arm64 windows/amd64
DIST      ?= dist
SHA256SUM ?= $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)
release:
	rm -rf $(DIST) && mkdir -p $(DIST)
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
	  out=$(DIST)/nyxcore-$(VERSION)-$$os-$$arch$$ext; echo "$$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $$out .; \
	done
	cd $(DIST) && $(SHA256SUM) nyxcore-* > SHA256SUMS && cat SHA256SUMS

## run: serve in embedded mode (data in ./nyx_data, http://127.0.0.1:8090)
run:
	$(GO) run . serve

## test: the whole suite; PostgreSQL and Redis are found or started by the tests,
## then the web app's checks (ui-test)
test: check
	$(GO) test -count=1 -timeout 30m $(PACKAGES)
	$(MAKE) test-race
	$(MAKE) ui-test

## test-race: the packages with concurrency again, under the race detector
## (it needs cgo and a C compiler, whatever CGO_ENABLED the caller exported)
RACE_PACKAGES ?= ./app/realtime ./app/discuss ./app/ratelimit ./app/backup ./app/revocation
test-race:
	@command -v "$$(CGO_ENABLED=1 $(GO) env CC)" >/dev/null || { echo "test-race: the race detector needs cgo: install a C compiler (gcc)"; exit 1; }
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 15m $(RACE_PACKAGES)

## ui-deps: install the web app's npm packages when they are missing
ui-deps:
	@command -v $(NPM) >/dev/null || { echo "npm not found: install Node.js 20+ to build or test the web app"; exit 1; }
	@[ -d ui/node_modules ] || (cd ui && $(NPM) ci --no-audit --no-fund)

## ui-build: rebuild the web app into embed/dist (commit the result with it)
ui-build: ui-deps
	cd ui && $(NPM) run build

## ui-test: type check, unit and component tests, the JS budget, browser tests (real binary, Chromium)
ui-test: ui-deps
	cd ui && $(NPM) run typecheck && $(NPM) test && $(NPM) run budget && $(NPM) run e2e

## ui-verify: the committed embed/dist must equal a fresh `npm ci && npm run build`
ui-verify:
	cd ui && $(NPM) ci --no-audit --no-fund && $(NPM) run build
	@if [ -n "$$(git status --porcelain --untracked-files=all -- embed/dist)" ]; then \
	  git status --short --untracked-files=all -- embed/dist | head -20; \
	  echo "embed/dist is stale: it differs from a fresh build of ui/. Run 'make ui-build' and commit embed/."; exit 1; \
	fi
	@echo "embed/dist matches a fresh build of ui/"

## check: formatting, vet and a CGO-free build
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PACKAGES)
	CGO_ENABLED=0 $(GO) build -o /dev/null .

## bench: the README's performance figures (cold start, RSS, binary size; RLS vs no RLS);
## the end-to-end benchmarks (cold start, TTFT) are in app/e2e, which builds the root's main package
bench:
	$(GO) test -run '^$$' -bench ColdStart -benchtime 10x ./app/e2e/
	$(GO) test -run '^$$' -bench TenantListRLS -benchtime 20000x -count 3 ./app/store/postgres/
	$(GO) test -run '^$$' -bench 'FanoutSSE|IdleSubscriberMemory' -benchtime 1x ./app/realtime/
	$(GO) test -run '^$$' -bench ParallelMode -benchtime 10x ./app/discuss/
	$(GO) test -run '^$$' -bench 'TTFT$$' -benchtime 4x ./app/e2e/
	$(GO) test -run '^$$' -bench TTFTBurst -benchtime 6x ./app/e2e/
	NYX_BENCH_STREAMS=1 $(GO) test -run '^$$' -bench TTFTBurst -benchtime 40x ./app/e2e/
	$(GO) test -run '^$$' -bench . -benchtime 3s ./app/ratelimit/

clean:
	rm -rf nyxcore nyx_data dist
