// Package testkit is what every front end's tests share: the seeded
// accounts and their passwords, one settable clock, a migrated and seeded
// template database copied per test, an engine that runs the real loan
// workflow on Temporal's test environment, a scripted engine for transport
// tests that must see an outage, and a Kit that puts them together with a
// service.Service and drives loans through the real workflow.
//
// It is imported by tests only.
package testkit
