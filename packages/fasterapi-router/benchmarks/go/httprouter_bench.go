// SPDX-License-Identifier: MIT
// fasterapi-router/benchmarks/go/httprouter_bench.go: httprouter, timed as router_bench times us
//
// Usage: httprouter_bench ROUTES.tsv [ROUTES.tsv ...]
//
// julienschmidt/httprouter, the Go router of the classic GitHub-API benchmark, on the same
// route tables (their `:param` column) and the same lookups as benchmarks/cpp/bench_match.cpp:
// the first 6,400 unique paths in table order (each parameter filled with "v" and a counter,
// a catch-all with "dir<n>/file<n>.txt"), then the same paths shuffled. Lookups go through
// Router.Lookup, which returns the handle and the parameters, as router::match does; a Go
// map lookup of the same path strings is timed beside it, as the C++ harness times a hash
// map, to show what a lookup costs in Go on the machine. Each of 21 passes runs every table,
// order and contender once after an untimed warm-up run; prints medians.
// ci/bench.sh builds it with the system's Go and Debian's packaged httprouter (GOPATH mode)
// and runs it alternately with router_bench.
package main

import (
	"bufio"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"
)

const (
	variants   = 64
	maxLookups = 6400
	repeats    = 21
)

type lookup struct {
	method, path string
}

type ordering struct {
	name                      string
	lookups                   []lookup
	routerSamples, mapSamples []float64
}

type table struct {
	file    string
	router  *httprouter.Router
	pathMap map[string]int
	routes  int
	orders  []*ordering
}

func noop(http.ResponseWriter, *http.Request, httprouter.Params) {}

// fill returns a concrete path for PATTERN (`:param` syntax), counting parameters in COUNTER.
func fill(pattern string, counter *int) string {
	segments := strings.Split(pattern, "/")
	for i, segment := range segments {
		if strings.HasPrefix(segment, ":") {
			*counter++
			segments[i] = "v" + strconv.Itoa(*counter)
		} else if strings.HasPrefix(segment, "*") {
			*counter++
			n := strconv.Itoa(*counter)
			segments[i] = "dir" + n + "/file" + n + ".txt"
		}
	}
	return strings.Join(segments, "/")
}

func load(file string) (*table, error) {
	in, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	t := &table{file: file, router: httprouter.New()}
	type route struct{ method, pattern string }
	var routes []route
	scanner := bufio.NewScanner(in)
	for scanner.Scan() {
		fields := strings.Split(scanner.Text(), "\t")
		if len(fields) < 3 || fields[2] == "" {
			continue
		}
		routes = append(routes, route{fields[0], fields[2]})
		t.router.Handle(fields[0], fields[2], noop)
	}
	t.routes = len(routes)
	var lookups []lookup
	counter := 0
	for v := 0; v < variants && len(lookups) < maxLookups; v++ {
		for _, r := range routes {
			if len(lookups) == maxLookups {
				break
			}
			lookups = append(lookups, lookup{r.method, fill(r.pattern, &counter)})
		}
	}
	t.pathMap = make(map[string]int, len(lookups))
	for i, l := range lookups {
		if handle, _, _ := t.router.Lookup(l.method, l.path); handle == nil {
			return nil, fmt.Errorf("%s: %s %s matched no route", file, l.method, l.path)
		}
		t.pathMap[l.path] = i
	}
	shuffled := append([]lookup(nil), lookups...)
	rand.New(rand.NewSource(20240611)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	t.orders = []*ordering{{name: "table order", lookups: lookups}, {name: "shuffled", lookups: shuffled}}
	return t, nil
}

var sink int // keeps the timed lookups observable

func lookUpAll(t *table, o *ordering) {
	for _, l := range o.lookups {
		_, params, _ := t.router.Lookup(l.method, l.path)
		sink += len(params)
	}
}

func mapAll(t *table, o *ordering) {
	for _, l := range o.lookups {
		sink += t.pathMap[l.path]
	}
}

// timed runs BODY once to warm the caches with its data, then returns ns per lookup of a
// second run.
func timed(o *ordering, body func()) float64 {
	body()
	start := time.Now()
	body()
	return float64(time.Since(start).Nanoseconds()) / float64(len(o.lookups))
}

func median(samples []float64) float64 {
	sorted := append([]float64(nil), samples...)
	sort.Float64s(sorted)
	return sorted[len(sorted)/2]
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintf(os.Stderr, "usage: %s ROUTES.tsv [ROUTES.tsv ...]\n", os.Args[0])
		os.Exit(2)
	}
	var tables []*table
	for _, file := range os.Args[1:] {
		t, err := load(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		tables = append(tables, t)
	}
	for r := 0; r < repeats; r++ {
		for _, t := range tables {
			for _, o := range t.orders {
				o.routerSamples = append(o.routerSamples, timed(o, func() { lookUpAll(t, o) }))
				o.mapSamples = append(o.mapSamples, timed(o, func() { mapAll(t, o) }))
			}
		}
	}
	for _, t := range tables {
		fmt.Printf("%s (%d routes, %d lookups)\n", t.file, t.routes, len(t.orders[0].lookups))
		for _, o := range t.orders {
			fmt.Printf("  %-12s httprouter %6.1f ns  Go map %6.1f ns\n", o.name,
				median(o.routerSamples), median(o.mapSamples))
		}
	}
	fmt.Printf("[%d]\n", sink%10)
}
