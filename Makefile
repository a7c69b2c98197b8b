# nyxCore. `make test` is the test command CI runs (.ci/run).
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/nyxcore/nyxcore/app/command.Version=$(VERSION)
PACKAGES := ./...

.PHONY: build run test check bench clean

## build: a static, stripped, version-stamped binary ./nyxcore
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o nyxcore .

## run: serve in embedded mode (data in ./nyx_data, http://127.0.0.1:8090)
run:
	$(GO) run . serve

## test: the whole suite; PostgreSQL and Redis are found or started by the tests
test: check
	$(GO) test -count=1 -timeout 30m $(PACKAGES)

## check: formatting, vet and a CGO-free build
check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PACKAGES)
	CGO_ENABLED=0 $(GO) build -o /dev/null .

## bench: the README's performance figures (cold start, RSS, binary size; RLS vs no RLS)
bench:
	$(GO) test -run '^$$' -bench ColdStart -benchtime 10x .
	$(GO) test -run '^$$' -bench TenantListRLS -benchtime 20000x -count 3 ./app/store/postgres/

clean:
	rm -rf nyxcore nyx_data
