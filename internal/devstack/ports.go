package devstack

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// freePorts returns n distinct TCP ports on host that were free a moment ago.
// The Temporal services bind them themselves, later, and end the process
// when one is taken by then, so the ports come from below the kernel's
// ephemeral range: neither an outgoing connection's local port nor another
// listener on port 0 can take them in between, only a process binding that
// very port. All listeners stay open until every port is picked, so the
// same port cannot come twice.
func freePorts(host string, n int) ([]int, error) {
	listeners := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	low, high := reservedRange()
	ports := make([]int, 0, n)
	for attempts := 0; len(ports) < n; attempts++ {
		if attempts > 50*n {
			return nil, fmt.Errorf("find %d free ports on %s between %d and %d: too many taken", n, host, low, high)
		}
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(low+rand.IntN(high-low))))
		if err != nil {
			continue // taken: draw another
		}
		listeners = append(listeners, l)
		addr, ok := l.Addr().(*net.TCPAddr)
		if !ok {
			return nil, errors.New("listener address is not TCP")
		}
		ports = append(ports, addr.Port)
	}
	return ports, nil
}

// Ports below this are left to services with well-known numbers.
const lowestPort = 10000

// reservedRange is [lowestPort, the first ephemeral port). Linux says where
// its ephemeral range starts; elsewhere IANA's 49152 is the usual start.
func reservedRange() (low, high int) {
	high = 49152
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if start, err := strconv.Atoi(f[0]); err == nil && start > lowestPort+1000 {
				high = start
			}
		}
	}
	return lowestPort, high
}

// checkBindable fails when addr is taken, so a busy port is reported as an
// error from Start instead of killing the process later (the UI server exits
// the process when it cannot bind).
func checkBindable(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Close()
}
