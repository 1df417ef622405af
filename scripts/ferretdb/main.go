// Command ferretdb-launcher runs FerretDB 1.24 as an embedded MongoDB-compatible
// server for Logport's default (no MONGODB_URI) mode and for the test suite.
//
// It prints one line "READY <mongodb-uri>" on stdout once the listener accepts
// connections, and exits when stdin closes or on SIGTERM/SIGINT, so a parent
// process that dies never leaves an orphan database behind.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	handler := flag.String("handler", "sqlite", "backend handler: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "./data/", "SQLite data directory (must exist, must end with /)")
	postgresURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/postgres", "PostgreSQL URL for the postgresql handler")
	listen := flag.String("listen", "127.0.0.1:0", "listen address (port 0 picks a free port)")
	logLevel := flag.String("log-level", "warn", "FerretDB log level: debug, info, warn, error")
	watchStdin := flag.Bool("watch-stdin", true, "exit when stdin reaches EOF")
	pprofAddr := flag.String("pprof-addr", os.Getenv("FERRETDB_PPROF_ADDR"), "serve Go's profiler here (for finding where the database spends its time)")
	flag.Parse()
	if *pprofAddr != "" {
		go func() { _ = http.ListenAndServe(*pprofAddr, nil) }()
	}

	addr := *listen
	if host, port, err := net.SplitHostPort(addr); err == nil && port == "0" {
		// FerretDB does not report the port it bound, so pick a free one first.
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			fail(err)
		}
		addr = l.Addr().String()
		l.Close()
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail(err)
	}
	logger := slog.New(&lazyAttrs{inner: slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})})

	var sqliteWatch string
	conf := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: addr}, Handler: *handler, Logger: logger}
	switch *handler {
	case "sqlite":
		if err := os.MkdirAll(*sqliteDir, 0o755); err != nil {
			fail(err)
		}
		conf.SQLiteURL = "file:" + *sqliteDir
		sqliteWatch = *sqliteDir
	case "postgresql":
		conf.PostgreSQLURL = *postgresURL
	default:
		fail(fmt.Errorf("unknown handler %q", *handler))
	}

	f, err := ferretdb.New(conf)
	if err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	if sqliteWatch != "" {
		go indexIDPaths(ctx, sqliteWatch, logger)
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	if err := waitForListener(addr, 30*time.Second); err != nil {
		fail(err)
	}
	fmt.Printf("READY %s\n", f.MongoDBURI())

	if err := <-done; err != nil && ctx.Err() == nil {
		fail(err)
	}
}

func waitForListener(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("ferretdb did not listen on %s within %s", addr, timeout)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ferretdb-launcher:", err)
	os.Exit(1)
}
