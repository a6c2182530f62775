package testkit

import "sync"

// AtOnce sends every item at the same moment, each from its own goroutine
// held until all are ready, and counts the status codes send answers: how
// a limit or a lock holds up under a burst.
func AtOnce[T any](items []T, send func(T) int) map[int]int {
	codes := make([]int, len(items))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Go(func() {
			<-start
			codes[i] = send(item)
		})
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	return count
}
