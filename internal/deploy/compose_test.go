package deploy_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"

	"github.com/loanflow/loanflow/internal/gateway"
)

// testPayloadKeys stands in for the operator's keys, which the compose file
// requires from the environment.
const testPayloadKeys = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func loadCompose(t *testing.T) *types.Project {
	t.Helper()
	t.Setenv("LOANFLOW_PAYLOAD_KEYS", testPayloadKeys)
	project, err := tryLoadCompose()
	require.NoError(t, err)
	return project
}

func tryLoadCompose() (*types.Project, error) {
	path, err := filepath.Abs("../../docker-compose.yml")
	if err != nil {
		return nil, err
	}
	opts, err := cli.NewProjectOptions([]string{path}, cli.WithName("loanflow"), cli.WithWorkingDirectory(filepath.Dir(path)),
		cli.WithOsEnv)
	if err != nil {
		return nil, err
	}
	// LoadProject validates against the compose specification's schema and
	// checks consistency (dependencies on undefined services, volumes, …).
	return opts.LoadProject(context.Background())
}

func TestComposeDescribesTheProductionTopology(t *testing.T) {
	p := loadCompose(t)
	for _, name := range []string{"postgres", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "migrate", "api", "worker"} {
		_, err := p.GetService(name)
		require.NoError(t, err, "service %s", name)
	}

	// The three loanflow services run the same image with the subcommands
	// the binary has.
	for name, command := range map[string]string{"migrate": "migrate", "api": "serve", "worker": "worker"} {
		svc, _ := p.GetService(name)
		require.NotNil(t, svc.Build, "%s builds the repository's Dockerfile", name)
		require.Equal(t, types.ShellCommand{command}, svc.Command, name)
		env := svc.Environment
		require.NotNil(t, env["LOANFLOW_DATABASE_URL"], name)
		require.True(t, strings.HasPrefix(*env["LOANFLOW_DATABASE_URL"], "postgres://"), name)
		require.Contains(t, *env["LOANFLOW_DATABASE_URL"], "@postgres:5432/", name)
		require.Equal(t, "temporal:7233", *env["LOANFLOW_TEMPORAL_ADDRESS"], name)
	}

	// Start order: the schema exists before API and workers start.
	api, _ := p.GetService("api")
	require.Equal(t, types.ServiceConditionCompletedSuccessfully, api.DependsOn["migrate"].Condition)
	worker, _ := p.GetService("worker")
	require.Equal(t, types.ServiceConditionCompletedSuccessfully, worker.DependsOn["migrate"].Condition)
	migrate, _ := p.GetService("migrate")
	require.Equal(t, types.ServiceConditionHealthy, migrate.DependsOn["postgres"].Condition)
	require.Equal(t, types.ServiceConditionCompletedSuccessfully, migrate.DependsOn["temporal-namespace"].Condition)

	require.True(t, slices.ContainsFunc(api.Ports, func(pc types.ServicePortConfig) bool { return pc.Target == 8080 }))
	require.Equal(t, ":8080", *api.Environment["LOANFLOW_HTTP_ADDR"])
	require.Equal(t, []string{"CMD", "/usr/local/bin/loanflow", "healthcheck"}, []string(api.HealthCheck.Test))

	ui, _ := p.GetService("temporal-ui")
	require.Equal(t, "temporal:7233", *ui.Environment["TEMPORAL_ADDRESS"])
	pg, _ := p.GetService("postgres")
	require.NotNil(t, pg.HealthCheck)
	require.Contains(t, p.VolumeNames(), "pgdata")
}

func TestDockerfileBuildsTheBinaryTheComposeFileRuns(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	require.NoError(t, err)
	df := string(b)
	require.Contains(t, df, "go build")
	require.Contains(t, df, "./cmd/loanflow")
	require.Contains(t, df, `ENTRYPOINT ["/usr/local/bin/loanflow"]`)
	require.Contains(t, df, "CGO_ENABLED=0", "the SQLite driver is pure Go: a static binary runs on distroless")
}

// goModVersion is the version go.mod requires of module.
func goModVersion(t *testing.T, module string) string {
	t.Helper()
	b, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	f, err := modfile.ParseLax("go.mod", b, nil)
	require.NoError(t, err)
	for _, r := range f.Require {
		if r.Mod.Path == module {
			return strings.TrimPrefix(r.Mod.Version, "v")
		}
	}
	t.Fatalf("go.mod does not require %s", module)
	return ""
}

