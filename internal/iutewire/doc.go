// Package iutewire is the Iute Credit Partner API's wire format, as the seed document shows it: shared
// by the façade that serves it, the client that calls Iute, and the simulator that imitates Iute. It
// imports nothing of loanflow, so front ends and providers may both use it.
//
// It holds what the document fixes and all three must write or read alike: the interfaces' methods and
// paths, the request parameters' names, the XML answers with their element names and order, the dates
// (dd.MM.yyyy, and ddMMyyyy for insert repayment), the amounts as the samples print them, the content
// types, the agreement's file name, and the HTML error page (the document asks only for a page with
// the errors written in it; this is the one loanflow writes). How each side validates, decides or
// parses is its own.
//
// An XML answer's fields are the text of its elements: the sides that write them format the values,
// and the client parses each one so a malformed or empty element is an error naming it, never a zero.
package iutewire
