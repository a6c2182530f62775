package devstack

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The embedded server exits the process when a port it was given is taken
// before it binds it; on a busy machine an outgoing connection's local port
// once took one, so the ports must lie outside the ephemeral range.
func TestFreePortsLieOutsideTheEphemeralRange(t *testing.T) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Skipf("no Linux ephemeral port range to check against: %v", err)
	}
	ephemeralStart, err := strconv.Atoi(strings.Fields(string(b))[0])
	require.NoError(t, err)

	ports, err := freePorts(loopback, 40)
	require.NoError(t, err)
	seen := map[int]bool{}
	for _, p := range ports {
		require.Less(t, p, ephemeralStart, "port %d is one the kernel hands to outgoing connections", p)
		require.GreaterOrEqual(t, p, lowestPort)
		require.False(t, seen[p], "port %d picked twice", p)
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort(loopback, strconv.Itoa(p)))
		require.NoError(t, err, "port %d is free", p)
		require.NoError(t, l.Close())
	}
}
