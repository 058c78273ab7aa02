package cpn

import (
	"context"
	"time"
)

// WithSleep replaces the retry layer's sleep in tests, so waits are recorded, not spent.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(o *options) { o.Sleep = sleep }
}