// TestComposeRunsTheEmbeddedTemporalVersions: production runs the server
// and UI that loanflow dev embeds and its tests exercise, set up by the
// server's own admin tools (the auto-setup image and tctl are retired).
func TestComposeRunsTheEmbeddedTemporalVersions(t *testing.T) {
	p := loadCompose(t)
	server, ui := goModVersion(t, "go.temporal.io/server"), goModVersion(t, "github.com/temporalio/ui-server/v2")
	images := map[string]string{
		"temporal":           "temporalio/server:" + server,
		"temporal-schema":    "temporalio/admin-tools:" + server,
		"temporal-namespace": "temporalio/admin-tools:" + server,
		"temporal-ui":        "temporalio/ui:" + ui,
	}
	for name, image := range images {
		svc, err := p.GetService(name)
		require.NoError(t, err)
		require.Equal(t, image, svc.Image, name)
	}
	for _, svc := range p.Services {
		require.NotContains(t, svc.Image, "auto-setup", svc.Name)
		if svc.HealthCheck != nil {
			require.NotContains(t, strings.Join(svc.HealthCheck.Test, " "), "tctl", svc.Name)
		}
		require.NotContains(t, strings.Join(svc.Command, " "), "tctl", svc.Name)
	}

	schema, _ := p.GetService("temporal-schema")
	script := strings.Join(schema.Command, " ")
	for _, want := range []string{"temporal-sql-tool", "setup-schema", "update-schema", "/etc/temporal/schema/postgresql/v12/$dir/versioned", "temporal_visibility"} {
		require.Contains(t, script, want)
	}
	require.Equal(t, "postgres12", *schema.Environment["SQL_PLUGIN"])
	temporal, _ := p.GetService("temporal")
	require.Equal(t, types.ServiceConditionCompletedSuccessfully, temporal.DependsOn["temporal-schema"].Condition)
	require.Equal(t, "postgres12", *temporal.Environment["DB"])
	ns, _ := p.GetService("temporal-namespace")
	require.Contains(t, strings.Join(ns.Command, " "), "temporal operator namespace create --namespace default --retention 720h")
	require.Equal(t, types.ServiceConditionHealthy, ns.DependsOn["temporal"].Condition)
}

// TestComposeKeepsServicesUpAndChecked: every long-running service comes
// back after a crash or a reboot and says whether it is healthy; the one-shot
// setup steps retry until they succeed.
func TestComposeKeepsServicesUpAndChecked(t *testing.T) {
	p := loadCompose(t)
	oneShot := map[string]bool{"temporal-schema": true, "temporal-namespace": true, "migrate": true}
	for _, svc := range p.Services {
		if oneShot[svc.Name] {
			require.Equal(t, "on-failure", svc.Restart, svc.Name)
			continue
		}
		require.Equal(t, "unless-stopped", svc.Restart, svc.Name)
		if svc.Name != "temporal-ui" { // the UI image has no probe tool; it depends on a healthy server
			require.NotNil(t, svc.HealthCheck, "%s has a health check", svc.Name)
		}
	}
	worker, _ := p.GetService("worker")
	require.Equal(t, []string{"CMD", "/usr/local/bin/loanflow", "healthcheck", "metrics"}, []string(worker.HealthCheck.Test))
}

// TestComposeWiresKeysMetricsAndTheCodec: every loanflow process encrypts
// with the operator's payload keys (the file refuses to start without
// them), API and workers serve /metrics on the network, and the UI decodes
// payloads through the API, which lets it call from the UI's origin.
func TestComposeWiresKeysMetricsAndTheCodec(t *testing.T) {
	p := loadCompose(t)
	for _, name := range []string{"migrate", "api", "worker"} {
		svc, _ := p.GetService(name)
		require.Equal(t, testPayloadKeys, *svc.Environment["LOANFLOW_PAYLOAD_KEYS"], name)
	}
	for _, name := range []string{"api", "worker"} {
		svc, _ := p.GetService(name)
		require.Equal(t, ":9090", *svc.Environment["LOANFLOW_METRICS_ADDR"], name)
		require.Contains(t, svc.Expose, "9090", name)
	}
	temporal, _ := p.GetService("temporal")
	require.Equal(t, "0.0.0.0:8000", *temporal.Environment["PROMETHEUS_ENDPOINT"])

	ui, _ := p.GetService("temporal-ui")
	api, _ := p.GetService("api")
	require.Equal(t, "http://localhost:8080/codec", *ui.Environment["TEMPORAL_CODEC_ENDPOINT"])
	require.Equal(t, "true", *ui.Environment["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"])
	require.Equal(t, "http://localhost:8233", *api.Environment["LOANFLOW_TEMPORAL_UI_URL"])
	require.True(t, slices.ContainsFunc(ui.Ports, func(pc types.ServicePortConfig) bool {
		return pc.Published == "8233" && pc.HostIP == "127.0.0.1"
	}), "the UI is published on loopback at the origin the API allows")

	t.Setenv("LOANFLOW_PAYLOAD_KEYS", "")
	_, err := tryLoadCompose()
	require.ErrorContains(t, err, "set LOANFLOW_PAYLOAD_KEYS")
}

// TestComposeServerEndsIdlePollsForReadiness: /readyz counts a worker only
// if it polled in the last 25 s, so the server must end unanswered polls
// sooner than that.
func TestComposeServerEndsIdlePollsForReadiness(t *testing.T) {
	p := loadCompose(t)
	temporal, _ := p.GetService("temporal")
	require.Equal(t, "config/dynamicconfig/loanflow.yaml", *temporal.Environment["DYNAMIC_CONFIG_FILE_PATH"])
	var mounted string
	for _, v := range temporal.Volumes {
		if v.Target == "/etc/temporal/config/dynamicconfig/loanflow.yaml" {
			mounted = v.Source
		}
	}
	require.NotEmpty(t, mounted, "the dynamic config file is mounted")
	b, err := os.ReadFile(mounted)
	require.NoError(t, err)
	var dc map[string][]struct {
		Value string `yaml:"value"`
	}
	require.NoError(t, yaml.Unmarshal(b, &dc))
	values := dc["matching.longPollExpirationInterval"]
	require.Len(t, values, 1)
	d, err := time.ParseDuration(values[0].Value)
	require.NoError(t, err)
	require.LessOrEqual(t, d, gateway.PollerFreshness-5*time.Second)
}
