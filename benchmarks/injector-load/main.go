// Command injector-load posts AdmissionReviews to the webhook injector at a fixed rate, as the
// kube-apiserver does: Go's HTTP client over TLS, HTTP/2 when the server offers it, connections
// reused. It warms the injector up at a quarter of the rate, then at the rate, then measures. Open loop: review k is due at start + k/rate, and its latency runs from then, so a slow
// answer delays the ones behind it and that shows.
//
// Usage: injector-load -url https://127.0.0.1:9443/inject -ca ca.pem -body review.json -rate 200 -warmup 20s -run 60s
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "", "the injector's /inject URL")
	caFile := flag.String("ca", "", "PEM roots that sign the injector's certificate")
	bodyFile := flag.String("body", "", "the AdmissionReview to post")
	rate := flag.Int("rate", 200, "reviews per second")
	warmup := flag.Duration("warmup", 20*time.Second, "time at the rate before measuring")
	run := flag.Duration("run", 60*time.Second, "time measured")
	flag.Parse()

	roots := x509.NewCertPool()
	pem, err := os.ReadFile(*caFile)
	check(err)
	if !roots.AppendCertsFromPEM(pem) {
		check(fmt.Errorf("%s holds no certificate", *caFile))
	}
	body, err := os.ReadFile(*bodyFile)
	check(err)
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2:   true,
			MaxIdleConnsPerHost: 100,
		},
	}
	// A cold JVM at the full rate falls behind and times some calls out: warm up at a quarter of the
	// rate first, then at the rate; failures while warming up are counted, not fatal.
	_, _, coldFailures := fire(client, *url, body, *rate/4, *warmup/2)
	_, _, warmFailures := fire(client, *url, body, *rate, *warmup/2)
	latencies, protocol, failures := fire(client, *url, body, *rate, *run)
	if failures > 0 {
		check(fmt.Errorf("%d of %d measured reviews failed", failures, len(latencies)))
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	n := len(latencies)
	at := func(q float64) float64 {
		i := int(float64(n)*q+0.999999) - 1
		return float64(latencies[i].Microseconds()) / 1000
	}
	fmt.Printf("Injector latency (Go client, %s): %d AdmissionReviews/s for %s after %s warm-up: "+
		"p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d reviews; %d failed while warming up)\n",
		protocol, *rate, *run, *warmup, at(0.5), at(0.99), at(0.999), float64(latencies[n-1].Microseconds())/1000, n,
		coldFailures+warmFailures)
}

// fire posts rate*d reviews on schedule and returns each one's latency from when it was due, the
// protocol the last answer came in, and how many calls failed (an error, or no patch in the answer).
func fire(client *http.Client, url string, body []byte, rate int, d time.Duration) ([]time.Duration, string, int) {
	n := int(float64(rate) * d.Seconds())
	latencies := make([]time.Duration, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	protocol := ""
	start := time.Now()
	for k := 0; k < n; k++ {
		due := start.Add(time.Duration(float64(k) * float64(time.Second) / float64(rate)))
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func(k int, due time.Time) {
			defer wg.Done()
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				mu.Lock()
				failures = append(failures, err.Error())
				mu.Unlock()
				return
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			latencies[k] = time.Since(due)
			mu.Lock()
			protocol = resp.Proto
			if resp.StatusCode != 200 || !strings.Contains(string(answer), `"patch"`) {
				failures = append(failures, fmt.Sprintf("HTTP %d %.200s", resp.StatusCode, answer))
			}
			mu.Unlock()
		}(k, due)
	}
	wg.Wait()
	if len(failures) > 0 {
		fmt.Fprintf(os.Stderr, "injector-load: %d of %d calls failed at %d/s, first: %s\n", len(failures), n, rate, failures[0])
	}
	return latencies, protocol, len(failures)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "injector-load:", err)
		os.Exit(1)
	}
}
