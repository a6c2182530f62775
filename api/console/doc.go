// Package console is the back-office web console at /backoffice: the staff's
// daily tool in a browser.
//
// Staff sign in with a username and password and get a server-side session
// (an HttpOnly, SameSite=Lax cookie holding a random token; the database
// keeps only its hash) with idle and absolute timeouts. The sign-in itself
// (password, disabled accounts, the limits per username and per client
// address) is the service's, internal/auth's rule; its every outcome, like
// every other console action, is written to the console audit log.
//
// Underwriters work the decision queue and approve or reject applications;
// operations staff review documents and authorize cash release; admins
// manage staff, partners (with credentials shown once) and product terms.
// Every loan action goes through the same service.Service method, and so the same
// workflow Update, as the /backoffice/v1 JSON API, so the console and the
// API can never disagree; the workflow enforces four eyes and segregation of
// duties and the console explains them before anyone clicks.
//
// Pages are html/template files embedded in the binary, with one small
// embedded script (sortable tables) and one stylesheet: no CDN, no build
// step. Every form carries a per-session CSRF token.
package console
