package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses (same module, same version)
)

// FerretDB 1.24's SQLite backend finds a document by _id (find, update, delete, upsert) with
// `WHERE _ferretdb_sjson->'$._id' = ?`, but creates its unique _id index on `_ferretdb_sjson->"_id"`.
// SQLite uses an expression index only for the same expression, so every lookup by _id reads and
// parses the whole table (measured: 128 ms for one lookup in 20,000 documents of 2 KB, 45 us with an
// index on the queried expression). The launcher adds that index to every collection table, as soon as
// FerretDB creates one. FerretDB keeps its own index list in its metadata, so this index is invisible
// to listIndexes; SQLite maintains it and drops it with its table.
const idPathIndexSuffix = "_logport_id_path"

// indexIDPaths watches the SQLite databases in dir and indexes new collection tables until ctx ends.
func indexIDPaths(ctx context.Context, dir string, logger *slog.Logger) {
	dbs := map[string]*watchedDB{}
	defer func() {
		for _, w := range dbs {
			w.db.Close()
		}
	}()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		present := map[string]os.FileInfo{}
		for _, f := range files {
			if info, err := os.Stat(f); err == nil {
				present[f] = info
			}
		}
		// A dropped database's file is removed (Logport drops emptied segment databases): let go of it, so its
		// space is freed and a database created again under the same name is watched afresh.
		for f, w := range dbs {
			if info, ok := present[f]; !ok || !os.SameFile(info, w.file) {
				w.db.Close()
				delete(dbs, f)
			}
		}
		for _, f := range files {
			info, exists := present[f]
			if !exists {
				continue
			}
			w, ok := dbs[f]
			if !ok {
				db, err := sql.Open("sqlite", "file:"+f+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
				if err != nil {
					continue
				}
				db.SetMaxOpenConns(1)
				w = &watchedDB{db: db, file: info, schemaVersion: -1}
				dbs[f] = w
			}
			if err := w.sync(ctx); err != nil && ctx.Err() == nil {
				logger.Warn("indexing _id lookups", slog.String("file", f), slog.String("error", err.Error()))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type watchedDB struct {
	db            *sql.DB
	file          os.FileInfo
	schemaVersion int64
}

// sync adds the missing indexes when the schema changed since the last look (a cheap pragma otherwise).
func (w *watchedDB) sync(ctx context.Context) error {
	var version int64
	if err := w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return err
	}
	if version == w.schemaVersion {
		return nil
	}
	rows, err := w.db.QueryContext(ctx, "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
	if err != nil {
		return err
	}
	tables := []string{}
	indexed := map[string]bool{}
	for rows.Next() {
		var typ, name, table string
		if err := rows.Scan(&typ, &name, &table); err != nil {
			rows.Close()
			return err
		}
		switch {
		case typ == "table" && !strings.HasPrefix(name, "_ferretdb_") && !strings.HasPrefix(name, "sqlite_"):
			tables = append(tables, name)
		case typ == "index" && name == table+idPathIndexSuffix:
			indexed[table] = true
		}
	}
	rows.Close()
	created := 0
	for _, t := range tables {
		if indexed[t] {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idPathIndexSuffix, t)
		if _, err := w.db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
			return err // tried again on the next look (the schema version is not recorded)
		}
		created++
	}
	// Only a look that found nothing to do records the version it saw: our own indexes change the version,
	// and a table FerretDB created meanwhile changes it too, so the next look sees both.
	if created == 0 {
		w.schemaVersion = version
	}
	return nil
}
