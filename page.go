package grantkit

// Page is one page of a list call, the result of every vendor service's ListPage (and of its
// other List…Page methods). Every vendor's paging (checkpoints, page numbers, next links) is
// presented this way.
type Page[T any] struct {
	// Items are the page's items, in the vendor's order.
	Items []T
	// Next is an opaque cursor for the following page, empty on the last one: pass it back as
	// the list options' Cursor to continue.
	Next string
	// Total is the number of items in the whole list when the vendor said so with this page
	// (Auth0 with IncludeTotals, for one), and -1 when it did not.
	Total int
}
