package devstack

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		addr     string
		wantBind string
		wantDial string
		wantPort int // 0: any free port
		wantErr  string
	}{
		{addr: "127.0.0.1:7233", wantBind: "127.0.0.1", wantDial: "127.0.0.1", wantPort: 7233},
		{addr: ":8233", wantBind: "", wantDial: "127.0.0.1", wantPort: 8233},
		{addr: "0.0.0.0:8233", wantBind: "0.0.0.0", wantDial: "127.0.0.1", wantPort: 8233},
		{addr: "localhost:7233", wantBind: "127.0.0.1", wantDial: "127.0.0.1", wantPort: 7233},
		{addr: "127.0.0.1:0", wantBind: "127.0.0.1", wantDial: "127.0.0.1"},
		{addr: "temporal.example:7233", wantErr: "not an IP address or localhost"},
		{addr: "127.0.0.1:http", wantErr: "bad port"},
		{addr: "127.0.0.1", wantErr: "missing port"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			e, err := parseEndpoint(tt.addr)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantBind, e.bindHost)
			require.Equal(t, tt.wantDial, e.dialHost)
			if tt.wantPort != 0 {
				require.Equal(t, tt.wantPort, e.port)
			} else {
				require.Positive(t, e.port)
			}
		})
	}
}

// TestPrepareDatabase covers the crash-during-first-start recovery: a
// database file left next to the setup marker is half written and must be
// rebuilt, while one without the marker is kept as it is.
func TestPrepareDatabase(t *testing.T) {
	tests := []struct {
		name       string
		dbContents []byte // nil: no database file
		marker     bool
		wantErr    string
	}{
		{name: "new data dir", dbContents: nil},
		{name: "interrupted setup is redone", dbContents: []byte("half-written schema"), marker: true},
		{name: "file without marker is never wiped", dbContents: []byte("not a database at all"), wantErr: "create namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbPath, err := databasePath(filepath.Join(t.TempDir(), "nested", "data"))
			require.NoError(t, err)
			if tt.dbContents != nil {
				require.NoError(t, os.WriteFile(dbPath, tt.dbContents, 0o600))
			}
			if tt.marker {
				require.NoError(t, os.WriteFile(dbPath+".initializing", nil, 0o600))
			}

			err = prepareDatabase(sqliteConfig(dbPath), dbPath, "loans")
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				got, readErr := os.ReadFile(dbPath)
				require.NoError(t, readErr)
				require.Equal(t, tt.dbContents, got)
				return
			}
			require.NoError(t, err)
			_, err = os.Stat(dbPath + ".initializing")
			require.ErrorIs(t, err, os.ErrNotExist)
			// Idempotent: a second start finds schema and namespace in place.
			require.NoError(t, prepareDatabase(sqliteConfig(dbPath), dbPath, "loans"))
		})
	}
}
