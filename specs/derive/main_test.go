package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-faster/yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doc = `
openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://{d}", variables: {d: {default: x}}}]
paths:
  /api/v1/things/{id}:
    parameters: [{$ref: '#/components/parameters/id'}]
    put:
      operationId: replaceThing
      tags: [T]
      x-okta-lifecycle: {lifecycle: GA}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            examples: {E: {$ref: '#/components/examples/Nowhere'}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '404': {$ref: '#/components/responses/NotFound'}
    delete:
      operationId: deleteThing
      responses: {'204': {description: gone}}
  /api/v1/other:
    get:
      operationId: listOther
      responses: {'200': {description: OK}}
components:
  parameters:
    id: {name: id, in: path, required: true, schema: {type: string}}
  responses:
    NotFound: {description: nf}
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, maxLength: 5}
        kind: {$ref: '#/components/schemas/Kind'}
        at: {type: string, format: date-time}
    Kind: {type: string, enum: [A, B], default: A, description: The kind}
    Error: {type: object, properties: {errorCode: {type: string}}}
  securitySchemes:
    apiToken: {type: apiKey, in: header, name: Authorization}
    oauth2: {type: oauth2, flows: {}}
`

func TestDeriveReshapesToTheConventions(t *testing.T) {
	var d m
	require.NoError(t, yaml.Unmarshal([]byte(doc), &d))
	spec, err := derive(d, config{Prefix: "/api/v1", Server: "https://{d}/api/v1", Security: "apiToken",
		Operations: []string{"replaceThing"}, Keep: []string{"Thing"}})
	require.NoError(t, err)

	paths := spec["paths"].(m)
	require.Len(t, paths, 1, "only the operations asked for, under the prefix")
	item := paths["/things/{id}"].(m)
	assert.NotContains(t, item, "delete")
	assert.Contains(t, item, "parameters", "the path's parameters come along")
	put := item["put"].(m)
	assert.NotContains(t, put, "tags")
	assert.NotContains(t, put, "x-okta-lifecycle")
	assert.Equal(t, m{"$ref": "#/components/responses/Error"}, put["responses"].(m)["default"])
	assert.NotContains(t, put["responses"], "404")
	assert.Contains(t, put["description"], "Error statuses documented: 404.")
	media := put["requestBody"].(m)["content"].(m)["application/json"].(m)
	assert.NotContains(t, media, "examples")
	assert.Equal(t, "#/components/schemas/ThingRequest", media["schema"].(m)["$ref"])

	schemas := spec["components"].(m)["schemas"].(m)
	req := schemas["ThingRequest"].(m)
	assert.NotContains(t, req["properties"], "id", "read-only properties are not sent")
	assert.Equal(t, []any{"name"}, req["required"])
	assert.Equal(t, 5, req["properties"].(m)["name"].(m)["maxLength"], "requests keep their bounds")
	resp := schemas["Thing"].(m)
	assert.NotContains(t, resp, "required", "responses are lenient")
	assert.NotContains(t, resp["properties"].(m)["name"], "maxLength")
	assert.NotContains(t, resp["properties"].(m)["at"], "format")
	assert.Equal(t, true, resp["additionalProperties"])
	kind := schemas["Kind"].(m)
	assert.NotContains(t, kind, "enum")
	assert.NotContains(t, kind, "default")
	assert.Equal(t, "The kind. Known values: A, B. Default: A.", kind["description"])
	assert.Contains(t, schemas, "Error")
	assert.Equal(t, m{"apiToken": d["components"].(m)["securitySchemes"].(m)["apiToken"]}, spec["components"].(m)["securitySchemes"])

	_, err = derive(d, config{Prefix: "/api/v1", Security: "apiToken", Operations: []string{"nope"}})
	require.ErrorContains(t, err, "operations not in the document: nope")
}

func TestOverlayFixesAPathAndSaysWhy(t *testing.T) {
	spec := m{"paths": m{"/a/{b}": m{"get": m{"responses": m{"200": m{}}}}}}
	require.NoError(t, apply(spec, "paths/~1a~1{b}/get/responses/200/headers", m{"Link": m{}}, false))
	assert.Equal(t, m{"Link": m{}}, spec["paths"].(m)["/a/{b}"].(m)["get"].(m)["responses"].(m)["200"].(m)["headers"])
	require.NoError(t, apply(spec, "paths/~1a~1{b}/get/responses/200/headers", nil, true))
	assert.Error(t, apply(spec, "paths/~1a~1{b}/get/responses/200/headers", nil, true), "nothing to remove")
	assert.Error(t, apply(spec, "paths/~1nope/get", m{}, false))
}

// Without ../shared (a user's checkout), go generate keeps the committed spec instead of failing;
// with neither the document nor a spec, the derivation runs and reports the missing document.
func TestAMissingDocumentKeepsTheCommittedSpec(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "okta.yaml")
	missing := filepath.Join(dir, "no-such-document.yaml")
	assert.False(t, keepCommitted(missing, spec), "no spec yet: nothing to keep")
	require.NoError(t, os.WriteFile(spec, []byte("openapi: 3.0.3\n"), 0o644))
	assert.True(t, keepCommitted(missing, spec))
	assert.False(t, keepCommitted(spec, spec), "the document is there: derive again")
}
