package transport

import "golang.org/x/oauth2"

type oauthToken = oauth2.Token

func token(s string) *oauth2.Token { return &oauth2.Token{AccessToken: s, TokenType: "Bearer"} }
