package grantkit

// Page is one page of a list call. Next is an opaque cursor for the following page, empty on
// the last one: pass it back as the list options' Cursor to continue. Every vendor's paging
// (checkpoints, page numbers, next links) is presented this way.
type Page[T any] struct {
	Items []T
	Next  string
}
