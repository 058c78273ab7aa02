package transport

import (
	"net"
	"os"
	"syscall"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

type oauthToken = oauth2.Token

type oauth2ClientCredentials = clientcredentials.Config

func token(s string) *oauth2.Token { return &oauth2.Token{AccessToken: s, TokenType: "Bearer"} }

// connRefused is the error a dial to a closed port gives.
func connRefused() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
}
