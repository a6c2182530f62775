package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLevelsFormatsAndRequestIDs(t *testing.T) {
	tests := []struct {
		level, format string
		wantErr       string
		wantDebug     bool
		wantJSON      bool
	}{
		{level: "", format: ""},
		{level: "debug", format: "json", wantDebug: true, wantJSON: true},
		{level: "WARN", format: "text"},
		{level: "loud", wantErr: "LOANFLOW_LOG_LEVEL"},
		{format: "xml", wantErr: "LOANFLOW_LOG_FORMAT"},
	}
	for _, tt := range tests {
		t.Run(tt.level+"/"+tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := New(&buf, tt.level, tt.format)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			log.Debug("detail")
			require.Equal(t, tt.wantDebug, bytes.Contains(buf.Bytes(), []byte("detail")))
			buf.Reset()

			ctx := WithRequestID(context.Background(), "req-42")
			log.With("component", "api").WarnContext(ctx, "slow")
			if tt.wantJSON {
				var line map[string]any
				require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
				require.Equal(t, "req-42", line["request_id"])
				require.Equal(t, "api", line["component"])
			} else {
				require.Contains(t, buf.String(), "request_id=req-42")
			}
			buf.Reset()
			log.Warn("no request")
			require.NotContains(t, buf.String(), "request_id")
		})
	}
}
