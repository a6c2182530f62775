package devstack

import (
	"errors"
	"fmt"
	"net"
)

// freePorts returns n distinct TCP ports on host that were free a moment ago.
// All listeners stay open until every port is picked, so the kernel cannot
// hand out the same port twice; they are closed before returning because the
// Temporal services bind the ports themselves. Another process could take one
// in between, which the server then reports as a bind error from Start.
func freePorts(host string, n int) ([]int, error) {
	listeners := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("find a free port on %s: %w", host, err)
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
