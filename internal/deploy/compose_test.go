package deploy_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/stretchr/testify/require"
)

func loadCompose(t *testing.T) *types.Project {
	t.Helper()
	path, err := filepath.Abs("../../docker-compose.yml")
	require.NoError(t, err)
	opts, err := cli.NewProjectOptions([]string{path}, cli.WithName("loanflow"), cli.WithWorkingDirectory(filepath.Dir(path)))
	require.NoError(t, err)
	// LoadProject validates against the compose specification's schema and
	// checks consistency (dependencies on undefined services, volumes, …).
	project, err := opts.LoadProject(context.Background())
	require.NoError(t, err)
	return project
}

func TestComposeDescribesTheProductionTopology(t *testing.T) {
	p := loadCompose(t)
	for _, name := range []string{"postgres", "temporal", "temporal-ui", "migrate", "api", "worker"} {
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
	require.Equal(t, types.ServiceConditionHealthy, migrate.DependsOn["temporal"].Condition)

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
