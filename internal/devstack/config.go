package devstack

import (
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/primitives"
)

const (
	// storeName names the one store SQLite keeps everything in; with
	// PostgreSQL visibility has a database, and so a store, of its own.
	storeName           = "sqlite"
	postgresStoreName   = "postgres"
	visibilityStoreName = "postgres-visibility"
	// membershipJoinTimeout bounds how long a service waits to join the
	// in-process ring; after a kill -9 the ring table still lists the dead
	// process's members, which the join has to give up on.
	membershipJoinTimeout = 30 * time.Second
)

// internalServices run next to the frontend; each needs its own gRPC port,
// and every service including the frontend a membership port.
var internalServices = []primitives.ServiceName{
	primitives.HistoryService,
	primitives.MatchingService,
	primitives.WorkerService,
}

// persistence is the server's stores as its config names them.
type persistence struct {
	stores                     map[string]config.DataStore
	mainStore, visibilityStore string
}

// sqlitePersistence keeps everything in one file, through one store.
func sqlitePersistence(db *config.SQL) persistence {
	return persistence{stores: map[string]config.DataStore{storeName: {SQL: db}}, mainStore: storeName, visibilityStore: storeName}
}

func (p postgresStores) persistence() persistence {
	return persistence{
		stores:          map[string]config.DataStore{postgresStoreName: {SQL: p.main}, visibilityStoreName: {SQL: p.visibility}},
		mainStore:       postgresStoreName,
		visibilityStore: visibilityStoreName,
	}
}

// serverConfig is a single-process cluster: one history shard, every service
// bound to loopback except the frontend, which binds where asked.
func serverConfig(s settings, db persistence) (*config.Config, error) {
	ports, err := freePorts(loopback, 2*len(internalServices)+1)
	if err != nil {
		return nil, err
	}
	next := func() int {
		p := ports[0]
		ports = ports[1:]
		return p
	}

	frontendIP := s.frontend.bindHost
	if frontendIP == "" {
		frontendIP = "0.0.0.0"
	}
	services := map[string]config.Service{
		string(primitives.FrontendService): {RPC: config.RPC{
			GRPCPort:       s.frontend.port,
			MembershipPort: next(),
			BindOnIP:       frontendIP,
		}},
	}
	for _, name := range internalServices {
		services[string(name)] = config.Service{RPC: config.RPC{
			GRPCPort:        next(),
			MembershipPort:  next(),
			BindOnLocalHost: true,
		}}
	}

	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = membershipJoinTimeout
	conf.Global.Membership.BroadcastAddress = loopback
	conf.Persistence.DefaultStore = db.mainStore
	conf.Persistence.VisibilityStore = db.visibilityStore
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = db.stores
	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             s.frontend.dialAddr(),
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = services
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	// The server's own system workers (scheduler, batcher) reach the frontend
	// through this address.
	conf.PublicClient.HostPort = s.frontend.dialAddr()
	return &conf, nil
}
