package option_test

import (
	"context"
	"fmt"
	"log"
	"sync"

	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/auth0/auth0fake"
	"github.com/grantkit/grantkit/option"
)

// A client paced at 20 requests a second, bursts of 5, shared by every goroutine using it,
// against an Auth0 fake enforcing 25 a second: no request is refused. Without WithRateLimit the
// client would still read Auth0's X-RateLimit-* headers and wait when they say the tenant's
// budget is used up (see WithoutAdaptivePacing).
func ExampleWithRateLimit() {
	srv := auth0fake.NewServer()
	defer srv.Close()
	srv.SetRateLimit(25, 5)

	c, err := auth0.New("example.eu.auth0.com",
		auth0.WithClientCredentials(auth0fake.ClientID, auth0fake.ClientSecret),
		option.WithRateLimit(20, 5),
		option.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				if _, err := c.ClientGrants.ListPage(context.Background(), auth0.ClientGrantListOptions{}); err != nil {
					log.Fatal(err)
				}
			}
		})
	}
	wg.Wait()
	fmt.Println("429s drawn:", srv.RateLimited())
	// Output: 429s drawn: 0
}
