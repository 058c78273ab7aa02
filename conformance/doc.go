// Package conformance checks grantkit against the vendors' official API documents: every
// request the auth0 and pingone test suites send through the clients, and every answer their
// fakes give, is validated against Auth0's Management API document (OpenAPI 3.1) and
// PingOne's management document (OpenAPI 3.0) in ../../shared/vendor-specs.
//
// It is a module of its own so that its validator (github.com/pb33f/libopenapi-validator)
// never reaches what a user of grantkit downloads or compiles. Its test runs the main
// module's vendor test suites with internal/testkit/fake recording every exchange (fake.RecordEnv),
// then validates each record:
//
//   - a request carrying grantkit's User-Agent was sent by a client and is validated in full
//     (path, query, headers, security, body); a request without it was sent raw by a test,
//     often broken on purpose, and only the fake's answer to it is checked;
//   - every answer is validated (status documented, body against its schema), except answers
//     an injected fault cut or never sent, answers a test wrote itself (fake.Fault.Answer: an
//     empty or cut body, a 202, no Content-Type), and the status (not the body) of an answer
//     whose status a test chose with an injected fault;
//   - a value the recorder redacted (a secret) is not checked against its length or pattern;
//   - an enum value outside the document in a client request that the fake refused with 400
//     is grantkit passing on a value it does not know, as it does by design, and the fake
//     refusing it as the vendor does; the same value answered with a 2xx is a violation;
//   - where a value fails every alternative of a oneOf or anyOf, an alternative whose type
//     the value does not have is not reported beside the failures inside the ones it has;
//   - token endpoint exchanges are counted, not validated: no management document describes it.
//
// A body failure names the failing value when it is a string, number or boolean, so that a
// gap can name, say, the enum member a document lacks.
//
// Where a document itself is wrong or incomplete, the violation is listed in gaps.yaml with
// the reason; every entry there must still match a violation, so the list stays true.
package conformance
