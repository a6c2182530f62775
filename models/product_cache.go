package models

import (
	"context"
	"sync"
	"time"
)

// productCacheTTL bounds how long an API process prices with a product
// another process has since edited; an edit made through this Store is
// seen at once.
const productCacheTTL = 5 * time.Second

// productCache keeps the products quotes and submissions read on every
// request (a quote's product read was most of its time).
type productCache struct {
	mu      sync.Mutex
	entries map[string]cachedProduct
	// gen counts invalidations: a read that began before one does not
	// store what it read, which may be the row the edit replaced.
	gen uint64
	now func() time.Time
}

type cachedProduct struct {
	product Product
	until   time.Time
}

// CachedProduct is GetProduct for the hot paths (quotes, submissions): the
// product as read at most productCacheTTL ago, or as this Store last wrote
// it. The caller gets its own copy.
func (s *Store) CachedProduct(ctx context.Context, code string) (*Product, error) {
	c := s.products
	c.mu.Lock()
	now := c.clock()
	if e, ok := c.entries[code]; ok && now.Before(e.until) {
		c.mu.Unlock()
		p := e.product
		return &p, nil
	}
	gen := c.gen
	c.mu.Unlock()

	p, err := s.GetProduct(ctx, code)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		if c.entries == nil {
			c.entries = map[string]cachedProduct{}
		}
		c.entries[code] = cachedProduct{product: *p, until: now.Add(productCacheTTL)}
	}
	return p, nil
}

// forgetProducts drops every cached product once a product was written.
func (s *Store) forgetProducts() {
	c := s.products
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

func (c *productCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}
